/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_trace.c - trace_read_file() on capture files written here, with
 * pcap_open_dead() + pcap_dump() (and a hand-made pcapng), in a
 * mkdtemp() directory.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "conntrack.h"
#include "decode.h"
#include "trace.h"
#include "testutil.h"

#define SYN	TCP_FLAG_SYN
#define ACK	TCP_FLAG_ACK
#define FIN	TCP_FLAG_FIN
#define RST	TCP_FLAG_RST
#define PSH	TCP_FLAG_PSH

#define FRAME_MAX	256
#define SNAPLEN		256
#define ERRBUF_SIZE	512

enum peer {
	CLIENT,
	SERVER
};

enum {
	CLIENT_PORT = 40000,
	SERVER_PORT = 5001,
	PROTO_TCP = 6,
	PROTO_UDP = 17,
	SENTINEL_PORT = 9
};

static const uint32_t client_isn = 1000;
static const uint32_t server_isn = 5000;
/* 2023-11-14 22:13:20.123456789 UTC: every digit of the ns matters. */
static const int64_t ts_start_ns = INT64_C(1700000000123456789);
static const int64_t ts_step_ns = 1000001;

/* A capture being written, and the frames' conversation. */
struct writer {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	int linktype;
	bool nanosecond;
	bool ipv6;
	int64_t ts_ns;
	uint64_t records;
	size_t bytes;		/* file size so far */
};

static void
writer_open(struct writer *w, const char *path, int linktype,
    bool nanosecond, bool ipv6)
{
	memset(w, 0, sizeof(*w));
	w->linktype = linktype;
	w->nanosecond = nanosecond;
	w->ipv6 = ipv6;
	w->ts_ns = ts_start_ns;
	w->dumper = test_dump_open(path, linktype, SNAPLEN, nanosecond,
	    &w->dead);
	w->bytes = 24;
}

static void
writer_close(struct writer *w)
{
	test_dump_close(w->dumper, w->dead);
}

/* The timestamp a record gets, as the reader should report it. */
static int64_t
writer_expected_ts(const struct writer *w, int64_t ts_ns)
{
	return w->nanosecond ? ts_ns : ts_ns / 1000 * 1000;
}

/* Write a record; returns its 1-based index. */
static uint64_t
writer_record(struct writer *w, const uint8_t *frame, size_t caplen,
    size_t len)
{
	w->ts_ns += ts_step_ns;
	test_dump_frame(w->dumper, w->ts_ns, w->nanosecond, frame, caplen,
	    len);
	w->bytes += 16 + caplen;
	return ++w->records;
}

/* Link + IP header for l4_len bytes of protocol proto, from a peer. */
static size_t
put_ip(const struct writer *w, uint8_t *p, enum peer from, uint8_t proto,
    size_t l4_len)
{
	/* 127.0.0.1 or ::1 is the client, 127.0.0.2 or ::2 the server. */
	static const uint8_t v4[2][4] = { { 127, 0, 0, 1 }, { 127, 0, 0, 2 } };
	static const uint8_t v6[2][16] = { { [15] = 1 }, { [15] = 2 } };
	enum peer to = from == CLIENT ? SERVER : CLIENT;
	size_t len;

	len = test_put_link(p, w->linktype, w->ipv6 ? TEST_ETHERTYPE_IPV6 :
	    TEST_ETHERTYPE_IPV4, 0, TEST_NULL_LITTLE_ENDIAN);
	if (w->ipv6)
		return len + test_put_ipv6(p + len, proto, v6[from], v6[to],
		    l4_len);
	return len + test_put_ipv4(p + len, proto, v4[from], v4[to], 0,
	    l4_len);
}

/* A TCP segment, captured up to the end of its header. */
static uint64_t
writer_tcp(struct writer *w, enum peer from, uint8_t flags, uint32_t seq,
    uint32_t ack, uint32_t payload_len)
{
	struct test_tcp tcp = {
		.src_port = from == CLIENT ? CLIENT_PORT : SERVER_PORT,
		.dst_port = from == CLIENT ? SERVER_PORT : CLIENT_PORT,
		.seq = seq,
		.ack = ack,
		.flags = flags,
		.window = 65535,
		.payload_len = payload_len
	};
	uint8_t frame[FRAME_MAX];
	size_t len;

	len = put_ip(w, frame, from, PROTO_TCP,
	    test_tcp_header_len(&tcp) + payload_len);
	len += test_put_tcp(frame + len, &tcp);
	return writer_record(w, frame, len, len + payload_len);
}

/* The harness's end-of-capture sentinel: a UDP datagram. */
static uint64_t
writer_udp_sentinel(struct writer *w)
{
	uint8_t frame[FRAME_MAX];
	size_t len;

	len = put_ip(w, frame, CLIENT, PROTO_UDP, 8 + 8);
	memset(frame + len, 0, 16);
	test_put16(frame + len, 33333);
	test_put16(frame + len + 2, SENTINEL_PORT);
	test_put16(frame + len + 4, 16);
	memcpy(frame + len + 8, "nonce123", 8);
	len += 16;
	return writer_record(w, frame, len, len);
}

