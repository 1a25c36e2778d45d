// SPDX-License-Identifier: MIT
/*
 * pvhfw.c: what pvhfw promises a PVH payload beyond the PVH ABI
 * (docs/protocols.md "pvh", docs/abi.md), checked as "pvhfw.*" lines when
 * the command line has the word check.pvhfw=1: the selectors, TR and its
 * TSS exactly, the GDT's limit, no IDT, a normalised memory map in which
 * only the handoff area is reserved (compared with the VMM's RAM given by
 * check.vmm-ram=), the handoff area and what it holds, the module list
 * (every module below 4 GiB), and the CPU state pvhfw resets on every
 * path (LDTR, debug registers, CR2, CR8, PAT, the SYSCALL/SYSENTER MSRs,
 * x87, MXCSR and XMM0-7; common/entry32.c, shared with mbcheck). The
 * start_info ones are common/handoff.c's, shared with abicheck.
 */
#include "pvhcheck.h"

static const struct entry32 e32 = { &pvh_regs, pvh_gdt_copy };

static void check_segments(void)
{
	const struct entry32_regs *r = &pvh_regs;
	const struct sel_want segs[] = {
		{ "cs", r->cs, PVHFW_SEL_CODE32 },
		{ "ds", r->ds, PVHFW_SEL_DATA },
		{ "es", r->es, PVHFW_SEL_DATA },
		{ "ss", r->ss, PVHFW_SEL_DATA },
		{ "fs", r->fs, PVHFW_SEL_DATA },
		{ "gs", r->gs, PVHFW_SEL_DATA },
		{ "tr", r->tr, PVHFW_SEL_TSS },
	};
	uint64_t d;
	unsigned p;
	const char *why;
	char text[160];

	check_begin("pvhfw.segments");
	expect_pvhfw_selectors(segs, sizeof(segs) / sizeof(segs[0]),
			       (uint16_t)e32_gdtr_limit(&e32), r->idtr);
	/* The PVH entry loaded TR with it: busy. */
	if ((why = e32_lookup(&e32, PVHFW_SEL_TSS, &d)))
		check_fail("GDT 0x%x: %s", PVHFW_SEL_TSS, why);
	else if ((p = desc_check_pvhfw_tss(d, 1)))
		check_fail("GDT 0x%x: 0x%016lx: %s", PVHFW_SEL_TSS, d,
			   desc_problems(p, text, sizeof(text)));
	check_end();
}

static void check_handoff_area(void)
{
	uint64_t gdt = e32_gdtr_base(&e32);

	check_begin("pvhfw.handoff");
	if (si_need_map(&pc, "EBX")) {
		si_expect_pvhfw_tables(&pc);
		si_expect_in_area(&pc, "GDT", gdt,
				  gdt + (uint64_t)e32_gdtr_limit(&e32) + 1);
	}
	check_end();
}

/* A PVH kernel starts with paging off and reaches only the first 4 GiB:
 * pvhfw hands it every module (the boot record too) below 4 GiB, moving
 * those that lie higher (docs/protocols.md "pvh"). */
static void check_modules_below_4g(void)
{
	const struct si_v1 *si = &pc.si;

	check_begin("pvhfw.modules-below-4g");
	if (!si_need_start_info(&pc, "EBX")) {
		check_end();
		return;
	}
	if (si->nr_modules && !modlist_mapped())
		return;
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct si_mod m;

		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		if (m.paddr >= 4 * GiB || m.size > 4 * GiB - m.paddr)
			check_fail("module %u (0x%lx, 0x%lx bytes) is not "
				   "below 4 GiB",
				   i, m.paddr, m.size);
	}
	check_info("%u module(s)", si->nr_modules);
	check_end();
}

void check_pvhfw(void)
{
	if (!pc.cmdline || !cl_has_word(pc.cmdline, "check.pvhfw=1")) {
		con_printf("%s: pvhfw: skipped (check.pvhfw=1 checks what "
			   "pvhfw promises beyond the PVH ABI)\n",
			   rt_name);
		return;
	}
	check_segments();
	si_check_pvhfw_memmap(&pc, "EBX");
	si_check_pvhfw_ram(&pc, "EBX");
	check_handoff_area();
	si_check_pvhfw_modules(&pc, "EBX");
	check_modules_below_4g();
	e32_check_pvhfw_reset(&e32);
}
