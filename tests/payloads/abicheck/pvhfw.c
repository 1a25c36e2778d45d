// SPDX-License-Identifier: MIT
/*
 * pvhfw.c: the promises docs/abi.md makes beyond the DESIGN.md ABI, checked
 * as "pvhfw.*" lines: zeroed registers, exact RFLAGS/CR0/CR4/XCR0/EFER, the
 * GDT layout (its TSS too) and selectors, no IDT, a normalised memory map
 * in which only the handoff area is reserved (compared with the VMM's RAM
 * given by check.vmm-ram=), the handoff area and what it holds (page
 * tables included), the module list, the rest of boot_params, the extent
 * and page size of the identity map, the state the firmware resets beyond
 * them (LDTR, debug registers, CR2, CR8, PAT, the SYSCALL/SYSENTER MSRs,
 * the x87, XMM and YMM registers) and, last since it changes TR, that an
 * LTR 0x20 loads the TSS. A payload must not rely on these unless it
 * targets pvhfw. They run only when the command line has the word
 * check.pvhfw=1; the start_info ones are common/handoff.c's, shared with
 * pvhcheck.
 */
#include "../pvhcheck/desc.h"
#include "abicheck.h"
#include "cpu.h"

#define FOUR_GiB (4 * GiB)
#define PT_PAGES_MAX 4096 /* bound on the page-table walk */

/* boot_params fields docs/abi.md fills beyond those in bootparams.c. */
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_SENTINEL 0x1ef
#define BP_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_CMDLINE_SIZE 0x238

static uint64_t rd_phys(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_rd64(pa);
}

static void check_regs(void)
{
	static const char *const hi[] = { "r8",	 "r9",	"r10", "r11",
					  "r12", "r13", "r14", "r15" };
	const struct entry_regs *r = &entry_regs;
	uint64_t allowed, extra, want;
	uint32_t id[4];

	check_begin("pvhfw.gprs");
	if (r->rax)
		check_fail("rax 0x%lx", r->rax);
	if (r->rcx)
		check_fail("rcx 0x%lx", r->rcx);
	if (r->rdx)
		check_fail("rdx 0x%lx", r->rdx);
	if (r->rbp)
		check_fail("rbp 0x%lx", r->rbp);
	for (int i = 0; i < 8; i++)
		if (r->r8_15[i])
			check_fail("%s 0x%lx", hi[i], r->r8_15[i]);
	check_end();

	check_begin("pvhfw.rflags");
	if (r->rflags != 0x2)
		check_fail("RFLAGS 0x%lx, want 0x2", r->rflags);
	check_end();

	/* ET aside, which x86-64 CPUs hard-wire to 1. */
	check_begin("pvhfw.cr0");
	want = CR0_PE | CR0_MP | CR0_NE | CR0_PG;
	if ((r->cr0 & ~CR0_ET) != want)
		check_fail("CR0 0x%lx, want 0x%lx (PE, MP, NE, PG; ET as the "
			   "CPU has it)",
			   r->cr0, want);
	check_end();

	cpuid(1, 0, id);
	check_begin("pvhfw.cr4");
	allowed = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (id[2] & CPUID1_ECX_XSAVE)
		allowed |= CR4_OSXSAVE;
	extra = r->cr4 & ~allowed;
	if (extra)
		check_fail("CR4 0x%lx: unexpected bits 0x%lx", r->cr4, extra);
	check_end();

	check_begin("pvhfw.xcr0");
	if (!(r->have & ER_HAVE_XCR0)) {
		check_info("no XSAVE");
	} else {
		uint64_t want = XCR0_X87 | XCR0_SSE;
		if (id[2] & CPUID1_ECX_AVX)
			want |= XCR0_AVX;
		if (r->xcr0 != want)
			check_fail("XCR0 0x%lx, want 0x%lx", r->xcr0, want);
	}
	check_end();

	check_begin("pvhfw.efer");
	if (r->efer != (EFER_LME | EFER_LMA))
		check_fail("EFER 0x%lx, want 0x%lx (LME, LMA)", r->efer,
			   (uint64_t)(EFER_LME | EFER_LMA));
	check_end();
}

static void expect_desc(uint64_t sel, int code, int l, int db)
{
	uint64_t d;
	const char *why = gdt_lookup(sel, &d);

	if (why) {
		check_fail("GDT 0x%lx: %s", sel, why);
		return;
	}
	if (!DESC_P(d) || !DESC_S(d) ||
	    !!(DESC_TYPE(d) & DESC_TYPE_CODE) != code ||
	    (!code && !(DESC_TYPE(d) & DESC_TYPE_WRITABLE)) ||
	    (int)DESC_L(d) != l || (int)DESC_DB(d) != db || DESC_BASE(d) != 0 ||
	    DESC_LIMIT(d) != 0xFFFFF || !DESC_G(d) || DESC_DPL(d) != 0)
		check_fail("GDT 0x%lx: 0x%016lx is not a flat %s", sel, d,
			   !code ? "data segment"
			   : l	 ? "64-bit code segment"
				 : "32-bit code segment");
}

