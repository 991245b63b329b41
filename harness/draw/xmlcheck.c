/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xmlcheck.c - a well-formedness checker for the tests (see xmlcheck.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmlcheck.h"

enum {
	DEPTH_MAX = 256,
	ATTRIBUTES_MAX = 64
};

struct name {
	const char *p;
	size_t len;
};

struct parser {
	const char *text;
	size_t len, pos;
	enum xmlcheck_mode mode;
	struct name stack[DEPTH_MAX];
	size_t depth;
	bool root_seen;
	char *err;
	size_t errlen;
};

static int
fail(struct parser *p, const char *why)
{
	snprintf(p->err, p->errlen, "%s at byte %zu", why, p->pos);
	return -1;
}

static bool
starts(const struct parser *p, const char *s)
{
	size_t n = strlen(s);

	if (p->len - p->pos < n)
		return false;
	if (p->mode == XMLCHECK_HTML)
		return strncasecmp(p->text + p->pos, s, n) == 0;
	return strncmp(p->text + p->pos, s, n) == 0;
}

/* Move past the next occurrence of end; -1 when there is none. */
static int
skip_past(struct parser *p, const char *end, const char *what)
{
	const char *hit = memmem(p->text + p->pos, p->len - p->pos, end, strlen(end));

	if (hit == NULL)
		return fail(p, what);
	p->pos = (size_t)(hit - p->text) + strlen(end);
	return 0;
}

static bool
name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static bool
name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool
space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
skip_space(struct parser *p)
{
	while (p->pos < p->len && space((unsigned char)p->text[p->pos]))
		p->pos++;
}

static int
read_name(struct parser *p, struct name *n)
{
	n->p = p->text + p->pos;
	if (p->pos >= p->len || !name_start((unsigned char)p->text[p->pos]))
		return fail(p, "a name expected");
	while (p->pos < p->len && name_char((unsigned char)p->text[p->pos]))
		p->pos++;
	n->len = (size_t)(p->text + p->pos - n->p);
	return 0;
}

static bool
same_name(const struct parser *p, const struct name *a, const struct name *b)
{
	if (a->len != b->len)
		return false;
	if (p->mode == XMLCHECK_HTML)
		return strncasecmp(a->p, b->p, a->len) == 0;
	return memcmp(a->p, b->p, a->len) == 0;
}

static bool
name_is(const struct name *n, const char *s)
{
	return n->len == strlen(s) && strncasecmp(n->p, s, n->len) == 0;
}

/* A reference at p->pos ('&'): &name; &#123; &#x1F;. */
static int
check_reference(struct parser *p)
{
	static const char *const xml_names[] = { "amp", "lt", "gt", "quot", "apos" };
	size_t start = ++p->pos, i;
	bool ok = false;

	if (p->pos < p->len && p->text[p->pos] == '#') {
		p->pos++;
		if (p->pos < p->len && p->text[p->pos] == 'x') {
			p->pos++;
			while (p->pos < p->len && strchr("0123456789abcdefABCDEF", p->text[p->pos]) != NULL &&
			    p->text[p->pos] != '\0')
				p->pos++;
		} else
			while (p->pos < p->len && p->text[p->pos] >= '0' && p->text[p->pos] <= '9')
				p->pos++;
		ok = p->pos > start + 1 && (p->text[start + 1] != 'x' || p->pos > start + 2);
	} else {
		while (p->pos < p->len && name_char((unsigned char)p->text[p->pos]))
			p->pos++;
		if (p->mode == XMLCHECK_HTML)
			ok = p->pos > start;
		for (i = 0; i < sizeof(xml_names) / sizeof(xml_names[0]); i++)
			if (p->pos - start == strlen(xml_names[i]) &&
			    strncmp(p->text + start, xml_names[i], p->pos - start) == 0)
				ok = true;
	}
	if (!ok || p->pos >= p->len || p->text[p->pos] != ';')
		return fail(p, "a bad reference");
	p->pos++;
	return 0;
}

/* Text up to the next '<'. */
static int
check_text(struct parser *p)
{
	while (p->pos < p->len && p->text[p->pos] != '<') {
		char c = p->text[p->pos];

		if (c == '&') {
			if (check_reference(p) < 0)
				return -1;
			continue;
		}
		if (p->mode == XMLCHECK_XML && p->depth == 0 && !space((unsigned char)c))
			return fail(p, "text outside the root element");
		if (p->mode == XMLCHECK_XML && starts(p, "]]>"))
			return fail(p, "]]> in text");
		p->pos++;
	}
	return 0;
}

static bool
void_element(const struct name *n)
{
	static const char *const voids[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
		"meta", "source", "track", "wbr"
	};
	size_t i;

	for (i = 0; i < sizeof(voids) / sizeof(voids[0]); i++)
		if (name_is(n, voids[i]))
			return true;
	return false;
}

static int
check_attributes(struct parser *p)
{
	struct name seen[ATTRIBUTES_MAX], n;
	size_t nseen = 0, i;
	char quote;

	for (;;) {
		size_t before = p->pos;

		skip_space(p);
		if (p->pos >= p->len)
			return fail(p, "the document ends in a tag");
		if (p->text[p->pos] == '>' || starts(p, "/>"))
			return 0;
		if (p->pos == before)
			return fail(p, "no space before an attribute");
		if (read_name(p, &n) < 0)
			return -1;
		for (i = 0; i < nseen; i++)
			if (same_name(p, &seen[i], &n))
				return fail(p, "an attribute twice");
		if (nseen == ATTRIBUTES_MAX)
			return fail(p, "too many attributes");
		seen[nseen++] = n;
		skip_space(p);
		if (p->pos >= p->len || p->text[p->pos] != '=') {
			if (p->mode == XMLCHECK_HTML)
				continue;	/* <input hidden> */
			return fail(p, "an attribute without a value");
		}
		p->pos++;
		skip_space(p);
		if (p->pos >= p->len || (p->text[p->pos] != '"' && p->text[p->pos] != '\''))
			return fail(p, "an unquoted attribute value");
		quote = p->text[p->pos++];
		while (p->pos < p->len && p->text[p->pos] != quote) {
			if (p->text[p->pos] == '<')
				return fail(p, "'<' in an attribute value");
			if (p->text[p->pos] == '&') {
				if (check_reference(p) < 0)
					return -1;
				continue;
			}
			p->pos++;
		}
		if (p->pos >= p->len)
			return fail(p, "an attribute value not closed");
		p->pos++;
	}
}

static int
check_start_tag(struct parser *p)
{
	struct name n;
	const char *end;
	char close[32];

	p->pos++;
	if (read_name(p, &n) < 0 || check_attributes(p) < 0)
		return -1;
	if (p->mode == XMLCHECK_XML && p->depth == 0) {
		if (p->root_seen)
			return fail(p, "a second root element");
		p->root_seen = true;
	}
	if (starts(p, "/>")) {
		p->pos += 2;
		return 0;
	}
	p->pos++;
	if (p->mode == XMLCHECK_HTML && void_element(&n))
		return 0;
	if (p->depth == DEPTH_MAX)
		return fail(p, "nested too deep");
	p->stack[p->depth++] = n;
	if (p->mode == XMLCHECK_HTML && (name_is(&n, "script") || name_is(&n, "style"))) {
		/* Raw text: nothing in it is markup until its end tag. */
		snprintf(close, sizeof(close), "</%.*s", (int)n.len, n.p);
		for (end = p->text + p->pos; end + strlen(close) <= p->text + p->len; end++)
			if (strncasecmp(end, close, strlen(close)) == 0)
				break;
		if (end + strlen(close) > p->text + p->len)
			return fail(p, "a script or style not closed");
		p->pos = (size_t)(end - p->text);
	}
	return 0;
}

static int
check_end_tag(struct parser *p)
{
	struct name n;

	p->pos += 2;
	if (read_name(p, &n) < 0)
		return -1;
	skip_space(p);
	if (p->pos >= p->len || p->text[p->pos] != '>')
		return fail(p, "an end tag not closed");
	p->pos++;
	if (p->depth == 0 || !same_name(p, &p->stack[p->depth - 1], &n))
		return fail(p, "an end tag that matches no start tag");
	p->depth--;
	return 0;
}

/* Valid UTF-8 holding only XML's characters. */
static int
check_characters(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->text;
	size_t i = 0, n, k;
	uint32_t c;

	while (i < p->len) {
		p->pos = i;
		if (s[i] < 0x80) {
			if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
				return fail(p, "a control character");
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			c = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			c = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			c = s[i] & 0x07;
		} else
			return fail(p, "a byte that is not UTF-8");
		if (i + n > p->len)
			return fail(p, "UTF-8 cut short");
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return fail(p, "a byte that is not UTF-8");
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
			return fail(p, "a character XML does not allow");
		i += n;
	}
	return 0;
}

int
xmlcheck_document(const char *text, size_t len, enum xmlcheck_mode mode, char *err,
    size_t errlen)
{
	struct parser *p = calloc(1, sizeof(*p));
	int rc = 0;

	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->text = text;
	p->len = len;
	p->mode = mode;
	p->err = err;
	p->errlen = errlen;
	if (memchr(text, '\0', len) != NULL)
		rc = fail(p, "a NUL byte");
	else if (check_characters(p) < 0)
		rc = -1;
	p->pos = 0;
	if (rc == 0 && mode == XMLCHECK_XML && starts(p, "<?xml"))
		rc = skip_past(p, "?>", "the XML declaration not closed");
	while (rc == 0 && p->pos < p->len) {
		if (p->text[p->pos] != '<')
			rc = check_text(p);
		else if (starts(p, "<!--"))
			rc = skip_past(p, "-->", "a comment not closed");
		else if (starts(p, "<![CDATA["))
			rc = p->depth == 0 ? fail(p, "CDATA outside the root") :
			    skip_past(p, "]]>", "CDATA not closed");
		else if (starts(p, "<!DOCTYPE"))
			rc = p->depth > 0 || p->root_seen ? fail(p, "a late DOCTYPE") :
			    skip_past(p, ">", "a DOCTYPE not closed");
		else if (starts(p, "<?"))
			rc = skip_past(p, "?>", "a processing instruction not closed");
		else if (starts(p, "</"))
			rc = check_end_tag(p);
		else
			rc = check_start_tag(p);
	}
	if (rc == 0 && p->depth > 0)
		rc = fail(p, "elements left open");
	if (rc == 0 && mode == XMLCHECK_XML && !p->root_seen)
		rc = fail(p, "no root element");
	free(p);
	return rc;
}

size_t
xmlcheck_count(const char *text, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	const char *s = text;

	if (len == 0)
		return 0;
	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += len;
	}
	return n;
}
