/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * image.c - collecting the guest's files into a tree, keying it, and
 * writing it as cpio.
 *
 * Host files keep their host paths in the guest (a library at
 * /lib/x86_64-linux-gnu/libc.so.6 is there too), so the dynamic loader
 * finds them as ldd did; only busybox and closeprobe go to /bin.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "cpio.h"
#include "hostfile.h"
#include "image.h"
#include "ldd.h"
#include "moddep.h"
#include "shellword.h"

#define IMAGE_PREFIX "initramfs-"
#define IMAGE_SUFFIX ".cpio"
#define MODULES_DEP_MAX (64u << 20)
#define CONSOLE_MAJOR 5		/* /dev/console: the init's stdio before devtmpfs */
#define CONSOLE_MINOR 1
#define COPY_CHUNK (1u << 20)
#define TOOL_TIMEOUT_MS 10000	/* busybox --list */
#define APPLET_LIST_MAX (64u << 10)
#define APPLET_DIR "busybox"	/* the guest's PATH ends with it */

struct entry {
	char *name;		/* no leading '/' */
	enum cpio_type type;
	unsigned permissions;
	char *data;		/* owned */
	size_t size;
	unsigned major, minor;
};

struct tree {
	struct entry *entries;
	size_t count;
};

static void
tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->count; i++) {
		free(t->entries[i].name);
		free(t->entries[i].data);
	}
	free(t->entries);
	t->entries = NULL;
	t->count = 0;
}

static const struct entry *
tree_find(const struct tree *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (strcmp(t->entries[i].name, name) == 0)
			return &t->entries[i];
	return NULL;
}

/* Append e as name; the tree then owns e's data (even on failure). */
static int
tree_push(struct tree *t, const char *name, struct entry *e, char *err, size_t errlen)
{
	struct entry *grown = realloc(t->entries, (t->count + 1) * sizeof(*grown));

	if (grown == NULL || (e->name = strdup(name)) == NULL) {
		if (grown != NULL)
			t->entries = grown;
		free(e->data);
		snprintf(err, errlen, "image: out of memory");
		return -1;
	}
	t->entries = grown;
	t->entries[t->count++] = *e;
	return 0;
}

