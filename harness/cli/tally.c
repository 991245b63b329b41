/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tally.c - counting case runs, naming what did not pass or not run.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "status.h"
#include "symbols.h"
#include "tally.h"

static const char *const status_names[TALLY_STATUSES] = {
	[CASE_PASS] = "PASS",
	[CASE_FAIL] = "FAIL",
	[CASE_SKIP] = "SKIP",
	[CASE_ERROR] = "ERROR",
};

/* How the text and the JSON say each count. */
static const char *const count_words[TALLY_STATUSES] = {
	[CASE_PASS] = "passed",
	[CASE_FAIL] = "failed",
	[CASE_SKIP] = "skipped",
	[CASE_ERROR] = "errors",
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
	if (t->count[CASE_SKIP] > 0 && t->count[CASE_PASS] == 0)
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
	int s;

	fprintf(out, "closeprobe: %zu case run%s of %zu case%s:", t->runs, t->runs == 1 ? "" : "s",
	    t->cases, t->cases == 1 ? "" : "s");
	for (s = 0; s < TALLY_STATUSES; s++)
		fprintf(out, "%s %zu %s", s > 0 ? "," : "", t->count[s], count_words[s]);
	write_names(out, "failed", t->labels[CASE_FAIL]);
	write_names(out, "errors", t->labels[CASE_ERROR]);
	write_names(out, "skipped", t->labels[CASE_SKIP]);
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
	int s;

	fprintf(out, "{\"cases\":%zu,\"case_runs\":%zu", t->cases, t->runs);
	for (s = 0; s < TALLY_STATUSES; s++)
		fprintf(out, ",\"%s\":%zu", count_words[s], t->count[s]);
	fprintf(out, ",\"bad_files\":%zu,\"not_run\":%zu", t->bad_files,
	    names_count(t->not_run));
	write_json_names(out, "failed_runs", t->labels[CASE_FAIL]);
	write_json_names(out, "error_runs", t->labels[CASE_ERROR]);
	write_json_names(out, "skipped_runs", t->labels[CASE_SKIP]);
	write_json_names(out, "not_run_cases", t->not_run);
	fputs(",\"stopped_by\":", out);
	if (t->stopped_by != 0)
		jsonout_string(out, case_signal_to_name(t->stopped_by));
	else
		fputs("null", out);
	fprintf(out, ",\"exit_status\":%d}", tally_exit_status(t));
}

void
tally_free(struct tally *t)
{
	int s;

	for (s = 0; s < TALLY_STATUSES; s++)
		names_free(t->labels[s]);
	names_free(t->not_run);
	memset(t, 0, sizeof(*t));
}
