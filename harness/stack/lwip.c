/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwip.c - lwIP's sockets as a struct sockapi, and lwIP on a TAP device.
 *
 * Written against Debian's liblwip-dev 2.1.3 (the Unix port, with the
 * GNU Hurd's lwipopts.h: LWIP_SO_LINGER, LWIP_SO_RCVBUF, core locking, the
 * system's own socket headers, so MSG_PEEK, SO_LINGER, FIONREAD and
 * O_NONBLOCK have the kernel's values; configure checks each of these).
 *
 * lwIP's socket layer has no SIOCOUTQ or SIOCOUTQNSD: both are read from
 * the connection's control block (written up to the end of its last
 * queued segment, sent up to snd_nxt, acknowledged up to lastack) under
 * lwIP's core lock, as lwIP's own threads would read them.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lwip/opt.h"
#include "lwip/api.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sockets.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

#include "lwip.h"

#define START_TIMEOUT_S 5	/* lwIP's thread starts in far less */

static struct {
	bool started;
	bool up;
	sem_t ready;		/* posted by the tcpip thread once it runs */
	struct netif netif;
} stack;

static int fail(char *err, size_t errlen, int error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fill err (and, when error is not 0, ": strerror(error)"); -1. */
static int
fail(char *err, size_t errlen, int error, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (error != 0 && n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - (size_t)n, ": %s", strerror(error));
	return -1;
}

/*
 * lwIP's TAP driver prints and exits when it cannot attach to the device:
 * attach once here first, so that its attempt cannot fail that way.
 */
static int
tap_check(const char *tap_name, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd;

	if (strlen(tap_name) >= sizeof(ifr.ifr_name))
		return fail(err, errlen, 0, "TAP device name '%s' is too long", tap_name);
	/* TUNSETIFF would create a missing device: it must exist already. */
	if (if_nametoindex(tap_name) == 0)
		return fail(err, errlen, errno, "no TAP device '%s' here", tap_name);
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, errno, "/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, tap_name, strlen(tap_name));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int saved = errno;

		close(fd);
		return fail(err, errlen, saved, "cannot attach to TAP device '%s'", tap_name);
	}
	if (close(fd) < 0)
		return fail(err, errlen, errno, "closing /dev/net/tun after '%s'", tap_name);
	return 0;
}

static int
parse_ip4(const char *text, ip4_addr_t *out, const char *what, char *err, size_t errlen)
{
	struct in_addr in;

	if (text == NULL || inet_pton(AF_INET, text, &in) != 1) {
		snprintf(err, errlen, "%s: not an IPv4 address: '%s'", what,
		    text != NULL ? text : "(none)");
		return -1;
	}
	ip4_addr_set_u32(out, in.s_addr);
	return 0;
}

static void
tcpip_ready(void *arg)
{
	sem_post((sem_t *)arg);
}

static int
wait_ready(char *err, size_t errlen)
{
	struct timespec until;

	if (clock_gettime(CLOCK_REALTIME, &until) < 0)
		return fail(err, errlen, errno, "clock_gettime");
	until.tv_sec += START_TIMEOUT_S;
	while (sem_timedwait(&stack.ready, &until) < 0) {
		if (errno == ETIMEDOUT)
			return fail(err, errlen, 0, "lwIP's tcpip thread did not start");
		if (errno != EINTR)
			return fail(err, errlen, errno, "sem_timedwait");
	}
	return 0;
}

int
stack_lwip_start(const char *tap_name, const char *addr, const char *netmask,
    const char *gw, char *err, size_t errlen)
{
	ip4_addr_t ip, mask, gateway;
	struct netif *added;

	if (stack.started)
		return fail(err, errlen, 0, "lwIP runs once per process");
	if (parse_ip4(addr, &ip, "address", err, errlen) < 0 ||
	    parse_ip4(netmask, &mask, "netmask", err, errlen) < 0 ||
	    parse_ip4(gw, &gateway, "gateway", err, errlen) < 0)
		return -1;
	if (tap_check(tap_name, err, errlen) < 0)
		return -1;
	/* Without it lwIP's driver runs /sbin/ifconfig on tap0 itself. */
	if (setenv("PRECONFIGURED_TAPIF", tap_name, 1) < 0)
		return fail(err, errlen, errno, "setenv PRECONFIGURED_TAPIF");
	if (sem_init(&stack.ready, 0, 0) < 0)
		return fail(err, errlen, errno, "sem_init");
	stack.started = true;
	tcpip_init(tcpip_ready, &stack.ready);
	if (wait_ready(err, errlen) < 0)
		return -1;
	LOCK_TCPIP_CORE();
	added = netif_add(&stack.netif, &ip, &mask, &gateway, NULL, tapif_init, tcpip_input);
	if (added != NULL) {
		netif_set_default(&stack.netif);
		netif_set_link_up(&stack.netif);
		netif_set_up(&stack.netif);
	}
	UNLOCK_TCPIP_CORE();
	if (added == NULL)
		return fail(err, errlen, 0, "lwIP could not add an interface on '%s'", tap_name);
	stack.up = true;
	return 0;
}

