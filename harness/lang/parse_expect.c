/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * parse_expect.c - the expectations of the expect sections.
 *
 * Expectations ("expect:" and "expect SYSTEM:" items; "within" is not
 * allowed here).
 *   teardown none | fin | half-fin | rst | fin-then-rst [ from END ]
 *   rst from END [ ack | bare ]
 *   no rst
 *   ROLE.recv ends END [ then END ]       END = EOF | ERRNO
 *   ROLE.recv N ends END | ROLE.recv N bytes OP SIZE
 *                                         the role's Nth recv step (1-based)
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
 *   OUTCOME    = clean | delivered | delivered-but-reset | hidden-reset
 *              | truncated | corrupted | none
 *   SIGNAL     = SIGPIPE | SIGKILL | SIGTERM | SIGINT | SIGSEGV | SIGABRT
 *              | SIGBUS
 *   FLAG       = POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP
 *   COUNTER    = a name of the TcpExt or Tcp table in symbols.c
 * (END, ROLE, DIRECTION, OP, ERRNO, INTEGER, SIZE and DUR: see values.h.)
 *
 * Checks made as the lines are read (so reported in file order): the
 * same expectation is not given twice: teardown, a direction's outcome,
 * a role's recv end, so_error, send errors, poll or fate (killed by /
 * exits normally), "no rst"; "no rst" and "rst from" exclude each other;
 * a direction's lost or discarded and a role's close took or shutdown
 * took may be given twice (a range) but not three times.  Each "expect
 * SYSTEM:" item counts together with the "expect:" items, never with
 * another system's.
 *
 * THE TABLE.  expect_rows holds a row per enum expect_kind: its form and
 * help, the shape of its first word (a word of its own, DIRECTION then a
 * word, ROLE.word, or ROLE alone), and its heads: the words that pick it,
 * each with its parser and, for ROLE.word, the steps that make what it
 * judges (check.c refuses "client.recv ends" without a recv step).  The
 * "did you mean" list of first words is made from the heads.
 *
 * A new expectation: its enum expect_kind value and union member
 * (case.h), a parser and its row here, its judgement in
 * harness/judge/verdict.c.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser-int.h"

/* Not every system has it; the value is Linux's. */
#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif

#define LIST_MAX 256	/* a list of words in a message */

static const char *const teardown_words[] = {
	[EXPECT_TEARDOWN_NONE] = "none",
	[EXPECT_TEARDOWN_FIN] = "fin",
	[EXPECT_TEARDOWN_HALF_FIN] = "half-fin",
	[EXPECT_TEARDOWN_RST] = "rst",
	[EXPECT_TEARDOWN_FIN_THEN_RST] = "fin-then-rst",
};

_Static_assert(NELEMS(teardown_words) == EXPECT_TEARDOWN_FIN_THEN_RST + 1,
    "a word for every enum teardown_expect_class");

static const char *const outcome_words[] = {
	[OUTCOME_CLEAN] = "clean",
	[OUTCOME_DELIVERED] = "delivered",
	[OUTCOME_DELIVERED_BUT_RESET] = "delivered-but-reset",
	[OUTCOME_HIDDEN_RESET] = "hidden-reset",
	[OUTCOME_TRUNCATED] = "truncated",
	[OUTCOME_CORRUPTED] = "corrupted",
	[OUTCOME_NONE] = "none",
};

_Static_assert(NELEMS(outcome_words) == OUTCOME_NONE + 1,
    "a word for every enum direction_outcome");

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

	if (parse_section_seen_exceeds(sn, p->scope, limit, &first)) {
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
	parse_section_seen_note(sn, p->scope, e->line);
	return 0;
}

/* note_seen() for one expectation per role, named "'ROLE.WHAT'". */
static int
note_role_seen(struct parser *p, struct seen *by_role,
    const struct case_expect *e, const char *what)
{
	char name[64];

	snprintf(name, sizeof(name), "'%s.%s'", case_role_name(e->role), what);
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
	char list[LIST_MAX];
	int class;

	if (note_seen(p, &p->teardown, e, 1, "'teardown'") == -1)
		return -1;
	words_list(list, sizeof(list), WORDS(teardown_words), false, "or");
	if (it->n < 2) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "teardown needs %s (e.g. 'teardown fin')", list);
		return -1;
	}
	t = item_token(it, 1);
	class = words_find(WORDS(teardown_words), t->s);
	if (class < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown teardown '%s'%s (expected %s)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(teardown_words)), list);
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

	if (e->u.rst.kind == RST_EXPECT_NONE) {
		if (parse_section_seen_exceeds(&p->no_rst, p->scope, 1, &first)) {
			diag_fail(p, e->line, e->col,
			    "'no rst' is expected twice (first at line %u)",
			    first);
			return -1;
		}
		if (parse_section_seen_exceeds(&p->rst_from, p->scope, 1, &first)) {
			diag_fail(p, e->line, e->col,
			    "'no rst' contradicts 'rst from %s' (line %u)",
			    case_role_name(rst_from_role_at(p, first)), first);
			return -1;
		}
		parse_section_seen_note(&p->no_rst, p->scope, e->line);
		return 0;
	}
	if (parse_section_seen_exceeds(&p->no_rst, p->scope, 1, &first)) {
		diag_fail(p, e->line, e->col,
		    "'rst from %s' contradicts 'no rst' (line %u)",
		    case_role_name(e->role), first);
		return -1;
	}
	if (p->rst_from.n[p->scope] == 0)
		p->rst_from_role[p->scope] = e->role;
	parse_section_seen_note(&p->rst_from, p->scope, e->line);
	return 0;
}

/* "fin from END" or "rst from END" at token i: one teardown packet. */
static int
parse_mark(struct parser *p, const struct item *it, size_t i,
    struct wire_mark *m)
{
	static const char *const packets[] = { "fin", "rst" };
	const struct token *t;
	struct shown sh;
	struct hint h;
	int k;

