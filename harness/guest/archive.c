/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * archive.c - reading the guest's frame and writing its evidence files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "hostfile.h"
#include "sha256.h"

#define ARCHIVE_FILES_MAX 100000	/* far more than any suite writes */
#define ARCHIVE_NAME_MAX 512

/* A cursor over the frame's text lines. */
struct reader {
	const unsigned char *p, *end;
	unsigned line;
};

/* The next line (without its '\n') into buf.  0 ok, -1 at the end or when
 * it does not fit. */
static int
next_line(struct reader *r, char *buf, size_t size)
{
	const unsigned char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	size_t len;

	if (nl == NULL)
		return -1;
	len = (size_t)(nl - r->p);
	if (len >= size)
		return -1;
	memcpy(buf, r->p, len);
	buf[len] = '\0';
	r->p = nl + 1;
	r->line++;
	return 0;
}

static int
valid_name(const char *name)
{
	const char *file;
	size_t i;

	if (strncmp(name, ARCHIVE_CAPTURES, strlen(ARCHIVE_CAPTURES)) == 0)
		file = name + strlen(ARCHIVE_CAPTURES);
	else if (strncmp(name, ARCHIVE_META, strlen(ARCHIVE_META)) == 0)
		file = name + strlen(ARCHIVE_META);
	else
		return 0;
	if (file[0] == '\0' || file[0] == '.')
		return 0;
	for (i = 0; file[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+",
		    file[i]) == NULL)
			return 0;
	return 1;
}

void
archive_free(struct archive *a)
{
	size_t i;

	for (i = 0; i < a->count; i++)
		free(a->files[i].name);
	free(a->files);
	a->files = NULL;
	a->count = 0;
}

const struct archive_file *
archive_find(const struct archive *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->count; i++)
		if (strcmp(a->files[i].name, name) == 0)
			return &a->files[i];
	return NULL;
}

static const unsigned char *
find_magic(const unsigned char *data, size_t len)
{
	size_t mlen = strlen(ARCHIVE_MAGIC), i;

	for (i = 0; i + mlen <= len; i++)
		if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, ARCHIVE_MAGIC, mlen) == 0)
			return data + i;
	return NULL;
}

/* The size lines; a->count grows with each, to total. */
static int
read_sizes(struct reader *r, struct archive *a, size_t total, char *err, size_t errlen)
{
	char line[ARCHIVE_NAME_MAX + 32];
	size_t i;

	for (i = 0; i < total; i++) {
		unsigned long long size;
		int used = 0;

		if (next_line(r, line, sizeof(line)) < 0 ||
		    sscanf(line, "%llu %n", &size, &used) != 1 || used == 0 ||
		    !valid_name(line + used)) {
			snprintf(err, errlen, "archive line %u: not 'SIZE NAME' with a valid name",
			    r->line + 1);
			return -1;
		}
		if (archive_find(a, line + used) != NULL) {
			snprintf(err, errlen, "archive line %u: %s twice", r->line, line + used);
			return -1;
		}
		a->files[i].name = strdup(line + used);
		if (a->files[i].name == NULL) {
			snprintf(err, errlen, "archive: out of memory");
			return -1;
		}
		a->files[i].size = (size_t)size;
		a->count++;
	}
	return 0;
}

/* The sha256sum lines, kept (in order of the files) in sums. */
static int
read_sums(struct reader *r, const struct archive *a, char (*sums)[SHA256_HEX_SIZE],
    char *err, size_t errlen)
{
	char line[ARCHIVE_NAME_MAX + SHA256_HEX_SIZE + 8];
	size_t i, j;

	for (i = 0; i < a->count; i++) {
		const char *name = line + SHA256_HEX_SIZE + 1;
		const struct archive_file *f;

		if (next_line(r, line, sizeof(line)) < 0 || strlen(line) < SHA256_HEX_SIZE + 2 ||
		    line[SHA256_HEX_SIZE - 1] != ' ' || line[SHA256_HEX_SIZE] != ' ' ||
		    (f = archive_find(a, name)) == NULL) {
			snprintf(err, errlen, "archive line %u: not 'SHA256  NAME' of a listed file",
			    r->line + 1);
			return -1;
		}
		j = (size_t)(f - a->files);
		if (sums[j][0] != '\0') {
			snprintf(err, errlen, "archive line %u: a second checksum for %s", r->line, name);
			return -1;
		}
		memcpy(sums[j], line, SHA256_HEX_SIZE - 1);
		sums[j][SHA256_HEX_SIZE - 1] = '\0';
	}
	return 0;
}