/* The three-way handshake: 3 records. */
static void
writer_handshake(struct writer *w)
{
	writer_tcp(w, CLIENT, SYN, client_isn, 0, 0);
	writer_tcp(w, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	writer_tcp(w, CLIENT, ACK, client_isn + 1, server_isn + 1, 0);
}

/* Handshake, 100 bytes each way, server closes first: 10 records. */
static void
writer_clean_close(struct writer *w)
{
	writer_handshake(w);
	writer_tcp(w, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1, 100);
	writer_tcp(w, SERVER, PSH | ACK, server_isn + 1, client_isn + 101,
	    100);
	writer_tcp(w, CLIENT, ACK, client_isn + 101, server_isn + 101, 0);
	writer_tcp(w, SERVER, FIN | ACK, server_isn + 101, client_isn + 101,
	    0);
	writer_tcp(w, CLIENT, ACK, client_isn + 101, server_isn + 102, 0);
	writer_tcp(w, CLIENT, FIN | ACK, client_isn + 101, server_isn + 102,
	    0);
	writer_tcp(w, SERVER, ACK, server_isn + 102, client_isn + 102, 0);
}

/* errbuf must start with "path:" */
static void
assert_names_file(const char *errbuf, const char *path)
{
	size_t len = strlen(path);

	ck_assert_msg(strncmp(errbuf, path, len) == 0 && errbuf[len] == ':',
	    "message does not start with the path: \"%s\"", errbuf);
}

static struct conn_table *
new_table(void)
{
	struct conn_table *table = conn_table_new();

	ck_assert_ptr_nonnull(table);
	return table;
}

/* A new table with the connections of path, which must read. */
static struct conn_table *
read_capture(const char *path, struct trace_stats *stats)
{
	char errbuf[ERRBUF_SIZE];
	struct conn_table *table = new_table();

	ck_assert_msg(trace_read_file(path, table, stats, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
	return table;
}

START_TEST(test_ethernet_ipv4_nanosecond)
{
	char path[4096 + 64];
	uint8_t frame[FRAME_MAX];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	struct writer w;
	int64_t first_ts;
	uint64_t server_fin;
	size_t len;

	test_tmpdir_path(path, sizeof(path), "en10mb.pcap");
	writer_open(&w, path, DLT_EN10MB, true, false);
	writer_clean_close(&w);
	server_fin = 7;
	first_ts = ts_start_ns + ts_step_ns;
	writer_udp_sentinel(&w);
	/* ARP. */
	len = test_put_ethernet(frame, 0x0806);
	memset(frame + len, 0, 28);
	writer_record(&w, frame, len + 28, len + 28);
	/* A TCP frame cut by a tiny snaplen: 30 of 54 header bytes. */
	len = put_ip(&w, frame, CLIENT, PROTO_TCP, 20);
	memset(frame + len, 0, 20);
	writer_record(&w, frame, 30, len + 20);
	/* A non-first fragment of a TCP segment. */
	len = put_ip(&w, frame, CLIENT, PROTO_TCP, 64);
	test_put16(frame + 14 + 6, 100);
	memset(frame + len, 0xee, 64);
	writer_record(&w, frame, len + 64, len + 64);
	writer_close(&w);

	table = read_capture(path, &stats);
	ck_assert_int_eq(stats.linktype, DLT_EN10MB);
	ck_assert_int_eq(stats.snaplen, SNAPLEN);
	ck_assert_uint_eq(stats.records, 14);
	ck_assert_uint_eq(stats.tcp, 10);
	ck_assert_uint_eq(stats.not_tcp, 1);
	ck_assert_uint_eq(stats.not_ip, 1);
	ck_assert_uint_eq(stats.fragments, 1);
	ck_assert_uint_eq(stats.undecodable, 1);
	ck_assert_uint_eq(stats.truncated, 1);
	ck_assert_uint_eq(stats.bad_header, 0);

	ck_assert_uint_eq(conn_table_count(table), 1);
	c = conn_table_get(table, 0);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN);
	ck_assert_int_eq(c->family, AF_INET);
	ck_assert_uint_eq(c->addr[SIDE_ORIG][3], 1);
	ck_assert_uint_eq(c->port[SIDE_ORIG], CLIENT_PORT);
	ck_assert_uint_eq(c->first_index, 1);
	ck_assert_int_eq(c->first_ts_ns, first_ts);
	ck_assert_int_eq(c->last_ts_ns, first_ts + 9 * ts_step_ns);
	ck_assert_int_eq(c->first_fin_side, SIDE_RESP);
	ck_assert_uint_eq(c->half[SIDE_RESP].fin_index, server_fin);
	ck_assert_int_eq(c->half[SIDE_RESP].fin_ts_ns,
	    first_ts + 6 * ts_step_ns);
	ck_assert_uint_eq(c->half[SIDE_ORIG].payload_bytes, 100);
	ck_assert_uint_eq(c->half[SIDE_RESP].payload_bytes, 100);
	ck_assert_uint_eq(c->half[SIDE_RESP].acked_bytes, 100);
	conn_table_free(table);
}
END_TEST

START_TEST(test_raw_ipv6_microsecond)
{
	char path[4096 + 64];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	struct writer w;
	uint8_t header[24];
	uint32_t file_linktype;
	uint64_t rst;
	int64_t rst_ts;
	FILE *f;

	test_tmpdir_path(path, sizeof(path), "raw.pcap");
	writer_open(&w, path, DLT_RAW, false, true);
	writer_handshake(&w);
	writer_tcp(&w, CLIENT, PSH | ACK, client_isn + 1, server_isn + 1,
	    1000);
	rst = writer_tcp(&w, SERVER, RST | ACK, server_isn + 1,
	    client_isn + 1001, 0);
	rst_ts = writer_expected_ts(&w, w.ts_ns);
	writer_udp_sentinel(&w);
	writer_close(&w);

	/* On disk it is LINKTYPE_RAW (101), not this platform's DLT_RAW. */
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(header, 1, sizeof(header), f), sizeof(header));
	fclose(f);
	memcpy(&file_linktype, header + 20, 4);
	ck_assert_uint_eq(file_linktype, DECODE_LINKTYPE_RAW_FILE);

	table = read_capture(path, &stats);
	ck_assert_int_eq(stats.linktype, DLT_RAW);
	ck_assert_uint_eq(stats.records, 6);
	ck_assert_uint_eq(stats.tcp, 5);
	ck_assert_uint_eq(stats.not_tcp, 1);
	c = conn_table_find_ports(table, SERVER_PORT, CLIENT_PORT);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->family, AF_INET6);
	ck_assert_uint_eq(c->addr[SIDE_ORIG][15], 1);
	ck_assert_uint_eq(c->addr[SIDE_RESP][15], 2);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_RST);
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_kind, RST_KIND_WITH_ACK);
	ck_assert_uint_eq(c->half[SIDE_RESP].first_rst_index, rst);
	/* Microseconds in the file, nanoseconds (x1000) in the table. */
	ck_assert_int_eq(c->half[SIDE_RESP].first_rst_ts_ns, rst_ts);
	ck_assert_int_eq(rst_ts % 1000, 0);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 1000);
	conn_table_free(table);
}
END_TEST

