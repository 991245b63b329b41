/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * baseline.h - baselines (signatures kept in a file) and comparisons of a
 * run with one, in the spirit of kernel CI: a regression is a result that
 * differs from the last run that passed, not a hand-written expectation.
 *
 * The file is text, one line per case and field, so that a reviewer reads
 * a change of a kept baseline as a diff:
 *
 *	# closeprobe baseline 1
 *	platform Linux 6.1.0-28-cloud-amd64 (linux)
 *	runs 3
 *	close-unread-truncates/4 teardown = rst from server
 *	veth-lossy-truncates/4 rsts server ~ 1 | 2 or more
 *
 * "=" holds a field that was the same in every run recorded; "~" a flaky
 * one, with each value it took.
 */
#ifndef baseline_h
#define baseline_h

#include <stdio.h>

#include "signature.h"

#define BASELINE_MAGIC "# closeprobe baseline 1"

/* Write set as a baseline file.  0, or -1 with errno (the stream's). */
int baseline_write(const struct signature_set *set, FILE *out);

/*
 * Read a baseline file's text into set (initialised by the caller).  0, or
 * -1 with err "LINE: what".
 */
int baseline_read(const char *text, size_t len, struct signature_set *set,
    char *err, size_t errlen);

/*
 * Load what a path holds into set: a baseline file, or the JSON of a
 * run (closeprobe run --json), told apart by their first bytes.  0, or -1
 * with err "PATH: what".
 */
int baseline_load(const char *path, struct signature_set *set, char *err, size_t errlen);

enum compare_verdict {
	COMPARE_SAME,		/* every field as in the baseline */
	COMPARE_CHANGED,	/* some field differs */
	COMPARE_NEW,		/* not in the baseline */
	COMPARE_MISSING,	/* in the baseline, not in the run */
	COMPARE_FLAKY		/* a field took several values within the run, one
				 * of them new; no field simply changed */
};

struct compare_change {
	const char *field;
	char *before;		/* "rst from server", or "a | b" for a flaky field */
	char *after;
};

struct compare_result {
	const char *key;		/* "close-unread-truncates/4" */
	enum compare_verdict verdict;
	struct compare_change *changes;	/* CHANGED and FLAKY: the fields */
	size_t nchanges;
	const char *info_before;	/* byte counts and time, shown only */
	const char *info_after;
};

struct comparison {
	struct compare_result *results;	/* the baseline's order, then new cases */
	size_t count;
	size_t tally[COMPARE_FLAKY + 1];	/* per verdict */
};

/*
 * Compare run with base, leaving out the fields that match one of the
 * nignore globs (fnmatch, against the field's name, "kernel *", or
 * against "CASE/FAMILY FIELD").  0, or -1 (out of memory).
 */
int baseline_compare(const struct signature_set *base, const struct signature_set *run,
    const char *const *ignore, size_t nignore, struct comparison *out);
void baseline_comparison_free(struct comparison *c);

const char *baseline_verdict_name(enum compare_verdict v);	/* "changed" */

#endif /* baseline_h */
