/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * events.c - the plan of a case's events, and an event board on a futex.
 *
 * Every raise (and the abort) bumps a generation counter and wakes all
 * waiters; a waiter re-checks its event after every wake-up.  The futex
 * is not FUTEX_PRIVATE because the board is shared between processes.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "monotime.h"

static size_t
plan_find(const struct event_plan *plan, enum role_id role, const char *name)
{
	size_t i;

	for (i = 0; i < plan->count; i++)
		if (plan->roles[i] == role && strcmp(plan->names[i], name) == 0)
			return i;
	return EVENT_NONE;
}

static size_t
plan_intern(struct event_plan *plan, enum role_id role, const char *name)
{
	size_t id = plan_find(plan, role, name);
	enum role_id *roles;
	const char **names;

	if (id != EVENT_NONE)
		return id;
	roles = realloc(plan->roles, (plan->count + 1) * sizeof(*roles));
	if (roles == NULL)
		return EVENT_NONE;
	plan->roles = roles;
	names = realloc(plan->names, (plan->count + 1) * sizeof(*names));
	if (names == NULL)
		return EVENT_NONE;
	plan->names = names;
	plan->roles[plan->count] = role;
	plan->names[plan->count] = name;
	return plan->count++;
}

/* Give every raised event an id, then resolve every wait to one. */
int
event_plan_build(struct event_plan *plan, const struct case_file *cf, char *errbuf,
    size_t errbuf_size)
{
	int r;

	memset(plan, 0, sizeof(*plan));
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct case_role *role = &cf->roles[r];
		size_t n = role->nsteps > 0 ? role->nsteps : 1;
		size_t i;

		plan->raise[r] = calloc(n, sizeof(size_t));
		plan->wait[r] = calloc(n, sizeof(size_t));
		if (plan->raise[r] == NULL || plan->wait[r] == NULL)
			goto nomem;
		for (i = 0; i < role->nsteps; i++) {
			const char *name = case_step_event_name(&role->steps[i]);
			const char *names[STEP_EVENTS_MAX];
			size_t k, nnames = case_step_event_names(&role->steps[i], names);

			plan->raise[r][i] = EVENT_NONE;
			plan->wait[r][i] = EVENT_NONE;
			if (name != NULL) {
				plan->raise[r][i] = plan_intern(plan, (enum role_id)r, name);
				if (plan->raise[r][i] == EVENT_NONE)
					goto nomem;
			}
			/* A step may raise one early, as lingering-close raises
			 * "shutdown" before its bounded read: every name has an id. */
			for (k = 0; k < nnames; k++)
				if (plan_intern(plan, (enum role_id)r, names[k]) == EVENT_NONE)
					goto nomem;
		}
		plan->done[r] = plan_intern(plan, (enum role_id)r, "done");
		if (plan->done[r] == EVENT_NONE)
			goto nomem;
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct case_role *role = &cf->roles[r];
		size_t i;

		for (i = 0; i < role->nsteps; i++) {
			const struct case_step *step = &role->steps[i];

			if (step->kind != STEP_WAIT)
				continue;
			plan->wait[r][i] = plan_find(plan, step->u.wait.role, step->u.wait.event);
			if (plan->wait[r][i] == EVENT_NONE) {
				/* The parser rejects this; never wait forever on it. */
				snprintf(errbuf, errbuf_size, "%s:%u: nobody raises '%s.%s'",
				    cf->path, step->line, case_role_name(step->u.wait.role),
				    step->u.wait.event);
				return -1;
			}
		}
	}
	return 0;
nomem:
	snprintf(errbuf, errbuf_size, "out of memory");
	return -1;
}

void
event_plan_free(struct event_plan *plan)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		free(plan->raise[r]);
		free(plan->wait[r]);
	}
	free(plan->roles);
	free(plan->names);
	memset(plan, 0, sizeof(*plan));
}

struct event_board {
	uint32_t generation;	/* the futex word */
	uint32_t aborted;
	size_t nevents;
	uint32_t raised[];	/* one flag per event */
};

static size_t
board_size(size_t nevents)
{
	return sizeof(struct event_board) + nevents * sizeof(uint32_t);
}

struct event_board *
event_board_create(size_t nevents)
{
	struct event_board *board;

	board = mmap(NULL, board_size(nevents), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (board == MAP_FAILED)
		return NULL;
	/* mmap gives zeroed memory: nothing raised, not aborted. */
	board->nevents = nevents;
	return board;
}

void
event_board_destroy(struct event_board *board)
{
	if (board != NULL)
		munmap(board, board_size(board->nevents));
}

static void
board_wake_all(struct event_board *board)
{
	__atomic_add_fetch(&board->generation, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &board->generation, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

void
event_board_raise(struct event_board *board, size_t id)
{
	if (id >= board->nevents)
		return;
	__atomic_store_n(&board->raised[id], 1, __ATOMIC_SEQ_CST);
	board_wake_all(board);
}

static bool
board_is_raised(const struct event_board *board, size_t id)
{
	return id < board->nevents &&
	    __atomic_load_n(&board->raised[id], __ATOMIC_SEQ_CST) != 0;
}

void
event_board_abort(struct event_board *board)
{
	__atomic_store_n(&board->aborted, 1, __ATOMIC_SEQ_CST);
	board_wake_all(board);
}

int
event_board_wait(struct event_board *board, size_t id, int64_t deadline_ns)
{
	if (id >= board->nevents)
		return EINVAL;
	for (;;) {
		/* Read the generation first so a raise after the checks wakes us. */
		uint32_t gen = __atomic_load_n(&board->generation, __ATOMIC_SEQ_CST);
		int64_t left;
		struct timespec ts;

		if (board_is_raised(board, id))
			return 0;
		if (__atomic_load_n(&board->aborted, __ATOMIC_SEQ_CST))
			return ECANCELED;
		left = deadline_ns - monotime_ns();
		if (left <= 0)
			return ETIMEDOUT;
		ts.tv_sec = (time_t)(left / 1000000000LL);
		ts.tv_nsec = (long)(left % 1000000000LL);
		if (syscall(SYS_futex, &board->generation, FUTEX_WAIT, gen, &ts,
		    NULL, 0) < 0 && errno != EAGAIN && errno != EINTR &&
		    errno != ETIMEDOUT)
			return errno;
	}
}
