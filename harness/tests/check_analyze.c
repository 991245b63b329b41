/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_analyze.c - "closeprobe analyze" on packets built here: Zeek's
 * conn_state and history, the loss-risk flags, the streaming table, every
 * link type, sequence wrap, port reuse, bad input and the command line.
 *
 * Connection-level tests feed struct tcp_segment to the tracker; file
 * tests write captures with pcap_open_dead() + pcap_dump() into a
 * mkdtemp() directory and run the command line (cmd_analyze_run()) or
 * the library (analyze_file()) on them.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "analyze.h"
#include "cmd_analyze.h"
#include "conntrack.h"
#include "decode.h"
#include "report.h"
#include "trace.h"
#include "testutil.h"

#define SYN	TCP_FLAG_SYN
#define ACK	TCP_FLAG_ACK
#define FIN	TCP_FLAG_FIN
#define RST	TCP_FLAG_RST
#define PSH	TCP_FLAG_PSH

enum {
	CLIENT_PORT = 40000,
	SERVER_PORT = 5001,
	FRAME_MAX = 256,
	WINDOW = 512,
	PATH_SIZE = 4096 + 64
};

enum who {
	CLIENT,
	SERVER
};

static const int64_t ts_start_ns = INT64_C(1700000000000000000);
static const int64_t ts_step_ns = 1000000;	/* 1 ms */

/* ---- a conversation: two endpoints and their next sequence numbers */

struct talk {
	int family;
	uint8_t addr[2][16];
	uint16_t port[2];
	uint32_t seq[2];
	int64_t ts_ns;
	uint64_t index;
	/* where the segments go: a table, or a file */
	struct conn_table *table;
	pcap_dumper_t *dumper;
	int linktype;
	int null_af;		/* DLT_NULL/LOOP address family value */
	bool null_big_endian;
	bool ipv6_hop_by_hop;	/* an extension header before TCP */
};

static void
talk_init(struct talk *t, int family, uint32_t client_isn,
    uint32_t server_isn)
{
	memset(t, 0, sizeof(*t));
	t->family = family;
	if (family == AF_INET) {
		t->addr[CLIENT][0] = 10;
		t->addr[CLIENT][3] = 1;
		t->addr[SERVER][0] = 10;
		t->addr[SERVER][3] = 2;
	} else {
		t->addr[CLIENT][0] = 0xfd;
		t->addr[CLIENT][15] = 1;
		t->addr[SERVER][0] = 0xfd;
		t->addr[SERVER][15] = 2;
	}
	t->port[CLIENT] = CLIENT_PORT;
	t->port[SERVER] = SERVER_PORT;
	t->seq[CLIENT] = client_isn;
	t->seq[SERVER] = server_isn;
	t->ts_ns = ts_start_ns;
}

/* The link-layer header for t->linktype; returns its length. */
static size_t
link_header(const struct talk *t, uint8_t *p)
{
	return test_put_link(p, t->linktype, t->family == AF_INET ?
	    TEST_ETHERTYPE_IPV4 : TEST_ETHERTYPE_IPV6, (uint32_t)t->null_af,
	    t->null_big_endian ? TEST_NULL_BIG_ENDIAN :
	    TEST_NULL_LITTLE_ENDIAN);
}

/* Frame a segment: link, IP (payload length claimed, not captured), TCP. */
static size_t
frame_segment(const struct talk *t, const struct tcp_segment *s,
    uint8_t *frame)
{
	struct test_tcp tcp = {
		.src_port = s->src_port,
		.dst_port = s->dst_port,
		.seq = s->seq,
		.ack = s->ack,
		.flags = s->flags,
		.window = s->window,
		.payload_len = s->payload_len
	};
	size_t len = link_header(t, frame), ext, l4_len;
	uint8_t *ip;

	l4_len = test_tcp_header_len(&tcp) + s->payload_len;
	if (t->family == AF_INET) {
		len += test_put_ipv4(frame + len, TEST_PROTO_TCP, s->src_addr,
		    s->dst_addr, 0, l4_len);
	} else {
		ip = frame + len;
		ext = t->ipv6_hop_by_hop ? 8 : 0;
		len += test_put_ipv6(ip, t->ipv6_hop_by_hop ? 0 : TEST_PROTO_TCP,
		    s->src_addr, s->dst_addr, ext + l4_len);
		if (ext > 0) {
			memset(ip + 40, 0, 8);
			ip[40] = TEST_PROTO_TCP;	/* length 0: 8 bytes */
			ip[42] = 1;	/* PadN */
			ip[43] = 4;
			len += ext;
		}
	}
	return len + test_put_tcp(frame + len, &tcp);
}

/* from sends flags with len payload bytes; returns the segment. */
static struct tcp_segment
say_window(struct talk *t, enum who from, uint8_t flags, uint32_t len,
    uint16_t window)
{
	enum who to = from == CLIENT ? SERVER : CLIENT;
	struct tcp_segment s;
	uint8_t frame[FRAME_MAX];
	size_t n;

	memset(&s, 0, sizeof(s));
	s.family = t->family;
	memcpy(s.src_addr, t->addr[from], 16);
	memcpy(s.dst_addr, t->addr[to], 16);
	s.src_port = t->port[from];
	s.dst_port = t->port[to];
	s.seq = t->seq[from];
	s.ack = (flags & ACK) ? t->seq[to] : 0;
	s.flags = flags;
	s.window = window;
	s.payload_len = len;
	s.ts_ns = t->ts_ns;
	t->index++;
	if (t->table != NULL)
		ck_assert_int_eq(conn_table_add(t->table, &s, t->index), 0);
	if (t->dumper != NULL) {
		n = frame_segment(t, &s, frame);
		test_dump_frame(t->dumper, t->ts_ns, false, frame, n, n + len);
	}
	t->ts_ns += ts_step_ns;
	if (!(flags & RST))
		t->seq[from] += len + ((flags & SYN) ? 1 : 0) +
		    ((flags & FIN) ? 1 : 0);
	return s;
}

static struct tcp_segment
say(struct talk *t, enum who from, uint8_t flags, uint32_t len)
{
	return say_window(t, from, flags, len, WINDOW);
}

static void
handshake(struct talk *t)
{
	say(t, CLIENT, SYN, 0);
	say(t, SERVER, SYN | ACK, 0);
	say(t, CLIENT, ACK, 0);
}

/* Request, response, server closes first, client closes: SF. */
static void
clean_exchange(struct talk *t)
{
	handshake(t);
	say(t, CLIENT, ACK | PSH, 100);
	say(t, SERVER, ACK, 0);
	say(t, SERVER, ACK | PSH, 1000);
	say(t, CLIENT, ACK, 0);
	say(t, SERVER, FIN | ACK, 0);
	say(t, CLIENT, ACK, 0);
	say(t, CLIENT, FIN | ACK, 0);
	say(t, SERVER, ACK, 0);
}

/* A keep-all table's only connection, finished. */
static const struct conn *
only_conn(struct conn_table *table)
{
	ck_assert_int_eq(conn_table_flush(table), 0);
	ck_assert_uint_eq(conn_table_count(table), 1);
	return conn_table_get(table, 0);
}

static struct conn_table *
talk_table(struct talk *t, uint32_t client_isn, uint32_t server_isn)
{
	talk_init(t, AF_INET, client_isn, server_isn);
	t->table = conn_table_new();
	ck_assert_ptr_nonnull(t->table);
	return t->table;
}

static void
assert_state(const struct conn *c, const char *state, const char *history)
{
	ck_assert_str_eq(conn_state_name(c->state), state);
	ck_assert_str_eq(c->history, history);
}

/* ---- conn_state, one test each, with Zeek's history */

START_TEST(state_s0)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	say(&t, CLIENT, SYN, 0);
	t.seq[CLIENT]--;
	say(&t, CLIENT, SYN, 0);	/* retransmitted: same seq, no letter */
	assert_state(only_conn(table), "S0", "S");
	conn_table_free(table);
}
END_TEST

