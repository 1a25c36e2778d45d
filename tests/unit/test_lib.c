// SPDX-License-Identifier: MIT
/* test_lib.c: the formatter, the command-line splitter, view scans, the
 * zero page. */
#include <check.h>

/* Some cases feed the formatter what printf checking would refuse. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#include <stdlib.h>
#include <string.h>

#include "lib/cmdline.h"
#include "lib/fmt.h"
#include "lib/view.h"
#include "linux/linux.h"
#include "suites.h"

static char buf[256];

#define FMT(expect, ...)                                                       \
	do {                                                                   \
		size_t n = fmt_snprintf(buf, sizeof(buf), __VA_ARGS__);        \
		ck_assert_str_eq(buf, expect);                                 \
		ck_assert_uint_eq(n, strlen(expect));                          \
	} while (0)

START_TEST(fmt_conversions)
{
	FMT("x 42 y", "x %d y", 42);
	FMT("-7", "%d", -7);
	FMT("4294967295", "%u", 4294967295u);
	FMT("ff FF", "%x %X", 255, 255);
	FMT("0x00ab", "0x%04x", 0xab);
	FMT("  12", "%4u", 12);
	FMT("12  |", "%-4u|", 12);
	FMT("-0012", "%05d", -12);
	FMT("18446744073709551615", "%llu", 18446744073709551615ull);
	FMT("ffffffff80000000", "%llx", 0xffffffff80000000ull);
	FMT("123", "%zu", (size_t)123);
	FMT("abc", "%s", "abc");
	FMT("  ab", "%4s", "ab");
	FMT("ab  |", "%-4s|", "ab");
	FMT("ab", "%.2s", "abcdef");
	FMT("abc", "%.*s", 3, "abcdef");
	FMT("(null)", "%s", (char *)NULL);
	FMT("c%", "%c%%", 'c');
	FMT("0x1000", "%p", (void *)0x1000);
	FMT("%q", "%q");
	FMT("0", "%x", 0);
}
END_TEST

START_TEST(fmt_truncates)
{
	char small[5];
	size_t n = fmt_snprintf(small, sizeof(small), "%s", "abcdefgh");
	ck_assert_uint_eq(n, 8);
	ck_assert_str_eq(small, "abcd");
	n = fmt_snprintf(small, 0, "%d", 12345);
	ck_assert_uint_eq(n, 5);
}
END_TEST

struct seen {
	int n;
	char keys[8][32];
	char vals[8][32];
	int has_val[8];
};

static void record(void *ctx, const char *key, size_t keylen, const char *val,
		   size_t vallen)
{
	struct seen *s = ctx;
	ck_assert_int_lt(s->n, 8);
	memcpy(s->keys[s->n], key, keylen);
	s->keys[s->n][keylen] = 0;
	s->has_val[s->n] = val != NULL;
	if (val) {
		memcpy(s->vals[s->n], val, vallen);
		s->vals[s->n][vallen] = 0;
	}
	s->n++;
}

START_TEST(cmdline_splits_words)
{
	struct seen s = { 0 };
	char out[128];
	ck_assert(cmdline_split("  fw.loglevel=debug console=ttyS0  fw.help "
				"root=/dev/vda\tfw.console=both quiet ",
				out, sizeof(out), record, &s));
	ck_assert_str_eq(out, "console=ttyS0 root=/dev/vda quiet");
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.keys[0], "loglevel");
	ck_assert_str_eq(s.vals[0], "debug");
	ck_assert_str_eq(s.keys[1], "help");
	ck_assert_int_eq(s.has_val[1], 0);
	ck_assert_str_eq(s.keys[2], "console");
	ck_assert_str_eq(s.vals[2], "both");
}
END_TEST

START_TEST(cmdline_quotes_and_edges)
{
	struct seen s = { 0 };
	char out[128];
	ck_assert(cmdline_split("a=\"x fw.y z\" fw.=1 fw. xfw.a=b fw.k=", out,
				sizeof(out), record, &s));
	ck_assert_str_eq(out, "a=\"x fw.y z\" xfw.a=b");
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.keys[0], "");
	ck_assert_str_eq(s.vals[0], "1");
	ck_assert_str_eq(s.keys[1], "");
	ck_assert_int_eq(s.has_val[1], 0);
	ck_assert_str_eq(s.keys[2], "k");
	ck_assert_int_eq(s.has_val[2], 1);
	ck_assert_str_eq(s.vals[2], "");

	ck_assert(cmdline_split("", out, sizeof(out), NULL, NULL));
	ck_assert_str_eq(out, "");
	ck_assert(cmdline_split("fw.a fw.b", out, sizeof(out), NULL, NULL));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(cmdline_image_name)
{
	static const char *const image[] = { "fw.efi",	     "FW.EFI",
					     "\\fw.efi",     "\\a\\b",
					     "fs0:\\fw.efi", "fs0:fw",
					     "a/b.Efi" };
	static const char *const word[] = {
		"fw.payload=\\a\\b.elf",
		"fw.module=fs0:\\x",
		"ip=10.0.0.2::10.0.0.1:255.0.0.0::eth0:off",
		"console=ttyS0",
		"quiet",
		"efi",
		".ef",
		"",
		"x.efi=1",
	};
	for (size_t i = 0; i < sizeof(image) / sizeof(image[0]); i++) {
		ck_assert_msg(
			cmdline_is_image_name(image[i], strlen(image[i]), NULL),
			"%s", image[i]);
		ck_assert_msg(cmdline_is_image_name(image[i], strlen(image[i]),
						    "fw.efi"),
			      "%s", image[i]);
	}
	for (size_t i = 0; i < sizeof(word) / sizeof(word[0]); i++) {
		ck_assert_msg(
			!cmdline_is_image_name(word[i], strlen(word[i]), NULL),
			"%s", word[i]);
		ck_assert_msg(!cmdline_is_image_name(word[i], strlen(word[i]),
						     "fw.efi"),
			      "%s", word[i]);
	}
	/* Only the n bytes count: "fw.efi" within "fw.efi=1". */
	ck_assert(cmdline_is_image_name("fw.efi=1", 6, NULL));
}
END_TEST

