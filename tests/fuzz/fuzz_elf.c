// SPDX-License-Identifier: MIT
/*
 * fuzz_elf.c: libFuzzer target for elf_parse. The input is the payload file.
 * libFuzzer hands over a heap buffer of exactly the input's size, so
 * AddressSanitizer catches any read past the end of the file.
 *
 * On ELF_OK the result is checked against the file, read independently here
 * (plain byte loads, not the view accessors):
 *   - 1 <= nload <= ELF_MAX_LOAD, and the loads are exactly the PT_LOAD
 *     headers with p_memsz > 0, in file order, with the same fields;
 *   - every load: 0 < memsz, filesz <= memsz, [offset, offset + filesz)
 *     inside the file, paddr + memsz and vaddr + memsz within the class's
 *     address space;
 *   - no two loads overlap in paddr; paddr_lo / paddr_hi are exactly the
 *     lowest start and highest end;
 *   - pvh_entry is 0 unless pvh is set, and then a "Xen" note of type 18
 *     whose first descriptor word is pvh_entry exists in a PT_NOTE segment;
 *     the PHYS32_RELOC values are the defaults unless pvh_reloc is set.
 * For every result, elf_strerror is non-NULL and elf_is_elf agrees with the
 * magic check. After an error about one program header, bad.ph is one of
 * the file's headers, of the type the error is about (PT_NOTE for the note
 * errors, PT_LOAD with p_memsz > 0 for the others), and for ELF_E_OVERLAP
 * bad.ph2 is an earlier such load; elf_describe's message names them.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "elfload/elf.h"
#include "fuzz.h"

#define PT_LOAD 1
#define PT_NOTE 4

struct ref_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Reads program header i of a file elf_parse accepted (so it is inside). */
static void ref_phdr(const uint8_t *d, bool is64, uint32_t i,
		     struct ref_phdr *ph)
{
	if (is64) {
		const uint8_t *p = d + ld_le(d + 32, 8) + (uint64_t)i * 56;
		ph->type = (uint32_t)ld_le(p + 0, 4);
		ph->flags = (uint32_t)ld_le(p + 4, 4);
		ph->offset = ld_le(p + 8, 8);
		ph->vaddr = ld_le(p + 16, 8);
		ph->paddr = ld_le(p + 24, 8);
		ph->filesz = ld_le(p + 32, 8);
		ph->memsz = ld_le(p + 40, 8);
		ph->align = ld_le(p + 48, 8);
	} else {
		const uint8_t *p = d + ld_le(d + 28, 4) + (uint64_t)i * 32;
		ph->type = (uint32_t)ld_le(p + 0, 4);
		ph->offset = ld_le(p + 4, 4);
		ph->vaddr = ld_le(p + 8, 4);
		ph->paddr = ld_le(p + 12, 4);
		ph->filesz = ld_le(p + 16, 4);
		ph->memsz = ld_le(p + 20, 4);
		ph->flags = (uint32_t)ld_le(p + 24, 4);
		ph->align = ld_le(p + 28, 4);
	}
}

/*
 * True when a PT_NOTE segment holds, at a 4-byte aligned position, a note
 * with namesz 4, name "Xen\0", the given type and a descriptor of at least
 * min_desc bytes whose first word (if want_word) is word. With 4-byte names
 * the descriptor is at +16 for both 4- and 8-byte note alignment.
 */
static bool has_xen_note(const uint8_t *d, size_t size, bool is64,
			 uint32_t phnum, uint32_t type, uint32_t min_desc,
			 bool want_word, uint32_t word)
{
	struct ref_phdr ph;

	for (uint32_t i = 0; i < phnum; i++) {
		ref_phdr(d, is64, i, &ph);
		if (ph.type != PT_NOTE || !in_buf(size, ph.offset, ph.filesz))
			continue;
		const uint8_t *s = d + ph.offset;
		for (uint64_t pos = 0; pos + 16 <= ph.filesz; pos += 4) {
			const uint8_t *n = s + pos;
			uint32_t descsz = (uint32_t)ld_le(n + 4, 4);
			if (ld_le(n, 4) != 4 || ld_le(n + 8, 4) != type ||
			    memcmp(n + 12, "Xen", 4) != 0 ||
			    descsz < min_desc || descsz > ph.filesz - pos - 16)
				continue;
			if (!want_word ||
			    (descsz >= 4 && ld_le(n + 16, 4) == word))
				return true;
		}
	}
	return false;
}

