/* SPDX-License-Identifier: BSD-3-Clause */
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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "monotime.h"
#include "supervise.h"
#include "units.h"

#define PUMP_INTERVAL_MS 5	/* how often to look when nothing can be polled */

struct supervisor {
	const struct case_file *cf;
	struct rolelink *link;
	int64_t deadline_ns;
	pid_t pids[ROLE_COUNT];
	int pidfds[ROLE_COUNT];
	struct role_exit exits[ROLE_COUNT];
	bool pidfd_usable;
	bool killed;
	bool deadline_passed;
	struct remote *remote;		/* a role run by a peer, or NULL */
	enum role_id remote_role;
	const struct event_plan *events;
};

static bool
is_remote(const struct supervisor *s, int r)
{
	return s->remote != NULL && r == (int)s->remote_role;
}

static int
pidfd_open_compat(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static const struct ledger *
ledger_of(const struct supervisor *s, int r)
{
	return rolelink_ledger(s->link, (enum role_id)r);
}

struct supervisor *
supervise_create(const struct case_file *cf, struct rolelink *link, int64_t deadline_ns)
{
	struct supervisor *s = calloc(1, sizeof(*s));
	int r;

	if (s == NULL)
		return NULL;
	s->cf = cf;
	s->link = link;
	s->deadline_ns = deadline_ns;
	s->pidfd_usable = true;
	for (r = 0; r < ROLE_COUNT; r++)
		s->pidfds[r] = -1;
	return s;
}

void
supervise_destroy(struct supervisor *s)
{
	int r;

	if (s == NULL)
		return;
	for (r = 0; r < ROLE_COUNT; r++)
		if (s->pidfds[r] >= 0)
			close(s->pidfds[r]);
	free(s);
}

/* A role that could not start: its ledger says why. */
static void
role_failed(const struct role_context *ctx, enum role_id role, const char *why)
{
	struct ledger failed;

	ledger_init(&failed);
	snprintf(failed.error, sizeof(failed.error), "%s", why);
	failed.state = ROLE_STATE_FAILED;
	ctx->io->record(ctx->io->ctx, role, &failed);
	_exit(1);
}

static void
role_process(const struct supervise_roles *roles, enum role_id role)
{
	const struct role_context *ctx = roles->ctx;
	char err[LEDGER_ERROR_SIZE];
	size_t i;

	/* SIGPIPE never kills a role unless the case says so ("set sigpipe default"). */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < roles->nprivate_fds; i++)
		close(roles->private_fds[i]);
	/*
	 * A process group of its own (its child joins it): a terminal's Ctrl-C,
	 * Ctrl-\ or Ctrl-Z, or a kill to closeprobe's whole group, reaches
	 * closeprobe and the coordinator only, which stop the roles after
	 * noting what each was doing.  Ignoring the signals instead would
	 * miss the other terminal signals and make a role deaf to a stop
	 * meant for it alone.  Done before SIGINT's default comes back: until
	 * then the coordinator's handler, inherited, only notes a signal.
	 */
	if (setpgid(0, 0) < 0) {
		snprintf(err, sizeof(err), "setpgid: %s", strerror(errno));
		role_failed(ctx, role, err);
	}
	/* The coordinator stops roles itself; a role just dies of these. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* The server end may live in a namespace of its own. */
	if (topology_enter(roles->topo, role, err, sizeof(err)) < 0)
		role_failed(ctx, role, err);
	if (role != ROLE_SERVER)
		close(ctx->listen_fd);
	_exit(role_run(ctx, role) == 0 ? 0 : 1);
}

/* A child role's pid is known once its parent has forked it. */
static pid_t
role_pid(struct supervisor *s, int r)
{
	if (s->pids[r] <= 0 && case_role_is_child((enum role_id)r)) {
		int pid = ledger_of(s, case_role_end((enum role_id)r))->child_pid;

		if (pid > 0)
			s->pids[r] = pid;
	}
	return s->pids[r];
}

void
supervise_kill(struct supervisor *s)
{
	int r;

	if (s->killed)
		return;
	s->killed = true;
	rolelink_abort(s->link);
	if (s->remote != NULL)
		remote_abort(s->remote);
	for (r = 0; r < ROLE_COUNT; r++)
		if (role_pid(s, r) > 0 && !s->exits[r].exited)
			kill(s->pids[r], SIGKILL);
}

