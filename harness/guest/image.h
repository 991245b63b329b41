/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * image.h - the guest's initramfs, made from what the host has: busybox,
 * closeprobe and the tools its cases run (ip, tc, nft) with the libraries
 * ldd lists, the kernel modules the cases need with their dependencies,
 * and the guest's /init.
 *
 * The base image is the same for every run with the same inputs: it is
 * kept in a cache directory under a name made of the SHA-256 of its
 * contents (every file's name, mode and bytes), so a changed library, a
 * rebuilt closeprobe or another kernel's modules make another image.
 * What changes from run to run (the cases, the command line) goes into a
 * second, small cpio archive appended to a copy of the base: the kernel
 * unpacks both, one after the other.
 */
#ifndef image_h
#define image_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"
#include "strlist.h"

#define IMAGE_CACHE_KEEP 4		/* base images kept, newest first */
#define IMAGE_FILE_MAX (256u << 20)	/* no input file is larger */
#define IMAGE_CONF "closeprobe/image.conf"	/* what the init sources */

/* What goes into the base image. */
struct image_inputs {
	const char *release;		/* the kernel's: the modules' directory name */
	const char *modules_dir;	/* the host directory with modules.dep */
	const char *const *modules;	/* module names to load, in this order */
	size_t nmodules;
	const char *busybox;		/* host path of a busybox binary */
	const char *closeprobe;		/* host path of the closeprobe binary */
	const char *const *tools;	/* host paths, kept at the same paths */
	size_t ntools;
	const char *init_script;	/* the text of /init */
};

struct image {
	char key[SHA256_HEX_SIZE];	/* the contents' SHA-256 */
	char *path;			/* the base image */
	bool cached;			/* it was in the cache already */
	char cache_error[512];		/* why the cache was not used, or "" */
	size_t entries;			/* files, directories and links in it */
	struct strlist missing_modules;	/* neither a module file nor built in */
	struct strlist module_files;	/* in load order, relative paths */
};

/*
 * Collect the inputs, compute the key, and find the base image in
 * cache_dir (made if needed) or write it there.  When the cache cannot be
 * written, the image goes to fallback_dir instead.  0 ok; -1 with err.
 */
int image_prepare(const struct image_inputs *in, const char *cache_dir,
    const char *fallback_dir, struct image *out, char *err, size_t errlen);
void image_free(struct image *img);

/* The module files (relative to modules_dir, in load order, each once)
 * that the modules names need, appended to files; the names that are
 * neither a file nor built in to missing (NULL: not kept).  0 ok; -1 with
 * err set. */
int image_resolve_modules(const char *modules_dir, const char *const *names, size_t n,
    struct strlist *files, struct strlist *missing, char *err, size_t errlen);

/* A file of the run's own archive: a host file's bytes or given data, at
 * an absolute guest path (its parent directories are made). */
struct image_extra {
	const char *path;
	const char *host_path;		/* NULL: data and size instead */
	const char *data;
	size_t size;
	unsigned permissions;
};

/* Write out_path: the base image's bytes, then an archive of extras.
 * 0 ok; -1 with err set. */
int image_compose(const char *base_path, const struct image_extra *extras, size_t nextras,
    const char *out_path, char *err, size_t errlen);

#endif /* image_h */