/* The class's address space: an end must itself be representable. */
static bool fits_class(uint64_t addr, uint64_t size, bool is64)
{
	uint64_t top = is64 ? UINT64_MAX : UINT32_MAX;
	return addr <= top && size <= top - addr;
}

static void check_ok(const uint8_t *d, size_t size, const struct elf_info *e)
{
	const struct view file = view_make(d, size);
	CHECK(elf_is_elf(&file), "accepted a file without the ELF magic");
	CHECK(size >= 52 && memcmp(d,
				   "\x7f"
				   "ELF",
				   4) == 0,
	      "magic/size");
	CHECK((e->cls == 64 && d[4] == 2) || (e->cls == 32 && d[4] == 1),
	      "cls %u but EI_CLASS %u", e->cls, d[4]);
	bool is64 = e->cls == 64;
	CHECK(d[5] == 1, "accepted EI_DATA %u", d[5]);
	CHECK(e->machine == 3 || e->machine == 62, "machine %u", e->machine);
	CHECK(e->type == 2 || e->type == 3, "type %u", e->type);
	CHECK(e->phnum == ld_le(d + (is64 ? 56 : 44), 2), "phnum");
	CHECK(e->entry == ld_le(d + 24, is64 ? 8 : 4), "entry");
	CHECK(e->nload >= 1 && e->nload <= ELF_MAX_LOAD, "nload %u", e->nload);

	/* The loads are the PT_LOAD headers with memsz > 0, in order. */
	struct ref_phdr ph;
	uint32_t k = 0;
	for (uint32_t i = 0; i < e->phnum; i++) {
		ref_phdr(d, is64, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		CHECK(k < e->nload, "more PT_LOADs in the file than nload %u",
		      e->nload);
		const struct elf_load *l = &e->load[k++];
		CHECK(l->offset == ph.offset && l->filesz == ph.filesz &&
			      l->memsz == ph.memsz && l->paddr == ph.paddr &&
			      l->vaddr == ph.vaddr && l->align == ph.align &&
			      l->flags == ph.flags,
		      "load %u differs from program header %u", k - 1, i);
	}
	CHECK(k == e->nload, "nload %u but %u PT_LOADs in the file", e->nload,
	      k);

	uint64_t lo = UINT64_MAX, hi = 0;
	for (uint32_t i = 0; i < e->nload; i++) {
		const struct elf_load *l = &e->load[i];
		CHECK(l->memsz > 0, "load %u has memsz 0", i);
		CHECK(l->filesz <= l->memsz,
		      "load %u filesz %#llx > memsz %#llx", i,
		      (unsigned long long)l->filesz,
		      (unsigned long long)l->memsz);
		CHECK(in_buf(size, l->offset, l->filesz),
		      "load %u [%#llx +%#llx) outside the %zu-byte file", i,
		      (unsigned long long)l->offset,
		      (unsigned long long)l->filesz, size);
		CHECK(fits_class(l->paddr, l->memsz, is64),
		      "load %u paddr range wraps", i);
		CHECK(fits_class(l->vaddr, l->memsz, is64),
		      "load %u vaddr range wraps", i);
		if (l->paddr < lo)
			lo = l->paddr;
		if (l->paddr + l->memsz > hi)
			hi = l->paddr + l->memsz;
		for (uint32_t j = 0; j < i; j++) {
			const struct elf_load *m = &e->load[j];
			bool apart = l->paddr + l->memsz <= m->paddr ||
				     m->paddr + m->memsz <= l->paddr;
			CHECK(apart, "loads %u and %u overlap in paddr", j, i);
		}
	}
	CHECK(e->paddr_lo == lo && e->paddr_hi == hi,
	      "paddr_lo/hi %#llx/%#llx, loads span %#llx/%#llx",
	      (unsigned long long)e->paddr_lo, (unsigned long long)e->paddr_hi,
	      (unsigned long long)lo, (unsigned long long)hi);

	if (e->pvh)
		CHECK(has_xen_note(d, size, is64, e->phnum, 18, 4, true,
				   e->pvh_entry),
		      "pvh entry %#x not found in any Xen note", e->pvh_entry);
	else
		CHECK(e->pvh_entry == 0, "pvh_entry %#x without pvh",
		      e->pvh_entry);
	if (e->pvh_reloc) {
		CHECK(has_xen_note(d, size, is64, e->phnum, 19, 0, false, 0),
		      "pvh_reloc without a Xen PHYS32_RELOC note");
		CHECK(e->reloc_align &&
			      !(e->reloc_align & (e->reloc_align - 1)),
		      "reloc_align %#llx is not a power of two",
		      (unsigned long long)e->reloc_align);
		CHECK(e->reloc_min <= e->reloc_max, "reloc_min %#x > max %#x",
		      e->reloc_min, e->reloc_max);
	} else
		CHECK(e->reloc_align == 0x200000 && e->reloc_min == 0 &&
			      e->reloc_max == 0xffffffff,
		      "reloc values without pvh_reloc");
}

/* An error of steps 3 and 4: the program header(s) it names. */
static void check_bad_ph(const uint8_t *d, enum elf_err err,
			 const struct elf_info *in)
{
	struct ref_phdr ph;
	char msg[96], want[48];
	bool is64 = in->cls == 64;

	CHECK(in->bad.ph < in->phnum, "bad_ph %u of %u headers", in->bad.ph,
	      in->phnum);
	ref_phdr(d, is64, in->bad.ph, &ph);
	if (err == ELF_E_NOTE || err == ELF_E_PVH_NOTE ||
	    err == ELF_E_RELOC_ALIGN || err == ELF_E_RELOC_RANGE)
		CHECK(ph.type == PT_NOTE, "note error at header %u, type %u",
		      in->bad.ph, ph.type);
	else
		CHECK(ph.type == PT_LOAD && ph.memsz,
		      "load error at header %u, type %u", in->bad.ph, ph.type);
	if (err == ELF_E_OVERLAP) {
		CHECK(in->bad.ph2 < in->bad.ph, "bad_ph2 %u not before %u",
		      in->bad.ph2, in->bad.ph);
		ref_phdr(d, is64, in->bad.ph2, &ph);
		CHECK(ph.type == PT_LOAD && ph.memsz,
		      "overlap with header %u, type %u", in->bad.ph2, ph.type);
		snprintf(want, sizeof(want),
			 "program headers %u and %u: ", in->bad.ph2,
			 in->bad.ph);
	} else {
		snprintf(want, sizeof(want), "program header %u: ", in->bad.ph);
	}
	elf_describe(err, &in->bad, msg, sizeof(msg));
	CHECK(strncmp(msg, want, strlen(want)) == 0, "message '%s'", msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_info info;
	const struct view file = view_make(data, size);

	enum elf_err err = elf_parse(&file, &info);
	CHECK(elf_strerror(err) != NULL, "elf_strerror(%d) is NULL", err);
	if (err == ELF_E_MAGIC)
		CHECK(!elf_is_elf(&file), "ELF_E_MAGIC but elf_is_elf");
	if (size >= 64 && !elf_is_elf(&file))
		CHECK(err == ELF_E_MAGIC, "no magic but error %d", err);
	if (err == ELF_OK)
		check_ok(data, size, &info);
	else if (err >= ELF_E_FILESZ && err != ELF_E_NO_LOAD)
		check_bad_ph(data, err, &info);

	return 0;
}
