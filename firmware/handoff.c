// SPDX-License-Identifier: MIT
/*
 * handoff.c: build what the payload's protocol wants, in the handoff area,
 * and jump. The memory map handed on is the VMM's, normalised, with only the
 * handoff area marked reserved: everything else that is RAM stays RAM.
 */
#include <string.h>

#include "../linux/linux.h"
#include "fw.h"

static struct memmap payload_map;
static struct pvh_out_module out_mods[BOOT_MAX_MODULES];

void handoff(const struct boot_info *bi, const struct payload *p,
	     const struct handoff_area *h, const char *cmdline,
	     const struct acpi_rsdp *rsdp)
{
	uint64_t rsdp_addr = rsdp ? rsdp->addr : 0;

	payload_map = bi->memmap;
	if (memmap_add(&payload_map, h->base, h->size, MEMMAP_RESERVED) ||
	    memmap_normalise(&payload_map))
		fw_fatal("handoff", "memory map too large for the payload");

	size_t len = strlen(cmdline);
	memcpy(phys_ptr(h->cmdline), cmdline, len + 1);

	uint32_t n = 0;
	for (uint32_t i = p->first_module; i < bi->nmods; i++, n++) {
		out_mods[n].paddr = bi->mod[i].paddr;
		out_mods[n].size = bi->mod[i].size;
		out_mods[n].cmdline = bi->mod[i].name;
	}
	if (!pvh_build(phys_ptr(h->start_info), h->start_info_size,
		       h->start_info, &payload_map, cmdline, rsdp_addr,
		       out_mods, n))
		fw_fatal("handoff", "start_info does not fit its area");

	uint8_t *bp = phys_ptr(h->boot_params);
	linux_bp_init(bp, PVH_CMDLINE_MAX - 1);
	if (linux_bp_set_e820(bp, &payload_map))
		log_warn("handoff", "boot_params holds only the first %u of "
				    "%u memory map entries",
			 LINUX_E820_MAX, payload_map.n);
	linux_bp_set_cmdline(bp, h->cmdline);
	linux_bp_set_rsdp(bp, rsdp_addr);
	if (n)
		linux_bp_set_ramdisk(bp, out_mods[0].paddr, out_mods[0].size);

	uint8_t *gdt = phys_ptr(h->gdt);
	cpu_write_gdt(gdt, h->gdt, gdt + 32);

	log_info("handoff", "%s: entry 0x%llx, start_info 0x%llx, "
			    "boot_params 0x%llx, stack 0x%llx, %u module(s)",
		 p->kind, (unsigned long long)p->entry,
		 (unsigned long long)h->start_info,
		 (unsigned long long)h->boot_params,
		 (unsigned long long)h->stack_top, n);
	cpu_fpu_reset();
	cpu_enter64(p->entry, h->stack_top, h->start_info, h->boot_params,
		    h->gdt + 32);
}
