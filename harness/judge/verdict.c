/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * verdict.c - outcomes per direction and the judgement of every expectation.
 *
 * The wire half (teardown class, who sent FIN and RST, which kind of RST,
 * bytes on the wire) comes only from the packets; the application half
 * only from the ledgers.  Nothing here reads socket state of its own.
 */
#include <sys/utsname.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "verdict.h"

enum role_id
verdict_role_of_side(enum conn_side side)
{
	return side == SIDE_ORIG ? ROLE_CLIENT : ROLE_SERVER;
}

enum conn_side
verdict_side_of_role(enum role_id role)
{
	return role == ROLE_CLIENT ? SIDE_ORIG : SIDE_RESP;
}

static bool
wire_any_rst(const struct conn *conn)
{
	return conn != NULL &&
	    (conn->half[SIDE_ORIG].rst_count > 0 || conn->half[SIDE_RESP].rst_count > 0);
}

/* An RST that matters: one that is not merely late (conn_rst_is_late():
 * after both FINs, refusing no data). */
static bool
wire_has_rst(const struct conn *conn)
{
	return wire_any_rst(conn) && !conn_rst_is_late(conn);
}

static enum teardown_class
verdict_teardown(const struct conn *conn)
{
	return conn == NULL ? TEARDOWN_NONE : teardown_classify(conn);
}

/* The ledger of end's role or its child that last did something with
 * the socket: the one whose read loop ended, or whose close() came last. */
static const struct ledger *
end_reader(const struct verdict_input *in, enum role_id end)
{
	const struct ledger *parent = in->ledgers[end];
	const struct ledger *child = in->ledgers[end == ROLE_CLIENT ? ROLE_CLIENT_CHILD :
	    ROLE_SERVER_CHILD];

	if (child == NULL || child->read_end.kind == READ_RESULT_NONE)
		return parent;
	if (parent->read_end.kind == READ_RESULT_NONE)
		return child;
	return parent;
}

static const struct teardown_call *
end_last_close(const struct verdict_input *in, enum role_id end)
{
	const struct ledger *parent = in->ledgers[end];
	const struct ledger *child = in->ledgers[end == ROLE_CLIENT ? ROLE_CLIENT_CHILD :
	    ROLE_SERVER_CHILD];
	const struct teardown_call *best = parent->close.done ? &parent->close : NULL;

	if (child != NULL && child->close.done &&
	    (best == NULL || child->close.at_ns > best->at_ns))
		best = &child->close;
	return best;
}

static bool
end_write_shut(const struct verdict_input *in, enum role_id end)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++)
		if (in->ledgers[r] != NULL && case_role_end((enum role_id)r) == end &&
		    in->ledgers[r]->write_shut)
			return true;
	return false;
}

static void
end_totals(const struct verdict_input *in, enum role_id end, uint64_t *sent,
    uint64_t *read, bool *corrupted, uint64_t *first_bad)
{
	int r;

	*sent = *read = *first_bad = 0;
	*corrupted = false;
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct ledger *l = in->ledgers[r];

		if (l == NULL || case_role_end((enum role_id)r) != end)
			continue;
		*sent += l->bytes_sent;
		*read += l->bytes_read;
		if (l->corrupted && !*corrupted) {
			*corrupted = true;
			*first_bad = l->first_bad_offset;
		}
	}
}

static void
direction_judge(const struct verdict_input *in, enum role_id writer,
    struct direction_verdict *d)
{
	const struct teardown_call *wclose, *rclose;
	const struct ledger *r;
	uint64_t ignored_sent, ignored_read, first_bad;
	bool corrupted, ignored;

