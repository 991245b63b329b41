/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * signature.c - a case run's signature from its JSON (see signature.h).
 */
#include "signature.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/*
 * A close() or shutdown() shorter than this returned at once: freeing a
 * few MiB of queued data takes a few ms, more on a loaded machine, while
 * the shortest wait the suite asks for (a slow reader draining) is
 * 150 ms.
 */
#define DURATION_INSTANT_MS 50.0
/*
 * Within this of a whole second, a call waited for a linger timeout: a
 * little early (clocks), or later on a loaded machine, where a timer's
 * wake-up and the call's return are late (never early).
 */
#define DURATION_SECOND_EARLY_MS 100.0
#define DURATION_SECOND_LATE_MS 300.0

static const char *const directions[] = { "client->server", "server->client" };
static const char *const sides[] = { "client", "server" };

/*
 * The counters that count close and reset events: one per event, so their
 * change is part of the behaviour.  The others (segments, ACKs, coalescing)
 * count traffic, which buffer sizes and timing change.
 */
static bool
is_event_counter(const char *name)
{
	static const char *const exact[] = {
		"OutRsts", "EstabResets", "AttemptFails", "ActiveOpens", "PassiveOpens",
		"TCPAbortFailed"
	};
	size_t i;

	if (strncmp(name, "TCPAbortOn", strlen("TCPAbortOn")) == 0)
		return true;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(name, exact[i]) == 0)
			return true;
	return false;
}

void
signature_set_init(struct signature_set *set)
{
	memset(set, 0, sizeof(*set));
}

static void
case_clear(struct signature_case *c)
{
	size_t i, j;

	for (i = 0; i < c->nfields; i++) {
		free(c->fields[i].name);
		for (j = 0; j < c->fields[i].nvalues; j++)
			free(c->fields[i].values[j]);
	}
	free(c->fields);
	free(c->key);
	free(c->info);
}

void
signature_set_free(struct signature_set *set)
{
	size_t i;

	for (i = 0; i < set->ncases; i++)
		case_clear(&set->cases[i]);
	free(set->cases);
	free(set->platform);
	signature_set_init(set);
}

const struct signature_case *
signature_find(const struct signature_set *set, const char *key)
{
	size_t i;

	for (i = 0; i < set->ncases; i++)
		if (strcmp(set->cases[i].key, key) == 0)
			return &set->cases[i];
	return NULL;
}

struct signature_case *
signature_case_get(struct signature_set *set, const char *key)
{
	struct signature_case *grown, *c;
	size_t i;

	for (i = 0; i < set->ncases; i++)
		if (strcmp(set->cases[i].key, key) == 0)
			return &set->cases[i];
	grown = realloc(set->cases, (set->ncases + 1) * sizeof(*grown));
	if (grown == NULL)
		return NULL;
	set->cases = grown;
	c = &set->cases[set->ncases];
	memset(c, 0, sizeof(*c));
	c->key = strdup(key);
	if (c->key == NULL)
		return NULL;
	set->ncases++;
	return c;
}

const struct signature_field *
signature_field_find(const struct signature_case *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i].name, name) == 0)
			return &c->fields[i];
	return NULL;
}

bool
signature_field_flaky(const struct signature_field *f)
{
	return f->nvalues > 1 || f->more;
}

int
signature_note(struct signature_case *c, const char *field, const char *value)
{
	struct signature_field *f = (struct signature_field *)signature_field_find(c, field);
	size_t i;

	if (f == NULL) {
		struct signature_field *grown = realloc(c->fields,
		    (c->nfields + 1) * sizeof(*grown));

		if (grown == NULL)
			return -1;
		c->fields = grown;
		f = &c->fields[c->nfields];
		memset(f, 0, sizeof(*f));
		f->name = strdup(field);
		if (f->name == NULL)
			return -1;
		c->nfields++;
	}
	for (i = 0; i < f->nvalues; i++)
		if (strcmp(f->values[i], value) == 0)
			return 0;
	if (f->nvalues == SIGNATURE_MAX_VALUES) {
		f->more = true;
		return 0;
	}
	f->values[f->nvalues] = strdup(value);
	if (f->values[f->nvalues] == NULL)
		return -1;
	f->nvalues++;
	return 0;
}

