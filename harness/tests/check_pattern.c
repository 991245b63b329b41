/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_pattern.c - the stream pattern: a function of the offset that
 * catches lost, duplicated and shifted bytes; and a role that checks it
 * on a real socket, run behind a role_io of the test's own (no shared
 * memory, no supervisor), as any transport could carry it.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "events.h"
#include "ledger.h"
#include "monotime.h"
#include "pattern.h"
#include "role.h"
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

/*
 * Word-at-a-time fill and check against the definition, a byte at a time:
 * random stream offsets (aligned or not), lengths (below a block, around
 * it, many blocks) and buffer addresses (aligned or not), from a fixed
 * seed so that a failure repeats.
 */
enum { RANDOM_ROUNDS = 4000, RANDOM_LEN_MAX = 3000, GUARD = 16 };

static uint64_t
next_random(uint64_t *state)
{
	/* xorshift64*: deterministic, good enough to pick cases. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* A random case: an offset below 2^62 (stream offsets never wrap), a
 * length, mostly short, and a misalignment of the buffer. */
static void
random_case(uint64_t *state, uint64_t *offset, size_t *len, size_t *misalign)
{
	uint64_t r = next_random(state);

	*offset = next_random(state) >> 2;
	if (r % 4 == 0)
		*offset %= 64;		/* near the start of the stream */
	*len = (size_t)(next_random(state) % (r % 3 == 0 ? RANDOM_LEN_MAX : 40));
	*misalign = (size_t)(next_random(state) % 8);
}

START_TEST(fill_matches_definition)
{
	static uint8_t area[RANDOM_LEN_MAX + 8 + 2 * GUARD];
	uint64_t state = 0x5eed1234abcdULL;
	int round;

	for (round = 0; round < RANDOM_ROUNDS; round++) {
		uint64_t offset;
		size_t len, misalign, i;
		uint8_t *buf;

		random_case(&state, &offset, &len, &misalign);
		memset(area, 0xa5, sizeof(area));
		buf = area + GUARD + misalign;
		pattern_fill(buf, len, offset);
		/* (Plain loops: an assertion per byte would be slow.) */
		for (i = 0; i < len && buf[i] == pattern_byte(offset + i); i++)
			;
		ck_assert_msg(i == len, "round %d: offset %llu len %zu: byte %zu differs",
		    round, (unsigned long long)offset, len, i);
		/* Not a byte written outside the buffer. */
		for (i = 0; i < sizeof(area) && (area[i] == 0xa5 ||
		    (i >= GUARD + misalign && i < GUARD + misalign + len)); i++)
			;
		ck_assert_msg(i == sizeof(area), "round %d: wrote outside, at %zd", round,
		    (ssize_t)i - (ssize_t)(GUARD + misalign));
	}
}
END_TEST

/* The definition of the check: the first byte that is not the pattern's. */
static size_t
check_by_byte(const uint8_t *buf, size_t len, uint64_t offset)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern_byte(offset + i))
			break;
	return i;
}

START_TEST(check_matches_definition)
{
	static uint8_t area[RANDOM_LEN_MAX + 8];
	uint64_t state = 0xc0ffee5eedULL;
	int round;

	for (round = 0; round < RANDOM_ROUNDS; round++) {
		uint64_t offset, r = next_random(&state);
		size_t len, misalign, i, want;
		uint8_t *buf;

		random_case(&state, &offset, &len, &misalign);
		buf = area + misalign;
		for (i = 0; i < len; i++)
			buf[i] = pattern_byte(offset + i);
		/* None, one or two bytes wrong, by any bit pattern. */
		if (len > 0 && r % 3 != 0)
			buf[next_random(&state) % len] ^= (uint8_t)(1 + r % 255);
		if (len > 0 && r % 3 == 2)
			buf[next_random(&state) % len] ^= (uint8_t)(1 + (r >> 8) % 255);
		want = check_by_byte(buf, len, offset);
		ck_assert_msg(pattern_check(buf, len, offset) == want,
		    "round %d: offset %llu len %zu: check says %zu, the definition %zu", round,
		    (unsigned long long)offset, len, pattern_check(buf, len, offset), want);
	}
}
END_TEST

START_TEST(check_finds_every_position)
{
	uint8_t buf[64 + 7];
	size_t start, bad;

	/* Each byte of a block, and each block of a buffer, at every alignment. */
	for (start = 0; start < 8; start++)
		for (bad = 0; bad < 64; bad++) {
			pattern_fill(buf + start, 64, 1000 + start);
			buf[start + bad] ^= 0x80;
			ck_assert_uint_eq(pattern_check(buf + start, 64, 1000 + start), bad);
		}
}
END_TEST

/* A role_io that keeps everything in the test's memory. */
struct test_io {
	struct ledger ledgers[ROLE_COUNT];
	unsigned records;
	bool raised[16];
	uint64_t streams[ROLE_ENDS][2];
};

