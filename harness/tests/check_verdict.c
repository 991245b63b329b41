/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_verdict.c - outcomes per direction, the split of lost bytes and
 * the judgement of expectations, on ledgers and connections built here.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "report.h"
#include "strbuf.h"
#include "verdict.h"
#include "testutil.h"

struct fixture {
	struct case_file *cf;
	struct ledger ledgers[ROLE_COUNT];
	struct conn conn;
	struct kcounters counters;
	struct verdict v;
};

static const char base_case[] =
    "case t\n"
    "client: connect\n"
    "        send 100\n"
    "        recv all\n"
    "server: accept\n"
    "        send 1000\n"
    "        close\n";

/* A fixture for the case steps, then expects. */
static void
fixture_init_steps(struct fixture *f, const char *steps, const char *expects)
{
	struct case_error err;
	size_t len = strlen(steps) + strlen(expects) + 1;
	char *text = malloc(len);

	ck_assert_ptr_nonnull(text);
	snprintf(text, len, "%s%s", steps, expects);
	memset(f, 0, sizeof(*f));
	f->cf = case_parse_string("t.case", text, strlen(text), &err);
	free(text);
	ck_assert_msg(f->cf != NULL, "parse: %s", err.msg);
	ledger_init(&f->ledgers[ROLE_CLIENT]);
	ledger_init(&f->ledgers[ROLE_SERVER]);
	f->conn.first_fin_side = -1;
	f->conn.first_rst_side = -1;
}

static void
fixture_init(struct fixture *f, const char *expects)
{
	fixture_init_steps(f, base_case, expects);
}

/* Judge as on system's release (NULL, NULL: no system named). */
static void
fixture_judge_on(struct fixture *f, const char *system, const char *release)
{
	struct verdict_input in;

	memset(&in, 0, sizeof(in));
	in.cf = f->cf;
	in.ledgers[ROLE_CLIENT] = &f->ledgers[ROLE_CLIENT];
	in.ledgers[ROLE_SERVER] = &f->ledgers[ROLE_SERVER];
	in.conn = &f->conn;
	in.counters = &f->counters;
	in.system = system;
	in.release = release;
	ck_assert_int_eq(verdict_compute(&in, &f->v), 0);
}

static void
fixture_judge(struct fixture *f)
{
	fixture_judge_on(f, NULL, NULL);
}

static void
fixture_free(struct fixture *f)
{
	verdict_free(&f->v);
	case_free(f->cf);
}

/* The server wrote `written`, the client read `read`, then `end`. */
static void
server_to_client(struct fixture *f, uint64_t written, uint64_t read,
    enum read_result_kind end, int error)
{
	f->ledgers[ROLE_SERVER].bytes_sent = written;
	f->ledgers[ROLE_CLIENT].bytes_read = read;
	f->ledgers[ROLE_CLIENT].read_end.kind = end;
	f->ledgers[ROLE_CLIENT].read_end.error = error;
	f->conn.half[SIDE_RESP].payload_bytes = written;
}

static void
rst_from_server(struct fixture *f, enum rst_kind kind)
{
	f->conn.half[SIDE_RESP].rst_count = 1;
	f->conn.half[SIDE_RESP].first_rst_kind = kind;
	f->conn.half[SIDE_RESP].first_rst_index = 10;
	f->conn.first_rst_side = SIDE_RESP;
}

static void
fin_from(struct fixture *f, enum conn_side side, uint64_t index)
{
	f->conn.half[side].fin_seen = true;
	f->conn.half[side].fin_index = index;
	if (f->conn.first_fin_side < 0)
		f->conn.first_fin_side = side;
}

START_TEST(truncated_splits_loss)
{
	struct fixture f;
	const struct direction_verdict *d;

	fixture_init(&f, "expect: teardown rst from server\n"
	    "        server->client truncated\n"
	    "        client.recv ends ECONNRESET\n"
	    "        no rst\n");
	server_to_client(&f, 4000000, 128000, READ_RESULT_ERROR, ECONNRESET);
	f.conn.half[SIDE_RESP].payload_bytes = 200000;
	rst_from_server(&f, RST_KIND_WITH_ACK);
	fixture_judge(&f);
	d = &f.v.directions[DIRECTION_SERVER_TO_CLIENT];
	ck_assert_int_eq(d->outcome, OUTCOME_TRUNCATED);
	ck_assert_uint_eq(d->lost, 3872000);
	ck_assert_uint_eq(d->lost_unsent, 3800000);
	ck_assert_uint_eq(d->lost_on_wire, 72000);
	ck_assert_int_eq(f.v.teardown, TEARDOWN_RST);
	ck_assert_int_eq(f.v.first_rst_role, ROLE_SERVER);
	ck_assert(f.v.results[0].held);
	ck_assert(f.v.results[1].held);
	ck_assert(f.v.results[2].held);
	ck_assert(!f.v.results[3].held);
	ck_assert(!f.v.passed);
	ck_assert_str_eq(f.v.results[0].observed, "teardown rst from server");
	ck_assert_str_eq(f.v.results[3].observed, "RST+ACK from server");
	fixture_free(&f);
}
END_TEST