static int
read_data(struct reader *r, struct archive *a, char (*sums)[SHA256_HEX_SIZE], char *err,
    size_t errlen)
{
	char hex[SHA256_HEX_SIZE];
	size_t i;

	for (i = 0; i < a->count; i++) {
		struct archive_file *f = &a->files[i];

		if ((size_t)(r->end - r->p) < f->size) {
			snprintf(err, errlen, "archive truncated in %s (%zu of %zu bytes)", f->name,
			    (size_t)(r->end - r->p), f->size);
			return -1;
		}
		f->data = r->p;
		r->p += f->size;
		sha256_hex(f->data, f->size, hex);
		if (strcmp(hex, sums[i]) != 0) {
			snprintf(err, errlen, "archive: %s does not match its checksum", f->name);
			return -1;
		}
	}
	if ((size_t)(r->end - r->p) < strlen(ARCHIVE_END) ||
	    memcmp(r->p, ARCHIVE_END, strlen(ARCHIVE_END)) != 0) {
		snprintf(err, errlen, "archive: no end line after the files' data");
		return -1;
	}
	return 0;
}

int
archive_parse(const unsigned char *data, size_t len, struct archive *a, char *err,
    size_t errlen)
{
	const unsigned char *start = find_magic(data, len);
	struct reader r;
	char (*sums)[SHA256_HEX_SIZE] = NULL;
	char line[64];
	unsigned long long count;
	int used = 0, rc = -1;

	a->files = NULL;
	a->count = 0;
	if (start == NULL) {
		snprintf(err, errlen, "no archive came back (no '%.*s' line in %zu bytes)",
		    (int)strlen(ARCHIVE_MAGIC) - 1, ARCHIVE_MAGIC, len);
		return -1;
	}
	r.p = start + strlen(ARCHIVE_MAGIC);
	r.end = data + len;
	r.line = 1;
	if (next_line(&r, line, sizeof(line)) < 0 || sscanf(line, "files %llu%n", &count, &used) != 1 ||
	    line[used] != '\0' || count > ARCHIVE_FILES_MAX) {
		snprintf(err, errlen, "archive line 2: not 'files N' (N at most %d)", ARCHIVE_FILES_MAX);
		return -1;
	}
	if (count > 0) {
		a->files = calloc((size_t)count, sizeof(*a->files));
		sums = calloc((size_t)count, sizeof(*sums));
		if (a->files == NULL || sums == NULL) {
			snprintf(err, errlen, "archive: out of memory");
			goto out;
		}
	}
	if (read_sizes(&r, a, (size_t)count, err, errlen) < 0 || read_sums(&r, a, sums, err, errlen) < 0)
		goto out;
	if (next_line(&r, line, sizeof(line)) < 0 || strcmp(line, "data") != 0) {
		snprintf(err, errlen, "archive line %u: not 'data'", r.line + 1);
		goto out;
	}
	rc = read_data(&r, a, sums, err, errlen);
out:
	free(sums);
	if (rc < 0)
		archive_free(a);
	return rc;
}

int
archive_write_captures(const struct archive *a, const char *dir, size_t *written,
    char *err, size_t errlen)
{
	size_t i, prefix = strlen(ARCHIVE_CAPTURES);

	*written = 0;
	for (i = 0; i < a->count; i++) {
		const struct archive_file *f = &a->files[i];
		size_t len;
		char *path;

		if (strncmp(f->name, ARCHIVE_CAPTURES, prefix) != 0)
			continue;
		len = strlen(dir) + strlen(f->name) + 2;
		path = malloc(len);
		if (path == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		snprintf(path, len, "%s/%s", dir, f->name + prefix);
		if (hostfile_write(path, f->data, f->size, err, errlen) < 0) {
			free(path);
			return -1;
		}
		free(path);
		(*written)++;
	}
	return 0;
}
