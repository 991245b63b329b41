/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner.c - one case, end to end.
 *
 * Process model:
 *   closeprobe            parses, then forks one coordinator per case
 *    `- coordinator       enters a fresh network namespace, opens the
 *        |                capture, creates the listener, forks the roles,
 *        |                pumps packets, enforces the deadline, sends the
 *        |                sentinel, classifies the capture and judges
 *        |- client role   runs the client's steps
 *        `- server role   runs the server's steps
 * The roles are processes (not threads) so a role can be killed, can die of
 * a signal, and can close its descriptors by exiting, as real programs do.
 * They reach the coordinator through a rolelink (shared memory).
 *
 * The modules below the runner return what they found; the runner alone
 * decides the case's status (the first cause wins) and builds the report.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "evidence.h"
#include "interrupt.h"
#include "kcounters.h"
#include "ladder-run.h"
#include "ledger.h"
#include "monotime.h"
#include "netns.h"
#include "phases.h"
#include "platform.h"
#include "remote.h"
#include "report.h"
#include "role.h"
#include "rolelink.h"
#include "runner.h"
#include "status.h"
#include "strbuf.h"
#include "supervise.h"
#include "topology.h"
#include "trace.h"
#include "verdict.h"

/* The server's listener: created by the coordinator, kept by the server role. */
struct listener {
	int fd;
	struct sockaddr_storage addr;
};

/* One run of a case, in its coordinator.  Each part has its own owner. */
struct case_run {
	const struct case_file *cf;
	const struct run_options *opt;
	int family;			/* AF_INET or AF_INET6 */
	struct case_report report;	/* the runner's: status, error, what was found */
	char note[512];			/* report.note points here */
	struct phases phases;		/* where the wall time went */
	struct platform platform;	/* what the case runs on */
	bool have_platform;
	int64_t deadline_ns;
	struct topology topo;
	struct event_plan events;
	struct rolelink *link;		/* ledgers and events, shared with the roles */
	struct evidence *evidence;	/* captures, sentinel, verdict file */
	struct supervisor *supervisor;	/* the role processes */
	struct remote *remote;		/* --peer: the role its peer runs, else NULL */
	struct listener listener;
	struct kcounters before[ROLE_ENDS];	/* per namespace */
	struct kcounters delta;			/* summed over the namespaces */
	struct ledger ledgers[ROLE_COUNT];	/* as recorded, with how each process ended */
	struct conn_table *tables[ROLE_ENDS];	/* each capture, read back */
	struct verdict verdict;
	bool have_verdict;
	/* With a userspace stack as the server (opt->server_stack): */
	int ready_pipe[2];		/* the server role listens: the client may connect */
	int life_pipe[2];		/* its read end reads EOF when the coordinator ends */
	char stack_desc[96];		/* "lwip 2.1.3" */
};

