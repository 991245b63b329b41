/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_ladder.c - ladder diagrams: well-formed, escaped, self-contained
 * SVG; lanes, calls, arrows and RST kinds; folding keeps the teardown in
 * full and the size bounded; the loss spans; errors; and the markup
 * helpers the pictures share.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "markup.h"
#include "testutil.h"
#include "units.h"
#include "xmlcheck.h"

#define US INT64_C(1000)
#define MS INT64_C(1000000)

/* The SVG of l, NUL-ended (free() it); the test fails when it is not well formed. */
static char *
render(const struct ladder *l)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	ck_assert_msg(ladder_write_svg(l, out, err, sizeof(err)) == 0, "write: %s", err);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_msg(xmlcheck_document(buf, len, XMLCHECK_XML, err, sizeof(err)) == 0,
	    "not well formed: %s", err);
	return buf;
}

static void
add_seg(struct ladder *l, enum ladder_end from, int64_t at, unsigned flags, uint64_t seq,
    uint32_t len, uint64_t ack)
{
	struct ladder_segment s = { from, at, flags, seq, len, ack, false, false };

	ck_assert_int_eq(ladder_add_segment(l, &s), 0);
}

/* A handshake, a request, a reset: the shape of close-unread-truncates. */
static struct ladder *
unread_case(void)
{
	struct ladder *l = ladder_new();
	int c, s;

	ck_assert_ptr_nonnull(l);
	c = ladder_add_lane(l, "client", LADDER_END_CLIENT);
	s = ladder_add_lane(l, "server", LADDER_END_SERVER);
	ck_assert_int_eq(c, 0);
	ck_assert_int_eq(s, 1);
	ck_assert_int_eq(ladder_set_headline(l, "close-unread-truncates (IPv4)", "PASS",
	    "server closed with 100 B unread."), 0);
	ck_assert_int_eq(ladder_add_call(l, c, LADDER_CALL_SYSCALL, 0, 30 * US, "connect() = 0"), 0);
	ck_assert_int_eq(ladder_add_call(l, s, LADDER_CALL_SYSCALL, 3080 * US, 3143 * US,
	    "close() 0.063 ms \u2014 unread 100 B, unsent 3,815,424 B"), 0);
	add_seg(l, LADDER_END_CLIENT, 5 * US, LADDER_SEG_SYN, 0, 0, 0);
	add_seg(l, LADDER_END_SERVER, 13 * US, LADDER_SEG_SYN | LADDER_SEG_ACK, 0, 0, 0);
	add_seg(l, LADDER_END_CLIENT, 28 * US, LADDER_SEG_ACK, 0, 0, 0);
	add_seg(l, LADDER_END_CLIENT, 63 * US, LADDER_SEG_ACK, 0, 100, 0);
	add_seg(l, LADDER_END_SERVER, 69 * US, LADDER_SEG_ACK, 0, 0, 100);
	add_seg(l, LADDER_END_SERVER, 3102 * US, LADDER_SEG_RST | LADDER_SEG_ACK, 128000, 0, 100);
	return l;
}

