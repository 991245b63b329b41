/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * role.c - the steps of one role, on a real socket of the stack it runs on.
 *
 * Every socket call goes through the role's struct sockapi (the kernel's,
 * or a userspace stack's such as lwIP's): the steps say what an
 * application does, the table says how this stack is asked to do it.
 * Every call that could block is bounded by the step's deadline: the
 * harness polls, then calls with MSG_DONTWAIT, so a blocking send() or
 * recv() is reproduced (the kernel queues the same bytes) without ever
 * blocking past the deadline.  close() and shutdown() are called as an
 * application would call them, and timed: with SO_LINGER close() may block,
 * but only for the linger time the case set.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledger.h"
#include "monotime.h"
#include "pattern.h"
#include "role.h"

#define IO_CHUNK CASE_SEND_CHUNK_DEFAULT	/* bytes per read, and per send by default */
#define IO_BUFFER CASE_SEND_CHUNK_MAX	/* the largest "chunk" a send may ask for */
#define AWAIT_POLL_NS 200000	/* how often a socket condition is re-read */
#define STACK_SETTLE_POLL_NS 10000000	/* how often an in-process stack is asked */
/*
 * A role outlives the case deadline by this much, so that the coordinator,
 * which sees both roles, is the one to report a case deadline.
 */
#define DEADLINE_GRACE_NS 200000000LL

struct role_exec {
	const struct role_context *ctx;
	const struct sockapi *api;	/* the stack every socket call goes to */
	enum role_id role;
	struct ledger ledger;	/* this role's; recorded through ctx->io */
	int fds[CASE_DESCRIPTORS_MAX];	/* descriptors of the one socket, dups on top */
	size_t nfds;
	int fd;			/* the top descriptor, or -1 */
	int listen_fd;
	int unclosed;		/* a descriptor whose close() failed (in-process stacks), or -1 */
	bool user_nonblock;	/* the case set O_NONBLOCK */
	bool sigpipe_default;	/* the case let SIGPIPE kill this role */
	bool closed;
	uint8_t *buf;
	const struct case_step *step;	/* the step being run, */
	size_t index;			/* its index in the role's steps */
	int64_t deadline_ns;
	bool own_deadline;		/* deadline_ns is the step's "within" */
	struct step_record spare;	/* for a step past the ledger's records */
};

/* Tell the coordinator where the role is: before anything that may block
 * or kill the process, the recorded ledger is the role's own. */
static void
publish_ledger(struct role_exec *rs)
{
	const struct role_io *io = rs->ctx->io;

	io->record(io->ctx, rs->role, &rs->ledger);
}

/* The offset of this end's stream, then moved on by n bytes. */
static uint64_t
advance_stream(struct role_exec *rs, enum role_stream stream, uint64_t n)
{
	const struct role_io *io = rs->ctx->io;

	return io->stream_advance(io->ctx, case_role_end(rs->role), stream, n);
}

static void
fd_push(struct role_exec *rs, int fd)
{
	rs->fds[rs->nfds++] = fd;
	rs->fd = fd;
}

static int
fd_pop(struct role_exec *rs)
{
	int fd = rs->fds[--rs->nfds];

	rs->fd = rs->nfds > 0 ? rs->fds[rs->nfds - 1] : -1;
	return fd;
}

/* What the step being run did and saw, kept in the ledger step by step. */
static struct step_record *
record_now(struct role_exec *rs)
{
	/* The parser allows no more steps than records; never write past them. */
	if (rs->index >= LEDGER_STEPS)
		return &rs->spare;
	return &rs->ledger.records[rs->index];
}

/*
 * Raise role's event name now, if the case's plan has it: the early
 * event of a step that raises one as it goes (lingering-close's
 * "shutdown"), for a role that waits for it.
 */
static void
raise_early(struct role_exec *rs, const char *name)
{
	const struct event_plan *plan = rs->ctx->events;
	const struct role_io *io = rs->ctx->io;
	size_t id;

	if (name == NULL)
		return;
	for (id = 0; id < plan->count; id++)
		if (plan->roles[id] == rs->role && strcmp(plan->names[id], name) == 0) {
			io->raise(io->ctx, id);
			return;
		}
}

