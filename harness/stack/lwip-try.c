/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwip-try.c - one teardown through lwIP, for harness/tests/lwip.sh.
 *
 *   lwip-try SCENARIO TAP PORT PCAP
 *
 * Run in a network namespace whose TAP device TAP has the host side
 * 198.18.0.1/24 and is up.  A capture of TAP into the file PCAP (the
 * harness's own, harness/run/capture.c, in a process of its own, active
 * before the first SYN and complete once a sentinel datagram sent at the
 * end shows up in it), then a kernel client, are forked first (lwIP's
 * threads must not be forked).  The client connects to lwIP at 198.18.0.2:PORT, sends 100
 * bytes and reads until EOF or an error.  lwIP, the server, accepts and
 * then, by SCENARIO:
 *   unread           reads 50 of the 100 bytes, sends 20,000, closes
 *   linger0          reads all 100, sets SO_LINGER {1, 0}, closes
 *   linger0-pending  reads all 100, sends 20,000, SO_LINGER {1, 0}, closes;
 *                    the client keeps a 4 KiB receive buffer and reads only
 *                    after the close, so data is surely pending then
 *   clean            reads all 100, sends 20,000, shutdown(SHUT_WR),
 *                    reads until EOF, closes
 * Both ends go through a struct sockapi.  Prints one line per end,
 * "client: ..." then "server: ...", words KEY=VALUE.  Exit 0 when both
 * ends ran their steps, 1 when one failed (the line says why), 2 on usage.
 * Every wait is bounded (DEADLINE_S).
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "lwip.h"
#include "sockapi.h"

#define SERVER_ADDR "198.18.0.2"
#define HOST_ADDR "198.18.0.1"
#define NETMASK "255.255.255.0"
#define REQUEST_BYTES 100
#define PARTIAL_READ 50
#define RESPONSE_BYTES 20000
#define DEADLINE_S 10
#define SETTLE_MS 500		/* after the client ends: late segments, late RSTs */
#define CHUNK 4096
#define SMALL_RCVBUF 4096	/* linger0-pending: the client's window stays shut */
#define SENTINEL_PORT 9		/* discard: lwIP has no listener there */

enum scenario {
	SCENARIO_UNREAD,
	SCENARIO_LINGER0,
	SCENARIO_LINGER0_PENDING,
	SCENARIO_CLEAN,
	SCENARIO_COUNT
};

static const char *const scenario_names[SCENARIO_COUNT] = {
	[SCENARIO_UNREAD] = "unread",
	[SCENARIO_LINGER0] = "linger0",
	[SCENARIO_LINGER0_PENDING] = "linger0-pending",
	[SCENARIO_CLEAN] = "clean",
};

/* One end's connection, with the deadline every wait keeps. */
struct end {
	const struct sockapi *api;
	int fd;
	int64_t deadline_ns;
	char why[256];		/* why a step failed */
};

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int end_fail(struct end *e, const char *what, int error);

static int
end_fail(struct end *e, const char *what, int error)
{
	snprintf(e->why, sizeof(e->why), "%s%s%s", what, error != 0 ? ": " : "",
	    error != 0 ? strerror(error) : "");
	return -1;
}

/* Wait until fd is ready for events, at most until the deadline. */
static int
wait_for(struct end *e, int fd, short events, const char *what)
{
	for (;;) {
		int64_t left = e->deadline_ns - now_ns();
		short revents = 0;
		int n;

		if (left <= 0)
			return end_fail(e, what, ETIMEDOUT);
		n = e->api->poll(fd, events, &revents, (int)(left / 1000000) + 1);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return end_fail(e, "poll", errno);
	}
}

/* Read exactly want bytes (fewer at EOF: then -1). */
static int
recv_exact(struct end *e, size_t want)
{
	uint8_t buf[CHUNK];
	size_t got = 0;

	while (got < want) {
		size_t len = want - got > sizeof(buf) ? sizeof(buf) : want - got;
		ssize_t n = e->api->recv(e->fd, buf, len, SOCKAPI_MSG_DONTWAIT);

		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0)
			return end_fail(e, "EOF before the request's end", 0);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return end_fail(e, "recv", errno);
		if (wait_for(e, e->fd, POLLIN, "waiting for the request") < 0)
			return -1;
	}
	return 0;
}

