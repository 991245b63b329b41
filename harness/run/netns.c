/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netns.c - entering a fresh network namespace with loopback up.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Become root of a new user namespace, mapped to our own ids. */
static enum netns_result
enter_user_namespace(char *errbuf, size_t errbuf_size)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		snprintf(errbuf, errbuf_size,
		    "cannot create a user and network namespace as an ordinary user (%s); "
		    "run as root, or allow unprivileged user namespaces "
		    "(sysctl kernel.unprivileged_userns_clone=1, "
		    "or user.max_user_namespaces > 0)", strerror(errno));
		return NETNS_UNSUPPORTED;
	}
	/* setgroups must be denied before an unprivileged gid_map is written. */
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT) {
		snprintf(errbuf, errbuf_size, "/proc/self/setgroups: %s", strerror(errno));
		return NETNS_FAILED;
	}
	snprintf(map, sizeof(map), "0 %lu 1", (unsigned long)uid);
	if (write_file("/proc/self/uid_map", map) < 0) {
		snprintf(errbuf, errbuf_size, "/proc/self/uid_map: %s", strerror(errno));
		return NETNS_FAILED;
	}
	snprintf(map, sizeof(map), "0 %lu 1", (unsigned long)gid);
	if (write_file("/proc/self/gid_map", map) < 0) {
		snprintf(errbuf, errbuf_size, "/proc/self/gid_map: %s", strerror(errno));
		return NETNS_FAILED;
	}
	return NETNS_OK;
}

static int
loopback_up(char *errbuf, size_t errbuf_size)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(errbuf, errbuf_size, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(errbuf, errbuf_size, "lo: SIOCGIFFLAGS: %s", strerror(errno));
		close(fd);
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(errbuf, errbuf_size, "lo: cannot bring it up: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * The TCP table of a case's namespace.  Few sockets live there: 1024
 * buckets keep every chain short; the host's table has 2^18 or so.
 */
#define CHILD_TABLE_ENTRIES "1024"
#define CHILD_TABLE_SYSCTL "/proc/sys/net/ipv4/tcp_child_ehash_entries"

/* The limits the kernel sets from the size of a namespace's table. */
static const char *const table_limits[] = {
	"/proc/sys/net/ipv4/tcp_max_tw_buckets",
	"/proc/sys/net/ipv4/tcp_max_syn_backlog",
};
#define TABLE_LIMITS (sizeof(table_limits) / sizeof(table_limits[0]))
#define LIMIT_TEXT_SIZE 32

static int
read_file(const char *path, char *text, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = read(fd, text, size - 1);
	saved = errno;
	close(fd);
	errno = saved;
	if (n <= 0) {
		if (n == 0)
			errno = EIO;
		return -1;
	}
	text[n] = '\0';
	return 0;
}

/* Namespaces made from the current one get a small table of their own;
 * false when the kernel cannot (no such sysctl, or not allowed here). */
static bool
children_get_small_tables(void)
{
	return write_file(CHILD_TABLE_SYSCTL, CHILD_TABLE_ENTRIES) == 0;
}

int
netns_enter_child(char *errbuf, size_t errbuf_size)
{
	char limits[TABLE_LIMITS][LIMIT_TEXT_SIZE];
	size_t i;

	for (i = 0; i < TABLE_LIMITS; i++)
		if (read_file(table_limits[i], limits[i], sizeof(limits[i])) < 0) {
			snprintf(errbuf, errbuf_size, "%s: %s", table_limits[i], strerror(errno));
			return -1;
		}
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(errbuf, errbuf_size, "another network namespace: %s", strerror(errno));
		return -1;
	}
	/* As the parent's, whatever the size of this one's table. */
	for (i = 0; i < TABLE_LIMITS; i++)
		if (write_file(table_limits[i], limits[i]) < 0) {
			snprintf(errbuf, errbuf_size, "%s: %s", table_limits[i], strerror(errno));
			return -1;
		}
	(void)children_get_small_tables();
	return loopback_up(errbuf, errbuf_size);
}

enum netns_result
netns_enter_fresh(char *errbuf, size_t errbuf_size)
{
	if (unshare(CLONE_NEWNET) < 0) {
		enum netns_result r;

		if (errno != EPERM) {
			snprintf(errbuf, errbuf_size, "cannot create a network namespace: %s",
			    strerror(errno));
			return errno == EINVAL || errno == ENOSYS ? NETNS_UNSUPPORTED : NETNS_FAILED;
		}
		r = enter_user_namespace(errbuf, errbuf_size);
		if (r != NETNS_OK)
			return r;
	}
	/* This namespace shares the host's table; a child of it need not. */
	if (children_get_small_tables())
		return netns_enter_child(errbuf, errbuf_size) < 0 ? NETNS_FAILED : NETNS_OK;
	if (loopback_up(errbuf, errbuf_size) < 0)
		return NETNS_FAILED;
	return NETNS_OK;
}