START_TEST(test_lanes_and_arrows)
{
	struct ladder *l = unread_case();
	char *svg = render(l);

	ck_assert_ptr_nonnull(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"lane\""), 2);
	ck_assert_ptr_nonnull(strstr(svg, "data-lane=\"client\" data-end=\"client\""));
	ck_assert_ptr_nonnull(strstr(svg, "data-lane=\"server\" data-end=\"server\""));
	ck_assert_uint_eq(xmlcheck_count(svg, "class=\"segment syn\""), 2);
	ck_assert_uint_eq(xmlcheck_count(svg, "class=\"segment data\""), 1);
	ck_assert_uint_eq(xmlcheck_count(svg, "class=\"segment ack\""), 2);
	ck_assert_uint_eq(xmlcheck_count(svg, "class=\"segment rst-ack\""), 1);
	ck_assert_uint_eq(xmlcheck_count(svg, "class=\"segment fin\""), 0);
	ck_assert_ptr_nonnull(strstr(svg, ">SYN+ACK</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">bytes 0\u2013100 (100 B)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">RST+ACK, seq 128,000</text>"));
	ck_assert_uint_eq(xmlcheck_count(svg, "class=\"call syscall\""), 2);
	/* The headline: status and name, as text. */
	ck_assert_ptr_nonnull(strstr(svg, ">PASS</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">close-unread-truncates (IPv4)</text>"));
	/* Times from the first event, in ms: the RST 3.102 ms after connect(). */
	ck_assert_ptr_nonnull(strstr(svg, ">3.102</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">time (ms)</text>"));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_empty_has_both_ends)
{
	struct ladder *l = ladder_new();
	char *svg = render(l);

	ck_assert_ptr_nonnull(strstr(svg, "data-lane=\"client\""));
	ck_assert_ptr_nonnull(strstr(svg, "data-lane=\"server\""));
	ck_assert_ptr_null(strstr(svg, "Where the data went"));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_escaping)
{
	struct ladder *l = ladder_new();
	char *svg;
	int lane;

	lane = ladder_add_lane(l, "<a&b>\"q\" 'x'", LADDER_END_CLIENT);
	ck_assert_int_ge(lane, 0);
	ck_assert_int_eq(ladder_add_call(l, lane, LADDER_CALL_SYSCALL, 0, 0,
	    "<script>alert(1)</script> & ]]> <!-- -->"), 0);
	/* a control character, a stray byte, a UTF-16 surrogate in UTF-8, U+FFFE */
	ck_assert_int_eq(ladder_set_headline(l, "bad\x01name\xff", "<PASS>",
	    "cut \xed\xa0\x80 here \xef\xbf\xbe end \xe2\x82"), 0);
	svg = render(l);
	ck_assert_ptr_null(strstr(svg, "<script"));
	ck_assert_ptr_null(strstr(svg, "<a&b>"));
	ck_assert_ptr_nonnull(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; &lt;!-- --&gt;"));
	ck_assert_ptr_nonnull(strstr(svg, "data-lane=\"&lt;a&amp;b&gt;&quot;q&quot; &#39;x&#39;\""));
	ck_assert_ptr_nonnull(strstr(svg, ">&lt;PASS&gt;</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "bad\xef\xbf\xbdname\xef\xbf\xbd"));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_self_contained)
{
	struct ladder *l = unread_case();
	char *svg = render(l), *p;

	ck_assert_ptr_null(strstr(svg, "<script"));
	ck_assert_ptr_null(strstr(svg, "href"));
	ck_assert_ptr_null(strstr(svg, "url("));
	ck_assert_ptr_null(strstr(svg, "@import"));
	ck_assert_ptr_null(strstr(svg, "<image"));
	ck_assert_ptr_null(strstr(svg, "<style"));
	/* http: only in the namespace name */
	ck_assert_uint_eq(xmlcheck_count(svg, "http"), 1);
	for (p = strstr(svg, "font-family="); p != NULL; p = strstr(p + 1, "font-family="))
		ck_assert_msg(strncmp(p, "font-family=\"sans-serif\"", 24) == 0, "%.40s", p);
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_rst_kinds_differ)
{
	struct ladder *l = ladder_new();
	char *svg, *ack, *bare, *end;

	add_seg(l, LADDER_END_SERVER, 1 * MS, LADDER_SEG_RST | LADDER_SEG_ACK, 10, 0, 5);
	add_seg(l, LADDER_END_CLIENT, 2 * MS, LADDER_SEG_RST, 5, 0, 0);
	svg = render(l);
	ack = strstr(svg, "<g class=\"segment rst-ack\">");
	bare = strstr(svg, "<g class=\"segment rst-bare\">");
	ck_assert_ptr_nonnull(ack);
	ck_assert_ptr_nonnull(bare);
	/* RST+ACK solid, the bare RST dashed; both red, both named. */
	end = strstr(ack, "</g>");
	ck_assert_ptr_nonnull(end);
	ck_assert_ptr_null(memmem(ack, (size_t)(end - ack), "stroke-dasharray", 16));
	ck_assert_ptr_nonnull(memmem(ack, (size_t)(end - ack), "stroke=\"#c62828\"", 16));
	ck_assert_ptr_nonnull(memmem(ack, (size_t)(end - ack), ">RST+ACK, seq 10</text>", 23));
	end = strstr(bare, "</g>");
	ck_assert_ptr_nonnull(memmem(bare, (size_t)(end - bare), "stroke-dasharray=\"7 4\"", 22));
	ck_assert_ptr_nonnull(memmem(bare, (size_t)(end - bare), ">RST (bare), seq 5</text>", 25));
	ck_assert_ptr_nonnull(memmem(bare, (size_t)(end - bare), "stroke=\"#c62828\"", 16));
	free(svg);
	ladder_free(l);
}
END_TEST

enum {
	LONG_SEGMENTS = 10000,
	MSS = 1448
};

/* n data segments server->client, then the server's FIN. */
static struct ladder *
long_transfer(size_t n, bool acks)
{
	struct ladder *l = ladder_new();
	size_t i;

	ck_assert_int_ge(ladder_add_lane(l, "client", LADDER_END_CLIENT), 0);
	ck_assert_int_ge(ladder_add_lane(l, "server", LADDER_END_SERVER), 0);
	add_seg(l, LADDER_END_CLIENT, 0, LADDER_SEG_SYN, 0, 0, 0);
	add_seg(l, LADDER_END_SERVER, 10 * US, LADDER_SEG_SYN | LADDER_SEG_ACK, 0, 0, 0);
	for (i = 0; i < n; i++) {
		add_seg(l, LADDER_END_SERVER, (int64_t)(100 + 10 * i) * US, LADDER_SEG_ACK,
		    (uint64_t)i * MSS, MSS, 0);
		if (acks)
			add_seg(l, LADDER_END_CLIENT, (int64_t)(105 + 10 * i) * US, LADDER_SEG_ACK,
			    0, 0, (uint64_t)(i + 1) * MSS);
	}
	add_seg(l, LADDER_END_SERVER, (int64_t)(200 + 10 * n) * US, LADDER_SEG_FIN | LADDER_SEG_ACK,
	    (uint64_t)n * MSS, 0, 0);
	return l;
}

/* "bytes A–B (1,448 B)" of data segment i */
static void
segment_text(size_t i, char *buf, size_t size)
{
	char a[32], b[32];

	units_format_count((uint64_t)i * MSS, a, sizeof(a));
	units_format_count((uint64_t)(i + 1) * MSS, b, sizeof(b));
	snprintf(buf, size, ">bytes %s\u2013%s (1,448 B)</text>", a, b);
}

START_TEST(test_fold_bounded_keeps_last)
{
	struct ladder *l = long_transfer(LONG_SEGMENTS, false);
	char *svg = render(l), text[128];
	size_t i, keep = LADDER_DEFAULT_FOLD_KEEP;

	ck_assert_msg(strlen(svg) < 40000, "%zu bytes", strlen(svg));
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"band data\">"), 1);
	ck_assert_ptr_nonnull(strstr(svg, ">9,994 segments, bytes 0\u201314,471,312</text>"));
	/* The last keep segments before the FIN, in full; the one before, folded. */
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"segment data\">"), keep);
	for (i = LONG_SEGMENTS - keep; i < LONG_SEGMENTS; i++) {
		segment_text(i, text, sizeof(text));
		ck_assert_msg(strstr(svg, text) != NULL, "segment %zu not in full", i);
	}
	segment_text(LONG_SEGMENTS - keep - 1, text, sizeof(text));
	ck_assert_ptr_null(strstr(svg, text));
	ck_assert_ptr_nonnull(strstr(svg, ">FIN, seq 14,480,000</text>"));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_fold_acks)
{
	struct ladder *l = long_transfer(LONG_SEGMENTS, true);
	char *svg = render(l);

	ck_assert_msg(strlen(svg) < 40000, "%zu bytes", strlen(svg));
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"band data\">"), 1);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"band ack\">"), 1);
	/* 6 kept before the FIN: 3 data, 3 ACKs. */
	ck_assert_ptr_nonnull(strstr(svg, ">9,997 ACKs, ack 1,448\u201314,475,656</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">9,997 segments, bytes 0\u201314,475,656</text>"));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_fold_off)
{
	struct ladder *l = long_transfer(100, false);
	char *svg;

	ladder_set_folding(l, 0, 0);
	svg = render(l);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"segment data\">"), 100);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"band"), 0);
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_fold_below_threshold)
{
	struct ladder *l = long_transfer(LADDER_DEFAULT_FOLD_THRESHOLD + LADDER_DEFAULT_FOLD_KEEP, false);
	char *svg = render(l);

	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"band"), 0);
	free(svg);
	ladder_free(l);
}
END_TEST

