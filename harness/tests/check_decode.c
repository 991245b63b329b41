/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_decode.c - decode_packet() on frames built byte by byte.
 *
 * Frames end after the TCP header (as with a small snaplen); the IP
 * length fields claim the payload that is not there.  Truncated frames
 * are copied into buffers of exactly caplen bytes so that valgrind and
 * ASan see any read past the end.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "decode.h"
#include "testutil.h"

#define FRAME_MAX	512

enum {
	PROTO_HOPOPTS = 0,
	PROTO_ICMP = 1,
	PROTO_TCP = 6,
	PROTO_UDP = 17,
	PROTO_ROUTING = 43,
	PROTO_FRAGMENT = 44,
	PROTO_ESP = 50,
	PROTO_AH = 51,
	PROTO_ICMPV6 = 58,
	PROTO_NONE = 59,
	PROTO_DSTOPTS = 60
};

enum {
	ETH_IPV4 = 0x0800,
	ETH_ARP = 0x0806,
	ETH_IPV6 = 0x86dd,
	ETH_8021Q = 0x8100,
	ETH_8021AD = 0x88a8,
	ETH_QINQ_OLD = 0x9100
};

static const uint8_t v4_src[4] = { 127, 0, 0, 1 };
static const uint8_t v4_dst[4] = { 127, 0, 0, 2 };
static const uint8_t v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static const struct test_tcp default_tcp = {
	.src_port = 40000, .dst_port = 5001,
	.seq = 0xfffffff0, .ack = 0x01020304,
	.flags = TCP_FLAG_PSH | TCP_FLAG_ACK,
	.window = 0xfedc,
	.options_len = 12,
	.payload_len = 1000
};

/* An IPv4 header; l4_len is what follows it, as claimed by total length. */
static size_t
put_ipv4(uint8_t *p, uint8_t proto, size_t options_len, size_t l4_len,
    uint16_t fragment)
{
	size_t len;

	len = test_put_ipv4(p, proto, v4_src, v4_dst, options_len, l4_len);
	test_put16(p + 4, 0x1234);
	test_put16(p + 6, fragment);
	return len;
}

static size_t
put_ipv6(uint8_t *p, uint8_t next_header, size_t payload_len)
{
	return test_put_ipv6(p, next_header, v6_src, v6_dst, payload_len);
}

/* An extension header of len bytes: next header, its length field, 0s. */
static size_t
put_ipv6_extension(uint8_t *p, uint8_t next_header, size_t len,
    uint8_t length_field)
{
	memset(p, 0, len);
	p[0] = next_header;
	p[1] = length_field;
	return len;
}

/* A hop-by-hop/routing/destination-options header of len bytes. */
static size_t
put_ipv6_options_header(uint8_t *p, uint8_t next_header, size_t len)
{
	return put_ipv6_extension(p, next_header, len, (uint8_t)(len / 8 - 1));
}

/* An authentication header counts 4-byte units, less 2. */
static size_t
put_ipv6_ah(uint8_t *p, uint8_t next_header, size_t len)
{
	return put_ipv6_extension(p, next_header, len, (uint8_t)(len / 4 - 2));
}

static size_t
put_ipv6_fragment(uint8_t *p, uint8_t next_header, uint16_t offset_units,
    bool more)
{
	memset(p, 0, 8);
	p[0] = next_header;
	test_put16(p + 2, (uint16_t)((offset_units << 3) | (more ? 1 : 0)));
	test_put32(p + 4, 0xabcdef01);
	return 8;
}

static size_t
put_ipv4_tcp(uint8_t *p, const struct test_tcp *t, size_t ip_options_len)
{
	size_t len;

	len = put_ipv4(p, PROTO_TCP, ip_options_len,
	    test_tcp_header_len(t) + t->payload_len, 0x4000 /* DF */);
	return len + test_put_tcp(p + len, t);
}

static size_t
put_ipv6_tcp(uint8_t *p, const struct test_tcp *t)
{
	size_t len;

	len = put_ipv6(p, PROTO_TCP, test_tcp_header_len(t) + t->payload_len);
	return len + test_put_tcp(p + len, t);
}

/* The link types under test, each with the IP versions it can carry. */
struct link_case {
	const char *name;
	int linktype;
	bool ipv4, ipv6;
};

static const struct link_case link_cases[] = {
	{ "EN10MB", DLT_EN10MB, true, true },
	{ "LINUX_SLL", DLT_LINUX_SLL, true, true },
	{ "LINUX_SLL2", DLT_LINUX_SLL2, true, true },
	{ "NULL", DLT_NULL, true, true },
	{ "LOOP", DLT_LOOP, true, true },
	{ "RAW", DLT_RAW, true, true },
	{ "RAW (12)", 12, true, true },
	{ "RAW (14)", 14, true, true },
	{ "LINKTYPE_RAW (101)", DECODE_LINKTYPE_RAW_FILE, true, true },
	{ "IPV4", DLT_IPV4, true, false },
	{ "IPV6", DLT_IPV6, false, true },
};

#define LINK_CASE_COUNT (sizeof(link_cases) / sizeof(link_cases[0]))

static size_t
put_link(uint8_t *p, int linktype, bool ipv6)
{
	uint32_t null_af;

	/* DLT_NULL as written by a little-endian macOS host. */
	if (linktype == DLT_LOOP)
		null_af = ipv6 ? 24 : 2;
	else
		null_af = ipv6 ? 30 : 2;
	return test_put_link(p, linktype, ipv6 ? ETH_IPV6 : ETH_IPV4, null_af,
	    TEST_NULL_LITTLE_ENDIAN);
}

/* A frame of the link type: link header, IP (with options), TCP. */
static size_t
build_frame(uint8_t *p, int linktype, bool ipv6, const struct test_tcp *t,
    size_t ip_options_len)
{
	size_t len = put_link(p, linktype, ipv6);

	if (ipv6)
		return len + put_ipv6_tcp(p + len, t);
	return len + put_ipv4_tcp(p + len, t, ip_options_len);
}

static void
assert_segment(const struct tcp_segment *seg, bool ipv6,
    const struct test_tcp *t)
{
	uint8_t zero[16] = { 0 };

	if (ipv6) {
		ck_assert_int_eq(seg->family, AF_INET6);
		ck_assert_mem_eq(seg->src_addr, v6_src, 16);
		ck_assert_mem_eq(seg->dst_addr, v6_dst, 16);
	} else {
		ck_assert_int_eq(seg->family, AF_INET);
		ck_assert_mem_eq(seg->src_addr, v4_src, 4);
		ck_assert_mem_eq(seg->dst_addr, v4_dst, 4);
		ck_assert_mem_eq(seg->src_addr + 4, zero, 12);
		ck_assert_mem_eq(seg->dst_addr + 4, zero, 12);
	}
	ck_assert_uint_eq(seg->src_port, t->src_port);
	ck_assert_uint_eq(seg->dst_port, t->dst_port);
	ck_assert_uint_eq(seg->seq, t->seq);
	ck_assert_uint_eq(seg->ack, t->ack);
	ck_assert_uint_eq(seg->flags, t->flags);
	ck_assert_uint_eq(seg->window, t->window);
	ck_assert_uint_eq(seg->payload_len, t->payload_len);
}

