// SPDX-License-Identifier: MIT
/*
 * multiboot.c: finding and checking Multiboot 1 and 2 headers, and planning
 * how a Multiboot kernel is loaded (see multiboot.h for the rules).
 *
 * Every value comes out of the file through the view accessors, and every
 * sum of values from the file is checked before it is used: the header
 * scans stay inside min(window, file), the tag walk inside header_length,
 * and the load plan inside the file and below 4 GiB.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "multiboot.h"
#include "../elfload/elf.h"
#include "../lib/fmt.h"

#define FOUR_GIB 0x100000000ull

/* Multiboot 1 header field offsets. */
#define H1_MAGIC 0
#define H1_FLAGS 4
#define H1_CHECKSUM 8
#define H1_HEADER_ADDR 12
#define H1_LOAD_ADDR 16
#define H1_LOAD_END_ADDR 20
#define H1_BSS_END_ADDR 24
#define H1_ENTRY_ADDR 28
#define H1_MODE_TYPE 32
#define H1_WIDTH 36
#define H1_HEIGHT 40
#define H1_DEPTH 44

/* Multiboot 2 header field offsets. */
#define H2_MAGIC 0
#define H2_ARCH 4
#define H2_LENGTH 8
#define H2_CHECKSUM 12
#define H2_TAGS 16

/* Header tag: type u16, flags u16, size u32, then the body. */
#define TAG_TYPE 0
#define TAG_FLAGS 2
#define TAG_SIZE 4
#define TAG_BODY 8
#define TAG_HEAD 8
#define TAG_END_SIZE 8

/* A u32 of f at off; 0 when it is not inside f (callers checked already). */
const char *mb_strerror(enum mb_err err)
{
	switch (err) {
	case MB_OK:
		return "no error";
	case MB_E_MB1_WINDOW:
		return "Multiboot 1 header runs past the first 8192 bytes";
	case MB_E_MB1_SHORT:
		return "Multiboot 1 header runs past the end of the file";
	case MB_E_MB2_ARCH:
		return "unsupported architecture";
	case MB_E_MB2_LENGTH:
		return "header_length is shorter than a Multiboot 2 header";
	case MB_E_MB2_WINDOW:
		return "header_length runs past the search window";
	case MB_E_MB2_SHORT:
		return "header_length runs past the end of the file";
	case MB_E_MB2_TAG:
		return "bad Multiboot 2 header tag";
	case MB_E_MB2_NO_END:
		return "Multiboot 2 header has no end tag";
	case MB_E_MB2_TOO_MANY_REQ:
		return "too many information request types";
	case MB_E_MB1_VIDEO:
		return "kernel requires a video mode (Multiboot flag 2)";
	case MB_E_MB1_FLAG:
		return "kernel requires an unsupported Multiboot feature";
	case MB_E_MB2_UNKNOWN_TAG:
		return "kernel requires an unsupported Multiboot 2 header tag";
	case MB_E_MB2_REQ:
		return "kernel requires boot information the firmware cannot "
		       "provide";
	case MB_E_MB2_FRAMEBUFFER:
		return "kernel requires a framebuffer (Multiboot 2 header tag "
		       "5)";
	case MB_E_MB2_CONSOLE:
		return "kernel requires a console (Multiboot 2 header tag 4)";
	case MB_E_MB2_RELOC:
		return "bad Multiboot 2 relocatable tag";
	case MB_E_NOT_ELF:
		return "no Multiboot address fields and not an ELF file";
	case MB_E_ELF:
		return "bad ELF file";
	case MB_E_LOAD_ADDR:
		return "load_addr is above header_addr";
	case MB_E_LOAD_BEFORE_FILE:
		return "load_addr is before the start of the file";
	case MB_E_LOAD_BELOW_0:
		return "load_addr -1 (the whole file) puts the file's start "
		       "below address 0";
	case MB_E_LOAD_END:
		return "load_end_addr is below load_addr";
	case MB_E_LOAD_PAST_FILE:
		return "load_end_addr runs past the end of the file";
	case MB_E_BSS:
		return "bss_end_addr is below the end of the loaded bytes";
	case MB_E_EMPTY:
		return "nothing to load";
	case MB_E_ABOVE_4G:
		return "kernel does not fit below 4 GiB";
	case MB_E_ENTRY_4G:
		return "entry point is not below 4 GiB";
	case MB_E_NO_ENTRY:
		return "Multiboot 2 address tag without an entry address tag";
	case MB_E_ENTRY_OUTSIDE:
		return "entry point is not in the bytes loaded from the kernel "
		       "file";
	case MB_E_NOT_RELOCATABLE:
		return "kernel is not relocatable";
	case MB_E_RELOC_RANGE:
		return "load address outside the kernel's relocatable range";
	case MB_E_MOD_4G:
		return "module is not below 4 GiB";
	case MB_E_ARGS:
		return "no Multiboot header";
	}
	return "unknown error";
}

