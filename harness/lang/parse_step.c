/*
 * parse_step.c - the steps of the role sections.
 *
 * Steps (items of the four role sections).  Any step may end with
 * "within DUR" (DUR above 0): its timeout; otherwise the case deadline.
 *   connect                       client only
 *   accept                        server only
 *   send SIZE { nonblocking | dontwait | more | nosignal }  SIZE above 0
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
 *   await unread | unsent | unacked [ OP ] SIZE
 *                                 OP defaults to ">=" for unread, "<="
 *                                 for unsent and unacked
 *   raise EVENT                   EVENT = [a-z0-9][a-z0-9_-]*, not one
 *                                 of the implicit names below, once per
 *                                 role
 *   pause DUR
 *   so_error
 *   snapshot
 *   fork                          client and server only, once
 *   dup                           one more descriptor of the socket
 *   exit                          end the process; the role's last step
 *   poll
 *   drain [ SIZE ]                SIZE above 0; limit = SIZE or 0
 *   lingering-close DUR [ SIZE ]  DUR and SIZE above 0; ms = DUR,
 *                                 limit = SIZE or 0
 * Options of send and recv may come in any order, each once.
 *
 * Events.  connect raises "connected", accept "accepted", send "sent",
 * recv "received", shutdown "shutdown", close and lingering-close
 * "closed", fork "forked", dup "duped", drain "drained", raise its EVENT;
 * every role raises "done" after its last step.  An event, once raised,
 * stays raised.
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

static const char *const step_words[] = {
	"connect", "accept", "send", "recv", "shutdown", "close", "set",
	"wait", "await", "raise", "pause", "so_error", "snapshot", "fork",
	"dup", "exit", "poll", "drain", "lingering-close"
};

static const char *const shutdown_words[] = { "rd", "wr", "rdwr" };

static const char *const option_words[] = {
	"rcvbuf", "sndbuf", "nodelay", "cork", "linger", "nonblock", "sigpipe"
};

static const char *const metric_words[] = { "unread", "unsent", "unacked" };

/* Names the harness raises itself: a raise may not reuse them. */
static bool
is_implicit_event(const char *name)
{
	static const char *const implicit[] = {
		"connected", "accepted", "sent", "received", "shutdown",
		"closed", "forked", "duped", "drained", "done"
	};

	return words_find(WORDS(implicit), name) >= 0;
}

static struct case_step *
append_step(struct parser *p, enum role_id role)
{
	struct case_role *r;
	struct case_step *step, *steps;

	r = &p->cf->roles[role];
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

static int
parse_send(struct parser *p, const struct item *it, struct step_send *send)
{
	static const char *const modes[] = { "fill" };
	static const char *const options[] = {
		"nonblocking", "dontwait", "more", "nosignal"
	};
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	const char *dontwait_word;
	unsigned flag;
	size_t i;

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

	dontwait_word = NULL;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "nonblocking") == 0 ||
		    strcmp(t->s, "dontwait") == 0) {
			if (dontwait_word != NULL) {
				diag_fail(p, ln->number, t->col,
				    "'%s' repeats '%s' (nonblocking and dontwait are the same)",
				    t->s, dontwait_word);
				return -1;
			}
			dontwait_word = t->s;
			send->flags |= SEND_DONTWAIT;
		} else if (strcmp(t->s, "more") == 0 ||
		    strcmp(t->s, "nosignal") == 0) {
			flag = t->s[0] == 'm' ? SEND_MORE : SEND_NOSIGNAL;
			if ((send->flags & flag) != 0) {
				diag_fail(p, ln->number, t->col,
				    "'%s' is given twice", t->s);
				return -1;
			}
			send->flags |= flag;
		} else {
			diag_fail(p, ln->number, t->col,
			    "unknown send option '%s'%s (expected 'nonblocking', 'dontwait', 'more' or 'nosignal')",
			    diag_show(&sh, t->s),
			    diag_suggest(&h, t->s, WORDS(options)));
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

static int
parse_recv(struct parser *p, const struct item *it, struct step_recv *recv)
{
	static const char *const modes[] = { "all" };
	static const char *const options[] = { "peek", "rate" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	unsigned peek_col, rate_col;
	size_t i;

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
		    "recv needs a size or 'all', not '%s'%s", diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(modes)));
		return -1;
	}
	peek_col = rate_col = 0;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "peek") == 0) {
			if (peek_col != 0) {
				diag_fail_at(p, ln, t, "'peek' is given twice");
				return -1;
			}
			peek_col = t->col;
			recv->peek = true;
		} else if (strcmp(t->s, "rate") == 0) {
			if (rate_col != 0) {
				diag_fail_at(p, ln, t, "'rate' is given twice");
				return -1;
			}
			rate_col = t->col;
			if (i + 1 >= it->n) {
				diag_fail_at(p, ln, t,
				    "rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms')");
				return -1;
			}
			if (parse_rate(p, ln, item_token(it, ++i), recv) == -1)
				return -1;
		} else {
			diag_fail(p, ln->number, t->col,
			    "unknown recv option '%s'%s (expected 'peek' or 'rate')",
			    diag_show(&sh, t->s),
			    diag_suggest(&h, t->s, WORDS(options)));
			return -1;
		}
		if (peek_col != 0 && rate_col != 0) {
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
parse_drain(struct parser *p, const struct item *it, struct step_drain *dr)
{
	return parse_optional_limit(p, it, 1, "drain",
	    "(e.g. 'drain 1MiB') or nothing", &dr->limit);
}

/* "lingering-close DUR [SIZE]" */
static int
parse_lingering_close(struct parser *p, const struct item *it,
    struct step_lingering_close *lc)
{
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
    enum shutdown_how *how)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

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
	*how = (enum shutdown_how)i;
	return diag_no_more(p, it, 2);
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
		diag_fail(p, it->line->number, it->tok[0].col,
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
		diag_fail(p, it->line->number, t->col,
		    "set %s needs 'on' or 'off', not '%s'%s", option,
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(words)));
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
	/* struct linger holds an int. */
	if (ms / 1000 > INT_MAX) {
		diag_fail(p, it->line->number, t->col, "linger '%s' is too long",
		    diag_show(&sh, t->s));
		return -1;
	}
	set->on = true;
	set->value = ms / 1000;
	return 0;
}

