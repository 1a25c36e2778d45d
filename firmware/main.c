// SPDX-License-Identifier: MIT
/*
 * main.c: the firmware's pipeline, top to bottom. The way in (entry
 * assembly plus platform_collect) is the only code that knows how we were
 * started; everything after works on struct boot_info.
 */
#include "console.h"
#include "fw.h"

static struct boot_info bi;
static char payload_cmdline[BOOT_CMDLINE_MAX];

/* The memory map and the RSDP, at fw.loglevel=info and above: one test
 * of the level for all of it, so that a quiet boot runs none of it. */
static void report(const struct acpi_rsdp *rsdp)
{
	log_info("memmap", "%u entries, %llu MiB RAM, top of RAM 0x%llx",
		 bi.memmap.n,
		 (unsigned long long)(memmap_ram_total(&bi.memmap) >> 20),
		 (unsigned long long)memmap_ram_top(&bi.memmap));
	for (uint32_t i = 0; i < bi.memmap.n; i++)
		log_debug("memmap", "  0x%016llx-0x%016llx %s",
			  (unsigned long long)bi.memmap.e[i].addr,
			  (unsigned long long)(bi.memmap.e[i].addr +
					       bi.memmap.e[i].size),
			  memmap_type_name(bi.memmap.e[i].type));
	if (rsdp)
		log_info("acpi", "RSDP at 0x%llx, revision %u, OEM '%s'",
			 (unsigned long long)rsdp->addr, rsdp->revision,
			 rsdp->oem);
	else
		log_info("acpi", "no RSDP found; the payload gets none");
}

/* fw.help (printed once) and fw.selftest=trap, as soon as they are read. */
static void act_on_options(void)
{
	static bool helped;
	if (fw_opt.help && !helped) {
		options_help();
		helped = true;
	}
	if (fw_opt.selftest == SELFTEST_TRAP)
		(void)*(volatile uint64_t *)0x7f0000000000ull; /* unmapped */
}

void fw_main(uint64_t start_info, uint64_t tsc0);
void fw_main(uint64_t start_info, uint64_t tsc0)
{
	static struct payload p;
	struct handoff_area h;
	struct acpi_rsdp rsdp;

	/* 1. Console and trap printer first: nothing before them can trap. */
	time_init(tsc0);
	console_init();
	cpu_init();

	/* 2. What the VMM handed in, copied; then our options and ACPI. */
	platform_collect(&bi, start_info);
	options_parse(bi.cmdline, payload_cmdline, sizeof(payload_cmdline));
	enum acpi_err hint_err;
	bool have_rsdp = acpi_rsdp_find(&phys, bi.rsdp_hint, &rsdp,
					&hint_err) == ACPI_OK;
	power_setup(have_rsdp ? &rsdp : NULL);
	bootmark(MARK_OPTIONS);
	if (fw_opt.loglevel >= LOG_INFO && !bi.announced)
		console_puts("fw: pvhfw " FW_VERSION "\n");
	platform_report();
	act_on_options();

	/* 3. Memory map and ACPI. */
	if (bi.memmap.n == 0)
		fw_fatal("memmap", "the VMM gave no memory map (PVH start_info "
				   "version 0, or memmap_entries = 0)");
	enum memmap_err merr = memmap_normalise(&bi.memmap);
	if (merr)
		fw_fatal("memmap", "%s", memmap_strerror(merr));
	if (hint_err)
		log_warn("acpi",
			 "RSDP 0x%llx (PVH rsdp_paddr or EFI configuration "
			 "table) ignored: %s",
			 (unsigned long long)bi.rsdp_hint,
			 acpi_strerror(hint_err));
	if (fw_opt.loglevel >= LOG_INFO)
		report(have_rsdp ? &rsdp : NULL);

	/* 4. The payload: find it, plan it, place it, load it. */
	bootmark(MARK_MEMMAP);
	source_select(&bi, payload_cmdline, sizeof(payload_cmdline));
	act_on_options(); /* fw. words a bundle or fw_cfg added */
	payload_select(&bi, &p);
	measure(&bi);
	bootmark(MARK_PAYLOAD);
	payload_plan(&bi, &p);
	bootmark(MARK_PLANNED);
	load_prepare(&bi, &p, &h, payload_cmdline, have_rsdp ? &rsdp : NULL);
	bootmark(MARK_PLACED);
	load_segments(&p);
	bootmark(MARK_LOADED);

	/* 5. The protocol's handoff and the jump; never returns. */
	handoff(&bi, &p, &h, payload_cmdline, have_rsdp ? &rsdp : NULL);
}