START_TEST(clean_needs_eof_and_no_rst)
{
	struct fixture f;

	fixture_init(&f, "expect: server->client clean\n        no rst\n"
	    "        teardown fin from server\n");
	server_to_client(&f, 1000, 1000, READ_RESULT_EOF, 0);
	fin_from(&f, SIDE_RESP, 5);
	fin_from(&f, SIDE_ORIG, 7);
	fixture_judge(&f);
	ck_assert_int_eq(f.v.directions[DIRECTION_SERVER_TO_CLIENT].outcome, OUTCOME_CLEAN);
	ck_assert_int_eq(f.v.teardown, TEARDOWN_FIN);
	ck_assert(f.v.passed);
	fixture_free(&f);
}
END_TEST

START_TEST(hidden_reset)
{
	struct fixture f;

	fixture_init(&f, "expect: server->client hidden-reset\n"
	    "        rst from server bare\n        teardown fin-then-rst\n");
	server_to_client(&f, 1000, 1000, READ_RESULT_EOF, 0);
	fin_from(&f, SIDE_RESP, 5);
	rst_from_server(&f, RST_KIND_BARE);
	fixture_judge(&f);
	ck_assert_int_eq(f.v.directions[DIRECTION_SERVER_TO_CLIENT].outcome,
	    OUTCOME_HIDDEN_RESET);
	ck_assert_int_eq(f.v.teardown, TEARDOWN_FIN_THEN_RST);
	ck_assert(f.v.passed);
	fixture_free(&f);
}
END_TEST

START_TEST(delivered_but_reset)
{
	struct fixture f;

	fixture_init(&f, "expect: server->client delivered-but-reset\n"
	    "        rst from server bare\n");
	server_to_client(&f, 1000, 1000, READ_RESULT_ERROR, ECONNRESET);
	rst_from_server(&f, RST_KIND_WITH_ACK);
	fixture_judge(&f);
	ck_assert_int_eq(f.v.directions[DIRECTION_SERVER_TO_CLIENT].outcome,
	    OUTCOME_DELIVERED_BUT_RESET);
	ck_assert(f.v.results[0].held);
	ck_assert(!f.v.results[1].held);	/* it was RST+ACK, not bare */
	fixture_free(&f);
}
END_TEST

START_TEST(corrupted_and_delivered)
{
	struct fixture f;

	fixture_init(&f, "expect: server->client corrupted\n"
	    "        client->server delivered\n");
	server_to_client(&f, 1000, 1000, READ_RESULT_EOF, 0);
	f.ledgers[ROLE_CLIENT].corrupted = true;
	f.ledgers[ROLE_CLIENT].bytes_sent = 100;
	f.ledgers[ROLE_SERVER].bytes_read = 100;	/* read loop never ended */
	fixture_judge(&f);
	ck_assert_int_eq(f.v.directions[DIRECTION_SERVER_TO_CLIENT].outcome, OUTCOME_CORRUPTED);
	ck_assert_int_eq(f.v.directions[DIRECTION_CLIENT_TO_SERVER].outcome, OUTCOME_DELIVERED);
	ck_assert(f.v.passed);
	fixture_free(&f);
}
END_TEST

START_TEST(lost_equals_unsent_at_close)
{
	struct fixture f;

	fixture_init(&f, "expect: server->client lost = unsent\n"
	    "        server->client lost > 0\n        client->server lost = 0\n");
	server_to_client(&f, 500000, 100000, READ_RESULT_ERROR, ECONNRESET);
	f.conn.half[SIDE_RESP].payload_bytes = 100000;
	f.ledgers[ROLE_SERVER].close.done = true;
	f.ledgers[ROLE_SERVER].close.before.valid = true;
	f.ledgers[ROLE_SERVER].close.before.unsent = 400000;
	rst_from_server(&f, RST_KIND_WITH_ACK);
	fixture_judge(&f);
	ck_assert(f.v.results[0].held);
	ck_assert(f.v.results[1].held);
	ck_assert(f.v.results[2].held);
	/* The relation must be able to fail. */
	f.ledgers[ROLE_SERVER].close.before.unsent = 399999;
	verdict_free(&f.v);
	fixture_judge(&f);
	ck_assert(!f.v.results[0].held);
	fixture_free(&f);
}
END_TEST

