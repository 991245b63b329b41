/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_case_refuse.c - the case language: what is refused, with which
 * message and place; files, bytes and long lines.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_test.h"

/* Refusals: each with its exact message and place */

struct refusal {
	const char *text;
	const char *message;
};

#define A10 "aaaaaaaaaa"
#define STEP(s) HEAD CLIENT "        " s "\n" SERVER EXPECT
#define SERVER_STEP(s) HEAD CLIENT SERVER "        " s "\n" EXPECT
#define EXPECTING(s) HEAD CLIENT SERVER "expect: " s "\n"

static const struct refusal refusals[] = {
	/* Bytes */
	{ "case t\n\x01\n", "x.case:2:1: unexpected character 0x01" },
	{ "case t\x7f\n", "x.case:1:7: unexpected character 0x7f" },
	{ "case t\r\r\n", "x.case:1:7: unexpected character 0x0d" },
	{ "case t \xc3\xa9\n",
	  "x.case:1:8: unexpected character 0xc3 (only comments may hold non-ASCII text)" },

	/* Directives */
	{ "case T1\n",
	  "x.case:1:6: case name 'T1' must be lower-case letters, digits and '-'" },
	{ "case -a\n",
	  "x.case:1:6: case name '-a' must be lower-case letters, digits and '-'" },
	{ "case a_b\n",
	  "x.case:1:6: case name 'a_b' must be lower-case letters, digits and '-'" },
	{ "case " A10 A10 A10 A10 A10 A10 "aaaaa\n",
	  "x.case:1:6: case name '" A10 A10 A10 A10 "...' is longer than 64 characters" },
	{ "case\n",
	  "x.case:1:1: case needs a name (e.g. 'case close-unread-truncates')" },
	{ "case a b\n", "x.case:1:8: unexpected 'b' after 'case a'" },
	{ "case a\n  case b\n",
	  "x.case:2:3: 'case' is given twice (first at line 1)" },
	{ "deadline\n",
	  "x.case:1:1: deadline needs a duration (e.g. 'deadline 10s')" },
	{ "deadline 10\n",
	  "x.case:1:10: duration '10' needs a unit (e.g. '10s' or '10ms')" },
	{ "deadline 0s\n", "x.case:1:10: deadline needs a duration above 0" },
	{ "deadline 1s\ndeadline 2s\n",
	  "x.case:2:1: 'deadline' is given twice (first at line 1)" },
	{ "deadline 2sec\n",
	  "x.case:1:10: unknown unit 'sec' in duration '2sec' (did you mean 's'?) (use ms or s)" },
	{ "deadline 2h\n",
	  "x.case:1:10: unknown unit 'h' in duration '2h' (use ms or s)" },
	{ "deadline 1.0005s\n",
	  "x.case:1:10: duration '1.0005s' is finer than a millisecond" },
	{ "deadline 99999999999999999999s\n",
	  "x.case:1:10: duration '99999999999999999999s' is too long (at most 86400s, a day)" },
	/* Issue 10: no bound, and the deadline's nanoseconds overflowed. */
	{ "deadline 10000000000s\n",
	  "x.case:1:10: duration '10000000000s' is too long (at most 86400s, a day)" },
	{ "deadline 86401s\n",
	  "x.case:1:10: duration '86401s' is too long (at most 86400s, a day)" },
	{ STEP("pause 86400001ms"),
	  "x.case:3:15: duration '86400001ms' is too long (at most 86400s, a day)" },
	{ STEP("recv all within 90000s"),
	  "x.case:3:25: duration '90000s' is too long (at most 86400s, a day)" },
	{ STEP("recv all rate 1/86401s"),
	  "x.case:3:25: duration '86401s' is too long (at most 86400s, a day)" },
	{ STEP("send 1025GiB"),
	  "x.case:3:14: size '1025GiB' is too large (at most 1024GiB)" },
	{ STEP("await unread 1099511627777"),
	  "x.case:3:22: size '1099511627777' is too large (at most 1024GiB)" },
	{ "deadline 1.5ms\n",
	  "x.case:1:10: duration '1.5ms': only seconds take a fraction (e.g. '1.5s')" },
	{ "deadline x\n",
	  "x.case:1:10: bad duration 'x' (e.g. '250ms', '2s', '1.5s')" },
	{ "deadline 1.s\n",
	  "x.case:1:10: bad duration '1.s' (e.g. '250ms', '2s', '1.5s')" },
	{ "deadline 1s 2s\n", "x.case:1:13: unexpected '2s' after 'deadline 1s'" },

	/* Sections */
	{ "foo\n",
	  "x.case:1:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'foo'" },
	{ "case t\nclient connect\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'client' (did you mean 'client:'?)" },
	{ "case t\ndeadlin 1s\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'deadlin' (did you mean 'deadline'?)" },
	{ "clent: connect\n",
	  "x.case:1:1: unknown section 'clent:' (did you mean 'client:'?) (expected 'client:', 'server:', 'client.child:', 'server.child:' or 'expect:')" },
	{ HEAD CLIENT "  expects: no rst\n",
	  "x.case:3:3: unknown section 'expects:' (did you mean 'expect:'?) (expected 'client:', 'server:', 'client.child:', 'server.child:' or 'expect:')" },
	{ "  connect\n",
	  "x.case:1:3: step 'connect' outside a 'client:' or 'server:' section" },
	{ "teardown fin\n",
	  "x.case:1:1: expectation 'teardown' outside the 'expect:' section" },
	{ HEAD CLIENT SERVER "client: close\n" EXPECT,
	  "x.case:4:1: role 'client' is defined twice (first at line 2)" },
	{ MINIMAL "expect: teardown fin\n",
	  "x.case:5:1: 'expect:' appears twice (first at line 4)" },
	{ CLIENT SERVER EXPECT,
	  "x.case:1:1: case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')" },
	{ "", "x.case:1:1: case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')" },
	{ HEAD CLIENT EXPECT, "x.case:1:1: case has no 'server:' role" },
	{ HEAD SERVER EXPECT, "x.case:1:1: case has no 'client:' role" },
	{ HEAD CLIENT SERVER, "x.case:1:1: case expects nothing: add an 'expect:' section" },
	{ HEAD CLIENT SERVER "  expect:  # nothing\n",
	  "x.case:4:3: case expects nothing: add expectations under 'expect:'" },

	/* Steps: names and places */
	{ STEP("sned 100"),
	  "x.case:3:9: unknown step 'sned' (did you mean 'send'?)" },
	{ STEP("xyzzy"), "x.case:3:9: unknown step 'xyzzy'" },
	{ STEP("snapshto"),
	  "x.case:3:9: unknown step 'snapshto' (did you mean 'snapshot'?)" },
	{ STEP("so-error"),
	  "x.case:3:9: unknown step 'so-error' (did you mean 'so_error'?)" },
	{ STEP("accept"), "x.case:3:9: 'accept' is a server step" },
	{ SERVER_STEP("connect"), "x.case:4:9: 'connect' is a client step" },

	/* send */
	{ STEP("send"),
	  "x.case:3:9: send needs a size or 'fill' (e.g. 'send 4MiB')" },
	{ STEP("send fil"),
	  "x.case:3:14: send needs a size or 'fill', not 'fil' (did you mean 'fill'?)" },
	{ STEP("send lots"), "x.case:3:14: send needs a size or 'fill', not 'lots'" },
	{ STEP("send 0"), "x.case:3:14: send needs a size above 0" },
	{ STEP("send 4Mib"),
	  "x.case:3:14: unknown unit 'Mib' in size '4Mib' (did you mean 'MiB'?) (use B, K, M, G, KiB, MiB or GiB)" },
	{ STEP("send 4kb"),
	  "x.case:3:14: unknown unit 'kb' in size '4kb' (use B, K, M, G, KiB, MiB or GiB)" },
	{ STEP("send 4Kb"),
	  "x.case:3:14: unknown unit 'Kb' in size '4Kb' (did you mean 'K'?) (use B, K, M, G, KiB, MiB or GiB)" },
	{ STEP("send 1.5K"),
	  "x.case:3:14: size '1.5K' must be a whole number (e.g. '1500', not '1.5K')" },
	{ STEP("send 99999999999999999999"),
	  "x.case:3:14: size '99999999999999999999' is too large (at most 1024GiB)" },
	{ STEP("send 17179869184GiB"),
	  "x.case:3:14: size '17179869184GiB' is too large (at most 1024GiB)" },
	{ STEP("send 100 mroe"),
	  "x.case:3:18: unknown send option 'mroe' (did you mean 'more'?) (expected 'nonblocking', 'dontwait', 'more', 'nosignal', 'chunk' or 'retry')" },
	{ STEP("send 100 nonblock"),
	  "x.case:3:18: unknown send option 'nonblock' (did you mean 'nonblocking'?) (expected 'nonblocking', 'dontwait', 'more', 'nosignal', 'chunk' or 'retry')" },
	{ STEP("send 100 more more"), "x.case:3:23: 'more' is given twice" },
	{ STEP("send 100 nonblocking dontwait"),
	  "x.case:3:30: 'dontwait' repeats 'nonblocking' (nonblocking and dontwait are the same)" },
	{ STEP("send 1 within"),
	  "x.case:3:16: 'within' needs a duration (e.g. 'within 2s')" },
	{ STEP("send 1 within 2s more"),
	  "x.case:3:26: unexpected 'more' after 'within 2s': 'within' ends a step" },
	{ STEP("send 1 within 0s"),
	  "x.case:3:23: 'within' needs a duration above 0" },
	{ STEP("send 1 within 2"),
	  "x.case:3:23: duration '2' needs a unit (e.g. '2s' or '2ms')" },

	/* recv */
	{ STEP("recv"),
	  "x.case:3:9: recv needs a size or 'all' (e.g. 'recv 100', 'recv all')" },
	{ STEP("recv al"),
	  "x.case:3:14: recv needs a size or 'all', not 'al' (did you mean 'all'?)" },
	{ STEP("recv 0"), "x.case:3:14: recv needs a size above 0" },
	{ STEP("recv all peak"),
	  "x.case:3:18: unknown recv option 'peak' (did you mean 'peek'?) (expected 'peek' or 'rate')" },
	{ STEP("recv 10 peek peek"), "x.case:3:22: 'peek' is given twice" },

	/* shutdown, close and steps without arguments */
	{ STEP("shutdown"),
	  "x.case:3:9: shutdown needs 'wr', 'rd' or 'rdwr' (e.g. 'shutdown wr')" },
	{ STEP("shutdown wrr"),
	  "x.case:3:18: unknown shutdown direction 'wrr' (did you mean 'wr'?) (expected 'wr', 'rd' or 'rdwr')" },
	{ STEP("shutdown both"),
	  "x.case:3:18: unknown shutdown direction 'both' (expected 'wr', 'rd' or 'rdwr')" },
	{ STEP("shutdown wr rd"), "x.case:3:21: unexpected 'rd' after 'shutdown wr'" },
	{ STEP("close foo"), "x.case:3:15: unexpected 'foo' after 'close'" },
	{ STEP("so_error now later"), "x.case:3:22: unexpected 'later' after 'so_error now'" },
	{ STEP("snapshot 1"),
	  "x.case:3:18: snapshot takes a name (a lower-case letter, then letters, digits, '-' and '_'), not '1'" },
	{ HEAD "client: connect now\n" SERVER EXPECT,
	  "x.case:2:17: unexpected 'now' after 'connect'" },

	/* set */
	{ STEP("set"),
	  "x.case:3:9: set needs an option: rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe (e.g. 'set nodelay on')" },
	{ STEP("set rcvbf 1"),
	  "x.case:3:13: unknown option 'rcvbf' (did you mean 'rcvbuf'?) (expected rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe)" },
	{ STEP("set rcvbuf"),
	  "x.case:3:9: set rcvbuf needs a size (e.g. 'set rcvbuf 64KiB')" },
	{ STEP("set sndbuf big"),
	  "x.case:3:20: set sndbuf needs a size (e.g. 'set sndbuf 64KiB'), not 'big'" },
	{ STEP("set rcvbuf 3GiB"),
	  "x.case:3:20: rcvbuf '3GiB' is too large (at most 2,147,483,647 bytes)" },
	{ STEP("set nodelay"),
	  "x.case:3:9: set nodelay needs 'on' or 'off' (e.g. 'set nodelay on')" },
	{ STEP("set cork yes"),
	  "x.case:3:18: set cork needs 'on' or 'off', not 'yes'" },
	{ STEP("set nonblock of"),
	  "x.case:3:22: set nonblock needs 'on' or 'off', not 'of' (did you mean 'off'?)" },
	{ STEP("set nodelay on off"),
	  "x.case:3:24: unexpected 'off' after 'set nodelay on'" },
	{ STEP("set linger"),
	  "x.case:3:9: set linger needs 'off' or whole seconds (e.g. 'set linger 0s')" },
	{ STEP("set linger on"),
	  "x.case:3:20: set linger needs 'off' or whole seconds (e.g. 'set linger 0s'), not 'on'" },
	{ STEP("set linger 500ms"),
	  "x.case:3:20: linger takes whole seconds (e.g. '0s', '5s'), not '500ms'" },
	{ STEP("set linger 1.5s"),
	  "x.case:3:20: linger takes whole seconds (e.g. '0s', '5s'), not '1.5s'" },
	{ STEP("set linger 2147483648s"),
	  "x.case:3:20: duration '2147483648s' is too long (at most 86400s, a day)" },
	{ STEP("set linger 5"),
	  "x.case:3:20: duration '5' needs a unit (e.g. '5s' or '5ms')" },

	/* wait */
	{ STEP("wait"),
	  "x.case:3:9: wait needs ROLE.EVENT (e.g. 'wait server.closed')" },
	{ STEP("wait server"),
	  "x.case:3:14: wait needs ROLE.EVENT (e.g. 'wait server.closed'), not 'server'" },
	{ STEP("wait server."),
	  "x.case:3:14: wait needs ROLE.EVENT (e.g. 'wait server.closed'), not 'server.'" },
	{ STEP("wait sever.closed"),
	  "x.case:3:14: unknown role 'sever' in 'sever.closed' (did you mean 'server'?) (expected 'client', 'server', 'client.child' or 'server.child')" },
	{ STEP("wait client.sent"),
	  "x.case:3:14: a role cannot wait for its own event" },
	{ SERVER_STEP("wait server.done"),
	  "x.case:4:14: a role cannot wait for its own event" },
	{ STEP("wait server.accepted now"),
	  "x.case:3:30: unexpected 'now' after 'wait server.accepted'" },

	/* await */
	{ STEP("await"),
	  "x.case:3:9: await needs unread, unsent, unacked or inflight and a size (e.g. 'await unread 100')" },
	{ STEP("await unred 1"),
	  "x.case:3:15: unknown queue 'unred' (did you mean 'unread'?) (expected unread, unsent, unacked or inflight, or 'error')" },
	{ HEAD CLIENT "  await error now\n" SERVER EXPECT,
	  "x.case:3:15: unexpected 'now' after 'await error'" },
	{ STEP("await unread"),
	  "x.case:3:15: await unread needs a size (e.g. 'await unread >= 100')" },
	{ STEP("await unsent <"),
	  "x.case:3:22: await unsent needs a size (e.g. 'await unsent < 100')" },
	{ STEP("await unread >=100"),
	  "x.case:3:22: unknown comparison '>=100' (expected =, ==, !=, <, <=, > or >=, apart from the number)" },
	{ STEP("await unread => 1"),
	  "x.case:3:22: unknown comparison '=>' (expected =, ==, !=, <, <=, > or >=, apart from the number)" },
	{ STEP("await unread some"),
	  "x.case:3:22: await needs a size, not 'some'" },
	{ STEP("await unacked <= 1 2"),
	  "x.case:3:28: unexpected '2' after 'await unacked <= 1'" },

	/* raise, pause */
	{ STEP("raise"),
	  "x.case:3:9: raise needs an event name (e.g. 'raise ready')" },
	{ STEP("raise Foo"),
	  "x.case:3:15: event name 'Foo' must be lower-case letters, digits, '-' and '_'" },
	{ STEP("raise -x"),
	  "x.case:3:15: event name '-x' must be lower-case letters, digits, '-' and '_'" },
	{ STEP("raise closed"),
	  "x.case:3:15: 'closed' is an event the harness raises itself: choose another name" },
	{ STEP("raise done"),
	  "x.case:3:15: 'done' is an event the harness raises itself: choose another name" },
	{ STEP("raise a b"), "x.case:3:17: unexpected 'b' after 'raise a'" },
	{ HEAD CLIENT "  raise x\n  pause 1s\n  raise x\n" SERVER EXPECT,
	  "x.case:5:3: client raises 'x' twice (first at line 3)" },
	{ STEP("pause"),
	  "x.case:3:9: pause needs a duration (e.g. 'pause 250ms')" },
	{ STEP("pause 5"),
	  "x.case:3:15: duration '5' needs a unit (e.g. '5s' or '5ms')" },
	{ STEP("pause 1s 2s"), "x.case:3:18: unexpected '2s' after 'pause 1s'" },

	/* Order of steps within a role */
	{ HEAD "client: send 1\n  connect\n" SERVER EXPECT,
	  "x.case:2:9: 'send' before 'connect'" },
	{ HEAD CLIENT "server: recv 1\n  accept\n" EXPECT,
	  "x.case:3:9: 'recv' before 'accept'" },
	{ HEAD CLIENT "server: close\n" EXPECT,
	  "x.case:3:9: 'close' before 'accept'" },
	{ HEAD "client: await unread 1\n" SERVER EXPECT,
	  "x.case:2:9: 'await' before 'connect'" },
	{ HEAD "client: so_error\n" SERVER EXPECT,
	  "x.case:2:9: 'so_error' before 'connect'" },
	{ HEAD "client: snapshot\n" SERVER EXPECT,
	  "x.case:2:9: 'snapshot' before 'connect'" },
	{ HEAD "client: shutdown wr\n" SERVER EXPECT,
	  "x.case:2:9: 'shutdown' before 'connect'" },
	{ HEAD CLIENT "  close\n  send 1\n" SERVER EXPECT,
	  "x.case:4:3: 'send' after 'close' (line 3)" },
	{ HEAD CLIENT "  close\n  close\n" SERVER EXPECT,
	  "x.case:4:3: 'close' after 'close' (line 3)" },
	{ HEAD CLIENT "  close\n  set nodelay on\n" SERVER EXPECT,
	  "x.case:4:3: 'set' after 'close' (line 3)" },
	{ HEAD CLIENT "  close\n  recv all\n" SERVER EXPECT,
	  "x.case:4:3: 'recv' after 'close' (line 3)" },
	{ HEAD CLIENT "  close\n  connect\n" SERVER EXPECT,
	  "x.case:4:3: 'connect' after 'close' (line 3)" },
	{ HEAD CLIENT "  connect\n" SERVER EXPECT,
	  "x.case:3:3: 'connect' appears twice in client (first at line 2)" },
	{ HEAD CLIENT SERVER "  accept\n" EXPECT,
	  "x.case:4:3: 'accept' appears twice in server (first at line 3)" },

	/* Expectations */
	{ EXPECTING("teardown fin within 2s"),
	  "x.case:4:22: 'within' applies to steps, not expectations" },
	{ EXPECTING("teardown"),
	  "x.case:4:9: teardown needs none, fin, half-fin, rst or fin-then-rst (e.g. 'teardown fin')" },
	{ EXPECTING("teardown fn"),
	  "x.case:4:18: unknown teardown 'fn' (did you mean 'fin'?) (expected none, fin, half-fin, rst or fin-then-rst)" },
	{ EXPECTING("teardown fin from"),
	  "x.case:4:22: 'from' needs 'client' or 'server'" },
	{ EXPECTING("teardown fin from sever"),
	  "x.case:4:27: unknown role 'sever' (did you mean 'server'?) (expected 'client' or 'server')" },
	{ EXPECTING("teardown fin by server"),
	  "x.case:4:22: unexpected 'by' after 'teardown fin'" },
	{ EXPECTING("teardown fin from server ack"),
	  "x.case:4:34: unexpected 'ack' after 'teardown fin from server'" },
	{ EXPECTING("teardown fin\n  teardown rst"),
	  "x.case:5:3: 'teardown' is expected twice (first at line 4)" },
	{ EXPECTING("rst"),
	  "x.case:4:9: expected 'from' after 'rst' (e.g. 'rst from server'; or 'no rst')" },
	{ EXPECTING("rst server"),
	  "x.case:4:13: expected 'from' after 'rst' (e.g. 'rst from server'; or 'no rst')" },
	{ EXPECTING("rst from"), "x.case:4:13: 'from' needs 'client' or 'server'" },
	{ EXPECTING("rst from server ak"),
	  "x.case:4:25: unknown RST kind 'ak' (did you mean 'ack'?) (expected 'ack', 'bare', 'count', 'before' or 'within')" },
	{ EXPECTING("rst from server ack bare"),
	  "x.case:4:29: unexpected 'bare' after 'rst from server ack'" },
	{ EXPECTING("no"), "x.case:4:9: expected 'no rst'" },
	{ EXPECTING("no rts"),
	  "x.case:4:12: expected 'rst' after 'no', not 'rts' (did you mean 'rst'?)" },
	{ EXPECTING("no rst please"),
	  "x.case:4:16: unexpected 'please' after 'no rst'" },
	{ EXPECTING("no rst\n  no rst"),
	  "x.case:5:3: 'no rst' is expected twice (first at line 4)" },
	{ EXPECTING("rst from server\n  no rst"),
	  "x.case:5:3: 'no rst' contradicts 'rst from server' (line 4)" },
	{ EXPECTING("no rst\n  rst from client"),
	  "x.case:5:3: 'rst from client' contradicts 'no rst' (line 4)" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv\n",
	  "x.case:5:9: expected 'ends' or a recv step's number after 'client.recv' (e.g. 'client.recv ends EOF' or 'client.recv 2 bytes = 4KiB')" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv end EOF\n",
	  "x.case:5:21: expected 'ends' or a recv step's number after 'client.recv' (did you mean 'ends'?) (e.g. 'client.recv ends EOF' or 'client.recv 2 bytes = 4KiB')" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv ends\n",
	  "x.case:5:21: 'ends' needs EOF, TIMEOUT or an errno name (e.g. 'ends ECONNRESET')" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv ends ECONNRESTE\n",
	  "x.case:5:26: unknown errno 'ECONNRESTE' (did you mean 'ECONNRESET'?) (expected EOF or a name like ECONNRESET)" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv ends EOF than EOF\n",
	  "x.case:5:30: unexpected 'than' after 'EOF' (did you mean 'then'?)" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv ends EOF then\n",
	  "x.case:5:30: 'then' needs EOF or an errno name (e.g. 'then EOF')" },
	{ HEAD CLIENT "  recv all\n" SERVER "expect: client.recv ends EPIPE then EOF EOF\n",
	  "x.case:5:41: unexpected 'EOF' after 'client.recv ends EPIPE then EOF'" },
	{ HEAD CLIENT "  recv all\n" SERVER
	  "expect: client.recv ends EOF\n  client.recv ends EPIPE\n",
	  "x.case:6:3: 'client.recv ends' is expected twice (first at line 5)" },
	{ EXPECTING("client.recv ends EOF"),
	  "x.case:4:9: 'client.recv ends' needs a 'recv', 'drain' or 'lingering-close' step in client" },
	{ SERVER_STEP("so_error") "  server.so_error EOF\n",
	  "x.case:6:19: unknown errno 'EOF' (so_error is 0 or a name like ECONNRESET)" },
	{ SERVER_STEP("so_error") "  server.so_error EPIPEE\n",
	  "x.case:6:19: unknown errno 'EPIPEE' (did you mean 'EPIPE'?) (so_error is 0 or a name like ECONNRESET)" },
	{ SERVER_STEP("so_error") "  server.so_error\n",
	  "x.case:6:3: 'server.so_error' needs an errno name or 0 (e.g. 'server.so_error ECONNRESET')" },
	{ SERVER_STEP("so_error") "  server.so_error 0\n  server.so_error EPIPE\n",
	  "x.case:7:3: 'server.so_error' is expected twice (first at line 6)" },
	{ EXPECTING("server.so_error 0"),
	  "x.case:4:9: 'server.so_error' needs a 'so_error' or 'recv' step in server" },
	{ EXPECTING("client->client clean"),
	  "x.case:4:9: a direction goes from one role to the other: 'client->server' or 'server->client'" },
	{ EXPECTING("client -> server clean"),
	  "x.case:4:9: write a direction without spaces: 'client->server' or 'server->client'" },
	{ EXPECTING("client->server"),
	  "x.case:4:9: 'client->server' needs an outcome (clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none), 'lost OP N' or 'discarded OP N'" },
	{ EXPECTING("client->server truncatd"),
	  "x.case:4:24: unknown outcome 'truncatd' (did you mean 'truncated'?) (expected clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none, 'lost' or 'discarded')" },
	{ EXPECTING("client->server clean\n  client->server truncated"),
	  "x.case:5:3: the outcome of 'client->server' is expected twice (first at line 4)" },
	{ EXPECTING("server->client clean now"),
	  "x.case:4:30: unexpected 'now' after 'server->client clean'" },
	{ EXPECTING("client->server lost"),
	  "x.case:4:24: 'lost' needs a comparison and an amount (e.g. 'lost = 0', 'lost > 0', 'lost = unsent')" },
	{ EXPECTING("client->server lost 0"),
	  "x.case:4:29: 'lost' needs a comparison and an amount (e.g. 'lost = 0', 'lost > 0', 'lost = unsent')" },
	{ EXPECTING("client->server lost ="),
	  "x.case:4:29: 'lost' needs a comparison and an amount (e.g. 'lost = 0', 'lost > 0', 'lost = unsent')" },
	{ EXPECTING("client->server lost = unsnt"),
	  "x.case:4:31: 'lost' needs a size or 'unsent', not 'unsnt' (did you mean 'unsent'?)" },
	{ EXPECTING("client->server lost = 1x"),
	  "x.case:4:31: unknown unit 'x' in size '1x' (use B, K, M, G, KiB, MiB or GiB)" },
	{ EXPECTING("client->server lost = 0 0"),
	  "x.case:4:33: unexpected '0' after 'client->server lost = 0'" },
	{ EXPECTING("kernel"),
	  "x.case:4:9: kernel needs a counter and a change (e.g. 'kernel TCPAbortOnClose = 1')" },
	{ EXPECTING("kernel TCP_Abort = 1"),
	  "x.case:4:16: unknown kernel counter 'TCP_Abort' (expected a TcpExt or Tcp counter such as 'TCPAbortOnClose' or 'OutRsts')" },
	{ EXPECTING("kernel 1Tcp = 1"),
	  "x.case:4:16: unknown kernel counter '1Tcp' (expected a TcpExt or Tcp counter such as 'TCPAbortOnClose' or 'OutRsts')" },
	/* Issue 10: a typo passed as "+0", and so did the wrong case. */
	{ EXPECTING("kernel TCPAbortOnClos = 0"),
	  "x.case:4:16: unknown kernel counter 'TCPAbortOnClos' (did you mean 'TCPAbortOnClose'?) (expected a TcpExt or Tcp counter such as 'TCPAbortOnClose' or 'OutRsts')" },
	{ EXPECTING("kernel tcpabortonclose = 0"),
	  "x.case:4:16: unknown kernel counter 'tcpabortonclose' (did you mean 'TCPAbortOnClose'?) (expected a TcpExt or Tcp counter such as 'TCPAbortOnClose' or 'OutRsts')" },
	{ EXPECTING("kernel Tcp2 != -3"),
	  "x.case:4:16: unknown kernel counter 'Tcp2' (expected a TcpExt or Tcp counter such as 'TCPAbortOnClose' or 'OutRsts')" },
	{ EXPECTING("kernel OutRsts"),
	  "x.case:4:16: kernel OutRsts needs a change (e.g. '= 1', '>= 1' or '+1')" },
	{ EXPECTING("kernel OutRsts ~ 1"),
	  "x.case:4:24: expected a comparison (=, ==, !=, <, <=, >, >=) or '+N' after 'kernel OutRsts', not '~'" },
	{ EXPECTING("kernel OutRsts >="),
	  "x.case:4:24: '>=' needs a number (e.g. 'kernel OutRsts >= 1')" },
	{ EXPECTING("kernel OutRsts = one"),
	  "x.case:4:26: bad number 'one' (expected an integer such as 1 or -1)" },
	{ EXPECTING("kernel OutRsts = 1K"),
	  "x.case:4:26: bad number '1K' (expected an integer such as 1 or -1)" },
	{ EXPECTING("kernel OutRsts = 9223372036854775808"),
	  "x.case:4:26: number '9223372036854775808' is too large" },
	{ EXPECTING("kernel OutRsts +1 extra"),
	  "x.case:4:27: unexpected 'extra' after 'kernel OutRsts +1'" },
	{ EXPECTING("kernel OutRsts +1x"),
	  "x.case:4:24: bad number '+1x' (expected an integer such as 1 or -1)" },
	{ EXPECTING("teardwn fin"),
	  "x.case:4:9: unknown expectation 'teardwn' (did you mean 'teardown'?)" },
	{ EXPECTING("client.recieve ends EOF"),
	  "x.case:4:9: unknown expectation 'client.recieve' (did you mean 'client.recv'?)" },
	{ EXPECTING("server->clint clean"),
	  "x.case:4:9: unknown expectation 'server->clint' (did you mean 'server->client'?)" },
	{ EXPECTING("everything fine"),
	  "x.case:4:9: unknown expectation 'everything'" },

	/* Waits and deadlocks */
	{ HEAD CLIENT "  wait server.closd\n" SERVER "  close\n" EXPECT,
	  "x.case:3:3: client waits for 'server.closd', which server never raises (did you mean 'server.closed'?)" },
	{ HEAD CLIENT "  wait server.closed\n" SERVER EXPECT,
	  "x.case:3:3: client waits for 'server.closed', which server never raises" },
	{ HEAD CLIENT "  wait server.drained\n" SERVER "  raise drain\n" EXPECT,
	  "x.case:3:3: client waits for 'server.drained', which server never raises (did you mean 'server.drain'?)" },
	{ HEAD CLIENT SERVER "  wait client.sent\n" EXPECT,
	  "x.case:4:3: server waits for 'client.sent', which client never raises" },
	{ HEAD CLIENT "  wait server.sent\n  send 1\n"
	  SERVER "  wait client.sent\n  send 1\n" EXPECT,
	  "x.case:3:3: client and server wait on each other: client waits for 'server.sent' (line 3) while server waits for 'client.sent' (line 6)" },
	{ HEAD SERVER "  wait client.sent\n  send 1\n"
	  CLIENT "  wait server.sent\n  send 1\n" EXPECT,
	  "x.case:3:3: server and client wait on each other: server waits for 'client.sent' (line 3) while client waits for 'server.sent' (line 6)" },
	{ HEAD CLIENT "  wait server.done\n" SERVER "  wait client.done\n" EXPECT,
	  "x.case:3:3: client and server wait on each other: client waits for 'server.done' (line 3) while server waits for 'client.done' (line 5)" },
	/* The first send's event would do, but it comes after the wait. */
	{ HEAD CLIENT "  send 1\n  wait server.b\n  raise a\n"
	  SERVER "  raise b0\n  wait client.a\n  raise b\n" EXPECT,
	  "x.case:4:3: client and server wait on each other: client waits for 'server.b' (line 4) while server waits for 'client.a' (line 8)" },
	/* family */
	{ "family\n", "x.case:1:1: family needs 4, 6 or both (e.g. 'family both')" },
	{ "family ipv6\n", "x.case:1:8: unknown family 'ipv6' (expected 4, 6 or both)" },
	{ "family bth\n",
	  "x.case:1:8: unknown family 'bth' (did you mean 'both'?) (expected 4, 6 or both)" },
	{ "family 4 6\n", "x.case:1:10: unexpected '6' after 'family 4'" },
	{ "family 4\nfamily both\n",
	  "x.case:2:1: 'family' is given twice (first at line 1)" },

	/* Children: sections and forks */
	{ HEAD CLIENT SERVER "  fork\n" EXPECT,
	  "x.case:4:3: 'fork' needs a 'server.child:' section" },
	{ HEAD CLIENT "  fork\n" SERVER EXPECT,
	  "x.case:3:3: 'fork' needs a 'client.child:' section" },
	{ HEAD CLIENT SERVER "  server.child: close\n" EXPECT,
	  "x.case:4:3: 'server.child:' needs a 'fork' step in server" },
	/* The earlier of two offences. */
	{ HEAD "client.child:\n" CLIENT SERVER "  fork\n" EXPECT,
	  "x.case:2:1: 'client.child:' needs a 'fork' step in client" },
	{ HEAD CLIENT "server.child:\n" "client.child:\n" SERVER "  fork\n"
	  "server.child:\n" EXPECT,
	  "x.case:7:1: role 'server.child' is defined twice (first at line 3)" },
	{ HEAD CLIENT SERVER "  fork\n  fork\nserver.child:\n" EXPECT,
	  "x.case:5:3: 'fork' appears twice in server (first at line 4)" },
	{ HEAD "client: fork\n  connect\n" SERVER EXPECT,
	  "x.case:2:9: 'fork' before 'connect'" },
	{ HEAD CLIENT "  close\n  fork\n" SERVER EXPECT,
	  "x.case:4:3: 'fork' after 'close' (line 3)" },
	{ HEAD CLIENT SERVER "  fork\nserver.child: fork\n" EXPECT,
	  "x.case:5:15: a child cannot fork" },
	{ HEAD CLIENT SERVER "  fork\nserver.child: accept\n" EXPECT,
	  "x.case:5:15: 'accept' is not a step of server.child: a child starts with its parent's connected socket" },
	{ HEAD CLIENT "  fork\n" SERVER "client.child: connect\n" EXPECT,
	  "x.case:5:15: 'connect' is not a step of client.child: a child starts with its parent's connected socket" },
	{ HEAD CLIENT SERVER "  fork\nserver.chld: close\n" EXPECT,
	  "x.case:5:1: unknown section 'server.chld:' (did you mean 'server.child:'?) (expected 'client:', 'server:', 'client.child:', 'server.child:' or 'expect:')" },
	{ "client.child connect\n",
	  "x.case:1:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'client.child' (did you mean 'client.child:'?)" },

	/* exit */
	{ HEAD CLIENT "  exit\n  close\n" SERVER EXPECT,
	  "x.case:4:3: 'close' after 'exit' (line 3)" },
	{ HEAD CLIENT "  exit\n  pause 1s\n" SERVER EXPECT,
	  "x.case:4:3: 'pause' after 'exit' (line 3)" },
	{ HEAD CLIENT SERVER "  fork\nserver.child: exit\n  raise x\n" EXPECT,
	  "x.case:6:3: 'raise' after 'exit' (line 5)" },
	{ STEP("exit now"), "x.case:3:14: unexpected 'now' after 'exit'" },
	{ HEAD CLIENT "  exit\n  set sigpipe ignore\n" SERVER EXPECT,
	  "x.case:4:3: 'set' after 'exit' (line 3)" },

	/* dup and close */
	{ HEAD CLIENT SERVER "  dup\n  close\n  close\n  send 1\n" EXPECT,
	  "x.case:7:3: 'send' after 'close' (line 6)" },
	{ HEAD CLIENT SERVER "  dup\n  close\n  close\n  close\n" EXPECT,
	  "x.case:7:3: 'close' after 'close' (line 6)" },
	{ HEAD CLIENT SERVER "  close\n  dup\n" EXPECT,
	  "x.case:5:3: 'dup' after 'close' (line 4)" },
	{ HEAD "client: dup\n" SERVER EXPECT, "x.case:2:9: 'dup' before 'connect'" },
	{ HEAD CLIENT SERVER "  lingering-close 1s\n  poll\n" EXPECT,
	  "x.case:5:3: 'poll' after 'lingering-close' (line 4)" },
	{ HEAD CLIENT SERVER "  dup\n  lingering-close 1s\n  close\n  drain\n" EXPECT,
	  "x.case:7:3: 'drain' after 'close' (line 6)" },
	{ HEAD CLIENT SERVER "  close\n  set nodelay on\n" EXPECT,
	  "x.case:5:3: 'set' after 'close' (line 4)" },
	/* The child holds what the parent held at the fork. */
	{ HEAD CLIENT SERVER "  fork\n  dup\nserver.child: close\n  send 1\n" EXPECT,
	  "x.case:7:3: 'send' after 'close' (line 6)" },
	{ HEAD CLIENT SERVER "  dup\n  close\n  fork\nserver.child: close\n  close\n" EXPECT,
	  "x.case:8:3: 'close' after 'close' (line 7)" },
	{ HEAD CLIENT SERVER "  dup\n  fork\nserver.child: close\n  close\n  snapshot\n" EXPECT,
	  "x.case:8:3: 'snapshot' after 'close' (line 7)" },
	{ STEP("dup 2"), "x.case:3:13: unexpected '2' after 'dup'" },
	{ STEP("fork now"), "x.case:3:14: unexpected 'now' after 'fork'" },
	{ STEP("poll 1"), "x.case:3:14: unexpected '1' after 'poll'" },
	{ HEAD "client: poll\n" SERVER EXPECT, "x.case:2:9: 'poll' before 'connect'" },
	{ HEAD CLIENT "server: drain\n" EXPECT, "x.case:3:9: 'drain' before 'accept'" },
	{ HEAD "client: lingering-close 1s\n" SERVER EXPECT,
	  "x.case:2:9: 'lingering-close' before 'connect'" },

	/* drain, lingering-close */
	{ STEP("drain 0"),
	  "x.case:3:15: drain needs a size above 0 (or none: no limit)" },
	{ STEP("drain all"),
	  "x.case:3:15: drain takes a size limit (e.g. 'drain 1MiB') or nothing, not 'all'" },
	{ STEP("drain 1K 2"), "x.case:3:18: unexpected '2' after 'drain 1K'" },
	{ STEP("lingering-close"),
	  "x.case:3:9: lingering-close needs a duration (e.g. 'lingering-close 2s', 'lingering-close 2s 1MiB')" },
	{ STEP("lingering-close 2"),
	  "x.case:3:25: duration '2' needs a unit (e.g. '2s' or '2ms')" },
	{ STEP("lingering-close 0s"),
	  "x.case:3:25: lingering-close needs a duration above 0" },
	{ STEP("lingering-close 1s 0"),
	  "x.case:3:28: lingering-close needs a size above 0 (or none: no limit)" },
	{ STEP("lingering-close 1s lots"),
	  "x.case:3:28: lingering-close takes a size limit after the duration (e.g. '1MiB'), not 'lots'" },
	{ STEP("lingering-close 1s 1K x"),
	  "x.case:3:31: unexpected 'x' after 'lingering-close 1s 1K'" },
	{ STEP("lingring-close 1s"),
	  "x.case:3:9: unknown step 'lingring-close' (did you mean 'lingering-close'?)" },
	{ STEP("dupe"), "x.case:3:9: unknown step 'dupe' (did you mean 'dup'?)" },

	/* send nosignal, recv rate, set sigpipe */
	{ STEP("send 1 nosignal nosignal"),
	  "x.case:3:25: 'nosignal' is given twice" },
	{ STEP("send 1 nosignl"),
	  "x.case:3:16: unknown send option 'nosignl' (did you mean 'nosignal'?) (expected 'nonblocking', 'dontwait', 'more', 'nosignal', 'chunk' or 'retry')" },
	{ STEP("recv all rate 64KiB/10ms peek"),
	  "x.case:3:34: 'rate' and 'peek' exclude each other" },
	{ STEP("recv 1 peek rate 1/1ms"),
	  "x.case:3:21: 'rate' and 'peek' exclude each other" },
	{ STEP("recv all rate"),
	  "x.case:3:18: rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms')" },
	{ STEP("recv all rate 64KiB"),
	  "x.case:3:23: rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms'), not '64KiB'" },
	{ STEP("recv all rate /10ms"),
	  "x.case:3:23: rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms'), not '/10ms'" },
	{ STEP("recv all rate 64KiB/"),
	  "x.case:3:23: rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms'), not '64KiB/'" },
	{ STEP("recv all rate 0/10ms"), "x.case:3:23: rate needs a size above 0" },
	{ STEP("recv all rate 1K/0ms"), "x.case:3:26: rate needs a duration above 0" },
	{ STEP("recv all rate 1Kb/1ms"),
	  "x.case:3:23: unknown unit 'Kb' in size '1Kb' (did you mean 'K'?) (use B, K, M, G, KiB, MiB or GiB)" },
	{ STEP("recv all rate 1K/10"),
	  "x.case:3:26: duration '10' needs a unit (e.g. '10s' or '10ms')" },
	{ STEP("recv all rate 1/1ms rate 2/2ms"),
	  "x.case:3:29: 'rate' is given twice" },
	{ STEP("recv all rte 1/1ms"),
	  "x.case:3:18: unknown recv option 'rte' (did you mean 'rate'?) (expected 'peek' or 'rate')" },
	{ STEP("set sigpipe"),
	  "x.case:3:9: set sigpipe needs 'default' or 'ignore' (e.g. 'set sigpipe default')" },
	{ STEP("set sigpipe ignored"),
	  "x.case:3:21: set sigpipe needs 'default' or 'ignore', not 'ignored' (did you mean 'ignore'?)" },
	{ STEP("set sigpipe on"),
	  "x.case:3:21: set sigpipe needs 'default' or 'ignore', not 'on'" },
	{ STEP("set sigpipe default now"),
	  "x.case:3:29: unexpected 'now' after 'set sigpipe default'" },
	{ STEP("set sigpip default"),
	  "x.case:3:13: unknown option 'sigpip' (did you mean 'sigpipe'?) (expected rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe)" },
	{ STEP("raise forked"),
	  "x.case:3:15: 'forked' is an event the harness raises itself: choose another name" },
	{ STEP("raise drained"),
	  "x.case:3:15: 'drained' is an event the harness raises itself: choose another name" },

	/* wait and children */
	{ STEP("wait server.chld.closed"),
	  "x.case:3:14: unknown role 'server.chld' in 'server.chld.closed' (did you mean 'server.child'?) (expected 'client', 'server', 'client.child' or 'server.child')" },
	{ HEAD CLIENT "  fork\n" SERVER "client.child: wait client.child.x\n" EXPECT,
	  "x.case:5:20: a role cannot wait for its own event" },
	{ HEAD CLIENT "  wait server.child.closed\n" SERVER EXPECT,
	  "x.case:3:3: client waits for 'server.child.closed', but there is no 'server.child:' section" },
	{ HEAD CLIENT "  wait server.child.closd\n" SERVER "  fork\n"
	  "server.child: close\n" EXPECT,
	  "x.case:3:3: client waits for 'server.child.closd', which server.child never raises (did you mean 'server.child.closed'?)" },
	{ HEAD CLIENT "  wait server.child.sent\n" SERVER "  fork\n"
	  "server.child: close\n" EXPECT,
	  "x.case:3:3: client waits for 'server.child.sent', which server.child never raises" },
	{ HEAD CLIENT "  fork\n  wait server.forked\n" SERVER
	  "client.child: wait server.duped\n" EXPECT,
	  "x.case:4:3: client waits for 'server.forked', which server never raises" },

	/* Deadlocks with children */
	{ HEAD CLIENT SERVER "  wait server.child.closed\n  fork\n"
	  "server.child: close\n" EXPECT,
	  "x.case:4:3: deadlock: server waits for 'server.child.closed' (line 4); server.child starts only after server's 'fork' (line 5)" },
	{ HEAD CLIENT "  wait server.child.closed\n  raise x\n" SERVER "  fork\n"
	  "server.child: wait client.x\n  close\n" EXPECT,
	  "x.case:3:3: client and server.child wait on each other: client waits for 'server.child.closed' (line 3) while server.child waits for 'client.x' (line 7)" },
	{ HEAD CLIENT "  wait server.child.a\n  raise b\n" SERVER
	  "  wait client.b\n  fork\nserver.child: raise a\n" EXPECT,
	  "x.case:3:3: deadlock: client waits for 'server.child.a' (line 3); server.child starts only after server's 'fork' (line 7); server waits for 'client.b' (line 6)" },
	{ HEAD CLIENT "  fork\n  wait client.child.done\n" SERVER
	  "client.child: wait client.done\n" EXPECT,
	  "x.case:4:3: client and client.child wait on each other: client waits for 'client.child.done' (line 4) while client.child waits for 'client.done' (line 6)" },
	/* Waiting for an unforked child, behind a stuck pair. */
	{ HEAD CLIENT "  wait server.child.x\n" SERVER "  wait client.y\n  fork\n"
	  "server.child: raise x\n" "client.child: wait server.z\n" EXPECT,
	  "x.case:8:1: 'client.child:' needs a 'fork' step in client" },
	{ HEAD CLIENT "  fork\n  raise y\n  wait server.child.x\n" SERVER
	  "  wait client.child.y\n  fork\nserver.child: raise x\n"
	  "client.child: wait server.z\n" EXPECT,
	  "x.case:7:3: server waits for 'client.child.y', which client.child never raises" },
	{ HEAD CLIENT "  fork\n  wait server.child.x\n" SERVER
	  "  wait client.child.done\n  fork\n  raise z\nserver.child: raise x\n"
	  "client.child: wait server.z\n" EXPECT,
	  "x.case:4:3: deadlock: client waits for 'server.child.x' (line 4); server.child starts only after server's 'fork' (line 7); server waits for 'client.child.done' (line 6); client.child waits for 'server.z' (line 10)" },

	/* System sections */
	{ HEAD CLIENT SERVER "expect linx: no rst\n",
	  "x.case:4:8: unknown system 'linx' (did you mean 'linux'?) (expected linux, freebsd, darwin, netbsd, openbsd or lwip)" },
	{ HEAD CLIENT SERVER "expect Linux:\n  no rst\n",
	  "x.case:4:8: unknown system 'Linux' (did you mean 'linux'?) (expected linux, freebsd, darwin, netbsd, openbsd or lwip)" },
	{ HEAD CLIENT SERVER "expect windows: no rst\n",
	  "x.case:4:8: unknown system 'windows' (expected linux, freebsd, darwin, netbsd, openbsd or lwip)" },
	{ HEAD CLIENT SERVER "expect linux: no rst\n  expect linux:\n",
	  "x.case:5:3: 'expect linux:' appears twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect\n",
	  "x.case:4:1: expected 'expect:' or 'expect SYSTEM:' (e.g. 'expect linux:')" },
	{ HEAD CLIENT SERVER "expect linux no rst\n",
	  "x.case:4:8: a system section ends with ':' (e.g. 'expect linux:' or 'expect linux >= 6.12:'), not 'expect linux'" },
	{ HEAD CLIENT SERVER "expect darwin:\n",
	  "x.case:4:1: case expects nothing: add expectations under 'expect:'" },
	{ HEAD CLIENT SERVER "expect darwin: teardown fin within 1s\n",
	  "x.case:4:29: 'within' applies to steps, not expectations" },
	/* The same expectation for all systems and for one: a conflict. */
	{ HEAD CLIENT SERVER "expect: teardown fin\nexpect linux: teardown rst\n",
	  "x.case:5:15: 'teardown' is expected twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect freebsd: teardown fin\nexpect linux: teardown rst\n"
	  "expect: teardown fin\n",
	  "x.case:6:9: 'teardown' is expected twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect linux: no rst\nexpect: rst from server\n",
	  "x.case:5:9: 'rst from server' contradicts 'no rst' (line 4)" },
	{ HEAD CLIENT SERVER "expect: rst from client\nexpect openbsd: no rst\n",
	  "x.case:5:17: 'no rst' contradicts 'rst from client' (line 4)" },
	{ HEAD CLIENT SERVER "expect linux: client->server clean\n"
	  "expect: client->server clean\n",
	  "x.case:5:9: the outcome of 'client->server' is expected twice (first at line 4)" },
	{ HEAD CLIENT SERVER "expect: server->client lost > 0\n"
	  "expect linux: server->client lost < 1M\n  server->client lost = unsent\n",
	  "x.case:6:3: 'server->client lost' is expected three times (first at line 4; two make a range)" },
	{ HEAD CLIENT SERVER "  close\nexpect linux: server.close took >= 1s\n"
	  "  server.close took < 2s\nexpect: server.close took > 0ms\n",
	  "x.case:7:9: 'server.close took' is expected three times (first at line 5; two make a range)" },
	{ EXPECTING("client->server lost > 0\n  client->server lost < 9\n  client->server lost != 5"),
	  "x.case:6:3: 'client->server lost' is expected three times (first at line 4; two make a range)" },

	/* New expectations */
	{ EXPECTING("client.send errors EPIPE"),
	  "x.case:4:9: 'client.send errors' needs a 'send' step in client" },
	{ SERVER_STEP("send 1") "  server.send errors EPIPE\n  server.send errors none\n",
	  "x.case:7:3: 'server.send errors' is expected twice (first at line 6)" },
	{ SERVER_STEP("send 1") "  server.send errs EPIPE\n",
	  "x.case:6:15: expected 'errors' after 'server.send' (did you mean 'errors'?) (e.g. 'server.send errors EPIPE')" },
	{ SERVER_STEP("send 1") "  server.send\n",
	  "x.case:6:3: expected 'errors' after 'server.send' (e.g. 'server.send errors EPIPE')" },
	{ SERVER_STEP("send 1") "  server.send errors\n",
	  "x.case:6:15: 'errors' needs errno names or 'none' (e.g. 'errors EPIPE', 'errors none')" },
	{ SERVER_STEP("send 1") "  server.send errors EPIPE none\n",
	  "x.case:6:28: 'none' stands alone (e.g. 'errors none')" },
	{ SERVER_STEP("send 1") "  server.send errors none EPIPE\n",
	  "x.case:6:27: unexpected 'EPIPE' after 'server.send errors none'" },
	{ SERVER_STEP("send 1") "  server.send errors EPIP\n",
	  "x.case:6:22: unknown errno 'EPIP' (did you mean 'EPIPE'?) (send errors are names like EPIPE, or 'none')" },
	{ SERVER_STEP("send 1") "  server.send errors EOF\n",
	  "x.case:6:22: unknown errno 'EOF' (send errors are names like EPIPE, or 'none')" },
	{ EXPECTING("server.close took < 1s"),
	  "x.case:4:9: 'server.close took' needs a 'close' or 'lingering-close' step in server" },
	{ EXPECTING("client.shutdown took < 1s"),
	  "x.case:4:9: 'client.shutdown took' needs a 'shutdown' or 'lingering-close' step in client" },
	{ SERVER_STEP("close") "  server.close tok < 1s\n",
	  "x.case:6:16: expected 'took' after 'server.close' (did you mean 'took'?) (e.g. 'server.close took < 100ms')" },
	{ SERVER_STEP("close") "  server.close took\n",
	  "x.case:6:16: 'took' needs a comparison and a duration (e.g. 'took < 100ms', 'took >= 1s')" },
	{ SERVER_STEP("close") "  server.close took 1s\n",
	  "x.case:6:21: 'took' needs a comparison and a duration (e.g. 'took < 100ms', 'took >= 1s')" },
	{ SERVER_STEP("close") "  server.close took < 1\n",
	  "x.case:6:23: duration '1' needs a unit (e.g. '1s' or '1ms')" },
	{ SERVER_STEP("close") "  server.close took < 1s or so\n",
	  "x.case:6:26: unexpected 'or' after 'server.close took < 1s'" },
	{ SERVER_STEP("close") "  server.close took > 1s\n  server.close took < 2s\n"
	  "  server.close took != 1500ms\n",
	  "x.case:8:3: 'server.close took' is expected three times (first at line 6; two make a range)" },
	{ EXPECTING("client.poll includes POLLIN"),
	  "x.case:4:9: 'client.poll' needs a 'poll' step in client" },
	{ SERVER_STEP("poll") "  server.poll includes\n",
	  "x.case:6:15: 'includes' needs poll flags (e.g. 'includes POLLIN POLLRDHUP')" },
	{ SERVER_STEP("poll") "  server.poll has POLLIN\n",
	  "x.case:6:15: expected 'includes' after 'server.poll' (e.g. 'server.poll includes POLLIN')" },
	{ SERVER_STEP("poll") "  server.poll includes POLLIN POLLIN\n",
	  "x.case:6:31: 'POLLIN' is given twice" },
	{ SERVER_STEP("poll") "  server.poll includes POLLRDHUB\n",
	  "x.case:6:24: unknown poll flag 'POLLRDHUB' (did you mean 'POLLRDHUP'?) (expected POLLIN, POLLOUT, POLLERR, POLLHUP or POLLRDHUP)" },
	{ SERVER_STEP("poll") "  server.poll includes POLLPRI\n",
	  "x.case:6:24: unknown poll flag 'POLLPRI' (did you mean 'POLLERR'?) (expected POLLIN, POLLOUT, POLLERR, POLLHUP or POLLRDHUP)" },
	{ SERVER_STEP("poll") "  server.poll includes POLLIN\n  server.poll includes POLLOUT\n",
	  "x.case:7:3: 'server.poll includes' is expected twice (first at line 6)" },
	{ EXPECTING("client killed by SIGPIPE\n  client exits normally"),
	  "x.case:5:3: what becomes of client is expected twice (first at line 4)" },
	{ EXPECTING("client killed by SIGPIP"),
	  "x.case:4:26: unknown signal 'SIGPIP' (did you mean 'SIGPIPE'?) (expected SIGPIPE, SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGABRT or SIGBUS)" },
	{ EXPECTING("client killed by SIGUSR1"),
	  "x.case:4:26: unknown signal 'SIGUSR1' (expected SIGPIPE, SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGABRT or SIGBUS)" },
	{ EXPECTING("client killed by"),
	  "x.case:4:23: 'killed by' needs a signal name (e.g. 'killed by SIGPIPE')" },
	{ EXPECTING("client killed SIGPIPE"),
	  "x.case:4:23: expected 'by' after 'killed' (e.g. 'killed by SIGPIPE')" },
	{ EXPECTING("client killed by SIGPIPE twice"),
	  "x.case:4:34: unexpected 'twice' after 'client killed by SIGPIPE'" },
	{ EXPECTING("client exits"),
	  "x.case:4:16: expected 'normally' after 'exits' (e.g. 'server exits normally')" },
	{ EXPECTING("client exits cleanly"),
	  "x.case:4:22: expected 'normally' after 'exits' (e.g. 'server exits normally')" },
	{ EXPECTING("server exit normally"),
	  "x.case:4:16: expected 'killed by SIGNAL' or 'exits normally' after 'server', not 'exit' (did you mean 'exits'?)" },
	{ EXPECTING("server"),
	  "x.case:4:9: 'server' needs 'killed by SIGNAL' or 'exits normally' (e.g. 'server killed by SIGPIPE')" },
	{ EXPECTING("server.child exits normally"),
	  "x.case:4:9: expectation about server.child, but there is no 'server.child:' section" },
	{ HEAD CLIENT SERVER "  fork\nserver.child: close\n"
	  "expect: server.child.recv ends EOF\n",
	  "x.case:6:9: 'server.child.recv ends' needs a 'recv', 'drain' or 'lingering-close' step in server.child" },
	{ HEAD CLIENT SERVER "  fork\n  recv 1\nserver.child: close\n"
	  "expect: server.child.so_error 0\n",
	  "x.case:7:9: 'server.child.so_error' needs a 'so_error' or 'recv' step in server.child" },
	{ HEAD CLIENT SERVER "  fork\nserver.child: recv all\n"
	  "expect: server.child.recv ends EOF\n  server.child.recv ends EPIPE\n",
	  "x.case:7:3: 'server.child.recv ends' is expected twice (first at line 6)" },
	{ EXPECTING("server.chld.recv ends EOF"),
	  "x.case:4:9: unknown expectation 'server.chld.recv' (did you mean 'server.child.recv'?)" },
	{ EXPECTING("client.clsoe took < 1s"),
	  "x.case:4:9: unknown expectation 'client.clsoe' (did you mean 'client.close'?)" },
	{ EXPECTING("server->client discarded"),
	  "x.case:4:24: 'discarded' needs a comparison and a size (e.g. 'discarded = 0', 'discarded > 0')" },
	{ EXPECTING("server->client discarded = unsent"),
	  "x.case:4:36: 'discarded' needs a size, not 'unsent'" },
	{ EXPECTING("server->client discarded = 1 2"),
	  "x.case:4:38: unexpected '2' after 'server->client discarded = 1'" },
	{ EXPECTING("server->client discarded > 0\n  server->client discarded < 9\n"
	  "  server->client discarded != 3"),
	  "x.case:6:3: 'server->client discarded' is expected three times (first at line 4; two make a range)" },
	{ EXPECTING("server->client discardd > 0"),
	  "x.case:4:24: unknown outcome 'discardd' (did you mean 'discarded'?) (expected clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none, 'lost' or 'discarded')" },
	{ EXPECTING("rst from server.child"),
	  "x.case:4:18: unknown role 'server.child' (expected 'client' or 'server')" },
	{ "client.send errors none\n",
	  "x.case:1:1: expectation 'client.send' outside the 'expect:' section" },

	/* topology */
	{ "topology\n",
	  "x.case:1:1: topology needs loopback, veth or routed (e.g. 'topology veth')" },
	{ "topology vth\n",
	  "x.case:1:10: unknown topology 'vth' (did you mean 'veth'?) (expected loopback or veth)" },
	{ "topology bridge\n",
	  "x.case:1:10: unknown topology 'bridge' (expected loopback or veth)" },
	{ "topology veth veth\n",
	  "x.case:1:15: unexpected 'veth' after 'topology veth'" },
	{ "topology veth\n" HEAD CLIENT "  topology loopback\n",
	  "x.case:4:3: 'topology' is given twice (first at line 1)" },
	{ "case t\ntopolgy veth\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'topolgy' (did you mean 'topology'?)" },

	/* mtu */
	{ "mtu\n", "x.case:1:1: mtu needs a number (e.g. 'mtu 1500')" },
	{ "mtu 67\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu 65537\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu 0\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu 99999999999999999999999\n",
	  "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu 1500B\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu 9K\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu -1500\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu +1500\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu jumbo\n", "x.case:1:5: mtu must be between 68 and 65536" },
	{ "mtu 1500 9000\n", "x.case:1:10: unexpected '9000' after 'mtu 1500'" },
	{ "mtu 1500\nmtu 9000\n",
	  "x.case:2:1: 'mtu' is given twice (first at line 1)" },
	{ "case t\nmut 1500\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'mut' (did you mean 'mtu'?)" },

	/* offloads */
	{ "offloads\n",
	  "x.case:1:1: offloads needs on or off (e.g. 'offloads off')" },
	{ "offloads of\n",
	  "x.case:1:10: unknown offloads 'of' (did you mean 'off'?) (expected on or off)" },
	{ "offloads yes\n",
	  "x.case:1:10: unknown offloads 'yes' (expected on or off)" },
	{ "offloads off gso\n",
	  "x.case:1:14: unexpected 'gso' after 'offloads off'" },
	{ "offloads off\noffloads on\n",
	  "x.case:2:1: 'offloads' is given twice (first at line 1)" },
	{ "case t\noffload off\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'offload' (did you mean 'offloads'?)" },

	/* capture */
	{ "capture\n",
	  "x.case:1:1: capture needs server, client or both (e.g. 'capture both')" },
	{ "capture bth\n",
	  "x.case:1:9: unknown capture 'bth' (did you mean 'both'?) (expected server, client or both)" },
	{ "capture none\n",
	  "x.case:1:9: unknown capture 'none' (expected server, client or both)" },
	{ "capture both client\n",
	  "x.case:1:14: unexpected 'client' after 'capture both'" },
	{ VETH "capture both\ncapture client\n",
	  "x.case:3:1: 'capture' is given twice (first at line 2)" },
	{ "capture both\n" MINIMAL,
	  "x.case:1:1: 'capture both' needs 'topology veth' (on loopback one capture sees both ends)" },
	{ MINIMAL "  capture client\n",
	  "x.case:5:3: 'capture client' needs 'topology veth' (on loopback one capture sees both ends)" },
	{ "topology loopback\ncapture both\n" MINIMAL,
	  "x.case:2:1: 'capture both' needs 'topology veth' (on loopback one capture sees both ends)" },
	/* Reported after a missing name or role. */
	{ "capture both\n",
	  "x.case:1:1: case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')" },
	{ "case t\ncaptur both\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'captur' (did you mean 'capture'?)" },

	/* sysctl */
	{ "sysctl\n", "x.case:1:1: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn\n",
	  "x.case:1:1: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn =\n",
	  "x.case:1:1: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn 64\n",
	  "x.case:1:27: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn =64\n",
	  "x.case:1:27: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn == 64\n",
	  "x.case:1:27: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn=64\n",
	  "x.case:1:8: sysctl needs 'NAME = VALUE'" },
	{ "sysctl net.core.somaxconn= 64\n",
	  "x.case:1:8: sysctl needs 'NAME = VALUE'" },
	{ "sysctl = 64\n", "x.case:1:8: sysctl needs 'NAME = VALUE'" },
	{ "sysctl kernel.x = 1\n",
	  "x.case:1:8: sysctl 'kernel.x': only net.* sysctls can be set in the case's namespaces" },
	{ "sysctl vm.swappiness = 1\n",
	  "x.case:1:8: sysctl 'vm.swappiness': only net.* sysctls can be set in the case's namespaces" },
	{ "sysctl net = 1\n",
	  "x.case:1:8: sysctl 'net': only net.* sysctls can be set in the case's namespaces" },
	{ "sysctl NET.core.somaxconn = 1\n",
	  "x.case:1:8: sysctl 'NET.core.somaxconn': only net.* sysctls can be set in the case's namespaces" },
	{ "sysctl net. = 1\n",
	  "x.case:1:8: sysctl name 'net.' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')" },
	{ "sysctl net.ipv4..tcp_rmem = 1\n",
	  "x.case:1:8: sysctl name 'net.ipv4..tcp_rmem' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')" },
	{ "sysctl net.ipv4.tcp_rmem. = 1\n",
	  "x.case:1:8: sysctl name 'net.ipv4.tcp_rmem.' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')" },
	{ "sysctl net.ipv4/tcp_rmem = 1\n",
	  "x.case:1:8: sysctl name 'net.ipv4/tcp_rmem' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')" },
	{ "sysctl net.ipv4.conf.veth-c.rp_filter = 1\n",
	  "x.case:1:8: sysctl name 'net.ipv4.conf.veth-c.rp_filter' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')" },
	{ "sysctl net.IPv4.tcp_rmem = 1\n",
	  "x.case:1:8: sysctl name 'net.IPv4.tcp_rmem' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')" },
	{ "sysctl net.ipv4.tcp_rmem = 1 2 3\nsysctl net.core.somaxconn = 8\n"
	  HEAD CLIENT "  sysctl net.ipv4.tcp_rmem = 4 5 6\n",
	  "x.case:5:10: sysctl 'net.ipv4.tcp_rmem' is set twice (first at line 1)" },
	{ "case t\nsysctrl net.x = 1\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'sysctrl' (did you mean 'sysctl'?)" },

	/* Impairments: directions and repeats */
	{ "rate\n",
	  "x.case:1:1: rate needs a direction (e.g. 'rate server->client 10mbit')" },
	{ "loss\n",
	  "x.case:1:1: loss needs a direction (e.g. 'loss client->server 5%')" },
	{ "delay\n",
	  "x.case:1:1: delay needs a direction (e.g. 'delay server->client 20ms')" },
	{ "rate server-client 1mbit\n",
	  "x.case:1:6: unknown direction 'server-client' (did you mean 'server->client'?) (expected 'client->server' or 'server->client')" },
	{ "loss client.child->server 1%\n",
	  "x.case:1:6: unknown direction 'client.child->server' (did you mean 'client->server'?) (expected 'client->server' or 'server->client')" },
	{ "delay server.child->client 1ms\n",
	  "x.case:1:7: unknown direction 'server.child->client' (did you mean 'server->client'?) (expected 'client->server' or 'server->client')" },
	{ "delay up 1ms\n",
	  "x.case:1:7: unknown direction 'up' (expected 'client->server' or 'server->client')" },
	{ VETH "rate server->client 1mbit\nrate client->server 1mbit\n"
	  HEAD CLIENT "  rate server->client 2mbit\n",
	  "x.case:6:3: 'rate server->client' is given twice (first at line 2)" },
	{ VETH "loss client->server 1%\nloss client->server 2%\n",
	  "x.case:3:1: 'loss client->server' is given twice (first at line 2)" },
	{ VETH "delay client->server 1ms\ndelay client->server 2ms jitter 1ms\n",
	  "x.case:3:1: 'delay client->server' is given twice (first at line 2)" },
	{ "case t\nrte server->client 1mbit\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'rte' (did you mean 'rate'?)" },
	{ "case t\ndelya server->client 1ms\n",
	  "x.case:2:1: expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not 'delya' (did you mean 'delay'?)" },

	/* rate */
	{ "rate server->client\n",
	  "x.case:1:1: rate needs a rate such as '10mbit'" },
	{ "rate server->client 10\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client mbit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 0mbit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 1.5mbit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 10Mbit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit' (did you mean '10mbit'?)" },
	{ "rate server->client 10mbps\n",
	  "x.case:1:21: rate needs a rate such as '10mbit' (did you mean '10mbit'?)" },
	{ "rate server->client 10MiB\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 10GBIT\n",
	  "x.case:1:21: rate needs a rate such as '10mbit' (did you mean '10gbit'?)" },
	{ "rate server->client 10kbits\n",
	  "x.case:1:21: rate needs a rate such as '10mbit' (did you mean '10kbit'?)" },
	{ "rate server->client 18446744073709551616bit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 18446744074gbit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 99999999999999999999999gbit\n",
	  "x.case:1:21: rate needs a rate such as '10mbit'" },
	{ "rate server->client 10mbit 20mbit\n",
	  "x.case:1:28: unexpected '20mbit' after 'rate server->client 10mbit'" },

	/* loss */
	{ "loss client->server\n",
	  "x.case:1:1: loss needs a percentage such as '5%'" },
	{ "loss client->server 5\n",
	  "x.case:1:21: loss needs a percentage such as '5%' (did you mean '5%'?)" },
	{ "loss client->server 5 %\n",
	  "x.case:1:21: loss needs a percentage such as '5%' (did you mean '5%'?)" },
	{ "loss client->server %\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 0%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 0.00%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 100.01%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 101%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 99999999999999999999%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 0.001%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server .5%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 5.%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server -5%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 5%%\n",
	  "x.case:1:21: loss needs a percentage such as '5%'" },
	{ "loss client->server 0.05\n",
	  "x.case:1:21: loss needs a percentage such as '5%' (did you mean '0.05%'?)" },
	{ "loss client->server 5% 6%\n",
	  "x.case:1:24: unexpected '6%' after 'loss client->server 5%'" },

	/* delay */
	{ "delay server->client\n",
	  "x.case:1:1: delay needs a duration (e.g. 'delay server->client 20ms')" },
	{ "delay server->client 0ms\n",
	  "x.case:1:22: delay needs a duration above 0" },
	{ "delay server->client 20\n",
	  "x.case:1:22: duration '20' needs a unit (e.g. '20s' or '20ms')" },
	{ "delay server->client 20msec\n",
	  "x.case:1:22: unknown unit 'msec' in duration '20msec' (did you mean 'ms'?) (use ms or s)" },
	{ "delay server->client 20ms jiter 5ms\n",
	  "x.case:1:27: unknown delay option 'jiter' (did you mean 'jitter'?) (expected 'jitter')" },
	{ "delay server->client 20ms 5ms\n",
	  "x.case:1:27: unknown delay option '5ms' (expected 'jitter')" },
	{ "delay server->client 20ms jitter\n",
	  "x.case:1:27: jitter needs a duration (e.g. 'jitter 5ms')" },
	{ "delay server->client 20ms jitter 0s\n",
	  "x.case:1:34: jitter needs a duration above 0 (leave it out for none)" },
	{ "delay server->client 20ms jitter 5\n",
	  "x.case:1:34: duration '5' needs a unit (e.g. '5s' or '5ms')" },
	{ "delay server->client 20ms jitter 5ms jitter 6ms\n",
	  "x.case:1:38: unexpected 'jitter' after 'delay server->client 20ms jitter 5ms'" },

	/* Impairments need veth: the earliest offence, at the end. */
	{ "rate server->client 10mbit\n" MINIMAL,
	  "x.case:1:1: 'rate' needs 'topology veth'" },
	{ MINIMAL "  loss client->server 5%\n",
	  "x.case:5:3: 'loss' needs 'topology veth'" },
	{ "topology loopback\n" MINIMAL "delay server->client 1ms\n",
	  "x.case:6:1: 'delay' needs 'topology veth'" },
	{ "delay server->client 1ms\ncapture both\n" MINIMAL,
	  "x.case:1:1: 'delay' needs 'topology veth'" },
	{ "capture client\nrate server->client 1mbit\n" MINIMAL,
	  "x.case:1:1: 'capture client' needs 'topology veth' (on loopback one capture sees both ends)" },
	/* Before the fork checks. */
	{ HEAD CLIENT SERVER "  fork\n" EXPECT "rate client->server 1kbit\n",
	  "x.case:6:1: 'rate' needs 'topology veth'" },
};

