// SPDX-License-Identifier: MIT
/*
 * elf.c: checks an ELF32 or ELF64 payload and describes what to load.
 *
 * elf_parse() is the only reader of a payload's headers: it validates them in
 * the order documented in elf.h and fills a struct elf_info, so the loader and
 * the PVH boot code never look at untrusted fields themselves. The steps:
 *   1. the identity and the ELF header, read at the offsets of its class;
 *   2. the program header table: entry size, bounds in the file, count;
 *   3. PT_LOAD segments: sizes, file bounds, address wrap, count, overlap;
 *   4. PT_NOTE segments: every note is walked and bounds-checked, and the
 *      Xen PHYS32_ENTRY and PHYS32_RELOC notes are taken.
 * Steps 3 and 4 share one pass over the program headers; their errors still
 * come in this order.
 * Every structure is checked to lie inside the file before its fields are
 * read (lib/view.h; the file is never cast to a structure), and every sum of
 * values from the file is checked for overflow before it is used.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "elf.h"
#include "../lib/fmt.h"
#include "../lib/inline.h"

/* e_ident */
#define ELF_EI_CLASS 4
#define ELF_EI_DATA 5
#define ELF_EI_VERSION 6
#define ELF_MAGIC 0x464c457fu /* "\x7fELF" read as a little-endian u32 */
#define ELF_CLASS32 1
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_EV_CURRENT 1

#define ELF_ET_EXEC 2
#define ELF_ET_DYN 3

#define ELF_PT_LOAD 1
#define ELF_PT_NOTE 4

#define ELF32_EHDR_SIZE 52
#define ELF64_EHDR_SIZE 64
#define ELF32_PHDR_SIZE 32
#define ELF64_PHDR_SIZE 56

/* A note: namesz, descsz and type (u32 each), then the name and descriptor. */
#define NOTE_HDR_SIZE 12
#define XEN_NOTE_NAMESZ 4
#define XEN_NOTE_NAME 0x006e6558u /* "Xen\0" read as a little-endian u32 */
#define LINUX_NOTE_NAMESZ 6	  /* "Linux\0" */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_ELFNOTE_PHYS32_RELOC 19

#define RELOC_DEFAULT_ALIGN 0x200000u
#define RELOC_DEFAULT_MIN 0u
#define RELOC_DEFAULT_MAX 0xffffffffu
#define RELOC_MIN_PALIGN 0x1000u /* a p_align below this is not taken */

/* The ELF header fields used here, widened to the ELF64 sizes. */
struct ehdr {
	bool is64;
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint16_t phentsize;
	uint16_t phnum;
};

/* One program header, widened to the ELF64 sizes. */
struct phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

const char *elf_strerror(enum elf_err err)
{
	switch (err) {
	case ELF_OK:
		return "no error";
	case ELF_E_SHORT:
		return "file is shorter than an ELF header";
	case ELF_E_MAGIC:
		return "not an ELF file";
	case ELF_E_CLASS:
		return "unsupported ELF class";
	case ELF_E_DATA:
		return "not little-endian";
	case ELF_E_VERSION:
		return "unsupported ELF version";
	case ELF_E_MACHINE:
		return "not an x86 ELF (e_machine)";
	case ELF_E_TYPE:
		return "not an executable ELF (e_type)";
	case ELF_E_PHENTSIZE:
		return "bad program header size";
	case ELF_E_PHDRS:
		return "program headers extend past the end of the file";
	case ELF_E_FILESZ:
		return "segment p_filesz larger than p_memsz";
	case ELF_E_SEGMENT:
		return "segment extends past the end of the file";
	case ELF_E_WRAP:
		return "segment address range wraps";
	case ELF_E_TOO_MANY:
		return "too many PT_LOAD segments";
	case ELF_E_OVERLAP:
		return "PT_LOAD segments overlap";
	case ELF_E_NO_LOAD:
		return "no PT_LOAD segment";
	case ELF_E_NOTE:
		return "malformed note";
	case ELF_E_PVH_NOTE:
		return "PVH note descriptor shorter than 4 bytes";
	case ELF_E_RELOC_ALIGN:
		return "PHYS32_RELOC note's alignment is not a power of two";
	case ELF_E_RELOC_RANGE:
		return "PHYS32_RELOC note's minimum address is above its "
		       "maximum";
	}
	return "unknown error";
}