static void check_gdt(void)
{
	const struct entry_regs *r = &entry_regs;
	const struct sel_want segs[] = {
		{ "cs", r->cs, PVHFW_SEL_CODE64 },
		{ "ds", r->ds, PVHFW_SEL_DATA },
		{ "es", r->es, PVHFW_SEL_DATA },
		{ "ss", r->ss, PVHFW_SEL_DATA },
		{ "fs", r->fs, PVHFW_SEL_DATA },
		{ "gs", r->gs, PVHFW_SEL_DATA },
	};
	uint16_t gdt_limit;
	uint64_t d;
	unsigned p;
	const char *why;
	char text[160];

	check_begin("pvhfw.segments");
	__builtin_memcpy(&gdt_limit, r->gdtr, 2);
	expect_pvhfw_selectors(segs, sizeof(segs) / sizeof(segs[0]), gdt_limit,
			       r->idtr);
	expect_desc(PVHFW_SEL_CODE32, 1, 0, 1);
	expect_desc(PVHFW_SEL_CODE64, 1, 1, 0);
	expect_desc(PVHFW_SEL_DATA, 0, 0, 1);
	/* TR is not loaded on this path: the TSS is still available. */
	if ((why = gdt_lookup(PVHFW_SEL_TSS, &d)))
		check_fail("GDT 0x%x: %s", PVHFW_SEL_TSS, why);
	else if ((p = desc_check_pvhfw_tss(d, 0)))
		check_fail("GDT 0x%x: 0x%016lx: %s", PVHFW_SEL_TSS, d,
			   desc_problems(p, text, sizeof(text)));
	check_end();
}

/* pvhfw.handoff: each page-table page in the handoff area. */
static void pt_page_in_area(void *ctx, uint64_t pa, const char *level)
{
	char what[32];

	(void)ctx;
	fmt_snprintf(what, sizeof(what), "%s page", level);
	si_expect_in_area(&ab, what, pa, pa + 4096);
}

/* Everything pvhfw must keep for the payload is in its handoff area. */
static void check_handoff_area(void)
{
	uint64_t gdt_base;
	uint16_t gdt_limit;
	long pages;

	check_begin("pvhfw.handoff");
	if (!si_need_map(&ab, "RDI")) {
		check_end();
		return;
	}
	si_expect_pvhfw_tables(&ab);
	if (!ab.area_ok) {
		check_end();
		return;
	}
	__builtin_memcpy(&gdt_limit, entry_regs.gdtr, 2);
	__builtin_memcpy(&gdt_base, entry_regs.gdtr + 2, 8);
	if (entry_regs.rsi)
		si_expect_in_area(&ab, "boot_params", entry_regs.rsi,
				  entry_regs.rsi + BP_SIZE);
	if (entry_regs.rsp >= STACK_MIN)
		si_expect_in_area(&ab, "stack", entry_regs.rsp - STACK_MIN,
				  entry_regs.rsp);
	if (entry_regs.rsi && ab.map_n > BP_E820_MAX) {
		uint64_t sd = bp_setup_node(entry_regs.rsi, SETUP_E820_EXT);
		if (sd)
			si_expect_in_area(&ab, "E820_EXT setup_data", sd,
					  sd + SETUP_HDR_SIZE +
						  (ab.map_n - BP_E820_MAX) *
							  BP_E820_ENTRY_SIZE);
	}
	si_expect_in_area(&ab, "GDT", gdt_base,
			  gdt_base + (uint64_t)gdt_limit + 1);
	pages = pt_tables(rd_phys, NULL, entry_regs.cr3,
			  (entry_regs.cr4 & CR4_LA57) != 0, pt_page_in_area,
			  PT_PAGES_MAX);
	if (pages < 0)
		check_fail("more than %d page-table pages", PT_PAGES_MAX);
	else
		check_info("%ld page-table pages", pages);
	check_end();
}