/* Decode the first caplen bytes from a buffer of exactly that size. */
static enum decode_status
decode_prefix(int linktype, const uint8_t *frame, size_t caplen,
    struct tcp_segment *seg)
{
	enum decode_status status;
	uint8_t *copy;

	copy = malloc(caplen > 0 ? caplen : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, frame, caplen);
	status = decode_packet(linktype, copy, caplen, seg);
	free(copy);
	return status;
}

static enum decode_status
decode_frame(int linktype, const uint8_t *frame, size_t len,
    struct tcp_segment *seg)
{
	return decode_prefix(linktype, frame, len, seg);
}

/*
 * Every caplen short of the headers is TRUNCATED, the rest OK: TCP
 * options (the last options_len bytes of the frame) are never used, so
 * a capture may cut them.
 */
static void
assert_truncated_until_complete(int linktype, const uint8_t *frame,
    size_t len, size_t options_len)
{
	struct tcp_segment seg;
	size_t caplen;

	for (caplen = 0; caplen < len - options_len; caplen++) {
		enum decode_status status;

		status = decode_prefix(linktype, frame, caplen, &seg);
		ck_assert_msg(status == DECODE_TRUNCATED,
		    "linktype %d caplen %zu of %zu: %s", linktype, caplen, len,
		    decode_status_name(status));
		ck_assert_uint_eq(seg.payload_len, 0);
		ck_assert_uint_eq(seg.src_port, 0);
	}
	for (; caplen <= len; caplen++)
		ck_assert_int_eq(decode_prefix(linktype, frame, caplen, &seg),
		    DECODE_OK);
}

START_TEST(test_linktypes_supported)
{
	size_t i;

	for (i = 0; i < LINK_CASE_COUNT; i++)
		ck_assert_msg(decode_linktype_supported(link_cases[i].linktype),
		    "%s", link_cases[i].name);
	ck_assert(!decode_linktype_supported(DLT_JUNIPER_ATM1));
	ck_assert(!decode_linktype_supported(9999));
	ck_assert(!decode_linktype_carries_no_ip(DLT_JUNIPER_ATM1));
	/* Known, but without IP: not supported, and said so. */
	ck_assert(!decode_linktype_supported(DLT_DBUS));
	ck_assert(decode_linktype_carries_no_ip(DLT_DBUS));
	ck_assert(decode_linktype_carries_no_ip(DLT_IEEE802_15_4_WITHFCS));
	ck_assert(!decode_linktype_carries_no_ip(DLT_EN10MB));
	ck_assert(!decode_linktype_supported(-1));
}
END_TEST

/* The fewest bytes that hold the headers decode: exactly enough. */
START_TEST(test_min_tcp_caplen)
{
	const struct link_case *lc = &link_cases[_i];
	struct test_tcp no_options = default_tcp;
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t need;
	bool ipv6;

	need = decode_min_tcp_caplen(lc->linktype);
	ck_assert_msg(need >= 40, "%s", lc->name);
	ipv6 = !lc->ipv4;
	no_options.options_len = 0;
	build_frame(frame, lc->linktype, ipv6, &no_options, 0);
	memset(&seg, 0, sizeof(seg));
	ck_assert_msg(decode_packet(lc->linktype, frame, need, &seg) ==
	    DECODE_OK, "%s", lc->name);
	ck_assert_msg(decode_packet(lc->linktype, frame, need - 1, &seg) ==
	    DECODE_TRUNCATED, "%s", lc->name);
	ck_assert_uint_eq(decode_min_tcp_caplen(DLT_JUNIPER_ATM1), 0);
}
END_TEST

START_TEST(test_linktype_ipv4)
{
	const struct link_case *lc = &link_cases[_i];
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	if (!lc->ipv4)
		return;
	memset(&seg, 0, sizeof(seg));
	len = build_frame(frame, lc->linktype, false, &default_tcp, 0);
	ck_assert_msg(decode_frame(lc->linktype, frame, len, &seg) ==
	    DECODE_OK, "%s", lc->name);
	assert_segment(&seg, false, &default_tcp);
	ck_assert_int_eq(seg.ts_ns, 0);
}
END_TEST

START_TEST(test_linktype_ipv6)
{
	const struct link_case *lc = &link_cases[_i];
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	if (!lc->ipv6)
		return;
	len = build_frame(frame, lc->linktype, true, &default_tcp, 0);
	ck_assert_msg(decode_frame(lc->linktype, frame, len, &seg) ==
	    DECODE_OK, "%s", lc->name);
	assert_segment(&seg, true, &default_tcp);
}
END_TEST

START_TEST(test_truncated_every_boundary)
{
	const struct link_case *lc = &link_cases[_i];
	uint8_t frame[FRAME_MAX];
	struct test_tcp t = default_tcp;
	size_t len, ext;

	t.options_len = 40;
	if (lc->ipv4) {
		len = build_frame(frame, lc->linktype, false, &t, 40);
		assert_truncated_until_complete(lc->linktype, frame, len,
		    t.options_len);
	}
	if (lc->ipv6) {
		/* IPv6 with every kind of extension header in the chain. */
		len = put_link(frame, lc->linktype, true);
		ext = 16 + 8 + 24 + 8 + 16;
		len += put_ipv6(frame + len, PROTO_HOPOPTS,
		    ext + test_tcp_header_len(&t) + t.payload_len);
		len += put_ipv6_options_header(frame + len, PROTO_ROUTING, 16);
		len += put_ipv6_options_header(frame + len, PROTO_AH, 8);
		len += put_ipv6_ah(frame + len, PROTO_FRAGMENT, 24);
		len += put_ipv6_fragment(frame + len, PROTO_DSTOPTS, 0, false);
		len += put_ipv6_options_header(frame + len, PROTO_TCP, 16);
		len += test_put_tcp(frame + len, &t);
		assert_truncated_until_complete(lc->linktype, frame, len,
		    t.options_len);
	}
}
END_TEST

