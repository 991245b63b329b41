/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * draw-sample.c - sample pictures for the browser test and for eyes.
 *
 *   draw-sample DIR          DIR/index.html and DIR/captures/NAME.svg: a
 *                            report of three sample case runs
 *   draw-sample --pcap FILE OUT.svg
 *                            the first TCP connection of a capture, drawn
 *                            from its packets alone (no ledger)
 *
 * The samples are models as the lead's glue will fill them: one copied
 * from a real run of close-unread-truncates (its packets, its ledger
 * numbers), a long transfer that must fold, and a forked server whose
 * child resets while the client dies of SIGPIPE.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "html.h"
#include "ladder.h"

#define US INT64_C(1000)
#define MS INT64_C(1000000)
#define ERR_SIZE 512

static int
fail(const char *what)
{
	fprintf(stderr, "draw-sample: %s: %s\n", what, strerror(errno));
	return -1;
}

static int
seg(struct ladder *l, enum ladder_end from, int64_t at, unsigned flags, uint64_t seq,
    uint32_t len, uint64_t ack)
{
	struct ladder_segment s = { from, at, flags, seq, len, ack, false, false };

	return ladder_add_segment(l, &s);
}

enum { A = LADDER_SEG_ACK, S = LADDER_SEG_SYN, F = LADDER_SEG_FIN, R = LADDER_SEG_RST };
static const enum ladder_end CLIENT = LADDER_END_CLIENT, SERVER = LADDER_END_SERVER;

/* close-unread-truncates (IPv4), as run on Linux 6.1: the packets as captured. */
static struct ladder *
sample_unread(void)
{
	struct ladder *l = ladder_new();
	int c, s, rc = 0;

	if (l == NULL)
		return NULL;
	c = ladder_add_lane(l, "client", LADDER_END_CLIENT);
	s = ladder_add_lane(l, "server", LADDER_END_SERVER);
	rc |= ladder_set_headline(l, "close-unread-truncates (IPv4)", "PASS",
	    "server's send() accepted 3,943,424 B; client read 128,000 B, then "
	    "ECONNRESET (server->client truncated). Lost 3,815,424 B, all unsent at "
	    "close. <The 'server' closed with 100 B unread & reset.>");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, -5 * US, 30 * US, "connect() = 0");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 20 * US, 35 * US, "accept() = 4");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, 55 * US, 60 * US, "send() 1 call accepted 100 B");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 70 * US, 75 * US, "ioctl(SIOCINQ): unread 100 B");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 420 * US, 490 * US,
	    "send() 16 calls accepted 3,943,424 B, then EAGAIN");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 3080 * US, 3143 * US,
	    "close() 0.063 ms \u2014 unread 100 B, unsent 3,815,424 B, unacked 3,910,656 B");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, 3160 * US, 3175 * US,
	    "recv() 128,000 B in 2 calls, then ECONNRESET");
	rc |= ladder_add_call(l, s, LADDER_CALL_EXIT, 3190 * US, 3190 * US, "exit 0");
	rc |= ladder_add_call(l, c, LADDER_CALL_EXIT, 3230 * US, 3230 * US, "exit 0");
	rc |= seg(l, CLIENT, 0, S, 0, 0, 0);
	rc |= seg(l, SERVER, 13 * US, S | A, 0, 0, 0);
	rc |= seg(l, CLIENT, 28 * US, A, 0, 0, 0);
	rc |= seg(l, CLIENT, 63 * US, A, 0, 100, 0);
	rc |= seg(l, SERVER, 69 * US, A, 0, 0, 100);
	rc |= seg(l, SERVER, 443 * US, A, 0, 32768, 100);
	rc |= seg(l, CLIENT, 450 * US, A, 100, 0, 32768);
	rc |= seg(l, SERVER, 457 * US, A, 32768, 32768, 100);
	rc |= seg(l, SERVER, 483 * US, A, 65536, 62464, 100);
	rc |= seg(l, SERVER, 3102 * US, R | A, 128000, 0, 100);
	rc |= ladder_set_direction(l, LADDER_END_SERVER, 3943424, 128000, "truncated");
	rc |= ladder_add_loss(l, LADDER_END_SERVER, LADDER_LOSS_NEVER_ON_WIRE, 3815424);
	rc |= ladder_set_direction(l, LADDER_END_CLIENT, 100, 0, "truncated");
	rc |= ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_ON_WIRE_NEVER_READ, 100);
	rc |= ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_DISCARDED, 100);
	if (rc != 0) {
		ladder_free(l);
		return NULL;
	}
	return l;
}

