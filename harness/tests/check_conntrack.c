/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_conntrack.c - connection tracking and teardown classification
 * on hand-made segment sequences.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conntrack.h"
#include "testutil.h"

#define SYN	TCP_FLAG_SYN
#define ACK	TCP_FLAG_ACK
#define FIN	TCP_FLAG_FIN
#define RST	TCP_FLAG_RST
#define PSH	TCP_FLAG_PSH

enum peer {
	CLIENT,
	SERVER
};

enum {
	CLIENT_PORT = 40000,
	SERVER_PORT = 5001,
	WINDOW = 65535,
	TS_START = 1000000000,	/* ns */
	TS_STEP = 1000
};

static const uint32_t client_isn = 1000;
static const uint32_t server_isn = 5000;

/* A scripted conversation between two endpoints, fed to one table. */
struct flow {
	struct conn_table *table;
	uint64_t index;		/* of the last segment fed */
	int64_t ts_ns;
	int family;
	uint8_t addr[2][16];	/* [CLIENT], [SERVER] */
	uint16_t port[2];
};

static struct conn_table *table;

static void
setup(void)
{
	table = conn_table_new();
	ck_assert_ptr_nonnull(table);
}

static void
teardown(void)
{
	conn_table_free(table);
	table = NULL;
}

static void
flow_init(struct flow *f, uint16_t client_port, uint16_t server_port)
{
	memset(f, 0, sizeof(*f));
	f->table = table;
	f->ts_ns = TS_START;
	f->family = AF_INET;
	f->addr[CLIENT][0] = 127;
	f->addr[CLIENT][3] = 1;
	f->addr[SERVER][0] = 127;
	f->addr[SERVER][3] = 1;
	f->port[CLIENT] = client_port;
	f->port[SERVER] = server_port;
}

/* Another flow that continues the first one's record numbering. */
static void
flow_follow(struct flow *f, const struct flow *prev, uint16_t client_port,
    uint16_t server_port)
{
	flow_init(f, client_port, server_port);
	f->index = prev->index;
	f->ts_ns = prev->ts_ns;
}

/* Send one segment; returns its record index. */
static uint64_t
flow_send_window(struct flow *f, enum peer from, uint8_t flags,
    uint32_t seq, uint32_t ack, uint32_t len, uint16_t window)
{
	struct tcp_segment seg;
	enum peer to = from == CLIENT ? SERVER : CLIENT;

	memset(&seg, 0, sizeof(seg));
	seg.family = f->family;
	memcpy(seg.src_addr, f->addr[from], 16);
	memcpy(seg.dst_addr, f->addr[to], 16);
	seg.src_port = f->port[from];
	seg.dst_port = f->port[to];
	seg.seq = seq;
	seg.ack = ack;
	seg.flags = flags;
	seg.window = window;
	seg.payload_len = len;
	f->index++;
	f->ts_ns += TS_STEP;
	seg.ts_ns = f->ts_ns;
	ck_assert_int_eq(conn_table_add(f->table, &seg, f->index), 0);
	return f->index;
}

static uint64_t
flow_send(struct flow *f, enum peer from, uint8_t flags, uint32_t seq,
    uint32_t ack, uint32_t len)
{
	return flow_send_window(f, from, flags, seq, ack, len, WINDOW);
}

static void
handshake(struct flow *f, uint32_t cisn, uint32_t sisn)
{
	flow_send(f, CLIENT, SYN, cisn, 0, 0);
	flow_send(f, SERVER, SYN | ACK, sisn, cisn + 1, 0);
	flow_send(f, CLIENT, ACK, cisn + 1, sisn + 1, 0);
}

static const struct conn *
only_conn(void)
{
	ck_assert_uint_eq(conn_table_count(table), 1);
	return conn_table_get(table, 0);
}

static void
assert_no_rst(const struct conn *c)
{
	ck_assert_int_eq(c->first_rst_side, -1);
	ck_assert_uint_eq(c->half[SIDE_ORIG].rst_count, 0);
	ck_assert_uint_eq(c->half[SIDE_RESP].rst_count, 0);
	ck_assert_int_eq(c->half[SIDE_ORIG].first_rst_kind, RST_KIND_NONE);
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_kind, RST_KIND_NONE);
}