const char *mb_format_error(char *buf, size_t cap, enum mb_err err,
			    uint32_t detail)
{
	const char *what = mb_strerror(err);

	switch (err) {
	case MB_E_MB1_FLAG:
		fmt_snprintf(buf, cap,
			     "kernel requires an unsupported feature "
			     "(Multiboot flag bit %u)",
			     detail);
		break;
	case MB_E_MB2_ARCH:
		fmt_snprintf(buf, cap,
			     "%s %u in the Multiboot 2 header (i386 "
			     "is 0)",
			     what, detail);
		break;
	case MB_E_MB2_TAG:
		fmt_snprintf(buf, cap, "%s at file offset 0x%x", what, detail);
		break;
	case MB_E_MB2_UNKNOWN_TAG:
		fmt_snprintf(buf, cap, "%s (type %u)", what, detail);
		break;
	case MB_E_MB2_REQ:
		fmt_snprintf(buf, cap, "%s (information tag type %u)", what,
			     detail);
		break;
	case MB_E_ELF:
		fmt_snprintf(buf, cap, "%s: %s", what,
			     elf_strerror((enum elf_err)detail));
		break;
	case MB_E_MOD_4G:
		fmt_snprintf(buf, cap, "%s (module %u)", what, detail);
		break;
	case MB_E_ENTRY_OUTSIDE:
		fmt_snprintf(buf, cap,
			     "entry point 0x%x is not in the bytes loaded "
			     "from the kernel file",
			     detail);
		break;
	default:
		fmt_snprintf(buf, cap, "%s", what);
		break;
	}
	return buf;
}

const char *mb_describe(char *buf, size_t cap, const struct mb_plan *plan)
{
	char why[96];

	if (plan->err != MB_E_ELF)
		return mb_format_error(buf, cap, plan->err, plan->detail);
	elf_describe((enum elf_err)plan->detail, &plan->elf_bad, why,
		     sizeof(why));
	fmt_snprintf(buf, cap, "%s: %s", mb_strerror(MB_E_ELF), why);
	return buf;
}

/* ---- Multiboot 1 header --------------------------------------------- */

bool mb1_find(const struct view *f, struct mb1_header *out)
{
	const uint64_t win = f->len < MB1_SEARCH ? f->len : MB1_SEARCH;

	memset(out, 0, sizeof(*out));
	if (win < MB1_HDR_MIN)
		return false;
	const uint64_t end = win - MB1_HDR_MIN + 1; /* header inside win */
	for (uint64_t off = view_find_u32(f, 0, end, MB1_ALIGN, MB1_MAGIC);
	     off != VIEW_NONE; off = view_find_u32(f, off + MB1_ALIGN, end,
						   MB1_ALIGN, MB1_MAGIC)) {
		uint32_t magic = view_le32(f, off + H1_MAGIC);
		uint32_t flags = view_le32(f, off + H1_FLAGS);
		uint32_t sum = view_le32(f, off + H1_CHECKSUM);
		uint64_t need = MB1_HDR_MIN;

		if (magic != MB1_MAGIC || (uint32_t)(magic + flags + sum) != 0)
			continue;
		out->offset = off;
		out->flags = flags;
		if (flags & MB1_F_AOUT_KLUDGE)
			need = MB1_HDR_ADDR;
		if (flags & MB1_F_VIDEO_MODE)
			need = MB1_HDR_VIDEO;
		if (off + need > MB1_SEARCH) {
			out->err = MB_E_MB1_WINDOW;
			return true;
		}
		if (!view_has(f, off, need)) {
			out->err = MB_E_MB1_SHORT;
			return true;
		}
		if (flags & MB1_F_AOUT_KLUDGE) {
			out->has_addr = true;
			out->header_addr = view_le32(f, off + H1_HEADER_ADDR);
			out->load_addr = view_le32(f, off + H1_LOAD_ADDR);
			out->load_end_addr =
				view_le32(f, off + H1_LOAD_END_ADDR);
			out->bss_end_addr = view_le32(f, off + H1_BSS_END_ADDR);
			out->entry_addr = view_le32(f, off + H1_ENTRY_ADDR);
		}
		if (flags & MB1_F_VIDEO_MODE) {
			out->has_video = true;
			out->mode_type = view_le32(f, off + H1_MODE_TYPE);
			out->width = view_le32(f, off + H1_WIDTH);
			out->height = view_le32(f, off + H1_HEIGHT);
			out->depth = view_le32(f, off + H1_DEPTH);
		}
		out->err = MB_OK;
		return true;
	}
	return false;
}

