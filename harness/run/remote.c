/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remote.c - a role run by a peer: the peer command's process, its hello,
 * the case sent to it, and the bridge between it and the case's rolelink.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledgercodec.h"
#include "monotime.h"
#include "remote.h"

#define CASE_TEXT_MAX (1024 * 1024)
#define REAP_LIMIT_MS 1000	/* for the peer's process to end by itself */

struct remote {
	pid_t pid;
	int fd;				/* the coordinator's end of the socket pair */
	struct peer_reader reader;
	struct platform platform;
	struct peer_caps caps;
	const struct case_file *cf;
	enum role_id role;
	int64_t clock_offset_ns;	/* add to the peer's CLOCK_MONOTONIC */
	int64_t clock_error_ns;		/* half the round trip it was measured in */
	bool collected;
	int wstatus;
	bool ledger_in;
	bool over;
	bool aborted;
	int64_t aborted_ns;
	struct ledger ledger;		/* as the peer sent it, clock moved */
	struct ledger child_ledger;	/* its child role's, when the case has one */
	bool child_ledger_in;
	struct role_io local_io;
	const struct role_io *inner;
};

static void
ms_sleep(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

struct remote *
remote_start(const char *command, char *err, size_t errlen)
{
	struct remote *r = calloc(1, sizeof(*r));
	int sv[2];

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fd = -1;
	if (peer_reader_init(&r->reader, -1) < 0) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		remote_destroy(r);
		return NULL;
	}
	fflush(NULL);
	r->pid = fork();
	if (r->pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		remote_destroy(r);
		return NULL;
	}
	if (r->pid == 0) {
		/* A process group of its own: killed as one with what it starts. */
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	setpgid(r->pid, r->pid);	/* either of the two may run first */
	close(sv[1]);
	r->fd = sv[0];
	r->reader.fd = r->fd;
	return r;
}

/* Collect the peer's process if it has ended, waiting at most ms. */
static void
try_collect(struct remote *r, long ms)
{
	long waited = 0;

	while (!r->collected && r->pid > 0) {
		pid_t got = waitpid(r->pid, &r->wstatus, WNOHANG);

		if (got == r->pid || (got < 0 && errno == ECHILD)) {
			r->collected = true;
			break;
		}
		if (waited >= ms)
			break;
		ms_sleep(10);
		waited += 10;
	}
}

static void
destroy(struct remote *r, long grace_ms)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);	/* the peer reads its end of file and stops */
	if (r->pid > 0 && !r->collected) {
		try_collect(r, grace_ms);
		if (!r->collected) {
			kill(-r->pid, SIGKILL);
			kill(r->pid, SIGKILL);
			while (waitpid(r->pid, &r->wstatus, 0) < 0 && errno == EINTR)
				;
		}
	}
	peer_reader_free(&r->reader);
	free(r);
}

void
remote_destroy(struct remote *r)
{
	destroy(r, REAP_LIMIT_MS);
}

void
remote_abandon(struct remote *r)
{
	destroy(r, 0);
}

/* "sh exited with status 3", "... was killed by SIGKILL", "" if running. */
static void
describe_exit(struct remote *r, char *buf, size_t size)
{
	try_collect(r, 200);
	if (!r->collected)
		snprintf(buf, size, "the peer command is still running");
	else if (WIFSIGNALED(r->wstatus))
		snprintf(buf, size, "the peer command was killed by signal %d",
		    WTERMSIG(r->wstatus));
	else
		snprintf(buf, size, "the peer command exited with status %d",
		    WEXITSTATUS(r->wstatus));
}

