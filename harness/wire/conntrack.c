/*
 * conntrack.c - connection table and teardown classification.
 *
 * Every connection lives in an entry that is reachable three ways: the
 * entries array (order of first packet), a hash index on the 4-tuple
 * that holds only the newest connection of each 4-tuple, and a hash
 * index on the unordered port pair that holds the newest connection of
 * each pair.  Both indexes are chained through the entries themselves.
 *
 * Sequence numbers are turned into 64-bit stream offsets by unwrapping
 * each 32-bit value against the highest offset seen so far on that
 * stream; TCP windows are far below 2^31, so the nearest reading is the
 * right one.
 *
 * Beside what the run's verdict needs, each segment also drives Zeek's
 * endpoint state machine and history letters (TCPSessionAdapter.cc,
 * minus timers, weirds and checksums), the holes in each stream's
 * sequence space, and the loss-risk flags.
 *
 * In streaming mode the entries array holds only live connections (in
 * no order; each entry knows its slot), the port index is not kept, and
 * two lists ordered by last activity, one of open and one of ended
 * connections, let the oldest be expired in O(1) per segment.
 *
 * Nearly every segment of a bulk transfer is an in-order data segment or
 * a bare ACK on the connection of the segment before: add_established()
 * does for those only the steps that can change something, and the
 * general path (add_general()) takes everything else.
 */
#include "conntrack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum index_kind {
	INDEX_TUPLE,		/* family, both addresses and ports */
	INDEX_PORTS,		/* the unordered port pair only */
	INDEX_COUNT
};

enum table_size {
	INITIAL_BUCKETS = 256,	/* a power of two */
	INITIAL_ENTRIES = 64,
	INITIAL_HOLES = 4,
	MAX_HOLES = 64		/* per stream; the lowest is then given up */
};

/* Activity lists of streaming mode. */
enum activity_list {
	LIST_OPEN,
	LIST_ENDED,
	LIST_COUNT,
	LIST_NONE = LIST_COUNT
};

/* Zeek's history mask bits (TCP_Endpoint.h), responder's << 16. */
enum history_bit {
	HIST_SYN_PKT = 0x1,
	HIST_FIN_PKT = 0x2,
	HIST_RST_PKT = 0x4,
	HIST_FIN_RST_PKT = 0x8,
	HIST_DATA_PKT = 0x10,
	HIST_ACK_PKT = 0x20,
	HIST_MULTI_FLAG_PKT = 0x40,
	HIST_RESP_SHIFT = 16
};

/* Zeek's TOO_LARGE_SEQ_DELTA and its scaled-letter base. */
static const int64_t too_large_seq_delta = 1048576;
static const uint64_t history_scale_base = 10;

/* A range of stream offsets [start, end) that no captured segment held. */
struct hole {
	int64_t start, end;
};

/* Sequence-space state of one direction's byte stream. */
struct stream_state {
	bool have_base;
	uint32_t base_seq;	/* the sequence number of stream offset 0 */
	int64_t ref_offset;	/* highest offset seen: unwrapping reference */
	int64_t highest_end;	/* end of the highest data seen */
	int64_t highest_ack;	/* highest offset the peer acknowledged */

	/* Zeek's view of this endpoint, in stream offsets. */
	int64_t zeek_start;	/* start_seq: the SYN's, or one before */
	int64_t zeek_last;	/* last_seq: one past the highest segment */
	int64_t zeek_ack;	/* ack_seq: highest ack, not from RSTs */
	int64_t hist_last_syn, hist_last_fin, hist_last_rst;
	uint64_t rxmit_threshold, win0_threshold, gap_threshold;
	int64_t gap_reported_to;	/* acks up to here were checked */

	/* Holes below highest_end, ascending, disjoint. */
	struct hole *holes;
	size_t nholes, holes_capacity;
	uint64_t retired_hole_bytes;	/* holes given up when full */
	int64_t retired_hole_end;

	uint16_t last_window;	/* last advertised, not SYN or RST */
	bool window_seen;
	bool data_after_peer_fin;	/* sent data after the peer's FIN */
};

struct conn_entry {
	struct conn conn;	/* first, so &entry->conn is what callers see */
	struct stream_state stream[2];
	struct conn_entry *next[INDEX_COUNT];
	uint64_t hash[INDEX_COUNT];
	bool indexed[INDEX_COUNT];	/* in that hash index's chains */
	uint32_t history_seen;		/* enum history_bit */
	size_t history_len;
	/* Streaming mode only. */
	size_t slot;			/* in table->entries */
	enum activity_list list;
	struct conn_entry *older, *newer;
};

struct activity {
	struct conn_entry *oldest, *newest;
};

struct hash_index {
	struct conn_entry **buckets;
	size_t nbuckets;	/* a power of two */
	size_t count;
};

struct conn_table {
	struct conn_entry **entries;
	size_t count;
	size_t capacity;
	struct hash_index index[INDEX_COUNT];
	struct conn_entry *last;	/* looked up last: bulk transfers */

	bool streaming;
	struct conn_stream_params params;
	struct activity activity[LIST_COUNT];
	int64_t now_ns;			/* latest capture time seen */
	bool have_now;
};

/* A segment's key, normalised so both directions look the same. */
struct tuple_key {
	int family;
	size_t addr_len;
	const uint8_t *addr[2];	/* [0] is the lower endpoint */
	uint16_t port[2];
};

static size_t
address_length(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void
tuple_key_from_segment(const struct tcp_segment *seg, struct tuple_key *key)
{
	int order;

	key->family = seg->family;
	key->addr_len = address_length(seg->family);
	order = memcmp(seg->src_addr, seg->dst_addr, key->addr_len);
	if (order < 0 || (order == 0 && seg->src_port <= seg->dst_port)) {
		key->addr[0] = seg->src_addr;
		key->port[0] = seg->src_port;
		key->addr[1] = seg->dst_addr;
		key->port[1] = seg->dst_port;
	} else {
		key->addr[0] = seg->dst_addr;
		key->port[0] = seg->dst_port;
		key->addr[1] = seg->src_addr;
		key->port[1] = seg->src_port;
	}
}

/* FNV-1a: quick, and captures are not adversarial. */
static uint64_t
hash_bytes(uint64_t hash, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= p[i];
		hash *= UINT64_C(0x100000001b3);
	}
	return hash;
}

static const uint64_t hash_seed = UINT64_C(0xcbf29ce484222325);

static uint64_t
tuple_hash(const struct tuple_key *key)
{
	uint64_t hash = hash_seed;
	uint8_t family = (uint8_t)key->family;
	int i;

	hash = hash_bytes(hash, &family, sizeof(family));
	for (i = 0; i < 2; i++) {
		hash = hash_bytes(hash, key->addr[i], key->addr_len);
		hash = hash_bytes(hash, &key->port[i], sizeof(key->port[i]));
	}
	return hash;
}

static uint64_t
ports_hash(uint16_t port_a, uint16_t port_b)
{
	uint16_t ports[2];

	ports[0] = port_a < port_b ? port_a : port_b;
	ports[1] = port_a < port_b ? port_b : port_a;
	return hash_bytes(hash_seed, ports, sizeof(ports));
}

static bool
endpoint_equal(const struct conn *c, int side, const uint8_t *addr,
    uint16_t port)
{
	if (c->port[side] != port)
		return false;
	/* Constant lengths: the compiler compares in place. */
	return c->family == AF_INET ? memcmp(c->addr[side], addr, 4) == 0 :
	    memcmp(c->addr[side], addr, 16) == 0;
}

