/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stacks.h - the stacks this closeprobe was built with, by the name
 * "closeprobe run --stack NAME" gives: the kernel's ("linux") always,
 * lwIP with --with-lwip.  Part of the program, not of the library, so
 * that only the program links the stacks it was built with.
 */
#ifndef stacks_h
#define stacks_h

#include <stdbool.h>

#include "sockapi.h"

/* NAME's stack: NULL for the kernel's (the default) and for none.
 * *known: whether closeprobe knows NAME at all (built in or not). */
const struct sockapi_stack *stacks_find(const char *name, bool *known, bool *built);

/* "linux, lwip": the names this build takes. */
const char *stacks_built(void);

#endif /* stacks_h */