static int role_fail(struct role_exec *rs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
role_fail(struct role_exec *rs, const char *fmt, ...)
{
	struct ledger *ledger = &rs->ledger;
	int used = 0;
	va_list ap;

	if (rs->step != NULL)
		used = snprintf(ledger->error, sizeof(ledger->error), "%s:%u: '%s': ",
		    rs->ctx->cf->path, rs->step->line, rs->step->text);
	if (used < 0 || (size_t)used >= sizeof(ledger->error))
		used = 0;
	va_start(ap, fmt);
	vsnprintf(ledger->error + used, sizeof(ledger->error) - (size_t)used, fmt, ap);
	va_end(ap);
	ledger->state = ROLE_STATE_FAILED;
	publish_ledger(rs);
	return -1;
}

/*
 * A call to the stack failed (errno says how): the role fails, and when
 * the stack answered EOPNOTSUPP the case is UNSUPPORTED on it rather
 * than failed.  what names the call, or NULL to give the errno alone.
 */
static int
api_fail(struct role_exec *rs, const char *what)
{
	int error = errno;

	if (error == EOPNOTSUPP) {
		rs->ledger.unsupported = true;
		return role_fail(rs, "%s%s%s does not support this", what != NULL ? what : "",
		    what != NULL ? ": " : "", rs->api->name);
	}
	if (what == NULL)
		return role_fail(rs, "%s", strerror(error));
	return role_fail(rs, "%s: %s", what, strerror(error));
}

/* Milliseconds left before the step's deadline, for poll(2); 0 if none. */
static int
ms_left(const struct role_exec *rs)
{
	int64_t left = rs->deadline_ns - monotime_ns();

	if (left <= 0)
		return 0;
	if (left / 1000000 > 60000)
		return 60000;
	return (int)((left + 999999) / 1000000);
}

/*
 * Wait until fd is ready for events.  0 ready (or in error: the call
 * that follows reports it), -1 past the deadline or on failure.  A read
 * step whose own "within" the case takes as an end (timeout_ends_read)
 * gets 1 when that time runs out.
 */
static int
wait_ready(struct role_exec *rs, int fd, short events, const char *what)
{
	for (;;) {
		int timeout = ms_left(rs);
		short revents;
		int n;

		if (timeout == 0 && rs->own_deadline && rs->step->timeout_ends_read)
			return 1;
		if (timeout == 0)
			return role_fail(rs, "deadline passed while %s", what);
		n = rs->api->poll(fd, events, &revents, timeout);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return api_fail(rs, "poll");
	}
}

/* The three queues, best effort: a stack that cannot read one leaves the
 * snapshot invalid, and expectations on it say so. */
static void
queue_snapshot_take(const struct role_exec *rs, struct queue_snapshot *snap)
{
	const struct sockapi *api = rs->api;
	int fd = rs->fd, unread, unacked, unsent;

	memset(snap, 0, sizeof(*snap));
	if (fd < 0 || api->queue(fd, SOCKAPI_QUEUE_UNREAD, &unread) < 0 ||
	    api->queue(fd, SOCKAPI_QUEUE_UNACKED, &unacked) < 0 ||
	    api->queue(fd, SOCKAPI_QUEUE_UNSENT, &unsent) < 0)
		return;
	snap->valid = true;
	snap->unread = (uint64_t)unread;
	snap->unacked = (uint64_t)unacked;
	snap->unsent = (uint64_t)unsent;
}

static int
ensure_client_socket(struct role_exec *rs)
{
	int fd;

	if (rs->fd >= 0)
		return 0;
	fd = rs->api->socket(rs->ctx->server_addr->ss_family);
	if (fd < 0)
		return api_fail(rs, "socket");
	fd_push(rs, fd);
	return 0;
}

/* The descriptor a "set" step applies to: the connection, or before it the
 * socket being created (client) or the listener (server). */
static int
option_target(struct role_exec *rs)
{
	if (rs->fd >= 0)
		return rs->fd;
	if (rs->role == ROLE_CLIENT) {
		if (ensure_client_socket(rs) < 0)
			return -1;
		return rs->fd;
	}
	return rs->listen_fd;
}

static int
step_set(struct role_exec *rs)
{
	const struct step_set *set = &rs->step->u.set;
	const struct sockapi *api = rs->api;
	int fd = option_target(rs);
	int rc;

	if (fd < 0)
		return -1;	/* socket() failed; the ledger says why */
	switch (set->option) {
	case OPTION_RCVBUF:
	case OPTION_SNDBUF:
		if (set->value > INT32_MAX)
			return role_fail(rs, "buffer size %llu is too large",
			    (unsigned long long)set->value);
		rc = api->set_option(fd, set->option == OPTION_RCVBUF ? SOCKAPI_OPT_RCVBUF :
		    SOCKAPI_OPT_SNDBUF, true, (int)set->value);
		break;
	case OPTION_NODELAY:
		rc = api->set_option(fd, SOCKAPI_OPT_NODELAY, set->on, 0);
		break;
	case OPTION_CORK:
		rc = api->set_option(fd, SOCKAPI_OPT_CORK, set->on, 0);
		break;
	case OPTION_LINGER:
		rc = api->set_option(fd, SOCKAPI_OPT_LINGER, set->on, (int)set->value);
		break;
	case OPTION_NONBLOCK:
		rs->user_nonblock = set->on;
		rc = api->set_nonblock(fd, set->on);
		break;
	case OPTION_SIGPIPE:
		/* Per process, not per socket: a program that never ignored it. */
		rs->sigpipe_default = set->on;
		rc = signal(SIGPIPE, set->on ? SIG_DFL : SIG_IGN) == SIG_ERR ? -1 : 0;
		break;
	default:
		return role_fail(rs, "unknown option");
	}
	if (rc < 0)
		return api_fail(rs, NULL);
	return 0;
}

/* The connection's local port: the capture is matched to it. */
static int
record_local_port(struct role_exec *rs)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	memset(&local, 0, sizeof(local));
	if (rs->api->local_addr(rs->fd, &local, &len) < 0)
		return api_fail(rs, "getsockname");
	rs->ledger.local_port = ntohs(local.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)&local)->sin6_port :
	    ((struct sockaddr_in *)&local)->sin_port);
	return 0;
}

/*
 * A server that makes its own listener (a userspace stack starting in its
 * role's process) says so on ctx->server_ready: the client connects
 * only then, as it would to a server already listening.
 */
static int
server_ready_wait(struct role_exec *rs)
{
	/* Only a listener made by the server role is waited for. */
	int fd = rs->ctx->listen_fd < 0 ? rs->ctx->server_ready[0] : -1;

	/* The server's end alone may write: EOF when it ended first. */
	if (fd >= 0 && rs->ctx->server_ready[1] >= 0)
		close(rs->ctx->server_ready[1]);

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
		int timeout = ms_left(rs);
		char byte;
		ssize_t n;

		if (fd < 0)
			return 0;
		if (timeout == 0)
			return role_fail(rs, "deadline passed before the server listened");
		if (poll(&pfd, 1, timeout) < 0) {
			if (errno == EINTR)
				continue;
			return role_fail(rs, "poll: %s", strerror(errno));
		}
		if (pfd.revents == 0)
			continue;
		n = read(fd, &byte, 1);
		if (n == 1)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return role_fail(rs, "the server never listened (%s)",
		    n == 0 ? "its role ended first" : strerror(errno));
	}
}

