/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stream.c - per-direction stream accounting: holes in the sequence
 * space, the highest data and ACK, the window (see stream.h).
 */
#include "stream.h"

#include <stdlib.h>
#include <string.h>

/* Give up the lowest hole: it counts as never filled. */
static void
holes_retire_lowest(struct stream_state *st)
{
	struct stream_hole *lowest = &st->holes[0];

	st->retired_hole_bytes += (uint64_t)(lowest->end - lowest->start);
	if (lowest->end > st->retired_hole_end)
		st->retired_hole_end = lowest->end;
	st->nholes--;
	memmove(&st->holes[0], &st->holes[1],
	    st->nholes * sizeof(st->holes[0]));
}

/* Captured bytes [start, end), all below highest_end, fill holes. */
static void
holes_fill(struct stream_state *st, int64_t start, int64_t end)
{
	struct stream_hole *h;
	size_t i = 0;

	while (i < st->nholes) {
		h = &st->holes[i];
		if (h->end <= start) {
			i++;
			continue;
		}
		if (h->start >= end)
			break;
		if (start <= h->start && end >= h->end) {
			st->nholes--;
			memmove(&st->holes[i], &st->holes[i + 1],
			    (st->nholes - i) * sizeof(st->holes[0]));
			continue;
		}
		if (start <= h->start) {
			h->start = end;
			break;
		}
		if (end >= h->end) {
			h->end = start;
			i++;
			continue;
		}
		/* The middle of the hole: split it in two. */
		if (st->nholes == st->holes_capacity) {
			holes_retire_lowest(st);
			if (i == 0)
				break;
			i--;
			h = &st->holes[i];
		}
		memmove(&st->holes[i + 2], &st->holes[i + 1],
		    (st->nholes - i - 1) * sizeof(st->holes[0]));
		st->holes[i + 1].start = end;
		st->holes[i + 1].end = h->end;
		h->end = start;
		st->nholes++;
		break;
	}
}

void
stream_note_data(struct stream_state *st, int64_t start, int64_t end)
{
	if (start < 0)
		start = 0;
	if (end <= start)
		return;
	if (start > st->highest_end) {
		if (st->holes == NULL)
			return;	/* stream_reserve() failed: cannot be */
		if (st->nholes == st->holes_capacity)
			holes_retire_lowest(st);
		st->holes[st->nholes].start = st->highest_end;
		st->holes[st->nholes].end = start;
		st->nholes++;
	} else if (st->nholes > 0)
		holes_fill(st, start,
		    end < st->highest_end ? end : st->highest_end);
}

int
stream_holes_alloc(struct stream_state *st)
{
	st->holes = calloc(STREAM_MAX_HOLES, sizeof(*st->holes));
	if (st->holes == NULL)
		return -1;
	st->holes_capacity = STREAM_MAX_HOLES;
	return 0;
}

void
stream_finish(const struct stream_state *st, struct conn_half *h)
{
	int64_t acked = (int64_t)h->acked_bytes, from, to;
	uint64_t missed = st->retired_hole_bytes, unseen;
	size_t i;

	unseen = acked > st->highest_end ?
	    (uint64_t)(acked - st->highest_end) : 0;
	for (i = 0; i < st->nholes; i++) {
		missed += (uint64_t)(st->holes[i].end - st->holes[i].start);
		from = st->holes[i].start;
		to = st->holes[i].end < acked ? st->holes[i].end : acked;
		if (to > from)
			unseen += (uint64_t)(to - from);
	}
	if (st->retired_hole_bytes > 0 && acked >= st->retired_hole_end)
		unseen += st->retired_hole_bytes;
	h->hole_bytes = missed;
	h->acked_unseen_bytes = unseen;
}

void
stream_free(struct stream_state *st)
{
	free(st->holes);
	st->holes = NULL;
	st->nholes = 0;
	st->holes_capacity = 0;
}