static bool
conn_matches_segment(const struct conn *c, const struct tcp_segment *seg)
{
	if (c->family != seg->family)
		return false;
	return (endpoint_equal(c, SIDE_ORIG, seg->src_addr, seg->src_port) &&
	    endpoint_equal(c, SIDE_RESP, seg->dst_addr, seg->dst_port)) ||
	    (endpoint_equal(c, SIDE_RESP, seg->src_addr, seg->src_port) &&
	    endpoint_equal(c, SIDE_ORIG, seg->dst_addr, seg->dst_port));
}

/*
 * The side of c that sent seg (as conn_side_of() says it), or -1 if seg
 * is not on c's 4-tuple: conn_matches_segment() and conn_side_of() in one.
 */
static int
conn_match_side(const struct conn *c, const struct tcp_segment *seg)
{
	if (c->family != seg->family)
		return -1;
	if (endpoint_equal(c, SIDE_ORIG, seg->src_addr, seg->src_port))
		return endpoint_equal(c, SIDE_RESP, seg->dst_addr,
		    seg->dst_port) ? SIDE_ORIG : -1;
	return endpoint_equal(c, SIDE_RESP, seg->src_addr, seg->src_port) &&
	    endpoint_equal(c, SIDE_ORIG, seg->dst_addr, seg->dst_port) ?
	    SIDE_RESP : -1;
}

static bool
conn_has_ports(const struct conn *c, uint16_t port_a, uint16_t port_b)
{
	return (c->port[0] == port_a && c->port[1] == port_b) ||
	    (c->port[0] == port_b && c->port[1] == port_a);
}

static int
hash_index_init(struct hash_index *index)
{
	index->buckets = calloc(INITIAL_BUCKETS, sizeof(*index->buckets));
	if (index->buckets == NULL)
		return -1;
	index->nbuckets = INITIAL_BUCKETS;
	index->count = 0;
	return 0;
}

/* Rehash into twice the buckets; on ENOMEM keep the longer chains. */
static void
hash_index_grow(struct hash_index *index, enum index_kind kind)
{
	struct conn_entry **buckets, *e, *next;
	size_t nbuckets, i, slot;

	nbuckets = index->nbuckets * 2;
	if (nbuckets < index->nbuckets)
		return;
	buckets = calloc(nbuckets, sizeof(*buckets));
	if (buckets == NULL)
		return;
	for (i = 0; i < index->nbuckets; i++) {
		for (e = index->buckets[i]; e != NULL; e = next) {
			next = e->next[kind];
			slot = (size_t)(e->hash[kind] & (nbuckets - 1));
			e->next[kind] = buckets[slot];
			buckets[slot] = e;
		}
	}
	free(index->buckets);
	index->buckets = buckets;
	index->nbuckets = nbuckets;
}

/*
 * Put e into the index; old, if not NULL, is the entry with the same key
 * and gives up its place (it stays in the entries array).
 */
static void
hash_index_put(struct hash_index *index, enum index_kind kind,
    struct conn_entry *e, struct conn_entry *old)
{
	struct conn_entry **link;
	size_t slot;

	slot = (size_t)(e->hash[kind] & (index->nbuckets - 1));
	e->indexed[kind] = true;
	if (old != NULL) {
		for (link = &index->buckets[slot]; *link != NULL;
		    link = &(*link)->next[kind]) {
			if (*link == old) {
				e->next[kind] = old->next[kind];
				old->next[kind] = NULL;
				old->indexed[kind] = false;
				*link = e;
				return;
			}
		}
	}
	e->next[kind] = index->buckets[slot];
	index->buckets[slot] = e;
	index->count++;
	if (index->count > index->nbuckets - index->nbuckets / 4)
		hash_index_grow(index, kind);
}

/* Take e out of the index, if it is there. */
static void
hash_index_remove(struct hash_index *index, enum index_kind kind,
    struct conn_entry *e)
{
	struct conn_entry **link;
	size_t slot;

	if (!e->indexed[kind])
		return;
	slot = (size_t)(e->hash[kind] & (index->nbuckets - 1));
	for (link = &index->buckets[slot]; *link != NULL;
	    link = &(*link)->next[kind]) {
		if (*link == e) {
			*link = e->next[kind];
			e->next[kind] = NULL;
			e->indexed[kind] = false;
			index->count--;
			return;
		}
	}
}

static struct conn_entry *
find_tuple(const struct conn_table *table, const struct tcp_segment *seg,
    uint64_t hash)
{
	const struct hash_index *index = &table->index[INDEX_TUPLE];
	struct conn_entry *e;

	e = index->buckets[hash & (index->nbuckets - 1)];
	for (; e != NULL; e = e->next[INDEX_TUPLE])
		if (e->hash[INDEX_TUPLE] == hash &&
		    conn_matches_segment(&e->conn, seg))
			return e;
	return NULL;
}

static struct conn_entry *
find_ports(const struct conn_table *table, uint16_t port_a, uint16_t port_b)
{
	const struct hash_index *index = &table->index[INDEX_PORTS];
	struct conn_entry *e;
	uint64_t hash;

	hash = ports_hash(port_a, port_b);
	e = index->buckets[hash & (index->nbuckets - 1)];
	for (; e != NULL; e = e->next[INDEX_PORTS])
		if (e->hash[INDEX_PORTS] == hash &&
		    conn_has_ports(&e->conn, port_a, port_b))
			return e;
	return NULL;
}

struct conn_table *
conn_table_new(void)
{
	struct conn_table *table;
	int i;

	table = calloc(1, sizeof(*table));
	if (table == NULL)
		return NULL;
	table->entries = calloc(INITIAL_ENTRIES, sizeof(*table->entries));
	if (table->entries == NULL)
		goto fail;
	table->capacity = INITIAL_ENTRIES;
	for (i = 0; i < INDEX_COUNT; i++)
		if (hash_index_init(&table->index[i]) == -1)
			goto fail;
	return table;
fail:
	conn_table_free(table);
	errno = ENOMEM;
	return NULL;
}

struct conn_table *
conn_table_new_streaming(const struct conn_stream_params *params)
{
	struct conn_table *table;

	if (params == NULL || params->done == NULL || params->linger_ns < 0 ||
	    params->idle_ns < 0) {
		errno = EINVAL;
		return NULL;
	}
	table = conn_table_new();
	if (table == NULL)
		return NULL;
	table->streaming = true;
	table->params = *params;
	return table;
}

static void
conn_entry_free(struct conn_entry *e)
{
	if (e == NULL)
		return;
	free(e->stream[SIDE_ORIG].holes);
	free(e->stream[SIDE_RESP].holes);
	free(e);
}

void
conn_table_free(struct conn_table *table)
{
	size_t i;
	int k;

	if (table == NULL)
		return;
	for (i = 0; i < table->count; i++)
		conn_entry_free(table->entries[i]);
	free(table->entries);
	for (k = 0; k < INDEX_COUNT; k++)
		free(table->index[k].buckets);
	free(table);
}

/* a - b as a signed distance in 32-bit sequence space. */
static int64_t
seq_distance(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	return d < UINT32_C(0x80000000) ? (int64_t)d :
	    (int64_t)d - INT64_C(0x100000000);
}

static void
stream_set_base(struct stream_state *st, uint32_t base_seq)
{
	st->have_base = true;
	st->base_seq = base_seq;
}

