/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * units.c - sizes, durations and numbers as people write and read them.
 *
 * Sizes:      DIGITS [ "B" | "K" | "M" | "G" | "KiB" | "MiB" | "GiB" ]
 *             K/M/G multiply by 1000^n, KiB/MiB/GiB by 1024^n.
 * Durations:  DIGITS "ms"  |  DIGITS [ "." DIGITS ] "s"
 *             A fraction is allowed on seconds only; digits past the
 *             third must be zero (the unit of time is the millisecond).
 * Only ASCII decimal digits are numbers: no sign, no spaces, no hex.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

struct size_unit {
	const char *suffix;
	uint64_t factor;
};

static const struct size_unit size_units[] = {
	{ "", 1 },
	{ "B", 1 },
	{ "K", 1000ULL },
	{ "M", 1000ULL * 1000 },
	{ "G", 1000ULL * 1000 * 1000 },
	{ "KiB", 1024ULL },
	{ "MiB", 1024ULL * 1024 },
	{ "GiB", 1024ULL * 1024 * 1024 },
};

#define NSIZE_UNITS (sizeof(size_units) / sizeof(size_units[0]))

#define MS_PER_SECOND 1000
#define MS_FRACTION_DIGITS 3	/* "1.234s": the last digit is a millisecond */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Read the leading decimal digits of text into *value.  Returns the number
 * of digits read (0 if none); *overflow is set if they exceed UINT64_MAX.
 */
static size_t
read_digits(const char *text, uint64_t *value, bool *overflow)
{
	size_t n;
	uint64_t v, digit;

	v = 0;
	*overflow = false;
	for (n = 0; is_digit(text[n]); n++) {
		digit = (uint64_t)(text[n] - '0');
		if (v > (UINT64_MAX - digit) / 10)
			*overflow = true;
		else
			v = v * 10 + digit;
	}
	*value = v;
	return n;
}

int
units_parse_size(const char *text, uint64_t *bytes)
{
	uint64_t number;
	bool overflow;
	size_t ndigits, i;

	if (text == NULL)
		return -1;
	ndigits = read_digits(text, &number, &overflow);
	if (ndigits == 0 || overflow)
		return -1;
	for (i = 0; i < NSIZE_UNITS; i++) {
		if (strcmp(text + ndigits, size_units[i].suffix) != 0)
			continue;
		if (number > UINT64_MAX / size_units[i].factor)
			return -1;
		if (bytes != NULL)
			*bytes = number * size_units[i].factor;
		return 0;
	}
	return -1;
}

int
units_parse_duration(const char *text, uint64_t *ms)
{
	uint64_t whole, fraction_ms;
	bool overflow;
	size_t ndigits, i;
	const char *p;

	if (text == NULL)
		return -1;
	ndigits = read_digits(text, &whole, &overflow);
	if (ndigits == 0 || overflow)
		return -1;
	p = text + ndigits;
	if (strcmp(p, "ms") == 0) {
		if (ms != NULL)
			*ms = whole;
		return 0;
	}

	/* Seconds, perhaps with a fraction: up to three digits count. */
	fraction_ms = 0;
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return -1;
		for (i = 0; is_digit(*p); i++, p++) {
			if (i < MS_FRACTION_DIGITS)
				fraction_ms = fraction_ms * 10 +
				    (uint64_t)(*p - '0');
			else if (*p != '0')
				return -1;	/* finer than a millisecond */
		}
		for (; i < MS_FRACTION_DIGITS; i++)
			fraction_ms *= 10;
	}
	if (strcmp(p, "s") != 0)
		return -1;
	if (whole > (UINT64_MAX - fraction_ms) / MS_PER_SECOND)
		return -1;
	if (ms != NULL)
		*ms = whole * MS_PER_SECOND + fraction_ms;
	return 0;
}

char *
units_format_count(uint64_t value, char *buf, size_t size)
{
	/* UINT64_MAX has 20 digits, hence 6 commas. */
	char digits[32], grouped[32];
	int ndigits, i, out;

	if (buf == NULL || size == 0)
		return buf;
	ndigits = snprintf(digits, sizeof(digits), "%llu",
	    (unsigned long long)value);
	out = 0;
	for (i = 0; i < ndigits; i++) {
		if (i > 0 && (ndigits - i) % 3 == 0)
			grouped[out++] = ',';
		grouped[out++] = digits[i];
	}
	grouped[out] = '\0';
	/* Like snprintf: cut to fit, always terminated. */
	snprintf(buf, size, "%s", grouped);
	return buf;
}