/* Fields that one run lacks but another had ("read client" only when it
 * read) are recorded as "-" so that their absence compares too. */
static int
note_absent_fields(struct signature_case *c, const char *const *seen, size_t nseen)
{
	size_t i, j;

	for (i = 0; i < c->nfields; i++) {
		bool found = false;

		for (j = 0; j < nseen && !found; j++)
			found = strcmp(c->fields[i].name, seen[j]) == 0;
		if (!found && signature_note(c, c->fields[i].name, "-") < 0)
			return -1;
	}
	return 0;
}

/* One run's fields, collected before they are folded into the case. */
struct pending {
	char **names;
	char **values;
	size_t count;
	bool oom;
};

static void pending_add(struct pending *p, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pending_add(struct pending *p, const char *name, const char *fmt, ...)
{
	char **names, **values;
	char *value;
	va_list ap;
	int n;

	if (p->oom)
		return;
	va_start(ap, fmt);
	n = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (n < 0) {
		p->oom = true;
		return;
	}
	names = realloc(p->names, (p->count + 1) * sizeof(*names));
	if (names != NULL)
		p->names = names;
	values = realloc(p->values, (p->count + 1) * sizeof(*values));
	if (values != NULL)
		p->values = values;
	if (names == NULL || values == NULL || (p->names[p->count] = strdup(name)) == NULL) {
		free(value);
		p->oom = true;
		return;
	}
	p->values[p->count++] = value;
}

static void
pending_free(struct pending *p)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		free(p->names[i]);
		free(p->values[i]);
	}
	free(p->names);
	free(p->values);
}

static const char *
string_or(const struct json_value *v, const char *otherwise)
{
	const char *s = json_string(v);

	return s != NULL ? s : otherwise;
}

/* The record number of a side's FIN or first RST, or 0 for none. */
static uint64_t
packet_of(const struct json_value *wire, const char *side, const char *what)
{
	uint64_t n = 0;

	if (json_u64(json_path(wire, side, what, "packet", NULL), &n) < 0)
		return 0;
	return n;
}

/* The side that sent the first FIN or RST ("server"), or NULL. */
static const char *
first_sender(const struct json_value *wire, const char *what)
{
	uint64_t c = packet_of(wire, "client", what), s = packet_of(wire, "server", what);

	if (c == 0 && s == 0)
		return NULL;
	if (s == 0 || (c != 0 && c < s))
		return "client";
	return "server";
}

static bool
rst_is_late(const struct json_value *rst)
{
	const struct json_value *late = json_get(rst, "late");

	return late != NULL && late->type == JSON_BOOL && late->boolean;
}

static void
add_wire(struct pending *p, const struct json_value *wire)
{
	const char *teardown = string_or(json_get(wire, "teardown"), "?");
	const char *who;
	size_t i;

	/* Who ended it: the first RST's sender for an abort, else the first FIN's. */
	who = strstr(teardown, "rst") != NULL ? first_sender(wire, "rst") :
	    first_sender(wire, "fin");
	if (who != NULL)
		pending_add(p, "teardown", "%s from %s", teardown, who);
	else
		pending_add(p, "teardown", "%s", teardown);
	for (i = 0; i < 2; i++) {
		const struct json_value *rst = json_path(wire, sides[i], "rst", NULL);
		char name[32];
		uint64_t count = 0;

		snprintf(name, sizeof(name), "fin %s", sides[i]);
		pending_add(p, name, "%s", packet_of(wire, sides[i], "fin") ? "yes" : "no");
		snprintf(name, sizeof(name), "rst %s", sides[i]);
		/* A late RST (after both FINs, answering a duplicate) ends nothing
		 * and exists only when a retransmission happened to cross the
		 * close: timing, not the stack.  It is shown beside a change
		 * (case_info()), not compared. */
		if (json_is_null(rst) || rst_is_late(rst)) {
			pending_add(p, name, "none");
			continue;
		}
		/* The first RST's kind, then how many: one or several.  How many
		 * more follow depends on what was still in flight, which timing
		 * decides, so the count is a field of its own (compare --ignore
		 * 'rsts *' leaves it out). */
		pending_add(p, name, "%s", string_or(json_get(rst, "kind"), "?"));
		(void)json_u64(json_get(rst, "count"), &count);
		snprintf(name, sizeof(name), "rsts %s", sides[i]);
		pending_add(p, name, "%s", count > 1 ? "2 or more" : "1");
	}
}

