/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * zeek.h - the Zeek emulation of the connection tracker (private to
 * conntable.c): Zeek's TCP endpoint state machine, history letters and
 * endpoint sizes (TCPSessionAdapter.cc, TCP_Endpoint.cc, minus timers,
 * weirds and checksums), and conn_state (zeek.c; public in conntrack.h).
 *
 * Zeek's view of an endpoint is kept in stream offsets (stream.h).  What
 * runs on every segment is static inline here, for the tracker's fast
 * and general paths (conntable.c) to inline.
 */
#ifndef zeek_h
#define zeek_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conntrack.h"
#include "decode.h"
#include "stream.h"

/* Zeek's history mask bits (TCP_Endpoint.h), responder's << 16. */
enum zeek_history_bit {
	ZEEK_HIST_SYN_PKT = 0x1,
	ZEEK_HIST_FIN_PKT = 0x2,
	ZEEK_HIST_RST_PKT = 0x4,
	ZEEK_HIST_FIN_RST_PKT = 0x8,
	ZEEK_HIST_DATA_PKT = 0x10,
	ZEEK_HIST_ACK_PKT = 0x20,
	ZEEK_HIST_MULTI_FLAG_PKT = 0x40,
	ZEEK_HIST_RESP_SHIFT = 16
};

/* Zeek's TOO_LARGE_SEQ_DELTA. */
#define ZEEK_TOO_LARGE_SEQ_DELTA	INT64_C(1048576)
/* Scaled letters come at the 1st, 10th, 100th, ... occurrence. */
#define ZEEK_HISTORY_SCALE_BASE		UINT64_C(10)

/* Zeek's view of one endpoint, in stream offsets. */
struct zeek_endpoint {
	int64_t start;		/* start_seq: the SYN's, or one before */
	int64_t last;		/* last_seq: one past the highest segment */
	int64_t ack;		/* ack_seq: highest ack, not from RSTs */
	int64_t hist_last_syn, hist_last_fin, hist_last_rst;
	uint64_t rxmit_threshold, win0_threshold, gap_threshold;
	int64_t delivered;	/* Zeek's reassembly point: no gap below */
};

/* Zeek's state of one connection beside struct conn. */
struct zeek_conn {
	struct zeek_endpoint ep[2];	/* [SIDE_ORIG], [SIDE_RESP] */
	uint32_t history_seen;		/* enum zeek_history_bit */
	size_t history_len;		/* letters in c->history */
};

/* A new connection c (its flipped bit set): thresholds, the '^'. */
void zeek_init(struct zeek_conn *z, struct conn *c);

/*
 * Append a history letter: upper case for the originator.  Inline, as is
 * all that runs per segment: a call here, even one rarely made, would
 * cost the fast path its registers.
 */
static inline void
zeek_history_add(struct zeek_conn *z, struct conn *c, enum conn_side side,
    char upper)
{
	char code = side == SIDE_ORIG ? upper : (char)(upper - 'A' + 'a');

	if (z->history_len + 1 >= sizeof(c->history)) {
		c->history_truncated = true;
		return;
	}
	c->history[z->history_len++] = code;
	c->history[z->history_len] = '\0';
}

/* Has side's history already the letter of mask (an enum zeek_history_bit)? */
static inline bool
zeek_history_has(const struct zeek_conn *z, enum conn_side side,
    uint32_t mask)
{
	if (side == SIDE_RESP)
		mask <<= ZEEK_HIST_RESP_SHIFT;
	return (z->history_seen & mask) != 0;
}

/* Zeek's ScaledHistoryEntry(): the letter at the 1st, 10th, 100th, ... */
static inline void
zeek_history_scaled(struct zeek_conn *z, struct conn *c, enum conn_side side,
    char upper, uint64_t *counter, uint64_t *threshold)
{
	if (++*counter != *threshold)
		return;
	zeek_history_add(z, c, side, upper);
	if (*threshold <= UINT64_MAX / ZEEK_HISTORY_SCALE_BASE)
		*threshold *= ZEEK_HISTORY_SCALE_BASE;
}

