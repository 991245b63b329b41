/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bzimage.h - the kernel release named inside an x86 bzImage, without
 * booting it: the boot protocol's setup header (at 0x1f1) says where the
 * version string is, the string begins with the release ("6.1.0-57-cloud-
 * amd64 (debian-kernel@...) #1 SMP ...").
 */
#ifndef bzimage_h
#define bzimage_h

#include <stddef.h>

#define BZIMAGE_HEADER_OFFSET 0x202	/* "HdrS" */
#define BZIMAGE_VERSION_FIELD 0x20e	/* 16 bits: the string's offset - 0x200 */
#define BZIMAGE_SETUP_BASE 0x200
#define BZIMAGE_READ_SIZE 65536		/* enough for the setup code and the string */

/*
 * From the first bytes of an image (BZIMAGE_READ_SIZE are enough), the
 * release into release.  0 ok; -1 with err set when it is not a bzImage,
 * its boot protocol is older than 2.00 or it names no version.
 */
int bzimage_release(const unsigned char *image, size_t len, char *release, size_t size,
    char *err, size_t errlen);

#endif /* bzimage_h */
