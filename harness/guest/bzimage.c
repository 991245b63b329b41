/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bzimage.c - reading the release from the setup header.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bzimage.h"

#define BOOT_PROTOCOL_FIELD 0x206	/* 16 bits, e.g. 0x020f */
#define BOOT_PROTOCOL_WITH_VERSION 0x0200

static unsigned
little16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

int
bzimage_release(const unsigned char *image, size_t len, char *release, size_t size,
    char *err, size_t errlen)
{
	size_t offset, end;

	if (len < BZIMAGE_VERSION_FIELD + 2 ||
	    memcmp(image + BZIMAGE_HEADER_OFFSET, "HdrS", 4) != 0) {
		snprintf(err, errlen, "not an x86 Linux bzImage (no 'HdrS' setup header)");
		return -1;
	}
	if (little16(image + BOOT_PROTOCOL_FIELD) < BOOT_PROTOCOL_WITH_VERSION) {
		snprintf(err, errlen, "boot protocol %#x is too old to name its version",
		    little16(image + BOOT_PROTOCOL_FIELD));
		return -1;
	}
	offset = little16(image + BZIMAGE_VERSION_FIELD);
	if (offset == 0) {
		snprintf(err, errlen, "the bzImage names no kernel version");
		return -1;
	}
	offset += BZIMAGE_SETUP_BASE;
	for (end = offset; end < len && image[end] > ' ' && image[end] < 0x7f; end++)
		;
	if (end == offset || end >= len) {
		snprintf(err, errlen, "the bzImage's version string (at %zu) is %s", offset,
		    end == offset ? "empty" : "not within its first bytes");
		return -1;
	}
	if (end - offset >= size) {
		snprintf(err, errlen, "the bzImage's release is longer than %zu bytes", size - 1);
		return -1;
	}
	memcpy(release, image + offset, end - offset);
	release[end - offset] = '\0';
	return 0;
}
