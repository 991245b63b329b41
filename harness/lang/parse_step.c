/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * parse_step.c - the steps of the role sections.
 *
 * Steps (items of the four role sections).  Any step may end with
 * "within DUR" (DUR above 0): its timeout; otherwise the case deadline.
 *   connect                       client only
 *   accept                        server only
 *   send SIZE { nonblocking | dontwait | more | nosignal | chunk SIZE
 *             | retry }           SIZE above 0; chunk: 1 to 1MiB a call;
 *                                 retry needs nonblocking (or dontwait)
 *   send fill { more | nonblocking | dontwait | nosignal }  implies
 *                                 dontwait
 *   recv SIZE | all [ peek ] [ rate SIZE/DUR ]
 *                                 SIZE above 0; rate (a slow reader:
 *                                 "rate 64KiB/10ms", both above 0) and
 *                                 peek exclude each other
 *   shutdown wr | rd | rdwr
 *   close
 *   set rcvbuf SIZE | set sndbuf SIZE       SIZE at most INT_MAX;
 *                                           value = bytes, on = false
 *   set nodelay | cork | nonblock on | off  value = 1 for on, 0 for off
 *   set linger off                          on = false, value = 0
 *   set linger DUR                          whole seconds (0s, 5s) up to
 *                                           INT_MAX; on = true, value = s
 *   set sigpipe default | ignore            on = true for default,
 *                                           value = 1 for on, 0 for off
 *   wait ROLE.EVENT               ROLE is any role but the waiting one
 *                                 ("server.child.closed": ROLE is
 *                                 server.child); EVENT is all after the
 *                                 last "."
 *   await unread | unsent | unacked | inflight [ OP ] SIZE
 *   await error
 *                                 OP defaults to ">=" for unread, "<="
 *                                 for unsent, unacked and inflight
 *   raise EVENT                   EVENT = [a-z0-9][a-z0-9_-]*, not one
 *                                 of the implicit names below, once per
 *                                 role
 *   pause DUR
 *   so_error [ NAME ] | snapshot [ NAME ]
 *                                 NAME = [a-z][a-z0-9_-]*, once per role
 *                                 and kind; a snapshot's is not unread,
 *                                 unsent or unacked
 *   fork                          client and server only, once
 *   dup                           one more descriptor of the socket
 *   exit                          end the process; the role's last step
 *   poll
 *   drain [ SIZE ]                SIZE above 0; limit = SIZE or 0
 *   lingering-close DUR [ SIZE ]  DUR and SIZE above 0; ms = DUR,
 *                                 limit = SIZE or 0; closes one
 *                                 descriptor, as close does
 * Options of send and recv may come in any order, each once.
 *
 * Events.  connect raises "connected", accept "accepted", send "sent",
 * recv "received", shutdown "shutdown", close "closed", lingering-close
 * "shutdown" when its shutdown returns and "closed" at its end, fork
 * "forked", dup "duped", drain "drained", raise its EVENT;
 * every role raises "done" after its last step.  An event, once raised,
 * stays raised.
 *
 * THE TABLES.  step_rows holds a row per enum step_kind: the word, the
 * event it raises, its enum step_flag (what check.c needs to follow the
 * role's descriptors), its help and its parser.  The options of a step
 * have tables of their own: send_options (word, flag, help),
 * recv_options, set_options (enum socket_option), shutdown_words (enum
 * shutdown_how) and metric_words (enum socket_metric).  The "did you
 * mean" lists and most "expected ..." lists are made from them.
 *
 * A new step: its enum step_kind value and union member (case.h), its
 * parser and its row here, its action in harness/run/role.c.  A new send
 * option: its enum send_flag (case.h) and a row of send_options.
 *
 * Checks of the order of the steps (what needs the socket, what a child
 * may do) are in check.c.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"
#include "units.h"

#define LIST_MAX 256	/* a list of words in a message */

/*
 * The options of a send step, in any order, each once.  Options with the
 * same flag are synonyms: one of them, once.
 */
struct send_option {
	const char *word;
	unsigned flag;		/* enum send_flag */
	const char *help;
	bool sized;		/* a SIZE follows: "chunk 64KiB" */
};

static const struct send_option send_options[] = {
	{ "nonblocking", SEND_DONTWAIT,
	  "MSG_DONTWAIT: queue what fits, stop at EAGAIN", false },
	{ "dontwait", SEND_DONTWAIT, "the same as nonblocking", false },
	{ "more", SEND_MORE, "MSG_MORE: more follows, hold a partial segment",
	  false },
	{ "nosignal", SEND_NOSIGNAL,
	  "MSG_NOSIGNAL even after 'set sigpipe default'", false },
	{ "chunk", SEND_CHUNK,
	  "chunk SIZE: at most SIZE per send() call (default 256KiB)", true },
	{ "retry", SEND_RETRY,
	  "with nonblocking: after EAGAIN, wait for POLLOUT and send the rest",
	  false },
};

struct shutdown_word {
	const char *word;
	const char *help;
};

static const struct shutdown_word shutdown_words[] = {
	[SHUTDOWN_RD] = { "rd", "SHUT_RD: no more reads" },
	[SHUTDOWN_WR] = { "wr", "SHUT_WR: no more writes, FIN after them" },
	[SHUTDOWN_RDWR] = { "rdwr", "SHUT_RDWR: both" },
};

_Static_assert(NELEMS(shutdown_words) == SHUTDOWN_RDWR + 1,
    "a word for every enum shutdown_how");

/* The queues an await step watches, and its comparison unless told. */
struct metric_word {
	const char *word;
	enum compare_op op;
	const char *help;
};

static const struct metric_word metric_words[] = {
	[METRIC_UNREAD] = { "unread", COMPARE_GE,
	    "SIOCINQ: received, not yet read" },
	[METRIC_UNSENT] = { "unsent", COMPARE_LE,
	    "SIOCOUTQNSD: queued, not yet sent" },
	[METRIC_UNACKED] = { "unacked", COMPARE_LE,
	    "SIOCOUTQ: queued, not yet acknowledged" },
	[METRIC_INFLIGHT] = { "inflight", COMPARE_LE,
	    "SIOCOUTQ - SIOCOUTQNSD: sent, not yet acknowledged" },
};

_Static_assert(NELEMS(metric_words) == METRIC_INFLIGHT + 1,
    "a word for every enum socket_metric");

static bool is_implicit_event(const char *name);

/* A new step of role: each has a record in the role's ledger, hence a bound. */
static struct case_step *
append_step(struct parser *p, enum role_id role, const struct item *it)
{
	struct case_role *r;
	struct case_step *step, *steps;

	r = &p->cf->roles[role];
	if (r->nsteps >= CASE_ROLE_STEPS_MAX) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "%s has more than %d steps", case_role_name(role),
		    CASE_ROLE_STEPS_MAX);
		return NULL;
	}
	steps = case_grow_array(r->steps, &p->steps_cap[role], r->nsteps,
	    sizeof(*r->steps));
	if (steps == NULL) {
		diag_oom(p);
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
		diag_fail_at(p, ln, &it->tok[i],
		    "'within' needs a duration (e.g. 'within 2s')");
		return -1;
	}
	if (i + 2 < it->n) {
		diag_fail(p, ln->number, it->tok[i + 2].col,
		    "unexpected '%s' after 'within %s': 'within' ends a step",
		    diag_show(&extra, it->tok[i + 2].s),
		    diag_show(&dur, it->tok[i + 1].s));
		return -1;
	}
	if (value_positive_duration(p, ln, &it->tok[i + 1], "'within'", "",
	    timeout_ms) == -1)
		return -1;
	it->n = i;
	return 0;
}

