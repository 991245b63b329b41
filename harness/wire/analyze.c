/*
 * analyze.c - "closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...".
 *
 * Each file is read once, straight through, into a streaming connection
 * table: a connection that has ended is reported and freed as the file
 * goes by, so memory follows the connections open at one time, not the
 * packets.  Rows are printed as connections finish (in order of first
 * packet for those still open at the end of the file), then a summary.
 */
#include "analyze.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "conntrack.h"
#include "report.h"
#include "trace.h"

enum {
	ERRBUF_SIZE = 1024,
	TEARDOWN_CLASS_COUNT = TEARDOWN_FIN_THEN_RST + 1,
	ENDPOINT_TEXT_SIZE = INET6_ADDRSTRLEN + 16,	/* [addr]:port */
	TIME_TEXT_SIZE = 64
};

static const int64_t ns_per_s = INT64_C(1000000000);

struct analyze_options {
	bool json;
	unsigned fail_on;	/* enum conn_flag bits */
	int first_file;		/* index in argv */
};

/* What the summary counts. */
struct analyze_totals {
	uint64_t connections;
	uint64_t per_state[CONN_STATE_COUNT];
	uint64_t per_flag[CONN_FLAG_COUNT];
	uint64_t per_teardown[TEARDOWN_CLASS_COUNT];
	uint64_t flagged;	/* connections matching --fail-on */
	struct trace_stats records;	/* summed over the files */
	unsigned files, bad_files;
};

struct analyze_context {
	const struct analyze_options *options;
	FILE *out;
	const char *file;	/* being read, as named on the command line */
	struct analyze_totals totals;
	bool header_done;
};

static const char usage_text[] =
    "usage: closeprobe analyze [--json] [--fail-on FLAG[,FLAG...]] FILE...\n"
    "  FILE      a pcap or pcapng capture; - reads standard input\n"
    "  --json    JSON Lines: one object per connection, then a summary\n"
    "  --fail-on exit 1 if a connection carries one of these flags:\n"
    "            rst-unacked, rst-after-fin-data, rst-zero-window, hole,\n"
    "            acked-unseen, or any\n";

static enum conn_flag
flag_of_index(int i)
{
	return (enum conn_flag)(1u << i);
}

static const char *
side_name(int side)
{
	return side == SIDE_ORIG ? "orig" : "resp";
}

/* Whether s is valid UTF-8 (then it is written as it is). */
static bool
utf8_valid(const unsigned char *s)
{
	size_t follow, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			follow = 1;
		else if ((*s & 0xf0) == 0xe0)
			follow = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			follow = 3;
		else
			return false;
		for (i = 1; i <= follow; i++)
			if ((s[i] & 0xc0) != 0x80)
				return false;
		s += follow + 1;
	}
	return true;
}

