/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * zeek.c - Zeek's endpoint states, history letters, sizes and
 * conn_state (see zeek.h).
 */
#include "zeek.h"

#include <string.h>

void
zeek_init(struct zeek_conn *z, struct conn *c)
{
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		z->ep[side].rxmit_threshold = 1;
		z->ep[side].win0_threshold = 1;
		z->ep[side].gap_threshold = 1;
	}
	/* Zeek flips a connection first seen as a SYN+ACK and says '^'. */
	if (c->flipped)
		c->history[z->history_len++] = '^';
}

/*
 * Where Zeek's reassembler stands once the data captured from at on has
 * been delivered: at itself if no segment held the byte at at (inside a
 * hole, or past the highest data), else the next hole or the highest end.
 */
static int64_t
delivered_from(const struct stream_state *st, int64_t at)
{
	size_t i;

	for (i = 0; i < st->nholes; i++) {
		if (st->holes[i].end <= at)
			continue;
		return st->holes[i].start <= at ? at : st->holes[i].start;
	}
	return at > st->highest_end ? at : st->highest_end;
}

/* The end of the run of missing bytes that starts at at. */
static int64_t
missing_until(const struct stream_state *st, int64_t at)
{
	size_t i;

	for (i = 0; i < st->nholes; i++)
		if (st->holes[i].start <= at && at < st->holes[i].end)
			return st->holes[i].end;
	return INT64_MAX;	/* past the highest data: up to the ACK */
}

void
zeek_gap_account(struct zeek_conn *z, struct conn *c, enum conn_side peer_side,
    const struct stream_state *peer_st, int64_t to)
{
	struct zeek_endpoint *ep = &z->ep[peer_side];
	struct conn_half *h = &c->half[peer_side];
	bool clean = zeek_endpoint_clean(h) &&
	    zeek_endpoint_clean(&c->half[conn_side_other(peer_side)]);
	int64_t at = delivered_from(peer_st, ep->delivered), until;

	while (at < to) {
		until = missing_until(peer_st, at);
		if (until > to)
			until = to;
		if (clean) {
			h->missed_bytes += (uint64_t)(until - at);
			zeek_history_scaled(z, c, peer_side, 'G', &h->gaps,
			    &ep->gap_threshold);
		}
		at = delivered_from(peer_st, until);
	}
	ep->delivered = at;
}

uint64_t
zeek_size(const struct zeek_conn *z, const struct conn *c,
    enum conn_side side)
{
	const struct conn_half *h = &c->half[side];
	const struct conn_half *peer = &c->half[conn_side_other(side)];
	const struct zeek_endpoint *ep = &z->ep[side];
	int64_t top, acked_from_start = ep->ack - ep->start;
	uint64_t size;

	/* A half-open connection discovered and aborted. */
	if (h->prev_state == ENDPOINT_SYN_SENT && h->state == ENDPOINT_RESET &&
	    peer->state == ENDPOINT_INACTIVE &&
	    acked_from_start != 0 && acked_from_start != 1)
		return 0;
	top = ep->last > ep->ack ? ep->last : ep->ack;
	if (top <= ep->start)
		return 0;
	size = (uint64_t)(top - ep->start) - 1;		/* the SYN */
	if (h->fin_count > 0 && size != 0)
		size--;					/* the FIN */
	return size;
}

/*
 * Zeek's RSTOS0 test: the whole history matches the pattern
 * ^\^?S[^HAFGIQ]*R.* (an originator's SYN, then its RST before any
 * handshake, ACK, FIN, gap or odd flags).
 */
static bool
history_is_syn_then_rst(const char *history)
{
	const char *p = history;

	if (*p == '^')
		p++;
	if (*p++ != 'S')
		return false;
	for (; *p != '\0'; p++) {
		if (*p == 'R')
			return true;
		if (strchr("HAFGIQ", *p) != NULL)
			return false;
	}
	return false;
}

static bool
endpoint_inactive(enum tcp_endpoint_state state)
{
	return state == ENDPOINT_INACTIVE || state == ENDPOINT_PARTIAL;
}

enum conn_state
conn_state_classify(const struct conn *c)
{
	enum tcp_endpoint_state os, rs;
	bool o_inactive, r_inactive;

	if (c == NULL)
		return CONN_STATE_OTH;
	os = c->half[SIDE_ORIG].state;
	rs = c->half[SIDE_RESP].state;
	o_inactive = endpoint_inactive(os);
	r_inactive = endpoint_inactive(rs);
	if (rs == ENDPOINT_RESET) {
		if (os == ENDPOINT_SYN_SENT || os == ENDPOINT_SYN_ACK_SENT ||
		    (os == ENDPOINT_RESET && c->half[SIDE_ORIG].size == 0 &&
		    c->half[SIDE_RESP].size == 0))
			return CONN_STATE_REJ;
		return o_inactive ? CONN_STATE_RSTRH : CONN_STATE_RSTR;
	}
	if (os == ENDPOINT_RESET) {
		if (!r_inactive)
			return CONN_STATE_RSTO;
		return history_is_syn_then_rst(c->history) ?
		    CONN_STATE_RSTOS0 : CONN_STATE_OTH;
	}
	if (rs == ENDPOINT_CLOSED && os == ENDPOINT_CLOSED)
		return CONN_STATE_SF;
	if (os == ENDPOINT_CLOSED)
		return r_inactive ? CONN_STATE_SH : CONN_STATE_S2;
	if (rs == ENDPOINT_CLOSED)
		return o_inactive ? CONN_STATE_SHR : CONN_STATE_S3;
	if (os == ENDPOINT_SYN_SENT && rs == ENDPOINT_INACTIVE)
		return CONN_STATE_S0;
	if (os == ENDPOINT_ESTABLISHED && rs == ENDPOINT_ESTABLISHED)
		return CONN_STATE_S1;
	return CONN_STATE_OTH;
}

static const char *const conn_state_names[CONN_STATE_COUNT] = {
	[CONN_STATE_S0] = "S0",
	[CONN_STATE_S1] = "S1",
	[CONN_STATE_SF] = "SF",
	[CONN_STATE_REJ] = "REJ",
	[CONN_STATE_S2] = "S2",
	[CONN_STATE_S3] = "S3",
	[CONN_STATE_RSTO] = "RSTO",
	[CONN_STATE_RSTR] = "RSTR",
	[CONN_STATE_RSTOS0] = "RSTOS0",
	[CONN_STATE_RSTRH] = "RSTRH",
	[CONN_STATE_SH] = "SH",
	[CONN_STATE_SHR] = "SHR",
	[CONN_STATE_OTH] = "OTH"
};

const char *
conn_state_name(enum conn_state s)
{
	if ((unsigned)s >= CONN_STATE_COUNT)
		return "unknown";
	return conn_state_names[s];
}

int
conn_state_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CONN_STATE_COUNT; i++)
		if (strcmp(name, conn_state_names[i]) == 0)
			return i;
	return -1;
}
