/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_peer.h - "closeprobe peer": one role of a case, driven over the peer
 * protocol on standard input and output (see peerlink.h).
 */
#ifndef cmd_peer_h
#define cmd_peer_h

/* argv[0] is "peer".  Returns the exit status (enum exit_status). */
int cmd_peer(int argc, char **argv);

#endif /* cmd_peer_h */
