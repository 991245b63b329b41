/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_pcap.c - fuzz target: a whole capture file (pcap or pcapng, as
 * libpcap reads it) through trace.c into a connection table, once as
 * trace_read_file() reads it and once with TRACE_STRICT, as "closeprobe
 * analyze" reads captures of unknown origin.
 *
 * The input is written to a memory file (memfd) and read back through
 * its /proc/self/fd path, so that trace.c opens it as it opens any file
 * (with fopen(), seekable): no disk, no temporary names.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conntrack.h"
#include "fuzz.h"
#include "trace.h"

#define FUZZ_PCAP_ERRBUF_SIZE 1024

static int memfd = -1;
static char memfd_path[64];

static int
memfd_setup(void)
{
	if (memfd != -1)
		return 0;
	memfd = memfd_create("fuzz.pcap", MFD_CLOEXEC);
	if (memfd == -1) {
		perror("fuzz_pcap: memfd_create");
		return -1;
	}
	(void)snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d",
	    memfd);
	return 0;
}

static int
memfd_fill(const uint8_t *data, size_t size)
{
	ssize_t n;
	size_t done;

	if (ftruncate(memfd, 0) == -1)
		return -1;
	for (done = 0; done < size; done += (size_t)n) {
		n = pwrite(memfd, data + done, size - done, (off_t)done);
		if (n == -1 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			return -1;
	}
	return 0;
}

static void
check_read(int rc, const struct conn_table *table,
    const struct trace_stats *st, const char *errbuf)
{
	uint64_t decoded, packets;
	const struct conn *c;
	enum teardown_class tc;
	size_t i, n;

	FUZZ_CHECK(rc == TRACE_OK || rc == TRACE_ERROR ||
	    rc == TRACE_NO_IP_LINKTYPE);
	FUZZ_CHECK(memchr(errbuf, '\0', FUZZ_PCAP_ERRBUF_SIZE) != NULL);
	/* Nothing is read from a link type without IP. */
	if (rc == TRACE_NO_IP_LINKTYPE)
		FUZZ_CHECK(st->records == 0);
	if (rc != TRACE_OK) {
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(strncmp(errbuf, memfd_path,
		    strlen(memfd_path)) == 0);
	}
	/* Records with a timestamp out of range are not decoded. */
	decoded = st->tcp + st->not_tcp + st->not_ip + st->fragments +
	    st->undecodable + st->bad_timestamp;
	FUZZ_CHECK(decoded == st->records);
	FUZZ_CHECK(st->truncated + st->bad_header + st->tunnel_too_deep ==
	    st->undecodable);
	FUZZ_CHECK(st->ip_length_zero <= st->tcp && st->tunneled <= st->tcp);
	FUZZ_CHECK(st->oversize <= st->records);
	FUZZ_CHECK(st->first_oversize_record <= st->records);
	FUZZ_CHECK(st->first_bad_timestamp_record <= st->records);
	FUZZ_CHECK(st->first_truncated_record <= st->records);

	n = conn_table_count(table);
	FUZZ_CHECK(n <= st->tcp);
	packets = 0;
	for (i = 0; i < n; i++) {
		c = conn_table_get(table, i);
		FUZZ_CHECK(c != NULL);
		FUZZ_CHECK(c->first_index >= 1 &&
		    c->first_index <= st->records);
		packets += c->half[SIDE_ORIG].packets +
		    c->half[SIDE_RESP].packets;
		tc = teardown_classify(c);
		FUZZ_CHECK(tc >= TEARDOWN_NONE &&
		    tc <= TEARDOWN_FIN_THEN_RST);
	}
	FUZZ_CHECK(packets == st->tcp);
}

static void
read_once(unsigned flags)
{
	char errbuf[FUZZ_PCAP_ERRBUF_SIZE];
	struct trace_stats st;
	struct conn_table *table;
	int rc;

	table = conn_table_new();
	if (table == NULL)
		return;
	errbuf[0] = '\0';
	if (flags == 0)
		rc = trace_read_file(memfd_path, table, &st, errbuf,
		    sizeof(errbuf));
	else
		rc = trace_read(memfd_path, table, &st, flags, errbuf,
		    sizeof(errbuf));
	check_read(rc, table, &st, errbuf);
	conn_table_free(table);
}

static void
read_both(const uint8_t *data, size_t size)
{
	if (memfd_setup() == -1 || memfd_fill(data, size) == -1)
		abort();	/* the harness itself failed: say so loudly */
	read_once(0);
	read_once(TRACE_STRICT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_timed(read_both, data, size);
}