START_TEST(kernel_counter_and_so_error)
{
	struct fixture f;
	struct kcounter items[] = { { (char *)"TCPAbortOnClose", 1 } };

	fixture_init(&f, "expect: kernel TCPAbortOnClose = 1\n"
	    "        kernel TCPAbortOnData = 0\n        client.so_error EPIPE\n"
	    "        client.recv ends EOF then EOF\n");
	f.counters.items = items;
	f.counters.count = 1;
	f.ledgers[ROLE_CLIENT].so_error_read = true;
	f.ledgers[ROLE_CLIENT].so_error = EPIPE;
	f.ledgers[ROLE_CLIENT].read_end.kind = READ_RESULT_EOF;
	f.ledgers[ROLE_CLIENT].next_read.kind = READ_RESULT_ERROR;
	f.ledgers[ROLE_CLIENT].next_read.error = ECONNRESET;
	fixture_judge(&f);
	ck_assert(f.v.results[0].held);
	ck_assert(f.v.results[1].held);
	ck_assert(f.v.results[2].held);
	ck_assert(!f.v.results[3].held);	/* the next read was ECONNRESET */
	fixture_free(&f);
}
END_TEST

/* Issue 10: send errors are judged call by call, not per run of results. */
START_TEST(send_errors_call_by_call)
{
	static const char *const lists[] = { "ECONNRESET EPIPE EPIPE", "ECONNRESET EPIPE" };
	char expect[128];
	struct fixture f;
	struct ledger *l;
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(expect, sizeof(expect), "expect: client.send errors %s\n", lists[i]);
		fixture_init(&f, expect);
		l = &f.ledgers[ROLE_CLIENT];
		ledger_record_send(l, 100, 0);
		ledger_record_send(l, -1, ECONNRESET);
		ledger_record_send(l, -1, EPIPE);
		ledger_record_send(l, -1, EPIPE);
		ck_assert_uint_eq(l->nsends, 3);	/* EPIPE x2 is one run */
		fixture_judge(&f);
		/* A shorter list does not match. */
		ck_assert(f.v.results[0].held == (i == 0));
		ck_assert_str_eq(f.v.results[0].observed,
		    "client.send errors ECONNRESET EPIPE EPIPE");
		fixture_free(&f);
	}
}
END_TEST

/* Both FINs, then an RST from the server; the client's payload_bytes and
 * what the server acknowledged of it are the test's. */
static void
late_rst(struct fixture *f, uint64_t client_sent, uint64_t server_acked)
{
	server_to_client(f, 1000, 1000, READ_RESULT_EOF, 0);
	fin_from(f, SIDE_RESP, 5);
	fin_from(f, SIDE_ORIG, 7);
	rst_from_server(f, RST_KIND_BARE);
	f->conn.flags |= CONN_FLAG_RST_AFTER_FIN_DATA;
	f->conn.half[SIDE_ORIG].payload_bytes = client_sent;
	f->conn.half[SIDE_ORIG].acked_bytes = server_acked;
	/* What the tracker records at the server's first RST. */
	f->conn.half[SIDE_RESP].peer_unacked_at_rst = client_sent - server_acked;
	f->ledgers[ROLE_CLIENT].bytes_sent = client_sent;
	f->ledgers[ROLE_SERVER].bytes_read = server_acked;
}

/*
 * Issue 10: an RST after both FINs that answers new data (the client sent
 * more with its FIN, after the server's) refused that data: hidden-reset,
 * "no rst" fails, fin-then-rst.  One that answers a duplicate is late.
 */