	if (i >= it->n) {
		diag_fail_at(p, it->line, &it->tok[i - 1],
		    "'before' needs 'fin from END' or 'rst from END' (e.g. 'fin from server before rst from server')");
		return -1;
	}
	t = item_token(it, i);
	k = words_find(WORDS(packets), t->s);
	if (k < 0) {
		diag_fail(p, it->line->number, t->col,
		    "expected 'fin' or 'rst', not '%s'%s", diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(packets)));
		return -1;
	}
	m->rst = k == 1;
	if (i + 1 >= it->n || strcmp(it->tok[i + 1].s, "from") != 0) {
		diag_fail_at(p, it->line, i + 1 < it->n ? &it->tok[i + 1] : t,
		    m->rst ? "expected 'from' after 'rst' (e.g. 'rst from server')" :
		    "expected 'from' after 'fin' (e.g. 'fin from server')");
		return -1;
	}
	if (i + 2 >= it->n) {
		diag_fail_at(p, it->line, &it->tok[i + 1],
		    "'from' needs 'client' or 'server'");
		return -1;
	}
	return value_end_role(p, it->line, &it->tok[i + 2], &m->end);
}

/* "fin|rst from END before fin|rst from END": the order on the wire. */
static int
parse_order(struct parser *p, const struct item *it, struct case_expect *e)
{
	struct wire_mark *a, *b;

	e->kind = EXPECT_ORDER;
	a = &e->u.order.first;
	b = &e->u.order.second;
	if (parse_mark(p, it, 0, a) == -1)
		return -1;
	if (it->n < 4 || strcmp(it->tok[3].s, "before") != 0) {
		diag_fail_at(p, it->line, it->n < 4 ? &it->tok[2] : &it->tok[3],
		    "expected 'before' (e.g. 'fin from server before rst from server')");
		return -1;
	}
	if (parse_mark(p, it, 4, b) == -1)
		return -1;
	if (a->rst == b->rst && a->end == b->end) {
		diag_fail_at(p, it->line, &it->tok[4],
		    "a packet cannot come before itself");
		return -1;
	}
	return diag_no_more(p, it, 7);
}

/*
 * "fin|rst from END within DUR of ROLE.close|ROLE.shutdown": the packet
 * left no earlier than the call began and at most DUR after.  e->role is
 * the call's role (check.c makes sure it has such a step).
 */
static int
parse_wire_time(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const calls[] = { [TIMED_CLOSE] = "close", [TIMED_SHUTDOWN] = "shutdown" };
	const struct token *t;
	const char *rest;
	struct shown sh;
	struct hint h;
	int k;

	e->kind = EXPECT_WIRE_TIME;
	if (parse_mark(p, it, 0, &e->u.wire_time.mark) == -1)
		return -1;
	if (it->n < 5) {
		diag_fail_at(p, it->line, &it->tok[3],
		    "'within' needs a duration, 'of' and a call (e.g. 'rst from server within 100ms of server.close')");
		return -1;
	}
	if (value_duration(p, it->line, &it->tok[4], &e->u.wire_time.ms) == -1)
		return -1;
	if (it->n < 7 || strcmp(it->tok[5].s, "of") != 0) {
		diag_fail_at(p, it->line, it->n < 6 ? &it->tok[4] : &it->tok[5],
		    "expected 'of ROLE.close' or 'of ROLE.shutdown' after the duration");
		return -1;
	}
	t = item_token(it, 6);
	if (value_split_role(t->s, &e->role, &rest) == -1) {
		diag_fail(p, it->line->number, t->col,
		    "expected ROLE.close or ROLE.shutdown (e.g. 'server.close'), not '%s'",
		    diag_show(&sh, t->s));
		return -1;
	}
	k = words_find(WORDS(calls), rest);
	if (k < 0) {
		diag_fail(p, it->line->number, t->col,
		    "a wire time is measured from a close or shutdown call, not '%s'%s",
		    diag_show(&sh, rest), diag_suggest(&h, rest, WORDS(calls)));
		return -1;
	}
	e->u.wire_time.call = (enum timed_call)k;
	e->has_role = true;
	return diag_no_more(p, it, 7);
}

/* "fin from END before ..." or "fin from END within ...". */
static int
parse_fin_mark(struct parser *p, const struct item *it, struct case_expect *e)
{
	if (it->n > 3 && strcmp(it->tok[3].s, "within") == 0)
		return parse_wire_time(p, it, e);
	return parse_order(p, it, e);
}

/* "count OP N" at token i of "rst from END ...". */
static int
parse_rst_count(struct parser *p, const struct item *it, size_t i,
    struct case_expect *e)
{
	const struct token *t;
	struct shown sh;
	int64_t value;

	if (i + 2 >= it->n ||
	    symbols_compare_op(it->tok[i + 1].s, &e->u.rst.op) == -1) {
		diag_fail_at(p, it->line, i + 1 < it->n ? &it->tok[i + 1] :
		    &it->tok[i],
		    "'count' needs a comparison and a number (e.g. 'rst from server count > 1')");
		return -1;
	}
	t = item_token(it, i + 2);
	if (value_signed(t->s, &value) != 0 || value < 0 || t->s[0] == '+' ||
	    t->s[0] == '-') {
		diag_fail(p, it->line->number, t->col,
		    "bad count '%s' (expected a number such as 1)",
		    diag_show(&sh, t->s));
		return -1;
	}
	e->u.rst.counted = true;
	e->u.rst.count = (uint64_t)value;
	return diag_no_more(p, it, i + 3);
}

/*
 * "rst from END [ack|bare] [count OP N]", and "rst from END before ...",
 * which is an EXPECT_ORDER: this parser picks that kind itself.
 */
