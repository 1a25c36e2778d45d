// SPDX-License-Identifier: MIT
/*
 * test_multiboot.c: unit tests of multiboot/: the Multiboot 1 and 2 header
 * scans, the load plan (a.out kludge and ELF), relocation, and the two
 * information structure builders.
 *
 * Test images are built in a zeroed IMG_MAX-byte work buffer by the small
 * builders below (Multiboot 1 header, Multiboot 2 header and tags, ELF32 and
 * ELF64 headers), and every scan or plan runs on a heap copy of exactly the
 * image's length, so that the sanitizers catch any read past the end.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "../../multiboot/multiboot.h"
#include "../../elfload/elf.h"

#define IMG_MAX 0x10000
#define FOUR_GIB 0x100000000ull

static uint8_t *img;	  /* the work buffer, IMG_MAX bytes */
static uint8_t *exact_cp; /* the exact-length copy behind the last view */

static void setup(void)
{
	img = calloc(1, IMG_MAX);
	ck_assert_ptr_nonnull(img);
	exact_cp = NULL;
}

static void teardown(void)
{
	free(img);
	free(exact_cp);
	img = NULL;
	exact_cp = NULL;
}

/* A view of a heap copy of exactly len bytes of b (valid until next call). */
static struct view exact(const uint8_t *b, size_t len)
{
	free(exact_cp);
	exact_cp = malloc(len != 0 ? len : 1);
	ck_assert_ptr_nonnull(exact_cp);
	if (len != 0)
		memcpy(exact_cp, b, len);
	return view_make(exact_cp, len);
}

/* img's first len bytes as a Multiboot 1 (plan1) or 2 (plan2) kernel: *v
 * their view, the header found (asserted), and mb_plan's answer. */
static enum mb_err plan1(struct view *v, size_t len, struct mb1_header *h,
			 struct mb_plan *p)
{
	*v = exact(img, len);
	ck_assert(mb1_find(v, h));
	return mb_plan(v, h, NULL, p);
}

static enum mb_err plan2(struct view *v, size_t len, struct mb2_header *h,
			 struct mb_plan *p)
{
	*v = exact(img, len);
	ck_assert(mb2_find(v, h));
	return mb_plan(v, NULL, h, p);
}
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p + 4) << 32 | get32(p);
}

/* ---- Builders ------------------------------------------------------ */

/* A Multiboot 1 header at off: magic, flags, checksum, address fields. */
static void h1_put(uint8_t *b, size_t off, uint32_t flags, uint32_t ha,
		   uint32_t la, uint32_t le, uint32_t be, uint32_t entry)
{
	put_u32(b + off, MB1_MAGIC);
	put_u32(b + off + 4, flags);
	put_u32(b + off + 8, (uint32_t)(0u - MB1_MAGIC - flags));
	put_u32(b + off + 12, ha);
	put_u32(b + off + 16, la);
	put_u32(b + off + 20, le);
	put_u32(b + off + 24, be);
	put_u32(b + off + 28, entry);
}

/* A Multiboot 2 header under construction. */
struct h2b {
	uint8_t *b;
	size_t start; /* the magic */
	size_t pos;   /* the next free byte */
};

static void h2_begin(struct h2b *h, uint8_t *b, size_t start)
{
	h->b = b;
	h->start = start;
	h->pos = start + 16;
	put_u32(b + start, MB2_MAGIC);
	put_u32(b + start + 4, MB2_ARCH_I386);
}

/* A tag with a declared size (>= 8) and the given body words. */
static size_t h2_tag_sized(struct h2b *h, uint16_t type, uint16_t flags,
			   uint32_t size, const uint32_t *w, uint32_t nw)
{
	size_t at;

	h->pos = (h->pos + 7) & ~(size_t)7;
	at = h->pos;
	put_u16(h->b + at, type);
	put_u16(h->b + at + 2, flags);
	put_u32(h->b + at + 4, size);
	for (uint32_t i = 0; i < nw; i++)
		put_u32(h->b + at + 8 + 4 * i, w[i]);
	h->pos = at + (size >= 8 ? size : 8);
	return at;
}

static size_t h2_tag(struct h2b *h, uint16_t type, uint16_t flags,
		     const uint32_t *w, uint32_t nw)
{
	return h2_tag_sized(h, type, flags, 8 + 4 * nw, w, nw);
}

/* Writes header_length and the checksum of the header at start. */
static void h2_seal(uint8_t *b, size_t start, uint32_t len)
{
	uint32_t arch = get32(b + start + 4);
	put_u32(b + start + 8, len);
	put_u32(b + start + 12, (uint32_t)(0u - MB2_MAGIC - arch - len));
}

/* The end tag, header_length and checksum; returns header_length. */
static uint32_t h2_end(struct h2b *h)
{
	uint32_t len;

	h2_tag(h, MB2_HTAG_END, 0, NULL, 0);
	len = (uint32_t)(h->pos - h->start);
	h2_seal(h->b, h->start, len);
	return len;
}

/* ELF header (no program headers yet); phdrs follow the header. */
static void elf_init(uint8_t *b, bool is64, uint16_t machine, uint64_t entry,
		     uint16_t phnum)
{
	memcpy(b,
	       "\x7f"
	       "ELF",
	       4);
	b[4] = is64 ? 2 : 1;
	b[5] = 1;
	b[6] = 1;
	put_u16(b + 16, 2);
	put_u16(b + 18, machine);
	put_u32(b + 20, 1);
	if (is64) {
		put_u64(b + 24, entry);
		put_u64(b + 32, 64);
		put_u16(b + 52, 64);
		put_u16(b + 54, 56);
		put_u16(b + 56, phnum);
	} else {
		put_u32(b + 24, (uint32_t)entry);
		put_u32(b + 28, 52);
		put_u16(b + 40, 52);
		put_u16(b + 42, 32);
		put_u16(b + 44, phnum);
	}
}

static void elf_load(uint8_t *b, bool is64, int i, uint64_t off, uint64_t vaddr,
		     uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	if (is64) {
		uint8_t *p = b + 64 + 56 * i;
		put_u32(p, 1);
		put_u32(p + 4, 7);
		put_u64(p + 8, off);
		put_u64(p + 16, vaddr);
		put_u64(p + 24, paddr);
		put_u64(p + 32, filesz);
		put_u64(p + 40, memsz);
		put_u64(p + 48, 0x1000);
	} else {
		uint8_t *p = b + 52 + 32 * i;
		put_u32(p, 1);
		put_u32(p + 4, (uint32_t)off);
		put_u32(p + 8, (uint32_t)vaddr);
		put_u32(p + 12, (uint32_t)paddr);
		put_u32(p + 16, (uint32_t)filesz);
		put_u32(p + 20, (uint32_t)memsz);
		put_u32(p + 24, 7);
		put_u32(p + 28, 0x1000);
	}
}

/*
 * The Solo5 virtio layout: an ELF64 whose one PT_LOAD (file 0x1000, 0x2000
 * bytes, memsz 0x5000) is at 0x100000, with an MB1 header (flags
 * 0x00010003) first in .text: header_addr 0x100000, load_addr 0x100000,
 * load_end 0x102000 (_edata), bss_end 0x105000 (_ebss), entry_addr
 * 0x100020 (_start32); e_entry = 0x100400 (the 64-bit _start).
 * Returns the file length (0x3000).
 */
static size_t solo5_virtio(uint8_t *b)
{
	elf_init(b, true, ELF_EM_X86_64, 0x100400, 1);
	elf_load(b, true, 0, 0x1000, 0x100000, 0x100000, 0x2000, 0x5000);
	h1_put(b, 0x1000, 0x00010003, 0x100000, 0x100000, 0x102000, 0x105000,
	       0x100020);
	for (size_t i = 0x1020; i < 0x3000; i++)
		b[i] = (uint8_t)(i * 7);
	return 0x3000;
}

/* ---- Multiboot 1 header scan ------------------------------------------ */

START_TEST(test_mb1_offsets)
{
	static const size_t offs[] = { 0, 4, 0x40, 0x1000, 0x1fe0 };
	struct mb1_header h;

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		memset(img, 0, IMG_MAX);
		h1_put(img, offs[i], 0x00010000, 0x100000 + (uint32_t)offs[i],
		       0x100000, 0, 0, 0x100000);
		struct view v = exact(img, 0x4000);
		ck_assert(mb1_find(&v, &h));
		ck_assert_uint_eq(h.offset, offs[i]);
		ck_assert_int_eq(h.err, MB_OK);
		ck_assert(h.has_addr);
		ck_assert(!h.has_video);
		ck_assert_uint_eq(h.header_addr, 0x100000 + offs[i]);
		ck_assert_uint_eq(h.load_addr, 0x100000);
		ck_assert_uint_eq(h.entry_addr, 0x100000);
	}
}
END_TEST

START_TEST(test_mb1_first_wins_and_alignment)
{
	struct mb1_header h;
	struct view v;

	/* Misaligned: not found. */
	h1_put(img, 0x102, 0, 0, 0, 0, 0, 0);
	v = exact(img, 0x1000);
	ck_assert(!mb1_find(&v, &h));
	ck_assert_uint_eq(h.offset, 0);
	/* Wrong checksum: skipped, the next valid one is taken. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x100, 0, 0, 0, 0, 0, 0);
	put_u32(img + 0x108, get32(img + 0x108) + 1);
	v = exact(img, 0x1000);
	ck_assert(!mb1_find(&v, &h));
	h1_put(img, 0x200, 0x3, 0, 0, 0, 0, 0);
	h1_put(img, 0x300, 0x1, 0, 0, 0, 0, 0);
	v = exact(img, 0x1000);
	ck_assert(mb1_find(&v, &h));
	ck_assert_uint_eq(h.offset, 0x200);
	ck_assert_uint_eq(h.flags, 0x3);
	ck_assert(!h.has_addr);
	/* Magic alone (checksum for other flags). */
	memset(img, 0, IMG_MAX);
	put_u32(img + 0x10, MB1_MAGIC);
	v = exact(img, 0x1000);
	ck_assert(!mb1_find(&v, &h));
	/* Empty and tiny files. */
	v = exact(img, 0);
	ck_assert(!mb1_find(&v, &h));
	h1_put(img, 0, 0, 0, 0, 0, 0, 0);
	v = exact(img, 11);
	ck_assert(!mb1_find(&v, &h));
	v = exact(img, 12);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
}
END_TEST