static const char *
loss_relation(const struct json_value *dir)
{
	uint64_t lost = 0, unsent = 0, on_wire = 0;

	(void)json_u64(json_get(dir, "lost"), &lost);
	(void)json_u64(json_get(dir, "lost_unsent"), &unsent);
	(void)json_u64(json_get(dir, "lost_on_wire"), &on_wire);
	if (lost == 0)
		return "0";
	if (on_wire == 0)
		return "> 0, all unsent at close";
	if (unsent == 0)
		return "> 0, all on the wire";
	return "> 0, unsent and on the wire";
}

static void
add_directions(struct pending *p, const struct json_value *dirs)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct json_value *dir = json_get(dirs, directions[i]);
		char name[48];

		if (dir == NULL)
			continue;
		snprintf(name, sizeof(name), "outcome %s", directions[i]);
		pending_add(p, name, "%s", string_or(json_get(dir, "outcome"), "?"));
		snprintf(name, sizeof(name), "lost %s", directions[i]);
		pending_add(p, name, "%s", loss_relation(dir));
	}
}

/* "about 0", "about 2 s" (a linger timeout), or "waited" (until drained). */
static void
duration_class(double ms, char *buf, size_t size)
{
	double seconds = (double)(uint64_t)(ms / 1000.0 + 0.5);	/* ms >= 0 */
	double off = ms - seconds * 1000.0;

	if (ms < DURATION_INSTANT_MS)
		snprintf(buf, size, "about 0");
	else if (seconds >= 1 && off <= DURATION_SECOND_LATE_MS && off >= -DURATION_SECOND_EARLY_MS)
		snprintf(buf, size, "about %.0f s", seconds);
	else
		snprintf(buf, size, "waited");
}

static void
add_timed_call(struct pending *p, const char *role, const char *call,
    const struct json_value *v)
{
	char name[64], when[32];
	double ms = 0;
	const char *err;

	if (json_is_null(v))
		return;
	(void)json_double(json_get(v, "duration_ms"), &ms);
	duration_class(ms, when, sizeof(when));
	err = json_string(json_get(v, "errno"));
	snprintf(name, sizeof(name), "%s %s", call, role);
	if (err != NULL)
		pending_add(p, name, "-1 %s, %s", err, when);
	else
		pending_add(p, name, "0, %s", when);
}

/* The results of send() in order, repeats folded: "ok ECONNRESET EPIPE". */
static void
add_sends(struct pending *p, const char *role, const struct json_value *sends)
{
	char name[64];
	char *seq = NULL;
	size_t len = 0, i;
	FILE *out;
	const char *last = NULL;

	if (sends == NULL || sends->type != JSON_ARRAY || sends->count == 0)
		return;
	out = open_memstream(&seq, &len);
	if (out == NULL) {
		p->oom = true;
		return;
	}
	for (i = 0; i < sends->count; i++) {
		const char *result = string_or(json_get(&sends->items[i], "result"), "?");

		if (last != NULL && strcmp(last, result) == 0)
			continue;
		fprintf(out, "%s%s", last != NULL ? " " : "", result);
		last = result;
	}
	if (fclose(out) != 0) {
		free(seq);
		p->oom = true;
		return;
	}
	snprintf(name, sizeof(name), "send %s", role);
	pending_add(p, name, "%s", seq);
	free(seq);
}