START_TEST(late_rst_refusing_data_matters)
{
	struct fixture f;

	fixture_init(&f, "expect: server->client hidden-reset\n        no rst\n"
	    "        teardown fin-then-rst from server\n");
	late_rst(&f, 200, 100);
	fixture_judge(&f);
	ck_assert_int_eq(f.v.directions[DIRECTION_SERVER_TO_CLIENT].outcome,
	    OUTCOME_HIDDEN_RESET);
	ck_assert(f.v.results[0].held);
	ck_assert(!f.v.results[1].held);
	ck_assert_str_eq(f.v.results[1].observed, "bare RST from server");
	ck_assert(f.v.results[2].held);
	ck_assert_int_eq(f.v.teardown, TEARDOWN_FIN_THEN_RST);
	ck_assert(!f.v.rst_late);
	fixture_free(&f);

	/* Every byte the client sent had been acknowledged: a duplicate. */
	fixture_init(&f, "expect: server->client clean\n        no rst\n"
	    "        teardown fin from server\n");
	late_rst(&f, 100, 100);
	fixture_judge(&f);
	ck_assert(f.v.passed);
	ck_assert(f.v.rst_late);
	ck_assert_str_eq(f.v.results[1].observed,
	    "no RST before both FINs (a late one after them ends nothing)");
	fixture_free(&f);
}
END_TEST

/* The cause of a case's first RST, as its sentences. */
static char *
cause_of(const struct case_file *cf, struct ledger ledgers[ROLE_COUNT], const struct conn *conn,
    const struct kcounters *counters)
{
	const struct ledger *ls[ROLE_COUNT];
	struct strbuf sb;
	struct cause c;
	int r;

	for (r = 0; r < ROLE_COUNT; r++)
		ls[r] = cf->roles[r].present ? &ledgers[r] : NULL;
	cause_find(cf, ls, conn, counters, &c);
	strbuf_init(&sb);
	if (!cause_append_text(&sb, cf, &c))
		strbuf_adds(&sb, "(none)");
	return strbuf_finish(&sb);
}

/* role let go of the socket at step (-1: its end) at time ns, unread left. */
static void
released(struct ledger *l, int step, int64_t ns, uint64_t unread)
{
	l->state = ROLE_STATE_FINISHED;
	l->released = true;
	l->released_by = step;
	l->released_ns = ns;
	l->released_with.valid = true;
	l->released_with.unread = unread;
}

static void
record(struct ledger *l, size_t step, int64_t started_ns, uint64_t bytes)
{
	l->records[step].done = true;
	l->records[step].started_ns = started_ns;
	l->records[step].bytes = bytes;
}

struct cause_test {
	const char *text;		/* the case */
	enum rst_kind kind;		/* of the server's first RST */
	void (*set)(struct ledger *l);	/* the ledgers, by role */
	bool abort_on_data;
	const char *cause;
};

static void
close_unread(struct ledger *l)
{
	released(&l[ROLE_SERVER], 2, 100, 100);
}

/* The parent let go first; the child's close (or exit) released the socket. */
static void
fork_child_last(struct ledger *l)
{
	released(&l[ROLE_SERVER], 2, 100, 100);
	released(&l[ROLE_SERVER_CHILD], 1, 200, 100);
}

static void
end_of_steps(struct ledger *l)
{
	released(&l[ROLE_SERVER], -1, 100, 100);
}

static void
linger_zero(struct ledger *l)
{
	released(&l[ROLE_SERVER], 3, 100, 0);
}

/* The client's second send (step 3) started after the server's close. */
static void
sent_after_close(struct ledger *l)
{
	l[ROLE_CLIENT].state = ROLE_STATE_FINISHED;
	record(&l[ROLE_CLIENT], 1, 10, 100);
	record(&l[ROLE_CLIENT], 3, 300, 100);
	released(&l[ROLE_SERVER], 3, 200, 0);
}

/* The server shut (step 2) at 150 and still held the socket at 300. */
static void
sent_after_shutdown(struct ledger *l)
{
	l[ROLE_CLIENT].state = ROLE_STATE_FINISHED;
	record(&l[ROLE_CLIENT], 1, 10, 100);
	record(&l[ROLE_CLIENT], 3, 300, 100);
	record(&l[ROLE_SERVER], 2, 150, 0);
	released(&l[ROLE_SERVER], 4, 400, 0);
}

static void
shut_no_send(struct ledger *l)
{
	l[ROLE_CLIENT].state = ROLE_STATE_FINISHED;
	record(&l[ROLE_CLIENT], 1, 10, 100);
	record(&l[ROLE_SERVER], 2, 150, 0);
	released(&l[ROLE_SERVER], 4, 400, 0);
}

static void
closed_no_send(struct ledger *l)
{
	l[ROLE_CLIENT].state = ROLE_STATE_FINISHED;
	record(&l[ROLE_CLIENT], 1, 10, 100);
	released(&l[ROLE_SERVER], 2, 200, 0);
}

