/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * parse_directive.c - the directives: the case's name, deadline and
 * family, and the path between the ends.
 *
 * Directives.  A line whose first token is "case", "deadline", "family",
 * "topology", "mtu", "offloads", "capture", "sysctl", "rate", "loss" or
 * "delay" is a directive wherever it appears; it does not end the current
 * section.
 *   case NAME      required, once; NAME = [a-z0-9][a-z0-9-]{0,63}
 *   deadline DUR   optional, once, above 0; default 10s
 *   family 4 | 6 | both   optional, once; default 4 (FAMILY_4, FAMILY_6,
 *                  FAMILY_BOTH)
 * The path between the ends (see README, "Paths"):
 *   topology loopback | veth | routed   optional, once; default loopback
 *   mtu N          optional, once; N = plain digits, 68..65536; mtu 0
 *                  when absent (the interface's own)
 *   offloads on | off   optional, once; offloads_off = true for off;
 *                  either topology (on loopback it is about lo)
 *   capture server | client | both   optional, once; default server;
 *                  client and both need "topology veth"
 *   sysctl NAME = VALUE { VALUE }   any number, each NAME once; NAME =
 *                  "net." then words of [a-z0-9_] joined by single dots;
 *                  "=" is a token of its own ("NAME=VALUE" is refused);
 *                  value = the VALUE tokens joined by single spaces;
 *                  case_file.sysctls in file order
 *   rate DIRECTION RATE        RATE = DIGITS bit | kbit | mbit | gbit
 *                  (x1, x1000, x10^6, x10^9), above 0 and within
 *                  uint64_t bits per second: rate_bps
 *   loss DIRECTION PERCENT     PERCENT = DIGITS [ . D [ D ] ] "%" (one
 *                  token), above 0 and at most 100: loss_bp in basis
 *                  points ("5%" = 500, "0.5%" = 50, "0.01%" = 1)
 *   delay DIRECTION DUR [ jitter DUR ]   both above 0: delay_ms,
 *                  jitter_ms (0 without jitter)
 * rate, loss and delay are impairments (case_file.impairments, in file
 * order; writer = the end left of "->"): any number, but each kind at
 * most once per direction, and all of them need "topology veth".
 *
 * THE TABLE.  directive_rows (enum directive in parser-int.h) holds a
 * row per directive: its word, its parser, whether it may appear once,
 * and its help.  parse_directive() checks "once" for every row.  A new
 * directive is a value of enum directive, its field in struct case_file
 * (case.h), a parser and a row; an impairment is also a row of
 * impairment_rows (enum impairment_kind).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"

#define CASE_NAME_MAX 64

#define LIST_MAX 256	/* a list of words in a message */

static const char *const family_words[] = {
	[FAMILY_4] = "4",
	[FAMILY_6] = "6",
	[FAMILY_BOTH] = "both",
};

_Static_assert(NELEMS(family_words) == FAMILY_BOTH + 1,
    "a word for every enum family_mode");

static const char *const topology_words[] = {
	[TOPOLOGY_LOOPBACK] = "loopback",
	[TOPOLOGY_VETH] = "veth",
	[TOPOLOGY_ROUTED] = "routed",
};

_Static_assert(NELEMS(topology_words) == TOPOLOGY_ROUTED + 1,
    "a word for every enum topology_kind");

static const char *const capture_words[] = {
	[CAPTURE_AT_SERVER] = "server",
	[CAPTURE_AT_CLIENT] = "client",
	[CAPTURE_AT_BOTH] = "both",
};

_Static_assert(NELEMS(capture_words) == CAPTURE_AT_BOTH + 1,
    "a word for every enum capture_point");

enum switch_word {
	SWITCH_ON,
	SWITCH_OFF
};

static const char *const switch_words[] = {
	[SWITCH_ON] = "on",
	[SWITCH_OFF] = "off",
};

/* "rate" units, with their factors to bits per second. */
static const struct rate_unit {
	const char *word;
	uint64_t factor;
} rate_units[] = {
	{ "bit", 1 },
	{ "kbit", 1000 },
	{ "mbit", 1000 * 1000 },
	{ "gbit", 1000 * 1000 * 1000 },
};

#define MTU_MIN 68
#define MTU_MAX 65536

static int
parse_case_directive(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;

	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "case needs a name (e.g. 'case close-unread-truncates')");
		return -1;
	}
	t = item_token(it, 1);
	if (!value_is_case_name(t->s)) {
		diag_fail(p, it->line->number, t->col,
		    "case name '%s' must be lower-case letters, digits and '-'",
		    diag_show(&sh, t->s));
		return -1;
	}
	if (t->len > CASE_NAME_MAX) {
		diag_fail(p, it->line->number, t->col,
		    "case name '%s' is longer than %d characters",
		    diag_show(&sh, t->s), CASE_NAME_MAX);
		return -1;
	}
	if (diag_no_more(p, it, 2) == -1)
		return -1;
	p->cf->name = case_dup_bytes(p, t->s, t->len);
	if (p->cf->name == NULL)
		return -1;
	return 0;
}

