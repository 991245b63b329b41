/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap2frames.c - seed converter for fuzz_trace: a capture file's
 * records in fuzz_trace's framing (fuzz.h).
 *
 *	pcap2frames [-m MAXBYTES] PCAP OUT
 *
 * Whole records only, and no more than MAXBYTES in all (default 16384),
 * so that a seed stays within the fuzzer's -max_len.  A capture whose
 * link type fuzz_trace cannot choose is an error (status 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "fuzz.h"

static int
linktype_index(int linktype)
{
	int i;

	for (i = 0; i < FUZZ_TRACE_NLINKTYPES; i++)
		if (fuzz_trace_linktypes[i] == linktype)
			return i;
	return -1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pcap2frames [-m MAXBYTES] PCAP OUT\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *pkt;
	unsigned long maxbytes = 16384, total, records;
	unsigned char head[FUZZ_TRACE_RECORD_HEADER];
	char *end;
	size_t len;
	pcap_t *p;
	FILE *out;
	int ch, idx, rc;

	while ((ch = getopt(argc, argv, "m:")) != -1) {
		switch (ch) {
		case 'm':
			errno = 0;
			maxbytes = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || maxbytes < 1)
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();

	p = pcap_open_offline(argv[optind], errbuf);
	if (p == NULL) {
		fprintf(stderr, "pcap2frames: %s\n", errbuf);
		return 1;
	}
	idx = linktype_index(pcap_datalink(p));
	if (idx == -1) {
		fprintf(stderr, "pcap2frames: %s: link type %d is not one "
		    "fuzz_trace chooses\n", argv[optind], pcap_datalink(p));
		pcap_close(p);
		return 1;
	}
	out = fopen(argv[optind + 1], "wb");
	if (out == NULL) {
		fprintf(stderr, "pcap2frames: %s: %s\n", argv[optind + 1],
		    strerror(errno));
		pcap_close(p);
		return 1;
	}
	(void)fputc(idx, out);
	total = 1;
	records = 0;
	while ((rc = pcap_next_ex(p, &hdr, &pkt)) == 1) {
		len = hdr->caplen;
		if (len > FUZZ_TRACE_MAX_RECORD)
			len = FUZZ_TRACE_MAX_RECORD;
		if (total + FUZZ_TRACE_RECORD_HEADER + len > maxbytes)
			break;
		head[0] = (unsigned char)(len >> 8);
		head[1] = (unsigned char)(len & 0xff);
		(void)fwrite(head, 1, sizeof(head), out);
		(void)fwrite(pkt, 1, len, out);
		total += FUZZ_TRACE_RECORD_HEADER + len;
		records++;
	}
	if (rc == PCAP_ERROR)
		fprintf(stderr, "pcap2frames: %s: %s (kept %lu records)\n",
		    argv[optind], pcap_geterr(p), records);
	pcap_close(p);
	if (fclose(out) == EOF) {
		fprintf(stderr, "pcap2frames: %s: %s\n", argv[optind + 1],
		    strerror(errno));
		return 1;
	}
	return 0;
}
