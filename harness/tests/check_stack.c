/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_stack.c - the socket-API tables: what each stack says it can do,
 * and the kernel's table driving a real connection on loopback.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "case.h"
#include "role.h"
#include "sockapi.h"
#if HAVE_LWIP
#include "lwip.h"
#endif
#include "testutil.h"

static void
check_table(const struct sockapi *api)
{
	char version[64];
	int op;

	ck_assert_ptr_nonnull(api->name);
	ck_assert_int_eq(api->version(version, sizeof(version)), 0);
	ck_assert_uint_gt(strlen(version), 0);
	ck_assert_int_eq(api->version(version, 1), -1);
	for (op = 0; op < SOCKAPI_OP_COUNT; op++) {
		const char *why = sockapi_why_unsupported(api, (enum sockapi_op)op);

		ck_assert_str_ne(sockapi_op_name((enum sockapi_op)op), "?");
		ck_assert(sockapi_supports(api, (enum sockapi_op)op) == (why == NULL));
		if (why != NULL)
			ck_assert_uint_gt(strlen(why), 0);
	}
	ck_assert(!sockapi_supports(api, SOCKAPI_OP_COUNT));
	ck_assert_str_eq(sockapi_op_name(SOCKAPI_OP_COUNT), "?");
}

START_TEST(test_kernel_supports_everything)
{
	int op;

	check_table(&sockapi_kernel);
	ck_assert_str_eq(sockapi_kernel.name, "linux");
	for (op = 0; op < SOCKAPI_OP_COUNT; op++)
		ck_assert(sockapi_supports(&sockapi_kernel, (enum sockapi_op)op));
}
END_TEST

START_TEST(test_option_and_queue_ops)
{
	ck_assert_int_eq(sockapi_option_op(SOCKAPI_OPT_RCVBUF), SOCKAPI_SET_RCVBUF);
	ck_assert_int_eq(sockapi_option_op(SOCKAPI_OPT_SNDBUF), SOCKAPI_SET_SNDBUF);
	ck_assert_int_eq(sockapi_option_op(SOCKAPI_OPT_NODELAY), SOCKAPI_SET_NODELAY);
	ck_assert_int_eq(sockapi_option_op(SOCKAPI_OPT_CORK), SOCKAPI_SET_CORK);
	ck_assert_int_eq(sockapi_option_op(SOCKAPI_OPT_LINGER), SOCKAPI_SET_LINGER);
	ck_assert_int_eq(sockapi_queue_op(SOCKAPI_QUEUE_UNREAD), SOCKAPI_UNREAD);
	ck_assert_int_eq(sockapi_queue_op(SOCKAPI_QUEUE_UNACKED), SOCKAPI_UNACKED);
	ck_assert_int_eq(sockapi_queue_op(SOCKAPI_QUEUE_UNSENT), SOCKAPI_UNSENT);
	ck_assert_str_eq(sockapi_op_name(SOCKAPI_RECV_PEEK), "recv-peek");
}
END_TEST

