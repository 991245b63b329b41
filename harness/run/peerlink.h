/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peerlink.h - the peer's end of the peer protocol ("closeprobe peer"):
 * one role of one case, run by the same interpreter as a local role
 * (role_run(), role.h) behind a struct role_io carried over the protocol.
 *
 * The peer says hello (its platform, the steps and options it supports),
 * reads the case's text and its role, sets up the role's socket (the
 * server's listener, bound to the address it is given), and on "start"
 * forks the role's process (and, once it has sent the ledger, stays until
 * the coordinator closes the stream, at most 10 s).  That process raises
 * events with "raise N"
 * lines and records its ledger in memory shared with the peer's main
 * process, which relays "event N" from the coordinator into the role's
 * waits and, once the role has ended, sends the ledger as one JSON line.
 * No capture and no namespace here: the coordinator has those.
 */
#ifndef peerlink_h
#define peerlink_h

#include <stddef.h>

/*
 * Serve one case over in_fd (what the coordinator sends) and out_fd
 * (what the peer answers).  0 when the case ran and its ledger was sent;
 * -1 with err (also sent as an "error" line when the coordinator can
 * still read it); 1 when the peer could not run the case ("unsupported"
 * was sent, err says why).
 */
int peer_serve(int in_fd, int out_fd, char *err, size_t errlen);

#endif /* peerlink_h */
