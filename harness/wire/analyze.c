/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * analyze.c - the library behind "closeprobe analyze": each file into a
 * streaming connection table, finished connections counted and handed
 * to the caller, and the writers of rows, file lines and the summary
 * (see analyze.h).  Nothing here prints on its own.
 */
#include "analyze.h"

#include <sys/socket.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "conntrack.h"
#include "fastfmt.h"
#include "symbols.h"
#include "trace.h"
#include "verdict.h"


struct analyze {
	struct analyze_options options;
	struct analyze_totals totals;
};

/* While a file is read: where finished connections go. */
struct file_reader {
	struct analyze *a;
	const char *file;
	analyze_conn_fn *conn;
	void *ctx;
};

static enum conn_flag
flag_of_index(int i)
{
	return (enum conn_flag)(1u << i);
}

static const char *
side_name(int side)
{
	return side == SIDE_ORIG ? "orig" : "resp";
}

/* An address as text, kept for the next row (the same server, often). */
struct addr_text {
	bool valid;
	int family;
	uint8_t addr[16];
	char text[FASTFMT_ADDR_SIZE];
	size_t len;
};

/* A name with its length, measured once: a JSON row shows several. */
struct word {
	const char *s;
	size_t len;
};

static struct word
word_of(const char *s)
{
	struct word w = { s, strlen(s) };

	return w;
}

/* Where rows go, and what the writer keeps from row to row. */
struct analyze_writer {
	struct fastfmt f;
	bool json;
	size_t file_width;	/* 0: no file column */
	struct addr_text addr[2];	/* last of each side */
	/* The last file name and its JSON string (NULL: none yet). */
	char *file_name, *file_json;
	size_t file_json_len;
	struct word state_word[CONN_STATE_COUNT];
	struct word teardown_word[ANALYZE_TEARDOWN_COUNT];
	struct word role_word[2];	/* the case role of each side */
};

struct analyze_writer *
analyze_writer_new(FILE *out, bool json, size_t file_width)
{
	struct analyze_writer *w;
	int i;

	if (out == NULL) {
		errno = EINVAL;
		return NULL;
	}
	w = malloc(sizeof(*w));
	if (w == NULL)
		return NULL;
	fastfmt_init(&w->f, out);
	w->addr[0].valid = false;
	w->addr[1].valid = false;
	w->file_name = NULL;
	w->file_json = NULL;
	w->json = json;
	w->file_width = file_width;
	for (i = 0; i < CONN_STATE_COUNT; i++)
		w->state_word[i] = word_of(conn_state_name((enum conn_state)i));
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		w->teardown_word[i] =
		    word_of(teardown_class_name((enum teardown_class)i));
	for (i = SIDE_ORIG; i <= SIDE_RESP; i++)
		w->role_word[i] = word_of(case_role_name(
		    verdict_role_of_side((enum conn_side)i)));
	return w;
}

void
analyze_writer_free(struct analyze_writer *w)
{
	if (w == NULL)
		return;
	free(w->file_name);
	free(w->file_json);
	free(w);
}

int
analyze_writer_flush(struct analyze_writer *w)
{
	return fastfmt_flush(&w->f);
}

/* A literal: its length is known at compile time. */
#define PUT_LITERAL(f, s)	fastfmt_mem((f), (s), sizeof(s) - 1)

/* The file name as a JSON string, escaped once per file. */
static void
put_file_json(struct analyze_writer *w, const char *file)
{
	if (w->file_json == NULL || strcmp(w->file_name, file) != 0) {
		free(w->file_json);
		free(w->file_name);
		w->file_name = strdup(file);
		w->file_json = malloc(fastfmt_json_string_size(file));
		if (w->file_name == NULL || w->file_json == NULL) {
			free(w->file_name);
			free(w->file_json);
			w->file_name = NULL;
			w->file_json = NULL;
			fastfmt_json_string(&w->f, file);	/* each time */
			return;
		}
		w->file_json_len = fastfmt_put_json_string(w->file_json, file);
	}
	fastfmt_mem(&w->f, w->file_json, w->file_json_len);
}

/*
 * The text of what a row shows of c, made once per row.  Its start time
 * is not here: each writer formats it in place, with no copy.
 */
struct row_text {
	/* In the writer's cache: arrays of FASTFMT_ADDR_SIZE bytes. */
	const char *addr[2];
	size_t addr_len[2];
	enum teardown_class teardown;
};

