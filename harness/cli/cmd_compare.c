/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_compare.c - "closeprobe baseline record" and "closeprobe compare".
 *
 *   closeprobe baseline record [-o FILE] [--json] RUN.json...
 *   closeprobe compare [--markdown] [--brief] [--html DIR] BASELINE RUN...
 *
 * BASELINE and each RUN may be a baseline file or a run's JSON.  compare
 * exits 0 when every case is the same, 1 when any is changed, new,
 * missing or flaky, 2 on a usage error, 99 when an input cannot be read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cmd_compare.h"
#include "runhtml.h"
#include "status.h"

#define ERRLEN 1024

static void
baseline_usage(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe baseline record [-o FILE] [--json] RUN.json...\n"
	    "\n"
	    "Keeps what each case showed (its signature: teardown, RSTs, outcomes, read\n"
	    "ends, errors, counters that count events) from one or more runs' JSON.  A\n"
	    "field that differs between the runs is recorded as flaky.\n"
	    "\n"
	    "  -o, --output FILE  write the baseline to FILE (default: standard output)\n"
	    "  --json RUN.json    a run to record (the same as an operand)\n");
}

static void
compare_usage(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe compare [--markdown] [--brief] [--ignore GLOB]... [--html DIR]\n"
	    "                          BASELINE RUN...\n"
	    "\n"
	    "Compares each case's signature in RUN (a run's JSON or a baseline) with\n"
	    "BASELINE: same, changed (with each field before and after), new, missing\n"
	    "or flaky.  Byte counts and times are shown, never compared.  With several\n"
	    "RUNs the summary is a matrix of cases by platform.\n"
	    "\n"
	    "  --markdown     the matrix and changes as Markdown\n"
	    "  --html DIR     also write the matrix, with each changed field, as the\n"
	    "                 page DIR/index.html (self-contained, opens from file://)\n"
	    "  --brief        only the cases that are not the same, and the summary\n"
	    "  --ignore GLOB  leave out the fields GLOB matches (fnmatch), by name\n"
	    "                 ('kernel *') or as 'CASE/FAMILY FIELD'; repeatable\n"
	    "\n"
	    "Exit status: 0 every case the same, 1 some differ, 2 usage, 99 bad input.\n");
}

static int
usage_error(const char *command, const char *what)
{
	fprintf(stderr, "closeprobe %s: %s\nTry 'closeprobe %s --help'.\n", command, what, command);
	return EXIT_USAGE;
}

static int
load(const char *path, struct signature_set *set)
{
	char err[ERRLEN];

	if (baseline_load(path, set, err, sizeof(err)) < 0) {
		fprintf(stderr, "closeprobe: %s\n", err);
		return -1;
	}
	return 0;
}

int
baseline_main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct signature_set set;
	const char *output = NULL;
	char **runs;
	size_t nruns = 0;
	FILE *out = stdout;
	int c, status = EXIT_PASS;
	size_t i;

	runs = calloc((size_t)argc + 1, sizeof(*runs));
	if (runs == NULL) {
		fprintf(stderr, "closeprobe: out of memory\n");
		return EXIT_ERROR;
	}
	optind = 1;
	if (argc < 2 || (strcmp(argv[1], "record") != 0 && strcmp(argv[1], "--help") != 0)) {
		free(runs);
		return usage_error("baseline", argc < 2 ? "which? (baseline record ...)" :
		    "unknown action (only 'record')");
	}
	argv++;
	argc--;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'j':
			runs[nruns++] = optarg;
			break;
		case 'h':
			baseline_usage(stdout);
			free(runs);
			return EXIT_PASS;
		default:
			free(runs);
			fprintf(stderr, "Try 'closeprobe baseline --help'.\n");
			return EXIT_USAGE;
		}
	}
	for (; optind < argc; optind++)
		runs[nruns++] = argv[optind];
	if (nruns == 0) {
		free(runs);
		return usage_error("baseline", "no run to record (RUN.json...)");
	}
	signature_set_init(&set);
	for (i = 0; i < nruns && status == EXIT_PASS; i++)
		if (load(runs[i], &set) < 0)
			status = EXIT_ERROR;
	if (status == EXIT_PASS && output != NULL && (out = fopen(output, "w")) == NULL) {
		fprintf(stderr, "closeprobe: %s: %s\n", output, strerror(errno));
		status = EXIT_ERROR;
	}
	if (status == EXIT_PASS) {
		if (baseline_write(&set, out) < 0 || (out != stdout ? fclose(out) : fflush(out)) != 0) {
			fprintf(stderr, "closeprobe: %s: %s\n", output ? output : "(stdout)",
			    strerror(errno));
			status = EXIT_ERROR;
		}
	}
	signature_set_free(&set);
	free(runs);
	return status;
}

