// SPDX-License-Identifier: MIT
/*
 * load.c: place the payload and load it.
 *
 * load_prepare, in order (each failure is one `fw: load:` line and a stop):
 *   1. every segment must lie in usable RAM of the memory map (a bzImage's
 *      one segment is placed first: beside the modules and the firmware,
 *      else beside the firmware alone, the modules it covers moving in
 *      step 6; place_linux);
 *   2. mark busy: the modules, the firmware's live image, the segments
 *      (a Multiboot kernel's whole extent, gaps between segments included);
 *   3. when a segment covers the firmware, pick new RAM for it (the
 *      firmware gets out of the payload's way, it does not refuse it);
 *   4. take RAM below 4 GiB for what the payload keeps (stack, GDT, page
 *      tables, start_info, boot_params, command line): the handoff area;
 *   5. build the page tables there (identity map of all memory plus the
 *      firmware's window), move the firmware if step 3 said so, switch;
 *   6. move every module that a segment covers (the payload file itself
 *      included; a Multiboot kernel's modules out of its whole extent) to
 *      free RAM first, so loading never overwrites input; and those a
 *      protocol places elsewhere: a PVH or Multiboot payload's modules
 *      below 4 GiB (entered with paging off, it reaches nothing higher),
 *      Linux's initrd on a page boundary and, unless the kernel can take
 *      it above 4 GiB, below initrd_addr_max; a Multiboot kernel's
 *      modules on a page boundary when it asks.
 * load_segments then copies p_filesz bytes and zeroes the rest of p_memsz,
 * one copy per byte from the file to its place.
 */
#include <string.h>

#include "../linux/linux.h"
#include "cpu_defs.h"
#include "fw.h"
#include "../lib/inline.h"

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define HANDOFF_STACK (64 * KIB)

static struct memmap_busy busy;
static char module_names[BOOT_MAX_MODULES][24];
static const char fw_name[] = "the firmware";
static const char payload_name[] = "the payload";
static const char handoff_name[] = "the handoff area";
static const char rsdp_name[] = "the ACPI RSDP";

INLINE uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static void check_segments(const struct memmap *mm, const struct payload *p)
{
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		if (memmap_is_ram(mm, s->dest, s->memsz))
			continue;
		uint64_t top = memmap_ram_top(mm);
		if (s->dest + s->memsz > top)
			fw_fatal("load",
				 "segment %u (0x%llx-0x%llx) is above "
				 "the top of RAM (0x%llx)",
				 i, (unsigned long long)s->dest,
				 (unsigned long long)(s->dest + s->memsz),
				 (unsigned long long)top);
		fw_fatal("load",
			 "segment %u (0x%llx-0x%llx) is not in usable "
			 "RAM",
			 i, (unsigned long long)s->dest,
			 (unsigned long long)(s->dest + s->memsz));
	}
}

/*
 * The most busy ranges load_prepare holds at once: one per module (a module
 * that moves gives its range up first), the firmware's image and what the
 * platform keeps for it, the RSDP, one per segment, the firmware's new place
 * and the handoff area. A relocation's range goes before the segments come.
 */
_Static_assert(MEMMAP_BUSY_MAX >= BOOT_MAX_MODULES + 3 + PAYLOAD_MAX_SEGS + 2,
	       "the busy list holds every range load_prepare marks");

static void busy_add(struct memmap_busy *b, uint64_t start, uint64_t size,
		     const char *what)
{
	enum memmap_err err = memmap_busy_add(b, start, size, what);
	if (err)
		fw_fatal("load", "%s: %s", what, memmap_strerror(err));
}

/* True when memmap_alloc failed for want of free RAM, which the caller
 * words; a full busy list (which the assertion above rules out) stops here
 * by its own name, never as missing RAM. */
static bool no_room(enum memmap_err err, const char *what)
{
	if (err == MEMMAP_E_BUSY_FULL)
		fw_fatal("load", "%s: %s", what, memmap_strerror(err));
	return err != MEMMAP_OK;
}