static void
row_text(struct analyze_writer *w, const struct conn *c, struct row_text *t)
{
	size_t len = c->family == AF_INET ? 4 : 16;
	struct addr_text *a;
	int side;

	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		a = &w->addr[side];
		if (!a->valid || a->family != c->family ||
		    memcmp(a->addr, c->addr[side], len) != 0) {
			a->len = fastfmt_put_addr(a->text, c->family,
			    c->addr[side]);
			a->family = c->family;
			memcpy(a->addr, c->addr[side], len);
			a->valid = true;
		}
		t->addr[side] = a->text;
		t->addr_len[side] = a->len;
	}
	t->teardown = teardown_classify(c);
}

static void
put_key_u64(struct fastfmt *f, const char *key, size_t key_len, uint64_t v)
{
	fastfmt_mem(f, key, key_len);
	fastfmt_u64(f, v);
}

#define PUT_KEY_U64(f, key, v)	put_key_u64((f), (key), sizeof(key) - 1, (v))

/*
 * A JSON row is written in place, at a pointer into the writer's buffer
 * that stays in a register (appending through struct fastfmt stores and
 * checks its pointer at every item): room for the row is reserved first.
 * Every item but the file name is bounded; the most a row takes after
 * it (64-bit numbers everywhere, IPv6 addresses, every flag) is well
 * below JSON_ROW_MAX.
 */
enum {
	JSON_ROW_MAX = 4096
};

/* A literal at p. */
#define AT_LITERAL(p, s)	(memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/*
 * The first len bytes of buf, an array of the writer's own of size bytes
 * (a constant): all of it copied, in a few moves in place of a call to
 * memcpy(), and the row goes on after the len bytes.  What is copied
 * past them is written over next, or lies past the row's end (within
 * JSON_ROW_MAX) and is never written out.
 */
#define AT_OWN_ARRAY(p, buf, len, size) \
	(memcpy((p), (buf), (size)), (p) + (len))

static char *
at_mem(char *p, const char *s, size_t len)
{
	memcpy(p, s, len);
	return p + len;
}

static char *
at_str(char *p, const char *s)
{
	return at_mem(p, s, strlen(s));
}

/* Inline: some thirty numbers a row, most of them one digit. */
static inline __attribute__((always_inline)) char *
at_u64(char *p, uint64_t v)
{
	/* Most counts in a row are 0 or small. */
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return p + fastfmt_put_u64(p, v);
}

/* A literal key and a number. */
#define AT_KEY_U64(p, key, v)	at_u64(AT_LITERAL((p), (key)), (v))

/* A word of the program's own (nothing in it needs escaping), quoted. */
static char *
at_word(char *p, const char *word)
{
	*p++ = '"';
	p = at_str(p, word);
	*p++ = '"';
	return p;
}

static char *
at_word_of(char *p, struct word word)
{
	return at_mem(p, word.s, word.len);
}

/* The name of conn_state s, measured or (out of range) not. */
static char *
at_state(char *p, const struct analyze_writer *w, enum conn_state s)
{
	if ((unsigned)s < CONN_STATE_COUNT)
		return at_word_of(p, w->state_word[s]);
	return at_str(p, conn_state_name(s));
}

static char *
at_teardown(char *p, const struct analyze_writer *w, enum teardown_class td)
{
	if ((unsigned)td < ANALYZE_TEARDOWN_COUNT)
		return at_word_of(p, w->teardown_word[td]);
	return at_str(p, teardown_class_name(td));
}

/* Seconds since the connection's first packet, as "%.6f". */
static char *
at_rel_seconds(char *p, const struct conn *c, int64_t ts_ns)
{
	return p + fastfmt_put_seconds6(p, ts_ns - c->first_ts_ns);
}

static char *
json_flags(char *p, unsigned flags)
{
	bool first = true;
	int i;

	*p++ = '[';
	for (i = 0; i < CONN_FLAG_COUNT; i++) {
		if (!(flags & flag_of_index(i)))
			continue;
		if (!first)
			*p++ = ',';
		p = at_word(p, conn_flag_name(flag_of_index(i)));
		first = false;
	}
	*p++ = ']';
	return p;
}

