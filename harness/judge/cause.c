/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cause.c - the cause of the first RST, from the ledgers and the wire.
 *
 * An RST+ACK is an aborting close: the end's socket went, with its last
 * descriptor, while data was unread (RFC 1122 4.2.2.13) or with
 * SO_LINGER {1, 0}.  With a fork the socket goes with the last of the
 * end's processes to let go of it, by a close, a lingering-close, an exit
 * step or the end of its steps: the ledgers say which and when.  A bare
 * RST answers a segment that a socket no longer takes: one released, or
 * shut for reading (shutdown SHUT_RD or SHUT_RDWR; Linux then refuses
 * data once a FIN has passed, and counts TCPAbortOnData); the peer's send
 * that started after that call is the one refused.  Times are
 * CLOCK_MONOTONIC, one clock for every process of the case.
 */
#include <stdio.h>
#include <string.h>

#include "cause.h"
#include "units.h"

static enum role_id
child_of(enum role_id end)
{
	return end == ROLE_CLIENT ? ROLE_CLIENT_CHILD : ROLE_SERVER_CHILD;
}

/* The ledger of role, when role has a section and its process ran. */
static const struct ledger *
ran(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    enum role_id role)
{
	const struct ledger *l = ledgers[role];

	if (!cf->roles[role].present || l == NULL || l->state == ROLE_STATE_STARTING)
		return NULL;
	return l;
}

/*
 * The process of end whose letting go released the socket: the last of
 * the end's processes to let go.  -1 when one of them never did (killed,
 * failed, still running): then nobody knows when the socket went.
 */
static int
end_releaser(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    enum role_id end)
{
	enum role_id roles[2] = { end, child_of(end) };
	int best = -1;
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct ledger *l = ran(cf, ledgers, roles[i]);

		if (l == NULL)
			continue;
		if (!l->released)
			return -1;
		if (best < 0 || l->released_ns > ledgers[best]->released_ns)
			best = (int)roles[i];
	}
	return best;
}

/* Whether a role of end left SO_LINGER at {1, 0}, by its last linger step. */
static bool
end_linger_zero(const struct case_file *cf, enum role_id end)
{
	enum role_id roles[2] = { end, child_of(end) };
	bool zero = false;
	size_t i, k;

	for (i = 0; i < 2; i++)
		for (k = 0; cf->roles[roles[i]].present && k < cf->roles[roles[i]].nsteps; k++) {
			const struct case_step *s = &cf->roles[roles[i]].steps[k];

			if (s->kind == STEP_SET && s->u.set.option == OPTION_LINGER)
				zero = s->u.set.on && s->u.set.value == 0;
		}
	return zero;
}

/* The earliest shutdown(SHUT_RD or SHUT_RDWR) done by a process of end. */
static bool
end_shut_rd(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    enum role_id end, enum role_id *role, int *step, int64_t *at_ns)
{
	enum role_id roles[2] = { end, child_of(end) };
	bool found = false;
	size_t i, k;

	for (i = 0; i < 2; i++) {
		const struct ledger *l = ran(cf, ledgers, roles[i]);

		for (k = 0; l != NULL && k < cf->roles[roles[i]].nsteps; k++) {
			const struct case_step *s = &cf->roles[roles[i]].steps[k];
			const struct step_record *rec = ledger_record(l, k);

			if (s->kind != STEP_SHUTDOWN || s->u.shutdown == SHUTDOWN_WR ||
			    rec == NULL || !rec->done)
				continue;
			if (!found || rec->started_ns < *at_ns) {
				*role = roles[i];
				*step = (int)k;
				*at_ns = rec->started_ns;
				found = true;
			}
		}
	}
	return found;
}

/* The peer's first send that started after at_ns and had bytes accepted. */
static bool
late_send(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    enum role_id peer, int64_t at_ns, struct cause *c)
{
	enum role_id roles[2] = { peer, child_of(peer) };
	int64_t best_ns = 0;
	size_t i, k;

	c->sender_known = false;
	for (i = 0; i < 2; i++) {
		const struct ledger *l = ran(cf, ledgers, roles[i]);

		for (k = 0; l != NULL && k < cf->roles[roles[i]].nsteps; k++) {
			const struct step_record *rec = ledger_record(l, k);

			if (cf->roles[roles[i]].steps[k].kind != STEP_SEND || rec == NULL ||
			    rec->started_ns <= at_ns || rec->bytes == 0)
				continue;
			if (!c->sender_known || rec->started_ns < best_ns) {
				c->sender_known = true;
				c->sender = roles[i];
				c->send_step = (int)k;
				c->sent = rec->bytes;
				best_ns = rec->started_ns;
			}
		}
	}
	return c->sender_known;
}

