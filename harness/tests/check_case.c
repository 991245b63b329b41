/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_case.c - the case language: what parses, to what (the refusals
 * are in check_case_refuse.c, names and tables in check_case_names.c).
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_test.h"
#include "testutil.h"

struct case_file *
parse(const char *text, struct case_error *err)
{
	return case_parse_string(PATH, text, strlen(text), err);
}

struct case_file *
parse_ok(const char *text)
{
	struct case_error err;
	struct case_file *cf;

	cf = parse(text, &err);
	ck_assert_msg(cf != NULL, "did not parse: %s\n%s", err.msg, text);
	return cf;
}

void
assert_refused(const char *text, const char *expected)
{
	struct case_error err;
	struct case_file *cf;
	bool parsed;

	cf = parse(text, &err);
	parsed = cf != NULL;
	case_free(cf);
	ck_assert_msg(!parsed, "parsed, expected '%s':\n%s", expected, text);
	ck_assert_str_eq(err.msg, expected);
}

char *
test_file_path(const char *name)
{
	const char *srcdir;
	char *path;
	size_t len;

	srcdir = getenv("srcdir");
	if (srcdir == NULL)
		srcdir = ".";
	len = strlen(srcdir) + strlen("/harness/tests/cases/") +
	    strlen(name) + 1;
	path = malloc(len);
	ck_assert_ptr_nonnull(path);
	snprintf(path, len, "%s/harness/tests/cases/%s", srcdir, name);
	return path;
}

/* The example of the language, field by field */

static const char example[] =
    "# A server answers with 4 MiB but never reads the client's 100-byte request.\n"
    "# close() then sends RST and throws away the part of the answer not yet sent.\n"
    "case      close-unread-truncates\n"
    "deadline  10s\n"
    "client:   connect\n"
    "          send 100\n"
    "          wait server.closed\n"
    "          recv all\n"
    "server:   accept\n"
    "          await unread 100        # SIOCINQ: the request is queued, unread\n"
    "          send 4MiB nonblocking   # queue what fits; do not wait for the reader\n"
    "          close\n"
    "expect:   teardown rst from server\n"
    "          client.recv ends ECONNRESET\n"
    "          server->client truncated\n";

static void
assert_step_at(const struct case_step *step, enum step_kind kind,
    unsigned line, unsigned col, const char *text)
{
	ck_assert_int_eq(step->kind, kind);
	ck_assert_uint_eq(step->line, line);
	ck_assert_uint_eq(step->col, col);
	ck_assert_str_eq(step->text, text);
	ck_assert_uint_eq(step->timeout_ms, 0);
}

static void
check_example(const struct case_file *cf, const char *path)
{
	const struct case_role *client, *server;
	const struct case_expect *e;

	ck_assert_str_eq(cf->path, path);
	ck_assert_str_eq(cf->name, "close-unread-truncates");
	ck_assert_str_eq(cf->summary,
	    "A server answers with 4 MiB but never reads the client's "
	    "100-byte request. close() then sends RST and throws away the "
	    "part of the answer not yet sent.");
	ck_assert_uint_eq(cf->deadline_ms, 10000);

	client = &cf->roles[ROLE_CLIENT];
	ck_assert(client->present);
	ck_assert_uint_eq(client->line, 5);
	ck_assert_uint_eq(client->nsteps, 4);
	assert_step_at(&client->steps[0], STEP_CONNECT, 5, 11, "connect");
	assert_step_at(&client->steps[1], STEP_SEND, 6, 11, "send 100");
	ck_assert_uint_eq(client->steps[1].u.send.bytes, 100);
	ck_assert(!client->steps[1].u.send.fill);
	ck_assert_uint_eq(client->steps[1].u.send.flags, 0);
	assert_step_at(&client->steps[2], STEP_WAIT, 7, 11,
	    "wait server.closed");
	ck_assert_int_eq(client->steps[2].u.wait.role, ROLE_SERVER);
	ck_assert_str_eq(client->steps[2].u.wait.event, "closed");
	assert_step_at(&client->steps[3], STEP_RECV, 8, 11, "recv all");
	ck_assert_int_eq(client->steps[3].u.recv.mode, RECV_ALL);
	ck_assert_uint_eq(client->steps[3].u.recv.bytes, 0);
	ck_assert(!client->steps[3].u.recv.peek);

	server = &cf->roles[ROLE_SERVER];
	ck_assert(server->present);
	ck_assert_uint_eq(server->line, 9);
	ck_assert_uint_eq(server->nsteps, 4);
	assert_step_at(&server->steps[0], STEP_ACCEPT, 9, 11, "accept");
	assert_step_at(&server->steps[1], STEP_AWAIT, 10, 11,
	    "await unread 100");
	ck_assert_int_eq(server->steps[1].u.await.metric, METRIC_UNREAD);
	ck_assert_int_eq(server->steps[1].u.await.op, COMPARE_GE);
	ck_assert_uint_eq(server->steps[1].u.await.value, 100);
	assert_step_at(&server->steps[2], STEP_SEND, 11, 11,
	    "send 4MiB nonblocking");
	ck_assert_uint_eq(server->steps[2].u.send.bytes, 4194304);
	ck_assert(!server->steps[2].u.send.fill);
	ck_assert_uint_eq(server->steps[2].u.send.flags, SEND_DONTWAIT);
	assert_step_at(&server->steps[3], STEP_CLOSE, 12, 11, "close");

	ck_assert_uint_eq(cf->nexpects, 3);
	e = &cf->expects[0];
	ck_assert_int_eq(e->kind, EXPECT_TEARDOWN);
	ck_assert_uint_eq(e->line, 13);
	ck_assert_uint_eq(e->col, 11);
	ck_assert_str_eq(e->text, "teardown rst from server");
	ck_assert_int_eq(e->u.teardown, EXPECT_TEARDOWN_RST);
	ck_assert(e->has_role);
	ck_assert_int_eq(e->role, ROLE_SERVER);

	e = &cf->expects[1];
	ck_assert_int_eq(e->kind, EXPECT_RECV_END);
	ck_assert_uint_eq(e->line, 14);
	ck_assert_uint_eq(e->col, 11);
	ck_assert_str_eq(e->text, "client.recv ends ECONNRESET");
	ck_assert(e->has_role);
	ck_assert_int_eq(e->role, ROLE_CLIENT);
	ck_assert_int_eq(e->u.recv_end.first, ECONNRESET);
	ck_assert(!e->u.recv_end.has_then);

	e = &cf->expects[2];
	ck_assert_int_eq(e->kind, EXPECT_OUTCOME);
	ck_assert_uint_eq(e->line, 15);
	ck_assert_uint_eq(e->col, 11);
	ck_assert_str_eq(e->text, "server->client truncated");
	ck_assert_int_eq(e->writer, ROLE_SERVER);
	ck_assert(!e->has_role);
	ck_assert_int_eq(e->u.outcome, OUTCOME_TRUNCATED);
}

START_TEST(test_example)
{
	struct case_file *cf;

	cf = parse_ok(example);
	check_example(cf, PATH);
	case_free(cf);
}
END_TEST

START_TEST(test_example_file)
{
	struct case_error err;
	struct case_file *cf;
	char *path;

	path = test_file_path("good.case");
	cf = case_parse_file(path, &err);
	ck_assert_msg(cf != NULL, "%s", err.msg);
	check_example(cf, path);
	case_free(cf);
	free(path);
}
END_TEST

/* Layout: summary, comments, labels, tabs, line ends */

START_TEST(test_summary)
{
	struct case_file *cf;

	/* No opening comment. */
	cf = parse_ok(MINIMAL "# late\n");
	ck_assert_ptr_null(cf->summary);
	case_free(cf);

	/* A blank line first: no summary either. */
	cf = parse_ok("\n# not a summary\n" MINIMAL);
	ck_assert_ptr_null(cf->summary);
	case_free(cf);

	/* Markers, one space, trailing blanks go; empty lines are skipped;
	 * the block ends at the first other line. */
	cf = parse_ok("##  two spaces \t\n#\n  #indented\n#\tTab\n" HEAD
	    "# not part\n" CLIENT SERVER EXPECT);
	ck_assert_str_eq(cf->summary, " two spaces indented \tTab");
	case_free(cf);

	/* Only empty comment lines: NULL. */
	cf = parse_ok("#\n#   \n" MINIMAL);
	ck_assert_ptr_null(cf->summary);
	case_free(cf);
}
END_TEST

