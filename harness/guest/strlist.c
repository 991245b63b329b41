/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strlist.c - the list; lookups are linear, the lists are short (a few
 * hundred files at most).
 */
#include <stdlib.h>
#include <string.h>

#include "strlist.h"

int
strlist_add(struct strlist *list, const char *s)
{
	char **grown = realloc(list->items, (list->count + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	list->items = grown;
	grown[list->count] = strdup(s);
	if (grown[list->count] == NULL)
		return -1;
	list->count++;
	return 0;
}

bool
strlist_has(const struct strlist *list, const char *s)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i], s) == 0)
			return true;
	return false;
}

int
strlist_add_unique(struct strlist *list, const char *s)
{
	return strlist_has(list, s) ? 0 : strlist_add(list, s);
}

void
strlist_free(struct strlist *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}