static uint64_t handoff_size(const struct boot_info *bi,
			     const struct payload *p, const char *cmdline,
			     const struct acpi_rsdp *rsdp, uint64_t map_end,
			     bool tables, struct handoff_area *h)
{
	/* The payload's map gets one more range (this area), which can split
	 * one entry in two: n + 2 entries at most. Module strings count in
	 * full, a bound on what pvh_build writes. */
	uint64_t cmdlen = strlen(cmdline);
	uint64_t si =
		sizeof(struct hvm_start_info) +
		(bi->memmap.n + 2) * sizeof(struct hvm_memmap_table_entry) +
		(BOOT_MAX_MODULES + 1) *
			(sizeof(struct hvm_modlist_entry) + 8) +
		cmdlen + 8 + 32;
	for (uint32_t i = 0; i < bi->nmods; i++)
		si += strlen(bi->mod[i].name) + 8;
	uint64_t off = HANDOFF_STACK;
	h->stack_top = off;
	h->gdt = off; /* GDT, its descriptor, the trampoline */
	h->trampoline = off + 256;
	if ((uint64_t)(pvh_tramp_end - pvh_tramp_start) > 4 * KIB - 256)
		fw_fatal("load", "PVH trampoline larger than its page");
	off += 4 * KIB;
	h->boot_params = off;
	off += 4 * KIB;
	h->start_info = off;
	h->start_info_size = si;
	off = align_up(off + si, 8);
	h->cmdline = off;
	/* Multiboot kernels get "kernel " before the words, as from QEMU. */
	off = align_up(off + cmdlen + 8 + 1, 8);
	/* Multiboot information: what the builders need for these inputs
	 * (the RSDP's tags hold a copy of up to 4 KiB, EFI's its map). */
	h->record_size = measure_record_size(bi);
	h->mbi = off;
	h->mbi_size =
		payload_mbi_size(bi, p, cmdline, rsdp, h->record_size != 0);
	off = align_up(off + h->mbi_size, 8);
	/* The boot record, page-aligned (a module to Multiboot kernels that
	 * ask for aligned modules); for Linux a 16-byte setup_data header
	 * comes right before it. */
	off = align_up(off + 16, 4 * KIB);
	h->record = h->record_size ? off : 0;
	off = align_up(off + h->record_size, 4 * KIB);
	h->setup_data = 0;
	h->setup_data_size = 0;
	if (bi->memmap.n + 2 > LINUX_E820_MAX) {
		h->setup_data = off;
		h->setup_data_size = LINUX_SETUP_DATA_HDR_SIZE +
				     (bi->memmap.n + 2) * LINUX_E820_ENTRY_SIZE;
		off = align_up(off + h->setup_data_size, 4 * KIB);
	}
	h->pagetables = 0;
	if (tables) {
		h->pagetables = off;
		off += cpu_paging_size(map_end);
	}
	return off;
}

/*
 * The bzImage's protected-mode kernel: one segment, init_size bytes busy,
 * nothing zeroed (the kernel decompresses itself there). First placed
 * beside everything busy, so that nothing moves; when no such place is
 * left (a small VM: Debian's init_size is 64 MiB), placed again beside the
 * firmware's own ranges only, and the modules it covers (the bzImage file
 * itself included) move out of its way in step 6 before anything is
 * loaded, as for an ELF payload's segments.
 */
static void place_linux(const struct boot_info *bi, struct payload *p)
{
	static struct memmap_busy fw_only;
	const struct memmap *mm = &bi->memmap;
	uint64_t at;
	enum bzimage_err err = bzimage_place(&p->bz, mm, &busy, &at);
	bool over_modules = false;
	if (err == BZIMAGE_E_NO_ROOM) {
		fw_only = busy;
		for (uint32_t i = 0; i < bi->nmods; i++)
			memmap_busy_remove(&fw_only, module_names[i]);
		err = bzimage_place(&p->bz, mm, &fw_only, &at);
		over_modules = true;
	}
	if (err == BZIMAGE_E_NO_ROOM)
		fw_fatal("linux", BZIMAGE_NO_ROOM_FMT, p->bz.init_size);
	if (err)
		fw_fatal("linux", "%s", bzimage_strerror(err));
	/* bzimage_parse refuses an init_size below pm_size. */
	p->seg[0] = (struct load_seg){ .dest = at,
				       .src = p->bz.pm_offset,
				       .filesz = p->bz.pm_size,
				       .memsz = p->bz.init_size,
				       .zero = false };
	p->nseg = 1;
	p->entry = at + BZIMAGE_ENTRY64_OFFSET;
	log_info("linux", "kernel at 0x%llx (%s%s), entry 0x%llx",
		 (unsigned long long)at,
		 at == p->bz.pref_address ? "its preferred address"
					  : "relocated",
		 over_modules ? ", over modules that move out of its way" : "",
		 (unsigned long long)p->entry);
}

