/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * capture.c - libpcap, in process, following pcap_create(3PCAP):
 * create, snap length, immediate mode, buffer, activate, filter, dump.
 */
#include <sys/socket.h>

#include <linux/if_packet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"

#define LOOPBACK_DEVICE "lo"	/* Linux's only loopback device, in every namespace */

struct capture {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	uint8_t nonce[CAPTURE_NONCE_SIZE];
	size_t nonce_len;
	bool sentinel_seen;
	uint64_t written;
	bool clock_offset_known;
	int64_t clock_offset_ns;	/* see struct capture_stats */
	int64_t clock_offset_error_ns;
};

#define CLOCK_SAMPLES 5		/* pairs read; the narrowest one is kept */

static bool
contains(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t len)
{
	size_t i;

	if (len == 0 || hay_len < len)
		return false;
	for (i = 0; i + len <= hay_len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, len) == 0)
			return true;
	return false;
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *cap = (struct capture *)user;

	if (contains(bytes, h->caplen, cap->nonce, cap->nonce_len)) {
		cap->sentinel_seen = true;
		return;
	}
	pcap_dump((u_char *)cap->dumper, h, bytes);
	cap->written++;
}

static int64_t
timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/*
 * The offset from CLOCK_MONOTONIC to CLOCK_REALTIME: a real-time reading
 * between two monotonic ones, the pair closest together of a few (a
 * preemption between the reads widens one sample, not all of them).
 * False when a clock cannot be read.
 */
static bool
sample_clock_offset(int64_t *offset, int64_t *error)
{
	int64_t best_width = INT64_MAX;
	int i;

	for (i = 0; i < CLOCK_SAMPLES; i++) {
		struct timespec m0, real, m1;
		int64_t width;

		if (clock_gettime(CLOCK_MONOTONIC, &m0) < 0 ||
		    clock_gettime(CLOCK_REALTIME, &real) < 0 ||
		    clock_gettime(CLOCK_MONOTONIC, &m1) < 0)
			return false;
		width = timespec_ns(&m1) - timespec_ns(&m0);
		if (width < best_width) {
			best_width = width;
			*offset = timespec_ns(&real) - (timespec_ns(&m0) + width / 2);
			*error = (width + 1) / 2;
		}
	}
	return true;
}

/*
 * lo taps each packet twice, leaving and arriving, and libpcap throws the
 * outgoing copy away: the kernel need not hand it over at all.  That
 * halves what the ring must hold (and the wake-ups) on a busy loopback;
 * the packets written are the same.  Kernels before 4.20 lack the option:
 * libpcap's own filtering is all there is then.
 */
static int
ignore_outgoing(pcap_t *pcap)
{
	int one = 1;

	if (setsockopt(pcap_get_selectable_fd(pcap), SOL_PACKET, PACKET_IGNORE_OUTGOING,
	    &one, sizeof(one)) < 0 && errno != ENOPROTOOPT)
		return -1;
	return 0;
}