START_TEST(test_clean_fin)
{
	struct flow f;
	const struct conn *c;
	uint64_t server_fin, client_fin;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1, 100);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 101, 0);
	flow_send(&f, SERVER, PSH | ACK, server_isn + 1, client_isn + 101,
	    200);
	flow_send(&f, CLIENT, ACK, client_isn + 101, server_isn + 201, 0);
	server_fin = flow_send(&f, SERVER, FIN | ACK, server_isn + 201,
	    client_isn + 101, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 101, server_isn + 202, 0);
	client_fin = flow_send(&f, CLIENT, FIN | ACK, client_isn + 101,
	    server_isn + 202, 0);
	flow_send(&f, SERVER, ACK, server_isn + 202, client_isn + 102, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN);
	ck_assert_int_eq(c->family, AF_INET);
	ck_assert_uint_eq(c->port[SIDE_ORIG], CLIENT_PORT);
	ck_assert_uint_eq(c->port[SIDE_RESP], SERVER_PORT);
	ck_assert(c->syn_seen);
	ck_assert(c->synack_seen);
	ck_assert(c->ended);
	ck_assert_uint_eq(c->first_index, 1);
	ck_assert_int_eq(c->first_ts_ns, TS_START + TS_STEP);
	ck_assert_int_eq(c->last_ts_ns, TS_START + 11 * TS_STEP);
	ck_assert_int_eq(c->first_fin_side, SIDE_RESP);
	assert_no_rst(c);

	ck_assert(c->half[SIDE_ORIG].syn_seen);
	ck_assert_uint_eq(c->half[SIDE_ORIG].isn, client_isn);
	ck_assert_uint_eq(c->half[SIDE_ORIG].packets, 6);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 100);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_packets, 1);
	/* The server's final ACK covers the FIN: not a byte of payload. */
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 100);
	ck_assert(c->half[SIDE_ORIG].fin_seen);
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_index, client_fin);
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_offset, 100);
	ck_assert_int_eq(c->half[SIDE_ORIG].fin_ts_ns,
	    TS_START + (int64_t)client_fin * TS_STEP);

	ck_assert(c->half[SIDE_RESP].syn_seen);
	ck_assert_uint_eq(c->half[SIDE_RESP].isn, server_isn);
	ck_assert_uint_eq(c->half[SIDE_RESP].packets, 5);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 200);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, 200);
	ck_assert_uint_eq(c->half[SIDE_RESP].fin_index, server_fin);
	ck_assert_uint_eq(c->half[SIDE_RESP].fin_offset, 200);
	ck_assert(!c->half[SIDE_ORIG].zero_window_seen);
	ck_assert(!c->half[SIDE_RESP].zero_window_seen);
}
END_TEST

START_TEST(test_half_fin)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, SERVER, PSH | ACK, server_isn + 1, client_isn + 1, 50);
	flow_send(&f, SERVER, FIN | ACK, server_isn + 51, client_isn + 1, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 52, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_HALF_FIN);
	ck_assert_int_eq(c->first_fin_side, SIDE_RESP);
	ck_assert(c->half[SIDE_RESP].fin_seen);
	ck_assert(!c->half[SIDE_ORIG].fin_seen);
	ck_assert(!c->ended);
	ck_assert_uint_eq(c->half[SIDE_RESP].fin_offset, 50);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, 50);
	assert_no_rst(c);
}
END_TEST

START_TEST(test_rst_ack_from_responder)
{
	struct flow f;
	const struct conn *c;
	uint64_t rst;

	/* The server closes with 300 unread request bytes: RST+ACK. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1, 300);
	flow_send(&f, SERVER, PSH | ACK, server_isn + 1, client_isn + 301,
	    40);
	rst = flow_send_window(&f, SERVER, RST | ACK, server_isn + 41,
	    client_isn + 301, 0, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_RST);
	ck_assert(c->ended);
	ck_assert_int_eq(c->first_rst_side, SIDE_RESP);
	ck_assert_int_eq(c->first_fin_side, -1);
	ck_assert_uint_eq(c->half[SIDE_RESP].rst_count, 1);
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_kind, RST_KIND_WITH_ACK);
	ck_assert_uint_eq(c->half[SIDE_RESP].first_rst_index, rst);
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_ts_ns,
	    TS_START + (int64_t)rst * TS_STEP);
	ck_assert_uint_eq(c->half[SIDE_RESP].first_rst_offset, 40);
	ck_assert_uint_eq(c->half[SIDE_ORIG].rst_count, 0);
	ck_assert_int_eq(c->half[SIDE_ORIG].first_rst_kind, RST_KIND_NONE);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 300);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 40);
	/* A window of 0 on an RST means nothing. */
	ck_assert(!c->half[SIDE_RESP].zero_window_seen);
	ck_assert_str_eq(conn_rst_kind_name(c->half[SIDE_RESP].first_rst_kind),
	    "RST+ACK");
}
END_TEST

