/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * accelcache.c - the memo that KVM hung here (see accelcache.h).
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accelcache.h"
#include "guest.h"
#include "hostfile.h"
#include "sha256.h"

#define MEMO_MAX 4096			/* what a memo holds: one line of why */
#define KEY_HEX 16			/* of the digest's hexadecimal, in the name */

/* A file's identity for the key: path, size, modification time.  -1 when
 * it cannot be read. */
static int
add_file(struct sha256 *h, const char *path)
{
	char line[PATH_MAX + 64];
	struct stat st;
	int n;

	if (stat(path, &st) < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%s\n%lld\n%lld.%09ld\n", path, (long long)st.st_size,
	    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	sha256_update(h, line, (size_t)n);
	return 0;
}

void
accelcache_init(struct accelcache *ac, const char *cache_dir, const char *kernel,
    const char *release, const char *qemu)
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	char dir[PATH_MAX], hex[SHA256_HEX_SIZE];
	struct utsname host;
	struct sha256 h;
	int n;

	ac->path[0] = '\0';
	if (cache_dir != NULL)
		n = snprintf(dir, sizeof(dir), "%s", cache_dir);
	else
		n = guest_default_cache_dir(dir, sizeof(dir)) < 0 ? -1 : 0;
	if (n < 0 || (size_t)n >= sizeof(dir) || uname(&host) < 0)
		return;
	sha256_init(&h);
	sha256_update(&h, host.release, strlen(host.release));
	sha256_update(&h, "\n", 1);
	sha256_update(&h, release, strlen(release));
	sha256_update(&h, "\n", 1);
	if (add_file(&h, kernel) < 0 || add_file(&h, qemu) < 0)
		return;
	sha256_final(&h, digest);
	sha256_digest_hex(digest, hex);
	n = snprintf(ac->path, sizeof(ac->path), "%s/%s%.*s", dir, ACCELCACHE_PREFIX, KEY_HEX, hex);
	if (n < 0 || (size_t)n >= sizeof(ac->path))
		ac->path[0] = '\0';
}

bool
accelcache_kvm_hung(const struct accelcache *ac, char *note, size_t size)
{
	char *text = NULL, scratch[64], until[64];
	struct stat st;
	struct tm tm;
	size_t len;
	time_t expiry, now = time(NULL);

	if (ac->path[0] == '\0' || stat(ac->path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	expiry = st.st_mtim.tv_sec + ACCELCACHE_TTL_S;
	/* Expired, or written in the future (a clock set back): try KVM. */
	if (now >= expiry || st.st_mtim.tv_sec > now + 60)
		return false;
	if (hostfile_read(ac->path, MEMO_MAX, &text, &len, scratch, sizeof(scratch)) < 0)
		return false;
	text[strcspn(text, "\n")] = '\0';
	if (localtime_r(&expiry, &tm) == NULL || strftime(until, sizeof(until), "%Y-%m-%d %H:%M",
	    &tm) == 0)
		snprintf(until, sizeof(until), "a day");
	snprintf(note, size, "%s; remembered in %s until %s", text[0] != '\0' ? text : "kvm hung",
	    ac->path, until);
	free(text);
	return true;
}

int
accelcache_remember(const struct accelcache *ac, const char *why, char *err, size_t errlen)
{
	char dir[PATH_MAX], memo[MEMO_MAX], *slash;
	int n;

	if (ac->path[0] == '\0')
		return 0;
	snprintf(dir, sizeof(dir), "%s", ac->path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (hostfile_mkdirs(dir, err, errlen) < 0)
			return -1;
	}
	n = snprintf(memo, sizeof(memo), "%s\n", why);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(memo))
		n = (int)sizeof(memo) - 1;
	return hostfile_write(ac->path, memo, (size_t)n, err, errlen);
}

int
accelcache_forget(const struct accelcache *ac, char *err, size_t errlen)
{
	if (ac->path[0] == '\0' || unlink(ac->path) == 0 || errno == ENOENT)
		return 0;
	snprintf(err, errlen, "%s: %s", ac->path, strerror(errno));
	return -1;
}