/* "A and B": the send options with flag (just "A" when it has one). */
static const char *
send_synonyms(char *buf, size_t size, unsigned flag)
{
	const char *words[NELEMS(send_options)];
	struct wordset ws;
	size_t i;

	ws.rows = words;
	ws.n = 0;
	ws.stride = sizeof(words[0]);
	for (i = 0; i < NELEMS(send_options); i++)
		if (send_options[i].flag == flag)
			words[ws.n++] = send_options[i].word;
	return words_list(buf, size, ws, false, "and");
}
/* "chunk SIZE": token *i is "chunk"; *i moves to SIZE. */
static int
parse_chunk(struct parser *p, const struct item *it, size_t *i,
    struct step_send *send)
{
	const struct token *t;
	struct shown sh;

	if (*i + 1 >= it->n) {
		diag_fail_at(p, it->line, item_token(it, *i),
		    "chunk needs a size (e.g. 'chunk 64KiB')");
		return -1;
	}
	t = item_token(it, ++*i);
	if (value_positive_size(p, it->line, t, "chunk", "", &send->chunk) ==
	    -1)
		return -1;
	/* The role's buffer holds one call's bytes. */
	if (send->chunk > CASE_SEND_CHUNK_MAX) {
		diag_fail(p, it->line->number, t->col,
		    "chunk '%s' is too large (at most 1MiB)", diag_show(&sh, t->s));
		return -1;
	}
	return 0;
}

/*
 * A step option's row in its table, or -1 after "unknown STEP option
 * 'x' (did you mean ...) (expected ...)", the known words from the table.
 */
static int
find_option(struct parser *p, const struct line *ln, const struct token *t,
    const char *step, struct wordset options)
{
	char list[LIST_MAX];
	struct shown sh;
	struct hint h;
	int o = words_find(options, t->s);

	if (o < 0)
		diag_fail(p, ln->number, t->col, "unknown %s option '%s'%s (expected %s)", step,
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, options),
		    words_list(list, sizeof(list), options, true, "or"));
	return o;
}