static char *
json_side(char *p, const struct conn *c, const struct row_text *t, int side)
{
	const struct conn_half *h = &c->half[side];

	if (side == SIDE_ORIG)
		p = AT_LITERAL(p, "\"orig\":{\"addr\":\"");
	else
		p = AT_LITERAL(p, "\"resp\":{\"addr\":\"");
	p = AT_OWN_ARRAY(p, t->addr[side], t->addr_len[side],
	    FASTFMT_ADDR_SIZE);
	p = AT_KEY_U64(p, "\",\"port\":", c->port[side]);
	p = AT_KEY_U64(p, ",\"packets\":", h->packets);
	p = AT_KEY_U64(p, ",\"payload_packets\":", h->payload_packets);
	p = AT_KEY_U64(p, ",\"bytes_seen\":", h->payload_bytes);
	p = AT_KEY_U64(p, ",\"bytes_acked\":", h->acked_bytes);
	p = AT_KEY_U64(p, ",\"missed_bytes\":", h->missed_bytes);
	p = AT_KEY_U64(p, ",\"hole_bytes\":", h->hole_bytes);
	p = AT_KEY_U64(p, ",\"acked_unseen_bytes\":", h->acked_unseen_bytes);
	p = AT_KEY_U64(p, ",\"unacked_at_rst\":", h->unacked_at_rst);
	p = AT_KEY_U64(p, ",\"peer_unacked_at_rst\":", h->peer_unacked_at_rst);
	p = AT_KEY_U64(p, ",\"retransmissions\":", h->retransmissions);
	p = AT_KEY_U64(p, ",\"zero_windows\":", h->zero_windows);
	p = AT_KEY_U64(p, ",\"rst_count\":", h->rst_count);
	*p++ = '}';
	return p;
}

static char *
json_side_or_null(char *p, int side)
{
	if (side < 0)
		return AT_LITERAL(p, "null");
	return at_word(p, side_name(side));
}

static const char *
rst_kind_word(enum rst_kind kind)
{
	return kind == RST_KIND_BARE ? "bare" : "rst+ack";
}

/*
 * The "wire" object as report_append_wire_json() (judge/report.c) writes
 * it for "closeprobe run --json", byte for byte (check_analyze compares
 * the two), without its allocations and printf().
 */
static char *
json_wire(char *p, const struct analyze_writer *w, const struct conn *c,
    enum teardown_class td)
{
	int side;

	p = AT_LITERAL(p, "{\"teardown\":\"");
	p = at_teardown(p, w, td);
	*p++ = '"';
	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		const struct conn_half *h = &c->half[side];

		p = AT_LITERAL(p, ",\"");
		p = at_word_of(p, w->role_word[side]);
		p = AT_KEY_U64(p, "\":{\"packets\":", h->packets);
		p = AT_KEY_U64(p, ",\"payload_bytes\":", h->payload_bytes);
		p = AT_KEY_U64(p, ",\"acked_bytes\":", h->acked_bytes);
		p = AT_LITERAL(p, ",\"fin\":");
		if (h->fin_seen) {
			p = AT_LITERAL(p, "{\"at_s\":");
			p = at_rel_seconds(p, c, h->fin_ts_ns);
			p = AT_KEY_U64(p, ",\"packet\":", h->fin_index);
			*p++ = '}';
		} else
			p = AT_LITERAL(p, "null");
		p = AT_LITERAL(p, ",\"rst\":");
		if (h->rst_count > 0) {
			p = AT_LITERAL(p, "{\"kind\":");
			p = at_word(p, rst_kind_word(h->first_rst_kind));
			p = AT_LITERAL(p, ",\"at_s\":");
			p = at_rel_seconds(p, c, h->first_rst_ts_ns);
			p = AT_KEY_U64(p, ",\"packet\":", h->first_rst_index);
			p = AT_KEY_U64(p, ",\"count\":", h->rst_count);
			if (conn_rst_is_late(c))
				p = AT_LITERAL(p, ",\"late\":true}");
			else
				p = AT_LITERAL(p, ",\"late\":false}");
		} else
			p = AT_LITERAL(p, "null");
		*p++ = '}';
	}
	*p++ = '}';
	return p;
}

/* ts: seconds since the epoch to the microsecond, rounded exactly. */
static char *
json_epoch_seconds(char *p, int64_t ts_ns)
{
	int64_t us = ts_ns / 1000, rem = ts_ns % 1000;
	uint32_t frac;
	size_t n;

	if (ts_ns < 0)
		return p + fastfmt_put_seconds6(p, ts_ns);
	if (rem >= 500)
		us++;
	n = fastfmt_put_u64(p, (uint64_t)(us / 1000000));
	p[n++] = '.';
	frac = (uint32_t)(us % 1000000);
	memcpy(p + n, fastfmt_digit_pairs + 2 * (frac / 10000), 2);
	memcpy(p + n + 2, fastfmt_digit_pairs + 2 * (frac / 100 % 100), 2);
	memcpy(p + n + 4, fastfmt_digit_pairs + 2 * (frac % 100), 2);
	return p + n + 6;
}

