/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * jsonout.h - writing JSON strings: what the command line adds to the
 * runner's JSON (summaries, records of cases that never ran) is quoted
 * here.
 */
#ifndef jsonout_h
#define jsonout_h

#include <stdio.h>

#include "strbuf.h"

/* s as a JSON string, quotes included ("null" for NULL). */
void jsonout_string(FILE *out, const char *s);
void jsonout_strbuf_string(struct strbuf *sb, const char *s);

#endif /* jsonout_h */
