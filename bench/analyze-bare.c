/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * analyze-bare.c - the limit bench/analyze compares against: a bare
 * pcap_next_ex() loop over a capture file, opened as closeprobe analyze
 * opens it, touching nothing but the record header.
 *
 * analyze-bare --loop FILE does the same with pcap_loop(), which is how
 * closeprobe analyze reads: the same records read the same way, without
 * pcap_next_ex()'s two calls and header copy per record.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

struct counts {
	uint64_t packets, bytes;
};

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct counts *c = (struct counts *)(void *)user;

	(void)data;
	c->packets++;
	c->bytes += h->caplen;
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct counts c = { 0, 0 };
	const char *path;
	pcap_t *p;
	int rc, use_loop;

	use_loop = argc == 3 && strcmp(argv[1], "--loop") == 0;
	if (argc != 2 && !use_loop) {
		fprintf(stderr, "usage: analyze-bare [--loop] FILE\n");
		return 2;
	}
	path = argv[argc - 1];
	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fprintf(stderr, "analyze-bare: %s\n", errbuf);
		return 1;
	}
	if (use_loop) {
		rc = pcap_loop(p, -1, count, (u_char *)&c);
		if (rc == 0)
			rc = PCAP_ERROR_BREAK;
	} else {
		while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
			c.packets++;
			c.bytes += h->caplen;
		}
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "analyze-bare: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("%llu packets, %llu bytes\n", (unsigned long long)c.packets,
	    (unsigned long long)c.bytes);
	return 0;
}
