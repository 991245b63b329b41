/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * interrupt.h - SIGINT and SIGTERM stop a run cleanly.
 *
 * closeprobe catches them and forwards them to the running case's
 * coordinator, which catches them too (it inherits the handler): its
 * supervisor then stops the roles, the capture is completed and flushed,
 * the case reports, and closeprobe runs no further case.
 */
#ifndef interrupt_h
#define interrupt_h

#include <sys/types.h>

/* Catch SIGINT and SIGTERM for the rest of the process.  0 ok, -1 with errno. */
int interrupt_catch(void);

/* The signal caught, or 0. */
int interrupt_signal(void);

/* Forward a signal caught from now on to pid (0: to nobody).  A signal
 * caught before is forwarded at once. */
void interrupt_forward_to(pid_t pid);

#endif /* interrupt_h */
