/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_analyze.c - "closeprobe analyze": options, usage, and the printing
 * of what the analyze library finds (see cmd_analyze.h, analyze.h).
 *
 * Rows are printed as connections finish (the library's callback), each
 * file's line after the file, then the summary.
 */
#include "cmd_analyze.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "analyze.h"
#include "conntrack.h"

enum {
	FLAG_NAME_SIZE = 64
};

/* What the command line asks for. */
struct command {
	struct analyze_options options;
	bool json;
};

/* Where the rows go while a file is read. */
struct printer {
	struct analyze_writer *writer;
	bool header_done;
};

static const char usage_text[] =
    "usage: closeprobe analyze [--json] [--fail-on WORD[,WORD...]] FILE...\n"
    "  FILE      a pcap or pcapng capture; - reads standard input\n"
    "  --json    JSON Lines: one object per connection, then a summary\n"
    "  --fail-on exit 1 on a connection with a flag, teardown or conn_state:\n"
    "            rst-unacked, rst-after-fin-data, rst-zero-window, hole,\n"
    "            acked-unseen, any,\n"
    "            none, fin, half-fin, rst, fin-then-rst,\n"
    "            S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR,\n"
    "            OTH\n";

/* "a,b,any" into o; -1 (with a message) on an unknown word. */
static int
parse_fail_on(const char *list, struct analyze_options *o, FILE *err)
{
	const char *p = list, *comma;
	char name[FLAG_NAME_SIZE];
	size_t len;

	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(name)) {
			fprintf(err, "closeprobe analyze: --fail-on: bad list "
			    "'%s'\n", list);
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (analyze_fail_on_add(o, name) == -1) {
			fprintf(err, "closeprobe analyze: --fail-on: unknown "
			    "word '%s' (a flag: rst-unacked, rst-after-fin-data, "
			    "rst-zero-window, hole, acked-unseen, any; a teardown: "
			    "none, fin, half-fin, rst, fin-then-rst; a conn_state: "
			    "S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, "
			    "SH, SHR, OTH)\n", name);
			return -1;
		}
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

/*
 * The option getopt_long() just refused (optind, optopt as it left
 * them), as the user wrote it: a whole "--name" or "--name=value"
 * element, else the short option ("-x", in short_text).
 */
static const char *
unknown_option(char **argv, int index, int opt, char *short_text,
    size_t size)
{
	const char *elem = argv[index - 1];

	/* An unknown long option (opt 0), or a value given to --json. */
	if (strncmp(elem, "--", 2) == 0 &&
	    (opt == 0 || strchr(elem, '=') != NULL))
		return elem;
	snprintf(short_text, size, "-%c", opt);
	return short_text;
}

/*
 * 0 with the files from argv[optind], 1 after --help, -1 (message
 * given) on a usage error.
 */
static int
parse_options(int argc, char **argv, struct command *cmd, FILE *out,
    FILE *err)
{
	static const struct option long_options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char short_text[3];
	int ch;

	memset(cmd, 0, sizeof(*cmd));
	/* From the start each time, for callers that run more than one. */
	optind = 0;
	opterr = 0;
	/* ':' first: a missing argument is ':', an unknown option '?'. */
	while ((ch = getopt_long(argc, argv, ":h", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'j':
			cmd->json = true;
			break;
		case 'f':
			if (parse_fail_on(optarg, &cmd->options, err) == -1)
				return -1;
			break;
		case 'h':
			fputs(usage_text, out);
			return 1;
		case ':':
			fprintf(err, "closeprobe analyze: --fail-on needs a "
			    "list of flags, teardowns or conn_states\n");
			return -1;
		default:
			fprintf(err, "closeprobe analyze: unknown option '%s'\n%s",
			    unknown_option(argv, optind, optopt, short_text,
			    sizeof(short_text)), usage_text);
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(err, "closeprobe analyze: no capture file\n%s",
		    usage_text);
		return -1;
	}
	return 0;
}

/* The library's callback: one row. */
static int
print_conn(const struct conn *c, const char *file, void *arg)
{
	struct printer *p = arg;

	if (!p->header_done)
		analyze_writer_header(p->writer);
	p->header_done = true;
	if (analyze_writer_conn(p->writer, c, file) == -1) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void
print_file(const struct printer *p, const struct command *cmd,
    const struct analyze_file_result *r, FILE *err)
{
	const struct trace_stats *s = &r->stats;

	if (r->failed) {
		(void)analyze_writer_flush(p->writer);
		fprintf(err, "closeprobe analyze: %s\n", r->error);
	}
	/* Read on, but the file is not what it claims to be. */
	if (s->oversize > 0) {
		(void)analyze_writer_flush(p->writer);
		fprintf(err, "closeprobe analyze: %s: warning: %llu record%s "
		    "longer than the snap length %d (first: record %llu, %llu "
		    "bytes), cut to it\n", strcmp(r->file, "-") == 0 ?
		    "(stdin)" : r->file, (unsigned long long)s->oversize,
		    s->oversize == 1 ? "" : "s", s->snaplen,
		    (unsigned long long)s->first_oversize_record,
		    (unsigned long long)s->first_oversize_len);
	}
	if (cmd->json || !r->failed || r->stats.records > 0)
		(void)analyze_writer_file(p->writer, r);
}

/* With several files, the table's first column names each row's file. */
static size_t
file_column_width(int argc, char **argv, int first)
{
	size_t width = strlen("file"), len;
	int i;

	if (argc - first < 2)
		return 0;
	for (i = first; i < argc; i++) {
		len = strlen(argv[i]);
		if (len > width)
			width = len;
	}
	return width;
}

int
cmd_analyze_run(int argc, char **argv, FILE *out, FILE *err)
{
	struct analyze_file_result result;
	struct printer printer;
	struct command cmd;
	struct analyze *a;
	unsigned skipped = 0;
	int i, rc, status;

	rc = parse_options(argc, argv, &cmd, out, err);
	if (rc != 0)
		return rc > 0 ? ANALYZE_OK : ANALYZE_USAGE;
	memset(&printer, 0, sizeof(printer));
	a = analyze_open(&cmd.options);
	if (a != NULL)
		printer.writer = analyze_writer_new(out, cmd.json,
		    file_column_width(argc, argv, optind));
	if (a == NULL || printer.writer == NULL) {
		fprintf(err, "closeprobe analyze: %s\n", strerror(errno));
		analyze_close(a);
		return ANALYZE_BAD_INPUT;
	}
	for (i = optind; i < argc; i++) {
		/* A link type without IP: said, skipped, not a bad file. */
		if (analyze_file(a, argv[i], print_conn, &printer, &result) ==
		    TRACE_NO_IP_LINKTYPE) {
			(void)analyze_writer_flush(printer.writer);
			fprintf(err, "closeprobe analyze: %s\n", result.error);
			skipped++;
			continue;
		}
		print_file(&printer, &cmd, &result, err);
	}
	if (skipped > 0)
		fprintf(err, "closeprobe analyze: %u file%s skipped (link type "
		    "without IP)\n", skipped, skipped == 1 ? "" : "s");
	status = analyze_status(a);
	if (!cmd.json && !printer.header_done)
		analyze_writer_header(printer.writer);
	rc = analyze_writer_flush(printer.writer);
	analyze_writer_free(printer.writer);
	if (cmd.json)
		analyze_write_json_summary(out, analyze_totals(a), status);
	else
		analyze_write_text_summary(out, analyze_totals(a),
		    analyze_fail_on_set(&cmd.options));
	analyze_close(a);
	if (rc == -1 || fflush(out) == EOF || ferror(out)) {
		fprintf(err, "closeprobe analyze: writing the report: %s\n",
		    strerror(errno));
		status = ANALYZE_BAD_INPUT;
	}
	return status;
}

int
analyze_main(int argc, char **argv)
{
	return cmd_analyze_run(argc, argv, stdout, stderr);
}
