/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_peerproto.c - the peer protocol's lines and the ledger's JSON:
 * what is written reads back the same, and what another host could send
 * (unknown verbs, numbers out of range, control characters, lines too
 * long, ledgers with a field missing, extra or out of range) is refused
 * with a reason.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "ledgercodec.h"
#include "peerproto.h"
#include "strbuf.h"
#include "testutil.h"

static int
parse(const char *line, struct peer_msg *msg, char *err)
{
	return peerproto_parse(line, strlen(line), msg, err, 256);
}

START_TEST(every_verb_round_trips)
{
	static const struct {
		const char *line;
		enum peer_verb verb;
	} lines[] = {
		{ "hello 1", PEER_HELLO },
		{ "platform release 6.1.0-57-cloud-amd64", PEER_PLATFORM },
		{ "supports steps connect accept send", PEER_SUPPORTS },
		{ "ready", PEER_READY },
		{ "case close-unread 12", PEER_CASE },
		{ "text   send 100 # a comment", PEER_TEXT },
		{ "text ", PEER_TEXT },
		{ "role server 10.77.0.2", PEER_ROLE },
		{ "start 10000", PEER_START },
		{ "event 3", PEER_EVENT },
		{ "abort", PEER_ABORT },
		{ "listening 65535", PEER_LISTENING },
		{ "connecting", PEER_CONNECTING },
		{ "clock 123456789012", PEER_CLOCK },
		{ "step 128", PEER_STEP },
		{ "raise 0", PEER_RAISE },
		{ "unsupported fork one process per role", PEER_UNSUPPORTED },
		{ "ledger {\"state\":\"finished\"}", PEER_LEDGER },
		{ "child-ledger {\"state\":\"finished\"}", PEER_CHILD_LEDGER },
		{ "end", PEER_END },
		{ "error the case does not parse: x.case:3:1: unknown step", PEER_ERROR },
	};
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct peer_msg msg;
		char err[256], buf[PEERPROTO_LINE_MAX + 1];
		int n;

		ck_assert_msg(parse(lines[i].line, &msg, err) == 0, "%s: %s", lines[i].line, err);
		ck_assert_int_eq(msg.verb, lines[i].verb);
		n = peerproto_format(&msg, buf, sizeof(buf));
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(buf[n - 1], '\n');
		buf[n - 1] = '\0';
		ck_assert_str_eq(buf, strcmp(lines[i].line, "text ") == 0 ? "text " : lines[i].line);
	}
}
END_TEST

START_TEST(arguments_are_read)
{
	struct peer_msg msg;
	char err[256];

	ck_assert_int_eq(parse("case close-unread 12", &msg, err), 0);
	ck_assert_str_eq(msg.word, "close-unread");
	ck_assert_uint_eq(msg.number, 12);
	ck_assert_int_eq(parse("unsupported fork one process per role", &msg, err), 0);
	ck_assert_str_eq(msg.word, "fork");
	ck_assert_str_eq(msg.text, "one process per role");
	ck_assert_int_eq(parse("supports options", &msg, err), 0);
	ck_assert_str_eq(msg.word, "options");
	ck_assert_uint_eq(msg.text_len, 0);
	ck_assert_int_eq(parse("clock 9223372036854775807", &msg, err), 0);
	ck_assert_uint_eq(msg.number, INT64_MAX);
}
END_TEST