START_TEST(test_linux_sll2)
{
	char path[4096 + 64];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	struct writer w;

	test_tmpdir_path(path, sizeof(path), "sll2.pcap");
	writer_open(&w, path, DLT_LINUX_SLL2, true, false);
	writer_tcp(&w, CLIENT, SYN, client_isn, 0, 0);
	writer_tcp(&w, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	writer_tcp(&w, CLIENT, FIN | ACK, client_isn + 1, server_isn + 1, 0);
	writer_tcp(&w, SERVER, ACK, server_isn + 1, client_isn + 2, 0);
	writer_close(&w);

	table = read_capture(path, &stats);
	ck_assert_int_eq(stats.linktype, DLT_LINUX_SLL2);
	ck_assert_uint_eq(stats.tcp, 4);
	c = conn_table_get(table, 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_HALF_FIN);
	ck_assert_int_eq(c->first_fin_side, SIDE_ORIG);
	ck_assert_uint_eq(c->half[SIDE_ORIG].fin_index, 3);
	conn_table_free(table);
}
END_TEST

/* pcapng block: type, total length, body padded to 4, total length. */
static void
put_pcapng_block(FILE *f, uint32_t type, const void *body, size_t body_len)
{
	static const uint8_t pad[4];
	uint32_t total = (uint32_t)(12 + (body_len + 3) / 4 * 4);

	fwrite(&type, 4, 1, f);
	fwrite(&total, 4, 1, f);
	fwrite(body, 1, body_len, f);
	fwrite(pad, 1, (4 - body_len % 4) % 4, f);
	fwrite(&total, 4, 1, f);
}

static void
put_pcapng_packet(FILE *f, const uint8_t *frame, uint32_t caplen,
    uint32_t len, uint64_t ts_us)
{
	uint8_t body[20 + FRAME_MAX];
	uint32_t fields[5];

	fields[0] = 0;				/* interface */
	fields[1] = (uint32_t)(ts_us >> 32);
	fields[2] = (uint32_t)ts_us;
	fields[3] = caplen;
	fields[4] = len;
	memcpy(body, fields, sizeof(fields));
	memcpy(body + 20, frame, caplen);
	put_pcapng_block(f, 6, body, 20 + caplen);	/* EPB */
}

START_TEST(test_pcapng)
{
	char path[4096 + 64];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	uint8_t shb[16], idb[8], frame[FRAME_MAX];
	uint32_t u32;
	uint16_t u16;
	int64_t i64;
	struct writer w;	/* only for its frame builders */
	size_t len;
	FILE *f;

	test_tmpdir_path(path, sizeof(path), "capture.pcapng");
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	u32 = 0x1a2b3c4d;			/* byte-order magic */
	memcpy(shb, &u32, 4);
	u16 = 1;
	memcpy(shb + 4, &u16, 2);
	u16 = 0;
	memcpy(shb + 6, &u16, 2);
	i64 = -1;				/* section length unknown */
	memcpy(shb + 8, &i64, 8);
	put_pcapng_block(f, 0x0a0d0d0a, shb, sizeof(shb));
	u16 = DLT_EN10MB;
	memcpy(idb, &u16, 2);
	u16 = 0;
	memcpy(idb + 2, &u16, 2);
	u32 = SNAPLEN;
	memcpy(idb + 4, &u32, 4);
	put_pcapng_block(f, 1, idb, sizeof(idb));

	memset(&w, 0, sizeof(w));
	w.linktype = DLT_EN10MB;
	len = put_ip(&w, frame, CLIENT, PROTO_TCP, 20);
	memset(frame + len, 0, 20);
	test_put16(frame + len, CLIENT_PORT);
	test_put16(frame + len + 2, SERVER_PORT);
	test_put32(frame + len + 4, client_isn);
	frame[len + 12] = 5 << 4;
	frame[len + 13] = SYN;
	put_pcapng_packet(f, frame, (uint32_t)len + 20, (uint32_t)len + 20,
	    UINT64_C(1700000000000001));
	len = put_ip(&w, frame, SERVER, PROTO_TCP, 20);
	memset(frame + len, 0, 20);
	test_put16(frame + len, SERVER_PORT);
	test_put16(frame + len + 2, CLIENT_PORT);
	test_put32(frame + len + 4, 0);
	test_put32(frame + len + 8, client_isn + 1);
	frame[len + 12] = 5 << 4;
	frame[len + 13] = RST | ACK;
	put_pcapng_packet(f, frame, (uint32_t)len + 20, (uint32_t)len + 20,
	    UINT64_C(1700000000000002));
	ck_assert_int_eq(fclose(f), 0);

	table = read_capture(path, &stats);
	ck_assert_int_eq(stats.linktype, DLT_EN10MB);
	ck_assert_int_eq(stats.snaplen, SNAPLEN);
	ck_assert_uint_eq(stats.records, 2);
	ck_assert_uint_eq(stats.tcp, 2);
	c = conn_table_get(table, 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_RST);
	ck_assert_int_eq(c->first_ts_ns, INT64_C(1700000000000001000));
	ck_assert_uint_eq(c->half[SIDE_RESP].first_rst_index, 2);
	conn_table_free(table);
}
END_TEST

START_TEST(test_wrong_magic)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;
	FILE *f;

	test_tmpdir_path(path, sizeof(path), "not-a-capture.txt");
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("This is not a capture file, only some text that is long "
	    "enough to hold a pcap file header.\n", f);
	ck_assert_int_eq(fclose(f), 0);

	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_uint_eq(stats.records, 0);
	ck_assert_uint_eq(conn_table_count(table), 0);
	conn_table_free(table);
}
END_TEST

