/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peerlink.c - one role of one case behind the peer protocol.
 *
 *   peer (main)      hello, reads the case, sets up the socket, relays
 *    |               "event N" into the role's waits, "abort", sends the
 *    |               ledger once the role has ended
 *    `- role         role_run(): raises with "raise N" lines written
 *                    straight to the coordinator, records its ledger in
 *                    shared memory (a rolelink), which the main process
 *                    reads when the role ends, however it ends
 * The role is a process of its own, as a local role is: it can be killed,
 * die of a signal or end with an "exit" step, and the ledger as last
 * recorded is still sent.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "events.h"
#include "ledger.h"
#include "ledgercodec.h"
#include "monotime.h"
#include "peerlink.h"
#include "peerproto.h"
#include "platform.h"
#include "role.h"
#include "rolelink.h"
#include "strbuf.h"

#define SETUP_LIMIT_NS (30LL * 1000000000)	/* for each line of the set-up */
#define GRACE_NS (3LL * 1000000000)	/* past the case deadline before the role goes */
#define POLL_MS 50			/* without a pidfd, how often to look */
#define CASE_TEXT_MAX (1024 * 1024)
#define LINGER_LIMIT_NS (10LL * 1000000000)	/* after "end", for the stream to close */

struct peer_session {
	int in_fd, out_fd;
	struct peer_reader reader;
	struct case_file *cf;
	enum role_id role;
	struct event_plan events;
	bool have_events;
	struct rolelink *link;
	int listen_fd;
	struct sockaddr_storage addr;	/* listen here (server) or connect here (client) */
	socklen_t addr_len;
	int64_t deadline_ns;
	/* The role process's own (after fork): the step last said. */
	int said_step;
	struct role_io io;
};

/* What this peer runs: every step (a fork's child role raises on the same
 * stream and records in the same shared memory), every option. */
static void
own_caps(struct peer_caps *caps)
{
	size_t i;

	memset(caps, 0, sizeof(*caps));
	for (i = 0; i < STEP_KIND_COUNT; i++)
		caps->steps[i] = true;
	for (i = 0; i < PEERPROTO_OPTIONS; i++)
		caps->options[i] = true;
}

static int
send_hello(struct peer_session *ps, char *err, size_t errlen)
{
	struct platform p;
	struct peer_caps caps;
	char words[1024];
	const struct {
		const char *field, *value;
	} fields[] = {
		{ "os", p.os }, { "release", p.release }, { "version", p.version },
		{ "machine", p.machine }, { "stack", p.stack },
	};
	size_t i;
	int rc = 0;

	if (platform_probe(&p, err, errlen) < 0)
		return -1;
	own_caps(&caps);
	rc |= peerproto_send_number(ps->out_fd, PEER_HELLO, PEERPROTO_VERSION);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		rc |= peerproto_send_text(ps->out_fd, PEER_PLATFORM, fields[i].field,
		    fields[i].value);
	peer_caps_words(&caps, false, words, sizeof(words));
	rc |= peerproto_send_text(ps->out_fd, PEER_SUPPORTS, "steps", words);
	peer_caps_words(&caps, true, words, sizeof(words));
	rc |= peerproto_send_text(ps->out_fd, PEER_SUPPORTS, "options", words);
	rc |= peerproto_send_text(ps->out_fd, PEER_READY, NULL, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "writing the hello: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The next message from the coordinator, within the set-up's limit. */
static int
next_msg(struct peer_session *ps, struct peer_msg *msg, char *err, size_t errlen)
{
	char *line, why[256];
	size_t len;
	int rc = peer_reader_line(&ps->reader, monotime_ns() + SETUP_LIMIT_NS, &line, &len, why,
	    sizeof(why));

	if (rc == 0) {
		snprintf(err, errlen, "the coordinator closed the stream");
		return -1;
	}
	if (rc < 0 || peerproto_parse(line, len, msg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "from the coordinator: %s", why);
		return -1;
	}
	if (msg->verb == PEER_ERROR) {
		snprintf(err, errlen, "the coordinator gave up: %.*s", (int)msg->text_len,
		    msg->text);
		return -1;
	}
	return 0;
}

static int
expect_msg(struct peer_session *ps, enum peer_verb verb, struct peer_msg *msg, char *err,
    size_t errlen)
{
	if (next_msg(ps, msg, err, errlen) < 0)
		return -1;
	if (msg->verb != verb) {
		snprintf(err, errlen, "expected '%s' from the coordinator, got '%s'",
		    peerproto_verb_name(verb), peerproto_verb_name(msg->verb));
		return -1;
	}
	return 0;
}

/* "case NAME LINES" and its text lines: parsed as a local run parses it. */
static int
read_case(struct peer_session *ps, char *err, size_t errlen)
{
	struct peer_msg msg;
	struct case_error cerr;
	struct strbuf text;
	char name[PEERPROTO_WORD_MAX + 1];
	uint64_t n, i;

	if (expect_msg(ps, PEER_CASE, &msg, err, errlen) < 0)
		return -1;
	snprintf(name, sizeof(name), "%s", msg.word);
	n = msg.number;
	strbuf_init(&text);
	for (i = 0; i < n; i++) {
		if (expect_msg(ps, PEER_TEXT, &msg, err, errlen) < 0) {
			strbuf_free(&text);
			return -1;
		}
		strbuf_add(&text, msg.text, msg.text_len);
		strbuf_addc(&text, '\n');
		if (text.len > CASE_TEXT_MAX) {
			snprintf(err, errlen, "the case's text is over %d bytes", CASE_TEXT_MAX);
			strbuf_free(&text);
			return -1;
		}
	}
	if (text.failed) {
		snprintf(err, errlen, "out of memory");
		strbuf_free(&text);
		return -1;
	}
	ps->cf = case_parse_string(name, text.data, text.len, &cerr);
	strbuf_free(&text);
	if (ps->cf == NULL) {
		snprintf(err, errlen, "the case does not parse here: %s", cerr.msg);
		return -1;
	}
	return 0;
}

/* "ADDR" or "ADDR PORT": an IPv4 or IPv6 address, a port 1..65535. */
static int
parse_addr(const char *text, size_t len, bool want_port, struct sockaddr_storage *ss,
    socklen_t *ss_len)
{
	char buf[INET6_ADDRSTRLEN + 8], *sp, *end;
	unsigned long port = 0;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	sp = strchr(buf, ' ');
	if ((sp != NULL) != want_port)
		return -1;
	if (sp != NULL) {
		*sp = '\0';
		errno = 0;
		port = strtoul(sp + 1, &end, 10);
		if (errno != 0 || *end != '\0' || sp[1] < '1' || sp[1] > '9' || port > 65535)
			return -1;
	}
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, buf, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*ss_len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*ss_len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -1;
}

static uint16_t
addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port :
	    ((const struct sockaddr_in *)ss)->sin_port);
}

/* "role server ADDR" / "role client ADDR PORT", then the socket's set-up. */
static int
read_role(struct peer_session *ps, char *err, size_t errlen)
{
	struct peer_msg msg;
	bool server;

	if (expect_msg(ps, PEER_ROLE, &msg, err, errlen) < 0)
		return -1;
	server = strcmp(msg.word, "server") == 0;
	if (!server && strcmp(msg.word, "client") != 0) {
		snprintf(err, errlen, "'role' takes server or client, not '%s'", msg.word);
		return -1;
	}
	ps->role = server ? ROLE_SERVER : ROLE_CLIENT;
	if (parse_addr(msg.text, msg.text_len, !server, &ps->addr, &ps->addr_len) < 0) {
		snprintf(err, errlen, "'role %s' needs %s, not '%.*s'", msg.word,
		    server ? "an address to listen on" : "an address and a port to connect to",
		    (int)(msg.text_len > 64 ? 64 : msg.text_len), msg.text);
		return -1;
	}
	return 0;
}

/* The server's listener, bound to the address given, the port the kernel's. */
static int
open_listener(struct peer_session *ps, char *err, size_t errlen)
{
	socklen_t len = ps->addr_len;

	ps->listen_fd = socket(ps->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ps->listen_fd < 0) {
		snprintf(err, errlen, "listener: socket: %s", strerror(errno));
		return -1;
	}
	if (bind(ps->listen_fd, (struct sockaddr *)&ps->addr, ps->addr_len) < 0 ||
	    listen(ps->listen_fd, 16) < 0 ||
	    getsockname(ps->listen_fd, (struct sockaddr *)&ps->addr, &len) < 0) {
		snprintf(err, errlen, "listener on the address given: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The role process's role_io: the shared ledger and board, raises as lines. */
static void
io_raise(void *ctx, size_t event)
{
	struct peer_session *ps = ctx;

	/* Here too, for the role's own waits on its own end's events. */
	rolelink_io(ps->link)->raise(rolelink_io(ps->link)->ctx, event);
	/* A coordinator gone is seen by the main process: nothing to do here. */
	(void)peerproto_send_number(ps->out_fd, PEER_RAISE, event);
}

static int
io_wait(void *ctx, size_t event, int64_t deadline_ns)
{
	struct peer_session *ps = ctx;
	const struct role_io *io = rolelink_io(ps->link);

	return io->wait(io->ctx, event, deadline_ns);
}

static void
io_record(void *ctx, enum role_id role, const struct ledger *ledger)
{
	struct peer_session *ps = ctx;
	const struct role_io *io = rolelink_io(ps->link);

	io->record(io->ctx, role, ledger);
	/* Where the role is, for the coordinator's account of a deadline (the
	 * role's own steps, not its child's). */
	if (role == ps->role && ledger->step != ps->said_step && ledger->step >= 0 &&
	    ledger->step <= CASE_ROLE_STEPS_MAX) {
		ps->said_step = ledger->step;
		(void)peerproto_send_number(ps->out_fd, PEER_STEP, (uint64_t)ledger->step);
	}
}

static uint64_t
io_stream_advance(void *ctx, enum role_id end, enum role_stream stream, uint64_t n)
{
	struct peer_session *ps = ctx;
	const struct role_io *io = rolelink_io(ps->link);

	return io->stream_advance(io->ctx, end, stream, n);
}

static void
role_process(struct peer_session *ps)
{
	struct role_context ctx = {
		.cf = ps->cf,
		.events = &ps->events,
		.io = &ps->io,
		.listen_fd = ps->listen_fd,
		.server_addr = &ps->addr,
		.server_addrlen = ps->addr_len,
		.case_deadline_ns = ps->deadline_ns,
		.server_ready = { -1, -1 },	/* the listener is made before the role starts */
	};

	/* As a local role: SIGPIPE kills it only if the case says so; a
	 * process group of its own, which its child joins, killed as one. */
	setpgid(0, 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	close(ps->in_fd);
	_exit(role_run(&ctx, ps->role) == 0 ? 0 : 1);
}

/* The role and its process group (its child), all of it. */
static void
kill_role(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* A role has ended (collected with wstatus, if collected): its ledger, as
 * last recorded, as a verb line. */
static int
send_ledger(struct peer_session *ps, enum peer_verb verb, enum role_id role, bool collected,
    int wstatus, char *err, size_t errlen)
{
	static struct ledger l;	/* static: a ledger is big */
	struct strbuf json;
	int rc;

	l = *rolelink_ledger(ps->link, role);
	l.exited = collected;
	l.exit_code = collected && WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;
	l.exit_signal = collected && WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	strbuf_init(&json);
	ledger_to_json(&json, &l);
	if (json.failed) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	{
		struct peer_msg msg = { .verb = verb, .text = json.data, .text_len = json.len };

		rc = peerproto_send(ps->out_fd, &msg);
	}
	strbuf_free(&json);
	if (rc < 0) {
		snprintf(err, errlen, "sending the ledger: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* One line from the coordinator while the role runs. */
static int
relay_line(struct peer_session *ps, const char *line, size_t len, pid_t pid, char *err,
    size_t errlen)
{
	struct peer_msg msg;
	char why[256];

	if (peerproto_parse(line, len, &msg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "from the coordinator: %s", why);
		return -1;
	}
	switch (msg.verb) {
	case PEER_EVENT:
		if (msg.number >= ps->events.count) {
			snprintf(err, errlen, "event %llu: the case has %zu events",
			    (unsigned long long)msg.number, ps->events.count);
			return -1;
		}
		rolelink_io(ps->link)->raise(rolelink_io(ps->link)->ctx, (size_t)msg.number);
		return 0;
	case PEER_ABORT:
		rolelink_abort(ps->link);
		kill_role(pid);
		return 0;
	default:
		snprintf(err, errlen, "'%s' from the coordinator while the role runs",
		    peerproto_verb_name(msg.verb));
		return -1;
	}
}

/* How the role's processes ended: the role's, and its child's if forked. */
struct role_ends {
	bool role_done, child_done;
	int role_status, child_status;
};

/* Collect whatever has ended; true when nothing is left (the role's child,
 * re-parented to this subreaper, is collected here too). */
static bool
collect_ends(struct peer_session *ps, pid_t pid, struct role_ends *ends, char *err,
    size_t errlen)
{
	int wstatus;
	pid_t got;

	while ((got = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		if (got == pid) {
			ends->role_done = true;
			ends->role_status = wstatus;
		} else if (got == rolelink_ledger(ps->link, ps->role)->child_pid) {
			ends->child_done = true;
			ends->child_status = wstatus;
		}
	}
	if (got < 0 && errno == ECHILD)
		return true;
	if (got < 0 && errno != EINTR)
		snprintf(err, errlen, "waitpid: %s", strerror(errno));
	return false;
}

/* Fork the role, relay until it (and its child) have ended, send the
 * ledgers. */
static int
run_role(struct peer_session *ps, char *err, size_t errlen)
{
	enum role_id child = ps->role == ROLE_CLIENT ? ROLE_CLIENT_CHILD : ROLE_SERVER_CHILD;
	struct role_ends ends = { false, false, 0, 0 };
	int pidfd, rc = 0;
	bool killed = false;
	pid_t pid;

	ps->said_step = -1;
	ps->io = (struct role_io){ .ctx = ps, .raise = io_raise, .wait = io_wait,
		.record = io_record, .stream_advance = io_stream_advance };
	/* A child the role forks outlives it sometimes: collect it here. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		snprintf(err, errlen, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		role_process(ps);
	if (ps->listen_fd >= 0) {
		close(ps->listen_fd);
		ps->listen_fd = -1;
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	while (!collect_ends(ps, pid, &ends, err, errlen)) {
		struct pollfd pfds[2] = { { ps->reader.eof ? -1 : ps->in_fd, POLLIN, 0 },
			{ ends.role_done ? -1 : pidfd, POLLIN, 0 } };
		/* The role's own end wakes the poll; its child's is looked for. */
		int timeout = pidfd >= 0 && !ends.role_done ? 1000 : POLL_MS;
		char *line;
		size_t len;
		int n;

		if (!killed && monotime_ns() > ps->deadline_ns + GRACE_NS) {
			/* The coordinator should have aborted by now: it is gone
			 * or stuck, and the role goes anyway. */
			kill_role(pid);
			killed = true;
		}
		if (poll(pfds, 2, timeout) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			kill_role(pid);
			killed = true;
			rc = -1;
			continue;
		}
		if (!(pfds[0].revents & (POLLIN | POLLHUP | POLLERR)) || ps->reader.eof)
			continue;
		if (peer_reader_fill(&ps->reader) < 0 && errno != EINTR && errno != EAGAIN) {
			snprintf(err, errlen, "reading from the coordinator: %s", strerror(errno));
			kill_role(pid);
			killed = true;
			rc = -1;
			continue;
		}
		while ((n = peer_reader_next(&ps->reader, &line, &len, err, errlen)) > 0)
			if (relay_line(ps, line, len, pid, err, errlen) < 0) {
				kill_role(pid);
				killed = true;
				rc = -1;
				break;
			}
		if (n < 0 || ps->reader.eof) {
			if (ps->reader.eof && n == 0)
				snprintf(err, errlen, "the coordinator closed the stream mid-case");
			kill_role(pid);
			killed = true;
			rc = -1;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	/* Sent after an error too: what the role did is evidence.  The
	 * error's own line follows them (peer_serve). */
	{
		char ignored[256];
		char *where = rc < 0 ? ignored : err;
		size_t size = rc < 0 ? sizeof(ignored) : errlen;

		if (send_ledger(ps, PEER_LEDGER, ps->role, ends.role_done, ends.role_status, where,
		    size) < 0 || (ps->cf->roles[child].present &&
		    send_ledger(ps, PEER_CHILD_LEDGER, child, ends.child_done, ends.child_status,
		    where, size) < 0))
			return -1;
	}
	return rc;
}

static int
serve(struct peer_session *ps, char *err, size_t errlen)
{
	struct peer_caps caps;
	struct peer_msg msg;
	const char *step;
	char why[512];

	if (send_hello(ps, err, errlen) < 0 || read_case(ps, err, errlen) < 0 ||
	    read_role(ps, err, errlen) < 0)
		return -1;
	own_caps(&caps);
	if (!peer_caps_cover(&caps, ps->cf, ps->role, &step, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		peerproto_send_text(ps->out_fd, PEER_UNSUPPORTED, step, why);
		return 1;
	}
	if (event_plan_build(&ps->events, ps->cf, err, errlen) < 0)
		return -1;
	ps->have_events = true;
	ps->link = rolelink_create(ps->events.count, err, errlen);
	if (ps->link == NULL)
		return -1;
	if (ps->role == ROLE_SERVER) {
		if (open_listener(ps, err, errlen) < 0)
			return -1;
		if (peerproto_send_number(ps->out_fd, PEER_LISTENING, addr_port(&ps->addr)) < 0)
			goto write_failed;
	} else if (peerproto_send_text(ps->out_fd, PEER_CONNECTING, NULL, NULL) < 0)
		goto write_failed;
	if (expect_msg(ps, PEER_START, &msg, err, errlen) < 0)
		return -1;
	ps->deadline_ns = monotime_ns() + (int64_t)msg.number * 1000000;
	if (peerproto_send_number(ps->out_fd, PEER_CLOCK, (uint64_t)monotime_ns()) < 0)
		goto write_failed;
	return run_role(ps, err, errlen);
write_failed:
	snprintf(err, errlen, "writing to the coordinator: %s", strerror(errno));
	return -1;
}

/*
 * The case is not over when the role is: the coordinator still completes
 * its capture (its sentinel may need this host to answer neighbour
 * discovery, and a guest powers off when the peer ends).  Stay until it
 * closes the stream, a bounded time.
 */
static void
linger_until_closed(struct peer_session *ps)
{
	int64_t until = monotime_ns() + LINGER_LIMIT_NS;
	char *line, why[64];
	size_t len;

	while (peer_reader_line(&ps->reader, until, &line, &len, why, sizeof(why)) > 0)
		;
}

int
peer_serve(int in_fd, int out_fd, char *err, size_t errlen)
{
	struct peer_session ps;
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.in_fd = in_fd;
	ps.out_fd = out_fd;
	ps.listen_fd = -1;
	/* A coordinator gone is an error of a write, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (peer_reader_init(&ps.reader, in_fd) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = serve(&ps, err, errlen);
	if (rc < 0)
		(void)peerproto_send_text(out_fd, PEER_ERROR, NULL, err);
	else if (rc == 0 && peerproto_send_text(out_fd, PEER_END, NULL, NULL) < 0) {
		snprintf(err, errlen, "writing to the coordinator: %s", strerror(errno));
		rc = -1;
	}
	if (rc >= 0)
		linger_until_closed(&ps);
	if (ps.listen_fd >= 0)
		close(ps.listen_fd);
	rolelink_destroy(ps.link);
	if (ps.have_events)
		event_plan_free(&ps.events);
	case_free(ps.cf);
	peer_reader_free(&ps.reader);
	return rc;
}
