/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_case_names.c - the case language's names: roles, steps,
 * outcomes, comparisons, errno values, signals; and its vocabularies'
 * tables, every row filled.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "case.h"
#include "case_test.h"

/* Helpers */

START_TEST(test_names)
{
	ck_assert_str_eq(case_role_name(ROLE_CLIENT), "client");
	ck_assert_str_eq(case_role_name(ROLE_SERVER), "server");
	ck_assert_str_eq(case_step_kind_name(STEP_CONNECT), "connect");
	ck_assert_str_eq(case_step_kind_name(STEP_ACCEPT), "accept");
	ck_assert_str_eq(case_step_kind_name(STEP_SEND), "send");
	ck_assert_str_eq(case_step_kind_name(STEP_RECV), "recv");
	ck_assert_str_eq(case_step_kind_name(STEP_SHUTDOWN), "shutdown");
	ck_assert_str_eq(case_step_kind_name(STEP_CLOSE), "close");
	ck_assert_str_eq(case_step_kind_name(STEP_SET), "set");
	ck_assert_str_eq(case_step_kind_name(STEP_WAIT), "wait");
	ck_assert_str_eq(case_step_kind_name(STEP_AWAIT), "await");
	ck_assert_str_eq(case_step_kind_name(STEP_RAISE), "raise");
	ck_assert_str_eq(case_step_kind_name(STEP_PAUSE), "pause");
	ck_assert_str_eq(case_step_kind_name(STEP_SO_ERROR), "so_error");
	ck_assert_str_eq(case_step_kind_name(STEP_SNAPSHOT), "snapshot");
	ck_assert_str_eq(case_step_kind_name(STEP_FORK), "fork");
	ck_assert_str_eq(case_step_kind_name(STEP_DUP), "dup");
	ck_assert_str_eq(case_step_kind_name(STEP_EXIT), "exit");
	ck_assert_str_eq(case_step_kind_name(STEP_POLL), "poll");
	ck_assert_str_eq(case_step_kind_name(STEP_DRAIN), "drain");
	ck_assert_str_eq(case_step_kind_name(STEP_LINGERING_CLOSE),
	    "lingering-close");
	ck_assert_str_eq(case_role_name(ROLE_CLIENT_CHILD), "client.child");
	ck_assert_str_eq(case_role_name(ROLE_SERVER_CHILD), "server.child");
	ck_assert(!case_role_is_child(ROLE_CLIENT));
	ck_assert(!case_role_is_child(ROLE_SERVER));
	ck_assert(case_role_is_child(ROLE_CLIENT_CHILD));
	ck_assert(case_role_is_child(ROLE_SERVER_CHILD));
	ck_assert_int_eq(case_role_end(ROLE_CLIENT), ROLE_CLIENT);
	ck_assert_int_eq(case_role_end(ROLE_SERVER), ROLE_SERVER);
	ck_assert_int_eq(case_role_end(ROLE_CLIENT_CHILD), ROLE_CLIENT);
	ck_assert_int_eq(case_role_end(ROLE_SERVER_CHILD), ROLE_SERVER);
	ck_assert_str_eq(case_outcome_name(OUTCOME_CLEAN), "clean");
	ck_assert_str_eq(case_outcome_name(OUTCOME_DELIVERED), "delivered");
	ck_assert_str_eq(case_outcome_name(OUTCOME_DELIVERED_BUT_RESET),
	    "delivered-but-reset");
	ck_assert_str_eq(case_outcome_name(OUTCOME_HIDDEN_RESET), "hidden-reset");
	ck_assert_str_eq(case_outcome_name(OUTCOME_TRUNCATED), "truncated");
	ck_assert_str_eq(case_outcome_name(OUTCOME_CORRUPTED), "corrupted");
	ck_assert_str_eq(case_outcome_name(OUTCOME_NONE), "none");
	ck_assert_str_eq(case_teardown_expect_name(EXPECT_TEARDOWN_NONE), "none");
	ck_assert_str_eq(case_teardown_expect_name(EXPECT_TEARDOWN_FIN), "fin");
	ck_assert_str_eq(case_teardown_expect_name(EXPECT_TEARDOWN_HALF_FIN),
	    "half-fin");
	ck_assert_str_eq(case_teardown_expect_name(EXPECT_TEARDOWN_RST), "rst");
	ck_assert_str_eq(case_teardown_expect_name(EXPECT_TEARDOWN_FIN_THEN_RST),
	    "fin-then-rst");
	ck_assert_str_eq(case_compare_op_name(COMPARE_EQ), "=");
	ck_assert_str_eq(case_compare_op_name(COMPARE_NE), "!=");
	ck_assert_str_eq(case_compare_op_name(COMPARE_LT), "<");
	ck_assert_str_eq(case_compare_op_name(COMPARE_LE), "<=");
	ck_assert_str_eq(case_compare_op_name(COMPARE_GT), ">");
	ck_assert_str_eq(case_compare_op_name(COMPARE_GE), ">=");
	/* Out of range: a string, never NULL. */
	ck_assert_ptr_nonnull(case_role_name((enum role_id)99));
	ck_assert_ptr_nonnull(case_step_kind_name((enum step_kind)99));
	ck_assert_ptr_nonnull(case_outcome_name((enum direction_outcome)99));
	ck_assert_ptr_nonnull(case_teardown_expect_name(
	    (enum teardown_expect_class)99));
	ck_assert_ptr_nonnull(case_compare_op_name((enum compare_op)99));
}
END_TEST