START_TEST(test_mb1_window_edge)
{
	struct mb1_header h;
	struct view v;

	/* No flags: 12 bytes ending exactly at 8192. */
	h1_put(img, 8192 - 12, 0, 0, 0, 0, 0, 0);
	v = exact(img, 0x4000);
	ck_assert(mb1_find(&v, &h));
	ck_assert_uint_eq(h.offset, 8192 - 12);
	ck_assert_int_eq(h.err, MB_OK);
	/* At 8192: outside the window. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 8192, 0, 0, 0, 0, 0, 0);
	v = exact(img, 0x4000);
	ck_assert(!mb1_find(&v, &h));
	/* The kludge fields end exactly at 8192: fine; 4 bytes later: not. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 8192 - 32, MB1_F_AOUT_KLUDGE, 1, 2, 3, 4, 5);
	v = exact(img, 0x4000);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert_uint_eq(h.entry_addr, 5);
	memset(img, 0, IMG_MAX);
	h1_put(img, 8192 - 28, MB1_F_AOUT_KLUDGE, 1, 2, 3, 4, 5);
	v = exact(img, 0x4000);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB1_WINDOW);
	ck_assert(!h.has_addr);
	/* Video fields: 48 bytes. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 8192 - 44, MB1_F_VIDEO_MODE, 1, 2, 3, 4, 5);
	v = exact(img, 0x4000);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB1_WINDOW);
	memset(img, 0, IMG_MAX);
	h1_put(img, 8192 - 48, MB1_F_VIDEO_MODE, 1, 2, 3, 4, 5);
	put_u32(img + 8192 - 16, 1);
	put_u32(img + 8192 - 12, 80);
	put_u32(img + 8192 - 8, 25);
	put_u32(img + 8192 - 4, 0);
	v = exact(img, 0x4000);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert(h.has_video);
	ck_assert(!h.has_addr);
	ck_assert_uint_eq(h.mode_type, 1);
	ck_assert_uint_eq(h.width, 80);
	ck_assert_uint_eq(h.height, 25);
	/* The file ends inside the fields. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x100, MB1_F_AOUT_KLUDGE, 1, 2, 3, 4, 5);
	v = exact(img, 0x100 + 31);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB1_SHORT);
	v = exact(img, 0x100 + 32);
	ck_assert(mb1_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
}
END_TEST

/* Every truncation of a file holding a kludge header at 0x100. */
START_TEST(test_mb1_truncations)
{
	const size_t off = 0x100, full = 0x400;
	struct mb1_header h;
	struct mb_plan p;

	h1_put(img, off, 0x00010003, 0x100100, 0x100000, 0x100200, 0x100800,
	       0x100120);
	for (size_t len = 0; len <= full; len++) {
		struct view v = exact(img, len);
		bool found = mb1_find(&v, &h);
		enum mb_err e;
		if (len < off + 12) {
			ck_assert(!found);
			continue;
		}
		ck_assert(found);
		ck_assert_int_eq(h.err,
				 len < off + 32 ? MB_E_MB1_SHORT : MB_OK);
		e = mb_plan(&v, &h, NULL, &p);
		ck_assert_int_eq(p.err, e);
		if (len < off + 32)
			ck_assert_int_eq(e, MB_E_MB1_SHORT);
		else if (len < 0x200)
			ck_assert_int_eq(e, MB_E_LOAD_PAST_FILE);
		else
			ck_assert_int_eq(e, MB_OK);
		if (e != MB_OK)
			ck_assert_uint_eq(p.nseg, 0);
	}
}
END_TEST

/* ---- Multiboot 1 plan --------------------------------------------- */

START_TEST(test_mb1_kludge_math)
{
	struct mb1_header h;
	struct mb_plan p;
	struct view v;

	/* Header 0x800 into the file, 0x800 after load_addr: offset 0. */
	h1_put(img, 0x800, 0x00010000, 0x200800, 0x200000, 0x201000, 0x203000,
	       0x200830);
	ck_assert_int_eq(plan1(&v, 0x1800, &h, &p), MB_OK);
	ck_assert_uint_eq(p.version, 1);
	ck_assert_uint_eq(p.eax, MB1_BOOT_MAGIC);
	ck_assert(p.kludge);
	ck_assert_uint_eq(p.nseg, 1);
	ck_assert_uint_eq(p.seg[0].dest, 0x200000);
	ck_assert_uint_eq(p.seg[0].offset, 0);
	ck_assert_uint_eq(p.seg[0].filesz, 0x1000);
	ck_assert_uint_eq(p.seg[0].memsz, 0x3000);
	ck_assert_uint_eq(p.entry, 0x200830);
	ck_assert_uint_eq(p.lo, 0x200000);
	ck_assert_uint_eq(p.hi, 0x203000);
	ck_assert(!p.page_align_modules);

	/* Header 0x800 in, but only 0x200 after load_addr: offset 0x600. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x800, 0x00010001, 0x200200, 0x200000, 0x200400, 0,
	       0x2003ff);
	ck_assert_int_eq(plan1(&v, 0x1800, &h, &p), MB_OK);
	ck_assert_uint_eq(p.seg[0].offset, 0x600);
	ck_assert_uint_eq(p.seg[0].filesz, 0x400);
	ck_assert_uint_eq(p.seg[0].memsz, 0x400); /* bss_end 0: no bss */
	ck_assert(p.page_align_modules);

	/* load_end_addr 0: to the end of the file. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0, 0x110000,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1234, &h, &p), MB_OK);
	ck_assert_uint_eq(p.seg[0].offset, 0);
	ck_assert_uint_eq(p.seg[0].filesz, 0x1234);
	ck_assert_uint_eq(p.seg[0].memsz, 0x10000);

	/* header_addr - load_addr larger than the header's offset. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x40, 0x00010000, 0x100044, 0x100000, 0, 0, 0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_LOAD_BEFORE_FILE);
	ck_assert_uint_eq(p.nseg, 0);
	/* load_addr above header_addr. */
	h1_put(img, 0x40, 0x00010000, 0x100000, 0x100040, 0, 0, 0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_LOAD_ADDR);
	/* load_end_addr below load_addr. */
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0xfffff, 0, 0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_LOAD_END);
	/* load_end_addr past the end of the file; exactly at it is fine. */
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x101001, 0,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_LOAD_PAST_FILE);
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x101000, 0,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_OK);
	/* bss_end below the load end; equal is fine. */
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x100800, 0x1007ff,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_BSS);
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x100800, 0x100800,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_OK);
	ck_assert_uint_eq(p.seg[0].memsz, 0x800);
	/* load_end == load_addr and no bss: nothing to load. */
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x100000, 0,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_EMPTY);
	/* ... and with only bss the entry can only be in zeroes. */
	h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x100000, 0x101000,
	       0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_ENTRY_OUTSIDE);
	ck_assert_uint_eq(p.detail, 0x100000);
	ck_assert_uint_eq(p.nseg, 0);
}
END_TEST

/* The kludge's entry_addr must be in [load_addr, load_addr + filesz). */
START_TEST(test_mb1_kludge_entry)
{
	/* 0x800 file bytes at 0x100000 (file offset 0x40), bss to 0x102000. */
	static const struct {
		uint32_t entry;
		enum mb_err want;
	} t[] = {
		{ 0x100000, MB_OK },
		{ 0x1007ff, MB_OK },
		{ 0x100800, MB_E_ENTRY_OUTSIDE }, /* the bss's first byte */
		{ 0x101fff, MB_E_ENTRY_OUTSIDE },
		{ 0x102000, MB_E_ENTRY_OUTSIDE }, /* past the image */
		{ 0xfffff, MB_E_ENTRY_OUTSIDE },
		{ 0, MB_E_ENTRY_OUTSIDE },
		{ 0xdeadbee0, MB_E_ENTRY_OUTSIDE },
		{ 0xffffffff, MB_E_ENTRY_OUTSIDE },
	};
	struct mb1_header h;
	struct mb_plan p;
	struct view v;
	char msg[128];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		h1_put(img, 0x40, 0x00010000, 0x100040, 0x100000, 0x100800,
		       0x102000, t[i].entry);
		v = exact(img, 0x1000);
		ck_assert(mb1_find(&v, &h));
		ck_assert_int_eq(mb_plan(&v, &h, NULL, &p), t[i].want);
		ck_assert_uint_eq(p.detail, t[i].want ? t[i].entry : 0);
		ck_assert_uint_eq(p.entry, t[i].want ? 0 : t[i].entry);
	}
	/* The reviewer's image: 99 bytes, load_end 0, entry far outside. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0, 0x00010000, 0x100000, 0x100000, 0, 0, 0xdeadbee0);
	ck_assert_int_eq(plan1(&v, 99, &h, &p), MB_E_ENTRY_OUTSIDE);
	ck_assert_str_eq(mb_describe(msg, sizeof(msg), &p),
			 "entry point 0xdeadbee0 is not in the bytes loaded "
			 "from the kernel file");
	put_u32(img + 28, 0x100062); /* the last byte: fine */
	ck_assert_int_eq(plan1(&v, 99, &h, &p), MB_OK);
	put_u32(img + 28, 0x100063);
	ck_assert_int_eq(plan1(&v, 99, &h, &p), MB_E_ENTRY_OUTSIDE);
}
END_TEST

START_TEST(test_mb1_kludge_4g)
{
	struct mb1_header h;
	struct mb_plan p;
	struct view v;

	/* load_end 0 and a file that runs past 4 GiB from load_addr. */
	h1_put(img, 0, 0x00010000, 0xfffff800, 0xfffff800, 0, 0, 0xfffff800);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_ABOVE_4G);
	/* Ending exactly at 4 GiB is fine. */
	h1_put(img, 0, 0x00010000, 0xfffff000, 0xfffff000, 0, 0, 0xfffff000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_OK);
	ck_assert_uint_eq(p.hi, FOUR_GIB);
	/* bss_end_addr is a u32, so the bss cannot pass 4 GiB. */
	h1_put(img, 0, 0x00010000, 0xffff0000, 0xffff0000, 0xffff0800,
	       0xffffffff, 0xffff0000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_OK);
	ck_assert_uint_eq(p.hi, 0xffffffffull);
}
END_TEST

START_TEST(test_mb1_flags)
{
	struct mb1_header h;
	struct mb_plan p;
	struct view v;
	char msg[128];

	/* Video mode required. */
	h1_put(img, 0, 0x00010004, 0x100000, 0x100000, 0, 0, 0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_MB1_VIDEO);
	ck_assert_str_eq(mb_strerror(p.err),
			 "kernel requires a video mode (Multiboot flag 2)");
	/* Unknown required bits 3 .. 15: the lowest is named. */
	for (uint32_t bit = 3; bit < 16; bit++) {
		uint32_t fl =
			0x00010000 | 1u << bit | (bit < 15 ? 1u << 15 : 0);
		h1_put(img, 0, fl, 0x100000, 0x100000, 0, 0, 0x100000);
		ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_E_MB1_FLAG);
		ck_assert_uint_eq(p.detail, bit);
	}
	h1_put(img, 0, 0x00010020, 0x100000, 0x100000, 0, 0, 0x100000);
	v = exact(img, 0x1000);
	ck_assert(mb1_find(&v, &h));
	mb_plan(&v, &h, NULL, &p);
	mb_format_error(msg, sizeof(msg), p.err, p.detail);
	ck_assert_str_eq(msg, "kernel requires an unsupported feature "
			      "(Multiboot flag bit 5)");
	/* Optional bits 17-31 are ignored; 0 and 1 honoured. */
	h1_put(img, 0, 0xffff0003, 0x100000, 0x100000, 0, 0, 0x100000);
	ck_assert_int_eq(plan1(&v, 0x1000, &h, &p), MB_OK);
	ck_assert(p.page_align_modules);
	ck_assert(p.memory_info);
	/* Video flag: the video check comes before the kludge fields. */
	h1_put(img, 0, 0x00000004, 0, 0, 0, 0, 0);
	v = exact(img, 0x1000);
	ck_assert(mb1_find(&v, &h));
	ck_assert(h.has_video);
	ck_assert_int_eq(mb_plan(&v, &h, NULL, &p), MB_E_MB1_VIDEO);
}
END_TEST

START_TEST(test_solo5_virtio)
{
	struct mb1_header h;
	struct mb2_header h2;
	struct mb_plan p;
	size_t len = solo5_virtio(img);
	struct view v = exact(img, len);

	ck_assert(!mb2_find(&v, &h2));
	ck_assert(mb1_find(&v, &h));
	ck_assert_uint_eq(h.offset, 0x1000);
	ck_assert_uint_eq(h.flags, 0x00010003);
	ck_assert_int_eq(mb_plan(&v, &h, NULL, &p), MB_OK);
	ck_assert(p.kludge);
	ck_assert_uint_eq(p.nseg, 1);
	ck_assert_uint_eq(p.seg[0].dest, 0x100000);
	ck_assert_uint_eq(p.seg[0].offset, 0x1000);
	ck_assert_uint_eq(p.seg[0].filesz, 0x2000);
	ck_assert_uint_eq(p.seg[0].memsz, 0x5000);
	ck_assert_uint_eq(p.entry, 0x100020); /* _start32, not e_entry */
	ck_assert_uint_eq(p.eax, 0x2BADB002u);
	ck_assert(p.page_align_modules);
	ck_assert(p.memory_info);
	/* The same file without the kludge goes through the ELF64 path. */
	h1_put(img, 0x1000, 0x00000003, 0, 0, 0, 0, 0);
	ck_assert_int_eq(plan1(&v, len, &h, &p), MB_OK);
	ck_assert(!p.kludge);
	ck_assert_uint_eq(p.seg[0].dest, 0x100000);
	ck_assert_uint_eq(p.seg[0].offset, 0x1000);
	ck_assert_uint_eq(p.seg[0].memsz, 0x5000);
	ck_assert_uint_eq(p.entry, 0x100400);
}
END_TEST

