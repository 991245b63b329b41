/*
 * main.c - the closeprobe command line: which subcommand runs.
 *
 *   closeprobe run [--captures DIR] [--json FILE] [--no-netns] CASE-OR-DIR...
 *   closeprobe list [CASE-OR-DIR...]
 *   closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...
 *   closeprobe baseline record [-o FILE] RUN.json...
 *   closeprobe compare [--markdown] [--brief] BASELINE RUN...
 *   closeprobe draw [--conn N] [-o FILE.svg|-] FILE.pcap
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
#include "cmd_run.h"
#include "config.h"
#include "platform.h"
#include "status.h"

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
	if (strcmp(argv[1], "--version") == 0)
		return print_version();
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "analyze") == 0)
		return analyze_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "baseline") == 0)
		return baseline_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "compare") == 0)
		return compare_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "draw") == 0)
		return draw_main(argc - 1, argv + 1);
	fprintf(stderr, "closeprobe: unknown command '%s'\n", argv[1]);
	cli_usage(stderr);
	return EXIT_USAGE;
}
