/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_case_words.c - the words issue 10 added to the case language and
 * the bounds it set: what parses, to what, and what is refused.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_test.h"

#define STEP(s) HEAD CLIENT "        " s "\n" SERVER EXPECT
#define EXPECTING(s) HEAD CLIENT SERVER "expect: " s "\n"

/* One model of the descriptors: what each step does to them. */
START_TEST(test_descriptor_model)
{
	struct case_file *cf;
	const struct case_step *s;

	cf = parse_ok(HEAD CLIENT SERVER "  dup\n  lingering-close 1s\n  close\n"
	    EXPECT);
	s = cf->roles[ROLE_SERVER].steps;
	ck_assert_int_eq(case_step_descriptors(&s[0]), DESCRIPTORS_OPEN);
	ck_assert_int_eq(case_step_descriptors(&s[1]), DESCRIPTORS_ADD);
	ck_assert_int_eq(case_step_descriptors(&s[2]), DESCRIPTORS_DROP);
	ck_assert_int_eq(case_step_descriptors(&s[3]), DESCRIPTORS_DROP);
	ck_assert_int_eq(case_step_descriptors(
	    &cf->roles[ROLE_CLIENT].steps[0]), DESCRIPTORS_OPEN);
	case_free(cf);
	/* lingering-close closes one descriptor, as close does. */
	assert_refused(HEAD CLIENT SERVER "  lingering-close 1s\n  close\n"
	    EXPECT, "x.case:5:3: 'close' after 'lingering-close' (line 4)");
}
END_TEST

/* A role holds at most CASE_DESCRIPTORS_MAX descriptors. */
START_TEST(test_descriptor_bound)
{
	char text[1024];
	size_t used;
	int i;

	used = (size_t)snprintf(text, sizeof(text), HEAD CLIENT SERVER);
	for (i = 1; i < CASE_DESCRIPTORS_MAX; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
		    "  dup\n");
	snprintf(text + used, sizeof(text) - used, EXPECT);
	case_free(parse_ok(text));
	snprintf(text + used, sizeof(text) - used, "  dup\n" EXPECT);
	assert_refused(text,
	    "x.case:67:3: 'dup' makes more than 64 descriptors in server");
}
END_TEST

#define EXPECTS(x) HEAD CLIENT "  send 1\n  snapshot sent\n  so_error early\n  poll\n" \
	"  recv all within 1s\n  close\n" SERVER "  close\nexpect: " x "\n"

#define RECVS(x) HEAD CLIENT "  recv 4\n  recv all within 1s\n" SERVER "  close\nexpect: " x "\n"

/* "ROLE.recv N ends END" / "ROLE.recv N bytes OP SIZE": one recv step's result. */
START_TEST(test_recv_step)
{
	struct case_file *cf;
	const struct case_expect *e;

	cf = parse_ok(RECVS("client.recv 1 bytes = 4\n"
	    "  client.recv 2 ends ECONNRESET\n"
	    "  client.recv 2 ends TIMEOUT\n"
	    "  client.recv 1 ends EOF\n"
	    "  client.recv 2 bytes >= 1KiB\n"
	    "  client.recv ends EOF"));
	e = cf->expects;
	ck_assert_int_eq(e[0].kind, EXPECT_RECV_STEP);
	ck_assert_int_eq(e[0].role, ROLE_CLIENT);
	ck_assert_uint_eq(e[0].u.recv_step.nth, 1);
	ck_assert(e[0].u.recv_step.bytes);
	ck_assert_int_eq(e[0].u.recv_step.op, COMPARE_EQ);
	ck_assert_uint_eq(e[0].u.recv_step.value, 4);
	ck_assert_uint_eq(e[1].u.recv_step.nth, 2);
	ck_assert(!e[1].u.recv_step.bytes);
	ck_assert_int_eq(e[1].u.recv_step.end, ECONNRESET);
	ck_assert_int_eq(e[2].u.recv_step.end, READ_END_TIMEOUT);
	ck_assert_int_eq(e[3].u.recv_step.end, 0);
	ck_assert_int_eq(e[4].u.recv_step.op, COMPARE_GE);
	ck_assert_uint_eq(e[4].u.recv_step.value, 1024);
	ck_assert_int_eq(e[5].kind, EXPECT_RECV_END);
	/* TIMEOUT of step 2 makes its running out an observation; step 1 has no within. */
	ck_assert(cf->roles[ROLE_CLIENT].steps[2].timeout_ends_read);
	ck_assert(!cf->roles[ROLE_CLIENT].steps[1].timeout_ends_read);
	case_free(cf);

	assert_refused(RECVS("client.recv 3 ends EOF"),
	    "x.case:7:9: client has 2 recv steps, not a recv step 3");
	assert_refused(RECVS("server.recv 1 ends EOF"),
	    "x.case:7:9: 'server.recv N' needs a 'recv' step in server");
	assert_refused(RECVS("client.recv 1 ends TIMEOUT"),
	    "x.case:7:9: 'client.recv 1 ends TIMEOUT' needs 'within' on that recv step (line 3; e.g. 'recv all within 2s')");
	assert_refused(RECVS("client.recv 0 ends EOF"),
	    "x.case:7:21: expected 'ends' or a recv step's number after 'client.recv' (e.g. 'client.recv ends EOF' or 'client.recv 2 bytes = 4KiB')");
	assert_refused(RECVS("client.recv 1 byte = 4"),
	    "x.case:7:23: expected 'ends' or 'bytes' after the recv step's number (did you mean 'bytes'?) (e.g. 'client.recv 1 ends EOF')");
	assert_refused(RECVS("client.recv 1 bytes 4"),
	    "x.case:7:29: 'bytes' needs a comparison and a size (e.g. 'bytes = 4KiB')");
	assert_refused(RECVS("client.recv 1 ends"),
	    "x.case:7:23: 'ends' needs EOF, TIMEOUT or an errno name (e.g. 'ends ECONNRESET')");
	assert_refused(RECVS("client.recv 1 ends EOF then EOF"),
	    "x.case:7:32: unexpected 'then' after 'client.recv 1 ends EOF'");
}
END_TEST