const char *elf_describe(enum elf_err err, const struct elf_where *bad,
			 char *buf, size_t cap)
{
	const char *what = elf_strerror(err);

	if (err == ELF_E_OVERLAP)
		fmt_snprintf(buf, cap, "program headers %u and %u: %s",
			     bad->ph2, bad->ph, what);
	else if (err >= ELF_E_FILESZ && err <= ELF_E_RELOC_RANGE &&
		 err != ELF_E_NO_LOAD)
		fmt_snprintf(buf, cap, "program header %u: %s", bad->ph, what);
	else
		fmt_snprintf(buf, cap, "%s", what);
	return buf;
}

bool elf_is_elf(const struct view *file)
{
	uint32_t magic = 0;

	return view_u32(file, 0, &magic) && magic == ELF_MAGIC;
}

/* A u32 (ELF32) or u64 (ELF64) at p, widened to 64 bits. */
INLINE uint64_t word(const uint8_t *p, bool is64)
{
	return is64 ? le64(p) : le32(p);
}

/* Step 1: the identity and the header, up to e_type. */
static enum elf_err read_ehdr(const struct view *file, struct ehdr *eh)
{
	uint8_t cls;

	/*
	 * The class byte says how long the header is. An unknown class is
	 * measured against the smaller header, and fails just below.
	 */
	if (!view_u8(file, ELF_EI_CLASS, &cls))
		return ELF_E_SHORT;
	const uint8_t *h = view_ptr(file, 0,
				    cls == ELF_CLASS64 ? ELF64_EHDR_SIZE
						       : ELF32_EHDR_SIZE);
	if (!h)
		return ELF_E_SHORT;
	if (le32(h) != ELF_MAGIC)
		return ELF_E_MAGIC;
	if (cls != ELF_CLASS32 && cls != ELF_CLASS64)
		return ELF_E_CLASS;

	/* The whole header is inside the file: read its fields. */
	eh->is64 = cls == ELF_CLASS64;
	eh->type = le16(h + 16);
	eh->machine = le16(h + 18);
	eh->version = le32(h + 20);
	eh->entry = word(h + 24, eh->is64);
	eh->phoff = word(h + (eh->is64 ? 32 : 28), eh->is64);
	eh->phentsize = le16(h + (eh->is64 ? 54 : 42));
	eh->phnum = le16(h + (eh->is64 ? 56 : 44));

	if (h[ELF_EI_DATA] != ELF_DATA_LSB)
		return ELF_E_DATA;
	if (h[ELF_EI_VERSION] != ELF_EV_CURRENT ||
	    eh->version != ELF_EV_CURRENT)
		return ELF_E_VERSION;
	if (eh->machine != ELF_EM_386 && eh->machine != ELF_EM_X86_64)
		return ELF_E_MACHINE;
	if (eh->type != ELF_ET_EXEC && eh->type != ELF_ET_DYN)
		return ELF_E_TYPE;
	return ELF_OK;
}

/* Reads program header i; the table has been checked to be in the file. */
static void read_phdr(const struct view *file, const struct ehdr *eh,
		      uint32_t i, struct phdr *ph)
{
	const uint8_t *p = file->base + eh->phoff + (uint64_t)i * eh->phentsize;

	ph->type = le32(p);
	if (eh->is64) {
		ph->flags = le32(p + 4);
		ph->offset = le64(p + 8);
		ph->vaddr = le64(p + 16);
		ph->paddr = le64(p + 24);
		ph->filesz = le64(p + 32);
		ph->memsz = le64(p + 40);
		ph->align = le64(p + 48);
	} else {
		ph->offset = le32(p + 4);
		ph->vaddr = le32(p + 8);
		ph->paddr = le32(p + 12);
		ph->filesz = le32(p + 16);
		ph->memsz = le32(p + 20);
		ph->flags = le32(p + 24);
		ph->align = le32(p + 28);
	}
}

/*
 * True when [addr, addr + size) does not fit in the class's address space:
 * the end, addr + size, must itself be representable (so a range reaching
 * exactly 2^32 or 2^64 wraps too).
 */
INLINE bool range_wraps(uint64_t addr, uint64_t size, bool is64)
{
	uint64_t top = is64 ? UINT64_MAX : UINT32_MAX;

	return addr > top || size > top - addr;
}

