/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kcounters.h - the network namespace's TCP counters, from
 * /proc/net/netstat (TcpExt: TCPAbortOnClose, TCPAbortOnData,
 * TCPAbortOnLinger, ...) and /proc/net/snmp (Tcp: OutRsts, EstabResets,
 * ...).  Each case has a namespace of its own, so the changes between two
 * snapshots belong to that case alone.
 */
#ifndef kcounters_h
#define kcounters_h

#include <stddef.h>
#include <stdint.h>

struct kcounter {
	char *name;		/* "TCPAbortOnClose", "OutRsts" */
	int64_t value;
};

struct kcounters {
	struct kcounter *items;
	size_t count;
};

/* Read the counters.  0 ok; -1 with errbuf on failure. */
int kcounters_read(struct kcounters *kc, char *errbuf, size_t errbuf_size);

/* delta = after - before, keeping only counters that changed. 0 ok, -1 ENOMEM. */
int kcounters_diff(const struct kcounters *before, const struct kcounters *after,
    struct kcounters *delta);

/* total += more, counter by counter (adding counters total lacks). 0 ok, -1 ENOMEM. */
int kcounters_accumulate(struct kcounters *total, const struct kcounters *more);

/* The value of name, 0 when absent (a counter that did not change). */
int64_t kcounters_get(const struct kcounters *kc, const char *name, int *found);

void kcounters_free(struct kcounters *kc);

#endif /* kcounters_h */