static int
parse_send(struct parser *p, const struct item *it, struct case_step *step)
{
	static const char *const modes[] = { "fill" };
	const struct send_option *opt;
	const char *given[NELEMS(send_options)];
	struct step_send *send;
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	size_t i, j;
	int o;

	send = &step->u.send;
	ln = it->line;
	if (it->n < 2) {
		diag_fail_at(p, ln, &it->tok[0],
		    "send needs a size or 'fill' (e.g. 'send 4MiB')");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "fill") == 0) {
		send->fill = true;
		send->flags |= SEND_DONTWAIT;
	} else if (is_digit(t->s[0])) {
		if (value_positive_size(p, ln, t, "send", "", &send->bytes) ==
		    -1)
			return -1;
	} else {
		diag_fail(p, ln->number, t->col,
		    "send needs a size or 'fill', not '%s'%s",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(modes)));
		return -1;
	}

	/* given[o]: the word that gave option o ("fill" gives none). */
	memset(given, 0, sizeof(given));
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		o = find_option(p, ln, t, "send", WORDS(send_options));
		if (o < 0)
			return -1;
		opt = &send_options[o];
		for (j = 0; j < NELEMS(send_options); j++) {
			if (given[j] == NULL ||
			    send_options[j].flag != opt->flag)
				continue;
			if (strcmp(send_synonyms(list, sizeof(list), opt->flag),
			    opt->word) == 0)
				diag_fail(p, ln->number, t->col,
				    "'%s' is given twice", t->s);
			else
				diag_fail(p, ln->number, t->col,
				    "'%s' repeats '%s' (%s are the same)",
				    t->s, given[j], list);
			return -1;
		}
		given[o] = t->s;
		send->flags |= opt->flag;
		if (opt->sized && parse_chunk(p, it, &i, send) == -1)
			return -1;
	}
	/*
	 * retry is the non-blocking writer's loop: it means something only
	 * where EAGAIN would end the step, and "fill" stops at the first
	 * EAGAIN by definition (the buffers are full), so it would never end.
	 */
	if ((send->flags & SEND_RETRY) != 0) {
		t = item_token(it, 0);
		for (i = 2; i < it->n; i++)
			if (strcmp(it->tok[i].s, "retry") == 0)
				t = item_token(it, i);
		if (send->fill) {
			diag_fail(p, ln->number, t->col,
			    "'retry' cannot go with 'send fill' (fill stops at the first EAGAIN)");
			return -1;
		}
		if ((send->flags & SEND_DONTWAIT) == 0) {
			diag_fail(p, ln->number, t->col,
			    "'retry' needs 'nonblocking' (e.g. 'send 4MiB nonblocking retry')");
			return -1;
		}
	}
	return 0;
}

/* "rate SIZE/DUR" of a recv step; t is the SIZE/DUR token. */
static int
parse_rate(struct parser *p, const struct line *ln, struct token *t,
    struct step_recv *recv)
{
	struct token part;
	struct shown sh;
	char *slash;
	int rc;

	slash = strchr(t->s, '/');
	if (slash == NULL || slash == t->s || slash[1] == '\0') {
		diag_fail(p, ln->number, t->col,
		    "rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms'), not '%s'",
		    diag_show(&sh, t->s));
		return -1;
	}
	/* Each half as a token of its own, for the messages' columns. */
	*slash = '\0';
	part = *t;
	part.len = (size_t)(slash - t->s);
	rc = value_positive_size(p, ln, &part, "rate", "", &recv->rate_bytes);
	if (rc == 0) {
		part.s = slash + 1;
		part.len = t->len - part.len - 1;
		part.off = t->off + (size_t)(part.s - t->s);
		part.col = t->col + (unsigned)(part.s - t->s);
		rc = value_positive_duration(p, ln, &part, "rate", "",
		    &recv->rate_ms);
	}
	*slash = '/';
	return rc;
}

/* "peek": token i of the item. */
static int
recv_peek(struct parser *p, const struct item *it, size_t *i,
    struct step_recv *recv)
{
	(void)p;
	(void)it;
	(void)i;
	recv->peek = true;
	return 0;
}

/* "rate SIZE/DUR": token *i is "rate"; *i moves to SIZE/DUR. */
static int
recv_rate(struct parser *p, const struct item *it, size_t *i,
    struct step_recv *recv)
{
	if (*i + 1 >= it->n) {
		diag_fail_at(p, it->line, item_token(it, *i),
		    "rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms')");
		return -1;
	}
	return parse_rate(p, it->line, item_token(it, ++*i), recv);
}

/* The options of a recv step, in any order, each once. */
enum recv_option_id {
	RECV_OPTION_PEEK,
	RECV_OPTION_RATE
};

struct recv_option {
	const char *word;
	int (*parse)(struct parser *p, const struct item *it, size_t *i,
	    struct step_recv *recv);
	const char *help;
};

static const struct recv_option recv_options[] = {
	[RECV_OPTION_PEEK] = { "peek", recv_peek,
	    "MSG_PEEK: look without consuming" },
	[RECV_OPTION_RATE] = { "rate", recv_rate,
	    "rate SIZE/DUR: a slow reader, SIZE at a time, DUR apart" },
};

