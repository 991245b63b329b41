/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder-run.c - a case run's ladder: lanes for the roles that ran, each
 * step's call at its time on the capture's clock, the process's end, the
 * captured segments (with what never reached the other end, when both
 * ends were captured), where each direction's bytes went, the verdict on
 * top (see ladder-run.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder-int.h"
#include "ladder-run.h"
#include "ledger.h"
#include "symbols.h"
#include "units.h"
#include "verdict.h"

#define LABEL_SIZE 256

static const char *const status_names[] = {
	[CASE_PASS] = "PASS", [CASE_FAIL] = "FAIL", [CASE_SKIP] = "SKIP", [CASE_ERROR] = "ERROR",
};

static const char *const shutdown_names[] = {
	[SHUTDOWN_RD] = "SHUT_RD", [SHUTDOWN_WR] = "SHUT_WR", [SHUTDOWN_RDWR] = "SHUT_RDWR",
};

static enum ladder_end
end_of(enum role_id role)
{
	return case_role_end(role) == ROLE_CLIENT ? LADDER_END_CLIENT : LADDER_END_SERVER;
}

/* "3,815,424 B" into buf. */
static const char *
bytes(uint64_t n, char *buf, size_t size)
{
	char count[32];

	snprintf(buf, size, "%s B", units_format_count(n, count, sizeof(count)));
	return buf;
}

/* " — unread 100 B, unsent 3,815,424 B, unacked 3,910,656 B" (queues just before). */
static void
add_queues(char *label, size_t size, const struct queue_snapshot *q)
{
	char unread[40], unsent[40], unacked[40];
	size_t len = strlen(label);

	if (!q->valid || len >= size)
		return;
	snprintf(label + len, size - len, " \u2014 unread %s, unsent %s, unacked %s",
	    bytes(q->unread, unread, sizeof(unread)), bytes(q->unsent, unsent, sizeof(unsent)),
	    bytes(q->unacked, unacked, sizeof(unacked)));
}

/* A timed teardown call: "close() 0.063 ms", "= -1 EBADF", the queues. */
static void
teardown_label(char *label, size_t size, const char *call, const struct teardown_call *t)
{
	if (t->rc < 0)
		snprintf(label, size, "%s = -1 %s, %.3f ms", call, case_errno_to_name(t->error),
		    (double)t->duration_ns / 1e6);
	else
		snprintf(label, size, "%s %.3f ms", call, (double)t->duration_ns / 1e6);
	add_queues(label, size, &t->before);
}

/* ", then EOF" for a read loop that ended (nothing when it stopped at its size). */
static void
add_read_end(char *label, size_t size, const struct read_result *end)
{
	char text[64];
	size_t len = strlen(label);

	if (end->kind == READ_RESULT_NONE || len >= size)
		return;
	ledger_format_read_result(end, text, sizeof(text));
	snprintf(label + len, size - len, ", then %s", text);
}

/* Did the teardown call t start within the step's record? */
static bool
call_in_step(const struct teardown_call *t, const struct step_record *rec)
{
	return t->done && t->at_ns >= rec->started_ns &&
	    (!rec->done || t->at_ns <= rec->ended_ns);
}

/* What step did and saw, as its lane says it. */
static void
step_label(char *label, size_t size, const struct case_step *step,
    const struct step_record *rec, const struct ledger *led)
{
	char a[40], b[40];
	uint64_t accepted;

	switch (step->kind) {
	case STEP_CONNECT:
		snprintf(label, size, "connect()");
		break;
	case STEP_ACCEPT:
		snprintf(label, size, "accept()");
		break;
	case STEP_SEND:
		if (rec->bytes == 0 && (rec->error != 0 || !rec->done)) {
			/* Refused at once, or still blocked in it when the process ended. */
			snprintf(label, size, rec->error != 0 ? "send() = -1 %s" : "send()",
			    case_errno_to_name(rec->error));
			break;
		}
		/* As the ledger counts them: the calls that returned EAGAIN or the
		 * error are not among those that accepted bytes. */
		accepted = rec->calls - rec->eagains - (rec->error != 0 && rec->calls > rec->eagains);
		snprintf(label, size, "send() %s call%s accepted %s",
		    units_format_count(accepted, a, sizeof(a)), accepted == 1 ? "" : "s",
		    bytes(rec->bytes, b, sizeof(b)));
		if (rec->eagains > 0)
			snprintf(label + strlen(label), size - strlen(label), ", %" PRIu64
			    " EAGAIN waited out", rec->eagains);
		if (rec->error != 0)
			snprintf(label + strlen(label), size - strlen(label), ", then %s",
			    case_errno_to_name(rec->error));
		break;
	case STEP_RECV:
		snprintf(label, size, "recv(%s) %s in %s call%s", step->u.recv.peek ? "MSG_PEEK" : "",
		    bytes(rec->bytes, a, sizeof(a)), units_format_count(rec->calls, b, sizeof(b)),
		    rec->calls == 1 ? "" : "s");
		add_read_end(label, size, &rec->end);
		break;
	case STEP_DRAIN:
		snprintf(label, size, "drain: %s read and thrown away",
		    bytes(rec->bytes, a, sizeof(a)));
		add_read_end(label, size, &rec->end);
		break;
	case STEP_LINGERING_CLOSE:
		snprintf(label, size, "lingering close: shutdown(SHUT_WR), %s read and thrown away",
		    bytes(rec->bytes, a, sizeof(a)));
		add_read_end(label, size, &rec->end);
		if (call_in_step(&led->close, rec)) {
			snprintf(label + strlen(label), size - strlen(label), ", close()");
			add_queues(label, size, &led->close.before);
		}
		break;
	case STEP_SHUTDOWN:
		snprintf(a, sizeof(a), "shutdown(%s)", shutdown_names[step->u.shutdown]);
		if (call_in_step(&led->shutdown, rec))
			teardown_label(label, size, a, &led->shutdown);
		else
			snprintf(label, size, "%s", a);
		break;
	case STEP_CLOSE:
		if (call_in_step(&led->close, rec))
			teardown_label(label, size, "close()", &led->close);
		else
			snprintf(label, size, "close()");
		break;
	case STEP_SNAPSHOT:
		snprintf(label, size, "ioctl() queues");
		add_queues(label, size, &rec->queues);
		break;
	case STEP_SO_ERROR:
		snprintf(label, size, "getsockopt(SO_ERROR) = %s",
		    rec->so_error_read ? (rec->so_error == 0 ? "0" : case_errno_to_name(rec->so_error)) :
		    "?");
		break;
	case STEP_POLL:
		verdict_format_poll_events(led->polled, led->poll_revents, a, sizeof(a));
		snprintf(label, size, "poll(): %s", a);
		break;
	case STEP_FORK:
		snprintf(label, size, "fork()");
		break;
	case STEP_DUP:
		snprintf(label, size, "dup()");
		break;
	default:
		/* set, wait, await, pause, exit: as the case says them */
		snprintf(label, size, "%s", step->text != NULL ? step->text :
		    case_step_kind_name(step->kind));
		break;
	}
}

/*
 * With a fork, which process of end let go of the socket last (the
 * socket went with it), or -1: a single process, or none let go.
 */
static int
last_releaser(const struct case_report *r, enum role_id end)
{
	int role, last = -1, processes = 0;

	for (role = 0; role < ROLE_COUNT; role++) {
		const struct ledger *led = r->ledgers[role];

		if (case_role_end((enum role_id)role) != end || !r->cf->roles[role].present ||
		    led == NULL)
			continue;
		processes++;
		if (led->released && (last < 0 || led->released_ns > r->ledgers[last]->released_ns))
			last = role;
	}
	return processes > 1 ? last : -1;
}

/* Steps that only coordinate the roles say nothing about the connection. */
static bool
step_drawn(enum step_kind kind)
{
	return kind != STEP_RAISE;
}

/*
 * The calls of one role on its lane, at pcap time; then how its process
 * ended.  *last_ns: the latest time seen.  0 or -1 (ENOMEM).
 */
static int
add_role_calls(struct ladder *l, int lane, const struct case_report *r, enum role_id role)
{
	const struct case_role *cr = &r->cf->roles[role];
	const struct ledger *led = r->ledgers[role];
	int64_t last = INT64_MIN, at, end;
	int releaser = last_releaser(r, case_role_end(role));
	char label[LABEL_SIZE];
	size_t i;

	for (i = 0; i < cr->nsteps; i++) {
		const struct step_record *rec = ledger_record(led, i);
		const struct case_step *step = &cr->steps[i];

		if (rec == NULL || rec->started_ns == 0 || !step_drawn(step->kind) ||
		    !report_mono_to_pcap_ns(r, rec->started_ns, &at))
			continue;
		end = at;
		if (rec->done)
			(void)report_mono_to_pcap_ns(r, rec->ended_ns, &end);
		if (end < at)
			end = at;
		step_label(label, sizeof(label), step, rec, led);
		/* Shared by a fork: say whose close took the socket with it. */
		if (releaser >= 0 && led->released && led->released_by == (int)i)
			snprintf(label + strlen(label), sizeof(label) - strlen(label),
			    releaser == (int)role ? " — the last descriptor: the socket closes" :
			    " — %s still holds the socket", case_role_name((enum role_id)releaser));
		if (!rec->done && step->kind != STEP_EXIT)
			snprintf(label + strlen(label), sizeof(label) - strlen(label), " (never returned)");
		if (ladder_add_call(l, lane, LADDER_CALL_SYSCALL, at, end, label) < 0)
			return -1;
		if (end > last)
			last = end;
	}
	if (last == INT64_MIN || !led->exited)
		return 0;
	if (led->exit_signal != 0) {
		const char *name = case_signal_to_name(led->exit_signal);

		if (ladder_add_call(l, lane, LADDER_CALL_SIGNAL, last, last, name) < 0)
			return -1;
		snprintf(label, sizeof(label), "killed by %s", name);
	} else
		snprintf(label, sizeof(label), "exit %d", led->exit_code);
	/* Descriptors still held at the end close with the process. */
	if (releaser >= 0 && led->released && led->released_by < 0)
		snprintf(label + strlen(label), sizeof(label) - strlen(label),
		    releaser == (int)role ? " \u2014 the last descriptor: the socket closes" :
		    " \u2014 %s still holds the socket", case_role_name((enum role_id)releaser));
	return ladder_add_call(l, lane, LADDER_CALL_EXIT, last, last, label);
}

/* The directions' bars and where their bytes went, from the verdict. */
static int
add_directions(struct ladder *l, const struct verdict *v)
{
	int d, rc = 0;

	for (d = 0; d < DIRECTION_COUNT; d++) {
		const struct direction_verdict *dv = &v->directions[d];
		enum ladder_end w = end_of(dv->writer);

		if (dv->outcome == OUTCOME_NONE)
			continue;
		rc |= ladder_set_direction(l, w, dv->written, dv->read,
		    case_outcome_name(dv->outcome));
		if (dv->lost_unsent > 0)
			rc |= ladder_add_loss(l, w, LADDER_LOSS_NEVER_ON_WIRE, dv->lost_unsent);
		if (dv->lost_on_wire > 0)
			rc |= ladder_add_loss(l, w, LADDER_LOSS_ON_WIRE_NEVER_READ, dv->lost_on_wire);
		if (dv->discarded_known && dv->discarded > 0)
			rc |= ladder_add_loss(l, w, LADDER_LOSS_DISCARDED, dv->discarded);
		if (dv->arrived_known && dv->lost_in_flight > 0)
			rc |= ladder_add_loss(l, w, LADDER_LOSS_IN_FLIGHT, dv->lost_in_flight);
	}
	return rc;
}

/* A segment's identity across the two captures: who sent which bytes. */
struct seg_key {
	enum ladder_end from;
	unsigned flags;
	uint64_t seq;
	uint32_t len;
	size_t index;	/* in its ladder; by time within equal keys */
};

/* By sender, bytes and flags; not by time. */
static int
key_order(const struct seg_key *a, const struct seg_key *b)
{
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->flags != b->flags)
		return a->flags < b->flags ? -1 : 1;
	return 0;
}

