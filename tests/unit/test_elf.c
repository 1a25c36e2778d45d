// SPDX-License-Identifier: MIT
/*
 * test_elf.c: unit tests of elfload/elf.c.
 *
 * Test images are built in memory by the small builders below (an ELF header,
 * a program header table with room for PH_MAX entries, then segment data from
 * DATA_OFF), and every parse runs on a heap copy of exactly the image's
 * length, so that the sanitizers catch any read past the end.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "../../elfload/elf.h"

#define IMG_MAX 0x4000
#define PH_MAX 40
#define DATA_OFF 0x1000

#define PT_LOAD 1
#define PT_NOTE 4
#define XEN_ENTRY 18
#define XEN_RELOC 19

#define KBASE 0x1000000ull
#define KVIRT 0xffffffff80000000ull

struct img {
	uint8_t b[IMG_MAX];
	size_t len;
	bool is64;
	uint16_t phnum;
	size_t data; /* next free byte of the data area */
};

/* Offsets of the header fields that differ between the classes. */
static size_t off_phoff(const struct img *im)
{
	return im->is64 ? 32 : 28;
}

static size_t off_phentsize(const struct img *im)
{
	return im->is64 ? 54 : 42;
}

static size_t off_phnum(const struct img *im)
{
	return im->is64 ? 56 : 44;
}

static size_t ehdr_size(const struct img *im)
{
	return im->is64 ? 64 : 52;
}

static size_t phdr_size(const struct img *im)
{
	return im->is64 ? 56 : 32;
}

/* A valid header with no program headers yet. */
static void img_init(struct img *im, bool is64)
{
	uint8_t *b = im->b;

	memset(im, 0, sizeof(*im));
	im->is64 = is64;
	memcpy(b,
	       "\x7f"
	       "ELF",
	       4);
	b[4] = is64 ? 2 : 1;
	b[5] = 1;
	b[6] = 1;
	put_u16(b + 16, 2);
	put_u16(b + 18, is64 ? ELF_EM_X86_64 : ELF_EM_386);
	put_u32(b + 20, 1);
	if (is64) {
		put_u64(b + 24, KVIRT + KBASE);
		put_u64(b + 32, 64);
		put_u16(b + 52, 64);
		put_u16(b + 54, 56);
	} else {
		put_u32(b + 24, (uint32_t)KBASE);
		put_u32(b + 28, 52);
		put_u16(b + 40, 52);
		put_u16(b + 42, 32);
	}
	im->len = DATA_OFF;
	im->data = DATA_OFF;
}

/* Appends a program header and returns its index. */
static int img_phdr(struct img *im, uint32_t type, uint32_t flags,
		    uint64_t offset, uint64_t vaddr, uint64_t paddr,
		    uint64_t filesz, uint64_t memsz, uint64_t align)
{
	size_t at = ehdr_size(im) + im->phnum * phdr_size(im);
	uint8_t *p = im->b + at;

	ck_assert_uint_lt(im->phnum, PH_MAX);
	if (im->is64) {
		put_u32(p, type);
		put_u32(p + 4, flags);
		put_u64(p + 8, offset);
		put_u64(p + 16, vaddr);
		put_u64(p + 24, paddr);
		put_u64(p + 32, filesz);
		put_u64(p + 40, memsz);
		put_u64(p + 48, align);
	} else {
		put_u32(p, type);
		put_u32(p + 4, (uint32_t)offset);
		put_u32(p + 8, (uint32_t)vaddr);
		put_u32(p + 12, (uint32_t)paddr);
		put_u32(p + 16, (uint32_t)filesz);
		put_u32(p + 20, (uint32_t)memsz);
		put_u32(p + 24, flags);
		put_u32(p + 28, (uint32_t)align);
	}
	put_u16(im->b + off_phnum(im), ++im->phnum);
	return im->phnum - 1;
}

/* Appends n bytes (a pattern when p is NULL) at a multiple of 8. */
static size_t img_data(struct img *im, const void *p, size_t n)
{
	size_t at = (im->data + 7) & ~(size_t)7;

	ck_assert_uint_le(at + n, IMG_MAX);
	for (size_t i = 0; i < n; i++)
		im->b[at + i] = p ? ((const uint8_t *)p)[i] : (uint8_t)(i * 7);
	im->data = at + n;
	if (im->len < im->data)
		im->len = im->data;
	return at;
}

/* A PT_LOAD of filesz pattern bytes at paddr, memsz bytes in memory. */
static int img_load(struct img *im, uint64_t paddr, uint64_t filesz,
		    uint64_t memsz)
{
	size_t off = img_data(im, NULL, filesz);
	uint64_t vaddr = im->is64 ? KVIRT + paddr : paddr;

	return img_phdr(im, PT_LOAD, ELF_PF_R | ELF_PF_X, off, vaddr, paddr,
			filesz, memsz, 0x1000);
}

/*
 * Writes one note at p with the given alignment: name gets namesz bytes
 * (copied from name, zero beyond it), the descriptor descsz bytes. Returns
 * the size including the padding after the descriptor.
 */
static size_t note_put(uint8_t *p, uint32_t align, const char *name,
		       uint32_t namesz, uint32_t type, const void *desc,
		       uint32_t descsz)
{
	size_t nlen = strlen(name) + 1;
	size_t doff = (12 + namesz + align - 1) & ~(size_t)(align - 1);
	size_t end = (doff + descsz + align - 1) & ~(size_t)(align - 1);

	memset(p, 0, end);
	put_u32(p, namesz);
	put_u32(p + 4, descsz);
	put_u32(p + 8, type);
	memcpy(p + 12, name, nlen < namesz ? nlen : namesz);
	if (descsz)
		memcpy(p + doff, desc, descsz);
	return end;
}

/* A PT_NOTE segment holding n bytes of notes. */
static int img_notes(struct img *im, const void *notes, size_t n,
		     uint64_t align)
{
	size_t off = img_data(im, notes, n);

	return img_phdr(im, PT_NOTE, ELF_PF_R, off, 0, 0, n, n, align);
}

/* A PT_NOTE segment holding one Xen note. */
static int img_xen_note(struct img *im, uint32_t type, const void *desc,
			uint32_t descsz)
{
	uint8_t buf[64];
	size_t n = note_put(buf, 4, "Xen", 4, type, desc, descsz);

	return img_notes(im, buf, n, 4);
}

static void img_set16(struct img *im, size_t off, uint16_t v)
{
	put_u16(im->b + off, v);
}

static void img_set64(struct img *im, size_t off, uint64_t v)
{
	put_u64(im->b + off, v);
}

/* Sets a field of program header i (offset within the ELF64 layout). */
static void ph_set64(struct img *im, int i, size_t field, uint64_t v)
{
	ck_assert(im->is64);
	put_u64(im->b + 64 + (size_t)i * 56 + field, v);
}

#define PH64_OFFSET 8
#define PH64_VADDR 16
#define PH64_PADDR 24
#define PH64_FILESZ 32
#define PH64_MEMSZ 40
#define PH64_ALIGN 48

/* Parses a heap copy of exactly n bytes. */
static enum elf_err parse_bytes(const uint8_t *p, size_t n,
				struct elf_info *info)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct view v;
	enum elf_err err;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, p, n);
	v = view_make(copy, n);
	err = elf_parse(&v, info);
	free(copy);
	return err;
}

static enum elf_err parse_img(const struct img *im, struct elf_info *info)
{
	return parse_bytes(im->b, im->len, info);
}

