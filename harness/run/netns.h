/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netns.h - a fresh network namespace for each case.
 *
 * The calling process (the case's coordinator, forked for this purpose)
 * moves into a new network namespace with only "lo", brought up.  Its
 * packets, ports and TCP counters belong to the case alone, and the
 * namespace disappears with its last process: nothing to clean up.
 * Without CAP_SYS_ADMIN the process first enters a new user namespace in
 * which it is root (as "unshare -Urn" does).
 */
#ifndef netns_h
#define netns_h

#include <stddef.h>

enum netns_result {
	NETNS_OK,
	NETNS_UNSUPPORTED,	/* the kernel or its policy forbids it: skip */
	NETNS_FAILED		/* anything else: an error */
};

/*
 * Each namespace made here has a small TCP socket table of its own
 * (net.ipv4.tcp_child_ehash_entries, set in its parent): a look at the
 * case's sockets (/proc/net/tcp, a dump) walks a few buckets rather than
 * every bucket of the host's table.  The limits the kernel derives from a
 * table's size (tcp_max_tw_buckets, tcp_max_syn_backlog) are set back to
 * what a namespace sharing the host's table gets: the stack behaves as
 * before.  Where the kernel has no such sysctl, the table is the host's.
 */
enum netns_result netns_enter_fresh(char *errbuf, size_t errbuf_size);

/* From a namespace netns_enter_fresh() made: move the calling thread into
 * one more like it (lo up, a table of its own).  0, or -1 with errbuf. */
int netns_enter_child(char *errbuf, size_t errbuf_size);

#endif /* netns_h */
