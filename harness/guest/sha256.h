/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sha256.h - SHA-256 (FIPS 180-4), for the guest image's cache key and
 * the checksums of the files the guest sends back.
 */
#ifndef sha256_h
#define sha256_h

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE (2 * SHA256_DIGEST_SIZE + 1)	/* with the NUL */
#define SHA256_BLOCK_SIZE 64

struct sha256 {
	uint32_t state[8];
	uint64_t length;	/* bytes hashed so far */
	unsigned char block[SHA256_BLOCK_SIZE];
	size_t used;		/* bytes waiting in block */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, unsigned char digest[SHA256_DIGEST_SIZE]);

/* The digest of data in lower-case hexadecimal. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_SIZE]);
void sha256_digest_hex(const unsigned char digest[SHA256_DIGEST_SIZE],
    char hex[SHA256_HEX_SIZE]);

#endif /* sha256_h */