/*
 * A long transfer: 10,000 data segments server->client, a few lost in
 * flight and retransmitted, then the server's FIN, the client's close with
 * data unread and its RST+ACK, and the late segment answered by a bare RST.
 */
static struct ladder *
sample_long(void)
{
	struct ladder *l = ladder_new();
	const uint32_t mss = 1448;
	int64_t t = 0;
	uint64_t seq = 0;
	int c, s, rc = 0, i;

	if (l == NULL)
		return NULL;
	c = ladder_add_lane(l, "client", LADDER_END_CLIENT);
	s = ladder_add_lane(l, "server", LADDER_END_SERVER);
	rc |= ladder_set_headline(l, "veth-long-transfer", "FAIL",
	    "server's send() accepted 14,480,000 B; client read 12,000,000 B, then "
	    "closed with 2,400,000 B unread (server->client truncated).");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, -10 * US, 120 * US, "connect() = 0");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 100 * US, 130 * US, "accept() = 4");
	rc |= seg(l, CLIENT, 0, S, 0, 0, 0);
	rc |= seg(l, SERVER, 50 * US, S | A, 0, 0, 0);
	rc |= seg(l, CLIENT, 100 * US, A, 0, 0, 0);
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 200 * US, 900 * MS,
	    "send() 221 calls accepted 14,480,000 B");
	t = 210 * US;
	for (i = 0; i < 10000; i++) {
		struct ladder_segment d = { SERVER, t, A, seq, mss, 0, false,
		    i == 4000 || i == 7000 || i == 9997 };

		rc |= ladder_add_segment(l, &d);
		if (i == 4010 || i == 7010 || i == 9999) {
			struct ladder_segment r = { SERVER, t + 5 * US, A, (uint64_t)(i - 10 + (i == 9999 ? 8 : 0)) * mss,
			    mss, 0, true, false };

			rc |= ladder_add_segment(l, &r);
		}
		if (i % 2 == 1)
			rc |= seg(l, CLIENT, t + 20 * US, A, 0, 0, seq + mss);
		seq += mss;
		t += 90 * US;
	}
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, 300 * US, t - 40 * MS,
	    "recv() 12,000,000 B in 1,465 calls");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, t + 100 * US, t + 130 * US,
	    "close() 0.030 ms \u2014 unread 0 B, unsent 0 B, unacked 2,896 B");
	rc |= seg(l, SERVER, t + 120 * US, F | A, seq, 0, 0);
	rc |= seg(l, CLIENT, t + 140 * US, A, 0, 0, seq + 1);
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, t + 2 * MS, t + 2 * MS + 20 * US,
	    "close() 0.020 ms \u2014 unread 2,480,000 B, unsent 0 B");
	rc |= seg(l, CLIENT, t + 2 * MS + 10 * US, R | A, 0, 0, seq + 1);
	rc |= ladder_add_call(l, c, LADDER_CALL_EXIT, t + 2 * MS + 100 * US, t + 2 * MS + 100 * US, "exit 0");
	rc |= seg(l, SERVER, t + 2 * MS + 300 * US, A, seq + 1, 0, 0);
	rc |= seg(l, CLIENT, t + 2 * MS + 310 * US, R, 0, 0, 0);
	rc |= ladder_add_call(l, s, LADDER_CALL_EXIT, t + 3 * MS, t + 3 * MS, "exit 0");
	rc |= ladder_set_direction(l, LADDER_END_SERVER, 14480000, 12000000, "truncated");
	rc |= ladder_add_loss(l, LADDER_END_SERVER, LADDER_LOSS_ON_WIRE_NEVER_READ, 2480000);
	rc |= ladder_add_loss(l, LADDER_END_SERVER, LADDER_LOSS_DISCARDED, 2480000);
	rc |= ladder_add_loss(l, LADDER_END_SERVER, LADDER_LOSS_IN_FLIGHT, 2896);
	if (rc != 0) {
		ladder_free(l);
		return NULL;
	}
	return l;
}

/*
 * A forked server: the parent closes (no FIN: the child holds the
 * socket), the child closes with the request half read (RST+ACK); the
 * client's next send() meets EPIPE and SIGPIPE ends it.
 */
