/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder-capture.c - a ladder's segments from a capture file: one
 * connection's packets, numbered as they come (see ladder.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "ladder.h"

/* Connections told apart at most; a capture with more is cut short. */
#define CAPTURE_MAX_CONNECTIONS (1u << 20)

struct endpoint {
	uint8_t addr[16];
	uint16_t port;
};

struct tracked {
	struct endpoint client, server;	/* the client sent the SYN (or the first packet) */
	uint32_t client_isn;
	bool client_isn_known;
};

struct side_state {
	uint32_t base;		/* isn + 1, or the first seq seen */
	bool base_known;
	uint64_t high;		/* highest relative end sent */
};

static bool
endpoint_is(const struct endpoint *e, const uint8_t *addr, uint16_t port)
{
	return e->port == port && memcmp(e->addr, addr, sizeof(e->addr)) == 0;
}

/* Which connection a segment belongs to: an index, or -1 new. */
static long
find_connection(const struct tracked *conns, size_t n, const struct tcp_segment *t,
    enum ladder_end *from)
{
	size_t i;

	/* Newest first: a reused address pair belongs to its latest use. */
	for (i = n; i-- > 0;) {
		const struct tracked *c = &conns[i];

		if (endpoint_is(&c->client, t->src_addr, t->src_port) &&
		    endpoint_is(&c->server, t->dst_addr, t->dst_port)) {
			*from = LADDER_END_CLIENT;
			/* A fresh SYN with another ISN opens the pair anew. */
			if ((t->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN &&
			    c->client_isn_known && c->client_isn != t->seq)
				return -1;
			return (long)i;
		}
		if (endpoint_is(&c->server, t->src_addr, t->src_port) &&
		    endpoint_is(&c->client, t->dst_addr, t->dst_port)) {
			*from = LADDER_END_SERVER;
			return (long)i;
		}
	}
	return -1;
}

static int
track(struct tracked **conns, size_t *n, size_t *cap, const struct tcp_segment *t)
{
	struct tracked *c;

	if (*n == *cap) {
		size_t grown = *cap ? *cap * 2 : 16;
		struct tracked *more;

		if (*n >= CAPTURE_MAX_CONNECTIONS) {
			errno = E2BIG;
			return -1;
		}
		more = realloc(*conns, grown * sizeof(*more));
		if (more == NULL)
			return -1;
		*conns = more;
		*cap = grown;
	}
	c = &(*conns)[(*n)++];
	memset(c, 0, sizeof(*c));
	/* A SYN+ACK seen first: its sender is the server. */
	if ((t->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == (TCP_FLAG_SYN | TCP_FLAG_ACK)) {
		memcpy(c->server.addr, t->src_addr, sizeof(c->server.addr));
		c->server.port = t->src_port;
		memcpy(c->client.addr, t->dst_addr, sizeof(c->client.addr));
		c->client.port = t->dst_port;
	} else {
		memcpy(c->client.addr, t->src_addr, sizeof(c->client.addr));
		c->client.port = t->src_port;
		memcpy(c->server.addr, t->dst_addr, sizeof(c->server.addr));
		c->server.port = t->dst_port;
		if ((t->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN) {
			c->client_isn = t->seq;
			c->client_isn_known = true;
		}
	}
	return 0;
}

static int
add_segment(struct ladder *l, struct side_state sides[LADDER_END_COUNT],
    enum ladder_end from, const struct tcp_segment *t)
{
	struct side_state *me = &sides[from], *peer = &sides[!from];
	uint32_t syn = (t->flags & TCP_FLAG_SYN) ? 1 : 0;
	struct ladder_segment s;

	if (!me->base_known) {
		me->base = t->seq + syn;
		me->base_known = true;
	}
	memset(&s, 0, sizeof(s));
	s.from = from;
	s.at_ns = t->ts_ns;
	s.flags = ((t->flags & TCP_FLAG_SYN) ? LADDER_SEG_SYN : 0) |
	    ((t->flags & TCP_FLAG_ACK) ? LADDER_SEG_ACK : 0) |
	    ((t->flags & TCP_FLAG_FIN) ? LADDER_SEG_FIN : 0) |
	    ((t->flags & TCP_FLAG_RST) ? LADDER_SEG_RST : 0);
	/* 32-bit offsets from the base: enough for a picture (4 GiB). */
	s.seq = (uint32_t)(t->seq + syn - me->base);
	s.len = t->payload_len;
	s.ack = peer->base_known ? (uint32_t)(t->ack - peer->base) : 0;
	if (s.len > 0) {
		s.retransmission = s.seq + s.len <= me->high;
		if (s.seq + s.len > me->high)
			me->high = s.seq + s.len;
	}
	return ladder_add_segment(l, &s);
}

/* Which connection to draw: by number, or by its ports. */
struct capture_choice {
	size_t conn;		/* 1-based; 0: by ports */
	uint16_t server_port, client_port;	/* client_port 0: any */
	long chosen;		/* the index chosen by ports, or -1 */
};

static bool
chosen(struct capture_choice *want, const struct tracked *c, long index)
{
	if (want->conn != 0)
		return (size_t)index + 1 == want->conn;
	if (want->chosen < 0 && c->server.port == want->server_port &&
	    (want->client_port == 0 || c->client.port == want->client_port))
		want->chosen = index;
	return index == want->chosen;
}

static int read_capture(struct ladder *l, const char *path, struct capture_choice *want,
    struct ladder_capture_info *info, char *err, size_t errlen);

int
ladder_read_capture(struct ladder *l, const char *path, size_t conn,
    struct ladder_capture_info *info, char *err, size_t errlen)
{
	struct capture_choice want = { conn, 0, 0, -1 };

	if (conn == 0) {
		memset(info, 0, sizeof(*info));
		snprintf(err, errlen, "connections are numbered from 1");
		return -1;
	}
	return read_capture(l, path, &want, info, err, errlen);
}

int
ladder_read_capture_ports(struct ladder *l, const char *path, uint16_t server_port,
    uint16_t client_port, struct ladder_capture_info *info, char *err, size_t errlen)
{
	struct capture_choice want = { 0, server_port, client_port, -1 };

	return read_capture(l, path, &want, info, err, errlen);
}

static int
read_capture(struct ladder *l, const char *path, struct capture_choice *want,
    struct ladder_capture_info *info, char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct side_state sides[LADDER_END_COUNT];
	struct tracked *conns = NULL;
	size_t nconns = 0, cap = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int linktype, n, rc = 0;

	memset(info, 0, sizeof(*info));
	memset(sides, 0, sizeof(sides));
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		snprintf(err, errlen, "%s", errbuf);
		return -1;
	}
	linktype = pcap_datalink(p);
	if (!decode_linktype_supported(linktype)) {
		snprintf(err, errlen, "link type %s cannot carry TCP as closeprobe reads it",
		    pcap_datalink_val_to_name(linktype) ? pcap_datalink_val_to_name(linktype) : "?");
		pcap_close(p);
		return -1;
	}
	while ((n = pcap_next_ex(p, &h, &data)) == 1) {
		struct tcp_segment t;
		enum ladder_end from = LADDER_END_CLIENT;
		long index;

		info->records++;
		if (decode_packet(linktype, data, h->caplen, &t) != DECODE_OK)
			continue;
		t.ts_ns = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
		index = find_connection(conns, nconns, &t, &from);
		if (index < 0) {
			if (track(&conns, &nconns, &cap, &t) < 0) {
				snprintf(err, errlen, "%s", errno == E2BIG ?
				    "more than 1,048,576 connections" : strerror(errno));
				rc = -1;
				break;
			}
			index = (long)nconns - 1;
			from = endpoint_is(&conns[index].client, t.src_addr, t.src_port) ?
			    LADDER_END_CLIENT : LADDER_END_SERVER;
		}
		if (!chosen(want, &conns[index], index))
			continue;
		if (info->packets == 0) {
			info->family = t.family;
			memcpy(info->client_addr, conns[index].client.addr, 16);
			memcpy(info->server_addr, conns[index].server.addr, 16);
			info->client_port = conns[index].client.port;
			info->server_port = conns[index].server.port;
		}
		info->packets++;
		if (add_segment(l, sides, from, &t) < 0) {
			snprintf(err, errlen, "%s", strerror(errno));
			rc = -1;
			break;
		}
	}
	if (rc == 0 && n == -1) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		rc = -1;
	}
	info->connections = nconns;
	if (rc == 0 && info->packets == 0) {
		if (want->conn != 0)
			snprintf(err, errlen, "no connection %zu: the capture holds %zu TCP "
			    "connection%s", want->conn, nconns, nconns == 1 ? "" : "s");
		else
			snprintf(err, errlen, "no connection to port %u: the capture holds %zu "
			    "TCP connection%s", want->server_port, nconns, nconns == 1 ? "" : "s");
		rc = -1;
	}
	free(conns);
	pcap_close(p);
	return rc;
}
