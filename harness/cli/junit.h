/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * junit.h - the run as JUnit XML (closeprobe run --junit FILE), the form
 * Jenkins, GitLab and most CI dashboards read: one <testsuite> for the
 * run, one <testcase> per case run, a <failure> per expectation that did
 * not hold (what was expected, what was observed), <skipped> and <error>
 * with why, the verdict text in <system-out> and the evidence files
 * (pcap, text, any picture) as "[[ATTACHMENT|path]]" lines there, which
 * Jenkins' attachments plugin and GitLab read.  The platform is in
 * <properties>.
 */
#ifndef junit_h
#define junit_h

#include <stddef.h>
#include <stdio.h>

#include "platform.h"
#include "runrecord.h"
#include "strbuf.h"
#include "tally.h"

struct junit {
	FILE *out;
	const char *path;	/* "-": standard output */
	char timestamp[32];	/* when the run started, UTC */
	char hostname[256];
	struct strbuf properties;
	struct strbuf testcases;	/* the document is written whole at the end */
	double time_s;
};

/* Open path ("-": standard output) now, so that a bad path is said before
 * anything runs.  0, or -1 (said). */
int junit_open(struct junit *j, const char *path);

void junit_begin(struct junit *j, const struct platform *p);

void junit_run(struct junit *j, const struct runrecord *r);

/* Write the document and close.  0, or -1 (said). */
int junit_end(struct junit *j, const struct tally *t);

#endif /* junit_h */
