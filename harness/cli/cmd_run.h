/*
 * cmd_run.h - "closeprobe run [--captures DIR] [--json FILE] [--no-netns]
 * CASE-OR-DIR...".
 */
#ifndef cmd_run_h
#define cmd_run_h

/* argv[0] is "run".  Returns the exit status (enum exit_status). */
int cmd_run(int argc, char **argv);

#endif /* cmd_run_h */
