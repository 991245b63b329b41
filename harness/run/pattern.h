/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pattern.h - the bytes every sender writes: a function of the stream
 * offset, so a reader checks content (a lost, duplicated or shifted chunk
 * shows up), not just counts.
 */
#ifndef pattern_h
#define pattern_h

#include <stddef.h>
#include <stdint.h>

uint8_t pattern_byte(uint64_t offset);

/* Fill buf with the pattern bytes for stream offsets offset..offset+len-1. */
void pattern_fill(uint8_t *buf, size_t len, uint64_t offset);

/* The index of the first byte of buf that does not match, or len. */
size_t pattern_check(const uint8_t *buf, size_t len, uint64_t offset);

#endif /* pattern_h */
