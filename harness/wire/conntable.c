/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conntable.c - the connection table: look-up, streaming hand-off and
 * expiry, and conn_table_add(), which runs each segment through the
 * tracker's concerns: per-direction stream accounting (stream.c), the
 * Zeek emulation (zeek.c) and closeprobe's teardown record and flags
 * (teardown.c).
 *
 * Every connection lives in an entry that is reachable three ways: the
 * entries array (order of first packet), a hash index on the 4-tuple
 * that holds only the newest connection of each 4-tuple, and a hash
 * index on the unordered port pair that holds the newest connection of
 * each pair.  Both indexes are chained through the entries themselves.
 *
 * In streaming mode the entries array holds only live connections (in
 * no order; each entry knows its slot), the port index is not kept, and
 * two lists ordered by last activity, one of open and one of ended
 * connections, let the oldest be expired in O(1) per segment.
 *
 * Nearly every segment of a bulk transfer is an in-order data segment or
 * a bare ACK on the connection of the segment before: add_established()
 * does for those only the steps that can change something, and the
 * general path (add_general()) takes everything else.  The two must
 * agree on every input: check_fastpath and fuzz_fastpath compare
 * conn_table_add() with conn_table_add_general(), which never takes the
 * fast path.
 */
#include "conntrack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "stream.h"
#include "teardown.h"
#include "zeek.h"

enum index_kind {
	INDEX_TUPLE,		/* family, both addresses and ports */
	INDEX_PORTS,		/* the unordered port pair only */
	INDEX_COUNT
};

enum table_size {
	INITIAL_BUCKETS = 256,	/* a power of two */
	/*
	 * Buckets kept per entry, at the least: a look-up for a 4-tuple
	 * that is not there (every new connection's) mostly finds an empty
	 * bucket, and touches no other connection's memory.
	 */
	BUCKETS_PER_ENTRY = 4,
	INITIAL_ENTRIES = 64,
	/*
	 * Tombs kept per bucket, at the most: a tomb is looked up only for
	 * a segment on no live connection (few), so chains of about one
	 * are short enough, and the index takes a quarter of the memory
	 * (and of the page faults) of BUCKETS_PER_ENTRY.
	 */
	TOMBS_PER_BUCKET = 1
};

/* Activity lists of streaming mode. */
enum activity_list {
	LIST_OPEN,
	LIST_ENDED,
	LIST_COUNT,
	LIST_NONE = LIST_COUNT
};

struct conn_entry {
	struct conn conn;	/* first, so &entry->conn is what callers see */
	struct stream_state stream[2];
	struct zeek_conn zeek;
	struct conn_entry *next[INDEX_COUNT];
	uint64_t hash[INDEX_COUNT];
	bool indexed[INDEX_COUNT];	/* in that hash index's chains */
	/* Streaming mode only. */
	size_t slot;			/* in table->entries */
	enum activity_list list;
	struct conn_entry *older, *newer;
	bool attempt_armed;		/* Zeek's attempt timer is set: */
	int64_t attempt_deadline_ns;	/* when it fires */
};

struct activity {
	struct conn_entry *oldest, *newest;
};

/*
 * Streaming mode: what is left of a connection handed on at its end, for
 * as long as Zeek would keep it (linger_ns after its last packet): its
 * 4-tuple, so that a late packet is told from a new connection.
 */
struct tomb {
	struct tomb *next;		/* hash chain */
	/*
	 * What points at this tomb in its chain: a tomb expires without a
	 * walk along its chain, whose other tombs are not in the cache.
	 */
	struct tomb **pprev;
	struct tomb *newer;		/* in order of retirement */
	uint64_t hash;
	int64_t last_ts_ns;
	int family;
	uint16_t port[2];
	uint8_t addr[2][16];
};

struct tomb_index {
	struct tomb **buckets;
	size_t nbuckets;		/* a power of two, or 0 */
	size_t count;
	struct tomb *oldest, *newest;
	struct tomb *spare;		/* freed tombs, for reuse */
	/*
	 * Where tombs come from: big blocks, so that tombs made one after
	 * the other (as they expire) lie side by side.
	 */
	struct arena arena;
};