START_TEST(test_refusal)
{
	assert_refused(refusals[_i].text, refusals[_i].message);
}
END_TEST

/* The brief's own example: 'sned' at line 12, column 9. */
START_TEST(test_unknown_step_position)
{
	assert_refused(
	    "# line 1\n"
	    "case typo\n"
	    "\n"
	    "client: connect\n"
	    "        send 1\n"
	    "\n"
	    "# a comment\n"
	    "server: accept\n"
	    "        recv 1\n"
	    "        pause 1s\n"
	    "        raise x\n"
	    "        sned 100\n"
	    "expect: no rst\n",
	    "x.case:12:9: unknown step 'sned' (did you mean 'send'?)");
}
END_TEST

START_TEST(test_deadlock_file)
{
	struct case_error err;
	struct case_file *cf;
	char *path, *expected;
	size_t len;

	path = test_file_path("deadlock.case");
	cf = case_parse_file(path, &err);
	ck_assert_ptr_null(cf);
	len = strlen(path) + 256;
	expected = malloc(len);
	ck_assert_ptr_nonnull(expected);
	snprintf(expected, len, "%s:5:9: client and server wait on each "
	    "other: client waits for 'server.sent' (line 5) while server "
	    "waits for 'client.sent' (line 8)", path);
	ck_assert_str_eq(err.msg, expected);
	ck_assert_uint_eq(err.line, 5);
	ck_assert_uint_eq(err.col, 9);
	free(expected);
	free(path);
}
END_TEST

