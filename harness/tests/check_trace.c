/*
 * check_trace.c - trace_read_file() on capture files written here, with
 * pcap_open_dead() + pcap_dump() (and a hand-made pcapng), in a
 * mkdtemp() directory.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "conntrack.h"
#include "decode.h"
#include "trace.h"

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

static char tmpdir[4096];

static void
setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/check_trace.XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char path[4096 + 256];
	struct dirent *d;
	DIR *dir;

	dir = opendir(tmpdir);
	if (dir == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, d->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(tmpdir);
}

static void
temp_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

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
	w->dead = pcap_open_dead_with_tstamp_precision(linktype, SNAPLEN,
	    nanosecond ? PCAP_TSTAMP_PRECISION_NANO :
	    PCAP_TSTAMP_PRECISION_MICRO);
	ck_assert_ptr_nonnull(w->dead);
	w->dumper = pcap_dump_open(w->dead, path);
	ck_assert_msg(w->dumper != NULL, "%s", pcap_geterr(w->dead));
	w->bytes = 24;
}

static void
writer_close(struct writer *w)
{
	pcap_dump_close(w->dumper);
	pcap_close(w->dead);
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
	struct pcap_pkthdr header;

	w->ts_ns += ts_step_ns;
	memset(&header, 0, sizeof(header));
	header.ts.tv_sec = (time_t)(w->ts_ns / 1000000000);
	header.ts.tv_usec = (suseconds_t)(w->ts_ns % 1000000000 /
	    (w->nanosecond ? 1 : 1000));
	header.caplen = (bpf_u_int32)caplen;
	header.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dumper, &header, frame);
	w->bytes += 16 + caplen;
	return ++w->records;
}

static size_t
put_link(uint8_t *p, int linktype, uint16_t ethertype)
{
	switch (linktype) {
	case DLT_EN10MB:
		memset(p, 0, 12);
		put16(p + 12, ethertype);
		return 14;
	case DLT_LINUX_SLL2:
		memset(p, 0, 20);
		put16(p, ethertype);
		put32(p + 4, 1);
		put16(p + 8, 772);	/* ARPHRD_LOOPBACK */
		p[11] = 6;
		return 20;
	default:
		return 0;
	}
}

/* Link + IP header for l4_len bytes of protocol proto, from a peer. */
static size_t
put_ip(const struct writer *w, uint8_t *p, enum peer from, uint8_t proto,
    size_t l4_len)
{
	uint8_t host = from == CLIENT ? 1 : 2;
	size_t len;

	len = put_link(p, w->linktype, w->ipv6 ? 0x86dd : 0x0800);
	p += len;
	if (w->ipv6) {
		memset(p, 0, 40);
		p[0] = 0x60;
		put16(p + 4, (uint16_t)l4_len);
		p[6] = proto;
		p[7] = 64;
		p[23] = host;
		p[39] = (uint8_t)(3 - host);
		return len + 40;
	}
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + l4_len));
	p[8] = 64;
	p[9] = proto;
	p[12] = 127;
	p[15] = host;
	p[16] = 127;
	p[19] = (uint8_t)(3 - host);
	return len + 20;
}

/* A TCP segment, captured up to the end of its header. */
static uint64_t
writer_tcp(struct writer *w, enum peer from, uint8_t flags, uint32_t seq,
    uint32_t ack, uint32_t payload_len)
{
	uint8_t frame[FRAME_MAX];
	uint8_t *tcp;
	size_t len;

	len = put_ip(w, frame, from, PROTO_TCP, 20 + (size_t)payload_len);
	tcp = frame + len;
	memset(tcp, 0, 20);
	put16(tcp, from == CLIENT ? CLIENT_PORT : SERVER_PORT);
	put16(tcp + 2, from == CLIENT ? SERVER_PORT : CLIENT_PORT);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	len += 20;
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
	put16(frame + len, 33333);
	put16(frame + len + 2, SENTINEL_PORT);
	put16(frame + len + 4, 16);
	memcpy(frame + len + 8, "nonce123", 8);
	len += 16;
	return writer_record(w, frame, len, len);
}

