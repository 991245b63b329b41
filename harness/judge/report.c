/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.c - a case's verdict, for a person (one paragraph, then the
 * details) and for a program (a JSON object; README.md lists its fields),
 * formatted in memory: the caller decides where the text goes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "status.h"
#include "strbuf.h"
#include "units.h"

/* Counters worth a word in the paragraph; all changes go into the JSON. */
static const char *const notable_counters[] = {
	"TCPAbortOnClose", "TCPAbortOnData", "TCPAbortOnLinger",
	"TCPAbortOnMemory", "TCPAbortOnTimeout", "TCPAbortFailed",
	"OutRsts", "EstabResets", "AttemptFails"
};

static const char *
status_name(enum case_status status)
{
	switch (status) {
	case CASE_PASS:
		return "PASS";
	case CASE_FAIL:
		return "FAIL";
	case CASE_SKIP:
		return "SKIP";
	case CASE_ERROR:
		return "ERROR";
	case CASE_UNSUPPORTED:
		return "UNSUPPORTED";
	}
	return "ERROR";
}

bool
report_mono_to_pcap_ns(const struct case_report *r, int64_t mono_ns, int64_t *pcap_ns)
{
	if (r == NULL || !r->have_capture || !r->capture.clock_offset_known)
		return false;
	*pcap_ns = mono_ns + r->capture.clock_offset_ns;
	return true;
}

bool
report_status_has_reason(enum case_status status)
{
	return status == CASE_SKIP || status == CASE_ERROR || status == CASE_UNSUPPORTED;
}

int
report_status_exit(enum case_status status)
{
	switch (status) {
	case CASE_PASS:
		return EXIT_PASS;
	case CASE_FAIL:
		return EXIT_FAIL;
	case CASE_SKIP:
		return EXIT_SKIP;
	case CASE_ERROR:
		return EXIT_ERROR;
	case CASE_UNSUPPORTED:
		return EXIT_UNSUPPORTED;
	}
	return EXIT_ERROR;
}

static const char *
count(uint64_t v, char *buf)
{
	return units_format_count(v, buf, 32);
}

static double
rel_s(const struct conn *c, int64_t ts_ns)
{
	return (double)(ts_ns - c->first_ts_ns) / 1e9;
}

/* "+1.302 s", or "+0.412 ms" for the sub-second times loopback gives. */
static void
write_rel_time(struct strbuf *out, const struct conn *c, int64_t ts_ns)
{
	double s = rel_s(c, ts_ns);

	if (s >= 1.0)
		strbuf_addf(out, "+%.3f s", s);
	else
		strbuf_addf(out, "+%.3f ms", s * 1e3);
}

/* Where a truncated direction's bytes went. */
static void
write_loss(const struct direction_verdict *d, struct strbuf *out)
{
	char a[32], b[32], c[32];

	if (d->lost_on_wire == 0 && d->unsent_at_close_known && d->unsent_at_close == d->lost) {
		strbuf_addf(out, " Lost %s B, all unsent at close.", count(d->lost, a));
		return;
	}
	if (d->lost_on_wire == 0)
		strbuf_addf(out, " Lost %s B, none of it put on the wire", count(d->lost, a));
	else if (d->lost_unsent == 0)
		strbuf_addf(out, " Lost %s B, all on the wire but never read by %s",
		    count(d->lost, a), case_role_name(d->reader));
	else
		strbuf_addf(out, " Lost %s B: %s B never put on the wire, %s B on the wire "
		    "but never read", count(d->lost, a), count(d->lost_unsent, b),
		    count(d->lost_on_wire, c));
	if (d->unsent_at_close_known && d->lost_unsent > 0)
		strbuf_addf(out, " (%s's unsent queue at close: %s B)",
		    case_role_name(d->writer), count(d->unsent_at_close, a));
	if (d->discarded_known && d->discarded > 0)
		strbuf_addf(out, "; %s B of it discarded unread in %s's receive queue at close",
		    count(d->discarded, a), case_role_name(d->reader));
	strbuf_adds(out, ".");
}

