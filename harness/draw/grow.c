/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * grow.c - growing arrays (see grow.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

enum { GROW_FIRST = 16 };

void *
grow_array(void *array, size_t *cap, size_t used, size_t size)
{
	size_t ncap;
	void *p;

	if (used < *cap && array != NULL)
		return array;
	ncap = *cap == 0 ? GROW_FIRST : *cap * 2;
	if (ncap < *cap || size == 0 || ncap > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = realloc(array, ncap * size);
	if (p == NULL)
		return NULL;
	*cap = ncap;
	return p;
}
