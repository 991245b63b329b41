/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conntrack.h - TCP connections as the packets show them: the public
 * header of the connection tracker (conntable.c: the table; stream.c,
 * zeek.c, teardown.c: what it tracks per connection, with private
 * headers of their own).
 *
 * conn_table_add() takes decoded segments in capture order and keeps, per
 * connection and per direction, what was put on the wire: handshake,
 * stream bytes (64-bit, across sequence wrap), what the peer
 * acknowledged, the first FIN and RST with their capture record numbers.
 * teardown_classify() then says how the connection ended, from packets
 * only.  Look-ups are hashed on the 4-tuple, so each segment costs O(1).
 *
 * Stream offsets: offset 0 is the first byte after the SYN (isn + 1).
 * For a side whose SYN was not captured, offset 0 is the first sequence
 * number seen for that side (its own segment, or the peer's ACK).
 */
#ifndef conntrack_h
#define conntrack_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

enum teardown_class {
	TEARDOWN_NONE,		/* no FIN, no RST */
	TEARDOWN_FIN,		/* FIN from both sides, no RST */
	TEARDOWN_HALF_FIN,	/* FIN from exactly one side, no RST */
	TEARDOWN_RST,		/* RST, and no FIN before the first RST */
	TEARDOWN_FIN_THEN_RST	/* a FIN, then (or with it) an RST */
};

enum rst_kind {
	RST_KIND_NONE,
	RST_KIND_WITH_ACK,	/* RST+ACK: an aborting close */
	RST_KIND_BARE		/* RST without ACK: a closed socket answering */
};

enum conn_side {
	SIDE_ORIG = 0,		/* the SYN sender (client) */
	SIDE_RESP = 1
};

/*
 * Zeek's TCP endpoint states (TCP_ENDPOINT_* in Zeek's
 * TCPSessionAdapter.cc), driven by the same transitions.
 */
enum tcp_endpoint_state {
	ENDPOINT_INACTIVE,
	ENDPOINT_SYN_SENT,
	ENDPOINT_SYN_ACK_SENT,
	ENDPOINT_PARTIAL,
	ENDPOINT_ESTABLISHED,
	ENDPOINT_CLOSED,
	ENDPOINT_RESET
};

/* Zeek's conn.log conn_state, computed as Zeek's conn_state() does. */
enum conn_state {
	CONN_STATE_S0,
	CONN_STATE_S1,
	CONN_STATE_SF,
	CONN_STATE_REJ,
	CONN_STATE_S2,
	CONN_STATE_S3,
	CONN_STATE_RSTO,
	CONN_STATE_RSTR,
	CONN_STATE_RSTOS0,
	CONN_STATE_RSTRH,
	CONN_STATE_SH,
	CONN_STATE_SHR,
	CONN_STATE_OTH,
	CONN_STATE_COUNT
};

/* Loss-risk flags, visible on the wire; a bit set in conn.flags. */
enum conn_flag {
	/* an RST left while its sender had data the peer had not acked */
	CONN_FLAG_RST_UNACKED = 1 << 0,
	/* an RST answered data that the peer sent after the RST sender's FIN */
	CONN_FLAG_RST_AFTER_FIN_DATA = 1 << 1,
	/* an RST left while the peer's last advertised window was 0 */
	CONN_FLAG_RST_ZERO_WINDOW = 1 << 2,
	/* a hole in a stream's sequence space that no segment filled */
	CONN_FLAG_HOLE = 1 << 3,
	/* the peer acknowledged stream bytes the capture never saw */
	CONN_FLAG_ACKED_UNSEEN = 1 << 4
};

enum {
	CONN_FLAG_COUNT = 5,
	/* Zeek's history letters kept per connection, plus a NUL */
	CONN_HISTORY_SIZE = 48
};

/* What the endpoint on one side SENT. */
struct conn_half {
	uint64_t packets;
	bool syn_seen;
	uint32_t isn;
	/*
	 * Stream bytes this side put on the wire: highest end (seq + len)
	 * of the data segments captured - (isn + 1), so SYN/FIN slots and
	 * bare ACKs never count; retransmissions count once.
	 */
	uint64_t payload_bytes;
	uint64_t payload_packets;	/* with payload, retransmissions too */
	/*
	 * Of this side's stream, how much the PEER acknowledged: highest
	 * ACK from the peer - (isn + 1), capped so that the FIN's sequence
	 * slot is not counted.  It may exceed payload_bytes when the capture
	 * missed data that the peer did receive.
	 */
	uint64_t acked_bytes;
	bool fin_seen;			/* the first FIN: */
	int64_t fin_ts_ns;		/* capture time */
	uint64_t fin_index;		/* record index, 1-based (Wireshark) */
	uint64_t fin_offset;		/* stream offset of the FIN */
	uint32_t fin_next_seq;		/* raw sequence number just past it */
	uint64_t rst_count;
	enum rst_kind first_rst_kind;
	int64_t first_rst_ts_ns;
	uint64_t first_rst_index;
	uint64_t first_rst_offset;	/* seq - isn - 1 of the first RST */
	bool zero_window_seen;		/* advertised window 0 (not RST/SYN) */

	/* Added for "closeprobe analyze"; the fields above are unchanged. */
	enum tcp_endpoint_state state;	/* Zeek's endpoint state */
	enum tcp_endpoint_state prev_state;
	uint64_t fin_count;		/* segments with FIN */
	uint64_t retransmissions;	/* data segments not past the highest */
	uint64_t zero_windows;		/* Zeek's count for the 'w' letter */
	uint64_t gaps;			/* Zeek's count for the 'g' letter */
	/*
	 * Zeek's missed_bytes for this side's stream: bytes the peer
	 * acknowledged that no captured segment held, counted as Zeek's
	 * content gaps are (only while both sides are established or
	 * closing cleanly; an ACK on an RST never counts).
	 */
	uint64_t missed_bytes;
	/*
	 * Set when the connection is finished (conn_table_flush(), or the
	 * streaming hand-off): Zeek's endpoint size (conn.log orig_bytes /
	 * resp_bytes, from sequence numbers), stream bytes in holes no
	 * segment filled (acknowledged or not), and stream bytes the peer
	 * acked that no captured segment held (in any state).
	 */
	uint64_t size;
	uint64_t hole_bytes;
	uint64_t acked_unseen_bytes;
	/* At this side's first RST that found data unacked: how much. */
	uint64_t unacked_at_rst;
	/*
	 * At this side's first RST: the peer's data this side had never
	 * acknowledged.  Above 0, the RST refused data (after both FINs it
	 * is not late: the peer sent more after this side closed).
	 */
	uint64_t peer_unacked_at_rst;
	/*
	 * This side's first RST carried an ACK below the peer's FIN, which
	 * the capture had already seen: it left before that FIN reached this
	 * side, crossing it, so it is this side's own abort, never late.
	 */
	bool rst_crossed_peer_fin;
};

struct conn {
	int family;
	uint8_t addr[2][16];		/* [SIDE_ORIG], [SIDE_RESP] */
	uint16_t port[2];
	bool syn_seen;			/* a SYN without ACK */
	bool synack_seen;
	int64_t first_ts_ns;		/* first packet of the connection */
	int64_t last_ts_ns;
	/*
	 * Zeek's last time, which its duration runs to: the last packet
	 * that came while at least one side had not closed (no FIN or RST
	 * from it yet).
	 */
	int64_t close_ts_ns;
	uint64_t first_index;		/* record index of its first packet */
	struct conn_half half[2];
	int first_fin_side;		/* SIDE_ORIG / SIDE_RESP, or -1 */
	int first_rst_side;		/* or -1 */
	bool ended;			/* RST seen, or FIN both ways */

	/* Added for "closeprobe analyze". */
	bool flipped;			/* first packet a SYN+ACK: Zeek's '^' */
	char history[CONN_HISTORY_SIZE];	/* Zeek's history, NUL-ended */
	bool history_truncated;		/* more letters than fitted */
	unsigned flags;			/* enum conn_flag bits */
	enum conn_state state;		/* set when finished */
};

struct conn_table;

/*
 * Streaming mode: connections are finished (flags, sizes and conn_state
 * set), handed to done and freed as they end.  One that is complete (both
 * FINs, both acknowledged, no RST) goes with the next segment added and
 * leaves a tomb, its 4-tuple only, for linger_ns of capture time after its
 * last packet: a late segment on it is counted (conn_table_late_packets())
 * and dropped, a SYN starts a new connection.  One that ended with an RST
 * (packets still in flight may follow it) goes once it has seen no packet
 * for linger_ns; one idle for idle_ns (0: never), one whose 4-tuple a new
 * SYN has taken over, and one Zeek's attempt timer ends (attempt_ns) go
 * at once.  done returns 0, or -1 with errno set to stop
 * conn_table_add().
 */
typedef int conn_done_fn(const struct conn *c, void *ctx);

struct conn_stream_params {
	int64_t linger_ns;
	int64_t idle_ns;
	/*
	 * Zeek's connection attempt timer (0: none): attempt_ns after the
	 * originator's first SYN, a connection whose responder has sent
	 * nothing while the originator is still in SYN_SENT is done, and
	 * the 4-tuple's next packet starts a new one.
	 */
	int64_t attempt_ns;
	conn_done_fn *done;
	void *ctx;
};

/* Zeek's tcp_close_delay, tcp_inactivity_timeout and tcp_attempt_delay. */
#define CONN_DEFAULT_LINGER_NS	INT64_C(5000000000)
#define CONN_DEFAULT_IDLE_NS	INT64_C(300000000000)
#define CONN_DEFAULT_ATTEMPT_NS	INT64_C(5000000000)

/* Keep every connection until conn_table_free().  NULL on ENOMEM. */
struct conn_table *conn_table_new(void);
/* Streaming mode (above).  NULL on ENOMEM or EINVAL (no callback). */
struct conn_table *conn_table_new_streaming(
    const struct conn_stream_params *params);
void conn_table_free(struct conn_table *table);

/*
 * Finish every connection still held (flags, sizes, state).  In streaming
 * mode, also hand each to the callback in order of first packet and free
 * it.  0 ok, -1 if the callback failed (errno from it).
 */
int conn_table_flush(struct conn_table *table);

/*
 * Add one decoded segment; index is the capture record number
 * (1-based), increasing from call to call.  0 ok, -1 ENOMEM (or EINVAL
 * for NULL arguments); on -1 the table is unchanged.
 *
 * Orientation: a SYN without ACK makes its sender the originator, a
 * SYN+ACK makes its sender the responder, otherwise the first packet's
 * sender is the originator.  A SYN without ACK on a 4-tuple whose
 * connection has ended, carries a different ISN than that side's
 * earlier SYN, or follows traffic first seen mid-stream, starts a new
 * connection (port reuse).  Segments after the end (late ACKs, the RST
 * answering them) still belong to the ended connection.
 */
int conn_table_add(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index);

/*
 * conn_table_add() without its fast path: every segment takes the general
 * path.  The result is the same by contract; only the differential test
 * (check_fastpath, fuzz_fastpath) has a use for it.
 */
int conn_table_add_general(struct conn_table *table,
    const struct tcp_segment *seg, uint64_t index);

/*
 * Streaming mode: segments that came after their connection was handed
 * on (while its tomb lasted, linger_ns) and so are in no row.
 */
uint64_t conn_table_late_packets(const struct conn_table *table);

/* Connections held: all of them, or (streaming) those not yet handed on. */
size_t conn_table_count(const struct conn_table *table);

/*
 * In order of first packet (streaming mode: in no particular order);
 * NULL if i is out of range.
 */
const struct conn *conn_table_get(const struct conn_table *table, size_t i);

/*
 * The connection whose ports are {a, b} (either order, any addresses);
 * the last one if several (port reuse).  NULL if none, and always NULL
 * in streaming mode.
 */
const struct conn *conn_table_find_ports(const struct conn_table *table,
    uint16_t port_a, uint16_t port_b);

/*
 * From packets only.  "Before" compares record indexes, so a FIN and an
 * RST in one segment give TEARDOWN_FIN_THEN_RST.
 */
enum teardown_class teardown_classify(const struct conn *c);

/* The RSTs came only after both sides' FINs: they end nothing (see teardown.c). */
bool conn_rst_is_late(const struct conn *c);

/*
 * Zeek's conn_state() on the endpoint states and history, exactly as in
 * Zeek's base/protocols/conn/main.zeek.
 */
enum conn_state conn_state_classify(const struct conn *c);

/* "S0", "S1", "SF", ...; "unknown" outside the enum. */
const char *conn_state_name(enum conn_state s);
/* "SF" -> CONN_STATE_SF; -1 if no such state. */
int conn_state_from_name(const char *name);
/* "rst-unacked", ...; "unknown" for anything but a single flag bit. */
const char *conn_flag_name(enum conn_flag f);
/* The bit of a flag name, or 0. */
unsigned conn_flag_from_name(const char *name);

/* "none", "fin", "half-fin", "rst", "fin-then-rst" */
const char *teardown_class_name(enum teardown_class c);
/* "none", "RST+ACK", "bare RST" */
const char *conn_rst_kind_name(enum rst_kind k);
/* "originator", "responder" */
const char *conn_side_name(enum conn_side side);

/* The peer of side. */
static inline enum conn_side
conn_side_other(enum conn_side side)
{
	return side == SIDE_ORIG ? SIDE_RESP : SIDE_ORIG;
}

#endif /* conntrack_h */
