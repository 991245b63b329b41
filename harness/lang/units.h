/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * units.h - sizes, durations and numbers as people write and read them.
 */
#ifndef units_h
#define units_h

#include <stddef.h>
#include <stdint.h>

/*
 * "100", "4K", "4KiB", "1M", "2MiB", "1G", "1GiB" (K/M/G are powers of
 * 1000, KiB/MiB/GiB of 1024; "B" alone is allowed: "100B").
 * 0 on success; -1 on a malformed number or a value above UINT64_MAX.
 */
int units_parse_size(const char *text, uint64_t *bytes);

/* "250ms", "2s", "1.5s" -> milliseconds; 0 ok, -1 malformed/overflow. */
int units_parse_duration(const char *text, uint64_t *ms);

/* 4291584 -> "4,291,584"; returns buf. */
char *units_format_count(uint64_t value, char *buf, size_t size);

#endif /* units_h */