START_TEST(test_fin_then_bare_rst)
{
	struct flow f;
	const struct conn *c;

	/*
	 * The client sends its request and FIN and is gone; the server's
	 * late response reaches no socket and is answered by a bare RST
	 * whose seq is that segment's ACK.
	 */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1, 100);
	flow_send(&f, CLIENT, FIN | ACK, client_isn + 101, server_isn + 1, 0);
	flow_send(&f, SERVER, PSH | ACK, server_isn + 1, client_isn + 102,
	    500);
	flow_send_window(&f, CLIENT, RST, client_isn + 102, 0, 0, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN_THEN_RST);
	/* Only one side had finished: this RST is not late, it ends the server. */
	ck_assert(!conn_rst_is_late(c));
	ck_assert_int_eq(c->first_fin_side, SIDE_ORIG);
	ck_assert_int_eq(c->first_rst_side, SIDE_ORIG);
	ck_assert_int_eq(c->half[SIDE_ORIG].first_rst_kind, RST_KIND_BARE);
	/* seq - isn - 1: the slot after the FIN. */
	ck_assert_uint_eq(c->half[SIDE_ORIG].first_rst_offset, 101);
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_offset, 100);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 100);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 500);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, 0);
	ck_assert(c->ended);
	ck_assert_str_eq(conn_rst_kind_name(RST_KIND_BARE), "bare RST");
}
END_TEST

/* A fresh table, then a connection: the handshake and the client's 100 B. */
static void
request_on_a_new_table(struct flow *f)
{
	conn_table_free(table);
	table = conn_table_new();
	ck_assert_ptr_nonnull(table);
	flow_init(f, CLIENT_PORT, SERVER_PORT);
	handshake(f, client_isn, server_isn);
	flow_send(f, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1, 100);
}

/*
 * Both FINs, then an RST: late when the segment it answers brings
 * nothing new (a duplicate of the client's FIN), but not when it refuses
 * data the client sent with its FIN after the server's (issue 10).
 */
START_TEST(test_rst_after_both_fins)
{
	struct flow f;
	const struct conn *c;
	int refuses;

	for (refuses = 0; refuses <= 1; refuses++) {
		request_on_a_new_table(&f);
		flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 101, 0);
		flow_send(&f, SERVER, FIN | PSH | ACK, server_isn + 1, client_isn + 101, 1000);
		if (refuses) {
			/* 100 B more with the FIN: the closed server never ACKs them. */
			flow_send(&f, CLIENT, FIN | PSH | ACK, client_isn + 101, server_isn + 1002, 100);
			flow_send_window(&f, SERVER, RST, server_isn + 1002, 0, 0, 0);
		} else {
			flow_send(&f, CLIENT, FIN | ACK, client_isn + 101, server_isn + 1002, 0);
			flow_send(&f, SERVER, ACK, server_isn + 1002, client_isn + 102, 0);
			/* The FIN again, as a duplicate: answered by a bare RST. */
			flow_send(&f, CLIENT, FIN | ACK, client_isn + 101, server_isn + 1002, 0);
			flow_send_window(&f, SERVER, RST, server_isn + 1002, 0, 0, 0);
		}
		c = only_conn();
		ck_assert_msg(conn_rst_is_late(c) == !refuses, "refuses %d", refuses);
		ck_assert_int_eq(teardown_classify(c),
		    refuses ? TEARDOWN_FIN_THEN_RST : TEARDOWN_FIN);
		ck_assert_uint_eq(c->half[SIDE_RESP].peer_unacked_at_rst, refuses ? 100 : 0);
		ck_assert_int_eq((c->flags & CONN_FLAG_RST_AFTER_FIN_DATA) != 0, refuses);
	}
}
END_TEST

/*
 * Both FINs on the wire, then the server's RST+ACK: late when its ACK
 * covers the client's FIN (the server had it, the RST answers a stray
 * segment), not when it stops short of it: the RST left before the
 * client's FIN arrived (they crossed on a slow path), the server's own
 * abort at close(), so the teardown is fin-then-rst.
 */
