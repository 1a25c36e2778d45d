// SPDX-License-Identifier: MIT
/*
 * main.c: the firmware's pipeline, top to bottom. The way in (entry
 * assembly plus platform_collect) is the only code that knows how we were
 * started; everything after works on struct boot_info.
 *
 * fw_main is the whole of it, the PVH way in. The EFI way in splits it at
 * ExitBootServices: fw_main_efi_early takes the options and identifies
 * and plans the payload while boot services still run, so that a payload
 * this firmware cannot boot is refused on the EFI console and the boot
 * manager gets control back; fw_main_efi does the rest. Both are made of
 * the same steps (inlined: the PVH boot runs no more code than before).
 */
#include "console.h"
#include "fw.h"

static struct boot_info bi;
static char payload_cmdline[BOOT_CMDLINE_MAX];
static struct payload p;
static bool identified; /* fw_main_efi_early identified the payload */

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

/* 1. Console and trap printer first: nothing before them can trap. */
INLINE void start(uint64_t tsc0)
{
	time_init(tsc0);
	console_init();
	cpu_init();
}

/* 2a. What the VMM handed in, copied; then our options. */
INLINE void collect(uint64_t start_info)
{
	platform_collect(&bi, start_info);
	options_parse(bi.cmdline, payload_cmdline, sizeof(payload_cmdline));
}

/* 2b. ACPI; whether an RSDP was found (*rsdp), and why the VMM's hint
 * was not taken (*hint_err). */
INLINE bool acpi(struct acpi_rsdp *rsdp, enum acpi_err *hint_err)
{
	uint64_t hint = bi.rsdp_hint_in_fw.end ? 0 : bi.rsdp_hint;
	bool have_rsdp = acpi_rsdp_find(&phys, hint, rsdp, hint_err) == ACPI_OK;
	if (have_rsdp) {
		bi.rsdp_addr = rsdp->addr;
		bi.rsdp_len = rsdp->length;
	}
	power_setup(have_rsdp ? rsdp : NULL);
	bootmark(MARK_OPTIONS);
	if (fw_opt.loglevel >= LOG_INFO && !bi.announced)
		console_puts("fw: pvhfw " FW_VERSION "\n");
	platform_report();
	act_on_options();
	return have_rsdp;
}

/* 3. Memory map and ACPI. */
INLINE void memory(const struct acpi_rsdp *rsdp, enum acpi_err hint_err)
{
	if (bi.memmap.n == 0)
		fw_fatal("memmap", "the VMM gave no memory map (PVH start_info "
				   "version 0, memmap_entries = 0 or "
				   "memmap_paddr = 0)");
	enum memmap_err merr = memmap_normalise(&bi.memmap);
	if (merr)
		fw_fatal("memmap", "%s", memmap_strerror(merr));
	power_check(&bi.memmap);
	/* The handoff area, split out of a RAM entry, takes two more in the
	 * payload's map: refused now, not after the payload is loaded. */
	if (bi.memmap.n > MEMMAP_MAX - 2)
		fw_fatal("memmap",
			 "%u entries after merging, at most %u (the payload's "
			 "map needs two more)",
			 bi.memmap.n, MEMMAP_MAX - 2);
	if (bi.rsdp_hint_in_fw.end)
		log_warn("acpi",
			 "RSDP 0x%llx (PVH rsdp_paddr) ignored: it overlaps "
			 "the firmware (0x%llx-0x%llx)",
			 (unsigned long long)bi.rsdp_hint,
			 (unsigned long long)bi.rsdp_hint_in_fw.start,
			 (unsigned long long)bi.rsdp_hint_in_fw.end);
	else if (hint_err)
		log_warn("acpi",
			 "RSDP 0x%llx (PVH rsdp_paddr or EFI configuration "
			 "table) ignored: %s",
			 (unsigned long long)bi.rsdp_hint,
			 acpi_strerror(hint_err));
	if (fw_opt.loglevel >= LOG_INFO)
		report(rsdp);
}

/* 4a. The payload: find it, measure it, plan it. early (before
 * ExitBootServices): without the bootmarks, which would come before
 * MARK_OPTIONS, and without act_on_options (fw.selftest=trap needs our
 * IDT; fw_main_efi acts on the options later). */
INLINE void identify(bool early)
{
	if (!early)
		bootmark(MARK_MEMMAP);
	source_select(&bi, payload_cmdline, sizeof(payload_cmdline));
	if (!early)
		act_on_options(); /* fw. words a bundle or fw_cfg added */
	payload_select(&bi, &p);
	measure(&bi);
	if (!early)
		bootmark(MARK_PAYLOAD);
	payload_plan(&bi, &p);
	if (!early)
		bootmark(MARK_PLANNED);
}

/* 4b. Place it, load it; 5. the protocol's handoff and the jump. */
__attribute__((noreturn)) INLINE void load(const struct acpi_rsdp *rsdp)
{
	struct handoff_area h;
	load_prepare(&bi, &p, &h, payload_cmdline, rsdp);
	bootmark(MARK_PLACED);
	load_segments(&p);
	bootmark(MARK_LOADED);
	handoff(&bi, &p, &h, payload_cmdline, rsdp);
}

void fw_main(uint64_t start_info, uint64_t tsc0)
{
	struct acpi_rsdp rsdp;
	enum acpi_err hint_err;

	start(tsc0);
	collect(start_info);
	bool have_rsdp = acpi(&rsdp, &hint_err);
	memory(have_rsdp ? &rsdp : NULL, hint_err);
	identify(false);
	load(have_rsdp ? &rsdp : NULL);
}

void fw_main_efi_early(void)
{
	collect(0);
	/* fw_cfg's files are read into free RAM of the final map: after
	 * ExitBootServices (source.c). */
	uint16_t sel;
	uint32_t size;
	if (source_fwcfg_kernel(&sel, &size))
		return;
	/* The map as it is now, for payload_select's check. */
	enum memmap_err merr = memmap_normalise(&bi.memmap);
	if (merr)
		fw_fatal("memmap", "%s", memmap_strerror(merr));
	identify(true);
	identified = true;
}

void fw_main_efi(uint64_t memmap, uint64_t tsc0)
{
	struct acpi_rsdp rsdp;
	enum acpi_err hint_err;

	start(tsc0);
	memmap_copy(&bi.memmap, (const struct memmap *)(uintptr_t)memmap);
	bool have_rsdp = acpi(&rsdp, &hint_err);
	memory(have_rsdp ? &rsdp : NULL, hint_err);
	if (identified) { /* the bundle's words were read before acpi() */
		bootmark(MARK_MEMMAP);
		bootmark(MARK_PAYLOAD);
		bootmark(MARK_PLANNED);
	} else {
		identify(false);
	}
	load(have_rsdp ? &rsdp : NULL);
}