	memset(d, 0, sizeof(*d));
	d->writer = writer;
	d->reader = writer == ROLE_CLIENT ? ROLE_SERVER : ROLE_CLIENT;
	r = end_reader(in, d->reader);
	d->read_end = r->read_end;
	end_totals(in, writer, &d->written, &ignored_read, &ignored, &first_bad);
	end_totals(in, d->reader, &ignored_sent, &d->read, &corrupted, &first_bad);
	d->first_bad_offset = first_bad;
	if (in->conn != NULL)
		d->on_wire = in->conn->half[verdict_side_of_role(writer)].payload_bytes;
	if (in->conn != NULL && in->client_conn != NULL) {
		/* Captured at both ends: what left the writer's, what reached the reader's. */
		const struct conn *at_writer = writer == ROLE_SERVER ? in->conn : in->client_conn;
		const struct conn *at_reader = writer == ROLE_SERVER ? in->client_conn : in->conn;

		const struct conn_half *left = &at_writer->half[verdict_side_of_role(writer)];
		const struct conn_half *came = &at_reader->half[verdict_side_of_role(writer)];

		/* Stream bytes each capture actually held: holes never filled do not count. */
		d->on_wire = left->payload_bytes - (left->hole_bytes < left->payload_bytes ?
		    left->hole_bytes : left->payload_bytes);
		d->arrived = came->payload_bytes - (came->hole_bytes < came->payload_bytes ?
		    came->hole_bytes : came->payload_bytes);
		d->arrived_known = true;
		d->lost_in_flight = d->on_wire > d->arrived ? d->on_wire - d->arrived : 0;
	}
	wclose = end_last_close(in, writer);
	if (wclose != NULL && wclose->before.valid) {
		d->unsent_at_close_known = true;
		d->unsent_at_close = wclose->before.unsent;
		/* SIOCOUTQNSD counts a queued FIN's sequence slot: data only here. */
		if (end_write_shut(in, writer) && d->unsent_at_close > 0)
			d->unsent_at_close--;
	}
	rclose = end_last_close(in, d->reader);
	if (rclose != NULL && rclose->before.valid) {
		d->discarded_known = true;
		d->discarded = rclose->before.unread;
	}
	if (d->written == 0 && d->read == 0) {
		d->outcome = OUTCOME_NONE;
		return;
	}
	if (corrupted || d->read > d->written) {
		d->outcome = OUTCOME_CORRUPTED;
		return;
	}
	if (d->read < d->written) {
		uint64_t wire = d->on_wire < d->written ? d->on_wire : d->written;

		d->outcome = OUTCOME_TRUNCATED;
		d->lost = d->written - d->read;
		d->lost_unsent = d->written - (wire > d->read ? wire : d->read);
		d->lost_on_wire = d->lost - d->lost_unsent;
		return;
	}
	switch (r->read_end.kind) {
	case READ_RESULT_EOF:
		d->outcome = wire_has_rst(in->conn) ? OUTCOME_HIDDEN_RESET : OUTCOME_CLEAN;
		break;
	case READ_RESULT_ERROR:
		d->outcome = OUTCOME_DELIVERED_BUT_RESET;
		break;
	case READ_RESULT_NONE:
	case READ_RESULT_DATA:
	case READ_RESULT_WOULD_BLOCK:
	case READ_RESULT_TIMEOUT:
		d->outcome = OUTCOME_DELIVERED;
		break;
	}
}

static enum teardown_expect_class
expect_class_of(enum teardown_class c)
{
	switch (c) {
	case TEARDOWN_FIN:
		return EXPECT_TEARDOWN_FIN;
	case TEARDOWN_HALF_FIN:
		return EXPECT_TEARDOWN_HALF_FIN;
	case TEARDOWN_RST:
		return EXPECT_TEARDOWN_RST;
	case TEARDOWN_FIN_THEN_RST:
		return EXPECT_TEARDOWN_FIN_THEN_RST;
	case TEARDOWN_NONE:
		break;
	}
	return EXPECT_TEARDOWN_NONE;
}

static bool
read_result_matches(const struct read_result *r, int expected)
{
	if (expected == 0)
		return r->kind == READ_RESULT_EOF;
	if (expected == READ_END_TIMEOUT)
		return r->kind == READ_RESULT_TIMEOUT;
	if (r->kind == READ_RESULT_WOULD_BLOCK)
		return expected == EAGAIN;
	return r->kind == READ_RESULT_ERROR && r->error == expected;
}

void
verdict_format_poll_events(bool polled, short revents, char *buf, size_t size)
{
	static const struct {
		short bit;
		const char *name;
	} names[] = { { POLLIN, "POLLIN" }, { POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLRDHUP, "POLLRDHUP" } };
	size_t i, used;

	if (!polled) {
		snprintf(buf, size, "never polled");
		return;
	}
	used = (size_t)snprintf(buf, size, "revents");
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && used < size; i++)
		if (revents & names[i].bit)
			used += (size_t)snprintf(buf + used, size - used, " %s", names[i].name);
	if (revents == 0 && used < size)
		snprintf(buf + used, size - used, " none");
}

/* What a judge looks at: the expectation, and what was observed. */
struct judgement {
	const struct case_expect *e;
	const struct verdict_input *in;
	const struct verdict *v;
	const struct ledger *l;			/* the ledger of e->role */
	const struct direction_verdict *d;	/* the direction e->writer->reader */
};