static int
send_all(struct end *e, size_t total)
{
	uint8_t buf[CHUNK];
	size_t sent = 0;

	memset(buf, 'x', sizeof(buf));
	while (sent < total) {
		size_t len = total - sent > sizeof(buf) ? sizeof(buf) : total - sent;
		ssize_t n = e->api->send(e->fd, buf, len,
		    SOCKAPI_MSG_DONTWAIT | SOCKAPI_MSG_NOSIGNAL);

		if (n >= 0) {
			sent += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return end_fail(e, "send", errno);
		if (wait_for(e, e->fd, POLLOUT, "sending") < 0)
			return -1;
	}
	return 0;
}

/* Read until EOF (*end_errno 0) or an error (*end_errno errno). */
static int
read_to_end(struct end *e, uint64_t *bytes, int *end_errno)
{
	uint8_t buf[CHUNK];

	*bytes = 0;
	for (;;) {
		ssize_t n = e->api->recv(e->fd, buf, sizeof(buf), SOCKAPI_MSG_DONTWAIT);

		if (n > 0) {
			*bytes += (uint64_t)n;
			continue;
		}
		if (n == 0) {
			*end_errno = 0;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			*end_errno = errno;
			return 0;
		}
		if (wait_for(e, e->fd, POLLIN, "reading to the end") < 0)
			return -1;
	}
}

static const char *
end_name(int error)
{
	switch (error) {
	case 0:
		return "EOF";
	case ECONNRESET:
		return "ECONNRESET";
	case ECONNABORTED:
		return "ECONNABORTED";
	case EPIPE:
		return "EPIPE";
	case ENOTCONN:
		return "ENOTCONN";
	default:
		return strerror(error);
	}
}

static void
server_addr(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, SERVER_ADDR, &sin->sin_addr);
}

/*
 * The capture's process: tap until the sentinel shows up (or the
 * deadline), then finish the file.  Says "ready" on ready_fd once active.
 */
static int
capture_run(const char *tap, uint16_t port, int pcap_fd, const uint8_t *nonce,
    int ready_fd)
{
	int64_t deadline = now_ns() + (DEADLINE_S + 2) * 1000000000LL;
	struct capture_stats stats;
	struct capture *cap;
	char err[512], filter[64];

	snprintf(filter, sizeof(filter), "tcp port %u or udp dst port %u", port, SENTINEL_PORT);
	if (capture_open(&cap, tap, filter, pcap_fd, err, sizeof(err)) != CAPTURE_OK) {
		printf("capture: failed=\"%s\"\n", err);
		return 1;
	}
	capture_set_sentinel(cap, nonce, CAPTURE_NONCE_SIZE);
	if (write(ready_fd, "R", 1) != 1) {
		capture_close(cap);
		return 1;
	}
	while (!capture_sentinel_seen(cap) && now_ns() < deadline) {
		struct pollfd pfd = { .fd = capture_selectable_fd(cap), .events = POLLIN,
			.revents = 0 };

		if (poll(&pfd, 1, 50) < 0 && errno != EINTR)
			break;
		if (capture_pump(cap, err, sizeof(err)) < 0) {
			printf("capture: failed=\"%s\"\n", err);
			capture_close(cap);
			return 1;
		}
	}
	if (!capture_sentinel_seen(cap)) {
		printf("capture: failed=\"the sentinel did not show up\"\n");
		capture_close(cap);
		return 1;
	}
	if (capture_finish(cap, &stats, err, sizeof(err)) < 0) {
		printf("capture: failed=\"%s\"\n", err);
		return 1;
	}
	printf("capture: packets=%llu dropped=%u\n", (unsigned long long)stats.written,
	    stats.dropped);
	return stats.dropped == 0 ? 0 : 1;
}

/* The sentinel: a datagram through TAP that marks the capture's end. */
static int
send_sentinel(const uint8_t *nonce)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ssize_t n;

	if (fd < 0)
		return -1;
	server_addr(&sin, SENTINEL_PORT);
	n = sendto(fd, nonce, CAPTURE_NONCE_SIZE, 0, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	return n == CAPTURE_NONCE_SIZE ? 0 : -1;
}

/* Wait (bounded) for the other end's byte on fd. */
static int
wait_byte(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN, .revents = 0 };
	char byte;

	if (poll(&pfd, 1, DEADLINE_S * 1000) <= 0 || read(fd, &byte, 1) != 1)
		return -1;
	return 0;
}

