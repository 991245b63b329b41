/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guest.c - one run of cases in a guest kernel, from the image to the
 * files in the captures directory.
 *
 * The phases, each with its own deadline:
 *   image    the base initramfs (cached by content) and the run's part
 *   life     a KVM guest's first kernel line ("Linux version"): a KVM that
 *            hangs says nothing at all, and AUTO then boots again with TCG
 *   boot     the guest's init says "ready" with the kernel's release
 *   modules  the init loaded the modules
 *   run      closeprobe ran the cases
 *   collect  the init sent the archive; qemu powered off
 * The init's lines are in init.sh.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accelcache.h"
#include "archive.h"
#include "bzimage.h"
#include "child.h"
#include "guest.h"
#include "hostfile.h"
#include "image.h"
#include "qemu.h"
#include "shellword.h"
#include "strlist.h"

#include "harness/guest/init-script.h"

#define MARKER "@closeprobe-guest "
#define LIFE_SIGN "Linux version "	/* the kernel's first line */
/* cryptomgr.notests: the crypto self-tests take 0.3 s under TCG. */
#define KERNEL_APPEND "console=ttyS0 panic=-1 cryptomgr.notests"
#define COLLECT_TIMEOUT_MS 60000	/* closeprobe ended to the archive sent */
#define EXIT_TIMEOUT_MS 10000		/* the archive sent to qemu gone */
#define ARCHIVE_MAX (1u << 30)
#define RUN_CONF "/closeprobe/run.conf"
/* Where programs are: an ordinary user's PATH may lack the sbin ones. */
#define PROGRAM_DIRS "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define CASE_SUFFIX ".case"
/* The run's directory in $TMPDIR: WORKDIR_PREFIX.PID.XXXXXX */
#define WORKDIR_PREFIX "closeprobe-guest"

/* What the cases need of the kernel (veth links, tbf and netem qdiscs,
 * nftables' random drops) and what the archive's channel needs. */
static const char *const guest_modules[] = {
	"veth", "sch_tbf", "sch_netem", "nf_tables", "nft_numgen",
	"virtio_pci", "virtio_console", "virtio_net"
};

/* What a peer guest loads of them: its cases are loopback ones, with no
 * veth, qdisc or nftables; it needs its virtio ports and eth0 alone. */
static const char *const peer_guest_modules[] = {
	"virtio_pci", "virtio_console", "virtio_net"
};

/* The host programs the cases run (topology.c). */
static const char *const guest_tools[] = { "ip", "tc", "nft" };

/* How far the guest has got, in the order the init says it. */
enum phase {
	PHASE_LIFE,
	PHASE_READY,
	PHASE_MODULES,
	PHASE_RAN,
	PHASE_SENT,
	PHASE_DONE
};

/* What a boot attempt came to. */
enum attempt_result {
	ATTEMPT_DONE,
	ATTEMPT_FALL_BACK,	/* KVM gave no sign of life: try TCG */
	ATTEMPT_FAILED
};

struct context {
	const struct guest_options *opts;
	const char *captures_dir;
	struct guest_result *result;
	int64_t life_ms, boot_ms, run_ms;
	char workdir[PATH_MAX - 64];	/* room for the file names in it */
	char release[256];
	char modules_dir[PATH_MAX];	/* "" without modules */
	char closeprobe[PATH_MAX];
	char busybox[PATH_MAX];
	char qemu[PATH_MAX];
	char initrd[PATH_MAX];
	char archive[PATH_MAX];
	char serial_archive[PATH_MAX];
	char qemu_err[PATH_MAX];
	struct strlist tools;
	struct strlist guest_paths;	/* the cases' files in the guest */
	struct strlist host_paths;	/* and where they are here */
	FILE *notes;
	char *notes_text;
	size_t notes_len;
	struct image image;
	/* The clock at each step of the successful attempt. */
	int64_t t_start, t_qemu, t_ready, t_modules, t_ran;
	const char *peer_addr;		/* a peer guest's eth0 address (guest_peer_prepare) */
	const char *peer_addr6;		/* and its IPv6 one, or NULL */
	struct strlist peer_modules;	/* what a peer guest loads (peer_guest_modules) */
};

const char *
guest_accel_name(enum guest_accel accel)
{
	switch (accel) {
	case GUEST_ACCEL_KVM:
		return "kvm";
	case GUEST_ACCEL_TCG:
		return "tcg";
	case GUEST_ACCEL_AUTO:
		break;
	}
	return "auto";
}

int
guest_accel_parse(const char *text, enum guest_accel *accel)
{
	static const enum guest_accel all[] = { GUEST_ACCEL_AUTO, GUEST_ACCEL_KVM, GUEST_ACCEL_TCG };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(text, guest_accel_name(all[i])) == 0) {
			*accel = all[i];
			return 0;
		}
	return -1;
}

