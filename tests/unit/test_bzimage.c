// SPDX-License-Identifier: MIT
/*
 * test_bzimage.c: unit tests of the bzImage header parser, the kernel
 * placement, the boot_params start and the E820_EXT setup_data builder.
 * Images are synthetic setup headers built here; every parse runs on a
 * malloc'd copy of exactly the file's size so AddressSanitizer catches a
 * read past the end. A test also parses Debian's kernel when one is
 * installed in /boot (and passes quietly when none is).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "linux/bzimage.h"
#include "linux/linux.h"
#include "suites.h"

#define MIB 0x100000ull
#define GIB 0x40000000ull

/* Setup header offsets, as the Linux boot protocol documents them. */
#define O_SETUP_SECTS 0x1F1
#define O_VID_MODE 0x1FA
#define O_BOOT_FLAG 0x1FE
#define O_JUMP 0x200
#define O_HEADER 0x202
#define O_VERSION 0x206
#define O_TYPE_OF_LOADER 0x210
#define O_LOADFLAGS 0x211
#define O_CODE32_START 0x214
#define O_RAMDISK_IMAGE 0x218
#define O_RAMDISK_SIZE 0x21C
#define O_HEAP_END_PTR 0x224
#define O_EXT_LOADER_VER 0x226
#define O_EXT_LOADER_TYPE 0x227
#define O_CMD_LINE_PTR 0x228
#define O_INITRD_ADDR_MAX 0x22C
#define O_KERNEL_ALIGNMENT 0x230
#define O_RELOCATABLE 0x234
#define O_MIN_ALIGNMENT 0x235
#define O_XLOADFLAGS 0x236
#define O_CMDLINE_SIZE 0x238
#define O_HW_SUBARCH 0x23C
#define O_HW_SUBARCH_DATA 0x240
#define O_SETUP_DATA 0x250
#define O_PREF_ADDRESS 0x258
#define O_INIT_SIZE 0x260

#define PM_SIZE 0x1000
#define IMG_MAX (256 * 512 + PM_SIZE)

struct img {
	uint8_t b[IMG_MAX];
	size_t len;
};

static struct img im;
static struct memmap mm;
static struct memmap_busy busy;

/*
 * A valid image: protocol version, setup_sects sects (0 means 4), a header
 * as long as that protocol's (2.12: up to handover_offset, 0x268; 2.15: up
 * to kernel_info_offset, 0x26C), a relocatable 64-bit kernel that prefers
 * 16 MiB and needs 1 MiB, followed by PM_SIZE bytes of pm part.
 */
static size_t make_img(struct img *m, uint16_t version, uint8_t sects)
{
	uint32_t hdr_end = version >= 0x020F ? 0x26C : 0x268;
	uint64_t pm_off = ((sects ? sects : 4) + 1) * 512ull;

	memset(m, 0, sizeof(*m));
	/* Non-zero filler everywhere, as in a real setup part. */
	for (size_t i = 0; i < pm_off; i++)
		m->b[i] = (uint8_t)(0x5A ^ i);
	for (size_t i = O_SETUP_SECTS; i < 0x290; i++)
		m->b[i] = 0;
	m->b[O_SETUP_SECTS] = sects;
	put_u16(m->b + O_VID_MODE, 0xFFFF);
	put_u16(m->b + O_BOOT_FLAG, 0xAA55);
	m->b[O_JUMP] = 0xEB;
	m->b[O_JUMP + 1] = (uint8_t)(hdr_end - 0x202);
	put_u32(m->b + O_HEADER, 0x53726448);
	put_u16(m->b + O_VERSION, version);
	put_u16(m->b + 0x20C, 0x1000); /* start_sys_seg */
	m->b[O_LOADFLAGS] = 0x01;
	put_u32(m->b + O_CODE32_START, 0x100000);
	put_u32(m->b + O_INITRD_ADDR_MAX, 0x7FFFFFFF);
	put_u32(m->b + O_KERNEL_ALIGNMENT, 0x200000);
	m->b[O_RELOCATABLE] = 1;
	m->b[O_MIN_ALIGNMENT] = 21;
	put_u16(m->b + O_XLOADFLAGS, 0x7F);
	put_u32(m->b + O_CMDLINE_SIZE, 2047);
	put_u64(m->b + O_PREF_ADDRESS, 16 * MIB);
	put_u32(m->b + O_INIT_SIZE, (uint32_t)MIB);
	/* What follows the header: the setup code. */
	for (size_t i = hdr_end; i < 0x290; i++)
		m->b[i] = (uint8_t)(0xC3 + i);
	for (size_t i = 0; i < PM_SIZE; i++)
		m->b[pm_off + i] = (uint8_t)(i * 7 + 1);
	m->len = pm_off + PM_SIZE;
	return m->len;
}

static enum bzimage_err parse_bytes(const uint8_t *p, size_t n,
				    struct bzimage_info *out)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct view v;
	enum bzimage_err err;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, p, n);
	v = view_make(copy, n);
	err = bzimage_parse(&v, out);
	free(copy);
	return err;
}

static enum bzimage_err parse_img(const struct img *m, struct bzimage_info *out)
{
	return parse_bytes(m->b, m->len, out);
}

static void parse_ok(const struct img *m, struct bzimage_info *out)
{
	enum bzimage_err err = parse_img(m, out);
	ck_assert_msg(err == BZIMAGE_OK, "parse: %s", bzimage_strerror(err));
}

