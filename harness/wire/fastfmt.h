/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastfmt.h - text formatted by hand into a buffer, for the rows of
 * "closeprobe analyze" (analyze.c), where printf(), inet_ntop() and
 * strftime() were most of the work: decimal numbers (with or without
 * thousands separators), IPv4 and IPv6 addresses, seconds to the
 * microsecond, ISO 8601 times, JSON strings, padding.
 *
 * A struct fastfmt collects text and writes it to its FILE * when full
 * and on fastfmt_flush(); the first write error is kept (fastfmt_error()).
 * Appends never overflow: what does not fit is written out first, and a
 * text longer than the buffer goes straight to the FILE *.
 */
#ifndef fastfmt_h
#define fastfmt_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum {
	FASTFMT_BUFFER_SIZE = 65536,
	/* Longest single item an append makes (a grouped UINT64_MAX is 26). */
	FASTFMT_ITEM_MAX = 64,
	/* "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" and a NUL */
	FASTFMT_ADDR_SIZE = 48,
	/* "2262-04-11T23:47:16.854775807Z" and a NUL, with room to spare */
	FASTFMT_TIME_SIZE = 40
};

struct fastfmt {
	FILE *out;
	char *p, *end;
	bool failed;
	/* The date and time of the last second formatted, for the next. */
	int64_t cached_sec;
	bool have_cached_sec;
	char cached_date[24];	/* "YYYY-MM-DDTHH:MM:SS" */
	char buf[FASTFMT_BUFFER_SIZE];
};

void fastfmt_init(struct fastfmt *f, FILE *out);
/* Write out what is buffered.  0, or -1 after any write error. */
int fastfmt_flush(struct fastfmt *f);
/* Whether a write failed. */
bool fastfmt_error(const struct fastfmt *f);

/* Room for n more bytes (n at most FASTFMT_BUFFER_SIZE). */
static inline void
fastfmt_reserve(struct fastfmt *f, size_t n)
{
	if ((size_t)(f->end - f->p) < n)
		(void)fastfmt_flush(f);
}

/* Any length (the rare long text: fastfmt_mem_long()). */
void fastfmt_mem_long(struct fastfmt *f, const char *s, size_t len);

static inline void
fastfmt_mem(struct fastfmt *f, const char *s, size_t len)
{
	if ((size_t)(f->end - f->p) < len) {
		fastfmt_mem_long(f, s, len);
		return;
	}
	memcpy(f->p, s, len);
	f->p += len;
}

static inline void
fastfmt_str(struct fastfmt *f, const char *s)
{
	fastfmt_mem(f, s, strlen(s));
}

static inline void
fastfmt_char(struct fastfmt *f, char c)
{
	fastfmt_reserve(f, 1);
	*f->p++ = c;
}

/* n spaces (many: fastfmt_spaces_long()). */
void fastfmt_spaces_long(struct fastfmt *f, size_t n);

static inline void
fastfmt_spaces(struct fastfmt *f, size_t n)
{
	if (n > FASTFMT_ITEM_MAX || (size_t)(f->end - f->p) < n) {
		fastfmt_spaces_long(f, n);
		return;
	}
	memset(f->p, ' ', n);
	f->p += n;
}

/* s (len bytes) then spaces up to width ("%-*s"), or spaces first ("%*s"). */
static inline void
fastfmt_left(struct fastfmt *f, const char *s, size_t len, size_t width)
{
	fastfmt_mem(f, s, len);
	if (len < width)
		fastfmt_spaces(f, width - len);
}

static inline void
fastfmt_right(struct fastfmt *f, const char *s, size_t len, size_t width)
{
	if (len < width)
		fastfmt_spaces(f, width - len);
	fastfmt_mem(f, s, len);
}

/*
 * Into a caller's buffer of at least FASTFMT_ITEM_MAX bytes; each returns
 * the length written (no NUL).  _u64: decimal; _grouped: with a comma
 * every three digits ("1,234,567"); _seconds6: ns as seconds with six
 * decimals, as printf("%.6f", ns / 1e9) rounds them.
 */
size_t fastfmt_put_u64(char *buf, uint64_t v);
size_t fastfmt_put_grouped(char *buf, uint64_t v);
size_t fastfmt_put_seconds6(char *buf, int64_t ns);

static inline void
fastfmt_u64(struct fastfmt *f, uint64_t v)
{
	fastfmt_reserve(f, FASTFMT_ITEM_MAX);
	/* Most counts in a row are 0 or small. */
	if (v < 10)
		*f->p++ = (char)('0' + v);
	else
		f->p += fastfmt_put_u64(f->p, v);
}

static inline void
fastfmt_seconds6(struct fastfmt *f, int64_t ns)
{
	fastfmt_reserve(f, FASTFMT_ITEM_MAX);
	f->p += fastfmt_put_seconds6(f->p, ns);
}

/*
 * An address of family AF_INET (4 bytes) or AF_INET6 (16) as inet_ntop()
 * writes it, into buf (FASTFMT_ADDR_SIZE); returns its length.
 */
size_t fastfmt_put_addr(char *buf, int family, const uint8_t *addr);

/*
 * ISO 8601 in UTC to the nanosecond ("2023-11-14T22:13:20.000000000Z"),
 * into buf (FASTFMT_TIME_SIZE); returns its length.  Uses and updates the
 * cached second of f.  Times whose year has not four digits are written
 * as seconds since the epoch ("-1234.000000000").
 */
size_t fastfmt_put_time(struct fastfmt *f, char *buf, int64_t ts_ns);

/* A JSON string, quoted; bytes of a text that is not UTF-8 as \u00XX. */
void fastfmt_json_string(struct fastfmt *f, const char *s);

/* The most fastfmt_put_json_string() writes for s. */
static inline size_t
fastfmt_json_string_size(const char *s)
{
	return 6 * strlen(s) + 2;
}

/* s as a JSON string into buf (fastfmt_json_string_size(s)); its length. */
size_t fastfmt_put_json_string(char *buf, const char *s);

#endif /* fastfmt_h */