/* Retransmissions and losses inside a band are counted; in full, marked. */
START_TEST(test_retransmissions_and_losses)
{
	struct ladder *l = ladder_new();
	struct ladder_segment s;
	char *svg;
	size_t i;

	for (i = 0; i < 200; i++) {
		s = (struct ladder_segment){ LADDER_END_SERVER, (int64_t)i * US, LADDER_SEG_ACK,
		    (uint64_t)i * 100, 100, 0, i == 50 || i == 198, i == 40 || i == 197 };
		ck_assert_int_eq(ladder_add_segment(l, &s), 0);
	}
	add_seg(l, LADDER_END_SERVER, 300 * US, LADDER_SEG_FIN | LADDER_SEG_ACK, 20000, 0, 0);
	svg = render(l);
	ck_assert_ptr_nonnull(strstr(svg, ">1 retransmitted, 1 lost in flight</text>"));
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"segment data retransmission\">"), 1);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"segment data lost\">"), 1);
	ck_assert_ptr_nonnull(strstr(svg, " \u00b7 lost in flight</text>"));
	ck_assert_ptr_nonnull(strstr(svg, " \u00b7 retransmission</text>"));
	free(svg);
	ladder_free(l);
}
END_TEST

/* What follows the RST is drawn in full too (up to keep segments). */
START_TEST(test_keep_after_reset)
{
	struct ladder *l = ladder_new();
	char *svg;
	size_t i;

	add_seg(l, LADDER_END_SERVER, 0, LADDER_SEG_RST | LADDER_SEG_ACK, 0, 0, 0);
	for (i = 0; i < 100; i++)
		add_seg(l, LADDER_END_CLIENT, (int64_t)(i + 1) * US, LADDER_SEG_ACK, i * 10, 10, 0);
	svg = render(l);
	ck_assert_ptr_nonnull(strstr(svg, ">bytes 0\u201310 (10 B)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">bytes 50\u201360 (10 B)</text>"));
	ck_assert_ptr_null(strstr(svg, ">bytes 60\u201370 (10 B)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">94 segments, bytes 60\u20131,000</text>"));
	free(svg);
	ladder_free(l);
}
END_TEST

/*
 * A closed socket answering each late segment: the first RST and what
 * follows it in full, the rest of the storm folded, its RSTs a band of
 * their own (not counted as ACKs).
 */
START_TEST(test_rst_storm_folds)
{
	struct ladder *l = ladder_new();
	char *svg;
	size_t i;

	add_seg(l, LADDER_END_SERVER, 0, LADDER_SEG_RST | LADDER_SEG_ACK, 0, 0, 0);
	for (i = 0; i < 40; i++) {
		add_seg(l, LADDER_END_CLIENT, (int64_t)(2 * i + 1) * US, LADDER_SEG_ACK, i * 10, 10, 0);
		add_seg(l, LADDER_END_SERVER, (int64_t)(2 * i + 2) * US, LADDER_SEG_RST, 0, 0, 0);
	}
	svg = render(l);
	ck_assert_ptr_nonnull(strstr(svg, ">RST+ACK, seq 0</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">bytes 20\u201330 (10 B)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">37 segments, bytes 30\u2013400</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">37 bare RSTs, seq 0\u20130</text>"));
	ck_assert_ptr_nonnull(strstr(svg, "<g class=\"band rst\">"));
	ck_assert_ptr_null(strstr(svg, "ACKs, ack"));
	free(svg);
	ladder_free(l);
}
END_TEST

/* A lone request in a long answer is not a band of one: it stays in full. */
START_TEST(test_lone_segment_not_folded)
{
	struct ladder *l = ladder_new();
	char *svg;
	size_t i;

	for (i = 0; i < 100; i++) {
		add_seg(l, LADDER_END_SERVER, (int64_t)(i * 10) * US, LADDER_SEG_ACK, i * 10, 10, 0);
		if (i == 50)
			add_seg(l, LADDER_END_CLIENT, (int64_t)(i * 10 + 5) * US, LADDER_SEG_ACK, 0, 77, 0);
	}
	svg = render(l);
	ck_assert_ptr_nonnull(strstr(svg, ">bytes 0\u201377 (77 B)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">51 segments, bytes 0\u2013510</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">49 segments, bytes 510\u20131,000</text>"));
	ck_assert_ptr_null(strstr(svg, ">1 segments"));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_calls_children_signals)
{
	struct ladder *l = ladder_new();
	int c, s, sc;
	char *svg, *lane, *end;

	c = ladder_add_lane(l, "client", LADDER_END_CLIENT);
	s = ladder_add_lane(l, "server", LADDER_END_SERVER);
	sc = ladder_add_lane(l, "server.child", LADDER_END_SERVER);
	ck_assert_int_eq(sc, 2);
	ck_assert_int_eq(ladder_add_call(l, s, LADDER_CALL_SYSCALL, 0, 10 * US, "fork() = child"), 0);
	ck_assert_int_eq(ladder_add_call(l, sc, LADDER_CALL_SYSCALL, 20 * US, 30 * US, "recv() 1,000 B"), 0);
	ck_assert_int_eq(ladder_add_call(l, c, LADDER_CALL_SIGNAL, 40 * US, 40 * US, "SIGPIPE"), 0);
	ck_assert_int_eq(ladder_add_call(l, c, LADDER_CALL_EXIT, 50 * US, 50 * US, "killed by SIGPIPE"), 0);
	ck_assert_int_eq(ladder_add_call(l, sc, LADDER_CALL_EXIT, 60 * US, 60 * US, "exit 0"), 0);
	svg = render(l);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"lane\""), 3);
	ck_assert_ptr_nonnull(strstr(svg, "data-lane=\"server.child\" data-end=\"server\""));
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"call syscall\">"), 2);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"call signal\">"), 1);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"call exit\">"), 2);
	ck_assert_ptr_nonnull(strstr(svg, "<title>server.child: recv() 1,000 B</title>"));
	ck_assert_ptr_nonnull(strstr(svg, ">killed by SIGPIPE</text>"));
	/* The client's lane goes dotted after its exit; the server's never exits. */
	lane = strstr(svg, "data-lane=\"client\"");
	end = strstr(lane, "</g>");
	ck_assert_ptr_nonnull(memmem(lane, (size_t)(end - lane), "stroke-dasharray=\"2 4\"", 22));
	lane = strstr(svg, "data-lane=\"server\"");
	end = strstr(lane, "</g>");
	ck_assert_ptr_null(memmem(lane, (size_t)(end - lane), "stroke-dasharray", 16));
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_loss_spans)
{
	struct ladder *l = unread_case();
	char *svg;

	ck_assert_int_eq(ladder_set_direction(l, LADDER_END_SERVER, 3943424, 128000, "truncated"), 0);
	ck_assert_int_eq(ladder_add_loss(l, LADDER_END_SERVER, LADDER_LOSS_NEVER_ON_WIRE, 3815424), 0);
	ck_assert_int_eq(ladder_set_direction(l, LADDER_END_CLIENT, 100, 0, "truncated"), 0);
	ck_assert_int_eq(ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_ON_WIRE_NEVER_READ, 100), 0);
	ck_assert_int_eq(ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_DISCARDED, 100), 0);
	ck_assert_int_eq(ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_IN_FLIGHT, 1), 0);
	svg = render(l);
	ck_assert_ptr_nonnull(strstr(svg, ">Where the data went</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">server \u2192 client: truncated \u2014 send() accepted "
	    "3,943,424 B, recv() returned 128,000 B</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">read by the application: 128,000 B (3.2%)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">never on the wire: 3,815,424 B (96.8%)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">on the wire, never read: 100 B (100.0%)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">of those, discarded in the reader&#39;s queue: 100 B (100.0%)</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">of those, lost in flight: 1 B (1.0%)</text>"));
	/* read + never-on-wire; on-wire + discarded + in flight */
	ck_assert_uint_eq(xmlcheck_count(svg, "<rect class=\"loss\""), 5);
	free(svg);
	ladder_free(l);
}
END_TEST

START_TEST(test_pause_marked)
{
	struct ladder *l = ladder_new();
	char *svg;

	add_seg(l, LADDER_END_CLIENT, 0, LADDER_SEG_SYN, 0, 0, 0);
	add_seg(l, LADDER_END_SERVER, 10 * US, LADDER_SEG_SYN | LADDER_SEG_ACK, 0, 0, 0);
	add_seg(l, LADDER_END_CLIENT, 20 * US, LADDER_SEG_ACK, 0, 0, 0);
	add_seg(l, LADDER_END_CLIENT, 2 * INT64_C(1000000000) + 20 * US, LADDER_SEG_FIN | LADDER_SEG_ACK, 0, 0, 0);
	svg = render(l);
	ck_assert_uint_eq(xmlcheck_count(svg, "<g class=\"pause\">"), 1);
	ck_assert_ptr_nonnull(strstr(svg, ">\u2248 2.000 s later</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">2000.020</text>"));
	free(svg);
	ladder_free(l);
}
END_TEST

/* Segments come in any order; the drawing is the same. */
START_TEST(test_order_independent)
{
	struct ladder *a = long_transfer(300, true), *b = ladder_new();
	char *sa, *sb;
	size_t i, n = 0;
	struct ladder_segment segs[700];

	/* b: the same lanes and segments, added backwards. */
	ck_assert_int_ge(ladder_add_lane(b, "client", LADDER_END_CLIENT), 0);
	ck_assert_int_ge(ladder_add_lane(b, "server", LADDER_END_SERVER), 0);
	segs[n++] = (struct ladder_segment){ LADDER_END_CLIENT, 0, LADDER_SEG_SYN, 0, 0, 0, false, false };
	segs[n++] = (struct ladder_segment){ LADDER_END_SERVER, 10 * US, LADDER_SEG_SYN | LADDER_SEG_ACK,
	    0, 0, 0, false, false };
	for (i = 0; i < 300; i++) {
		segs[n++] = (struct ladder_segment){ LADDER_END_SERVER, (int64_t)(100 + 10 * i) * US,
		    LADDER_SEG_ACK, (uint64_t)i * MSS, MSS, 0, false, false };
		segs[n++] = (struct ladder_segment){ LADDER_END_CLIENT, (int64_t)(105 + 10 * i) * US,
		    LADDER_SEG_ACK, 0, 0, (uint64_t)(i + 1) * MSS, false, false };
	}
	segs[n++] = (struct ladder_segment){ LADDER_END_SERVER, (int64_t)(200 + 10 * 300) * US,
	    LADDER_SEG_FIN | LADDER_SEG_ACK, 300ULL * MSS, 0, 0, false, false };
	while (n > 0)
		ck_assert_int_eq(ladder_add_segment(b, &segs[--n]), 0);
	sa = render(a);
	sb = render(b);
	ck_assert_str_eq(sa, sb);
	free(sa);
	free(sb);
	ladder_free(a);
	ladder_free(b);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct ladder *l = ladder_new();
	struct ladder_segment s = { LADDER_END_COUNT, 0, 0, 0, 0, 0, false, false };
	int lane = ladder_add_lane(l, "client", LADDER_END_CLIENT);
	char err[128] = "";

	errno = 0;
	ck_assert_int_eq(ladder_add_lane(l, "x", LADDER_END_COUNT), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(ladder_add_call(l, lane + 5, LADDER_CALL_SYSCALL, 0, 0, "x"), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(ladder_add_call(l, lane, LADDER_CALL_SYSCALL, 10, 5, "ends before it starts"), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ladder_add_call(l, -1, LADDER_CALL_SYSCALL, 0, 0, "x"), -1);
	ck_assert_int_eq(ladder_add_segment(l, &s), -1);
	ck_assert_int_eq(ladder_add_segment(l, NULL), -1);
	ck_assert_int_eq(ladder_add_loss(l, LADDER_END_CLIENT, LADDER_LOSS_KIND_COUNT, 1), -1);
	ck_assert_int_eq(ladder_set_direction(l, LADDER_END_COUNT, 1, 1, "x"), -1);
	ck_assert_int_eq(ladder_write_svg(NULL, stdout, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "drawing the ladder"));
	ck_assert_str_eq(ladder_loss_kind_name(LADDER_LOSS_IN_FLIGHT), "lost in flight");
	ck_assert_str_eq(ladder_loss_kind_name(LADDER_LOSS_KIND_COUNT), "unknown");
	ladder_free(l);
	ladder_free(NULL);
}
END_TEST

START_TEST(test_write_error)
{
	struct ladder *l = long_transfer(10, false);
	char err[256] = "";
	FILE *out = fopen("/dev/full", "w");

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(ladder_write_svg(l, out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "writing the ladder: No space left on device") != NULL, "%s", err);
	fclose(out);
	ladder_free(l);
}
END_TEST

/* The shared markup helpers */

static char *
escaped(const char *text, bool href)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	if (href)
		markup_put_href(out, text);
	else
		markup_put_text(out, text);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

START_TEST(test_markup)
{
	char *s;

	s = escaped("a b#c?d:e/f.g-h_i~j%", true);
	ck_assert_str_eq(s, "a%20b%23c%3Fd%3Ae/f.g-h_i~j%25");
	free(s);
	s = escaped("javascript:alert(1)", true);
	ck_assert_str_eq(s, "javascript%3Aalert%281%29");
	free(s);
	s = escaped("\t\n ok \xc3\xa9 \xc0\xaf \x7f", false);
	/* tab and newline kept; an overlong '/' replaced byte by byte; DEL allowed */
	ck_assert_str_eq(s, "\t\n ok \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd \x7f");
	free(s);
	s = escaped(NULL, false);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_uint_eq(markup_text_columns("\xc3\xa9\xe2\x80\x93x"), 3);
	ck_assert_uint_eq(markup_text_columns("\xff\xfe"), 2);
	ck_assert_uint_eq(markup_text_columns(NULL), 0);
	ck_assert_uint_eq(markup_prefix_bytes("\xc3\xa9\xe2\x80\x93x", 2), 5);
	ck_assert_uint_eq(markup_prefix_bytes("ab", 5), 2);
}
END_TEST

/* The checker the tests rely on rejects what it must. */
START_TEST(test_checker_rejects)
{
	static const char *const bad[] = {
		"", "<a>", "<a></b>", "<a><b></a></b>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>",
		"<a>&nbsp;</a>", "<a>&#;</a>", "<a>x & y</a>", "<a/><b/>", "text<a/>",
		"<a>\x01</a>", "<a>\xff</a>", "<a x=\"<\"/>", "<a>]]></a>", "<a x/>",
		"<a>\xed\xa0\x80</a>",
	};
	static const char *const good[] = {
		"<a/>", "<?xml version=\"1.0\"?>\n<a x='1' y=\"&amp;&#39;&#x41;\"><b>t</b><!-- c --></a>\n",
	};
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(xmlcheck_document(bad[i], strlen(bad[i]), XMLCHECK_XML, err,
		    sizeof(err)) == -1, "accepted: %s", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(xmlcheck_document(good[i], strlen(good[i]), XMLCHECK_XML, err,
		    sizeof(err)) == 0, "rejected: %s: %s", good[i], err);
}
END_TEST

static Suite *
ladder_suite(void)
{
	Suite *s = suite_create("ladder");
	TCase *tc;

	tc = tcase_create("svg");
	tcase_add_test(tc, test_lanes_and_arrows);
	tcase_add_test(tc, test_empty_has_both_ends);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_self_contained);
	tcase_add_test(tc, test_rst_kinds_differ);
	tcase_add_test(tc, test_calls_children_signals);
	tcase_add_test(tc, test_loss_spans);
	tcase_add_test(tc, test_pause_marked);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("folding");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_fold_bounded_keeps_last);
	tcase_add_test(tc, test_fold_acks);
	tcase_add_test(tc, test_fold_off);
	tcase_add_test(tc, test_fold_below_threshold);
	tcase_add_test(tc, test_retransmissions_and_losses);
	tcase_add_test(tc, test_keep_after_reset);
	tcase_add_test(tc, test_lone_segment_not_folded);
	tcase_add_test(tc, test_rst_storm_folds);
	tcase_add_test(tc, test_order_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("markup");
	tcase_add_test(tc, test_markup);
	tcase_add_test(tc, test_checker_rejects);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(ladder_suite());
}
