// SPDX-License-Identifier: MIT
/* sha256_ni.h: what sha256.c and sha256_ni.c share; private to crypto/. */
#ifndef PVHFW_SHA256_NI_H
#define PVHFW_SHA256_NI_H

#include <stddef.h>
#include <stdint.h>

/* The 64 round constants of FIPS 180-4 section 4.2.2 (16-byte aligned). */
extern const uint32_t sha256_k[64];

/*
 * Compress nblocks >= 1 consecutive 64-byte blocks at p (any alignment) into
 * h with SHA-NI. Only call when sha256_ni_available() and SSE is enabled.
 */
void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks);

#endif