/* A 10-record clean close, then cut to keep bytes. */
static void
write_and_cut(const char *path, size_t cut_from_record_10)
{
	struct writer w;
	size_t before_last;

	writer_open(&w, path, DLT_EN10MB, true, false);
	writer_clean_close(&w);
	writer_close(&w);
	before_last = w.bytes - (16 + 14 + 20 + 20);
	ck_assert_int_eq(truncate(path,
	    (off_t)(before_last + cut_from_record_10)), 0);
}

START_TEST(test_truncated_record_data)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;

	/* Record 10 keeps its header and 20 of its 54 bytes. */
	test_tmpdir_path(path, sizeof(path), "cut-data.pcap");
	write_and_cut(path, 16 + 20);
	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, ": record 10: ") != NULL, "%s", errbuf);
	/* What came before the damage is kept. */
	ck_assert_uint_eq(stats.records, 9);
	ck_assert_uint_eq(stats.tcp, 9);
	ck_assert_uint_eq(conn_table_count(table), 1);
	c = conn_table_get(table, 0);
	ck_assert_int_eq(teardown_classify(c), TEARDOWN_FIN);
	ck_assert_uint_eq(c->half[SIDE_ORIG].acked_bytes, 100);
	conn_table_free(table);
}
END_TEST

START_TEST(test_truncated_record_header)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;

	/* Only 7 of record 10's 16 header bytes. */
	test_tmpdir_path(path, sizeof(path), "cut-header.pcap");
	write_and_cut(path, 7);
	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, ": record 10: ") != NULL, "%s", errbuf);
	ck_assert_uint_eq(stats.records, 9);
	conn_table_free(table);

	/* Cut at a record boundary: a shorter, valid file. */
	write_and_cut(path, 0);
	table = read_capture(path, &stats);
	ck_assert_uint_eq(stats.records, 9);
	conn_table_free(table);
}
END_TEST