/* The firmware's live range [start, end), and what else the platform owns
 * outside it (own_size 0 when nothing, or when it lies inside that range). */
struct fw_where {
	uint64_t start, end, own, own_size;
};

static void fw_ranges(struct fw_where *w)
{
	cpu_fw_range(&w->start, &w->end);
	platform_owned(&w->own, &w->own_size);
	if (w->own >= w->start && w->own < w->end)
		w->own_size = 0;
}

/* Whether s lies over the firmware; *fixed when over a part that cannot
 * move (what the platform keeps outside the image, or the image where it
 * runs where EFI loaded it). */
static bool over_fw(const struct fw_where *fw, const struct load_seg *s,
		    bool *fixed)
{
	bool on_own = fw->own_size && s->dest < fw->own + fw->own_size &&
		      fw->own < s->dest + s->memsz;
	bool on_image = s->dest < fw->end && fw->start < s->dest + s->memsz;
	*fixed = on_own || (on_image && !platform_can_move());
	return on_own || on_image;
}

/*
 * A relocatable kernel (a PVH kernel with a PHYS32_RELOC note, a Multiboot 2
 * kernel with the relocatable tag) moves as a whole, within the limits it
 * gives, when it cannot load where it is linked: a segment is not usable
 * RAM or lies over firmware that cannot move. For a PVH kernel that is all,
 * as under Xen (which relocates only an image not in RAM): a module or the
 * firmware in its way moves instead (step 6, step 3). A Multiboot 2 kernel
 * also moves when a segment collides with a busy range or it lies outside
 * its tag's limits (below min_addr, above max_addr, off its alignment); if
 * no place within the limits is free but it could load where it is linked,
 * within them, it stays there. Other payloads load where they are linked or
 * not at all.
 */
static void relocate(const struct memmap *mm, const struct fw_where *fw,
		     struct payload *p)
{
	if (!payload_relocatable(p))
		return;
	bool loadable = true, clear = true;
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		bool fixed;
		if (!memmap_is_ram(mm, s->dest, s->memsz) ||
		    (over_fw(fw, s, &fixed) && fixed))
			loadable = false;
		if (memmap_busy_overlap(&busy, s->dest, s->memsz))
			clear = false;
	}
	if (p->kind == PAYLOAD_MB2) {
		bool in_limits = mb_plan_in_limits(&p->mb);
		if (loadable && clear && in_limits)
			return;
		/* Within the tag's limits and by its preference. */
		uint64_t at;
		enum memmap_err err =
			payload_reloc_alloc(mm, &busy, p, payload_name, &at);
		bool moved = !no_room(err, payload_name) &&
			     mb_plan_relocate(&p->mb, at) == MB_OK;
		memmap_busy_remove(&busy, payload_name);
		if (!moved && loadable && in_limits) {
			log_info("multiboot",
				 "no free place within the kernel's limits: "
				 "loaded where it is linked, 0x%llx",
				 (unsigned long long)p->mb.lo);
			return;
		}
		if (!moved)
			fw_fatal("multiboot", "no free RAM to relocate the "
					      "kernel within its limits");
		for (uint32_t i = 0; i < p->nseg; i++)
			p->seg[i].dest = p->mb.seg[i].dest;
		p->entry = p->mb.entry;
		log_info("multiboot", "relocated to 0x%llx, entry 0x%llx",
			 (unsigned long long)at, (unsigned long long)p->entry);
		return;
	}
	if (loadable)
		return;
	uint64_t lo = p->elf.paddr_lo, span = p->elf.paddr_hi - lo, at;
	if (no_room(payload_reloc_alloc(mm, &busy, p, payload_name, &at),
		    payload_name))
		fw_fatal("pvh",
			 "no free RAM to relocate the kernel (%llu bytes, "
			 "0x%x-0x%x, aligned 0x%llx)",
			 (unsigned long long)span, p->elf.reloc_min,
			 p->elf.reloc_max,
			 (unsigned long long)p->elf.reloc_align);
	memmap_busy_remove(&busy, payload_name);
	for (uint32_t i = 0; i < p->nseg; i++)
		p->seg[i].dest = p->seg[i].dest - lo + at;
	p->entry = p->entry - lo + at;
	log_info("pvh",
		 "relocated from 0x%llx to 0x%llx (PHYS32_RELOC), entry "
		 "0x%llx",
		 (unsigned long long)lo, (unsigned long long)at,
		 (unsigned long long)p->entry);
}