static int
parse_rst(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const struct {
		const char *word;
		enum rst_expect_kind kind;
	} kinds[] = {
		{ "ack", RST_EXPECT_ACK },
		{ "bare", RST_EXPECT_BARE },
	};
	static const char *const nexts[] = { "ack", "bare", "count", "before", "within" };
	const struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	size_t i;
	int k;

	if (it->n < 2 || strcmp(it->tok[1].s, "from") != 0) {
		diag_fail_at(p, it->line, it->n < 2 ? &it->tok[0] : &it->tok[1],
		    "expected 'from' after 'rst' (e.g. 'rst from server'; or 'no rst')");
		return -1;
	}
	if (it->n > 3 && strcmp(it->tok[3].s, "before") == 0)
		return parse_order(p, it, e);
	if (it->n > 3 && strcmp(it->tok[3].s, "within") == 0)
		return parse_wire_time(p, it, e);
	if (parse_from_role(p, it, 1, &e->role) == -1)
		return -1;
	e->has_role = true;
	e->u.rst.kind = RST_EXPECT_ANY;
	i = 3;
	if (it->n > 3) {
		t = item_token(it, 3);
		k = words_find(WORDS(kinds), t->s);
		if (k >= 0) {
			e->u.rst.kind = kinds[k].kind;
			i = 4;
		} else if (strcmp(t->s, "count") != 0) {
			diag_fail(p, it->line->number, t->col,
			    "unknown RST kind '%s'%s (expected %s)",
			    diag_show(&sh, t->s),
			    diag_suggest(&h, t->s, WORDS(nexts)),
			    words_list(list, sizeof(list), WORDS(nexts), true,
			    "or"));
			return -1;
		}
	}
	if (i < it->n && strcmp(it->tok[i].s, "count") == 0) {
		if (parse_rst_count(p, it, i, e) == -1)
			return -1;
	} else if (diag_no_more(p, it, i) == -1)
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

	e->u.rst.kind = RST_EXPECT_NONE;
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

/* The counter meant: one spelt the same but for case, else the nearest. */
static const char *
counter_suggestion(const char *typed)
{
	struct wordset names;
	size_t i;
	int near;

	names = symbols_counter_words();
	for (i = 0; i < names.n; i++)
		if (strcasecmp(words_at(names, i), typed) == 0)
			return words_at(names, i);
	near = words_nearest(names, typed);
	return near < 0 ? NULL : words_at(names, (size_t)near);
}

static int
parse_kernel(struct parser *p, const struct item *it, struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	const char *counter;
	struct shown sh;
	struct hint h;
	size_t used;
	int rc;

	ln = it->line;
	if (it->n < 2) {
		diag_fail_at(p, ln, &it->tok[0],
		    "kernel needs a counter and a change (e.g. 'kernel TCPAbortOnClose = 1')");
		return -1;
	}
	t = item_token(it, 1);
	counter = t->s;
	if (words_find(symbols_counter_words(), counter) < 0) {
		diag_fail(p, ln->number, t->col,
		    "unknown kernel counter '%s'%s (expected a TcpExt or Tcp counter such as 'TCPAbortOnClose' or 'OutRsts')",
		    diag_show(&sh, counter),
		    diag_hint(&h, "", counter_suggestion(counter)));
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
	lost = e->kind == EXPECT_LOST;
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

/* "DIRECTION lost in flight OP SIZE": left the writer's end, never arrived. */
static int
parse_lost_in_flight(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	char what[64];

	ln = it->line;
	if (it->n < 4 || strcmp(it->tok[3].s, "flight") != 0) {
		diag_fail_at(p, ln, it->n < 4 ? &it->tok[2] : &it->tok[3],
		    "expected 'flight' after 'lost in' (e.g. 'server->client lost in flight > 0')");
		return -1;
	}
	if (it->n < 6 ||
	    symbols_compare_op(it->tok[4].s, &e->u.in_flight.op) == -1) {
		diag_fail_at(p, ln, it->n < 5 ? &it->tok[3] : &it->tok[4],
		    "'lost in flight' needs a comparison and a size (e.g. 'lost in flight > 0')");
		return -1;
	}
	if (value_size(p, ln, &it->tok[5], &e->u.in_flight.value) == -1)
		return -1;
	if (diag_no_more(p, it, 6) == -1)
		return -1;
	snprintf(what, sizeof(what), "'%s lost in flight'", it->tok[0].s);
	return note_seen(p, &p->in_flight[e->writer], e, 2, what);
}

/* Words considered in turn, the best kept: for "did you mean". */
struct suggestion {
	struct words_nearest nr;
	size_t n;
	char best[64];
};

static void
suggestion_init(struct suggestion *sg, const char *typed)
{
	words_nearest_init(&sg->nr, typed);
	sg->n = 0;
	sg->best[0] = '\0';
}

static void
suggestion_consider(struct suggestion *sg, const char *word)
{
	if (words_nearest_consider(&sg->nr, sg->n++, word, strlen(word)))
		snprintf(sg->best, sizeof(sg->best), "%s", word);
}

static const char *
suggestion_best(const struct suggestion *sg)
{
	return words_nearest_found(&sg->nr) ? sg->best : NULL;
}

static const char *outcome_suggestion(struct suggestion *sg,
    const char *typed);

/* "DIRECTION OUTCOME" */
static int
parse_outcome(struct parser *p, const struct item *it, struct case_expect *e)
{
	struct suggestion sg;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];
	int outcome;

	t = item_token(it, 1);
	outcome = words_find(WORDS(outcome_words), t->s);
	if (outcome < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown outcome '%s'%s (expected clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none, 'lost' or 'discarded')",
		    diag_show(&sh, t->s),
		    diag_hint(&h, "", outcome_suggestion(&sg, t->s)));
		return -1;
	}
	e->u.outcome = (enum direction_outcome)outcome;
	snprintf(what, sizeof(what), "the outcome of '%s'", it->tok[0].s);
	if (note_seen(p, &p->outcome[e->writer], e, 1, what) == -1)
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

/*
 * The NAME of "ROLE.so_error NAME ..." and "ROLE.snapshot NAME ...", at
 * token i: a step name (a lower-case letter, then what an event name may
 * hold) is taken into e->name, anything else is left for the caller.
 */
static int
parse_step_name(struct parser *p, const struct item *it, size_t i,
    struct case_expect *e)
{
	const struct token *t;

	t = item_token(it, i);
	if (!(t->s[0] >= 'a' && t->s[0] <= 'z') || !value_is_event_name(t->s))
		return 0;
	e->name = case_dup_bytes(p, t->s, t->len);
	return e->name == NULL ? -1 : 0;
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
	if (note_role_seen(p, p->recv_end, e, "recv ends") == -1)
		return -1;
	if (expect_second_word(p, it, "ends", "ECONNRESET") == -1)
		return -1;
	if (it->n < 3) {
		diag_fail_at(p, ln, &it->tok[1],
		    "'ends' needs EOF, TIMEOUT or an errno name (e.g. 'ends ECONNRESET')");
		return -1;
	}
	if (strcmp(it->tok[2].s, "TIMEOUT") == 0) {
		/* The read's own time ran out: nothing is read after it. */
		e->u.recv_end.first = READ_END_TIMEOUT;
		return diag_no_more(p, it, 3);
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

/*
 * "ROLE.recv N ends END" and "ROLE.recv N bytes OP SIZE": what one recv
 * step returned, N counting the role's recv steps from 1.  A number,
 * not a name, because a recv step has no name ('#' starts a comment, so
 * "#2" is not a word); check.c makes sure the role has an Nth.  Whether
 * N is in range is for check.c; here only its form.
 */
static int
parse_recv_step(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	static const char *const whats[] = { "ends", "bytes" };
	const struct line *ln;
	const struct token *t;
	struct hint h;
	int64_t n;

	ln = it->line;
	e->kind = EXPECT_RECV_STEP;
	t = it->n < 2 ? &it->tok[0] : &it->tok[1];
	if (it->n < 2 || t->s[0] < '1' || t->s[0] > '9' ||
	    value_signed(t->s, &n) != 0 || n < 1 || n > CASE_ROLE_STEPS_MAX) {
		diag_fail(p, ln->number, t->col,
		    "expected 'ends' or a recv step's number after '%s'%s (e.g. '%s ends EOF' or '%s 2 bytes = 4KiB')",
		    it->tok[0].s, it->n < 2 ? "" : diag_suggest(&h, t->s,
		    WORDS(whats)), it->tok[0].s, it->tok[0].s);
		return -1;
	}
	e->u.recv_step.nth = (unsigned)n;
	if (it->n < 3 || words_find(WORDS(whats), it->tok[2].s) < 0) {
		t = it->n < 3 ? &it->tok[1] : &it->tok[2];
		diag_fail(p, ln->number, t->col,
		    "expected 'ends' or 'bytes' after the recv step's number%s (e.g. '%s %s ends EOF')",
		    it->n < 3 ? "" : diag_suggest(&h, t->s, WORDS(whats)),
		    it->tok[0].s, it->tok[1].s);
		return -1;
	}
	if (strcmp(it->tok[2].s, "bytes") == 0) {
		e->u.recv_step.bytes = true;
		if (it->n < 5 ||
		    symbols_compare_op(it->tok[3].s, &e->u.recv_step.op) == -1) {
			diag_fail_at(p, ln, it->n > 3 ? &it->tok[3] : &it->tok[2],
			    "'bytes' needs a comparison and a size (e.g. 'bytes = 4KiB')");
			return -1;
		}
		if (value_size(p, ln, &it->tok[4], &e->u.recv_step.value) == -1)
			return -1;
		return diag_no_more(p, it, 5);
	}
	if (it->n < 4) {
		diag_fail_at(p, ln, &it->tok[2],
		    "'ends' needs EOF, TIMEOUT or an errno name (e.g. 'ends ECONNRESET')");
		return -1;
	}
	if (strcmp(it->tok[3].s, "TIMEOUT") == 0)
		e->u.recv_step.end = READ_END_TIMEOUT;
	else if (value_read_end(p, ln, &it->tok[3], &e->u.recv_step.end) == -1)
		return -1;
	return diag_no_more(p, it, 4);
}

/* "0" or an errno name (not EOF) at t; usage ends the message. */
static int
parse_zero_or_errno(struct parser *p, const struct line *ln,
    const struct token *t, int *value, const char *usage)
{
	struct shown sh;
	struct hint h;

	if (strcmp(t->s, "0") == 0) {
		*value = 0;
		return 0;
	}
	if (strcmp(t->s, "EOF") != 0 && case_errno_from_name(t->s, value) == 0)
		return 0;
	diag_fail(p, ln->number, t->col, "unknown errno '%s'%s (%s)",
	    diag_show(&sh, t->s), diag_hint(&h, "",
	    strcmp(t->s, "EOF") == 0 ? NULL : value_errno_suggestion(t->s)),
	    usage);
	return -1;
}

static int
parse_so_error_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	size_t i;

	ln = it->line;
	if (it->n < 2) {
		diag_fail(p, ln->number, it->tok[0].col,
		    "'%s' needs an errno name or 0 (e.g. '%s ECONNRESET')",
		    it->tok[0].s, it->tok[0].s);
		return -1;
	}
	/* "ROLE.so_error NAME ERRNO": the so_error step of that name. */
	if (parse_step_name(p, it, 1, e) == -1)
		return -1;
	i = e->name != NULL ? 2 : 1;
	if (e->name == NULL &&
	    note_role_seen(p, p->so_error, e, "so_error") == -1)
		return -1;
	if (i >= it->n) {
		diag_fail_at(p, ln, &it->tok[1],
		    "'so_error NAME' needs an errno name or 0 (e.g. 'so_error early ECONNRESET')");
		return -1;
	}
	if (parse_zero_or_errno(p, ln, item_token(it, i), &e->u.so_error,
	    "so_error is 0 or a name like ECONNRESET") == -1)
		return -1;
	return diag_no_more(p, it, i + 1);
}

/* "ROLE.close returns 0|ERRNO": what the last close() returned. */
static int
parse_close_returns(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;

	ln = it->line;
	if (note_role_seen(p, p->close_returns, e, "close returns") == -1)
		return -1;
	if (it->n < 3) {
		diag_fail_at(p, ln, &it->tok[1],
		    "'returns' needs 0 or an errno name (e.g. 'close returns 0', 'close returns EWOULDBLOCK')");
		return -1;
	}
	if (parse_zero_or_errno(p, ln, item_token(it, 2), &e->u.close_returns,
	    "close returns 0 or a name like EWOULDBLOCK") == -1)
		return -1;
	return diag_no_more(p, it, 3);
}

/*
 * "ROLE.snapshot [NAME] METRIC OP SIZE": a queue as the last snapshot
 * step (or the one named) recorded it.
 */
static int
parse_snapshot_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	struct wordset metrics;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	size_t i;
	int m;

	ln = it->line;
	metrics = parse_step_metric_words();
	words_list(list, sizeof(list), metrics, false, "or");
	if (it->n < 2) {
		diag_fail(p, ln->number, it->tok[0].col,
		    "'%s' needs %s, a comparison and a size (e.g. '%s unread = 100')",
		    it->tok[0].s, list, it->tok[0].s);
		return -1;
	}
	i = 1;
	if (words_find(metrics, it->tok[1].s) < 0) {
		if (parse_step_name(p, it, 1, e) == -1)
			return -1;
		/* No queue follows a name near a queue's: the queue is misspelt. */
		if (e->name != NULL && (it->n < 3 ||
		    words_find(metrics, it->tok[2].s) < 0) &&
		    words_nearest(metrics, e->name) >= 0) {
			free(e->name);
			e->name = NULL;
		}
		if (e->name == NULL) {
			t = item_token(it, 1);
			diag_fail(p, ln->number, t->col,
			    "unknown queue '%s'%s (expected %s, or a snapshot's name first)",
			    diag_show(&sh, t->s), diag_suggest(&h, t->s, metrics),
			    list);
			return -1;
		}
		i = 2;
	}
	if (i >= it->n || (m = words_find(metrics, it->tok[i].s)) < 0) {
		t = i < it->n ? &it->tok[i] : &it->tok[i - 1];
		diag_fail(p, ln->number, t->col,
		    "expected %s after '%s'%s (e.g. '%s %s unread = 100')", list,
		    it->tok[i - 1].s, i < it->n ? diag_suggest(&h, t->s, metrics) :
		    "", it->tok[0].s, it->tok[i - 1].s);
		return -1;
	}
	e->u.snapshot.metric = (enum socket_metric)m;
	if (i + 2 >= it->n ||
	    symbols_compare_op(it->tok[i + 1].s, &e->u.snapshot.op) == -1) {
		diag_fail_at(p, ln, i + 1 < it->n ? &it->tok[i + 1] : &it->tok[i],
		    "a queue needs a comparison and a size (e.g. 'unread = 100', 'unsent > 0')");
		return -1;
	}
	if (value_size(p, ln, &it->tok[i + 2], &e->u.snapshot.value) == -1)
		return -1;
	return diag_no_more(p, it, i + 3);
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
		    case_errno_from_name(t->s, &value) == -1) {
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

static int
parse_close_took(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	return parse_took(p, it, e, TIMED_CLOSE);
}

static int
parse_shutdown_took(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	return parse_took(p, it, e, TIMED_SHUTDOWN);
}
/* "ROLE.poll includes FLAG..." and "ROLE.poll excludes FLAG..." */
static int
parse_poll_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	size_t i;
	int j;

	if (it->n >= 2 && strcmp(it->tok[1].s, "excludes") == 0) {
		e->u.poll.excludes = true;
		if (note_role_seen(p, p->poll_excludes, e, "poll excludes") == -1)
			return -1;
	} else {
		if (note_role_seen(p, p->poll, e, "poll includes") == -1)
			return -1;
		if (expect_second_word(p, it, "includes", "POLLIN") == -1)
			return -1;
	}
	if (it->n < 3) {
		diag_fail(p, it->line->number, it->tok[1].col,
		    "'%s' needs poll flags (e.g. '%s POLLIN POLLRDHUP')",
		    it->tok[1].s, it->tok[1].s);
		return -1;
	}
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		j = words_find(WORDS(poll_table), t->s);
		if (j < 0) {
			diag_fail(p, it->line->number, t->col,
			    "unknown poll flag '%s'%s (expected %s)",
			    diag_show(&sh, t->s),
			    diag_suggest(&h, t->s, WORDS(poll_table)),
			    words_list(list, sizeof(list), WORDS(poll_table),
			    false, "or"));
			return -1;
		}
		if ((e->u.poll.events & poll_table[j].value) != 0) {
			diag_fail(p, it->line->number, t->col,
			    "'%s' is given twice", t->s);
			return -1;
		}
		e->u.poll.events = (short)(e->u.poll.events |
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
	char what[64], list[LIST_MAX];

	ln = it->line;
	snprintf(what, sizeof(what), "what becomes of %s",
	    case_role_name(e->role));
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
	if (case_signal_from_name(t->s, &e->u.signal) == -1) {
		diag_fail(p, ln->number, t->col,
		    "unknown signal '%s'%s (expected %s)", diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, symbols_signal_words()),
		    words_list(list, sizeof(list), symbols_signal_words(),
		    false, "or"));
		return -1;
	}
	return diag_no_more(p, it, 4);
}

/* How an expectation's first word picks its row. */
enum expect_shape {
	SHAPE_WORD,		/* a word of its own: "teardown", "no" */
	SHAPE_DIRECTION,	/* DIRECTION, then the head: "c->s lost" */
	SHAPE_ROLE_ATTR,	/* ROLE.head: "client.recv" */
	SHAPE_ROLE		/* ROLE alone: "server killed by SIGPIPE" */
};

/*
 * A head: the word that picks the row, by the row's shape, and the
 * parser of what follows it.  A NULL word picks the row when no other
 * head of its shape does (DIRECTION OUTCOME, ROLE killed by).
 */
struct expect_head {
	const char *word;
	/* The word after it, when two rows share the head ("close took",
	 * "close returns"); NULL: any other. */
	const char *next;
	int (*parse)(struct parser *p, const struct item *it,
	    struct case_expect *e);
	struct expect_source source;	/* SHAPE_ROLE_ATTR */
};

/* The expectations, by enum expect_kind. */
struct expect_row {
	struct expect_word w;	/* form, help: case_expect_word() */
	enum expect_shape shape;
	/* EXPECT_DURATION's by enum timed_call: see parse_expect_source(). */
	struct expect_head heads[2];
};

static const struct expect_row expect_rows[] = {
	[EXPECT_TEARDOWN] = { { "teardown CLASS [from END]",
	    "how the connection ends on the wire, and who ends it" },
	    SHAPE_WORD, { { .word = "teardown", .parse = parse_teardown } } },
	/* "rst from END before ..." is an EXPECT_ORDER: parse_rst says so. */
	[EXPECT_RST] = { { "rst from END [ack|bare] [count OP N] | no rst",
	    "an RST on the wire (with or without ACK, how many), or none at all" },
	    SHAPE_WORD, { { .word = "rst", .parse = parse_rst },
	    { .word = "no", .parse = parse_no_rst } } },
	[EXPECT_RECV_END] = { { "ROLE.recv ends END [then END]",
	    "how ROLE's read loop ended (EOF, TIMEOUT or an errno), and the next read" },
	    SHAPE_ROLE_ATTR, { { .word = "recv", .next = "ends",
	    .parse = parse_recv_end, .source = { "recv ends",
	    { STEP_RECV, STEP_DRAIN, STEP_LINGERING_CLOSE }, 3 } } } },
	/* SO_ERROR is read by a so_error step and after a read loop. */
	[EXPECT_SO_ERROR] = { { "ROLE.so_error [NAME] ERRNO|0",
	    "the socket error ROLE read last, or by the so_error step NAME" },
	    SHAPE_ROLE_ATTR, { { .word = "so_error",
	    .parse = parse_so_error_expect,
	    .source = { "so_error", { STEP_SO_ERROR, STEP_RECV }, 2 } } } },
	[EXPECT_OUTCOME] = { { "DIRECTION OUTCOME",
	    "what became of the bytes the writer sent" },
	    SHAPE_DIRECTION, { { .word = NULL, .parse = parse_outcome } } },
	[EXPECT_LOST] = { { "DIRECTION lost OP SIZE|unsent",
	    "how many bytes the writer sent the reader never read" },
	    SHAPE_DIRECTION, { { .word = "lost", .parse = parse_lost } } },
	[EXPECT_KERNEL] = { { "kernel COUNTER OP INTEGER | kernel COUNTER +N",
	    "how a TCP counter (nstat) changed during the case" },
	    SHAPE_WORD, { { .word = "kernel", .parse = parse_kernel } } },
	[EXPECT_SEND_ERRORS] = { {
	    "ROLE.send errors ERRNO... | ROLE.send errors none",
	    "the errors ROLE's send calls ended with, call by call" },
	    SHAPE_ROLE_ATTR, { { .word = "send", .parse = parse_send_errors,
	    .source = { "send errors", { STEP_SEND }, 1 } } } },
	[EXPECT_DURATION] = { {
	    "ROLE.close took OP DUR | ROLE.shutdown took OP DUR",
	    "how long ROLE's close or shutdown call took" },
	    SHAPE_ROLE_ATTR, {
	    [TIMED_CLOSE] = { .word = "close", .parse = parse_close_took,
	    .source = { "close took", { STEP_CLOSE, STEP_LINGERING_CLOSE },
	    2 } },
	    [TIMED_SHUTDOWN] = { .word = "shutdown",
	    .parse = parse_shutdown_took,
	    .source = { "shutdown took", { STEP_SHUTDOWN, STEP_LINGERING_CLOSE },
	    2 } } } },
	[EXPECT_KILLED] = { { "ROLE killed by SIGNAL | ROLE exits normally",
	    "how ROLE's process ended" },
	    SHAPE_ROLE, { { .word = NULL, .parse = parse_fate } } },
	[EXPECT_POLL] = { { "ROLE.poll includes|excludes FLAG...",
	    "what ROLE's last poll step saw, or did not see, in revents" },
	    SHAPE_ROLE_ATTR, { { .word = "poll", .parse = parse_poll_expect,
	    .source = { "poll", { STEP_POLL }, 1 } } } },
	[EXPECT_DISCARDED] = { { "DIRECTION discarded OP SIZE",
	    "bytes unread in the reader's receive queue when it closed" },
	    SHAPE_DIRECTION, { { .word = "discarded", .parse = parse_lost } } },
	[EXPECT_SNAPSHOT] = { { "ROLE.snapshot [NAME] unread|unsent|unacked OP SIZE",
	    "a queue as ROLE's last snapshot step (or the one named) recorded it" },
	    SHAPE_ROLE_ATTR, { { .word = "snapshot",
	    .parse = parse_snapshot_expect,
	    .source = { "snapshot", { STEP_SNAPSHOT }, 1 } } } },
	[EXPECT_CLOSE_RETURNS] = { { "ROLE.close returns 0|ERRNO",
	    "what ROLE's last close call returned" },
	    SHAPE_ROLE_ATTR, { { .word = "close", .next = "returns",
	    .parse = parse_close_returns,
	    .source = { "close returns", { STEP_CLOSE, STEP_LINGERING_CLOSE },
	    2 } } } },
	[EXPECT_ORDER] = { { "fin|rst from END before fin|rst from END",
	    "which of two teardown packets the wire shows first" },
	    SHAPE_WORD, { { .word = "fin", .parse = parse_order } } },
	[EXPECT_LOST_IN_FLIGHT] = { { "DIRECTION lost in flight OP SIZE",
	    "bytes that left the writer's end and never reached the reader's (capture both)" },
	    SHAPE_DIRECTION, { { .word = "lost", .next = "in",
	    .parse = parse_lost_in_flight } } },
	/* "ROLE.recv ends" is EXPECT_RECV_END; any other next word lands here. */
	[EXPECT_RECV_STEP] = { { "ROLE.recv N ends END | ROLE.recv N bytes OP SIZE",
	    "what ROLE's Nth recv step returned: how its read ended, or how many bytes" },
	    SHAPE_ROLE_ATTR, { { .word = "recv", .parse = parse_recv_step,
	    .source = { "recv N", { STEP_RECV }, 1 } } } },
	/* "rst from END within ..." lands here through parse_rst; a "fin
	 * from" head picks this row first, and its parser picks the kind. */
	[EXPECT_WIRE_TIME] = { { "fin|rst from END within DUR of ROLE.close|ROLE.shutdown",
	    "a teardown packet left at most DUR after ROLE's call began" },
	    SHAPE_WORD, { { .word = "fin", .next = "from", .parse = parse_fin_mark } } },
};

_Static_assert(NELEMS(expect_rows) == EXPECT_KIND_COUNT,
    "a row for every enum expect_kind");

/*
 * The row of shape whose head is word (NULL: the row that takes any
 * other word), and the head; -1 when none.  A head whose next word is
 * next wins over one that takes any next word.
 */
static int
find_head(enum expect_shape shape, const char *word, const char *next,
    const struct expect_head **head)
{
	const struct expect_head *h;
	size_t k, j;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < NELEMS(expect_rows); k++) {
			if (expect_rows[k].shape != shape)
				continue;
			for (j = 0; j < NELEMS(expect_rows[k].heads); j++) {
				h = &expect_rows[k].heads[j];
				if (h->parse == NULL)
					continue;
				if (pass == 0 ? h->next == NULL || next == NULL ||
				    strcmp(next, h->next) != 0 : h->next != NULL)
					continue;
				if (word == NULL ? h->word == NULL :
				    h->word != NULL && strcmp(word, h->word) == 0) {
					*head = h;
					return (int)k;
				}
			}
		}
	}
	return -1;
}

