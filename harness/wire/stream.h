/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stream.h - one direction's byte stream, as the tracker accounts it
 * (private to the connection tracker: conntable.c, zeek.c, teardown.c).
 *
 * Sequence numbers are turned into 64-bit stream offsets by unwrapping
 * each 32-bit value against the highest offset seen so far on that
 * stream; TCP windows are far below 2^31, so the nearest reading is the
 * right one.  Beside the offsets, a stream keeps the holes in its
 * sequence space that no captured segment filled, the highest data and
 * the highest ACK from the peer, and the sender's last window.
 *
 * What runs on every segment is static inline here: the tracker's fast
 * path and general path (conntable.c) inline it.
 */
#ifndef stream_h
#define stream_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conntrack.h"
#include "decode.h"

enum {
	/* Holes kept per stream; past that the lowest is given up. */
	STREAM_MAX_HOLES = 64
};

/* A range of stream offsets [start, end) that no captured segment held. */
struct stream_hole {
	int64_t start, end;
};

/* Sequence-space state of one direction's byte stream. */
struct stream_state {
	bool have_base;
	uint32_t base_seq;	/* the sequence number of stream offset 0 */
	int64_t ref_offset;	/* highest offset seen: unwrapping reference */
	int64_t highest_end;	/* end of the highest data seen */
	int64_t highest_ack;	/* highest offset the peer acknowledged */

	/* Holes below highest_end, ascending, disjoint. */
	struct stream_hole *holes;
	size_t nholes, holes_capacity;
	uint64_t retired_hole_bytes;	/* holes given up when full */
	int64_t retired_hole_end;

	uint16_t last_window;	/* last advertised, not SYN or RST */
	bool window_seen;
	bool data_after_peer_fin;	/* sent data after the peer's FIN */
};

/* a - b as a signed distance in 32-bit sequence space. */
static inline int64_t
stream_seq_distance(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	return d < UINT32_C(0x80000000) ? (int64_t)d :
	    (int64_t)d - INT64_C(0x100000000);
}

static inline void
stream_set_base(struct stream_state *st, uint32_t base_seq)
{
	st->have_base = true;
	st->base_seq = base_seq;
}

/* The 64-bit stream offset of a 32-bit sequence number. */
static inline int64_t
stream_offset(const struct stream_state *st, uint32_t seq)
{
	uint32_t ref_seq = st->base_seq + (uint32_t)st->ref_offset;

	return st->ref_offset + stream_seq_distance(seq, ref_seq);
}

/* Move the unwrapping reference up to offset. */
static inline void
stream_note_offset(struct stream_state *st, int64_t offset)
{
	if (offset > st->ref_offset)
		st->ref_offset = offset;
}

/* An offset as a byte count: below the stream's start counts as 0. */
static inline uint64_t
stream_offset_bytes(int64_t offset)
{
	return offset > 0 ? (uint64_t)offset : 0;
}

/* acked_bytes never counts the FIN's slot, even if the ACK covers it. */
static inline void
stream_update_acked(struct conn_half *h, const struct stream_state *st)
{
	uint64_t acked = stream_offset_bytes(st->highest_ack);

	if (h->fin_seen && acked > h->fin_offset)
		acked = h->fin_offset;
	h->acked_bytes = acked;
}

/* Where the data seen from the start of the stream first stops. */
static inline int64_t
stream_contiguous_end(const struct stream_state *st,
    const struct conn_half *h)
{
	int64_t end = st->nholes > 0 ? st->holes[0].start : st->highest_end;

	/* The FIN takes the sequence number after the last byte. */
	if (h->fin_seen && st->nholes == 0 && end >= (int64_t)h->fin_offset)
		end = (int64_t)h->fin_offset + 1;
	return end;
}

/* The hole list, allocated once and whole.  0, or -1 on ENOMEM. */
int stream_holes_alloc(struct stream_state *st);

/*
 * A data segment [start, end) was captured: open a hole before it or
 * fill holes with it.  Call before highest_end moves.
 */
