/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * html.c - the run report page (see html.h).
 *
 * Each case run is its own <tbody>: its summary row and its detail row
 * travel together when the table sorts, and hide together when it
 * filters.  The script only moves and hides what the page already holds
 * (no data in the script, nothing fetched), so the page reads the same
 * without it, every row open.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "html.h"
#include "markup.h"
#include "units.h"

struct platform_line {
	char *key, *value;
};

struct expect {
	enum html_report_expect_state state;
	char *expectation, *observed;
};

struct run {
	char *name, *family, *status, *teardown;
	char *outcome[HTML_REPORT_DIRECTION_COUNT];
	uint64_t lost_bytes;
	char *verdict, *pcap_href, *json_href, *svg_href, *text_href;
	char *anchor;		/* the tbody's id: "case-close-unread-truncates-ipv4" */
	struct expect *expects;
	size_t nexpects, expects_cap;
};

struct change {
	char *field, *was, *now;
};

struct cell {
	size_t row, column;
	char *value;		/* NULL: not set */
	struct change *changes;
	size_t nchanges, changes_cap;
};

struct html_report {
	char *title;
	struct platform_line *platform;
	size_t nplatform, platform_cap;
	struct run *runs;
	size_t nruns, runs_cap;
	char **matrix_rows, **matrix_columns;
	size_t nmatrix_rows, matrix_rows_cap, nmatrix_columns, matrix_columns_cap;
	struct cell *cells;
	size_t ncells, cells_cap;
};

/* The case table's columns. */
enum column {
	COLUMN_CASE,
	COLUMN_FAMILY,
	COLUMN_STATUS,
	COLUMN_TEARDOWN,
	COLUMN_CLIENT_TO_SERVER,
	COLUMN_SERVER_TO_CLIENT,
	COLUMN_LOST,
	COLUMN_COUNT
};

static const struct {
	const char *title;
	bool numeric;
} columns[COLUMN_COUNT] = {
	[COLUMN_CASE] = { "case", false },
	[COLUMN_FAMILY] = { "family", false },
	[COLUMN_STATUS] = { "status", false },
	[COLUMN_TEARDOWN] = { "teardown", false },
	[COLUMN_CLIENT_TO_SERVER] = { "client\u2192server", false },
	[COLUMN_SERVER_TO_CLIENT] = { "server\u2192client", false },
	[COLUMN_LOST] = { "lost", true },
};

/* The statuses the summary counts and the filter offers, in this order. */
static const char *const statuses[] = { "PASS", "FAIL", "SKIP", "ERROR", "UNSUPPORTED" };
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))

static const char *const expect_words[HTML_REPORT_EXPECT_STATE_COUNT] = {
	[HTML_REPORT_EXPECT_OK] = "ok",
	[HTML_REPORT_EXPECT_FAILED] = "failed",
	[HTML_REPORT_EXPECT_SKIPPED] = "skipped",
};

#define COUNT_SIZE 32

/* A copy of s, or NULL for NULL; *failed set when the copy failed. */
static char *
copy_or_null(const char *s, bool *failed)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = strdup(s);
	if (c == NULL)
		*failed = true;
	return c;
}