START_TEST(test_compare)
{
	ck_assert(case_compare_u64(1, COMPARE_EQ, 1));
	ck_assert(!case_compare_u64(1, COMPARE_EQ, 2));
	ck_assert(case_compare_u64(1, COMPARE_NE, 2));
	ck_assert(!case_compare_u64(2, COMPARE_NE, 2));
	ck_assert(case_compare_u64(1, COMPARE_LT, 2));
	ck_assert(!case_compare_u64(2, COMPARE_LT, 2));
	ck_assert(case_compare_u64(2, COMPARE_LE, 2));
	ck_assert(!case_compare_u64(3, COMPARE_LE, 2));
	ck_assert(case_compare_u64(UINT64_MAX, COMPARE_GT, 0));
	ck_assert(!case_compare_u64(2, COMPARE_GT, 2));
	ck_assert(case_compare_u64(2, COMPARE_GE, 2));
	ck_assert(!case_compare_u64(1, COMPARE_GE, 2));
	ck_assert(!case_compare_u64(1, (enum compare_op)99, 1));

	ck_assert(case_compare_i64(-1, COMPARE_EQ, -1));
	ck_assert(case_compare_i64(-1, COMPARE_NE, 1));
	ck_assert(case_compare_i64(-1, COMPARE_LT, 0));
	ck_assert(!case_compare_i64(0, COMPARE_LT, -1));
	ck_assert(case_compare_i64(INT64_MIN, COMPARE_LE, INT64_MIN));
	ck_assert(case_compare_i64(0, COMPARE_GT, -1));
	ck_assert(!case_compare_i64(-2, COMPARE_GT, -1));
	ck_assert(case_compare_i64(INT64_MAX, COMPARE_GE, INT64_MAX));
	ck_assert(!case_compare_i64(-5, COMPARE_GE, 5));
	ck_assert(!case_compare_i64(1, (enum compare_op)99, 1));
}
END_TEST

START_TEST(test_errno_names)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{ "EOF", 0 },
		{ "ECONNRESET", ECONNRESET },
		{ "EPIPE", EPIPE },
		{ "ETIMEDOUT", ETIMEDOUT },
		{ "EAGAIN", EAGAIN },
		{ "ECONNABORTED", ECONNABORTED },
		{ "ENOTCONN", ENOTCONN },
		{ "ECONNREFUSED", ECONNREFUSED },
		{ "EHOSTUNREACH", EHOSTUNREACH },
		{ "ENETUNREACH", ENETUNREACH },
		{ "ESHUTDOWN", ESHUTDOWN },
		{ "EINTR", EINTR },
	};
	int value, i;

	for (i = 0; i < NELEMS(names); i++) {
		value = -1;
		ck_assert_int_eq(case_errno_from_name(names[i].name, &value), 0);
		ck_assert_int_eq(value, names[i].value);
		ck_assert_str_eq(case_errno_to_name(names[i].value), names[i].name);
	}
	/* A synonym reads, but the canonical name is written. */
	ck_assert_int_eq(case_errno_from_name("EWOULDBLOCK", &value), 0);
	ck_assert_int_eq(value, EAGAIN);
	ck_assert_str_eq(case_errno_to_name(EWOULDBLOCK), "EAGAIN");

	value = 12345;
	ck_assert_int_eq(case_errno_from_name("econnreset", &value), -1);
	ck_assert_int_eq(case_errno_from_name("", &value), -1);
	ck_assert_int_eq(case_errno_from_name("0", &value), -1);
	ck_assert_int_eq(case_errno_from_name(NULL, &value), -1);
	ck_assert_int_eq(value, 12345);
	ck_assert_int_eq(case_errno_from_name("EPIPE", NULL), 0);
	ck_assert_str_eq(case_errno_to_name(-1), "unknown-errno");
	ck_assert_str_eq(case_errno_to_name(99999), "unknown-errno");
}
END_TEST

