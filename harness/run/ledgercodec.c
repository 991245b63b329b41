/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ledgercodec.c - struct ledger <-> JSON, by tables of fields: each
 * struct's fields are listed once, with their type and range, and both
 * directions walk the same table.  A field added to ledger.h needs a row
 * here (the size check below reminds whoever adds one on x86-64).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "ledgercodec.h"

enum field_type {
	FIELD_BOOL,
	FIELD_INT,		/* int, within min..max */
	FIELD_I64,
	FIELD_U64,
	FIELD_U16,
	FIELD_SHORT,
	FIELD_ROLE_STATE,	/* enum role_state, by name */
	FIELD_READ_KIND,	/* enum read_result_kind, by name */
	FIELD_STRUCT		/* a nested object: sub */
};

struct fieldset;

struct field {
	const char *name;
	enum field_type type;
	size_t offset;
	const struct fieldset *sub;	/* FIELD_STRUCT */
	int64_t min, max;		/* FIELD_INT */
};

struct fieldset {
	const struct field *fields;
	size_t count;
};

#define SET(table) { table, sizeof(table) / sizeof(table[0]) }
#define F(type_, st, member, kind) { #member, kind, offsetof(type_, member), NULL, 0, 0 }
#define FI(type_, member, lo, hi) { #member, FIELD_INT, offsetof(type_, member), NULL, lo, hi }
#define FS(type_, member, set) { #member, FIELD_STRUCT, offsetof(type_, member), &set, 0, 0 }

static const char *const state_names[] = {
	[ROLE_STATE_STARTING] = "starting",
	[ROLE_STATE_RUNNING] = "running",
	[ROLE_STATE_FINISHED] = "finished",
	[ROLE_STATE_FAILED] = "failed",
};

static const char *const read_kind_names[] = {
	[READ_RESULT_NONE] = "none",
	[READ_RESULT_DATA] = "data",
	[READ_RESULT_EOF] = "eof",
	[READ_RESULT_ERROR] = "error",
	[READ_RESULT_WOULD_BLOCK] = "would-block",
	[READ_RESULT_TIMEOUT] = "timeout",
};

#define ERRNO_MAX 4095	/* errno values are small and positive; 0 is none */

static const struct field queue_fields[] = {
	F(struct queue_snapshot, q, valid, FIELD_BOOL),
	F(struct queue_snapshot, q, unread, FIELD_U64),
	F(struct queue_snapshot, q, unacked, FIELD_U64),
	F(struct queue_snapshot, q, unsent, FIELD_U64),
};
static const struct fieldset queue_set = SET(queue_fields);

static const struct field read_fields[] = {
	F(struct read_result, r, kind, FIELD_READ_KIND),
	FI(struct read_result, error, 0, ERRNO_MAX),
	F(struct read_result, r, bytes, FIELD_U64),
};
static const struct fieldset read_set = SET(read_fields);

static const struct field teardown_fields[] = {
	F(struct teardown_call, t, done, FIELD_BOOL),
	FI(struct teardown_call, rc, -1, 0),
	FI(struct teardown_call, error, 0, ERRNO_MAX),
	F(struct teardown_call, t, duration_ns, FIELD_U64),
	F(struct teardown_call, t, at_ns, FIELD_I64),
	FS(struct teardown_call, before, queue_set),
};
static const struct fieldset teardown_set = SET(teardown_fields);

static const struct field send_run_fields[] = {
	FI(struct send_run, error, 0, ERRNO_MAX),
	F(struct send_run, s, calls, FIELD_U64),
	F(struct send_run, s, bytes, FIELD_U64),
};
static const struct fieldset send_run_set = SET(send_run_fields);

static const struct field record_fields[] = {
	F(struct step_record, r, done, FIELD_BOOL),
	F(struct step_record, r, started_ns, FIELD_I64),
	F(struct step_record, r, ended_ns, FIELD_I64),
	F(struct step_record, r, bytes, FIELD_U64),
	F(struct step_record, r, calls, FIELD_U64),
	FI(struct step_record, error, 0, ERRNO_MAX),
	F(struct step_record, r, eagains, FIELD_U64),
	FS(struct step_record, end, read_set),
	F(struct step_record, r, so_error_read, FIELD_BOOL),
	FI(struct step_record, so_error, 0, ERRNO_MAX),
	FS(struct step_record, queues, queue_set),
};
static const struct fieldset record_set = SET(record_fields);

