/*
 * verdict.c - outcomes per direction and the judgement of every expectation.
 *
 * The wire half (teardown class, who sent FIN and RST, which kind of RST,
 * bytes on the wire) comes only from the packets; the application half
 * only from the ledgers.  Nothing here reads socket state of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "verdict.h"

enum role_id
role_of_side(enum conn_side side)
{
	return side == SIDE_ORIG ? ROLE_CLIENT : ROLE_SERVER;
}

enum conn_side
side_of_role(enum role_id role)
{
	return role == ROLE_CLIENT ? SIDE_ORIG : SIDE_RESP;
}

static bool
wire_has_rst(const struct conn *conn)
{
	return conn != NULL &&
	    (conn->half[SIDE_ORIG].rst_count > 0 || conn->half[SIDE_RESP].rst_count > 0);
}

static void
direction_judge(const struct verdict_input *in, enum role_id writer,
    struct direction_verdict *d)
{
	const struct ledger *w = in->ledgers[writer];
	const struct ledger *r;

	memset(d, 0, sizeof(*d));
	d->writer = writer;
	d->reader = writer == ROLE_CLIENT ? ROLE_SERVER : ROLE_CLIENT;
	r = in->ledgers[d->reader];
	d->written = w->bytes_sent;
	d->read = r->bytes_read;
	if (in->conn != NULL)
		d->on_wire = in->conn->half[side_of_role(writer)].payload_bytes;
	if (w->close.done && w->close.before.valid) {
		d->unsent_at_close_known = true;
		d->unsent_at_close = w->close.before.unsent;
	}
	if (d->written == 0 && d->read == 0) {
		d->outcome = OUTCOME_NONE;
		return;
	}
	if (r->corrupted || d->read > d->written) {
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

static void
read_result_describe(const struct read_result *r, char *buf, size_t size)
{
	read_result_format(r, buf, size);
}

static bool
read_result_matches(const struct read_result *r, int expected)
{
	if (expected == 0)
		return r->kind == READ_RESULT_EOF;
	if (r->kind == READ_RESULT_WOULD_BLOCK)
		return expected == EAGAIN;
	return r->kind == READ_RESULT_ERROR && r->error == expected;
}

static void
judge_teardown(const struct case_expect *e, const struct verdict *v,
    struct expect_result *res)
{
	enum teardown_expect_class seen = expect_class_of(v->teardown);
	int who = -1;

	res->held = seen == e->u.teardown;
	if (e->has_role) {
		if (e->u.teardown == EXPECT_TEARDOWN_RST ||
		    e->u.teardown == EXPECT_TEARDOWN_FIN_THEN_RST)
			who = v->first_rst_role;
		else
			who = v->first_fin_role;
		res->held = res->held && who == (int)e->role;
	} else if (seen == EXPECT_TEARDOWN_RST || seen == EXPECT_TEARDOWN_FIN_THEN_RST)
		who = v->first_rst_role;
	else
		who = v->first_fin_role;
	snprintf(res->observed, sizeof(res->observed), "teardown %s%s%s",
	    teardown_expect_name(seen), who >= 0 ? " from " : "",
	    who >= 0 ? role_name((enum role_id)who) : "");
}

static void
judge_rst(const struct case_expect *e, const struct verdict_input *in,
    struct expect_result *res)
{
	const struct conn *conn = in->conn;
	const struct conn_half *h;

	if (e->u.rst == RST_EXPECT_NONE) {
		res->held = !wire_has_rst(conn);
		if (res->held)
			snprintf(res->observed, sizeof(res->observed), "no RST");
		else {
			int side = conn->first_rst_side;

			snprintf(res->observed, sizeof(res->observed), "%s from %s",
			    rst_kind_name(conn->half[side].first_rst_kind),
			    role_name(role_of_side((enum conn_side)side)));
		}
		return;
	}
	h = conn != NULL ? &conn->half[side_of_role(e->role)] : NULL;
	if (h == NULL || h->rst_count == 0) {
		res->held = false;
		snprintf(res->observed, sizeof(res->observed), "no RST from %s",
		    role_name(e->role));
		return;
	}
	res->held = e->u.rst == RST_EXPECT_ANY ||
	    (e->u.rst == RST_EXPECT_ACK && h->first_rst_kind == RST_KIND_WITH_ACK) ||
	    (e->u.rst == RST_EXPECT_BARE && h->first_rst_kind == RST_KIND_BARE);
	snprintf(res->observed, sizeof(res->observed), "%s from %s",
	    rst_kind_name(h->first_rst_kind), role_name(e->role));
}

static void
judge_lost(const struct case_expect *e, const struct direction_verdict *d,
    struct expect_result *res)
{
	char lost[32], ref[32];
	uint64_t target = e->u.lost.value;

	if (e->u.lost.unsent) {
		if (!d->unsent_at_close_known) {
			res->held = false;
			snprintf(res->observed, sizeof(res->observed),
			    "lost %s B; %s never closed, so its unsent bytes at close are unknown",
			    units_format_count(d->lost, lost, sizeof(lost)), role_name(d->writer));
			return;
		}
		target = d->unsent_at_close;
	}
	res->held = compare_u64(d->lost, e->u.lost.op, target);
	if (e->u.lost.unsent)
		snprintf(res->observed, sizeof(res->observed), "lost %s B; unsent at close %s B",
		    units_format_count(d->lost, lost, sizeof(lost)),
		    units_format_count(target, ref, sizeof(ref)));
	else
		snprintf(res->observed, sizeof(res->observed), "lost %s B",
		    units_format_count(d->lost, lost, sizeof(lost)));
}

static void
judge(const struct case_expect *e, const struct verdict_input *in,
    const struct verdict *v, struct expect_result *res)
{
	const struct ledger *l = in->ledgers[e->role];
	const struct direction_verdict *d =
	    &v->directions[e->writer == ROLE_CLIENT ? DIRECTION_CLIENT_TO_SERVER :
	    DIRECTION_SERVER_TO_CLIENT];
	char first[32], then[32];
	int64_t delta;

	switch (e->kind) {
	case EXPECT_TEARDOWN:
		judge_teardown(e, v, res);
		break;
	case EXPECT_RST:
		judge_rst(e, in, res);
		break;
	case EXPECT_RECV_END:
		read_result_describe(&l->read_end, first, sizeof(first));
		read_result_describe(&l->next_read, then, sizeof(then));
		res->held = read_result_matches(&l->read_end, e->u.recv_end.first) &&
		    (!e->u.recv_end.has_then ||
		    read_result_matches(&l->next_read, e->u.recv_end.then));
		snprintf(res->observed, sizeof(res->observed), "%s.recv ends %s then %s",
		    role_name(e->role), first, then);
		break;
	case EXPECT_SO_ERROR:
		res->held = l->so_error_read && l->so_error == e->u.so_error;
		if (l->so_error_read)
			snprintf(res->observed, sizeof(res->observed), "%s.so_error %s",
			    role_name(e->role), l->so_error == 0 ? "0" : errno_to_name(l->so_error));
		else
			snprintf(res->observed, sizeof(res->observed), "%s never read SO_ERROR",
			    role_name(e->role));
		break;
	case EXPECT_OUTCOME:
		res->held = d->outcome == e->u.outcome;
		snprintf(res->observed, sizeof(res->observed), "%s->%s %s",
		    role_name(d->writer), role_name(d->reader), outcome_name(d->outcome));
		break;
	case EXPECT_LOST:
		judge_lost(e, d, res);
		break;
	case EXPECT_KERNEL:
		delta = kcounters_get(in->counters, e->u.kernel.counter, NULL);
		res->held = compare_i64(delta, e->u.kernel.op, e->u.kernel.value);
		snprintf(res->observed, sizeof(res->observed), "kernel %s %+lld",
		    e->u.kernel.counter, (long long)delta);
		break;
	}
}

int
verdict_compute(const struct verdict_input *in, struct verdict *v)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	direction_judge(in, ROLE_CLIENT, &v->directions[DIRECTION_CLIENT_TO_SERVER]);
	direction_judge(in, ROLE_SERVER, &v->directions[DIRECTION_SERVER_TO_CLIENT]);
	v->teardown = in->conn != NULL ? teardown_classify(in->conn) : TEARDOWN_NONE;
	v->first_fin_role = in->conn != NULL && in->conn->first_fin_side >= 0 ?
	    (int)role_of_side((enum conn_side)in->conn->first_fin_side) : -1;
	v->first_rst_role = in->conn != NULL && in->conn->first_rst_side >= 0 ?
	    (int)role_of_side((enum conn_side)in->conn->first_rst_side) : -1;
	v->nresults = in->cf->nexpects;
	v->results = calloc(v->nresults > 0 ? v->nresults : 1, sizeof(*v->results));
	if (v->results == NULL)
		return -1;
	v->passed = true;
	for (i = 0; i < in->cf->nexpects; i++) {
		judge(&in->cf->expects[i], in, v, &v->results[i]);
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