static int
step_connect(struct role_exec *rs)
{
	const struct role_context *ctx = rs->ctx;
	const struct sockapi *api = rs->api;
	int error = 0;

	if (ensure_client_socket(rs) < 0 || server_ready_wait(rs) < 0)
		return -1;
	/* Connect without blocking so the deadline holds. */
	if (!rs->user_nonblock && api->set_nonblock(rs->fd, true) < 0)
		return api_fail(rs, "O_NONBLOCK");
	if (api->connect(rs->fd, (const struct sockaddr *)ctx->server_addr,
	    ctx->server_addrlen) < 0) {
		if (errno != EINPROGRESS)
			return api_fail(rs, "connect");
		if (wait_ready(rs, rs->fd, POLLOUT, "connecting") < 0)
			return -1;
		if (api->so_error(rs->fd, &error) < 0)
			return api_fail(rs, "getsockopt");
		if (error != 0)
			return role_fail(rs, "connect: %s", strerror(error));
	}
	if (!rs->user_nonblock && api->set_nonblock(rs->fd, false) < 0)
		return api_fail(rs, "O_NONBLOCK");
	return record_local_port(rs);
}

static int
step_accept(struct role_exec *rs)
{
	int fd;

	if (wait_ready(rs, rs->listen_fd, POLLIN, "waiting for the client to connect") < 0)
		return -1;
	fd = rs->api->accept(rs->listen_fd);
	if (fd < 0)
		return api_fail(rs, "accept");
	fd_push(rs, fd);
	/* O_NONBLOCK is a file flag: the accepted socket does not inherit it. */
	if (rs->user_nonblock && rs->api->set_nonblock(rs->fd, true) < 0)
		return api_fail(rs, "O_NONBLOCK");
	if (record_local_port(rs) < 0)
		return -1;
	/* One connection per case: the listener is not needed any more. */
	rs->api->close(rs->listen_fd);
	rs->listen_fd = -1;
	return 0;
}

static int
step_send(struct role_exec *rs)
{
	const struct step_send *send_step = &rs->step->u.send;
	struct ledger *ledger = &rs->ledger;
	struct step_record *rec = record_now(rs);
	uint64_t chunk = send_step->chunk > 0 ? send_step->chunk : IO_CHUNK;
	bool dontwait = send_step->fill || (send_step->flags & SEND_DONTWAIT) ||
	    rs->user_nonblock;
	unsigned flags = SOCKAPI_MSG_DONTWAIT |
	    ((send_step->flags & SEND_MORE) ? SOCKAPI_MSG_MORE : 0) |
	    (!rs->sigpipe_default || (send_step->flags & SEND_NOSIGNAL) ?
	    SOCKAPI_MSG_NOSIGNAL : 0);
	uint64_t offered = 0;

	while (send_step->fill || offered < send_step->bytes) {
		uint64_t want = send_step->fill ? chunk : send_step->bytes - offered;
		size_t len = want > chunk ? (size_t)chunk : (size_t)want;
		ssize_t n;

		pattern_fill(rs->buf, len, advance_stream(rs, ROLE_STREAM_SENT, 0));
		n = rs->api->send(rs->fd, rs->buf, len, flags);
		if (n >= 0) {
			rec->calls++;
			rec->bytes += (uint64_t)n;
			ledger_record_send(ledger, (long)n, 0);
			advance_stream(rs, ROLE_STREAM_SENT, (uint64_t)n);
			publish_ledger(rs);
			offered += (uint64_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
		    (send_step->flags & SEND_RETRY)) {
			/*
			 * The application saw EAGAIN and, as a non-blocking
			 * writer does, waits for POLLOUT and sends the rest:
			 * the call is recorded (send errors shows it), the step
			 * goes on, bounded by its "within" or the deadline.
			 */
			rec->calls++;
			rec->eagains++;
			ledger_record_send(ledger, -1, EAGAIN);
			publish_ledger(rs);
			if (wait_ready(rs, rs->fd, POLLOUT,
			    "sending nonblocking (waiting for POLLOUT after EAGAIN)") != 0)
				return -1;
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (dontwait) {
				/* The application saw EAGAIN: what fitted is queued. */
				rec->calls++;
				rec->error = EAGAIN;
				ledger_record_send(ledger, -1, EAGAIN);
				publish_ledger(rs);
				return 0;
			}
			if (wait_ready(rs, rs->fd, POLLOUT, "sending (the peer is not reading)") != 0)
				return -1;
			continue;
		}
		/* ECONNRESET, EPIPE, ...: what the case provoked. */
		rec->calls++;
		rec->error = errno;
		ledger_record_send(ledger, -1, errno);
		publish_ledger(rs);
		return 0;
	}
	return 0;
}

static void
read_result_set(struct read_result *r, ssize_t n, int error)
{
	memset(r, 0, sizeof(*r));
	if (n > 0) {
		r->kind = READ_RESULT_DATA;
		r->bytes = (uint64_t)n;
	} else if (n == 0)
		r->kind = READ_RESULT_EOF;
	else if (error == EAGAIN || error == EWOULDBLOCK)
		r->kind = READ_RESULT_WOULD_BLOCK;
	else {
		r->kind = READ_RESULT_ERROR;
		r->error = error;
	}
}

static void
check_content(struct ledger *ledger, const uint8_t *buf, size_t len, uint64_t offset)
{
	size_t good = pattern_check(buf, len, offset);

	if (good != len && !ledger->corrupted) {
		ledger->corrupted = true;
		ledger->first_bad_offset = offset + good;
	}
}

/* After a read loop ends: what does the next read return, and then SO_ERROR
 * (read last, because reading it clears a pending error). */
static void
record_read_end(struct role_exec *rs, ssize_t n, int error)
{
	struct ledger *ledger = &rs->ledger;
	struct step_record *rec = record_now(rs);
	int so_error = 0;
	ssize_t next;

	read_result_set(&ledger->read_end, n, error);
	rec->end = ledger->read_end;
	next = rs->api->recv(rs->fd, rs->buf, 1, SOCKAPI_MSG_DONTWAIT);
	read_result_set(&ledger->next_read, next, next < 0 ? errno : 0);
	if (next > 0) {
		/* Data after EOF or an error would be news: keep it honest. */
		check_content(ledger, rs->buf, 1, advance_stream(rs, ROLE_STREAM_READ, 1));
		ledger->bytes_read++;
	}
	if (rs->api->so_error(rs->fd, &so_error) == 0) {
		ledger->so_error_read = true;
		ledger->so_error = so_error;
		rec->so_error_read = true;
		rec->so_error = so_error;
	}
}

/* A read that ended because its own time ran out: an observation. */
static void
record_read_timeout(struct role_exec *rs)
{
	struct ledger *ledger = &rs->ledger;

	memset(&ledger->read_end, 0, sizeof(ledger->read_end));
	memset(&ledger->next_read, 0, sizeof(ledger->next_read));
	ledger->read_end.kind = READ_RESULT_TIMEOUT;
	record_now(rs)->end = ledger->read_end;
}

static int
step_recv_peek(struct role_exec *rs, const struct step_recv *recv_step)
{
	uint64_t want = recv_step->mode == RECV_COUNT ? recv_step->bytes : IO_CHUNK;
	size_t len = want > IO_CHUNK ? IO_CHUNK : (size_t)want;

	for (;;) {
		ssize_t n = rs->api->recv(rs->fd, rs->buf, len,
		    SOCKAPI_MSG_PEEK | SOCKAPI_MSG_DONTWAIT);

		if (n > 0 && ((size_t)n >= len || recv_step->mode == RECV_ALL)) {
			check_content(&rs->ledger, rs->buf, (size_t)n,
			    advance_stream(rs, ROLE_STREAM_READ, 0));
			rs->ledger.bytes_peeked += (uint64_t)n;
			return 0;
		}
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			record_read_end(rs, n, n < 0 ? errno : 0);
			return 0;
		}
		if (rs->user_nonblock && n < 0) {
			read_result_set(&rs->ledger.read_end, n, errno);
			record_now(rs)->end = rs->ledger.read_end;
			return 0;
		}
		if (ms_left(rs) == 0 && rs->own_deadline && rs->step->timeout_ends_read) {
			record_read_timeout(rs);
			return 0;
		}
		if (ms_left(rs) == 0)
			return role_fail(rs, "deadline passed while peeking (%zd of %zu bytes queued)",
			    n > 0 ? n : 0, len);
		/* Fewer bytes than wanted are queued: look again shortly. */
		nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = AWAIT_POLL_NS }, NULL);
	}
}