/* Record why the case cannot pass (the first cause wins). */
static void run_error(struct case_run *run, enum case_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
run_error(struct case_run *run, enum case_status status, const char *fmt, ...)
{
	va_list ap;

	/* The first error is the cause; later ones are consequences. */
	if (run->report.status == CASE_ERROR || run->report.status == CASE_SKIP ||
	    run->report.status == CASE_UNSUPPORTED)
		return;
	run->report.status = status;
	va_start(ap, fmt);
	vsnprintf(run->report.error, sizeof(run->report.error), fmt, ap);
	va_end(ap);
}

static void
run_note(struct case_run *run, const char *note)
{
	snprintf(run->note, sizeof(run->note), "%s", note);
	run->report.note = run->note;
}

/* The running system as "expect SYSTEM:" names it: uname's sysname, lower case. */
static const char *
system_name(char *buf, size_t size)
{
	struct utsname u;
	size_t i;

	if (uname(&u) < 0)
		snprintf(buf, size, "unknown");
	else
		snprintf(buf, size, "%s", u.sysname);
	for (i = 0; buf[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	return buf;
}

/*
 * ---- A userspace stack as the server end (closeprobe run --stack) ----
 *
 * The client runs on the kernel in the case's fresh namespace; the server
 * role's process brings the stack up on a TAP device there (the kernel's
 * side STACK_HOST, the stack STACK_ADDR) and makes its own listener; both
 * ends' capture is the TAP device.  What the case asks that this cannot
 * give is UNSUPPORTED, decided before anything runs.
 */
#define STACK_TAP "cp-tap"
#define STACK_SERVER_PORT 5001	/* the stack is the case's alone: any port */

static bool
stack_run(const struct case_run *run)
{
	return run->opt->server_stack != NULL;
}

/* What the case needs that the server's stack, on one TAP link, lacks:
 * 0, or -1 with why. */
static int
stack_lacks(const struct case_run *run, char *why, size_t size)
{
	const struct case_file *cf = run->cf;
	const struct sockapi *api = run->opt->server_stack->api;
	size_t i;

	if (run->family != AF_INET) {
		snprintf(why, size, "IPv6: %s runs on an IPv4 TAP link", api->name);
		return -1;
	}
	if (cf->topology != TOPOLOGY_LOOPBACK || cf->nimpairments > 0 ||
	    cf->capture != CAPTURE_AT_SERVER) {
		snprintf(why, size, "the topology: with --stack the ends are joined by one "
		    "TAP link, captured once (no veth, router, impairment or second capture)");
		return -1;
	}
	if (cf->mtu != 0 || cf->offloads_off) {
		snprintf(why, size, "'%s' sets the kernel's device; %s's is its own",
		    cf->mtu != 0 ? "mtu" : "offloads off", api->name);
		return -1;
	}
	if (cf->nsysctls > 0) {
		snprintf(why, size, "line %u 'sysctl %s' tunes the kernel's stack, not %s",
		    cf->sysctls[0].line, cf->sysctls[0].name, api->name);
		return -1;
	}
	for (i = 0; i < cf->nexpects; i++) {
		const struct case_expect *e = &cf->expects[i];

		/* Unconditional ones are not judged (verdict_input.counters_one_end). */
		if (e->kind == EXPECT_KERNEL && e->system != NULL &&
		    strcmp(e->system, api->name) == 0) {
			snprintf(why, size, "line %u '%s': the kernel's counters count the "
			    "client's end only; the server's is %s", e->line, e->text, api->name);
			return -1;
		}
	}
	return role_check_api(cf, ROLE_SERVER, api, why, size);
}

/* Before anything runs: UNSUPPORTED when the stack cannot run the case. */
static int
stack_check(struct case_run *run)
{
	char why[1024];

	if (!stack_run(run) || stack_lacks(run, why, sizeof(why)) == 0)
		return 0;
	run_error(run, CASE_UNSUPPORTED, "unsupported: %s", why);
	return -1;
}

/* No listener of the kernel's: the server role makes it on the stack, at
 * the stack's address, and says so on the ready pipe. */
static int
stack_listener(struct case_run *run)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&run->listener.addr;

	if (pipe2(run->ready_pipe, O_CLOEXEC) < 0 || pipe2(run->life_pipe, O_CLOEXEC) < 0) {
		run_error(run, CASE_ERROR, "pipe: %s", strerror(errno));
		return -1;
	}
	run->listener.fd = -1;
	run->listener.addr = run->topo.server_addr;
	in->sin_port = htons(STACK_SERVER_PORT);
	return 0;
}

/* In the server role's process, before its first step. */
static int
stack_start_in_role(void *arg, char *err, size_t errlen)
{
	const struct case_run *run = arg;

	close(run->ready_pipe[0]);
	close(run->life_pipe[1]);
	return run->opt->server_stack->start(STACK_TAP, TOPOLOGY_TAP_STACK, TOPOLOGY_TAP_NETMASK,
	    TOPOLOGY_TAP_HOST, err, errlen);
}

/* As the server role's process ends: the TAP link stays up for the capture. */
static int
stack_end_in_role(void *arg, char *err, size_t errlen)
{
	const struct case_run *run = arg;

	return run->opt->server_stack->hold_link(run->life_pipe[0], err, errlen);
}

static void
stack_context(struct case_run *run, struct role_context *ctx)
{
	if (!stack_run(run))
		return;
	ctx->api[ROLE_SERVER] = run->opt->server_stack->api;
	ctx->server_ready[0] = run->ready_pipe[0];
	ctx->server_ready[1] = run->ready_pipe[1];
	ctx->stack_start = stack_start_in_role;
	ctx->stack_end = stack_end_in_role;
	ctx->stack_arg = run;
}

/* A role that failed because its stack said EOPNOTSUPP: UNSUPPORTED. */
static bool
stack_unsupported_at_run(struct case_run *run)
{
	int r;

	for (r = 0; r < ROLE_COUNT && stack_run(run); r++) {
		const struct ledger *l = rolelink_ledger(run->link, (enum role_id)r);

		if (l->unsupported) {
			run_error(run, CASE_UNSUPPORTED, "unsupported: %s step %d: %s",
			    case_role_name((enum role_id)r), l->step + 1, l->error);
			return true;
		}
	}
	return false;
}

static void
stack_pipes_close(struct case_run *run)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (run->ready_pipe[i] >= 0)
			close(run->ready_pipe[i]);
		if (run->life_pipe[i] >= 0)
			close(run->life_pipe[i]);
		run->ready_pipe[i] = run->life_pipe[i] = -1;
	}
}

/* ---- end of the userspace stack's part ---- */

