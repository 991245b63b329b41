/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kcounters.c - reading /proc/net/netstat and /proc/net/snmp.
 *
 * Both files come in pairs of lines: "Prefix: Name1 Name2 ..." then
 * "Prefix: value1 value2 ...".  Only the TCP groups are kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcounters.h"

static int
kcounters_add(struct kcounters *kc, const char *name, int64_t value)
{
	struct kcounter *items;

	items = realloc(kc->items, (kc->count + 1) * sizeof(*items));
	if (items == NULL)
		return -1;
	kc->items = items;
	items[kc->count].name = strdup(name);
	if (items[kc->count].name == NULL)
		return -1;
	items[kc->count].value = value;
	kc->count++;
	return 0;
}

static int
wanted_group(const char *prefix)
{
	return strcmp(prefix, "TcpExt:") == 0 || strcmp(prefix, "Tcp:") == 0;
}

static int
read_pairs(struct kcounters *kc, const char *path, char *errbuf, size_t errbuf_size)
{
	FILE *f = fopen(path, "re");
	char *names = NULL, *values = NULL;
	size_t names_cap = 0, values_cap = 0;
	int rc = 0;

	if (f == NULL) {
		snprintf(errbuf, errbuf_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&names, &names_cap, f) > 0 && getline(&values, &values_cap, f) > 0) {
		char *nsave = NULL, *vsave = NULL;
		char *name = strtok_r(names, " \n", &nsave);
		char *value = strtok_r(values, " \n", &vsave);

		if (name == NULL || value == NULL || strcmp(name, value) != 0) {
			snprintf(errbuf, errbuf_size, "%s: unexpected format", path);
			rc = -1;
			break;
		}
		if (!wanted_group(name))
			continue;
		for (;;) {
			name = strtok_r(NULL, " \n", &nsave);
			value = strtok_r(NULL, " \n", &vsave);
			if (name == NULL || value == NULL)
				break;
			if (kcounters_add(kc, name, strtoll(value, NULL, 10)) < 0) {
				snprintf(errbuf, errbuf_size, "out of memory");
				rc = -1;
				break;
			}
		}
		if (rc < 0)
			break;
	}
	free(names);
	free(values);
	fclose(f);
	return rc;
}

int
kcounters_read(struct kcounters *kc, char *errbuf, size_t errbuf_size)
{
	memset(kc, 0, sizeof(*kc));
	if (read_pairs(kc, "/proc/net/netstat", errbuf, errbuf_size) < 0 ||
	    read_pairs(kc, "/proc/net/snmp", errbuf, errbuf_size) < 0) {
		kcounters_free(kc);
		return -1;
	}
	return 0;
}

int64_t
kcounters_get(const struct kcounters *kc, const char *name, int *found)
{
	size_t i;

	for (i = 0; i < kc->count; i++)
		if (strcmp(kc->items[i].name, name) == 0) {
			if (found != NULL)
				*found = 1;
			return kc->items[i].value;
		}
	if (found != NULL)
		*found = 0;
	return 0;
}

int
kcounters_diff(const struct kcounters *before, const struct kcounters *after,
    struct kcounters *delta)
{
	size_t i;

	memset(delta, 0, sizeof(*delta));
	for (i = 0; i < after->count; i++) {
		int64_t d = after->items[i].value -
		    kcounters_get(before, after->items[i].name, NULL);

		/* Gauges such as CurrEstab can go down; keep any change. */
		if (d != 0 && kcounters_add(delta, after->items[i].name, d) < 0) {
			kcounters_free(delta);
			return -1;
		}
	}
	return 0;
}

int
kcounters_accumulate(struct kcounters *total, const struct kcounters *more)
{
	size_t i, j;

	for (i = 0; i < more->count; i++) {
		for (j = 0; j < total->count; j++)
			if (strcmp(total->items[j].name, more->items[i].name) == 0)
				break;
		if (j < total->count)
			total->items[j].value += more->items[i].value;
		else if (kcounters_add(total, more->items[i].name, more->items[i].value) < 0)
			return -1;
	}
	return 0;
}

void
kcounters_free(struct kcounters *kc)
{
	size_t i;

	for (i = 0; i < kc->count; i++)
		free(kc->items[i].name);
	free(kc->items);
	kc->items = NULL;
	kc->count = 0;
}
