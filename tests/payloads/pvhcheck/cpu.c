// SPDX-License-Identifier: MIT
/*
 * cpu.c: the CPU part of the PVH hand-off (BOOT-ABIS.md 1.3), from what
 * entry32.asm captured: CR0, CR4, EFER, EFLAGS, and the descriptors of CS,
 * DS, ES, SS, FS, GS and TR, read from the copy of the loader's GDT.
 */
#include "cpu.h"
#include "pvhcheck.h"

#define CR0_ET (1u << 4)
#define EFLAGS_VM (1u << 17)

static uint16_t gdtr_limit(void)
{
	uint16_t v;

	__builtin_memcpy(&v, pvh_regs.gdtr, 2);
	return v;
}

static uint32_t gdtr_base(void)
{
	uint32_t v;

	__builtin_memcpy(&v, pvh_regs.gdtr + 2, 4);
	return v;
}

static const char *lookup(uint32_t sel, uint64_t *d)
{
	return desc_lookup(pvh_gdt_copy, pvh_regs.gdt_copied, gdtr_limit(), sel,
			   d);
}

static void print_entry_state(void)
{
	const struct pvh_regs *r = &pvh_regs;
	uint16_t idt_limit;
	uint32_t idt_base;

	__builtin_memcpy(&idt_limit, r->idtr, 2);
	__builtin_memcpy(&idt_base, r->idtr + 2, 4);
	con_printf("%s: entry: eax 0x%x ebx 0x%x ecx 0x%x edx 0x%x esi 0x%x "
		   "edi 0x%x ebp 0x%x esp 0x%x\n",
		   rt_name, r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi,
		   r->ebp, r->esp);
	con_printf("%s: entry: cr0 0x%x cr3 0x%x cr4 0x%x efer 0x%lx "
		   "eflags 0x%x\n",
		   rt_name, r->cr0, r->cr3, r->cr4, r->efer, r->eflags);
	con_printf("%s: entry: cs 0x%x ds 0x%x es 0x%x ss 0x%x fs 0x%x "
		   "gs 0x%x tr 0x%x ldtr 0x%x gdt 0x%x+0x%x idt 0x%x+0x%x\n",
		   rt_name, r->cs, r->ds, r->es, r->ss, r->fs, r->gs, r->tr,
		   r->ldtr, gdtr_base(), gdtr_limit(), idt_base, idt_limit);
}

static void bit_must_be(const char *reg, uint64_t v, uint64_t bit,
			const char *name, int want)
{
	if (!!(v & bit) != want)
		check_fail("%s.%s = %d, want %d", reg, name, !want, want);
}

static void check_cr0(void)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{ CR0_PG, "PG" }, { CR0_MP, "MP" }, { CR0_EM, "EM" },
		{ CR0_TS, "TS" }, { CR0_NE, "NE" }, { CR0_WP, "WP" },
		{ CR0_AM, "AM" }, { CR0_NW, "NW" }, { CR0_CD, "CD" },
	};
	uint32_t cr0 = pvh_regs.cr0, rest;

	check_begin("cpu.cr0");
	bit_must_be("CR0", cr0, CR0_PE, "PE", 1);
	rest = cr0 & ~(uint32_t)(CR0_PE | CR0_ET);
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (rest & bits[i].bit) {
			check_fail("CR0.%s set", bits[i].name);
			rest &= ~bits[i].bit;
		}
	}
	if (rest)
		check_fail("other CR0 bits 0x%x set", rest);
	check_info("CR0 0x%x%s", cr0, cr0 & CR0_ET ? ", ET reads 1" : "");
	check_end();
}

