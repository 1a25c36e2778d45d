// SPDX-License-Identifier: MIT
/*
 * platform_pvh.c: the PVH way in. Reads the hvm_start_info the VMM left at
 * %ebx, validates it and copies what it describes (memory map, command
 * line, modules and their strings) into firmware memory before anything
 * else is written.
 */
#include <string.h>

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
 * timing out); the other words wait for a start_info that parses.
 */
static void early_options(uint64_t start_info)
{
	uint64_t at = 0;
	size_t n = 0;
	if (!view_u64(&phys, start_info + 0x18, &at) || !at)
		return;
	uint8_t c;
	while (n + 1 < sizeof(early) && view_u8(&phys, at + n, &c) && c)
		early[n++] = (char)c;
	bool whole = view_u8(&phys, at + n, &c) && c == 0;
	early[n] = '\0';
	/* A line cut short may end in half a word: drop it. */
	while (!whole && n && early[n - 1] != ' ' && early[n - 1] != '\t' &&
	       early[n - 1] != '\n')
		early[--n] = '\0';
	options_early(early, scratch, sizeof(scratch));
}

void platform_collect(struct boot_info *bi, uint64_t start_info)
{
	enum pvh_err err = pvh_parse(&phys, start_info, &pvh);
	if (err) {
		if (err != PVH_E_RANGE && err != PVH_E_MAGIC &&
		    err != PVH_E_CMDLINE_RANGE)
			early_options(start_info);
		fw_fatal("pvh", "%s (start_info at 0x%llx)", pvh_strerror(err),
			 (unsigned long long)start_info);
	}
	bi->origin = "module 0";
	memcpy(bi->cmdline, pvh.cmdline, strlen(pvh.cmdline) + 1);
	bi->rsdp_hint = pvh.rsdp_paddr;
	bi->nmods = pvh.nr_modules;
	for (uint32_t i = 0; i < pvh.nr_modules; i++) {
		bi->mod[i].paddr = pvh.mod[i].paddr;
		bi->mod[i].size = pvh.mod[i].size;
		bi->mod[i].name = pvh.mod[i].cmdline;
	}
	pvh_at = start_info;
	/* An empty map is refused by the memmap stage, after fw.panic= is
	 * known: PVH version 0 has none, version 1 may say 0 entries. */
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
