/*
 * case.c - parse the case language into a struct case_file.
 *
 * GRAMMAR
 *
 * The file is read as lines (LF ends a line; one CR before it is
 * dropped).  "#" starts a comment that runs to the end of the line.
 * Tokens are separated by spaces and tabs.  Blank and comment-only lines
 * are ignored.  Indentation means nothing.  Positions in messages are
 * LINE:COL, both 1-based; COL counts bytes (a tab is one column) and
 * points at the offending token.  A NUL byte anywhere is an error, as is
 * any other control character but tab, and so is a byte above 0x7f
 * outside a comment (comments may hold UTF-8).
 *
 *   file        = { line }
 *   line        = directive | label [ item ] | item
 *   directive   = "case" NAME | "deadline" DURATION
 *   label       = "client:" | "server:" | "expect:"
 *
 * Summary.  The lines at the very top whose first non-blank character is
 * "#" (from line 1 up to the first line that is not such a comment) form
 * the summary: on each line the leading "#" characters and one space after
 * them are dropped, trailing blanks are trimmed, empty lines are skipped,
 * and the rest is joined with single spaces.  No such lines: NULL.
 *
 * Directives.  A line whose first token is "case" or "deadline" is a
 * directive wherever it appears; it does not end the current section.
 *   case NAME      required, once; NAME = [a-z0-9][a-z0-9-]{0,63}
 *   deadline DUR   optional, once, above 0; default 10s
 *
 * Sections.  A label starts a section; anything after it on the same line
 * (even without a space: "client:connect") is the section's first item.
 * Lines without a label continue the current section, one item per line.
 * Before the first label only directives may appear.  "client:" and
 * "server:" are both required and each appears once; "expect:" appears
 * once and holds at least one expectation.  Any other first token that
 * ends in ":" is an unknown section.
 *
 * Steps ("client:" and "server:" items).  Any step may end with
 * "within DUR" (DUR above 0): its timeout; otherwise the case deadline.
 *   connect                       client only
 *   accept                        server only
 *   send SIZE { nonblocking | dontwait | more }   SIZE above 0
 *   send fill { more | nonblocking | dontwait }   implies dontwait
 *   recv SIZE [ peek ]            SIZE above 0
 *   recv all [ peek ]
 *   shutdown wr | rd | rdwr
 *   close
 *   set rcvbuf SIZE | set sndbuf SIZE       SIZE at most INT_MAX;
 *                                           value = bytes, on = false
 *   set nodelay | cork | nonblock on | off  value = 1 for on, 0 for off
 *   set linger off                          on = false, value = 0
 *   set linger DUR                          whole seconds (0s, 5s) up to
 *                                           INT_MAX; on = true, value = s
 *   wait ROLE.EVENT               ROLE is the other role; EVENT is
 *                                 all after the first "."
 *   await unread | unsent | unacked [ OP ] SIZE
 *                                 OP defaults to ">=" for unread, "<="
 *                                 for unsent and unacked
 *   raise EVENT                   EVENT = [a-z0-9][a-z0-9_-]*, not one
 *                                 of the implicit names below, once per
 *                                 role
 *   pause DUR
 *   so_error
 *   snapshot
 * Options of send and recv may come in any order, each once.
 *
 * Events.  connect raises "connected", accept "accepted", send "sent",
 * recv "received", shutdown "shutdown", close "closed", raise its EVENT;
 * every role raises "done" after its last step.  An event, once raised,
 * stays raised.
 *
 * Expectations ("expect:" items; "within" is not allowed here).
 *   teardown none | fin | half-fin | rst | fin-then-rst [ from ROLE ]
 *   rst from ROLE [ ack | bare ]
 *   no rst
 *   ROLE.recv ends END [ then END ]       END = EOF | ERRNO
 *   ROLE.so_error ERRNO | 0
 *   DIRECTION OUTCOME
 *   DIRECTION lost OP SIZE | DIRECTION lost OP unsent
 *   kernel COUNTER OP INTEGER | kernel COUNTER +DIGITS   (+N means = N)
 *
 *   ROLE       = client | server
 *   DIRECTION  = client->server | server->client  (writer->reader)
 *   OUTCOME    = clean | delivered | delivered-but-reset | hidden-reset
 *              | truncated | corrupted | none
 *   OP         = "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
 *   ERRNO      = a name from errno_table below (ECONNRESET, EPIPE, ...)
 *   COUNTER    = [A-Za-z][A-Za-z0-9]*
 *   INTEGER    = [+-]?[0-9]+ within int64_t
 *   SIZE       = DIGITS [ B | K | M | G | KiB | MiB | GiB ]  (see units.c)
 *   DUR        = DIGITS ms | DIGITS [ . DIGITS ] s  (a bare number is no
 *                DUR; see units.c)
 *
 * Checks made as the lines are read (so reported in file order):
 *   - in each role, connect/accept appears at most once; send, recv,
 *     shutdown, close, await, so_error and snapshot come after it (set,
 *     wait, raise and pause may come before); after close only wait,
 *     raise and pause may follow;
 *   - the same expectation is not given twice: teardown, a direction's
 *     outcome, a role's recv end or so_error, "no rst"; "no rst" and
 *     "rst from" exclude each other.
 * Checks made at the end, in this order:
 *   - a name, the client, the server and at least one expectation exist
 *     (a role may have no steps);
 *   - "ROLE.recv ends" needs a recv step in ROLE, "ROLE.so_error" a
 *     so_error or a recv step (the end of a read loop records SO_ERROR);
 *   - a raised name is raised once per role;
 *   - every wait names an event the other role raises (the earliest
 *     offending wait in the file is reported);
 *   - the roles cannot deadlock: run both on paper, every step but wait
 *     completing at once and raising its event, a wait completing once
 *     the other role has raised the event; if a role cannot finish, the
 *     earlier of the two stuck waits is reported.
 *
 * Errors without a place in the file ("case has no name", a missing
 * file) read "PATH: message" and have line and col 0.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "units.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define CASE_NAME_MAX 64
#define SHOWN_MAX 40		/* user text quoted in a message is cut here */
#define SUGGEST_MAX_LEN 256	/* longer words get no "did you mean" */
#define SUGGEST_MAX_DISTANCE 2
#define READ_CHUNK (64 * 1024)

/* Tables indexed by the enums in case.h. */
static const char *const role_words[] = { "client", "server" };

static const char *const step_words[] = {
	"connect", "accept", "send", "recv", "shutdown", "close", "set",
	"wait", "await", "raise", "pause", "so_error", "snapshot"
};

static const char *const shutdown_words[] = { "rd", "wr", "rdwr" };

static const char *const option_words[] = {
	"rcvbuf", "sndbuf", "nodelay", "cork", "linger", "nonblock"
};

static const char *const metric_words[] = { "unread", "unsent", "unacked" };

static const char *const teardown_words[] = {
	"none", "fin", "half-fin", "rst", "fin-then-rst"
};

static const char *const outcome_words[] = {
	"clean", "delivered", "delivered-but-reset", "hidden-reset",
	"truncated", "corrupted", "none"
};

static const char *const compare_names[] = { "=", "!=", "<", "<=", ">", ">=" };

/* What a line may start with outside a section, and how to show it. */
static const char *const toplevel_words[] = {
	"case", "deadline", "client", "server", "expect"
};
static const char *const toplevel_shown[] = {
	"case", "deadline", "client:", "server:", "expect:"
};

static const char *const label_words[] = { "client:", "server:", "expect:" };

/* The first word of each expectation form. */
enum expect_head {
	HEAD_TEARDOWN,
	HEAD_RST,
	HEAD_NO,
	HEAD_KERNEL,
	HEAD_CLIENT_TO_SERVER,
	HEAD_SERVER_TO_CLIENT,
	HEAD_CLIENT_RECV,
	HEAD_SERVER_RECV,
	HEAD_CLIENT_SO_ERROR,
	HEAD_SERVER_SO_ERROR
};

static const char *const expect_head_words[] = {
	"teardown", "rst", "no", "kernel", "client->server", "server->client",
	"client.recv", "server.recv", "client.so_error", "server.so_error"
};

struct compare_word {
	const char *word;
	enum compare_op op;
};

static const struct compare_word compare_words[] = {
	{ "=", COMPARE_EQ },
	{ "==", COMPARE_EQ },
	{ "!=", COMPARE_NE },
	{ "<", COMPARE_LT },
	{ "<=", COMPARE_LE },
	{ ">", COMPARE_GT },
	{ ">=", COMPARE_GE },
};

struct errno_entry {
	const char *name;
	int value;
};

/* The first entry for a value is its name (EAGAIN, not EWOULDBLOCK). */
static const struct errno_entry errno_table[] = {
	{ "EOF", 0 },
	{ "ECONNRESET", ECONNRESET },
	{ "EPIPE", EPIPE },
	{ "ETIMEDOUT", ETIMEDOUT },
	{ "EAGAIN", EAGAIN },
	{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "ECONNABORTED", ECONNABORTED },
	{ "ECONNREFUSED", ECONNREFUSED },
	{ "ENOTCONN", ENOTCONN },
	{ "EISCONN", EISCONN },
	{ "ESHUTDOWN", ESHUTDOWN },
	{ "EHOSTUNREACH", EHOSTUNREACH },
	{ "EHOSTDOWN", EHOSTDOWN },
	{ "ENETUNREACH", ENETUNREACH },
	{ "ENETDOWN", ENETDOWN },
	{ "ENETRESET", ENETRESET },
	{ "EINPROGRESS", EINPROGRESS },
	{ "EALREADY", EALREADY },
	{ "EADDRINUSE", EADDRINUSE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTO", EPROTO },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "ENOPROTOOPT", ENOPROTOOPT },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EDESTADDRREQ", EDESTADDRREQ },
	{ "EMSGSIZE", EMSGSIZE },
	{ "ENOBUFS", ENOBUFS },
	{ "ENOMEM", ENOMEM },
	{ "ENOTSOCK", ENOTSOCK },
	{ "EBADF", EBADF },
	{ "EFAULT", EFAULT },
	{ "EINTR", EINTR },
	{ "EINVAL", EINVAL },
	{ "EIO", EIO },
	{ "EMFILE", EMFILE },
	{ "ENFILE", ENFILE },
	{ "EPERM", EPERM },
	{ "EACCES", EACCES },
};

