// SPDX-License-Identifier: MIT
/*
 * cpu.h: x86-64 register bits and one-instruction helpers (port I/O,
 * control registers, MSRs, CPUID, MXCSR). Bit names follow the Intel SDM.
 */
#ifndef PAYLOAD_CPU_H
#define PAYLOAD_CPU_H

#include <stdint.h>

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_DF (1ull << 10)

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)

#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_LA57 (1ull << 12)
#define CR4_OSXSAVE (1ull << 18)

#define MSR_EFER 0xC0000080u
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_AVX (1u << 28)
#define CPUID81_EDX_PAGE1GB (1u << 26)

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)

#define FCW_DEFAULT 0x037Fu
#define MXCSR_DEFAULT 0x1F80u
#define MXCSR_PE (1u << 5)
#define MXCSR_PM (1u << 12)
#define MXCSR_FLAGS 0x3Fu

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline uint16_t read_cs(void)
{
	uint16_t v;
	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint32_t stmxcsr(void)
{
	uint32_t v;
	__asm__ volatile("stmxcsr %0" : "=m"(v) : : "memory");
	return v;
}

static inline void ldmxcsr(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v) : "memory");
}

static inline void cli_hlt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * The FXSAVE image (the legacy region of an XSAVE area): FCW at 0, FSW at
 * 2, the abridged tag byte at 4, MXCSR at 24, ST0-ST7 at 32 + 16 i (80
 * bits used), XMM0-XMM15 at 160 + 16 i (XMM0-XMM7 outside 64-bit mode).
 */
#define FX_FCW 0
#define FX_FSW 2
#define FX_FTW 4
#define FX_MXCSR 24
#define FX_ST(i) (32 + 16 * (i))
#define FX_XMM(i) (160 + 16 * (i))

/* Whether x87 register ST<i> in an FXSAVE image holds anything but 0. */
static inline int fx_st_nonzero(const uint8_t *fx, int i)
{
	uint64_t m;
	uint16_t se;
	__builtin_memcpy(&m, fx + FX_ST(i), 8);
	__builtin_memcpy(&se, fx + FX_ST(i) + 8, 2);
	return m || se;
}

#endif
