/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tap.c - TAP 14: test points, subtests, YAML diagnostics.
 */
#include <string.h>

#include "jsonout.h"
#include "symbols.h"
#include "tap.h"

#define TAP_SUBTEST_INDENT "    "

/* A description: '#' would start a directive and '\' escapes, so both are
 * escaped; a line break would end the test point. */
static void
put_description(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', out);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
	}
}

/* A directive's reason: one line, and no '#'. */
static void
put_reason(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s == '#' ? '-' : *s, out);
}

/* A YAML scalar: a JSON string is a YAML double-quoted one. */
static void
put_yaml(FILE *out, const char *indent, const char *key, const char *value)
{
	fprintf(out, "%s%s: ", indent, key);
	jsonout_string(out, value);
	fputc('\n', out);
}

void
tap_begin(struct tap *t, FILE *out, const struct platform *p, size_t planned)
{
	t->out = out;
	t->n = 0;
	fputs("TAP version 14\n", out);
	if (p != NULL) {
		fputs("# platform: ", out);
		platform_write_text(p, out);
		fputc('\n', out);
	}
	fprintf(out, "1..%zu\n", planned);
}

/* The expectations, as the test points of a subtest. */
static void
put_subtest(struct tap *t, const struct runrecord *r)
{
	const char *in = TAP_SUBTEST_INDENT;
	size_t i;

	/* Indented as Test::More writes it: the subtest's first line. */
	fprintf(t->out, "%s# Subtest: ", in);
	put_description(t->out, r->label);
	fprintf(t->out, "\n%s1..%zu\n", in, r->nexpects);
	for (i = 0; i < r->nexpects; i++) {
		const struct runrecord_expect *e = &r->expects[i];

		fprintf(t->out, "%s%s %zu - %s:%lu: expect ", in,
		    e->held == RUNRECORD_FAILED ? "not ok" : "ok", i + 1, r->file, e->line);
		put_description(t->out, e->text);
		if (e->held == RUNRECORD_NOT_JUDGED) {
			fputs(" # SKIP ", t->out);
			put_reason(t->out, e->observed);
		}
		fprintf(t->out, "\n%s  ---\n", in);
		if (e->system != NULL)
			put_yaml(t->out, TAP_SUBTEST_INDENT "  ", "system", e->system);
		put_yaml(t->out, TAP_SUBTEST_INDENT "  ", "observed", e->observed);
		fprintf(t->out, "%s  ...\n", in);
	}
}

void
tap_run(struct tap *t, const struct runrecord *r)
{
	const char *path, *key;
	size_t i;

	if (r->nexpects > 0)
		put_subtest(t, r);
	t->n++;
	fprintf(t->out, "%s %zu - ", r->status == CASE_PASS || r->status == CASE_SKIP ||
	    r->status == CASE_UNSUPPORTED ? "ok" : "not ok", t->n);
	put_description(t->out, r->label);
	if (r->status == CASE_SKIP) {
		fputs(" # SKIP ", t->out);
		put_reason(t->out, r->error != NULL ? r->error : "cannot run here");
	}
	/* The reason begins "unsupported: ", which tells it from a SKIP. */
	if (r->status == CASE_UNSUPPORTED) {
		fputs(" # SKIP ", t->out);
		put_reason(t->out, r->error != NULL ? r->error : "unsupported: by this stack");
	}
	fputs("\n  ---\n", t->out);
	put_yaml(t->out, "  ", "status", tally_status_name(r->status));
	put_yaml(t->out, "  ", "file", r->file);
	if (r->error != NULL)
		put_yaml(t->out, "  ", "error", r->error);
	if (r->root != NULL)
		fprintf(t->out, "  duration_s: %.6f\n", r->duration_s);
	if (runrecord_evidence(r, 0, &key) != NULL) {
		fputs("  evidence:\n", t->out);
		for (i = 0; (path = runrecord_evidence(r, i, &key)) != NULL; i++)
			put_yaml(t->out, "    ", key, path);
	}
	fputs("  ...\n", t->out);
	fflush(t->out);
}

void
tap_end(struct tap *t, const struct tally *tally)
{
	if (tally->bad_files > 0)
		fprintf(t->out, "Bail out! %zu bad case file%s: nothing ran\n",
		    tally->bad_files, tally->bad_files == 1 ? "" : "s");
	else if (tally->stopped_by != 0)
		fprintf(t->out, "Bail out! stopped by %s; %zu of %zu cases not run\n",
		    case_signal_to_name(tally->stopped_by), tally->cases - tally->started,
		    tally->cases);
	else if (tally->count[CASE_ERROR] > 0)
		fprintf(t->out, "Bail out! %zu case run%s ended in a harness error\n",
		    tally->count[CASE_ERROR], tally->count[CASE_ERROR] == 1 ? "" : "s");
	fflush(t->out);
}
