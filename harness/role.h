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

struct role_context {
	const struct case_file *cf;
	enum role_id role;
	struct ledger *ledger;
	struct event_board *board;
	const size_t *raise_ids;	/* per step: the event it raises, or EVENT_NONE */
	const size_t *wait_ids;		/* per step: the event a wait step waits for */
	size_t done_id;			/* raised after the last step */
	int listen_fd;			/* server: the listener; client: -1 */
	struct sockaddr_storage server_addr;
	socklen_t server_addrlen;
	int64_t case_deadline_ns;	/* CLOCK_MONOTONIC */
};

/* 0 when every step ran; -1 when one failed (the ledger says why). */
int role_run(const struct role_context *ctx);

#endif /* role_h */
