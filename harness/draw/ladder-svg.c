/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder-svg.c - drawing the ladder diagram: folding into rows, layout
 * and SVG.
 *
 * Drawing happens in two passes: layout() turns the model into rows
 * (one event each, long stretches folded into bands) with their heights
 * and the lanes' positions, so the document's size is known; then the
 * writers emit the header, lanes, rows and the foot.  Styles are
 * presentation attributes (what every SVG viewer understands, printed or
 * not); fonts are generic families only; arrowheads are drawn polygons.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "ladder-int.h"
#include "markup.h"
#include "svg.h"
#include "units.h"

/* Geometry, in SVG user units (pixels at 100%). */
enum layout {
	MARGIN = 16,
	TIME_COLUMN = 112,	/* right edge of the times, from the margin */
	LANE_SPACING = 150,	/* between lanes of one end */
	WIRE_GAP_MIN = 500,	/* between the two ends' wire lanes */
	WIRE_GAP_MAX = 1200,
	LANE_BOX_WIDTH = 128,
	LANE_BOX_HEIGHT = 38,
	TITLE_SIZE = 20,
	TEXT_SIZE = 12,
	SUMMARY_SIZE = 13,
	SUMMARY_LINE = 18,
	ROW_CALL = 26,
	ROW_SEGMENT = 30,
	ROW_BAND = 54,
	GAP_BREAK = 24,		/* extra space where a pause was cut out */
	ARROW_DROP = 8,		/* an arrow falls 2 x this across the wire */
	ARROW_HEAD = 10,
	BAR_HEIGHT = 18,
	SUB_BAR_HEIGHT = 8,
	BAR_MIN_SPAN = 4,	/* a non-empty span stays visible */
	BAR_WIDTH_MAX = 760,
	FOOT_LINE = 17,
	LEGEND_WIDTH = 190,
	LEGEND_ROW = 22,
	LEGEND_SAMPLE = 40
};

/*
 * Estimated advance of a character at TEXT_SIZE in a generic sans-serif
 * (DejaVu Sans, Liberation Sans, Helvetica): wide enough for digits, so
 * boxes sized from it hold their text.
 */
static const double char_width = 7.2;
static const double summary_char_width = 7.4;

static const int64_t gap_floor_ns = 1000000;	/* pauses under 1 ms are not cut */
static const int gap_median_factor = 10;	/* ... nor under 10 typical gaps */
static const int64_t seconds_span_ns = INT64_C(10000000000);	/* print s above */

/* Colours: also told apart by width, dashes and words, for print. */
static const char colour_ink[] = "#263238";
static const char colour_muted[] = "#607d8b";
static const char colour_stripe[] = "#f4f6f8";
static const char colour_lane[] = "#78909c";
static const char colour_call[] = "#455a64";
static const char colour_signal[] = "#6a1b9a";
static const char colour_syn[] = "#37474f";
static const char colour_data[] = "#1565c0";
static const char colour_data_fill[] = "#d6e6fa";
static const char colour_ack[] = "#90a4ae";
static const char colour_ack_text[] = "#546e7a";
static const char colour_ack_fill[] = "#eceff1";
static const char colour_fin[] = "#2e7d32";
static const char colour_rst[] = "#c62828";
static const char colour_rst_fill[] = "#fde4e1";
static const char colour_retransmit[] = "#ef6c00";
static const char colour_lost[] = "#d50000";

static const char *const loss_names[LADDER_LOSS_KIND_COUNT] = {
	[LADDER_LOSS_NEVER_ON_WIRE] = "never on the wire",
	[LADDER_LOSS_ON_WIRE_NEVER_READ] = "on the wire, never read",
	[LADDER_LOSS_DISCARDED] = "discarded in the reader's queue",
	[LADDER_LOSS_IN_FLIGHT] = "lost in flight",
};

static const char *const loss_colours[LADDER_LOSS_KIND_COUNT] = {
	[LADDER_LOSS_NEVER_ON_WIRE] = "#c62828",
	[LADDER_LOSS_ON_WIRE_NEVER_READ] = "#f09000",
	[LADDER_LOSS_DISCARDED] = "#8d6e63",
	[LADDER_LOSS_IN_FLIGHT] = "#7b1fa2",
};

static const char colour_read[] = "#43a047";
static const char colour_unaccounted[] = "#bdbdbd";

static const char *const end_names[LADDER_END_COUNT] = {
	[LADDER_END_CLIENT] = "client",
	[LADDER_END_SERVER] = "server",
};

const char *
ladder_loss_kind_name(enum ladder_loss_kind kind)
{
	if ((unsigned)kind >= LADDER_LOSS_KIND_COUNT)
		return "unknown";
	return loss_names[kind];
}

/* Layout: rows */

enum row_kind {
	ROW_KIND_CALL,
	ROW_KIND_SEGMENT,
	ROW_KIND_BAND
};

enum {
	BAND_KINDS = 3,		/* data, no payload, RST */
	BAND_GROUPS = LADDER_END_COUNT * BAND_KINDS,
	BAND_MIN = 4		/* fewer segments of a kind are drawn as they are */
};

/* A folded run of one direction's data segments or pure ACKs. */
struct band {
	enum ladder_end from;
	bool data;
	bool rst;		/* RSTs past the first: a storm answering late segments */
	size_t with_ack;	/* of the RSTs, RST+ACKs */
	size_t count;
	uint64_t lo, hi;	/* bytes lo-hi, or ack lo-hi */
	bool range_seen;
	size_t retransmissions, lost;
	int64_t first_ns, last_ns;
	size_t first_order;
};

struct row {
	enum row_kind kind;
	const struct ladder_call *call;
	const struct ladder_entry *seg;
	struct band band;
	int64_t at_ns;
	double y;		/* the row's centre line */
	double top, bottom;
	bool gap_before;
	int64_t gap_ns;
};

struct layout_state {
	const struct ladder *l;
	const struct ladder_entry **segs;	/* by time */
	const struct ladder_call **calls;	/* by start */
	int64_t *call_ends;		/* sorted */
	bool *keep;			/* per sorted segment: drawn in full */
	struct row *rows;
	size_t nrows, rows_cap;
	int64_t t0, t_last;
	bool seconds;
	double wire_x[LADDER_END_COUNT];	/* where the segments start and end */
	double width, height;
	double lanes_top, rows_top, rows_bottom, foot_top;
	size_t summary_lines;
	size_t summary_columns;
};