static bool loads_overlap(const struct elf_load *a, const struct elf_load *b)
{
	/* Neither range wraps and neither is empty. */
	return a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz;
}

/* Rounds x (at most about 2^34 here) up to a power of two a. */
INLINE uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/*
 * Takes one note whose name starts at name and whose descriptor,
 * [desc, desc + descsz), has been checked to lie inside seg. Only the Xen
 * PVH notes matter; the first of each type is kept.
 */
static enum elf_err take_note(const struct view *seg, uint32_t namesz,
			      uint64_t name, uint32_t type, uint64_t desc,
			      uint32_t descsz, struct elf_info *out)
{
	uint32_t word = 0, val[3];
	uint32_t n;

	if (namesz == LINUX_NOTE_NAMESZ) {
		const uint8_t *owner = view_ptr(seg, name, LINUX_NOTE_NAMESZ);
		if (owner && memcmp(owner, "Linux", LINUX_NOTE_NAMESZ) == 0)
			out->linux_note = true;
		return ELF_OK;
	}
	if (namesz != XEN_NOTE_NAMESZ || !view_u32(seg, name, &word) ||
	    word != XEN_NOTE_NAME)
		return ELF_OK;

	if (type == XEN_ELFNOTE_PHYS32_ENTRY) {
		/* A 32-bit entry, or a 64-bit one of which the low half. */
		if (descsz < 4 || !view_u32(seg, desc, &word))
			return ELF_E_PVH_NOTE;
		if (!out->pvh) {
			out->pvh = true;
			out->pvh_entry = word;
		}
	} else if (type == XEN_ELFNOTE_PHYS32_RELOC && !out->pvh_reloc) {
		val[0] = 0; /* none given: elf_parse picks one */
		val[1] = RELOC_DEFAULT_MIN;
		val[2] = RELOC_DEFAULT_MAX;
		n = descsz / 4 < 3 ? descsz / 4 : 3;
		for (uint32_t i = 0; i < n; i++)
			if (!view_u32(seg, desc + 4 * i, &val[i]))
				return ELF_E_NOTE;
		if (val[0] & (val[0] - 1))
			return ELF_E_RELOC_ALIGN;
		if (val[1] > val[2])
			return ELF_E_RELOC_RANGE;
		out->pvh_reloc = true;
		out->reloc_align = val[0];
		out->reloc_min = val[1];
		out->reloc_max = val[2];
	}
	return ELF_OK;
}

/*
 * Walks the notes of one PT_NOTE segment. Each note starts at a multiple of
 * align from the start of the segment; its descriptor starts at the first
 * multiple of align after the name. Padding after the last note may be
 * missing, but every name and descriptor must be inside the segment.
 */
static enum elf_err walk_notes(const struct view *seg, uint64_t align,
			       struct elf_info *out)
{
	uint64_t pos = 0, left, desc, next;
	uint32_t namesz, descsz, type;
	enum elf_err err;

	while (pos < seg->len) {
		left = seg->len - pos;
		if (left < NOTE_HDR_SIZE)
			return ELF_E_NOTE;
		namesz = le32(seg->base + pos);
		descsz = le32(seg->base + pos + 4);
		type = le32(seg->base + pos + 8);

		/* Offsets from pos; namesz and descsz are only 32 bits. */
		desc = align_up((uint64_t)NOTE_HDR_SIZE + namesz, align);
		if (desc > left || descsz > left - desc)
			return ELF_E_NOTE;
		err = take_note(seg, namesz, pos + NOTE_HDR_SIZE, type,
				pos + desc, descsz, out);
		if (err != ELF_OK)
			return err;

		next = align_up(desc + descsz, align);
		if (next >= left)
			break;
		pos += next;
	}
	return ELF_OK;
}

/*
 * Steps 3 and 4 in one pass over the program headers: the PT_LOAD segments
 * with p_memsz > 0 in file order, and every PT_NOTE segment. The first note
 * error is held until the pass ends, so that every PT_LOAD error, and
 * ELF_E_NO_LOAD, comes first as elf.h orders them.
 */
