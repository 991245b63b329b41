/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_topology.c - the paths a case builds, built for real: fresh
 * namespaces (each with a TCP table of its own), a veth pair, nftables
 * loss on it.  Needs network namespaces
 * (root, or unprivileged user namespaces), ip(8) and nft(8); without them
 * the whole program is skipped.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "netns.h"
#include "testutil.h"
#include "topology.h"

enum { NOTHING_ARRIVES_MS = 300, ARRIVES_WITHIN_MS = 2000 };

static const char veth_case[] = "case t\ntopology veth\n%s\n"
    "client: connect\n        send 1\nserver: accept\n        recv all\n"
    "expect: teardown fin\n";

/* cf's topology, around this process moved to a fresh namespace first. */
static struct case_file *
build(const char *directive, struct topology *t, char *errbuf, size_t errbuf_size,
    enum topology_result *result)
{
	char text[512], nserr[256];
	struct case_error err;
	struct case_file *cf;

	snprintf(text, sizeof(text), veth_case, directive);
	cf = case_parse_string("t.case", text, strlen(text), &err);
	ck_assert_msg(cf != NULL, "parse: %s", err.msg);
	ck_assert_int_eq(netns_enter_fresh(nserr, sizeof(nserr)), NETNS_OK);
	*result = topology_build(cf, AF_INET, t, errbuf, errbuf_size);
	return cf;
}

static bool
readable_within(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1;
}

START_TEST(loss_all_drops_every_data_segment)
{
	struct sockaddr_storage addr, udp_addr;
	enum topology_result r;
	struct topology t;
	char err[1024], buf[64];
	struct case_file *cf = build("loss client->server 100%", &t, err, sizeof(err), &r);
	int listener, client, udp_rx, udp_tx;

	/* nft refused "numgen random mod 10000 < 10000" once. */
	ck_assert_msg(r == TOPOLOGY_OK, "topology: %s", err);
	ck_assert_msg(strstr(t.applied, "nftables drops 100.00% of data segments arriving at "
	    "cp-s") != NULL, "applied: %s", t.applied);
	ck_assert_int_eq(topology_enter(&t, ROLE_SERVER, err, sizeof(err)), 0);
	listener = topology_bind(&t, SOCK_STREAM, &addr);
	ck_assert_int_ge(listener, 0);
	ck_assert_int_eq(listen(listener, 1), 0);
	udp_rx = topology_bind(&t, SOCK_DGRAM, &udp_addr);
	ck_assert_int_ge(udp_rx, 0);
	ck_assert_int_eq(topology_enter(&t, ROLE_CLIENT, err, sizeof(err)), 0);
	client = socket(addr.ss_family, SOCK_STREAM, 0);
	ck_assert_int_ge(client, 0);
	/* SYN and SYN+ACK get through: the rule spares SYN, FIN and RST. */
	ck_assert_int_eq(connect(client, (struct sockaddr *)&addr, t.addr_len), 0);
	ck_assert_int_eq(send(client, "lost", 4, 0), 4);
	/* The path itself works (the rule is TCP's only) ... */
	udp_tx = socket(udp_addr.ss_family, SOCK_DGRAM, 0);
	ck_assert_int_ge(udp_tx, 0);
	ck_assert_int_eq(sendto(udp_tx, "path", 4, 0, (struct sockaddr *)&udp_addr,
	    t.addr_len), 4);
	ck_assert(readable_within(udp_rx, ARRIVES_WITHIN_MS));
	ck_assert_int_eq(recv(udp_rx, buf, sizeof(buf), 0), 4);
	/* ... but neither the ACK that ends the handshake nor the data does:
	 * the server never has a connection to accept. */
	ck_assert_msg(!readable_within(listener, NOTHING_ARRIVES_MS),
	    "a segment without SYN, FIN or RST crossed a 100 %% loss");
	close(udp_tx);
	close(udp_rx);
	close(client);
	close(listener);
	topology_free(&t);
	case_free(cf);
}
END_TEST

START_TEST(loss_part_is_a_random_draw)
{
	enum topology_result r;
	struct topology t;
	char err[1024];
	struct case_file *cf = build("loss server->client 0.5%", &t, err, sizeof(err), &r);

	ck_assert_msg(r == TOPOLOGY_OK, "topology: %s", err);
	ck_assert_msg(strstr(t.applied, "nftables drops 0.50% of data segments arriving at "
	    "cp-c") != NULL, "applied: %s", t.applied);
	topology_free(&t);
	case_free(cf);
}
END_TEST