static void
write_json_conn(struct analyze_writer *w, const struct conn *c,
    const char *file)
{
	struct fastfmt *f = &w->f;
	const struct conn_half *o = &c->half[SIDE_ORIG];
	const struct conn_half *r = &c->half[SIDE_RESP];
	struct row_text t;
	char *p;

	row_text(w, c, &t);
	PUT_LITERAL(f, "{\"type\":\"conn\",\"file\":");
	put_file_json(w, file);
	/* Room for the rest of the row: written in place from here. */
	fastfmt_reserve(f, JSON_ROW_MAX);
	p = f->p;
	p = AT_KEY_U64(p, ",\"first_packet\":", c->first_index);
	p = AT_LITERAL(p, ",\"ts\":");
	p = json_epoch_seconds(p, c->first_ts_ns);
	p = AT_LITERAL(p, ",\"start\":\"");
	p += fastfmt_put_time(f, p, c->first_ts_ns);
	p = AT_LITERAL(p, "\",\"id.orig_h\":\"");
	p = AT_OWN_ARRAY(p, t.addr[SIDE_ORIG], t.addr_len[SIDE_ORIG],
	    FASTFMT_ADDR_SIZE);
	p = AT_KEY_U64(p, "\",\"id.orig_p\":", c->port[SIDE_ORIG]);
	p = AT_LITERAL(p, ",\"id.resp_h\":\"");
	p = AT_OWN_ARRAY(p, t.addr[SIDE_RESP], t.addr_len[SIDE_RESP],
	    FASTFMT_ADDR_SIZE);
	p = AT_KEY_U64(p, "\",\"id.resp_p\":", c->port[SIDE_RESP]);
	p = AT_LITERAL(p, ",\"proto\":\"tcp\",\"duration\":");
	p = at_rel_seconds(p, c, c->close_ts_ns);
	p = AT_KEY_U64(p, ",\"orig_bytes\":", o->size);
	p = AT_KEY_U64(p, ",\"resp_bytes\":", r->size);
	p = AT_LITERAL(p, ",\"conn_state\":\"");
	p = at_state(p, w, c->state);
	p = AT_KEY_U64(p, "\",\"missed_bytes\":",
	    o->missed_bytes + r->missed_bytes);
	p = AT_LITERAL(p, ",\"history\":");
	p = at_word(p, c->history);
	if (c->history_truncated)
		p = AT_LITERAL(p, ",\"history_truncated\":true");
	else
		p = AT_LITERAL(p, ",\"history_truncated\":false");
	p = AT_KEY_U64(p, ",\"orig_pkts\":", o->packets);
	p = AT_KEY_U64(p, ",\"resp_pkts\":", r->packets);
	p = AT_LITERAL(p, ",\"last_packet_s\":");
	p = at_rel_seconds(p, c, c->last_ts_ns);
	p = AT_LITERAL(p, ",\"teardown\":\"");
	p = at_teardown(p, w, t.teardown);
	p = AT_LITERAL(p, "\",\"first_fin\":");
	p = json_side_or_null(p, c->first_fin_side);
	p = AT_LITERAL(p, ",\"first_rst\":");
	p = json_side_or_null(p, c->first_rst_side);
	p = AT_LITERAL(p, ",\"rst_kind\":");
	if (c->first_rst_side < 0)
		p = AT_LITERAL(p, "null");
	else
		p = at_word(p,
		    rst_kind_word(c->half[c->first_rst_side].first_rst_kind));
	p = AT_LITERAL(p, ",\"flags\":");
	p = json_flags(p, c->flags);
	*p++ = ',';
	p = json_side(p, c, &t, SIDE_ORIG);
	*p++ = ',';
	p = json_side(p, c, &t, SIDE_RESP);
	p = AT_LITERAL(p, ",\"wire\":");
	p = json_wire(p, w, c, t.teardown);
	p = AT_LITERAL(p, "}\n");
	f->p = p;
}

/* The text table's columns: name and width (0: the last, unpadded). */
static const struct {
	const char *name;
	size_t width;
	bool right;
} text_columns[] = {
	{ "start", 30, false },
	{ "duration", 10, true },
	{ "orig", 22, false },
	{ "resp", 22, false },
	{ "state", 6, false },
	{ "history", 12, false },
	{ "teardown", 12, false },
	{ "fin", 4, false },
	{ "rst", 9, false },
	{ "orig bytes seen/acked", 21, false },
	{ "resp bytes seen/acked", 21, false },
	{ "flags", 0, false }
};

