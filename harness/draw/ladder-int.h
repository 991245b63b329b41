/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder-int.h - the ladder diagram's model, shared by the builders
 * (ladder.c) and the drawing (ladder-svg.c); not for other modules.
 */
#ifndef ladder_int_h
#define ladder_int_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ladder.h"

struct ladder_lane {
	char *name;
	enum ladder_end end;
};

struct ladder_call {
	int lane;
	enum ladder_call_kind kind;
	int64_t start_ns, end_ns;
	char *label;
	size_t order;		/* insertion order: ties keep it */
};

/* A segment as given, with its insertion order (ties in time keep it). */
struct ladder_entry {
	struct ladder_segment s;
	size_t order;
};

/* The direction whose writer is an end: its bar at the foot. */
struct ladder_direction {
	bool set;		/* by ladder_set_direction() */
	uint64_t written, read;
	char *outcome;
	bool loss_set[LADDER_LOSS_KIND_COUNT];
	uint64_t loss[LADDER_LOSS_KIND_COUNT];
};

struct ladder {
	struct ladder_lane *lanes;
	size_t nlanes, lanes_cap;
	struct ladder_call *calls;
	size_t ncalls, calls_cap;
	struct ladder_entry *segs;
	size_t nsegs, segs_cap;
	struct ladder_direction dirs[LADDER_END_COUNT];
	char *name, *status, *summary;
	size_t fold_threshold, fold_keep;
	size_t next_order;	/* of the next call or segment added */
};

#endif /* ladder_int_h */