START_TEST(test_layout)
{
	struct case_file *cf;
	const struct case_step *step;

	/* Label glued to its first item, tabs, comments glued to tokens,
	 * directives after sections, no final newline. */
	cf = parse_ok("client:connect\n"
	    "\tsend\t100#comment\n"
	    "server:\n"
	    "   # comment only\n"
	    "\n"
	    "  accept\n"
	    "case late-name\n"
	    "  recv 100\n"
	    "expect:no rst\n"
	    "deadline 1.5s");
	ck_assert_str_eq(cf->name, "late-name");
	ck_assert_uint_eq(cf->deadline_ms, 1500);
	step = &cf->roles[ROLE_CLIENT].steps[0];
	ck_assert_int_eq(step->kind, STEP_CONNECT);
	ck_assert_uint_eq(step->col, 8);
	ck_assert_str_eq(step->text, "connect");
	step = &cf->roles[ROLE_CLIENT].steps[1];
	ck_assert_uint_eq(step->line, 2);
	ck_assert_uint_eq(step->col, 2);
	ck_assert_str_eq(step->text, "send\t100");
	ck_assert_uint_eq(cf->roles[ROLE_SERVER].line, 3);
	ck_assert_uint_eq(cf->roles[ROLE_SERVER].nsteps, 2);
	/* "case" inside a section is a directive, not the end of it. */
	ck_assert_int_eq(cf->roles[ROLE_SERVER].steps[1].kind, STEP_RECV);
	ck_assert_uint_eq(cf->roles[ROLE_SERVER].steps[1].line, 8);
	ck_assert_uint_eq(cf->expects[0].col, 8);
	ck_assert_uint_eq(cf->deadline_ms, 1500);
	case_free(cf);

	/* Default deadline; an empty role is allowed. */
	cf = parse_ok("case t\nclient:\nserver: accept\nexpect: no rst\n");
	ck_assert_uint_eq(cf->deadline_ms, CASE_DEFAULT_DEADLINE_MS);
	ck_assert(cf->roles[ROLE_CLIENT].present);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 0);
	ck_assert_ptr_null(cf->summary);
	case_free(cf);
}
END_TEST

START_TEST(test_crlf_file)
{
	struct case_error err;
	struct case_file *cf;
	char *path;

	path = test_file_path("crlf.case");
	cf = case_parse_file(path, &err);
	ck_assert_msg(cf != NULL, "%s", err.msg);
	ck_assert_str_eq(cf->name, "crlf");
	ck_assert_str_eq(cf->roles[ROLE_CLIENT].steps[1].text, "send 1");
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].steps[1].col, 2);
	ck_assert_str_eq(cf->expects[0].text, "no rst");
	case_free(cf);
	free(path);
}
END_TEST

/* Steps */

START_TEST(test_send_forms)
{
	struct case_file *cf;
	const struct case_step *s;

	cf = parse_ok(HEAD CLIENT
	    "  send 1\n"
	    "  send 4K dontwait\n"
	    "  send 4KiB more\n"
	    "  send 1G more nonblocking\n"
	    "  send fill\n"
	    "  send fill more\n"
	    "  send 1099511627776\n"
	    "  send 2 within 1.5s\n"
	    SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 9);
	ck_assert_uint_eq(s[1].u.send.bytes, 1);
	ck_assert_uint_eq(s[1].u.send.flags, 0);
	ck_assert_uint_eq(s[2].u.send.bytes, 4000);
	ck_assert_uint_eq(s[2].u.send.flags, SEND_DONTWAIT);
	ck_assert_uint_eq(s[3].u.send.bytes, 4096);
	ck_assert_uint_eq(s[3].u.send.flags, SEND_MORE);
	ck_assert_uint_eq(s[4].u.send.bytes, 1000000000);
	ck_assert_uint_eq(s[4].u.send.flags, SEND_MORE | SEND_DONTWAIT);
	ck_assert(s[5].u.send.fill);
	ck_assert_uint_eq(s[5].u.send.flags, SEND_DONTWAIT);
	ck_assert(s[6].u.send.fill);
	ck_assert_uint_eq(s[6].u.send.flags, SEND_DONTWAIT | SEND_MORE);
	ck_assert_uint_eq(s[7].u.send.bytes, CASE_SIZE_MAX);
	ck_assert_uint_eq(s[8].u.send.bytes, 2);
	ck_assert_uint_eq(s[8].timeout_ms, 1500);
	ck_assert_str_eq(s[8].text, "send 2 within 1.5s");
	ck_assert_str_eq(case_step_event_name(&s[8]), "sent");
	case_free(cf);
}
END_TEST

