/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * case_test.h - what the case language's unit tests share: the smallest
 * case, parsing that must succeed or fail with a message, the test files.
 *
 * The tests are in check_case.c (what parses, to what),
 * check_case_refuse.c (what is refused, with which message) and
 * check_case_names.c (names, comparisons and the vocabularies' tables),
 * check_case_words.c (the words and bounds of issue 10).
 */
#ifndef CLOSEPROBE_CASE_TEST_H
#define CLOSEPROBE_CASE_TEST_H

#include <check.h>

#include "case.h"

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define PATH "x.case"

/* The smallest case that parses, in pieces to put steps between. */
#define HEAD "case t\n"
#define CLIENT "client: connect\n"
#define SERVER "server: accept\n"
#define EXPECT "expect: no rst\n"
#define MINIMAL HEAD CLIENT SERVER EXPECT
#define VETH "topology veth\n"

struct case_file *parse(const char *text, struct case_error *err);
/* Parse text that must parse; the test fails with the message if not. */
struct case_file *parse_ok(const char *text);
/* Parse text that must fail with exactly this message. */
void assert_refused(const char *text, const char *expected);
/* $srcdir/harness/tests/cases/NAME, to free. */
char *test_file_path(const char *name);

/* The test cases of each file, for the suite in check_case.c. */
TCase *check_case_refuse_tcase(void);
TCase *check_case_long_tcase(void);
TCase *check_case_names_tcase(void);
TCase *check_case_words_tcase(void);

#endif
