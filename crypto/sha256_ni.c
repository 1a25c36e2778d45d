// SPDX-License-Identifier: MIT
/*
 * sha256_ni.c: the x86-64 parts of SHA-256: CPUID detection and a block
 * function using the SHA extensions (SHA-NI).
 *
 * The block function is one inline-asm statement that names its SSE
 * registers itself. It lives in a function with the target("sse4.1,sha")
 * attribute: the firmware compiles every file with -mgeneral-regs-only, under
 * which GCC refuses xmm clobbers, and the attribute re-enables SSE for that one
 * function only (the rest of this file stays general-register code). So this
 * file needs no flags beyond the firmware's usual FW_CFLAGS. The asm text
 * does not depend on the attribute; the assembler takes SHA-NI instructions
 * regardless.
 *
 * How SHA-NI holds the state (Intel SDM, SHA256RNDS2): the eight working
 * variables live in two registers, "ABEF" (A in bits 127:96, B, E, F in bits
 * 31:0) and "CDGH" (likewise). SHA256RNDS2 dst, src, <xmm0> takes CDGH in dst
 * and ABEF in src, does two rounds with the two W+K words in the low half of
 * xmm0, and leaves the new ABEF in dst; the new CDGH is the old ABEF, which
 * is still in src. So two SHA256RNDS2 with the registers swapped do four
 * rounds and leave ABEF and CDGH where they were.
 *
 * The message schedule works on groups of four words, M(g) = W[4g..4g+3]
 * (word i in 32-bit lane i). For g >= 4:
 *   M(g) = SHA256MSG2(SHA256MSG1(M(g-4), M(g-3)) + (W[4g-7..4g-4]), M(g-1))
 * where SHA256MSG1 adds sigma0 of the following word to each word,
 * W[4g-7..4g-4] is M(g-1):M(g-2) shifted right by one word (PALIGNR 4), and
 * SHA256MSG2 adds sigma1(W[t-2]), computing lanes 2 and 3 from lanes 0 and 1
 * of its own result. Four registers hold M(g-4)..M(g-1) in rotation.
 *
 * Registers: xmm0 the W+K words (implicit operand of SHA256RNDS2), xmm1 ABEF,
 * xmm2 CDGH, xmm3-xmm6 the schedule, xmm7 scratch, xmm8 the byte-swap mask,
 * xmm9 and xmm10 the state at the block's start.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sha256.h"
#include "sha256_ni.h"

#if defined(__x86_64__)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

bool sha256_ni_available(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	cpuid(1, 0, r);
	if (!(r[2] & 1u << 9) || !(r[2] & 1u << 19)) /* SSSE3, SSE4.1 */
		return false;
	cpuid(7, 0, r);
	return (r[1] & 1u << 29) != 0; /* SHA */
}

/* PSHUFB mask: reverse the bytes of each 32-bit lane (big-endian words). */
__attribute__((aligned(16))) static const uint8_t bswap32_mask[16] = {
	3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
};

#define STR_(x) #x
#define STR(x) STR_(x)

/* clang-format off */
#define M0 "%%xmm3"
#define M1 "%%xmm4"
#define M2 "%%xmm5"
#define M3 "%%xmm6"

/* Message group g (0..3) from the block: load and make the words big endian. */
#define LOAD(g, m)                                                           \
	"movdqu " STR(g) "*16(%[p]), " m "\n\t"                              \
	"pshufb %%xmm8, " m "\n\t"

/* Message group g (4..15) into m4, which holds M(g-4); m1 is M(g-1) etc. */
#define SCHED(m4, m3, m2, m1)                                                \
	"sha256msg1 " m3 ", " m4 "\n\t"                                      \
	"movdqa " m1 ", %%xmm7\n\t"                                          \
	"palignr $4, " m2 ", %%xmm7\n\t"                                     \
	"paddd %%xmm7, " m4 "\n\t"                                           \
	"sha256msg2 " m1 ", " m4 "\n\t"

