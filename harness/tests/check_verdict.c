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

static void
fixture_judge(struct fixture *f)
{
	struct verdict_input in;

	memset(&in, 0, sizeof(in));
	in.cf = f->cf;
	in.ledgers[ROLE_CLIENT] = &f->ledgers[ROLE_CLIENT];
	in.ledgers[ROLE_SERVER] = &f->ledgers[ROLE_SERVER];
	in.conn = &f->conn;
	in.counters = &f->counters;
	ck_assert_int_eq(verdict_compute(&in, &f->v), 0);
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
	};
	char expects[1024];
	size_t used = 0, i;
	struct fixture f;

	for (i = 0; i < EXPECT_KIND_COUNT; i++) {
		ck_assert_ptr_nonnull(lines[i]);
		used += (size_t)snprintf(expects + used, sizeof(expects) - used, "%s %s\n",
		    i == 0 ? "expect:" : "       ", lines[i]);
	}
	fixture_init_steps(&f, "case t\nclient: connect\n        send 10\n        poll\n"
	    "        recv all\nserver: accept\n        send 1000\n        close\n", expects);
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

/* The report is text in memory: a run that never got going is one line. */
START_TEST(report_of_an_error)
{
	struct case_report r;
	struct strbuf sb;
	struct fixture f;
	char *text;

	fixture_init(&f, "expect: teardown fin\n");
	memset(&r, 0, sizeof(r));
	r.cf = f.cf;
	r.status = CASE_ERROR;
	r.family = 4;
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
	tcase_add_test(tc, every_kind_is_judged);
	tcase_add_test(tc, strbuf_grows_and_formats);
	tcase_add_test(tc, report_of_an_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(verdict_suite());
}