int
guest_default_cache_dir(char *path, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(path, size, "%s/closeprobe", xdg);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(path, size, "%s/.cache/closeprobe", home);
	else
		return -1;
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

void
guest_result_free(struct guest_result *result)
{
	free(result->verdict_text);
	free(result->error_text);
	free(result->json);
	free(result->notes);
	free(result->console);
	free(result->dmesg);
	free(result->image_path);
	memset(result, 0, sizeof(*result));
	result->status = -1;
}

static int64_t
or_default(int64_t value, int64_t fallback)
{
	return value > 0 ? value : fallback;
}

/* The first bytes of the kernel image, its release from them. */
static int
read_release(struct context *c, char *err, size_t errlen)
{
	unsigned char *head = malloc(BZIMAGE_READ_SIZE);
	const char *kernel = c->opts->kernel;
	char why[256];
	size_t len = 0;
	int fd, rc;

	if (head == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fd = open(kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES)
			snprintf(err, errlen, "cannot read %s: %s (as an ordinary user, copy it: "
			    "sudo install -m 0644 %s ~/vmlinuz, and give ~/vmlinuz)", kernel,
			    strerror(errno), kernel);
		else
			snprintf(err, errlen, "cannot read %s: %s", kernel, strerror(errno));
		free(head);
		return -1;
	}
	while (len < BZIMAGE_READ_SIZE) {
		ssize_t n = read(fd, head + len, BZIMAGE_READ_SIZE - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", kernel, strerror(errno));
			close(fd);
			free(head);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	rc = bzimage_release(head, len, c->release, sizeof(c->release), why, sizeof(why));
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", kernel, why);
	free(head);
	return rc;
}

static int
has_modules_dep(const char *dir)
{
	char path[PATH_MAX + 16];
	struct stat st;

	snprintf(path, sizeof(path), "%s/modules.dep", dir);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The modules directory: given (DIR or DIR/RELEASE), or the host's for
 * the image's release; without one the guest runs without modules. */
static int
find_modules_dir(struct context *c, char *err, size_t errlen)
{
	const char *given = c->opts->modules_dir;
	char candidate[PATH_MAX];

	if (given == NULL) {
		snprintf(candidate, sizeof(candidate), "/lib/modules/%s", c->release);
		if (has_modules_dep(candidate)) {
			snprintf(c->modules_dir, sizeof(c->modules_dir), "%s", candidate);
			return 0;
		}
		fprintf(c->notes, "no kernel modules for %s (no %s/modules.dep): the guest runs "
		    "without veth, tbf, netem, nftables and virtio_console\n", c->release, candidate);
		c->modules_dir[0] = '\0';
		return 0;
	}
	if (has_modules_dep(given)) {
		snprintf(c->modules_dir, sizeof(c->modules_dir), "%s", given);
		return 0;
	}
	if ((size_t)snprintf(candidate, sizeof(candidate), "%s/%s", given, c->release) <
	    sizeof(candidate) && has_modules_dep(candidate)) {
		snprintf(c->modules_dir, sizeof(c->modules_dir), "%s", candidate);
		return 0;
	}
	snprintf(err, errlen, "%s has no modules.dep (nor has %s/%s)", given, given, c->release);
	return -1;
}

static int
find_programs(struct context *c, char *err, size_t errlen)
{
	char path[PATH_MAX];
	size_t i;

	if (c->opts->closeprobe_binary == NULL ||
	    realpath(c->opts->closeprobe_binary, c->closeprobe) == NULL) {
		snprintf(err, errlen, "the closeprobe binary %s: %s",
		    c->opts->closeprobe_binary != NULL ? c->opts->closeprobe_binary : "(none given)",
		    c->opts->closeprobe_binary != NULL ? strerror(errno) : "needed");
		return -1;
	}
	if (hostfile_find_program(c->opts->busybox != NULL ? c->opts->busybox : "busybox",
	    PROGRAM_DIRS, c->busybox, sizeof(c->busybox)) < 0) {
		snprintf(err, errlen, "no busybox %s(install busybox-static)",
		    c->opts->busybox != NULL ? c->opts->busybox : "");
		return -1;
	}
	if (hostfile_find_program(c->opts->qemu != NULL ? c->opts->qemu : QEMU_BINARY,
	    PROGRAM_DIRS, c->qemu, sizeof(c->qemu)) < 0) {
		snprintf(err, errlen, "no %s (install qemu-system-x86)",
		    c->opts->qemu != NULL ? c->opts->qemu : QEMU_BINARY);
		return -1;
	}
	for (i = 0; i < sizeof(guest_tools) / sizeof(guest_tools[0]); i++) {
		if (hostfile_find_program(guest_tools[i], PROGRAM_DIRS, path, sizeof(path)) < 0) {
			fprintf(c->notes, "%s is not on this host: cases that need it fail in the "
			    "guest too\n", guest_tools[i]);
			continue;
		}
		if (strlist_add(&c->tools, path) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* cwd/path with ".", ".." and "//" taken out as text, as the guest's
 * tree has no symbolic links to follow there. */
static int
absolute_path(const char *cwd, const char *path, char *out, size_t size)
{
	char joined[2 * PATH_MAX];
	size_t len = 0;
	char *part, *save = NULL;

	if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", path[0] == '/' ? "" : cwd, path) >=
	    sizeof(joined))
		return -1;
	for (part = strtok_r(joined, "/", &save); part != NULL; part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, ".") == 0)
			continue;
		if (strcmp(part, "..") == 0) {
			while (len > 0 && out[--len] != '/')
				;
			continue;
		}
		if (len + strlen(part) + 2 > size)
			return -1;
		out[len++] = '/';
		memcpy(out + len, part, strlen(part));
		len += strlen(part);
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

static int
add_case_file(struct context *c, const char *guest_path, const char *host_path, char *err,
    size_t errlen)
{
	if (strlist_has(&c->guest_paths, guest_path))
		return 0;
	if (strlist_add(&c->guest_paths, guest_path) < 0 ||
	    strlist_add(&c->host_paths, host_path) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* A directory's *.case files, as closeprobe run takes them. */
static int
add_case_dir(struct context *c, const char *guest_dir, const char *host_dir, char *err,
    size_t errlen)
{
	DIR *d = opendir(host_dir);
	struct dirent *de;
	int rc = 0;

	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", host_dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char guest[PATH_MAX], host[PATH_MAX];
		struct stat st;

		if (len <= strlen(CASE_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(CASE_SUFFIX), CASE_SUFFIX) != 0)
			continue;
		if ((size_t)snprintf(guest, sizeof(guest), "%s/%s", guest_dir, de->d_name) >=
		    sizeof(guest) ||
		    (size_t)snprintf(host, sizeof(host), "%s/%s", host_dir, de->d_name) >= sizeof(host)) {
			snprintf(err, errlen, "%s/%s: path too long", host_dir, de->d_name);
			rc = -1;
		} else if (stat(host, &st) == 0 && S_ISREG(st.st_mode)) {
			rc = add_case_file(c, guest, host, err, errlen);
		}
	}
	closedir(d);
	return rc;
}

static int
collect_cases(struct context *c, const char *cwd, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < c->opts->ncases; i++) {
		const char *given = c->opts->case_paths[i];
		char guest[PATH_MAX];
		struct stat st;

		if (stat(given, &st) < 0) {
			snprintf(err, errlen, "%s: %s", given, strerror(errno));
			return -1;
		}
		if (absolute_path(cwd, given, guest, sizeof(guest)) < 0) {
			snprintf(err, errlen, "%s: path too long", given);
			return -1;
		}
		if (S_ISDIR(st.st_mode) ? add_case_dir(c, guest, given, err, errlen) < 0 :
		    add_case_file(c, guest, given, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* What the init sources from the run's archive. */
static char *
run_conf_text(const struct context *c, const char *cwd, size_t *len)
{
	const char *const *arg;
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	size_t i;

	if (f == NULL)
		return NULL;
	if (c->peer_addr != NULL) {
		fputs("CLOSEPROBE_PEER_ADDR=", f);
		shellword_write(f, c->peer_addr);
		fputc('\n', f);
	}
	if (c->peer_addr6 != NULL) {
		fputs("CLOSEPROBE_PEER_ADDR6=", f);
		shellword_write(f, c->peer_addr6);
		fputc('\n', f);
	}
	if (c->peer_addr != NULL) {
		/* Instead of image.conf's list: a boot per case, each module costs. */
		fputs("GUEST_MODULES=", f);
		shellword_join(f, &c->peer_modules, ' ');
		fputc('\n', f);
	}
	fputs("CLOSEPROBE_CWD=", f);
	shellword_write(f, cwd);
	fputs("\nCLOSEPROBE_CAPTURES=", f);
	shellword_write(f, c->captures_dir);
	fputs("\nset --", f);
	for (arg = c->opts->run_args; arg != NULL && *arg != NULL; arg++) {
		fputc(' ', f);
		shellword_write(f, *arg);
	}
	for (i = 0; i < c->opts->ncases; i++) {
		fputc(' ', f);
		shellword_write(f, c->opts->case_paths[i]);
	}
	fputc('\n', f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int
build_initrd(struct context *c, char *err, size_t errlen)
{
	struct image_inputs in = {
		.release = c->release, .modules_dir = c->modules_dir,
		.modules = guest_modules,
		.nmodules = c->modules_dir[0] != '\0' ? sizeof(guest_modules) / sizeof(guest_modules[0]) : 0,
		.busybox = c->busybox, .closeprobe = c->closeprobe,
		.tools = (const char *const *)c->tools.items, .ntools = c->tools.count,
		.init_script = guest_init_script
	};
	char cache[PATH_MAX], cwd[PATH_MAX], *conf;
	struct image_extra *extras;
	size_t i, conf_len = 0;
	int rc;

	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		snprintf(err, errlen, "getcwd: %s", strerror(errno));
		return -1;
	}
	if (collect_cases(c, cwd, err, errlen) < 0)
		return -1;
	if (c->opts->cache_dir != NULL)
		snprintf(cache, sizeof(cache), "%s", c->opts->cache_dir);
	else if (guest_default_cache_dir(cache, sizeof(cache)) < 0)
		cache[0] = '\0';
	if (image_prepare(&in, cache[0] != '\0' ? cache : NULL, c->workdir, &c->image, err,
	    errlen) < 0)
		return -1;
	if (cache[0] == '\0')
		fprintf(c->notes, "no cache directory (neither XDG_CACHE_HOME nor HOME): the image "
		    "was built for this run only\n");
	else if (c->image.cache_error[0] != '\0')
		fprintf(c->notes, "the image cache %s is not usable (%s): the image was built for "
		    "this run only\n", cache, c->image.cache_error);
	for (i = 0; i < c->image.missing_modules.count; i++)
		fprintf(c->notes, "the kernel has no module %s (neither a file in %s nor built in)\n",
		    c->image.missing_modules.items[i], c->modules_dir);

	conf = run_conf_text(c, cwd, &conf_len);
	extras = calloc(c->guest_paths.count + 1, sizeof(*extras));
	if (conf == NULL || extras == NULL) {
		snprintf(err, errlen, "out of memory");
		free(conf);
		free(extras);
		return -1;
	}
	for (i = 0; i < c->guest_paths.count; i++) {
		extras[i].path = c->guest_paths.items[i];
		extras[i].host_path = c->host_paths.items[i];
	}
	extras[i].path = RUN_CONF;
	extras[i].data = conf;
	extras[i].size = conf_len;
	extras[i].permissions = 0644;
	rc = image_compose(c->image.path, extras, c->guest_paths.count + 1, c->initrd, err, errlen);
	free(conf);
	free(extras);
	return rc;
}

static int
kvm_usable(char *why, size_t size)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, size, "/dev/kvm: %s", strerror(errno));
		return 0;
	}
	close(fd);
	return 1;
}

/* The last non-empty line of what qemu said on stderr, for messages. */
static void
qemu_complaint(const struct context *c, char *out, size_t size)
{
	char *text = NULL, *line, *end, scratch[64];
	size_t len;

	out[0] = '\0';
	if (hostfile_read(c->qemu_err, 1u << 20, &text, &len, scratch, sizeof(scratch)) < 0)
		return;
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	end = text + len;
	line = end;
	while (line > text && line[-1] != '\n')
		line--;
	snprintf(out, size, "%s", line);
	free(text);
}

static const char *
phase_awaited(enum phase phase)
{
	switch (phase) {
	case PHASE_LIFE:
		return "a first kernel line";
	case PHASE_READY:
		return "the guest's init to start";
	case PHASE_MODULES:
		return "the kernel modules to load";
	case PHASE_RAN:
		return "closeprobe run to end inside";
	case PHASE_SENT:
		return "the guest to send its results";
	case PHASE_DONE:
		break;
	}
	return "nothing";
}

/* The word after "@closeprobe-guest ", and what follows it. */
static int
marker_is(const char *line, const char *word, const char **rest)
{
	const char *p = strstr(line, MARKER);
	size_t len = strlen(word);

	if (p == NULL)
		return 0;
	p += strlen(MARKER);
	if (strncmp(p, word, len) != 0 || (p[len] != ' ' && p[len] != '\0'))
		return 0;
	*rest = p[len] == ' ' ? p + len + 1 : p + len;
	return 1;
}

/* Where a boot attempt is: the phase, and the time it may take. */
struct watch {
	enum phase phase;
	int64_t since;		/* the bound counts from here */
	int64_t deadline;
};

static void
watch_next(struct watch *w, enum phase phase, int64_t since, int64_t bound_ms)
{
	w->phase = phase;
	w->since = since;
	w->deadline = since + bound_ms;
}

/* Follow one console line: the phase moves on, the deadline with it. */
static void
follow_line(struct context *c, const char *line, struct watch *w)
{
	int64_t now = child_now_ms();
	const char *rest;

	if (w->phase == PHASE_LIFE && strstr(line, LIFE_SIGN) != NULL)
		watch_next(w, PHASE_READY, c->t_qemu, c->boot_ms);
	if (w->phase <= PHASE_READY && marker_is(line, "ready", &rest)) {
		snprintf(c->result->release, sizeof(c->result->release), "%.*s",
		    (int)strcspn(rest, " "), rest);
		c->t_ready = now;
		watch_next(w, PHASE_MODULES, now, c->boot_ms);
	} else if (marker_is(line, "module-failed", &rest)) {
		fprintf(c->notes, "the guest could not load the module %s\n", rest);
	} else if (w->phase == PHASE_MODULES && marker_is(line, "modules", &rest)) {
		c->t_modules = now;
		watch_next(w, PHASE_RAN, now, c->run_ms);
	} else if (w->phase == PHASE_RAN && marker_is(line, "ran", &rest)) {
		c->t_ran = now;
		watch_next(w, PHASE_SENT, now, COLLECT_TIMEOUT_MS);
	} else if (w->phase == PHASE_SENT && marker_is(line, "sent", &rest)) {
		w->phase = PHASE_DONE;
	}
}

static void
keep_console(struct context *c, const struct qemu *q)
{
	free(c->result->console);
	c->result->console = q->console != NULL ? strdup(q->console) : strdup("");
}

/* Why qemu ended early, for the error message. */
static void
describe_end(struct context *c, struct qemu *q, enum phase phase, char *err, size_t errlen)
{
	char how[64], said[512], scratch[128];

	if (qemu_finish(q, child_now_ms() + EXIT_TIMEOUT_MS, scratch, sizeof(scratch)) == 0)
		child_describe_status(q->wstatus, how, sizeof(how));
	else
		snprintf(how, sizeof(how), "killed");
	qemu_complaint(c, said, sizeof(said));
	snprintf(err, errlen, "qemu ended (%s) while waiting for %s%s%s", how, phase_awaited(phase),
	    said[0] != '\0' ? ": " : "", said);
}

static enum attempt_result
attempt(struct context *c, enum qemu_accel accel, int can_fall_back, char *err, size_t errlen)
{
	struct qemu_config cfg = {
		.binary = c->qemu, .accel = accel, .kernel = c->opts->kernel, .initrd = c->initrd,
		.append = KERNEL_APPEND, .vcpus = c->opts->vcpus > 0 ? c->opts->vcpus : GUEST_VCPUS,
		.memory_mb = c->opts->memory_mb > 0 ? c->opts->memory_mb : GUEST_MEMORY_MB,
		.archive_path = c->archive, .serial_archive_path = c->serial_archive,
		.stderr_path = c->qemu_err
	};
	const char *name = accel == QEMU_ACCEL_KVM ? "kvm" : "tcg";
	enum qemu_event ev;
	struct watch w;
	struct qemu q;

	unlink(c->archive);
	unlink(c->serial_archive);
	if (qemu_start(&cfg, &q, err, errlen) < 0)
		return ATTEMPT_FAILED;
	c->t_qemu = child_now_ms();
	watch_next(&w, PHASE_LIFE, c->t_qemu, accel == QEMU_ACCEL_KVM ? c->life_ms : c->boot_ms);
	while (w.phase != PHASE_DONE) {
		ev = qemu_next_line(&q, w.deadline, c->opts->stop_requested, err, errlen);
		if (ev == QEMU_LINE) {
			follow_line(c, q.line, &w);
			continue;
		}
		/*
		 * A KVM guest that never shows life, or shows it and then dies
		 * or hangs before its init runs (seen here: qemu exiting during
		 * the boot), is given up for TCG; after init it is a real failure.
		 */
		if ((w.phase == PHASE_LIFE || w.phase == PHASE_READY) && can_fall_back &&
		    (ev == QEMU_TIMEOUT || ev == QEMU_EXITED)) {
			char why[400];

			if (ev == QEMU_EXITED)
				describe_end(c, &q, w.phase, why, sizeof(why));
			else if (w.phase == PHASE_LIFE)
				snprintf(why, sizeof(why), "no sign of life within %lld ms",
				    (long long)c->life_ms);
			else
				snprintf(why, sizeof(why), "init did not start in time");
			snprintf(c->result->accel_note, sizeof(c->result->accel_note),
			    "kvm: %s: fell back to tcg", why);
			qemu_free(&q);
			c->result->ms.kvm_lost = child_now_ms() - c->t_qemu;
			return ATTEMPT_FALL_BACK;
		}
		if (ev == QEMU_EXITED)
			describe_end(c, &q, w.phase, err, errlen);
		else if (ev == QEMU_TIMEOUT)
			snprintf(err, errlen, "the guest (%s): waited %lld ms for %s; qemu killed", name,
			    (long long)(w.deadline - w.since), phase_awaited(w.phase));
		else if (ev == QEMU_STOPPED)
			snprintf(err, errlen, "stopped by a signal; qemu killed");
		qemu_stop(&q);
		keep_console(c, &q);
		qemu_free(&q);
		return ATTEMPT_FAILED;
	}
	if (qemu_finish(&q, child_now_ms() + EXIT_TIMEOUT_MS, err, errlen) < 0) {
		keep_console(c, &q);
		qemu_free(&q);
		return ATTEMPT_FAILED;
	}
	keep_console(c, &q);
	qemu_free(&q);
	return ATTEMPT_DONE;
}

static int
boot_and_run(struct context *c, char *err, size_t errlen)
{
	enum qemu_accel plan[2];
	size_t nplan = 0, i;
	struct accelcache memo;
	char why[256], hung[400], scratch[PATH_MAX + 64];

	/* A KVM that hung here before is not waited for again (accelcache.h). */
	accelcache_init(&memo, c->opts->cache_dir, c->opts->kernel, c->release, c->qemu);
	switch (c->opts->accel) {
	case GUEST_ACCEL_AUTO:
		if (!kvm_usable(why, sizeof(why)))
			snprintf(c->result->accel_note, sizeof(c->result->accel_note),
			    "kvm unusable (%s): tcg", why);
		else if (accelcache_kvm_hung(&memo, hung, sizeof(hung)))
			snprintf(c->result->accel_note, sizeof(c->result->accel_note),
			    "kvm not tried, it hung here before (%s): tcg", hung);
		else
			plan[nplan++] = QEMU_ACCEL_KVM;
		plan[nplan++] = QEMU_ACCEL_TCG;
		break;
	case GUEST_ACCEL_KVM:
		if (!kvm_usable(why, sizeof(why))) {
			snprintf(err, errlen, "cannot use KVM: %s", why);
			return -1;
		}
		plan[nplan++] = QEMU_ACCEL_KVM;
		snprintf(c->result->accel_note, sizeof(c->result->accel_note), "kvm as asked");
		break;
	case GUEST_ACCEL_TCG:
		plan[nplan++] = QEMU_ACCEL_TCG;
		snprintf(c->result->accel_note, sizeof(c->result->accel_note), "tcg as asked");
		break;
	}
	for (i = 0; i < nplan; i++) {
		enum attempt_result r;

		c->result->accel = plan[i] == QEMU_ACCEL_KVM ? GUEST_ACCEL_KVM : GUEST_ACCEL_TCG;
		r = attempt(c, plan[i], i + 1 < nplan, err, errlen);
		if (r == ATTEMPT_FALL_BACK) {
			if (accelcache_remember(&memo, c->result->accel_note, scratch, sizeof(scratch)) < 0)
				fprintf(c->notes, "cannot remember that kvm hung: %s\n", scratch);
			continue;
		}
		if (r == ATTEMPT_DONE && plan[i] == QEMU_ACCEL_KVM &&
		    accelcache_forget(&memo, scratch, sizeof(scratch)) < 0)
			fprintf(c->notes, "cannot forget that kvm hung: %s\n", scratch);
		if (r == ATTEMPT_DONE && c->result->accel_note[0] == '\0')
			snprintf(c->result->accel_note, sizeof(c->result->accel_note),
			    "kvm answered in time");
		return r == ATTEMPT_DONE ? 0 : -1;
	}
	return -1;
}

static char *
meta_text(const struct archive *a, const char *name)
{
	char full[64];
	const struct archive_file *f;
	char *text;

	snprintf(full, sizeof(full), "%s%s", ARCHIVE_META, name);
	f = archive_find(a, full);
	if (f == NULL)
		return NULL;
	text = malloc(f->size + 1);
	if (text != NULL) {
		memcpy(text, f->data, f->size);
		text[f->size] = '\0';
	}
	return text;
}

/* The archive into the captures directory and the result. */
static int
collect(struct context *c, char *err, size_t errlen)
{
	struct guest_result *r = c->result;
	char *data = NULL, *status, *modules;
	struct archive a;
	size_t len = 0;
	int rc = -1;

	if (hostfile_read(c->archive, ARCHIVE_MAX, &data, &len, err, errlen) < 0)
		return -1;
	if (len == 0) {
		free(data);
		if (hostfile_read(c->serial_archive, ARCHIVE_MAX, &data, &len, err, errlen) < 0)
			return -1;
	}
	if (archive_parse((const unsigned char *)data, len, &a, err, errlen) < 0) {
		free(data);
		return -1;
	}
	if (hostfile_mkdirs(c->captures_dir, err, errlen) == 0 &&
	    archive_write_captures(&a, c->captures_dir, &r->captures, err, errlen) == 0) {
		r->verdict_text = meta_text(&a, "stdout");
		r->error_text = meta_text(&a, "stderr");
		r->json = meta_text(&a, "json");
		r->dmesg = meta_text(&a, "dmesg");
		status = meta_text(&a, "status");
		modules = meta_text(&a, "modules");
		r->status = status != NULL ? atoi(status) : -1;
		if (modules != NULL && modules[0] != '\0')
			fprintf(c->notes, "insmod in the guest said: %s", modules);
		free(status);
		free(modules);
		rc = 0;
	}
	archive_free(&a);
	free(data);
	return rc;
}

/*
 * Remove what runs killed with SIGKILL left in dir: directories named
 * WORKDIR_PREFIX.PID.* of ours whose process is gone.  A live process
 * with that number keeps its directory; so does anyone else's.
 */
static void
remove_stale_workdirs(const char *dir)
{
	size_t prefix = strlen(WORKDIR_PREFIX);
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX], *end, scratch[128];
		struct stat st;
		long pid;

		if (strncmp(de->d_name, WORKDIR_PREFIX ".", prefix + 1) != 0)
			continue;
		pid = strtol(de->d_name + prefix + 1, &end, 10);
		if (*end != '.' || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path) ||
		    lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (hostfile_remove_tree(path, scratch, sizeof(scratch)) < 0) {
			/* Best effort: the next run tries again. */
		}
	}
	closedir(d);
}

static int
make_workdir(struct context *c, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	remove_stale_workdirs(tmp);
	if ((size_t)snprintf(c->workdir, sizeof(c->workdir), "%s/%s.%ld.XXXXXX", tmp,
	    WORKDIR_PREFIX, (long)getpid()) >= sizeof(c->workdir) || mkdtemp(c->workdir) == NULL) {
		snprintf(err, errlen, "cannot make a temporary directory in %s: %s", tmp,
		    strerror(errno));
		c->workdir[0] = '\0';
		return -1;
	}
	snprintf(c->initrd, sizeof(c->initrd), "%s/initrd.cpio", c->workdir);
	snprintf(c->archive, sizeof(c->archive), "%s/archive", c->workdir);
	snprintf(c->serial_archive, sizeof(c->serial_archive), "%s/archive-ttyS1", c->workdir);
	snprintf(c->qemu_err, sizeof(c->qemu_err), "%s/qemu.stderr", c->workdir);
	return 0;
}

static void
finish_result(struct context *c)
{
	struct guest_result *r = c->result;
	int64_t end = child_now_ms();

	if (c->notes != NULL && fclose(c->notes) == 0) {
		r->notes = c->notes_text;
		c->notes_text = NULL;
	}
	c->notes = NULL;
	free(c->notes_text);
	if (c->image.path != NULL) {
		r->image_path = strdup(c->image.path);
		r->image_cached = c->image.cached;
	}
	r->ms.total = end - c->t_start;
	if (c->t_ready > 0) {
		r->ms.boot = c->t_ready - c->t_qemu;
		if (c->t_modules > 0)
			r->ms.modules = c->t_modules - c->t_ready;
		if (c->t_ran > 0) {
			r->ms.run = c->t_ran - c->t_modules;
			r->ms.collect = end - c->t_ran;
		}
	}
}

int
guest_run(const struct guest_options *opts, const char *captures_dir,
    struct guest_result *result, char *err, size_t errlen)
{
	struct context c;
	char scratch[256];
	int rc = -1;

	memset(result, 0, sizeof(*result));
	result->status = -1;
	memset(&c, 0, sizeof(c));
	c.opts = opts;
	c.captures_dir = captures_dir;
	c.result = result;
	c.t_start = child_now_ms();
	c.life_ms = or_default(opts->life_timeout_ms, GUEST_LIFE_TIMEOUT_MS);
	c.boot_ms = or_default(opts->boot_timeout_ms, GUEST_BOOT_TIMEOUT_MS);
	c.run_ms = or_default(opts->run_timeout_ms, GUEST_RUN_TIMEOUT_MS);
	c.notes = open_memstream(&c.notes_text, &c.notes_len);
	if (c.notes == NULL) {
		snprintf(err, errlen, "open_memstream: %s", strerror(errno));
		return -1;
	}
	if (opts->kernel == NULL || opts->ncases == 0) {
		snprintf(err, errlen, "a kernel image and at least one case are needed");
		goto out;
	}
	if (read_release(&c, err, errlen) < 0 || find_modules_dir(&c, err, errlen) < 0 ||
	    find_programs(&c, err, errlen) < 0 || make_workdir(&c, err, errlen) < 0 ||
	    build_initrd(&c, err, errlen) < 0)
		goto out;
	result->ms.image = child_now_ms() - c.t_start;
	if (boot_and_run(&c, err, errlen) < 0 || collect(&c, err, errlen) < 0)
		goto out;
	rc = 0;
out:
	finish_result(&c);
	if (c.workdir[0] != '\0' && hostfile_remove_tree(c.workdir, scratch, sizeof(scratch)) < 0 &&
	    rc == 0) {
		snprintf(err, errlen, "%s", scratch);
		rc = -1;
	}
	image_free(&c.image);
	strlist_free(&c.tools);
	strlist_free(&c.guest_paths);
	strlist_free(&c.host_paths);
	return rc;
}

/*
 * A peer guest (closeprobe run --peer-kernel): the same image, whose init
 * runs "closeprobe peer" on the virtio port closeprobe.peer, which qemu
 * joins to its own standard input and output, with eth0 on a TAP device
 * of the host.  Each case boots it anew; the image is built once.
 */
static char *
peer_command(const struct context *c, enum qemu_accel accel, const char *tap)
{
	char *text = NULL, arg[PATH_MAX + 64];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	fputs("exec ", f);
	shellword_write(f, c->qemu);
	fprintf(f, " -accel %s -smp %u -m %u -nodefaults -no-user-config -display none "
	    "-no-reboot -kernel ", accel == QEMU_ACCEL_KVM ? "kvm" : "tcg",
	    c->opts->vcpus > 0 ? c->opts->vcpus : GUEST_VCPUS,
	    c->opts->memory_mb > 0 ? c->opts->memory_mb : GUEST_MEMORY_MB);
	shellword_write(f, c->opts->kernel);
	fputs(" -initrd ", f);
	shellword_write(f, c->initrd);
	fputs(" -append ", f);
	shellword_write(f, KERNEL_APPEND);
	snprintf(arg, sizeof(arg), "file:%s/console", c->workdir);
	fputs(" -serial ", f);
	shellword_write(f, arg);
	fputs(" -device virtio-serial-pci -chardev stdio,id=peer,signal=off"
	    " -device virtserialport,chardev=peer,name=closeprobe.peer", f);
	snprintf(arg, sizeof(arg), "tap,id=link,ifname=%s,script=no,downscript=no", tap);
	fputs(" -netdev ", f);
	shellword_write(f, arg);
	fputs(" -device virtio-net-pci,netdev=link 2>>", f);
	shellword_write(f, c->qemu_err);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int
guest_peer_prepare(const struct guest_options *opts, const char *peer_addr,
    const char *peer_addr6, const char *tap, struct guest_peer *out, char *err, size_t errlen)
{
	struct guest_result scratch_result;
	struct context c;
	char why[256], hung[400];
	bool try_kvm;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&scratch_result, 0, sizeof(scratch_result));
	memset(&c, 0, sizeof(c));
	c.opts = opts;
	c.captures_dir = ".";
	c.result = &scratch_result;
	c.peer_addr = peer_addr;
	c.peer_addr6 = peer_addr6;
	c.notes = open_memstream(&c.notes_text, &c.notes_len);
	if (c.notes == NULL) {
		snprintf(err, errlen, "open_memstream: %s", strerror(errno));
		return -1;
	}
	if (strchr(opts->kernel, ',') != NULL) {
		snprintf(err, errlen, "qemu cannot take a path with a ',': %s", opts->kernel);
		goto out;
	}
	if (read_release(&c, err, errlen) < 0 || find_modules_dir(&c, err, errlen) < 0 ||
	    find_programs(&c, err, errlen) < 0 || make_workdir(&c, err, errlen) < 0)
		goto out;
	snprintf(out->workdir, sizeof(out->workdir), "%s", c.workdir);
	if (c.modules_dir[0] != '\0' && image_resolve_modules(c.modules_dir, peer_guest_modules,
	    sizeof(peer_guest_modules) / sizeof(peer_guest_modules[0]), &c.peer_modules, NULL,
	    err, errlen) < 0)
		goto out;
	if (build_initrd(&c, err, errlen) < 0)
		goto out;
	snprintf(out->release, sizeof(out->release), "%s", c.release);
	snprintf(out->console, sizeof(out->console), "%s/console", c.workdir);
	/* A KVM that hung here before is not waited for again (accelcache.h). */
	accelcache_init(&out->kvm_memo, opts->cache_dir, opts->kernel, c.release, c.qemu);
	try_kvm = opts->accel != GUEST_ACCEL_TCG && kvm_usable(why, sizeof(why));
	if (try_kvm && opts->accel == GUEST_ACCEL_AUTO &&
	    accelcache_kvm_hung(&out->kvm_memo, hung, sizeof(hung))) {
		snprintf(out->accel_note, sizeof(out->accel_note),
		    "kvm not tried, it hung here before (%s)", hung);
		try_kvm = false;
	}
	out->tcg_command = peer_command(&c, QEMU_ACCEL_TCG, tap);
	if (try_kvm)
		out->kvm_command = peer_command(&c, QEMU_ACCEL_KVM, tap);
	else if (opts->accel == GUEST_ACCEL_KVM) {
		snprintf(err, errlen, "%s", why);
		goto out;
	}
	if (out->tcg_command == NULL || (try_kvm && out->kvm_command == NULL)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (opts->accel == GUEST_ACCEL_KVM) {
		free(out->tcg_command);
		out->tcg_command = NULL;
	}
	rc = 0;
out:
	if (c.notes != NULL && fclose(c.notes) == 0)
		out->notes = c.notes_text;
	else
		free(c.notes_text);
	image_free(&c.image);
	strlist_free(&c.tools);
	strlist_free(&c.guest_paths);
	strlist_free(&c.host_paths);
	strlist_free(&c.peer_modules);
	if (rc < 0)
		guest_peer_free(out);
	return rc;
}

void
guest_peer_free(struct guest_peer *p)
{
	char scratch[256];

	if (p->workdir[0] != '\0')
		(void)hostfile_remove_tree(p->workdir, scratch, sizeof(scratch));
	free(p->kvm_command);
	free(p->tcg_command);
	free(p->notes);
	memset(p, 0, sizeof(*p));
}

int
guest_peer_record_kvm(const struct guest_peer *p, bool kvm_hung, bool kvm_answered,
    const char *why, char *err, size_t errlen)
{
	if (kvm_hung)
		return accelcache_remember(&p->kvm_memo, why, err, errlen);
	if (kvm_answered)
		return accelcache_forget(&p->kvm_memo, err, errlen);
	return 0;
}