static void
write_direction(const struct direction_verdict *d, struct strbuf *out)
{
	char a[32], b[32], c[32], end[32];

	if (d->outcome == OUTCOME_NONE)
		return;
	ledger_format_read_result(&d->read_end, end, sizeof(end));
	strbuf_addf(out, " %s's send() accepted %s B; %s read %s B", case_role_name(d->writer),
	    count(d->written, a), case_role_name(d->reader), count(d->read, b));
	if (d->read_end.kind != READ_RESULT_NONE)
		strbuf_addf(out, ", then %s", end);
	strbuf_addf(out, " (%s->%s %s).", case_role_name(d->writer), case_role_name(d->reader),
	    case_outcome_name(d->outcome));
	if (d->outcome == OUTCOME_TRUNCATED)
		write_loss(d, out);
	if (d->arrived_known && d->outcome != OUTCOME_NONE)
		strbuf_addf(out, " Path: %s B left %s's end, %s B reached %s's end (%s B lost in flight).",
		    count(d->on_wire, a), case_role_name(d->writer), count(d->arrived, b),
		    case_role_name(d->reader), count(d->lost_in_flight, c));
	if (d->outcome == OUTCOME_CORRUPTED)
		strbuf_addf(out, " The bytes from stream offset %s on do not match what was sent.",
		    count(d->first_bad_offset, a));
}

/* One teardown packet: a FIN or a side's first RST. */
struct wire_event {
	int64_t ts_ns;
	uint64_t index;
	enum conn_side side;
	bool rst;
};

static void
write_wire(const struct case_report *r, struct strbuf *out)
{
	const struct conn *c = r->conn;
	struct wire_event events[4];
	size_t n = 0, i, j;
	int side;

	if (c == NULL)
		return;
	for (side = 0; side < 2; side++) {
		const struct conn_half *h = &c->half[side];

		if (h->fin_seen)
			events[n++] = (struct wire_event){ h->fin_ts_ns, h->fin_index,
				(enum conn_side)side, false };
		if (h->rst_count > 0)
			events[n++] = (struct wire_event){ h->first_rst_ts_ns,
				h->first_rst_index, (enum conn_side)side, true };
	}
	/* In capture order, as Wireshark would list them. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && events[j].index < events[j - 1].index; j--) {
			struct wire_event t = events[j];

			events[j] = events[j - 1];
			events[j - 1] = t;
		}
	/* The verdict's class: an RST after both FINs that refused data counts. */
	strbuf_addf(out, " Wire: %s;", teardown_class_name(r->verdict != NULL ?
	    r->verdict->teardown : teardown_classify(c)));
	for (i = 0; i < n; i++) {
		const struct conn_half *h = &c->half[events[i].side];

		strbuf_addf(out, "%s %s from %s at ", i > 0 ? "," : "",
		    events[i].rst ? conn_rst_kind_name(h->first_rst_kind) : "FIN",
		    case_role_name(verdict_role_of_side(events[i].side)));
		write_rel_time(out, c, events[i].ts_ns);
		if (events[i].rst && h->rst_count > 1)
			strbuf_addf(out, " (%" PRIu64 " RSTs)", h->rst_count);
	}
	if (!c->half[0].fin_seen && !c->half[1].fin_seen)
		strbuf_addf(out, "%s no FIN", n > 0 ? "," : "");
	if (c->half[0].rst_count == 0 && c->half[1].rst_count == 0)
		strbuf_addf(out, "%s no RST", n > 0 || (!c->half[0].fin_seen &&
		    !c->half[1].fin_seen) ? "," : "");
	else if (r->verdict != NULL ? r->verdict->rst_late : conn_rst_is_late(c))
		strbuf_addf(out, " (the RST came after both FINs: it answered a stray segment and "
		    "ended nothing)");
	strbuf_adds(out, ".");
}

