/*
 * role.h - running one role's steps on a real socket.
 *
 * role_run() is called in the role's own process (forked by the runner)
 * and records everything in the role's ledger.  A socket error that the
 * case provokes (ECONNRESET, EPIPE, ...) is evidence, recorded and not a
 * failure; a step that cannot be carried out (a refused connect, an
 * option the kernel rejects, a deadline) fails the role.
 */
#ifndef role_h
#define role_h

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "case.h"

struct ledger;
struct event_board;

#define EVENT_NONE SIZE_MAX

struct end_stream;

/*
 * What every role process of a case shares: the case, the board, the
 * ledgers and stream offsets (shared memory), and each role's event ids.
 */
struct role_context {
	const struct case_file *cf;
	struct ledger *ledgers;			/* [ROLE_COUNT] */
	struct end_stream *streams;		/* [ROLE_ENDS] */
	struct event_board *board;
	const size_t *raise_ids[ROLE_COUNT];	/* per step: the event it raises, or EVENT_NONE */
	const size_t *wait_ids[ROLE_COUNT];	/* per step: the event a wait step waits for */
	size_t done_ids[ROLE_COUNT];		/* raised after the last step */
	int listen_fd;				/* the server's listener */
	struct sockaddr_storage server_addr;
	socklen_t server_addrlen;
	int64_t case_deadline_ns;		/* CLOCK_MONOTONIC */
};

/*
 * Run role's steps in the calling process, which the runner forked for
 * it.  A "fork" step forks the role's child, which runs the child role's
 * steps on inherited descriptors and ends with the child's own exit.
 * Returns 0 when every step ran, -1 when one failed (the ledger says why).
 * An "exit" step ends the process with status 0 at once.
 */
int role_run(const struct role_context *ctx, enum role_id role);

#endif /* role_h */