/* The client's so_error step (2) read ECONNRESET; its recv (3) then EOF. */
static void
hidden(struct ledger *l)
{
	l[ROLE_CLIENT].state = ROLE_STATE_FINISHED;
	l[ROLE_CLIENT].records[2].so_error_read = true;
	l[ROLE_CLIENT].records[2].so_error = ECONNRESET;
	l[ROLE_CLIENT].records[3].end.kind = READ_RESULT_EOF;
	released(&l[ROLE_SERVER], 2, 100, 100);
}

/* A process that never let go (killed): nobody knows when the socket went. */
static void
never_released(struct ledger *l)
{
	released(&l[ROLE_SERVER], 2, 100, 100);
	l[ROLE_SERVER_CHILD].state = ROLE_STATE_FINISHED;
}

#define TWO_ENDS "case t\nclient: connect\n  send 100\n  recv all\n"
static const struct cause_test cause_tests[] = {
	{ TWO_ENDS "server: accept\n  send 10\n  close\nexpect: no rst\n", RST_KIND_WITH_ACK,
	  close_unread, false,
	  "server's close() (line 7) released the socket with 100 B unread (RFC 1122 4.2.2.13)." },
	{ TWO_ENDS "server: accept\n  fork\n  close\nserver.child: send 1\n  close\n"
	  "expect: no rst\n", RST_KIND_WITH_ACK, fork_child_last, false,
	  "server.child's close() (line 9) released the socket with 100 B unread (RFC 1122 4.2.2.13)." },
	{ TWO_ENDS "server: accept\n  fork\n  close\nserver.child: send 1\n  exit\n"
	  "expect: no rst\n", RST_KIND_WITH_ACK, fork_child_last, false,
	  "server.child's exit (line 9) released the socket with 100 B unread (RFC 1122 4.2.2.13)." },
	{ TWO_ENDS "server: accept\n  send 10\nexpect: no rst\n", RST_KIND_WITH_ACK, end_of_steps,
	  false, "server's end (its last step done, its descriptors closed with it) released the "
	  "socket with 100 B unread (RFC 1122 4.2.2.13)." },
	{ TWO_ENDS "server: accept\n  set linger 0s\n  recv 100\n  close\nexpect: no rst\n",
	  RST_KIND_WITH_ACK, linger_zero, false,
	  "server's close() (line 8) released the socket with SO_LINGER {1, 0}, an abortive close." },
	{ "case t\nclient: connect\n  send 100\n  wait server.closed\n  send 100\n  recv all\n"
	  "server: accept\n  recv 100\n  send 10\n  close\nexpect: no rst\n", RST_KIND_BARE,
	  sent_after_close, true,
	  "client sent 100 B (line 5) after server's close() (line 10) released the socket; the "
	  "closed socket refused them with a bare RST (TCPAbortOnData)." },
	{ "case t\nclient: connect\n  send 100\n  wait server.shutdown\n  send 100\n  recv all\n"
	  "server: accept\n  recv 100\n  shutdown rdwr\n  wait client.received\n  close\n"
	  "expect: no rst\n", RST_KIND_BARE, sent_after_shutdown, true,
	  "client sent 100 B (line 5) after server's shutdown(SHUT_RDWR) (line 9); the socket, shut "
	  "for reading though server still held it, refused them with a bare RST (TCPAbortOnData)." },
	{ "case t\nclient: connect\n  send 100\n  wait server.shutdown\n  send 100\n  recv all\n"
	  "server: accept\n  recv 100\n  shutdown rd\n  wait client.received\n  close\n"
	  "expect: no rst\n", RST_KIND_BARE, shut_no_send, false,
	  "data arrived after server's shutdown(SHUT_RD) (line 9); the socket, shut for reading "
	  "though server still held it, refused it with a bare RST." },
	{ TWO_ENDS "server: accept\n  recv 100\n  close\nexpect: no rst\n", RST_KIND_BARE,
	  closed_no_send, false, "data reached server's socket after server's close() (line 7) "
	  "released it; it answered with a bare RST." },
	{ "case t\nclient: connect\n  send 100\n  so_error\n  recv all\n"
	  "server: accept\n  send 10\n  close\nexpect: no rst\n", RST_KIND_WITH_ACK, hidden, false,
	  "server's close() (line 8) released the socket with 100 B unread (RFC 1122 4.2.2.13). "
	  "client's so_error step (line 4) read ECONNRESET first and cleared it, so its read loop "
	  "(line 5) ended with EOF." },
	{ TWO_ENDS "server: accept\n  fork\n  close\nserver.child: send 1\n  close\n"
	  "expect: no rst\n", RST_KIND_WITH_ACK, never_released, false, "(none)" },
};

