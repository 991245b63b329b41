/*
 * analyze.h - "closeprobe analyze": how every TCP connection in any
 * capture closed, with Zeek's conn_state and history, and the loss-risk
 * flags the wire shows.  See docs/analyze.md.
 */
#ifndef analyze_h
#define analyze_h

#include <stdio.h>

/* Exit statuses of "closeprobe analyze". */
enum analyze_status {
	ANALYZE_OK = 0,
	ANALYZE_FLAGGED = 1,		/* --fail-on matched a connection */
	ANALYZE_USAGE = 2,
	ANALYZE_BAD_INPUT = 99		/* what was read is still reported */
};

/*
 * The command: argv[0] is "analyze".  Rows and the summary go to out,
 * messages to err.  Returns an enum analyze_status.
 */
int analyze_run(int argc, char **argv, FILE *out, FILE *err);

/* analyze_run() on stdout and stderr. */
int analyze_main(int argc, char **argv);

#endif /* analyze_h */