struct html_report *
html_report_new(const char *title)
{
	struct html_report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->title = strdup(title != NULL ? title : "closeprobe run");
	if (r->title == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

static void
run_free(struct run *run)
{
	size_t i;

	free(run->name);
	free(run->family);
	free(run->status);
	free(run->teardown);
	for (i = 0; i < HTML_REPORT_DIRECTION_COUNT; i++)
		free(run->outcome[i]);
	free(run->verdict);
	free(run->pcap_href);
	free(run->json_href);
	free(run->svg_href);
	free(run->text_href);
	free(run->anchor);
	for (i = 0; i < run->nexpects; i++) {
		free(run->expects[i].expectation);
		free(run->expects[i].observed);
	}
	free(run->expects);
}

static void
cell_free(struct cell *c)
{
	size_t i;

	free(c->value);
	for (i = 0; i < c->nchanges; i++) {
		free(c->changes[i].field);
		free(c->changes[i].was);
		free(c->changes[i].now);
	}
	free(c->changes);
}

void
html_report_free(struct html_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nplatform; i++) {
		free(r->platform[i].key);
		free(r->platform[i].value);
	}
	for (i = 0; i < r->nruns; i++)
		run_free(&r->runs[i]);
	for (i = 0; i < r->nmatrix_rows; i++)
		free(r->matrix_rows[i]);
	for (i = 0; i < r->nmatrix_columns; i++)
		free(r->matrix_columns[i]);
	for (i = 0; i < r->ncells; i++)
		cell_free(&r->cells[i]);
	free(r->title);
	free(r->platform);
	free(r->runs);
	free(r->matrix_rows);
	free(r->matrix_columns);
	free(r->cells);
	free(r);
}

int
html_report_add_platform(struct html_report *r, const char *key, const char *value)
{
	struct platform_line *grown, *line;
	bool failed = false;

	if (r == NULL || key == NULL) {
		errno = EINVAL;
		return -1;
	}
	grown = grow_array(r->platform, &r->platform_cap, r->nplatform, sizeof(*grown));
	if (grown == NULL)
		return -1;
	r->platform = grown;
	line = &r->platform[r->nplatform];
	line->key = copy_or_null(key, &failed);
	line->value = copy_or_null(value != NULL ? value : "", &failed);
	if (failed) {
		free(line->key);
		free(line->value);
		return -1;
	}
	r->nplatform++;
	return 0;
}

/*
 * The id of a case run's tbody, for links (index.html#case-...): its
 * name and family with anything but letters, digits, '-', '.' and '_'
 * made '_', lower case; "-N" added when an earlier run has it.
 */
static char *
make_anchor(const struct html_report *r, const char *name, const char *family)
{
	size_t len = 5 + strlen(name) + 1 + (family != NULL ? strlen(family) : 0) + 24, i, n;
	char *a = malloc(len), *p;
	bool taken;
	unsigned suffix = 1;

	if (a == NULL)
		return NULL;
	snprintf(a, len, "case-%s%s%s", name, family != NULL && family[0] != '\0' ? "-" : "",
	    family != NULL ? family : "");
	for (p = a; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch >= 'A' && ch <= 'Z')
			*p = (char)(ch - 'A' + 'a');
		else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_'))
			*p = '_';
	}
	n = strlen(a);
	do {
		taken = false;
		for (i = 0; i < r->nruns; i++)
			if (strcmp(r->runs[i].anchor, a) == 0)
				taken = true;
		if (taken)
			snprintf(a + n, len - n, "-%u", ++suffix);
	} while (taken);
	return a;
}

