/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bulk-bare.c - the floor bench/bulk compares a bulk case against: one
 * connection on loopback, the client sends BYTES in chunks of 256 KiB
 * (the roles' size), the server reads them to EOF, both close.  No
 * pattern, no harness.
 *
 *   bulk-bare [--mtu MTU] BYTES
 *	the transfer alone.
 *   bulk-bare --capture [--rate BYTES_PER_S] [--mtu MTU] BYTES
 *	the same while this process captures it with libpcap as closeprobe
 *	does (its snap length, buffer, immediate mode, no outgoing copies on
 *	lo; written to /dev/null), pacing the sender at BYTES_PER_S if given: does the
 *	capture keep up, and from which rate does it drop?
 * Run it in a network namespace of its own (unshare -n): lo is brought
 * up, and with --mtu given MTU with GSO, TSO and GRO off (as a case's
 * "mtu" and "offloads off" make it), so that every segment is a packet.
 *
 * Prints one line: "bytes B seconds S rate R packets P dropped D"
 * (packets and dropped 0 without --capture).
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"	/* CAPTURE_SNAPLEN, CAPTURE_BUFFER: closeprobe's settings */

#define CHUNK (256 * 1024)

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bulk-bare: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* lo up; with mtu > 0 that MTU and no segmentation offloads. */
static void
loopback_setup(int mtu)
{
	static const unsigned offloads[] = { ETHTOOL_SGSO, ETHTOOL_STSO, ETHTOOL_SGRO };
	struct ifreq ifr;
	size_t i;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS lo");
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			die("bringing lo up");
	}
	if (mtu > 0) {
		ifr.ifr_mtu = mtu;
		if (ioctl(fd, SIOCSIFMTU, &ifr) < 0)
			die("lo mtu");
		for (i = 0; i < sizeof(offloads) / sizeof(offloads[0]); i++) {
			struct ethtool_value ev = { .cmd = offloads[i], .data = 0 };

			ifr.ifr_data = (char *)&ev;
			if (ioctl(fd, SIOCETHTOOL, &ifr) < 0 && errno != EOPNOTSUPP)
				die("lo offloads");
		}
	}
	close(fd);
}

static void
client(const struct sockaddr_in *addr, uint64_t bytes, double rate)
{
	static char buf[CHUNK];
	uint64_t sent = 0;
	double start;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(buf, 'x', sizeof(buf));
	if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0)
		die("connect");
	start = now_s();
	while (sent < bytes) {
		size_t len = bytes - sent < CHUNK ? (size_t)(bytes - sent) : CHUNK;
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("send");
		sent += (uint64_t)n;
		if (rate > 0) {
			/* Paced: never ahead of BYTES_PER_S since the start. */
			double ahead = (double)sent / rate - (now_s() - start);

			if (ahead > 0) {
				struct timespec ts = { (time_t)ahead,
					(long)((ahead - (double)(time_t)ahead) * 1e9) };

				nanosleep(&ts, NULL);
			}
		}
	}
	if (close(fd) < 0)
		die("close");
}

static uint64_t
server(int listener)
{
	static char buf[CHUNK];
	uint64_t got = 0;
	ssize_t n;
	int fd = accept(listener, NULL, NULL);

	if (fd < 0)
		die("accept");
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		got += (uint64_t)n;
	}
	close(fd);
	return got;
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	pcap_dump(user, h, bytes);
}

static pcap_t *
open_capture(uint16_t port, pcap_dumper_t **dumper)
{
	char err[PCAP_ERRBUF_SIZE], filter[64];
	struct bpf_program prog;
	pcap_t *p = pcap_create("lo", err);

	if (p == NULL) {
		fprintf(stderr, "bulk-bare: pcap_create: %s\n", err);
		exit(1);
	}
	if (pcap_set_snaplen(p, CAPTURE_SNAPLEN) != 0 || pcap_set_promisc(p, 0) != 0 ||
	    pcap_set_timeout(p, 100) != 0 || pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_buffer_size(p, CAPTURE_BUFFER) != 0 || pcap_activate(p) < 0) {
		fprintf(stderr, "bulk-bare: capture on lo: %s\n", pcap_geterr(p));
		exit(1);
	}
	/* As closeprobe's capture on lo: no outgoing copies from the kernel. */
	{
		int one = 1;

		if (setsockopt(pcap_get_selectable_fd(p), SOL_PACKET, PACKET_IGNORE_OUTGOING,
		    &one, sizeof(one)) < 0 && errno != ENOPROTOOPT)
			die("PACKET_IGNORE_OUTGOING");
	}
	snprintf(filter, sizeof(filter), "tcp port %u", port);
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(p, &prog) < 0 || pcap_setnonblock(p, 1, err) < 0) {
		fprintf(stderr, "bulk-bare: filter: %s\n", pcap_geterr(p));
		exit(1);
	}
	pcap_freecode(&prog);
	*dumper = pcap_dump_open(p, "/dev/null");
	if (*dumper == NULL) {
		fprintf(stderr, "bulk-bare: pcap_dump_open: %s\n", pcap_geterr(p));
		exit(1);
	}
	return p;
}

