// SPDX-License-Identifier: MIT
/*
 * payload.c: find the payload (module 0), tell which protocol boots it, and
 * turn its headers into a load plan: which bytes of the file go where, and
 * where to enter. Every problem is one `fw: payload:`, `fw: elf:` or
 * `fw: linux:` line and a stop.
 *
 * Detection, unless fw.protocol= says otherwise, in QEMU's order for images
 * that carry several headers (QEMU has no Multiboot 2; it comes after PVH):
 *   1. a Linux bzImage ("HdrS" setup header)            -> linux
 *   2. a Multiboot 1 header in the first 8 KiB           -> multiboot1
 *   3. an ELF with a Xen PVH note (PHYS32_ENTRY)         -> pvh
 *   4. a Multiboot 2 header in the first 32 KiB          -> multiboot2
 *   5. an ELF64 for x86-64 with none of these            -> elf64
 * A forced protocol the image cannot be booted with is an error, never a
 * silent fallback.
 */
#include <string.h>

#include "../linux/linux.h"
#include "fw.h"

const char *payload_kind_name(enum payload_kind kind)
{
	switch (kind) {
	case PAYLOAD_ELF64:
		return "elf64";
	case PAYLOAD_PVH:
		return "pvh";
	case PAYLOAD_LINUX:
		return "linux";
	case PAYLOAD_MB1:
		return "multiboot1";
	case PAYLOAD_MB2:
		return "multiboot2";
	default:
		return "auto";
	}
}

void payload_select(const struct boot_info *bi, struct payload *p)
{
	memset(p, 0, sizeof(*p));
	if (bi->nmods == 0)
		fw_fatal("payload", "no payload: pass it as module 0 (QEMU "
				    "-initrd, Cloud Hypervisor --initramfs)");
	const struct boot_module *m = &bi->mod[0];
	if (m->size == 0)
		fw_fatal("payload", "%s is empty", bi->origin);
	if (!view_has(&phys, m->paddr, m->size))
		fw_fatal("payload",
			 "%s (0x%llx, %llu bytes) is outside "
			 "the memory the firmware can reach",
			 bi->origin, (unsigned long long)m->paddr,
			 (unsigned long long)m->size);
	if (!memmap_is_ram(&bi->memmap, m->paddr, m->size))
		log_warn("payload", "%s is not in RAM of the memory map",
			 bi->origin);
	p->file = m->paddr;
	p->file_size = m->size;
	p->first_module = 1;
}

static void plan_elf(struct payload *p, bool use_pvh_entry)
{
	for (uint32_t i = 0; i < p->elf.nload; i++) {
		const struct elf_load *s = &p->elf.load[i];
		p->seg[i] = (struct load_seg){ .dest = s->paddr,
					       .src = s->offset,
					       .filesz = s->filesz,
					       .memsz = s->memsz,
					       .zero = true };
	}
	p->nseg = p->elf.nload;
	p->entry = use_pvh_entry ? p->elf.pvh_entry : p->elf.entry;
	/* In the bytes read from the file: the zero-filled rest of a
	 * segment holds no code. */
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		if (p->entry >= s->dest && p->entry - s->dest < s->filesz &&
		    (p->elf.load[i].flags & ELF_PF_X))
			return;
	}
	fw_fatal("payload",
		 "entry point 0x%llx is not inside an executable "
		 "segment's bytes from the file",
		 (unsigned long long)p->entry);
}

static struct mb1_header mb1;
static struct mb2_header mb2;