static void
write_kernel(const struct case_report *r, struct strbuf *out)
{
	bool any = false;
	size_t i;

	if (r->counters == NULL)
		return;
	for (i = 0; i < sizeof(notable_counters) / sizeof(notable_counters[0]); i++) {
		int found;
		int64_t v = kcounters_get(r->counters, notable_counters[i], &found);

		if (!found)
			continue;
		strbuf_addf(out, "%s %s %+" PRId64, any ? "," : " Kernel:", notable_counters[i], v);
		any = true;
	}
	strbuf_addf(out, any ? "." : " Kernel: no abort or reset counter changed.");
}

/* The cause of the first RST, from the ledgers and the wire together. */
static const struct cause *
report_cause(const struct case_report *r, struct cause *local)
{
	if (r->verdict != NULL)
		return &r->verdict->cause;
	cause_find(r->cf, r->ledgers, r->conn, r->counters, local);
	return local;
}

/* The cause's sentences, to free; NULL when there is none. */
static char *
cause_text(const struct case_report *r)
{
	struct cause local;
	struct strbuf sb;

	strbuf_init(&sb);
	if (!cause_append_text(&sb, r->cf, report_cause(r, &local))) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_finish(&sb);
}

static void
write_cause(const struct case_report *r, struct strbuf *out)
{
	char *text = cause_text(r);

	if (text != NULL)
		strbuf_addf(out, " Cause: %s", text);
	free(text);
}

/* What each snapshot and so_error step of the role recorded, in step order. */
static void
write_step_records(const struct case_report *r, enum role_id role, struct strbuf *out)
{
	const struct case_role *cr = &r->cf->roles[role];
	const struct ledger *l = r->ledgers[role];
	char a[32], b[32], c[32];
	size_t i;

	for (i = 0; i < cr->nsteps; i++) {
		const struct case_step *s = &cr->steps[i];
		const struct step_record *rec = ledger_record(l, i);

		if (rec == NULL || (s->kind != STEP_SNAPSHOT && s->kind != STEP_SO_ERROR))
			continue;
		strbuf_addf(out, "; %s%s%s (line %u) ", case_step_kind_name(s->kind),
		    s->u.label.name != NULL ? " " : "",
		    s->u.label.name != NULL ? s->u.label.name : "", s->line);
		if (s->kind == STEP_SO_ERROR && rec->so_error_read)
			strbuf_adds(out, rec->so_error == 0 ? "0" : case_errno_to_name(rec->so_error));
		else if (s->kind == STEP_SNAPSHOT && rec->queues.valid)
			strbuf_addf(out, "unread %s B, unsent %s B, unacked %s B",
			    count(rec->queues.unread, a), count(rec->queues.unsent, b),
			    count(rec->queues.unacked, c));
		else
			strbuf_adds(out, "not done");
	}
}