int
html_report_add_case(struct html_report *r, const struct html_report_case *c)
{
	struct run *grown, *run;
	bool failed = false;
	size_t i;

	if (r == NULL || c == NULL || r->nruns >= INT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	grown = grow_array(r->runs, &r->runs_cap, r->nruns, sizeof(*grown));
	if (grown == NULL)
		return -1;
	r->runs = grown;
	run = &r->runs[r->nruns];
	memset(run, 0, sizeof(*run));
	run->name = copy_or_null(c->name != NULL ? c->name : "", &failed);
	run->family = copy_or_null(c->family, &failed);
	run->status = copy_or_null(c->status, &failed);
	run->teardown = copy_or_null(c->teardown, &failed);
	for (i = 0; i < HTML_REPORT_DIRECTION_COUNT; i++)
		run->outcome[i] = copy_or_null(c->outcome[i], &failed);
	run->lost_bytes = c->lost_bytes;
	run->verdict = copy_or_null(c->verdict, &failed);
	run->pcap_href = copy_or_null(c->pcap_href, &failed);
	run->json_href = copy_or_null(c->json_href, &failed);
	run->svg_href = copy_or_null(c->svg_href, &failed);
	run->text_href = copy_or_null(c->text_href, &failed);
	if (!failed && run->name != NULL) {
		run->anchor = make_anchor(r, run->name, run->family);
		failed = run->anchor == NULL;
	}
	if (failed) {
		run_free(run);
		errno = ENOMEM;
		return -1;
	}
	return (int)r->nruns++;
}

int
html_report_add_expectation(struct html_report *r, size_t index,
    const struct html_report_expectation *e)
{
	struct expect *grown, *x;
	struct run *run;
	bool failed = false;

	if (r == NULL || e == NULL || index >= r->nruns ||
	    (unsigned)e->state >= HTML_REPORT_EXPECT_STATE_COUNT) {
		errno = EINVAL;
		return -1;
	}
	run = &r->runs[index];
	grown = grow_array(run->expects, &run->expects_cap, run->nexpects, sizeof(*grown));
	if (grown == NULL)
		return -1;
	run->expects = grown;
	x = &run->expects[run->nexpects];
	x->state = e->state;
	x->expectation = copy_or_null(e->expectation != NULL ? e->expectation : "", &failed);
	x->observed = copy_or_null(e->observed, &failed);
	if (failed) {
		free(x->expectation);
		free(x->observed);
		errno = ENOMEM;
		return -1;
	}
	run->nexpects++;
	return 0;
}

/* The index of name in names, added at the end when missing; -1 ENOMEM. */
static int
intern(char ***names, size_t *n, size_t *cap, const char *name, size_t *index)
{
	char **grown, *copy;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0) {
			*index = i;
			return 0;
		}
	grown = grow_array(*names, cap, *n, sizeof(*grown));
	if (grown == NULL)
		return -1;
	*names = grown;
	copy = strdup(name);
	if (copy == NULL)
		return -1;
	grown[*n] = copy;
	*index = (*n)++;
	return 0;
}

static struct cell *
find_cell(struct html_report *r, const char *case_name, const char *platform)
{
	struct cell *grown, *c;
	size_t row, column, i;

	if (intern(&r->matrix_rows, &r->nmatrix_rows, &r->matrix_rows_cap, case_name, &row) < 0 ||
	    intern(&r->matrix_columns, &r->nmatrix_columns, &r->matrix_columns_cap, platform,
	    &column) < 0)
		return NULL;
	for (i = 0; i < r->ncells; i++)
		if (r->cells[i].row == row && r->cells[i].column == column)
			return &r->cells[i];
	grown = grow_array(r->cells, &r->cells_cap, r->ncells, sizeof(*grown));
	if (grown == NULL)
		return NULL;
	r->cells = grown;
	c = &r->cells[r->ncells++];
	memset(c, 0, sizeof(*c));
	c->row = row;
	c->column = column;
	return c;
}

int
html_report_set_matrix_cell(struct html_report *r, const char *case_name,
    const char *platform, const char *value)
{
	struct cell *c;
	char *copy;

	if (r == NULL || case_name == NULL || platform == NULL) {
		errno = EINVAL;
		return -1;
	}
	copy = strdup(value != NULL ? value : "");
	if (copy == NULL)
		return -1;
	c = find_cell(r, case_name, platform);
	if (c == NULL) {
		free(copy);
		return -1;
	}
	free(c->value);
	c->value = copy;
	return 0;
}

int
html_report_add_matrix_change(struct html_report *r, const char *case_name,
    const char *platform, const char *field, const char *was, const char *now)
{
	struct change *grown, *ch;
	struct cell *c;
	bool failed = false;

	if (r == NULL || case_name == NULL || platform == NULL || field == NULL) {
		errno = EINVAL;
		return -1;
	}
	c = find_cell(r, case_name, platform);
	if (c == NULL)
		return -1;
	grown = grow_array(c->changes, &c->changes_cap, c->nchanges, sizeof(*grown));
	if (grown == NULL)
		return -1;
	c->changes = grown;
	ch = &c->changes[c->nchanges];
	ch->field = copy_or_null(field, &failed);
	ch->was = copy_or_null(was != NULL ? was : "-", &failed);
	ch->now = copy_or_null(now != NULL ? now : "-", &failed);
	if (failed) {
		free(ch->field);
		free(ch->was);
		free(ch->now);
		errno = ENOMEM;
		return -1;
	}
	c->nchanges++;
	return 0;
}

