/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * verdict.h - reconciling what the applications did (ledgers) with what
 * the wire shows (the tracked connection) and judging the expectations.
 *
 * A direction writer->reader that carried data gets one outcome:
 *   clean                every byte read, then EOF, no RST on the wire
 *   delivered            every byte read; the reader stopped before the end
 *   delivered-but-reset  every byte read, then an error (ECONNRESET)
 *   hidden-reset         every byte read and EOF, yet an RST on the wire
 *   truncated            the reader read fewer bytes than send() accepted
 *   corrupted            the bytes read do not match the pattern
 * A truncated direction's loss is split into bytes never put on the wire
 * and bytes on the wire that the reader never read.
 */
#ifndef verdict_h
#define verdict_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "cause.h"
#include "conntrack.h"
#include "kcounters.h"
#include "ledger.h"

#define VERDICT_DETAIL_SIZE 256

enum direction_index {
	DIRECTION_CLIENT_TO_SERVER,
	DIRECTION_SERVER_TO_CLIENT,
	DIRECTION_COUNT
};

struct direction_verdict {
	enum role_id writer;
	enum role_id reader;
	enum direction_outcome outcome;
	uint64_t written;	/* accepted by the writer's send() calls */
	uint64_t read;		/* returned by the reader's recv() calls */
	struct read_result read_end;	/* how the reader's (or its child's) read loop ended */
	uint64_t on_wire;	/* payload bytes the capture saw leave the writer */
	bool arrived_known;	/* captured at both ends: */
	uint64_t arrived;	/* payload bytes that reached the reader's end */
	uint64_t lost_in_flight;	/* left the writer's end, never reached the reader's */
	uint64_t lost;		/* written - read, when truncated */
	uint64_t lost_unsent;	/* never put on the wire */
	uint64_t lost_on_wire;	/* on the wire, never read */
	bool unsent_at_close_known;
	uint64_t unsent_at_close;	/* writer's SIOCOUTQNSD just before close() */
	bool discarded_known;
	uint64_t discarded;	/* unread in the reader's receive queue at its close() */
	uint64_t first_bad_offset;	/* corrupted: the first wrong byte */
};

struct expect_result {
	bool held;
	bool skipped;		/* for another system: not judged here */
	char observed[VERDICT_DETAIL_SIZE];	/* what was seen instead, or what matched */
};

struct verdict_input {
	const struct case_file *cf;
	const struct ledger *ledgers[ROLE_COUNT];
	const struct conn *conn;		/* the case's connection, or NULL */
	const struct conn *client_conn;		/* as captured at the client end as well, or NULL */
	const struct kcounters *counters;	/* changes during the case */
	const char *system;			/* "linux": whose expectations apply */
	/* The running kernel's release ("6.12.3-amd64"), for "expect linux >=
	 * 6.12:"; NULL: this process's uname(2) says. */
	const char *release;
	/* CLOCK_REALTIME - CLOCK_MONOTONIC as the capture sampled it: places
	 * a ledger's times among the packets' ("within DUR of ROLE.close"). */
	bool clock_offset_known;
	int64_t clock_offset_ns;
	int64_t clock_error_ns;	/* how far off a ledger's time may be placed (a peer's) */
	/* NULL, or why the counters are of one end only (a peer run, a
	 * userspace stack): "kernel" expectations are not judged, and say why. */
	const char *counters_one_end;
};

struct verdict {
	struct direction_verdict directions[DIRECTION_COUNT];
	/* The wire's, but an RST after both FINs that refused data the peer
	 * sent after the first FIN makes it fin-then-rst. */
	enum teardown_class teardown;
	bool rst_late;		/* every RST came after both FINs and refused nothing */
	int first_fin_role;	/* enum role_id, or -1 */
	int first_rst_role;	/* enum role_id, or -1 */
	struct expect_result *results;	/* one per expectation of the case */
	size_t nresults;
	bool passed;		/* every expectation judged here held */
	bool system_specific;	/* the case has "expect SYSTEM:" sections */
	bool system_matched;	/* ... and one is for this system */
	struct cause cause;	/* why the first RST was sent */
};

/* The role that sent on a side of the connection (the SYN sender is the client). */
enum role_id verdict_role_of_side(enum conn_side side);
enum conn_side verdict_side_of_role(enum role_id role);

/* 0 ok; -1 out of memory. */
int verdict_compute(const struct verdict_input *in, struct verdict *v);
void verdict_free(struct verdict *v);

/* "revents POLLIN POLLHUP" */
void verdict_format_poll_events(bool polled, short revents, char *buf, size_t size);

#endif /* verdict_h */