#if HAVE_LWIP
START_TEST(test_lwip_table)
{
	static const enum sockapi_op cannot[] = { SOCKAPI_DUP, SOCKAPI_SEND_MORE,
		SOCKAPI_SET_RCVBUF, SOCKAPI_SET_SNDBUF, SOCKAPI_SET_CORK, SOCKAPI_POLL_RDHUP,
		SOCKAPI_FORK, SOCKAPI_SIGPIPE };
	static const enum sockapi_op can[] = { SOCKAPI_SOCKET, SOCKAPI_BIND,
		SOCKAPI_LISTEN, SOCKAPI_ACCEPT, SOCKAPI_CONNECT, SOCKAPI_LOCAL_ADDR,
		SOCKAPI_SEND, SOCKAPI_SEND_DONTWAIT, SOCKAPI_RECV, SOCKAPI_RECV_DONTWAIT,
		SOCKAPI_RECV_PEEK, SOCKAPI_SHUTDOWN, SOCKAPI_CLOSE, SOCKAPI_SET_LINGER,
		SOCKAPI_SET_NODELAY, SOCKAPI_SET_NONBLOCK, SOCKAPI_SO_ERROR, SOCKAPI_UNREAD,
		SOCKAPI_UNACKED, SOCKAPI_UNSENT, SOCKAPI_POLL };
	char version[16];
	size_t i;

	check_table(&stack_lwip_sockapi);
	ck_assert_str_eq(stack_lwip_sockapi.name, "lwip");
	ck_assert_int_eq(stack_lwip_sockapi.version(version, sizeof(version)), 0);
	ck_assert_str_eq(version, "2.1.3");
	for (i = 0; i < sizeof(cannot) / sizeof(cannot[0]); i++)
		ck_assert(!sockapi_supports(&stack_lwip_sockapi, cannot[i]));
	for (i = 0; i < sizeof(can) / sizeof(can[0]); i++)
		ck_assert(sockapi_supports(&stack_lwip_sockapi, can[i]));
	ck_assert_uint_eq(sizeof(cannot) / sizeof(cannot[0]) + sizeof(can) / sizeof(can[0]),
	    SOCKAPI_OP_COUNT);
	/* Unsupported calls fail without reaching lwIP (not started here). */
	errno = 0;
	ck_assert_int_eq(stack_lwip_sockapi.dup(3), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
}
END_TEST

START_TEST(test_lwip_start_needs_a_tap)
{
	char err[256];

	ck_assert_int_eq(stack_lwip_start("tap0", "198.18.0.300", "255.255.255.0",
	    "198.18.0.1", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not an IPv4 address"));
	ck_assert_int_eq(stack_lwip_start("closeprobe-none", "198.18.0.2",
	    "255.255.255.0", "198.18.0.1", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no TAP device 'closeprobe-none'"));
	ck_assert_int_eq(stack_lwip_start("a-name-far-too-long-for-ifr", "198.18.0.2",
	    "255.255.255.0", "198.18.0.1", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "too long"));
	stack_lwip_stop();	/* never started: nothing to do */
}
END_TEST
#endif

/* A connected pair through the kernel's table: listener, client, server. */
struct pair {
	int listener, client, server;
};

static void
pair_open(const struct sockapi *api, struct pair *p)
{
	struct sockaddr_storage addr;
	struct sockaddr_in sin;
	socklen_t len;
	short revents = 0;
	int error = -1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->listener = api->socket(AF_INET);
	ck_assert_int_ge(p->listener, 0);
	ck_assert_int_eq(api->bind(p->listener, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(api->listen(p->listener, 1), 0);
	ck_assert_int_eq(api->local_addr(p->listener, &addr, &len), 0);
	ck_assert_uint_eq(len, sizeof(sin));
	ck_assert_uint_ne(((struct sockaddr_in *)&addr)->sin_port, 0);
	p->client = api->socket(AF_INET);
	ck_assert_int_ge(p->client, 0);
	ck_assert_int_eq(api->set_nonblock(p->client, true), 0);
	if (api->connect(p->client, (struct sockaddr *)&addr, len) < 0)
		ck_assert_int_eq(errno, EINPROGRESS);
	ck_assert_int_eq(api->poll(p->client, POLLOUT, &revents, 2000), 1);
	ck_assert(revents & POLLOUT);
	ck_assert_int_eq(api->so_error(p->client, &error), 0);
	ck_assert_int_eq(error, 0);
	ck_assert_int_eq(api->set_nonblock(p->client, false), 0);
	ck_assert_int_eq(api->poll(p->listener, POLLIN, &revents, 2000), 1);
	p->server = api->accept(p->listener);
	ck_assert_int_ge(p->server, 0);
}

static void
pair_close(const struct sockapi *api, struct pair *p)
{
	ck_assert_int_eq(api->close(p->server), 0);
	ck_assert_int_eq(api->close(p->client), 0);
	ck_assert_int_eq(api->close(p->listener), 0);
}

static int
queue_of(const struct sockapi *api, int fd, enum sockapi_queue q)
{
	int bytes = -1;

	ck_assert_int_eq(api->queue(fd, q, &bytes), 0);
	return bytes;
}

START_TEST(test_kernel_connection)
{
	const struct sockapi *api = &sockapi_kernel;
	char buf[64];
	short revents = 0;
	struct pair p;
	int dup_fd, i;

	pair_open(api, &p);
	ck_assert_int_eq(api->send(p.client, "hello", 5, SOCKAPI_MSG_NOSIGNAL), 5);
	ck_assert_int_eq(api->poll(p.server, POLLIN, &revents, 2000), 1);
	/* The loopback delivers at once; a peek leaves the bytes queued. */
	for (i = 0; i < 200 && queue_of(api, p.server, SOCKAPI_QUEUE_UNREAD) < 5; i++)
		ck_assert_int_eq(api->poll(p.server, POLLIN, &revents, 10), 1);
	ck_assert_int_eq(api->recv(p.server, buf, sizeof(buf), SOCKAPI_MSG_PEEK), 5);
	ck_assert_int_eq(queue_of(api, p.server, SOCKAPI_QUEUE_UNREAD), 5);
	ck_assert_int_eq(api->recv(p.server, buf, sizeof(buf), 0), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(api->recv(p.server, buf, sizeof(buf), SOCKAPI_MSG_DONTWAIT), -1);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
	ck_assert_int_eq(queue_of(api, p.server, SOCKAPI_QUEUE_UNREAD), 0);
	ck_assert_int_ge(queue_of(api, p.client, SOCKAPI_QUEUE_UNACKED), 0);
	ck_assert_int_ge(queue_of(api, p.client, SOCKAPI_QUEUE_UNSENT), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_RCVBUF, false, 65536), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_SNDBUF, false, 65536), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_NODELAY, true, 0), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_CORK, true, 0), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_CORK, false, 0), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_LINGER, true, 5), 0);
	ck_assert_int_eq(api->set_option(p.server, SOCKAPI_OPT_LINGER, false, 0), 0);
	ck_assert_int_eq(api->send(p.server, "ab", 2, SOCKAPI_MSG_MORE | SOCKAPI_MSG_DONTWAIT), 2);
	dup_fd = api->dup(p.server);
	ck_assert_int_gt(dup_fd, p.server);
	ck_assert_int_eq(api->close(dup_fd), 0);
	/* The client's FIN: the server reads EOF and sees the hangup. */
	ck_assert_int_eq(api->shutdown(p.client, SHUT_WR), 0);
	ck_assert_int_eq(api->poll(p.server, POLLIN | POLLRDHUP, &revents, 2000), 1);
	ck_assert(revents & POLLRDHUP);
	ck_assert_int_eq(api->recv(p.server, buf, sizeof(buf), 0), 0);
	pair_close(api, &p);
}
END_TEST

START_TEST(test_kernel_errors)
{
	const struct sockapi *api = &sockapi_kernel;
	char buf[4];
	int bytes;

	errno = 0;
	ck_assert_int_eq(api->recv(-1, buf, sizeof(buf), 0), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(api->queue(-1, SOCKAPI_QUEUE_UNSENT, &bytes), -1);
	ck_assert_int_eq(api->set_option(-1, (enum sockapi_option)99, true, 0), -1);
	ck_assert_int_eq(errno, ENOPROTOOPT);
	ck_assert_int_eq(api->set_nonblock(-1, true), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* role_check_api() on the case text: 0, or -1 with why. */
static int
check_case(const char *text, const struct sockapi *api, char *why, size_t size)
{
	struct case_error err;
	struct case_file *cf = case_parse_string("t.case", text, strlen(text), &err);
	int rc;

	ck_assert_msg(cf != NULL, "parse: %s", err.msg);
	why[0] = '\0';
	rc = role_check_api(cf, ROLE_SERVER, api, why, size);
	case_free(cf);
	return rc;
}

#define CASE_HEAD "case t\nclient: connect\n        recv all\n"

START_TEST(test_check_api_kernel_runs_everything)
{
	char why[256];

	ck_assert_int_eq(check_case(CASE_HEAD "server: accept\n        dup\n        close\n"
	    "        close\nexpect: teardown fin\n", &sockapi_kernel, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
}
END_TEST

#if HAVE_LWIP
START_TEST(test_check_api_lwip_names_the_step)
{
	char why[256];

	ck_assert_int_eq(check_case(CASE_HEAD "server: accept\n        send 10\n        dup\n"
	    "        close\n        close\nexpect: teardown fin\n", &stack_lwip_sockapi, why,
	    sizeof(why)), -1);
	ck_assert_str_eq(why, "server step 3 'dup': lwIP's sockets have no dup()");
	ck_assert_int_eq(check_case(CASE_HEAD "server: set cork on\n        accept\n"
	    "        close\nexpect: teardown fin\n", &stack_lwip_sockapi, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "server step 1 'set cork on': lwIP has no TCP_CORK");
	/* More unread than lwIP's window can ever hold; 64 KiB - 1 can. */
	ck_assert_int_eq(check_case(CASE_HEAD "server: accept\n        await unread 64KiB\n"
	    "        close\nexpect: teardown fin\n", &stack_lwip_sockapi, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "server step 2 'await unread 64KiB': lwip holds at most 65535 B "
	    "unread (its receive window)");
	ck_assert_int_eq(check_case(CASE_HEAD "server: accept\n        await unread 65535\n"
	    "        close\nexpect: teardown fin\n", &stack_lwip_sockapi, why, sizeof(why)), 0);
	/* "set sigpipe ignore" asks nothing of lwIP; "default" does. */
	ck_assert_int_eq(check_case(CASE_HEAD "server: set sigpipe ignore\n        accept\n"
	    "        close\nexpect: teardown fin\n", &stack_lwip_sockapi, why, sizeof(why)), 0);
	ck_assert_int_eq(check_case(CASE_HEAD "server: set sigpipe default\n        accept\n"
	    "        close\nexpect: teardown fin\n", &stack_lwip_sockapi, why, sizeof(why)), -1);
}
END_TEST

START_TEST(test_check_api_lwip_other_end_and_expectations)
{
	char why[256];

	/* The client's dup runs on the kernel: not lwIP's business. */
	ck_assert_int_eq(check_case("case t\nclient: connect\n        dup\n        close\n"
	    "        close\nserver: accept\n        recv all\n        close\n"
	    "expect: teardown fin\n", &stack_lwip_sockapi, why, sizeof(why)), 0);
	/* lwIP's poll() reports no POLLHUP: an expectation on it cannot hold. */
	ck_assert_int_eq(check_case(CASE_HEAD "server: accept\n        poll\n        close\n"
	    "expect: server.poll includes POLLIN POLLHUP\n", &stack_lwip_sockapi, why,
	    sizeof(why)), -1);
	ck_assert_str_eq(why, "line 7 'server.poll includes POLLIN POLLHUP': lwIP's poll() "
	    "reports POLLIN, POLLOUT and POLLERR only");
	ck_assert_int_eq(check_case("case t\nclient: connect\n        poll\n"
	    "        recv all\nserver: accept\n        close\n"
	    "expect: client.poll includes POLLHUP\n", &stack_lwip_sockapi, why,
	    sizeof(why)), 0);
}
END_TEST
#endif

static Suite *
stack_suite(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("tables");

	tcase_add_test(tc, test_kernel_supports_everything);
	tcase_add_test(tc, test_option_and_queue_ops);
#if HAVE_LWIP
	tcase_add_test(tc, test_lwip_table);
	tcase_add_test(tc, test_lwip_start_needs_a_tap);
#endif
	suite_add_tcase(s, tc);

	tc = tcase_create("check_api");
	tcase_add_test(tc, test_check_api_kernel_runs_everything);
#if HAVE_LWIP
	tcase_add_test(tc, test_check_api_lwip_names_the_step);
	tcase_add_test(tc, test_check_api_lwip_other_end_and_expectations);
#endif
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel");
	tcase_add_test(tc, test_kernel_connection);
	tcase_add_test(tc, test_kernel_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(stack_suite());
}