/* Every directory above name, outermost first. */
static int
tree_add_parents(struct tree *t, const char *name, char *err, size_t errlen)
{
	const char *slash;

	for (slash = strchr(name, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		char dir[4096];
		struct entry e = { NULL, CPIO_DIRECTORY, 0755, NULL, 0, 0, 0 };

		if ((size_t)(slash - name) >= sizeof(dir)) {
			snprintf(err, errlen, "image: the path %.100s... is too long", name);
			return -1;
		}
		memcpy(dir, name, (size_t)(slash - name));
		dir[slash - name] = '\0';
		if (tree_find(t, dir) == NULL && tree_push(t, dir, &e, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Add e as name with its parents; a name already there keeps its first
 * entry.  The tree owns e's data. */
static int
tree_add(struct tree *t, const char *name, struct entry *e, char *err, size_t errlen)
{
	if (tree_find(t, name) != NULL) {
		free(e->data);
		return 0;
	}
	if (tree_add_parents(t, name, err, errlen) < 0) {
		free(e->data);
		return -1;
	}
	return tree_push(t, name, e, err, errlen);
}

static int
tree_add_text(struct tree *t, const char *name, unsigned permissions, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct entry e = { NULL, CPIO_REGULAR, permissions, malloc(len + 1), len, 0, 0 };

	if (e.data == NULL) {
		snprintf(err, errlen, "image: out of memory");
		return -1;
	}
	memcpy(e.data, text, len);
	return tree_add(t, name, &e, err, errlen);
}

/* The guest name of an absolute host path: without the leading '/',
 * refused when it has "." or ".." parts (ldd and PATH give clean ones). */
static int
guest_name(const char *host_path, const char **name, char *err, size_t errlen)
{
	const char *p = host_path;

	while (*p == '/')
		p++;
	if (host_path[0] != '/' || *p == '\0' || strstr(host_path, "/./") != NULL ||
	    strstr(host_path, "/../") != NULL || strstr(host_path, "//") != NULL) {
		snprintf(err, errlen, "image: '%s' is not a clean absolute path", host_path);
		return -1;
	}
	*name = p;
	return 0;
}

static int
tree_add_host_file(struct tree *t, const char *name, const char *host_path, char *err,
    size_t errlen)
{
	struct entry e = { NULL, CPIO_REGULAR, 0, NULL, 0, 0, 0 };
	struct stat st;

	if (tree_find(t, name) != NULL)
		return 0;
	if (stat(host_path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", host_path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", host_path);
		return -1;
	}
	if (hostfile_read(host_path, IMAGE_FILE_MAX, &e.data, &e.size, err, errlen) < 0)
		return -1;
	e.permissions = st.st_mode & 0777;	/* never setuid in the guest */
	return tree_add(t, name, &e, err, errlen);
}

static void
tree_key(const struct tree *t, char key[SHA256_HEX_SIZE])
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256 h;
	size_t i;

	sha256_init(&h);
	sha256_update(&h, "closeprobe-initramfs 1\n", strlen("closeprobe-initramfs 1\n"));
	for (i = 0; i < t->count; i++) {
		const struct entry *e = &t->entries[i];
		char line[128], content[SHA256_HEX_SIZE];
		int n;

		sha256_hex(e->data != NULL ? e->data : "", e->size, content);
		n = snprintf(line, sizeof(line), "%d %o %u %u %zu %s ", (int)e->type,
		    e->permissions, e->major, e->minor, e->size, content);
		sha256_update(&h, line, (size_t)n);
		sha256_update(&h, e->name, strlen(e->name) + 1);
	}
	sha256_final(&h, digest);
	sha256_digest_hex(digest, key);
}

static int
tree_write(const struct tree *t, struct cpio_writer *w, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < t->count; i++) {
		const struct entry *e = &t->entries[i];
		struct cpio_entry ce = { e->name, e->type, e->permissions, e->data, e->size,
			e->major, e->minor };

		if (cpio_write(w, &ce, err, errlen) < 0)
			return -1;
	}
	return cpio_finish(w, err, errlen);
}

/* The fixed skeleton: where the init mounts things, and a console for its
 * first words. */
static int
add_skeleton(struct tree *t, const struct image_inputs *in, char *err, size_t errlen)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "closeprobe" };
	struct entry console = { NULL, CPIO_CHAR_DEVICE, 0600, NULL, 0,
		CONSOLE_MAJOR, CONSOLE_MINOR };
	struct entry sh = { NULL, CPIO_SYMLINK, 0777, strdup("busybox"), strlen("busybox"),
		0, 0 };
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct entry d = { NULL, CPIO_DIRECTORY, 0755, NULL, 0, 0, 0 };

		if (tree_add(t, dirs[i], &d, err, errlen) < 0)
			return -1;
	}
	if (sh.data == NULL) {
		snprintf(err, errlen, "image: out of memory");
		return -1;
	}
	if (tree_add(t, "dev/console", &console, err, errlen) < 0 ||
	    tree_add_text(t, "init", 0755, in->init_script, strlen(in->init_script), err,
	    errlen) < 0 ||
	    tree_add_host_file(t, "bin/busybox", in->busybox, err, errlen) < 0 ||
	    tree_add(t, "bin/sh", &sh, err, errlen) < 0)
		return -1;
	return tree_add_host_file(t, "bin/closeprobe", in->closeprobe, err, errlen);
}

/* A link in APPLET_DIR for each of busybox's commands: what "busybox
 * --install" would make at boot, made here once (under TCG the guest
 * takes a good part of a second for it). */
