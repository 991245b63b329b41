/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * accelcache.h - remembering that KVM hung here.  A KVM that hangs says
 * nothing, and "--accel auto" waits GUEST_LIFE_TIMEOUT_MS (2 s) for a
 * first kernel line before it boots again with TCG; on a host where that
 * is always so, every run pays it.  After a fall back the memo says so,
 * and later auto runs go straight to TCG until it expires; "--accel kvm"
 * still tries, and a KVM guest that answers removes the memo.
 *
 * The memo is a file kvm-hung-KEY in the cache directory (beside the
 * cached initramfs images), holding why KVM was given up.  KEY is a hash
 * of what decides whether KVM works: the host kernel's release, the guest
 * kernel (its image's path, size and modification time, and its release)
 * and qemu (its binary's path, size and modification time: its version),
 * so that another kernel or qemu tries KVM again.  It holds for
 * ACCELCACHE_TTL_S after it was written (its modification time).
 */
#ifndef accelcache_h
#define accelcache_h

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define ACCELCACHE_TTL_S (24 * 60 * 60)	/* a day: then KVM is tried again */
#define ACCELCACHE_PREFIX "kvm-hung-"

struct accelcache {
	char path[PATH_MAX];	/* the memo's file; "" without a cache directory */
};

/*
 * The memo for this kernel image (and its release) and qemu binary, in
 * cache_dir (NULL: the default, guest_default_cache_dir()).  Without a
 * cache directory, or when the inputs cannot be read, the memo is "": it
 * never says KVM hung, and remembering does nothing.
 */
void accelcache_init(struct accelcache *ac, const char *cache_dir, const char *kernel,
    const char *release, const char *qemu);

/* true when a memo younger than ACCELCACHE_TTL_S says KVM hung; what it
 * says (why, until when) into note. */
bool accelcache_kvm_hung(const struct accelcache *ac, char *note, size_t size);

/* Remember that KVM hung, and why.  0 ok (or no cache directory); -1
 * with err set when the memo cannot be written. */
int accelcache_remember(const struct accelcache *ac, const char *why, char *err, size_t errlen);

/* KVM answered: no memo any more.  0 ok (or there was none); -1 with err
 * set when it cannot be removed. */
int accelcache_forget(const struct accelcache *ac, char *err, size_t errlen);

#endif /* accelcache_h */
