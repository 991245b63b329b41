/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * phases.h - where a case's wall time went: setting up (namespace,
 * topology, listener, captures), the roles, the settling of the sockets
 * and the sentinel, closing the captures, and judging (reading the
 * evidence back, the verdict, the report).  The parts add up to the
 * whole, so that a slow case explains itself.
 */
#ifndef phases_h
#define phases_h

#include <stdint.h>

enum phase {
	PHASE_SETUP,
	PHASE_ROLES,
	PHASE_SETTLE,
	PHASE_CAPTURE_CLOSE,
	PHASE_JUDGING,
	PHASE_COUNT
};

struct phases {
	int64_t started_ns;		/* CLOCK_MONOTONIC, when the case began */
	int64_t mark_ns;		/* when the current phase began */
	enum phase current;		/* PHASE_COUNT once stopped */
	int64_t ns[PHASE_COUNT];	/* time spent in each */
};

/* The case began at started_ns (monotime_ns()), setting up. */
void phases_start(struct phases *p, int64_t started_ns);

/* The current phase ends now, and next begins. */
void phases_enter(struct phases *p, enum phase next);

/* The current phase ends now, and with it the case. */
void phases_stop(struct phases *p);

/* Seconds spent in phase, and in all (from the start to the stop, or to
 * now while running). */
double phases_seconds(const struct phases *p, enum phase phase);
double phases_total_seconds(const struct phases *p);

/* "setup", "roles", "settle", "capture_close", "judging". */
const char *phases_name(enum phase phase);

#endif /* phases_h */
