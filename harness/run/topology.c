/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topology.c - namespaces, veth, sysctls and impairments for one case.
 *
 * Links, addresses, qdiscs and nftables rules are made with the system's
 * own ip(8), tc(8) and nft(8), run inside the case's namespaces; offloads
 * are switched with the ethtool ioctl.  Everything lives in namespaces the
 * case owns, so nothing has to be undone.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "topology.h"

#define VETH_CLIENT "cp-c"
#define VETH_SERVER "cp-s"
#define ROUTER_CLIENT_SIDE "rt-c"	/* the router's end towards the client */
#define ROUTER_SERVER_SIDE "rt-s"
#define VETH_DEFAULT_MTU 1500
#define COMMAND_OUTPUT_MAX 512

static void
applied_add(struct topology *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Keep a line of what was set up; the evidence lists it. */
static void
applied_add(struct topology *t, const char *fmt, ...)
{
	size_t old = t->applied != NULL ? strlen(t->applied) : 0;
	char line[512];
	char *grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = realloc(t->applied, old + strlen(line) + 3);
	if (grown == NULL)
		return;		/* the evidence is shorter; the case still runs */
	snprintf(grown + old, strlen(line) + 3, "%s%s", old > 0 ? "; " : "", line);
	t->applied = grown;
}

static int
enter_ns(int fd, char *errbuf, size_t errbuf_size)
{
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(errbuf, errbuf_size, "setns: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Run argv in namespace ns_fd and wait for it.  0 when it exited 0; -1
 * with errbuf holding the command and what it printed.  *output gets
 * what it printed either way, when not NULL.
 */
static int
run_in_ns(int ns_fd, const char *const argv[], char *output, size_t output_size,
    char *errbuf, size_t errbuf_size)
{
	char buf[COMMAND_OUTPUT_MAX];
	size_t len = 0;
	int pipefd[2], wstatus;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(errbuf, errbuf_size, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(errbuf, errbuf_size, "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		if (setns(ns_fd, CLONE_NEWNET) < 0)
			_exit(126);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		/* Into the pipe, as the command would have said it: the error text. */
		len = (size_t)snprintf(buf, sizeof(buf), "%s: %s", argv[0], strerror(errno));
		if (write(STDERR_FILENO, buf, len < sizeof(buf) ? len : sizeof(buf) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char rest[256];
		/* Keep the start; drain the rest, so the command never meets a
		 * closed pipe. */
		bool full = len == sizeof(buf) - 1;
		ssize_t n = full ? read(pipefd[0], rest, sizeof(rest)) :
		    read(pipefd[0], buf + len, sizeof(buf) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!full)
			len += (size_t)n;
	}
	close(pipefd[0]);
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	if (output != NULL)
		snprintf(output, output_size, "%s", buf);
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			snprintf(errbuf, errbuf_size, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return 0;
	{
		char cmd[256];
		size_t used = 0, i;

		cmd[0] = '\0';
		for (i = 0; argv[i] != NULL && used < sizeof(cmd); i++)
			used += (size_t)snprintf(cmd + used, sizeof(cmd) - used, "%s%s",
			    i > 0 ? " " : "", argv[i]);
		snprintf(errbuf, errbuf_size, "'%s' failed: %s", cmd,
		    buf[0] != '\0' ? buf : WIFEXITED(wstatus) &&
		    WEXITSTATUS(wstatus) == 127 ? "command not found" : "no message");
	}
	return -1;
}

#define RUN(ns, errbuf, size, ...) \
	run_in_ns((ns), (const char *const[]){ __VA_ARGS__, NULL }, NULL, 0, (errbuf), (size))

/* Switch a generic offload with the ethtool ioctl; devices without it are fine. */
static int
offload_off(const char *ifname, unsigned cmd, const char *what, char *errbuf,
    size_t errbuf_size)
{
	struct ethtool_value ev = { .cmd = cmd, .data = 0 };
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0) {
		snprintf(errbuf, errbuf_size, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0 && errno != EOPNOTSUPP) {
		snprintf(errbuf, errbuf_size, "%s: cannot turn %s off: %s", ifname, what,
		    strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

static int
offloads_off(int ns_fd, int home_fd, const char *ifname, char *errbuf, size_t errbuf_size)
{
	int rc;

	if (enter_ns(ns_fd, errbuf, errbuf_size) < 0)
		return -1;
	rc = offload_off(ifname, ETHTOOL_SGSO, "GSO", errbuf, errbuf_size) < 0 ||
	    offload_off(ifname, ETHTOOL_STSO, "TSO", errbuf, errbuf_size) < 0 ||
	    offload_off(ifname, ETHTOOL_SGRO, "GRO", errbuf, errbuf_size) < 0 ? -1 : 0;
	if (enter_ns(home_fd, errbuf, errbuf_size) < 0)
		return -1;
	return rc;
}

/* Write each net.* sysctl in namespace ns_fd, through /proc/sys. */
static int
sysctls_apply(const struct case_file *cf, int ns_fd, int home_fd, struct topology *t,
    const char *where, char *errbuf, size_t errbuf_size)
{
	size_t i;
	int rc = 0;

	if (cf->nsysctls == 0)
		return 0;
	if (enter_ns(ns_fd, errbuf, errbuf_size) < 0)
		return -1;
	for (i = 0; i < cf->nsysctls && rc == 0; i++) {
		const struct case_sysctl *sc = &cf->sysctls[i];
		char path[256];
		size_t j;
		int fd;

		snprintf(path, sizeof(path), "/proc/sys/%s", sc->name);
		for (j = strlen("/proc/sys/"); path[j] != '\0'; j++)
			if (path[j] == '.')
				path[j] = '/';
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, sc->value, strlen(sc->value)) != (ssize_t)strlen(sc->value)) {
			snprintf(errbuf, errbuf_size, "%s:%u: sysctl %s = %s: %s", cf->path,
			    sc->line, sc->name, sc->value, strerror(errno));
			rc = -1;
		} else
			applied_add(t, "%s sysctl %s = %s", where, sc->name, sc->value);
		if (fd >= 0)
			close(fd);
	}
	if (enter_ns(home_fd, errbuf, errbuf_size) < 0)
		return -1;
	return rc;
}

static int
set_mtu(int ns_fd, const char *ifname, unsigned mtu, char *errbuf, size_t errbuf_size)
{
	char text[16];

	snprintf(text, sizeof(text), "%u", mtu);
	return RUN(ns_fd, errbuf, errbuf_size, "ip", "link", "set", ifname, "mtu", text);
}

/* tc's own units: "10mbit" rather than "10000000bit". */
static void
rate_format(uint64_t bps, char *buf, size_t size)
{
	if (bps % 1000000000 == 0)
		snprintf(buf, size, "%llugbit", (unsigned long long)(bps / 1000000000));
	else if (bps % 1000000 == 0)
		snprintf(buf, size, "%llumbit", (unsigned long long)(bps / 1000000));
	else if (bps % 1000 == 0)
		snprintf(buf, size, "%llukbit", (unsigned long long)(bps / 1000));
	else
		snprintf(buf, size, "%llubit", (unsigned long long)bps);
}

/*
 * Loss is applied where a packet arrives at the reader's end (an nftables
 * netdev ingress hook), not where it leaves: on the way out the stack
 * still holds GSO super-packets, one drop decision for a whole burst,
 * while a veth delivers them as segments.  Only segments without SYN, FIN
 * or RST are dropped: data and acknowledgements suffer, the handshake and
 * the teardown under test always get through.  Both ends' captures see a
 * dropped segment (the capture taps before the hook): it was on the wire.
 */
#define LOSS_ALL_BP 10000	/* 100 %, in basis points */

static int
loss_apply(const struct case_file *cf, struct topology *t,
    const struct case_impairment *loss, char *errbuf, size_t errbuf_size)
{
	const char *dev = t->ingress_dev[loss->writer];
	int ns = t->ingress_ns[loss->writer];
	static const char *const data_segments[] = { "nft", "add", "rule", "netdev",
		"closeprobe", "in", "meta", "l4proto", "tcp", "tcp", "flags", "&",
		"(fin|syn|rst)", "==", "0" };
	enum {
		DATA_SEGMENTS = sizeof(data_segments) / sizeof(data_segments[0]),
		DRAW = 6	/* "numgen random mod M < BP" */
	};
	/* the match, the draw, "drop", NULL */
	const char *rule[DATA_SEGMENTS + DRAW + 2];
	char chain[128], bp[16], modulus[16];
	size_t n = DATA_SEGMENTS;

	memcpy(rule, data_segments, sizeof(data_segments));
	snprintf(bp, sizeof(bp), "%u", loss->loss_bp);
	snprintf(modulus, sizeof(modulus), "%u", LOSS_ALL_BP);
	/* numgen draws below its modulus: "< 10000" is out of its range (nft
	 * refuses it), and 100 % is every data segment: a plain drop. */
	if (loss->loss_bp < LOSS_ALL_BP) {
		rule[n++] = "numgen";
		rule[n++] = "random";
		rule[n++] = "mod";
		rule[n++] = modulus;
		rule[n++] = "<";
		rule[n++] = bp;
	}
	rule[n++] = "drop";
	rule[n] = NULL;
	snprintf(chain, sizeof(chain),
	    "{ type filter hook ingress device %s priority 0 ; policy accept ; }", dev);
	if (RUN(ns, errbuf, errbuf_size, "nft", "add", "table", "netdev", "closeprobe") < 0 ||
	    RUN(ns, errbuf, errbuf_size, "nft", "add", "chain", "netdev", "closeprobe", "in",
	    chain) < 0 ||
	    run_in_ns(ns, rule, NULL, 0, errbuf, errbuf_size) < 0) {
		if (strstr(errbuf, "command not found") != NULL)
			snprintf(errbuf, errbuf_size, "%s:%u: loss needs nft(8) (install nftables)",
			    cf->path, loss->line);
		return -1;
	}
	applied_add(t, "nftables drops %u.%02u%% of data segments arriving at %s",
	    loss->loss_bp / 100, loss->loss_bp % 100, dev);
	return 0;
}

/* Rate and delay sit on the way out towards the reader: the writer's
 * device (veth) or the router's (routed). */
static enum topology_result
impairments_apply(const struct case_file *cf, struct topology *t, char *errbuf,
    size_t errbuf_size)
{
	int w;

	for (w = 0; w < ROLE_ENDS; w++) {
		const struct case_impairment *rate = NULL, *loss = NULL, *delay = NULL;
		const char *dev = t->egress_dev[w];
		int ns = t->egress_ns[w];
		char rate_text[32], out[COMMAND_OUTPUT_MAX];
		size_t i;

		for (i = 0; i < cf->nimpairments; i++) {
			const struct case_impairment *im = &cf->impairments[i];

			if ((int)im->writer != w)
				continue;
			if (im->kind == IMPAIR_RATE)
				rate = im;
			else if (im->kind == IMPAIR_LOSS)
				loss = im;
			else
				delay = im;
		}
		if (rate != NULL)
			rate_format(rate->rate_bps, rate_text, sizeof(rate_text));
		if (delay != NULL) {
			char d[32], j[32];

			snprintf(d, sizeof(d), "%llums", (unsigned long long)delay->delay_ms);
			snprintf(j, sizeof(j), "%llums", (unsigned long long)delay->jitter_ms);
			/* netem carries the rate as well when both are asked for. */
			if (run_in_ns(ns, (const char *const[]){ "tc", "qdisc", "add", "dev", dev,
			    "root", "netem", "delay", d, j, rate != NULL ? "rate" : NULL,
			    rate_text, NULL }, out, sizeof(out), errbuf, errbuf_size) < 0) {
				if (strstr(out, "qdisc kind is unknown") != NULL) {
					snprintf(errbuf, errbuf_size, "%s:%u: netem is not available in "
					    "this kernel (delay needs it)", cf->path, delay->line);
					return TOPOLOGY_UNSUPPORTED;
				}
				return TOPOLOGY_FAILED;
			}
			applied_add(t, "netem delay %s jitter %s%s%s on %s", d, j,
			    rate != NULL ? " rate " : "", rate != NULL ? rate_text : "", dev);
		} else if (rate != NULL) {
			if (RUN(ns, errbuf, errbuf_size, "tc", "qdisc", "add", "dev", dev, "root",
			    "tbf", "rate", rate_text, "burst", "32kb", "latency", "1s") < 0)
				return TOPOLOGY_FAILED;
			applied_add(t, "tbf rate %s on %s", rate_text, dev);
		}
		if (loss == NULL)
			continue;
		if (loss_apply(cf, t, loss, errbuf, errbuf_size) < 0)
			return strstr(errbuf, "install nftables") != NULL ? TOPOLOGY_UNSUPPORTED :
			    TOPOLOGY_FAILED;
	}
	return TOPOLOGY_OK;
}

static void
set_address(struct sockaddr_storage *ss, int family, const char *text)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		a6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, text, &a6->sin6_addr);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

		a4->sin_family = AF_INET;
		inet_pton(AF_INET, text, &a4->sin_addr);
	}
}

/* A fresh network namespace with lo up, held by *fd; the caller is home again. */
static int
namespace_new(int home, int *fd, char *errbuf, size_t errbuf_size)
{
	if (netns_enter_child(errbuf, errbuf_size) < 0)
		return -1;
	/* Not close-on-exec: ip(8) names it as /proc/self/fd/N. */
	*fd = open("/proc/self/ns/net", O_RDONLY);
	if (*fd < 0) {
		snprintf(errbuf, errbuf_size, "/proc/self/ns/net: %s", strerror(errno));
		return -1;
	}
	return enter_ns(home, errbuf, errbuf_size);
}

/* One end of a veth pair: its address ("198.18.0.1/24"), offloads, up. */
static int
veth_end_setup(const struct case_file *cf, int ns, int home, const char *dev,
    const char *addr, char *errbuf, size_t errbuf_size)
{
	bool v6 = strchr(addr, ':') != NULL;

	int rc;

	if (cf->offloads_off && offloads_off(ns, home, dev, errbuf, errbuf_size) < 0)
		return -1;
	/* nodad: an IPv6 address is usable at once, not after duplicate detection. */
	if (v6)
		rc = RUN(ns, errbuf, errbuf_size, "ip", "-6", "addr", "add", addr, "dev", dev,
		    "nodad");
	else
		rc = RUN(ns, errbuf, errbuf_size, "ip", "addr", "add", addr, "dev", dev);
	if (rc < 0)
		return -1;
	return RUN(ns, errbuf, errbuf_size, "ip", "link", "set", dev, "up");
}

/* A veth pair from namespace ns_a (device a) to ns_b (device b). */
static int
veth_pair(const struct case_file *cf, int ns_a, const char *a, const char *addr_a,
    int ns_b, const char *b, const char *addr_b, int home, char *errbuf, size_t errbuf_size)
{
	char mtu[16], peer_ns[64];

	snprintf(mtu, sizeof(mtu), "%u", cf->mtu != 0 ? cf->mtu : VETH_DEFAULT_MTU);
	snprintf(peer_ns, sizeof(peer_ns), "/proc/self/fd/%d", ns_b);
	if (RUN(ns_a, errbuf, errbuf_size, "ip", "link", "add", a, "mtu", mtu, "type", "veth",
	    "peer", "name", b, "mtu", mtu, "netns", peer_ns) < 0)
		return -1;
	return veth_end_setup(cf, ns_a, home, a, addr_a, errbuf, errbuf_size) < 0 ||
	    veth_end_setup(cf, ns_b, home, b, addr_b, errbuf, errbuf_size) < 0 ? -1 : 0;
}

static int
write_proc(int ns, int home, const char *path, const char *value, char *errbuf,
    size_t errbuf_size)
{
	int fd, rc = 0;

	if (enter_ns(ns, errbuf, errbuf_size) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value)) {
		snprintf(errbuf, errbuf_size, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return enter_ns(home, errbuf, errbuf_size) < 0 ? -1 : rc;
}

static enum topology_result
build_veth(const struct case_file *cf, struct topology *t, char *errbuf, size_t errbuf_size)
{
	static const char *const veth_names[ROLE_ENDS] = { VETH_CLIENT, VETH_SERVER };
	int client = t->ns_fd[ROLE_CLIENT];
	bool v6 = t->family == AF_INET6;
	int w;

	if (namespace_new(client, &t->ns_fd[ROLE_SERVER], errbuf, errbuf_size) < 0)
		return TOPOLOGY_FAILED;
	snprintf(t->ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, VETH_CLIENT);
	snprintf(t->ifname[ROLE_SERVER], TOPOLOGY_IFNAME_SIZE, VETH_SERVER);
	if (veth_pair(cf, client, VETH_CLIENT, v6 ? "2001:db8::1/64" : "198.18.0.1/24",
	    t->ns_fd[ROLE_SERVER], VETH_SERVER, v6 ? "2001:db8::2/64" : "198.18.0.2/24",
	    client, errbuf, errbuf_size) < 0)
		return TOPOLOGY_FAILED;
	/* Rate and delay leave with the writer; loss strikes at the reader. */
	for (w = 0; w < ROLE_ENDS; w++) {
		t->egress_ns[w] = t->ns_fd[w];
		snprintf(t->egress_dev[w], TOPOLOGY_IFNAME_SIZE, "%s", veth_names[w]);
		t->ingress_ns[w] = t->ns_fd[1 - w];
		snprintf(t->ingress_dev[w], TOPOLOGY_IFNAME_SIZE, "%s", veth_names[1 - w]);
	}
	set_address(&t->server_addr, t->family, v6 ? "2001:db8::2" : "198.18.0.2");
	applied_add(t, "veth %s (client, %s) -- %s (server, %s), mtu %u%s", VETH_CLIENT,
	    v6 ? "2001:db8::1" : "198.18.0.1", VETH_SERVER, v6 ? "2001:db8::2" : "198.18.0.2",
	    cf->mtu != 0 ? cf->mtu : VETH_DEFAULT_MTU, cf->offloads_off ? ", GSO/TSO/GRO off" : "");
	return TOPOLOGY_OK;
}

static enum topology_result
build_routed(const struct case_file *cf, struct topology *t, char *errbuf, size_t errbuf_size)
{
	int client = t->ns_fd[ROLE_CLIENT];
	bool v6 = t->family == AF_INET6;
	int server, router;

	if (namespace_new(client, &t->ns_fd[ROLE_SERVER], errbuf, errbuf_size) < 0 ||
	    namespace_new(client, &t->router_fd, errbuf, errbuf_size) < 0)
		return TOPOLOGY_FAILED;
	server = t->ns_fd[ROLE_SERVER];
	router = t->router_fd;
	snprintf(t->ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, VETH_CLIENT);
	snprintf(t->ifname[ROLE_SERVER], TOPOLOGY_IFNAME_SIZE, VETH_SERVER);
	if (veth_pair(cf, client, VETH_CLIENT, v6 ? "2001:db8::1/64" : "198.18.0.1/24",
	    router, ROUTER_CLIENT_SIDE, v6 ? "2001:db8::fe/64" : "198.18.0.254/24", client,
	    errbuf, errbuf_size) < 0 ||
	    veth_pair(cf, router, ROUTER_SERVER_SIDE, v6 ? "2001:db8:1::fe/64" :
	    "198.18.1.254/24", server, VETH_SERVER, v6 ? "2001:db8:1::2/64" : "198.18.1.2/24",
	    client, errbuf, errbuf_size) < 0)
		return TOPOLOGY_FAILED;
	if (write_proc(router, client, v6 ? "/proc/sys/net/ipv6/conf/all/forwarding" :
	    "/proc/sys/net/ipv4/ip_forward", "1", errbuf, errbuf_size) < 0)
		return TOPOLOGY_FAILED;
	if (RUN(client, errbuf, errbuf_size, "ip", v6 ? "-6" : "-4", "route", "add", "default",
	    "via", v6 ? "2001:db8::fe" : "198.18.0.254") < 0 ||
	    RUN(server, errbuf, errbuf_size, "ip", v6 ? "-6" : "-4", "route", "add", "default",
	    "via", v6 ? "2001:db8:1::fe" : "198.18.1.254") < 0)
		return TOPOLOGY_FAILED;
	/* Every impairment sits on the router, between the two capture points. */
	t->egress_ns[ROLE_CLIENT] = t->egress_ns[ROLE_SERVER] = router;
	t->ingress_ns[ROLE_CLIENT] = t->ingress_ns[ROLE_SERVER] = router;
	snprintf(t->egress_dev[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, ROUTER_SERVER_SIDE);
	snprintf(t->egress_dev[ROLE_SERVER], TOPOLOGY_IFNAME_SIZE, ROUTER_CLIENT_SIDE);
	snprintf(t->ingress_dev[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, ROUTER_CLIENT_SIDE);
	snprintf(t->ingress_dev[ROLE_SERVER], TOPOLOGY_IFNAME_SIZE, ROUTER_SERVER_SIDE);
	set_address(&t->server_addr, t->family, v6 ? "2001:db8:1::2" : "198.18.1.2");
	applied_add(t, "routed: %s (client, %s) -- %s router %s -- %s (server, %s), mtu %u%s",
	    VETH_CLIENT, v6 ? "2001:db8::1" : "198.18.0.1", ROUTER_CLIENT_SIDE,
	    ROUTER_SERVER_SIDE, VETH_SERVER, v6 ? "2001:db8:1::2" : "198.18.1.2",
	    cf->mtu != 0 ? cf->mtu : VETH_DEFAULT_MTU, cf->offloads_off ? ", GSO/TSO/GRO off" : "");
	return TOPOLOGY_OK;
}

enum topology_result
topology_build(const struct case_file *cf, int family, struct topology *t,
    char *errbuf, size_t errbuf_size)
{
	int home;

	memset(t, 0, sizeof(*t));
	t->kind = cf->topology;
	t->family = family;
	t->ns_fd[ROLE_CLIENT] = t->ns_fd[ROLE_SERVER] = t->router_fd = -1;
	t->addr_len = family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		snprintf(errbuf, errbuf_size, "/proc/self/ns/net: %s", strerror(errno));
		return TOPOLOGY_FAILED;
	}
	t->ns_fd[ROLE_CLIENT] = home;
	if (cf->topology != TOPOLOGY_LOOPBACK) {
		enum topology_result r = cf->topology == TOPOLOGY_VETH ?
		    build_veth(cf, t, errbuf, errbuf_size) :
		    build_routed(cf, t, errbuf, errbuf_size);

		if (r != TOPOLOGY_OK)
			return r;
		if (sysctls_apply(cf, home, home, t, "client", errbuf, errbuf_size) < 0 ||
		    sysctls_apply(cf, t->ns_fd[ROLE_SERVER], home, t, "server", errbuf,
		    errbuf_size) < 0)
			return TOPOLOGY_FAILED;
		return impairments_apply(cf, t, errbuf, errbuf_size);
	}
	/* Loopback: one namespace holds both ends. */
	t->ns_fd[ROLE_SERVER] = dup(home);
	if (t->ns_fd[ROLE_SERVER] < 0) {
		snprintf(errbuf, errbuf_size, "dup: %s", strerror(errno));
		return TOPOLOGY_FAILED;
	}
	snprintf(t->ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, "lo");
	snprintf(t->ifname[ROLE_SERVER], TOPOLOGY_IFNAME_SIZE, "lo");
	set_address(&t->server_addr, family, family == AF_INET6 ? "::1" : "127.0.0.1");
	if (cf->mtu != 0) {
		if (set_mtu(home, "lo", cf->mtu, errbuf, errbuf_size) < 0)
			return TOPOLOGY_FAILED;
		applied_add(t, "lo mtu %u", cf->mtu);
	}
	if (cf->offloads_off) {
		if (offloads_off(home, home, "lo", errbuf, errbuf_size) < 0)
			return TOPOLOGY_FAILED;
		applied_add(t, "lo: GSO/TSO/GRO off");
	}
	if (sysctls_apply(cf, home, home, t, "case", errbuf, errbuf_size) < 0)
		return TOPOLOGY_FAILED;
	return TOPOLOGY_OK;
}

enum topology_result
topology_build_tap(const struct case_file *cf, int family, const char *tap_name,
    struct topology *t, char *errbuf, size_t errbuf_size)
{
	int home;

	memset(t, 0, sizeof(*t));
	t->kind = cf->topology;
	t->family = family;
	t->ns_fd[ROLE_CLIENT] = t->ns_fd[ROLE_SERVER] = t->router_fd = -1;
	t->addr_len = sizeof(struct sockaddr_in);
	if (family != AF_INET || cf->topology != TOPOLOGY_LOOPBACK) {
		snprintf(errbuf, errbuf_size, "a userspace stack runs on one IPv4 TAP link");
		return TOPOLOGY_UNSUPPORTED;
	}
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		snprintf(errbuf, errbuf_size, "/proc/self/ns/net: %s", strerror(errno));
		return TOPOLOGY_FAILED;
	}
	t->ns_fd[ROLE_CLIENT] = home;
	t->ns_fd[ROLE_SERVER] = dup(home);
	if (t->ns_fd[ROLE_SERVER] < 0) {
		snprintf(errbuf, errbuf_size, "dup: %s", strerror(errno));
		return TOPOLOGY_FAILED;
	}
	snprintf(t->ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, "%s", tap_name);
	snprintf(t->ifname[ROLE_SERVER], TOPOLOGY_IFNAME_SIZE, "%s", tap_name);
	if (RUN(home, errbuf, errbuf_size, "ip", "tuntap", "add", "dev", tap_name, "mode",
	    "tap") < 0)
		return access("/dev/net/tun", R_OK | W_OK) < 0 ? TOPOLOGY_UNSUPPORTED :
		    TOPOLOGY_FAILED;
	if (RUN(home, errbuf, errbuf_size, "ip", "addr", "add", TOPOLOGY_TAP_HOST "/24", "dev",
	    tap_name) < 0 ||
	    RUN(home, errbuf, errbuf_size, "ip", "link", "set", tap_name, "mtu",
	    TOPOLOGY_TAP_MTU, "up") < 0)
		return TOPOLOGY_FAILED;
	set_address(&t->server_addr, AF_INET, TOPOLOGY_TAP_STACK);
	t->stack_on_tap = true;
	applied_add(t, "tap %s (client: the kernel, %s) -- the server's stack (%s), mtu %s",
	    tap_name, TOPOLOGY_TAP_HOST, TOPOLOGY_TAP_STACK, TOPOLOGY_TAP_MTU);
	return TOPOLOGY_OK;
}

int
topology_enter(const struct topology *t, enum role_id end, char *errbuf, size_t errbuf_size)
{
	/* One namespace holds both ends: nothing to enter (and with --no-netns
	 * an ordinary user may not setns, even into its own namespace). */
	if (topology_shared(t))
		return 0;
	return enter_ns(t->ns_fd[case_role_end(end)], errbuf, errbuf_size);
}

int
topology_bind(const struct topology *t, int type, struct sockaddr_storage *addr)
{
	socklen_t len = t->addr_len;
	int fd;

	*addr = t->server_addr;
	if (t->stack_on_tap)
		set_address(addr, AF_INET, TOPOLOGY_TAP_HOST);
	fd = socket(addr->ss_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)addr, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)addr, &len) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (t->stack_on_tap)
		((struct sockaddr_in *)addr)->sin_addr =
		    ((const struct sockaddr_in *)&t->server_addr)->sin_addr;
	return fd;
}

uint16_t
topology_port(const struct sockaddr_storage *addr)
{
	return ntohs(addr->ss_family == AF_INET6 ?
	    ((const struct sockaddr_in6 *)addr)->sin6_port :
	    ((const struct sockaddr_in *)addr)->sin_port);
}

bool
topology_shared(const struct topology *t)
{
	return t->kind == TOPOLOGY_LOOPBACK;
}

void
topology_free(struct topology *t)
{
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (t->ns_fd[e] >= 0)
			close(t->ns_fd[e]);
	if (t->router_fd >= 0)
		close(t->router_fd);
	free(t->applied);
	memset(t, 0, sizeof(*t));
	t->ns_fd[ROLE_CLIENT] = t->ns_fd[ROLE_SERVER] = t->router_fd = -1;
}
