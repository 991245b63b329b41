/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * progress.h - on a terminal, one line on standard error that says which
 * case is running, "[n/N] case", and how many bytes it has moved once
 * that is more than a few MiB.  It is erased before anything else is
 * written, and never shown on a pipe or in a file.
 */
#ifndef progress_h
#define progress_h

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "case.h"

/* How often the line is looked at again while cases run. */
#define PROGRESS_TICK_MS 250

struct progress_case {
	size_t index;
	pid_t worker;
};

struct progress {
	FILE *out;			/* NULL: not a terminal, nothing shown */
	struct case_file *const *cases;
	size_t total;
	struct progress_case *running;	/* in the order they started */
	size_t nrunning, cap;
	unsigned width;
	bool shown;			/* a line is on the screen */
	int64_t drawn_ns;		/* when it was last drawn */
};

/* Show progress on standard error when it is a terminal. */
void progress_init(struct progress *p, struct case_file *const *cases, size_t total);

void progress_started(struct progress *p, size_t index, pid_t worker);
void progress_ended(struct progress *p, size_t index);

/* Draw the line again (at most a few times a second unless now). */
void progress_draw(struct progress *p, bool now);

/* Erase the line, before other output. */
void progress_clear(struct progress *p);

void progress_free(struct progress *p);

#endif /* progress_h */
