/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * caselist.h - the case files named on the command line, parsed, and the
 * cases chosen among them.
 *
 * Every case file is parsed before any case runs: a wrong case file never
 * starts a socket.  What is wrong is said on standard error, with
 * file:line:col, and kept for the reports (caselist.failures).
 */
#ifndef caselist_h
#define caselist_h

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

/* A case file that could not be parsed (or read). */
struct caselist_failure {
	char *path;
	char *message;	/* "path:line:col: what", or "path: what" */
};

struct caselist {
	struct case_file **items;
	size_t count;
	struct caselist_failure *failures;
	size_t nfailures;
	struct caselist_file *files;	/* which files items came from (private) */
};

/* Parse path, a case file or a directory of *.case files (in name order),
 * into list.  A file already in the list (the same file by another name
 * too) is not added again.  0 ok; -1 when something could not be parsed
 * or read (said on standard error, and in list->failures; what did parse
 * is in list). */
int caselist_add(struct caselist *list, const char *path);

/*
 * Two cases with one name would overwrite each other's evidence: 0 when
 * every name is unique, else -1 (said on standard error, and kept in
 * list->failures for the reports).  A case whose
 * name is not its file's (evidence is named after the case) is said as
 * a warning.
 */
int caselist_check_names(struct caselist *list);

/* Which cases a command line chose by name: shell patterns (fnmatch). */
struct caselist_filter {
	const char **only;	/* none: every case */
	size_t nonly;
	const char **skip;
	size_t nskip;
};

/* Add a pattern to filter->only (only true) or filter->skip: 0, or -1 out
 * of memory. */
int caselist_filter_add(struct caselist_filter *filter, bool only, const char *pattern);
void caselist_filter_free(struct caselist_filter *filter);

/*
 * Keep only the cases the filter chooses (the others are freed).  0, or
 * -1 with *unmatched when an "only" pattern matches no case at all (a
 * mistyped name would otherwise quietly run less); then list is as it was.
 */
int caselist_select(struct caselist *list, const struct caselist_filter *filter,
    const char **unmatched);

/*
 * What run and list read when no case is named: ./cases when the working
 * directory has one (a source tree), else the installed cases.
 */
const char *caselist_default_dir(void);

void caselist_free(struct caselist *list);

#endif /* caselist_h */