/* ... then by time (the ladder's order of insertion is capture order). */
static int
key_compare(const void *pa, const void *pb)
{
	const struct seg_key *a = pa, *b = pb;
	int order = key_order(a, b);

	return order != 0 ? order : (a->index > b->index) - (a->index < b->index);
}

static struct seg_key *
keys_of(const struct ladder *l)
{
	struct seg_key *keys = calloc(l->nsegs ? l->nsegs : 1, sizeof(*keys));
	size_t i;

	if (keys == NULL)
		return NULL;
	for (i = 0; i < l->nsegs; i++)
		keys[i] = (struct seg_key){ l->segs[i].s.from, l->segs[i].s.flags,
			l->segs[i].s.seq, l->segs[i].s.len, i };
	qsort(keys, l->nsegs, sizeof(*keys), key_compare);
	return keys;
}

/*
 * Segments that end sent (this capture is at its end) and the other
 * end's capture never saw: lost in flight.  Of several copies of one
 * segment (retransmissions), the first ones are taken as the lost ones.
 * 0, or -1 (ENOMEM).
 */
static int
mark_lost(struct ladder *l, const struct ladder *other, enum ladder_end end)
{
	struct seg_key *mine = keys_of(l), *theirs = keys_of(other);
	size_t i = 0, j = 0;

	if (mine == NULL || theirs == NULL) {
		free(mine);
		free(theirs);
		return -1;
	}
	while (i < l->nsegs) {
		size_t run = i, seen = 0, k;

		/* One key's copies: here [i, run), there seen of them. */
		while (run < l->nsegs && key_order(&mine[run], &mine[i]) == 0)
			run++;
		while (j < other->nsegs && key_order(&theirs[j], &mine[i]) < 0)
			j++;
		while (j + seen < other->nsegs && key_order(&theirs[j + seen], &mine[i]) == 0)
			seen++;
		if (mine[i].from == end)
			for (k = i; k + seen < run; k++)
				l->segs[mine[k].index].s.lost_in_flight = true;
		i = run;
	}
	free(mine);
	free(theirs);
	return 0;
}

