/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_list.h - "closeprobe list [--only GLOB] [--skip GLOB] [CASE-OR-DIR...]".
 */
#ifndef cmd_list_h
#define cmd_list_h

/* argv[0] is "list".  Returns the exit status (enum exit_status). */
int cmd_list(int argc, char **argv);

#endif /* cmd_list_h */
