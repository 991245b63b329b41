/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpio.c - the newc writer.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpio.h"

static int
write_all(struct cpio_writer *w, const void *data, size_t len, char *err, size_t errlen)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "writing the cpio archive: %s", strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
		w->offset += (uint64_t)n;
	}
	return 0;
}

static int
pad_to(struct cpio_writer *w, uint64_t align, char *err, size_t errlen)
{
	static const char zeros[CPIO_BLOCK];
	size_t pad = (size_t)((align - w->offset % align) % align);

	return write_all(w, zeros, pad, err, errlen);
}

static unsigned
type_bits(enum cpio_type type)
{
	switch (type) {
	case CPIO_DIRECTORY:
		return S_IFDIR;
	case CPIO_SYMLINK:
		return S_IFLNK;
	case CPIO_CHAR_DEVICE:
		return S_IFCHR;
	case CPIO_REGULAR:
		break;
	}
	return S_IFREG;
}

static int
write_header(struct cpio_writer *w, const char *name, unsigned mode, uint32_t nlink,
    size_t size, unsigned rdev_major, unsigned rdev_minor, char *err, size_t errlen)
{
	char header[CPIO_HEADER_SIZE + 1];
	size_t namesize = strlen(name) + 1;

	if (namesize > 0xffffffffu) {
		snprintf(err, errlen, "cpio: the name '%.40s...' is too long", name);
		return -1;
	}
	/* ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
	 * rdevminor namesize check */
	snprintf(header, sizeof(header),
	    "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", CPIO_NEWC_MAGIC,
	    (unsigned)w->next_inode++, mode, 0u, 0u, (unsigned)nlink, 0u, (unsigned)size, 0u,
	    0u, rdev_major, rdev_minor, (unsigned)namesize, 0u);
	if (write_all(w, header, CPIO_HEADER_SIZE, err, errlen) < 0 ||
	    write_all(w, name, namesize, err, errlen) < 0)
		return -1;
	return pad_to(w, CPIO_ALIGN, err, errlen);
}

void
cpio_writer_init(struct cpio_writer *w, int fd)
{
	w->fd = fd;
	w->offset = 0;
	w->next_inode = 1;	/* 0 is what cpio(1) gives the trailer */
}

int
cpio_write(struct cpio_writer *w, const struct cpio_entry *e, char *err, size_t errlen)
{
	size_t size = e->type == CPIO_REGULAR || e->type == CPIO_SYMLINK ? e->size : 0;

	if (e->name == NULL || e->name[0] == '\0') {
		snprintf(err, errlen, "cpio: an entry without a name");
		return -1;
	}
	if (size > 0xffffffffu) {
		snprintf(err, errlen, "cpio: %s is over 4 GiB, more than newc can hold", e->name);
		return -1;
	}
	if (write_header(w, e->name, type_bits(e->type) | (e->permissions & 07777),
	    e->type == CPIO_DIRECTORY ? 2 : 1, size,
	    e->type == CPIO_CHAR_DEVICE ? e->rdev_major : 0,
	    e->type == CPIO_CHAR_DEVICE ? e->rdev_minor : 0, err, errlen) < 0)
		return -1;
	if (size == 0)
		return 0;
	if (write_all(w, e->data, size, err, errlen) < 0)
		return -1;
	return pad_to(w, CPIO_ALIGN, err, errlen);
}

int
cpio_finish(struct cpio_writer *w, char *err, size_t errlen)
{
	w->next_inode = 0;
	if (write_header(w, CPIO_TRAILER, 0, 1, 0, 0, 0, err, errlen) < 0)
		return -1;
	return pad_to(w, CPIO_BLOCK, err, errlen);
}