static void
judge_teardown(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	enum teardown_expect_class seen = expect_class_of(j->v->teardown);
	int who = -1;

	res->held = seen == e->u.teardown;
	if (e->has_role) {
		if (e->u.teardown == EXPECT_TEARDOWN_RST ||
		    e->u.teardown == EXPECT_TEARDOWN_FIN_THEN_RST)
			who = j->v->first_rst_role;
		else
			who = j->v->first_fin_role;
		res->held = res->held && who == (int)e->role;
	} else if (seen == EXPECT_TEARDOWN_RST || seen == EXPECT_TEARDOWN_FIN_THEN_RST)
		who = j->v->first_rst_role;
	else
		who = j->v->first_fin_role;
	snprintf(res->observed, sizeof(res->observed), "teardown %s%s%s",
	    case_teardown_expect_name(seen), who >= 0 ? " from " : "",
	    who >= 0 ? case_role_name((enum role_id)who) : "");
}

static void
judge_rst(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	const struct conn *conn = j->in->conn;
	const struct conn_half *h;

	if (e->u.rst.kind == RST_EXPECT_NONE) {
		res->held = !wire_has_rst(conn);
		if (res->held && j->v->rst_late)
			snprintf(res->observed, sizeof(res->observed),
			    "no RST before both FINs (a late one after them ends nothing)");
		else if (res->held)
			snprintf(res->observed, sizeof(res->observed), "no RST");
		else {
			int side = conn->first_rst_side;

			snprintf(res->observed, sizeof(res->observed), "%s from %s",
			    conn_rst_kind_name(conn->half[side].first_rst_kind),
			    case_role_name(verdict_role_of_side((enum conn_side)side)));
		}
		return;
	}
	h = conn != NULL ? &conn->half[verdict_side_of_role(e->role)] : NULL;
	if (h == NULL || h->rst_count == 0) {
		/* "count = 0" (or "< 1") is the one that holds without an RST. */
		res->held = e->u.rst.counted && e->u.rst.kind == RST_EXPECT_ANY &&
		    case_compare_u64(0, e->u.rst.op, e->u.rst.count);
		snprintf(res->observed, sizeof(res->observed), "no RST from %s",
		    case_role_name(e->role));
		return;
	}
	res->held = e->u.rst.kind == RST_EXPECT_ANY ||
	    (e->u.rst.kind == RST_EXPECT_ACK && h->first_rst_kind == RST_KIND_WITH_ACK) ||
	    (e->u.rst.kind == RST_EXPECT_BARE && h->first_rst_kind == RST_KIND_BARE);
	if (e->u.rst.counted)
		res->held = res->held && case_compare_u64(h->rst_count, e->u.rst.op, e->u.rst.count);
	snprintf(res->observed, sizeof(res->observed), "%s from %s", conn_rst_kind_name(h->first_rst_kind),
	    case_role_name(e->role));
	if (e->u.rst.counted)
		snprintf(res->observed + strlen(res->observed),
		    sizeof(res->observed) - strlen(res->observed), ", %" PRIu64 " RST%s in all",
		    h->rst_count, h->rst_count == 1 ? "" : "s");
}

static void
judge_recv_end(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	char first[32], then[32];

	ledger_format_read_result(&j->l->read_end, first, sizeof(first));
	ledger_format_read_result(&j->l->next_read, then, sizeof(then));
	res->held = read_result_matches(&j->l->read_end, e->u.recv_end.first) &&
	    (!e->u.recv_end.has_then ||
	    read_result_matches(&j->l->next_read, e->u.recv_end.then));
	snprintf(res->observed, sizeof(res->observed), "%s.recv ends %s then %s",
	    case_role_name(e->role), first, then);
}

