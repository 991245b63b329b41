/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arena.h - memory for many objects of one kind that live until the end
 * (the connection table's entries and tombs, which it recycles itself),
 * carved from a few big blocks and all freed at once.
 *
 * Why: a capture of many short connections keeps thousands of them at
 * once (an RST's connection lingers for seconds), and one malloc() after
 * another touches page after fresh page: one page fault per 4 KiB, a good
 * part of the time a capture of 20,000 connections takes.  After a first
 * small block (small captures stay small), blocks are 2 MiB, aligned and
 * offered to the kernel as transparent huge pages: one fault each.
 * Where the kernel declines, they are ordinary pages, as before.
 */
#ifndef arena_h
#define arena_h

#include <stddef.h>

struct arena_block;

struct arena {
	size_t object_size;		/* rounded up for alignment */
	struct arena_block *blocks;	/* newest first */
	char *next, *end;		/* what is left of the newest */
};

/* An empty arena for objects of object_size bytes; allocates nothing. */
void arena_init(struct arena *a, size_t object_size);

/* One object, not zeroed; NULL (errno ENOMEM) if none can be had. */
void *arena_alloc(struct arena *a);

/* Every block back; the arena is empty again (and may be reused). */
void arena_free_all(struct arena *a);

#endif /* arena_h */
