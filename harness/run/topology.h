/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topology.h - the path between the two ends of a case.
 *
 * loopback: both ends in the coordinator's fresh namespace, on lo.
 * veth:     the client end stays in the coordinator's namespace; the
 *           server end gets a second fresh namespace; a veth pair joins
 *           them, with addresses that exist only there (198.18.0.0/24,
 *           2001:db8::/64).
 * routed:   the same ends, and a router namespace between them: two veth
 *           pairs and two subnets (198.18.0.0/24 and 198.18.1.0/24,
 *           2001:db8::/64 and 2001:db8:1::/64).  Impairments sit on the
 *           router, so a segment can leave one end's capture and never
 *           reach the other's.  MTU, offloads, per-case sysctls and
 *           impairments (tbf rate, nftables loss, netem delay where the
 *           kernel has it) are set up here, inside the case's namespaces.
 * Namespaces are held by open descriptors only: they vanish with the
 * coordinator, whatever happens to it.
 */
#ifndef topology_h
#define topology_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "case.h"

#define TOPOLOGY_IFNAME_SIZE 16

enum topology_result {
	TOPOLOGY_OK,
	TOPOLOGY_UNSUPPORTED,	/* the kernel lacks a feature the case needs: skip */
	TOPOLOGY_FAILED
};

struct topology {
	enum topology_kind kind;
	int family;				/* AF_INET or AF_INET6 */
	int ns_fd[ROLE_ENDS];			/* each end's network namespace */
	char ifname[ROLE_ENDS][TOPOLOGY_IFNAME_SIZE];	/* where to capture each end */
	int router_fd;				/* routed: the router's namespace, else -1 */
	/* Where impairments of the direction WRITER->reader sit, by writer: */
	int egress_ns[ROLE_ENDS];		/* rate, delay: on the way towards the reader */
	char egress_dev[ROLE_ENDS][TOPOLOGY_IFNAME_SIZE];
	int ingress_ns[ROLE_ENDS];		/* loss: where segments arrive */
	char ingress_dev[ROLE_ENDS][TOPOLOGY_IFNAME_SIZE];
	struct sockaddr_storage server_addr;	/* the server's address, port 0 */
	socklen_t addr_len;
	char *applied;				/* what was set up, for the evidence */
	bool stack_on_tap;			/* topology_build_tap(): the server is a
						 * userspace stack behind ifname */
};

/*
 * Build cf's topology around the calling process, which must already be
 * alone in a fresh network namespace with lo up (it becomes the client's).
 * On return the caller is back in the client's namespace.
 */
enum topology_result topology_build(const struct case_file *cf, int family,
    struct topology *t, char *errbuf, size_t errbuf_size);

/*
 * A userspace stack as the server end (closeprobe run --stack): one
 * namespace, the caller's, fresh with lo up; a TAP device tap_name in it
 * with the kernel's side TOPOLOGY_TAP_HOST/24, up; the server's address
 * TOPOLOGY_TAP_STACK, where the stack, attached to the device, answers.
 * Both ends' capture is the TAP device.  IPv4 only.
 */
#define TOPOLOGY_TAP_HOST "198.18.0.1"
#define TOPOLOGY_TAP_STACK "198.18.0.2"
#define TOPOLOGY_TAP_NETMASK "255.255.255.0"
/*
 * The TAP link's MTU: IPv4's minimum datagram, so that every frame the
 * kernel sends fits one pool buffer of Debian's liblwip 2.1.3.  Its TAP
 * driver copies a longer frame into a pbuf chain whose buffers are
 * shorter than lwIP believes (616-byte blocks; valgrind: "Invalid write"
 * in pbuf_take from the driver's thread), which corrupts the heap.  The
 * kernel then offers MSS 536, and lwIP sends no more either.
 */
#define TOPOLOGY_TAP_MTU "576"
enum topology_result topology_build_tap(const struct case_file *cf, int family,
    const char *tap_name, struct topology *t, char *errbuf, size_t errbuf_size);

/* Move the calling thread into end's namespace.  0 ok, -1 with errbuf. */
int topology_enter(const struct topology *t, enum role_id end, char *errbuf,
    size_t errbuf_size);

/* A socket of type bound to the server's address (the kernel picks the
 * port), in the current namespace; *addr gets the address bound.  The
 * descriptor, or -1 with errno.  With the server on a TAP link the
 * kernel's socket is bound to its own side of the link and *addr is the
 * stack's address with that port: sent there, a datagram crosses the
 * link, where the capture sees it. */
int topology_bind(const struct topology *t, int type, struct sockaddr_storage *addr);

/* The port of an address, in host order. */
uint16_t topology_port(const struct sockaddr_storage *addr);

/* True when both ends share one namespace (loopback). */
bool topology_shared(const struct topology *t);

void topology_free(struct topology *t);

#endif /* topology_h */
