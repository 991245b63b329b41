/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_fastpath.c - the connection tracker's fast path against its
 * general path: seeded random conversations (in order, reordered,
 * retransmitted, with holes, across sequence wrap, ended by FIN or RST
 * from either side or not at all, flipped or seen mid-stream, on many
 * 4-tuples at once, with port reuse and expiry) through
 * conn_table_add() and conn_table_add_general(); every connection must
 * come out the same, field by field, after every segment and when
 * finished (harness/fuzz/fastpath.c, fuzz_fastpath's driver).
 *
 * CHECK_FASTPATH_SEEDS=DIR also writes one input of each kind there
 * (how harness/fuzz/regress/fuzz_fastpath/ was made).
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fuzz/fastpath.h"
#include "testutil.h"

enum {
	SEEDS = 120,		/* inputs per kind */
	MAX_RECORDS = FASTPATH_MAX_RECORDS,	/* per input */
	LONG_GAP_MS = 255,	/* a record's largest time step */
	PAYLOAD_MAX = 255
};

/* How a conversation ends. */
enum ending {
	END_FIN_BOTH,
	END_FIN_CLIENT,
	END_FIN_SERVER,
	END_RST_CLIENT,
	END_RST_SERVER,
	END_BARE_RST_SERVER,
	END_FIN_THEN_RST,
	END_FIN_RST_ONE_SEGMENT,
	END_NONE,
	END_COUNT
};

/* How a conversation starts. */
enum opening {
	OPEN_HANDSHAKE,
	OPEN_SYNACK_FIRST,	/* the SYN was not captured: Zeek's '^' */
	OPEN_MID_STREAM,	/* no handshake at all */
	OPEN_REFUSED,		/* SYN answered by RST */
	OPEN_COUNT
};

/* The mix of one kind of input. */
struct profile {
	const char *name;
	int tuples;		/* 4-tuples in use at once, 1..FASTPATH_TUPLES */
	int conversations;	/* per 4-tuple, one after the other */
	int data_segments;	/* at most, per conversation */
	unsigned ahead_pct, behind_pct, wrap_pct;	/* seq modes */
	unsigned ack_behind_pct, window0_pct, bidirectional_pct;
	bool any_opening, any_ending;
};

static const struct profile in_order = {
	"in-order", 1, 1, 400, 0, 0, 0, 5, 0, 10, false, false
};
static const struct profile reordered = {
	"reordered", 2, 1, 200, 6, 8, 1, 15, 3, 30, false, true
};
static const struct profile teardowns = {
	"teardowns", 3, 3, 40, 3, 5, 0, 10, 5, 50, true, true
};
static const struct profile many = {
	"many", FASTPATH_TUPLES, 4, 20, 4, 6, 2, 10, 3, 40, true, true
};

/* A seeded generator (xorshift64*) and the records it writes. */
struct gen {
	uint64_t state;
	uint8_t *buf;
	size_t len, cap;
};

static uint32_t
gen_rand(struct gen *g)
{
	g->state ^= g->state >> 12;
	g->state ^= g->state << 25;
	g->state ^= g->state >> 27;
	return (uint32_t)((g->state * UINT64_C(2685821657736338717)) >> 32);
}

static unsigned
gen_below(struct gen *g, unsigned n)
{
	return gen_rand(g) % n;
}

static bool
gen_pct(struct gen *g, unsigned pct)
{
	return gen_below(g, 100) < pct;
}

static void
gen_init(struct gen *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->state = seed * UINT64_C(0x9e3779b97f4a7c15) + 1;
	g->cap = MAX_RECORDS * FASTPATH_RECORD_SIZE;
	g->buf = malloc(g->cap);
	ck_assert_ptr_nonnull(g->buf);
}

/* One segment's record (see fastpath.h). */
struct rec {
	int tuple;
	bool from_server;
	enum fastpath_seq_mode mode;
	uint8_t flags, len, distance, isn_high;
	uint8_t ack_behind;	/* an int8_t's bits; 0: at the next byte */
	bool window0, ipv6;
};

/* A conversation's records, before they are interleaved with others. */
struct script {
	struct rec *recs;
	size_t count, cap, next;
};

static void
script_add(struct script *s, const struct rec *r)
{
	if (s->count == s->cap) {
		s->cap = s->cap > 0 ? s->cap * 2 : 64;
		s->recs = realloc(s->recs, s->cap * sizeof(*s->recs));
		ck_assert_ptr_nonnull(s->recs);
	}
	s->recs[s->count++] = *r;
}

static void
say(struct script *s, const struct rec *base, bool from_server,
    uint8_t flags, uint8_t len)
{
	struct rec r = *base;

	r.from_server = from_server;
	r.flags = flags;
	r.len = len;
	script_add(s, &r);
}

/* The data segments of one conversation. */
static void
converse(struct gen *g, const struct profile *p, struct script *s,
    const struct rec *base)
{
	bool server_sends = gen_pct(g, 30);
	struct rec r;
	int i, n = 1 + (int)gen_below(g, (unsigned)p->data_segments);
	unsigned mode;

	for (i = 0; i < n; i++) {
		r = *base;
		r.from_server = server_sends;
		if (gen_pct(g, p->bidirectional_pct))
			r.from_server = !r.from_server;
		mode = gen_below(g, 100);
		r.mode = mode < p->ahead_pct ? FASTPATH_SEQ_AHEAD :
		    mode < p->ahead_pct + p->behind_pct ? FASTPATH_SEQ_BEHIND :
		    mode < p->ahead_pct + p->behind_pct + p->wrap_pct ?
		    FASTPATH_SEQ_WRAP : FASTPATH_SEQ_NEXT;
		r.distance = (uint8_t)(1 + gen_below(g, 40));
		r.flags = TCP_FLAG_ACK | (gen_pct(g, 50) ? TCP_FLAG_PSH : 0);
		/* The receiver's bare ACKs, or data. */
		r.len = r.from_server == server_sends || gen_pct(g, 20) ?
		    (uint8_t)(1 + gen_below(g, PAYLOAD_MAX)) : 0;
		if (gen_pct(g, 10))
			r.len = 0;
		/* behind (1..127) or ahead (128..255, int8_t below 0) */
		r.ack_behind = gen_pct(g, p->ack_behind_pct) ?
		    (uint8_t)(1 + gen_below(g, 255)) : 0;
		r.window0 = gen_pct(g, p->window0_pct);
		script_add(s, &r);
	}
}

static void
open_conversation(struct gen *g, const struct profile *p, struct script *s,
    struct rec *base, bool reuse)
{
	enum opening o = p->any_opening ?
	    (enum opening)gen_below(g, OPEN_COUNT) : OPEN_HANDSHAKE;
	struct rec syn = *base;

	/* A later conversation on the 4-tuple: a new ISN, port reuse. */
	syn.isn_high = reuse ? (uint8_t)(1 + gen_below(g, 255)) : 0;
	switch (o) {
	case OPEN_HANDSHAKE:
		say(s, &syn, false, TCP_FLAG_SYN, 0);
		if (gen_pct(g, 10))	/* a retransmitted SYN */
			say(s, &syn, false, TCP_FLAG_SYN, 0);
		say(s, base, true, TCP_FLAG_SYN | TCP_FLAG_ACK, 0);
		say(s, base, false, TCP_FLAG_ACK, 0);
		break;
	case OPEN_SYNACK_FIRST:
		say(s, base, true, TCP_FLAG_SYN | TCP_FLAG_ACK, 0);
		say(s, base, false, TCP_FLAG_ACK, 0);
		break;
	case OPEN_MID_STREAM:
		break;
	case OPEN_REFUSED:
	case OPEN_COUNT:
		say(s, &syn, false, TCP_FLAG_SYN, 0);
		say(s, base, true, TCP_FLAG_RST | TCP_FLAG_ACK, 0);
		break;
	}
}

static void
end_conversation(struct gen *g, const struct profile *p, struct script *s,
    const struct rec *base)
{
	enum ending e = p->any_ending ?
	    (enum ending)gen_below(g, END_COUNT) : END_FIN_BOTH;
	bool who = gen_pct(g, 50);
	uint8_t fin = TCP_FLAG_FIN | TCP_FLAG_ACK;
	uint8_t rst = TCP_FLAG_RST | TCP_FLAG_ACK;

	switch (e) {
	case END_FIN_BOTH:
		say(s, base, who, fin, gen_pct(g, 30) ? 10 : 0);
		say(s, base, !who, TCP_FLAG_ACK, 0);
		say(s, base, !who, fin, 0);
		say(s, base, who, TCP_FLAG_ACK, 0);
		break;
	case END_FIN_CLIENT:
	case END_FIN_SERVER:
		say(s, base, e == END_FIN_SERVER, fin, 0);
		say(s, base, e != END_FIN_SERVER, TCP_FLAG_ACK, 0);
		/* data after the peer's FIN, answered by RST or not */
		say(s, base, e != END_FIN_SERVER, TCP_FLAG_ACK, 100);
		if (gen_pct(g, 50))
			say(s, base, e == END_FIN_SERVER, rst, 0);
		break;
	case END_RST_CLIENT:
	case END_RST_SERVER:
		say(s, base, e == END_RST_SERVER, rst, 0);
		break;
	case END_BARE_RST_SERVER:
		say(s, base, true, TCP_FLAG_RST, 0);
		break;
	case END_FIN_THEN_RST:
		say(s, base, who, fin, 0);
		say(s, base, who, rst, 0);
		break;
	case END_FIN_RST_ONE_SEGMENT:
		say(s, base, who, fin | TCP_FLAG_RST, 0);
		break;
	case END_NONE:
	case END_COUNT:
		break;
	}
	/* A late ACK, or the RST that answers it. */
	if (gen_pct(g, 20))
		say(s, base, !who, TCP_FLAG_ACK, 0);
}

static void
emit(struct gen *g, const struct rec *r)
{
	uint8_t *b;
	unsigned ms;

	if (g->len + FASTPATH_RECORD_SIZE > g->cap)
		return;
	/* Mostly close together; now and then long enough to expire. */
	ms = gen_below(g, 100);
	ms = ms < 90 ? gen_below(g, 3) : ms < 97 ? 60 : LONG_GAP_MS;
	b = g->buf + g->len;
	b[0] = (uint8_t)(r->tuple | (r->from_server ? 0x08 : 0) |
	    (unsigned)r->mode << 4 | (r->ack_behind ? 0x40 : 0) |
	    (r->window0 ? 0x80 : 0));
	b[1] = r->flags;
	b[2] = r->len;
	b[3] = r->distance;
	b[4] = (uint8_t)ms;
	b[5] = r->isn_high;
	b[6] = r->ack_behind;
	b[7] = r->ipv6 ? 1 : 0;
	g->len += FASTPATH_RECORD_SIZE;
}

/* A whole input of profile p: conversations, interleaved at random. */
static void
generate(struct gen *g, const struct profile *p)
{
	struct script scripts[FASTPATH_TUPLES];
	struct rec base;
	int t, c, live;

	memset(scripts, 0, sizeof(scripts));
	for (t = 0; t < p->tuples; t++) {
		memset(&base, 0, sizeof(base));
		base.tuple = t;
		base.flags = TCP_FLAG_ACK;
		base.mode = FASTPATH_SEQ_NEXT;
		base.ipv6 = gen_pct(g, 30);
		for (c = 0; c < p->conversations; c++) {
			open_conversation(g, p, &scripts[t], &base, c > 0);
			converse(g, p, &scripts[t], &base);
			end_conversation(g, p, &scripts[t], &base);
		}
	}
	do {
		live = 0;
		for (t = 0; t < p->tuples; t++)
			if (scripts[t].next < scripts[t].count)
				live++;
		if (live == 0)
			break;
		t = (int)gen_below(g, (unsigned)p->tuples);
		if (scripts[t].next < scripts[t].count)
			emit(g, &scripts[t].recs[scripts[t].next++]);
	} while (live > 0);
	for (t = 0; t < p->tuples; t++)
		free(scripts[t].recs);
}

static void
maybe_save(const char *kind, const struct gen *g)
{
	const char *dir = getenv("CHECK_FASTPATH_SEEDS");
	char path[4096];
	FILE *fp;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/seed-%s", dir, kind);
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(g->buf, 1, g->len, fp), g->len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* Totals over the inputs of one test, to show what was covered. */
struct tally {
	uint64_t inputs, segments, candidates, connections;
};

static void
run_input(const char *kind, uint64_t seed, const struct gen *g,
    struct tally *t)
{
	struct fastpath_result r;

	ck_assert_int_eq(fastpath_run(g->buf, g->len, &r), 0);
	ck_assert_msg(!r.differ, "%s, seed %llu: the paths differ: %s", kind,
	    (unsigned long long)seed, r.why);
	t->inputs++;
	t->segments += r.segments;
	t->candidates += r.candidates;
	t->connections += r.connections;
}

static struct tally
run_profile(const struct profile *p)
{
	struct tally t = { 0, 0, 0, 0 };
	struct gen g;
	uint64_t seed;

	for (seed = 1; seed <= SEEDS; seed++) {
		gen_init(&g, seed);
		generate(&g, p);
		if (seed == 1)
			maybe_save(p->name, &g);
		run_input(p->name, seed, &g, &t);
		free(g.buf);
	}
	return t;
}

START_TEST(paths_agree_in_order)
{
	struct tally t = run_profile(&in_order);

	/* Nearly everything is the fast path's kind of segment. */
	ck_assert_uint_gt(t.candidates, t.segments * 8 / 10);
	ck_assert_uint_ge(t.connections, SEEDS);
}
END_TEST

START_TEST(paths_agree_reordered)
{
	struct tally t = run_profile(&reordered);

	ck_assert_uint_gt(t.candidates, t.segments / 2);
}
END_TEST

START_TEST(paths_agree_teardowns)
{
	struct tally t = run_profile(&teardowns);

	ck_assert_uint_ge(t.connections, SEEDS * 3);
}
END_TEST

START_TEST(paths_agree_many_connections)
{
	struct tally t = run_profile(&many);

	ck_assert_uint_ge(t.connections, SEEDS * FASTPATH_TUPLES);
}
END_TEST

/* Records of random bytes, as the fuzzer starts out. */
START_TEST(paths_agree_random_records)
{
	struct tally t = { 0, 0, 0, 0 };
	struct gen g;
	uint64_t seed;
	size_t i;

	for (seed = 1; seed <= SEEDS; seed++) {
		gen_init(&g, seed + 1000);
		g.len = (size_t)gen_below(&g, MAX_RECORDS) * FASTPATH_RECORD_SIZE;
		for (i = 0; i < g.len; i++)
			g.buf[i] = (uint8_t)gen_rand(&g);
		/* Now and then a short last record, which is ignored. */
		if (seed % 7 == 0)
			g.len -= 3;
		if (seed == 1)
			maybe_save("random", &g);
		run_input("random", seed, &g, &t);
		free(g.buf);
	}
	ck_assert_uint_eq(t.inputs, SEEDS);
}
END_TEST

/* The driver itself: a clean exchange makes one SF connection. */
START_TEST(driver_clean_exchange)
{
	struct fastpath_result r;
	struct gen g;
	struct rec base;
	struct script s;

	gen_init(&g, 7);
	memset(&s, 0, sizeof(s));
	memset(&base, 0, sizeof(base));
	base.mode = FASTPATH_SEQ_NEXT;
	say(&s, &base, false, TCP_FLAG_SYN, 0);
	say(&s, &base, true, TCP_FLAG_SYN | TCP_FLAG_ACK, 0);
	say(&s, &base, false, TCP_FLAG_ACK, 0);
	say(&s, &base, false, TCP_FLAG_ACK | TCP_FLAG_PSH, 100);
	say(&s, &base, true, TCP_FLAG_ACK, 0);
	say(&s, &base, false, TCP_FLAG_FIN | TCP_FLAG_ACK, 0);
	say(&s, &base, true, TCP_FLAG_FIN | TCP_FLAG_ACK, 0);
	say(&s, &base, false, TCP_FLAG_ACK, 0);
	for (s.next = 0; s.next < s.count; s.next++)
		emit(&g, &s.recs[s.next]);
	ck_assert_int_eq(fastpath_run(g.buf, g.len, &r), 0);
	ck_assert(!r.differ);
	ck_assert_uint_eq(r.segments, 8);
	ck_assert_uint_eq(r.candidates, 4);
	ck_assert_uint_eq(r.connections, 1);
	/* A partial last record is no segment. */
	ck_assert_int_eq(fastpath_run(g.buf, FASTPATH_RECORD_SIZE + 5, &r), 0);
	ck_assert_uint_eq(r.segments, 1);
	ck_assert_int_eq(fastpath_run(NULL, 0, &r), 0);
	ck_assert_uint_eq(r.segments, 0);
	free(s.recs);
	free(g.buf);
}
END_TEST

static Suite *
fastpath_suite(void)
{
	Suite *s = suite_create("fastpath");
	TCase *tc = tcase_create("differential");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, driver_clean_exchange);
	tcase_add_test(tc, paths_agree_in_order);
	tcase_add_test(tc, paths_agree_reordered);
	tcase_add_test(tc, paths_agree_teardowns);
	tcase_add_test(tc, paths_agree_many_connections);
	tcase_add_test(tc, paths_agree_random_records);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(fastpath_suite());
}
