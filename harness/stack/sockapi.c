/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sockapi.c - the socket-API table, and the kernel's sockets in it.
 *
 * The kernel's table is thin: each entry is the system call the role
 * interpreter made before there were tables, with the same flags
 * (SOCK_CLOEXEC, accept4, F_DUPFD_CLOEXEC), so running on it changes
 * nothing on the wire.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/utsname.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sockapi.h"

static const char *const op_names[SOCKAPI_OP_COUNT] = {
	[SOCKAPI_SOCKET] = "socket",
	[SOCKAPI_BIND] = "bind",
	[SOCKAPI_LISTEN] = "listen",
	[SOCKAPI_ACCEPT] = "accept",
	[SOCKAPI_CONNECT] = "connect",
	[SOCKAPI_LOCAL_ADDR] = "getsockname",
	[SOCKAPI_SEND] = "send",
	[SOCKAPI_SEND_DONTWAIT] = "send-dontwait",
	[SOCKAPI_SEND_MORE] = "send-more",
	[SOCKAPI_RECV] = "recv",
	[SOCKAPI_RECV_DONTWAIT] = "recv-dontwait",
	[SOCKAPI_RECV_PEEK] = "recv-peek",
	[SOCKAPI_SHUTDOWN] = "shutdown",
	[SOCKAPI_CLOSE] = "close",
	[SOCKAPI_DUP] = "dup",
	[SOCKAPI_SET_RCVBUF] = "set-rcvbuf",
	[SOCKAPI_SET_SNDBUF] = "set-sndbuf",
	[SOCKAPI_SET_NODELAY] = "set-nodelay",
	[SOCKAPI_SET_CORK] = "set-cork",
	[SOCKAPI_SET_LINGER] = "set-linger",
	[SOCKAPI_SET_NONBLOCK] = "set-nonblock",
	[SOCKAPI_SO_ERROR] = "so-error",
	[SOCKAPI_UNREAD] = "unread",
	[SOCKAPI_UNACKED] = "unacked",
	[SOCKAPI_UNSENT] = "unsent",
	[SOCKAPI_POLL] = "poll",
	[SOCKAPI_POLL_RDHUP] = "poll-rdhup",
	[SOCKAPI_FORK] = "fork",
	[SOCKAPI_SIGPIPE] = "sigpipe",
};

const char *
sockapi_op_name(enum sockapi_op op)
{
	if ((unsigned)op >= SOCKAPI_OP_COUNT || op_names[op] == NULL)
		return "?";
	return op_names[op];
}

const char *
sockapi_why_unsupported(const struct sockapi *api, enum sockapi_op op)
{
	if ((unsigned)op >= SOCKAPI_OP_COUNT)
		return "no such operation";
	return api->unsupported[op];
}

