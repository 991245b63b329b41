/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * progress.c - the "[n/N] case" line of a terminal.
 */
#include <sys/ioctl.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monotime.h"
#include "procnet.h"
#include "progress.h"

#define PROGRESS_INTERVAL_NS 200000000LL	/* redraw at most 5 times a second */
#define PROGRESS_BYTES_SHOWN (4ULL << 20)	/* "more than a few MiB" */

void
progress_init(struct progress *p, struct case_file *const *cases, size_t total)
{
	const char *term = getenv("TERM");
	struct winsize ws;

	memset(p, 0, sizeof(*p));
	p->cases = cases;
	p->total = total;
	if (!isatty(STDERR_FILENO) || (term != NULL && strcmp(term, "dumb") == 0))
		return;
	p->out = stderr;
	p->width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
}

void
progress_started(struct progress *p, size_t index, pid_t worker)
{
	if (p->out == NULL)
		return;
	if (p->nrunning == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct progress_case *more = realloc(p->running, cap * sizeof(*more));

		if (more == NULL)
			return;	/* the line just names fewer cases */
		p->running = more;
		p->cap = cap;
	}
	p->running[p->nrunning].index = index;
	p->running[p->nrunning++].worker = worker;
}

void
progress_ended(struct progress *p, size_t index)
{
	size_t i;

	for (i = 0; i < p->nrunning; i++)
		if (p->running[i].index == index) {
			memmove(&p->running[i], &p->running[i + 1],
			    (p->nrunning - i - 1) * sizeof(p->running[0]));
			p->nrunning--;
			return;
		}
}

void
progress_clear(struct progress *p)
{
	if (p->out == NULL || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = false;
}

void
progress_draw(struct progress *p, bool now)
{
	const struct progress_case *first;
	char line[512];
	uint64_t octets;
	int64_t t = monotime_ns();
	int len;

	if (p->out == NULL || (!now && t - p->drawn_ns < PROGRESS_INTERVAL_NS))
		return;
	p->drawn_ns = t;
	if (p->nrunning == 0) {
		progress_clear(p);
		return;
	}
	/* The oldest case running is the one the output waits for. */
	first = &p->running[0];
	len = snprintf(line, sizeof(line), "[%zu/%zu] %s", first->index + 1, p->total,
	    p->cases[first->index]->name);
	if (p->nrunning > 1 && len > 0 && (size_t)len < sizeof(line))
		len += snprintf(line + len, sizeof(line) - (size_t)len, " (and %zu more)",
		    p->nrunning - 1);
	if (procnet_tree_octets(first->worker, &octets) == 0 && octets > PROGRESS_BYTES_SHOWN &&
	    len > 0 && (size_t)len < sizeof(line))
		snprintf(line + len, sizeof(line) - (size_t)len, ", %.1f MiB on the wire",
		    (double)octets / (1 << 20));
	/* Never as wide as the terminal: a wrapped line could not be erased. */
	if (p->width > 1 && strlen(line) >= p->width)
		line[p->width - 1] = '\0';
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->shown = true;
}

void
progress_free(struct progress *p)
{
	progress_clear(p);
	free(p->running);
	memset(p, 0, sizeof(*p));
}
