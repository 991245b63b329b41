/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tally.h - what a run came to: how many case runs ended how (a "family
 * both" case is two runs), which did not pass or did not run, and the
 * exit status that follows; said as the last line of the text and as the
 * "summary" object of the JSON.
 */
#ifndef tally_h
#define tally_h

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

#define TALLY_STATUSES 5	/* enum case_status */

/* A field that took more than one value over the runs of one case
 * (closeprobe run --repeat N). */
struct tally_flaky {
	char *key;		/* "veth-lossy-truncates/4" */
	char *field;		/* "lost server->client" */
	char **values;		/* each value it took, in the order first seen */
	size_t nvalues;
	bool more;		/* more values than the signature keeps */
};

struct tally {
	size_t cases;			/* cases named */
	size_t started;			/* cases that ran (the others did not run) */
	size_t runs;			/* case runs reported */
	size_t count[TALLY_STATUSES];	/* case runs by enum case_status */
	size_t bad_files;		/* case files refused (not parsed, a name twice): nothing ran */
	int stopped_by;			/* the stop signal, or 0 */
	char **labels[TALLY_STATUSES];	/* the runs that did not pass, by status */
	char **not_run;			/* the cases that did not run */
	bool failed;			/* out of memory: names are missing */
	struct tally_flaky *flaky;	/* tally_find_flaky(): the fields that flipped */
	size_t nflaky;
};

void tally_init(struct tally *t, size_t cases);

/* One case run ended with status; label names it ("x (IPv6)"). */
void tally_add(struct tally *t, enum case_status status, const char *label);

/* A case that did not run (a stop signal came first). */
void tally_not_run(struct tally *t, const char *name);

/* PASS, FAIL, SKIP, ERROR, UNSUPPORTED. */
const char *tally_status_name(enum case_status status);

/* The exit status: 99 any error (a case's, a bad case file, a stop), else 1 any failure, else 77 when something skipped or was
 * unsupported and nothing passed, else 0. */
int tally_exit_status(const struct tally *t);

/* Worth a summary line: more than one case run, or a case not run. */
bool tally_worth_saying(const struct tally *t);

/* "closeprobe: 42 case runs of 36 cases: 41 passed, 0 failed, 1 skipped,
 * 0 errors; skipped: veth-delay-needs-netem", and a newline; "N
 * unsupported" before the errors only when some were. */
void tally_write_text(const struct tally *t, FILE *out);

/*
 * The fields that flipped between the runs of a case: records[0..n) are
 * the runs' JSON objects, as rundoc_record() writes them, folded into
 * signatures (signature.h) as one run document; every field that took
 * more than one value is kept in t->flaky.  Not a failure: the exit
 * status does not change.  0, or -1 with err (a record that does not
 * parse, out of memory).
 */
int tally_find_flaky(struct tally *t, char *const *records, size_t n, char *err,
    size_t errlen);

/* "flaky: KEY FIELD: V1 | V2", a line per flaky field (nothing when none). */
void tally_write_flaky(const struct tally *t, FILE *out);

/* The same as one JSON object (no newline), with a "flaky" array of
 * {"case","field","values"}. */
void tally_write_json(const struct tally *t, FILE *out);

void tally_free(struct tally *t);

#endif /* tally_h */
