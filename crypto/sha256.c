// SPDX-License-Identifier: MIT
/*
 * sha256.c: SHA-256 as specified in FIPS 180-4, in portable C.
 *
 * The message is processed in 64-byte blocks by a block function: the
 * portable one below, or the SHA-NI one of sha256_ni.c once sha256_select()
 * has chosen it (see sha256.h for when that is allowed). sha256_update()
 * fills the partial block in s->buf first, then hands every whole block of
 * the caller's data to the block function directly, and keeps the tail.
 *
 * Padding (FIPS 180-4 5.1.1): a 1 bit (the byte 0x80), zero bytes up to 56
 * mod 64, then the message length in bits as a 64-bit big-endian number.
 * Words are big endian throughout (3.1, 5.2.1, 6.2.2).
 *
 * This file is pure C: no asm and no CPU-specific code, so it builds with the
 * firmware's -mgeneral-regs-only and anywhere else.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sha256.h"
#include "sha256_ni.h"
#include "../lib/hex.h"

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. Aligned for the SHA-NI code's paddd. */
__attribute__((aligned(16))) const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, /* 0 */
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, /* 4 */
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, /* 8 */
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, /* 12 */
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, /* 16 */
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, /* 20 */
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, /* 24 */
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, /* 28 */
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, /* 32 */
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, /* 36 */
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, /* 40 */
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, /* 44 */
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, /* 48 */
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, /* 52 */
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, /* 56 */
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2, /* 60 */
};

/* FIPS 180-4 5.3.3: the first 32 bits of the fractional parts of the square
 * roots of the first 8 primes. */
static const uint32_t sha256_h0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void put_be32(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t)(x >> 24);
	p[1] = (uint8_t)(x >> 16);
	p[2] = (uint8_t)(x >> 8);
	p[3] = (uint8_t)x;
}

/* The functions of FIPS 180-4 4.1.2. */
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define BSIG1(x) (ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define SSIG0(x) (ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))

/*
 * Round t of 6.2.2 step 3 with the eight working variables named by role.
 * Instead of shifting every variable down by one, only d and h change (d
 * becomes the new e, h the new a) and the next round passes the names
 * rotated by one place; after 8 rounds they are back in order.
 */
#define ROUND(a, b, c, d, e, f, g, h, t)                                       \
	do {                                                                   \
		uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + sha256_k[t] + w[t]; \
		uint32_t t2 = BSIG0(a) + MAJ(a, b, c);                         \
		d += t1;                                                       \
		h = t1 + t2;                                                   \
	} while (0)

static void sha256_blocks_portable(uint32_t st[8], const uint8_t *p,
				   size_t nblocks)
{
	uint32_t w[64];

	for (; nblocks > 0; nblocks--, p += SHA256_BLOCK_SIZE) {
		/* 6.2.2 step 1: the message schedule. */
		for (int t = 0; t < 16; t++)
			w[t] = get_be32(p + 4 * t);
		for (int t = 16; t < 64; t++)
			w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) +
			       w[t - 16];

		uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
		uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
		for (int t = 0; t < 64; t += 8) {
			ROUND(a, b, c, d, e, f, g, h, t + 0);
			ROUND(h, a, b, c, d, e, f, g, t + 1);
			ROUND(g, h, a, b, c, d, e, f, t + 2);
			ROUND(f, g, h, a, b, c, d, e, t + 3);
			ROUND(e, f, g, h, a, b, c, d, t + 4);
			ROUND(d, e, f, g, h, a, b, c, t + 5);
			ROUND(c, d, e, f, g, h, a, b, t + 6);
			ROUND(b, c, d, e, f, g, h, a, t + 7);
		}
		st[0] += a;
		st[1] += b;
		st[2] += c;
		st[3] += d;
		st[4] += e;
		st[5] += f;
		st[6] += g;
		st[7] += h;
	}
}

typedef void blocks_fn(uint32_t st[8], const uint8_t *p, size_t nblocks);

static blocks_fn *sha256_blocks = sha256_blocks_portable;

bool sha256_select(bool allow_ni)
{
	if (allow_ni && sha256_ni_available()) {
		sha256_blocks = sha256_blocks_ni;
		return true;
	}
	sha256_blocks = sha256_blocks_portable;
	return false;
}

const char *sha256_impl(void)
{
	return sha256_blocks == sha256_blocks_ni ? "sha-ni" : "portable";
}

void sha256_init(struct sha256 *s)
{
	memcpy(s->h, sha256_h0, sizeof(s->h));
	s->len = 0;
	s->fill = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;

	if (n == 0)
		return;
	s->len += n;
	if (s->fill > 0) {
		size_t take = SHA256_BLOCK_SIZE - s->fill;
		if (take > n)
			take = n;
		memcpy(s->buf + s->fill, p, take);
		s->fill += (uint32_t)take;
		p += take;
		n -= take;
		if (s->fill < SHA256_BLOCK_SIZE)
			return;
		sha256_blocks(s->h, s->buf, 1);
		s->fill = 0;
	}
	if (n >= SHA256_BLOCK_SIZE) {
		size_t whole = n / SHA256_BLOCK_SIZE;
		sha256_blocks(s->h, p, whole);
		p += whole * SHA256_BLOCK_SIZE;
		n -= whole * SHA256_BLOCK_SIZE;
	}
	if (n > 0) {
		memcpy(s->buf, p, n);
		s->fill = (uint32_t)n;
	}
}

void sha256_final(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->len << 3;
	uint32_t i = s->fill;

	s->buf[i++] = 0x80;
	if (i > SHA256_BLOCK_SIZE - 8) {
		memset(s->buf + i, 0, SHA256_BLOCK_SIZE - i);
		sha256_blocks(s->h, s->buf, 1);
		i = 0;
	}
	memset(s->buf + i, 0, SHA256_BLOCK_SIZE - 8 - i);
	put_be32(s->buf + 56, (uint32_t)(bits >> 32));
	put_be32(s->buf + 60, (uint32_t)bits);
	sha256_blocks(s->h, s->buf, 1);
	for (int j = 0; j < 8; j++)
		put_be32(out + 4 * j, s->h[j]);
	s->fill = 0;
}

void sha256(const void *data, size_t n, uint8_t out[32])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, out);
}

void sha256_hex(const uint8_t d[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 0xf];
	}
	out[64] = '\0';
}

bool sha256_parse_hex(const char *s, size_t n, uint8_t out[32])
{
	uint8_t d[SHA256_DIGEST_SIZE];

	if (n != 2 * SHA256_DIGEST_SIZE)
		return false;
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		d[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(out, d, sizeof(d));
	return true;
}