/* The ledger's fields but its arrays and its error text (written apart). */
static const struct field ledger_fields[] = {
	F(struct ledger, l, state, FIELD_ROLE_STATE),
	FI(struct ledger, pid, 0, INT_MAX),
	FI(struct ledger, step, -1, LEDGER_STEPS),
	F(struct ledger, l, step_started_ns, FIELD_I64),
	F(struct ledger, l, local_port, FIELD_U16),
	F(struct ledger, l, bytes_sent, FIELD_U64),
	F(struct ledger, l, send_calls, FIELD_U64),
	F(struct ledger, l, sends_overflow, FIELD_BOOL),
	F(struct ledger, l, bytes_read, FIELD_U64),
	F(struct ledger, l, recv_calls, FIELD_U64),
	F(struct ledger, l, bytes_peeked, FIELD_U64),
	F(struct ledger, l, corrupted, FIELD_BOOL),
	F(struct ledger, l, first_bad_offset, FIELD_U64),
	FS(struct ledger, read_end, read_set),
	FS(struct ledger, next_read, read_set),
	F(struct ledger, l, so_error_read, FIELD_BOOL),
	FI(struct ledger, so_error, 0, ERRNO_MAX),
	FS(struct ledger, snapshot, queue_set),
	F(struct ledger, l, polled, FIELD_BOOL),
	F(struct ledger, l, poll_revents, FIELD_SHORT),
	FS(struct ledger, shutdown, teardown_set),
	FS(struct ledger, close, teardown_set),
	F(struct ledger, l, closes, FIELD_U64),
	F(struct ledger, l, write_shut, FIELD_BOOL),
	F(struct ledger, l, socket_released, FIELD_BOOL),
	F(struct ledger, l, released, FIELD_BOOL),
	FI(struct ledger, released_by, -1, LEDGER_STEPS - 1),
	F(struct ledger, l, released_ns, FIELD_I64),
	FS(struct ledger, released_with, queue_set),
	FI(struct ledger, child_pid, 0, INT_MAX),
	F(struct ledger, l, unsupported, FIELD_BOOL),
	F(struct ledger, l, exited, FIELD_BOOL),
	FI(struct ledger, exit_code, 0, 255),
	FI(struct ledger, exit_signal, 0, 64),
};
static const struct fieldset ledger_set = SET(ledger_fields);

#if defined(__x86_64__)
/* A new field makes the ledger bigger: give it a row above, then fix this. */
_Static_assert(sizeof(struct step_record) == 112, "struct step_record changed: add its field");
_Static_assert(sizeof(struct ledger) == 1152 + LEDGER_STEPS * 112 + LEDGER_ERROR_SIZE,
    "struct ledger changed: add its field to ledger_fields");
#endif

/* The names written besides ledger_fields. */
#define KEY_SENDS "sends"
#define KEY_RECORDS "records"
#define KEY_ERROR "error"

