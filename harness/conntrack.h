/*
 * conntrack.h - TCP connections as the packets show them.
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
	uint64_t rst_count;
	enum rst_kind first_rst_kind;
	int64_t first_rst_ts_ns;
	uint64_t first_rst_index;
	uint64_t first_rst_offset;	/* seq - isn - 1 of the first RST */
	bool zero_window_seen;		/* advertised window 0 (not RST/SYN) */
};

struct conn {
	int family;
	uint8_t addr[2][16];		/* [SIDE_ORIG], [SIDE_RESP] */
	uint16_t port[2];
	bool syn_seen;			/* a SYN without ACK */
	bool synack_seen;
	int64_t first_ts_ns;		/* first packet of the connection */
	int64_t last_ts_ns;
	uint64_t first_index;		/* record index of its first packet */
	struct conn_half half[2];
	int first_fin_side;		/* SIDE_ORIG / SIDE_RESP, or -1 */
	int first_rst_side;		/* or -1 */
	bool ended;			/* RST seen, or FIN both ways */
};

struct conn_table;

/* NULL on ENOMEM. */
struct conn_table *conn_table_new(void);
void conn_table_free(struct conn_table *table);

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

size_t conn_table_count(const struct conn_table *table);

/* In order of first packet; NULL if i is out of range. */
const struct conn *conn_table_get(const struct conn_table *table, size_t i);

/*
 * The connection whose ports are {a, b} (either order, any addresses);
 * the last one if several (port reuse).  NULL if none.
 */
const struct conn *conn_table_find_ports(const struct conn_table *table,
    uint16_t port_a, uint16_t port_b);

/*
 * From packets only.  "Before" compares record indexes, so a FIN and an
 * RST in one segment give TEARDOWN_FIN_THEN_RST.
 */
enum teardown_class teardown_classify(const struct conn *c);

/* "none", "fin", "half-fin", "rst", "fin-then-rst" */
const char *teardown_class_name(enum teardown_class c);
/* "none", "RST+ACK", "bare RST" */
const char *rst_kind_name(enum rst_kind k);
/* "originator", "responder" */
const char *conn_side_name(enum conn_side side);

#endif /* conntrack_h */