START_TEST(state_s1)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	handshake(&t);
	say(&t, CLIENT, ACK | PSH, 10);
	say(&t, SERVER, ACK, 0);
	assert_state(only_conn(table), "S1", "ShADa");
	conn_table_free(table);
}
END_TEST

START_TEST(state_sf)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	clean_exchange(&t);
	c = only_conn(table);
	assert_state(c, "SF", "ShADadfF");
	ck_assert_uint_eq(c->half[SIDE_ORIG].size, 100);
	ck_assert_uint_eq(c->half[SIDE_RESP].size, 1000);
	ck_assert_uint_eq(c->flags, 0);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN);
	conn_table_free(table);
}
END_TEST

START_TEST(state_rej)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	say(&t, CLIENT, SYN, 0);
	t.seq[SERVER] = 0;
	say(&t, SERVER, RST | ACK, 0);
	c = only_conn(table);
	assert_state(c, "REJ", "Sr");
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_kind, RST_KIND_WITH_ACK);
	conn_table_free(table);
}
END_TEST

START_TEST(state_s2_s3)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	handshake(&t);
	say(&t, CLIENT, FIN | ACK, 0);
	assert_state(only_conn(table), "S2", "ShAF");
	conn_table_free(table);

	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, SERVER, FIN | ACK, 0);
	assert_state(only_conn(table), "S3", "ShAf");
	conn_table_free(table);
}
END_TEST

START_TEST(state_rsto_rstr)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	handshake(&t);
	say(&t, CLIENT, RST | ACK, 0);
	assert_state(only_conn(table), "RSTO", "ShAR");
	conn_table_free(table);

	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, CLIENT, ACK | PSH, 100);
	say(&t, SERVER, RST | ACK, 0);
	assert_state(only_conn(table), "RSTR", "ShADr");
	conn_table_free(table);
}
END_TEST

START_TEST(state_rstos0)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	say(&t, CLIENT, SYN, 0);
	say(&t, CLIENT, RST, 0);
	assert_state(only_conn(table), "RSTOS0", "SR");
	conn_table_free(table);
}
END_TEST

START_TEST(state_rstrh_shr)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	/* The SYN+ACK came first: its sender is the responder, '^'. */
	say(&t, SERVER, SYN | ACK, 0);
	say(&t, SERVER, RST, 0);
	c = only_conn(table);
	assert_state(c, "RSTRH", "^hr");
	ck_assert(c->flipped);
	ck_assert_uint_eq(c->port[SIDE_ORIG], CLIENT_PORT);
	conn_table_free(table);

	table = talk_table(&t, 100, 900);
	say(&t, SERVER, SYN | ACK, 0);
	say(&t, SERVER, FIN | ACK, 0);
	assert_state(only_conn(table), "SHR", "^hf");
	conn_table_free(table);
}
END_TEST

START_TEST(state_sh)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	say(&t, CLIENT, SYN, 0);
	say(&t, CLIENT, FIN, 0);
	assert_state(only_conn(table), "SH", "SF");
	conn_table_free(table);
}
END_TEST

START_TEST(state_oth)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	/* Mid-stream: no SYN either way. */
	say(&t, CLIENT, ACK | PSH, 100);
	say(&t, SERVER, ACK, 0);
	assert_state(only_conn(table), "OTH", "Da");
	conn_table_free(table);
}
END_TEST

START_TEST(fin_then_rst_is_still_sf)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	/*
	 * Zeek: after a FIN exchange an RST changes no endpoint state.  The
	 * teardown agrees: both sides had finished, the RST is late.
	 */
	clean_exchange(&t);
	say(&t, CLIENT, RST, 0);
	c = only_conn(table);
	assert_state(c, "SF", "ShADadfFR");
	ck_assert(conn_rst_is_late(c));
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN);
	conn_table_free(table);
}
END_TEST

START_TEST(state_names_round_trip)
{
	int i;

	for (i = 0; i < CONN_STATE_COUNT; i++)
		ck_assert_int_eq(conn_state_from_name(
		    conn_state_name((enum conn_state)i)), i);
	ck_assert_int_eq(conn_state_from_name("XX"), -1);
	ck_assert_int_eq(conn_state_from_name(NULL), -1);
	ck_assert_str_eq(conn_state_name(CONN_STATE_COUNT), "unknown");
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		ck_assert_uint_eq(conn_flag_from_name(conn_flag_name(
		    (enum conn_flag)(1u << i))), 1u << i);
	ck_assert_uint_eq(conn_flag_from_name("nope"), 0);
	ck_assert_str_eq(conn_flag_name((enum conn_flag)3), "unknown");
}
END_TEST

/* ---- history details */

START_TEST(history_scaled_letters)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;
	uint32_t seq;
	int i;

	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	seq = t.seq[SERVER];
	/* Ten retransmissions: 't' at the 1st and the 10th. */
	for (i = 0; i < 10; i++) {
		t.seq[SERVER] = seq - 1000;
		say(&t, SERVER, ACK, 1000);
	}
	/* Zero windows: 'W' at the 1st only, of 3. */
	for (i = 0; i < 3; i++)
		say_window(&t, CLIENT, ACK, 0, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->half[SIDE_RESP].retransmissions, 10);
	ck_assert_uint_eq(c->half[SIDE_ORIG].zero_windows, 3);
	ck_assert_str_eq(c->history, "ShAdttW");
	conn_table_free(table);
}
END_TEST

START_TEST(history_odd_flags)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	handshake(&t);
	say(&t, SERVER, FIN | RST | ACK, 0);
	say(&t, CLIENT, SYN | FIN | ACK, 0);
	ck_assert_str_eq(only_conn(table)->history, "ShAiQ");
	conn_table_free(table);
}
END_TEST

/* ---- loss-risk flags, each with a case that must not raise it */

