/*
 * check_pattern.c - the stream pattern: a function of the offset that
 * catches lost, duplicated and shifted bytes.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "testutil.h"

START_TEST(fill_matches_byte)
{
	uint8_t buf[1000];
	size_t i;

	/* Any starting offset, aligned or not, gives the same bytes. */
	pattern_fill(buf, sizeof(buf), 12345);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], pattern_byte(12345 + i));
	ck_assert_uint_eq(pattern_check(buf, sizeof(buf), 12345), sizeof(buf));
}
END_TEST

START_TEST(check_finds_first_bad_byte)
{
	uint8_t buf[4096];

	pattern_fill(buf, sizeof(buf), 0);
	buf[2049] ^= 0x01;
	ck_assert_uint_eq(pattern_check(buf, sizeof(buf), 0), 2049);
}
END_TEST

START_TEST(shifted_stream_does_not_match)
{
	uint8_t buf[256];
	uint64_t shift;

	/* A chunk lost in transit shifts the stream: the reader must notice. */
	for (shift = 1; shift <= 64; shift++) {
		pattern_fill(buf, sizeof(buf), 1000 + shift);
		ck_assert_uint_lt(pattern_check(buf, sizeof(buf), 1000), 16);
	}
}
END_TEST

START_TEST(large_offsets)
{
	uint8_t a[64], b[64];

	/* Past 4 GiB the pattern does not repeat what it wrote at 0. */
	pattern_fill(a, sizeof(a), 0);
	pattern_fill(b, sizeof(b), UINT64_C(1) << 32);
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
	ck_assert_uint_eq(pattern_check(b, sizeof(b), UINT64_C(1) << 32), sizeof(b));
}
END_TEST

static Suite *
pattern_suite(void)
{
	Suite *s = suite_create("pattern");
	TCase *tc = tcase_create("pattern");

	tcase_add_test(tc, fill_matches_byte);
	tcase_add_test(tc, check_finds_first_bad_byte);
	tcase_add_test(tc, shifted_stream_does_not_match);
	tcase_add_test(tc, large_offsets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(pattern_suite());
}