START_TEST(test_recv_forms)
{
	struct case_file *cf;
	const struct case_step *s;

	cf = parse_ok(HEAD CLIENT
	    "  recv 100\n"
	    "  recv 1MiB peek\n"
	    "  recv all\n"
	    "  recv all peek within 250ms\n"
	    SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_int_eq(s[1].u.recv.mode, RECV_COUNT);
	ck_assert_uint_eq(s[1].u.recv.bytes, 100);
	ck_assert(!s[1].u.recv.peek);
	ck_assert_int_eq(s[2].u.recv.mode, RECV_COUNT);
	ck_assert_uint_eq(s[2].u.recv.bytes, 1048576);
	ck_assert(s[2].u.recv.peek);
	ck_assert_int_eq(s[3].u.recv.mode, RECV_ALL);
	ck_assert(!s[3].u.recv.peek);
	ck_assert_int_eq(s[4].u.recv.mode, RECV_ALL);
	ck_assert(s[4].u.recv.peek);
	ck_assert_uint_eq(s[4].timeout_ms, 250);
	ck_assert_str_eq(case_step_event_name(&s[4]), "received");
	case_free(cf);
}
END_TEST

START_TEST(test_shutdown_close_forms)
{
	struct case_file *cf;
	const struct case_step *s;

	cf = parse_ok(HEAD CLIENT
	    "  shutdown wr\n"
	    "  shutdown rd\n"
	    "  shutdown rdwr\n"
	    "  so_error\n"
	    "  snapshot within 1s\n"
	    "  close within 2s\n"
	    "  pause 0ms\n"
	    SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_int_eq(s[1].kind, STEP_SHUTDOWN);
	ck_assert_int_eq(s[1].u.shutdown, SHUTDOWN_WR);
	ck_assert_int_eq(s[2].u.shutdown, SHUTDOWN_RD);
	ck_assert_int_eq(s[3].u.shutdown, SHUTDOWN_RDWR);
	ck_assert_str_eq(case_step_event_name(&s[3]), "shutdown");
	ck_assert_int_eq(s[4].kind, STEP_SO_ERROR);
	ck_assert_ptr_null(case_step_event_name(&s[4]));
	ck_assert_int_eq(s[5].kind, STEP_SNAPSHOT);
	ck_assert_uint_eq(s[5].timeout_ms, 1000);
	ck_assert_ptr_null(case_step_event_name(&s[5]));
	ck_assert_int_eq(s[6].kind, STEP_CLOSE);
	ck_assert_uint_eq(s[6].timeout_ms, 2000);
	ck_assert_str_eq(case_step_event_name(&s[6]), "closed");
	ck_assert_int_eq(s[7].kind, STEP_PAUSE);
	ck_assert_uint_eq(s[7].u.pause.ms, 0);
	ck_assert_str_eq(case_step_event_name(&s[0]), "connected");
	ck_assert_str_eq(case_step_event_name(&cf->roles[ROLE_SERVER].steps[0]),
	    "accepted");
	case_free(cf);
}
END_TEST

START_TEST(test_set_forms)
{
	struct case_file *cf;
	const struct case_step *s;

	/* Options may come before connect: they apply to the new socket. */
	cf = parse_ok(HEAD
	    "client: set rcvbuf 4KiB\n"
	    "  set sndbuf 2147483647\n"
	    "  set nodelay on\n"
	    "  set cork off\n"
	    "  set nonblock on\n"
	    "  set linger off\n"
	    "  set linger 0s\n"
	    "  set linger 5s\n"
	    "  set linger 1.000s\n"
	    "  connect\n"
	    SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_int_eq(s[0].kind, STEP_SET);
	ck_assert_int_eq(s[0].u.set.option, OPTION_RCVBUF);
	ck_assert_uint_eq(s[0].u.set.value, 4096);
	ck_assert_int_eq(s[1].u.set.option, OPTION_SNDBUF);
	ck_assert_uint_eq(s[1].u.set.value, 2147483647);
	ck_assert_int_eq(s[2].u.set.option, OPTION_NODELAY);
	ck_assert(s[2].u.set.on);
	ck_assert_uint_eq(s[2].u.set.value, 1);
	ck_assert_int_eq(s[3].u.set.option, OPTION_CORK);
	ck_assert(!s[3].u.set.on);
	ck_assert_uint_eq(s[3].u.set.value, 0);
	ck_assert_int_eq(s[4].u.set.option, OPTION_NONBLOCK);
	ck_assert(s[4].u.set.on);
	ck_assert_int_eq(s[5].u.set.option, OPTION_LINGER);
	ck_assert(!s[5].u.set.on);
	ck_assert_uint_eq(s[5].u.set.value, 0);
	ck_assert(s[6].u.set.on);
	ck_assert_uint_eq(s[6].u.set.value, 0);
	ck_assert(s[7].u.set.on);
	ck_assert_uint_eq(s[7].u.set.value, 5);
	ck_assert_uint_eq(s[8].u.set.value, 1);
	ck_assert_ptr_null(case_step_event_name(&s[0]));
	ck_assert_int_eq(s[9].kind, STEP_CONNECT);
	case_free(cf);
}
END_TEST

START_TEST(test_await_forms)
{
	struct case_file *cf;
	const struct case_step *s;

	cf = parse_ok(HEAD CLIENT
	    "  await unread 1\n"
	    "  await unsent 0\n"
	    "  await unacked 4KiB\n"
	    "  await unread = 1\n"
	    "  await unread == 2\n"
	    "  await unsent != 3\n"
	    "  await unacked < 4\n"
	    "  await unread <= 5\n"
	    "  await unread > 6\n"
	    "  await unsent >= 7 within 3s\n"
	    "  await error\n"
	    "  await inflight 0\n"
	    SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_int_eq(s[12].u.await.metric, METRIC_INFLIGHT);
	ck_assert_int_eq(s[12].u.await.op, COMPARE_LE);
	ck_assert_uint_eq(s[12].u.await.value, 0);
	ck_assert(!s[1].u.await.error);
	ck_assert(s[11].u.await.error);
	ck_assert_int_eq(s[1].u.await.metric, METRIC_UNREAD);
	ck_assert_int_eq(s[1].u.await.op, COMPARE_GE);
	ck_assert_int_eq(s[2].u.await.metric, METRIC_UNSENT);
	ck_assert_int_eq(s[2].u.await.op, COMPARE_LE);
	ck_assert_uint_eq(s[2].u.await.value, 0);
	ck_assert_int_eq(s[3].u.await.metric, METRIC_UNACKED);
	ck_assert_int_eq(s[3].u.await.op, COMPARE_LE);
	ck_assert_uint_eq(s[3].u.await.value, 4096);
	ck_assert_int_eq(s[4].u.await.op, COMPARE_EQ);
	ck_assert_int_eq(s[5].u.await.op, COMPARE_EQ);
	ck_assert_uint_eq(s[5].u.await.value, 2);
	ck_assert_int_eq(s[6].u.await.op, COMPARE_NE);
	ck_assert_int_eq(s[7].u.await.op, COMPARE_LT);
	ck_assert_int_eq(s[8].u.await.op, COMPARE_LE);
	ck_assert_int_eq(s[9].u.await.op, COMPARE_GT);
	ck_assert_int_eq(s[10].u.await.op, COMPARE_GE);
	ck_assert_uint_eq(s[10].u.await.value, 7);
	ck_assert_uint_eq(s[10].timeout_ms, 3000);
	ck_assert_ptr_null(case_step_event_name(&s[10]));
	case_free(cf);
}
END_TEST

START_TEST(test_events)
{
	struct case_file *cf;
	const struct case_step *c, *s;

	cf = parse_ok(HEAD
	    "client: connect\n"
	    "  raise ready_1\n"
	    "  wait server.got-it within 5s\n"
	    "  wait server.done\n"
	    "server: accept\n"
	    "  wait client.ready_1\n"
	    "  raise got-it\n"
	    "  pause 1.5s\n"
	    EXPECT);
	c = cf->roles[ROLE_CLIENT].steps;
	s = cf->roles[ROLE_SERVER].steps;
	ck_assert_int_eq(c[1].kind, STEP_RAISE);
	ck_assert_str_eq(c[1].u.raise.event, "ready_1");
	ck_assert_str_eq(case_step_event_name(&c[1]), "ready_1");
	ck_assert_int_eq(c[2].kind, STEP_WAIT);
	ck_assert_int_eq(c[2].u.wait.role, ROLE_SERVER);
	ck_assert_str_eq(c[2].u.wait.event, "got-it");
	ck_assert_uint_eq(c[2].timeout_ms, 5000);
	ck_assert_ptr_null(case_step_event_name(&c[2]));
	ck_assert_str_eq(c[3].u.wait.event, "done");
	ck_assert_int_eq(s[1].u.wait.role, ROLE_CLIENT);
	ck_assert_str_eq(s[1].u.wait.event, "ready_1");
	ck_assert_uint_eq(s[3].u.pause.ms, 1500);
	ck_assert_ptr_null(case_step_event_name(&s[3]));
	ck_assert_ptr_null(case_step_event_name(NULL));
	case_free(cf);

	/* SO_ERROR is also read when a recv loop ends. */
	cf = parse_ok(HEAD CLIENT "  recv all\n" SERVER
	    "expect: client.so_error ECONNRESET\n");
	ck_assert_int_eq(cf->expects[0].u.so_error, ECONNRESET);
	case_free(cf);

	/* After close: wait, raise and pause still make sense. */
	cf = parse_ok(HEAD CLIENT "  close\n  raise after\n  pause 1s\n"
	    "  wait server.done\n" SERVER "  wait client.after\n" EXPECT);
	case_free(cf);
}
END_TEST

/* Expectations */

START_TEST(test_expect_forms)
{
	struct case_file *cf;
	const struct case_expect *e;

	cf = parse_ok(HEAD CLIENT "  recv all\n  so_error\n"
	    SERVER "  recv 1\n  so_error\n"
	    "expect: teardown none\n"
	    "  rst from client\n"
	    "  rst from server ack\n"
	    "  rst from client bare\n"
	    "  client.recv ends EOF\n"
	    "  server.recv ends ECONNRESET then EOF\n"
	    "  client.so_error 0\n"
	    "  server.so_error EPIPE\n"
	    "  client->server clean\n"
	    "  server->client delivered-but-reset\n"
	    "  client->server lost = 0\n"
	    "  server->client lost > 0\n"
	    "  server->client lost = unsent\n"
	    "  client->server lost <= 1MiB\n"
	    "  kernel TCPAbortOnClose = 1\n"
	    "  kernel OutRsts >= 1\n"
	    "  kernel TCPAbortOnData +2\n"
	    "  kernel EstabResets != -3\n");
	ck_assert_uint_eq(cf->nexpects, 18);
	e = cf->expects;

	ck_assert_int_eq(e[0].kind, EXPECT_TEARDOWN);
	ck_assert_int_eq(e[0].u.teardown, EXPECT_TEARDOWN_NONE);
	ck_assert(!e[0].has_role);

	ck_assert_int_eq(e[1].kind, EXPECT_RST);
	ck_assert_int_eq(e[1].u.rst.kind, RST_EXPECT_ANY);
	ck_assert(e[1].has_role);
	ck_assert_int_eq(e[1].role, ROLE_CLIENT);
	ck_assert_int_eq(e[2].u.rst.kind, RST_EXPECT_ACK);
	ck_assert_int_eq(e[2].role, ROLE_SERVER);
	ck_assert_int_eq(e[3].u.rst.kind, RST_EXPECT_BARE);
	ck_assert_int_eq(e[3].role, ROLE_CLIENT);

	ck_assert_int_eq(e[4].kind, EXPECT_RECV_END);
	ck_assert_int_eq(e[4].role, ROLE_CLIENT);
	ck_assert_int_eq(e[4].u.recv_end.first, 0);
	ck_assert(!e[4].u.recv_end.has_then);
	ck_assert_int_eq(e[5].role, ROLE_SERVER);
	ck_assert_int_eq(e[5].u.recv_end.first, ECONNRESET);
	ck_assert(e[5].u.recv_end.has_then);
	ck_assert_int_eq(e[5].u.recv_end.then, 0);

	ck_assert_int_eq(e[6].kind, EXPECT_SO_ERROR);
	ck_assert_int_eq(e[6].role, ROLE_CLIENT);
	ck_assert(e[6].has_role);
	ck_assert_int_eq(e[6].u.so_error, 0);
	ck_assert_int_eq(e[7].role, ROLE_SERVER);
	ck_assert_int_eq(e[7].u.so_error, EPIPE);

	ck_assert_int_eq(e[8].kind, EXPECT_OUTCOME);
	ck_assert_int_eq(e[8].writer, ROLE_CLIENT);
	ck_assert_int_eq(e[8].u.outcome, OUTCOME_CLEAN);
	ck_assert_int_eq(e[9].writer, ROLE_SERVER);
	ck_assert_int_eq(e[9].u.outcome, OUTCOME_DELIVERED_BUT_RESET);

	ck_assert_int_eq(e[10].kind, EXPECT_LOST);
	ck_assert_int_eq(e[10].writer, ROLE_CLIENT);
	ck_assert_int_eq(e[10].u.lost.op, COMPARE_EQ);
	ck_assert(!e[10].u.lost.unsent);
	ck_assert_uint_eq(e[10].u.lost.value, 0);
	ck_assert_int_eq(e[11].writer, ROLE_SERVER);
	ck_assert_int_eq(e[11].u.lost.op, COMPARE_GT);
	ck_assert_int_eq(e[12].u.lost.op, COMPARE_EQ);
	ck_assert(e[12].u.lost.unsent);
	ck_assert_int_eq(e[13].u.lost.op, COMPARE_LE);
	ck_assert_uint_eq(e[13].u.lost.value, 1048576);

	ck_assert_int_eq(e[14].kind, EXPECT_KERNEL);
	ck_assert_str_eq(e[14].u.kernel.counter, "TCPAbortOnClose");
	ck_assert_int_eq(e[14].u.kernel.op, COMPARE_EQ);
	ck_assert_int_eq(e[14].u.kernel.value, 1);
	ck_assert_str_eq(e[15].u.kernel.counter, "OutRsts");
	ck_assert_int_eq(e[15].u.kernel.op, COMPARE_GE);
	ck_assert_int_eq(e[15].u.kernel.value, 1);
	ck_assert_int_eq(e[16].u.kernel.op, COMPARE_EQ);
	ck_assert_int_eq(e[16].u.kernel.value, 2);
	ck_assert_int_eq(e[17].u.kernel.op, COMPARE_NE);
	ck_assert_int_eq(e[17].u.kernel.value, -3);
	ck_assert_str_eq(e[17].text, "kernel EstabResets != -3");
	ck_assert_uint_eq(e[17].line, 25);
	ck_assert_uint_eq(e[17].col, 3);
	case_free(cf);
}
END_TEST

START_TEST(test_expect_more_forms)
{
	static const struct {
		const char *text;
		const char *name;
		enum teardown_expect_class class;
		bool has_role;
		enum role_id role;
	} teardowns[] = {
		{ "teardown fin", "fin", EXPECT_TEARDOWN_FIN, false,
		    ROLE_CLIENT },
		{ "teardown half-fin from client", "half-fin",
		    EXPECT_TEARDOWN_HALF_FIN, true, ROLE_CLIENT },
		{ "teardown rst", "rst", EXPECT_TEARDOWN_RST, false,
		    ROLE_CLIENT },
		{ "teardown fin-then-rst from server", "fin-then-rst",
		    EXPECT_TEARDOWN_FIN_THEN_RST, true, ROLE_SERVER },
	};
	static const char *const outcomes[] = {
		"clean", "delivered", "delivered-but-reset", "hidden-reset",
		"truncated", "corrupted", "none"
	};
	char text[256];
	struct case_file *cf;
	int i;

	for (i = 0; i < NELEMS(teardowns); i++) {
		snprintf(text, sizeof(text), HEAD CLIENT SERVER "expect: %s\n",
		    teardowns[i].text);
		cf = parse_ok(text);
		ck_assert_int_eq(cf->expects[0].kind, EXPECT_TEARDOWN);
		ck_assert_int_eq(cf->expects[0].u.teardown,
		    teardowns[i].class);
		ck_assert_int_eq(cf->expects[0].has_role,
		    teardowns[i].has_role);
		ck_assert_int_eq(cf->expects[0].role, teardowns[i].role);
		ck_assert_str_eq(case_teardown_expect_name(
		    cf->expects[0].u.teardown), teardowns[i].name);
		case_free(cf);
	}
	for (i = 0; i < NELEMS(outcomes); i++) {
		snprintf(text, sizeof(text), HEAD CLIENT SERVER
		    "expect: server->client %s\n", outcomes[i]);
		cf = parse_ok(text);
		ck_assert_int_eq(cf->expects[0].u.outcome, i);
		ck_assert_str_eq(case_outcome_name(cf->expects[0].u.outcome),
		    outcomes[i]);
		case_free(cf);
	}

	cf = parse_ok(MINIMAL);
	ck_assert_int_eq(cf->expects[0].kind, EXPECT_RST);
	ck_assert_int_eq(cf->expects[0].u.rst.kind, RST_EXPECT_NONE);
	ck_assert(!cf->expects[0].has_role);
	case_free(cf);
}
END_TEST

/* Children, new steps, new expectations, systems */

START_TEST(test_fork_file)
{
	struct case_error err;
	struct case_file *cf;
	const struct case_role *server, *child;
	const struct case_expect *e;
	char *path;

	path = test_file_path("fork.case");
	cf = case_parse_file(path, &err);
	ck_assert_msg(cf != NULL, "%s", err.msg);
	ck_assert_str_eq(cf->name, "fork-child-answers");
	ck_assert_int_eq(cf->family, FAMILY_BOTH);
	ck_assert_uint_eq(cf->deadline_ms, 5000);
	ck_assert(!cf->roles[ROLE_CLIENT_CHILD].present);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT_CHILD].nsteps, 0);

	server = &cf->roles[ROLE_SERVER];
	ck_assert_uint_eq(server->nsteps, 6);
	assert_step_at(&server->steps[1], STEP_DUP, 11, 11, "dup");
	assert_step_at(&server->steps[2], STEP_FORK, 12, 11, "fork");
	assert_step_at(&server->steps[3], STEP_CLOSE, 13, 11, "close");
	assert_step_at(&server->steps[4], STEP_CLOSE, 14, 11, "close");
	assert_step_at(&server->steps[5], STEP_EXIT, 15, 11, "exit");

	child = &cf->roles[ROLE_SERVER_CHILD];
	ck_assert(child->present);
	ck_assert_uint_eq(child->line, 16);
	ck_assert_uint_eq(child->nsteps, 5);
	assert_step_at(&child->steps[0], STEP_RECV, 17, 11, "recv 100");
	ck_assert_uint_eq(child->steps[0].u.recv.bytes, 100);
	assert_step_at(&child->steps[1], STEP_SEND, 18, 11,
	    "send 1KiB nosignal");
	ck_assert_uint_eq(child->steps[1].u.send.bytes, 1024);
	ck_assert_uint_eq(child->steps[1].u.send.flags, SEND_NOSIGNAL);
	assert_step_at(&child->steps[4], STEP_EXIT, 21, 11, "exit");

	ck_assert_uint_eq(cf->nexpects, 5);
	e = cf->expects;
	ck_assert_int_eq(e[0].kind, EXPECT_RECV_END);
	ck_assert_ptr_null(e[0].system);
	ck_assert_int_eq(e[1].kind, EXPECT_KILLED);
	ck_assert(e[1].has_role);
	ck_assert_int_eq(e[1].role, ROLE_SERVER_CHILD);
	ck_assert_int_eq(e[1].u.signal, 0);
	ck_assert_ptr_null(e[1].system);
	ck_assert_int_eq(e[2].kind, EXPECT_OUTCOME);
	ck_assert_ptr_null(e[2].system);
	ck_assert_int_eq(e[3].kind, EXPECT_DURATION);
	ck_assert_uint_eq(e[3].line, 26);
	ck_assert_uint_eq(e[3].col, 11);
	ck_assert_str_eq(e[3].text, "server.child.close took < 100ms");
	ck_assert_int_eq(e[3].role, ROLE_SERVER_CHILD);
	ck_assert_int_eq(e[3].u.duration.call, TIMED_CLOSE);
	ck_assert_int_eq(e[3].u.duration.op, COMPARE_LT);
	ck_assert_uint_eq(e[3].u.duration.ms, 100);
	ck_assert_str_eq(e[3].system, "linux");
	ck_assert_int_eq(e[4].kind, EXPECT_TEARDOWN);
	ck_assert_str_eq(e[4].system, "linux");
	case_free(cf);
	free(path);
}
END_TEST

START_TEST(test_family)
{
	struct case_file *cf;

	cf = parse_ok(MINIMAL);
	ck_assert_int_eq(cf->family, FAMILY_4);
	case_free(cf);
	cf = parse_ok("family 4\n" MINIMAL);
	ck_assert_int_eq(cf->family, FAMILY_4);
	case_free(cf);
	/* A directive anywhere, as case and deadline. */
	cf = parse_ok(HEAD CLIENT "family 6\n  send 1\n" SERVER EXPECT);
	ck_assert_int_eq(cf->family, FAMILY_6);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 2);
	case_free(cf);
	cf = parse_ok(MINIMAL "family both\n");
	ck_assert_int_eq(cf->family, FAMILY_BOTH);
	case_free(cf);
}
END_TEST

/* Paths: topology, mtu, offloads, capture, sysctl, impairments */


static void
assert_impairment(const struct case_impairment *im, enum impairment_kind kind,
    enum role_id writer, unsigned line)
{
	ck_assert_int_eq(im->kind, kind);
	ck_assert_int_eq(im->writer, writer);
	ck_assert_uint_eq(im->line, line);
}

START_TEST(test_path_defaults)
{
	struct case_file *cf;

	cf = parse_ok(MINIMAL);
	ck_assert_int_eq(cf->topology, TOPOLOGY_LOOPBACK);
	ck_assert_uint_eq(cf->mtu, 0);
	ck_assert(!cf->offloads_off);
	ck_assert_int_eq(cf->capture, CAPTURE_AT_SERVER);
	ck_assert_ptr_null(cf->sysctls);
	ck_assert_uint_eq(cf->nsysctls, 0);
	ck_assert_ptr_null(cf->impairments);
	ck_assert_uint_eq(cf->nimpairments, 0);
	case_free(cf);
}
END_TEST

START_TEST(test_path_words)
{
	struct case_file *cf;

	cf = parse_ok("topology loopback\n" MINIMAL);
	ck_assert_int_eq(cf->topology, TOPOLOGY_LOOPBACK);
	case_free(cf);
	cf = parse_ok(VETH MINIMAL);
	ck_assert_int_eq(cf->topology, TOPOLOGY_VETH);
	ck_assert_int_eq(cf->capture, CAPTURE_AT_SERVER);
	case_free(cf);

	cf = parse_ok("mtu 68\n" MINIMAL);
	ck_assert_uint_eq(cf->mtu, 68);
	case_free(cf);
	cf = parse_ok(MINIMAL "mtu 65536\n");
	ck_assert_uint_eq(cf->mtu, 65536);
	case_free(cf);
	cf = parse_ok(VETH "mtu 01500\n" MINIMAL);
	ck_assert_uint_eq(cf->mtu, 1500);
	case_free(cf);

	/* Offloads on either topology. */
	cf = parse_ok("offloads off\n" MINIMAL);
	ck_assert(cf->offloads_off);
	ck_assert_int_eq(cf->topology, TOPOLOGY_LOOPBACK);
	case_free(cf);
	cf = parse_ok(VETH "offloads on\n" MINIMAL);
	ck_assert(!cf->offloads_off);
	case_free(cf);
	cf = parse_ok(VETH "offloads off\n" MINIMAL);
	ck_assert(cf->offloads_off);
	case_free(cf);

	/* "capture server" on loopback is the default said aloud. */
	cf = parse_ok("capture server\n" MINIMAL);
	ck_assert_int_eq(cf->capture, CAPTURE_AT_SERVER);
	case_free(cf);
	cf = parse_ok(VETH "capture client\n" MINIMAL);
	ck_assert_int_eq(cf->capture, CAPTURE_AT_CLIENT);
	case_free(cf);
	/* The topology may come after the capture, even in a section. */
	cf = parse_ok("capture both\n" HEAD CLIENT "topology veth\n  send 1\n"
	    SERVER EXPECT);
	ck_assert_int_eq(cf->capture, CAPTURE_AT_BOTH);
	ck_assert_int_eq(cf->topology, TOPOLOGY_VETH);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 2);
	case_free(cf);
}
END_TEST

