/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lexer.c - a case file as lines, tokens and items (see lexer.h).
 *
 * Bytes.  A NUL byte anywhere is an error, as is any other control
 * character but tab, and so is a byte above 0x7f outside a comment
 * (comments may hold UTF-8).
 *
 * Summary.  The lines at the very top whose first non-blank character is
 * "#" (from line 1 up to the first line that is not such a comment) form
 * the summary: on each line the leading "#" characters and one space after
 * them are dropped, trailing blanks are trimmed, empty lines are skipped,
 * and the rest is joined with single spaces.  No such lines: NULL.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"

static int
dynstr_append(struct dynstr *ds, const char *s, size_t len)
{
	size_t cap;
	char *grown;

	if (len > SIZE_MAX - ds->len - 1)
		return -1;
	if (ds->len + len + 1 > ds->cap) {
		cap = ds->cap == 0 ? 128 : ds->cap;
		while (cap < ds->len + len + 1)
			cap = cap > SIZE_MAX / 2 ? ds->len + len + 1 : cap * 2;
		grown = realloc(ds->s, cap);
		if (grown == NULL)
			return -1;
		ds->s = grown;
		ds->cap = cap;
	}
	memcpy(ds->s + ds->len, s, len);
	ds->len += len;
	ds->s[ds->len] = '\0';
	return 0;
}

const char *
lexer_item_span(const struct item *it, size_t n, size_t *len)
{
	const struct token *last;

	last = &it->tok[n - 1];
	*len = last->off + last->len - it->tok[0].off;
	return it->line->text + it->tok[0].off;
}

char *
lexer_item_text(struct parser *p, const struct item *it)
{
	const char *s;
	size_t len;

	s = lexer_item_span(it, it->n, &len);
	return case_dup_bytes(p, s, len);
}

int
lexer_check_bytes(struct parser *p, const struct line *ln)
{
	bool in_comment;
	unsigned char c;
	size_t i;

	/* Columns are unsigned. */
	if (ln->len > UINT_MAX - 1) {
		diag_fail(p, ln->number, 1, "line is too long");
		return -1;
	}
	in_comment = false;
	for (i = 0; i < ln->len; i++) {
		c = (unsigned char)ln->text[i];
		if (c == '#')
			in_comment = true;
		if (c == '\0') {
			diag_fail(p, ln->number, (unsigned)(i + 1),
			    "NUL byte in case file");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			diag_fail(p, ln->number, (unsigned)(i + 1),
			    "unexpected character 0x%02x", c);
			return -1;
		}
		if (c >= 0x80 && !in_comment) {
			diag_fail(p, ln->number, (unsigned)(i + 1),
			    "unexpected character 0x%02x (only comments may hold non-ASCII text)",
			    c);
			return -1;
		}
	}
	return 0;
}

int
lexer_summary_line(struct parser *p, const struct line *ln)
{
	size_t start, end;

	start = 0;
	while (start < ln->len && (ln->text[start] == ' ' ||
	    ln->text[start] == '\t'))
		start++;
	if (start == ln->len || ln->text[start] != '#') {
		p->in_summary = false;
		return 0;
	}
	while (start < ln->len && ln->text[start] == '#')
		start++;
	if (start < ln->len && ln->text[start] == ' ')
		start++;
	end = ln->len;
	while (end > start && (ln->text[end - 1] == ' ' ||
	    ln->text[end - 1] == '\t'))
		end--;
	if (end == start)
		return 0;
	if ((p->summary.len > 0 && dynstr_append(&p->summary, " ", 1) == -1) ||
	    dynstr_append(&p->summary, ln->text + start, end - start) == -1) {
		diag_oom(p);
		return -1;
	}
	return 0;
}

int
lexer_split(struct parser *p, const struct line *ln)
{
	struct token *t, *tokens;
	size_t i, start;
	char *grown;

	if (ln->len + 1 > p->copy_cap) {
		grown = realloc(p->copy, ln->len + 1);
		if (grown == NULL) {
			diag_oom(p);
			return -1;
		}
		p->copy = grown;
		p->copy_cap = ln->len + 1;
	}
	memcpy(p->copy, ln->text, ln->len);
	p->copy[ln->len] = '\0';

	p->ntokens = 0;
	i = 0;
	for (;;) {
		while (p->copy[i] == ' ' || p->copy[i] == '\t')
			i++;
		if (p->copy[i] == '\0' || p->copy[i] == '#')
			break;
		start = i;
		while (p->copy[i] != '\0' && p->copy[i] != ' ' &&
		    p->copy[i] != '\t' && p->copy[i] != '#')
			i++;
		tokens = case_grow_array(p->tokens, &p->tokens_cap, p->ntokens,
		    sizeof(*p->tokens));
		if (tokens == NULL) {
			diag_oom(p);
			return -1;
		}
		p->tokens = tokens;
		t = &p->tokens[p->ntokens++];
		t->s = p->copy + start;
		t->len = i - start;
		t->off = start;
		t->col = (unsigned)(start + 1);
		/* End the token; a '#' ending it also ends the line. */
		if (p->copy[i] == '#') {
			p->copy[i] = '\0';
			break;
		}
		if (p->copy[i] != '\0')
			p->copy[i++] = '\0';
	}
	return 0;
}