/* Handshake, 100 bytes each way, server closes first: 10 records. */
static void
writer_clean_close(struct writer *w)
{
	writer_tcp(w, CLIENT, SYN, client_isn, 0, 0);
	writer_tcp(w, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	writer_tcp(w, CLIENT, ACK, client_isn + 1, server_isn + 1, 0);
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

START_TEST(test_ethernet_ipv4_nanosecond)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	uint8_t frame[FRAME_MAX];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	struct writer w;
	int64_t first_ts;
	uint64_t server_fin;
	size_t len;

	temp_path(path, sizeof(path), "en10mb.pcap");
	writer_open(&w, path, DLT_EN10MB, true, false);
	writer_clean_close(&w);
	server_fin = 7;
	first_ts = ts_start_ns + ts_step_ns;
	writer_udp_sentinel(&w);
	/* ARP. */
	len = put_link(frame, DLT_EN10MB, 0x0806);
	memset(frame + len, 0, 28);
	writer_record(&w, frame, len + 28, len + 28);
	/* A TCP frame cut by a tiny snaplen: 30 of 54 header bytes. */
	len = put_ip(&w, frame, CLIENT, PROTO_TCP, 20);
	memset(frame + len, 0, 20);
	writer_record(&w, frame, 30, len + 20);
	/* A non-first fragment of a TCP segment. */
	len = put_ip(&w, frame, CLIENT, PROTO_TCP, 64);
	put16(frame + 14 + 6, 100);
	memset(frame + len, 0xee, 64);
	writer_record(&w, frame, len + 64, len + 64);
	writer_close(&w);

	table = new_table();
	ck_assert_msg(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
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
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	struct writer w;
	uint8_t header[24];
	uint32_t file_linktype;
	uint64_t rst;
	int64_t rst_ts;
	FILE *f;

	temp_path(path, sizeof(path), "raw.pcap");
	writer_open(&w, path, DLT_RAW, false, true);
	writer_tcp(&w, CLIENT, SYN, client_isn, 0, 0);
	writer_tcp(&w, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	writer_tcp(&w, CLIENT, ACK, client_isn + 1, server_isn + 1, 0);
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

	table = new_table();
	ck_assert_msg(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
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
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;
	const struct conn *c;
	struct writer w;

	temp_path(path, sizeof(path), "sll2.pcap");
	writer_open(&w, path, DLT_LINUX_SLL2, true, false);
	writer_tcp(&w, CLIENT, SYN, client_isn, 0, 0);
	writer_tcp(&w, SERVER, SYN | ACK, server_isn, client_isn + 1, 0);
	writer_tcp(&w, CLIENT, FIN | ACK, client_isn + 1, server_isn + 1, 0);
	writer_tcp(&w, SERVER, ACK, server_isn + 1, client_isn + 2, 0);
	writer_close(&w);

	table = new_table();
	ck_assert_msg(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
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
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
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

	temp_path(path, sizeof(path), "capture.pcapng");
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
	put16(frame + len, CLIENT_PORT);
	put16(frame + len + 2, SERVER_PORT);
	put32(frame + len + 4, client_isn);
	frame[len + 12] = 5 << 4;
	frame[len + 13] = SYN;
	put_pcapng_packet(f, frame, (uint32_t)len + 20, (uint32_t)len + 20,
	    UINT64_C(1700000000000001));
	len = put_ip(&w, frame, SERVER, PROTO_TCP, 20);
	memset(frame + len, 0, 20);
	put16(frame + len, SERVER_PORT);
	put16(frame + len + 2, CLIENT_PORT);
	put32(frame + len + 4, 0);
	put32(frame + len + 8, client_isn + 1);
	frame[len + 12] = 5 << 4;
	frame[len + 13] = RST | ACK;
	put_pcapng_packet(f, frame, (uint32_t)len + 20, (uint32_t)len + 20,
	    UINT64_C(1700000000000002));
	ck_assert_int_eq(fclose(f), 0);

	table = new_table();
	ck_assert_msg(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
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

	temp_path(path, sizeof(path), "not-a-capture.txt");
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
	temp_path(path, sizeof(path), "cut-data.pcap");
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
	temp_path(path, sizeof(path), "cut-header.pcap");
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
	table = new_table();
	ck_assert_msg(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)) == 0, "%s", errbuf);
	ck_assert_uint_eq(stats.records, 9);
	conn_table_free(table);
}
END_TEST

START_TEST(test_truncated_file_header)
{
	char path[4096 + 64], errbuf[ERRBUF_SIZE];
	struct trace_stats stats;
	struct conn_table *table;

	temp_path(path, sizeof(path), "cut-file-header.pcap");
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

	temp_path(path, sizeof(path), "does-not-exist.pcap");
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

	temp_path(path, sizeof(path), "wifi.pcap");
	writer_open(&w, path, DLT_IEEE802_11, true, false);
	memset(frame, 0, sizeof(frame));
	writer_record(&w, frame, sizeof(frame), sizeof(frame));
	writer_close(&w);

	table = new_table();
	errbuf[0] = '\0';
	ck_assert_int_eq(trace_read_file(path, table, &stats, errbuf,
	    sizeof(errbuf)), -1);
	assert_names_file(errbuf, path);
	ck_assert_msg(strstr(errbuf, "IEEE802_11") != NULL, "%s", errbuf);
	ck_assert_int_eq(stats.linktype, DLT_IEEE802_11);
	ck_assert_uint_eq(stats.records, 0);
	conn_table_free(table);
}
END_TEST

START_TEST(test_small_or_no_errbuf)
{
	char path[4096 + 64], errbuf[8];
	struct conn_table *table;

	temp_path(path, sizeof(path), "does-not-exist.pcap");
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
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ethernet_ipv4_nanosecond);
	tcase_add_test(tc, test_raw_ipv6_microsecond);
	tcase_add_test(tc, test_linux_sll2);
	tcase_add_test(tc, test_pcapng);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_wrong_magic);
	tcase_add_test(tc, test_truncated_record_data);
	tcase_add_test(tc, test_truncated_record_header);
	tcase_add_test(tc, test_truncated_file_header);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_unsupported_linktype);
	tcase_add_test(tc, test_small_or_no_errbuf);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(trace_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