START_TEST(test_truncated_file_header)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;

	test_tmpdir_path(path, sizeof(path), "cut-file-header.pcap");
	write_and_cut(path, 0);
	ck_assert_int_eq(truncate(path, 10), 0);
	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_int_eq(truncate(path, 0), 0);
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_uint_eq(conn_table_count(table), 0);
	conn_table_free(table);
}
END_TEST

START_TEST(test_missing_file)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct conn_table *table;

	test_tmpdir_path(path, sizeof(path), "does-not-exist.pcap");
	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, NULL, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, strerror(ENOENT)) != NULL, "%s", errbuf);
	conn_table_free(table);
}
END_TEST

START_TEST(test_unsupported_linktype)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;
	uint8_t frame[32];
	struct writer w;

	test_tmpdir_path(path, sizeof(path), "atm.pcap");
	writer_open(&w, path, DLT_JUNIPER_ATM1, true, false);
	memset(frame, 0, sizeof(frame));
	writer_record(&w, frame, sizeof(frame), sizeof(frame));
	writer_close(&w);

	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), TRACE_ERROR);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, "unsupported link type JUNIPER_ATM1") !=
	    NULL, "%s", errbuf);
	ck_assert_int_eq(stats.linktype, DLT_JUNIPER_ATM1);
	ck_assert_uint_eq(stats.records, 0);

	/* A link type without IP is its own result, not an error. */
	test_tmpdir_path(path, sizeof(path), "dbus.pcap");
	writer_open(&w, path, DLT_DBUS, true, false);
	writer_record(&w, frame, sizeof(frame), sizeof(frame));
	writer_close(&w);
	ck_assert_int_eq(trace_read(path, table, &stats, TRACE_STRICT, errbuf,
	    sizeof(errbuf)), TRACE_NO_IP_LINKTYPE);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, "DBUS") != NULL &&
	    strstr(errbuf, "carries no IP") != NULL, "%s", errbuf);
	ck_assert_uint_eq(stats.records, 0);
	conn_table_free(table);
}
END_TEST

/* Write a classic pcap record header by hand: caplen may be anything. */
static void
put_record_header(uint8_t *p, uint32_t sec, uint32_t caplen, uint32_t len)
{
	test_put32_le(p, sec);
	test_put32_le(p + 4, 0);
	test_put32_le(p + 8, caplen);
	test_put32_le(p + 12, len);
}

START_TEST(test_record_over_snaplen_read_on)
{
	static const uint8_t header[24] = {
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		80, 0, 0, 0, 1, 0, 0, 0		/* snap length 80, Ethernet */
	};
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct { uint8_t b[200]; } frame;
	struct test_tcp t = { .src_port = CLIENT_PORT,
	    .dst_port = SERVER_PORT, .seq = 1, .flags = SYN,
	    .window = 1000 };
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	uint8_t file[24 + 3 * (16 + 120)];
	struct trace_stats stats;
	struct conn_table *table;
	size_t off = sizeof(header), n, i;
	FILE *f;

	memcpy(file, header, sizeof(header));
	/* Three SYNs; the second claims 120 bytes, past the snap length. */
	for (i = 0; i < 3; i++) {
		n = test_put_ethernet(frame.b, 0x0800);
		n += test_put_ipv4(frame.b + n, PROTO_TCP, a, b, 0, 20);
		n += test_put_tcp(frame.b + n, &t);
		if (i == 1) {
			memset(frame.b + n, 0, 120 - n);
			n = 120;
		}
		put_record_header(file + off, 1700000000 + (uint32_t)i,
		    (uint32_t)n, (uint32_t)n);
		memcpy(file + off + 16, frame.b, n);
		off += 16 + n;
		t.src_port++;
	}
	test_tmpdir_path(path, sizeof(path), "oversize.pcap");
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(file, 1, off, f), off);
	ck_assert_int_eq(fclose(f), 0);

	table = new_table();
	ck_assert_int_eq(trace_read(path, table, &stats, TRACE_STRICT, errbuf,
	    sizeof(errbuf)), TRACE_OK);
	ck_assert_uint_eq(stats.records, 3);
	ck_assert_uint_eq(stats.tcp, 3);
	ck_assert_uint_eq(stats.oversize, 1);
	ck_assert_uint_eq(stats.first_oversize_record, 2);
	ck_assert_uint_eq(stats.first_oversize_len, 120);
	conn_table_free(table);
}
END_TEST

