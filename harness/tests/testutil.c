/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testutil.c - what the unit tests share (see testutil.h).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "testutil.h"

enum {
	ARPHRD_LOOPBACK_TYPE = 772,
	LOOPBACK_ADDR_LEN = 6
};

int
test_run_suite(Suite *s)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Scratch directory */

static char tmpdir[4096];

void
test_tmpdir_setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/%s.XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp",
	    program_invocation_short_name);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

void
test_tmpdir_teardown(void)
{
	char path[sizeof(tmpdir) + 256];
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

void
test_tmpdir_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", tmpdir, name);
}

/* Packet fields and headers */

void
test_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
test_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void
test_put32_le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

size_t
test_put_ethernet(uint8_t *p, uint16_t ethertype)
{
	memset(p, 0, 12);	/* Linux lo: zeroed MACs */
	test_put16(p + 12, ethertype);
	return 14;
}

size_t
test_put_linux_sll(uint8_t *p, uint16_t protocol)
{
	memset(p, 0, 16);
	test_put16(p + 2, ARPHRD_LOOPBACK_TYPE);
	test_put16(p + 4, LOOPBACK_ADDR_LEN);
	test_put16(p + 14, protocol);
	return 16;
}

size_t
test_put_linux_sll2(uint8_t *p, uint16_t protocol)
{
	memset(p, 0, 20);
	test_put16(p, protocol);
	test_put32(p + 4, 1);	/* ifindex */
	test_put16(p + 8, ARPHRD_LOOPBACK_TYPE);
	p[11] = LOOPBACK_ADDR_LEN;
	return 20;
}

size_t
test_put_null(uint8_t *p, uint32_t af, enum test_null_order order)
{
	if (order == TEST_NULL_BIG_ENDIAN)
		test_put32(p, af);
	else
		test_put32_le(p, af);
	return 4;
}

size_t
test_put_link(uint8_t *p, int linktype, uint16_t ethertype,
    uint32_t null_af, enum test_null_order null_order)
{
	switch (linktype) {
	case DLT_EN10MB:
		return test_put_ethernet(p, ethertype);
	case DLT_LINUX_SLL:
		return test_put_linux_sll(p, ethertype);
	case DLT_LINUX_SLL2:
		return test_put_linux_sll2(p, ethertype);
	case DLT_NULL:
		return test_put_null(p, null_af, null_order);
	case DLT_LOOP:
		return test_put_null(p, null_af, TEST_NULL_BIG_ENDIAN);
	default:		/* raw IP, IPv4, IPv6, or not IP at all */
		return 0;
	}
}

size_t
test_put_ipv4(uint8_t *p, uint8_t proto, const uint8_t src[4],
    const uint8_t dst[4], size_t options_len, size_t l4_len)
{
	size_t len = 20 + options_len;

	memset(p, 0, len);
	p[0] = (uint8_t)(0x40 | (len / 4));
	test_put16(p + 2, (uint16_t)(len + l4_len));
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	memset(p + 20, 1, options_len);	/* NOP options */
	return len;
}

size_t
test_put_ipv6(uint8_t *p, uint8_t next_header, const uint8_t src[16],
    const uint8_t dst[16], size_t payload_len)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	test_put16(p + 4, (uint16_t)payload_len);
	p[6] = next_header;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return 40;
}

size_t
test_tcp_header_len(const struct test_tcp *t)
{
	return 20 + t->options_len;
}

size_t
test_put_tcp(uint8_t *p, const struct test_tcp *t)
{
	size_t len = test_tcp_header_len(t);

	memset(p, 0, len);
	test_put16(p, t->src_port);
	test_put16(p + 2, t->dst_port);
	test_put32(p + 4, t->seq);
	test_put32(p + 8, t->ack);
	p[12] = (uint8_t)((len / 4) << 4);
	p[13] = t->flags;
	test_put16(p + 14, t->window);
	/* Options: NOPs (1), as good as any for the decoder. */
	memset(p + 20, 1, t->options_len);
	return len;
}

/* Captures */

pcap_dumper_t *
test_dump_open(const char *path, int linktype, int snaplen, bool nanosecond,
    pcap_t **dead)
{
	pcap_dumper_t *dumper;

	*dead = pcap_open_dead_with_tstamp_precision(linktype, snaplen,
	    nanosecond ? PCAP_TSTAMP_PRECISION_NANO :
	    PCAP_TSTAMP_PRECISION_MICRO);
	ck_assert_ptr_nonnull(*dead);
	dumper = pcap_dump_open(*dead, path);
	ck_assert_msg(dumper != NULL, "%s", pcap_geterr(*dead));
	return dumper;
}

void
test_dump_close(pcap_dumper_t *dumper, pcap_t *dead)
{
	pcap_dump_close(dumper);
	pcap_close(dead);
}

void
test_dump_frame(pcap_dumper_t *dumper, int64_t ts_ns, bool nanosecond,
    const uint8_t *frame, size_t caplen, size_t len)
{
	struct pcap_pkthdr header;

	memset(&header, 0, sizeof(header));
	header.ts.tv_sec = (time_t)(ts_ns / 1000000000);
	header.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000 /
	    (nanosecond ? 1 : 1000));
	header.caplen = (bpf_u_int32)caplen;
	header.len = (bpf_u_int32)len;
	pcap_dump((u_char *)dumper, &header, frame);
}
