/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strbuf.c - a growing string with a sticky allocation failure.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void
strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

/* Room for more bytes and the NUL.  0 ok, -1 (and failed) on ENOMEM. */
static int
strbuf_reserve(struct strbuf *sb, size_t more)
{
	size_t cap = sb->cap > 0 ? sb->cap : 256;
	char *data;

	if (sb->failed)
		return -1;
	if (more >= SIZE_MAX - sb->len) {
		sb->failed = true;
		return -1;
	}
	if (sb->len + more + 1 <= sb->cap)
		return 0;
	while (cap < sb->len + more + 1)
		cap = cap > SIZE_MAX / 2 ? sb->len + more + 1 : cap * 2;
	data = realloc(sb->data, cap);
	if (data == NULL) {
		sb->failed = true;
		return -1;
	}
	sb->data = data;
	sb->cap = cap;
	return 0;
}

void
strbuf_add(struct strbuf *sb, const char *s, size_t len)
{
	if (strbuf_reserve(sb, len) < 0)
		return;
	memcpy(sb->data + sb->len, s, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* Measure first, then format into the room made for it. */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if (strbuf_reserve(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *
strbuf_finish(struct strbuf *sb)
{
	char *text;

	if (sb->failed) {
		strbuf_free(sb);
		return NULL;
	}
	text = sb->data != NULL ? sb->data : strdup("");
	strbuf_init(sb);
	return text;
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->data);
	strbuf_init(sb);
}
