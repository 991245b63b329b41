/*
 * parse_expect.c - the expectations of the expect sections.
 *
 * Expectations ("expect:" and "expect SYSTEM:" items; "within" is not
 * allowed here).
 *   teardown none | fin | half-fin | rst | fin-then-rst [ from END ]
 *   rst from END [ ack | bare ]
 *   no rst
 *   ROLE.recv ends END [ then END ]       END = EOF | ERRNO
 *   ROLE.so_error ERRNO | 0
 *   ROLE.send errors ERRNO { ERRNO } | ROLE.send errors none
 *                                         errors in order; none: n = 0
 *   ROLE.close took OP DUR | ROLE.shutdown took OP DUR
 *   ROLE killed by SIGNAL | ROLE exits normally     (signal 0)
 *   ROLE.poll includes FLAG { FLAG }      each flag once
 *   DIRECTION OUTCOME
 *   DIRECTION lost OP SIZE | DIRECTION lost OP unsent
 *   DIRECTION discarded OP SIZE
 *   kernel COUNTER OP INTEGER | kernel COUNTER +DIGITS   (+N means = N)
 * An expectation that starts with ROLE has role set and has_role true.
 *
 *   DIRECTION  = client->server | server->client  (writer->reader)
 *   OUTCOME    = clean | delivered | delivered-but-reset | hidden-reset
 *              | truncated | corrupted | none
 *   SIGNAL     = SIGPIPE | SIGKILL | SIGTERM | SIGINT | SIGSEGV | SIGABRT
 *              | SIGBUS
 *   FLAG       = POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP
 *   COUNTER    = [A-Za-z][A-Za-z0-9]*
 * (END, ROLE, OP, ERRNO, INTEGER, SIZE and DUR: see values.h.)
 *
 * Checks made as the lines are read (so reported in file order): the
 * same expectation is not given twice: teardown, a direction's outcome,
 * a role's recv end, so_error, send errors, poll or fate (killed by /
 * exits normally), "no rst"; "no rst" and "rst from" exclude each other;
 * a direction's lost or discarded and a role's close took or shutdown
 * took may be given twice (a range) but not three times.  Each "expect
 * SYSTEM:" item counts together with the "expect:" items, never with
 * another system's.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"

/* Not every system has it; the value is Linux's. */
#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif

static const char *const teardown_words[] = {
	"none", "fin", "half-fin", "rst", "fin-then-rst"
};

static const char *const outcome_words[] = {
	"clean", "delivered", "delivered-but-reset", "hidden-reset",
	"truncated", "corrupted", "none"
};

/* The systems an "expect SYSTEM:" section may name (uname sysnames). */
static const char *const system_words[] = {
	"linux", "freebsd", "darwin", "netbsd", "openbsd"
};

_Static_assert(NELEMS(system_words) == EXPECT_SYSTEMS,
    "EXPECT_SYSTEMS counts them");

/* The first word of the expectations that do not start with a role. */
enum expect_head {
	HEAD_TEARDOWN,
	HEAD_RST,
	HEAD_NO,
	HEAD_KERNEL,
	HEAD_CLIENT_TO_SERVER,
	HEAD_SERVER_TO_CLIENT
};

static const char *const expect_head_words[] = {
	"teardown", "rst", "no", "kernel", "client->server", "server->client"
};

/* What may follow "ROLE." in an expectation's first word. */
enum role_attr {
	ATTR_RECV,
	ATTR_SO_ERROR,
	ATTR_SEND,
	ATTR_CLOSE,
	ATTR_SHUTDOWN,
	ATTR_POLL
};

static const char *const attr_words[] = {
	"recv", "so_error", "send", "close", "shutdown", "poll"
};

/* Every first word of an expectation, for suggestions. */
static const char *const expect_first_words[] = {
	"teardown", "rst", "no", "kernel", "client->server", "server->client",
	"client.recv", "client.so_error", "client.send", "client.close",
	"client.shutdown", "client.poll",
	"server.recv", "server.so_error", "server.send", "server.close",
	"server.shutdown", "server.poll",
	"client.child.recv", "client.child.so_error", "client.child.send",
	"client.child.close", "client.child.shutdown", "client.child.poll",
	"server.child.recv", "server.child.so_error", "server.child.send",
	"server.child.close", "server.child.shutdown", "server.child.poll",
	"client", "server", "client.child", "server.child"
};