/* Parse the rest of the item by the row and head found. */
static int
parse_by_head(struct parser *p, const struct item *it, struct case_expect *e,
    int kind, const struct expect_head *head)
{
	e->kind = (enum expect_kind)kind;
	return head->parse(p, it, e);
}

/* "DIRECTION ...": the second word picks the row. */
static int
parse_direction(struct parser *p, const struct item *it,
    struct case_expect *e, enum role_id writer)
{
	const struct expect_head *head;
	int kind;

	e->writer = writer;
	if (it->n < 2) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "'%s' needs an outcome (clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none), 'lost OP N' or 'discarded OP N'",
		    it->tok[0].s);
		return -1;
	}
	kind = find_head(SHAPE_DIRECTION, it->tok[1].s,
	    it->n > 2 ? it->tok[2].s : NULL, &head);
	if (kind < 0)
		kind = find_head(SHAPE_DIRECTION, NULL, NULL, &head);
	return parse_by_head(p, it, e, kind, head);
}

/* The heads of shape, in the table's order, as suggestions. */
static void
consider_heads(struct suggestion *sg, enum expect_shape shape,
    const char *prefix)
{
	const struct expect_head *h;
	char word[64];
	size_t k, j;

	for (k = 0; k < NELEMS(expect_rows); k++) {
		if (expect_rows[k].shape != shape)
			continue;
		for (j = 0; j < NELEMS(expect_rows[k].heads); j++) {
			h = &expect_rows[k].heads[j];
			if (h->word == NULL)
				continue;
			snprintf(word, sizeof(word), "%s%s", prefix, h->word);
			suggestion_consider(sg, word);
		}
	}
}

