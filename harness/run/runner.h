/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner.h - running one case end to end: a fresh network namespace, the
 * capture, the two roles, the deadline, the sentinel, the classification
 * of the capture, the verdict and the evidence.
 *
 * The runner prints nothing: it returns the outcome of a case as values
 * (its status, the verdict text, the JSON) for the command line to write.
 */
#ifndef runner_h
#define runner_h

#include <stdbool.h>
#include <stddef.h>

#include "case.h"
#include "report.h"
#include "sockapi.h"

/* --peer: one role runs in a "closeprobe peer" that command starts (remote.h). */
struct peer_options {
	const char *command;		/* run with sh -c */
	const char *label;		/* how to name it, if not by command */
	enum role_id role;		/* the peer's role: ROLE_SERVER or ROLE_CLIENT */
#define PEER_ADDRS_MAX 2
	const char *addrs[PEER_ADDRS_MAX];	/* the peer's addresses, one per family */
	size_t naddrs;
	int64_t hello_ms;		/* for the hello; 0: REMOTE_HELLO_LIMIT_MS */
	int64_t fallback_hello_ms;	/* the same for fallback_command */
	/* Started when command gave no hello in time (a KVM guest that hangs:
	 * TCG's), and from then on: fallback_flag is made to say so. */
	const char *fallback_command;
	const char *fallback_flag;
	const char *answered_flag;	/* made when command (not its fallback) says hello */
	/* --peer-kernel: a TAP device made in the case's own namespace, with
	 * this IPv4 address (CIDR), joins the peer (a guest) to the case. */
	const char *tap;
	const char *tap_addr;
	const char *tap_addr6;		/* and this IPv6 one (CIDR), or NULL */
};

struct run_options {
	const char *captures_dir;	/* where evidence goes; created if missing */
	bool no_netns;			/* run in the caller's namespace */
	/* The server end's stack (closeprobe run --stack); NULL: the kernel's.
	 * The client stays on the kernel, the server on a TAP link. */
	const struct sockapi_stack *server_stack;
	const struct peer_options *peer;	/* NULL: both roles here */
};

/* One run of a case: "family both" runs a case once per address family. */
struct runner_result {
	enum case_status status;
	char *text;	/* the verdict paragraph and its detail lines, as for standard
			 * output (each line ends in a newline); NULL if none */
	char *warning;	/* evidence that could not be written ("PATH: REASON"), for
			 * standard error; NULL if none */
	char *json;	/* the run as a JSON object; NULL if it could not be produced */
};

#define RUNNER_RUNS_MAX 2

struct runner_outcome {
	enum case_status status;	/* the worst of the runs': error, fail, skip, pass */
	size_t nruns;
	struct runner_result runs[RUNNER_RUNS_MAX];	/* IPv4 first */
};

/*
 * Run cf, each family's run in a child process of its own (the namespace
 * and capture end with it).  Fills *out, which runner_outcome_free()
 * releases.  A stop signal (see interrupt.h) ends the case early and runs
 * no second family.
 */
void runner_run(const struct case_file *cf, const struct run_options *opt,
    struct runner_outcome *out);

void runner_outcome_free(struct runner_outcome *out);

#endif /* runner_h */
