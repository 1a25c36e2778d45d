// SPDX-License-Identifier: MIT
/*
 * main.c: abicheck, a payload that checks the plain-ELF64 hand-off of pvhfw
 * (DESIGN.md "The payload ABIs") from the inside and reports one line per
 * check, then "ABICHECK PASS" (exit 0x10) or "ABICHECK FAIL (<n> failed)"
 * (exit 0x11). README.md lists the checks and the check.* words.
 */
#include "abicheck.h"
#include "cpu.h"
#include "modhash.h"

const char rt_name[] = "abicheck";
const char rt_trap_marker[] = "ABICHECK FAIL (trap)";

struct si_handoff ab;

/* Nothing writes this before the bss check: the firmware must have zeroed it.
 */
static volatile uint8_t bss_probe[64 * 1024];

/*
 * Read start_info, the memory map and the command line without printing, so
 * that check.debugcon=1 takes effect before the first line. A bad pointer
 * traps, and the trap handler reports it.
 */
static void load_handoff(void)
{
	if (!si_read(&ab, entry_regs.rdi))
		return;
	if (ab.si.version < 1)
		ab.si.memmap_entries = 0; /* v0 has no map fields */

	if (ab.si.memmap_entries && ab.si.memmap_paddr &&
	    ab.si.memmap_entries <= MAP_MAX)
		si_load_map(&ab);

	if (ab.si.cmdline_paddr)
		si_set_cmdline(&ab,
			       (const char *)(uintptr_t)ab.si.cmdline_paddr);
}

void check_image(void)
{
	check_begin("image");
	if (entry_regs.rip != (uintptr_t)_start)
		check_fail("entered at 0x%lx, linked at 0x%lx", entry_regs.rip,
			   (uint64_t)(uintptr_t)_start);
	check_info("0x%lx-0x%lx, entry 0x%lx",
		   (uint64_t)(uintptr_t)__image_start,
		   (uint64_t)(uintptr_t)__image_end - 1, entry_regs.rip);
	check_end();
}

void check_sse(void)
{
	struct sse_result r;
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	check_begin("sse");
	if ((cr0 & (CR0_EM | CR0_TS)) || !(cr4 & CR4_OSFXSR)) {
		check_fail("not attempted: CR0.EM/TS set or CR4.OSFXSR clear");
		check_end();
		return;
	}
	sse_probe(&r); /* traps (#XM, #UD, #NM) end the run with a FAIL */
	/* QEMU's TCG does not raise #XM, so also look at the mask itself. */
	if (!(r.mxcsr_before & MXCSR_PM))
		check_fail("MXCSR.PM clear: an inexact result raises #XM");
	if (!(r.mxcsr_after & MXCSR_PE))
		check_fail("MXCSR 0x%x after an inexact division: PE not set",
			   r.mxcsr_after);
	if (!r.sum_ok)
		check_fail("1/3 + 1/3 + 1/3 != 1");
	check_info("MXCSR 0x%x -> 0x%x", r.mxcsr_before, r.mxcsr_after);
	check_end();
}

/* The check.* words abicheck acts on (README.md, "The check.* words"). */
static const struct cl_check_word known_words[] = {
	{ "check.rsdp=0", NULL },
	{ "check.modules=", NULL },
	{ "check.high=1", NULL },
	{ "check.debugcon=1", NULL },
	{ "check.pvhfw=1", NULL },
	{ "check.vmm-ram=", "check.pvhfw=1" }, /* read by pvhfw.ram only */
	{ "check.modhash=1", NULL },
	{ NULL, NULL },
};

/* pvhfw identity-maps all memory for a 64-bit payload (docs/abi.md). */
static const void *identity(uint64_t pa, uint64_t len)
{
	(void)len;
	return (const void *)(uintptr_t)pa;
}

void payload_main(void)
{
	size_t nonzero, first;

	bss_scan(bss_probe, sizeof(bss_probe), &nonzero, &first);
	load_handoff();
	/* The modules' digests first, before anything else runs. */
	if (ab.cmdline && cl_has_word(ab.cmdline, "check.modhash=1"))
		si_modhash_take(&ab, identity);
	if (ab.cmdline && cl_has_word(ab.cmdline, "check.debugcon=1"))
		console_debugcon(1);

	con_printf("abicheck: start (linked at 0x%lx)\n",
		   (uint64_t)(uintptr_t)__image_start);
	check_words(ab.cmdline, known_words);
	check_image();
	check_cpu();
	check_start_info();
	check_bss(nonzero, first, sizeof(bss_probe));
	check_cmdline();
	check_rsdp();
	check_modules();
	check_modhash();
	check_boot_params();
	check_identity_map();
	check_sse();
	check_pvhfw();

	if (checks_failed()) {
		con_printf("ABICHECK FAIL (%d failed)\n", checks_failed());
		rt_exit(RT_EXIT_FAIL);
	}
	con_printf("ABICHECK PASS\n");
	rt_exit(RT_EXIT_PASS);
}