enum capture_result
capture_open(struct capture **out, const char *device, const char *filter,
    int dump_fd, char *errbuf, size_t errbuf_size)
{
	char pcap_err[PCAP_ERRBUF_SIZE];
	struct bpf_program program;
	struct capture *cap;
	FILE *file;
	int rc;

	*out = NULL;
	cap = calloc(1, sizeof(*cap));
	if (cap == NULL) {
		snprintf(errbuf, errbuf_size, "out of memory");
		close(dump_fd);
		return CAPTURE_FAILED;
	}
	pcap_err[0] = '\0';
	cap->pcap = pcap_create(device, pcap_err);
	if (cap->pcap == NULL) {
		snprintf(errbuf, errbuf_size, "pcap_create %s: %s", device, pcap_err);
		goto fail;
	}
	if (pcap_set_snaplen(cap->pcap, CAPTURE_SNAPLEN) != 0 ||
	    pcap_set_promisc(cap->pcap, 0) != 0 ||
	    pcap_set_timeout(cap->pcap, 100) != 0 ||
	    pcap_set_immediate_mode(cap->pcap, 1) != 0 ||
	    pcap_set_buffer_size(cap->pcap, CAPTURE_BUFFER) != 0) {
		snprintf(errbuf, errbuf_size, "%s: cannot configure the capture", device);
		goto fail;
	}
	rc = pcap_activate(cap->pcap);
	if (rc < 0) {
		bool perm = rc == PCAP_ERROR_PERM_DENIED;

		snprintf(errbuf, errbuf_size, "cannot capture on %s: %s (%s)", device,
		    pcap_statustostr(rc), pcap_geterr(cap->pcap));
		pcap_close(cap->pcap);
		free(cap);
		close(dump_fd);
		return perm ? CAPTURE_NO_PERMISSION : CAPTURE_FAILED;
	}
	if (pcap_compile(cap->pcap, &program, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(errbuf, errbuf_size, "filter '%s': %s", filter, pcap_geterr(cap->pcap));
		goto fail;
	}
	rc = pcap_setfilter(cap->pcap, &program);
	pcap_freecode(&program);
	if (rc < 0) {
		snprintf(errbuf, errbuf_size, "filter '%s': %s", filter, pcap_geterr(cap->pcap));
		goto fail;
	}
	if (strcmp(device, LOOPBACK_DEVICE) == 0 && ignore_outgoing(cap->pcap) < 0) {
		snprintf(errbuf, errbuf_size, "%s: PACKET_IGNORE_OUTGOING: %s", device,
		    strerror(errno));
		goto fail;
	}
	if (pcap_setnonblock(cap->pcap, 1, pcap_err) < 0) {
		snprintf(errbuf, errbuf_size, "pcap_setnonblock: %s", pcap_err);
		goto fail;
	}
	file = fdopen(dump_fd, "wb");
	if (file == NULL) {
		snprintf(errbuf, errbuf_size, "fdopen: %s", strerror(errno));
		goto fail;
	}
	dump_fd = -1;
	cap->dumper = pcap_dump_fopen(cap->pcap, file);
	if (cap->dumper == NULL) {
		snprintf(errbuf, errbuf_size, "pcap_dump_fopen: %s", pcap_geterr(cap->pcap));
		fclose(file);
		goto fail;
	}
	/* The capture is on: from here its stamps and the roles' clocks agree. */
	cap->clock_offset_known = sample_clock_offset(&cap->clock_offset_ns,
	    &cap->clock_offset_error_ns);
	*out = cap;
	return CAPTURE_OK;
fail:
	if (dump_fd >= 0)
		close(dump_fd);
	if (cap->pcap != NULL)
		pcap_close(cap->pcap);
	free(cap);
	return CAPTURE_FAILED;
}

int
capture_selectable_fd(const struct capture *cap)
{
	return pcap_get_selectable_fd(cap->pcap);
}

void
capture_set_sentinel(struct capture *cap, const uint8_t *nonce, size_t len)
{
	if (len > sizeof(cap->nonce))
		len = sizeof(cap->nonce);
	memcpy(cap->nonce, nonce, len);
	cap->nonce_len = len;
}

bool
capture_sentinel_seen(const struct capture *cap)
{
	return cap->sentinel_seen;
}

int
capture_pump(struct capture *cap, char *errbuf, size_t errbuf_size)
{
	for (;;) {
		int n = pcap_dispatch(cap->pcap, -1, on_packet, (u_char *)cap);

		if (n < 0) {
			snprintf(errbuf, errbuf_size, "pcap_dispatch: %s", pcap_geterr(cap->pcap));
			return -1;
		}
		if (n == 0)
			return 0;
	}
}

int
capture_finish(struct capture *cap, struct capture_stats *stats,
    char *errbuf, size_t errbuf_size)
{
	struct pcap_stat ps;
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	stats->written = cap->written;
	stats->linktype = pcap_datalink(cap->pcap);
	stats->clock_offset_known = cap->clock_offset_known;
	stats->clock_offset_ns = cap->clock_offset_ns;
	stats->clock_offset_error_ns = cap->clock_offset_error_ns;
	if (pcap_stats(cap->pcap, &ps) < 0) {
		snprintf(errbuf, errbuf_size, "pcap_stats: %s", pcap_geterr(cap->pcap));
		rc = -1;
	} else {
		stats->received = ps.ps_recv;
		stats->dropped = ps.ps_drop;
		stats->if_dropped = ps.ps_ifdrop;
	}
	if (cap->dumper != NULL) {
		/*
		 * pcap_dump() reports nothing: a failed write shows in the
		 * stream's error flag, and the flush surfaces what was still
		 * buffered.  pcap_dump_close() returns nothing either, so the
		 * stream is checked before it goes.
		 */
		FILE *file = pcap_dump_file(cap->dumper);
		int flushed = pcap_dump_flush(cap->dumper);
		int flush_errno = errno;

		if (flushed < 0 || (file != NULL && ferror(file))) {
			stats->write_error = flushed < 0 && flush_errno != 0 ? flush_errno : EIO;
			if (rc == 0)
				snprintf(errbuf, errbuf_size, "writing the capture file: %s",
				    strerror(stats->write_error));
			rc = -1;
		}
		pcap_dump_close(cap->dumper);
		cap->dumper = NULL;
	}
	return rc;
}

void
capture_close(struct capture *cap)
{
	if (cap == NULL)
		return;
	if (cap->dumper != NULL)
		pcap_dump_close(cap->dumper);
	pcap_close(cap->pcap);
	free(cap);
}
