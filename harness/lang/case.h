/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * case.h - the case language: what a scripted case says, as data.
 *
 * A case file names a case, gives each role (client, server) a list of
 * steps and lists what must be observed.  case_parse_file() turns the text
 * into a struct case_file or explains, with file:line:col, why it cannot.
 * Nothing in this module touches a socket: a case that does not parse
 * never runs.
 */
#ifndef case_h
#define case_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols.h"	/* roles, comparisons, errno and signal names */

#define CASE_DEFAULT_DEADLINE_MS 10000
#define CASE_ERRBUF_SIZE 1024

/*
 * Bounds on every number a case gives, checked as it is parsed, so that
 * no arithmetic on them can overflow (nanoseconds in an int64_t hold
 * 292 years; a day is far below).
 */
#define CASE_DURATION_MAX_MS (24ULL * 60 * 60 * 1000)	/* a day: 86400s */
#define CASE_SIZE_MAX (1024ULL * 1024 * 1024 * 1024)	/* 1024GiB */
#define CASE_DESCRIPTORS_MAX 64		/* of the socket, in one role (dup) */
#define CASE_ROLE_STEPS_MAX 128		/* in one role: each has a ledger record */
#define CASE_SEND_CHUNK_DEFAULT (256 * 1024)	/* bytes per send() call */
#define CASE_SEND_CHUNK_MAX (1024 * 1024)	/* "send ... chunk SIZE" */

enum family_mode {
	FAMILY_4,	/* IPv4 only (the default) */
	FAMILY_6,	/* IPv6 only */
	FAMILY_BOTH	/* run once per family, report each */
};

enum step_kind {
	STEP_CONNECT,	/* client: connect to the server's listener */
	STEP_ACCEPT,	/* server: accept the client's connection */
	STEP_SEND,	/* write pattern bytes */
	STEP_RECV,	/* read and verify pattern bytes */
	STEP_SHUTDOWN,	/* shutdown(2) */
	STEP_CLOSE,	/* close(2), timed */
	STEP_SET,	/* a socket option or descriptor flag */
	STEP_WAIT,	/* wait for an event of the other role */
	STEP_AWAIT,	/* wait for a socket queue condition */
	STEP_RAISE,	/* raise a named event */
	STEP_PAUSE,	/* sleep; never needed for a verdict */
	STEP_SO_ERROR,	/* getsockopt(SO_ERROR), recorded (and cleared) */
	STEP_SNAPSHOT,	/* record SIOCINQ / SIOCOUTQ / SIOCOUTQNSD */
	STEP_FORK,	/* fork(): the child runs the ROLE.child section */
	STEP_DUP,	/* dup() the socket: one more descriptor to close */
	STEP_EXIT,	/* end the process now (descriptors close with it) */
	STEP_POLL,	/* poll() without waiting; revents recorded */
	STEP_DRAIN,	/* read and discard until EOF, at most a limit */
	STEP_LINGERING_CLOSE,	/* shutdown wr, discard reads for at most T, close */
	STEP_KIND_COUNT		/* not a step: the number of kinds, for tables */
};

/*
 * Flags of a send step.  MSG_NOSIGNAL is used on every send unless the
 * role chose "set sigpipe default"; then only with the nosignal flag.
 */
enum send_flag {
	SEND_DONTWAIT = 1 << 0,	 /* "nonblocking": queue what fits, stop at EAGAIN */
	SEND_MORE = 1 << 1,	 /* MSG_MORE */
	SEND_NOSIGNAL = 1 << 2,	 /* MSG_NOSIGNAL, explicitly */
	SEND_CHUNK = 1 << 3,	 /* "chunk SIZE": step_send.chunk per call */
	SEND_RETRY = 1 << 4	 /* "retry" (with nonblocking): after EAGAIN, poll
				  * for POLLOUT and send the rest */
};

struct step_send {
	uint64_t bytes;		/* how many bytes to offer; ignored with fill */
	bool fill;		/* "send fill": until the buffers are full */
	unsigned flags;		/* enum send_flag */
	uint64_t chunk;		/* "chunk SIZE": at most this per send() call;
				 * 0: CASE_SEND_CHUNK_DEFAULT */
};

enum recv_mode {
	RECV_COUNT,	/* "recv N": read exactly N bytes (fewer at EOF/error) */
	RECV_ALL	/* "recv all": read until EOF or an error */
};