START_TEST(flag_rst_unacked)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	say(&t, SERVER, ACK, 1000);
	say(&t, SERVER, ACK, 1000);
	t.seq[SERVER] -= 2000;		/* the client acks the first 1000 */
	say(&t, CLIENT, ACK, 0);
	t.seq[SERVER] += 2000;
	say(&t, SERVER, RST | ACK, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->flags, CONN_FLAG_RST_UNACKED);
	ck_assert_uint_eq(c->half[SIDE_RESP].unacked_at_rst, 2000);
	ck_assert_str_eq(conn_state_name(c->state), "RSTR");
	conn_table_free(table);

	/* The RST sender's peer had 2000 bytes it never acked: flagged. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, CLIENT, ACK, 1000);
	say(&t, SERVER, ACK, 0);
	say(&t, CLIENT, ACK, 1000);
	say(&t, CLIENT, ACK, 1000);
	say(&t, SERVER, RST | ACK, 0);	/* its ACK covers all: not counted */
	c = only_conn(table);
	ck_assert_uint_eq(c->flags, CONN_FLAG_RST_UNACKED);
	ck_assert_uint_eq(c->half[SIDE_RESP].unacked_at_rst, 0);
	ck_assert_uint_eq(c->half[SIDE_RESP].peer_unacked_at_rst, 2000);
	conn_table_free(table);

	/* Everything acked: no flag. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	say(&t, CLIENT, ACK, 0);
	say(&t, SERVER, RST | ACK, 0);
	ck_assert_uint_eq(only_conn(table)->flags, 0);
	conn_table_free(table);
}
END_TEST

START_TEST(flag_rst_after_fin_data)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	/* The pipelining race: a request after the server's FIN. */
	handshake(&t);
	say(&t, CLIENT, ACK | PSH, 100);
	say(&t, SERVER, ACK | PSH, 1000);
	say(&t, SERVER, FIN | ACK, 0);
	say(&t, CLIENT, ACK | PSH, 100);
	say(&t, SERVER, RST, 0);
	c = only_conn(table);
	ck_assert(c->flags & CONN_FLAG_RST_AFTER_FIN_DATA);
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_kind, RST_KIND_BARE);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN_THEN_RST);
	conn_table_free(table);

	/* The same RST with no data after the FIN: no flag. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, CLIENT, ACK | PSH, 100);
	say(&t, SERVER, ACK | PSH, 1000);
	say(&t, CLIENT, ACK, 0);
	say(&t, SERVER, FIN | ACK, 0);
	say(&t, SERVER, RST, 0);
	ck_assert(!(only_conn(table)->flags & CONN_FLAG_RST_AFTER_FIN_DATA));
	conn_table_free(table);
}
END_TEST

START_TEST(flag_rst_zero_window)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);

	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	say_window(&t, CLIENT, ACK, 0, 0);
	say(&t, SERVER, RST | ACK, 0);
	ck_assert_uint_eq(only_conn(table)->flags, CONN_FLAG_RST_ZERO_WINDOW);
	conn_table_free(table);

	/* The window opened again before the RST: no flag. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	say_window(&t, CLIENT, ACK, 0, 0);
	say(&t, CLIENT, ACK, 0);
	say(&t, SERVER, RST | ACK, 0);
	ck_assert_uint_eq(only_conn(table)->flags, 0);
	conn_table_free(table);
}
END_TEST

START_TEST(flag_hole)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;
	uint32_t seq;

	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	seq = t.seq[SERVER];
	t.seq[SERVER] += 1000;		/* [1000, 2000) never captured */
	say(&t, SERVER, ACK, 1000);
	c = only_conn(table);
	ck_assert_uint_eq(c->flags, CONN_FLAG_HOLE);
	ck_assert_uint_eq(c->half[SIDE_RESP].hole_bytes, 1000);
	/* Never acknowledged: no content gap for Zeek. */
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 0);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 3000);
	conn_table_free(table);

	/* The hole filled late (reordering): no flag. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	seq = t.seq[SERVER];
	t.seq[SERVER] += 1000;
	say(&t, SERVER, ACK, 500);
	t.seq[SERVER] = seq + 1500;	/* split the hole, then fill both */
	say(&t, SERVER, ACK, 1000);
	t.seq[SERVER] = seq;
	say(&t, SERVER, ACK, 1200);
	t.seq[SERVER] = seq + 1200;
	say(&t, SERVER, ACK, 300);
	c = only_conn(table);
	ck_assert_uint_eq(c->flags, 0);
	ck_assert_uint_eq(c->half[SIDE_RESP].hole_bytes, 0);
	conn_table_free(table);
}
END_TEST

START_TEST(flag_hole_many)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;
	int i;

	/* More holes than are kept: the oldest are given up, still counted. */
	handshake(&t);
	for (i = 0; i < 200; i++) {
		say(&t, SERVER, ACK, 100);
		t.seq[SERVER] += 10;
	}
	c = only_conn(table);
	ck_assert_uint_eq(c->half[SIDE_RESP].hole_bytes, 199 * 10);
	ck_assert(c->flags & CONN_FLAG_HOLE);
	conn_table_free(table);
}
END_TEST

START_TEST(flag_acked_unseen)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	t.seq[SERVER] += 2000;		/* sent, never captured, acked */
	say(&t, CLIENT, ACK, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->flags, CONN_FLAG_ACKED_UNSEEN);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_unseen_bytes, 2000);
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 2000);
	ck_assert_str_eq(c->history, "ShAdg");
	conn_table_free(table);
}
END_TEST

/* Zeek counts a gap once, however many ACKs go past it. */
START_TEST(gap_counted_per_gap)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;
	int i;

	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	t.seq[SERVER] += 500;		/* [1000, 1500) never captured */
	say(&t, SERVER, ACK, 1000);
	for (i = 0; i < 12; i++)	/* ACKs past the hole, again and again */
		say(&t, CLIENT, ACK, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->half[SIDE_RESP].gaps, 1);
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 500);
	ck_assert_str_eq(c->history, "ShAdg");
	conn_table_free(table);

	/* Two holes under one ACK: two gaps, the scaled letter once. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, SERVER, ACK, 100);
	t.seq[SERVER] += 10;
	say(&t, SERVER, ACK, 100);
	t.seq[SERVER] += 20;
	say(&t, SERVER, ACK, 100);
	say(&t, CLIENT, ACK, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->half[SIDE_RESP].gaps, 2);
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 30);
	ck_assert_str_eq(c->history, "ShAdg");
	conn_table_free(table);

	/* One hole acked in two steps: two gaps, as Zeek reports them. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	say(&t, SERVER, ACK, 100);
	t.seq[SERVER] += 100;		/* [100, 200) never captured */
	say(&t, SERVER, ACK, 100);
	t.seq[SERVER] -= 150;
	say(&t, CLIENT, ACK, 0);	/* acks up to 150 */
	t.seq[SERVER] += 150;
	say(&t, CLIENT, ACK, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->half[SIDE_RESP].gaps, 2);
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 100);
	conn_table_free(table);
}
END_TEST

/* Gaps count only while both sides are established or closing cleanly. */
START_TEST(gap_needs_both_sides_established)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, 100, 900);
	const struct conn *c;

	/* A SYN+ACK first, the originator never seen: no 'G'. */
	say(&t, SERVER, SYN | ACK, 0);
	t.seq[CLIENT] += 300;		/* the client's data, never captured */
	say(&t, SERVER, ACK, 0);
	say(&t, SERVER, FIN | ACK, 0);
	c = only_conn(table);
	ck_assert_str_eq(c->history, "^haf");
	ck_assert_uint_eq(c->half[SIDE_ORIG].gaps, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].missed_bytes, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_unseen_bytes, 300);
	conn_table_free(table);

	/* The ACK on an RST does not count ... */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	t.seq[SERVER] += 300;
	say(&t, CLIENT, RST | ACK, 0);
	c = only_conn(table);
	ck_assert_str_eq(c->history, "ShAR");
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 0);
	conn_table_free(table);

	/* ... the one on a FIN after an established state does. */
	table = talk_table(&t, 100, 900);
	handshake(&t);
	t.seq[SERVER] += 300;
	say(&t, CLIENT, FIN | ACK, 0);
	c = only_conn(table);
	ck_assert_str_eq(c->history, "ShAFg");
	ck_assert_uint_eq(c->half[SIDE_RESP].missed_bytes, 300);
	conn_table_free(table);
}
END_TEST


/* ---- sequence wrap and port reuse */

START_TEST(wrap_and_64bit_counts)
{
	struct talk t;
	struct conn_table *table = talk_table(&t, UINT32_C(0xffffff00),
	    UINT32_C(0xfffff000));
	const struct conn *c;
	int i;

	handshake(&t);
	/* 6 GiB from the server: the sequence space wraps once. */
	for (i = 0; i < 98304; i++) {
		say(&t, SERVER, ACK, 65536);
		if (i % 16 == 15)
			say(&t, CLIENT, ACK, 0);
	}
	say(&t, SERVER, FIN | ACK, 0);
	say(&t, CLIENT, FIN | ACK, 0);
	say(&t, SERVER, ACK, 0);
	c = only_conn(table);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, UINT64_C(6) << 30);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, UINT64_C(6) << 30);
	ck_assert_uint_eq(c->half[SIDE_RESP].size, UINT64_C(6) << 30);
	ck_assert_uint_eq(c->half[SIDE_RESP].retransmissions, 0);
	ck_assert_uint_eq(c->flags, 0);
	assert_state(c, "SF", "ShAdfFa");
	conn_table_free(table);
}
END_TEST

/* ---- streaming mode */

struct collected {
	size_t calls;
	char states[64];
	uint64_t first_index[16];
	size_t max_count;
	struct conn_table *table;
	int fail_with;
};