struct poll_entry {
	const char *name;
	short value;
};

static const struct poll_entry poll_table[] = {
	{ "POLLIN", POLLIN },
	{ "POLLOUT", POLLOUT },
	{ "POLLERR", POLLERR },
	{ "POLLHUP", POLLHUP },
	{ "POLLRDHUP", POLLRDHUP },
};

/* Expectations seen, by scope */

static void
seen_earliest(const struct seen *sn, size_t scope, unsigned *first)
{
	unsigned i;

	for (i = 0; i < sn->n[scope]; i++)
		if (*first == 0 || sn->line[scope][i] < *first)
			*first = sn->line[scope][i];
}

/*
 * Whether one more in scope would make more than limit (1 or 2) of them
 * apply to some system: an "expect:" item applies to every system, an
 * "expect linux:" item to Linux.  *first is then the earliest of those
 * already given.
 */
static bool
seen_exceeds(const struct seen *sn, size_t scope, unsigned limit,
    unsigned *first)
{
	size_t s;
	bool over;

	over = false;
	*first = 0;
	for (s = SCOPE_ALL + 1; s < NSCOPES; s++) {
		if (scope != SCOPE_ALL && s != scope)
			continue;
		if (sn->n[SCOPE_ALL] + sn->n[s] + 1 > limit) {
			over = true;
			seen_earliest(sn, s, first);
		}
	}
	if (over)
		seen_earliest(sn, SCOPE_ALL, first);
	return over;
}

static void
seen_note(struct seen *sn, size_t scope, unsigned line)
{
	if (sn->n[scope] < 2)
		sn->line[scope][sn->n[scope]++] = line;
}

static struct case_expect *
append_expect(struct parser *p)
{
	struct case_file *cf;
	struct case_expect *e, *expects;

	cf = p->cf;
	expects = case_grow_array(cf->expects, &p->expects_cap, cf->nexpects,
	    sizeof(*cf->expects));
	if (expects == NULL) {
		diag_oom(p);
		return NULL;
	}
	cf->expects = expects;
	e = &cf->expects[cf->nexpects++];
	memset(e, 0, sizeof(*e));
	return e;
}

/*
 * Note an expectation that may be given once (limit 1) or twice (limit 2,
 * a range) for each system; "what" names it in the message.
 */
static int
note_seen(struct parser *p, struct seen *sn, const struct case_expect *e,
    unsigned limit, const char *what)
{
	unsigned first;

	if (seen_exceeds(sn, p->scope, limit, &first)) {
		if (limit == 1)
			diag_fail(p, e->line, e->col,
			    "%s is expected twice (first at line %u)", what,
			    first);
		else
			diag_fail(p, e->line, e->col,
			    "%s is expected three times (first at line %u; two make a range)",
			    what, first);
		return -1;
	}
	seen_note(sn, p->scope, e->line);
	return 0;
}

/* note_seen() for one expectation per role, named "'ROLE.WHAT'". */
static int
note_role_seen(struct parser *p, struct seen *by_role,
    const struct case_expect *e, const char *what)
{
	char name[64];

	snprintf(name, sizeof(name), "'%s.%s'", role_name(e->role), what);
	return note_seen(p, &by_role[e->role], e, 1, name);
}

/* "from ROLE" at token i. */
static int
parse_from_role(struct parser *p, const struct item *it, size_t i,
    enum role_id *role)
{
	const struct token *t;

	t = item_token(it, i);
	if (strcmp(t->s, "from") != 0)
		return diag_no_more(p, it, i);
	if (i + 1 >= it->n) {
		diag_fail_at(p, it->line, t, "'from' needs 'client' or 'server'");
		return -1;
	}
	return value_end_role(p, it->line, &it->tok[i + 1], role);
}

