// SPDX-License-Identifier: MIT
/*
 * platform_pvh.c: the PVH way in. Reads the hvm_start_info the VMM left at
 * %ebx, validates it and copies what it describes (memory map, command
 * line, modules and their strings) into firmware memory before anything
 * else is written.
 */
#include <string.h>

#include "../acpi/acpi.h"
#include "../lib/fmt.h"
#include "console.h"
#include "cpu_defs.h"
#include "fw.h"

/*
 * Buffers every path writes before it reads them (pvh_parse sets each field
 * it later reads, whatever it returns) stay out of the bss that
 * entry_pvh.asm clears (fw.ld puts .noinit after it): 53 KB fewer to clear,
 * a loop turn per 8 bytes under an emulator.
 */
#define NOINIT __attribute__((section(".noinit")))

static struct pvh_info pvh NOINIT;
static uint64_t pvh_at; /* start_info's address */
static char early[PVH_CMDLINE_MAX] NOINIT;
static char scratch[PVH_CMDLINE_MAX] NOINIT;

/*
 * When start_info cannot be taken as a whole, still honour fw.panic=,
 * fw.console= and fw.loglevel= in the first bytes of the command line, so
 * that the stop is the one asked for (a test sees it at once instead of
 * timing out); the other words wait for a start_info that parses. Bytes in
 * the firmware's memory fw are never read: a line that starts there is
 * not read at all, one that runs into it is cut there.
 */
static void early_options(uint64_t start_info, const struct pvh_range *fw)
{
	uint64_t at = 0;
	size_t n = 0;
	if (!view_u64(&phys, start_info + 0x18, &at) || !at ||
	    (at >= fw->start && at < fw->end))
		return;
	uint64_t room = at < fw->start ? fw->start - at : UINT64_MAX;
	uint8_t c;
	while (n + 1 < sizeof(early) && n < room &&
	       view_u8(&phys, at + n, &c) && c)
		early[n++] = (char)c;
	bool whole = n < room && view_u8(&phys, at + n, &c) && c == 0;
	early[n] = '\0';
	/* A line cut short may end in half a word: drop it. */
	while (!whole && n && early[n - 1] != ' ' && early[n - 1] != '\t' &&
	       early[n - 1] != '\n')
		early[--n] = '\0';
	options_early(early, scratch, sizeof(scratch));
}

/* "<what> (0x...-0x...)" or, for a string, "<what> at 0x...", then
 * "overlaps the firmware (0x...-0x...)". */
static __attribute__((noreturn)) void overlap(const char *what,
					      const struct pvh_range *fw)
{
	unsigned long long at = pvh.bad.start, end = pvh.bad.end,
			   lo = fw->start, hi = fw->end;
	if (end == at)
		fw_fatal("pvh",
			 "%s at 0x%llx overlaps the firmware (0x%llx-0x%llx)",
			 what, at, lo, hi);
	fw_fatal("pvh",
		 "%s (0x%llx-0x%llx) overlaps the firmware (0x%llx-0x%llx)",
		 what, at, end, lo, hi);
}

static __attribute__((noreturn)) void
refuse(enum pvh_err err, uint64_t start_info, const struct pvh_range *fw)
{
	/* No words from a start_info that is not there or lies in the
	 * firmware's memory (cleared or written by now), nor from a command
	 * line outside memory. */
	if (err != PVH_E_RANGE && err != PVH_E_MAGIC &&
	    err != PVH_E_CMDLINE_RANGE && err != PVH_E_START_INFO_OVERLAP)
		early_options(start_info, fw);
	static char mod[24];
	switch (err) {
	case PVH_E_START_INFO_OVERLAP:
		pvh.bad.end = pvh.bad.start; /* "at": where EBX points */
		overlap("start_info", fw);
	case PVH_E_MEMMAP_OVERLAP:
		overlap("memory map table", fw);
	case PVH_E_CMDLINE_OVERLAP:
		overlap("command line", fw);
	case PVH_E_MODLIST_OVERLAP:
		overlap("module list", fw);
	case PVH_E_MODULE_OVERLAP:
		fmt_snprintf(mod, sizeof(mod), "module %u", pvh.bad_module);
		overlap(mod, fw);
	case PVH_E_MODCMD_OVERLAP:
		fmt_snprintf(mod, sizeof(mod), "module %u's string",
			     pvh.bad_module);
		overlap(mod, fw);
	default:
		fw_fatal("pvh", "%s (start_info at 0x%llx)", pvh_strerror(err),
			 (unsigned long long)start_info);
	}
}

void platform_collect(struct boot_info *bi, uint64_t start_info)
{
	/* Nothing the VMM hands in may lie in the firmware's memory: by now
	 * the entry has cleared the bss and written the boot page tables
	 * there, and the copy below writes .noinit. */
	struct pvh_range fw;
	cpu_fw_range(&fw.start, &fw.end);
	enum pvh_err err = pvh_parse(&phys, start_info, &fw, &pvh);
	if (err)
		refuse(err, start_info, &fw);
	bi->origin = "module 0";
	memcpy(bi->cmdline, pvh.cmdline, strlen(pvh.cmdline) + 1);
	bi->rsdp_hint = pvh.rsdp_paddr;
	/* An RSDP in our memory would be read from what the firmware wrote
	 * there, and handed on at an address the payload may reuse. */
	uint64_t h = pvh.rsdp_paddr;
	if (h && h < fw.end &&
	    (h >= fw.start || fw.start - h < ACPI_RSDP_V2_LEN)) {
		bi->rsdp_hint_in_fw.start = fw.start;
		bi->rsdp_hint_in_fw.end = fw.end;
	}
	bi->nmods = pvh.nr_modules;
	for (uint32_t i = 0; i < pvh.nr_modules; i++) {
		bi->mod[i].paddr = pvh.mod[i].paddr;
		bi->mod[i].size = pvh.mod[i].size;
		bi->mod[i].name = pvh.mod[i].cmdline;
	}
	pvh_at = start_info;
	/* An empty map is refused by the memmap stage, after fw.panic= is
	 * known: PVH version 0 has none, version 1 may say 0 entries or give
	 * address 0. */
	memmap_copy(&bi->memmap, &pvh.memmap);
}

void platform_report(void)
{
	log_info("pvh",
		 "start_info v%u at 0x%llx: %u module(s), %u memory map "
		 "entries, command line %zu bytes",
		 pvh.version, (unsigned long long)pvh_at, pvh.nr_modules,
		 pvh.memmap.n, strlen(pvh.cmdline));
}

/* From fw.ld: the image runs at FW_VIRT_OFFSET + its physical address. */
extern char image_start[], image_end[];

bool platform_can_move(void)
{
	return true;
}

bool platform_maps(uint64_t end)
{
	return end <= 0x100000000ull; /* entry_pvh.asm: the first 4 GiB */
}

void platform_image(uint64_t *virt, uint64_t *phys, uint64_t *size)
{
	*virt = (uint64_t)(uintptr_t)image_start;
	*phys = *virt - FW_VIRT_OFFSET;
	*size = (uint64_t)(image_end - image_start);
}

void platform_owned(uint64_t *phys, uint64_t *size)
{
	/* The PVH note and the 32-bit entry, from 1 MiB up to the image. */
	*phys = FW_PHYS_BASE;
	*size = (uint64_t)(uintptr_t)image_start - FW_VIRT_OFFSET -
		FW_PHYS_BASE;
}

void platform_stop(void)
{
}

bool platform_mb2_efi(struct mb2_efi *efi)
{
	(void)efi;
	return false;
}