static int
parse_recv(struct parser *p, const struct item *it, struct case_step *step)
{
	static const char *const modes[] = { "all" };
	bool given[NELEMS(recv_options)];
	struct step_recv *recv;
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;
	int o;

	recv = &step->u.recv;
	ln = it->line;
	if (it->n < 2) {
		diag_fail_at(p, ln, &it->tok[0],
		    "recv needs a size or 'all' (e.g. 'recv 100', 'recv all')");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "all") == 0) {
		recv->mode = RECV_ALL;
	} else if (is_digit(t->s[0])) {
		recv->mode = RECV_COUNT;
		if (value_positive_size(p, ln, t, "recv", "", &recv->bytes) ==
		    -1)
			return -1;
	} else {
		diag_fail(p, ln->number, t->col,
		    "recv needs a size or 'all', not '%s'%s",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(modes)));
		return -1;
	}
	memset(given, 0, sizeof(given));
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		o = find_option(p, ln, t, "recv", WORDS(recv_options));
		if (o < 0)
			return -1;
		if (given[o]) {
			diag_fail(p, ln->number, t->col, "'%s' is given twice",
			    t->s);
			return -1;
		}
		given[o] = true;
		if (recv_options[o].parse(p, it, &i, recv) == -1)
			return -1;
		if (given[RECV_OPTION_PEEK] && given[RECV_OPTION_RATE]) {
			/* A slow reader consumes; a peek does not. */
			diag_fail(p, ln->number, t->col,
			    "'rate' and 'peek' exclude each other");
			return -1;
		}
	}
	return 0;
}
/*
 * The optional size limit that ends "drain [SIZE]" and "lingering-close
 * DUR [SIZE]", at token i: 0 (no limit) when the step ends before it.
 * usage tells, in the message for a word that is not a size, where the
 * size goes.
 */
static int
parse_optional_limit(struct parser *p, const struct item *it, size_t i,
    const char *step_word, const char *usage, uint64_t *limit)
{
	const struct token *t;
	struct shown sh;

	*limit = 0;
	if (it->n <= i)
		return 0;
	t = item_token(it, i);
	if (!is_digit(t->s[0])) {
		diag_fail(p, it->line->number, t->col,
		    "%s takes a size limit %s, not '%s'", step_word, usage,
		    diag_show(&sh, t->s));
		return -1;
	}
	if (value_positive_size(p, it->line, t, step_word,
	    " (or none: no limit)", limit) == -1)
		return -1;
	return diag_no_more(p, it, i + 1);
}

/* "drain [SIZE]" */
static int
parse_drain(struct parser *p, const struct item *it, struct case_step *step)
{
	return parse_optional_limit(p, it, 1, "drain",
	    "(e.g. 'drain 1MiB') or nothing", &step->u.drain.limit);
}

/* "lingering-close DUR [SIZE]" */
static int
parse_lingering_close(struct parser *p, const struct item *it,
    struct case_step *step)
{
	struct step_lingering_close *lc;

	lc = &step->u.lingering;
	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "lingering-close needs a duration (e.g. 'lingering-close 2s', 'lingering-close 2s 1MiB')");
		return -1;
	}
	if (value_positive_duration(p, it->line, item_token(it, 1),
	    "lingering-close", "", &lc->ms) == -1)
		return -1;
	return parse_optional_limit(p, it, 2, "lingering-close",
	    "after the duration (e.g. '1MiB')", &lc->limit);
}

static int
parse_shutdown(struct parser *p, const struct item *it,
    struct case_step *step)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

	/* The messages put wr first: it is the one a case wants. */
	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "shutdown needs 'wr', 'rd' or 'rdwr' (e.g. 'shutdown wr')");
		return -1;
	}
	t = item_token(it, 1);
	i = words_find(WORDS(shutdown_words), t->s);
	if (i < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown shutdown direction '%s'%s (expected 'wr', 'rd' or 'rdwr')",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(shutdown_words)));
		return -1;
	}
	step->u.shutdown = (enum shutdown_how)i;
	return diag_no_more(p, it, 2);
}
/* The options of a set step, by enum socket_option. */
struct set_option {
	const char *word;
	int (*parse)(struct parser *p, const struct item *it,
	    struct step_set *set);
	const char *switch_words[2];	/* parse_switch: on, then off */
	bool process;		/* about the process, not the socket */
	const char *help;
};

static const struct set_option *set_option(enum socket_option option);

/*
 * An option that is on or off: "set nodelay on", "set sigpipe ignore";
 * the option's row has the two words.
 */
