/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * monotime.c - CLOCK_MONOTONIC, which no clock adjustment moves.
 */
#include <time.h>

#include "monotime.h"

int64_t
monotime_ns(void)
{
	struct timespec ts;

	/* Cannot fail for CLOCK_MONOTONIC on Linux; a zero time would only
	 * make deadlines pass early, never hang. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