/* The UEFI shell passes the command as typed: "fw" for \fw.efi. */
START_TEST(cmdline_image_name_as_loaded)
{
	ck_assert(!cmdline_is_image_name("fw", 2, NULL));
	ck_assert(cmdline_is_image_name("fw", 2, "fw.efi"));
	ck_assert(cmdline_is_image_name("FW", 2, "fw.efi"));
	ck_assert(cmdline_is_image_name("fw", 2, "FW.EFI"));
	ck_assert(cmdline_is_image_name("BootX64", 7, "BOOTX64.EFI"));
	ck_assert(cmdline_is_image_name("loader", 6, "loader"));
	/* other words, a longer or shorter name, '=' */
	ck_assert(!cmdline_is_image_name("fwx", 3, "fw.efi"));
	ck_assert(!cmdline_is_image_name("f", 1, "fw.efi"));
	ck_assert(!cmdline_is_image_name("fw.", 3, "fw.efi"));
	ck_assert(!cmdline_is_image_name("quiet", 5, "fw.efi"));
	ck_assert(!cmdline_is_image_name("fw=1", 4, "fw.efi"));
	ck_assert(!cmdline_is_image_name("fw", 2, ""));
	ck_assert(!cmdline_is_image_name("", 0, ""));
	ck_assert(!cmdline_is_image_name("fw", 2, "fw.elf"));
	ck_assert(cmdline_is_image_name("fw.elf", 6, "fw.elf"));
	/* only the n bytes count */
	ck_assert(cmdline_is_image_name("fw check.pvhfw=1", 2, "fw.efi"));
}
END_TEST

