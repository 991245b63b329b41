/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.c - messages, the program's usage, and the option parser of every
 * subcommand.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "status.h"
#include "words.h"

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);	/* whoever reads both streams together sees them in order */
	fputs("closeprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("closeprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'closeprobe%s%s --help'.\n", command != NULL ? " " : "",
	    command != NULL ? command : "");
	return EXIT_USAGE;
}

/*
 * One line per command, each with every long option it takes: the manual
 * page and the bash completion are checked against these lines
 * (harness/tests/manpages.sh, completion.sh).
 */
void
cli_usage(FILE *out)
{
	fputs("usage: closeprobe run [--brief] [--jobs N] [--repeat N] [--only GLOB] [--skip GLOB] "
	    "[--captures DIR] [--json FILE] [--tap] [--junit FILE] [--html DIR] [--no-netns] "
	    "[--kernel IMAGE] [--modules DIR] [--accel auto|kvm|tcg] [--stack linux|lwip] [CASE-OR-DIR...]\n"
	    "       closeprobe run --peer COMMAND [--peer-role server|client] --peer-addr ADDR "
	    "[--peer-timeout DUR] [OPTION...] [CASE-OR-DIR...]\n"
	    "       closeprobe run --peer-kernel IMAGE [--modules DIR] [--accel auto|kvm|tcg] "
	    "[--peer-timeout DUR] [OPTION...] [CASE-OR-DIR...]\n"
	    "       closeprobe list [--only GLOB] [--skip GLOB] [CASE-OR-DIR...]\n"
	    "       closeprobe peer [--help]\n"
	    "       closeprobe analyze [--json] [--fail-on FLAG[,FLAG]] FILE...\n"
	    "       closeprobe baseline record [-o FILE] RUN.json...\n"
	    "       closeprobe compare [--markdown] [--brief] [--ignore GLOB]... [--html DIR] BASELINE RUN...\n"
	    "       closeprobe draw [--conn N] [-o FILE.svg|-] FILE.pcap\n"
	    "       closeprobe help [COMMAND]\n"
	    "       closeprobe --help | --version\n"
	    "\n"
	    "Runs scripted TCP close cases on the kernel's stack, captures each with\n"
	    "libpcap and says whether closing lost data.  Each command explains itself\n"
	    "and its options: 'closeprobe help run', or 'closeprobe run --help'.\n"
	    "\n"
	    "Exit status: 0 all passed, 1 an expectation failed, 2 bad command line,\n"
	    "77 cannot run here, 99 harness error (a bad or missing case file, a\n"
	    "capture failure, drops, a deadline passed).\n", out);
}

/* getopt's short option string for a long option table: ":c:j:nh" (the
 * ':' first: a missing argument is told apart from an unknown option). */
static void
short_options(const struct option *options, char *buf, size_t size)
{
	size_t used = 0;

	buf[used++] = ':';
	for (; options->name != NULL && used + 3 < size; options++) {
		if (options->val <= 0 || options->val > 255)
			continue;
		buf[used++] = (char)options->val;
		if (options->has_arg == required_argument)
			buf[used++] = ':';
	}
	buf[used] = '\0';
}

static size_t
count_options(const struct option *options)
{
	size_t n = 0;

	while (options[n].name != NULL)
		n++;
	return n;
}

/* "--name" as typed, without "=value", into buf. */
static const char *
typed_long(const char *arg, char *buf, size_t size)
{
	size_t len = strcspn(arg, "=");

	if (len >= size)
		len = size - 1;
	memcpy(buf, arg, len);
	buf[len] = '\0';
	return buf;
}

/*
 * Whether the refused option was the long one in arg: getopt_long names
 * the short letter of a long option too, and leaves optind on a word of
 * short options until its last letter.
 */
static bool
names_long(const struct option *options, const char *arg, int opt)
{
	size_t len = strcspn(arg, "=");

	if (strncmp(arg, "--", 2) != 0 || len <= 2)
		return false;
	for (; options->name != NULL; options++)
		if (options->val == opt && strncmp(options->name, arg + 2, len - 2) == 0)
			return true;
	return false;
}

/* An option getopt_long refused, said in one line.  arg is the word it
 * was in; opt the short letter getopt_long names (for a short option). */
static int
bad_option(const struct cli_parser *p, int ch, int opt, const char *arg)
{
	struct wordset names = { p->options, count_options(p->options), sizeof(p->options[0]) };
	char typed[64];
	const char *name;
	size_t i, matches = 0;
	int near;

	if (opt != 0 && !names_long(p->options, arg, opt))
		return ch == ':' ?
		    cli_usage_error(p->command, "option '-%c' needs an argument", opt) :
		    cli_usage_error(p->command, "unknown option '-%c'", opt);
	name = typed_long(arg, typed, sizeof(typed));
	if (ch == ':')
		return cli_usage_error(p->command, "option '%s' needs an argument", name);
	for (i = 0; i < names.n; i++) {
		if (strcmp(p->options[i].name, name + 2) == 0)
			return cli_usage_error(p->command, "option '%s' takes no argument",
			    name);
		if (strncmp(p->options[i].name, name + 2, strlen(name + 2)) == 0)
			matches++;
	}
	if (matches > 1)
		return cli_usage_error(p->command, "option '%s' is ambiguous", name);
	near = words_nearest(names, name + 2);
	if (near >= 0)
		return cli_usage_error(p->command, "unknown option '%s' (did you mean '--%s'?)",
		    name, p->options[near].name);
	return cli_usage_error(p->command, "unknown option '%s'", name);
}

int
cli_options(int argc, char **argv, const struct cli_parser *p, int *status)
{
	char shorts[64];
	int ch;

	short_options(p->options, shorts, sizeof(shorts));
	opterr = 0;
	optind = 0;	/* GNU: start afresh, as for a new argv */
	while ((ch = getopt_long(argc, argv, shorts, p->options, NULL)) != -1) {
		if (ch == 'h') {
			p->help(stdout);
			*status = fflush(stdout) == 0 ? EXIT_PASS : EXIT_ERROR;
			return -1;
		}
		if (ch == '?' || ch == ':') {
			*status = bad_option(p, ch, optopt, argv[optind - 1]);
			return -1;
		}
		if (p->set(p->ctx, ch, optarg) < 0) {
			*status = EXIT_USAGE;
			return -1;
		}
	}
	return optind;
}

int
cli_number(const char *text, unsigned long min, unsigned long max, unsigned long *value)
{
	char *end;
	unsigned long n;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	n = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*value = n;
	return 0;
}
