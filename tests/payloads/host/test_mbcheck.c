// SPDX-License-Identifier: MIT
/*
 * test_mbcheck.c: runs mbcheck's hardware-free code (mbcheck/walk.c: the
 * Multiboot 1 memory-map walk, the Multiboot 2 tag walk and memory-map
 * tag, strings in tags, the first command-line word) on the build machine,
 * against structures built byte by byte here. Prints "host-check mbcheck:
 * ok" or the failing cases and exits non-zero.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "walk.h"

static int failures;

#define EXPECT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

/* A reason must be NULL (want == NULL) or contain want. */
#define REASON(got, want)                                                      \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (w_ ? !g_ || !strstr(g_, w_) : g_ != NULL) {                \
			printf("FAIL %s:%d: got \"%s\", want \"%s\"\n",        \
			       __FILE__, __LINE__, g_ ? g_ : "(ok)",           \
			       w_ ? w_ : "(ok)");                              \
			failures++;                                            \
		}                                                              \
	} while (0)

static uint8_t buf[4096];
static size_t pos;

static void put32(uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[pos++] = (uint8_t)(v >> (8 * i));
}

static void put64(uint64_t v)
{
	put32((uint32_t)v);
	put32((uint32_t)(v >> 32));
}

static void set32(size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static void reset(void)
{
	memset(buf, 0xEE, sizeof(buf));
	pos = 0;
}

static void mb1_entry(uint32_t size, uint64_t addr, uint64_t len, uint32_t type)
{
	size_t start = pos;

	put32(size);
	put64(addr);
	put64(len);
	put32(type);
	while (pos < start + 4 + size) /* extra bytes a loader may add */
		buf[pos++] = 0;
}

static void test_mb1_mmap(void)
{
	struct mm_entry m[8];
	size_t n;
	uint32_t bad;

	/* QEMU's form: size 20, two entries. */
	reset();
	mb1_entry(20, 0, 0x9fc00, 1);
	mb1_entry(20, 0x100000, 0xff00000, 1);
	REASON(mb1_mmap_walk(buf, (uint32_t)pos, m, 8, &n, &bad), NULL);
	EXPECT(n == 2);
	EXPECT(m[1].addr == 0x100000 && m[1].size == 0xff00000 &&
	       m[1].type == 1);

	/* A larger stride (size 24): the walk follows the size field. */
	reset();
	mb1_entry(24, 0, 0x1000, 2);
	mb1_entry(20, 0x1000, 0x2000, 1);
	REASON(mb1_mmap_walk(buf, (uint32_t)pos, m, 8, &n, &bad), NULL);
	EXPECT(n == 2 && m[0].type == 2 && m[1].addr == 0x1000);

	/* size below 20 */
	reset();
	mb1_entry(20, 0, 0x1000, 1);
	mb1_entry(16, 0x1000, 0x1000, 1);
	REASON(mb1_mmap_walk(buf, 48, m, 8, &n, &bad), "below 20");
	EXPECT(bad == 24);

	/* mmap_length ends inside an entry */
	reset();
	mb1_entry(20, 0, 0x1000, 1);
	REASON(mb1_mmap_walk(buf, 20, m, 8, &n, &bad), "past mmap_length");
	reset();
	mb1_entry(20, 0, 0x1000, 1);
	REASON(mb1_mmap_walk(buf, 26, m, 8, &n, &bad), "size field");
	EXPECT(bad == 24);

	/* empty map, too many entries */
	REASON(mb1_mmap_walk(buf, 0, m, 8, &n, &bad), NULL);
	EXPECT(n == 0);
	reset();
	for (int i = 0; i < 3; i++)
		mb1_entry(20, (uint64_t)i << 12, 0x1000, 1);
	REASON(mb1_mmap_walk(buf, (uint32_t)pos, m, 2, &n, &bad), "too many");
}

/* A tag with a body of len bytes, then padding to 8. */
static size_t tag(uint32_t type, const void *body, uint32_t len)
{
	size_t at = pos;

	put32(type);
	put32(8 + len);
	memcpy(buf + pos, body, len);
	pos += len;
	while (pos % 8)
		buf[pos++] = 0;
	return at;
}

static void mb2_begin(void)
{
	reset();
	put32(0); /* total_size, set by mb2_end */
	put32(0);
}

static uint32_t mb2_end(void)
{
	put32(0);
	put32(8);
	set32(0, (uint32_t)pos);
	return (uint32_t)pos;
}

static void test_mb2_walk(void)
{
	struct mb2_tag t[16];
	size_t n;
	uint32_t bad, total;

	mb2_begin();
	tag(1, "kernel hi", 10);
	tag(2, "pvhfw", 6);
	total = mb2_end();
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad), NULL);
	EXPECT(n == 2 && t[0].type == 1 && t[0].off == 8 && t[0].size == 18 &&
	       t[1].off == 32 && t[1].type == 2);
	EXPECT(total == 56);

	/* the smallest: just the end tag */
	mb2_begin();
	mb2_end();
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad), NULL);
	EXPECT(n == 0);

	/* fixed part */
	REASON(mb2_tag_walk(buf, 4, t, 16, &n, &bad), "fewer than 8");
	set32(0, 8);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad), "below 16");
	set32(0, 20);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad),
	       "multiple of 8");
	set32(0, 16);
	REASON(mb2_tag_walk(buf, 15, t, 16, &n, &bad), "beyond");
	set32(4, 1);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad), "reserved");
	EXPECT(bad == 4);

	/* end tag of the wrong size, or not at total_size */
	mb2_begin();
	tag(1, "x", 2);
	mb2_end();
	set32(28, 16);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad),
	       "runs past total_size");
	mb2_begin();
	tag(1, "x", 2);
	mb2_end();
	set32(0, 40);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad),
	       "does not end at total_size");
	mb2_begin();
	put32(0);
	put32(16);
	put64(0);
	set32(0, (uint32_t)pos);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad),
	       "end tag size not 8");

	/* no end tag: the tags fill total_size */
	mb2_begin();
	tag(1, "abcdef", 7);
	set32(0, (uint32_t)pos);
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad), "run out");
	EXPECT(n == 1 && bad == 24);

	/* a tag smaller than its head */
	mb2_begin();
	put32(1);
	put32(4);
	mb2_end();
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 16, &n, &bad), "below 8");
	EXPECT(bad == 8);

	/* too many tags */
	mb2_begin();
	for (int i = 0; i < 3; i++)
		tag(1, "x", 2);
	mb2_end();
	REASON(mb2_tag_walk(buf, sizeof(buf), t, 2, &n, &bad), "too many");
}

