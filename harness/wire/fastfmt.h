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
	/*
	 * Handed to fwrite() whole: stdio writes a large block straight
	 * through, so 256 KiB makes one write(2) where 64 KiB made two
	 * (2 M JSON rows, 2.5 GB: 82,000 writes fewer, about 5 % of the time).
	 */
	FASTFMT_BUFFER_SIZE = 262144,
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
 * decimals, as printf("%.6f", ns / 1e9) rounds them.  The ones a row
 * calls a dozen times are inline (below): a JSON row of analyze holds
 * some thirty numbers, and two calls for each were a tenth of its time.
 */
size_t fastfmt_put_grouped(char *buf, uint64_t v);

/* "00" to "99", and 10^0 to 10^19 (fastfmt.c): for the inline code. */
extern const char fastfmt_digit_pairs[201];
extern const uint64_t fastfmt_powers_of_ten[20];

/*
 * How many decimal digits v has, without a division: from its bit length
 * (1233 / 4096 is just above log10(2)), the guess at most one too high.
 */
static inline size_t
fastfmt_digit_count(uint64_t v)
{
	size_t guess;

	if (v < 10)
		return 1;
	guess = ((size_t)(64 - __builtin_clzll(v)) * 1233) >> 12;
	return guess + (v >= fastfmt_powers_of_ten[guess] ? 1 : 0);
}

/*
 * The digits of v end at end (written backwards), two per division; in
 * 32 bits, whose divisions by a constant are the cheaper multiplies.
 */
static inline void
fastfmt_digits32_backwards(char *end, uint32_t v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, fastfmt_digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(end - 2, fastfmt_digit_pairs + 2 * v, 2);
	else
		end[-1] = (char)('0' + v);
}

static inline size_t
fastfmt_put_u64(char *buf, uint64_t v)
{
	size_t n = fastfmt_digit_count(v);
	char *end = buf + n;

	while (v > UINT32_MAX) {	/* the rare long number */
		end -= 2;
		memcpy(end, fastfmt_digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	fastfmt_digits32_backwards(end, (uint32_t)v);
	return n;
}

/* Below this many ns, ns / 1e9 as a double is within 0.13 ns of it. */
#define FASTFMT_SECONDS6_EXACT_BELOW	(INT64_C(1) << 50)

/* fastfmt_put_seconds6() by printf(), for what it leaves to printf. */
size_t fastfmt_put_seconds6_printf(char *buf, int64_t ns);

static inline size_t
fastfmt_put_seconds6(char *buf, int64_t ns)
{
	uint64_t us, rem;
	uint32_t frac;
	size_t n;

	/*
	 * A tie (exactly half a microsecond) rounds as the double nearest to
	 * it lies; negative and very long times are rare: printf decides.
	 */
	if (ns < 0 || ns >= FASTFMT_SECONDS6_EXACT_BELOW)
		return fastfmt_put_seconds6_printf(buf, ns);
	rem = (uint64_t)ns % 1000;
	if (rem == 500)
		return fastfmt_put_seconds6_printf(buf, ns);
	us = (uint64_t)ns / 1000 + (rem > 500 ? 1 : 0);
	if (us < 1000000) {	/* under a second: the common case */
		buf[0] = '0';
		n = 1;
	} else
		n = fastfmt_put_u64(buf, us / 1000000);
	buf[n] = '.';
	/* Three pairs of digits, none waiting for another's division. */
	frac = (uint32_t)(us % 1000000);
	memcpy(buf + n + 1, fastfmt_digit_pairs + 2 * (frac / 10000), 2);
	memcpy(buf + n + 3, fastfmt_digit_pairs + 2 * (frac / 100 % 100), 2);
	memcpy(buf + n + 5, fastfmt_digit_pairs + 2 * (frac % 100), 2);
	return n + 7;
}

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