static int
parse_teardown(struct parser *p, const struct item *it, struct case_expect *e)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int class;

	e->kind = EXPECT_TEARDOWN;
	if (note_seen(p, &p->teardown, e, 1, "'teardown'") == -1)
		return -1;
	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "teardown needs none, fin, half-fin, rst or fin-then-rst (e.g. 'teardown fin')");
		return -1;
	}
	t = item_token(it, 1);
	class = words_find(WORDS(teardown_words), t->s);
	if (class < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown teardown '%s'%s (expected none, fin, half-fin, rst or fin-then-rst)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(teardown_words)));
		return -1;
	}
	e->u.teardown = (enum teardown_expect_class)class;
	if (it->n == 2)
		return 0;
	if (parse_from_role(p, it, 2, &e->role) == -1)
		return -1;
	e->has_role = true;
	return diag_no_more(p, it, 4);
}

/* The role of the "rst from" given at line (one that seen_exceeds named). */
static enum role_id
rst_from_role_at(const struct parser *p, unsigned line)
{
	size_t s;

	for (s = 0; s < NSCOPES; s++)
		if (p->rst_from.n[s] > 0 && p->rst_from.line[s][0] == line)
			return p->rst_from_role[s];
	return ROLE_CLIENT;
}

static int
note_rst(struct parser *p, const struct case_expect *e)
{
	unsigned first;

	if (e->u.rst == RST_EXPECT_NONE) {
		if (seen_exceeds(&p->no_rst, p->scope, 1, &first)) {
			diag_fail(p, e->line, e->col,
			    "'no rst' is expected twice (first at line %u)",
			    first);
			return -1;
		}
		if (seen_exceeds(&p->rst_from, p->scope, 1, &first)) {
			diag_fail(p, e->line, e->col,
			    "'no rst' contradicts 'rst from %s' (line %u)",
			    role_name(rst_from_role_at(p, first)), first);
			return -1;
		}
		seen_note(&p->no_rst, p->scope, e->line);
		return 0;
	}
	if (seen_exceeds(&p->no_rst, p->scope, 1, &first)) {
		diag_fail(p, e->line, e->col,
		    "'rst from %s' contradicts 'no rst' (line %u)",
		    role_name(e->role), first);
		return -1;
	}
	if (p->rst_from.n[p->scope] == 0)
		p->rst_from_role[p->scope] = e->role;
	seen_note(&p->rst_from, p->scope, e->line);
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
		diag_fail_at(p, it->line, it->n < 2 ? &it->tok[0] : &it->tok[1],
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
			diag_fail(p, it->line->number, t->col,
			    "unknown RST kind '%s'%s (expected 'ack' or 'bare')",
			    diag_show(&sh, t->s),
			    diag_suggest(&h, t->s, WORDS(kinds)));
			return -1;
		}
	}
	if (diag_no_more(p, it, 4) == -1)
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
		diag_fail_at(p, it->line, &it->tok[0], "expected 'no rst'");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "rst") != 0) {
		diag_fail(p, it->line->number, t->col,
		    "expected 'rst' after 'no', not '%s'%s", diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(words)));
		return -1;
	}
	if (diag_no_more(p, it, 2) == -1)
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
		diag_fail_at(p, ln, &it->tok[0],
		    "kernel needs a counter and a change (e.g. 'kernel TCPAbortOnClose = 1')");
		return -1;
	}
	t = item_token(it, 1);
	counter = t->s;
	for (i = 0; counter[i] != '\0'; i++)
		if (!is_alpha(counter[i]) && !(i > 0 && is_digit(counter[i])))
			break;
	if (counter[i] != '\0') {
		diag_fail(p, ln->number, t->col,
		    "kernel counter '%s' must be letters and digits (e.g. 'TCPAbortOnClose')",
		    diag_show(&sh, counter));
		return -1;
	}
	e->u.kernel.counter = case_dup_bytes(p, t->s, t->len);
	if (e->u.kernel.counter == NULL)
		return -1;
	if (it->n < 3) {
		diag_fail(p, ln->number, t->col,
		    "kernel %s needs a change (e.g. '= 1', '>= 1' or '+1')",
		    diag_show(&sh, counter));
		return -1;
	}
	t = item_token(it, 2);
	if (t->s[0] == '+' && is_digit(t->s[1])) {
		/* "+N": the counter grew by exactly N. */
		e->u.kernel.op = COMPARE_EQ;
		used = 3;
	} else {
		if (symbols_compare_op(t->s, &e->u.kernel.op) == -1) {
			diag_fail(p, ln->number, t->col,
			    "expected a comparison (=, ==, !=, <, <=, >, >=) or '+N' after 'kernel %s', not '%s'",
			    diag_show(&sh, counter), t->s);
			return -1;
		}
		if (it->n < 4) {
			diag_fail(p, ln->number, t->col,
			    "'%s' needs a number (e.g. 'kernel %s %s 1')", t->s,
			    diag_show(&sh, counter), t->s);
			return -1;
		}
		t = item_token(it, 3);
		used = 4;
	}
	rc = value_signed(t->s, &e->u.kernel.value);
	if (rc == -1) {
		diag_fail(p, ln->number, t->col,
		    "bad number '%s' (expected an integer such as 1 or -1)",
		    diag_show(&sh, t->s));
		return -1;
	}
	if (rc == -2) {
		diag_fail(p, ln->number, t->col, "number '%s' is too large",
		    diag_show(&sh, t->s));
		return -1;
	}
	return diag_no_more(p, it, used);
}