static void test_mb2_mmap(void)
{
	struct mm_entry m[8];
	size_t n, at;
	long bad;

	mb2_begin();
	at = pos;
	put32(6);
	put32(16 + 2 * 24);
	put32(24);
	put32(0);
	put64(0);
	put64(0x9fc00);
	put32(1);
	put32(0);
	put64(0x100000);
	put64(0x1000000);
	put32(1);
	put32(0);
	REASON(mb2_mmap_parse(buf + at, 64, m, 8, &n, &bad), NULL);
	EXPECT(n == 2 && m[1].addr == 0x100000 && m[1].size == 0x1000000);
	REASON(mb2_mmap_parse(buf + at, 63, m, 8, &n, &bad), "multiple");
	REASON(mb2_mmap_parse(buf + at, 12, m, 8, &n, &bad), "below 16");
	REASON(mb2_mmap_parse(buf + at, 64, m, 1, &n, &bad), "too many");
	set32(at + 16 + 24 + 20, 7);
	REASON(mb2_mmap_parse(buf + at, 64, m, 8, &n, &bad), "reserved");
	EXPECT(bad == 1 && n == 2);
	set32(at + 12, 1);
	REASON(mb2_mmap_parse(buf + at, 64, m, 8, &n, &bad), "entry_version");
	set32(at + 8, 20);
	REASON(mb2_mmap_parse(buf + at, 64, m, 8, &n, &bad), "entry_size");
}