/* Rounds 4g..4g+3 with the message group in m. */
#define ROUNDS(g, m)                                                         \
	"movdqa " m ", %%xmm0\n\t"                                           \
	"paddd " STR(g) "*16(%[k]), %%xmm0\n\t"                              \
	"sha256rnds2 %%xmm0, %%xmm1, %%xmm2\n\t"                             \
	"pshufd $0x0e, %%xmm0, %%xmm0\n\t"                                   \
	"sha256rnds2 %%xmm0, %%xmm2, %%xmm1\n\t"

__attribute__((target("sse4.1,sha"))) void
sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	if (nblocks == 0)
		return;
	__asm__ volatile(
		"movdqa (%[mask]), %%xmm8\n\t"
		/* h[0..3] = (a b c d), h[4..7] = (e f g h), lane 0 first. */
		"movdqu 0(%[h]), %%xmm1\n\t"
		"movdqu 16(%[h]), %%xmm2\n\t"
		"pshufd $0xb1, %%xmm1, %%xmm1\n\t"   /* (b a d c) */
		"pshufd $0x1b, %%xmm2, %%xmm2\n\t"   /* (h g f e) */
		"movdqa %%xmm2, %%xmm7\n\t"
		"pblendw $0xf0, %%xmm1, %%xmm7\n\t"  /* (h g d c) = CDGH */
		"palignr $8, %%xmm2, %%xmm1\n\t"     /* (f e b a) = ABEF */
		"movdqa %%xmm7, %%xmm2\n\t"
		"1:\n\t"
		"movdqa %%xmm1, %%xmm9\n\t"
		"movdqa %%xmm2, %%xmm10\n\t"
		LOAD(0, M0) ROUNDS(0, M0)
		LOAD(1, M1) ROUNDS(1, M1)
		LOAD(2, M2) ROUNDS(2, M2)
		LOAD(3, M3) ROUNDS(3, M3)
		SCHED(M0, M1, M2, M3) ROUNDS(4, M0)
		SCHED(M1, M2, M3, M0) ROUNDS(5, M1)
		SCHED(M2, M3, M0, M1) ROUNDS(6, M2)
		SCHED(M3, M0, M1, M2) ROUNDS(7, M3)
		SCHED(M0, M1, M2, M3) ROUNDS(8, M0)
		SCHED(M1, M2, M3, M0) ROUNDS(9, M1)
		SCHED(M2, M3, M0, M1) ROUNDS(10, M2)
		SCHED(M3, M0, M1, M2) ROUNDS(11, M3)
		SCHED(M0, M1, M2, M3) ROUNDS(12, M0)
		SCHED(M1, M2, M3, M0) ROUNDS(13, M1)
		SCHED(M2, M3, M0, M1) ROUNDS(14, M2)
		SCHED(M3, M0, M1, M2) ROUNDS(15, M3)
		"paddd %%xmm9, %%xmm1\n\t"
		"paddd %%xmm10, %%xmm2\n\t"
		"add $64, %[p]\n\t"
		"dec %[n]\n\t"
		"jnz 1b\n\t"
		/* Back to (a b c d) and (e f g h). */
		"pshufd $0x1b, %%xmm1, %%xmm1\n\t"   /* (a b e f) */
		"pshufd $0xb1, %%xmm2, %%xmm2\n\t"   /* (g h c d) */
		"movdqa %%xmm1, %%xmm7\n\t"
		"pblendw $0xf0, %%xmm2, %%xmm7\n\t"  /* (a b c d) */
		"palignr $8, %%xmm1, %%xmm2\n\t"     /* (e f g h) */
		"movdqu %%xmm7, 0(%[h])\n\t"
		"movdqu %%xmm2, 16(%[h])\n\t"
		: [p] "+r"(p), [n] "+r"(nblocks)
		: [h] "r"(h), [k] "r"(sha256_k), [mask] "r"(bswap32_mask)
		: "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
		  "xmm6", "xmm7", "xmm8", "xmm9", "xmm10");
}
/* clang-format on */

#else /* !__x86_64__ */

bool sha256_ni_available(void)
{
	return false;
}

void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	/* Never selected: sha256_ni_available() is false. */
	(void)h;
	(void)p;
	(void)nblocks;
	__builtin_trap();
}

#endif