/* What must hold for any file that parses. */
static void check_info(const struct elf_info *in, uint64_t len)
{
	ck_assert(in->cls == 32 || in->cls == 64);
	ck_assert_uint_ge(in->nload, 1);
	ck_assert_uint_le(in->nload, ELF_MAX_LOAD);
	ck_assert_uint_ge(in->phnum, in->nload);
	for (uint32_t i = 0; i < in->nload; i++) {
		const struct elf_load *a = &in->load[i];

		ck_assert_uint_gt(a->memsz, 0);
		ck_assert_uint_le(a->filesz, a->memsz);
		ck_assert(a->offset <= len && a->filesz <= len - a->offset);
		ck_assert(a->paddr + a->memsz > a->paddr);
		ck_assert(a->vaddr + a->memsz > a->vaddr);
		ck_assert_uint_ge(a->paddr, in->paddr_lo);
		ck_assert_uint_le(a->paddr + a->memsz, in->paddr_hi);
		for (uint32_t j = 0; j < i; j++) {
			const struct elf_load *b = &in->load[j];

			ck_assert(a->paddr >= b->paddr + b->memsz ||
				  b->paddr >= a->paddr + a->memsz);
		}
	}
	ck_assert_uint_lt(in->paddr_lo, in->paddr_hi);
	if (!in->pvh_reloc) {
		ck_assert_uint_eq(in->reloc_align, 0x200000);
		ck_assert_uint_eq(in->reloc_min, 0);
		ck_assert_uint_eq(in->reloc_max, 0xffffffff);
	}
}

static enum elf_err parse_ok(const struct img *im, struct elf_info *info)
{
	enum elf_err err = parse_img(im, info);

	ck_assert_msg(err == ELF_OK, "parse failed: %s", elf_strerror(err));
	check_info(info, im->len);
	return err;
}

static void expect(const struct img *im, enum elf_err want)
{
	struct elf_info info;
	enum elf_err err = parse_img(im, &info);

	ck_assert_msg(err == want, "got %d (%s), want %d (%s)", err,
		      elf_strerror(err), want, elf_strerror(want));
}

/* An ELF64 kernel: text, data+bss and a PT_NOTE with an 8-byte entry. */
static void std_img64(struct img *im)
{
	uint8_t desc[8];

	img_init(im, true);
	img_load(im, KBASE, 0x80, 0x80);
	img_load(im, KBASE + 0x200000, 0x40, 0x1000);
	put_u64(desc, 0x1000123);
	img_xen_note(im, XEN_ENTRY, desc, 8);
}

/* Valid files and notes */

START_TEST(test_plain_elf64)
{
	struct img im;
	struct elf_info in;

	img_init(&im, true);
	img_load(&im, KBASE, 0x100, 0x300);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.cls, 64);
	ck_assert_uint_eq(in.machine, ELF_EM_X86_64);
	ck_assert_uint_eq(in.type, 2);
	ck_assert_uint_eq(in.entry, KVIRT + KBASE);
	ck_assert_uint_eq(in.phnum, 1);
	ck_assert_uint_eq(in.nload, 1);
	ck_assert_uint_eq(in.load[0].offset, DATA_OFF);
	ck_assert_uint_eq(in.load[0].filesz, 0x100);
	ck_assert_uint_eq(in.load[0].memsz, 0x300);
	ck_assert_uint_eq(in.load[0].paddr, KBASE);
	ck_assert_uint_eq(in.load[0].vaddr, KVIRT + KBASE);
	ck_assert_uint_eq(in.load[0].align, 0x1000);
	ck_assert_uint_eq(in.load[0].flags, ELF_PF_R | ELF_PF_X);
	ck_assert_uint_eq(in.paddr_lo, KBASE);
	ck_assert_uint_eq(in.paddr_hi, KBASE + 0x300);
	ck_assert(!in.pvh);
	ck_assert(!in.pvh_reloc);
}
END_TEST

START_TEST(test_loads_file_order)
{
	struct img im;
	struct elf_info in;

	img_init(&im, true);
	img_load(&im, 0x2000000, 0x10, 0x1000);
	img_phdr(&im, 6, 0, 64, 0, 0, 0, 0, 8); /* PT_PHDR: ignored */
	img_load(&im, 0x1000000, 0x10, 0x3000);
	img_load(&im, 0x1800000, 0, 0x10); /* bss only */
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.phnum, 4);
	ck_assert_uint_eq(in.nload, 3);
	ck_assert_uint_eq(in.load[0].paddr, 0x2000000);
	ck_assert_uint_eq(in.load[1].paddr, 0x1000000);
	ck_assert_uint_eq(in.load[2].paddr, 0x1800000);
	ck_assert_uint_eq(in.load[2].filesz, 0);
	ck_assert_uint_eq(in.paddr_lo, 0x1000000);
	ck_assert_uint_eq(in.paddr_hi, 0x2001000);
}
END_TEST

START_TEST(test_et_dyn)
{
	struct img im;
	struct elf_info in;

	img_init(&im, true);
	img_set16(&im, 16, 3);
	img_load(&im, 0, 0x100, 0x100);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.type, 3);
	ck_assert_uint_eq(in.paddr_lo, 0);
}
END_TEST

START_TEST(test_pvh_desc8)
{
	struct img im;
	struct elf_info in;

	std_img64(&im);
	parse_ok(&im, &in);
	ck_assert(in.pvh);
	ck_assert_uint_eq(in.pvh_entry, 0x1000123);
	ck_assert(!in.pvh_reloc);
	ck_assert_uint_eq(in.nload, 2);
}
END_TEST

START_TEST(test_pvh_desc8_high_half)
{
	struct img im;
	struct elf_info in;
	uint8_t desc[8];

	/* Only the first (low) 4 bytes of a 64-bit descriptor are used. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	put_u64(desc, 0xdeadbeef01000040ull);
	img_xen_note(&im, XEN_ENTRY, desc, 8);
	parse_ok(&im, &in);
	ck_assert(in.pvh);
	ck_assert_uint_eq(in.pvh_entry, 0x01000040);
}
END_TEST

/* A note owned by "Linux" (every Linux kernel image has some) marks the
 * image as Linux; other owners, and a 6-byte name that is not "Linux\0",
 * do not. */
START_TEST(test_linux_note)
{
	static const struct {
		const char *name;
		bool linux_note;
	} cases[] = { { "Linux", true },
		      { "Linux!", false },
		      { "GNU", false },
		      { "Xen", false } };
	uint8_t desc[4] = { 0 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct img im;
		struct elf_info in;
		uint8_t buf[64];
		uint32_t namesz = (uint32_t)strlen(cases[i].name) + 1;
		if (!strcmp(cases[i].name, "Linux!"))
			namesz = 6; /* no NUL in the 6 bytes */
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		size_t n =
			note_put(buf, 4, cases[i].name, namesz, 0x100, desc, 4);
		img_notes(&im, buf, n, 4);
		parse_ok(&im, &in);
		ck_assert_msg(in.linux_note == cases[i].linux_note, "%s",
			      cases[i].name);
	}
}
END_TEST

START_TEST(test_pvh_desc4)
{
	struct img im;
	struct elf_info in;
	uint8_t desc[4];

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	put_u32(desc, 0x1000200);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	parse_ok(&im, &in);
	ck_assert(in.pvh);
	ck_assert_uint_eq(in.pvh_entry, 0x1000200);
}
END_TEST

START_TEST(test_pvh_desc_short)
{
	struct img im;
	static const uint8_t desc[3] = { 1, 2, 3 };
	/* descriptor sizes 2, 0, 3 */
	static const uint32_t sizes[] = { 2, 0, 3 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_xen_note(&im, XEN_ENTRY, desc, sizes[i]);
		expect(&im, ELF_E_PVH_NOTE);
	}
}
END_TEST

START_TEST(test_pvh_first_entry_kept)
{
	struct img im;
	struct elf_info in;
	uint8_t buf[128], d1[4], d2[4];
	size_t n;

	put_u32(d1, 0x1000010);
	put_u32(d2, 0x2000020);
	n = note_put(buf, 4, "Xen", 4, XEN_ENTRY, d1, 4);
	n += note_put(buf + n, 4, "Xen", 4, XEN_ENTRY, d2, 4);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n, 4);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.pvh_entry, 0x1000010);

	/* A later short one is still an error. */
	n = note_put(buf, 4, "Xen", 4, XEN_ENTRY, d1, 4);
	n += note_put(buf + n, 4, "Xen", 4, XEN_ENTRY, d2, 2);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n, 4);
	expect(&im, ELF_E_PVH_NOTE);
}
END_TEST