START_TEST(test_null_both_byte_orders)
{
	static const uint32_t v6_families[] = { 10, 24, 28, 30 };
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len, i;
	int order;

	for (order = TEST_NULL_LITTLE_ENDIAN; order <= TEST_NULL_BIG_ENDIAN;
	    order++) {
		len = test_put_null(frame, 2, (enum test_null_order)order);
		len += put_ipv4_tcp(frame + len, &default_tcp, 0);
		ck_assert_int_eq(decode_frame(DLT_NULL, frame, len, &seg),
		    DECODE_OK);
		assert_segment(&seg, false, &default_tcp);
		for (i = 0; i < sizeof(v6_families) / sizeof(v6_families[0]);
		    i++) {
			len = test_put_null(frame, v6_families[i],
			    (enum test_null_order)order);
			len += put_ipv6_tcp(frame + len, &default_tcp);
			ck_assert_msg(decode_frame(DLT_NULL, frame, len,
			    &seg) == DECODE_OK, "AF %u order %d",
			    v6_families[i], order);
			assert_segment(&seg, true, &default_tcp);
		}
		/* AF_APPLETALK-ish value: some other protocol. */
		len = test_put_null(frame, 16, (enum test_null_order)order);
		len += put_ipv4_tcp(frame + len, &default_tcp, 0);
		ck_assert_int_eq(decode_frame(DLT_NULL, frame, len, &seg),
		    DECODE_NOT_IP);
	}
}
END_TEST

START_TEST(test_loop_network_order_only)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	len = test_put_null(frame, 2, TEST_NULL_BIG_ENDIAN);
	len += put_ipv4_tcp(frame + len, &default_tcp, 0);
	ck_assert_int_eq(decode_frame(DLT_LOOP, frame, len, &seg), DECODE_OK);
	/* DLT_LOOP is defined as network order: 02 00 00 00 is not AF_INET. */
	test_put_null(frame, 2, TEST_NULL_LITTLE_ENDIAN);
	ck_assert_int_eq(decode_frame(DLT_LOOP, frame, len, &seg),
	    DECODE_NOT_IP);
}
END_TEST

START_TEST(test_version_mismatch)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	/* Raw IP with version 5: nothing says it is IP. */
	len = put_ipv4_tcp(frame, &default_tcp, 0);
	frame[0] = (uint8_t)(0x50 | (frame[0] & 0x0f));
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_NOT_IP);
	/* The link layer promised one version and the header has another. */
	len = put_ipv6_tcp(frame, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_IPV4, frame, len, &seg),
	    DECODE_BAD_HEADER);
	len = put_ipv4_tcp(frame, &default_tcp, 0);
	ck_assert_int_eq(decode_frame(DLT_IPV6, frame, len, &seg),
	    DECODE_BAD_HEADER);
	len = test_put_ethernet(frame, ETH_IPV4);
	len += put_ipv6_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_BAD_HEADER);
}
END_TEST

START_TEST(test_vlan_tags)
{
	static const uint16_t outer[] = { ETH_8021Q, ETH_8021AD, ETH_QINQ_OLD };
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len, i;

	/* One 802.1Q tag. */
	len = test_put_ethernet(frame, ETH_8021Q);
	test_put16(frame + len, 0x0064);		/* VID 100 */
	test_put16(frame + len + 2, ETH_IPV4);
	len += 4;
	len += put_ipv4_tcp(frame + len, &default_tcp, 0);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_OK);
	assert_segment(&seg, false, &default_tcp);
	assert_truncated_until_complete(DLT_EN10MB, frame, len,
	    default_tcp.options_len);

	/* Q-in-Q: an outer tag (802.1ad or older 0x9100), then 802.1Q. */
	for (i = 0; i < sizeof(outer) / sizeof(outer[0]); i++) {
		len = test_put_ethernet(frame, outer[i]);
		test_put16(frame + len, 0x0005);
		test_put16(frame + len + 2, ETH_8021Q);
		test_put16(frame + len + 4, 0x0064);
		test_put16(frame + len + 6, ETH_IPV6);
		len += 8;
		len += put_ipv6_tcp(frame + len, &default_tcp);
		ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
		    DECODE_OK);
		assert_segment(&seg, true, &default_tcp);
		assert_truncated_until_complete(DLT_EN10MB, frame, len,
		    default_tcp.options_len);
	}

	/* A tagged ARP frame is still not IP. */
	len = test_put_ethernet(frame, ETH_8021Q);
	test_put16(frame + len, 0x0064);
	test_put16(frame + len + 2, ETH_ARP);
	len += 4;
	memset(frame + len, 0, 28);
	len += 28;
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_NOT_IP);

	/* Linux cooked captures carry tags the same way. */
	len = test_put_linux_sll(frame, ETH_8021Q);
	test_put16(frame + len, 0x0064);
	test_put16(frame + len + 2, ETH_IPV4);
	len += 4;
	len += put_ipv4_tcp(frame + len, &default_tcp, 0);
	ck_assert_int_eq(decode_frame(DLT_LINUX_SLL, frame, len, &seg),
	    DECODE_OK);
	assert_segment(&seg, false, &default_tcp);
}
END_TEST

START_TEST(test_not_ip)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	len = test_put_ethernet(frame, ETH_ARP);
	memset(frame + len, 0, 28);
	len += 28;
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_NOT_IP);
	/* The ethertype alone decides; no ARP body needed. */
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, 14, &seg),
	    DECODE_NOT_IP);
	/* 802.3 frame: a length, not an ethertype. */
	len = test_put_ethernet(frame, 0x0040);
	memset(frame + len, 0, 64);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len + 64, &seg),
	    DECODE_NOT_IP);
	len = test_put_linux_sll(frame, ETH_ARP);
	ck_assert_int_eq(decode_frame(DLT_LINUX_SLL, frame, len, &seg),
	    DECODE_NOT_IP);
	len = test_put_linux_sll2(frame, ETH_ARP);
	ck_assert_int_eq(decode_frame(DLT_LINUX_SLL2, frame, len, &seg),
	    DECODE_NOT_IP);
}
END_TEST

START_TEST(test_ipv4_options_skipped)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t options_len, len;

	/* IHL 5..15; each option byte is a NOP the decoder must not read. */
	for (options_len = 0; options_len <= 40; options_len += 4) {
		len = test_put_ethernet(frame, ETH_IPV4);
		len += put_ipv4_tcp(frame + len, &default_tcp, options_len);
		ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
		    DECODE_OK);
		assert_segment(&seg, false, &default_tcp);
	}
}
END_TEST

START_TEST(test_ipv4_bad_header)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;
	uint8_t ihl;

	for (ihl = 0; ihl < 5; ihl++) {
		len = put_ipv4_tcp(frame, &default_tcp, 0);
		frame[0] = (uint8_t)(0x40 | ihl);
		ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
		    DECODE_BAD_HEADER);
	}
	/* Total length shorter than the IP header itself. */
	len = put_ipv4_tcp(frame, &default_tcp, 8);
	test_put16(frame + 2, 24);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_BAD_HEADER);
	/* Total length leaves room for only 10 bytes of TCP... */
	len = put_ipv4_tcp(frame, &default_tcp, 0);
	test_put16(frame + 2, 30);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_BAD_HEADER);
	/* ...which is known without the TCP header being captured. */
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, 30, &seg),
	    DECODE_BAD_HEADER);
}
END_TEST

