// SPDX-License-Identifier: MIT
/*
 * main.c: copybench, the yardstick of the load path (scripts/bench, issue
 * 7: "firmware time for a 64 MiB vmlinux within 1.5x of a single memcpy of
 * its loaded bytes measured in the same guest"). Booted through fw.elf as a
 * plain ELF64, it copies N bytes once with `rep movsq` (the instruction
 * fw.elf copies segments with) and times the copy with RDTSC:
 *
 *   copybench: 59681264 bytes copied from 0x1c6c1000 to 0x1000000 in
 *   61234567 tsc          (one line)
 *   COPYBENCH DONE
 *
 * N is the command-line word copybench.bytes=N (a multiple of 8, at most
 * 256 MiB; read with abicheck's cl_value, and the hand-off with the
 * checkers' common/handoff.c). The copy goes where fw.elf's own copy of a
 * vmlinux bundle goes: from the top of RAM below 4 GiB (where QEMU puts
 * -initrd, so where the bundle sits: here the highest free window of N bytes,
 * just below the handoff area) to 16 MiB (the kernel's load address). As there,
 * the source has been written before (here by a `rep stosq` fill, not timed)
 * and the destination has not. Where the two lie matters under TCG: QEMU's
 * software TLB is direct-mapped, so a source and destination a large power of
 * two apart (64 MiB, say) evict each other's entries at every step and the same
 * copy takes ten times longer. Both areas must be free RAM (the memory map, the
 * modules), or copybench says so and fails.
 */
#include <stdbool.h>

#include "handoff.h" /* si_read, si_load_map; logic.h: cl_value, mm_covered */
#include "rt.h"

const char rt_name[] = "copybench";
const char rt_trap_marker[] = "COPYBENCH FAIL (trap)";

#define MIB (1024ull * 1024)
#define DST (16 * MIB)
#define BYTES_MAX (256 * MIB)

static struct si_handoff h;

static __attribute__((noreturn)) void fail(const char *why, uint64_t v)
{
	con_printf("copybench: %s (0x%lx)\nCOPYBENCH FAIL\n", why, v);
	rt_exit(RT_EXIT_FAIL);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* True when [a, a + n) is RAM in the map and clear of every module. */
static bool free_ram(uint64_t a, uint64_t n)
{
	uint64_t gap;
	if (!mm_covered(h.map, h.map_n, a, a + n, MM_TYPE(MEM_RAM), &gap))
		return false;
	for (uint32_t i = 0; h.si.modlist_paddr && i < h.si.nr_modules; i++) {
		struct si_mod m;
		phys_copy(&m, h.si.modlist_paddr + i * sizeof(m), sizeof(m));
		if (m.paddr < a + n && a < m.paddr + m.size)
			return false;
	}
	return true;
}

/* The highest page-aligned [a, a + n) below 4 GiB that is free RAM, or 0. */
static uint64_t highest_window(uint64_t n)
{
	uint64_t best = 0;
	for (size_t i = 0; i < h.map_n; i++) {
		const struct mm_entry *e = &h.map[i];
		uint64_t end = mm_end(e);
		if (end > 0x100000000ull)
			end = 0x100000000ull;
		if (e->type != MEM_RAM || end < e->addr + n)
			continue;
		uint64_t a = (end - n) & ~0xFFFull;
		if (a >= e->addr && a > best && free_ram(a, n))
			best = a;
	}
	return best;
}

void payload_main(void)
{
	if (!si_read(&h, entry_regs.rdi))
		fail("no start_info at RDI", entry_regs.rdi);
	if (h.si.cmdline_paddr)
		si_set_cmdline(&h, (const char *)(uintptr_t)h.si.cmdline_paddr);
	uint64_t n = 0;
	if (!h.cmdline || cl_value(h.cmdline, "copybench.bytes", &n) != 1)
		n = 0;
	if (n == 0 || n > BYTES_MAX || n % 8)
		fail("copybench.bytes= must be a multiple of 8, 8 to 256 MiB",
		     n);
	if (h.si.version < 1 || !h.si.memmap_paddr ||
	    h.si.memmap_entries > MAP_MAX)
		fail("no memory map it can read", h.si.memmap_entries);
	si_load_map(&h);
	uint64_t dst = DST, src = highest_window(n);
	if ((uint64_t)(uintptr_t)__image_end > dst || !free_ram(dst, n) ||
	    src < dst + n)
		fail("no room for the copy below 4 GiB", src);

	uint64_t q = n / 8, d = dst, s = src, v = 0x0123456789abcdefull;
	__asm__ volatile("cld; rep stosq"
			 : "+D"(s), "+c"(q)
			 : "a"(v)
			 : "memory");
	q = n / 8;
	s = src;
	uint64_t t0 = rdtsc();
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
	uint64_t t1 = rdtsc();
	if (phys_rd64(dst) != v || phys_rd64(dst + n - 8) != v)
		fail("the copy did not arrive", dst);
	con_printf("copybench: %lu bytes copied from 0x%lx to 0x%lx in %lu "
		   "tsc\n",
		   n, src, dst, t1 - t0);
	con_printf("COPYBENCH DONE\n");
	rt_exit(RT_EXIT_PASS);
}