static void reloc_case(uint32_t descsz, uint32_t align, uint32_t min,
		       uint32_t max)
{
	struct img im;
	struct elf_info in;
	uint8_t desc[16];

	put_u32(desc, 0x400000);
	put_u32(desc + 4, 0x1000000);
	put_u32(desc + 8, 0x3fffffff);
	put_u32(desc + 12, 0x12345678);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_xen_note(&im, XEN_RELOC, desc, descsz);
	parse_ok(&im, &in);
	ck_assert(in.pvh_reloc);
	ck_assert(!in.pvh);
	ck_assert_uint_eq(in.reloc_align, align);
	ck_assert_uint_eq(in.reloc_min, min);
	ck_assert_uint_eq(in.reloc_max, max);
}

START_TEST(test_reloc_fields)
{
	/* No alignment in the note: the load's p_align (0x1000). */
	reloc_case(0, 0x1000, 0, 0xffffffff);
	reloc_case(2, 0x1000, 0, 0xffffffff);
	reloc_case(4, 0x400000, 0, 0xffffffff);
	reloc_case(8, 0x400000, 0x1000000, 0xffffffff);
	reloc_case(12, 0x400000, 0x1000000, 0x3fffffff);
	reloc_case(16, 0x400000, 0x1000000, 0x3fffffff);
}
END_TEST

/* A PHYS32_RELOC note's alignment must be a power of two, its minimum at
 * most its maximum. */
START_TEST(test_reloc_bad_values)
{
	static const uint32_t bad[][4] = {
		/* descsz, align, min, max, then the error */
		{ 4, 0x3000, 0, 0 },
		{ 12, 0x200001, 0, 0xffffffff },
		{ 12, 0x1000, 0x200000, 0x1fffff },
		{ 8, 0x1000, 0xffffffff, 0 }, /* max not given: 0xffffffff */
	};
	static const enum elf_err want[] = { ELF_E_RELOC_ALIGN,
					     ELF_E_RELOC_ALIGN,
					     ELF_E_RELOC_RANGE, ELF_OK };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct img im;
		uint8_t desc[12];
		put_u32(desc, bad[i][1]);
		put_u32(desc + 4, bad[i][2]);
		put_u32(desc + 8, bad[i][3]);
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_xen_note(&im, XEN_RELOC, desc, bad[i][0]);
		expect(&im, want[i]);
	}
	char buf[96];
	struct elf_where w = { .ph = 1 };
	ck_assert_str_eq(elf_describe(ELF_E_RELOC_RANGE, &w, buf, sizeof(buf)),
			 "program header 1: PHYS32_RELOC note's minimum "
			 "address is above its maximum");
}
END_TEST

/*
 * The alignment when the PHYS32_RELOC note gives none (descsz < 4, or 0):
 * the largest p_align of the PT_LOADs when at least 0x1000, else 0x200000,
 * as Xen's public elfnote.h says. align is the note's first word, min and
 * max follow (0 and 0xffffffff); descsz says how much of it the note has.
 */
static uint64_t reloc_align_of(bool is64, uint32_t descsz, uint32_t align,
			       uint64_t palign0, uint64_t palign1)
{
	struct img im;
	struct elf_info in;
	uint8_t desc[12];

	put_u32(desc, align);
	put_u32(desc + 4, 0);
	put_u32(desc + 8, 0xffffffff);
	img_init(&im, is64);
	int a = img_load(&im, KBASE, 0x10, 0x10);
	int b = img_load(&im, KBASE + 0x400000, 0x10, 0x2000);
	if (is64) {
		ph_set64(&im, a, PH64_ALIGN, palign0);
		ph_set64(&im, b, PH64_ALIGN, palign1);
	} else {
		put_u32(im.b + 52 + (size_t)a * 32 + 28, (uint32_t)palign0);
		put_u32(im.b + 52 + (size_t)b * 32 + 28, (uint32_t)palign1);
	}
	img_xen_note(&im, XEN_RELOC, desc, descsz);
	parse_ok(&im, &in);
	ck_assert(in.pvh_reloc);
	return in.reloc_align;
}

START_TEST(test_reloc_align_rule)
{
	for (int cls = 0; cls < 2; cls++) {
		bool is64 = cls == 1;
		/* The note's alignment wins, smaller or larger. */
		ck_assert_uint_eq(
			reloc_align_of(is64, 4, 0x1000, 0x200000, 0x400000),
			0x1000);
		ck_assert_uint_eq(
			reloc_align_of(is64, 12, 0x1000000, 0x1000, 0x1000),
			0x1000000);
		/* None given: the largest p_align, in either load. */
		ck_assert_uint_eq(reloc_align_of(is64, 0, 0, 0x1000, 0x400000),
				  0x400000);
		ck_assert_uint_eq(reloc_align_of(is64, 0, 0, 0x400000, 0x1000),
				  0x400000);
		ck_assert_uint_eq(reloc_align_of(is64, 0, 0, 0x1000, 0x1000),
				  0x1000);
		/* 0 in the note aligns nothing: as if none were given. */
		ck_assert_uint_eq(reloc_align_of(is64, 4, 0, 0x1000, 0x10000),
				  0x10000);
		/* Every p_align below 0x1000 (0, 1, 0x800): 2 MiB. */
		ck_assert_uint_eq(reloc_align_of(is64, 0, 0, 0, 0x800),
				  0x200000);
		ck_assert_uint_eq(reloc_align_of(is64, 2, 0, 1, 0), 0x200000);
		/* A p_align that is not a power of two does not count. */
		ck_assert_uint_eq(reloc_align_of(is64, 0, 0, 0x3000, 0x1000),
				  0x1000);
		ck_assert_uint_eq(reloc_align_of(is64, 0, 0, 0x3000, 0x800),
				  0x200000);
	}
	/* An ELF64 p_align past 32 bits is kept whole. */
	ck_assert_uint_eq(reloc_align_of(true, 0, 0, 0x100000000ull, 0x1000),
			  0x100000000ull);
}
END_TEST

START_TEST(test_pvh_and_reloc)
{
	struct img im;
	struct elf_info in;
	uint8_t buf[128], e[8], r[12];
	size_t n;

	put_u64(e, 0x1000000);
	put_u32(r, 0x1000);
	put_u32(r + 4, 0x100000);
	put_u32(r + 8, 0x7fffffff);
	n = note_put(buf, 4, "Xen", 4, XEN_RELOC, r, 12);
	n += note_put(buf + n, 4, "Xen", 4, 1, "linux", 6); /* other Xen type */
	n += note_put(buf + n, 4, "Xen", 4, XEN_ENTRY, e, 8);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n, 4);
	parse_ok(&im, &in);
	ck_assert(in.pvh);
	ck_assert_uint_eq(in.pvh_entry, 0x1000000);
	ck_assert(in.pvh_reloc);
	ck_assert_uint_eq(in.reloc_align, 0x1000);
	ck_assert_uint_eq(in.reloc_min, 0x100000);
	ck_assert_uint_eq(in.reloc_max, 0x7fffffff);
}
END_TEST

