/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arena.c - objects of one kind carved from big blocks (see arena.h).
 */
#include "arena.h"

#include <sys/mman.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

enum arena_size {
	/* The first block: all a small capture needs, from malloc(). */
	ARENA_FIRST_BLOCK = 64 * 1024,
	/* Every later one: a transparent huge page on x86-64 and arm64. */
	ARENA_HUGE_BLOCK = 2 * 1024 * 1024,
	ARENA_ALIGN = 16
};

struct arena_block {
	struct arena_block *next;
	/* What to give back: mmap()'s mapping, or NULL for malloc()'s. */
	void *map_base;
	size_t map_len;
};

/* The header, rounded so that the objects after it are aligned. */
static const size_t block_header =
    (sizeof(struct arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

void
arena_init(struct arena *a, size_t object_size)
{
	if (object_size == 0)
		object_size = 1;
	a->object_size = (object_size + ARENA_ALIGN - 1) &
	    ~(size_t)(ARENA_ALIGN - 1);
	a->blocks = NULL;
	a->next = NULL;
	a->end = NULL;
}

/*
 * ARENA_HUGE_BLOCK bytes at an address aligned to them, so that the
 * kernel can back them with one huge page: twice as much mapped, the ends
 * trimmed.  A trim that fails only leaves address space mapped, which
 * *len then covers.
 */
static char *
map_aligned(void **base, size_t *len)
{
	const size_t span = 2 * (size_t)ARENA_HUGE_BLOCK;
	char *p, *start;
	size_t head, tail;

	p = mmap(NULL, span, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	start = (char *)(((uintptr_t)p + ARENA_HUGE_BLOCK - 1) &
	    ~(uintptr_t)(ARENA_HUGE_BLOCK - 1));
	head = (size_t)(start - p);
	tail = span - head - ARENA_HUGE_BLOCK;
	*base = p;
	*len = span;
	if (head > 0 && munmap(p, head) == 0) {
		*base = start;
		*len -= head;
	}
	if (tail > 0 && munmap(start + ARENA_HUGE_BLOCK, tail) == 0)
		*len -= tail;
#ifdef MADV_HUGEPAGE
	/*
	 * Advice only: EINVAL where the kernel has no transparent huge
	 * pages, and then the block is ordinary pages, which is fine.
	 */
	(void)madvise(start, ARENA_HUGE_BLOCK, MADV_HUGEPAGE);
#endif
	return start;
}

/* A new block with room for at least one object, or NULL. */
static bool
arena_grow(struct arena *a)
{
	size_t size = a->blocks == NULL ? ARENA_FIRST_BLOCK : ARENA_HUGE_BLOCK;
	struct arena_block *b;
	void *base = NULL;
	size_t len = 0;
	char *mem;

	if (a->object_size > SIZE_MAX - block_header) {
		errno = ENOMEM;
		return false;
	}
	if (size < block_header + a->object_size)
		size = block_header + a->object_size;
	if (size == ARENA_HUGE_BLOCK)
		mem = map_aligned(&base, &len);
	else
		mem = malloc(size);
	if (mem == NULL) {
		errno = ENOMEM;
		return false;
	}
	b = (struct arena_block *)(void *)mem;
	b->next = a->blocks;
	b->map_base = base;
	b->map_len = len;
	a->blocks = b;
	a->next = mem + block_header;
	a->end = mem + size;
	return true;
}

void *
arena_alloc(struct arena *a)
{
	void *obj;

	if ((a->next == NULL || (size_t)(a->end - a->next) < a->object_size) &&
	    !arena_grow(a))
		return NULL;
	obj = a->next;
	a->next += a->object_size;
	return obj;
}

void
arena_free_all(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->blocks; b != NULL; b = next) {
		next = b->next;
		/* Our own mapping, whole: munmap() has no cause to fail. */
		if (b->map_base != NULL)
			(void)munmap(b->map_base, b->map_len);
		else
			free(b);
	}
	a->blocks = NULL;
	a->next = NULL;
	a->end = NULL;
}
