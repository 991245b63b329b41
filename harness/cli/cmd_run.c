/*
 * cmd_run.c - "closeprobe run": parse every case file, then run each
 * case and print its verdict as the runner returns it; with --json also
 * write every run's JSON object into one document.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caselist.h"
#include "cli.h"
#include "cmd_run.h"
#include "config.h"
#include "interrupt.h"
#include "runner.h"
#include "status.h"

struct run_command {
	struct run_options opt;
	const char *json_path;
};

static void
set_option(void *ctx, int val, const char *arg)
{
	struct run_command *cmd = ctx;

	switch (val) {
	case 'c':
		cmd->opt.captures_dir = arg;
		break;
	case 'j':
		cmd->json_path = arg;
		break;
	case 'n':
		cmd->opt.no_netns = true;
		break;
	}
}

/* How many cases ended how. */
struct tally {
	size_t passed, failed, skipped, errors;
};

static void
tally_add(struct tally *t, enum case_status status)
{
	switch (status) {
	case CASE_PASS:
		t->passed++;
		break;
	case CASE_FAIL:
		t->failed++;
		break;
	case CASE_SKIP:
		t->skipped++;
		break;
	case CASE_ERROR:
		t->errors++;
		break;
	}
}

/* Each run's warning and verdict, in the order they happened. */
static void
print_outcome(const struct runner_outcome *out)
{
	size_t r;

	for (r = 0; r < out->nruns; r++) {
		const struct runner_result *res = &out->runs[r];

		if (res->warning != NULL)
			fprintf(stderr, "closeprobe: %s\n", res->warning);
		if (res->text != NULL)
			fputs(res->text, stdout);
		/* Whoever reads stdout and stderr together sees them in order. */
		fflush(stdout);
	}
}

/* A case's objects, as elements of the document's array ("null" if none). */
static void
write_json_objects(FILE *json, const struct runner_outcome *out, bool first_case)
{
	bool any = false;
	size_t r;

	fputs(first_case ? "\n" : ",\n", json);
	for (r = 0; r < out->nruns; r++) {
		if (out->runs[r].json == NULL)
			continue;
		fprintf(json, "%s%s", any ? ",\n" : "", out->runs[r].json);
		any = true;
	}
	if (!any)
		fputs("null", json);
}

int
cmd_run(int argc, char **argv)
{
	static const struct option options[] = {
		{ "captures", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'j' },
		{ "no-netns", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run_command cmd = { .opt = { .captures_dir = "captures" } };
	struct caselist list = { NULL, 0 };
	struct tally tally = { 0, 0, 0, 0 };
	FILE *json = NULL;
	int first, status, bad = 0, i;
	size_t c;

	first = cli_options(argc, argv, options, set_option, &cmd, &status);
	if (first < 0)
		return status;
	if (first >= argc) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	for (i = first; i < argc; i++)
		if (caselist_add(&list, argv[i]) < 0)
			bad = 1;
	if (bad || caselist_check_names(&list) < 0) {
		caselist_free(&list);
		return EXIT_ERROR;
	}
	/* The JSON usually goes beside the evidence: make the directory now. */
	if (mkdir(cmd.opt.captures_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "closeprobe: cannot create %s: %s\n", cmd.opt.captures_dir,
		    strerror(errno));
		caselist_free(&list);
		return EXIT_ERROR;
	}
	if (cmd.json_path != NULL) {
		json = fopen(cmd.json_path, "w");
		if (json == NULL) {
			fprintf(stderr, "closeprobe: %s: %s\n", cmd.json_path, strerror(errno));
			caselist_free(&list);
			return EXIT_ERROR;
		}
		fprintf(json, "{\"version\":\"%s\",\"cases\":[", PACKAGE_VERSION);
	}
	if (interrupt_catch() < 0) {
		fprintf(stderr, "closeprobe: sigaction: %s\n", strerror(errno));
		if (json != NULL)
			fclose(json);
		caselist_free(&list);
		return EXIT_ERROR;
	}
	for (c = 0; c < list.count && interrupt_signal() == 0; c++) {
		struct runner_outcome out;

		runner_run(list.items[c], &cmd.opt, &out);
		print_outcome(&out);
		tally_add(&tally, out.status);
		if (json != NULL)
			write_json_objects(json, &out, c == 0);
		runner_outcome_free(&out);
	}
	if (json != NULL) {
		fputs("\n]}\n", json);
		if (fclose(json) != 0) {
			fprintf(stderr, "closeprobe: %s: %s\n", cmd.json_path, strerror(errno));
			tally.errors++;
		}
	}
	if (interrupt_signal() != 0) {
		printf("closeprobe: stopped by %s; %zu of %zu cases not run\n",
		    signal_to_name(interrupt_signal()), list.count - c, list.count);
		tally.errors++;
	}
	if (list.count > 1)
		printf("closeprobe: %zu cases: %zu passed, %zu failed, %zu skipped, %zu errors\n",
		    list.count, tally.passed, tally.failed, tally.skipped, tally.errors);
	caselist_free(&list);
	if (tally.errors > 0)
		return EXIT_ERROR;
	if (tally.failed > 0)
		return EXIT_FAIL;
	if (tally.skipped > 0 && tally.passed == 0)
		return EXIT_SKIP;
	return EXIT_PASS;
}