/* "DIRECTION lost OP SIZE|unsent" and "DIRECTION discarded OP SIZE". */
static int
parse_lost(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const words[] = { "unsent" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];
	bool lost;

	ln = it->line;
	lost = strcmp(it->tok[1].s, "lost") == 0;
	e->kind = lost ? EXPECT_LOST : EXPECT_DISCARDED;
	if (it->n < 4 || symbols_compare_op(it->tok[2].s, lost ?
	    &e->u.lost.op : &e->u.discarded.op) == -1) {
		t = it->n < 3 ? &it->tok[1] : &it->tok[2];
		diag_fail_at(p, ln, t, lost ?
		    "'lost' needs a comparison and an amount (e.g. 'lost = 0', 'lost > 0', 'lost = unsent')" :
		    "'discarded' needs a comparison and a size (e.g. 'discarded = 0', 'discarded > 0')");
		return -1;
	}
	t = item_token(it, 3);
	if (lost && strcmp(t->s, "unsent") == 0) {
		e->u.lost.unsent = true;
	} else if (is_digit(t->s[0])) {
		if (value_size(p, ln, t, lost ? &e->u.lost.value :
		    &e->u.discarded.value) == -1)
			return -1;
	} else if (lost) {
		diag_fail(p, ln->number, t->col,
		    "'lost' needs a size or 'unsent', not '%s'%s",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(words)));
		return -1;
	} else {
		diag_fail(p, ln->number, t->col,
		    "'discarded' needs a size, not '%s'", diag_show(&sh, t->s));
		return -1;
	}
	if (diag_no_more(p, it, 4) == -1)
		return -1;
	snprintf(what, sizeof(what), "'%s %s'", it->tok[0].s, it->tok[1].s);
	return note_seen(p, lost ? &p->lost[e->writer] :
	    &p->discarded[e->writer], e, 2, what);
}

static int
parse_direction(struct parser *p, const struct item *it,
    struct case_expect *e, enum role_id writer)
{
	const char *words[NELEMS(outcome_words) + 2];
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];
	int outcome;
	size_t i;

	e->writer = writer;
	if (it->n < 2) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "'%s' needs an outcome (clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none), 'lost OP N' or 'discarded OP N'",
		    it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "lost") == 0 || strcmp(t->s, "discarded") == 0)
		return parse_lost(p, it, e);

	e->kind = EXPECT_OUTCOME;
	outcome = words_find(WORDS(outcome_words), t->s);
	if (outcome < 0) {
		for (i = 0; i < NELEMS(outcome_words); i++)
			words[i] = outcome_words[i];
		words[i++] = "lost";
		words[i] = "discarded";
		diag_fail(p, it->line->number, t->col,
		    "unknown outcome '%s'%s (expected clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none, 'lost' or 'discarded')",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(words)));
		return -1;
	}
	e->u.outcome = (enum direction_outcome)outcome;
	snprintf(what, sizeof(what), "the outcome of '%s'", it->tok[0].s);
	if (note_seen(p, &p->outcome[writer], e, 1, what) == -1)
		return -1;
	return diag_no_more(p, it, 2);
}

