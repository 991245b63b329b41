/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * teardown.h - closeprobe's own view of how a connection ended (private
 * to conntable.c): the first FIN and RST of each side with their record
 * numbers, the loss-risk flags (enum conn_flag), and the teardown class
 * (teardown.c; the classification and names are public in conntrack.h).
 * teardown_track() runs on every segment of the tracker's general path:
 * static inline here.
 */
#ifndef teardown_h
#define teardown_h

#include <stdint.h>

#include "conntrack.h"
#include "decode.h"
#include "stream.h"

/*
 * The loss-risk flags an RST from side raises (stream[]: both streams),
 * before the RST segment's own FIN is recorded.
 */
void teardown_flag_rst(struct conn *c, enum conn_side side,
    const struct stream_state stream[2]);

/*
 * Side's segment seg, record index, after stream_track_sender(): its RST
 * (first RST, kind, the flags an RST raises) and FIN (first FIN), and
 * whether the connection has ended.  stream[] is the connection's two
 * streams; offset is that of seg->seq in side's stream.
 */
static inline void
teardown_track(struct conn *c, enum conn_side side,
    const struct stream_state stream[2], const struct tcp_segment *seg,
    uint64_t index, int64_t offset)
{
	struct conn_half *h = &c->half[side];
	/* The SYN takes one sequence number; data starts after it. */
	int64_t start = offset + ((seg->flags & TCP_FLAG_SYN) ? 1 : 0);
	int64_t end = start + seg->payload_len;

	if (seg->flags & TCP_FLAG_RST) {
		h->rst_count++;
		if (h->rst_count == 1) {
			h->first_rst_kind = (seg->flags & TCP_FLAG_ACK) ?
			    RST_KIND_WITH_ACK : RST_KIND_BARE;
			h->first_rst_ts_ns = seg->ts_ns;
			h->first_rst_index = index;
			h->first_rst_offset = stream_offset_bytes(start);
			h->rst_crossed_peer_fin = (seg->flags & TCP_FLAG_ACK) &&
			    c->half[conn_side_other(side)].fin_seen &&
			    (int32_t)(seg->ack - c->half[conn_side_other(side)].fin_next_seq) < 0;
		}
		if (c->first_rst_side < 0)
			c->first_rst_side = side;
		c->ended = true;
		/* Before this segment's FIN: the flags ask for an earlier one. */
		teardown_flag_rst(c, side, stream);
	}
	if ((seg->flags & TCP_FLAG_FIN) && !h->fin_seen) {
		h->fin_seen = true;
		h->fin_ts_ns = seg->ts_ns;
		h->fin_index = index;
		h->fin_offset = stream_offset_bytes(end);
		h->fin_next_seq = seg->seq + ((seg->flags & TCP_FLAG_SYN) ? 1 : 0) +
		    seg->payload_len + 1;
		if (c->first_fin_side < 0)
			c->first_fin_side = side;
		stream_update_acked(h, &stream[side]);
	}
	if (c->half[SIDE_ORIG].fin_seen && c->half[SIDE_RESP].fin_seen)
		c->ended = true;
}

/* When finished, after stream_finish(): the hole and acked-unseen flags. */
void teardown_finish(struct conn *c);

#endif /* teardown_h */