void check_cpu(void)
{
	const struct pvh_regs *r = &pvh_regs;
	uint64_t d;
	const char *why;
	unsigned p;
	char text[160];

	print_entry_state();

	check_begin("cpu.mode");
	bit_must_be("CR0", r->cr0, CR0_PE, "PE", 1);
	bit_must_be("CR0", r->cr0, CR0_PG, "PG", 0);
	bit_must_be("EFER", r->efer, EFER_LMA, "LMA", 0);
	check_info("32-bit protected mode%s, EFER 0x%lx",
		   r->cr0 & CR0_PG ? " with paging" : ", paging off", r->efer);
	check_end();

	check_cr0();

	check_begin("cpu.cr4");
	if (r->cr4 != 0)
		check_fail("CR4 0x%x, want 0", r->cr4);
	check_end();

	check_begin("cpu.eflags");
	bit_must_be("EFLAGS", r->eflags, RFLAGS_IF, "IF", 0);
	bit_must_be("EFLAGS", r->eflags, RFLAGS_TF, "TF", 0);
	bit_must_be("EFLAGS", r->eflags, EFLAGS_VM, "VM", 0);
	check_info("EFLAGS 0x%x", r->eflags);
	check_end();

	check_begin("cpu.cs");
	if ((why = lookup(r->cs, &d))) {
		check_fail("cs=0x%x: %s", r->cs, why);
	} else {
		struct seg_desc s;

		desc_decode(d, &s);
		p = desc_check_code32(d);
		if (p)
			check_fail("cs=0x%x desc 0x%016lx: %s", r->cs, d,
				   desc_problems(p, text, sizeof(text)));
		if (r->cs & 3)
			check_fail("cs=0x%x: CPL %u, want 0", r->cs, r->cs & 3);
		if (s.dpl)
			check_fail("cs=0x%x: DPL %u, want 0", r->cs, s.dpl);
		check_info("cs=0x%x desc 0x%016lx", r->cs, d);
	}
	check_end();

	/* DS, ES: required flat by the ABI; SS: what the firmware promises
	 * (the ABI leaves it unspecified, but it cannot be null). */
	check_begin("cpu.data-segments");
	{
		static const char *const names[] = { "ds", "es", "ss" };
		const uint32_t sels[] = { r->ds, r->es, r->ss };

		for (int i = 0; i < 3; i++) {
			if ((why = lookup(sels[i], &d))) {
				check_fail("%s=0x%x: %s", names[i], sels[i],
					   why);
				continue;
			}
			p = desc_check_data32(d);
			if (p)
				check_fail(
					"%s=0x%x desc 0x%016lx: %s", names[i],
					sels[i], d,
					desc_problems(p, text, sizeof(text)));
			else
				check_info("%s=0x%x flat", names[i], sels[i]);
		}
		if (!lookup(r->ss, &d)) {
			struct seg_desc s;

			desc_decode(d, &s);
			if ((r->ss & 3) || s.dpl)
				check_fail("ss=0x%x: RPL/DPL not 0", r->ss);
		}
	}
	check_end();

	/* FS, GS: unspecified by the ABI; a null selector is fine, anything
	 * else must be a flat data segment. */
	check_begin("cpu.fs-gs");
	{
		static const char *const names[] = { "fs", "gs" };
		const uint32_t sels[] = { r->fs, r->gs };

		for (int i = 0; i < 2; i++) {
			if ((sels[i] & ~3u) == 0) {
				check_info("%s=0x%x null", names[i], sels[i]);
				continue;
			}
			if ((why = lookup(sels[i], &d))) {
				check_fail("%s=0x%x: %s", names[i], sels[i],
					   why);
				continue;
			}
			p = desc_check_data32(d);
			if (p)
				check_fail(
					"%s=0x%x desc 0x%016lx: %s", names[i],
					sels[i], d,
					desc_problems(p, text, sizeof(text)));
			else
				check_info("%s=0x%x flat", names[i], sels[i]);
		}
	}
	check_end();

	/*
	 * The ABI wants TR loaded with a busy 32-bit TSS; QEMU's own PVH
	 * loader (pvh.bin) leaves TR = 0, so a null TR fails only with
	 * check.tr=1. A loaded TR is always checked.
	 */
	check_begin("cpu.tr");
	if ((r->tr & ~3u) == 0) {
		if (pc.cmdline && cl_has_word(pc.cmdline, "check.tr=1"))
			check_fail("TR = 0x%x: no TSS loaded (check.tr=1)",
				   r->tr);
		else
			check_info("TR = 0x%x: no TSS loaded, allowed without "
				   "check.tr=1",
				   r->tr);
	} else if ((why = lookup(r->tr, &d))) {
		check_fail("tr=0x%x: %s", r->tr, why);
	} else {
		struct seg_desc s;

		desc_decode(d, &s);
		p = desc_check_tss32(d);
		if (p)
			check_fail("tr=0x%x desc 0x%016lx: %s", r->tr, d,
				   desc_problems(p, text, sizeof(text)));
		check_info("tr=0x%x type 0x%x base 0x%x limit 0x%x", r->tr,
			   s.type, s.base, s.limit);
	}
	check_end();
}
