/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * supervise.h - the role processes of one case's run: starting them
 * (each in its end's namespace), collecting them and their children,
 * enforcing the deadline and a stop signal, and saying what each was
 * doing when something went wrong.
 *
 * The supervisor decides nothing about the case: each call returns what
 * it found (an error text), and the runner decides the case's status.
 * The runner drives the loop, so it can read the captures in between:
 *
 *	while (!supervise_over(s)) {
 *		supervise_wait(s, capture_fds, n, ...);	   poll, deadline, signal
 *		... read the captures ...
 *		supervise_collect(s, ...);		   reap, roles gone wrong
 *	}
 */
#ifndef supervise_h
#define supervise_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "role.h"
#include "remote.h"
#include "rolelink.h"
#include "topology.h"

struct supervisor;

/* How a role's process ended. */
struct role_exit {
	bool exited;		/* collected */
	int code;		/* its exit status, when it exited */
	int signal;		/* the signal that killed it, or 0 */
};

/* What the role processes start from. */
struct supervise_roles {
	const struct role_context *ctx;	/* ctx->listen_fd stays with the server only */
	const struct topology *topo;	/* each role runs in its end's namespace */
	const int *private_fds;		/* descriptors no role may hold */
	size_t nprivate_fds;
	/* A role run by a peer (remote.h), not forked here: its end's role
	 * and the events it raises go through the bridge.  NULL: none. */
	struct remote *remote;
	enum role_id remote_role;
};

/* For cf's roles, which record through link; deadline_ns is CLOCK_MONOTONIC.
 * NULL on ENOMEM. */
struct supervisor *supervise_create(const struct case_file *cf, struct rolelink *link,
    int64_t deadline_ns);
void supervise_destroy(struct supervisor *s);

/* Fork the client and server roles (a remote role is started on its peer
 * instead).  0 ok; -1 with errbuf, and whatever was started is killed and
 * collected. */
int supervise_start(struct supervisor *s, const struct supervise_roles *roles,
    char *errbuf, size_t errbuf_size);

/* Has every role ended (or is never going to start)? */
bool supervise_over(struct supervisor *s);

/*
 * Wait until a role may have ended, one of fds is readable, the deadline
 * passes or a stop signal comes.  At the deadline or a signal the roles
 * are killed.  0, or -1 with errbuf saying what went wrong (what each
 * role was doing).
 */
int supervise_wait(struct supervisor *s, const int *fds, size_t nfds, char *errbuf,
    size_t errbuf_size);

/* Collect every process that has ended.  0, or -1 with errbuf when a role
 * ended without finishing its steps (unless the case expects it to be
 * killed): the others are killed then. */
int supervise_collect(struct supervisor *s, char *errbuf, size_t errbuf_size);

/* Abort the waits and kill every role process still running (once). */
void supervise_kill(struct supervisor *s);

/* Did the deadline pass, the roles killed then? */
bool supervise_deadline_passed(const struct supervisor *s);

/* How role's process ended. */
struct role_exit supervise_exit(const struct supervisor *s, enum role_id role);

#endif /* supervise_h */