START_TEST(test_mb1_elf_path)
{
	struct mb1_header h;
	struct mb_plan p;
	struct view v;
	char msg[128];

	/* ELF32 with two PT_LOADs and the header in the first one. */
	elf_init(img, false, ELF_EM_386, 0x10000c, 2);
	elf_load(img, false, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000);
	elf_load(img, false, 1, 0x2000, 0x200000, 0x200000, 0x800, 0x3000);
	h1_put(img, 0x1000, 0x3, 0, 0, 0, 0, 0);
	ck_assert_int_eq(plan1(&v, 0x2800, &h, &p), MB_OK);
	ck_assert(!p.kludge);
	ck_assert_uint_eq(p.nseg, 2);
	ck_assert_uint_eq(p.seg[1].dest, 0x200000);
	ck_assert_uint_eq(p.seg[1].offset, 0x2000);
	ck_assert_uint_eq(p.seg[1].filesz, 0x800);
	ck_assert_uint_eq(p.seg[1].memsz, 0x3000);
	ck_assert_uint_eq(p.entry, 0x10000c);
	ck_assert_uint_eq(p.lo, 0x100000);
	ck_assert_uint_eq(p.hi, 0x203000);
	/* An entry between the two segments, or in the second one's bss:
	 * nothing loads there. In its file bytes: fine. */
	put_u32(img + 24, 0x101000);
	ck_assert_int_eq(plan1(&v, 0x2800, &h, &p), MB_E_ENTRY_OUTSIDE);
	put_u32(img + 24, 0x1fffff);
	ck_assert_int_eq(plan1(&v, 0x2800, &h, &p), MB_E_ENTRY_OUTSIDE);
	put_u32(img + 24, 0x200800);
	ck_assert_int_eq(plan1(&v, 0x2800, &h, &p), MB_E_ENTRY_OUTSIDE);
	put_u32(img + 24, 0x2007ff);
	ck_assert_int_eq(plan1(&v, 0x2800, &h, &p), MB_OK);
	ck_assert_uint_eq(p.entry, 0x2007ff);

	/* A higher-half ELF32: e_entry is virtual and gets translated. */
	elf_init(img, false, ELF_EM_386, 0xc0100010, 1);
	elf_load(img, false, 0, 0x1000, 0xc0100000, 0x100000, 0x1000, 0x1000);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_OK);
	ck_assert_uint_eq(p.entry, 0x100010);

	/* ELF64, higher-half virtual, physical below 4 GiB: accepted. */
	memset(img, 0, IMG_MAX);
	elf_init(img, true, ELF_EM_X86_64, 0xffffffff80100040ull, 1);
	elf_load(img, true, 0, 0x1000, 0xffffffff80100000ull, 0x100000, 0x1000,
		 0x2000);
	h1_put(img, 0x1000, 0x2, 0, 0, 0, 0, 0);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_OK);
	ck_assert_uint_eq(p.entry, 0x100040);
	/* ELF64 with an entry in no segment and above 4 GiB. */
	put_u64(img + 24, 0x100000000ull);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_E_ENTRY_4G);
	/* ... in no segment, below 4 GiB; in the bss (file bytes end at
	 * 0x101000, memory at 0x102000); at the last file byte. */
	put_u64(img + 24, 0x80000000ull);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_E_ENTRY_OUTSIDE);
	ck_assert_uint_eq(p.detail, 0x80000000u);
	put_u64(img + 24, 0x101000);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_E_ENTRY_OUTSIDE);
	put_u64(img + 24, 0xffffffff80101000ull); /* virtual, in the bss */
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_E_ENTRY_OUTSIDE);
	ck_assert_uint_eq(p.detail, 0x101000);
	put_u64(img + 24, 0x100fff);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_OK);
	/* ELF64 with a segment above 4 GiB. */
	put_u64(img + 24, 0x100040);
	elf_load(img, true, 0, 0x1000, 0x100000000ull, 0x100000000ull, 0x1000,
		 0x2000);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_E_ABOVE_4G);
	/* ... or ending just past it. */
	elf_load(img, true, 0, 0x1000, 0xfffff000, 0xfffff000, 0x1000, 0x1001);
	ck_assert_int_eq(plan1(&v, 0x2000, &h, &p), MB_E_ABOVE_4G);

	/* Not an ELF and no kludge. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x10, 0x0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(plan1(&v, 0x100, &h, &p), MB_E_NOT_ELF);
	/* A broken ELF: the parser's error is the detail. */
	elf_init(img, false, ELF_EM_386, 0x100000, 1);
	elf_load(img, false, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000);
	h1_put(img, 0x100, 0x0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(plan1(&v, 0x1800, &h, &p), MB_E_ELF);
	ck_assert_uint_eq(p.detail, ELF_E_SEGMENT);
	mb_format_error(msg, sizeof(msg), p.err, p.detail);
	ck_assert_str_eq(msg, "bad ELF file: segment extends past the end of "
			      "the file");
	/* The plan's own message also names the program header. */
	ck_assert_uint_eq(p.elf_bad.ph, 0);
	ck_assert_str_eq(mb_describe(msg, sizeof(msg), &p),
			 "bad ELF file: program header 0: segment extends "
			 "past the end of the file");
	/* The second of two program headers, and kept through mb_plan's
	 * clearing of a refused plan. */
	memset(img, 0, IMG_MAX);
	elf_init(img, false, ELF_EM_386, 0x100000, 2);
	elf_load(img, false, 0, 0x1000, 0x100000, 0x100000, 0x100, 0x100);
	elf_load(img, false, 1, 0x1400, 0x200000, 0x200000, 0x1000, 0x1000);
	h1_put(img, 0x100, 0x0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(plan1(&v, 0x1800, &h, &p), MB_E_ELF);
	ck_assert_str_eq(mb_describe(msg, sizeof(msg), &p),
			 "bad ELF file: program header 1: segment extends "
			 "past the end of the file");
	/* Other errors: mb_format_error's message. */
	p.err = MB_E_MB2_REQ;
	p.detail = 20;
	ck_assert_str_eq(mb_describe(msg, sizeof(msg), &p),
			 "kernel requires boot information the firmware "
			 "cannot provide (information tag type 20)");
}
END_TEST

/* ---- Multiboot 2 header scan ------------------------------------------ */

/* A minimal valid MB2 header (no tags) at off; returns its length. */
static uint32_t h2_min(uint8_t *b, size_t off)
{
	struct h2b hb;
	h2_begin(&hb, b, off);
	return h2_end(&hb);
}

START_TEST(test_mb2_offsets)
{
	static const size_t offs[] = { 0, 8, 0x48, 0x2000, 0x7fe0 };
	struct mb2_header h;

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		memset(img, 0, IMG_MAX);
		uint32_t len = h2_min(img, offs[i]);
		ck_assert_uint_eq(len, 24);
		struct view v = exact(img, 0x9000);
		ck_assert(mb2_find(&v, &h));
		ck_assert_uint_eq(h.offset, offs[i]);
		ck_assert_uint_eq(h.header_length, 24);
		ck_assert_int_eq(h.err, MB_OK);
		ck_assert_uint_eq(h.ntags, 0);
	}
	/* Misaligned (4 mod 8): not found. */
	memset(img, 0, IMG_MAX);
	h2_min(img, 0x104);
	struct view v = exact(img, 0x1000);
	ck_assert(!mb2_find(&v, &h));
	/* Bad checksum. */
	memset(img, 0, IMG_MAX);
	h2_min(img, 0x100);
	put_u32(img + 0x10c, get32(img + 0x10c) ^ 1);
	v = exact(img, 0x1000);
	ck_assert(!mb2_find(&v, &h));
	/* MB1 and MB2 scans do not see each other's magic. */
	memset(img, 0, IMG_MAX);
	h1_put(img, 0x40, 0, 0, 0, 0, 0, 0);
	v = exact(img, 0x1000);
	ck_assert(!mb2_find(&v, &h));
}
END_TEST

START_TEST(test_mb2_window_edge)
{
	struct mb2_header h;
	struct view v;

	/* Ends exactly at 32768. */
	h2_min(img, 32768 - 24);
	v = exact(img, 0x9000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	/* Fixed part inside, header_length past the window. */
	memset(img, 0, IMG_MAX);
	h2_min(img, 32768 - 16);
	v = exact(img, 0x9000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_WINDOW);
	ck_assert_str_eq(mb_strerror(h.err),
			 "header_length runs past the search window");
	/* Outside the window. */
	memset(img, 0, IMG_MAX);
	h2_min(img, 32768);
	v = exact(img, 0x9000);
	ck_assert(!mb2_find(&v, &h));
	/* Past the end of the file. */
	memset(img, 0, IMG_MAX);
	h2_min(img, 0x100);
	v = exact(img, 0x100 + 23);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_SHORT);
	v = exact(img, 0x100 + 24);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	v = exact(img, 0x100 + 15);
	ck_assert(!mb2_find(&v, &h));
}
END_TEST

START_TEST(test_mb2_arch_length)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	char msg[128];

	h2_min(img, 0);
	put_u32(img + 4, 4); /* MIPS */
	h2_seal(img, 0, 24);
	v = exact(img, 0x100);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_ARCH);
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_ARCH);
	ck_assert_str_eq(mb_strerror(p.err), "unsupported architecture");
	mb_format_error(msg, sizeof(msg), p.err, p.detail);
	ck_assert_str_eq(msg, "unsupported architecture 4 in the Multiboot 2 "
			      "header (i386 is 0)");
	for (uint32_t len = 0; len < 16; len++) {
		put_u32(img + 4, 0);
		h2_seal(img, 0, len);
		v = exact(img, 0x100);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(h.err, MB_E_MB2_LENGTH);
	}
	/* 16: no room for an end tag. */
	h2_seal(img, 0, 16);
	v = exact(img, 0x100);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_NO_END);
	/* A huge header_length. */
	h2_seal(img, 0, 0xfffffff0);
	v = exact(img, 0x100);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_WINDOW);
}
END_TEST

/* A header with one tag of every known type, as given in test_mb2_tags. */
static uint32_t h2_all_tags(uint8_t *b, size_t off, uint16_t fb_flags)
{
	struct h2b hb;
	const uint32_t req[] = { MB2_TAG_CMDLINE, MB2_TAG_MMAP,
				 MB2_TAG_ACPI_NEW };
	const uint32_t req2[] = { MB2_TAG_MMAP, MB2_TAG_FRAMEBUFFER };
	const uint32_t addr[] = { 0x100000 + (uint32_t)off, 0x100000, 0,
				  0x180000 };
	const uint32_t entry[] = { 0x100100 };
	const uint32_t cons[] = { MB2_CONSOLE_EGA_TEXT };
	const uint32_t fb[] = { 1024, 768, 32 };
	const uint32_t e32[] = { 0x100200 };
	const uint32_t e64[] = { 0x100300 };
	const uint32_t reloc[] = { 0x100000, 0x10000000, 0x200000,
				   MB2_RELOC_PREF_HIGHEST };

	h2_begin(&hb, b, off);
	h2_tag(&hb, MB2_HTAG_INFO_REQ, 0, req, 3);
	h2_tag(&hb, MB2_HTAG_INFO_REQ, MB2_TAG_OPTIONAL, req2, 2);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, addr, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, entry, 1);
	h2_tag(&hb, MB2_HTAG_CONSOLE, 0, cons, 1);
	h2_tag(&hb, MB2_HTAG_FRAMEBUFFER, fb_flags, fb, 3);
	h2_tag(&hb, MB2_HTAG_MODULE_ALIGN, 0, NULL, 0);
	h2_tag(&hb, MB2_HTAG_EFI_BS, 0, NULL, 0);
	h2_tag(&hb, MB2_HTAG_EFI32_ENTRY, 0, e32, 1);
	h2_tag(&hb, MB2_HTAG_EFI64_ENTRY, 0, e64, 1);
	h2_tag(&hb, MB2_HTAG_RELOCATABLE, 0, reloc, 4);
	h2_tag(&hb, 42, MB2_TAG_OPTIONAL, entry, 1); /* unknown, optional */
	return h2_end(&hb);
}

START_TEST(test_mb2_tags)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;

	h2_all_tags(img, 0x40, MB2_TAG_OPTIONAL);
	v = exact(img, 0x4000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert_uint_eq(h.offset, 0x40);
	ck_assert_uint_eq(h.ntags, 12);
	/* Requests: 1, 6 (required by the first tag), 15, 8 (optional). */
	ck_assert_uint_eq(h.nreq, 4);
	ck_assert_uint_eq(h.req[0].type, MB2_TAG_CMDLINE);
	ck_assert(!h.req[0].optional);
	ck_assert_uint_eq(h.req[1].type, MB2_TAG_MMAP);
	ck_assert(!h.req[1].optional);
	ck_assert_uint_eq(h.req[2].type, MB2_TAG_ACPI_NEW);
	ck_assert(!h.req[2].optional);
	ck_assert_uint_eq(h.req[3].type, MB2_TAG_FRAMEBUFFER);
	ck_assert(h.req[3].optional);
	ck_assert(h.has_addr);
	ck_assert_uint_eq(h.header_addr, 0x100040);
	ck_assert_uint_eq(h.load_addr, 0x100000);
	ck_assert_uint_eq(h.load_end_addr, 0);
	ck_assert_uint_eq(h.bss_end_addr, 0x180000);
	ck_assert(h.has_entry);
	ck_assert_uint_eq(h.entry_addr, 0x100100);
	ck_assert(h.has_console);
	ck_assert(!h.console_optional);
	ck_assert_uint_eq(h.console_flags, MB2_CONSOLE_EGA_TEXT);
	ck_assert(h.has_framebuffer);
	ck_assert(h.framebuffer_optional);
	ck_assert_uint_eq(h.fb_width, 1024);
	ck_assert_uint_eq(h.fb_height, 768);
	ck_assert_uint_eq(h.fb_depth, 32);
	ck_assert(h.module_align);
	ck_assert(h.efi_bs);
	ck_assert(h.has_efi32_entry);
	ck_assert_uint_eq(h.efi32_entry, 0x100200);
	ck_assert(h.has_efi64_entry);
	ck_assert_uint_eq(h.efi64_entry, 0x100300);
	ck_assert(h.relocatable);
	ck_assert_uint_eq(h.reloc_min, 0x100000);
	ck_assert_uint_eq(h.reloc_max, 0x10000000);
	ck_assert_uint_eq(h.reloc_align, 0x200000);
	ck_assert_uint_eq(h.reloc_pref, MB2_RELOC_PREF_HIGHEST);
	ck_assert(!h.unknown_required);

	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	ck_assert_uint_eq(p.version, 2);
	ck_assert_uint_eq(p.eax, MB2_BOOT_MAGIC);
	ck_assert(p.kludge);
	ck_assert_uint_eq(p.seg[0].dest, 0x100000);
	ck_assert_uint_eq(p.seg[0].offset, 0);
	ck_assert_uint_eq(p.seg[0].filesz, 0x4000);
	ck_assert_uint_eq(p.seg[0].memsz, 0x80000);
	ck_assert_uint_eq(p.entry, 0x100100);
	ck_assert(p.page_align_modules);
	ck_assert(p.efi_bs);
	ck_assert(p.relocatable);
	ck_assert_uint_eq(p.nreq, 3);
	ck_assert_uint_eq(p.req[2], MB2_TAG_ACPI_NEW);

	/* The same with a required framebuffer. */
	memset(img, 0, IMG_MAX);
	h2_all_tags(img, 0x40, 0);
	v = exact(img, 0x4000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert(!h.framebuffer_optional);
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_FRAMEBUFFER);
}
END_TEST