/*
 * The block reader (classic pcap on a regular file) against libpcap's own
 * reading of the same bytes, which a FIFO gets (it cannot be seeked):
 * records across block boundaries, longer than a block, longer than the
 * snap length (cut, read on), a byte-swapped file, and a file that ends
 * inside a record must give the same table, counts and message.
 */
enum {
	AGREE_CONNECTIONS = 3000,
	AGREE_BIG_RECORD = 262144	/* the most libpcap takes: over a block */
};

struct agree_file {
	uint8_t *b;
	size_t len, cap;
	bool big_endian;
	uint32_t snaplen;
	/* Records longer than the snap length, and the first of them. */
	uint64_t records, oversize, first_oversize_record, first_oversize_len;
};

static void
agree_put32(struct agree_file *af, uint32_t v)
{
	uint8_t *p = af->b + af->len;

	if (af->big_endian) {
		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
	} else
		test_put32_le(p, v);
	af->len += 4;
}

static void
agree_reserve(struct agree_file *af, size_t n)
{
	if (af->len + n <= af->cap)
		return;
	af->cap = (af->len + n) * 2;
	af->b = realloc(af->b, af->cap);
	ck_assert_ptr_nonnull(af->b);
}

/* A record holding a TCP frame, stored_len bytes long (zero padded). */
static void
agree_record(struct agree_file *af, uint32_t sec, uint32_t frac,
    const struct test_tcp *t, size_t stored_len)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	uint8_t frame[128];
	size_t n;

	n = test_put_ethernet(frame, 0x0800);
	n += test_put_ipv4(frame + n, PROTO_TCP, a, b, 0,
	    test_tcp_header_len(t));
	n += test_put_tcp(frame + n, t);
	if (stored_len < n)
		stored_len = n;
	af->records++;
	if (stored_len > af->snaplen && af->oversize++ == 0) {
		af->first_oversize_record = af->records;
		af->first_oversize_len = stored_len;
	}
	agree_reserve(af, 16 + stored_len);
	agree_put32(af, sec);
	agree_put32(af, frac);
	agree_put32(af, (uint32_t)stored_len);
	agree_put32(af, (uint32_t)stored_len);
	memcpy(af->b + af->len, frame, n);
	memset(af->b + af->len + n, 0, stored_len - n);
	af->len += stored_len;
}

static void
agree_build(struct agree_file *af, bool big_endian, bool nanosecond,
    uint32_t snaplen, bool oversize)
{
	static const uint8_t flags[3] = { SYN, SYN | ACK, RST | ACK };
	struct test_tcp t;
	uint32_t i, k;

	memset(af, 0, sizeof(*af));
	af->big_endian = big_endian;
	af->snaplen = snaplen;
	agree_reserve(af, 24);
	agree_put32(af, nanosecond ? 0xa1b23c4d : 0xa1b2c3d4);
	/* Versions 2.4, as the byte order has them. */
	af->b[af->len++] = big_endian ? 0 : 2;
	af->b[af->len++] = big_endian ? 2 : 0;
	af->b[af->len++] = big_endian ? 0 : 4;
	af->b[af->len++] = big_endian ? 4 : 0;
	agree_put32(af, 0);
	agree_put32(af, 0);
	agree_put32(af, snaplen);
	agree_put32(af, 1);		/* Ethernet */
	for (i = 0; i < AGREE_CONNECTIONS; i++)
		for (k = 0; k < 3; k++) {
			memset(&t, 0, sizeof(t));
			t.src_port = (uint16_t)(k == 1 ? SERVER_PORT :
			    CLIENT_PORT + i % 20000);
			t.dst_port = (uint16_t)(k == 1 ? CLIENT_PORT + i % 20000 :
			    SERVER_PORT);
			t.seq = k == 1 ? 9000 : 1000;
			t.ack = k == 0 ? 0 : 1001;
			t.flags = flags[k];
			t.window = 1000;
			/* Sizes that put records across every block edge. */
			agree_record(af, 1700000000 + i / 100, i * 3 + k, &t,
			    oversize && i % 7 == 3 ? snaplen + 40 :
			    !oversize && i == 1500 && k == 0 ?
			    AGREE_BIG_RECORD : 54 + (i * 37 + k) % 200);
		}
}