START_TEST(test_ipv4_fragments)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;
	size_t l4 = test_tcp_header_len(&default_tcp) + default_tcp.payload_len;

	/* First fragment: a full TCP header, but only part of the payload. */
	len = put_ipv4(frame, PROTO_TCP, 0, l4, 0x2000);
	len += test_put_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_FRAGMENT);
	/* Middle and last fragments: no TCP header at all. */
	len = put_ipv4(frame, PROTO_TCP, 0, 64, 0x2000 | 185);
	memset(frame + len, 0xee, 64);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_FRAGMENT);
	len = put_ipv4(frame, PROTO_TCP, 0, 64, 185);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_FRAGMENT);
	/* Only the fixed header is needed to know. */
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, 20, &seg),
	    DECODE_FRAGMENT);
	/* DF and the reserved bit do not make a fragment. */
	len = put_ipv4(frame, PROTO_TCP, 0, l4, 0x4000 | 0x8000);
	len += test_put_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg), DECODE_OK);
	/* Fragmented non-TCP is still just not TCP. */
	len = put_ipv4(frame, PROTO_UDP, 0, 64, 185);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_NOT_TCP);
}
END_TEST

START_TEST(test_ipv6_extension_headers)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len, ext;

	len = test_put_ethernet(frame, ETH_IPV6);
	ext = 8 + 24 + 8 + 24 + 16;
	len += put_ipv6(frame + len, PROTO_HOPOPTS,
	    ext + test_tcp_header_len(&default_tcp) + default_tcp.payload_len);
	len += put_ipv6_options_header(frame + len, PROTO_ROUTING, 8);
	len += put_ipv6_options_header(frame + len, PROTO_FRAGMENT, 24);
	/* Atomic fragment: offset 0, M=0, a whole packet. */
	len += put_ipv6_fragment(frame + len, PROTO_AH, 0, false);
	len += put_ipv6_ah(frame + len, PROTO_DSTOPTS, 24);
	len += put_ipv6_options_header(frame + len, PROTO_TCP, 16);
	len += test_put_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_OK);
	/* payload_len excludes the 80 bytes of extension headers. */
	assert_segment(&seg, true, &default_tcp);
}
END_TEST

START_TEST(test_ipv6_fragments)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;
	size_t l4 = test_tcp_header_len(&default_tcp) + default_tcp.payload_len;

	/* First fragment (offset 0, M=1). */
	len = put_ipv6(frame, PROTO_FRAGMENT, 8 + l4);
	len += put_ipv6_fragment(frame + len, PROTO_TCP, 0, true);
	len += test_put_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_FRAGMENT);
	/* A later fragment, last or not. */
	len = put_ipv6(frame, PROTO_FRAGMENT, 8 + 64);
	len += put_ipv6_fragment(frame + len, PROTO_TCP, 100, false);
	memset(frame + len, 0xee, 64);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_FRAGMENT);
	len = put_ipv6(frame, PROTO_FRAGMENT, 8 + 64);
	len += put_ipv6_fragment(frame + len, PROTO_TCP, 100, true);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_FRAGMENT);
	/* Behind a hop-by-hop header. */
	len = put_ipv6(frame, PROTO_HOPOPTS, 8 + 8 + 64);
	len += put_ipv6_options_header(frame + len, PROTO_FRAGMENT, 8);
	len += put_ipv6_fragment(frame + len, PROTO_TCP, 7, false);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_FRAGMENT);
	/* A fragmented UDP datagram. */
	len = put_ipv6(frame, PROTO_FRAGMENT, 8 + 64);
	len += put_ipv6_fragment(frame + len, PROTO_UDP, 100, true);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 64, &seg),
	    DECODE_NOT_TCP);
}
END_TEST

START_TEST(test_ipv6_bad_extension_length)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	/* A 64-byte hop-by-hop header in a 40-byte payload. */
	len = put_ipv6(frame, PROTO_HOPOPTS, 40);
	len += put_ipv6_options_header(frame + len, PROTO_TCP, 64);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_BAD_HEADER);
	/* Extension headers fill the payload; no room for TCP. */
	len = put_ipv6(frame, PROTO_DSTOPTS, 16 + 8);
	len += put_ipv6_options_header(frame + len, PROTO_TCP, 16);
	len += test_put_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_BAD_HEADER);
	/* A fragment header in a payload too short for it. */
	len = put_ipv6(frame, PROTO_FRAGMENT, 4);
	len += put_ipv6_fragment(frame + len, PROTO_TCP, 0, false);
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_BAD_HEADER);
}
END_TEST

START_TEST(test_not_tcp)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	len = test_put_ethernet(frame, ETH_IPV4);
	len += put_ipv4(frame + len, PROTO_UDP, 0, 8 + 16, 0);
	memset(frame + len, 0, 8);	/* the UDP header */
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len + 8, &seg),
	    DECODE_NOT_TCP);
	len = test_put_ethernet(frame, ETH_IPV4);
	len += put_ipv4(frame + len, PROTO_ICMP, 0, 8, 0);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_NOT_TCP);
	len = test_put_ethernet(frame, ETH_IPV6);
	len += put_ipv6(frame + len, PROTO_UDP, 8);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_NOT_TCP);
	len = test_put_ethernet(frame, ETH_IPV6);
	len += put_ipv6(frame + len, PROTO_HOPOPTS, 8 + 8);
	len += put_ipv6_options_header(frame + len, PROTO_ICMPV6, 8);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_NOT_TCP);
	/* Encrypted or empty: the TCP header, if any, is out of reach. */
	len = put_ipv6(frame, PROTO_ESP, 64);
	ck_assert_int_eq(decode_frame(DLT_IPV6, frame, len, &seg),
	    DECODE_NOT_TCP);
	len = put_ipv6(frame, PROTO_NONE, 0);
	ck_assert_int_eq(decode_frame(DLT_IPV6, frame, len, &seg),
	    DECODE_NOT_TCP);
}
END_TEST

