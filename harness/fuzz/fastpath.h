/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastpath.h - the differential run of the connection tracker: the same
 * segments through conn_table_add() (with its fast path) and through
 * conn_table_add_general() (without), in both table modes, and every
 * connection compared field by field after every segment and when
 * finished.  fuzz_fastpath runs it on fuzzer input, check_fastpath on
 * seeded random conversations.
 *
 * Input: FASTPATH_RECORD_SIZE-byte records (a last short one, and any
 * past FASTPATH_MAX_RECORDS, are ignored: a run under the sanitizers
 * stays well below the fuzz targets' 100 ms), each one segment of a small world of FASTPATH_TUPLES
 * 4-tuples whose sequence numbers are tracked by the driver, so that
 * most segments continue their stream the way the fast path expects:
 *
 *   byte 0  bits 0-2: the 4-tuple; bit 3: from the server; bits 4-5:
 *           where seq is (enum fastpath_seq_mode); bit 6: ACK off the
 *           peer's next byte by byte 6 (else at it); bit 7: window 0
 *   byte 1  TCP flags (TCP_FLAG_*)
 *   byte 2  payload length
 *   byte 3  seq distance for FASTPATH_SEQ_AHEAD/_BEHIND, in 16 bytes
 *   byte 4  capture time since the segment before, in ms
 *   byte 5  a SYN's ISN, high byte (0: the side's next sequence number)
 *   byte 6  ACK distance behind the peer's next byte, signed (below
 *           0: ahead of it, acking bytes the capture never saw)
 *   byte 7  IPv6 if odd (only when a 4-tuple is first used)
 */
#ifndef fastpath_h
#define fastpath_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FASTPATH_RECORD_SIZE = 8,
	FASTPATH_MAX_RECORDS = 512,
	FASTPATH_TUPLES = 8
};

/* Where a segment's seq is, in the sender's sequence space. */
enum fastpath_seq_mode {
	FASTPATH_SEQ_NEXT,	/* the sender's next byte: in order */
	FASTPATH_SEQ_AHEAD,	/* past it: a hole */
	FASTPATH_SEQ_BEHIND,	/* before it: a retransmission or reordering */
	FASTPATH_SEQ_WRAP	/* just below 2^32 (and past it with data) */
};

/* What a differential run found. */
struct fastpath_result {
	bool differ;		/* the two paths disagreed */
	char why[512];		/* if so: where and which field */
	uint64_t segments;	/* fed to each table, per mode */
	/* of those, ACKs (no SYN, FIN, RST) at the sender's next byte: */
	uint64_t candidates;	/* what the fast path is for */
	uint64_t connections;	/* finished in streaming mode */
};

/*
 * Run data (records as above) through both paths, in keep-all mode and
 * in streaming mode (linger FASTPATH_LINGER_MS, idle FASTPATH_IDLE_MS).
 * In keep-all mode every FASTPATH_FINISH_EVERY records (less often with
 * more connections, so that it stays cheap) all connections are also
 * finished (conn_table_flush()) and compared, so that state only the
 * end shows (sizes, holes) is compared along the way too.
 * 0, or -1 with errno (ENOMEM) if a table could not be built.
 */
#define FASTPATH_LINGER_MS	50
#define FASTPATH_IDLE_MS	2000
#define FASTPATH_FINISH_EVERY	16
int fastpath_run(const uint8_t *data, size_t size,
    struct fastpath_result *result);

#endif /* fastpath_h */
