/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * caselist.c - parsing the case files and directories of a command line,
 * and choosing cases by name.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caselist.h"
#include "cli.h"

#ifndef CASESDIR
#define CASESDIR "/usr/local/share/closeprobe/cases"
#endif

/* The file an item was parsed from: the same file twice is one case. */
struct caselist_file {
	dev_t dev;
	ino_t ino;
};

static int
list_append(struct caselist *list, struct case_file *cf, const struct stat *st)
{
	struct case_file **items = realloc(list->items, (list->count + 1) * sizeof(*items));
	struct caselist_file *files;

	if (items == NULL)
		return -1;
	list->items = items;
	files = realloc(list->files, (list->count + 1) * sizeof(*files));
	if (files == NULL)
		return -1;
	list->files = files;
	files[list->count].dev = st->st_dev;
	files[list->count].ino = st->st_ino;
	items[list->count++] = cf;
	return 0;
}

/* Keep what was wrong with path for the reports; said already. */
static void
list_fail(struct caselist *list, const char *path, const char *message)
{
	struct caselist_failure *more = realloc(list->failures,
	    (list->nfailures + 1) * sizeof(*more));

	if (more == NULL)
		return;	/* the message was said; only the report lacks it */
	list->failures = more;
	more[list->nfailures].path = strdup(path);
	more[list->nfailures].message = strdup(message);
	if (more[list->nfailures].path == NULL || more[list->nfailures].message == NULL) {
		free(more[list->nfailures].path);
		free(more[list->nfailures].message);
		return;
	}
	list->nfailures++;
}

void
caselist_free(struct caselist *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		case_free(list->items[i]);
	for (i = 0; i < list->nfailures; i++) {
		free(list->failures[i].path);
		free(list->failures[i].message);
	}
	free(list->items);
	free(list->files);
	free(list->failures);
	memset(list, 0, sizeof(*list));
}

static int
has_case_suffix(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".case") == 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A path that cannot be read: said, and kept. */
static int
unreadable(struct caselist *list, const char *path, const char *what)
{
	char message[1024];

	snprintf(message, sizeof(message), "%s: %s", path, what);
	cli_error("%s", message);
	list_fail(list, path, message);
	return -1;
}

/* A directory's *.case files, sorted, malloc'd; *n of them. */
static char **
dir_cases(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		char **more;

		if (!has_case_suffix(de->d_name))
			continue;
		more = realloc(names, (*n + 1) * sizeof(*names));
		if (more == NULL || (more[*n] = strdup(de->d_name)) == NULL) {
			names = more != NULL ? more : names;
			while (*n > 0)
				free(names[--*n]);
			free(names);
			closedir(d);
			errno = ENOMEM;
			return NULL;
		}
		names = more;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), compare_names);
	errno = 0;
	return names;
}

/* A directory's *.case files, in name order. */
static int
add_dir(struct caselist *list, const char *dir)
{
	size_t n = 0, i;
	char **names = dir_cases(dir, &n);
	int bad = 0;

	if (names == NULL && errno != 0)
		return unreadable(list, dir, strerror(errno));
	if (n == 0)
		return unreadable(list, dir, "no .case files");
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);

		if (path == NULL) {
			bad = unreadable(list, dir, strerror(ENOMEM));
		} else {
			snprintf(path, len, "%s%s%s", dir,
			    dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
			if (caselist_add(list, path) < 0)
				bad = -1;
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return bad;
}

static bool
listed(const struct caselist *list, const struct stat *st)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (list->files[i].dev == st->st_dev && list->files[i].ino == st->st_ino)
			return true;
	return false;
}

int
caselist_add(struct caselist *list, const char *path)
{
	struct case_error err;
	struct case_file *cf;
	struct stat st;

	if (stat(path, &st) < 0)
		return unreadable(list, path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return add_dir(list, path);
	if (listed(list, &st))
		return 0;
	cf = case_parse_file(path, &err);
	if (cf == NULL) {
		/* A file:line:col diagnostic stands as it is; "path: what" is ours. */
		if (err.line > 0) {
			fflush(stdout);
			fprintf(stderr, "%s\n", err.msg);
			list_fail(list, path, err.msg);
			return -1;
		}
		cli_error("%s", err.msg);
		list_fail(list, path, err.msg);
		return -1;
	}
	if (list_append(list, cf, &st) < 0) {
		case_free(cf);
		return unreadable(list, path, strerror(ENOMEM));
	}
	return 0;
}

/* The file name of path without its directory and ".case", into buf. */
static const char *
file_stem(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	if (has_case_suffix(base))
		len -= 5;
	snprintf(buf, size, "%.*s", (int)len, base);
	return buf;
}

int
caselist_check_names(struct caselist *list)
{
	char stem[256], message[1024];
	size_t i, j;

	for (i = 0; i < list->count; i++) {
		const struct case_file *cf = list->items[i];

		for (j = 0; j < i; j++)
			if (strcmp(cf->name, list->items[j]->name) == 0) {
				snprintf(message, sizeof(message), "%s: case name '%s' is already "
				    "used by %s", cf->path, cf->name, list->items[j]->path);
				cli_error("%s", message);
				list_fail(list, cf->path, message);
				return -1;
			}
		if (strcmp(file_stem(cf->path, stem, sizeof(stem)), cf->name) != 0)
			cli_error("%s: warning: the case is named '%s', so its evidence is "
			    "%s.*, not %s.* (name the file %s.case)", cf->path, cf->name,
			    cf->name, stem, cf->name);
	}
	return 0;
}

static int
patterns_add(const char ***patterns, size_t *n, const char *pattern)
{
	const char **more = realloc(*patterns, (*n + 1) * sizeof(*more));

	if (more == NULL)
		return -1;
	more[(*n)++] = pattern;
	*patterns = more;
	return 0;
}

int
caselist_filter_add(struct caselist_filter *filter, bool only, const char *pattern)
{
	return only ? patterns_add(&filter->only, &filter->nonly, pattern) :
	    patterns_add(&filter->skip, &filter->nskip, pattern);
}

void
caselist_filter_free(struct caselist_filter *filter)
{
	free(filter->only);
	free(filter->skip);
	memset(filter, 0, sizeof(*filter));
}

static bool
matches_any(const char *const *patterns, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(patterns[i], name, 0) == 0)
			return true;
	return false;
}

int
caselist_select(struct caselist *list, const struct caselist_filter *filter,
    const char **unmatched)
{
	size_t i, kept = 0;

	for (i = 0; i < filter->nonly; i++) {
		size_t c;

		for (c = 0; c < list->count; c++)
			if (fnmatch(filter->only[i], list->items[c]->name, 0) == 0)
				break;
		if (c == list->count) {
			*unmatched = filter->only[i];
			return -1;
		}
	}
	for (i = 0; i < list->count; i++) {
		const char *name = list->items[i]->name;

		if ((filter->nonly > 0 && !matches_any(filter->only, filter->nonly, name)) ||
		    matches_any(filter->skip, filter->nskip, name)) {
			case_free(list->items[i]);
			continue;
		}
		list->items[kept] = list->items[i];
		list->files[kept] = list->files[i];
		kept++;
	}
	list->count = kept;
	return 0;
}

const char *
caselist_default_dir(void)
{
	struct stat st;

	if (stat("cases", &st) == 0 && S_ISDIR(st.st_mode))
		return "cases";
	return CASESDIR;
}
