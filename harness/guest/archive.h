/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * archive.h - the files the guest sends back over its serial channel, in
 * a frame the guest's busybox can write without any tool of ours:
 *
 *	@closeprobe-archive 1
 *	files N
 *	SIZE NAME		N lines, as "stat -c '%s %n'" prints them
 *	SHA256  NAME		N lines, as sha256sum prints them
 *	data
 *	the N files' bytes, one after the other, in the order of the sizes
 *	@closeprobe-archive end
 *
 * Names are "captures/FILE" (evidence for the captures directory) or
 * "meta/FILE" (closeprobe's output, exit status, the guest's dmesg);
 * FILE is letters, digits and ".-_+", not starting with '.'.  Anything
 * missing, extra, truncated or with a wrong checksum makes the archive bad.
 */
#ifndef archive_h
#define archive_h

#include <stddef.h>

#define ARCHIVE_MAGIC "@closeprobe-archive 1\n"
#define ARCHIVE_END "@closeprobe-archive end\n"
#define ARCHIVE_CAPTURES "captures/"
#define ARCHIVE_META "meta/"

struct archive_file {
	char *name;
	const unsigned char *data;	/* into the buffer parsed */
	size_t size;
};

struct archive {
	struct archive_file *files;
	size_t count;
};

/*
 * Parse the frame in data (bytes before the magic line are skipped: a
 * serial line may carry noise before it).  The files point into data,
 * which must outlive the archive.  0 ok; -1 with err set.
 */
int archive_parse(const unsigned char *data, size_t len, struct archive *a, char *err,
    size_t errlen);
void archive_free(struct archive *a);

/* The file of that name, or NULL. */
const struct archive_file *archive_find(const struct archive *a, const char *name);

/* Write every "captures/" file into dir (which must exist), replacing
 * files of the same names.  *written counts them.  0 ok; -1 with err. */
int archive_write_captures(const struct archive *a, const char *dir, size_t *written,
    char *err, size_t errlen);

#endif /* archive_h */