static void parse_err(const struct img *m, enum bzimage_err want)
{
	struct bzimage_info in;
	enum bzimage_err err = parse_img(m, &in);
	ck_assert_msg(err == want, "got %d (%s), want %d (%s)", err,
		      bzimage_strerror(err), want, bzimage_strerror(want));
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* What must hold for any file that parses. */
static void check_info(const struct bzimage_info *in, uint64_t len)
{
	uint64_t sects = in->setup_sects ? in->setup_sects : 4;

	ck_assert_uint_ge(in->version, 0x020C);
	ck_assert_uint_eq(in->pm_offset, (sects + 1) * 512);
	ck_assert_uint_gt(in->pm_size, BZIMAGE_ENTRY64_OFFSET);
	ck_assert_uint_eq(in->pm_offset + in->pm_size, len);
	ck_assert_uint_ge(in->hdr_end, 0x264);
	ck_assert_uint_le(in->hdr_end, 0x290);
	ck_assert(in->loadflags & BZIMAGE_LOADED_HIGH);
	ck_assert(in->xloadflags & BZIMAGE_XLF_KERNEL_64);
	ck_assert_uint_ne(in->kernel_alignment, 0);
	ck_assert_uint_eq(in->kernel_alignment & (in->kernel_alignment - 1), 0);
	ck_assert_uint_ge(in->init_size, in->pm_size);
	ck_assert(in->can_load_above_4g ==
		  ((in->xloadflags & BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G) != 0));
}

/* ---- parse ---- */

START_TEST(test_parse_215)
{
	struct bzimage_info in;

	make_img(&im, 0x020F, 3);
	parse_ok(&im, &in);
	check_info(&in, im.len);
	ck_assert_uint_eq(in.version, 0x020F);
	ck_assert_uint_eq(in.setup_sects, 3);
	ck_assert_uint_eq(in.pm_offset, 0x800);
	ck_assert_uint_eq(in.pm_size, PM_SIZE);
	ck_assert_uint_eq(in.hdr_end, 0x26C);
	ck_assert_uint_eq(in.loadflags, 0x01);
	ck_assert_uint_eq(in.xloadflags, 0x7F);
	ck_assert(in.relocatable);
	ck_assert_uint_eq(in.kernel_alignment, 0x200000);
	ck_assert_uint_eq(in.min_alignment, 21);
	ck_assert_uint_eq(in.pref_address, 16 * MIB);
	ck_assert_uint_eq(in.init_size, MIB);
	ck_assert_uint_eq(in.cmdline_size, 2047);
	ck_assert_uint_eq(in.initrd_addr_max, 0x7FFFFFFF);
	ck_assert(in.can_load_above_4g);
}
END_TEST

START_TEST(test_parse_212)
{
	struct bzimage_info in;

	make_img(&im, 0x020C, 1);
	put_u16(im.b + O_XLOADFLAGS, BZIMAGE_XLF_KERNEL_64);
	im.b[O_RELOCATABLE] = 0;
	parse_ok(&im, &in);
	check_info(&in, im.len);
	ck_assert_uint_eq(in.version, 0x020C);
	ck_assert_uint_eq(in.hdr_end, 0x268);
	ck_assert_uint_eq(in.pm_offset, 0x400);
	ck_assert(!in.relocatable);
	ck_assert(!in.can_load_above_4g);

	/* The burnt 2.14 and a future 3.0 are accepted too. */
	put_u16(im.b + O_VERSION, 0x020E);
	parse_ok(&im, &in);
	put_u16(im.b + O_VERSION, 0x0300);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.version, 0x0300);
}
END_TEST

START_TEST(test_setup_sects_zero)
{
	struct bzimage_info in;

	make_img(&im, 0x020F, 0);
	ck_assert_uint_eq(im.len, 5 * 512 + PM_SIZE);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.setup_sects, 0);
	ck_assert_uint_eq(in.pm_offset, 0xA00);
	ck_assert_uint_eq(in.pm_size, PM_SIZE);

	/* The largest setup part. */
	make_img(&im, 0x020F, 255);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.pm_offset, 256 * 512);
	ck_assert_uint_eq(in.pm_size, PM_SIZE);
}
END_TEST

START_TEST(test_short)
{
	struct bzimage_info in;

	make_img(&im, 0x020F, 3);
	for (size_t n = 0; n < 0x208; n++) {
		memset(&in, 0xEE, sizeof(in));
		ck_assert_int_eq(parse_bytes(im.b, n, &in), BZIMAGE_E_SHORT);
		ck_assert_uint_eq(in.version, 0);
	}
}
END_TEST

START_TEST(test_magic)
{
	make_img(&im, 0x020F, 3);
	im.b[O_BOOT_FLAG] = 0x54;
	parse_err(&im, BZIMAGE_E_MAGIC);
	make_img(&im, 0x020F, 3);
	im.b[O_BOOT_FLAG + 1] = 0x55;
	parse_err(&im, BZIMAGE_E_MAGIC);
	make_img(&im, 0x020F, 3);
	im.b[O_HEADER + 3] = 's';
	parse_err(&im, BZIMAGE_E_MAGIC);
	/* An ELF file is not a bzImage either. */
	memset(&im, 0, sizeof(im));
	memcpy(im.b,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7);
	im.len = 0x1000;
	parse_err(&im, BZIMAGE_E_MAGIC);
}
END_TEST

START_TEST(test_old)
{
	static const uint16_t old[] = { 0x0000, 0x0100, 0x0200,
					0x0206, 0x020A, 0x020B };
	struct bzimage_info in;

	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		make_img(&im, 0x020F, 3);
		put_u16(im.b + O_VERSION, old[i]);
		ck_assert_int_eq(parse_img(&im, &in), BZIMAGE_E_OLD);
		/* The firmware prints the version it found. */
		ck_assert_uint_eq(in.version, old[i]);
	}
}
END_TEST

START_TEST(test_not_64)
{
	make_img(&im, 0x020F, 3);
	put_u16(im.b + O_XLOADFLAGS, 0x7E);
	parse_err(&im, BZIMAGE_E_NOT_64);
	put_u16(im.b + O_XLOADFLAGS, 0);
	parse_err(&im, BZIMAGE_E_NOT_64);
}
END_TEST

START_TEST(test_not_bzimage)
{
	make_img(&im, 0x020F, 3);
	im.b[O_LOADFLAGS] = 0xFE;
	parse_err(&im, BZIMAGE_E_NOT_BZIMAGE);
	im.b[O_LOADFLAGS] = 0;
	parse_err(&im, BZIMAGE_E_NOT_BZIMAGE);
}
END_TEST

START_TEST(test_setup_header_length)
{
	struct bzimage_info in;

	/* Not a short jump: the length is unknown. */
	make_img(&im, 0x020F, 3);
	im.b[O_JUMP] = 0xE9;
	parse_err(&im, BZIMAGE_E_SETUP);

	/* Too short to hold init_size, then just long enough. */
	make_img(&im, 0x020F, 3);
	im.b[O_JUMP + 1] = 0x61;
	parse_err(&im, BZIMAGE_E_SETUP);
	im.b[O_JUMP + 1] = 0x62;
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.hdr_end, 0x264);

	/* Up to boot_params' edd_mbr_sig_buffer, not into it. */
	im.b[O_JUMP + 1] = 0x8E;
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.hdr_end, 0x290);
	im.b[O_JUMP + 1] = 0x8F;
	parse_err(&im, BZIMAGE_E_SETUP);
	im.b[O_JUMP + 1] = 0xFF;
	parse_err(&im, BZIMAGE_E_SETUP);
}
END_TEST

