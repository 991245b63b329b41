/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * analyze.c - the library behind "closeprobe analyze": each file into a
 * streaming connection table, finished connections counted and handed
 * to the caller, and the writers of rows, file lines and the summary
 * (see analyze.h).  Nothing here prints on its own.
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
	ENDPOINT_TEXT_SIZE = INET6_ADDRSTRLEN + 16,	/* [addr]:port */
	TIME_TEXT_SIZE = 64
};

static const int64_t ns_per_s = INT64_C(1000000000);

struct analyze {
	struct analyze_options options;
	struct analyze_totals totals;
};

/* While a file is read: where finished connections go. */
struct file_reader {
	struct analyze *a;
	const char *file;
	analyze_conn_fn *conn;
	void *ctx;
};

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
	    ",\"hole_bytes\":%" PRIu64 ",\"acked_unseen_bytes\":%" PRIu64 ",\"unacked_at_rst\":%" PRIu64
	    ",\"peer_unacked_at_rst\":%" PRIu64
	    ",\"retransmissions\":%" PRIu64 ",\"zero_windows\":%" PRIu64
	    ",\"rst_count\":%" PRIu64 "}",
	    (unsigned)c->port[side], h->packets, h->payload_packets,
	    h->payload_bytes, h->acked_bytes, h->missed_bytes, h->hole_bytes,
	    h->acked_unseen_bytes, h->unacked_at_rst, h->peer_unacked_at_rst,
	    h->retransmissions,
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