static int
parse_switch(struct parser *p, const struct item *it, struct step_set *set)
{
	const char *option, *const *words;
	const struct token *t;
	struct wordset ws;
	struct shown sh;
	struct hint h;
	int i;

	option = it->tok[1].s;
	words = set_option(set->option)->switch_words;
	ws.rows = words;
	ws.n = 2;
	ws.stride = sizeof(words[0]);
	if (it->n < 3) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "set %s needs '%s' or '%s' (e.g. 'set %s %s')", option,
		    words[0], words[1], option, words[0]);
		return -1;
	}
	t = item_token(it, 2);
	i = words_find(ws, t->s);
	if (i < 0) {
		diag_fail(p, it->line->number, t->col,
		    "set %s needs '%s' or '%s', not '%s'%s", option, words[0],
		    words[1], diag_show(&sh, t->s), diag_suggest(&h, t->s, ws));
		return -1;
	}
	set->on = i == 0;
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
		diag_fail(p, it->line->number, it->tok[0].col,
		    "set %s needs a size (e.g. 'set %s 64KiB')", option, option);
		return -1;
	}
	t = item_token(it, 2);
	if (!is_digit(t->s[0])) {
		diag_fail(p, it->line->number, t->col,
		    "set %s needs a size (e.g. 'set %s 64KiB'), not '%s'",
		    option, option, diag_show(&sh, t->s));
		return -1;
	}
	if (value_size(p, it->line, t, &set->value) == -1)
		return -1;
	/* setsockopt takes an int. */
	if (set->value > INT_MAX) {
		diag_fail(p, it->line->number, t->col,
		    "%s '%s' is too large (at most %s bytes)", option,
		    diag_show(&sh, t->s), units_format_count(INT_MAX, max,
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
		diag_fail_at(p, it->line, &it->tok[0],
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
		diag_fail(p, it->line->number, t->col,
		    "set linger needs 'off' or whole seconds (e.g. 'set linger 0s'), not '%s'%s",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(words)));
		return -1;
	}
	if (value_duration(p, it->line, t, &ms) == -1)
		return -1;
	if (ms % 1000 != 0) {
		diag_fail(p, it->line->number, t->col,
		    "linger takes whole seconds (e.g. '0s', '5s'), not '%s'",
		    diag_show(&sh, t->s));
		return -1;
	}
	/* struct linger holds an int: a day of seconds fits (values.c). */
	set->on = true;
	set->value = ms / 1000;
	return 0;
}

static const struct set_option set_options[] = {
	[OPTION_RCVBUF] = { "rcvbuf", parse_buffer_size, { NULL, NULL },
	    false, "set rcvbuf SIZE: SO_RCVBUF" },
	[OPTION_SNDBUF] = { "sndbuf", parse_buffer_size, { NULL, NULL },
	    false, "set sndbuf SIZE: SO_SNDBUF" },
	[OPTION_NODELAY] = { "nodelay", parse_switch, { "on", "off" },
	    false, "set nodelay on|off: TCP_NODELAY" },
	[OPTION_CORK] = { "cork", parse_switch, { "on", "off" },
	    false, "set cork on|off: TCP_CORK" },
	[OPTION_LINGER] = { "linger", parse_linger, { NULL, NULL },
	    false, "set linger off|SECONDS: SO_LINGER" },
	[OPTION_NONBLOCK] = { "nonblock", parse_switch, { "on", "off" },
	    false, "set nonblock on|off: O_NONBLOCK on the descriptor" },
	[OPTION_SIGPIPE] = { "sigpipe", parse_switch, { "default", "ignore" },
	    true, "set sigpipe default|ignore: does SIGPIPE kill the role" },
};

_Static_assert(NELEMS(set_options) == OPTION_SIGPIPE + 1,
    "a row for every enum socket_option");

static const struct set_option *
set_option(enum socket_option option)
{
	return &set_options[option];
}

static int
parse_set(struct parser *p, const struct item *it, struct case_step *step)
{
	const struct token *t;
	struct step_set *set;
	struct shown sh;
	struct hint h;
	int option;

	/* The messages list the options as the README does. */
	set = &step->u.set;
	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "set needs an option: rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe (e.g. 'set nodelay on')");
		return -1;
	}
	t = item_token(it, 1);
	option = words_find(WORDS(set_options), t->s);
	if (option < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown option '%s'%s (expected rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(set_options)));
		return -1;
	}
	set->option = (enum socket_option)option;
	if (set_options[option].parse(p, it, set) == -1)
		return -1;
	return diag_no_more(p, it, 3);
}
static int
parse_wait(struct parser *p, const struct item *it, struct case_step *step)
{
	struct step_wait *wait;
	const struct line *ln;
	struct token *t;
	struct shown sh, whole;
	struct hint h;
	char *dot;
	int r;

	wait = &step->u.wait;
	ln = it->line;
	if (it->n < 2) {
		diag_fail_at(p, ln, &it->tok[0],
		    "wait needs ROLE.EVENT (e.g. 'wait server.closed')");
		return -1;
	}
	t = item_token(it, 1);
	/* Event names hold no '.': the role is all before the last one. */
	dot = strrchr(t->s, '.');
	if (dot == NULL || dot == t->s || dot[1] == '\0') {
		diag_fail(p, ln->number, t->col,
		    "wait needs ROLE.EVENT (e.g. 'wait server.closed'), not '%s'",
		    diag_show(&sh, t->s));
		return -1;
	}
	diag_show(&whole, t->s);
	/* Split the token for a moment to look at the role part. */
	*dot = '\0';
	r = words_find(symbols_role_words(), t->s);
	if (r < 0) {
		diag_show(&sh, t->s);
		diag_suggest(&h, t->s, symbols_role_words());
		*dot = '.';
		diag_fail(p, ln->number, t->col,
		    "unknown role '%s' in '%s'%s (expected 'client', 'server', 'client.child' or 'server.child')",
		    sh.text, whole.text, h.text);
		return -1;
	}
	*dot = '.';
	if ((enum role_id)r == section_role(p->section)) {
		diag_fail_at(p, ln, t, "a role cannot wait for its own event");
		return -1;
	}
	wait->role = (enum role_id)r;
	wait->event = case_dup_bytes(p, dot + 1, strlen(dot + 1));
	if (wait->event == NULL)
		return -1;
	return diag_no_more(p, it, 2);
}