struct step_recv {
	enum recv_mode mode;
	uint64_t bytes;		/* RECV_COUNT only */
	bool peek;		/* MSG_PEEK: look without consuming */
	/* A slow reader: "rate 64KiB/10ms" reads at most rate_bytes, then
	 * waits rate_ms, and so on.  rate_bytes 0: read as fast as possible. */
	uint64_t rate_bytes;
	uint64_t rate_ms;
};

/* "drain [SIZE]": read and discard until EOF, at most limit bytes. */
struct step_drain {
	uint64_t limit;		/* 0: no limit */
};

/* "lingering-close DUR [SIZE]": as web servers close. */
struct step_lingering_close {
	uint64_t ms;		/* read and discard for at most this long */
	uint64_t limit;		/* and at most this many bytes; 0: no limit */
};

enum shutdown_how {
	SHUTDOWN_RD,
	SHUTDOWN_WR,
	SHUTDOWN_RDWR
};

enum socket_option {
	OPTION_RCVBUF,	/* SO_RCVBUF, value in bytes */
	OPTION_SNDBUF,	/* SO_SNDBUF, value in bytes */
	OPTION_NODELAY,	/* TCP_NODELAY, on/off */
	OPTION_CORK,	/* TCP_CORK, on/off */
	OPTION_LINGER,	/* SO_LINGER, on/off and seconds */
	OPTION_NONBLOCK,	/* O_NONBLOCK on the descriptor, on/off */
	OPTION_SIGPIPE	/* "set sigpipe default" (on) / "set sigpipe ignore" (off):
			 * whether SIGPIPE keeps its default action in this role */
};

struct step_set {
	enum socket_option option;
	bool on;		/* for on/off options and linger */
	uint64_t value;		/* bytes for buffers, seconds for linger */
};

struct step_wait {
	enum role_id role;	/* whose event */
	char *event;		/* its name, e.g. "closed" or a raised name */
};

/* Socket queue quantities, read with ioctl(2). */
enum socket_metric {
	METRIC_UNREAD,	/* SIOCINQ: received, not yet read */
	METRIC_UNSENT,	/* SIOCOUTQNSD: queued, not yet sent */
	METRIC_UNACKED,	/* SIOCOUTQ: queued, not yet acknowledged */
	METRIC_INFLIGHT	/* SIOCOUTQ - SIOCOUTQNSD: sent, not yet acknowledged */
};

struct step_await {
	bool error;		/* "await error": until poll() reports POLLERR; else a queue */
	enum socket_metric metric;
	enum compare_op op;	/* default: >= for unread, <= otherwise */
	uint64_t value;
};

struct step_raise {
	char *event;
};

struct step_pause {
	uint64_t ms;
};

/* "snapshot [NAME]", "so_error [NAME]": an expectation may name the step. */
struct step_label {
	char *name;		/* NULL: unnamed */
};

struct case_step {
	enum step_kind kind;
	unsigned line;		/* 1-based position in the case file */
	unsigned col;
	char *text;		/* the step as written, trimmed, no comment */
	uint64_t timeout_ms;	/* "within DUR"; 0 = until the case deadline */
	/*
	 * A read step's own "within" running out ends its read loop with
	 * TIMEOUT, an observation, instead of failing the role: set when the
	 * case expects "ROLE.recv ends TIMEOUT" of the step's role.
	 */
	bool timeout_ends_read;
	union {
		struct step_send send;
		struct step_recv recv;
		enum shutdown_how shutdown;
		struct step_set set;
		struct step_wait wait;
		struct step_await await;
		struct step_raise raise;
		struct step_pause pause;
		struct step_drain drain;
		struct step_lingering_close lingering;
		struct step_label label;	/* snapshot, so_error */
	} u;
};

struct case_role {
	bool present;
	unsigned line;		/* where the role's section starts */
	struct case_step *steps;
	size_t nsteps;
};

/* What the wire shows at the end of the connection. */
enum teardown_expect_class {
	EXPECT_TEARDOWN_NONE,
	EXPECT_TEARDOWN_FIN,
	EXPECT_TEARDOWN_HALF_FIN,
	EXPECT_TEARDOWN_RST,
	EXPECT_TEARDOWN_FIN_THEN_RST
};

/* A direction's outcome (see verdict.h for the definitions). */
enum direction_outcome {
	OUTCOME_CLEAN,
	OUTCOME_DELIVERED,
	OUTCOME_DELIVERED_BUT_RESET,
	OUTCOME_HIDDEN_RESET,
	OUTCOME_TRUNCATED,
	OUTCOME_CORRUPTED,
	OUTCOME_NONE		/* no data in that direction */
};