START_TEST(cmdline_too_long)
{
	char out[8];
	ck_assert(!cmdline_split("abc defg hij", out, sizeof(out), NULL, NULL));
	ck_assert_str_eq(out, "abc");
	ck_assert(cmdline_split("abc def", out, sizeof(out), NULL, NULL));
	ck_assert_str_eq(out, "abc def");

	/* 64 KiB of words into an 8 KiB buffer: refused, never overrun. */
	char *big = malloc(65537);
	for (int i = 0; i < 65536; i++)
		big[i] = (i % 8 == 7) ? ' ' : 'w';
	big[65536] = 0;
	char *dst = malloc(8192);
	ck_assert(!cmdline_split(big, dst, 8192, NULL, NULL));
	ck_assert_uint_lt(strlen(dst), 8192);
	free(big);
	free(dst);
}
END_TEST

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

START_TEST(linux_zero_page)
{
	static uint8_t bp[LINUX_BP_SIZE];
	static struct memmap mm;
	memset(bp, 0xAA, sizeof(bp));
	linux_bp_init(bp, 2047);
	ck_assert_uint_eq(bp[0x1FE] | bp[0x1FF] << 8, 0xAA55);
	ck_assert_uint_eq(rd32(bp + 0x202), 0x53726448);
	ck_assert_uint_eq(bp[0x210], 0xFF);
	ck_assert_uint_eq(bp[0x1EF], 0); /* sentinel */
	ck_assert_uint_eq(rd32(bp + 0x238), 2047);

	memmap_init(&mm);
	memmap_add(&mm, 0, 0x9fc00, MEMMAP_RAM);
	memmap_add(&mm, 0x100000, 0x1000000000ull, MEMMAP_RAM);
	memmap_add(&mm, 0xf0000, 0x10000, MEMMAP_RESERVED);
	ck_assert_int_eq(memmap_normalise(&mm), MEMMAP_OK);
	ck_assert_uint_eq(linux_bp_set_e820(bp, &mm), 0);
	ck_assert_uint_eq(bp[0x1E8], 3);
	ck_assert_uint_eq(rd64(bp + 0x2D0 + 2 * 20), 0x100000);
	ck_assert_uint_eq(rd64(bp + 0x2D0 + 2 * 20 + 8), 0x1000000000ull);
	ck_assert_uint_eq(rd32(bp + 0x2D0 + 2 * 20 + 16), 1);
	ck_assert_uint_eq(rd32(bp + 0x2D0 + 1 * 20 + 16), 2);

	linux_bp_set_cmdline(bp, 0x123456789ull);
	ck_assert_uint_eq(rd32(bp + 0x228), 0x23456789);
	ck_assert_uint_eq(rd32(bp + 0x0C8), 0x1);
	linux_bp_set_ramdisk(bp, 0x200000000ull, 0x100000001ull);
	ck_assert_uint_eq(rd32(bp + 0x218), 0);
	ck_assert_uint_eq(rd32(bp + 0x0C0), 2);
	ck_assert_uint_eq(rd32(bp + 0x21C), 1);
	ck_assert_uint_eq(rd32(bp + 0x0C4), 1);
	linux_bp_set_rsdp(bp, 0xf59e0);
	ck_assert_uint_eq(rd64(bp + 0x070), 0xf59e0);

	/* More than 128 entries: the rest is reported back. */
	memmap_init(&mm);
	for (int i = 0; i < 200; i++)
		memmap_add(&mm, (uint64_t)i * 0x2000, 0x1000,
			   i % 2 ? MEMMAP_RAM : MEMMAP_ACPI);
	ck_assert_int_eq(memmap_normalise(&mm), MEMMAP_OK);
	ck_assert_uint_eq(linux_bp_set_e820(bp, &mm), 200 - 128);
	ck_assert_uint_eq(bp[0x1E8], 128);
}
END_TEST