static int
collect(const struct conn *c, void *arg)
{
	struct collected *col = arg;

	if (col->calls < 16)
		col->first_index[col->calls] = c->first_index;
	if (strlen(col->states) + 8 < sizeof(col->states)) {
		strcat(col->states, conn_state_name(c->state));
		strcat(col->states, " ");
	}
	col->calls++;
	if (col->fail_with != 0) {
		errno = col->fail_with;
		return -1;
	}
	return 0;
}

static struct conn_table *
streaming_table(struct collected *col, int64_t linger_ns, int64_t idle_ns)
{
	struct conn_stream_params params;

	memset(col, 0, sizeof(*col));
	memset(&params, 0, sizeof(params));
	params.linger_ns = linger_ns;
	params.idle_ns = idle_ns;
	params.done = collect;
	params.ctx = col;
	col->table = conn_table_new_streaming(&params);
	ck_assert_ptr_nonnull(col->table);
	return col->table;
}

/* Zeek's attempt timer: 5 s after an unanswered SYN, a new connection. */
START_TEST(attempt_timer_splits)
{
	struct conn_stream_params params;
	struct collected col;
	struct talk t;

	memset(&col, 0, sizeof(col));
	memset(&params, 0, sizeof(params));
	params.linger_ns = CONN_DEFAULT_LINGER_NS;
	params.attempt_ns = CONN_DEFAULT_ATTEMPT_NS;
	params.done = collect;
	params.ctx = &col;
	col.table = conn_table_new_streaming(&params);
	ck_assert_ptr_nonnull(col.table);
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	say(&t, CLIENT, SYN, 0);
	say(&t, CLIENT, ACK, 0);
	say(&t, CLIENT, ACK | PSH, 10);
	ck_assert_uint_eq(col.calls, 0);
	t.ts_ns += CONN_DEFAULT_ATTEMPT_NS;
	say(&t, CLIENT, ACK | PSH, 10);
	say(&t, CLIENT, FIN | ACK, 0);
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_str_eq(col.states, "S0 SH ");
	conn_table_free(col.table);

	/* Answered in time: one connection. */
	memset(&col, 0, sizeof(col));
	params.ctx = &col;
	col.table = conn_table_new_streaming(&params);
	ck_assert_ptr_nonnull(col.table);
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	say(&t, CLIENT, SYN, 0);
	t.ts_ns += CONN_DEFAULT_ATTEMPT_NS / 2;
	say(&t, SERVER, SYN | ACK, 0);
	t.ts_ns += CONN_DEFAULT_ATTEMPT_NS;
	say(&t, CLIENT, ACK, 0);
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_str_eq(col.states, "S1 ");
	conn_table_free(col.table);
}
END_TEST

START_TEST(streaming_frees_ended_connections)
{
	struct collected col;
	struct talk t;
	size_t count;
	int i;

	/* Kept while its own packets come (1 ms apart), no longer. */
	streaming_table(&col, ts_step_ns, 0);
	talk_init(&t, AF_INET, 1, 1);
	t.table = col.table;
	for (i = 0; i < 5000; i++) {
		t.port[CLIENT] = (uint16_t)(30000 + i);
		t.seq[CLIENT] = (uint32_t)i * 7919;
		clean_exchange(&t);
		count = conn_table_count(col.table);
		if (count > col.max_count)
			col.max_count = count;
	}
	/* Ended connections left as the next packets came. */
	ck_assert_uint_le(col.max_count, 2);
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_uint_eq(col.calls, 5000);
	ck_assert_uint_eq(conn_table_count(col.table), 0);
	conn_table_free(col.table);
}
END_TEST

/*
 * A connection complete (both FINs, both acked) is handed on with the
 * next segment and freed; its tomb absorbs late packets while Zeek would
 * still keep it, then the 4-tuple is free.  One with an RST lingers.
 */
START_TEST(streaming_retires_complete_connections)
{
	struct collected col;
	struct talk t;

	streaming_table(&col, CONN_DEFAULT_LINGER_NS, CONN_DEFAULT_IDLE_NS);
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	clean_exchange(&t);
	ck_assert_uint_eq(col.calls, 0);
	say(&t, SERVER, ACK, 0);	/* late: absorbed */
	ck_assert_uint_eq(col.calls, 1);
	ck_assert_str_eq(col.states, "SF ");
	ck_assert_uint_eq(conn_table_count(col.table), 0);
	ck_assert_uint_eq(conn_table_late_packets(col.table), 1);
	t.ts_ns += CONN_DEFAULT_LINGER_NS + ts_step_ns;
	say(&t, CLIENT, ACK, 0);	/* the tomb is gone: a new connection */
	ck_assert_uint_eq(conn_table_count(col.table), 1);
	ck_assert_uint_eq(conn_table_late_packets(col.table), 1);
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_str_eq(col.states, "SF OTH ");
	conn_table_free(col.table);

	/* An RST: kept, for what is still in flight. */
	streaming_table(&col, CONN_DEFAULT_LINGER_NS, CONN_DEFAULT_IDLE_NS);
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	handshake(&t);
	say(&t, CLIENT, RST | ACK, 0);
	say(&t, SERVER, ACK | PSH, 100);
	say(&t, CLIENT, RST, 0);
	ck_assert_uint_eq(col.calls, 0);
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_uint_eq(col.calls, 1);
	ck_assert_uint_eq(conn_table_late_packets(col.table), 0);
	conn_table_free(col.table);
}
END_TEST

START_TEST(streaming_port_reuse)
{
	struct collected col;
	struct talk t;

	streaming_table(&col, CONN_DEFAULT_LINGER_NS, CONN_DEFAULT_IDLE_NS);
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	clean_exchange(&t);
	ck_assert_uint_eq(col.calls, 0);	/* handed on with the next */
	/* Same 4-tuple, a new SYN with a new ISN: a new connection. */
	t.seq[CLIENT] = 50000;
	t.seq[SERVER] = 70000;
	say(&t, CLIENT, SYN, 0);
	ck_assert_uint_eq(col.calls, 1);
	ck_assert_str_eq(col.states, "SF ");
	say(&t, SERVER, RST | ACK, 0);
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_uint_eq(col.calls, 2);
	ck_assert_str_eq(col.states, "SF REJ ");
	ck_assert_uint_eq(col.first_index[1], 12);
	ck_assert_ptr_null(conn_table_find_ports(col.table, CLIENT_PORT,
	    SERVER_PORT));
	conn_table_free(col.table);
}
END_TEST

START_TEST(streaming_idle_and_order)
{
	struct collected col;
	struct talk a, b;

	streaming_table(&col, CONN_DEFAULT_LINGER_NS, INT64_C(300000000000));
	talk_init(&a, AF_INET, 100, 900);
	talk_init(&b, AF_INET, 100, 900);
	a.table = b.table = col.table;
	b.port[CLIENT] = CLIENT_PORT + 1;
	b.index = 100;
	handshake(&b);			/* records 101..103 */
	a.index = 200;
	say(&a, CLIENT, SYN, 0);	/* record 201 */
	ck_assert_uint_eq(col.calls, 0);
	/* 301 s later: both open connections were idle too long. */
	b.ts_ns += INT64_C(301000000000);
	b.port[CLIENT] = CLIENT_PORT + 2;
	b.seq[CLIENT] = 5;
	b.index = 300;
	say(&b, CLIENT, SYN, 0);
	ck_assert_uint_eq(col.calls, 2);
	ck_assert_str_eq(col.states, "S1 S0 ");
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_uint_eq(col.calls, 3);
	conn_table_free(col.table);
}
END_TEST

START_TEST(streaming_flush_in_first_packet_order)
{
	struct collected col;
	struct talk t;
	int i;

	streaming_table(&col, CONN_DEFAULT_LINGER_NS, 0);
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	for (i = 0; i < 10; i++) {
		t.port[CLIENT] = (uint16_t)(20000 + i);
		say(&t, CLIENT, SYN, 0);
	}
	ck_assert_int_eq(conn_table_flush(col.table), 0);
	ck_assert_uint_eq(col.calls, 10);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(col.first_index[i], (uint64_t)i + 1);
	conn_table_free(col.table);
}
END_TEST

