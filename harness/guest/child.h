/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * child.h - the programs the guest module runs on the host (qemu, ldd):
 * started with chosen descriptors, waited for with a deadline, killed at
 * it, and never outliving closeprobe (they get SIGKILL when it dies).
 */
#ifndef child_h
#define child_h

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define CHILD_NULL_FD (-1)	/* in child_start: /dev/null instead */

/* Milliseconds of CLOCK_MONOTONIC: what every deadline here counts in. */
int64_t child_now_ms(void);

/*
 * Start argv[0] (searched in PATH) with argv, in_fd, out_fd and err_fd as
 * its standard descriptors (CHILD_NULL_FD: /dev/null).  0 with *pid set;
 * -1 with err set, also when the program could not be executed.
 */
int child_start(const char *const argv[], int in_fd, int out_fd, int err_fd, pid_t *pid,
    char *err, size_t errlen);

/*
 * Reap pid, waiting until deadline_ms at most; past it, kill it (SIGKILL)
 * and reap it.  0 when it ended by itself (*wstatus as waitpid gives it),
 * 1 when it was killed at the deadline, -1 with err set when waitpid
 * failed.
 */
int child_wait(pid_t pid, int64_t deadline_ms, int *wstatus, char *err, size_t errlen);

/*
 * Run argv with stdout and stderr read into *output (NUL-terminated, at
 * most max bytes kept), for timeout_ms at most.  0 when it ran to its end
 * (*wstatus set); -1 with err set when it could not start, waitpid failed
 * or it took too long (killed).
 */
int child_capture(const char *const argv[], int64_t timeout_ms, size_t max, char **output,
    int *wstatus, char *err, size_t errlen);

/* "exit 3", "signal 9 (Killed)" */
void child_describe_status(int wstatus, char *out, size_t size);

#endif /* child_h */
