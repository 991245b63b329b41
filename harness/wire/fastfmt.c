/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastfmt.c - numbers, addresses, times and JSON strings formatted by
 * hand into a buffer (see fastfmt.h).
 */
#include "fastfmt.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/socket.h>

static const int64_t ns_per_s = INT64_C(1000000000);
static const int64_t s_per_day = 86400;

void
fastfmt_init(struct fastfmt *f, FILE *out)
{
	f->out = out;
	f->p = f->buf;
	f->end = f->buf + sizeof(f->buf);
	f->failed = false;
	f->have_cached_sec = false;
}

int
fastfmt_flush(struct fastfmt *f)
{
	size_t len = (size_t)(f->p - f->buf);

	if (len > 0 && fwrite(f->buf, 1, len, f->out) != len)
		f->failed = true;
	f->p = f->buf;
	return f->failed ? -1 : 0;
}

bool
fastfmt_error(const struct fastfmt *f)
{
	return f->failed;
}

void
fastfmt_mem_long(struct fastfmt *f, const char *s, size_t len)
{
	(void)fastfmt_flush(f);
	if (len > sizeof(f->buf)) {
		if (fwrite(s, 1, len, f->out) != len)
			f->failed = true;
		return;
	}
	memcpy(f->p, s, len);
	f->p += len;
}

void
fastfmt_spaces_long(struct fastfmt *f, size_t n)
{
	size_t chunk;

	while (n > 0) {
		chunk = n < FASTFMT_ITEM_MAX ? n : FASTFMT_ITEM_MAX;
		fastfmt_reserve(f, chunk);
		memset(f->p, ' ', chunk);
		f->p += chunk;
		n -= chunk;
	}
}

/* "00" to "99": two digits per division. */
const char fastfmt_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

const uint64_t fastfmt_powers_of_ten[20] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000),
	UINT64_C(10000), UINT64_C(100000), UINT64_C(1000000),
	UINT64_C(10000000), UINT64_C(100000000), UINT64_C(1000000000),
	UINT64_C(10000000000), UINT64_C(100000000000),
	UINT64_C(1000000000000), UINT64_C(10000000000000),
	UINT64_C(100000000000000), UINT64_C(1000000000000000),
	UINT64_C(10000000000000000), UINT64_C(100000000000000000),
	UINT64_C(1000000000000000000), UINT64_C(10000000000000000000)
};

size_t
fastfmt_put_grouped(char *buf, uint64_t v)
{
	char digits[32], *p = digits + sizeof(digits);
	unsigned group;
	size_t n;

	/* Three digits and a comma per division, from the right. */
	while (v >= 1000) {
		group = (unsigned)(v % 1000);
		v /= 1000;
		p -= 4;
		p[0] = ',';
		p[1] = (char)('0' + group / 100);
		memcpy(p + 2, fastfmt_digit_pairs + 2 * (group % 100), 2);
	}
	n = fastfmt_digit_count(v);
	p -= n;
	fastfmt_digits32_backwards(p + n, (uint32_t)v);
	n = (size_t)(digits + sizeof(digits) - p);
	memcpy(buf, p, n);
	return n;
}

