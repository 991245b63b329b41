/*
 * caselist.c - parsing the case files and directories of a command line.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caselist.h"

static int
list_append(struct caselist *list, struct case_file *cf)
{
	struct case_file **items = realloc(list->items, (list->count + 1) * sizeof(*items));

	if (items == NULL)
		return -1;
	list->items = items;
	items[list->count++] = cf;
	return 0;
}

void
caselist_free(struct caselist *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		case_free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
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

/* A directory's *.case files, in name order. */
static int
add_dir(struct caselist *list, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int bad = 0;

	if (d == NULL) {
		fprintf(stderr, "closeprobe: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char **more;

		if (!has_case_suffix(de->d_name))
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (more == NULL || (more[n] = strdup(de->d_name)) == NULL) {
			free(more != NULL ? more : names);
			closedir(d);
			fprintf(stderr, "closeprobe: out of memory\n");
			return -1;
		}
		names = more;
		n++;
	}
	closedir(d);
	if (n == 0)
		fprintf(stderr, "closeprobe: %s: no .case files\n", dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);

		if (path == NULL) {
			bad = -1;
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
	return n == 0 ? -1 : bad;
}

int
caselist_add(struct caselist *list, const char *path)
{
	struct case_error err;
	struct case_file *cf;
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return add_dir(list, path);
	cf = case_parse_file(path, &err);
	if (cf == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	if (list_append(list, cf) < 0) {
		case_free(cf);
		fprintf(stderr, "closeprobe: out of memory\n");
		return -1;
	}
	return 0;
}

int
caselist_check_names(const struct caselist *list)
{
	size_t i, j;

	for (i = 0; i < list->count; i++)
		for (j = 0; j < i; j++)
			if (strcmp(list->items[i]->name, list->items[j]->name) == 0) {
				fprintf(stderr, "%s: case name '%s' is already used by %s\n",
				    list->items[i]->path, list->items[i]->name,
				    list->items[j]->path);
				return -1;
			}
	return 0;
}