/* What the role's Nth recv step returned (check.c made sure it has one). */
static void
judge_recv_step(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	const struct case_role *r = &j->in->cf->roles[e->role];
	const struct step_record *rec = NULL;
	char end[32], bytes[32];
	unsigned seen = 0;
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == STEP_RECV && ++seen == e->u.recv_step.nth) {
			rec = ledger_record(j->l, i);
			break;
		}
	if (rec == NULL || (!rec->done && rec->calls == 0)) {
		res->held = false;
		snprintf(res->observed, sizeof(res->observed), "%s.recv %u: never ran",
		    case_role_name(e->role), e->u.recv_step.nth);
		return;
	}
	ledger_format_read_result(&rec->end, end, sizeof(end));
	units_format_count(rec->bytes, bytes, sizeof(bytes));
	if (e->u.recv_step.bytes)
		res->held = case_compare_u64(rec->bytes, e->u.recv_step.op, e->u.recv_step.value);
	else
		res->held = read_result_matches(&rec->end, e->u.recv_step.end);
	/* No end: the step stopped at its size, before EOF or an error. */
	snprintf(res->observed, sizeof(res->observed), "%s.recv %u (line %u) read %s B, %s%s",
	    case_role_name(e->role), e->u.recv_step.nth, r->steps[i].line, bytes,
	    rec->end.kind == READ_RESULT_NONE ? "stopped at its size" : "ends ",
	    rec->end.kind == READ_RESULT_NONE ? "" : end);
}

/* The record of the step of kind named e->name in e's role, and its step. */
static const struct step_record *
named_record(const struct judgement *j, enum step_kind kind, const struct case_step **step)
{
	const struct case_role *r = &j->in->cf->roles[j->e->role];
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == kind && r->steps[i].u.label.name != NULL &&
		    strcmp(r->steps[i].u.label.name, j->e->name) == 0) {
			*step = &r->steps[i];
			return ledger_record(j->l, i);
		}
	*step = NULL;
	return NULL;
}

/* The last SO_ERROR read, or (with a name) what that so_error step read. */
static void
judge_so_error(const struct judgement *j, struct expect_result *res)
{
	const struct ledger *l = j->l;
	const struct case_step *step;
	const struct step_record *rec;
	bool read = l->so_error_read;
	int value = l->so_error;
	char which[96];

	snprintf(which, sizeof(which), "%s.so_error", case_role_name(j->e->role));
	if (j->e->name != NULL) {
		rec = named_record(j, STEP_SO_ERROR, &step);
		read = rec != NULL && rec->so_error_read;
		value = read ? rec->so_error : 0;
		snprintf(which, sizeof(which), "%s.so_error %s (line %u)", case_role_name(j->e->role),
		    j->e->name, step != NULL ? step->line : 0);
	}
	res->held = read && value == j->e->u.so_error;
	if (read)
		snprintf(res->observed, sizeof(res->observed), "%s %s", which,
		    value == 0 ? "0" : case_errno_to_name(value));
	else
		snprintf(res->observed, sizeof(res->observed), "%s: SO_ERROR never read", which);
}

static void
judge_outcome(const struct judgement *j, struct expect_result *res)
{
	const struct direction_verdict *d = j->d;

	res->held = d->outcome == j->e->u.outcome;
	snprintf(res->observed, sizeof(res->observed), "%s->%s %s",
	    case_role_name(d->writer), case_role_name(d->reader), case_outcome_name(d->outcome));
}

static void
judge_lost(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	const struct direction_verdict *d = j->d;
	char lost[32], ref[32];
	uint64_t target = e->u.lost.value;

	if (e->u.lost.unsent) {
		if (!d->unsent_at_close_known) {
			res->held = false;
			snprintf(res->observed, sizeof(res->observed),
			    "lost %s B; %s never closed, so its unsent bytes at close are unknown",
			    units_format_count(d->lost, lost, sizeof(lost)), case_role_name(d->writer));
			return;
		}
		target = d->unsent_at_close;
	}
	res->held = case_compare_u64(d->lost, e->u.lost.op, target);
	if (e->u.lost.unsent)
		snprintf(res->observed, sizeof(res->observed), "lost %s B; unsent at close %s B",
		    units_format_count(d->lost, lost, sizeof(lost)),
		    units_format_count(target, ref, sizeof(ref)));
	else
		snprintf(res->observed, sizeof(res->observed), "lost %s B",
		    units_format_count(d->lost, lost, sizeof(lost)));
}

static void
judge_kernel(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	int64_t delta = kcounters_get(j->in->counters, e->u.kernel.counter, NULL);

	res->held = case_compare_i64(delta, e->u.kernel.op, e->u.kernel.value);
	snprintf(res->observed, sizeof(res->observed), "kernel %s %+lld",
	    e->u.kernel.counter, (long long)delta);
}

/*
 * Call by call: a run of N failed calls is N errors, as the expectation
 * lists them ("ECONNRESET EPIPE EPIPE"); the lists match only whole.
 */
