/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * analyze.h - how every TCP connection in any capture closed, with
 * Zeek's conn_state and history, and the loss-risk flags the wire
 * shows: the library behind "closeprobe analyze" (the command line is
 * harness/cli/cmd_analyze.c).
 *
 * Each file is read once, straight through, into a streaming connection
 * table: a connection that has ended is handed to the caller's callback
 * and freed as the file goes by, so memory follows the connections open
 * at one time, not the packets.  Connections come in the order they
 * finish (in order of first packet for those still open at the end of
 * the file).  The library counts what the summary needs and never
 * prints; the writers below format rows, file lines and the summary
 * into a FILE * the caller passes.
 */
#ifndef analyze_h
#define analyze_h

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conntrack.h"
#include "trace.h"

/* Exit statuses of "closeprobe analyze". */
enum analyze_status {
	ANALYZE_OK = 0,
	ANALYZE_FLAGGED = 1,		/* --fail-on matched a connection */
	ANALYZE_USAGE = 2,
	ANALYZE_BAD_INPUT = 99		/* what was read is still reported */
};

enum {
	ANALYZE_TEARDOWN_COUNT = TEARDOWN_FIN_THEN_RST + 1,
	/* Room for an error message with its file and record. */
	ANALYZE_ERROR_SIZE = 1024
};

/* Every loss-risk flag: what "--fail-on any" means. */
#define ANALYZE_ALL_FLAGS	((1u << CONN_FLAG_COUNT) - 1)

/*
 * A connection is flagged (exit status 1) if it carries one of these flags,
 * ended with one of these teardown classes, or has one of these conn_states.
 */
struct analyze_options {
	unsigned fail_on;	/* enum conn_flag bits */
	unsigned fail_on_teardown;	/* 1 << enum teardown_class */
	unsigned fail_on_state;		/* 1 << enum conn_state */
};

/*
 * Add one --fail-on word to o: a flag name ("rst-unacked", ...), "any"
 * (every flag), a teardown class ("rst", "fin-then-rst", ...) or a
 * conn_state ("REJ", "RSTO", ...).  0, or -1 if it is none of these.
 */
int analyze_fail_on_add(struct analyze_options *o, const char *word);

/* Whether o asks for anything. */
bool analyze_fail_on_set(const struct analyze_options *o);

/* Whether c matches o. */
bool analyze_fail_on_matches(const struct analyze_options *o,
    const struct conn *c);

/* What the summary counts, over every file read so far. */
struct analyze_totals {
	uint64_t connections;
	uint64_t per_state[CONN_STATE_COUNT];
	uint64_t per_flag[CONN_FLAG_COUNT];
	uint64_t per_teardown[ANALYZE_TEARDOWN_COUNT];
	uint64_t flagged;	/* connections --fail-on matched */
	struct trace_stats records;	/* summed over the files */
	unsigned files, bad_files;
};

/* One file as read by analyze_file(). */
struct analyze_file_result {
	const char *file;	/* as the caller named it */
	struct trace_stats stats;	/* what was read, also on error */
	/* Segments after their connection's end, in no row. */
	uint64_t late_packets;
	bool failed;
	/* If failed: "FILE: record N: what" (or "FILE: what"). */
	char error[ANALYZE_ERROR_SIZE];
};

/*
 * A finished connection of file.  0, or -1 with errno set to stop
 * reading (the file then fails with that errno's message).
 */
typedef int analyze_conn_fn(const struct conn *c, const char *file,
    void *ctx);

struct analyze;

/* NULL (errno ENOMEM or EINVAL) on failure. */
struct analyze *analyze_open(const struct analyze_options *options);
void analyze_close(struct analyze *a);

/*
 * Read one capture file (path "-": standard input), handing each
 * finished connection to conn (which may be NULL) with ctx, and count
 * it.  0, or -1 when the file was bad or conn failed: result->error says
 * why, with the file name and, where there is one, the record number;
 * what was read before is still handed on and counted.
 */
int analyze_file(struct analyze *a, const char *path, analyze_conn_fn *conn,
    void *ctx, struct analyze_file_result *result);

const struct analyze_totals *analyze_totals(const struct analyze *a);

/*
 * The exit status so far: ANALYZE_BAD_INPUT if a file failed, else
 * ANALYZE_FLAGGED if --fail-on matched a connection, else ANALYZE_OK.
 */
enum analyze_status analyze_status(const struct analyze *a);

/*
 * Rows, formatted into a buffer of the writer's own: the text table (a
 * header, one row per connection, a line per file) or JSON Lines
 * ({"type":"conn","file":FILE,...}, {"type":"file",...}).  file_width
 * above 0 adds a first column with the file name, that wide.  Call
 * analyze_writer_flush() before writing to out by other means.  Each
 * returns 0, or -1 once writing out has failed.
 */
struct analyze_writer;

/* NULL (errno ENOMEM or EINVAL) on failure. */
struct analyze_writer *analyze_writer_new(FILE *out, bool json,
    size_t file_width);
void analyze_writer_free(struct analyze_writer *w);
/* The text table's header (nothing for JSON). */
void analyze_writer_header(struct analyze_writer *w);
int analyze_writer_conn(struct analyze_writer *w, const struct conn *c,
    const char *file);
/* "file FILE: ..." or {"type":"file",...}. */
int analyze_writer_file(struct analyze_writer *w,
    const struct analyze_file_result *r);
int analyze_writer_flush(struct analyze_writer *w);

/* A file's name in messages: "(stdin)" for "-", else path. */
const char *analyze_file_label(const char *path);

/* The summary; fail_on_set: whether --fail-on was given (its count shown). */
void analyze_write_text_summary(FILE *out, const struct analyze_totals *t,
    bool fail_on_set);
void analyze_write_json_summary(FILE *out, const struct analyze_totals *t,
    int status);

#endif /* analyze_h */
