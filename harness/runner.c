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
 * Ledgers and the event board live in shared anonymous memory.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "conntrack.h"
#include "events.h"
#include "kcounters.h"
#include "ledger.h"
#include "netns.h"
#include "report.h"
#include "role.h"
#include "runner.h"
#include "status.h"
#include "topology.h"
#include "trace.h"
#include "units.h"
#include "verdict.h"

#define SETTLE_LIMIT_NS (2000000000LL)	/* for sockets to finish closing */
#define SENTINEL_LIMIT_NS (2000000000LL)	/* for the sentinel to show up */
#define PUMP_INTERVAL_MS 5

/*
 * SIGINT and SIGTERM: closeprobe forwards them to the running case's
 * coordinator, which stops the roles, completes and flushes the capture,
 * reports, and exits; closeprobe then runs no further case.
 */
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t coordinator_pid;	/* in closeprobe: the case running now */

static void
on_stop_signal(int sig)
{
	int saved = errno;

	stop_signal = sig;
	if (coordinator_pid > 0)
		kill((pid_t)coordinator_pid, sig);
	errno = saved;
}

int
runner_catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked poll() returns EINTR and sees the flag. */
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	return 0;
}

int
runner_stop_signal(void)
{
	return stop_signal;
}

/* The ids of the events a case uses: one per (role, name) pair. */
struct event_names {
	enum role_id *roles;
	const char **names;
	size_t count;
};

/* One capture point's evidence: a pcap being written, then read back. */
struct evidence {
	bool wanted;
	struct capture *capture;
	char *path;		/* the final name, as reports show it */
	char *tmp;		/* written here first (see evidence_open) */
	bool created;
	bool complete;		/* finished, statistics read */
	struct capture_stats stats;
	struct conn_table *table;
	const struct conn *conn;	/* the case's connection in it */
};

struct case_run {
	const struct case_file *cf;
	const struct run_options *opt;
	struct case_report report;
	struct ledger *ledgers;		/* [ROLE_COUNT], shared */
	struct end_stream *streams;	/* [ROLE_ENDS], shared */
	int family;			/* AF_INET or AF_INET6 */
	struct event_board *board;
	struct event_names events;
	size_t *raise_ids[ROLE_COUNT];
	size_t *wait_ids[ROLE_COUNT];
	size_t done_ids[ROLE_COUNT];
	int listen_fd;
	struct topology topo;
	int nns;			/* distinct namespaces: 1 (loopback) or 2 */
	int sentinel_rx;		/* bound in the server's namespace */
	int sentinel_tx;		/* in the client's namespace */
	struct sockaddr_storage server_addr;
	struct sockaddr_storage sentinel_addr;
	struct evidence evidence[ROLE_ENDS];	/* by the end it is captured at */
	pid_t pids[ROLE_COUNT];
	int pidfds[ROLE_COUNT];
	bool exited[ROLE_COUNT];
	int64_t started_ns;
	int64_t deadline_ns;
	struct kcounters before[ROLE_ENDS];	/* per namespace */
	struct kcounters delta;			/* summed over the namespaces */
	struct verdict verdict;
	bool have_verdict;
	char *text_path;
	char *text_tmp;
	char note[512];
};