/* ---- Multiboot 2 header --------------------------------------------- */

/* The smallest size (head included) of each known header tag type. */
static uint32_t htag_min_size(uint16_t type)
{
	switch (type) {
	case MB2_HTAG_ADDRESS:
	case MB2_HTAG_RELOCATABLE:
		return TAG_HEAD + 16;
	case MB2_HTAG_ENTRY:
	case MB2_HTAG_CONSOLE:
	case MB2_HTAG_EFI32_ENTRY:
	case MB2_HTAG_EFI64_ENTRY:
		return TAG_HEAD + 4;
	case MB2_HTAG_FRAMEBUFFER:
		return TAG_HEAD + 12;
	default:
		return TAG_HEAD;
	}
}

/* Adds the requested types of one information request tag. */
static enum mb_err add_requests(const struct view *f, uint64_t body, uint32_t n,
				bool optional, struct mb2_header *out)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t type = view_le32(f, body + 4 * (uint64_t)i);
		uint32_t j;
		for (j = 0; j < out->nreq; j++) {
			if (out->req[j].type == type)
				break;
		}
		if (j == out->nreq) {
			if (out->nreq == MB2_MAX_REQ)
				return MB_E_MB2_TOO_MANY_REQ;
			out->req[j].type = type;
			out->req[j].optional = optional;
			out->nreq++;
		} else if (!optional) {
			out->req[j].optional = false;
		}
	}
	return MB_OK;
}

/* Takes one tag (already bounds-checked) into out. */
static enum mb_err take_tag(const struct view *f, uint64_t tag, uint16_t type,
			    bool optional, uint32_t size,
			    struct mb2_header *out)
{
	const uint64_t b = tag + TAG_BODY;

	switch (type) {
	case MB2_HTAG_INFO_REQ:
		return add_requests(f, b, (size - TAG_HEAD) / 4, optional, out);
	case MB2_HTAG_ADDRESS:
		out->has_addr = true;
		out->header_addr = view_le32(f, b);
		out->load_addr = view_le32(f, b + 4);
		out->load_end_addr = view_le32(f, b + 8);
		out->bss_end_addr = view_le32(f, b + 12);
		break;
	case MB2_HTAG_ENTRY:
		out->has_entry = true;
		out->entry_addr = view_le32(f, b);
		break;
	case MB2_HTAG_CONSOLE:
		out->has_console = true;
		out->console_optional = optional;
		out->console_flags = view_le32(f, b);
		break;
	case MB2_HTAG_FRAMEBUFFER:
		out->has_framebuffer = true;
		out->framebuffer_optional = optional;
		out->fb_width = view_le32(f, b);
		out->fb_height = view_le32(f, b + 4);
		out->fb_depth = view_le32(f, b + 8);
		break;
	case MB2_HTAG_MODULE_ALIGN:
		out->module_align = true;
		break;
	case MB2_HTAG_EFI_BS:
		out->efi_bs = true;
		break;
	case MB2_HTAG_EFI32_ENTRY:
		out->has_efi32_entry = true;
		out->efi32_entry = view_le32(f, b);
		break;
	case MB2_HTAG_EFI64_ENTRY:
		out->has_efi64_entry = true;
		out->efi64_entry = view_le32(f, b);
		break;
	case MB2_HTAG_RELOCATABLE:
		out->relocatable = true;
		out->reloc_min = view_le32(f, b);
		out->reloc_max = view_le32(f, b + 4);
		out->reloc_align = view_le32(f, b + 8);
		out->reloc_pref = view_le32(f, b + 12);
		break;
	default:
		if (!optional && !out->unknown_required) {
			out->unknown_required = true;
			out->unknown_type = type;
		}
		break;
	}
	return MB_OK;
}