static void plan_multiboot(const char *origin, struct payload *p,
			   const struct view *f)
{
	char msg[160];
	const struct mb1_header *h1 = p->kind == PAYLOAD_MB1 ? &mb1 : NULL;
	const struct mb2_header *h2 = p->kind == PAYLOAD_MB2 ? &mb2 : NULL;
	if (mb_plan(f, h1, h2, &p->mb))
		fw_fatal("multiboot", "%s",
			 mb_describe(msg, sizeof(msg), &p->mb));
	for (uint32_t i = 0; i < p->mb.nseg; i++)
		p->seg[i] = (struct load_seg){ .dest = p->mb.seg[i].dest,
					       .src = p->mb.seg[i].offset,
					       .filesz = p->mb.seg[i].filesz,
					       .memsz = p->mb.seg[i].memsz,
					       .zero = true };
	p->nseg = p->mb.nseg;
	p->entry = p->mb.entry;
	log_info("payload",
		 "%s: %llu bytes, %s%s, %u segment(s) at "
		 "0x%llx-0x%llx, entry 0x%llx",
		 origin, (unsigned long long)p->file_size, p->name,
		 p->mb.kludge ? " (a.out kludge)" : " (ELF)", p->nseg,
		 (unsigned long long)p->mb.lo, (unsigned long long)p->mb.hi,
		 (unsigned long long)p->entry);
}

/*
 * Whether the image has a Multiboot 2 header. The 32 KiB scan runs the
 * first time the answer matters (*known < 0 until then): a PVH kernel, or
 * one of the protocols before it, is decided without it.
 */
static bool has_mb2(const struct view *f, bool bz, int *known)
{
	if (*known < 0)
		*known = !bz && mb2_find(f, &mb2);
	return *known;
}

void payload_plan(const struct boot_info *bi, struct payload *p)
{
	struct view f = view_make(phys_ptr(p->file), p->file_size);
	enum payload_kind forced = (enum payload_kind)fw_opt.protocol;
	bool bz = bzimage_is_bzimage(&f);
	bool elf = !bz && elf_is_elf(&f);
	bool has_mb1 = !bz && mb1_find(&f, &mb1);
	int mb2_known = -1;

	/* A Multiboot kernel need not be an ELF the ELF rules accept (the
	 * a.out kludge ignores its headers): parse only when it matters. */
	if (elf && !(has_mb1 && forced == PAYLOAD_AUTO)) {
		enum elf_err err = elf_parse(&f, &p->elf);
		/* A broken ELF may still be a Multiboot kernel, unless
		 * fw.protocol= asks for it as an ELF. */
		bool as_elf = forced == PAYLOAD_PVH || forced == PAYLOAD_ELF64;
		if (err &&
		    (as_elf || (!has_mb1 && !has_mb2(&f, bz, &mb2_known)))) {
			char why[96];
			fw_fatal("elf", "%s",
				 elf_describe(err, &p->elf.bad, why,
					      sizeof(why)));
		}
		if (err)
			elf = false;
	}
	if (forced == PAYLOAD_AUTO) {
		if (bz)
			p->kind = PAYLOAD_LINUX;
		else if (has_mb1)
			p->kind = PAYLOAD_MB1;
		else if (elf && p->elf.pvh)
			p->kind = PAYLOAD_PVH;
		else if (has_mb2(&f, bz, &mb2_known))
			p->kind = PAYLOAD_MB2;
		else if (!elf)
			fw_fatal("payload",
				 "%s is not a payload this firmware can "
				 "boot (not an ELF file, a bzImage or a "
				 "Multiboot kernel)",
				 bi->origin);
		else if (p->elf.cls == 32)
			fw_fatal("payload", "32-bit ELF without a PVH note: no "
					    "protocol to enter it with");
		else
			p->kind = PAYLOAD_ELF64;
	} else {
		/* fw.protocol=: the image must have what that one needs. */
		const struct {
			bool ok;
			const char *lacks;
		} can[] = {
			[PAYLOAD_LINUX] = { bz, "is not a Linux bzImage" },
			[PAYLOAD_PVH] = { elf && p->elf.pvh,
					  "has no Xen PVH note" },
			[PAYLOAD_ELF64] = { elf && p->elf.cls == 64,
					    "is not a 64-bit ELF" },
			[PAYLOAD_MB1] = { has_mb1,
					  "has no Multiboot 1 header" },
			[PAYLOAD_MB2] = { has_mb2(&f, bz, &mb2_known),
					  "has no Multiboot 2 header" },
		};
		if ((unsigned)forced >= sizeof(can) / sizeof(can[0]) ||
		    !can[forced].lacks)
			fw_fatal("payload", "fw.protocol=%s is not supported",
				 payload_kind_name(forced));
		if (!can[forced].ok)
			fw_fatal("payload", "fw.protocol=%s but %s %s",
				 payload_kind_name(forced), bi->origin,
				 can[forced].lacks);
		p->kind = forced;
	}
	p->name = payload_kind_name(p->kind);

	if (payload_is_multiboot(p)) {
		plan_multiboot(bi->origin, p, &f);
		return;
	}

	if (p->kind == PAYLOAD_LINUX) {
		enum bzimage_err err = bzimage_parse(&f, &p->bz);
		if (err == BZIMAGE_E_OLD)
			fw_fatal("linux",
				 "boot protocol %u.%02u is too old "
				 "(2.12 or later needed for the 64-bit "
				 "entry)",
				 p->bz.version >> 8, p->bz.version & 0xFF);
		if (err == BZIMAGE_E_NO_ENTRY)
			fw_fatal("linux",
				 "the protected-mode kernel (%llu bytes) ends "
				 "before its 64-bit entry at 0x%x",
				 (unsigned long long)p->bz.pm_size,
				 BZIMAGE_ENTRY64_OFFSET);
		if (err)
			fw_fatal("linux", "%s", bzimage_strerror(err));
		/* Placed by load_prepare, which knows what memory is busy. */
		log_info("payload",
			 "%s: %llu bytes, linux bzImage, "
			 "protocol %u.%02u, %llu bytes of kernel, "
			 "init_size %u",
			 bi->origin, (unsigned long long)p->file_size,
			 p->bz.version >> 8, p->bz.version & 0xFF,
			 (unsigned long long)p->bz.pm_size, p->bz.init_size);
		return;
	}

	if (p->elf.machine != ELF_EM_X86_64 && p->kind == PAYLOAD_ELF64)
		fw_fatal("payload", "64-bit ELF for a machine other than "
				    "x86-64");
	plan_elf(p, p->kind == PAYLOAD_PVH);
	log_info("payload",
		 "%s: %llu bytes, %s (ELF%u), %u segment(s) "
		 "at 0x%llx-0x%llx, entry 0x%llx",
		 bi->origin, (unsigned long long)p->file_size, p->name,
		 p->elf.cls, p->nseg, (unsigned long long)p->elf.paddr_lo,
		 (unsigned long long)p->elf.paddr_hi,
		 (unsigned long long)p->entry);
}

