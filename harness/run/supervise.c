/*
 * supervise.c - the role processes of a case: starting them (each in its
 * end's namespace), collecting them and their children (the coordinator
 * is a subreaper), enforcing the deadline and a stop signal, and saying
 * what each was doing when something went wrong.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "evidence.h"
#include "interrupt.h"
#include "monotime.h"
#include "role.h"
#include "supervise.h"
#include "units.h"

static int
pidfd_open_compat(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static void
role_process(struct case_run *run, enum role_id role)
{
	struct role_context ctx;
	char ctx_err[256];
	int r, rc;

	/* SIGPIPE never kills a role unless the case says so ("set sigpipe default"). */
	signal(SIGPIPE, SIG_IGN);
	/* The coordinator stops roles itself; a role just dies of these. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (r = 0; r < ROLE_ENDS; r++)
		if (run->evidence[r].capture != NULL)
			close(capture_selectable_fd(run->evidence[r].capture));
	close(run->sentinel_rx);
	close(run->sentinel_tx);
	/* The server end may live in a namespace of its own. */
	if (topology_enter(&run->topo, role, ctx_err, sizeof(ctx_err)) < 0) {
		snprintf(run->ledgers[role].error, sizeof(run->ledgers[role].error), "%s", ctx_err);
		run->ledgers[role].state = ROLE_STATE_FAILED;
		_exit(1);
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.cf = run->cf;
	ctx.ledgers = run->ledgers;
	ctx.streams = run->streams;
	ctx.board = run->board;
	for (r = 0; r < ROLE_COUNT; r++) {
		ctx.raise_ids[r] = run->raise_ids[r];
		ctx.wait_ids[r] = run->wait_ids[r];
		ctx.done_ids[r] = run->done_ids[r];
	}
	ctx.case_deadline_ns = run->deadline_ns;
	memcpy(&ctx.server_addr, &run->server_addr, sizeof(run->server_addr));
	ctx.server_addrlen = run->topo.addr_len;
	if (role == ROLE_SERVER)
		ctx.listen_fd = run->listen_fd;
	else {
		close(run->listen_fd);
		ctx.listen_fd = -1;
	}
	rc = role_run(&ctx, role);
	_exit(rc == 0 ? 0 : 1);
}

int
roles_start(struct case_run *run)
{
	int r;

	/* A role's child outlives its parent sometimes: collect it here. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		run_error(run, CASE_ERROR, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		return -1;
	}
	for (r = 0; r < ROLE_ENDS; r++) {
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			run_error(run, CASE_ERROR, "fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0)
			role_process(run, (enum role_id)r);
		run->pids[r] = pid;
		/* Without pidfds (older kernels, valgrind) the supervisor polls. */
		run->pidfds[r] = pidfd_open_compat(pid);
	}
	/* Only the server role keeps the listener. */
	close(run->listen_fd);
	run->listen_fd = -1;
	return 0;
}

static void
describe_role(struct case_run *run, enum role_id r, char *buf, size_t size)
{
	const struct ledger *l = &run->ledgers[r];
	const struct case_role *role = &run->cf->roles[r];
	char sent[32], got[32];

	units_format_count(l->bytes_sent, sent, sizeof(sent));
	units_format_count(l->bytes_read, got, sizeof(got));
	if (l->exit_signal != 0)
		snprintf(buf, size, "%s was killed by %s", role_name(r),
		    signal_to_name(l->exit_signal));
	else if (l->step >= 0 && (size_t)l->step < role->nsteps)
		snprintf(buf, size, "%s at %s:%u '%s' (sent %s B, read %s B so far)",
		    role_name(r), run->cf->path, role->steps[l->step].line,
		    role->steps[l->step].text, sent, got);
	else if (l->state == ROLE_STATE_FINISHED)
		snprintf(buf, size, "%s had finished", role_name(r));
	else
		snprintf(buf, size, "%s had not started", role_name(r));
}

/* "client at x.case:7 'recv all' (...); server had finished; ..." */
static void
describe_roles(struct case_run *run, int except, char *buf, size_t size)
{
	size_t used = 0;
	int r;

	buf[0] = '\0';
	for (r = 0; r < ROLE_COUNT && used + 1 < size; r++) {
		if (r == except || !run->cf->roles[r].present)
			continue;
		if (used > 0)
			used += (size_t)snprintf(buf + used, size - used, "; ");
		if (used + 1 < size) {
			describe_role(run, (enum role_id)r, buf + used, size - used);
			used += strlen(buf + used);
		}
	}
}

/* A child role's pid is known once its parent has forked it. */
static pid_t
role_pid(struct case_run *run, int r)
{
	if (run->pids[r] <= 0 && role_is_child((enum role_id)r) && run->ledgers[r].pid > 0)
		run->pids[r] = run->ledgers[r].pid;
	return run->pids[r];
}

void
roles_kill(struct case_run *run)
{
	int r;

	event_board_abort(run->board);
	for (r = 0; r < ROLE_COUNT; r++)
		if (role_pid(run, r) > 0 && !run->exited[r])
			kill(run->pids[r], SIGKILL);
}

