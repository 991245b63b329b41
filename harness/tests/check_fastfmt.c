/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_fastfmt.c - the hand formatters of "closeprobe analyze" (fastfmt.c)
 * against what printf(), strftime() and inet_ntop() write for the same
 * values (ranges, every digit-count boundary, rounding ties and a fixed
 * pseudo-random sample), and the arena the connection table allocates
 * from (arena.c).
 */
#include <check.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "arena.h"
#include "fastfmt.h"
#include "testutil.h"

enum {
	RANDOM_SAMPLES = 200000,
	SMALL_RANGE = 200000
};

/*
 * The loops check hundreds of thousands of values, and libcheck records
 * every assertion's place (a write to its pipe): each is asserted only
 * when it fails, with what was wrong.
 */
#define FAIL_UNLESS(cond, ...) \
	do { \
		if (!(cond)) \
			ck_assert_msg(cond, __VA_ARGS__); \
	} while (0)

/* xorshift64: the same sample on every run. */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* A random value of a random bit length (short numbers as often as long). */
static uint64_t
random_value(uint64_t *state)
{
	unsigned bits = (unsigned)(next_random(state) % 64) + 1;
	uint64_t v = next_random(state);

	return bits == 64 ? v : v & ((UINT64_C(1) << bits) - 1);
}

static void
check_u64(uint64_t v)
{
	char got[FASTFMT_ITEM_MAX], want[32];
	size_t n;

	snprintf(want, sizeof(want), "%" PRIu64, v);
	memset(got, 'x', sizeof(got));
	n = fastfmt_put_u64(got, v);
	FAIL_UNLESS(n == strlen(want) && memcmp(got, want, n) == 0, "u64 %s: got %.*s",
	    want, (int)n, got);
	FAIL_UNLESS(got[n] == 'x', "u64 %s: written past its end", want);
}

START_TEST(test_u64_small)
{
	uint64_t v;

	for (v = 0; v < SMALL_RANGE; v++)
		check_u64(v);
}
END_TEST

START_TEST(test_u64_boundaries)
{
	uint64_t p = 1;
	int i;

	for (i = 0; i < 20; i++) {
		check_u64(p - 1);
		check_u64(p);
		check_u64(p + 1);
		if (i < 19)
			p *= 10;
	}
	check_u64(UINT32_MAX - 1);
	check_u64(UINT32_MAX);
	check_u64((uint64_t)UINT32_MAX + 1);
	check_u64(UINT64_MAX - 1);
	check_u64(UINT64_MAX);
}
END_TEST

START_TEST(test_u64_random)
{
	uint64_t state = UINT64_C(0x9e3779b97f4a7c15);
	int i;

	for (i = 0; i < RANDOM_SAMPLES; i++)
		check_u64(random_value(&state));
}
END_TEST

/* "1,234,567" the slow way. */
static void
grouped_reference(char *out, uint64_t v)
{
	char digits[32];
	size_t len, i, o = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, v);
	len = strlen(digits);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void
check_grouped(uint64_t v)
{
	char got[FASTFMT_ITEM_MAX], want[FASTFMT_ITEM_MAX];
	size_t n;

	grouped_reference(want, v);
	n = fastfmt_put_grouped(got, v);
	FAIL_UNLESS(n == strlen(want) && memcmp(got, want, n) == 0, "grouped %s: got %.*s",
	    want, (int)n, got);
}

START_TEST(test_grouped)
{
	uint64_t state = UINT64_C(0x2545f4914f6cdd1d), v;
	int i;

	for (v = 0; v < SMALL_RANGE; v += 7)
		check_grouped(v);
	check_grouped(UINT64_MAX);
	for (i = 0; i < RANDOM_SAMPLES; i++)
		check_grouped(random_value(&state));
}
END_TEST

static void
check_seconds6(int64_t ns)
{
	char got[FASTFMT_ITEM_MAX], want[FASTFMT_ITEM_MAX];
	size_t n;

	snprintf(want, sizeof(want), "%.6f", (double)ns / 1e9);
	n = fastfmt_put_seconds6(got, ns);
	FAIL_UNLESS(n == strlen(want) && memcmp(got, want, n) == 0, "seconds6 %" PRId64
	    ": want %s, got %.*s", ns, want, (int)n, got);
}

