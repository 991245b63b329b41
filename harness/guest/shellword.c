/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shellword.c - single quotes: inside them sh takes every byte literally;
 * a quote itself ends them, is escaped, and they open again.
 */
#include "shellword.h"

static void
write_inside(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
}

void
shellword_write(FILE *f, const char *s)
{
	fputc('\'', f);
	write_inside(f, s);
	fputc('\'', f);
}

void
shellword_join(FILE *f, const struct strlist *list, char separator)
{
	size_t i;

	fputc('\'', f);
	for (i = 0; i < list->count; i++) {
		if (i > 0)
			fputc(separator, f);
		write_inside(f, list->items[i]);
	}
	fputc('\'', f);
}