START_TEST(streaming_callback_failure)
{
	struct collected col;
	struct tcp_segment s;
	struct talk t;

	streaming_table(&col, ts_step_ns, 0);
	col.fail_with = EPIPE;
	talk_init(&t, AF_INET, 100, 900);
	clean_exchange(&t);		/* no table yet */
	t.table = NULL;
	talk_init(&t, AF_INET, 100, 900);
	t.table = col.table;
	clean_exchange(&t);
	t.table = NULL;
	t.port[CLIENT]++;
	s = say(&t, CLIENT, SYN, 0);
	s.ts_ns += 2 * ts_step_ns;
	errno = 0;
	ck_assert_int_eq(conn_table_add(col.table, &s, 99), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_uint_eq(col.calls, 1);
	ck_assert_uint_eq(conn_table_count(col.table), 0);
	/* The failed segment was not added; this one is, then flushed. */
	ck_assert_int_eq(conn_table_add(col.table, &s, 99), 0);
	ck_assert_uint_eq(conn_table_count(col.table), 1);
	errno = 0;
	ck_assert_int_eq(conn_table_flush(col.table), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_uint_eq(conn_table_count(col.table), 0);
	conn_table_free(col.table);

	ck_assert_ptr_null(conn_table_new_streaming(NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* ---- files: every link type, through the command line */

static pcap_t *
open_writer(struct talk *t, const char *path, int linktype, int snaplen)
{
	pcap_t *dead;

	t->linktype = linktype;
	t->dumper = test_dump_open(path, linktype, snaplen, false, &dead);
	return dead;
}

static void
close_writer(struct talk *t, pcap_t *dead)
{
	test_dump_close(t->dumper, dead);
	t->dumper = NULL;
}

/* Output of cmd_analyze_run(), NUL-terminated, and its status. */
struct run_result {
	int status;
	char *out;
	char *err;
};

static struct run_result
run_analyze(int argc, const char **argv)
{
	struct run_result r;
	size_t out_len, err_len;
	FILE *out, *err;

	out = open_memstream(&r.out, &out_len);
	err = open_memstream(&r.err, &err_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(err);
	r.status = cmd_analyze_run(argc, (char **)argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void
run_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
}

static struct run_result
analyze_json(const char *path)
{
	const char *argv[] = { "analyze", "--json", path };

	return run_analyze(3, argv);
}

static void
assert_has(const char *haystack, const char *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL,
	    "expected '%s' in:\n%s", needle, haystack);
}

static void
check_link(int linktype, int family, int null_af, bool big_endian,
    bool hop_by_hop)
{
	char path[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "link.pcap");
	talk_init(&t, family, 100, 900);
	t.null_af = null_af;
	t.null_big_endian = big_endian;
	t.ipv6_hop_by_hop = hop_by_hop;
	dead = open_writer(&t, path, linktype, 256);
	clean_exchange(&t);
	close_writer(&t, dead);

	r = analyze_json(path);
	ck_assert_msg(r.status == ANALYZE_OK, "status %d: %s", r.status, r.err);
	assert_has(r.out, "\"conn_state\":\"SF\"");
	assert_has(r.out, "\"history\":\"ShADadfF\"");
	assert_has(r.out, "\"orig_bytes\":100,\"resp_bytes\":1000");
	assert_has(r.out, family == AF_INET ? "\"id.orig_h\":\"10.0.0.1\"" :
	    "\"id.orig_h\":\"fd00::1\"");
	assert_has(r.out, "\"connections\":1,");
	assert_has(r.out, "\"records\":11,\"tcp\":11");
	run_free(&r);
}

START_TEST(link_ethernet_and_cooked)
{
	check_link(DLT_EN10MB, AF_INET, 0, false, false);
	check_link(DLT_EN10MB, AF_INET6, 0, false, true);
	check_link(DLT_LINUX_SLL, AF_INET, 0, false, false);
	check_link(DLT_LINUX_SLL, AF_INET6, 0, false, false);
	check_link(DLT_LINUX_SLL2, AF_INET, 0, false, false);
	check_link(DLT_LINUX_SLL2, AF_INET6, 0, false, true);
}
END_TEST

START_TEST(link_bsd_loopback)
{
	static const int inet6_values[] = { 10, 24, 28, 30 };
	size_t i;

	check_link(DLT_NULL, AF_INET, 2, false, false);
	check_link(DLT_NULL, AF_INET, 2, true, false);
	check_link(DLT_LOOP, AF_INET, 2, true, false);
	for (i = 0; i < sizeof(inet6_values) / sizeof(inet6_values[0]); i++) {
		check_link(DLT_NULL, AF_INET6, inet6_values[i], false, false);
		check_link(DLT_NULL, AF_INET6, inet6_values[i], true, false);
		check_link(DLT_LOOP, AF_INET6, inet6_values[i], true, true);
	}
}
END_TEST

START_TEST(link_raw)
{
	check_link(DLT_RAW, AF_INET, 0, false, false);
	check_link(DLT_RAW, AF_INET6, 0, false, true);
	check_link(DLT_IPV4, AF_INET, 0, false, false);
	check_link(DLT_IPV6, AF_INET6, 0, false, false);
}
END_TEST

START_TEST(file_not_tcp_counted)
{
	char path[PATH_SIZE];
	struct pcap_pkthdr h;
	struct run_result r;
	uint8_t frame[64];
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "mixed.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	handshake(&t);
	/* ARP, then a UDP datagram, then an IPv4 fragment of TCP. */
	memset(frame, 0, sizeof(frame));
	test_put16(frame + 12, 0x0806);
	memset(&h, 0, sizeof(h));
	h.caplen = h.len = 42;
	pcap_dump((u_char *)t.dumper, &h, frame);
	test_put16(frame + 12, 0x0800);
	frame[14] = 0x45;
	test_put16(frame + 16, 28);
	frame[23] = 17;
	pcap_dump((u_char *)t.dumper, &h, frame);
	frame[23] = 6;
	test_put16(frame + 20, 0x2000);	/* more fragments */
	pcap_dump((u_char *)t.dumper, &h, frame);
	/* A TSO segment of another connection, as captured: IP length 0. */
	{
		static const uint8_t a[4] = { 10, 9, 0, 1 }, b[4] = { 10, 9, 0, 2 };
		struct test_tcp seg = { .src_port = 4000, .dst_port = 80, .seq = 1,
		    .flags = ACK, .window = 1000, .payload_len = 8 };
		size_t n = test_put_ethernet(frame, 0x0800);

		n += test_put_ipv4(frame + n, 6, a, b, 0, 20 + 8);
		test_put16(frame + 14 + 2, 0);
		n += test_put_tcp(frame + n, &seg);
		h.caplen = h.len = (bpf_u_int32)(n + 8);
		ck_assert_uint_le(h.caplen, sizeof(frame));
		pcap_dump((u_char *)t.dumper, &h, frame);
	}
	say(&t, CLIENT, RST | ACK, 0);
	close_writer(&t, dead);

	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "\"records\":8,\"tcp\":5,\"not_tcp\":1,\"not_ip\":1,"
	    "\"fragments\":1,\"undecodable\":0,\"tunneled\":0,\"tunnel_too_deep\":0,"
	    "\"ip_length_zero\":1,\"oversize\":0,\"bad_timestamp\":0");
	assert_has(r.out, "\"conn_state\":\"RSTO\"");
	run_free(&r);
	{
		const char *argv[] = { "analyze", path };

		r = run_analyze(2, argv);
	}
	assert_has(r.out, ", 1 with IP length 0 (TSO or BIG TCP: length from the frame)");
	run_free(&r);
}
END_TEST

/* A clean exchange, then the port reused and refused: SF, then REJ. */
static void
write_reuse_capture(const char *path)
{
	struct talk t;
	pcap_t *dead;

	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	clean_exchange(&t);
	t.seq[CLIENT] = 123456;
	say(&t, CLIENT, SYN, 0);
	t.seq[SERVER] = 0;
	say(&t, SERVER, RST | ACK, 0);
	close_writer(&t, dead);
}

START_TEST(file_port_reuse_and_text)
{
	const char *argv[2];
	char path[PATH_SIZE];
	struct run_result r;

	test_tmpdir_path(path, sizeof(path), "reuse.pcap");
	write_reuse_capture(path);

	argv[0] = "analyze";
	argv[1] = path;
	r = run_analyze(2, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "SF     ShADadfF");
	assert_has(r.out, "REJ    Sr");
	assert_has(r.out, "resp/ack");
	assert_has(r.out, "summary: 2 connections in 1 file (0 bad)");
	assert_has(r.out, "SF 1 REJ 1");
	run_free(&r);
}
END_TEST

/* Byte counts grouped as "closeprobe run" prints them; a file column. */
START_TEST(file_table_columns)
{
	const char *argv[3];
	char path[PATH_SIZE], other[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "big.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	handshake(&t);
	say(&t, SERVER, ACK, 60000);
	say(&t, SERVER, ACK, 60000);
	say(&t, CLIENT, ACK, 0);
	say(&t, SERVER, FIN | ACK, 0);
	say(&t, CLIENT, FIN | ACK, 0);
	say(&t, SERVER, ACK, 0);
	close_writer(&t, dead);

	argv[0] = "analyze";
	argv[1] = path;
	r = run_analyze(2, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, " 0/0 ");
	assert_has(r.out, " 120,000/120,000 ");
	ck_assert(strncmp(r.out, "start ", 6) == 0);
	run_free(&r);

	/* Two files: each row starts with its file, under a "file" head. */
	test_tmpdir_path(other, sizeof(other), "reuse.pcap");
	write_reuse_capture(other);
	argv[2] = other;
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	ck_assert(strncmp(r.out, "file ", 5) == 0);
	assert_has(r.out, "big.pcap ");
	assert_has(r.out, "reuse.pcap ");
	run_free(&r);
}
END_TEST

/* A file name is escaped in JSON: quotes, controls, bytes that are not UTF-8. */
START_TEST(json_file_name_escaped)
{
	const char *argv[3];
	char path[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "we\"ird\t\xff.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	clean_exchange(&t);
	close_writer(&t, dead);
	argv[0] = "analyze";
	argv[1] = "--json";
	argv[2] = path;
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "we\\\"ird\\t\\u00ff.pcap\",\"first_packet\":1,");
	assert_has(r.out, "we\\\"ird\\t\\u00ff.pcap\",\"linktype\":");
	run_free(&r);
}
END_TEST

/* The "wire" object is the one "closeprobe run --json" writes, to the byte. */
static int
compare_wire(const struct conn *c, const char *file, void *arg)
{
	struct analyze_writer *writer;
	char *row = NULL, *wire = NULL;
	size_t row_len, wire_len;
	FILE *out;
	int *count = arg;

	(void)file;
	out = open_memstream(&row, &row_len);
	ck_assert_ptr_nonnull(out);
	writer = analyze_writer_new(out, true, 0);
	ck_assert_ptr_nonnull(writer);
	ck_assert_int_eq(analyze_writer_conn(writer, c, "x"), 0);
	ck_assert_int_eq(analyze_writer_flush(writer), 0);
	analyze_writer_free(writer);
	ck_assert_int_eq(fclose(out), 0);
	out = open_memstream(&wire, &wire_len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(report_json_wire(out, c), 0);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_ptr_nonnull(strstr(row, wire));
	ck_assert_uint_gt(wire_len, 20);
	free(row);
	free(wire);
	(*count)++;
	return 0;
}

START_TEST(json_wire_as_run_writes_it)
{
	struct analyze_options options = { .fail_on = 0 };
	struct analyze_file_result result;
	char path[PATH_SIZE];
	struct analyze *a;
	struct talk t;
	pcap_t *dead;
	int count = 0;

	test_tmpdir_path(path, sizeof(path), "wire.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	clean_exchange(&t);
	t.port[CLIENT]++;
	handshake(&t);
	t.ts_ns += 1234567;		/* times that are no round number */
	say(&t, SERVER, ACK, 1000);
	t.ts_ns += 500;			/* a tie at half a microsecond */
	say(&t, SERVER, RST | ACK, 0);
	say(&t, SERVER, RST, 0);
	t.port[CLIENT]++;
	say(&t, CLIENT, SYN, 0);
	say(&t, SERVER, RST | ACK, 0);
	close_writer(&t, dead);
	a = analyze_open(&options);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(analyze_file(a, path, compare_wire, &count, &result), 0);
	ck_assert_int_eq(count, 3);
	analyze_close(a);
}
END_TEST

/* Data the client never acks, then the server's RST: rst-unacked. */
static void
write_unacked_rst_capture(const char *path)
{
	struct talk t;
	pcap_t *dead;

	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	handshake(&t);
	say(&t, SERVER, ACK, 1000);
	say(&t, SERVER, RST | ACK, 0);
	close_writer(&t, dead);
}

START_TEST(fail_on_flags)
{
	const char *argv[5];
	char path[PATH_SIZE];
	struct run_result r;

	test_tmpdir_path(path, sizeof(path), "flags.pcap");
	write_unacked_rst_capture(path);

	argv[0] = "analyze";
	argv[1] = "--fail-on";
	argv[2] = "hole,rst-unacked";
	argv[3] = "--json";
	argv[4] = path;
	r = run_analyze(5, argv);
	ck_assert_int_eq(r.status, ANALYZE_FLAGGED);
	assert_has(r.out, "\"flags\":[\"rst-unacked\"]");
	assert_has(r.out, "\"fail_on_matched\":1,\"exit_status\":1");
	run_free(&r);

	argv[1] = "--fail-on=hole";
	argv[2] = path;
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	run_free(&r);

	argv[1] = "--fail-on=any";
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_FLAGGED);
	run_free(&r);

	/* Teardown classes and conn_states (the connection is RSTR). */
	argv[1] = "--fail-on=rst";
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_FLAGGED);
	assert_has(r.out, "fail-on:    1 connection matched");
	run_free(&r);

	argv[1] = "--fail-on=fin,half-fin,SF,REJ";
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "fail-on:    0 connections matched");
	run_free(&r);

	argv[1] = "--fail-on=REJ,RSTR";
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_FLAGGED);
	run_free(&r);

	argv[1] = "--fail-on=hole,bogus";
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	assert_has(r.err, "unknown word 'bogus'");
	run_free(&r);
}
END_TEST

START_TEST(usage_errors)
{
	const char *no_file[] = { "analyze", "--json" };
	const char *bad_option[] = { "analyze", "--jsn", "x.pcap" };
	const char *no_list[] = { "analyze", "--fail-on" };
	const char *empty_list[] = { "analyze", "--fail-on", ",", "x" };
	const char *help[] = { "analyze", "--help" };
	struct run_result r;

	r = run_analyze(2, no_file);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	assert_has(r.err, "no capture file");
	run_free(&r);
	r = run_analyze(3, bad_option);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	assert_has(r.err, "unknown option '--jsn'");
	run_free(&r);
	r = run_analyze(2, no_list);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	run_free(&r);
	r = run_analyze(4, empty_list);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	run_free(&r);
	r = run_analyze(2, help);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "usage: closeprobe analyze");
	run_free(&r);
}
END_TEST

START_TEST(stdin_input)
{
	const char *argv[] = { "analyze", "--json", "-" };
	char path[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;
	int fd;

	test_tmpdir_path(path, sizeof(path), "stdin.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	clean_exchange(&t);
	close_writer(&t, dead);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "\"file\":\"-\"");
	assert_has(r.out, "\"conn_state\":\"SF\"");
	run_free(&r);

	/* A bad capture on standard input: the message says (stdin). */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "closeprobe analyze: (stdin): ");
	assert_has(r.out, "\"file\":\"-\"");
	run_free(&r);
}
END_TEST

/* ---- bad input: a message naming file and record, partial report, 99 */

static void
write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(bad_wrong_magic)
{
	char path[PATH_SIZE];
	struct run_result r;

	test_tmpdir_path(path, sizeof(path), "garbage.pcap");
	write_bytes(path, "this is not a capture file at all", 33);
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, path);
	assert_has(r.out, "\"bad_files\":1");
	run_free(&r);

	test_tmpdir_path(path, sizeof(path), "missing.pcap");
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "missing.pcap");
	run_free(&r);
}
END_TEST

START_TEST(bad_truncated_file)
{
	char path[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "cut.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	clean_exchange(&t);
	close_writer(&t, dead);
	/* Cut into the last record's data: 11 records, the 11th cut. */
	ck_assert_int_eq(truncate(path, 24 + 11 * 16 + 11 * 54 - 10), 0);
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "cut.pcap: record 11: truncated");
	/* What was read is still reported: FINs both ways, no last ACK. */
	assert_has(r.out, "\"conn_state\":\"SF\"");
	assert_has(r.out, "\"records\":10,");
	run_free(&r);
}
END_TEST

START_TEST(bad_caplen_over_snaplen)
{
	static const uint8_t header[24] = {
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		64, 0, 0, 0, 1, 0, 0, 0		/* snap length 64, Ethernet */
	};
	uint8_t file[24 + 2 * 16 + 54 + 100];
	struct tcp_segment s;
	char path[PATH_SIZE];
	struct run_result r;
	struct talk t;
	size_t off = 0, n;

	memcpy(file, header, sizeof(header));
	off = sizeof(header);
	talk_init(&t, AF_INET, 100, 900);
	t.linktype = DLT_EN10MB;
	s = say(&t, CLIENT, SYN, 0);
	n = frame_segment(&t, &s, file + off + 16);
	memset(file + off, 0, 16);
	test_put32_le(file + off + 8, (uint32_t)n);
	test_put32_le(file + off + 12, (uint32_t)n);
	off += 16 + n;
	/* Record 2 claims 100 bytes, more than the snap length. */
	memset(file + off, 0, 16 + 100);
	test_put32_le(file + off + 8, 100);
	test_put32_le(file + off + 12, 100);
	off += 16 + 100;
	test_tmpdir_path(path, sizeof(path), "big.pcap");
	write_bytes(path, file, off);
	r = analyze_json(path);
	/* Read on: counted, warned about, the file is not bad. */
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.err, "big.pcap: warning: 1 record longer than the snap "
	    "length 64 (first: record 2, 100 bytes)");
	assert_has(r.out, "\"conn_state\":\"S0\"");
	run_free(&r);
}
END_TEST

