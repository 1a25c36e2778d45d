// SPDX-License-Identifier: MIT
/*
 * fuzz_multiboot.c: libFuzzer target for multiboot/: mb1_find, mb2_find,
 * mb_plan, mb_plan_relocate, mb_format_error, mb_check_modules,
 * mb_mem_lower/upper, mb2_info_provides, mb2_check_requests and the two
 * information structure builders (mb1_info_build, mb2_info_build).
 *
 * Input: kernel file, builder parameters, one byte T.
 *   The last byte is T, the length of the parameters (clipped to what is
 *   there); the T bytes before it are the parameters, everything before
 *   them is the kernel file. The file is copied into a heap buffer of
 *   exactly its size, so AddressSanitizer catches a read past its end.
 *   Parameters (struct fin, zeroes past the end):
 *     u8 opts: bit 0 command line, bit 1 RSDP, bit 2 EFI, bit 3 load base,
 *       bit 4 EFI boot services, bit 5 a map of MEMMAP_MAX + 1 entries
 *       (refused), bit 6 buffer address as a raw u64 (else u32 & ~7),
 *       bit 7 mm NULL when the map is empty;
 *     u8 fix-ups: bit 0 fixes the checksum of the first 4-aligned MB1 magic
 *       in its window, bit 1 that of the first 8-aligned MB2 magic (in the
 *       copy of the file), so flags, architecture and header_length can be
 *       mutated without breaking the checksum;
 *     buffer address (u32 or u64);
 *     u8 map entries (% 17), each: u8 tag (bits 0-1 encoding, bits 2-7
 *       the type, 1 = RAM), then 4 KiB pages as u16 addr and size, or KiB
 *       as u16 addr and size, or u64 addr and size, or u32 addr and size;
 *     command line: u8 length, bytes (when opts bit 0);
 *     u8 modules (% 4), each: u8 flags (bit 0 string NULL, bit 1 u64
 *       paddr), paddr (u32 or u64), u32 size, u8 string length, the
 *       bytes (none when the string is NULL);
 *     RSDP (opts bit 1): u8 length (% 64), bytes;
 *     EFI (opts bit 2): u64 system table, u64 image handle, u8 map
 *       length (0: map NULL), bytes, u32 desc_size, u32 desc_version;
 *     load base (opts bit 3): u32;
 *     u32 a base to relocate to;
 *     u8 loader ranges (% 5), each u64 start, u64 size: EFI's (struct
 *       mb2_efi) when opts bit 2 (none: loader NULL).
 * Strings and the RSDP / EFI map bytes are copied into exactly sized heap
 * buffers; embedded NULs just end the strings early.
 *
 * Checks:
 *   - mb1_find / mb2_find equal a reference scan written here from
 *     multiboot.h (first aligned magic with a zero checksum in the window,
 *     then the header's error, the fields and for MB2 the tag walk: every
 *     decoded field, ntags and the request list on MB_OK; the error and
 *     for MB_E_MB2_ARCH / MB_E_MB2_TAG the detail always); *out all zero
 *     when nothing is found;
 *   - mb_plan with each found header equals a reference plan (steps 1-5
 *     of multiboot.h: error, detail, segments, entry, lo/hi, kludge,
 *     flags, relocation constraints, required types); on error nseg = 0
 *     and every field but version, eax, err and detail is 0; on success:
 *     1 <= nseg <= MB_MAX_SEGS, every segment's [offset, offset + filesz)
 *     inside the file, 0 < memsz, filesz <= memsz, dest + memsz <= 4 GiB,
 *     no two segments overlap, lo / hi exactly their extent, the entry
 *     in some segment's [dest, dest + filesz);
 *   - mb_plan_relocate to lo, lo + align, the lowest and highest allowed
 *     bases, unaligned and out-of-range bases and one from the input
 *     equals a reference decision; on success every segment and the entry
 *     moved by new_base - lo, the plan still meets the invariants above,
 *     and moving back (when allowed) restores it exactly; on error the
 *     plan is unchanged byte for byte;
 *   - mb_format_error truncates to a NUL-terminated prefix for any cap;
 *   - mb1_info_size / mb2_info_size equal the size of the layout
 *     documented in multiboot.h (0 exactly for the documented refusals);
 *     a build into cap = size - 1 (an exactly sized buffer) returns 0; a
 *     build into exactly size bytes returns size unless the address is
 *     misaligned or the block would end above 4 GiB (then 0);
 *   - the MB1 block, walked through its own pointers: flags, mem_lower /
 *     mem_upper (against a union sweep of the RAM entries), the command
 *     line, loader name, module entries and strings, and the mmap walked
 *     with the size + 4 stride inside mmap_length (a RAM entry spanning
 *     1 MiB split there); every byte is claimed by exactly one structure
 *     at the documented offset or is a zero pad;
 *   - the MB2 block: total_size, reserved 0, 8-aligned tags each inside
 *     total_size, in the documented order with the expected sizes and
 *     bodies (tag 17: the map with the loader ranges marked, by a
 *     reference that sorts every range boundary inside a descriptor and
 *     types each piece, merging neighbours of one type; at most two
 *     descriptors more per range), zero padding, ending with type 0 size 8
 * exactly at total_size; mb2_info_provides equals a reference for every type
 *     (so a tag is present exactly when it says so), mb2_check_requests
 *     reports the first required type it cannot provide.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfload/elf.h"
#include "fuzz.h"
#include "multiboot/multiboot.h"

#define FOUR_GIB 0x100000000ull
#define ONE_MIB 0x100000ull
#define MAX_MM 16
#define MAX_MODS 3
#define MAX_EXP_TAGS 24
#define MAX_LOADER 4

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)ld_le(p, 4);
}

static uint64_t align8(uint64_t x)
{
	return (x + 7) & ~(uint64_t)7;
}

/* ---- Header scans ------------------------------------------------------ */

static bool ref_mb1_find(const uint8_t *d, uint64_t n, struct mb1_header *r)
{
	const uint64_t win = n < MB1_SEARCH ? n : MB1_SEARCH;

	memset(r, 0, sizeof(*r));
	for (uint64_t off = 0; off + 12 <= win; off += 4) {
		const uint8_t *h = d + off;
		uint32_t magic = ld32(h), flags = ld32(h + 4);
		if (magic != MB1_MAGIC ||
		    (uint32_t)(magic + flags + ld32(h + 8)) != 0)
			continue;
		uint64_t need = 12;
		if (flags & MB1_F_AOUT_KLUDGE)
			need = 32;
		if (flags & MB1_F_VIDEO_MODE)
			need = 48;
		r->offset = off;
		r->flags = flags;
		if (off + need > MB1_SEARCH) {
			r->err = MB_E_MB1_WINDOW;
		} else if (off + need > n) {
			r->err = MB_E_MB1_SHORT;
		} else {
			if (flags & MB1_F_AOUT_KLUDGE) {
				r->has_addr = true;
				r->header_addr = ld32(h + 12);
				r->load_addr = ld32(h + 16);
				r->load_end_addr = ld32(h + 20);
				r->bss_end_addr = ld32(h + 24);
				r->entry_addr = ld32(h + 28);
			}
			if (flags & MB1_F_VIDEO_MODE) {
				r->has_video = true;
				r->mode_type = ld32(h + 32);
				r->width = ld32(h + 36);
				r->height = ld32(h + 40);
				r->depth = ld32(h + 44);
			}
		}
		return true;
	}
	return false;
}

static void check_mb1_header(bool found, const struct mb1_header *h,
			     bool rfound, const struct mb1_header *r)
{
	CHECK(found == rfound, "mb1_find %d, reference %d", found, rfound);
	CHECK(h->offset == r->offset && h->flags == r->flags &&
		      h->err == r->err,
	      "mb1 header at %#llx flags %#x err %d, reference %#llx %#x %d",
	      (unsigned long long)h->offset, h->flags, h->err,
	      (unsigned long long)r->offset, r->flags, r->err);
	CHECK(h->has_addr == r->has_addr && h->header_addr == r->header_addr &&
		      h->load_addr == r->load_addr &&
		      h->load_end_addr == r->load_end_addr &&
		      h->bss_end_addr == r->bss_end_addr &&
		      h->entry_addr == r->entry_addr,
	      "mb1 address fields differ");
	CHECK(h->has_video == r->has_video && h->mode_type == r->mode_type &&
		      h->width == r->width && h->height == r->height &&
		      h->depth == r->depth,
	      "mb1 video fields differ");
}

/* Smallest size of each header tag type (MB2 spec 3.1.x). */
static uint32_t ref_htag_min(uint16_t type)
{
	switch (type) {
	case MB2_HTAG_ADDRESS:
	case MB2_HTAG_RELOCATABLE:
		return 24;
	case MB2_HTAG_ENTRY:
	case MB2_HTAG_CONSOLE:
	case MB2_HTAG_EFI32_ENTRY:
	case MB2_HTAG_EFI64_ENTRY:
		return 12;
	case MB2_HTAG_FRAMEBUFFER:
		return 20;
	default:
		return 8;
	}
}

static bool ref_add_req(struct mb2_header *r, uint32_t type, bool optional)
{
	for (uint32_t j = 0; j < r->nreq; j++)
		if (r->req[j].type == type) {
			r->req[j].optional = r->req[j].optional && optional;
			return true;
		}
	if (r->nreq == MB2_MAX_REQ)
		return false;
	r->req[r->nreq].type = type;
	r->req[r->nreq].optional = optional;
	r->nreq++;
	return true;
}

