/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * case.c - parse the case language into a struct case_file: the entry
 * points, and lines to directives, sections and their items.
 *
 * GRAMMAR
 *
 *   file        = { line }
 *   line        = directive | label [ item ] | item
 *   directive   = "case" NAME | "deadline" DURATION | "family" FAMILY
 *               | "topology" TOPOLOGY | "mtu" MTU | "offloads" ON_OFF
 *               | "capture" CAPTURE | "sysctl" SYSCTL "=" VALUE { VALUE }
 *               | "rate" DIRECTION RATE | "loss" DIRECTION PERCENT
 *               | "delay" DIRECTION DUR [ "jitter" DUR ]
 *   label       = "client:" | "server:" | "client.child:" | "server.child:"
 *               | "expect:" | "expect" SYSTEM [ OP VERSION ] ":"
 *   SYSTEM      = linux | freebsd | darwin | netbsd | openbsd
 *   OP VERSION  = ">=" | "<", then 6, 6.12 or 6.12.3 (parse_section.c)
 *
 * Lines, tokens and bytes: see lexer.h and lexer.c.  Directives:
 * parse_directive.c; steps: parse_step.c; expectations: parse_expect.c;
 * values (SIZE, DUR, ROLE, ...): values.h; the checks on the whole case:
 * check.c.
 *
 * Sections.  A label starts a section; anything after it on the same line
 * (even without a space: "client:connect", "expect linux:no rst") is the
 * section's first item.  Lines without a label continue the current
 * section, one item per line.  Before the first label only directives may
 * appear.  "client:" and "server:" are both required; every label appears
 * at most once.  "client.child:" and "server.child:" hold the steps of
 * the process a "fork" step of client or server creates: a child section
 * exists exactly when its parent has a fork step.  "expect:" holds
 * expectations for every system, "expect SYSTEM:" (two tokens; the
 * system in lower case) expectations for that system only
 * (case_expect.system is the name; NULL under "expect:").  The case holds
 * at least one expectation in all.  A line whose first token is "expect"
 * is always such a label.  Any other first token that ends in ":" is an
 * unknown section.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"

#define READ_CHUNK (64 * 1024)

#define LIST_MAX 256	/* a list of words in a message */

/* The labels, by enum section from SECTION_CLIENT. */
static const char *const label_words[] = {
	[SECTION_CLIENT - SECTION_CLIENT] = "client:",
	[SECTION_SERVER - SECTION_CLIENT] = "server:",
	[SECTION_CLIENT_CHILD - SECTION_CLIENT] = "client.child:",
	[SECTION_SERVER_CHILD - SECTION_CLIENT] = "server.child:",
	[SECTION_EXPECT - SECTION_CLIENT] = "expect:",
};

_Static_assert(NELEMS(label_words) == SECTION_EXPECT - SECTION_CLIENT + 1,
    "a label for every section");