static int
parse_deadline_directive(struct parser *p, const struct item *it)
{
	uint64_t ms;

	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "deadline needs a duration (e.g. 'deadline 10s')");
		return -1;
	}
	if (value_positive_duration(p, it->line, &it->tok[1], "deadline", "",
	    &ms) == -1)
		return -1;
	if (diag_no_more(p, it, 2) == -1)
		return -1;
	p->cf->deadline_ms = ms;
	return 0;
}

/*
 * A directive of one word from a list: "family both", "topology veth",
 * "offloads off", "capture both".  *value is the word's index; expected
 * lists the words in the message for another (NULL: all of them).
 */
static int
parse_word_directive(struct parser *p, const struct item *it,
    struct wordset words, const char *example, const char *expected,
    int *value)
{
	const char *name;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	int i;

	name = it->tok[0].s;
	words_list(list, sizeof(list), words, false, "or");
	if (it->n < 2) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "%s needs %s (e.g. '%s %s')", name, list, name, example);
		return -1;
	}
	t = item_token(it, 1);
	i = words_find(words, t->s);
	if (i < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown %s '%s'%s (expected %s)", name,
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, words),
		    expected != NULL ? expected : list);
		return -1;
	}
	if (diag_no_more(p, it, 2) == -1)
		return -1;
	*value = i;
	return 0;
}

static int
parse_family_directive(struct parser *p, const struct item *it)
{
	int i;

	if (parse_word_directive(p, it, WORDS(family_words), "both", NULL,
	    &i) == -1)
		return -1;
	p->cf->family = (enum family_mode)i;
	return 0;
}
static int
parse_topology_directive(struct parser *p, const struct item *it)
{
	int i;

	/* The message for another word has always said "loopback or veth". */
	if (parse_word_directive(p, it, WORDS(topology_words), "veth",
	    "loopback or veth", &i) == -1)
		return -1;
	p->cf->topology = (enum topology_kind)i;
	return 0;
}
static int
parse_offloads_directive(struct parser *p, const struct item *it)
{
	int i;

	if (parse_word_directive(p, it, WORDS(switch_words), "off", NULL,
	    &i) == -1)
		return -1;
	p->cf->offloads_off = i == SWITCH_OFF;
	return 0;
}
static int
parse_capture_directive(struct parser *p, const struct item *it)
{
	int i;

	if (parse_word_directive(p, it, WORDS(capture_words), "both", NULL,
	    &i) == -1)
		return -1;
	p->cf->capture = (enum capture_point)i;
	p->capture_col = it->tok[0].col;
	return 0;
}
static int
parse_mtu_directive(struct parser *p, const struct item *it)
{
	const struct token *t;
	const char *q;
	unsigned long mtu;

	if (it->n < 2) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "mtu needs a number (e.g. 'mtu 1500')");
		return -1;
	}
	t = item_token(it, 1);
	mtu = 0;
	for (q = t->s; *q != '\0' && is_digit(*q) && mtu <= MTU_MAX; q++)
		mtu = mtu * 10 + (unsigned long)(*q - '0');
	if (*q != '\0' || mtu < MTU_MIN || mtu > MTU_MAX) {
		diag_fail(p, it->line->number, t->col,
		    "mtu must be between %d and %d", MTU_MIN, MTU_MAX);
		return -1;
	}
	if (diag_no_more(p, it, 2) == -1)
		return -1;
	p->cf->mtu = (unsigned)mtu;
	return 0;
}