enum expect_kind {
	EXPECT_TEARDOWN,	/* teardown CLASS [from ROLE] */
	EXPECT_RST,		/* rst from ROLE [ack|bare] / no rst */
	EXPECT_RECV_END,	/* ROLE.recv ends EOF|ERRNO [then EOF|ERRNO] */
	EXPECT_SO_ERROR,	/* ROLE.so_error ERRNO|0 */
	EXPECT_OUTCOME,		/* client->server OUTCOME */
	EXPECT_LOST,		/* client->server lost OP N|unsent */
	EXPECT_KERNEL,		/* kernel COUNTER OP N (change during the case) */
	EXPECT_SEND_ERRORS,	/* ROLE.send errors ERRNO... | ROLE.send errors none */
	EXPECT_DURATION,	/* ROLE.close took OP DUR / ROLE.shutdown took OP DUR */
	EXPECT_KILLED,		/* ROLE killed by SIGNAL / ROLE exits normally */
	EXPECT_POLL,		/* ROLE.poll includes FLAG... */
	EXPECT_DISCARDED,	/* WRITER->READER discarded OP N: unread in the
				 * reader's receive queue when it closed */
	EXPECT_SNAPSHOT,	/* ROLE.snapshot [NAME] METRIC OP SIZE */
	EXPECT_CLOSE_RETURNS,	/* ROLE.close returns 0|ERRNO */
	EXPECT_ORDER,		/* fin|rst from END before fin|rst from END */
	EXPECT_LOST_IN_FLIGHT,	/* WRITER->READER lost in flight OP SIZE */
	EXPECT_RECV_STEP,	/* ROLE.recv N ends END / ROLE.recv N bytes OP SIZE */
	EXPECT_WIRE_TIME,	/* fin|rst from END within DUR of ROLE.close|shutdown */
	EXPECT_KIND_COUNT	/* not an expectation: the number of kinds, for tables */
};

/* Which timed call an EXPECT_DURATION is about. */
enum timed_call {
	TIMED_CLOSE,
	TIMED_SHUTDOWN
};

enum rst_expect_kind {
	RST_EXPECT_ANY,
	RST_EXPECT_ACK,		/* RST+ACK: an aborting close */
	RST_EXPECT_BARE,	/* RST without ACK: a closed socket answering */
	RST_EXPECT_NONE		/* "no rst": no RST at all on the wire */
};

/*
 * How a read loop ended, or what one read returned: 0 means EOF,
 * READ_END_TIMEOUT that the read's own time ran out, a positive value is
 * an errno (ECONNRESET, EPIPE, ...).
 */
#define READ_END_TIMEOUT (-1)

struct read_end {
	int first;		/* 0 = EOF, READ_END_TIMEOUT, else errno */
	bool has_then;
	int then;		/* the next read: 0 = EOF, else errno */
};

/* A teardown packet in an EXPECT_ORDER: an end's first FIN or first RST. */
struct wire_mark {
	bool rst;		/* false: FIN */
	enum role_id end;	/* who sent it: client or server */
};