int
supervise_start(struct supervisor *s, const struct supervise_roles *roles, char *errbuf,
    size_t errbuf_size)
{
	int r;

	/* A role's child outlives its parent sometimes: collect it here. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		snprintf(errbuf, errbuf_size, "prctl(PR_SET_CHILD_SUBREAPER): %s",
		    strerror(errno));
		return -1;
	}
	s->remote = roles->remote;
	s->remote_role = roles->remote_role;
	s->events = roles->ctx->events;
	/* The peer's role first: a local client may connect to it at once. */
	if (s->remote != NULL) {
		int64_t left_ms = (s->deadline_ns - monotime_ns()) / 1000000;

		if (remote_begin(s->remote, left_ms > 0 ? (uint64_t)left_ms : 1, errbuf,
		    errbuf_size) < 0)
			return -1;
	}
	for (r = 0; r < ROLE_ENDS; r++) {
		pid_t pid;

		if (is_remote(s, r))
			continue;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			int wstatus;

			snprintf(errbuf, errbuf_size, "fork: %s", strerror(errno));
			/* Whatever was started goes, and is collected. */
			supervise_kill(s);
			while (waitpid(-1, &wstatus, 0) > 0 || errno == EINTR)
				;
			return -1;
		}
		if (pid == 0)
			role_process(roles, (enum role_id)r);
		s->pids[r] = pid;
		/* Without pidfds (older kernels, valgrind) the supervisor polls. */
		s->pidfds[r] = pidfd_open_compat(pid);
	}
	return 0;
}

static void
describe_role(const struct supervisor *s, enum role_id r, char *buf, size_t size)
{
	const struct ledger *l = ledger_of(s, r);
	const struct case_role *role = &s->cf->roles[r];
	char sent[32], got[32];

	units_format_count(l->bytes_sent, sent, sizeof(sent));
	units_format_count(l->bytes_read, got, sizeof(got));
	if (s->exits[r].signal != 0)
		snprintf(buf, size, "%s was killed by %s", case_role_name(r),
		    case_signal_to_name(s->exits[r].signal));
	else if (l->step >= 0 && (size_t)l->step < role->nsteps)
		snprintf(buf, size, "%s at %s:%u '%s' (sent %s B, read %s B so far)",
		    case_role_name(r), s->cf->path, role->steps[l->step].line,
		    role->steps[l->step].text, sent, got);
	else if (l->state == ROLE_STATE_FINISHED)
		snprintf(buf, size, "%s had finished", case_role_name(r));
	else
		snprintf(buf, size, "%s had not started", case_role_name(r));
}

/* "client at x.case:7 'recv all' (...); server had finished; ..." */
static void
describe_roles(const struct supervisor *s, int except, char *buf, size_t size)
{
	size_t used = 0;
	int r;

	buf[0] = '\0';
	for (r = 0; r < ROLE_COUNT && used + 1 < size; r++) {
		if (r == except || !s->cf->roles[r].present)
			continue;
		if (used > 0)
			used += (size_t)snprintf(buf + used, size - used, "; ");
		if (used + 1 < size) {
			describe_role(s, (enum role_id)r, buf + used, size - used);
			used += strlen(buf + used);
		}
	}
}

static void
role_collected(struct supervisor *s, int r, int wstatus)
{
	struct role_exit *x = &s->exits[r];

	x->exited = true;
	if (WIFSIGNALED(wstatus))
		x->signal = WTERMSIG(wstatus);
	else
		x->code = WEXITSTATUS(wstatus);
	if (s->pidfds[r] >= 0) {
		close(s->pidfds[r]);
		s->pidfds[r] = -1;
	}
}

/* Collect every process that has ended: roles, children, re-parented orphans. */
static void
roles_reap(struct supervisor *s)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		int r;

		if (s->remote != NULL && pid == remote_pid(s->remote)) {
			remote_collected(s->remote, wstatus);
			continue;
		}

		for (r = 0; r < ROLE_COUNT; r++)
			if (role_pid(s, r) == pid && !s->exits[r].exited) {
				role_collected(s, r, wstatus);
				break;
			}
	}
}

/* A role is over when it has exited, or was never going to start. */
static bool
role_over(struct supervisor *s, int r)
{
	if (s->exits[r].exited || !s->cf->roles[r].present)
		return true;
	if (is_remote(s, r))
		return remote_over(s->remote);
	/* A child whose parent ended without forking it never runs. */
	return case_role_is_child((enum role_id)r) && role_pid(s, r) <= 0 &&
	    s->exits[case_role_end((enum role_id)r)].exited;
}

/*
 * A forked child role is its parent role's child, not the coordinator's:
 * while that parent runs, only it could collect the child, and the child's
 * pidfd, readable from its exit on, would make every poll() return at
 * once, the wait spinning at full CPU until the parent ended.  Its exit is
 * not waited for then: the parent's own pidfd ends the wait when the
 * parent ends, and its children, re-parented to this subreaper, become
 * collectable.
 */
static bool
child_of_running_role(struct supervisor *s, int r)
{
	return case_role_is_child((enum role_id)r) && role_pid(s, r) > 0 &&
	    !s->exits[case_role_end((enum role_id)r)].exited;
}

bool
supervise_over(struct supervisor *s)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++)
		if (!role_over(s, r))
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

