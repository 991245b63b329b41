/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runrecord.h - one case run as the reports see it: its name, status and
 * text, and, read back from its JSON (json.h), its error, duration,
 * evidence files and expectations with what was observed.  The TAP and
 * JUnit writers and the brief lines are made from it.
 */
#ifndef runrecord_h
#define runrecord_h

#include <stddef.h>

#include "json.h"
#include "report.h"

enum runrecord_held {
	RUNRECORD_HELD,
	RUNRECORD_FAILED,
	RUNRECORD_NOT_JUDGED	/* an expectation for another system */
};

struct runrecord_expect {
	unsigned long line;
	const char *text;	/* "teardown rst from server" */
	const char *system;	/* "linux", or NULL for every system */
	enum runrecord_held held;
	const char *observed;
};

struct runrecord {
	char *label;		/* "close-unread-truncates (IPv6)", or a file that did not parse */
	const char *file;	/* the case file */
	enum case_status status;
	const char *text;	/* the verdict paragraph and detail lines, or NULL */
	const char *json;	/* the run as a JSON object, or NULL */
	/* Read from json (NULL, 0 when absent): */
	struct json_value *root;
	const char *error;	/* why it skipped or errored */
	double duration_s;
	const struct json_value *evidence;	/* the "evidence" object */
	struct runrecord_expect *expects;
	size_t nexpects;
};

/*
 * Fill r for a run: label and file as the caller names them (copied),
 * text and json the runner's (kept by reference).  A JSON that does not
 * parse leaves the fields read from it empty.  0, or -1 out of memory.
 */
int runrecord_init(struct runrecord *r, const char *label, const char *file,
    enum case_status status, const char *text, const char *json);

/* The evidence file paths (every string member of "evidence"): the i-th,
 * with its key ("pcap", "text", ...), or NULL past the last. */
const char *runrecord_evidence(const struct runrecord *r, size_t i, const char **key);

/* How many expectations failed. */
size_t runrecord_failures(const struct runrecord *r);

void runrecord_free(struct runrecord *r);

#endif /* runrecord_h */