START_TEST(test_notes_align8)
{
	struct img im;
	struct elf_info in;
	uint8_t buf[128], prop[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	uint8_t e[4];
	size_t n;

	/*
	 * With 8-byte alignment the GNU note is 16 + 16 bytes and the Xen
	 * note's descriptor starts 16 bytes into it; read with 4-byte
	 * alignment these bytes would not give the entry below.
	 */
	put_u32(e, 0x1000abc);
	n = note_put(buf, 8, "GNU", 4, 5, prop, 12);
	ck_assert_uint_eq(n, 32);
	n += note_put(buf + n, 8, "Xen", 4, XEN_ENTRY, e, 4);
	ck_assert_uint_eq(n, 56);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n, 8);
	parse_ok(&im, &in);
	ck_assert(in.pvh);
	ck_assert_uint_eq(in.pvh_entry, 0x1000abc);

	/* The last note's padding may be missing from the segment. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n - 4, 8);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.pvh_entry, 0x1000abc);

	/* But not part of its descriptor. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n - 5, 8);
	expect(&im, ELF_E_NOTE);
}
END_TEST

START_TEST(test_notes_align8_name_pad)
{
	struct img im;
	struct elf_info in;
	uint8_t buf[64], e[4];
	size_t n;

	/* namesz 4: 12 + 4 is already a multiple of 8, desc at 16. */
	put_u32(e, 0x1234);
	n = note_put(buf, 8, "Xen", 4, XEN_ENTRY, e, 4);
	ck_assert_uint_eq(n, 24);
	ck_assert_uint_eq(buf[16], 0x34);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n, 8);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.pvh_entry, 0x1234);
}
END_TEST

START_TEST(test_notes_other_names)
{
	struct img im;
	struct elf_info in;
	uint8_t buf[256];
	size_t n;

	/* Type 18 with a short descriptor, but not named "Xen\0". */
	n = note_put(buf, 4, "GNU", 4, XEN_ENTRY, "ab", 2);
	n += note_put(buf + n, 4, "Xen", 3, XEN_ENTRY, "ab", 2);
	n += note_put(buf + n, 4, "XenX", 5, XEN_ENTRY, "ab", 2);
	n += note_put(buf + n, 4, "Xe", 4, XEN_ENTRY, "ab", 2);
	n += note_put(buf + n, 4, "", 0, XEN_ENTRY, "", 0);
	n += note_put(buf + n, 4, "Linux", 6, 1, "x", 1);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n, 4);
	parse_ok(&im, &in);
	ck_assert(!in.pvh);
	ck_assert(!in.pvh_reloc);
}
END_TEST

START_TEST(test_note_empty_segment)
{
	struct img im;
	struct elf_info in;

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, NULL, 0, 4);
	parse_ok(&im, &in);
	ck_assert(!in.pvh);
}
END_TEST

START_TEST(test_note_namesz_huge)
{
	struct img im;
	uint8_t buf[64];
	size_t n;
	static const uint32_t bad[] = { 0xffffffff, 0xfffffff4, 0x80000000,
					0x1000, 17 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = note_put(buf, 4, "Xen", 4, XEN_ENTRY, "abcd", 4);
		put_u32(buf, bad[i]); /* namesz */
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_notes(&im, buf, n, 4);
		expect(&im, ELF_E_NOTE);
	}
}
END_TEST

START_TEST(test_note_descsz_huge)
{
	struct img im;
	uint8_t buf[64];
	size_t n;
	static const uint32_t bad[] = { 0xffffffff, 0xfffffffd, 0x7fffffff, 5 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = note_put(buf, 4, "Xen", 4, XEN_ENTRY, "abcd", 4);
		put_u32(buf + 4, bad[i]); /* descsz */
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_notes(&im, buf, n, 4);
		expect(&im, ELF_E_NOTE);
	}
}
END_TEST

START_TEST(test_note_past_segment)
{
	struct img im;
	uint8_t buf[64];
	size_t n;

	/* The descriptor runs past p_filesz although the file goes on. */
	n = note_put(buf, 4, "Xen", 4, XEN_ENTRY, "abcdefgh", 8);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, n - 2, 4);
	img_data(&im, NULL, 64);
	expect(&im, ELF_E_NOTE);

	/* The name runs past it. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, 14, 4);
	img_data(&im, NULL, 64);
	expect(&im, ELF_E_NOTE);

	/* Trailing bytes too short for a note header. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	memset(buf + n, 0, 8);
	img_notes(&im, buf, n + 8, 4);
	expect(&im, ELF_E_NOTE);

	/* A segment shorter than one header. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, 11, 4);
	expect(&im, ELF_E_NOTE);
}
END_TEST

START_TEST(test_note_segment_past_eof)
{
	struct img im;
	int i;

	std_img64(&im);
	i = 2; /* the PT_NOTE */
	ph_set64(&im, i, PH64_FILESZ, im.len);
	expect(&im, ELF_E_NOTE);

	std_img64(&im);
	ph_set64(&im, i, PH64_OFFSET, im.len + 1);
	ph_set64(&im, i, PH64_FILESZ, 0);
	expect(&im, ELF_E_NOTE);

	std_img64(&im);
	ph_set64(&im, i, PH64_OFFSET, UINT64_MAX - 4);
	ph_set64(&im, i, PH64_FILESZ, 24);
	expect(&im, ELF_E_NOTE);
}
END_TEST

/*
 * Loads and notes are checked in one pass over the program headers, but a
 * PT_LOAD error (or no load at all) still wins over a note error that comes
 * before it, as elf.h orders the steps; of two bad notes the first counts.
 */