void stream_note_data(struct stream_state *st, int64_t start, int64_t end);

/*
 * Before a segment changes anything: allocate what it will need (the
 * hole list, once and whole), so that stream_track_sender() never fails
 * half-way.  offset is that of seg->seq.  0, or -1 on ENOMEM.
 */
static inline int
stream_reserve(struct stream_state *st, const struct tcp_segment *seg,
    int64_t offset)
{
	int64_t start = offset + ((seg->flags & TCP_FLAG_SYN) ? 1 : 0);

	/* Only data past the highest end opens a hole. */
	if (seg->payload_len == 0 || (seg->flags & TCP_FLAG_RST) ||
	    start <= st->highest_end || st->holes != NULL)
		return 0;
	return stream_holes_alloc(st);
}

/*
 * The sequence space of the sender's own stream: the SYN (ISN,
 * handshake) and, unless seg is an RST (whose payload is a diagnostic,
 * not stream data), its data (highest end, holes) and window.  offset
 * is that of seg->seq (the stream's base is set).
 */
static inline void
stream_track_sender(struct conn *c, enum conn_side side,
    struct stream_state *st, const struct tcp_segment *seg, int64_t offset)
{
	struct conn_half *h = &c->half[side];
	bool syn = (seg->flags & TCP_FLAG_SYN) != 0;
	int64_t start, end;

	if (syn) {
		if (!h->syn_seen) {
			h->syn_seen = true;
			h->isn = seg->seq;
		}
		if (seg->flags & TCP_FLAG_ACK)
			c->synack_seen = true;
		else
			c->syn_seen = true;
	}
	if (seg->flags & TCP_FLAG_RST)
		return;
	/* The SYN takes one sequence number; data starts after it. */
	start = offset + (syn ? 1 : 0);
	end = start + seg->payload_len;
	stream_note_offset(st, end);
	if (seg->payload_len > 0) {
		/* In order with no holes (most data) changes no hole. */
		if (start > st->highest_end || st->nholes > 0)
			stream_note_data(st, start, end);
		if (c->half[conn_side_other(side)].fin_seen)
			st->data_after_peer_fin = true;
	}
	/*
	 * Only data counts: the seq of a bare ACK after a FIN is one past
	 * the FIN's slot, which is no stream byte.
	 */
	if (seg->payload_len > 0 && end > st->highest_end)
		st->highest_end = end;
	h->payload_bytes = stream_offset_bytes(st->highest_end);
	if (seg->payload_len > 0)
		h->payload_packets++;
	if (!syn && seg->window == 0)
		h->zero_window_seen = true;
	if (!syn) {
		st->last_window = seg->window;
		st->window_seen = true;
	}
}

/*
 * The ACK field speaks about the peer's stream (peer_st).  False if seg
 * has no ACK; else *ack_offset is the ACK's offset in the peer's stream.
 */
static inline bool
stream_track_ack(struct conn *c, enum conn_side side,
    struct stream_state *peer_st, const struct tcp_segment *seg,
    int64_t *ack_offset)
{
	int64_t offset;

	if (!(seg->flags & TCP_FLAG_ACK))
		return false;
	/* A peer not yet seen: what it is acked for is its offset 0. */
	if (!peer_st->have_base)
		stream_set_base(peer_st, seg->ack);
	offset = stream_offset(peer_st, seg->ack);
	stream_note_offset(peer_st, offset);
	if (offset > peer_st->highest_ack)
		peer_st->highest_ack = offset;
	stream_update_acked(&c->half[conn_side_other(side)], peer_st);
	*ack_offset = offset;
	return true;
}

/*
 * When the connection is finished: h->hole_bytes (bytes in holes no
 * segment filled) and h->acked_unseen_bytes (bytes the peer acked that
 * no captured segment held), from h->acked_bytes.
 */
void stream_finish(const struct stream_state *st, struct conn_half *h);

void stream_free(struct stream_state *st);

#endif /* stream_h */
