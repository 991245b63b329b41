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
	INITIAL_ENTRIES = 64
};

/* Sequence-space state of one direction's byte stream. */
struct stream_state {
	bool have_base;
	uint32_t base_seq;	/* the sequence number of stream offset 0 */
	int64_t ref_offset;	/* highest offset seen: unwrapping reference */
	int64_t highest_end;	/* end of the highest data seen */
	int64_t highest_ack;	/* highest offset the peer acknowledged */
};

struct conn_entry {
	struct conn conn;	/* first, so &entry->conn is what callers see */
	struct stream_state stream[2];
	struct conn_entry *next[INDEX_COUNT];
	uint64_t hash[INDEX_COUNT];
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
	return c->port[side] == port &&
	    memcmp(c->addr[side], addr, address_length(c->family)) == 0;
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
	if (old != NULL) {
		for (link = &index->buckets[slot]; *link != NULL;
		    link = &(*link)->next[kind]) {
			if (*link == old) {
				e->next[kind] = old->next[kind];
				old->next[kind] = NULL;
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

void
conn_table_free(struct conn_table *table)
{
	size_t i;
	int k;

	if (table == NULL)
		return;
	for (i = 0; i < table->count; i++)
		free(table->entries[i]);
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
	int orig_is_src;

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

/* The sequence space of the sender's own stream. */
static void
track_sender(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg, uint64_t index)
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
	if (!st->have_base)
		stream_set_base(st, seg->seq + (syn ? 1 : 0));
	start = stream_offset(st, seg->seq) + (syn ? 1 : 0);
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
	} else {
		stream_note_offset(st, end);
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

/* The ACK field speaks about the peer's stream. */
static void
track_ack(struct conn_entry *e, enum conn_side side,
    const struct tcp_segment *seg)
{
	enum conn_side peer = side == SIDE_ORIG ? SIDE_RESP : SIDE_ORIG;
	struct stream_state *st = &e->stream[peer];
	int64_t offset;

	if (!(seg->flags & TCP_FLAG_ACK))
		return;
	/* A peer not yet seen: what it is acked for is its offset 0. */
	if (!st->have_base)
		stream_set_base(st, seg->ack);
	offset = stream_offset(st, seg->ack);
	stream_note_offset(st, offset);
	if (offset > st->highest_ack)
		st->highest_ack = offset;
	half_update_acked(&e->conn.half[peer], st);
}

int
conn_table_add(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index)
{
	struct conn_entry *e, *old;
	struct tuple_key key;
	enum conn_side side;
	uint64_t hash;

	if (table == NULL || seg == NULL) {
		errno = EINVAL;
		return -1;
	}
	tuple_key_from_segment(seg, &key);
	hash = tuple_hash(&key);
	e = find_tuple(table, seg, hash);
	if (e == NULL || segment_starts_new_conn(e, seg)) {
		old = e;
		if (entries_reserve(table) == -1)
			return -1;
		e = conn_entry_new(seg, index);
		if (e == NULL)
			return -1;
		e->hash[INDEX_TUPLE] = hash;
		e->hash[INDEX_PORTS] = ports_hash(seg->src_port, seg->dst_port);
		table->entries[table->count++] = e;
		hash_index_put(&table->index[INDEX_TUPLE], INDEX_TUPLE, e, old);
		hash_index_put(&table->index[INDEX_PORTS], INDEX_PORTS, e,
		    find_ports(table, seg->src_port, seg->dst_port));
	}

	side = conn_side_of(&e->conn, seg);
	e->conn.half[side].packets++;
	e->conn.last_ts_ns = seg->ts_ns;
	track_sender(e, side, seg, index);
	track_ack(e, side, seg);
	return 0;
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
