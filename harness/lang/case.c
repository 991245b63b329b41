/*
 * case.c - parse the case language into a struct case_file.
 *
 * GRAMMAR
 *
 * The file is read as lines (LF ends a line; one CR before it is
 * dropped).  "#" starts a comment that runs to the end of the line.
 * Tokens are separated by spaces and tabs.  Blank and comment-only lines
 * are ignored.  Indentation means nothing.  Positions in messages are
 * LINE:COL, both 1-based; COL counts bytes (a tab is one column) and
 * points at the offending token.  A NUL byte anywhere is an error, as is
 * any other control character but tab, and so is a byte above 0x7f
 * outside a comment (comments may hold UTF-8).
 *
 *   file        = { line }
 *   line        = directive | label [ item ] | item
 *   directive   = "case" NAME | "deadline" DURATION | "family" FAMILY
 *               | "topology" TOPOLOGY | "mtu" MTU | "offloads" ON_OFF
 *               | "capture" CAPTURE | "sysctl" SYSCTL "=" VALUE { VALUE }
 *               | "rate" DIRECTION RATE | "loss" DIRECTION PERCENT
 *               | "delay" DIRECTION DUR [ "jitter" DUR ]
 *   label       = "client:" | "server:" | "client.child:" | "server.child:"
 *               | "expect:" | "expect" SYSTEM ":"
 *   SYSTEM      = linux | freebsd | darwin | netbsd | openbsd
 *
 * Summary.  The lines at the very top whose first non-blank character is
 * "#" (from line 1 up to the first line that is not such a comment) form
 * the summary: on each line the leading "#" characters and one space after
 * them are dropped, trailing blanks are trimmed, empty lines are skipped,
 * and the rest is joined with single spaces.  No such lines: NULL.
 *
 * Directives.  A line whose first token is "case", "deadline", "family",
 * "topology", "mtu", "offloads", "capture", "sysctl", "rate", "loss" or
 * "delay" is a directive wherever it appears; it does not end the current
 * section.
 *   case NAME      required, once; NAME = [a-z0-9][a-z0-9-]{0,63}
 *   deadline DUR   optional, once, above 0; default 10s
 *   family 4 | 6 | both   optional, once; default 4 (FAMILY_4, FAMILY_6,
 *                  FAMILY_BOTH)
 * The path between the ends (see README, "Paths"):
 *   topology loopback | veth | routed   optional, once; default loopback
 *   mtu N          optional, once; N = plain digits, 68..65536; mtu 0
 *                  when absent (the interface's own)
 *   offloads on | off   optional, once; offloads_off = true for off;
 *                  either topology (on loopback it is about lo)
 *   capture server | client | both   optional, once; default server;
 *                  client and both need "topology veth"
 *   sysctl NAME = VALUE { VALUE }   any number, each NAME once; NAME =
 *                  "net." then words of [a-z0-9_] joined by single dots;
 *                  "=" is a token of its own ("NAME=VALUE" is refused);
 *                  value = the VALUE tokens joined by single spaces;
 *                  case_file.sysctls in file order
 *   rate DIRECTION RATE        RATE = DIGITS bit | kbit | mbit | gbit
 *                  (x1, x1000, x10^6, x10^9), above 0 and within
 *                  uint64_t bits per second: rate_bps
 *   loss DIRECTION PERCENT     PERCENT = DIGITS [ . D [ D ] ] "%" (one
 *                  token), above 0 and at most 100: loss_bp in basis
 *                  points ("5%" = 500, "0.5%" = 50, "0.01%" = 1)
 *   delay DIRECTION DUR [ jitter DUR ]   both above 0: delay_ms,
 *                  jitter_ms (0 without jitter)
 * rate, loss and delay are impairments (case_file.impairments, in file
 * order; writer = the end left of "->"): any number, but each kind at
 * most once per direction, and all of them need "topology veth".
 *
 * Sections.  A label starts a section; anything after it on the same line
 * (even without a space: "client:connect", "expect linux:no rst") is the
 * section's first item.  Lines without a label continue the current
 * section, one item per line.  Before the first label only directives may
 * appear.  "client:" and "server:" are both required; every label appears
 * at most once.  "client.child:" and "server.child:" hold the steps of
 * the process a "fork" step of client or server creates: a child section
 * exists exactly when its parent has a fork step.  "expect:" holds
 * expectations for every system, "expect SYSTEM:" (two tokens; the
 * system in lower case) expectations for that system only
 * (case_expect.system is the name; NULL under "expect:").  The case holds
 * at least one expectation in all.  A line whose first token is "expect"
 * is always such a label.  Any other first token that ends in ":" is an
 * unknown section.
 *
 * Steps (items of the four role sections).  Any step may end with
 * "within DUR" (DUR above 0): its timeout; otherwise the case deadline.
 *   connect                       client only
 *   accept                        server only
 *   send SIZE { nonblocking | dontwait | more | nosignal }  SIZE above 0
 *   send fill { more | nonblocking | dontwait | nosignal }  implies
 *                                 dontwait
 *   recv SIZE | all [ peek ] [ rate SIZE/DUR ]
 *                                 SIZE above 0; rate (a slow reader:
 *                                 "rate 64KiB/10ms", both above 0) and
 *                                 peek exclude each other
 *   shutdown wr | rd | rdwr
 *   close
 *   set rcvbuf SIZE | set sndbuf SIZE       SIZE at most INT_MAX;
 *                                           value = bytes, on = false
 *   set nodelay | cork | nonblock on | off  value = 1 for on, 0 for off
 *   set linger off                          on = false, value = 0
 *   set linger DUR                          whole seconds (0s, 5s) up to
 *                                           INT_MAX; on = true, value = s
 *   set sigpipe default | ignore            on = true for default,
 *                                           value = 1 for on, 0 for off
 *   wait ROLE.EVENT               ROLE is any role but the waiting one
 *                                 ("server.child.closed": ROLE is
 *                                 server.child); EVENT is all after the
 *                                 last "."
 *   await unread | unsent | unacked [ OP ] SIZE
 *                                 OP defaults to ">=" for unread, "<="
 *                                 for unsent and unacked
 *   raise EVENT                   EVENT = [a-z0-9][a-z0-9_-]*, not one
 *                                 of the implicit names below, once per
 *                                 role
 *   pause DUR
 *   so_error
 *   snapshot
 *   fork                          client and server only, once
 *   dup                           one more descriptor of the socket
 *   exit                          end the process; the role's last step
 *   poll
 *   drain [ SIZE ]                SIZE above 0; limit = SIZE or 0
 *   lingering-close DUR [ SIZE ]  DUR and SIZE above 0; ms = DUR,
 *                                 limit = SIZE or 0
 * Options of send and recv may come in any order, each once.
 *
 * Events.  connect raises "connected", accept "accepted", send "sent",
 * recv "received", shutdown "shutdown", close and lingering-close
 * "closed", fork "forked", dup "duped", drain "drained", raise its EVENT;
 * every role raises "done" after its last step.  An event, once raised,
 * stays raised.
 *
 * Expectations ("expect:" and "expect SYSTEM:" items; "within" is not
 * allowed here).
 *   teardown none | fin | half-fin | rst | fin-then-rst [ from END ]
 *   rst from END [ ack | bare ]
 *   no rst
 *   ROLE.recv ends END [ then END ]       END = EOF | ERRNO
 *   ROLE.so_error ERRNO | 0
 *   ROLE.send errors ERRNO { ERRNO } | ROLE.send errors none
 *                                         errors in order; none: n = 0
 *   ROLE.close took OP DUR | ROLE.shutdown took OP DUR
 *   ROLE killed by SIGNAL | ROLE exits normally     (signal 0)
 *   ROLE.poll includes FLAG { FLAG }      each flag once
 *   DIRECTION OUTCOME
 *   DIRECTION lost OP SIZE | DIRECTION lost OP unsent
 *   DIRECTION discarded OP SIZE
 *   kernel COUNTER OP INTEGER | kernel COUNTER +DIGITS   (+N means = N)
 * An expectation that starts with ROLE has role set and has_role true.
 *
 *   END        = client | server  (the ends of the connection)
 *   ROLE       = client | server | client.child | server.child
 *   DIRECTION  = client->server | server->client  (writer->reader)
 *   OUTCOME    = clean | delivered | delivered-but-reset | hidden-reset
 *              | truncated | corrupted | none
 *   OP         = "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
 *   ERRNO      = a name from errno_table below (ECONNRESET, EPIPE, ...)
 *   SIGNAL     = SIGPIPE | SIGKILL | SIGTERM | SIGINT | SIGSEGV | SIGABRT
 *              | SIGBUS
 *   FLAG       = POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP
 *   COUNTER    = [A-Za-z][A-Za-z0-9]*
 *   INTEGER    = [+-]?[0-9]+ within int64_t
 *   SIZE       = DIGITS [ B | K | M | G | KiB | MiB | GiB ]  (see units.c)
 *   DUR        = DIGITS ms | DIGITS [ . DIGITS ] s  (a bare number is no
 *                DUR; see units.c)
 *
 * Descriptors.  A role's socket exists from its connect/accept; dup adds
 * a descriptor, close and lingering-close each close one, and the socket
 * is gone when the role has closed one more time than it dup'ed.  A
 * child starts with the descriptors its parent held at the fork (1 + dups
 * - closes before it): it needs no connect or accept, and they and fork
 * are refused in a child.  "set sigpipe" and exit are about the process,
 * not the socket.
 *
 * Checks made as the lines are read (so reported in file order):
 *   - in a child, no connect, accept or fork; after exit, no step at all;
 *   - in client and server, connect/accept appears at most once, fork
 *     too; send, recv, shutdown, close, await, so_error, snapshot, fork,
 *     dup, poll, drain and lingering-close come after connect/accept
 *     (set, wait, raise, pause and exit may come before); once the
 *     socket is gone only wait, raise, pause, "set sigpipe" and exit may
 *     follow;
 *   - the same expectation is not given twice: teardown, a direction's
 *     outcome, a role's recv end, so_error, send errors, poll or fate
 *     (killed by / exits normally), "no rst"; "no rst" and "rst from"
 *     exclude each other; a direction's lost or discarded and a role's
 *     close took or shutdown took may be given twice (a range) but not
 *     three times.  Each "expect SYSTEM:" item counts together with the
 *     "expect:" items, never with another system's.
 * Checks made at the end, in this order:
 *   - a name, the client and the server exist (a role may have no steps);
 *   - without "topology veth", no "capture client" or "capture both" and
 *     no impairment (the earlier offence in the file is reported);
 *   - a fork and its child's section come together (the earlier
 *     offence in the file is reported);
 *   - a child's steps, on the descriptors it inherits, as above;
 *   - at least one expectation exists;
 *   - an expectation about a child needs the child's section; "ROLE.recv
 *     ends" needs a recv step in ROLE, "ROLE.so_error" a so_error or a
 *     recv step (the end of a read loop records SO_ERROR), "ROLE.send
 *     errors" a send step, "ROLE.close took" a close or lingering-close,
 *     "ROLE.shutdown took" a shutdown, "ROLE.poll includes" a poll;
 *   - a raised name is raised once per role;
 *   - every wait names a role that has a section and an event it raises
 *     (the earliest offending wait in the file is reported);
 *   - the roles cannot deadlock: run all four on paper, every step but
 *     wait completing at once and raising its event, a wait completing
 *     once its role has raised the event, a child starting once its
 *     parent's fork has completed; if a role cannot finish, the earliest
 *     stuck wait is reported with the chain of roles it waits on: two
 *     roles waiting for each other read "A and B wait on each other:
 *     ...", anything else "deadlock: A waits for ...; B starts only
 *     after C's 'fork' (line N); ...".
 *
 * Mistakes that belong to the whole case rather than to one token read
 * "PATH:LINE:1: message": a missing role and a case that expects nothing
 * (with no 'expect:' section) at the line of the 'case' directive, a
 * missing name (an empty file too) at line 1.  Only errors without a
 * place in the file (a missing file, out of memory) read "PATH: message"
 * and have line and col 0.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "units.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define CASE_NAME_MAX 64
#define SHOWN_MAX 40		/* user text quoted in a message is cut here */
#define SUGGEST_MAX_LEN 256	/* longer words get no "did you mean" */
#define SUGGEST_MAX_DISTANCE 2
#define READ_CHUNK (64 * 1024)

/* Not every system has it; the value is Linux's. */
#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif

/* Expectations are kept for every system and for each system named. */
#define NSCOPES (1 + NELEMS(system_words))
#define SCOPE_ALL 0

/* Tables indexed by the enums in case.h. */
static const char *const role_words[] = {
	"client", "server", "client.child", "server.child"
};

static const char *const step_words[] = {
	"connect", "accept", "send", "recv", "shutdown", "close", "set",
	"wait", "await", "raise", "pause", "so_error", "snapshot", "fork",
	"dup", "exit", "poll", "drain", "lingering-close"
};

static const char *const shutdown_words[] = { "rd", "wr", "rdwr" };

static const char *const option_words[] = {
	"rcvbuf", "sndbuf", "nodelay", "cork", "linger", "nonblock", "sigpipe"
};

static const char *const metric_words[] = { "unread", "unsent", "unacked" };

static const char *const teardown_words[] = {
	"none", "fin", "half-fin", "rst", "fin-then-rst"
};

static const char *const outcome_words[] = {
	"clean", "delivered", "delivered-but-reset", "hidden-reset",
	"truncated", "corrupted", "none"
};

static const char *const compare_names[] = { "=", "!=", "<", "<=", ">", ">=" };

/* The systems an "expect SYSTEM:" section may name (uname sysnames). */
static const char *const system_words[] = {
	"linux", "freebsd", "darwin", "netbsd", "openbsd"
};

static const char *const family_words[] = { "4", "6", "both" };

/* Indexed by enum topology_kind, enum capture_point, enum impairment_kind. */
static const char *const topology_words[] = { "loopback", "veth", "routed" };
static const char *const capture_words[] = { "server", "client", "both" };
static const char *const impairment_words[] = { "rate", "loss", "delay" };

static const char *const on_off_words[] = { "on", "off" };
static const char *const direction_words[] = {
	"client->server", "server->client"	/* by writer */
};

/* "rate" units, with their factors to bits per second. */
static const char *const rate_units[] = { "bit", "kbit", "mbit", "gbit" };
static const uint64_t rate_factors[] = {
	1, 1000, 1000 * 1000, 1000 * 1000 * 1000
};

#define MTU_MIN 68
#define MTU_MAX 65536

/* What a line may start with outside a section, and how to show it. */
static const char *const toplevel_words[] = {
	"case", "deadline", "family", "client", "server", "client.child",
	"server.child", "expect", "topology", "mtu", "offloads", "capture",
	"sysctl", "rate", "loss", "delay"
};
static const char *const toplevel_shown[] = {
	"case", "deadline", "family", "client:", "server:", "client.child:",
	"server.child:", "expect:", "topology", "mtu", "offloads", "capture",
	"sysctl", "rate", "loss", "delay"
};

/* In the order of enum section, from SECTION_CLIENT. */
static const char *const label_words[] = {
	"client:", "server:", "client.child:", "server.child:", "expect:"
};

/* The first word of the expectations that do not start with a role. */
enum expect_head {
	HEAD_TEARDOWN,
	HEAD_RST,
	HEAD_NO,
	HEAD_KERNEL,
	HEAD_CLIENT_TO_SERVER,
	HEAD_SERVER_TO_CLIENT
};

static const char *const expect_head_words[] = {
	"teardown", "rst", "no", "kernel", "client->server", "server->client"
};

/* What may follow "ROLE." in an expectation's first word. */
enum role_attr {
	ATTR_RECV,
	ATTR_SO_ERROR,
	ATTR_SEND,
	ATTR_CLOSE,
	ATTR_SHUTDOWN,
	ATTR_POLL
};

static const char *const attr_words[] = {
	"recv", "so_error", "send", "close", "shutdown", "poll"
};

/* Every first word of an expectation, for suggestions. */
static const char *const expect_first_words[] = {
	"teardown", "rst", "no", "kernel", "client->server", "server->client",
	"client.recv", "client.so_error", "client.send", "client.close",
	"client.shutdown", "client.poll",
	"server.recv", "server.so_error", "server.send", "server.close",
	"server.shutdown", "server.poll",
	"client.child.recv", "client.child.so_error", "client.child.send",
	"client.child.close", "client.child.shutdown", "client.child.poll",
	"server.child.recv", "server.child.so_error", "server.child.send",
	"server.child.close", "server.child.shutdown", "server.child.poll",
	"client", "server", "client.child", "server.child"
};

struct compare_word {
	const char *word;
	enum compare_op op;
};

static const struct compare_word compare_words[] = {
	{ "=", COMPARE_EQ },
	{ "==", COMPARE_EQ },
	{ "!=", COMPARE_NE },
	{ "<", COMPARE_LT },
	{ "<=", COMPARE_LE },
	{ ">", COMPARE_GT },
	{ ">=", COMPARE_GE },
};

/* A name and its number: errno values, signals, poll events. */
struct named_value {
	const char *name;
	int value;
};