/* A sysctl of the current namespace, as a number. */
static long
sysctl_value(const char *name)
{
	char path[256];
	long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", name);
	f = fopen(path, "re");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fscanf(f, "%ld", &v), 1);
	fclose(f);
	return v;
}

struct table_view {
	long entries;		/* tcp_ehash_entries: negative when shared */
	long tw_buckets, syn_backlog;
};

static void
table_view(struct table_view *v)
{
	v->entries = sysctl_value("tcp_ehash_entries");
	v->tw_buckets = sysctl_value("tcp_max_tw_buckets");
	v->syn_backlog = sysctl_value("tcp_max_syn_backlog");
}

/* What a namespace sharing the host's table sees (made in a child). */
static void
shared_table_view(struct table_view *v)
{
	int pipefd[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct table_view mine;

		/* An ordinary user needs a user namespace to own the new one. */
		if (unshare(CLONE_NEWNET) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			_exit(1);
		table_view(&mine);
		_exit(write(pipefd[1], &mine, sizeof(mine)) == (ssize_t)sizeof(mine) ? 0 : 1);
	}
	close(pipefd[1]);
	ck_assert_int_eq(read(pipefd[0], v, sizeof(*v)), (ssize_t)sizeof(*v));
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(namespaces_have_small_tables_and_shared_limits)
{
	struct table_view shared, end;
	enum topology_result r;
	struct topology t;
	char err[1024];
	struct case_file *cf;
	int e;

	shared_table_view(&shared);
	ck_assert_int_lt(shared.entries, 0);
	cf = build("", &t, err, sizeof(err), &r);
	ck_assert_msg(r == TOPOLOGY_OK, "topology: %s", err);
	/* Both ends of a veth path: the client's namespace (netns_enter_fresh)
	 * and the server's (made from it). */
	for (e = 0; e < ROLE_ENDS; e++) {
		ck_assert_int_eq(topology_enter(&t, (enum role_id)e, err, sizeof(err)), 0);
		table_view(&end);
		/* (A kernel without tcp_child_ehash_entries shares its table.) */
		if (access("/proc/sys/net/ipv4/tcp_child_ehash_entries", F_OK) == 0)
			ck_assert_int_eq(end.entries, 1024);
		else
			ck_assert_int_eq(end.entries, shared.entries);
		ck_assert_int_eq(end.tw_buckets, shared.tw_buckets);
		ck_assert_int_eq(end.syn_backlog, shared.syn_backlog);
	}
	topology_free(&t);
	case_free(cf);
}
END_TEST

/* Is prog an executable on $PATH? */
static bool
on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[4096], file[4096 + 64];

	while (path != NULL && *path != '\0') {
		size_t len = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)len, path);
		snprintf(file, sizeof(file), "%s/%s", len > 0 ? dir : ".", prog);
		if (access(file, X_OK) == 0)
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

/* Can this process build a veth topology?  Tried in a child of its own. */
static bool
veth_possible(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		static const char text[] = "case t\ntopology veth\nclient: connect\n"
		    "server: accept\nexpect: teardown fin\n";
		struct case_error cerr;
		struct case_file *cf = case_parse_string("t.case", text, strlen(text), &cerr);
		struct topology t;
		char err[1024];

		_exit(cf != NULL && netns_enter_fresh(err, sizeof(err)) == NETNS_OK &&
		    topology_build(cf, AF_INET, &t, err, sizeof(err)) == TOPOLOGY_OK ? 0 : 1);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0;
}

static Suite *
topology_suite(void)
{
	Suite *s = suite_create("topology");
	TCase *tc = tcase_create("loss");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, loss_all_drops_every_data_segment);
	tcase_add_test(tc, loss_part_is_a_random_draw);
	suite_add_tcase(s, tc);
	tc = tcase_create("namespaces");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, namespaces_have_small_tables_and_shared_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* TAP's way of skipping a whole program. */
	if (!on_path("nft") || !veth_possible()) {
		printf("1..0 # SKIP needs network namespaces, veth, ip(8) and nft(8)\n");
		return 0;
	}
	return test_run_suite(topology_suite());
}