struct case_expect {
	enum expect_kind kind;
	unsigned line;
	unsigned col;
	char *text;		/* the expectation as written */
	enum role_id role;	/* TEARDOWN (with has_role), RST, RECV_END, SO_ERROR */
	bool has_role;
	enum role_id writer;	/* OUTCOME, LOST: the direction writer->reader */
	union {
		enum teardown_expect_class teardown;
		struct {
			enum rst_expect_kind kind;
			bool counted;	/* "count OP N": the RSTs ROLE sent */
			enum compare_op op;
			uint64_t count;
		} rst;
		struct read_end recv_end;
		int so_error;	/* 0 or an errno */
		enum direction_outcome outcome;
		struct {
			enum compare_op op;
			bool unsent;	/* compare with the writer's unsent bytes at close */
			uint64_t value;
		} lost;
		struct {
			char *counter;	/* e.g. "TCPAbortOnClose", "OutRsts" */
			enum compare_op op;
			int64_t value;
		} kernel;
		struct {
			int *errors;	/* errno values, in order; n == 0: "none" */
			size_t n;
		} send_errors;
		struct {
			enum timed_call call;
			enum compare_op op;
			uint64_t ms;
		} duration;
		int signal;		/* EXPECT_KILLED: a signal number, 0 = exits normally */
		struct {
			short events;	/* POLLIN|POLLOUT|POLLERR|POLLHUP|POLLRDHUP */
			bool excludes;	/* "excludes": none of them; else all */
		} poll;
		struct {
			enum compare_op op;
			uint64_t value;
		} discarded;
		struct {
			enum socket_metric metric;
			enum compare_op op;
			uint64_t value;
		} snapshot;
		int close_returns;	/* 0 or an errno */
		struct {
			struct wire_mark first, second;
		} order;
		struct {
			enum compare_op op;
			uint64_t value;
		} in_flight;
		/* What the role's Nth recv step (1-based, in its steps) returned. */
		struct {
			unsigned nth;
			bool bytes;	/* "bytes OP SIZE"; else "ends END" */
			int end;	/* 0 = EOF, READ_END_TIMEOUT, else errno */
			enum compare_op op;
			uint64_t value;
		} recv_step;
		/* The packet left at most ms after the call (e->role's) began. */
		struct {
			struct wire_mark mark;
			enum timed_call call;
			uint64_t ms;
		} wire_time;
	} u;
	/*
	 * ROLE.so_error NAME, ROLE.snapshot NAME: the step of that name; NULL
	 * for the last one (for so_error: the last SO_ERROR read, by a step or
	 * after a read loop).
	 */
	char *name;
	/*
	 * The system this expectation is for: NULL for every system ("expect:"),
	 * else a lower-case uname sysname ("linux", "freebsd", "darwin") from an
	 * "expect linux:" section.
	 */
	char *system;
	/*
	 * "expect linux >= 6.12:": the release it is for, compared with the
	 * running kernel's (uname -r, numbers up to the first that is not);
	 * has_release false for every release.
	 */
	bool has_release;
	enum compare_op release_op;	/* COMPARE_GE or COMPARE_LT */
	unsigned release[3];		/* major, minor, patch (0 if not given) */
};

/* Where the two ends live (see README, "Paths"). */
enum topology_kind {
	TOPOLOGY_LOOPBACK,	/* both ends in one fresh namespace, on lo */
	TOPOLOGY_VETH,		/* a namespace per end, joined by a veth pair */
	TOPOLOGY_ROUTED		/* a namespace per end and a router between them */
};

/* Where packets are captured (veth); on loopback there is one capture. */
enum capture_point {
	CAPTURE_AT_SERVER,	/* the default */
	CAPTURE_AT_CLIENT,
	CAPTURE_AT_BOTH
};

/* "sysctl net.ipv4.tcp_rmem = 4096 131072 6291456" */
struct case_sysctl {
	char *name;		/* "net.ipv4.tcp_rmem": starts "net.", [a-z0-9_.] */
	char *value;		/* the rest of the line, blanks folded to one space */
	unsigned line;
};

enum impairment_kind {
	IMPAIR_RATE,	/* "rate DIR 10mbit": tbf on the writer's egress */
	IMPAIR_LOSS,	/* "loss DIR 5%": random drop of data segments (nftables) */
	IMPAIR_DELAY	/* "delay DIR 20ms [jitter 5ms]": netem, where the kernel has it */
};

struct case_impairment {
	enum impairment_kind kind;
	enum role_id writer;	/* the direction writer->reader (an end) */
	uint64_t rate_bps;	/* RATE: bits per second */
	unsigned loss_bp;	/* LOSS: basis points, 1..10000 ("5%" = 500, "0.5%" = 50) */
	uint64_t delay_ms;	/* DELAY */
	uint64_t jitter_ms;
	unsigned line;
};

struct case_file {
	char *path;		/* as given */
	char *name;		/* from "case NAME": [a-z0-9-], 1..64 chars */
	char *summary;		/* the opening comment, joined, or NULL */
	uint64_t deadline_ms;	/* "deadline DUR", default CASE_DEFAULT_DEADLINE_MS */
	enum family_mode family;	/* "family 4|6|both", default 4 */
	enum topology_kind topology;	/* "topology loopback|veth|routed", default loopback */
	unsigned mtu;			/* "mtu N": 0 = the default (lo's own; 1500 on veth) */
	bool offloads_off;		/* "offloads off": GSO, TSO and GRO off */
	enum capture_point capture;	/* "capture server|client|both" (veth) */
	struct case_sysctl *sysctls;	/* set in every namespace of the case */
	size_t nsysctls;
	struct case_impairment *impairments;
	size_t nimpairments;
	struct case_role roles[ROLE_COUNT];
	struct case_expect *expects;
	size_t nexpects;
};