START_TEST(test_setup_pm_part)
{
	struct bzimage_info in;

	/* The pm part starts exactly at the end of the file: empty. */
	make_img(&im, 0x020F, 3);
	im.len = 0x800;
	parse_err(&im, BZIMAGE_E_SETUP);

	/* A pm part that ends at or before the 64-bit entry (0x200 into it):
	 * the jump would land past the bytes loaded. pm_size is set for the
	 * firmware's message. */
	im.len = 0x801;
	ck_assert_int_eq(parse_img(&im, &in), BZIMAGE_E_NO_ENTRY);
	ck_assert_uint_eq(in.pm_offset, 0x800);
	ck_assert_uint_eq(in.pm_size, 1);
	im.len = 0x800 + BZIMAGE_ENTRY64_OFFSET;
	ck_assert_int_eq(parse_img(&im, &in), BZIMAGE_E_NO_ENTRY);
	ck_assert_uint_eq(in.pm_size, 0x200);
	/* One byte at the entry is the least that parses. */
	im.len = 0x800 + BZIMAGE_ENTRY64_OFFSET + 1;
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.pm_size, 0x201);

	/* More setup sectors than the file has. */
	make_img(&im, 0x020F, 3);
	im.b[O_SETUP_SECTS] = 0x0B; /* pm part at 0x1800 = the file size */
	parse_err(&im, BZIMAGE_E_SETUP);
	im.b[O_SETUP_SECTS] = 0xFF;
	parse_err(&im, BZIMAGE_E_SETUP);
	im.b[O_SETUP_SECTS] = 0x0A; /* 0x200 bytes of pm part: no entry */
	parse_err(&im, BZIMAGE_E_NO_ENTRY);
	im.b[O_SETUP_SECTS] = 0x09;
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.pm_offset, 0x1400);
	ck_assert_uint_eq(in.pm_size, 0x400);
}
END_TEST

START_TEST(test_align)
{
	struct bzimage_info in;
	static const uint32_t bad[] = { 3, 0x300000, 0x200001, 0xFFFFFFFF,
					0x80000001 };
	static const uint32_t good[] = { 1,	   2,	      0x1000,
					 0x200000, 0x1000000, 0x80000000 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_img(&im, 0x020F, 3);
		put_u32(im.b + O_KERNEL_ALIGNMENT, bad[i]);
		parse_err(&im, BZIMAGE_E_ALIGN);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		make_img(&im, 0x020F, 3);
		put_u32(im.b + O_KERNEL_ALIGNMENT, good[i]);
		parse_ok(&im, &in);
		ck_assert_uint_eq(in.kernel_alignment, good[i]);
	}
	/* 0 is defaulted (CONFIG_PHYSICAL_ALIGN's default, 2 MiB). */
	make_img(&im, 0x020F, 3);
	put_u32(im.b + O_KERNEL_ALIGNMENT, 0);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.kernel_alignment, BZIMAGE_DEFAULT_ALIGN);
	ck_assert_uint_eq(in.kernel_alignment, 0x200000);
}
END_TEST

START_TEST(test_init_size)
{
	struct bzimage_info in;

	make_img(&im, 0x020F, 3);
	put_u32(im.b + O_INIT_SIZE, PM_SIZE - 1);
	parse_err(&im, BZIMAGE_E_INIT_SIZE);
	put_u32(im.b + O_INIT_SIZE, 0);
	parse_err(&im, BZIMAGE_E_INIT_SIZE);
	put_u32(im.b + O_INIT_SIZE, PM_SIZE);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.init_size, PM_SIZE);
	put_u32(im.b + O_INIT_SIZE, 0xFFFFFFFF);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.init_size, 0xFFFFFFFF);
}
END_TEST

/* With several faults, the first step in the documented order wins. */
START_TEST(test_check_order)
{
	make_img(&im, 0x020F, 3);
	put_u32(im.b + O_INIT_SIZE, 0);
	put_u32(im.b + O_KERNEL_ALIGNMENT, 3);
	parse_err(&im, BZIMAGE_E_ALIGN);
	im.len = 0x800 + BZIMAGE_ENTRY64_OFFSET;
	parse_err(&im, BZIMAGE_E_NO_ENTRY);
	im.b[O_SETUP_SECTS] = 0xFF;
	parse_err(&im, BZIMAGE_E_SETUP);
	put_u16(im.b + O_XLOADFLAGS, 0);
	parse_err(&im, BZIMAGE_E_NOT_64);
	im.b[O_LOADFLAGS] = 0;
	parse_err(&im, BZIMAGE_E_NOT_BZIMAGE);
	im.b[O_JUMP + 1] = 0;
	parse_err(&im, BZIMAGE_E_SETUP);
	put_u16(im.b + O_VERSION, 0x0204);
	parse_err(&im, BZIMAGE_E_OLD);
	im.b[O_HEADER] = 0;
	parse_err(&im, BZIMAGE_E_MAGIC);
	im.len = 0x207;
	parse_err(&im, BZIMAGE_E_SHORT);
}
END_TEST

