/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * monotime.h - the clock every deadline of a case is measured on.
 */
#ifndef monotime_h
#define monotime_h

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t monotime_ns(void);

#endif /* monotime_h */