START_TEST(test_rst_crossing_the_peer_fin)
{
	struct flow f;
	const struct conn *c;
	int crossed;

	for (crossed = 0; crossed <= 1; crossed++) {
		request_on_a_new_table(&f);
		flow_send(&f, SERVER, FIN | ACK, server_isn + 1, client_isn + 101, 0);
		flow_send(&f, CLIENT, FIN | ACK, client_isn + 101, server_isn + 2, 0);
		flow_send(&f, SERVER, RST | ACK, server_isn + 2,
		    crossed ? client_isn + 101 : client_isn + 102, 0);
		c = only_conn();
		ck_assert_msg(c->half[SIDE_RESP].rst_crossed_peer_fin == (crossed != 0),
		    "crossed %d", crossed);
		ck_assert_msg(conn_rst_is_late(c) == !crossed, "crossed %d", crossed);
		ck_assert_int_eq(teardown_classify(c),
		    crossed ? TEARDOWN_FIN_THEN_RST : TEARDOWN_FIN);
	}
}
END_TEST

START_TEST(test_rst_then_late_fin)
{
	struct flow f;
	const struct conn *c;

	/* The server's FIN was in flight when the client's RST left. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, RST | ACK, client_isn + 1, server_isn + 1, 0);
	flow_send(&f, SERVER, FIN | ACK, server_isn + 1, client_isn + 1, 0);
	flow_send(&f, CLIENT, RST, client_isn + 1, 0, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_RST);
	ck_assert_int_eq(c->first_rst_side, SIDE_ORIG);
	ck_assert_int_eq(c->first_fin_side, SIDE_RESP);
	ck_assert_uint_eq(c->half[SIDE_ORIG].rst_count, 2);
	ck_assert_int_eq(c->half[SIDE_ORIG].first_rst_kind, RST_KIND_WITH_ACK);
}
END_TEST

START_TEST(test_fin_and_rst_in_one_segment)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, SERVER, FIN | RST | ACK, server_isn + 1, client_isn + 1,
	    0);
	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN_THEN_RST);
	ck_assert_uint_eq(c->half[SIDE_RESP].fin_index,
	    c->half[SIDE_RESP].first_rst_index);
}
END_TEST

START_TEST(test_no_teardown)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1, 10);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 11, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_NONE);
	ck_assert(!c->ended);
	ck_assert_int_eq(c->first_fin_side, -1);
	ck_assert(!c->half[SIDE_ORIG].fin_seen);
	ck_assert(!c->half[SIDE_RESP].fin_seen);
	assert_no_rst(c);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 10);
}
END_TEST

START_TEST(test_refused_connect)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	flow_send(&f, CLIENT, SYN, client_isn, 0, 0);
	flow_send_window(&f, SERVER, RST | ACK, 0, client_isn + 1, 0, 0);

	c = only_conn();
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_RST);
	ck_assert(c->syn_seen);
	ck_assert(!c->synack_seen);
	ck_assert_uint_eq(c->port[SIDE_ORIG], CLIENT_PORT);
	ck_assert_int_eq(c->first_rst_side, SIDE_RESP);
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_kind, RST_KIND_WITH_ACK);
	ck_assert_uint_eq(c->half[SIDE_RESP].first_rst_offset, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 0);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 0);
}
END_TEST

START_TEST(test_sequence_wrap)
{
	struct flow f;
	const struct conn *c;
	const uint32_t isn = 0xffffff00;
	uint32_t seq;
	int i;

	/* 10 x 1000 bytes, crossing 2^32 after the first 255 bytes. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, isn, server_isn);
	seq = isn + 1;
	for (i = 0; i < 10; i++) {
		flow_send(&f, CLIENT, ACK, seq, server_isn + 1, 1000);
		seq += 1000;
		flow_send(&f, SERVER, ACK, server_isn + 1, seq, 0);
	}
	flow_send(&f, CLIENT, FIN | ACK, seq, server_isn + 1, 0);
	flow_send(&f, SERVER, ACK, server_isn + 1, seq + 1, 0);

	c = only_conn();
	ck_assert_uint_lt(seq, isn);	/* it did wrap */
	ck_assert_uint_eq(c->half[SIDE_ORIG].isn, isn);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 10000);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 10000);
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_offset, 10000);
}
END_TEST