static void
write_role_details(const struct case_report *r, enum role_id role, struct strbuf *out)
{
	const struct ledger *l = r->ledgers[role];
	char sends[512], end[32], next[32], a[32], b[32], c[32], revents[96];

	if (l == NULL || !r->cf->roles[role].present)
		return;
	ledger_format_sends(l, sends, sizeof(sends));
	ledger_format_read_result(&l->read_end, end, sizeof(end));
	ledger_format_read_result(&l->next_read, next, sizeof(next));
	strbuf_addf(out, "  %s: send(): %s; recv(): %s B in %s call%s, loop ended %s, next read %s",
	    case_role_name(role), sends[0] ? sends : "none", count(l->bytes_read, a),
	    count(l->recv_calls, b), l->recv_calls == 1 ? "" : "s", end, next);
	if (l->so_error_read)
		strbuf_addf(out, "; SO_ERROR %s", l->so_error == 0 ? "0" : case_errno_to_name(l->so_error));
	write_step_records(r, role, out);
	if (l->shutdown.done)
		strbuf_addf(out, "; shutdown() = %d%s%s in %.3f ms", l->shutdown.rc,
		    l->shutdown.rc < 0 ? " " : "",
		    l->shutdown.rc < 0 ? case_errno_to_name(l->shutdown.error) : "",
		    (double)l->shutdown.duration_ns / 1e6);
	if (l->close.done) {
		strbuf_addf(out, "; close() = %d%s%s in %.3f ms", l->close.rc,
		    l->close.rc < 0 ? " " : "",
		    l->close.rc < 0 ? case_errno_to_name(l->close.error) : "",
		    (double)l->close.duration_ns / 1e6);
		if (l->close.before.valid)
			strbuf_addf(out, " (before it: unread %s B, unsent %s B, unacked %s B)",
			    count(l->close.before.unread, a), count(l->close.before.unsent, b),
			    count(l->close.before.unacked, c));
		if (l->closes > 1)
			strbuf_addf(out, " (last of %" PRIu64 " descriptors)", l->closes);
	}
	if (l->polled) {
		verdict_format_poll_events(true, l->poll_revents, revents, sizeof(revents));
		strbuf_addf(out, "; poll() %s", revents);
	}
	if (l->exit_signal != 0)
		strbuf_addf(out, "; killed by %s", case_signal_to_name(l->exit_signal));
	strbuf_adds(out, "\n");
}

void
report_append_text(struct strbuf *out, const struct case_report *r)
{
	const struct verdict *v = r->verdict;
	size_t i;

	strbuf_addf(out, "%s%s: %s.", r->cf->name, r->family == 6 ? " (IPv6)" :
	    r->family_in_name ? " (IPv4)" : "", status_name(r->status));
	if (report_status_has_reason(r->status))
		strbuf_addf(out, " %s.", r->error);
	if (v != NULL) {
		write_direction(&v->directions[DIRECTION_SERVER_TO_CLIENT], out);
		write_direction(&v->directions[DIRECTION_CLIENT_TO_SERVER], out);
	}
	write_wire(r, out);
	write_kernel(r, out);
	write_cause(r, out);
	if (r->pcap_path != NULL && r->have_capture && r->client_pcap_path != NULL)
		strbuf_addf(out, " Evidence: %s (server end, %" PRIu64 " packets, %u dropped), "
		    "%s (client end, %" PRIu64 " packets, %u dropped).", r->pcap_path,
		    r->capture.written, r->capture.dropped, r->client_pcap_path,
		    r->client_capture.written, r->client_capture.dropped);
	else if (r->pcap_path != NULL && r->have_capture)
		strbuf_addf(out, " Evidence: %s (%" PRIu64 " packets, %u dropped).", r->pcap_path,
		    r->capture.written, r->capture.dropped);
	else if (r->pcap_path != NULL)
		strbuf_addf(out, " Evidence: %s (incomplete).", r->pcap_path);
	strbuf_adds(out, "\n");
	if (r->paths != NULL)
		strbuf_addf(out, "  path: %s\n", r->paths);
	if (r->note != NULL)
		strbuf_addf(out, "  note: %s\n", r->note);
	if (r->peer_platform != NULL)
		strbuf_addf(out, "  peer: %s on %s %s %s, stack %s\n", r->peer_role,
		    r->peer_platform->os, r->peer_platform->release, r->peer_platform->machine,
		    r->peer_platform->stack);
	if (v != NULL)
		for (i = 0; i < v->nresults; i++) {
			const struct case_expect *e = &r->cf->expects[i];

			strbuf_addf(out, "  %s %s:%u: expect %s; observed %s\n",
			    v->results[i].skipped ? "skip  " : v->results[i].held ? "ok    " :
			    "FAILED", r->cf->path, e->line, e->text, v->results[i].observed);
		}
	for (i = 0; i < ROLE_COUNT; i++)
		write_role_details(r, (enum role_id)i, out);
}

/* JSON output. */