static const char *
label_of(const struct signature_set *set, const char *path)
{
	return set->platform != NULL ? set->platform : path;
}

static void
print_comparison(const struct comparison *cmp, bool brief)
{
	size_t i, j;

	for (i = 0; i < cmp->count; i++) {
		const struct compare_result *r = &cmp->results[i];

		if (brief && r->verdict == COMPARE_SAME)
			continue;
		printf("%-8s %s\n", baseline_verdict_name(r->verdict), r->key);
		for (j = 0; j < r->nchanges; j++)
			printf("         %s: %s -> %s\n", r->changes[j].field, r->changes[j].before,
			    r->changes[j].after);
		if (r->nchanges > 0 && (r->info_before != NULL || r->info_after != NULL))
			printf("         (shown, not compared: before %s; after %s)\n",
			    r->info_before ? r->info_before : "-", r->info_after ? r->info_after : "-");
	}
}

static void
print_tally(const char *label, const struct comparison *cmp)
{
	printf("compare: %s: %zu case runs: %zu same, %zu changed, %zu new, %zu missing, %zu flaky\n",
	    label, cmp->count, cmp->tally[COMPARE_SAME], cmp->tally[COMPARE_CHANGED],
	    cmp->tally[COMPARE_NEW], cmp->tally[COMPARE_MISSING], cmp->tally[COMPARE_FLAKY]);
}

/* A table cell's text: '|' would end the cell. */
static void
md_cell(const char *text)
{
	for (; *text != '\0'; text++) {
		if (*text == '|')
			fputc('\\', stdout);
		fputc(*text, stdout);
	}
}

/* The matrix as a page: the baseline's column, then each run's cells
 * with their changed fields.  0, or -1 (said). */
static int
write_html(const char *dir, const char *base_label, const char *const *labels,
    const char *const *paths, const struct comparison *cmps, size_t n)
{
	char err[ERRLEN];
	struct run_html *h = run_html_open(dir, "closeprobe compare", err, sizeof(err));
	char **columns = calloc(n, sizeof(*columns));
	int rc = 0;
	size_t i, j, k;

	if (h == NULL || columns == NULL) {
		fprintf(stderr, "closeprobe: --html: %s\n", h == NULL ? err : "out of memory");
		run_html_free(h);
		free(columns);
		return -1;
	}
	/* A column per RUN: two of one platform are told apart by their file. */
	for (k = 0; k < n && rc == 0; k++) {
		bool twice = strcmp(labels[k], base_label) == 0;

		for (i = 0; i < n && !twice; i++)
			twice = i != k && strcmp(labels[i], labels[k]) == 0;
		if (asprintf(&columns[k], twice ? "%s (%s)" : "%s", labels[k], paths[k]) < 0) {
			columns[k] = NULL;
			rc = -1;
		}
	}
	for (k = 0; k < n && rc == 0; k++)
		for (i = 0; i < cmps[k].count && rc == 0; i++) {
			const struct compare_result *r = &cmps[k].results[i];

			if (r->verdict != COMPARE_NEW &&
			    run_html_matrix_cell(h, r->key, base_label, "baseline") < 0)
				rc = -1;
			if (run_html_matrix_cell(h, r->key, columns[k],
			    baseline_verdict_name(r->verdict)) < 0)
				rc = -1;
			for (j = 0; j < r->nchanges && rc == 0; j++)
				rc = run_html_matrix_change(h, r->key, columns[k], r->changes[j].field,
				    r->changes[j].before, r->changes[j].after);
		}
	if (rc < 0)
		fprintf(stderr, "closeprobe: out of memory\n");
	else if (run_html_write(h, err, sizeof(err)) < 0) {
		fprintf(stderr, "closeprobe: --html: %s\n", err);
		rc = -1;
	}
	for (k = 0; k < n; k++)
		free(columns[k]);
	free(columns);
	run_html_free(h);
	return rc;
}