START_TEST(bad_snaplen_and_linktype)
{
	char path[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "short.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 40);
	close_writer(&t, dead);
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "short.pcap: snap length 40 is too short");
	run_free(&r);

	test_tmpdir_path(path, sizeof(path), "atm.pcap");
	dead = open_writer(&t, path, DLT_JUNIPER_ATM1, 256);
	close_writer(&t, dead);
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "atm.pcap: unsupported link type JUNIPER_ATM1");
	run_free(&r);

	/* No IP on the link: said, skipped, not a bad file. */
	test_tmpdir_path(path, sizeof(path), "dbus.pcap");
	dead = open_writer(&t, path, DLT_DBUS, 256);
	close_writer(&t, dead);
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.err, "dbus.pcap: link type DBUS");
	assert_has(r.err, "carries no IP: skipped");
	assert_has(r.err, "1 file skipped");
	run_free(&r);
}
END_TEST

START_TEST(bad_headers_cut)
{
	char path[PATH_SIZE];
	struct pcap_pkthdr h;
	struct run_result r;
	uint8_t frame[64];
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(path, sizeof(path), "cutheaders.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	handshake(&t);
	memset(frame, 0, sizeof(frame));
	test_put16(frame + 12, 0x0800);
	frame[14] = 0x45;
	test_put16(frame + 16, 40);
	frame[23] = 6;
	memset(&h, 0, sizeof(h));
	h.caplen = 40;			/* IPv4 header, 6 bytes of TCP */
	h.len = 54;
	pcap_dump((u_char *)t.dumper, &h, frame);
	say(&t, CLIENT, FIN | ACK, 0);
	close_writer(&t, dead);
	r = analyze_json(path);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "cutheaders.pcap: record 4: captured length 40 is "
	    "too short for the headers");
	/* Records after the cut one were still read. */
	assert_has(r.out, "\"conn_state\":\"S2\"");
	run_free(&r);
}
END_TEST