/* Writing */

static const char page_style[] =
    ":root{color-scheme:light}\n"
    "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#263238;background:#fff}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n"
    "table{border-collapse:collapse}\n"
    "table.kv td{padding:2px 14px 2px 0;vertical-align:top}\n"
    "table.kv td:first-child{color:#607d8b}\n"
    "#runs{width:100%}\n"
    "#runs th,#runs td{text-align:left;padding:5px 8px;border-bottom:1px solid #e0e4e8;"
    "vertical-align:top}\n"
    "#runs thead th{background:#eceff1;position:sticky;top:0;white-space:nowrap}\n"
    ".js #runs thead th{cursor:pointer;user-select:none}\n"
    ".js #runs thead th::after{content:' \\2195';color:#b0bec5}\n"
    ".js #runs th[aria-sort=ascending]::after{content:' \\25b2';color:#263238}\n"
    ".js #runs th[aria-sort=descending]::after{content:' \\25bc';color:#263238}\n"
    "#runs th[data-type=num]{text-align:right}\n"
    "#runs td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "#runs tbody.run:hover tr.summary{background:#f5f8fb}\n"
    "tbody.run{scroll-margin-top:36px}\n"
    ".js tbody.run tr.detail{display:none}\n"
    ".js tbody.run.open tr.detail{display:table-row}\n"
    "tr.detail td{background:#fafbfc;padding:10px 16px 18px}\n"
    "button.toggle{border:0;background:none;cursor:pointer;font:inherit;padding:0 4px 0 0;"
    "color:#455a64}\n"
    ".nojs button.toggle{display:none}\n"
    ".badge{display:inline-block;min-width:44px;text-align:center;border-radius:4px;"
    "color:#fff;font-weight:600;font-size:12px;padding:1px 6px}\n"
    ".st-PASS{background:#2e7d32}.st-FAIL{background:#c62828}.st-SKIP{background:#757575}"
    ".st-ERROR{background:#e65100}.st-UNSUPPORTED{background:#6a1b9a}.st-other{background:#455a64}\n"
    ".o-truncated,.o-corrupted{color:#c62828;font-weight:600}\n"
    ".o-delivered-but-reset,.o-hidden-reset{color:#e65100;font-weight:600}\n"
    ".o-clean,.o-delivered{color:#2e7d32}\n"
    ".muted{color:#90a4ae}\n"
    ".controls{display:flex;gap:12px;align-items:center;margin:8px 0 10px;flex-wrap:wrap}\n"
    ".nojs .controls{display:none}\n"
    ".controls input[type=search]{width:320px;padding:4px 6px}\n"
    "ul.expects{list-style:none;padding:0;margin:8px 0}\n"
    "ul.expects li{padding:1px 0}\n"
    ".mark{display:inline-block;width:70px;font-weight:600}\n"
    "li.ok .mark{color:#2e7d32}li.failed .mark{color:#c62828}li.skipped .mark{color:#90a4ae}\n"
    ".observed{color:#546e7a}\n"
    ".links a{margin-right:14px}\n"
    "figure{margin:10px 0 0}figure img{max-width:100%;border:1px solid #e0e4e8;"
    "background:#fff}\n"
    "#matrix th,#matrix td{border:1px solid #e0e4e8;padding:4px 8px;text-align:left;"
    "vertical-align:top}\n"
    "#matrix thead th{background:#eceff1}\n"
    "#matrix td.changed{background:#fff8e1}\n"
    "#matrix .change{font-size:12px;color:#8d6e63}\n"
    "@media print{.controls{display:none}.js tbody.run tr.detail{display:table-row}"
    "#runs thead th{position:static}}\n";

/*
 * Sorting, filtering, opening.  State may come from the address, so a
 * link can name a view: ?q=words&status=FAIL|!PASS&sort=column&dir=desc
 * (&open=all opens every row shown) and #case-... opens that case.
 */