/* The peer's system as "expect SYSTEM:" names it, as system_name() does. */
static void
peer_system_name(const struct platform *p, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "%s", p->os);
	for (i = 0; buf[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
}

/* Capture at every capture point from here on. */
static int
start_captures(struct case_run *run)
{
	char err[1024];
	int r;

	for (r = 0; r < ROLE_ENDS; r++)
		switch (evidence_start_capture(run->evidence, &run->topo, (enum role_id)r,
		    run->report.server_port, err, sizeof(err))) {
		case EVIDENCE_OK:
			break;
		case EVIDENCE_NOT_HERE:
			run_error(run, CASE_SKIP, "%s", err);
			return -1;
		case EVIDENCE_FAILED:
			run_error(run, CASE_ERROR, "%s", err);
			return -1;
		}
	return 0;
}

/* A flag file for the command line to find (best effort: a flag not made
 * only means the next case tries the first command again, no worse). */
static void
peer_flag(const char *path)
{
	int fd;

	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

/* Start the peer and read its hello: the fallback command when the first
 * gave none in time (or did so for an earlier case). */
static int
peer_start(struct case_run *run, char *err, size_t errlen)
{
	const struct peer_options *po = run->opt->peer;
	bool fell_back = po->fallback_flag != NULL && access(po->fallback_flag, F_OK) == 0;
	int64_t hello_ms = fell_back ? po->fallback_hello_ms : po->hello_ms;
	char first[300], note[512];

	run->remote = remote_start(fell_back ? po->fallback_command : po->command, err, errlen);
	if (run->remote != NULL && remote_hello(run->remote, hello_ms > 0 ? hello_ms :
	    REMOTE_HELLO_LIMIT_MS, err, errlen) == 0) {
		if (!fell_back)
			peer_flag(po->answered_flag);
		return 0;
	}
	if (run->remote == NULL || fell_back || po->fallback_command == NULL)
		return -1;
	snprintf(first, sizeof(first), "%.299s", err);
	remote_abandon(run->remote);
	peer_flag(po->fallback_flag);
	run->remote = remote_start(po->fallback_command, err, errlen);
	if (run->remote == NULL || remote_hello(run->remote, po->fallback_hello_ms > 0 ?
	    po->fallback_hello_ms : REMOTE_HELLO_LIMIT_MS, err, errlen) < 0)
		return -1;
	snprintf(note, sizeof(note), "the peer's first command gave no hello (%s); its "
	    "fallback did", first);
	run_note(run, note);
	return 0;
}

/*
 * --peer: one end is the peer's, the other end and the capture are here,
 * in the caller's namespace, on the interface that reaches the peer's
 * address; the sentinel goes out that way too.  A server here listens on
 * that interface's address.
 */
static int
peer_setup(struct case_run *run)
{
	const struct peer_options *po = run->opt->peer;
	struct sockaddr_storage peer, local;
	struct peer_caps caps;
	const char *step;
	char err[1024];
	size_t chosen = 0;

	if (po->tap != NULL && remote_make_tap(po->tap, po->tap_addr, po->tap_addr6, err,
	    sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	switch (remote_route(po->addrs, po->naddrs, run->family, &chosen, &peer, &local,
	    &run->topo.addr_len, run->topo.ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, err,
	    sizeof(err))) {
	case 0:
		break;
	case 1:
		run_error(run, CASE_SKIP, "%s", err);
		return -1;
	default:
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->topo.kind = TOPOLOGY_LOOPBACK;	/* one namespace here: nothing to enter */
	run->topo.family = run->family;
	run->topo.router_fd = -1;
	if (peer_start(run, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	/* A TAP device has no carrier until qemu attaches, and an IPv6 route
	 * without one picks no source address on it: ask again now. */
	if (po->tap != NULL && remote_route(po->addrs, po->naddrs, run->family, &chosen, &peer,
	    &local, &run->topo.addr_len, run->topo.ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE, err,
	    sizeof(err)) != 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	memcpy(run->topo.ifname[ROLE_SERVER], run->topo.ifname[ROLE_CLIENT], TOPOLOGY_IFNAME_SIZE);
	run->topo.server_addr = po->role == ROLE_SERVER ? peer : local;
	if (asprintf(&run->topo.applied, "peer: the %s end through '%s', reached at %s via %s",
	    case_role_name(po->role), po->label != NULL ? po->label : po->command,
	    po->addrs[chosen], run->topo.ifname[ROLE_CLIENT]) < 0)
		run->topo.applied = NULL;
	run->report.paths = run->topo.applied;
	run->report.peer_platform = remote_platform(run->remote);
	run->report.peer_role = case_role_name(po->role);
	caps = *remote_caps(run->remote);
	if (!peer_caps_cover(&caps, run->cf, po->role, &step, err, sizeof(err))) {
		run_error(run, CASE_UNSUPPORTED, "unsupported: %s", err);
		return -1;
	}
	if (po->role == ROLE_CLIENT) {
		run->listener.fd = topology_bind(&run->topo, SOCK_STREAM, &run->listener.addr);
		if (run->listener.fd < 0 || listen(run->listener.fd, 16) < 0) {
			run_error(run, CASE_ERROR, "listener: %s", strerror(errno));
			return -1;
		}
	}
	switch (remote_setup_role(run->remote, run->cf, po->role,
	    po->role == ROLE_SERVER ? &peer : &run->listener.addr, &run->listener.addr, err,
	    sizeof(err))) {
	case REMOTE_READY:
		break;
	case REMOTE_UNSUPPORTED:
		run_error(run, CASE_UNSUPPORTED, "%s", err);
		return -1;
	case REMOTE_FAILED:
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	if (evidence_open_sentinel_toward(run->evidence, &local, &peer, run->topo.addr_len, err,
	    sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->report.server_port = topology_port(&run->listener.addr);
	if (start_captures(run) < 0)
		return -1;
	if (kcounters_read(&run->before[0], err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "kernel counters: %s", err);
		return -1;
	}
	run->report.pcap_path = evidence_capture(run->evidence,
	    evidence_primary_end(run->evidence))->path;
	return 0;
}

static int
case_setup(struct case_run *run)
{
	char err[1024];
	int r, nns;

	if (event_plan_build(&run->events, run->cf, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->link = rolelink_create(run->events.count, err, sizeof(err));
	if (run->link == NULL) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	if (run->opt->peer != NULL)
		return peer_setup(run);
	switch (stack_run(run) ?
	    topology_build_tap(run->cf, run->family, STACK_TAP, &run->topo, err, sizeof(err)) :
	    topology_build(run->cf, run->family, &run->topo, err, sizeof(err))) {
	case TOPOLOGY_OK:
		break;
	case TOPOLOGY_UNSUPPORTED:
		run_error(run, CASE_SKIP, "%s", err);
		return -1;
	case TOPOLOGY_FAILED:
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	nns = topology_shared(&run->topo) ? 1 : 2;
	run->report.paths = run->topo.applied;
	/* The listener and the sentinel's receiver live with the server end. */
	if (topology_enter(&run->topo, ROLE_SERVER, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	if (stack_run(run)) {
		if (stack_listener(run) < 0)
			return -1;
	} else {
		run->listener.fd = topology_bind(&run->topo, SOCK_STREAM, &run->listener.addr);
		if (run->listener.fd < 0 || listen(run->listener.fd, ROLE_LISTEN_BACKLOG) < 0) {
			run_error(run, CASE_ERROR, "listener: %s", strerror(errno));
			return -1;
		}
	}
	if (evidence_open_sentinel(run->evidence, &run->topo, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->report.server_port = topology_port(&run->listener.addr);
	run->report.family = run->family == AF_INET6 ? 6 : 4;
	if (start_captures(run) < 0)
		return -1;
	/* The counters of each namespace as the case starts. */
	for (r = 0; r < nns; r++) {
		if (topology_enter(&run->topo, (enum role_id)r, err, sizeof(err)) < 0 ||
		    kcounters_read(&run->before[r], err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "kernel counters: %s", err);
			return -1;
		}
	}
	if (topology_enter(&run->topo, ROLE_CLIENT, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->report.pcap_path = evidence_capture(run->evidence,
	    evidence_primary_end(run->evidence))->path;
	return 0;
}

/* Start the roles and watch them, reading the captures meanwhile, until
 * every role has ended. */
static void
case_supervise(struct case_run *run)
{
	struct role_context ctx = {
		.cf = run->cf,
		.events = &run->events,
		.io = run->remote != NULL ? remote_local_io(run->remote, rolelink_io(run->link)) :
		    rolelink_io(run->link),
		.listen_fd = run->listener.fd,
		.server_ready = { -1, -1 },
		.server_addr = &run->listener.addr,
		.server_addrlen = run->topo.addr_len,
		.case_deadline_ns = run->deadline_ns,
	};
	int private_fds[EVIDENCE_PRIVATE_FDS_MAX], poll_fds[ROLE_ENDS];
	struct supervise_roles roles = { &ctx, &run->topo, private_fds,
		evidence_private_fds(run->evidence, private_fds), run->remote,
		run->opt->peer != NULL ? run->opt->peer->role : ROLE_SERVER };
	size_t npoll = evidence_poll_fds(run->evidence, poll_fds);
	char err[REPORT_ERROR_SIZE];
	int rc;

	stack_context(run, &ctx);
	run->supervisor = supervise_create(run->cf, run->link, run->deadline_ns);
	if (run->supervisor == NULL) {
		run_error(run, CASE_ERROR, "out of memory");
		return;
	}
	rc = supervise_start(run->supervisor, &roles, err, sizeof(err));
	/* Only the server role keeps the listener. */
	if (run->listener.fd >= 0)
		close(run->listener.fd);
	run->listener.fd = -1;
	/* The roles have their ends of the ready pipe; the coordinator keeps
	 * the life pipe's write end to its own end. */
	for (int i = 0; i < 2; i++)
		if (run->ready_pipe[i] >= 0) {
			close(run->ready_pipe[i]);
			run->ready_pipe[i] = -1;
		}
	if (rc < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return;
	}
	while (!supervise_over(run->supervisor)) {
		if (supervise_wait(run->supervisor, poll_fds, npoll, err, sizeof(err)) < 0)
			run_error(run, CASE_ERROR, "%s", err);
		if (evidence_pump(run->evidence, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "%s", err);
			supervise_kill(run->supervisor);
		}
		if (supervise_collect(run->supervisor, err, sizeof(err)) < 0 &&
		    !stack_unsupported_at_run(run))
			run_error(run, CASE_ERROR, "%s", err);
	}
	if (supervise_deadline_passed(run->supervisor))
		run_note(run, "the roles were killed at the deadline; the kernel closed their "
		    "sockets as a process's exit does");
}

/* The roles' ledgers as last recorded, with how each process ended: from
 * here on the runner's own, for the verdict and the report. */
static void
case_take_ledgers(struct case_run *run)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		struct ledger *l = &run->ledgers[r];

		*l = *rolelink_ledger(run->link, (enum role_id)r);
		if (run->supervisor != NULL) {
			struct role_exit x = supervise_exit(run->supervisor, (enum role_id)r);

			l->exited = x.exited;
			l->exit_code = x.code;
			l->exit_signal = x.signal;
		}
		run->report.ledgers[r] = l;
	}
}

/* The captures are closed, by a closer process of their own unless the
 * run is being stopped (then nothing may outlive it). */
static void
case_stop_captures(struct case_run *run)
{
	phases_enter(&run->phases, PHASE_CAPTURE_CLOSE);
	evidence_stop_captures(run->evidence, interrupt_signal() == 0);
	phases_enter(&run->phases, PHASE_JUDGING);
}

/* Once the roles are gone: complete the captures, read their statistics,
 * close them. */
static void
case_complete_evidence(struct case_run *run)
{
	const struct evidence_capture *primary, *client;
	char err[REPORT_ERROR_SIZE], note[512];

	int rc;

	phases_enter(&run->phases, PHASE_SETTLE);
	/* Even after an error the capture is completed: it is the evidence. */
	rc = evidence_complete(run->evidence, &run->topo, run->report.server_port, note,
	    sizeof(note), err, sizeof(err));
	if (note[0] != '\0')
		run_note(run, note);
	if (rc < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return;
	}
	phases_enter(&run->phases, PHASE_CAPTURE_CLOSE);
	if (evidence_finish(run->evidence, err, sizeof(err)) < 0)
		run_error(run, CASE_ERROR, "%s", err);
	case_stop_captures(run);
	primary = evidence_capture(run->evidence, evidence_primary_end(run->evidence));
	client = evidence_capture(run->evidence, ROLE_CLIENT);
	run->report.have_capture = primary->complete;
	run->report.capture = primary->stats;
	if (client->wanted && evidence_capture(run->evidence, ROLE_SERVER)->wanted) {
		run->report.client_pcap_path = client->path;
		run->report.client_capture = client->stats;
	}
}

/* Classify each evidence file, exactly as "closeprobe analyze" would. */
static int
case_classify(struct case_run *run)
{
	uint16_t client_port = run->ledgers[ROLE_CLIENT].local_port;
	const struct conn *conns[ROLE_ENDS] = { NULL, NULL };
	char err[1024];
	int e;

	run->report.client_port = client_port;
	for (e = 0; e < ROLE_ENDS; e++) {
		const struct evidence_capture *cap = evidence_capture(run->evidence,
		    (enum role_id)e);
		struct trace_stats stats;

		if (!cap->complete)
			continue;
		run->tables[e] = conn_table_new();
		if (run->tables[e] == NULL) {
			run_error(run, CASE_ERROR, "out of memory");
			return -1;
		}
		if (trace_read_file(cap->file, run->tables[e], &stats, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "reading the evidence back: %s", err);
			return -1;
		}
		if (client_port != 0)
			conns[e] = conn_table_find_ports(run->tables[e], run->report.server_port,
			    client_port);
		if (conns[e] == NULL && conn_table_count(run->tables[e]) > 0)
			conns[e] = conn_table_get(run->tables[e], 0);
	}
	run->report.conn = conns[evidence_primary_end(run->evidence)];
	if (evidence_capture(run->evidence, ROLE_CLIENT)->wanted &&
	    evidence_capture(run->evidence, ROLE_SERVER)->wanted)
		run->report.client_conn = conns[ROLE_CLIENT];
	return 0;
}

/* Counter changes of every namespace of the case, added up. */
static int
counters_collect(struct case_run *run, char *err, size_t size)
{
	int nns = topology_shared(&run->topo) ? 1 : 2;
	int e, rc = 0;

	for (e = 0; e < nns && rc == 0; e++) {
		struct kcounters after, delta;

		if (topology_enter(&run->topo, (enum role_id)e, err, size) < 0 ||
		    kcounters_read(&after, err, size) < 0) {
			rc = -1;
			break;
		}
		if (kcounters_diff(&run->before[e], &after, &delta) < 0 ||
		    kcounters_accumulate(&run->delta, &delta) < 0) {
			snprintf(err, size, "out of memory");
			rc = -1;
		}
		kcounters_free(&after);
		kcounters_free(&delta);
	}
	if (topology_enter(&run->topo, ROLE_CLIENT, err, size) < 0)
		rc = -1;
	return rc;
}

static void
case_judge(struct case_run *run)
{
	struct verdict_input in;
	char system[128], stack_release[64], counters_why[160];
	int r;

	memset(&in, 0, sizeof(in));
	in.cf = run->cf;
	for (r = 0; r < ROLE_COUNT; r++)
		in.ledgers[r] = &run->ledgers[r];
	in.conn = run->report.conn;
	in.release = run->have_platform ? run->platform.release : NULL;
	if (stack_run(run)) {
		/* The expectations are the server's stack's: "expect lwip:". */
		const struct sockapi *api = run->opt->server_stack->api;

		if (api->version(stack_release, sizeof(stack_release)) == 0)
			in.release = stack_release;
		snprintf(system, sizeof(system), "%s", api->name);
		snprintf(counters_why, sizeof(counters_why), "the server's end is %s: the "
		    "kernel's counters are the client's only", api->name);
		in.counters_one_end = counters_why;
	}
	in.client_conn = run->report.client_conn;
	in.counters = &run->delta;
	if (!stack_run(run))
		system_name(system, sizeof(system));
	in.system = system;
	if (run->remote != NULL) {
		/* The stack under test is the peer's: its system's expectations. */
		peer_system_name(remote_platform(run->remote), system, sizeof(system));
		in.release = remote_platform(run->remote)->release;
		in.counters_one_end = "the other end's counters are on the peer";
	}
	if (run->report.have_capture && run->report.capture.clock_offset_known) {
		in.clock_offset_known = true;
		in.clock_offset_ns = run->report.capture.clock_offset_ns;
		in.clock_error_ns = run->report.capture.clock_offset_error_ns;
		if (run->remote != NULL)
			in.clock_error_ns += remote_clock_error_ns(run->remote);
	}
	if (verdict_compute(&in, &run->verdict) < 0) {
		run_error(run, CASE_ERROR, "out of memory");
		return;
	}
	run->have_verdict = true;
	run->report.verdict = &run->verdict;
	if (run->report.status == CASE_PASS && !run->verdict.passed)
		run->report.status = CASE_FAIL;
	else if (run->report.status == CASE_PASS && run->verdict.system_specific &&
	    !run->verdict.system_matched)
		/* Stacks differ: report what was seen rather than guess. */
		run_error(run, CASE_SKIP, "the case has no expectations for %s; "
		    "what was observed is reported below", in.system);
}

/* The captures read back: is the connection whole on the wire?  Then judge. */
static void
case_verdict(struct case_run *run)
{
	const struct conn *conn;

	if (!run->report.have_capture || case_classify(run) < 0 ||
	    run->report.status == CASE_ERROR || run->report.status == CASE_SKIP ||
	    run->report.status == CASE_UNSUPPORTED)
		return;
	conn = run->report.conn;
	if (conn == NULL)
		run_error(run, CASE_ERROR, "no packet of the connection was captured");
	else if (!conn->syn_seen || !conn->synack_seen)
		/* The capture was on before connect(): a missing handshake
		 * means packets went missing, whatever pcap_stats says. */
		run_error(run, CASE_ERROR, "evidence incomplete: the capture lacks the %s",
		    conn->syn_seen ? "SYN+ACK" : "SYN");
	else
		case_judge(run);
}

static void
case_run_free(struct case_run *run)
{
	int r;

	if (run->have_verdict)
		verdict_free(&run->verdict);
	for (r = 0; r < ROLE_ENDS; r++) {
		conn_table_free(run->tables[r]);
		kcounters_free(&run->before[r]);
	}
	kcounters_free(&run->delta);
	supervise_destroy(run->supervisor);
	remote_destroy(run->remote);
	evidence_destroy(run->evidence);
	topology_free(&run->topo);
	rolelink_destroy(run->link);
	event_plan_free(&run->events);
	if (run->listener.fd >= 0)
		close(run->listener.fd);
	stack_pipes_close(run);
}

/*
 * What a coordinator hands its parent, through a pipe: the verdict text,
 * a NUL, the warning, a NUL, the JSON.  None of them holds a NUL, and a
 * coordinator that dies half-way leaves what it had written readable.
 */
static void
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* the parent is gone: nobody to tell */
		buf += n;
		len -= (size_t)n;
	}
}

static void
coordinator_send(int fd, const struct strbuf *text, const char *warning,
    const struct strbuf *json)
{
	if (!text->failed && text->data != NULL)
		write_all(fd, text->data, text->len);
	write_all(fd, "", 1);
	write_all(fd, warning, strlen(warning));
	write_all(fd, "", 1);
	if (!json->failed && json->data != NULL)
		write_all(fd, json->data, json->len);
}

/*
 * The ladder of each complete capture, for the set the text publishes
 * (with both ends captured, each marks what the other never saw).  A
 * picture that cannot be drawn is said in warning; it is no evidence,
 * so the case's status stays.
 */
static void
case_draw(struct case_run *run, const char *text, char *warning, size_t size)
{
	char err[512];
	int e;

	for (e = 0; e < ROLE_ENDS; e++) {
		const struct evidence_capture *cap = evidence_capture(run->evidence,
		    (enum role_id)e);
		const struct evidence_capture *other = evidence_capture(run->evidence,
		    (enum role_id)!e);
		char *svg = NULL;
		size_t len;

		if (!cap->complete)
			continue;
		if (ladder_run_svg(&run->report, (enum role_id)e, cap->file,
		    other->complete ? other->file : NULL, text, &svg, &len, err, sizeof(err)) < 0 ||
		    evidence_add_picture(run->evidence, (enum role_id)e, svg, len, err,
		    sizeof(err)) < 0)
			snprintf(warning, size, "%s: no ladder drawn: %s", cap->path, err);
		free(svg);
	}
}

/* The verdict file, the text and the JSON of a run that has ended (the
 * evidence only when its directory could be opened). */
static void
case_report(struct case_run *run, bool dir_open, int out_fd)
{
	struct strbuf text, json;
	char err[REPORT_ERROR_SIZE], warning[1024] = "";

	/* Captures still open (the case stopped early) close first. */
	case_stop_captures(run);
	if (dir_open && evidence_publish(run->evidence, err, sizeof(err)) < 0)
		run_error(run, CASE_ERROR, "%s", err);
	strbuf_init(&text);
	report_append_text(&text, &run->report);
	/* The JSON names the verdict file only once it is there. */
	if (dir_open && !text.failed) {
		case_draw(run, text.data, warning, sizeof(warning));
		if (evidence_write_text(run->evidence, text.data, warning, sizeof(warning)) == 0) {
			run->report.text_path = evidence_text_path(run->evidence);
			run->report.svg_path = evidence_picture_path(run->evidence,
			    evidence_primary_end(run->evidence));
			if (run->report.client_pcap_path != NULL)
				run->report.client_svg_path = evidence_picture_path(run->evidence,
				    ROLE_CLIENT);
		} else {
			/* Evidence not published is incomplete evidence: an ERROR,
			 * and the verdict says so (nothing of it was published). */
			run_error(run, CASE_ERROR, "%s", warning);
			warning[0] = '\0';
			strbuf_free(&text);
			strbuf_init(&text);
			report_append_text(&text, &run->report);
		}
	}
	/* The case's whole wall time: nothing of it is left but the JSON. */
	phases_stop(&run->phases);
	run->report.duration_s = phases_total_seconds(&run->phases);
	strbuf_init(&json);
	report_append_json(&json, &run->report);
	coordinator_send(out_fd, &text, warning, &json);
	strbuf_free(&text);
	strbuf_free(&json);
}

/* The coordinator: runs in a child of closeprobe (forked at started_ns);
 * returns the exit status. */
static int
case_coordinate(const struct case_file *cf, const struct run_options *opt, int family,
    int64_t started_ns, int out_fd)
{
	/* With "family both" each run's evidence names its family. */
	const char *suffix = cf->family != FAMILY_BOTH ? "" : family == AF_INET6 ? "-v6" : "-v4";
	struct case_run run;
	char err[1024];
	bool dir_open = false;
	int status;

	memset(&run, 0, sizeof(run));
	run.cf = cf;
	run.opt = opt;
	run.family = family;
	run.listener.fd = -1;
	run.ready_pipe[0] = run.ready_pipe[1] = run.life_pipe[0] = run.life_pipe[1] = -1;
	run.topo.ns_fd[ROLE_CLIENT] = run.topo.ns_fd[ROLE_SERVER] = -1;
	run.report.cf = cf;
	run.report.status = CASE_PASS;
	run.report.family = family == AF_INET6 ? 6 : 4;
	run.report.family_in_name = cf->family == FAMILY_BOTH;
	phases_start(&run.phases, started_ns);
	run.report.phases = &run.phases;
	/* Probed in the coordinator, before any namespace: the host's view. */
	run.have_platform = platform_probe(&run.platform, err, sizeof(err)) == 0;
	if (run.have_platform && stack_run(&run))
		sockapi_describe(opt->server_stack->api, run.platform.stack,
		    sizeof(run.platform.stack));
	run.report.platform = run.have_platform ? &run.platform : NULL;
	run.evidence = evidence_create(cf, opt->captures_dir, suffix);
	if (run.evidence == NULL) {
		run_error(&run, CASE_ERROR, "out of memory");
		goto report;
	}
	if (opt->peer != NULL && remote_case_needs_one_host(cf, err, sizeof(err))) {
		run_error(&run, CASE_SKIP, "a peer run needs one end here, the other there, "
		    "but this case needs both ends on one host: %s", err);
		goto report;
	}
	if (opt->peer != NULL && opt->peer->tap == NULL) {
		/* The caller's namespace: the path to the peer is its own. */
	} else if (opt->no_netns) {
		/* The caller's own namespace: its real configuration, shared counters. */
		if (cf->topology != TOPOLOGY_LOOPBACK || cf->nsysctls > 0 || cf->mtu != 0 ||
		    cf->offloads_off) {
			run_error(&run, CASE_ERROR, "--no-netns runs plain loopback cases only: "
			    "this case changes the topology or the stack's settings");
			goto report;
		}
		run_note(&run, "--no-netns: the kernel counters are the whole namespace's, "
		    "other traffic included");
	} else
		switch (netns_enter_fresh(err, sizeof(err))) {
		case NETNS_OK:
			break;
		case NETNS_UNSUPPORTED:
			run_error(&run, CASE_SKIP, "%s", err);
			goto report;
		case NETNS_FAILED:
			run_error(&run, CASE_ERROR, "%s", err);
			goto report;
		}
	if (stack_check(&run) < 0)
		goto report;
	if (evidence_open_dir(run.evidence, err, sizeof(err)) < 0) {
		run_error(&run, CASE_ERROR, "%s", err);
		goto report;
	}
	dir_open = true;
	if (case_setup(&run) < 0)
		goto report;
	phases_enter(&run.phases, PHASE_ROLES);
	run.deadline_ns = monotime_ns() + (int64_t)cf->deadline_ms * 1000000;
	case_supervise(&run);
	case_take_ledgers(&run);
	case_complete_evidence(&run);
	if (counters_collect(&run, err, sizeof(err)) < 0)
		run_error(&run, CASE_ERROR, "kernel counters: %s", err);
	else
		run.report.counters = &run.delta;
	case_verdict(&run);
report:
	case_report(&run, dir_open, out_fd);
	status = report_status_exit(run.report.status);
	case_run_free(&run);
	return status;
}

/* Everything fd gives until EOF, NUL-terminated; *len without the NUL. */
static char *
read_all(int fd, size_t *len)
{
	size_t cap = 4096;
	char *buf = malloc(cap);

	*len = 0;
	if (buf == NULL)
		return NULL;
	for (;;) {
		ssize_t n;

		if (*len + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);

			if (bigger == NULL) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + *len, cap - *len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	buf[*len] = '\0';
	return buf;
}

/* The next NUL-terminated part of what a coordinator sent, as a string of
 * its own, or NULL when empty or missing. */
static char *
next_part(const char *buf, size_t len, size_t *at)
{
	size_t start = *at, end = start;
	char *part;

	while (end < len && buf[end] != '\0')
		end++;
	*at = end < len ? end + 1 : len;
	if (end == start)
		return NULL;
	part = malloc(end - start + 1);
	if (part != NULL) {
		memcpy(part, buf + start, end - start);
		part[end - start] = '\0';
	}
	return part;
}

static enum case_status
status_of_exit(int code)
{
	switch (code) {
	case EXIT_PASS:
		return CASE_PASS;
	case EXIT_FAIL:
		return CASE_FAIL;
	case EXIT_SKIP:
		return CASE_SKIP;
	case EXIT_UNSUPPORTED:
		return CASE_UNSUPPORTED;
	default:
		return CASE_ERROR;
	}
}

/* Add a line of the parent's own to a run's text: the coordinator failed. */
static void
result_error(struct runner_result *res, const struct case_file *cf, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
result_error(struct runner_result *res, const struct case_file *cf, const char *fmt, ...)
{
	struct strbuf sb;
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	strbuf_init(&sb);
	if (res->text != NULL)
		strbuf_adds(&sb, res->text);
	strbuf_addf(&sb, "%s: ERROR. %s\n", cf->name, why);
	free(res->text);
	res->text = strbuf_finish(&sb);
	res->status = CASE_ERROR;
}

/* One family's run of the case, in a coordinator process of its own. */
static void
run_family(const struct case_file *cf, const struct run_options *opt, int family,
    struct runner_result *res)
{
	int64_t started_ns = monotime_ns();
	int pipefd[2];
	int wstatus;
	size_t len, at = 0;
	char *got;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		result_error(res, cf, "pipe: %s", strerror(errno));
		return;
	}
	/* Nothing buffered may be written twice, by a child as well. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		result_error(res, cf, "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0) {
		interrupt_forward_to(0);
		close(pipefd[0]);
		_exit(case_coordinate(cf, opt, family, started_ns, pipefd[1]));
	}
	interrupt_forward_to(pid);
	close(pipefd[1]);
	got = read_all(pipefd[0], &len);
	close(pipefd[0]);
	if (got != NULL) {
		res->text = next_part(got, len, &at);
		res->warning = next_part(got, len, &at);
		res->json = next_part(got, len, &at);
		free(got);
	}
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			interrupt_forward_to(0);
			result_error(res, cf, "waitpid: %s", strerror(errno));
			return;
		}
	interrupt_forward_to(0);
	if (WIFSIGNALED(wstatus)) {
		result_error(res, cf, "the case's coordinator died of signal %d (%s)",
		    WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		return;
	}
	res->status = status_of_exit(WEXITSTATUS(wstatus));
}

/* The worse of two statuses: error, then fail, then unsupported, then
 * skip, then pass. */
static enum case_status
status_worse(enum case_status a, enum case_status b)
{
	static const enum case_status order[] = { CASE_ERROR, CASE_FAIL, CASE_UNSUPPORTED,
		CASE_SKIP, CASE_PASS };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a;
}

void
runner_run(const struct case_file *cf, const struct run_options *opt,
    struct runner_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->status = CASE_PASS;
	if (cf->family != FAMILY_6) {
		run_family(cf, opt, AF_INET, &out->runs[out->nruns]);
		out->status = out->runs[out->nruns++].status;
	}
	if (cf->family != FAMILY_4 && interrupt_signal() == 0) {
		run_family(cf, opt, AF_INET6, &out->runs[out->nruns]);
		out->status = status_worse(out->status, out->runs[out->nruns++].status);
	}
}

void
runner_outcome_free(struct runner_outcome *out)
{
	size_t i;

	for (i = 0; i < out->nruns; i++) {
		free(out->runs[i].text);
		free(out->runs[i].warning);
		free(out->runs[i].json);
	}
	memset(out, 0, sizeof(*out));
}
