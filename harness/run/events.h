/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * events.h - the ordering between roles: a board of named events in
 * shared memory.  A role raises an event when a step completes; the other
 * role waits for it.  Nothing here sleeps for a fixed time: a waiter
 * blocks on a futex until the event is raised, the case is aborted or its
 * deadline passes.
 *
 * The plan names the events by number: one per (role, name) pair that
 * some step raises, and per step the event it raises or waits for.
 */
#ifndef events_h
#define events_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"

#define EVENT_NONE SIZE_MAX

struct event_plan {
	size_t count;			/* distinct events: the board's size */
	size_t *raise[ROLE_COUNT];	/* per step: the event it raises, or EVENT_NONE */
	size_t *wait[ROLE_COUNT];	/* per step: the event a wait step waits for */
	size_t done[ROLE_COUNT];	/* raised after the role's last step */
	enum role_id *roles;		/* per event: whose it is, */
	const char **names;		/* and its name (the case file's) */
};

/* Number every event of cf.  0 ok; -1 with errbuf (out of memory, or a
 * wait for an event no step raises). */
int event_plan_build(struct event_plan *plan, const struct case_file *cf, char *errbuf,
    size_t errbuf_size);
void event_plan_free(struct event_plan *plan);

struct event_board;

/* nevents slots in shared anonymous memory, inherited across fork(). */
struct event_board *event_board_create(size_t nevents);
void event_board_destroy(struct event_board *board);

void event_board_raise(struct event_board *board, size_t id);

/* Wake every waiter and make every wait fail with ECANCELED. */
void event_board_abort(struct event_board *board);

/*
 * Wait until event id is raised.  deadline_ns is CLOCK_MONOTONIC.
 * 0 when raised; ETIMEDOUT; ECANCELED when aborted; another errno on
 * failure.
 */
int event_board_wait(struct event_board *board, size_t id, int64_t deadline_ns);

#endif /* events_h */
