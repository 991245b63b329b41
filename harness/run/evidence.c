/*
 * evidence.c - the capture files of a case: their names, writing them
 * privately and publishing them whole, knowing a capture is complete
 * (sockets settled, the sentinel seen everywhere), and the verdict file.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence.h"
#include "events.h"
#include "monotime.h"

/*
 * Evidence is written to a new file of this process's own (O_EXCL, never
 * through a symbolic link, relative to the captures directory), read back
 * from there, and renamed over the final name only when complete: two runs
 * of one case at once never read each other's packets, and a link planted
 * at the final name is replaced, not followed.
 */
int
evidence_open(int dir_fd, const char *path)
{
	return openat(dir_fd, strrchr(path, '/') + 1,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

static int
evidence_publish(int dir_fd, const char *tmp, const char *final)
{
	return renameat(dir_fd, strrchr(tmp, '/') + 1, dir_fd, strrchr(final, '/') + 1);
}

char *
path_join(const char *dir, const char *name, const char *ext)
{
	size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
	char *path = malloc(len);

	if (path != NULL)
		snprintf(path, len, "%s/%s%s", dir, name, ext);
	return path;
}

int
evidence_dir_open(struct case_run *run)
{
	const char *dir = run->opt->captures_dir;
	int fd;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		run_error(run, CASE_ERROR, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		run_error(run, CASE_ERROR, "%s is a symbolic link: evidence is never "
		    "written through one (name the real directory)", dir);
	else if (fd < 0)
		run_error(run, CASE_ERROR, "cannot open %s: %s", dir, strerror(errno));
	return fd;
}

int
evidence_pump(struct case_run *run)
{
	char err[512];
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (run->evidence[e].capture != NULL &&
		    capture_pump(run->evidence[e].capture, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "capture: %s", err);
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
sockets_closing(struct case_run *run, char *states, size_t size)
{
	char err[256];
	bool closing = false;
	int e;

	states[0] = '\0';
	for (e = run->nns - 1; e >= 0; e--) {
		if (topology_enter(&run->topo, (enum role_id)e, err, sizeof(err)) < 0)
			continue;
		if (sockets_closing_here(run->report.server_port, states, size))
			closing = true;
	}
	return closing;
}

/* Does every capture hold the sentinel? */
static bool
sentinel_everywhere(struct case_run *run)
{
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (run->evidence[e].capture != NULL &&
		    !capture_sentinel_seen(run->evidence[e].capture))
			return false;
	return true;
}

/*
 * Once the roles are gone: let closing sockets finish (a FIN still in
 * flight would miss the capture), then send the sentinel and read until
 * it is seen.  Everything tapped before it is then in the file.
 */
int
evidence_complete(struct case_run *run)
{
	uint8_t nonce[CAPTURE_NONCE_SIZE];
	int64_t until = monotime_ns() + SETTLE_LIMIT_NS;
	char states[256];
	int urandom, e;

	while (sockets_closing(run, states, sizeof(states))) {
		if (monotime_ns() >= until) {
			snprintf(run->note, sizeof(run->note),
			    "sockets still closing 2 s after the roles ended (%s): "
			    "later packets are not in the capture", states);
			run->report.note = run->note;
			break;
		}
		if (evidence_pump(run) < 0)
			return -1;
		poll(NULL, 0, 1);
	}
	urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (urandom < 0 || read(urandom, nonce, sizeof(nonce)) != (ssize_t)sizeof(nonce)) {
		run_error(run, CASE_ERROR, "/dev/urandom: %s", strerror(errno));
		if (urandom >= 0)
			close(urandom);
		return -1;
	}
	close(urandom);
	for (e = 0; e < ROLE_ENDS; e++)
		if (run->evidence[e].capture != NULL)
			capture_set_sentinel(run->evidence[e].capture, nonce, sizeof(nonce));
	/* From the client's namespace to the server's: across the path, behind
	 * every packet queued before it. */
	if (sendto(run->sentinel_tx, nonce, sizeof(nonce), 0,
	    (struct sockaddr *)&run->sentinel_addr, run->topo.addr_len) < 0) {
		run_error(run, CASE_ERROR, "sending the capture sentinel: %s", strerror(errno));
		return -1;
	}
	until = monotime_ns() + SENTINEL_LIMIT_NS;
	while (!sentinel_everywhere(run)) {
		if (monotime_ns() >= until) {
			run_error(run, CASE_ERROR,
			    "evidence incomplete: the capture sentinel did not show up within 2 s");
			return -1;
		}
		poll(NULL, 0, 1);
		if (evidence_pump(run) < 0)
			return -1;
	}
	return 0;
}

/* The capture the verdict's wire half comes from: the server end's, or the only one. */
int
evidence_primary_end(const struct case_run *run)
{
	return run->evidence[ROLE_SERVER].wanted ? ROLE_SERVER : ROLE_CLIENT;
}

int
evidence_write_text(struct case_run *run, int dir_fd, const char *text, char *err,
    size_t size)
{
	int fd = evidence_open(dir_fd, run->text_tmp);
	size_t len = strlen(text);

	if (fd < 0) {
		snprintf(err, size, "%s: %s", run->text_tmp, strerror(errno));
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		text += n;
		len -= (size_t)n;
	}
	if (len > 0 || close(fd) != 0 ||
	    evidence_publish(dir_fd, run->text_tmp, run->text_path) < 0) {
		snprintf(err, size, "%s: %s", run->text_path, strerror(errno));
		if (len > 0)
			close(fd);
		unlinkat(dir_fd, strrchr(run->text_tmp, '/') + 1, 0);
		return -1;
	}
	/* The JSON names the text file only once it is there. */
	run->report.text_path = run->text_path;
	return 0;
}

/* Name each capture point's evidence: "<case>[-v6].pcap", or with two
 * capture points "<case>[-v6].server.pcap" and "...client.pcap". */
int
evidence_plan(struct case_run *run, const char *suffix)
{
	const struct case_file *cf = run->cf;
	bool both = cf->topology != TOPOLOGY_LOOPBACK && cf->capture == CAPTURE_AT_BOTH;
	char ext[64];
	int e;

	run->evidence[ROLE_SERVER].wanted = cf->topology == TOPOLOGY_LOOPBACK ||
	    cf->capture != CAPTURE_AT_CLIENT;
	run->evidence[ROLE_CLIENT].wanted = cf->topology != TOPOLOGY_LOOPBACK &&
	    cf->capture != CAPTURE_AT_SERVER;
	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];
		const char *where = !both ? "" : e == ROLE_SERVER ? ".server" : ".client";

		if (!ev->wanted)
			continue;
		snprintf(ext, sizeof(ext), "%s%s.pcap", suffix, where);
		ev->path = path_join(run->opt->captures_dir, cf->name, ext);
		snprintf(ext, sizeof(ext), "%s%s.pcap.%ld.tmp", suffix, where, (long)getpid());
		ev->tmp = path_join(run->opt->captures_dir, cf->name, ext);
		if (ev->path == NULL || ev->tmp == NULL)
			return -1;
	}
	snprintf(ext, sizeof(ext), "%s.txt", suffix);
	run->text_path = path_join(run->opt->captures_dir, cf->name, ext);
	snprintf(ext, sizeof(ext), "%s.txt.%ld.tmp", suffix, (long)getpid());
	run->text_tmp = path_join(run->opt->captures_dir, cf->name, ext);
	return run->text_path == NULL || run->text_tmp == NULL ? -1 : 0;
}

/* Stop every capture; a drop anywhere makes the evidence incomplete. */
void
evidence_finish(struct case_run *run)
{
	char err[1024];
	int e;

	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];

		if (ev->capture == NULL)
			continue;
		if (capture_finish(ev->capture, &ev->stats, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "capture: %s", err);
			continue;
		}
		ev->complete = true;
		if (ev->stats.dropped > 0)
			run_error(run, CASE_ERROR,
			    "evidence incomplete: the capture at the %s dropped %u packets",
			    role_name((enum role_id)e), ev->stats.dropped);
	}
	run->report.have_capture = run->evidence[evidence_primary_end(run)].complete;
	run->report.capture = run->evidence[evidence_primary_end(run)].stats;
	if (run->evidence[ROLE_CLIENT].wanted && run->evidence[ROLE_SERVER].wanted) {
		run->report.client_pcap_path = run->evidence[ROLE_CLIENT].path;
		run->report.client_capture = run->evidence[ROLE_CLIENT].stats;
	}
}

/* Publish what was captured, whatever happened: it is the evidence. */
void
evidence_publish_all(struct case_run *run, int dir_fd)
{
	int e;

	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];

		if (!ev->created)
			continue;
		capture_close(ev->capture);
		ev->capture = NULL;
		if (evidence_publish(dir_fd, ev->tmp, ev->path) < 0)
			run_error(run, CASE_ERROR, "%s: %s", ev->path, strerror(errno));
	}
}
