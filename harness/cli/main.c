/*
 * main.c - the closeprobe command line.
 *
 *   closeprobe run [--captures DIR] [--json FILE] CASE-OR-DIR...
 *
 * Every case file is parsed before any case runs: a wrong case file never
 * starts a socket.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "case.h"
#include "cmd_compare.h"
#include "config.h"
#include "runner.h"
#include "status.h"

struct case_list {
	struct case_file **items;
	size_t count;
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe run [--captures DIR] [--json FILE] [--no-netns] CASE-OR-DIR...\n"
	    "       closeprobe list [CASE-OR-DIR...]\n"
	    "       closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...\n"
	    "       closeprobe baseline record [-o FILE] RUN.json...\n"
	    "       closeprobe compare [--markdown] [--brief] BASELINE RUN...\n"
	    "       closeprobe --help | --version\n"
	    "\n"
	    "Runs scripted TCP close cases on the kernel's stack, captures each with\n"
	    "libpcap and says whether closing lost data.\n"
	    "\n"
	    "  --captures DIR  where evidence goes (default: captures)\n"
	    "  --json FILE     also write every verdict as JSON to FILE\n"
	    "  --no-netns      run in this network namespace, not a fresh one (loopback\n"
	    "                  cases only; needs the right to capture on lo)\n"
	    "\n"
	    "Exit status: 0 all passed, 1 an expectation failed, 77 cannot run here,\n"
	    "99 harness error (bad case file, capture failure, drops, deadline).\n");
}

static int
list_add(struct case_list *list, struct case_file *cf)
{
	struct case_file **items = realloc(list->items, (list->count + 1) * sizeof(*items));

	if (items == NULL)
		return -1;
	list->items = items;
	items[list->count++] = cf;
	return 0;
}

static void
list_free(struct case_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		case_free(list->items[i]);
	free(list->items);
}

static int
has_case_suffix(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".case") == 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int parse_one(const char *path, struct case_list *list);

/* A directory's *.case files, in name order. */
static int
parse_dir(const char *dir, struct case_list *list)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int bad = 0;

	if (d == NULL) {
		fprintf(stderr, "closeprobe: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char **more;

		if (!has_case_suffix(de->d_name))
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (more == NULL || (more[n] = strdup(de->d_name)) == NULL) {
			free(more != NULL ? more : names);
			closedir(d);
			fprintf(stderr, "closeprobe: out of memory\n");
			return -1;
		}
		names = more;
		n++;
	}
	closedir(d);
	if (n == 0)
		fprintf(stderr, "closeprobe: %s: no .case files\n", dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);

		if (path == NULL) {
			bad = -1;
		} else {
			snprintf(path, len, "%s%s%s", dir,
			    dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
			if (parse_one(path, list) < 0)
				bad = -1;
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return n == 0 ? -1 : bad;
}

static int
parse_one(const char *path, struct case_list *list)
{
	struct case_error err;
	struct case_file *cf;
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return parse_dir(path, list);
	cf = case_parse_file(path, &err);
	if (cf == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	if (list_add(list, cf) < 0) {
		case_free(cf);
		fprintf(stderr, "closeprobe: out of memory\n");
		return -1;
	}
	return 0;
}

/* Two cases with one name would overwrite each other's evidence. */
static int
check_unique_names(const struct case_list *list)
{
	size_t i, j;

	for (i = 0; i < list->count; i++)
		for (j = 0; j < i; j++)
			if (strcmp(list->items[i]->name, list->items[j]->name) == 0) {
				fprintf(stderr, "%s: case name '%s' is already used by %s\n",
				    list->items[i]->path, list->items[i]->name,
				    list->items[j]->path);
				return -1;
			}
	return 0;
}

static int
command_run(int argc, char **argv)
{
	static const struct option options[] = {
		{ "captures", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'j' },
		{ "no-netns", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run_options opt = { .captures_dir = "captures" };
	const char *json_path = NULL;
	struct case_list list = { NULL, 0 };
	size_t passed = 0, failed = 0, skipped = 0, errors = 0, i;
	FILE *json = NULL;
	int ch, bad = 0;

	while ((ch = getopt_long(argc, argv, "c:j:nh", options, NULL)) != -1) {
		switch (ch) {
		case 'c':
			opt.captures_dir = optarg;
			break;
		case 'j':
			json_path = optarg;
			break;
		case 'n':
			opt.no_netns = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (; optind < argc; optind++)
		if (parse_one(argv[optind], &list) < 0)
			bad = 1;
	if (bad || check_unique_names(&list) < 0) {
		list_free(&list);
		return EXIT_ERROR;
	}
	/* The JSON usually goes beside the evidence: make the directory now. */
	if (mkdir(opt.captures_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "closeprobe: cannot create %s: %s\n", opt.captures_dir,
		    strerror(errno));
		list_free(&list);
		return EXIT_ERROR;
	}
	if (json_path != NULL) {
		json = fopen(json_path, "w");
		if (json == NULL) {
			fprintf(stderr, "closeprobe: %s: %s\n", json_path, strerror(errno));
			list_free(&list);
			return EXIT_ERROR;
		}
		fprintf(json, "{\"version\":\"%s\",\"cases\":[", PACKAGE_VERSION);
	}
	if (runner_catch_stop_signals() < 0) {
		fprintf(stderr, "closeprobe: sigaction: %s\n", strerror(errno));
		list_free(&list);
		return EXIT_ERROR;
	}
	for (i = 0; i < list.count && runner_stop_signal() == 0; i++) {
		char *object = NULL;
		int status = runner_run_case(list.items[i], &opt, &object);

		switch (status) {
		case EXIT_PASS:
			passed++;
			break;
		case EXIT_FAIL:
			failed++;
			break;
		case EXIT_SKIP:
			skipped++;
			break;
		default:
			errors++;
			break;
		}
		if (json != NULL)
			fprintf(json, "%s\n%s", i > 0 ? "," : "",
			    object != NULL ? object : "null");
		free(object);
	}
	if (json != NULL) {
		fprintf(json, "\n]}\n");
		if (fclose(json) != 0) {
			fprintf(stderr, "closeprobe: %s: %s\n", json_path, strerror(errno));
			errors++;
		}
	}
	if (runner_stop_signal() != 0) {
		printf("closeprobe: stopped by %s; %zu of %zu cases not run\n",
		    signal_to_name(runner_stop_signal()), list.count - i, list.count);
		errors++;
	}
	if (list.count > 1)
		printf("closeprobe: %zu cases: %zu passed, %zu failed, %zu skipped, %zu errors\n",
		    list.count, passed, failed, skipped, errors);
	list_free(&list);
	if (errors > 0)
		return EXIT_ERROR;
	if (failed > 0)
		return EXIT_FAIL;
	if (skipped > 0 && passed == 0)
		return EXIT_SKIP;
	return EXIT_PASS;
}

/* The first sentence of the case's opening comment: its lesson. */
static void
print_lesson(const char *summary)
{
	size_t len;

	if (summary == NULL) {
		printf("(no opening comment)");
		return;
	}
	for (len = 0; summary[len] != '\0'; len++)
		if (summary[len] == '.' && (summary[len + 1] == ' ' || summary[len + 1] == '\0')) {
			len++;
			break;
		}
	/* Keep the table a table. */
	for (size_t i = 0; i < len; i++)
		putchar(summary[i] == '|' ? '/' : summary[i]);
}

/*
 * closeprobe list: one row per case, the table README.md shows: the name,
 * the lesson, and what the case expects of Linux (its teardown and outcome
 * expectations, generic or "expect linux:").
 */
static int
command_list(int argc, char **argv)
{
	struct case_list list = { NULL, 0 };
	int bad = 0, i;
	size_t c, e;

	if (argc < 2)
		bad = parse_one("cases", &list) < 0;
	for (i = 1; i < argc; i++)
		if (parse_one(argv[i], &list) < 0)
			bad = 1;
	if (bad) {
		list_free(&list);
		return EXIT_ERROR;
	}
	printf("| case | what it teaches | expected on Linux |\n|---|---|---|\n");
	for (c = 0; c < list.count; c++) {
		const struct case_file *cf = list.items[c];
		bool first = true;

		printf("| `%s`%s | ", cf->name, cf->family == FAMILY_BOTH ? " (IPv4, IPv6)" :
		    cf->family == FAMILY_6 ? " (IPv6)" : "");
		print_lesson(cf->summary);
		printf(" | ");
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
		printf(" |\n");
	}
	list_free(&list);
	return EXIT_PASS;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("closeprobe %s\n", PACKAGE_VERSION);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "run") == 0)
		return command_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "analyze") == 0)
		return analyze_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return command_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "baseline") == 0)
		return baseline_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "compare") == 0)
		return compare_main(argc - 1, argv + 1);
	fprintf(stderr, "closeprobe: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