static struct ladder *
sample_fork(void)
{
	struct ladder *l = ladder_new();
	int c, s, sc, rc = 0;

	if (l == NULL)
		return NULL;
	c = ladder_add_lane(l, "client", LADDER_END_CLIENT);
	s = ladder_add_lane(l, "server", LADDER_END_SERVER);
	sc = ladder_add_lane(l, "server.child", LADDER_END_SERVER);
	rc |= ladder_set_headline(l, "fork-child-unread-sigpipe", "PASS",
	    "client's send() accepted 2,500 B; server.child read 1,000 B (client->server "
	    "truncated); the client was killed by SIGPIPE.");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, 0, 40 * US, "connect() = 0");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 30 * US, 45 * US, "accept() = 4");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 60 * US, 160 * US, "fork() = child");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, 100 * US, 110 * US, "send() 1 call accepted 2,000 B");
	rc |= ladder_add_call(l, s, LADDER_CALL_SYSCALL, 200 * US, 204 * US,
	    "close() 0.004 ms \u2014 the child still holds the socket");
	rc |= ladder_add_call(l, s, LADDER_CALL_EXIT, 250 * US, 250 * US, "exit 0");
	rc |= ladder_add_call(l, sc, LADDER_CALL_SYSCALL, 300 * US, 310 * US, "recv() 1,000 B in 1 call");
	rc |= ladder_add_call(l, sc, LADDER_CALL_SYSCALL, 4 * MS, 4 * MS + 50 * US,
	    "close() 0.050 ms \u2014 unread 1,000 B, unsent 0 B");
	rc |= ladder_add_call(l, sc, LADDER_CALL_EXIT, 4 * MS + 100 * US, 4 * MS + 100 * US, "exit 0");
	rc |= ladder_add_call(l, c, LADDER_CALL_SYSCALL, 5 * MS, 5 * MS + 30 * US,
	    "send() 2 calls accepted 500 B, then EPIPE");
	rc |= ladder_add_call(l, c, LADDER_CALL_SIGNAL, 5 * MS + 40 * US, 5 * MS + 40 * US, "SIGPIPE");
	rc |= ladder_add_call(l, c, LADDER_CALL_EXIT, 5 * MS + 50 * US, 5 * MS + 50 * US,
	    "killed by SIGPIPE");
	rc |= seg(l, CLIENT, 5 * US, S, 0, 0, 0);
	rc |= seg(l, SERVER, 15 * US, S | A, 0, 0, 0);
	rc |= seg(l, CLIENT, 25 * US, A, 0, 0, 0);
	rc |= seg(l, CLIENT, 105 * US, A, 0, 2000, 0);
	rc |= seg(l, SERVER, 115 * US, A, 0, 0, 2000);
	rc |= seg(l, SERVER, 4 * MS + 20 * US, R | A, 0, 0, 2000);
	rc |= seg(l, CLIENT, 5 * MS + 10 * US, A, 2000, 500, 0);
	rc |= seg(l, SERVER, 5 * MS + 20 * US, R, 0, 0, 0);
	rc |= ladder_set_direction(l, LADDER_END_CLIENT, 2500, 1000, "truncated");
	rc |= ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_ON_WIRE_NEVER_READ, 1500);
	rc |= ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_DISCARDED, 1000);
	rc |= ladder_set_direction(l, LADDER_END_SERVER, 0, 0, "no data");
	if (sc < 0 || rc != 0) {
		ladder_free(l);
		return NULL;
	}
	return l;
}

static int
write_ladder(const struct ladder *l, const char *path)
{
	char err[ERR_SIZE];
	FILE *out = fopen(path, "w");

	if (out == NULL)
		return fail(path);
	if (ladder_write_svg(l, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "draw-sample: %s: %s\n", path, err);
		fclose(out);
		return -1;
	}
	if (fclose(out) != 0)
		return fail(path);
	return 0;
}

/* Capture -> ladder */

struct pcap_side {
	bool known;
	uint8_t addr[16];
	uint16_t port;
	uint32_t base;		/* isn + 1, or the first seq seen */
	bool base_known;
	uint64_t high;		/* highest relative end sent */
};

static int
pcap_side_of(struct pcap_side *sides, const struct tcp_segment *t)
{
	int i;

	for (i = 0; i < 2; i++)
		if (sides[i].known && sides[i].port == t->src_port &&
		    memcmp(sides[i].addr, t->src_addr, sizeof(t->src_addr)) == 0)
			return i;
	return -1;
}