/* The first entry for a value is its name (EAGAIN, not EWOULDBLOCK). */
static const struct named_value errno_table[] = {
	{ "EOF", 0 },
	{ "ECONNRESET", ECONNRESET },
	{ "EPIPE", EPIPE },
	{ "ETIMEDOUT", ETIMEDOUT },
	{ "EAGAIN", EAGAIN },
	{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "ECONNABORTED", ECONNABORTED },
	{ "ECONNREFUSED", ECONNREFUSED },
	{ "ENOTCONN", ENOTCONN },
	{ "EISCONN", EISCONN },
	{ "ESHUTDOWN", ESHUTDOWN },
	{ "EHOSTUNREACH", EHOSTUNREACH },
	{ "EHOSTDOWN", EHOSTDOWN },
	{ "ENETUNREACH", ENETUNREACH },
	{ "ENETDOWN", ENETDOWN },
	{ "ENETRESET", ENETRESET },
	{ "EINPROGRESS", EINPROGRESS },
	{ "EALREADY", EALREADY },
	{ "EADDRINUSE", EADDRINUSE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTO", EPROTO },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "ENOPROTOOPT", ENOPROTOOPT },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EDESTADDRREQ", EDESTADDRREQ },
	{ "EMSGSIZE", EMSGSIZE },
	{ "ENOBUFS", ENOBUFS },
	{ "ENOMEM", ENOMEM },
	{ "ENOTSOCK", ENOTSOCK },
	{ "EBADF", EBADF },
	{ "EFAULT", EFAULT },
	{ "EINTR", EINTR },
	{ "EINVAL", EINVAL },
	{ "EIO", EIO },
	{ "EMFILE", EMFILE },
	{ "ENFILE", ENFILE },
	{ "EPERM", EPERM },
	{ "EACCES", EACCES },
};

static const struct named_value signal_table[] = {
	{ "SIGPIPE", SIGPIPE },
	{ "SIGKILL", SIGKILL },
	{ "SIGTERM", SIGTERM },
	{ "SIGINT", SIGINT },
	{ "SIGSEGV", SIGSEGV },
	{ "SIGABRT", SIGABRT },
	{ "SIGBUS", SIGBUS },
};

struct poll_entry {
	const char *name;
	short value;
};

static const struct poll_entry poll_table[] = {
	{ "POLLIN", POLLIN },
	{ "POLLOUT", POLLOUT },
	{ "POLLERR", POLLERR },
	{ "POLLHUP", POLLHUP },
	{ "POLLRDHUP", POLLRDHUP },
};

enum section {
	SECTION_NONE,		/* before the first label */
	SECTION_CLIENT,
	SECTION_SERVER,
	SECTION_CLIENT_CHILD,
	SECTION_SERVER_CHILD,
	SECTION_EXPECT		/* "expect:" or "expect SYSTEM:" */
};

struct token {
	char *s;		/* NUL-terminated, inside the parser's line copy */
	size_t len;
	size_t off;		/* byte offset in the line */
	unsigned col;		/* 1-based */
};

struct line {
	const char *text;	/* the original bytes, not terminated */
	size_t len;		/* without the line end */
	unsigned number;
};

/* A step or an expectation: some tokens of one line. */
struct item {
	const struct line *line;
	struct token *tok;
	size_t n;
};

struct dynstr {
	char *s;
	size_t len;
	size_t cap;
};

/* What a role has done with its socket so far. */
struct socket_track {
	unsigned open_line;	/* connect/accept; a child's fork */
	unsigned fds;		/* descriptors open: 1 + dups - closes */
	unsigned gone_line;	/* the close that closed the last one */
	enum step_kind gone_kind;	/* close or lingering-close */
	unsigned fork_line;
	unsigned fork_fds;	/* fds when it forked: the child's */
};

/* Where an expectation was given, up to two times, by scope. */
struct seen {
	unsigned line[NSCOPES][2];
	unsigned n[NSCOPES];
};

struct parser {
	const char *path;
	struct case_error *err;
	bool failed;
	struct case_file *cf;
	enum section section;

	/* Reused for every line. */
	char *copy;
	size_t copy_cap;
	struct token *tokens;
	size_t ntokens;
	size_t tokens_cap;

	bool in_summary;
	struct dynstr summary;

	unsigned name_line;
	unsigned deadline_line;
	unsigned family_line;
	unsigned topology_line;
	unsigned mtu_line;
	unsigned offloads_line;
	unsigned capture_line;
	unsigned capture_col;
	size_t sysctls_cap;
	size_t impairments_cap;
	unsigned impairment_col;	/* of the first impairment's word */
	/* Each impairment once per direction: by kind, by writer. */
	unsigned impairment_line[NELEMS(impairment_words)][ROLE_ENDS];
	unsigned expect_line;		/* the first expectation section */
	unsigned expect_col;
	unsigned plain_expect_line;	/* "expect:" */
	unsigned system_line[NSCOPES];	/* "expect SYSTEM:", by scope */
	size_t scope;			/* of the current expect section */
	size_t steps_cap[ROLE_COUNT];
	size_t expects_cap;
	unsigned role_col[ROLE_COUNT];	/* where each role's label is */

	/* Each role's socket, as its steps are read (parents only). */
	struct socket_track track[ROLE_COUNT];
	unsigned exit_line[ROLE_COUNT];

	/*
	 * Expectations that may appear only once (or twice: a range) for
	 * each system, by scope: SCOPE_ALL, then system_words.
	 */
	struct seen teardown;
	struct seen outcome[ROLE_ENDS];		/* by writer */
	struct seen lost[ROLE_ENDS];
	struct seen discarded[ROLE_ENDS];
	struct seen recv_end[ROLE_COUNT];
	struct seen so_error[ROLE_COUNT];
	struct seen send_errors[ROLE_COUNT];
	struct seen killed[ROLE_COUNT];
	struct seen poll[ROLE_COUNT];
	struct seen took[ROLE_COUNT][2];	/* by enum timed_call */
	struct seen no_rst;
	struct seen rst_from;
	enum role_id rst_from_role[NSCOPES];
};

/* User text cut to a length fit for a message. */
struct shown {
	char text[SHOWN_MAX + sizeof("...")];
};

/* " (did you mean 'X'?)" or "". */
struct hint {
	char text[sizeof(" (did you mean '") + 16 + SHOWN_MAX + sizeof("...'?)")];
};

/* The nearest known word to a typed one, found word by word. */
struct nearest {
	const char *typed;
	size_t typed_len;
	size_t best;		/* index of the best word so far */
	size_t best_distance;	/* SIZE_MAX: none near enough yet */
	bool best_is_completion;	/* the typed word is its prefix */
};

/* Every event one role raises, sorted by name, then by when. */
struct event_site {
	const char *name;
	size_t raised_at;	/* raised once this many steps are done */
	const struct case_step *step;	/* NULL for "done" */
};

struct event_index {
	struct event_site *sites;
	size_t nsites;
};

/* Messages */

static void fail(struct parser *, unsigned, unsigned, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
fail(struct parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	struct case_error *err;
	va_list ap;
	int n;

	/* Only the first error counts: later ones are its consequences. */
	if (p->failed)
		return;
	p->failed = true;
	err = p->err;
	if (err == NULL)
		return;
	err->line = line;
	err->col = col;
	if (line > 0)
		n = snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: ",
		    p->path, line, col);
	else
		n = snprintf(err->msg, sizeof(err->msg), "%s: ", p->path);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
fail_oom(struct parser *p)
{
	fail(p, 0, 0, "out of memory");
}

static void
fail_at(struct parser *p, const struct line *ln, const struct token *t,
    const char *what)
{
	fail(p, ln->number, t->col, "%s", what);
}

static const char *
show_bytes(struct shown *sh, const char *s, size_t len)
{
	if (len > SHOWN_MAX) {
		memcpy(sh->text, s, SHOWN_MAX);
		memcpy(sh->text + SHOWN_MAX, "...", sizeof("..."));
	} else {
		memcpy(sh->text, s, len);
		sh->text[len] = '\0';
	}
	return sh->text;
}

static const char *
show(struct shown *sh, const char *s)
{
	return show_bytes(sh, s, strlen(s));
}

static const char *
format_hint(struct hint *h, const char *prefix, const char *word)
{
	struct shown sh;

	if (word == NULL)
		h->text[0] = '\0';
	else
		snprintf(h->text, sizeof(h->text), " (did you mean '%s%s'?)",
		    prefix, show(&sh, word));
	return h->text;
}

/* Suggestions */

/* Levenshtein distance; both lengths are at most SUGGEST_MAX_LEN. */
static size_t
edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[SUGGEST_MAX_LEN + 1];
	size_t i, j, diagonal, above, best;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diagonal = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			above = row[j];
			best = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

/*
 * Near enough to suggest: at most 2 edits, or a third of the longer word,
 * and never so many that nothing of the typed word is left.
 */
static size_t
suggest_limit(size_t typed_len, size_t word_len)
{
	size_t limit;

	limit = (typed_len > word_len ? typed_len : word_len) / 3;
	if (limit < SUGGEST_MAX_DISTANCE)
		limit = SUGGEST_MAX_DISTANCE;
	if (limit >= typed_len)
		limit = typed_len == 0 ? 0 : typed_len - 1;
	return limit;
}

static void
nearest_init(struct nearest *nr, const char *typed)
{
	nr->typed = typed;
	nr->typed_len = strlen(typed);
	nr->best = 0;
	nr->best_distance = SIZE_MAX;
	nr->best_is_completion = false;
}

static void
nearest_consider(struct nearest *nr, size_t index, const char *word)
{
	size_t len, limit, gap, distance;
	bool completion;

	len = strlen(word);
	if (nr->typed_len > SUGGEST_MAX_LEN || len > SUGGEST_MAX_LEN)
		return;
	limit = suggest_limit(nr->typed_len, len);
	gap = len > nr->typed_len ? len - nr->typed_len : nr->typed_len - len;
	if (gap > limit)
		return;		/* the distance is at least the gap */
	distance = edit_distance(nr->typed, nr->typed_len, word, len);
	if (distance == 0 || distance > limit)
		return;
	/* On a tie, a word the typed one begins ("of": "off") wins. */
	completion = strncmp(word, nr->typed, nr->typed_len) == 0;
	if (distance < nr->best_distance ||
	    (distance == nr->best_distance && completion &&
	    !nr->best_is_completion)) {
		nr->best = index;
		nr->best_distance = distance;
		nr->best_is_completion = completion;
	}
}

/* Index of the nearest word, or -1. */
static int
nearest_word(const char *typed, const char *const *words, size_t nwords)
{
	struct nearest nr;
	size_t i;

	nearest_init(&nr, typed);
	for (i = 0; i < nwords; i++)
		nearest_consider(&nr, i, words[i]);
	return nr.best_distance == SIZE_MAX ? -1 : (int)nr.best;
}

static const char *
suggest(struct hint *h, const char *typed, const char *const *words,
    size_t nwords)
{
	int i;

	i = nearest_word(typed, words, nwords);
	return format_hint(h, "", i < 0 ? NULL : words[i]);
}

/* Expectations seen, by scope */

static void
seen_earliest(const struct seen *sn, size_t scope, unsigned *first)
{
	unsigned i;

	for (i = 0; i < sn->n[scope]; i++)
		if (*first == 0 || sn->line[scope][i] < *first)
			*first = sn->line[scope][i];
}

/*
 * Whether one more in scope would make more than limit (1 or 2) of them
 * apply to some system: an "expect:" item applies to every system, an
 * "expect linux:" item to Linux.  *first is then the earliest of those
 * already given.
 */
static bool
seen_exceeds(const struct seen *sn, size_t scope, unsigned limit,
    unsigned *first)
{
	size_t s;
	bool over;

	over = false;
	*first = 0;
	for (s = SCOPE_ALL + 1; s < NSCOPES; s++) {
		if (scope != SCOPE_ALL && s != scope)
			continue;
		if (sn->n[SCOPE_ALL] + sn->n[s] + 1 > limit) {
			over = true;
			seen_earliest(sn, s, first);
		}
	}
	if (over)
		seen_earliest(sn, SCOPE_ALL, first);
	return over;
}

static void
seen_note(struct seen *sn, size_t scope, unsigned line)
{
	if (sn->n[scope] < 2)
		sn->line[scope][sn->n[scope]++] = line;
}

/* Small helpers */

static int
find_word(const char *word, const char *const *words, size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		if (strcmp(word, words[i]) == 0)
			return (int)i;
	return -1;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char *
dup_bytes(struct parser *p, const char *s, size_t len)
{
	char *copy;

	copy = malloc(len + 1);
	if (copy == NULL) {
		fail_oom(p);
		return NULL;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

static int
dynstr_append(struct dynstr *ds, const char *s, size_t len)
{
	size_t cap;
	char *grown;

	if (len > SIZE_MAX - ds->len - 1)
		return -1;
	if (ds->len + len + 1 > ds->cap) {
		cap = ds->cap == 0 ? 128 : ds->cap;
		while (cap < ds->len + len + 1)
			cap = cap > SIZE_MAX / 2 ? ds->len + len + 1 : cap * 2;
		grown = realloc(ds->s, cap);
		if (grown == NULL)
			return -1;
		ds->s = grown;
		ds->cap = cap;
	}
	memcpy(ds->s + ds->len, s, len);
	ds->len += len;
	ds->s[ds->len] = '\0';
	return 0;
}

/*
 * The array of count elements of elsize bytes, moved to a bigger block if
 * it is full; NULL when out of memory (the old block is still valid).
 */
static void *
grow_array(void *array, size_t *cap, size_t count, size_t elsize)
{
	size_t newcap;
	void *grown;

	if (count < *cap)
		return array;
	newcap = *cap == 0 ? 8 : *cap * 2;
	if (newcap < *cap || newcap > SIZE_MAX / elsize)
		return NULL;
	grown = realloc(array, newcap * elsize);
	if (grown == NULL)
		return NULL;
	*cap = newcap;
	return grown;
}

/* The text of tokens [0, n) of an item, as written. */
static const char *
item_span(const struct item *it, size_t n, size_t *len)
{
	const struct token *last;

	last = &it->tok[n - 1];
	*len = last->off + last->len - it->tok[0].off;
	return it->line->text + it->tok[0].off;
}

static char *
item_text(struct parser *p, const struct item *it)
{
	const char *s;
	size_t len;

	s = item_span(it, it->n, &len);
	return dup_bytes(p, s, len);
}

static struct token *
item_token(const struct item *it, size_t i)
{
	return &it->tok[i];
}

/* Fail unless the item has no tokens past the first used ones. */
static int
no_more(struct parser *p, const struct item *it, size_t used)
{
	struct shown extra, before;
	const char *s;
	size_t len;

	if (it->n <= used)
		return 0;
	s = item_span(it, used, &len);
	fail(p, it->line->number, it->tok[used].col,
	    "unexpected '%s' after '%s'", show(&extra, it->tok[used].s),
	    show_bytes(&before, s, len));
	return -1;
}

static int
parse_compare(const char *word, enum compare_op *op)
{
	size_t i;

	for (i = 0; i < NELEMS(compare_words); i++) {
		if (strcmp(word, compare_words[i].word) == 0) {
			*op = compare_words[i].op;
			return 0;
		}
	}
	return -1;
}

static bool
looks_like_compare(const char *word)
{
	return strchr("<>=!", word[0]) != NULL && word[0] != '\0';
}

/* Numbers */

static int
parse_size_token(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *bytes)
{
	static const char *const units[] = {
		"B", "K", "M", "G", "KiB", "MiB", "GiB"
	};
	struct shown sh, unit_shown;
	struct hint h;
	const char *unit;
	size_t ndigits;

	if (units_parse_size(t->s, bytes) == 0)
		return 0;
	ndigits = strspn(t->s, "0123456789");
	unit = t->s + ndigits;
	if (ndigits == 0)
		fail(p, ln->number, t->col,
		    "bad size '%s' (e.g. '100', '4K', '4KiB', '4MiB')",
		    show(&sh, t->s));
	else if (*unit == '\0' || find_word(unit, units, NELEMS(units)) >= 0)
		fail(p, ln->number, t->col, "size '%s' is too large",
		    show(&sh, t->s));
	else if (*unit == '.')
		fail(p, ln->number, t->col,
		    "size '%s' must be a whole number (e.g. '1500', not '1.5K')",
		    show(&sh, t->s));
	else
		fail(p, ln->number, t->col,
		    "unknown unit '%s' in size '%s'%s (use B, K, M, G, KiB, MiB or GiB)",
		    show(&unit_shown, unit), show(&sh, t->s),
		    suggest(&h, unit, units, NELEMS(units)));
	return -1;
}

static int
parse_duration_token(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *ms)
{
	static const char *const units[] = { "ms", "s" };
	struct shown sh, unit_shown;
	struct hint h;
	const char *rest, *fraction;
	size_t ndigits, nfraction, i;
	bool finer;

	if (units_parse_duration(t->s, ms) == 0)
		return 0;
	ndigits = strspn(t->s, "0123456789");
	if (ndigits == 0) {
		fail(p, ln->number, t->col,
		    "bad duration '%s' (e.g. '250ms', '2s', '1.5s')",
		    show(&sh, t->s));
		return -1;
	}
	rest = t->s + ndigits;
	fraction = NULL;
	nfraction = 0;
	if (*rest == '.') {
		fraction = rest + 1;
		nfraction = strspn(fraction, "0123456789");
		if (nfraction == 0) {
			fail(p, ln->number, t->col,
			    "bad duration '%s' (e.g. '250ms', '2s', '1.5s')",
			    show(&sh, t->s));
			return -1;
		}
		rest = fraction + nfraction;
	}
	if (*rest == '\0') {
		fail(p, ln->number, t->col,
		    "duration '%s' needs a unit (e.g. '%ss' or '%sms')",
		    show(&sh, t->s), sh.text, sh.text);
		return -1;
	}
	if (strcmp(rest, "ms") == 0 && fraction != NULL) {
		fail(p, ln->number, t->col,
		    "duration '%s': only seconds take a fraction (e.g. '1.5s')",
		    show(&sh, t->s));
		return -1;
	}
	if (strcmp(rest, "ms") == 0 || strcmp(rest, "s") == 0) {
		finer = false;
		for (i = 3; i < nfraction; i++)
			if (fraction[i] != '0')
				finer = true;
		if (finer)
			fail(p, ln->number, t->col,
			    "duration '%s' is finer than a millisecond",
			    show(&sh, t->s));
		else
			fail(p, ln->number, t->col,
			    "duration '%s' is too large", show(&sh, t->s));
		return -1;
	}
	fail(p, ln->number, t->col,
	    "unknown unit '%s' in duration '%s'%s (use ms or s)",
	    show(&unit_shown, rest), show(&sh, t->s),
	    suggest(&h, rest, units, NELEMS(units)));
	return -1;
}

/*
 * A size or a duration that must be above 0: otherwise "WHAT needs a size
 * above 0" (or "a duration"), with suffix after it.
 */
static int
parse_positive_size(struct parser *p, const struct line *ln,
    const struct token *t, const char *what, const char *suffix,
    uint64_t *bytes)
{
	if (parse_size_token(p, ln, t, bytes) == -1)
		return -1;
	if (*bytes == 0) {
		fail(p, ln->number, t->col, "%s needs a size above 0%s", what,
		    suffix);
		return -1;
	}
	return 0;
}

static int
parse_positive_duration(struct parser *p, const struct line *ln,
    const struct token *t, const char *what, const char *suffix,
    uint64_t *ms)
{
	if (parse_duration_token(p, ln, t, ms) == -1)
		return -1;
	if (*ms == 0) {
		fail(p, ln->number, t->col, "%s needs a duration above 0%s",
		    what, suffix);
		return -1;
	}
	return 0;
}

/* [+-]?[0-9]+ within int64_t; -1 malformed, -2 out of range. */
static int
parse_signed(const char *s, int64_t *value)
{
	bool negative;
	uint64_t magnitude, limit, digit;
	const char *q;

	negative = *s == '-';
	q = s + (*s == '-' || *s == '+');
	if (!is_digit(*q))
		return -1;
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	magnitude = 0;
	for (; *q != '\0'; q++) {
		if (!is_digit(*q))
			return -1;
		digit = (uint64_t)(*q - '0');
		if (magnitude > (limit - digit) / 10)
			return -2;
		magnitude = magnitude * 10 + digit;
	}
	if (negative)
		*value = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)magnitude;
	else
		*value = (int64_t)magnitude;
	return 0;
}

/* Roles, errnos, names */

static int
parse_role_token(struct parser *p, const struct line *ln,
    const struct token *t, enum role_id *role)
{
	struct shown sh;
	struct hint h;
	int r;

	/* Only the two ends are on the wire. */
	r = find_word(t->s, role_words, ROLE_ENDS);
	if (r < 0) {
		fail(p, ln->number, t->col,
		    "unknown role '%s'%s (expected 'client' or 'server')",
		    show(&sh, t->s),
		    suggest(&h, t->s, role_words, ROLE_ENDS));
		return -1;
	}
	*role = (enum role_id)r;
	return 0;
}

/* The role a "ROLE.rest" word starts with, and where rest starts. */
static int
split_role_prefix(const char *word, enum role_id *role, const char **rest)
{
	size_t i, len, best_len;
	int best;

	best = -1;
	best_len = 0;
	for (i = 0; i < NELEMS(role_words); i++) {
		len = strlen(role_words[i]);
		if (strncmp(word, role_words[i], len) == 0 &&
		    word[len] == '.' && len > best_len) {
			best = (int)i;
			best_len = len;
		}
	}
	if (best < 0)
		return -1;
	*role = (enum role_id)best;
	*rest = word + best_len + 1;
	return 0;
}

static const char *
errno_suggestion(const char *typed)
{
	struct nearest nr;
	size_t i;

	nearest_init(&nr, typed);
	for (i = 0; i < NELEMS(errno_table); i++)
		nearest_consider(&nr, i, errno_table[i].name);
	return nr.best_distance == SIZE_MAX ? NULL :
	    errno_table[nr.best].name;
}

/* EOF or an errno name, for "recv ends". */
static int
parse_read_end_token(struct parser *p, const struct line *ln,
    const struct token *t, int *value)
{
	struct shown sh;
	struct hint h;

	if (errno_from_name(t->s, value) == 0)
		return 0;
	fail(p, ln->number, t->col,
	    "unknown errno '%s'%s (expected EOF or a name like ECONNRESET)",
	    show(&sh, t->s), format_hint(&h, "", errno_suggestion(t->s)));
	return -1;
}

static bool
valid_case_name(const char *name)
{
	size_t i;

	if (!is_lower_alnum(name[0]))
		return false;
	for (i = 1; name[i] != '\0'; i++)
		if (!is_lower_alnum(name[i]) && name[i] != '-')
			return false;
	return true;
}

static bool
valid_event_name(const char *name)
{
	size_t i;

	if (!is_lower_alnum(name[0]))
		return false;
	for (i = 1; name[i] != '\0'; i++)
		if (!is_lower_alnum(name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return false;
	return true;
}

/* Names the harness raises itself: a raise may not reuse them. */
static bool
is_implicit_event(const char *name)
{
	static const char *const implicit[] = {
		"connected", "accepted", "sent", "received", "shutdown",
		"closed", "forked", "duped", "drained", "done"
	};

	return find_word(name, implicit, NELEMS(implicit)) >= 0;
}

/* Steps */

static struct case_step *
append_step(struct parser *p, enum role_id role)
{
	struct case_role *r;
	struct case_step *step, *steps;

	r = &p->cf->roles[role];
	steps = grow_array(r->steps, &p->steps_cap[role], r->nsteps,
	    sizeof(*r->steps));
	if (steps == NULL) {
		fail_oom(p);
		return NULL;
	}
	r->steps = steps;
	step = &r->steps[r->nsteps++];
	memset(step, 0, sizeof(*step));
	return step;
}

/* Take a trailing "within DUR" off the item. */
static int
split_within(struct parser *p, struct item *it, uint64_t *timeout_ms)
{
	const struct line *ln;
	struct shown extra, dur;
	size_t i;

	ln = it->line;
	for (i = 1; i < it->n; i++)
		if (strcmp(it->tok[i].s, "within") == 0)
			break;
	if (i == it->n)
		return 0;
	if (i + 1 == it->n) {
		fail_at(p, ln, &it->tok[i],
		    "'within' needs a duration (e.g. 'within 2s')");
		return -1;
	}
	if (i + 2 < it->n) {
		fail(p, ln->number, it->tok[i + 2].col,
		    "unexpected '%s' after 'within %s': 'within' ends a step",
		    show(&extra, it->tok[i + 2].s),
		    show(&dur, it->tok[i + 1].s));
		return -1;
	}
	if (parse_positive_duration(p, ln, &it->tok[i + 1], "'within'", "",
	    timeout_ms) == -1)
		return -1;
	it->n = i;
	return 0;
}

static int
parse_send(struct parser *p, const struct item *it, struct step_send *send)
{
	static const char *const modes[] = { "fill" };
	static const char *const options[] = {
		"nonblocking", "dontwait", "more", "nosignal"
	};
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	const char *dontwait_word;
	unsigned flag;
	size_t i;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "send needs a size or 'fill' (e.g. 'send 4MiB')");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "fill") == 0) {
		send->fill = true;
		send->flags |= SEND_DONTWAIT;
	} else if (is_digit(t->s[0])) {
		if (parse_positive_size(p, ln, t, "send", "", &send->bytes) ==
		    -1)
			return -1;
	} else {
		fail(p, ln->number, t->col,
		    "send needs a size or 'fill', not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, modes, NELEMS(modes)));
		return -1;
	}

	dontwait_word = NULL;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "nonblocking") == 0 ||
		    strcmp(t->s, "dontwait") == 0) {
			if (dontwait_word != NULL) {
				fail(p, ln->number, t->col,
				    "'%s' repeats '%s' (nonblocking and dontwait are the same)",
				    t->s, dontwait_word);
				return -1;
			}
			dontwait_word = t->s;
			send->flags |= SEND_DONTWAIT;
		} else if (strcmp(t->s, "more") == 0 ||
		    strcmp(t->s, "nosignal") == 0) {
			flag = t->s[0] == 'm' ? SEND_MORE : SEND_NOSIGNAL;
			if ((send->flags & flag) != 0) {
				fail(p, ln->number, t->col,
				    "'%s' is given twice", t->s);
				return -1;
			}
			send->flags |= flag;
		} else {
			fail(p, ln->number, t->col,
			    "unknown send option '%s'%s (expected 'nonblocking', 'dontwait', 'more' or 'nosignal')",
			    show(&sh, t->s),
			    suggest(&h, t->s, options, NELEMS(options)));
			return -1;
		}
	}
	return 0;
}