/* How a read loop is bounded. */
struct read_limits {
	bool until_end;		/* until EOF or an error (else "bytes") */
	uint64_t bytes;		/* at most this many (0 with until_end: no limit) */
	uint64_t rate_bytes;	/* a slow reader: this many per rate_ms */
	uint64_t rate_ms;
	int64_t stop_ns;	/* stop reading then, quietly (0: never) */
};

static void
pause_ns(int64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000LL),
		.tv_nsec = (long)(ns % 1000000000LL) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The read loop of recv, drain and lingering-close: read, check the
 * pattern, count; at EOF or an error record how the loop ended.
 */
static int
read_loop(struct role_exec *rs, const struct read_limits *lim)
{
	struct ledger *ledger = &rs->ledger;
	struct step_record *rec = record_now(rs);
	uint64_t got = 0, in_slot = 0;

	while (lim->bytes == 0 || got < lim->bytes) {
		uint64_t want = lim->bytes == 0 ? IO_CHUNK : lim->bytes - got;
		size_t len;
		ssize_t n;

		if (lim->rate_bytes > 0) {
			if (in_slot >= lim->rate_bytes) {
				/* A slow reader: the pacing is the point of the step. */
				pause_ns((int64_t)lim->rate_ms * 1000000);
				in_slot = 0;
			}
			if (want > lim->rate_bytes - in_slot)
				want = lim->rate_bytes - in_slot;
		}
		len = want > IO_CHUNK ? IO_CHUNK : (size_t)want;
		if (lim->stop_ns > 0 && monotime_ns() >= lim->stop_ns) {
			record_read_timeout(rs);
			return 0;
		}
		n = rs->api->recv(rs->fd, rs->buf, len, SOCKAPI_MSG_DONTWAIT);
		if (n > 0) {
			ledger->recv_calls++;
			rec->calls++;
			rec->bytes += (uint64_t)n;
			check_content(ledger, rs->buf, (size_t)n,
			    advance_stream(rs, ROLE_STREAM_READ, (uint64_t)n));
			ledger->bytes_read += (uint64_t)n;
			publish_ledger(rs);
			got += (uint64_t)n;
			in_slot += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (rs->user_nonblock) {
				read_result_set(&ledger->read_end, n, errno);
				rec->end = ledger->read_end;
				return 0;
			}
			if (lim->stop_ns > 0) {
				int64_t left = lim->stop_ns - monotime_ns();
				short revents;

				if (left <= 0) {
					record_read_timeout(rs);
					return 0;
				}
				if (rs->api->poll(rs->fd, POLLIN, &revents,
				    (int)(left / 1000000 + 1)) < 0 && errno != EINTR)
					return api_fail(rs, "poll");
				continue;
			}
			switch (wait_ready(rs, rs->fd, POLLIN, "receiving (the peer sends nothing)")) {
			case 0:
				continue;
			case 1:
				record_read_timeout(rs);
				return 0;
			default:
				return -1;
			}
		}
		ledger->recv_calls++;
		rec->calls++;
		record_read_end(rs, n, n < 0 ? errno : 0);
		return 0;
	}
	return 0;
}

static int
step_recv(struct role_exec *rs)
{
	const struct step_recv *recv_step = &rs->step->u.recv;
	struct read_limits lim;

	if (recv_step->peek)
		return step_recv_peek(rs, recv_step);
	memset(&lim, 0, sizeof(lim));
	lim.until_end = recv_step->mode == RECV_ALL;
	lim.bytes = recv_step->mode == RECV_ALL ? 0 : recv_step->bytes;
	lim.rate_bytes = recv_step->rate_bytes;
	lim.rate_ms = recv_step->rate_ms;
	return read_loop(rs, &lim);
}

static int
step_drain(struct role_exec *rs)
{
	const struct step_drain *drain = &rs->step->u.drain;
	struct read_limits lim;

	memset(&lim, 0, sizeof(lim));
	lim.until_end = true;
	lim.bytes = drain->limit;
	return read_loop(rs, &lim);
}