enum text_column {
	COLUMN_START, COLUMN_DURATION, COLUMN_ORIG, COLUMN_RESP, COLUMN_STATE,
	COLUMN_HISTORY, COLUMN_TEARDOWN, COLUMN_FIN, COLUMN_RST,
	COLUMN_ORIG_BYTES, COLUMN_RESP_BYTES, COLUMN_FLAGS
};

/* One cell and the space after it (the last column has none). */
static void
put_cell(struct fastfmt *f, enum text_column col, const char *s, size_t len)
{
	size_t width = text_columns[col].width;

	if (text_columns[col].right)
		fastfmt_right(f, s, len, width);
	else if (width > 0)
		fastfmt_left(f, s, len, width);
	else
		fastfmt_mem(f, s, len);
	if (width > 0)
		fastfmt_char(f, ' ');
}

static void
put_file_cell(struct analyze_writer *w, const char *file)
{
	if (w->file_width == 0)
		return;
	fastfmt_left(&w->f, file, strlen(file), w->file_width);
	fastfmt_char(&w->f, ' ');
}

void
analyze_writer_header(struct analyze_writer *w)
{
	size_t i;

	if (w->json)
		return;
	put_file_cell(w, "file");
	for (i = 0; i < sizeof(text_columns) / sizeof(text_columns[0]); i++)
		put_cell(&w->f, (enum text_column)i, text_columns[i].name,
		    strlen(text_columns[i].name));
	fastfmt_char(&w->f, '\n');
}

/* "[addr]:port" or "addr:port" into buf (FASTFMT_ADDR_SIZE + 16). */
static size_t
put_endpoint(char *buf, const struct conn *c, const struct row_text *t,
    int side)
{
	size_t n = 0;

	if (c->family == AF_INET6)
		buf[n++] = '[';
	memcpy(buf + n, t->addr[side], t->addr_len[side]);
	n += t->addr_len[side];
	if (c->family == AF_INET6)
		buf[n++] = ']';
	buf[n++] = ':';
	return n + fastfmt_put_u64(buf + n, c->port[side]);
}

/* "1,000/2,000": bytes seen / acked, grouped as "closeprobe run" does. */
static size_t
put_seen_acked(char *buf, const struct conn_half *h)
{
	size_t n = fastfmt_put_grouped(buf, h->payload_bytes);

	buf[n++] = '/';
	return n + fastfmt_put_grouped(buf + n, h->acked_bytes);
}

/*
 * The most a text row takes after its file cell: every cell at its
 * widest (64-bit numbers, IPv6 endpoints, all flags) is well below it.
 */
enum {
	TEXT_ROW_MAX = 1024
};

/* The cell that ends at end (it starts at start) padded to col's width. */
static char *
pad_cell(char *start, char *end, enum text_column col)
{
	size_t width = text_columns[col].width, n = (size_t)(end - start);

	if (n < width) {
		memset(end, ' ', width - n);
		end += width - n;
	}
	*end++ = ' ';
	return end;
}

/* A word as a cell at p. */
static char *
word_cell(char *p, const char *word, enum text_column col)
{
	size_t n = strlen(word);

	memcpy(p, word, n);
	return pad_cell(p, p + n, col);
}