static void
add_role(struct pending *p, const char *role, const struct json_value *r)
{
	const char *end = json_string(json_get(r, "read_end"));
	const char *killed = json_string(json_get(r, "killed_by"));
	uint64_t revents;
	char name[64];

	if (end != NULL) {
		snprintf(name, sizeof(name), "read %s", role);
		pending_add(p, name, "%s then %s", end,
		    string_or(json_get(r, "next_read"), "-"));
	}
	if (!json_is_null(json_get(r, "so_error"))) {
		snprintf(name, sizeof(name), "so_error %s", role);
		pending_add(p, name, "%s", string_or(json_get(r, "so_error"), "?"));
	}
	add_sends(p, role, json_get(r, "sends"));
	snprintf(name, sizeof(name), "ended %s", role);
	if (killed != NULL)
		pending_add(p, name, "killed by %s", killed);
	else
		pending_add(p, name, "normally");
	if (json_u64(json_get(r, "poll_revents"), &revents) == 0) {
		snprintf(name, sizeof(name), "poll %s", role);
		pending_add(p, name, "0x%" PRIx64, revents);
	}
	add_timed_call(p, role, "shutdown", json_get(r, "shutdown"));
	add_timed_call(p, role, "close", json_get(r, "close"));
}

static void
add_kernel(struct pending *p, const struct json_value *kernel)
{
	uint64_t count;
	size_t i;

	if (kernel == NULL || kernel->type != JSON_OBJECT)
		return;
	for (i = 0; i < kernel->count; i++) {
		char name[96];

		if (!is_event_counter(kernel->keys[i]) || kernel->items[i].type != JSON_NUMBER)
			continue;
		snprintf(name, sizeof(name), "kernel %s", kernel->keys[i]);
		/* Events that happened once, or more than once: an RST per
		 * late segment is counted too, and timing decides how many. */
		if (json_u64(&kernel->items[i], &count) == 0 && count > 1)
			pending_add(p, name, "+2 or more");
		else
			pending_add(p, name, "%s%s", kernel->items[i].text[0] == '-' ? "" : "+",
			    kernel->items[i].text);
	}
}

/* Byte counts and the time: shown beside a change, never compared. */
static char *
case_info(const struct json_value *rec)
{
	char *info = NULL, a[32], b[32];
	size_t len = 0, i;
	double seconds = 0;
	FILE *out = open_memstream(&info, &len);

	if (out == NULL)
		return NULL;
	const char *sep = "";

	for (i = 0; i < 2; i++) {
		const struct json_value *dir = json_path(rec, "directions", directions[i], NULL);
		uint64_t written = 0, read = 0;

		if (dir == NULL)
			continue;
		(void)json_u64(json_get(dir, "written"), &written);
		(void)json_u64(json_get(dir, "read"), &read);
		fprintf(out, "%s%s read %s of %s B", sep, directions[i],
		    units_format_count(read, a, sizeof(a)), units_format_count(written, b, sizeof(b)));
		sep = ", ";
	}
	for (i = 0; i < 2; i++) {
		const struct json_value *rst = json_path(rec, "wire", sides[i], "rst", NULL);

		if (!json_is_null(rst) && rst_is_late(rst)) {
			fprintf(out, "%slate %s RST from %s", sep,
			    string_or(json_get(rst, "kind"), "?"), sides[i]);
			sep = ", ";
		}
	}
	if (json_double(json_get(rec, "duration_s"), &seconds) == 0)
		fprintf(out, "%s%.3f s", *sep ? "; " : "", seconds);
	if (fclose(out) != 0) {
		free(info);
		return NULL;
	}
	return info;
}

