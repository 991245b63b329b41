/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - the closeprobe command line: which subcommand runs.
 *
 *   closeprobe run [OPTION...] [CASE-OR-DIR...]
 *   closeprobe list [--only GLOB] [--skip GLOB] [CASE-OR-DIR...]
 *   closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...
 *   closeprobe baseline record [-o FILE] RUN.json...
 *   closeprobe compare [--markdown] [--brief] [--ignore GLOB]... BASELINE RUN...
 *   closeprobe draw [--conn N] [-o FILE.svg|-] FILE.pcap
 *   closeprobe help [COMMAND]
 *
 * Each subcommand lives in a file of its own (cmd_*.c); the library they
 * call prints nothing.
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "cmd_analyze.h"
#include "cli.h"
#include "cmd_compare.h"
#include "cmd_draw.h"
#include "cmd_list.h"
#include "cmd_peer.h"
#include "cmd_run.h"
#include "config.h"
#include "platform.h"
#include "status.h"
#include "words.h"

struct command {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help_action;	/* what comes before --help, if anything */
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "run", cmd_run, NULL },
	{ "list", cmd_list, NULL },
	{ "analyze", analyze_main, NULL },
	{ "baseline", baseline_main, "record" },
	{ "compare", compare_main, NULL },
	{ "draw", draw_main, NULL },
	{ "peer", cmd_peer, NULL },
	{ "help", cmd_help, NULL },
};

static const struct command *
find_command(const char *name)
{
	int i = words_find(WORDS(commands), name);

	return i >= 0 ? &commands[i] : NULL;
}

static int
unknown_command(const char *name)
{
	int near = words_nearest(WORDS(commands), name);

	if (near >= 0)
		return cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", name,
		    commands[near].name);
	return cli_usage_error(NULL, "unknown command '%s'", name);
}

/* A command's own help, as "closeprobe COMMAND --help" prints it. */
static int
command_help(const struct command *c)
{
	char *argv[4];
	int argc = 0;

	if (c->main == cmd_help) {
		cli_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_PASS : EXIT_ERROR;
	}
	argv[argc++] = (char *)c->name;
	if (c->help_action != NULL)
		argv[argc++] = (char *)c->help_action;
	argv[argc++] = (char *)"--help";
	argv[argc] = NULL;
	return c->main(argc, argv);
}

/* "closeprobe help [COMMAND]". */
static int
cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc > 2)
		return cli_usage_error("help", "one command at most");
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_PASS : EXIT_ERROR;
	}
	c = find_command(argv[1]);
	return c != NULL ? command_help(c) : unknown_command(argv[1]);
}

/* As tcpdump --version: the program, libpcap, the platform, the licence. */
static int
print_version(void)
{
	struct platform pf;
	char err[256];

	printf("closeprobe %s\n%s\n", PACKAGE_VERSION, pcap_lib_version());
	if (platform_probe(&pf, err, sizeof(err)) == 0) {
		printf("Platform: ");
		platform_write_text(&pf, stdout);
		printf("\n");
	}
	printf("Copyright (c) 2026 The closeprobe authors.\n"
	    "License: BSD-3-Clause (see COPYING): free to use, change and share.\n"
	    "Report bugs to <%s>.\n", PACKAGE_BUGREPORT);
	return fflush(stdout) == 0 ? EXIT_PASS : EXIT_ERROR;
}

static bool
is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int
main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return cli_usage_error(NULL, "no command (run, list, analyze, baseline, "
		    "compare, draw or help)");
	if (is_help(argv[1])) {
		cli_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_PASS : EXIT_ERROR;
	}
	if (strcmp(argv[1], "--version") == 0)
		return print_version();
	if (argv[1][0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", argv[1]);
	c = find_command(argv[1]);
	if (c == NULL)
		return unknown_command(argv[1]);
	/* "closeprobe COMMAND --help" is the command's help, whatever it takes. */
	if (argc == 3 && is_help(argv[2]))
		return command_help(c);
	return c->main(argc - 1, argv + 1);
}
