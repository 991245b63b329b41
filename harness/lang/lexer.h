/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lexer.h - a case file as lines, tokens and items.
 *
 * The file is read as lines (LF ends a line; one CR before it is
 * dropped).  "#" starts a comment that runs to the end of the line.
 * Tokens are separated by spaces and tabs; blank and comment-only lines
 * have none.  Positions are LINE:COL, both 1-based; COL counts bytes (a
 * tab is one column).  An item (a directive, a step, an expectation) is
 * the tokens of one line, or the rest of them after a label.
 */
#ifndef lexer_h
#define lexer_h

#include <stdbool.h>
#include <stddef.h>

struct parser;

struct token {
	char *s;		/* NUL-terminated, in the parser's line copy */
	size_t len;
	size_t off;		/* byte offset in the line */
	unsigned col;		/* 1-based */
};

struct line {
	const char *text;	/* the original bytes, not terminated */
	size_t len;		/* without the line end */
	unsigned number;
};

/* A step or an expectation: some tokens of one line. */
struct item {
	const struct line *line;
	struct token *tok;
	size_t n;
};

/* A growing string: the summary. */
struct dynstr {
	char *s;
	size_t len;
	size_t cap;
};

/*
 * Fail on a byte a case file may not hold: NUL, a control character but
 * tab, or a byte above 0x7f outside a comment (comments may hold UTF-8).
 */
int lexer_check_bytes(struct parser *p, const struct line *ln);

/*
 * Add a line of the opening comment block to the summary; the first line
 * that is not a comment ends the block (p->in_summary).
 */
int lexer_summary_line(struct parser *p, const struct line *ln);

/* Split the line (up to a comment) into tokens: p->tokens, p->ntokens. */
int lexer_split(struct parser *p, const struct line *ln);

/* The text of tokens [0, n) of an item, as written (n > 0). */
const char *lexer_item_span(const struct item *it, size_t n, size_t *len);
/* The whole item's text, copied (NULL when out of memory: p failed). */
char *lexer_item_text(struct parser *p, const struct item *it);

static inline struct token *
item_token(const struct item *it, size_t i)
{
	return &it->tok[i];
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

static inline bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

#endif /* lexer_h */
