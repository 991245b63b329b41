/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remote.h - the coordinator's side of a peer ("closeprobe run --peer
 * COMMAND"): one role of the case runs in a "closeprobe peer" that
 * COMMAND starts (ssh, adb, ip netns exec, a guest's serial line), spoken
 * to over the peer protocol (peerproto.h) on COMMAND's standard input and
 * output, a socket pair of the coordinator's: the control stream never
 * shares the path under test.
 *
 * The remote role is bridged into the case's rolelink: the events its
 * role raises are raised on the board the local roles wait on, the events
 * the local roles raise are sent to it (remote_local_io() wraps their
 * role_io), and its ledger, once it arrives, is recorded as a local
 * role's would be, its clock moved onto the coordinator's.  Every wait
 * is bounded: a peer that stays silent or dies ends the case with an
 * error that says so.
 */
#ifndef remote_h
#define remote_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "case.h"
#include "events.h"
#include "peerproto.h"
#include "platform.h"
#include "role.h"
#include "rolelink.h"

#define REMOTE_HELLO_LIMIT_MS 10000	/* for the hello (ssh may have to log in) */
#define REMOTE_SETUP_LIMIT_MS 5000	/* for an answer during the set-up */
#define REMOTE_ABORT_GRACE_MS 2000	/* from "abort" to the ledger */

struct remote;

/* Start "sh -c COMMAND" with its standard input and output on a socket
 * pair.  NULL with err. */
struct remote *remote_start(const char *command, char *err, size_t errlen);

/* Kill what is left of the peer's processes, collect them (bounded). */
void remote_destroy(struct remote *r);
/* The same for a peer given up (no hello in time): killed at once, not
 * given REAP_LIMIT_MS to end by itself first. */
void remote_abandon(struct remote *r);

/* Read the hello, within limit_ms.  0, or -1 with err (silent, dead, a
 * bad line). */
int remote_hello(struct remote *r, int64_t limit_ms, char *err, size_t errlen);

/* A TAP device name in this network namespace, up, with the IPv4 address
 * addr ("198.18.0.1/24") and the IPv6 address addr6 (NULL: none; no
 * duplicate detection, so it is usable at once); persistent, so that qemu
 * opens it by name (it goes with the namespace).  0, or -1 with err. */
int remote_make_tap(const char *name, const char *addr, const char *addr6, char *err,
    size_t errlen);

const struct platform *remote_platform(const struct remote *r);

/* How far off the peer's times may be once moved onto ours: half the round
 * trip the clock offset was measured in. */
int64_t remote_clock_error_ns(const struct remote *r);
const struct peer_caps *remote_caps(const struct remote *r);

/*
 * Why the case cannot run with role remote and the other end here (it
 * needs both ends on one host: its topology, the path's or stack's
 * settings, a capture at both ends), into why; false when it can.  (Its
 * "kernel" expectations are left unjudged, the peer's counters being
 * elsewhere: verdict_input.counters_one_end.)
 */
bool remote_case_needs_one_host(const struct case_file *cf, char *why, size_t whylen);

/*
 * The peer's address of family among addrs (text; *chosen its index):
 * *peer, the local address the kernel would reach it from (*local, port
 * 0) and that address's interface (where to capture).  0; 1 when none is
 * of family (the run cannot happen: why says so); -1 with why.
 */
int remote_route(const char *const *addrs, size_t naddrs, int family, size_t *chosen,
    struct sockaddr_storage *peer,
    struct sockaddr_storage *local, socklen_t *len, char *ifname, size_t ifname_size,
    char *why, size_t whylen);

enum remote_setup {
	REMOTE_READY,
	REMOTE_UNSUPPORTED,	/* the peer cannot run a step: err says which */
	REMOTE_FAILED
};

/*
 * Send cf's text (read from cf->path) and the role: a server listens on
 * addr (its port is ignored) and *listener is set to where it listens; a
 * client connects to addr.  Then wait for the peer to be set up.
 */
enum remote_setup remote_setup_role(struct remote *r, const struct case_file *cf,
    enum role_id role, const struct sockaddr_storage *addr,
    struct sockaddr_storage *listener, char *err, size_t errlen);

/* "start": the role runs from now, for deadline_ms.  0, or -1 with err. */
int remote_begin(struct remote *r, uint64_t deadline_ms, char *err, size_t errlen);

/* For the local roles: inner, with every event they raise also sent to
 * the peer.  Valid as long as r. */
const struct role_io *remote_local_io(struct remote *r, const struct role_io *inner);

/* The descriptor to poll for what the peer sends. */
int remote_fd(const struct remote *r);

/* The peer command's process (its process group's leader). */
pid_t remote_pid(const struct remote *r);

/*
 * Read what the peer has sent and act on it (events raised into plan's
 * board through link, its progress and its ledger recorded in link).
 * 0; -1 with err when the peer went wrong (a bad line, an error, its
 * output ended before its ledger): it is over then.
 */
int remote_pump(struct remote *r, struct rolelink *link, const struct event_plan *plan,
    char *err, size_t errlen);

/* Has the remote role ended (its ledger in, or the peer gone)? */
bool remote_over(const struct remote *r);

/* The case is stopping: "abort" to the peer; past the grace, the peer's
 * processes are killed and it is over. */
void remote_abort(struct remote *r);
/* Kill the peer if the grace after remote_abort() ran out.  True then. */
bool remote_abort_expired(struct remote *r, char *err, size_t errlen);

/* The peer command's process was collected by the caller with wstatus. */
void remote_collected(struct remote *r, int wstatus);

/* How the remote role ended, as its ledger says (or the peer's process). */
bool remote_exit(const struct remote *r, bool *exited, int *code, int *signal);
/* How its child role (a "fork" step's) ended, as its ledger says; false
 * (and not exited) without one. */
bool remote_child_exit(const struct remote *r, bool *exited, int *code, int *signal);

#endif /* remote_h */