START_TEST(test_sysctl_forms)
{
	struct case_file *cf;

	cf = parse_ok(HEAD
	    "sysctl net.ipv4.tcp_rmem = 4096  131072\t 6291456  # comment\n"
	    CLIENT
	    "sysctl net.core.somaxconn = 64\n"
	    "  send 1\n"
	    SERVER EXPECT
	    "sysctl net.ipv4.conf.all.rp_filter = a = b\n"
	    "sysctl net.ipv6.conf.default.disable_ipv6 = 0\n");
	ck_assert_uint_eq(cf->nsysctls, 4);
	ck_assert_str_eq(cf->sysctls[0].name, "net.ipv4.tcp_rmem");
	ck_assert_str_eq(cf->sysctls[0].value, "4096 131072 6291456");
	ck_assert_uint_eq(cf->sysctls[0].line, 2);
	ck_assert_str_eq(cf->sysctls[1].name, "net.core.somaxconn");
	ck_assert_str_eq(cf->sysctls[1].value, "64");
	ck_assert_uint_eq(cf->sysctls[1].line, 4);
	ck_assert_str_eq(cf->sysctls[2].name, "net.ipv4.conf.all.rp_filter");
	ck_assert_str_eq(cf->sysctls[2].value, "a = b");
	ck_assert_uint_eq(cf->sysctls[2].line, 8);
	ck_assert_str_eq(cf->sysctls[3].name,
	    "net.ipv6.conf.default.disable_ipv6");
	ck_assert_str_eq(cf->sysctls[3].value, "0");
	ck_assert_uint_eq(cf->sysctls[3].line, 9);
	/* A directive: the sections go on around it. */
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 2);
	ck_assert_uint_eq(cf->nexpects, 1);
	/* sysctls need no veth. */
	ck_assert_int_eq(cf->topology, TOPOLOGY_LOOPBACK);
	case_free(cf);
}
END_TEST

