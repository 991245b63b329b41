/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * parser-int.h - what the files of the case language share: the parser's
 * state and the entry points of its parts.  Not for other modules: they
 * include case.h.
 *
 *   case.c            entry points; lines to sections; case_free()
 *   lexer.c           lines, tokens, items; bytes; the summary
 *   diag.c            error messages, "did you mean"
 *   words.c           word tables: look-up, nearest word, lists
 *   values.c          sizes, durations, numbers, roles, errno names
 *   parse_directive.c case, deadline, family, topology, ... (directives)
 *   parse_step.c      the steps of the role sections
 *   parse_expect.c    the expectations of the expect sections
 *   parse_section.c   the expect sections' labels, systems and releases
 *   check.c           checks on the whole case: descriptors, forks,
 *                     waits, deadlocks
 *   symbols.c         role, comparison, errno and signal names
 */
#ifndef parser_int_h
#define parser_int_h

#include <stdbool.h>
#include <stddef.h>

#include "case.h"
#include "diag.h"
#include "lexer.h"
#include "values.h"
#include "words.h"

/* The systems an "expect SYSTEM:" section may name (see parse_section.c). */
#define EXPECT_SYSTEMS 6

/*
 * Expectations are kept for every system, and for each system named:
 * its plain section, its ">= VERSION" and its "< VERSION" section.
 */
enum scope_kind {
	SCOPE_PLAIN,	/* "expect linux:" */
	SCOPE_FROM,	/* "expect linux >= 6.12:" */
	SCOPE_BEFORE,	/* "expect linux < 6.12:" */
	SCOPE_KINDS
};
#define NSCOPES (1 + SCOPE_KINDS * EXPECT_SYSTEMS)
#define SCOPE_ALL 0

#define IMPAIR_KINDS (IMPAIR_DELAY + 1)

/* The event every role raises after its last step. */
#define EVENT_DONE "done"

/* The directives, in the order of their table (parse_directive.c). */
enum directive {
	DIRECTIVE_CASE,
	DIRECTIVE_DEADLINE,
	DIRECTIVE_FAMILY,
	DIRECTIVE_TOPOLOGY,
	DIRECTIVE_MTU,
	DIRECTIVE_OFFLOADS,
	DIRECTIVE_CAPTURE,
	DIRECTIVE_SYSCTL,
	DIRECTIVE_RATE,
	DIRECTIVE_LOSS,
	DIRECTIVE_DELAY,
	DIRECTIVE_COUNT
};

enum section {
	SECTION_NONE,		/* before the first label */
	SECTION_CLIENT,
	SECTION_SERVER,
	SECTION_CLIENT_CHILD,
	SECTION_SERVER_CHILD,
	SECTION_EXPECT		/* "expect:" or "expect SYSTEM:" */
};

/* The role whose steps a section holds, SECTION_CLIENT..SERVER_CHILD. */
static inline enum role_id
section_role(enum section section)
{
	return (enum role_id)(section - SECTION_CLIENT);
}

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

	unsigned directive_line[DIRECTIVE_COUNT];	/* the last given */
	unsigned capture_col;
	size_t sysctls_cap;
	size_t impairments_cap;
	unsigned impairment_col;	/* of the first impairment's word */
	/* Each impairment once per direction: by kind, by writer. */
	unsigned impairment_line[IMPAIR_KINDS][ROLE_ENDS];
	unsigned expect_line;		/* the first expectation section */
	unsigned expect_col;
	unsigned plain_expect_line;	/* "expect:" */
	unsigned system_line[NSCOPES];	/* "expect SYSTEM:", by scope */
	unsigned scope_release[NSCOPES][3];	/* the VERSION of a release scope */
	size_t scope;			/* of the current expect section */
	size_t steps_cap[ROLE_COUNT];
	size_t expects_cap;
	unsigned role_col[ROLE_COUNT];	/* where each role's label is */

	/* Each role's socket, as its steps are read (parents only). */
	struct socket_track track[ROLE_COUNT];
	unsigned end_line[ROLE_COUNT];	/* the step that ends it (exit) */
	enum step_kind end_kind[ROLE_COUNT];

	/*
	 * Expectations that may appear only once (or twice: a range) for
	 * each system, by scope: SCOPE_ALL, then the systems in turn.
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
	struct seen poll_excludes[ROLE_COUNT];
	struct seen close_returns[ROLE_COUNT];
	struct seen in_flight[ROLE_ENDS];
	struct seen took[ROLE_COUNT][2];	/* by enum timed_call */
	struct seen no_rst;
	struct seen rst_from;
	enum role_id rst_from_role[NSCOPES];
};