/* "fin|rst from END within DUR of ROLE.close|shutdown": a packet's time from a call. */
START_TEST(test_wire_time)
{
	struct case_file *cf;
	const struct case_expect *e;

	cf = parse_ok(EXPECTS("rst from client within 100ms of client.close\n"
	    "  fin from server within 2s of client.close\n"
	    "  fin from server before rst from client"));
	e = cf->expects;
	ck_assert_int_eq(e[0].kind, EXPECT_WIRE_TIME);
	ck_assert(e[0].u.wire_time.mark.rst);
	ck_assert_int_eq(e[0].u.wire_time.mark.end, ROLE_CLIENT);
	ck_assert_int_eq(e[0].role, ROLE_CLIENT);
	ck_assert_int_eq(e[0].u.wire_time.call, TIMED_CLOSE);
	ck_assert_uint_eq(e[0].u.wire_time.ms, 100);
	ck_assert_int_eq(e[1].kind, EXPECT_WIRE_TIME);
	ck_assert(!e[1].u.wire_time.mark.rst);
	ck_assert_int_eq(e[1].u.wire_time.mark.end, ROLE_SERVER);
	ck_assert_uint_eq(e[1].u.wire_time.ms, 2000);
	/* "fin from" picks the wire-time row's parser, which keeps "before" an order. */
	ck_assert_int_eq(e[2].kind, EXPECT_ORDER);
	case_free(cf);
	assert_refused(EXPECTS("rst from client within 100ms of client.shutdown"),
	    "x.case:11:9: 'client.shutdown' needs a 'shutdown' or 'lingering-close' step in client");
	assert_refused(EXPECTS("rst from client within 100ms of client.clos"),
	    "x.case:11:41: a wire time is measured from a close or shutdown call, not 'clos' (did you mean 'close'?)");
	assert_refused(EXPECTS("rst from client within 100ms"),
	    "x.case:11:32: expected 'of ROLE.close' or 'of ROLE.shutdown' after the duration");
	assert_refused(EXPECTS("fin from client within soon of client.close"),
	    "x.case:11:32: bad duration 'soon' (e.g. '250ms', '2s', '1.5s')");
	/* Elsewhere "within" still belongs to steps. */
	assert_refused(EXPECTS("client.recv ends EOF within 1s"),
	    "x.case:11:30: 'within' applies to steps, not expectations");
}
END_TEST

