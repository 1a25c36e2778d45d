// SPDX-License-Identifier: MIT
/*
 * map.c: reach physical memory above 4 GiB. entry32.asm identity-maps
 * 0-4 GiB with 2 MiB pages; start_info's 64-bit addresses (memory map,
 * command line, modules, RSDP) may lie higher, so map_range() adds 2 MiB
 * identity pages there, taking PDPT and PD pages from a small static pool
 * (enough for 16 GiB spread over a few 512 GiB regions). Addresses at or
 * above the CPU's physical address width (CPUID 0x80000008) are refused.
 */
#include "cpu.h"
#include "pvhcheck.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

#define PAGE_2M (2 * MiB)
#define MAPPED_AT_ENTRY (4 * GiB)
#define VA_LIMIT (1ull << 47) /* 4-level paging, lower half */
#define POOL_PAGES 20

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

/* The table that entry idx of table t points to, made when absent. */
static uint64_t *sub_table(uint64_t *t, unsigned idx)
{
	uint64_t *n;

	if (t[idx] & PTE_P)
		return (uint64_t *)(uintptr_t)(t[idx] & PTE_ADDR);
	if (pool_used == POOL_PAGES)
		return NULL;
	n = pool[pool_used++];
	memset(n, 0, sizeof(pool[0]));
	t[idx] = (uintptr_t)n | PTE_P | PTE_RW;
	return n;
}

/* 2^MAXPHYADDR: a page-table entry with an address bit at or above it
 * has a reserved bit set, and using it faults. */
static uint64_t phys_limit(void)
{
	uint32_t r[4];
	unsigned bits = 36;

	cpuid(0x80000000u, 0, r);
	if (r[0] >= 0x80000008u) {
		cpuid(0x80000008u, 0, r);
		bits = r[0] & 0xFF;
	}
	return bits >= 52 ? 1ull << 52 : 1ull << bits;
}

const char *map_range(uint64_t pa, uint64_t len)
{
	uint64_t end = pa + len, a;
	int added = 0;

	if (end < pa)
		return "range wraps past 2^64";
	if (end <= MAPPED_AT_ENTRY)
		return NULL;
	if (end > VA_LIMIT)
		return "range beyond 128 TiB, which 4-level paging cannot map";
	if (end > phys_limit())
		return "range beyond the CPU's physical address width";
	a = pa < MAPPED_AT_ENTRY ? MAPPED_AT_ENTRY : pa & ~(PAGE_2M - 1);
	for (; a < end; a += PAGE_2M) {
		uint64_t *pdpt, *pd;

		pdpt = sub_table(pvh_pml4, (unsigned)(a >> 39) & 511);
		pd = pdpt ? sub_table(pdpt, (unsigned)(a >> 30) & 511) : NULL;
		if (!pd)
			return "out of page-table pages";
		pd[(a >> 21) & 511] = a | PTE_P | PTE_RW | PTE_PS;
		added = 1;
	}
	if (added) /* entries went from absent to present: no stale TLB
		      entries, but be plain about it */
		__asm__ volatile("mov %0, %%cr3"
				 :
				 : "r"(read_cr3())
				 : "memory");
	return NULL;
}

const void *phys_ptr(uint64_t pa, uint64_t len)
{
	return map_range(pa, len) ? NULL : (const void *)(uintptr_t)pa;
}