/* "rate SIZE/DUR" of a recv step; t is the SIZE/DUR token. */
static int
parse_rate(struct parser *p, const struct line *ln, struct token *t,
    struct step_recv *recv)
{
	struct token part;
	struct shown sh;
	char *slash;
	int rc;

	slash = strchr(t->s, '/');
	if (slash == NULL || slash == t->s || slash[1] == '\0') {
		fail(p, ln->number, t->col,
		    "rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms'), not '%s'",
		    show(&sh, t->s));
		return -1;
	}
	/* Each half as a token of its own, for the messages' columns. */
	*slash = '\0';
	part = *t;
	part.len = (size_t)(slash - t->s);
	rc = parse_positive_size(p, ln, &part, "rate", "", &recv->rate_bytes);
	if (rc == 0) {
		part.s = slash + 1;
		part.len = t->len - part.len - 1;
		part.off = t->off + (size_t)(part.s - t->s);
		part.col = t->col + (unsigned)(part.s - t->s);
		rc = parse_positive_duration(p, ln, &part, "rate", "",
		    &recv->rate_ms);
	}
	*slash = '/';
	return rc;
}

static int
parse_recv(struct parser *p, const struct item *it, struct step_recv *recv)
{
	static const char *const modes[] = { "all" };
	static const char *const options[] = { "peek", "rate" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	unsigned peek_col, rate_col;
	size_t i;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "recv needs a size or 'all' (e.g. 'recv 100', 'recv all')");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "all") == 0) {
		recv->mode = RECV_ALL;
	} else if (is_digit(t->s[0])) {
		recv->mode = RECV_COUNT;
		if (parse_positive_size(p, ln, t, "recv", "", &recv->bytes) ==
		    -1)
			return -1;
	} else {
		fail(p, ln->number, t->col,
		    "recv needs a size or 'all', not '%s'%s", show(&sh, t->s),
		    suggest(&h, t->s, modes, NELEMS(modes)));
		return -1;
	}
	peek_col = rate_col = 0;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "peek") == 0) {
			if (peek_col != 0) {
				fail_at(p, ln, t, "'peek' is given twice");
				return -1;
			}
			peek_col = t->col;
			recv->peek = true;
		} else if (strcmp(t->s, "rate") == 0) {
			if (rate_col != 0) {
				fail_at(p, ln, t, "'rate' is given twice");
				return -1;
			}
			rate_col = t->col;
			if (i + 1 >= it->n) {
				fail_at(p, ln, t,
				    "rate needs SIZE/DUR (e.g. 'rate 64KiB/10ms')");
				return -1;
			}
			if (parse_rate(p, ln, item_token(it, ++i), recv) == -1)
				return -1;
		} else {
			fail(p, ln->number, t->col,
			    "unknown recv option '%s'%s (expected 'peek' or 'rate')",
			    show(&sh, t->s),
			    suggest(&h, t->s, options, NELEMS(options)));
			return -1;
		}
		if (peek_col != 0 && rate_col != 0) {
			/* A slow reader consumes; a peek does not. */
			fail(p, ln->number, t->col,
			    "'rate' and 'peek' exclude each other");
			return -1;
		}
	}
	return 0;
}

/*
 * The optional size limit that ends "drain [SIZE]" and "lingering-close
 * DUR [SIZE]", at token i: 0 (no limit) when the step ends before it.
 * usage tells, in the message for a word that is not a size, where the
 * size goes.
 */
static int
parse_optional_limit(struct parser *p, const struct item *it, size_t i,
    const char *step_word, const char *usage, uint64_t *limit)
{
	const struct token *t;
	struct shown sh;

	*limit = 0;
	if (it->n <= i)
		return 0;
	t = item_token(it, i);
	if (!is_digit(t->s[0])) {
		fail(p, it->line->number, t->col,
		    "%s takes a size limit %s, not '%s'", step_word, usage,
		    show(&sh, t->s));
		return -1;
	}
	if (parse_positive_size(p, it->line, t, step_word,
	    " (or none: no limit)", limit) == -1)
		return -1;
	return no_more(p, it, i + 1);
}

/* "drain [SIZE]" */
static int
parse_drain(struct parser *p, const struct item *it, struct step_drain *dr)
{
	return parse_optional_limit(p, it, 1, "drain",
	    "(e.g. 'drain 1MiB') or nothing", &dr->limit);
}

/* "lingering-close DUR [SIZE]" */
static int
parse_lingering_close(struct parser *p, const struct item *it,
    struct step_lingering_close *lc)
{
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "lingering-close needs a duration (e.g. 'lingering-close 2s', 'lingering-close 2s 1MiB')");
		return -1;
	}
	if (parse_positive_duration(p, it->line, item_token(it, 1),
	    "lingering-close", "", &lc->ms) == -1)
		return -1;
	return parse_optional_limit(p, it, 2, "lingering-close",
	    "after the duration (e.g. '1MiB')", &lc->limit);
}

static int
parse_shutdown(struct parser *p, const struct item *it,
    enum shutdown_how *how)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "shutdown needs 'wr', 'rd' or 'rdwr' (e.g. 'shutdown wr')");
		return -1;
	}
	t = item_token(it, 1);
	i = find_word(t->s, shutdown_words, NELEMS(shutdown_words));
	if (i < 0) {
		fail(p, it->line->number, t->col,
		    "unknown shutdown direction '%s'%s (expected 'wr', 'rd' or 'rdwr')",
		    show(&sh, t->s),
		    suggest(&h, t->s, shutdown_words, NELEMS(shutdown_words)));
		return -1;
	}
	*how = (enum shutdown_how)i;
	return no_more(p, it, 2);
}

static int
parse_on_off(struct parser *p, const struct item *it, struct step_set *set)
{
	static const char *const words[] = { "on", "off" };
	const char *option;
	const struct token *t;
	struct shown sh;
	struct hint h;

	option = it->tok[1].s;
	if (it->n < 3) {
		fail(p, it->line->number, it->tok[0].col,
		    "set %s needs 'on' or 'off' (e.g. 'set %s on')",
		    option, option);
		return -1;
	}
	t = item_token(it, 2);
	if (strcmp(t->s, "on") == 0)
		set->on = true;
	else if (strcmp(t->s, "off") == 0)
		set->on = false;
	else {
		fail(p, it->line->number, t->col,
		    "set %s needs 'on' or 'off', not '%s'%s", option,
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	set->value = set->on ? 1 : 0;
	return 0;
}

static int
parse_buffer_size(struct parser *p, const struct item *it,
    struct step_set *set)
{
	const char *option;
	const struct token *t;
	struct shown sh;
	char max[32];

	option = it->tok[1].s;
	if (it->n < 3) {
		fail(p, it->line->number, it->tok[0].col,
		    "set %s needs a size (e.g. 'set %s 64KiB')", option, option);
		return -1;
	}
	t = item_token(it, 2);
	if (!is_digit(t->s[0])) {
		fail(p, it->line->number, t->col,
		    "set %s needs a size (e.g. 'set %s 64KiB'), not '%s'",
		    option, option, show(&sh, t->s));
		return -1;
	}
	if (parse_size_token(p, it->line, t, &set->value) == -1)
		return -1;
	/* setsockopt takes an int. */
	if (set->value > INT_MAX) {
		fail(p, it->line->number, t->col,
		    "%s '%s' is too large (at most %s bytes)", option,
		    show(&sh, t->s), units_format_count(INT_MAX, max,
		    sizeof(max)));
		return -1;
	}
	return 0;
}

static int
parse_linger(struct parser *p, const struct item *it, struct step_set *set)
{
	static const char *const words[] = { "off" };
	const struct token *t;
	struct shown sh;
	struct hint h;
	uint64_t ms;

	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[0],
		    "set linger needs 'off' or whole seconds (e.g. 'set linger 0s')");
		return -1;
	}
	t = item_token(it, 2);
	if (strcmp(t->s, "off") == 0) {
		set->on = false;
		set->value = 0;
		return 0;
	}
	if (!is_digit(t->s[0])) {
		fail(p, it->line->number, t->col,
		    "set linger needs 'off' or whole seconds (e.g. 'set linger 0s'), not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	if (parse_duration_token(p, it->line, t, &ms) == -1)
		return -1;
	if (ms % 1000 != 0) {
		fail(p, it->line->number, t->col,
		    "linger takes whole seconds (e.g. '0s', '5s'), not '%s'",
		    show(&sh, t->s));
		return -1;
	}
	/* struct linger holds an int. */
	if (ms / 1000 > INT_MAX) {
		fail(p, it->line->number, t->col, "linger '%s' is too long",
		    show(&sh, t->s));
		return -1;
	}
	set->on = true;
	set->value = ms / 1000;
	return 0;
}

static int
parse_sigpipe(struct parser *p, const struct item *it, struct step_set *set)
{
	static const char *const words[] = { "default", "ignore" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[0],
		    "set sigpipe needs 'default' or 'ignore' (e.g. 'set sigpipe default')");
		return -1;
	}
	t = item_token(it, 2);
	if (strcmp(t->s, "default") == 0)
		set->on = true;
	else if (strcmp(t->s, "ignore") == 0)
		set->on = false;
	else {
		fail(p, it->line->number, t->col,
		    "set sigpipe needs 'default' or 'ignore', not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	set->value = set->on ? 1 : 0;
	return 0;
}

static int
parse_set(struct parser *p, const struct item *it, struct step_set *set)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int option, rc;

	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "set needs an option: rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe (e.g. 'set nodelay on')");
		return -1;
	}
	t = item_token(it, 1);
	option = find_word(t->s, option_words, NELEMS(option_words));
	if (option < 0) {
		fail(p, it->line->number, t->col,
		    "unknown option '%s'%s (expected rcvbuf, sndbuf, nodelay, cork, nonblock, linger or sigpipe)",
		    show(&sh, t->s),
		    suggest(&h, t->s, option_words, NELEMS(option_words)));
		return -1;
	}
	set->option = (enum socket_option)option;
	switch (set->option) {
	case OPTION_RCVBUF:
	case OPTION_SNDBUF:
		rc = parse_buffer_size(p, it, set);
		break;
	case OPTION_LINGER:
		rc = parse_linger(p, it, set);
		break;
	case OPTION_SIGPIPE:
		rc = parse_sigpipe(p, it, set);
		break;
	case OPTION_NODELAY:
	case OPTION_CORK:
	case OPTION_NONBLOCK:
	default:
		rc = parse_on_off(p, it, set);
		break;
	}
	if (rc == -1)
		return -1;
	return no_more(p, it, 3);
}

