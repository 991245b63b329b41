/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_run.h - "closeprobe run [OPTION...] [CASE-OR-DIR...]" (see
 * "closeprobe run --help").
 */
#ifndef cmd_run_h
#define cmd_run_h

/* argv[0] is "run".  Returns the exit status (enum exit_status). */
int cmd_run(int argc, char **argv);

#endif /* cmd_run_h */
