/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * parse_section.c - the expect sections: their labels, and which systems
 * and releases an expectation applies to (its scope).
 *
 *   "expect:"                       every system (SCOPE_ALL)
 *   "expect SYSTEM:"                that system
 *   "expect SYSTEM >= VERSION:"     that system, releases from VERSION on
 *   "expect SYSTEM < VERSION:"      that system, releases before VERSION
 *   SYSTEM  = linux | freebsd | darwin | netbsd | openbsd (uname sysnames)
 *             | lwip (a stack: "closeprobe run --stack lwip")
 * A section is for the stack under test: the server end's, which is the
 * kernel's unless --stack names another; the whole section applies then,
 * its expectations about the client too (the client sees what that
 * stack did), and VERSION is the stack's own ("expect lwip >= 2.2:").
 *   VERSION = DIGITS [ . DIGITS [ . DIGITS ] ]  (6, 6.12, 6.12.3)
 * The colon ends the label's last token; the rest of that token and of
 * the line is the section's first item ("expect linux:no rst").  Each
 * label appears at most once; a system's ">=" and "<" sections, when both
 * are given, name one VERSION: they split the releases in two, so an
 * expectation may be given once in each.
 *
 * Scopes.  0 is SCOPE_ALL; system k (its index in system_words) has
 * 1 + 3k (its plain section), 2 + 3k (">=") and 3 + 3k ("<").  A release
 * of a system is either at or above the VERSION, or below it: the two
 * "leaves" of the system.  An item applies to every leaf its scope covers;
 * "given at most once" counts, for each leaf, the items of every scope
 * that covers it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"

#define LIST_MAX 256	/* a list of words in a message */

/* The systems an "expect SYSTEM:" section may name (uname sysnames), and
 * the userspace stacks "closeprobe run --stack" runs the server end on. */
static const char *const system_words[] = {
	"linux", "freebsd", "darwin", "netbsd", "openbsd", "lwip"
};

_Static_assert(NELEMS(system_words) == EXPECT_SYSTEMS,
    "EXPECT_SYSTEMS counts them");
_Static_assert(NSCOPES == 1 + SCOPE_KINDS * EXPECT_SYSTEMS,
    "a scope for every system's sections");

/* A system's scopes, by kind: SCOPE_PLAIN, SCOPE_FROM, SCOPE_BEFORE. */
static size_t
scope_of(size_t system, size_t kind)
{
	return 1 + SCOPE_KINDS * system + kind;
}

/* The system of a scope past SCOPE_ALL, and the kind of its section. */
static size_t
scope_system(size_t scope)
{
	return (scope - 1) / SCOPE_KINDS;
}

static size_t
scope_kind(size_t scope)
{
	return (scope - 1) % SCOPE_KINDS;
}

/* Whether scope covers leaf (system, from: at or above the VERSION). */
static bool
scope_covers(size_t scope, size_t system, bool from)
{
	if (scope == SCOPE_ALL)
		return true;
	if (scope_system(scope) != system)
		return false;
	return scope_kind(scope) == SCOPE_PLAIN ||
	    (scope_kind(scope) == SCOPE_FROM) == from;
}

static void
seen_earliest(const struct seen *sn, size_t scope, unsigned *first)
{
	unsigned i;

	for (i = 0; i < sn->n[scope]; i++)
		if (*first == 0 || sn->line[scope][i] < *first)
			*first = sn->line[scope][i];
}

bool
parse_section_seen_exceeds(const struct seen *sn, size_t scope,
    unsigned limit, unsigned *first)
{
	size_t system, s, total;
	bool over, from;
	int leaf;

	over = false;
	*first = 0;
	for (system = 0; system < EXPECT_SYSTEMS; system++) {
		for (leaf = 0; leaf < 2; leaf++) {
			from = leaf == 0;
			if (!scope_covers(scope, system, from))
				continue;
			total = 0;
			for (s = 0; s < NSCOPES; s++)
				if (scope_covers(s, system, from))
					total += sn->n[s];
			if (total + 1 <= limit)
				continue;
			over = true;
			for (s = 0; s < NSCOPES; s++)
				if (scope_covers(s, system, from))
					seen_earliest(sn, s, first);
		}
	}
	return over;
}