/* The 64-bit stream offset of a 32-bit sequence number. */
static int64_t
stream_offset(const struct stream_state *st, uint32_t seq)
{
	uint32_t ref_seq = st->base_seq + (uint32_t)st->ref_offset;

	return st->ref_offset + seq_distance(seq, ref_seq);
}

static void
stream_note_offset(struct stream_state *st, int64_t offset)
{
	if (offset > st->ref_offset)
		st->ref_offset = offset;
}

static uint64_t
offset_to_u64(int64_t offset)
{
	return offset > 0 ? (uint64_t)offset : 0;
}

/* acked_bytes never counts the FIN's slot, even if the ACK covers it. */
static void
half_update_acked(struct conn_half *h, const struct stream_state *st)
{
	uint64_t acked = offset_to_u64(st->highest_ack);

	if (h->fin_seen && acked > h->fin_offset)
		acked = h->fin_offset;
	h->acked_bytes = acked;
}

static enum conn_side
conn_side_of(const struct conn *c, const struct tcp_segment *seg)
{
	/* A self-connected socket (both ends equal) counts as SIDE_ORIG. */
	return endpoint_equal(c, SIDE_ORIG, seg->src_addr, seg->src_port) ?
	    SIDE_ORIG : SIDE_RESP;
}

static bool
segment_is_bare_syn(const struct tcp_segment *seg)
{
	return (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN;
}

/* Does seg, which matches e's 4-tuple, open a new connection? */
static bool
segment_starts_new_conn(const struct conn_entry *e,
    const struct tcp_segment *seg)
{
	const struct conn *c = &e->conn;
	const struct conn_half *h;

	if (!segment_is_bare_syn(seg))
		return false;
	if (c->ended)
		return true;
	h = &c->half[conn_side_of(c, seg)];
	if (h->syn_seen)
		return h->isn != seg->seq;	/* same ISN: a retransmission */
	/*
	 * A first SYN from this side: part of a simultaneous open if the
	 * connection had a handshake, else the connection seen mid-stream
	 * left the capture without a FIN or RST.
	 */
	return !c->syn_seen && !c->synack_seen;
}

static struct conn_entry *
conn_entry_new(const struct tcp_segment *seg, uint64_t index)
{
	struct conn_entry *e;
	struct conn *c;
	size_t addr_len;
	int orig_is_src, side;

	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NULL;
	c = &e->conn;
	/* Only a SYN+ACK says its sender is not the originator. */
	orig_is_src = (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) !=
	    (TCP_FLAG_SYN | TCP_FLAG_ACK);
	addr_len = address_length(seg->family);
	c->family = seg->family;
	memcpy(c->addr[SIDE_ORIG], orig_is_src ? seg->src_addr : seg->dst_addr,
	    addr_len);
	memcpy(c->addr[SIDE_RESP], orig_is_src ? seg->dst_addr : seg->src_addr,
	    addr_len);
	c->port[SIDE_ORIG] = orig_is_src ? seg->src_port : seg->dst_port;
	c->port[SIDE_RESP] = orig_is_src ? seg->dst_port : seg->src_port;
	c->first_ts_ns = seg->ts_ns;
	c->last_ts_ns = seg->ts_ns;
	c->first_index = index;
	c->first_fin_side = -1;
	c->first_rst_side = -1;
	/* Zeek flips a connection first seen as a SYN+ACK and says '^'. */
	c->flipped = !orig_is_src;
	if (c->flipped)
		c->history[e->history_len++] = '^';
	c->state = CONN_STATE_OTH;
	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		e->stream[side].rxmit_threshold = 1;
		e->stream[side].win0_threshold = 1;
		e->stream[side].gap_threshold = 1;
	}
	e->list = LIST_NONE;
	return e;
}

static int
entries_reserve(struct conn_table *table)
{
	struct conn_entry **entries;
	size_t capacity;

	if (table->count < table->capacity)
		return 0;
	capacity = table->capacity * 2;
	if (capacity < table->capacity ||
	    capacity > SIZE_MAX / sizeof(*entries)) {
		errno = ENOMEM;
		return -1;
	}
	entries = realloc(table->entries, capacity * sizeof(*entries));
	if (entries == NULL)
		return -1;
	table->entries = entries;
	table->capacity = capacity;
	return 0;
}

static enum conn_side
other_side(enum conn_side side)
{
	return side == SIDE_ORIG ? SIDE_RESP : SIDE_ORIG;
}

/* History letters: upper case for the originator. */
static void
history_add(struct conn_entry *e, enum conn_side side, char upper)
{
	struct conn *c = &e->conn;
	char code = side == SIDE_ORIG ? upper : (char)(upper - 'A' + 'a');

	if (e->history_len + 1 >= sizeof(c->history)) {
		c->history_truncated = true;
		return;
	}
	c->history[e->history_len++] = code;
	c->history[e->history_len] = '\0';
}

/* Zeek's CheckHistory(): record the letter once; true if it was already. */
static bool
history_check(struct conn_entry *e, enum conn_side side, uint32_t mask,
    char upper)
{
	if (side == SIDE_RESP)
		mask <<= HIST_RESP_SHIFT;
	if (e->history_seen & mask)
		return true;
	e->history_seen |= mask;
	history_add(e, side, upper);
	return false;
}

/* Zeek's ScaledHistoryEntry(): the letter at the 1st, 10th, 100th, ... */
static void
history_scaled(struct conn_entry *e, enum conn_side side, char upper,
    uint64_t *counter, uint64_t *threshold)
{
	if (++*counter != *threshold)
		return;
	history_add(e, side, upper);
	if (*threshold <= UINT64_MAX / history_scale_base)
		*threshold *= history_scale_base;
}

/* Zeek's update_history(); rel is the segment's relative sequence. */
static void
zeek_update_history(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, int64_t rel)
{
	struct stream_state *st = &e->stream[side];
	bool syn = (seg->flags & TCP_FLAG_SYN) != 0;
	bool fin = (seg->flags & TCP_FLAG_FIN) != 0;
	bool rst = (seg->flags & TCP_FLAG_RST) != 0;
	bool ack = (seg->flags & TCP_FLAG_ACK) != 0;
	int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
	char code;

	if (bits > 1) {
		if (fin && rst)
			history_check(e, side, HIST_FIN_RST_PKT, 'I');
		else
			history_check(e, side, HIST_MULTI_FLAG_PKT, 'Q');
	} else if (syn) {
		code = ack ? 'H' : 'S';
		if (history_check(e, side, HIST_SYN_PKT, code) &&
		    rel != st->hist_last_syn)
			history_add(e, side, code);
		st->hist_last_syn = rel;
	} else if (fin) {
		/* A FIN's sequence number is at the end of its data. */
		if (history_check(e, side, HIST_FIN_PKT, 'F') &&
		    rel + seg->payload_len != st->hist_last_fin)
			history_add(e, side, 'F');
		st->hist_last_fin = rel + seg->payload_len;
	} else if (rst) {
		if (history_check(e, side, HIST_RST_PKT, 'R') &&
		    rel != st->hist_last_rst)
			history_add(e, side, 'R');
		st->hist_last_rst = rel;
	} else if (seg->payload_len > 0)
		history_check(e, side, HIST_DATA_PKT, 'D');
	else if (ack)
		history_check(e, side, HIST_ACK_PKT, 'A');
}