static enum elf_err collect(const struct view *file, const struct ehdr *eh,
			    struct elf_info *out)
{
	struct phdr ph = { 0 };
	struct elf_load *ld;
	enum elf_err note_err = ELF_OK;
	uint32_t note_ph = 0;
	uint32_t ph_of[ELF_MAX_LOAD]; /* each load's program header */

	for (uint32_t i = 0; i < eh->phnum; i++) {
		read_phdr(file, eh, i, &ph);
		out->bad.ph = i;
		if (ph.type == ELF_PT_NOTE) {
			if (note_err != ELF_OK)
				continue;
			note_ph = i;
			if (!view_has(file, ph.offset, ph.filesz)) {
				note_err = ELF_E_NOTE;
				continue;
			}
			struct view seg = view_sub(file, ph.offset, ph.filesz);
			note_err = walk_notes(&seg, ph.align == 8 ? 8 : 4, out);
			continue;
		}
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.filesz > ph.memsz)
			return ELF_E_FILESZ;
		if (!view_has(file, ph.offset, ph.filesz))
			return ELF_E_SEGMENT;
		if (range_wraps(ph.paddr, ph.memsz, eh->is64) ||
		    range_wraps(ph.vaddr, ph.memsz, eh->is64))
			return ELF_E_WRAP;
		if (out->nload == ELF_MAX_LOAD)
			return ELF_E_TOO_MANY;

		ld = &out->load[out->nload];
		ld->offset = ph.offset;
		ld->filesz = ph.filesz;
		ld->memsz = ph.memsz;
		ld->paddr = ph.paddr;
		ld->vaddr = ph.vaddr;
		ld->align = ph.align;
		ld->flags = ph.flags;
		for (uint32_t j = 0; j < out->nload; j++) {
			if (loads_overlap(&out->load[j], ld)) {
				out->bad.ph2 = ph_of[j];
				return ELF_E_OVERLAP;
			}
		}
		ph_of[out->nload] = i;

		if (out->nload == 0 || ld->paddr < out->paddr_lo)
			out->paddr_lo = ld->paddr;
		if (out->nload == 0 || ld->paddr + ld->memsz > out->paddr_hi)
			out->paddr_hi = ld->paddr + ld->memsz;
		out->nload++;
	}
	out->bad.ph = note_ph;
	if (out->nload == 0)
		return ELF_E_NO_LOAD;
	return note_err;
}

enum elf_err elf_parse(const struct view *file, struct elf_info *out)
{
	struct ehdr eh;
	uint64_t phsize;
	enum elf_err err;

	memset(out, 0, sizeof(*out));
	out->reloc_align = RELOC_DEFAULT_ALIGN;
	out->reloc_min = RELOC_DEFAULT_MIN;
	out->reloc_max = RELOC_DEFAULT_MAX;

	err = read_ehdr(file, &eh);
	if (err != ELF_OK)
		return err;
	out->cls = eh.is64 ? 64 : 32;
	out->machine = eh.machine;
	out->type = eh.type;
	out->entry = eh.entry;
	out->phnum = eh.phnum;

	/*
	 * Step 2. e_phnum is a u16, so the table is under 4 MiB and its size
	 * cannot overflow; PN_XNUM (65535) is just a large count here.
	 */
	if (eh.phentsize != (eh.is64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE))
		return ELF_E_PHENTSIZE;
	phsize = (uint64_t)eh.phnum * eh.phentsize;
	if (!view_has(file, eh.phoff, phsize))
		return ELF_E_PHDRS;
	if (eh.phnum == 0) /* elf.h names no error; nothing can be loaded */
		return ELF_E_NO_LOAD;

	err = collect(file, &eh, out);
	/*
	 * A PHYS32_RELOC note without an alignment (or with 0, which aligns
	 * nothing): Xen's rule, the largest p_align of the loads when it is
	 * at least 4 KiB, else 2 MiB. A p_align that is not a power of two
	 * (the gABI asks for one) aligns nothing and does not count.
	 */
	if (err == ELF_OK && out->pvh_reloc && out->reloc_align == 0) {
		uint64_t a = 0;
		for (uint32_t i = 0; i < out->nload; i++) {
			uint64_t pa = out->load[i].align;
			if (!(pa & (pa - 1)) && pa > a)
				a = pa;
		}
		out->reloc_align =
			a >= RELOC_MIN_PALIGN ? a : RELOC_DEFAULT_ALIGN;
	}
	return err;
}