START_TEST(test_sysctl_many)
{
	struct case_file *cf;
	char *text, *w;
	size_t i, n;

	/* More than one block of the array, freed under valgrind. */
	n = 40;
	text = malloc(n * 64 + sizeof(MINIMAL));
	ck_assert_ptr_nonnull(text);
	w = text;
	for (i = 0; i < n; i++)
		w += sprintf(w, "sysctl net.x.y%zu = %zu %zu\n", i, i, i * 2);
	strcpy(w, MINIMAL);
	cf = parse_ok(text);
	ck_assert_uint_eq(cf->nsysctls, n);
	ck_assert_str_eq(cf->sysctls[39].name, "net.x.y39");
	ck_assert_str_eq(cf->sysctls[39].value, "39 78");
	ck_assert_uint_eq(cf->sysctls[39].line, 40);
	case_free(cf);
	free(text);
}
END_TEST

START_TEST(test_rate_forms)
{
	static const struct {
		const char *rate;
		uint64_t bps;
	} rates[] = {
		{ "1bit", 1 },
		{ "64kbit", 64000 },
		{ "10mbit", 10000000 },
		{ "1gbit", 1000000000 },
		{ "010mbit", 10000000 },
		{ "18446744073709551615bit", UINT64_MAX },
		{ "18446744073709551kbit", UINT64_C(18446744073709551000) },
		{ "18446744073gbit", UINT64_C(18446744073000000000) },
	};
	struct case_file *cf;
	char text[256];
	int i;

	for (i = 0; i < NELEMS(rates); i++) {
		snprintf(text, sizeof(text), VETH "rate server->client %s\n"
		    MINIMAL, rates[i].rate);
		cf = parse_ok(text);
		ck_assert_uint_eq(cf->nimpairments, 1);
		assert_impairment(&cf->impairments[0], IMPAIR_RATE,
		    ROLE_SERVER, 2);
		ck_assert_msg(cf->impairments[0].rate_bps == rates[i].bps,
		    "%s", rates[i].rate);
		ck_assert_uint_eq(cf->impairments[0].loss_bp, 0);
		ck_assert_uint_eq(cf->impairments[0].delay_ms, 0);
		ck_assert_uint_eq(cf->impairments[0].jitter_ms, 0);
		case_free(cf);
	}
	cf = parse_ok(MINIMAL "rate client->server 5kbit\n" VETH);
	assert_impairment(&cf->impairments[0], IMPAIR_RATE, ROLE_CLIENT, 5);
	ck_assert_uint_eq(cf->impairments[0].rate_bps, 5000);
	case_free(cf);
}
END_TEST

START_TEST(test_loss_forms)
{
	static const struct {
		const char *loss;
		unsigned bp;
	} losses[] = {
		{ "5%", 500 },
		{ "0.5%", 50 },
		{ "0.01%", 1 },
		{ "100%", 10000 },
		{ "100.00%", 10000 },
		{ "12.34%", 1234 },
		{ "12.3%", 1230 },
		{ "05%", 500 },
		{ "99.99%", 9999 },
	};
	struct case_file *cf;
	char text[256];
	int i;

	for (i = 0; i < NELEMS(losses); i++) {
		snprintf(text, sizeof(text), VETH "loss client->server %s\n"
		    MINIMAL, losses[i].loss);
		cf = parse_ok(text);
		ck_assert_uint_eq(cf->nimpairments, 1);
		assert_impairment(&cf->impairments[0], IMPAIR_LOSS,
		    ROLE_CLIENT, 2);
		ck_assert_msg(cf->impairments[0].loss_bp == losses[i].bp,
		    "%s: %u", losses[i].loss, cf->impairments[0].loss_bp);
		ck_assert_uint_eq(cf->impairments[0].rate_bps, 0);
		case_free(cf);
	}
}
END_TEST