static void
json_string(struct strbuf *out, const char *s)
{
	strbuf_addc(out, '"');
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			strbuf_addf(out, "\\%c", ch);
		else if (ch == '\n')
			strbuf_adds(out, "\\n");
		else if (ch == '\t')
			strbuf_adds(out, "\\t");
		else if (ch < 0x20)
			strbuf_addf(out, "\\u%04x", ch);
		else
			strbuf_addc(out, *s);
	}
	strbuf_addc(out, '"');
}

static void
json_read_result(struct strbuf *out, const char *key, const struct read_result *rr)
{
	char buf[32];

	ledger_format_read_result(rr, buf, sizeof(buf));
	strbuf_addf(out, ",\"%s\":", key);
	if (rr->kind == READ_RESULT_NONE)
		strbuf_adds(out, "null");
	else
		json_string(out, rr->kind == READ_RESULT_DATA ? "data" : buf);
}

static void
json_teardown_call(struct strbuf *out, const char *key, const struct teardown_call *t)
{
	strbuf_addf(out, ",\"%s\":", key);
	if (!t->done) {
		strbuf_adds(out, "null");
		return;
	}
	strbuf_addf(out, "{\"rc\":%d,\"errno\":", t->rc);
	if (t->rc < 0)
		json_string(out, case_errno_to_name(t->error));
	else
		strbuf_adds(out, "null");
	strbuf_addf(out, ",\"duration_ms\":%.3f", (double)t->duration_ns / 1e6);
	if (t->before.valid)
		strbuf_addf(out, ",\"before\":{\"unread\":%" PRIu64 ",\"unsent\":%" PRIu64
		    ",\"unacked\":%" PRIu64 "}}", t->before.unread, t->before.unsent,
		    t->before.unacked);
	else
		strbuf_adds(out, ",\"before\":null}");
}

/* "snapshots" and "so_error_steps": each such step's record, in step order. */
static void
json_step_records(struct strbuf *out, const struct case_role *cr, const struct ledger *l,
    enum step_kind kind, const char *key)
{
	bool first = true;
	size_t i;

	strbuf_addf(out, ",\"%s\":[", key);
	for (i = 0; i < cr->nsteps; i++) {
		const struct case_step *s = &cr->steps[i];
		const struct step_record *rec = ledger_record(l, i);

		if (s->kind != kind || rec == NULL)
			continue;
		strbuf_addf(out, "%s{\"line\":%u,\"name\":", first ? "" : ",", s->line);
		first = false;
		if (s->u.label.name != NULL)
			json_string(out, s->u.label.name);
		else
			strbuf_adds(out, "null");
		if (kind == STEP_SO_ERROR) {
			strbuf_adds(out, ",\"so_error\":");
			if (rec->so_error_read)
				json_string(out, rec->so_error == 0 ? "0" : case_errno_to_name(rec->so_error));
			else
				strbuf_adds(out, "null");
		} else if (rec->queues.valid)
			strbuf_addf(out, ",\"unread\":%" PRIu64 ",\"unsent\":%" PRIu64
			    ",\"unacked\":%" PRIu64, rec->queues.unread, rec->queues.unsent,
			    rec->queues.unacked);
		else
			strbuf_adds(out, ",\"unread\":null,\"unsent\":null,\"unacked\":null");
		strbuf_addc(out, '}');
	}
	strbuf_addc(out, ']');
}