START_TEST(test_more_than_4gib)
{
	struct flow f;
	const struct conn *c;
	const uint32_t isn = 0xfffff000;
	const uint32_t mss = 65483;	/* a loopback GSO segment */
	const uint64_t segments = 70000;
	uint64_t i, total;
	uint32_t seq;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, server_isn, isn);
	seq = isn + 1;
	for (i = 0; i < segments; i++) {
		flow_send(&f, SERVER, ACK, seq, server_isn + 1, mss);
		seq += mss;
		if (i % 2 == 1)
			flow_send(&f, CLIENT, ACK, server_isn + 1, seq, 0);
		/* Now and then an old segment is sent again. */
		if (i % 1000 == 999)
			flow_send(&f, SERVER, ACK, seq - 3 * mss,
			    server_isn + 1, mss);
	}
	total = segments * mss;
	ck_assert_uint_gt(total, UINT64_C(1) << 32);
	c = only_conn();
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, total);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_packets,
	    segments + segments / 1000);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, total);
	flow_send(&f, SERVER, RST | ACK, seq, server_isn + 1, 0);
	ck_assert_uint_eq(c->half[SIDE_RESP].first_rst_offset, total);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_RST);
}
END_TEST

START_TEST(test_huge_segments)
{
	struct flow f;
	const struct conn *c;
	uint32_t seq = 0x7ffffff0;
	uint64_t i;

	/* payload_len is 32 bits: 1 GB steps reach 5 GB in 5 segments. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, seq - 1, server_isn);
	for (i = 0; i < 5; i++) {
		flow_send(&f, CLIENT, ACK, seq, server_isn + 1, 1000000000);
		seq += 1000000000;
		flow_send(&f, SERVER, ACK, server_isn + 1, seq, 0);
	}
	flow_send(&f, CLIENT, FIN | ACK, seq, server_isn + 1, 0);
	c = only_conn();
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes,
	    UINT64_C(5000000000));
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes,
	    UINT64_C(5000000000));
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_offset, UINT64_C(5000000000));
}
END_TEST

START_TEST(test_retransmission_counted_once)
{
	struct flow f;
	const struct conn *c;
	uint32_t base = client_isn + 1;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, ACK, base, server_isn + 1, 1000);
	flow_send(&f, CLIENT, ACK, base + 1000, server_isn + 1, 1000);
	flow_send(&f, CLIENT, ACK, base, server_isn + 1, 1000);
	flow_send(&f, CLIENT, ACK, base + 1000, server_isn + 1, 1000);
	/* Out of order: the later segment first. */
	flow_send(&f, CLIENT, ACK, base + 3000, server_isn + 1, 1000);
	flow_send(&f, CLIENT, ACK, base + 2000, server_isn + 1, 1000);
	/* A partial overlap: 500 old bytes, 500 new. */
	flow_send(&f, CLIENT, ACK, base + 3500, server_isn + 1, 1000);

	c = only_conn();
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 4500);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_packets, 7);
	ck_assert_uint_eq(c->half[SIDE_ORIG].packets, 9);
}
END_TEST

START_TEST(test_port_reuse_after_end)
{
	struct flow f;
	const struct conn *first, *second;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, FIN | ACK, client_isn + 1, server_isn + 1, 0);
	flow_send(&f, SERVER, FIN | ACK, server_isn + 1, client_isn + 2, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 2, server_isn + 2, 0);
	/* A late ACK still belongs to the ended connection. */
	flow_send(&f, CLIENT, ACK, client_isn + 2, server_isn + 2, 0);
	ck_assert_uint_eq(conn_table_count(table), 1);

	/* Same 4-tuple, same ISN even: the old one has ended. */
	flow_send(&f, CLIENT, SYN, client_isn, 0, 0);
	flow_send(&f, SERVER, SYN | ACK, server_isn + 7, client_isn + 1, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 8, 0);
	flow_send(&f, SERVER, RST | ACK, server_isn + 8, client_isn + 1, 0);

	ck_assert_uint_eq(conn_table_count(table), 2);
	first = conn_table_get(table, 0);
	second = conn_table_get(table, 1);
	ck_assert_ptr_null(conn_table_get(table, 2));
	ck_assert_int_eq(teardown_classify(first), TEARDOWN_FIN);
	ck_assert_uint_eq(first->half[SIDE_ORIG].packets, 5);
	ck_assert_int_eq(teardown_classify(second), TEARDOWN_RST);
	ck_assert_uint_eq(second->first_index, 8);
	ck_assert_uint_eq(second->half[SIDE_RESP].isn, server_isn + 7);
	ck_assert_uint_eq(second->half[SIDE_ORIG].packets, 2);
	ck_assert_ptr_eq(conn_table_find_ports(table, CLIENT_PORT,
	    SERVER_PORT), second);
	ck_assert_ptr_eq(conn_table_find_ports(table, SERVER_PORT,
	    CLIENT_PORT), second);
}
END_TEST