static int
add_case(struct signature_set *set, const struct json_value *rec, char *err, size_t errlen)
{
	const char *name = json_string(json_get(rec, "case"));
	const struct json_value *roles = json_get(rec, "roles");
	struct signature_case *c;
	struct pending p = { NULL, NULL, 0, false };
	uint64_t family = 0;
	char key[128];
	size_t i;
	int rc = 0;

	if (name == NULL || json_u64(json_get(rec, "family"), &family) < 0) {
		snprintf(err, errlen, "a case record without \"case\" or \"family\"");
		return -1;
	}
	snprintf(key, sizeof(key), "%s/%" PRIu64, name, family);
	pending_add(&p, "status", "%s", string_or(json_get(rec, "status"), "?"));
	if (!json_is_null(json_get(rec, "wire")))
		add_wire(&p, json_get(rec, "wire"));
	add_directions(&p, json_get(rec, "directions"));
	if (roles != NULL && roles->type == JSON_OBJECT)
		for (i = 0; i < roles->count; i++)
			add_role(&p, roles->keys[i], &roles->items[i]);
	add_kernel(&p, json_get(rec, "kernel"));

	c = signature_case_get(set, key);
	if (c == NULL || p.oom) {
		snprintf(err, errlen, "out of memory");
		pending_free(&p);
		return -1;
	}
	/* A field this run lacks, seen in an earlier run, flips too. */
	if (c->runs > 0 && note_absent_fields(c, (const char *const *)p.names, p.count) < 0)
		rc = -1;
	for (i = 0; i < p.count && rc == 0; i++) {
		if (c->runs > 0 && signature_field_find(c, p.names[i]) == NULL &&
		    signature_note(c, p.names[i], "-") < 0)
			rc = -1;
		if (rc == 0 && signature_note(c, p.names[i], p.values[i]) < 0)
			rc = -1;
	}
	c->runs++;
	free(c->info);
	c->info = case_info(rec);
	pending_free(&p);
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

/* "OS RELEASE (STACK)" of a platform object, or NULL. */
static char *
platform_words(const struct json_value *pf)
{
	const char *os = json_string(json_get(pf, "os"));
	const char *release = json_string(json_get(pf, "release"));
	const char *stack = json_string(json_get(pf, "stack"));
	char *label;

	if (os == NULL && release == NULL && stack == NULL)
		return NULL;
	if (asprintf(&label, "%s %s%s%s%s", os ? os : "?", release ? release : "?",
	    stack ? " (" : "", stack ? stack : "", stack ? ")" : "") < 0)
		return NULL;
	return label;
}

/*
 * The run's platform; for a peer run (its case runs name a peer), the
 * peer's too, since the stack under test is the peer's.
 */
char *
signature_platform_label(const struct json_value *run)
{
	const struct json_value *cases = json_get(run, "cases");
	const struct json_value *peer = NULL;
	char *here = platform_words(json_get(run, "platform")), *there, *label;
	size_t i;

	for (i = 0; cases != NULL && cases->type == JSON_ARRAY && i < cases->count; i++)
		if ((peer = json_get(&cases->items[i], "peer")) != NULL)
			break;
	if (here == NULL || peer == NULL ||
	    (there = platform_words(json_get(peer, "platform"))) == NULL)
		return here;
	if (asprintf(&label, "%s, %s on %s", here,
	    string_or(json_get(peer, "role"), "peer"), there) < 0)
		label = NULL;
	free(here);
	free(there);
	return label;
}

int
signature_add_run(struct signature_set *set, const struct json_value *run, char *err,
    size_t errlen)
{
	const struct json_value *cases = json_get(run, "cases");
	size_t i;

	if (cases == NULL || cases->type != JSON_ARRAY) {
		snprintf(err, errlen, "no \"cases\" array: not the JSON of closeprobe run");
		return -1;
	}
	if (set->platform == NULL)
		set->platform = signature_platform_label(run);
	for (i = 0; i < cases->count; i++)
		if (add_case(set, &cases->items[i], err, errlen) < 0)
			return -1;
	set->runs++;
	return 0;
}