/* Files and bytes */

static void
assert_file_refused(const char *name, const char *suffix, unsigned line,
    unsigned col)
{
	struct case_error err;
	struct case_file *cf;
	char *path, *expected;
	size_t len;

	path = test_file_path(name);
	cf = case_parse_file(path, &err);
	ck_assert_ptr_null(cf);
	len = strlen(path) + strlen(suffix) + 1;
	expected = malloc(len);
	ck_assert_ptr_nonnull(expected);
	snprintf(expected, len, "%s%s", path, suffix);
	ck_assert_str_eq(err.msg, expected);
	ck_assert_uint_eq(err.line, line);
	ck_assert_uint_eq(err.col, col);
	free(expected);
	free(path);
}

START_TEST(test_file_errors)
{
	assert_file_refused("missing.case", ": No such file or directory", 0, 0);
	assert_file_refused("nul.case", ":3:11: NUL byte in case file", 3, 11);
	assert_file_refused("control.case", ":2:16: unexpected character 0x01",
	    2, 16);
	assert_file_refused("empty.case",
	    ":1:1: case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')",
	    1, 1);
	/* A directory opens but does not read. */
	assert_file_refused("", ": Is a directory", 0, 0);
}
END_TEST

START_TEST(test_nul_in_string)
{
	static const char text[] = "case t\n# nul \0 in a comment\n";
	struct case_error err;
	struct case_file *cf;

	cf = case_parse_string(PATH, text, sizeof(text) - 1, &err);
	ck_assert_ptr_null(cf);
	ck_assert_str_eq(err.msg, "x.case:2:7: NUL byte in case file");
	ck_assert_uint_eq(err.line, 2);
	ck_assert_uint_eq(err.col, 7);

	/* The length, not a NUL, ends the text. */
	cf = case_parse_string(PATH, MINIMAL "garbage", strlen(MINIMAL), &err);
	ck_assert_msg(cf != NULL, "%s", err.msg);
	case_free(cf);

	/* NULL err is allowed; NULL text with a length is refused. */
	ck_assert_ptr_null(case_parse_string(PATH, "case", 4, NULL));
	ck_assert_ptr_null(case_parse_string(PATH, NULL, 4, &err));
	ck_assert_str_eq(err.msg, "x.case: no text to parse");
	ck_assert_ptr_null(case_parse_file("/nonexistent/x.case", NULL));
}
END_TEST