/* The kernel's end: connect, send the request, read to the end. */
static int
client_run(enum scenario sc, uint16_t port, int ready_fd, int closed_fd)
{
	struct end e = { .api = &sockapi_kernel, .fd = -1,
		.deadline_ns = now_ns() + DEADLINE_S * 1000000000LL };
	struct sockaddr_in sin;
	uint64_t bytes = 0;
	int end_errno = 0, error = 0;
	bool late = sc == SCENARIO_LINGER0_PENDING;

	/* The server says when it listens: lwIP answers no ARP before. */
	if (wait_byte(ready_fd) < 0) {
		printf("client: failed=\"the server did not start\"\n");
		return 1;
	}
	server_addr(&sin, port);
	e.fd = e.api->socket(AF_INET);
	if (e.fd < 0 || e.api->set_nonblock(e.fd, true) < 0 ||
	    (late && e.api->set_option(e.fd, SOCKAPI_OPT_RCVBUF, false, SMALL_RCVBUF) < 0)) {
		printf("client: failed=\"socket: %s\"\n", strerror(errno));
		return 1;
	}
	if (e.api->connect(e.fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
	    errno != EINPROGRESS)
		end_fail(&e, "connect", errno);
	else if (wait_for(&e, e.fd, POLLOUT, "connecting") == 0 &&
	    (e.api->so_error(e.fd, &error) < 0 || error != 0))
		end_fail(&e, "connect", error != 0 ? error : errno);
	if (e.why[0] == '\0' && send_all(&e, REQUEST_BYTES) == 0) {
		if (late && wait_byte(closed_fd) < 0)
			end_fail(&e, "the server did not close", 0);
		else
			read_to_end(&e, &bytes, &end_errno);
	}
	if (e.why[0] != '\0') {
		printf("client: failed=\"%s\"\n", e.why);
		return 1;
	}
	printf("client: read=%llu end=%s\n", (unsigned long long)bytes, end_name(end_errno));
	if (e.api->close(e.fd) < 0) {
		printf("client: failed=\"close: %s\"\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* Wait for pid, at most until deadline_ns; then kill it.  Its exit status, or -1. */
static int
reap(pid_t pid, int64_t deadline_ns)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0)
			return -1;
		if (now_ns() > deadline_ns) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
		nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = 10000000 }, NULL);
	}
}

/* The server's teardown after accept, by scenario. */
static int
server_steps(struct end *e, enum scenario sc, int queues[3])
{
	static const enum sockapi_queue order[3] = { SOCKAPI_QUEUE_UNREAD,
		SOCKAPI_QUEUE_UNACKED, SOCKAPI_QUEUE_UNSENT };
	uint64_t drained = 0;
	int end_errno = 0, i;

	if (recv_exact(e, sc == SCENARIO_UNREAD ? PARTIAL_READ : REQUEST_BYTES) < 0)
		return -1;
	if (sc != SCENARIO_LINGER0 && send_all(e, RESPONSE_BYTES) < 0)
		return -1;
	if ((sc == SCENARIO_LINGER0 || sc == SCENARIO_LINGER0_PENDING) &&
	    e->api->set_option(e->fd, SOCKAPI_OPT_LINGER, true, 0) < 0)
		return end_fail(e, "SO_LINGER", errno);
	if (sc == SCENARIO_CLEAN) {
		if (e->api->shutdown(e->fd, SHUT_WR) < 0)
			return end_fail(e, "shutdown", errno);
		if (read_to_end(e, &drained, &end_errno) < 0)
			return -1;
	}
	for (i = 0; i < 3; i++)
		if (e->api->queue(e->fd, order[i], &queues[i]) < 0)
			return end_fail(e, sockapi_op_name(sockapi_queue_op(order[i])), errno);
	return 0;
}

/* fds: to the client, [0] "listening", [1] "closed". */
static int
server_run(enum scenario sc, const char *tap, uint16_t port, const int fds[2],
    pid_t client, bool *reaped)
{
	struct end e = { .api = &stack_lwip_sockapi, .fd = -1,
		.deadline_ns = now_ns() + DEADLINE_S * 1000000000LL };
	struct sockaddr_in sin;
	char err[256], version[32];
	int listen_fd, queues[3] = { 0, 0, 0 }, close_rc, close_errno, status;
	int64_t close_ns;

	if (stack_lwip_start(tap, SERVER_ADDR, NETMASK, HOST_ADDR, err, sizeof(err)) < 0) {
		printf("server: failed=\"%s\"\n", err);
		return 1;
	}
	server_addr(&sin, port);
	listen_fd = e.api->socket(AF_INET);
	if (listen_fd < 0 || e.api->bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    e.api->listen(listen_fd, 1) < 0) {
		printf("server: failed=\"listener: %s\"\n", strerror(errno));
		return 1;
	}
	if (write(fds[0], "L", 1) != 1) {
		printf("server: failed=\"telling the client: %s\"\n", strerror(errno));
		return 1;
	}
	if (wait_for(&e, listen_fd, POLLIN, "waiting for the client") == 0) {
		e.fd = e.api->accept(listen_fd);
		if (e.fd < 0)
			end_fail(&e, "accept", errno);
	}
	if (e.why[0] != '\0' || server_steps(&e, sc, queues) < 0) {
		printf("server: failed=\"%s\"\n", e.why);
		return 1;
	}
	close_ns = now_ns();
	close_rc = e.api->close(e.fd);
	close_errno = close_rc < 0 ? errno : 0;
	close_ns = now_ns() - close_ns;
	if (sc == SCENARIO_LINGER0_PENDING && write(fds[1], "C", 1) != 1) {
		printf("server: failed=\"telling the client: %s\"\n", strerror(errno));
		return 1;
	}
	/* The client's end, then time for lwIP's answers to its last segments. */
	status = reap(client, e.deadline_ns);
	*reaped = true;
	if (status < 0) {
		printf("server: failed=\"the client did not end\"\n");
		return 1;
	}
	nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = SETTLE_MS * 1000000L }, NULL);
	stack_lwip_stop();
	if (e.api->version(version, sizeof(version)) < 0)
		snprintf(version, sizeof(version), "?");
	printf("server: stack=%s-%s scenario=%s unread=%d unacked=%d unsent=%d "
	    "close_rc=%d close_errno=%s close_ms=%lld\n", e.api->name, version,
	    scenario_names[sc], queues[0], queues[1], queues[2], close_rc,
	    close_rc < 0 ? strerror(close_errno) : "0", (long long)(close_ns / 1000000));
	return status == 0 ? 0 : 1;
}

