/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strbuf.h - text built in memory: the report, the verdict file and the
 * outcome of a run are formatted here, never printed, so the library
 * returns text and only the command line writes it out.
 *
 * A failed allocation is remembered: the calls after it do nothing and
 * strbuf_finish() returns NULL, so a caller checks once, at the end.
 */
#ifndef strbuf_h
#define strbuf_h

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;		/* NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	bool failed;		/* an allocation failed: the text is incomplete */
};

void strbuf_init(struct strbuf *sb);

/* Append formatted text, as snprintf formats it. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append len bytes of s / a NUL-terminated string / one character. */
void strbuf_add(struct strbuf *sb, const char *s, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);

/* The text, malloc'd, for the caller to free; NULL when an allocation
 * failed.  The buffer is empty again afterwards. */
char *strbuf_finish(struct strbuf *sb);

void strbuf_free(struct strbuf *sb);

#endif /* strbuf_h */
