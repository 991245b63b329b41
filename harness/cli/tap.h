/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tap.h - the run as TAP 14 (closeprobe run --tap), for CI dashboards and
 * automake's TAP driver: one test point per case run; each expectation a
 * test point of its subtest, with what was observed in its YAML block;
 * the evidence files in the case run's YAML block.  A case run that
 * skipped is "ok ... # SKIP why"; one that failed is "not ok"; a harness
 * error (a case's ERROR, a case file that did not parse, a stop signal)
 * is "not ok" too, and the stream ends with "Bail out!", which is how TAP
 * tells an error from a failure.
 */
#ifndef tap_h
#define tap_h

#include <stddef.h>
#include <stdio.h>

#include "platform.h"
#include "runrecord.h"
#include "tally.h"

struct tap {
	FILE *out;
	size_t n;	/* test points written */
};

/* The version line, the platform as a comment, the plan. */
void tap_begin(struct tap *t, FILE *out, const struct platform *p, size_t planned);

/* One case run's test point (and its subtest). */
void tap_run(struct tap *t, const struct runrecord *r);

/* "Bail out!" when the tally holds a harness error. */
void tap_end(struct tap *t, const struct tally *tally);

#endif /* tap_h */
