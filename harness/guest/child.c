/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * child.c - fork, exec, bounded waits.
 *
 * fork() rather than posix_spawn(): the child must ask for SIGKILL on its
 * parent's death (prctl) before exec, so that a closeprobe killed with
 * SIGKILL leaves no qemu behind.  Whether exec worked comes back through a
 * close-on-exec pipe: nothing (EOF) means it did, an errno means it did not.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

#define REAP_POLL_MS 5		/* how often a bounded wait looks again */
#define KILL_REAP_MS 5000	/* how long a killed child may take to go */

int64_t
child_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void
child_exec(const char *const argv[], int in_fd, int out_fd, int err_fd, pid_t parent,
    int report_fd)
{
	int fds[3] = { in_fd, out_fd, err_fd }, i, null_fd, saved;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		goto fail;
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		goto fail;
	for (i = 0; i < 3; i++) {
		int from = fds[i] == CHILD_NULL_FD ? null_fd : fds[i];

		if (dup2(from, i) < 0)
			goto fail;
	}
	execvp(argv[0], (char *const *)argv);
fail:
	saved = errno;
	if (write(report_fd, &saved, sizeof(saved)) < 0)
		_exit(127);
	_exit(127);
}

int
child_start(const char *const argv[], int in_fd, int out_fd, int err_fd, pid_t *pid,
    char *err, size_t errlen)
{
	pid_t parent = getpid(), child;
	int report[2], child_errno = 0, wstatus;
	ssize_t n;

	if (pipe2(report, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		snprintf(err, errlen, "fork for %s: %s", argv[0], strerror(errno));
		close(report[0]);
		close(report[1]);
		return -1;
	}
	if (child == 0)
		child_exec(argv, in_fd, out_fd, err_fd, parent, report[1]);
	close(report[1]);
	do
		n = read(report[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == 0) {
		*pid = child;
		return 0;
	}
	while (waitpid(child, &wstatus, 0) < 0 && errno == EINTR)
		;
	snprintf(err, errlen, "cannot run %s: %s", argv[0],
	    n == (ssize_t)sizeof(child_errno) ? strerror(child_errno) : "it failed before exec");
	return -1;
}

/* Reap pid until deadline_ms: 1 reaped, 0 not yet, -1 waitpid failed. */
static int
reap_until(pid_t pid, int64_t deadline_ms, int *wstatus, char *err, size_t errlen)
{
	for (;;) {
		pid_t got = waitpid(pid, wstatus, WNOHANG);

		if (got == pid)
			return 1;
		if (got < 0 && errno != EINTR) {
			snprintf(err, errlen, "waitpid %ld: %s", (long)pid, strerror(errno));
			return -1;
		}
		if (child_now_ms() >= deadline_ms)
			return 0;
		sleep_ms(REAP_POLL_MS);
	}
}

int
child_wait(pid_t pid, int64_t deadline_ms, int *wstatus, char *err, size_t errlen)
{
	int rc = reap_until(pid, deadline_ms, wstatus, err, errlen);

	if (rc != 0)
		return rc > 0 ? 0 : -1;
	if (kill(pid, SIGKILL) < 0 && errno != ESRCH) {
		snprintf(err, errlen, "kill %ld: %s", (long)pid, strerror(errno));
		return -1;
	}
	/* SIGKILL cannot be caught; only a process stuck in the kernel (D
	 * state) takes long, and then it is still bounded. */
	rc = reap_until(pid, child_now_ms() + KILL_REAP_MS, wstatus, err, errlen);
	if (rc == 0)
		snprintf(err, errlen, "process %ld did not end within %d ms of SIGKILL", (long)pid,
		    KILL_REAP_MS);
	return rc > 0 ? 1 : -1;
}

void
child_describe_status(int wstatus, char *out, size_t size)
{
	if (WIFEXITED(wstatus))
		snprintf(out, size, "exit %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(out, size, "signal %d (%s)", WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	else
		snprintf(out, size, "wait status %#x", (unsigned)wstatus);
}

/* Read fd until EOF or deadline_ms, keeping the first max bytes. */
static int
read_until(int fd, int64_t deadline_ms, size_t max, char *buf, size_t *len)
{
	char scratch[4096];

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline_ms - child_now_ms();
		ssize_t n;
		int rc;

		if (left <= 0)
			return -1;
		rc = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (rc < 0 && errno != EINTR)
			return -1;
		if (rc <= 0)
			continue;
		n = read(fd, scratch, sizeof(scratch));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (*len < max) {
			size_t take = max - *len < (size_t)n ? max - *len : (size_t)n;

			memcpy(buf + *len, scratch, take);
			*len += take;
		}
	}
}

int
child_capture(const char *const argv[], int64_t timeout_ms, size_t max, char **output,
    int *wstatus, char *err, size_t errlen)
{
	int64_t deadline = child_now_ms() + timeout_ms;
	char *buf = malloc(max + 1);
	size_t len = 0;
	int out[2], rc, waited;
	pid_t pid;

	*output = NULL;
	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(buf);
		return -1;
	}
	if (child_start(argv, CHILD_NULL_FD, out[1], out[1], &pid, err, errlen) < 0) {
		close(out[0]);
		close(out[1]);
		free(buf);
		return -1;
	}
	close(out[1]);
	rc = read_until(out[0], deadline, max, buf, &len);
	close(out[0]);
	waited = child_wait(pid, rc < 0 ? 0 : deadline, wstatus, err, errlen);
	if (waited != 0 || rc < 0) {
		if (waited >= 0)
			snprintf(err, errlen, "%s took more than %lld ms; killed", argv[0],
			    (long long)timeout_ms);
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*output = buf;
	return 0;
}