static int
compare_segs(const void *a, const void *b)
{
	const struct ladder_entry *x = *(const struct ladder_entry *const *)a;
	const struct ladder_entry *y = *(const struct ladder_entry *const *)b;

	if (x->s.at_ns != y->s.at_ns)
		return x->s.at_ns < y->s.at_ns ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_calls(const void *a, const void *b)
{
	const struct ladder_call *x = *(const struct ladder_call *const *)a;
	const struct ladder_call *y = *(const struct ladder_call *const *)b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_times(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static bool
is_teardown(const struct ladder_segment *s)
{
	return (s->flags & (LADDER_SEG_FIN | LADDER_SEG_RST)) != 0;
}

/*
 * Which segments are drawn in full whatever the stretch: SYN, and each
 * end's first FIN and first RST with the keep segments on either side.
 * Later RSTs (a closed socket answering each
 * late segment) fold like the rest, into a band of their own.
 */
static void
mark_kept(struct layout_state *st)
{
	size_t n = st->l->nsegs, keep = st->l->fold_keep, i, j, from, to;
	bool fin_seen[LADDER_END_COUNT] = { false }, rst_seen[LADDER_END_COUNT] = { false };

	for (i = 0; i < n; i++) {
		const struct ladder_segment *s = &st->segs[i]->s;
		bool first;

		if (s->flags & LADDER_SEG_SYN)
			st->keep[i] = true;
		if (!is_teardown(s))
			continue;
		first = (s->flags & LADDER_SEG_RST) ? !rst_seen[s->from] : !fin_seen[s->from];
		if (s->flags & LADDER_SEG_RST)
			rst_seen[s->from] = true;
		if (s->flags & LADDER_SEG_FIN)
			fin_seen[s->from] = true;
		if (!first)
			continue;
		from = i > keep ? i - keep : 0;
		to = n - i - 1 > keep ? i + keep : n - 1;
		for (j = from; j <= to; j++)
			st->keep[j] = true;
	}
}

/* How many calls have ended at or before t: a stretch never spans one. */
static size_t
calls_ended_by(const struct layout_state *st, int64_t t)
{
	size_t lo = 0, hi = st->l->ncalls, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->call_ends[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct row *
new_row(struct layout_state *st, enum row_kind kind, int64_t at_ns)
{
	struct row *r, *grown;

	grown = grow_array(st->rows, &st->rows_cap, st->nrows, sizeof(*st->rows));
	if (grown == NULL)
		return NULL;
	st->rows = grown;
	r = &st->rows[st->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->at_ns = at_ns;
	return r;
}

static void
band_add(struct band *b, const struct ladder_segment *s, size_t order)
{
	uint64_t lo, hi;

	if (b->rst) {
		lo = hi = s->seq;
		b->with_ack += (s->flags & LADDER_SEG_ACK) != 0;
	} else if (b->data) {
		lo = s->seq;
		hi = s->seq + s->len;
	} else if (s->flags & LADDER_SEG_ACK) {
		lo = hi = s->ack;
	} else
		lo = hi = 0;
	if (b->count == 0) {
		b->first_ns = s->at_ns;
		b->first_order = order;
	}
	if (b->data || b->rst || (s->flags & LADDER_SEG_ACK)) {
		if (!b->range_seen || lo < b->lo)
			b->lo = lo;
		if (!b->range_seen || hi > b->hi)
			b->hi = hi;
		b->range_seen = true;
	}
	b->count++;
	b->last_ns = s->at_ns;
	b->retransmissions += s->retransmission;
	b->lost += s->lost_in_flight;
}

static int
compare_bands(const void *a, const void *b)
{
	const struct band *x = a, *y = b;

	/* Data before the ACKs that answer it, then as they came. */
	if (x->data != y->data)
		return x->data ? -1 : 1;
	return x->first_order < y->first_order ? -1 : x->first_order > y->first_order;
}

/* A stretch's segments fold by direction and kind: data, no payload, RST. */
static size_t
band_group(const struct ladder_segment *s)
{
	return (size_t)s->from * BAND_KINDS +
	    ((s->flags & LADDER_SEG_RST) ? 2 : s->len > 0 ? 0 : 1);
}

static int
segment_row(struct layout_state *st, size_t i)
{
	struct row *r = new_row(st, ROW_KIND_SEGMENT, st->segs[i]->s.at_ns);

	if (r == NULL)
		return -1;
	r->seg = st->segs[i];
	return 0;
}

/*
 * Rows for the sorted segments [from, to): each its own row, or, past
 * the threshold, one band per direction and kind (data, pure ACK).  A
 * kind with too few segments for a band (a lone request in the middle
 * of an answer) is drawn in full where it came, splitting the stretch
 * around it; each split removes a kind, so the recursion is shallow.
 */
static int
flush_stretch(struct layout_state *st, size_t from, size_t to)
{
	struct band bands[BAND_GROUPS];
	size_t counts[BAND_GROUPS] = { 0 }, i, nbands = 0, k, sub;
	bool sparse = false;
	struct row *r;

	if (from == to)
		return 0;
	if (st->l->fold_threshold == 0 || to - from <= st->l->fold_threshold) {
		for (i = from; i < to; i++)
			if (segment_row(st, i) < 0)
				return -1;
		return 0;
	}
	for (i = from; i < to; i++)
		counts[band_group(&st->segs[i]->s)]++;
	for (k = 0; k < BAND_GROUPS; k++)
		if (counts[k] > 0 && counts[k] < BAND_MIN)
			sparse = true;
	if (sparse) {
		sub = from;
		for (i = from; i < to; i++) {
			if (counts[band_group(&st->segs[i]->s)] >= BAND_MIN)
				continue;
			if (flush_stretch(st, sub, i) < 0 || segment_row(st, i) < 0)
				return -1;
			sub = i + 1;
		}
		return flush_stretch(st, sub, to);
	}
	memset(bands, 0, sizeof(bands));
	for (k = 0; k < BAND_GROUPS; k++) {
		bands[k].from = (enum ladder_end)(k / BAND_KINDS);
		bands[k].data = k % BAND_KINDS == 0;
		bands[k].rst = k % BAND_KINDS == 2;
	}
	for (i = from; i < to; i++)
		band_add(&bands[band_group(&st->segs[i]->s)], &st->segs[i]->s, st->segs[i]->order);
	for (k = 0; k < BAND_GROUPS; k++)
		if (bands[k].count > 0)
			bands[nbands++] = bands[k];
	qsort(bands, nbands, sizeof(bands[0]), compare_bands);
	for (k = 0; k < nbands; k++) {
		r = new_row(st, ROW_KIND_BAND, bands[k].first_ns);
		if (r == NULL)
			return -1;
		r->band = bands[k];
	}
	return 0;
}

/* Merge calls and segments into rows, in time order. */
static int
build_rows(struct layout_state *st)
{
	const struct ladder *l = st->l;
	size_t i = 0, j = 0, stretch = 0, epoch = 0;
	struct row *r;

	while (i < l->nsegs || j < l->ncalls) {
		if (j < l->ncalls && (i == l->nsegs ||
		    st->calls[j]->start_ns < st->segs[i]->s.at_ns ||
		    (st->calls[j]->start_ns == st->segs[i]->s.at_ns &&
		    st->calls[j]->order < st->segs[i]->order))) {
			if (flush_stretch(st, stretch, i) < 0)
				return -1;
			stretch = i;
			r = new_row(st, ROW_KIND_CALL, st->calls[j]->start_ns);
			if (r == NULL)
				return -1;
			r->call = st->calls[j++];
			continue;
		}
		if (st->keep[i]) {
			if (flush_stretch(st, stretch, i) < 0)
				return -1;
			r = new_row(st, ROW_KIND_SEGMENT, st->segs[i]->s.at_ns);
			if (r == NULL)
				return -1;
			r->seg = st->segs[i];
			stretch = ++i;
			continue;
		}
		if (stretch < i && calls_ended_by(st, st->segs[i]->s.at_ns) != epoch) {
			if (flush_stretch(st, stretch, i) < 0)
				return -1;
			stretch = i;
		}
		if (stretch == i)
			epoch = calls_ended_by(st, st->segs[i]->s.at_ns);
		i++;
	}
	return flush_stretch(st, stretch, i);
}

/* When a row's event was over: a band's last segment; else its start. */
static int64_t
row_last_ns(const struct row *r)
{
	return r->kind == ROW_KIND_BAND ? r->band.last_ns : r->at_ns;
}

/*
 * Mark the pauses worth a break: at least gap_floor_ns and
 * gap_median_factor times the median pause between rows, so loopback's
 * microseconds stay unbroken and a 2 s linger stands out.
 */
static int
mark_gaps(struct layout_state *st)
{
	int64_t *gaps, median, limit;
	size_t i, n = 0;

	if (st->nrows < 2)
		return 0;
	gaps = malloc((st->nrows - 1) * sizeof(*gaps));
	if (gaps == NULL)
		return -1;
	for (i = 1; i < st->nrows; i++)
		if (st->rows[i].at_ns > row_last_ns(&st->rows[i - 1]))
			gaps[n++] = st->rows[i].at_ns - row_last_ns(&st->rows[i - 1]);
	if (n == 0) {
		free(gaps);
		return 0;
	}
	qsort(gaps, n, sizeof(*gaps), compare_times);
	median = gaps[n / 2];
	free(gaps);
	limit = median > INT64_MAX / gap_median_factor ? INT64_MAX : median * gap_median_factor;
	if (limit < gap_floor_ns)
		limit = gap_floor_ns;
	for (i = 1; i < st->nrows; i++) {
		int64_t gap = st->rows[i].at_ns - row_last_ns(&st->rows[i - 1]);

		if (gap >= limit) {
			st->rows[i].gap_before = true;
			st->rows[i].gap_ns = gap;
		}
	}
	return 0;
}

/* Layout: labels */

enum segment_style {
	STYLE_SYN,
	STYLE_DATA,
	STYLE_ACK,
	STYLE_FIN,
	STYLE_RST_ACK,
	STYLE_RST_BARE,
	STYLE_COUNT
};

struct style {
	const char *class_name;	/* a hook for tests and user style sheets */
	const char *colour;
	const char *text_colour;
	double width;
	const char *dash;	/* NULL: solid */
};

static const struct style styles[STYLE_COUNT] = {
	[STYLE_SYN] = { "syn", colour_syn, colour_syn, 1.4, NULL },
	[STYLE_DATA] = { "data", colour_data, colour_data, 1.6, NULL },
	[STYLE_ACK] = { "ack", colour_ack, colour_ack_text, 1.0, NULL },
	[STYLE_FIN] = { "fin", colour_fin, colour_fin, 2.4, NULL },
	[STYLE_RST_ACK] = { "rst-ack", colour_rst, colour_rst, 2.6, NULL },
	[STYLE_RST_BARE] = { "rst-bare", colour_rst, colour_rst, 2.6, "7 4" },
};

static enum segment_style
segment_style(const struct ladder_segment *s)
{
	if (s->flags & LADDER_SEG_RST)
		return (s->flags & LADDER_SEG_ACK) ? STYLE_RST_ACK : STYLE_RST_BARE;
	if (s->flags & LADDER_SEG_FIN)
		return STYLE_FIN;
	if (s->flags & LADDER_SEG_SYN)
		return STYLE_SYN;
	return s->len > 0 ? STYLE_DATA : STYLE_ACK;
}

#define LABEL_SIZE 256
#define COUNT_SIZE 32

/* "bytes 0–100 (100 B)" */
static void
format_range(uint64_t from, uint64_t to, char *buf, size_t size)
{
	char a[COUNT_SIZE], b[COUNT_SIZE], n[COUNT_SIZE];

	snprintf(buf, size, "bytes %s\u2013%s (%s B)", units_format_count(from, a, sizeof(a)),
	    units_format_count(to, b, sizeof(b)), units_format_count(to - from, n, sizeof(n)));
}

/* The words on a segment's arrow: what it is, its bytes, what befell it. */
static void
segment_label(const struct ladder_segment *s, char *buf, size_t size)
{
	char range[LABEL_SIZE], num[COUNT_SIZE];
	const char *what, *sep = ", ";
	enum segment_style style = segment_style(s);

	switch (style) {
	case STYLE_SYN:
		what = (s->flags & LADDER_SEG_ACK) ? "SYN+ACK" : "SYN";
		break;
	case STYLE_FIN:
		what = "FIN";
		break;
	case STYLE_RST_ACK:
		what = "RST+ACK";
		break;
	case STYLE_RST_BARE:
		what = "RST (bare)";
		break;
	case STYLE_ACK:
		what = "ACK";
		sep = " ";
		break;
	default:
		what = "";
		sep = "";
		break;
	}
	if (s->len > 0)
		format_range(s->seq, s->seq + s->len, range, sizeof(range));
	else if (style == STYLE_ACK)
		units_format_count(s->ack, range, sizeof(range));
	else if (style == STYLE_FIN || style == STYLE_RST_ACK || style == STYLE_RST_BARE)
		snprintf(range, sizeof(range), "seq %s", units_format_count(s->seq, num, sizeof(num)));
	else {
		range[0] = '\0';
		sep = "";
	}
	snprintf(buf, size, "%s%s%s%s%s", what, sep, range,
	    s->retransmission ? " \u00b7 retransmission" : "",
	    s->lost_in_flight ? " \u00b7 lost in flight" : "");
}

/* "1,200 segments, bytes 0–3,932,160" or "600 ACKs, ack 100–3,932,160" */
static void
band_label(const struct band *b, char *buf, size_t size)
{
	char n[COUNT_SIZE], lo[COUNT_SIZE], hi[COUNT_SIZE];

	units_format_count(b->count, n, sizeof(n));
	units_format_count(b->lo, lo, sizeof(lo));
	units_format_count(b->hi, hi, sizeof(hi));
	if (b->rst)
		snprintf(buf, size, "%s %s, seq %s\u2013%s", n, b->with_ack == b->count ? "RST+ACKs" :
		    b->with_ack == 0 ? "bare RSTs" : "RSTs", lo, hi);
	else if (b->data)
		snprintf(buf, size, "%s segments, bytes %s\u2013%s", n, lo, hi);
	else if (b->range_seen)
		snprintf(buf, size, "%s ACKs, ack %s\u2013%s", n, lo, hi);
	else
		snprintf(buf, size, "%s segments without payload", n);
}

/* "3 retransmitted, 1 lost in flight", or "" */
static void
band_note(const struct band *b, char *buf, size_t size)
{
	char r[COUNT_SIZE], lost[COUNT_SIZE];

	units_format_count(b->retransmissions, r, sizeof(r));
	units_format_count(b->lost, lost, sizeof(lost));
	if (b->retransmissions > 0 && b->lost > 0)
		snprintf(buf, size, "%s retransmitted, %s lost in flight", r, lost);
	else if (b->retransmissions > 0)
		snprintf(buf, size, "%s retransmitted", r);
	else if (b->lost > 0)
		snprintf(buf, size, "%s lost in flight", lost);
	else
		buf[0] = '\0';
}

static double
text_width(const char *text)
{
	return (double)markup_text_columns(text) * char_width;
}

/*
 * The next line of text, at most columns characters, broken at the last
 * space that fits (anywhere when a word is longer than a line): its
 * length in bytes; *next is where the following line starts.
 */
static size_t
wrap_line(const char *text, size_t columns, const char **next)
{
	size_t full, cut;

	full = markup_prefix_bytes(text, columns == 0 ? 1 : columns);
	if (text[full] == '\0') {
		*next = text + full;
		return full;
	}
	for (cut = full; cut > 0 && text[cut] != ' '; cut--)
		;
	if (cut == 0) {
		*next = text + full;
		return full;
	}
	*next = text + cut + 1;
	return cut;
}

static size_t
wrapped_lines(const char *text, size_t columns)
{
	size_t n = 0;

	while (text != NULL && *text != '\0') {
		wrap_line(text, columns, &text);
		n++;
	}
	return n;
}

/* Layout: lanes and sizes */

struct lane_view {
	const char *name;
	enum ladder_end end;
	int rank;		/* 0: the wire lane, next to the gap */
	double x;
	int first_call_row;	/* -1: none */
	int exit_row;		/* -1: the process did not end here */
};

/* The lanes drawn: the model's, and "client"/"server" for an end without one. */
static int
view_lanes(const struct ladder *l, struct lane_view **out, size_t *count)
{
	struct lane_view *v;
	int ranks[LADDER_END_COUNT] = { 0 };
	size_t i, n = 0;

	v = calloc(l->nlanes + LADDER_END_COUNT, sizeof(*v));
	if (v == NULL)
		return -1;
	for (i = 0; i < l->nlanes; i++) {
		v[n].name = l->lanes[i].name;
		v[n].end = l->lanes[i].end;
		v[n].rank = ranks[v[n].end]++;
		n++;
	}
	for (i = 0; i < LADDER_END_COUNT; i++)
		if (ranks[i] == 0) {
			v[n].name = end_names[i];
			v[n].end = (enum ladder_end)i;
			v[n].rank = ranks[i]++;
			n++;
		}
	for (i = 0; i < n; i++) {
		v[i].first_call_row = -1;
		v[i].exit_row = -1;
	}
	*out = v;
	*count = n;
	return 0;
}

/* Whether a lane's labels run rightwards (client side) or leftwards. */
static bool
labels_rightwards(enum ladder_end end)
{
	return end == LADDER_END_CLIENT;
}

/* Space between the wire lanes so the longest label fits. */
static double
wire_gap(const struct layout_state *st, const struct lane_view *lanes)
{
	char buf[LABEL_SIZE];
	double gap = WIRE_GAP_MIN, need;
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		const struct row *r = &st->rows[i];

		if (r->kind == ROW_KIND_CALL) {
			need = text_width(r->call->label) + 3 * ARROW_HEAD -
			    lanes[r->call->lane].rank * LANE_SPACING;
		} else if (r->kind == ROW_KIND_SEGMENT) {
			segment_label(&r->seg->s, buf, sizeof(buf));
			need = text_width(buf) + 6 * ARROW_HEAD;
		} else {
			band_label(&r->band, buf, sizeof(buf));
			need = text_width(buf) + 6 * ARROW_HEAD;
		}
		if (need > gap)
			gap = need;
	}
	return gap > WIRE_GAP_MAX ? WIRE_GAP_MAX : gap;
}

static void
place_lanes(struct layout_state *st, struct lane_view *lanes, size_t nlanes)
{
	int count[LADDER_END_COUNT] = { 0 };
	double client_x, server_x, gap;
	size_t i;

	for (i = 0; i < nlanes; i++)
		count[lanes[i].end]++;
	gap = wire_gap(st, lanes);
	client_x = MARGIN + TIME_COLUMN + 24 + LANE_BOX_WIDTH / 2.0 +
	    (count[LADDER_END_CLIENT] - 1) * LANE_SPACING;
	server_x = client_x + gap;
	for (i = 0; i < nlanes; i++) {
		if (lanes[i].end == LADDER_END_CLIENT)
			lanes[i].x = client_x - lanes[i].rank * LANE_SPACING;
		else
			lanes[i].x = server_x + lanes[i].rank * LANE_SPACING;
	}
	st->wire_x[LADDER_END_CLIENT] = client_x;
	st->wire_x[LADDER_END_SERVER] = server_x;
	st->width = server_x + (count[LADDER_END_SERVER] - 1) * LANE_SPACING +
	    LANE_BOX_WIDTH / 2.0 + MARGIN;
	/* A label longer than the widest gap still stays on the page. */
	for (i = 0; i < st->nrows; i++) {
		const struct row *r = &st->rows[i];
		const struct lane_view *lv;
		double end;

		if (r->kind != ROW_KIND_CALL)
			continue;
		lv = &lanes[r->call->lane];
		if (!labels_rightwards(lv->end))
			continue;
		end = lv->x + 2 * ARROW_HEAD + text_width(r->call->label) + MARGIN;
		if (end > st->width)
			st->width = end;
	}
}

/* A direction's spans at the foot, in stream order; the subsets after. */
struct span {
	const char *name;
	const char *colour;
	uint64_t bytes;
	bool subset;		/* of the on-the-wire-never-read span */
};

#define SPANS_MAX 8

static size_t
direction_spans(const struct ladder_direction *d, struct span *spans)
{
	static const enum ladder_loss_kind primary[] = {
		LADDER_LOSS_ON_WIRE_NEVER_READ, LADDER_LOSS_NEVER_ON_WIRE
	};
	static const enum ladder_loss_kind subsets[] = {
		LADDER_LOSS_DISCARDED, LADDER_LOSS_IN_FLIGHT
	};
	uint64_t accounted = 0;
	size_t n = 0, i;

	if (d->set && d->read > 0) {
		spans[n++] = (struct span){ "read by the application", colour_read, d->read, false };
		accounted = d->read;
	}
	for (i = 0; i < sizeof(primary) / sizeof(primary[0]); i++)
		if (d->loss_set[primary[i]] && d->loss[primary[i]] > 0) {
			spans[n++] = (struct span){ loss_names[primary[i]],
			    loss_colours[primary[i]], d->loss[primary[i]], false };
			accounted += d->loss[primary[i]];
		}
	if (d->set && d->written > accounted)
		spans[n++] = (struct span){ "not accounted for", colour_unaccounted,
		    d->written - accounted, false };
	for (i = 0; i < sizeof(subsets) / sizeof(subsets[0]); i++)
		if (d->loss_set[subsets[i]] && d->loss[subsets[i]] > 0)
			spans[n++] = (struct span){ loss_names[subsets[i]],
			    loss_colours[subsets[i]], d->loss[subsets[i]], true };
	return n;
}

static bool
direction_shown(const struct ladder_direction *d)
{
	size_t k;

	if (d->set)
		return true;
	for (k = 0; k < LADDER_LOSS_KIND_COUNT; k++)
		if (d->loss_set[k])
			return true;
	return false;
}

static bool
any_direction_shown(const struct ladder *l)
{
	size_t k;

	for (k = 0; k < LADDER_END_COUNT; k++)
		if (direction_shown(&l->dirs[k]))
			return true;
	return false;
}

/* The foot's height for one direction: title, bar, sub-bar, one line per span. */
static double
direction_height(const struct ladder_direction *d)
{
	struct span spans[SPANS_MAX];
	size_t n = direction_spans(d, spans), i;
	bool subsets = false;

	if (n == 0)
		return FOOT_LINE + 8;
	for (i = 0; i < n; i++)
		subsets |= spans[i].subset;
	return FOOT_LINE + BAR_HEIGHT + 6 + (subsets ? SUB_BAR_HEIGHT + 4 : 0) +
	    (double)n * FOOT_LINE + 12;
}

/* The symbols explained at the very foot. */
enum legend_item {
	LEGEND_SYN,
	LEGEND_DATA,
	LEGEND_ACK,
	LEGEND_FIN,
	LEGEND_RST_ACK,
	LEGEND_RST_BARE,
	LEGEND_RETRANSMIT,
	LEGEND_LOST,
	LEGEND_BAND,
	LEGEND_CALL,
	LEGEND_SIGNAL,
	LEGEND_EXIT,
	LEGEND_COUNT
};

static const char *const legend_names[LEGEND_COUNT] = {
	[LEGEND_SYN] = "SYN, SYN+ACK",
	[LEGEND_DATA] = "data",
	[LEGEND_ACK] = "pure ACK",
	[LEGEND_FIN] = "FIN",
	[LEGEND_RST_ACK] = "RST+ACK",
	[LEGEND_RST_BARE] = "RST (bare)",
	[LEGEND_RETRANSMIT] = "retransmission",
	[LEGEND_LOST] = "lost in flight",
	[LEGEND_BAND] = "folded segments",
	[LEGEND_CALL] = "call (height: duration)",
	[LEGEND_SIGNAL] = "signal",
	[LEGEND_EXIT] = "exit (lane dotted after)",
};

static const char legend_note[] =
    "One event per row in time order, not to scale: the time of each row is on "
    "the left, and a pause marked \u2248 was cut out. Byte ranges are stream "
    "offsets (0 is the first byte after the SYN), end exclusive.";

static size_t
legend_columns(const struct layout_state *st)
{
	size_t c = (size_t)((st->width - 2 * MARGIN) / LEGEND_WIDTH);

	return c == 0 ? 1 : c;
}

static size_t
legend_note_columns(const struct layout_state *st)
{
	return (size_t)((st->width - 2 * MARGIN) / char_width);
}

static double
legend_height(const struct layout_state *st)
{
	size_t c = legend_columns(st);

	return (double)((LEGEND_COUNT + c - 1) / c) * LEGEND_ROW + FOOT_LINE / 2.0 +
	    (double)wrapped_lines(legend_note, legend_note_columns(st)) * FOOT_LINE;
}

static double
row_height(const struct row *r)
{
	if (r->kind == ROW_KIND_BAND)
		return ROW_BAND;
	return r->kind == ROW_KIND_CALL ? ROW_CALL : ROW_SEGMENT;
}

static void
place_rows(struct layout_state *st)
{
	double y;
	size_t i, k;

	st->summary_columns = (size_t)((st->width - 2 * MARGIN) / summary_char_width);
	st->summary_lines = wrapped_lines(st->l->summary, st->summary_columns);
	st->lanes_top = MARGIN + TITLE_SIZE + 12 + (double)st->summary_lines * SUMMARY_LINE + 8;
	st->rows_top = st->lanes_top + LANE_BOX_HEIGHT + 12;
	y = st->rows_top;
	for (i = 0; i < st->nrows; i++) {
		struct row *r = &st->rows[i];

		if (r->gap_before)
			y += GAP_BREAK;
		r->top = y;
		y += row_height(r);
		r->bottom = y;
		r->y = (r->top + r->bottom) / 2;
	}
	st->rows_bottom = y + 10;
	st->foot_top = st->rows_bottom + 24;
	y = st->foot_top + (any_direction_shown(st->l) ? FOOT_LINE + 6 : 0);
	for (k = 0; k < LADDER_END_COUNT; k++)
		if (direction_shown(&st->l->dirs[k]))
			y += direction_height(&st->l->dirs[k]);
	st->height = y + legend_height(st) + MARGIN;
}

/* "2.617" in the diagram's unit, from its first event. */
static void
format_time(const struct layout_state *st, int64_t at_ns, char *buf, size_t size)
{
	double rel = (double)(at_ns - st->t0);

	snprintf(buf, size, "%.3f", st->seconds ? rel / 1e9 : rel / 1e6);
}

static const char *
row_fill(size_t i)
{
	return i % 2 == 1 ? colour_stripe : "#ffffff";
}

/* Writing: the parts */

/*
 * text wrapped at columns, one line every line_height below y (as
 * wrapped_lines() counts them).
 */
static void
put_paragraph(FILE *out, double y, const struct svg_font *f, const char *text,
    size_t columns, double line_height)
{
	const char *next;
	size_t len;

	while (text != NULL && *text != '\0') {
		len = wrap_line(text, columns, &next);
		y += line_height;
		svg_text_len(out, MARGIN, y - 5, f, text, len);
		text = next;
	}
}

static const char *
status_colour(const char *status)
{
	static const struct {
		const char *status, *colour;
	} colours[] = {
		{ "PASS", "#2e7d32" }, { "FAIL", "#c62828" },
		{ "SKIP", "#757575" }, { "ERROR", "#e65100" },
		{ "UNSUPPORTED", "#6a1b9a" },
	};
	size_t i;

	for (i = 0; i < sizeof(colours) / sizeof(colours[0]); i++)
		if (status != NULL && strcmp(status, colours[i].status) == 0)
			return colours[i].colour;
	return colour_call;
}

static void
put_header(FILE *out, const struct layout_state *st)
{
	const struct ladder *l = st->l;
	const struct svg_font title = { TITLE_SIZE, colour_ink, NULL, "bold", false };
	const struct svg_font badge = { SUMMARY_SIZE, "#ffffff", "middle", "bold", false };
	const struct svg_font summary = { SUMMARY_SIZE, colour_ink, NULL, NULL, false };
	const char *name = l->name != NULL && l->name[0] != '\0' ? l->name : "TCP connection";
	double x, w;

	fputs("<g class=\"headline\">\n", out);
	x = MARGIN;
	if (l->status != NULL && l->status[0] != '\0') {
		w = (double)markup_text_columns(l->status) * SUMMARY_SIZE * 0.75 + 16;
		fprintf(out, "<rect class=\"status\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"24\" rx=\"4\" fill=\"%s\"/>\n", x, MARGIN + 2.0, w,
		    status_colour(l->status));
		svg_text(out, x + w / 2, MARGIN + 19.0, &badge, l->status);
		x += w + 10;
	}
	svg_text(out, x, MARGIN + TITLE_SIZE, &title, name);
	put_paragraph(out, MARGIN + TITLE_SIZE + 12, &summary, l->summary, st->summary_columns,
	    SUMMARY_LINE);
	fputs("</g>\n", out);
}

static void
put_stripes(FILE *out, const struct layout_state *st)
{
	size_t i;

	for (i = 0; i < st->nrows; i++)
		if (i % 2 == 1)
			svg_rect(out, MARGIN, st->rows[i].top, st->width - 2 * MARGIN,
			    st->rows[i].bottom - st->rows[i].top, colour_stripe, NULL);
}

static void
put_lanes(FILE *out, const struct layout_state *st, const struct lane_view *lanes,
    size_t nlanes)
{
	const struct svg_font name = { TEXT_SIZE + 1, colour_ink, "middle", "bold", false };
	const struct svg_font side = { TEXT_SIZE - 2, colour_muted, "middle", NULL, false };
	const struct svg_font time = { TEXT_SIZE - 1, colour_muted, "end", "bold", false };
	double top = st->lanes_top + LANE_BOX_HEIGHT, solid_from, solid_to;
	size_t i;

	svg_text(out, MARGIN + TIME_COLUMN, st->lanes_top + LANE_BOX_HEIGHT - 4, &time,
	    st->seconds ? "time (s)" : "time (ms)");
	for (i = 0; i < nlanes; i++) {
		const struct lane_view *lv = &lanes[i];

		solid_from = top;
		if (lv->rank > 0)
			solid_from = lv->first_call_row >= 0 ?
			    st->rows[lv->first_call_row].top : st->rows_bottom;
		solid_to = lv->exit_row >= 0 ? st->rows[lv->exit_row].y : st->rows_bottom;
		fprintf(out, "<g class=\"lane\" data-lane=\"");
		markup_put_text(out, lv->name);
		fprintf(out, "\" data-end=\"%s\">\n", end_names[lv->end]);
		if (solid_from > top)
			svg_line(out, lv->x, top, lv->x, solid_from, colour_lane, 1, "2 4");
		if (solid_to > solid_from)
			svg_line(out, lv->x, solid_from, lv->x, solid_to, colour_lane, 1.6, NULL);
		if (solid_to < st->rows_bottom)
			svg_line(out, lv->x, solid_to, lv->x, st->rows_bottom, colour_lane, 1, "2 4");
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\" "
		    "fill=\"#eceff1\" stroke=\"%s\"/>\n", lv->x - LANE_BOX_WIDTH / 2.0,
		    st->lanes_top, LANE_BOX_WIDTH, LANE_BOX_HEIGHT, colour_lane);
		svg_text(out, lv->x, st->lanes_top + 17, &name, lv->name);
		svg_text(out, lv->x, st->lanes_top + 31, &side,
		    lv->end == LADDER_END_CLIENT ? "client side" : "server side");
		fputs("</g>\n", out);
	}
}

/* Where a pause was cut out: a dashed line, the lanes broken, its length. */
static void
put_gaps(FILE *out, const struct layout_state *st, const struct lane_view *lanes,
    size_t nlanes)
{
	const struct svg_font f = { TEXT_SIZE - 1, colour_muted, "end", NULL, true };
	char buf[LABEL_SIZE], num[COUNT_SIZE];
	bool seconds;
	double y;
	size_t i, k;

	for (i = 0; i < st->nrows; i++) {
		if (!st->rows[i].gap_before)
			continue;
		y = st->rows[i].top - GAP_BREAK / 2.0;
		fputs("<g class=\"pause\">\n", out);
		svg_line(out, MARGIN + TIME_COLUMN + 8, y, st->width - MARGIN, y, "#cfd8dc", 1, "4 4");
		for (k = 0; k < nlanes; k++) {
			svg_rect(out, lanes[k].x - 7, y - 5, 14, 10, "#ffffff", NULL);
			svg_line(out, lanes[k].x - 7, y - 1, lanes[k].x + 7, y - 6, colour_lane, 1.4, NULL);
			svg_line(out, lanes[k].x - 7, y + 6, lanes[k].x + 7, y + 1, colour_lane, 1.4, NULL);
		}
		/* A pause of seconds reads better in seconds, whatever the column's unit. */
		seconds = st->seconds || st->rows[i].gap_ns >= 1000000000;
		snprintf(num, sizeof(num), "%.3f", (double)st->rows[i].gap_ns / (seconds ? 1e9 : 1e6));
		snprintf(buf, sizeof(buf), "\u2248 %s %s later", num, seconds ? "s" : "ms");
		svg_text(out, MARGIN + TIME_COLUMN, y + 4, &f, buf);
		fputs("</g>\n", out);
	}
}

/* The row a call reaches: the last row that starts before the call ended. */
static size_t
call_end_row(const struct layout_state *st, size_t i)
{
	int64_t end = st->rows[i].call->end_ns;
	size_t j = i;

	while (j + 1 < st->nrows && st->rows[j + 1].at_ns < end)
		j++;
	return j;
}

static const char *const call_classes[LADDER_CALL_KIND_COUNT] = {
	[LADDER_CALL_SYSCALL] = "call syscall",
	[LADDER_CALL_SIGNAL] = "call signal",
	[LADDER_CALL_EXIT] = "call exit",
};

static void
put_call(FILE *out, const struct layout_state *st, const struct lane_view *lanes, size_t i)
{
	const struct row *r = &st->rows[i];
	const struct ladder_call *c = r->call;
	const struct lane_view *lv = &lanes[c->lane];
	bool right = labels_rightwards(lv->end);
	struct svg_font f = { TEXT_SIZE, colour_ink, right ? NULL : "end", NULL, false };
	double lx = right ? lv->x + 2 * ARROW_HEAD : lv->x - 2 * ARROW_HEAD;
	double w = text_width(c->label) + 6, bottom;

	fprintf(out, "<g class=\"%s\">\n", call_classes[c->kind]);
	fputs("<title>", out);
	markup_put_text(out, lv->name);
	fputs(": ", out);
	markup_put_text(out, c->label);
	fputs("</title>\n", out);
	switch (c->kind) {
	case LADDER_CALL_SIGNAL:
		svg_diamond(out, lv->x, r->y, 7, colour_signal);
		f.colour = colour_signal;
		f.weight = "bold";
		break;
	case LADDER_CALL_EXIT:
		svg_line(out, lv->x - 12, r->y, lv->x + 12, r->y, colour_ink, 3, NULL);
		f.weight = "bold";
		break;
	default:
		bottom = st->rows[call_end_row(st, i)].bottom - 4;
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"%.1f\" rx=\"2\" "
		    "fill=\"%s\"/>\n", lv->x - 5, r->top + 4, bottom - (r->top + 4), colour_call);
		break;
	}
	/* The label's own background hides the lanes it crosses. */
	svg_rect(out, right ? lx - 3 : lx - w + 3, r->y - 9, w, 17, row_fill(i), NULL);
	svg_text(out, lx, r->y + 4, &f, c->label);
	fputs("</g>\n", out);
}

static void
put_segment(FILE *out, const struct layout_state *st, size_t i)
{
	const struct row *r = &st->rows[i];
	const struct ladder_segment *s = &r->seg->s;
	enum segment_style style = segment_style(s);
	const struct style *sty = &styles[style];
	const char *colour = sty->colour, *text_colour = sty->text_colour;
	double x1 = st->wire_x[s->from], x2 = st->wire_x[!s->from];
	double dir = x2 > x1 ? 1 : -1, y1 = r->y - ARROW_DROP, y2 = r->y + ARROW_DROP;
	double xe = x2 - dir * 6, ye = y2, mx;
	char label[LABEL_SIZE], tip[2 * LABEL_SIZE], seq[COUNT_SIZE], ack[COUNT_SIZE], t[COUNT_SIZE];
	struct svg_font f = { TEXT_SIZE, NULL, "middle", NULL, false };

	x1 += dir * 6;
	if (s->retransmission && (style == STYLE_DATA || style == STYLE_ACK))
		colour = text_colour = colour_retransmit;
	if (s->lost_in_flight) {
		xe = x1 + (x2 - x1) * 0.62;
		ye = y1 + (y2 - y1) * 0.62;
	}
	segment_label(s, label, sizeof(label));
	format_time(st, s->at_ns, t, sizeof(t));
	snprintf(tip, sizeof(tip), "%s \u2192 %s at %s %s: %s; seq %s, ack %s, %" PRIu32 " B",
	    end_names[s->from], end_names[!s->from], t, st->seconds ? "s" : "ms", label,
	    units_format_count(s->seq, seq, sizeof(seq)),
	    (s->flags & LADDER_SEG_ACK) ? units_format_count(s->ack, ack, sizeof(ack)) : "-",
	    s->len);
	fprintf(out, "<g class=\"segment %s%s%s\">\n", sty->class_name,
	    s->retransmission ? " retransmission" : "", s->lost_in_flight ? " lost" : "");
	svg_title(out, tip);
	svg_line(out, x1, y1, xe, ye, colour, sty->width, sty->dash);
	if (s->lost_in_flight)
		svg_cross(out, xe, ye, 6, colour_lost);
	else
		svg_arrowhead(out, x1, y1, xe, ye, ARROW_HEAD, colour);
	mx = (x1 + x2) / 2;
	f.colour = text_colour;
	if (style == STYLE_RST_ACK || style == STYLE_RST_BARE || style == STYLE_FIN)
		f.weight = "bold";
	svg_text(out, mx, r->y - 5, &f, label);
	fputs("</g>\n", out);
}

static void
put_band(FILE *out, const struct layout_state *st, size_t i)
{
	const struct row *r = &st->rows[i];
	const struct band *b = &r->band;
	double x1 = st->wire_x[b->from], x2 = st->wire_x[!b->from];
	double dir = x2 > x1 ? 1 : -1, half = 7, drop = 6, head = 16, xb, yb;
	const char *stroke = b->rst ? colour_rst : b->data ? colour_data : colour_ack;
	const char *fill = b->rst ? colour_rst_fill : b->data ? colour_data_fill : colour_ack_fill;
	const struct svg_font f = { TEXT_SIZE, b->rst ? colour_rst : b->data ? colour_data :
	    colour_ack_text, "middle", "bold", false };
	const struct svg_font nf = { TEXT_SIZE - 1, colour_retransmit, "middle", NULL, false };
	char label[LABEL_SIZE], note[LABEL_SIZE];

	x1 += dir * 6;
	x2 -= dir * 6;
	xb = x2 - dir * head;
	yb = r->y - drop + 2 * drop * (xb - x1) / (x2 - x1);
	band_label(b, label, sizeof(label));
	band_note(b, note, sizeof(note));
	fprintf(out, "<g class=\"band %s%s\">\n", b->rst ? "rst" : b->data ? "data" : "ack",
	    b->retransmissions > 0 ? " retransmission" : "");
	svg_title(out, label);
	fprintf(out, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f "
	    "%.1f,%.1f %.1f,%.1f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.2\"/>\n",
	    x1, r->y - drop - half, xb, yb - half, xb, yb - 2 * half, x2, r->y + drop,
	    xb, yb + 2 * half, xb, yb + half, x1, r->y - drop + half, fill, stroke);
	svg_text(out, (x1 + x2) / 2, r->y - half - 7, &f, label);
	if (note[0] != '\0')
		svg_text(out, (x1 + x2) / 2, r->y + half + 15, &nf, note);
	fputs("</g>\n", out);
}

static void
put_rows(FILE *out, const struct layout_state *st, const struct lane_view *lanes)
{
	const struct svg_font tf = { TEXT_SIZE - 1, colour_muted, "end", NULL, false };
	char t[COUNT_SIZE], t2[COUNT_SIZE], buf[2 * COUNT_SIZE + 8];
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		const struct row *r = &st->rows[i];

		format_time(st, r->at_ns, t, sizeof(t));
		if (r->kind == ROW_KIND_BAND && r->band.last_ns > r->band.first_ns) {
			format_time(st, r->band.last_ns, t2, sizeof(t2));
			snprintf(buf, sizeof(buf), "%s\u2013%s", t, t2);
			svg_text(out, MARGIN + TIME_COLUMN, r->y + 4, &tf, buf);
		} else
			svg_text(out, MARGIN + TIME_COLUMN, r->y + 4, &tf, t);
		if (r->kind == ROW_KIND_CALL)
			put_call(out, st, lanes, i);
		else if (r->kind == ROW_KIND_SEGMENT)
			put_segment(out, st, i);
		else
			put_band(out, st, i);
	}
}

/* "96.8%" of whole, or "" */
static void
format_share(uint64_t part, uint64_t whole, char *buf, size_t size)
{
	if (whole == 0)
		buf[0] = '\0';
	else if (part > 0 && (double)part * 1000 < (double)whole)
		snprintf(buf, size, " (<0.1%%)");
	else
		snprintf(buf, size, " (%.1f%%)", 100.0 * (double)part / (double)whole);
}

/* One direction at the foot: its title, the bar of its stream, the sizes. */
static double
put_direction(FILE *out, const struct layout_state *st, enum ladder_end writer, double y)
{
	const struct ladder_direction *d = &st->l->dirs[writer];
	const struct svg_font title = { TEXT_SIZE + 1, colour_ink, NULL, "bold", false };
	const struct svg_font entry = { TEXT_SIZE, colour_ink, NULL, NULL, false };
	struct span spans[SPANS_MAX];
	size_t n = direction_spans(d, spans), i, primaries = 0;
	uint64_t total = 0;
	double bw = st->width - 2 * MARGIN - 16, x0 = MARGIN + 8, x, avail, w, sub_x = x0;
	char buf[2 * LABEL_SIZE], a[COUNT_SIZE], b[COUNT_SIZE], share[COUNT_SIZE];

	if (bw > BAR_WIDTH_MAX)
		bw = BAR_WIDTH_MAX;
	if (d->set)
		snprintf(buf, sizeof(buf), "%s \u2192 %s: %s \u2014 send() accepted %s B, "
		    "recv() returned %s B", end_names[writer], end_names[!writer],
		    d->outcome[0] != '\0' ? d->outcome : "no outcome",
		    units_format_count(d->written, a, sizeof(a)),
		    units_format_count(d->read, b, sizeof(b)));
	else
		snprintf(buf, sizeof(buf), "%s \u2192 %s", end_names[writer], end_names[!writer]);
	fprintf(out, "<g class=\"direction\" data-writer=\"%s\">\n", end_names[writer]);
	svg_text(out, MARGIN, y + 12, &title, buf);
	y += FOOT_LINE;
	if (n == 0) {
		fputs("</g>\n", out);
		return y + 8;
	}
	for (i = 0; i < n; i++)
		if (!spans[i].subset) {
			total += spans[i].bytes;
			primaries++;
		}
	if (total == 0)	/* only subsets known: scale on them */
		for (i = 0; i < n; i++)
			total += spans[i].bytes;
	avail = bw - (double)(primaries > 0 ? primaries : n) * BAR_MIN_SPAN;
	x = x0;
	svg_rect(out, x0, y, bw, BAR_HEIGHT, "#fafafa", "#b0bec5");
	for (i = 0; i < n; i++) {
		if (spans[i].subset)
			continue;
		w = BAR_MIN_SPAN + avail * (double)spans[i].bytes / (double)total;
		if (spans[i].name == loss_names[LADDER_LOSS_ON_WIRE_NEVER_READ])
			sub_x = x;
		fprintf(out, "<rect class=\"loss\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
		    "fill=\"%s\"><title>", x, y, w, BAR_HEIGHT, spans[i].colour);
		markup_put_text(out, spans[i].name);
		fprintf(out, ": %s B</title></rect>\n", units_format_count(spans[i].bytes, a, sizeof(a)));
		x += w;
	}
	y += BAR_HEIGHT + 6;
	x = sub_x;
	for (i = 0; i < n; i++) {
		if (!spans[i].subset)
			continue;
		w = BAR_MIN_SPAN + avail * (double)spans[i].bytes / (double)total;
		if (x + w > x0 + bw)
			w = x0 + bw - x > BAR_MIN_SPAN ? x0 + bw - x : BAR_MIN_SPAN;
		fprintf(out, "<rect class=\"loss\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
		    "fill=\"%s\"><title>", x, y, w, SUB_BAR_HEIGHT, spans[i].colour);
		markup_put_text(out, spans[i].name);
		fprintf(out, ": %s B</title></rect>\n", units_format_count(spans[i].bytes, a, sizeof(a)));
		x += w;
	}
	for (i = 0; i < n; i++)
		if (spans[i].subset) {
			y += SUB_BAR_HEIGHT + 4;
			break;
		}
	for (i = 0; i < n; i++) {
		format_share(spans[i].bytes, d->set ? d->written : 0, share, sizeof(share));
		snprintf(buf, sizeof(buf), "%s%s: %s B%s", spans[i].subset ? "of those, " : "",
		    spans[i].name, units_format_count(spans[i].bytes, a, sizeof(a)), share);
		svg_rect(out, MARGIN + 12 + (spans[i].subset ? 16 : 0), y + 3, 10, 10,
		    spans[i].colour, NULL);
		svg_text(out, MARGIN + 28 + (spans[i].subset ? 16 : 0), y + 12, &entry, buf);
		y += FOOT_LINE;
	}
	fputs("</g>\n", out);
	return y + 12;
}

/* A sample of one legend item, LEGEND_SAMPLE wide, centred on y. */
static void
put_legend_sample(FILE *out, enum legend_item item, double x, double y)
{
	static const enum segment_style arrow_styles[] = {
		[LEGEND_SYN] = STYLE_SYN, [LEGEND_DATA] = STYLE_DATA,
		[LEGEND_ACK] = STYLE_ACK, [LEGEND_FIN] = STYLE_FIN,
		[LEGEND_RST_ACK] = STYLE_RST_ACK, [LEGEND_RST_BARE] = STYLE_RST_BARE,
	};
	double x2 = x + LEGEND_SAMPLE - 8;
	const struct style *sty;

	switch (item) {
	case LEGEND_RETRANSMIT:
		svg_line(out, x, y - 4, x2, y + 4, colour_retransmit, 1.6, NULL);
		svg_arrowhead(out, x, y - 4, x2, y + 4, ARROW_HEAD, colour_retransmit);
		break;
	case LEGEND_LOST:
		svg_line(out, x, y - 4, x + 20, y + 1, colour_data, 1.6, NULL);
		svg_cross(out, x + 20, y + 1, 5, colour_lost);
		break;
	case LEGEND_BAND:
		fprintf(out, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" "
		    "fill=\"%s\" stroke=\"%s\"/>\n", x, y - 9, x2, y - 1, x2, y + 9, x, y + 1,
		    colour_data_fill, colour_data);
		break;
	case LEGEND_CALL:
		svg_rect(out, x + 12, y - 9, 10, 18, colour_call, NULL);
		break;
	case LEGEND_SIGNAL:
		svg_diamond(out, x + 17, y, 7, colour_signal);
		break;
	case LEGEND_EXIT:
		svg_line(out, x + 5, y, x + 29, y, colour_ink, 3, NULL);
		svg_line(out, x + 17, y - 9, x + 17, y, colour_lane, 1.6, NULL);
		svg_line(out, x + 17, y, x + 17, y + 9, colour_lane, 1, "2 3");
		break;
	default:
		sty = &styles[arrow_styles[item]];
		svg_line(out, x, y - 4, x2, y + 4, sty->colour, sty->width, sty->dash);
		svg_arrowhead(out, x, y - 4, x2, y + 4, ARROW_HEAD, sty->colour);
		break;
	}
}

static void
put_legend(FILE *out, const struct layout_state *st, double y)
{
	const struct svg_font f = { TEXT_SIZE - 1, colour_ink, NULL, NULL, false };
	const struct svg_font nf = { TEXT_SIZE - 1, colour_muted, NULL, NULL, false };
	size_t columns = legend_columns(st), i;
	double x, cy;

	fputs("<g class=\"legend\">\n", out);
	for (i = 0; i < LEGEND_COUNT; i++) {
		x = MARGIN + (double)(i % columns) * LEGEND_WIDTH;
		cy = y + (double)(i / columns) * LEGEND_ROW + LEGEND_ROW / 2.0;
		put_legend_sample(out, (enum legend_item)i, x, cy);
		svg_text(out, x + LEGEND_SAMPLE + 4, cy + 4, &f, legend_names[i]);
	}
	y += (double)((LEGEND_COUNT + columns - 1) / columns) * LEGEND_ROW + FOOT_LINE / 2.0;
	put_paragraph(out, y, &nf, legend_note, legend_note_columns(st), FOOT_LINE);
	fputs("</g>\n", out);
}

static void
put_foot(FILE *out, const struct layout_state *st)
{
	const struct svg_font f = { TEXT_SIZE + 2, colour_ink, NULL, "bold", false };
	double y = st->foot_top;
	size_t k;

	svg_line(out, MARGIN, y - 12, st->width - MARGIN, y - 12, "#cfd8dc", 1, NULL);
	if (any_direction_shown(st->l)) {
		svg_text(out, MARGIN, y + 10, &f, "Where the data went");
		y += FOOT_LINE + 6;
	}
	for (k = 0; k < LADDER_END_COUNT; k++)
		if (direction_shown(&st->l->dirs[k]))
			y = put_direction(out, st, (enum ladder_end)k, y);
	put_legend(out, st, y);
}

/* Layout and writing */

static void
layout_free(struct layout_state *st)
{
	free(st->segs);
	free(st->calls);
	free(st->call_ends);
	free(st->keep);
	free(st->rows);
}

static int
layout(struct layout_state *st, const struct ladder *l)
{
	size_t i;
	bool any = false;

	memset(st, 0, sizeof(*st));
	st->l = l;
	st->segs = calloc(l->nsegs + 1, sizeof(*st->segs));
	st->calls = calloc(l->ncalls + 1, sizeof(*st->calls));
	st->call_ends = calloc(l->ncalls + 1, sizeof(*st->call_ends));
	st->keep = calloc(l->nsegs + 1, sizeof(*st->keep));
	if (st->segs == NULL || st->calls == NULL || st->call_ends == NULL || st->keep == NULL)
		return -1;
	for (i = 0; i < l->nsegs; i++)
		st->segs[i] = &l->segs[i];
	for (i = 0; i < l->ncalls; i++) {
		st->calls[i] = &l->calls[i];
		st->call_ends[i] = l->calls[i].end_ns;
	}
	qsort(st->segs, l->nsegs, sizeof(*st->segs), compare_segs);
	qsort(st->calls, l->ncalls, sizeof(*st->calls), compare_calls);
	qsort(st->call_ends, l->ncalls, sizeof(*st->call_ends), compare_times);
	mark_kept(st);
	if (build_rows(st) < 0 || mark_gaps(st) < 0)
		return -1;
	for (i = 0; i < st->nrows; i++) {
		int64_t last = row_last_ns(&st->rows[i]);

		if (st->rows[i].kind == ROW_KIND_CALL && st->rows[i].call->end_ns > last)
			last = st->rows[i].call->end_ns;
		if (!any || st->rows[i].at_ns < st->t0)
			st->t0 = st->rows[i].at_ns;
		if (!any || last > st->t_last)
			st->t_last = last;
		any = true;
	}
	st->seconds = st->t_last - st->t0 >= seconds_span_ns;
	return 0;
}

static void
mark_lane_rows(const struct layout_state *st, struct lane_view *lanes)
{
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		const struct ladder_call *c = st->rows[i].call;

		if (st->rows[i].kind != ROW_KIND_CALL)
			continue;
		if (lanes[c->lane].first_call_row < 0)
			lanes[c->lane].first_call_row = (int)i;
		if (c->kind == LADDER_CALL_EXIT && lanes[c->lane].exit_row < 0)
			lanes[c->lane].exit_row = (int)i;
	}
}

static void
put_document(FILE *out, const struct layout_state *st, const struct lane_view *lanes,
    size_t nlanes)
{
	const struct ladder *l = st->l;
	long width = (long)st->width + 1, height = (long)st->height + 1;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%ld\" height=\"%ld\" viewBox=\"0 0 %ld %ld\" "
	    "font-family=\"sans-serif\" font-size=\"%d\">\n",
	    width, height, width, height, TEXT_SIZE);
	fputs("<title>", out);
	markup_put_text(out, l->name != NULL && l->name[0] != '\0' ? l->name : "TCP connection");
	if (l->status != NULL && l->status[0] != '\0') {
		fputs(": ", out);
		markup_put_text(out, l->status);
	}
	fputs("</title>\n", out);
	svg_rect(out, 0, 0, width, height, "#ffffff", NULL);
	put_header(out, st);
	put_stripes(out, st);
	put_lanes(out, st, lanes, nlanes);
	put_gaps(out, st, lanes, nlanes);
	put_rows(out, st, lanes);
	put_foot(out, st);
	fputs("</svg>\n", out);
}

int
ladder_write_svg(const struct ladder *l, FILE *out, char *err, size_t errlen)
{
	struct layout_state st;
	struct lane_view *lanes = NULL;
	size_t nlanes = 0;

	if (l == NULL || out == NULL) {
		snprintf(err, errlen, "drawing the ladder: no diagram or no stream");
		errno = EINVAL;
		return -1;
	}
	if (layout(&st, l) < 0 || view_lanes(l, &lanes, &nlanes) < 0) {
		snprintf(err, errlen, "drawing the ladder: %s", strerror(errno));
		layout_free(&st);
		return -1;
	}
	mark_lane_rows(&st, lanes);
	place_lanes(&st, lanes, nlanes);
	place_rows(&st);
	put_document(out, &st, lanes, nlanes);
	free(lanes);
	layout_free(&st);
	/* A write that failed earlier left its errno (stdio keeps no other). */
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "writing the ladder: %s", strerror(errno != 0 ? errno : EIO));
		return -1;
	}
	return 0;
}
