/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hostfile.h - the host's files as the guest module uses them: read
 * whole, written whole, directories made and removed, programs found.
 */
#ifndef hostfile_h
#define hostfile_h

#include <stddef.h>

/*
 * Read path whole (at most max bytes) into *data, NUL-terminated, its
 * size in *size.  0 ok; -1 with err set ("PATH: Permission denied"), errno
 * kept for the caller to tell why.
 */
int hostfile_read(const char *path, size_t max, char **data, size_t *size, char *err,
    size_t errlen);

/* Create or replace path with size bytes of data, mode 0644.  0 ok; -1
 * with err set. */
int hostfile_write(const char *path, const void *data, size_t size, char *err, size_t errlen);

/* mkdir -p path (mode 0755).  0 ok; -1 with err set. */
int hostfile_mkdirs(const char *path, char *err, size_t errlen);

/* rm -rf path, not following symbolic links.  0 ok; -1 with err set. */
int hostfile_remove_tree(const char *path, char *err, size_t errlen);

/*
 * The first executable called name in $PATH, then in the colon-separated
 * dirs (the sbin directories an ordinary user's PATH may lack); a name
 * with a '/' is taken as it is.  0 with out set; -1 when none.
 */
int hostfile_find_program(const char *name, const char *dirs, char *out, size_t size);

#endif /* hostfile_h */