/*
 * What Zeek does before its state machine: set up an endpoint seen for
 * the first time (init_endpoint), history, the zero-window letter.
 * offset: the stream offset of seg->seq; one_past: of the end of the
 * segment's sequence space.
 */
static void
zeek_before(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, int64_t offset, int64_t one_past)
{
	struct conn *c = &e->conn;
	struct conn_half *h = &c->half[side];
	struct conn_half *peer = &c->half[other_side(side)];
	struct stream_state *st = &e->stream[side];

	if (h->state == ENDPOINT_INACTIVE) {
		if (seg->flags & TCP_FLAG_SYN) {
			st->zeek_start = offset;
			st->zeek_ack = offset;
			st->zeek_last = one_past;
		} else {
			/* As though a SYN had come just before. */
			st->zeek_start = offset - 1;
			st->zeek_ack = offset - 1;
			st->zeek_last = offset;
		}
	}
	zeek_update_history(e, side, seg, offset - st->zeek_start);
	if (seg->window == 0 && !(seg->flags & TCP_FLAG_RST) &&
	    peer->state != ENDPOINT_CLOSED && h->state != ENDPOINT_RESET)
		history_scaled(e, side, 'W', &h->zero_windows,
		    &st->win0_threshold);
	if (seg->flags & TCP_FLAG_FIN)
		h->fin_count++;
}

/* Zeek's handling of the ACK field (init_peer, update_ack_seq). */
static void
zeek_ack(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, int64_t ack_offset)
{
	enum conn_side peer_side = other_side(side);
	struct stream_state *peer_st = &e->stream[peer_side];

	if (e->conn.half[peer_side].state == ENDPOINT_INACTIVE) {
		peer_st->zeek_start = ack_offset - 1;
		peer_st->zeek_ack = ack_offset - 1;
		peer_st->zeek_last = ack_offset - 1;
	} else if (!(seg->flags & TCP_FLAG_RST)) {
		/* An ACK of 0 far ahead is more likely broken than a wrap. */
		if (seg->ack == 0 &&
		    ack_offset - peer_st->zeek_ack > too_large_seq_delta)
			return;
		if (ack_offset > peer_st->zeek_ack)
			peer_st->zeek_ack = ack_offset;
	}
}

/* Zeek's update_last_seq(), with its retransmission letter. */
static inline void
zeek_update_last(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, int64_t one_past)
{
	struct conn_half *h = &e->conn.half[side];
	struct stream_state *st = &e->stream[side];
	int64_t delta = one_past - st->zeek_last;
	bool syn_or_rst = (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_RST)) != 0;

	if (syn_or_rst &&
	    (delta > too_large_seq_delta || delta < -too_large_seq_delta))
		return;
	if ((seg->flags & TCP_FLAG_FIN) && st->zeek_last == st->zeek_start + 1)
		st->zeek_last = one_past;
	else if (h->state == ENDPOINT_RESET)
		return;
	else if (delta > 0)
		st->zeek_last = one_past;
	else if (seg->payload_len > 0)
		history_scaled(e, side, 'T', &h->retransmissions,
		    &st->rxmit_threshold);
}

static void
endpoint_set_state(struct conn_half *h, enum tcp_endpoint_state state)
{
	if (state == h->state)
		return;
	h->prev_state = h->state;
	h->state = state;
}

/*
 * Zeek's UpdateStateMachine() without timers and weirds.  Not done: the
 * flip of a SYN answering a SYN+ACK (Zeek's "SYN/SYN-ACK reversal").
 */
static void
zeek_update_state(struct conn *c, enum conn_side side,
    const struct tcp_segment *seg)
{
	struct conn_half *ep = &c->half[side];
	struct conn_half *peer = &c->half[other_side(side)];
	bool syn = (seg->flags & TCP_FLAG_SYN) != 0;
	bool fin = (seg->flags & TCP_FLAG_FIN) != 0;
	bool rst = (seg->flags & TCP_FLAG_RST) != 0;
	bool ack = (seg->flags & TCP_FLAG_ACK) != 0;

	switch (ep->state) {
	case ENDPOINT_INACTIVE:
		if (syn) {
			if (side == SIDE_ORIG)
				endpoint_set_state(ep, ack ?
				    ENDPOINT_SYN_ACK_SENT : ENDPOINT_SYN_SENT);
			else {
				if (peer->state == ENDPOINT_SYN_SENT)
					endpoint_set_state(peer,
					    ENDPOINT_ESTABLISHED);
				endpoint_set_state(ep, ENDPOINT_ESTABLISHED);
			}
		}
		if (fin)
			endpoint_set_state(ep, ENDPOINT_CLOSED);
		if (rst)
			endpoint_set_state(ep, ENDPOINT_RESET);
		if (ep->state != ENDPOINT_INACTIVE)
			break;
		/* Some stacks ACK a SYN before answering it: not partial. */
		if (side == SIDE_RESP && seg->payload_len == 0 &&
		    c->half[SIDE_ORIG].state == ENDPOINT_SYN_SENT)
			break;
		if (ack && peer->state == ENDPOINT_ESTABLISHED)
			endpoint_set_state(ep, ENDPOINT_ESTABLISHED);
		else
			endpoint_set_state(ep, ENDPOINT_PARTIAL);
		break;
	case ENDPOINT_SYN_SENT:
	case ENDPOINT_SYN_ACK_SENT:
		if (fin)
			endpoint_set_state(ep, ENDPOINT_CLOSED);
		if (rst)
			endpoint_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_ESTABLISHED:
	case ENDPOINT_PARTIAL:
		if (syn && ep->state == ENDPOINT_PARTIAL &&
		    peer->state == ENDPOINT_INACTIVE && !ack)
			endpoint_set_state(ep, ENDPOINT_SYN_SENT);
		if (fin && !rst) {
			endpoint_set_state(ep, ENDPOINT_CLOSED);
			/* The peer's FIN then RST was a normal close. */
			if (peer->state == ENDPOINT_RESET &&
			    peer->prev_state == ENDPOINT_CLOSED)
				endpoint_set_state(peer, ENDPOINT_CLOSED);
		}
		if (rst)
			endpoint_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_CLOSED:
		/* After a FIN exchange an RST changes nothing. */
		if (rst && peer->state != ENDPOINT_CLOSED)
			endpoint_set_state(ep, ENDPOINT_RESET);
		break;
	case ENDPOINT_RESET:
		break;
	}
}

/* Where the data seen from the start of the stream first stops. */
static int64_t
stream_contiguous_end(const struct stream_state *st, const struct conn_half *h)
{
	int64_t end = st->nholes > 0 ? st->holes[0].start : st->highest_end;

	/* The FIN takes the sequence number after the last byte. */
	if (h->fin_seen && st->nholes == 0 && end >= (int64_t)h->fin_offset)
		end = (int64_t)h->fin_offset + 1;
	return end;
}

/*
 * Zeek's content gap letter, as far as headers tell it: an ACK (not on a
 * FIN or RST, whose gaps Zeek does not trust) for stream bytes that no
 * captured segment held.
 */
static inline void
zeek_gap(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, int64_t ack_offset)
{
	enum conn_side peer_side = other_side(side);
	struct stream_state *peer_st = &e->stream[peer_side];
	struct conn_half *peer = &e->conn.half[peer_side];

	if (seg->flags & (TCP_FLAG_FIN | TCP_FLAG_RST))
		return;
	if (ack_offset <= peer_st->gap_reported_to ||
	    ack_offset <= stream_contiguous_end(peer_st, peer))
		return;
	peer_st->gap_reported_to = ack_offset;
	history_scaled(e, peer_side, 'G', &peer->gaps,
	    &peer_st->gap_threshold);
}

