/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * procnet.h - how many bytes a running case has put on its links, seen
 * from outside through /proc, for the progress line: the IP output
 * octets (IpExt OutOctets) of every network namespace the processes
 * below a worker are in, other than closeprobe's own.  A fresh namespace
 * counts from 0, so the sum is the case's traffic.
 */
#ifndef procnet_h
#define procnet_h

#include <sys/types.h>

#include <stdint.h>

/* The octets sent in the namespaces of root's descendants: 0 and *octets,
 * or -1 when /proc could not be read. */
int procnet_tree_octets(pid_t root, uint64_t *octets);

#endif /* procnet_h */
