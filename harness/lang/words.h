/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * words.h - tables of words: look a word up, find the nearest one to a
 * typo, list them for a message.
 *
 * A table is any array whose rows begin with their word (a plain array of
 * strings, or of structs whose first member is the word); struct wordset
 * describes one, WORDS(array) makes it.  Nothing here knows the case
 * language: the parser's tables are in parse_step.c, parse_expect.c,
 * parse_directive.c and symbols.c.
 */
#ifndef words_h
#define words_h

#include <stdbool.h>
#include <stddef.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* rows[i]'s word is the first member of the row at rows + i * stride. */
struct wordset {
	const void *rows;
	size_t n;
	size_t stride;
};

#define WORDS(array) \
	((struct wordset){ (array), NELEMS(array), sizeof((array)[0]) })

const char *words_at(struct wordset ws, size_t i);
/* The index of word in ws, or -1. */
int words_find(struct wordset ws, const char *word);

/*
 * The nearest known word to a typed one, found word by word: near enough
 * to suggest is at most 2 edits, or a third of the longer word, and
 * never the whole typed word; on a tie the first word wins, unless a later
 * one begins with the typed word ("of": "off").  A word the same as the
 * typed one is never suggested.
 */
struct words_nearest {
	const char *typed;
	size_t typed_len;
	size_t best;		/* index of the best word so far */
	size_t best_distance;	/* SIZE_MAX: none near enough yet */
	bool best_is_completion;	/* the typed word is its prefix */
};

void words_nearest_init(struct words_nearest *nr, const char *typed);
/* Consider the len bytes at word as the index-th; true: the best so far. */
bool words_nearest_consider(struct words_nearest *nr, size_t index,
    const char *word, size_t len);
bool words_nearest_found(const struct words_nearest *nr);
/* The index of the nearest word in ws, or -1. */
int words_nearest(struct wordset ws, const char *typed);

/*
 * The words joined for a message, into buf, cut to fit; buf is returned.
 * With conjunction "or": "a, b or c" (quoted: "'a', 'b' or 'c'").
 */
const char *words_list(char *buf, size_t size, struct wordset ws,
    bool quoted, const char *conjunction);

/*
 * For the tables' self-check: -1 with "TABLE ROW: no word" (or "no
 * parser", "no help") in buf when the row lacks one, else 0.
 */
int words_gap(char *buf, size_t size, const char *table, size_t row,
    const char *word, bool parse, const char *help);

#endif /* words_h */
