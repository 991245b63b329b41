/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.h - the verdict as a paragraph a person can read, and as JSON.
 */
#ifndef report_h
#define report_h

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "case.h"
#include "conntrack.h"
#include "kcounters.h"
#include "ledger.h"
#include "phases.h"
#include "platform.h"
#include "strbuf.h"
#include "verdict.h"

enum case_status {
	CASE_PASS,
	CASE_FAIL,
	CASE_SKIP,
	CASE_ERROR,
	CASE_UNSUPPORTED	/* the stack under test cannot do a step: not a failure */
};

#define REPORT_ERROR_SIZE 2048

struct case_report {
	const struct case_file *cf;
	enum case_status status;
	char error[REPORT_ERROR_SIZE];	/* SKIP/ERROR: why, in one or more sentences */
	const struct ledger *ledgers[ROLE_COUNT];	/* NULL when the roles never ran */
	const struct conn *conn;	/* the case's connection on the wire, or NULL */
	const struct conn *client_conn;	/* as captured at the client end too ("capture both") */
	const struct verdict *verdict;	/* NULL when no verdict was reached */
	bool have_capture;
	struct capture_stats capture;
	const struct kcounters *counters;	/* changes during the case, or NULL */
	const char *pcap_path;		/* NULL when no evidence was written */
	const char *client_pcap_path;	/* the client end's capture, with "capture both" */
	struct capture_stats client_capture;
	const char *paths;		/* the topology as set up (veth, sysctls, impairments) */
	const char *text_path;
	const char *svg_path;		/* the ladder of pcap_path's capture, or NULL */
	const char *client_svg_path;	/* ... of client_pcap_path's */
	int family;			/* 4 or 6 */
	bool family_in_name;		/* "family both": say which run this is */
	uint16_t server_port;
	uint16_t client_port;
	double duration_s;
	const char *note;		/* something the reader should know, or NULL */
	const struct platform *platform;	/* what the case ran on, or NULL */
	const struct platform *peer_platform;	/* --peer: what the peer's role ran on */
	const char *peer_role;			/* --peer: "server" or "client" */
	const struct phases *phases;	/* where duration_s went, or NULL */
};

int report_status_exit(enum case_status status);		/* enum exit_status */

/*
 * A role's CLOCK_MONOTONIC time (a ledger's started_ns, at_ns,
 * released_ns) on the capture's time line (the pcap stamps, in ns), by
 * the offset the capture sampled as it started (capture.clock_offset_ns).
 * False, *pcap_ns untouched, when the run has no capture offset.
 */
bool report_mono_to_pcap_ns(const struct case_report *r, int64_t mono_ns, int64_t *pcap_ns);

/* SKIP, ERROR, UNSUPPORTED: the report's error says why. */
bool report_status_has_reason(enum case_status status);

/* The verdict paragraph, then one detail line per expectation and role. */
void report_append_text(struct strbuf *out, const struct case_report *r);

/* One JSON object, no trailing newline. */
void report_append_json(struct strbuf *out, const struct case_report *r);

/*
 * The "wire" object of a connection (client = originator): teardown
 * class, then per side packets, payload and acked bytes, the first FIN
 * and the first RST.  "null" for NULL.  No trailing newline.  Shared by
 * "closeprobe run --json" and "closeprobe analyze --json", so that the
 * two can be compared as text.
 */
void report_append_wire_json(struct strbuf *out, const struct conn *c);

/* The same object written to out, for "closeprobe analyze".  0 ok; -1
 * with errno when it could not be formatted or written. */
int report_json_wire(FILE *out, const struct conn *c);

#endif /* report_h */