static void
judge_send_errors(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	const struct ledger *l = j->l;
	size_t i, n = 0, used;
	uint64_t call;

	res->held = !l->sends_overflow;
	used = (size_t)snprintf(res->observed, sizeof(res->observed), "%s.send errors",
	    case_role_name(e->role));
	for (i = 0; i < l->nsends; i++) {
		if (l->sends[i].error == 0)
			continue;
		for (call = 0; call < l->sends[i].calls; call++) {
			if (n >= e->u.send_errors.n ||
			    e->u.send_errors.errors[n] != l->sends[i].error)
				res->held = false;
			n++;
			if (used < sizeof(res->observed))
				used += (size_t)snprintf(res->observed + used,
				    sizeof(res->observed) - used, " %s",
				    case_errno_to_name(l->sends[i].error));
		}
	}
	if (n != e->u.send_errors.n)
		res->held = false;
	if (n == 0 && used < sizeof(res->observed))
		used += (size_t)snprintf(res->observed + used, sizeof(res->observed) - used,
		    " none");
	if (l->sends_overflow && used < sizeof(res->observed))
		snprintf(res->observed + used, sizeof(res->observed) - used,
		    " (and more kinds of result than recorded)");
}

static void
judge_duration(const struct judgement *j, struct expect_result *res)
{
	const struct case_expect *e = j->e;
	const struct teardown_call *call = e->u.duration.call == TIMED_CLOSE ? &j->l->close :
	    &j->l->shutdown;
	const char *what = e->u.duration.call == TIMED_CLOSE ? "close" : "shutdown";

	if (!call->done) {
		res->held = false;
		snprintf(res->observed, sizeof(res->observed), "%s never called %s()",
		    case_role_name(e->role), what);
		return;
	}
	/* Compare in nanoseconds so "took < 2s" means what it says. */
	res->held = case_compare_u64(call->duration_ns, e->u.duration.op,
	    e->u.duration.ms * 1000000);
	snprintf(res->observed, sizeof(res->observed), "%s.%s took %.3f ms (returned %d%s%s)",
	    case_role_name(e->role), what, (double)call->duration_ns / 1e6, call->rc,
	    call->rc < 0 ? " " : "", call->rc < 0 ? case_errno_to_name(call->error) : "");
}

static void
judge_killed(const struct judgement *j, struct expect_result *res)
{
	const struct ledger *l = j->l;

	res->held = l->exited && l->exit_signal == j->e->u.signal;
	if (!l->exited)
		snprintf(res->observed, sizeof(res->observed), "%s never ran or never ended",
		    case_role_name(j->e->role));
	else if (l->exit_signal != 0)
		snprintf(res->observed, sizeof(res->observed), "%s killed by %s",
		    case_role_name(j->e->role), case_signal_to_name(l->exit_signal));
	else
		snprintf(res->observed, sizeof(res->observed), "%s exited with status %d",
		    case_role_name(j->e->role), l->exit_code);
}

static void
judge_poll(const struct judgement *j, struct expect_result *res)
{
	const struct ledger *l = j->l;
	short want = j->e->u.poll.events;

	res->held = l->polled && (j->e->u.poll.excludes ? (l->poll_revents & want) == 0 :
	    (l->poll_revents & want) == want);
	verdict_format_poll_events(l->polled, l->poll_revents, res->observed,
	    sizeof(res->observed));
}

static void
judge_discarded(const struct judgement *j, struct expect_result *res)
{
	const struct direction_verdict *d = j->d;
	char count[32];

	res->held = d->discarded_known &&
	    case_compare_u64(d->discarded, j->e->u.discarded.op, j->e->u.discarded.value);
	if (d->discarded_known)
		snprintf(res->observed, sizeof(res->observed), "%s B discarded unread by %s",
		    units_format_count(d->discarded, count, sizeof(count)), case_role_name(d->reader));
	else
		snprintf(res->observed, sizeof(res->observed), "%s never closed",
		    case_role_name(d->reader));
}

/* Sent and not yet acknowledged: SIOCOUTQ counts the unsent bytes too. */
static uint64_t
queue_inflight(const struct queue_snapshot *q)
{
	return q->unacked > q->unsent ? q->unacked - q->unsent : 0;
}

