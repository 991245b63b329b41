/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder.h - a ladder (sequence) diagram of one TCP connection, as SVG.
 *
 * One lane per process (client, server, their children), time running
 * down; the application's calls on their lanes; the segments between the
 * two ends as arrows; the verdict's headline on top and, at the foot,
 * where each direction's bytes went (read, never put on the wire, on the
 * wire but never read, discarded, lost in flight).
 *
 * The model is neutral: plain values the caller fills from whatever it
 * has (a run's ledgers and capture, or a capture alone), so drawing
 * depends on no other module's structures.  Every text is copied.
 *
 * Time: all times are nanoseconds on ONE clock (the caller maps the
 * roles' CLOCK_MONOTONIC and the capture's stamps onto it); only
 * differences are drawn, from the earliest event.  Rows are ordinal: one
 * event per row in time order, the time printed beside each row and a
 * break marked where a long pause was cut out.  A linear scale cannot
 * work: on loopback the handshake and the data take microseconds, a
 * close() with SO_LINGER seconds, and a proportional drawing would
 * squeeze every packet into one line.
 *
 * Folding: a stretch of more than the threshold of plain data segments
 * and pure ACKs (no SYN, FIN or RST, no application call in between) is
 * drawn as bands, one per direction and kind: "N segments, bytes A-B"
 * and "N ACKs, ack A-B", with the retransmissions and losses they hold
 * counted.  The keep segments just before and just after each FIN and
 * RST are always drawn in full, so the teardown reads packet by packet
 * however long the transfer was.
 */
#ifndef ladder_h
#define ladder_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The two ends of the connection; the client sent the SYN. */
enum ladder_end {
	LADDER_END_CLIENT,
	LADDER_END_SERVER,
	LADDER_END_COUNT
};

/* What happened on a lane. */
enum ladder_call_kind {
	LADDER_CALL_SYSCALL,	/* connect(), send(), close(): a call, timed */
	LADDER_CALL_SIGNAL,	/* a signal delivered to the process */
	LADDER_CALL_EXIT,	/* the process ended; its lane goes dotted */
	LADDER_CALL_KIND_COUNT
};

/* A segment's TCP flags (those the drawing tells apart). */
enum ladder_segment_flag {
	LADDER_SEG_SYN = 1 << 0,
	LADDER_SEG_ACK = 1 << 1,
	LADDER_SEG_FIN = 1 << 2,
	LADDER_SEG_RST = 1 << 3	/* with LADDER_SEG_ACK: RST+ACK; else bare RST */
};

struct ladder_segment {
	enum ladder_end from;	/* the sender; it goes to the other end */
	int64_t at_ns;		/* capture time at the capture point */
	unsigned flags;		/* enum ladder_segment_flag bits */
	/*
	 * Relative stream offsets: 0 is the first byte after the sender's
	 * SYN.  seq is the first payload byte (for a FIN or RST without
	 * payload: its sequence slot); ack is the receiver's stream offset
	 * acknowledged, with LADDER_SEG_ACK.
	 */
	uint64_t seq;
	uint32_t len;		/* payload bytes */
	uint64_t ack;
	bool retransmission;	/* it carried bytes already sent */
	bool lost_in_flight;	/* left the sender's end, never reached the other */
};

/* Where the bytes of a direction that were never read went. */
enum ladder_loss_kind {
	LADDER_LOSS_NEVER_ON_WIRE,	/* the writer's unsent queue at close */
	LADDER_LOSS_ON_WIRE_NEVER_READ,	/* sent, never returned by recv() */
	LADDER_LOSS_DISCARDED,		/* of those: in the reader's queue at its close */
	LADDER_LOSS_IN_FLIGHT,		/* of those: left the writer, never arrived */
	LADDER_LOSS_KIND_COUNT
};

/* Defaults of ladder_set_folding(). */
enum {
	LADDER_DEFAULT_FOLD_THRESHOLD = 16,
	LADDER_DEFAULT_FOLD_KEEP = 6
};

struct ladder;

/* An empty diagram with the default folding; NULL (errno ENOMEM). */
struct ladder *ladder_new(void);
void ladder_free(struct ladder *l);

/*
 * A lane for a process on one end: "client", "server", "server.child".
 * The first lane of each end stands next to the wire and the segments
 * start and end on it; later lanes of that end stand further out.
 * Returns the lane's index, or -1 (errno EINVAL, ENOMEM).
 */
int ladder_add_lane(struct ladder *l, const char *name, enum ladder_end end);

/*
 * A call on a lane from start_ns to end_ns (end_ns == start_ns for an
 * instant: a signal, an exit).  The label says what it did and saw:
 * "send() 16 calls accepted 3,943,424 B, then EAGAIN",
 * "close() 0.063 ms: unread 100 B, unsent 3,815,424 B", "SIGPIPE",
 * "exit 0".  A call is never folded: feed runs (as the ledger keeps
 * them), not thousands of calls.  0 ok, -1 (errno EINVAL: no such lane,
 * end before start; ENOMEM).
 */
int ladder_add_call(struct ladder *l, int lane, enum ladder_call_kind kind,
    int64_t start_ns, int64_t end_ns, const char *label);

/* One captured segment, in any order (drawn in time order).  0 or -1. */
int ladder_add_segment(struct ladder *l, const struct ladder_segment *seg);

/*
 * A direction writer->other end: what send() accepted, what recv()
 * returned and the verdict's outcome ("truncated"), drawn at the foot
 * as a bar of the writer's stream.  0 or -1 (EINVAL, ENOMEM).
 */
int ladder_set_direction(struct ladder *l, enum ladder_end writer,
    uint64_t written, uint64_t read, const char *outcome);

/*
 * Bytes of the direction writer->other end lost in one way (a second
 * call for the same kind replaces the first).  Shown on that
 * direction's bar, with the size.  0 or -1 (EINVAL).
 */
int ladder_add_loss(struct ladder *l, enum ladder_end writer,
    enum ladder_loss_kind kind, uint64_t bytes);

/*
 * The headline: the case run's name ("close-unread-truncates (IPv4)"),
 * its status ("PASS", "FAIL", "SKIP", "ERROR") and the verdict's first
 * sentence.  Any may be NULL.  0 or -1 (ENOMEM).
 */
int ladder_set_headline(struct ladder *l, const char *name,
    const char *status, const char *summary);

/*
 * Fold stretches of more than threshold segments; keep the keep
 * segments around each FIN and RST in full.  threshold 0: never fold.
 */
void ladder_set_folding(struct ladder *l, size_t threshold, size_t keep);

/*
 * Write the diagram as one self-contained SVG document (no scripts, no
 * external fonts or images) to out.  0 ok; -1 with a message in err
 * (ENOMEM, or the stream's write error).
 */
int ladder_write_svg(const struct ladder *l, FILE *out, char *err,
    size_t errlen);

/* "never on the wire", "on the wire, never read", ... */
const char *ladder_loss_kind_name(enum ladder_loss_kind kind);

/* What ladder_read_capture() found. */
struct ladder_capture_info {
	size_t records;		/* read from the file */
	size_t connections;	/* TCP connections told apart, in order of first packet */
	size_t packets;		/* of the connection drawn */
	int family;		/* AF_INET or AF_INET6 */
	uint8_t client_addr[16], server_addr[16];	/* IPv4 in the first 4 bytes */
	uint16_t client_port, server_port;
};

/*
 * Add the segments of connection number conn (1-based, in order of first
 * packet; a new SYN on an address pair starts a new one) of the capture
 * at path to l, whose lanes the caller made.  The client is the end that
 * sent the SYN (or, without a handshake, the first packet).  0, or -1
 * with err (libpcap's message, or "no connection N: the capture holds K").
 */
int ladder_read_capture(struct ladder *l, const char *path, size_t conn,
    struct ladder_capture_info *info, char *err, size_t errlen);

/* The same for the connection to server_port from client_port (0: from
 * any port; the first such connection). */
int ladder_read_capture_ports(struct ladder *l, const char *path, uint16_t server_port,
    uint16_t client_port, struct ladder_capture_info *info, char *err, size_t errlen);

#endif /* ladder_h */
