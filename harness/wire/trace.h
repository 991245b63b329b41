/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace.h - read a capture file (pcap or pcapng) into a connection table.
 */
#ifndef trace_h
#define trace_h

#include <stddef.h>
#include <stdint.h>

#include "conntrack.h"

struct trace_stats {
	uint64_t records;	/* all records read */
	uint64_t tcp;		/* decoded as TCP */
	uint64_t not_tcp;	/* IP, not TCP (e.g. the UDP sentinel) */
	uint64_t not_ip;
	uint64_t fragments;
	uint64_t undecodable;	/* truncated + bad_header + tunnel_too_deep */
	uint64_t truncated;	/* of undecodable: headers cut by snaplen */
	uint64_t bad_header;	/* of undecodable: malformed */
	uint64_t tunnel_too_deep;	/* of undecodable: DECODE_MAX_TUNNELS */
	/*
	 * Of tcp: an IP length of 0 (TSO as captured, BIG TCP) gave way
	 * to the frame's length or a jumbo option; decoded in a tunnel.
	 */
	uint64_t ip_length_zero;
	uint64_t tunneled;
	/*
	 * Records longer than the snap length (libpcap cut them to it;
	 * what was kept is decoded) and the first of them, with the
	 * length its header claimed.  Only seen where record_check can
	 * follow the file (classic pcap, seekable, TRACE_STRICT).
	 */
	uint64_t oversize;
	uint64_t first_oversize_record;
	uint64_t first_oversize_len;
	/*
	 * Records whose timestamp nanoseconds since 1970 cannot hold in 64
	 * bits (after 2262-04-11 or before 1677-09-21): not decoded.
	 */
	uint64_t bad_timestamp;
	uint64_t first_bad_timestamp_record;
	int64_t first_bad_timestamp_sec;
	int linktype;		/* pcap_datalink(): a DLT_ value */
	int snaplen;
	/* TRACE_STRICT: the first record whose TCP headers were cut. */
	uint64_t first_truncated_record;
	uint32_t first_truncated_caplen;
};

/* What trace_read() and trace_read_file() return. */
enum trace_result {
	TRACE_OK = 0,
	TRACE_ERROR = -1,
	/*
	 * The file's link type cannot carry IP (see
	 * decode_linktype_carries_no_ip()): nothing was read, errbuf says
	 * so.  Not an error in the file, only nothing for closeprobe.
	 */
	TRACE_NO_IP_LINKTYPE = -2
};

enum trace_flag {
	/*
	 * For captures of unknown origin ("closeprobe analyze"): a snap
	 * length too short for the link, IP and TCP headers, a record that
	 * claims more bytes than the snap length (which libpcap would
	 * silently cut; detected in classic pcap files that can be
	 * seeked, i.e. not in pcapng nor on a pipe) is counted (oversize)
	 * and decoded as far as libpcap kept it; records whose TCP headers
	 * are cut and records whose timestamp cannot be held are errors.
	 * Records after such a one are still read; the error then names
	 * the first.
	 */
	TRACE_STRICT = 1 << 0
};

/*
 * Read a whole capture file into table; records are numbered from 1, as
 * in Wireshark, and timestamps are kept to the nanosecond when the file
 * has them.  0 ok; -1 with errbuf "PATH: record N: what" (or "PATH:
 * what" when the file cannot be opened at all); the table keeps what
 * was read before the error.  An unsupported link type is -1 with a
 * message naming it; one that cannot carry IP is TRACE_NO_IP_LINKTYPE
 * (-2), also with a message.  stats may be NULL; otherwise it is reset,
 * then counts what was read, also on error.
 */
int trace_read_file(const char *path, struct conn_table *table,
    struct trace_stats *stats, char *errbuf, size_t errbuf_size);

/*
 * trace_read_file() with flags (enum trace_flag); path "-" is standard
 * input, named "(stdin)" in messages.  A connection table in streaming
 * mode hands ended connections on while the file is read; the caller
 * calls conn_table_flush() after the last file.  trace_read_file()
 * instead finishes every connection itself (conn_table_flush()).
 */
int trace_read(const char *path, struct conn_table *table,
    struct trace_stats *stats, unsigned flags, char *errbuf,
    size_t errbuf_size);

#endif /* trace_h */