/* Walks the tags of the header at h (header_length len, inside f). */
static enum mb_err walk_tags(const struct view *f, uint64_t h, uint32_t len,
			     struct mb2_header *out)
{
	uint64_t pos = H2_TAGS;

	for (;;) {
		uint64_t tag = h + pos;
		uint16_t type, flags;
		uint32_t size;
		enum mb_err err;

		if (pos + TAG_HEAD > len)
			return MB_E_MB2_NO_END;
		type = view_le16(f, tag + TAG_TYPE);
		flags = view_le16(f, tag + TAG_FLAGS);
		size = view_le32(f, tag + TAG_SIZE);
		out->detail = (uint32_t)tag;
		if (size < htag_min_size(type) || size > len - pos)
			return MB_E_MB2_TAG;
		if (type == MB2_HTAG_END) {
			if (size != TAG_END_SIZE)
				return MB_E_MB2_TAG;
			out->detail = 0;
			return MB_OK;
		}
		err = take_tag(f, tag, type, (flags & MB2_TAG_OPTIONAL) != 0,
			       size, out);
		if (err != MB_OK)
			return err;
		out->ntags++;
		pos = (pos + size + 7) & ~(uint64_t)7;
	}
}

bool mb2_find(const struct view *f, struct mb2_header *out)
{
	const uint64_t win = f->len < MB2_SEARCH ? f->len : MB2_SEARCH;

	memset(out, 0, sizeof(*out));
	if (win < MB2_HDR_MIN)
		return false;
	const uint64_t end = win - MB2_HDR_MIN + 1; /* header inside win */
	for (uint64_t off = view_find_u32(f, 0, end, MB2_ALIGN, MB2_MAGIC);
	     off != VIEW_NONE; off = view_find_u32(f, off + MB2_ALIGN, end,
						   MB2_ALIGN, MB2_MAGIC)) {
		uint32_t magic = view_le32(f, off + H2_MAGIC);
		uint32_t arch = view_le32(f, off + H2_ARCH);
		uint32_t len = view_le32(f, off + H2_LENGTH);
		uint32_t sum = view_le32(f, off + H2_CHECKSUM);

		if (magic != MB2_MAGIC ||
		    (uint32_t)(magic + arch + len + sum) != 0)
			continue;
		out->offset = off;
		out->architecture = arch;
		out->header_length = len;
		if (arch != MB2_ARCH_I386) {
			out->err = MB_E_MB2_ARCH;
			out->detail = arch;
		} else if (len < MB2_HDR_MIN) {
			out->err = MB_E_MB2_LENGTH;
		} else if (off + len > MB2_SEARCH) {
			out->err = MB_E_MB2_WINDOW;
		} else if (!view_has(f, off, len)) {
			out->err = MB_E_MB2_SHORT;
		} else {
			out->err = walk_tags(f, off, len, out);
		}
		return true;
	}
	return false;
}

/* ---- Load plan --------------------------------------------------------- */

/* The always-producible information tags a kernel may require. */
static bool mb2_req_possible(uint32_t type, bool relocatable)
{
	switch (type) {
	case MB2_TAG_END: /* always written; a header's zero padding */
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER_NAME:
	case MB2_TAG_MODULE:
	case MB2_TAG_BASIC_MEMINFO:
	case MB2_TAG_MMAP:
	case MB2_TAG_EFI64:
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
	case MB2_TAG_EFI_MMAP:
	case MB2_TAG_EFI_BS:
	case MB2_TAG_EFI64_IH:
		return true;
	case MB2_TAG_LOAD_BASE:
		return relocatable;
	default:
		return false;
	}
}