/* The naive scan view_find_u32 must agree with. */
static uint64_t find_ref(const uint8_t *b, uint64_t len, uint64_t from,
			 uint64_t to, uint64_t step, uint32_t value)
{
	for (uint64_t off = from; off < to; off += step) {
		if (off + 4 > len)
			break;
		uint32_t x = (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
			     (uint32_t)b[off + 2] << 16 |
			     (uint32_t)b[off + 3] << 24;
		if (x == value)
			return off;
	}
	return VIEW_NONE;
}

START_TEST(view_find_scans)
{
	static uint8_t b[300];
	const uint32_t magic = 0x1BADB002;
	struct view v = view_make(b, sizeof(b));

	memset(b, 0, sizeof(b));
	ck_assert_uint_eq(view_find_u32(&v, 0, sizeof(b), 4, magic), VIEW_NONE);
	b[100] = 0x02, b[101] = 0xB0, b[102] = 0xAD, b[103] = 0x1B;
	ck_assert_uint_eq(view_find_u32(&v, 0, sizeof(b), 4, magic), 100);
	ck_assert_uint_eq(view_find_u32(&v, 0, sizeof(b), 8, magic),
			  VIEW_NONE); /* 100 is not 8-aligned */
	ck_assert_uint_eq(view_find_u32(&v, 104, sizeof(b), 4, magic),
			  VIEW_NONE);
	ck_assert_uint_eq(view_find_u32(&v, 0, 100, 4, magic), VIEW_NONE);
	ck_assert_uint_eq(view_find_u32(&v, 0, 101, 4, magic), 100);
	/* A value that would end past the view is not found. */
	struct view shortv = view_make(b, 103);
	ck_assert_uint_eq(view_find_u32(&shortv, 0, 300, 4, magic), VIEW_NONE);
	ck_assert_uint_eq(view_find_u32(&v, 0, UINT64_MAX, 4, magic), 100);
	struct view tiny = view_make(b, 3);
	ck_assert_uint_eq(view_find_u32(&tiny, 0, 3, 1, 0), VIEW_NONE);
	ck_assert_uint_eq(view_find_u32(&v, 0, 300, 0, 0), VIEW_NONE);

	/* Random contents, every step and window, against the naive scan. */
	srand(7);
	for (int round = 0; round < 2000; round++) {
		uint64_t len = (uint64_t)(rand() % (int)sizeof(b));
		for (uint64_t i = 0; i < len; i++)
			b[i] = (uint8_t)(rand() % 3);
		uint32_t value = (uint32_t)(rand() % 3) * 0x01010101u;
		uint64_t step = 1 + (uint64_t)(rand() % 8);
		uint64_t from = (uint64_t)(rand() % 320);
		uint64_t to = (uint64_t)(rand() % 320);
		struct view r = view_make(b, len);
		ck_assert_uint_eq(view_find_u32(&r, from, to, step, value),
				  find_ref(b, len, from, to, step, value));
	}
}
END_TEST

Suite *lib_suite(void)
{
	Suite *s = suite_create("lib");
	TCase *t = tcase_create("fmt");
	tcase_add_test(t, fmt_conversions);
	tcase_add_test(t, fmt_truncates);
	suite_add_tcase(s, t);
	t = tcase_create("cmdline");
	tcase_add_test(t, cmdline_splits_words);
	tcase_add_test(t, cmdline_quotes_and_edges);
	tcase_add_test(t, cmdline_too_long);
	tcase_add_test(t, cmdline_image_name);
	tcase_add_test(t, cmdline_image_name_as_loaded);
	suite_add_tcase(s, t);
	t = tcase_create("view");
	tcase_add_test(t, view_find_scans);
	suite_add_tcase(s, t);
	t = tcase_create("linux");
	tcase_add_test(t, linux_zero_page);
	suite_add_tcase(s, t);
	return s;
}