START_TEST(test_position_fields)
{
	struct case_error err;
	struct case_file *cf;

	cf = parse(STEP("sned 1"), &err);
	ck_assert_ptr_null(cf);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.col, 9);
	cf = parse(HEAD CLIENT EXPECT, &err);
	ck_assert_ptr_null(cf);
	ck_assert_uint_eq(err.line, 1);
	ck_assert_uint_eq(err.col, 1);
	/* A mistake of the whole case is at the 'case' line. */
	cf = parse("# a comment\n" HEAD CLIENT EXPECT, &err);
	ck_assert_ptr_null(cf);
	ck_assert_str_eq(err.msg, "x.case:2:1: case has no 'server:' role");
	ck_assert_uint_eq(err.line, 2);
	ck_assert_uint_eq(err.col, 1);
	cf = parse("\n" HEAD CLIENT SERVER, &err);
	ck_assert_ptr_null(cf);
	ck_assert_str_eq(err.msg,
	    "x.case:2:1: case expects nothing: add an 'expect:' section");
	ck_assert_uint_eq(err.line, 2);
	ck_assert_uint_eq(err.col, 1);
}
END_TEST

/* Long lines */

#define MIB (1024 * 1024)

START_TEST(test_megabyte_comment)
{
	struct case_file *cf;
	char *text;
	size_t len;

	/* A 1 MiB comment line inside the summary and one after. */
	len = strlen(MINIMAL) + 2 * (MIB + 2) + 1;
	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	text[0] = '#';
	memset(text + 1, 'x', MIB);
	text[MIB + 1] = '\n';
	strcpy(text + MIB + 2, MINIMAL);
	strcat(text, "#");
	memset(text + strlen(text), 'y', MIB);
	text[len - 2] = '\n';
	text[len - 1] = '\0';
	cf = parse_ok(text);
	ck_assert_uint_eq(strlen(cf->summary), MIB);
	ck_assert_uint_eq(cf->roles[ROLE_CLIENT].steps[0].line, 3);
	case_free(cf);
	free(text);
}
END_TEST