static void
timed_shutdown(struct role_exec *rs, int how)
{
	struct teardown_call *call = &rs->ledger.shutdown;

	queue_snapshot_take(rs, &call->before);
	call->at_ns = monotime_ns();
	call->rc = rs->api->shutdown(rs->fd, how);
	call->error = call->rc < 0 ? errno : 0;
	call->duration_ns = (uint64_t)(monotime_ns() - call->at_ns);
	call->done = true;
	if (call->rc == 0 && how != SHUT_RD)
		rs->ledger.write_shut = true;
}

static int
step_shutdown(struct role_exec *rs)
{
	enum shutdown_how how_step = rs->step->u.shutdown;

	timed_shutdown(rs, how_step == SHUTDOWN_RD ? SHUT_RD :
	    how_step == SHUTDOWN_WR ? SHUT_WR : SHUT_RDWR);
	return 0;
}

/*
 * Close one descriptor (the newest); the socket goes with the last one.
 * run_step() has checked, by the language's model of the descriptors
 * (case_step_descriptors()), that there is one.
 */
static int
step_close(struct role_exec *rs)
{
	struct teardown_call *call = &rs->ledger.close;
	int fd;

	queue_snapshot_take(rs, &call->before);
	fd = fd_pop(rs);
	call->at_ns = monotime_ns();
	call->rc = rs->api->close(fd);
	call->error = call->rc < 0 ? errno : 0;
	/* lwIP's close() of a lingering non-blocking socket answers
	 * EWOULDBLOCK and keeps it open: the process's end must close it. */
	if (call->rc < 0 && rs->api->in_process)
		rs->unclosed = fd;
	call->duration_ns = (uint64_t)(monotime_ns() - call->at_ns);
	call->done = true;
	rs->ledger.closes++;
	if (rs->nfds == 0) {
		rs->closed = true;
		rs->ledger.socket_released = true;
		rs->ledger.released = true;
		rs->ledger.released_by = (int)rs->index;
		rs->ledger.released_ns = call->at_ns;
		rs->ledger.released_with = call->before;
	}
	return 0;
}

/* As web servers close: FIN first, then read and discard for a while. */
static int
step_lingering_close(struct role_exec *rs)
{
	const struct step_lingering_close *lc = &rs->step->u.lingering;
	struct read_limits lim;

	timed_shutdown(rs, SHUT_WR);
	/* The shutdown is known before its event lets others go on. */
	publish_ledger(rs);
	raise_early(rs, case_step_word(rs->step->kind)->early_event);
	memset(&lim, 0, sizeof(lim));
	lim.until_end = true;
	lim.bytes = lc->limit;
	lim.stop_ns = monotime_ns() + (int64_t)lc->ms * 1000000;
	if (read_loop(rs, &lim) < 0)
		return -1;
	/* One descriptor, as close: the parser counted it so. */
	return step_close(rs);
}

static int
step_dup(struct role_exec *rs)
{
	int fd;

	fd = rs->api->dup(rs->fd);
	if (fd < 0)
		return api_fail(rs, "dup");
	fd_push(rs, fd);
	return 0;
}

static int
step_poll(struct role_exec *rs)
{
	short revents;

	if (rs->api->poll(rs->fd, POLLIN | POLLOUT | POLLRDHUP, &revents, 0) < 0)
		return api_fail(rs, "poll");
	rs->ledger.polled = true;
	rs->ledger.poll_revents = revents;
	return 0;
}

static int role_steps(struct role_exec *rs);

const struct sockapi *
role_api(const struct role_context *ctx, enum role_id role)
{
	const struct sockapi *api = ctx->api[case_role_end(role)];

	return api != NULL ? api : &sockapi_kernel;
}

/*
 * The child inherits every descriptor the role holds now and runs the
 * child role's steps; the role goes on at once.  The child is not waited
 * for here: the runner, a subreaper, collects it.
 */
static int
step_fork(struct role_exec *rs)
{
	enum role_id child = rs->role == ROLE_CLIENT ? ROLE_CLIENT_CHILD : ROLE_SERVER_CHILD;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return role_fail(rs, "fork: %s", strerror(errno));
	if (pid == 0) {
		rs->role = child;
		ledger_init(&rs->ledger);
		rs->ledger.pid = (int)getpid();
		_exit(role_steps(rs) == 0 ? 0 : 1);
	}
	/* Recorded at the end of the step: the supervisor can kill the child. */
	rs->ledger.child_pid = (int)pid;
	return 0;
}

/* The queue a metric reads; "inflight" reads this one minus the unsent. */
static enum sockapi_queue
metric_queue(enum socket_metric metric)
{
	switch (metric) {
	case METRIC_UNREAD:
		return SOCKAPI_QUEUE_UNREAD;
	case METRIC_UNSENT:
		return SOCKAPI_QUEUE_UNSENT;
	case METRIC_UNACKED:
	case METRIC_INFLIGHT:
		break;
	}
	return SOCKAPI_QUEUE_UNACKED;
}

static uint64_t
metric_read(const struct role_exec *rs, enum socket_metric metric, int *error)
{
	int value = 0, unsent = 0;

	*error = rs->api->queue(rs->fd, metric_queue(metric), &value) < 0 ? errno : 0;
	if (*error == 0 && metric == METRIC_INFLIGHT &&
	    rs->api->queue(rs->fd, SOCKAPI_QUEUE_UNSENT, &unsent) < 0)
		*error = errno;
	if (metric == METRIC_INFLIGHT)
		value = value > unsent ? value - unsent : 0;
	return value < 0 ? 0 : (uint64_t)value;
}

/*
 * "await error": poll() with no events reports only POLLERR and POLLHUP,
 * so it blocks until the socket has an error (an RST arrived) without
 * reading SO_ERROR, which would clear it.
 */