/* A JSON string; bytes of a name that is not UTF-8 are written as U+00XX. */
static void
json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool pass_high = utf8_valid(p);

	fputc('"', out);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !pass_high))
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void
format_addr(const struct conn *c, int side, char *buf, size_t size)
{
	if (inet_ntop(c->family, c->addr[side], buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
}

/* "1.2.3.4:80" or "[::1]:80" */
static void
format_endpoint(const struct conn *c, int side, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];

	format_addr(c, side, addr, sizeof(addr));
	if (c->family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", addr, (unsigned)c->port[side]);
	else
		snprintf(buf, size, "%s:%u", addr, (unsigned)c->port[side]);
}

/* ISO 8601 in UTC, to the nanosecond. */
static void
format_time(int64_t ts_ns, char *buf, size_t size)
{
	int64_t sec = ts_ns / ns_per_s, nsec = ts_ns % ns_per_s;
	char date[TIME_TEXT_SIZE / 2];
	struct tm tm;
	time_t t;

	if (nsec < 0) {
		nsec += ns_per_s;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, size, "%" PRId64 ".%09" PRId64, sec, nsec);
		return;
	}
	snprintf(buf, size, "%s.%09" PRId64 "Z", date, nsec);
}

static double
seconds_since_start(const struct conn *c, int64_t ts_ns)
{
	return (double)(ts_ns - c->first_ts_ns) / 1e9;
}

static void
json_flags(FILE *out, unsigned flags)
{
	bool first = true;
	int i;

	fputc('[', out);
	for (i = 0; i < CONN_FLAG_COUNT; i++) {
		if (!(flags & flag_of_index(i)))
			continue;
		if (!first)
			fputc(',', out);
		json_string(out, conn_flag_name(flag_of_index(i)));
		first = false;
	}
	fputc(']', out);
}

static void
json_side(FILE *out, const struct conn *c, int side)
{
	const struct conn_half *h = &c->half[side];
	char addr[INET6_ADDRSTRLEN];

	format_addr(c, side, addr, sizeof(addr));
	fprintf(out, "\"%s\":{\"addr\":", side_name(side));
	json_string(out, addr);
	fprintf(out, ",\"port\":%u,\"packets\":%" PRIu64
	    ",\"payload_packets\":%" PRIu64 ",\"bytes_seen\":%" PRIu64
	    ",\"bytes_acked\":%" PRIu64 ",\"missed_bytes\":%" PRIu64
	    ",\"acked_unseen_bytes\":%" PRIu64 ",\"unacked_at_rst\":%" PRIu64
	    ",\"retransmissions\":%" PRIu64 ",\"zero_windows\":%" PRIu64
	    ",\"rst_count\":%" PRIu64 "}",
	    (unsigned)c->port[side], h->packets, h->payload_packets,
	    h->payload_bytes, h->acked_bytes, h->missed_bytes,
	    h->acked_unseen_bytes, h->unacked_at_rst, h->retransmissions,
	    h->zero_windows, h->rst_count);
}

static void
json_side_or_null(FILE *out, int side)
{
	if (side < 0)
		fputs("null", out);
	else
		json_string(out, side_name(side));
}

static void
write_json_conn(struct analyze_context *ctx, const struct conn *c)
{
	FILE *out = ctx->out;
	char orig[INET6_ADDRSTRLEN], resp[INET6_ADDRSTRLEN];
	char start[TIME_TEXT_SIZE];
	const struct conn_half *o = &c->half[SIDE_ORIG];
	const struct conn_half *r = &c->half[SIDE_RESP];

	format_addr(c, SIDE_ORIG, orig, sizeof(orig));
	format_addr(c, SIDE_RESP, resp, sizeof(resp));
	format_time(c->first_ts_ns, start, sizeof(start));
	fputs("{\"type\":\"conn\",\"file\":", out);
	json_string(out, ctx->file);
	fprintf(out, ",\"first_packet\":%" PRIu64
	    ",\"ts\":%.6f,\"start\":\"%s\""
	    ",\"id.orig_h\":\"%s\",\"id.orig_p\":%u"
	    ",\"id.resp_h\":\"%s\",\"id.resp_p\":%u,\"proto\":\"tcp\""
	    ",\"duration\":%.6f,\"orig_bytes\":%" PRIu64
	    ",\"resp_bytes\":%" PRIu64 ",\"conn_state\":\"%s\""
	    ",\"missed_bytes\":%" PRIu64 ",\"history\":",
	    c->first_index, (double)c->first_ts_ns / 1e9, start,
	    orig, (unsigned)c->port[SIDE_ORIG], resp,
	    (unsigned)c->port[SIDE_RESP],
	    seconds_since_start(c, c->last_ts_ns), o->size, r->size,
	    conn_state_name(c->state), o->missed_bytes + r->missed_bytes);
	json_string(out, c->history);
	fprintf(out, ",\"history_truncated\":%s,\"orig_pkts\":%" PRIu64
	    ",\"resp_pkts\":%" PRIu64 ",\"teardown\":\"%s\",\"first_fin\":",
	    c->history_truncated ? "true" : "false", o->packets, r->packets,
	    teardown_class_name(teardown_classify(c)));
	json_side_or_null(out, c->first_fin_side);
	fputs(",\"first_rst\":", out);
	json_side_or_null(out, c->first_rst_side);
	fputs(",\"rst_kind\":", out);
	if (c->first_rst_side < 0)
		fputs("null", out);
	else
		json_string(out, c->half[c->first_rst_side].first_rst_kind ==
		    RST_KIND_BARE ? "bare" : "rst+ack");
	fputs(",\"flags\":", out);
	json_flags(out, c->flags);
	fputc(',', out);
	json_side(out, c, SIDE_ORIG);
	fputc(',', out);
	json_side(out, c, SIDE_RESP);
	fputs(",\"wire\":", out);
	report_json_wire(out, c);
	fputs("}\n", out);
}

static void
write_text_header(FILE *out)
{
	fprintf(out, "%-30s %10s %-22s %-22s %-6s %-12s %-12s %-4s %-9s "
	    "%-21s %-21s %s\n", "start", "duration", "orig", "resp", "state",
	    "history", "teardown", "fin", "rst", "orig bytes seen/acked",
	    "resp bytes seen/acked", "flags");
}

static void
write_text_conn(struct analyze_context *ctx, const struct conn *c)
{
	FILE *out = ctx->out;
	char orig[ENDPOINT_TEXT_SIZE], resp[ENDPOINT_TEXT_SIZE];
	char start[TIME_TEXT_SIZE], rst[16], obytes[48], rbytes[48];
	const struct conn_half *o = &c->half[SIDE_ORIG];
	const struct conn_half *r = &c->half[SIDE_RESP];
	bool first = true;
	int i;

	format_endpoint(c, SIDE_ORIG, orig, sizeof(orig));
	format_endpoint(c, SIDE_RESP, resp, sizeof(resp));
	format_time(c->first_ts_ns, start, sizeof(start));
	if (c->first_rst_side < 0)
		snprintf(rst, sizeof(rst), "-");
	else
		snprintf(rst, sizeof(rst), "%s/%s",
		    side_name(c->first_rst_side),
		    c->half[c->first_rst_side].first_rst_kind == RST_KIND_BARE ?
		    "bare" : "ack");
	snprintf(obytes, sizeof(obytes), "%" PRIu64 "/%" PRIu64,
	    o->payload_bytes, o->acked_bytes);
	snprintf(rbytes, sizeof(rbytes), "%" PRIu64 "/%" PRIu64,
	    r->payload_bytes, r->acked_bytes);
	fprintf(out, "%-30s %10.6f %-22s %-22s %-6s %-12s %-12s %-4s %-9s "
	    "%-21s %-21s ", start, seconds_since_start(c, c->last_ts_ns),
	    orig, resp, conn_state_name(c->state), c->history,
	    teardown_class_name(teardown_classify(c)),
	    c->first_fin_side < 0 ? "-" : side_name(c->first_fin_side), rst,
	    obytes, rbytes);
	for (i = 0; i < CONN_FLAG_COUNT; i++) {
		if (!(c->flags & flag_of_index(i)))
			continue;
		fprintf(out, "%s%s", first ? "" : ",",
		    conn_flag_name(flag_of_index(i)));
		first = false;
	}
	fputs(first ? "-\n" : "\n", out);
}

/* The streaming table's callback: count, print. */
static int
conn_done(const struct conn *c, void *arg)
{
	struct analyze_context *ctx = arg;
	struct analyze_totals *t = &ctx->totals;
	int i;

	t->connections++;
	if ((unsigned)c->state < CONN_STATE_COUNT)
		t->per_state[c->state]++;
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (c->flags & flag_of_index(i))
			t->per_flag[i]++;
	t->per_teardown[teardown_classify(c)]++;
	if (c->flags & ctx->options->fail_on)
		t->flagged++;
	if (ctx->options->json)
		write_json_conn(ctx, c);
	else {
		if (!ctx->header_done)
			write_text_header(ctx->out);
		ctx->header_done = true;
		write_text_conn(ctx, c);
	}
	if (ferror(ctx->out)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void
add_records(struct trace_stats *sum, const struct trace_stats *s)
{
	sum->records += s->records;
	sum->tcp += s->tcp;
	sum->not_tcp += s->not_tcp;
	sum->not_ip += s->not_ip;
	sum->fragments += s->fragments;
	sum->undecodable += s->undecodable;
	sum->truncated += s->truncated;
	sum->bad_header += s->bad_header;
}

static const char *
linktype_name(int linktype)
{
	const char *name = pcap_datalink_val_to_name(linktype);

	return name != NULL ? name : "unknown";
}

static void
write_json_file(FILE *out, const char *file, const struct trace_stats *s,
    const char *error)
{
	fputs("{\"type\":\"file\",\"file\":", out);
	json_string(out, file);
	fprintf(out, ",\"linktype\":\"%s\",\"snaplen\":%d,\"records\":%" PRIu64
	    ",\"tcp\":%" PRIu64 ",\"not_tcp\":%" PRIu64 ",\"not_ip\":%" PRIu64
	    ",\"fragments\":%" PRIu64 ",\"undecodable\":%" PRIu64
	    ",\"error\":", linktype_name(s->linktype), s->snaplen, s->records,
	    s->tcp, s->not_tcp, s->not_ip, s->fragments, s->undecodable);
	if (error != NULL)
		json_string(out, error);
	else
		fputs("null", out);
	fputs("}\n", out);
}

static void
write_text_file(FILE *out, const char *file, const struct trace_stats *s)
{
	fprintf(out, "file %s: %s, snap length %d; %" PRIu64 " records: %"
	    PRIu64 " TCP, %" PRIu64 " other IP, %" PRIu64 " not IP, %" PRIu64
	    " fragments, %" PRIu64 " undecodable\n", file,
	    linktype_name(s->linktype), s->snaplen, s->records, s->tcp,
	    s->not_tcp, s->not_ip, s->fragments, s->undecodable);
}

static void
write_summary(const struct analyze_context *ctx, int status)
{
	const struct analyze_totals *t = &ctx->totals;
	FILE *out = ctx->out;
	int i;

	if (ctx->options->json) {
		fprintf(out, "{\"type\":\"summary\",\"files\":%u,\"bad_files\":%u"
		    ",\"records\":%" PRIu64 ",\"tcp\":%" PRIu64 ",\"connections\":%"
		    PRIu64 ",\"conn_state\":{", t->files, t->bad_files,
		    t->records.records, t->records.tcp, t->connections);
		for (i = 0; i < CONN_STATE_COUNT; i++)
			fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
			    conn_state_name((enum conn_state)i),
			    t->per_state[i]);
		fputs("},\"teardown\":{", out);
		for (i = 0; i < TEARDOWN_CLASS_COUNT; i++)
			fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
			    teardown_class_name((enum teardown_class)i),
			    t->per_teardown[i]);
		fputs("},\"flags\":{", out);
		for (i = 0; i < CONN_FLAG_COUNT; i++)
			fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
			    conn_flag_name(flag_of_index(i)), t->per_flag[i]);
		fprintf(out, "},\"fail_on_matched\":%" PRIu64
		    ",\"exit_status\":%d}\n", t->flagged, status);
		return;
	}
	fprintf(out, "summary: %" PRIu64 " connection%s in %u file%s (%u bad); %"
	    PRIu64 " records, %" PRIu64 " TCP\n", t->connections,
	    t->connections == 1 ? "" : "s", t->files, t->files == 1 ? "" : "s",
	    t->bad_files, t->records.records, t->records.tcp);
	fputs("  conn_state:", out);
	for (i = 0; i < CONN_STATE_COUNT; i++)
		fprintf(out, " %s %" PRIu64, conn_state_name((enum conn_state)i),
		    t->per_state[i]);
	fputs("\n  teardown:  ", out);
	for (i = 0; i < TEARDOWN_CLASS_COUNT; i++)
		fprintf(out, " %s %" PRIu64,
		    teardown_class_name((enum teardown_class)i),
		    t->per_teardown[i]);
	fputs("\n  flags:     ", out);
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		fprintf(out, " %s %" PRIu64, conn_flag_name(flag_of_index(i)),
		    t->per_flag[i]);
	fputc('\n', out);
	if (ctx->options->fail_on != 0)
		fprintf(out, "  fail-on:    %" PRIu64 " connection%s matched\n",
		    t->flagged, t->flagged == 1 ? "" : "s");
}