/* The tag walk of a header at h of length len (inside the file). */
static enum mb_err ref_walk(const uint8_t *d, uint64_t h, uint32_t len,
			    struct mb2_header *r)
{
	for (uint64_t pos = 16;;) {
		if (pos + 8 > len)
			return MB_E_MB2_NO_END;
		const uint8_t *t = d + h + pos;
		const uint8_t *b = t + 8;
		uint16_t type = (uint16_t)ld_le(t, 2);
		bool opt = (ld_le(t + 2, 2) & MB2_TAG_OPTIONAL) != 0;
		uint32_t size = ld32(t + 4);
		r->detail = (uint32_t)(h + pos);
		if (size < ref_htag_min(type) || size > len - pos)
			return MB_E_MB2_TAG;
		switch (type) {
		case MB2_HTAG_END:
			if (size != 8)
				return MB_E_MB2_TAG;
			r->detail = 0;
			return MB_OK;
		case MB2_HTAG_INFO_REQ:
			for (uint32_t i = 0; i < (size - 8) / 4; i++)
				if (!ref_add_req(r, ld32(b + 4 * i), opt))
					return MB_E_MB2_TOO_MANY_REQ;
			break;
		case MB2_HTAG_ADDRESS:
			r->has_addr = true;
			r->header_addr = ld32(b);
			r->load_addr = ld32(b + 4);
			r->load_end_addr = ld32(b + 8);
			r->bss_end_addr = ld32(b + 12);
			break;
		case MB2_HTAG_ENTRY:
			r->has_entry = true;
			r->entry_addr = ld32(b);
			break;
		case MB2_HTAG_CONSOLE:
			r->has_console = true;
			r->console_optional = opt;
			r->console_flags = ld32(b);
			break;
		case MB2_HTAG_FRAMEBUFFER:
			r->has_framebuffer = true;
			r->framebuffer_optional = opt;
			r->fb_width = ld32(b);
			r->fb_height = ld32(b + 4);
			r->fb_depth = ld32(b + 8);
			break;
		case MB2_HTAG_MODULE_ALIGN:
			r->module_align = true;
			break;
		case MB2_HTAG_EFI_BS:
			r->efi_bs = true;
			break;
		case MB2_HTAG_EFI32_ENTRY:
			r->has_efi32_entry = true;
			r->efi32_entry = ld32(b);
			break;
		case MB2_HTAG_EFI64_ENTRY:
			r->has_efi64_entry = true;
			r->efi64_entry = ld32(b);
			break;
		case MB2_HTAG_RELOCATABLE:
			r->relocatable = true;
			r->reloc_min = ld32(b);
			r->reloc_max = ld32(b + 4);
			r->reloc_align = ld32(b + 8);
			r->reloc_pref = ld32(b + 12);
			break;
		default:
			if (!opt && !r->unknown_required) {
				r->unknown_required = true;
				r->unknown_type = type;
			}
			break;
		}
		r->ntags++;
		pos = align8(pos + size);
	}
}

static bool ref_mb2_find(const uint8_t *d, uint64_t n, struct mb2_header *r)
{
	const uint64_t win = n < MB2_SEARCH ? n : MB2_SEARCH;

	memset(r, 0, sizeof(*r));
	for (uint64_t off = 0; off + 16 <= win; off += 8) {
		const uint8_t *h = d + off;
		uint32_t magic = ld32(h), arch = ld32(h + 4), len = ld32(h + 8);
		if (magic != MB2_MAGIC ||
		    (uint32_t)(magic + arch + len + ld32(h + 12)) != 0)
			continue;
		r->offset = off;
		r->architecture = arch;
		r->header_length = len;
		if (arch != 0) {
			r->err = MB_E_MB2_ARCH;
			r->detail = arch;
		} else if (len < 16) {
			r->err = MB_E_MB2_LENGTH;
		} else if (off + len > MB2_SEARCH) {
			r->err = MB_E_MB2_WINDOW;
		} else if (off + len > n) {
			r->err = MB_E_MB2_SHORT;
		} else {
			r->err = ref_walk(d, off, len, r);
		}
		return true;
	}
	return false;
}

static void check_mb2_header(bool found, const struct mb2_header *h,
			     bool rfound, const struct mb2_header *r)
{
	CHECK(found == rfound, "mb2_find %d, reference %d", found, rfound);
	CHECK(h->offset == r->offset && h->architecture == r->architecture &&
		      h->header_length == r->header_length && h->err == r->err,
	      "mb2 header at %#llx err %d (%s), reference %#llx err %d (%s)",
	      (unsigned long long)h->offset, h->err, mb_strerror(h->err),
	      (unsigned long long)r->offset, r->err, mb_strerror(r->err));
	if (!found) {
		static const struct mb2_header zero;
		CHECK(memcmp(h, &zero, sizeof(zero)) == 0,
		      "mb2_find false but *out not zeroed");
		return;
	}
	if (h->err == MB_E_MB2_ARCH || h->err == MB_E_MB2_TAG ||
	    h->err == MB_OK)
		CHECK(h->detail == r->detail, "mb2 detail %#x, reference %#x",
		      h->detail, r->detail);
	if (h->err != MB_OK)
		return;
	CHECK(h->ntags == r->ntags, "ntags %u, reference %u", h->ntags,
	      r->ntags);
	CHECK(h->nreq == r->nreq, "nreq %u, reference %u", h->nreq, r->nreq);
	for (uint32_t i = 0; i < r->nreq; i++)
		CHECK(h->req[i].type == r->req[i].type &&
			      h->req[i].optional == r->req[i].optional,
		      "request %u: %u/%d, reference %u/%d", i, h->req[i].type,
		      h->req[i].optional, r->req[i].type, r->req[i].optional);
	CHECK(h->has_addr == r->has_addr && h->header_addr == r->header_addr &&
		      h->load_addr == r->load_addr &&
		      h->load_end_addr == r->load_end_addr &&
		      h->bss_end_addr == r->bss_end_addr,
	      "mb2 address tag differs");
	CHECK(h->has_entry == r->has_entry && h->entry_addr == r->entry_addr,
	      "mb2 entry tag differs");
	CHECK(h->has_console == r->has_console &&
		      h->console_optional == r->console_optional &&
		      h->console_flags == r->console_flags,
	      "mb2 console tag differs");
	CHECK(h->has_framebuffer == r->has_framebuffer &&
		      h->framebuffer_optional == r->framebuffer_optional &&
		      h->fb_width == r->fb_width &&
		      h->fb_height == r->fb_height &&
		      h->fb_depth == r->fb_depth,
	      "mb2 framebuffer tag differs");
	CHECK(h->module_align == r->module_align && h->efi_bs == r->efi_bs,
	      "mb2 module align / EFI BS differ");
	CHECK(h->has_efi32_entry == r->has_efi32_entry &&
		      h->efi32_entry == r->efi32_entry &&
		      h->has_efi64_entry == r->has_efi64_entry &&
		      h->efi64_entry == r->efi64_entry,
	      "mb2 EFI entry tags differ");
	CHECK(h->relocatable == r->relocatable &&
		      h->reloc_min == r->reloc_min &&
		      h->reloc_max == r->reloc_max &&
		      h->reloc_align == r->reloc_align &&
		      h->reloc_pref == r->reloc_pref,
	      "mb2 relocatable tag differs");
	CHECK(h->unknown_required == r->unknown_required &&
		      h->unknown_type == r->unknown_type,
	      "mb2 unknown tag %d/%u, reference %d/%u", h->unknown_required,
	      h->unknown_type, r->unknown_required, r->unknown_type);
}

/* ---- Load plan --------------------------------------------------------- */

/* e_entry as physical: in a paddr range as is, else via a vaddr range. */
static uint64_t ref_entry_phys(const struct elf_info *ei)
{
	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		if (ei->entry >= l->paddr && ei->entry - l->paddr < l->memsz)
			return ei->entry;
	}
	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		if (ei->entry >= l->vaddr && ei->entry - l->vaddr < l->memsz)
			return l->paddr + (ei->entry - l->vaddr);
	}
	return ei->entry;
}

static bool is_elf(const uint8_t *d, uint64_t n)
{
	return n >= 4 && memcmp(d,
				"\x7f"
				"ELF",
				4) == 0;
}

/* The a.out kludge rules of multiboot.h step 3. */
static enum mb_err ref_kludge(uint64_t n, uint64_t hoff, uint32_t header_addr,
			      uint32_t load_addr, uint32_t load_end,
			      uint32_t bss_end, struct mb_plan *r)
{
	uint64_t start, filesz, memsz;

	if (load_addr > header_addr)
		return MB_E_LOAD_ADDR;
	if (header_addr - load_addr > hoff)
		return MB_E_LOAD_BEFORE_FILE;
	start = hoff - (header_addr - load_addr);
	if (load_end == 0) {
		filesz = n - start;
	} else {
		if (load_end < load_addr)
			return MB_E_LOAD_END;
		filesz = load_end - load_addr;
		if (!in_buf(n, start, filesz))
			return MB_E_LOAD_PAST_FILE;
	}
	if (load_addr + filesz > FOUR_GIB)
		return MB_E_ABOVE_4G;
	if (bss_end == 0) {
		memsz = filesz;
	} else {
		if (bss_end < load_addr + filesz)
			return MB_E_BSS;
		memsz = bss_end - load_addr;
	}
	if (memsz == 0)
		return MB_E_EMPTY;
	r->kludge = true;
	r->nseg = 1;
	r->seg[0].dest = load_addr;
	r->seg[0].offset = start;
	r->seg[0].filesz = filesz;
	r->seg[0].memsz = memsz;
	r->lo = load_addr;
	r->hi = load_addr + memsz;
	return MB_OK;
}