static void
agree_write(const char *path, const struct agree_file *af, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(af->b, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* trace_read() of path; its message without the path. */
static int
agree_read(const char *path, struct conn_table *table,
    struct trace_stats *stats, char *message, size_t message_size)
{
	char errbuf[ERRBUF_SIZE];
	int rc;

	errbuf[0] = '\0';
	rc = trace_read(path, table, stats, TRACE_STRICT, errbuf,
	    sizeof(errbuf));
	ck_assert_int_eq(conn_table_flush(table), 0);
	if (strncmp(errbuf, path, strlen(path)) == 0)
		snprintf(message, message_size, "%s", errbuf + strlen(path));
	else
		snprintf(message, message_size, "%s", errbuf);
	return rc;
}

static void
agree_check(const struct agree_file *af, size_t len)
{
	char file_path[4096 + 64], fifo_path[4096 + 64];
	char file_message[ERRBUF_SIZE], fifo_message[ERRBUF_SIZE];
	struct trace_stats file_stats, fifo_stats;
	struct conn_table *file_table, *fifo_table;
	int file_rc, fifo_rc, status;
	size_t i;
	pid_t child;

	test_tmpdir_path(file_path, sizeof(file_path), "agree.pcap");
	test_tmpdir_path(fifo_path, sizeof(fifo_path), "agree.fifo");
	agree_write(file_path, af, len);
	file_table = new_table();
	file_rc = agree_read(file_path, file_table, &file_stats, file_message,
	    sizeof(file_message));

	(void)unlink(fifo_path);
	ck_assert_int_eq(mkfifo(fifo_path, 0600), 0);
	child = fork();
	ck_assert_int_ne(child, -1);
	if (child == 0) {
		FILE *f = fopen(fifo_path, "wb");

		if (f == NULL || fwrite(af->b, 1, len, f) != len)
			_exit(1);
		_exit(fclose(f) == 0 ? 0 : 1);
	}
	fifo_table = new_table();
	fifo_rc = agree_read(fifo_path, fifo_table, &fifo_stats, fifo_message,
	    sizeof(fifo_message));
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(unlink(fifo_path), 0);

	ck_assert_int_eq(file_rc, fifo_rc);
	ck_assert_str_eq(file_message, fifo_message);
	ck_assert_uint_eq(file_stats.records, fifo_stats.records);
	ck_assert_uint_eq(file_stats.tcp, fifo_stats.tcp);
	/* Only a file that can be seeked shows records cut by libpcap. */
	ck_assert_uint_eq(fifo_stats.oversize, 0);
	if (len == af->len) {
		ck_assert_uint_eq(file_stats.records, af->records);
		ck_assert_uint_eq(file_stats.oversize, af->oversize);
		ck_assert_uint_eq(file_stats.first_oversize_record,
		    af->first_oversize_record);
		ck_assert_uint_eq(file_stats.first_oversize_len,
		    af->first_oversize_len);
	}
	ck_assert_uint_eq(conn_table_count(file_table),
	    conn_table_count(fifo_table));
	ck_assert_uint_gt(conn_table_count(file_table), 0);
	for (i = 0; i < conn_table_count(file_table); i++)
		ck_assert_msg(memcmp(conn_table_get(file_table, i),
		    conn_table_get(fifo_table, i), sizeof(struct conn)) == 0,
		    "connection %zu differs", i);
	conn_table_free(file_table);
	conn_table_free(fifo_table);
}

START_TEST(test_block_reader_agrees_with_libpcap)
{
	struct agree_file af;

	/* A record longer than a block, little-endian, microseconds. */
	agree_build(&af, false, false, AGREE_BIG_RECORD, false);
	agree_check(&af, af.len);
	free(af.b);
	/*
	 * Byte-swapped, nanoseconds, every 7th connection's SYN longer than
	 * the snap length; once whole, once ending inside a record.
	 */
	agree_build(&af, true, true, 200, true);
	ck_assert_uint_gt(af.oversize, 0);
	agree_check(&af, af.len);
	agree_check(&af, af.len - 30);
	free(af.b);
}
END_TEST

/* A pcapng enhanced packet block of frame (len bytes) at time us. */
static size_t
put_pcapng_epb(uint8_t *p, uint64_t us, const uint8_t *frame, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3, total = 32 + padded;

	test_put32_le(p, 6);
	test_put32_le(p + 4, (uint32_t)total);
	test_put32_le(p + 8, 0);			/* interface 0 */
	test_put32_le(p + 12, (uint32_t)(us >> 32));
	test_put32_le(p + 16, (uint32_t)us);
	test_put32_le(p + 20, (uint32_t)len);
	test_put32_le(p + 24, (uint32_t)len);
	memset(p + 28, 0, padded);
	memcpy(p + 28, frame, len);
	test_put32_le(p + 28 + padded, (uint32_t)total);
	return total;
}

START_TEST(test_pcapng_timestamp_past_2262)
{
	static const uint8_t head[28 + 20] = {
		/* section header block, little endian, version 1.0 */
		0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a,
		1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		28, 0, 0, 0,
		/* interface description block: Ethernet, snap length 256 */
		1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 20, 0, 0, 0
	};
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	struct test_tcp t = { .src_port = CLIENT_PORT,
	    .dst_port = SERVER_PORT, .seq = 1, .flags = SYN,
	    .window = 1000 };
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	uint8_t file[sizeof(head) + 3 * (32 + FRAME_MAX)], frame[FRAME_MAX];
	struct trace_stats stats;
	struct conn_table *table;
	size_t off = sizeof(head), n;
	FILE *f;

	memcpy(file, head, sizeof(head));
	n = test_put_ethernet(frame, 0x0800);
	n += test_put_ipv4(frame + n, PROTO_TCP, a, b, 0, 20);
	n += test_put_tcp(frame + n, &t);
	off += put_pcapng_epb(file + off, UINT64_C(1700000000000000), frame,
	    n);
	/* 10^10 s after 1970 (2286): past what int64 nanoseconds hold. */
	off += put_pcapng_epb(file + off, UINT64_C(10000000000000000), frame,
	    n);
	off += put_pcapng_epb(file + off, UINT64_C(1700000001000000), frame,
	    n);
	test_tmpdir_path(path, sizeof(path), "future.pcapng");
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(file, 1, off, f), off);
	ck_assert_int_eq(fclose(f), 0);

	table = new_table();
	ck_assert_int_eq(trace_read(path, table, &stats, TRACE_STRICT, errbuf,
	    sizeof(errbuf)), TRACE_ERROR);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, ": record 2: timestamp 10000000000 s") !=
	    NULL, "%s", errbuf);
	/* Read on: the records around it are decoded. */
	ck_assert_uint_eq(stats.records, 3);
	ck_assert_uint_eq(stats.tcp, 2);
	ck_assert_uint_eq(stats.bad_timestamp, 1);
	conn_table_free(table);
}
END_TEST