START_TEST(test_bad_data_offset)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	struct test_tcp t = default_tcp;
	size_t len, ip_len;
	uint8_t doff;

	t.options_len = 0;
	t.payload_len = 0;
	for (doff = 0; doff < 5; doff++) {
		ip_len = put_ipv4_tcp(frame, &t, 0);
		frame[20 + 12] = (uint8_t)(doff << 4);
		ck_assert_int_eq(decode_frame(DLT_RAW, frame, ip_len, &seg),
		    DECODE_BAD_HEADER);
	}
	/* 60 bytes of TCP header claimed, 20 bytes of IP payload. */
	ip_len = put_ipv4_tcp(frame, &t, 0);
	memset(frame + ip_len, 0, 40);
	frame[20 + 12] = 15 << 4;
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, ip_len + 40, &seg),
	    DECODE_BAD_HEADER);
	/* The same over IPv6. */
	len = put_ipv6_tcp(frame, &t);
	memset(frame + len, 0, 40);
	frame[40 + 12] = 15 << 4;
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len + 40, &seg),
	    DECODE_BAD_HEADER);
	frame[40 + 12] = 4 << 4;
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
	    DECODE_BAD_HEADER);
	/* The NS bit next to the data offset is not part of it. */
	len = put_ipv4_tcp(frame, &t, 0);
	frame[20 + 12] |= 0x01;
	ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg), DECODE_OK);
}
END_TEST

START_TEST(test_payload_from_ip_length)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	struct test_tcp t = default_tcp;
	size_t len;

	/* Ethernet pads short frames to 60 bytes; padding is not payload. */
	t.options_len = 0;
	t.payload_len = 0;
	len = test_put_ethernet(frame, ETH_IPV4);
	len += put_ipv4_tcp(frame + len, &t, 0);
	memset(frame + len, 0, 6);
	ck_assert_int_eq(len + 6, 60);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len + 6, &seg),
	    DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 0);
	/* A 64 KB GSO segment seen through a 128-byte snaplen. */
	t.payload_len = 65535 - 20 - 20;
	len = test_put_ethernet(frame, ETH_IPV4);
	len += put_ipv4_tcp(frame + len, &t, 0);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 65495);
	t.payload_len = 65535 - 20;
	len = put_ipv6_tcp(frame, &t);
	ck_assert_int_eq(decode_frame(DLT_IPV6, frame, len, &seg), DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 65515);
}
END_TEST

START_TEST(test_all_flags_and_fields)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	struct test_tcp t = default_tcp;
	size_t len;
	unsigned flags;

	t.seq = 0xffffffff;
	t.ack = 0x80000000;
	t.window = 0;
	for (flags = 0; flags <= 0xff; flags++) {
		t.flags = (uint8_t)flags;
		len = put_ipv4_tcp(frame, &t, 0);
		ck_assert_int_eq(decode_frame(DLT_RAW, frame, len, &seg),
		    DECODE_OK);
		assert_segment(&seg, false, &t);
	}
	ck_assert_uint_eq(TCP_FLAG_FIN | TCP_FLAG_SYN | TCP_FLAG_RST |
	    TCP_FLAG_PSH | TCP_FLAG_ACK | TCP_FLAG_URG | TCP_FLAG_ECE |
	    TCP_FLAG_CWR, 0xff);
}
END_TEST

START_TEST(test_timestamp_and_failure_fields)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	len = build_frame(frame, DLT_EN10MB, false, &default_tcp, 0);
	memset(&seg, 0, sizeof(seg));
	seg.ts_ns = INT64_C(1700000000123456789);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_OK);
	ck_assert_int_eq(seg.ts_ns, INT64_C(1700000000123456789));
	/* A failed decode leaves no stale fields behind, only ts_ns. */
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame,
	    len - default_tcp.options_len - 1, &seg), DECODE_TRUNCATED);
	ck_assert_int_eq(seg.family, 0);
	ck_assert_uint_eq(seg.src_port, 0);
	ck_assert_uint_eq(seg.seq, 0);
	ck_assert_int_eq(seg.ts_ns, INT64_C(1700000000123456789));
}
END_TEST

START_TEST(test_unknown_linktype_and_null)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	len = build_frame(frame, DLT_EN10MB, false, &default_tcp, 0);
	ck_assert_int_eq(decode_frame(DLT_JUNIPER_ATM1, frame, len, &seg),
	    DECODE_UNKNOWN_LINKTYPE);
	ck_assert_int_eq(decode_frame(DLT_DBUS, frame, len, &seg),
	    DECODE_UNKNOWN_LINKTYPE);
	ck_assert_int_eq(decode_packet(DLT_JUNIPER_ATM1, NULL, 0, &seg),
	    DECODE_UNKNOWN_LINKTYPE);
	ck_assert_int_eq(decode_packet(DLT_EN10MB, NULL, 0, &seg),
	    DECODE_TRUNCATED);
	ck_assert_int_eq(decode_packet(DLT_RAW, NULL, 100, &seg),
	    DECODE_TRUNCATED);
	ck_assert_int_eq(decode_packet(DLT_EN10MB, frame, len, NULL),
	    DECODE_BAD_HEADER);
}
END_TEST

START_TEST(test_status_names)
{
	static const enum decode_status all[] = {
		DECODE_OK, DECODE_NOT_IP, DECODE_NOT_TCP, DECODE_FRAGMENT,
		DECODE_TRUNCATED, DECODE_BAD_HEADER, DECODE_TUNNEL_TOO_DEEP,
		DECODE_UNKNOWN_LINKTYPE
	};
	size_t i, j, n = sizeof(all) / sizeof(all[0]);

	ck_assert_str_eq(decode_status_name(DECODE_OK), "ok");
	ck_assert_str_eq(decode_status_name(DECODE_TRUNCATED), "truncated");
	ck_assert_str_eq(decode_status_name(DECODE_FRAGMENT), "fragment");
	ck_assert_str_eq(decode_status_name((enum decode_status)99),
	    "unknown");
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ck_assert_str_ne(decode_status_name(all[i]),
			    decode_status_name(all[j]));
}
END_TEST

/* A link header given as bytes, then IPv4 (or IPv6) and TCP. */
struct prefix_case {
	const char *name;
	int linktype;
	uint8_t prefix[64];
	size_t prefix_len;
	bool ipv6;
};

