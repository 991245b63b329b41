/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * qemu.c - the command line, the console pipe, and a bounded end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "qemu.h"

#define QEMU_OPTION_MAX 4200
#define POLL_SLICE_MS 1000	/* a wait looks at the clock at least this often */

int
qemu_start(const struct qemu_config *cfg, struct qemu *q, char *err, size_t errlen)
{
	char smp[16], mem[16], archive[QEMU_OPTION_MAX], serial[QEMU_OPTION_MAX];
	char port[128];
	const char *argv[40];
	size_t n = 0;
	int pipefd[2], errfd;

	const char *paths[] = { cfg->kernel, cfg->initrd, cfg->archive_path,
		cfg->serial_archive_path };

	memset(q, 0, sizeof(*q));
	q->console_fd = -1;
	/* qemu's option syntax takes ',' as a separator. */
	for (n = 0; n < sizeof(paths) / sizeof(paths[0]); n++)
		if (strchr(paths[n], ',') != NULL) {
			snprintf(err, errlen, "qemu cannot take a path with a ',': %s", paths[n]);
			return -1;
		}
	if ((size_t)snprintf(archive, sizeof(archive), "file,id=archive,path=%s",
	    cfg->archive_path) >= sizeof(archive) ||
	    (size_t)snprintf(serial, sizeof(serial), "file:%s", cfg->serial_archive_path) >=
	    sizeof(serial)) {
		snprintf(err, errlen, "qemu: the archive path is too long");
		return -1;
	}
	n = 0;
	snprintf(smp, sizeof(smp), "%u", cfg->vcpus);
	snprintf(mem, sizeof(mem), "%u", cfg->memory_mb);
	snprintf(port, sizeof(port), "virtserialport,chardev=archive,name=%s", QEMU_ARCHIVE_PORT);
	argv[n++] = cfg->binary != NULL ? cfg->binary : QEMU_BINARY;
	argv[n++] = "-accel";
	argv[n++] = cfg->accel == QEMU_ACCEL_KVM ? "kvm" : "tcg";
	argv[n++] = "-smp";
	argv[n++] = smp;
	argv[n++] = "-m";
	argv[n++] = mem;
	/* Nothing but what we ask for: no NIC, no disk, no VGA, no monitor. */
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-user-config";
	argv[n++] = "-display";
	argv[n++] = "none";
	/* A guest that panics reboots (panic=-1): end qemu instead. */
	argv[n++] = "-no-reboot";
	argv[n++] = "-kernel";
	argv[n++] = cfg->kernel;
	argv[n++] = "-initrd";
	argv[n++] = cfg->initrd;
	argv[n++] = "-append";
	argv[n++] = cfg->append;
	argv[n++] = "-chardev";
	argv[n++] = "stdio,id=console,signal=off";
	argv[n++] = "-serial";
	argv[n++] = "chardev:console";
	argv[n++] = "-serial";
	argv[n++] = serial;
	argv[n++] = "-device";
	argv[n++] = "virtio-serial-pci";
	argv[n++] = "-chardev";
	argv[n++] = archive;
	argv[n++] = "-device";
	argv[n++] = port;
	argv[n] = NULL;

	errfd = open(cfg->stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (errfd < 0) {
		snprintf(err, errlen, "%s: %s", cfg->stderr_path, strerror(errno));
		return -1;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(errfd);
		return -1;
	}
	if (child_start(argv, CHILD_NULL_FD, pipefd[1], errfd, &q->pid, err, errlen) < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		close(errfd);
		return -1;
	}
	close(pipefd[1]);
	close(errfd);
	q->console_fd = pipefd[0];
	return 0;
}

static void
keep_console(struct qemu *q, const char *data, size_t len)
{
	q->console_total += len;
	if (q->console_len + len > QEMU_CONSOLE_MAX)
		len = QEMU_CONSOLE_MAX - q->console_len;
	if (len == 0)
		return;
	if (q->console == NULL) {
		q->console = malloc(QEMU_CONSOLE_MAX + 1);
		if (q->console == NULL)
			return;		/* the text is for diagnosis only */
	}
	memcpy(q->console + q->console_len, data, len);
	q->console_len += len;
	q->console[q->console_len] = '\0';
}

/* Move a complete line (or a full buffer's worth) from pending to line. */
static bool
take_line(struct qemu *q, bool at_end)
{
	char *nl = memchr(q->pending, '\n', q->pending_len);
	size_t len, used;

	if (nl != NULL) {
		len = (size_t)(nl - q->pending);
		used = len + 1;
	} else if (q->pending_len == sizeof(q->pending) || (at_end && q->pending_len > 0)) {
		len = used = q->pending_len;
	} else {
		return false;
	}
	while (len > 0 && q->pending[len - 1] == '\r')
		len--;
	if (len >= sizeof(q->line))
		len = sizeof(q->line) - 1;
	memcpy(q->line, q->pending, len);
	q->line[len] = '\0';
	memmove(q->pending, q->pending + used, q->pending_len - used);
	q->pending_len -= used;
	return true;
}

enum qemu_event
qemu_next_line(struct qemu *q, int64_t deadline_ms, int (*stop_requested)(void), char *err,
    size_t errlen)
{
	for (;;) {
		struct pollfd pfd;
		int64_t left;
		ssize_t n;
		int rc;

		if (take_line(q, q->console_fd < 0))
			return QEMU_LINE;
		if (q->console_fd < 0)
			return QEMU_EXITED;
		left = deadline_ms - child_now_ms();
		if (left <= 0)
			return QEMU_TIMEOUT;
		pfd.fd = q->console_fd;
		pfd.events = POLLIN;
		rc = poll(&pfd, 1, left > POLL_SLICE_MS ? POLL_SLICE_MS : (int)left);
		if (rc < 0 && errno == EINTR) {
			if (stop_requested != NULL && stop_requested())
				return QEMU_STOPPED;
			continue;
		}
		if (rc < 0) {
			snprintf(err, errlen, "poll on qemu's console: %s", strerror(errno));
			return QEMU_FAILED;
		}
		if (rc == 0)
			continue;
		n = read(q->console_fd, q->pending + q->pending_len,
		    sizeof(q->pending) - q->pending_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "reading qemu's console: %s", strerror(errno));
			return QEMU_FAILED;
		}
		if (n == 0) {
			close(q->console_fd);
			q->console_fd = -1;
			continue;
		}
		keep_console(q, q->pending + q->pending_len, (size_t)n);
		q->pending_len += (size_t)n;
	}
}

int
qemu_finish(struct qemu *q, int64_t deadline_ms, char *err, size_t errlen)
{
	enum qemu_event ev;
	int rc;

	/* The console closes when qemu ends; read it to there. */
	do
		ev = qemu_next_line(q, deadline_ms, NULL, err, errlen);
	while (ev == QEMU_LINE);
	if (q->pid == 0)
		return 0;
	rc = child_wait(q->pid, ev == QEMU_EXITED ? deadline_ms : 0, &q->wstatus, err, errlen);
	if (rc >= 0)
		q->pid = 0;
	return ev == QEMU_FAILED ? -1 : rc;
}

void
qemu_stop(struct qemu *q)
{
	char err[128];

	if (q->pid > 0 && child_wait(q->pid, 0, &q->wstatus, err, sizeof(err)) >= 0)
		q->pid = 0;
	if (q->console_fd >= 0) {
		close(q->console_fd);
		q->console_fd = -1;
	}
}

void
qemu_free(struct qemu *q)
{
	qemu_stop(q);
	free(q->console);
	q->console = NULL;
	q->console_len = 0;
}
