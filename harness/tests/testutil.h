/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testutil.h - what the unit tests share: running a suite, a scratch
 * directory for files, and packet headers built byte by byte.
 *
 * The header builders write in network byte order and return how many
 * bytes they wrote.  Frames end after the TCP header (as with a small
 * snaplen): the IP length fields claim the payload that is not there.
 */
#ifndef CLOSEPROBE_TESTUTIL_H
#define CLOSEPROBE_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

/* Suites */

/* Run every test of s (CK_ENV verbosity); the exit status for main(). */
int test_run_suite(Suite *s);

/*
 * A scratch directory, made by test_tmpdir_setup() under $TMPDIR (or
 * /tmp) and named after the program; test_tmpdir_teardown() removes it
 * with the files in it.  Both fit tcase_add_checked_fixture().
 */
void test_tmpdir_setup(void);
void test_tmpdir_teardown(void);
/* path = the scratch directory's file name. */
void test_tmpdir_path(char *path, size_t size, const char *name);

/* Packet fields and headers */

void test_put16(uint8_t *p, uint16_t v);
void test_put32(uint8_t *p, uint32_t v);
void test_put32_le(uint8_t *p, uint32_t v);

enum {
	TEST_ETHERTYPE_IPV4 = 0x0800,
	TEST_ETHERTYPE_IPV6 = 0x86dd,
	TEST_PROTO_TCP = 6,
	TEST_PROTO_UDP = 17
};

/* The DLT_NULL / DLT_LOOP address family, in either byte order. */
enum test_null_order {
	TEST_NULL_LITTLE_ENDIAN,
	TEST_NULL_BIG_ENDIAN
};

/* Ethernet with zeroed MACs, as on Linux lo: 14 bytes. */
size_t test_put_ethernet(uint8_t *p, uint16_t ethertype);
/* Linux cooked capture v1 (16 bytes) and v2 (20 bytes) from lo. */
size_t test_put_linux_sll(uint8_t *p, uint16_t protocol);
size_t test_put_linux_sll2(uint8_t *p, uint16_t protocol);
/* DLT_NULL / DLT_LOOP: the address family, 4 bytes. */
size_t test_put_null(uint8_t *p, uint32_t af, enum test_null_order order);

/*
 * The link-layer header of linktype for a frame of ethertype: Ethernet,
 * Linux cooked v1 or v2, or, for DLT_NULL and DLT_LOOP (always big
 * endian), null_af; none (0 bytes) for any other link type.
 */
size_t test_put_link(uint8_t *p, int linktype, uint16_t ethertype,
    uint32_t null_af, enum test_null_order null_order);

/*
 * An IPv4 header with options_len bytes of NOP options (a multiple of
 * 4), TTL 64, no ID and no fragment field; l4_len is what follows it, as
 * claimed by the total length.
 */
size_t test_put_ipv4(uint8_t *p, uint8_t proto, const uint8_t src[4],
    const uint8_t dst[4], size_t options_len, size_t l4_len);
/* An IPv6 header, hop limit 64; payload_len as claimed. */
size_t test_put_ipv6(uint8_t *p, uint8_t next_header, const uint8_t src[16],
    const uint8_t dst[16], size_t payload_len);

/* The fields of a TCP header to build, and the payload IP claims. */
struct test_tcp {
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	size_t options_len;	/* a multiple of 4, up to 40: NOPs */
	uint32_t payload_len;	/* claimed by IP, not in the frame */
};

size_t test_tcp_header_len(const struct test_tcp *t);
size_t test_put_tcp(uint8_t *p, const struct test_tcp *t);

/* Captures */

/*
 * Open a capture file for writing: a dead handle of linktype (kept in
 * *dead for test_dump_close()) with microsecond or nanosecond stamps.
 */
pcap_dumper_t *test_dump_open(const char *path, int linktype, int snaplen,
    bool nanosecond, pcap_t **dead);
void test_dump_close(pcap_dumper_t *dumper, pcap_t *dead);
/* Write a record stamped ts_ns: caplen bytes of frame, of len on the wire. */
void test_dump_frame(pcap_dumper_t *dumper, int64_t ts_ns, bool nanosecond,
    const uint8_t *frame, size_t caplen, size_t len);

#endif