START_TEST(test_load_errors_before_note_errors)
{
	struct img im;
	uint8_t desc[4] = { 0 };

	/* A short PHYS32_ENTRY descriptor, then a bad PT_LOAD. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	img_load(&im, KBASE, 0x11, 0x10);
	expect(&im, ELF_E_FILESZ);

	/* The same note and no load at all. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	expect(&im, ELF_E_NO_LOAD);

	/* The note alone is wrong: its error. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	img_load(&im, KBASE, 0x10, 0x10);
	expect(&im, ELF_E_PVH_NOTE);

	/* Two bad notes: the first one's error. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	int i = img_xen_note(&im, XEN_ENTRY, desc, 4);
	ph_set64(&im, i, PH64_FILESZ, im.len);
	img_load(&im, KBASE, 0x10, 0x10);
	expect(&im, ELF_E_PVH_NOTE);
}
END_TEST

START_TEST(test_elf32_pvh)
{
	struct img im;
	struct elf_info in;
	uint8_t desc[4];

	img_init(&im, false);
	img_load(&im, 0x100000, 0x200, 0x400);
	img_load(&im, 0x200000, 0x10, 0x10);
	put_u32(desc, 0x100040);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.cls, 32);
	ck_assert_uint_eq(in.machine, ELF_EM_386);
	ck_assert_uint_eq(in.entry, KBASE);
	ck_assert_uint_eq(in.phnum, 3);
	ck_assert_uint_eq(in.nload, 2);
	ck_assert_uint_eq(in.load[0].offset, DATA_OFF);
	ck_assert_uint_eq(in.load[0].paddr, 0x100000);
	ck_assert_uint_eq(in.load[0].vaddr, 0x100000);
	ck_assert_uint_eq(in.load[0].filesz, 0x200);
	ck_assert_uint_eq(in.load[0].memsz, 0x400);
	ck_assert_uint_eq(in.load[0].flags, ELF_PF_R | ELF_PF_X);
	ck_assert_uint_eq(in.load[0].align, 0x1000);
	ck_assert_uint_eq(in.paddr_lo, 0x100000);
	ck_assert_uint_eq(in.paddr_hi, 0x200010);
	ck_assert(in.pvh);
	ck_assert_uint_eq(in.pvh_entry, 0x100040);
}
END_TEST

START_TEST(test_elf32_x86_64_machine)
{
	struct img im;
	struct elf_info in;

	img_init(&im, false);
	img_set16(&im, 18, ELF_EM_X86_64);
	img_load(&im, 0x100000, 0x20, 0x20);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.machine, ELF_EM_X86_64);
}
END_TEST

/* Header checks */

START_TEST(test_short)
{
	struct img im;
	struct elf_info in;
	static const uint8_t junk[10] = { 0 };

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	ck_assert_int_eq(parse_bytes(im.b, 0, &in), ELF_E_SHORT);
	ck_assert_int_eq(parse_bytes(im.b, 4, &in), ELF_E_SHORT);
	ck_assert_int_eq(parse_bytes(im.b, 5, &in), ELF_E_SHORT);
	ck_assert_int_eq(parse_bytes(im.b, 52, &in), ELF_E_SHORT);
	ck_assert_int_eq(parse_bytes(im.b, 63, &in), ELF_E_SHORT);
	ck_assert_int_eq(parse_bytes(junk, sizeof(junk), &in), ELF_E_SHORT);

	img_init(&im, false);
	img_load(&im, 0x100000, 0x10, 0x10);
	ck_assert_int_eq(parse_bytes(im.b, 51, &in), ELF_E_SHORT);
	/* A full ELF32 header, but the phdrs are cut off. */
	ck_assert_int_eq(parse_bytes(im.b, 52, &in), ELF_E_PHDRS);
}
END_TEST

START_TEST(test_magic)
{
	struct img im;

	for (int i = 0; i < 4; i++) {
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		im.b[i] ^= 0x20;
		expect(&im, ELF_E_MAGIC);
	}
}
END_TEST

START_TEST(test_class)
{
	struct img im;
	static const uint8_t bad[] = { 0, 3, 0xff };

	for (size_t i = 0; i < sizeof(bad); i++) {
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		im.b[4] = bad[i];
		expect(&im, ELF_E_CLASS);
	}
}
END_TEST

START_TEST(test_data)
{
	struct img im;

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	im.b[5] = 2;
	expect(&im, ELF_E_DATA);
	im.b[5] = 0;
	expect(&im, ELF_E_DATA);
}
END_TEST

START_TEST(test_version)
{
	struct img im;

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	im.b[6] = 0;
	expect(&im, ELF_E_VERSION);
	im.b[6] = 2;
	expect(&im, ELF_E_VERSION);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	put_u32(im.b + 20, 0);
	expect(&im, ELF_E_VERSION);
	put_u32(im.b + 20, 0x101);
	expect(&im, ELF_E_VERSION);
}
END_TEST

START_TEST(test_machine)
{
	struct img im;
	static const uint16_t bad[] = { 0, 40, 183, 0x3e00 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_set16(&im, 18, bad[i]);
		expect(&im, ELF_E_MACHINE);
	}
}
END_TEST

START_TEST(test_type)
{
	struct img im;
	static const uint16_t bad[] = { 0, 1, 4, 0xfe00 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img_init(&im, false);
		img_load(&im, 0x100000, 0x10, 0x10);
		img_set16(&im, 16, bad[i]);
		expect(&im, ELF_E_TYPE);
	}
}
END_TEST

START_TEST(test_check_order)
{
	struct img im;

	/* Each pair of faults reports the one checked first. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	im.b[0] = 0;
	im.b[4] = 9;
	expect(&im, ELF_E_MAGIC);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	im.b[4] = 9;
	im.b[5] = 2;
	expect(&im, ELF_E_CLASS);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	im.b[5] = 2;
	im.b[6] = 0;
	expect(&im, ELF_E_DATA);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	im.b[6] = 0;
	img_set16(&im, 18, 40);
	expect(&im, ELF_E_VERSION);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_set16(&im, 18, 40);
	img_set16(&im, 16, 1);
	expect(&im, ELF_E_MACHINE);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_set16(&im, 16, 1);
	img_set16(&im, off_phentsize(&im), 0);
	expect(&im, ELF_E_TYPE);

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_set16(&im, off_phentsize(&im), 0);
	img_set64(&im, off_phoff(&im), UINT64_MAX);
	expect(&im, ELF_E_PHENTSIZE);

	/* Load problems come before note problems. */
	std_img64(&im);
	ph_set64(&im, 2, PH64_FILESZ, UINT64_MAX);
	ph_set64(&im, 1, PH64_PADDR, KBASE);
	expect(&im, ELF_E_OVERLAP);

	/* Within one segment: filesz, then file bounds, then wrap. */
	std_img64(&im);
	ph_set64(&im, 0, PH64_FILESZ, 0x81);
	ph_set64(&im, 0, PH64_OFFSET, UINT64_MAX);
	expect(&im, ELF_E_FILESZ);
	ph_set64(&im, 0, PH64_FILESZ, 0x80);
	ph_set64(&im, 0, PH64_PADDR, UINT64_MAX);
	expect(&im, ELF_E_SEGMENT);
	ph_set64(&im, 0, PH64_OFFSET, DATA_OFF);
	expect(&im, ELF_E_WRAP);
}
END_TEST

/* Program header table */

START_TEST(test_phentsize)
{
	struct img im;
	static const uint16_t bad64[] = { 0, 32, 55, 57, 64, 0xffff };
	static const uint16_t bad32[] = { 0, 31, 33, 56 };

	for (size_t i = 0; i < sizeof(bad64) / sizeof(bad64[0]); i++) {
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_set16(&im, off_phentsize(&im), bad64[i]);
		expect(&im, ELF_E_PHENTSIZE);
	}
	for (size_t i = 0; i < sizeof(bad32) / sizeof(bad32[0]); i++) {
		img_init(&im, false);
		img_load(&im, 0x100000, 0x10, 0x10);
		img_set16(&im, off_phentsize(&im), bad32[i]);
		expect(&im, ELF_E_PHENTSIZE);
	}
}
END_TEST

START_TEST(test_phdrs_past_eof)
{
	struct img im;
	struct elf_info in;
	static const uint64_t bad[] = { DATA_OFF + 0x10 - 55, DATA_OFF + 0x11,
					UINT64_MAX,	      UINT64_MAX - 55,
					UINT64_MAX - 56,      1ull << 63 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img_init(&im, true);
		img_load(&im, KBASE, 0x10, 0x10);
		img_set64(&im, off_phoff(&im), bad[i]);
		expect(&im, ELF_E_PHDRS);
	}

	/* A table that ends exactly at the end of the file is fine. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	memcpy(im.b + im.len, im.b + 64, 56);
	img_set64(&im, off_phoff(&im), im.len);
	im.len += 56;
	parse_ok(&im, &in);

	img_init(&im, false);
	img_load(&im, 0x100000, 0x10, 0x10);
	put_u32(im.b + off_phoff(&im), 0xffffffff);
	expect(&im, ELF_E_PHDRS);
	put_u32(im.b + off_phoff(&im), (uint32_t)im.len - 31);
	expect(&im, ELF_E_PHDRS);

	/* More headers than the file holds. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_set16(&im, off_phnum(&im), (DATA_OFF + 0x10 - 64) / 56 + 1);
	expect(&im, ELF_E_PHDRS);
}
END_TEST

START_TEST(test_phnum_xnum)
{
	struct img im;
	struct elf_info in;
	size_t big = 64 + 65535 * (size_t)56 + 0x100;
	uint8_t *buf;

	/* PN_XNUM is only a count, which this file cannot hold. */
	std_img64(&im);
	img_set16(&im, off_phnum(&im), 0xffff);
	expect(&im, ELF_E_PHDRS);

	img_init(&im, false);
	img_load(&im, 0x100000, 0x10, 0x10);
	img_set16(&im, off_phnum(&im), 0xffff);
	expect(&im, ELF_E_PHDRS);

	/* A file big enough for 65535 headers: all walked, none skipped. */
	buf = calloc(1, big);
	ck_assert_ptr_nonnull(buf);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	memcpy(buf, im.b, 64 + 56);
	put_u16(buf + 56, 0xffff);
	put_u64(buf + 64 + 8, big - 0x100);
	put_u32(buf + 64 + 65534 * (size_t)56, PT_LOAD); /* the last one */
	put_u64(buf + 64 + 65534 * (size_t)56 + 8, big - 0x100);
	put_u64(buf + 64 + 65534 * (size_t)56 + 24, KBASE + 0x10);
	put_u64(buf + 64 + 65534 * (size_t)56 + 40, 0x10);
	ck_assert_int_eq(parse_bytes(buf, big, &in), ELF_OK);
	ck_assert_uint_eq(in.phnum, 0xffff);
	ck_assert_uint_eq(in.nload, 2);
	ck_assert_uint_eq(in.paddr_hi, KBASE + 0x20);
	ck_assert_int_eq(parse_bytes(buf, big - 0x101, &in), ELF_E_PHDRS);
	free(buf);
}
END_TEST

START_TEST(test_phnum_zero)
{
	struct img im;

	img_init(&im, true);
	expect(&im, ELF_E_NO_LOAD);
	img_init(&im, false);
	expect(&im, ELF_E_NO_LOAD);
}
END_TEST

/* PT_LOAD checks */

START_TEST(test_filesz)
{
	struct img im;

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_load(&im, KBASE + 0x1000, 0x11, 0x10);
	expect(&im, ELF_E_FILESZ);

	img_init(&im, false);
	img_load(&im, 0x100000, 0x100, 0xff);
	expect(&im, ELF_E_FILESZ);
}
END_TEST

START_TEST(test_segment_past_eof)
{
	struct img im;
	struct elf_info in;

	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x20);
	ph_set64(&im, 0, PH64_FILESZ, 0x11);
	expect(&im, ELF_E_SEGMENT);
	ph_set64(&im, 0, PH64_FILESZ, 0x10);
	ph_set64(&im, 0, PH64_OFFSET, im.len - 0xf);
	expect(&im, ELF_E_SEGMENT);
	ph_set64(&im, 0, PH64_OFFSET, UINT64_MAX - 8);
	expect(&im, ELF_E_SEGMENT);
	ph_set64(&im, 0, PH64_OFFSET, UINT64_MAX);
	ph_set64(&im, 0, PH64_FILESZ, 1);
	expect(&im, ELF_E_SEGMENT);

	/* An empty file range may sit at the very end, not past it. */
	ph_set64(&im, 0, PH64_FILESZ, 0);
	ph_set64(&im, 0, PH64_OFFSET, im.len);
	parse_ok(&im, &in);
	ph_set64(&im, 0, PH64_OFFSET, im.len + 1);
	expect(&im, ELF_E_SEGMENT);

	img_init(&im, false);
	img_load(&im, 0x100000, 0x10, 0x10);
	put_u32(im.b + 52 + 4, 0xfffffff8);
	expect(&im, ELF_E_SEGMENT);
}
END_TEST