/*
 * e_entry as a physical address: unchanged when it lies in a segment's
 * physical range, translated when it lies only in one's virtual range.
 */
static uint64_t elf_entry_phys(const struct elf_info *ei)
{
	const uint64_t e = ei->entry;

	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		if (e >= l->paddr && e - l->paddr < l->memsz)
			return e;
	}
	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		if (e >= l->vaddr && e - l->vaddr < l->memsz)
			return l->paddr + (e - l->vaddr);
	}
	return e;
}

/* Parses f as an ELF; MB_E_NOT_ELF / MB_E_ELF (detail) when it is not one. */
static enum mb_err parse_elf(const struct view *f, struct elf_info *ei,
			     struct mb_plan *out)
{
	enum elf_err e;

	if (!elf_is_elf(f))
		return MB_E_NOT_ELF;
	e = elf_parse(f, ei);
	if (e != ELF_OK) {
		out->detail = (uint32_t)e;
		out->elf_bad = ei->bad;
		return MB_E_ELF;
	}
	return MB_OK;
}

/* Whether entry lies in the file bytes of one of the plan's segments. */
static bool entry_in_file_bytes(const struct mb_plan *p, uint64_t entry)
{
	for (uint32_t i = 0; i < p->nseg && i < MB_MAX_SEGS; i++) {
		const struct mb_seg *s = &p->seg[i];
		if (entry >= s->dest && entry - s->dest < s->filesz)
			return true;
	}
	return false;
}

/* The entry, once the segments are planned: below 4 GiB and in the bytes
 * a segment loads from the file (not the bss, not a gap). */
static enum mb_err set_entry(uint64_t entry, struct mb_plan *out)
{
	if (entry >= FOUR_GIB)
		return MB_E_ENTRY_4G;
	if (!entry_in_file_bytes(out, entry)) {
		out->detail = (uint32_t)entry;
		return MB_E_ENTRY_OUTSIDE;
	}
	out->entry = (uint32_t)entry;
	return MB_OK;
}

/* The a.out kludge: one segment from the address fields. */
static enum mb_err plan_kludge(const struct view *f, uint64_t hoff,
			       uint32_t header_addr, uint32_t load_addr,
			       uint32_t load_end, uint32_t bss_end,
			       struct mb_plan *out)
{
	uint64_t start, filesz, end, memsz;

	if (load_addr > header_addr)
		return MB_E_LOAD_ADDR;
	if ((uint64_t)(header_addr - load_addr) > hoff)
		return MB_E_LOAD_BEFORE_FILE;
	start = hoff - (header_addr - load_addr);
	if (load_end == 0) {
		filesz = f->len - start; /* start <= hoff < f->len */
	} else {
		if (load_end < load_addr)
			return MB_E_LOAD_END;
		filesz = (uint64_t)load_end - load_addr;
		if (!view_has(f, start, filesz))
			return MB_E_LOAD_PAST_FILE;
	}
	if (filesz > FOUR_GIB - load_addr)
		return MB_E_ABOVE_4G;
	end = load_addr + filesz;
	if (bss_end == 0) {
		memsz = filesz;
	} else {
		if (bss_end < end)
			return MB_E_BSS;
		memsz = (uint64_t)bss_end - load_addr;
	}
	if (memsz == 0)
		return MB_E_EMPTY;
	out->kludge = true;
	out->nseg = 1;
	out->seg[0].dest = load_addr;
	out->seg[0].offset = start;
	out->seg[0].filesz = filesz;
	out->seg[0].memsz = memsz;
	out->lo = load_addr;
	out->hi = load_addr + memsz;
	return MB_OK;
}