static const char page_script[] =
    "(function () {\n"
    "'use strict';\n"
    "var doc = document, root = doc.documentElement;\n"
    "root.className = root.className.replace('nojs', 'js');\n"
    "var only = doc.getElementById('only-changed'), matrix = doc.getElementById('matrix');\n"
    "if (only && matrix) only.addEventListener('change', function () {\n"
    "  Array.prototype.forEach.call(matrix.tBodies[0].rows, function (tr) {\n"
    "    tr.hidden = only.checked && !tr.classList.contains('changed');\n"
    "  });\n"
    "});\n"
    "var table = doc.getElementById('runs');\n"
    "if (!table) return;\n"
    "var heads = table.tHead.rows[0].cells;\n"
    "var filter = doc.getElementById('filter'), status = doc.getElementById('status');\n"
    "var shown = doc.getElementById('shown');\n"
    "var runs = Array.prototype.slice.call(table.tBodies);\n"
    "function key(tb, col) {\n"
    "  var c = tb.rows[0].cells[col], k = c.getAttribute('data-sort');\n"
    "  return k !== null ? k : c.textContent.trim().toLowerCase();\n"
    "}\n"
    "function sortBy(col, dir) {\n"
    "  var numeric = heads[col].getAttribute('data-type') === 'num';\n"
    "  var order = runs.slice();\n"
    "  order.sort(function (a, b) {\n"
    "    var x = key(a, col), y = key(b, col);\n"
    "    var d = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);\n"
    "    return dir * d || Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index'));\n"
    "  });\n"
    "  order.forEach(function (tb) { table.appendChild(tb); });\n"
    "  for (var i = 0; i < heads.length; i++)\n"
    "    heads[i].setAttribute('aria-sort', i === col ? (dir > 0 ? 'ascending' : 'descending') : 'none');\n"
    "}\n"
    "function apply() {\n"
    "  var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);\n"
    "  var want = status.value, n = 0;\n"
    "  runs.forEach(function (tb) {\n"
    "    var text = tb.textContent.toLowerCase(), st = tb.getAttribute('data-status');\n"
    "    var ok = words.every(function (w) { return text.indexOf(w) >= 0; });\n"
    "    if (want.charAt(0) === '!') ok = ok && st !== want.slice(1);\n"
    "    else if (want) ok = ok && st === want;\n"
    "    tb.hidden = !ok;\n"
    "    if (ok) n++;\n"
    "  });\n"
    "  shown.textContent = n + ' of ' + runs.length + ' shown';\n"
    "}\n"
    "function toggle(tb, open) {\n"
    "  tb.classList.toggle('open', open);\n"
    "  var b = tb.querySelector('button.toggle');\n"
    "  if (b) { b.setAttribute('aria-expanded', String(open)); b.textContent = open ? '\\u25be' : '\\u25b8'; }\n"
    "}\n"
    "function openHash() {\n"
    "  var id = decodeURIComponent(location.hash.slice(1));\n"
    "  var tb = id ? doc.getElementById(id) : null;\n"
    "  if (tb && tb.classList.contains('run')) { toggle(tb, true); tb.scrollIntoView(); }\n"
    "}\n"
    "runs.forEach(function (tb) {\n"
    "  tb.querySelector('button.toggle').addEventListener('click', function () {\n"
    "    toggle(tb, !tb.classList.contains('open'));\n"
    "  });\n"
    "});\n"
    "Array.prototype.forEach.call(heads, function (th, col) {\n"
    "  th.addEventListener('click', function () {\n"
    "    sortBy(col, th.getAttribute('aria-sort') === 'ascending' ? -1 : 1);\n"
    "  });\n"
    "});\n"
    "filter.addEventListener('input', apply);\n"
    "status.addEventListener('change', apply);\n"
    "var params = new URLSearchParams(location.search);\n"
    "if (params.has('q')) filter.value = params.get('q');\n"
    "if (params.has('status')) status.value = params.get('status');\n"
    "if (params.has('sort')) {\n"
    "  for (var i = 0; i < heads.length; i++)\n"
    "    if (heads[i].getAttribute('data-key') === params.get('sort'))\n"
    "      sortBy(i, params.get('dir') === 'desc' ? -1 : 1);\n"
    "}\n"
    "apply();\n"
    "if (params.get('open') === 'all') runs.forEach(function (tb) { toggle(tb, true); });\n"
    "openHash();\n"
    "window.addEventListener('hashchange', openHash);\n"
    "})();\n";