size_t payload_check_cmdline(const struct payload *p, const char *cmdline)
{
	size_t len = strlen(cmdline);
	if (p->kind == PAYLOAD_LINUX && len > p->bz.cmdline_size)
		fw_fatal("linux",
			 "command line is %zu bytes, the kernel takes "
			 "at most %u",
			 len, p->bz.cmdline_size);
	return len;
}

/* The Multiboot 2 extras of this boot, EFI's state in *efi. */
static void mb2_extra_of(const struct payload *p, const struct acpi_rsdp *rsdp,
			 struct mb2_extra *x, struct mb2_efi *efi)
{
	*x = (struct mb2_extra){ .has_load_base = p->mb.relocatable,
				 .load_base = (uint32_t)p->mb.lo };
	if (platform_mb2_efi(efi))
		x->efi = efi;
	if (rsdp) {
		x->rsdp = phys_ptr(rsdp->addr);
		x->rsdp_len = rsdp->length;
	}
}

enum memmap_err payload_reloc_alloc(const struct memmap *mm,
				    struct memmap_busy *busy,
				    const struct payload *p, const char *what,
				    uint64_t *at)
{
	if (p->kind == PAYLOAD_MB2) {
		/* Not below 1 MiB: the real-mode structures, the EBDA. */
		uint64_t min =
			p->mb.reloc_min < 0x100000 ? 0x100000 : p->mb.reloc_min;
		bool low = p->mb.reloc_pref == MB2_RELOC_PREF_LOWEST;
		return (low ? memmap_alloc_low : memmap_alloc)(
			mm, busy, p->mb.hi - p->mb.lo, p->mb.reloc_align, min,
			(uint64_t)p->mb.reloc_max, what, at);
	}
	/* A power of two, and min <= max: elf_parse refuses others. */
	return memmap_alloc(mm, busy, p->elf.paddr_hi - p->elf.paddr_lo,
			    p->elf.reloc_align, p->elf.reloc_min,
			    (uint64_t)p->elf.reloc_max + 1, what, at);
}