/*
 * The busy list's name for bi->mod[i], which the messages use: "the payload
 * image" below first (the payload's first module), else "module <i -
 * first>", numbered as the payload sees its modules (as measure.c and
 * fw.module.N.sha256 number them). Written out instead of formatted: a
 * quiet boot then runs none of the formatter's code.
 */
_Static_assert(BOOT_MAX_MODULES <= 100, "module numbers have two digits");
static void name_module(char out[24], uint32_t i, uint32_t first)
{
	if (i < first) {
		memcpy(out, "the payload image", 18);
		return;
	}
	i -= first;
	memcpy(out, "module ", 7);
	char *d = out + 7;
	if (i >= 10)
		*d++ = (char)('0' + i / 10);
	*d++ = (char)('0' + i % 10);
	*d = '\0';
}

static void busy_begin(const struct boot_info *bi, struct memmap_busy *b,
		       uint32_t first)
{
	memmap_busy_init(b);
	for (uint32_t i = 0; i < bi->nmods; i++) {
		name_module(module_names[i], i, first);
		busy_add(b, bi->mod[i].paddr, bi->mod[i].size, module_names[i]);
	}
	struct fw_where fw;
	fw_ranges(&fw);
	busy_add(b, fw.start, fw.end - fw.start, fw_name);
	if (fw.own_size)
		busy_add(b, fw.own, fw.own_size, fw_name);
	/* The payload is told where the RSDP is, and Multiboot 2's tags are
	 * copied from it after loading: a VMM that put it in RAM has it kept
	 * clear (nothing placed over it, fw_cfg's files included; a segment
	 * over it is refused, load_prepare). */
	if (bi->rsdp_len)
		busy_add(b, bi->rsdp_addr, bi->rsdp_len, rsdp_name);
}

/* Before the payload is chosen (source.c): the modules by their index in
 * bi. */
void load_busy_begin(const struct boot_info *bi, struct memmap_busy *b)
{
	busy_begin(bi, b, 0);
}

