/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * teardown.c - first FIN and RST, loss-risk flags, teardown class (see
 * teardown.h and conntrack.h).
 */
#include "teardown.h"

#include <stdbool.h>
#include <string.h>

void
teardown_flag_rst(struct conn *c, enum conn_side side,
    const struct stream_state stream[2])
{
	struct conn_half *h = &c->half[side];
	const struct stream_state *st = &stream[side];
	const struct stream_state *peer_st = &stream[conn_side_other(side)];

	if (st->highest_end > st->highest_ack) {
		if (!(h->unacked_at_rst > 0))
			h->unacked_at_rst =
			    (uint64_t)(st->highest_end - st->highest_ack);
		c->flags |= CONN_FLAG_RST_UNACKED;
	}
	/*
	 * Only the first RST's view counts: later ones answer what it left.
	 * The RST's own ACK is not counted (it is not yet applied here):
	 * data that reached the kernel but not the application is
	 * acknowledged by it all the same.
	 */
	if (h->rst_count == 1 && peer_st->highest_end > peer_st->highest_ack)
		h->peer_unacked_at_rst = (uint64_t)(peer_st->highest_end - peer_st->highest_ack);
	/* The peer's data this side never acknowledged is as much at risk. */
	if (h->peer_unacked_at_rst > 0)
		c->flags |= CONN_FLAG_RST_UNACKED;
	/* Data the peer sent after this side's FIN, refused by this RST. */
	if (h->fin_seen && peer_st->data_after_peer_fin && h->peer_unacked_at_rst > 0)
		c->flags |= CONN_FLAG_RST_AFTER_FIN_DATA;
	if (peer_st->window_seen && peer_st->last_window == 0)
		c->flags |= CONN_FLAG_RST_ZERO_WINDOW;
}

void
teardown_finish(struct conn *c)
{
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		if (c->half[side].hole_bytes > 0)
			c->flags |= CONN_FLAG_HOLE;
		if (c->half[side].acked_unseen_bytes > 0)
			c->flags |= CONN_FLAG_ACKED_UNSEEN;
	}
}

/* The record index of the first RST of either side, if there is one. */
static bool
first_rst_index(const struct conn *c, uint64_t *index)
{
	bool rst_seen = false;
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		if (c->half[side].rst_count == 0)
			continue;
		if (!rst_seen || c->half[side].first_rst_index < *index)
			*index = c->half[side].first_rst_index;
		rst_seen = true;
	}
	return rst_seen;
}

/*
 * An RST that comes after both sides' FINs and refuses no data ends
 * nothing: both had closed, and the RST only answers a stray segment (a
 * duplicate reordered on the path, say) that reached a socket already
 * gone.  It is reported, but it neither makes the teardown an RST nor
 * hides a reset from a reader.  One that answers new data (the peer sent
 * more after the closer's FIN, with or without its own FIN) refused it:
 * that RST matters like any other; so does one whose ACK stops short of
 * the peer's FIN: it was sent before that FIN arrived (the two crossed on
 * the path), as the closer's own abort.
 */
bool
conn_rst_is_late(const struct conn *c)
{
	uint64_t rst_index = 0;

	return first_rst_index(c, &rst_index) &&
	    c->half[SIDE_ORIG].fin_seen && c->half[SIDE_RESP].fin_seen &&
	    c->half[SIDE_ORIG].fin_index < rst_index &&
	    c->half[SIDE_RESP].fin_index < rst_index &&
	    c->first_rst_side >= 0 && c->half[c->first_rst_side].peer_unacked_at_rst == 0 &&
	    !c->half[c->first_rst_side].rst_crossed_peer_fin;
}

enum teardown_class
teardown_classify(const struct conn *c)
{
	uint64_t rst_index = 0;
	int side;

	if (c == NULL)
		return TEARDOWN_NONE;
	if (first_rst_index(c, &rst_index)) {
		/* Both sides had finished: the connection ended with FIN. */
		if (conn_rst_is_late(c))
			return TEARDOWN_FIN;
		for (side = SIDE_ORIG; side <= SIDE_RESP; side++)
			if (c->half[side].fin_seen &&
			    c->half[side].fin_index <= rst_index)
				return TEARDOWN_FIN_THEN_RST;
		return TEARDOWN_RST;
	}
	if (c->half[SIDE_ORIG].fin_seen && c->half[SIDE_RESP].fin_seen)
		return TEARDOWN_FIN;
	if (c->half[SIDE_ORIG].fin_seen || c->half[SIDE_RESP].fin_seen)
		return TEARDOWN_HALF_FIN;
	return TEARDOWN_NONE;
}

static const struct {
	enum conn_flag flag;
	const char *name;
} conn_flag_names[CONN_FLAG_COUNT] = {
	{ CONN_FLAG_RST_UNACKED, "rst-unacked" },
	{ CONN_FLAG_RST_AFTER_FIN_DATA, "rst-after-fin-data" },
	{ CONN_FLAG_RST_ZERO_WINDOW, "rst-zero-window" },
	{ CONN_FLAG_HOLE, "hole" },
	{ CONN_FLAG_ACKED_UNSEEN, "acked-unseen" }
};

const char *
conn_flag_name(enum conn_flag f)
{
	int i;

	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (conn_flag_names[i].flag == f)
			return conn_flag_names[i].name;
	return "unknown";
}

unsigned
conn_flag_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return 0;
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (strcmp(name, conn_flag_names[i].name) == 0)
			return (unsigned)conn_flag_names[i].flag;
	return 0;
}

const char *
teardown_class_name(enum teardown_class c)
{
	switch (c) {
	case TEARDOWN_NONE:
		return "none";
	case TEARDOWN_FIN:
		return "fin";
	case TEARDOWN_HALF_FIN:
		return "half-fin";
	case TEARDOWN_RST:
		return "rst";
	case TEARDOWN_FIN_THEN_RST:
		return "fin-then-rst";
	}
	return "unknown";
}

const char *
conn_rst_kind_name(enum rst_kind k)
{
	switch (k) {
	case RST_KIND_NONE:
		return "none";
	case RST_KIND_WITH_ACK:
		return "RST+ACK";
	case RST_KIND_BARE:
		return "bare RST";
	}
	return "unknown";
}

const char *
conn_side_name(enum conn_side side)
{
	switch (side) {
	case SIDE_ORIG:
		return "originator";
	case SIDE_RESP:
		return "responder";
	}
	return "unknown";
}