START_TEST(hostile_lines_are_refused)
{
	static const char *const bad[] = {
		"",				/* no verb */
		"helo 1",			/* unknown verb */
		"HELLO 1",			/* verbs are lower case */
		"hello",			/* missing number */
		"hello 0",			/* below its range */
		"hello 1001",
		"hello 01",			/* leading zero */
		"hello +1",
		"hello -1",
		"hello 1 2",			/* trailing junk */
		"hello 1 ",
		"listening 0",			/* no port 0 */
		"listening 65536",
		"step 129",			/* past a role's steps */
		"event 99999999999999999999999",	/* overflows 64 bits */
		"clock 9223372036854775808",	/* past INT64_MAX */
		"ready now",			/* takes no argument */
		"case",				/* needs a word */
		"case name",			/* and a number */
		"case name 0",
		"case name 4097",		/* more lines than a case may have */
		"platform",
		"error with \x1b[2J escape",	/* control characters */
		"text a\rb",
		"text a\x7f",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct peer_msg msg;
		char err[256] = "";

		ck_assert_msg(parse(bad[i], &msg, err) < 0, "accepted: '%s'", bad[i]);
		ck_assert_msg(err[0] != '\0', "no reason for '%s'", bad[i]);
	}
}
END_TEST

START_TEST(word_bound)
{
	char line[PEERPROTO_WORD_MAX + 32];
	struct peer_msg msg;
	char err[256];

	snprintf(line, sizeof(line), "case %0*d 1", PEERPROTO_WORD_MAX, 0);
	ck_assert_int_eq(parse(line, &msg, err), 0);
	snprintf(line, sizeof(line), "case %0*d 1", PEERPROTO_WORD_MAX + 1, 0);
	ck_assert_int_lt(parse(line, &msg, err), 0);
}
END_TEST

START_TEST(line_bounds)
{
	char *line = malloc(PEERPROTO_LEDGER_MAX + 16);
	struct peer_msg msg;
	char err[256];

	ck_assert_ptr_nonnull(line);
	/* An ordinary line: PEERPROTO_LINE_MAX with its newline, no more. */
	memset(line, 'x', PEERPROTO_LINE_MAX);
	memcpy(line, "text ", 5);
	ck_assert_int_eq(peerproto_parse(line, PEERPROTO_LINE_MAX - 1, &msg, err, sizeof(err)), 0);
	ck_assert_int_lt(peerproto_parse(line, PEERPROTO_LINE_MAX, &msg, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "at most"));
	/* A ledger may be longer, up to its own bound. */
	memset(line, 'x', PEERPROTO_LEDGER_MAX);
	memcpy(line, "ledger ", 7);
	ck_assert_int_eq(peerproto_parse(line, PEERPROTO_LEDGER_MAX - 1, &msg, err, sizeof(err)),
	    0);
	ck_assert_int_lt(peerproto_parse(line, PEERPROTO_LEDGER_MAX, &msg, err, sizeof(err)), 0);
	free(line);
}
END_TEST

START_TEST(format_refuses_what_would_not_parse)
{
	struct peer_msg msg = { .verb = PEER_TEXT, .text = "a\nb", .text_len = 3 };
	char buf[64];

	ck_assert_int_lt(peerproto_format(&msg, buf, sizeof(buf)), 0);
	msg = (struct peer_msg){ .verb = PEER_CASE, .number = 1, .text = "" };
	strcpy(msg.word, "two words");
	ck_assert_int_lt(peerproto_format(&msg, buf, sizeof(buf)), 0);
	msg = (struct peer_msg){ .verb = PEER_LISTENING, .number = 70000, .text = "" };
	ck_assert_int_lt(peerproto_format(&msg, buf, sizeof(buf)), 0);
	msg = (struct peer_msg){ .verb = PEER_VERB_COUNT, .text = "" };
	ck_assert_int_lt(peerproto_format(&msg, buf, sizeof(buf)), 0);
}
END_TEST

/* What the reader gives from bytes written to a pipe in pieces. */
START_TEST(reader_splits_lines)
{
	struct peer_reader r;
	int fds[2];
	char *line, err[256];
	size_t len;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(peer_reader_init(&r, fds[0]), 0);
	ck_assert_int_eq(write(fds[1], "hello 1\nrea", 11), 11);
	ck_assert_int_eq(peer_reader_line(&r, INT64_MAX, &line, &len, err, sizeof(err)), 1);
	ck_assert_str_eq(line, "hello 1");
	ck_assert_int_eq(peer_reader_next(&r, &line, &len, err, sizeof(err)), 0);
	ck_assert_int_eq(write(fds[1], "dy\nend", 6), 6);
	ck_assert_int_eq(peer_reader_line(&r, INT64_MAX, &line, &len, err, sizeof(err)), 1);
	ck_assert_str_eq(line, "ready");
	close(fds[1]);
	/* "end" without its newline: the peer died mid-line. */
	ck_assert_int_lt(peer_reader_line(&r, INT64_MAX, &line, &len, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "no newline"));
	peer_reader_free(&r);
	close(fds[0]);
}
END_TEST

