/*
 * pattern.c - a stream pattern that is cheap to generate and that no shift
 * of the stream reproduces: byte i is byte (i mod 8) of a 64-bit mix of
 * i / 8 (splitmix64's finaliser).
 */
#include "pattern.h"

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
	return (uint8_t)(pattern_block(offset >> 3) >> (8 * (offset & 7)));
}

void
pattern_fill(uint8_t *buf, size_t len, uint64_t offset)
{
	size_t i = 0;

	while (i < len) {
		uint64_t block = pattern_block((offset + i) >> 3);
		unsigned shift = (unsigned)((offset + i) & 7);

		for (; shift < 8 && i < len; shift++, i++)
			buf[i] = (uint8_t)(block >> (8 * shift));
	}
}

size_t
pattern_check(const uint8_t *buf, size_t len, uint64_t offset)
{
	size_t i = 0;

	while (i < len) {
		uint64_t block = pattern_block((offset + i) >> 3);
		unsigned shift = (unsigned)((offset + i) & 7);

		for (; shift < 8 && i < len; shift++, i++)
			if (buf[i] != (uint8_t)(block >> (8 * shift)))
				return i;
	}
	return len;
}
