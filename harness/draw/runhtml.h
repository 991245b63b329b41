/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runhtml.h - "closeprobe run --html DIR": the report of a run as
 * DIR/index.html, made from each case run's JSON record and text as the
 * run hands them over (the same record --json writes), so the page and
 * the JSON never disagree.
 *
 * Each run's JSON is also kept as DIR/json/NAME.json for the page to
 * link; the captures, ladders and verdict files are linked where they
 * are, by paths relative to DIR, so the page works from file:// and in
 * a copy of the tree that keeps both.
 */
#ifndef runhtml_h
#define runhtml_h

#include <stddef.h>

struct run_html;

/* Create DIR (if needed) and start a report titled title.  NULL with err. */
struct run_html *run_html_open(const char *dir, const char *title, char *err, size_t errlen);

/*
 * One case run: its label ("close-unread-truncates (IPv6)"), its text
 * (the verdict and detail lines) and its JSON record.  The first record
 * with a "platform" object gives the platform lines.  0, or -1 with err
 * (the run is then missing from the page).
 */
int run_html_record(struct run_html *h, const char *label, const char *text,
    const char *json, char *err, size_t errlen);

/*
 * The compare matrix from "closeprobe compare" results: the cell of a
 * case run (its key, "close-unread-truncates/4") on a platform, and
 * the changed fields of that cell.  0 or -1 (ENOMEM).
 */
int run_html_matrix_cell(struct run_html *h, const char *key, const char *platform,
    const char *value);
int run_html_matrix_change(struct run_html *h, const char *key, const char *platform,
    const char *field, const char *was, const char *now);

/* Write DIR/index.html (whole or not at all: written aside, renamed).
 * 0, or -1 with err "PATH: reason". */
int run_html_write(struct run_html *h, char *err, size_t errlen);

/* The page's path ("DIR/index.html"). */
const char *run_html_path(const struct run_html *h);

void run_html_free(struct run_html *h);

#endif /* runhtml_h */