static void
write_text_conn(struct analyze_writer *w, const struct conn *c,
    const char *file)
{
	struct fastfmt *f = &w->f;
	char duration[FASTFMT_ITEM_MAX], *p;
	struct row_text t;
	bool first = true;
	size_t n;
	int i;

	row_text(w, c, &t);
	put_file_cell(w, file);
	/* Room for the rest of the row: written in place from here. */
	fastfmt_reserve(f, TEXT_ROW_MAX);
	p = f->p;
	p = pad_cell(p, p + fastfmt_put_time(f, p, c->first_ts_ns),
	    COLUMN_START);
	n = fastfmt_put_seconds6(duration, c->close_ts_ns - c->first_ts_ns);
	if (n < text_columns[COLUMN_DURATION].width) {
		memset(p, ' ', text_columns[COLUMN_DURATION].width - n);
		p += text_columns[COLUMN_DURATION].width - n;
	}
	memcpy(p, duration, n);
	p += n;
	*p++ = ' ';
	p = pad_cell(p, p + put_endpoint(p, c, &t, SIDE_ORIG), COLUMN_ORIG);
	p = pad_cell(p, p + put_endpoint(p, c, &t, SIDE_RESP), COLUMN_RESP);
	p = word_cell(p, conn_state_name(c->state), COLUMN_STATE);
	p = word_cell(p, c->history, COLUMN_HISTORY);
	p = word_cell(p, teardown_class_name(t.teardown), COLUMN_TEARDOWN);
	p = word_cell(p, c->first_fin_side < 0 ? "-" :
	    side_name(c->first_fin_side), COLUMN_FIN);
	if (c->first_rst_side < 0)
		p = word_cell(p, "-", COLUMN_RST);
	else {
		/* "orig/ack", "resp/bare" */
		char *start = p;

		memcpy(p, side_name(c->first_rst_side), 4);
		p[4] = '/';
		p += 5;
		n = c->half[c->first_rst_side].first_rst_kind == RST_KIND_BARE ?
		    4 : 3;
		memcpy(p, n == 4 ? "bare" : "ack", n);
		p = pad_cell(start, p + n, COLUMN_RST);
	}
	p = pad_cell(p, p + put_seen_acked(p, &c->half[SIDE_ORIG]),
	    COLUMN_ORIG_BYTES);
	p = pad_cell(p, p + put_seen_acked(p, &c->half[SIDE_RESP]),
	    COLUMN_RESP_BYTES);
	for (i = 0; i < CONN_FLAG_COUNT; i++) {
		if (!(c->flags & flag_of_index(i)))
			continue;
		if (!first)
			*p++ = ',';
		n = strlen(conn_flag_name(flag_of_index(i)));
		memcpy(p, conn_flag_name(flag_of_index(i)), n);
		p += n;
		first = false;
	}
	if (first)
		*p++ = '-';
	*p++ = '\n';
	f->p = p;
}

int
analyze_writer_conn(struct analyze_writer *w, const struct conn *c,
    const char *file)
{
	if (w->json)
		write_json_conn(w, c, file);
	else
		write_text_conn(w, c, file);
	return fastfmt_error(&w->f) ? -1 : 0;
}

/* The streaming table's callback: count, hand on. */
static int
conn_done(const struct conn *c, void *arg)
{
	struct file_reader *r = arg;
	struct analyze_totals *t = &r->a->totals;
	int i;

	t->connections++;
	if ((unsigned)c->state < CONN_STATE_COUNT)
		t->per_state[c->state]++;
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		if (c->flags & flag_of_index(i))
			t->per_flag[i]++;
	t->per_teardown[teardown_classify(c)]++;
	if (analyze_fail_on_matches(&r->a->options, c))
		t->flagged++;
	return r->conn != NULL ? r->conn(c, r->file, r->ctx) : 0;
}

static void
add_records(struct trace_stats *sum, const struct trace_stats *s)
{
	sum->records += s->records;
	sum->tcp += s->tcp;
	sum->not_tcp += s->not_tcp;
	sum->not_ip += s->not_ip;
	sum->fragments += s->fragments;
	sum->undecodable += s->undecodable;
	sum->truncated += s->truncated;
	sum->bad_header += s->bad_header;
	sum->tunnel_too_deep += s->tunnel_too_deep;
	sum->ip_length_zero += s->ip_length_zero;
	sum->tunneled += s->tunneled;
	sum->oversize += s->oversize;
	sum->bad_timestamp += s->bad_timestamp;
}

static const char *
linktype_name(int linktype)
{
	const char *name = pcap_datalink_val_to_name(linktype);

	return name != NULL ? name : "unknown";
}

static void
write_json_file(struct fastfmt *f, const struct analyze_file_result *r)
{
	const struct trace_stats *s = &r->stats;
	char snaplen[FASTFMT_ITEM_MAX];

	PUT_LITERAL(f, "{\"type\":\"file\",\"file\":");
	fastfmt_json_string(f, r->file);
	PUT_LITERAL(f, ",\"linktype\":");
	fastfmt_json_string(f, linktype_name(s->linktype));
	snprintf(snaplen, sizeof(snaplen), "%d", s->snaplen);
	PUT_LITERAL(f, ",\"snaplen\":");
	fastfmt_str(f, snaplen);
	PUT_KEY_U64(f, ",\"records\":", s->records);
	PUT_KEY_U64(f, ",\"tcp\":", s->tcp);
	PUT_KEY_U64(f, ",\"not_tcp\":", s->not_tcp);
	PUT_KEY_U64(f, ",\"not_ip\":", s->not_ip);
	PUT_KEY_U64(f, ",\"fragments\":", s->fragments);
	PUT_KEY_U64(f, ",\"undecodable\":", s->undecodable);
	PUT_KEY_U64(f, ",\"tunneled\":", s->tunneled);
	PUT_KEY_U64(f, ",\"tunnel_too_deep\":", s->tunnel_too_deep);
	PUT_KEY_U64(f, ",\"ip_length_zero\":", s->ip_length_zero);
	PUT_KEY_U64(f, ",\"oversize\":", s->oversize);
	PUT_KEY_U64(f, ",\"bad_timestamp\":", s->bad_timestamp);
	PUT_KEY_U64(f, ",\"late_packets\":", r->late_packets);
	PUT_LITERAL(f, ",\"error\":");
	if (r->failed)
		fastfmt_json_string(f, r->error);
	else
		PUT_LITERAL(f, "null");
	PUT_LITERAL(f, "}\n");
}