START_TEST(test_megabyte_token)
{
	struct case_error err;
	struct case_file *cf;
	char *text, *event;
	size_t len;

	/* A 1 MiB unknown step: refused, quoted short. */
	len = strlen(HEAD CLIENT "  ") + MIB + strlen("\n" SERVER EXPECT) + 1;
	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	strcpy(text, HEAD CLIENT "  ");
	memset(text + strlen(text), 'z', MIB);
	strcpy(text + strlen(HEAD CLIENT "  ") + MIB, "\n" SERVER EXPECT);
	cf = parse(text, &err);
	ck_assert_ptr_null(cf);
	ck_assert_str_eq(err.msg, "x.case:3:3: unknown step "
	    "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...'");
	free(text);

	/* A 1 MiB event name raised by one role and awaited by the other. */
	event = malloc(MIB + 1);
	ck_assert_ptr_nonnull(event);
	memset(event, 'e', MIB);
	event[MIB] = '\0';
	len = 2 * MIB + 256;
	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	snprintf(text, len, HEAD CLIENT "  raise %s\n" SERVER
	    "  wait client.%s\n" EXPECT, event, event);
	cf = parse_ok(text);
	ck_assert_str_eq(cf->roles[ROLE_CLIENT].steps[1].u.raise.event, event);
	ck_assert_str_eq(cf->roles[ROLE_SERVER].steps[1].u.wait.event, event);
	case_free(cf);

	/* The same, misspelt: no suggestion is attempted on such words. */
	snprintf(text, len, HEAD CLIENT "  raise %s\n" SERVER
	    "  wait client.%sx\n" EXPECT, event, event);
	cf = parse(text, &err);
	ck_assert_ptr_null(cf);
	ck_assert_str_eq(err.msg, "x.case:5:3: server waits for 'client."
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee...', which client "
	    "never raises");
	free(text);
	free(event);
}
END_TEST

TCase *
check_case_refuse_tcase(void)
{
	TCase *tc;

	tc = tcase_create("refuse");
	tcase_add_loop_test(tc, test_refusal, 0, NELEMS(refusals));
	tcase_add_test(tc, test_unknown_step_position);
	tcase_add_test(tc, test_deadlock_file);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_nul_in_string);
	tcase_add_test(tc, test_position_fields);
	return tc;
}

TCase *
check_case_long_tcase(void)
{
	TCase *tc;

	tc = tcase_create("long");
	tcase_add_test(tc, test_megabyte_comment);
	tcase_add_test(tc, test_megabyte_token);
	tcase_set_timeout(tc, 60);
	return tc;
}