/* The ELF path: PT_LOADs at p_paddr, all below 4 GiB. */
static enum mb_err plan_elf_segs(const struct elf_info *ei, struct mb_plan *out)
{
	if (ei->nload > MB_MAX_SEGS)
		return MB_E_ELF; /* cannot happen: ELF_MAX_LOAD == 32 */
	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		if (l->paddr >= FOUR_GIB || l->memsz > FOUR_GIB - l->paddr)
			return MB_E_ABOVE_4G;
	}
	out->nseg = ei->nload;
	for (uint32_t i = 0; i < ei->nload; i++) {
		const struct elf_load *l = &ei->load[i];
		out->seg[i].dest = l->paddr;
		out->seg[i].offset = l->offset;
		out->seg[i].filesz = l->filesz;
		out->seg[i].memsz = l->memsz;
	}
	out->lo = ei->paddr_lo;
	out->hi = ei->paddr_hi;
	return MB_OK;
}

static enum mb_err plan1(const struct view *f, const struct mb1_header *h,
			 struct mb_plan *out)
{
	const uint32_t req = h->flags & MB1_F_REQUIRED;
	const uint32_t known = MB1_F_PAGE_ALIGN | MB1_F_MEMORY_INFO;
	struct elf_info ei;
	enum mb_err err;

	out->version = 1;
	out->eax = MB1_BOOT_MAGIC;
	if (h->err != MB_OK)
		return h->err;
	if (req & MB1_F_VIDEO_MODE)
		return MB_E_MB1_VIDEO;
	if (req & ~known) {
		uint32_t bit = 0;
		while (!((req & ~known) & (1u << bit)))
			bit++;
		out->detail = bit;
		return MB_E_MB1_FLAG;
	}
	out->page_align_modules = (h->flags & MB1_F_PAGE_ALIGN) != 0;
	out->memory_info = (h->flags & MB1_F_MEMORY_INFO) != 0;
	if (h->flags & MB1_F_AOUT_KLUDGE) {
		err = plan_kludge(f, h->offset, h->header_addr, h->load_addr,
				  h->load_end_addr, h->bss_end_addr, out);
		if (err != MB_OK)
			return err;
		return set_entry(h->entry_addr, out);
	}
	err = parse_elf(f, &ei, out);
	if (err != MB_OK)
		return err;
	err = plan_elf_segs(&ei, out);
	if (err != MB_OK)
		return err;
	return set_entry(elf_entry_phys(&ei), out);
}

/* MB2 requirements that do not depend on the loading. */
static enum mb_err check2(const struct mb2_header *h, struct mb_plan *out)
{
	if (h->unknown_required) {
		out->detail = h->unknown_type;
		return MB_E_MB2_UNKNOWN_TAG;
	}
	if (h->has_framebuffer && !h->framebuffer_optional)
		return MB_E_MB2_FRAMEBUFFER;
	if (h->has_console && !h->console_optional &&
	    (h->console_flags & MB2_CONSOLE_REQUIRED))
		return MB_E_MB2_CONSOLE;
	for (uint32_t i = 0; i < h->nreq && i < MB2_MAX_REQ; i++) {
		if (h->req[i].optional)
			continue;
		if (!mb2_req_possible(h->req[i].type, h->relocatable)) {
			out->detail = h->req[i].type;
			return MB_E_MB2_REQ;
		}
		out->req[out->nreq++] = h->req[i].type;
	}
	return MB_OK;
}

/* The relocatable tag: a power-of-two alignment and room for the image. */
static enum mb_err plan_reloc(const struct mb2_header *h, struct mb_plan *out)
{
	uint64_t align = h->reloc_align != 0 ? h->reloc_align : 1;
	uint64_t size = out->hi - out->lo, first;

	if (align & (align - 1))
		return MB_E_MB2_RELOC;
	first = ((uint64_t)h->reloc_min + align - 1) & ~(align - 1);
	if (h->reloc_min > h->reloc_max || first > h->reloc_max ||
	    size > h->reloc_max - first)
		return MB_E_MB2_RELOC;
	out->relocatable = true;
	out->reloc_min = h->reloc_min;
	out->reloc_max = h->reloc_max;
	out->reloc_align = (uint32_t)align;
	out->reloc_pref = h->reloc_pref;
	return MB_OK;
}

static enum mb_err plan2(const struct view *f, const struct mb2_header *h,
			 struct mb_plan *out)
{
	struct elf_info ei;
	enum mb_err err;

