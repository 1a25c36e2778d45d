// SPDX-License-Identifier: MIT
/*
 * desc.h: the hardware-free part of pvhcheck: decoding legacy 8-byte GDT
 * descriptors (Intel SDM vol. 3, 3.4.5 and 8.2.2) and judging them against
 * the PVH entry state (BOOT-ABIS.md 1.3). No console, no port I/O:
 * host/test_pvhcheck.c runs the same code on the build machine.
 */
#ifndef PVHCHECK_DESC_H
#define PVHCHECK_DESC_H

#include <stddef.h>
#include <stdint.h>

struct seg_desc {
	uint32_t base;
	uint32_t limit;	    /* the last valid offset, G applied */
	uint32_t raw_limit; /* the 20-bit field */
	uint8_t type;	    /* 4 bits */
	uint8_t s;	    /* 1: code/data, 0: system */
	uint8_t dpl;
	uint8_t p;
	uint8_t l;
	uint8_t db;
	uint8_t g;
};

void desc_decode(uint64_t d, struct seg_desc *out);

/*
 * The descriptor of selector sel in a copy of a GDT (copied bytes of it,
 * GDTR limit limit). Returns NULL and sets *d, or a static reason: a null
 * selector, an LDT selector, beyond the limit, or beyond the copy.
 */
const char *desc_lookup(const uint8_t *gdt, size_t copied, uint16_t limit,
			uint32_t sel, uint64_t *d);

/* Problems found by the desc_check_* functions, one bit each. */
#define DP_NOT_PRESENT (1u << 0)
#define DP_SYSTEM (1u << 1)	      /* S = 0 where code/data is wanted */
#define DP_NOT_CODE (1u << 2)	      /* a data segment where code is wanted */
#define DP_NOT_READABLE (1u << 3)     /* execute-only code */
#define DP_NOT_DATA (1u << 4)	      /* a code segment where data is wanted */
#define DP_NOT_WRITABLE (1u << 5)     /* read-only data */
#define DP_EXPAND_DOWN (1u << 6)      /* data with E = 1: not flat */
#define DP_NOT_32BIT (1u << 7)	      /* D/B = 0 */
#define DP_LONG (1u << 8)	      /* L = 1 (64-bit code) */
#define DP_BASE (1u << 9)	      /* base != 0 */
#define DP_LIMIT (1u << 10)	      /* effective limit != 4 GiB - 1 */
#define DP_NOT_TSS32_BUSY (1u << 11)  /* TR: not type 0xB with S = 0 */
#define DP_TSS_LIMIT (1u << 12)	      /* TR: limit < 0x67 */
#define DP_NOT_TSS32_AVAIL (1u << 13) /* not type 0x9 with S = 0 */
#define DP_TSS_NOT_67 (1u << 14)      /* limit != 0x67 */
#define DP_COUNT 15

/* Short name of one DP_* bit (bit index 0..DP_COUNT-1). */
const char *desc_problem_name(unsigned bit);

/*
 * Format the names of the bits of problems into buf, joined with ", ".
 * Returns buf.
 */
char *desc_problems(unsigned problems, char *buf, size_t size);

/* A flat 32-bit execute/read code segment: base 0, limit 4 GiB, D = 1. */
unsigned desc_check_code32(uint64_t d);
/* A flat 32-bit read/write data segment: base 0, limit 4 GiB, B = 1. */
unsigned desc_check_data32(uint64_t d);
/* A present, busy 32-bit TSS (system type 0xB) with limit >= 0x67. */
unsigned desc_check_tss32(uint64_t d);
/*
 * pvhfw's GDT entry 0x20 exactly (docs/abi.md): a present 32-bit TSS with
 * base 0 and limit 0x67, busy (type 0xB) where the PVH entry loaded TR with
 * it, else available (type 0x9).
 */
unsigned desc_check_pvhfw_tss(uint64_t d, int busy);

#define TSS32_MIN_LIMIT 0x67u

#endif
