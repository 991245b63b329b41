/*
 * cli.h - what the subcommands share: the usage text and one option
 * parser (getopt_long) for all of them.
 */
#ifndef cli_h
#define cli_h

#include <getopt.h>
#include <stdio.h>

/* The usage of every subcommand. */
void cli_usage(FILE *out);

/*
 * Parse the options of a subcommand (argv[0] is its name) against
 * options, getopt_long's table, each row's val its short letter.  A row
 * {"help", no_argument, NULL, 'h'} prints the usage on standard output.
 * For every other option, set(ctx, val, optarg) is called.  Returns the
 * index of the first operand, or -1 when the command is over, with
 * *status: EXIT_PASS after --help, EXIT_USAGE after a bad option (the
 * usage went to standard error).
 */
int cli_options(int argc, char **argv, const struct option *options,
    void (*set)(void *ctx, int val, const char *arg), void *ctx, int *status);

#endif /* cli_h */