static const struct prefix_case prefix_cases[] = {
	{ "PPP, HDLC framing", DLT_PPP, { 0xff, 0x03, 0x00, 0x21 }, 4, false },
	{ "PPP, no framing", DLT_PPP, { 0x00, 0x57 }, 2, true },
	{ "PPP, compressed protocol", DLT_PPP, { 0x21 }, 1, false },
	{ "PPP_SERIAL as Cisco HDLC", DLT_PPP_SERIAL,
	    { 0x0f, 0x00, 0x08, 0x00 }, 4, false },
	{ "PPP_PPPD", DLT_PPP_PPPD, { 0x01, 0x03, 0x00, 0x21 }, 4, false },
	{ "PPP_ETHER (PPPoE)", DLT_PPP_ETHER,
	    { 0x11, 0x00, 0x00, 0x01, 0x00, 0x40, 0x00, 0x21 }, 8, false },
	{ "C_HDLC", DLT_C_HDLC, { 0x8f, 0x00, 0x86, 0xdd }, 4, true },
	{ "FRELAY, NLPID", DLT_FRELAY, { 0x04, 0x01, 0x03, 0xcc }, 4, false },
	{ "FRELAY, padded NLPID IPv6", DLT_FRELAY,
	    { 0x04, 0x01, 0x03, 0x00, 0x8e }, 5, true },
	{ "FRELAY, SNAP", DLT_FRELAY,
	    { 0x04, 0x01, 0x03, 0x80, 0, 0, 0, 0x08, 0x00 }, 9, false },
	{ "FRELAY, Cisco", DLT_FRELAY, { 0x04, 0x01, 0x08, 0x00 }, 4, false },
	{ "MFR, whole frame", DLT_MFR,
	    { 0xc0, 0x01, 0x04, 0x01, 0x03, 0xcc }, 6, false },
	{ "SLIP", DLT_SLIP, { 0x01, 0x40 }, 16, false },
	{ "FDDI", DLT_FDDI, { 0x50, [13] = 0xaa, 0xaa, 0x03, 0, 0, 0,
	    0x08, 0x00 }, 21, false },
	{ "ATM_RFC1483", DLT_ATM_RFC1483,
	    { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd }, 8, true },
	{ "SUNATM, LLC", DLT_SUNATM, { 0x02, 0x00, 0x00, 0x20, 0xaa, 0xaa,
	    0x03, 0, 0, 0, 0x08, 0x00 }, 12, false },
	{ "IEEE802_11, data", DLT_IEEE802_11, { 0x08, 0x01, [24] = 0xaa,
	    0xaa, 0x03, 0, 0, 0, 0x08, 0x00 }, 32, false },
	{ "IEEE802_11, QoS data, 4 addresses", DLT_IEEE802_11,
	    { 0x88, 0x03, [32] = 0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd },
	    40, true },
	/* Radiotap with TSFT and flags (data padded): 8 + 8 + 1, pad 3. */
	{ "IEEE802_11_RADIO, padded", DLT_IEEE802_11_RADIO,
	    { 0x00, 0x00, 20, 0x00, 0x03, 0, 0, 0, [16] = 0x20,
	    [20] = 0x88, 0x01, [48] = 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08,
	    0x00 }, 56, false },
	{ "ARCNET_LINUX, RFC 1201", DLT_ARCNET_LINUX,
	    { 0x01, 0x02, 0xc0, 0x00, 0xd4, 0x00, 0x01, 0x6b }, 8, false },
	{ "IPOIB", DLT_IPOIB, { [40] = 0x08, 0x00 }, 44, false },
	{ "IPNET", DLT_IPNET, { 0x01, 26 }, 24, true },
	{ "DSA_TAG_BRCM", DLT_DSA_TAG_BRCM, { [16] = 0x08, 0x00 }, 18,
	    false },
	{ "DSA_TAG_EDSA", DLT_DSA_TAG_EDSA, { [20] = 0x86, 0xdd }, 22, true },
	{ "JUNIPER_ETHER", DLT_JUNIPER_ETHER, { 'M', 'G', 'C', 0x00,
	    [16] = 0x08, 0x00 }, 18, false },
	{ "JUNIPER_ETHER, extensions", DLT_JUNIPER_ETHER, { 'M', 'G', 'C',
	    0x80, 0x00, 0x02, 0x01, 0x00, [20] = 0x08, 0x00 }, 22, false },
	{ "PPI, Ethernet inside", DLT_PPI, { 0, 0, 8, 0, 1, 0, 0, 0,
	    [20] = 0x08, 0x00 }, 22, false },
	{ "PKTAP, Ethernet inside", DLT_PKTAP, { 20, 0, 0, 0, 1, 0, 0, 0,
	    1, 0, 0, 0, [32] = 0x86, 0xdd }, 34, true },
	{ "PFLOG", DLT_PFLOG, { 8, 2 }, 8, false },
	{ "MPLS", DLT_MPLS, { 0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40 },
	    8, false },
	/* Ethernet encapsulations Zeek peels too. */
	{ "Ethernet, MPLS", DLT_EN10MB, { [12] = 0x88, 0x47, 0x00, 0x01,
	    0x01, 0x40 }, 18, true },
	{ "Ethernet, VLAN, MPLS", DLT_EN10MB, { [12] = 0x81, 0x00, 0x00,
	    0x64, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40 }, 22, false },
	{ "Ethernet, PPPoE", DLT_EN10MB, { [12] = 0x88, 0x64, 0x11, 0x00,
	    0x00, 0x01, 0x00, 0x40, 0x00, 0x21 }, 22, false },
	{ "Ethernet, PBB", DLT_EN10MB, { [12] = 0x88, 0xe7, 0x00, 0x00, 0x00,
	    0x01, [30] = 0x08, 0x00 }, 32, false },
	{ "Ethernet, FabricPath", DLT_EN10MB, { [12] = 0x89, 0x03, 0x00, 0x01,
	    [28] = 0x08, 0x00 }, 30, false },
	{ "Ethernet, VN-Tag, VLAN", DLT_EN10MB, { [12] = 0x89, 0x26, 0, 0,
	    0, 0x33, 0x81, 0x00, 0x00, 0xfa, 0x08, 0x00 }, 24, false },
	{ "Ethernet, 802.3 and SNAP", DLT_EN10MB, { [12] = 0x00, 0x40, 0xaa,
	    0xaa, 0x03, 0, 0, 0, 0x08, 0x00 }, 22, false }
};

#define PREFIX_CASE_COUNT (sizeof(prefix_cases) / sizeof(prefix_cases[0]))

START_TEST(test_prefixed_link_types)
{
	const struct prefix_case *pc = &prefix_cases[_i];
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t len;

	memcpy(frame, pc->prefix, pc->prefix_len);
	len = pc->prefix_len + (pc->ipv6 ?
	    put_ipv6_tcp(frame + pc->prefix_len, &default_tcp) :
	    put_ipv4_tcp(frame + pc->prefix_len, &default_tcp, 0));
	ck_assert_msg(decode_linktype_supported(pc->linktype), "%s", pc->name);
	ck_assert_msg(decode_frame(pc->linktype, frame, len, &seg) ==
	    DECODE_OK, "%s: %s", pc->name,
	    decode_status_name(decode_frame(pc->linktype, frame, len, &seg)));
	assert_segment(&seg, pc->ipv6, &default_tcp);
	assert_truncated_until_complete(pc->linktype, frame, len,
	    default_tcp.options_len);
	ck_assert_uint_ge(len - default_tcp.options_len,
	    decode_min_tcp_caplen(pc->linktype));
}
END_TEST