enum section {
	SECTION_NONE,		/* before the first label */
	SECTION_CLIENT,
	SECTION_SERVER,
	SECTION_EXPECT
};

struct token {
	char *s;		/* NUL-terminated, inside the parser's line copy */
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

struct dynstr {
	char *s;
	size_t len;
	size_t cap;
};

struct parser {
	const char *path;
	struct case_error *err;
	bool failed;
	struct case_file *cf;
	enum section section;

	/* Reused for every line. */
	char *copy;
	size_t copy_cap;
	struct token *tokens;
	size_t ntokens;
	size_t tokens_cap;

	bool in_summary;
	struct dynstr summary;

	unsigned name_line;
	unsigned deadline_line;
	unsigned expect_line;
	unsigned expect_col;
	size_t steps_cap[ROLE_COUNT];
	size_t expects_cap;

	/* Where each role opened and closed its socket (0: not yet). */
	unsigned open_line[ROLE_COUNT];
	unsigned close_line[ROLE_COUNT];

	/* The first of each expectation that may appear only once. */
	unsigned teardown_line;
	unsigned outcome_line[ROLE_COUNT];	/* by writer */
	unsigned recv_end_line[ROLE_COUNT];
	unsigned so_error_line[ROLE_COUNT];
	unsigned no_rst_line;
	unsigned rst_from_line;
	enum role_id rst_from_role;
};

/* User text cut to a length fit for a message. */
struct shown {
	char text[SHOWN_MAX + sizeof("...")];
};

/* " (did you mean 'X'?)" or "". */
struct hint {
	char text[sizeof(" (did you mean '") + 16 + SHOWN_MAX + sizeof("...'?)")];
};

/* The nearest known word to a typed one, found word by word. */
struct nearest {
	const char *typed;
	size_t typed_len;
	size_t best;		/* index of the best word so far */
	size_t best_distance;	/* SIZE_MAX: none near enough yet */
	bool best_is_completion;	/* the typed word is its prefix */
};

/* Every event one role raises, sorted by name, then by when. */
struct event_site {
	const char *name;
	size_t raised_at;	/* raised once this many steps are done */
	const struct case_step *step;	/* NULL for "done" */
};

struct event_index {
	struct event_site *sites;
	size_t nsites;
};

/* Messages */

static void fail(struct parser *, unsigned, unsigned, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
fail(struct parser *p, unsigned line, unsigned col, const char *fmt, ...)
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

static void
fail_oom(struct parser *p)
{
	fail(p, 0, 0, "out of memory");
}

static void
fail_at(struct parser *p, const struct line *ln, const struct token *t,
    const char *what)
{
	fail(p, ln->number, t->col, "%s", what);
}

static const char *
show_bytes(struct shown *sh, const char *s, size_t len)
{
	if (len > SHOWN_MAX) {
		memcpy(sh->text, s, SHOWN_MAX);
		memcpy(sh->text + SHOWN_MAX, "...", sizeof("..."));
	} else {
		memcpy(sh->text, s, len);
		sh->text[len] = '\0';
	}
	return sh->text;
}

static const char *
show(struct shown *sh, const char *s)
{
	return show_bytes(sh, s, strlen(s));
}

static const char *
format_hint(struct hint *h, const char *prefix, const char *word)
{
	struct shown sh;

	if (word == NULL)
		h->text[0] = '\0';
	else
		snprintf(h->text, sizeof(h->text), " (did you mean '%s%s'?)",
		    prefix, show(&sh, word));
	return h->text;
}

/* Suggestions */

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

static void
nearest_init(struct nearest *nr, const char *typed)
{
	nr->typed = typed;
	nr->typed_len = strlen(typed);
	nr->best = 0;
	nr->best_distance = SIZE_MAX;
	nr->best_is_completion = false;
}

static void
nearest_consider(struct nearest *nr, size_t index, const char *word)
{
	size_t len, limit, gap, distance;
	bool completion;

	len = strlen(word);
	if (nr->typed_len > SUGGEST_MAX_LEN || len > SUGGEST_MAX_LEN)
		return;
	limit = suggest_limit(nr->typed_len, len);
	gap = len > nr->typed_len ? len - nr->typed_len : nr->typed_len - len;
	if (gap > limit)
		return;		/* the distance is at least the gap */
	distance = edit_distance(nr->typed, nr->typed_len, word, len);
	if (distance == 0 || distance > limit)
		return;
	/* On a tie, a word the typed one begins ("of": "off") wins. */
	completion = strncmp(word, nr->typed, nr->typed_len) == 0;
	if (distance < nr->best_distance ||
	    (distance == nr->best_distance && completion &&
	    !nr->best_is_completion)) {
		nr->best = index;
		nr->best_distance = distance;
		nr->best_is_completion = completion;
	}
}

/* Index of the nearest word, or -1. */
static int
nearest_word(const char *typed, const char *const *words, size_t nwords)
{
	struct nearest nr;
	size_t i;

	nearest_init(&nr, typed);
	for (i = 0; i < nwords; i++)
		nearest_consider(&nr, i, words[i]);
	return nr.best_distance == SIZE_MAX ? -1 : (int)nr.best;
}

static const char *
suggest(struct hint *h, const char *typed, const char *const *words,
    size_t nwords)
{
	int i;

	i = nearest_word(typed, words, nwords);
	return format_hint(h, "", i < 0 ? NULL : words[i]);
}

/* Small helpers */

static int
find_word(const char *word, const char *const *words, size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		if (strcmp(word, words[i]) == 0)
			return (int)i;
	return -1;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char *
dup_bytes(struct parser *p, const char *s, size_t len)
{
	char *copy;

	copy = malloc(len + 1);
	if (copy == NULL) {
		fail_oom(p);
		return NULL;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

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

/*
 * The array of count elements of elsize bytes, moved to a bigger block if
 * it is full; NULL when out of memory (the old block is still valid).
 */
static void *
grow_array(void *array, size_t *cap, size_t count, size_t elsize)
{
	size_t newcap;
	void *grown;

	if (count < *cap)
		return array;
	newcap = *cap == 0 ? 8 : *cap * 2;
	if (newcap < *cap || newcap > SIZE_MAX / elsize)
		return NULL;
	grown = realloc(array, newcap * elsize);
	if (grown == NULL)
		return NULL;
	*cap = newcap;
	return grown;
}

/* The text of tokens [0, n) of an item, as written. */
static const char *
item_span(const struct item *it, size_t n, size_t *len)
{
	const struct token *last;

	last = &it->tok[n - 1];
	*len = last->off + last->len - it->tok[0].off;
	return it->line->text + it->tok[0].off;
}

static char *
item_text(struct parser *p, const struct item *it)
{
	const char *s;
	size_t len;

	s = item_span(it, it->n, &len);
	return dup_bytes(p, s, len);
}

static struct token *
item_token(const struct item *it, size_t i)
{
	return &it->tok[i];
}

/* Fail unless the item has no tokens past the first used ones. */
static int
no_more(struct parser *p, const struct item *it, size_t used)
{
	struct shown extra, before;
	const char *s;
	size_t len;

	if (it->n <= used)
		return 0;
	s = item_span(it, used, &len);
	fail(p, it->line->number, it->tok[used].col,
	    "unexpected '%s' after '%s'", show(&extra, it->tok[used].s),
	    show_bytes(&before, s, len));
	return -1;
}

static int
parse_compare(const char *word, enum compare_op *op)
{
	size_t i;

	for (i = 0; i < NELEMS(compare_words); i++) {
		if (strcmp(word, compare_words[i].word) == 0) {
			*op = compare_words[i].op;
			return 0;
		}
	}
	return -1;
}

static bool
looks_like_compare(const char *word)
{
	return strchr("<>=!", word[0]) != NULL && word[0] != '\0';
}

/* Numbers */

static int
parse_size_token(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *bytes)
{
	static const char *const units[] = {
		"B", "K", "M", "G", "KiB", "MiB", "GiB"
	};
	struct shown sh, unit_shown;
	struct hint h;
	const char *unit;
	size_t ndigits;

	if (units_parse_size(t->s, bytes) == 0)
		return 0;
	ndigits = strspn(t->s, "0123456789");
	unit = t->s + ndigits;
	if (ndigits == 0)
		fail(p, ln->number, t->col,
		    "bad size '%s' (e.g. '100', '4K', '4KiB', '4MiB')",
		    show(&sh, t->s));
	else if (*unit == '\0' || find_word(unit, units, NELEMS(units)) >= 0)
		fail(p, ln->number, t->col, "size '%s' is too large",
		    show(&sh, t->s));
	else if (*unit == '.')
		fail(p, ln->number, t->col,
		    "size '%s' must be a whole number (e.g. '1500', not '1.5K')",
		    show(&sh, t->s));
	else
		fail(p, ln->number, t->col,
		    "unknown unit '%s' in size '%s'%s (use B, K, M, G, KiB, MiB or GiB)",
		    show(&unit_shown, unit), show(&sh, t->s),
		    suggest(&h, unit, units, NELEMS(units)));
	return -1;
}

static int
parse_duration_token(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *ms)
{
	static const char *const units[] = { "ms", "s" };
	struct shown sh, unit_shown;
	struct hint h;
	const char *rest, *fraction;
	size_t ndigits, nfraction, i;
	bool finer;

	if (units_parse_duration(t->s, ms) == 0)
		return 0;
	ndigits = strspn(t->s, "0123456789");
	if (ndigits == 0) {
		fail(p, ln->number, t->col,
		    "bad duration '%s' (e.g. '250ms', '2s', '1.5s')",
		    show(&sh, t->s));
		return -1;
	}
	rest = t->s + ndigits;
	fraction = NULL;
	nfraction = 0;
	if (*rest == '.') {
		fraction = rest + 1;
		nfraction = strspn(fraction, "0123456789");
		if (nfraction == 0) {
			fail(p, ln->number, t->col,
			    "bad duration '%s' (e.g. '250ms', '2s', '1.5s')",
			    show(&sh, t->s));
			return -1;
		}
		rest = fraction + nfraction;
	}
	if (*rest == '\0') {
		fail(p, ln->number, t->col,
		    "duration '%s' needs a unit (e.g. '%ss' or '%sms')",
		    show(&sh, t->s), sh.text, sh.text);
		return -1;
	}
	if (strcmp(rest, "ms") == 0 && fraction != NULL) {
		fail(p, ln->number, t->col,
		    "duration '%s': only seconds take a fraction (e.g. '1.5s')",
		    show(&sh, t->s));
		return -1;
	}
	if (strcmp(rest, "ms") == 0 || strcmp(rest, "s") == 0) {
		finer = false;
		for (i = 3; i < nfraction; i++)
			if (fraction[i] != '0')
				finer = true;
		if (finer)
			fail(p, ln->number, t->col,
			    "duration '%s' is finer than a millisecond",
			    show(&sh, t->s));
		else
			fail(p, ln->number, t->col,
			    "duration '%s' is too large", show(&sh, t->s));
		return -1;
	}
	fail(p, ln->number, t->col,
	    "unknown unit '%s' in duration '%s'%s (use ms or s)",
	    show(&unit_shown, rest), show(&sh, t->s),
	    suggest(&h, rest, units, NELEMS(units)));
	return -1;
}

/* [+-]?[0-9]+ within int64_t; -1 malformed, -2 out of range. */
static int
parse_signed(const char *s, int64_t *value)
{
	bool negative;
	uint64_t magnitude, limit, digit;
	const char *q;

	negative = *s == '-';
	q = s + (*s == '-' || *s == '+');
	if (!is_digit(*q))
		return -1;
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	magnitude = 0;
	for (; *q != '\0'; q++) {
		if (!is_digit(*q))
			return -1;
		digit = (uint64_t)(*q - '0');
		if (magnitude > (limit - digit) / 10)
			return -2;
		magnitude = magnitude * 10 + digit;
	}
	if (negative)
		*value = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)magnitude;
	else
		*value = (int64_t)magnitude;
	return 0;
}

/* Roles, errnos, names */

static int
parse_role_token(struct parser *p, const struct line *ln,
    const struct token *t, enum role_id *role)
{
	struct shown sh;
	struct hint h;
	int r;

	r = find_word(t->s, role_words, NELEMS(role_words));
	if (r < 0) {
		fail(p, ln->number, t->col,
		    "unknown role '%s'%s (expected 'client' or 'server')",
		    show(&sh, t->s),
		    suggest(&h, t->s, role_words, NELEMS(role_words)));
		return -1;
	}
	*role = (enum role_id)r;
	return 0;
}

static const char *
errno_suggestion(const char *typed)
{
	struct nearest nr;
	size_t i;

	nearest_init(&nr, typed);
	for (i = 0; i < NELEMS(errno_table); i++)
		nearest_consider(&nr, i, errno_table[i].name);
	return nr.best_distance == SIZE_MAX ? NULL :
	    errno_table[nr.best].name;
}

/* EOF or an errno name, for "recv ends". */
static int
parse_read_end_token(struct parser *p, const struct line *ln,
    const struct token *t, int *value)
{
	struct shown sh;
	struct hint h;

	if (errno_from_name(t->s, value) == 0)
		return 0;
	fail(p, ln->number, t->col,
	    "unknown errno '%s'%s (expected EOF or a name like ECONNRESET)",
	    show(&sh, t->s), format_hint(&h, "", errno_suggestion(t->s)));
	return -1;
}

static bool
valid_case_name(const char *name)
{
	size_t i;

	if (!is_lower_alnum(name[0]))
		return false;
	for (i = 1; name[i] != '\0'; i++)
		if (!is_lower_alnum(name[i]) && name[i] != '-')
			return false;
	return true;
}

static bool
valid_event_name(const char *name)
{
	size_t i;

	if (!is_lower_alnum(name[0]))
		return false;
	for (i = 1; name[i] != '\0'; i++)
		if (!is_lower_alnum(name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return false;
	return true;
}

/* Names the harness raises itself: a raise may not reuse them. */
static bool
is_implicit_event(const char *name)
{
	static const char *const implicit[] = {
		"connected", "accepted", "sent", "received", "shutdown",
		"closed", "done"
	};

	return find_word(name, implicit, NELEMS(implicit)) >= 0;
}

/* Steps */

static struct case_step *
append_step(struct parser *p, enum role_id role)
{
	struct case_role *r;
	struct case_step *step, *steps;

	r = &p->cf->roles[role];
	steps = grow_array(r->steps, &p->steps_cap[role], r->nsteps,
	    sizeof(*r->steps));
	if (steps == NULL) {
		fail_oom(p);
		return NULL;
	}
	r->steps = steps;
	step = &r->steps[r->nsteps++];
	memset(step, 0, sizeof(*step));
	return step;
}

/* Take a trailing "within DUR" off the item. */
static int
split_within(struct parser *p, struct item *it, uint64_t *timeout_ms)
{
	const struct line *ln;
	struct shown extra, dur;
	size_t i;

	ln = it->line;
	for (i = 1; i < it->n; i++)
		if (strcmp(it->tok[i].s, "within") == 0)
			break;
	if (i == it->n)
		return 0;
	if (i + 1 == it->n) {
		fail_at(p, ln, &it->tok[i],
		    "'within' needs a duration (e.g. 'within 2s')");
		return -1;
	}
	if (i + 2 < it->n) {
		fail(p, ln->number, it->tok[i + 2].col,
		    "unexpected '%s' after 'within %s': 'within' ends a step",
		    show(&extra, it->tok[i + 2].s),
		    show(&dur, it->tok[i + 1].s));
		return -1;
	}
	if (parse_duration_token(p, ln, &it->tok[i + 1], timeout_ms) == -1)
		return -1;
	if (*timeout_ms == 0) {
		fail_at(p, ln, &it->tok[i + 1],
		    "'within' needs a duration above 0");
		return -1;
	}
	it->n = i;
	return 0;
}

static int
parse_send(struct parser *p, const struct item *it, struct step_send *send)
{
	static const char *const modes[] = { "fill" };
	static const char *const options[] = {
		"nonblocking", "dontwait", "more"
	};
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	const char *dontwait_word;
	bool more_given;
	size_t i;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "send needs a size or 'fill' (e.g. 'send 4MiB')");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "fill") == 0) {
		send->fill = true;
		send->flags |= SEND_DONTWAIT;
	} else if (is_digit(t->s[0])) {
		if (parse_size_token(p, ln, t, &send->bytes) == -1)
			return -1;
		if (send->bytes == 0) {
			fail_at(p, ln, t, "send needs a size above 0");
			return -1;
		}
	} else {
		fail(p, ln->number, t->col,
		    "send needs a size or 'fill', not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, modes, NELEMS(modes)));
		return -1;
	}

	dontwait_word = NULL;
	more_given = false;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "nonblocking") == 0 ||
		    strcmp(t->s, "dontwait") == 0) {
			if (dontwait_word != NULL) {
				fail(p, ln->number, t->col,
				    "'%s' repeats '%s' (nonblocking and dontwait are the same)",
				    t->s, dontwait_word);
				return -1;
			}
			dontwait_word = t->s;
			send->flags |= SEND_DONTWAIT;
		} else if (strcmp(t->s, "more") == 0) {
			if (more_given) {
				fail_at(p, ln, t, "'more' is given twice");
				return -1;
			}
			more_given = true;
			send->flags |= SEND_MORE;
		} else {
			fail(p, ln->number, t->col,
			    "unknown send option '%s'%s (expected 'nonblocking', 'dontwait' or 'more')",
			    show(&sh, t->s),
			    suggest(&h, t->s, options, NELEMS(options)));
			return -1;
		}
	}
	return 0;
}

static int
parse_recv(struct parser *p, const struct item *it, struct step_recv *recv)
{
	static const char *const modes[] = { "all" };
	static const char *const options[] = { "peek" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "recv needs a size or 'all' (e.g. 'recv 100', 'recv all')");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "all") == 0) {
		recv->mode = RECV_ALL;
	} else if (is_digit(t->s[0])) {
		recv->mode = RECV_COUNT;
		if (parse_size_token(p, ln, t, &recv->bytes) == -1)
			return -1;
		if (recv->bytes == 0) {
			fail_at(p, ln, t, "recv needs a size above 0");
			return -1;
		}
	} else {
		fail(p, ln->number, t->col,
		    "recv needs a size or 'all', not '%s'%s", show(&sh, t->s),
		    suggest(&h, t->s, modes, NELEMS(modes)));
		return -1;
	}
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "peek") != 0) {
			fail(p, ln->number, t->col,
			    "unknown recv option '%s'%s (expected 'peek')",
			    show(&sh, t->s),
			    suggest(&h, t->s, options, NELEMS(options)));
			return -1;
		}
		if (recv->peek) {
			fail_at(p, ln, t, "'peek' is given twice");
			return -1;
		}
		recv->peek = true;
	}
	return 0;
}