/* "a,b,any" -> flag bits; -1 (with a message) on an unknown name. */
static int
parse_fail_on(const char *list, unsigned *bits, FILE *err)
{
	const char *p = list, *comma;
	char name[64];
	size_t len;
	unsigned bit;

	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof(name)) {
			fprintf(err, "closeprobe analyze: --fail-on: bad flag "
			    "list '%s'\n", list);
			return -1;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		if (strcmp(name, "any") == 0)
			bit = (1u << CONN_FLAG_COUNT) - 1;
		else
			bit = conn_flag_from_name(name);
		if (bit == 0) {
			fprintf(err, "closeprobe analyze: --fail-on: unknown "
			    "flag '%s' (rst-unacked, rst-after-fin-data, "
			    "rst-zero-window, hole, acked-unseen, any)\n", name);
			return -1;
		}
		*bits |= bit;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int
parse_options(int argc, char **argv, struct analyze_options *options,
    FILE *out, FILE *err)
{
	const char *arg;
	int i;

	memset(options, 0, sizeof(*options));
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || strcmp(arg, "-") == 0)
			break;
		if (strcmp(arg, "--json") == 0)
			options->json = true;
		else if (strcmp(arg, "--fail-on") == 0) {
			if (i + 1 >= argc) {
				fprintf(err, "closeprobe analyze: --fail-on "
				    "needs a list of flags\n");
				return -1;
			}
			if (parse_fail_on(argv[++i], &options->fail_on,
			    err) == -1)
				return -1;
		} else if (strncmp(arg, "--fail-on=", 10) == 0) {
			if (parse_fail_on(arg + 10, &options->fail_on,
			    err) == -1)
				return -1;
		} else if (strcmp(arg, "--help") == 0 ||
		    strcmp(arg, "-h") == 0) {
			fputs(usage_text, out);
			return 1;
		} else {
			fprintf(err, "closeprobe analyze: unknown option "
			    "'%s'\n%s", arg, usage_text);
			return -1;
		}
	}
	if (i >= argc) {
		fprintf(err, "closeprobe analyze: no capture file\n%s",
		    usage_text);
		return -1;
	}
	options->first_file = i;
	return 0;
}