/* Give up the lowest hole: it counts as never filled. */
static void
holes_retire_lowest(struct stream_state *st)
{
	struct hole *lowest = &st->holes[0];

	st->retired_hole_bytes += (uint64_t)(lowest->end - lowest->start);
	if (lowest->end > st->retired_hole_end)
		st->retired_hole_end = lowest->end;
	st->nholes--;
	memmove(&st->holes[0], &st->holes[1],
	    st->nholes * sizeof(st->holes[0]));
}

/* Allocated once, whole, so that a segment never fails half-way. */
static int
holes_reserve(struct stream_state *st)
{
	if (st->holes != NULL)
		return 0;
	st->holes = calloc(MAX_HOLES, sizeof(*st->holes));
	if (st->holes == NULL)
		return -1;
	st->holes_capacity = MAX_HOLES;
	return 0;
}

/* Captured bytes [start, end), all below highest_end, fill holes. */
static void
holes_fill(struct stream_state *st, int64_t start, int64_t end)
{
	struct hole *h;
	size_t i = 0;

	while (i < st->nholes) {
		h = &st->holes[i];
		if (h->end <= start) {
			i++;
			continue;
		}
		if (h->start >= end)
			break;
		if (start <= h->start && end >= h->end) {
			st->nholes--;
			memmove(&st->holes[i], &st->holes[i + 1],
			    (st->nholes - i) * sizeof(st->holes[0]));
			continue;
		}
		if (start <= h->start) {
			h->start = end;
			break;
		}
		if (end >= h->end) {
			h->end = start;
			i++;
			continue;
		}
		/* The middle of the hole: split it in two. */
		if (st->nholes == st->holes_capacity) {
			holes_retire_lowest(st);
			if (i == 0)
				break;
			i--;
			h = &st->holes[i];
		}
		memmove(&st->holes[i + 2], &st->holes[i + 1],
		    (st->nholes - i - 1) * sizeof(st->holes[0]));
		st->holes[i + 1].start = end;
		st->holes[i + 1].end = h->end;
		h->end = start;
		st->nholes++;
		break;
	}
}

/* A data segment [start, end) was captured; call before highest_end moves. */
static void
stream_note_data(struct stream_state *st, int64_t start, int64_t end)
{
	if (start < 0)
		start = 0;
	if (end <= start)
		return;
	if (start > st->highest_end) {
		if (st->holes == NULL)
			return;	/* holes_reserve() failed: cannot be */
		if (st->nholes == st->holes_capacity)
			holes_retire_lowest(st);
		st->holes[st->nholes].start = st->highest_end;
		st->holes[st->nholes].end = start;
		st->nholes++;
	} else if (st->nholes > 0)
		holes_fill(st, start,
		    end < st->highest_end ? end : st->highest_end);
}

/* The loss-risk flags an RST from side can raise. */
static void
flag_rst(struct conn_entry *e, enum conn_side side)
{
	struct conn *c = &e->conn;
	struct conn_half *h = &c->half[side];
	struct stream_state *st = &e->stream[side];
	struct stream_state *peer_st = &e->stream[other_side(side)];

	if (st->highest_end > st->highest_ack) {
		if (!(h->unacked_at_rst > 0))
			h->unacked_at_rst =
			    (uint64_t)(st->highest_end - st->highest_ack);
		c->flags |= CONN_FLAG_RST_UNACKED;
	}
	if (h->fin_seen && peer_st->data_after_peer_fin)
		c->flags |= CONN_FLAG_RST_AFTER_FIN_DATA;
	if (peer_st->window_seen && peer_st->last_window == 0)
		c->flags |= CONN_FLAG_RST_ZERO_WINDOW;
}

/*
 * The sequence space of the sender's own stream; offset is that of
 * seg->seq (the stream's base is set).
 */
static void
track_sender(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, uint64_t index, int64_t offset)
{
	struct conn *c = &e->conn;
	struct conn_half *h = &c->half[side];
	struct stream_state *st = &e->stream[side];
	bool syn = (seg->flags & TCP_FLAG_SYN) != 0;
	bool rst = (seg->flags & TCP_FLAG_RST) != 0;
	int64_t start, end;

	if (syn) {
		if (!h->syn_seen) {
			h->syn_seen = true;
			h->isn = seg->seq;
		}
		if (seg->flags & TCP_FLAG_ACK)
			c->synack_seen = true;
		else
			c->syn_seen = true;
	}
	/* The SYN takes one sequence number; data starts after it. */
	start = offset + (syn ? 1 : 0);
	end = start + seg->payload_len;

	if (rst) {
		/* An RST's payload is a diagnostic, not stream data. */
		h->rst_count++;
		if (h->rst_count == 1) {
			h->first_rst_kind = (seg->flags & TCP_FLAG_ACK) ?
			    RST_KIND_WITH_ACK : RST_KIND_BARE;
			h->first_rst_ts_ns = seg->ts_ns;
			h->first_rst_index = index;
			h->first_rst_offset = offset_to_u64(start);
		}
		if (c->first_rst_side < 0)
			c->first_rst_side = side;
		c->ended = true;
		flag_rst(e, side);
	} else {
		stream_note_offset(st, end);
		if (seg->payload_len > 0) {
			stream_note_data(st, start, end);
			if (c->half[other_side(side)].fin_seen)
				st->data_after_peer_fin = true;
		}
		/*
		 * Only data counts: the seq of a bare ACK after a FIN is
		 * one past the FIN's slot, which is no stream byte.
		 */
		if (seg->payload_len > 0 && end > st->highest_end)
			st->highest_end = end;
		h->payload_bytes = offset_to_u64(st->highest_end);
		if (seg->payload_len > 0)
			h->payload_packets++;
		if (!syn && seg->window == 0)
			h->zero_window_seen = true;
		if (!syn) {
			st->last_window = seg->window;
			st->window_seen = true;
		}
	}

	if ((seg->flags & TCP_FLAG_FIN) && !h->fin_seen) {
		h->fin_seen = true;
		h->fin_ts_ns = seg->ts_ns;
		h->fin_index = index;
		h->fin_offset = offset_to_u64(end);
		if (c->first_fin_side < 0)
			c->first_fin_side = side;
		half_update_acked(h, st);
	}
	if (c->half[SIDE_ORIG].fin_seen && c->half[SIDE_RESP].fin_seen)
		c->ended = true;
}

/*
 * The ACK field speaks about the peer's stream.  False if seg has no
 * ACK; else *ack_offset is the ACK's offset in the peer's stream.
 */
static bool
track_ack(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, int64_t *ack_offset)
{
	enum conn_side peer = other_side(side);
	struct stream_state *st = &e->stream[peer];
	int64_t offset;

	if (!(seg->flags & TCP_FLAG_ACK))
		return false;
	/* A peer not yet seen: what it is acked for is its offset 0. */
	if (!st->have_base)
		stream_set_base(st, seg->ack);
	offset = stream_offset(st, seg->ack);
	stream_note_offset(st, offset);
	if (offset > st->highest_ack)
		st->highest_ack = offset;
	half_update_acked(&e->conn.half[peer], st);
	*ack_offset = offset;
	return true;
}