/* A queue as the last snapshot step (or the one named) recorded it. */
static void
judge_snapshot(const struct judgement *j, struct expect_result *res)
{
	static const char *const metrics[] = {
		[METRIC_UNREAD] = "unread", [METRIC_UNSENT] = "unsent",
		[METRIC_UNACKED] = "unacked", [METRIC_INFLIGHT] = "inflight",
	};
	const struct case_expect *e = j->e;
	const struct queue_snapshot *q = &j->l->snapshot;
	const struct case_step *step = NULL;
	const struct step_record *rec;
	char which[96], v[32], a[32], b[32], c[32];
	uint64_t value;

	snprintf(which, sizeof(which), "%s.snapshot", case_role_name(e->role));
	if (e->name != NULL) {
		rec = named_record(j, STEP_SNAPSHOT, &step);
		q = rec != NULL ? &rec->queues : NULL;
		snprintf(which, sizeof(which), "%s.snapshot %s (line %u)", case_role_name(e->role),
		    e->name, step != NULL ? step->line : 0);
	}
	if (q == NULL || !q->valid) {
		res->held = false;
		snprintf(res->observed, sizeof(res->observed), "%s: never taken", which);
		return;
	}
	value = e->u.snapshot.metric == METRIC_UNREAD ? q->unread :
	    e->u.snapshot.metric == METRIC_UNSENT ? q->unsent :
	    e->u.snapshot.metric == METRIC_UNACKED ? q->unacked : queue_inflight(q);
	res->held = case_compare_u64(value, e->u.snapshot.op, e->u.snapshot.value);
	snprintf(res->observed, sizeof(res->observed), "%s %s %s B (unread %s B, unsent %s B, "
	    "unacked %s B)", which, metrics[e->u.snapshot.metric],
	    units_format_count(value, v, sizeof(v)), units_format_count(q->unread, a, sizeof(a)),
	    units_format_count(q->unsent, b, sizeof(b)),
	    units_format_count(q->unacked, c, sizeof(c)));
}

/* What the role's last close() returned. */
static void
judge_close_returns(const struct judgement *j, struct expect_result *res)
{
	const struct teardown_call *call = &j->l->close;
	int got = call->rc < 0 ? call->error : 0;

	if (!call->done) {
		res->held = false;
		snprintf(res->observed, sizeof(res->observed), "%s never called close()",
		    case_role_name(j->e->role));
		return;
	}
	res->held = got == j->e->u.close_returns;
	if (call->rc < 0)
		snprintf(res->observed, sizeof(res->observed), "%s.close returned -1 %s",
		    case_role_name(j->e->role), case_errno_to_name(call->error));
	else
		snprintf(res->observed, sizeof(res->observed), "%s.close returned %d",
		    case_role_name(j->e->role), call->rc);
}

/* An end's first FIN or RST: whether the wire has it, and its record. */
static bool
mark_index(const struct conn *conn, const struct wire_mark *m, uint64_t *index)
{
	const struct conn_half *h;

	if (conn == NULL)
		return false;
	h = &conn->half[verdict_side_of_role(m->end)];
	if (m->rst ? h->rst_count == 0 : !h->fin_seen)
		return false;
	*index = m->rst ? h->first_rst_index : h->fin_index;
	return true;
}

static size_t
format_mark(char *buf, size_t size, const struct wire_mark *m, bool seen, uint64_t index)
{
	int n;

	if (!seen)
		n = snprintf(buf, size, "no %s from %s", m->rst ? "RST" : "FIN", case_role_name(m->end));
	else
		n = snprintf(buf, size, "%s from %s at packet %" PRIu64, m->rst ? "RST" : "FIN",
		    case_role_name(m->end), index);
	return n < 0 ? 0 : (size_t)n;
}

/* Which of two teardown packets the capture holds first (by record). */
static void
judge_order(const struct judgement *j, struct expect_result *res)
{
	const struct wire_mark *a = &j->e->u.order.first, *b = &j->e->u.order.second;
	uint64_t ia = 0, ib = 0;
	bool sa = mark_index(j->in->conn, a, &ia), sb = mark_index(j->in->conn, b, &ib);
	size_t used;

	/* A FIN and an RST in one segment: the FIN's slot comes first. */
	res->held = sa && sb && (ia < ib || (ia == ib && !a->rst && b->rst));
	used = format_mark(res->observed, sizeof(res->observed), a, sa, ia);
	if (used < sizeof(res->observed))
		used += (size_t)snprintf(res->observed + used, sizeof(res->observed) - used, ", ");
	if (used < sizeof(res->observed))
		format_mark(res->observed + used, sizeof(res->observed) - used, b, sb, ib);
}