/* width digits of v, with leading zeros. */
static void
put_fixed(char *buf, uint32_t v, size_t width)
{
	while (width >= 2) {
		width -= 2;
		memcpy(buf + width, fastfmt_digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (width == 1)
		buf[0] = (char)('0' + v % 10);
}

size_t
fastfmt_put_seconds6_printf(char *buf, int64_t ns)
{
	int len = snprintf(buf, FASTFMT_ITEM_MAX, "%.6f", (double)ns / 1e9);

	return len > 0 ? (size_t)len : 0;
}

size_t
fastfmt_put_addr(char *buf, int family, const uint8_t *addr)
{
	size_t n = 0;
	int i;

	if (family == AF_INET) {
		for (i = 0; i < 4; i++) {
			if (i > 0)
				buf[n++] = '.';
			n += fastfmt_put_u64(buf + n, addr[i]);
		}
		buf[n] = '\0';
		return n;
	}
	if (inet_ntop(family, addr, buf, FASTFMT_ADDR_SIZE) == NULL) {
		buf[0] = '?';
		buf[1] = '\0';
		return 1;
	}
	return strlen(buf);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void
civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;

	*day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int64_t)yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

/* "YYYY-MM-DDTHH:MM:SS" of sec into f's cache; false if not 4 digits. */
static bool
cache_date(struct fastfmt *f, int64_t sec)
{
	int64_t days = sec / s_per_day, sod = sec % s_per_day, year;
	unsigned month, day;
	char *d = f->cached_date;

	if (sod < 0) {
		sod += s_per_day;
		days--;
	}
	civil_from_days(days, &year, &month, &day);
	if (year < 0 || year > 9999)
		return false;
	put_fixed(d, (uint32_t)year, 4);
	d[4] = '-';
	put_fixed(d + 5, month, 2);
	d[7] = '-';
	put_fixed(d + 8, day, 2);
	d[10] = 'T';
	put_fixed(d + 11, (uint32_t)(sod / 3600), 2);
	d[13] = ':';
	put_fixed(d + 14, (uint32_t)(sod / 60 % 60), 2);
	d[16] = ':';
	put_fixed(d + 17, (uint32_t)(sod % 60), 2);
	f->cached_sec = sec;
	f->have_cached_sec = true;
	return true;
}

size_t
fastfmt_put_time(struct fastfmt *f, char *buf, int64_t ts_ns)
{
	int64_t sec = ts_ns / ns_per_s, nsec = ts_ns % ns_per_s;
	int len;

	if (nsec < 0) {
		nsec += ns_per_s;
		sec--;
	}
	if (!(f->have_cached_sec && f->cached_sec == sec) && !cache_date(f, sec)) {
		len = snprintf(buf, FASTFMT_TIME_SIZE, "%" PRId64 ".%09" PRId64,
		    sec, nsec);
		return len > 0 ? (size_t)len : 0;
	}
	memcpy(buf, f->cached_date, 19);
	buf[19] = '.';
	put_fixed(buf + 20, (uint32_t)nsec, 9);
	buf[29] = 'Z';
	return 30;
}

/* Whether s is valid UTF-8 (then it is written as it is). */
static bool
utf8_valid(const unsigned char *s)
{
	size_t follow, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			follow = 1;
		else if ((*s & 0xf0) == 0xe0)
			follow = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			follow = 3;
		else
			return false;
		for (i = 1; i <= follow; i++)
			if ((s[i] & 0xc0) != 0x80)
				return false;
		s += follow + 1;
	}
	return true;
}

size_t
fastfmt_put_json_string(char *buf, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	bool pass_high = utf8_valid(p);
	char *out = buf;

	*out++ = '"';
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			*out++ = '\\';
			*out++ = (char)*p;
		} else if (*p == '\n') {
			*out++ = '\\';
			*out++ = 'n';
		} else if (*p == '\t') {
			*out++ = '\\';
			*out++ = 't';
		} else if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !pass_high)) {
			memcpy(out, "\\u00", 4);
			out[4] = hex[*p >> 4];
			out[5] = hex[*p & 0xf];
			out += 6;
		} else
			*out++ = (char)*p;
	}
	*out++ = '"';
	return (size_t)(out - buf);
}

void
fastfmt_json_string(struct fastfmt *f, const char *s)
{
	size_t need = fastfmt_json_string_size(s);
	char *buf;

	if (need <= sizeof(f->buf)) {
		fastfmt_reserve(f, need);
		f->p += fastfmt_put_json_string(f->p, s);
		return;
	}
	buf = malloc(need);
	if (buf == NULL) {
		f->failed = true;
		return;
	}
	fastfmt_mem(f, buf, fastfmt_put_json_string(buf, s));
	free(buf);
}