/* Zeek's Size(): conn.log's orig_bytes / resp_bytes. */
static uint64_t
zeek_size(const struct conn_entry *e, enum conn_side side)
{
	const struct conn_half *h = &e->conn.half[side];
	const struct conn_half *peer = &e->conn.half[other_side(side)];
	const struct stream_state *st = &e->stream[side];
	int64_t top, acked_from_start = st->zeek_ack - st->zeek_start;
	uint64_t size;

	/* A half-open connection discovered and aborted. */
	if (h->prev_state == ENDPOINT_SYN_SENT && h->state == ENDPOINT_RESET &&
	    peer->state == ENDPOINT_INACTIVE &&
	    acked_from_start != 0 && acked_from_start != 1)
		return 0;
	top = st->zeek_last > st->zeek_ack ? st->zeek_last : st->zeek_ack;
	if (top <= st->zeek_start)
		return 0;
	size = (uint64_t)(top - st->zeek_start) - 1;	/* the SYN */
	if (h->fin_count > 0 && size != 0)
		size--;					/* the FIN */
	return size;
}

/* Sizes, holes, flags and conn_state, from what the packets left. */
static void
conn_finish(struct conn_entry *e)
{
	struct conn *c = &e->conn;
	const struct stream_state *st;
	struct conn_half *h;
	int64_t acked, from, to;
	uint64_t missed, unseen;
	size_t i;
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		h = &c->half[side];
		st = &e->stream[side];
		acked = (int64_t)h->acked_bytes;
		missed = st->retired_hole_bytes;
		unseen = acked > st->highest_end ?
		    (uint64_t)(acked - st->highest_end) : 0;
		for (i = 0; i < st->nholes; i++) {
			missed += (uint64_t)(st->holes[i].end -
			    st->holes[i].start);
			from = st->holes[i].start;
			to = st->holes[i].end < acked ? st->holes[i].end :
			    acked;
			if (to > from)
				unseen += (uint64_t)(to - from);
		}
		if (st->retired_hole_bytes > 0 && acked >= st->retired_hole_end)
			unseen += st->retired_hole_bytes;
		h->missed_bytes = missed;
		h->acked_unseen_bytes = unseen;
		h->size = zeek_size(e, (enum conn_side)side);
		if (missed > 0)
			c->flags |= CONN_FLAG_HOLE;
		if (unseen > 0)
			c->flags |= CONN_FLAG_ACKED_UNSEEN;
	}
	c->state = conn_state_classify(c);
}

static void
activity_unlink(struct conn_table *table, struct conn_entry *e)
{
	struct activity *a;

	if (e->list == LIST_NONE)
		return;
	a = &table->activity[e->list];
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		a->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		a->newest = e->older;
	e->older = NULL;
	e->newer = NULL;
	e->list = LIST_NONE;
}

/* e just saw a packet: newest of its list. */
static inline void
activity_touch(struct conn_table *table, struct conn_entry *e)
{
	enum activity_list list = e->conn.ended ? LIST_ENDED : LIST_OPEN;
	struct activity *a = &table->activity[list];

	if (e->list == list && a->newest == e)
		return;
	activity_unlink(table, e);
	e->list = list;
	e->older = a->newest;
	e->newer = NULL;
	if (a->newest != NULL)
		a->newest->newer = e;
	else
		a->oldest = e;
	a->newest = e;
}

/* Out of every structure; the caller frees it. */
static void
entry_detach(struct conn_table *table, struct conn_entry *e)
{
	int k;

	activity_unlink(table, e);
	for (k = 0; k < INDEX_COUNT; k++)
		hash_index_remove(&table->index[k], (enum index_kind)k, e);
	if (table->last == e)
		table->last = NULL;
	table->count--;
	if (e->slot != table->count) {
		table->entries[e->slot] = table->entries[table->count];
		table->entries[e->slot]->slot = e->slot;
	}
	table->entries[table->count] = NULL;
}

/* Streaming: finish e, hand it on, free it.  -1 if the callback failed. */
static int
entry_release(struct conn_table *table, struct conn_entry *e)
{
	int rc, saved_errno;

	conn_finish(e);
	rc = table->params.done(&e->conn, table->params.ctx);
	saved_errno = errno;
	entry_detach(table, e);
	conn_entry_free(e);
	errno = saved_errno;
	return rc == 0 ? 0 : -1;
}

/* Streaming: hand on what has been quiet long enough by now_ns. */
static int
expire_quiet(struct conn_table *table, int64_t now_ns)
{
	struct conn_entry *e;

	while ((e = table->activity[LIST_ENDED].oldest) != NULL &&
	    now_ns - e->conn.last_ts_ns > table->params.linger_ns)
		if (entry_release(table, e) == -1)
			return -1;
	if (table->params.idle_ns == 0)
		return 0;
	while ((e = table->activity[LIST_OPEN].oldest) != NULL &&
	    now_ns - e->conn.last_ts_ns > table->params.idle_ns)
		if (entry_release(table, e) == -1)
			return -1;
	return 0;
}

/*
 * The segment that makes up nearly all of a bulk transfer, handled
 * without the general machinery: an ACK without SYN, FIN or RST, on a
 * connection established both ways whose two streams have their base,
 * whose data (if any) continues the sender's stream exactly where the
 * highest data ended, and whose history already holds this segment's
 * letter ('D' or 'A').  What follows is, statement for statement, what
 * conn_table_add()'s general path does for such a segment (in the same
 * order, since history letters are appended as they come); the parts
 * left out cannot change anything for it:
 * - zeek_before(): the endpoint is not INACTIVE; the history letter is
 *   already there; no FIN;
 * - track_sender(): no SYN, RST or FIN; stream_note_data() of data that
 *   starts at highest_end neither opens nor fills a hole (every hole lies
 *   below highest_end), and no reservation is needed;
 * - track_ack(), zeek_ack(): both bases set, the peer is not INACTIVE;
 * - zeek_update_state(): an ESTABLISHED endpoint only moves on SYN, FIN
 *   or RST.
 * False (and nothing changed) if the segment is not of that kind.
 */
static bool
add_established(struct conn_table *table, struct conn_entry *e,
    enum conn_side side, const struct tcp_segment *seg)
{
	struct conn *c = &e->conn;
	enum conn_side peer_side = other_side(side);
	struct conn_half *h = &c->half[side];
	struct conn_half *peer = &c->half[peer_side];
	struct stream_state *st = &e->stream[side];
	struct stream_state *peer_st = &e->stream[peer_side];
	uint32_t letter;
	int64_t offset, end, ack_offset;

