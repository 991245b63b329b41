/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tally.c - counting case runs, naming what did not pass or not run.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonout.h"
#include "signature.h"
#include "status.h"
#include "strbuf.h"
#include "symbols.h"
#include "tally.h"

static const char *const status_names[TALLY_STATUSES] = {
	[CASE_PASS] = "PASS",
	[CASE_FAIL] = "FAIL",
	[CASE_SKIP] = "SKIP",
	[CASE_ERROR] = "ERROR",
	[CASE_UNSUPPORTED] = "UNSUPPORTED",
};

/* How the text and the JSON say each count. */
static const char *const count_words[TALLY_STATUSES] = {
	[CASE_PASS] = "passed",
	[CASE_FAIL] = "failed",
	[CASE_SKIP] = "skipped",
	[CASE_ERROR] = "errors",
	[CASE_UNSUPPORTED] = "unsupported",
};

/* The order the counts are said in; UNSUPPORTED only when there are some. */
static const enum case_status count_order[TALLY_STATUSES] = {
	CASE_PASS, CASE_FAIL, CASE_SKIP, CASE_UNSUPPORTED, CASE_ERROR
};

const char *
tally_status_name(enum case_status status)
{
	return (unsigned)status < TALLY_STATUSES ? status_names[status] : "ERROR";
}

void
tally_init(struct tally *t, size_t cases)
{
	memset(t, 0, sizeof(*t));
	t->cases = cases;
}

static size_t
names_count(char *const *names)
{
	size_t n = 0;

	while (names != NULL && names[n] != NULL)
		n++;
	return n;
}

/* Append a copy of name to the NULL-terminated array *names. */
static void
names_add(struct tally *t, char ***names, const char *name)
{
	size_t n = names_count(*names);
	char **more = realloc(*names, (n + 2) * sizeof(*more));

	if (more == NULL || (more[n] = strdup(name)) == NULL) {
		if (more != NULL) {
			more[n] = NULL;
			*names = more;
		}
		t->failed = true;
		return;
	}
	more[n + 1] = NULL;
	*names = more;
}

static void
names_free(char **names)
{
	size_t i;

	for (i = 0; names != NULL && names[i] != NULL; i++)
		free(names[i]);
	free(names);
}

void
tally_add(struct tally *t, enum case_status status, const char *label)
{
	if ((unsigned)status >= TALLY_STATUSES)
		status = CASE_ERROR;
	t->runs++;
	t->count[status]++;
	if (status != CASE_PASS)
		names_add(t, &t->labels[status], label);
}

void
tally_not_run(struct tally *t, const char *name)
{
	names_add(t, &t->not_run, name);
}

int
tally_exit_status(const struct tally *t)
{
	if (t->count[CASE_ERROR] > 0 || t->bad_files > 0 || t->stopped_by != 0 ||
	    names_count(t->not_run) > 0)
		return EXIT_ERROR;
	if (t->count[CASE_FAIL] > 0)
		return EXIT_FAIL;
	if (t->count[CASE_SKIP] + t->count[CASE_UNSUPPORTED] > 0 && t->count[CASE_PASS] == 0)
		return EXIT_SKIP;
	return EXIT_PASS;
}

bool
tally_worth_saying(const struct tally *t)
{
	return t->runs > 1 || names_count(t->not_run) > 0;
}

static void
write_names(FILE *out, const char *what, char *const *names)
{
	size_t i;

	if (names == NULL || names[0] == NULL)
		return;
	fprintf(out, "; %s: ", what);
	for (i = 0; names[i] != NULL; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : "", names[i]);
}

void
tally_write_text(const struct tally *t, FILE *out)
{
	int i;

	fprintf(out, "closeprobe: %zu case run%s of %zu case%s:", t->runs, t->runs == 1 ? "" : "s",
	    t->cases, t->cases == 1 ? "" : "s");
	for (i = 0; i < TALLY_STATUSES; i++) {
		enum case_status s = count_order[i];

		if (s == CASE_UNSUPPORTED && t->count[s] == 0)
			continue;
		fprintf(out, "%s %zu %s", i > 0 ? "," : "", t->count[s], count_words[s]);
	}
	write_names(out, "failed", t->labels[CASE_FAIL]);
	write_names(out, "errors", t->labels[CASE_ERROR]);
	write_names(out, "skipped", t->labels[CASE_SKIP]);
	write_names(out, "unsupported", t->labels[CASE_UNSUPPORTED]);
	write_names(out, "not run", t->not_run);
	fputc('\n', out);
}

static void
write_json_names(FILE *out, const char *key, char *const *names)
{
	size_t i;

	fprintf(out, ",\"%s\":[", key);
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		if (i > 0)
			fputc(',', out);
		jsonout_string(out, names[i]);
	}
	fputc(']', out);
}

