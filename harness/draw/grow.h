/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * grow.h - arrays that grow as the pictures' models are filled.
 */
#ifndef grow_h
#define grow_h

#include <stddef.h>

/*
 * Room for one more element of size bytes in array, which holds used of
 * *cap: the array itself, or a bigger one (the capacity doubled) when it
 * is full.  NULL (errno ENOMEM) leaves array and *cap unchanged.
 */
void *grow_array(void *array, size_t *cap, size_t used, size_t size);

#endif /* grow_h */