static int
parse_shutdown(struct parser *p, const struct item *it,
    enum shutdown_how *how)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "shutdown needs 'wr', 'rd' or 'rdwr' (e.g. 'shutdown wr')");
		return -1;
	}
	t = item_token(it, 1);
	i = find_word(t->s, shutdown_words, NELEMS(shutdown_words));
	if (i < 0) {
		fail(p, it->line->number, t->col,
		    "unknown shutdown direction '%s'%s (expected 'wr', 'rd' or 'rdwr')",
		    show(&sh, t->s),
		    suggest(&h, t->s, shutdown_words, NELEMS(shutdown_words)));
		return -1;
	}
	*how = (enum shutdown_how)i;
	return no_more(p, it, 2);
}

static int
parse_on_off(struct parser *p, const struct item *it, struct step_set *set)
{
	static const char *const words[] = { "on", "off" };
	const char *option;
	const struct token *t;
	struct shown sh;
	struct hint h;

	option = it->tok[1].s;
	if (it->n < 3) {
		fail(p, it->line->number, it->tok[0].col,
		    "set %s needs 'on' or 'off' (e.g. 'set %s on')",
		    option, option);
		return -1;
	}
	t = item_token(it, 2);
	if (strcmp(t->s, "on") == 0)
		set->on = true;
	else if (strcmp(t->s, "off") == 0)
		set->on = false;
	else {
		fail(p, it->line->number, t->col,
		    "set %s needs 'on' or 'off', not '%s'%s", option,
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	set->value = set->on ? 1 : 0;
	return 0;
}

static int
parse_buffer_size(struct parser *p, const struct item *it,
    struct step_set *set)
{
	const char *option;
	const struct token *t;
	struct shown sh;
	char max[32];

	option = it->tok[1].s;
	if (it->n < 3) {
		fail(p, it->line->number, it->tok[0].col,
		    "set %s needs a size (e.g. 'set %s 64KiB')", option, option);
		return -1;
	}
	t = item_token(it, 2);
	if (!is_digit(t->s[0])) {
		fail(p, it->line->number, t->col,
		    "set %s needs a size (e.g. 'set %s 64KiB'), not '%s'",
		    option, option, show(&sh, t->s));
		return -1;
	}
	if (parse_size_token(p, it->line, t, &set->value) == -1)
		return -1;
	/* setsockopt takes an int. */
	if (set->value > INT_MAX) {
		fail(p, it->line->number, t->col,
		    "%s '%s' is too large (at most %s bytes)", option,
		    show(&sh, t->s), units_format_count(INT_MAX, max,
		    sizeof(max)));
		return -1;
	}
	return 0;
}

static int
parse_linger(struct parser *p, const struct item *it, struct step_set *set)
{
	static const char *const words[] = { "off" };
	const struct token *t;
	struct shown sh;
	struct hint h;
	uint64_t ms;

	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[0],
		    "set linger needs 'off' or whole seconds (e.g. 'set linger 0s')");
		return -1;
	}
	t = item_token(it, 2);
	if (strcmp(t->s, "off") == 0) {
		set->on = false;
		set->value = 0;
		return 0;
	}
	if (!is_digit(t->s[0])) {
		fail(p, it->line->number, t->col,
		    "set linger needs 'off' or whole seconds (e.g. 'set linger 0s'), not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	if (parse_duration_token(p, it->line, t, &ms) == -1)
		return -1;
	if (ms % 1000 != 0) {
		fail(p, it->line->number, t->col,
		    "linger takes whole seconds (e.g. '0s', '5s'), not '%s'",
		    show(&sh, t->s));
		return -1;
	}
	/* struct linger holds an int. */
	if (ms / 1000 > INT_MAX) {
		fail(p, it->line->number, t->col, "linger '%s' is too long",
		    show(&sh, t->s));
		return -1;
	}
	set->on = true;
	set->value = ms / 1000;
	return 0;
}

static int
parse_set(struct parser *p, const struct item *it, struct step_set *set)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int option, rc;

	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "set needs an option: rcvbuf, sndbuf, nodelay, cork, nonblock or linger (e.g. 'set nodelay on')");
		return -1;
	}
	t = item_token(it, 1);
	option = find_word(t->s, option_words, NELEMS(option_words));
	if (option < 0) {
		fail(p, it->line->number, t->col,
		    "unknown option '%s'%s (expected rcvbuf, sndbuf, nodelay, cork, nonblock or linger)",
		    show(&sh, t->s),
		    suggest(&h, t->s, option_words, NELEMS(option_words)));
		return -1;
	}
	set->option = (enum socket_option)option;
	switch (set->option) {
	case OPTION_RCVBUF:
	case OPTION_SNDBUF:
		rc = parse_buffer_size(p, it, set);
		break;
	case OPTION_LINGER:
		rc = parse_linger(p, it, set);
		break;
	case OPTION_NODELAY:
	case OPTION_CORK:
	case OPTION_NONBLOCK:
	default:
		rc = parse_on_off(p, it, set);
		break;
	}
	if (rc == -1)
		return -1;
	return no_more(p, it, 3);
}