struct case_error {
	char msg[CASE_ERRBUF_SIZE];	/* "path:line:col: message" */
	unsigned line;
	unsigned col;
};

/* Parse a case file.  NULL on error, with err filled in. */
struct case_file *case_parse_file(const char *path, struct case_error *err);

/* Parse text already in memory; path is used in messages only. */
struct case_file *case_parse_string(const char *path, const char *text,
    size_t len, struct case_error *err);

void case_free(struct case_file *cf);

const char *case_step_kind_name(enum step_kind kind);	/* "send" */
const char *case_outcome_name(enum direction_outcome o);	/* "delivered-but-reset" */
const char *case_teardown_expect_name(enum teardown_expect_class c); /* "fin-then-rst" */

/*
 * The event a step raises when it completes ("connected", "sent", ...),
 * or NULL.  Every role also raises "done" after its last step.
 */
const char *case_step_event_name(const struct case_step *step);

/*
 * Every event a step raises, in the order it raises them (lingering-close:
 * "shutdown", then "closed"), into names; how many (at most
 * STEP_EVENTS_MAX).
 */
#define STEP_EVENTS_MAX 2
size_t case_step_event_names(const struct case_step *step,
    const char *names[STEP_EVENTS_MAX]);

/*
 * The running kernel's release against an "expect SYSTEM OP VERSION:"
 * section's: whether e applies to release ("6.12.3-amd64": the numbers
 * up to the first character that is neither digit nor dot).  True when
 * e names no release; false when release has no number.
 */
bool case_expect_release_applies(const struct case_expect *e,
    const char *release);

/*
 * The vocabularies, read-only.  Each is one table in the language's
 * source, a row per word, indexed by its enum: the steps in
 * parse_step.c, the expectations in parse_expect.c, the directives in
 * parse_directive.c (see README, "Architecture").
 */

/* What a step does, for the checks made on paper (and for readers). */
enum step_flag {
	STEP_OPENS = 1 << 0,		/* opens the role's socket: once, never in a child */
	STEP_CLIENT_ONLY = 1 << 1,
	STEP_SERVER_ONLY = 1 << 2,
	STEP_NEEDS_CONNECTION = 1 << 3,	/* after the socket opens, while it is open */
	STEP_NEEDS_SOCKET = 1 << 4,	/* while it is open, but may come before it opens */
	STEP_DUPS = 1 << 5,		/* one more descriptor of the socket */
	STEP_CLOSES = 1 << 6,		/* one descriptor fewer */
	STEP_FORKS = 1 << 7,		/* starts ROLE.child: once, never in a child */
	STEP_ENDS = 1 << 8,		/* ends the process: the role's last step */
	STEP_RAISES_NAMED = 1 << 9	/* raises the event it names */
};

struct step_word {
	const char *word;	/* "send" */
	const char *event;	/* raised when it completes ("sent"), or NULL */
	/* raised earlier, as the step goes ("shutdown" for lingering-close,
	 * when its shutdown returns), or NULL */
	const char *early_event;
	unsigned flags;		/* enum step_flag */
	const char *help;	/* one line: the form, then what it does */
};

/* The row of a step kind; NULL out of range. */
const struct step_word *case_step_word(enum step_kind kind);

/*
 * What a step does to its role's descriptors of the socket: the one
 * model that the checks on paper (check.c) and the interpreter
 * (harness/run/role.c) both follow.  connect and accept open the socket
 * (one descriptor), dup adds one, close and lingering-close each close
 * one (the newest); the socket goes with the last.  A role holds at most
 * CASE_DESCRIPTORS_MAX.
 */
enum descriptor_change {
	DESCRIPTORS_KEPT,
	DESCRIPTORS_OPEN,	/* the socket opens: one descriptor */
	DESCRIPTORS_ADD,	/* one more */
	DESCRIPTORS_DROP	/* one fewer */
};

enum descriptor_change case_step_descriptors(const struct case_step *step);

struct expect_word {
	const char *form;	/* "teardown CLASS [from END]" */
	const char *help;	/* one line */
};

const struct expect_word *case_expect_word(enum expect_kind kind);

struct directive_word {
	const char *word;	/* "deadline" */
	const char *help;	/* one line: the form, then what it sets */
};

/* The directives in the table's order; NULL past the last. */
const struct directive_word *case_directive_word(size_t i);

/*
 * Whether every row of every vocabulary is complete (word, parser,
 * help): 0, or -1 with the first gap in buf ("step 3: no parser").
 */
int case_check_tables(char *buf, size_t size);

#endif /* case_h */