START_TEST(test_wrap)
{
	struct img im;
	struct elf_info in;

	/* Physical. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x2000);
	ph_set64(&im, 0, PH64_PADDR, UINT64_MAX - 0xfff);
	ph_set64(&im, 0, PH64_VADDR, 0);
	expect(&im, ELF_E_WRAP);
	/* Ending exactly at 2^64 wraps too; one byte lower is fine. */
	ph_set64(&im, 0, PH64_PADDR, UINT64_MAX - 0x1fff);
	expect(&im, ELF_E_WRAP);
	ph_set64(&im, 0, PH64_PADDR, UINT64_MAX - 0x2000);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.paddr_hi, UINT64_MAX);

	/* Virtual. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x2000);
	ph_set64(&im, 0, PH64_VADDR, UINT64_MAX);
	expect(&im, ELF_E_WRAP);
	ph_set64(&im, 0, PH64_VADDR, UINT64_MAX - 0xfff);
	expect(&im, ELF_E_WRAP);

	/* A huge p_memsz. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, UINT64_MAX);
	expect(&im, ELF_E_WRAP);

	/* ELF32 addresses wrap at 4 GiB. */
	img_init(&im, false);
	img_load(&im, 0xfffff000, 0x10, 0x2000);
	expect(&im, ELF_E_WRAP);
	img_init(&im, false);
	img_load(&im, 0xfffff000, 0x10, 0x1000);
	expect(&im, ELF_E_WRAP);
	img_init(&im, false);
	img_load(&im, 0xfffff000, 0x10, 0xfff);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.paddr_hi, 0xffffffff);
	img_init(&im, false);
	img_load(&im, 0x100000, 0x10, 0x1000);
	put_u32(im.b + 52 + 8, 0xfffff800); /* p_vaddr */
	expect(&im, ELF_E_WRAP);
}
END_TEST

START_TEST(test_too_many)
{
	struct img im;
	struct elf_info in;

	img_init(&im, true);
	for (int i = 0; i < ELF_MAX_LOAD; i++)
		img_load(&im, KBASE + (uint64_t)i * 0x1000, 0x10, 0x1000);
	img_phdr(&im, PT_LOAD, 0, 0, 0, 0, 0, 0, 0); /* memsz 0: ignored */
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.nload, ELF_MAX_LOAD);
	ck_assert_uint_eq(in.paddr_lo, KBASE);
	ck_assert_uint_eq(in.paddr_hi, KBASE + ELF_MAX_LOAD * 0x1000);
	ck_assert_uint_eq(in.load[ELF_MAX_LOAD - 1].paddr,
			  KBASE + (ELF_MAX_LOAD - 1) * 0x1000);

	img_load(&im, KBASE + ELF_MAX_LOAD * 0x1000, 0x10, 0x1000);
	expect(&im, ELF_E_TOO_MANY);
}
END_TEST