/* The nearest OUTCOME, or the word of another DIRECTION form. */
static const char *
outcome_suggestion(struct suggestion *sg, const char *typed)
{
	size_t i;

	suggestion_init(sg, typed);
	for (i = 0; i < NELEMS(outcome_words); i++)
		suggestion_consider(sg, outcome_words[i]);
	consider_heads(sg, SHAPE_DIRECTION, "");
	return suggestion_best(sg);
}

/* The nearest first word of any expectation. */
static const char *
expect_suggestion(struct suggestion *sg, const char *typed)
{
	struct wordset directions;
	char prefix[32];
	size_t i, role;

	suggestion_init(sg, typed);
	consider_heads(sg, SHAPE_WORD, "");
	directions = value_directions();
	for (i = 0; i < directions.n; i++)
		suggestion_consider(sg, words_at(directions, i));
	for (role = 0; role < ROLE_COUNT; role++) {
		snprintf(prefix, sizeof(prefix), "%s.",
		    case_role_name((enum role_id)role));
		consider_heads(sg, SHAPE_ROLE_ATTR, prefix);
	}
	for (role = 0; role < ROLE_COUNT; role++)
		suggestion_consider(sg, case_role_name((enum role_id)role));
	return suggestion_best(sg);
}

int
parse_expect(struct parser *p, const struct item *it)
{
	const struct expect_head *head;
	struct suggestion sg;
	struct case_expect *e;
	const struct token *t;
	const char *rest;
	struct shown sh;
	struct hint h;
	enum role_id role;
	size_t i;
	int kind, writer;

	e = append_expect(p);
	if (e == NULL)
		return -1;
	t = item_token(it, 0);
	e->line = it->line->number;
	e->col = t->col;
	e->text = lexer_item_text(p, it);
	if (e->text == NULL)
		return -1;
	if (parse_section_scope(p, e) == -1)
		return -1;
	for (i = 1; i < it->n; i++) {
		/* "fin|rst from END within DUR of ROLE.close" is a word of its own. */
		bool wire_time = i == 3 && strcmp(it->tok[1].s, "from") == 0 &&
		    (strcmp(t->s, "fin") == 0 || strcmp(t->s, "rst") == 0);

		if (strcmp(it->tok[i].s, "within") == 0 && !wire_time) {
			diag_fail_at(p, it->line, &it->tok[i],
			    "'within' applies to steps, not expectations");
			return -1;
		}
	}

	kind = find_head(SHAPE_WORD, t->s, it->n > 1 ? it->tok[1].s : NULL, &head);
	if (kind >= 0)
		return parse_by_head(p, it, e, kind, head);
	writer = words_find(value_directions(), t->s);
	if (writer >= 0)
		return parse_direction(p, it, e, (enum role_id)writer);
	if (value_split_role(t->s, &role, &rest) == 0) {
		kind = find_head(SHAPE_ROLE_ATTR, rest,
		    it->n > 1 ? it->tok[1].s : NULL, &head);
		if (kind >= 0) {
			e->role = role;
			e->has_role = true;
			return parse_by_head(p, it, e, kind, head);
		}
	}
	if (strcmp(t->s, "client->client") == 0 ||
	    strcmp(t->s, "server->server") == 0) {
		diag_fail_at(p, it->line, t,
		    "a direction goes from one role to the other: 'client->server' or 'server->client'");
		return -1;
	}
	i = (size_t)words_find(symbols_role_words(), t->s);
	kind = find_head(SHAPE_ROLE, NULL, NULL, &head);
	if (i < ROLE_COUNT && kind >= 0) {
		if (i < ROLE_ENDS && it->n > 1 &&
		    strncmp(it->tok[1].s, "->", 2) == 0) {
			diag_fail_at(p, it->line, t,
			    "write a direction without spaces: 'client->server' or 'server->client'");
			return -1;
		}
		e->role = (enum role_id)i;
		e->has_role = true;
		return parse_by_head(p, it, e, kind, head);
	}
	diag_fail(p, it->line->number, t->col, "unknown expectation '%s'%s",
	    diag_show(&sh, t->s),
	    diag_hint(&h, "", expect_suggestion(&sg, t->s)));
	return -1;
}