/* Markdown: a cases x platforms matrix, then each change. */
static void
print_markdown(const char *base_label, const char *const *labels,
    const struct comparison *cmps, size_t n)
{
	const struct comparison *first = &cmps[0];
	size_t i, j, k;

	printf("| case | %s |", base_label);
	for (k = 0; k < n; k++)
		printf(" %s |", labels[k]);
	printf("\n|---|---|");
	for (k = 0; k < n; k++)
		printf("---|");
	printf("\n");
	for (i = 0; i < first->count; i++) {
		printf("| `%s` | baseline |", first->results[i].key);
		for (k = 0; k < n; k++) {
			const struct compare_result *r = NULL;

			for (j = 0; j < cmps[k].count && r == NULL; j++)
				if (strcmp(cmps[k].results[j].key, first->results[i].key) == 0)
					r = &cmps[k].results[j];
			if (r == NULL) {
				printf(" - |");
				continue;
			}
			printf(" %s", baseline_verdict_name(r->verdict));
			for (j = 0; j < r->nchanges; j++)
				printf("%s%s", j ? ", " : ": ", r->changes[j].field);
			printf(" |");
		}
		printf("\n");
	}
	for (k = 0; k < n; k++) {
		bool heading = false;

		for (i = 0; i < cmps[k].count; i++) {
			const struct compare_result *r = &cmps[k].results[i];

			if (r->nchanges == 0)
				continue;
			if (!heading) {
				printf("\n**%s** against **%s**:\n\n| case | field | %s | %s |\n"
				    "|---|---|---|---|\n", labels[k], base_label, base_label, labels[k]);
				heading = true;
			}
			for (j = 0; j < r->nchanges; j++) {
				printf("| `%s` | %s | ", r->key, r->changes[j].field);
				md_cell(r->changes[j].before);
				printf(" | ");
				md_cell(r->changes[j].after);
				printf(" |\n");
			}
		}
	}
}

int
compare_main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "markdown", no_argument, NULL, 'm' },
		{ "brief", no_argument, NULL, 'q' },
		{ "ignore", required_argument, NULL, 'i' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char **ignore = NULL;
	size_t nignore = 0;
	struct signature_set base, *runs = NULL;
	struct comparison *cmps = NULL;
	const char **labels = NULL;
	bool markdown = false, brief = false;
	const char *html_dir = NULL;
	int c, status = EXIT_PASS;
	size_t n = 0, k;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			markdown = true;
			break;
		case 'q':
			brief = true;
			break;
		case 'H':
			html_dir = optarg;
			break;
		case 'i':
			if (ignore == NULL && (ignore = calloc((size_t)argc, sizeof(*ignore))) == NULL) {
				fprintf(stderr, "closeprobe: out of memory\n");
				return EXIT_ERROR;
			}
			ignore[nignore++] = optarg;
			break;
		case 'h':
			free(ignore);
			compare_usage(stdout);
			return EXIT_PASS;
		default:
			free(ignore);
			fprintf(stderr, "Try 'closeprobe compare --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		free(ignore);
		return usage_error("compare", "needs a BASELINE and at least one RUN");
	}
	signature_set_init(&base);
	n = (size_t)(argc - optind - 1);
	runs = calloc(n, sizeof(*runs));
	cmps = calloc(n, sizeof(*cmps));
	labels = calloc(n, sizeof(*labels));
	if (runs == NULL || cmps == NULL || labels == NULL) {
		fprintf(stderr, "closeprobe: out of memory\n");
		status = EXIT_ERROR;
		n = 0;
		goto done;
	}
	if (load(argv[optind], &base) < 0) {
		status = EXIT_ERROR;
		goto done;
	}
	for (k = 0; k < n; k++) {
		signature_set_init(&runs[k]);
		if (load(argv[optind + 1 + (int)k], &runs[k]) < 0 ||
		    baseline_compare(&base, &runs[k], ignore, nignore, &cmps[k]) < 0) {
			status = EXIT_ERROR;
			break;
		}
		labels[k] = label_of(&runs[k], argv[optind + 1 + (int)k]);
		if (cmps[k].tally[COMPARE_SAME] != cmps[k].count)
			status = EXIT_FAIL;
	}
	if (status == EXIT_ERROR)
		goto done;
	if (markdown) {
		print_markdown(label_of(&base, argv[optind]), labels, cmps, n);
	} else {
		for (k = 0; k < n; k++) {
			if (n > 1)
				printf("== %s against %s\n", labels[k], label_of(&base, argv[optind]));
			print_comparison(&cmps[k], brief);
		}
	}
	for (k = 0; k < n; k++)
		print_tally(labels[k], &cmps[k]);
	if (html_dir != NULL && write_html(html_dir, label_of(&base, argv[optind]), labels,
	    (const char *const *)argv + optind + 1, cmps, n) < 0)
		status = EXIT_ERROR;
	if (fflush(stdout) != 0)
		status = EXIT_ERROR;
done:
	for (k = 0; k < n; k++) {
		baseline_comparison_free(&cmps[k]);
		signature_set_free(&runs[k]);
	}
	signature_set_free(&base);
	free(runs);
	free(cmps);
	free(labels);
	free(ignore);
	return status;
}