static void run_error(struct case_run *run, enum case_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
run_error(struct case_run *run, enum case_status status, const char *fmt, ...)
{
	va_list ap;

	/* The first error is the cause; later ones are consequences. */
	if (run->report.status == CASE_ERROR || run->report.status == CASE_SKIP)
		return;
	run->report.status = status;
	va_start(ap, fmt);
	vsnprintf(run->report.error, sizeof(run->report.error), fmt, ap);
	va_end(ap);
}

static size_t
event_id(struct case_run *run, enum role_id role, const char *name)
{
	struct event_names *ev = &run->events;
	size_t i;

	for (i = 0; i < ev->count; i++)
		if (ev->roles[i] == role && strcmp(ev->names[i], name) == 0)
			return i;
	return EVENT_NONE;
}

static size_t
event_intern(struct case_run *run, enum role_id role, const char *name)
{
	struct event_names *ev = &run->events;
	size_t id = event_id(run, role, name);
	enum role_id *roles;
	const char **names;

	if (id != EVENT_NONE)
		return id;
	roles = realloc(ev->roles, (ev->count + 1) * sizeof(*roles));
	if (roles == NULL)
		return EVENT_NONE;
	ev->roles = roles;
	names = realloc(ev->names, (ev->count + 1) * sizeof(*names));
	if (names == NULL)
		return EVENT_NONE;
	ev->names = names;
	ev->roles[ev->count] = role;
	ev->names[ev->count] = name;
	return ev->count++;
}

/* Give every raised event an id, then resolve every wait to one. */
static int
events_plan(struct case_run *run)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		const struct case_role *role = &run->cf->roles[r];
		size_t n = role->nsteps > 0 ? role->nsteps : 1;
		size_t i;

		run->raise_ids[r] = calloc(n, sizeof(size_t));
		run->wait_ids[r] = calloc(n, sizeof(size_t));
		if (run->raise_ids[r] == NULL || run->wait_ids[r] == NULL)
			return -1;
		for (i = 0; i < role->nsteps; i++) {
			const char *name = step_event_name(&role->steps[i]);

			run->raise_ids[r][i] = EVENT_NONE;
			run->wait_ids[r][i] = EVENT_NONE;
			if (name != NULL) {
				run->raise_ids[r][i] = event_intern(run, (enum role_id)r, name);
				if (run->raise_ids[r][i] == EVENT_NONE)
					return -1;
			}
		}
		run->done_ids[r] = event_intern(run, (enum role_id)r, "done");
		if (run->done_ids[r] == EVENT_NONE)
			return -1;
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		const struct case_role *role = &run->cf->roles[r];
		size_t i;

		for (i = 0; i < role->nsteps; i++) {
			const struct case_step *step = &role->steps[i];

			if (step->kind != STEP_WAIT)
				continue;
			run->wait_ids[r][i] = event_id(run, step->u.wait.role, step->u.wait.event);
			if (run->wait_ids[r][i] == EVENT_NONE) {
				/* The parser rejects this; never wait forever on it. */
				run_error(run, CASE_ERROR, "%s:%u: nobody raises '%s.%s'",
				    run->cf->path, step->line, role_name(step->u.wait.role),
				    step->u.wait.event);
				return -1;
			}
		}
	}
	return 0;
}

/* A socket bound to addr (port 0: the kernel picks), in the current namespace. */
static int
bound_socket(int type, struct sockaddr_storage *addr)
{
	socklen_t len = addr->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	int fd = socket(addr->ss_family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)addr, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)addr, &len) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static uint16_t
port_of(const struct sockaddr_storage *addr)
{
	return ntohs(addr->ss_family == AF_INET6 ?
	    ((const struct sockaddr_in6 *)addr)->sin6_port :
	    ((const struct sockaddr_in *)addr)->sin_port);
}

/*
 * Evidence is written to a new file of this process's own (O_EXCL, never
 * through a symbolic link, relative to the captures directory), read back
 * from there, and renamed over the final name only when complete: two runs
 * of one case at once never read each other's packets, and a link planted
 * at the final name is replaced, not followed.
 */