START_TEST(several_files_one_bad)
{
	const char *argv[4];
	char good[PATH_SIZE], bad[PATH_SIZE];
	struct run_result r;
	struct talk t;
	pcap_t *dead;

	test_tmpdir_path(good, sizeof(good), "good.pcap");
	test_tmpdir_path(bad, sizeof(bad), "bad.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, good, DLT_EN10MB, 256);
	clean_exchange(&t);
	close_writer(&t, dead);
	write_bytes(bad, "xx", 2);
	argv[0] = "analyze";
	argv[1] = bad;
	argv[2] = good;
	argv[3] = NULL;
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.out, "summary: 1 connection in 2 files (1 bad)");
	run_free(&r);
}
END_TEST

/* ---- options anywhere: getopt_long() permutes */

static void
set_argv(const char **argv, const char *a0, const char *a1, const char *a2,
    const char *a3, const char *a4)
{
	argv[0] = a0;
	argv[1] = a1;
	argv[2] = a2;
	argv[3] = a3;
	argv[4] = a4;
}

START_TEST(options_after_files)
{
	const char *argv[5];
	char path[PATH_SIZE];
	struct run_result r;

	test_tmpdir_path(path, sizeof(path), "after.pcap");
	write_unacked_rst_capture(path);

	/* getopt_long() permutes argv: each run sets all of it. */
	set_argv(argv, "analyze", path, "--json", NULL, NULL);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_OK);
	assert_has(r.out, "{\"type\":\"conn\"");
	assert_has(r.out, "\"fail_on_matched\":0,\"exit_status\":0");
	run_free(&r);

	set_argv(argv, "analyze", path, "--fail-on", "rst-unacked", "--json");
	r = run_analyze(5, argv);
	ck_assert_int_eq(r.status, ANALYZE_FLAGGED);
	assert_has(r.out, "\"fail_on_matched\":1,\"exit_status\":1");
	run_free(&r);

	/* After "--" an option is a file name. */
	set_argv(argv, "analyze", "--", "--json", NULL, NULL);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_BAD_INPUT);
	assert_has(r.err, "closeprobe analyze: --json: ");
	assert_has(r.out, "summary: 0 connections in 1 file (1 bad)");
	run_free(&r);

	set_argv(argv, "analyze", path, "-x", NULL, NULL);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	assert_has(r.err, "unknown option '-x'\nusage: closeprobe analyze");
	run_free(&r);

	set_argv(argv, "analyze", path, "--json=yes", NULL, NULL);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	assert_has(r.err, "unknown option '--json=yes'");
	run_free(&r);

	set_argv(argv, "analyze", path, "--fail-on", NULL, NULL);
	r = run_analyze(3, argv);
	ck_assert_int_eq(r.status, ANALYZE_USAGE);
	ck_assert_str_eq(r.err,
	    "closeprobe analyze: --fail-on needs a list of flags, teardowns "
	    "or conn_states\n");
	ck_assert_str_eq(r.out, "");
	run_free(&r);
}
END_TEST

/* ---- the library: connections to a callback, errors as values */

struct seen {
	int count;
	enum conn_state state[4];
	char file[PATH_SIZE];
	int fail_at;		/* fail on this connection (1-based), or 0 */
};

