/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwip.h - lwIP, a userspace TCP/IP stack, as a struct sockapi.
 *
 * lwIP runs inside the calling process: a tcpip thread and a thread that
 * reads the TAP device.  So it is started once per process, after any
 * fork() (a forked child would have lwIP's memory and none of its
 * threads), in the network namespace that holds the TAP device, which
 * the caller creates and configures (its host side, e.g. 198.18.0.1/24,
 * up).  lwIP is then a host of its own on the far side of the TAP link:
 * the kernel reaches it at addr through the TAP device, and a capture on
 * that device sees every segment lwIP sends or receives.
 *
 * Built only with --with-lwip (Debian's liblwip-dev, the Unix port).
 */
#ifndef stack_lwip_h
#define stack_lwip_h

#include <stddef.h>

#include "sockapi.h"

/* lwIP's sockets; every call needs stack_lwip_start() first. */
extern const struct sockapi stack_lwip_sockapi;

/*
 * Bring lwIP up on the existing TAP device tap_name, IPv4 only, as
 * addr/netmask with gateway gw (dotted quads).  Sets PRECONFIGURED_TAPIF
 * in the environment (lwIP's TAP driver reads it).  Returns once the
 * stack runs and the interface is up: 0, or -1 with err filled.  Once per
 * process: a second call fails.
 */
int stack_lwip_start(const char *tap_name, const char *addr, const char *netmask,
    const char *gw, char *err, size_t errlen);

/*
 * Take lwIP's interface down: nothing more goes on the wire.  lwIP has
 * no way to end its threads; they end with the process.
 */
void stack_lwip_stop(void);

/*
 * Take lwIP's interface down and keep the TAP link up once this process
 * has ended, until life_fd (the read end of a pipe only the case's
 * coordinator writes to) reads end of file: see struct sockapi_stack.
 * 0, or -1 with err.
 */
int stack_lwip_hold_link(int life_fd, char *err, size_t errlen);

#endif /* stack_lwip_h */