	if ((seg->flags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST |
	    TCP_FLAG_ACK)) != TCP_FLAG_ACK)
		return false;
	if (h->state != ENDPOINT_ESTABLISHED ||
	    peer->state != ENDPOINT_ESTABLISHED ||
	    !st->have_base || !peer_st->have_base)
		return false;
	letter = seg->payload_len > 0 ? HIST_DATA_PKT : HIST_ACK_PKT;
	if (side == SIDE_RESP)
		letter <<= HIST_RESP_SHIFT;
	if (!(e->history_seen & letter))
		return false;
	offset = stream_offset(st, seg->seq);
	if (seg->payload_len > 0 && offset != st->highest_end)
		return false;
	end = offset + (int64_t)seg->payload_len;

	h->packets++;
	c->last_ts_ns = seg->ts_ns;
	/* zeek_before() */
	if (seg->window == 0)
		history_scaled(e, side, 'W', &h->zero_windows,
		    &st->win0_threshold);
	/* track_sender() */
	stream_note_offset(st, end);
	if (seg->payload_len > 0) {
		if (peer->fin_seen)
			st->data_after_peer_fin = true;
		st->highest_end = end;
		h->payload_packets++;
	}
	h->payload_bytes = offset_to_u64(st->highest_end);
	if (seg->window == 0)
		h->zero_window_seen = true;
	st->last_window = seg->window;
	st->window_seen = true;
	/* track_ack() */
	ack_offset = stream_offset(peer_st, seg->ack);
	stream_note_offset(peer_st, ack_offset);
	if (ack_offset > peer_st->highest_ack)
		peer_st->highest_ack = ack_offset;
	half_update_acked(peer, peer_st);
	/* zeek_ack() */
	if (!(seg->ack == 0 &&
	    ack_offset - peer_st->zeek_ack > too_large_seq_delta) &&
	    ack_offset > peer_st->zeek_ack)
		peer_st->zeek_ack = ack_offset;
	zeek_update_last(e, side, seg, end);
	zeek_gap(e, side, seg, ack_offset);
	if (table->streaming)
		activity_touch(table, e);
	return true;
}

/*
 * conn_table_add() past the fast path: find or create the connection,
 * then every step.  last_side is the side of seg in table->last, or -1
 * if table->last is not seg's connection (or there is none).
 */
static int __attribute__((noinline))
add_general(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index, int last_side)
{
	struct conn_entry *e, *old = NULL;
	struct stream_state *st;
	struct tuple_key key;
	enum conn_side side;
	int64_t offset, one_past, ack_offset, start;
	uint64_t hash = 0;
	bool hashed = false, has_ack, syn;

	e = last_side >= 0 ? table->last : NULL;
	if (e == NULL) {
		tuple_key_from_segment(seg, &key);
		hash = tuple_hash(&key);
		hashed = true;
		e = find_tuple(table, seg, hash);
	}
	if (e == NULL || segment_starts_new_conn(e, seg)) {
		old = e;
		if (!hashed) {
			tuple_key_from_segment(seg, &key);
			hash = tuple_hash(&key);
		}
		if (entries_reserve(table) == -1)
			return -1;
		e = conn_entry_new(seg, index);
		if (e == NULL)
			return -1;
		e->hash[INDEX_TUPLE] = hash;
		e->hash[INDEX_PORTS] = ports_hash(seg->src_port, seg->dst_port);
		e->slot = table->count;
		table->entries[table->count++] = e;
		hash_index_put(&table->index[INDEX_TUPLE], INDEX_TUPLE, e, old);
		if (!table->streaming)
			hash_index_put(&table->index[INDEX_PORTS], INDEX_PORTS,
			    e, find_ports(table, seg->src_port, seg->dst_port));
	}
	table->last = e;

	side = conn_side_of(&e->conn, seg);
	st = &e->stream[side];
	syn = (seg->flags & TCP_FLAG_SYN) != 0;
	if (!st->have_base)
		stream_set_base(st, seg->seq + (syn ? 1 : 0));
	offset = stream_offset(st, seg->seq);
	/* Reserve before changing anything, so that ENOMEM leaves no trace. */
	start = offset + (syn ? 1 : 0);
	if (seg->payload_len > 0 && !(seg->flags & TCP_FLAG_RST) &&
	    start > st->highest_end && holes_reserve(st) == -1)
		return -1;

	/* Zeek's segment length: SYN and FIN count, an RST's data not. */
	one_past = offset + (syn ? 1 : 0) +
	    ((seg->flags & TCP_FLAG_FIN) ? 1 : 0) +
	    ((seg->flags & TCP_FLAG_RST) ? 0 : (int64_t)seg->payload_len);

	e->conn.half[side].packets++;
	e->conn.last_ts_ns = seg->ts_ns;
	zeek_before(e, side, seg, offset, one_past);
	track_sender(e, side, seg, index, offset);
	has_ack = track_ack(e, side, seg, &ack_offset);
	if (has_ack)
		zeek_ack(e, side, seg, ack_offset);
	zeek_update_last(e, side, seg, one_past);
	zeek_update_state(&e->conn, side, seg);
	if (has_ack)
		zeek_gap(e, side, seg, ack_offset);

	if (table->streaming) {
		activity_touch(table, e);
		/* The connection a new SYN took the 4-tuple from is done. */
		if (old != NULL && entry_release(table, old) == -1)
			return -1;
	}
	return 0;
}