static int
parse_wait(struct parser *p, enum role_id role, const struct item *it,
    struct step_wait *wait)
{
	const struct line *ln;
	struct token *t;
	struct shown sh, whole;
	struct hint h;
	char *dot;
	int r;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "wait needs ROLE.EVENT (e.g. 'wait server.closed')");
		return -1;
	}
	t = item_token(it, 1);
	/* Event names hold no '.': the role is all before the last one. */
	dot = strrchr(t->s, '.');
	if (dot == NULL || dot == t->s || dot[1] == '\0') {
		fail(p, ln->number, t->col,
		    "wait needs ROLE.EVENT (e.g. 'wait server.closed'), not '%s'",
		    show(&sh, t->s));
		return -1;
	}
	show(&whole, t->s);
	/* Split the token for a moment to look at the role part. */
	*dot = '\0';
	r = find_word(t->s, role_words, NELEMS(role_words));
	if (r < 0) {
		show(&sh, t->s);
		suggest(&h, t->s, role_words, NELEMS(role_words));
		*dot = '.';
		fail(p, ln->number, t->col,
		    "unknown role '%s' in '%s'%s (expected 'client', 'server', 'client.child' or 'server.child')",
		    sh.text, whole.text, h.text);
		return -1;
	}
	*dot = '.';
	if ((enum role_id)r == role) {
		fail_at(p, ln, t, "a role cannot wait for its own event");
		return -1;
	}
	wait->role = (enum role_id)r;
	wait->event = dup_bytes(p, dot + 1, strlen(dot + 1));
	if (wait->event == NULL)
		return -1;
	return no_more(p, it, 2);
}

static int
parse_await(struct parser *p, const struct item *it, struct step_await *aw)
{
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;
	int metric;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "await needs unread, unsent or unacked and a size (e.g. 'await unread 100')");
		return -1;
	}
	t = item_token(it, 1);
	metric = find_word(t->s, metric_words, NELEMS(metric_words));
	if (metric < 0) {
		fail(p, ln->number, t->col,
		    "unknown queue '%s'%s (expected unread, unsent or unacked)",
		    show(&sh, t->s),
		    suggest(&h, t->s, metric_words, NELEMS(metric_words)));
		return -1;
	}
	aw->metric = (enum socket_metric)metric;
	aw->op = aw->metric == METRIC_UNREAD ? COMPARE_GE : COMPARE_LE;
	i = 2;
	if (i < it->n && parse_compare(it->tok[i].s, &aw->op) == 0)
		i++;
	if (i >= it->n) {
		fail(p, ln->number, it->tok[i - 1].col,
		    "await %s needs a size (e.g. 'await %s %s 100')",
		    t->s, t->s, compare_op_name(aw->op));
		return -1;
	}
	t = item_token(it, i);
	if (!is_digit(t->s[0])) {
		if (looks_like_compare(t->s))
			fail(p, ln->number, t->col,
			    "unknown comparison '%s' (expected =, ==, !=, <, <=, > or >=, apart from the number)",
			    show(&sh, t->s));
		else
			fail(p, ln->number, t->col,
			    "await needs a size, not '%s'", show(&sh, t->s));
		return -1;
	}
	if (parse_size_token(p, ln, t, &aw->value) == -1)
		return -1;
	return no_more(p, it, i + 1);
}

static int
parse_raise(struct parser *p, const struct item *it, struct step_raise *raise)
{
	const struct token *t;
	struct shown sh;

	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "raise needs an event name (e.g. 'raise ready')");
		return -1;
	}
	t = item_token(it, 1);
	if (!valid_event_name(t->s)) {
		fail(p, it->line->number, t->col,
		    "event name '%s' must be lower-case letters, digits, '-' and '_'",
		    show(&sh, t->s));
		return -1;
	}
	if (is_implicit_event(t->s)) {
		fail(p, it->line->number, t->col,
		    "'%s' is an event the harness raises itself: choose another name",
		    t->s);
		return -1;
	}
	raise->event = dup_bytes(p, t->s, t->len);
	if (raise->event == NULL)
		return -1;
	return no_more(p, it, 2);
}

static int
parse_pause(struct parser *p, const struct item *it, struct step_pause *pause)
{
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "pause needs a duration (e.g. 'pause 250ms')");
		return -1;
	}
	if (parse_duration_token(p, it->line, &it->tok[1], &pause->ms) == -1)
		return -1;
	return no_more(p, it, 2);
}

/* Steps that use the connected socket. */
static bool
needs_connection(enum step_kind kind)
{
	switch (kind) {
	case STEP_SEND:
	case STEP_RECV:
	case STEP_SHUTDOWN:
	case STEP_CLOSE:
	case STEP_AWAIT:
	case STEP_SO_ERROR:
	case STEP_SNAPSHOT:
	case STEP_FORK:
	case STEP_DUP:
	case STEP_POLL:
	case STEP_DRAIN:
	case STEP_LINGERING_CLOSE:
		return true;
	default:
		return false;
	}
}

/*
 * Steps that need the socket still open: all of the above, and set but
 * "set sigpipe", which is about the process.
 */
static bool
needs_socket(const struct case_step *step)
{
	if (step->kind == STEP_SET)
		return step->u.set.option != OPTION_SIGPIPE;
	return needs_connection(step->kind) || step->kind == STEP_CONNECT ||
	    step->kind == STEP_ACCEPT;
}

/*
 * Follow what a step does to the role's descriptors.  A parent's steps
 * are followed as they are read; a child's at the end, from the
 * descriptors its parent held when it forked.
 */
static int
track_socket(struct parser *p, enum role_id role, struct socket_track *st,
    const struct case_step *step)
{
	const char *name, *opener;

	name = step_kind_name(step->kind);
	opener = role_end(role) == ROLE_CLIENT ? "connect" : "accept";
	if (st->gone_line != 0 && needs_socket(step)) {
		fail(p, step->line, step->col, "'%s' after '%s' (line %u)",
		    name, step_kind_name(st->gone_kind), st->gone_line);
		return -1;
	}
	if (step->kind == STEP_CONNECT || step->kind == STEP_ACCEPT) {
		if (st->open_line != 0) {
			fail(p, step->line, step->col,
			    "'%s' appears twice in %s (first at line %u)",
			    name, role_name(role), st->open_line);
			return -1;
		}
		st->open_line = step->line;
		st->fds = 1;
		return 0;
	}
	if (st->open_line == 0 && needs_connection(step->kind)) {
		fail(p, step->line, step->col, "'%s' before '%s'", name,
		    opener);
		return -1;
	}
	switch (step->kind) {
	case STEP_FORK:
		if (st->fork_line != 0) {
			fail(p, step->line, step->col,
			    "'fork' appears twice in %s (first at line %u)",
			    role_name(role), st->fork_line);
			return -1;
		}
		st->fork_line = step->line;
		st->fork_fds = st->fds;
		break;
	case STEP_DUP:
		st->fds++;
		break;
	case STEP_CLOSE:
	case STEP_LINGERING_CLOSE:
		if (--st->fds == 0) {
			st->gone_line = step->line;
			st->gone_kind = step->kind;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int
check_step_order(struct parser *p, enum role_id role,
    const struct case_step *step)
{
	if (p->exit_line[role] != 0) {
		fail(p, step->line, step->col, "'%s' after 'exit' (line %u)",
		    step_kind_name(step->kind), p->exit_line[role]);
		return -1;
	}
	if (step->kind == STEP_EXIT)
		p->exit_line[role] = step->line;
	if (role_is_child(role))
		return 0;
	return track_socket(p, role, &p->track[role], step);
}

static int
parse_step(struct parser *p, enum role_id role, struct item *it)
{
	struct case_step *step;
	const struct token *t;
	struct shown sh;
	struct hint h;
	int kind, rc;

	step = append_step(p, role);
	if (step == NULL)
		return -1;
	t = item_token(it, 0);
	step->line = it->line->number;
	step->col = t->col;
	step->text = item_text(p, it);
	if (step->text == NULL)
		return -1;
	kind = find_word(t->s, step_words, NELEMS(step_words));
	if (kind < 0) {
		fail(p, step->line, step->col, "unknown step '%s'%s",
		    show(&sh, t->s),
		    suggest(&h, t->s, step_words, NELEMS(step_words)));
		return -1;
	}
	/* The kind first: case_free() frees the union by it. */
	step->kind = (enum step_kind)kind;
	if (role_is_child(role) && (step->kind == STEP_CONNECT ||
	    step->kind == STEP_ACCEPT)) {
		fail(p, step->line, step->col,
		    "'%s' is not a step of %s: a child starts with its parent's connected socket",
		    t->s, role_name(role));
		return -1;
	}
	if (role_is_child(role) && step->kind == STEP_FORK) {
		fail_at(p, it->line, t, "a child cannot fork");
		return -1;
	}
	if (step->kind == STEP_CONNECT && role != ROLE_CLIENT) {
		fail_at(p, it->line, t, "'connect' is a client step");
		return -1;
	}
	if (step->kind == STEP_ACCEPT && role != ROLE_SERVER) {
		fail_at(p, it->line, t, "'accept' is a server step");
		return -1;
	}
	if (split_within(p, it, &step->timeout_ms) == -1)
		return -1;

	switch (step->kind) {
	case STEP_SEND:
		rc = parse_send(p, it, &step->u.send);
		break;
	case STEP_RECV:
		rc = parse_recv(p, it, &step->u.recv);
		break;
	case STEP_SHUTDOWN:
		rc = parse_shutdown(p, it, &step->u.shutdown);
		break;
	case STEP_SET:
		rc = parse_set(p, it, &step->u.set);
		break;
	case STEP_WAIT:
		rc = parse_wait(p, role, it, &step->u.wait);
		break;
	case STEP_AWAIT:
		rc = parse_await(p, it, &step->u.await);
		break;
	case STEP_RAISE:
		rc = parse_raise(p, it, &step->u.raise);
		break;
	case STEP_PAUSE:
		rc = parse_pause(p, it, &step->u.pause);
		break;
	case STEP_DRAIN:
		rc = parse_drain(p, it, &step->u.drain);
		break;
	case STEP_LINGERING_CLOSE:
		rc = parse_lingering_close(p, it, &step->u.lingering);
		break;
	case STEP_CONNECT:
	case STEP_ACCEPT:
	case STEP_CLOSE:
	case STEP_SO_ERROR:
	case STEP_SNAPSHOT:
	case STEP_FORK:
	case STEP_DUP:
	case STEP_EXIT:
	case STEP_POLL:
	default:
		rc = no_more(p, it, 1);
		break;
	}
	if (rc == -1)
		return -1;
	return check_step_order(p, role, step);
}

/* Expectations */

static struct case_expect *
append_expect(struct parser *p)
{
	struct case_file *cf;
	struct case_expect *e, *expects;

	cf = p->cf;
	expects = grow_array(cf->expects, &p->expects_cap, cf->nexpects,
	    sizeof(*cf->expects));
	if (expects == NULL) {
		fail_oom(p);
		return NULL;
	}
	cf->expects = expects;
	e = &cf->expects[cf->nexpects++];
	memset(e, 0, sizeof(*e));
	return e;
}

/*
 * Note an expectation that may be given once (limit 1) or twice (limit 2,
 * a range) for each system; "what" names it in the message.
 */
static int
note_seen(struct parser *p, struct seen *sn, const struct case_expect *e,
    unsigned limit, const char *what)
{
	unsigned first;

	if (seen_exceeds(sn, p->scope, limit, &first)) {
		if (limit == 1)
			fail(p, e->line, e->col,
			    "%s is expected twice (first at line %u)", what,
			    first);
		else
			fail(p, e->line, e->col,
			    "%s is expected three times (first at line %u; two make a range)",
			    what, first);
		return -1;
	}
	seen_note(sn, p->scope, e->line);
	return 0;
}

/* note_seen() for one expectation per role, named "'ROLE.WHAT'". */
static int
note_role_seen(struct parser *p, struct seen *by_role,
    const struct case_expect *e, const char *what)
{
	char name[64];

	snprintf(name, sizeof(name), "'%s.%s'", role_name(e->role), what);
	return note_seen(p, &by_role[e->role], e, 1, name);
}

/* "from ROLE" at token i. */
static int
parse_from_role(struct parser *p, const struct item *it, size_t i,
    enum role_id *role)
{
	const struct token *t;

	t = item_token(it, i);
	if (strcmp(t->s, "from") != 0)
		return no_more(p, it, i);
	if (i + 1 >= it->n) {
		fail_at(p, it->line, t, "'from' needs 'client' or 'server'");
		return -1;
	}
	return parse_role_token(p, it->line, &it->tok[i + 1], role);
}

static int
parse_teardown(struct parser *p, const struct item *it, struct case_expect *e)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int class;

	e->kind = EXPECT_TEARDOWN;
	if (note_seen(p, &p->teardown, e, 1, "'teardown'") == -1)
		return -1;
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "teardown needs none, fin, half-fin, rst or fin-then-rst (e.g. 'teardown fin')");
		return -1;
	}
	t = item_token(it, 1);
	class = find_word(t->s, teardown_words, NELEMS(teardown_words));
	if (class < 0) {
		fail(p, it->line->number, t->col,
		    "unknown teardown '%s'%s (expected none, fin, half-fin, rst or fin-then-rst)",
		    show(&sh, t->s),
		    suggest(&h, t->s, teardown_words, NELEMS(teardown_words)));
		return -1;
	}
	e->u.teardown = (enum teardown_expect_class)class;
	if (it->n == 2)
		return 0;
	if (parse_from_role(p, it, 2, &e->role) == -1)
		return -1;
	e->has_role = true;
	return no_more(p, it, 4);
}

/* The role of the "rst from" given at line (one that seen_exceeds named). */
static enum role_id
rst_from_role_at(const struct parser *p, unsigned line)
{
	size_t s;

	for (s = 0; s < NSCOPES; s++)
		if (p->rst_from.n[s] > 0 && p->rst_from.line[s][0] == line)
			return p->rst_from_role[s];
	return ROLE_CLIENT;
}

static int
note_rst(struct parser *p, const struct case_expect *e)
{
	unsigned first;

	if (e->u.rst == RST_EXPECT_NONE) {
		if (seen_exceeds(&p->no_rst, p->scope, 1, &first)) {
			fail(p, e->line, e->col,
			    "'no rst' is expected twice (first at line %u)",
			    first);
			return -1;
		}
		if (seen_exceeds(&p->rst_from, p->scope, 1, &first)) {
			fail(p, e->line, e->col,
			    "'no rst' contradicts 'rst from %s' (line %u)",
			    role_name(rst_from_role_at(p, first)), first);
			return -1;
		}
		seen_note(&p->no_rst, p->scope, e->line);
		return 0;
	}
	if (seen_exceeds(&p->no_rst, p->scope, 1, &first)) {
		fail(p, e->line, e->col,
		    "'rst from %s' contradicts 'no rst' (line %u)",
		    role_name(e->role), first);
		return -1;
	}
	if (p->rst_from.n[p->scope] == 0)
		p->rst_from_role[p->scope] = e->role;
	seen_note(&p->rst_from, p->scope, e->line);
	return 0;
}

