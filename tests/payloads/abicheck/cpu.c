// SPDX-License-Identifier: MIT
/*
 * cpu.c: the CPU part of the plain-ELF64 hand-off, from the registers that
 * entry.asm captured: long mode, RFLAGS, CR0, CR4, XSAVE/XCR0, x87 control
 * word, MXCSR, stack alignment and the segment descriptors (via SGDT).
 */
#include "abicheck.h"
#include "cpu.h"

static void check_bits(const char *reg, uint64_t v, uint64_t bit,
		       const char *name, int want)
{
	if (!!(v & bit) != want)
		check_fail("%s.%s = %d, want %d", reg, name, !want, want);
}

const char *gdt_lookup(uint64_t sel, uint64_t *d)
{
	uint16_t limit;
	uint64_t base;

	__builtin_memcpy(&limit, entry_regs.gdtr, 2);
	__builtin_memcpy(&base, entry_regs.gdtr + 2, 8);
	if (sel & 4)
		return "selector points into the LDT";
	if ((sel & ~7ull) + 7 > limit)
		return "selector beyond the GDT limit";
	*d = phys_rd64(base + (sel & ~7ull));
	return NULL;
}

static void check_cs(void)
{
	uint64_t cs = entry_regs.cs, d;
	const char *why;

	check_begin("cpu.cs");
	why = gdt_lookup(cs, &d);
	if (why) {
		check_fail("cs=0x%lx: %s", cs, why);
		check_end();
		return;
	}
	if ((cs & 3) != 0)
		check_fail("cs=0x%lx: CPL %lu, want 0", cs, cs & 3);
	if (!DESC_P(d))
		check_fail("not present");
	if (!DESC_S(d) || !(DESC_TYPE(d) & DESC_TYPE_CODE))
		check_fail("not a code descriptor");
	if (!DESC_L(d))
		check_fail("L = 0 (not 64-bit code)");
	if (DESC_DB(d))
		check_fail("D = 1 with L = 1");
	if (DESC_DPL(d) != 0)
		check_fail("DPL %lu", DESC_DPL(d));
	check_info("cs=0x%lx desc 0x%016lx", cs, d);
	check_end();
}

/* A data selector: null (legal in 64-bit mode) or a flat writable segment. */
static void check_data_sel(const char *name, uint64_t sel, int is_ss)
{
	uint64_t d;
	const char *why;

	if ((sel & ~3ull) == 0) {
		check_info("%s=0x%lx null", name, sel);
		return;
	}
	why = gdt_lookup(sel, &d);
	if (why) {
		check_fail("%s=0x%lx: %s", name, sel, why);
		return;
	}
	if (!DESC_P(d) || !DESC_S(d) || (DESC_TYPE(d) & DESC_TYPE_CODE) ||
	    !(DESC_TYPE(d) & DESC_TYPE_WRITABLE))
		check_fail("%s=0x%lx: desc 0x%016lx is not a present writable "
			   "data segment",
			   name, sel, d);
	else if (DESC_BASE(d) != 0 || DESC_LIMIT(d) != 0xFFFFF || !DESC_G(d))
		check_fail("%s=0x%lx: desc 0x%016lx is not flat (base 0x%lx "
			   "limit 0x%lx G %lu)",
			   name, sel, d, DESC_BASE(d), DESC_LIMIT(d),
			   DESC_G(d));
	else if (is_ss && ((sel & 3) != 0 || DESC_DPL(d) != 0))
		check_fail("ss=0x%lx: RPL/DPL not 0", sel);
	else
		check_info("%s=0x%lx flat", name, sel);
}

void check_cpu(void)
{
	const struct entry_regs *r = &entry_regs;
	uint32_t id[4];

	check_begin("cpu.long-mode");
	check_bits("EFER", r->efer, EFER_LME, "LME", 1);
	check_bits("EFER", r->efer, EFER_LMA, "LMA", 1);
	check_info("EFER 0x%lx", r->efer);
	check_end();

	check_begin("cpu.rflags");
	check_bits("RFLAGS", r->rflags, RFLAGS_IF, "IF", 0);
	check_bits("RFLAGS", r->rflags, RFLAGS_DF, "DF", 0);
	check_info("RFLAGS 0x%lx", r->rflags);
	check_end();

	check_begin("cpu.cr0");
	check_bits("CR0", r->cr0, CR0_PE, "PE", 1);
	check_bits("CR0", r->cr0, CR0_MP, "MP", 1);
	check_bits("CR0", r->cr0, CR0_EM, "EM", 0);
	check_bits("CR0", r->cr0, CR0_TS, "TS", 0);
	check_bits("CR0", r->cr0, CR0_NE, "NE", 1);
	check_bits("CR0", r->cr0, CR0_PG, "PG", 1);
	check_info("CR0 0x%lx", r->cr0);
	check_end();

	check_begin("cpu.cr4");
	check_bits("CR4", r->cr4, CR4_PAE, "PAE", 1);
	check_bits("CR4", r->cr4, CR4_OSFXSR, "OSFXSR", 1);
	check_bits("CR4", r->cr4, CR4_OSXMMEXCPT, "OSXMMEXCPT", 1);
	check_info("CR4 0x%lx", r->cr4);
	check_end();

	check_begin("cpu.xsave");
	cpuid(1, 0, id);
	if (id[2] & CPUID1_ECX_XSAVE) {
		check_bits("CR4", r->cr4, CR4_OSXSAVE, "OSXSAVE", 1);
		if (r->have & ER_HAVE_XCR0) {
			if ((r->xcr0 & (XCR0_X87 | XCR0_SSE)) !=
			    (XCR0_X87 | XCR0_SSE))
				check_fail("XCR0 0x%lx lacks x87 or SSE",
					   r->xcr0);
			check_info("XCR0 0x%lx", r->xcr0);
		}
	} else {
		check_info("CPU has no XSAVE");
	}
	check_end();

	check_begin("cpu.fcw");
	if (!(r->have & ER_HAVE_FCW))
		check_fail("not read: CR0.EM or CR0.TS set");
	else if (r->fcw != FCW_DEFAULT)
		check_fail("FCW 0x%04lx, want 0x%04x", r->fcw, FCW_DEFAULT);
	check_end();

	check_begin("cpu.mxcsr");
	if (!(r->have & ER_HAVE_MXCSR))
		check_fail("not read: CR0.EM/TS set or CR4.OSFXSR clear");
	else if (r->mxcsr != MXCSR_DEFAULT)
		check_fail("MXCSR 0x%04lx, want 0x%04x", r->mxcsr,
			   MXCSR_DEFAULT);
	check_end();

	check_begin("cpu.rsp");
	if (r->rsp == 0)
		check_fail("RSP = 0");
	else if (r->rsp & 15)
		check_fail("RSP 0x%lx not 16-byte aligned", r->rsp);
	check_info("RSP 0x%lx", r->rsp);
	check_end();

	check_cs();

	check_begin("cpu.data-segments");
	check_data_sel("ds", r->ds, 0);
	check_data_sel("es", r->es, 0);
	check_data_sel("ss", r->ss, 1);
	check_end();
}
