// SPDX-License-Identifier: MIT
/*
 * main.c: pvhcheck, a payload that checks a Xen PVH hand-off (BOOT-ABIS.md
 * 1.3-1.6) from the inside: entered in 32-bit protected mode by the note of
 * note.asm, it records the entry state (entry32.asm), moves to long mode and
 * reports one line per check, then "PVHCHECK PASS" (exit 0x10) or
 * "PVHCHECK FAIL (<n> failed)" (exit 0x11). README.md lists the checks.
 */
#include "cpu.h"
#include "modhash.h"
#include "pvhcheck.h"

const char rt_name[] = "pvhcheck";
const char rt_trap_marker[] = "PVHCHECK FAIL (trap)";

struct si_handoff pc;

/* Nothing writes this before the bss check: the loader must have zeroed it.
 */
static volatile uint8_t bss_probe[256 * 1024];

/*
 * Read start_info, the memory map and the command line without printing, so
 * that check.debugcon=1 takes effect before the first line. A bad pointer
 * below 4 GiB traps, and the trap handler reports it.
 */
static void load_handoff(void)
{
	const struct si_v1 *si = &pc.si;

	if (!si_read(&pc, pvh_regs.ebx))
		return;
	if (pc.si.version < 1) { /* v0 has no map fields */
		pc.si.memmap_paddr = 0;
		pc.si.memmap_entries = 0;
		pc.si.reserved = 0;
	}

	if (si->memmap_entries && si->memmap_paddr &&
	    si->memmap_entries <= MAP_MAX &&
	    phys_ptr(si->memmap_paddr,
		     si->memmap_entries * sizeof(struct si_memmap)))
		si_load_map(&pc);

	if (si->cmdline_paddr)
		si_set_cmdline(&pc, phys_ptr(si->cmdline_paddr, CMDLINE_MAX));
}

void check_image(void)
{
	check_begin("image");
	if (pvh_regs.eip != (uintptr_t)pvh_start32)
		check_fail("entered at 0x%x, note says 0x%lx", pvh_regs.eip,
			   (uint64_t)(uintptr_t)pvh_start32);
	check_info("0x%lx-0x%lx, entry 0x%x",
		   (uint64_t)(uintptr_t)__image_start,
		   (uint64_t)(uintptr_t)__image_end - 1, pvh_regs.eip);
	check_end();
}

/* The check.* words pvhcheck acts on (README.md, after its checks). */
static const struct cl_check_word known_words[] = {
	{ "check.rsdp=0", NULL },
	{ "check.modules=", NULL },
	{ "check.debugcon=1", NULL },
	{ "check.pvhfw=1", NULL },
	{ "check.vmm-ram=", "check.pvhfw=1" }, /* read by pvhfw.ram only */
	{ "check.tr=1", NULL },
	{ "check.modhash=1", NULL },
	{ NULL, NULL },
};

void payload_main(void)
{
	size_t nonzero, first;

	bss_scan(bss_probe, sizeof(bss_probe), &nonzero, &first);
	load_handoff();
	/* The modules' digests first, before anything else runs. */
	if (pc.cmdline && cl_has_word(pc.cmdline, "check.modhash=1"))
		si_modhash_take(&pc, phys_ptr);
	if (pc.cmdline && cl_has_word(pc.cmdline, "check.debugcon=1"))
		console_debugcon(1);

	con_printf("%s: start (linked at 0x%lx, %s)\n", rt_name,
		   (uint64_t)(uintptr_t)__image_start, pvhcheck_variant);
	check_words(pc.cmdline, known_words);
	check_image();
	check_cpu();
	check_start_info();
	check_bss(nonzero, first, sizeof(bss_probe));
	check_cmdline();
	check_rsdp();
	check_modules();
	check_modhash();
	check_pvhfw();

	if (checks_failed()) {
		con_printf("PVHCHECK FAIL (%d failed)\n", checks_failed());
		rt_exit(RT_EXIT_FAIL);
	}
	con_printf("PVHCHECK PASS\n");
	rt_exit(RT_EXIT_PASS);
}
