// SPDX-License-Identifier: MIT
/*
 * startinfo.c: the start_info at RDI (= RBX) and what hangs off it: the
 * memory map and where our image, stack and the hand-off structures sit in
 * it, the bss, the command line, the RSDP and the modules.
 */
#include "abicheck.h"

#define HANDOFF_TYPES                                                          \
	(MM_TYPE(MEM_RAM) | MM_TYPE(MEM_RESERVED) | MM_TYPE(MEM_ACPI))
/*
 * The stack may be RAM, or reserved as part of pvhfw's handoff area
 * (docs/abi.md), which the payload keeps until it has its own stack.
 */
#define STACK_TYPES (MM_TYPE(MEM_RAM) | MM_TYPE(MEM_RESERVED))

/* FAIL the current check when there is no usable start_info or map. */
static int need_start_info(void)
{
	if (!ab.si_ok)
		check_fail("skipped: no valid start_info at RDI 0x%lx",
			   entry_regs.rdi);
	return ab.si_ok;
}

static int need_map(void)
{
	if (!need_start_info())
		return 0;
	if (!ab.map_ok)
		check_fail("skipped: no usable memory map");
	return ab.map_ok;
}

/* FAIL unless [start, end) lies in the map, in entries of typemask. */
void expect_in_map(const char *what, uint64_t start, uint64_t end,
		   uint32_t typemask)
{
	uint64_t gap;
	char types[64];
	size_t n = 0;

	if (mm_covered(ab.map, ab.map_n, start, end, typemask, &gap))
		return;
	types[0] = '\0';
	for (uint32_t t = 1; t < 32 && n < sizeof(types); t++)
		if (typemask & MM_TYPE(t))
			n += (size_t)fmt_snprintf(types + n, sizeof(types) - n,
						  "%s%s", n ? "/" : "",
						  mem_type_name(t));
	check_fail("%s 0x%lx-0x%lx: byte 0x%lx not in %s", what, start, end - 1,
		   gap, types);
}

void check_start_info(void)
{
	const struct si_v1 *si = &ab.si;
	const char *why;
	int bad;

	check_begin("start_info");
	if (!entry_regs.rdi) {
		check_fail("RDI = 0");
	} else if (!ab.si_ok) {
		check_fail("magic 0x%08x at 0x%lx, want 0x%08x",
			   phys_rd32(entry_regs.rdi), entry_regs.rdi, SI_MAGIC);
	} else {
		if (si->version != 1)
			check_fail("version %u, want 1", si->version);
		if (si->version >= 1 && si->reserved != 0)
			check_fail("reserved field 0x%x, want 0", si->reserved);
		check_info("at 0x%lx, flags 0x%x", ab.si_pa, si->flags);
	}
	if (entry_regs.rdi != entry_regs.rbx)
		check_fail("RDI 0x%lx != RBX 0x%lx", entry_regs.rdi,
			   entry_regs.rbx);
	check_end();

	check_begin("memmap");
	if (need_start_info()) {
		if (si->version < 1 || si->memmap_entries == 0)
			check_fail("no memory map (memmap_entries = 0)");
		else if (si->memmap_paddr == 0)
			check_fail("memmap_paddr = 0 with %u entries",
				   si->memmap_entries);
		else if (si->memmap_entries > MAP_MAX)
			check_fail("%u entries, abicheck handles %d",
				   si->memmap_entries, MAP_MAX);
	}
	if (ab.map_ok) {
		bad = mm_check_order(ab.map, ab.map_n, &why);
		if (bad >= 0)
			check_fail("entry %d (0x%lx+0x%lx): %s", bad,
				   ab.map[bad].addr, ab.map[bad].size, why);
		if (mm_total(ab.map, ab.map_n, MEM_RAM) == 0)
			check_fail("no RAM entry");
		for (size_t i = 0; i < ab.map_n; i++) {
			struct si_memmap e;
			phys_copy(&e, si->memmap_paddr + i * sizeof(e),
				  sizeof(e));
			if (e.reserved) {
				check_fail("entry %zu: reserved field 0x%x", i,
					   e.reserved);
				break;
			}
		}
		check_info("%zu entries, %lu MiB RAM", ab.map_n,
			   mm_total(ab.map, ab.map_n, MEM_RAM) / MiB);
	}
	check_end();
	for (size_t i = 0; ab.map_ok && i < ab.map_n; i++)
		con_printf("abicheck: memmap %zu: 0x%016lx-0x%016lx %s (%u)\n",
			   i, ab.map[i].addr, mm_end(&ab.map[i]) - 1,
			   mem_type_name(ab.map[i].type), ab.map[i].type);

	check_begin("memmap.image");
	if (need_map())
		expect_in_map("image", (uintptr_t)__image_start,
			      (uintptr_t)__image_end, MM_TYPE(MEM_RAM));
	check_end();

	check_begin("memmap.stack");
	if (need_map()) {
		if (entry_regs.rsp < STACK_MIN)
			check_fail("RSP 0x%lx leaves no %lu KiB below it",
				   entry_regs.rsp, STACK_MIN / KiB);
		else
			expect_in_map("stack", entry_regs.rsp - STACK_MIN,
				      entry_regs.rsp, STACK_TYPES);
	}
	check_end();

	check_begin("memmap.start_info");
	if (need_map())
		expect_in_map("start_info", ab.si_pa, ab.si_pa + sizeof(*si),
			      HANDOFF_TYPES);
	check_end();

	/* The other hand-off structures must not sit in a hole either. */
	check_begin("memmap.handoff");
	if (need_map()) {
		expect_in_map("memmap table", si->memmap_paddr,
			      si->memmap_paddr +
				      si->memmap_entries *
					      sizeof(struct si_memmap),
			      HANDOFF_TYPES);
		if (ab.cmdline)
			expect_in_map("cmdline", si->cmdline_paddr,
				      si->cmdline_paddr + ab.cmdline_len + 1,
				      HANDOFF_TYPES);
		if (si->nr_modules && si->modlist_paddr)
			expect_in_map("module list", si->modlist_paddr,
				      si->modlist_paddr +
					      si->nr_modules *
						      sizeof(struct si_mod),
				      HANDOFF_TYPES);
		if (entry_regs.rsi)
			expect_in_map("boot_params", entry_regs.rsi,
				      entry_regs.rsi + BP_SIZE, HANDOFF_TYPES);
	}
	check_end();
}