START_TEST(test_mb2_console)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	struct h2b hb;
	const uint32_t req[] = { MB2_CONSOLE_REQUIRED | MB2_CONSOLE_EGA_TEXT };
	const uint32_t addr[] = { 0x100000, 0x100000, 0, 0 };

	h2_begin(&hb, img, 0);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, addr, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, addr, 1);
	size_t t = h2_tag(&hb, MB2_HTAG_CONSOLE, 0, req, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x1000, &h, &p), MB_E_MB2_CONSOLE);
	/* The same tag marked optional is ignored. */
	put_u16(img + t + 2, MB2_TAG_OPTIONAL);
	ck_assert_int_eq(plan2(&v, 0x1000, &h, &p), MB_OK);
	/* Not optional but no console required: fine. */
	put_u16(img + t + 2, 0);
	put_u32(img + t + 8, MB2_CONSOLE_EGA_TEXT);
	ck_assert_int_eq(plan2(&v, 0x1000, &h, &p), MB_OK);
}
END_TEST

START_TEST(test_mb2_bad_tags)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	struct h2b hb;
	const uint32_t w[] = { 0x100000, 0x100000, 0, 0 };
	char msg[128];
	size_t t;

	/* Size below 8. */
	for (uint32_t sz = 0; sz < 8; sz++) {
		memset(img, 0, IMG_MAX);
		h2_begin(&hb, img, 0x20);
		t = h2_tag_sized(&hb, MB2_HTAG_MODULE_ALIGN, 0, sz, NULL, 0);
		h2_end(&hb);
		v = exact(img, 0x1000);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(h.err, MB_E_MB2_TAG);
		ck_assert_uint_eq(h.detail, t);
	}
	/* Each known type one byte too short. */
	static const uint16_t types[] = {
		MB2_HTAG_ADDRESS,     MB2_HTAG_ENTRY,
		MB2_HTAG_CONSOLE,     MB2_HTAG_FRAMEBUFFER,
		MB2_HTAG_EFI32_ENTRY, MB2_HTAG_EFI64_ENTRY,
		MB2_HTAG_RELOCATABLE
	};
	static const uint32_t need[] = { 24, 12, 12, 20, 12, 12, 24 };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(img, 0, IMG_MAX);
		h2_begin(&hb, img, 0);
		t = h2_tag_sized(&hb, types[i], MB2_TAG_OPTIONAL, need[i] - 1,
				 w, 4);
		h2_end(&hb);
		v = exact(img, 0x1000);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(h.err, MB_E_MB2_TAG);
		ck_assert_uint_eq(h.detail, t);
		memset(img, 0, IMG_MAX);
		h2_begin(&hb, img, 0);
		h2_tag_sized(&hb, types[i], MB2_TAG_OPTIONAL, need[i], w, 4);
		h2_end(&hb);
		v = exact(img, 0x1000);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(h.err, MB_OK);
	}
	/* A tag running past header_length. */
	memset(img, 0, IMG_MAX);
	h2_begin(&hb, img, 0);
	t = h2_tag(&hb, MB2_HTAG_ENTRY, 0, w, 1);
	uint32_t len = h2_end(&hb);
	put_u32(img + t + 4, len - (uint32_t)t + 1);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_TAG);
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_TAG);
	ck_assert_uint_eq(p.detail, t);
	mb_format_error(msg, sizeof(msg), p.err, p.detail);
	ck_assert_str_eq(msg, "bad Multiboot 2 header tag at file offset 0x10");
	/* An end tag of size 16. */
	memset(img, 0, IMG_MAX);
	h2_begin(&hb, img, 0);
	h2_tag_sized(&hb, MB2_HTAG_END, 0, 16, w, 2);
	h2_seal(img, 0, 32);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_TAG);
	/* header_length ends before the end tag. */
	memset(img, 0, IMG_MAX);
	h2_begin(&hb, img, 0);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, w, 1);
	h2_end(&hb);
	h2_seal(img, 0, 32 + 4);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_NO_END);
	h2_seal(img, 0, 32);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_NO_END);
	/* Tags are 8-aligned: a 12-byte tag pads to 16 before the next. */
	memset(img, 0, IMG_MAX);
	h2_begin(&hb, img, 0);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, w, 1);
	t = h2_tag(&hb, MB2_HTAG_MODULE_ALIGN, 0, NULL, 0);
	ck_assert_uint_eq(t, 32);
	h2_end(&hb);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert(h.module_align);
	/* Trailing bytes after the end tag inside header_length: fine. */
	h2_seal(img, 0, 48 + 16);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
}
END_TEST

START_TEST(test_mb2_unknown_tags)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	struct h2b hb;
	const uint32_t w[] = { 0x100000, 0x100000, 0, 0 };
	char msg[128];

	h2_begin(&hb, img, 0);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, w, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, w, 1);
	h2_tag(&hb, 11, MB2_TAG_OPTIONAL, w, 2);
	h2_tag(&hb, 0x1234, 0, w, 3);
	h2_tag(&hb, 99, 0, NULL, 0);
	h2_end(&hb);
	v = exact(img, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert(h.unknown_required);
	ck_assert_uint_eq(h.unknown_type, 0x1234);
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_UNKNOWN_TAG);
	ck_assert_uint_eq(p.detail, 0x1234);
	mb_format_error(msg, sizeof(msg), p.err, p.detail);
	ck_assert_str_eq(msg, "kernel requires an unsupported Multiboot 2 "
			      "header tag (type 4660)");
}
END_TEST

/* A kludge MB2 image at 0 with an entry tag and the given request tag. */
static struct view h2_with_request(const uint32_t *types, uint32_t n,
				   uint16_t flags, bool reloc)
{
	struct h2b hb;
	const uint32_t w[] = { 0x200000, 0x200000, 0, 0 };
	const uint32_t r[] = { 0x100000, 0x1000000, 0x1000, 0 };

	memset(img, 0, IMG_MAX);
	h2_begin(&hb, img, 0);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, w, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, w, 1);
	h2_tag(&hb, MB2_HTAG_INFO_REQ, flags, types, n);
	if (reloc)
		h2_tag(&hb, MB2_HTAG_RELOCATABLE, 0, r, 4);
	h2_end(&hb);
	return exact(img, 0x2000);
}

START_TEST(test_mb2_requests)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	uint32_t t, bad;
	char msg[128];
	uint8_t rsdp[36] = "RSD PTR ";
	struct mb2_extra x = { 0 };
	struct mb2_efi efi = { 0 };

	/* Never producible types, required: error naming the type. */
	static const uint32_t never[] = { 5,  7,  8,  9,  10,	     11,
					  13, 16, 19, 22, 0xffffffff };
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		t = never[i];
		v = h2_with_request(&t, 1, 0, false);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(h.err, MB_OK);
		ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_REQ);
		ck_assert_uint_eq(p.detail, t);
		/* Optional: fine. */
		v = h2_with_request(&t, 1, MB2_TAG_OPTIONAL, false);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
		ck_assert_uint_eq(p.nreq, 0);
	}
	t = MB2_TAG_FRAMEBUFFER;
	v = h2_with_request(&t, 1, 0, false);
	ck_assert(mb2_find(&v, &h));
	mb_plan(&v, NULL, &h, &p);
	mb_format_error(msg, sizeof(msg), p.err, p.detail);
	ck_assert_str_eq(msg, "kernel requires boot information the firmware "
			      "cannot provide (information tag type 8)");

	/* Type 0, the end tag, always written: a header that counts its zero
	 * padding in the request tag asks for it. */
	t = MB2_TAG_END;
	v = h2_with_request(&t, 1, 0, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	ck_assert_int_eq(mb2_check_requests(&p, NULL, NULL), MB_OK);

	/* Always producible. */
	static const uint32_t always[] = { 1, 2, 3, 4, 6 };
	v = h2_with_request(always, 5, 0, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	ck_assert_uint_eq(p.nreq, 5);
	ck_assert_int_eq(mb2_check_requests(&p, NULL, &bad), MB_OK);

	/* Depending on ACPI / EFI / relocation. */
	static const uint32_t cond[] = { 12, 14, 15, 17, 18, 20 };
	for (size_t i = 0; i < sizeof(cond) / sizeof(cond[0]); i++) {
		t = cond[i];
		v = h2_with_request(&t, 1, 0, false);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
		bad = 0;
		ck_assert_int_eq(mb2_check_requests(&p, NULL, &bad),
				 MB_E_MB2_REQ);
		ck_assert_uint_eq(bad, t);
	}
	/* ACPI: revision 0 gives 14 only, revision 2 gives both. */
	x.rsdp = rsdp;
	x.rsdp_len = 20;
	ck_assert(mb2_info_provides(14, &x));
	ck_assert(!mb2_info_provides(15, &x));
	rsdp[15] = 2;
	x.rsdp_len = 36;
	ck_assert(mb2_info_provides(14, &x));
	ck_assert(mb2_info_provides(15, &x));
	ck_assert(!mb2_info_provides(MB2_TAG_BOOTDEV, &x));
	ck_assert(!mb2_info_provides(MB2_TAG_FRAMEBUFFER, NULL));
	x.rsdp_len = 19;
	ck_assert(!mb2_info_provides(14, &x));
	x.rsdp_len = 36;
	/* EFI. */
	x.efi = &efi;
	ck_assert(!mb2_info_provides(12, &x));
	ck_assert(!mb2_info_provides(17, &x));
	ck_assert(!mb2_info_provides(18, &x));
	ck_assert(!mb2_info_provides(20, &x));
	efi.system_table = 0x7f000000;
	efi.image_handle = 0x1234;
	efi.mmap = rsdp;
	efi.mmap_size = 36;
	efi.boot_services = true;
	for (size_t i = 0; i < sizeof(cond) / sizeof(cond[0]); i++) {
		t = cond[i];
		v = h2_with_request(&t, 1, 0, false);
		ck_assert(mb2_find(&v, &h));
		ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
		ck_assert_int_eq(mb2_check_requests(&p, &x, &bad), MB_OK);
	}
	/* 21 needs the relocatable tag. */
	t = MB2_TAG_LOAD_BASE;
	v = h2_with_request(&t, 1, 0, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_REQ);
	v = h2_with_request(&t, 1, 0, true);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	ck_assert_int_eq(mb2_check_requests(&p, &x, &bad), MB_E_MB2_REQ);
	x.has_load_base = true;
	ck_assert_int_eq(mb2_check_requests(&p, &x, &bad), MB_OK);
	/* MB1 plans have no requests. */
	struct mb_plan p1 = { .version = 1, .nreq = 0 };
	ck_assert_int_eq(mb2_check_requests(&p1, NULL, NULL), MB_OK);
}
END_TEST

START_TEST(test_mb2_request_limits)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	uint32_t types[MB2_MAX_REQ + 1];

	/* Duplicates collapse; required wins over optional. */
	for (uint32_t i = 0; i < 8; i++)
		types[i] = i % 2 ? 1 : 6;
	v = h2_with_request(types, 8, MB2_TAG_OPTIONAL, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_uint_eq(h.nreq, 2);
	ck_assert(h.req[0].optional);
	/* MB2_MAX_REQ distinct types fit, one more does not. */
	for (uint32_t i = 0; i <= MB2_MAX_REQ; i++)
		types[i] = 1000 + i;
	v = h2_with_request(types, MB2_MAX_REQ, MB2_TAG_OPTIONAL, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert_uint_eq(h.nreq, MB2_MAX_REQ);
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	v = h2_with_request(types, MB2_MAX_REQ + 1, MB2_TAG_OPTIONAL, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_E_MB2_TOO_MANY_REQ);
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_TOO_MANY_REQ);
	/* An empty request tag is fine; odd sizes are rounded down. */
	v = h2_with_request(types, 0, 0, false);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(h.err, MB_OK);
	ck_assert_uint_eq(h.nreq, 0);
}
END_TEST

/* ---- Multiboot 2 plan --------------------------------------------- */

START_TEST(test_mb2_elf_path)
{
	struct mb2_header h;
	struct mb_plan p;
	struct view v;
	struct h2b hb;
	const uint32_t entry[] = { 0x100800 };
	const uint32_t addr[] = { 0x101000, 0x100000, 0x101800, 0x104000 };
	char msg[128];

	/* ELF32, no tags: PT_LOADs and e_entry. */
	elf_init(img, false, ELF_EM_386, 0x100010, 1);
	elf_load(img, false, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000);
	h2_min(img, 0x1000);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_OK);
	ck_assert(!p.kludge);
	ck_assert_uint_eq(p.seg[0].dest, 0x100000);
	ck_assert_uint_eq(p.seg[0].memsz, 0x2000);
	ck_assert_uint_eq(p.entry, 0x100010);
	/* The entry address tag overrides e_entry. */
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, entry, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_OK);
	ck_assert_uint_eq(p.entry, 0x100800);
	/* An entry tag outside the ELF's file bytes (in its bss). */
	const uint32_t in_bss[] = { 0x101800 };
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, in_bss, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_E_ENTRY_OUTSIDE);
	ck_assert_uint_eq(p.detail, 0x101800);
	/* ELF64 with the address tag and no entry tag: refused as GRUB
	 * does, even with e_entry among the placed bytes. */
	memset(img, 0, IMG_MAX);
	elf_init(img, true, ELF_EM_X86_64, 0x100020, 1);
	elf_load(img, true, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000);
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, addr, 4);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_E_NO_ENTRY);
	ck_assert_str_eq(mb_describe(msg, sizeof(msg), &p),
			 "Multiboot 2 address tag without an entry address "
			 "tag");
	/* With the entry tag: the kludge, the tag's entry. */
	const uint32_t entry20[] = { 0x100020 };
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, addr, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, entry20, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_OK);
	ck_assert(p.kludge);
	ck_assert_uint_eq(p.seg[0].offset, 0);
	ck_assert_uint_eq(p.seg[0].filesz, 0x1800);
	ck_assert_uint_eq(p.seg[0].memsz, 0x4000);
	ck_assert_uint_eq(p.entry, 0x100020);
	/* The review's image: PT_LOAD (and e_entry) at 0x400000, the address
	 * tag putting the file at 0x100000, no entry tag. The old plan took
	 * e_entry, outside [lo, hi). */
	memset(img, 0, IMG_MAX);
	elf_init(img, true, ELF_EM_X86_64, 0x400000, 1);
	elf_load(img, true, 0, 0x1000, 0x400000, 0x400000, 0x1000, 0x1000);
	const uint32_t at1m[] = { 0x100200, 0x100000, 0, 0 };
	h2_begin(&hb, img, 0x200);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, at1m, 4);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_E_NO_ENTRY);
	/* An entry tag out of the placed bytes: refused too. */
	const uint32_t at4m[] = { 0x400000 };
	h2_begin(&hb, img, 0x200);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, at1m, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, at4m, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_E_ENTRY_OUTSIDE);
	ck_assert_uint_eq(p.detail, 0x400000);
	/* Back to the image of the address tag tests above. */
	memset(img, 0, IMG_MAX);
	elf_init(img, true, ELF_EM_X86_64, 0x100020, 1);
	elf_load(img, true, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000);
	/* load_addr -1: the file from its first byte, at header_addr less
	 * the header's offset (0x1000 here). */
	const uint32_t whole[] = { 0x101000, 0xffffffff, 0, 0 };
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, whole, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, entry20, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_OK);
	ck_assert(p.kludge);
	ck_assert_uint_eq(p.seg[0].dest, 0x100000);
	ck_assert_uint_eq(p.seg[0].offset, 0);
	ck_assert_uint_eq(p.seg[0].filesz, 0x2000);
	/* ... which would start below 0. */
	const uint32_t low[] = { 0x800, 0xffffffff, 0, 0 };
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, low, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, entry20, 1);
	h2_end(&hb);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_E_LOAD_BELOW_0);
	h2_begin(&hb, img, 0x1000);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, addr, 4);
	h2_end(&hb);
	/* Not an ELF: address tag without entry tag is an error. */
	memset(img, 0, 64);
	ck_assert_int_eq(plan2(&v, 0x2000, &h, &p), MB_E_NO_ENTRY);
	/* ... and without the address tag too. */
	memset(img, 0, IMG_MAX);
	h2_min(img, 0x100);
	ck_assert_int_eq(plan2(&v, 0x1000, &h, &p), MB_E_NOT_ELF);
	/* When both headers are given, Multiboot 2 wins. */
	h1_put(img, 0x200, 0x00010000, 0x100200, 0x100000, 0, 0, 0x100000);
	v = exact(img, 0x1000);
	struct mb1_header h1;
	ck_assert(mb1_find(&v, &h1));
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, &h1, &h, &p), MB_E_NOT_ELF);
	ck_assert_uint_eq(p.version, 2);
	ck_assert_int_eq(mb_plan(&v, &h1, NULL, &p), MB_OK);
	ck_assert_int_eq(mb_plan(&v, NULL, NULL, &p), MB_E_ARGS);
}
END_TEST