START_TEST(test_link_types_without_ip_payload)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;

	memset(frame, 0, sizeof(frame));
	/* 802.11 beacon (management), then an encrypted data frame. */
	frame[0] = 0x80;
	ck_assert_int_eq(decode_frame(DLT_IEEE802_11, frame, 64, &seg),
	    DECODE_NOT_IP);
	frame[0] = 0x08;
	frame[1] = 0x41;
	ck_assert_int_eq(decode_frame(DLT_IEEE802_11, frame, 64, &seg),
	    DECODE_NOT_IP);
	/* PPP LCP; an MFR fragment; radiotap of another version. */
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = 0xc0;
	frame[3] = 0x21;
	ck_assert_int_eq(decode_frame(DLT_PPP, frame, 64, &seg),
	    DECODE_NOT_IP);
	frame[0] = 0x80;
	ck_assert_int_eq(decode_frame(DLT_MFR, frame, 64, &seg),
	    DECODE_NOT_IP);
	frame[0] = 1;
	ck_assert_int_eq(decode_frame(DLT_IEEE802_11_RADIO, frame, 64, &seg),
	    DECODE_BAD_HEADER);
}
END_TEST

/* Ethernet, an outer IPv4 header of protocol proto, then what is at body. */
static size_t
put_outer_ipv4(uint8_t *p, uint8_t proto, const uint8_t *body,
    size_t body_len)
{
	size_t len = test_put_ethernet(p, ETH_IPV4);

	len += put_ipv4(p + len, proto, 0, body_len, 0x4000);
	memcpy(p + len, body, body_len);
	return len + body_len;
}

/* A UDP header to port, then body. */
static size_t
put_udp(uint8_t *p, uint16_t port, const uint8_t *body, size_t body_len)
{
	test_put16(p, 50000);
	test_put16(p + 2, port);
	test_put16(p + 4, (uint16_t)(8 + body_len));
	test_put16(p + 6, 0);
	memcpy(p + 8, body, body_len);
	return 8 + body_len;
}

/* The inner packet every tunnel test carries: IPv4 TCP, 8 options. */
static size_t
put_inner(uint8_t *p, bool ethernet)
{
	size_t len = ethernet ? test_put_ethernet(p, ETH_IPV4) : 0;
	struct test_tcp t = default_tcp;

	t.payload_len = 0;
	return len + put_ipv4_tcp(p + len, &t, 0);
}

static void
assert_tunneled(const uint8_t *frame, size_t len, const char *what)
{
	struct tcp_segment seg;
	unsigned notes = 0;

	ck_assert_msg(decode_packet_note(DLT_EN10MB, frame, len, len, &seg,
	    &notes) == DECODE_OK, "%s", what);
	ck_assert_uint_eq(seg.src_port, default_tcp.src_port);
	ck_assert_uint_eq(seg.payload_len, 0);
	ck_assert_msg(notes & DECODE_NOTE_TUNNELED, "%s", what);
}

START_TEST(test_tunnels)
{
	uint8_t frame[FRAME_MAX], body[FRAME_MAX], udp[FRAME_MAX];
	struct test_tcp t = default_tcp;
	size_t len, n, u;

	/* IP in IP, 6in4. */
	n = put_inner(body, false);
	len = put_outer_ipv4(frame, 4, body, n);
	assert_tunneled(frame, len, "IPIP");
	t.payload_len = 0;
	n = put_ipv6_tcp(body, &t);
	len = put_outer_ipv4(frame, 41, body, n);
	assert_tunneled(frame, len, "6in4");

	/* GRE: plain, with key and sequence, bridging, ERSPAN II and III. */
	memset(body, 0, 4);
	test_put16(body + 2, ETH_IPV4);
	n = 4 + put_inner(body + 4, false);
	assert_tunneled(frame, put_outer_ipv4(frame, 47, body, n), "GRE");
	test_put16(body, 0x3000);
	memset(body + 4, 0, 8);
	n = 12 + put_inner(body + 12, false);
	assert_tunneled(frame, put_outer_ipv4(frame, 47, body, n),
	    "GRE key seq");
	test_put16(body, 0x0000);
	test_put16(body + 2, 0x6558);
	n = 4 + put_inner(body + 4, true);
	assert_tunneled(frame, put_outer_ipv4(frame, 47, body, n), "GRE TEB");
	test_put16(body, 0x1000);
	test_put16(body + 2, 0x88be);
	memset(body + 4, 0, 12);
	n = 16 + put_inner(body + 16, true);
	assert_tunneled(frame, put_outer_ipv4(frame, 47, body, n), "ERSPAN II");
	test_put16(body, 0x0000);
	test_put16(body + 2, 0x22eb);
	memset(body + 4, 0, 20);
	body[4 + 11] = 0x01;		/* with the platform subheader */
	n = 24 + put_inner(body + 24, true);
	assert_tunneled(frame, put_outer_ipv4(frame, 47, body, n),
	    "ERSPAN III");
	/* PPTP: GRE version 1, key, PPP. */
	test_put16(body, 0x3001);
	test_put16(body + 2, 0x880b);
	memset(body + 4, 0, 8);
	body[12] = 0xff;
	body[13] = 0x03;
	test_put16(body + 14, 0x0021);
	n = 16 + put_inner(body + 16, false);
	assert_tunneled(frame, put_outer_ipv4(frame, 47, body, n), "PPTP");

	/* VXLAN, Geneve with options, GRE in UDP, GTP-U, Teredo. */
	memset(body, 0, 8);
	body[0] = 0x08;
	n = 8 + put_inner(body + 8, true);
	u = put_udp(udp, 4789, body, n);
	assert_tunneled(frame, put_outer_ipv4(frame, 17, udp, u), "VXLAN");
	memset(body, 0, 16);
	body[0] = 0x02;			/* 8 bytes of options */
	test_put16(body + 2, 0x6558);
	n = 16 + put_inner(body + 16, true);
	u = put_udp(udp, 6081, body, n);
	assert_tunneled(frame, put_outer_ipv4(frame, 17, udp, u), "Geneve");
	memset(body, 0, 4);
	test_put16(body + 2, ETH_IPV4);
	n = 4 + put_inner(body + 4, false);
	u = put_udp(udp, 4754, body, n);
	assert_tunneled(frame, put_outer_ipv4(frame, 17, udp, u),
	    "GRE in UDP");
	memset(body, 0, 8);
	body[0] = 0x30;
	body[1] = 0xff;
	n = 8 + put_inner(body + 8, false);
	u = put_udp(udp, 2152, body, n);
	assert_tunneled(frame, put_outer_ipv4(frame, 17, udp, u), "GTP-U");
	memset(body, 0, 8);		/* origin indication */
	n = 8 + put_ipv6_tcp(body + 8, &t);
	u = put_udp(udp, 3544, body, n);
	assert_tunneled(frame, put_outer_ipv4(frame, 17, udp, u), "Teredo");
}
END_TEST

