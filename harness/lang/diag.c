/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.c - the parser's error messages (see diag.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parser-int.h"

void
diag_fail(struct parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	struct case_error *err;
	va_list ap;
	int n;

	/* Only the first error counts: later ones are its consequences. */
	if (p->failed)
		return;
	p->failed = true;
	err = p->err;
	if (err == NULL)
		return;
	err->line = line;
	err->col = col;
	if (line > 0)
		n = snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: ",
		    p->path, line, col);
	else
		n = snprintf(err->msg, sizeof(err->msg), "%s: ", p->path);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

void
diag_oom(struct parser *p)
{
	diag_fail(p, 0, 0, "out of memory");
}

void
diag_fail_at(struct parser *p, const struct line *ln, const struct token *t,
    const char *what)
{
	diag_fail(p, ln->number, t->col, "%s", what);
}

const char *
diag_show_bytes(struct shown *sh, const char *s, size_t len)
{
	if (len > DIAG_SHOWN_MAX) {
		memcpy(sh->text, s, DIAG_SHOWN_MAX);
		memcpy(sh->text + DIAG_SHOWN_MAX, "...", sizeof("..."));
	} else {
		memcpy(sh->text, s, len);
		sh->text[len] = '\0';
	}
	return sh->text;
}

const char *
diag_show(struct shown *sh, const char *s)
{
	return diag_show_bytes(sh, s, strlen(s));
}

const char *
diag_hint(struct hint *h, const char *prefix, const char *word)
{
	struct shown sh;

	if (word == NULL)
		h->text[0] = '\0';
	else
		snprintf(h->text, sizeof(h->text), " (did you mean '%s%s'?)",
		    prefix, diag_show(&sh, word));
	return h->text;
}

const char *
diag_suggest(struct hint *h, const char *typed, struct wordset ws)
{
	int i;

	i = words_nearest(ws, typed);
	return diag_hint(h, "", i < 0 ? NULL : words_at(ws, (size_t)i));
}

int
diag_no_more(struct parser *p, const struct item *it, size_t used)
{
	struct shown extra, before;
	const char *s;
	size_t len;

	if (it->n <= used)
		return 0;
	s = lexer_item_span(it, used, &len);
	diag_fail(p, it->line->number, it->tok[used].col,
	    "unexpected '%s' after '%s'", diag_show(&extra, it->tok[used].s),
	    diag_show_bytes(&before, s, len));
	return -1;
}
