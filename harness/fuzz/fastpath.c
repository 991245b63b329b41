/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastpath.c - the differential run of the tracker's two paths (see
 * fastpath.h).
 */
#include "fastpath.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conntrack.h"
#include "decode.h"

enum {
	CLIENT_PORT = 40000,
	SERVER_PORT = 80,
	SELF_TUPLE = FASTPATH_TUPLES - 1,	/* both ends one socket */
	SEQ_STEP = 16,
	PATH_COUNT = 2
};

/* Which entry point a table is fed through. */
enum path {
	PATH_FAST,		/* conn_table_add() */
	PATH_GENERAL		/* conn_table_add_general() */
};

static const int64_t t0_ns = INT64_C(1700000000000000000);
static const int64_t ns_per_ms = 1000000;

/* One 4-tuple of the world and the next sequence number of each side. */
struct tuple {
	bool used;
	int family;
	uint8_t addr[2][16];	/* [0] client, [1] server */
	uint16_t port[2];
	uint32_t next_seq[2];
};

/* What the streaming table handed on, in order. */
struct finished {
	struct conn *conns;
	size_t count, capacity;
	bool failed;		/* out of memory */
};

struct lane {
	struct conn_table *table[PATH_COUNT];
	struct finished done[PATH_COUNT];
	size_t done_checked;	/* finished connections compared */
};

static int
collect(const struct conn *c, void *arg)
{
	struct finished *f = arg;
	struct conn *grown;
	size_t capacity;

	if (f->count == f->capacity) {
		capacity = f->capacity > 0 ? f->capacity * 2 : 16;
		grown = realloc(f->conns, capacity * sizeof(*grown));
		if (grown == NULL) {
			f->failed = true;
			errno = ENOMEM;
			return -1;
		}
		f->conns = grown;
		f->capacity = capacity;
	}
	f->conns[f->count++] = *c;
	return 0;
}

static void
tuple_init(struct tuple *t, int index, bool ipv6)
{
	int end;

	memset(t, 0, sizeof(*t));
	t->used = true;
	t->family = ipv6 ? AF_INET6 : AF_INET;
	for (end = 0; end < 2; end++) {
		if (ipv6) {
			t->addr[end][0] = 0xfd;
			t->addr[end][15] = (uint8_t)(1 + end);
		} else {
			t->addr[end][0] = 10;
			t->addr[end][3] = (uint8_t)(1 + end);
		}
	}
	t->port[0] = (uint16_t)(CLIENT_PORT + index);
	t->port[1] = SERVER_PORT;
	if (index == SELF_TUPLE) {
		memcpy(t->addr[1], t->addr[0], sizeof(t->addr[0]));
		t->port[1] = t->port[0];
	}
	/* The client's stream wraps after a few kilobytes. */
	t->next_seq[0] = UINT32_C(0xfffff000) + (uint32_t)index * 512;
	t->next_seq[1] = 1000 + (uint32_t)index * 7919;
}

/* The segment record r describes; updates the world's sequence numbers. */
static void
segment_from_record(const uint8_t *r, struct tuple *world, int64_t *ts_ns,
    struct tcp_segment *seg)
{
	int index = r[0] & 0x7, from = (r[0] >> 3) & 1, to = !from;
	enum fastpath_seq_mode mode = (enum fastpath_seq_mode)((r[0] >> 4) & 3);
	struct tuple *t = &world[index];
	uint32_t seq, end, distance = (uint32_t)r[3] * SEQ_STEP;

	if (!t->used)
		tuple_init(t, index, (r[7] & 1) != 0);
	memset(seg, 0, sizeof(*seg));
	*ts_ns += (int64_t)r[4] * ns_per_ms;
	seg->ts_ns = *ts_ns;
	seg->family = t->family;
	memcpy(seg->src_addr, t->addr[from], sizeof(seg->src_addr));
	memcpy(seg->dst_addr, t->addr[to], sizeof(seg->dst_addr));
	seg->src_port = t->port[from];
	seg->dst_port = t->port[to];
	seg->flags = r[1];
	seg->payload_len = r[2];
	seg->window = (r[0] & 0x80) ? 0 : 512;

	seq = t->next_seq[from];
	if (mode == FASTPATH_SEQ_AHEAD)
		seq += distance;
	else if (mode == FASTPATH_SEQ_BEHIND)
		seq -= distance;
	else if (mode == FASTPATH_SEQ_WRAP)
		seq = UINT32_MAX - distance;
	/* A SYN with a new ISN: the 4-tuple taken over by a new connection. */
	if ((seg->flags & TCP_FLAG_SYN) && r[5] != 0)
		seq = (uint32_t)r[5] << 24 | (uint32_t)index << 8;
	seg->seq = seq;
	seg->ack = t->next_seq[to] - ((r[0] & 0x40) ? (uint32_t)(int8_t)r[6] : 0);