START_TEST(test_ip_length_zero_counted)
{
	char path[4096 + 64];
	struct trace_stats stats;
	struct conn_table *table;
	struct test_tcp t = { .src_port = CLIENT_PORT,
	    .dst_port = SERVER_PORT, .seq = 1, .flags = ACK,
	    .window = 1000, .payload_len = 2896 };
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	uint8_t frame[FRAME_MAX];
	struct writer w;
	size_t n;

	test_tmpdir_path(path, sizeof(path), "tso.pcap");
	writer_open(&w, path, DLT_EN10MB, true, false);
	n = test_put_ethernet(frame, 0x0800);
	n += test_put_ipv4(frame + n, PROTO_TCP, a, b, 0, 20 + 2896);
	test_put16(frame + 14 + 2, 0);	/* TSO: total length 0 */
	n += test_put_tcp(frame + n, &t);
	writer_record(&w, frame, n, n + 2896);
	writer_close(&w);

	table = read_capture(path, &stats);
	ck_assert_uint_eq(stats.tcp, 1);
	ck_assert_uint_eq(stats.ip_length_zero, 1);
	ck_assert_uint_eq(conn_table_get(table, 0)->half[SIDE_ORIG].payload_bytes,
	    2896);
	conn_table_free(table);
}
END_TEST

START_TEST(test_small_or_no_errbuf)
{
	char path[4096 + 64], errbuf[8];
	struct conn_table *table;

	test_tmpdir_path(path, sizeof(path), "does-not-exist.pcap");
	table = new_table();
	memset(errbuf, 'x', sizeof(errbuf));
	ck_assert_int_eq(trace_read_file(path, table, NULL, errbuf,
	    sizeof(errbuf)), -1);
	ck_assert_uint_eq(strlen(errbuf), sizeof(errbuf) - 1);
	ck_assert_int_eq(trace_read_file(path, table, NULL, NULL, 0), -1);
	ck_assert_int_eq(trace_read_file(NULL, table, NULL, errbuf,
	    sizeof(errbuf)), -1);
	conn_table_free(table);
}
END_TEST

static Suite *
trace_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("trace");

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, test_tmpdir_setup,
	    test_tmpdir_teardown);
	tcase_add_test(tc, test_ethernet_ipv4_nanosecond);
	tcase_add_test(tc, test_raw_ipv6_microsecond);
	tcase_add_test(tc, test_linux_sll2);
	tcase_add_test(tc, test_pcapng);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, test_tmpdir_setup,
	    test_tmpdir_teardown);
	tcase_add_test(tc, test_wrong_magic);
	tcase_add_test(tc, test_truncated_record_data);
	tcase_add_test(tc, test_truncated_record_header);
	tcase_add_test(tc, test_truncated_file_header);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_unsupported_linktype);
	tcase_add_test(tc, test_record_over_snaplen_read_on);
	tcase_add_test(tc, test_block_reader_agrees_with_libpcap);
	tcase_add_test(tc, test_ip_length_zero_counted);
	tcase_add_test(tc, test_pcapng_timestamp_past_2262);
	tcase_add_test(tc, test_small_or_no_errbuf);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return test_run_suite(trace_suite());
}