void
tally_write_json(const struct tally *t, FILE *out)
{
	size_t i;
	int s;

	fprintf(out, "{\"cases\":%zu,\"case_runs\":%zu", t->cases, t->runs);
	for (s = 0; s < TALLY_STATUSES; s++)
		fprintf(out, ",\"%s\":%zu", count_words[s], t->count[s]);
	fprintf(out, ",\"bad_files\":%zu,\"not_run\":%zu", t->bad_files,
	    names_count(t->not_run));
	write_json_names(out, "failed_runs", t->labels[CASE_FAIL]);
	write_json_names(out, "error_runs", t->labels[CASE_ERROR]);
	write_json_names(out, "skipped_runs", t->labels[CASE_SKIP]);
	write_json_names(out, "unsupported_runs", t->labels[CASE_UNSUPPORTED]);
	write_json_names(out, "not_run_cases", t->not_run);
	fputs(",\"stopped_by\":", out);
	if (t->stopped_by != 0)
		jsonout_string(out, case_signal_to_name(t->stopped_by));
	else
		fputs("null", out);
	fputs(",\"flaky\":[", out);
	for (i = 0; i < t->nflaky; i++) {
		const struct tally_flaky *f = &t->flaky[i];
		size_t v;

		fprintf(out, "%s{\"case\":", i > 0 ? "," : "");
		jsonout_string(out, f->key);
		fputs(",\"field\":", out);
		jsonout_string(out, f->field);
		fputs(",\"values\":[", out);
		for (v = 0; v < f->nvalues; v++) {
			if (v > 0)
				fputc(',', out);
			jsonout_string(out, f->values[v]);
		}
		fprintf(out, "],\"more\":%s}", f->more ? "true" : "false");
	}
	fprintf(out, "],\"exit_status\":%d}", tally_exit_status(t));
}

static void
flaky_free(struct tally_flaky *f)
{
	size_t v;

	free(f->key);
	free(f->field);
	for (v = 0; v < f->nvalues; v++)
		free(f->values[v]);
	free(f->values);
}

/* Keep one flaky field of c.  0, or -1 out of memory. */
static int
flaky_keep(struct tally *t, const struct signature_case *c, const struct signature_field *sf)
{
	struct tally_flaky *grown, *f;
	size_t v;

	grown = realloc(t->flaky, (t->nflaky + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	t->flaky = grown;
	f = &t->flaky[t->nflaky];
	memset(f, 0, sizeof(*f));
	f->key = strdup(c->key);
	f->field = strdup(sf->name);
	f->values = calloc(sf->nvalues, sizeof(*f->values));
	f->more = sf->more;
	if (f->key == NULL || f->field == NULL || f->values == NULL) {
		flaky_free(f);
		return -1;
	}
	for (v = 0; v < sf->nvalues; v++) {
		if ((f->values[v] = strdup(sf->values[v])) == NULL) {
			flaky_free(f);
			return -1;
		}
		f->nvalues++;
	}
	t->nflaky++;
	return 0;
}

int
tally_find_flaky(struct tally *t, char *const *records, size_t n, char *err, size_t errlen)
{
	struct signature_set set;
	struct json_value *doc = NULL;
	struct strbuf sb;
	char *text;
	size_t i, c, f;
	int rc = -1;

	/* The records as the run document holds them: signature_add_run()
	 * folds the runs of one case (one key) into one signature. */
	strbuf_init(&sb);
	strbuf_adds(&sb, "{\"cases\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addc(&sb, ',');
		strbuf_adds(&sb, records[i] != NULL ? records[i] : "null");
	}
	strbuf_adds(&sb, "]}");
	if ((text = strbuf_finish(&sb)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	signature_set_init(&set);
	if (json_parse(text, strlen(text), &doc, err, errlen) < 0 ||
	    signature_add_run(&set, doc, err, errlen) < 0)
		goto out;
	for (c = 0; c < set.ncases; c++)
		for (f = 0; f < set.cases[c].nfields; f++)
			if (signature_field_flaky(&set.cases[c].fields[f]) &&
			    flaky_keep(t, &set.cases[c], &set.cases[c].fields[f]) < 0) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
	rc = 0;
out:
	json_free(doc);
	signature_set_free(&set);
	free(text);
	return rc;
}

void
tally_write_flaky(const struct tally *t, FILE *out)
{
	size_t i, v;

	for (i = 0; i < t->nflaky; i++) {
		const struct tally_flaky *f = &t->flaky[i];

		fprintf(out, "flaky: %s %s: ", f->key, f->field);
		for (v = 0; v < f->nvalues; v++)
			fprintf(out, "%s%s", v > 0 ? " | " : "", f->values[v]);
		fputs(f->more ? " | ...\n" : "\n", out);
	}
}

void
tally_free(struct tally *t)
{
	size_t i;
	int s;

	for (i = 0; i < t->nflaky; i++)
		flaky_free(&t->flaky[i]);
	free(t->flaky);

	for (s = 0; s < TALLY_STATUSES; s++)
		names_free(t->labels[s]);
	names_free(t->not_run);
	memset(t, 0, sizeof(*t));
}
