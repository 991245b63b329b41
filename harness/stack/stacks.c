/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stacks.c - the stacks this closeprobe was built with.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "stacks.h"
#if HAVE_LWIP
#include "lwip.h"
#endif

#if HAVE_LWIP
static const struct sockapi_stack lwip_stack = {
	.api = &stack_lwip_sockapi,
	.start = stack_lwip_start,
	.hold_link = stack_lwip_hold_link,
};
#endif

/* Every stack closeprobe knows; stack NULL: not built into this one. */
static const struct {
	const char *name;
	const struct sockapi_stack *stack;
	bool kernel;
} stacks[] = {
	{ "linux", NULL, true },
#if HAVE_LWIP
	{ "lwip", &lwip_stack, false },
#else
	{ "lwip", NULL, false },
#endif
};

const struct sockapi_stack *
stacks_find(const char *name, bool *known, bool *built)
{
	size_t i;

	*known = *built = false;
	for (i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++)
		if (strcmp(stacks[i].name, name) == 0) {
			*known = true;
			*built = stacks[i].kernel || stacks[i].stack != NULL;
			return stacks[i].stack;
		}
	return NULL;
}

const char *
stacks_built(void)
{
#if HAVE_LWIP
	return "linux, lwip";
#else
	return "linux";
#endif
}