static void check_bp_rest(void)
{
	/* Bytes docs/abi.md fills; all others must be zero. */
	static const struct {
		uint16_t off, len;
	} used[] = {
		{ BP_ACPI_RSDP_ADDR, 8 },   { BP_EXT_RAMDISK_IMAGE, 4 },
		{ BP_EXT_RAMDISK_SIZE, 4 }, { BP_EXT_CMD_LINE_PTR, 4 },
		{ BP_E820_ENTRIES, 1 },	    { BP_BOOT_FLAG, 2 },
		{ BP_HEADER, 4 },	    { BP_VERSION, 2 },
		{ BP_TYPE_OF_LOADER, 1 },   { BP_RAMDISK_IMAGE, 4 },
		{ BP_RAMDISK_SIZE, 4 },	    { BP_CMD_LINE_PTR, 4 },
		{ BP_KERNEL_ALIGNMENT, 4 }, { BP_CMDLINE_SIZE, 4 },
		{ BP_SETUP_DATA, 8 }, /* E820_EXT: boot_params.e820 checks */
	};
	uint64_t bp = entry_regs.rsi, rd_addr, rd_size, want_addr = 0,
		 want_size = 0;
	unsigned n_e820;

	check_begin("pvhfw.boot_params");
	if (!bp) {
		check_fail("no boot_params (RSI = 0)");
		check_end();
		return;
	}
	if (phys_rd16(bp + BP_VERSION) != 0x020C)
		check_fail("version 0x%x, want 0x20c",
			   phys_rd16(bp + BP_VERSION));
	if (phys_rd8(bp + BP_TYPE_OF_LOADER) != 0xFF)
		check_fail("type_of_loader 0x%x, want 0xff",
			   phys_rd8(bp + BP_TYPE_OF_LOADER));
	if (phys_rd32(bp + BP_KERNEL_ALIGNMENT) != 16 * MiB)
		check_fail("kernel_alignment 0x%x, want 16 MiB",
			   phys_rd32(bp + BP_KERNEL_ALIGNMENT));
	if (phys_rd32(bp + BP_CMDLINE_SIZE) != 8191)
		check_fail("cmdline_size %u, want 8191",
			   phys_rd32(bp + BP_CMDLINE_SIZE));

	rd_addr = phys_rd32(bp + BP_RAMDISK_IMAGE) |
		  (uint64_t)phys_rd32(bp + BP_EXT_RAMDISK_IMAGE) << 32;
	rd_size = phys_rd32(bp + BP_RAMDISK_SIZE) |
		  (uint64_t)phys_rd32(bp + BP_EXT_RAMDISK_SIZE) << 32;
	if (ab.si_ok && ab.si.nr_modules && ab.si.modlist_paddr) {
		struct si_mod m;
		phys_copy(&m, ab.si.modlist_paddr, sizeof(m));
		/* The boot record (fw.record=on, the last module) is never
		 * the ramdisk: with no module before it there is none. */
		if (!si_mod_is_record(&m)) {
			want_addr = m.paddr;
			want_size = m.size;
		}
	}
	if (rd_addr != want_addr || rd_size != want_size)
		check_fail("ramdisk 0x%lx+0x%lx, first module 0x%lx+0x%lx",
			   rd_addr, rd_size, want_addr, want_size);

	n_e820 = phys_rd8(bp + BP_E820_ENTRIES);
	if (n_e820 > BP_E820_MAX)
		n_e820 = BP_E820_MAX;
	for (unsigned off = 0; off < BP_SIZE; off++) {
		int skip = off >= BP_E820_TABLE &&
			   off < BP_E820_TABLE + n_e820 * BP_E820_ENTRY_SIZE;
		for (size_t i = 0; !skip && i < sizeof(used) / sizeof(used[0]);
		     i++)
			skip = off >= used[i].off &&
			       off < used[i].off + used[i].len;
		if (!skip && phys_rd8(bp + off) != 0) {
			check_fail("byte 0x%x is 0x%02x, want 0", off,
				   phys_rd8(bp + off));
			break;
		}
	}
	check_end();
}

/* [0, max(4 GiB, end of RAM)) identity-mapped, in 1 GiB or 2 MiB pages. */
static void check_paging_extent(void)
{
	uint64_t top = FOUR_GiB, va = 0;
	uint64_t want_page;
	uint32_t id[4];
	struct pt_walk w;

	check_begin("pvhfw.paging");
	if (!ab.map_ok) {
		check_fail("skipped: no usable memory map");
		check_end();
		return;
	}
	if (entry_regs.cr4 & CR4_LA57)
		check_fail("5-level paging, want 4-level");
	cpuid(0x80000000, 0, id);
	want_page = 2 * MiB;
	if (id[0] >= 0x80000001) {
		cpuid(0x80000001, 0, id);
		if (id[3] & CPUID81_EDX_PAGE1GB)
			want_page = GiB;
	}
	for (size_t i = 0; i < ab.map_n; i++)
		if (ab.map[i].type == MEM_RAM && mm_end(&ab.map[i]) > top)
			top = mm_end(&ab.map[i]);
	while (va < top) {
		const char *why =
			pt_translate(rd_phys, NULL, entry_regs.cr3,
				     (entry_regs.cr4 & CR4_LA57) != 0, va, &w);
		if (why) {
			check_fail("0x%lx: %s at %s", va, why, w.level);
			break;
		}
		if (w.pa != va || !w.writable) {
			check_fail("0x%lx: maps to 0x%lx%s", va, w.pa,
				   w.writable ? "" : " read-only");
			break;
		}
		if (w.page_size != want_page) {
			check_fail("0x%lx: %lu KiB page, want %lu KiB", va,
				   w.page_size / KiB, want_page / KiB);
			break;
		}
		va = (va & ~(w.page_size - 1)) + w.page_size;
	}
	check_info("0-0x%lx in %s pages", top - 1,
		   want_page == GiB ? "1 GiB" : "2 MiB");
	check_end();
}

