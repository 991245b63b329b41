/*
 * events.c - an event board on a futex.
 *
 * Every raise (and the abort) bumps a generation counter and wakes all
 * waiters; a waiter re-checks its event after every wake-up.  The futex
 * is not FUTEX_PRIVATE because the board is shared between processes.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "monotime.h"

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

bool
event_board_is_raised(const struct event_board *board, size_t id)
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

		if (event_board_is_raised(board, id))
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
