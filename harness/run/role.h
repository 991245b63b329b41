/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * role.h - running one role's steps on a real socket.
 *
 * role_run() is called in the role's own process (forked by the
 * supervisor) and records everything in the role's ledger.  A socket
 * error that the case provokes (ECONNRESET, EPIPE, ...) is evidence,
 * recorded and not a failure; a step that cannot be carried out (a
 * refused connect, an option the kernel rejects, a deadline) fails the
 * role.
 *
 * The interpreter reaches the other roles and the coordinator only
 * through struct role_io: events to raise and wait for, its ledger to
 * record, the stream offsets its end shares.  It knows nothing of how
 * they travel (shared memory today, see rolelink.h), so the same
 * interpreter could run in another process, on another host or against
 * another socket API behind a byte stream.
 */
#ifndef role_h
#define role_h

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "case.h"
#include "events.h"
#include "ledger.h"
#include "sockapi.h"

#define ROLE_LISTEN_BACKLOG 16	/* the server's listener, wherever it is made */

/* The two byte streams of an end: what its roles sent, what they read. */
enum role_stream {
	ROLE_STREAM_SENT,
	ROLE_STREAM_READ
};

struct role_io {
	void *ctx;
	/* Raise event (an id of the case's event plan). */
	void (*raise)(void *ctx, size_t event);
	/* Wait until event is raised or deadline_ns (CLOCK_MONOTONIC) passes:
	 * 0 raised, ETIMEDOUT, ECANCELED (the case was aborted) or an errno. */
	int (*wait)(void *ctx, size_t event, int64_t deadline_ns);
	/* role's ledger is now this: the coordinator judges what was last
	 * recorded, also after the role was killed. */
	void (*record)(void *ctx, enum role_id role, const struct ledger *ledger);
	/* The offset of end's stream so far, then moved on by n bytes (0: only
	 * read it): the pattern continues whichever role of the end goes next. */
	uint64_t (*stream_advance)(void *ctx, enum role_id end, enum role_stream stream,
	    uint64_t n);
};

/* What every role process of a case starts from. */
struct role_context {
	const struct case_file *cf;
	const struct event_plan *events;	/* which step raises or waits for what */
	const struct role_io *io;
	/* Each end's stack (enum role_id of the end); NULL: the kernel's. */
	const struct sockapi *api[ROLE_ENDS];
	/*
	 * The server's listener, or -1: then the server role makes its own
	 * through its api (socket, bind, listen on server_addr) before its
	 * first step, and writes a byte to server_ready[1] (when >= 0), which
	 * the client reads from server_ready[0] before it connects.
	 */
	int listen_fd;
	int server_ready[2];			/* a pipe; -1: none */
	const struct sockaddr_storage *server_addr;	/* where the client connects */
	socklen_t server_addrlen;
	int64_t case_deadline_ns;		/* CLOCK_MONOTONIC */
	/* Called in a role's process before its first call to a stack other
	 * than the kernel's (a userspace stack starts after the fork): 0, or
	 * -1 with err.  NULL: nothing to start. */
	int (*stack_start)(void *arg, char *err, size_t errlen);
	/* Called in such a role's process as it ends, once it has kept the
	 * stack running as long as it had to (may be NULL). */
	int (*stack_end)(void *arg, char *err, size_t errlen);
	void *stack_arg;
};

/* The stack role's end runs on: ctx->api[end], else the kernel's. */
const struct sockapi *role_api(const struct role_context *ctx, enum role_id role);

/*
 * Whether every step of the roles of end (the role and its child) can
 * run on api, checked before the case runs.  0 when they can; else -1
 * with why: "server step 4 'dup': lwIP's sockets have no dup()".  Also an
 * expectation that needs what api cannot report (POLLRDHUP) counts.
 */
int role_check_api(const struct case_file *cf, enum role_id end, const struct sockapi *api,
    char *why, size_t size);

/*
 * Run role's steps in the calling process, which was forked for it.  A
 * "fork" step forks the role's child, which runs the child role's steps
 * on inherited descriptors and ends with the child's own exit.  Returns 0
 * when every step ran, -1 when one failed (the ledger says why).  An
 * "exit" step ends the process with status 0 at once.
 */
int role_run(const struct role_context *ctx, enum role_id role);

#endif /* role_h */