static int
parse_sigpipe(struct parser *p, const struct item *it, struct step_set *set)
{
	static const char *const words[] = { "default", "ignore" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	if (it->n < 3) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "set sigpipe needs 'default' or 'ignore' (e.g. 'set sigpipe default')");
		return -1;
	}
	t = item_token(it, 2);
	if (strcmp(t->s, "default") == 0)
		set->on = true;
	else if (strcmp(t->s, "ignore") == 0)
		set->on = false;
	else {
		diag_fail(p, it->line->number, t->col,
		    "set sigpipe needs 'default' or 'ignore', not '%s'%s",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, WORDS(words)));
		return -1;
	}
	set->value = set->on ? 1 : 0;
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
		diag_fail_at(p, it->line, &it->tok[0],
		    "set needs an option: rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe (e.g. 'set nodelay on')");
		return -1;
	}
	t = item_token(it, 1);
	option = words_find(WORDS(option_words), t->s);
	if (option < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown option '%s'%s (expected rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(option_words)));
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
	case OPTION_SIGPIPE:
		rc = parse_sigpipe(p, it, set);
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
	return diag_no_more(p, it, 3);
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
	if ((enum role_id)r == role) {
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
		diag_fail_at(p, ln, &it->tok[0],
		    "await needs unread, unsent or unacked and a size (e.g. 'await unread 100')");
		return -1;
	}
	t = item_token(it, 1);
	metric = words_find(WORDS(metric_words), t->s);
	if (metric < 0) {
		diag_fail(p, ln->number, t->col,
		    "unknown queue '%s'%s (expected unread, unsent or unacked)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(metric_words)));
		return -1;
	}
	aw->metric = (enum socket_metric)metric;
	aw->op = aw->metric == METRIC_UNREAD ? COMPARE_GE : COMPARE_LE;
	i = 2;
	if (i < it->n && symbols_compare_op(it->tok[i].s, &aw->op) == 0)
		i++;
	if (i >= it->n) {
		diag_fail(p, ln->number, it->tok[i - 1].col,
		    "await %s needs a size (e.g. 'await %s %s 100')",
		    t->s, t->s, compare_op_name(aw->op));
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
parse_raise(struct parser *p, const struct item *it, struct step_raise *raise)
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
	raise->event = case_dup_bytes(p, t->s, t->len);
	if (raise->event == NULL)
		return -1;
	return diag_no_more(p, it, 2);
}

static int
parse_pause(struct parser *p, const struct item *it, struct step_pause *pause)
{
	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "pause needs a duration (e.g. 'pause 250ms')");
		return -1;
	}
	if (value_duration(p, it->line, &it->tok[1], &pause->ms) == -1)
		return -1;
	return diag_no_more(p, it, 2);
}

bool
parse_step_is(const char *word)
{
	return words_find(WORDS(step_words), word) >= 0;
}

int
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
	step->text = lexer_item_text(p, it);
	if (step->text == NULL)
		return -1;
	kind = words_find(WORDS(step_words), t->s);
	if (kind < 0) {
		diag_fail(p, step->line, step->col, "unknown step '%s'%s",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(step_words)));
		return -1;
	}
	/* The kind first: case_free() frees the union by it. */
	step->kind = (enum step_kind)kind;
	if (role_is_child(role) && (step->kind == STEP_CONNECT ||
	    step->kind == STEP_ACCEPT)) {
		diag_fail(p, step->line, step->col,
		    "'%s' is not a step of %s: a child starts with its parent's connected socket",
		    t->s, role_name(role));
		return -1;
	}
	if (role_is_child(role) && step->kind == STEP_FORK) {
		diag_fail_at(p, it->line, t, "a child cannot fork");
		return -1;
	}
	if (step->kind == STEP_CONNECT && role != ROLE_CLIENT) {
		diag_fail_at(p, it->line, t, "'connect' is a client step");
		return -1;
	}
	if (step->kind == STEP_ACCEPT && role != ROLE_SERVER) {
		diag_fail_at(p, it->line, t, "'accept' is a server step");
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
	case STEP_DRAIN:
		rc = parse_drain(p, it, &step->u.drain);
		break;
	case STEP_LINGERING_CLOSE:
		rc = parse_lingering_close(p, it, &step->u.lingering);
		break;
	case STEP_CONNECT:
	case STEP_ACCEPT:
	case STEP_CLOSE:
	case STEP_SO_ERROR:
	case STEP_SNAPSHOT:
	case STEP_FORK:
	case STEP_DUP:
	case STEP_EXIT:
	case STEP_POLL:
	default:
		rc = diag_no_more(p, it, 1);
		break;
	}
	if (rc == -1)
		return -1;
	return check_step_order(p, role, step);
}

const char *
step_kind_name(enum step_kind kind)
{
	if ((unsigned)kind < NELEMS(step_words))
		return step_words[kind];
	return "unknown-step";
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
	case STEP_LINGERING_CLOSE:
		return "closed";
	case STEP_FORK:
		return "forked";
	case STEP_DUP:
		return "duped";
	case STEP_DRAIN:
		return "drained";
	case STEP_RAISE:
		return step->u.raise.event;
	default:
		return NULL;
	}
}