/* The ELF file, or the error (detail for MB_E_ELF). */
static enum mb_err ref_elf(const uint8_t *d, uint64_t n, struct elf_info *ei,
			   struct mb_plan *r)
{
	if (!is_elf(d, n))
		return MB_E_NOT_ELF;
	const struct view f = view_make(d, n);
	enum elf_err e = elf_parse(&f, ei);
	if (e != ELF_OK) {
		r->detail = e;
		return MB_E_ELF;
	}
	return MB_OK;
}

static enum mb_err ref_elf_segs(const struct elf_info *ei, struct mb_plan *r)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		if (l->paddr + l->memsz > FOUR_GIB || l->paddr >= FOUR_GIB)
			return MB_E_ABOVE_4G;
		r->seg[i].dest = l->paddr;
		r->seg[i].offset = l->offset;
		r->seg[i].filesz = l->filesz;
		r->seg[i].memsz = l->memsz;
		if (l->paddr < lo)
			lo = l->paddr;
		if (l->paddr + l->memsz > hi)
			hi = l->paddr + l->memsz;
	}
	r->nseg = ei->nload;
	r->lo = lo;
	r->hi = hi;
	return MB_OK;
}

/* Whether entry is in [dest, dest + filesz) of one of r's segments. */
static bool ref_in_file_bytes(const struct mb_plan *r, uint64_t entry)
{
	for (uint32_t i = 0; i < r->nseg; i++)
		if (entry >= r->seg[i].dest &&
		    entry < r->seg[i].dest + r->seg[i].filesz)
			return true;
	return false;
}

/* The entry, after the segments: below 4 GiB, in a segment's file bytes. */
static enum mb_err ref_entry(uint64_t entry, struct mb_plan *r)
{
	if (entry >= FOUR_GIB)
		return MB_E_ENTRY_4G;
	if (!ref_in_file_bytes(r, entry)) {
		r->detail = (uint32_t)entry;
		return MB_E_ENTRY_OUTSIDE;
	}
	r->entry = (uint32_t)entry;
	return MB_OK;
}

static enum mb_err ref_plan1(const uint8_t *d, uint64_t n,
			     const struct mb1_header *h, struct mb_plan *r)
{
	const uint32_t req = h->flags & MB1_F_REQUIRED;
	struct elf_info ei;
	enum mb_err err;

	r->version = 1;
	r->eax = MB1_BOOT_MAGIC;
	if (h->err != MB_OK)
		return h->err;
	if (req & MB1_F_VIDEO_MODE)
		return MB_E_MB1_VIDEO;
	for (uint32_t bit = 3; bit < 16; bit++)
		if (req & (1u << bit)) {
			r->detail = bit;
			return MB_E_MB1_FLAG;
		}
	r->page_align_modules = h->flags & MB1_F_PAGE_ALIGN;
	r->memory_info = h->flags & MB1_F_MEMORY_INFO;
	if (h->flags & MB1_F_AOUT_KLUDGE) {
		err = ref_kludge(n, h->offset, h->header_addr, h->load_addr,
				 h->load_end_addr, h->bss_end_addr, r);
		return err != MB_OK ? err : ref_entry(h->entry_addr, r);
	}
	err = ref_elf(d, n, &ei, r);
	if (err == MB_OK)
		err = ref_elf_segs(&ei, r);
	if (err == MB_OK)
		err = ref_entry(ref_entry_phys(&ei), r);
	return err;
}

static bool req_possible(uint32_t type, bool relocatable)
{
	static const uint32_t ok[] = {
		0, 1, 2, 3, 4, 6, 12, 14, 15, 17, 18, 20
	};
	for (size_t i = 0; i < ARRAY_LEN(ok); i++)
		if (type == ok[i])
			return true;
	return type == MB2_TAG_LOAD_BASE && relocatable;
}

static enum mb_err ref_plan2(const uint8_t *d, uint64_t n,
			     const struct mb2_header *h, struct mb_plan *r)
{
	struct elf_info ei;
	enum mb_err err;

	r->version = 2;
	r->eax = MB2_BOOT_MAGIC;
	if (h->err != MB_OK) {
		r->detail = h->detail;
		return h->err;
	}
	if (h->unknown_required) {
		r->detail = h->unknown_type;
		return MB_E_MB2_UNKNOWN_TAG;
	}
	if (h->has_framebuffer && !h->framebuffer_optional)
		return MB_E_MB2_FRAMEBUFFER;
	if (h->has_console && !h->console_optional &&
	    (h->console_flags & MB2_CONSOLE_REQUIRED))
		return MB_E_MB2_CONSOLE;
	for (uint32_t i = 0; i < h->nreq; i++) {
		if (h->req[i].optional)
			continue;
		if (!req_possible(h->req[i].type, h->relocatable)) {
			r->detail = h->req[i].type;
			return MB_E_MB2_REQ;
		}
		r->req[r->nreq++] = h->req[i].type;
	}
	r->page_align_modules = h->module_align;
	r->efi_bs = h->efi_bs;
	if (h->has_addr) {
		uint32_t load_addr = h->load_addr;
		if (!h->has_entry) /* as GRUB: the address tag needs one */
			return MB_E_NO_ENTRY;
		if (load_addr == 0xFFFFFFFFu) { /* the whole file */
			if (h->header_addr < h->offset)
				return MB_E_LOAD_BELOW_0;
			load_addr = h->header_addr - (uint32_t)h->offset;
		}
		err = ref_kludge(n, h->offset, h->header_addr, load_addr,
				 h->load_end_addr, h->bss_end_addr, r);
		if (err == MB_OK)
			err = ref_entry(h->entry_addr, r);
	} else {
		err = ref_elf(d, n, &ei, r);
		if (err == MB_OK)
			err = ref_elf_segs(&ei, r);
		if (err == MB_OK)
			err = ref_entry(h->has_entry ? h->entry_addr
						     : ref_entry_phys(&ei),
					r);
	}
	if (err != MB_OK || !h->relocatable)
		return err;
	/* Step 5: an aligned base >= min with base + size <= max exists. */
	uint64_t align = h->reloc_align ? h->reloc_align : 1;
	if (align & (align - 1))
		return MB_E_MB2_RELOC;
	uint64_t first = (h->reloc_min + align - 1) / align * align;
	if (first > h->reloc_max || r->hi - r->lo > h->reloc_max - first)
		return MB_E_MB2_RELOC;
	r->relocatable = true;
	r->reloc_min = h->reloc_min;
	r->reloc_max = h->reloc_max;
	r->reloc_align = (uint32_t)align;
	r->reloc_pref = h->reloc_pref;
	return MB_OK;
}

static void compare_plans(const struct mb_plan *p, const struct mb_plan *r,
			  const char *what)
{
	CHECK(p->version == r->version && p->eax == r->eax,
	      "%s: version %u eax %#x", what, p->version, p->eax);
	CHECK(p->err == r->err && p->detail == r->detail,
	      "%s: err %d (%s) detail %u, reference %d (%s) detail %u", what,
	      p->err, mb_strerror(p->err), p->detail, r->err,
	      mb_strerror(r->err), r->detail);
	CHECK(p->nseg == r->nseg, "%s: nseg %u, reference %u", what, p->nseg,
	      r->nseg);
	for (uint32_t i = 0; i < r->nseg; i++)
		CHECK(p->seg[i].dest == r->seg[i].dest &&
			      p->seg[i].offset == r->seg[i].offset &&
			      p->seg[i].filesz == r->seg[i].filesz &&
			      p->seg[i].memsz == r->seg[i].memsz,
		      "%s: segment %u differs", what, i);
	CHECK(p->entry == r->entry && p->lo == r->lo && p->hi == r->hi &&
		      p->kludge == r->kludge,
	      "%s: entry %#x lo %#llx hi %#llx kludge %d, reference %#x "
	      "%#llx %#llx %d",
	      what, p->entry, (unsigned long long)p->lo,
	      (unsigned long long)p->hi, p->kludge, r->entry,
	      (unsigned long long)r->lo, (unsigned long long)r->hi, r->kludge);
	CHECK(p->page_align_modules == r->page_align_modules &&
		      p->memory_info == r->memory_info &&
		      p->efi_bs == r->efi_bs,
	      "%s: flags differ", what);
	CHECK(p->relocatable == r->relocatable &&
		      p->reloc_min == r->reloc_min &&
		      p->reloc_max == r->reloc_max &&
		      p->reloc_align == r->reloc_align &&
		      p->reloc_pref == r->reloc_pref,
	      "%s: relocation constraints differ", what);
	CHECK(p->nreq == r->nreq, "%s: nreq %u, reference %u", what, p->nreq,
	      r->nreq);
	for (uint32_t i = 0; i < r->nreq; i++)
		CHECK(p->req[i] == r->req[i], "%s: req %u is %u, reference %u",
		      what, i, p->req[i], r->req[i]);
}