/* The zero-window letter of a segment that advertised window 0. */
static inline void
zeek_zero_window(struct zeek_conn *z, struct conn *c, enum conn_side side)
{
	zeek_history_scaled(z, c, side, 'W', &c->half[side].zero_windows,
	    &z->ep[side].win0_threshold);
}

/* Zeek's CheckHistory(): record the letter once; true if it was already. */
static inline bool
zeek_history_check(struct zeek_conn *z, struct conn *c, enum conn_side side,
    uint32_t mask, char upper)
{
	if (zeek_history_has(z, side, mask))
		return true;
	z->history_seen |= side == SIDE_RESP ? mask << ZEEK_HIST_RESP_SHIFT :
	    mask;
	zeek_history_add(z, c, side, upper);
	return false;
}

/* Zeek's update_history(); rel is the segment's relative sequence. */
static inline void
zeek_update_history(struct zeek_conn *z, struct conn *c, enum conn_side side,
    const struct tcp_segment *seg, int64_t rel)
{
	struct zeek_endpoint *ep = &z->ep[side];
	bool syn = (seg->flags & TCP_FLAG_SYN) != 0;
	bool fin = (seg->flags & TCP_FLAG_FIN) != 0;
	bool rst = (seg->flags & TCP_FLAG_RST) != 0;
	bool ack = (seg->flags & TCP_FLAG_ACK) != 0;
	int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
	char code;

	if (bits > 1) {
		if (fin && rst)
			zeek_history_check(z, c, side, ZEEK_HIST_FIN_RST_PKT, 'I');
		else
			zeek_history_check(z, c, side, ZEEK_HIST_MULTI_FLAG_PKT,
			    'Q');
	} else if (syn) {
		code = ack ? 'H' : 'S';
		if (zeek_history_check(z, c, side, ZEEK_HIST_SYN_PKT, code) &&
		    rel != ep->hist_last_syn)
			zeek_history_add(z, c, side, code);
		ep->hist_last_syn = rel;
	} else if (fin) {
		/* A FIN's sequence number is at the end of its data. */
		if (zeek_history_check(z, c, side, ZEEK_HIST_FIN_PKT, 'F') &&
		    rel + seg->payload_len != ep->hist_last_fin)
			zeek_history_add(z, c, side, 'F');
		ep->hist_last_fin = rel + seg->payload_len;
	} else if (rst) {
		if (zeek_history_check(z, c, side, ZEEK_HIST_RST_PKT, 'R') &&
		    rel != ep->hist_last_rst)
			zeek_history_add(z, c, side, 'R');
		ep->hist_last_rst = rel;
	} else if (seg->payload_len > 0)
		zeek_history_check(z, c, side, ZEEK_HIST_DATA_PKT, 'D');
	else if (ack)
		zeek_history_check(z, c, side, ZEEK_HIST_ACK_PKT, 'A');
}

/*
 * What Zeek does before its state machine: set up an endpoint seen for
 * the first time (init_endpoint), history, the zero-window letter.
 * offset: the stream offset of seg->seq; one_past: of the end of the
 * segment's sequence space.
 */
static inline void
zeek_before(struct zeek_conn *z, struct conn *c, enum conn_side side,
    const struct tcp_segment *seg, int64_t offset, int64_t one_past)
{
	struct conn_half *h = &c->half[side];
	struct conn_half *peer = &c->half[conn_side_other(side)];
	struct zeek_endpoint *ep = &z->ep[side];

	if (h->state == ENDPOINT_INACTIVE) {
		if (seg->flags & TCP_FLAG_SYN) {
			ep->start = offset;
			ep->ack = offset;
			ep->last = one_past;
		} else {
			/* As though a SYN had come just before. */
			ep->start = offset - 1;
			ep->ack = offset - 1;
			ep->last = offset;
		}
	}
	zeek_update_history(z, c, side, seg, offset - ep->start);
	if (seg->window == 0 && !(seg->flags & TCP_FLAG_RST) &&
	    peer->state != ENDPOINT_CLOSED && h->state != ENDPOINT_RESET)
		zeek_zero_window(z, c, side);
	if (seg->flags & TCP_FLAG_FIN)
		h->fin_count++;
}