static int
parse_await(struct parser *p, const struct item *it, struct case_step *step)
{
	struct step_await *aw;
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	size_t i;
	int metric;

	aw = &step->u.await;
	ln = it->line;
	words_list(list, sizeof(list), WORDS(metric_words), false, "or");
	if (it->n < 2) {
		diag_fail(p, ln->number, it->tok[0].col,
		    "await needs %s and a size (e.g. 'await unread 100')", list);
		return -1;
	}
	t = item_token(it, 1);
	/* Not a queue: the error an RST leaves, which SO_ERROR would consume. */
	if (strcmp(t->s, "error") == 0) {
		aw->error = true;
		return diag_no_more(p, it, 2);
	}
	metric = words_find(WORDS(metric_words), t->s);
	if (metric < 0) {
		diag_fail(p, ln->number, t->col,
		    "unknown queue '%s'%s (expected %s, or 'error')", diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(metric_words)), list);
		return -1;
	}
	aw->metric = (enum socket_metric)metric;
	aw->op = metric_words[metric].op;
	i = 2;
	if (i < it->n && symbols_compare_op(it->tok[i].s, &aw->op) == 0)
		i++;
	if (i >= it->n) {
		diag_fail(p, ln->number, it->tok[i - 1].col,
		    "await %s needs a size (e.g. 'await %s %s 100')",
		    t->s, t->s, case_compare_op_name(aw->op));
		return -1;
	}
	t = item_token(it, i);
	if (!is_digit(t->s[0])) {
		if (value_looks_like_compare(t->s))
			diag_fail(p, ln->number, t->col,
			    "unknown comparison '%s' (expected =, ==, !=, <, <=, > or >=, apart from the number)",
			    diag_show(&sh, t->s));
		else
			diag_fail(p, ln->number, t->col,
			    "await needs a size, not '%s'", diag_show(&sh, t->s));
		return -1;
	}
	if (value_size(p, ln, t, &aw->value) == -1)
		return -1;
	return diag_no_more(p, it, i + 1);
}

static int
parse_raise(struct parser *p, const struct item *it, struct case_step *step)
{
	const struct token *t;
	struct shown sh;

	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "raise needs an event name (e.g. 'raise ready')");
		return -1;
	}
	t = item_token(it, 1);
	if (!value_is_event_name(t->s)) {
		diag_fail(p, it->line->number, t->col,
		    "event name '%s' must be lower-case letters, digits, '-' and '_'",
		    diag_show(&sh, t->s));
		return -1;
	}
	if (is_implicit_event(t->s)) {
		diag_fail(p, it->line->number, t->col,
		    "'%s' is an event the harness raises itself: choose another name",
		    t->s);
		return -1;
	}
	step->u.raise.event = case_dup_bytes(p, t->s, t->len);
	if (step->u.raise.event == NULL)
		return -1;
	return diag_no_more(p, it, 2);
}

static int
parse_pause(struct parser *p, const struct item *it, struct case_step *step)
{
	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "pause needs a duration (e.g. 'pause 250ms')");
		return -1;
	}
	if (value_duration(p, it->line, &it->tok[1], &step->u.pause.ms) == -1)
		return -1;
	return diag_no_more(p, it, 2);
}

/*
 * "snapshot [NAME]", "so_error [NAME]": a name the expectations may use
 * ("client.snapshot queued unread > 0"), once per role and kind.  It
 * starts with a lower-case letter and goes on as an event name; a
 * snapshot's is no queue's word, so that the expectation reads one way.
 */
static int
parse_label(struct parser *p, const struct item *it, struct case_step *step)
{
	const struct case_role *r;
	const struct token *t;
	struct shown sh;
	enum role_id role;
	size_t i;

	step->u.label.name = NULL;
	if (it->n < 2)
		return 0;
	t = item_token(it, 1);
	if (!(t->s[0] >= 'a' && t->s[0] <= 'z') || !value_is_event_name(t->s)) {
		diag_fail(p, it->line->number, t->col,
		    "%s takes a name (a lower-case letter, then letters, digits, '-' and '_'), not '%s'",
		    it->tok[0].s, diag_show(&sh, t->s));
		return -1;
	}
	if (step->kind == STEP_SNAPSHOT &&
	    words_find(WORDS(metric_words), t->s) >= 0) {
		diag_fail(p, it->line->number, t->col,
		    "'%s' is a queue's name: choose another for the snapshot",
		    t->s);
		return -1;
	}
	role = section_role(p->section);
	r = &p->cf->roles[role];
	/* The step itself is the last of the role's steps. */
	for (i = 0; i + 1 < r->nsteps; i++)
		if (r->steps[i].kind == step->kind &&
		    r->steps[i].u.label.name != NULL &&
		    strcmp(r->steps[i].u.label.name, t->s) == 0) {
			diag_fail(p, it->line->number, t->col,
			    "%s names a %s '%s' twice (first at line %u)",
			    case_role_name(role), it->tok[0].s, t->s,
			    r->steps[i].line);
			return -1;
		}
	step->u.label.name = case_dup_bytes(p, t->s, t->len);
	if (step->u.label.name == NULL)
		return -1;
	return diag_no_more(p, it, 2);
}

/* A step of one word: "close", "fork". */
static int
parse_bare(struct parser *p, const struct item *it, struct case_step *step)
{
	(void)step;
	return diag_no_more(p, it, 1);
}