/* A step index a ledger recorded, held to the case: -1 when it names none. */
static int
step_index(const struct case_file *cf, enum role_id role, int index)
{
	return index >= 0 && (size_t)index < cf->roles[role].nsteps ? index : -1;
}

/* An RST+ACK: the aborting close of the end's last descriptor. */
static void
find_abort(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    struct cause *c)
{
	int r = end_releaser(cf, ledgers, c->end);
	const struct ledger *l;

	if (r < 0)
		return;
	l = ledgers[r];
	c->process = (enum role_id)r;
	c->step = step_index(cf, c->process, l->released_by);
	if (l->released_with.valid && l->released_with.unread > 0) {
		c->kind = CAUSE_CLOSED_UNREAD;
		c->unread = l->released_with.unread;
	} else if (end_linger_zero(cf, c->end))
		c->kind = CAUSE_LINGER_ZERO;
}

/* A bare RST: data for a socket that no longer takes it. */
static void
find_refusal(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    struct cause *c)
{
	enum role_id peer = c->end == ROLE_CLIENT ? ROLE_SERVER : ROLE_CLIENT;
	enum role_id shut_role = c->end;
	int64_t shut_ns = 0;
	int shut_step = -1;
	bool shut = end_shut_rd(cf, ledgers, c->end, &shut_role, &shut_step, &shut_ns);
	int r = end_releaser(cf, ledgers, c->end);

	if (r >= 0 && late_send(cf, ledgers, peer, ledgers[r]->released_ns, c)) {
		c->kind = CAUSE_SENT_AFTER_CLOSE;
		c->process = (enum role_id)r;
		c->step = step_index(cf, c->process, ledgers[r]->released_by);
		return;
	}
	if (shut) {
		c->kind = CAUSE_SENT_AFTER_SHUT_RD;
		c->process = shut_role;
		c->step = shut_step;
		late_send(cf, ledgers, peer, shut_ns, c);
		return;
	}
	if (r >= 0) {
		c->kind = CAUSE_DATA_AFTER_CLOSE;
		c->process = (enum role_id)r;
		c->step = step_index(cf, c->process, ledgers[r]->released_by);
	}
}

/* A so_error step that read the pending error before a read loop ended EOF. */
static void
find_hidden(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    struct cause *c)
{
	int r;
	size_t i, k;

	for (r = 0; r < ROLE_COUNT; r++) {
		const struct ledger *l = ran(cf, ledgers, (enum role_id)r);
		const struct case_role *role = &cf->roles[r];

		for (i = 0; l != NULL && i < role->nsteps; i++) {
			const struct step_record *rec = ledger_record(l, i);

			if (role->steps[i].kind != STEP_SO_ERROR || rec == NULL ||
			    !rec->so_error_read || rec->so_error == 0)
				continue;
			for (k = i + 1; k < role->nsteps; k++) {
				const struct step_record *later = ledger_record(l, k);

				if (later == NULL || later->end.kind != READ_RESULT_EOF)
					continue;
				c->hidden = true;
				c->hider = (enum role_id)r;
				c->so_error_step = (int)i;
				c->so_error = rec->so_error;
				c->read_step = (int)k;
				return;
			}
		}
	}
}

void
cause_find(const struct case_file *cf, const struct ledger *const ledgers[ROLE_COUNT],
    const struct conn *conn, const struct kcounters *counters, struct cause *c)
{
	int found = 0;

	memset(c, 0, sizeof(*c));
	c->kind = CAUSE_NONE;
	c->step = -1;
	if (conn == NULL || conn->first_rst_side < 0 || ledgers[ROLE_CLIENT] == NULL ||
	    ledgers[ROLE_SERVER] == NULL)
		return;
	c->end = conn->first_rst_side == SIDE_ORIG ? ROLE_CLIENT : ROLE_SERVER;
	c->process = c->end;
	c->abort_on_data = counters != NULL &&
	    kcounters_get(counters, "TCPAbortOnData", &found) > 0 && found;
	if (conn->half[conn->first_rst_side].first_rst_kind == RST_KIND_WITH_ACK)
		find_abort(cf, ledgers, c);
	else
		find_refusal(cf, ledgers, c);
	find_hidden(cf, ledgers, c);
}