START_TEST(test_strerror)
{
	static const struct {
		enum bzimage_err err;
		const char *msg;
	} want[] = {
		{ BZIMAGE_E_MAGIC, "not a bzImage (no HdrS header)" },
		{ BZIMAGE_E_OLD,
		  "boot protocol too old (2.12 or later needed)" },
		{ BZIMAGE_E_NOT_64,
		  "kernel has no 64-bit entry point (XLF_KERNEL_64)" },
		{ BZIMAGE_E_NOT_BZIMAGE,
		  "not a bzImage (LOADED_HIGH not set)" },
		{ BZIMAGE_E_SETUP, "setup header or kernel outside the file" },
		{ BZIMAGE_E_NO_ENTRY,
		  "the protected-mode kernel ends before its 64-bit entry at "
		  "0x200" },
		{ BZIMAGE_E_ALIGN, "kernel_alignment is not a power of two" },
		{ BZIMAGE_E_INIT_SIZE, "init_size smaller than the kernel" },
		{ BZIMAGE_E_NO_ROOM,
		  "no free RAM for the kernel (init_size bytes)" },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_str_eq(bzimage_strerror(want[i].err), want[i].msg);
	/* Every value has its own non-empty message. */
	for (int a = BZIMAGE_OK; a <= BZIMAGE_E_NO_ROOM; a++) {
		const char *ma = bzimage_strerror((enum bzimage_err)a);
		ck_assert_ptr_nonnull(ma);
		ck_assert_uint_gt(strlen(ma), 0);
		for (int b = a + 1; b <= BZIMAGE_E_NO_ROOM; b++)
			ck_assert_str_ne(ma,
					 bzimage_strerror((enum bzimage_err)b));
	}
	ck_assert_ptr_nonnull(bzimage_strerror((enum bzimage_err)99));
}
END_TEST

START_TEST(test_is_bzimage)
{
	struct view v;

	make_img(&im, 0x020F, 3);
	v = view_make(im.b, im.len);
	ck_assert(bzimage_is_bzimage(&v));
	v = view_make(im.b, 0x206);
	ck_assert(bzimage_is_bzimage(&v));
	v = view_make(im.b, 0x205);
	ck_assert(!bzimage_is_bzimage(&v));
	v = view_make(im.b, 0);
	ck_assert(!bzimage_is_bzimage(&v));
	/* Old protocols and zImages are still recognised as the format. */
	put_u16(im.b + O_VERSION, 0x0100);
	im.b[O_LOADFLAGS] = 0;
	v = view_make(im.b, im.len);
	ck_assert(bzimage_is_bzimage(&v));
	im.b[O_HEADER] = 'h';
	ck_assert(!bzimage_is_bzimage(&v));
	make_img(&im, 0x020F, 3);
	im.b[O_BOOT_FLAG] = 0;
	ck_assert(!bzimage_is_bzimage(&v));
}
END_TEST

/* Every truncation of a valid file: the right error, no out-of-bounds read. */
START_TEST(test_all_prefixes)
{
	struct bzimage_info in;

	for (int k = 0; k < 2; k++) {
		size_t len = make_img(&im, k ? 0x020C : 0x020F, k ? 0 : 3);
		uint32_t hdr_end = k ? 0x268 : 0x26C;
		uint64_t pm_off = k ? 0xA00 : 0x800;

		for (size_t n = 0; n <= len; n++) {
			enum bzimage_err err = parse_bytes(im.b, n, &in);
			if (n < 0x208)
				ck_assert_int_eq(err, BZIMAGE_E_SHORT);
			else if (n < hdr_end || n <= pm_off)
				ck_assert_int_eq(err, BZIMAGE_E_SETUP);
			else if (n <= pm_off + BZIMAGE_ENTRY64_OFFSET)
				ck_assert_int_eq(err, BZIMAGE_E_NO_ENTRY);
			else {
				ck_assert_int_eq(err, BZIMAGE_OK);
				check_info(&in, n);
				ck_assert_uint_eq(in.pm_size, n - pm_off);
			}
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

static void std_map(struct memmap *m)
{
	memmap_init(m);
	ck_assert_int_eq(memmap_add(m, 0, 0x9FC00, MEMMAP_RAM), MEMMAP_OK);
	ck_assert_int_eq(memmap_add(m, 0xF0000, 0x10000, MEMMAP_RESERVED),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_add(m, MIB, 3 * GIB - MIB, MEMMAP_RAM),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_add(m, 4 * GIB, 4 * GIB, MEMMAP_RAM),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_normalise(m), MEMMAP_OK);
}

/* Random byte changes, mostly in the header, plus random truncation. */
START_TEST(test_random_mutations)
{
	static uint8_t bp[LINUX_BP_SIZE];
	static struct img base;
	struct bzimage_info in;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0;
	unsigned errs[BZIMAGE_E_NO_ROOM + 1] = { 0 };

	std_map(&mm);
	memmap_busy_init(&busy);
	ck_assert_int_eq(memmap_busy_add(&busy, 16 * MIB, MIB, "fw"),
			 MEMMAP_OK);
	for (int iter = 0; iter < 1000; iter++) {
		size_t len = make_img(&base, (iter & 1) ? 0x020F : 0x020C,
				      (uint8_t)(iter % 5));
		int flips = 1 + (int)(rng_next(&seed) % 4);
		enum bzimage_err err;

		im = base;
		for (int f = 0; f < flips; f++) {
			uint64_t r = rng_next(&seed);
			/* Mostly 0x1F0..0x270, where the decisions are. */
			size_t at = (r & 3) ? 0x1F0 + (size_t)(r >> 8) % 0x80
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
		ck_assert_int_ge(err, BZIMAGE_OK);
		ck_assert_int_lt(err, BZIMAGE_E_NO_ROOM);
		ck_assert_ptr_nonnull(bzimage_strerror(err));
		errs[err]++;
		if (err != BZIMAGE_OK)
			continue;
		ok++;
		check_info(&in, im.len);

		/* What parses must place and start a boot_params safely. */
		uint64_t at = 0;
		uint8_t *copy = malloc(im.len);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, im.b, im.len);
		struct view v = view_make(copy, im.len);
		err = bzimage_place(&in, &mm, &busy, &at);
		ck_assert(err == BZIMAGE_OK || err == BZIMAGE_E_NO_ROOM);
		if (err == BZIMAGE_OK) {
			ck_assert(memmap_is_ram(&mm, at, in.init_size));
			ck_assert_ptr_null(
				memmap_busy_overlap(&busy, at, in.init_size));
		}
		bzimage_bp_init(bp, &v, &in, at);
		ck_assert_uint_eq(bp[LINUX_BP_SENTINEL], 0);
		ck_assert_uint_eq(bp[O_TYPE_OF_LOADER], 0xFF);
		free(copy);
	}
	/* Some changes land in harmless bytes, most are caught. */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_lt(ok, 1000);
	ck_assert_uint_gt(errs[BZIMAGE_E_MAGIC], 0);
	ck_assert_uint_gt(errs[BZIMAGE_E_SETUP], 0);
}
END_TEST

/* Debian's kernel, when the package is installed; else nothing to do. */
START_TEST(test_debian_kernel)
{
	static uint8_t bp[LINUX_BP_SIZE];
	DIR *d = opendir("/boot");
	struct dirent *de;
	unsigned parsed = 0;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[512];
		if (strncmp(de->d_name, "vmlinuz-", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/boot/%s", de->d_name);
		FILE *fp = fopen(path, "rb");
		if (fp == NULL)
			continue; /* unreadable or being installed */
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, got;
		do {
			if (len == cap) {
				cap = cap ? 2 * cap : 1 << 20;
				buf = realloc(buf, cap);
				ck_assert_ptr_nonnull(buf);
			}
			got = fread(buf + len, 1, cap - len, fp);
			len += got;
		} while (got > 0);
		fclose(fp);

		struct view v = view_make(buf, len);
		struct bzimage_info in;
		/* A file still being written may be cut short: skip it. */
		if (len < 64 * 1024 || !bzimage_is_bzimage(&v)) {
			free(buf);
			continue;
		}
		enum bzimage_err err = bzimage_parse(&v, &in);
		ck_assert_msg(err == BZIMAGE_OK, "%s: %s", path,
			      bzimage_strerror(err));
		check_info(&in, len);
		ck_assert_uint_ge(in.version, 0x020C);
		ck_assert(in.xloadflags & BZIMAGE_XLF_KERNEL_64);
		ck_assert(in.relocatable);
		ck_assert_uint_ge(in.kernel_alignment, 0x200000);
		ck_assert_uint_ge(in.cmdline_size, 255);
		ck_assert_uint_gt(in.init_size, in.pm_size);

		uint64_t at;
		std_map(&mm);
		memmap_busy_init(&busy);
		ck_assert_int_eq(bzimage_place(&in, &mm, &busy, &at),
				 BZIMAGE_OK);
		ck_assert_uint_eq(at, in.pref_address);
		bzimage_bp_init(bp, &v, &in, at);
		ck_assert_uint_eq(bp[LINUX_BP_SENTINEL], 0);
		ck_assert_uint_eq(rd32(bp + O_HEADER), 0x53726448);
		ck_assert_uint_eq(rd32(bp + O_CODE32_START), (uint32_t)at);
		free(buf);
		parsed++;
	}
	closedir(d);
	(void)parsed;
}
END_TEST

/* ---- place ---- */

/* A relocatable 64-bit kernel as the tests want it. */
static struct bzimage_info kinfo(bool reloc, uint64_t pref, uint32_t size,
				 uint32_t align, bool above_4g)
{
	struct bzimage_info k;

	memset(&k, 0, sizeof(k));
	k.version = 0x020F;
	k.relocatable = reloc;
	k.pref_address = pref;
	k.init_size = size;
	k.kernel_alignment = align;
	k.can_load_above_4g = above_4g;
	return k;
}

static enum bzimage_err place(const struct bzimage_info *k, uint64_t *at)
{
	*at = 0xDEAD;
	return bzimage_place(k, &mm, &busy, at);
}

static void busy_add(uint64_t start, uint64_t size)
{
	ck_assert_int_eq(memmap_busy_add(&busy, start, size, "t"), MEMMAP_OK);
}

static void map_of(const uint64_t (*r)[3], size_t n)
{
	memmap_init(&mm);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(
			memmap_add(&mm, r[i][0], r[i][1], (uint32_t)r[i][2]),
			MEMMAP_OK);
	ck_assert_int_eq(memmap_normalise(&mm), MEMMAP_OK);
}

START_TEST(test_place_pref)
{
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, 64 * MIB, 0x200000, 0);

	std_map(&mm);
	memmap_busy_init(&busy);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 16 * MIB);
	/* Busy ranges elsewhere do not matter. */
	busy_add(MIB, 15 * MIB);
	busy_add(80 * MIB, MIB);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 16 * MIB);
	/* Not relocatable: the same. */
	k.relocatable = false;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 16 * MIB);
	/* The range may end exactly where a busy range starts. */
	k.init_size = 64 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
}
END_TEST

START_TEST(test_place_pref_busy)
{
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, 8 * MIB, 0x200000, 0);

	std_map(&mm);
	memmap_busy_init(&busy);
	busy_add(20 * MIB + 0x1000, 0x1000);
	/* Relocatable: the next aligned slot past the busy range. */
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 22 * MIB);
	/* A chain of collisions is jumped range by range. */
	busy_add(29 * MIB, 1);
	busy_add(37 * MIB + 0x1000, 3 * MIB);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 42 * MIB);
	/* Lots of free RAM below pref_address is never used. */
	ck_assert(memmap_is_ram(&mm, MIB, 15 * MIB));
	ck_assert_ptr_null(memmap_busy_overlap(&busy, 2 * MIB, 8 * MIB));
	/* Not relocatable: pref_address or nothing. */
	k.relocatable = false;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	ck_assert_uint_eq(at, 0xDEAD);
}
END_TEST