/* The expectations issue 10 added, parsed. */
START_TEST(test_new_expectations)
{
	struct case_file *cf;
	const struct case_expect *e;

	cf = parse_ok(EXPECTS("client.snapshot unread = 100\n"
	    "  client.snapshot sent unacked <= 1KiB\n"
	    "  client.so_error early ECONNRESET\n"
	    "  client.so_error 0\n"
	    "  server.close returns EWOULDBLOCK\n"
	    "  client.close returns 0\n"
	    "  client.poll excludes POLLERR POLLHUP\n"
	    "  client.poll includes POLLOUT\n"
	    "  fin from server before rst from client\n"
	    "  rst from server before fin from client\n"
	    "  rst from server bare count > 1\n"
	    "  rst from client count = 0\n"
	    "  client.recv ends TIMEOUT"));
	e = cf->expects;
	ck_assert_int_eq(e[0].kind, EXPECT_SNAPSHOT);
	ck_assert_ptr_null(e[0].name);
	ck_assert_int_eq(e[0].u.snapshot.metric, METRIC_UNREAD);
	ck_assert_int_eq(e[0].u.snapshot.op, COMPARE_EQ);
	ck_assert_uint_eq(e[0].u.snapshot.value, 100);
	ck_assert_str_eq(e[1].name, "sent");
	ck_assert_int_eq(e[1].u.snapshot.metric, METRIC_UNACKED);
	ck_assert_uint_eq(e[1].u.snapshot.value, 1024);
	ck_assert_int_eq(e[2].kind, EXPECT_SO_ERROR);
	ck_assert_str_eq(e[2].name, "early");
	ck_assert_ptr_null(e[3].name);
	ck_assert_int_eq(e[4].kind, EXPECT_CLOSE_RETURNS);
	ck_assert_int_eq(e[4].u.close_returns, EAGAIN);
	ck_assert_int_eq(e[5].u.close_returns, 0);
	ck_assert_int_eq(e[6].kind, EXPECT_POLL);
	ck_assert(e[6].u.poll.excludes);
	ck_assert(!e[7].u.poll.excludes);
	ck_assert_int_eq(e[8].kind, EXPECT_ORDER);
	ck_assert(!e[8].u.order.first.rst);
	ck_assert_int_eq(e[8].u.order.first.end, ROLE_SERVER);
	ck_assert(e[8].u.order.second.rst);
	ck_assert_int_eq(e[8].u.order.second.end, ROLE_CLIENT);
	ck_assert_int_eq(e[9].kind, EXPECT_ORDER);
	ck_assert(e[9].u.order.first.rst);
	ck_assert_int_eq(e[10].kind, EXPECT_RST);
	ck_assert_int_eq(e[10].u.rst.kind, RST_EXPECT_BARE);
	ck_assert(e[10].u.rst.counted);
	ck_assert_int_eq(e[10].u.rst.op, COMPARE_GT);
	ck_assert_uint_eq(e[10].u.rst.count, 1);
	ck_assert_int_eq(e[11].u.rst.kind, RST_EXPECT_ANY);
	ck_assert_uint_eq(e[11].u.rst.count, 0);
	ck_assert_int_eq(e[12].u.recv_end.first, READ_END_TIMEOUT);
	case_free(cf);
}
END_TEST

/* A read step with "within" ends with TIMEOUT only when the case says so. */
START_TEST(test_read_timeout)
{
	struct case_file *cf;

	cf = parse_ok(HEAD CLIENT "  recv all within 1s\n  drain within 2s\n  recv 1\n"
	    SERVER "expect: client.recv ends TIMEOUT\n");
	ck_assert(cf->roles[ROLE_CLIENT].steps[1].timeout_ends_read);
	ck_assert(cf->roles[ROLE_CLIENT].steps[2].timeout_ends_read);
	ck_assert(!cf->roles[ROLE_CLIENT].steps[3].timeout_ends_read);
	case_free(cf);
	cf = parse_ok(HEAD CLIENT "  recv all within 1s\n" SERVER
	    "expect: client.recv ends EOF\n");
	ck_assert(!cf->roles[ROLE_CLIENT].steps[1].timeout_ends_read);
	case_free(cf);
	/* A lingering-close's read always stops at its time. */
	case_free(parse_ok(HEAD CLIENT "  lingering-close 1s\n" SERVER
	    "expect: client.recv ends TIMEOUT\n"));
}
END_TEST