void
stack_lwip_stop(void)
{
	if (!stack.up)
		return;
	LOCK_TCPIP_CORE();
	netif_set_down(&stack.netif);
	netif_set_link_down(&stack.netif);
	UNLOCK_TCPIP_CORE();
	stack.up = false;
}

static int
lwip_version(char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s", LWIP_VERSION_STRING);

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
unsupported(void)
{
	errno = EOPNOTSUPP;
	return -1;
}

static int
stack_socket(int family)
{
	return lwip_socket(family, SOCK_STREAM, 0);
}

static int
stack_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return lwip_bind(fd, addr, len);
}

static int
stack_listen(int fd, int backlog)
{
	return lwip_listen(fd, backlog);
}

static int
stack_accept(int fd)
{
	return lwip_accept(fd, NULL, NULL);
}

static int
stack_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return lwip_connect(fd, addr, len);
}

static int
stack_local_addr(int fd, struct sockaddr_storage *addr, socklen_t *len)
{
	*len = sizeof(*addr);
	return lwip_getsockname(fd, (struct sockaddr *)addr, len);
}

/* lwIP raises no signals: SOCKAPI_MSG_NOSIGNAL needs no flag of its own. */
static int
stack_msg_flags(unsigned flags)
{
	return ((flags & SOCKAPI_MSG_DONTWAIT) ? MSG_DONTWAIT : 0) |
	    ((flags & SOCKAPI_MSG_PEEK) ? MSG_PEEK : 0) |
	    ((flags & SOCKAPI_MSG_MORE) ? MSG_MORE : 0);
}

static ssize_t
stack_send(int fd, const void *buf, size_t len, unsigned flags)
{
	return lwip_send(fd, buf, len, stack_msg_flags(flags));
}

static ssize_t
stack_recv(int fd, void *buf, size_t len, unsigned flags)
{
	return lwip_recv(fd, buf, len, stack_msg_flags(flags));
}

static int
stack_shutdown(int fd, int how)
{
	return lwip_shutdown(fd, how);
}

static int
stack_close(int fd)
{
	return lwip_close(fd);
}

static int
stack_dup(int fd)
{
	(void)fd;
	return unsupported();
}

/* lwIP answers ENOPROTOOPT itself for what it lacks (SO_SNDBUF, TCP_CORK). */
static int
stack_set_option(int fd, enum sockapi_option option, bool on, int value)
{
	int flag = on ? 1 : 0;
	struct linger linger;

	switch (option) {
	case SOCKAPI_OPT_RCVBUF:
		return lwip_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, sizeof(value));
	case SOCKAPI_OPT_SNDBUF:
		return lwip_setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, sizeof(value));
	case SOCKAPI_OPT_NODELAY:
		return lwip_setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &flag, sizeof(flag));
	case SOCKAPI_OPT_CORK:
		return lwip_setsockopt(fd, IPPROTO_TCP, TCP_CORK, &flag, sizeof(flag));
	case SOCKAPI_OPT_LINGER:
		linger.l_onoff = flag;
		linger.l_linger = value;
		return lwip_setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
	}
	errno = ENOPROTOOPT;
	return -1;
}

/* lwIP's F_SETFL takes O_NONBLOCK alone: no read-modify-write. */
static int
stack_set_nonblock(int fd, bool on)
{
	return lwip_fcntl(fd, F_SETFL, on ? O_NONBLOCK : 0) < 0 ? -1 : 0;
}

static int
stack_so_error(int fd, int *error)
{
	socklen_t len = sizeof(*error);

	*error = 0;
	return lwip_getsockopt(fd, SOL_SOCKET, SO_ERROR, error, &len);
}

/*
 * The sequence number after the last byte (or FIN) written.  Not snd_lbb:
 * lwIP counts a FIN there only when it gets a segment of its own, not
 * when it rides on the last unsent one.  The queues' segments always say.
 */
static u32_t
written_end(const struct tcp_pcb *pcb)
{
	const struct tcp_seg *last = pcb->unsent != NULL ? pcb->unsent : pcb->unacked;

	if (last == NULL)
		return pcb->snd_nxt;	/* everything sent is acknowledged */
	while (last->next != NULL)
		last = last->next;
	return lwip_ntohl(last->tcphdr->seqno) + TCP_TCPLEN(last);
}

/* Written-but-unacknowledged or written-but-unsent bytes, from the pcb. */
static int
send_queue(int fd, enum sockapi_queue queue, int *bytes)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(fd);
	int rc = 0;

	if (sock == NULL || sock->conn == NULL) {
		errno = EBADF;
		return -1;
	}
	if (NETCONNTYPE_GROUP(netconn_type(sock->conn)) != NETCONN_TCP) {
		errno = EOPNOTSUPP;
		return -1;
	}
	LOCK_TCPIP_CORE();
	{
		const struct tcp_pcb *pcb = sock->conn->pcb.tcp;

		if (pcb == NULL)
			*bytes = 0;	/* reset or closed: lwIP freed the queues with it */
		else if (pcb->state == LISTEN) {
			errno = EINVAL;	/* as the kernel answers for a listener */
			rc = -1;
		} else {
			u32_t end = written_end(pcb);

			*bytes = (int)(queue == SOCKAPI_QUEUE_UNACKED ?
			    end - pcb->lastack : end - pcb->snd_nxt);
		}
	}
	UNLOCK_TCPIP_CORE();
	return rc;
}

