/*
 * analyze-bare.c - the limit bench/analyze compares against: a bare
 * pcap_next_ex() loop over a capture file, opened as closeprobe analyze
 * opens it, touching nothing but the record header.
 */
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t packets = 0, bytes = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: analyze-bare FILE\n");
		return 2;
	}
	p = pcap_open_offline_with_tstamp_precision(argv[1],
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fprintf(stderr, "analyze-bare: %s\n", errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->caplen;
	}
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "analyze-bare: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("%llu packets, %llu bytes\n", (unsigned long long)packets,
	    (unsigned long long)bytes);
	return 0;
}