START_TEST(test_delay_forms)
{
	struct case_file *cf;

	cf = parse_ok(VETH "delay server->client 20ms\n"
	    "delay client->server 1.5s jitter 5ms\n" MINIMAL);
	ck_assert_uint_eq(cf->nimpairments, 2);
	assert_impairment(&cf->impairments[0], IMPAIR_DELAY, ROLE_SERVER, 2);
	ck_assert_uint_eq(cf->impairments[0].delay_ms, 20);
	ck_assert_uint_eq(cf->impairments[0].jitter_ms, 0);
	assert_impairment(&cf->impairments[1], IMPAIR_DELAY, ROLE_CLIENT, 3);
	ck_assert_uint_eq(cf->impairments[1].delay_ms, 1500);
	ck_assert_uint_eq(cf->impairments[1].jitter_ms, 5);
	case_free(cf);
}
END_TEST

/* Every kind in both directions, in file order, anywhere in the file. */
START_TEST(test_impairments_all)
{
	struct case_file *cf;
	const struct case_impairment *im;

	cf = parse_ok(HEAD VETH
	    "rate client->server 1mbit\n"
	    "rate server->client 2mbit\n"
	    CLIENT
	    "loss client->server 1%\n"
	    "  send 1\n"
	    "loss server->client 2%\n"
	    SERVER EXPECT
	    "delay client->server 10ms\n"
	    "delay server->client 20ms jitter 1ms\n");
	ck_assert_uint_eq(cf->nimpairments, 6);
	im = cf->impairments;
	assert_impairment(&im[0], IMPAIR_RATE, ROLE_CLIENT, 3);
	ck_assert_uint_eq(im[0].rate_bps, 1000000);
	assert_impairment(&im[1], IMPAIR_RATE, ROLE_SERVER, 4);
	ck_assert_uint_eq(im[1].rate_bps, 2000000);
	assert_impairment(&im[2], IMPAIR_LOSS, ROLE_CLIENT, 6);
	ck_assert_uint_eq(im[2].loss_bp, 100);
	assert_impairment(&im[3], IMPAIR_LOSS, ROLE_SERVER, 8);
	ck_assert_uint_eq(im[3].loss_bp, 200);
	assert_impairment(&im[4], IMPAIR_DELAY, ROLE_CLIENT, 11);
	ck_assert_uint_eq(im[4].delay_ms, 10);
	ck_assert_uint_eq(im[4].jitter_ms, 0);
	assert_impairment(&im[5], IMPAIR_DELAY, ROLE_SERVER, 12);
	ck_assert_uint_eq(im[5].delay_ms, 20);
	ck_assert_uint_eq(im[5].jitter_ms, 1);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 2);
	case_free(cf);
}
END_TEST

START_TEST(test_paths_file)
{
	struct case_error err;
	struct case_file *cf;
	const struct case_impairment *im;
	char *path;

	path = test_file_path("paths.case");
	cf = case_parse_file(path, &err);
	ck_assert_msg(cf != NULL, "%s", err.msg);
	ck_assert_str_eq(cf->name, "slow-lossy-path");
	ck_assert_int_eq(cf->topology, TOPOLOGY_VETH);
	ck_assert_uint_eq(cf->mtu, 1400);
	ck_assert(cf->offloads_off);
	ck_assert_int_eq(cf->capture, CAPTURE_AT_BOTH);
	ck_assert_uint_eq(cf->nsysctls, 2);
	ck_assert_str_eq(cf->sysctls[0].name, "net.ipv4.tcp_rmem");
	ck_assert_str_eq(cf->sysctls[0].value, "4096 131072 6291456");
	ck_assert_uint_eq(cf->sysctls[0].line, 8);
	ck_assert_str_eq(cf->sysctls[1].name, "net.core.somaxconn");
	ck_assert_str_eq(cf->sysctls[1].value, "64");
	ck_assert_uint_eq(cf->sysctls[1].line, 9);
	ck_assert_uint_eq(cf->nimpairments, 4);
	im = cf->impairments;
	assert_impairment(&im[0], IMPAIR_RATE, ROLE_SERVER, 10);
	ck_assert_uint_eq(im[0].rate_bps, 10000000);
	assert_impairment(&im[1], IMPAIR_LOSS, ROLE_SERVER, 11);
	ck_assert_uint_eq(im[1].loss_bp, 50);
	assert_impairment(&im[2], IMPAIR_DELAY, ROLE_SERVER, 12);
	ck_assert_uint_eq(im[2].delay_ms, 20);
	ck_assert_uint_eq(im[2].jitter_ms, 5);
	assert_impairment(&im[3], IMPAIR_DELAY, ROLE_CLIENT, 13);
	ck_assert_uint_eq(im[3].delay_ms, 1500);
	ck_assert_uint_eq(im[3].jitter_ms, 0);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].nsteps, 3);
	ck_assert_uint_eq(cf->roles[ROLE_SERVER].nsteps, 4);
	ck_assert_uint_eq(cf->nexpects, 1);
	case_free(cf);
	free(path);
}
END_TEST

START_TEST(test_children)
{
	struct case_file *cf;
	const struct case_step *c, *cc, *s, *sc;

	/* Both ends fork; children wait for parents and the other way. */
	cf = parse_ok(HEAD
	    "client: connect\n"
	    "  fork\n"
	    "  wait client.child.closed\n"
	    "  wait server.child.sent\n"
	    "server: accept\n"
	    "  raise go\n"
	    "  fork\n"
	    "  close\n"
	    "client.child: close\n"
	    "server.child:send 1\n"
	    "  wait server.go\n"
	    "  wait client.child.done\n"
	    EXPECT);
	c = cf->roles[ROLE_CLIENT].steps;
	cc = cf->roles[ROLE_CLIENT_CHILD].steps;
	s = cf->roles[ROLE_SERVER].steps;
	sc = cf->roles[ROLE_SERVER_CHILD].steps;
	ck_assert(cf->roles[ROLE_CLIENT_CHILD].present);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT_CHILD].line, 10);
	ck_assert_uint_eq(cf->roles[ROLE_SERVER_CHILD].line, 11);
	ck_assert_int_eq(c[1].kind, STEP_FORK);
	ck_assert_str_eq(case_step_event_name(&c[1]), "forked");
	ck_assert_int_eq(c[2].u.wait.role, ROLE_CLIENT_CHILD);
	ck_assert_str_eq(c[2].u.wait.event, "closed");
	ck_assert_str_eq(c[2].text, "wait client.child.closed");
	ck_assert_int_eq(c[3].u.wait.role, ROLE_SERVER_CHILD);
	ck_assert_str_eq(c[3].u.wait.event, "sent");
	ck_assert_int_eq(cc[0].kind, STEP_CLOSE);
	ck_assert_uint_eq(cc[0].col, 15);
	ck_assert_int_eq(s[2].kind, STEP_FORK);
	ck_assert_int_eq(sc[0].kind, STEP_SEND);
	ck_assert_uint_eq(sc[0].col, 14);
	ck_assert_int_eq(sc[1].u.wait.role, ROLE_SERVER);
	ck_assert_str_eq(sc[1].u.wait.event, "go");
	ck_assert_int_eq(sc[2].u.wait.role, ROLE_CLIENT_CHILD);
	ck_assert_str_eq(sc[2].u.wait.event, "done");
	case_free(cf);

	/* A child section may come first; a child may have no steps. */
	cf = parse_ok(HEAD "server.child:\n" CLIENT SERVER "  fork\n" EXPECT);
	ck_assert(cf->roles[ROLE_SERVER_CHILD].present);
	ck_assert_uint_eq(cf->roles[ROLE_SERVER_CHILD].nsteps, 0);
	case_free(cf);

	/* A parent waits for its child's event after the fork. */
	cf = parse_ok(HEAD CLIENT SERVER "  fork\n  wait server.child.closed\n"
	    "  close\nserver.child: close\n" EXPECT);
	case_free(cf);
	/* A child waits for its parent's fork, and the parent for the
	 * child's end. */
	cf = parse_ok(HEAD CLIENT "  fork\n  wait client.child.done\n"
	    SERVER "client.child: wait client.forked\n  send 1\n" EXPECT);
	case_free(cf);
	/* The client waits for an event the child raises after the server
	 * waited for the client. */
	cf = parse_ok(HEAD CLIENT "  raise a\n  wait server.child.b\n"
	    SERVER "  wait client.a\n  fork\nserver.child: raise b\n" EXPECT);
	case_free(cf);
}
END_TEST