START_TEST(reader_refuses_nul_and_endless_lines)
{
	struct peer_reader r;
	int fds[2];
	char *line, err[256], *junk = malloc(PEERPROTO_LEDGER_MAX + 10);
	size_t len, left;
	int rc = 0;

	ck_assert_ptr_nonnull(junk);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(peer_reader_init(&r, fds[0]), 0);
	ck_assert_int_eq(write(fds[1], "ev\0nt 1\n", 8), 8);
	ck_assert_int_lt(peer_reader_line(&r, INT64_MAX, &line, &len, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	peer_reader_free(&r);
	close(fds[0]);
	close(fds[1]);

	/* A writer that never ends its line: refused at the bound, no growth. */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(peer_reader_init(&r, fds[0]), 0);
	memset(junk, 'x', PEERPROTO_LEDGER_MAX + 10);
	for (left = PEERPROTO_LEDGER_MAX + 10; left > 0 && rc == 0;) {
		size_t chunk = left > 4096 ? 4096 : left;

		ck_assert_int_eq(write(fds[1], junk, chunk), (ssize_t)chunk);
		left -= chunk;
		ck_assert_int_gt(peer_reader_fill(&r), 0);
		rc = peer_reader_next(&r, &line, &len, err, sizeof(err));
	}
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
	peer_reader_free(&r);
	close(fds[0]);
	close(fds[1]);
	free(junk);
}
END_TEST

START_TEST(reader_times_out)
{
	struct peer_reader r;
	int fds[2];
	char *line, err[256];
	size_t len;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(peer_reader_init(&r, fds[0]), 0);
	/* A deadline already passed: no wait, the reason said. */
	ck_assert_int_lt(peer_reader_line(&r, 0, &line, &len, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "in time"));
	close(fds[1]);
	ck_assert_int_eq(peer_reader_line(&r, INT64_MAX, &line, &len, err, sizeof(err)), 0);
	peer_reader_free(&r);
	close(fds[0]);
}
END_TEST

START_TEST(send_text_cleans)
{
	int fds[2];
	char buf[256];
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(peerproto_send_text(fds[1], PEER_ERROR, NULL, "bad\nline\x1b"), 0);
	n = read(fds[0], buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "error bad?line?\n");
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* Member by member: an initialised struct's padding is not zero for sure,
 * and the comparison below is of the whole struct. */
static void
set_read(struct read_result *r, enum read_result_kind kind, int error, uint64_t bytes)
{
	r->kind = kind;
	r->error = error;
	r->bytes = bytes;
}

static void
set_queues(struct queue_snapshot *q, bool valid, uint64_t first)
{
	q->valid = valid;
	q->unread = first;
	q->unacked = first + 1;
	q->unsent = first + 2;
}

/* A ledger with every field set to a value of its own. */
static void
full_ledger(struct ledger *l)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	ledger_init(l);
	l->state = ROLE_STATE_FAILED;
	l->pid = 4242;
	l->step = 7;
	l->step_started_ns = -5;
	l->local_port = 65000;
	l->bytes_sent = UINT64_MAX;
	l->send_calls = 3;
	for (i = 0; i < LEDGER_SEND_RUNS; i++)
	{
		l->sends[i].error = (int)i;
		l->sends[i].calls = i + 1;
		l->sends[i].bytes = i * 1000;
	}
	l->nsends = LEDGER_SEND_RUNS;
	l->sends_overflow = true;
	l->bytes_read = 100;
	l->recv_calls = 9;
	l->bytes_peeked = 11;
	l->corrupted = true;
	l->first_bad_offset = 12345;
	set_read(&l->read_end, READ_RESULT_ERROR, 104, 0);
	set_read(&l->next_read, READ_RESULT_TIMEOUT, 0, 77);
	l->so_error_read = true;
	l->so_error = 32;
	set_queues(&l->snapshot, true, 1);
	l->polled = true;
	l->poll_revents = -32768;
	l->shutdown.done = true;
	l->shutdown.rc = -1;
	l->shutdown.error = 107;
	l->shutdown.duration_ns = 99;
	l->shutdown.at_ns = INT64_MIN;
	set_queues(&l->shutdown.before, true, 4);
	l->close.done = true;
	l->close.duration_ns = 1000000;
	l->close.at_ns = INT64_MAX;
	set_queues(&l->close.before, false, 7);
	l->closes = 2;
	l->write_shut = true;
	l->socket_released = true;
	l->released = true;
	l->released_by = 5;
	l->released_ns = 123456789;
	set_queues(&l->released_with, true, 10);
	for (i = 0; i < LEDGER_STEPS; i++) {
		struct step_record *r = &l->records[i];

		r->done = i % 2 == 0;
		r->started_ns = (int64_t)i * 10;
		r->ended_ns = (int64_t)i * 10 + 5;
		r->bytes = i;
		r->calls = i + 1;
		r->error = (int)(i % 100);
		r->eagains = i * 3;
		set_read(&r->end, (enum read_result_kind)(i % 6), (int)(i % 7), i);
		r->so_error_read = i % 3 == 0;
		r->so_error = (int)(i % 50);
		set_queues(&r->queues, i % 2 == 1, i);
	}
	l->child_pid = 4343;
	snprintf(l->error, sizeof(l->error), "send: \"quoted\" \\ back\tslash\x01");
	l->unsupported = true;
	l->exited = true;
	l->exit_code = 1;
	l->exit_signal = 9;
}

static void
round_trip(const struct ledger *in, struct ledger *out)
{
	struct strbuf sb;
	char err[256];

	strbuf_init(&sb);
	ledger_to_json(&sb, in);
	ck_assert(!sb.failed);
	ck_assert_uint_lt(sb.len, PEERPROTO_LEDGER_MAX - 8);
	ck_assert_ptr_null(memchr(sb.data, '\n', sb.len));
	memset(out, 0xa5, sizeof(*out));
	ck_assert_msg(ledger_from_json(sb.data, sb.len, out, err, sizeof(err)) == 0, "%s", err);
	strbuf_free(&sb);
}

START_TEST(ledger_round_trips_every_field)
{
	/* Static: two ledgers are too big for a small stack. */
	static struct ledger in, out;

	full_ledger(&in);
	round_trip(&in, &out);
	/* Field by field is the whole struct: no padding holds a value (both
	 * were zeroed first, the codec zeroes before reading). */
	ck_assert_int_eq(memcmp(&in, &out, sizeof(in)), 0);
}
END_TEST

START_TEST(ledger_round_trips_fresh)
{
	static struct ledger in, out;

	memset(&in, 0, sizeof(in));
	ledger_init(&in);
	round_trip(&in, &out);
	ck_assert_int_eq(memcmp(&in, &out, sizeof(in)), 0);
	ck_assert_int_eq(out.step, -1);
	ck_assert_int_eq(out.released_by, -1);
}
END_TEST

START_TEST(ledger_refuses_hostile_json)
{
	static struct ledger in, out;
	static const struct {
		const char *from, *to;
	} edits[] = {
		{ "\"state\":\"failed\"", "\"state\":\"exploded\"" },
		{ "\"step\":7", "\"step\":129" },
		{ "\"step\":7", "\"step\":-2" },
		{ "\"step\":7", "\"step\":7.5" },
		{ "\"local_port\":65000", "\"local_port\":65536" },
		{ "\"exit_code\":1", "\"exit_code\":256" },
		{ "\"pid\":4242", "\"pid\":-1" },
		{ "\"bytes_sent\":18446744073709551615", "\"bytes_sent\":18446744073709551616" },
		{ "\"bytes_read\":100", "\"bytes_read\":-100" },
		{ "\"corrupted\":true", "\"corrupted\":1" },
		{ "\"released_by\":5", "\"released_by\":128" },
		{ "\"closes\":2,", "" },			/* a field missing */
		{ "\"closes\":2,", "\"closes\":2,\"extra\":1," },	/* one too many */
		{ "\"kind\":\"error\"", "\"kind\":\"lost\"" },
		{ "\"sends\":[", "\"sends\":{},\"x\":[" },
	};
	struct strbuf sb;
	size_t i;

	full_ledger(&in);
	strbuf_init(&sb);
	ledger_to_json(&sb, &in);
	ck_assert(!sb.failed);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *at = strstr(sb.data, edits[i].from), *edited, err[256] = "";
		size_t flen = strlen(edits[i].from), tlen = strlen(edits[i].to);

		ck_assert_msg(at != NULL, "no '%s' in the JSON", edits[i].from);
		edited = malloc(sb.len + tlen + 1);
		ck_assert_ptr_nonnull(edited);
		memcpy(edited, sb.data, (size_t)(at - sb.data));
		memcpy(edited + (at - sb.data), edits[i].to, tlen);
		strcpy(edited + (at - sb.data) + tlen, at + flen);
		ck_assert_msg(ledger_from_json(edited, strlen(edited), &out, err, sizeof(err)) < 0,
		    "accepted with %s", edits[i].to);
		ck_assert(err[0] != '\0');
		free(edited);
	}
	strbuf_free(&sb);
}
END_TEST

START_TEST(ledger_refuses_too_many)
{
	static struct ledger out;
	struct strbuf sb;
	char err[256];
	int i;

	/* 33 send runs: one more than a ledger holds. */
	strbuf_init(&sb);
	strbuf_adds(&sb, "{\"sends\":[");
	for (i = 0; i <= LEDGER_SEND_RUNS; i++)
		strbuf_addf(&sb, "%s{\"error\":0,\"calls\":1,\"bytes\":1}", i > 0 ? "," : "");
	strbuf_adds(&sb, "]}");
	ck_assert_int_lt(ledger_from_json(sb.data, sb.len, &out, err, sizeof(err)), 0);
	strbuf_free(&sb);
	/* Not JSON at all, nested too deep. */
	ck_assert_int_lt(ledger_from_json("{\"state\":", 9, &out, err, sizeof(err)), 0);
	strbuf_init(&sb);
	for (i = 0; i < 1000; i++)
		strbuf_addc(&sb, '[');
	ck_assert_int_lt(ledger_from_json(sb.data, sb.len, &out, err, sizeof(err)), 0);
	strbuf_free(&sb);
}
END_TEST

static Suite *
peerproto_suite(void)
{
	Suite *s = suite_create("peerproto");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, every_verb_round_trips);
	tcase_add_test(tc, arguments_are_read);
	tcase_add_test(tc, hostile_lines_are_refused);
	tcase_add_test(tc, word_bound);
	tcase_add_test(tc, line_bounds);
	tcase_add_test(tc, format_refuses_what_would_not_parse);
	tcase_add_test(tc, reader_splits_lines);
	tcase_add_test(tc, reader_refuses_nul_and_endless_lines);
	tcase_add_test(tc, reader_times_out);
	tcase_add_test(tc, send_text_cleans);
	suite_add_tcase(s, tc);
	tc = tcase_create("ledger");
	tcase_add_test(tc, ledger_round_trips_every_field);
	tcase_add_test(tc, ledger_round_trips_fresh);
	tcase_add_test(tc, ledger_refuses_hostile_json);
	tcase_add_test(tc, ledger_refuses_too_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(peerproto_suite());
}