/* "expected 'WORD' after 'HEAD'" for the second word of HEAD's forms. */
static int
expect_second_word(struct parser *p, const struct item *it,
    const char *word, const char *example)
{
	const char *words[1];
	const struct token *t;
	struct hint h;

	if (it->n >= 2 && strcmp(it->tok[1].s, word) == 0)
		return 0;
	words[0] = word;
	t = it->n < 2 ? &it->tok[0] : &it->tok[1];
	diag_fail(p, it->line->number, t->col,
	    "expected '%s' after '%s'%s (e.g. '%s %s %s')", word,
	    it->tok[0].s, it->n < 2 ? "" : diag_suggest(&h, t->s, WORDS(words)),
	    it->tok[0].s, word, example);
	return -1;
}

static int
parse_recv_end(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	static const char *const thens[] = { "then" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;

	ln = it->line;
	e->kind = EXPECT_RECV_END;
	if (note_role_seen(p, p->recv_end, e, "recv ends") == -1)
		return -1;
	if (expect_second_word(p, it, "ends", "ECONNRESET") == -1)
		return -1;
	if (it->n < 3) {
		diag_fail_at(p, ln, &it->tok[1],
		    "'ends' needs EOF or an errno name (e.g. 'ends ECONNRESET')");
		return -1;
	}
	if (value_read_end(p, ln, &it->tok[2], &e->u.recv_end.first) ==
	    -1)
		return -1;
	if (it->n == 3)
		return 0;
	t = item_token(it, 3);
	if (strcmp(t->s, "then") != 0) {
		diag_fail(p, ln->number, t->col, "unexpected '%s' after '%s'%s",
		    diag_show(&sh, t->s), it->tok[2].s,
		    diag_suggest(&h, t->s, WORDS(thens)));
		return -1;
	}
	if (it->n < 5) {
		diag_fail_at(p, ln, t,
		    "'then' needs EOF or an errno name (e.g. 'then EOF')");
		return -1;
	}
	if (value_read_end(p, ln, &it->tok[4], &e->u.recv_end.then) ==
	    -1)
		return -1;
	e->u.recv_end.has_then = true;
	return diag_no_more(p, it, 5);
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
	if (note_role_seen(p, p->so_error, e, "so_error") == -1)
		return -1;
	if (it->n < 2) {
		diag_fail(p, ln->number, it->tok[0].col,
		    "'%s' needs an errno name or 0 (e.g. '%s ECONNRESET')",
		    it->tok[0].s, it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "0") == 0)
		e->u.so_error = 0;
	else if (strcmp(t->s, "EOF") == 0 ||
	    errno_from_name(t->s, &e->u.so_error) == -1) {
		diag_fail(p, ln->number, t->col,
		    "unknown errno '%s'%s (so_error is 0 or a name like ECONNRESET)",
		    diag_show(&sh, t->s), diag_hint(&h, "",
		    strcmp(t->s, "EOF") == 0 ? NULL : value_errno_suggestion(t->s)));
		return -1;
	}
	return diag_no_more(p, it, 2);
}

/* "ROLE.send errors ERRNO..." or "ROLE.send errors none" */
static int
parse_send_errors(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;
	int value;

	ln = it->line;
	e->kind = EXPECT_SEND_ERRORS;
	if (note_role_seen(p, p->send_errors, e, "send errors") == -1)
		return -1;
	if (expect_second_word(p, it, "errors", "EPIPE") == -1)
		return -1;
	if (it->n < 3) {
		diag_fail_at(p, ln, &it->tok[1],
		    "'errors' needs errno names or 'none' (e.g. 'errors EPIPE', 'errors none')");
		return -1;
	}
	if (strcmp(it->tok[2].s, "none") == 0)
		return diag_no_more(p, it, 3);
	e->u.send_errors.errors = calloc(it->n - 2,
	    sizeof(*e->u.send_errors.errors));
	if (e->u.send_errors.errors == NULL) {
		diag_oom(p);
		return -1;
	}
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "none") == 0) {
			diag_fail_at(p, ln, t,
			    "'none' stands alone (e.g. 'errors none')");
			return -1;
		}
		if (strcmp(t->s, "EOF") == 0 ||
		    errno_from_name(t->s, &value) == -1) {
			diag_fail(p, ln->number, t->col,
			    "unknown errno '%s'%s (send errors are names like EPIPE, or 'none')",
			    diag_show(&sh, t->s), diag_hint(&h, "",
			    strcmp(t->s, "EOF") == 0 ? NULL :
			    value_errno_suggestion(t->s)));
			return -1;
		}
		e->u.send_errors.errors[e->u.send_errors.n++] = value;
	}
	return 0;
}