	end = seq + seg->payload_len + ((seg->flags & TCP_FLAG_SYN) ? 1 : 0) +
	    ((seg->flags & TCP_FLAG_FIN) ? 1 : 0);
	if ((int32_t)(end - t->next_seq[from]) > 0 ||
	    ((seg->flags & TCP_FLAG_SYN) && r[5] != 0))
		t->next_seq[from] = end;
}

static bool
is_candidate(const struct tcp_segment *seg, const uint8_t *r)
{
	return (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST |
	    TCP_FLAG_ACK)) == TCP_FLAG_ACK &&
	    ((r[0] >> 4) & 3) == FASTPATH_SEQ_NEXT;
}

#define HALF_FIELDS(X) \
	X(packets) X(syn_seen) X(isn) X(payload_bytes) X(payload_packets) \
	X(acked_bytes) X(fin_seen) X(fin_ts_ns) X(fin_index) X(fin_offset) \
	X(rst_count) X(first_rst_kind) X(first_rst_ts_ns) \
	X(first_rst_index) X(first_rst_offset) X(zero_window_seen) X(state) \
	X(prev_state) X(fin_count) X(retransmissions) X(zero_windows) \
	X(gaps) X(size) X(hole_bytes) X(missed_bytes) X(acked_unseen_bytes) \
	X(unacked_at_rst) X(peer_unacked_at_rst)

#define CONN_FIELDS(X) \
	X(family) X(port[0]) X(port[1]) X(syn_seen) X(synack_seen) \
	X(first_ts_ns) X(last_ts_ns) X(close_ts_ns) X(first_index) \
	X(first_fin_side) \
	X(first_rst_side) X(ended) X(flipped) X(history_truncated) X(flags) \
	X(state)

/* Which field of a and b differs, into why; false if none. */
static bool
conn_differs(const struct conn *a, const struct conn *b, char *why,
    size_t size)
{
	int side;

#define CONN_SAME(field)						\
	if (a->field != b->field) {					\
		snprintf(why, size, "%s: fast %" PRId64 ", general %"	\
		    PRId64, #field, (int64_t)a->field, (int64_t)b->field); \
		return true;						\
	}
#define HALF_SAME(field)						\
	if (a->half[side].field != b->half[side].field) {		\
		snprintf(why, size, "half[%s].%s: fast %" PRIu64	\
		    ", general %" PRIu64, conn_side_name(		\
		    (enum conn_side)side), #field,			\
		    (uint64_t)a->half[side].field,			\
		    (uint64_t)b->half[side].field);			\
		return true;						\
	}
	CONN_FIELDS(CONN_SAME)
	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		HALF_FIELDS(HALF_SAME)
	}
#undef CONN_SAME
#undef HALF_SAME
	if (memcmp(a->addr, b->addr, sizeof(a->addr)) != 0) {
		snprintf(why, size, "addr");
		return true;
	}
	if (memcmp(a->history, b->history, sizeof(a->history)) != 0) {
		snprintf(why, size, "history: fast '%.*s', general '%.*s'",
		    (int)sizeof(a->history), a->history,
		    (int)sizeof(b->history), b->history);
		return true;
	}
	return false;
}

/* Is c on seg's ports (seg NULL: any connection is)? */
static bool
on_ports(const struct conn *c, const struct tcp_segment *seg)
{
	if (seg == NULL)
		return true;
	return (c->port[0] == seg->src_port && c->port[1] == seg->dst_port) ||
	    (c->port[0] == seg->dst_port && c->port[1] == seg->src_port);
}

/*
 * After seg: the connections held and those handed on since the last
 * call, both paths alike?  Of those held, only the ones on seg's ports,
 * which seg touched (comparing all of them each time would make a run
 * quadratic); seg NULL: every connection held.
 */
static bool
lane_differs(struct lane *l, const struct tcp_segment *seg, char *why,
    size_t size)
{
	const struct conn_table *ta = l->table[PATH_FAST];
	const struct conn_table *tb = l->table[PATH_GENERAL];
	const struct finished *fa = &l->done[PATH_FAST];
	const struct finished *fb = &l->done[PATH_GENERAL];
	const struct conn *ca, *cb;
	char field[192];
	size_t count, i;

	count = conn_table_count(ta);
	if (count != conn_table_count(tb)) {
		snprintf(why, size, "connections held: fast %zu, general %zu",
		    count, conn_table_count(tb));
		return true;
	}
	ca = seg != NULL ? conn_table_find_ports(ta, seg->src_port,
	    seg->dst_port) : NULL;
	if (ca != NULL) {
		cb = conn_table_find_ports(tb, seg->src_port, seg->dst_port);
		if (cb == NULL || conn_differs(ca, cb, field, sizeof(field))) {
			snprintf(why, size, "connection on ports %u/%u: %s",
			    (unsigned)seg->src_port, (unsigned)seg->dst_port,
			    cb == NULL ? "missing" : field);
			return true;
		}
	} else {
		for (i = 0; i < count; i++)
			if (on_ports(conn_table_get(ta, i), seg) &&
			    conn_differs(conn_table_get(ta, i),
			    conn_table_get(tb, i), field, sizeof(field))) {
				snprintf(why, size, "connection %zu held: %s", i,
				    field);
				return true;
			}
	}
	if (fa->count != fb->count) {
		snprintf(why, size, "connections finished: fast %zu, general %zu",
		    fa->count, fb->count);
		return true;
	}
	for (i = l->done_checked; i < fa->count; i++)
		if (conn_differs(&fa->conns[i], &fb->conns[i], field,
		    sizeof(field))) {
			snprintf(why, size, "connection %zu finished: %s", i,
			    field);
			return true;
		}
	l->done_checked = fa->count;
	return false;
}