void check_bss(size_t nonzero, size_t first, size_t size)
{
	check_begin("bss");
	if (nonzero)
		check_fail("%zu of %zu probe bytes non-zero, first at offset "
			   "0x%zx",
			   nonzero, size, first);
	check_info("%zu KiB probe, bss 0x%lx-0x%lx", size / 1024,
		   (uint64_t)(uintptr_t)__bss_start,
		   (uint64_t)(uintptr_t)__bss_end - 1);
	check_end();
}

/* Print s, replacing control characters so the console line stays one line. */
static void print_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

void check_cmdline(void)
{
	const char *w;
	size_t len;

	con_printf("abicheck: cmdline: \"");
	if (ab.cmdline)
		print_clean(ab.cmdline, ab.cmdline_len);
	con_printf("\"\n");

	check_begin("cmdline");
	if (need_start_info()) {
		if (!ab.si.cmdline_paddr)
			check_fail("cmdline_paddr = 0");
		else if (!ab.cmdline)
			check_fail("no NUL within %d KiB of 0x%lx",
				   CMDLINE_MAX / 1024, ab.si.cmdline_paddr);
		else if ((w = cl_find_prefix(ab.cmdline, "fw.", &len)))
			check_fail("firmware option \"%.*s\" was passed on",
				   (int)len, w);
		else
			check_info("%zu bytes at 0x%lx", ab.cmdline_len,
				   ab.si.cmdline_paddr);
	}
	check_end();
}

void check_rsdp(void)
{
	uint64_t pa;
	const char *why;
	unsigned rev;
	uint32_t len;

	check_begin("rsdp");
	if (!need_start_info()) {
		check_end();
		return;
	}
	pa = ab.si.rsdp_paddr;
	if (pa == 0) {
		if (ab.cmdline && cl_has_word(ab.cmdline, "check.rsdp=0"))
			check_info("none, allowed by check.rsdp=0");
		else
			check_fail("rsdp_paddr = 0");
	} else {
		why = rsdp_check((const uint8_t *)(uintptr_t)pa, &rev, &len);
		if (why)
			check_fail("at 0x%lx: %s", pa, why);
		check_info("0x%lx revision %u", pa, rev);
	}
	check_end();
}

void check_modules(void)
{
	const struct si_v1 *si = &ab.si;
	uint64_t want;
	int r;

	check_begin("modules");
	if (!need_map()) {
		check_end();
		return;
	}
	check_info("nr_modules %u", si->nr_modules);
	r = ab.cmdline ? cl_value(ab.cmdline, "check.modules", &want) : 0;
	if (r < 0)
		check_fail("check.modules= is not a number");
	else if (r > 0 && want != si->nr_modules)
		check_fail("nr_modules %u, check.modules=%lu", si->nr_modules,
			   want);
	if (si->nr_modules && !si->modlist_paddr)
		check_fail("modlist_paddr = 0 with %u modules", si->nr_modules);
	for (uint32_t i = 0; si->modlist_paddr && i < si->nr_modules; i++) {
		struct si_mod m;
		char what[24];

		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		con_printf("abicheck: module %u: 0x%lx size 0x%lx cmdline ", i,
			   m.paddr, m.size);
		if (m.cmdline_paddr) {
			const char *s =
				(const char *)(uintptr_t)m.cmdline_paddr;
			con_printf("\"");
			print_clean(s, strnlen(s, 256));
			con_printf("\"\n");
		} else {
			con_printf("none\n");
		}
		fmt_snprintf(what, sizeof(what), "module %u", i);
		if (m.paddr == 0)
			check_fail("%s: paddr = 0", what);
		else
			expect_in_map(what, m.paddr, m.paddr + m.size,
				      MM_TYPE(MEM_RAM));
	}
	check_end();
}