/* Read the capture until both children have ended; the packets counted. */
static uint64_t
pump_until_done(pcap_t *p, pcap_dumper_t *dumper, pid_t a, pid_t b)
{
	struct pollfd pfd = { pcap_get_selectable_fd(p), POLLIN, 0 };
	uint64_t packets = 0;
	int left = 2, status, n;

	for (;;) {
		while ((n = pcap_dispatch(p, -1, on_packet, (u_char *)dumper)) > 0)
			packets += (uint64_t)n;
		if (n < 0) {
			fprintf(stderr, "bulk-bare: pcap_dispatch: %s\n", pcap_geterr(p));
			exit(1);
		}
		if (left == 0)
			return packets;
		while (left > 0) {
			pid_t pid = waitpid(-1, &status, WNOHANG);

			if (pid <= 0)
				break;
			if ((pid == a || pid == b) && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
				fprintf(stderr, "bulk-bare: a child failed\n");
				exit(1);
			}
			left--;
		}
		if (left > 0 && poll(&pfd, 1, 5) < 0 && errno != EINTR)
			die("poll");
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	uint64_t bytes, got = 0, packets = 0;
	struct pcap_stat ps = { 0, 0, 0 };
	pcap_dumper_t *dumper = NULL;
	pcap_t *p = NULL;
	int capture = 0, mtu = 0, lfd, i = 1, status;
	double rate = 0, t0, t1;
	pid_t c, s;

	for (; i < argc - 1; i++) {
		if (strcmp(argv[i], "--capture") == 0)
			capture = 1;
		else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc - 1)
			rate = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--mtu") == 0 && i + 1 < argc - 1)
			mtu = atoi(argv[++i]);
		else
			break;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: bulk-bare [--capture [--rate BYTES_PER_S]] [--mtu MTU] BYTES\n");
		return 2;
	}
	bytes = strtoull(argv[i], NULL, 10);
	loopback_setup(mtu);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(lfd, 1) < 0 || getsockname(lfd, (struct sockaddr *)&addr, &len) < 0)
		die("listener");
	if (capture)
		p = open_capture(ntohs(addr.sin_port), &dumper);
	t0 = now_s();
	c = fork();
	if (c < 0)
		die("fork");
	if (c == 0) {
		client(&addr, bytes, rate);
		_exit(0);
	}
	if (!capture) {
		got = server(lfd);
		if (waitpid(c, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bulk-bare: the client failed\n");
			return 1;
		}
	} else {
		s = fork();
		if (s < 0)
			die("fork");
		if (s == 0)
			_exit(server(lfd) == bytes ? 0 : 1);
		packets = pump_until_done(p, dumper, c, s);
		got = bytes;	/* the server checked it */
		if (pcap_stats(p, &ps) < 0) {
			fprintf(stderr, "bulk-bare: pcap_stats: %s\n", pcap_geterr(p));
			return 1;
		}
	}
	t1 = now_s();
	if (got != bytes) {
		fprintf(stderr, "bulk-bare: read %llu of %llu bytes\n", (unsigned long long)got,
		    (unsigned long long)bytes);
		return 1;
	}
	printf("bytes %llu seconds %.6f rate %.0f packets %llu dropped %u\n",
	    (unsigned long long)bytes, t1 - t0, (double)bytes / (t1 - t0),
	    (unsigned long long)packets, ps.ps_drop);
	if (p != NULL) {
		pcap_dump_close(dumper);
		pcap_close(p);
	}
	return 0;
}