uint64_t payload_mbi_size(const struct boot_info *bi, const struct payload *p,
			  const char *cmdline, const struct acpi_rsdp *rsdp,
			  bool record)
{
	/* Only the strings and the count matter to the size: addresses 0
	 * (the modules may still move, maybe from above 4 GiB). */
	static struct mb_module mods[BOOT_MAX_MODULES + 1];
	uint32_t n = 0;
	if (!payload_is_multiboot(p))
		return 0;
	for (uint32_t i = p->first_module; i < bi->nmods; i++)
		mods[n++] = (struct mb_module){ 0, 0, bi->mod[i].name };
	if (record)
		mods[n++] = (struct mb_module){ 0, 0, RECORD_NAME };
	size_t size;
	if (p->kind == PAYLOAD_MB1) {
		size = mb1_info_size(&bi->memmap, cmdline, mods, n);
	} else {
		struct mb2_extra x;
		struct mb2_efi efi = { 0 };
		mb2_extra_of(p, rsdp, &x, &efi);
		size = mb2_info_size(&bi->memmap, cmdline, mods, n, &x);
		/* Tag 17 marks the handoff area, the kernel and each module
		 * (payload_mb2_extra): at most two descriptors more each. */
		if (size && x.efi)
			size += 2 * (2 + (uint64_t)n) * efi.desc_size;
	}
	if (!size) /* never: the map, strings and RSDP are bounded */
		fw_fatal("multiboot", "information structure too large");
	/* Each map entry is 24 bytes in both protocols; "kernel " is 7 more
	 * bytes of string, which can pad the next MB2 tag by 1 more. */
	return size + 2 * 24 + 8;
}

void payload_mb2_extra(const struct payload *p, const struct acpi_rsdp *rsdp,
		       const struct handoff_area *h,
		       const struct mb_module *mods, uint32_t nmods,
		       struct mb2_extra *x)
{
	static struct mb2_efi efi;
	static struct mb_range placed[BOOT_MAX_MODULES + 3];
	mb2_extra_of(p, rsdp, x, &efi);
	/* Header tag 7 says the kernel can start with boot services running
	 * (the spec: "supports"); fw.efi has exited them, so it gets tags 12
	 * and 17 without 18, a boot the spec allows and a kernel that needs
	 * boot services refuses (Xen's 32-bit entry: "Bootloader shutdown
	 * EFI x64 boot services!"). Leaving tag 12 out instead would only
	 * hide the runtime services (and make Xen fault later). */
	if (x->efi && p->mb.efi_bs)
		log_warn("multiboot",
			 "the kernel can start with EFI boot services (header "
			 "tag 7), but they are gone: it gets no tag 18, and "
			 "one that needs them (Xen) stops");
	if (x->efi && h) {
		/* Placed after EFI's map was taken, maybe where it says
		 * free: the handoff area, the kernel's extent, the modules
		 * (the boot record is in the handoff area). */
		uint32_t n = 0;
		placed[n++] = (struct mb_range){ h->base, h->size };
		placed[n++] =
			(struct mb_range){ p->mb.lo, p->mb.hi - p->mb.lo };
		for (uint32_t i = 0; i < nmods && n < BOOT_MAX_MODULES + 3; i++)
			placed[n++] = (struct mb_range){ mods[i].paddr,
							 mods[i].size };
		efi.loader = placed;
		efi.nloader = n;
	}
	uint32_t type;
	if (mb2_check_requests(&p->mb, x, &type)) {
		/* The same message as mb_plan's, for a tag no boot has. */
		char msg[96];
		fw_fatal("multiboot", "%s",
			 mb_format_error(msg, sizeof(msg), MB_E_MB2_REQ, type));
	}
}
