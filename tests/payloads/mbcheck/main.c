// SPDX-License-Identifier: MIT
/*
 * main.c: mbcheck, a payload that checks a Multiboot 1 or 2 hand-off
 * (BOOT-ABIS.md 3.2-3.6, and what Solo5's virtio target relies on, 4.2)
 * from the inside. Entered in 32-bit protected mode at the address its
 * header names (header.asm), it records the entry state (entry32.asm),
 * moves to long mode and reports one line per check, then "MBCHECK PASS"
 * (exit 0x10) or "MBCHECK FAIL (<n> failed)" (exit 0x11). README.md lists
 * the checks.
 */
#include "cpu.h"
#include "mbcheck.h"
#include "modhash.h"

const char rt_name[] = "mbcheck";
const char rt_trap_marker[] = "MBCHECK FAIL (trap)";

struct mbc mbc;

/* Nothing writes this before the bss check: the loader must have zeroed
 * it (ELF p_memsz, or the kludge's bss_end_addr). */
static volatile uint8_t bss_probe[256 * 1024];

/*
 * The check.* words mbcheck acts on (README.md, after its checks):
 * check.rsdp=0 for Multiboot 2 only, the one with ACPI tags.
 */
static const struct cl_check_word known_mb2[] = {
	{ "check.modules=", NULL },
	{ "check.debugcon=1", NULL },
	{ "check.pvhfw=1", NULL },
	{ "check.loader=", NULL },
	{ "check.rsdp=0", NULL },
	{ "check.modhash=1", NULL },
	{ NULL, NULL },
};
static const struct cl_check_word known_mb1[] = {
	{ "check.modules=", NULL },  { "check.debugcon=1", NULL },
	{ "check.pvhfw=1", NULL },   { "check.loader=", NULL },
	{ "check.modhash=1", NULL }, { NULL, NULL },
};

/* check.modhash=1: the modules as mb1_load() or mb2_load() found them (all
 * below 4 GiB, which entry32.inc identity-maps). */
static void take_module_hashes(void)
{
	static struct modhash_mod mods[MBC_MODS_MAX];
	uint32_t n = mbc.mods_read; /* mbc_check_modules says why not all */

	for (uint32_t i = 0; i < n; i++) {
		const struct mbc_mod *m = &mbc.mods[i];
		mods[i] = (struct modhash_mod){
			.paddr = m->start,
			.size = m->end > m->start ? m->end - m->start : 0,
			.bytes = (const uint8_t *)(uintptr_t)m->start,
			.name = m->str,
		};
	}
	modhash_take(mods, n, mbc.have_mods ? mbc.mods_count : 0);
}

void payload_main(void)
{
	size_t nonzero, first;

	bss_scan(bss_probe, sizeof(bss_probe), &nonzero, &first);
	/* Read everything first, without printing, so that check.debugcon=1
	 * takes effect before the first line. */
	mbc.proto = mbcheck_proto;
	if (mbc.proto == 2)
		mb2_load();
	else
		mb1_load();
	/* The modules' digests first, before anything else runs. */
	if (mbc.cmdline && cl_has_word(mbc.cmdline, "check.modhash=1"))
		take_module_hashes();
	if (mbc.cmdline && cl_has_word(mbc.cmdline, "check.debugcon=1"))
		console_debugcon(1);

	con_printf("%s: start (linked at 0x%lx, %s)\n", rt_name,
		   (uint64_t)(uintptr_t)__image_start, mbcheck_variant);
	check_words(mbc.cmdline, mbc.proto == 2 ? known_mb2 : known_mb1);
	mbc_check_image();
	mbc_check_cpu();
	if (mbc.proto == 2)
		mb2_check_info();
	else
		mb1_check_info();
	mbc_check_map("mmap");
	check_bss(nonzero, first, sizeof(bss_probe));
	mbc_check_meminfo();
	mbc_check_loader();
	mbc_check_cmdline();
	mbc_check_modules();
	check_modhash();
	mbc_check_placement();
	if (mbc.proto == 2) {
		mb2_check_rsdp();
		mb2_check_efimap();
	}
	mbc_check_pvhfw();

	if (checks_failed()) {
		con_printf("MBCHECK FAIL (%d failed)\n", checks_failed());
		rt_exit(RT_EXIT_FAIL);
	}
	con_printf("MBCHECK PASS\n");
	rt_exit(RT_EXIT_PASS);
}