static void
write_set(struct strbuf *out, const struct fieldset *set, const void *base)
{
	const char *p = base;
	size_t i;

	strbuf_addc(out, '{');
	for (i = 0; i < set->count; i++) {
		const struct field *f = &set->fields[i];
		const void *at = p + f->offset;

		strbuf_addf(out, "%s\"%s\":", i > 0 ? "," : "", f->name);
		switch (f->type) {
		case FIELD_BOOL:
			strbuf_adds(out, *(const bool *)at ? "true" : "false");
			break;
		case FIELD_INT:
			strbuf_addf(out, "%d", *(const int *)at);
			break;
		case FIELD_I64:
			strbuf_addf(out, "%lld", (long long)*(const int64_t *)at);
			break;
		case FIELD_U64:
			strbuf_addf(out, "%llu", (unsigned long long)*(const uint64_t *)at);
			break;
		case FIELD_U16:
			strbuf_addf(out, "%u", (unsigned)*(const uint16_t *)at);
			break;
		case FIELD_SHORT:
			strbuf_addf(out, "%d", (int)*(const short *)at);
			break;
		case FIELD_ROLE_STATE: {
			unsigned s = (unsigned)*(const enum role_state *)at;

			strbuf_addf(out, "\"%s\"", s < 4 ? state_names[s] : "?");
			break;
		}
		case FIELD_READ_KIND: {
			unsigned k = (unsigned)*(const enum read_result_kind *)at;

			strbuf_addf(out, "\"%s\"", k < 6 ? read_kind_names[k] : "?");
			break;
		}
		case FIELD_STRUCT:
			write_set(out, f->sub, at);
			break;
		}
	}
	strbuf_addc(out, '}');
}

/* A record that holds nothing is left out (when all after it hold nothing). */
static bool
record_empty(const struct step_record *r)
{
	static const struct step_record none;

	return memcmp(r, &none, sizeof(none)) == 0;
}

void
ledger_to_json(struct strbuf *out, const struct ledger *l)
{
	size_t i, nrecords = LEDGER_STEPS, nsends = l->nsends;

	while (nrecords > 0 && record_empty(&l->records[nrecords - 1]))
		nrecords--;
	if (nsends > LEDGER_SEND_RUNS)
		nsends = LEDGER_SEND_RUNS;
	write_set(out, &ledger_set, l);
	out->len--;	/* reopen the object: the arrays and the text follow */
	strbuf_adds(out, ",\"" KEY_SENDS "\":[");
	for (i = 0; i < nsends; i++) {
		if (i > 0)
			strbuf_addc(out, ',');
		write_set(out, &send_run_set, &l->sends[i]);
	}
	strbuf_adds(out, "],\"" KEY_RECORDS "\":[");
	for (i = 0; i < nrecords; i++) {
		if (i > 0)
			strbuf_addc(out, ',');
		write_set(out, &record_set, &l->records[i]);
	}
	strbuf_adds(out, "],\"" KEY_ERROR "\":\"");
	for (i = 0; i < sizeof(l->error) && l->error[i] != '\0'; i++) {
		unsigned char c = (unsigned char)l->error[i];

		if (c == '"' || c == '\\')
			strbuf_addf(out, "\\%c", c);
		else if (c < 0x20)
			strbuf_addf(out, "\\u%04x", c);
		else
			strbuf_addc(out, c < 0x7f ? (char)c : '?');
	}
	strbuf_adds(out, "\"}");
}

