/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * capture.h - in-process libpcap capture of one case's traffic.
 *
 * The capture is active (filter set, dump file open) before the first
 * SYN.  It is known to be complete by a deterministic signal: once the
 * roles are done the runner sends a sentinel datagram carrying a random
 * nonce and reads until that datagram shows up; everything tapped before
 * it is then in the file.  The sentinel itself is not written.
 */
#ifndef capture_h
#define capture_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPTURE_SNAPLEN 256	/* link + IP + TCP with options; no payload needed */
#define CAPTURE_BUFFER (8 * 1024 * 1024)	/* 2 GiB at full loopback speed: 0 drops */
#define CAPTURE_NONCE_SIZE 16

struct capture;

struct capture_stats {
	uint64_t written;	/* packets written to the file */
	unsigned received;	/* pcap_stats ps_recv */
	unsigned dropped;	/* ps_drop: the ring was full */
	unsigned if_dropped;	/* ps_ifdrop */
	int linktype;
	/*
	 * CLOCK_REALTIME - CLOCK_MONOTONIC, in ns, sampled as the capture
	 * started: the packets' stamps are CLOCK_REALTIME (libpcap's default
	 * "host" time stamps), the roles' ledgers CLOCK_MONOTONIC, and
	 * mono + clock_offset_ns places a ledger's time among the packets
	 * (to within clock_offset_error_ns, and as long as nobody steps the
	 * real-time clock during the case).
	 */
	bool clock_offset_known;
	int64_t clock_offset_ns;
	int64_t clock_offset_error_ns;	/* half the narrowest sample's width */
	/* The file could not be written whole: the errno (EIO when the
	 * stream kept no cause), else 0.  capture_finish() fails too. */
	int write_error;
};

enum capture_result {
	CAPTURE_OK,
	CAPTURE_NO_PERMISSION,	/* no right to capture here: skip */
	CAPTURE_FAILED
};

/* Open device, set filter, and write to the already-open file descriptor
 * dump_fd (which the capture takes over). */
enum capture_result capture_open(struct capture **out, const char *device,
    const char *filter, int dump_fd, char *errbuf, size_t errbuf_size);

/* A descriptor to poll(2) for readability. */
int capture_selectable_fd(const struct capture *cap);

/* Packets whose bytes contain nonce are the sentinel. */
void capture_set_sentinel(struct capture *cap, const uint8_t *nonce, size_t len);
bool capture_sentinel_seen(const struct capture *cap);

/* Read every packet available now.  0 ok, -1 on error. */
int capture_pump(struct capture *cap, char *errbuf, size_t errbuf_size);

/* Read the statistics, flush and close the file.  0 ok, -1 on error. */
int capture_finish(struct capture *cap, struct capture_stats *stats,
    char *errbuf, size_t errbuf_size);

void capture_close(struct capture *cap);

#endif /* capture_h */