START_TEST(test_descriptors)
{
	struct case_file *cf;
	const struct case_step *s;

	/* Each close closes one descriptor; the socket lasts until the
	 * last one. */
	cf = parse_ok(HEAD CLIENT SERVER
	    "  dup\n  dup\n  close\n  send 1\n  close\n  recv 1\n"
	    "  lingering-close 1s\n  raise after\n" EXPECT);
	s = cf->roles[ROLE_SERVER].steps;
	ck_assert_int_eq(s[1].kind, STEP_DUP);
	ck_assert_str_eq(case_step_event_name(&s[1]), "duped");
	ck_assert_int_eq(s[7].kind, STEP_LINGERING_CLOSE);
	ck_assert_str_eq(case_step_event_name(&s[7]), "closed");
	case_free(cf);

	/* A child inherits what the parent held at the fork: here two. */
	cf = parse_ok(HEAD CLIENT SERVER
	    "  dup\n  dup\n  close\n  fork\n  close\n  close\n"
	    "server.child: send 1\n  close\n  send 1\n  close\n  exit\n"
	    EXPECT);
	case_free(cf);

	/* A child's closes are its own: the parent still holds its socket. */
	cf = parse_ok(HEAD CLIENT SERVER "  fork\n  send 1\n  close\n"
	    "server.child: close\n" EXPECT);
	case_free(cf);

	/* sigpipe is about the process: before connect, after close. */
	cf = parse_ok(HEAD "client: set sigpipe default\n  connect\n"
	    "  close\n  set sigpipe ignore\n  exit\n" SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_int_eq(s[0].kind, STEP_SET);
	ck_assert_int_eq(s[0].u.set.option, OPTION_SIGPIPE);
	ck_assert(s[0].u.set.on);
	ck_assert_uint_eq(s[0].u.set.value, 1);
	ck_assert_int_eq(s[3].u.set.option, OPTION_SIGPIPE);
	ck_assert(!s[3].u.set.on);
	ck_assert_uint_eq(s[3].u.set.value, 0);
	ck_assert_int_eq(s[4].kind, STEP_EXIT);
	ck_assert_ptr_null(case_step_event_name(&s[4]));
	case_free(cf);

	/* exit may come first, before connect. */
	cf = parse_ok(HEAD "client: exit\n" SERVER EXPECT);
	ck_assert_int_eq(cf->roles[ROLE_CLIENT].steps[0].kind, STEP_EXIT);
	case_free(cf);
}
END_TEST

START_TEST(test_new_step_forms)
{
	struct case_file *cf;
	const struct case_step *s;

	cf = parse_ok(HEAD CLIENT
	    "  send 1 nosignal\n"
	    "  send 2 more nosignal dontwait\n"
	    "  send fill nosignal\n"
	    "  recv all rate 64KiB/10ms\n"
	    "  recv 100 rate 1/1.5s within 3s\n"
	    "  poll\n"
	    "  poll within 1s\n"
	    "  drain\n"
	    "  drain 1MiB\n"
	    "  lingering-close 2s\n"
	    SERVER
	    "  lingering-close 250ms 64KiB within 5s\n"
	    EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_uint_eq(s[1].u.send.bytes, 1);
	ck_assert_uint_eq(s[1].u.send.flags, SEND_NOSIGNAL);
	ck_assert_uint_eq(s[2].u.send.flags,
	    SEND_MORE | SEND_NOSIGNAL | SEND_DONTWAIT);
	ck_assert(s[3].u.send.fill);
	ck_assert_uint_eq(s[3].u.send.flags, SEND_DONTWAIT | SEND_NOSIGNAL);
	ck_assert_int_eq(s[4].u.recv.mode, RECV_ALL);
	ck_assert(!s[4].u.recv.peek);
	ck_assert_uint_eq(s[4].u.recv.rate_bytes, 65536);
	ck_assert_uint_eq(s[4].u.recv.rate_ms, 10);
	ck_assert_int_eq(s[5].u.recv.mode, RECV_COUNT);
	ck_assert_uint_eq(s[5].u.recv.bytes, 100);
	ck_assert_uint_eq(s[5].u.recv.rate_bytes, 1);
	ck_assert_uint_eq(s[5].u.recv.rate_ms, 1500);
	ck_assert_uint_eq(s[5].timeout_ms, 3000);
	ck_assert_int_eq(s[6].kind, STEP_POLL);
	ck_assert_ptr_null(case_step_event_name(&s[6]));
	ck_assert_uint_eq(s[7].timeout_ms, 1000);
	ck_assert_int_eq(s[8].kind, STEP_DRAIN);
	ck_assert_uint_eq(s[8].u.drain.limit, 0);
	ck_assert_str_eq(case_step_event_name(&s[8]), "drained");
	ck_assert_uint_eq(s[9].u.drain.limit, 1048576);
	ck_assert_int_eq(s[10].kind, STEP_LINGERING_CLOSE);
	ck_assert_uint_eq(s[10].u.lingering.ms, 2000);
	ck_assert_uint_eq(s[10].u.lingering.limit, 0);
	ck_assert_str_eq(s[10].text, "lingering-close 2s");
	s = cf->roles[ROLE_SERVER].steps;
	ck_assert_uint_eq(s[1].u.lingering.ms, 250);
	ck_assert_uint_eq(s[1].u.lingering.limit, 65536);
	ck_assert_uint_eq(s[1].timeout_ms, 5000);
	case_free(cf);

	/* Earlier recv forms have no rate. */
	cf = parse_ok(HEAD CLIENT "  recv 1 peek\n" SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert(s[1].u.recv.peek);
	ck_assert_uint_eq(s[1].u.recv.rate_bytes, 0);
	ck_assert_uint_eq(s[1].u.recv.rate_ms, 0);
	case_free(cf);
}
END_TEST

START_TEST(test_new_expect_forms)
{
	struct case_file *cf;
	const struct case_expect *e;
	int i;

	cf = parse_ok(HEAD CLIENT "  send 1\n  poll\n  shutdown wr\n"
	    SERVER "  fork\n  close\n"
	    "server.child: send 1\n  lingering-close 1s\n"
	    "expect: client.send errors EPIPE ECONNRESET EAGAIN\n"
	    "  server.child.send errors none\n"
	    "  client.shutdown took >= 900ms\n"
	    "  client.shutdown took < 2s\n"
	    "  server.close took = 0ms\n"
	    "  server.child.close took <= 1.5s\n"
	    "  client killed by SIGPIPE\n"
	    "  server exits normally\n"
	    "  server.child killed by SIGKILL\n"
	    "  client.poll includes POLLIN POLLRDHUP\n"
	    "  server->client discarded > 0\n"
	    "  client->server discarded = 4KiB\n"
	    "  server->client discarded <= 1MiB\n"
	    "  client->server lost >= 1\n"
	    "  client->server lost < unsent\n");
	ck_assert_uint_eq(cf->nexpects, 15);
	e = cf->expects;
	for (i = 0; i < 15; i++)
		ck_assert_ptr_null(e[i].system);

	ck_assert_int_eq(e[0].kind, EXPECT_SEND_ERRORS);
	ck_assert(e[0].has_role);
	ck_assert_int_eq(e[0].role, ROLE_CLIENT);
	ck_assert_uint_eq(e[0].u.send_errors.n, 3);
	ck_assert_int_eq(e[0].u.send_errors.errors[0], EPIPE);
	ck_assert_int_eq(e[0].u.send_errors.errors[1], ECONNRESET);
	ck_assert_int_eq(e[0].u.send_errors.errors[2], EAGAIN);
	ck_assert_int_eq(e[1].kind, EXPECT_SEND_ERRORS);
	ck_assert(e[1].has_role);
	ck_assert_int_eq(e[1].role, ROLE_SERVER_CHILD);
	ck_assert_uint_eq(e[1].u.send_errors.n, 0);

	ck_assert_int_eq(e[2].kind, EXPECT_DURATION);
	ck_assert(e[2].has_role);
	ck_assert_int_eq(e[2].role, ROLE_CLIENT);
	ck_assert_int_eq(e[2].u.duration.call, TIMED_SHUTDOWN);
	ck_assert_int_eq(e[2].u.duration.op, COMPARE_GE);
	ck_assert_uint_eq(e[2].u.duration.ms, 900);
	ck_assert_int_eq(e[3].u.duration.op, COMPARE_LT);
	ck_assert_uint_eq(e[3].u.duration.ms, 2000);
	ck_assert_int_eq(e[4].role, ROLE_SERVER);
	ck_assert_int_eq(e[4].u.duration.call, TIMED_CLOSE);
	ck_assert_int_eq(e[4].u.duration.op, COMPARE_EQ);
	ck_assert_uint_eq(e[4].u.duration.ms, 0);
	ck_assert_int_eq(e[5].role, ROLE_SERVER_CHILD);
	ck_assert_int_eq(e[5].u.duration.call, TIMED_CLOSE);
	ck_assert_uint_eq(e[5].u.duration.ms, 1500);

	ck_assert_int_eq(e[6].kind, EXPECT_KILLED);
	ck_assert(e[6].has_role);
	ck_assert_int_eq(e[6].role, ROLE_CLIENT);
	ck_assert_int_eq(e[6].u.signal, SIGPIPE);
	ck_assert_int_eq(e[7].kind, EXPECT_KILLED);
	ck_assert_int_eq(e[7].role, ROLE_SERVER);
	ck_assert_int_eq(e[7].u.signal, 0);
	ck_assert_int_eq(e[8].role, ROLE_SERVER_CHILD);
	ck_assert_int_eq(e[8].u.signal, SIGKILL);

	ck_assert_int_eq(e[9].kind, EXPECT_POLL);
	ck_assert(e[9].has_role);
	ck_assert_int_eq(e[9].role, ROLE_CLIENT);
	ck_assert_int_eq(e[9].u.poll.events, POLLIN | POLLRDHUP);
	ck_assert_str_eq(e[9].text, "client.poll includes POLLIN POLLRDHUP");

	ck_assert_int_eq(e[10].kind, EXPECT_DISCARDED);
	ck_assert(!e[10].has_role);
	ck_assert_int_eq(e[10].writer, ROLE_SERVER);
	ck_assert_int_eq(e[10].u.discarded.op, COMPARE_GT);
	ck_assert_uint_eq(e[10].u.discarded.value, 0);
	ck_assert_int_eq(e[11].writer, ROLE_CLIENT);
	ck_assert_int_eq(e[11].u.discarded.op, COMPARE_EQ);
	ck_assert_uint_eq(e[11].u.discarded.value, 4096);
	ck_assert_int_eq(e[12].u.discarded.op, COMPARE_LE);
	ck_assert_uint_eq(e[12].u.discarded.value, 1048576);

	/* lost twice: a range. */
	ck_assert_int_eq(e[13].kind, EXPECT_LOST);
	ck_assert_int_eq(e[13].u.lost.op, COMPARE_GE);
	ck_assert_int_eq(e[14].u.lost.op, COMPARE_LT);
	ck_assert(e[14].u.lost.unsent);
	case_free(cf);

	/* Every flag and signal name. */
	cf = parse_ok(HEAD CLIENT "  poll\n" SERVER
	    "expect: client.poll includes POLLRDHUP POLLHUP POLLERR POLLOUT POLLIN\n"
	    "  client killed by SIGBUS\n");
	ck_assert_int_eq(cf->expects[0].u.poll.events,
	    POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP);
	ck_assert_int_eq(cf->expects[1].u.signal, SIGBUS);
	case_free(cf);
}
END_TEST

START_TEST(test_systems)
{
	struct case_file *cf;
	const struct case_expect *e;

	cf = parse_ok(HEAD CLIENT "  recv all\n" SERVER
	    "expect linux: teardown rst\n"
	    "  client.recv ends ECONNRESET\n"
	    "expect  freebsd:teardown fin\n"
	    "  client.recv ends EOF\n"
	    "expect darwin:\n"
	    "  no rst\n"
	    "expect netbsd: no rst\n"
	    "expect openbsd: rst from server\n"
	    "expect: server->client delivered\n");
	ck_assert_uint_eq(cf->nexpects, 8);
	e = cf->expects;
	ck_assert_str_eq(e[0].system, "linux");
	ck_assert_uint_eq(e[0].line, 5);
	ck_assert_uint_eq(e[0].col, 15);
	ck_assert_str_eq(e[0].text, "teardown rst");
	ck_assert_str_eq(e[1].system, "linux");
	ck_assert_int_eq(e[1].u.recv_end.first, ECONNRESET);
	ck_assert_str_eq(e[2].system, "freebsd");
	ck_assert_uint_eq(e[2].col, 17);
	ck_assert_str_eq(e[2].text, "teardown fin");
	ck_assert_int_eq(e[2].u.teardown, EXPECT_TEARDOWN_FIN);
	ck_assert_str_eq(e[3].system, "freebsd");
	ck_assert_str_eq(e[4].system, "darwin");
	ck_assert_str_eq(e[5].system, "netbsd");
	ck_assert_str_eq(e[6].system, "openbsd");
	ck_assert_int_eq(e[6].u.rst.kind, RST_EXPECT_ANY);
	ck_assert_ptr_null(e[7].system);
	case_free(cf);

	/* Only system sections: enough. */
	cf = parse_ok(HEAD CLIENT SERVER "expect linux: no rst\n");
	ck_assert_uint_eq(cf->nexpects, 1);
	ck_assert_str_eq(cf->expects[0].system, "linux");
	case_free(cf);

	/* Ranges: an "expect:" line counts with each system's lines. */
	cf = parse_ok(HEAD CLIENT SERVER "  close\n"
	    "expect linux: server.close took >= 1s\n"
	    "expect freebsd: server.close took < 10ms\n"
	    "expect: server.close took >= 0ms\n"
	    "expect darwin: server.close took < 5s\n");
	ck_assert_uint_eq(cf->nexpects, 4);
	case_free(cf);
	cf = parse_ok(HEAD CLIENT SERVER "  close\n"
	    "expect linux: server.close took >= 1s\n"
	    "  server.close took < 2s\n"
	    "expect freebsd: server.close took >= 1s\n"
	    "  server.close took < 2s\n");
	case_free(cf);
}
END_TEST

/* Waits that do resolve, in several orders. */
START_TEST(test_no_deadlock)
{
	struct case_file *cf;

	/* Ping-pong. */
	cf = parse_ok(HEAD CLIENT "  send 1\n  wait server.sent\n  recv 1\n"
	    SERVER "  wait client.sent\n  recv 1\n  send 1\n" EXPECT);
	case_free(cf);
	/* Both wait for each other's end, in sequence. */
	cf = parse_ok(HEAD CLIENT "  wait server.done\n  close\n"
	    SERVER "  close\n" EXPECT);
	case_free(cf);
	/* An event raised before the wait for it starts. */
	cf = parse_ok(HEAD CLIENT "  raise early\n  pause 1s\n"
	    SERVER "  pause 2s\n  wait client.early\n" EXPECT);
	case_free(cf);
	/* The second of two sends satisfies nothing new, the first does. */
	cf = parse_ok(HEAD CLIENT "  send 1\n  wait server.b\n  send 1\n"
	    SERVER "  wait client.sent\n  raise b\n  wait client.done\n"
	    EXPECT);
	case_free(cf);
}
END_TEST

static Suite *
case_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("case");

	tc = tcase_create("parse");
	tcase_add_test(tc, test_example);
	tcase_add_test(tc, test_example_file);
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_crlf_file);
	tcase_add_test(tc, test_send_forms);
	tcase_add_test(tc, test_recv_forms);
	tcase_add_test(tc, test_shutdown_close_forms);
	tcase_add_test(tc, test_set_forms);
	tcase_add_test(tc, test_await_forms);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_expect_forms);
	tcase_add_test(tc, test_expect_more_forms);
	tcase_add_test(tc, test_no_deadlock);
	tcase_add_test(tc, test_fork_file);
	tcase_add_test(tc, test_family);
	tcase_add_test(tc, test_children);
	tcase_add_test(tc, test_descriptors);
	tcase_add_test(tc, test_new_step_forms);
	tcase_add_test(tc, test_new_expect_forms);
	tcase_add_test(tc, test_systems);
	tcase_add_test(tc, test_path_defaults);
	tcase_add_test(tc, test_path_words);
	tcase_add_test(tc, test_sysctl_forms);
	tcase_add_test(tc, test_sysctl_many);
	tcase_add_test(tc, test_rate_forms);
	tcase_add_test(tc, test_loss_forms);
	tcase_add_test(tc, test_delay_forms);
	tcase_add_test(tc, test_impairments_all);
	tcase_add_test(tc, test_paths_file);
	suite_add_tcase(s, tc);

	suite_add_tcase(s, check_case_refuse_tcase());
	suite_add_tcase(s, check_case_long_tcase());
	suite_add_tcase(s, check_case_words_tcase());
	suite_add_tcase(s, check_case_names_tcase());

	return s;
}

int
main(void)
{
	return test_run_suite(case_suite());
}
