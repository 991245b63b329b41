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

enum netns_result netns_enter_fresh(char *errbuf, size_t errbuf_size);

#endif /* netns_h */