/* Zeek's update_ack_seq() for an endpoint already seen (not on an RST). */
static inline void
zeek_ack_advance(struct zeek_endpoint *peer_ep,
    const struct tcp_segment *seg, int64_t ack_offset)
{
	/* An ACK of 0 far ahead is more likely broken than a wrap. */
	if (seg->ack == 0 &&
	    ack_offset - peer_ep->ack > ZEEK_TOO_LARGE_SEQ_DELTA)
		return;
	if (ack_offset > peer_ep->ack)
		peer_ep->ack = ack_offset;
}

/*
 * Zeek's handling of the ACK field of side's segment (init_peer,
 * update_ack_seq); ack_offset is in the peer's stream.
 */
static inline void
zeek_ack(struct zeek_conn *z, struct conn *c, enum conn_side side,
    const struct tcp_segment *seg, int64_t ack_offset)
{
	enum conn_side peer_side = conn_side_other(side);
	struct zeek_endpoint *peer_ep = &z->ep[peer_side];

	if (c->half[peer_side].state == ENDPOINT_INACTIVE) {
		peer_ep->start = ack_offset - 1;
		peer_ep->ack = ack_offset - 1;
		peer_ep->last = ack_offset - 1;
	} else if (!(seg->flags & TCP_FLAG_RST))
		zeek_ack_advance(peer_ep, seg, ack_offset);
}

/* Zeek's update_last_seq(), with its retransmission letter. */
static inline void
zeek_update_last(struct zeek_conn *z, struct conn *c, enum conn_side side,
    const struct tcp_segment *seg, int64_t one_past)
{
	struct conn_half *h = &c->half[side];
	struct zeek_endpoint *ep = &z->ep[side];
	int64_t delta = one_past - ep->last;
	bool syn_or_rst = (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_RST)) != 0;

	if (syn_or_rst && (delta > ZEEK_TOO_LARGE_SEQ_DELTA ||
	    delta < -ZEEK_TOO_LARGE_SEQ_DELTA))
		return;
	if ((seg->flags & TCP_FLAG_FIN) && ep->last == ep->start + 1)
		ep->last = one_past;
	else if (h->state == ENDPOINT_RESET)
		return;
	else if (delta > 0)
		ep->last = one_past;
	else if (seg->payload_len > 0)
		zeek_history_scaled(z, c, side, 'T', &h->retransmissions,
		    &ep->rxmit_threshold);
}

/* An endpoint's new state; the one before is kept. */
static inline void
zeek_set_state(struct conn_half *h, enum tcp_endpoint_state state)
{
	if (state == h->state)
		return;
	h->prev_state = h->state;
	h->state = state;
}

/*
 * Zeek's UpdateStateMachine() without timers and weirds.  Not done: the
 * flip of a SYN answering a SYN+ACK (Zeek's "SYN/SYN-ACK reversal").
 */
