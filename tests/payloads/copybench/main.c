// SPDX-License-Identifier: MIT
/*
 * main.c: copybench, the yardstick of the load path (scripts/bench, issue
 * 7: "firmware time for a 64 MiB vmlinux within 1.5x of a single memcpy of
 * its loaded bytes measured in the same guest"). Booted through fw.elf as a
 * plain ELF64, it copies N bytes once with `rep movsq` (the instruction
 * fw.elf copies segments with) and times the copy with RDTSC:
 *
 *   copybench: 59681264 bytes copied in 61234567 tsc
 *   COPYBENCH DONE
 *
 * N is the command-line word copybench.bytes=N (decimal, a multiple of 8,
 * at most 256 MiB). The copy goes where fw.elf's own copy of a vmlinux
 * bundle goes: from the top of RAM below 4 GiB (where QEMU puts -initrd,
 * so where the bundle sits: here the highest free window of N bytes, just
 * below the handoff area) to 16 MiB (the kernel's load address).
 * As there, the source has been written before (here by a `rep stosq` fill,
 * not timed) and the destination has not. Where the two lie matters under
 * TCG: QEMU's software TLB is direct-mapped, so a source and destination a
 * large power of two apart (64 MiB, say) evict each other's entries at every
 * step and the same copy takes ten times longer. Both areas must be free RAM
 * (the memory map, the modules), or copybench says so and fails.
 */
#include <stdbool.h>

#include "bootabi.h"
#include "rt.h"

const char rt_name[] = "copybench";
const char rt_trap_marker[] = "COPYBENCH FAIL (trap)";

#define MIB (1024ull * 1024)
#define DST (16 * MIB)
#define BYTES_MAX (256 * MIB)

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

/* The value of the word "copybench.bytes=N" in the command line, or 0. */
static uint64_t bytes_option(const char *line)
{
	static const char key[] = "copybench.bytes=";
	for (const char *s = line; *s; s++) {
		if (s != line && s[-1] != ' ')
			continue;
		size_t k = 0;
		while (key[k] && s[k] == key[k])
			k++;
		if (key[k])
			continue;
		uint64_t v = 0;
		for (s += k; *s >= '0' && *s <= '9' && v <= BYTES_MAX; s++)
			v = v * 10 + (uint64_t)(*s - '0');
		return v;
	}
	return 0;
}

/* True when [a, a + n) lies in one RAM entry of the map and clear of
 * every module. */
static bool free_ram(const struct si_v1 *si, uint64_t a, uint64_t n)
{
	bool ram = false;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		struct si_memmap e;
		phys_copy(&e, si->memmap_paddr + i * sizeof(e), sizeof(e));
		if (e.type == MEM_RAM && a >= e.addr &&
		    a + n <= e.addr + e.size)
			ram = true;
	}
	for (uint32_t i = 0; si->modlist_paddr && i < si->nr_modules; i++) {
		struct si_mod m;
		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		if (m.paddr < a + n && a < m.paddr + m.size)
			return false;
	}
	return ram;
}

/* The highest page-aligned [a, a + n) below 4 GiB that is free RAM, or 0. */
static uint64_t highest_window(const struct si_v1 *si, uint64_t n)
{
	uint64_t best = 0;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		struct si_memmap e;
		phys_copy(&e, si->memmap_paddr + i * sizeof(e), sizeof(e));
		uint64_t end = e.addr + e.size;
		if (end > 0x100000000ull)
			end = 0x100000000ull;
		if (e.type != MEM_RAM || end < e.addr + n)
			continue;
		uint64_t a = (end - n) & ~0xFFFull;
		if (a >= e.addr && a > best && free_ram(si, a, n))
			best = a;
	}
	return best;
}

void payload_main(void)
{
	struct si_v1 si;

	if (!entry_regs.rdi || phys_rd32(entry_regs.rdi) != SI_MAGIC)
		fail("no start_info at RDI", entry_regs.rdi);
	phys_copy(&si, entry_regs.rdi, sizeof(si));
	const char *cmdline =
		si.cmdline_paddr ? (const char *)(uintptr_t)si.cmdline_paddr
				 : "";
	uint64_t n = bytes_option(cmdline);
	if (n == 0 || n > BYTES_MAX || n % 8)
		fail("copybench.bytes= must be a multiple of 8, 8 to 256 MiB",
		     n);
	if (si.version < 1)
		fail("start_info version 0: no memory map", si.version);
	uint64_t dst = DST, src = highest_window(&si, n);
	if ((uint64_t)(uintptr_t)__image_end > dst || !free_ram(&si, dst, n) ||
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