/*
 * Issue 10: the cause is built from the ledgers and the wire, names the
 * process and the call; every sentence it can say, once each.
 */
START_TEST(cause_sentences)
{
	const struct cause_test *t = &cause_tests[_i];
	struct ledger ledgers[ROLE_COUNT];
	struct kcounter items[] = { { (char *)"TCPAbortOnData", 1 } };
	struct kcounters counters = { items, t->abort_on_data ? 1 : 0 };
	struct case_error err;
	struct case_file *cf;
	struct conn conn;
	char *text;
	int r;

	cf = case_parse_string("t.case", t->text, strlen(t->text), &err);
	ck_assert_msg(cf != NULL, "parse: %s", err.msg);
	for (r = 0; r < ROLE_COUNT; r++)
		ledger_init(&ledgers[r]);
	memset(&conn, 0, sizeof(conn));
	conn.first_fin_side = -1;
	conn.first_rst_side = SIDE_RESP;
	conn.half[SIDE_RESP].rst_count = 1;
	conn.half[SIDE_RESP].first_rst_kind = t->kind;
	t->set(ledgers);
	text = cause_of(cf, ledgers, &conn, &counters);
	ck_assert_str_eq(text, t->cause);
	free(text);
	case_free(cf);
}
END_TEST

/* A packet's time from a call: after the call began, by at most DUR. */
START_TEST(wire_time_from_a_call)
{
	static const struct {
		int64_t after_ns;	/* the RST's stamp minus the close's start */
		int64_t error_ns;	/* how well the clocks are known (a peer's) */
		bool clock;
		bool held;
		const char *observed;
	} examples[] = {
		{ 30000000, 0, true, true, "RST from server 30.000 ms after server.close began" },
		{ 100000000, 0, true, true, "RST from server 100.000 ms after server.close began" },
		{ 100000001, 0, true, false, "RST from server 100.000 ms after server.close began" },
		{ -2000000, 0, true, false, "RST from server 2.000 ms before server.close began" },
		{ 0, 0, false, false, "no capture clock to place server.close among the packets" },
		/* A peer's call, placed to within 0.1 ms: "before" by less is not before. */
		{ -84000, 100000, true, true,
		  "RST from server 0.084 ms before server.close began (the clocks known to +-0.100 ms)" },
		{ -184000, 100000, true, false,
		  "RST from server 0.184 ms before server.close began (the clocks known to +-0.100 ms)" },
	};
	const int64_t offset = INT64_C(1700000000000000000), close_at = 5000000000;
	size_t i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		struct fixture f;
		struct verdict_input in;

		fixture_init(&f, "expect: rst from server within 100ms of server.close\n");
		rst_from_server(&f, RST_KIND_WITH_ACK);
		f.conn.half[SIDE_RESP].first_rst_ts_ns = offset + close_at + examples[i].after_ns;
		f.ledgers[ROLE_SERVER].close.done = true;
		f.ledgers[ROLE_SERVER].close.at_ns = close_at;
		memset(&in, 0, sizeof(in));
		in.cf = f.cf;
		in.ledgers[ROLE_CLIENT] = &f.ledgers[ROLE_CLIENT];
		in.ledgers[ROLE_SERVER] = &f.ledgers[ROLE_SERVER];
		in.conn = &f.conn;
		in.counters = &f.counters;
		in.clock_offset_known = examples[i].clock;
		in.clock_offset_ns = offset;
		in.clock_error_ns = examples[i].error_ns;
		ck_assert_int_eq(verdict_compute(&in, &f.v), 0);
		ck_assert_msg(f.v.results[0].held == examples[i].held, "example %zu: %s", i,
		    f.v.results[0].observed);
		ck_assert_str_eq(f.v.results[0].observed, examples[i].observed);
		fixture_free(&f);
	}
	/* No RST at all: said so. */
	{
		struct fixture f;

		fixture_init(&f, "expect: rst from server within 100ms of server.close\n");
		fixture_judge(&f);
		ck_assert(!f.v.results[0].held);
		ck_assert_str_eq(f.v.results[0].observed, "no RST from server");
		fixture_free(&f);
	}
}
END_TEST