struct hash_index {
	struct conn_entry **buckets;
	/*
	 * A bit per bucket, set while it holds an entry: small enough to
	 * stay in the cache, so that a look-up for a 4-tuple that is not
	 * there (each new connection's) mostly reads no bucket at all.
	 */
	uint64_t *occupied;
	size_t nbuckets;	/* a power of two, at least 64 */
	size_t count;
};

static inline bool
bucket_occupied(const struct hash_index *index, size_t slot)
{
	return (index->occupied[slot / 64] >> (slot % 64)) & 1;
}

static inline void
bucket_mark(struct hash_index *index, size_t slot, bool occupied)
{
	uint64_t bit = UINT64_C(1) << (slot % 64);

	if (occupied)
		index->occupied[slot / 64] |= bit;
	else
		index->occupied[slot / 64] &= ~bit;
}

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
	struct tomb_index tombs;
	uint64_t late_packets;		/* absorbed by a tomb */
	/* Complete, to be handed on when the next segment comes. */
	struct conn_entry *retiring;
	/*
	 * Entries freed, for the next connections (linked by older): no
	 * allocation per connection, and memory that is warm.
	 */
	struct conn_entry *spare_entries;
	struct arena entry_arena;	/* where every entry comes from */
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

/*
 * Whether a and b are the same address of family.  Constant lengths: the
 * compiler compares in place.
 */
static inline bool
addr_equal(int family, const uint8_t *a, const uint8_t *b)
{
	return family == AF_INET ? memcmp(a, b, 4) == 0 : memcmp(a, b, 16) == 0;
}

static bool
endpoint_equal(const struct conn *c, int side, const uint8_t *addr,
    uint16_t port)
{
	return c->port[side] == port && addr_equal(c->family, c->addr[side], addr);
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
/* On every segment: inlined into both entry points. */
static inline __attribute__((always_inline)) int
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
	index->occupied = calloc(INITIAL_BUCKETS / 64, sizeof(*index->occupied));
	if (index->buckets == NULL || index->occupied == NULL)
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
	uint64_t *occupied;
	size_t nbuckets, i, slot;

	nbuckets = index->nbuckets * 2;
	if (nbuckets < index->nbuckets)
		return;
	buckets = calloc(nbuckets, sizeof(*buckets));
	occupied = calloc(nbuckets / 64, sizeof(*occupied));
	if (buckets == NULL || occupied == NULL) {
		free(buckets);
		free(occupied);
		return;
	}
	for (i = 0; i < index->nbuckets; i++) {
		for (e = index->buckets[i]; e != NULL; e = next) {
			next = e->next[kind];
			slot = (size_t)(e->hash[kind] & (nbuckets - 1));
			e->next[kind] = buckets[slot];
			buckets[slot] = e;
			occupied[slot / 64] |= UINT64_C(1) << (slot % 64);
		}
	}
	free(index->buckets);
	free(index->occupied);
	index->buckets = buckets;
	index->occupied = occupied;
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
	bucket_mark(index, slot, true);
	index->count++;
	if (index->count > index->nbuckets / BUCKETS_PER_ENTRY)
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
			if (index->buckets[slot] == NULL)
				bucket_mark(index, slot, false);
			return;
		}
	}
}