static int
await_error(struct role_exec *rs)
{
	for (;;) {
		int timeout = ms_left(rs);
		short revents = 0;
		int n;

		if (timeout == 0)
			return role_fail(rs, "deadline passed while awaiting an error on the socket");
		n = rs->api->poll(rs->fd, 0, &revents, timeout);
		if (n < 0 && errno != EINTR)
			return api_fail(rs, "poll");
		if (n > 0 && (revents & POLLERR))
			return 0;
		if (n > 0 && (revents & (POLLHUP | POLLNVAL)))
			return role_fail(rs, "the socket %s without an error",
			    revents & POLLNVAL ? "is not open" : "hung up");
	}
}

static int
step_await(struct role_exec *rs)
{
	const struct step_await *await = &rs->step->u.await;

	if (await->error)
		return await_error(rs);
	for (;;) {
		int error;
		uint64_t value = metric_read(rs, await->metric, &error);

		if (error != 0) {
			errno = error;
			return api_fail(rs, "reading the queue");
		}
		if (case_compare_u64(value, await->op, await->value))
			return 0;
		if (monotime_ns() >= rs->deadline_ns)
			return role_fail(rs, "deadline passed: the queue holds %llu bytes",
			    (unsigned long long)value);
		/* Queues change with no event to block on: look again shortly. */
		nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = AWAIT_POLL_NS }, NULL);
	}
}

static int
step_wait(struct role_exec *rs)
{
	const struct role_io *io = rs->ctx->io;
	int rc = io->wait(io->ctx, rs->ctx->events->wait[rs->role][rs->index], rs->deadline_ns);

	if (rc == 0)
		return 0;
	if (rc == ETIMEDOUT)
		return role_fail(rs, "deadline passed before the event");
	if (rc == ECANCELED)
		return role_fail(rs, "case aborted while waiting");
	return role_fail(rs, "futex: %s", strerror(rc));
}

static int
step_pause(struct role_exec *rs)
{
	uint64_t ms = rs->step->u.pause.ms;
	int64_t until = monotime_ns() + (int64_t)ms * 1000000;

	if (until > rs->deadline_ns)
		return role_fail(rs, "a pause of %llu ms runs past the deadline",
		    (unsigned long long)ms);
	while (monotime_ns() < until) {
		int64_t left = until - monotime_ns();
		struct timespec ts = { .tv_sec = (time_t)(left / 1000000000LL),
			.tv_nsec = (long)(left % 1000000000LL) };

		if (left > 0)
			nanosleep(&ts, NULL);
	}
	return 0;
}

static int
step_so_error(struct role_exec *rs)
{
	int so_error = 0;

	if (rs->api->so_error(rs->fd, &so_error) < 0)
		return api_fail(rs, "getsockopt");
	rs->ledger.so_error_read = true;
	rs->ledger.so_error = so_error;
	record_now(rs)->so_error_read = true;
	record_now(rs)->so_error = so_error;
	return 0;
}

static int
step_snapshot(struct role_exec *rs)
{
	queue_snapshot_take(rs, &rs->ledger.snapshot);
	record_now(rs)->queues = rs->ledger.snapshot;
	return 0;
}

/* raise: its event is raised after the step, like every step's; exit:
 * role_steps ends the process. */
static int
step_nothing(struct role_exec *rs)
{
	(void)rs;
	return 0;
}

/* The executor of each kind of step (a new step kind needs a row here). */
static int (*const step_executors[])(struct role_exec *rs) = {
	[STEP_CONNECT] = step_connect,
	[STEP_ACCEPT] = step_accept,
	[STEP_SEND] = step_send,
	[STEP_RECV] = step_recv,
	[STEP_SHUTDOWN] = step_shutdown,
	[STEP_CLOSE] = step_close,
	[STEP_SET] = step_set,
	[STEP_WAIT] = step_wait,
	[STEP_AWAIT] = step_await,
	[STEP_RAISE] = step_nothing,
	[STEP_PAUSE] = step_pause,
	[STEP_SO_ERROR] = step_so_error,
	[STEP_SNAPSHOT] = step_snapshot,
	[STEP_FORK] = step_fork,
	[STEP_DUP] = step_dup,
	[STEP_EXIT] = step_nothing,
	[STEP_POLL] = step_poll,
	[STEP_DRAIN] = step_drain,
	[STEP_LINGERING_CLOSE] = step_lingering_close,
};

_Static_assert(sizeof(step_executors) / sizeof(step_executors[0]) == STEP_KIND_COUNT,
    "every kind of step has an executor");

/* The language's model of the descriptors, held to before each step. */
static int
descriptors_allow(struct role_exec *rs)
{
	switch (case_step_descriptors(rs->step)) {
	case DESCRIPTORS_ADD:
		if (rs->nfds == 0 || rs->nfds >= CASE_DESCRIPTORS_MAX)
			return role_fail(rs, "%zu descriptors: no dup possible", rs->nfds);
		break;
	case DESCRIPTORS_DROP:
		if (rs->nfds == 0)
			return role_fail(rs, "no descriptor left to close");
		break;
	case DESCRIPTORS_OPEN:
	case DESCRIPTORS_KEPT:
		break;
	}
	return 0;
}

static int
run_step(struct role_exec *rs)
{
	enum step_kind kind = rs->step->kind;

	if ((size_t)kind >= STEP_KIND_COUNT || step_executors[kind] == NULL)
		return role_fail(rs, "unknown step");
	if (descriptors_allow(rs) < 0)
		return -1;
	return step_executors[kind](rs);
}

/*
 * The process is about to end with descriptors of the socket still held:
 * its end lets go of them (an exit step, or the steps all done).
 */
static void
release_at_end(struct role_exec *rs, int by)
{
	struct ledger *l = &rs->ledger;

	if (rs->nfds == 0 || l->released)
		return;
	queue_snapshot_take(rs, &l->released_with);
	l->released = true;
	l->released_by = by;
	l->released_ns = monotime_ns();
}

static void
role_finish(struct role_exec *rs, size_t nsteps)
{
	const struct role_io *io = rs->ctx->io;

	rs->ledger.step = (int)nsteps;
	rs->ledger.state = ROLE_STATE_FINISHED;
	publish_ledger(rs);
	io->raise(io->ctx, rs->ctx->events->done[rs->role]);
}