int
conn_table_add(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index)
{
	struct conn_entry *e;
	int side = -1;

	if (table == NULL || seg == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (table->streaming) {
		if (!table->have_now || seg->ts_ns > table->now_ns) {
			table->now_ns = seg->ts_ns;
			table->have_now = true;
		}
		if (expire_quiet(table, table->now_ns) == -1)
			return -1;
	}
	/*
	 * A bulk transfer sends segment after segment on one connection:
	 * the one looked up last is tried before the hash index.
	 */
	e = table->last;
	if (e != NULL) {
		side = conn_match_side(&e->conn, seg);
		if (side >= 0 && add_established(table, e, (enum conn_side)side,
		    seg))
			return 0;
	}
	return add_general(table, seg, index, side);
}

size_t
conn_table_count(const struct conn_table *table)
{
	return table == NULL ? 0 : table->count;
}

const struct conn *
conn_table_get(const struct conn_table *table, size_t i)
{
	if (table == NULL || i >= table->count)
		return NULL;
	return &table->entries[i]->conn;
}

const struct conn *
conn_table_find_ports(const struct conn_table *table, uint16_t port_a,
    uint16_t port_b)
{
	struct conn_entry *e;

	if (table == NULL)
		return NULL;
	e = find_ports(table, port_a, port_b);
	return e == NULL ? NULL : &e->conn;
}

static int
compare_first_index(const void *a, const void *b)
{
	const struct conn_entry *ea = *(const struct conn_entry *const *)a;
	const struct conn_entry *eb = *(const struct conn_entry *const *)b;

	if (ea->conn.first_index != eb->conn.first_index)
		return ea->conn.first_index < eb->conn.first_index ? -1 : 1;
	return 0;
}

int
conn_table_flush(struct conn_table *table)
{
	struct conn_entry *e;
	size_t i, count;
	int rc = 0, saved_errno = 0;

	if (table == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (!table->streaming) {
		for (i = 0; i < table->count; i++)
			conn_finish(table->entries[i]);
		return 0;
	}
	count = table->count;
	qsort(table->entries, count, sizeof(*table->entries),
	    compare_first_index);
	for (i = 0; i < count; i++) {
		e = table->entries[i];
		e->slot = i;
		conn_finish(e);
		if (rc == 0 && table->params.done(&e->conn,
		    table->params.ctx) != 0) {
			saved_errno = errno;
			rc = -1;
		}
	}
	/* From the end, so that no entry has to move. */
	while (table->count > 0) {
		e = table->entries[table->count - 1];
		entry_detach(table, e);
		conn_entry_free(e);
	}
	if (rc == -1)
		errno = saved_errno;
	return rc;
}

/*
 * Zeek's RSTOS0 test: the whole history matches the pattern
 * ^\^?S[^HAFGIQ]*R.* (an originator's SYN, then its RST before any
 * handshake, ACK, FIN, gap or odd flags).
 */
static bool
history_is_syn_then_rst(const char *history)
{
	const char *p = history;

	if (*p == '^')
		p++;
	if (*p++ != 'S')
		return false;
	for (; *p != '\0'; p++) {
		if (*p == 'R')
			return true;
		if (strchr("HAFGIQ", *p) != NULL)
			return false;
	}
	return false;
}

static bool
endpoint_inactive(enum tcp_endpoint_state state)
{
	return state == ENDPOINT_INACTIVE || state == ENDPOINT_PARTIAL;
}

enum conn_state
conn_state_classify(const struct conn *c)
{
	enum tcp_endpoint_state os, rs;
	bool o_inactive, r_inactive;

	if (c == NULL)
		return CONN_STATE_OTH;
	os = c->half[SIDE_ORIG].state;
	rs = c->half[SIDE_RESP].state;
	o_inactive = endpoint_inactive(os);
	r_inactive = endpoint_inactive(rs);
	if (rs == ENDPOINT_RESET) {
		if (os == ENDPOINT_SYN_SENT || os == ENDPOINT_SYN_ACK_SENT ||
		    (os == ENDPOINT_RESET && c->half[SIDE_ORIG].size == 0 &&
		    c->half[SIDE_RESP].size == 0))
			return CONN_STATE_REJ;
		return o_inactive ? CONN_STATE_RSTRH : CONN_STATE_RSTR;
	}
	if (os == ENDPOINT_RESET) {
		if (!r_inactive)
			return CONN_STATE_RSTO;
		return history_is_syn_then_rst(c->history) ?
		    CONN_STATE_RSTOS0 : CONN_STATE_OTH;
	}
	if (rs == ENDPOINT_CLOSED && os == ENDPOINT_CLOSED)
		return CONN_STATE_SF;
	if (os == ENDPOINT_CLOSED)
		return r_inactive ? CONN_STATE_SH : CONN_STATE_S2;
	if (rs == ENDPOINT_CLOSED)
		return o_inactive ? CONN_STATE_SHR : CONN_STATE_S3;
	if (os == ENDPOINT_SYN_SENT && rs == ENDPOINT_INACTIVE)
		return CONN_STATE_S0;
	if (os == ENDPOINT_ESTABLISHED && rs == ENDPOINT_ESTABLISHED)
		return CONN_STATE_S1;
	return CONN_STATE_OTH;
}

static const char *const conn_state_names[CONN_STATE_COUNT] = {
	[CONN_STATE_S0] = "S0",
	[CONN_STATE_S1] = "S1",
	[CONN_STATE_SF] = "SF",
	[CONN_STATE_REJ] = "REJ",
	[CONN_STATE_S2] = "S2",
	[CONN_STATE_S3] = "S3",
	[CONN_STATE_RSTO] = "RSTO",
	[CONN_STATE_RSTR] = "RSTR",
	[CONN_STATE_RSTOS0] = "RSTOS0",
	[CONN_STATE_RSTRH] = "RSTRH",
	[CONN_STATE_SH] = "SH",
	[CONN_STATE_SHR] = "SHR",
	[CONN_STATE_OTH] = "OTH"
};

const char *
conn_state_name(enum conn_state s)
{
	if ((unsigned)s >= CONN_STATE_COUNT)
		return "unknown";
	return conn_state_names[s];
}

int
conn_state_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CONN_STATE_COUNT; i++)
		if (strcmp(name, conn_state_names[i]) == 0)
			return i;
	return -1;
}

static const struct {
	enum conn_flag flag;
	const char *name;
} conn_flag_names[CONN_FLAG_COUNT] = {
	{ CONN_FLAG_RST_UNACKED, "rst-unacked" },
	{ CONN_FLAG_RST_AFTER_FIN_DATA, "rst-after-fin-data" },
	{ CONN_FLAG_RST_ZERO_WINDOW, "rst-zero-window" },
	{ CONN_FLAG_HOLE, "hole" },
	{ CONN_FLAG_ACKED_UNSEEN, "acked-unseen" }
};

const char *
conn_flag_name(enum conn_flag f)
{
	int i;

	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (conn_flag_names[i].flag == f)
			return conn_flag_names[i].name;
	return "unknown";
}

unsigned
conn_flag_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return 0;
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (strcmp(name, conn_flag_names[i].name) == 0)
			return (unsigned)conn_flag_names[i].flag;
	return 0;
}

/*
 * An RST that comes after both sides' FINs ends nothing: both had closed,
 * and the RST only answers a stray segment (a duplicate reordered on the
 * path, say) that reached a socket already gone.  It is reported, but it
 * neither makes the teardown an RST nor hides a reset from a reader.
 */
bool
conn_rst_is_late(const struct conn *c)
{
	uint64_t first_rst_index = 0;
	bool rst_seen = false;
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		if (c->half[side].rst_count == 0)
			continue;
		if (!rst_seen || c->half[side].first_rst_index < first_rst_index)
			first_rst_index = c->half[side].first_rst_index;
		rst_seen = true;
	}
	return rst_seen && c->half[SIDE_ORIG].fin_seen && c->half[SIDE_RESP].fin_seen &&
	    c->half[SIDE_ORIG].fin_index < first_rst_index &&
	    c->half[SIDE_RESP].fin_index < first_rst_index;
}

enum teardown_class
teardown_classify(const struct conn *c)
{
	uint64_t first_rst_index = 0;
	bool rst_seen = false;
	int side;

	if (c == NULL)
		return TEARDOWN_NONE;
	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		if (c->half[side].rst_count == 0)
			continue;
		if (!rst_seen ||
		    c->half[side].first_rst_index < first_rst_index)
			first_rst_index = c->half[side].first_rst_index;
		rst_seen = true;
	}
	if (rst_seen) {
		/* Both sides had finished: the connection ended with FIN. */
		if (conn_rst_is_late(c))
			return TEARDOWN_FIN;
		for (side = SIDE_ORIG; side <= SIDE_RESP; side++)
			if (c->half[side].fin_seen &&
			    c->half[side].fin_index <= first_rst_index)
				return TEARDOWN_FIN_THEN_RST;
		return TEARDOWN_RST;
	}
	if (c->half[SIDE_ORIG].fin_seen && c->half[SIDE_RESP].fin_seen)
		return TEARDOWN_FIN;
	if (c->half[SIDE_ORIG].fin_seen || c->half[SIDE_RESP].fin_seen)
		return TEARDOWN_HALF_FIN;
	return TEARDOWN_NONE;
}

const char *
teardown_class_name(enum teardown_class c)
{
	switch (c) {
	case TEARDOWN_NONE:
		return "none";
	case TEARDOWN_FIN:
		return "fin";
	case TEARDOWN_HALF_FIN:
		return "half-fin";
	case TEARDOWN_RST:
		return "rst";
	case TEARDOWN_FIN_THEN_RST:
		return "fin-then-rst";
	}
	return "unknown";
}

const char *
rst_kind_name(enum rst_kind k)
{
	switch (k) {
	case RST_KIND_NONE:
		return "none";
	case RST_KIND_WITH_ACK:
		return "RST+ACK";
	case RST_KIND_BARE:
		return "bare RST";
	}
	return "unknown";
}

const char *
conn_side_name(enum conn_side side)
{
	switch (side) {
	case SIDE_ORIG:
		return "originator";
	case SIDE_RESP:
		return "responder";
	}
	return "unknown";
}
