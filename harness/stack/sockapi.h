/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sockapi.h - the socket calls a role makes, as one table per TCP/IP stack.
 *
 * The role interpreter drives a connection through a struct sockapi, so
 * the same steps run on the kernel's sockets (sockapi_kernel) or on a
 * userspace stack's (lwIP: stack_lwip_api() in lwip.h).  Descriptors are
 * the stack's own numbers: an lwIP descriptor is not a kernel descriptor.
 *
 * Every call returns as the kernel's would: -1 (or a negative count) with
 * errno set on failure.  Flags, options and queue names are this module's
 * own enumerations, mapped by each stack to its constants, so a stack whose
 * headers number MSG_PEEK differently still works.
 *
 * Not every stack can do every operation: unsupported[op] is NULL when the
 * stack can, else one line saying why not, for the case's UNSUPPORTED
 * result.  Calling an unsupported operation fails with EOPNOTSUPP.
 */
#ifndef sockapi_h
#define sockapi_h

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* What a role may ask of a stack; each step of a case needs some of these. */
enum sockapi_op {
	SOCKAPI_SOCKET,		/* a TCP socket */
	SOCKAPI_BIND,
	SOCKAPI_LISTEN,
	SOCKAPI_ACCEPT,
	SOCKAPI_CONNECT,	/* non-blocking connect, EINPROGRESS, then SO_ERROR */
	SOCKAPI_LOCAL_ADDR,	/* getsockname(): the port the capture is matched to */
	SOCKAPI_SEND,
	SOCKAPI_SEND_DONTWAIT,	/* MSG_DONTWAIT: queue what fits, then EAGAIN */
	SOCKAPI_SEND_MORE,	/* MSG_MORE */
	SOCKAPI_RECV,
	SOCKAPI_RECV_DONTWAIT,	/* MSG_DONTWAIT */
	SOCKAPI_RECV_PEEK,	/* MSG_PEEK */
	SOCKAPI_SHUTDOWN,
	SOCKAPI_CLOSE,
	SOCKAPI_DUP,		/* a second descriptor for the same socket */
	SOCKAPI_SET_RCVBUF,	/* SO_RCVBUF that shapes the advertised window */
	SOCKAPI_SET_SNDBUF,	/* SO_SNDBUF */
	SOCKAPI_SET_NODELAY,	/* TCP_NODELAY */
	SOCKAPI_SET_CORK,	/* TCP_CORK */
	SOCKAPI_SET_LINGER,	/* SO_LINGER */
	SOCKAPI_SET_NONBLOCK,	/* O_NONBLOCK */
	SOCKAPI_SO_ERROR,	/* getsockopt(SO_ERROR), which clears it */
	SOCKAPI_UNREAD,		/* SIOCINQ: received, not yet read */
	SOCKAPI_UNACKED,	/* SIOCOUTQ: written, not yet acknowledged */
	SOCKAPI_UNSENT,		/* SIOCOUTQNSD: written, not yet sent */
	SOCKAPI_POLL,
	SOCKAPI_POLL_RDHUP,	/* poll() reports POLLRDHUP and POLLHUP */
	SOCKAPI_FORK,		/* descriptors stay usable in a forked child */
	SOCKAPI_SIGPIPE,	/* writing to a reset connection raises SIGPIPE */
	SOCKAPI_OP_COUNT	/* not an operation: the number of them, for tables */
};

/* Flags of send() and recv(). */
enum sockapi_flag {
	SOCKAPI_MSG_DONTWAIT = 1 << 0,
	SOCKAPI_MSG_PEEK = 1 << 1,	/* recv only */
	SOCKAPI_MSG_MORE = 1 << 2,	/* send only */
	SOCKAPI_MSG_NOSIGNAL = 1 << 3	/* send only; a stack without signals ignores it */
};

/* The socket options a "set" step sets (O_NONBLOCK has its own call). */
enum sockapi_option {
	SOCKAPI_OPT_RCVBUF,	/* value: bytes */
	SOCKAPI_OPT_SNDBUF,	/* value: bytes */
	SOCKAPI_OPT_NODELAY,	/* on */
	SOCKAPI_OPT_CORK,	/* on */
	SOCKAPI_OPT_LINGER	/* on, value: seconds */
};