/* "inflight" is what SIOCOUTQ counts beyond SIOCOUTQNSD: sent, not acked. */
START_TEST(snapshot_inflight_is_unacked_less_unsent)
{
	static const struct {
		const char *expect;
		bool held;
	} examples[] = {
		{ "client.snapshot inflight = 1000", true },
		{ "client.snapshot inflight = 0", false },
		{ "client.snapshot unacked = 5000", true },
	};
	size_t i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		char expects[128];
		struct fixture f;
		struct queue_snapshot *q;

		snprintf(expects, sizeof(expects), "expect: %s\n", examples[i].expect);
		fixture_init_steps(&f, "case t\nclient: connect\n        snapshot\n"
		    "server: accept\n        close\n", expects);
		q = &f.ledgers[ROLE_CLIENT].snapshot;
		q->valid = true;
		q->unacked = 5000;
		q->unsent = 4000;
		fixture_judge(&f);
		ck_assert_msg(f.v.results[0].held == examples[i].held, "%s: %s",
		    examples[i].expect, f.v.results[0].observed);
		fixture_free(&f);
	}
}
END_TEST

/* Every kind of expectation reaches a judge that says what it observed. */
START_TEST(every_kind_is_judged)
{
	static const char *const lines[EXPECT_KIND_COUNT] = {
		[EXPECT_TEARDOWN] = "teardown fin",
		[EXPECT_RST] = "rst from server",
		[EXPECT_RECV_END] = "client.recv ends EOF",
		[EXPECT_SO_ERROR] = "client.so_error 0",
		[EXPECT_OUTCOME] = "server->client clean",
		[EXPECT_LOST] = "server->client lost = 0",
		[EXPECT_KERNEL] = "kernel OutRsts = 0",
		[EXPECT_SEND_ERRORS] = "client.send errors none",
		[EXPECT_DURATION] = "server.close took < 1s",
		[EXPECT_KILLED] = "client exits normally",
		[EXPECT_POLL] = "client.poll includes POLLIN",
		[EXPECT_DISCARDED] = "server->client discarded = 0",
		[EXPECT_SNAPSHOT] = "client.snapshot unread = 0",
		[EXPECT_CLOSE_RETURNS] = "server.close returns 0",
		[EXPECT_ORDER] = "fin from server before rst from server",
		[EXPECT_LOST_IN_FLIGHT] = "server->client lost in flight = 0",
		[EXPECT_RECV_STEP] = "client.recv 1 ends EOF",
		[EXPECT_WIRE_TIME] = "fin from server within 1s of server.close",
	};
	char expects[2048];
	size_t used = 0, i;
	struct fixture f;

	for (i = 0; i < EXPECT_KIND_COUNT; i++) {
		ck_assert_ptr_nonnull(lines[i]);
		used += (size_t)snprintf(expects + used, sizeof(expects) - used, "%s %s\n",
		    i == 0 ? "expect:" : "       ", lines[i]);
	}
	fixture_init_steps(&f, "case t\ntopology veth\ncapture both\nclient: connect\n"
	    "        send 10\n        poll\n        snapshot\n        recv all\n"
	    "server: accept\n        send 1000\n        close\n", expects);
	ck_assert_uint_eq(f.cf->nexpects, EXPECT_KIND_COUNT);
	fixture_judge(&f);
	for (i = 0; i < EXPECT_KIND_COUNT; i++) {
		ck_assert_int_eq(f.cf->expects[i].kind, (int)i);
		ck_assert_msg(f.v.results[i].observed[0] != '\0', "'%s' observed nothing",
		    lines[i]);
	}
	fixture_free(&f);
}
END_TEST

START_TEST(strbuf_grows_and_formats)
{
	struct strbuf sb;
	char *text;
	int i;

	strbuf_init(&sb);
	text = strbuf_finish(&sb);
	ck_assert_str_eq(text, "");
	free(text);
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	strbuf_adds(&sb, "end");
	strbuf_addc(&sb, '.');
	strbuf_add(&sb, "xyz", 1);
	ck_assert_uint_eq(sb.len, 2000 + 5);
	text = strbuf_finish(&sb);
	ck_assert_ptr_nonnull(text);
	ck_assert(strncmp(text, "0,1,2,", 6) == 0);
	ck_assert_str_eq(text + 2000, "end.x");
	ck_assert_uint_eq(sb.len, 0);
	free(text);
	strbuf_free(&sb);
}
END_TEST

