/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * display.h - the text a person reads: the platform line, each case run's
 * verdict (or one line per run with --brief), on a terminal wrapped to
 * its width with the statuses in colour; on a pipe or in a file, the
 * runner's lines exactly as they are.
 */
#ifndef display_h
#define display_h

#include <stdbool.h>
#include <stdio.h>

#include "platform.h"
#include "runrecord.h"

struct display {
	FILE *out;
	bool brief;		/* one line per case run */
	bool colour;		/* a terminal, and NO_COLOR not set */
	unsigned width;		/* the terminal's columns; 0: do not wrap */
};

/* Write to out; whether it is a terminal decides wrapping and colour. */
void display_init(struct display *d, FILE *out, bool brief);

/* "platform: Linux 6.1.0 x86_64, stack linux 6.1.0, ...". */
void display_platform(const struct display *d, const struct platform *p);

/* A case run: its verdict text, or its one line. */
void display_run(const struct display *d, const struct runrecord *r);

#endif /* display_h */