void
parse_section_seen_note(struct seen *sn, size_t scope, unsigned line)
{
	if (sn->n[scope] < 2)
		sn->line[scope][sn->n[scope]++] = line;
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
parse_section_start(struct parser *p, const struct line *ln,
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

/* VERSION of len bytes at s: 0, or -1 when it is none. */
static int
parse_version(const char *s, size_t len, unsigned version[3])
{
	size_t i, part;
	unsigned long value;
	bool digit;

	memset(version, 0, 3 * sizeof(version[0]));
	part = 0;
	value = 0;
	digit = false;
	for (i = 0; i < len; i++) {
		if (is_digit(s[i])) {
			value = value * 10 + (unsigned long)(s[i] - '0');
			if (value > 99999)
				return -1;
			digit = true;
			continue;
		}
		if (s[i] != '.' || !digit || part == 2)
			return -1;
		version[part++] = (unsigned)value;
		value = 0;
		digit = false;
	}
	if (!digit)
		return -1;
	version[part] = (unsigned)value;
	return 0;
}

static void
format_version(char *buf, size_t size, const unsigned version[3])
{
	snprintf(buf, size, "%u.%u.%u", version[0], version[1], version[2]);
}

/* "expect SYSTEM >= VERSION:": the comparison and version, at token 2. */
static int
parse_release(struct parser *p, struct item *it, size_t sys, size_t *scope,
    struct token **last, size_t *len)
{
	static const char *const ops[] = { ">=", "<" };
	const struct line *ln;
	struct token *t;
	struct shown sh;
	char *colon, a[32], b[32];
	unsigned version[3];
	size_t other, kind;

	ln = it->line;
	t = item_token(it, 2);
	/* The caller has seen ">=" or "<". */
	kind = strcmp(t->s, ">=") == 0 ? SCOPE_FROM : SCOPE_BEFORE;
	if (it->n < 4) {
		diag_fail_at(p, ln, t,
		    "expected a release and ':' (e.g. 'expect linux >= 6.12:')");
		return -1;
	}
	t = item_token(it, 3);
	colon = strchr(t->s, ':');
	if (colon == NULL ||
	    parse_version(t->s, (size_t)(colon - t->s), version) == -1) {
		diag_fail(p, ln->number, t->col,
		    "expected a release such as '6.12' and ':' after '%s' (e.g. 'expect %s %s 6.12:'), not '%s'",
		    ops[kind == SCOPE_FROM ? 0 : 1], system_words[sys],
		    ops[kind == SCOPE_FROM ? 0 : 1], diag_show(&sh, t->s));
		return -1;
	}
	*scope = scope_of(sys, kind);
	other = scope_of(sys, kind == SCOPE_FROM ? SCOPE_BEFORE : SCOPE_FROM);
	if (p->system_line[other] != 0 &&
	    memcmp(p->scope_release[other], version, sizeof(version)) != 0) {
		format_version(a, sizeof(a), p->scope_release[other]);
		format_version(b, sizeof(b), version);
		diag_fail(p, ln->number, t->col,
		    "'expect %s >=' and 'expect %s <' split the releases in two at one release: %s (line %u) is not %s",
		    system_words[sys], system_words[sys], a,
		    p->system_line[other], b);
		return -1;
	}
	memcpy(p->scope_release[*scope], version, sizeof(version));
	*last = t;
	*len = (size_t)(colon - t->s);
	return 0;
}

/*
 * "expect SYSTEM:" (two tokens; the second may hold the section's first
 * item, as "linux:no"), or "expect SYSTEM OP VERSION:", then the rest of
 * the line as an expectation.
 */
int
parse_section_label(struct parser *p, struct item *it)
{
	const struct line *ln;
	struct token *t, *last;
	struct shown sh;
	struct hint h;
	char *colon, list[LIST_MAX];
	size_t len, scope, used;
	int sys;

	ln = it->line;
	if (it->n < 2) {
		diag_fail_at(p, ln, &it->tok[0],
		    "expected 'expect:' or 'expect SYSTEM:' (e.g. 'expect linux:')");
		return -1;
	}
	t = item_token(it, 1);
	colon = strchr(t->s, ':');
	len = colon != NULL ? (size_t)(colon - t->s) : t->len;
	/* Split the token for a moment to look at the system part. */
	if (colon != NULL)
		*colon = '\0';
	sys = words_find(WORDS(system_words), t->s);
	if (sys < 0) {
		diag_show(&sh, t->s);
		diag_suggest(&h, t->s, WORDS(system_words));
		if (colon != NULL)
			*colon = ':';
		if (colon == NULL)
			diag_fail(p, ln->number, t->col,
			    "a system section ends with ':' (e.g. 'expect linux:'), not 'expect %s'",
			    sh.text);
		else
			diag_fail(p, ln->number, t->col,
			    "unknown system '%s'%s (expected %s)", sh.text,
			    h.text, words_list(list, sizeof(list),
			    WORDS(system_words), false, "or"));
		return -1;
	}
	if (colon != NULL) {
		*colon = ':';
		scope = scope_of((size_t)sys, SCOPE_PLAIN);
		last = t;
		used = 1;
	} else if (it->n < 3 || (strcmp(it->tok[2].s, ">=") != 0 &&
	    strcmp(it->tok[2].s, "<") != 0)) {
		diag_fail(p, ln->number, t->col,
		    "a system section ends with ':' (e.g. 'expect linux:' or 'expect linux >= 6.12:'), not 'expect %s'",
		    diag_show(&sh, t->s));
		return -1;
	} else {
		if (parse_release(p, it, (size_t)sys, &scope, &last, &len) == -1)
			return -1;
		used = 3;
	}
	if (p->system_line[scope] != 0) {
		if (used == 1)
			diag_fail(p, ln->number, it->tok[0].col,
			    "'expect %s:' appears twice (first at line %u)",
			    system_words[sys], p->system_line[scope]);
		else
			diag_fail(p, ln->number, it->tok[0].col,
			    "'expect %s %s %.*s:' appears twice (first at line %u)",
			    system_words[sys], it->tok[2].s, (int)len, last->s,
			    p->system_line[scope]);
		return -1;
	}
	p->system_line[scope] = ln->number;
	note_expect_section(p, ln, &it->tok[0]);
	p->section = SECTION_EXPECT;
	p->scope = scope;
	len = (size_t)(strchr(last->s, ':') - last->s);
	if (last->len == len + 1) {
		it->tok += used + 1;
		it->n -= used + 1;
	} else {
		/* "linux:no rst": the rest is the first item. */
		last->s += len + 1;
		last->len -= len + 1;
		last->off += len + 1;
		last->col += (unsigned)(len + 1);
		it->tok += used;
		it->n -= used;
	}
	if (it->n == 0)
		return 0;
	return parse_expect(p, it);
}

int
parse_section_scope(struct parser *p, struct case_expect *e)
{
	size_t sys;

	if (p->scope == SCOPE_ALL)
		return 0;
	sys = scope_system(p->scope);
	e->system = case_dup_bytes(p, system_words[sys],
	    strlen(system_words[sys]));
	if (e->system == NULL)
		return -1;
	if (scope_kind(p->scope) != SCOPE_PLAIN) {
		e->has_release = true;
		e->release_op = scope_kind(p->scope) == SCOPE_FROM ?
		    COMPARE_GE : COMPARE_LT;
		memcpy(e->release, p->scope_release[p->scope],
		    sizeof(e->release));
	}
	return 0;
}

bool
case_expect_release_applies(const struct case_expect *e, const char *release)
{
	unsigned running[3];
	size_t len, i, dots;
	int order;

	if (!e->has_release)
		return true;
	if (release == NULL)
		return false;
	/* "6.12.3-amd64": up to three numbers, up to the first other character. */
	len = strspn(release, "0123456789.");
	for (i = 0, dots = 0; i < len; i++)
		if (release[i] == '.' && ++dots == 3)
			len = i;
	while (len > 0 && release[len - 1] == '.')
		len--;
	if (parse_version(release, len, running) == -1)
		return false;
	order = 0;
	for (i = 0; i < 3 && order == 0; i++)
		order = (running[i] > e->release[i]) - (running[i] < e->release[i]);
	return e->release_op == COMPARE_GE ? order >= 0 : order < 0;
}