/* The next line within limit_ms, parsed.  1 a message, 0 end of file, -1. */
static int
next_msg(struct remote *r, int64_t limit_ms, const char *waiting_for, struct peer_msg *msg,
    char *err, size_t errlen)
{
	char *line, why[512], how[128];
	size_t len;
	int rc = peer_reader_line(&r->reader, monotime_ns() + limit_ms * 1000000, &line, &len,
	    why, sizeof(why));

	if (rc == 0) {
		describe_exit(r, how, sizeof(how));
		snprintf(err, errlen, "the peer ended before %s (%s)", waiting_for, how);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "the peer, waiting for %s: %s%s", waiting_for, why,
		    strcmp(why, "no answer in time") == 0 ? " (a silent peer)" : "");
		return -1;
	}
	if (peerproto_parse(line, len, msg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "the peer sent a bad line: %s", why);
		return -1;
	}
	if (msg->verb == PEER_ERROR) {
		snprintf(err, errlen, "the peer: %.*s", (int)msg->text_len, msg->text);
		return -1;
	}
	return 1;
}

/* The platform fields a hello may name, and where they go. */
static char *
platform_field(struct platform *p, const char *name, size_t *size)
{
	const struct {
		const char *name;
		char *field;
		size_t size;
	} fields[] = {
		{ "os", p->os, sizeof(p->os) },
		{ "release", p->release, sizeof(p->release) },
		{ "version", p->version, sizeof(p->version) },
		{ "machine", p->machine, sizeof(p->machine) },
		{ "stack", p->stack, sizeof(p->stack) },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, name) == 0) {
			*size = fields[i].size;
			return fields[i].field;
		}
	return NULL;
}

int
remote_hello(struct remote *r, int64_t limit_ms, char *err, size_t errlen)
{
	int64_t until = monotime_ns() + limit_ms * 1000000;
	struct peer_msg msg;
	bool greeted = false;

	memset(&r->platform, 0, sizeof(r->platform));
	r->platform.closeprobe_version = "peer";
	for (;;) {
		int64_t left_ms = (until - monotime_ns()) / 1000000;
		char *field;
		size_t size;

		if (next_msg(r, left_ms > 0 ? left_ms : 0, "its hello", &msg, err, errlen) < 0)
			return -1;
		if (!greeted && msg.verb != PEER_HELLO) {
			snprintf(err, errlen, "the peer began with '%s', not a hello (is the "
			    "command 'closeprobe peer'?)", peerproto_verb_name(msg.verb));
			return -1;
		}
		switch (msg.verb) {
		case PEER_HELLO:
			if (greeted || msg.number != PEERPROTO_VERSION) {
				snprintf(err, errlen, "the peer speaks protocol version %llu, this "
				    "closeprobe version %d", (unsigned long long)msg.number,
				    PEERPROTO_VERSION);
				return -1;
			}
			greeted = true;
			break;
		case PEER_PLATFORM:
			field = platform_field(&r->platform, msg.word, &size);
			if (field == NULL || msg.text_len >= size) {
				snprintf(err, errlen, "the peer's hello: platform field '%s' "
				    "unknown or too long", msg.word);
				return -1;
			}
			memcpy(field, msg.text, msg.text_len);
			field[msg.text_len] = '\0';
			break;
		case PEER_SUPPORTS:
			if (peer_caps_add(&r->caps, msg.word, msg.text, msg.text_len, err,
			    errlen) < 0)
				return -1;
			break;
		case PEER_READY:
			if (r->platform.os[0] == '\0') {
				snprintf(err, errlen, "the peer's hello names no OS");
				return -1;
			}
			return 0;
		default:
			snprintf(err, errlen, "the peer's hello: '%s' does not belong there",
			    peerproto_verb_name(msg.verb));
			return -1;
		}
	}
}

/* The kernel's struct in6_ifreq (linux/ipv6.h, which clashes with
 * netinet/in.h): an address for SIOCSIFADDR on an AF_INET6 socket. */