START_TEST(test_port_reuse_new_isn)
{
	struct flow f;
	const struct conn *c;

	/* The first connection vanished without FIN or RST in the capture. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 1, 10);
	/* A retransmitted SYN (same ISN) is not a new connection... */
	flow_send(&f, CLIENT, SYN, client_isn, 0, 0);
	ck_assert_uint_eq(conn_table_count(table), 1);
	/* ...one with a new ISN is. */
	flow_send(&f, CLIENT, SYN, client_isn + 100000, 0, 0);
	ck_assert_uint_eq(conn_table_count(table), 2);
	c = conn_table_get(table, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].packets, 4);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_NONE);
	c = conn_table_get(table, 1);
	ck_assert_uint_eq(c->half[SIDE_ORIG].isn, client_isn + 100000);
	ck_assert_uint_eq(c->half[SIDE_ORIG].packets, 1);
}
END_TEST

START_TEST(test_reuse_reversed_roles)
{
	struct flow f, g;
	const struct conn *c;

	/* The old server's port opens a connection back to the old client. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, RST | ACK, client_isn + 1, server_isn + 1, 0);
	flow_follow(&g, &f, SERVER_PORT, CLIENT_PORT);
	handshake(&g, 777, 888);
	ck_assert_uint_eq(conn_table_count(table), 2);
	c = conn_table_get(table, 1);
	ck_assert_uint_eq(c->port[SIDE_ORIG], SERVER_PORT);
	ck_assert_uint_eq(c->half[SIDE_ORIG].isn, 777);
	ck_assert_uint_eq(c->half[SIDE_RESP].isn, 888);
}
END_TEST

START_TEST(test_mid_stream)
{
	struct flow f;
	const struct conn *c;

	/* The capture started after the handshake; the server spoke first. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	flow_send(&f, SERVER, PSH | ACK, 70000, 9000, 100);
	flow_send(&f, CLIENT, ACK, 9000, 70100, 0);
	flow_send(&f, CLIENT, PSH | ACK, 9000, 70100, 30);
	flow_send(&f, SERVER, ACK, 70100, 9030, 0);

	c = only_conn();
	ck_assert(!c->syn_seen);
	ck_assert(!c->synack_seen);
	ck_assert_uint_eq(c->port[SIDE_ORIG], SERVER_PORT);
	ck_assert_uint_eq(c->port[SIDE_RESP], CLIENT_PORT);
	ck_assert(!c->half[SIDE_ORIG].syn_seen);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 100);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 100);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 30);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, 30);

	/* A SYN after mid-stream traffic opens a new connection. */
	flow_send(&f, CLIENT, SYN, 123, 0, 0);
	ck_assert_uint_eq(conn_table_count(table), 2);
	ck_assert_uint_eq(conn_table_get(table, 1)->port[SIDE_ORIG],
	    CLIENT_PORT);
}
END_TEST

START_TEST(test_synack_first)
{
	struct flow f;
	const struct conn *c;

	/* The SYN was missed; the SYN+ACK says who the responder is. */
	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	flow_send(&f, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 1, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 1, 20);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 21, 0);

	c = only_conn();
	ck_assert(!c->syn_seen);
	ck_assert(c->synack_seen);
	ck_assert_uint_eq(c->port[SIDE_ORIG], CLIENT_PORT);
	ck_assert(c->half[SIDE_RESP].syn_seen);
	ck_assert(!c->half[SIDE_ORIG].syn_seen);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 20);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 20);
}
END_TEST

START_TEST(test_simultaneous_open)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	flow_send(&f, CLIENT, SYN, client_isn, 0, 0);
	flow_send(&f, SERVER, SYN, server_isn, 0, 0);
	flow_send(&f, CLIENT, SYN | ACK, client_isn, server_isn + 1, 0);
	flow_send(&f, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	c = only_conn();
	ck_assert_uint_eq(c->port[SIDE_ORIG], CLIENT_PORT);
	ck_assert_uint_eq(c->half[SIDE_RESP].isn, server_isn);
}
END_TEST