START_TEST(test_place_pref_not_ram)
{
	static const uint64_t r[][3] = {
		{ 0, 0x9F000, MEMMAP_RAM },
		{ MIB, 15 * MIB, MEMMAP_RAM },
		{ 16 * MIB, 8 * MIB, MEMMAP_RESERVED },
		{ 24 * MIB + 0x3000, 1 * GIB, MEMMAP_RAM },
	};
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, 8 * MIB, 0x200000, 0);

	map_of(r, 4);
	memmap_busy_init(&busy);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 26 * MIB);
	/* Partly RAM is not enough either. */
	k.pref_address = 22 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 26 * MIB);
	k.relocatable = false;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.pref_address = 16 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	/* Beyond all RAM. */
	k.pref_address = 8 * GIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.relocatable = true;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
}
END_TEST

START_TEST(test_place_low_pref)
{
	uint64_t at;
	struct bzimage_info k = kinfo(true, 0, 4 * MIB, 0x1000, 0);

	std_map(&mm);
	memmap_busy_init(&busy);
	/* Never below 1 MiB, even with RAM and a small alignment there. */
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, MIB);
	k.pref_address = 0x1000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, MIB);
	k.kernel_alignment = 0x200000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 2 * MIB);
	/* A non-relocatable kernel gets its low pref_address if free. */
	k.relocatable = false;
	k.pref_address = 0x10000;
	k.init_size = 0x10000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x10000);
}
END_TEST

START_TEST(test_place_alignment)
{
	static const uint64_t r[][3] = {
		{ MIB, 0x234000, MEMMAP_RAM },
		{ 0x1234000, 0x10000000, MEMMAP_RAM },
	};
	uint64_t at;
	struct bzimage_info k = kinfo(true, MIB, 8 * MIB, 0x1000000, 0);

	map_of(r, 2);
	memmap_busy_init(&busy);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x2000000);
	k.kernel_alignment = 0x200000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x1400000);
	k.kernel_alignment = 0x1000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x1234000);
	/* The small first entry fits a small kernel. */
	k.init_size = 0x234000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, MIB);
	k.init_size = 0x234001;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x1234000);
	/* An unaligned pref_address of a relocatable kernel is aligned up. */
	k.init_size = MIB;
	k.kernel_alignment = 0x200000;
	k.pref_address = 0x1300000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x1400000);
	/* A non-relocatable one is loaded at it as it is. */
	k.relocatable = false;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 0x1300000);
}
END_TEST

