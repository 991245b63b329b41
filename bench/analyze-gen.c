/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * analyze-gen.c - deterministic capture files for bench/analyze, written
 * with pcap_open_dead() + pcap_dump(): Ethernet, IPv4, TCP with the
 * timestamp option (32-byte TCP header), as Linux loopback at MTU 1500.
 *
 *   analyze-gen bulk FILE PACKETS SNAPLEN
 *	one bulk transfer: handshake, 1448-byte segments (the sequence
 *	numbers wrap), an ACK for every second one, then FIN both ways.
 *   analyze-gen short FILE CONNECTIONS SNAPLEN
 *	short request/response connections, reusing client ports: 70 %
 *	closed with FIN, 10 % aborted by the client (RST+ACK), 10 % by the
 *	server (RST+ACK with the request unread), 10 % refused (SYN, RST+ACK).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

enum {
	ETH_LEN = 14,
	IP_LEN = 20,
	TCP_LEN = 32,		/* with the timestamp option */
	HEADERS = ETH_LEN + IP_LEN + TCP_LEN,
	MSS = 1448,
	FRAME_MAX = HEADERS + MSS,
	CLIENT_PORT_BASE = 32768,
	CLIENT_PORTS = 11600,	/* 20,000 connections reuse ports */
	SERVER_PORT = 5001
};

enum tcp_flag {
	FIN = 0x01,
	SYN = 0x02,
	RST = 0x04,
	PSH = 0x08,
	ACK = 0x10
};

struct gen {
	pcap_dumper_t *dumper;
	int64_t ts_ns;
	int64_t step_ns;
	uint64_t packets;
	uint32_t snaplen;
};

struct endpoint {
	uint32_t addr;
	uint16_t port;
	uint32_t seq;		/* next sequence number to send */
};

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

/* One segment from src to dst carrying len payload bytes (zeros). */
static void
emit(struct gen *g, struct endpoint *src, const struct endpoint *dst,
    uint8_t flags, uint32_t len, uint16_t window)
{
	static uint8_t frame[FRAME_MAX];
	struct pcap_pkthdr h;
	uint8_t *ip = frame + ETH_LEN, *tcp = ip + IP_LEN;

	memset(frame, 0, HEADERS);
	put16(frame + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP_LEN + TCP_LEN + len));
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = 6;
	put32(ip + 12, src->addr);
	put32(ip + 16, dst->addr);
	put16(tcp, src->port);
	put16(tcp + 2, dst->port);
	put32(tcp + 4, src->seq);
	put32(tcp + 8, (flags & ACK) ? dst->seq : 0);
	tcp[12] = (TCP_LEN / 4) << 4;
	tcp[13] = flags;
	put16(tcp + 14, window);
	tcp[20] = 1;			/* NOP, NOP, timestamps */
	tcp[21] = 1;
	tcp[22] = 8;
	tcp[23] = 10;
	put32(tcp + 24, (uint32_t)(g->ts_ns / 1000000));

	h.ts.tv_sec = (time_t)(g->ts_ns / 1000000000);
	h.ts.tv_usec = (suseconds_t)(g->ts_ns % 1000000000 / 1000);
	h.len = HEADERS + len;
	/* pcap_dump() writes caplen bytes as it is told. */
	h.caplen = h.len < g->snaplen ? h.len : g->snaplen;
	pcap_dump((u_char *)g->dumper, &h, frame);
	g->ts_ns += g->step_ns;
	g->packets++;
	if (!(flags & RST))
		src->seq += len + ((flags & (SYN | FIN)) ? 1 : 0);
}

static void
handshake(struct gen *g, struct endpoint *c, struct endpoint *s)
{
	emit(g, c, s, SYN, 0, 65495);
	emit(g, s, c, SYN | ACK, 0, 65483);
	emit(g, c, s, ACK, 0, 512);
}