int
sockapi_describe(const struct sockapi *api, char *buf, size_t size)
{
	char version[64];
	int n;

	if (api->version(version, sizeof(version)) < 0)
		snprintf(version, sizeof(version), "?");
	n = snprintf(buf, size, "%s %s", api->name, version);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

bool
sockapi_supports(const struct sockapi *api, enum sockapi_op op)
{
	return sockapi_why_unsupported(api, op) == NULL;
}

enum sockapi_op
sockapi_option_op(enum sockapi_option option)
{
	switch (option) {
	case SOCKAPI_OPT_RCVBUF:
		return SOCKAPI_SET_RCVBUF;
	case SOCKAPI_OPT_SNDBUF:
		return SOCKAPI_SET_SNDBUF;
	case SOCKAPI_OPT_NODELAY:
		return SOCKAPI_SET_NODELAY;
	case SOCKAPI_OPT_CORK:
		return SOCKAPI_SET_CORK;
	case SOCKAPI_OPT_LINGER:
		break;
	}
	return SOCKAPI_SET_LINGER;
}

enum sockapi_op
sockapi_queue_op(enum sockapi_queue queue)
{
	switch (queue) {
	case SOCKAPI_QUEUE_UNREAD:
		return SOCKAPI_UNREAD;
	case SOCKAPI_QUEUE_UNACKED:
		return SOCKAPI_UNACKED;
	case SOCKAPI_QUEUE_UNSENT:
		break;
	}
	return SOCKAPI_UNSENT;
}

static int
kernel_version(char *buf, size_t size)
{
	struct utsname u;
	int n;

	if (uname(&u) < 0)
		return -1;
	n = snprintf(buf, size, "%s", u.release);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
kernel_socket(int family)
{
	return socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

/* Wrapped: glibc declares bind() and connect() with a transparent union. */
static int
kernel_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return bind(fd, addr, len);
}

static int
kernel_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return connect(fd, addr, len);
}

static int
kernel_accept(int fd)
{
	return accept4(fd, NULL, NULL, SOCK_CLOEXEC);
}

static int
kernel_local_addr(int fd, struct sockaddr_storage *addr, socklen_t *len)
{
	*len = sizeof(*addr);
	return getsockname(fd, (struct sockaddr *)addr, len);
}

static int
kernel_msg_flags(unsigned flags)
{
	return ((flags & SOCKAPI_MSG_DONTWAIT) ? MSG_DONTWAIT : 0) |
	    ((flags & SOCKAPI_MSG_PEEK) ? MSG_PEEK : 0) |
	    ((flags & SOCKAPI_MSG_MORE) ? MSG_MORE : 0) |
	    ((flags & SOCKAPI_MSG_NOSIGNAL) ? MSG_NOSIGNAL : 0);
}

static ssize_t
kernel_send(int fd, const void *buf, size_t len, unsigned flags)
{
	return send(fd, buf, len, kernel_msg_flags(flags));
}

static ssize_t
kernel_recv(int fd, void *buf, size_t len, unsigned flags)
{
	return recv(fd, buf, len, kernel_msg_flags(flags));
}

static int
kernel_dup(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

static int
kernel_set_option(int fd, enum sockapi_option option, bool on, int value)
{
	int flag = on ? 1 : 0;
	struct linger linger;

	switch (option) {
	case SOCKAPI_OPT_RCVBUF:
		return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, sizeof(value));
	case SOCKAPI_OPT_SNDBUF:
		return setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, sizeof(value));
	case SOCKAPI_OPT_NODELAY:
		return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &flag, sizeof(flag));
	case SOCKAPI_OPT_CORK:
		return setsockopt(fd, IPPROTO_TCP, TCP_CORK, &flag, sizeof(flag));
	case SOCKAPI_OPT_LINGER:
		linger.l_onoff = flag;
		linger.l_linger = value;
		return setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
	}
	errno = ENOPROTOOPT;
	return -1;
}

static int
kernel_set_nonblock(int fd, bool on)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, flags);
}

static int
kernel_so_error(int fd, int *error)
{
	socklen_t len = sizeof(*error);

	*error = 0;
	return getsockopt(fd, SOL_SOCKET, SO_ERROR, error, &len);
}

static int
kernel_queue(int fd, enum sockapi_queue queue, int *bytes)
{
	unsigned long request = queue == SOCKAPI_QUEUE_UNREAD ? SIOCINQ :
	    queue == SOCKAPI_QUEUE_UNACKED ? SIOCOUTQ : SIOCOUTQNSD;

	*bytes = 0;
	return ioctl(fd, request, bytes);
}

static int
kernel_poll(int fd, short events, short *revents, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events, .revents = 0 };
	int n = poll(&pfd, 1, timeout_ms);

	*revents = n > 0 ? pfd.revents : 0;
	return n;
}

const struct sockapi sockapi_kernel = {
	.name = "linux",
	.version = kernel_version,
	.unsupported = { NULL },	/* the harness was written for it */
	.in_process = false,		/* connections outlive their process */
	.socket = kernel_socket,
	.bind = kernel_bind,
	.listen = listen,
	.accept = kernel_accept,
	.connect = kernel_connect,
	.local_addr = kernel_local_addr,
	.send = kernel_send,
	.recv = kernel_recv,
	.shutdown = shutdown,
	.close = close,
	.dup = kernel_dup,
	.set_option = kernel_set_option,
	.set_nonblock = kernel_set_nonblock,
	.so_error = kernel_so_error,
	.queue = kernel_queue,
	.poll = kernel_poll,
};