START_TEST(test_acked_bytes)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	c = only_conn();
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 0);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 1, 3000);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 1001, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 1000);
	/* An older (reordered) ACK does not move it back. */
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 501, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 1000);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 3001, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 3000);
	/* Acknowledged but never captured: evidence of capture loss. */
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 5001, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 5000);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 3000);
	/* An RST without ACK carries no acknowledgement. */
	flow_send(&f, SERVER, RST, server_isn + 1, client_isn + 9001, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 5000);
}
END_TEST

START_TEST(test_acked_capped_at_fin)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	handshake(&f, client_isn, server_isn);
	flow_send(&f, CLIENT, FIN | ACK, client_isn + 1, server_isn + 1, 64);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 66, 0);
	c = only_conn();
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 64);
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_offset, 64);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 64);
}
END_TEST

START_TEST(test_zero_window)
{
	struct flow f;
	const struct conn *c;

	flow_init(&f, CLIENT_PORT, SERVER_PORT);
	flow_send_window(&f, CLIENT, SYN, client_isn, 0, 0, 0);
	flow_send_window(&f, SERVER, SYN | ACK, server_isn, client_isn + 1, 0,
	    0);
	c = only_conn();
	ck_assert(!c->half[SIDE_ORIG].zero_window_seen);
	ck_assert(!c->half[SIDE_RESP].zero_window_seen);
	flow_send(&f, CLIENT, ACK, client_isn + 1, server_isn + 1, 0);
	flow_send(&f, SERVER, ACK, server_isn + 1, client_isn + 1, 65535);
	/* The client's receive buffer is full. */
	flow_send_window(&f, CLIENT, ACK, client_isn + 1, server_isn + 65536,
	    0, 0);
	ck_assert(c->half[SIDE_ORIG].zero_window_seen);
	ck_assert(!c->half[SIDE_RESP].zero_window_seen);
	flow_send_window(&f, SERVER, RST, server_isn + 65536, 0, 0, 0);
	ck_assert(!c->half[SIDE_RESP].zero_window_seen);
}
END_TEST

START_TEST(test_many_connections)
{
	struct flow f, g;
	const struct conn *c;
	const unsigned n = 50000;
	unsigned i;

	/* Interleaved so the tuple index is searched, not just appended. */
	for (i = 0; i < n; i++) {
		flow_init(&f, (uint16_t)(10000 + i),
		    (uint16_t)(i % 2 ? 80 : 443));
		f.index = 2 * (uint64_t)i;
		flow_send(&f, CLIENT, SYN, i * 7919u, 0, 0);
	}
	for (i = 0; i < n; i++) {
		flow_init(&g, (uint16_t)(10000 + i),
		    (uint16_t)(i % 2 ? 80 : 443));
		g.index = 2 * (uint64_t)n + i;
		flow_send(&g, SERVER, SYN | ACK, i, i * 7919u + 1, 0);
	}
	ck_assert_uint_eq(conn_table_count(table), n);
	for (i = 0; i < n; i++) {
		c = conn_table_get(table, i);
		ck_assert_uint_eq(c->port[SIDE_ORIG], 10000 + i);
		ck_assert_uint_eq(c->half[SIDE_ORIG].packets, 1);
		ck_assert_uint_eq(c->half[SIDE_RESP].packets, 1);
		ck_assert_uint_eq(c->half[SIDE_RESP].isn, i);
		ck_assert_ptr_eq(conn_table_find_ports(table,
		    (uint16_t)(i % 2 ? 80 : 443), (uint16_t)(10000 + i)), c);
	}
	ck_assert_ptr_null(conn_table_find_ports(table, 9999, 80));
}
END_TEST

