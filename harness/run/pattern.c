/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pattern.c - a stream pattern that is cheap to generate and that no shift
 * of the stream reproduces: byte i is byte (i mod 8) of a 64-bit mix of
 * i / 8 (splitmix64's finaliser), byte 0 being the least significant.
 *
 * The definition is a byte's (pattern_byte()); fill and check work a word
 * at a time on the whole blocks of the stream (a word is one block, stored
 * little-endian, whatever the alignment of the buffer), bytes at the ends.
 */
#include <endian.h>
#include <string.h>

#include "pattern.h"

enum { PATTERN_BLOCK_SIZE = sizeof(uint64_t) };

static uint64_t
pattern_block(uint64_t block)
{
	uint64_t z = block + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint8_t
pattern_byte(uint64_t offset)
{
	return (uint8_t)(pattern_block(offset / PATTERN_BLOCK_SIZE) >>
	    (8 * (offset % PATTERN_BLOCK_SIZE)));
}

/* How many bytes from offset to the next block boundary, at most len. */
static size_t
bytes_to_boundary(uint64_t offset, size_t len)
{
	size_t head = (size_t)((PATTERN_BLOCK_SIZE - offset % PATTERN_BLOCK_SIZE) %
	    PATTERN_BLOCK_SIZE);

	return head < len ? head : len;
}

void
pattern_fill(uint8_t *buf, size_t len, uint64_t offset)
{
	size_t head = bytes_to_boundary(offset, len), i;
	uint64_t block;

	for (i = 0; i < head; i++)
		buf[i] = pattern_byte(offset + i);
	block = (offset + head) / PATTERN_BLOCK_SIZE;
	for (; len - i >= PATTERN_BLOCK_SIZE; i += PATTERN_BLOCK_SIZE, block++) {
		uint64_t word = htole64(pattern_block(block));

		memcpy(buf + i, &word, sizeof(word));
	}
	for (; i < len; i++)
		buf[i] = pattern_byte(offset + i);
}

size_t
pattern_check(const uint8_t *buf, size_t len, uint64_t offset)
{
	size_t head = bytes_to_boundary(offset, len), i;
	uint64_t block;

	for (i = 0; i < head; i++)
		if (buf[i] != pattern_byte(offset + i))
			return i;
	block = (offset + head) / PATTERN_BLOCK_SIZE;
	for (; len - i >= PATTERN_BLOCK_SIZE; i += PATTERN_BLOCK_SIZE, block++) {
		uint64_t word, diff;

		memcpy(&word, buf + i, sizeof(word));
		diff = le64toh(word) ^ pattern_block(block);
		if (diff != 0)
			/* Byte k of the block is bits 8k..8k+7: the lowest set bit's byte. */
			return i + (size_t)__builtin_ctzll(diff) / 8;
	}
	for (; i < len; i++)
		if (buf[i] != pattern_byte(offset + i))
			return i;
	return len;
}