/* The steps, by enum step_kind. */
struct step_row {
	struct step_word w;	/* what case_step_word() gives */
	int (*parse)(struct parser *p, const struct item *it,
	    struct case_step *step);
};

static const struct step_row step_rows[] = {
	[STEP_CONNECT] = { { "connect", "connected", NULL,
	    STEP_OPENS | STEP_CLIENT_ONLY,
	    "connect: connect to the server's listener" }, parse_bare },
	[STEP_ACCEPT] = { { "accept", "accepted", NULL,
	    STEP_OPENS | STEP_SERVER_ONLY,
	    "accept: accept the client's connection" }, parse_bare },
	[STEP_SEND] = { { "send", "sent", NULL, STEP_NEEDS_CONNECTION,
	    "send SIZE|fill [OPTION...]: write pattern bytes" }, parse_send },
	[STEP_RECV] = { { "recv", "received", NULL, STEP_NEEDS_CONNECTION,
	    "recv SIZE|all [peek] [rate SIZE/DUR]: read, check pattern bytes" },
	    parse_recv },
	[STEP_SHUTDOWN] = { { "shutdown", "shutdown", NULL,
	    STEP_NEEDS_CONNECTION, "shutdown wr|rd|rdwr: shutdown(2)" },
	    parse_shutdown },
	[STEP_CLOSE] = { { "close", "closed", NULL,
	    STEP_NEEDS_CONNECTION | STEP_CLOSES,
	    "close: close(2) one descriptor, timed" }, parse_bare },
	[STEP_SET] = { { "set", NULL, NULL, STEP_NEEDS_SOCKET,
	    "set OPTION VALUE: a socket option or descriptor flag" },
	    parse_set },
	[STEP_WAIT] = { { "wait", NULL, NULL, 0,
	    "wait ROLE.EVENT: until another role raises EVENT" }, parse_wait },
	[STEP_AWAIT] = { { "await", NULL, NULL, STEP_NEEDS_CONNECTION,
	    "await unread|unsent|unacked|inflight [OP] SIZE | await error: until a queue holds SIZE, or the socket has an error" },
	    parse_await },
	[STEP_RAISE] = { { "raise", NULL, NULL, STEP_RAISES_NAMED,
	    "raise EVENT: raise an event of one's own" }, parse_raise },
	[STEP_PAUSE] = { { "pause", NULL, NULL, 0,
	    "pause DUR: sleep (never needed for a verdict)" }, parse_pause },
	[STEP_SO_ERROR] = { { "so_error", NULL, NULL, STEP_NEEDS_CONNECTION,
	    "so_error [NAME]: getsockopt(SO_ERROR), recorded (and cleared)" },
	    parse_label },
	[STEP_SNAPSHOT] = { { "snapshot", NULL, NULL, STEP_NEEDS_CONNECTION,
	    "snapshot [NAME]: record SIOCINQ, SIOCOUTQ and SIOCOUTQNSD" },
	    parse_label },
	[STEP_FORK] = { { "fork", "forked", NULL,
	    STEP_NEEDS_CONNECTION | STEP_FORKS,
	    "fork: the child runs the ROLE.child section" }, parse_bare },
	[STEP_DUP] = { { "dup", "duped", NULL, STEP_NEEDS_CONNECTION | STEP_DUPS,
	    "dup: one more descriptor of the socket" }, parse_bare },
	[STEP_EXIT] = { { "exit", NULL, NULL, STEP_ENDS,
	    "exit: end the process now (its descriptors close with it)" },
	    parse_bare },
	[STEP_POLL] = { { "poll", NULL, NULL, STEP_NEEDS_CONNECTION,
	    "poll: poll() without waiting; revents recorded" }, parse_bare },
	[STEP_DRAIN] = { { "drain", "drained", NULL, STEP_NEEDS_CONNECTION,
	    "drain [SIZE]: read and discard until EOF, at most SIZE" },
	    parse_drain },
	[STEP_LINGERING_CLOSE] = { { "lingering-close", "closed", "shutdown",
	    STEP_NEEDS_CONNECTION | STEP_CLOSES,
	    "lingering-close DUR [SIZE]: shutdown wr, discard reads, close one" },
	    parse_lingering_close },
};

_Static_assert(NELEMS(step_rows) == STEP_KIND_COUNT,
    "a row for every enum step_kind");

/* Names the harness raises itself: a raise may not reuse them. */
static bool
is_implicit_event(const char *name)
{
	size_t i;

	if (strcmp(name, EVENT_DONE) == 0)
		return true;
	for (i = 0; i < NELEMS(step_rows); i++)
		if (step_rows[i].w.event != NULL &&
		    strcmp(name, step_rows[i].w.event) == 0)
			return true;
	return false;
}