/* "net." then words of [a-z0-9_] joined by single dots. */
static bool
valid_sysctl_name(const char *name)
{
	const char *q;
	bool empty;

	empty = true;
	for (q = name + strlen("net."); *q != '\0'; q++) {
		if (*q == '.') {
			if (empty)
				return false;
			empty = true;
		} else if (is_lower_alnum(*q) || *q == '_') {
			empty = false;
		} else {
			return false;
		}
	}
	return !empty;
}

static int
parse_sysctl_directive(struct parser *p, const struct item *it)
{
	static const char needs[] = "sysctl needs 'NAME = VALUE'";
	const struct token *name;
	struct case_sysctl *sc, *grown;
	struct shown sh;
	size_t i, len;
	char *value, *w;

	if (it->n < 2 || strchr(it->tok[1].s, '=') != NULL) {
		diag_fail_at(p, it->line, it->n < 2 ? &it->tok[0] : &it->tok[1],
		    needs);
		return -1;
	}
	name = item_token(it, 1);
	if (strncmp(name->s, "net.", strlen("net.")) != 0) {
		diag_fail(p, it->line->number, name->col,
		    "sysctl '%s': only net.* sysctls can be set in the case's namespaces",
		    diag_show(&sh, name->s));
		return -1;
	}
	if (!valid_sysctl_name(name->s)) {
		diag_fail(p, it->line->number, name->col,
		    "sysctl name '%s' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')",
		    diag_show(&sh, name->s));
		return -1;
	}
	if (it->n < 3 || strcmp(it->tok[2].s, "=") != 0) {
		diag_fail_at(p, it->line, it->n < 3 ? &it->tok[0] : &it->tok[2],
		    needs);
		return -1;
	}
	if (it->n < 4) {
		diag_fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	for (i = 0; i < p->cf->nsysctls; i++) {
		if (strcmp(p->cf->sysctls[i].name, name->s) == 0) {
			diag_fail(p, it->line->number, name->col,
			    "sysctl '%s' is set twice (first at line %u)",
			    diag_show(&sh, name->s), p->cf->sysctls[i].line);
			return -1;
		}
	}

	/* The value: tokens 3.. joined by single spaces. */
	len = 0;
	for (i = 3; i < it->n; i++)
		len += it->tok[i].len + 1;
	value = malloc(len);
	if (value == NULL) {
		diag_oom(p);
		return -1;
	}
	w = value;
	for (i = 3; i < it->n; i++) {
		if (i > 3)
			*w++ = ' ';
		memcpy(w, it->tok[i].s, it->tok[i].len);
		w += it->tok[i].len;
	}
	*w = '\0';

	grown = case_grow_array(p->cf->sysctls, &p->sysctls_cap,
	    p->cf->nsysctls, sizeof(*p->cf->sysctls));
	if (grown == NULL) {
		free(value);
		diag_oom(p);
		return -1;
	}
	p->cf->sysctls = grown;
	sc = &p->cf->sysctls[p->cf->nsysctls];
	sc->name = case_dup_bytes(p, name->s, name->len);
	if (sc->name == NULL) {
		free(value);
		return -1;
	}
	sc->value = value;
	sc->line = it->line->number;
	p->cf->nsysctls++;
	return 0;
}

/* DIGITS (bit|kbit|mbit|gbit) -> bits per second, above 0. */
static int
parse_rate_bps(const char *s, uint64_t *bps)
{
	uint64_t value, digit, factor;
	size_t ndigits;
	int unit;

	ndigits = strspn(s, "0123456789");
	if (ndigits == 0)
		return -1;
	unit = words_find(WORDS(rate_units), s + ndigits);
	if (unit < 0)
		return -1;
	value = 0;
	for (; is_digit(*s); s++) {
		digit = (uint64_t)(*s - '0');
		if (value > (UINT64_MAX - digit) / 10)
			return -1;
		value = value * 10 + digit;
	}
	factor = rate_units[unit].factor;
	if (value == 0 || value > UINT64_MAX / factor)
		return -1;
	*bps = value * factor;
	return 0;
}

/* P with at most 2 decimals, 0 < P <= 100, in basis points; no "%". */
static int
parse_percent(const char *s, size_t len, unsigned *bp)
{
	const char *end;
	unsigned whole, fraction, scale;

	end = s + len;
	if (s == end || !is_digit(*s))
		return -1;
	whole = 0;
	for (; s < end && is_digit(*s); s++) {
		whole = whole * 10 + (unsigned)(*s - '0');
		if (whole > 100)
			return -1;
	}
	fraction = 0;
	if (s < end && *s == '.') {
		s++;
		if (s == end || !is_digit(*s))
			return -1;
		for (scale = 10; s < end && is_digit(*s); s++) {
			if (scale == 0)
				return -1;	/* a third decimal */
			fraction += (unsigned)(*s - '0') * scale;
			scale /= 10;
		}
	}
	if (s != end)
		return -1;
	*bp = whole * 100 + fraction;
	return *bp == 0 || *bp > 10000 ? -1 : 0;
}

static int
parse_rate_value(struct parser *p, const struct item *it,
    struct case_impairment *im)
{
	static const char needs[] = "rate needs a rate such as '10mbit'";
	const struct token *t;
	struct hint h;
	char digits[24], lower[8];
	const char *unit;
	size_t ndigits, i;
	int u;

	if (it->n < 3) {
		diag_fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	t = item_token(it, 2);
	if (parse_rate_bps(t->s, &im->rate_bps) == 0)
		return diag_no_more(p, it, 3);
	/*
	 * "10mbps", "10Mbit": the number is fine, the unit is a near miss
	 * ("10mbit" itself is refused for its number: 0 or too large).  A
	 * size unit ("10M") is bytes, not bits: no bit unit is meant by it.
	 */
	h.text[0] = '\0';
	ndigits = strspn(t->s, "0123456789");
	unit = t->s + ndigits;
	if (ndigits > 0 && ndigits < sizeof(digits) && is_alpha(*unit) &&
	    words_find(WORDS(rate_units), unit) < 0 &&
	    words_find(value_size_units(), unit) < 0) {
		for (i = 0; i + 1 < sizeof(lower) && unit[i] != '\0'; i++)
			lower[i] = (char)(unit[i] >= 'A' && unit[i] <= 'Z' ?
			    unit[i] - 'A' + 'a' : unit[i]);
		lower[i] = '\0';
		u = -1;
		if (unit[i] == '\0')
			u = words_find(WORDS(rate_units), lower);
		if (u < 0)
			u = words_nearest(WORDS(rate_units), unit);
		if (u >= 0) {
			memcpy(digits, t->s, ndigits);
			digits[ndigits] = '\0';
			diag_hint(&h, digits, rate_units[u].word);
		}
	}
	diag_fail(p, it->line->number, t->col, "%s%s", needs, h.text);
	return -1;
}

static int
parse_loss_value(struct parser *p, const struct item *it,
    struct case_impairment *im)
{
	static const char needs[] = "loss needs a percentage such as '5%'";
	const struct token *t;
	struct hint h;
	unsigned bp;

	if (it->n < 3) {
		diag_fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	t = item_token(it, 2);
	if (t->len > 1 && t->s[t->len - 1] == '%' &&
	    parse_percent(t->s, t->len - 1, &im->loss_bp) == 0)
		return diag_no_more(p, it, 3);
	/* "5": a percentage without its sign. */
	h.text[0] = '\0';
	if (parse_percent(t->s, t->len, &bp) == 0)
		diag_hint(&h, t->s, "%");
	diag_fail(p, it->line->number, t->col, "%s%s", needs, h.text);
	return -1;
}

static int
parse_delay_value(struct parser *p, const struct item *it,
    struct case_impairment *im)
{
	static const char *const options[] = { "jitter" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	if (it->n < 3) {
		diag_fail_at(p, it->line, &it->tok[0],
		    "delay needs a duration (e.g. 'delay server->client 20ms')");
		return -1;
	}
	if (value_positive_duration(p, it->line, &it->tok[2], "delay", "",
	    &im->delay_ms) == -1)
		return -1;
	if (it->n == 3)
		return 0;
	t = item_token(it, 3);
	if (strcmp(t->s, "jitter") != 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown delay option '%s'%s (expected 'jitter')",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(options)));
		return -1;
	}
	if (it->n < 5) {
		diag_fail_at(p, it->line, t,
		    "jitter needs a duration (e.g. 'jitter 5ms')");
		return -1;
	}
	if (value_positive_duration(p, it->line, &it->tok[4], "jitter",
	    " (leave it out for none)", &im->jitter_ms) == -1)
		return -1;
	return diag_no_more(p, it, 5);
}

/* The impairments, by enum impairment_kind. */
static const struct impairment_row {
	enum directive directive;	/* its word */
	int (*parse_value)(struct parser *p, const struct item *it,
	    struct case_impairment *im);
	const char *example;
} impairment_rows[] = {
	[IMPAIR_RATE] = { DIRECTIVE_RATE, parse_rate_value,
	    "rate server->client 10mbit" },
	[IMPAIR_LOSS] = { DIRECTIVE_LOSS, parse_loss_value,
	    "loss client->server 5%" },
	[IMPAIR_DELAY] = { DIRECTIVE_DELAY, parse_delay_value,
	    "delay server->client 20ms" },
};

_Static_assert(NELEMS(impairment_rows) == IMPAIR_KINDS,
    "a row for every enum impairment_kind");

static const char *impairment_word(enum impairment_kind kind);

/* "rate DIR RATE", "loss DIR P%", "delay DIR DUR [jitter DUR]". */
static int
parse_impairment(struct parser *p, const struct item *it)
{
	struct case_impairment im, *grown;
	enum impairment_kind kind;
	struct wordset directions;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	unsigned *seen;
	size_t i;
	int writer;

	/* The line starts with one of them: the last, if not another. */
	for (i = 0; i + 1 < NELEMS(impairment_rows); i++)
		if (strcmp(it->tok[0].s,
		    impairment_word((enum impairment_kind)i)) == 0)
			break;
	kind = (enum impairment_kind)i;
	memset(&im, 0, sizeof(im));
	im.kind = kind;
	im.line = it->line->number;
	if (it->n < 2) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "%s needs a direction (e.g. '%s')", impairment_word(kind),
		    impairment_rows[kind].example);
		return -1;
	}
	t = item_token(it, 1);
	directions = value_directions();
	writer = words_find(directions, t->s);
	if (writer < 0) {
		diag_fail(p, it->line->number, t->col,
		    "unknown direction '%s'%s (expected %s)",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, directions),
		    words_list(list, sizeof(list), directions, true, "or"));
		return -1;
	}
	im.writer = (enum role_id)writer;
	seen = &p->impairment_line[kind][writer];
	if (*seen != 0) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "'%s %s' is given twice (first at line %u)",
		    impairment_word(kind), words_at(directions, (size_t)writer),
		    *seen);
		return -1;
	}
	if (impairment_rows[kind].parse_value(p, it, &im) == -1)
		return -1;
	grown = case_grow_array(p->cf->impairments, &p->impairments_cap,
	    p->cf->nimpairments, sizeof(*p->cf->impairments));
	if (grown == NULL) {
		diag_oom(p);
		return -1;
	}
	p->cf->impairments = grown;
	if (p->cf->nimpairments == 0)
		p->impairment_col = it->tok[0].col;
	p->cf->impairments[p->cf->nimpairments++] = im;
	*seen = it->line->number;
	return 0;
}
/* The directives, by enum directive. */
static const struct directive_row {
	struct directive_word w;	/* word, help: case_directive_word() */
	int (*parse)(struct parser *p, const struct item *it);
	bool once;		/* at most once in a case */
} directive_rows[] = {
	[DIRECTIVE_CASE] = { { "case",
	    "case NAME: the case's name, [a-z0-9-], 1 to 64 characters" },
	    parse_case_directive, true },
	[DIRECTIVE_DEADLINE] = { { "deadline",
	    "deadline DUR: the whole case's time limit (default 10s)" },
	    parse_deadline_directive, true },
	[DIRECTIVE_FAMILY] = { { "family",
	    "family 4|6|both: the address family, or each in turn" },
	    parse_family_directive, true },
	[DIRECTIVE_TOPOLOGY] = { { "topology",
	    "topology loopback|veth|routed: the path between the ends" },
	    parse_topology_directive, true },
	[DIRECTIVE_MTU] = { { "mtu", "mtu N: the path's MTU, 68 to 65536" },
	    parse_mtu_directive, true },
	[DIRECTIVE_OFFLOADS] = { { "offloads",
	    "offloads on|off: GSO, TSO and GRO" },
	    parse_offloads_directive, true },
	[DIRECTIVE_CAPTURE] = { { "capture",
	    "capture server|client|both: where packets are captured (veth)" },
	    parse_capture_directive, true },
	[DIRECTIVE_SYSCTL] = { { "sysctl",
	    "sysctl NAME = VALUE: a net.* sysctl in every namespace" },
	    parse_sysctl_directive, false },
	[DIRECTIVE_RATE] = { { "rate",
	    "rate DIRECTION RATE: a writer's egress rate (veth)" },
	    parse_impairment, false },
	[DIRECTIVE_LOSS] = { { "loss",
	    "loss DIRECTION PERCENT: random loss of data segments (veth)" },
	    parse_impairment, false },
	[DIRECTIVE_DELAY] = { { "delay",
	    "delay DIRECTION DUR [jitter DUR]: delay, with jitter (veth)" },
	    parse_impairment, false },
};