static int
parse_rst(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const kinds[] = { "ack", "bare" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	e->kind = EXPECT_RST;
	if (it->n < 2 || strcmp(it->tok[1].s, "from") != 0) {
		fail_at(p, it->line, it->n < 2 ? &it->tok[0] : &it->tok[1],
		    "expected 'from' after 'rst' (e.g. 'rst from server'; or 'no rst')");
		return -1;
	}
	if (parse_from_role(p, it, 1, &e->role) == -1)
		return -1;
	e->has_role = true;
	e->u.rst = RST_EXPECT_ANY;
	if (it->n > 3) {
		t = item_token(it, 3);
		if (strcmp(t->s, "ack") == 0)
			e->u.rst = RST_EXPECT_ACK;
		else if (strcmp(t->s, "bare") == 0)
			e->u.rst = RST_EXPECT_BARE;
		else {
			fail(p, it->line->number, t->col,
			    "unknown RST kind '%s'%s (expected 'ack' or 'bare')",
			    show(&sh, t->s),
			    suggest(&h, t->s, kinds, NELEMS(kinds)));
			return -1;
		}
	}
	if (no_more(p, it, 4) == -1)
		return -1;
	return note_rst(p, e);
}

static int
parse_no_rst(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const words[] = { "rst" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	e->kind = EXPECT_RST;
	e->u.rst = RST_EXPECT_NONE;
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0], "expected 'no rst'");
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "rst") != 0) {
		fail(p, it->line->number, t->col,
		    "expected 'rst' after 'no', not '%s'%s", show(&sh, t->s),
		    suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	return note_rst(p, e);
}

static int
parse_kernel(struct parser *p, const struct item *it, struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	const char *counter;
	struct shown sh;
	size_t i, used;
	int rc;

	ln = it->line;
	e->kind = EXPECT_KERNEL;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "kernel needs a counter and a change (e.g. 'kernel TCPAbortOnClose = 1')");
		return -1;
	}
	t = item_token(it, 1);
	counter = t->s;
	for (i = 0; counter[i] != '\0'; i++)
		if (!is_alpha(counter[i]) && !(i > 0 && is_digit(counter[i])))
			break;
	if (counter[i] != '\0') {
		fail(p, ln->number, t->col,
		    "kernel counter '%s' must be letters and digits (e.g. 'TCPAbortOnClose')",
		    show(&sh, counter));
		return -1;
	}
	e->u.kernel.counter = dup_bytes(p, t->s, t->len);
	if (e->u.kernel.counter == NULL)
		return -1;
	if (it->n < 3) {
		fail(p, ln->number, t->col,
		    "kernel %s needs a change (e.g. '= 1', '>= 1' or '+1')",
		    show(&sh, counter));
		return -1;
	}
	t = item_token(it, 2);
	if (t->s[0] == '+' && is_digit(t->s[1])) {
		/* "+N": the counter grew by exactly N. */
		e->u.kernel.op = COMPARE_EQ;
		used = 3;
	} else {
		if (parse_compare(t->s, &e->u.kernel.op) == -1) {
			fail(p, ln->number, t->col,
			    "expected a comparison (=, ==, !=, <, <=, >, >=) or '+N' after 'kernel %s', not '%s'",
			    show(&sh, counter), t->s);
			return -1;
		}
		if (it->n < 4) {
			fail(p, ln->number, t->col,
			    "'%s' needs a number (e.g. 'kernel %s %s 1')", t->s,
			    show(&sh, counter), t->s);
			return -1;
		}
		t = item_token(it, 3);
		used = 4;
	}
	rc = parse_signed(t->s, &e->u.kernel.value);
	if (rc == -1) {
		fail(p, ln->number, t->col,
		    "bad number '%s' (expected an integer such as 1 or -1)",
		    show(&sh, t->s));
		return -1;
	}
	if (rc == -2) {
		fail(p, ln->number, t->col, "number '%s' is too large",
		    show(&sh, t->s));
		return -1;
	}
	return no_more(p, it, used);
}

/* "DIRECTION lost OP SIZE|unsent" and "DIRECTION discarded OP SIZE". */
static int
parse_lost(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const words[] = { "unsent" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];
	bool lost;

	ln = it->line;
	lost = strcmp(it->tok[1].s, "lost") == 0;
	e->kind = lost ? EXPECT_LOST : EXPECT_DISCARDED;
	if (it->n < 4 || parse_compare(it->tok[2].s, lost ?
	    &e->u.lost.op : &e->u.discarded.op) == -1) {
		t = it->n < 3 ? &it->tok[1] : &it->tok[2];
		fail_at(p, ln, t, lost ?
		    "'lost' needs a comparison and an amount (e.g. 'lost = 0', 'lost > 0', 'lost = unsent')" :
		    "'discarded' needs a comparison and a size (e.g. 'discarded = 0', 'discarded > 0')");
		return -1;
	}
	t = item_token(it, 3);
	if (lost && strcmp(t->s, "unsent") == 0) {
		e->u.lost.unsent = true;
	} else if (is_digit(t->s[0])) {
		if (parse_size_token(p, ln, t, lost ? &e->u.lost.value :
		    &e->u.discarded.value) == -1)
			return -1;
	} else if (lost) {
		fail(p, ln->number, t->col,
		    "'lost' needs a size or 'unsent', not '%s'%s",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	} else {
		fail(p, ln->number, t->col,
		    "'discarded' needs a size, not '%s'", show(&sh, t->s));
		return -1;
	}
	if (no_more(p, it, 4) == -1)
		return -1;
	snprintf(what, sizeof(what), "'%s %s'", it->tok[0].s, it->tok[1].s);
	return note_seen(p, lost ? &p->lost[e->writer] :
	    &p->discarded[e->writer], e, 2, what);
}

static int
parse_direction(struct parser *p, const struct item *it,
    struct case_expect *e, enum role_id writer)
{
	const char *words[NELEMS(outcome_words) + 2];
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];
	int outcome;
	size_t i;

	e->writer = writer;
	if (it->n < 2) {
		fail(p, it->line->number, it->tok[0].col,
		    "'%s' needs an outcome (clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none), 'lost OP N' or 'discarded OP N'",
		    it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "lost") == 0 || strcmp(t->s, "discarded") == 0)
		return parse_lost(p, it, e);

	e->kind = EXPECT_OUTCOME;
	outcome = find_word(t->s, outcome_words, NELEMS(outcome_words));
	if (outcome < 0) {
		for (i = 0; i < NELEMS(outcome_words); i++)
			words[i] = outcome_words[i];
		words[i++] = "lost";
		words[i] = "discarded";
		fail(p, it->line->number, t->col,
		    "unknown outcome '%s'%s (expected clean, delivered, delivered-but-reset, hidden-reset, truncated, corrupted, none, 'lost' or 'discarded')",
		    show(&sh, t->s), suggest(&h, t->s, words, NELEMS(words)));
		return -1;
	}
	e->u.outcome = (enum direction_outcome)outcome;
	snprintf(what, sizeof(what), "the outcome of '%s'", it->tok[0].s);
	if (note_seen(p, &p->outcome[writer], e, 1, what) == -1)
		return -1;
	return no_more(p, it, 2);
}

/* "expected 'WORD' after 'HEAD'" for the second word of HEAD's forms. */
static int
expect_second_word(struct parser *p, const struct item *it,
    const char *word, const char *example)
{
	const char *words[1];
	const struct token *t;
	struct hint h;

	if (it->n >= 2 && strcmp(it->tok[1].s, word) == 0)
		return 0;
	words[0] = word;
	t = it->n < 2 ? &it->tok[0] : &it->tok[1];
	fail(p, it->line->number, t->col,
	    "expected '%s' after '%s'%s (e.g. '%s %s %s')", word,
	    it->tok[0].s, it->n < 2 ? "" : suggest(&h, t->s, words, 1),
	    it->tok[0].s, word, example);
	return -1;
}

static int
parse_recv_end(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	static const char *const thens[] = { "then" };
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;

	ln = it->line;
	e->kind = EXPECT_RECV_END;
	if (note_role_seen(p, p->recv_end, e, "recv ends") == -1)
		return -1;
	if (expect_second_word(p, it, "ends", "ECONNRESET") == -1)
		return -1;
	if (it->n < 3) {
		fail_at(p, ln, &it->tok[1],
		    "'ends' needs EOF or an errno name (e.g. 'ends ECONNRESET')");
		return -1;
	}
	if (parse_read_end_token(p, ln, &it->tok[2], &e->u.recv_end.first) ==
	    -1)
		return -1;
	if (it->n == 3)
		return 0;
	t = item_token(it, 3);
	if (strcmp(t->s, "then") != 0) {
		fail(p, ln->number, t->col, "unexpected '%s' after '%s'%s",
		    show(&sh, t->s), it->tok[2].s,
		    suggest(&h, t->s, thens, NELEMS(thens)));
		return -1;
	}
	if (it->n < 5) {
		fail_at(p, ln, t,
		    "'then' needs EOF or an errno name (e.g. 'then EOF')");
		return -1;
	}
	if (parse_read_end_token(p, ln, &it->tok[4], &e->u.recv_end.then) ==
	    -1)
		return -1;
	e->u.recv_end.has_then = true;
	return no_more(p, it, 5);
}

static int
parse_so_error_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;

	ln = it->line;
	e->kind = EXPECT_SO_ERROR;
	if (note_role_seen(p, p->so_error, e, "so_error") == -1)
		return -1;
	if (it->n < 2) {
		fail(p, ln->number, it->tok[0].col,
		    "'%s' needs an errno name or 0 (e.g. '%s ECONNRESET')",
		    it->tok[0].s, it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "0") == 0)
		e->u.so_error = 0;
	else if (strcmp(t->s, "EOF") == 0 ||
	    errno_from_name(t->s, &e->u.so_error) == -1) {
		fail(p, ln->number, t->col,
		    "unknown errno '%s'%s (so_error is 0 or a name like ECONNRESET)",
		    show(&sh, t->s), format_hint(&h, "",
		    strcmp(t->s, "EOF") == 0 ? NULL : errno_suggestion(t->s)));
		return -1;
	}
	return no_more(p, it, 2);
}

/* "ROLE.send errors ERRNO..." or "ROLE.send errors none" */
static int
parse_send_errors(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i;
	int value;

	ln = it->line;
	e->kind = EXPECT_SEND_ERRORS;
	if (note_role_seen(p, p->send_errors, e, "send errors") == -1)
		return -1;
	if (expect_second_word(p, it, "errors", "EPIPE") == -1)
		return -1;
	if (it->n < 3) {
		fail_at(p, ln, &it->tok[1],
		    "'errors' needs errno names or 'none' (e.g. 'errors EPIPE', 'errors none')");
		return -1;
	}
	if (strcmp(it->tok[2].s, "none") == 0)
		return no_more(p, it, 3);
	e->u.send_errors.errors = calloc(it->n - 2,
	    sizeof(*e->u.send_errors.errors));
	if (e->u.send_errors.errors == NULL) {
		fail_oom(p);
		return -1;
	}
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		if (strcmp(t->s, "none") == 0) {
			fail_at(p, ln, t,
			    "'none' stands alone (e.g. 'errors none')");
			return -1;
		}
		if (strcmp(t->s, "EOF") == 0 ||
		    errno_from_name(t->s, &value) == -1) {
			fail(p, ln->number, t->col,
			    "unknown errno '%s'%s (send errors are names like EPIPE, or 'none')",
			    show(&sh, t->s), format_hint(&h, "",
			    strcmp(t->s, "EOF") == 0 ? NULL :
			    errno_suggestion(t->s)));
			return -1;
		}
		e->u.send_errors.errors[e->u.send_errors.n++] = value;
	}
	return 0;
}

/* "ROLE.close took OP DUR", "ROLE.shutdown took OP DUR" */
static int
parse_took(struct parser *p, const struct item *it, struct case_expect *e,
    enum timed_call call)
{
	const struct line *ln;
	char what[64];

	ln = it->line;
	e->kind = EXPECT_DURATION;
	e->u.duration.call = call;
	if (expect_second_word(p, it, "took", "< 100ms") == -1)
		return -1;
	if (it->n < 4 ||
	    parse_compare(it->tok[2].s, &e->u.duration.op) == -1) {
		fail_at(p, ln, it->n < 3 ? &it->tok[1] : &it->tok[2],
		    "'took' needs a comparison and a duration (e.g. 'took < 100ms', 'took >= 1s')");
		return -1;
	}
	if (parse_duration_token(p, ln, &it->tok[3], &e->u.duration.ms) == -1)
		return -1;
	if (no_more(p, it, 4) == -1)
		return -1;
	snprintf(what, sizeof(what), "'%s took'", it->tok[0].s);
	return note_seen(p, &p->took[e->role][call], e, 2, what);
}

/* "ROLE.poll includes FLAG..." */
static int
parse_poll_expect(struct parser *p, const struct item *it,
    struct case_expect *e)
{
	const char *names[NELEMS(poll_table)];
	const struct token *t;
	struct shown sh;
	struct hint h;
	size_t i, j;

	e->kind = EXPECT_POLL;
	if (note_role_seen(p, p->poll, e, "poll includes") == -1)
		return -1;
	if (expect_second_word(p, it, "includes", "POLLIN") == -1)
		return -1;
	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[1],
		    "'includes' needs poll flags (e.g. 'includes POLLIN POLLRDHUP')");
		return -1;
	}
	for (j = 0; j < NELEMS(poll_table); j++)
		names[j] = poll_table[j].name;
	for (i = 2; i < it->n; i++) {
		t = item_token(it, i);
		for (j = 0; j < NELEMS(poll_table); j++)
			if (strcmp(t->s, poll_table[j].name) == 0)
				break;
		if (j == NELEMS(poll_table)) {
			fail(p, it->line->number, t->col,
			    "unknown poll flag '%s'%s (expected POLLIN, POLLOUT, POLLERR, POLLHUP or POLLRDHUP)",
			    show(&sh, t->s),
			    suggest(&h, t->s, names, NELEMS(names)));
			return -1;
		}
		if ((e->u.poll_events & poll_table[j].value) != 0) {
			fail(p, it->line->number, t->col,
			    "'%s' is given twice", t->s);
			return -1;
		}
		e->u.poll_events = (short)(e->u.poll_events |
		    poll_table[j].value);
	}
	return 0;
}

/* "ROLE killed by SIGNAL" or "ROLE exits normally" */
static int
parse_fate(struct parser *p, const struct item *it, struct case_expect *e)
{
	static const char *const fates[] = { "killed", "exits" };
	const char *names[NELEMS(signal_table)];
	const struct line *ln;
	const struct token *t;
	struct shown sh;
	struct hint h;
	char what[64];
	size_t i;

	ln = it->line;
	e->kind = EXPECT_KILLED;
	snprintf(what, sizeof(what), "what becomes of %s",
	    role_name(e->role));
	if (note_seen(p, &p->killed[e->role], e, 1, what) == -1)
		return -1;
	if (it->n < 2) {
		fail(p, ln->number, it->tok[0].col,
		    "'%s' needs 'killed by SIGNAL' or 'exits normally' (e.g. '%s killed by SIGPIPE')",
		    it->tok[0].s, it->tok[0].s);
		return -1;
	}
	t = item_token(it, 1);
	if (strcmp(t->s, "exits") == 0) {
		if (it->n < 3 || strcmp(it->tok[2].s, "normally") != 0) {
			t = it->n < 3 ? &it->tok[1] : &it->tok[2];
			fail_at(p, ln, t,
			    "expected 'normally' after 'exits' (e.g. 'server exits normally')");
			return -1;
		}
		e->u.signal = 0;
		return no_more(p, it, 3);
	}
	if (strcmp(t->s, "killed") != 0) {
		fail(p, ln->number, t->col,
		    "expected 'killed by SIGNAL' or 'exits normally' after '%s', not '%s'%s",
		    it->tok[0].s, show(&sh, t->s),
		    suggest(&h, t->s, fates, NELEMS(fates)));
		return -1;
	}
	if (it->n < 3 || strcmp(it->tok[2].s, "by") != 0) {
		t = it->n < 3 ? &it->tok[1] : &it->tok[2];
		fail_at(p, ln, t,
		    "expected 'by' after 'killed' (e.g. 'killed by SIGPIPE')");
		return -1;
	}
	if (it->n < 4) {
		fail_at(p, ln, &it->tok[2],
		    "'killed by' needs a signal name (e.g. 'killed by SIGPIPE')");
		return -1;
	}
	t = item_token(it, 3);
	if (signal_from_name(t->s, &e->u.signal) == -1) {
		for (i = 0; i < NELEMS(signal_table); i++)
			names[i] = signal_table[i].name;
		fail(p, ln->number, t->col,
		    "unknown signal '%s'%s (expected SIGPIPE, SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGABRT or SIGBUS)",
		    show(&sh, t->s), suggest(&h, t->s, names, NELEMS(names)));
		return -1;
	}
	return no_more(p, it, 4);
}

/* An expectation whose first word is ROLE.ATTR. */
static int
parse_role_attr(struct parser *p, const struct item *it,
    struct case_expect *e, enum role_attr attr)
{
	switch (attr) {
	case ATTR_RECV:
		return parse_recv_end(p, it, e);
	case ATTR_SO_ERROR:
		return parse_so_error_expect(p, it, e);
	case ATTR_SEND:
		return parse_send_errors(p, it, e);
	case ATTR_CLOSE:
		return parse_took(p, it, e, TIMED_CLOSE);
	case ATTR_SHUTDOWN:
		return parse_took(p, it, e, TIMED_SHUTDOWN);
	case ATTR_POLL:
	default:
		return parse_poll_expect(p, it, e);
	}
}

static int
parse_expect(struct parser *p, const struct item *it)
{
	struct case_expect *e;
	const struct token *t;
	const char *rest;
	struct shown sh;
	struct hint h;
	enum role_id role;
	size_t i;
	int head, attr;

	e = append_expect(p);
	if (e == NULL)
		return -1;
	t = item_token(it, 0);
	e->line = it->line->number;
	e->col = t->col;
	e->text = item_text(p, it);
	if (e->text == NULL)
		return -1;
	if (p->scope != SCOPE_ALL) {
		e->system = dup_bytes(p, system_words[p->scope - 1],
		    strlen(system_words[p->scope - 1]));
		if (e->system == NULL)
			return -1;
	}
	for (i = 1; i < it->n; i++) {
		if (strcmp(it->tok[i].s, "within") == 0) {
			fail_at(p, it->line, &it->tok[i],
			    "'within' applies to steps, not expectations");
			return -1;
		}
	}

	head = find_word(t->s, expect_head_words, NELEMS(expect_head_words));
	switch (head) {
	case HEAD_TEARDOWN:
		return parse_teardown(p, it, e);
	case HEAD_RST:
		return parse_rst(p, it, e);
	case HEAD_NO:
		return parse_no_rst(p, it, e);
	case HEAD_KERNEL:
		return parse_kernel(p, it, e);
	case HEAD_CLIENT_TO_SERVER:
		return parse_direction(p, it, e, ROLE_CLIENT);
	case HEAD_SERVER_TO_CLIENT:
		return parse_direction(p, it, e, ROLE_SERVER);
	default:
		break;
	}

	if (split_role_prefix(t->s, &role, &rest) == 0) {
		attr = find_word(rest, attr_words, NELEMS(attr_words));
		if (attr >= 0) {
			e->role = role;
			e->has_role = true;
			return parse_role_attr(p, it, e, (enum role_attr)attr);
		}
	}
	if (strcmp(t->s, "client->client") == 0 ||
	    strcmp(t->s, "server->server") == 0) {
		fail_at(p, it->line, t,
		    "a direction goes from one role to the other: 'client->server' or 'server->client'");
		return -1;
	}
	i = (size_t)find_word(t->s, role_words, NELEMS(role_words));
	if (i < NELEMS(role_words)) {
		if (i < ROLE_ENDS && it->n > 1 &&
		    strncmp(it->tok[1].s, "->", 2) == 0) {
			fail_at(p, it->line, t,
			    "write a direction without spaces: 'client->server' or 'server->client'");
			return -1;
		}
		e->role = (enum role_id)i;
		e->has_role = true;
		return parse_fate(p, it, e);
	}
	fail(p, it->line->number, t->col, "unknown expectation '%s'%s",
	    show(&sh, t->s), suggest(&h, t->s, expect_first_words,
	    NELEMS(expect_first_words)));
	return -1;
}