/* What every successful (or relocated) plan must satisfy. */
static void check_plan_shape(const struct mb_plan *p, uint64_t n,
			     const char *what)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	CHECK(p->err == MB_OK && p->detail == 0, "%s: err %d detail %u", what,
	      p->err, p->detail);
	CHECK(p->nseg >= 1 && p->nseg <= MB_MAX_SEGS, "%s: nseg %u", what,
	      p->nseg);
	CHECK(!p->kludge || p->nseg == 1, "%s: kludge with %u segments", what,
	      p->nseg);
	for (uint32_t i = 0; i < p->nseg; i++) {
		const struct mb_seg *s = &p->seg[i];
		CHECK(in_buf(n, s->offset, s->filesz),
		      "%s: segment %u [%#llx +%#llx) outside the %llu-byte "
		      "file",
		      what, i, (unsigned long long)s->offset,
		      (unsigned long long)s->filesz, (unsigned long long)n);
		CHECK(s->memsz > 0 && s->filesz <= s->memsz,
		      "%s: segment %u filesz %#llx memsz %#llx", what, i,
		      (unsigned long long)s->filesz,
		      (unsigned long long)s->memsz);
		CHECK(s->dest < FOUR_GIB && s->memsz <= FOUR_GIB - s->dest,
		      "%s: segment %u at %#llx +%#llx not below 4 GiB", what, i,
		      (unsigned long long)s->dest,
		      (unsigned long long)s->memsz);
		for (uint32_t j = 0; j < i; j++) {
			const struct mb_seg *t = &p->seg[j];
			CHECK(s->dest + s->memsz <= t->dest ||
				      t->dest + t->memsz <= s->dest,
			      "%s: segments %u and %u overlap", what, j, i);
		}
		if (s->dest < lo)
			lo = s->dest;
		if (s->dest + s->memsz > hi)
			hi = s->dest + s->memsz;
	}
	CHECK(p->lo == lo && p->hi == hi,
	      "%s: lo/hi %#llx/%#llx, segments span %#llx/%#llx", what,
	      (unsigned long long)p->lo, (unsigned long long)p->hi,
	      (unsigned long long)lo, (unsigned long long)hi);
	CHECK(ref_in_file_bytes(p, p->entry),
	      "%s: entry %#x not in a segment's file bytes", what, p->entry);
	CHECK(p->version == 1 || p->version == 2, "%s: version", what);
	CHECK(p->eax == (p->version == 1 ? MB1_BOOT_MAGIC : MB2_BOOT_MAGIC),
	      "%s: eax %#x", what, p->eax);
	if (p->relocatable) {
		uint64_t a = p->reloc_align;
		CHECK(a != 0 && (a & (a - 1)) == 0, "%s: reloc_align %#llx",
		      what, (unsigned long long)a);
		uint64_t first = (p->reloc_min + a - 1) / a * a;
		CHECK(first <= p->reloc_max &&
			      p->hi - p->lo <= p->reloc_max - first,
		      "%s: no base fits the relocation constraints", what);
	}
	for (uint32_t i = 0; i < p->nreq; i++)
		CHECK(req_possible(p->req[i], p->relocatable),
		      "%s: required type %u kept", what, p->req[i]);
}

/* On error only version, eax, err and detail may be non-zero, and for
 * MB_E_ELF where in the ELF it failed (elf_bad, for mb_describe). */
static void check_plan_cleared(const struct mb_plan *p, const char *what)
{
	struct mb_plan z;
	memcpy(&z, p, sizeof(z));
	z.version = 0;
	z.eax = 0;
	z.err = MB_OK;
	z.detail = 0;
	if (p->err == MB_E_ELF)
		memset(&z.elf_bad, 0, sizeof(z.elf_bad));
	static const struct mb_plan zero;
	CHECK(p->nseg == 0, "%s: error with nseg %u", what, p->nseg);
	CHECK(memcmp(&z, &zero, sizeof(z)) == 0, "%s: failed plan not cleared",
	      what);
}

static void check_format(enum mb_err err, uint32_t detail)
{
	char full[512], small[64];
	CHECK(mb_strerror(err) != NULL, "mb_strerror(%d) NULL", err);
	CHECK(mb_format_error(full, sizeof(full), err, detail) == full,
	      "mb_format_error does not return buf");
	size_t n = bounded_len(full, sizeof(full));
	CHECK(n > 0 && n < sizeof(full), "formatted error length %zu", n);
	for (size_t cap = 0; cap <= n + 1 && cap <= sizeof(small); cap++) {
		memset(small, 0x5a, sizeof(small));
		CHECK(mb_format_error(small, cap, err, detail) == small,
		      "mb_format_error does not return buf");
		if (cap == 0) {
			CHECK((uint8_t)small[0] == 0x5a, "cap 0 wrote");
			continue;
		}
		size_t k = bounded_len(small, cap);
		CHECK(k < cap && k == (n < cap - 1 ? n : cap - 1) &&
			      memcmp(small, full, k) == 0,
		      "cap %zu: not a NUL-terminated prefix", cap);
		for (size_t i = cap; i < sizeof(small); i++)
			CHECK((uint8_t)small[i] == 0x5a, "cap %zu: wrote %zu",
			      cap, i);
	}
}

/* The reference decision of mb_plan_relocate. */
static enum mb_err ref_relocate(const struct mb_plan *p, uint64_t b)
{
	if (b == p->lo)
		return MB_OK;
	if (!p->relocatable)
		return MB_E_NOT_RELOCATABLE;
	uint64_t size = p->hi - p->lo;
	if (p->reloc_align == 0 || b % p->reloc_align != 0 ||
	    b < p->reloc_min || b > p->reloc_max || size > p->reloc_max - b)
		return MB_E_RELOC_RANGE;
	if (!ref_in_file_bytes(p, p->entry))
		return MB_E_ENTRY_OUTSIDE;
	if (b >= p->lo ? b - p->lo >= FOUR_GIB - p->entry
		       : p->entry < p->lo - b)
		return MB_E_RELOC_RANGE;
	return MB_OK;
}

static void try_relocate(const struct mb_plan *orig, uint64_t b, uint64_t n)
{
	static struct mb_plan p, back;

	memcpy(&p, orig, sizeof(p));
	enum mb_err err = mb_plan_relocate(&p, b);
	enum mb_err want = ref_relocate(orig, b);
	TRACE("  relocate %#llx -> %#llx: %s\n", (unsigned long long)orig->lo,
	      (unsigned long long)b, mb_strerror(err));
	check_format(err, 0);
	CHECK(err == want, "relocate %#llx to %#llx: %s, reference %s",
	      (unsigned long long)orig->lo, (unsigned long long)b,
	      mb_strerror(err), mb_strerror(want));
	if (err != MB_OK) {
		CHECK(memcmp(&p, orig, sizeof(p)) == 0,
		      "refused relocation changed the plan");
		return;
	}
	CHECK(p.lo == b && p.hi - p.lo == orig->hi - orig->lo,
	      "relocated lo/hi %#llx/%#llx for base %#llx",
	      (unsigned long long)p.lo, (unsigned long long)p.hi,
	      (unsigned long long)b);
	CHECK((uint64_t)p.entry - b == (uint64_t)orig->entry - orig->lo,
	      "entry %#x not moved with the image", p.entry);
	for (uint32_t i = 0; i < p.nseg; i++)
		CHECK(p.seg[i].dest - b == orig->seg[i].dest - orig->lo &&
			      p.seg[i].offset == orig->seg[i].offset &&
			      p.seg[i].filesz == orig->seg[i].filesz &&
			      p.seg[i].memsz == orig->seg[i].memsz,
		      "segment %u not moved with the image", i);
	check_plan_shape(&p, n, "relocated plan");
	/* Everything else unchanged: compare with the moved fields copied. */
	memcpy(&back, orig, sizeof(back));
	back.lo = p.lo;
	back.hi = p.hi;
	back.entry = p.entry;
	for (uint32_t i = 0; i < p.nseg; i++)
		back.seg[i].dest = p.seg[i].dest;
	CHECK(memcmp(&back, &p, sizeof(p)) == 0,
	      "relocation changed more than the addresses");
	/* Moving back, when allowed, restores the plan exactly. */
	memcpy(&back, &p, sizeof(back));
	if (mb_plan_relocate(&back, orig->lo) == MB_OK)
		CHECK(memcmp(&back, orig, sizeof(back)) == 0,
		      "relocating back does not restore the plan");
}

static void check_relocations(const struct mb_plan *p, uint64_t n,
			      uint32_t from_input)
{
	uint64_t a = p->reloc_align ? p->reloc_align : 1;
	uint64_t size = p->hi - p->lo;
	uint64_t first = (p->reloc_min + a - 1) / a * a;
	uint64_t last =
		p->reloc_max >= size ? (p->reloc_max - size) / a * a : 0;
	const uint64_t bases[] = {
		p->lo,
		p->lo + a,
		p->lo - a,
		first,
		last,
		last + a,
		first + 1,
		p->reloc_max - size,
		p->reloc_min - 1,
		0,
		FOUR_GIB - size,
		from_input,
		from_input / a * a,
	};
	for (size_t i = 0; i < ARRAY_LEN(bases); i++)
		try_relocate(p, bases[i], n);
}

static void check_plans(const uint8_t *d, uint64_t n, const struct view *f,
			bool f1, const struct mb1_header *h1, bool f2,
			const struct mb2_header *h2, uint32_t reloc_base,
			struct mb_plan *plan2_out)
{
	static struct mb_plan p, r;
	enum mb_err err;

	err = mb_plan(f, NULL, NULL, &p);
	CHECK(err == MB_E_ARGS && p.err == MB_E_ARGS, "no header: %d", err);
	check_plan_cleared(&p, "no header");
	check_format(err, p.detail);