/* "ROLE.close took OP DUR", "ROLE.shutdown took OP DUR" */
static int
parse_took(struct parser *p, const struct item *it, struct case_expect *e,
    enum timed_call call)
{
	const struct line *ln;
	char what[64];

	ln = it->line;
	e->kind = EXPECT_DURATION;
	e->u.duration.call = call;
	if (expect_second_word(p, it, "took", "< 100ms") == -1)
		return -1;
	if (it->n < 4 ||
	    symbols_compare_op(it->tok[2].s, &e->u.duration.op) == -1) {
		diag_fail_at(p, ln, it->n < 3 ? &it->tok[1] : &it->tok[2],
		    "'took' needs a comparison and a duration (e.g. 'took < 100ms', 'took >= 1s')");
		return -1;
	}
	if (value_duration(p, ln, &it->tok[3], &e->u.duration.ms) == -1)
		return -1;
	if (diag_no_more(p, it, 4) == -1)
		return -1;
	snprintf(what, sizeof(what), "'%s took'", it->tok[0].s);
	return note_seen(p, &p->took[e->role][call], e, 2, what);
}

/* "ROLE.poll includes FLAG..." */
static int
parse_poll_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const char *names[NELEMS(poll_table)];
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i, j;

	e->kind = EXPECT_POLL;
	if (note_role_seen(p, p->poll, e, "poll includes") == -1)
		return -1;
	if (expect_second_word(p, it, "includes", "POLLIN") == -1)
		return -1;
	if (it->n < 3) {
		diag_fail_at(p, it->line, &it->tok[1],
		    "'includes' needs poll flags (e.g. 'includes POLLIN POLLRDHUP')");
		return -1;
	}
	for (j = 0; j < NELEMS(poll_table); j++)
		names[j] = poll_table[j].name;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		for (j = 0; j < NELEMS(poll_table); j++)
			if (strcmp(t->s, poll_table[j].name) == 0)
				break;
		if (j == NELEMS(poll_table)) {
			diag_fail(p, it->line->number, t->col,
			    "unknown poll flag '%s'%s (expected POLLIN, POLLOUT, POLLERR, POLLHUP or POLLRDHUP)",
			    diag_show(&sh, t->s),
			    diag_suggest(&h, t->s, WORDS(names)));
			return -1;
		}
		if ((e->u.poll_events & poll_table[j].value) != 0) {
			diag_fail(p, it->line->number, t->col,
			    "'%s' is given twice", t->s);
			return -1;
		}
		e->u.poll_events = (short)(e->u.poll_events |
		    poll_table[j].value);
	}
	return 0;
}