/* Directives and sections */

static int
parse_case_directive(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;

	if (p->name_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'case' is given twice (first at line %u)", p->name_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "case needs a name (e.g. 'case close-unread-truncates')");
		return -1;
	}
	t = item_token(it, 1);
	if (!valid_case_name(t->s)) {
		fail(p, it->line->number, t->col,
		    "case name '%s' must be lower-case letters, digits and '-'",
		    show(&sh, t->s));
		return -1;
	}
	if (t->len > CASE_NAME_MAX) {
		fail(p, it->line->number, t->col,
		    "case name '%s' is longer than %d characters",
		    show(&sh, t->s), CASE_NAME_MAX);
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	p->cf->name = dup_bytes(p, t->s, t->len);
	if (p->cf->name == NULL)
		return -1;
	p->name_line = it->line->number;
	return 0;
}

static int
parse_deadline_directive(struct parser *p, const struct item *it)
{
	uint64_t ms;

	if (p->deadline_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'deadline' is given twice (first at line %u)",
		    p->deadline_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "deadline needs a duration (e.g. 'deadline 10s')");
		return -1;
	}
	if (parse_positive_duration(p, it->line, &it->tok[1], "deadline", "",
	    &ms) == -1)
		return -1;
	if (no_more(p, it, 2) == -1)
		return -1;
	p->cf->deadline_ms = ms;
	p->deadline_line = it->line->number;
	return 0;
}

static int
parse_family_directive(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int family;

	if (p->family_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'family' is given twice (first at line %u)",
		    p->family_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "family needs 4, 6 or both (e.g. 'family both')");
		return -1;
	}
	t = item_token(it, 1);
	family = find_word(t->s, family_words, NELEMS(family_words));
	if (family < 0) {
		fail(p, it->line->number, t->col,
		    "unknown family '%s'%s (expected 4, 6 or both)",
		    show(&sh, t->s),
		    suggest(&h, t->s, family_words, NELEMS(family_words)));
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	p->cf->family = (enum family_mode)family;
	p->family_line = it->line->number;
	return 0;
}

/*
 * A directive of one word from a list, once: "topology veth", "offloads
 * off", "capture both".  *value is the word's index.
 */
static int
parse_word_directive(struct parser *p, const struct item *it,
    unsigned *seen_line, const char *const *words, size_t nwords,
    const char *needs, const char *expected, int *value)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

	if (*seen_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'%s' is given twice (first at line %u)", it->tok[0].s,
		    *seen_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	t = item_token(it, 1);
	i = find_word(t->s, words, nwords);
	if (i < 0) {
		fail(p, it->line->number, t->col, "unknown %s '%s'%s (expected %s)",
		    it->tok[0].s, show(&sh, t->s),
		    suggest(&h, t->s, words, nwords), expected);
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	*seen_line = it->line->number;
	*value = i;
	return 0;
}

static int
parse_topology_directive(struct parser *p, const struct item *it)
{
	int i;

	if (parse_word_directive(p, it, &p->topology_line, topology_words,
	    NELEMS(topology_words),
	    "topology needs loopback, veth or routed (e.g. 'topology veth')",
	    "loopback or veth", &i) == -1)
		return -1;
	p->cf->topology = (enum topology_kind)i;
	return 0;
}

static int
parse_offloads_directive(struct parser *p, const struct item *it)
{
	int i;

	if (parse_word_directive(p, it, &p->offloads_line, on_off_words,
	    NELEMS(on_off_words),
	    "offloads needs on or off (e.g. 'offloads off')",
	    "on or off", &i) == -1)
		return -1;
	p->cf->offloads_off = i == 1;
	return 0;
}

static int
parse_capture_directive(struct parser *p, const struct item *it)
{
	int i;

	if (parse_word_directive(p, it, &p->capture_line, capture_words,
	    NELEMS(capture_words),
	    "capture needs server, client or both (e.g. 'capture both')",
	    "server, client or both", &i) == -1)
		return -1;
	p->cf->capture = (enum capture_point)i;
	p->capture_col = it->tok[0].col;
	return 0;
}

static int
parse_mtu_directive(struct parser *p, const struct item *it)
{
	const struct token *t;
	const char *q;
	unsigned long mtu;

	if (p->mtu_line != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'mtu' is given twice (first at line %u)", p->mtu_line);
		return -1;
	}
	if (it->n < 2) {
		fail_at(p, it->line, &it->tok[0],
		    "mtu needs a number (e.g. 'mtu 1500')");
		return -1;
	}
	t = item_token(it, 1);
	mtu = 0;
	for (q = t->s; *q != '\0' && is_digit(*q) && mtu <= MTU_MAX; q++)
		mtu = mtu * 10 + (unsigned long)(*q - '0');
	if (*q != '\0' || mtu < MTU_MIN || mtu > MTU_MAX) {
		fail(p, it->line->number, t->col,
		    "mtu must be between %d and %d", MTU_MIN, MTU_MAX);
		return -1;
	}
	if (no_more(p, it, 2) == -1)
		return -1;
	p->cf->mtu = (unsigned)mtu;
	p->mtu_line = it->line->number;
	return 0;
}

/* "net." then words of [a-z0-9_] joined by single dots. */
static bool
valid_sysctl_name(const char *name)
{
	const char *q;
	bool empty;

	empty = true;
	for (q = name + strlen("net."); *q != '\0'; q++) {
		if (*q == '.') {
			if (empty)
				return false;
			empty = true;
		} else if (is_lower_alnum(*q) || *q == '_') {
			empty = false;
		} else {
			return false;
		}
	}
	return !empty;
}

static int
parse_sysctl_directive(struct parser *p, const struct item *it)
{
	static const char needs[] = "sysctl needs 'NAME = VALUE'";
	const struct token *name;
	struct case_sysctl *sc, *grown;
	struct shown sh;
	size_t i, len;
	char *value, *w;

	if (it->n < 2 || strchr(it->tok[1].s, '=') != NULL) {
		fail_at(p, it->line, it->n < 2 ? &it->tok[0] : &it->tok[1],
		    needs);
		return -1;
	}
	name = item_token(it, 1);
	if (strncmp(name->s, "net.", strlen("net.")) != 0) {
		fail(p, it->line->number, name->col,
		    "sysctl '%s': only net.* sysctls can be set in the case's namespaces",
		    show(&sh, name->s));
		return -1;
	}
	if (!valid_sysctl_name(name->s)) {
		fail(p, it->line->number, name->col,
		    "sysctl name '%s' must be words of a-z, 0-9 and '_' joined by '.' (e.g. 'net.ipv4.tcp_rmem')",
		    show(&sh, name->s));
		return -1;
	}
	if (it->n < 3 || strcmp(it->tok[2].s, "=") != 0) {
		fail_at(p, it->line, it->n < 3 ? &it->tok[0] : &it->tok[2],
		    needs);
		return -1;
	}
	if (it->n < 4) {
		fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	for (i = 0; i < p->cf->nsysctls; i++) {
		if (strcmp(p->cf->sysctls[i].name, name->s) == 0) {
			fail(p, it->line->number, name->col,
			    "sysctl '%s' is set twice (first at line %u)",
			    show(&sh, name->s), p->cf->sysctls[i].line);
			return -1;
		}
	}

	/* The value: tokens 3.. joined by single spaces. */
	len = 0;
	for (i = 3; i < it->n; i++)
		len += it->tok[i].len + 1;
	value = malloc(len);
	if (value == NULL) {
		fail_oom(p);
		return -1;
	}
	w = value;
	for (i = 3; i < it->n; i++) {
		if (i > 3)
			*w++ = ' ';
		memcpy(w, it->tok[i].s, it->tok[i].len);
		w += it->tok[i].len;
	}
	*w = '\0';

	grown = grow_array(p->cf->sysctls, &p->sysctls_cap, p->cf->nsysctls,
	    sizeof(*p->cf->sysctls));
	if (grown == NULL) {
		free(value);
		fail_oom(p);
		return -1;
	}
	p->cf->sysctls = grown;
	sc = &p->cf->sysctls[p->cf->nsysctls];
	sc->name = dup_bytes(p, name->s, name->len);
	if (sc->name == NULL) {
		free(value);
		return -1;
	}
	sc->value = value;
	sc->line = it->line->number;
	p->cf->nsysctls++;
	return 0;
}

/* DIGITS (bit|kbit|mbit|gbit) -> bits per second, above 0. */
static int
parse_rate_bps(const char *s, uint64_t *bps)
{
	uint64_t value, digit, factor;
	size_t ndigits;
	int unit;

	ndigits = strspn(s, "0123456789");
	if (ndigits == 0)
		return -1;
	unit = find_word(s + ndigits, rate_units, NELEMS(rate_units));
	if (unit < 0)
		return -1;
	value = 0;
	for (; is_digit(*s); s++) {
		digit = (uint64_t)(*s - '0');
		if (value > (UINT64_MAX - digit) / 10)
			return -1;
		value = value * 10 + digit;
	}
	factor = rate_factors[unit];
	if (value == 0 || value > UINT64_MAX / factor)
		return -1;
	*bps = value * factor;
	return 0;
}

/* P with at most 2 decimals, 0 < P <= 100, in basis points; no "%". */
static int
parse_percent(const char *s, size_t len, unsigned *bp)
{
	const char *end;
	unsigned whole, fraction, scale;

	end = s + len;
	if (s == end || !is_digit(*s))
		return -1;
	whole = 0;
	for (; s < end && is_digit(*s); s++) {
		whole = whole * 10 + (unsigned)(*s - '0');
		if (whole > 100)
			return -1;
	}
	fraction = 0;
	if (s < end && *s == '.') {
		s++;
		if (s == end || !is_digit(*s))
			return -1;
		for (scale = 10; s < end && is_digit(*s); s++) {
			if (scale == 0)
				return -1;	/* a third decimal */
			fraction += (unsigned)(*s - '0') * scale;
			scale /= 10;
		}
	}
	if (s != end)
		return -1;
	*bp = whole * 100 + fraction;
	return *bp == 0 || *bp > 10000 ? -1 : 0;
}

static int
parse_rate_value(struct parser *p, const struct item *it,
    struct case_impairment *im)
{
	static const char needs[] = "rate needs a rate such as '10mbit'";
	/* Sizes: bytes, not bits; no bit unit is meant by them. */
	static const char *const byte_units[] = {
		"B", "K", "M", "G", "KiB", "MiB", "GiB"
	};
	const struct token *t;
	struct hint h;
	char digits[24], lower[8];
	const char *unit;
	size_t ndigits, i;
	int u;

	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	t = item_token(it, 2);
	if (parse_rate_bps(t->s, &im->rate_bps) == 0)
		return no_more(p, it, 3);
	/*
	 * "10mbps", "10Mbit": the number is fine, the unit is a near miss
	 * ("10mbit" itself is refused for its number: 0 or too large).
	 */
	h.text[0] = '\0';
	ndigits = strspn(t->s, "0123456789");
	unit = t->s + ndigits;
	if (ndigits > 0 && ndigits < sizeof(digits) && is_alpha(*unit) &&
	    find_word(unit, rate_units, NELEMS(rate_units)) < 0 &&
	    find_word(unit, byte_units, NELEMS(byte_units)) < 0) {
		for (i = 0; i + 1 < sizeof(lower) && unit[i] != '\0'; i++)
			lower[i] = (char)(unit[i] >= 'A' && unit[i] <= 'Z' ?
			    unit[i] - 'A' + 'a' : unit[i]);
		lower[i] = '\0';
		u = -1;
		if (unit[i] == '\0')
			u = find_word(lower, rate_units, NELEMS(rate_units));
		if (u < 0)
			u = nearest_word(unit, rate_units, NELEMS(rate_units));
		if (u >= 0) {
			memcpy(digits, t->s, ndigits);
			digits[ndigits] = '\0';
			format_hint(&h, digits, rate_units[u]);
		}
	}
	fail(p, it->line->number, t->col, "%s%s", needs, h.text);
	return -1;
}

static int
parse_loss_value(struct parser *p, const struct item *it,
    struct case_impairment *im)
{
	static const char needs[] = "loss needs a percentage such as '5%'";
	const struct token *t;
	struct hint h;
	unsigned bp;

	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[0], needs);
		return -1;
	}
	t = item_token(it, 2);
	if (t->len > 1 && t->s[t->len - 1] == '%' &&
	    parse_percent(t->s, t->len - 1, &im->loss_bp) == 0)
		return no_more(p, it, 3);
	/* "5": a percentage without its sign. */
	h.text[0] = '\0';
	if (parse_percent(t->s, t->len, &bp) == 0)
		format_hint(&h, t->s, "%");
	fail(p, it->line->number, t->col, "%s%s", needs, h.text);
	return -1;
}

static int
parse_delay_value(struct parser *p, const struct item *it,
    struct case_impairment *im)
{
	static const char *const options[] = { "jitter" };
	const struct token *t;
	struct shown sh;
	struct hint h;

	if (it->n < 3) {
		fail_at(p, it->line, &it->tok[0],
		    "delay needs a duration (e.g. 'delay server->client 20ms')");
		return -1;
	}
	if (parse_positive_duration(p, it->line, &it->tok[2], "delay", "",
	    &im->delay_ms) == -1)
		return -1;
	if (it->n == 3)
		return 0;
	t = item_token(it, 3);
	if (strcmp(t->s, "jitter") != 0) {
		fail(p, it->line->number, t->col,
		    "unknown delay option '%s'%s (expected 'jitter')",
		    show(&sh, t->s), suggest(&h, t->s, options, NELEMS(options)));
		return -1;
	}
	if (it->n < 5) {
		fail_at(p, it->line, t,
		    "jitter needs a duration (e.g. 'jitter 5ms')");
		return -1;
	}
	if (parse_positive_duration(p, it->line, &it->tok[4], "jitter",
	    " (leave it out for none)", &im->jitter_ms) == -1)
		return -1;
	return no_more(p, it, 5);
}

/* "rate DIR RATE", "loss DIR P%", "delay DIR DUR [jitter DUR]". */
static int
parse_impairment(struct parser *p, const struct item *it,
    enum impairment_kind kind)
{
	static const char *const examples[] = {
		"rate server->client 10mbit", "loss client->server 5%",
		"delay server->client 20ms"
	};
	struct case_impairment im, *grown;
	const struct token *t;
	struct shown sh;
	struct hint h;
	unsigned *seen;
	int writer;

	memset(&im, 0, sizeof(im));
	im.kind = kind;
	im.line = it->line->number;
	if (it->n < 2) {
		fail(p, it->line->number, it->tok[0].col,
		    "%s needs a direction (e.g. '%s')", impairment_words[kind],
		    examples[kind]);
		return -1;
	}
	t = item_token(it, 1);
	writer = find_word(t->s, direction_words, NELEMS(direction_words));
	if (writer < 0) {
		fail(p, it->line->number, t->col,
		    "unknown direction '%s'%s (expected 'client->server' or 'server->client')",
		    show(&sh, t->s), suggest(&h, t->s, direction_words,
		    NELEMS(direction_words)));
		return -1;
	}
	im.writer = (enum role_id)writer;
	seen = &p->impairment_line[kind][writer];
	if (*seen != 0) {
		fail(p, it->line->number, it->tok[0].col,
		    "'%s %s' is given twice (first at line %u)",
		    impairment_words[kind], direction_words[writer], *seen);
		return -1;
	}
	switch (kind) {
	case IMPAIR_RATE:
		if (parse_rate_value(p, it, &im) == -1)
			return -1;
		break;
	case IMPAIR_LOSS:
		if (parse_loss_value(p, it, &im) == -1)
			return -1;
		break;
	case IMPAIR_DELAY:
	default:
		if (parse_delay_value(p, it, &im) == -1)
			return -1;
		break;
	}
	grown = grow_array(p->cf->impairments, &p->impairments_cap,
	    p->cf->nimpairments, sizeof(*p->cf->impairments));
	if (grown == NULL) {
		fail_oom(p);
		return -1;
	}
	p->cf->impairments = grown;
	if (p->cf->nimpairments == 0)
		p->impairment_col = it->tok[0].col;
	p->cf->impairments[p->cf->nimpairments++] = im;
	*seen = it->line->number;
	return 0;
}

/* The first expectation section, for "case expects nothing". */
static void
note_expect_section(struct parser *p, const struct line *ln,
    const struct token *label)
{
	if (p->expect_line == 0) {
		p->expect_line = ln->number;
		p->expect_col = label->col;
	}
}

static int
start_section(struct parser *p, enum section section, const struct line *ln,
    const struct token *label)
{
	struct case_role *r;
	enum role_id role;

	if (section == SECTION_EXPECT) {
		if (p->plain_expect_line != 0) {
			fail(p, ln->number, label->col,
			    "'expect:' appears twice (first at line %u)",
			    p->plain_expect_line);
			return -1;
		}
		p->plain_expect_line = ln->number;
		p->scope = SCOPE_ALL;
		note_expect_section(p, ln, label);
	} else {
		role = (enum role_id)(section - SECTION_CLIENT);
		r = &p->cf->roles[role];
		if (r->present) {
			fail(p, ln->number, label->col,
			    "role '%s' is defined twice (first at line %u)",
			    role_name(role), r->line);
			return -1;
		}
		r->present = true;
		r->line = ln->number;
		p->role_col[role] = label->col;
	}
	p->section = section;
	return 0;
}

