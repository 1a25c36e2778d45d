// SPDX-License-Identifier: MIT
/*
 * cpu.c: the Multiboot machine state (BOOT-ABIS.md 3.2, 3.5) from what
 * entry32.asm captured: EAX, CR0, EFLAGS, and the descriptors of CS, DS,
 * ES, SS, FS and GS, read from the copy of the loader's GDT; then A20.
 * With check.pvhfw=1, last, the state pvhfw resets on every path.
 */
#include "cpu.h"
#include "mbcheck.h"

#define EFLAGS_VM (1u << 17)

static const struct entry32 e32 = { &mb_regs, mb_gdt_copy };

/*
 * A20: with the gate closed, bit 20 of every physical address reads as 0,
 * so our probe and the address that differs from it in bit 20 are the
 * same memory. Only the probe (ours) is written; the other is only read.
 */
static volatile uint32_t a20_probe;

static void check_a20(void)
{
	uint64_t pa = (uintptr_t)&a20_probe, alias = pa ^ (1u << 20);
	const volatile uint32_t *other = (const volatile uint32_t *)alias;
	static const uint32_t pattern[2] = { 0x5a20a520u, 0xa5df5adfu };
	int same = 0;

	check_begin("cpu.a20");
	for (int i = 0; i < 2; i++) {
		a20_probe = pattern[i];
		__asm__ volatile("" ::: "memory");
		if (*other == pattern[i])
			same++;
	}
	if (same == 2)
		check_fail("0x%lx and 0x%lx are the same memory: A20 disabled",
			   pa, alias);
	else
		check_info("0x%lx and 0x%lx differ", pa, alias);
	check_end();
}

void mbc_check_cpu(void)
{
	const struct entry32_regs *r = &mb_regs;
	uint32_t magic = mbc.proto == 2 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC;
	char text[160];
	const char *why;
	uint64_t d;
	unsigned p;

	e32_print_entry(&e32);

	check_begin("cpu.magic");
	if (r->eax != magic)
		check_fail("EAX 0x%08x, want 0x%08x (Multiboot %u)", r->eax,
			   magic, mbc.proto);
	else
		check_info("EAX 0x%08x", r->eax);
	check_end();

	check_begin("cpu.mode");
	if (!(r->cr0 & CR0_PE))
		check_fail("CR0.PE = 0");
	if (r->cr0 & CR0_PG)
		check_fail("CR0.PG = 1");
	if (r->efer & EFER_LMA)
		check_fail("EFER.LMA = 1");
	check_info("CR0 0x%x, CR4 0x%x, EFER 0x%lx", r->cr0, r->cr4, r->efer);
	check_end();

	check_begin("cpu.eflags");
	if (r->eflags & RFLAGS_IF)
		check_fail("IF = 1");
	if (r->eflags & EFLAGS_VM)
		check_fail("VM = 1");
	check_info("EFLAGS 0x%x", r->eflags);
	check_end();

	check_begin("cpu.cs");
	if ((why = e32_lookup(&e32, r->cs, &d))) {
		check_fail("cs=0x%x: %s (GDT 0x%x+0x%x)", r->cs, why,
			   e32_gdtr_base(&e32), e32_gdtr_limit(&e32));
	} else {
		p = desc_check_code32(d);
		if (p)
			check_fail("cs=0x%x desc 0x%016lx: %s", r->cs, d,
				   desc_problems(p, text, sizeof(text)));
		check_info("cs=0x%x desc 0x%016lx", r->cs, d);
	}
	check_end();

	check_begin("cpu.data-segments");
	{
		static const char *const names[] = { "ds", "es", "ss" };
		const uint32_t sels[] = { r->ds, r->es, r->ss };

		e32_data_segments(&e32, names, sels, 3, 0);
	}
	check_end();

	/* Multiboot wants FS and GS flat too (unlike PVH): no null. */
	check_begin("cpu.fs-gs");
	{
		static const char *const names[] = { "fs", "gs" };
		const uint32_t sels[] = { r->fs, r->gs };

		e32_data_segments(&e32, names, sels, 2, 0);
	}
	check_end();

	check_a20();
}

void mbc_check_pvhfw(void)
{
	if (!mbc.cmdline || !cl_has_word(mbc.cmdline, "check.pvhfw=1")) {
		con_printf("%s: pvhfw: skipped (check.pvhfw=1 checks the CPU "
			   "state pvhfw resets)\n",
			   rt_name);
		return;
	}
	e32_check_pvhfw_reset(&e32);
}