/* case.c */

/* A copy of len bytes at s, terminated; NULL when out of memory (p failed). */
char *case_dup_bytes(struct parser *p, const char *s, size_t len);
/*
 * The array of count elements of elsize bytes, moved to a bigger block if
 * it is full; NULL when out of memory (the old block is still valid).
 */
void *case_grow_array(void *array, size_t *cap, size_t count, size_t elsize);

/*
 * Each table file checks its rows are complete: 0, or -1 with the first
 * gap in buf ("step 3: no parser").  See case_check_tables().
 */

/* parse_directive.c */

/* The directive a line starts with, or -1. */
int parse_directive_find(const char *word);
int parse_directive(struct parser *p, enum directive d, const struct item *it);
/* At the end: what needs "topology veth" has it. */
int parse_directive_check_paths(struct parser *p);
int parse_directive_check_tables(char *buf, size_t size);

/* parse_step.c */

bool parse_step_is(const char *word);
int parse_step(struct parser *p, enum role_id role, struct item *it);
/*
 * The step's enum step_flag, as its row has them but for the step's own
 * arguments: "set sigpipe" needs no socket.
 */
unsigned parse_step_flags(const struct case_step *step);
/* The queues of await and snapshot: "unread", "unsent", "unacked". */
struct wordset parse_step_metric_words(void);
int parse_step_check_tables(char *buf, size_t size);

/* parse_section.c */

/* "expect:" starts a section at label. */
int parse_section_start(struct parser *p, const struct line *ln,
    const struct token *label);
/* "expect SYSTEM:", "expect SYSTEM OP VERSION:" and the item after it, if any. */
int parse_section_label(struct parser *p, struct item *it);
/* The system and release of the current section, into e.  0, -1 out of memory. */
int parse_section_scope(struct parser *p, struct case_expect *e);
/*
 * Whether one more in scope would make more than limit (1 or 2) of them
 * apply to some system and release: an "expect:" item applies to every
 * system, an "expect linux:" item to every release of Linux.  *first is
 * then the earliest of those already given.
 */
bool parse_section_seen_exceeds(const struct seen *sn, size_t scope,
    unsigned limit, unsigned *first);
void parse_section_seen_note(struct seen *sn, size_t scope, unsigned line);

/* parse_expect.c */

int parse_expect(struct parser *p, const struct item *it);
/* The first word of an expectation ("teardown", "client.recv", ...). */
bool parse_expect_is_head(const char *word);

/* The steps that make what an expectation about a role judges. */
struct expect_source {
	const char *what;	/* "recv ends": "'ROLE.recv ends' needs ..." */
	enum step_kind steps[3];	/* any one of them will do */
	size_t nsteps;
};

/* What e needs from its role's steps, or NULL. */
const struct expect_source *parse_expect_source(const struct case_expect *e);
int parse_expect_check_tables(char *buf, size_t size);

/* check.c */

/* The order of a role's steps, as they are read. */
int check_step_order(struct parser *p, enum role_id role,
    const struct case_step *step);
/* The whole case, once every line is read. */
int check_case(struct parser *p);

/* symbols.c: the tables behind symbols.h, for look-ups and suggestions. */

struct wordset symbols_role_words(void);	/* by enum role_id */
struct wordset symbols_errno_words(void);
struct wordset symbols_signal_words(void);
/* TcpExt and Tcp counter names ("TCPAbortOnClose", "OutRsts"). */
struct wordset symbols_counter_words(void);
/* "=", "==", "!=", "<", "<=", ">", ">="; -1: none of them. */
int symbols_compare_op(const char *word, enum compare_op *op);

#endif /* parser_int_h */
