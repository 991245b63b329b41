/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * display.c - verdicts for a person: wrapped and coloured on a terminal.
 */
#include <sys/ioctl.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display.h"
#include "strbuf.h"
#include "tally.h"

#define COLOUR_END "\033[0m"

/* The colour of each word that says how something ended. */
static const struct {
	const char *word;
	const char *colour;
} colours[] = {
	{ "PASS", "\033[32m" },
	{ "ok", "\033[32m" },
	{ "FAIL", "\033[1;31m" },
	{ "FAILED", "\033[1;31m" },
	{ "SKIP", "\033[33m" },
	{ "skip", "\033[33m" },
	{ "ERROR", "\033[1;35m" },
	{ "UNSUPPORTED", "\033[36m" },
};

static const char *
colour_of(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(colours) / sizeof(colours[0]); i++)
		if (strlen(colours[i].word) == len && strncmp(colours[i].word, word, len) == 0)
			return colours[i].colour;
	return NULL;
}

void
display_init(struct display *d, FILE *out, bool brief)
{
	const char *no_colour = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	struct winsize ws;
	int fd = fileno(out);

	memset(d, 0, sizeof(*d));
	d->out = out;
	d->brief = brief;
	if (fd < 0 || !isatty(fd))
		return;
	/* https://no-color.org: present and not empty turns colour off. */
	d->colour = (no_colour == NULL || no_colour[0] == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		d->width = ws.ws_col;
}

void
display_platform(const struct display *d, const struct platform *p)
{
	fputs("platform: ", d->out);
	platform_write_text(p, d->out);
	fputc('\n', d->out);
}

/* line[0..len) with the word at [at, at + n) in its colour, if any. */
static void
put_coloured(const struct display *d, const char *line, size_t len, size_t at, size_t n)
{
	const char *colour = d->colour && n > 0 ? colour_of(line + at, n) : NULL;

	if (colour == NULL) {
		fwrite(line, 1, len, d->out);
		return;
	}
	fwrite(line, 1, at, d->out);
	fputs(colour, d->out);
	fwrite(line + at, 1, n, d->out);
	fputs(COLOUR_END, d->out);
	fwrite(line + at + n, 1, len - at - n, d->out);
}

/* Break line[0..len) at blanks so that no piece is wider than width (a
 * word that is wider stands alone): a blank becomes a newline, so that
 * every offset stays where it was. */
static void
wrap(char *line, size_t len, unsigned width)
{
	size_t start = 0, last_blank = 0, i;
	bool have_blank = false;

	for (i = 0; i < len; i++) {
		if (line[i] == ' ') {
			last_blank = i;
			have_blank = true;
		}
		if (i - start >= width && have_blank) {
			line[last_blank] = '\n';
			start = last_blank + 1;
			have_blank = false;
		}
	}
}

/* Where a line's status word is: after "LABEL: " in a verdict
 * paragraph, after the indent in an expectation's line. */
static void
status_word(const char *line, size_t len, const char *label, size_t *at, size_t *n)
{
	size_t l = strlen(label);

	*at = *n = 0;
	if (len > l + 2 && strncmp(line, label, l) == 0 && line[l] == ':' && line[l + 1] == ' ')
		*at = l + 2;
	else if (len > 2 && line[0] == ' ' && line[1] == ' ')
		*at = 2;
	else
		return;
	while (*at + *n < len && isalpha((unsigned char)line[*at + *n]))
		(*n)++;
}

static void
display_text(const struct display *d, const struct runrecord *r)
{
	const char *p = r->text;

	while (*p != '\0') {
		size_t len = strcspn(p, "\n"), at, n;
		char *line;

		status_word(p, len, r->label, &at, &n);
		/* The verdict paragraph is wrapped; detail lines are a table. */
		if (d->width > 0 && p[0] != ' ' && (line = strndup(p, len)) != NULL) {
			wrap(line, len, d->width);
			put_coloured(d, line, len, at, n);
			free(line);
		} else {
			put_coloured(d, p, len, at, n);
		}
		fputc('\n', d->out);
		p += len;
		if (*p == '\n')
			p++;
	}
}

/* One line: "LABEL: STATUS", and for what did not pass, why. */
static void
display_brief(const struct display *d, const struct runrecord *r)
{
	struct strbuf sb;
	size_t i, failures = runrecord_failures(r);
	const char *why = r->error;

	strbuf_init(&sb);
	strbuf_addf(&sb, "%s: %s", r->label, tally_status_name(r->status));
	for (i = 0; r->status == CASE_FAIL && i < r->nexpects; i++)
		if (r->expects[i].held == RUNRECORD_FAILED) {
			strbuf_addf(&sb, ". %s:%lu: expect %s; observed %s", r->file,
			    r->expects[i].line, r->expects[i].text ? r->expects[i].text : "?",
			    r->expects[i].observed ? r->expects[i].observed : "?");
			if (failures > 1)
				strbuf_addf(&sb, " (and %zu more)", failures - 1);
			break;
		}
	if (r->status != CASE_PASS && r->status != CASE_FAIL && why != NULL)
		strbuf_addf(&sb, ". %s", why);
	if (sb.failed || sb.data == NULL) {
		fprintf(d->out, "%s: %s\n", r->label, tally_status_name(r->status));
	} else {
		size_t at, n, k;

		/* One line, whatever the messages hold. */
		for (k = 0; k < sb.len; k++)
			if (sb.data[k] == '\n')
				sb.data[k] = ' ';
		status_word(sb.data, sb.len, r->label, &at, &n);
		put_coloured(d, sb.data, sb.len, at, n);
		fputc('\n', d->out);
	}
	strbuf_free(&sb);
}

void
display_run(const struct display *d, const struct runrecord *r)
{
	if (d->brief || r->text == NULL)
		display_brief(d, r);
	else
		display_text(d, r);
	fflush(d->out);
}
