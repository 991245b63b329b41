/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * interrupt.c - the stop signal: noted, forwarded, never acted on here.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "interrupt.h"

static volatile sig_atomic_t caught;
static volatile sig_atomic_t forward_pid;	/* the case's coordinator, or 0 */

static void
on_stop_signal(int sig)
{
	int saved = errno;

	caught = sig;
	if (forward_pid > 0)
		kill((pid_t)forward_pid, sig);
	errno = saved;
}

int
interrupt_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked poll() returns EINTR and sees the flag. */
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	return 0;
}

int
interrupt_signal(void)
{
	return caught;
}

void
interrupt_forward_to(pid_t pid)
{
	forward_pid = pid;
	/* A signal that came just before the child existed would not reach it. */
	if (pid > 0 && caught != 0)
		kill(pid, caught);
}