static int
stack_queue(int fd, enum sockapi_queue queue, int *bytes)
{
	*bytes = 0;
	if (queue == SOCKAPI_QUEUE_UNREAD)
		return lwip_ioctl(fd, FIONREAD, bytes);
	return send_queue(fd, queue, bytes);
}

/* lwIP's poll knows POLLIN, POLLOUT and POLLERR only. */
static int
stack_poll(int fd, short events, short *revents, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = (short)(events & (POLLIN | POLLOUT)),
		.revents = 0 };
	int n = lwip_poll(&pfd, 1, timeout_ms);

	*revents = n > 0 ? pfd.revents : 0;
	return n;
}

/* A connection not yet closed: lwIP's active list (TIME_WAIT has its own). */
static bool
stack_connections_open(void)
{
	bool open;

	if (!stack.up)
		return false;
	LOCK_TCPIP_CORE();
	open = tcp_active_pcbs != NULL;
	UNLOCK_TCPIP_CORE();
	return open;
}

/* lwIP's descriptor of /dev/net/tun (its TAP driver's), or -1. */
static int
tun_descriptor(void)
{
	char link[64], target[64];
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	for (fd = 0; fd < (max > 0 && max < 4096 ? max : 4096); fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "/dev/net/tun") == 0)
			return fd;
	}
	return -1;
}

/*
 * The TAP device's carrier goes with its last reader, and with it what
 * is sent to the device, unseen by a capture.  A child of no use but to
 * hold lwIP's descriptor of the device (it closes every other one) keeps
 * the link up after this process, until life_fd reads end of file.
 */
int
stack_lwip_hold_link(int life_fd, char *err, size_t errlen)
{
	int tun = tun_descriptor(), lo, hi;
	pid_t pid;
	char byte;

	if (tun < 0)
		return fail(err, errlen, 0, "lwIP holds no TAP descriptor");
	stack_lwip_stop();
	lo = tun < life_fd ? tun : life_fd;
	hi = tun < life_fd ? life_fd : tun;
	pid = fork();
	if (pid < 0)
		return fail(err, errlen, errno, "fork");
	if (pid > 0)
		return 0;
	/* Only async-signal-safe calls here: the parent has threads. */
	if ((lo > 0 && close_range(0, (unsigned)lo - 1, 0) < 0) ||
	    (hi > lo + 1 && close_range((unsigned)lo + 1, (unsigned)hi - 1, 0) < 0) ||
	    close_range((unsigned)hi + 1, ~0U, 0) < 0)
		_exit(1);
	/* Nothing is ever written: EOF, or an error, ends the wait. */
	while (read(life_fd, &byte, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

const struct sockapi stack_lwip_sockapi = {
	.name = "lwip",
	.version = lwip_version,
	.in_process = true,
	.connections_open = stack_connections_open,
	.max_unread = TCP_WND,		/* SO_RCVBUF leaves it as it is */
	.unsupported = {
		[SOCKAPI_DUP] = "lwIP's sockets have no dup()",
		[SOCKAPI_SEND_MORE] = "lwIP takes MSG_MORE as 'no PSH' only: it holds nothing back",
		/* recv_bufsize bounds UDP and raw queues, never a TCP window. */
		[SOCKAPI_SET_RCVBUF] = "lwIP takes SO_RCVBUF, but its TCP window stays TCP_WND",
		[SOCKAPI_SET_SNDBUF] = "lwIP has no SO_SNDBUF (its send buffer is TCP_SND_BUF)",
		[SOCKAPI_SET_CORK] = "lwIP has no TCP_CORK",
		[SOCKAPI_POLL_RDHUP] = "lwIP's poll() reports POLLIN, POLLOUT and POLLERR only",
		[SOCKAPI_FORK] = "lwIP runs in one process's threads: a forked child has no stack",
		[SOCKAPI_SIGPIPE] = "lwIP raises no SIGPIPE",
	},
	.socket = stack_socket,
	.bind = stack_bind,
	.listen = stack_listen,
	.accept = stack_accept,
	.connect = stack_connect,
	.local_addr = stack_local_addr,
	.send = stack_send,
	.recv = stack_recv,
	.shutdown = stack_shutdown,
	.close = stack_close,
	.dup = stack_dup,
	.set_option = stack_set_option,
	.set_nonblock = stack_set_nonblock,
	.so_error = stack_so_error,
	.queue = stack_queue,
	.poll = stack_poll,
};