static void
role_collected(struct case_run *run, int r, int wstatus)
{
	struct ledger *l = &run->ledgers[r];

	run->exited[r] = true;
	l->exited = true;
	if (WIFSIGNALED(wstatus))
		l->exit_signal = WTERMSIG(wstatus);
	else
		l->exit_code = WEXITSTATUS(wstatus);
	if (run->pidfds[r] >= 0) {
		close(run->pidfds[r]);
		run->pidfds[r] = -1;
	}
}

/* Collect every process that has ended: roles, children, re-parented orphans. */
static void
roles_reap(struct case_run *run)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		int r;

		for (r = 0; r < ROLE_COUNT; r++)
			if (role_pid(run, r) == pid && !run->exited[r]) {
				role_collected(run, r, wstatus);
				break;
			}
	}
}

/* A role is over when it has exited, or was never going to start. */
static bool
role_over(struct case_run *run, int r)
{
	if (run->exited[r] || !run->cf->roles[r].present)
		return true;
	/* A child whose parent ended without forking it never runs. */
	return role_is_child((enum role_id)r) && role_pid(run, r) <= 0 &&
	    run->exited[role_end((enum role_id)r)];
}

static bool
roles_over(struct case_run *run)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++)
		if (!role_over(run, r))
			return false;
	return true;
}

/* Does the case expect this role to die of a signal?  Then it is evidence. */
static bool
death_expected(const struct case_file *cf, int r)
{
	size_t i;

	for (i = 0; i < cf->nexpects; i++)
		if (cf->expects[i].kind == EXPECT_KILLED && cf->expects[i].role == (enum role_id)r &&
		    cf->expects[i].u.signal != 0)
			return true;
	return false;
}

/* A role ended without finishing its steps: say why and stop the others. */
static bool
role_went_wrong(struct case_run *run, int r)
{
	const struct ledger *l = &run->ledgers[r];
	char others[1024], self[512];

	if (!run->exited[r] || l->state == ROLE_STATE_FINISHED)
		return false;
	if (l->exit_signal != 0 && death_expected(run->cf, r))
		return false;
	describe_role(run, (enum role_id)r, self, sizeof(self));
	describe_roles(run, r, others, sizeof(others));
	if (l->state == ROLE_STATE_FAILED)
		run_error(run, CASE_ERROR, "%s failed: %s (%s)", role_name((enum role_id)r),
		    l->error, others);
	else
		run_error(run, CASE_ERROR, "%s ended abnormally (%s; %s)",
		    role_name((enum role_id)r), self, others);
	return true;
}

/* Pump packets and collect roles until all have ended or the deadline. */
int
roles_supervise(struct case_run *run)
{
	bool killed = false, pidfd_usable = true;

	while (!roles_over(run)) {
		struct pollfd pfds[ROLE_ENDS + ROLE_COUNT];
		int64_t left = run->deadline_ns - monotime_ns();
		int timeout = killed ? PUMP_INTERVAL_MS : (int)(left / 1000000 + 1);
		int n = 0, r;

		for (r = 0; r < ROLE_ENDS; r++)
			if (run->evidence[r].capture != NULL)
				pfds[n++] = (struct pollfd){
					capture_selectable_fd(run->evidence[r].capture), POLLIN, 0 };
		for (r = 0; r < ROLE_COUNT; r++) {
			if (role_over(run, r))
				continue;
			if (run->pidfds[r] < 0 && role_pid(run, r) > 0 && pidfd_usable) {
				run->pidfds[r] = pidfd_open_compat(run->pids[r]);
				if (run->pidfds[r] < 0 && errno == ENOSYS)
					pidfd_usable = false;
			}
			if (run->pidfds[r] >= 0)
				pfds[n++] = (struct pollfd){ run->pidfds[r], POLLIN, 0 };
			else
				timeout = PUMP_INTERVAL_MS;	/* a child about to be forked */
		}
		if (interrupt_signal() != 0 && !killed) {
			char all[2048];

			describe_roles(run, -1, all, sizeof(all));
			run_error(run, CASE_ERROR, "stopped by %s: %s",
			    signal_to_name(interrupt_signal()), all);
			roles_kill(run);
			killed = true;
		}
		if (left <= 0 && !killed) {
			char all[2048];

			describe_roles(run, -1, all, sizeof(all));
			run_error(run, CASE_ERROR, "deadline of %.3g s passed: %s",
			    (double)run->cf->deadline_ms / 1000.0, all);
			snprintf(run->note, sizeof(run->note), "the roles were killed at the "
			    "deadline; the kernel closed their sockets as a process's exit does");
			run->report.note = run->note;
			roles_kill(run);
			killed = true;
		}
		if (timeout > PUMP_INTERVAL_MS && left > 0 && timeout > left / 1000000 + 1)
			timeout = (int)(left / 1000000 + 1);
		if (poll(pfds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			run_error(run, CASE_ERROR, "poll: %s", strerror(errno));
			roles_kill(run);
			killed = true;
		}
		if (evidence_pump(run) < 0 && !killed) {
			roles_kill(run);
			killed = true;
		}
		roles_reap(run);
		for (r = 0; r < ROLE_COUNT && !killed; r++)
			if (role_went_wrong(run, r)) {
				roles_kill(run);
				killed = true;
			}
	}
	return run->report.status == CASE_ERROR ? -1 : 0;
}