static void
write_text_file(struct fastfmt *f, const struct analyze_file_result *r)
{
	const struct trace_stats *s = &r->stats;
	char line[ANALYZE_ERROR_SIZE];
	int n;

	PUT_LITERAL(f, "file ");
	fastfmt_str(f, r->file);
	n = snprintf(line, sizeof(line), ": %s, snap length %d; %" PRIu64
	    " records: %" PRIu64 " TCP, %" PRIu64 " other IP, %" PRIu64
	    " not IP, %" PRIu64 " fragments, %" PRIu64 " undecodable",
	    linktype_name(s->linktype), s->snaplen, s->records, s->tcp,
	    s->not_tcp, s->not_ip, s->fragments, s->undecodable);
	if (n > 0)
		fastfmt_mem(f, line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
	/* What the decoder had to work around: said only when it happened. */
	if (s->tunneled > 0) {
		PUT_KEY_U64(f, ", ", s->tunneled);
		PUT_LITERAL(f, " in tunnels");
	}
	if (s->tunnel_too_deep > 0) {
		PUT_KEY_U64(f, ", ", s->tunnel_too_deep);
		PUT_LITERAL(f, " tunnelled too deep (of the undecodable)");
	}
	if (s->ip_length_zero > 0) {
		PUT_KEY_U64(f, ", ", s->ip_length_zero);
		PUT_LITERAL(f, " with IP length 0 (TSO or BIG TCP: length from the frame)");
	}
	if (s->oversize > 0) {
		PUT_KEY_U64(f, ", ", s->oversize);
		PUT_LITERAL(f, " longer than the snap length");
	}
	if (s->bad_timestamp > 0) {
		PUT_KEY_U64(f, ", ", s->bad_timestamp);
		PUT_LITERAL(f, " with a time stamp out of range (skipped)");
	}
	if (r->late_packets > 0) {
		PUT_KEY_U64(f, ", ", r->late_packets);
		PUT_LITERAL(f, " late (after the connection's end)");
	}
	fastfmt_char(f, '\n');
}

int
analyze_writer_file(struct analyze_writer *w,
    const struct analyze_file_result *r)
{
	if (w->json)
		write_json_file(&w->f, r);
	else
		write_text_file(&w->f, r);
	return fastfmt_error(&w->f) ? -1 : 0;
}

void
analyze_write_json_summary(FILE *out, const struct analyze_totals *t,
    int status)
{
	int i;

	fprintf(out, "{\"type\":\"summary\",\"files\":%u,\"bad_files\":%u"
	    ",\"records\":%" PRIu64 ",\"tcp\":%" PRIu64 ",\"connections\":%"
	    PRIu64 ",\"conn_state\":{", t->files, t->bad_files,
	    t->records.records, t->records.tcp, t->connections);
	for (i = 0; i < CONN_STATE_COUNT; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
		    conn_state_name((enum conn_state)i), t->per_state[i]);
	fputs("},\"teardown\":{", out);
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
		    teardown_class_name((enum teardown_class)i),
		    t->per_teardown[i]);
	fputs("},\"flags\":{", out);
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		fprintf(out, "%s\"%s\":%" PRIu64, i > 0 ? "," : "",
		    conn_flag_name(flag_of_index(i)), t->per_flag[i]);
	fprintf(out, "},\"fail_on_matched\":%" PRIu64
	    ",\"exit_status\":%d}\n", t->flagged, status);
}

