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
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence.h"
#include "interrupt.h"
#include "monotime.h"
#include "netns.h"
#include "role.h"
#include "runner-int.h"
#include "status.h"
#include "strbuf.h"
#include "supervise.h"
#include "trace.h"

void
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
	run->report.pcap_path = run->evidence[evidence_primary_end(run)].path;
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
	run->report.conn = run->evidence[evidence_primary_end(run)].conn;
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

/* The coordinator: runs in a child of closeprobe; returns the exit status. */
static int
case_coordinate(const struct case_file *cf, const struct run_options *opt, int family,
    int out_fd)
{
	/* With "family both" each run's evidence names its family. */
	const char *suffix = cf->family != FAMILY_BOTH ? "" : family == AF_INET6 ? "-v6" : "-v4";
	struct case_run run;
	struct strbuf text, json;
	char err[1024], warning[1024] = "";
	int dir_fd = -1;
	int status, r;

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
	run.started_ns = monotime_ns();
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
	dir_fd = evidence_dir_open(&run);
	if (dir_fd < 0 || case_setup(&run, dir_fd) < 0)
		goto report;
	run.deadline_ns = monotime_ns() + (int64_t)cf->deadline_ms * 1000000;
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
	if (evidence_complete(&run) == 0)
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
	run.report.duration_s = (double)(monotime_ns() - run.started_ns) / 1e9;
	if (dir_fd >= 0)
		evidence_publish_all(&run, dir_fd);
	strbuf_init(&text);
	report_append_text(&text, &run.report);
	if (dir_fd >= 0 && !text.failed)
		evidence_write_text(&run, dir_fd, text.data, warning, sizeof(warning));
	strbuf_init(&json);
	report_append_json(&json, &run.report);
	coordinator_send(out_fd, &text, warning, &json);
	strbuf_free(&text);
	strbuf_free(&json);
	status = report_status_exit(run.report.status);
	if (dir_fd >= 0)
		close(dir_fd);
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
		_exit(case_coordinate(cf, opt, family, pipefd[1]));
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

/* The worse of two statuses: error, then fail, then skip, then pass. */
static enum case_status
status_worse(enum case_status a, enum case_status b)
{
	static const enum case_status order[] = { CASE_ERROR, CASE_FAIL, CASE_SKIP, CASE_PASS };
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
