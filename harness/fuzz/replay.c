/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * replay.c - a main() for a fuzz target without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on each file named, or on each file in
 * each directory named, as libFuzzer does when given files.  Built with
 * any compiler; "make check" uses it to replay the regression inputs.
 *
 * Exit status 0 when every input ran; an input that breaks an
 * invariant aborts (as under libFuzzer), and one that cannot be read is
 * status 99.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
replay_file(const char *path)
{
	struct stat sb;
	uint8_t *buf;
	size_t len, got;
	FILE *fp;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) == -1 || sb.st_size < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	len = (size_t)sb.st_size;
	/* Exactly len bytes, as libFuzzer passes them: no slack to hide in. */
	buf = malloc(len > 0 ? len : 1);
	if (buf == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(ENOMEM));
		fclose(fp);
		return -1;
	}
	got = len > 0 ? fread(buf, 1, len, fp) : 0;
	if (got != len || ferror(fp)) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	(void)LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly in dir, in name order; dot files skipped. */
static int
replay_dir(const char *dir, unsigned long *count)
{
	struct dirent *de;
	struct stat sb;
	char **names, **grown, *path;
	size_t n, cap, i;
	int rc;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	names = NULL;
	n = cap = 0;
	rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (grown == NULL) {
				rc = -1;
				break;
			}
			names = grown;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			if (asprintf(&path, "%s/%s", dir, names[i]) == -1) {
				rc = -1;
			} else {
				if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
					if (replay_file(path) == -1)
						rc = -1;
					else
						(*count)++;
				}
				free(path);
			}
		}
		free(names[i]);
	}
	free(names);
	if (rc == -1)
		fprintf(stderr, "replay: %s: cannot list\n", dir);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0;
	struct stat sb;
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (replay_dir(argv[i], &count) == -1)
				status = 99;
		} else if (replay_file(argv[i]) == -1) {
			status = 99;
		} else {
			count++;
		}
	}
	printf("%s: %lu input%s replayed\n", argv[0], count,
	    count == 1 ? "" : "s");
	return status;
}
