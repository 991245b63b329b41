/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hostfile.c - whole-file I/O and directory trees.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostfile.h"

int
hostfile_read(const char *path, size_t max, char **data, size_t *size, char *err,
    size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	struct stat st;
	size_t len = 0, cap;
	char *buf;

	*data = NULL;
	if (fd < 0 || fstat(fd, &st) < 0) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(saved));
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	/* Files in /proc and /sys say 0: grow as needed. */
	cap = st.st_size > 0 && (uint64_t)st.st_size < max ? (size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	for (;;) {
		ssize_t n;

		if (buf == NULL) {
			snprintf(err, errlen, "%s: out of memory", path);
			close(fd);
			errno = ENOMEM;
			return -1;
		}
		if (len + 1 >= cap) {
			char *grown = cap > max ? NULL : realloc(buf, cap * 2);

			if (grown == NULL) {
				snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
				free(buf);
				close(fd);
				errno = EFBIG;
				return -1;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			snprintf(err, errlen, "%s: %s", path, strerror(saved));
			free(buf);
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
		free(buf);
		errno = EFBIG;
		return -1;
	}
	buf[len] = '\0';
	*data = buf;
	*size = len;
	return 0;
}

int
hostfile_write(const char *path, const void *data, size_t size, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	const char *p = data;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (size > 0) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		size -= (size_t)n;
	}
	if (close(fd) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
hostfile_mkdirs(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		snprintf(err, errlen, "cannot create directory '%.100s': bad length", path);
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create directory %s: %s", buf, strerror(errno));
			return -1;
		}
		buf[i] = path[i];
	}
	return 0;
}

int
hostfile_remove_tree(const char *path, char *err, size_t errlen)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0) {
			snprintf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	d = opendir(path);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len;
		char *child;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		len = strlen(path) + strlen(de->d_name) + 2;
		child = malloc(len);
		if (child == NULL) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		snprintf(child, len, "%s/%s", path, de->d_name);
		if (hostfile_remove_tree(child, err, errlen) < 0)
			rc = -1;
		free(child);
	}
	closedir(d);
	if (rc == 0 && rmdir(path) < 0) {
		snprintf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* Each directory of a colon-separated list, joined with name. */
static int
search(const char *list, const char *name, char *out, size_t size)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *colon = strchr(p, ':');
		size_t len = colon != NULL ? (size_t)(colon - p) : strlen(p);

		if (len > 0 && (size_t)snprintf(out, size, "%.*s/%s", (int)len, p, name) < size &&
		    access(out, X_OK) == 0)
			return 0;
		p = colon != NULL ? colon + 1 : NULL;
	}
	return -1;
}

int
hostfile_find_program(const char *name, const char *dirs, char *out, size_t size)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/') != NULL) {
		if ((size_t)snprintf(out, size, "%s", name) >= size || access(out, X_OK) < 0)
			return -1;
		return 0;
	}
	if (search(path != NULL ? path : "/usr/bin:/bin", name, out, size) == 0)
		return 0;
	return dirs != NULL ? search(dirs, name, out, size) : -1;
}