_Static_assert(NELEMS(directive_rows) == DIRECTIVE_COUNT,
    "a row for every enum directive");

static const char *
impairment_word(enum impairment_kind kind)
{
	return directive_rows[impairment_rows[kind].directive].w.word;
}

int
parse_directive_find(const char *word)
{
	return words_find(WORDS(directive_rows), word);
}

int
parse_directive(struct parser *p, enum directive d, const struct item *it)
{
	unsigned *line;

	line = &p->directive_line[d];
	if (directive_rows[d].once && *line != 0) {
		diag_fail(p, it->line->number, it->tok[0].col,
		    "'%s' is given twice (first at line %u)", it->tok[0].s,
		    *line);
		return -1;
	}
	if (directive_rows[d].parse(p, it) == -1)
		return -1;
	*line = it->line->number;
	return 0;
}

const struct directive_word *
case_directive_word(size_t i)
{
	if (i >= NELEMS(directive_rows))
		return NULL;
	return &directive_rows[i].w;
}

int
parse_directive_check_tables(char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < NELEMS(directive_rows); i++)
		if (words_gap(buf, size, "directive", i,
		    directive_rows[i].w.word, directive_rows[i].parse != NULL,
		    directive_rows[i].w.help) == -1)
			return -1;
	for (i = 0; i < NELEMS(impairment_rows); i++)
		if (words_gap(buf, size, "impairment", i,
		    impairment_word((enum impairment_kind)i),
		    impairment_rows[i].parse_value != NULL,
		    impairment_rows[i].example) == -1)
			return -1;
	return 0;
}
/*
 * A second capture point and the impairments need the veth topology; the
 * earlier offence in the file is reported.
 */
int
parse_directive_check_paths(struct parser *p)
{
	const struct case_file *cf;
	const struct case_impairment *im;

	cf = p->cf;
	if (cf->topology != TOPOLOGY_LOOPBACK)
		return 0;
	im = cf->nimpairments > 0 ? &cf->impairments[0] : NULL;
	if (cf->capture != CAPTURE_AT_SERVER &&
	    (im == NULL ||
	    p->directive_line[DIRECTIVE_CAPTURE] < im->line)) {
		diag_fail(p, p->directive_line[DIRECTIVE_CAPTURE],
		    p->capture_col,
		    "'capture %s' needs 'topology veth' (on loopback one capture sees both ends)",
		    capture_words[cf->capture]);
		return -1;
	}
	if (im != NULL) {
		diag_fail(p, im->line, p->impairment_col,
		    "'%s' needs 'topology veth'", impairment_word(im->kind));
		return -1;
	}
	return 0;
}
