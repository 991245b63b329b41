/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence.c - the capture files of a case: their names, writing them
 * privately and publishing them whole, knowing a capture is complete
 * (sockets settled, the sentinel seen everywhere), and the verdict file.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "evidence.h"
#include "monotime.h"

#define SETTLE_LIMIT_NS (2000000000LL)	/* for sockets to finish closing */
#define SENTINEL_LIMIT_NS (2000000000LL)	/* for the sentinel to show up */
#define SETTLE_POLL_MS 1	/* at most between two looks */

/* One capture point: a pcap being written, then read back. */
struct evidence_point {
	struct evidence_capture pub;	/* what the report shows */
	struct capture *capture;
	char *path;		/* the final name (pub.path) */
	char *tmp;		/* written here first (pub.file; see open_private) */
	int fd;			/* the file written, kept: read it back from here */
	char fd_path[32];	/* pub.file once checked: the file of fd, by no name */
	bool created;		/* tmp exists and is ours to publish or remove */
	char *svg_path;		/* its ladder: the final name */
	char *svg_tmp;		/* written here first */
	bool svg_created;	/* svg_tmp exists and is ours */
	bool svg_published;
};

struct evidence {
	const struct case_file *cf;
	const char *dir;
	int dir_fd;
	struct evidence_point points[ROLE_ENDS];	/* by the end captured at */
	char *text_path;
	char *text_tmp;
	int sentinel_rx;	/* bound in the server's namespace */
	int sentinel_tx;	/* in the client's namespace */
	bool write_failed;	/* a file was written short: publish nothing */
	struct sockaddr_storage sentinel_addr;
	socklen_t sentinel_addr_len;
};

/*
 * Evidence is written to a new file of this process's own (O_EXCL, never
 * through a symbolic link, relative to the captures directory), read back
 * from there, and renamed over the final name only when complete: two runs
 * of one case at once never read each other's packets, and a link planted
 * at the final name is replaced, not followed.
 */