/* An MB2 kludge image at 0x200000 with a relocatable tag. */
static struct view reloc_image(uint32_t min, uint32_t max, uint32_t align)
{
	struct h2b hb;
	const uint32_t addr[] = { 0x200000, 0x200000, 0x201000, 0x210000 };
	const uint32_t entry[] = { 0x200040 };
	const uint32_t r[] = { min, max, align, MB2_RELOC_PREF_LOWEST };

	memset(img, 0, IMG_MAX);
	h2_begin(&hb, img, 0);
	h2_tag(&hb, MB2_HTAG_ADDRESS, 0, addr, 4);
	h2_tag(&hb, MB2_HTAG_ENTRY, 0, entry, 1);
	h2_tag(&hb, MB2_HTAG_RELOCATABLE, 0, r, 4);
	h2_end(&hb);
	return exact(img, 0x1000);
}

START_TEST(test_mb2_relocatable)
{
	struct mb2_header h;
	struct mb_plan p, q;
	struct view v;

	v = reloc_image(0x100000, 0x10000000, 0x200000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	ck_assert(p.relocatable);
	ck_assert_uint_eq(p.reloc_min, 0x100000);
	ck_assert_uint_eq(p.reloc_max, 0x10000000);
	ck_assert_uint_eq(p.reloc_align, 0x200000);
	ck_assert_uint_eq(p.reloc_pref, MB2_RELOC_PREF_LOWEST);
	ck_assert_uint_eq(p.lo, 0x200000);
	ck_assert_uint_eq(p.hi, 0x210000);
	/* Linked inside the limits: it may stay; outside them it may not. */
	ck_assert(mb_plan_in_limits(&p));
	q = p;
	q.reloc_min = 0x400000; /* linked below min_addr */
	ck_assert(!mb_plan_in_limits(&q));
	q = p;
	q.reloc_align = 0x400000; /* linked off the alignment */
	ck_assert(!mb_plan_in_limits(&q));
	q = p;
	q.reloc_max = 0x20ffff; /* the image ends past max_addr */
	ck_assert(!mb_plan_in_limits(&q));
	q.reloc_max = 0x210000;
	ck_assert(mb_plan_in_limits(&q));
	q.relocatable = false; /* not relocatable: stays where linked */
	ck_assert(mb_plan_in_limits(&q));
	q = p;
	ck_assert_int_eq(mb_plan_relocate(&q, 0x200000), MB_OK);
	ck_assert_mem_eq(&q, &p, sizeof(p));
	ck_assert_int_eq(mb_plan_relocate(&q, 0x1000000), MB_OK);
	ck_assert_uint_eq(q.seg[0].dest, 0x1000000);
	ck_assert_uint_eq(q.seg[0].offset, 0);
	ck_assert_uint_eq(q.entry, 0x1000040);
	ck_assert_uint_eq(q.lo, 0x1000000);
	ck_assert_uint_eq(q.hi, 0x1010000);
	/* And back down below the original. */
	ck_assert_int_eq(mb_plan_relocate(&q, 0x200000), MB_OK);
	ck_assert_uint_eq(q.entry, 0x200040);
	ck_assert_uint_eq(q.seg[0].dest, 0x200000);
	/* Misaligned, below min, past max: refused, plan unchanged. */
	q = p;
	ck_assert_int_eq(mb_plan_relocate(&q, 0x300000), MB_E_RELOC_RANGE);
	ck_assert_int_eq(mb_plan_relocate(&q, 0), MB_E_RELOC_RANGE);
	ck_assert_int_eq(mb_plan_relocate(&q, 0x10000000), MB_E_RELOC_RANGE);
	ck_assert_int_eq(mb_plan_relocate(&q, 0x0fe00000), MB_OK);
	ck_assert_uint_eq(q.hi, 0x0fe10000);
	q = p;
	ck_assert_int_eq(mb_plan_relocate(&q, 0x100000000ull),
			 MB_E_RELOC_RANGE);
	ck_assert_mem_eq(&q, &p, sizeof(p));
	/* A hand-made plan whose entry is not in the file bytes (mb_plan
	 * never makes one): refused, unchanged. */
	q.entry = 0xffffff00;
	ck_assert_int_eq(mb_plan_relocate(&q, 0x400000), MB_E_ENTRY_OUTSIDE);
	ck_assert_uint_eq(q.lo, 0x200000);
	ck_assert_uint_eq(q.seg[0].dest, 0x200000);
	q.entry = 0x201000; /* the bss's first byte */
	ck_assert_int_eq(mb_plan_relocate(&q, 0x400000), MB_E_ENTRY_OUTSIDE);
	q.entry = 0x200fff; /* the last file byte: moves with it */
	ck_assert_int_eq(mb_plan_relocate(&q, 0x400000), MB_OK);
	ck_assert_uint_eq(q.entry, 0x400fff);
	/* Align 0 means 1. */
	v = reloc_image(0x100000, 0x10000000, 0);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	ck_assert_uint_eq(p.reloc_align, 1);
	ck_assert_int_eq(mb_plan_relocate(&p, 0x123457), MB_OK);
	ck_assert_uint_eq(p.entry, 0x123497);
	/* Bad tags: alignment not a power of two, min > max, no room. */
	v = reloc_image(0x100000, 0x10000000, 0x3000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_RELOC);
	v = reloc_image(0x200000, 0x100000, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_RELOC);
	v = reloc_image(0x100000, 0x10ffff, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_RELOC);
	v = reloc_image(0x100000, 0x110000, 0x1000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	/* Room, but not at an aligned address. */
	v = reloc_image(0x100001, 0x210000, 0x100000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_OK);
	v = reloc_image(0x100001, 0x20ffff, 0x100000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_RELOC);
	v = reloc_image(0xfff00001, 0xffffffff, 0x80000000);
	ck_assert(mb2_find(&v, &h));
	ck_assert_int_eq(mb_plan(&v, NULL, &h, &p), MB_E_MB2_RELOC);
	/* Not relocatable: only the current base. */
	solo5_virtio(img);
	v = exact(img, 0x3000);
	struct mb1_header h1;
	ck_assert(mb1_find(&v, &h1));
	ck_assert_int_eq(mb_plan(&v, &h1, NULL, &p), MB_OK);
	ck_assert_int_eq(mb_plan_relocate(&p, 0x100000), MB_OK);
	ck_assert_int_eq(mb_plan_relocate(&p, 0x200000), MB_E_NOT_RELOCATABLE);
}
END_TEST

/* Every truncation of an ELF32 file with an MB2 header full of tags. */
START_TEST(test_mb2_truncations)
{
	struct mb2_header h;
	struct mb_plan p;
	const size_t off = 0x1000;
	uint32_t hlen;

	elf_init(img, false, ELF_EM_386, 0x100010, 1);
	elf_load(img, false, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000);
	hlen = h2_all_tags(img, off, MB2_TAG_OPTIONAL);
	for (size_t len = 0; len <= 0x2000; len++) {
		struct view v = exact(img, len);
		bool found = mb2_find(&v, &h);
		enum mb_err e;
		if (len < off + 16) {
			ck_assert(!found);
			continue;
		}
		ck_assert(found);
		ck_assert_int_eq(h.err,
				 len < off + hlen ? MB_E_MB2_SHORT : MB_OK);
		e = mb_plan(&v, NULL, &h, &p);
		if (len < off + hlen)
			ck_assert_int_eq(e, MB_E_MB2_SHORT);
		else
			ck_assert_int_eq(e, MB_OK);
		if (e == MB_OK) {
			/* load_end 0: everything up to the end of the file. */
			ck_assert_uint_eq(p.seg[0].filesz, len);
			ck_assert_uint_eq(p.seg[0].memsz, 0x80000);
		}
	}
}
END_TEST

/* ---- Information structures ------------------------------------------- */

/* A QEMU-like map: low RAM, legacy holes, RAM to 128 MiB, RAM above 4 GiB. */
static void pc_map(struct memmap *m)
{
	memmap_init(m);
	memmap_add(m, 0, 0x9fc00, MEMMAP_RAM);
	memmap_add(m, 0x9fc00, 0x400, MEMMAP_RESERVED);
	memmap_add(m, 0xf0000, 0x10000, MEMMAP_RESERVED);
	memmap_add(m, 0x100000, 0x7f00000, MEMMAP_RAM);
	memmap_add(m, 0xfeffc000, 0x4000, MEMMAP_RESERVED);
	memmap_add(m, 0x100000000ull, 0x40000000, MEMMAP_RAM);
}

/* The string at physical address pa of a block built at base. */
static const char *str_at(const uint8_t *buf, size_t used, uint64_t base,
			  uint32_t pa)
{
	ck_assert_uint_ge(pa, base);
	ck_assert_uint_lt(pa - base, used);
	ck_assert_ptr_nonnull(memchr(buf + (pa - base), 0, used - (pa - base)));
	return (const char *)buf + (pa - base);
}

START_TEST(test_mb1_info_layout)
{
	struct memmap *mm = calloc(1, sizeof(*mm));
	const struct mb_module mods[] = { { 0x200000, 0x1234, "mod a x=1" },
					  { 0x300000, 0x10, NULL } };
	const uint64_t base = 0x10000;
	const char *cmd = "kernel console=ttyS0";
	uint8_t *buf = calloc(1, 4096);
	size_t n, size;

	ck_assert_ptr_nonnull(mm);
	ck_assert_ptr_nonnull(buf);
	pc_map(mm);
	size = mb1_info_size(mm, cmd, mods, 2);
	ck_assert_uint_gt(size, MB1_INFO_SIZE);
	n = mb1_info_build(buf, 4096, base, mm, cmd, mods, 2);
	ck_assert_uint_eq(n, size);

	ck_assert_uint_eq(get32(buf + 0), 0x24d);
	ck_assert_uint_eq(get32(buf + 4), 639);
	ck_assert_uint_eq(get32(buf + 8), (0x8000000 - 0x100000) / 1024);
	ck_assert_uint_eq(get32(buf + 12), 0); /* boot_device: flag off */
	ck_assert_str_eq(str_at(buf, n, base, get32(buf + 16)), cmd);
	ck_assert_uint_eq(get32(buf + 20), 2);
	ck_assert_uint_eq(get32(buf + 44), 6 * 24);
	ck_assert_str_eq(str_at(buf, n, base, get32(buf + 64)), "pvhfw");
	for (size_t o = 28; o < 44; o++)
		ck_assert_uint_eq(buf[o], 0);
	for (size_t o = 52; o < 64; o++)
		ck_assert_uint_eq(buf[o], 0);
	for (size_t o = 68; o < 116; o++)
		ck_assert_uint_eq(buf[o], 0);

	/* The memory map, walked as a kernel does: next = +size +4. */
	uint32_t mmap = get32(buf + 48), mlen = get32(buf + 44);
	ck_assert_uint_eq(mmap % 4, 0);
	ck_assert_uint_ge(mmap, base + MB1_INFO_SIZE);
	uint32_t i = 0;
	for (uint32_t at = mmap; at < mmap + mlen; i++) {
		const uint8_t *e = buf + (at - base);
		ck_assert_uint_eq(get32(e), 20);
		ck_assert_uint_eq(get64(e + 4), mm->e[i].addr);
		ck_assert_uint_eq(get64(e + 12), mm->e[i].size);
		ck_assert_uint_eq(get32(e + 20), mm->e[i].type);
		at += get32(e) + 4;
	}
	ck_assert_uint_eq(i, 6);

	/* Modules. */
	uint32_t ma = get32(buf + 24);
	ck_assert_uint_eq(ma % 4, 0);
	const uint8_t *m = buf + (ma - base);
	ck_assert_uint_eq(get32(m + 0), 0x200000);
	ck_assert_uint_eq(get32(m + 4), 0x201234);
	ck_assert_str_eq(str_at(buf, n, base, get32(m + 8)), "mod a x=1");
	ck_assert_uint_eq(get32(m + 12), 0);
	ck_assert_uint_eq(get32(m + 16), 0x300000);
	ck_assert_uint_eq(get32(m + 20), 0x300010);
	ck_assert_str_eq(str_at(buf, n, base, get32(m + 24)), "");
	ck_assert_uint_eq(get32(m + 28), 0);

	/* Every cap below the size fails; so do bad addresses. */
	for (size_t cap = 0; cap < size; cap++)
		ck_assert_uint_eq(
			mb1_info_build(buf, cap, base, mm, cmd, mods, 2), 0);
	ck_assert_uint_eq(mb1_info_build(buf, 4096, base + 2, mm, cmd, mods, 2),
			  0);
	const uint64_t top = (FOUR_GIB - size) & ~3ull;
	ck_assert_uint_eq(mb1_info_build(buf, 4096, top + 4, mm, cmd, mods, 2),
			  0);
	ck_assert_uint_eq(mb1_info_build(buf, 4096, top, mm, cmd, mods, 2),
			  size);
	ck_assert_uint_eq(
		mb1_info_build(buf, 4096, 0x200000000ull, mm, cmd, mods, 2), 0);
	ck_assert_uint_eq(mb1_info_build(NULL, 4096, base, mm, cmd, mods, 2),
			  0);
	free(mm);
	free(buf);
}
END_TEST

START_TEST(test_mb1_info_minimal)
{
	uint8_t buf[256];
	size_t n;

	/* No map, no command line, no modules. */
	memset(buf, 0xee, sizeof(buf));
	n = mb1_info_build(buf, sizeof(buf), 0x8000, NULL, NULL, NULL, 0);
	ck_assert_uint_eq(n, MB1_INFO_SIZE + 6);
	ck_assert_uint_eq(get32(buf), MB1_INFO_F_MEMORY | MB1_INFO_F_MODS |
					      MB1_INFO_F_LOADER_NAME);
	ck_assert_uint_eq(get32(buf + 4), 0);
	ck_assert_uint_eq(get32(buf + 8), 0);
	ck_assert_uint_eq(get32(buf + 16), 0);
	ck_assert_uint_eq(get32(buf + 20), 0);
	ck_assert_uint_eq(get32(buf + 24), 0);
	ck_assert_uint_eq(get32(buf + 44), 0);
	ck_assert_uint_eq(get32(buf + 48), 0);
	ck_assert_uint_eq(get32(buf + 64), 0x8000 + MB1_INFO_SIZE);
	ck_assert_str_eq((const char *)buf + MB1_INFO_SIZE, "pvhfw");
	ck_assert_uint_eq(n, mb1_info_size(NULL, NULL, NULL, 0));
	/* An empty command line is still a command line. */
	n = mb1_info_build(buf, sizeof(buf), 0x8000, NULL, "", NULL, 0);
	ck_assert_uint_eq(get32(buf) & MB1_INFO_F_CMDLINE, MB1_INFO_F_CMDLINE);
	ck_assert_str_eq((const char *)buf + (get32(buf + 16) - 0x8000), "");
	/* nmods without mods. */
	ck_assert_uint_eq(mb1_info_size(NULL, NULL, NULL, 1), 0);
}
END_TEST

START_TEST(test_mb1_info_split_1m)
{
	struct memmap *mm = calloc(1, sizeof(*mm));
	uint8_t buf[512];
	size_t n;

	ck_assert_ptr_nonnull(mm);
	memmap_init(mm);
	memmap_add(mm, 0, 0x8000000, MEMMAP_RAM);
	n = mb1_info_build(buf, sizeof(buf), 0x1000, mm, "kernel", NULL, 0);
	ck_assert_uint_ne(n, 0);
	ck_assert_uint_eq(get32(buf + 4), 640);
	ck_assert_uint_eq(get32(buf + 8), (0x8000000 - 0x100000) / 1024);
	ck_assert_uint_eq(get32(buf + 44), 48);
	const uint8_t *e = buf + (get32(buf + 48) - 0x1000);
	ck_assert_uint_eq(get64(e + 4), 0);
	ck_assert_uint_eq(get64(e + 12), 0x100000);
	ck_assert_uint_eq(get32(e + 20), MEMMAP_RAM);
	ck_assert_uint_eq(get64(e + 24 + 4), 0x100000);
	ck_assert_uint_eq(get64(e + 24 + 12), 0x7f00000);
	ck_assert_uint_eq(get32(e + 24 + 20), MEMMAP_RAM);
	/* A reserved entry spanning 1 MiB is not split. */
	memmap_init(mm);
	memmap_add(mm, 0, 0x200000, MEMMAP_RESERVED);
	n = mb1_info_build(buf, sizeof(buf), 0x1000, mm, "kernel", NULL, 0);
	ck_assert_uint_eq(get32(buf + 44), 24);
	ck_assert_uint_eq(get32(buf + 4), 0);
	ck_assert_uint_eq(get32(buf + 8), 0);
	free(mm);
}
END_TEST

START_TEST(test_mem_lower_upper)
{
	struct memmap *mm = calloc(1, sizeof(*mm));

	ck_assert_ptr_nonnull(mm);
	ck_assert_uint_eq(mb_mem_lower(NULL), 0);
	ck_assert_uint_eq(mb_mem_upper(NULL), 0);
	/* Unsorted, adjacent pieces count as one run. */
	memmap_init(mm);
	memmap_add(mm, 0x300000, 0x100000, MEMMAP_RAM);
	memmap_add(mm, 0x100000, 0x200000, MEMMAP_RAM);
	memmap_add(mm, 0x50000, 0x50000, MEMMAP_RAM);
	memmap_add(mm, 0, 0x50000, MEMMAP_RAM);
	memmap_add(mm, 0x500000, 0x100000, MEMMAP_RAM); /* after a hole */
	ck_assert_uint_eq(mb_mem_lower(mm), 640);
	ck_assert_uint_eq(mb_mem_upper(mm), 3 * 1024);
	/* Nothing at 0 or at 1 MiB. */
	memmap_init(mm);
	memmap_add(mm, 0x1000, 0x9000, MEMMAP_RAM);
	memmap_add(mm, 0x101000, 0x100000, MEMMAP_RAM);
	ck_assert_uint_eq(mb_mem_lower(mm), 0);
	ck_assert_uint_eq(mb_mem_upper(mm), 0);
	/* A huge map saturates mem_upper. */
	memmap_init(mm);
	memmap_add(mm, 0, 0xffffffffffff0000ull, MEMMAP_RAM);
	ck_assert_uint_eq(mb_mem_lower(mm), 640);
	ck_assert_uint_eq(mb_mem_upper(mm), 0xffffffffu);
	/* A hand-made entry that wraps does not hang. */
	mm->n = 2;
	mm->e[1].addr = 0xffffffffffff0000ull;
	mm->e[1].size = 0x20000;
	mm->e[1].type = MEMMAP_RAM;
	ck_assert_uint_eq(mb_mem_upper(mm), 0xffffffffu);
	/* More entries than a memmap holds: the builders refuse. */
	mm->n = MEMMAP_MAX + 1;
	ck_assert_uint_eq(mb1_info_size(mm, NULL, NULL, 0), 0);
	ck_assert_uint_eq(mb2_info_size(mm, NULL, NULL, 0, NULL), 0);
	free(mm);
}
END_TEST

START_TEST(test_modules_4g)
{
	struct mb_module mods[3] = { { 0x100000, 0x1000, "a" },
				     { 0xfffffff0, 0xf, "b" },
				     { 0xfffffff0, 0x10, "c" } };
	uint32_t bad = 99;
	uint8_t buf[512];
	char msg[64];

	ck_assert_int_eq(mb_check_modules(mods, 2, &bad), MB_OK);
	ck_assert_int_eq(mb_check_modules(mods, 3, &bad), MB_E_MOD_4G);
	ck_assert_uint_eq(bad, 2);
	mb_format_error(msg, sizeof(msg), MB_E_MOD_4G, bad);
	ck_assert_str_eq(msg, "module is not below 4 GiB (module 2)");
	ck_assert_uint_ne(
		mb1_info_build(buf, sizeof(buf), 0x1000, NULL, "k", mods, 2),
		0);
	ck_assert_uint_eq(
		mb1_info_build(buf, sizeof(buf), 0x1000, NULL, "k", mods, 3),
		0);
	ck_assert_uint_eq(mb1_info_size(NULL, "k", mods, 3), 0);
	ck_assert_uint_ne(mb2_info_build(buf, sizeof(buf), 0x1000, NULL, "k",
					 mods, 2, NULL),
			  0);
	ck_assert_uint_eq(mb2_info_build(buf, sizeof(buf), 0x1000, NULL, "k",
					 mods, 3, NULL),
			  0);
	ck_assert_uint_eq(mb2_info_size(NULL, "k", mods, 3, NULL), 0);
	mods[0].paddr = 0x100000000ull;
	ck_assert_int_eq(mb_check_modules(mods, 1, &bad), MB_E_MOD_4G);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(mb_check_modules(NULL, 1, NULL), MB_E_MOD_4G);
	ck_assert_int_eq(mb_check_modules(NULL, 0, NULL), MB_OK);
}
END_TEST

/* One tag seen by walk_mb2: its type, size and body. */
struct seen_tag {
	uint32_t type, size;
	const uint8_t *body;
};

/* Walks an MB2 info block as a kernel would; returns the number of tags. */
static uint32_t walk_mb2(const uint8_t *buf, size_t n, struct seen_tag *t,
			 uint32_t max)
{
	uint32_t total = get32(buf), k = 0;
	size_t at = 8;

	ck_assert_uint_eq(total, n);
	ck_assert_uint_eq(total % 8, 0);
	ck_assert_uint_eq(get32(buf + 4), 0);
	for (;;) {
		ck_assert_uint_le(at + 8, total);
		ck_assert_uint_eq(at % 8, 0);
		uint32_t type = get32(buf + at), size = get32(buf + at + 4);
		ck_assert_uint_ge(size, 8);
		ck_assert_uint_le(at + size, total);
		ck_assert_uint_lt(k, max);
		t[k].type = type;
		t[k].size = size;
		t[k].body = buf + at + 8;
		k++;
		if (type == MB2_TAG_END) {
			ck_assert_uint_eq(size, 8);
			ck_assert_uint_eq(at + 8, total);
			return k;
		}
		at = (at + size + 7) & ~(size_t)7;
	}
}

START_TEST(test_mb2_info_walk)
{
	struct memmap *mm = calloc(1, sizeof(*mm));
	const struct mb_module mods[] = { { 0x200000, 0x1234, "initrd" },
					  { 0x300000, 0x10, NULL } };
	uint8_t rsdp[36], efimap[96];
	struct mb2_efi efi = { .system_table = 0x7f001000,
			       .image_handle = 0x7e002000,
			       .mmap = efimap,
			       .mmap_size = 96,
			       .desc_size = 48,
			       .desc_version = 1 };
	struct mb2_extra x = { rsdp, 36, &efi, true, 0x400000 };
	const uint64_t base = 0x9000;
	uint8_t *buf = calloc(1, 8192);
	struct seen_tag t[32];
	size_t n, size;
	uint32_t k;

	ck_assert_ptr_nonnull(mm);
	ck_assert_ptr_nonnull(buf);
	pc_map(mm);
	for (size_t i = 0; i < sizeof(rsdp); i++)
		rsdp[i] = (uint8_t)(i + 1);
	rsdp[15] = 2;
	for (size_t i = 0; i < sizeof(efimap); i++)
		efimap[i] = (uint8_t)(0xa0 + i);

	size = mb2_info_size(mm, "kernel a=b", mods, 2, &x);
	n = mb2_info_build(buf, 8192, base, mm, "kernel a=b", mods, 2, &x);
	ck_assert_uint_eq(n, size);
	k = walk_mb2(buf, n, t, 32);
	static const uint32_t want[] = { 1,  2,	 3,  3,	 4,  6, 14,
					 15, 12, 17, 20, 21, 0 };
	ck_assert_uint_eq(k, sizeof(want) / sizeof(want[0]));
	for (uint32_t i = 0; i < k; i++)
		ck_assert_uint_eq(t[i].type, want[i]);
	/* 1, 2: strings. */
	ck_assert_uint_eq(t[0].size, 8 + 11);
	ck_assert_str_eq((const char *)t[0].body, "kernel a=b");
	ck_assert_uint_eq(t[1].size, 8 + 6);
	ck_assert_str_eq((const char *)t[1].body, "pvhfw");
	/* 3: modules. */
	ck_assert_uint_eq(get32(t[2].body), 0x200000);
	ck_assert_uint_eq(get32(t[2].body + 4), 0x201234);
	ck_assert_str_eq((const char *)t[2].body + 8, "initrd");
	ck_assert_uint_eq(t[2].size, 16 + 7);
	ck_assert_uint_eq(get32(t[3].body + 4), 0x300010);
	ck_assert_uint_eq(t[3].size, 16 + 1);
	ck_assert_str_eq((const char *)t[3].body + 8, "");
	/* 4: basic meminfo. */
	ck_assert_uint_eq(t[4].size, 16);
	ck_assert_uint_eq(get32(t[4].body), 639);
	ck_assert_uint_eq(get32(t[4].body + 4), (0x8000000 - 0x100000) / 1024);
	/* 6: memory map, entries as in mm (no split). */
	ck_assert_uint_eq(t[5].size, 16 + 6 * 24);
	ck_assert_uint_eq(get32(t[5].body), 24);
	ck_assert_uint_eq(get32(t[5].body + 4), 0);
	for (uint32_t i = 0; i < 6; i++) {
		const uint8_t *e = t[5].body + 8 + 24 * i;
		ck_assert_uint_eq(get64(e), mm->e[i].addr);
		ck_assert_uint_eq(get64(e + 8), mm->e[i].size);
		ck_assert_uint_eq(get32(e + 16), mm->e[i].type);
		ck_assert_uint_eq(get32(e + 20), 0);
	}
	/* 14, 15: RSDP copies. */
	ck_assert_uint_eq(t[6].size, 8 + 20);
	ck_assert_mem_eq(t[6].body, rsdp, 20);
	ck_assert_uint_eq(t[7].size, 8 + 36);
	ck_assert_mem_eq(t[7].body, rsdp, 36);
	/* 12, 17, 20, 21. */
	ck_assert_uint_eq(t[8].size, 16);
	ck_assert_uint_eq(get64(t[8].body), 0x7f001000);
	ck_assert_uint_eq(t[9].size, 16 + 96);
	ck_assert_uint_eq(get32(t[9].body), 48);
	ck_assert_uint_eq(get32(t[9].body + 4), 1);
	ck_assert_mem_eq(t[9].body + 8, efimap, 96);
	ck_assert_uint_eq(t[10].size, 16);
	ck_assert_uint_eq(get64(t[10].body), 0x7e002000);
	ck_assert_uint_eq(t[11].size, 12);
	ck_assert_uint_eq(get32(t[11].body), 0x400000);

	/* Boot services tag only when asked for. */
	efi.boot_services = true;
	n = mb2_info_build(buf, 8192, base, mm, "kernel a=b", mods, 2, &x);
	k = walk_mb2(buf, n, t, 32);
	ck_assert_uint_eq(t[10].type, MB2_TAG_EFI_BS);
	ck_assert_uint_eq(t[10].size, 8);

	/* Revision 0 RSDP: 14 only; no extras at all. */
	rsdp[15] = 0;
	x.rsdp_len = 20;
	x.efi = NULL;
	x.has_load_base = false;
	n = mb2_info_build(buf, 8192, base, mm, "kernel", NULL, 0, &x);
	k = walk_mb2(buf, n, t, 32);
	static const uint32_t want2[] = { 1, 2, 4, 6, 14, 0 };
	ck_assert_uint_eq(k, 6);
	for (uint32_t i = 0; i < k; i++)
		ck_assert_uint_eq(t[i].type, want2[i]);
	n = mb2_info_build(buf, 8192, base, NULL, NULL, NULL, 0, NULL);
	k = walk_mb2(buf, n, t, 32);
	ck_assert_uint_eq(k, 3);
	ck_assert_uint_eq(t[0].type, 2);
	ck_assert_uint_eq(t[1].type, 4);
	ck_assert_uint_eq(get32(t[1].body), 0);

	/* Caps, alignment and 4 GiB. */
	size = mb2_info_size(mm, "kernel a=b", mods, 2, &x);
	for (size_t cap = 0; cap < size; cap++)
		ck_assert_uint_eq(mb2_info_build(buf, cap, base, mm,
						 "kernel a=b", mods, 2, &x),
				  0);
	ck_assert_uint_eq(mb2_info_build(buf, 8192, base + 4, mm, "kernel a=b",
					 mods, 2, &x),
			  0);
	ck_assert_uint_eq(mb2_info_build(buf, 8192, FOUR_GIB - size, mm,
					 "kernel a=b", mods, 2, &x),
			  size);
	ck_assert_uint_eq(mb2_info_build(buf, 8192, FOUR_GIB - size + 8, mm,
					 "kernel a=b", mods, 2, &x),
			  0);
	free(mm);
	free(buf);
}
END_TEST

/* An EFI memory descriptor (48-byte stride) at d. */
static void efi_desc(uint8_t *d, uint32_t type, uint64_t start, uint64_t virt,
		     uint64_t pages)
{
	memset(d, 0, 48);
	put_u32(d, type);
	put_u32(d + 4, 0x5a5a5a5a); /* padding: copied as it is */
	put_u64(d + 8, start);
	put_u64(d + 16, virt);
	put_u64(d + 24, pages);
	put_u64(d + 32, 0xf);			/* attributes: kept */
	put_u64(d + 40, 0x1122334455667788ull); /* past the 40 bytes: kept */
}

/* Tag 17's body in an MB2 block built with efi (and nothing else). */
static const uint8_t *efi_tag(uint8_t *buf, size_t cap, struct mb2_efi *efi,
			      uint32_t *size)
{
	struct mb2_extra x = { .efi = efi };
	struct seen_tag t[16];
	size_t n = mb2_info_build(buf, cap, 0x10000, NULL, NULL, NULL, 0, &x);
	uint32_t k;

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(n, mb2_info_size(NULL, NULL, NULL, 0, &x));
	k = walk_mb2(buf, n, t, 16);
	for (uint32_t i = 0; i < k; i++)
		if (t[i].type == MB2_TAG_EFI_MMAP) {
			*size = t[i].size - 16;
			ck_assert_uint_eq(get32(t[i].body), efi->desc_size);
			ck_assert_uint_eq(get32(t[i].body + 4),
					  efi->desc_version);
			return t[i].body + 8;
		}
	ck_abort_msg("no tag 17");
	return NULL;
}

/* What the firmware placed goes in tag 17 as EfiLoaderData (2) where the
 * map said BootServicesCode/Data (3, 4) or Conventional (7). */
START_TEST(test_mb2_efi_loader)
{
	static uint8_t map[6 * 48 + 8], buf[4096];
	const struct mb_range ranges[] = {
		{ 0x200100, 0x2000 },	/* pages 0x200000-0x203000 */
		{ 0x7ff000, 0x2000 },	/* across descriptors 0 and 1 */
		{ 0x950000, 0x1000 },	/* in reserved memory: nothing */
		{ 0xa10000, 0x1000 },	/* in loader data already */
		{ 0xb00000, 0x100000 }, /* all of descriptor 4 */
		{ 0xb80000, 0x100000 }, /* overlaps the last, half of 5 */
		{ 0x300000, 0 },	/* empty: nothing */
	};
	static const struct {
		uint32_t type;
		uint64_t start, virt, pages;
	} want[] = {
		{ 7, 0x100000, 0, 0x100 },	{ 2, 0x200000, 0, 3 },
		{ 7, 0x203000, 0, 0x5fc },	{ 2, 0x7ff000, 0, 1 },
		{ 2, 0x800000, 0, 1 },		{ 4, 0x801000, 0, 0xff },
		{ 0, 0x900000, 0, 0x100 },	{ 2, 0xa00000, 0, 0x100 },
		{ 2, 0xb00000, 0x1000, 0x100 }, { 2, 0xc00000, 0x5000, 0x80 },
		{ 3, 0xc80000, 0x85000, 0x80 },
	};
	struct mb2_efi efi = { .mmap = map,
			       .mmap_size = sizeof(map),
			       .desc_size = 48,
			       .desc_version = 1,
			       .loader = ranges,
			       .nloader = 7 };
	const uint8_t *d;
	uint32_t size;

	efi_desc(map, 7, 0x100000, 0, 0x700);
	efi_desc(map + 48, 4, 0x800000, 0, 0x100);
	efi_desc(map + 96, 0, 0x900000, 0, 0x100);
	efi_desc(map + 144, 2, 0xa00000, 0, 0x100);
	efi_desc(map + 192, 7, 0xb00000, 0x1000, 0x100);
	efi_desc(map + 240, 3, 0xc00000, 0x5000, 0x100);
	memcpy(map + 288, "trailing", 8); /* not a whole descriptor */
	d = efi_tag(buf, sizeof(buf), &efi, &size);
	ck_assert_uint_eq(size, 11 * 48 + 8);
	for (uint32_t i = 0; i < 11; i++, d += 48) {
		ck_assert_uint_eq(get32(d), want[i].type);
		ck_assert_uint_eq(get32(d + 4), 0x5a5a5a5a);
		ck_assert_uint_eq(get64(d + 8), want[i].start);
		ck_assert_uint_eq(get64(d + 16), want[i].virt);
		ck_assert_uint_eq(get64(d + 24), want[i].pages);
		ck_assert_uint_eq(get64(d + 32), 0xf);
		ck_assert_uint_eq(get64(d + 40), 0x1122334455667788ull);
	}
	ck_assert_mem_eq(d, "trailing", 8);
	/* At most two more descriptors per range. */
	ck_assert_uint_le(size - sizeof(map), 2 * 7 * 48);

	/* No ranges, or a stride the marking does not take: the raw map. */
	efi.nloader = 0;
	d = efi_tag(buf, sizeof(buf), &efi, &size);
	ck_assert_uint_eq(size, sizeof(map));
	ck_assert_mem_eq(d, map, sizeof(map));
	efi.nloader = 7;
	efi.desc_size = 44;
	d = efi_tag(buf, sizeof(buf), &efi, &size);
	ck_assert_uint_eq(size, sizeof(map));
	ck_assert_mem_eq(d, map, sizeof(map));
	/* A descriptor whose range wraps past 2^64 (or ends there) stays as
	 * it is; a range to the last byte marks the pages it can. */
	efi.desc_size = 48;
	efi.mmap_size = 96;
	efi_desc(map, 7, 0xfffffffffff00000ull, 0, 0x100);
	efi_desc(map + 48, 7, 0xffffffffffd00000ull, 0, 0x100);
	const struct mb_range top[] = {
		{ 0xffffffffffdff000ull, UINT64_MAX - 0xffffffffffdff000ull }
	};
	efi.loader = top;
	efi.nloader = 1;
	d = efi_tag(buf, sizeof(buf), &efi, &size);
	ck_assert_uint_eq(size, 3 * 48);
	ck_assert_mem_eq(d, map, 48);
	ck_assert_uint_eq(get32(d + 48), 7);
	ck_assert_uint_eq(get64(d + 48 + 8), 0xffffffffffd00000ull);
	ck_assert_uint_eq(get64(d + 48 + 24), 0xff);
	ck_assert_uint_eq(get32(d + 96), 2);
	ck_assert_uint_eq(get64(d + 96 + 8), 0xffffffffffdff000ull);
	ck_assert_uint_eq(get64(d + 96 + 24), 1);
}
END_TEST

/* The sizes agree with the builders and the blocks walk, for random input. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64* */
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

START_TEST(test_info_random)
{
	struct memmap *mm = calloc(1, sizeof(*mm));
	uint8_t *buf = malloc(65536);
	struct seen_tag *t = malloc(sizeof(*t) * 64);
	char strs[8][40];
	struct mb_module mods[8];
	uint8_t rsdp[64];

	ck_assert_ptr_nonnull(mm);
	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(t);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (int iter = 0; iter < 300; iter++) {
		uint32_t nm = (uint32_t)(rng() % 9),
			 ne = (uint32_t)(rng() % 40);
		memmap_init(mm);
		for (uint32_t i = 0; i < ne; i++)
			memmap_add(mm, rng() % 0x200000000ull,
				   rng() % 0x10000000, 1 + rng() % 7);
		if (rng() % 2)
			memmap_normalise(mm);
		for (uint32_t i = 0; i < nm; i++) {
			size_t l = rng() % 39;
			for (size_t j = 0; j < l; j++)
				strs[i][j] = (char)('a' + rng() % 26);
			strs[i][l] = '\0';
			mods[i].paddr = rng() % 0xf0000000;
			mods[i].size = rng() % 0x1000000;
			mods[i].string = rng() % 4 ? strs[i] : NULL;
		}
		for (size_t i = 0; i < sizeof(rsdp); i++)
			rsdp[i] = (uint8_t)rng();
		struct mb2_extra x = { rsdp, 20 + rng() % 45, NULL,
				       rng() % 2 != 0, (uint32_t)rng() };
		const char *cmd = rng() % 4 ? strs[0] : NULL;
		if (nm == 0)
			strs[0][0] = '\0';
		uint64_t base = (rng() % 0x100000) * 8;

		size_t s1 = mb1_info_size(mm, cmd, mods, nm);
		size_t n1 = mb1_info_build(buf, 65536, base & ~7ull, mm, cmd,
					   mods, nm);
		ck_assert_uint_eq(s1, n1);
		ck_assert_uint_eq(get32(buf + 20), nm);
		size_t s2 = mb2_info_size(mm, cmd, mods, nm, &x);
		size_t n2 =
			mb2_info_build(buf, 65536, base, mm, cmd, mods, nm, &x);
		ck_assert_uint_eq(s2, n2);
		uint32_t k = walk_mb2(buf, n2, t, 64);
		uint32_t nmod = 0;
		for (uint32_t i = 0; i < k; i++)
			nmod += t[i].type == MB2_TAG_MODULE;
		ck_assert_uint_eq(nmod, nm);
	}
	free(mm);
	free(buf);
	free(t);
}
END_TEST

/* ---- Robustness --------------------------------------------------- */

/*
 * Random byte changes in the header regions of three valid images (the
 * Solo5 layout, an ELF32 with a tag-rich MB2 header, a raw MB2 kludge
 * image), plus random truncation. Whatever is accepted must be sane.
 */
START_TEST(test_random_mutations)
{
	uint8_t *base[3];
	size_t blen[3];
	unsigned accepted = 0, refused = 0;

	for (int i = 0; i < 3; i++) {
		base[i] = calloc(1, 0x3000);
		ck_assert_ptr_nonnull(base[i]);
	}
	memset(img, 0, IMG_MAX);
	blen[0] = solo5_virtio(img);
	memcpy(base[0], img, blen[0]);
	memset(img, 0, IMG_MAX);
	elf_init(img, false, ELF_EM_386, 0x100010, 2);
	elf_load(img, false, 0, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000);
	elf_load(img, false, 1, 0x2000, 0xc0200000, 0x200000, 0x800, 0x800);
	h2_all_tags(img, 0x1000, MB2_TAG_OPTIONAL);
	blen[1] = 0x2800;
	memcpy(base[1], img, blen[1]);
	memset(img, 0, IMG_MAX);
	reloc_image(0x100000, 0x10000000, 0x1000);
	blen[2] = 0x1000;
	memcpy(base[2], img, blen[2]);

	rng_state = 0x0123456789abcdefull;
	for (int iter = 0; iter < 1000; iter++) {
		int which = (int)(rng() % 3);
		size_t len = blen[which];
		memcpy(img, base[which], len);
		int nmut = 1 + (int)(rng() % 8);
		for (int m = 0; m < nmut; m++) {
			uint64_t r = rng();
			size_t at;
			/* Mostly the header areas (ELF at 0, MB at 0x1000). */
			if (r % 4 == 0)
				at = rng() % len;
			else if (r % 4 == 1)
				at = rng() % 0x80;
			else
				at = (which == 2 ? 0 : 0x1000) + rng() % 0x100;
			if (rng() % 3 == 0)
				put_u32(img + (at & ~(size_t)3),
					(uint32_t)rng() >> (rng() % 32));
			else
				img[at] = (uint8_t)rng();
		}
		/* Fix the checksums half the time, so tags get exercised. */
		if (rng() % 2) {
			if (which == 0)
				put_u32(img + 0x1008,
					0u - MB1_MAGIC - get32(img + 0x1004));
			else
				h2_seal(img, which == 1 ? 0x1000 : 0,
					get32(img + (which == 1 ? 0x1008 : 8)));
		}
		if (rng() % 4 == 0)
			len = rng() % (len + 1);

		struct view v = exact(img, len);
		struct mb1_header h1;
		struct mb2_header h2;
		struct mb_plan p;
		bool f1 = mb1_find(&v, &h1), f2 = mb2_find(&v, &h2);
		if (f1)
			ck_assert_uint_le(h1.offset + 12, len);
		if (f2) {
			ck_assert_uint_le(h2.offset + 16, len);
			ck_assert_uint_le(h2.nreq, MB2_MAX_REQ);
		}
		for (int k = 0; k < 2; k++) {
			if (!(k == 0 ? f1 : f2))
				continue;
			enum mb_err e = mb_plan(&v, k == 0 ? &h1 : NULL,
						k == 1 ? &h2 : NULL, &p);
			char msg[160];
			mb_format_error(msg, sizeof(msg), e, p.detail);
			ck_assert_uint_gt(strlen(msg), 0);
			if (e != MB_OK) {
				ck_assert_uint_eq(p.nseg, 0);
				refused++;
				continue;
			}
			accepted++;
			ck_assert_uint_ge(p.nseg, 1);
			ck_assert_uint_le(p.nseg, MB_MAX_SEGS);
			for (uint32_t s = 0; s < p.nseg; s++) {
				const struct mb_seg *sg = &p.seg[s];
				ck_assert_uint_le(sg->filesz, sg->memsz);
				ck_assert(view_has(&v, sg->offset, sg->filesz));
				ck_assert_uint_le(sg->dest + sg->memsz,
						  FOUR_GIB);
				ck_assert_uint_ge(sg->dest, p.lo);
				ck_assert_uint_le(sg->dest + sg->memsz, p.hi);
			}
			ck_assert_uint_le(p.hi, FOUR_GIB);
			struct mb_plan q = p;
			uint64_t nb = rng() % 4
					      ? (rng() % 0x20000000) & ~0xfffull
					      : rng() % FOUR_GIB;
			if (mb_plan_relocate(&q, nb) == MB_OK) {
				ck_assert_uint_eq(q.lo, nb);
				ck_assert_uint_le(q.hi, FOUR_GIB);
				ck_assert_uint_eq(q.hi - q.lo, p.hi - p.lo);
			} else {
				ck_assert_mem_eq(&q, &p, sizeof(p));
			}
		}
	}
	/* Both outcomes happen (the test is not vacuous). */
	ck_assert_uint_gt(accepted, 50);
	ck_assert_uint_gt(refused, 50);
	for (int i = 0; i < 3; i++)
		free(base[i]);
}
END_TEST

START_TEST(test_strerror)
{
	char small[8];

	for (int e = MB_OK; e <= MB_E_ARGS; e++) {
		const char *s = mb_strerror((enum mb_err)e);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
		ck_assert_str_ne(s, "unknown error");
	}
	ck_assert_str_eq(mb_strerror((enum mb_err)999), "unknown error");
	ck_assert_str_eq(mb_format_error(small, sizeof(small), MB_E_MB2_REQ, 5),
			 "kernel ");
	mb_format_error(small, 1, MB_E_MB2_TAG, 0x123);
	ck_assert_str_eq(small, "");
	ck_assert_ptr_eq(mb_format_error(NULL, 0, MB_E_MB2_TAG, 0), NULL);
	ck_assert_str_eq(mb_strerror(MB_E_MB2_TAG),
			 "bad Multiboot 2 header tag");
}
END_TEST

Suite *multiboot_suite(void)
{
	Suite *s = suite_create("multiboot");
	TCase *tc;

	tc = tcase_create("mb1");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mb1_offsets);
	tcase_add_test(tc, test_mb1_first_wins_and_alignment);
	tcase_add_test(tc, test_mb1_window_edge);
	tcase_add_test(tc, test_mb1_truncations);
	tcase_add_test(tc, test_mb1_kludge_math);
	tcase_add_test(tc, test_mb1_kludge_4g);
	tcase_add_test(tc, test_mb1_kludge_entry);
	tcase_add_test(tc, test_mb1_flags);
	tcase_add_test(tc, test_solo5_virtio);
	tcase_add_test(tc, test_mb1_elf_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("mb2");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mb2_offsets);
	tcase_add_test(tc, test_mb2_window_edge);
	tcase_add_test(tc, test_mb2_arch_length);
	tcase_add_test(tc, test_mb2_tags);
	tcase_add_test(tc, test_mb2_console);
	tcase_add_test(tc, test_mb2_bad_tags);
	tcase_add_test(tc, test_mb2_unknown_tags);
	tcase_add_test(tc, test_mb2_requests);
	tcase_add_test(tc, test_mb2_request_limits);
	tcase_add_test(tc, test_mb2_elf_path);
	tcase_add_test(tc, test_mb2_relocatable);
	tcase_add_test(tc, test_mb2_truncations);
	suite_add_tcase(s, tc);

	tc = tcase_create("info");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mb1_info_layout);
	tcase_add_test(tc, test_mb1_info_minimal);
	tcase_add_test(tc, test_mb1_info_split_1m);
	tcase_add_test(tc, test_mem_lower_upper);
	tcase_add_test(tc, test_modules_4g);
	tcase_add_test(tc, test_mb2_info_walk);
	tcase_add_test(tc, test_mb2_efi_loader);
	tcase_add_test(tc, test_info_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_random_mutations);
	tcase_add_test(tc, test_strerror);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
