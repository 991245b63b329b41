/*
 * caselist.h - the case files named on the command line, parsed.
 *
 * Every case file is parsed before any case runs: a wrong case file never
 * starts a socket.  What is wrong is said on standard error, with
 * file:line:col.
 */
#ifndef caselist_h
#define caselist_h

#include <stddef.h>

#include "case.h"

struct caselist {
	struct case_file **items;
	size_t count;
};

/* Parse path, a case file or a directory of *.case files (in name order),
 * into list.  0 ok; -1 when something could not be parsed (said on
 * standard error; what did parse is in list). */
int caselist_add(struct caselist *list, const char *path);

/* Two cases with one name would overwrite each other's evidence: 0 when
 * every name is unique, else -1 (said on standard error). */
int caselist_check_names(const struct caselist *list);

void caselist_free(struct caselist *list);

#endif /* caselist_h */