void load_prepare(struct boot_info *bi, struct payload *p,
		  struct handoff_area *h, const char *cmdline,
		  const struct acpi_rsdp *rsdp)
{
	const struct memmap *mm = &bi->memmap;

	busy_begin(bi, &busy, p->first_module);
	struct fw_where fw;
	fw_ranges(&fw);

	if (p->kind == PAYLOAD_LINUX)
		place_linux(bi, p);
	relocate(mm, &fw, p);
	check_segments(mm, p);
	/* The RSDP's range is the one busy_begin marked (bi's). */
	uint64_t r_lo = bi->rsdp_addr, r_hi = r_lo + bi->rsdp_len;
	for (uint32_t i = 0; bi->rsdp_len && i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		if (s->dest < r_hi && r_lo < s->dest + s->memsz)
			fw_fatal("load",
				 "segment %u (0x%llx-0x%llx) covers the ACPI "
				 "RSDP (0x%llx-0x%llx), which the VMM put in "
				 "RAM",
				 i, (unsigned long long)s->dest,
				 (unsigned long long)(s->dest + s->memsz),
				 (unsigned long long)r_lo,
				 (unsigned long long)r_hi);
	}
	/* A Multiboot kernel owns its whole extent [lo, hi), the gaps between
	 * its segments too (multiboot.h; GRUB loads it as one block): the
	 * handoff area goes elsewhere, and so do its modules (step 6). */
	if (payload_is_multiboot(p))
		busy_add(&busy, p->mb.lo, p->mb.hi - p->mb.lo, payload_name);
	else
		for (uint32_t j = 0; j < p->nseg; j++)
			busy_add(&busy, p->seg[j].dest, p->seg[j].memsz,
				 payload_name);

	uint64_t new_fw = cpu_image_phys();
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		bool fixed;
		if (!over_fw(&fw, s, &fixed))
			continue;
		if (fixed)
			fw_fatal("load",
				 "segment %u (0x%llx-0x%llx) covers the "
				 "firmware (0x%llx-0x%llx%s), which runs "
				 "where EFI loaded it and cannot move",
				 i, (unsigned long long)s->dest,
				 (unsigned long long)(s->dest + s->memsz),
				 (unsigned long long)fw.start,
				 (unsigned long long)fw.end,
				 fw.own_size ? ", its stack and page tables"
					     : "");
		if (no_room(memmap_alloc(mm, &busy, cpu_image_size(), 4 * KIB,
					 MIB, 4 * GIB, fw_name, &new_fw),
			    fw_name))
			fw_fatal("load",
				 "segment %u (0x%llx-0x%llx) covers the "
				 "firmware and no free RAM is left to "
				 "move it",
				 i, (unsigned long long)s->dest,
				 (unsigned long long)(s->dest + s->memsz));
		break;
	}

	uint64_t map_end = memmap_ram_top(mm);
	if (map_end < 4 * GIB)
		map_end = 4 * GIB;
	/* Four-level paging maps the lower half of the address space,
	 * 128 TiB: RAM beyond it could not be identity-mapped. */
	if (map_end > (1ull << 47))
		fw_fatal("load",
			 "RAM ends at 0x%llx, above the 128 TiB that "
			 "four-level page tables can identity-map",
			 (unsigned long long)map_end);
	/* Multiboot: 32-bit pointers, and Solo5 maps only the first GiB. */
	bool mb = payload_is_multiboot(p);
	uint64_t below = mb ? GIB : 4 * GIB;
	/* Payloads entered without paging (PVH, Multiboot) need no page
	 * tables of their own; the firmware then keeps running on the ones
	 * it has when they map all of RAM and it does not move. */
	bool tables = !payload_starts_unpaged(p) ||
		      new_fw != cpu_image_phys() || !platform_maps(map_end);
	uint64_t need = handoff_size(bi, p, cmdline, rsdp, map_end, tables, h);
	if (no_room(memmap_alloc(mm, &busy, need, 4 * KIB, MIB, below,
				 handoff_name, &h->base),
		    handoff_name))
		fw_fatal("load",
			 "no free RAM below %s for the handoff "
			 "structures (%llu KiB)",
			 mb ? "1 GiB" : "4 GiB",
			 (unsigned long long)(need / KIB));
	h->size = need;
	h->stack_top += h->base;
	h->gdt += h->base;
	h->boot_params += h->base;
	h->start_info += h->base;
	h->cmdline += h->base;
	if (tables)
		h->pagetables += h->base;
	h->trampoline += h->base;
	h->mbi += h->base;
	if (h->record)
		h->record += h->base;
	if (h->setup_data)
		h->setup_data += h->base;

	if (tables) {
		uint64_t cr3 = cpu_paging_build(h->pagetables, map_end, new_fw);
		if (new_fw != cpu_image_phys())
			log_info("load",
				 "moving the firmware from 0x%llx to 0x%llx "
				 "out of the payload's way",
				 (unsigned long long)cpu_image_phys(),
				 (unsigned long long)new_fw);
		cpu_move_and_switch(cr3, new_fw);
	}
	phys.len = map_end;
	log_debug("load",
		  "handoff area 0x%llx-0x%llx, %s page tables map "
		  "0-0x%llx",
		  (unsigned long long)h->base,
		  (unsigned long long)(h->base + h->size),
		  tables ? "its" : "the boot", (unsigned long long)map_end);

	/* Step 6: modules (the payload file too) out of the segments' way.
	 * An empty module has no byte a segment could overwrite; when its
	 * address breaks a rule below it gets a new one as any module (one
	 * byte taken there, so that it is free RAM that meets the rule) and
	 * nothing is copied. */
	for (uint32_t i = 0; i < bi->nmods; i++) {
		struct boot_module *m = &bi->mod[i];
		bool hit = false;
		const char *why = "out of the payload's way";
		for (uint32_t j = 0; j < p->nseg; j++) {
			const struct load_seg *s = &p->seg[j];
			if (m->size && m->paddr < s->dest + s->memsz &&
			    s->dest < m->paddr + m->size)
				hit = true;
		}
		uint64_t max_end = map_end;
		uint64_t align = 4 * KIB;
		/* A payload entered with paging off (PVH, Multiboot) reaches
		 * only the first 4 GiB: its modules move there when they lie
		 * (partly) above, and a move never takes them higher. The
		 * others start in long mode on page tables that map all of
		 * RAM (Linux's initrd has a limit of its own, below). */
		bool low = payload_starts_unpaged(p) && i >= p->first_module;
		if (mb && low) {
			/* Not in the kernel's extent, gaps included (as the
			 * busy range above); 32-bit addresses, the end
			 * (mod_end) included, so the last byte is at most
			 * 0xfffffffe; page-aligned when asked. */
			if (m->size && m->paddr < p->mb.hi &&
			    p->mb.lo < m->paddr + m->size)
				hit = true;
			max_end = 4 * GIB - 1;
			if (!hit && m->paddr + m->size > max_end) {
				hit = true;
				why = "below 4 GiB for Multiboot";
			}
			if (!hit && p->mb.page_align_modules &&
			    (m->paddr & 0xFFF)) {
				hit = true;
				why = "to a page boundary, as the kernel asks";
			}
		} else if (low) {
			/* PVH: 64-bit fields, but every byte below 4 GiB (an
			 * empty module's address too). */
			max_end = 4 * GIB;
			if (!hit && (m->paddr >= max_end ||
				     m->paddr + m->size > max_end)) {
				hit = true;
				why = "below 4 GiB for PVH";
			}
		}
		if (p->kind == PAYLOAD_LINUX && i == p->first_module &&
		    !p->bz.can_load_above_4g) {
			/* The initrd must end at or below initrd_addr_max. */
			max_end = (uint64_t)p->bz.initrd_addr_max + 1;
			if (!hit && m->paddr + m->size > max_end) {
				hit = true;
				why = "below the kernel's initrd_addr_max";
			}
		}
		if (!hit && i == p->first_module && payload_is_linux(p) &&
		    (m->paddr & 0xFFF)) {
			/* Linux takes its initrd's start as page-aligned (it
			 * reserves and frees whole pages from there, and WARNs
			 * on free otherwise); a bundle's entry is only 4-byte
			 * aligned unless scripts/mkbundle wrote it. */
			hit = true;
			why = "to a page boundary for Linux's initrd";
		}
		if (!hit)
			continue;
		/* The copy reads it: it must lie where the firmware can read
		 * (pvh_parse checked only that it does not wrap). */
		if (m->size && !view_has(&phys, m->paddr, m->size))
			fw_fatal("load",
				 "%s (0x%llx, %llu bytes) is outside "
				 "the memory the firmware can reach, so it "
				 "cannot be moved %s",
				 module_names[i], (unsigned long long)m->paddr,
				 (unsigned long long)m->size, why);
		uint64_t to;
		memmap_busy_remove(&busy, module_names[i]);
		if (no_room(memmap_alloc(mm, &busy, m->size ? m->size : 1,
					 align, MIB, max_end, module_names[i],
					 &to),
			    module_names[i]))
			fw_fatal("load",
				 "no free RAM to move %s (%llu bytes) %s",
				 module_names[i], (unsigned long long)m->size,
				 why);
		memmove(phys_ptr(to), phys_ptr(m->paddr), m->size);
		log_info("load", "moved %s from 0x%llx to 0x%llx, %s",
			 module_names[i], (unsigned long long)m->paddr,
			 (unsigned long long)to, why);
		m->paddr = to;
		if (i == 0)
			p->file = to;
	}
}

void load_segments(const struct payload *p)
{
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];
		memcpy(phys_ptr(s->dest), phys_ptr(p->file + s->src),
		       s->filesz);
		if (s->zero)
			memset(phys_ptr(s->dest + s->filesz), 0,
			       s->memsz - s->filesz);
		bytes += s->filesz;
		log_debug("load",
			  "segment %u: 0x%llx-0x%llx (%llu bytes from "
			  "the file)",
			  i, (unsigned long long)s->dest,
			  (unsigned long long)(s->dest + s->memsz),
			  (unsigned long long)s->filesz);
	}
	log_info("load", "%u segment(s), %llu bytes loaded", p->nseg,
		 (unsigned long long)bytes);
}
