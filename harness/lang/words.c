/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * words.c - look words up in tables, find the nearest to a typo, list
 * them (see words.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "words.h"

#define SUGGEST_MAX_LEN 256	/* longer words get no "did you mean" */
#define SUGGEST_MAX_DISTANCE 2

const char *
words_at(struct wordset ws, size_t i)
{
	const char *row;
	const char *const *word;

	/* A row begins with its word: a pointer to it is one to the word. */
	row = (const char *)ws.rows + i * ws.stride;
	word = (const char *const *)(const void *)row;
	return *word;
}

int
words_find(struct wordset ws, const char *word)
{
	size_t i;

	for (i = 0; i < ws.n; i++)
		if (strcmp(word, words_at(ws, i)) == 0)
			return (int)i;
	return -1;
}

/* Levenshtein distance; both lengths are at most SUGGEST_MAX_LEN. */
static size_t
edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[SUGGEST_MAX_LEN + 1];
	size_t i, j, diagonal, above, best;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diagonal = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			above = row[j];
			best = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

/*
 * Near enough to suggest: at most 2 edits, or a third of the longer word,
 * and never so many that nothing of the typed word is left.
 */
static size_t
suggest_limit(size_t typed_len, size_t word_len)
{
	size_t limit;

	limit = (typed_len > word_len ? typed_len : word_len) / 3;
	if (limit < SUGGEST_MAX_DISTANCE)
		limit = SUGGEST_MAX_DISTANCE;
	if (limit >= typed_len)
		limit = typed_len == 0 ? 0 : typed_len - 1;
	return limit;
}

void
words_nearest_init(struct words_nearest *nr, const char *typed)
{
	nr->typed = typed;
	nr->typed_len = strlen(typed);
	nr->best = 0;
	nr->best_distance = SIZE_MAX;
	nr->best_is_completion = false;
}

bool
words_nearest_consider(struct words_nearest *nr, size_t index,
    const char *word, size_t len)
{
	size_t limit, gap, distance;
	bool completion;

	if (nr->typed_len > SUGGEST_MAX_LEN || len > SUGGEST_MAX_LEN)
		return false;
	limit = suggest_limit(nr->typed_len, len);
	gap = len > nr->typed_len ? len - nr->typed_len : nr->typed_len - len;
	if (gap > limit)
		return false;	/* the distance is at least the gap */
	distance = edit_distance(nr->typed, nr->typed_len, word, len);
	if (distance == 0 || distance > limit)
		return false;
	/* On a tie, a word the typed one begins ("of": "off") wins. */
	completion = nr->typed_len <= len &&
	    strncmp(word, nr->typed, nr->typed_len) == 0;
	if (distance < nr->best_distance ||
	    (distance == nr->best_distance && completion &&
	    !nr->best_is_completion)) {
		nr->best = index;
		nr->best_distance = distance;
		nr->best_is_completion = completion;
		return true;
	}
	return false;
}

bool
words_nearest_found(const struct words_nearest *nr)
{
	return nr->best_distance != SIZE_MAX;
}

int
words_nearest(struct wordset ws, const char *typed)
{
	struct words_nearest nr;
	const char *word;
	size_t i;

	words_nearest_init(&nr, typed);
	for (i = 0; i < ws.n; i++) {
		word = words_at(ws, i);
		words_nearest_consider(&nr, i, word, strlen(word));
	}
	return words_nearest_found(&nr) ? (int)nr.best : -1;
}

const char *
words_list(char *buf, size_t size, struct wordset ws, bool quoted,
    const char *conjunction)
{
	const char *quote, *sep;
	char last[32];
	size_t i, len;
	int n;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	quote = quoted ? "'" : "";
	snprintf(last, sizeof(last), " %s ", conjunction);
	len = 0;
	for (i = 0; i < ws.n && len < size; i++) {
		sep = i == 0 ? "" : i + 1 < ws.n ? ", " : last;
		n = snprintf(buf + len, size - len, "%s%s%s%s", sep, quote,
		    words_at(ws, i), quote);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return buf;
}

int
words_gap(char *buf, size_t size, const char *table, size_t row,
    const char *word, bool parse, const char *help)
{
	const char *missing;

	missing = word == NULL ? "word" : !parse ? "parser" :
	    help == NULL ? "help" : NULL;
	if (missing == NULL)
		return 0;
	snprintf(buf, size, "%s %zu: no %s", table, row, missing);
	return -1;
}