static int
parse_wait(struct parser *p, enum role_id role, const struct item *it,
    struct step_wait *wait)
{
	const struct line *ln;
	struct token *t;
	struct shown sh, whole;
	struct hint h;
	char *dot;
	int r;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "wait needs ROLE.EVENT (e.g. 'wait server.closed')");
		return -1;
	}
	t = item_token(it, 1);
	dot = strchr(t->s, '.');
	if (dot == NULL || dot == t->s || dot[1] == '\0') {
		fail(p, ln->number, t->col,
		    "wait needs ROLE.EVENT (e.g. 'wait server.closed'), not '%s'",
		    show(&sh, t->s));
		return -1;
	}
	show(&whole, t->s);
	/* Split the token for a moment to look at the role part. */
	*dot = '\0';
	r = find_word(t->s, role_words, NELEMS(role_words));
	if (r < 0) {
		show(&sh, t->s);
		suggest(&h, t->s, role_words, NELEMS(role_words));
		*dot = '.';
		fail(p, ln->number, t->col,
		    "unknown role '%s' in '%s'%s (expected 'client' or 'server')",
		    sh.text, whole.text, h.text);
		return -1;
	}
	*dot = '.';
	if ((enum role_id)r == role) {
		fail_at(p, ln, t, "a role cannot wait for its own event");
		return -1;
	}
	wait->role = (enum role_id)r;
	wait->event = dup_bytes(p, dot + 1, strlen(dot + 1));
	if (wait->event == NULL)
		return -1;
	return no_more(p, it, 2);
}

static int
parse_await(struct parser *p, const struct item *it, struct step_await *aw)
{
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;
	int metric;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "await needs unread, unsent or unacked and a size (e.g. 'await unread 100')");
		return -1;
	}
	t = item_token(it, 1);
	metric = find_word(t->s, metric_words, NELEMS(metric_words));
	if (metric < 0) {
		fail(p, ln->number, t->col,
		    "unknown queue '%s'%s (expected unread, unsent or unacked)",
		    show(&sh, t->s),
		    suggest(&h, t->s, metric_words, NELEMS(metric_words)));
		return -1;
	}
	aw->metric = (enum socket_metric)metric;
	aw->op = aw->metric == METRIC_UNREAD ? COMPARE_GE : COMPARE_LE;
	i = 2;
	if (i < it->n && parse_compare(it->tok[i].s, &aw->op) == 0)
		i++;
	if (i >= it->n) {
		fail(p, ln->number, it->tok[i - 1].col,
		    "await %s needs a size (e.g. 'await %s %s 100')",
		    t->s, t->s, compare_op_name(aw->op));
		return -1;
	}
	t = item_token(it, i);
	if (!is_digit(t->s[0])) {
		if (looks_like_compare(t->s))
			fail(p, ln->number, t->col,
			    "unknown comparison '%s' (expected =, ==, !=, <, <=, > or >=, apart from the number)",
			    show(&sh, t->s));
		else
			fail(p, ln->number, t->col,
			    "await needs a size, not '%s'", show(&sh, t->s));
		return -1;
	}
	if (parse_size_token(p, ln, t, &aw->value) == -1)
		return -1;
	return no_more(p, it, i + 1);
}

static int
parse_raise(struct parser *p, const struct item *it, struct step_raise *raise)
{
	const struct token *t;
	struct shown sh;

	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "raise needs an event name (e.g. 'raise drained')");
		return -1;
	}
	t = item_token(it, 1);
	if (!valid_event_name(t->s)) {
		fail(p, it->line->number, t->col,
		    "event name '%s' must be lower-case letters, digits, '-' and '_'",
		    show(&sh, t->s));
		return -1;
	}
	if (is_implicit_event(t->s)) {
		fail(p, it->line->number, t->col,
		    "'%s' is an event the harness raises itself: choose another name",
		    t->s);
		return -1;
	}
	raise->event = dup_bytes(p, t->s, t->len);
	if (raise->event == NULL)
		return -1;
	return no_more(p, it, 2);
}

static int
parse_pause(struct parser *p, const struct item *it, struct step_pause *pause)
{
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "pause needs a duration (e.g. 'pause 250ms')");
		return -1;
	}
	if (parse_duration_token(p, it->line, &it->tok[1], &pause->ms) == -1)
		return -1;
	return no_more(p, it, 2);
}

/* Steps that use the connected socket. */
static bool
needs_connection(enum step_kind kind)
{
	switch (kind) {
	case STEP_SEND:
	case STEP_RECV:
	case STEP_SHUTDOWN:
	case STEP_CLOSE:
	case STEP_AWAIT:
	case STEP_SO_ERROR:
	case STEP_SNAPSHOT:
		return true;
	default:
		return false;
	}
}

/* Steps that need the socket still open: all of the above, and set. */
static bool
needs_socket(enum step_kind kind)
{
	return needs_connection(kind) || kind == STEP_SET ||
	    kind == STEP_CONNECT || kind == STEP_ACCEPT;
}

static int
check_step_order(struct parser *p, enum role_id role,
    const struct case_step *step)
{
	const char *name, *opener;

	name = step_kind_name(step->kind);
	opener = role == ROLE_CLIENT ? "connect" : "accept";
	if (p->close_line[role] != 0 && needs_socket(step->kind)) {
		fail(p, step->line, step->col, "'%s' after 'close' (line %u)",
		    name, p->close_line[role]);
		return -1;
	}
	if (step->kind == STEP_CONNECT || step->kind == STEP_ACCEPT) {
		if (p->open_line[role] != 0) {
			fail(p, step->line, step->col,
			    "'%s' appears twice in %s (first at line %u)",
			    name, role_name(role), p->open_line[role]);
			return -1;
		}
		p->open_line[role] = step->line;
		return 0;
	}
	if (p->open_line[role] == 0 && needs_connection(step->kind)) {
		fail(p, step->line, step->col, "'%s' before '%s'", name,
		    opener);
		return -1;
	}
	if (step->kind == STEP_CLOSE)
		p->close_line[role] = step->line;
	return 0;
}

