// SPDX-License-Identifier: MIT
/*
 * platform_pvh.c: the PVH way in. Reads the hvm_start_info the VMM left at
 * %ebx, validates it and copies what it describes (memory map, command
 * line, modules and their strings) into firmware memory before anything
 * else is written.
 */
#include <string.h>

#include "../lib/fmt.h"
#include "fw.h"

static struct pvh_info pvh;

void platform_collect(struct boot_info *bi, uint64_t start_info)
{
	enum pvh_err err = pvh_parse(&phys, start_info, &pvh);
	if (err)
		fw_fatal("pvh", "%s (start_info at 0x%llx)", pvh_strerror(err),
			 (unsigned long long)start_info);
	bi->entry = "pvh";
	memcpy(bi->cmdline, pvh.cmdline, sizeof(bi->cmdline));
	bi->rsdp_hint = pvh.rsdp_paddr;
	bi->nmods = pvh.nr_modules;
	for (uint32_t i = 0; i < pvh.nr_modules; i++) {
		bi->mod[i].paddr = pvh.mod[i].paddr;
		bi->mod[i].size = pvh.mod[i].size;
		bi->mod[i].name = pvh.mod[i].cmdline;
	}
	fmt_snprintf(bi->found, sizeof(bi->found),
		     "start_info v%u at 0x%llx: %u module(s), %u memory map "
		     "entries, command line %zu bytes",
		     pvh.version, (unsigned long long)start_info, pvh.nr_modules,
		 pvh.memmap.n, strlen(pvh.cmdline));
	/* An empty map is refused by the memmap stage, after fw.panic= is
	 * known: PVH version 0 has none, version 1 may say 0 entries. */
	bi->memmap = pvh.memmap;
}