struct tap_in6_ifreq {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

static int
tap_add_ipv6(const char *name, const char *addr6, char *err, size_t errlen)
{
	struct tap_in6_ifreq req;
	char host[INET6_ADDRSTRLEN], path[128];
	const char *slash = strchr(addr6, '/');
	FILE *f;
	int sock, rc = 0;

	memset(&req, 0, sizeof(req));
	if (slash == NULL || (size_t)(slash - addr6) >= sizeof(host)) {
		snprintf(err, errlen, "TAP device %s: bad address %s", name, addr6);
		return -1;
	}
	memcpy(host, addr6, (size_t)(slash - addr6));
	host[slash - addr6] = '\0';
	req.prefixlen = (uint32_t)strtoul(slash + 1, NULL, 10);
	req.ifindex = (int)if_nametoindex(name);
	if (inet_pton(AF_INET6, host, &req.addr) != 1 || req.ifindex == 0 || req.prefixlen > 128) {
		snprintf(err, errlen, "TAP device %s: bad address %s", name, addr6);
		return -1;
	}
	/* A tentative address would refuse connections until DAD ends. */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_dad", name);
	f = fopen(path, "we");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* fclose() always, and its error (the write happens there) counts too. */
	rc = fputs("0\n", f) < 0 ? -1 : 0;
	if (fclose(f) != 0 || rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	sock = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || ioctl(sock, SIOCSIFADDR, &req) < 0) {
		snprintf(err, errlen, "TAP device %s: address %s: %s", name, addr6, strerror(errno));
		rc = -1;
	}
	if (sock >= 0)
		close(sock);
	return rc;
}

int
remote_make_tap(const char *name, const char *addr, const char *addr6, char *err,
    size_t errlen)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	char host[INET_ADDRSTRLEN];
	const char *slash = strchr(addr, '/');
	unsigned long bits = slash != NULL ? strtoul(slash + 1, NULL, 10) : 32;
	int fd, sock;

	if (strlen(name) >= IFNAMSIZ || slash == NULL || (size_t)(slash - addr) >= sizeof(host) ||
	    bits == 0 || bits > 32) {
		snprintf(err, errlen, "TAP device %s: bad name or address %s", name, addr);
		return -1;
	}
	memcpy(host, addr, (size_t)(slash - addr));
	host[slash - addr] = '\0';
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0) {
		snprintf(err, errlen, "TAP device %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
	    ioctl(sock, SIOCSIFADDR, &ifr) < 0) {
		snprintf(err, errlen, "TAP device %s: address %s: %s", name, addr, strerror(errno));
		close(sock);
		return -1;
	}
	sin->sin_addr.s_addr = htonl(bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits));
	if (ioctl(sock, SIOCSIFNETMASK, &ifr) < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "TAP device %s: netmask: %s", name, strerror(errno));
		close(sock);
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(err, errlen, "TAP device %s: up: %s", name, strerror(errno));
		close(sock);
		return -1;
	}
	close(sock);
	return addr6 != NULL ? tap_add_ipv6(name, addr6, err, errlen) : 0;
}

const struct platform *
remote_platform(const struct remote *r)
{
	return &r->platform;
}

const struct peer_caps *
remote_caps(const struct remote *r)
{
	return &r->caps;
}

bool
remote_case_needs_one_host(const struct case_file *cf, char *why, size_t whylen)
{
	if (cf->topology != TOPOLOGY_LOOPBACK)
		snprintf(why, whylen, "its topology builds both ends' namespaces on one host");
	else if (cf->nimpairments > 0 || cf->nsysctls > 0 || cf->mtu != 0 || cf->offloads_off)
		snprintf(why, whylen, "it sets up %s in every namespace of the case",
		    cf->nimpairments > 0 ? "impairments of the path" : cf->nsysctls > 0 ?
		    "sysctls" : cf->mtu != 0 ? "an mtu" : "offloads");
	else if (cf->capture == CAPTURE_AT_BOTH)
		snprintf(why, whylen, "it captures at both ends");
	else
		return false;
	return true;
}