/* One file into its own table; -1 if the file was bad (message given). */
static int
analyze_file(struct analyze_context *ctx, const char *path, FILE *err)
{
	struct conn_stream_params params;
	struct trace_stats stats;
	struct conn_table *table;
	char errbuf[ERRBUF_SIZE];
	int rc, flush_rc;

	ctx->file = path;
	memset(&params, 0, sizeof(params));
	params.linger_ns = CONN_DEFAULT_LINGER_NS;
	params.idle_ns = CONN_DEFAULT_IDLE_NS;
	params.done = conn_done;
	params.ctx = ctx;
	table = conn_table_new_streaming(&params);
	if (table == NULL) {
		fprintf(err, "closeprobe analyze: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	errbuf[0] = '\0';
	rc = trace_read(path, table, &stats, TRACE_STRICT, errbuf,
	    sizeof(errbuf));
	/* What was read before an error is still reported. */
	flush_rc = conn_table_flush(table);
	if (flush_rc == -1 && rc == 0) {
		snprintf(errbuf, sizeof(errbuf), "%s: writing the report: %s",
		    path, strerror(errno));
		rc = -1;
	}
	conn_table_free(table);
	ctx->totals.files++;
	add_records(&ctx->totals.records, &stats);
	if (rc == -1) {
		ctx->totals.bad_files++;
		fprintf(err, "closeprobe analyze: %s\n", errbuf);
	}
	if (ctx->options->json)
		write_json_file(ctx->out, path, &stats,
		    rc == -1 ? errbuf : NULL);
	else if (rc == 0 || stats.records > 0)
		write_text_file(ctx->out, path, &stats);
	return rc;
}

int
analyze_run(int argc, char **argv, FILE *out, FILE *err)
{
	struct analyze_options options;
	struct analyze_context ctx;
	int i, rc, status = ANALYZE_OK;

	rc = parse_options(argc, argv, &options, out, err);
	if (rc != 0)
		return rc > 0 ? ANALYZE_OK : ANALYZE_USAGE;
	memset(&ctx, 0, sizeof(ctx));
	ctx.options = &options;
	ctx.out = out;
	for (i = options.first_file; i < argc; i++)
		if (analyze_file(&ctx, argv[i], err) == -1)
			status = ANALYZE_BAD_INPUT;
	if (status == ANALYZE_OK && ctx.totals.flagged > 0)
		status = ANALYZE_FLAGGED;
	if (!options.json && !ctx.header_done)
		write_text_header(out);
	write_summary(&ctx, status);
	if (fflush(out) == EOF || ferror(out)) {
		fprintf(err, "closeprobe analyze: writing the report: %s\n",
		    strerror(errno));
		status = ANALYZE_BAD_INPUT;
	}
	return status;
}

int
analyze_main(int argc, char **argv)
{
	return analyze_run(argc, argv, stdout, stderr);
}