/* A child running the capture; once it taps, returns its pid (or -1). */
static pid_t
capture_start(const char *tap, uint16_t port, const char *path, const uint8_t *nonce)
{
	int ready[2], pcap_fd, rc;
	pid_t pid;

	pcap_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (pcap_fd < 0) {
		printf("capture: failed=\"%s: %s\"\n", path, strerror(errno));
		return -1;
	}
	if (pipe(ready) < 0) {
		printf("capture: failed=\"pipe: %s\"\n", strerror(errno));
		close(pcap_fd);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		alarm(DEADLINE_S + 5);	/* a last bound, whatever happens */
		rc = capture_run(tap, port, pcap_fd, nonce, ready[1]);
		fflush(stdout);
		_exit(rc);
	}
	close(pcap_fd);
	close(ready[1]);
	if (pid < 0 || wait_byte(ready[0]) < 0) {
		if (pid > 0)
			reap(pid, now_ns());
		else
			printf("capture: failed=\"fork: %s\"\n", strerror(errno));
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

int
main(int argc, char **argv)
{
	int ready[2], closed[2], to_client[2], sc, rc, cap_rc;
	uint8_t nonce[CAPTURE_NONCE_SIZE];
	bool reaped = false;
	pid_t pid, cap_pid;
	unsigned long port;
	char *end;

	if (argc != 5)
		goto usage;
	for (sc = 0; sc < SCENARIO_COUNT; sc++)
		if (strcmp(argv[1], scenario_names[sc]) == 0)
			break;
	port = strtoul(argv[3], &end, 10);
	if (sc == SCENARIO_COUNT || *end != '\0' || port == 0 || port > 65535)
		goto usage;
	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce)) {
		perror("lwip-try: getrandom");
		return 1;
	}
	if (pipe(ready) < 0 || pipe(closed) < 0) {
		perror("lwip-try: pipe");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	cap_pid = capture_start(argv[2], (uint16_t)port, argv[4], nonce);
	if (cap_pid < 0)
		return 1;
	fflush(NULL);
	/* The client next: after lwIP starts, this process has threads. */
	pid = fork();
	if (pid < 0) {
		perror("lwip-try: fork");
		reap(cap_pid, now_ns());
		return 1;
	}
	if (pid == 0) {
		close(ready[1]);
		close(closed[1]);
		alarm(DEADLINE_S + 5);
		rc = client_run((enum scenario)sc, (uint16_t)port, ready[0], closed[0]);
		fflush(stdout);
		_exit(rc == 0 ? 0 : 1);
	}
	close(ready[0]);
	close(closed[0]);
	to_client[0] = ready[1];
	to_client[1] = closed[1];
	alarm(DEADLINE_S + 10);
	rc = server_run((enum scenario)sc, argv[2], (uint16_t)port, to_client, pid, &reaped);
	fflush(stdout);
	if (!reaped)
		reap(pid, now_ns());
	if (send_sentinel(nonce) < 0)
		printf("capture: failed=\"sending the sentinel: %s\"\n", strerror(errno));
	cap_rc = reap(cap_pid, now_ns() + 3 * 1000000000LL);
	return rc == 0 && cap_rc == 0 ? 0 : 1;

usage:
	fprintf(stderr, "usage: lwip-try unread|linger0|linger0-pending|clean TAP PORT PCAP\n");
	return 2;
}