static int
evidence_open(int dir_fd, const char *path)
{
	return openat(dir_fd, strrchr(path, '/') + 1,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

static int
evidence_publish(int dir_fd, const char *tmp, const char *final)
{
	return renameat(dir_fd, strrchr(tmp, '/') + 1, dir_fd, strrchr(final, '/') + 1);
}

static char *
path_join(const char *dir, const char *name, const char *ext)
{
	size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
	char *path = malloc(len);

	if (path != NULL)
		snprintf(path, len, "%s/%s%s", dir, name, ext);
	return path;
}

static int
open_captures_dir(struct case_run *run)
{
	const char *dir = run->opt->captures_dir;
	int fd;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		run_error(run, CASE_ERROR, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		run_error(run, CASE_ERROR, "%s is a symbolic link: evidence is never "
		    "written through one (name the real directory)", dir);
	else if (fd < 0)
		run_error(run, CASE_ERROR, "cannot open %s: %s", dir, strerror(errno));
	return fd;
}

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

static int
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

static void
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

static int
pump(struct case_run *run)
{
	char err[512];
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (run->evidence[e].capture != NULL &&
		    capture_pump(run->evidence[e].capture, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "capture: %s", err);
			return -1;
		}
	return 0;
}

/* Pump packets and collect roles until all have ended or the deadline. */
static int
roles_supervise(struct case_run *run)
{
	bool killed = false, pidfd_usable = true;

	while (!roles_over(run)) {
		struct pollfd pfds[ROLE_ENDS + ROLE_COUNT];
		int64_t left = run->deadline_ns - monotonic_ns();
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
		if (stop_signal != 0 && !killed) {
			char all[2048];

			describe_roles(run, -1, all, sizeof(all));
			run_error(run, CASE_ERROR, "stopped by %s: %s",
			    signal_to_name(stop_signal), all);
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
		if (pump(run) < 0 && !killed) {
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

/* True when a TCP socket of the case's port pair, in the current namespace,
 * is still closing (other sockets may be the host's own, with --no-netns). */
static bool
sockets_closing_here(unsigned port, char *states, size_t size)
{
	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	static const char *const names[] = { "?", "ESTABLISHED", "SYN_SENT",
		"SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
		"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };
	bool closing = false;
	size_t f;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		FILE *fp = fopen(files[f], "re");
		char *line = NULL;
		size_t cap = 0;

		if (fp == NULL)
			continue;
		/* Skip the header; the 4th field is the state, in hex. */
		if (getline(&line, &cap, fp) > 0)
			while (getline(&line, &cap, fp) > 0) {
				unsigned st = 0, lport = 0, rport = 0;

				if (sscanf(line, "%*s %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%x %x",
				    &lport, &rport, &st) != 3)
					continue;
				if (lport != port && rport != port)
					continue;
				if (st == 0x06 || st == 0x07 || st == 0x0A)
					continue;	/* TIME_WAIT, CLOSE, LISTEN */
				closing = true;
				if (strlen(states) + 16 < size)
					snprintf(states + strlen(states), size - strlen(states),
					    "%s%s", states[0] ? ", " : "",
					    st < sizeof(names) / sizeof(names[0]) ? names[st] : "?");
			}
		free(line);
		fclose(fp);
	}
	return closing;
}

/* ... in any namespace of the case; the caller ends in the client's. */
static bool
sockets_closing(struct case_run *run, char *states, size_t size)
{
	char err[256];
	bool closing = false;
	int e;

	states[0] = '\0';
	for (e = run->nns - 1; e >= 0; e--) {
		if (topology_enter(&run->topo, (enum role_id)e, err, sizeof(err)) < 0)
			continue;
		if (sockets_closing_here(run->report.server_port, states, size))
			closing = true;
	}
	return closing;
}

/* Does every capture hold the sentinel? */
static bool
sentinel_everywhere(struct case_run *run)
{
	int e;

	for (e = 0; e < ROLE_ENDS; e++)
		if (run->evidence[e].capture != NULL &&
		    !capture_sentinel_seen(run->evidence[e].capture))
			return false;
	return true;
}

/*
 * Once the roles are gone: let closing sockets finish (a FIN still in
 * flight would miss the capture), then send the sentinel and read until
 * it is seen.  Everything tapped before it is then in the file.
 */
static int
capture_complete(struct case_run *run)
{
	uint8_t nonce[CAPTURE_NONCE_SIZE];
	int64_t until = monotonic_ns() + SETTLE_LIMIT_NS;
	char states[256];
	int urandom, e;

	while (sockets_closing(run, states, sizeof(states))) {
		if (monotonic_ns() >= until) {
			snprintf(run->note, sizeof(run->note),
			    "sockets still closing 2 s after the roles ended (%s): "
			    "later packets are not in the capture", states);
			run->report.note = run->note;
			break;
		}
		if (pump(run) < 0)
			return -1;
		poll(NULL, 0, 1);
	}
	urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (urandom < 0 || read(urandom, nonce, sizeof(nonce)) != (ssize_t)sizeof(nonce)) {
		run_error(run, CASE_ERROR, "/dev/urandom: %s", strerror(errno));
		if (urandom >= 0)
			close(urandom);
		return -1;
	}
	close(urandom);
	for (e = 0; e < ROLE_ENDS; e++)
		if (run->evidence[e].capture != NULL)
			capture_set_sentinel(run->evidence[e].capture, nonce, sizeof(nonce));
	/* From the client's namespace to the server's: across the path, behind
	 * every packet queued before it. */
	if (sendto(run->sentinel_tx, nonce, sizeof(nonce), 0,
	    (struct sockaddr *)&run->sentinel_addr, run->topo.addr_len) < 0) {
		run_error(run, CASE_ERROR, "sending the capture sentinel: %s", strerror(errno));
		return -1;
	}
	until = monotonic_ns() + SENTINEL_LIMIT_NS;
	while (!sentinel_everywhere(run)) {
		if (monotonic_ns() >= until) {
			run_error(run, CASE_ERROR,
			    "evidence incomplete: the capture sentinel did not show up within 2 s");
			return -1;
		}
		poll(NULL, 0, 1);
		if (pump(run) < 0)
			return -1;
	}
	return 0;
}

/* The capture the verdict's wire half comes from: the server end's, or the only one. */
static int
primary_end(const struct case_run *run)
{
	return run->evidence[ROLE_SERVER].wanted ? ROLE_SERVER : ROLE_CLIENT;
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

static int
case_setup(struct case_run *run, int dir_fd)
{
	char err[1024];
	char filter[128];
	int pcap_fd, r;

	run->ledgers = mmap(NULL, ROLE_COUNT * sizeof(struct ledger),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (run->ledgers == MAP_FAILED) {
		run->ledgers = NULL;
		run_error(run, CASE_ERROR, "mmap: %s", strerror(errno));
		return -1;
	}
	for (r = 0; r < ROLE_COUNT; r++)
		ledger_init(&run->ledgers[r]);
	run->streams = mmap(NULL, ROLE_ENDS * sizeof(struct end_stream),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (run->streams == MAP_FAILED) {
		run->streams = NULL;
		run_error(run, CASE_ERROR, "mmap: %s", strerror(errno));
		return -1;
	}
	if (events_plan(run) < 0) {
		run_error(run, CASE_ERROR, "out of memory");
		return -1;
	}
	run->board = event_board_create(run->events.count);
	if (run->board == NULL) {
		run_error(run, CASE_ERROR, "mmap: %s", strerror(errno));
		return -1;
	}
	switch (topology_build(run->cf, run->family, &run->topo, err, sizeof(err))) {
	case TOPOLOGY_OK:
		break;
	case TOPOLOGY_UNSUPPORTED:
		run_error(run, CASE_SKIP, "%s", err);
		return -1;
	case TOPOLOGY_FAILED:
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->nns = topology_shared(&run->topo) ? 1 : 2;
	run->report.paths = run->topo.applied;
	/* The listener and the sentinel's receiver live with the server end. */
	if (topology_enter(&run->topo, ROLE_SERVER, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->server_addr = run->topo.server_addr;
	run->sentinel_addr = run->topo.server_addr;
	run->listen_fd = bound_socket(SOCK_STREAM, &run->server_addr);
	if (run->listen_fd < 0 || listen(run->listen_fd, 16) < 0) {
		run_error(run, CASE_ERROR, "listener: %s", strerror(errno));
		return -1;
	}
	run->sentinel_rx = bound_socket(SOCK_DGRAM, &run->sentinel_addr);
	if (run->sentinel_rx < 0) {
		run_error(run, CASE_ERROR, "sentinel socket: %s", strerror(errno));
		return -1;
	}
	if (topology_enter(&run->topo, ROLE_CLIENT, err, sizeof(err)) < 0) {
		run_error(run, CASE_ERROR, "%s", err);
		return -1;
	}
	run->sentinel_tx = socket(run->sentinel_addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (run->sentinel_tx < 0) {
		run_error(run, CASE_ERROR, "sentinel socket: %s", strerror(errno));
		return -1;
	}
	run->report.server_port = port_of(&run->server_addr);
	run->report.family = run->family == AF_INET6 ? 6 : 4;
	/*
	 * No "inbound" here: lo taps every packet twice and libpcap drops the
	 * outgoing copy itself, while the kernel-side "inbound" filter was seen
	 * to lose the first SYN of a fresh namespace (libpcap 1.10.3, Linux 6.x).
	 */
	snprintf(filter, sizeof(filter), "(tcp port %u or udp dst port %u)",
	    port_of(&run->server_addr), port_of(&run->sentinel_addr));
	for (r = 0; r < ROLE_ENDS; r++) {
		struct evidence *ev = &run->evidence[r];
		enum capture_result cr;

		if (!ev->wanted)
			continue;
		pcap_fd = evidence_open(dir_fd, ev->tmp);
		if (pcap_fd < 0) {
			run_error(run, CASE_ERROR, "%s: %s", ev->tmp, strerror(errno));
			return -1;
		}
		ev->created = true;
		/* A packet socket belongs to the namespace it was made in. */
		if (topology_enter(&run->topo, (enum role_id)r, err, sizeof(err)) < 0) {
			close(pcap_fd);
			run_error(run, CASE_ERROR, "%s", err);
			return -1;
		}
		cr = capture_open(&ev->capture, run->topo.ifname[r], filter, pcap_fd, err,
		    sizeof(err));
		if (cr != CAPTURE_OK) {
			run_error(run, cr == CAPTURE_NO_PERMISSION ? CASE_SKIP : CASE_ERROR, "%s", err);
			return -1;
		}
		if (kcounters_read(&run->before[r], err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "kernel counters: %s", err);
			return -1;
		}
	}
	/* Counters of a namespace without a capture point. */
	for (r = 0; r < run->nns; r++) {
		if (run->evidence[r].wanted)
			continue;
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
	run->report.pcap_path = run->evidence[primary_end(run)].path;
	return 0;
}

/* Classify each evidence file, exactly as "closeprobe analyze" would. */
static int
case_classify(struct case_run *run)
{
	uint16_t client_port = run->ledgers[ROLE_CLIENT].local_port;
	char err[1024];
	int e;

	run->report.client_port = client_port;
	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];
		struct trace_stats stats;

		if (!ev->complete)
			continue;
		ev->table = conn_table_new();
		if (ev->table == NULL) {
			run_error(run, CASE_ERROR, "out of memory");
			return -1;
		}
		if (trace_read_file(ev->tmp, ev->table, &stats, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "reading the evidence back: %s", err);
			return -1;
		}
		if (client_port != 0)
			ev->conn = conn_table_find_ports(ev->table, run->report.server_port,
			    client_port);
		if (ev->conn == NULL && conn_table_count(ev->table) > 0)
			ev->conn = conn_table_get(ev->table, 0);
	}
	run->report.conn = run->evidence[primary_end(run)].conn;
	if (run->evidence[ROLE_CLIENT].wanted && run->evidence[ROLE_SERVER].wanted)
		run->report.client_conn = run->evidence[ROLE_CLIENT].conn;
	return 0;
}

/* Counter changes of every namespace of the case, added up. */
static int
counters_collect(struct case_run *run, char *err, size_t size)
{
	int e, rc = 0;

	for (e = 0; e < run->nns && rc == 0; e++) {
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
	char system[128];
	int r;

	memset(&in, 0, sizeof(in));
	in.cf = run->cf;
	for (r = 0; r < ROLE_COUNT; r++)
		in.ledgers[r] = &run->ledgers[r];
	in.conn = run->report.conn;
	in.client_conn = run->report.client_conn;
	in.counters = &run->delta;
	in.system = system_name(system, sizeof(system));
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

static void
case_evidence_text(struct case_run *run, int dir_fd)
{
	int fd = evidence_open(dir_fd, run->text_tmp);
	FILE *fp;

	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "closeprobe: %s: %s\n", run->text_tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	/* The report names the text file, so name it before writing. */
	run->report.text_path = run->text_path;
	report_write_text(&run->report, fp);
	if (fclose(fp) != 0 || evidence_publish(dir_fd, run->text_tmp, run->text_path) < 0) {
		fprintf(stderr, "closeprobe: %s: %s\n", run->text_path, strerror(errno));
		unlinkat(dir_fd, strrchr(run->text_tmp, '/') + 1, 0);
		run->report.text_path = NULL;
	}
}

static void
case_run_free(struct case_run *run)
{
	int r;

	if (run->have_verdict)
		verdict_free(&run->verdict);
	for (r = 0; r < ROLE_ENDS; r++) {
		struct evidence *ev = &run->evidence[r];

		conn_table_free(ev->table);
		capture_close(ev->capture);
		free(ev->path);
		free(ev->tmp);
		kcounters_free(&run->before[r]);
	}
	kcounters_free(&run->delta);
	topology_free(&run->topo);
	event_board_destroy(run->board);
	for (r = 0; r < ROLE_COUNT; r++) {
		free(run->raise_ids[r]);
		free(run->wait_ids[r]);
		if (run->pidfds[r] >= 0)
			close(run->pidfds[r]);
	}
	free(run->events.roles);
	free(run->events.names);
	if (run->ledgers != NULL)
		munmap(run->ledgers, ROLE_COUNT * sizeof(struct ledger));
	if (run->streams != NULL)
		munmap(run->streams, ROLE_ENDS * sizeof(struct end_stream));
	if (run->listen_fd >= 0)
		close(run->listen_fd);
	if (run->sentinel_rx >= 0)
		close(run->sentinel_rx);
	if (run->sentinel_tx >= 0)
		close(run->sentinel_tx);
	free(run->text_path);
	free(run->text_tmp);
}

/* Name each capture point's evidence: "<case>[-v6].pcap", or with two
 * capture points "<case>[-v6].server.pcap" and "...client.pcap". */
static int
evidence_plan(struct case_run *run, const char *suffix)
{
	const struct case_file *cf = run->cf;
	bool both = cf->topology == TOPOLOGY_VETH && cf->capture == CAPTURE_AT_BOTH;
	char ext[64];
	int e;

	run->evidence[ROLE_SERVER].wanted = cf->topology == TOPOLOGY_LOOPBACK ||
	    cf->capture != CAPTURE_AT_CLIENT;
	run->evidence[ROLE_CLIENT].wanted = cf->topology == TOPOLOGY_VETH &&
	    cf->capture != CAPTURE_AT_SERVER;
	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];
		const char *where = !both ? "" : e == ROLE_SERVER ? ".server" : ".client";

		if (!ev->wanted)
			continue;
		snprintf(ext, sizeof(ext), "%s%s.pcap", suffix, where);
		ev->path = path_join(run->opt->captures_dir, cf->name, ext);
		snprintf(ext, sizeof(ext), "%s%s.pcap.%ld.tmp", suffix, where, (long)getpid());
		ev->tmp = path_join(run->opt->captures_dir, cf->name, ext);
		if (ev->path == NULL || ev->tmp == NULL)
			return -1;
	}
	snprintf(ext, sizeof(ext), "%s.txt", suffix);
	run->text_path = path_join(run->opt->captures_dir, cf->name, ext);
	snprintf(ext, sizeof(ext), "%s.txt.%ld.tmp", suffix, (long)getpid());
	run->text_tmp = path_join(run->opt->captures_dir, cf->name, ext);
	return run->text_path == NULL || run->text_tmp == NULL ? -1 : 0;
}

/* Stop every capture; a drop anywhere makes the evidence incomplete. */
static void
evidence_finish(struct case_run *run)
{
	char err[1024];
	int e;

	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];

		if (ev->capture == NULL)
			continue;
		if (capture_finish(ev->capture, &ev->stats, err, sizeof(err)) < 0) {
			run_error(run, CASE_ERROR, "capture: %s", err);
			continue;
		}
		ev->complete = true;
		if (ev->stats.dropped > 0)
			run_error(run, CASE_ERROR,
			    "evidence incomplete: the capture at the %s dropped %u packets",
			    role_name((enum role_id)e), ev->stats.dropped);
	}
	run->report.have_capture = run->evidence[primary_end(run)].complete;
	run->report.capture = run->evidence[primary_end(run)].stats;
	if (run->evidence[ROLE_CLIENT].wanted && run->evidence[ROLE_SERVER].wanted) {
		run->report.client_pcap_path = run->evidence[ROLE_CLIENT].path;
		run->report.client_capture = run->evidence[ROLE_CLIENT].stats;
	}
}

/* Publish what was captured, whatever happened: it is the evidence. */
static void
evidence_publish_all(struct case_run *run, int dir_fd)
{
	int e;

	for (e = 0; e < ROLE_ENDS; e++) {
		struct evidence *ev = &run->evidence[e];

		if (!ev->created)
			continue;
		capture_close(ev->capture);
		ev->capture = NULL;
		if (evidence_publish(dir_fd, ev->tmp, ev->path) < 0)
			run_error(run, CASE_ERROR, "%s: %s", ev->path, strerror(errno));
	}
}

/* The coordinator: runs in a child of closeprobe; returns the exit status. */
static int
case_coordinate(const struct case_file *cf, const struct run_options *opt, int family,
    int json_fd)
{
	/* With "family both" each run's evidence names its family. */
	const char *suffix = cf->family != FAMILY_BOTH ? "" : family == AF_INET6 ? "-v6" : "-v4";
	struct case_run run;
	char err[1024];
	int dir_fd = -1;
	int status, r;
	FILE *json;

	memset(&run, 0, sizeof(run));
	run.cf = cf;
	run.opt = opt;
	run.family = family;
	run.listen_fd = -1;
	run.sentinel_rx = run.sentinel_tx = -1;
	run.topo.ns_fd[ROLE_CLIENT] = run.topo.ns_fd[ROLE_SERVER] = -1;
	for (r = 0; r < ROLE_COUNT; r++)
		run.pidfds[r] = -1;
	run.report.cf = cf;
	run.report.status = CASE_PASS;
	run.report.family = family == AF_INET6 ? 6 : 4;
	run.report.family_in_name = cf->family == FAMILY_BOTH;
	run.started_ns = monotonic_ns();
	if (evidence_plan(&run, suffix) < 0) {
		run_error(&run, CASE_ERROR, "out of memory");
		goto report;
	}
	if (opt->no_netns) {
		/* The caller's own namespace: its real configuration, shared counters. */
		if (cf->topology != TOPOLOGY_LOOPBACK || cf->nsysctls > 0 || cf->mtu != 0 ||
		    cf->offloads_off) {
			run_error(&run, CASE_ERROR, "--no-netns runs plain loopback cases only: "
			    "this case changes the topology or the stack's settings");
			goto report;
		}
		snprintf(run.note, sizeof(run.note), "--no-netns: the kernel counters are "
		    "the whole namespace's, other traffic included");
		run.report.note = run.note;
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
	dir_fd = open_captures_dir(&run);
	if (dir_fd < 0 || case_setup(&run, dir_fd) < 0)
		goto report;
	run.deadline_ns = monotonic_ns() + (int64_t)cf->deadline_ms * 1000000;
	for (r = 0; r < ROLE_COUNT; r++)
		run.report.ledgers[r] = &run.ledgers[r];
	if (roles_start(&run) < 0) {
		int wstatus;

		/* Whatever was started goes, and is collected. */
		roles_kill(&run);
		while (waitpid(-1, &wstatus, 0) > 0 || errno == EINTR)
			;
	} else
		roles_supervise(&run);
	/* Even after an error the capture is completed: it is the evidence. */
	if (capture_complete(&run) == 0)
		evidence_finish(&run);
	if (counters_collect(&run, err, sizeof(err)) < 0)
		run_error(&run, CASE_ERROR, "kernel counters: %s", err);
	else
		run.report.counters = &run.delta;
	if (run.report.have_capture && case_classify(&run) == 0 &&
	    run.report.status != CASE_ERROR && run.report.status != CASE_SKIP) {
		if (run.report.conn == NULL)
			run_error(&run, CASE_ERROR, "no packet of the connection was captured");
		else if (!run.report.conn->syn_seen || !run.report.conn->synack_seen)
			/* The capture was on before connect(): a missing handshake
			 * means packets went missing, whatever pcap_stats says. */
			run_error(&run, CASE_ERROR, "evidence incomplete: the capture lacks the %s",
			    run.report.conn->syn_seen ? "SYN+ACK" : "SYN");
		else
			case_judge(&run);
	}
report:
	run.report.duration_s = (double)(monotonic_ns() - run.started_ns) / 1e9;
	if (dir_fd >= 0)
		evidence_publish_all(&run, dir_fd);
	if (dir_fd >= 0)
		case_evidence_text(&run, dir_fd);
	report_write_text(&run.report, stdout);
	fflush(stdout);
	json = fdopen(json_fd, "w");
	if (json != NULL) {
		report_write_json(&run.report, json);
		fclose(json);
	} else
		close(json_fd);
	status = case_status_exit(run.report.status);
	if (dir_fd >= 0)
		close(dir_fd);
	case_run_free(&run);
	return status;
}

static char *
read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);

			if (bigger == NULL) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (len == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* One family's run of the case, in a coordinator process of its own. */
static int
run_family(const struct case_file *cf, const struct run_options *opt, int family,
    char **json)
{
	int pipefd[2];
	int wstatus;
	pid_t pid;

	*json = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		printf("%s: ERROR. pipe: %s\n", cf->name, strerror(errno));
		return EXIT_ERROR;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		printf("%s: ERROR. fork: %s\n", cf->name, strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return EXIT_ERROR;
	}
	if (pid == 0) {
		coordinator_pid = 0;
		close(pipefd[0]);
		_exit(case_coordinate(cf, opt, family, pipefd[1]));
	}
	coordinator_pid = pid;
	/* A signal that came just before the fork would not have reached it. */
	if (stop_signal != 0)
		kill(pid, stop_signal);
	close(pipefd[1]);
	*json = read_all(pipefd[0]);
	close(pipefd[0]);
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			coordinator_pid = 0;
			printf("%s: ERROR. waitpid: %s\n", cf->name, strerror(errno));
			return EXIT_ERROR;
		}
	coordinator_pid = 0;
	if (WIFSIGNALED(wstatus)) {
		printf("%s: ERROR. the case's coordinator died of signal %d (%s)\n",
		    cf->name, WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		return EXIT_ERROR;
	}
	return WEXITSTATUS(wstatus);
}

/* The worse of two statuses: error, then fail, then skip, then pass. */
static int
status_worse(int a, int b)
{
	static const int order[] = { EXIT_ERROR, EXIT_FAIL, EXIT_SKIP, EXIT_PASS };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a;
}

int
runner_run_case(const struct case_file *cf, const struct run_options *opt, char **json)
{
	char *v4 = NULL, *v6 = NULL;
	int status = EXIT_PASS;
	size_t len;

	if (cf->family != FAMILY_6)
		status = run_family(cf, opt, AF_INET, &v4);
	if (cf->family != FAMILY_4 && stop_signal == 0)
		status = status_worse(status, run_family(cf, opt, AF_INET6, &v6));
	if (v4 == NULL || v6 == NULL) {
		*json = v4 != NULL ? v4 : v6;
		return status;
	}
	/* Two objects, as two elements of the caller's array. */
	len = strlen(v4) + strlen(v6) + 3;
	*json = malloc(len);
	if (*json != NULL)
		snprintf(*json, len, "%s,\n%s", v4, v6);
	free(v4);
	free(v6);
	return status;
}