/* The time on the capture of the end's first FIN or RST; false: none. */
static bool
mark_time(const struct conn *conn, const struct wire_mark *m, int64_t *ts_ns)
{
	const struct conn_half *h;
	uint64_t index;

	if (!mark_index(conn, m, &index))
		return false;
	h = &conn->half[verdict_side_of_role(m->end)];
	*ts_ns = m->rst ? h->first_rst_ts_ns : h->fin_ts_ns;
	return true;
}

/*
 * "fin|rst from END within DUR of ROLE.close": the packet left at or after
 * the call began (a packet a call sends cannot precede it) and no more than
 * DUR later.  The call's start is CLOCK_MONOTONIC, the packet's stamp the
 * capture's clock: the offset sampled at capture start joins them.
 */
static void
judge_wire_time(const struct judgement *j, struct expect_result *res)
{
	const struct wire_mark *m = &j->e->u.wire_time.mark;
	const char *call = j->e->u.wire_time.call == TIMED_CLOSE ? "close" : "shutdown";
	const struct teardown_call *tc = j->e->u.wire_time.call == TIMED_CLOSE ? &j->l->close :
	    &j->l->shutdown;
	const char *packet = m->rst ? "RST" : "FIN";
	const char *role = case_role_name(j->e->role);
	int64_t ts_ns = 0, delta_ns, err_ns;
	double ms;
	int used;

	res->held = false;
	if (!mark_time(j->in->conn, m, &ts_ns)) {
		snprintf(res->observed, sizeof(res->observed), "no %s from %s", packet,
		    case_role_name(m->end));
		return;
	}
	if (!tc->done) {
		snprintf(res->observed, sizeof(res->observed), "%s.%s was not called", role, call);
		return;
	}
	if (!j->in->clock_offset_known) {
		snprintf(res->observed, sizeof(res->observed),
		    "no capture clock to place %s.%s among the packets", role, call);
		return;
	}
	delta_ns = ts_ns - (tc->at_ns + j->in->clock_offset_ns);
	ms = (double)(delta_ns < 0 ? -delta_ns : delta_ns) / 1e6;
	/* Within what the clocks are known to: a peer's call is placed by an
	 * offset measured over a round trip. */
	err_ns = j->in->clock_error_ns > 0 ? j->in->clock_error_ns : 0;
	res->held = delta_ns >= -err_ns &&
	    delta_ns - err_ns <= (int64_t)(j->e->u.wire_time.ms * UINT64_C(1000000));
	used = snprintf(res->observed, sizeof(res->observed), "%s from %s %.3f ms %s %s.%s began",
	    packet, case_role_name(m->end), ms, delta_ns < 0 ? "before" : "after", role, call);
	if (err_ns >= 1000 && used > 0 && (size_t)used < sizeof(res->observed))
		snprintf(res->observed + used, sizeof(res->observed) - (size_t)used,
		    " (the clocks known to +-%.3f ms)", (double)err_ns / 1e6);
}

/* With "capture both": what left the writer's end and never reached the reader's. */
static void
judge_lost_in_flight(const struct judgement *j, struct expect_result *res)
{
	const struct direction_verdict *d = j->d;
	char a[32], b[32], c[32];

	if (!d->arrived_known) {
		res->held = false;
		snprintf(res->observed, sizeof(res->observed),
		    "not captured at both ends: nothing known in flight");
		return;
	}
	res->held = case_compare_u64(d->lost_in_flight, j->e->u.in_flight.op, j->e->u.in_flight.value);
	snprintf(res->observed, sizeof(res->observed), "%s->%s lost %s B in flight (%s B left "
	    "%s's end, %s B reached %s's)", case_role_name(d->writer), case_role_name(d->reader),
	    units_format_count(d->lost_in_flight, a, sizeof(a)),
	    units_format_count(d->on_wire, b, sizeof(b)), case_role_name(d->writer),
	    units_format_count(d->arrived, c, sizeof(c)), case_role_name(d->reader));
}

