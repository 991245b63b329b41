/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_units.c - sizes, durations and counts.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"
#include "testutil.h"

struct size_example {
	const char *text;
	uint64_t bytes;
};

static const struct size_example good_sizes[] = {
	{ "0", 0 },
	{ "100", 100 },
	{ "100B", 100 },
	{ "4K", 4000 },
	{ "4M", 4000000 },
	{ "4G", 4000000000ULL },
	{ "4KiB", 4096 },
	{ "4MiB", 4194304 },
	{ "4GiB", 4294967296ULL },
	{ "007", 7 },
	{ "18446744073709551615", UINT64_MAX },
	{ "18446744073709551615B", UINT64_MAX },
	{ "17179869183GiB", 17179869183ULL << 30 },
	{ "18446744073709551K", 18446744073709551000ULL },
};

static const char *const bad_sizes[] = {
	"", "K", "KiB", "B", "4k", "4kib", "4Kib", "4KB", "4 K", " 4", "4 ",
	"-1", "+1", "4.5K", "0x10", "4Ki", "4KiBB", "4BB", "1e3",
	"18446744073709551616",		/* UINT64_MAX + 1 */
	"99999999999999999999",
	"17179869184GiB",		/* exactly 2^64 */
	"18446744073709552K",
	"18446744073709551616B",
};

START_TEST(test_size_good)
{
	const struct size_example *ex = &good_sizes[_i];
	uint64_t bytes = 12345;

	ck_assert_msg(units_parse_size(ex->text, &bytes) == 0, "'%s' rejected",
	    ex->text);
	ck_assert_msg(bytes == ex->bytes, "'%s' gave %llu", ex->text,
	    (unsigned long long)bytes);
}
END_TEST

START_TEST(test_size_bad)
{
	uint64_t bytes = 12345;

	ck_assert_msg(units_parse_size(bad_sizes[_i], &bytes) == -1,
	    "'%s' accepted", bad_sizes[_i]);
	ck_assert_msg(bytes == 12345, "'%s' wrote a value on failure",
	    bad_sizes[_i]);
}
END_TEST

START_TEST(test_size_null)
{
	uint64_t bytes;

	ck_assert_int_eq(units_parse_size(NULL, &bytes), -1);
	/* The result may be ignored: a syntax check. */
	ck_assert_int_eq(units_parse_size("4KiB", NULL), 0);
}
END_TEST

START_TEST(test_size_k_differs_from_kib)
{
	uint64_t k, kib;

	ck_assert_int_eq(units_parse_size("1K", &k), 0);
	ck_assert_int_eq(units_parse_size("1KiB", &kib), 0);
	ck_assert_uint_eq(k, 1000);
	ck_assert_uint_eq(kib, 1024);
}
END_TEST

struct duration_example {
	const char *text;
	uint64_t ms;
};

static const struct duration_example good_durations[] = {
	{ "0ms", 0 },
	{ "0s", 0 },
	{ "250ms", 250 },
	{ "2s", 2000 },
	{ "1.5s", 1500 },
	{ "1.25s", 1250 },
	{ "0.001s", 1 },
	{ "1.500s", 1500 },
	{ "1.5000s", 1500 },		/* zeros past the millisecond */
	{ "10s", 10000 },
	{ "18446744073709551615ms", UINT64_MAX },
	{ "18446744073709551s", 18446744073709551000ULL },
	{ "18446744073709551.615s", UINT64_MAX },
};

static const char *const bad_durations[] = {
	"", "2", "1.5", "ms", "s", ".5s", "1.s", "1.5ms", "2S", "2MS",
	"2 s", " 2s", "-1s", "+1s", "2sec", "2m", "2h", "1.0005s", "1,5s",
	"1..5s", "2ss",
	"18446744073709551616ms",	/* UINT64_MAX + 1 */
	"18446744073709552s",		/* overflows when made ms */
	"18446744073709551.616s",
	"99999999999999999999s",
};

START_TEST(test_duration_good)
{
	const struct duration_example *ex = &good_durations[_i];
	uint64_t ms = 12345;

	ck_assert_msg(units_parse_duration(ex->text, &ms) == 0,
	    "'%s' rejected", ex->text);
	ck_assert_msg(ms == ex->ms, "'%s' gave %llu", ex->text,
	    (unsigned long long)ms);
}
END_TEST

START_TEST(test_duration_bad)
{
	uint64_t ms = 12345;

	ck_assert_msg(units_parse_duration(bad_durations[_i], &ms) == -1,
	    "'%s' accepted", bad_durations[_i]);
	ck_assert_msg(ms == 12345, "'%s' wrote a value on failure",
	    bad_durations[_i]);
}
END_TEST

START_TEST(test_duration_null)
{
	uint64_t ms;

	ck_assert_int_eq(units_parse_duration(NULL, &ms), -1);
	ck_assert_int_eq(units_parse_duration("1s", NULL), 0);
}
END_TEST

struct count_example {
	uint64_t value;
	const char *text;
};

static const struct count_example counts[] = {
	{ 0, "0" },
	{ 7, "7" },
	{ 999, "999" },
	{ 1000, "1,000" },
	{ 12345, "12,345" },
	{ 999999, "999,999" },
	{ 1000000, "1,000,000" },
	{ 4291584, "4,291,584" },
	{ UINT64_MAX, "18,446,744,073,709,551,615" },
};

START_TEST(test_format_count)
{
	char buf[64];

	ck_assert_ptr_eq(units_format_count(counts[_i].value, buf,
	    sizeof(buf)), buf);
	ck_assert_str_eq(buf, counts[_i].text);
}
END_TEST

START_TEST(test_format_count_small_buffer)
{
	char buf[8];

	/* Cut to fit and terminated, like snprintf. */
	memset(buf, 'x', sizeof(buf));
	ck_assert_ptr_eq(units_format_count(4291584, buf, 4), buf);
	ck_assert_str_eq(buf, "4,2");
	ck_assert_int_eq(buf[4], 'x');

	/* Size 0: nothing is written. */
	memset(buf, 'x', sizeof(buf));
	ck_assert_ptr_eq(units_format_count(1, buf, 0), buf);
	ck_assert_int_eq(buf[0], 'x');

	/* Exactly enough room. */
	ck_assert_str_eq(units_format_count(1000, buf, 6), "1,000");
	ck_assert_ptr_null(units_format_count(1, NULL, 0));
}
END_TEST

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
units_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("units");

	tc = tcase_create("size");
	tcase_add_loop_test(tc, test_size_good, 0, NELEMS(good_sizes));
	tcase_add_loop_test(tc, test_size_bad, 0, NELEMS(bad_sizes));
	tcase_add_test(tc, test_size_null);
	tcase_add_test(tc, test_size_k_differs_from_kib);
	suite_add_tcase(s, tc);

	tc = tcase_create("duration");
	tcase_add_loop_test(tc, test_duration_good, 0, NELEMS(good_durations));
	tcase_add_loop_test(tc, test_duration_bad, 0, NELEMS(bad_durations));
	tcase_add_test(tc, test_duration_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("count");
	tcase_add_loop_test(tc, test_format_count, 0, NELEMS(counts));
	tcase_add_test(tc, test_format_count_small_buffer);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return test_run_suite(units_suite());
}