static int
open_private(int dir_fd, const char *path)
{
	/* Read and write: the capture is checked through its own descriptor. */
	return openat(dir_fd, strrchr(path, '/') + 1,
	    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

/* Remove a file of ours that will not be published. */
static void
remove_private(int dir_fd, const char *path)
{
	(void)unlinkat(dir_fd, strrchr(path, '/') + 1, 0);	/* ENOENT: gone already */
}

static int
publish(int dir_fd, const char *tmp, const char *final)
{
	return renameat(dir_fd, strrchr(tmp, '/') + 1, dir_fd, strrchr(final, '/') + 1);
}

/* DIR/NAMEEXT, malloc'd; NULL on ENOMEM. */
static char *
path_join(const char *dir, const char *name, const char *ext)
{
	size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
	char *path = malloc(len);

	if (path != NULL)
		snprintf(path, len, "%s/%s%s", dir, name, ext);
	return path;
}

/* Name each capture point's evidence: "<case>[-v6].pcap", or with two
 * capture points "<case>[-v6].server.pcap" and "...client.pcap". */
static int
plan_names(struct evidence *ev, const char *suffix)
{
	const struct case_file *cf = ev->cf;
	bool both = cf->topology != TOPOLOGY_LOOPBACK && cf->capture == CAPTURE_AT_BOTH;
	char ext[64];
	int e;

	ev->points[ROLE_SERVER].pub.wanted = cf->topology == TOPOLOGY_LOOPBACK ||
	    cf->capture != CAPTURE_AT_CLIENT;
	ev->points[ROLE_CLIENT].pub.wanted = cf->topology != TOPOLOGY_LOOPBACK &&
	    cf->capture != CAPTURE_AT_SERVER;
	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence_point *pt = &ev->points[e];
		const char *where = !both ? "" : e == ROLE_SERVER ? ".server" : ".client";

		if (!pt->pub.wanted)
			continue;
		snprintf(ext, sizeof(ext), "%s%s.pcap", suffix, where);
		pt->path = path_join(ev->dir, cf->name, ext);
		snprintf(ext, sizeof(ext), "%s%s.pcap.%ld.tmp", suffix, where, (long)getpid());
		pt->tmp = path_join(ev->dir, cf->name, ext);
		pt->pub.path = pt->path;
		pt->pub.file = pt->tmp;
		snprintf(ext, sizeof(ext), "%s%s.svg", suffix, where);
		pt->svg_path = path_join(ev->dir, cf->name, ext);
		snprintf(ext, sizeof(ext), "%s%s.svg.%ld.tmp", suffix, where, (long)getpid());
		pt->svg_tmp = path_join(ev->dir, cf->name, ext);
		if (pt->path == NULL || pt->tmp == NULL || pt->svg_path == NULL ||
		    pt->svg_tmp == NULL)
			return -1;
	}
	snprintf(ext, sizeof(ext), "%s.txt", suffix);
	ev->text_path = path_join(ev->dir, cf->name, ext);
	snprintf(ext, sizeof(ext), "%s.txt.%ld.tmp", suffix, (long)getpid());
	ev->text_tmp = path_join(ev->dir, cf->name, ext);
	return ev->text_path == NULL || ev->text_tmp == NULL ? -1 : 0;
}

struct evidence *
evidence_create(const struct case_file *cf, const char *dir, const char *suffix)
{
	struct evidence *ev = calloc(1, sizeof(*ev));

	if (ev == NULL)
		return NULL;
	ev->cf = cf;
	ev->dir = dir;
	ev->dir_fd = ev->sentinel_rx = ev->sentinel_tx = -1;
	for (int e = 0; e < ROLE_ENDS; e++)
		ev->points[e].fd = -1;
	if (plan_names(ev, suffix) < 0) {
		evidence_destroy(ev);
		return NULL;
	}
	return ev;
}

void
evidence_destroy(struct evidence *ev)
{
	int e;

	if (ev == NULL)
		return;
	for (e = 0; e < ROLE_ENDS; e++) {
		capture_close(ev->points[e].capture);
		/* Never published (the run failed on the way): not left behind. */
		if (ev->points[e].created && ev->dir_fd >= 0)
			remove_private(ev->dir_fd, ev->points[e].tmp);
		if (ev->points[e].svg_created && ev->dir_fd >= 0)
			remove_private(ev->dir_fd, ev->points[e].svg_tmp);
		if (ev->points[e].fd >= 0)
			close(ev->points[e].fd);
		free(ev->points[e].path);
		free(ev->points[e].tmp);
		free(ev->points[e].svg_path);
		free(ev->points[e].svg_tmp);
	}
	free(ev->text_path);
	free(ev->text_tmp);
	if (ev->sentinel_rx >= 0)
		close(ev->sentinel_rx);
	if (ev->sentinel_tx >= 0)
		close(ev->sentinel_tx);
	if (ev->dir_fd >= 0)
		close(ev->dir_fd);
	free(ev);
}

int
evidence_open_dir(struct evidence *ev, char *errbuf, size_t errbuf_size)
{
	if (mkdir(ev->dir, 0755) < 0 && errno != EEXIST) {
		snprintf(errbuf, errbuf_size, "cannot create %s: %s", ev->dir, strerror(errno));
		return -1;
	}
	ev->dir_fd = open(ev->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ev->dir_fd < 0 && errno == ELOOP)
		snprintf(errbuf, errbuf_size, "%s is a symbolic link: evidence is never "
		    "written through one (name the real directory)", ev->dir);
	else if (ev->dir_fd < 0)
		snprintf(errbuf, errbuf_size, "cannot open %s: %s", ev->dir, strerror(errno));
	return ev->dir_fd < 0 ? -1 : 0;
}

int
evidence_open_sentinel(struct evidence *ev, const struct topology *topo, char *errbuf,
    size_t errbuf_size)
{
	if (topology_enter(topo, ROLE_SERVER, errbuf, errbuf_size) < 0)
		return -1;
	ev->sentinel_rx = topology_bind(topo, SOCK_DGRAM, &ev->sentinel_addr);
	if (ev->sentinel_rx < 0) {
		snprintf(errbuf, errbuf_size, "sentinel socket: %s", strerror(errno));
		return -1;
	}
	ev->sentinel_addr_len = topo->addr_len;
	if (topology_enter(topo, ROLE_CLIENT, errbuf, errbuf_size) < 0)
		return -1;
	ev->sentinel_tx = socket(ev->sentinel_addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ev->sentinel_tx < 0) {
		snprintf(errbuf, errbuf_size, "sentinel socket: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
evidence_open_sentinel_toward(struct evidence *ev, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, socklen_t len, char *errbuf, size_t errbuf_size)
{
	struct sockaddr_storage bound = *local;
	socklen_t bound_len = len;

	if (local->ss_family == AF_INET6)
		((struct sockaddr_in6 *)&bound)->sin6_port = 0;
	else
		((struct sockaddr_in *)&bound)->sin_port = 0;
	ev->sentinel_rx = socket(local->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ev->sentinel_rx < 0 || bind(ev->sentinel_rx, (struct sockaddr *)&bound, len) < 0 ||
	    getsockname(ev->sentinel_rx, (struct sockaddr *)&bound, &bound_len) < 0) {
		snprintf(errbuf, errbuf_size, "sentinel socket: %s", strerror(errno));
		return -1;
	}
	ev->sentinel_addr = *peer;
	if (peer->ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ev->sentinel_addr)->sin6_port =
		    ((struct sockaddr_in6 *)&bound)->sin6_port;
	else
		((struct sockaddr_in *)&ev->sentinel_addr)->sin_port =
		    ((struct sockaddr_in *)&bound)->sin_port;
	ev->sentinel_addr_len = len;
	ev->sentinel_tx = socket(peer->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ev->sentinel_tx < 0) {
		snprintf(errbuf, errbuf_size, "sentinel socket: %s", strerror(errno));
		return -1;
	}
	return 0;
}

enum evidence_result
evidence_start_capture(struct evidence *ev, const struct topology *topo, enum role_id end,
    uint16_t server_port, char *errbuf, size_t errbuf_size)
{
	struct evidence_point *pt = &ev->points[end];
	enum capture_result cr;
	char filter[128];
	int pcap_fd;

	if (!pt->pub.wanted)
		return EVIDENCE_OK;
	/*
	 * No "inbound" here: lo taps every packet twice, and the capture keeps
	 * the arriving copy only (the kernel does not hand it the outgoing one,
	 * and libpcap drops it too), while the kernel-side "inbound" filter was
	 * seen to lose the first SYN of a fresh namespace (libpcap 1.10.3,
	 * Linux 6.x).
	 */
	snprintf(filter, sizeof(filter), "(tcp port %u or udp dst port %u)", server_port,
	    topology_port(&ev->sentinel_addr));
	pcap_fd = open_private(ev->dir_fd, pt->tmp);
	if (pcap_fd < 0) {
		snprintf(errbuf, errbuf_size, "%s: %s", pt->tmp, strerror(errno));
		return EVIDENCE_FAILED;
	}
	pt->created = true;
	/* The capture takes pcap_fd over and closes it; this one stays for
	 * checking what was written. */
	pt->fd = fcntl(pcap_fd, F_DUPFD_CLOEXEC, 0);
	if (pt->fd < 0) {
		snprintf(errbuf, errbuf_size, "%s: %s", pt->tmp, strerror(errno));
		close(pcap_fd);
		return EVIDENCE_FAILED;
	}
	/* A packet socket belongs to the namespace it was made in. */
	if (topology_enter(topo, end, errbuf, errbuf_size) < 0) {
		close(pcap_fd);
		return EVIDENCE_FAILED;
	}
	cr = capture_open(&pt->capture, topo->ifname[end], filter, pcap_fd, errbuf, errbuf_size);
	if (cr != CAPTURE_OK)
		return cr == CAPTURE_NO_PERMISSION ? EVIDENCE_NOT_HERE : EVIDENCE_FAILED;
	return EVIDENCE_OK;
}

size_t
evidence_poll_fds(const struct evidence *ev, int fds[ROLE_ENDS])
{
	size_t n = 0;
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (ev->points[e].capture != NULL)
			fds[n++] = capture_selectable_fd(ev->points[e].capture);
	return n;
}

size_t
evidence_private_fds(const struct evidence *ev, int fds[EVIDENCE_PRIVATE_FDS_MAX])
{
	size_t n = evidence_poll_fds(ev, fds);

	if (ev->sentinel_rx >= 0)
		fds[n++] = ev->sentinel_rx;
	if (ev->sentinel_tx >= 0)
		fds[n++] = ev->sentinel_tx;
	return n;
}

int
evidence_pump(struct evidence *ev, char *errbuf, size_t errbuf_size)
{
	char err[512];
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (ev->points[e].capture != NULL &&
		    capture_pump(ev->points[e].capture, err, sizeof(err)) < 0) {
			snprintf(errbuf, errbuf_size, "capture: %s", err);
			return -1;
		}
	return 0;
}

/* True when a TCP socket of the case's port pair, in the current namespace,
 * is still closing (other sockets may be the host's own, with --no-netns). */
static bool
sockets_closing_here(unsigned port, char *states, size_t size)
{
	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	static const char *const names[] = { "?", "ESTABLISHED", "SYN_SENT",
		"SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
		"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };
	bool closing = false;
	size_t f;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		FILE *fp = fopen(files[f], "re");
		char *line = NULL;
		size_t cap = 0;

		if (fp == NULL)
			continue;
		/* Skip the header; the 4th field is the state, in hex. */
		if (getline(&line, &cap, fp) > 0)
			while (getline(&line, &cap, fp) > 0) {
				unsigned st = 0, lport = 0, rport = 0;

				if (sscanf(line, "%*s %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%x %x",
				    &lport, &rport, &st) != 3)
					continue;
				if (lport != port && rport != port)
					continue;
				if (st == 0x06 || st == 0x07 || st == 0x0A)
					continue;	/* TIME_WAIT, CLOSE, LISTEN */
				closing = true;
				if (strlen(states) + 16 < size)
					snprintf(states + strlen(states), size - strlen(states),
					    "%s%s", states[0] ? ", " : "",
					    st < sizeof(names) / sizeof(names[0]) ? names[st] : "?");
			}
		free(line);
		fclose(fp);
	}
	return closing;
}

/* ... in any namespace of the case; the caller ends in the client's. */
static bool
sockets_closing(const struct topology *topo, unsigned port, char *states, size_t size)
{
	char err[256];
	bool closing = false;
	int e;

	states[0] = '\0';
	for (e = topology_shared(topo) ? 0 : 1; e >= 0; e--) {
		if (topology_enter(topo, (enum role_id)e, err, sizeof(err)) < 0)
			continue;
		if (sockets_closing_here(port, states, size))
			closing = true;
	}
	return closing;
}

/* Does every capture hold the sentinel? */
static bool
sentinel_everywhere(const struct evidence *ev)
{
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (ev->points[e].capture != NULL &&
		    !capture_sentinel_seen(ev->points[e].capture))
			return false;
	return true;
}

/* Wait up to timeout_ms for a packet at any capture (a socket's state
 * changes with the packets it sends).  0, or -1 with errbuf. */
static int
wait_for_packets(const struct evidence *ev, int timeout_ms, char *errbuf, size_t errbuf_size)
{
	struct pollfd pfds[ROLE_ENDS];
	int fds[ROLE_ENDS];
	size_t n = evidence_poll_fds(ev, fds), i;

	for (i = 0; i < n; i++)
		pfds[i] = (struct pollfd){ fds[i], POLLIN, 0 };
	if (poll(pfds, (nfds_t)n, timeout_ms) < 0 && errno != EINTR) {
		snprintf(errbuf, errbuf_size, "poll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Once the roles are gone: let closing sockets finish (a FIN still in
 * flight would miss the capture), then send the sentinel and read until
 * it is seen.  Everything tapped before it is then in the file.
 */
int
evidence_complete(struct evidence *ev, const struct topology *topo, uint16_t server_port,
    char *note, size_t note_size, char *errbuf, size_t errbuf_size)
{
	uint8_t nonce[CAPTURE_NONCE_SIZE];
	int64_t until = monotime_ns() + SETTLE_LIMIT_NS;
	char states[256];
	int urandom, e;

	note[0] = '\0';
	while (sockets_closing(topo, server_port, states, sizeof(states))) {
		if (monotime_ns() >= until) {
			snprintf(note, note_size,
			    "sockets still closing 2 s after the roles ended (%s): "
			    "later packets are not in the capture", states);
			break;
		}
		if (evidence_pump(ev, errbuf, errbuf_size) < 0 ||
		    wait_for_packets(ev, SETTLE_POLL_MS, errbuf, errbuf_size) < 0)
			return -1;
	}
	urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (urandom < 0 || read(urandom, nonce, sizeof(nonce)) != (ssize_t)sizeof(nonce)) {
		snprintf(errbuf, errbuf_size, "/dev/urandom: %s", strerror(errno));
		if (urandom >= 0)
			close(urandom);
		return -1;
	}
	close(urandom);
	for (e = 0; e < ROLE_ENDS; e++)
		if (ev->points[e].capture != NULL)
			capture_set_sentinel(ev->points[e].capture, nonce, sizeof(nonce));
	/* From the client's namespace to the server's: across the path, behind
	 * every packet queued before it. */
	if (sendto(ev->sentinel_tx, nonce, sizeof(nonce), 0,
	    (struct sockaddr *)&ev->sentinel_addr, ev->sentinel_addr_len) < 0) {
		snprintf(errbuf, errbuf_size, "sending the capture sentinel: %s", strerror(errno));
		return -1;
	}
	until = monotime_ns() + SENTINEL_LIMIT_NS;
	while (!sentinel_everywhere(ev)) {
		if (monotime_ns() >= until) {
			snprintf(errbuf, errbuf_size,
			    "evidence incomplete: the capture sentinel did not show up within 2 s");
			return -1;
		}
		if (wait_for_packets(ev, SETTLE_POLL_MS, errbuf, errbuf_size) < 0 ||
		    evidence_pump(ev, errbuf, errbuf_size) < 0)
			return -1;
	}
	return 0;
}

/*
 * Why a capture file holds less than was written to it.  libpcap's
 * pcap_dump() reports nothing and stdio forgets a failed write once its
 * buffer is flushed, so the cause is asked of the file itself: can it
 * grow?  A full disk answers ENOSPC (or EDQUOT) there.
 */
static void
explain_short(const struct evidence_point *pt, uint64_t found, char *errbuf, size_t errbuf_size)
{
	struct statvfs vfs;
	struct stat st;
	int err;

	if (fstat(pt->fd, &st) < 0) {
		snprintf(errbuf, errbuf_size, "%s: %s", pt->path, strerror(errno));
		return;
	}
	err = posix_fallocate(pt->fd, st.st_size, 4096);
	if (err == 0)
		(void)ftruncate(pt->fd, st.st_size);	/* the probe is not evidence */
	else if ((err == EOPNOTSUPP || err == EINVAL) && fstatvfs(pt->fd, &vfs) == 0 &&
	    vfs.f_bavail == 0)
		err = ENOSPC;	/* cannot probe: the free blocks say it */
	if (err == ENOSPC || err == EDQUOT)
		snprintf(errbuf, errbuf_size, "%s: %s", pt->path, strerror(err));
	else
		snprintf(errbuf, errbuf_size, "%s: written short: %llu of %llu packets "
		    "reached the file", pt->path, (unsigned long long)found,
		    (unsigned long long)pt->pub.stats.written);
}

/* The stream's own write error; true (the file is short). */
static bool
explain_write_error(const struct evidence_point *pt, char *errbuf, size_t errbuf_size)
{
	snprintf(errbuf, errbuf_size, "%s: %s", pt->path, strerror(pt->pub.stats.write_error));
	return true;
}

/*
 * Once the capture has closed its file: make sure every packet it wrote
 * is there (fsync also surfaces a deferred write error), reading the
 * file through its own descriptor.  0, or -1 with errbuf "PATH: REASON".
 */
static int
check_written(struct evidence_point *pt, char *errbuf, size_t errbuf_size)
{
	char pcap_err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	uint64_t found = 0;
	FILE *file;
	pcap_t *p;
	int fd, r;

	if (fsync(pt->fd) < 0 && errno != EINVAL) {
		snprintf(errbuf, errbuf_size, "%s: %s", pt->path, strerror(errno));
		return -1;
	}
	fd = fcntl(pt->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0 || (file = fdopen(fd, "rb")) == NULL) {
		snprintf(errbuf, errbuf_size, "%s: %s", pt->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	p = pcap_fopen_offline(file, pcap_err);	/* takes file over, also on error */
	if (p == NULL) {
		/* Not even the file header: the first write already failed. */
		explain_short(pt, 0, errbuf, errbuf_size);
		return -1;
	}
	while ((r = pcap_next_ex(p, &h, &bytes)) == 1)
		found++;
	pcap_close(p);
	if (r == PCAP_ERROR || found != pt->pub.stats.written) {
		explain_short(pt, found, errbuf, errbuf_size);
		return -1;
	}
	return 0;
}

int
evidence_finish(struct evidence *ev, char *errbuf, size_t errbuf_size)
{
	char err[1024];
	int e, rc = 0;

	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence_point *pt = &ev->points[e];

		if (pt->capture == NULL)
			continue;
		if (capture_finish(pt->capture, &pt->pub.stats, err, sizeof(err)) < 0 &&
		    pt->pub.stats.write_error == 0) {
			if (rc == 0)
				snprintf(errbuf, errbuf_size, "capture: %s", err);
			rc = -1;
			continue;
		}
		/* A write the stream saw fail is a short file, whatever the file
		 * seems to hold (it says why, when it can). */
		if (check_written(pt, err, sizeof(err)) < 0 ||
		    (pt->pub.stats.write_error != 0 && explain_write_error(pt, err, sizeof(err)))) {
			/* Short: never published, not even as a temporary file. */
			ev->write_failed = true;
			remove_private(ev->dir_fd, pt->tmp);
			pt->created = false;
			if (rc == 0)
				snprintf(errbuf, errbuf_size, "%s", err);
			rc = -1;
			continue;
		}
		/*
		 * Read back through the descriptor it was written with, not by
		 * name: /proc/self/fd/N opens that very file whatever has been
		 * renamed or planted in the directory since.
		 */
		snprintf(pt->fd_path, sizeof(pt->fd_path), "/proc/self/fd/%d", pt->fd);
		pt->pub.file = pt->fd_path;
		pt->pub.complete = true;
		if (pt->pub.stats.dropped > 0 && rc == 0) {
			snprintf(errbuf, errbuf_size,
			    "evidence incomplete: the capture at the %s dropped %u packets",
			    case_role_name((enum role_id)e), pt->pub.stats.dropped);
			rc = -1;
		}
	}
	return rc;
}

static int
fd_ascending(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Close descriptors first..last (last ~0U: all above first). */
static void
close_fds(unsigned first, unsigned last)
{
	long max;
	unsigned fd;

	if (close_range(first, last, 0) == 0)
		return;
	/* Kernels before 5.9: one by one, up to the descriptor limit. */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || (unsigned long)max > 65536)
		max = 65536;
	for (fd = first; fd <= last && fd < (unsigned)max; fd++)
		(void)close((int)fd);	/* most are not open: EBADF */
}

/*
 * The closer: a process that holds the last references to the capture
 * sockets (keep) and pays for closing them.  It closes every other
 * descriptor first (above all the coordinator's pipe to closeprobe, whose
 * end of file must not wait for it), then waits for the coordinator to
 * drop its own references (end of file on go): its exit is then the last
 * close of each.
 */
static void
closer_run(const int *keep, size_t nkeep, int go)
{
	int held[ROLE_ENDS + 1];
	unsigned from = 0;
	size_t i, n = 0;
	char byte;

	for (i = 0; i < nkeep && n < ROLE_ENDS; i++)
		held[n++] = keep[i];
	held[n++] = go;
	qsort(held, n, sizeof(held[0]), fd_ascending);
	for (i = 0; i < n; i++) {
		if ((unsigned)held[i] > from)
			close_fds(from, (unsigned)held[i] - 1);
		from = (unsigned)held[i] + 1;
	}
	close_fds(from, ~0U);
	while (read(go, &byte, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

void
evidence_stop_captures(struct evidence *ev, bool hand_off)
{
	int keep[ROLE_ENDS], go[2] = { -1, -1 };
	size_t nkeep;
	int e;

	if (ev == NULL)
		return;
	nkeep = evidence_poll_fds(ev, keep);
	if (nkeep > 0 && hand_off && pipe2(go, O_CLOEXEC) == 0) {
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid == 0)
			closer_run(keep, nkeep, go[0]);
		close(go[0]);
		if (pid < 0) {
			/* No closer: the closes happen here, as they would anyway. */
			close(go[1]);
			go[1] = -1;
		}
	}
	for (e = 0; e < ROLE_ENDS; e++) {
		capture_close(ev->points[e].capture);
		ev->points[e].capture = NULL;
	}
	/* The closer holds the last references now: let it go. */
	if (go[1] >= 0)
		close(go[1]);
}

int
evidence_publish(struct evidence *ev, char *errbuf, size_t errbuf_size)
{
	int e;

	/* The names come with the text (evidence_write_text): a set, whole. */
	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence_point *pt = &ev->points[e];

		capture_close(pt->capture);
		pt->capture = NULL;
		if (pt->created && ev->write_failed) {
			/* Another file of the set was written short: none is evidence. */
			remove_private(ev->dir_fd, pt->tmp);
			pt->created = false;
		}
	}
	if (ev->write_failed) {
		snprintf(errbuf, errbuf_size, "evidence incomplete (a capture file was "
		    "written short): not published");
		return -1;
	}
	return 0;
}

/*
 * Rename the captures and then the text over their final names; when one
 * rename fails, the names already given are taken back and every file of
 * the set removed: a reader sees all of it or none.  0, or -1 with errbuf.
 */
static int
publish_set(struct evidence *ev, char *errbuf, size_t errbuf_size)
{
	const char *tmp[2 * ROLE_ENDS + 1], *final[2 * ROLE_ENDS + 1];
	size_t n = 0, done, i;
	int e;

	for (e = 0; e < ROLE_ENDS; e++) {
		if (ev->points[e].created) {
			tmp[n] = ev->points[e].tmp;
			final[n++] = ev->points[e].path;
		}
		if (ev->points[e].svg_created) {
			tmp[n] = ev->points[e].svg_tmp;
			final[n++] = ev->points[e].svg_path;
		}
	}
	tmp[n] = ev->text_tmp;
	final[n++] = ev->text_path;
	for (done = 0; done < n; done++)
		if (publish(ev->dir_fd, tmp[done], final[done]) < 0)
			break;
	if (done < n) {
		snprintf(errbuf, errbuf_size, "%s: %s (none of its set published)", final[done],
		    strerror(errno));
		for (i = 0; i < n; i++)
			remove_private(ev->dir_fd, i < done ? final[i] : tmp[i]);
	}
	for (e = 0; e < ROLE_ENDS; e++) {
		ev->points[e].svg_published = done == n && ev->points[e].svg_created;
		ev->points[e].created = ev->points[e].svg_created = false;
	}
	return done < n ? -1 : 0;
}

/* Write data to a new private file tmp; final is the name errors give;
 * durable: fsync it too.  0, or -1 with errbuf (the file removed). */
static int
write_private(struct evidence *ev, const char *tmp, const char *final, const char *data,
    size_t len, bool durable, char *errbuf, size_t errbuf_size)
{
	int fd, err = 0;

	fd = open_private(ev->dir_fd, tmp);
	if (fd < 0) {
		snprintf(errbuf, errbuf_size, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	while (len > 0 && err == 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = errno;
		else if (n == 0)
			err = ENOSPC;	/* write(2) makes no progress only when full */
		else {
			data += n;
			len -= (size_t)n;
		}
	}
	/* fsync: a deferred write error shows here, before the name does. */
	if (durable && err == 0 && fsync(fd) < 0 && errno != EINVAL)
		err = errno;
	if (close(fd) < 0 && err == 0)
		err = errno;
	if (err != 0) {
		snprintf(errbuf, errbuf_size, "%s: %s", final, strerror(err));
		remove_private(ev->dir_fd, tmp);
		return -1;
	}
	return 0;
}

int
evidence_add_picture(struct evidence *ev, enum role_id end, const char *svg, size_t len,
    char *errbuf, size_t errbuf_size)
{
	struct evidence_point *pt = &ev->points[end];

	if (!pt->pub.wanted || ev->dir_fd < 0 || pt->svg_created) {
		snprintf(errbuf, errbuf_size, "no capture at the %s to draw",
		    case_role_name(end));
		return -1;
	}
	/* No fsync: a picture is drawn from the evidence, not evidence, and
	 * a sync would cost a case more than drawing it. */
	if (write_private(ev, pt->svg_tmp, pt->svg_path, svg, len, false, errbuf,
	    errbuf_size) < 0)
		return -1;
	pt->svg_created = true;
	return 0;
}

const char *
evidence_picture_path(const struct evidence *ev, enum role_id end)
{
	return ev->points[end].svg_published ? ev->points[end].svg_path : NULL;
}

int
evidence_write_text(struct evidence *ev, const char *text, char *errbuf, size_t errbuf_size)
{
	if (ev->write_failed) {
		snprintf(errbuf, errbuf_size, "%s: not written: the evidence it reports "
		    "on is incomplete", ev->text_path);
		return -1;
	}
	/* On failure the captures and pictures go too (evidence_destroy): no half set. */
	if (write_private(ev, ev->text_tmp, ev->text_path, text, strlen(text), true, errbuf,
	    errbuf_size) < 0)
		return -1;
	return publish_set(ev, errbuf, errbuf_size);
}

const struct evidence_capture *
evidence_capture(const struct evidence *ev, enum role_id end)
{
	return &ev->points[end].pub;
}

enum role_id
evidence_primary_end(const struct evidence *ev)
{
	return ev->points[ROLE_SERVER].pub.wanted ? ROLE_SERVER : ROLE_CLIENT;
}

const char *
evidence_text_path(const struct evidence *ev)
{
	return ev->text_path;
}