START_TEST(test_overlap)
{
	struct img im;
	struct elf_info in;

	/* Adjacent is fine. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x1000);
	img_load(&im, KBASE + 0x1000, 0x10, 0x1000);
	img_load(&im, KBASE - 0x1000, 0x10, 0x1000);
	parse_ok(&im, &in);

	/* One byte shared, either way round. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x1000);
	img_load(&im, KBASE + 0xfff, 0x10, 0x1000);
	expect(&im, ELF_E_OVERLAP);
	img_init(&im, true);
	img_load(&im, KBASE + 0xfff, 0x10, 0x1000);
	img_load(&im, KBASE, 0x10, 0x1000);
	expect(&im, ELF_E_OVERLAP);

	/* Identical, contained, and the first against the third. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x1000);
	img_load(&im, KBASE, 0x10, 0x1000);
	expect(&im, ELF_E_OVERLAP);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10000);
	img_load(&im, KBASE + 0x2000, 0x10, 0x10);
	expect(&im, ELF_E_OVERLAP);
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x1000);
	img_load(&im, KBASE + 0x4000, 0x10, 0x1000);
	img_load(&im, KBASE + 0x800, 0x10, 0x10);
	expect(&im, ELF_E_OVERLAP);

	/* Only physical addresses count: equal vaddrs are fine. */
	img_init(&im, false);
	img_load(&im, 0x100000, 0x10, 0x1000);
	img_load(&im, 0x200000, 0x10, 0x1000);
	put_u32(im.b + 52 + 32 + 8, 0x100000);
	parse_ok(&im, &in);
}
END_TEST

START_TEST(test_no_load)
{
	struct img im;
	struct elf_info in;
	uint8_t desc[4] = { 0 };

	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	expect(&im, ELF_E_NO_LOAD);

	/* Loads with p_memsz 0 are ignored whatever else they say. */
	img_init(&im, true);
	img_phdr(&im, PT_LOAD, 0, UINT64_MAX, UINT64_MAX, UINT64_MAX,
		 UINT64_MAX, 0, 0);
	img_phdr(&im, PT_LOAD, 0, 0, 0, 0, 0, 0, 0);
	expect(&im, ELF_E_NO_LOAD);
	img_load(&im, KBASE, 0x10, 0x10);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.nload, 1);
	ck_assert_uint_eq(in.phnum, 3);
	ck_assert_uint_eq(in.load[0].paddr, KBASE);
}
END_TEST

/* Messages */

START_TEST(test_strerror)
{
	static const struct {
		enum elf_err err;
		const char *msg;
	} want[] = {
		{ ELF_E_SHORT, "file is shorter than an ELF header" },
		{ ELF_E_MAGIC, "not an ELF file" },
		{ ELF_E_CLASS, "unsupported ELF class" },
		{ ELF_E_DATA, "not little-endian" },
		{ ELF_E_VERSION, "unsupported ELF version" },
		{ ELF_E_MACHINE, "not an x86 ELF (e_machine)" },
		{ ELF_E_TYPE, "not an executable ELF (e_type)" },
		{ ELF_E_PHENTSIZE, "bad program header size" },
		{ ELF_E_PHDRS, "program headers extend past the end of the "
			       "file" },
		{ ELF_E_FILESZ, "segment p_filesz larger than p_memsz" },
		{ ELF_E_SEGMENT, "segment extends past the end of the file" },
		{ ELF_E_WRAP, "segment address range wraps" },
		{ ELF_E_TOO_MANY, "too many PT_LOAD segments" },
		{ ELF_E_OVERLAP, "PT_LOAD segments overlap" },
		{ ELF_E_NO_LOAD, "no PT_LOAD segment" },
		{ ELF_E_NOTE, "malformed note" },
		{ ELF_E_PVH_NOTE, "PVH note descriptor shorter than 4 bytes" },
		{ ELF_E_RELOC_ALIGN, "PHYS32_RELOC note's alignment is not a "
				     "power of two" },
		{ ELF_E_RELOC_RANGE, "PHYS32_RELOC note's minimum address is "
				     "above its maximum" },
	};
	size_t n = sizeof(want) / sizeof(want[0]);

	ck_assert_uint_eq(n, ELF_E_RELOC_RANGE);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(elf_strerror(want[i].err), want[i].msg);
	ck_assert_ptr_nonnull(elf_strerror(ELF_OK));
	ck_assert_ptr_nonnull(
		elf_strerror((enum elf_err)(ELF_E_RELOC_RANGE + 1)));
	ck_assert_ptr_nonnull(elf_strerror((enum elf_err) - 1));
}
END_TEST

/* The error's message with the program header(s) it names. */
static void expect_msg(const struct img *im, enum elf_err want, const char *msg)
{
	struct elf_info info;
	enum elf_err err = parse_img(im, &info);
	char buf[128];

	ck_assert_msg(err == want, "got %d (%s), want %d (%s)", err,
		      elf_strerror(err), want, elf_strerror(want));
	ck_assert_str_eq(elf_describe(err, &info.bad, buf, sizeof(buf)), msg);
}

/*
 * elf_describe names the program header at fault, counted from 0 over all
 * program headers (not only the loads), as readelf -l lists them.
 */
START_TEST(test_describe)
{
	struct img im;
	uint8_t desc[4] = { 0 };
	uint8_t buf[32] = { 0 };
	char small[12];
	struct elf_info info;

	/* Steps 1 and 2 have no header to name. */
	img_init(&im, true);
	im.b[4] = 3;
	expect_msg(&im, ELF_E_CLASS, "unsupported ELF class");
	img_init(&im, true);
	img_set16(&im, off_phnum(&im), 0x100);
	expect_msg(&im, ELF_E_PHDRS,
		   "program headers extend past the end of the file");

	/* A note, an ignored load (p_memsz 0), a load, then the bad one. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	img_phdr(&im, PT_LOAD, 0, 0, 0, 0, 0, 0, 0);
	img_load(&im, KBASE, 0x10, 0x10);
	img_load(&im, KBASE + 0x1000, 0x11, 0x10);
	expect_msg(&im, ELF_E_FILESZ,
		   "program header 3: segment p_filesz larger than p_memsz");
	ph_set64(&im, 3, PH64_MEMSZ, 0x11);
	ph_set64(&im, 3, PH64_OFFSET, im.len);
	expect_msg(&im, ELF_E_SEGMENT,
		   "program header 3: segment extends past the end of the "
		   "file");
	ph_set64(&im, 3, PH64_OFFSET, DATA_OFF);
	ph_set64(&im, 3, PH64_PADDR, UINT64_MAX - 0x10);
	expect_msg(&im, ELF_E_WRAP,
		   "program header 3: segment address range wraps");
	ph_set64(&im, 3, PH64_PADDR, KBASE + 0x8);
	expect_msg(&im, ELF_E_OVERLAP,
		   "program headers 2 and 3: PT_LOAD segments overlap");

	/* The first and the third load overlap; the second is apart. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x1000);
	img_load(&im, KBASE + 0x4000, 0x10, 0x1000);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	img_load(&im, KBASE + 0x800, 0x10, 0x10);
	expect_msg(&im, ELF_E_OVERLAP,
		   "program headers 0 and 3: PT_LOAD segments overlap");

	/* One load too many: the header that is one too many. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	for (int i = 0; i <= ELF_MAX_LOAD; i++)
		img_load(&im, KBASE + (uint64_t)i * 0x1000, 0x10, 0x1000);
	expect_msg(&im, ELF_E_TOO_MANY,
		   "program header 33: too many PT_LOAD segments");

	/* Notes: the first bad one counts, though the pass goes on. */
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_xen_note(&im, XEN_ENTRY, desc, 4);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	img_notes(&im, buf, 11, 4);
	img_load(&im, KBASE + 0x1000, 0x10, 0x10);
	expect_msg(&im, ELF_E_PVH_NOTE,
		   "program header 2: PVH note descriptor shorter than 4 "
		   "bytes");
	img_init(&im, true);
	img_load(&im, KBASE, 0x10, 0x10);
	img_notes(&im, buf, 11, 4);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	expect_msg(&im, ELF_E_NOTE, "program header 1: malformed note");

	/* A load error after a note error names the load. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	img_load(&im, KBASE, 0x11, 0x10);
	expect_msg(&im, ELF_E_FILESZ,
		   "program header 1: segment p_filesz larger than p_memsz");

	/* No load: no header to name. */
	img_init(&im, true);
	img_xen_note(&im, XEN_ENTRY, desc, 2);
	expect_msg(&im, ELF_E_NO_LOAD, "no PT_LOAD segment");

	/* Cut to the buffer, and terminated. */
	memset(small, 'x', sizeof(small));
	memset(&info, 0, sizeof(info));
	info.bad.ph = 12;
	ck_assert_str_eq(
		elf_describe(ELF_E_SEGMENT, &info.bad, small, sizeof(small)),
		"program hea");
	ck_assert_str_eq(elf_describe(ELF_OK, &info.bad, small, sizeof(small)),
			 "no error");
}
END_TEST

