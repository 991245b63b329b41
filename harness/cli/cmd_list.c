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

static void
no_options(void *ctx, int val, const char *arg)
{
	(void)ctx;
	(void)val;
	(void)arg;
}

int
cmd_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct caselist list = { NULL, 0 };
	int first, status, bad = 0, i;
	size_t c;

	first = cli_options(argc, argv, options, no_options, NULL, &status);
	if (first < 0)
		return status;
	if (first >= argc)
		bad = caselist_add(&list, "cases") < 0;
	for (i = first; i < argc; i++)
		if (caselist_add(&list, argv[i]) < 0)
			bad = 1;
	if (bad) {
		caselist_free(&list);
		return EXIT_ERROR;
	}
	fputs("| case | what it teaches | expected on Linux |\n|---|---|---|\n", stdout);
	for (c = 0; c < list.count; c++)
		print_row(list.items[c]);
	caselist_free(&list);
	return EXIT_PASS;
}
