/*
 * cli.c - the usage text and the option parser of every subcommand.
 */
#include <string.h>

#include "cli.h"
#include "status.h"

void
cli_usage(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe run [--captures DIR] [--json FILE] [--no-netns] CASE-OR-DIR...\n"
	    "       closeprobe list [CASE-OR-DIR...]\n"
	    "       closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...\n"
	    "       closeprobe baseline record [-o FILE] RUN.json...\n"
	    "       closeprobe compare [--markdown] [--brief] BASELINE RUN...\n"
	    "       closeprobe draw [--conn N] [-o FILE.svg|-] FILE.pcap\n"
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

/* getopt's short option string for a long option table: "c:j:nh". */
static void
short_options(const struct option *options, char *buf, size_t size)
{
	size_t used = 0;

	for (; options->name != NULL && used + 3 < size; options++) {
		buf[used++] = (char)options->val;
		if (options->has_arg == required_argument)
			buf[used++] = ':';
	}
	buf[used] = '\0';
}

int
cli_options(int argc, char **argv, const struct option *options,
    void (*set)(void *ctx, int val, const char *arg), void *ctx, int *status)
{
	char shorts[64];
	int ch;

	short_options(options, shorts, sizeof(shorts));
	while ((ch = getopt_long(argc, argv, shorts, options, NULL)) != -1) {
		if (ch == 'h') {
			cli_usage(stdout);
			*status = EXIT_PASS;
			return -1;
		}
		if (ch <= 0 || ch == '?' || strchr(shorts, ch) == NULL) {
			cli_usage(stderr);
			*status = EXIT_USAGE;
			return -1;
		}
		set(ctx, ch, optarg);
	}
	return optind;
}