/*
 * A stack that lives in this process ends with it, sending nothing: the
 * kernel would go on with the connection after the process is gone.  So
 * the role does what the process's exit does on a kernel (close what is
 * still open), then keeps the stack running until the other end is done
 * and the stack's connections are closed, or the case's deadline.
 */
static void
stack_outlive(struct role_exec *rs)
{
	const struct role_io *io = rs->ctx->io;
	enum role_id other = case_role_end(rs->role) == ROLE_SERVER ? ROLE_CLIENT : ROLE_SERVER;

	if (!rs->api->in_process)
		return;
	while (rs->nfds > 0)
		rs->api->close(fd_pop(rs));
	if (rs->unclosed >= 0) {
		/* As at a process's exit: closed, whatever the flags say. */
		rs->api->set_nonblock(rs->unclosed, false);
		rs->api->close(rs->unclosed);
		rs->unclosed = -1;
	}
	if (rs->listen_fd >= 0) {
		rs->api->close(rs->listen_fd);
		rs->listen_fd = -1;
	}
	(void)io->wait(io->ctx, rs->ctx->events->done[other], rs->ctx->case_deadline_ns);
	while (rs->api->connections_open != NULL && rs->api->connections_open() &&
	    monotime_ns() < rs->ctx->case_deadline_ns)
		pause_ns(STACK_SETTLE_POLL_NS);
	if (rs->ctx->stack_end != NULL) {
		char err[LEDGER_ERROR_SIZE];

		/* The role has finished: a failure here only loses evidence,
		 * which the capture's sentinel then reports. */
		(void)rs->ctx->stack_end(rs->ctx->stack_arg, err, sizeof(err));
	}
}

static int
role_steps(struct role_exec *rs)
{
	const struct role_context *ctx = rs->ctx;
	const struct case_role *role = &ctx->cf->roles[rs->role];
	size_t i;

	rs->ledger.state = ROLE_STATE_RUNNING;
	for (i = 0; i < role->nsteps; i++) {
		int64_t started = monotime_ns();

		rs->step = &role->steps[i];
		rs->index = i;
		rs->deadline_ns = ctx->case_deadline_ns + DEADLINE_GRACE_NS;
		rs->own_deadline = false;
		rs->ledger.step = (int)i;
		rs->ledger.step_started_ns = started;
		record_now(rs)->started_ns = started;
		if (rs->step->timeout_ms > 0 &&
		    started + (int64_t)rs->step->timeout_ms * 1000000 < ctx->case_deadline_ns) {
			rs->deadline_ns = started + (int64_t)rs->step->timeout_ms * 1000000;
			rs->own_deadline = true;
		}
		publish_ledger(rs);
		if (run_step(rs) < 0)
			return -1;
		record_now(rs)->ended_ns = monotime_ns();
		record_now(rs)->done = true;
		/* What the step did is known before its event lets others go on. */
		publish_ledger(rs);
		if (ctx->events->raise[rs->role][i] != EVENT_NONE)
			ctx->io->raise(ctx->io->ctx, ctx->events->raise[rs->role][i]);
		if (rs->step->kind == STEP_EXIT) {
			/* Descriptors close with the process, as in any program. */
			release_at_end(rs, (int)i);
			role_finish(rs, i + 1);
			stack_outlive(rs);
			_exit(0);
		}
	}
	release_at_end(rs, -1);
	role_finish(rs, role->nsteps);
	return 0;
}

/*
 * The server's own listener, when the coordinator made none (a stack that
 * lives in this process): socket, bind and listen on the server's address
 * through the api; then the client may connect.
 */
static int
listener_make(struct role_exec *rs)
{
	const struct role_context *ctx = rs->ctx;
	const struct sockapi *api = rs->api;
	char byte = 1;

	rs->listen_fd = api->socket(ctx->server_addr->ss_family);
	if (rs->listen_fd < 0)
		return api_fail(rs, "listener: socket");
	if (api->bind(rs->listen_fd, (const struct sockaddr *)ctx->server_addr,
	    ctx->server_addrlen) < 0)
		return api_fail(rs, "listener: bind");
	if (api->listen(rs->listen_fd, ROLE_LISTEN_BACKLOG) < 0)
		return api_fail(rs, "listener: listen");
	if (ctx->server_ready[1] >= 0 && write(ctx->server_ready[1], &byte, 1) != 1)
		return role_fail(rs, "telling the client the server listens: %s",
		    strerror(errno));
	return 0;
}

int
role_run(const struct role_context *ctx, enum role_id role)
{
	struct role_exec rs;
	char err[LEDGER_ERROR_SIZE];
	int rc;

	memset(&rs, 0, sizeof(rs));
	rs.ctx = ctx;
	rs.role = role;
	rs.api = role_api(ctx, role);
	ledger_init(&rs.ledger);
	rs.ledger.pid = (int)getpid();
	rs.fd = -1;
	rs.unclosed = -1;
	rs.listen_fd = role == ROLE_SERVER ? ctx->listen_fd : -1;
	rs.buf = malloc(IO_BUFFER);
	if (rs.buf == NULL)
		return role_fail(&rs, "out of memory");
	if (rs.api != &sockapi_kernel && ctx->stack_start != NULL &&
	    ctx->stack_start(ctx->stack_arg, err, sizeof(err)) < 0) {
		free(rs.buf);
		return role_fail(&rs, "starting %s: %s", rs.api->name, err);
	}
	if (role == ROLE_SERVER && rs.listen_fd < 0 && listener_make(&rs) < 0) {
		free(rs.buf);
		return -1;
	}
	rc = role_steps(&rs);
	if (rc == 0)
		stack_outlive(&rs);
	free(rs.buf);
	/* Descriptors still open are closed by the process's exit, as in any
	 * program that ends without closing. */
	return rc;
}

/* A set of operations of a stack, one bit per enum sockapi_op. */
typedef uint32_t op_set;
#define OP(name) ((op_set)1 << SOCKAPI_##name)

_Static_assert(SOCKAPI_OP_COUNT <= 32, "an op_set holds every operation");

