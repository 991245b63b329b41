/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpio.h - writing a cpio archive in the "newc" format, the one the Linux
 * kernel unpacks as an initramfs.
 *
 * Every header field is fixed (uid and gid 0, mtime 0, inodes numbered in
 * order of writing), so the same entries always give the same bytes.
 */
#ifndef cpio_h
#define cpio_h

#include <stddef.h>
#include <stdint.h>

#define CPIO_NEWC_MAGIC "070701"
#define CPIO_HEADER_SIZE 110	/* the magic and 13 fields of 8 hex digits */
#define CPIO_TRAILER "TRAILER!!!"
#define CPIO_ALIGN 4		/* headers and data start on 4-byte bounds */
#define CPIO_BLOCK 512		/* what cpio(1) pads a whole archive to */

enum cpio_type {
	CPIO_DIRECTORY,
	CPIO_REGULAR,
	CPIO_SYMLINK,		/* data is the target, without a NUL */
	CPIO_CHAR_DEVICE
};

struct cpio_entry {
	const char *name;	/* the path in the archive, no leading '/' */
	enum cpio_type type;
	unsigned permissions;	/* 07777 bits */
	const void *data;	/* a file's contents or a symlink's target */
	size_t size;
	unsigned rdev_major, rdev_minor;	/* devices only */
};

struct cpio_writer {
	int fd;
	uint64_t offset;	/* bytes written so far */
	uint32_t next_inode;
};

/* Start an archive on fd (at its current position, counted from 0). */
void cpio_writer_init(struct cpio_writer *w, int fd);

/* Write one entry.  0 ok; -1 with err set (the fd's write failed, or the
 * entry cannot be expressed: a size over 4 GiB, an empty name). */
int cpio_write(struct cpio_writer *w, const struct cpio_entry *e, char *err, size_t errlen);

/* Write the trailer and pad the archive with zeros to CPIO_BLOCK bytes,
 * so that another archive may follow it.  0 ok; -1 with err set. */
int cpio_finish(struct cpio_writer *w, char *err, size_t errlen);

#endif /* cpio_h */