static void
json_ledger(struct strbuf *out, const struct case_role *cr, const struct ledger *l)
{
	size_t i;

	strbuf_addf(out, "{\"bytes_sent\":%" PRIu64 ",\"send_calls\":%" PRIu64 ",\"sends\":[",
	    l->bytes_sent, l->send_calls);
	for (i = 0; i < l->nsends; i++) {
		strbuf_addf(out, "%s{\"result\":", i > 0 ? "," : "");
		json_string(out, l->sends[i].error == 0 ? "ok" : case_errno_to_name(l->sends[i].error));
		strbuf_addf(out, ",\"calls\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", l->sends[i].calls,
		    l->sends[i].bytes);
	}
	strbuf_addf(out, "],\"bytes_read\":%" PRIu64 ",\"recv_calls\":%" PRIu64
	    ",\"corrupted\":%s", l->bytes_read, l->recv_calls, l->corrupted ? "true" : "false");
	json_read_result(out, "read_end", &l->read_end);
	json_read_result(out, "next_read", &l->next_read);
	strbuf_adds(out, ",\"so_error\":");
	if (!l->so_error_read)
		strbuf_adds(out, "null");
	else
		json_string(out, l->so_error == 0 ? "0" : case_errno_to_name(l->so_error));
	json_step_records(out, cr, l, STEP_SO_ERROR, "so_error_steps");
	json_step_records(out, cr, l, STEP_SNAPSHOT, "snapshots");
	json_teardown_call(out, "shutdown", &l->shutdown);
	json_teardown_call(out, "close", &l->close);
	strbuf_addf(out, ",\"closes\":%" PRIu64 ",\"poll_revents\":", l->closes);
	if (l->polled)
		strbuf_addf(out, "%d", l->poll_revents);
	else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"killed_by\":");
	if (l->exit_signal != 0)
		json_string(out, case_signal_to_name(l->exit_signal));
	else
		strbuf_adds(out, "null");
	strbuf_addc(out, '}');
}

/*
 * The "wire" object, as "closeprobe run --json" and "closeprobe analyze
 * --json" both write it (one function, so that the two compare as text).
 */
void
report_append_wire_json(struct strbuf *out, const struct conn *c)
{
	int side;

	if (c == NULL) {
		strbuf_adds(out, "null");
		return;
	}
	strbuf_adds(out, "{\"teardown\":");
	json_string(out, teardown_class_name(teardown_classify(c)));
	for (side = 0; side < 2; side++) {
		const struct conn_half *h = &c->half[side];

		strbuf_addf(out, ",\"%s\":{\"packets\":%" PRIu64 ",\"payload_bytes\":%" PRIu64
		    ",\"acked_bytes\":%" PRIu64 ",\"fin\":",
		    case_role_name(verdict_role_of_side((enum conn_side)side)), h->packets,
		    h->payload_bytes, h->acked_bytes);
		if (h->fin_seen)
			strbuf_addf(out, "{\"at_s\":%.6f,\"packet\":%" PRIu64 "}",
			    rel_s(c, h->fin_ts_ns), h->fin_index);
		else
			strbuf_adds(out, "null");
		strbuf_adds(out, ",\"rst\":");
		if (h->rst_count > 0) {
			strbuf_adds(out, "{\"kind\":");
			json_string(out, h->first_rst_kind == RST_KIND_BARE ? "bare" : "rst+ack");
			/* late: after both FINs, answering nothing new (conn_rst_is_late()) */
			strbuf_addf(out, ",\"at_s\":%.6f,\"packet\":%" PRIu64 ",\"count\":%" PRIu64
			    ",\"late\":%s}", rel_s(c, h->first_rst_ts_ns), h->first_rst_index,
			    h->rst_count, conn_rst_is_late(c) ? "true" : "false");
		} else
			strbuf_adds(out, "null");
		strbuf_addc(out, '}');
	}
	strbuf_addc(out, '}');
}

