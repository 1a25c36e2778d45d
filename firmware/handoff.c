// SPDX-License-Identifier: MIT
/*
 * handoff.c: build what the payload's protocol wants, in the handoff area,
 * and jump. The memory map handed on is the VMM's, normalised, with only the
 * handoff area marked reserved: everything else that is RAM stays RAM.
 *
 *   elf64: long mode at the ELF entry, RDI = RBX = start_info, RSI =
 *          boot_params (docs/abi.md);
 *   pvh:   32-bit protected mode, paging off, EBX = start_info, through
 *          the trampoline in cpu_asm.asm (docs/protocols.md);
 *   linux: long mode at the kernel's startup_64, RSI = boot_params built
 *          from its setup header (Linux boot protocol, 64-bit entry);
 *   multiboot1/2: the PVH state (32-bit, paging off) with EAX = the magic
 *          and EBX = the Multiboot information, whose command line starts
 *          with the word "kernel" as QEMU's starts with the file name.
 */
#include <string.h>

#include "../linux/linux.h"
#include "fw.h"

static struct memmap payload_map;
/* The payload's modules, and the boot record as one more (fw.record=on). */
static struct pvh_out_module out_mods[BOOT_MAX_MODULES + 1];
static struct mb_module mb_mods[BOOT_MAX_MODULES + 1];

#define SETUP_PVHFW_RECORD 0x70766877u /* Linux setup_data type */

static void build_mbi(const struct payload *p, const struct handoff_area *h,
		      uint32_t nmods, const struct acpi_rsdp *rsdp)
{
	char *cmd = phys_ptr(h->cmdline);
	size_t len = strlen(cmd);
	memmove(cmd + 7, cmd, len + 1);
	memcpy(cmd, "kernel ", 7);
	if (!len)
		cmd[6] = '\0';
	for (uint32_t i = 0; i < nmods; i++)
		mb_mods[i] =
			(struct mb_module){ out_mods[i].paddr, out_mods[i].size,
					    out_mods[i].cmdline };
	uint32_t bad;
	if (mb_check_modules(mb_mods, nmods, &bad))
		fw_fatal("multiboot", "module %u is not below 4 GiB", bad);
	size_t n;
	if (p->kind == PAYLOAD_MB1) {
		n = mb1_info_build(phys_ptr(h->mbi), h->mbi_size, h->mbi,
				   &payload_map, cmd, mb_mods, nmods);
	} else {
		struct mb2_extra x;
		payload_mb2_extra(p, rsdp, h, mb_mods, nmods, &x);
		n = mb2_info_build(phys_ptr(h->mbi), h->mbi_size, h->mbi,
				   &payload_map, cmd, mb_mods, nmods, &x);
	}
	if (!n)
		fw_fatal("multiboot", "information structure does not fit its "
				      "area");
}

/* nmods: the payload's own modules at the start of out_mods; the first is
 * the ramdisk. */
static void build_boot_params(const struct payload *p,
			      const struct handoff_area *h, uint32_t nmods,
			      uint64_t rsdp)
{
	uint8_t *bp = phys_ptr(h->boot_params);
	if (payload_starts_unpaged(p))
		return; /* they get start_info or Multiboot information */
	if (p->kind == PAYLOAD_LINUX) {
		struct view f = view_make(phys_ptr(p->file), p->file_size);
		bzimage_bp_init(bp, &f, &p->bz, p->seg[0].dest);
	} else {
		linux_bp_init(bp, PVH_CMDLINE_MAX - 1);
	}
	uint32_t rest = linux_bp_set_e820(bp, &payload_map);
	if (rest && h->setup_data) {
		size_t n = linux_setup_data_e820(phys_ptr(h->setup_data),
						 h->setup_data_size,
						 &payload_map, LINUX_E820_MAX);
		if (!n)
			fw_fatal("handoff", "E820 setup_data does not fit");
		linux_bp_set_setup_data(bp, h->setup_data);
		log_info("handoff",
			 "%u memory ranges: the last %u in an "
			 "E820_EXT setup_data node",
			 payload_map.n, rest);
	} else if (rest) {
		fw_fatal("handoff", "no room for %u memory map entries", rest);
	}
	if (h->record && p->kind == PAYLOAD_LINUX) {
		/* The record rides as a setup_data node, after E820_EXT. */
		uint8_t *node = phys_ptr(h->record - 16);
		put_u64(node, 0);
		put_u32(node + 8, SETUP_PVHFW_RECORD);
		put_u32(node + 12, (uint32_t)h->record_size);
		if (rest && h->setup_data)
			put_u64(phys_ptr(h->setup_data), h->record - 16);
		else
			linux_bp_set_setup_data(bp, h->record - 16);
	}
	linux_bp_set_cmdline(bp, h->cmdline);
	linux_bp_set_rsdp(bp, rsdp);
	if (nmods)
		linux_bp_set_ramdisk(bp, out_mods[0].paddr, out_mods[0].size);
}