bool
parse_expect_is_head(const char *word)
{
	const struct expect_head *head;
	enum role_id role;
	const char *rest;

	if (find_head(SHAPE_WORD, word, NULL, &head) >= 0 ||
	    words_find(value_directions(), word) >= 0)
		return true;
	return value_split_role(word, &role, &rest) == 0 &&
	    find_head(SHAPE_ROLE_ATTR, rest, NULL, &head) >= 0;
}

const struct expect_source *
parse_expect_source(const struct case_expect *e)
{
	const struct expect_row *row;
	const struct expect_head *head;

	static const struct expect_source wire_time_sources[] = {
		[TIMED_CLOSE] = { "close", { STEP_CLOSE, STEP_LINGERING_CLOSE }, 2 },
		[TIMED_SHUTDOWN] = { "shutdown", { STEP_SHUTDOWN, STEP_LINGERING_CLOSE }, 2 },
	};

	if (e->kind == EXPECT_WIRE_TIME)
		return &wire_time_sources[e->u.wire_time.call];
	row = &expect_rows[e->kind];
	if (row->shape != SHAPE_ROLE_ATTR)
		return NULL;
	head = &row->heads[e->kind == EXPECT_DURATION ?
	    (size_t)e->u.duration.call : 0];
	return head->source.nsteps > 0 ? &head->source : NULL;
}