START_TEST(test_is_elf)
{
	struct img im;
	struct view v;

	img_init(&im, true);
	v = view_make(im.b, 4);
	ck_assert(elf_is_elf(&v));
	v = view_make(im.b, 3);
	ck_assert(!elf_is_elf(&v));
	v = view_make(im.b, 0);
	ck_assert(!elf_is_elf(&v));
	im.b[3] = 'f';
	v = view_make(im.b, 64);
	ck_assert(!elf_is_elf(&v));
}
END_TEST

/* Robustness */

/* A file with everything in it, packed tightly so that cuts hit things. */
static size_t rich_img(struct img *im, bool is64)
{
	uint8_t buf[256], e[8], r[12];
	size_t n;

	img_init(im, is64);
	im->data = ehdr_size(im) + 5 * phdr_size(im);
	im->len = im->data;
	img_load(im, 0x100000, 0x40, 0x1000);
	img_load(im, 0x200000, 0x20, 0x20);
	img_phdr(im, PT_LOAD, 0, 0, 0, 0x300000, 0, 0, 0);
	put_u64(e, 0x100010);
	put_u32(r, 0x200000);
	put_u32(r + 4, 0x100000);
	put_u32(r + 8, 0x7fffffff);
	n = note_put(buf, 8, "GNU", 4, 5, r, 12);
	n += note_put(buf + n, 8, "Xen", 4, XEN_ENTRY, e, 8);
	img_notes(im, buf, n, 8);
	n = note_put(buf, 4, "Xen", 4, XEN_RELOC, r, 12);
	n += note_put(buf + n, 4, "Linux", 6, 1, "abc", 3);
	img_notes(im, buf, n, 4);
	return im->len;
}

START_TEST(test_all_prefixes)
{
	struct img im;
	struct elf_info in;
	enum elf_err err;

	for (int cls = 0; cls < 2; cls++) {
		size_t len = rich_img(&im, cls == 1);

		parse_ok(&im, &in);
		ck_assert(in.pvh && in.pvh_reloc);
		ck_assert_uint_eq(in.pvh_entry, 0x100010);
		ck_assert_uint_eq(in.nload, 2);
		for (size_t n = 0; n < len; n++) {
			err = parse_bytes(im.b, n, &in);
			ck_assert_int_ne(err, ELF_OK);
			ck_assert_int_le(err, ELF_E_RELOC_RANGE);
			if (n < ehdr_size(&im))
				ck_assert_int_eq(err, ELF_E_SHORT);
			ck_assert_ptr_nonnull(elf_strerror(err));
		}
	}
}
END_TEST

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

START_TEST(test_random_flips)
{
	struct img base, im;
	struct elf_info in;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0;

	for (int iter = 0; iter < 1000; iter++) {
		size_t len = rich_img(&base, iter & 1);
		size_t hdrs = ehdr_size(&base) + 5 * phdr_size(&base);
		int flips = 1 + (int)(rng_next(&seed) % 4);
		enum elf_err err;

		im = base;
		for (int f = 0; f < flips; f++) {
			uint64_t r = rng_next(&seed);
			/* Mostly the headers, where most decisions are. */
			size_t at = (r & 3) ? (size_t)(r >> 8) % hdrs
					    : (size_t)(r >> 8) % len;
			uint8_t v = (uint8_t)(r >> 40);

			switch ((r >> 2) & 3) {
			case 0:
				im.b[at] ^= (uint8_t)(1u << (v & 7));
				break;
			case 1:
				im.b[at] = 0xff;
				break;
			case 2:
				im.b[at] = 0;
				break;
			default:
				im.b[at] = v;
				break;
			}
		}
		if (rng_next(&seed) % 8 == 0)
			im.len = (size_t)(rng_next(&seed) % (len + 1));

		err = parse_img(&im, &in);
		ck_assert_int_ge(err, ELF_OK);
		ck_assert_int_le(err, ELF_E_RELOC_RANGE);
		ck_assert_ptr_nonnull(elf_strerror(err));
		if (err == ELF_OK) {
			check_info(&in, im.len);
			ok++;
		}
	}
	/* Some flips land in padding or harmless fields. */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_lt(ok, 1000);
}
END_TEST

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_plain_elf64);
	tcase_add_test(tc, test_linux_note);
	tcase_add_test(tc, test_loads_file_order);
	tcase_add_test(tc, test_et_dyn);
	tcase_add_test(tc, test_elf32_pvh);
	tcase_add_test(tc, test_elf32_x86_64_machine);
	suite_add_tcase(s, tc);

	tc = tcase_create("notes");
	tcase_add_test(tc, test_pvh_desc8);
	tcase_add_test(tc, test_pvh_desc8_high_half);
	tcase_add_test(tc, test_pvh_desc4);
	tcase_add_test(tc, test_pvh_desc_short);
	tcase_add_test(tc, test_pvh_first_entry_kept);
	tcase_add_test(tc, test_reloc_fields);
	tcase_add_test(tc, test_reloc_align_rule);
	tcase_add_test(tc, test_reloc_bad_values);
	tcase_add_test(tc, test_pvh_and_reloc);
	tcase_add_test(tc, test_notes_align8);
	tcase_add_test(tc, test_notes_align8_name_pad);
	tcase_add_test(tc, test_notes_other_names);
	tcase_add_test(tc, test_note_empty_segment);
	tcase_add_test(tc, test_note_namesz_huge);
	tcase_add_test(tc, test_note_descsz_huge);
	tcase_add_test(tc, test_note_past_segment);
	tcase_add_test(tc, test_note_segment_past_eof);
	suite_add_tcase(s, tc);

	tc = tcase_create("header");
	tcase_add_test(tc, test_short);
	tcase_add_test(tc, test_magic);
	tcase_add_test(tc, test_class);
	tcase_add_test(tc, test_data);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_machine);
	tcase_add_test(tc, test_type);
	tcase_add_test(tc, test_check_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("phdrs");
	tcase_add_test(tc, test_phentsize);
	tcase_add_test(tc, test_phdrs_past_eof);
	tcase_add_test(tc, test_phnum_xnum);
	tcase_add_test(tc, test_phnum_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("loads");
	tcase_add_test(tc, test_filesz);
	tcase_add_test(tc, test_segment_past_eof);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_too_many);
	tcase_add_test(tc, test_overlap);
	tcase_add_test(tc, test_no_load);
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_load_errors_before_note_errors);
	tcase_add_test(tc, test_is_elf);
	tcase_add_test(tc, test_all_prefixes);
	tcase_add_test(tc, test_random_flips);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	return s;
}
