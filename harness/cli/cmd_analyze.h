/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_analyze.h - "closeprobe analyze [--json] [--fail-on FLAG[,FLAG]]
 * FILE...": the command line over the analyze library (analyze.h).
 */
#ifndef cmd_analyze_h
#define cmd_analyze_h

#include <stdio.h>

/*
 * The command: argv[0] is "analyze"; options may come before or after
 * the files.  Rows and the summary go to out, messages to err.  Returns
 * an enum analyze_status (the exit status).
 */
int cmd_analyze_run(int argc, char **argv, FILE *out, FILE *err);

/* cmd_analyze_run() on stdout and stderr. */
int analyze_main(int argc, char **argv);

#endif /* cmd_analyze_h */