START_TEST(test_same_ports_other_hosts)
{
	struct flow a, b, v6;
	const struct conn *c;

	flow_init(&a, CLIENT_PORT, SERVER_PORT);
	flow_follow(&b, &a, CLIENT_PORT, SERVER_PORT);
	b.addr[CLIENT][3] = 2;		/* 127.0.0.2 */
	handshake(&a, client_isn, server_isn);
	b.index = a.index;
	handshake(&b, 11, 22);
	a.index = b.index;
	flow_send(&a, CLIENT, ACK, client_isn + 1, server_isn + 1, 5);
	flow_follow(&v6, &a, CLIENT_PORT, SERVER_PORT);
	v6.family = AF_INET6;
	memset(v6.addr, 0, sizeof(v6.addr));
	v6.addr[CLIENT][15] = 1;
	v6.addr[SERVER][15] = 1;
	handshake(&v6, 33, 44);

	ck_assert_uint_eq(conn_table_count(table), 3);
	c = conn_table_get(table, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].isn, client_isn);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 5);
	ck_assert_uint_eq(c->addr[SIDE_ORIG][3], 1);
	c = conn_table_get(table, 1);
	ck_assert_uint_eq(c->half[SIDE_ORIG].isn, 11);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 0);
	ck_assert_uint_eq(c->addr[SIDE_ORIG][3], 2);
	c = conn_table_get(table, 2);
	ck_assert_int_eq(c->family, AF_INET6);
	ck_assert_uint_eq(c->half[SIDE_RESP].isn, 44);
	ck_assert_ptr_eq(conn_table_find_ports(table, CLIENT_PORT,
	    SERVER_PORT), c);
}
END_TEST

START_TEST(test_names_and_null_arguments)
{
	struct tcp_segment seg;

	ck_assert_str_eq(teardown_class_name(TEARDOWN_NONE), "none");
	ck_assert_str_eq(teardown_class_name(TEARDOWN_FIN), "fin");
	ck_assert_str_eq(teardown_class_name(TEARDOWN_HALF_FIN), "half-fin");
	ck_assert_str_eq(teardown_class_name(TEARDOWN_RST), "rst");
	ck_assert_str_eq(teardown_class_name(TEARDOWN_FIN_THEN_RST),
	    "fin-then-rst");
	ck_assert_str_eq(conn_rst_kind_name(RST_KIND_NONE), "none");
	ck_assert_str_eq(conn_rst_kind_name(RST_KIND_WITH_ACK), "RST+ACK");
	ck_assert_str_eq(conn_rst_kind_name(RST_KIND_BARE), "bare RST");
	ck_assert_str_eq(conn_side_name(SIDE_ORIG), "originator");
	ck_assert_str_eq(conn_side_name(SIDE_RESP), "responder");

	memset(&seg, 0, sizeof(seg));
	ck_assert_int_eq(conn_table_add(NULL, &seg, 1), -1);
	ck_assert_int_eq(conn_table_add(table, NULL, 1), -1);
	ck_assert_uint_eq(conn_table_count(table), 0);
	ck_assert_uint_eq(conn_table_count(NULL), 0);
	ck_assert_ptr_null(conn_table_get(table, 0));
	ck_assert_ptr_null(conn_table_find_ports(table, 1, 2));
	ck_assert_int_eq(teardown_classify(NULL), TEARDOWN_NONE);
	conn_table_free(NULL);
}
END_TEST

static Suite *
conntrack_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("conntrack");

	tc = tcase_create("teardown");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_clean_fin);
	tcase_add_test(tc, test_half_fin);
	tcase_add_test(tc, test_rst_ack_from_responder);
	tcase_add_test(tc, test_fin_then_bare_rst);
	tcase_add_test(tc, test_rst_after_both_fins);
	tcase_add_test(tc, test_rst_then_late_fin);
	tcase_add_test(tc, test_rst_crossing_the_peer_fin);
	tcase_add_test(tc, test_fin_and_rst_in_one_segment);
	tcase_add_test(tc, test_no_teardown);
	tcase_add_test(tc, test_refused_connect);
	suite_add_tcase(s, tc);

	tc = tcase_create("sequence space");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);	/* valgrind */
	tcase_add_test(tc, test_sequence_wrap);
	tcase_add_test(tc, test_more_than_4gib);
	tcase_add_test(tc, test_huge_segments);
	tcase_add_test(tc, test_retransmission_counted_once);
	tcase_add_test(tc, test_acked_bytes);
	tcase_add_test(tc, test_acked_capped_at_fin);
	tcase_add_test(tc, test_zero_window);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_port_reuse_after_end);
	tcase_add_test(tc, test_port_reuse_new_isn);
	tcase_add_test(tc, test_reuse_reversed_roles);
	tcase_add_test(tc, test_mid_stream);
	tcase_add_test(tc, test_synack_first);
	tcase_add_test(tc, test_simultaneous_open);
	tcase_add_test(tc, test_many_connections);
	tcase_add_test(tc, test_same_ports_other_hosts);
	tcase_add_test(tc, test_names_and_null_arguments);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return test_run_suite(conntrack_suite());
}