static int
parse_step(struct parser *p, enum role_id role, struct item *it)
{
	struct case_step *step;
	const struct token *t;
	struct shown sh;
	struct hint h;
	int kind, rc;

	step = append_step(p, role);
	if (step == NULL)
		return -1;
	t = item_token(it, 0);
	step->line = it->line->number;
	step->col = t->col;
	step->text = item_text(p, it);
	if (step->text == NULL)
		return -1;
	kind = find_word(t->s, step_words, NELEMS(step_words));
	if (kind < 0) {
		fail(p, step->line, step->col, "unknown step '%s'%s",
		    show(&sh, t->s),
		    suggest(&h, t->s, step_words, NELEMS(step_words)));
		return -1;
	}
	/* The kind first: case_free() frees the union by it. */
	step->kind = (enum step_kind)kind;
	if (step->kind == STEP_CONNECT && role != ROLE_CLIENT) {
		fail_at(p, it->line, t, "'connect' is a client step");
		return -1;
	}
	if (step->kind == STEP_ACCEPT && role != ROLE_SERVER) {
		fail_at(p, it->line, t, "'accept' is a server step");
		return -1;
	}
	if (split_within(p, it, &step->timeout_ms) == -1)
		return -1;

	switch (step->kind) {
	case STEP_SEND:
		rc = parse_send(p, it, &step->u.send);
		break;
	case STEP_RECV:
		rc = parse_recv(p, it, &step->u.recv);
		break;
	case STEP_SHUTDOWN:
		rc = parse_shutdown(p, it, &step->u.shutdown);
		break;
	case STEP_SET:
		rc = parse_set(p, it, &step->u.set);
		break;
	case STEP_WAIT:
		rc = parse_wait(p, role, it, &step->u.wait);
		break;
	case STEP_AWAIT:
		rc = parse_await(p, it, &step->u.await);
		break;
	case STEP_RAISE:
		rc = parse_raise(p, it, &step->u.raise);
		break;
	case STEP_PAUSE:
		rc = parse_pause(p, it, &step->u.pause);
		break;
	case STEP_CONNECT:
	case STEP_ACCEPT:
	case STEP_CLOSE:
	case STEP_SO_ERROR:
	case STEP_SNAPSHOT:
	default:
		rc = no_more(p, it, 1);
		break;
	}
	if (rc == -1)
		return -1;
	return check_step_order(p, role, step);
}

/* Expectations */

static struct case_expect *
append_expect(struct parser *p)
{
	struct case_file *cf;
	struct case_expect *e, *expects;

	cf = p->cf;
	expects = grow_array(cf->expects, &p->expects_cap, cf->nexpects,
	    sizeof(*cf->expects));
	if (expects == NULL) {
		fail_oom(p);
		return NULL;
	}
	cf->expects = expects;
	e = &cf->expects[cf->nexpects++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* "from ROLE" at token i. */
static int
parse_from_role(struct parser *p, const struct item *it, size_t i,
    enum role_id *role)
{
	const struct token *t;

	t = item_token(it, i);
	if (strcmp(t->s, "from") != 0)
		return no_more(p, it, i);
	if (i + 1 >= it->n) {
		fail_at(p, it->line, t, "'from' needs 'client' or 'server'");
		return -1;
	}
	return parse_role_token(p, it->line, &it->tok[i + 1], role);
}

static int
parse_teardown(struct parser *p, const struct item *it, struct case_expect *e)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int class;

	e->kind = EXPECT_TEARDOWN;
	if (p->teardown_line != 0) {
		fail(p, e->line, e->col,
		    "'teardown' is expected twice (first at line %u)",
		    p->teardown_line);
		return -1;
	}
	p->teardown_line = e->line;
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "teardown needs none, fin, half-fin, rst or fin-then-rst (e.g. 'teardown fin')");
		return -1;
	}
	t = item_token(it, 1);
	class = find_word(t->s, teardown_words, NELEMS(teardown_words));
	if (class < 0) {
		fail(p, it->line->number, t->col,
		    "unknown teardown '%s'%s (expected none, fin, half-fin, rst or fin-then-rst)",
		    show(&sh, t->s),
		    suggest(&h, t->s, teardown_words, NELEMS(teardown_words)));
		return -1;
	}
	e->u.teardown = (enum teardown_expect_class)class;
	if (it->n == 2)
		return 0;
	if (parse_from_role(p, it, 2, &e->role) == -1)
		return -1;
	e->has_role = true;
	return no_more(p, it, 4);
}

static int
note_rst(struct parser *p, const struct case_expect *e)
{
	if (e->u.rst == RST_EXPECT_NONE) {
		if (p->no_rst_line != 0) {
			fail(p, e->line, e->col,
			    "'no rst' is expected twice (first at line %u)",
			    p->no_rst_line);
			return -1;
		}
		if (p->rst_from_line != 0) {
			fail(p, e->line, e->col,
			    "'no rst' contradicts 'rst from %s' (line %u)",
			    role_name(p->rst_from_role), p->rst_from_line);
			return -1;
		}
		p->no_rst_line = e->line;
		return 0;
	}
	if (p->no_rst_line != 0) {
		fail(p, e->line, e->col,
		    "'rst from %s' contradicts 'no rst' (line %u)",
		    role_name(e->role), p->no_rst_line);
		return -1;
	}
	if (p->rst_from_line == 0) {
		p->rst_from_line = e->line;
		p->rst_from_role = e->role;
	}
	return 0;
}

static int
parse_rst(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const kinds[] = { "ack", "bare" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	e->kind = EXPECT_RST;
	if (it->n < 2 || strcmp(it->tok[1].s, "from") != 0) {
		fail_at(p, it->line, it->n < 2 ? &it->tok[0] : &it->tok[1],
		    "expected 'from' after 'rst' (e.g. 'rst from server'; or 'no rst')");
		return -1;
	}
	if (parse_from_role(p, it, 1, &e->role) == -1)
		return -1;
	e->has_role = true;
	e->u.rst = RST_EXPECT_ANY;
	if (it->n > 3) {
		t = item_token(it, 3);
		if (strcmp(t->s, "ack") == 0)
			e->u.rst = RST_EXPECT_ACK;
		else if (strcmp(t->s, "bare") == 0)
			e->u.rst = RST_EXPECT_BARE;
		else {
			fail(p, it->line->number, t->col,
			    "unknown RST kind '%s'%s (expected 'ack' or 'bare')",
			    show(&sh, t->s),
			    suggest(&h, t->s, kinds, NELEMS(kinds)));
			return -1;
		}
	}
	if (no_more(p, it, 4) == -1)
		return -1;
	return note_rst(p, e);
}

static int
parse_no_rst(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const words[] = { "rst" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	e->kind = EXPECT_RST;
	e->u.rst = RST_EXPECT_NONE;
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0], "expected 'no rst'");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "rst") != 0) {
		fail(p, it->line->number, t->col,
		    "expected 'rst' after 'no', not '%s'%s", show(&sh, t->s),
		    suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	return note_rst(p, e);
}

static int
parse_kernel(struct parser *p, const struct item *it, struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	const char *counter;
	struct shown sh;
	size_t i, used;
	int rc;

	ln = it->line;
	e->kind = EXPECT_KERNEL;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "kernel needs a counter and a change (e.g. 'kernel TCPAbortOnClose = 1')");
		return -1;
	}
	t = item_token(it, 1);
	counter = t->s;
	for (i = 0; counter[i] != '\0'; i++)
		if (!is_alpha(counter[i]) && !(i > 0 && is_digit(counter[i])))
			break;
	if (counter[i] != '\0') {
		fail(p, ln->number, t->col,
		    "kernel counter '%s' must be letters and digits (e.g. 'TCPAbortOnClose')",
		    show(&sh, counter));
		return -1;
	}
	e->u.kernel.counter = dup_bytes(p, t->s, t->len);
	if (e->u.kernel.counter == NULL)
		return -1;
	if (it->n < 3) {
		fail(p, ln->number, t->col,
		    "kernel %s needs a change (e.g. '= 1', '>= 1' or '+1')",
		    show(&sh, counter));
		return -1;
	}
	t = item_token(it, 2);
	if (t->s[0] == '+' && is_digit(t->s[1])) {
		/* "+N": the counter grew by exactly N. */
		e->u.kernel.op = COMPARE_EQ;
		used = 3;
	} else {
		if (parse_compare(t->s, &e->u.kernel.op) == -1) {
			fail(p, ln->number, t->col,
			    "expected a comparison (=, ==, !=, <, <=, >, >=) or '+N' after 'kernel %s', not '%s'",
			    show(&sh, counter), t->s);
			return -1;
		}
		if (it->n < 4) {
			fail(p, ln->number, t->col,
			    "'%s' needs a number (e.g. 'kernel %s %s 1')", t->s,
			    show(&sh, counter), t->s);
			return -1;
		}
		t = item_token(it, 3);
		used = 4;
	}
	rc = parse_signed(t->s, &e->u.kernel.value);
	if (rc == -1) {
		fail(p, ln->number, t->col,
		    "bad number '%s' (expected an integer such as 1 or -1)",
		    show(&sh, t->s));
		return -1;
	}
	if (rc == -2) {
		fail(p, ln->number, t->col, "number '%s' is too large",
		    show(&sh, t->s));
		return -1;
	}
	return no_more(p, it, used);
}

