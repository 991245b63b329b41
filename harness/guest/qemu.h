/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qemu.h - one qemu-system-x86_64 booting a kernel and an initramfs, with
 * no network, no disk and no display: its console (ttyS0) comes to us
 * through a pipe, line by line, and the guest's archive goes to files
 * (a virtio serial port, and ttyS1 for kernels without virtio_console).
 */
#ifndef qemu_h
#define qemu_h

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QEMU_BINARY "qemu-system-x86_64"
#define QEMU_ARCHIVE_PORT "closeprobe.archive"	/* the virtio port's name */
#define QEMU_CONSOLE_MAX (8u << 20)	/* console text kept; the rest is counted */
#define QEMU_LINE_MAX 4096		/* longer console lines come in pieces */

enum qemu_accel {
	QEMU_ACCEL_KVM,
	QEMU_ACCEL_TCG
};

struct qemu_config {
	const char *binary;		/* NULL: QEMU_BINARY from PATH */
	enum qemu_accel accel;
	const char *kernel;
	const char *initrd;
	const char *append;		/* the kernel's command line */
	unsigned vcpus;
	unsigned memory_mb;
	const char *archive_path;	/* the virtio port's output */
	const char *serial_archive_path;	/* ttyS1's output */
	const char *stderr_path;	/* qemu's own messages */
};

struct qemu {
	pid_t pid;			/* 0 once reaped */
	int console_fd;			/* -1 at EOF */
	char *console;			/* everything ttyS0 said (up to the cap) */
	size_t console_len;
	uint64_t console_total;		/* bytes, also those past the cap */
	char pending[QEMU_LINE_MAX];	/* the line being received */
	size_t pending_len;
	char line[QEMU_LINE_MAX];	/* the line qemu_next_line gave */
	int wstatus;			/* once reaped */
};

enum qemu_event {
	QEMU_LINE,		/* q->line holds the next console line */
	QEMU_EXITED,		/* the console closed: qemu ended */
	QEMU_TIMEOUT,		/* the deadline passed */
	QEMU_STOPPED,		/* stop_requested said so */
	QEMU_FAILED		/* poll or read failed (err set) */
};

/* Start qemu.  0 ok; -1 with err set (nothing left running). */
int qemu_start(const struct qemu_config *cfg, struct qemu *q, char *err, size_t errlen);

/*
 * Wait until deadline_ms (child_now_ms) for the next line of the console,
 * without its "\r\n".  stop_requested (may be NULL) is asked whenever a
 * signal interrupts the wait.
 */
enum qemu_event qemu_next_line(struct qemu *q, int64_t deadline_ms,
    int (*stop_requested)(void), char *err, size_t errlen);

/*
 * Let qemu end by itself until deadline_ms, reading the console to its
 * end; kill it then.  0 when it ended by itself, 1 when it was killed,
 * -1 with err set when waiting failed.
 */
int qemu_finish(struct qemu *q, int64_t deadline_ms, char *err, size_t errlen);

/* Kill and reap qemu if it runs, close the console; the text stays. */
void qemu_stop(struct qemu *q);

/* Everything qemu_stop does and free the console text. */
void qemu_free(struct qemu *q);

#endif /* qemu_h */