	out->version = 2;
	out->eax = MB2_BOOT_MAGIC;
	if (h->err != MB_OK) {
		out->detail = h->detail;
		return h->err;
	}
	err = check2(h, out);
	if (err != MB_OK)
		return err;
	out->page_align_modules = h->module_align;
	out->efi_bs = h->efi_bs;
	if (h->has_addr) {
		/* The address tag places the bytes: the ELF headers' entry
		 * need not be among them (GRUB refuses this too). */
		if (!h->has_entry)
			return MB_E_NO_ENTRY;
		/* load_addr -1: the file loads from its first byte. */
		uint32_t load_addr = h->load_addr;
		if (load_addr == MB2_LOAD_FROM_START) {
			if (h->header_addr < h->offset)
				return MB_E_LOAD_BELOW_0;
			load_addr = h->header_addr - (uint32_t)h->offset;
		}
		err = plan_kludge(f, h->offset, h->header_addr, load_addr,
				  h->load_end_addr, h->bss_end_addr, out);
		if (err == MB_OK)
			err = set_entry(h->entry_addr, out);
	} else {
		err = parse_elf(f, &ei, out);
		if (err == MB_OK)
			err = plan_elf_segs(&ei, out);
		if (err == MB_OK)
			err = set_entry(h->has_entry ? h->entry_addr
						     : elf_entry_phys(&ei),
					out);
	}
	if (err == MB_OK && h->relocatable)
		err = plan_reloc(h, out);
	return err;
}

enum mb_err mb_plan(const struct view *f, const struct mb1_header *h1,
		    const struct mb2_header *h2, struct mb_plan *out)
{
	enum mb_err err;

	memset(out, 0, sizeof(*out));
	if (h2 != NULL)
		err = plan2(f, h2, out);
	else if (h1 != NULL)
		err = plan1(f, h1, out);
	else
		err = MB_E_ARGS;
	if (err != MB_OK) {
		uint32_t version = out->version, eax = out->eax;
		uint32_t detail = out->detail;
		struct elf_where elf_bad = out->elf_bad;
		memset(out, 0, sizeof(*out));
		out->version = version;
		out->eax = eax;
		out->detail = detail;
		out->elf_bad = elf_bad;
	} else {
		out->detail = 0;
	}
	out->err = err;
	return err;
}

/* Whether an image of `size` bytes may start at base under the tag. */
static bool reloc_base_ok(const struct mb_plan *p, uint64_t base, uint64_t size)
{
	return p->reloc_align != 0 && base % p->reloc_align == 0 &&
	       base >= p->reloc_min && base <= p->reloc_max &&
	       size <= p->reloc_max - base;
}

bool mb_plan_in_limits(const struct mb_plan *p)
{
	return !p->relocatable || reloc_base_ok(p, p->lo, p->hi - p->lo);
}

enum mb_err mb_plan_relocate(struct mb_plan *p, uint64_t new_base)
{
	uint64_t size;

	if (new_base == p->lo)
		return MB_OK;
	if (!p->relocatable)
		return MB_E_NOT_RELOCATABLE;
	size = p->hi - p->lo;
	if (!reloc_base_ok(p, new_base, size))
		return MB_E_RELOC_RANGE;
	/* In a segment's file bytes, the entry moves with that segment: it
	 * stays in them, below new_base + size <= reloc_max < 4 GiB. */
	if (!entry_in_file_bytes(p, p->entry))
		return MB_E_ENTRY_OUTSIDE;
	/* Modulo 2^64: only a hand-made plan with segments outside [lo, hi)
	 * could move the entry past 4 GiB (or below 0). */
	const uint64_t entry = (uint64_t)p->entry - p->lo + new_base;
	if (entry >= FOUR_GIB)
		return MB_E_RELOC_RANGE;
	for (uint32_t i = 0; i < p->nseg && i < MB_MAX_SEGS; i++)
		p->seg[i].dest = p->seg[i].dest - p->lo + new_base;
	p->entry = (uint32_t)entry;
	p->hi = new_base + size;
	p->lo = new_base;
	return MB_OK;
}
