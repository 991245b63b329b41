/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * symbols.h - the names the case language shares with the rest of the
 * harness: roles, comparisons, errno values and signals.
 *
 * The runner, the judge and the report print and compare with these;
 * case.h includes this header, so a module that includes case.h has
 * them.  Every *_name() function returns a string, never NULL.
 */
#ifndef symbols_h
#define symbols_h

#include <stdbool.h>
#include <stdint.h>

/*
 * The roles.  A role's child ("server.child") exists when the role has a
 * "fork" step: a process that shares the role's socket descriptors and
 * runs steps of its own, in a section of its own ("server.child:").
 */
enum role_id {
	ROLE_CLIENT,
	ROLE_SERVER,
	ROLE_CLIENT_CHILD,
	ROLE_SERVER_CHILD,
	ROLE_COUNT
};

/* The two ends of the connection. */
#define ROLE_ENDS 2

enum compare_op {
	COMPARE_EQ,
	COMPARE_NE,
	COMPARE_LT,
	COMPARE_LE,
	COMPARE_GT,
	COMPARE_GE
};

const char *case_role_name(enum role_id role);		/* "client", "server.child" */
bool case_role_is_child(enum role_id role);
enum role_id case_role_end(enum role_id role);	/* the end a role acts for: client or server */

const char *case_compare_op_name(enum compare_op op);	/* ">=" */
bool case_compare_u64(uint64_t a, enum compare_op op, uint64_t b);
bool case_compare_i64(int64_t a, enum compare_op op, int64_t b);

/* Signal names: "SIGPIPE" <-> SIGPIPE (SIGPIPE, SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGABRT, SIGBUS). */
int case_signal_from_name(const char *name, int *value);	/* 0 ok, -1 unknown */
const char *case_signal_to_name(int value);			/* "SIGPIPE" */

/* errno names the language knows: "ECONNRESET" <-> ECONNRESET; "EOF" is 0. */
int case_errno_from_name(const char *name, int *value);	/* 0 ok, -1 unknown */
const char *case_errno_to_name(int value);			/* "EOF" for 0 */

#endif /* symbols_h */
