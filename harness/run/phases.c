/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * phases.c - where a case's wall time went (see phases.h).
 */
#include "monotime.h"
#include "phases.h"

static const char *const phase_names[PHASE_COUNT] = {
	[PHASE_SETUP] = "setup",
	[PHASE_ROLES] = "roles",
	[PHASE_SETTLE] = "settle",
	[PHASE_CAPTURE_CLOSE] = "capture_close",
	[PHASE_JUDGING] = "judging",
};

void
phases_start(struct phases *p, int64_t started_ns)
{
	int i;

	p->started_ns = p->mark_ns = started_ns;
	p->current = PHASE_SETUP;
	for (i = 0; i < PHASE_COUNT; i++)
		p->ns[i] = 0;
}

void
phases_enter(struct phases *p, enum phase next)
{
	int64_t now = monotime_ns();

	if (p->current < PHASE_COUNT)
		p->ns[p->current] += now - p->mark_ns;
	p->mark_ns = now;
	p->current = next;
}

void
phases_stop(struct phases *p)
{
	phases_enter(p, PHASE_COUNT);
}

double
phases_seconds(const struct phases *p, enum phase phase)
{
	return phase < PHASE_COUNT ? (double)p->ns[phase] / 1e9 : 0.0;
}

double
phases_total_seconds(const struct phases *p)
{
	int64_t end = p->current < PHASE_COUNT ? monotime_ns() : p->mark_ns;

	return (double)(end - p->started_ns) / 1e9;
}

const char *
phases_name(enum phase phase)
{
	return phase < PHASE_COUNT ? phase_names[phase] : "?";
}