static int
parse_lost(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const words[] = { "unsent" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;

	ln = it->line;
	e->kind = EXPECT_LOST;
	if (it->n < 4 || parse_compare(it->tok[2].s, &e->u.lost.op) == -1) {
		t = it->n < 3 ? &it->tok[1] : &it->tok[2];
		fail_at(p, ln, t,
		    "'lost' needs a comparison and an amount (e.g. 'lost = 0', 'lost > 0', 'lost = unsent')");
		return -1;
	}
	t = item_token(it, 3);
	if (strcmp(t->s, "unsent") == 0) {
		e->u.lost.unsent = true;
	} else if (is_digit(t->s[0])) {
		if (parse_size_token(p, ln, t, &e->u.lost.value) == -1)
			return -1;
	} else {
		fail(p, ln->number, t->col,
		    "'lost' needs a size or 'unsent', not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	return no_more(p, it, 4);
}

static int
parse_direction(struct parser *p, const struct item *it,
    struct case_expect *e, enum role_id writer)
{
	const char *words[NELEMS(outcome_words) + 1];
	const struct token *t;
	struct shown sh;
	struct hint h;
	int outcome;
	size_t i;

	e->writer = writer;
	if (it->n < 2) {
		fail(p, it->line->number, it->tok[0].col,
		    "'%s' needs an outcome (clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none) or 'lost OP N'",
		    it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "lost") == 0)
		return parse_lost(p, it, e);

	e->kind = EXPECT_OUTCOME;
	outcome = find_word(t->s, outcome_words, NELEMS(outcome_words));
	if (outcome < 0) {
		for (i = 0; i < NELEMS(outcome_words); i++)
			words[i] = outcome_words[i];
		words[i] = "lost";
		fail(p, it->line->number, t->col,
		    "unknown outcome '%s'%s (expected clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none or 'lost')",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	e->u.outcome = (enum direction_outcome)outcome;
	if (p->outcome_line[writer] != 0) {
		fail(p, e->line, e->col,
		    "the outcome of '%s' is expected twice (first at line %u)",
		    it->tok[0].s, p->outcome_line[writer]);
		return -1;
	}
	p->outcome_line[writer] = e->line;
	return no_more(p, it, 2);
}

static int
parse_recv_end(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	static const char *const ends[] = { "ends" };
	static const char *const thens[] = { "then" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;

	ln = it->line;
	e->kind = EXPECT_RECV_END;
	if (p->recv_end_line[e->role] != 0) {
		fail(p, e->line, e->col,
		    "'%s.recv ends' is expected twice (first at line %u)",
		    role_name(e->role), p->recv_end_line[e->role]);
		return -1;
	}
	p->recv_end_line[e->role] = e->line;
	if (it->n < 2 || strcmp(it->tok[1].s, "ends") != 0) {
		t = it->n < 2 ? &it->tok[0] : &it->tok[1];
		fail(p, ln->number, t->col,
		    "expected 'ends' after '%s'%s (e.g. '%s ends ECONNRESET')",
		    it->tok[0].s, it->n < 2 ? "" :
		    suggest(&h, t->s, ends, NELEMS(ends)), it->tok[0].s);
		return -1;
	}
	if (it->n < 3) {
		fail_at(p, ln, &it->tok[1],
		    "'ends' needs EOF or an errno name (e.g. 'ends ECONNRESET')");
		return -1;
	}
	if (parse_read_end_token(p, ln, &it->tok[2], &e->u.recv_end.first) ==
	    -1)
		return -1;
	if (it->n == 3)
		return 0;
	t = item_token(it, 3);
	if (strcmp(t->s, "then") != 0) {
		fail(p, ln->number, t->col, "unexpected '%s' after '%s'%s",
		    show(&sh, t->s), it->tok[2].s,
		    suggest(&h, t->s, thens, NELEMS(thens)));
		return -1;
	}
	if (it->n < 5) {
		fail_at(p, ln, t,
		    "'then' needs EOF or an errno name (e.g. 'then EOF')");
		return -1;
	}
	if (parse_read_end_token(p, ln, &it->tok[4], &e->u.recv_end.then) ==
	    -1)
		return -1;
	e->u.recv_end.has_then = true;
	return no_more(p, it, 5);
}

static int
parse_so_error_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;

	ln = it->line;
	e->kind = EXPECT_SO_ERROR;
	if (p->so_error_line[e->role] != 0) {
		fail(p, e->line, e->col,
		    "'%s.so_error' is expected twice (first at line %u)",
		    role_name(e->role), p->so_error_line[e->role]);
		return -1;
	}
	p->so_error_line[e->role] = e->line;
	if (it->n < 2) {
		fail(p, ln->number, it->tok[0].col,
		    "'%s' needs an errno name or 0 (e.g. '%s ECONNRESET')",
		    it->tok[0].s, it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "0") == 0)
		e->u.so_error = 0;
	else if (strcmp(t->s, "EOF") == 0 ||
	    errno_from_name(t->s, &e->u.so_error) == -1) {
		fail(p, ln->number, t->col,
		    "unknown errno '%s'%s (so_error is 0 or a name like ECONNRESET)",
		    show(&sh, t->s), format_hint(&h, "",
		    strcmp(t->s, "EOF") == 0 ? NULL : errno_suggestion(t->s)));
		return -1;
	}
	return no_more(p, it, 2);
}

static int
parse_expect(struct parser *p, const struct item *it)
{
	struct case_expect *e;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;
	int head;

	e = append_expect(p);
	if (e == NULL)
		return -1;
	t = item_token(it, 0);
	e->line = it->line->number;
	e->col = t->col;
	e->text = item_text(p, it);
	if (e->text == NULL)
		return -1;
	for (i = 1; i < it->n; i++) {
		if (strcmp(it->tok[i].s, "within") == 0) {
			fail_at(p, it->line, &it->tok[i],
			    "'within' applies to steps, not expectations");
			return -1;
		}
	}

	head = find_word(t->s, expect_head_words, NELEMS(expect_head_words));
	switch (head) {
	case HEAD_TEARDOWN:
		return parse_teardown(p, it, e);
	case HEAD_RST:
		return parse_rst(p, it, e);
	case HEAD_NO:
		return parse_no_rst(p, it, e);
	case HEAD_KERNEL:
		return parse_kernel(p, it, e);
	case HEAD_CLIENT_TO_SERVER:
		return parse_direction(p, it, e, ROLE_CLIENT);
	case HEAD_SERVER_TO_CLIENT:
		return parse_direction(p, it, e, ROLE_SERVER);
	case HEAD_CLIENT_RECV:
	case HEAD_SERVER_RECV:
		e->role = head == HEAD_CLIENT_RECV ? ROLE_CLIENT : ROLE_SERVER;
		e->has_role = true;
		return parse_recv_end(p, it, e);
	case HEAD_CLIENT_SO_ERROR:
	case HEAD_SERVER_SO_ERROR:
		e->role = head == HEAD_CLIENT_SO_ERROR ? ROLE_CLIENT :
		    ROLE_SERVER;
		e->has_role = true;
		return parse_so_error_expect(p, it, e);
	default:
		break;
	}

	if (strcmp(t->s, "client->client") == 0 ||
	    strcmp(t->s, "server->server") == 0) {
		fail_at(p, it->line, t,
		    "a direction goes from one role to the other: 'client->server' or 'server->client'");
		return -1;
	}
	if (find_word(t->s, role_words, NELEMS(role_words)) >= 0 &&
	    it->n > 1 && strncmp(it->tok[1].s, "->", 2) == 0) {
		fail_at(p, it->line, t,
		    "write a direction without spaces: 'client->server' or 'server->client'");
		return -1;
	}
	fail(p, it->line->number, t->col, "unknown expectation '%s'%s",
	    show(&sh, t->s), suggest(&h, t->s, expect_head_words,
	    NELEMS(expect_head_words)));
	return -1;
}

/* Directives and sections */

static int
parse_case_directive(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;

	if (p->name_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'case' is given twice (first at line %u)", p->name_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "case needs a name (e.g. 'case close-unread-truncates')");
		return -1;
	}
	t = item_token(it, 1);
	if (!valid_case_name(t->s)) {
		fail(p, it->line->number, t->col,
		    "case name '%s' must be lower-case letters, digits and '-'",
		    show(&sh, t->s));
		return -1;
	}
	if (t->len > CASE_NAME_MAX) {
		fail(p, it->line->number, t->col,
		    "case name '%s' is longer than %d characters",
		    show(&sh, t->s), CASE_NAME_MAX);
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	p->cf->name = dup_bytes(p, t->s, t->len);
	if (p->cf->name == NULL)
		return -1;
	p->name_line = it->line->number;
	return 0;
}

static int
parse_deadline_directive(struct parser *p, const struct item *it)
{
	uint64_t ms;

	if (p->deadline_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'deadline' is given twice (first at line %u)",
		    p->deadline_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "deadline needs a duration (e.g. 'deadline 10s')");
		return -1;
	}
	if (parse_duration_token(p, it->line, &it->tok[1], &ms) == -1)
		return -1;
	if (ms == 0) {
		fail_at(p, it->line, &it->tok[1],
		    "deadline needs a duration above 0");
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	p->cf->deadline_ms = ms;
	p->deadline_line = it->line->number;
	return 0;
}

static int
start_section(struct parser *p, enum section section, const struct line *ln,
    const struct token *label)
{
	struct case_role *r;
	enum role_id role;

	if (section == SECTION_EXPECT) {
		if (p->expect_line != 0) {
			fail(p, ln->number, label->col,
			    "'expect:' appears twice (first at line %u)",
			    p->expect_line);
			return -1;
		}
		p->expect_line = ln->number;
		p->expect_col = label->col;
	} else {
		role = section == SECTION_CLIENT ? ROLE_CLIENT : ROLE_SERVER;
		r = &p->cf->roles[role];
		if (r->present) {
			fail(p, ln->number, label->col,
			    "role '%s' is defined twice (first at line %u)",
			    role_name(role), r->line);
			return -1;
		}
		r->present = true;
		r->line = ln->number;
	}
	p->section = section;
	return 0;
}

/* Something that belongs in a section, found before any label. */
static int
fail_outside_section(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

	t = item_token(it, 0);
	if (find_word(t->s, step_words, NELEMS(step_words)) >= 0) {
		fail(p, it->line->number, t->col,
		    "step '%s' outside a 'client:' or 'server:' section",
		    t->s);
		return -1;
	}
	if (find_word(t->s, expect_head_words, NELEMS(expect_head_words)) >=
	    0) {
		fail(p, it->line->number, t->col,
		    "expectation '%s' outside the 'expect:' section", t->s);
		return -1;
	}
	/* "client" is a label without its colon. */
	i = find_word(t->s, toplevel_words, NELEMS(toplevel_words));
	if (i < 0)
		i = nearest_word(t->s, toplevel_words, NELEMS(toplevel_words));
	fail(p, it->line->number, t->col,
	    "expected 'case', 'deadline' or a section ('client:', 'server:', 'expect:'), not '%s'%s",
	    show(&sh, t->s), format_hint(&h, "", i < 0 ? NULL :
	    toplevel_shown[i]));
	return -1;
}

static int
parse_tokens(struct parser *p, const struct line *ln)
{
	struct item it;
	struct token *t;
	struct shown sh;
	struct hint h;
	size_t i, label_len;
	int label;

	it.line = ln;
	it.tok = p->tokens;
	it.n = p->ntokens;
	t = &it.tok[0];
	if (strcmp(t->s, "case") == 0)
		return parse_case_directive(p, &it);
	if (strcmp(t->s, "deadline") == 0)
		return parse_deadline_directive(p, &it);

	label = -1;
	for (i = 0; i < NELEMS(label_words); i++) {
		label_len = strlen(label_words[i]);
		if (strncmp(t->s, label_words[i], label_len) == 0) {
			label = (int)i;
			break;
		}
	}
	if (label >= 0) {
		if (start_section(p, (enum section)(SECTION_CLIENT + label),
		    ln, t) == -1)
			return -1;
		if (t->len == label_len) {
			it.tok++;
			it.n--;
		} else {
			/* "client:connect": the rest is the first item. */
			t->s += label_len;
			t->len -= label_len;
			t->off += label_len;
			t->col += (unsigned)label_len;
		}
		if (it.n == 0)
			return 0;
	} else if (t->s[t->len - 1] == ':') {
		fail(p, ln->number, t->col,
		    "unknown section '%s'%s (expected 'client:', 'server:' or 'expect:')",
		    show(&sh, t->s),
		    suggest(&h, t->s, label_words, NELEMS(label_words)));
		return -1;
	}

	switch (p->section) {
	case SECTION_CLIENT:
		return parse_step(p, ROLE_CLIENT, &it);
	case SECTION_SERVER:
		return parse_step(p, ROLE_SERVER, &it);
	case SECTION_EXPECT:
		return parse_expect(p, &it);
	case SECTION_NONE:
	default:
		return fail_outside_section(p, &it);
	}
}

/* Lines */

/* Bytes a case file may not hold; see the grammar. */
static int
check_bytes(struct parser *p, const struct line *ln)
{
	bool in_comment;
	unsigned char c;
	size_t i;

	/* Columns are unsigned. */
	if (ln->len > UINT_MAX - 1) {
		fail(p, ln->number, 1, "line is too long");
		return -1;
	}
	in_comment = false;
	for (i = 0; i < ln->len; i++) {
		c = (unsigned char)ln->text[i];
		if (c == '#')
			in_comment = true;
		if (c == '\0') {
			fail(p, ln->number, (unsigned)(i + 1),
			    "NUL byte in case file");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			fail(p, ln->number, (unsigned)(i + 1),
			    "unexpected character 0x%02x", c);
			return -1;
		}
		if (c >= 0x80 && !in_comment) {
			fail(p, ln->number, (unsigned)(i + 1),
			    "unexpected character 0x%02x (only comments may hold non-ASCII text)",
			    c);
			return -1;
		}
	}
	return 0;
}

/* Add a line of the opening comment block to the summary. */
static int
note_summary(struct parser *p, const struct line *ln)
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
		fail_oom(p);
		return -1;
	}
	return 0;
}

/* Split the line (up to a comment) into tokens in p->tokens. */
static int
tokenize(struct parser *p, const struct line *ln)
{
	struct token *t, *tokens;
	size_t i, start;
	char *grown;

	if (ln->len + 1 > p->copy_cap) {
		grown = realloc(p->copy, ln->len + 1);
		if (grown == NULL) {
			fail_oom(p);
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
		tokens = grow_array(p->tokens, &p->tokens_cap, p->ntokens,
		    sizeof(*p->tokens));
		if (tokens == NULL) {
			fail_oom(p);
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

static int
parse_line(struct parser *p, const struct line *ln)
{
	if (check_bytes(p, ln) == -1)
		return -1;
	if (p->in_summary && note_summary(p, ln) == -1)
		return -1;
	if (tokenize(p, ln) == -1)
		return -1;
	if (p->ntokens == 0)
		return 0;
	return parse_tokens(p, ln);
}

/* Checks on the whole case */

static int
compare_sites(const void *a, const void *b)
{
	const struct event_site *x = a, *y = b;
	int c;

	c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	return x->raised_at < y->raised_at ? -1 : x->raised_at > y->raised_at;
}

static int
build_event_index(struct parser *p, const struct case_role *r,
    struct event_index *ix)
{
	const char *name;
	size_t i;

	ix->nsites = 0;
	ix->sites = calloc(r->nsteps + 1, sizeof(*ix->sites));
	if (ix->sites == NULL) {
		fail_oom(p);
		return -1;
	}
	for (i = 0; i < r->nsteps; i++) {
		name = step_event_name(&r->steps[i]);
		if (name == NULL)
			continue;
		ix->sites[ix->nsites].name = name;
		ix->sites[ix->nsites].raised_at = i + 1;
		ix->sites[ix->nsites].step = &r->steps[i];
		ix->nsites++;
	}
	ix->sites[ix->nsites].name = "done";
	ix->sites[ix->nsites].raised_at = r->nsteps;
	ix->sites[ix->nsites].step = NULL;
	ix->nsites++;
	qsort(ix->sites, ix->nsites, sizeof(*ix->sites), compare_sites);
	return 0;
}

/* The earliest site of an event, or NULL. */
static const struct event_site *
find_event(const struct event_index *ix, const char *name)
{
	size_t low, high, mid;

	low = 0;
	high = ix->nsites;
	while (low < high) {
		mid = low + (high - low) / 2;
		if (strcmp(ix->sites[mid].name, name) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	if (low < ix->nsites && strcmp(ix->sites[low].name, name) == 0)
		return &ix->sites[low];
	return NULL;
}

static bool
step_before(const struct case_step *a, const struct case_step *b)
{
	return b == NULL || a->line < b->line ||
	    (a->line == b->line && a->col < b->col);
}

/* A name raised twice by one role: the earliest second raise. */
static int
check_duplicate_raises(struct parser *p, enum role_id role,
    const struct event_index *ix)
{
	const struct case_step *worst, *first;
	size_t i;

	worst = NULL;
	first = NULL;
	for (i = 1; i < ix->nsites; i++) {
		if (strcmp(ix->sites[i].name, ix->sites[i - 1].name) != 0)
			continue;
		/* Implicit names repeat freely; raised names may not. */
		if (ix->sites[i].step == NULL ||
		    ix->sites[i].step->kind != STEP_RAISE)
			continue;
		if (step_before(ix->sites[i].step, worst)) {
			worst = ix->sites[i].step;
			first = ix->sites[i - 1].step;
		}
	}
	if (worst != NULL) {
		fail(p, worst->line, worst->col,
		    "%s raises '%s' twice (first at line %u)", role_name(role),
		    worst->u.raise.event, first->line);
		return -1;
	}
	return 0;
}

/* Every wait names an event the other role raises. */
static int
check_waits(struct parser *p, const struct event_index ix[ROLE_COUNT])
{
	const struct case_step *step, *bad;
	const struct case_role *r;
	const struct event_index *other;
	struct nearest nr;
	struct hint h;
	struct shown sh;
	enum role_id role, bad_role;
	size_t i;

	bad = NULL;
	bad_role = ROLE_CLIENT;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
		r = &p->cf->roles[role];
		for (i = 0; i < r->nsteps; i++) {
			step = &r->steps[i];
			if (step->kind != STEP_WAIT)
				continue;
			if (find_event(&ix[step->u.wait.role],
			    step->u.wait.event) != NULL)
				continue;
			if (step_before(step, bad)) {
				bad = step;
				bad_role = role;
			}
		}
	}
	if (bad == NULL)
		return 0;

	other = &ix[bad->u.wait.role];
	nearest_init(&nr, bad->u.wait.event);
	for (i = 0; i < other->nsites; i++)
		nearest_consider(&nr, i, other->sites[i].name);
	fail(p, bad->line, bad->col,
	    "%s waits for '%s.%s', which %s never raises%s",
	    role_name(bad_role), role_name(bad->u.wait.role),
	    show(&sh, bad->u.wait.event), role_name(bad->u.wait.role),
	    nr.best_distance == SIZE_MAX ? "" : format_hint(&h,
	    bad->u.wait.role == ROLE_CLIENT ? "client." : "server.",
	    other->sites[nr.best].name));
	return -1;
}

/*
 * Run both roles on paper: every step but a wait completes at once, a
 * wait completes once the other role has raised its event.  Whatever
 * cannot finish that way would hang until the deadline.
 */
static int
check_deadlock(struct parser *p, const struct event_index ix[ROLE_COUNT])
{
	const struct case_role *roles;
	const struct case_step *stuck[ROLE_COUNT], *step;
	const struct event_site *site;
	size_t pc[ROLE_COUNT];
	enum role_id role, other, first;
	struct shown a, b;
	bool progress;

	roles = p->cf->roles;
	pc[ROLE_CLIENT] = pc[ROLE_SERVER] = 0;
	do {
		progress = false;
		for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
			other = role == ROLE_CLIENT ? ROLE_SERVER : ROLE_CLIENT;
			while (pc[role] < roles[role].nsteps) {
				step = &roles[role].steps[pc[role]];
				if (step->kind == STEP_WAIT) {
					site = find_event(&ix[other],
					    step->u.wait.event);
					if (site == NULL ||
					    pc[other] < site->raised_at)
						break;
				}
				pc[role]++;
				progress = true;
			}
		}
	} while (progress);

	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		stuck[role] = pc[role] < roles[role].nsteps ?
		    &roles[role].steps[pc[role]] : NULL;
	if (stuck[ROLE_CLIENT] == NULL && stuck[ROLE_SERVER] == NULL)
		return 0;

	if (stuck[ROLE_CLIENT] == NULL || stuck[ROLE_SERVER] == NULL) {
		/* Cannot happen after check_waits(); kept for safety. */
		role = stuck[ROLE_CLIENT] != NULL ? ROLE_CLIENT : ROLE_SERVER;
		step = stuck[role];
		fail(p, step->line, step->col,
		    "%s waits for '%s.%s', which %s never raises",
		    role_name(role), role_name(step->u.wait.role),
		    show(&a, step->u.wait.event),
		    role_name(step->u.wait.role));
		return -1;
	}
	first = step_before(stuck[ROLE_CLIENT], stuck[ROLE_SERVER]) ?
	    ROLE_CLIENT : ROLE_SERVER;
	other = first == ROLE_CLIENT ? ROLE_SERVER : ROLE_CLIENT;
	fail(p, stuck[first]->line, stuck[first]->col,
	    "%s and %s wait on each other: %s waits for '%s.%s' (line %u) while %s waits for '%s.%s' (line %u)",
	    role_name(first), role_name(other), role_name(first),
	    role_name(other), show(&a, stuck[first]->u.wait.event),
	    stuck[first]->line, role_name(other), role_name(first),
	    show(&b, stuck[other]->u.wait.event), stuck[other]->line);
	return -1;
}

static bool
role_has_step(const struct case_role *r, enum step_kind kind)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == kind)
			return true;
	return false;
}

/* An expectation about a result that no step would produce. */
static int
check_expect_sources(struct parser *p)
{
	const struct case_expect *e;
	const struct case_role *r;
	size_t i;

	for (i = 0; i < p->cf->nexpects; i++) {
		e = &p->cf->expects[i];
		r = &p->cf->roles[e->role];
		if (e->kind == EXPECT_RECV_END &&
		    !role_has_step(r, STEP_RECV)) {
			fail(p, e->line, e->col,
			    "'%s.recv ends' needs a 'recv' step in %s",
			    role_name(e->role), role_name(e->role));
			return -1;
		}
		/* SO_ERROR is read by a so_error step and after a read loop. */
		if (e->kind == EXPECT_SO_ERROR &&
		    !role_has_step(r, STEP_SO_ERROR) &&
		    !role_has_step(r, STEP_RECV)) {
			fail(p, e->line, e->col,
			    "'%s.so_error' needs a 'so_error' or 'recv' step in %s",
			    role_name(e->role), role_name(e->role));
			return -1;
		}
	}
	return 0;
}

static int
check_case(struct parser *p)
{
	struct case_file *cf;
	struct event_index ix[ROLE_COUNT];
	enum role_id role;
	int rc;

	cf = p->cf;
	if (cf->name == NULL) {
		fail(p, 0, 0,
		    "case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')");
		return -1;
	}
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
		if (!cf->roles[role].present) {
			fail(p, 0, 0, "case has no '%s:' role",
			    role_name(role));
			return -1;
		}
	}
	if (cf->nexpects == 0) {
		if (p->expect_line != 0)
			fail(p, p->expect_line, p->expect_col,
			    "case expects nothing: add expectations under 'expect:'");
		else
			fail(p, 0, 0,
			    "case expects nothing: add an 'expect:' section");
		return -1;
	}
	if (check_expect_sources(p) == -1)
		return -1;

	memset(ix, 0, sizeof(ix));
	rc = -1;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		if (build_event_index(p, &cf->roles[role], &ix[role]) == -1)
			goto out;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		if (check_duplicate_raises(p, role, &ix[role]) == -1)
			goto out;
	if (check_waits(p, ix) == -1 || check_deadlock(p, ix) == -1)
		goto out;
	rc = 0;
out:
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		free(ix[role].sites);
	return rc;
}

/* Entry points */

static void
clear_error(struct case_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

struct case_file *
case_parse_string(const char *path, const char *text, size_t len,
    struct case_error *err)
{
	struct parser p;
	struct line ln;
	const char *newline;
	size_t pos, next;

	clear_error(err);
	memset(&p, 0, sizeof(p));
	p.path = path != NULL ? path : "(string)";
	p.err = err;
	p.in_summary = true;
	p.section = SECTION_NONE;
	if (text == NULL && len > 0) {
		fail(&p, 0, 0, "no text to parse");
		return NULL;
	}
	p.cf = calloc(1, sizeof(*p.cf));
	if (p.cf == NULL) {
		fail_oom(&p);
		return NULL;
	}
	p.cf->deadline_ms = CASE_DEFAULT_DEADLINE_MS;
	p.cf->path = dup_bytes(&p, p.path, strlen(p.path));
	if (p.cf->path == NULL)
		goto fail;

	ln.number = 0;
	for (pos = 0; pos < len; pos = next) {
		if (ln.number == UINT_MAX - 1) {
			fail(&p, ln.number, 1, "too many lines");
			goto fail;
		}
		ln.number++;
		ln.text = text + pos;
		newline = memchr(ln.text, '\n', len - pos);
		ln.len = newline != NULL ? (size_t)(newline - ln.text) :
		    len - pos;
		next = pos + ln.len + (newline != NULL);
		if (ln.len > 0 && ln.text[ln.len - 1] == '\r')
			ln.len--;
		if (parse_line(&p, &ln) == -1)
			goto fail;
	}
	if (check_case(&p) == -1)
		goto fail;
	p.cf->summary = p.summary.s;	/* NULL if there was none */
	free(p.copy);
	free(p.tokens);
	return p.cf;
fail:
	free(p.summary.s);
	free(p.copy);
	free(p.tokens);
	case_free(p.cf);
	return NULL;
}

struct case_file *
case_parse_file(const char *path, struct case_error *err)
{
	struct parser p;
	struct case_file *cf;
	FILE *fp;
	char *buf, *grown;
	size_t len, cap, got;
	int saved_errno;

	clear_error(err);
	memset(&p, 0, sizeof(p));
	p.path = path != NULL ? path : "(null)";
	p.err = err;
	if (path == NULL) {
		fail(&p, 0, 0, "%s", strerror(EINVAL));
		return NULL;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		fail(&p, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	buf = NULL;
	len = 0;
	cap = 0;
	saved_errno = 0;
	for (;;) {
		if (cap - len < READ_CHUNK) {
			if (cap > SIZE_MAX / 2) {
				saved_errno = EFBIG;
				break;
			}
			cap = cap == 0 ? READ_CHUNK : cap * 2;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				saved_errno = ENOMEM;
				break;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0) {
			if (ferror(fp))
				saved_errno = errno != 0 ? errno : EIO;
			break;
		}
	}
	fclose(fp);
	if (saved_errno != 0) {
		free(buf);
		fail(&p, 0, 0, "%s", strerror(saved_errno));
		return NULL;
	}
	cf = case_parse_string(path, buf, len, err);
	free(buf);
	return cf;
}

void
case_free(struct case_file *cf)
{
	struct case_role *r;
	struct case_step *step;
	size_t i, role;

	if (cf == NULL)
		return;
	for (role = 0; role < ROLE_COUNT; role++) {
		r = &cf->roles[role];
		for (i = 0; i < r->nsteps; i++) {
			step = &r->steps[i];
			free(step->text);
			if (step->kind == STEP_WAIT)
				free(step->u.wait.event);
			else if (step->kind == STEP_RAISE)
				free(step->u.raise.event);
		}
		free(r->steps);
	}
	for (i = 0; i < cf->nexpects; i++) {
		free(cf->expects[i].text);
		if (cf->expects[i].kind == EXPECT_KERNEL)
			free(cf->expects[i].u.kernel.counter);
	}
	free(cf->expects);
	free(cf->path);
	free(cf->name);
	free(cf->summary);
	free(cf);
}

/* Names */

const char *
role_name(enum role_id role)
{
	if ((unsigned)role < NELEMS(role_words))
		return role_words[role];
	return "unknown-role";
}

const char *
step_kind_name(enum step_kind kind)
{
	if ((unsigned)kind < NELEMS(step_words))
		return step_words[kind];
	return "unknown-step";
}

const char *
outcome_name(enum direction_outcome o)
{
	if ((unsigned)o < NELEMS(outcome_words))
		return outcome_words[o];
	return "unknown-outcome";
}

const char *
teardown_expect_name(enum teardown_expect_class c)
{
	if ((unsigned)c < NELEMS(teardown_words))
		return teardown_words[c];
	return "unknown-teardown";
}

const char *
compare_op_name(enum compare_op op)
{
	if ((unsigned)op < NELEMS(compare_names))
		return compare_names[op];
	return "?";
}

bool
compare_u64(uint64_t a, enum compare_op op, uint64_t b)
{
	switch (op) {
	case COMPARE_EQ:
		return a == b;
	case COMPARE_NE:
		return a != b;
	case COMPARE_LT:
		return a < b;
	case COMPARE_LE:
		return a <= b;
	case COMPARE_GT:
		return a > b;
	case COMPARE_GE:
		return a >= b;
	}
	return false;
}

bool
compare_i64(int64_t a, enum compare_op op, int64_t b)
{
	switch (op) {
	case COMPARE_EQ:
		return a == b;
	case COMPARE_NE:
		return a != b;
	case COMPARE_LT:
		return a < b;
	case COMPARE_LE:
		return a <= b;
	case COMPARE_GT:
		return a > b;
	case COMPARE_GE:
		return a >= b;
	}
	return false;
}

const char *
step_event_name(const struct case_step *step)
{
	if (step == NULL)
		return NULL;
	switch (step->kind) {
	case STEP_CONNECT:
		return "connected";
	case STEP_ACCEPT:
		return "accepted";
	case STEP_SEND:
		return "sent";
	case STEP_RECV:
		return "received";
	case STEP_SHUTDOWN:
		return "shutdown";
	case STEP_CLOSE:
		return "closed";
	case STEP_RAISE:
		return step->u.raise.event;
	default:
		return NULL;
	}
}

int
errno_from_name(const char *name, int *value)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < NELEMS(errno_table); i++) {
		if (strcmp(name, errno_table[i].name) == 0) {
			if (value != NULL)
				*value = errno_table[i].value;
			return 0;
		}
	}
	return -1;
}

/* Never NULL, so that a message can always print it. */
const char *
errno_to_name(int value)
{
	size_t i;

	for (i = 0; i < NELEMS(errno_table); i++)
		if (errno_table[i].value == value)
			return errno_table[i].name;
	return "unknown-errno";
}