void
analyze_write_json_conn(FILE *out, const struct conn *c, const char *file)
{
	char orig[INET6_ADDRSTRLEN], resp[INET6_ADDRSTRLEN];
	char start[TIME_TEXT_SIZE];
	const struct conn_half *o = &c->half[SIDE_ORIG];
	const struct conn_half *r = &c->half[SIDE_RESP];

	format_addr(c, SIDE_ORIG, orig, sizeof(orig));
	format_addr(c, SIDE_RESP, resp, sizeof(resp));
	format_time(c->first_ts_ns, start, sizeof(start));
	fputs("{\"type\":\"conn\",\"file\":", out);
	json_string(out, file);
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

void
analyze_write_text_header(FILE *out)
{
	fprintf(out, "%-30s %10s %-22s %-22s %-6s %-12s %-12s %-4s %-9s "
	    "%-21s %-21s %s\n", "start", "duration", "orig", "resp", "state",
	    "history", "teardown", "fin", "rst", "orig bytes seen/acked",
	    "resp bytes seen/acked", "flags");
}

void
analyze_write_text_conn(FILE *out, const struct conn *c)
{
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

/* The streaming table's callback: count, hand on. */
static int
conn_done(const struct conn *c, void *arg)
{
	struct file_reader *r = arg;
	struct analyze_totals *t = &r->a->totals;
	int i;

	t->connections++;
	if ((unsigned)c->state < CONN_STATE_COUNT)
		t->per_state[c->state]++;
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (c->flags & flag_of_index(i))
			t->per_flag[i]++;
	t->per_teardown[teardown_classify(c)]++;
	if (analyze_fail_on_matches(&r->a->options, c))
		t->flagged++;
	return r->conn != NULL ? r->conn(c, r->file, r->ctx) : 0;
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

void
analyze_write_json_file(FILE *out, const struct analyze_file_result *r)
{
	const struct trace_stats *s = &r->stats;

	fputs("{\"type\":\"file\",\"file\":", out);
	json_string(out, r->file);
	fprintf(out, ",\"linktype\":\"%s\",\"snaplen\":%d,\"records\":%" PRIu64
	    ",\"tcp\":%" PRIu64 ",\"not_tcp\":%" PRIu64 ",\"not_ip\":%" PRIu64
	    ",\"fragments\":%" PRIu64 ",\"undecodable\":%" PRIu64
	    ",\"error\":", linktype_name(s->linktype), s->snaplen, s->records,
	    s->tcp, s->not_tcp, s->not_ip, s->fragments, s->undecodable);
	if (r->failed)
		json_string(out, r->error);
	else
		fputs("null", out);
	fputs("}\n", out);
}

void
analyze_write_text_file(FILE *out, const struct analyze_file_result *r)
{
	const struct trace_stats *s = &r->stats;

	fprintf(out, "file %s: %s, snap length %d; %" PRIu64 " records: %"
	    PRIu64 " TCP, %" PRIu64 " other IP, %" PRIu64 " not IP, %" PRIu64
	    " fragments, %" PRIu64 " undecodable\n", r->file,
	    linktype_name(s->linktype), s->snaplen, s->records, s->tcp,
	    s->not_tcp, s->not_ip, s->fragments, s->undecodable);
}

void
analyze_write_json_summary(FILE *out, const struct analyze_totals *t,
    int status)
{
	int i;

	fprintf(out, "{\"type\":\"summary\",\"files\":%u,\"bad_files\":%u"
	    ",\"records\":%" PRIu64 ",\"tcp\":%" PRIu64 ",\"connections\":%"
	    PRIu64 ",\"conn_state\":{", t->files, t->bad_files,
	    t->records.records, t->records.tcp, t->connections);
	for (i = 0; i < CONN_STATE_COUNT; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
		    conn_state_name((enum conn_state)i), t->per_state[i]);
	fputs("},\"teardown\":{", out);
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
		    teardown_class_name((enum teardown_class)i),
		    t->per_teardown[i]);
	fputs("},\"flags\":{", out);
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
		    conn_flag_name(flag_of_index(i)), t->per_flag[i]);
	fprintf(out, "},\"fail_on_matched\":%" PRIu64
	    ",\"exit_status\":%d}\n", t->flagged, status);
}

void
analyze_write_text_summary(FILE *out, const struct analyze_totals *t,
    bool fail_on_set)
{
	int i;

	fprintf(out, "summary: %" PRIu64 " connection%s in %u file%s (%u bad); %"
	    PRIu64 " records, %" PRIu64 " TCP\n", t->connections,
	    t->connections == 1 ? "" : "s", t->files, t->files == 1 ? "" : "s",
	    t->bad_files, t->records.records, t->records.tcp);
	fputs("  conn_state:", out);
	for (i = 0; i < CONN_STATE_COUNT; i++)
		fprintf(out, " %s %" PRIu64, conn_state_name((enum conn_state)i),
		    t->per_state[i]);
	fputs("\n  teardown:  ", out);
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		fprintf(out, " %s %" PRIu64,
		    teardown_class_name((enum teardown_class)i),
		    t->per_teardown[i]);
	fputs("\n  flags:     ", out);
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		fprintf(out, " %s %" PRIu64, conn_flag_name(flag_of_index(i)),
		    t->per_flag[i]);
	fputc('\n', out);
	if (fail_on_set)
		fprintf(out, "  fail-on:    %" PRIu64 " connection%s matched\n",
		    t->flagged, t->flagged == 1 ? "" : "s");
}

int
analyze_fail_on_add(struct analyze_options *o, const char *word)
{
	unsigned flag;
	int i;

	if (strcmp(word, "any") == 0) {
		o->fail_on |= ANALYZE_ALL_FLAGS;
		return 0;
	}
	flag = conn_flag_from_name(word);
	if (flag != 0) {
		o->fail_on |= flag;
		return 0;
	}
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		if (strcmp(word, teardown_class_name((enum teardown_class)i)) ==
		    0) {
			o->fail_on_teardown |= 1u << i;
			return 0;
		}
	i = conn_state_from_name(word);
	if (i < 0)
		return -1;
	o->fail_on_state |= 1u << i;
	return 0;
}

bool
analyze_fail_on_set(const struct analyze_options *o)
{
	return o->fail_on != 0 || o->fail_on_teardown != 0 ||
	    o->fail_on_state != 0;
}

bool
analyze_fail_on_matches(const struct analyze_options *o, const struct conn *c)
{
	return (c->flags & o->fail_on) != 0 ||
	    (o->fail_on_teardown & (1u << teardown_classify(c))) != 0 ||
	    ((unsigned)c->state < CONN_STATE_COUNT &&
	    (o->fail_on_state & (1u << c->state)) != 0);
}

struct analyze *
analyze_open(const struct analyze_options *options)
{
	struct analyze *a;

	if (options == NULL) {
		errno = EINVAL;
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return NULL;
	a->options = *options;
	return a;
}

void
analyze_close(struct analyze *a)
{
	free(a);
}

const struct analyze_totals *
analyze_totals(const struct analyze *a)
{
	return &a->totals;
}

enum analyze_status
analyze_status(const struct analyze *a)
{
	if (a->totals.bad_files > 0)
		return ANALYZE_BAD_INPUT;
	return a->totals.flagged > 0 ? ANALYZE_FLAGGED : ANALYZE_OK;
}

int
analyze_file(struct analyze *a, const char *path, analyze_conn_fn *conn,
    void *ctx, struct analyze_file_result *result)
{
	struct conn_stream_params params;
	struct file_reader reader;
	struct conn_table *table;
	int rc, flush_rc;

	memset(result, 0, sizeof(*result));
	result->file = path;
	reader.a = a;
	reader.file = path;
	reader.conn = conn;
	reader.ctx = ctx;
	memset(&params, 0, sizeof(params));
	params.linger_ns = CONN_DEFAULT_LINGER_NS;
	params.idle_ns = CONN_DEFAULT_IDLE_NS;
	params.attempt_ns = CONN_DEFAULT_ATTEMPT_NS;
	params.done = conn_done;
	params.ctx = &reader;
	table = conn_table_new_streaming(&params);
	if (table == NULL) {
		snprintf(result->error, sizeof(result->error), "%s: %s", path,
		    strerror(errno));
		result->failed = true;
		a->totals.bad_files++;
		return -1;
	}
	rc = trace_read(path, table, &result->stats, TRACE_STRICT,
	    result->error, sizeof(result->error));
	/* What was read before an error is still handed on. */
	flush_rc = conn_table_flush(table);
	if (flush_rc == -1 && rc == 0) {
		snprintf(result->error, sizeof(result->error),
		    "%s: writing the report: %s", path, strerror(errno));
		rc = -1;
	}
	conn_table_free(table);
	a->totals.files++;
	add_records(&a->totals.records, &result->stats);
	if (rc == -1) {
		result->failed = true;
		a->totals.bad_files++;
	}
	return rc;
}