	memset(plan2_out, 0, sizeof(*plan2_out));
	plan2_out->err = MB_E_ARGS;
	for (int v = 1; v <= 2; v++) {
		if ((v == 1 && !f1) || (v == 2 && !f2))
			continue;
		err = mb_plan(f, v == 1 ? h1 : NULL, v == 2 ? h2 : NULL, &p);
		memset(&r, 0, sizeof(r));
		r.err = v == 1 ? ref_plan1(d, n, h1, &r)
			       : ref_plan2(d, n, h2, &r);
		TRACE("multiboot: MB%d plan: %s, %u segments, entry %#x, "
		      "[%#llx, %#llx)%s\n",
		      v, mb_strerror(err), p.nseg, p.entry,
		      (unsigned long long)p.lo, (unsigned long long)p.hi,
		      p.relocatable ? " relocatable" : "");
		CHECK(err == p.err, "mb_plan returned %d, plan.err %d", err,
		      p.err);
		check_format(err, p.detail);
		if (r.err != MB_OK) {
			/* The reference filled fields before failing. */
			uint32_t version = r.version, eax = r.eax;
			uint32_t detail = r.detail;
			enum mb_err e = r.err;
			memset(&r, 0, sizeof(r));
			r.version = version;
			r.eax = eax;
			r.detail = detail;
			r.err = e;
		}
		compare_plans(&p, &r, v == 1 ? "MB1 plan" : "MB2 plan");
		if (err != MB_OK) {
			check_plan_cleared(&p, "failed plan");
			continue;
		}
		check_plan_shape(&p, n, v == 1 ? "MB1 plan" : "MB2 plan");
		check_relocations(&p, n, reloc_base);
		if (v == 2)
			memcpy(plan2_out, &p, sizeof(p));
	}
}

/* ---- Builder inputs ---------------------------------------------------- */

struct bargs {
	uint8_t opts, fix;
	uint64_t pa;
	struct memmap *mm; /* NULL or &mm */
	uint32_t nmm;	   /* entries actually filled in */
	bool mm_refused;
	char *cmdline;
	struct mb_module mods[MAX_MODS];
	uint32_t nmods;
	uint8_t *rsdp;
	size_t rsdp_len;
	struct mb2_efi efi;
	uint8_t *efi_map;
	struct mb_range loader[MAX_LOADER];
	uint32_t nloader;
	struct mb2_extra x;
	struct mb2_extra *xp; /* NULL or &x */
	uint32_t reloc_base;
};

static struct memmap mm;