START_TEST(test_tunnel_depth_bounded)
{
	uint8_t a[FRAME_MAX], b[FRAME_MAX], frame[FRAME_MAX];
	struct tcp_segment seg;
	size_t n, m, len, depth;

	n = put_inner(a, false);
	/* IP in IP in IP ...: DECODE_MAX_TUNNELS decoded, one more not. */
	for (depth = 1; depth <= DECODE_MAX_TUNNELS + 1; depth++) {
		m = put_ipv4(b, 4, 0, n, 0x4000);
		memcpy(b + m, a, n);
		n += m;
		memcpy(a, b, n);
		len = test_put_ethernet(frame, ETH_IPV4);
		memcpy(frame + len, a, n);
		ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len + n,
		    &seg), depth <= DECODE_MAX_TUNNELS ? DECODE_OK :
		    DECODE_TUNNEL_TOO_DEEP);
	}
	/* A tunnel packet with nothing inside is malformed, not cut. */
	memset(b, 0, 8);
	b[0] = 0x08;
	m = put_udp(a, 4789, b, 8);
	len = put_outer_ipv4(frame, 17, a, m);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_BAD_HEADER);
	/* An ordinary UDP port is just not TCP. */
	m = put_udp(a, 53, b, 8);
	len = put_outer_ipv4(frame, 17, a, m);
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_NOT_TCP);
}
END_TEST

START_TEST(test_ip_length_zero)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	struct test_tcp t = default_tcp;
	unsigned notes;
	size_t len, ip;

	/* TSO as captured: total length 0, 1448 bytes on the wire. */
	t.payload_len = 1448;
	ip = test_put_ethernet(frame, ETH_IPV4);
	len = ip + put_ipv4_tcp(frame + ip, &t, 0);
	test_put16(frame + ip + 2, 0);
	ck_assert_int_eq(decode_packet_note(DLT_EN10MB, frame, len,
	    len + 1448, &seg, &notes), DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 1448);
	ck_assert_uint_eq(notes, DECODE_NOTE_IP_LENGTH_ZERO);
	/* Without the wire length, the captured bytes are the frame. */
	ck_assert_int_eq(decode_frame(DLT_EN10MB, frame, len, &seg),
	    DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 0);

	/* BIG TCP over IPv6: payload length 0, no jumbo option. */
	t.payload_len = 100000;
	len = put_ipv6_tcp(frame, &t);
	test_put16(frame + 4, 0);
	ck_assert_int_eq(decode_packet_note(DLT_IPV6, frame, len,
	    len + 100000, &seg, &notes), DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 100000);
	ck_assert_uint_eq(notes, DECODE_NOTE_IP_LENGTH_ZERO);

	/* A jumbogram: the hop-by-hop jumbo option holds the length. */
	len = put_ipv6(frame, PROTO_HOPOPTS, 0);
	frame[len] = PROTO_TCP;
	frame[len + 1] = 0;
	frame[len + 2] = 0xc2;
	frame[len + 3] = 4;
	test_put32(frame + len + 4, 8 + 32 + 70000);
	len += 8;
	len += test_put_tcp(frame + len, &default_tcp);
	ck_assert_int_eq(decode_packet_note(DLT_IPV6, frame, len, len, &seg,
	    &notes), DECODE_OK);
	ck_assert_uint_eq(seg.payload_len, 70000);
	ck_assert_uint_eq(notes, DECODE_NOTE_IP_LENGTH_ZERO);
}
END_TEST

/* xorshift32: a fixed sequence, so any failure reproduces. */
static uint32_t
next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

START_TEST(test_garbage_never_crashes)
{
	uint8_t frame[FRAME_MAX];
	struct tcp_segment seg;
	uint32_t state = 0x12345678;
	size_t i, j, len, k;
	enum decode_status status;

	for (i = 0; i < 4000; i++) {
		/* Start from a valid frame and corrupt a few bytes of it. */
		k = i % LINK_CASE_COUNT;
		len = build_frame(frame, link_cases[k].linktype,
		    link_cases[k].ipv6 && (i & 1), &default_tcp, 8);
		for (j = 0; j < 1 + i % 6; j++)
			frame[next_random(&state) % len] =
			    (uint8_t)next_random(&state);
		len = next_random(&state) % (len + 1);
		status = decode_prefix(link_cases[k].linktype, frame, len,
		    &seg);
		ck_assert_int_le(status, DECODE_UNKNOWN_LINKTYPE);
		ck_assert_int_ne(status, DECODE_UNKNOWN_LINKTYPE);
		if (status == DECODE_OK)
			ck_assert_uint_le(seg.payload_len, 65535);
	}
}
END_TEST

static Suite *
decode_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("decode");

	tc = tcase_create("link layers");
	tcase_add_test(tc, test_linktypes_supported);
	tcase_add_loop_test(tc, test_min_tcp_caplen, 0, LINK_CASE_COUNT);
	tcase_add_loop_test(tc, test_linktype_ipv4, 0, (int)LINK_CASE_COUNT);
	tcase_add_loop_test(tc, test_linktype_ipv6, 0, (int)LINK_CASE_COUNT);
	tcase_add_test(tc, test_null_both_byte_orders);
	tcase_add_test(tc, test_loop_network_order_only);
	tcase_add_test(tc, test_version_mismatch);
	tcase_add_test(tc, test_vlan_tags);
	tcase_add_test(tc, test_not_ip);
	tcase_add_test(tc, test_unknown_linktype_and_null);
	tcase_add_loop_test(tc, test_prefixed_link_types, 0,
	    (int)PREFIX_CASE_COUNT);
	tcase_add_test(tc, test_link_types_without_ip_payload);
	suite_add_tcase(s, tc);

	tc = tcase_create("encapsulations");
	tcase_add_test(tc, test_tunnels);
	tcase_add_test(tc, test_tunnel_depth_bounded);
	tcase_add_test(tc, test_ip_length_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("truncation");
	tcase_add_loop_test(tc, test_truncated_every_boundary, 0,
	    (int)LINK_CASE_COUNT);
	tcase_add_test(tc, test_garbage_never_crashes);
	suite_add_tcase(s, tc);

	tc = tcase_create("ip");
	tcase_add_test(tc, test_ipv4_options_skipped);
	tcase_add_test(tc, test_ipv4_bad_header);
	tcase_add_test(tc, test_ipv4_fragments);
	tcase_add_test(tc, test_ipv6_extension_headers);
	tcase_add_test(tc, test_ipv6_fragments);
	tcase_add_test(tc, test_ipv6_bad_extension_length);
	tcase_add_test(tc, test_not_tcp);
	suite_add_tcase(s, tc);

	tc = tcase_create("tcp");
	tcase_add_test(tc, test_bad_data_offset);
	tcase_add_test(tc, test_payload_from_ip_length);
	tcase_add_test(tc, test_all_flags_and_fields);
	tcase_add_test(tc, test_timestamp_and_failure_fields);
	tcase_add_test(tc, test_status_names);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return test_run_suite(decode_suite());
}