char *
case_dup_bytes(struct parser *p, const char *s, size_t len)
{
	char *copy;

	copy = malloc(len + 1);
	if (copy == NULL) {
		diag_oom(p);
		return NULL;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

/*
 * The array of count elements of elsize bytes, moved to a bigger block if
 * it is full; NULL when out of memory (the old block is still valid).
 */
void *
case_grow_array(void *array, size_t *cap, size_t count, size_t elsize)
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

/* A role's label ("client:"), or "expect:". */
static int
start_section(struct parser *p, enum section section, const struct line *ln,
    const struct token *label)
{
	struct case_role *r;
	enum role_id role;

	if (section == SECTION_EXPECT)
		return parse_section_start(p, ln, label);
	role = section_role(section);
	r = &p->cf->roles[role];
	if (r->present) {
		diag_fail(p, ln->number, label->col,
		    "role '%s' is defined twice (first at line %u)",
		    case_role_name(role), r->line);
		return -1;
	}
	r->present = true;
	r->line = ln->number;
	p->role_col[role] = label->col;
	p->section = section;
	return 0;
}

/*
 * What a line outside a section may have meant: a directive, or a label
 * (typed without its colon, "client").
 */
static const char *
toplevel_suggestion(const char *typed)
{
	struct words_nearest nr;
	const struct directive_word *d;
	const char *best;
	size_t i, len;

	best = NULL;
	words_nearest_init(&nr, typed);
	for (i = 0; (d = case_directive_word(i)) != NULL; i++)
		if (words_nearest_consider(&nr, i, d->word, strlen(d->word)))
			best = d->word;
	for (i = 0; i < NELEMS(label_words); i++) {
		len = strlen(label_words[i]) - 1;
		if (strlen(typed) == len &&
		    strncmp(typed, label_words[i], len) == 0)
			return label_words[i];
		if (words_nearest_consider(&nr, i, label_words[i], len))
			best = label_words[i];
	}
	return best;
}

/* Something that belongs in a section, found before any label. */
static int
fail_outside_section(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;
	struct hint h;

	t = item_token(it, 0);
	if (parse_step_is(t->s)) {
		diag_fail(p, it->line->number, t->col,
		    "step '%s' outside a 'client:' or 'server:' section",
		    t->s);
		return -1;
	}
	if (parse_expect_is_head(t->s)) {
		diag_fail(p, it->line->number, t->col,
		    "expectation '%s' outside the 'expect:' section", t->s);
		return -1;
	}
	diag_fail(p, it->line->number, t->col,
	    "expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not '%s'%s",
	    diag_show(&sh, t->s),
	    diag_hint(&h, "", toplevel_suggestion(t->s)));
	return -1;
}
static int
parse_tokens(struct parser *p, const struct line *ln)
{
	struct item it;
	struct token *t;
	struct shown sh;
	struct hint h;
	char list[LIST_MAX];
	size_t i, label_len;
	int label, d;

	it.line = ln;
	it.tok = p->tokens;
	it.n = p->ntokens;
	t = &it.tok[0];
	d = parse_directive_find(t->s);
	if (d >= 0)
		return parse_directive(p, (enum directive)d, &it);
	if (strcmp(t->s, "expect") == 0)
		return parse_section_label(p, &it);

	label = -1;
	label_len = 0;
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
		diag_fail(p, ln->number, t->col,
		    "unknown section '%s'%s (expected %s)",
		    diag_show(&sh, t->s),
		    diag_suggest(&h, t->s, WORDS(label_words)),
		    words_list(list, sizeof(list), WORDS(label_words), true,
		    "or"));
		return -1;
	}

	switch (p->section) {
	case SECTION_CLIENT:
	case SECTION_SERVER:
	case SECTION_CLIENT_CHILD:
	case SECTION_SERVER_CHILD:
		return parse_step(p, section_role(p->section), &it);
	case SECTION_EXPECT:
		return parse_expect(p, &it);
	case SECTION_NONE:
	default:
		return fail_outside_section(p, &it);
	}
}

static int
parse_line(struct parser *p, const struct line *ln)
{
	if (lexer_check_bytes(p, ln) == -1)
		return -1;
	if (p->in_summary && lexer_summary_line(p, ln) == -1)
		return -1;
	if (lexer_split(p, ln) == -1)
		return -1;
	if (p->ntokens == 0)
		return 0;
	return parse_tokens(p, ln);
}

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
		diag_fail(&p, 0, 0, "no text to parse");
		return NULL;
	}
	p.cf = calloc(1, sizeof(*p.cf));
	if (p.cf == NULL) {
		diag_oom(&p);
		return NULL;
	}
	p.cf->deadline_ms = CASE_DEFAULT_DEADLINE_MS;
	p.cf->path = case_dup_bytes(&p, p.path, strlen(p.path));
	if (p.cf->path == NULL)
		goto fail;

	ln.number = 0;
	for (pos = 0; pos < len; pos = next) {
		if (ln.number == UINT_MAX - 1) {
			diag_fail(&p, ln.number, 1, "too many lines");
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
		diag_fail(&p, 0, 0, "%s", strerror(EINVAL));
		return NULL;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		diag_fail(&p, 0, 0, "%s", strerror(errno));
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
		diag_fail(&p, 0, 0, "%s", strerror(saved_errno));
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
			else if (step->kind == STEP_SNAPSHOT ||
			    step->kind == STEP_SO_ERROR)
				free(step->u.label.name);
		}
		free(r->steps);
	}
	for (i = 0; i < cf->nexpects; i++) {
		free(cf->expects[i].text);
		free(cf->expects[i].system);
		free(cf->expects[i].name);
		if (cf->expects[i].kind == EXPECT_KERNEL)
			free(cf->expects[i].u.kernel.counter);
		else if (cf->expects[i].kind == EXPECT_SEND_ERRORS)
			free(cf->expects[i].u.send_errors.errors);
	}
	free(cf->expects);
	for (i = 0; i < cf->nsysctls; i++) {
		free(cf->sysctls[i].name);
		free(cf->sysctls[i].value);
	}
	free(cf->sysctls);
	free(cf->impairments);
	free(cf->path);
	free(cf->name);
	free(cf->summary);
	free(cf);
}

int
case_check_tables(char *buf, size_t size)
{
	if (parse_directive_check_tables(buf, size) == -1 ||
	    parse_step_check_tables(buf, size) == -1 ||
	    parse_expect_check_tables(buf, size) == -1)
		return -1;
	if (size > 0)
		buf[0] = '\0';
	return 0;
}