/* What cpu_handoff_reset() sets (docs/abi.md, "Also reset"). */
static void check_rest(void)
{
	const struct entry_regs *r = &entry_regs;
	_Static_assert(
		ER_MSR_SYSENTER_EIP - ER_MSR_STAR == PVHFW_ZMSR_SYSENTER_EIP &&
			ER_MSR_GS_BASE - ER_MSR_STAR == PVHFW_ZMSR_GS_BASE &&
			ER_MSR_COUNT - ER_MSR_STAR == PVHFW_ZMSR_COUNT,
		"rt.h's MSRs from STAR on are in PVHFW_ZMSR_* order");
	struct pvhfw_reset rs = {
		.ldtr = r->ldtr,
		.dr6 = r->dr6,
		.dr7 = r->dr7,
		.cr2 = r->cr2,
		.cr8 = r->cr8,
		.pat = r->msr[ER_MSR_PAT],
		.zero_msrs = &r->msr[ER_MSR_STAR],
		.n_zero_msrs = PVHFW_ZMSR_COUNT,
	};

	for (int i = 0; i < 4; i++)
		rs.dr0_3[i] = r->dr0_3[i];
	check_pvhfw_reset(&rs);

	check_begin("pvhfw.vector");
	if (!(r->have & ER_HAVE_MXCSR)) {
		check_fail(
			"no FXSAVE image (CR0.EM/TS set or CR4.OSFXSR clear)");
		check_end();
		return;
	}
	expect_pvhfw_fx(r->fx, 16);
	if (r->have & ER_HAVE_YMM)
		expect_pvhfw_ymm(r->xsave, sizeof(r->xsave));
	check_end();
}

/*
 * docs/abi.md: TR is not loaded on this path and "an LTR 0x20 works". In
 * long mode LTR reads a 16-byte descriptor, so selector 0x20 needs the GDT
 * limit to reach 0x2F and the upper half (0x28) to be zero (base bits
 * 63:32, and a zero type there). The LTR is done for real, after
 * trap_init: a firmware whose GDT is too short makes it #GP, and the trap
 * handler ends the run with "abicheck: TRAP vector 13 error 0x20 ...".
 * Last of the checks: it leaves TR loaded and the descriptor busy.
 */
static void check_tss_load(void)
{
	uint64_t gdt_base, lo, hi;
	uint16_t tr;

	check_begin("pvhfw.tss");
	__builtin_memcpy(&gdt_base, entry_regs.gdtr + 2, 8);
	hi = phys_rd64(gdt_base + PVHFW_SEL_TSS + 8);
	if (hi)
		check_fail("GDT 0x%x (the TSS descriptor's upper half) "
			   "0x%016lx, want 0",
			   PVHFW_SEL_TSS + 8, hi);
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)PVHFW_SEL_TSS) : "memory");
	__asm__ volatile("str %w0" : "=r"(tr));
	if (tr != PVHFW_SEL_TSS)
		check_fail("TR 0x%x after LTR 0x%x", tr, PVHFW_SEL_TSS);
	lo = phys_rd64(gdt_base + PVHFW_SEL_TSS);
	if (DESC_S(lo) || DESC_TYPE(lo) != 0xB)
		check_fail("GDT 0x%x: 0x%016lx after LTR, want busy (type 0xb)",
			   PVHFW_SEL_TSS, lo);
	else
		check_info("LTR 0x%x: TR 0x%x, type 0xb (busy)", PVHFW_SEL_TSS,
			   tr);
	check_end();
}

void check_pvhfw(void)
{
	if (!ab.cmdline || !cl_has_word(ab.cmdline, "check.pvhfw=1")) {
		con_printf("abicheck: pvhfw: skipped (check.pvhfw=1 checks "
			   "docs/abi.md's further promises)\n");
		return;
	}
	check_regs();
	check_gdt();
	si_check_pvhfw_memmap(&ab, "RDI");
	si_check_pvhfw_ram(&ab, "RDI");
	check_handoff_area();
	si_check_pvhfw_modules(&ab, "RDI");
	check_bp_rest();
	check_paging_extent();
	check_rest();
	check_tss_load();
}
