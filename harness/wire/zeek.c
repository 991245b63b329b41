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

void
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

/* Zeek's CheckHistory(): record the letter once; true if it was already. */
static bool
history_check(struct zeek_conn *z, struct conn *c, enum conn_side side,
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
static void
update_history(struct zeek_conn *z, struct conn *c, enum conn_side side,
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
			history_check(z, c, side, ZEEK_HIST_FIN_RST_PKT, 'I');
		else
			history_check(z, c, side, ZEEK_HIST_MULTI_FLAG_PKT,
			    'Q');
	} else if (syn) {
		code = ack ? 'H' : 'S';
		if (history_check(z, c, side, ZEEK_HIST_SYN_PKT, code) &&
		    rel != ep->hist_last_syn)
			zeek_history_add(z, c, side, code);
		ep->hist_last_syn = rel;
	} else if (fin) {
		/* A FIN's sequence number is at the end of its data. */
		if (history_check(z, c, side, ZEEK_HIST_FIN_PKT, 'F') &&
		    rel + seg->payload_len != ep->hist_last_fin)
			zeek_history_add(z, c, side, 'F');
		ep->hist_last_fin = rel + seg->payload_len;
	} else if (rst) {
		if (history_check(z, c, side, ZEEK_HIST_RST_PKT, 'R') &&
		    rel != ep->hist_last_rst)
			zeek_history_add(z, c, side, 'R');
		ep->hist_last_rst = rel;
	} else if (seg->payload_len > 0)
		history_check(z, c, side, ZEEK_HIST_DATA_PKT, 'D');
	else if (ack)
		history_check(z, c, side, ZEEK_HIST_ACK_PKT, 'A');
}

void
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
	update_history(z, c, side, seg, offset - ep->start);
	if (seg->window == 0 && !(seg->flags & TCP_FLAG_RST) &&
	    peer->state != ENDPOINT_CLOSED && h->state != ENDPOINT_RESET)
		zeek_zero_window(z, c, side);
	if (seg->flags & TCP_FLAG_FIN)
		h->fin_count++;
}

void
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

static void
endpoint_set_state(struct conn_half *h, enum tcp_endpoint_state state)
{
	if (state == h->state)
		return;
	h->prev_state = h->state;
	h->state = state;
}

void
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
				endpoint_set_state(ep, ack ?
				    ENDPOINT_SYN_ACK_SENT : ENDPOINT_SYN_SENT);
			else {
				if (peer->state == ENDPOINT_SYN_SENT)
					endpoint_set_state(peer,
					    ENDPOINT_ESTABLISHED);
				endpoint_set_state(ep, ENDPOINT_ESTABLISHED);
			}
		}
		if (fin)
			endpoint_set_state(ep, ENDPOINT_CLOSED);
		if (rst)
			endpoint_set_state(ep, ENDPOINT_RESET);
		if (ep->state != ENDPOINT_INACTIVE)
			break;
		/* Some stacks ACK a SYN before answering it: not partial. */
		if (side == SIDE_RESP && seg->payload_len == 0 &&
		    c->half[SIDE_ORIG].state == ENDPOINT_SYN_SENT)
			break;
		if (ack && peer->state == ENDPOINT_ESTABLISHED)
			endpoint_set_state(ep, ENDPOINT_ESTABLISHED);
		else
			endpoint_set_state(ep, ENDPOINT_PARTIAL);
		break;
	case ENDPOINT_SYN_SENT:
	case ENDPOINT_SYN_ACK_SENT:
		if (fin)
			endpoint_set_state(ep, ENDPOINT_CLOSED);
		if (rst)
			endpoint_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_ESTABLISHED:
	case ENDPOINT_PARTIAL:
		if (syn && ep->state == ENDPOINT_PARTIAL &&
		    peer->state == ENDPOINT_INACTIVE && !ack)
			endpoint_set_state(ep, ENDPOINT_SYN_SENT);
		if (fin && !rst) {
			endpoint_set_state(ep, ENDPOINT_CLOSED);
			/* The peer's FIN then RST was a normal close. */
			if (peer->state == ENDPOINT_RESET &&
			    peer->prev_state == ENDPOINT_CLOSED)
				endpoint_set_state(peer, ENDPOINT_CLOSED);
		}
		if (rst)
			endpoint_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_CLOSED:
		/* After a FIN exchange an RST changes nothing. */
		if (rst && peer->state != ENDPOINT_CLOSED)
			endpoint_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_RESET:
		break;
	}
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