static void
json_directions(struct strbuf *out, const struct verdict *v)
{
	int i;

	strbuf_addc(out, '{');
	for (i = 0; i < DIRECTION_COUNT; i++) {
		const struct direction_verdict *d = &v->directions[i];

		strbuf_addf(out, "%s\"%s->%s\":{\"outcome\":", i > 0 ? "," : "",
		    case_role_name(d->writer), case_role_name(d->reader));
		json_string(out, case_outcome_name(d->outcome));
		strbuf_addf(out, ",\"written\":%" PRIu64 ",\"read\":%" PRIu64 ",\"on_wire\":%" PRIu64
		    ",\"lost\":%" PRIu64 ",\"lost_unsent\":%" PRIu64 ",\"lost_on_wire\":%" PRIu64
		    ",\"unsent_at_close\":", d->written, d->read, d->on_wire, d->lost,
		    d->lost_unsent, d->lost_on_wire);
		if (d->unsent_at_close_known)
			strbuf_addf(out, "%" PRIu64, d->unsent_at_close);
		else
			strbuf_adds(out, "null");
		if (d->arrived_known)
			strbuf_addf(out, ",\"arrived\":%" PRIu64 ",\"lost_in_flight\":%" PRIu64 "}",
			    d->arrived, d->lost_in_flight);
		else
			strbuf_adds(out, ",\"arrived\":null,\"lost_in_flight\":null}");
	}
	strbuf_addc(out, '}');
}

/* The platform as platform_write_json() writes it, or null. */
static void
json_platform(struct strbuf *out, const struct platform *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int rc;

	if (p == NULL) {
		strbuf_adds(out, "null");
		return;
	}
	mem = open_memstream(&text, &len);
	if (mem == NULL) {
		strbuf_adds(out, "null");
		return;
	}
	rc = platform_write_json(p, mem);
	if (fclose(mem) != 0)
		rc = -1;
	if (rc == 0 && text != NULL)
		strbuf_add(out, text, len);
	else
		strbuf_adds(out, "null");
	free(text);
}

