/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sha256.c - SHA-256 as FIPS 180-4 defines it: 64-byte blocks, the
 * message padded with 0x80, zeros and its length in bits (big endian).
 */
#include <string.h>

#include "sha256.h"

/* The first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (FIPS 180-4, 4.2.2). */
static const uint32_t round_constants[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t
rotate_right(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void
compress_block(uint32_t state[8], const unsigned char block[SHA256_BLOCK_SIZE])
{
	uint32_t w[64], v[8], t1, t2;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
		    (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = rotate_right(w[i - 15], 7) ^ rotate_right(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		uint32_t s1 = rotate_right(w[i - 2], 17) ^ rotate_right(w[i - 2], 19) ^
		    (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, state, sizeof(v));
	for (i = 0; i < 64; i++) {
		uint32_t a = v[0], b = v[1], c = v[2], d = v[3];
		uint32_t e = v[4], f = v[5], g = v[6], h = v[7];

		t1 = h + (rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25)) +
		    ((e & f) ^ (~e & g)) + round_constants[i] + w[i];
		t2 = (rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		v[7] = g;
		v[6] = f;
		v[5] = e;
		v[4] = d + t1;
		v[3] = c;
		v[2] = b;
		v[1] = a;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		state[i] += v[i];
}

void
sha256_init(struct sha256 *h)
{
	/* The fractional parts of the square roots of the first 8 primes. */
	static const uint32_t initial[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(h->state, initial, sizeof(initial));
	h->length = 0;
	h->used = 0;
}

void
sha256_update(struct sha256 *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	h->length += len;
	if (h->used > 0) {
		size_t take = SHA256_BLOCK_SIZE - h->used < len ? SHA256_BLOCK_SIZE - h->used : len;

		memcpy(h->block + h->used, p, take);
		h->used += take;
		p += take;
		len -= take;
		if (h->used < SHA256_BLOCK_SIZE)
			return;
		compress_block(h->state, h->block);
		h->used = 0;
	}
	for (; len >= SHA256_BLOCK_SIZE; p += SHA256_BLOCK_SIZE, len -= SHA256_BLOCK_SIZE)
		compress_block(h->state, p);
	memcpy(h->block, p, len);
	h->used = len;
}

void
sha256_final(struct sha256 *h, unsigned char digest[SHA256_DIGEST_SIZE])
{
	uint64_t bits = h->length * 8;
	unsigned i;

	h->block[h->used++] = 0x80;
	if (h->used > SHA256_BLOCK_SIZE - 8) {
		memset(h->block + h->used, 0, SHA256_BLOCK_SIZE - h->used);
		compress_block(h->state, h->block);
		h->used = 0;
	}
	memset(h->block + h->used, 0, SHA256_BLOCK_SIZE - 8 - h->used);
	for (i = 0; i < 8; i++)
		h->block[SHA256_BLOCK_SIZE - 1 - i] = (unsigned char)(bits >> (8 * i));
	compress_block(h->state, h->block);
	for (i = 0; i < 8; i++) {
		digest[4 * i] = (unsigned char)(h->state[i] >> 24);
		digest[4 * i + 1] = (unsigned char)(h->state[i] >> 16);
		digest[4 * i + 2] = (unsigned char)(h->state[i] >> 8);
		digest[4 * i + 3] = (unsigned char)h->state[i];
	}
}

void
sha256_digest_hex(const unsigned char digest[SHA256_DIGEST_SIZE], char hex[SHA256_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xf];
	}
	hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

void
sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_SIZE])
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, data, len);
	sha256_final(&h, digest);
	sha256_digest_hex(digest, hex);
}