static int
collect_conn(const struct conn *c, const char *file, void *arg)
{
	struct seen *seen = arg;

	if (seen->count < 4)
		seen->state[seen->count] = c->state;
	seen->count++;
	snprintf(seen->file, sizeof(seen->file), "%s", file);
	if (seen->count == seen->fail_at) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

START_TEST(library_streams_connections)
{
	struct analyze_options options = { .fail_on = CONN_FLAG_RST_UNACKED };
	const struct analyze_totals *totals;
	struct analyze_file_result result;
	struct seen seen;
	char path[PATH_SIZE];
	struct analyze *a;

	test_tmpdir_path(path, sizeof(path), "lib.pcap");
	write_reuse_capture(path);

	a = analyze_open(&options);
	ck_assert_ptr_nonnull(a);
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(analyze_file(a, path, collect_conn, &seen, &result),
	    0);
	ck_assert(!result.failed);
	ck_assert_str_eq(result.file, path);
	ck_assert_str_eq(seen.file, path);
	ck_assert_int_eq(seen.count, 2);
	ck_assert_int_eq(seen.state[0], CONN_STATE_SF);
	ck_assert_int_eq(seen.state[1], CONN_STATE_REJ);
	ck_assert_uint_eq(result.stats.records, 13);
	/* A second time, without a callback: the totals add up. */
	ck_assert_int_eq(analyze_file(a, path, NULL, NULL, &result), 0);
	totals = analyze_totals(a);
	ck_assert_uint_eq(totals->files, 2);
	ck_assert_uint_eq(totals->bad_files, 0);
	ck_assert_uint_eq(totals->connections, 4);
	ck_assert_uint_eq(totals->per_state[CONN_STATE_SF], 2);
	ck_assert_uint_eq(totals->per_state[CONN_STATE_REJ], 2);
	ck_assert_uint_eq(totals->per_teardown[TEARDOWN_FIN], 2);
	ck_assert_uint_eq(totals->records.records, 26);
	ck_assert_uint_eq(totals->flagged, 0);
	ck_assert_int_eq(analyze_status(a), ANALYZE_OK);

	/* The callback's failure stops the file, with its record. */
	memset(&seen, 0, sizeof(seen));
	seen.fail_at = 1;
	ck_assert_int_eq(analyze_file(a, path, collect_conn, &seen, &result),
	    -1);
	ck_assert(result.failed);
	assert_has(result.error, "lib.pcap: record ");
	assert_has(result.error, strerror(ENOSPC));
	ck_assert_int_eq(analyze_status(a), ANALYZE_BAD_INPUT);
	ck_assert_uint_eq(analyze_totals(a)->bad_files, 1);
	analyze_close(a);

	ck_assert_ptr_null(analyze_open(NULL));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(library_errors_name_file_and_record)
{
	struct analyze_options options = { .fail_on = 0 };
	struct analyze_writer *writer;
	struct analyze_file_result result;
	char path[PATH_SIZE];
	struct analyze *a;
	struct seen seen;
	struct talk t;
	pcap_t *dead;
	char *text;
	size_t len;
	FILE *out;

	test_tmpdir_path(path, sizeof(path), "libcut.pcap");
	talk_init(&t, AF_INET, 100, 900);
	dead = open_writer(&t, path, DLT_EN10MB, 256);
	clean_exchange(&t);
	close_writer(&t, dead);
	ck_assert_int_eq(truncate(path, 24 + 11 * 16 + 11 * 54 - 10), 0);

	a = analyze_open(&options);
	ck_assert_ptr_nonnull(a);
	memset(&seen, 0, sizeof(seen));
	ck_assert_int_eq(analyze_file(a, path, collect_conn, &seen, &result),
	    -1);
	ck_assert(result.failed);
	assert_has(result.error, "libcut.pcap: record 11: truncated");
	/* What was read before is still handed on. */
	ck_assert_int_eq(seen.count, 1);
	ck_assert_uint_eq(result.stats.records, 10);

	/* The writers write where they are told. */
	out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	writer = analyze_writer_new(out, true, 0);
	ck_assert_ptr_nonnull(writer);
	ck_assert_int_eq(analyze_writer_file(writer, &result), 0);
	ck_assert_int_eq(analyze_writer_flush(writer), 0);
	analyze_writer_free(writer);
	analyze_write_text_summary(out, analyze_totals(a), false);
	ck_assert_int_eq(fclose(out), 0);
	assert_has(text, "\"records\":10,");
	assert_has(text, "record 11: truncated");
	assert_has(text, "summary: 1 connection in 1 file (1 bad)");
	free(text);

	test_tmpdir_path(path, sizeof(path), "libmissing.pcap");
	ck_assert_int_eq(analyze_file(a, path, NULL, NULL, &result), -1);
	assert_has(result.error, "libmissing.pcap");
	ck_assert_uint_eq(result.stats.records, 0);
	ck_assert_uint_eq(analyze_totals(a)->bad_files, 2);
	analyze_close(a);
}
END_TEST

static Suite *
analyze_suite(void)
{
	Suite *s = suite_create("analyze");
	TCase *tc;

	tc = tcase_create("conn_state");
	tcase_add_test(tc, state_s0);
	tcase_add_test(tc, state_s1);
	tcase_add_test(tc, state_sf);
	tcase_add_test(tc, state_rej);
	tcase_add_test(tc, state_s2_s3);
	tcase_add_test(tc, state_rsto_rstr);
	tcase_add_test(tc, state_rstos0);
	tcase_add_test(tc, state_rstrh_shr);
	tcase_add_test(tc, state_sh);
	tcase_add_test(tc, state_oth);
	tcase_add_test(tc, fin_then_rst_is_still_sf);
	tcase_add_test(tc, state_names_round_trip);
	tcase_add_test(tc, history_scaled_letters);
	tcase_add_test(tc, history_odd_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("flags");
	tcase_add_test(tc, flag_rst_unacked);
	tcase_add_test(tc, flag_rst_after_fin_data);
	tcase_add_test(tc, flag_rst_zero_window);
	tcase_add_test(tc, flag_hole);
	tcase_add_test(tc, flag_hole_many);
	tcase_add_test(tc, flag_acked_unseen);
	tcase_add_test(tc, gap_counted_per_gap);
	tcase_add_test(tc, gap_needs_both_sides_established);
	suite_add_tcase(s, tc);

	tc = tcase_create("streaming");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, wrap_and_64bit_counts);
	tcase_add_test(tc, streaming_frees_ended_connections);
	tcase_add_test(tc, streaming_port_reuse);
	tcase_add_test(tc, streaming_retires_complete_connections);
	tcase_add_test(tc, attempt_timer_splits);
	tcase_add_test(tc, streaming_idle_and_order);
	tcase_add_test(tc, streaming_flush_in_first_packet_order);
	tcase_add_test(tc, streaming_callback_failure);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, test_tmpdir_setup,
	    test_tmpdir_teardown);
	tcase_add_test(tc, link_ethernet_and_cooked);
	tcase_add_test(tc, link_bsd_loopback);
	tcase_add_test(tc, link_raw);
	tcase_add_test(tc, file_not_tcp_counted);
	tcase_add_test(tc, file_port_reuse_and_text);
	tcase_add_test(tc, file_table_columns);
	tcase_add_test(tc, json_wire_as_run_writes_it);
	tcase_add_test(tc, json_file_name_escaped);
	tcase_add_test(tc, fail_on_flags);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, stdin_input);
	tcase_add_test(tc, bad_wrong_magic);
	tcase_add_test(tc, bad_truncated_file);
	tcase_add_test(tc, bad_caplen_over_snaplen);
	tcase_add_test(tc, bad_snaplen_and_linktype);
	tcase_add_test(tc, bad_headers_cut);
	tcase_add_test(tc, several_files_one_bad);
	tcase_add_test(tc, options_after_files);
	tcase_add_test(tc, library_streams_connections);
	tcase_add_test(tc, library_errors_name_file_and_record);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(analyze_suite());
}