const struct expect_word *
case_expect_word(enum expect_kind kind)
{
	if ((unsigned)kind >= NELEMS(expect_rows))
		return NULL;
	return &expect_rows[kind].w;
}

int
parse_expect_check_tables(char *buf, size_t size)
{
	const struct expect_row *row;
	const struct expect_head *h;
	bool complete;
	size_t k, j;

	for (k = 0; k < NELEMS(expect_rows); k++) {
		row = &expect_rows[k];
		/* Every head used has a parser; a role's names its source. */
		complete = row->heads[0].parse != NULL;
		for (j = 0; j < NELEMS(row->heads); j++) {
			h = &row->heads[j];
			if (h->word != NULL && h->parse == NULL)
				complete = false;
			if ((row->shape == SHAPE_WORD ||
			    row->shape == SHAPE_ROLE_ATTR) &&
			    h->parse != NULL && h->word == NULL)
				complete = false;
			if (row->shape == SHAPE_ROLE_ATTR && h->parse != NULL &&
			    h->source.what == NULL)
				complete = false;
		}
		if (words_gap(buf, size, "expectation", k, row->w.form,
		    complete, row->w.help) == -1)
			return -1;
	}
	return 0;
}
const char *
case_outcome_name(enum direction_outcome o)
{
	if ((unsigned)o < NELEMS(outcome_words))
		return outcome_words[o];
	return "unknown-outcome";
}

const char *
case_teardown_expect_name(enum teardown_expect_class c)
{
	if ((unsigned)c < NELEMS(teardown_words))
		return teardown_words[c];
	return "unknown-teardown";
}
