/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ledger.h - what one role's application did and saw, as the application
 * saw it: bytes each send() accepted, bytes recv() returned, how the read
 * loop ended, SO_ERROR, the socket queues and the time close() took.
 *
 * A role keeps its ledger in its own memory and records it (see role.h,
 * struct role_io) for the case's coordinator, which reads it after the
 * role has exited, or when the deadline passes.  It holds no pointers:
 * it is copied as it is, between processes.
 */
#ifndef ledger_h
#define ledger_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"

#define LEDGER_SEND_RUNS 32
#define LEDGER_ERROR_SIZE 512
/* A record per step: the language allows no more steps in a role. */
#define LEDGER_STEPS CASE_ROLE_STEPS_MAX

/* Consecutive send() calls with the same kind of result, run-length coded. */
struct send_run {
	int error;		/* 0: the calls accepted bytes; else their errno */
	uint64_t calls;
	uint64_t bytes;		/* accepted by those calls */
};

/* SIOCINQ / SIOCOUTQ / SIOCOUTQNSD at one moment. */
struct queue_snapshot {
	bool valid;
	uint64_t unread;	/* SIOCINQ */
	uint64_t unacked;	/* SIOCOUTQ: unacknowledged, sent or not */
	uint64_t unsent;	/* SIOCOUTQNSD: not yet sent */
};

/* A timed teardown call: close() or shutdown(). */
struct teardown_call {
	bool done;
	int rc;
	int error;		/* errno when rc < 0 */
	uint64_t duration_ns;
	int64_t at_ns;		/* CLOCK_MONOTONIC when it started */
	struct queue_snapshot before;
};

/* What a single read returned: bytes, EOF or an errno. */
enum read_result_kind {
	READ_RESULT_NONE,	/* not observed */
	READ_RESULT_DATA,
	READ_RESULT_EOF,
	READ_RESULT_ERROR,
	READ_RESULT_WOULD_BLOCK,	/* EAGAIN on the follow-up read */
	READ_RESULT_TIMEOUT	/* the read's own time ran out (within, lingering-close) */
};

struct read_result {
	enum read_result_kind kind;
	int error;		/* READ_RESULT_ERROR */
	uint64_t bytes;		/* READ_RESULT_DATA */
};

/*
 * What one step did and saw, kept step by step (by index in the role's
 * steps), so that a later step never overwrites an earlier one's result.
 */
struct step_record {
	bool done;		/* the step completed */
	int64_t started_ns;	/* CLOCK_MONOTONIC */
	int64_t ended_ns;
	uint64_t bytes;		/* send: accepted; recv, drain, lingering-close: read */
	uint64_t calls;		/* the send() or recv() calls it made */
	int error;		/* send: the errno it stopped at, 0 for none */
	uint64_t eagains;	/* send retry: the EAGAINs it waited out */
	struct read_result end;	/* a read loop's end (NONE: it stopped at its size) */
	bool so_error_read;	/* so_error step; a read loop's end reads it too */
	int so_error;
	struct queue_snapshot queues;	/* snapshot step */
};

enum role_state {
	ROLE_STATE_STARTING,
	ROLE_STATE_RUNNING,
	ROLE_STATE_FINISHED,	/* ran every step */
	ROLE_STATE_FAILED	/* a step could not be carried out */
};

struct ledger {
	enum role_state state;
	int pid;		/* the role's process, once started */
	int step;		/* index of the step being run; -1 before */
	int64_t step_started_ns;
	uint16_t local_port;

	/* Writing. */
	uint64_t bytes_sent;	/* accepted by send(), in total */
	uint64_t send_calls;
	struct send_run sends[LEDGER_SEND_RUNS];
	size_t nsends;
	bool sends_overflow;	/* more runs than fit; the last run absorbed them */

	/* Reading. */
	uint64_t bytes_read;	/* returned by recv() (not MSG_PEEK) */
	uint64_t recv_calls;
	uint64_t bytes_peeked;
	bool corrupted;
	uint64_t first_bad_offset;	/* stream offset of the first wrong byte */
	struct read_result read_end;	/* how the last read loop ended */
	struct read_result next_read;	/* the read after that */
	bool so_error_read;
	int so_error;		/* SO_ERROR after the read loop (or a so_error step) */

	struct queue_snapshot snapshot;	/* the last "snapshot" step */
	bool polled;
	short poll_revents;	/* the last "poll" step */
	struct teardown_call shutdown;
	struct teardown_call close;	/* the last close() of a descriptor */
	uint64_t closes;	/* close() calls (one per descriptor) */
	bool write_shut;	/* shutdown(SHUT_WR or SHUT_RDWR) succeeded: a FIN is queued */
	bool socket_released;	/* the role closed its last descriptor */

	/*
	 * When this process let go of its last descriptor of the socket: a
	 * close or lingering-close step, or its end (an exit step, or its
	 * last step done) with descriptors still held.  With a fork, the
	 * socket goes with the end's last process to let go.
	 */
	bool released;
	int released_by;	/* the step's index; -1: the end of the steps */
	int64_t released_ns;	/* CLOCK_MONOTONIC */
	struct queue_snapshot released_with;	/* the queues just before */

	struct step_record records[LEDGER_STEPS];	/* by step index */

	int child_pid;		/* the process a "fork" step forked, once it has */

	char error[LEDGER_ERROR_SIZE];	/* why the role failed */
	bool unsupported;	/* ... because its stack cannot do a step (EOPNOTSUPP) */

	/* Written by the runner when it has collected the role's process. */
	bool exited;
	int exit_code;		/* when it exited */
	int exit_signal;	/* when a signal killed it; 0 otherwise */
};

void ledger_init(struct ledger *ledger);

/* Record one send() call: accepted bytes, or -1 with errno. */
void ledger_record_send(struct ledger *ledger, long result, int error);

/* "4 calls accepted 3,919,872 B, then ECONNRESET, then EPIPE x3" */
void ledger_format_sends(const struct ledger *ledger, char *buf, size_t size);

/* The record of step index, or NULL past the last one kept. */
const struct step_record *ledger_record(const struct ledger *ledger, size_t index);

/* "EOF", "ECONNRESET", "EAGAIN", "TIMEOUT", "128 B", "-" */
void ledger_format_read_result(const struct read_result *r, char *buf, size_t size);

#endif /* ledger_h */