/* The other end's segments, for mark_lost().  NULL: none to compare with. */
static struct ladder *
read_other(const struct case_report *r, const char *path, char *err, size_t errlen)
{
	struct ladder_capture_info info;
	struct ladder *other = ladder_new();

	if (other == NULL)
		return NULL;
	if (ladder_read_capture_ports(other, path, r->server_port, r->client_port, &info, err,
	    errlen) < 0) {
		ladder_free(other);
		return NULL;
	}
	return other;
}

/* The verdict without its name and status ("NAME: PASS. ") or evidence. */
static char *
summary_of(const char *headline)
{
	const char *start, *stop;
	char *s, *cut;

	if (headline == NULL)
		return NULL;
	stop = strchr(headline, '\n');
	if (stop == NULL)
		stop = headline + strlen(headline);
	start = strstr(headline, ". ");
	start = start != NULL && start < stop && memchr(headline, ':', (size_t)(start - headline)) ?
	    start + 2 : headline;
	s = strndup(start, (size_t)(stop - start));
	if (s == NULL)
		return NULL;
	if ((cut = strstr(s, " Evidence: ")) != NULL)
		cut[1] = '\0';
	/* The counters are in the text; the picture has the packets. */
	if ((cut = strstr(s, " Kernel: ")) != NULL) {
		char *next = strstr(cut + 1, " Cause: ");

		memmove(cut + 1, next != NULL ? next + 1 : "", next != NULL ? strlen(next + 1) + 1 : 1);
	}
	return s;
}