/* The judge of each kind of expectation (a new kind needs a row here). */
static void (*const judges[])(const struct judgement *j, struct expect_result *res) = {
	[EXPECT_TEARDOWN] = judge_teardown,
	[EXPECT_RST] = judge_rst,
	[EXPECT_RECV_END] = judge_recv_end,
	[EXPECT_SO_ERROR] = judge_so_error,
	[EXPECT_OUTCOME] = judge_outcome,
	[EXPECT_LOST] = judge_lost,
	[EXPECT_KERNEL] = judge_kernel,
	[EXPECT_SEND_ERRORS] = judge_send_errors,
	[EXPECT_DURATION] = judge_duration,
	[EXPECT_KILLED] = judge_killed,
	[EXPECT_POLL] = judge_poll,
	[EXPECT_DISCARDED] = judge_discarded,
	[EXPECT_SNAPSHOT] = judge_snapshot,
	[EXPECT_CLOSE_RETURNS] = judge_close_returns,
	[EXPECT_ORDER] = judge_order,
	[EXPECT_LOST_IN_FLIGHT] = judge_lost_in_flight,
	[EXPECT_RECV_STEP] = judge_recv_step,
	[EXPECT_WIRE_TIME] = judge_wire_time,
};

_Static_assert(sizeof(judges) / sizeof(judges[0]) == EXPECT_KIND_COUNT,
    "every kind of expectation has a judge");

static void
judge(const struct case_expect *e, const struct verdict_input *in,
    const struct verdict *v, struct expect_result *res)
{
	struct judgement j = {
		.e = e,
		.in = in,
		.v = v,
		.l = in->ledgers[e->role],
		.d = &v->directions[e->writer == ROLE_CLIENT ? DIRECTION_CLIENT_TO_SERVER :
		    DIRECTION_SERVER_TO_CLIENT],
	};

	if ((size_t)e->kind < EXPECT_KIND_COUNT && judges[e->kind] != NULL)
		judges[e->kind](&j, res);
}

/* This process's kernel release (uname -r), or NULL. */
static const char *
running_release(char *buf, size_t size)
{
	struct utsname u;

	if (uname(&u) < 0)
		return NULL;
	snprintf(buf, size, "%s", u.release);
	return buf;
}

int
verdict_compute(const struct verdict_input *in, struct verdict *v)
{
	char release_buf[sizeof(((struct utsname *)0)->release)];
	const char *release;
	size_t i;

	memset(v, 0, sizeof(*v));
	direction_judge(in, ROLE_CLIENT, &v->directions[DIRECTION_CLIENT_TO_SERVER]);
	direction_judge(in, ROLE_SERVER, &v->directions[DIRECTION_SERVER_TO_CLIENT]);
	v->teardown = verdict_teardown(in->conn);
	v->rst_late = wire_any_rst(in->conn) && !wire_has_rst(in->conn);
	v->first_fin_role = in->conn != NULL && in->conn->first_fin_side >= 0 ?
	    (int)verdict_role_of_side((enum conn_side)in->conn->first_fin_side) : -1;
	v->first_rst_role = in->conn != NULL && in->conn->first_rst_side >= 0 ?
	    (int)verdict_role_of_side((enum conn_side)in->conn->first_rst_side) : -1;
	cause_find(in->cf, in->ledgers, in->conn, in->counters, &v->cause);
	release = in->release != NULL ? in->release : running_release(release_buf,
	    sizeof(release_buf));
	v->nresults = in->cf->nexpects;
	v->results = calloc(v->nresults > 0 ? v->nresults : 1, sizeof(*v->results));
	if (v->results == NULL)
		return -1;
	v->passed = true;
	for (i = 0; i < in->cf->nexpects; i++) {
		const struct case_expect *e = &in->cf->expects[i];

		if (e->system != NULL) {
			v->system_specific = true;
			if (in->system == NULL || strcmp(e->system, in->system) != 0) {
				v->results[i].skipped = true;
				snprintf(v->results[i].observed, sizeof(v->results[i].observed),
				    "not judged on %s", in->system != NULL ? in->system : "this system");
				continue;
			}
			if (!case_expect_release_applies(e, release)) {
				v->results[i].skipped = true;
				snprintf(v->results[i].observed, sizeof(v->results[i].observed),
				    "not judged on %s %s (for %s %s %u.%u.%u)", in->system,
				    release != NULL ? release : "of an unknown release", e->system,
				    case_compare_op_name(e->release_op), e->release[0], e->release[1],
				    e->release[2]);
				continue;
			}
			v->system_matched = true;
		}
		if (e->kind == EXPECT_KERNEL && in->counters_one_end) {
			v->results[i].skipped = true;
			snprintf(v->results[i].observed, sizeof(v->results[i].observed),
			    "not judged: %s", in->counters_one_end);
			continue;
		}
		judge(e, in, v, &v->results[i]);
		if (!v->results[i].held)
			v->passed = false;
	}
	return 0;
}

void
verdict_free(struct verdict *v)
{
	free(v->results);
	v->results = NULL;
	v->nresults = 0;
}