/* "ROLE killed by SIGNAL" or "ROLE exits normally" */
static int
parse_fate(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const fates[] = { "killed", "exits" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];

	ln = it->line;
	e->kind = EXPECT_KILLED;
	snprintf(what, sizeof(what), "what becomes of %s",
	    role_name(e->role));
	if (note_seen(p, &p->killed[e->role], e, 1, what) == -1)
		return -1;
	if (it->n < 2) {
		diag_fail(p, ln->number, it->tok[0].col,
		    "'%s' needs 'killed by SIGNAL' or 'exits normally' (e.g. '%s killed by SIGPIPE')",
		    it->tok[0].s, it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "exits") == 0) {
		if (it->n < 3 || strcmp(it->tok[2].s, "normally") != 0) {
			t = it->n < 3 ? &it->tok[1] : &it->tok[2];
			diag_fail_at(p, ln, t,
			    "expected 'normally' after 'exits' (e.g. 'server exits normally')");
			return -1;
		}
		e->u.signal = 0;
		return diag_no_more(p, it, 3);
	}
	if (strcmp(t->s, "killed") != 0) {
		diag_fail(p, ln->number, t->col,
		    "expected 'killed by SIGNAL' or 'exits normally' after '%s', not '%s'%s",
		    it->tok[0].s, diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(fates)));
		return -1;
	}
	if (it->n < 3 || strcmp(it->tok[2].s, "by") != 0) {
		t = it->n < 3 ? &it->tok[1] : &it->tok[2];
		diag_fail_at(p, ln, t,
		    "expected 'by' after 'killed' (e.g. 'killed by SIGPIPE')");
		return -1;
	}
	if (it->n < 4) {
		diag_fail_at(p, ln, &it->tok[2],
		    "'killed by' needs a signal name (e.g. 'killed by SIGPIPE')");
		return -1;
	}
	t = item_token(it, 3);
	if (signal_from_name(t->s, &e->u.signal) == -1) {
		diag_fail(p, ln->number, t->col,
		    "unknown signal '%s'%s (expected SIGPIPE, SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGABRT or SIGBUS)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, symbols_signal_words()));
		return -1;
	}
	return diag_no_more(p, it, 4);
}

/* An expectation whose first word is ROLE.ATTR. */
static int
parse_role_attr(struct parser *p, const struct item *it,
    struct case_expect *e, enum role_attr attr)
{
	switch (attr) {
	case ATTR_RECV:
		return parse_recv_end(p, it, e);
	case ATTR_SO_ERROR:
		return parse_so_error_expect(p, it, e);
	case ATTR_SEND:
		return parse_send_errors(p, it, e);
	case ATTR_CLOSE:
		return parse_took(p, it, e, TIMED_CLOSE);
	case ATTR_SHUTDOWN:
		return parse_took(p, it, e, TIMED_SHUTDOWN);
	case ATTR_POLL:
	default:
		return parse_poll_expect(p, it, e);
	}
}

int
parse_expect(struct parser *p, const struct item *it)
{
	struct case_expect *e;
	const struct token *t;
	const char *rest;
	struct shown sh;
	struct hint h;
	enum role_id role;
	size_t i;
	int head, attr;

	e = append_expect(p);
	if (e == NULL)
		return -1;
	t = item_token(it, 0);
	e->line = it->line->number;
	e->col = t->col;
	e->text = lexer_item_text(p, it);
	if (e->text == NULL)
		return -1;
	if (p->scope != SCOPE_ALL) {
		e->system = case_dup_bytes(p, system_words[p->scope - 1],
		    strlen(system_words[p->scope - 1]));
		if (e->system == NULL)
			return -1;
	}
	for (i = 1; i < it->n; i++) {
		if (strcmp(it->tok[i].s, "within") == 0) {
			diag_fail_at(p, it->line, &it->tok[i],
			    "'within' applies to steps, not expectations");
			return -1;
		}
	}

	head = words_find(WORDS(expect_head_words), t->s);
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
	default:
		break;
	}

	if (value_split_role(t->s, &role, &rest) == 0) {
		attr = words_find(WORDS(attr_words), rest);
		if (attr >= 0) {
			e->role = role;
			e->has_role = true;
			return parse_role_attr(p, it, e, (enum role_attr)attr);
		}
	}
	if (strcmp(t->s, "client->client") == 0 ||
	    strcmp(t->s, "server->server") == 0) {
		diag_fail_at(p, it->line, t,
		    "a direction goes from one role to the other: 'client->server' or 'server->client'");
		return -1;
	}
	i = (size_t)words_find(symbols_role_words(), t->s);
	if (i < ROLE_COUNT) {
		if (i < ROLE_ENDS && it->n > 1 &&
		    strncmp(it->tok[1].s, "->", 2) == 0) {
			diag_fail_at(p, it->line, t,
			    "write a direction without spaces: 'client->server' or 'server->client'");
			return -1;
		}
		e->role = (enum role_id)i;
		e->has_role = true;
		return parse_fate(p, it, e);
	}
	diag_fail(p, it->line->number, t->col, "unknown expectation '%s'%s",
	    diag_show(&sh, t->s),
	    diag_suggest(&h, t->s, WORDS(expect_first_words)));
	return -1;
}

