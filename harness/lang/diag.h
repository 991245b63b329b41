/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.h - the parser's error messages: "PATH:LINE:COL: message", user
 * text quoted cut to a length, and "did you mean" hints.
 *
 * Only the first error of a parse is kept: later ones are its
 * consequences.  Messages are part of the interface (tests pin them).
 */
#ifndef diag_h
#define diag_h

#include <stddef.h>

#include "lexer.h"
#include "words.h"

#define DIAG_SHOWN_MAX 40	/* user text quoted in a message is cut here */

struct parser;

/* User text cut to a length fit for a message. */
struct shown {
	char text[DIAG_SHOWN_MAX + sizeof("...")];
};

/* " (did you mean 'X'?)" or "". */
struct hint {
	char text[sizeof(" (did you mean '") + 16 + DIAG_SHOWN_MAX +
	    sizeof("...'?)")];
};

/* "PATH:LINE:COL: message"; line 0: "PATH: message" (no place). */
void diag_fail(struct parser *p, unsigned line, unsigned col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* what (not a format) at token t of line ln. */
void diag_fail_at(struct parser *p, const struct line *ln,
    const struct token *t, const char *what);
void diag_oom(struct parser *p);

const char *diag_show(struct shown *sh, const char *s);
const char *diag_show_bytes(struct shown *sh, const char *s, size_t len);

/* " (did you mean 'PREFIXWORD'?)", or "" when word is NULL. */
const char *diag_hint(struct hint *h, const char *prefix, const char *word);
/* The hint for the word of ws nearest to typed, or "". */
const char *diag_suggest(struct hint *h, const char *typed,
    struct wordset ws);

/*
 * Fail unless the item has no tokens past the first used ones:
 * "unexpected 'X' after 'WHAT CAME BEFORE'".
 */
int diag_no_more(struct parser *p, const struct item *it, size_t used);

#endif /* diag_h */