/* A role ended without finishing its steps: say why. */
static bool
role_went_wrong(const struct supervisor *s, int r, char *errbuf, size_t errbuf_size)
{
	const struct ledger *l = ledger_of(s, r);
	char others[1024], self[512];

	if (!s->exits[r].exited || l->state == ROLE_STATE_FINISHED)
		return false;
	if (s->exits[r].signal != 0 && death_expected(s->cf, r))
		return false;
	describe_role(s, (enum role_id)r, self, sizeof(self));
	describe_roles(s, r, others, sizeof(others));
	if (l->state == ROLE_STATE_FAILED)
		snprintf(errbuf, errbuf_size, "%s failed: %s (%s)", case_role_name((enum role_id)r),
		    l->error, others);
	else
		snprintf(errbuf, errbuf_size, "%s ended abnormally (%s; %s)",
		    case_role_name((enum role_id)r), self, others);
	return true;
}

/* Describe every role, then kill them all; the first cause is reported. */
static void
stop_roles(struct supervisor *s, const char *why, char *errbuf, size_t errbuf_size)
{
	char all[2048];

	describe_roles(s, -1, all, sizeof(all));
	snprintf(errbuf, errbuf_size, "%s: %s", why, all);
	supervise_kill(s);
}

int
supervise_wait(struct supervisor *s, const int *fds, size_t nfds, char *errbuf,
    size_t errbuf_size)
{
	struct pollfd pfds[ROLE_ENDS + ROLE_COUNT + 1];
	int remote_at = -1;
	int64_t left = s->deadline_ns - monotime_ns();
	int timeout = s->killed ? PUMP_INTERVAL_MS : (int)(left / 1000000 + 1);
	bool found = false;
	size_t i;
	int n = 0, r;

	for (i = 0; i < nfds && i < ROLE_ENDS; i++)
		pfds[n++] = (struct pollfd){ fds[i], POLLIN, 0 };
	for (r = 0; r < ROLE_COUNT; r++) {
		if (role_over(s, r) || child_of_running_role(s, r))
			continue;
		if (s->pidfds[r] < 0 && role_pid(s, r) > 0 && s->pidfd_usable) {
			s->pidfds[r] = pidfd_open_compat(s->pids[r]);
			if (s->pidfds[r] < 0 && errno == ENOSYS)
				s->pidfd_usable = false;
		}
		if (s->pidfds[r] >= 0)
			pfds[n++] = (struct pollfd){ s->pidfds[r], POLLIN, 0 };
		else
			timeout = PUMP_INTERVAL_MS;	/* a child about to be forked */
	}
	if (s->remote != NULL && !remote_over(s->remote)) {
		remote_at = n;
		pfds[n++] = (struct pollfd){ remote_fd(s->remote), POLLIN, 0 };
	}
	if (interrupt_signal() != 0 && !s->killed) {
		char why[64];

		snprintf(why, sizeof(why), "stopped by %s", case_signal_to_name(interrupt_signal()));
		stop_roles(s, why, errbuf, errbuf_size);
		found = true;
	}
	if (left <= 0 && !s->killed) {
		char why[64];

		snprintf(why, sizeof(why), "deadline of %.3g s passed",
		    (double)s->cf->deadline_ms / 1000.0);
		stop_roles(s, why, errbuf, errbuf_size);
		s->deadline_passed = true;
		found = true;
	}
	if (timeout > PUMP_INTERVAL_MS && left > 0 && timeout > left / 1000000 + 1)
		timeout = (int)(left / 1000000 + 1);
	if (poll(pfds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
		if (!found)
			snprintf(errbuf, errbuf_size, "poll: %s", strerror(errno));
		found = true;
		supervise_kill(s);
	}
	if (remote_at >= 0 && pfds[remote_at].revents != 0 && !found) {
		char why[1024];

		if (remote_pump(s->remote, s->link, s->events, why, sizeof(why)) < 0) {
			stop_roles(s, why, errbuf, errbuf_size);
			found = true;
		}
	}
	if (s->remote != NULL) {
		char why[256];

		if (remote_abort_expired(s->remote, why, sizeof(why)) && !found) {
			snprintf(errbuf, errbuf_size, "%s", why);
			found = true;
		}
	}
	return found ? -1 : 0;
}

int
supervise_collect(struct supervisor *s, char *errbuf, size_t errbuf_size)
{
	int r;

	roles_reap(s);
	/* The remote role's end, as its peer said (or the peer's process). */
	if (s->remote != NULL && remote_over(s->remote) && !s->exits[s->remote_role].exited) {
		enum role_id child = s->remote_role == ROLE_CLIENT ? ROLE_CLIENT_CHILD :
		    ROLE_SERVER_CHILD;
		struct role_exit *x = &s->exits[s->remote_role], *cx = &s->exits[child];

		remote_exit(s->remote, &x->exited, &x->code, &x->signal);
		remote_child_exit(s->remote, &cx->exited, &cx->code, &cx->signal);
	}
	for (r = 0; r < ROLE_COUNT && !s->killed; r++)
		if (role_went_wrong(s, r, errbuf, errbuf_size)) {
			supervise_kill(s);
			return -1;
		}
	return 0;
}

bool
supervise_deadline_passed(const struct supervisor *s)
{
	return s->deadline_passed;
}

struct role_exit
supervise_exit(const struct supervisor *s, enum role_id role)
{
	return s->exits[role];
}