/* The first expectation section, for "case expects nothing". */
static void
note_expect_section(struct parser *p, const struct line *ln,
    const struct token *label)
{
	if (p->expect_line == 0) {
		p->expect_line = ln->number;
		p->expect_col = label->col;
	}
}

int
parse_expect_start(struct parser *p, const struct line *ln,
    const struct token *label)
{
	if (p->plain_expect_line != 0) {
		diag_fail(p, ln->number, label->col,
		    "'expect:' appears twice (first at line %u)",
		    p->plain_expect_line);
		return -1;
	}
	p->plain_expect_line = ln->number;
	p->scope = SCOPE_ALL;
	note_expect_section(p, ln, label);
	p->section = SECTION_EXPECT;
	return 0;
}

/*
 * "expect SYSTEM:" (two tokens; the second may hold the section's first
 * item, as "linux:no"), then the rest of the line as an expectation.
 */
int
parse_expect_label(struct parser *p, struct item *it)
{
	const struct line *ln;
	struct token *t;
	struct shown sh;
	struct hint h;
	char *colon;
	size_t len, scope;
	int sys;

	ln = it->line;
	if (it->n < 2) {
		diag_fail_at(p, ln, &it->tok[0],
		    "expected 'expect:' or 'expect SYSTEM:' (e.g. 'expect linux:')");
		return -1;
	}
	t = item_token(it, 1);
	colon = strchr(t->s, ':');
	if (colon == NULL) {
		diag_fail(p, ln->number, t->col,
		    "a system section ends with ':' (e.g. 'expect linux:'), not 'expect %s'",
		    diag_show(&sh, t->s));
		return -1;
	}
	len = (size_t)(colon - t->s);
	/* Split the token for a moment to look at the system part. */
	*colon = '\0';
	sys = words_find(WORDS(system_words), t->s);
	if (sys < 0) {
		diag_show(&sh, t->s);
		diag_suggest(&h, t->s, WORDS(system_words));
		*colon = ':';
		diag_fail(p, ln->number, t->col,
		    "unknown system '%s'%s (expected linux, freebsd, darwin, netbsd or openbsd)",
		    sh.text, h.text);
		return -1;
	}
	*colon = ':';
	scope = (size_t)sys + 1;
	if (p->system_line[scope] != 0) {
		diag_fail(p, ln->number, it->tok[0].col,
		    "'expect %s:' appears twice (first at line %u)",
		    system_words[sys], p->system_line[scope]);
		return -1;
	}
	p->system_line[scope] = ln->number;
	note_expect_section(p, ln, &it->tok[0]);
	p->section = SECTION_EXPECT;
	p->scope = scope;
	if (t->len == len + 1) {
		it->tok += 2;
		it->n -= 2;
	} else {
		/* "linux:no rst": the rest is the first item. */
		t->s += len + 1;
		t->len -= len + 1;
		t->off += len + 1;
		t->col += (unsigned)(len + 1);
		it->tok++;
		it->n--;
	}
	if (it->n == 0)
		return 0;
	return parse_expect(p, it);
}

bool
parse_expect_is_head(const char *word)
{
	enum role_id role;
	const char *rest;

	if (words_find(WORDS(expect_head_words), word) >= 0)
		return true;
	return value_split_role(word, &role, &rest) == 0 &&
	    words_find(WORDS(attr_words), rest) >= 0;
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
