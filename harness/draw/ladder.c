/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder.c - the ladder diagram's model: lanes, calls, segments, the
 * directions' losses and the headline, copied as the caller adds them
 * (drawing: ladder-svg.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "ladder-int.h"

/* A copy of s ("" for NULL); NULL on ENOMEM. */
static char *
copy_text(const char *s)
{
	return strdup(s == NULL ? "" : s);
}

struct ladder *
ladder_new(void)
{
	struct ladder *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->fold_threshold = LADDER_DEFAULT_FOLD_THRESHOLD;
	l->fold_keep = LADDER_DEFAULT_FOLD_KEEP;
	return l;
}

void
ladder_free(struct ladder *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nlanes; i++)
		free(l->lanes[i].name);
	for (i = 0; i < l->ncalls; i++)
		free(l->calls[i].label);
	for (i = 0; i < LADDER_END_COUNT; i++)
		free(l->dirs[i].outcome);
	free(l->lanes);
	free(l->calls);
	free(l->segs);
	free(l->name);
	free(l->status);
	free(l->summary);
	free(l);
}

int
ladder_add_lane(struct ladder *l, const char *name, enum ladder_end end)
{
	struct ladder_lane *lane, *grown;

	if (l == NULL || (unsigned)end >= LADDER_END_COUNT || l->nlanes >= INT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	grown = grow_array(l->lanes, &l->lanes_cap, l->nlanes, sizeof(*l->lanes));
	if (grown == NULL)
		return -1;
	l->lanes = grown;
	lane = &l->lanes[l->nlanes];
	lane->name = copy_text(name);
	if (lane->name == NULL)
		return -1;
	lane->end = end;
	return (int)l->nlanes++;
}

int
ladder_add_call(struct ladder *l, int lane, enum ladder_call_kind kind,
    int64_t start_ns, int64_t end_ns, const char *label)
{
	struct ladder_call *c, *grown;

	if (l == NULL || lane < 0 || (size_t)lane >= l->nlanes ||
	    (unsigned)kind >= LADDER_CALL_KIND_COUNT || end_ns < start_ns) {
		errno = EINVAL;
		return -1;
	}
	grown = grow_array(l->calls, &l->calls_cap, l->ncalls, sizeof(*l->calls));
	if (grown == NULL)
		return -1;
	l->calls = grown;
	c = &l->calls[l->ncalls];
	c->label = copy_text(label);
	if (c->label == NULL)
		return -1;
	c->lane = lane;
	c->kind = kind;
	c->start_ns = start_ns;
	c->end_ns = end_ns;
	c->order = l->next_order++;
	l->ncalls++;
	return 0;
}

int
ladder_add_segment(struct ladder *l, const struct ladder_segment *seg)
{
	struct ladder_entry *grown;

	if (l == NULL || seg == NULL || (unsigned)seg->from >= LADDER_END_COUNT) {
		errno = EINVAL;
		return -1;
	}
	grown = grow_array(l->segs, &l->segs_cap, l->nsegs, sizeof(*l->segs));
	if (grown == NULL)
		return -1;
	l->segs = grown;
	l->segs[l->nsegs].s = *seg;
	l->segs[l->nsegs].order = l->next_order++;
	l->nsegs++;
	return 0;
}

int
ladder_set_direction(struct ladder *l, enum ladder_end writer,
    uint64_t written, uint64_t read, const char *outcome)
{
	struct ladder_direction *d;
	char *text;

	if (l == NULL || (unsigned)writer >= LADDER_END_COUNT) {
		errno = EINVAL;
		return -1;
	}
	text = copy_text(outcome);
	if (text == NULL)
		return -1;
	d = &l->dirs[writer];
	free(d->outcome);
	d->outcome = text;
	d->set = true;
	d->written = written;
	d->read = read;
	return 0;
}

int
ladder_add_loss(struct ladder *l, enum ladder_end writer,
    enum ladder_loss_kind kind, uint64_t bytes)
{
	if (l == NULL || (unsigned)writer >= LADDER_END_COUNT ||
	    (unsigned)kind >= LADDER_LOSS_KIND_COUNT) {
		errno = EINVAL;
		return -1;
	}
	l->dirs[writer].loss_set[kind] = true;
	l->dirs[writer].loss[kind] = bytes;
	return 0;
}

int
ladder_set_headline(struct ladder *l, const char *name, const char *status,
    const char *summary)
{
	char *n, *st, *su;

	if (l == NULL) {
		errno = EINVAL;
		return -1;
	}
	n = copy_text(name);
	st = copy_text(status);
	su = copy_text(summary);
	if (n == NULL || st == NULL || su == NULL) {
		free(n);
		free(st);
		free(su);
		return -1;
	}
	free(l->name);
	free(l->status);
	free(l->summary);
	l->name = n;
	l->status = st;
	l->summary = su;
	return 0;
}

void
ladder_set_folding(struct ladder *l, size_t threshold, size_t keep)
{
	if (l == NULL)
		return;
	l->fold_threshold = threshold;
	l->fold_keep = keep;
}