/* One 48-byte EFI memory descriptor. */
static void efi_desc(uint32_t type, uint64_t start, uint64_t pages)
{
	put32(type);
	put32(0);
	put64(start);
	put64(0);
	put64(pages);
	put64(0xf);
	put64(0);
}

static void test_mb2_efimap(void)
{
	size_t at;
	long bad;
	uint32_t type;

	mb2_begin();
	at = pos;
	put32(17);
	put32(16 + 4 * 48);
	put32(48);
	put32(1);
	efi_desc(7, 0x100000, 0x100); /* 0x100000-0x200000 free */
	efi_desc(2, 0x200000, 0x100); /* 0x200000-0x300000 loader data */
	efi_desc(4, 0x300000, 0x10);  /* 0x300000-0x310000 boot data */
	efi_desc(3, 0x310000, 0x10);  /* 0x310000-0x320000 boot code */
	REASON(mb2_efimap_check(buf + at, 208, 0x200000, 0x300000, &bad, &type),
	       NULL);
	REASON(mb2_efimap_check(buf + at, 208, 0x310000, 0x320000, &bad, &type),
	       "free");
	EXPECT(bad == 3 && type == 3);
	REASON(mb2_efimap_check(buf + at, 208, 0x1fffff, 0x200001, &bad, &type),
	       "free");
	EXPECT(bad == 0 && type == 7);
	REASON(mb2_efimap_check(buf + at, 208, 0x2ff000, 0x300001, &bad, &type),
	       "free");
	EXPECT(bad == 2 && type == 4);
	/* Outside every descriptor: nothing to judge. */
	REASON(mb2_efimap_check(buf + at, 208, 0x400000, 0x500000, &bad, &type),
	       NULL);
	/* A partial last descriptor is not read. */
	REASON(mb2_efimap_check(buf + at, 207, 0x310000, 0x320000, &bad, &type),
	       NULL);
	REASON(mb2_efimap_check(buf + at, 15, 0, 1, &bad, &type), "below 16");
	set32(at + 8, 44);
	REASON(mb2_efimap_check(buf + at, 208, 0, 1, &bad, &type),
	       "descriptor_size");
	EXPECT(bad == -1);
}

static void test_strings(void)
{
	const char *w, *rest;
	size_t wl, len;

	EXPECT(mb_str_in("abc", 4, &len) && len == 3);
	EXPECT(!mb_str_in("abc", 3, &len));
	EXPECT(mb_str_in("", 1, &len) && len == 0);
	EXPECT(!mb_str_in("abc", 0, &len));

	EXPECT(mb_first_word("kernel hi there", &w, &wl, &rest));
	EXPECT(wl == 6 && !strncmp(w, "kernel", 6) &&
	       !strcmp(rest, "hi there"));
	EXPECT(mb_first_word("  \tkernel", &w, &wl, &rest));
	EXPECT(wl == 6 && !strcmp(rest, ""));
	EXPECT(mb_first_word("a.elf \n x", &w, &wl, &rest));
	EXPECT(wl == 5 && !strcmp(rest, "x"));
	EXPECT(!mb_first_word(" \t ", &w, &wl, &rest) && !*rest);

	{
		static const uint8_t b[] = { 1, 2, 0xFD };

		EXPECT(mb_sum8(b, 3) == 0);
		EXPECT(mb_sum8(b, 2) == 3);
	}
}

int main(void)
{
	test_mb1_mmap();
	test_mb2_walk();
	test_mb2_mmap();
	test_mb2_efimap();
	test_strings();
	if (failures) {
		printf("host-check mbcheck: %d failure(s)\n", failures);
		return 1;
	}
	printf("host-check mbcheck: ok\n");
	return 0;
}