static int
add_applet_links(struct tree *t, const char *busybox, char *err, size_t errlen)
{
	const char *argv[] = { busybox, "--list", NULL };
	char *list = NULL, *line, *save = NULL, how[64];
	int wstatus, rc = 0;

	if (child_capture(argv, TOOL_TIMEOUT_MS, APPLET_LIST_MAX, &list, &wstatus, err,
	    errlen) < 0)
		return -1;
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
		child_describe_status(wstatus, how, sizeof(how));
		snprintf(err, errlen, "%s --list: %s: %.200s", busybox, how, list);
		free(list);
		return -1;
	}
	for (line = strtok_r(list, "\n", &save); line != NULL && rc == 0;
	    line = strtok_r(NULL, "\n", &save)) {
		struct entry link = { NULL, CPIO_SYMLINK, 0777, strdup("/bin/busybox"),
			strlen("/bin/busybox"), 0, 0 };
		char name[256];

		if (link.data == NULL) {
			snprintf(err, errlen, "image: out of memory");
			rc = -1;
		} else if (strchr(line, '/') != NULL || strcmp(line, ".") == 0 ||
		    strcmp(line, "..") == 0 || (size_t)snprintf(name, sizeof(name), "%s/%s",
		    APPLET_DIR, line) >= sizeof(name)) {
			free(link.data);	/* not a command name */
		} else {
			rc = tree_add(t, name, &link, err, errlen);
		}
	}
	free(list);
	return rc;
}

/* The host programs and every library they load, at their host paths;
 * the libraries' directories go to library_dirs. */