START_TEST(test_signal_names)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {
		{ "SIGPIPE", SIGPIPE },
		{ "SIGKILL", SIGKILL },
		{ "SIGTERM", SIGTERM },
		{ "SIGINT", SIGINT },
		{ "SIGSEGV", SIGSEGV },
		{ "SIGABRT", SIGABRT },
		{ "SIGBUS", SIGBUS },
	};
	int value, i;

	for (i = 0; i < NELEMS(names); i++) {
		value = -1;
		ck_assert_int_eq(case_signal_from_name(names[i].name, &value), 0);
		ck_assert_int_eq(value, names[i].value);
		ck_assert_str_eq(case_signal_to_name(names[i].value),
		    names[i].name);
	}
	value = 12345;
	ck_assert_int_eq(case_signal_from_name("sigpipe", &value), -1);
	ck_assert_int_eq(case_signal_from_name("PIPE", &value), -1);
	ck_assert_int_eq(case_signal_from_name("SIGUSR1", &value), -1);
	ck_assert_int_eq(case_signal_from_name("", &value), -1);
	ck_assert_int_eq(case_signal_from_name(NULL, &value), -1);
	ck_assert_int_eq(value, 12345);
	ck_assert_int_eq(case_signal_from_name("SIGPIPE", NULL), 0);
	ck_assert_str_eq(case_signal_to_name(0), "unknown-signal");
	ck_assert_str_eq(case_signal_to_name(SIGUSR1), "unknown-signal");
}
END_TEST

/* Every table of the language has a complete row for every value. */
START_TEST(test_tables_complete)
{
	char gap[128];

	memset(gap, 'x', sizeof(gap));
	ck_assert_msg(case_check_tables(gap, sizeof(gap)) == 0, "%s", gap);
	ck_assert_str_eq(gap, "");
}
END_TEST

START_TEST(test_step_words)
{
	const struct step_word *w;
	int kind;

	for (kind = 0; kind < STEP_KIND_COUNT; kind++) {
		w = case_step_word((enum step_kind)kind);
		ck_assert_ptr_nonnull(w);
		ck_assert_ptr_nonnull(w->word);
		ck_assert_ptr_nonnull(w->help);
		ck_assert_str_eq(case_step_kind_name((enum step_kind)kind), w->word);
		/* The help begins with the step's own word. */
		ck_assert_msg(strncmp(w->help, w->word, strlen(w->word)) == 0,
		    "%s: %s", w->word, w->help);
	}
	ck_assert_ptr_null(case_step_word(STEP_KIND_COUNT));
	ck_assert_ptr_null(case_step_word((enum step_kind)-1));

	w = case_step_word(STEP_CONNECT);
	ck_assert_str_eq(w->event, "connected");
	ck_assert_uint_eq(w->flags, STEP_OPENS | STEP_CLIENT_ONLY);
	w = case_step_word(STEP_ACCEPT);
	ck_assert_uint_eq(w->flags, STEP_OPENS | STEP_SERVER_ONLY);
	w = case_step_word(STEP_LINGERING_CLOSE);
	ck_assert_str_eq(w->event, "closed");
	ck_assert(w->flags & STEP_CLOSES);
	ck_assert(case_step_word(STEP_DUP)->flags & STEP_DUPS);
	ck_assert(case_step_word(STEP_FORK)->flags & STEP_FORKS);
	ck_assert(case_step_word(STEP_EXIT)->flags & STEP_ENDS);
	ck_assert(case_step_word(STEP_SET)->flags & STEP_NEEDS_SOCKET);
	w = case_step_word(STEP_RAISE);
	ck_assert_ptr_null(w->event);
	ck_assert(w->flags & STEP_RAISES_NAMED);
	ck_assert_ptr_null(case_step_word(STEP_WAIT)->event);
}
END_TEST

START_TEST(test_expect_words)
{
	const struct expect_word *w;
	int kind;

	for (kind = 0; kind < EXPECT_KIND_COUNT; kind++) {
		w = case_expect_word((enum expect_kind)kind);
		ck_assert_ptr_nonnull(w);
		ck_assert_ptr_nonnull(w->form);
		ck_assert_ptr_nonnull(w->help);
	}
	ck_assert_ptr_null(case_expect_word(EXPECT_KIND_COUNT));
	ck_assert_str_eq(case_expect_word(EXPECT_TEARDOWN)->form,
	    "teardown CLASS [from END]");
}
END_TEST

START_TEST(test_directive_words)
{
	static const char *const words[] = {
		"case", "deadline", "family", "topology", "mtu", "offloads",
		"capture", "sysctl", "rate", "loss", "delay"
	};
	const struct directive_word *w;
	int i;

	for (i = 0; (w = case_directive_word((size_t)i)) != NULL; i++) {
		ck_assert_int_lt(i, NELEMS(words));
		ck_assert_str_eq(w->word, words[i]);
		ck_assert_ptr_nonnull(w->help);
		ck_assert_msg(strncmp(w->help, w->word, strlen(w->word)) == 0,
		    "%s: %s", w->word, w->help);
	}
	ck_assert_int_eq(i, NELEMS(words));
}
END_TEST

START_TEST(test_free_null)
{
	case_free(NULL);
}
END_TEST

TCase *
check_case_names_tcase(void)
{
	TCase *tc;

	tc = tcase_create("helpers");
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_errno_names);
	tcase_add_test(tc, test_signal_names);
	tcase_add_test(tc, test_free_null);
	tcase_add_test(tc, test_tables_complete);
	tcase_add_test(tc, test_step_words);
	tcase_add_test(tc, test_expect_words);
	tcase_add_test(tc, test_directive_words);
	return tc;
}