START_TEST(test_place_bad_args)
{
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, MIB, 3, 0);

	std_map(&mm);
	memmap_busy_init(&busy);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_ALIGN);
	k.kernel_alignment = 0;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_ALIGN);
	k.kernel_alignment = 0x200000;
	k.init_size = 0;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.relocatable = false;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	/* Bigger than the RAM below 4 GiB; fits above it. */
	k.init_size = 0xFFFFFFFF;
	k.relocatable = true;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	ck_assert_uint_eq(at, 0xDEAD);
	k.can_load_above_4g = true;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 4 * GIB);
}
END_TEST

START_TEST(test_place_above_4g)
{
	static const uint64_t r[][3] = {
		{ 0, 0x9F000, MEMMAP_RAM },
		{ MIB, 5 * GIB - MIB, MEMMAP_RAM },
	};
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, 128 * MIB, 0x200000, 0);

	map_of(r, 2);
	memmap_busy_init(&busy);
	busy_add(16 * MIB, 4 * GIB - 80 * MIB);
	/* 64 MiB left below 4 GiB: not enough, and no straddling. */
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.can_load_above_4g = true;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 4 * GIB - 64 * MIB);
	/* It fits exactly below 4 GiB without the flag. */
	k.can_load_above_4g = false;
	k.init_size = 64 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 4 * GIB - 64 * MIB);

	/* A non-relocatable kernel above 4 GiB needs the flag. */
	k.relocatable = false;
	k.pref_address = 4 * GIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.can_load_above_4g = true;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 4 * GIB);
	k.can_load_above_4g = false;
	k.pref_address = 4 * GIB - 64 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	k.pref_address += 0x1000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);

	/* Low memory taken: the flag lets a relocatable kernel go high. */
	static const uint64_t r2[][3] = {
		{ MIB, 63 * MIB, MEMMAP_RAM },
		{ 64 * MIB, 4 * GIB - 64 * MIB, MEMMAP_RESERVED },
		{ 4 * GIB, 4 * GIB, MEMMAP_RAM },
	};
	map_of(r2, 3);
	memmap_busy_init(&busy);
	k = kinfo(true, 16 * MIB, 128 * MIB, 0x200000, false);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.can_load_above_4g = true;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 4 * GIB);
}
END_TEST

/* RAM and busy ranges at the very top of the address space. */
START_TEST(test_place_top_of_memory)
{
	const uint64_t top = 0; /* 2^64, wrapped */
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, 8 * MIB, 0x200000, 1);

	/* The highest RAM a normalised map can hold ends at 2^64 - 4 KiB. */
	memmap_init(&mm);
	ck_assert_int_eq(
		memmap_add(&mm, top - 32 * MIB, 32 * MIB - 0x1000, MEMMAP_RAM),
		MEMMAP_OK);
	ck_assert_int_eq(memmap_normalise(&mm), MEMMAP_OK);
	memmap_busy_init(&busy);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, top - 32 * MIB);
	busy_add(top - 30 * MIB, MIB);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, top - 28 * MIB);
	k.init_size = 28 * MIB - 0x1000;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, top - 28 * MIB);
	k.init_size = 28 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	/* A busy range up to the last byte: aligning past it overflows. */
	k.init_size = 8 * MIB;
	busy_add(top - 24 * MIB, 24 * MIB - 1);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	/* Without the flag none of this is reachable. */
	memmap_busy_init(&busy);
	k.can_load_above_4g = false;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.can_load_above_4g = true;
	k.relocatable = false;
	k.pref_address = top - 32 * MIB;
	k.init_size = 2 * MIB;
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, top - 32 * MIB);
	k.pref_address = top - 2 * MIB; /* past the RAM's end */
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
	k.pref_address = top - MIB; /* wraps */
	ck_assert_int_eq(place(&k, &at), BZIMAGE_E_NO_ROOM);
}
END_TEST

/* The maximum number of busy ranges, each forcing another jump. */
START_TEST(test_place_many_busy)
{
	uint64_t at;
	struct bzimage_info k = kinfo(true, 16 * MIB, 2 * MIB, 0x200000, 0);

	std_map(&mm);
	memmap_busy_init(&busy);
	for (int i = 0; i < MEMMAP_BUSY_MAX; i++)
		busy_add(16 * MIB + (uint64_t)i * 2 * MIB + 0x1000 * i, 0x1000);
	ck_assert_int_eq(place(&k, &at), BZIMAGE_OK);
	ck_assert_uint_eq(at, 16 * MIB + 2 * MIB * MEMMAP_BUSY_MAX);
	ck_assert_ptr_null(memmap_busy_overlap(&busy, at, k.init_size));
}
END_TEST

/*
 * Random maps and busy ranges on a 4 KiB grid below 64 MiB, checked against
 * trying every aligned address from the bottom.
 */
