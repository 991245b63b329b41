/*
 * runner.h - running one case end to end: a fresh network namespace, the
 * capture, the two roles, the deadline, the sentinel, the classification
 * of the capture, the verdict and the evidence.
 */
#ifndef runner_h
#define runner_h

#include <stdbool.h>

#include "case.h"

struct run_options {
	const char *captures_dir;	/* where evidence goes; created if missing */
	bool no_netns;			/* run in the caller's namespace */
};

/*
 * Run cf in a child process of its own (the namespace and capture end
 * with it).  The verdict paragraph goes to standard output.  Returns the
 * case's exit status (enum exit_status) and, in *json, a malloc'd JSON
 * object describing the run (NULL if it could not be produced).
 */
int runner_run_case(const struct case_file *cf, const struct run_options *opt,
    char **json);

/*
 * Catch SIGINT and SIGTERM for the rest of the run: the case running then
 * is stopped cleanly (its evidence completed), and runner_stop_signal()
 * tells the caller to run no more.  0 ok, -1 with errno.
 */
int runner_catch_stop_signals(void);
int runner_stop_signal(void);		/* the signal caught, or 0 */

#endif /* runner_h */
