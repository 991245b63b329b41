/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * markup.c - escaped text and links for the SVG and HTML writers.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "markup.h"

/* What stands in for a character XML cannot carry. */
static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

/*
 * The length of the valid UTF-8 sequence at s (1 to 4 bytes) with its
 * code point, or 0 when s does not start one (a stray continuation
 * byte, an overlong form, a surrogate, past U+10FFFF, cut short).
 */
static size_t
utf8_sequence(const unsigned char *s, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		/* a NUL here is not a continuation byte: the walk stops */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* XML 1.0's Char production. */
static bool
xml_char(uint32_t c)
{
	if (c == 0x9 || c == 0xa || c == 0xd)
		return true;
	if (c < 0x20)
		return false;
	return c != 0xfffe && c != 0xffff;
}

void
markup_put_text(FILE *out, const char *text)
{
	markup_put_text_len(out, text, text == NULL ? 0 : strlen(text));
}

void
markup_put_text_len(FILE *out, const char *text, size_t bytes)
{
	const unsigned char *s = (const unsigned char *)text, *end;
	uint32_t cp;
	size_t len;

	if (text == NULL)
		return;
	end = s + bytes;
	while (s < end && *s != '\0') {
		len = utf8_sequence(s, &cp);
		if (len == 0 || len > (size_t)(end - s)) {
			fputs(replacement, out);
			s++;
			continue;
		}
		if (!xml_char(cp))
			fputs(replacement, out);
		else if (cp == '&')
			fputs("&amp;", out);
		else if (cp == '<')
			fputs("&lt;", out);
		else if (cp == '>')
			fputs("&gt;", out);
		else if (cp == '"')
			fputs("&quot;", out);
		else if (cp == '\'')
			fputs("&#39;", out);
		else
			fwrite(s, 1, len, out);
		s += len;
	}
}

void
markup_put_href(FILE *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)path;

	if (path == NULL)
		return;
	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~/", *s) != NULL)
			fputc(*s, out);
		else {
			fputc('%', out);
			fputc(hex[*s >> 4], out);
			fputc(hex[*s & 0xf], out);
		}
	}
}

/* Walk at most max_columns characters of text: their bytes, and how many. */
static size_t
walk_columns(const char *text, size_t max_columns, size_t *columns)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0, len;
	uint32_t cp;

	if (text != NULL)
		while (*s != '\0' && n < max_columns) {
			len = utf8_sequence(s, &cp);
			s += len == 0 ? 1 : len;
			n++;
		}
	*columns = n;
	return text == NULL ? 0 : (size_t)(s - (const unsigned char *)text);
}

size_t
markup_text_columns(const char *text)
{
	size_t columns;

	walk_columns(text, SIZE_MAX, &columns);
	return columns;
}

size_t
markup_prefix_bytes(const char *text, size_t max_columns)
{
	size_t columns;

	return walk_columns(text, max_columns, &columns);
}
