/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guest.h - running cases inside another Linux kernel: boot the kernel
 * image under qemu (KVM when it answers in time, else TCG) from an
 * initramfs built from the host's own files, run "closeprobe run" there
 * on the same case files with the same arguments, and bring back its
 * output, its JSON and its evidence files into the captures directory as
 * if the cases had run here.
 *
 * Nothing needs a network or a download, nor root: TCG needs no /dev/kvm.
 * The guest's results come back over a virtio serial port (ttyS1 when the
 * kernel lacks virtio_console) in a checksummed frame (archive.h); its
 * console comes back too, with closeprobe's text on it.  Every wait is
 * bounded, qemu is killed at its deadline, and nothing is left behind.
 */
#ifndef guest_h
#define guest_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accelcache.h"

enum guest_accel {
	GUEST_ACCEL_AUTO,	/* KVM if /dev/kvm opens and the guest shows life in time */
	GUEST_ACCEL_KVM,
	GUEST_ACCEL_TCG
};

#define GUEST_LIFE_TIMEOUT_MS 2000	/* a KVM guest's first kernel line */
#define GUEST_BOOT_TIMEOUT_MS 60000	/* qemu started to the guest's init */
#define GUEST_RUN_TIMEOUT_MS 600000	/* the cases inside */
#define GUEST_VCPUS 2
#define GUEST_MEMORY_MB 512
#define PATH_MAX_GUEST 4096

struct guest_options {
	const char *kernel;		/* an x86 bzImage */
	const char *modules_dir;	/* NULL: /lib/modules/RELEASE (RELEASE from the image);
					 * DIR or DIR/RELEASE with a modules.dep */
	enum guest_accel accel;
	const char *closeprobe_binary;	/* the closeprobe to run inside */
	const char *const *case_paths;	/* as given to "closeprobe run": files, directories */
	size_t ncases;
	const char *const *run_args;	/* more arguments for "closeprobe run" inside,
					 * NULL-terminated (not --captures, --json); may be NULL */
	const char *cache_dir;		/* NULL: $XDG_CACHE_HOME/closeprobe or ~/.cache/closeprobe */
	const char *busybox;		/* NULL: busybox from PATH, /bin, /usr/bin */
	const char *qemu;		/* NULL: qemu-system-x86_64 from PATH */
	int64_t life_timeout_ms;	/* 0: GUEST_LIFE_TIMEOUT_MS */
	int64_t boot_timeout_ms;	/* 0: GUEST_BOOT_TIMEOUT_MS */
	int64_t run_timeout_ms;		/* 0: GUEST_RUN_TIMEOUT_MS */
	unsigned vcpus;			/* 0: GUEST_VCPUS */
	unsigned memory_mb;		/* 0: GUEST_MEMORY_MB */
	int (*stop_requested)(void);	/* asked when a signal comes; nonzero: give up */
};

/* Milliseconds each phase took. */
struct guest_timings {
	int64_t image;		/* the initramfs: inputs, key, cache, the run's part */
	int64_t kvm_lost;	/* a KVM attempt given up for TCG (0: none) */
	int64_t boot;		/* qemu started to the guest's init running */
	int64_t modules;	/* loading the kernel modules */
	int64_t run;		/* closeprobe run inside */
	int64_t collect;	/* the archive sent, qemu gone, files written */
	int64_t total;
};

struct guest_result {
	enum guest_accel accel;		/* what ran: KVM or TCG */
	char accel_note[512];		/* why ("/dev/kvm: Permission denied: tcg") */
	char release[256];		/* uname -r in the guest */
	int status;			/* closeprobe's exit status inside; -1: none */
	char *verdict_text;		/* what closeprobe printed (stdout) */
	char *error_text;		/* its stderr */
	char *json;			/* its --json */
	char *notes;			/* what may differ from the host: modules or tools
					 * missing, modules that failed to load, the cache */
	char *console;			/* the guest's whole console */
	char *dmesg;			/* the guest kernel's log after the run */
	char *image_path;		/* the base initramfs used */
	bool image_cached;		/* it came from the cache */
	size_t captures;		/* files written into the captures directory */
	struct guest_timings ms;
};

/*
 * Boot the guest, run the cases, bring the results back: the evidence
 * files into captures_dir (made if needed; inside, closeprobe is given
 * the same --captures, relative to the same working directory, so paths
 * in its text and JSON read as here).  0 when closeprobe ran inside and
 * its results came back (result->status says how it ended); -1 with err
 * set when not.  Either way the result holds what is known (the console,
 * the accelerator) and must be freed.
 */
int guest_run(const struct guest_options *opts, const char *captures_dir,
    struct guest_result *result, char *err, size_t errlen);
void guest_result_free(struct guest_result *result);

/* "auto", "kvm", "tcg" */
const char *guest_accel_name(enum guest_accel accel);
/* 0 with *accel set; -1 for another word. */
int guest_accel_parse(const char *text, enum guest_accel *accel);

/* The default cache directory into path.  0 ok; -1 when neither
 * XDG_CACHE_HOME nor HOME is set or it does not fit. */
int guest_default_cache_dir(char *path, size_t size);

/*
 * A guest as a peer (remote.h, "closeprobe run --peer-kernel"): the image
 * built once, for a guest whose init runs "closeprobe peer" on a virtio
 * port that qemu joins to its standard input and output, eth0 at
 * peer_addr and peer_addr6 (CIDR; NULL: none) on the host's TAP device tap.  The commands are for
 * sh -c, one boot each: KVM's (NULL when it cannot be used, with
 * GUEST_ACCEL_TCG, or with GUEST_ACCEL_AUTO when the memo says KVM hung
 * here: accel_note says so) and TCG's (NULL with GUEST_ACCEL_KVM), its
 * fallback.
 */
struct guest_peer {
	char workdir[PATH_MAX_GUEST];	/* the initrd, the console; removed by free */
	char release[256];		/* the image's kernel release */
	char console[PATH_MAX_GUEST + 16];	/* the guest's console, rewritten each boot */
	char *kvm_command;
	char *tcg_command;
	char *notes;			/* as guest_result.notes */
	/* Why KVM is not tried ("kvm not tried, it hung here before (...)"), or "". */
	char accel_note[512];
	struct accelcache kvm_memo;	/* that KVM hung, as run --kernel keeps it */
};

int guest_peer_prepare(const struct guest_options *opts, const char *peer_addr,
    const char *peer_addr6, const char *tap, struct guest_peer *out, char *err,
    size_t errlen);
void guest_peer_free(struct guest_peer *p);

/*
 * What the run learnt of KVM, kept as run --kernel keeps it: a KVM guest
 * that gave no hello in time (kvm_hung, why says how) is remembered, so
 * that later auto runs go straight to TCG; one that said hello (and
 * never hung) is forgotten.  0, or -1 with err set.
 */
int guest_peer_record_kvm(const struct guest_peer *p, bool kvm_hung, bool kvm_answered,
    const char *why, char *err, size_t errlen);

#endif /* guest_h */
