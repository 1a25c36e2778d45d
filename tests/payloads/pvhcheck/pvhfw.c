// SPDX-License-Identifier: MIT
/*
 * pvhfw.c: what pvhfw promises a PVH payload beyond the PVH ABI
 * (docs/protocols.md "pvh", docs/abi.md), checked as "pvhfw.*" lines when
 * the command line has the word check.pvhfw=1: the selectors, TR and its
 * TSS exactly, the GDT's limit, no IDT, a normalised memory map in which
 * only the handoff area is reserved (compared with the VMM's RAM given by
 * check.vmm-ram=), the handoff area and what it holds, the module list.
 * The start_info ones are common/handoff.c's, shared with abicheck.
 */
#include "pvhcheck.h"

#define SEL_CODE32 0x08
#define SEL_DATA 0x18
#define SEL_TSS 0x20
#define GDT_LIMIT 0x27 /* null, three segments, the TSS */

static const struct entry32 e32 = { &pvh_regs, pvh_gdt_copy };

static void check_segments(void)
{
	const struct entry32_regs *r = &pvh_regs;
	const struct {
		const char *name;
		uint32_t sel, want;
	} segs[] = {
		{ "cs", r->cs, SEL_CODE32 }, { "ds", r->ds, SEL_DATA },
		{ "es", r->es, SEL_DATA },   { "ss", r->ss, SEL_DATA },
		{ "fs", r->fs, SEL_DATA },   { "gs", r->gs, SEL_DATA },
		{ "tr", r->tr, SEL_TSS },
	};
	uint16_t idt_limit;
	uint64_t d;
	unsigned p;
	const char *why;
	char text[160];

	check_begin("pvhfw.segments");
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
		if (segs[i].sel != segs[i].want)
			check_fail("%s=0x%x, want 0x%x", segs[i].name,
				   segs[i].sel, segs[i].want);
	if (e32_gdtr_limit(&e32) != GDT_LIMIT)
		check_fail("GDTR limit 0x%x, want 0x%x", e32_gdtr_limit(&e32),
			   GDT_LIMIT);
	/* The PVH entry loaded TR with it: busy. */
	if ((why = e32_lookup(&e32, SEL_TSS, &d)))
		check_fail("GDT 0x%x: %s", SEL_TSS, why);
	else if ((p = desc_check_pvhfw_tss(d, 1)))
		check_fail("GDT 0x%x: 0x%016lx: %s", SEL_TSS, d,
			   desc_problems(p, text, sizeof(text)));
	__builtin_memcpy(&idt_limit, r->idtr, 2);
	if (idt_limit != 0)
		check_fail("IDTR limit 0x%x, want 0 (no IDT)", idt_limit);
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
}