static inline void
zeek_update_state(struct conn *c, enum conn_side side,
    const struct tcp_segment *seg)
{
	struct conn_half *ep = &c->half[side];
	struct conn_half *peer = &c->half[conn_side_other(side)];
	bool syn = (seg->flags & TCP_FLAG_SYN) != 0;
	bool fin = (seg->flags & TCP_FLAG_FIN) != 0;
	bool rst = (seg->flags & TCP_FLAG_RST) != 0;
	bool ack = (seg->flags & TCP_FLAG_ACK) != 0;

	switch (ep->state) {
	case ENDPOINT_INACTIVE:
		if (syn) {
			if (side == SIDE_ORIG)
				zeek_set_state(ep, ack ?
				    ENDPOINT_SYN_ACK_SENT : ENDPOINT_SYN_SENT);
			else {
				if (peer->state == ENDPOINT_SYN_SENT)
					zeek_set_state(peer,
					    ENDPOINT_ESTABLISHED);
				zeek_set_state(ep, ENDPOINT_ESTABLISHED);
			}
		}
		if (fin)
			zeek_set_state(ep, ENDPOINT_CLOSED);
		if (rst)
			zeek_set_state(ep, ENDPOINT_RESET);
		if (ep->state != ENDPOINT_INACTIVE)
			break;
		/* Some stacks ACK a SYN before answering it: not partial. */
		if (side == SIDE_RESP && seg->payload_len == 0 &&
		    c->half[SIDE_ORIG].state == ENDPOINT_SYN_SENT)
			break;
		if (ack && peer->state == ENDPOINT_ESTABLISHED)
			zeek_set_state(ep, ENDPOINT_ESTABLISHED);
		else
			zeek_set_state(ep, ENDPOINT_PARTIAL);
		break;
	case ENDPOINT_SYN_SENT:
	case ENDPOINT_SYN_ACK_SENT:
		if (fin)
			zeek_set_state(ep, ENDPOINT_CLOSED);
		if (rst)
			zeek_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_ESTABLISHED:
	case ENDPOINT_PARTIAL:
		if (syn && ep->state == ENDPOINT_PARTIAL &&
		    peer->state == ENDPOINT_INACTIVE && !ack)
			zeek_set_state(ep, ENDPOINT_SYN_SENT);
		if (fin && !rst) {
			zeek_set_state(ep, ENDPOINT_CLOSED);
			/* The peer's FIN then RST was a normal close. */
			if (peer->state == ENDPOINT_RESET &&
			    peer->prev_state == ENDPOINT_CLOSED)
				zeek_set_state(peer, ENDPOINT_CLOSED);
		}
		if (rst)
			zeek_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_CLOSED:
		/* After a FIN exchange an RST changes nothing. */
		if (rst && peer->state != ENDPOINT_CLOSED)
			zeek_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_RESET:
		break;
	}
}

/* Zeek's is_clean(): established, or closed after being established. */
static inline bool
zeek_endpoint_clean(const struct conn_half *h)
{
	return h->state == ENDPOINT_ESTABLISHED ||
	    (h->state == ENDPOINT_CLOSED && h->prev_state == ENDPOINT_ESTABLISHED);
}

/*
 * The part of zeek_gap() that finds holes: what Zeek's reassembler
 * reports as content gaps when the ACK moves it from peer_side's
 * delivered offset to "to" (an offset past it).
 */
void zeek_gap_account(struct zeek_conn *z, struct conn *c,
    enum conn_side peer_side, const struct stream_state *peer_st,
    int64_t to);

/*
 * Zeek's content gaps (TCP_Reassembler's Undelivered(), as far as
 * headers tell it), after the state machine has seen the segment: side's
 * ACK for ack_offset in the peer's stream (peer_st) moves the peer's
 * reassembly point there; each run of bytes on the way that no captured
 * segment held is one gap: one count for the scaled 'G' letter and its
 * length in missed_bytes, if both endpoints are established or closing
 * cleanly (so never after an RST).  The point moves in any state.
 */
static inline void
zeek_gap(struct zeek_conn *z, struct conn *c, enum conn_side side,
    const struct stream_state *peer_st, int64_t ack_offset)
{
	enum conn_side peer_side = conn_side_other(side);
	const struct conn_half *peer = &c->half[peer_side];
	struct zeek_endpoint *peer_ep = &z->ep[peer_side];
	int64_t to = ack_offset;

	/* The FIN's own sequence number is no data to wait for. */
	if (peer->fin_seen && to > (int64_t)peer->fin_offset)
		to = (int64_t)peer->fin_offset;
	if (to <= peer_ep->delivered)
		return;
	/* No hole, ACK within the data: nothing missing on the way. */
	if (peer_st->nholes == 0 && to <= peer_st->highest_end) {
		peer_ep->delivered = to;
		return;
	}
	zeek_gap_account(z, c, peer_side, peer_st, to);
}

/* Zeek's Size(): conn.log's orig_bytes / resp_bytes. */
uint64_t zeek_size(const struct zeek_conn *z, const struct conn *c,
    enum conn_side side);

#endif /* zeek_h */
