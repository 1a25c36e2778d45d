// SPDX-License-Identifier: MIT
/*
 * main.c: the demo payload of `make run`. It greets, prints what pvhfw
 * handed it (command line, memory map, RSDP, modules, CR0/CR4/MXCSR), prints
 * "demo: done" and leaves QEMU with isa-debug-exit 0x10 (status 33).
 */
#include "bootabi.h"
#include "cpu.h"
#include "rt.h"

const char rt_name[] = "demo";
const char rt_trap_marker[] = "DEMO FAIL (trap)";

static void show_memmap(const struct si_v1 *si)
{
	uint64_t ram = 0;

	con_printf("demo: memory map, %u entries:\n", si->memmap_entries);
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		struct si_memmap e;

		phys_copy(&e, si->memmap_paddr + i * sizeof(e), sizeof(e));
		con_printf("demo:   0x%016lx-0x%016lx %s\n", e.addr,
			   e.addr + e.size - 1, mem_type_name(e.type));
		if (e.type == MEM_RAM)
			ram += e.size;
	}
	con_printf("demo: RAM: %lu MiB\n", ram >> 20);
}

static void show_modules(const struct si_v1 *si)
{
	con_printf("demo: modules: %u\n", si->nr_modules);
	for (uint32_t i = 0; si->modlist_paddr && i < si->nr_modules; i++) {
		struct si_mod m;

		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		con_printf("demo:   %u: 0x%lx, %lu bytes, cmdline \"%s\"\n", i,
			   m.paddr, m.size,
			   m.cmdline_paddr
				   ? (const char *)(uintptr_t)m.cmdline_paddr
				   : "");
	}
}

void payload_main(void)
{
	struct si_v1 si;

	con_printf("\nHello from the pvhfw demo payload!\n\n");
	if (!entry_regs.rdi || phys_rd32(entry_regs.rdi) != SI_MAGIC) {
		con_printf("demo: no start_info at RDI 0x%lx\n",
			   entry_regs.rdi);
		rt_exit(RT_EXIT_FAIL);
	}
	phys_copy(&si, entry_regs.rdi, sizeof(si));

	con_printf("demo: start_info at 0x%lx, boot_params at 0x%lx\n",
		   entry_regs.rdi, entry_regs.rsi);
	con_printf("demo: command line: \"%s\"\n",
		   si.cmdline_paddr ? (const char *)(uintptr_t)si.cmdline_paddr
				    : "");
	if (si.version >= 1)
		show_memmap(&si);
	if (si.rsdp_paddr)
		con_printf("demo: ACPI RSDP: 0x%lx, revision %u\n",
			   si.rsdp_paddr,
			   phys_rd8(si.rsdp_paddr + RSDP_REVISION));
	else
		con_printf("demo: ACPI RSDP: none\n");
	show_modules(&si);
	con_printf("demo: CR0 0x%lx CR4 0x%lx MXCSR ", entry_regs.cr0,
		   entry_regs.cr4);
	if (entry_regs.have & ER_HAVE_MXCSR)
		con_printf("0x%04lx\n", entry_regs.mxcsr);
	else
		con_printf("unreadable\n");
	con_printf("demo: done\n");
	rt_exit(RT_EXIT_PASS);
}