void
analyze_write_text_summary(FILE *out, const struct analyze_totals *t,
    bool fail_on_set)
{
	int i;

	fprintf(out, "summary: %" PRIu64 " connection%s in %u file%s (%u bad); %"
	    PRIu64 " records, %" PRIu64 " TCP\n", t->connections,
	    t->connections == 1 ? "" : "s", t->files, t->files == 1 ? "" : "s",
	    t->bad_files, t->records.records, t->records.tcp);
	fputs("  conn_state:", out);
	for (i = 0; i < CONN_STATE_COUNT; i++)
		fprintf(out, " %s %" PRIu64, conn_state_name((enum conn_state)i),
		    t->per_state[i]);
	fputs("\n  teardown:  ", out);
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		fprintf(out, " %s %" PRIu64,
		    teardown_class_name((enum teardown_class)i),
		    t->per_teardown[i]);
	fputs("\n  flags:     ", out);
	for (i = 0; i < CONN_FLAG_COUNT; i++)
		fprintf(out, " %s %" PRIu64, conn_flag_name(flag_of_index(i)),
		    t->per_flag[i]);
	fputc('\n', out);
	if (fail_on_set)
		fprintf(out, "  fail-on:    %" PRIu64 " connection%s matched\n",
		    t->flagged, t->flagged == 1 ? "" : "s");
}

const char *
analyze_file_label(const char *path)
{
	return strcmp(path, "-") == 0 ? "(stdin)" : path;
}

int
analyze_fail_on_add(struct analyze_options *o, const char *word)
{
	unsigned flag;
	int i;

	if (strcmp(word, "any") == 0) {
		o->fail_on |= ANALYZE_ALL_FLAGS;
		return 0;
	}
	flag = conn_flag_from_name(word);
	if (flag != 0) {
		o->fail_on |= flag;
		return 0;
	}
	for (i = 0; i < ANALYZE_TEARDOWN_COUNT; i++)
		if (strcmp(word, teardown_class_name((enum teardown_class)i)) ==
		    0) {
			o->fail_on_teardown |= 1u << i;
			return 0;
		}
	i = conn_state_from_name(word);
	if (i < 0)
		return -1;
	o->fail_on_state |= 1u << i;
	return 0;
}

bool
analyze_fail_on_set(const struct analyze_options *o)
{
	return o->fail_on != 0 || o->fail_on_teardown != 0 ||
	    o->fail_on_state != 0;
}

bool
analyze_fail_on_matches(const struct analyze_options *o, const struct conn *c)
{
	return (c->flags & o->fail_on) != 0 ||
	    (o->fail_on_teardown & (1u << teardown_classify(c))) != 0 ||
	    ((unsigned)c->state < CONN_STATE_COUNT &&
	    (o->fail_on_state & (1u << c->state)) != 0);
}

struct analyze *
analyze_open(const struct analyze_options *options)
{
	struct analyze *a;

	if (options == NULL) {
		errno = EINVAL;
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return NULL;
	a->options = *options;
	return a;
}

void
analyze_close(struct analyze *a)
{
	free(a);
}

const struct analyze_totals *
analyze_totals(const struct analyze *a)
{
	return &a->totals;
}

enum analyze_status
analyze_status(const struct analyze *a)
{
	if (a->totals.bad_files > 0)
		return ANALYZE_BAD_INPUT;
	return a->totals.flagged > 0 ? ANALYZE_FLAGGED : ANALYZE_OK;
}

int
analyze_file(struct analyze *a, const char *path, analyze_conn_fn *conn,
    void *ctx, struct analyze_file_result *result)
{
	struct conn_stream_params params;
	struct file_reader reader;
	struct conn_table *table;
	int rc, flush_rc;

	memset(result, 0, sizeof(*result));
	result->file = path;
	reader.a = a;
	reader.file = path;
	reader.conn = conn;
	reader.ctx = ctx;
	memset(&params, 0, sizeof(params));
	params.linger_ns = CONN_DEFAULT_LINGER_NS;
	params.idle_ns = CONN_DEFAULT_IDLE_NS;
	params.attempt_ns = CONN_DEFAULT_ATTEMPT_NS;
	params.done = conn_done;
	params.ctx = &reader;
	table = conn_table_new_streaming(&params);
	if (table == NULL) {
		snprintf(result->error, sizeof(result->error), "%s: %s",
		    analyze_file_label(path), strerror(errno));
		result->failed = true;
		a->totals.bad_files++;
		return -1;
	}
	rc = trace_read(path, table, &result->stats, TRACE_STRICT,
	    result->error, sizeof(result->error));
	result->late_packets = conn_table_late_packets(table);
	/* What was read before an error is still handed on. */
	flush_rc = conn_table_flush(table);
	if (flush_rc == -1 && rc == 0) {
		snprintf(result->error, sizeof(result->error),
		    "%s: writing the report: %s", analyze_file_label(path),
		    strerror(errno));
		rc = -1;
	}
	conn_table_free(table);
	a->totals.files++;
	add_records(&a->totals.records, &result->stats);
	if (rc == -1) {
		result->failed = true;
		a->totals.bad_files++;
	}
	return rc;
}
