/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runhtml.c - the run's report page from its JSON records (see
 * runhtml.h): each record read back with the JSON reader, its fields put
 * in the page's neutral model (html.h), its JSON kept beside the page.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"
#include "json.h"
#include "runhtml.h"
#include "strbuf.h"

struct run_html {
	char *dir;		/* as given */
	char *dir_real;		/* resolved: links are relative to it */
	char *page;		/* DIR/index.html */
	struct html_report *report;
	bool have_platform;
	char **json_names;	/* DIR/json/ names given, for uniqueness */
	size_t njson_names;
};

static char *
join(const char *a, const char *b)
{
	size_t len = strlen(a) + strlen(b) + 2;
	char *s = malloc(len);

	if (s != NULL)
		snprintf(s, len, "%s/%s", a, b);
	return s;
}

struct run_html *
run_html_open(const char *dir, const char *title, char *err, size_t errlen)
{
	struct run_html *h = calloc(1, sizeof(*h));
	char *json_dir = NULL;

	if (h == NULL)
		goto nomem;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		run_html_free(h);
		return NULL;
	}
	h->dir = strdup(dir);
	h->dir_real = realpath(dir, NULL);
	h->page = join(dir, "index.html");
	json_dir = join(dir, "json");
	h->report = html_report_new(title);
	if (h->dir == NULL || h->page == NULL || json_dir == NULL || h->report == NULL)
		goto nomem;
	if (h->dir_real == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(json_dir);
		run_html_free(h);
		return NULL;
	}
	free(json_dir);
	return h;
nomem:
	snprintf(err, errlen, "out of memory");
	free(json_dir);
	run_html_free(h);
	return NULL;
}

void
run_html_free(struct run_html *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->njson_names; i++)
		free(h->json_names[i]);
	free(h->json_names);
	html_report_free(h->report);
	free(h->dir);
	free(h->dir_real);
	free(h->page);
	free(h);
}

const char *
run_html_path(const struct run_html *h)
{
	return h->page;
}

/*
 * The link from the page's directory to path (a file that exists): its
 * resolved path made relative to DIR's (the page escapes what a URL
 * cannot hold).  NULL when path cannot be resolved (or ENOMEM).
 */