/* The three queues a snapshot or an await step reads. */
enum sockapi_queue {
	SOCKAPI_QUEUE_UNREAD,
	SOCKAPI_QUEUE_UNACKED,
	SOCKAPI_QUEUE_UNSENT
};

struct sockapi {
	const char *name;	/* as the platform line and "expect NAME:" say it: "linux", "lwip" */
	/* The stack's version ("6.1.0-18-amd64", "2.1.3") into buf; 0, or -1. */
	int (*version)(char *buf, size_t size);
	const char *unsupported[SOCKAPI_OP_COUNT];	/* NULL: supported; else why not */
	/*
	 * The stack runs in the calling process and ends with it, sending
	 * nothing more (the kernel's connections outlive their process).
	 * connections_open, for such a stack: true while a connection of it
	 * is not yet closed (TIME_WAIT aside).
	 */
	bool in_process;
	bool (*connections_open)(void);
	/* The most a connection of the stack holds received and unread (its
	 * fixed receive window); 0: no fixed bound (the kernel's grows). */
	unsigned long max_unread;

	int (*socket)(int family);	/* TCP, close-on-exec where that exists */
	int (*bind)(int fd, const struct sockaddr *addr, socklen_t len);
	int (*listen)(int fd, int backlog);
	int (*accept)(int fd);
	int (*connect)(int fd, const struct sockaddr *addr, socklen_t len);
	int (*local_addr)(int fd, struct sockaddr_storage *addr, socklen_t *len);
	ssize_t (*send)(int fd, const void *buf, size_t len, unsigned flags);
	ssize_t (*recv)(int fd, void *buf, size_t len, unsigned flags);
	int (*shutdown)(int fd, int how);	/* SHUT_RD, SHUT_WR, SHUT_RDWR */
	int (*close)(int fd);
	int (*dup)(int fd);
	/* on: NODELAY, CORK, LINGER; value: RCVBUF, SNDBUF (bytes), LINGER (s). */
	int (*set_option)(int fd, enum sockapi_option option, bool on, int value);
	int (*set_nonblock)(int fd, bool on);
	int (*so_error)(int fd, int *error);
	int (*queue)(int fd, enum sockapi_queue queue, int *bytes);
	/* One descriptor: >0 ready (revents set), 0 timed out, -1 failed. */
	int (*poll)(int fd, short events, short *revents, int timeout_ms);
};

/*
 * A stack other than the kernel's for one end of a case: its table, and
 * how to bring it up in the role's process (after the fork, in the end's
 * network namespace) on the existing TAP device tap as addr/netmask with
 * gateway gw; 0, or -1 with err.  hold_link keeps the TAP link up once the
 * process has ended (a TAP device without a reader drops what is sent to
 * it, the capture's sentinel too), until life_fd reads end of file.
 */
struct sockapi_stack {
	const struct sockapi *api;
	int (*start)(const char *tap, const char *addr, const char *netmask, const char *gw,
	    char *err, size_t errlen);
	int (*hold_link)(int life_fd, char *err, size_t errlen);
};

/* "lwip 2.1.3": the stack's name and version, as the platform says it. */
int sockapi_describe(const struct sockapi *api, char *buf, size_t size);

/* The kernel's own sockets: thin wrappers of the system calls. */
extern const struct sockapi sockapi_kernel;

/* True when api can do op. */
bool sockapi_supports(const struct sockapi *api, enum sockapi_op op);

/* Why api cannot do op ("lwIP has no TCP_CORK"), or NULL when it can. */
const char *sockapi_why_unsupported(const struct sockapi *api, enum sockapi_op op);

/* "recv-peek": the operation's name, for messages; "?" if out of range. */
const char *sockapi_op_name(enum sockapi_op op);

/* The operation a set step's option needs. */
enum sockapi_op sockapi_option_op(enum sockapi_option option);

/* The operation reading queue needs. */
enum sockapi_op sockapi_queue_op(enum sockapi_queue queue);

#endif /* sockapi_h */