START_TEST(test_seconds6)
{
	uint64_t state = UINT64_C(0x853c49e6748fea9b);
	int64_t ns;
	int i;

	/* Under a second, every rounding case, ties included. */
	for (ns = 0; ns < 3000000; ns += 13)
		check_seconds6(ns);
	for (ns = 0; ns < 2000; ns++) {
		check_seconds6(ns);
		check_seconds6(999999000 + ns);
		check_seconds6(INT64_C(1000000000) * 59 + 999999000 + ns);
	}
	check_seconds6(-1);
	check_seconds6(-1500);
	check_seconds6(INT64_MAX);
	check_seconds6(INT64_MIN);
	check_seconds6((INT64_C(1) << 50) - 1);
	check_seconds6(INT64_C(1) << 50);
	for (i = 0; i < RANDOM_SAMPLES; i++) {
		ns = (int64_t)(random_value(&state) >> 1);
		check_seconds6(ns);
		check_seconds6(ns / 1000 * 1000 + 500);		/* a tie */
		check_seconds6(-ns);
	}
}
END_TEST

static void
check_time(struct fastfmt *f, int64_t ts_ns)
{
	char got[FASTFMT_TIME_SIZE], want[FASTFMT_TIME_SIZE + 32];
	int64_t sec = ts_ns / 1000000000, nsec = ts_ns % 1000000000;
	time_t t;
	struct tm tm;
	size_t n;

	if (nsec < 0) {
		nsec += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	FAIL_UNLESS(gmtime_r(&t, &tm) != NULL, "gmtime_r(%" PRId64 ")", sec);
	if (tm.tm_year + 1900 >= 0 && tm.tm_year + 1900 <= 9999) {
		n = strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
		FAIL_UNLESS(n == 19, "strftime: %zu bytes", n);
		snprintf(want + n, sizeof(want) - n, ".%09" PRId64 "Z", nsec);
	} else
		snprintf(want, sizeof(want), "%" PRId64 ".%09" PRId64, sec,
		    nsec);
	n = fastfmt_put_time(f, got, ts_ns);
	FAIL_UNLESS(n == strlen(want) && memcmp(got, want, n) == 0, "time %" PRId64
	    ": want %s, got %.*s", ts_ns, want, (int)n, got);
}

START_TEST(test_time)
{
	uint64_t state = UINT64_C(0xda942042e4dd58b5);
	/* Every second a 64-bit count of ns reaches (1677 to 2262). */
	const int64_t lo = INT64_MIN / 1000000000 + 1;
	const int64_t hi = INT64_MAX / 1000000000 - 1;
	struct fastfmt f;
	int64_t sec, ts;
	int i;

	fastfmt_init(&f, stdout);
	/* The cached second: the same second, the next, and back. */
	ts = INT64_C(1700000000) * 1000000000;
	for (i = 0; i < 3000; i++)
		check_time(&f, ts + (int64_t)i * 1000003);
	check_time(&f, ts - 1);
	check_time(&f, 0);
	check_time(&f, -1);
	check_time(&f, INT64_MAX);
	check_time(&f, INT64_MIN);
	for (i = 0; i < RANDOM_SAMPLES; i++) {
		sec = lo + (int64_t)(next_random(&state) % (uint64_t)(hi - lo));
		check_time(&f, sec * 1000000000 +
		    (int64_t)(next_random(&state) % 1000000000));
	}
}
END_TEST

START_TEST(test_addr)
{
	uint64_t state = UINT64_C(0x5851f42d4c957f2d);
	char got[FASTFMT_ADDR_SIZE], want[INET6_ADDRSTRLEN];
	uint8_t addr[16];
	size_t n;
	int i, family, j;

	for (i = 0; i < RANDOM_SAMPLES; i++) {
		family = i % 2 == 0 ? AF_INET : AF_INET6;
		for (j = 0; j < 16; j++)
			/* Zero runs often, for IPv6's "::". */
			addr[j] = next_random(&state) % 3 == 0 ? 0 :
			    (uint8_t)next_random(&state);
		FAIL_UNLESS(inet_ntop(family, addr, want, sizeof(want)) != NULL, "inet_ntop");
		n = fastfmt_put_addr(got, family, addr);
		FAIL_UNLESS(n == strlen(want) && strcmp(got, want) == 0, "address %s: got %s",
		    want, got);
	}
}
END_TEST

START_TEST(test_json_string)
{
	static const struct {
		const char *in, *out;
	} examples[] = {
		{ "", "\"\"" },
		{ "plain.pcap", "\"plain.pcap\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "tab\there\nnl", "\"tab\\there\\nnl\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },		/* UTF-8 kept */
		{ "caf\xe9", "\"caf\\u00e9\"" },		/* Latin-1 not */
		{ "\xc3\xa9\xff", "\"\\u00c3\\u00a9\\u00ff\"" }
	};
	char buf[128];
	size_t i, n;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		ck_assert_uint_le(strlen(examples[i].out),
		    fastfmt_json_string_size(examples[i].in));
		n = fastfmt_put_json_string(buf, examples[i].in);
		ck_assert_uint_eq(n, strlen(examples[i].out));
		ck_assert_msg(memcmp(buf, examples[i].out, n) == 0,
		    "example %zu: %.*s", i, (int)n, buf);
	}
}
END_TEST

/* Through the buffer into a FILE *: more than fits, and one long text. */
START_TEST(test_buffer_to_file)
{
	static char big[FASTFMT_BUFFER_SIZE * 2 + 17];
	struct fastfmt *f = malloc(sizeof(*f));
	char *got = NULL, want[32];
	size_t got_len = 0, off = 0, n;
	FILE *out;
	uint64_t v;

	ck_assert_ptr_nonnull(f);
	out = open_memstream(&got, &got_len);
	ck_assert_ptr_nonnull(out);
	memset(big, 'b', sizeof(big));
	fastfmt_init(f, out);
	for (v = 0; v < 50000; v++) {
		fastfmt_u64(f, v);
		fastfmt_char(f, ' ');
	}
	fastfmt_mem(f, big, sizeof(big));
	fastfmt_spaces(f, 200);
	ck_assert_int_eq(fastfmt_flush(f), 0);
	ck_assert(!fastfmt_error(f));
	ck_assert_int_eq(fclose(out), 0);
	for (v = 0; v < 50000; v++) {
		n = (size_t)snprintf(want, sizeof(want), "%" PRIu64 " ", v);
		FAIL_UNLESS(off + n <= got_len && memcmp(got + off, want, n) == 0,
		    "number %" PRIu64, v);
		off += n;
	}
	ck_assert_uint_eq(got_len, off + sizeof(big) + 200);
	ck_assert(memcmp(got + off, big, sizeof(big)) == 0);
	for (n = 0; n < 200; n++)
		ck_assert_int_eq(got[off + sizeof(big) + n], ' ');
	free(got);
	free(f);
}
END_TEST

/* Objects enough for several huge blocks: aligned, apart, kept intact. */
START_TEST(test_arena)
{
	enum { OBJECT_SIZE = 1000, OBJECTS = 12000 };
	static unsigned char *objects[OBJECTS];
	struct arena a;
	int round, i;

	arena_init(&a, OBJECT_SIZE);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < OBJECTS; i++) {
			objects[i] = arena_alloc(&a);
			FAIL_UNLESS(objects[i] != NULL && (uintptr_t)objects[i] % 16 == 0,
			    "object %d: %p", i, (void *)objects[i]);
			memset(objects[i], (unsigned char)i, OBJECT_SIZE);
		}
		for (i = 0; i < OBJECTS; i++) {
			FAIL_UNLESS(objects[i][0] == (unsigned char)i &&
			    objects[i][OBJECT_SIZE - 1] == (unsigned char)i, "object %d overwritten", i);
		}
		arena_free_all(&a);	/* and the arena serves again */
	}
	arena_free_all(&a);		/* an empty arena: nothing to do */
}
END_TEST

static Suite *
fastfmt_suite(void)
{
	Suite *s = suite_create("fastfmt");
	TCase *tc;

	tc = tcase_create("numbers");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_u64_small);
	tcase_add_test(tc, test_u64_boundaries);
	tcase_add_test(tc, test_u64_random);
	tcase_add_test(tc, test_grouped);
	tcase_add_test(tc, test_seconds6);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_time);
	tcase_add_test(tc, test_addr);
	tcase_add_test(tc, test_json_string);
	tcase_add_test(tc, test_buffer_to_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("arena");
	tcase_add_test(tc, test_arena);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(fastfmt_suite());
}