/* "close() (line 12)", "exit (line 9)", "shutdown(SHUT_RDWR) (line 7)". */
static void
append_call(struct strbuf *out, const struct case_file *cf, enum role_id role, int step)
{
	const struct case_step *s = &cf->roles[role].steps[step];

	switch (s->kind) {
	case STEP_CLOSE:
		strbuf_adds(out, "close()");
		break;
	case STEP_SHUTDOWN:
		strbuf_addf(out, "shutdown(%s)", s->u.shutdown == SHUTDOWN_RD ? "SHUT_RD" :
		    s->u.shutdown == SHUTDOWN_WR ? "SHUT_WR" : "SHUT_RDWR");
		break;
	default:
		strbuf_adds(out, case_step_kind_name(s->kind));
		break;
	}
	strbuf_addf(out, " (line %u)", s->line);
}

/* "server's close() (line 12)" or "server.child ended (its steps done)". */
static void
append_process_call(struct strbuf *out, const struct case_file *cf, enum role_id role,
    int step)
{
	if (step < 0) {
		strbuf_addf(out, "%s's end (its last step done, its descriptors closed with it)",
		    case_role_name(role));
		return;
	}
	strbuf_addf(out, "%s's ", case_role_name(role));
	append_call(out, cf, role, step);
}

static void
append_sender(struct strbuf *out, const struct case_file *cf, const struct cause *c)
{
	char a[32];

	strbuf_addf(out, "%s sent %s B (line %u) after ", case_role_name(c->sender),
	    units_format_count(c->sent, a, sizeof(a)),
	    cf->roles[c->sender].steps[c->send_step].line);
}

bool
cause_append_text(struct strbuf *out, const struct case_file *cf, const struct cause *c)
{
	const char *counted = c->abort_on_data ? " (TCPAbortOnData)" : "";
	char a[32];

	switch (c->kind) {
	case CAUSE_NONE:
		break;
	case CAUSE_CLOSED_UNREAD:
		append_process_call(out, cf, c->process, c->step);
		strbuf_addf(out, " released the socket with %s B unread (RFC 1122 4.2.2.13).",
		    units_format_count(c->unread, a, sizeof(a)));
		break;
	case CAUSE_LINGER_ZERO:
		append_process_call(out, cf, c->process, c->step);
		strbuf_adds(out, " released the socket with SO_LINGER {1, 0}, an abortive close.");
		break;
	case CAUSE_SENT_AFTER_CLOSE:
		append_sender(out, cf, c);
		append_process_call(out, cf, c->process, c->step);
		strbuf_addf(out, " released the socket; the closed socket refused them with a "
		    "bare RST%s.", counted);
		break;
	case CAUSE_SENT_AFTER_SHUT_RD:
		if (c->sender_known)
			append_sender(out, cf, c);
		else
			strbuf_adds(out, "data arrived after ");
		append_process_call(out, cf, c->process, c->step);
		strbuf_addf(out, "; the socket, shut for reading though %s still held it, "
		    "refused %s with a bare RST%s.", case_role_name(c->process),
		    c->sender_known ? "them" : "it", counted);
		break;
	case CAUSE_DATA_AFTER_CLOSE:
		strbuf_addf(out, "data reached %s's socket after ", case_role_name(c->end));
		append_process_call(out, cf, c->process, c->step);
		strbuf_addf(out, " released it; it answered with a bare RST%s.", counted);
		break;
	}
	if (c->hidden) {
		strbuf_addf(out, "%s%s's so_error step (line %u) read %s first and cleared it, "
		    "so its read loop (line %u) ended with EOF.", c->kind != CAUSE_NONE ? " " : "",
		    case_role_name(c->hider), cf->roles[c->hider].steps[c->so_error_step].line,
		    case_errno_to_name(c->so_error), cf->roles[c->hider].steps[c->read_step].line);
	}
	return c->kind != CAUSE_NONE || c->hidden;
}