int
parse_step(struct parser *p, enum role_id role, struct item *it)
{
	const struct step_row *row;
	struct case_step *step;
	const struct token *t;
	struct shown sh;
	struct hint h;
	int kind;

	step = append_step(p, role, it);
	if (step == NULL)
		return -1;
	t = item_token(it, 0);
	step->line = it->line->number;
	step->col = t->col;
	step->text = lexer_item_text(p, it);
	if (step->text == NULL)
		return -1;
	kind = words_find(WORDS(step_rows), t->s);
	if (kind < 0) {
		diag_fail(p, step->line, step->col, "unknown step '%s'%s",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(step_rows)));
		return -1;
	}
	/* The kind first: case_free() frees the union by it. */
	step->kind = (enum step_kind)kind;
	row = &step_rows[kind];
	if (case_role_is_child(role) && (row->w.flags & STEP_OPENS) != 0) {
		diag_fail(p, step->line, step->col,
		    "'%s' is not a step of %s: a child starts with its parent's connected socket",
		    t->s, case_role_name(role));
		return -1;
	}
	if (case_role_is_child(role) && (row->w.flags & STEP_FORKS) != 0) {
		diag_fail_at(p, it->line, t, "a child cannot fork");
		return -1;
	}
	if (((row->w.flags & STEP_CLIENT_ONLY) != 0 && role != ROLE_CLIENT) ||
	    ((row->w.flags & STEP_SERVER_ONLY) != 0 && role != ROLE_SERVER)) {
		diag_fail(p, step->line, step->col, "'%s' is a %s step", t->s,
		    case_role_name((row->w.flags & STEP_CLIENT_ONLY) != 0 ?
		    ROLE_CLIENT : ROLE_SERVER));
		return -1;
	}
	if (split_within(p, it, &step->timeout_ms) == -1)
		return -1;
	if (row->parse(p, it, step) == -1)
		return -1;
	return check_step_order(p, role, step);
}

bool
parse_step_is(const char *word)
{
	return words_find(WORDS(step_rows), word) >= 0;
}

unsigned
parse_step_flags(const struct case_step *step)
{
	unsigned flags;

	flags = step_rows[step->kind].w.flags;
	if (step->kind == STEP_SET && set_options[step->u.set.option].process)
		flags &= ~(unsigned)STEP_NEEDS_SOCKET;
	return flags;
}

enum descriptor_change
case_step_descriptors(const struct case_step *step)
{
	unsigned flags;

	flags = parse_step_flags(step);
	if ((flags & STEP_OPENS) != 0)
		return DESCRIPTORS_OPEN;
	if ((flags & STEP_DUPS) != 0)
		return DESCRIPTORS_ADD;
	if ((flags & STEP_CLOSES) != 0)
		return DESCRIPTORS_DROP;
	return DESCRIPTORS_KEPT;
}

const struct step_word *
case_step_word(enum step_kind kind)
{
	if ((unsigned)kind >= NELEMS(step_rows))
		return NULL;
	return &step_rows[kind].w;
}

int
parse_step_check_tables(char *buf, size_t size)
{
	const struct set_option *so;
	size_t i;

	for (i = 0; i < NELEMS(step_rows); i++)
		if (words_gap(buf, size, "step", i, step_rows[i].w.word,
		    step_rows[i].parse != NULL, step_rows[i].w.help) == -1)
			return -1;
	for (i = 0; i < NELEMS(send_options); i++)
		if (words_gap(buf, size, "send option", i,
		    send_options[i].word, send_options[i].flag != 0,
		    send_options[i].help) == -1)
			return -1;
	for (i = 0; i < NELEMS(recv_options); i++)
		if (words_gap(buf, size, "recv option", i,
		    recv_options[i].word, recv_options[i].parse != NULL,
		    recv_options[i].help) == -1)
			return -1;
	for (i = 0; i < NELEMS(set_options); i++) {
		so = &set_options[i];
		if (words_gap(buf, size, "set option", i, so->word,
		    so->parse != NULL && (so->parse != parse_switch ||
		    (so->switch_words[0] != NULL &&
		    so->switch_words[1] != NULL)), so->help) == -1)
			return -1;
	}
	for (i = 0; i < NELEMS(shutdown_words); i++)
		if (words_gap(buf, size, "shutdown", i, shutdown_words[i].word,
		    true, shutdown_words[i].help) == -1)
			return -1;
	for (i = 0; i < NELEMS(metric_words); i++)
		if (words_gap(buf, size, "await queue", i, metric_words[i].word,
		    true, metric_words[i].help) == -1)
			return -1;
	return 0;
}
const char *
case_step_kind_name(enum step_kind kind)
{
	const struct step_word *w;

	w = case_step_word(kind);
	return w != NULL ? w->word : "unknown-step";
}
size_t
case_step_event_names(const struct case_step *step,
    const char *names[STEP_EVENTS_MAX])
{
	const struct step_word *w;
	const char *last;
	size_t n;

	n = 0;
	w = step != NULL ? case_step_word(step->kind) : NULL;
	if (w == NULL)
		return 0;
	if (w->early_event != NULL)
		names[n++] = w->early_event;
	last = case_step_event_name(step);
	if (last != NULL)
		names[n++] = last;
	return n;
}

struct wordset
parse_step_metric_words(void)
{
	return WORDS(metric_words);
}

const char *
case_step_event_name(const struct case_step *step)
{
	const struct step_word *w;

	if (step == NULL)
		return NULL;
	w = case_step_word(step->kind);
	if (w == NULL)
		return NULL;
	if ((w->flags & STEP_RAISES_NAMED) != 0)
		return step->u.raise.event;
	return w->event;
}