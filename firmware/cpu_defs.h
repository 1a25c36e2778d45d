/* SPDX-License-Identifier: MIT */
/*
 * cpu_defs.h: x86-64 control-register bits, MSRs, the firmware's GDT layout
 * and memory constants, shared by C and by nasm.
 *
 * The Makefile turns every "#define NAME value" line of this file into a
 * "%define NAME value" line of build/cpu_defs.inc for the assembly, so only
 * such lines and comments may appear here, and values must be expressions
 * both languages read (no U/L suffixes).
 */
#ifndef PVHFW_CPU_DEFS_H
#define PVHFW_CPU_DEFS_H

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_AM (1 << 18)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1 << 31)

#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_LA57 (1 << 12)
#define CR4_OSXSAVE (1 << 18)

#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_PAT 0x277
#define MSR_STAR 0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_SFMASK 0xC0000084
#define MSR_KERNEL_GS_BASE 0xC0000102
#define PAT_DEFAULT 0x0007040600070406
#define DR6_DEFAULT 0xFFFF0FF0
#define DR7_DEFAULT 0x400

#define MSR_EFER 0xC0000080
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_LMA (1 << 10)
#define EFER_NXE (1 << 11)

#define XCR0_X87 (1 << 0)
#define XCR0_SSE (1 << 1)
#define XCR0_AVX (1 << 2)

#define MXCSR_DEFAULT 0x1F80
#define FCW_DEFAULT 0x037F

#define PTE_P (1 << 0)
#define PTE_W (1 << 1)
#define PTE_PS (1 << 7)

/*
 * GDT layout, used by the firmware and handed to 64-bit payloads: Linux's
 * 64-bit boot protocol wants __BOOT_CS = 0x10 and __BOOT_DS = 0x18.
 */
#define SEL_CODE32 0x08
#define SEL_CODE64 0x10
#define SEL_DATA 0x18
#define SEL_TSS 0x20

/*
 * The firmware image is loaded at FW_PHYS_BASE and runs at
 * FW_VIRT_OFFSET + its physical link address, so it can move to other
 * physical memory by changing one page-table window.
 */
#define FW_PHYS_BASE 0x100000
#define FW_VIRT_OFFSET 0xFFFFFFFF80000000

#define BOOT_STACK_SIZE 0x8000

#endif
