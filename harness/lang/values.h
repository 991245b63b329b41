/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * values.h - the tokens that stand for values: sizes, durations,
 * integers, comparisons, roles, errno names and names.
 *
 *   SIZE       = DIGITS [ B | K | M | G | KiB | MiB | GiB ]  (see units.c)
 *   DUR        = DIGITS ms | DIGITS [ . DIGITS ] s  (a bare number is no
 *                DUR; see units.c)
 *   INTEGER    = [+-]?[0-9]+ within int64_t
 *   OP         = "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
 *   END        = client | server  (the ends of the connection)
 *   ROLE       = client | server | client.child | server.child
 *   DIRECTION  = client->server | server->client  (writer->reader)
 *   ERRNO      = a name from the errno table in symbols.c (ECONNRESET,
 *                EPIPE, ...)
 *
 * The functions that take a parser fail it with a message at the token
 * and return -1; 0 when the token holds a value.
 */
#ifndef values_h
#define values_h

#include <stdbool.h>
#include <stdint.h>

#include "lexer.h"
#include "symbols.h"

struct parser;

int value_size(struct parser *p, const struct line *ln, const struct token *t,
    uint64_t *bytes);
/* B, K, M, G, KiB, MiB, GiB. */
struct wordset value_size_units(void);
int value_duration(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *ms);

/*
 * A size or a duration that must be above 0: otherwise "WHAT needs a size
 * above 0" (or "a duration"), with suffix after it.
 */
int value_positive_size(struct parser *p, const struct line *ln,
    const struct token *t, const char *what, const char *suffix,
    uint64_t *bytes);
int value_positive_duration(struct parser *p, const struct line *ln,
    const struct token *t, const char *what, const char *suffix,
    uint64_t *ms);

/* INTEGER; -1 malformed, -2 out of range (no parser: no message). */
int value_signed(const char *s, int64_t *value);

/* Whether a word that is no OP looks like one was meant ("=>"). */
bool value_looks_like_compare(const char *word);

/* END: only the two ends are on the wire. */
int value_end_role(struct parser *p, const struct line *ln,
    const struct token *t, enum role_id *role);
/* DIRECTION = client->server | server->client, by writer (an end). */
struct wordset value_directions(void);

/* The ROLE a "ROLE.rest" word starts with, and where rest starts; -1: none. */
int value_split_role(const char *word, enum role_id *role, const char **rest);

/* EOF or an errno name, for "recv ends". */
int value_read_end(struct parser *p, const struct line *ln,
    const struct token *t, int *value);
/* The known errno name nearest to a typed one, or NULL. */
const char *value_errno_suggestion(const char *typed);

/* [a-z0-9][a-z0-9-]*: the case's name (the length is checked apart). */
bool value_is_case_name(const char *name);
/* [a-z0-9][a-z0-9_-]*: an event a raise step names. */
bool value_is_event_name(const char *name);

#endif /* values_h */
