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
	if (loopback_up(errbuf, errbuf_size) < 0)
		return NETNS_FAILED;
	return NETNS_OK;
}