static int
draw_pcap(const char *file, const char *svg)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_side sides[2];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct ladder *l;
	pcap_t *p;
	int linktype, rc = 0, n;

	memset(sides, 0, sizeof(sides));
	p = pcap_open_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fprintf(stderr, "draw-sample: %s\n", errbuf);
		return -1;
	}
	l = ladder_new();
	if (l == NULL || ladder_add_lane(l, "client", LADDER_END_CLIENT) < 0 ||
	    ladder_add_lane(l, "server", LADDER_END_SERVER) < 0 ||
	    ladder_set_headline(l, file, NULL, "Drawn from the capture alone.") < 0) {
		pcap_close(p);
		ladder_free(l);
		return fail("ladder");
	}
	linktype = pcap_datalink(p);
	while ((n = pcap_next_ex(p, &h, &data)) == 1) {
		struct tcp_segment t;
		struct ladder_segment s;
		struct pcap_side *me, *peer;
		int side;

		if (decode_packet(linktype, data, h->caplen, &t) != DECODE_OK)
			continue;
		t.ts_ns = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
		side = pcap_side_of(sides, &t);
		if (side < 0 && !sides[0].known && (t.flags & TCP_FLAG_SYN) &&
		    !(t.flags & TCP_FLAG_ACK)) {
			side = 0;
			sides[1].known = true;
			memcpy(sides[1].addr, t.dst_addr, sizeof(t.dst_addr));
			sides[1].port = t.dst_port;
		}
		if (side < 0)
			continue;
		me = &sides[side];
		peer = &sides[!side];
		if (!me->known) {
			me->known = true;
			memcpy(me->addr, t.src_addr, sizeof(t.src_addr));
			me->port = t.src_port;
		}
		if (!me->base_known) {
			me->base = t.seq + ((t.flags & TCP_FLAG_SYN) ? 1 : 0);
			me->base_known = true;
		}
		memset(&s, 0, sizeof(s));
		s.from = side == 0 ? LADDER_END_CLIENT : LADDER_END_SERVER;
		s.at_ns = t.ts_ns;
		s.flags = ((t.flags & TCP_FLAG_SYN) ? LADDER_SEG_SYN : 0) |
		    ((t.flags & TCP_FLAG_ACK) ? LADDER_SEG_ACK : 0) |
		    ((t.flags & TCP_FLAG_FIN) ? LADDER_SEG_FIN : 0) |
		    ((t.flags & TCP_FLAG_RST) ? LADDER_SEG_RST : 0);
		s.seq = (uint32_t)(t.seq + ((t.flags & TCP_FLAG_SYN) ? 1 : 0) - me->base);
		s.len = t.payload_len;
		s.ack = peer->base_known ? (uint32_t)(t.ack - peer->base) : 0;
		if (s.len > 0) {
			s.retransmission = s.seq + s.len <= me->high;
			if (s.seq + s.len > me->high)
				me->high = s.seq + s.len;
		}
		if (ladder_add_segment(l, &s) < 0) {
			rc = fail("ladder");
			break;
		}
	}
	if (n == -1) {
		fprintf(stderr, "draw-sample: %s: %s\n", file, pcap_geterr(p));
		rc = -1;
	}
	pcap_close(p);
	if (rc == 0)
		rc = write_ladder(l, svg);
	ladder_free(l);
	return rc;
}

/* The report */

