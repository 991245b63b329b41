/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_compare.h - the baseline and compare subcommands (cmd_compare.c).
 * argv[0] is the subcommand's name; each returns an exit status.
 */
#ifndef cmd_compare_h
#define cmd_compare_h

int baseline_main(int argc, char **argv);
int compare_main(int argc, char **argv);

#endif /* cmd_compare_h */
