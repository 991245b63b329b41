/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * procnet.c - a process tree's network namespaces and their output
 * octets, from /proc.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procnet.h"

struct proc {
	pid_t pid;
	pid_t ppid;
};

/* The parent of pid from /proc/PID/stat (after the command's ")"), or -1. */
static pid_t
parent_of(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	long ppid;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	if (close_paren == NULL || sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* Every process with its parent; *n of them, malloc'd. */
static struct proc *
processes(size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct proc *list = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		pid_t ppid;

		if (*end != '\0' || pid <= 0 || (ppid = parent_of((pid_t)pid)) < 0)
			continue;
		if (*n == cap) {
			struct proc *more = realloc(list, (cap ? cap * 2 : 256) * sizeof(*more));

			if (more == NULL)
				break;
			list = more;
			cap = cap ? cap * 2 : 256;
		}
		list[*n].pid = (pid_t)pid;
		list[(*n)++].ppid = ppid;
	}
	closedir(d);
	return list;
}

static bool
is_descendant(const struct proc *list, size_t n, pid_t pid, pid_t root)
{
	size_t hops, i;

	/* A bounded walk up: pids may be reused while we look. */
	for (hops = 0; hops < 64 && pid > 1; hops++) {
		for (i = 0; i < n && list[i].pid != pid; i++)
			;
		if (i == n)
			return false;
		pid = list[i].ppid;
		if (pid == root)
			return true;
	}
	return false;
}

static int
netns_of(pid_t pid, ino_t *ino)
{
	char path[64];
	struct stat st;

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/ns/net");
	else
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", (long)pid);
	if (stat(path, &st) < 0)
		return -1;
	*ino = st.st_ino;
	return 0;
}

/* IpExt OutOctets of pid's namespace: the line of names, then of values. */
static int
out_octets(pid_t pid, uint64_t *octets)
{
	char path[64], names[4096], values[4096];
	char *name, *value, *ns, *vs;
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "/proc/%ld/net/netstat", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(names, sizeof(names), f) != NULL && fgets(values, sizeof(values), f) != NULL) {
		if (strncmp(names, "IpExt:", 6) != 0 || strncmp(values, "IpExt:", 6) != 0)
			continue;
		name = strtok_r(names + 6, " \n", &ns);
		value = strtok_r(values + 6, " \n", &vs);
		for (; name != NULL && value != NULL;
		    name = strtok_r(NULL, " \n", &ns), value = strtok_r(NULL, " \n", &vs))
			if (strcmp(name, "OutOctets") == 0 && sscanf(value, "%" SCNu64, octets) == 1) {
				rc = 0;
				break;
			}
		break;
	}
	fclose(f);
	return rc;
}

int
procnet_tree_octets(pid_t root, uint64_t *octets)
{
	size_t n, i, j, nseen = 0;
	struct proc *list = processes(&n);
	ino_t own, *seen;

	*octets = 0;
	if (list == NULL || netns_of(0, &own) < 0) {
		free(list);
		return -1;
	}
	seen = calloc(n > 0 ? n : 1, sizeof(*seen));
	if (seen == NULL) {
		free(list);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint64_t o;
		ino_t ino;

		if (!is_descendant(list, n, list[i].pid, root) || netns_of(list[i].pid, &ino) < 0 ||
		    ino == own)
			continue;
		for (j = 0; j < nseen && seen[j] != ino; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = ino;
		if (out_octets(list[i].pid, &o) == 0)
			*octets += o;
	}
	free(seen);
	free(list);
	return 0;
}