/* The report of a run of f's case that never got going. */
static void
error_report(struct case_report *r, struct fixture *f)
{
	fixture_init(f, "expect: teardown fin\n");
	memset(r, 0, sizeof(*r));
	r->cf = f->cf;
	r->status = CASE_ERROR;
	r->family = 4;
}

/* The report is text in memory: a run that never got going is one line. */
START_TEST(report_of_an_error)
{
	struct case_report r;
	struct strbuf sb;
	struct fixture f;
	char *text;

	error_report(&r, &f);
	snprintf(r.error, sizeof(r.error), "no packet of the connection was captured");
	strbuf_init(&sb);
	report_append_text(&sb, &r);
	text = strbuf_finish(&sb);
	ck_assert_str_eq(text, "t: ERROR. no packet of the connection was captured.\n");
	free(text);
	report_append_json(&sb, &r);
	text = strbuf_finish(&sb);
	ck_assert(strncmp(text, "{\"case\":\"t\",\"file\":\"t.case\",\"status\":\"ERROR\","
	    "\"error\":\"no packet of the connection was captured\"", 94) == 0);
	ck_assert(text[strlen(text) - 1] == '}');
	ck_assert_int_eq(report_status_exit(r.status), 99);
	free(text);
	fixture_free(&f);
}
END_TEST

/* Each case's JSON record names the platform it ran on (null: unknown). */
START_TEST(report_names_the_platform)
{
	struct case_report r;
	struct platform plat;
	struct strbuf sb;
	struct fixture f;
	char *text;

	error_report(&r, &f);
	strbuf_init(&sb);
	report_append_json(&sb, &r);
	text = strbuf_finish(&sb);
	ck_assert_ptr_nonnull(strstr(text, ",\"platform\":null,"));
	free(text);
	memset(&plat, 0, sizeof(plat));
	snprintf(plat.os, sizeof(plat.os), "Linux");
	snprintf(plat.release, sizeof(plat.release), "6.12.3");
	r.platform = &plat;
	report_append_json(&sb, &r);
	text = strbuf_finish(&sb);
	ck_assert_ptr_nonnull(strstr(text, ",\"platform\":{\"os\":\"Linux\",\"release\":\"6.12.3\","));
	ck_assert(text[strlen(text) - 1] == '}');
	free(text);
	fixture_free(&f);
}
END_TEST

/* "expect linux >= 6.12:" is judged on 6.12 and later only. */
START_TEST(release_sections_judged_by_release)
{
	struct fixture f;

	fixture_init(&f, "expect linux >= 6.12: teardown fin\n"
	    "expect linux < 6.12: teardown rst\n");
	fixture_judge_on(&f, "linux", "6.1.0-28-cloud-amd64");
	ck_assert(f.v.results[0].skipped);
	ck_assert_str_eq(f.v.results[0].observed,
	    "not judged on linux 6.1.0-28-cloud-amd64 (for linux >= 6.12.0)");
	ck_assert(!f.v.results[1].skipped);
	ck_assert(!f.v.results[1].held);	/* teardown none, not rst */
	ck_assert(f.v.system_matched);
	verdict_free(&f.v);
	fixture_judge_on(&f, "linux", "6.12.1");
	ck_assert(!f.v.results[0].skipped);
	ck_assert(f.v.results[1].skipped);
	fixture_free(&f);
}
END_TEST

static Suite *
verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, truncated_splits_loss);
	tcase_add_test(tc, clean_needs_eof_and_no_rst);
	tcase_add_test(tc, hidden_reset);
	tcase_add_test(tc, delivered_but_reset);
	tcase_add_test(tc, corrupted_and_delivered);
	tcase_add_test(tc, lost_equals_unsent_at_close);
	tcase_add_test(tc, kernel_counter_and_so_error);
	tcase_add_test(tc, send_errors_call_by_call);
	tcase_add_test(tc, late_rst_refusing_data_matters);
	tcase_add_loop_test(tc, cause_sentences, 0, (int)(sizeof(cause_tests) /
	    sizeof(cause_tests[0])));
	tcase_add_test(tc, wire_time_from_a_call);
	tcase_add_test(tc, every_kind_is_judged);
	tcase_add_test(tc, snapshot_inflight_is_unacked_less_unsent);
	tcase_add_test(tc, strbuf_grows_and_formats);
	tcase_add_test(tc, report_of_an_error);
	tcase_add_test(tc, report_names_the_platform);
	tcase_add_test(tc, release_sections_judged_by_release);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(verdict_suite());
}
