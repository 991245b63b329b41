/*
 * main.c - the closeprobe command line: which subcommand runs.
 *
 *   closeprobe run [--captures DIR] [--json FILE] [--no-netns] CASE-OR-DIR...
 *   closeprobe list [CASE-OR-DIR...]
 *   closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...
 *
 * Each subcommand lives in a file of its own (cmd_*.c); the library they
 * call prints nothing.
 */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "cmd_list.h"
#include "cmd_run.h"
#include "config.h"
#include "status.h"

int
main(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("closeprobe %s\n", PACKAGE_VERSION);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "analyze") == 0)
		return analyze_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	fprintf(stderr, "closeprobe: unknown command '%s'\n", argv[1]);
	cli_usage(stderr);
	return EXIT_USAGE;
}