static int
fill(struct ladder *l, const struct case_report *r, enum role_id end, const char *pcap_file,
    const char *other_pcap_file, const char *headline, char *err, size_t errlen)
{
	struct ladder_capture_info info;
	struct ladder *other = NULL;
	char name[160], *summary;
	int lanes[ROLE_COUNT], role, rc;
	bool mapped;
	int64_t probe;

	/* The lanes: the two ends first (next to the wire), then children. */
	for (role = 0; role < ROLE_COUNT; role++) {
		lanes[role] = -1;
		if (!r->cf->roles[role].present && case_role_is_child((enum role_id)role))
			continue;
		lanes[role] = ladder_add_lane(l, case_role_name((enum role_id)role),
		    end_of((enum role_id)role));
		if (lanes[role] < 0)
			goto nomem;
	}
	mapped = report_mono_to_pcap_ns(r, 0, &probe);
	for (role = 0; mapped && role < ROLE_COUNT; role++)
		if (lanes[role] >= 0 && r->ledgers[role] != NULL &&
		    add_role_calls(l, lanes[role], r, (enum role_id)role) < 0)
			goto nomem;
	if (r->verdict != NULL && add_directions(l, r->verdict) < 0)
		goto nomem;
	if (ladder_read_capture_ports(l, pcap_file, r->server_port, r->client_port, &info, err,
	    errlen) < 0)
		return -1;
	if (other_pcap_file != NULL && (other = read_other(r, other_pcap_file, err, errlen)) != NULL) {
		rc = mark_lost(l, other, end_of(end));
		ladder_free(other);
		if (rc < 0)
			goto nomem;
	}
	snprintf(name, sizeof(name), "%s%s%s%s", r->cf->name,
	    r->family_in_name ? (r->family == 6 ? " (IPv6)" : " (IPv4)") : "",
	    other_pcap_file != NULL ? (end == ROLE_CLIENT ? ", captured at the client end" :
	    ", captured at the server end") : "",
	    mapped ? "" : " (no clock offset: the calls are not drawn)");
	summary = summary_of(headline);
	rc = ladder_set_headline(l, name, status_names[r->status], summary);
	free(summary);
	if (rc < 0)
		goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "%s", strerror(errno ? errno : ENOMEM));
	return -1;
}

int
ladder_run_svg(const struct case_report *r, enum role_id end, const char *pcap_file,
    const char *other_pcap_file, const char *headline, char **svg, size_t *len,
    char *err, size_t errlen)
{
	struct ladder *l = ladder_new();
	FILE *out;
	int rc;

	*svg = NULL;
	*len = 0;
	if (l == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fill(l, r, end, pcap_file, other_pcap_file, headline, err, errlen) < 0) {
		ladder_free(l);
		return -1;
	}
	out = open_memstream(svg, len);
	if (out == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		ladder_free(l);
		return -1;
	}
	rc = ladder_write_svg(l, out, err, errlen);
	if (fclose(out) != 0 && rc == 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		rc = -1;
	}
	ladder_free(l);
	if (rc < 0) {
		free(*svg);
		*svg = NULL;
		*len = 0;
	}
	return rc;
}