START_TEST(test_place_random)
{
	uint64_t seed = 0x243f6a8885a308d3ull;
	unsigned found = 0;

	for (int iter = 0; iter < 300; iter++) {
		const uint64_t pg = 0x1000, span = 64 * MIB;
		struct bzimage_info k;
		uint64_t at, want = 0;
		bool have = false;

		memmap_init(&mm);
		int nent = 1 + (int)(rng_next(&seed) % 12);
		for (int i = 0; i < nent; i++) {
			uint64_t a = rng_next(&seed) % (span / pg) * pg;
			uint64_t s =
				(1 + rng_next(&seed) % (span / pg / 4)) * pg;
			uint32_t t = rng_next(&seed) % 3 ? MEMMAP_RAM
							 : MEMMAP_RESERVED;
			ck_assert_int_eq(memmap_add(&mm, a, s, t), MEMMAP_OK);
		}
		if (memmap_normalise(&mm) != MEMMAP_OK)
			continue;
		memmap_busy_init(&busy);
		int nb = (int)(rng_next(&seed) % 10);
		for (int i = 0; i < nb; i++)
			busy_add(rng_next(&seed) % span,
				 1 + rng_next(&seed) % (4 * MIB));
		k = kinfo(rng_next(&seed) % 4 != 0,
			  rng_next(&seed) % (span / pg) * pg,
			  (uint32_t)((1 + rng_next(&seed) % 2048) * pg),
			  (uint32_t)pg << (rng_next(&seed) % 10), false);

		if (!k.relocatable) {
			have = memmap_is_ram(&mm, k.pref_address,
					     k.init_size) &&
			       !memmap_busy_overlap(&busy, k.pref_address,
						    k.init_size);
			want = k.pref_address;
		} else {
			uint64_t lo =
				k.pref_address > MIB ? k.pref_address : MIB;
			lo = (lo + k.kernel_alignment - 1) &
			     ~(uint64_t)(k.kernel_alignment - 1);
			for (uint64_t a = lo; a < 2 * span;
			     a += k.kernel_alignment) {
				if (memmap_is_ram(&mm, a, k.init_size) &&
				    !memmap_busy_overlap(&busy, a,
							 k.init_size)) {
					have = true;
					want = a;
					break;
				}
			}
		}
		enum bzimage_err err = place(&k, &at);
		if (have) {
			ck_assert_int_eq(err, BZIMAGE_OK);
			ck_assert_uint_eq(at, want);
			found++;
		} else {
			ck_assert_int_eq(err, BZIMAGE_E_NO_ROOM);
		}
	}
	ck_assert_uint_gt(found, 0);
}
END_TEST

/* ---- boot_params ---- */

START_TEST(test_bp_init)
{
	static uint8_t bp[LINUX_BP_SIZE];
	struct bzimage_info in;
	struct view v;

	make_img(&im, 0x020F, 3);
	/* Distinct non-zero bytes in every header field... */
	for (size_t i = 0x1F1; i < 0x26C; i++)
		im.b[i] = (uint8_t)(0x80 | i);
	im.b[O_SETUP_SECTS] = 3;
	put_u16(im.b + O_BOOT_FLAG, 0xAA55);
	im.b[O_JUMP] = 0xEB;
	im.b[O_JUMP + 1] = 0x6A;
	put_u32(im.b + O_HEADER, 0x53726448);
	put_u16(im.b + O_VERSION, 0x020F);
	im.b[O_LOADFLAGS] = 0xE3;
	put_u32(im.b + O_KERNEL_ALIGNMENT, 0);
	put_u16(im.b + O_XLOADFLAGS, 0x0003);
	put_u32(im.b + O_INIT_SIZE, 0x01000000);
	/* ... and in the sentinel's and the setup code's bytes. */
	im.b[LINUX_BP_SENTINEL] = 0xFF;
	ck_assert_uint_ne(im.b[0x26C], 0);
	parse_ok(&im, &in);
	ck_assert_uint_eq(in.hdr_end, 0x26C);

	v = view_make(im.b, im.len);
	memset(bp, 0xAA, sizeof(bp));
	bzimage_bp_init(bp, &v, &in, 0x123400000ull);

	for (size_t i = 0; i < LINUX_BP_SIZE; i++) {
		uint8_t want;
		if (i < 0x1F1 || i >= 0x26C)
			want = 0;
		else if (i >= O_VID_MODE && i < O_VID_MODE + 2)
			want = 0xFF;
		else if (i == O_TYPE_OF_LOADER)
			want = 0xFF;
		else if (i == O_LOADFLAGS)
			want = 0x43; /* 0xE3 without CAN_USE_HEAP and QUIET */
		else if (i >= O_CODE32_START && i < O_CODE32_START + 4)
			want = (uint8_t)(0x23400000 >>
					 8 * (i - O_CODE32_START));
		else if (i >= O_KERNEL_ALIGNMENT && i < O_KERNEL_ALIGNMENT + 4)
			want = (uint8_t)(0x200000 >>
					 8 * (i - O_KERNEL_ALIGNMENT));
		else if ((i >= O_RAMDISK_IMAGE && i < O_RAMDISK_SIZE + 4) ||
			 (i >= O_HEAP_END_PTR && i < O_CMD_LINE_PTR + 4) ||
			 (i >= O_HW_SUBARCH && i < O_HW_SUBARCH_DATA + 8) ||
			 (i >= O_SETUP_DATA && i < O_SETUP_DATA + 8))
			want = 0;
		else
			want = im.b[i];
		ck_assert_msg(bp[i] == want, "bp[0x%zx] = 0x%02x, want 0x%02x",
			      i, bp[i], want);
	}
	ck_assert_uint_eq(bp[LINUX_BP_SENTINEL], 0);
	ck_assert_uint_eq(bp[O_EXT_LOADER_VER], 0);
	ck_assert_uint_eq(bp[O_EXT_LOADER_TYPE], 0);
	ck_assert_uint_eq(rd32(bp + O_HEADER), 0x53726448);
	ck_assert_uint_eq(rd64(bp + O_PREF_ADDRESS), rd64(im.b + 0x258));
}
END_TEST

START_TEST(test_bp_init_212_and_flags)
{
	static uint8_t bp[LINUX_BP_SIZE];
	struct bzimage_info in;
	struct view v;

	/* A 2.12 header is shorter: kernel_info_offset stays 0. */
	make_img(&im, 0x020C, 0);
	put_u32(im.b + 0x268, 0x11223344);
	parse_ok(&im, &in);
	v = view_make(im.b, im.len);
	memset(bp, 0x55, sizeof(bp));
	bzimage_bp_init(bp, &v, &in, 16 * MIB);
	ck_assert_uint_eq(rd32(bp + 0x268), 0);
	ck_assert_uint_eq(rd32(bp + 0x264), 0);
	ck_assert_uint_eq(bp[O_LOADFLAGS], BZIMAGE_LOADED_HIGH);
	ck_assert_uint_eq(rd32(bp + O_CODE32_START), 16 * MIB);
	ck_assert_uint_eq(rd32(bp + O_KERNEL_ALIGNMENT), 0x200000);
	ck_assert_uint_eq(rd32(bp + O_CMDLINE_SIZE), 2047);
	ck_assert_uint_eq(rd32(bp + O_INIT_SIZE), MIB);
	ck_assert_uint_eq(bp[O_SETUP_SECTS], 0);

	/* Only the bits named are touched; LOADED_HIGH always stays. */
	im.b[O_LOADFLAGS] = 0x7F;
	parse_ok(&im, &in);
	bzimage_bp_init(bp, &v, &in, 16 * MIB);
	ck_assert_uint_eq(bp[O_LOADFLAGS], 0x5F);

	/* The linux_bp_set_* helpers compose with it. */
	linux_bp_set_cmdline(bp, 0x20000);
	linux_bp_set_setup_data(bp, 0x123456789ull);
	ck_assert_uint_eq(rd32(bp + O_CMD_LINE_PTR), 0x20000);
	ck_assert_uint_eq(rd64(bp + O_SETUP_DATA), 0x123456789ull);
	ck_assert_uint_eq(rd64(bp + O_PREF_ADDRESS), 16 * MIB);
	ck_assert_uint_eq(rd32(bp + O_INIT_SIZE), MIB);
}
END_TEST