/*
 * "expect SYSTEM:" (two tokens; the second may hold the section's first
 * item, as "linux:no"), then the rest of the line as an expectation.
 */
static int
parse_system_label(struct parser *p, struct item *it)
{
	const struct line *ln;
	struct token *t;
	struct shown sh;
	struct hint h;
	char *colon;
	size_t len, scope;
	int sys;

	ln = it->line;
	if (it->n < 2) {
		fail_at(p, ln, &it->tok[0],
		    "expected 'expect:' or 'expect SYSTEM:' (e.g. 'expect linux:')");
		return -1;
	}
	t = item_token(it, 1);
	colon = strchr(t->s, ':');
	if (colon == NULL) {
		fail(p, ln->number, t->col,
		    "a system section ends with ':' (e.g. 'expect linux:'), not 'expect %s'",
		    show(&sh, t->s));
		return -1;
	}
	len = (size_t)(colon - t->s);
	/* Split the token for a moment to look at the system part. */
	*colon = '\0';
	sys = find_word(t->s, system_words, NELEMS(system_words));
	if (sys < 0) {
		show(&sh, t->s);
		suggest(&h, t->s, system_words, NELEMS(system_words));
		*colon = ':';
		fail(p, ln->number, t->col,
		    "unknown system '%s'%s (expected linux, freebsd, darwin, netbsd or openbsd)",
		    sh.text, h.text);
		return -1;
	}
	*colon = ':';
	scope = (size_t)sys + 1;
	if (p->system_line[scope] != 0) {
		fail(p, ln->number, it->tok[0].col,
		    "'expect %s:' appears twice (first at line %u)",
		    system_words[sys], p->system_line[scope]);
		return -1;
	}
	p->system_line[scope] = ln->number;
	note_expect_section(p, ln, &it->tok[0]);
	p->section = SECTION_EXPECT;
	p->scope = scope;
	if (t->len == len + 1) {
		it->tok += 2;
		it->n -= 2;
	} else {
		/* "linux:no rst": the rest is the first item. */
		t->s += len + 1;
		t->len -= len + 1;
		t->off += len + 1;
		t->col += (unsigned)(len + 1);
		it->tok++;
		it->n--;
	}
	if (it->n == 0)
		return 0;
	return parse_expect(p, it);
}

/* The first word of an expectation ("teardown", "client.recv", ...). */
static bool
is_expect_head(const char *word)
{
	enum role_id role;
	const char *rest;

	if (find_word(word, expect_head_words, NELEMS(expect_head_words)) >= 0)
		return true;
	return split_role_prefix(word, &role, &rest) == 0 &&
	    find_word(rest, attr_words, NELEMS(attr_words)) >= 0;
}

/* Something that belongs in a section, found before any label. */
static int
fail_outside_section(struct parser *p, const struct item *it)
{
	const struct token *t;
	struct shown sh;
	struct hint h;
	int i;

	t = item_token(it, 0);
	if (find_word(t->s, step_words, NELEMS(step_words)) >= 0) {
		fail(p, it->line->number, t->col,
		    "step '%s' outside a 'client:' or 'server:' section",
		    t->s);
		return -1;
	}
	if (is_expect_head(t->s)) {
		fail(p, it->line->number, t->col,
		    "expectation '%s' outside the 'expect:' section", t->s);
		return -1;
	}
	/* "client" is a label without its colon. */
	i = find_word(t->s, toplevel_words, NELEMS(toplevel_words));
	if (i < 0)
		i = nearest_word(t->s, toplevel_words, NELEMS(toplevel_words));
	fail(p, it->line->number, t->col,
	    "expected 'case', 'deadline', 'family' or a section ('client:', 'server:', 'client.child:', 'server.child:', 'expect:'), not '%s'%s",
	    show(&sh, t->s), format_hint(&h, "", i < 0 ? NULL :
	    toplevel_shown[i]));
	return -1;
}

static int
parse_tokens(struct parser *p, const struct line *ln)
{
	struct item it;
	struct token *t;
	struct shown sh;
	struct hint h;
	size_t i, label_len;
	int label, kind;

	it.line = ln;
	it.tok = p->tokens;
	it.n = p->ntokens;
	t = &it.tok[0];
	if (strcmp(t->s, "case") == 0)
		return parse_case_directive(p, &it);
	if (strcmp(t->s, "deadline") == 0)
		return parse_deadline_directive(p, &it);
	if (strcmp(t->s, "family") == 0)
		return parse_family_directive(p, &it);
	if (strcmp(t->s, "topology") == 0)
		return parse_topology_directive(p, &it);
	if (strcmp(t->s, "mtu") == 0)
		return parse_mtu_directive(p, &it);
	if (strcmp(t->s, "offloads") == 0)
		return parse_offloads_directive(p, &it);
	if (strcmp(t->s, "capture") == 0)
		return parse_capture_directive(p, &it);
	if (strcmp(t->s, "sysctl") == 0)
		return parse_sysctl_directive(p, &it);
	kind = find_word(t->s, impairment_words, NELEMS(impairment_words));
	if (kind >= 0)
		return parse_impairment(p, &it, (enum impairment_kind)kind);
	if (strcmp(t->s, "expect") == 0)
		return parse_system_label(p, &it);

	label = -1;
	label_len = 0;
	for (i = 0; i < NELEMS(label_words); i++) {
		label_len = strlen(label_words[i]);
		if (strncmp(t->s, label_words[i], label_len) == 0) {
			label = (int)i;
			break;
		}
	}
	if (label >= 0) {
		if (start_section(p, (enum section)(SECTION_CLIENT + label),
		    ln, t) == -1)
			return -1;
		if (t->len == label_len) {
			it.tok++;
			it.n--;
		} else {
			/* "client:connect": the rest is the first item. */
			t->s += label_len;
			t->len -= label_len;
			t->off += label_len;
			t->col += (unsigned)label_len;
		}
		if (it.n == 0)
			return 0;
	} else if (t->s[t->len - 1] == ':') {
		fail(p, ln->number, t->col,
		    "unknown section '%s'%s (expected 'client:', 'server:', 'client.child:', 'server.child:' or 'expect:')",
		    show(&sh, t->s),
		    suggest(&h, t->s, label_words, NELEMS(label_words)));
		return -1;
	}

	switch (p->section) {
	case SECTION_CLIENT:
		return parse_step(p, ROLE_CLIENT, &it);
	case SECTION_SERVER:
		return parse_step(p, ROLE_SERVER, &it);
	case SECTION_CLIENT_CHILD:
		return parse_step(p, ROLE_CLIENT_CHILD, &it);
	case SECTION_SERVER_CHILD:
		return parse_step(p, ROLE_SERVER_CHILD, &it);
	case SECTION_EXPECT:
		return parse_expect(p, &it);
	case SECTION_NONE:
	default:
		return fail_outside_section(p, &it);
	}
}

/* Lines */

/* Bytes a case file may not hold; see the grammar. */
static int
check_bytes(struct parser *p, const struct line *ln)
{
	bool in_comment;
	unsigned char c;
	size_t i;

	/* Columns are unsigned. */
	if (ln->len > UINT_MAX - 1) {
		fail(p, ln->number, 1, "line is too long");
		return -1;
	}
	in_comment = false;
	for (i = 0; i < ln->len; i++) {
		c = (unsigned char)ln->text[i];
		if (c == '#')
			in_comment = true;
		if (c == '\0') {
			fail(p, ln->number, (unsigned)(i + 1),
			    "NUL byte in case file");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			fail(p, ln->number, (unsigned)(i + 1),
			    "unexpected character 0x%02x", c);
			return -1;
		}
		if (c >= 0x80 && !in_comment) {
			fail(p, ln->number, (unsigned)(i + 1),
			    "unexpected character 0x%02x (only comments may hold non-ASCII text)",
			    c);
			return -1;
		}
	}
	return 0;
}

/* Add a line of the opening comment block to the summary. */
static int
note_summary(struct parser *p, const struct line *ln)
{
	size_t start, end;

	start = 0;
	while (start < ln->len && (ln->text[start] == ' ' ||
	    ln->text[start] == '\t'))
		start++;
	if (start == ln->len || ln->text[start] != '#') {
		p->in_summary = false;
		return 0;
	}
	while (start < ln->len && ln->text[start] == '#')
		start++;
	if (start < ln->len && ln->text[start] == ' ')
		start++;
	end = ln->len;
	while (end > start && (ln->text[end - 1] == ' ' ||
	    ln->text[end - 1] == '\t'))
		end--;
	if (end == start)
		return 0;
	if ((p->summary.len > 0 && dynstr_append(&p->summary, " ", 1) == -1) ||
	    dynstr_append(&p->summary, ln->text + start, end - start) == -1) {
		fail_oom(p);
		return -1;
	}
	return 0;
}

/* Split the line (up to a comment) into tokens in p->tokens. */
static int
tokenize(struct parser *p, const struct line *ln)
{
	struct token *t, *tokens;
	size_t i, start;
	char *grown;

	if (ln->len + 1 > p->copy_cap) {
		grown = realloc(p->copy, ln->len + 1);
		if (grown == NULL) {
			fail_oom(p);
			return -1;
		}
		p->copy = grown;
		p->copy_cap = ln->len + 1;
	}
	memcpy(p->copy, ln->text, ln->len);
	p->copy[ln->len] = '\0';

	p->ntokens = 0;
	i = 0;
	for (;;) {
		while (p->copy[i] == ' ' || p->copy[i] == '\t')
			i++;
		if (p->copy[i] == '\0' || p->copy[i] == '#')
			break;
		start = i;
		while (p->copy[i] != '\0' && p->copy[i] != ' ' &&
		    p->copy[i] != '\t' && p->copy[i] != '#')
			i++;
		tokens = grow_array(p->tokens, &p->tokens_cap, p->ntokens,
		    sizeof(*p->tokens));
		if (tokens == NULL) {
			fail_oom(p);
			return -1;
		}
		p->tokens = tokens;
		t = &p->tokens[p->ntokens++];
		t->s = p->copy + start;
		t->len = i - start;
		t->off = start;
		t->col = (unsigned)(start + 1);
		/* End the token; a '#' ending it also ends the line. */
		if (p->copy[i] == '#') {
			p->copy[i] = '\0';
			break;
		}
		if (p->copy[i] != '\0')
			p->copy[i++] = '\0';
	}
	return 0;
}

static int
parse_line(struct parser *p, const struct line *ln)
{
	if (check_bytes(p, ln) == -1)
		return -1;
	if (p->in_summary && note_summary(p, ln) == -1)
		return -1;
	if (tokenize(p, ln) == -1)
		return -1;
	if (p->ntokens == 0)
		return 0;
	return parse_tokens(p, ln);
}

/* Checks on the whole case */

static int
compare_sites(const void *a, const void *b)
{
	const struct event_site *x = a, *y = b;
	int c;

	c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	return x->raised_at < y->raised_at ? -1 : x->raised_at > y->raised_at;
}

static int
build_event_index(struct parser *p, const struct case_role *r,
    struct event_index *ix)
{
	const char *name;
	size_t i;

	ix->nsites = 0;
	ix->sites = calloc(r->nsteps + 1, sizeof(*ix->sites));
	if (ix->sites == NULL) {
		fail_oom(p);
		return -1;
	}
	for (i = 0; i < r->nsteps; i++) {
		name = step_event_name(&r->steps[i]);
		if (name == NULL)
			continue;
		ix->sites[ix->nsites].name = name;
		ix->sites[ix->nsites].raised_at = i + 1;
		ix->sites[ix->nsites].step = &r->steps[i];
		ix->nsites++;
	}
	ix->sites[ix->nsites].name = "done";
	ix->sites[ix->nsites].raised_at = r->nsteps;
	ix->sites[ix->nsites].step = NULL;
	ix->nsites++;
	qsort(ix->sites, ix->nsites, sizeof(*ix->sites), compare_sites);
	return 0;
}

/* The earliest site of an event, or NULL. */
static const struct event_site *
find_event(const struct event_index *ix, const char *name)
{
	size_t low, high, mid;

	low = 0;
	high = ix->nsites;
	while (low < high) {
		mid = low + (high - low) / 2;
		if (strcmp(ix->sites[mid].name, name) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	if (low < ix->nsites && strcmp(ix->sites[low].name, name) == 0)
		return &ix->sites[low];
	return NULL;
}

static bool
step_before(const struct case_step *a, const struct case_step *b)
{
	return b == NULL || a->line < b->line ||
	    (a->line == b->line && a->col < b->col);
}

/* A name raised twice by one role: the earliest second raise. */
static int
check_duplicate_raises(struct parser *p, enum role_id role,
    const struct event_index *ix)
{
	const struct case_step *worst, *first;
	size_t i;

	worst = NULL;
	first = NULL;
	for (i = 1; i < ix->nsites; i++) {
		if (strcmp(ix->sites[i].name, ix->sites[i - 1].name) != 0)
			continue;
		/* Implicit names repeat freely; raised names may not. */
		if (ix->sites[i].step == NULL ||
		    ix->sites[i].step->kind != STEP_RAISE)
			continue;
		if (step_before(ix->sites[i].step, worst)) {
			worst = ix->sites[i].step;
			first = ix->sites[i - 1].step;
		}
	}
	if (worst != NULL) {
		fail(p, worst->line, worst->col,
		    "%s raises '%s' twice (first at line %u)", role_name(role),
		    worst->u.raise.event, first->line);
		return -1;
	}
	return 0;
}

/* Every wait names a role that exists and an event it raises. */
static int
check_waits(struct parser *p, const struct event_index ix[ROLE_COUNT])
{
	const struct case_step *step, *bad;
	const struct case_role *r;
	const struct event_index *other;
	struct nearest nr;
	struct hint h;
	struct shown sh;
	char prefix[32];
	enum role_id role, bad_role, target;
	size_t i;

	bad = NULL;
	bad_role = ROLE_CLIENT;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
		r = &p->cf->roles[role];
		for (i = 0; i < r->nsteps; i++) {
			step = &r->steps[i];
			if (step->kind != STEP_WAIT)
				continue;
			target = step->u.wait.role;
			if (p->cf->roles[target].present &&
			    find_event(&ix[target], step->u.wait.event) != NULL)
				continue;
			if (step_before(step, bad)) {
				bad = step;
				bad_role = role;
			}
		}
	}
	if (bad == NULL)
		return 0;

	target = bad->u.wait.role;
	if (!p->cf->roles[target].present) {
		fail(p, bad->line, bad->col,
		    "%s waits for '%s.%s', but there is no '%s:' section",
		    role_name(bad_role), role_name(target),
		    show(&sh, bad->u.wait.event), role_name(target));
		return -1;
	}
	other = &ix[target];
	nearest_init(&nr, bad->u.wait.event);
	for (i = 0; i < other->nsites; i++)
		nearest_consider(&nr, i, other->sites[i].name);
	snprintf(prefix, sizeof(prefix), "%s.", role_name(target));
	fail(p, bad->line, bad->col,
	    "%s waits for '%s.%s', which %s never raises%s",
	    role_name(bad_role), role_name(target),
	    show(&sh, bad->u.wait.event), role_name(target),
	    nr.best_distance == SIZE_MAX ? "" : format_hint(&h, prefix,
	    other->sites[nr.best].name));
	return -1;
}

/* The index of a role's fork step, or SIZE_MAX. */
static size_t
fork_index(const struct case_role *r)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == STEP_FORK)
			return i;
	return SIZE_MAX;
}

/* The paper run of check_deadlock(). */
struct paper_run {
	const struct case_role *roles;
	const struct event_index *ix;
	size_t pc[ROLE_COUNT];		/* steps completed */
	bool started[ROLE_COUNT];
};

static bool
paper_raised(const struct paper_run *run, enum role_id role,
    const char *event)
{
	const struct event_site *site;

	site = find_event(&run->ix[role], event);
	return site != NULL && run->started[role] &&
	    run->pc[role] >= site->raised_at;
}

static bool
paper_stuck(const struct paper_run *run, enum role_id role)
{
	return run->started[role] && run->pc[role] < run->roles[role].nsteps;
}

/*
 * Why a role cannot finish, from the earliest stuck wait: each wait's
 * role is stuck too, or is a child whose parent has not forked yet.
 */
static void
fail_deadlock(struct parser *p, const struct paper_run *run,
    enum role_id start)
{
	const struct case_step *step, *first_step;
	enum role_id cur, target, parent, hops[2 * ROLE_COUNT];
	unsigned fork_line;
	bool visited[ROLE_COUNT], only_waits;
	char msg[CASE_ERRBUF_SIZE];
	struct shown a, b;
	size_t nhops, len, i;

	memset(visited, 0, sizeof(visited));
	nhops = 0;
	only_waits = true;
	len = 0;
	msg[0] = '\0';
	cur = start;
	while (!visited[cur] && paper_stuck(run, cur)) {
		visited[cur] = true;
		step = &run->roles[cur].steps[run->pc[cur]];
		target = step->u.wait.role;
		hops[nhops++] = cur;
		len += (size_t)snprintf(msg + len, sizeof(msg) - len,
		    "%s%s waits for '%s.%s' (line %u)", len == 0 ? "" : "; ",
		    role_name(cur), role_name(target),
		    show(&a, step->u.wait.event), step->line);
		if (len >= sizeof(msg))
			len = sizeof(msg) - 1;
		if (!run->started[target]) {
			parent = role_end(target);
			i = fork_index(&run->roles[parent]);
			fork_line = i == SIZE_MAX ? 0 :
			    run->roles[parent].steps[i].line;
			only_waits = false;
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			    "; %s starts only after %s's 'fork' (line %u)",
			    role_name(target), role_name(parent), fork_line);
			if (len >= sizeof(msg))
				len = sizeof(msg) - 1;
			target = parent;
		}
		cur = target;
	}
	first_step = &run->roles[start].steps[run->pc[start]];
	if (only_waits && nhops == 2 && cur == start) {
		step = &run->roles[hops[1]].steps[run->pc[hops[1]]];
		fail(p, first_step->line, first_step->col,
		    "%s and %s wait on each other: %s waits for '%s.%s' (line %u) while %s waits for '%s.%s' (line %u)",
		    role_name(start), role_name(hops[1]), role_name(start),
		    role_name(hops[1]), show(&a, first_step->u.wait.event),
		    first_step->line, role_name(hops[1]), role_name(start),
		    show(&b, step->u.wait.event), step->line);
		return;
	}
	fail(p, first_step->line, first_step->col, "deadlock: %s", msg);
}