static int
add_programs(struct tree *t, const struct image_inputs *in, struct strlist *library_dirs,
    char *err, size_t errlen)
{
	struct strlist libs = STRLIST_INIT;
	const char *name;
	size_t i;
	int rc = -1;

	if (add_applet_links(t, in->busybox, err, errlen) < 0 ||
	    ldd_libraries(in->busybox, &libs, err, errlen) < 0 ||
	    ldd_libraries(in->closeprobe, &libs, err, errlen) < 0)
		goto out;
	for (i = 0; i < in->ntools; i++)
		if (guest_name(in->tools[i], &name, err, errlen) < 0 ||
		    tree_add_host_file(t, name, in->tools[i], err, errlen) < 0 ||
		    ldd_libraries(in->tools[i], &libs, err, errlen) < 0)
			goto out;
	for (i = 0; i < libs.count; i++) {
		char *slash = strrchr(libs.items[i], '/');

		if (guest_name(libs.items[i], &name, err, errlen) < 0 ||
		    tree_add_host_file(t, name, libs.items[i], err, errlen) < 0)
			goto out;
		*slash = '\0';
		if (strlist_add_unique(library_dirs, slash == libs.items[i] ? "/" : libs.items[i]) < 0) {
			snprintf(err, errlen, "image: out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	strlist_free(&libs);
	return rc;
}

int
image_resolve_modules(const char *modules_dir, const char *const *names, size_t n,
    struct strlist *files, struct strlist *missing, char *err, size_t errlen)
{
	char path[4096], *dep_text = NULL, *builtin_text = NULL;
	struct moddep *deps = NULL;
	size_t size, i;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/modules.dep", modules_dir);
	if (hostfile_read(path, MODULES_DEP_MAX, &dep_text, &size, err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/modules.builtin", modules_dir);
	if (hostfile_read(path, MODULES_DEP_MAX, &builtin_text, &size, err, errlen) < 0 &&
	    errno != ENOENT)
		goto out;
	deps = moddep_parse(dep_text, builtin_text, err, errlen);
	if (deps == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		enum moddep_found found;

		if (moddep_resolve(deps, names[i], files, &found, err, errlen) < 0)
			goto out;
		if (found == MODDEP_MISSING && missing != NULL && strlist_add(missing, names[i]) < 0) {
			snprintf(err, errlen, "image: out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	moddep_free(deps);
	free(dep_text);
	free(builtin_text);
	return rc;
}

static int
add_modules(struct tree *t, const struct image_inputs *in, struct image *out, char *err,
    size_t errlen)
{
	size_t i;

	if (image_resolve_modules(in->modules_dir, in->modules, in->nmodules, &out->module_files,
	    &out->missing_modules, err, errlen) < 0)
		return -1;
	for (i = 0; i < out->module_files.count; i++) {
		char name[4096], host[4096];

		snprintf(name, sizeof(name), "lib/modules/%s/%s", in->release, out->module_files.items[i]);
		snprintf(host, sizeof(host), "%s/%s", in->modules_dir, out->module_files.items[i]);
		if (tree_add_host_file(t, name, host, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* What the init sources: the release, the modules in load order, where
 * the libraries are. */
static int
add_config(struct tree *t, const struct image_inputs *in, const struct image *img,
    const struct strlist *library_dirs, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "image: open_memstream: %s", strerror(errno));
		return -1;
	}
	fputs("GUEST_RELEASE=", f);
	shellword_write(f, in->release);
	fputs("\nGUEST_MODULES=", f);
	shellword_join(f, &img->module_files, ' ');
	fputs("\nGUEST_LIBRARY_PATH=", f);
	shellword_join(f, library_dirs, ':');
	fputs("\n", f);
	if (fclose(f) != 0 || text == NULL) {
		snprintf(err, errlen, "image: writing %s: %s", IMAGE_CONF, strerror(errno));
		free(text);
		return -1;
	}
	rc = tree_add_text(t, IMAGE_CONF, 0644, text, len, err, errlen);
	free(text);
	return rc;
}

static int
write_image(const struct tree *t, const char *path, char *err, size_t errlen)
{
	size_t len = strlen(path) + 8;
	char *tmp = malloc(len);
	struct cpio_writer w;
	int fd;

	if (tmp == NULL) {
		snprintf(err, errlen, "image: out of memory");
		return -1;
	}
	/* Written beside its final name, then renamed: a run reading the
	 * cache never sees half an image. */
	snprintf(tmp, len, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	cpio_writer_init(&w, fd);
	if (fchmod(fd, 0644) < 0)
		snprintf(err, errlen, "%s: fchmod: %s", tmp, strerror(errno));
	else if (tree_write(t, &w, err, errlen) == 0) {
		if (close(fd) < 0)
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		else if (rename(tmp, path) < 0)
			snprintf(err, errlen, "rename to %s: %s", path, strerror(errno));
		else {
			free(tmp);
			return 0;
		}
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

struct cached_image {
	char name[256];
	struct timespec mtime;
};

static int
newest_first(const void *a, const void *b)
{
	const struct cached_image *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Keep the IMAGE_CACHE_KEEP images used last (runs touch theirs); a run
 * never needs its image after image_compose copied it, so removing one
 * under another run is harmless.  Best effort: the cache only grows. */
static void
prune_cache(const char *dir, const char *keep)
{
	struct cached_image *found = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct cached_image *grown;
		struct stat st;
		char path[4096];

		if (strncmp(de->d_name, IMAGE_PREFIX, strlen(IMAGE_PREFIX)) != 0 ||
		    len < strlen(IMAGE_SUFFIX) || len >= sizeof(found->name) ||
		    strcmp(de->d_name + len - strlen(IMAGE_SUFFIX), IMAGE_SUFFIX) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0 || (grown = realloc(found, (n + 1) * sizeof(*grown))) == NULL)
			continue;
		found = grown;
		snprintf(found[n].name, sizeof(found[n].name), "%s", de->d_name);
		found[n++].mtime = st.st_mtim;
	}
	closedir(d);
	if (n > 0)
		qsort(found, n, sizeof(*found), newest_first);
	for (i = IMAGE_CACHE_KEEP; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, found[i].name);
		if (strcmp(path, keep) != 0)
			unlink(path);
	}
	free(found);
}

/* The image for key in dir: there already (then touched), or written. */
static int
place_image(const struct tree *t, const char *dir, const char *key, struct image *out,
    char *err, size_t errlen)
{
	size_t len = strlen(dir) + strlen(IMAGE_PREFIX) + strlen(key) + strlen(IMAGE_SUFFIX) + 2;
	struct stat st;

	out->path = malloc(len);
	if (out->path == NULL) {
		snprintf(err, errlen, "image: out of memory");
		return -1;
	}
	snprintf(out->path, len, "%s/%s%s%s", dir, IMAGE_PREFIX, key, IMAGE_SUFFIX);
	if (stat(out->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size % CPIO_BLOCK == 0) {
		out->cached = true;
		if (utimensat(AT_FDCWD, out->path, NULL, 0) < 0) {
			/* Not ours to touch (a shared cache): it still serves,
			 * only pruning may take it earlier. */
		}
		return 0;
	}
	if (hostfile_mkdirs(dir, err, errlen) < 0 || write_image(t, out->path, err, errlen) < 0) {
		free(out->path);
		out->path = NULL;
		return -1;
	}
	return 0;
}

int
image_prepare(const struct image_inputs *in, const char *cache_dir, const char *fallback_dir,
    struct image *out, char *err, size_t errlen)
{
	struct strlist library_dirs = STRLIST_INIT;
	struct tree t = { NULL, 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (add_skeleton(&t, in, err, errlen) < 0 ||
	    add_programs(&t, in, &library_dirs, err, errlen) < 0 ||
	    add_modules(&t, in, out, err, errlen) < 0 ||
	    add_config(&t, in, out, &library_dirs, err, errlen) < 0)
		goto out;
	tree_key(&t, out->key);
	out->entries = t.count;
	if (cache_dir != NULL && place_image(&t, cache_dir, out->key, out, out->cache_error,
	    sizeof(out->cache_error)) == 0) {
		prune_cache(cache_dir, out->path);
		rc = 0;
	} else if (place_image(&t, fallback_dir, out->key, out, err, errlen) == 0) {
		rc = 0;
	}
out:
	strlist_free(&library_dirs);
	tree_free(&t);
	if (rc < 0)
		image_free(out);
	return rc;
}

void
image_free(struct image *img)
{
	free(img->path);
	img->path = NULL;
	strlist_free(&img->missing_modules);
	strlist_free(&img->module_files);
}

static int
copy_base(int in, int out, char *err, size_t errlen)
{
	char *buf = malloc(COPY_CHUNK);
	int rc = 0;

	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		ssize_t n = read(in, buf, COPY_CHUNK), done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0) {
				snprintf(err, errlen, "reading the base image: %s", strerror(errno));
				rc = -1;
			}
			break;
		}
		while (done < n) {
			ssize_t m = write(out, buf + done, (size_t)(n - done));

			if (m < 0 && errno == EINTR)
				continue;
			if (m < 0) {
				snprintf(err, errlen, "writing the guest's initramfs: %s", strerror(errno));
				free(buf);
				return -1;
			}
			done += m;
		}
	}
	free(buf);
	return rc;
}

int
image_compose(const char *base_path, const struct image_extra *extras, size_t nextras,
    const char *out_path, char *err, size_t errlen)
{
	struct tree t = { NULL, 0 };
	struct cpio_writer w;
	size_t i;
	int in = -1, out = -1, rc = -1;
	const char *name;

	for (i = 0; i < nextras; i++) {
		const struct image_extra *x = &extras[i];

		if (guest_name(x->path, &name, err, errlen) < 0)
			goto done;
		if (x->host_path != NULL ? tree_add_host_file(&t, name, x->host_path, err, errlen) < 0 :
		    tree_add_text(&t, name, x->permissions, x->data, x->size, err, errlen) < 0)
			goto done;
	}
	in = open(base_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		snprintf(err, errlen, "%s: %s", base_path, strerror(errno));
		goto done;
	}
	out = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		snprintf(err, errlen, "%s: %s", out_path, strerror(errno));
		goto done;
	}
	if (copy_base(in, out, err, errlen) < 0)
		goto done;
	/* The base ends on a CPIO_BLOCK boundary: offsets counted from here
	 * keep the second archive's alignment. */
	cpio_writer_init(&w, out);
	if (tree_write(&t, &w, err, errlen) < 0)
		goto done;
	rc = 0;
done:
	if (out >= 0 && close(out) < 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", out_path, strerror(errno));
		rc = -1;
	}
	if (in >= 0)
		close(in);
	tree_free(&t);
	return rc;
}