/* Steps: chunk, names, and lingering-close's two events. */
START_TEST(test_new_steps)
{
	struct case_file *cf;
	const struct case_step *s;
	const char *names[STEP_EVENTS_MAX];

	cf = parse_ok(HEAD CLIENT "  send 4MiB chunk 64KiB\n  send fill more chunk 1MiB\n"
	    "  snapshot\n  snapshot full\n  so_error first\n  lingering-close 1s\n"
	    SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_uint_eq(s[1].u.send.chunk, 65536);
	ck_assert_uint_eq(s[1].u.send.flags, SEND_CHUNK);
	ck_assert_uint_eq(s[2].u.send.chunk, 1048576);
	ck_assert_ptr_null(s[3].u.label.name);
	ck_assert_str_eq(s[4].u.label.name, "full");
	ck_assert_str_eq(s[5].u.label.name, "first");
	ck_assert_uint_eq(case_step_event_names(&s[6], names), 2);
	ck_assert_str_eq(names[0], "shutdown");
	ck_assert_str_eq(names[1], "closed");
	ck_assert_uint_eq(case_step_event_names(&s[1], names), 1);
	ck_assert_str_eq(names[0], "sent");
	ck_assert_uint_eq(case_step_event_names(&s[3], names), 0);
	case_free(cf);
	/* "retry": a non-blocking writer waits for POLLOUT after EAGAIN. */
	cf = parse_ok(HEAD CLIENT "  send 4MiB nonblocking retry within 5s\n"
	    "  send 1 retry dontwait more\n" SERVER EXPECT);
	s = cf->roles[ROLE_CLIENT].steps;
	ck_assert_uint_eq(s[1].u.send.flags, SEND_DONTWAIT | SEND_RETRY);
	ck_assert_uint_eq(s[1].timeout_ms, 5000);
	ck_assert_uint_eq(s[2].u.send.flags, SEND_DONTWAIT | SEND_RETRY | SEND_MORE);
	case_free(cf);
	assert_refused(HEAD CLIENT "  send 4MiB retry\n" SERVER EXPECT,
	    "x.case:3:13: 'retry' needs 'nonblocking' (e.g. 'send 4MiB nonblocking retry')");
	assert_refused(HEAD CLIENT "  send fill nonblocking retry\n" SERVER EXPECT,
	    "x.case:3:25: 'retry' cannot go with 'send fill' (fill stops at the first EAGAIN)");
	assert_refused(HEAD CLIENT "  send 1 nonblocking retry retry\n" SERVER EXPECT,
	    "x.case:3:28: 'retry' is given twice");
	/* The other role may wait for the shutdown of a lingering-close. */
	case_free(parse_ok(HEAD CLIENT "  wait server.shutdown\n" SERVER
	    "  lingering-close 1s\n" EXPECT));
}
END_TEST

/* "expect SYSTEM >= VERSION:" and "expect SYSTEM < VERSION:". */
START_TEST(test_release_sections)
{
	struct case_file *cf;
	const struct case_expect *e;

	cf = parse_ok(HEAD CLIENT SERVER "expect: no rst\n"
	    "expect linux >= 6.12: teardown fin\n"
	    "expect linux < 6.12:\n  teardown rst\n"
	    "expect linux: client exits normally\n"
	    "expect freebsd >= 14:teardown half-fin\n");
	e = cf->expects;
	ck_assert(!e[0].has_release);
	ck_assert_str_eq(e[1].system, "linux");
	ck_assert(e[1].has_release);
	ck_assert_int_eq(e[1].release_op, COMPARE_GE);
	ck_assert_uint_eq(e[1].release[0], 6);
	ck_assert_uint_eq(e[1].release[1], 12);
	ck_assert_uint_eq(e[1].release[2], 0);
	ck_assert_int_eq(e[2].release_op, COMPARE_LT);
	ck_assert(!e[3].has_release);
	ck_assert_str_eq(e[3].system, "linux");
	ck_assert_str_eq(e[4].system, "freebsd");
	ck_assert_uint_eq(e[4].release[0], 14);
	ck_assert_int_eq(e[4].u.teardown, EXPECT_TEARDOWN_HALF_FIN);

	ck_assert(case_expect_release_applies(&e[1], "6.12.0"));
	ck_assert(case_expect_release_applies(&e[1], "6.18.44-fc-v857"));
	ck_assert(case_expect_release_applies(&e[1], "7.0"));
	ck_assert(!case_expect_release_applies(&e[1], "6.11.99"));
	ck_assert(!case_expect_release_applies(&e[1], "6.1.0-28-cloud-amd64"));
	ck_assert(!case_expect_release_applies(&e[1], "unknown"));
	ck_assert(!case_expect_release_applies(&e[1], NULL));
	ck_assert(case_expect_release_applies(&e[2], "6.1.0-28-cloud-amd64"));
	ck_assert(!case_expect_release_applies(&e[2], "6.12"));
	ck_assert(case_expect_release_applies(&e[2], "6.11.9.1"));
	ck_assert(case_expect_release_applies(&e[0], "anything"));
	case_free(cf);
}
END_TEST

static const struct {
	const char *text;
	const char *message;
} refusals[] = {
	{ HEAD CLIENT SERVER "expect linux >= 6.12: no rst\nexpect linux < 6.1: no rst\n",
	  "x.case:5:16: 'expect linux >=' and 'expect linux <' split the releases in two at one release: 6.12.0 (line 4) is not 6.1.0" },
	{ HEAD CLIENT SERVER "expect linux >= 6.12: no rst\nexpect linux >= 6.12: teardown fin\n",
	  "x.case:5:1: 'expect linux >= 6.12:' appears twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect linux >= 6.x: no rst\n",
	  "x.case:4:17: expected a release such as '6.12' and ':' after '>=' (e.g. 'expect linux >= 6.12:'), not '6.x:'" },
	{ HEAD CLIENT SERVER "expect linux >= 6.1.2.3: no rst\n",
	  "x.case:4:17: expected a release such as '6.12' and ':' after '>=' (e.g. 'expect linux >= 6.12:'), not '6.1.2.3:'" },
	{ HEAD CLIENT SERVER "expect linux <\n",
	  "x.case:4:14: expected a release and ':' (e.g. 'expect linux >= 6.12:')" },
	/* Counted per release: once in a plain and a release section overlaps. */
	{ HEAD CLIENT SERVER "expect linux: teardown fin\nexpect linux >= 6: teardown rst\n",
	  "x.case:5:20: 'teardown' is expected twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect: no rst\nexpect linux < 6: no rst\n",
	  "x.case:5:19: 'no rst' is expected twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect linux >= 6: teardown fin\nexpect linux < 6: teardown rst\n"
	  "expect linux: teardown none\n",
	  "x.case:6:15: 'teardown' is expected twice (first at line 4)" },
	/* Names. */
	{ HEAD CLIENT "  snapshot unread\n" SERVER EXPECT,
	  "x.case:3:12: 'unread' is a queue's name: choose another for the snapshot" },
	{ HEAD CLIENT "  snapshot a\n  snapshot a\n" SERVER EXPECT,
	  "x.case:4:12: client names a snapshot 'a' twice (first at line 3)" },
	{ HEAD CLIENT "  so_error Early\n" SERVER EXPECT,
	  "x.case:3:12: so_error takes a name (a lower-case letter, then letters, digits, '-' and '_'), not 'Early'" },
	{ HEAD CLIENT "  snapshot before\n" SERVER "expect: client.snapshot befor unread = 1\n",
	  "x.case:5:9: client has no snapshot step named 'befor' (did you mean 'before'?)" },
	{ HEAD CLIENT "  so_error\n" SERVER "expect: client.so_error early 0\n",
	  "x.case:5:9: client has no so_error step named 'early'" },
	{ HEAD CLIENT "  snapshot\n" SERVER "expect: client.snapshot unrd = 1\n",
	  "x.case:5:25: unknown queue 'unrd' (did you mean 'unread'?) (expected unread, unsent, unacked or inflight, or a snapshot's name first)" },
	{ HEAD CLIENT "  snapshot\n" SERVER "expect: client.snapshot unread 1\n",
	  "x.case:5:32: a queue needs a comparison and a size (e.g. 'unread = 100', 'unsent > 0')" },
	{ HEAD CLIENT SERVER "expect: client.snapshot unread = 1\n",
	  "x.case:4:9: 'client.snapshot' needs a 'snapshot' step in client" },
	/* chunk, TIMEOUT, close returns, order, count, in flight. */
	{ STEP("send 1 chunk 2MiB"), "x.case:3:22: chunk '2MiB' is too large (at most 1MiB)" },
	{ STEP("send 1 chunk 0"), "x.case:3:22: chunk needs a size above 0" },
	{ STEP("send 1 chunk"), "x.case:3:16: chunk needs a size (e.g. 'chunk 64KiB')" },
	{ STEP("send 1 chunk 1 chunk 2"), "x.case:3:24: 'chunk' is given twice" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv ends TIMEOUT\n",
	  "x.case:5:9: 'client.recv ends TIMEOUT' needs a read step with 'within' (e.g. 'recv all within 2s') or a lingering-close in client" },
	{ HEAD CLIENT "  recv all within 1s\n" SERVER "expect: client.recv ends TIMEOUT then EOF\n",
	  "x.case:5:34: unexpected 'then' after 'client.recv ends TIMEOUT'" },
	{ HEAD CLIENT "  close\n" SERVER "expect: client.close returns\n",
	  "x.case:5:22: 'returns' needs 0 or an errno name (e.g. 'close returns 0', 'close returns EWOULDBLOCK')" },
	{ HEAD CLIENT "  close\n" SERVER "expect: client.close returns EWOULDBLOK\n",
	  "x.case:5:30: unknown errno 'EWOULDBLOK' (did you mean 'EWOULDBLOCK'?) (close returns 0 or a name like EWOULDBLOCK)" },
	{ HEAD CLIENT SERVER "expect: client.close returns 0\n",
	  "x.case:4:9: 'client.close returns' needs a 'close' or 'lingering-close' step in client" },
	{ EXPECTING("fin from server after rst from server"),
	  "x.case:4:25: expected 'before' (e.g. 'fin from server before rst from server')" },
	{ EXPECTING("fin from server before fin from server"),
	  "x.case:4:32: a packet cannot come before itself" },
	{ EXPECTING("fin from server before syn from client"),
	  "x.case:4:32: expected 'fin' or 'rst', not 'syn' (did you mean 'fin'?)" },
	{ EXPECTING("fin from server before"),
	  "x.case:4:25: 'before' needs 'fin from END' or 'rst from END' (e.g. 'fin from server before rst from server')" },
	{ EXPECTING("rst from server count"),
	  "x.case:4:25: 'count' needs a comparison and a number (e.g. 'rst from server count > 1')" },
	{ EXPECTING("rst from server count > -1"),
	  "x.case:4:33: bad count '-1' (expected a number such as 1)" },
	{ EXPECTING("rst from server ack count = 1 extra"),
	  "x.case:4:39: unexpected 'extra' after 'rst from server ack count = 1'" },
	{ EXPECTING("server->client lost in flight > 0"),
	  "x.case:4:9: 'server->client lost in flight' needs 'capture both' (what left one end and what reached the other)" },
	{ EXPECTING("server->client lost in air > 0"),
	  "x.case:4:32: expected 'flight' after 'lost in' (e.g. 'server->client lost in flight > 0')" },
	{ EXPECTING("client.poll excludes"),
	  "x.case:4:21: 'excludes' needs poll flags (e.g. 'excludes POLLIN POLLRDHUP')" },
};

START_TEST(test_new_refusals)
{
	assert_refused(refusals[_i].text, refusals[_i].message);
}
END_TEST

/* A role has at most CASE_ROLE_STEPS_MAX steps: one ledger record each. */
START_TEST(test_step_bound)
{
	char *text;
	size_t used, size;
	int i;

	size = 64 + 8 * (CASE_ROLE_STEPS_MAX + 1);
	text = malloc(size);
	ck_assert_ptr_nonnull(text);
	used = (size_t)snprintf(text, size, HEAD CLIENT);
	for (i = 1; i < CASE_ROLE_STEPS_MAX; i++)
		used += (size_t)snprintf(text + used, size - used, "  poll\n");
	snprintf(text + used, size - used, SERVER EXPECT);
	case_free(parse_ok(text));
	snprintf(text + used, size - used, "  poll\n" SERVER EXPECT);
	assert_refused(text, "x.case:130:3: client has more than 128 steps");
	free(text);
}
END_TEST

TCase *
check_case_words_tcase(void)
{
	TCase *tc;

	tc = tcase_create("words");
	tcase_add_test(tc, test_descriptor_model);
	tcase_add_test(tc, test_descriptor_bound);
	tcase_add_test(tc, test_new_expectations);
	tcase_add_test(tc, test_read_timeout);
	tcase_add_test(tc, test_new_steps);
	tcase_add_test(tc, test_recv_step);
	tcase_add_test(tc, test_wire_time);
	tcase_add_test(tc, test_release_sections);
	tcase_add_loop_test(tc, test_new_refusals, 0, NELEMS(refusals));
	tcase_add_test(tc, test_step_bound);
	return tc;
}