/*
 * Finishing costs one step per connection: the more there are, the
 * rarer, so that a run stays linear in its records.
 */
static bool
finish_due(const struct lane *l, uint64_t index)
{
	size_t every = FASTPATH_FINISH_EVERY *
	    (1 + conn_table_count(l->table[PATH_FAST]) / 2);

	return index % every == 0;
}

/* Keep-all mode: finish every connection, compare them all. */
static bool
finish_differs(struct lane *l, char *why, size_t size)
{
	int rc_fast = conn_table_flush(l->table[PATH_FAST]);
	int rc_general = conn_table_flush(l->table[PATH_GENERAL]);

	if (rc_fast != rc_general) {
		snprintf(why, size, "flush: fast %d, general %d", rc_fast,
		    rc_general);
		return true;
	}
	return lane_differs(l, NULL, why, size);
}

static void
lane_free(struct lane *l)
{
	int p;

	for (p = 0; p < PATH_COUNT; p++) {
		conn_table_free(l->table[p]);
		free(l->done[p].conns);
	}
}

static int
lane_init(struct lane *l, bool streaming)
{
	struct conn_stream_params params;
	int p;

	memset(l, 0, sizeof(*l));
	for (p = 0; p < PATH_COUNT; p++) {
		if (streaming) {
			memset(&params, 0, sizeof(params));
			params.linger_ns = FASTPATH_LINGER_MS * ns_per_ms;
			params.idle_ns = FASTPATH_IDLE_MS * ns_per_ms;
			params.done = collect;
			params.ctx = &l->done[p];
			l->table[p] = conn_table_new_streaming(&params);
		} else
			l->table[p] = conn_table_new();
		if (l->table[p] == NULL) {
			lane_free(l);
			errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}

/* One mode: every record into both tables, compared as they go. */
static int
run_mode(const uint8_t *data, size_t size, bool streaming,
    struct fastpath_result *result)
{
	struct tuple world[FASTPATH_TUPLES];
	struct tcp_segment seg;
	struct lane lane;
	int64_t ts_ns = t0_ns;
	uint64_t index = 0;
	const char *mode = streaming ? "streaming" : "keep-all";
	char why[384];
	int rc_fast, rc_general;
	size_t off;

	if (lane_init(&lane, streaming) == -1)
		return -1;
	memset(world, 0, sizeof(world));
	if (size > (size_t)FASTPATH_MAX_RECORDS * FASTPATH_RECORD_SIZE)
		size = (size_t)FASTPATH_MAX_RECORDS * FASTPATH_RECORD_SIZE;
	for (off = 0; off + FASTPATH_RECORD_SIZE <= size && !result->differ;
	    off += FASTPATH_RECORD_SIZE) {
		segment_from_record(data + off, world, &ts_ns, &seg);
		index++;
		if (!streaming) {
			result->segments++;
			if (is_candidate(&seg, data + off))
				result->candidates++;
		}
		rc_fast = conn_table_add(lane.table[PATH_FAST], &seg, index);
		rc_general = conn_table_add_general(lane.table[PATH_GENERAL],
		    &seg, index);
		if (lane.done[PATH_FAST].failed ||
		    lane.done[PATH_GENERAL].failed) {
			lane_free(&lane);
			errno = ENOMEM;
			return -1;
		}
		if (rc_fast != rc_general) {
			result->differ = true;
			snprintf(result->why, sizeof(result->why), "%s, record "
			    "%" PRIu64 ": conn_table_add() %d, general %d", mode,
			    index, rc_fast, rc_general);
		} else if (lane_differs(&lane, &seg, why, sizeof(why)) ||
		    (!streaming && finish_due(&lane, index) &&
		    finish_differs(&lane, why, sizeof(why)))) {
			result->differ = true;
			snprintf(result->why, sizeof(result->why),
			    "%s, record %" PRIu64 ": %s", mode, index, why);
		}
	}
	if (!result->differ && finish_differs(&lane, why, sizeof(why))) {
		result->differ = true;
		snprintf(result->why, sizeof(result->why), "%s, finished: %s",
		    mode, why);
	}
	if (streaming)
		result->connections += lane.done[PATH_FAST].count;
	lane_free(&lane);
	return 0;
}

int
fastpath_run(const uint8_t *data, size_t size,
    struct fastpath_result *result)
{
	memset(result, 0, sizeof(*result));
	if (run_mode(data, size, false, result) == -1)
		return -1;
	if (!result->differ && run_mode(data, size, true, result) == -1)
		return -1;
	return 0;
}