void handoff(const struct boot_info *bi, const struct payload *p,
	     const struct handoff_area *h, const char *cmdline,
	     const struct acpi_rsdp *rsdp)
{
	uint64_t rsdp_addr = rsdp ? rsdp->addr : 0;

	memmap_copy(&payload_map, &bi->memmap);
	if (memmap_reserve(&payload_map, h->base, h->size))
		fw_fatal("handoff", "memory map too large for the payload");

	size_t len = payload_check_cmdline(p, cmdline);
	memcpy(phys_ptr(h->cmdline), cmdline, len + 1);

	uint32_t n = 0;
	for (uint32_t i = p->first_module; i < bi->nmods; i++, n++) {
		out_mods[n].paddr = bi->mod[i].paddr;
		out_mods[n].size = bi->mod[i].size;
		out_mods[n].cmdline = bi->mod[i].name;
	}
	/* Only these can be a ramdisk, never the record appended below. */
	uint32_t nreal = n;
	if (h->record) {
		uint64_t sz =
			measure_record(bi, phys_ptr(h->record), h->record_size);
		if (!sz)
			fw_fatal("handoff",
				 "boot record does not fit its area");
		if (p->kind != PAYLOAD_LINUX) {
			out_mods[n] = (struct pvh_out_module){ h->record, sz,
							       RECORD_NAME };
			n++;
		}
		log_info("handoff", "boot record at 0x%llx (%llu bytes)",
			 (unsigned long long)(h->record),
			 (unsigned long long)sz);
	}
	if (!pvh_build(phys_ptr(h->start_info), h->start_info_size,
		       h->start_info, &payload_map, cmdline, rsdp_addr,
		       out_mods, n))
		fw_fatal("handoff", "start_info does not fit its area");
	/* Linux's PVH entry copies the map into boot_params' 128 entries
	 * through a u8 count (arch/x86/platform/pvh/enlighten.c). */
	if (p->kind == PAYLOAD_PVH && p->elf.linux_note &&
	    payload_map.n > LINUX_E820_MAX)
		log_warn("pvh",
			 "%u memory map entries, but Linux's PVH entry takes "
			 "at most %u (its bzImage takes them all)",
			 payload_map.n, LINUX_E820_MAX);
	build_boot_params(p, h, nreal, rsdp_addr);

	uint8_t *gdt = phys_ptr(h->gdt);
	cpu_write_gdt(gdt, h->gdt, gdt + CPU_GDT_SIZE);
	uint64_t gdt_desc = h->gdt + CPU_GDT_SIZE;

	log_info("handoff",
		 "%s: entry 0x%llx, start_info 0x%llx, "
		 "boot_params 0x%llx%s, %u module(s)",
		 p->name, (unsigned long long)p->entry,
		 (unsigned long long)h->start_info,
		 (unsigned long long)h->boot_params,
		 h->mbi_size ? ", multiboot info" : "", n);
	bool mb = payload_is_multiboot(p);
	if (mb)
		build_mbi(p, h, n, rsdp);
	/* brief's one line, once nothing can stop the boot any more (the
	 * Multiboot information can: a kernel's request this boot cannot
	 * meet); at info and up the stage lines say all of it. */
	if (fw_opt.loglevel == LOG_BRIEF)
		log_brief("pvhfw " FW_VERSION,
			  "%s payload from %s, entry 0x%llx, %u module(s)",
			  p->name, bi->origin, (unsigned long long)p->entry, n);
	cpu_handoff_reset();
	bootmark(MARK_JUMP);
	if (payload_starts_unpaged(p)) {
		/* The copy ends in a JMP rel32 whose operand is its last four
		 * bytes: the entry, relative to the end of the copy (32-bit
		 * arithmetic, as the CPU does it). */
		size_t sz = (size_t)(pvh_tramp_end - pvh_tramp_start);
		uint8_t *t = phys_ptr(h->trampoline);
		memcpy(t, pvh_tramp_start, sz);
		uint32_t rel =
			(uint32_t)p->entry - (uint32_t)(h->trampoline + sz);
		put_u32(t + sz - 4, rel);
		pvh_tramp_fn go = (pvh_tramp_fn)(void *)t;
		if (mb)
			go(h->mbi, gdt_desc, p->mb.eax, h->stack_top);
		else
			go(h->start_info, gdt_desc, 0, h->stack_top);
		__builtin_unreachable();
	}
	uint64_t rdi = p->kind == PAYLOAD_LINUX ? 0 : h->start_info;
	cpu_enter64(p->entry, h->stack_top, rdi, h->boot_params, gdt_desc);
}