/* What each kind of step always asks of its role's stack (see the executors). */
static const op_set step_kind_ops[STEP_KIND_COUNT] = {
	[STEP_CONNECT] = OP(SOCKET) | OP(SET_NONBLOCK) | OP(CONNECT) | OP(POLL) |
	    OP(SO_ERROR) | OP(LOCAL_ADDR),
	[STEP_ACCEPT] = OP(POLL) | OP(ACCEPT) | OP(LOCAL_ADDR),
	[STEP_SEND] = OP(SEND_DONTWAIT) | OP(POLL),
	[STEP_RECV] = OP(POLL),
	[STEP_DRAIN] = OP(RECV_DONTWAIT) | OP(POLL),
	[STEP_LINGERING_CLOSE] = OP(SHUTDOWN) | OP(RECV_DONTWAIT) | OP(POLL) | OP(CLOSE),
	[STEP_SHUTDOWN] = OP(SHUTDOWN),
	[STEP_CLOSE] = OP(CLOSE),
	[STEP_SO_ERROR] = OP(SO_ERROR),
	[STEP_SNAPSHOT] = OP(UNREAD) | OP(UNACKED) | OP(UNSENT),
	[STEP_FORK] = OP(FORK),
	[STEP_DUP] = OP(DUP),
	[STEP_POLL] = OP(POLL),
	/* wait, raise, pause, exit: nothing of the stack */
};

/* What a set step asks, by option ("set sigpipe ignore" asks nothing of a
 * stack without signals; "default" asks for them). */
static const op_set set_option_ops[] = {
	[OPTION_RCVBUF] = OP(SET_RCVBUF),
	[OPTION_SNDBUF] = OP(SET_SNDBUF),
	[OPTION_NODELAY] = OP(SET_NODELAY),
	[OPTION_CORK] = OP(SET_CORK),
	[OPTION_LINGER] = OP(SET_LINGER),
	[OPTION_NONBLOCK] = OP(SET_NONBLOCK),
	[OPTION_SIGPIPE] = OP(SIGPIPE),
};

/* The operations step needs of its role's stack. */
static op_set
step_ops(const struct case_step *step)
{
	op_set ops = (size_t)step->kind < STEP_KIND_COUNT ? step_kind_ops[step->kind] : 0;

	switch (step->kind) {
	case STEP_SEND:
		if (step->u.send.flags & SEND_MORE)
			ops |= OP(SEND_MORE);
		break;
	case STEP_RECV:
		ops |= step->u.recv.peek ? OP(RECV_PEEK) : OP(RECV_DONTWAIT);
		break;
	case STEP_SET:
		if ((size_t)step->u.set.option < sizeof(set_option_ops) / sizeof(set_option_ops[0]) &&
		    (step->u.set.option != OPTION_SIGPIPE || step->u.set.on))
			ops |= set_option_ops[step->u.set.option];
		break;
	case STEP_AWAIT:
		ops |= step->u.await.error ? OP(POLL) :
		    (op_set)1 << sockapi_queue_op(metric_queue(step->u.await.metric));
		if (!step->u.await.error && step->u.await.metric == METRIC_INFLIGHT)
			ops |= OP(UNSENT);
		break;
	default:
		break;
	}
	return ops;
}

/* An expectation that reads what only some stacks report, about end. */
static enum sockapi_op
expect_op(const struct case_expect *e, enum role_id end)
{
	if (e->kind == EXPECT_POLL && case_role_end(e->role) == end &&
	    (e->u.poll.events & (POLLRDHUP | POLLHUP)) != 0)
		return SOCKAPI_POLL_RDHUP;
	return SOCKAPI_OP_COUNT;
}

/* An await step that can never hold on api: more unread than it keeps. */
static bool
await_beyond(const struct sockapi *api, const struct case_step *step, char *why, size_t size)
{
	const struct step_await *await = &step->u.await;
	uint64_t least;

	if (step->kind != STEP_AWAIT || await->metric != METRIC_UNREAD || api->max_unread == 0)
		return false;
	switch (await->op) {
	case COMPARE_EQ:
	case COMPARE_GE:
		least = await->value;
		break;
	case COMPARE_GT:
		least = await->value + 1;
		break;
	default:
		return false;
	}
	if (least <= api->max_unread)
		return false;
	snprintf(why, size, "%s holds at most %lu B unread (its receive window)", api->name,
	    api->max_unread);
	return true;
}

/* Why api cannot run step, into why; NULL when it can. */
static const char *
step_unsupported(const struct sockapi *api, const struct case_step *step, char *why,
    size_t size)
{
	op_set ops = step_ops(step);
	int op;

	if (await_beyond(api, step, why, size))
		return why;
	for (op = 0; op < SOCKAPI_OP_COUNT; op++)
		if ((ops & ((op_set)1 << op)) != 0 &&
		    sockapi_why_unsupported(api, (enum sockapi_op)op) != NULL)
			return sockapi_why_unsupported(api, (enum sockapi_op)op);
	return NULL;
}

int
role_check_api(const struct case_file *cf, enum role_id end, const struct sockapi *api,
    char *why, size_t size)
{
	char beyond[256];
	const char *no;
	size_t r, i;

	for (r = 0; r < ROLE_COUNT; r++) {
		const struct case_role *role = &cf->roles[r];

		if (!role->present || case_role_end((enum role_id)r) != end)
			continue;
		for (i = 0; i < role->nsteps; i++)
			if ((no = step_unsupported(api, &role->steps[i], beyond,
			    sizeof(beyond))) != NULL) {
				snprintf(why, size, "%s step %zu '%s': %s",
				    case_role_name((enum role_id)r), i + 1, role->steps[i].text, no);
				return -1;
			}
	}
	for (i = 0; i < cf->nexpects; i++) {
		enum sockapi_op op = expect_op(&cf->expects[i], end);

		no = op == SOCKAPI_OP_COUNT ? NULL : sockapi_why_unsupported(api, op);
		if (no != NULL) {
			snprintf(why, size, "line %u '%s': %s", cf->expects[i].line,
			    cf->expects[i].text, no);
			return -1;
		}
	}
	return 0;
}