static void
test_raise(void *ctx, size_t event)
{
	struct test_io *t = ctx;

	ck_assert_uint_lt(event, 16);
	t->raised[event] = true;
}

static int
test_wait(void *ctx, size_t event, int64_t deadline_ns)
{
	struct test_io *t = ctx;

	(void)deadline_ns;
	return t->raised[event] ? 0 : ETIMEDOUT;
}

static void
test_record(void *ctx, enum role_id role, const struct ledger *ledger)
{
	struct test_io *t = ctx;

	t->ledgers[role] = *ledger;
	t->records++;
}

static uint64_t
test_stream_advance(void *ctx, enum role_id end, enum role_stream stream, uint64_t n)
{
	struct test_io *t = ctx;
	uint64_t before = t->streams[end][stream];

	t->streams[end][stream] += n;
	return before;
}

/*
 * The server role of "accept, recv all, close" reads len pattern bytes
 * (bad_at: one of them wrong, or len for none) sent by a plain socket of
 * the test.  The recorded ledger is returned in *io.
 */
static void
serve_pattern(struct test_io *io, size_t len, size_t bad_at)
{
	static const char text[] = "case t\nclient: connect\n        send 1\n"
	    "server: accept\n        recv all\n        close\nexpect: teardown fin\n";
	struct role_io rio = { io, test_raise, test_wait, test_record, test_stream_advance };
	struct sockaddr_storage addr;
	struct sockaddr_in *in = (struct sockaddr_in *)&addr;
	socklen_t addrlen = sizeof(*in);
	struct role_context ctx;
	struct event_plan plan;
	struct case_error err;
	struct case_file *cf;
	char planerr[256];
	uint8_t *bytes;
	int listener, client;

	memset(io, 0, sizeof(*io));
	cf = case_parse_string("t.case", text, strlen(text), &err);
	ck_assert_msg(cf != NULL, "parse: %s", err.msg);
	ck_assert_int_eq(event_plan_build(&plan, cf, planerr, sizeof(planerr)), 0);
	ck_assert_uint_le(plan.count, 16);
	memset(&addr, 0, sizeof(addr));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(listener, 0);
	ck_assert_int_eq(bind(listener, (struct sockaddr *)in, addrlen), 0);
	ck_assert_int_eq(listen(listener, 1), 0);
	ck_assert_int_eq(getsockname(listener, (struct sockaddr *)in, &addrlen), 0);
	client = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(client, 0);
	ck_assert_int_eq(connect(client, (struct sockaddr *)in, addrlen), 0);
	bytes = malloc(len);
	ck_assert_ptr_nonnull(bytes);
	pattern_fill(bytes, len, 0);
	if (bad_at < len)
		bytes[bad_at] ^= 0x5a;
	/* Small enough for the socket buffers: sent before the role runs. */
	ck_assert_int_eq(send(client, bytes, len, 0), (ssize_t)len);
	ck_assert_int_eq(close(client), 0);
	free(bytes);

	memset(&ctx, 0, sizeof(ctx));
	ctx.cf = cf;
	ctx.events = &plan;
	ctx.io = &rio;
	ctx.listen_fd = listener;
	ctx.server_addr = &addr;
	ctx.server_addrlen = addrlen;
	ctx.case_deadline_ns = monotime_ns() + 5000000000LL;
	ck_assert_int_eq(role_run(&ctx, ROLE_SERVER), 0);
	ck_assert(io->raised[plan.done[ROLE_SERVER]]);
	ck_assert_uint_eq(io->streams[ROLE_SERVER][ROLE_STREAM_READ], len);
	event_plan_free(&plan);
	case_free(cf);
}

START_TEST(role_reads_the_pattern)
{
	struct test_io io;
	const struct ledger *l = &io.ledgers[ROLE_SERVER];

	serve_pattern(&io, 20000, 20000);
	ck_assert_int_eq(l->state, ROLE_STATE_FINISHED);
	ck_assert_uint_eq(l->bytes_read, 20000);
	ck_assert(!l->corrupted);
	ck_assert_int_eq(l->read_end.kind, READ_RESULT_EOF);
	ck_assert(l->close.done);
	ck_assert_uint_gt(io.records, 3);
}
END_TEST

START_TEST(role_finds_a_wrong_byte)
{
	struct test_io io;
	const struct ledger *l = &io.ledgers[ROLE_SERVER];

	serve_pattern(&io, 20000, 12345);
	ck_assert_uint_eq(l->bytes_read, 20000);
	ck_assert(l->corrupted);
	ck_assert_uint_eq(l->first_bad_offset, 12345);
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
	tcase_add_test(tc, fill_matches_definition);
	tcase_add_test(tc, check_matches_definition);
	tcase_add_test(tc, check_finds_every_position);
	suite_add_tcase(s, tc);
	tc = tcase_create("role");
	tcase_add_test(tc, role_reads_the_pattern);
	tcase_add_test(tc, role_finds_a_wrong_byte);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(pattern_suite());
}