static char *
href_to(const struct run_html *h, const char *path)
{
	char *real = path != NULL ? realpath(path, NULL) : NULL;
	const char *from = h->dir_real, *to = real;
	size_t common = 0, i, ups = 0, len;
	char *href, *out;

	if (real == NULL)
		return NULL;
	/* The longest common prefix that ends at a component boundary. */
	for (i = 0; from[i] != '\0' && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (from[i] == '\0' && (to[i] == '/' || to[i] == '\0'))
		common = i;
	for (i = common; from[i] != '\0'; i++)
		if (from[i] == '/')
			ups++;
	to += common;
	if (*to == '/')
		to++;
	len = ups * 3 + strlen(to) + 1;
	href = out = malloc(len);
	if (href != NULL) {
		for (i = 0; i < ups; i++)
			out += sprintf(out, "../");
		strcpy(out, to);
	}
	free(real);
	return href;
}

/* "rst from server", from the wire object: the side whose RST (else FIN) came first. */
static char *
teardown_text(const struct json_value *wire)
{
	const char *kind = json_string(json_get(wire, "teardown"));
	const char *which = kind != NULL && strstr(kind, "rst") != NULL ? "rst" : "fin";
	uint64_t best = UINT64_MAX, packet;
	const char *side = NULL, *sides[] = { "client", "server" };
	char *text;
	size_t i;

	if (kind == NULL)
		return NULL;
	for (i = 0; i < 2; i++)
		if (json_u64(json_path(wire, sides[i], which, "packet", NULL), &packet) == 0 &&
		    packet < best) {
			best = packet;
			side = sides[i];
		}
	if (side == NULL)
		return strdup(kind);
	text = malloc(strlen(kind) + strlen(side) + 8);
	if (text != NULL)
		sprintf(text, "%s from %s", kind, side);
	return text;
}

/*
 * The run's text without its expectation lines ("  ok     FILE:LINE: ...",
 * "  skip", "  FAILED"): the page lists those apart, with their state.
 */
static char *
verdict_text(const char *text)
{
	static const char *const marks[] = { "  ok ", "  skip ", "  FAILED " };
	const char *line, *next;
	char *out, *o;
	size_t m;

	if (text == NULL)
		return NULL;
	out = o = malloc(strlen(text) + 1);
	if (out == NULL)
		return NULL;
	for (line = text; *line != '\0'; line = next) {
		bool mark = false;

		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		for (m = 0; m < sizeof(marks) / sizeof(marks[0]) && !mark; m++)
			mark = strncmp(line, marks[m], strlen(marks[m])) == 0;
		if (!mark) {
			memcpy(o, line, (size_t)(next - line));
			o += next - line;
		}
	}
	*o = '\0';
	return out;
}

/* "close-unread-truncates-v6.json", unique among those given. */
static char *
json_name(struct run_html *h, const char *base, int family)
{
	size_t len = strlen(base) + 32, i, n = 1;
	char **grown, *name = malloc(len);
	bool taken;

	if (name == NULL)
		return NULL;
	do {
		if (n == 1)
			snprintf(name, len, "%s-v%d.json", base, family);
		else
			snprintf(name, len, "%s-v%d-%zu.json", base, family, n);
		taken = false;
		for (i = 0; i < h->njson_names && !taken; i++)
			taken = strcmp(h->json_names[i], name) == 0;
		n++;
	} while (taken);
	grown = realloc(h->json_names, (h->njson_names + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(name);
		return NULL;
	}
	h->json_names = grown;
	h->json_names[h->njson_names++] = name;
	return name;
}

/* What a file holds, written by its own function: 0, or -1 with err. */
typedef int put_fn(FILE *out, const void *what, char *err, size_t errlen);

/*
 * Write path whole or not at all: into PATH.tmp by put, then renamed
 * over path.  0, or -1 with err "PATH: reason" (no file left behind).
 */
static int
write_aside(const char *path, put_fn *put, const void *what, char *err, size_t errlen)
{
	char *tmp = malloc(strlen(path) + sizeof(".tmp"));
	FILE *out;
	int rc = -1;

	if (tmp == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sprintf(tmp, "%s.tmp", path);
	out = fopen(tmp, "w");
	if (out == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (put(out, what, err, errlen) < 0) {
		fclose(out);
		(void)unlink(tmp);
	} else if ((ferror(out) | fclose(out)) != 0 || rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		(void)unlink(tmp);
	} else
		rc = 0;
	free(tmp);
	return rc;
}

static int
put_json(FILE *out, const void *json, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	fputs(json, out);
	fputc('\n', out);
	return 0;
}

static int
put_page(FILE *out, const void *report, char *err, size_t errlen)
{
	return html_report_write(report, out, err, errlen);
}

/* Keep a run's JSON as DIR/json/NAME.  0, or -1 with err. */
static int
keep_json(const struct run_html *h, const char *name, const char *json, char *err,
    size_t errlen)
{
	char *dir = join(h->dir, "json"), *path = dir ? join(dir, name) : NULL;
	int rc = -1;

	if (path == NULL)
		snprintf(err, errlen, "out of memory");
	/* Made with the first record: a page of comparisons has none. */
	else if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
	else
		rc = write_aside(path, put_json, json, err, errlen);
	free(path);
	free(dir);
	return rc;
}

/* The platform lines from a record's "platform" object: its strings, then sysctls. */
static int
add_platform(struct run_html *h, const struct json_value *p)
{
	const struct json_value *sysctls = json_get(p, "sysctls");
	struct strbuf line;
	size_t i;

	strbuf_init(&line);
	for (i = 0; p != NULL && p->type == JSON_OBJECT && i < p->count; i++)
		if (p->items[i].type == JSON_STRING &&
		    html_report_add_platform(h->report, p->keys[i], p->items[i].text) < 0) {
			strbuf_free(&line);
			return -1;
		}
	/* The sysctls in one line: the table of runs should show without scrolling. */
	for (i = 0; sysctls != NULL && sysctls->type == JSON_OBJECT && i < sysctls->count; i++)
		if (sysctls->items[i].type == JSON_STRING)
			strbuf_addf(&line, "%s%s = %s", line.len > 0 ? ", " : "", sysctls->keys[i],
			    sysctls->items[i].text);
	if (line.failed || (line.len > 0 &&
	    html_report_add_platform(h->report, "sysctls", line.data) < 0)) {
		strbuf_free(&line);
		return -1;
	}
	strbuf_free(&line);
	h->have_platform = true;
	return 0;
}

static int
add_expectations(struct run_html *h, int index, const struct json_value *list)
{
	size_t i;

	for (i = 0; list != NULL && list->type == JSON_ARRAY && i < list->count; i++) {
		const struct json_value *e = &list->items[i], *held = json_get(e, "held");
		struct html_report_expectation x;
		uint64_t line = 0;
		char text[512];

		(void)json_u64(json_get(e, "line"), &line);
		snprintf(text, sizeof(text), "line %" PRIu64 ": %s", line,
		    json_string(json_get(e, "expect")) ? json_string(json_get(e, "expect")) : "?");
		x.state = json_is_null(held) ? HTML_REPORT_EXPECT_SKIPPED :
		    held->boolean ? HTML_REPORT_EXPECT_OK : HTML_REPORT_EXPECT_FAILED;
		x.expectation = text;
		x.observed = json_string(json_get(e, "observed"));
		if (html_report_add_expectation(h->report, (size_t)index, &x) < 0)
			return -1;
	}
	return 0;
}

int
run_html_record(struct run_html *h, const char *label, const char *text, const char *json,
    char *err, size_t errlen)
{
	static const char *const directions[HTML_REPORT_DIRECTION_COUNT] = {
		"client->server", "server->client"
	};
	struct json_value *v = NULL;
	const struct json_value *ev;
	struct html_report_case c;
	char *teardown = NULL, *pcap = NULL, *svg = NULL, *txt = NULL, *jhref = NULL;
	char *name, *jdir = NULL, *jpath = NULL, *shown = NULL, *verdict = NULL, family[32] = "";
	const char *case_name, *repeat;
	uint64_t fam = 0, lost;
	int rc = -1, index, d;

	if (json_parse(json, strlen(json), &v, err, errlen) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	/* The page says the family in a column of its own; a repeat's "#2/3" stays. */
	case_name = json_string(json_get(v, "case"));
	if (case_name != NULL && (repeat = strstr(label, " #")) != NULL) {
		shown = malloc(strlen(case_name) + strlen(repeat) + 1);
		if (shown == NULL)
			goto nomem;
		sprintf(shown, "%s%s", case_name, repeat);
	}
	c.name = shown != NULL ? shown : case_name != NULL ? case_name : label;
	(void)json_u64(json_get(v, "family"), &fam);
	if (fam != 0)
		snprintf(family, sizeof(family), "IPv%" PRIu64, fam);
	c.family = family;
	c.status = json_string(json_get(v, "status"));
	teardown = teardown_text(json_get(v, "wire"));
	c.teardown = teardown;
	for (d = 0; d < HTML_REPORT_DIRECTION_COUNT; d++) {
		const struct json_value *dv = json_path(v, "directions", directions[d], NULL);

		c.outcome[d] = json_string(json_get(dv, "outcome"));
		if (json_u64(json_get(dv, "lost"), &lost) == 0)
			c.lost_bytes += lost;
	}
	verdict = verdict_text(text);
	if (text != NULL && verdict == NULL)
		goto nomem;
	c.verdict = verdict;
	ev = json_get(v, "evidence");
	pcap = href_to(h, json_string(json_get(ev, "pcap")));
	svg = href_to(h, json_string(json_get(ev, "svg")));
	txt = href_to(h, json_string(json_get(ev, "text")));
	c.pcap_href = pcap;
	c.svg_href = svg;
	c.text_href = txt;
	name = json_name(h, json_string(json_get(v, "case")) ? json_string(json_get(v, "case")) :
	    "run", (int)fam);
	if (name == NULL)
		goto nomem;
	if (keep_json(h, name, json, err, errlen) < 0)
		goto done;
	jdir = join(h->dir, "json");
	jpath = jdir != NULL ? join(jdir, name) : NULL;
	jhref = href_to(h, jpath);
	c.json_href = jhref;
	if (!h->have_platform && json_get(v, "platform") != NULL &&
	    !json_is_null(json_get(v, "platform")) && add_platform(h, json_get(v, "platform")) < 0)
		goto nomem;
	index = html_report_add_case(h->report, &c);
	if (index < 0 || add_expectations(h, index, json_get(v, "expectations")) < 0)
		goto nomem;
	rc = 0;
	goto done;
nomem:
	snprintf(err, errlen, "out of memory");
done:
	free(verdict);
	free(shown);
	free(teardown);
	free(pcap);
	free(svg);
	free(txt);
	free(jhref);
	free(jpath);
	free(jdir);
	json_free(v);
	return rc;
}

int
run_html_matrix_cell(struct run_html *h, const char *key, const char *platform,
    const char *value)
{
	return html_report_set_matrix_cell(h->report, key, platform, value);
}

int
run_html_matrix_change(struct run_html *h, const char *key, const char *platform,
    const char *field, const char *was, const char *now)
{
	return html_report_add_matrix_change(h->report, key, platform, field, was, now);
}

int
run_html_write(struct run_html *h, char *err, size_t errlen)
{
	return write_aside(h->page, put_page, h->report, err, errlen);
}
