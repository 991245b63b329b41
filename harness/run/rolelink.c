/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rolelink.c - role_io on shared memory: the ledgers and stream offsets
 * in one shared anonymous mapping, the events on an event board.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "rolelink.h"

/* The stream offsets of one end, shared by the end's role and its child. */
struct end_stream {
	uint64_t offset[2];	/* by enum role_stream */
};

/* What the processes share: written by the roles, read by the coordinator. */
struct shared {
	struct ledger ledgers[ROLE_COUNT];
	struct end_stream streams[ROLE_ENDS];
};

struct rolelink {
	struct shared *shared;
	struct event_board *board;
	struct role_io io;
};

static void
link_raise(void *ctx, size_t event)
{
	struct rolelink *link = ctx;

	event_board_raise(link->board, event);
}

static int
link_wait(void *ctx, size_t event, int64_t deadline_ns)
{
	struct rolelink *link = ctx;

	return event_board_wait(link->board, event, deadline_ns);
}

static void
link_record(void *ctx, enum role_id role, const struct ledger *ledger)
{
	struct rolelink *link = ctx;

	memcpy(&link->shared->ledgers[role], ledger, sizeof(*ledger));
}

static uint64_t
link_stream_advance(void *ctx, enum role_id end, enum role_stream stream, uint64_t n)
{
	struct rolelink *link = ctx;

	return __atomic_fetch_add(&link->shared->streams[end].offset[stream], n,
	    __ATOMIC_SEQ_CST);
}

struct rolelink *
rolelink_create(size_t nevents, char *errbuf, size_t errbuf_size)
{
	struct rolelink *link = calloc(1, sizeof(*link));
	int r;

	if (link == NULL) {
		snprintf(errbuf, errbuf_size, "out of memory");
		return NULL;
	}
	link->shared = mmap(NULL, sizeof(*link->shared), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (link->shared == MAP_FAILED) {
		snprintf(errbuf, errbuf_size, "mmap: %s", strerror(errno));
		free(link);
		return NULL;
	}
	for (r = 0; r < ROLE_COUNT; r++)
		ledger_init(&link->shared->ledgers[r]);
	link->board = event_board_create(nevents);
	if (link->board == NULL) {
		snprintf(errbuf, errbuf_size, "mmap: %s", strerror(errno));
		rolelink_destroy(link);
		return NULL;
	}
	link->io = (struct role_io){ .ctx = link, .raise = link_raise, .wait = link_wait,
		.record = link_record, .stream_advance = link_stream_advance };
	return link;
}

void
rolelink_destroy(struct rolelink *link)
{
	if (link == NULL)
		return;
	event_board_destroy(link->board);
	munmap(link->shared, sizeof(*link->shared));
	free(link);
}

const struct role_io *
rolelink_io(struct rolelink *link)
{
	return &link->io;
}

const struct ledger *
rolelink_ledger(const struct rolelink *link, enum role_id role)
{
	return &link->shared->ledgers[role];
}

void
rolelink_abort(struct rolelink *link)
{
	event_board_abort(link->board);
}
