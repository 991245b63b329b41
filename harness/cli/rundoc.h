/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rundoc.h - the JSON document of a run (--json FILE, or - for standard
 * output):
 *
 *   {"version":"...","platform":{...},"cases":[
 *   RUN,
 *   RUN
 *   ],"summary":{...}}
 *
 * one object per case run on a line of its own, in case order; a case
 * file that did not parse, or a run the runner gave no JSON for, has a
 * record that says why ("status":"ERROR", "error").
 */
#ifndef rundoc_h
#define rundoc_h

#include <stdbool.h>
#include <stdio.h>

#include "platform.h"
#include "tally.h"

struct rundoc {
	FILE *out;
	const char *path;	/* as named; "-" is standard output */
	bool first;
};

/* Open path ("-": standard output).  0, or -1 (said). */
int rundoc_open(struct rundoc *d, const char *path);

/* The header: the version and the platform (NULL: null). */
void rundoc_begin(struct rundoc *d, const struct platform *p);

/* One case run's object, as the runner made it. */
void rundoc_record(struct rundoc *d, const char *json);

/* A record for a run without the runner's JSON: name (NULL: unknown),
 * file, family (0: unknown), status and why.  malloc'd, or NULL. */
char *rundoc_error_record(const char *name, const char *file, int family,
    const char *status, const char *error);

/* The summary, and close.  0, or -1 when it could not be written (said). */
int rundoc_end(struct rundoc *d, const struct tally *t);

#endif /* rundoc_h */