void
report_append_json(struct strbuf *out, const struct case_report *r)
{
	char *cause;
	size_t i;

	strbuf_adds(out, "{\"case\":");
	json_string(out, r->cf->name);
	strbuf_adds(out, ",\"file\":");
	json_string(out, r->cf->path);
	strbuf_adds(out, ",\"status\":");
	json_string(out, status_name(r->status));
	strbuf_adds(out, ",\"error\":");
	if (report_status_has_reason(r->status))
		json_string(out, r->error);
	else
		strbuf_adds(out, "null");
	strbuf_addf(out, ",\"family\":%d,\"duration_s\":%.6f", r->family, r->duration_s);
	if (r->phases != NULL) {
		int ph;

		/* The parts add up to duration_s: a slow case explains itself. */
		strbuf_adds(out, ",\"phases\":{");
		for (ph = 0; ph < PHASE_COUNT; ph++)
			strbuf_addf(out, "%s\"%s_s\":%.6f", ph > 0 ? "," : "",
			    phases_name((enum phase)ph), phases_seconds(r->phases, (enum phase)ph));
		strbuf_adds(out, "}");
	}
	strbuf_addf(out, ",\"server_port\":%u,\"client_port\":%u", r->server_port,
	    r->client_port);
	strbuf_adds(out, ",\"evidence\":");
	if (r->pcap_path != NULL && r->have_capture) {
		strbuf_adds(out, "{\"pcap\":");
		json_string(out, r->pcap_path);
		strbuf_adds(out, ",\"text\":");
		if (r->text_path != NULL)
			json_string(out, r->text_path);
		else
			strbuf_adds(out, "null");
		strbuf_addf(out, ",\"packets\":%" PRIu64 ",\"received\":%u,\"dropped\":%u",
		    r->capture.written, r->capture.received, r->capture.dropped);
		/* pcap time = a ledger's CLOCK_MONOTONIC time + clock_offset_ns */
		if (r->capture.clock_offset_known)
			strbuf_addf(out, ",\"clock_offset_ns\":%" PRId64
			    ",\"clock_offset_error_ns\":%" PRId64, r->capture.clock_offset_ns,
			    r->capture.clock_offset_error_ns);
		else
			strbuf_adds(out, ",\"clock_offset_ns\":null,\"clock_offset_error_ns\":null");
		strbuf_adds(out, ",\"client_pcap\":");
		if (r->client_pcap_path != NULL)
			json_string(out, r->client_pcap_path);
		else
			strbuf_adds(out, "null");
		/* The ladders drawn from them (harness/draw/ladder-run.h). */
		strbuf_adds(out, ",\"svg\":");
		if (r->svg_path != NULL)
			json_string(out, r->svg_path);
		else
			strbuf_adds(out, "null");
		strbuf_adds(out, ",\"client_svg\":");
		if (r->client_svg_path != NULL)
			json_string(out, r->client_svg_path);
		else
			strbuf_adds(out, "null");
		strbuf_addc(out, '}');
	} else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"path\":");
	if (r->paths != NULL)
		json_string(out, r->paths);
	else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"note\":");
	if (r->note != NULL)
		json_string(out, r->note);
	else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"platform\":");
	json_platform(out, r->platform);
	strbuf_adds(out, ",\"peer\":");
	if (r->peer_platform != NULL) {
		strbuf_adds(out, "{\"role\":");
		json_string(out, r->peer_role);
		strbuf_adds(out, ",\"platform\":");
		json_platform(out, r->peer_platform);
		strbuf_addc(out, '}');
	} else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"roles\":");
	if (r->ledgers[ROLE_CLIENT] != NULL && r->ledgers[ROLE_SERVER] != NULL) {
		bool first = true;

		strbuf_addc(out, '{');
		for (i = 0; i < ROLE_COUNT; i++) {
			if (!r->cf->roles[i].present || r->ledgers[i] == NULL)
				continue;
			strbuf_adds(out, first ? "" : ",");
			json_string(out, case_role_name((enum role_id)i));
			strbuf_addc(out, ':');
			json_ledger(out, &r->cf->roles[i], r->ledgers[i]);
			first = false;
		}
		strbuf_addc(out, '}');
	} else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"wire\":");
	report_append_wire_json(out, r->conn);
	strbuf_adds(out, ",\"directions\":");
	if (r->verdict != NULL)
		json_directions(out, r->verdict);
	else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"kernel\":{");
	for (i = 0; r->counters != NULL && i < r->counters->count; i++) {
		strbuf_adds(out, i > 0 ? "," : "");
		json_string(out, r->counters->items[i].name);
		strbuf_addf(out, ":%" PRId64, r->counters->items[i].value);
	}
	strbuf_adds(out, "},\"cause\":");
	cause = cause_text(r);
	if (cause != NULL)
		json_string(out, cause);
	else
		strbuf_adds(out, "null");
	free(cause);
	strbuf_adds(out, ",\"expectations\":[");
	for (i = 0; r->verdict != NULL && i < r->verdict->nresults; i++) {
		strbuf_addf(out, "%s{\"line\":%u,\"expect\":", i > 0 ? "," : "", r->cf->expects[i].line);
		json_string(out, r->cf->expects[i].text);
		strbuf_adds(out, ",\"system\":");
		if (r->cf->expects[i].system != NULL)
			json_string(out, r->cf->expects[i].system);
		else
			strbuf_adds(out, "null");
		strbuf_adds(out, ",\"release\":");
		if (r->cf->expects[i].has_release)
			strbuf_addf(out, "\"%s %u.%u.%u\"",
			    case_compare_op_name(r->cf->expects[i].release_op),
			    r->cf->expects[i].release[0], r->cf->expects[i].release[1],
			    r->cf->expects[i].release[2]);
		else
			strbuf_adds(out, "null");
		strbuf_addf(out, ",\"held\":%s,\"observed\":", r->verdict->results[i].skipped ?
		    "null" : r->verdict->results[i].held ? "true" : "false");
		json_string(out, r->verdict->results[i].observed);
		strbuf_addc(out, '}');
	}
	strbuf_adds(out, "]}");
}

int
report_json_wire(FILE *out, const struct conn *c)
{
	struct strbuf sb;
	char *text;
	int rc;

	strbuf_init(&sb);
	report_append_wire_json(&sb, c);
	text = strbuf_finish(&sb);
	if (text == NULL) {
		errno = ENOMEM;
		return -1;
	}
	rc = fputs(text, out) == EOF ? -1 : 0;
	free(text);
	return rc;
}
