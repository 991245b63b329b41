/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * html.h - the report of a run as one HTML page.
 *
 * The page holds the platform, a table of the case runs (status,
 * teardown, outcome per direction, lost bytes) that sorts by any column
 * and filters by text and status, each row opening into the case's
 * verdict, its expectations (ok, failed or skipped, with what was
 * observed), its ladder and links to its evidence; and, when compare
 * results are given, a matrix of cases by platforms with the fields that
 * changed.
 *
 * Self-contained: styles and a small script inline, no fonts, no CDN,
 * no fetch(), so it works from file:// and offline; without scripts
 * every row shows opened.  The model is neutral (the caller fills it
 * from its verdicts); every text is copied; links are relative paths.
 */
#ifndef html_h
#define html_h

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum html_report_expect_state {
	HTML_REPORT_EXPECT_OK,
	HTML_REPORT_EXPECT_FAILED,
	HTML_REPORT_EXPECT_SKIPPED,	/* for another system: not judged */
	HTML_REPORT_EXPECT_STATE_COUNT
};

struct html_report_expectation {
	enum html_report_expect_state state;
	const char *expectation;	/* "teardown rst from server" (with file:line if wanted) */
	const char *observed;		/* "RST+ACK from server" */
};

/* The two directions, in the order of html_report_case.outcome. */
enum html_report_direction {
	HTML_REPORT_CLIENT_TO_SERVER,
	HTML_REPORT_SERVER_TO_CLIENT,
	HTML_REPORT_DIRECTION_COUNT
};

/* One case run: any text may be NULL (shown as "-" or left out). */
struct html_report_case {
	const char *name;		/* "close-unread-truncates" */
	const char *family;		/* "IPv4", "IPv6", or "" */
	const char *status;		/* "PASS", "FAIL", "SKIP", "ERROR" */
	const char *teardown;		/* "rst from server" */
	const char *outcome[HTML_REPORT_DIRECTION_COUNT];	/* "truncated"; NULL: no data */
	uint64_t lost_bytes;		/* both directions */
	const char *verdict;		/* the paragraph */
	/* Relative to the page: "captures/close-unread-truncates-v4.pcap". */
	const char *pcap_href;
	const char *json_href;
	const char *svg_href;		/* the ladder, shown in the row */
	const char *text_href;		/* the report as text */
};

struct html_report;

/* An empty report titled title ("closeprobe run"); NULL (errno ENOMEM). */
struct html_report *html_report_new(const char *title);
void html_report_free(struct html_report *r);

/* One line of the platform table ("kernel", "6.1.0-27-amd64").  0 or -1. */
int html_report_add_platform(struct html_report *r, const char *key,
    const char *value);

/* A case run; returns its index (for expectations), or -1 (ENOMEM). */
int html_report_add_case(struct html_report *r, const struct html_report_case *c);

/* An expectation of the case run at index.  0, or -1 (EINVAL, ENOMEM). */
int html_report_add_expectation(struct html_report *r, size_t index,
    const struct html_report_expectation *e);

/*
 * The compare matrix: the cell of case x platform says value ("PASS
 * rst"); rows and columns appear in the order first named.  A second
 * call replaces the value.  0 or -1 (EINVAL, ENOMEM).
 */
int html_report_set_matrix_cell(struct html_report *r, const char *case_name,
    const char *platform, const char *value);

/*
 * A field of that cell that differs from the reference the caller
 * compares with: field "teardown" was "rst from server", now "fin from
 * server".  Creates the cell if needed.  0 or -1.
 */
int html_report_add_matrix_change(struct html_report *r, const char *case_name,
    const char *platform, const char *field, const char *was, const char *now);

/* Write the page to out.  0 ok; -1 with a message in err. */
int html_report_write(const struct html_report *r, FILE *out, char *err,
    size_t errlen);

#endif /* html_h */
