// SPDX-License-Identifier: MIT
/*
 * startinfo.c: the start_info at RDI (= RBX) and what hangs off it: the
 * memory map and where our image, stack and the hand-off structures sit in
 * it, the bss, the command line, the RSDP and the modules.
 */
#include "abicheck.h"
#include "../pvhcheck/record.h"

#define HANDOFF_TYPES                                                          \
	(MM_TYPE(MEM_RAM) | MM_TYPE(MEM_RESERVED) | MM_TYPE(MEM_ACPI))
/*
 * The stack may be RAM, or reserved as part of pvhfw's handoff area
 * (docs/abi.md), which the payload keeps until it has its own stack.
 */
#define STACK_TYPES (MM_TYPE(MEM_RAM) | MM_TYPE(MEM_RESERVED))

/* FAIL the current check when there is no usable start_info or map. */
static int need_map(void)
{
	return si_need_map(&ab, "RDI");
}

void check_start_info(void)
{
	const struct si_v1 *si = &ab.si;

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
	si_check_memmap(&ab, "RDI", 0);
	if (ab.map_ok)
		check_info("%zu entries, %lu MiB RAM", ab.map_n,
			   mm_total(ab.map, ab.map_n, MEM_RAM) / MiB);
	check_end();
	if (ab.map_ok)
		map_print(ab.map, ab.map_n, "memmap", 0);

	si_check_in_map(&ab, "RDI", "memmap.image", "image",
			(uintptr_t)__image_start, (uintptr_t)__image_end,
			MM_TYPE(MEM_RAM));

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

	si_check_in_map(&ab, "RDI", "memmap.start_info", "start_info", ab.si_pa,
			ab.si_pa + sizeof(*si), HANDOFF_TYPES);

	/* The other hand-off structures must not sit in a hole either. */
	check_begin("memmap.handoff");
	if (need_map()) {
		si_expect_tables_in_map(&ab, HANDOFF_TYPES);
		if (entry_regs.rsi)
			expect_in_map("boot_params", entry_regs.rsi,
				      entry_regs.rsi + BP_SIZE, HANDOFF_TYPES);
	}
	check_end();
}

void check_cmdline(void)
{
	con_printf("abicheck: cmdline: \"");
	if (ab.cmdline)
		print_clean(ab.cmdline, ab.cmdline_len);
	con_printf("\"\n");
	si_check_cmdline(&ab, "RDI", "");
}

void check_rsdp(void)
{
	si_check_rsdp(&ab, "RDI", (const uint8_t *)(uintptr_t)ab.si.rsdp_paddr);
}

/* pvhfw's boot record after the n modules before[] (fw.record=on): every
 * field, as docs/measured-boot.md gives them (pvhcheck/record.c). */
static void check_record(const struct si_mod *m,
			 const struct record_mod *before, uint32_t n)
{
	char why[160];
	const char *bad = record_check((const uint8_t *)(uintptr_t)m->paddr,
				       m->size, before, n, why, sizeof(why));

	if (bad)
		check_fail("boot record: %s", bad);
	else
		check_info("boot record checked");
}

void check_modules(void)
{
	const struct si_v1 *si = &ab.si;
	static struct record_mod before[RECORD_COUNT_MAX];

	if (!si_begin_modules(&ab, "RDI"))
		return;
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
		/* pvhfw's boot record lies in the handoff area, which is
		 * reserved; the modules the VMM passed are RAM. */
		if (m.paddr == 0)
			check_fail("%s: paddr = 0", what);
		else
			expect_in_map(what, m.paddr, m.paddr + m.size,
				      si_mod_is_record(&m)
					      ? MM_TYPE(MEM_RESERVED)
					      : MM_TYPE(MEM_RAM));
		if (m.reserved)
			check_fail("%s: reserved field 0x%lx", what,
				   m.reserved);
		if (!si_mod_is_record(&m)) {
			if (i < RECORD_COUNT_MAX)
				before[i] = (struct record_mod){
					m.size,
					(const char *)(uintptr_t)m.cmdline_paddr
				};
		} else if (i + 1 != si->nr_modules || i > RECORD_COUNT_MAX) {
			check_fail("%s: the boot record is not the last module "
				   "(or comes after more than it can list)",
				   what);
		} else if (m.paddr) {
			check_record(&m, before, i);
		}
	}
	check_end();
}
