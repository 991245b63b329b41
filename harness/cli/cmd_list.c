/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_list.c - "closeprobe list": one row per case, the table README.md
 * shows: the name, the lesson, and what the case expects of Linux (its
 * teardown and outcome expectations, generic or "expect linux:").
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caselist.h"
#include "cli.h"
#include "cmd_list.h"
#include "status.h"

/* The first sentence of the case's opening comment: its lesson. */
static void
print_lesson(const char *summary)
{
	size_t len, i;

	if (summary == NULL) {
		fputs("(no opening comment)", stdout);
		return;
	}
	for (len = 0; summary[len] != '\0'; len++)
		if (summary[len] == '.' && (summary[len + 1] == ' ' || summary[len + 1] == '\0')) {
			len++;
			break;
		}
	/* Keep the table a table. */
	for (i = 0; i < len; i++)
		putchar(summary[i] == '|' ? '/' : summary[i]);
}

static void
print_row(const struct case_file *cf)
{
	bool first = true;
	size_t e;

	printf("| `%s`%s | ", cf->name, cf->family == FAMILY_BOTH ? " (IPv4, IPv6)" :
	    cf->family == FAMILY_6 ? " (IPv6)" : "");
	print_lesson(cf->summary);
	fputs(" | ", stdout);
	for (e = 0; e < cf->nexpects; e++) {
		const struct case_expect *x = &cf->expects[e];

		if (x->kind != EXPECT_TEARDOWN && x->kind != EXPECT_OUTCOME &&
		    x->kind != EXPECT_KILLED)
			continue;
		if (x->system != NULL && strcmp(x->system, "linux") != 0)
			continue;
		printf("%s%s", first ? "" : "; ", x->text);
		first = false;
	}
	fputs(" |\n", stdout);
}

/* The options without a short letter. */
enum list_long_option {
	OPT_ONLY = 256,
	OPT_SKIP
};

static void
list_help(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe list [OPTION...] [CASE-OR-DIR...]\n"
	    "\n"
	    "Parses the case files and prints a Markdown table, one row per case: its\n"
	    "name, what it teaches (the first sentence of its opening comment) and what\n"
	    "it expects on Linux.  Nothing runs.  A CASE-OR-DIR is a case file or a\n"
	    "directory of *.case files; without one, ./cases if the current directory\n"
	    "has it, else the installed cases.\n"
	    "\n"
	    "      --only GLOB  only the cases whose name matches GLOB (given again:\n"
	    "                   those that match either)\n"
	    "      --skip GLOB  not the cases whose name matches GLOB\n"
	    "  -h, --help       this help\n"
	    "\n"
	    "Exit status: 0, 2 bad command line, 99 a bad or missing case file.\n");
}

static int
set_option(void *ctx, int val, const char *arg)
{
	if (caselist_filter_add(ctx, val == OPT_ONLY, arg) < 0) {
		cli_error("out of memory");
		return -1;
	}
	return 0;
}

int
cmd_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct caselist_filter filter = { 0 };
	struct cli_parser parser = { "list", options, list_help, set_option, &filter };
	struct caselist list = { 0 };
	const char *unmatched;
	int first, status, bad = 0, i;
	size_t c;

	first = cli_options(argc, argv, &parser, &status);
	if (first < 0) {
		caselist_filter_free(&filter);
		return status;
	}
	if (first >= argc)
		bad = caselist_add(&list, caselist_default_dir()) < 0;
	for (i = first; i < argc; i++)
		if (caselist_add(&list, argv[i]) < 0)
			bad = 1;
	if (bad) {
		status = EXIT_ERROR;
	} else if (caselist_select(&list, &filter, &unmatched) < 0) {
		status = cli_usage_error("list", "--only '%s' matches no case", unmatched);
	} else {
		fputs("| case | what it teaches | expected on Linux |\n|---|---|---|\n", stdout);
		for (c = 0; c < list.count; c++)
			print_row(list.items[c]);
		status = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_PASS : EXIT_ERROR;
	}
	caselist_free(&list);
	caselist_filter_free(&filter);
	return status;
}
