// SPDX-License-Identifier: MIT
/*
 * sha256.h: SHA-256 (FIPS 180-4), streaming and one-shot, with hex helpers.
 *
 * Two block functions compute the same thing: a portable C one (always
 * available, pure C, no SSE) and an x86 SHA-NI one (crypto/sha256_ni.c, which
 * uses the SSE registers). The portable one is used until sha256_select()
 * says otherwise:
 *
 *   sha256_select(true)   use SHA-NI when the CPU has it (CPUID: SHA, SSE4.1
 *                         and SSSE3), else the portable code;
 *   sha256_select(false)  use the portable code (tests force it this way).
 *
 * SSE must be usable before sha256_select(true) is called and for as long as
 * hashing may use SHA-NI: CR0.EM = 0, CR0.TS = 0 and CR4.OSFXSR = 1, or the
 * first SSE instruction faults (#UD / #NM). The firmware calls it once, after
 * it has enabled SSE. The SHA-NI code clobbers xmm0-xmm10 and saves nothing:
 * fine for the firmware, which never keeps anything in SSE registers.
 *
 * The selection is a global, not thread-safe to change while another thread
 * hashes (the firmware has one thread; the unit tests fork per test).
 */
#ifndef PVHFW_SHA256_H
#define PVHFW_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64
#define SHA256_HEX_SIZE 65 /* 64 digits and a NUL */

struct sha256 {
	uint32_t h[8];	 /* chaining state */
	uint64_t len;	 /* bytes hashed so far, buffered ones included */
	uint8_t buf[64]; /* a partial block */
	uint32_t fill;	 /* bytes in buf, 0..63 */
};

void sha256_init(struct sha256 *s);
/* Hash n more bytes; data may be NULL when n == 0. */
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* The digest of everything passed to update; s must be re-initialised
 * (sha256_init) before it is used again. */
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* One shot: init, update, final. */
void sha256(const void *data, size_t n, uint8_t out[32]);

/* 64 lowercase hex digits and a NUL. */
void sha256_hex(const uint8_t d[32], char out[65]);
/*
 * Parses exactly n = 64 hex digits (either case) from s, which need not be
 * NUL-terminated. Returns false, leaving out unchanged, for any other length
 * or any non-hex character.
 */
bool sha256_parse_hex(const char *s, size_t n, uint8_t out[32]);

/* Which block function is in use: "sha-ni" or "portable". */
const char *sha256_impl(void);
/* Choose the block function (see above); true when SHA-NI is now in use. */
bool sha256_select(bool allow_ni);
/* True when the CPU has SHA, SSE4.1 and SSSE3 (CPUID); false off x86-64. */
bool sha256_ni_available(void);

#endif