/* An exactly sized NUL-terminated copy of n input bytes. */
static char *take_str(struct fin *in, size_t n)
{
	char *s = malloc(n + 1);
	CHECK(s != NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		s[i] = (char)fin_u8(in);
	s[n] = '\0';
	return s;
}

static uint8_t *take_bytes(struct fin *in, size_t n)
{
	uint8_t *b = malloc(n ? n : 1);
	CHECK(b != NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		b[i] = fin_u8(in);
	return b;
}

static void read_args(struct fin *in, struct bargs *a)
{
	memset(a, 0, sizeof(*a));
	a->opts = fin_u8(in);
	a->fix = fin_u8(in);
	a->pa = (a->opts & 0x40) ? fin_u64(in) : (fin_u32(in) & ~7u);

	memset(&mm, 0, sizeof(mm));
	a->nmm = fin_u8(in) % (MAX_MM + 1);
	for (uint32_t i = 0; i < a->nmm; i++) {
		uint8_t tag = fin_u8(in);
		struct memmap_entry *e = &mm.e[i];
		switch (tag & 3) {
		case 0:
			e->addr = (uint64_t)fin_u16(in) << 12;
			e->size = (uint64_t)fin_u16(in) << 12;
			break;
		case 1:
			e->addr = (uint64_t)fin_u16(in) << 10;
			e->size = (uint64_t)fin_u16(in) << 10;
			break;
		case 2:
			e->addr = fin_u64(in);
			e->size = fin_u64(in);
			break;
		default:
			e->addr = fin_u32(in);
			e->size = fin_u32(in);
			break;
		}
		e->type = tag >> 2;
	}
	mm.n = a->nmm;
	if (a->opts & 0x20) {
		mm.n = MEMMAP_MAX + 1;
		a->mm_refused = true;
	}
	a->mm = (a->nmm == 0 && !a->mm_refused && (a->opts & 0x80)) ? NULL
								    : &mm;

	if (a->opts & 0x01)
		a->cmdline = take_str(in, fin_u8(in));

	a->nmods = fin_u8(in) % (MAX_MODS + 1);
	for (uint32_t i = 0; i < a->nmods; i++) {
		uint8_t fl = fin_u8(in);
		struct mb_module *m = &a->mods[i];
		m->paddr = (fl & 2) ? fin_u64(in) : fin_u32(in);
		m->size = fin_u32(in);
		size_t sl = fin_u8(in);
		m->string = (fl & 1) ? NULL : take_str(in, sl);
	}

	if (a->opts & 0x02) {
		a->rsdp_len = fin_u8(in) % 64;
		a->rsdp = take_bytes(in, a->rsdp_len);
		a->x.rsdp = a->rsdp;
		a->x.rsdp_len = a->rsdp_len;
	}
	if (a->opts & 0x04) {
		a->efi.system_table = fin_u64(in);
		a->efi.image_handle = fin_u64(in);
		a->efi.mmap_size = fin_u8(in);
		if (a->efi.mmap_size != 0) {
			a->efi_map = take_bytes(in, a->efi.mmap_size);
			a->efi.mmap = a->efi_map;
		}
		a->efi.desc_size = fin_u32(in);
		a->efi.desc_version = fin_u32(in);
		a->efi.boot_services = (a->opts & 0x10) != 0;
		a->x.efi = &a->efi;
	}
	if (a->opts & 0x08) {
		a->x.has_load_base = true;
		a->x.load_base = fin_u32(in);
	}
	a->xp = (a->opts & 0x0e) ? &a->x : NULL;
	a->reloc_base = fin_u32(in);
	a->nloader = fin_u8(in) % (MAX_LOADER + 1);
	for (uint32_t i = 0; i < a->nloader; i++) {
		a->loader[i].start = fin_u64(in);
		a->loader[i].size = fin_u64(in);
	}
	if (a->nloader != 0) {
		a->efi.loader = a->loader;
		a->efi.nloader = a->nloader;
	}
}

static void free_args(struct bargs *a)
{
	free(a->cmdline);
	for (uint32_t i = 0; i < a->nmods; i++)
		free((char *)a->mods[i].string);
	free(a->rsdp);
	free(a->efi_map);
}

static uint64_t sat_end(const struct memmap_entry *e)
{
	return e->size > UINT64_MAX - e->addr ? UINT64_MAX : e->addr + e->size;
}

/* End of the RAM run containing at: a sweep over sorted RAM ranges. */
static uint64_t ref_run_end(uint64_t at)
{
	uint64_t s[MAX_MM], e[MAX_MM];
	uint32_t k = 0;

	for (uint32_t i = 0; i < mm.n && i < MAX_MM; i++) {
		if (mm.e[i].type != MEMMAP_RAM || mm.e[i].size == 0)
			continue;
		uint32_t j = k++;
		for (; j > 0 && s[j - 1] > mm.e[i].addr; j--) {
			s[j] = s[j - 1];
			e[j] = e[j - 1];
		}
		s[j] = mm.e[i].addr;
		e[j] = sat_end(&mm.e[i]);
	}
	for (uint32_t i = 0; i < k; i++)
		if (s[i] <= at && at < e[i])
			at = e[i];
	return at;
}

static uint32_t ref_mem_lower(const struct bargs *a)
{
	if (a->mm == NULL)
		return 0;
	uint64_t end = ref_run_end(0);
	return (uint32_t)((end > 0xa0000 ? 0xa0000 : end) / 1024);
}

static uint32_t ref_mem_upper(const struct bargs *a)
{
	if (a->mm == NULL)
		return 0;
	uint64_t kib = (ref_run_end(ONE_MIB) - ONE_MIB) / 1024;
	return kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
}

/* The first module not below 4 GiB, or -1. */
static int ref_bad_module(const struct bargs *a)
{
	for (uint32_t i = 0; i < a->nmods; i++) {
		const struct mb_module *m = &a->mods[i];
		if (m->paddr >= FOUR_GIB || m->paddr + m->size >= FOUR_GIB)
			return (int)i;
	}
	return -1;
}

static bool refused(const struct bargs *a)
{
	return a->mm_refused || ref_bad_module(a) >= 0;
}

static const char *mod_str(const struct mb_module *m)
{
	return m->string != NULL ? m->string : "";
}

/* ---- Multiboot 1 information ------------------------------------------- */

struct mm1 {
	uint64_t base, len;
	uint32_t type;
};

/* The documented MB1 map: mm's order, RAM spanning 1 MiB split there. */
static uint32_t ref_mm1(const struct bargs *a, struct mm1 *out)
{
	uint32_t k = 0;
	for (uint32_t i = 0; a->mm != NULL && i < a->nmm; i++) {
		const struct memmap_entry *e = &mm.e[i];
		uint64_t end = sat_end(e);
		if (e->type == MEMMAP_RAM && e->addr < ONE_MIB &&
		    end > ONE_MIB) {
			out[k++] = (struct mm1){ e->addr, ONE_MIB - e->addr,
						 e->type };
			out[k++] =
				(struct mm1){ ONE_MIB, end - ONE_MIB, e->type };
		} else {
			out[k++] = (struct mm1){ e->addr, e->size, e->type };
		}
	}
	return k;
}

struct layout1 {
	uint64_t mmap, mods, cmdline, name, modstr[MAX_MODS], total;
};

static void ref_layout1(const struct bargs *a, uint32_t nmm1, struct layout1 *l)
{
	uint64_t end = MB1_INFO_SIZE;
	memset(l, 0, sizeof(*l));
	if (nmm1) {
		l->mmap = align8(end);
		end = l->mmap + (uint64_t)nmm1 * 24;
	}
	if (a->nmods) {
		l->mods = align8(end);
		end = l->mods + (uint64_t)a->nmods * 16;
	}
	if (a->cmdline) {
		l->cmdline = end;
		end += strlen(a->cmdline) + 1;
	}
	l->name = end;
	end += sizeof(MB_LOADER_NAME);
	for (uint32_t i = 0; i < a->nmods; i++) {
		l->modstr[i] = end;
		end += strlen(mod_str(&a->mods[i])) + 1;
	}
	l->total = end;
}

struct claims {
	uint8_t *owned;
	uint64_t size;
};

static void claim(struct claims *c, uint64_t off, uint64_t n, const char *what)
{
	CHECK(in_buf(c->size, off, n),
	      "%s [%#llx +%#llx) outside the %#llx "
	      "byte block",
	      what, (unsigned long long)off, (unsigned long long)n,
	      (unsigned long long)c->size);
	for (uint64_t i = off; i < off + n; i++) {
		CHECK(!c->owned[i], "%s overlaps another structure at %#llx",
		      what, (unsigned long long)i);
		c->owned[i] = 1;
	}
}

/* The offset of a physical address that must point into the block. */
static uint64_t in_block(uint32_t addr, uint64_t pa, uint64_t size,
			 const char *what)
{
	CHECK(addr >= pa && addr - pa < size,
	      "%s address %#x outside the block at %#llx +%#llx", what, addr,
	      (unsigned long long)pa, (unsigned long long)size);
	return addr - pa;
}

/* A NUL-terminated string at a physical address inside the block. */
static void check_str(const uint8_t *buf, uint64_t size, uint64_t pa,
		      uint32_t addr, const char *want, uint64_t want_off,
		      struct claims *c, const char *what)
{
	uint64_t off = in_block(addr, pa, size, what);
	size_t n = bounded_len((const char *)buf + off, size - off);
	CHECK(n < size - off, "%s not NUL-terminated in the block", what);
	CHECK(strcmp((const char *)buf + off, want) == 0,
	      "%s is \"%s\", expected \"%s\"", what, (const char *)buf + off,
	      want);
	CHECK(off == want_off, "%s at offset %#llx, documented %#llx", what,
	      (unsigned long long)off, (unsigned long long)want_off);
	claim(c, off, n + 1, what);
}

static void walk_mb1(const uint8_t *buf, uint64_t size, const struct bargs *a,
		     const struct mm1 *exp, uint32_t nexp,
		     const struct layout1 *l)
{
	struct claims c = { calloc(size, 1), size };
	const uint64_t pa = a->pa;
	CHECK(c.owned != NULL, "out of memory");
	CHECK(size >= MB1_INFO_SIZE, "MB1 block of %llu bytes",
	      (unsigned long long)size);
	claim(&c, 0, MB1_INFO_SIZE, "MB1 info");

	uint32_t flags = ld32(buf + MB1_INFO_FLAGS);
	uint32_t want =
		MB1_INFO_F_MEMORY | MB1_INFO_F_MODS | MB1_INFO_F_LOADER_NAME;
	if (a->cmdline)
		want |= MB1_INFO_F_CMDLINE;
	if (nexp)
		want |= MB1_INFO_F_MMAP;
	CHECK(flags == want, "MB1 flags %#x, expected %#x", flags, want);
	CHECK(ld32(buf + MB1_INFO_MEM_LOWER) == ref_mem_lower(a) &&
		      ld32(buf + MB1_INFO_MEM_UPPER) == ref_mem_upper(a),
	      "mem_lower/upper %u/%u, reference %u/%u",
	      ld32(buf + MB1_INFO_MEM_LOWER), ld32(buf + MB1_INFO_MEM_UPPER),
	      ref_mem_lower(a), ref_mem_upper(a));
	/* Fields the builder does not provide are 0. */
	CHECK(ld32(buf + MB1_INFO_BOOT_DEVICE) == 0, "boot_device set");
	for (uint32_t o = MB1_INFO_SYMS; o < MB1_INFO_MMAP_LENGTH; o++)
		CHECK(buf[o] == 0, "syms byte %u set", o);
	for (uint32_t o = MB1_INFO_DRIVES_LENGTH; o < MB1_INFO_LOADER_NAME; o++)
		CHECK(buf[o] == 0, "drives/config byte %u set", o);
	for (uint32_t o = MB1_INFO_LOADER_NAME + 4; o < MB1_INFO_SIZE; o++)
		CHECK(buf[o] == 0, "APM/VBE/framebuffer byte %u set", o);

	if (flags & MB1_INFO_F_CMDLINE)
		check_str(buf, size, pa, ld32(buf + MB1_INFO_CMDLINE),
			  a->cmdline, l->cmdline, &c, "MB1 cmdline");
	else
		CHECK(ld32(buf + MB1_INFO_CMDLINE) == 0,
		      "cmdline without flag");
	check_str(buf, size, pa, ld32(buf + MB1_INFO_LOADER_NAME),
		  MB_LOADER_NAME, l->name, &c, "MB1 loader name");

	uint32_t count = ld32(buf + MB1_INFO_MODS_COUNT);
	uint32_t maddr = ld32(buf + MB1_INFO_MODS_ADDR);
	CHECK(count == a->nmods, "mods_count %u, expected %u", count, a->nmods);
	if (count == 0) {
		CHECK(maddr == 0, "mods_addr %#x without modules", maddr);
	} else {
		uint64_t mo = in_block(maddr, pa, size, "mods_addr");
		CHECK(mo == l->mods, "modules at %#llx, documented %#llx",
		      (unsigned long long)mo, (unsigned long long)l->mods);
		claim(&c, mo, (uint64_t)count * MB1_MOD_SIZE, "MB1 modules");
		for (uint32_t i = 0; i < count; i++) {
			const uint8_t *p = buf + mo + 16 * i;
			const struct mb_module *m = &a->mods[i];
			CHECK(ld32(p) == m->paddr &&
				      ld32(p + 4) == m->paddr + m->size &&
				      ld32(p + 12) == 0,
			      "module %u: %#x-%#x reserved %#x", i, ld32(p),
			      ld32(p + 4), ld32(p + 12));
			check_str(buf, size, pa, ld32(p + 8), mod_str(m),
				  l->modstr[i], &c, "MB1 module string");
		}
	}

	uint32_t mlen = ld32(buf + MB1_INFO_MMAP_LENGTH);
	uint32_t maddr2 = ld32(buf + MB1_INFO_MMAP_ADDR);
	if (!(flags & MB1_INFO_F_MMAP)) {
		CHECK(mlen == 0 && maddr2 == 0, "mmap fields without flag");
	} else {
		uint64_t mo = in_block(maddr2, pa, size, "mmap_addr");
		CHECK(mo == l->mmap && maddr2 % 4 == 0,
		      "mmap at %#llx, documented %#llx", (unsigned long long)mo,
		      (unsigned long long)l->mmap);
		claim(&c, mo, mlen, "MB1 mmap");
		uint64_t p = mo, k = 0;
		while (p < mo + mlen) {
			CHECK(p + 4 <= mo + mlen, "mmap size field cut");
			uint32_t esz = ld32(buf + p);
			CHECK(esz == 20 && p + 4 + esz <= mo + mlen,
			      "mmap entry %llu size %u runs past mmap_length",
			      (unsigned long long)k, esz);
			CHECK(k < nexp, "more mmap entries than expected %u",
			      nexp);
			CHECK(ld_le(buf + p + 4, 8) == exp[k].base &&
				      ld_le(buf + p + 12, 8) == exp[k].len &&
				      ld32(buf + p + 20) == exp[k].type,
			      "mmap entry %llu: %#llx +%#llx type %u, expected "
			      "%#llx +%#llx type %u",
			      (unsigned long long)k,
			      (unsigned long long)ld_le(buf + p + 4, 8),
			      (unsigned long long)ld_le(buf + p + 12, 8),
			      ld32(buf + p + 20),
			      (unsigned long long)exp[k].base,
			      (unsigned long long)exp[k].len, exp[k].type);
			p += 4 + esz;
			k++;
		}
		CHECK(k == nexp, "%llu mmap entries, expected %u",
		      (unsigned long long)k, nexp);
	}

	/* Every byte is claimed once or is zero padding; no slack at the end.
	 */
	for (uint64_t i = 0; i < size; i++)
		CHECK(c.owned[i] || buf[i] == 0, "stray byte %#x at %#llx",
		      buf[i], (unsigned long long)i);
	CHECK(c.owned[size - 1], "unused bytes at the end of the MB1 block");
	free(c.owned);
}

static void check_mb1(const struct bargs *a)
{
	struct mm1 exp[2 * MAX_MM];
	struct layout1 l;
	uint32_t nexp = ref_mm1(a, exp);
	ref_layout1(a, nexp, &l);
	const uint64_t want = refused(a) ? 0 : l.total;

	size_t size = mb1_info_size(a->mm, a->cmdline, a->mods, a->nmods);
	CHECK(size == want, "mb1_info_size %zu, expected %llu", size,
	      (unsigned long long)want);
	if (size == 0) {
		uint8_t tmp[MB1_INFO_SIZE];
		CHECK(mb1_info_build(tmp, sizeof(tmp), 0, a->mm, a->cmdline,
				     a->mods, a->nmods) == 0,
		      "mb1_info_build accepts refused inputs");
		return;
	}
	uint8_t *shrt = malloc(size - 1);
	uint8_t *buf = malloc(size);
	CHECK(shrt != NULL && buf != NULL, "out of memory");
	CHECK(mb1_info_build(shrt, size - 1, a->pa, a->mm, a->cmdline, a->mods,
			     a->nmods) == 0,
	      "mb1_info_build into %zu bytes, needs %zu", size - 1, size);
	size_t got = mb1_info_build(buf, size, a->pa, a->mm, a->cmdline,
				    a->mods, a->nmods);
	bool fits = a->pa % 4 == 0 && a->pa <= FOUR_GIB - size;
	TRACE("multiboot: MB1 info %zu bytes at %#llx: %zu\n", size,
	      (unsigned long long)a->pa, got);
	CHECK(got == (fits ? size : 0), "mb1_info_build %zu at %#llx: %zu",
	      size, (unsigned long long)a->pa, got);
	if (got != 0)
		walk_mb1(buf, size, a, exp, nexp, &l);
	free(shrt);
	free(buf);
}

/* ---- Multiboot 2 information ------------------------------------------- */

static bool ref_provides(uint32_t type, const struct mb2_extra *x)
{
	const struct mb2_efi *efi = x ? x->efi : NULL;
	bool rsdp = x && x->rsdp && x->rsdp_len >= 20;

	switch (type) {
	case 0: /* the end tag */
	case 1:
	case 2:
	case 3:
	case 4:
	case 6:
		return true;
	case 14:
		return rsdp;
	case 15:
		return rsdp && x->rsdp_len >= 36 && x->rsdp[15] >= 2;
	case 12:
		return efi && efi->system_table != 0;
	case 17:
		return efi && efi->mmap != NULL && efi->mmap_size != 0;
	case 18:
		return efi && efi->boot_services;
	case 20:
		return efi && efi->image_handle != 0;
	case 21:
		return x && x->has_load_base;
	default:
		return false;
	}
}

struct exp_tag {
	uint32_t type;
	uint32_t size; /* head included, padding excluded */
	uint64_t body; /* offset of the expected body in scratch */
};

static uint8_t scratch[8192];
static uint64_t scratch_len;

static uint8_t *sbody(uint64_t n)
{
	CHECK(scratch_len + n <= sizeof(scratch), "scratch too small");
	uint8_t *p = scratch + scratch_len;
	scratch_len += n;
	return p;
}

static void stu32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void stu64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A loader range rounded out to 4 KiB pages; false when empty. The end
 * saturates at 2^64 - 4096 (no descriptor that does not wrap reaches past
 * it). */
static bool ref_range(const struct mb_range *r, uint64_t *s, uint64_t *e)
{
	uint64_t end = r->size > UINT64_MAX - r->start ? UINT64_MAX
						       : r->start + r->size;
	if (r->size == 0)
		return false;
	*s = r->start / 4096 * 4096;
	*e = end > UINT64_MAX - 4095 ? UINT64_MAX / 4096 * 4096
				     : (end + 4095) / 4096 * 4096;
	return *e > *s;
}

static bool ref_in_loader(const struct mb2_efi *efi, uint64_t at)
{
	uint64_t s, e;
	for (uint32_t i = 0; i < efi->nloader; i++)
		if (ref_range(&efi->loader[i], &s, &e) && s <= at && at < e)
			return true;
	return false;
}

/* One descriptor: d's bytes with the piece's type, start, pages and (when
 * not 0) VirtualStart moved along. */
static void ref_piece(uint8_t *out, const uint8_t *d, uint32_t ds, uint64_t s,
		      uint64_t e, uint32_t type)
{
	memcpy(out, d, ds);
	stu32(out, type);
	stu64(out + 8, s);
	if (ld_le(d + 16, 8))
		stu64(out + 16, ld_le(d + 16, 8) + (s - ld_le(d + 8, 8)));
	stu64(out + 24, (e - s) / 4096);
}

/* Tag 17's descriptors (multiboot.h, struct mb2_efi) at out; returns their
 * bytes and the number of descriptors added in *added. */
static uint64_t ref_efi_map(const struct mb2_efi *efi, uint8_t *out,
			    uint64_t *added)
{
	const uint32_t ds = efi->desc_size;
	uint64_t n = 0, len = 0;

	*added = 0;
	if (efi->loader && efi->nloader && ds >= 40 && ds % 8 == 0)
		n = efi->mmap_size / ds;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *d = efi->mmap + i * ds;
		uint32_t type = ld32(d);
		uint64_t a = ld_le(d + 8, 8), pages = ld_le(d + 24, 8);
		bool is_free = type == 3 || type == 4 || type == 7;
		if (!is_free || pages == 0 || pages > (UINT64_MAX - a) / 4096) {
			memcpy(out + len, d, ds);
			len += ds;
			continue;
		}
		uint64_t b = a + pages * 4096, cut[2 * MAX_LOADER + 2], s, e;
		uint32_t nc = 0;
		cut[nc++] = a;
		for (uint32_t r = 0; r < efi->nloader; r++) {
			if (!ref_range(&efi->loader[r], &s, &e))
				continue;
			if (s > a && s < b)
				cut[nc++] = s;
			if (e > a && e < b)
				cut[nc++] = e;
		}
		for (uint32_t x = 1; x < nc; x++) /* insertion sort */
			for (uint32_t y = x; y > 0 && cut[y - 1] > cut[y];
			     y--) {
				uint64_t t = cut[y];
				cut[y] = cut[y - 1];
				cut[y - 1] = t;
			}
		cut[nc++] = b;
		/* Each piece between cuts has one type; a run of pieces of
		 * the same type is one descriptor. */
		uint64_t from = a, pieces = 1;
		bool m = ref_in_loader(efi, a);
		for (uint32_t c = 1; c < nc; c++) {
			if (cut[c] == cut[c - 1])
				continue;
			bool st = ref_in_loader(efi, cut[c - 1]);
			if (st == m)
				continue;
			ref_piece(out + len, d, ds, from, cut[c - 1],
				  m ? 2 : type);
			len += ds;
			pieces++;
			from = cut[c - 1];
			m = st;
		}
		ref_piece(out + len, d, ds, from, b, m ? 2 : type);
		len += ds;
		*added += pieces - 1;
	}
	memcpy(out + len, efi->mmap + n * ds, efi->mmap_size - n * ds);
	return len + (efi->mmap_size - n * ds);
}

/* Whether two of the whole descriptors of efi's map overlap (a wrapping
 * one counts as reaching 2^64). */
static bool efi_overlaps(const struct mb2_efi *efi)
{
	const uint32_t ds = efi->desc_size;
	uint64_t n = ds >= 40 && ds % 8 == 0 ? efi->mmap_size / ds : 0;
	for (uint64_t i = 0; i < n; i++)
		for (uint64_t j = 0; j < i; j++) {
			const uint8_t *p = efi->mmap + i * ds;
			const uint8_t *q = efi->mmap + j * ds;
			uint64_t ps = ld_le(p + 8, 8), qs = ld_le(q + 8, 8);
			uint64_t pn = ld_le(p + 24, 8), qn = ld_le(q + 24, 8);
			uint64_t pe = pn > (UINT64_MAX - ps) / 4096
					      ? UINT64_MAX
					      : ps + pn * 4096;
			uint64_t qe = qn > (UINT64_MAX - qs) / 4096
					      ? UINT64_MAX
					      : qs + qn * 4096;
			if (pn && qn && ps < qe && qs < pe)
				return true;
		}
	return false;
}

/* The documented tag list; returns the number of tags (end tag included). */
static uint32_t ref_tags(const struct bargs *a, struct exp_tag *t)
{
	const struct mb2_extra *x = a->xp;
	uint32_t k = 0;
	uint8_t *p;

	scratch_len = 0;
#define NEW(ty, n)                                                             \
	(t[k].type = (ty), t[k].size = (uint32_t)(8 + (n)),                    \
	 t[k].body = scratch_len, k++, sbody(n))
	if (a->cmdline) {
		size_t n = strlen(a->cmdline) + 1;
		memcpy(NEW(1, n), a->cmdline, n);
	}
	memcpy(NEW(2, sizeof(MB_LOADER_NAME)), MB_LOADER_NAME,
	       sizeof(MB_LOADER_NAME));
	for (uint32_t i = 0; i < a->nmods; i++) {
		const char *s = mod_str(&a->mods[i]);
		size_t n = strlen(s) + 1;
		p = NEW(3, 8 + n);
		stu32(p, (uint32_t)a->mods[i].paddr);
		stu32(p + 4, (uint32_t)(a->mods[i].paddr + a->mods[i].size));
		memcpy(p + 8, s, n);
	}
	p = NEW(4, 8);
	stu32(p, ref_mem_lower(a));
	stu32(p + 4, ref_mem_upper(a));
	if (a->mm != NULL && a->nmm != 0) {
		p = NEW(6, 8 + 24 * a->nmm);
		stu32(p, 24);
		stu32(p + 4, 0);
		for (uint32_t i = 0; i < a->nmm; i++) {
			uint8_t *e = p + 8 + 24 * i;
			stu64(e, mm.e[i].addr);
			stu64(e + 8, mm.e[i].size);
			stu32(e + 16, mm.e[i].type);
			stu32(e + 20, 0);
		}
	}
	if (ref_provides(14, x))
		memcpy(NEW(14, 20), x->rsdp, 20);
	if (ref_provides(15, x))
		memcpy(NEW(15, x->rsdp_len), x->rsdp, x->rsdp_len);
	if (ref_provides(12, x))
		stu64(NEW(12, 8), x->efi->system_table);
	if (ref_provides(17, x)) {
		static uint8_t map[255 + 2 * MAX_LOADER * 255];
		uint64_t added, n = ref_efi_map(x->efi, map, &added);
		uint32_t ranges = 0;
		for (uint32_t i = 0; i < x->efi->nloader; i++) {
			uint64_t s, e;
			ranges += ref_range(&x->efi->loader[i], &s, &e);
		}
		/* The bound multiboot.h gives, for maps without overlaps. */
		CHECK(added <= 2 * (uint64_t)ranges || efi_overlaps(x->efi),
		      "tag 17: %llu descriptors added for %u ranges",
		      (unsigned long long)added, ranges);
		p = NEW(17, 8 + n);
		stu32(p, x->efi->desc_size);
		stu32(p + 4, x->efi->desc_version);
		memcpy(p + 8, map, n);
	}
	if (ref_provides(18, x))
		NEW(18, 0);
	if (ref_provides(20, x))
		stu64(NEW(20, 8), x->efi->image_handle);
	if (ref_provides(21, x))
		stu32(NEW(21, 4), x->load_base);
	NEW(0, 0);
#undef NEW
	return k;
}

static void walk_mb2(const uint8_t *buf, uint64_t size, const struct exp_tag *t,
		     uint32_t nt)
{
	CHECK(size >= 16 && size % 8 == 0, "MB2 block of %llu bytes",
	      (unsigned long long)size);
	CHECK(ld32(buf) == size && ld32(buf + 4) == 0,
	      "total_size %u reserved %u for a %llu-byte block", ld32(buf),
	      ld32(buf + 4), (unsigned long long)size);
	uint64_t off = 8;
	for (uint32_t k = 0;; k++) {
		CHECK(off % 8 == 0 && off + 8 <= size,
		      "tag %u at %#llx outside total_size", k,
		      (unsigned long long)off);
		uint32_t type = ld32(buf + off), tsz = ld32(buf + off + 4);
		CHECK(tsz >= 8 && tsz <= size - off,
		      "tag %u (type %u) size %u at %#llx runs past total_size",
		      k, type, tsz, (unsigned long long)off);
		CHECK(k < nt, "more tags than expected (%u)", nt);
		CHECK(type == t[k].type && tsz == t[k].size,
		      "tag %u: type %u size %u, expected type %u size %u", k,
		      type, tsz, t[k].type, t[k].size);
		CHECK(memcmp(buf + off + 8, scratch + t[k].body, tsz - 8) == 0,
		      "tag %u (type %u) body differs", k, type);
		if (type == MB2_TAG_END) {
			CHECK(tsz == 8 && off + 8 == size && k == nt - 1,
			      "end tag size %u at %#llx of %llu", tsz,
			      (unsigned long long)off,
			      (unsigned long long)size);
			return;
		}
		uint64_t next = align8(off + tsz);
		CHECK(next <= size, "tag %u padding past total_size", k);
		for (uint64_t i = off + tsz; i < next; i++)
			CHECK(buf[i] == 0, "padding byte %#llx is %#x",
			      (unsigned long long)i, buf[i]);
		off = next;
	}
}

static void check_mb2(const struct bargs *a, const struct mb_plan *plan2)
{
	static struct exp_tag t[MAX_EXP_TAGS];
	uint32_t nt = ref_tags(a, t);
	uint64_t total = 8;
	for (uint32_t i = 0; i < nt; i++)
		total = align8(total) + t[i].size;
	const uint64_t want = refused(a) ? 0 : total;

	for (uint32_t type = 0; type < 32; type++) {
		CHECK(mb2_info_provides(type, a->xp) ==
			      ref_provides(type, a->xp),
		      "mb2_info_provides(%u)", type);
		CHECK(mb2_info_provides(type, NULL) == ref_provides(type, NULL),
		      "mb2_info_provides(%u, NULL)", type);
	}
	if (plan2->err == MB_OK) {
		uint32_t type = 0xdeadbeef, want_type = 0xdeadbeef;
		enum mb_err rq = MB_OK;
		for (uint32_t i = 0; i < plan2->nreq; i++)
			if (!ref_provides(plan2->req[i], a->xp)) {
				rq = MB_E_MB2_REQ;
				want_type = plan2->req[i];
				break;
			}
		enum mb_err e = mb2_check_requests(plan2, a->xp, &type);
		CHECK(e == rq && type == want_type,
		      "mb2_check_requests %d type %u, reference %d type %u", e,
		      type, rq, want_type);
		CHECK(mb2_check_requests(plan2, a->xp, NULL) == rq,
		      "mb2_check_requests without type");
	}

	size_t size =
		mb2_info_size(a->mm, a->cmdline, a->mods, a->nmods, a->xp);
	CHECK(size == want, "mb2_info_size %zu, expected %llu", size,
	      (unsigned long long)want);
	if (size == 0) {
		uint8_t tmp[64];
		CHECK(mb2_info_build(tmp, sizeof(tmp), 0, a->mm, a->cmdline,
				     a->mods, a->nmods, a->xp) == 0,
		      "mb2_info_build accepts refused inputs");
		return;
	}
	uint8_t *shrt = malloc(size - 1);
	uint8_t *buf = malloc(size);
	CHECK(shrt != NULL && buf != NULL, "out of memory");
	CHECK(mb2_info_build(shrt, size - 1, a->pa, a->mm, a->cmdline, a->mods,
			     a->nmods, a->xp) == 0,
	      "mb2_info_build into %zu bytes, needs %zu", size - 1, size);
	size_t got = mb2_info_build(buf, size, a->pa, a->mm, a->cmdline,
				    a->mods, a->nmods, a->xp);
	bool fits = a->pa % 8 == 0 && a->pa <= FOUR_GIB - size;
	TRACE("multiboot: MB2 info %zu bytes at %#llx: %zu, %u tags\n", size,
	      (unsigned long long)a->pa, got, nt);
	CHECK(got == (fits ? size : 0), "mb2_info_build %zu at %#llx: %zu",
	      size, (unsigned long long)a->pa, got);
	if (got != 0)
		walk_mb2(buf, size, t, nt);
	free(shrt);
	free(buf);
}

static void check_builders(struct bargs *a, const struct mb_plan *plan2)
{
	uint32_t bad = 0xdeadbeef;
	int want = ref_bad_module(a);
	enum mb_err e = mb_check_modules(a->mods, a->nmods, &bad);
	CHECK(e == (want >= 0 ? MB_E_MOD_4G : MB_OK) &&
		      (want < 0 || bad == (uint32_t)want),
	      "mb_check_modules %d bad %u, reference %d", e, bad, want);
	if (e != MB_OK)
		check_format(e, bad);
	bad = 0xdeadbeef;
	CHECK(mb_check_modules(NULL, 1, &bad) == MB_E_MOD_4G && bad == 0,
	      "NULL modules accepted");
	if (!a->mm_refused) {
		CHECK(mb_mem_lower(a->mm) == ref_mem_lower(a) &&
			      mb_mem_upper(a->mm) == ref_mem_upper(a),
		      "mb_mem_lower/upper %u/%u, reference %u/%u",
		      mb_mem_lower(a->mm), mb_mem_upper(a->mm),
		      ref_mem_lower(a), ref_mem_upper(a));
	}
	check_mb1(a);
	check_mb2(a, plan2);
}

/* ---- Entry ------------------------------------------------------------- */

/* Makes the first magic's checksum right (fix-up byte, see the top). */
static void fix_checksums(uint8_t *k, uint64_t n, uint8_t fix)
{
	for (uint64_t off = 0;
	     (fix & 1) && off + 12 <= n && off + 12 <= MB1_SEARCH; off += 4)
		if (ld32(k + off) == MB1_MAGIC) {
			uint32_t c = 0u - MB1_MAGIC - ld32(k + off + 4);
			for (int i = 0; i < 4; i++)
				k[off + 8 + i] = (uint8_t)(c >> (8 * i));
			break;
		}
	for (uint64_t off = 0;
	     (fix & 2) && off + 16 <= n && off + 16 <= MB2_SEARCH; off += 8)
		if (ld32(k + off) == MB2_MAGIC) {
			uint32_t c = 0u - MB2_MAGIC - ld32(k + off + 4) -
				     ld32(k + off + 8);
			for (int i = 0; i < 4; i++)
				k[off + 12 + i] = (uint8_t)(c >> (8 * i));
			break;
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb1_header h1, r1;
	static struct mb2_header h2, r2;
	static struct mb_plan plan2;
	static struct bargs args;

	size_t plen = size ? data[size - 1] : 0;
	if (plen > (size ? size - 1 : 0))
		plen = size ? size - 1 : 0;
	size_t klen = size ? size - 1 - plen : 0;

	uint8_t *k = malloc(klen ? klen : 1);
	CHECK(k != NULL, "out of memory");
	memcpy(k, data, klen);
	const struct view f = view_make(k, klen);
	struct fin in = fin_make(data + klen, plen);
	read_args(&in, &args);
	fix_checksums(k, klen, args.fix);

	bool f1 = mb1_find(&f, &h1), rf1 = ref_mb1_find(k, klen, &r1);
	bool f2 = mb2_find(&f, &h2), rf2 = ref_mb2_find(k, klen, &r2);
	TRACE("multiboot: %zu-byte file: MB1 %s, MB2 %s\n", klen,
	      f1 ? mb_strerror(h1.err) : "none",
	      f2 ? mb_strerror(h2.err) : "none");
	check_mb1_header(f1, &h1, rf1, &r1);
	check_mb2_header(f2, &h2, rf2, &r2);
	check_plans(k, klen, &f, f1, &h1, f2, &h2, args.reloc_base, &plan2);
	check_builders(&args, &plan2);

	free_args(&args);
	free(k);
	return 0;
}
