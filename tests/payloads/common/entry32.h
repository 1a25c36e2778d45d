// SPDX-License-Identifier: MIT
/*
 * entry32.h: the state captured at a 32-bit entry by common/entry32.inc
 * (pvhcheck's PVH entry, mbcheck's Multiboot entry), and the helpers both
 * checkers use on it (common/entry32.c): the captured GDTR, descriptor
 * lookups in the copy of the loader's GDT, the "entry:" lines and the flat
 * data segment checks.
 */
#ifndef PAYLOAD_ENTRY32_H
#define PAYLOAD_ENTRY32_H

#include <stddef.h>
#include <stdint.h>

/* entry32_regs.msr[]: the order of entry32.inc's e32_msr_list. */
enum {
	E32_MSR_STAR,
	E32_MSR_LSTAR,
	E32_MSR_SFMASK,
	E32_MSR_KERNEL_GS_BASE,
	E32_MSR_SYSENTER_CS,
	E32_MSR_SYSENTER_ESP,
	E32_MSR_SYSENTER_EIP,
	E32_MSR_COUNT
};

/*
 * The offsets are repeated in entry32.inc (ER32_*) and checked below.
 * Selectors are stored as 16 bits into zeroed 32-bit slots.
 */
struct entry32_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp; /* 0x00 */
	uint32_t eflags;				 /* 0x20 */
	uint32_t cr0;					 /* 0x24 */
	uint32_t cr3;					 /* 0x28 */
	uint32_t cr4;					 /* 0x2c */
	uint64_t efer;					 /* 0x30 */
	uint32_t cs, ds, es, ss, fs, gs;		 /* 0x38 */
	uint32_t tr;					 /* 0x50 */
	uint32_t ldtr;					 /* 0x54 */
	uint8_t gdtr[8];     /* 0x58 SGDT image: u16 limit, u32 base */
	uint8_t idtr[8];     /* 0x60 SIDT image */
	uint32_t eip;	     /* 0x68 run-time address of the entry */
	uint32_t gdt_copied; /* 0x6c bytes copied into the GDT copy */
	uint32_t cr2;	     /* 0x70 */
	uint32_t dr6;	     /* 0x74 */
	uint32_t dr7;	     /* 0x78 */
	uint32_t cr8;	     /* 0x7c read once in long mode */
	uint64_t pat;	     /* 0x80 IA32_PAT */
	uint64_t pad2;
	/* 0x90 FXSAVE image with CR4.OSFXSR set: x87, MXCSR, XMM0-7; then
	 * XMM8-15 stored into their slots (FX_XMM(8) on) in 64-bit mode */
	uint8_t fx[512];
	uint32_t dr0_3[4];	     /* 0x290 */
	uint64_t msr[E32_MSR_COUNT]; /* 0x2a0 E32_MSR_* order */
	uint64_t xcr0;		     /* 0x2d8 valid if E32_HAVE_XCR0 */
	uint32_t have;		     /* 0x2e0 E32_HAVE_* bits */
	uint32_t pad3[7];
	/* 0x300 (64-byte aligned) XSAVE area, AVX component only, taken in
	 * 64-bit mode (the upper halves of YMM0-15), valid if E32_HAVE_YMM */
	uint8_t xsave[1024];
};

#define E32_HAVE_XCR0 1u /* CPUID has XSAVE: CR4.OSXSAVE set, XCR0 read */
#define E32_HAVE_YMM 2u	 /* ... and XCR0 has AVX: the XSAVE was done */

_Static_assert(offsetof(struct entry32_regs, eflags) == 0x20, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, efer) == 0x30, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, cs) == 0x38, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, tr) == 0x50, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, gdtr) == 0x58, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, eip) == 0x68, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, cr2) == 0x70, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, pat) == 0x80, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, fx) == 0x90, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, cr8) == 0x7c, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, dr0_3) == 0x290, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, msr) == 0x2a0, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, xcr0) == 0x2d8, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, have) == 0x2e0, "entry32.inc");
_Static_assert(offsetof(struct entry32_regs, xsave) == 0x300, "entry32.inc");
_Static_assert(sizeof(struct entry32_regs) == 0x700, "entry32.inc");

/* What one checker's entry captured: the registers and the GDT copy. */
struct entry32 {
	const struct entry32_regs *r;
	const uint8_t *gdt_copy;
};

uint16_t e32_gdtr_limit(const struct entry32 *e);
uint32_t e32_gdtr_base(const struct entry32 *e);

/* desc_lookup() of sel in the copy of the loader's GDT. */
const char *e32_lookup(const struct entry32 *e, uint32_t sel, uint64_t *d);

/* The six "<rt_name>: entry: ..." lines with the captured state. */
void e32_print_entry(const struct entry32 *e);

/*
 * pvhfw's reset on the 32-bit paths (docs/abi.md "Also reset", as
 * docs/protocols.md promises for PVH and Multiboot): common/handoff.c's
 * check_pvhfw_reset() on the captured state, then "pvhfw.vector": the
 * FXSAVE image (x87, MXCSR, XMM0-XMM7 from 32-bit mode, XMM8-XMM15 from
 * 64-bit mode) and, where the entry could XSAVE the AVX component, the
 * upper halves of YMM0-YMM15; where it could not, a note says they were
 * not checked.
 */
void e32_check_pvhfw_reset(const struct entry32 *e);

/*
 * Within the current check: FAIL each of the n selectors that is not a
 * flat 32-bit data segment, else note it as flat. With null_ok a null
 * selector is noted as such instead.
 */
void e32_data_segments(const struct entry32 *e, const char *const *names,
		       const uint32_t *sels, int n, int null_ok);

#endif