/* ---- setup_data ---- */

START_TEST(test_setup_data_e820)
{
	static uint8_t bp[LINUX_BP_SIZE];
	static uint8_t buf[16 + 200 * 20 + 64];
	size_t n, want;

	memmap_init(&mm);
	for (int i = 0; i < 200; i++)
		memmap_add(&mm, (uint64_t)i * 0x200000000ull, 0x1000 + i,
			   i % 2 ? MEMMAP_RAM : MEMMAP_ACPI);
	ck_assert_int_eq(memmap_normalise(&mm), MEMMAP_OK);
	ck_assert_uint_eq(mm.n, 200);

	memset(bp, 0, sizeof(bp));
	uint32_t left = linux_bp_set_e820(bp, &mm);
	ck_assert_uint_eq(left, 72);

	memset(buf, 0xAA, sizeof(buf));
	want = 16 + 72 * 20;
	n = linux_setup_data_e820(buf, sizeof(buf), &mm, LINUX_E820_MAX);
	ck_assert_uint_eq(n, want);
	ck_assert_uint_eq(rd64(buf), 0);
	ck_assert_uint_eq(rd32(buf + 8), LINUX_SETUP_E820_EXT);
	ck_assert_uint_eq(rd32(buf + 8), 1);
	ck_assert_uint_eq(rd32(buf + 12), 72 * 20);
	for (uint32_t i = 0; i < 72; i++) {
		const uint8_t *e = buf + 16 + i * 20;
		const struct memmap_entry *m = &mm.e[128 + i];
		ck_assert_uint_eq(rd64(e), m->addr);
		ck_assert_uint_eq(rd64(e + 8), m->size);
		ck_assert_uint_eq(rd32(e + 16), m->type);
	}
	ck_assert_uint_eq(rd64(buf + 16 + 71 * 20), 199 * 0x200000000ull);
	ck_assert_uint_eq(buf[want], 0xAA);

	/* Exactly enough room, then one byte less. */
	memset(buf, 0xAA, sizeof(buf));
	ck_assert_uint_eq(linux_setup_data_e820(buf, want, &mm, 128), want);
	memset(buf, 0xAA, sizeof(buf));
	ck_assert_uint_eq(linux_setup_data_e820(buf, want - 1, &mm, 128), 0);
	ck_assert_uint_eq(linux_setup_data_e820(buf, 0, &mm, 128), 0);
	ck_assert_uint_eq(linux_setup_data_e820(buf, 15, &mm, 199), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xAA);

	/* All of them; the last one; none. */
	n = linux_setup_data_e820(buf, sizeof(buf), &mm, 0);
	ck_assert_uint_eq(n, 16 + 200 * 20);
	ck_assert_uint_eq(rd64(buf + 16 + 20), mm.e[1].addr);
	n = linux_setup_data_e820(buf, sizeof(buf), &mm, 199);
	ck_assert_uint_eq(n, 16 + 20);
	ck_assert_uint_eq(rd32(buf + 12), 20);
	ck_assert_uint_eq(rd64(buf + 16 + 8), mm.e[199].size);
	for (uint32_t first = 200; first < 203; first++) {
		n = linux_setup_data_e820(buf, 16, &mm, first);
		ck_assert_uint_eq(n, 16);
		ck_assert_uint_eq(rd32(buf + 12), 0);
	}
	ck_assert_uint_eq(linux_setup_data_e820(buf, 16, &mm, UINT32_MAX), 16);

	/* The pointer in boot_params. */
	memset(bp, 0, sizeof(bp));
	linux_bp_set_setup_data(bp, 0xFEDCBA9876543210ull);
	ck_assert_uint_eq(rd64(bp + LINUX_BP_SETUP_DATA),
			  0xFEDCBA9876543210ull);
	for (size_t i = 0; i < sizeof(bp); i++)
		if (i < 0x250 || i >= 0x258)
			ck_assert_uint_eq(bp[i], 0);
}
END_TEST

Suite *bzimage_suite(void)
{
	Suite *s = suite_create("bzimage");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_215);
	tcase_add_test(tc, test_parse_212);
	tcase_add_test(tc, test_setup_sects_zero);
	tcase_add_test(tc, test_short);
	tcase_add_test(tc, test_magic);
	tcase_add_test(tc, test_old);
	tcase_add_test(tc, test_not_64);
	tcase_add_test(tc, test_not_bzimage);
	tcase_add_test(tc, test_setup_header_length);
	tcase_add_test(tc, test_setup_pm_part);
	tcase_add_test(tc, test_align);
	tcase_add_test(tc, test_init_size);
	tcase_add_test(tc, test_check_order);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_is_bzimage);
	tcase_add_test(tc, test_all_prefixes);
	tcase_add_test(tc, test_random_mutations);
	tcase_add_test(tc, test_debian_kernel);
	suite_add_tcase(s, tc);

	tc = tcase_create("place");
	tcase_add_test(tc, test_place_pref);
	tcase_add_test(tc, test_place_pref_busy);
	tcase_add_test(tc, test_place_pref_not_ram);
	tcase_add_test(tc, test_place_low_pref);
	tcase_add_test(tc, test_place_alignment);
	tcase_add_test(tc, test_place_bad_args);
	tcase_add_test(tc, test_place_above_4g);
	tcase_add_test(tc, test_place_top_of_memory);
	tcase_add_test(tc, test_place_many_busy);
	tcase_add_test(tc, test_place_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("boot_params");
	tcase_add_test(tc, test_bp_init);
	tcase_add_test(tc, test_bp_init_212_and_flags);
	tcase_add_test(tc, test_setup_data_e820);
	suite_add_tcase(s, tc);
	return s;
}
