// SPDX-License-Identifier: MIT
/*
 * payload.c: find the payload (module 0), tell what it is, and turn its
 * headers into a load plan: which bytes of the file go where, and where to
 * enter. Every problem is one `fw: payload:` or `fw: elf:` line and a stop.
 */
#include <string.h>

#include "../linux/linux.h"
#include "fw.h"

void payload_select(const struct boot_info *bi, struct payload *p)
{
	memset(p, 0, sizeof(*p));
	if (bi->nmods == 0)
		fw_fatal("payload", "no payload: pass it as module 0 (QEMU "
				    "-initrd, Cloud Hypervisor --initramfs)");
	const struct boot_module *m = &bi->mod[0];
	if (m->size == 0)
		fw_fatal("payload", "module 0 is empty");
	if (!view_has(&phys, m->paddr, m->size))
		fw_fatal("payload", "module 0 (0x%llx, %llu bytes) is outside "
				    "the memory the firmware can reach",
			 (unsigned long long)m->paddr,
			 (unsigned long long)m->size);
	if (!memmap_is_ram(&bi->memmap, m->paddr, m->size))
		log_warn("payload", "module 0 is not in RAM of the memory map");
	p->file = m->paddr;
	p->file_size = m->size;
	p->first_module = 1;
}

static bool is_bzimage(const struct view *f)
{
	uint16_t flag;
	uint32_t magic;
	return view_u16(f, LINUX_BP_BOOT_FLAG, &flag) &&
	       flag == LINUX_BOOT_FLAG && view_u32(f, LINUX_BP_HEADER, &magic) &&
	       magic == LINUX_HDRS_MAGIC;
}

void payload_plan(struct payload *p)
{
	struct view f = view_make(phys_ptr(p->file), p->file_size);
	if (is_bzimage(&f))
		fw_fatal("payload", "Linux bzImage payloads are not supported "
				    "yet");
	if (!elf_is_elf(&f))
		fw_fatal("payload", "module 0 is not a payload this firmware "
				    "can boot (not an ELF file)");
	enum elf_err err = elf_parse(&f, &p->elf);
	if (err)
		fw_fatal("elf", "%s", elf_strerror(err));
	if (p->elf.pvh)
		fw_fatal("payload", "PVH payloads are not supported yet");
	if (p->elf.cls == 32)
		fw_fatal("payload", "32-bit ELF without a PVH note: no protocol "
				    "to enter it with");
	if (p->elf.machine != ELF_EM_X86_64)
		fw_fatal("payload", "64-bit ELF for a machine other than "
				    "x86-64");
	p->kind = "elf64";
	p->entry = p->elf.entry;
	bool inside = false;
	for (uint32_t i = 0; i < p->elf.nload; i++) {
		const struct elf_load *s = &p->elf.load[i];
		if (p->entry >= s->paddr && p->entry < s->paddr + s->memsz &&
		    (s->flags & ELF_PF_X))
			inside = true;
	}
	if (!inside)
		fw_fatal("payload", "entry point 0x%llx is not inside an "
				    "executable segment",
			 (unsigned long long)p->entry);
	log_info("payload", "module 0: %llu bytes, %s, %u segment(s) at "
			    "0x%llx-0x%llx, entry 0x%llx",
		 (unsigned long long)p->file_size, p->kind, p->elf.nload,
		 (unsigned long long)p->elf.paddr_lo,
		 (unsigned long long)p->elf.paddr_hi,
		 (unsigned long long)p->entry);
}
