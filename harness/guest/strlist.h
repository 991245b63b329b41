/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strlist.h - a growing list of owned strings (paths, module files,
 * arguments) for the guest module.
 */
#ifndef strlist_h
#define strlist_h

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **items;
	size_t count;
};

#define STRLIST_INIT { NULL, 0 }

/* Append a copy of s.  0 ok; -1 when out of memory. */
int strlist_add(struct strlist *list, const char *s);
/* Append a copy of s unless the list has it.  0 ok; -1 out of memory. */
int strlist_add_unique(struct strlist *list, const char *s);
bool strlist_has(const struct strlist *list, const char *s);
void strlist_free(struct strlist *list);

#endif /* strlist_h */