/* A signed integer of a JSON number: digits only (no fraction, exponent). */
static int
number_i64(const struct json_value *v, int64_t *out)
{
	long long n;
	char *end;

	if (v == NULL || v->type != JSON_NUMBER)
		return -1;
	errno = 0;
	n = strtoll(v->text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

static int
name_index(const char *const *names, size_t n, const struct json_value *v)
{
	const char *s = json_string(v);
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static int read_set_into(const struct fieldset *set, const struct json_value *obj, void *base,
    const char *where, size_t extra, char *err, size_t errlen);

static int
read_field(const struct field *f, const struct json_value *v, char *p, const char *where,
    char *err, size_t errlen)
{
	void *at = p + f->offset;
	int64_t i;
	uint64_t u;
	int k;

	switch (f->type) {
	case FIELD_BOOL:
		if (v->type != JSON_BOOL)
			break;
		*(bool *)at = v->boolean;
		return 0;
	case FIELD_INT:
		if (number_i64(v, &i) < 0 || i < f->min || i > f->max)
			break;
		*(int *)at = (int)i;
		return 0;
	case FIELD_I64:
		if (number_i64(v, &i) < 0)
			break;
		*(int64_t *)at = i;
		return 0;
	case FIELD_U64:
		if (json_u64(v, &u) < 0)
			break;
		*(uint64_t *)at = u;
		return 0;
	case FIELD_U16:
		if (json_u64(v, &u) < 0 || u > UINT16_MAX)
			break;
		*(uint16_t *)at = (uint16_t)u;
		return 0;
	case FIELD_SHORT:
		if (number_i64(v, &i) < 0 || i < SHRT_MIN || i > SHRT_MAX)
			break;
		*(short *)at = (short)i;
		return 0;
	case FIELD_ROLE_STATE:
		if ((k = name_index(state_names, 4, v)) < 0)
			break;
		*(enum role_state *)at = (enum role_state)k;
		return 0;
	case FIELD_READ_KIND:
		if ((k = name_index(read_kind_names, 6, v)) < 0)
			break;
		*(enum read_result_kind *)at = (enum read_result_kind)k;
		return 0;
	case FIELD_STRUCT:
		return read_set_into(f->sub, v, at, f->name, 0, err, errlen);
	}
	snprintf(err, errlen, "%s.%s: not a valid value", where, f->name);
	return -1;
}

/* obj must hold exactly set's fields (and extra more, read by the caller). */
static int
read_set_into(const struct fieldset *set, const struct json_value *obj, void *base,
    const char *where, size_t extra, char *err, size_t errlen)
{
	size_t i;

	if (obj == NULL || obj->type != JSON_OBJECT) {
		snprintf(err, errlen, "%s: not an object", where);
		return -1;
	}
	if (obj->count != set->count + extra) {
		snprintf(err, errlen, "%s: %zu members, not %zu", where, obj->count,
		    set->count + extra);
		return -1;
	}
	for (i = 0; i < set->count; i++) {
		const struct json_value *v = json_get(obj, set->fields[i].name);

		if (v == NULL) {
			snprintf(err, errlen, "%s: no \"%s\"", where, set->fields[i].name);
			return -1;
		}
		if (read_field(&set->fields[i], v, base, where, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int
read_ledger(const struct json_value *root, struct ledger *l, char *err, size_t errlen)
{
	const struct json_value *sends = json_get(root, KEY_SENDS);
	const struct json_value *records = json_get(root, KEY_RECORDS);
	const char *error = json_string(json_get(root, KEY_ERROR));
	const struct json_value *error_v = json_get(root, KEY_ERROR);
	size_t i;

	if (read_set_into(&ledger_set, root, l, "ledger", 3, err, errlen) < 0)
		return -1;
	if (sends == NULL || sends->type != JSON_ARRAY || sends->count > LEDGER_SEND_RUNS) {
		snprintf(err, errlen, "ledger.sends: not an array of at most %d runs",
		    LEDGER_SEND_RUNS);
		return -1;
	}
	for (i = 0; i < sends->count; i++)
		if (read_set_into(&send_run_set, &sends->items[i], &l->sends[i], "sends[]", 0,
		    err, errlen) < 0)
			return -1;
	l->nsends = sends->count;
	if (records == NULL || records->type != JSON_ARRAY || records->count > LEDGER_STEPS) {
		snprintf(err, errlen, "ledger.records: not an array of at most %d records",
		    LEDGER_STEPS);
		return -1;
	}
	for (i = 0; i < records->count; i++)
		if (read_set_into(&record_set, &records->items[i], &l->records[i], "records[]", 0,
		    err, errlen) < 0)
			return -1;
	if (error == NULL || error_v->len >= sizeof(l->error) ||
	    memchr(error, '\0', error_v->len) != NULL) {
		snprintf(err, errlen, "ledger.error: not a string of under %d bytes",
		    LEDGER_ERROR_SIZE);
		return -1;
	}
	memcpy(l->error, error, error_v->len + 1);
	return 0;
}

int
ledger_from_json(const char *text, size_t len, struct ledger *l, char *err, size_t errlen)
{
	struct json_value *root;
	char perr[256];
	int rc;

	if (json_parse(text, len, &root, perr, sizeof(perr)) < 0) {
		snprintf(err, errlen, "ledger: %s", perr);
		return -1;
	}
	memset(l, 0, sizeof(*l));
	ledger_init(l);
	rc = read_ledger(root, l, err, errlen);
	json_free(root);
	return rc;
}