/*
 * Run the roles on paper: every step but a wait completes at once, a
 * wait completes once its role has raised the event, and a child starts
 * once its parent's fork has completed.  Whatever cannot finish that way
 * would hang until the deadline.
 */
static int
check_deadlock(struct parser *p, const struct event_index ix[ROLE_COUNT])
{
	struct paper_run run;
	const struct case_step *step, *first;
	enum role_id role, first_role, parent;
	size_t fork_at;
	bool progress;

	memset(&run, 0, sizeof(run));
	run.roles = p->cf->roles;
	run.ix = ix;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		run.started[role] = !role_is_child(role);
	do {
		progress = false;
		for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
			if (!run.started[role]) {
				parent = role_end(role);
				fork_at = fork_index(&run.roles[parent]);
				if (!run.roles[role].present ||
				    fork_at == SIZE_MAX ||
				    run.pc[parent] <= fork_at)
					continue;
				run.started[role] = true;
				progress = true;
			}
			while (run.pc[role] < run.roles[role].nsteps) {
				step = &run.roles[role].steps[run.pc[role]];
				if (step->kind == STEP_WAIT &&
				    !paper_raised(&run, step->u.wait.role,
				    step->u.wait.event))
					break;
				run.pc[role]++;
				progress = true;
			}
		}
	} while (progress);

	first = NULL;
	first_role = ROLE_CLIENT;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
		if (!paper_stuck(&run, role))
			continue;
		step = &run.roles[role].steps[run.pc[role]];
		if (step_before(step, first)) {
			first = step;
			first_role = role;
		}
	}
	if (first == NULL)
		return 0;
	fail_deadlock(p, &run, first_role);
	return -1;
}

/* A fork and its child's section come together. */
static int
check_forks(struct parser *p)
{
	const struct case_role *parent, *child;
	const struct case_step *bad_step;
	enum role_id end, kid;
	unsigned line, col, bad_line, bad_col;
	size_t i;
	char msg[128];
	char bad_msg[128];

	bad_line = bad_col = 0;
	bad_msg[0] = '\0';
	for (end = ROLE_CLIENT; end < ROLE_ENDS; end++) {
		kid = (enum role_id)(end + ROLE_ENDS);
		parent = &p->cf->roles[end];
		child = &p->cf->roles[kid];
		i = fork_index(parent);
		if (i != SIZE_MAX && !child->present) {
			bad_step = &parent->steps[i];
			line = bad_step->line;
			col = bad_step->col;
			snprintf(msg, sizeof(msg),
			    "'fork' needs a '%s:' section", role_name(kid));
		} else if (i == SIZE_MAX && child->present) {
			line = child->line;
			col = p->role_col[kid];
			snprintf(msg, sizeof(msg),
			    "'%s:' needs a 'fork' step in %s", role_name(kid),
			    role_name(end));
		} else
			continue;
		if (bad_line == 0 || line < bad_line ||
		    (line == bad_line && col < bad_col)) {
			bad_line = line;
			bad_col = col;
			memcpy(bad_msg, msg, sizeof(msg));
		}
	}
	if (bad_line == 0)
		return 0;
	fail(p, bad_line, bad_col, "%s", bad_msg);
	return -1;
}

/* A child's steps on the descriptors it inherits at the fork. */
static int
check_children(struct parser *p)
{
	const struct case_role *r;
	struct socket_track st;
	enum role_id kid, end;
	size_t i;

	for (kid = ROLE_ENDS; kid < ROLE_COUNT; kid++) {
		r = &p->cf->roles[kid];
		if (!r->present)
			continue;
		end = role_end(kid);
		memset(&st, 0, sizeof(st));
		st.open_line = p->track[end].fork_line;
		st.fds = p->track[end].fork_fds;
		for (i = 0; i < r->nsteps; i++)
			if (track_socket(p, kid, &st, &r->steps[i]) == -1)
				return -1;
	}
	return 0;
}

static bool
role_has_step(const struct case_role *r, enum step_kind kind)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == kind)
			return true;
	return false;
}

/* An expectation about a result that no step would produce. */
static int
check_expect_sources(struct parser *p)
{
	const struct case_expect *e;
	const struct case_role *r;
	const char *name;
	size_t i;

	for (i = 0; i < p->cf->nexpects; i++) {
		e = &p->cf->expects[i];
		if (!e->has_role)
			continue;
		r = &p->cf->roles[e->role];
		name = role_name(e->role);
		if (!r->present) {
			fail(p, e->line, e->col,
			    "expectation about %s, but there is no '%s:' section",
			    name, name);
			return -1;
		}
		switch (e->kind) {
		case EXPECT_RECV_END:
			if (role_has_step(r, STEP_RECV))
				break;
			fail(p, e->line, e->col,
			    "'%s.recv ends' needs a 'recv' step in %s", name,
			    name);
			return -1;
		case EXPECT_SO_ERROR:
			/* Read by a so_error step and after a read loop. */
			if (role_has_step(r, STEP_SO_ERROR) ||
			    role_has_step(r, STEP_RECV))
				break;
			fail(p, e->line, e->col,
			    "'%s.so_error' needs a 'so_error' or 'recv' step in %s",
			    name, name);
			return -1;
		case EXPECT_SEND_ERRORS:
			if (role_has_step(r, STEP_SEND))
				break;
			fail(p, e->line, e->col,
			    "'%s.send errors' needs a 'send' step in %s", name,
			    name);
			return -1;
		case EXPECT_DURATION:
			if (e->u.duration.call == TIMED_SHUTDOWN) {
				if (role_has_step(r, STEP_SHUTDOWN))
					break;
				fail(p, e->line, e->col,
				    "'%s.shutdown took' needs a 'shutdown' step in %s",
				    name, name);
				return -1;
			}
			if (role_has_step(r, STEP_CLOSE) ||
			    role_has_step(r, STEP_LINGERING_CLOSE))
				break;
			fail(p, e->line, e->col,
			    "'%s.close took' needs a 'close' or 'lingering-close' step in %s",
			    name, name);
			return -1;
		case EXPECT_POLL:
			if (role_has_step(r, STEP_POLL))
				break;
			fail(p, e->line, e->col,
			    "'%s.poll includes' needs a 'poll' step in %s",
			    name, name);
			return -1;
		default:
			break;
		}
	}
	return 0;
}

/*
 * A second capture point and the impairments need the veth topology; the
 * earlier offence in the file is reported.
 */
static int
check_paths(struct parser *p)
{
	const struct case_file *cf;
	const struct case_impairment *im;

	cf = p->cf;
	if (cf->topology != TOPOLOGY_LOOPBACK)
		return 0;
	im = cf->nimpairments > 0 ? &cf->impairments[0] : NULL;
	if (cf->capture != CAPTURE_AT_SERVER &&
	    (im == NULL || p->capture_line < im->line)) {
		fail(p, p->capture_line, p->capture_col,
		    "'capture %s' needs 'topology veth' (on loopback one capture sees both ends)",
		    capture_words[cf->capture]);
		return -1;
	}
	if (im != NULL) {
		fail(p, im->line, p->impairment_col,
		    "'%s' needs 'topology veth'", impairment_words[im->kind]);
		return -1;
	}
	return 0;
}

/* Where a mistake of the whole case is reported: the 'case' line, or 1. */
static unsigned
case_directive_line(const struct parser *p)
{
	return p->name_line != 0 ? p->name_line : 1;
}

static int
check_case(struct parser *p)
{
	struct case_file *cf;
	struct event_index ix[ROLE_COUNT];
	enum role_id role;
	int rc;

	cf = p->cf;
	if (cf->name == NULL) {
		fail(p, 1, 1,
		    "case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')");
		return -1;
	}
	for (role = ROLE_CLIENT; role < ROLE_ENDS; role++) {
		if (!cf->roles[role].present) {
			fail(p, case_directive_line(p), 1,
			    "case has no '%s:' role", role_name(role));
			return -1;
		}
	}
	if (check_paths(p) == -1)
		return -1;
	if (check_forks(p) == -1 || check_children(p) == -1)
		return -1;
	if (cf->nexpects == 0) {
		if (p->expect_line != 0)
			fail(p, p->expect_line, p->expect_col,
			    "case expects nothing: add expectations under 'expect:'");
		else
			fail(p, case_directive_line(p), 1,
			    "case expects nothing: add an 'expect:' section");
		return -1;
	}
	if (check_expect_sources(p) == -1)
		return -1;

	memset(ix, 0, sizeof(ix));
	rc = -1;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		if (build_event_index(p, &cf->roles[role], &ix[role]) == -1)
			goto out;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		if (check_duplicate_raises(p, role, &ix[role]) == -1)
			goto out;
	if (check_waits(p, ix) == -1 || check_deadlock(p, ix) == -1)
		goto out;
	rc = 0;
out:
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		free(ix[role].sites);
	return rc;
}

/* Entry points */

static void
clear_error(struct case_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

struct case_file *
case_parse_string(const char *path, const char *text, size_t len,
    struct case_error *err)
{
	struct parser p;
	struct line ln;
	const char *newline;
	size_t pos, next;

	clear_error(err);
	memset(&p, 0, sizeof(p));
	p.path = path != NULL ? path : "(string)";
	p.err = err;
	p.in_summary = true;
	p.section = SECTION_NONE;
	if (text == NULL && len > 0) {
		fail(&p, 0, 0, "no text to parse");
		return NULL;
	}
	p.cf = calloc(1, sizeof(*p.cf));
	if (p.cf == NULL) {
		fail_oom(&p);
		return NULL;
	}
	p.cf->deadline_ms = CASE_DEFAULT_DEADLINE_MS;
	p.cf->path = dup_bytes(&p, p.path, strlen(p.path));
	if (p.cf->path == NULL)
		goto fail;

	ln.number = 0;
	for (pos = 0; pos < len; pos = next) {
		if (ln.number == UINT_MAX - 1) {
			fail(&p, ln.number, 1, "too many lines");
			goto fail;
		}
		ln.number++;
		ln.text = text + pos;
		newline = memchr(ln.text, '\n', len - pos);
		ln.len = newline != NULL ? (size_t)(newline - ln.text) :
		    len - pos;
		next = pos + ln.len + (newline != NULL);
		if (ln.len > 0 && ln.text[ln.len - 1] == '\r')
			ln.len--;
		if (parse_line(&p, &ln) == -1)
			goto fail;
	}
	if (check_case(&p) == -1)
		goto fail;
	p.cf->summary = p.summary.s;	/* NULL if there was none */
	free(p.copy);
	free(p.tokens);
	return p.cf;
fail:
	free(p.summary.s);
	free(p.copy);
	free(p.tokens);
	case_free(p.cf);
	return NULL;
}

struct case_file *
case_parse_file(const char *path, struct case_error *err)
{
	struct parser p;
	struct case_file *cf;
	FILE *fp;
	char *buf, *grown;
	size_t len, cap, got;
	int saved_errno;

	clear_error(err);
	memset(&p, 0, sizeof(p));
	p.path = path != NULL ? path : "(null)";
	p.err = err;
	if (path == NULL) {
		fail(&p, 0, 0, "%s", strerror(EINVAL));
		return NULL;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		fail(&p, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	buf = NULL;
	len = 0;
	cap = 0;
	saved_errno = 0;
	for (;;) {
		if (cap - len < READ_CHUNK) {
			if (cap > SIZE_MAX / 2) {
				saved_errno = EFBIG;
				break;
			}
			cap = cap == 0 ? READ_CHUNK : cap * 2;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				saved_errno = ENOMEM;
				break;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0) {
			if (ferror(fp))
				saved_errno = errno != 0 ? errno : EIO;
			break;
		}
	}
	fclose(fp);
	if (saved_errno != 0) {
		free(buf);
		fail(&p, 0, 0, "%s", strerror(saved_errno));
		return NULL;
	}
	cf = case_parse_string(path, buf, len, err);
	free(buf);
	return cf;
}

void
case_free(struct case_file *cf)
{
	struct case_role *r;
	struct case_step *step;
	size_t i, role;

	if (cf == NULL)
		return;
	for (role = 0; role < ROLE_COUNT; role++) {
		r = &cf->roles[role];
		for (i = 0; i < r->nsteps; i++) {
			step = &r->steps[i];
			free(step->text);
			if (step->kind == STEP_WAIT)
				free(step->u.wait.event);
			else if (step->kind == STEP_RAISE)
				free(step->u.raise.event);
		}
		free(r->steps);
	}
	for (i = 0; i < cf->nexpects; i++) {
		free(cf->expects[i].text);
		free(cf->expects[i].system);
		if (cf->expects[i].kind == EXPECT_KERNEL)
			free(cf->expects[i].u.kernel.counter);
		else if (cf->expects[i].kind == EXPECT_SEND_ERRORS)
			free(cf->expects[i].u.send_errors.errors);
	}
	free(cf->expects);
	for (i = 0; i < cf->nsysctls; i++) {
		free(cf->sysctls[i].name);
		free(cf->sysctls[i].value);
	}
	free(cf->sysctls);
	free(cf->impairments);
	free(cf->path);
	free(cf->name);
	free(cf->summary);
	free(cf);
}

/* Names */

const char *
role_name(enum role_id role)
{
	if ((unsigned)role < NELEMS(role_words))
		return role_words[role];
	return "unknown-role";
}

bool
role_is_child(enum role_id role)
{
	return role == ROLE_CLIENT_CHILD || role == ROLE_SERVER_CHILD;
}

enum role_id
role_end(enum role_id role)
{
	switch (role) {
	case ROLE_CLIENT_CHILD:
		return ROLE_CLIENT;
	case ROLE_SERVER_CHILD:
		return ROLE_SERVER;
	default:
		return role;
	}
}

const char *
step_kind_name(enum step_kind kind)
{
	if ((unsigned)kind < NELEMS(step_words))
		return step_words[kind];
	return "unknown-step";
}

const char *
outcome_name(enum direction_outcome o)
{
	if ((unsigned)o < NELEMS(outcome_words))
		return outcome_words[o];
	return "unknown-outcome";
}

const char *
teardown_expect_name(enum teardown_expect_class c)
{
	if ((unsigned)c < NELEMS(teardown_words))
		return teardown_words[c];
	return "unknown-teardown";
}

const char *
compare_op_name(enum compare_op op)
{
	if ((unsigned)op < NELEMS(compare_names))
		return compare_names[op];
	return "?";
}

/* Whether op holds for an ordering: below 0, 0 or above 0 (a - b). */
static bool
compare_order(int order, enum compare_op op)
{
	switch (op) {
	case COMPARE_EQ:
		return order == 0;
	case COMPARE_NE:
		return order != 0;
	case COMPARE_LT:
		return order < 0;
	case COMPARE_LE:
		return order <= 0;
	case COMPARE_GT:
		return order > 0;
	case COMPARE_GE:
		return order >= 0;
	}
	return false;
}

bool
compare_u64(uint64_t a, enum compare_op op, uint64_t b)
{
	return compare_order((a > b) - (a < b), op);
}

bool
compare_i64(int64_t a, enum compare_op op, int64_t b)
{
	return compare_order((a > b) - (a < b), op);
}

const char *
step_event_name(const struct case_step *step)
{
	if (step == NULL)
		return NULL;
	switch (step->kind) {
	case STEP_CONNECT:
		return "connected";
	case STEP_ACCEPT:
		return "accepted";
	case STEP_SEND:
		return "sent";
	case STEP_RECV:
		return "received";
	case STEP_SHUTDOWN:
		return "shutdown";
	case STEP_CLOSE:
	case STEP_LINGERING_CLOSE:
		return "closed";
	case STEP_FORK:
		return "forked";
	case STEP_DUP:
		return "duped";
	case STEP_DRAIN:
		return "drained";
	case STEP_RAISE:
		return step->u.raise.event;
	default:
		return NULL;
	}
}

/* name's value in table: 0, or -1 when name is NULL or not there. */
static int
named_value_find(const struct named_value *table, size_t n,
    const char *name, int *value)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(name, table[i].name) == 0) {
			if (value != NULL)
				*value = table[i].value;
			return 0;
		}
	}
	return -1;
}

/* The first name of value in table, or unknown. */
static const char *
named_value_name(const struct named_value *table, size_t n, int value,
    const char *unknown)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].value == value)
			return table[i].name;
	return unknown;
}

int
signal_from_name(const char *name, int *value)
{
	return named_value_find(signal_table, NELEMS(signal_table), name,
	    value);
}

/* Never NULL, so that a message can always print it. */
const char *
signal_to_name(int value)
{
	return named_value_name(signal_table, NELEMS(signal_table), value,
	    "unknown-signal");
}

int
errno_from_name(const char *name, int *value)
{
	return named_value_find(errno_table, NELEMS(errno_table), name,
	    value);
}

/* Never NULL, so that a message can always print it. */
const char *
errno_to_name(int value)
{
	return named_value_name(errno_table, NELEMS(errno_table), value,
	    "unknown-errno");
}