static int
add_case(struct html_report *r, const struct html_report_case *c,
    const struct html_report_expectation *expects, size_t n)
{
	size_t i;
	int k = html_report_add_case(r, c);

	if (k < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (html_report_add_expectation(r, (size_t)k, &expects[i]) < 0)
			return -1;
	return 0;
}

static int
write_report(const char *dir)
{
	static const struct html_report_expectation unread_expects[] = {
		{ HTML_REPORT_EXPECT_OK, "client->server truncated", "client->server truncated" },
		{ HTML_REPORT_EXPECT_OK, "teardown rst from server", "teardown rst from server" },
		{ HTML_REPORT_EXPECT_OK, "rst from server ack", "RST+ACK from server" },
		{ HTML_REPORT_EXPECT_OK, "client.recv ends ECONNRESET", "client.recv ends ECONNRESET then EOF" },
		{ HTML_REPORT_EXPECT_SKIPPED, "teardown fin from server", "not judged on linux" },
	};
	static const struct html_report_expectation long_expects[] = {
		{ HTML_REPORT_EXPECT_FAILED, "server->client clean", "server->client truncated" },
		{ HTML_REPORT_EXPECT_OK, "teardown fin-then-rst", "teardown fin-then-rst" },
	};
	static const struct html_report_expectation fork_expects[] = {
		{ HTML_REPORT_EXPECT_OK, "client exits SIGPIPE", "killed by SIGPIPE" },
		{ HTML_REPORT_EXPECT_OK, "rst from server.child ack", "RST+ACK from server" },
	};
	const struct html_report_case unread = {
		"close-unread-truncates", "IPv4", "PASS", "rst from server",
		{ "truncated", "truncated" }, 3815524,
		"close-unread-truncates (IPv4): PASS. server's send() accepted 3,943,424 B; "
		"client read 128,000 B, then ECONNRESET (server->client truncated). Lost "
		"3,815,424 B, all unsent at close.",
		"captures/close-unread-truncates-v4.pcap", "captures/close-unread-truncates-v4.json",
		"captures/close-unread-truncates-v4.svg", "captures/close-unread-truncates-v4.txt",
	};
	const struct html_report_case longer = {
		"veth-long-transfer", "", "FAIL", "fin-then-rst from server",
		{ NULL, "truncated" }, 2480000,
		"veth-long-transfer: FAIL. server's send() accepted 14,480,000 B; client "
		"read 12,000,000 B, then closed with 2,480,000 B unread.",
		"captures/veth-long-transfer.pcap", "captures/veth-long-transfer.json",
		"captures/veth-long-transfer.svg", NULL,
	};
	const struct html_report_case forked = {
		"fork-child-unread-sigpipe", "", "PASS", "rst from server",
		{ "truncated", NULL }, 1500,
		"fork-child-unread-sigpipe: PASS. client's send() accepted 2,500 B; "
		"server.child read 1,000 B; the client was killed by SIGPIPE <&>.",
		"captures/fork-child-unread-sigpipe.pcap", NULL,
		"captures/fork-child-unread-sigpipe.svg", NULL,
	};
	const struct html_report_case skipped = {
		"veth-delay-needs-netem", "", "SKIP", "-", { NULL, NULL }, 0,
		"veth-delay-needs-netem: SKIP. sch_netem is not available.", NULL, NULL, NULL, NULL,
	};
	char path[4096];
	struct html_report *r;
	FILE *out;
	int rc = 0;

	r = html_report_new("closeprobe run: sample");
	if (r == NULL)
		return fail("report");
	rc |= html_report_add_platform(r, "system", "linux");
	rc |= html_report_add_platform(r, "kernel", "6.1.0-27-amd64 #1 SMP Debian");
	rc |= html_report_add_platform(r, "net.ipv4.tcp_rmem", "4096 131072 6291456");
	rc |= add_case(r, &unread, unread_expects, sizeof(unread_expects) / sizeof(unread_expects[0]));
	rc |= add_case(r, &longer, long_expects, sizeof(long_expects) / sizeof(long_expects[0]));
	rc |= add_case(r, &forked, fork_expects, sizeof(fork_expects) / sizeof(fork_expects[0]));
	rc |= add_case(r, &skipped, NULL, 0);
	rc |= html_report_set_matrix_cell(r, "close-unread-truncates", "linux-6.1", "PASS rst");
	rc |= html_report_set_matrix_cell(r, "close-unread-truncates", "freebsd-14", "PASS fin");
	rc |= html_report_add_matrix_change(r, "close-unread-truncates", "freebsd-14",
	    "teardown", "rst from server", "fin from server");
	rc |= html_report_set_matrix_cell(r, "veth-long-transfer", "linux-6.1", "FAIL");
	rc |= html_report_set_matrix_cell(r, "veth-long-transfer", "freebsd-14", "FAIL");
	rc |= html_report_set_matrix_cell(r, "fork-child-unread-sigpipe", "linux-6.1", "PASS");
	if (rc != 0) {
		html_report_free(r);
		return fail("report");
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	out = fopen(path, "w");
	if (out == NULL) {
		html_report_free(r);
		return fail(path);
	}
	{
		char err[ERR_SIZE];

		if (html_report_write(r, out, err, sizeof(err)) < 0) {
			fprintf(stderr, "draw-sample: %s: %s\n", path, err);
			rc = -1;
		}
	}
	html_report_free(r);
	if (fclose(out) != 0 && rc == 0)
		rc = fail(path);
	return rc;
}

static int
write_samples(const char *dir)
{
	static const struct {
		const char *file;
		struct ladder *(*make)(void);
	} samples[] = {
		{ "close-unread-truncates-v4.svg", sample_unread },
		{ "veth-long-transfer.svg", sample_long },
		{ "fork-child-unread-sigpipe.svg", sample_fork },
	};
	char path[4096];
	struct ladder *l;
	size_t i;

	snprintf(path, sizeof(path), "%s/captures", dir);
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		return fail(path);
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		l = samples[i].make();
		if (l == NULL)
			return fail("sample");
		snprintf(path, sizeof(path), "%s/captures/%s", dir, samples[i].file);
		if (write_ladder(l, path) < 0) {
			ladder_free(l);
			return -1;
		}
		ladder_free(l);
	}
	return write_report(dir);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--pcap") == 0)
		return draw_pcap(argv[2], argv[3]) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	if (argc != 2) {
		fprintf(stderr, "usage: draw-sample DIR | draw-sample --pcap FILE OUT.svg\n");
		return 2;
	}
	return write_samples(argv[1]) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
