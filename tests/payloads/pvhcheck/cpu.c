// SPDX-License-Identifier: MIT
/*
 * cpu.c: the CPU part of the PVH hand-off (BOOT-ABIS.md 1.3), from what
 * entry32.asm captured: CR0, CR4, EFER, EFLAGS, and the descriptors of CS,
 * DS, ES, SS, FS, GS and TR, read from the copy of the loader's GDT.
 */
#include "cpu.h"
#include "pvhcheck.h"

#define EFLAGS_VM (1u << 17)

static const struct entry32 e32 = { &pvh_regs, pvh_gdt_copy };

static const char *lookup(uint32_t sel, uint64_t *d)
{
	return e32_lookup(&e32, sel, d);
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
	const struct entry32_regs *r = &pvh_regs;
	uint64_t d;
	const char *why;
	unsigned p;
	char text[160];

	e32_print_entry(&e32);

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

		e32_data_segments(&e32, names, sels, 3, 0);
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

		e32_data_segments(&e32, names, sels, 2, 1);
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