static const char *const column_keys[COLUMN_COUNT] = {
	[COLUMN_CASE] = "case", [COLUMN_FAMILY] = "family", [COLUMN_STATUS] = "status",
	[COLUMN_TEARDOWN] = "teardown", [COLUMN_CLIENT_TO_SERVER] = "c2s",
	[COLUMN_SERVER_TO_CLIENT] = "s2c", [COLUMN_LOST] = "lost",
};

/* A class name from a word: letters, digits and '-' kept, the rest '-'. */
static void
put_class_word(FILE *out, const char *word)
{
	const unsigned char *s = (const unsigned char *)word;

	for (; *s != '\0'; s++)
		fputc(((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-') ? *s : '-', out);
}

static bool
known_status(const char *status)
{
	size_t i;

	for (i = 0; i < NSTATUSES; i++)
		if (status != NULL && strcmp(status, statuses[i]) == 0)
			return true;
	return false;
}

static void
put_status_badge(FILE *out, const char *status)
{
	fputs("<span class=\"badge ", out);
	if (known_status(status)) {
		fputs("st-", out);
		fputs(status, out);
	} else
		fputs("st-other", out);
	fputs("\">", out);
	markup_put_text(out, status != NULL && status[0] != '\0' ? status : "?");
	fputs("</span>", out);
}

static void
put_head(FILE *out, const struct html_report *r)
{
	size_t i, counts[NSTATUSES] = { 0 }, k, other = 0;
	char n[COUNT_SIZE];

	fputs("<!DOCTYPE html>\n<html lang=\"en\" class=\"nojs\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>", out);
	markup_put_text(out, r->title);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", page_style);
	markup_put_text(out, r->title);
	fputs("</h1>\n", out);
	for (i = 0; i < r->nruns; i++) {
		bool found = false;

		for (k = 0; k < NSTATUSES; k++)
			if (r->runs[i].status != NULL && strcmp(r->runs[i].status, statuses[k]) == 0) {
				counts[k]++;
				found = true;
			}
		other += !found;
	}
	if (r->nruns == 0 && r->ncells > 0)
		return;		/* comparisons only */
	fprintf(out, "<p class=\"lede\">%s case run%s", units_format_count(r->nruns, n, sizeof(n)),
	    r->nruns == 1 ? "" : "s");
	/* The first four always, as the run's summary line; the rest when seen. */
	for (k = 0; k < NSTATUSES; k++)
		if (k < 4 || counts[k] > 0)
			fprintf(out, "%s %s %s", k == 0 ? ":" : ",",
			    units_format_count(counts[k], n, sizeof(n)), statuses[k]);
	if (other > 0)
		fprintf(out, ", %s other", units_format_count(other, n, sizeof(n)));
	fputs("</p>\n", out);
}

static void
put_platform(FILE *out, const struct html_report *r)
{
	size_t i;

	if (r->nplatform == 0)
		return;
	fputs("<section id=\"platform-section\">\n<h2>Platform</h2>\n<table class=\"kv\">\n", out);
	for (i = 0; i < r->nplatform; i++) {
		fputs("<tr><td>", out);
		markup_put_text(out, r->platform[i].key);
		fputs("</td><td>", out);
		markup_put_text(out, r->platform[i].value);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n</section>\n", out);
}

static void
put_cell_text(FILE *out, const char *text)
{
	if (text == NULL || text[0] == '\0')
		fputs("<span class=\"muted\">-</span>", out);
	else
		markup_put_text(out, text);
}

static void
put_outcome(FILE *out, const char *outcome)
{
	if (outcome == NULL || outcome[0] == '\0') {
		fputs("<td data-sort=\"\"><span class=\"muted\">no data</span></td>", out);
		return;
	}
	fputs("<td class=\"o-", out);
	put_class_word(out, outcome);
	fputs("\">", out);
	markup_put_text(out, outcome);
	fputs("</td>", out);
}

static void
put_link(FILE *out, const char *href, const char *text)
{
	if (href == NULL || href[0] == '\0')
		return;
	fputs("<a href=\"", out);
	markup_put_href(out, href);
	fputs("\">", out);
	markup_put_text(out, text);
	fputs("</a>", out);
}

static void
put_run_detail(FILE *out, const struct run *run)
{
	size_t i;

	fprintf(out, "<tr class=\"detail\"><td colspan=\"%d\">\n", COLUMN_COUNT);
	if (run->verdict != NULL) {
		fputs("<p class=\"verdict\">", out);
		markup_put_text(out, run->verdict);
		fputs("</p>\n", out);
	}
	if (run->nexpects > 0) {
		fputs("<ul class=\"expects\">\n", out);
		for (i = 0; i < run->nexpects; i++) {
			const struct expect *x = &run->expects[i];

			fprintf(out, "<li class=\"%s\"><span class=\"mark\">%s</span>",
			    expect_words[x->state], expect_words[x->state]);
			markup_put_text(out, x->expectation);
			if (x->observed != NULL) {
				fputs(" <span class=\"observed\">\u2014 observed: ", out);
				markup_put_text(out, x->observed);
				fputs("</span>", out);
			}
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	fputs("<p class=\"links\">", out);
	put_link(out, run->svg_href, "ladder (SVG)");
	put_link(out, run->pcap_href, "capture (pcap)");
	put_link(out, run->json_href, "verdict (JSON)");
	put_link(out, run->text_href, "report (text)");
	fputs("</p>\n", out);
	if (run->svg_href != NULL && run->svg_href[0] != '\0') {
		fputs("<figure><a href=\"", out);
		markup_put_href(out, run->svg_href);
		fputs("\"><img loading=\"lazy\" src=\"", out);
		markup_put_href(out, run->svg_href);
		fputs("\" alt=\"ladder diagram of ", out);
		markup_put_text(out, run->name);
		fputs("\"></a></figure>\n", out);
	}
	fputs("</td></tr>\n", out);
}

static void
put_run(FILE *out, const struct run *run, size_t index)
{
	char n[COUNT_SIZE];

	fputs("<tbody class=\"run\" id=\"", out);
	markup_put_text(out, run->anchor);
	fprintf(out, "\" data-index=\"%zu\" data-status=\"", index);
	markup_put_text(out, run->status);
	fputs("\">\n<tr class=\"summary\"><td><button class=\"toggle\" type=\"button\" "
	    "aria-expanded=\"false\" title=\"open\">\u25b8</button><a href=\"#", out);
	markup_put_text(out, run->anchor);
	fputs("\">", out);
	markup_put_text(out, run->name);
	fputs("</a></td><td>", out);
	put_cell_text(out, run->family);
	fputs("</td><td data-sort=\"", out);
	markup_put_text(out, run->status);
	fputs("\">", out);
	put_status_badge(out, run->status);
	fputs("</td><td>", out);
	put_cell_text(out, run->teardown);
	fputs("</td>", out);
	put_outcome(out, run->outcome[HTML_REPORT_CLIENT_TO_SERVER]);
	put_outcome(out, run->outcome[HTML_REPORT_SERVER_TO_CLIENT]);
	fprintf(out, "<td class=\"num\" data-sort=\"%" PRIu64 "\">%s B</td></tr>\n",
	    run->lost_bytes, units_format_count(run->lost_bytes, n, sizeof(n)));
	put_run_detail(out, run);
	fputs("</tbody>\n", out);
}

static void
put_runs(FILE *out, const struct html_report *r)
{
	size_t i;

	fputs("<section id=\"runs-section\">\n<h2>Case runs</h2>\n<div class=\"controls\">"
	    "<input id=\"filter\" type=\"search\" placeholder=\"filter: words in the name, "
	    "teardown, verdict\" aria-label=\"filter\">"
	    "<select id=\"status\" aria-label=\"status\"><option value=\"\">every status</option>"
	    "<option value=\"!PASS\">not PASS</option>", out);
	for (i = 0; i < NSTATUSES; i++)
		fprintf(out, "<option value=\"%s\">%s</option>", statuses[i], statuses[i]);
	fputs("</select><span id=\"shown\"></span></div>\n<table id=\"runs\">\n<thead><tr>", out);
	for (i = 0; i < COLUMN_COUNT; i++)
		fprintf(out, "<th data-key=\"%s\"%s aria-sort=\"none\">%s</th>", column_keys[i],
		    columns[i].numeric ? " data-type=\"num\"" : "", columns[i].title);
	fputs("</tr></thead>\n", out);
	for (i = 0; i < r->nruns; i++)
		put_run(out, &r->runs[i], i);
	fputs("</table>\n</section>\n", out);
}

static const struct cell *
cell_at(const struct html_report *r, size_t row, size_t column)
{
	size_t i;

	for (i = 0; i < r->ncells; i++)
		if (r->cells[i].row == row && r->cells[i].column == column)
			return &r->cells[i];
	return NULL;
}

static void
put_matrix(FILE *out, const struct html_report *r)
{
	size_t row, column, i;
	bool changed;

	if (r->ncells == 0)
		return;
	fputs("<section id=\"matrix-section\">\n<h2>Cases \u00d7 platforms</h2>\n"
	    "<div class=\"controls\"><label><input id=\"only-changed\" type=\"checkbox\"> "
	    "only cases that changed</label></div>\n<table id=\"matrix\">\n<thead><tr><th>case</th>",
	    out);
	for (column = 0; column < r->nmatrix_columns; column++) {
		fputs("<th>", out);
		markup_put_text(out, r->matrix_columns[column]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (row = 0; row < r->nmatrix_rows; row++) {
		changed = false;
		for (column = 0; column < r->nmatrix_columns; column++) {
			const struct cell *c = cell_at(r, row, column);

			if (c != NULL && c->nchanges > 0)
				changed = true;
		}
		fprintf(out, "<tr%s><th>", changed ? " class=\"changed\"" : "");
		markup_put_text(out, r->matrix_rows[row]);
		fputs("</th>", out);
		for (column = 0; column < r->nmatrix_columns; column++) {
			const struct cell *c = cell_at(r, row, column);

			if (c == NULL) {
				fputs("<td><span class=\"muted\">not run</span></td>", out);
				continue;
			}
			fprintf(out, "<td%s>", c->nchanges > 0 ? " class=\"changed\"" : "");
			put_cell_text(out, c->value);
			for (i = 0; i < c->nchanges; i++) {
				fputs("<div class=\"change\">", out);
				markup_put_text(out, c->changes[i].field);
				fputs(": ", out);
				markup_put_text(out, c->changes[i].was);
				fputs(" \u2192 ", out);
				markup_put_text(out, c->changes[i].now);
				fputs("</div>", out);
			}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

int
html_report_write(const struct html_report *r, FILE *out, char *err, size_t errlen)
{
	if (r == NULL || out == NULL) {
		snprintf(err, errlen, "writing the report: no report or no stream");
		errno = EINVAL;
		return -1;
	}
	put_head(out, r);
	put_platform(out, r);
	/* A page of comparisons alone has no table of runs. */
	if (r->nruns > 0 || r->ncells == 0)
		put_runs(out, r);
	put_matrix(out, r);
	fprintf(out, "<script>\n%s</script>\n</body>\n</html>\n", page_script);
	/* A write that failed earlier left its errno (stdio keeps no other). */
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "writing the report: %s", strerror(errno != 0 ? errno : EIO));
		return -1;
	}
	return 0;
}