static struct conn_entry *
find_tuple(const struct conn_table *table, const struct tcp_segment *seg,
    uint64_t hash)
{
	const struct hash_index *index = &table->index[INDEX_TUPLE];
	size_t slot = (size_t)(hash & (index->nbuckets - 1));
	struct conn_entry *e;

	if (!bucket_occupied(index, slot))
		return NULL;
	e = index->buckets[slot];
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

/* Whether t is the tomb of seg's 4-tuple, either way round. */
static bool
tomb_matches(const struct tomb *t, const struct tcp_segment *seg)
{
	int f = seg->family;

	if (t->family != f)
		return false;
	if (t->port[0] == seg->src_port && t->port[1] == seg->dst_port &&
	    addr_equal(f, t->addr[0], seg->src_addr) &&
	    addr_equal(f, t->addr[1], seg->dst_addr))
		return true;
	return t->port[1] == seg->src_port && t->port[0] == seg->dst_port &&
	    addr_equal(f, t->addr[1], seg->src_addr) &&
	    addr_equal(f, t->addr[0], seg->dst_addr);
}

/* The tomb of seg's 4-tuple, or NULL. */
static struct tomb *
tomb_find(const struct conn_table *table, const struct tcp_segment *seg,
    uint64_t hash)
{
	const struct tomb_index *ti = &table->tombs;
	struct tomb *t;

	if (ti->count == 0)
		return NULL;
	for (t = ti->buckets[hash & (ti->nbuckets - 1)]; t != NULL; t = t->next)
		if (t->hash == hash && tomb_matches(t, seg))
			return t;
	return NULL;
}

/* t first in the chain at *head. */
static void
tomb_chain_push(struct tomb **head, struct tomb *t)
{
	t->next = *head;
	t->pprev = head;
	if (*head != NULL)
		(*head)->pprev = &t->next;
	*head = t;
}

/* Rehash into twice the buckets (256 at first); on ENOMEM keep them. */
static int
tomb_index_grow(struct tomb_index *ti)
{
	size_t nbuckets = ti->nbuckets == 0 ? INITIAL_BUCKETS : ti->nbuckets * 2;
	struct tomb **buckets, *t, *next;
	size_t i, slot;

	buckets = calloc(nbuckets, sizeof(*buckets));
	if (buckets == NULL)
		return ti->nbuckets == 0 ? -1 : 0;
	for (i = 0; i < ti->nbuckets; i++)
		for (t = ti->buckets[i]; t != NULL; t = next) {
			next = t->next;
			slot = (size_t)(t->hash & (nbuckets - 1));
			tomb_chain_push(&buckets[slot], t);
		}
	free(ti->buckets);
	ti->buckets = buckets;
	ti->nbuckets = nbuckets;
	return 0;
}

/* A tomb for c (hash: of its 4-tuple).  -1 on ENOMEM, nothing changed. */
static int
tomb_add(struct tomb_index *ti, const struct conn *c, uint64_t hash)
{
	struct tomb *t;

	if (ti->count >= ti->nbuckets / TOMBS_PER_BUCKET &&
	    tomb_index_grow(ti) == -1)
		return -1;
	t = ti->spare;
	if (t != NULL)
		ti->spare = t->next;
	else if ((t = arena_alloc(&ti->arena)) == NULL)
		return -1;
	t->hash = hash;
	t->last_ts_ns = c->last_ts_ns;
	t->family = c->family;
	memcpy(t->port, c->port, sizeof(t->port));
	memcpy(t->addr, c->addr, sizeof(t->addr));
	tomb_chain_push(&ti->buckets[hash & (ti->nbuckets - 1)], t);
	t->newer = NULL;
	if (ti->newest != NULL)
		ti->newest->newer = t;
	else
		ti->oldest = t;
	ti->newest = t;
	ti->count++;
	return 0;
}

/* Out of the hash chains; the caller unlinks it from the order. */
static void
tomb_unchain(struct tomb_index *ti, struct tomb *t)
{
	*t->pprev = t->next;
	if (t->next != NULL)
		t->next->pprev = t->pprev;
	ti->count--;
}

/* Tombs whose linger is over by now_ns. */
static void __attribute__((noinline))
tombs_expire(struct tomb_index *ti, int64_t now_ns, int64_t linger_ns)
{
	struct tomb *t;

	while ((t = ti->oldest) != NULL && now_ns - t->last_ts_ns > linger_ns) {
		ti->oldest = t->newer;
		if (ti->oldest == NULL)
			ti->newest = NULL;
		tomb_unchain(ti, t);
		t->next = ti->spare;
		ti->spare = t;
	}
}

static void
tomb_index_free(struct tomb_index *ti)
{
	arena_free_all(&ti->arena);
	free(ti->buckets);
}

struct conn_table *
conn_table_new(void)
{
	struct conn_table *table;
	int i;

	table = calloc(1, sizeof(*table));
	if (table == NULL)
		return NULL;
	arena_init(&table->entry_arena, sizeof(struct conn_entry));
	arena_init(&table->tombs.arena, sizeof(struct tomb));
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
	    params->idle_ns < 0 || params->attempt_ns < 0) {
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

/* Done with e: what it holds is freed, e kept for a next connection. */
static void
conn_entry_recycle(struct conn_table *table, struct conn_entry *e)
{
	stream_free(&e->stream[SIDE_ORIG]);
	stream_free(&e->stream[SIDE_RESP]);
	e->older = table->spare_entries;
	table->spare_entries = e;
}

/* What e holds; e itself goes with the table's arena. */
static void
conn_entry_free(struct conn_entry *e)
{
	if (e == NULL)
		return;
	stream_free(&e->stream[SIDE_ORIG]);
	stream_free(&e->stream[SIDE_RESP]);
}

void
conn_table_free(struct conn_table *table)
{
	size_t i;
	int k;

	if (table == NULL)
		return;
	/* Spare entries hold nothing: conn_entry_recycle() freed it. */
	for (i = 0; i < table->count; i++)
		conn_entry_free(table->entries[i]);
	arena_free_all(&table->entry_arena);
	free(table->entries);
	for (k = 0; k < INDEX_COUNT; k++) {
		free(table->index[k].buckets);
		free(table->index[k].occupied);
	}
	tomb_index_free(&table->tombs);
	free(table);
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
conn_entry_new(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index)
{
	struct conn_entry *e;
	struct conn *c;
	size_t addr_len;
	int orig_is_src;

	e = table->spare_entries;
	if (e != NULL)
		table->spare_entries = e->older;
	else if ((e = arena_alloc(&table->entry_arena)) == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
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
	c->close_ts_ns = seg->ts_ns;
	c->first_index = index;
	c->first_fin_side = -1;
	c->first_rst_side = -1;
	/* Zeek flips a connection first seen as a SYN+ACK. */
	c->flipped = !orig_is_src;
	c->state = CONN_STATE_OTH;
	zeek_init(&e->zeek, c);
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

/* Sizes, holes, flags and conn_state, from what the packets left. */
static void
entry_finish(struct conn_entry *e)
{
	struct conn *c = &e->conn;
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		stream_finish(&e->stream[side], &c->half[side]);
		c->half[side].size = zeek_size(&e->zeek, c,
		    (enum conn_side)side);
	}
	teardown_finish(c);
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

	entry_finish(e);
	rc = table->params.done(&e->conn, table->params.ctx);
	saved_errno = errno;
	entry_detach(table, e);
	conn_entry_recycle(table, e);
	errno = saved_errno;
	return rc == 0 ? 0 : -1;
}

/*
 * Streaming: nothing more is to come on e (an RST, or both FINs and both
 * acknowledged): hand it on and free it now, leaving a tomb.  If the tomb
 * cannot be had, e lingers as before.  -1 if the callback failed.
 */
static int
entry_retire(struct conn_table *table, struct conn_entry *e)
{
	if (tomb_add(&table->tombs, &e->conn, e->hash[INDEX_TUPLE]) == -1)
		return 0;
	return entry_release(table, e);
}

/*
 * Whether every packet c's end calls for has come: both FINs, both
 * acknowledged, and no RST.  After an RST the peer's data still queued or
 * in flight may arrive, and draw RSTs of its own: such a connection
 * lingers, as in Zeek.
 */
static bool
conn_complete(const struct conn_entry *e)
{
	const struct conn *c = &e->conn;
	int side;

	if (c->first_rst_side >= 0)
		return false;
	for (side = SIDE_ORIG; side <= SIDE_RESP; side++)
		if (!c->half[side].fin_seen || e->stream[side].highest_ack <=
		    (int64_t)c->half[side].fin_offset)
			return false;
	return true;
}

/* Streaming: hand on what has been quiet long enough by now_ns. */
static inline __attribute__((always_inline)) int
expire_quiet(struct conn_table *table, int64_t now_ns)
{
	struct conn_entry *e;

	/* Inline, the test whether there is anything to do: it mostly is not. */
	if (table->tombs.oldest != NULL &&
	    now_ns - table->tombs.oldest->last_ts_ns > table->params.linger_ns)
		tombs_expire(&table->tombs, now_ns, table->params.linger_ns);
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
 * letter ('D' or 'A').  What follows is what add_general() does for such
 * a segment, in the same order (history letters are appended as they
 * come); the parts left out cannot change anything for it:
 * - zeek_before(): the endpoint is not INACTIVE; the history letter is
 *   already there; no FIN;
 * - stream_reserve(), stream_track_sender(): no SYN or RST; data that
 *   starts at highest_end neither opens nor fills a hole (every hole
 *   lies below highest_end);
 * - teardown_track(): no RST, no FIN, so nothing;
 * - stream_track_ack(), zeek_ack(): both bases set, the peer is not
 *   INACTIVE;
 * - zeek_update_state(): an ESTABLISHED endpoint only moves on SYN, FIN
 *   or RST.
 * check_fastpath and fuzz_fastpath hold the two paths to that.  False
 * (and nothing changed) if the segment is not of that kind.
 */
static inline bool
add_established(struct conn_table *table, struct conn_entry *e,
    enum conn_side side, const struct tcp_segment *seg)
{
	struct conn *c = &e->conn;
	enum conn_side peer_side = conn_side_other(side);
	struct conn_half *h = &c->half[side];
	struct conn_half *peer = &c->half[peer_side];
	struct stream_state *st = &e->stream[side];
	struct stream_state *peer_st = &e->stream[peer_side];
	int64_t offset, end, ack_offset;

	if ((seg->flags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST |
	    TCP_FLAG_ACK)) != TCP_FLAG_ACK)
		return false;
	if (h->state != ENDPOINT_ESTABLISHED ||
	    peer->state != ENDPOINT_ESTABLISHED ||
	    !st->have_base || !peer_st->have_base)
		return false;
	if (!zeek_history_has(&e->zeek, side, seg->payload_len > 0 ?
	    ZEEK_HIST_DATA_PKT : ZEEK_HIST_ACK_PKT))
		return false;
	offset = stream_offset(st, seg->seq);
	if (seg->payload_len > 0 && offset != st->highest_end)
		return false;
	end = offset + (int64_t)seg->payload_len;

	h->packets++;
	c->last_ts_ns = seg->ts_ns;
	c->close_ts_ns = seg->ts_ns;	/* neither side has closed */
	/* zeek_before() */
	if (seg->window == 0)
		zeek_zero_window(&e->zeek, c, side);
	/* stream_track_sender() */
	stream_note_offset(st, end);
	if (seg->payload_len > 0) {
		if (peer->fin_seen)
			st->data_after_peer_fin = true;
		st->highest_end = end;
		h->payload_packets++;
	}
	h->payload_bytes = stream_offset_bytes(st->highest_end);
	if (seg->window == 0)
		h->zero_window_seen = true;
	st->last_window = seg->window;
	st->window_seen = true;
	/* stream_track_ack() */
	ack_offset = stream_offset(peer_st, seg->ack);
	stream_note_offset(peer_st, ack_offset);
	if (ack_offset > peer_st->highest_ack)
		peer_st->highest_ack = ack_offset;
	stream_update_acked(peer, peer_st);
	/* zeek_ack() */
	zeek_ack_advance(&e->zeek.ep[peer_side], seg, ack_offset);
	zeek_update_last(&e->zeek, c, side, seg, end);
	zeek_gap(&e->zeek, c, side, peer_st, ack_offset);
	if (table->streaming)
		activity_touch(table, e);
	return true;
}

/* Zeek's did_close, as far as headers tell it: a FIN or an RST sent. */
static bool
side_closed(const struct conn_half *h)
{
	return h->fin_seen || h->rst_count > 0;
}

/*
 * Zeek's attempt timer has fired on e by now (streaming mode): the
 * originator is still waiting for an answer to its SYN, so the
 * connection was done and the segment starts a new one.
 */
static bool
attempt_expired(const struct conn_table *table, const struct conn_entry *e)
{
	enum tcp_endpoint_state orig = e->conn.half[SIDE_ORIG].state;

	return e->attempt_armed && table->now_ns >= e->attempt_deadline_ns &&
	    (orig == ENDPOINT_SYN_SENT || orig == ENDPOINT_SYN_ACK_SENT) &&
	    e->conn.half[SIDE_RESP].state == ENDPOINT_INACTIVE;
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
	int64_t offset, one_past, ack_offset;
	uint64_t hash = 0;
	bool hashed = false, has_ack, syn;

	e = last_side >= 0 ? table->last : NULL;
	if (e == NULL) {
		tuple_key_from_segment(seg, &key);
		hash = tuple_hash(&key);
		hashed = true;
		e = find_tuple(table, seg, hash);
	}
	/*
	 * Late on a connection handed on.  A SYN starts a new one whatever
	 * the tomb says, and while that one lives it is found first; the
	 * tomb expires before the new connection could leave without a tomb
	 * of its own (it is quiet for linger_ns first).
	 */
	if (e == NULL && table->tombs.count > 0 && !segment_is_bare_syn(seg) &&
	    tomb_find(table, seg, hash) != NULL) {
		table->late_packets++;
		return 0;
	}
	if (e == NULL || segment_starts_new_conn(e, seg) ||
	    attempt_expired(table, e)) {
		old = e;
		if (!hashed) {
			tuple_key_from_segment(seg, &key);
			hash = tuple_hash(&key);
		}
		if (entries_reserve(table) == -1)
			return -1;
		e = conn_entry_new(table, seg, index);
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
	if (stream_reserve(st, seg, offset) == -1)
		return -1;

	/* Zeek's segment length: SYN and FIN count, an RST's data not. */
	one_past = offset + (syn ? 1 : 0) +
	    ((seg->flags & TCP_FLAG_FIN) ? 1 : 0) +
	    ((seg->flags & TCP_FLAG_RST) ? 0 : (int64_t)seg->payload_len);

	/* Zeek arms its attempt timer on the originator's first SYN. */
	if (table->params.attempt_ns > 0 && side == SIDE_ORIG && syn &&
	    e->conn.half[SIDE_ORIG].state == ENDPOINT_INACTIVE) {
		e->attempt_armed = true;
		e->attempt_deadline_ns = seg->ts_ns + table->params.attempt_ns;
	}
	e->conn.half[side].packets++;
	e->conn.last_ts_ns = seg->ts_ns;
	if (!side_closed(&e->conn.half[SIDE_ORIG]) ||
	    !side_closed(&e->conn.half[SIDE_RESP]))
		e->conn.close_ts_ns = seg->ts_ns;
	zeek_before(&e->zeek, &e->conn, side, seg, offset, one_past);
	stream_track_sender(&e->conn, side, st, seg, offset);
	teardown_track(&e->conn, side, e->stream, seg, index, offset);
	has_ack = stream_track_ack(&e->conn, side,
	    &e->stream[conn_side_other(side)], seg, &ack_offset);
	if (has_ack)
		zeek_ack(&e->zeek, &e->conn, side, seg, ack_offset);
	zeek_update_last(&e->zeek, &e->conn, side, seg, one_past);
	zeek_update_state(&e->conn, side, seg);
	if (has_ack)
		zeek_gap(&e->zeek, &e->conn, side,
		    &e->stream[conn_side_other(side)], ack_offset);

	if (table->streaming) {
		activity_touch(table, e);
		/* The connection a new SYN took the 4-tuple from is done. */
		if (old != NULL && entry_release(table, old) == -1)
			return -1;
		/*
		 * Handed on at the start of the next call, so that a failing
		 * callback stops that segment, not this one.
		 */
		if (conn_complete(e))
			table->retiring = e;
	}
	return 0;
}

/* conn_table_add(), with or without the fast path (a constant). */
static inline __attribute__((always_inline)) int
table_add(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index, bool fast_path)
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
		if (table->retiring != NULL) {
			e = table->retiring;
			table->retiring = NULL;
			if (entry_retire(table, e) == -1)
				return -1;
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
		if (fast_path && side >= 0 &&
		    add_established(table, e, (enum conn_side)side, seg))
			return 0;
	}
	return add_general(table, seg, index, side);
}

int
conn_table_add(struct conn_table *table, const struct tcp_segment *seg,
    uint64_t index)
{
	return table_add(table, seg, index, true);
}

int
conn_table_add_general(struct conn_table *table,
    const struct tcp_segment *seg, uint64_t index)
{
	return table_add(table, seg, index, false);
}


uint64_t
conn_table_late_packets(const struct conn_table *table)
{
	return table == NULL ? 0 : table->late_packets;
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
			entry_finish(table->entries[i]);
		return 0;
	}
	table->retiring = NULL;		/* handed on below with the rest */
	count = table->count;
	qsort(table->entries, count, sizeof(*table->entries),
	    compare_first_index);
	for (i = 0; i < count; i++) {
		e = table->entries[i];
		e->slot = i;
		entry_finish(e);
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
		conn_entry_recycle(table, e);
	}
	if (rc == -1)
		errno = saved_errno;
	return rc;
}
