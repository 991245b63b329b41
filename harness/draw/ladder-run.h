/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ladder-run.h - the ladder of a case run: what the report knows (the
 * roles' ledgers, the verdict) and what a capture holds, put in one
 * picture on the capture's time line.
 *
 * The roles' times are CLOCK_MONOTONIC and the packets' CLOCK_REALTIME;
 * report_mono_to_pcap_ns() maps one onto the other with the offset the
 * capture sampled as it started.  Without it the calls are left out and
 * the headline says so: a picture with the calls in the wrong place
 * would mislead.
 */
#ifndef ladder_run_h
#define ladder_run_h

#include <stddef.h>

#include "report.h"

/*
 * The ladder of r as captured at end (ROLE_SERVER or ROLE_CLIENT) as one
 * SVG document in *svg (malloc'd, *len bytes, NUL-terminated).
 * pcap_file is where to read that end's capture (a descriptor's
 * /proc/self/fd/N will do); other_pcap_file, or NULL, the other end's
 * capture ("capture both"), to mark what never arrived.  headline is the
 * verdict's paragraph (the report's first line), or NULL.  0, or -1 with
 * err.
 */
int ladder_run_svg(const struct case_report *r, enum role_id end, const char *pcap_file,
    const char *other_pcap_file, const char *headline, char **svg, size_t *len,
    char *err, size_t errlen);

#endif /* ladder_run_h */
