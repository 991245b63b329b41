/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - what the subcommands share: the one way messages are written,
 * the usage of the whole program, and one option parser (getopt_long)
 * for every subcommand.
 *
 * Every message starts "closeprobe: " ("closeprobe: FILE: what"), except
 * the diagnostics of a case file, which are "FILE:LINE:COL: what" as a
 * compiler's are, for editors to jump to.  A bad command line is one
 * line, then "Try 'closeprobe COMMAND --help'.", and exit status 2.
 */
#ifndef cli_h
#define cli_h

#include <getopt.h>
#include <stdio.h>

/* "closeprobe: " and the message, on standard error. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A bad command line: "closeprobe: " and the message, then "Try
 * 'closeprobe[ COMMAND] --help'." (command NULL: the program's own).
 * Returns EXIT_USAGE.
 */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The program's usage: a line per command, then how to learn more. */
void cli_usage(FILE *out);

/*
 * How to parse one subcommand's options.  options is getopt_long's
 * table, closed by a row of zeros; each row's val is its short letter
 * (a long-only option uses a value above 255).  The row
 * {"help", no_argument, NULL, 'h'} prints help() on standard output.
 * For every other option set(ctx, val, optarg) is called: 0, or -1 when
 * the argument is bad (set() said so with cli_usage_error()).
 */
struct cli_parser {
	const char *command;		/* "run" */
	const struct option *options;
	void (*help)(FILE *out);
	int (*set)(void *ctx, int val, const char *arg);
	void *ctx;
};

/*
 * Parse argv (argv[0] is the subcommand's name).  Options may come
 * before or after the operands; "--" ends them.  Returns the index of
 * the first operand (getopt_long moved the operands to the end), or -1
 * when the command is over, with *status: EXIT_PASS after --help,
 * EXIT_USAGE after a bad option (said on standard error).
 */
int cli_options(int argc, char **argv, const struct cli_parser *p, int *status);

/* A number of at least min and at most max, whole, decimal: 0 and *value,
 * or -1. */
int cli_number(const char *text, unsigned long min, unsigned long max,
    unsigned long *value);

#endif /* cli_h */