static void
bulk(struct gen *g, uint64_t packets)
{
	struct endpoint c = { 0x7f000001, 40000, 0xfff00000 };
	struct endpoint s = { 0x7f000001, SERVER_PORT, 0x12345678 };
	uint64_t n;

	g->step_ns = 10000;
	handshake(g, &c, &s);
	emit(g, &c, &s, ACK | PSH, 100, 512);	/* the request */
	emit(g, &s, &c, ACK, 0, 512);
	/* Two data segments and an ACK: the transfer and 4 closing packets. */
	for (n = g->packets; n + 3 + 4 <= packets; n = g->packets) {
		emit(g, &s, &c, ACK, MSS, 512);
		emit(g, &s, &c, ACK | PSH, MSS, 512);
		emit(g, &c, &s, ACK, 0, 24576);
	}
	emit(g, &s, &c, FIN | ACK, 0, 512);
	emit(g, &c, &s, ACK, 0, 24576);
	emit(g, &c, &s, FIN | ACK, 0, 24576);
	emit(g, &s, &c, ACK, 0, 512);
}

static void
short_connections(struct gen *g, uint64_t count)
{
	struct endpoint c, s;
	uint64_t i;
	unsigned kind;

	g->step_ns = 20000;
	for (i = 0; i < count; i++) {
		c.addr = 0x7f000001;
		c.port = (uint16_t)(CLIENT_PORT_BASE + i % CLIENT_PORTS);
		c.seq = (uint32_t)(i * 2654435761u);
		s.addr = 0x7f000001;
		s.port = SERVER_PORT;
		s.seq = (uint32_t)(i * 40503u + 7);
		kind = (unsigned)(i % 10);
		if (kind == 9) {		/* refused */
			emit(g, &c, &s, SYN, 0, 65495);
			emit(g, &s, &c, RST | ACK, 0, 0);
			continue;
		}
		handshake(g, &c, &s);
		emit(g, &c, &s, ACK | PSH, 100, 512);
		emit(g, &s, &c, ACK, 0, 512);
		emit(g, &s, &c, ACK | PSH, 1000, 512);
		emit(g, &c, &s, ACK, 0, 512);
		if (kind == 7) {		/* client aborts */
			emit(g, &c, &s, RST | ACK, 0, 0);
		} else if (kind == 8) {		/* server closes, unread */
			emit(g, &c, &s, ACK | PSH, 50, 512);
			emit(g, &s, &c, RST | ACK, 0, 0);
		} else {
			emit(g, &s, &c, FIN | ACK, 0, 512);
			emit(g, &c, &s, ACK, 0, 512);
			emit(g, &c, &s, FIN | ACK, 0, 512);
			emit(g, &s, &c, ACK, 0, 512);
		}
	}
}

int
main(int argc, char **argv)
{
	struct gen g;
	pcap_t *dead;
	char *end;
	unsigned long long n;
	long snaplen;

	if (argc != 5 || (strcmp(argv[1], "bulk") != 0 &&
	    strcmp(argv[1], "short") != 0)) {
		fprintf(stderr, "usage: analyze-gen bulk|short FILE COUNT "
		    "SNAPLEN\n");
		return 2;
	}
	errno = 0;
	n = strtoull(argv[3], &end, 10);
	if (errno != 0 || *end != '\0' || n == 0) {
		fprintf(stderr, "analyze-gen: bad count '%s'\n", argv[3]);
		return 2;
	}
	snaplen = strtol(argv[4], &end, 10);
	if (*end != '\0' || snaplen < HEADERS || snaplen > 262144) {
		fprintf(stderr, "analyze-gen: bad snap length '%s'\n",
		    argv[4]);
		return 2;
	}
	dead = pcap_open_dead(DLT_EN10MB, (int)snaplen);
	if (dead == NULL) {
		fprintf(stderr, "analyze-gen: pcap_open_dead failed\n");
		return 1;
	}
	memset(&g, 0, sizeof(g));
	g.ts_ns = INT64_C(1700000000) * 1000000000;
	g.snaplen = (uint32_t)snaplen;
	g.dumper = pcap_dump_open(dead, argv[2]);
	if (g.dumper == NULL) {
		fprintf(stderr, "analyze-gen: %s\n", pcap_geterr(dead));
		pcap_close(dead);
		return 1;
	}
	if (strcmp(argv[1], "bulk") == 0)
		bulk(&g, n);
	else
		short_connections(&g, n);
	if (pcap_dump_flush(g.dumper) == -1) {
		fprintf(stderr, "analyze-gen: %s: write failed\n", argv[2]);
		pcap_dump_close(g.dumper);
		pcap_close(dead);
		return 1;
	}
	pcap_dump_close(g.dumper);
	pcap_close(dead);
	printf("%llu\n", (unsigned long long)g.packets);
	return 0;
}