int
remote_route(const char *const *addrs, size_t naddrs, int family, size_t *chosen,
    struct sockaddr_storage *peer, struct sockaddr_storage *local, socklen_t *len,
    char *ifname, size_t ifname_size, char *why, size_t whylen)
{
	struct ifaddrs *ifs, *ifa;
	const char *addr = NULL;
	socklen_t local_len;
	size_t i;
	int fd;

	memset(peer, 0, sizeof(*peer));
	for (i = 0; i < naddrs && addr == NULL; i++)
		if (inet_pton(family, addrs[i], family == AF_INET6 ?
		    (void *)&((struct sockaddr_in6 *)peer)->sin6_addr :
		    (void *)&((struct sockaddr_in *)peer)->sin_addr) == 1) {
			addr = addrs[i];
			*chosen = i;
		}
	if (addr == NULL) {
		snprintf(why, whylen, "no --peer-addr of IPv%d: this run is IPv%d",
		    family == AF_INET6 ? 6 : 4, family == AF_INET6 ? 6 : 4);
		return 1;
	}
	peer->ss_family = (sa_family_t)family;
	*len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	/* A datagram socket connected to the peer: the kernel picks the local
	 * address of its route, sending nothing. */
	if (family == AF_INET6)
		((struct sockaddr_in6 *)peer)->sin6_port = htons(9);
	else
		((struct sockaddr_in *)peer)->sin_port = htons(9);
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	local_len = *len;
	if (fd < 0 || connect(fd, (struct sockaddr *)peer, *len) < 0 ||
	    getsockname(fd, (struct sockaddr *)local, &local_len) < 0) {
		snprintf(why, whylen, "no route to the peer's address %s: %s", addr,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (family == AF_INET6) {
		((struct sockaddr_in6 *)peer)->sin6_port = 0;
		((struct sockaddr_in6 *)local)->sin6_port = 0;
	} else {
		((struct sockaddr_in *)peer)->sin_port = 0;
		((struct sockaddr_in *)local)->sin_port = 0;
	}
	if (getifaddrs(&ifs) < 0) {
		snprintf(why, whylen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	ifname[0] = '\0';
	for (ifa = ifs; ifa != NULL && ifname[0] == '\0'; ifa = ifa->ifa_next) {
		const struct sockaddr *a = ifa->ifa_addr;

		if (a == NULL || a->sa_family != family)
			continue;
		if (family == AF_INET6 ?
		    memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((struct sockaddr_in6 *)local)->sin6_addr, sizeof(struct in6_addr)) == 0 :
		    ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((struct sockaddr_in *)local)->sin_addr.s_addr)
			snprintf(ifname, ifname_size, "%s", ifa->ifa_name);
	}
	freeifaddrs(ifs);
	if (ifname[0] == '\0') {
		snprintf(why, whylen, "no interface holds the address that reaches the peer");
		return -1;
	}
	return 0;
}

/* The case file's text, as it was parsed here. */
static char *
case_text(const struct case_file *cf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(cf->path, "re");
	char *text;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", cf->path, strerror(errno));
		return NULL;
	}
	text = malloc(CASE_TEXT_MAX + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	*len = fread(text, 1, CASE_TEXT_MAX + 1, f);
	if (ferror(f) || *len > CASE_TEXT_MAX) {
		snprintf(err, errlen, "%s: %s", cf->path, ferror(f) ? strerror(errno) :
		    "too big to send to the peer");
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[*len] = '\0';
	return text;
}

/* "case NAME LINES", then every line of the file as a "text" line. */
static int
send_case(struct remote *r, const struct case_file *cf, char *err, size_t errlen)
{
	size_t len, at, lines = 0;
	char *text = case_text(cf, &len, err, errlen);
	struct peer_msg msg = { .verb = PEER_CASE, .text = "" };
	int rc = 0;

	if (text == NULL)
		return -1;
	for (at = 0; at < len; at++)
		if (text[at] == '\n')
			lines++;
	if (len > 0 && text[len - 1] != '\n')
		lines++;
	snprintf(msg.word, sizeof(msg.word), "%s", cf->name);
	msg.number = lines;
	if (lines == 0 || peerproto_send(r->fd, &msg) < 0) {
		snprintf(err, errlen, "sending the case to the peer: %s",
		    lines == 0 ? "the file is empty" : strerror(errno));
		free(text);
		return -1;
	}
	for (at = 0; at < len && rc == 0;) {
		char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;

		msg = (struct peer_msg){ .verb = PEER_TEXT, .text = text + at,
			.text_len = end - at };
		if (peerproto_send(r->fd, &msg) < 0) {
			snprintf(err, errlen, "sending the case to the peer: %s line %zu: %s",
			    cf->path, lines, errno == EINVAL ? "too long or a control character "
			    "for the protocol" : strerror(errno));
			rc = -1;
		}
		at = end + 1;
	}
	free(text);
	return rc;
}

static uint16_t
addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port :
	    ((const struct sockaddr_in *)ss)->sin_port);
}

enum remote_setup
remote_setup_role(struct remote *r, const struct case_file *cf, enum role_id role,
    const struct sockaddr_storage *addr, struct sockaddr_storage *listener, char *err,
    size_t errlen)
{
	char host[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 8];
	const void *raw = addr->ss_family == AF_INET6 ?
	    (const void *)&((const struct sockaddr_in6 *)addr)->sin6_addr :
	    (const void *)&((const struct sockaddr_in *)addr)->sin_addr;
	struct peer_msg msg;

	r->cf = cf;
	r->role = role;
	if (inet_ntop(addr->ss_family, raw, host, sizeof(host)) == NULL) {
		snprintf(err, errlen, "inet_ntop: %s", strerror(errno));
		return REMOTE_FAILED;
	}
	if (role == ROLE_SERVER)
		snprintf(text, sizeof(text), "%s", host);
	else
		snprintf(text, sizeof(text), "%s %u", host, addr_port(addr));
	if (send_case(r, cf, err, errlen) < 0)
		return REMOTE_FAILED;
	if (peerproto_send_text(r->fd, PEER_ROLE, role == ROLE_SERVER ? "server" : "client",
	    text) < 0) {
		snprintf(err, errlen, "sending the role to the peer: %s", strerror(errno));
		return REMOTE_FAILED;
	}
	if (next_msg(r, REMOTE_SETUP_LIMIT_MS, "its set-up", &msg, err, errlen) < 0)
		return REMOTE_FAILED;
	if (msg.verb == PEER_UNSUPPORTED) {
		snprintf(err, errlen, "unsupported by the peer: %s: %.*s", msg.word,
		    (int)msg.text_len, msg.text);
		return REMOTE_UNSUPPORTED;
	}
	if (msg.verb != (role == ROLE_SERVER ? PEER_LISTENING : PEER_CONNECTING)) {
		snprintf(err, errlen, "the peer answered the role with '%s'",
		    peerproto_verb_name(msg.verb));
		return REMOTE_FAILED;
	}
	if (role == ROLE_SERVER) {
		*listener = *addr;
		if (addr->ss_family == AF_INET6)
			((struct sockaddr_in6 *)listener)->sin6_port = htons((uint16_t)msg.number);
		else
			((struct sockaddr_in *)listener)->sin_port = htons((uint16_t)msg.number);
	}
	return REMOTE_READY;
}

int
remote_begin(struct remote *r, uint64_t deadline_ms, char *err, size_t errlen)
{
	int64_t sent = monotime_ns(), answered;
	struct peer_msg msg;

	if (peerproto_send_number(r->fd, PEER_START, deadline_ms) < 0) {
		snprintf(err, errlen, "starting the peer's role: %s", strerror(errno));
		return -1;
	}
	if (next_msg(r, REMOTE_SETUP_LIMIT_MS, "its clock", &msg, err, errlen) < 0)
		return -1;
	answered = monotime_ns();
	if (msg.verb != PEER_CLOCK) {
		snprintf(err, errlen, "the peer answered start with '%s'",
		    peerproto_verb_name(msg.verb));
		return -1;
	}
	/* The peer read its clock between the two: the middle is the best guess. */
	r->clock_offset_ns = sent + (answered - sent) / 2 - (int64_t)msg.number;
	r->clock_error_ns = (answered - sent + 1) / 2;
	return 0;
}

int64_t
remote_clock_error_ns(const struct remote *r)
{
	return r->clock_error_ns;
}

static void
forward_raise(void *ctx, size_t event)
{
	struct remote *r = ctx;

	r->inner->raise(r->inner->ctx, event);
	/* A local role's process: a peer gone is the coordinator's to see. */
	(void)peerproto_send_number(r->fd, PEER_EVENT, event);
}

static int
forward_wait(void *ctx, size_t event, int64_t deadline_ns)
{
	struct remote *r = ctx;

	return r->inner->wait(r->inner->ctx, event, deadline_ns);
}

static void
forward_record(void *ctx, enum role_id role, const struct ledger *ledger)
{
	struct remote *r = ctx;

	r->inner->record(r->inner->ctx, role, ledger);
}

static uint64_t
forward_stream_advance(void *ctx, enum role_id end, enum role_stream stream, uint64_t n)
{
	struct remote *r = ctx;

	return r->inner->stream_advance(r->inner->ctx, end, stream, n);
}

const struct role_io *
remote_local_io(struct remote *r, const struct role_io *inner)
{
	r->inner = inner;
	r->local_io = (struct role_io){ .ctx = r, .raise = forward_raise, .wait = forward_wait,
		.record = forward_record, .stream_advance = forward_stream_advance };
	return &r->local_io;
}

int
remote_fd(const struct remote *r)
{
	return r->fd;
}

pid_t
remote_pid(const struct remote *r)
{
	return r->pid;
}

/* The peer's times, onto the coordinator's clock ("0" stays "not yet"). */
static void
move_clock(int64_t *ns, int64_t offset)
{
	if (*ns != 0)
		*ns += offset;
}

/* The remote end's child role. */
static enum role_id
child_role(const struct remote *r)
{
	return r->role == ROLE_CLIENT ? ROLE_CLIENT_CHILD : ROLE_SERVER_CHILD;
}

static void
ledger_arrived(struct remote *r, struct rolelink *link, struct ledger *l, enum role_id role)
{
	size_t i;

	/* Process ids of another host: nothing here to wait for or signal. */
	l->pid = 0;
	l->child_pid = 0;
	move_clock(&l->step_started_ns, r->clock_offset_ns);
	move_clock(&l->shutdown.at_ns, r->clock_offset_ns);
	move_clock(&l->close.at_ns, r->clock_offset_ns);
	move_clock(&l->released_ns, r->clock_offset_ns);
	for (i = 0; i < LEDGER_STEPS; i++) {
		move_clock(&l->records[i].started_ns, r->clock_offset_ns);
		move_clock(&l->records[i].ended_ns, r->clock_offset_ns);
	}
	rolelink_io(link)->record(rolelink_io(link)->ctx, role, l);
}

static int
pump_line(struct remote *r, struct rolelink *link, const struct event_plan *plan,
    const char *line, size_t len, char *err, size_t errlen)
{
	const struct role_io *io = rolelink_io(link);
	struct peer_msg msg;
	char why[512];

	if (peerproto_parse(line, len, &msg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "the peer sent a bad line: %s", why);
		return -1;
	}
	switch (msg.verb) {
	case PEER_RAISE:
		/* Only its own role's events: the others' are not its to raise. */
		if (msg.number >= plan->count ||
		    case_role_end(plan->roles[msg.number]) != r->role) {
			snprintf(err, errlen, "the peer raised event %llu, not one of its role's",
			    (unsigned long long)msg.number);
			return -1;
		}
		io->raise(io->ctx, (size_t)msg.number);
		return 0;
	case PEER_STEP: {
		struct ledger progress = *rolelink_ledger(link, r->role);

		if (msg.number > r->cf->roles[r->role].nsteps) {
			snprintf(err, errlen, "the peer is at step %llu of %zu",
			    (unsigned long long)msg.number, r->cf->roles[r->role].nsteps);
			return -1;
		}
		/* Where the remote role is, for an account of a deadline. */
		progress.state = ROLE_STATE_RUNNING;
		progress.step = (int)msg.number;
		io->record(io->ctx, r->role, &progress);
		return 0;
	}
	case PEER_LEDGER:
		if (r->ledger_in) {
			snprintf(err, errlen, "the peer sent a second ledger");
			return -1;
		}
		if (ledger_from_json(msg.text, msg.text_len, &r->ledger, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "the peer's ledger: %s", why);
			return -1;
		}
		ledger_arrived(r, link, &r->ledger, r->role);
		r->ledger_in = true;
		return 0;
	case PEER_CHILD_LEDGER:
		if (!r->ledger_in || r->child_ledger_in || !r->cf->roles[child_role(r)].present) {
			snprintf(err, errlen, "the peer sent a child role's ledger out of turn");
			return -1;
		}
		if (ledger_from_json(msg.text, msg.text_len, &r->child_ledger, why,
		    sizeof(why)) < 0) {
			snprintf(err, errlen, "the peer's child role's ledger: %s", why);
			return -1;
		}
		ledger_arrived(r, link, &r->child_ledger, child_role(r));
		r->child_ledger_in = true;
		return 0;
	case PEER_END:
		if (!r->ledger_in || (r->cf->roles[child_role(r)].present && !r->child_ledger_in)) {
			snprintf(err, errlen, "the peer ended without its %s ledger",
			    r->ledger_in ? "child role's" : "role's");
			return -1;
		}
		r->over = true;
		return 0;
	case PEER_ERROR:
		snprintf(err, errlen, "the peer: %.*s", (int)msg.text_len, msg.text);
		return -1;
	default:
		snprintf(err, errlen, "the peer sent '%s' while its role ran",
		    peerproto_verb_name(msg.verb));
		return -1;
	}
}

int
remote_pump(struct remote *r, struct rolelink *link, const struct event_plan *plan,
    char *err, size_t errlen)
{
	char *line, why[256], how[128];
	size_t len;
	int n;

	if (r->over)
		return 0;
	if (peer_reader_fill(&r->reader) < 0 && errno != EINTR && errno != EAGAIN) {
		snprintf(err, errlen, "reading from the peer: %s", strerror(errno));
		r->over = true;
		return -1;
	}
	while (!r->over && (n = peer_reader_next(&r->reader, &line, &len, why, sizeof(why))) != 0) {
		if (n < 0) {
			snprintf(err, errlen, "the peer sent a bad line: %s", why);
			r->over = true;
			return -1;
		}
		if (pump_line(r, link, plan, line, len, err, errlen) < 0) {
			r->over = true;
			return -1;
		}
	}
	if (!r->over && r->reader.eof) {
		r->over = true;
		describe_exit(r, how, sizeof(how));
		snprintf(err, errlen, "the peer's output ended %s (%s)",
		    r->ledger_in ? "after its ledger, without 'end'" : "before its role's ledger",
		    how);
		return -1;
	}
	return 0;
}

bool
remote_over(const struct remote *r)
{
	return r->over;
}

void
remote_abort(struct remote *r)
{
	if (r->over || r->aborted)
		return;
	r->aborted = true;
	r->aborted_ns = monotime_ns();
	(void)peerproto_send_text(r->fd, PEER_ABORT, NULL, NULL);
}

bool
remote_abort_expired(struct remote *r, char *err, size_t errlen)
{
	if (!r->aborted || r->over ||
	    monotime_ns() - r->aborted_ns < (int64_t)REMOTE_ABORT_GRACE_MS * 1000000)
		return false;
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
	r->over = true;
	snprintf(err, errlen, "the peer sent no ledger within %d ms of the abort: its "
	    "processes were killed", REMOTE_ABORT_GRACE_MS);
	return true;
}

void
remote_collected(struct remote *r, int wstatus)
{
	r->collected = true;
	r->wstatus = wstatus;
}

bool
remote_child_exit(const struct remote *r, bool *exited, int *code, int *signal)
{
	*exited = r->child_ledger_in && r->child_ledger.exited;
	*code = r->child_ledger_in ? r->child_ledger.exit_code : 0;
	*signal = r->child_ledger_in ? r->child_ledger.exit_signal : 0;
	return r->child_ledger_in;
}

bool
remote_exit(const struct remote *r, bool *exited, int *code, int *signal)
{
	if (r->ledger_in) {
		*exited = r->ledger.exited;
		*code = r->ledger.exit_code;
		*signal = r->ledger.exit_signal;
		return true;
	}
	*exited = true;
	*code = r->collected && WIFEXITED(r->wstatus) ? WEXITSTATUS(r->wstatus) : 1;
	*signal = r->collected && WIFSIGNALED(r->wstatus) ? WTERMSIG(r->wstatus) : 0;
	return false;
}
