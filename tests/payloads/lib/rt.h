// SPDX-License-Identifier: MIT
/*
 * rt.h: the small runtime shared by the test payloads (abicheck, demo).
 *
 * What it gives a payload:
 *   - entry_regs: the machine state captured by lib/entry.asm at e_entry,
 *     before any instruction could change it;
 *   - the console: COM1 16550 (115200 8N1, bounded waits) and, on request,
 *     the 0xE9 debug port;
 *   - con_printf() on top of the formatter of lib/fmt.h;
 *   - memset/memcpy/memmove/memcmp/strlen (gcc may emit calls to the first
 *     four even in freestanding code);
 *   - a trap table whose handlers print the trap and fail the run;
 *   - rt_exit(): isa-debug-exit, then a halt loop.
 *
 * A payload provides payload_main() and two strings: rt_name (the line
 * prefix, "abicheck") and rt_trap_marker (the line printed after a trap,
 * "ABICHECK FAIL (trap)").
 */
#ifndef PAYLOAD_RT_H
#define PAYLOAD_RT_H

#include <stddef.h>
#include <stdint.h>

#include "fmt.h"

/* entry_regs.msr[]: the order of entry.asm's msr_list. */
enum {
	ER_MSR_PAT,
	ER_MSR_STAR,
	ER_MSR_LSTAR,
	ER_MSR_SFMASK,
	ER_MSR_KERNEL_GS_BASE,
	ER_MSR_SYSENTER_CS,
	ER_MSR_SYSENTER_ESP,
	ER_MSR_SYSENTER_EIP,
	ER_MSR_FS_BASE,
	ER_MSR_GS_BASE,
	ER_MSR_COUNT
};

/*
 * The state at e_entry, stored by lib/entry.asm. Every slot is 8 bytes; the
 * offsets are repeated in entry.asm (ER_*) and checked below.
 */
struct entry_regs {
	uint64_t rdi;		    /* 0x00 */
	uint64_t rsi;		    /* 0x08 */
	uint64_t rbx;		    /* 0x10 */
	uint64_t rsp;		    /* 0x18 */
	uint64_t rflags;	    /* 0x20 */
	uint64_t cr0;		    /* 0x28 */
	uint64_t cr3;		    /* 0x30 */
	uint64_t cr4;		    /* 0x38 */
	uint64_t efer;		    /* 0x40 */
	uint64_t xcr0;		    /* 0x48 valid if ER_HAVE_XCR0 */
	uint64_t mxcsr;		    /* 0x50 valid if ER_HAVE_MXCSR */
	uint64_t fcw;		    /* 0x58 valid if ER_HAVE_FCW */
	uint64_t have;		    /* 0x60 ER_HAVE_* bits */
	uint64_t rip;		    /* 0x68 run-time address of _start */
	uint64_t cs;		    /* 0x70 */
	uint64_t ds;		    /* 0x78 */
	uint64_t es;		    /* 0x80 */
	uint64_t ss;		    /* 0x88 */
	uint64_t fs;		    /* 0x90 */
	uint64_t gs;		    /* 0x98 */
	uint8_t gdtr[16];	    /* 0xa0 SGDT image: u16 limit, u64 base */
	uint8_t idtr[16];	    /* 0xb0 SIDT image */
	uint64_t rax;		    /* 0xc0 */
	uint64_t rcx;		    /* 0xc8 */
	uint64_t rdx;		    /* 0xd0 */
	uint64_t rbp;		    /* 0xd8 */
	uint64_t r8_15[8];	    /* 0xe0 r8, r9, ..., r15 */
	uint64_t ldtr;		    /* 0x120 SLDT */
	uint64_t tr;		    /* 0x128 STR */
	uint64_t dr0_3[4];	    /* 0x130 */
	uint64_t dr6;		    /* 0x150 */
	uint64_t dr7;		    /* 0x158 */
	uint64_t cr2;		    /* 0x160 */
	uint64_t cr8;		    /* 0x168 */
	uint64_t msr[ER_MSR_COUNT]; /* 0x170 ER_MSR_* order */
	uint8_t fx[512]; /* 0x1c0 FXSAVE image, valid if ER_HAVE_MXCSR */
	/* 0x3c0 XSAVE area, AVX component only (XSTATE_BV at 512, the
	 * component at CPUID.(0xD,2).EBX), valid if ER_HAVE_YMM */
	uint8_t xsave[1024];
};

#define ER_HAVE_FCW 1u	 /* CR0.EM = CR0.TS = 0: FNSTCW was safe */
#define ER_HAVE_MXCSR 2u /* ... and CR4.OSFXSR = 1: STMXCSR, FXSAVE done */
#define ER_HAVE_XCR0 4u	 /* CR4.OSXSAVE = 1: XGETBV was safe */
#define ER_HAVE_YMM 16u	 /* ER_HAVE_XCR0 and XCR0 has AVX: XSAVE was done */

_Static_assert(offsetof(struct entry_regs, rflags) == 0x20, "entry.asm");
_Static_assert(offsetof(struct entry_regs, xcr0) == 0x48, "entry.asm");
_Static_assert(offsetof(struct entry_regs, have) == 0x60, "entry.asm");
_Static_assert(offsetof(struct entry_regs, rip) == 0x68, "entry.asm");
_Static_assert(offsetof(struct entry_regs, gs) == 0x98, "entry.asm");
_Static_assert(offsetof(struct entry_regs, gdtr) == 0xa0, "entry.asm");
_Static_assert(offsetof(struct entry_regs, rax) == 0xc0, "entry.asm");
_Static_assert(offsetof(struct entry_regs, ldtr) == 0x120, "entry.asm");
_Static_assert(offsetof(struct entry_regs, msr) == 0x170, "entry.asm");
_Static_assert(offsetof(struct entry_regs, fx) == 0x1c0, "entry.asm");
_Static_assert(offsetof(struct entry_regs, xsave) == 0x3c0, "entry.asm");
_Static_assert(sizeof(struct entry_regs) == 0x7c0, "entry.asm");
_Static_assert(offsetof(struct entry_regs, r8_15) == 0xe0, "entry.asm");

extern struct entry_regs entry_regs;

/* Symbols of the linker script (payload.ld) and of entry.asm. */
extern char __image_start[], __image_end[], __bss_start[], __bss_end[];
extern char _start[];

/* Provided by each payload. */
void payload_main(void);
extern const char rt_name[];
extern const char rt_trap_marker[];

/* lib/console.c */
void console_init(void);
void console_debugcon(int on); /* also copy every byte to port 0xE9 */
void console_putc(char c);
void console_write(const char *s, size_t n);
int con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* lib/exit.c: isa-debug-exit (QEMU exits with (code << 1) | 1), then hlt. */
#define RT_EXIT_PASS 0x10 /* QEMU status 33 */
#define RT_EXIT_FAIL 0x11 /* QEMU status 35 */
__attribute__((noreturn)) void rt_exit(uint8_t code);

/* lib/trap.c */
void trap_init(void);

/* lib/string.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);

#endif
