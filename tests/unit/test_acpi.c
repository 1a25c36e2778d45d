// SPDX-License-Identifier: MIT
/*
 * test_acpi.c: unit tests of acpi_rsdp_check, acpi_rsdp_find and
 * acpi_strerror. A 2 MiB host buffer stands in for guest physical memory;
 * tests about the end of memory use a buffer of exactly the view's size so
 * AddressSanitizer catches any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "../../acpi/acpi.h"
#include "suites.h"

#define MEM_SIZE (2u << 20)
#define EBDA_SEG 0x9fc0
#define EBDA_BASE 0x9fc00

static uint8_t *mem;
static struct view phys;

static void setup(void)
{
	mem = calloc(1, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
	phys = view_make(mem, MEM_SIZE);
}

static void teardown(void)
{
	free(mem);
	mem = NULL;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/*
 * Writes an RSDP at p with correct checksums. For revision >= 2 the length
 * field is `length` and the extended checksum covers max(length, 36) bytes
 * (length < 36 is for the error tests; bytes past 36 are left as they are).
 */
static void make_rsdp(uint8_t *p, uint8_t rev, uint32_t rsdt, uint32_t length,
		      uint64_t xsdt)
{
	memcpy(p, "RSD PTR ", 8);
	p[8] = 0;
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = rev;
	put_u32(p + 16, rsdt);
	p[8] = (uint8_t)(0 - sum(p, 20));
	if (rev >= 2) {
		uint32_t n = length < 36 ? 36 : length;
		put_u32(p + 20, length);
		put_u64(p + 24, xsdt);
		p[32] = 0;
		p[33] = p[34] = p[35] = 0;
		p[32] = (uint8_t)(0 - sum(p, n));
	}
}

START_TEST(test_strerror)
{
	ck_assert_str_eq(acpi_strerror(ACPI_E_RANGE), "RSDP is outside memory");
	ck_assert_str_eq(acpi_strerror(ACPI_E_SIGNATURE), "bad RSDP signature");
	ck_assert_str_eq(acpi_strerror(ACPI_E_CHECKSUM), "bad RSDP checksum");
	ck_assert_str_eq(acpi_strerror(ACPI_E_LENGTH), "bad RSDP length");
	ck_assert_str_eq(acpi_strerror(ACPI_E_XCHECKSUM),
			 "bad RSDP extended checksum");
	ck_assert_str_eq(acpi_strerror(ACPI_E_NOT_FOUND), "no RSDP found");
	ck_assert_ptr_nonnull(acpi_strerror(ACPI_OK));
	ck_assert_ptr_nonnull(acpi_strerror((enum acpi_err)999));
}
END_TEST

START_TEST(test_check_v1)
{
	struct acpi_rsdp r;
	make_rsdp(mem + 0xf5a30, 0, 0x7ffe1a2b, 0, 0);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0xf5a30, &r), ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xf5a30);
	ck_assert_uint_eq(r.revision, 0);
	ck_assert_uint_eq(r.length, 20);
	ck_assert_uint_eq(r.rsdt, 0x7ffe1a2b);
	ck_assert_uint_eq(r.xsdt, 0);
	ck_assert_str_eq(r.oem, "BOCHS ");

	/* Revision 1 has no ACPI 2.0 part either; bytes 20+ are ignored. */
	make_rsdp(mem + 0x1000, 1, 0x1234, 0, 0);
	memset(mem + 0x1014, 0xff, 16);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x1000, &r), ACPI_OK);
	ck_assert_uint_eq(r.revision, 1);
	ck_assert_uint_eq(r.length, 20);
	ck_assert_uint_eq(r.xsdt, 0);
}
END_TEST

START_TEST(test_check_v2)
{
	struct acpi_rsdp r;
	make_rsdp(mem + 0xa0000, 2, 0x7ffe0000, 36, 0x17ffe0100);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0xa0000, &r), ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xa0000);
	ck_assert_uint_eq(r.revision, 2);
	ck_assert_uint_eq(r.length, 36);
	ck_assert_uint_eq(r.rsdt, 0x7ffe0000);
	ck_assert_uint_eq(r.xsdt, 0x17ffe0100);
	ck_assert_str_eq(r.oem, "BOCHS ");

	/* A longer table: the extended checksum covers all of it. */
	memset(mem + 0xb0024, 0x5c, 12);
	make_rsdp(mem + 0xb0000, 3, 0, 48, 0xfee00000);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0xb0000, &r), ACPI_OK);
	ck_assert_uint_eq(r.length, 48);
	ck_assert_uint_eq(r.revision, 3);
	mem[0xb002f] ^= 0x10;
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0xb0000, &r), ACPI_E_XCHECKSUM);
}
END_TEST

START_TEST(test_check_oem)
{
	/* The OEMID is copied raw and always NUL-terminated. */
	struct acpi_rsdp r;
	memcpy(mem + 0x2000, "RSD PTR ", 8);
	memcpy(mem + 0x2009, "ABCDEF", 6);
	mem[0x2008] = (uint8_t)(0 - sum(mem + 0x2000, 20));
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x2000, &r), ACPI_OK);
	ck_assert_str_eq(r.oem, "ABCDEF");
	ck_assert_int_eq(r.oem[6], 0);
}
END_TEST

START_TEST(test_check_errors)
{
	struct acpi_rsdp r, before;
	memset(&r, 0x5a, sizeof(r));
	memcpy(&before, &r, sizeof(r));

	ck_assert_int_eq(acpi_rsdp_check(&phys, MEM_SIZE, &r), ACPI_E_RANGE);
	ck_assert_int_eq(acpi_rsdp_check(&phys, MEM_SIZE - 19, &r),
			 ACPI_E_RANGE);
	ck_assert_int_eq(acpi_rsdp_check(&phys, UINT64_MAX - 5, &r),
			 ACPI_E_RANGE);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x1000, &r), ACPI_E_SIGNATURE);

	make_rsdp(mem + 0x1000, 0, 0x1234, 0, 0);
	mem[0x1007] = 'X';
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x1000, &r), ACPI_E_SIGNATURE);
	make_rsdp(mem + 0x1000, 0, 0x1234, 0, 0);
	memcpy(mem + 0x1000, "RSD PTR", 8); /* NUL instead of the space */
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x1000, &r), ACPI_E_SIGNATURE);

	make_rsdp(mem + 0x1000, 0, 0x1234, 0, 0);
	mem[0x1013] ^= 1;
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x1000, &r), ACPI_E_CHECKSUM);

	/* Revision 2 with a length of 20, and of 35. */
	make_rsdp(mem + 0x2000, 2, 0x1234, 20, 0x5678);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x2000, &r), ACPI_E_LENGTH);
	make_rsdp(mem + 0x2000, 2, 0x1234, 35, 0x5678);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x2000, &r), ACPI_E_LENGTH);
	make_rsdp(mem + 0x2000, 2, 0x1234, 0, 0x5678);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x2000, &r), ACPI_E_LENGTH);

	make_rsdp(mem + 0x3000, 2, 0x1234, 36, 0x5678);
	mem[0x3000 + 30] ^= 0x80;
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x3000, &r), ACPI_E_XCHECKSUM);

	/* A length that runs past the end of memory. */
	make_rsdp(mem + MEM_SIZE - 36, 2, 0x1234, 36, 0x5678);
	ck_assert_int_eq(acpi_rsdp_check(&phys, MEM_SIZE - 36, &r), ACPI_OK);
	memset(&r, 0x5a, sizeof(r));
	put_u32(mem + MEM_SIZE - 36 + 20, 37);
	ck_assert_int_eq(acpi_rsdp_check(&phys, MEM_SIZE - 36, &r),
			 ACPI_E_RANGE);
	make_rsdp(mem + 0x4000, 2, 0x1234, 36, 0);
	put_u32(mem + 0x4000 + 20, UINT32_MAX);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x4000, &r), ACPI_E_RANGE);

	/* *out is only written on success. */
	ck_assert_mem_eq(&r, &before, sizeof(r));
}
END_TEST

START_TEST(test_check_end_of_memory)
{
	struct acpi_rsdp r;
	/* Exactly-sized buffers so ASan would see a read past the view. */
	for (size_t len = 20; len <= 40; len++) {
		uint8_t *m = calloc(1, len);
		ck_assert_ptr_nonnull(m);
		struct view v = view_make(m, len);
		/* A valid revision-0 RSDP ending at the end of memory. */
		make_rsdp(m + len - 20, 0, 0x1234, 0, 0);
		ck_assert_int_eq(acpi_rsdp_check(&v, len - 20, &r), ACPI_OK);
		ck_assert_int_eq(acpi_rsdp_check(&v, len - 19, &r),
				 ACPI_E_RANGE);
		free(m);
	}
	for (size_t len = 20; len < 36; len++) {
		/* Revision 2 cut off before its length field or its end. */
		uint8_t *m = calloc(1, len);
		uint8_t full[36];
		ck_assert_ptr_nonnull(m);
		struct view v = view_make(m, len);
		make_rsdp(full, 2, 0x1234, 36, 0x5678);
		memcpy(m, full, len);
		ck_assert_int_eq(acpi_rsdp_check(&v, 0, &r), ACPI_E_RANGE);
		free(m);
	}
}
END_TEST

START_TEST(test_find_hint)
{
	struct acpi_rsdp r;
	enum acpi_err he = ACPI_E_NOT_FOUND;
	/* A valid hint wins over the scanned areas; it need not be aligned. */
	make_rsdp(mem + 0x12345, 2, 0xaaaa, 36, 0xbbbb);
	make_rsdp(mem + 0xe0000, 0, 0xcccc, 0, 0);
	put_u16(mem + 0x40e, EBDA_SEG);
	make_rsdp(mem + EBDA_BASE, 0, 0xdddd, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x12345, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_OK);
	ck_assert_uint_eq(r.addr, 0x12345);
	ck_assert_uint_eq(r.xsdt, 0xbbbb);
	/* hint_err may be NULL. */
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x12345, &r, NULL), ACPI_OK);
}
END_TEST

START_TEST(test_find_hint_bad_then_ebda)
{
	struct acpi_rsdp r;
	enum acpi_err he;
	put_u16(mem + 0x40e, EBDA_SEG);
	make_rsdp(mem + EBDA_BASE + 0x30, 0, 0xdddd, 0, 0);
	make_rsdp(mem + 0xe0000, 0, 0xcccc, 0, 0);

	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x12340, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_E_SIGNATURE);
	ck_assert_uint_eq(r.addr, EBDA_BASE + 0x30);
	ck_assert_uint_eq(r.rsdt, 0xdddd);

	ck_assert_int_eq(acpi_rsdp_find(&phys, UINT64_MAX, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_E_RANGE);

	make_rsdp(mem + 0x12340, 0, 0x1, 0, 0);
	mem[0x12340 + 19] ^= 1;
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x12340, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_E_CHECKSUM);
	ck_assert_uint_eq(r.addr, EBDA_BASE + 0x30);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x12340, &r, NULL), ACPI_OK);
}
END_TEST

START_TEST(test_find_ebda_rules)
{
	struct acpi_rsdp r;
	enum acpi_err he = ACPI_E_RANGE;
	put_u16(mem + 0x40e, EBDA_SEG);

	/* The last 16-byte slot of the first KiB is scanned. */
	make_rsdp(mem + EBDA_BASE + 0x3f0, 0, 0x1, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_OK);
	ck_assert_uint_eq(r.addr, EBDA_BASE + 0x3f0);

	/* Past the first KiB, or not on a 16-byte boundary: not found. */
	memset(mem + EBDA_BASE, 0, 0x1000);
	make_rsdp(mem + EBDA_BASE + 0x400, 0, 0x2, 0, 0);
	make_rsdp(mem + EBDA_BASE + 0x108, 0, 0x3, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, &he), ACPI_E_NOT_FOUND);
	ck_assert_int_eq(he, ACPI_OK);

	/* Segment 0 means no EBDA: address 0 is not scanned. */
	make_rsdp(mem, 0, 0x4, 0, 0);
	put_u16(mem + 0x40e, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_E_NOT_FOUND);
}
END_TEST

START_TEST(test_find_bios_area)
{
	struct acpi_rsdp r;
	enum acpi_err he;
	/* An EBDA without an RSDP, then the BIOS area. */
	put_u16(mem + 0x40e, EBDA_SEG);
	make_rsdp(mem + 0xf5a30, 2, 0x7ffe1a2b, 36, 0x7ffe1b00);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xf5a30);
	ck_assert_uint_eq(r.revision, 2);

	/* The first valid candidate wins; broken ones are skipped. */
	make_rsdp(mem + 0xe1000, 0, 0x1, 0, 0);
	mem[0xe1000 + 10] ^= 1;
	make_rsdp(mem + 0xe2000, 0, 0x2, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xe2000);

	/* The first and last slots; the EBDA comes first. */
	memset(mem + 0xe0000, 0, 0x20000);
	make_rsdp(mem + 0xffff0, 0, 0x3, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xffff0);
	make_rsdp(mem + 0xe0000, 0, 0x4, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xe0000);
	make_rsdp(mem + EBDA_BASE, 0, 0x5, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_OK);
	ck_assert_uint_eq(r.addr, EBDA_BASE);
}
END_TEST

START_TEST(test_find_not_found)
{
	struct acpi_rsdp r;
	enum acpi_err he;
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, &he), ACPI_E_NOT_FOUND);
	ck_assert_int_eq(he, ACPI_OK);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x1000, &r, &he),
			 ACPI_E_NOT_FOUND);
	ck_assert_int_eq(he, ACPI_E_SIGNATURE);

	/* Outside the scanned areas, unaligned, or just past 0xFFFFF. */
	make_rsdp(mem + 0xdfff0, 0, 0x1, 0, 0);
	make_rsdp(mem + 0xe0008, 0, 0x2, 0, 0);
	make_rsdp(mem + 0x100000, 0, 0x3, 0, 0);
	make_rsdp(mem + 0x80000, 0, 0x4, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_E_NOT_FOUND);

	/* An empty view. */
	struct view empty = view_make(mem, 0);
	ck_assert_int_eq(acpi_rsdp_find(&empty, 0x10, &r, &he),
			 ACPI_E_NOT_FOUND);
	ck_assert_int_eq(he, ACPI_E_RANGE);
}
END_TEST

START_TEST(test_find_end_of_view)
{
	struct acpi_rsdp r;
	enum acpi_err he;
	uint8_t full[36];

	/* The signature of the first candidate is the last 8 bytes. */
	size_t len = 0xe0008;
	uint8_t *m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	struct view v = view_make(m, len);
	make_rsdp(full, 0, 0x1, 0, 0);
	memcpy(m + 0xe0000, full, 8);
	ck_assert_int_eq(acpi_rsdp_find(&v, 0, &r, &he), ACPI_E_NOT_FOUND);
	free(m);

	/* A revision-2 candidate whose extended part is cut off. */
	len = 0xe0000 + 30;
	m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	v = view_make(m, len);
	make_rsdp(full, 2, 0x1, 36, 0x2);
	memcpy(m + 0xe0000, full, 30);
	ck_assert_int_eq(acpi_rsdp_find(&v, 0, &r, NULL), ACPI_E_NOT_FOUND);
	free(m);

	/* A valid revision-0 RSDP ending exactly at the end: found. */
	len = 0xf0000 + 20;
	m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	v = view_make(m, len);
	make_rsdp(m + 0xf0000, 0, 0x1, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&v, 0, &r, NULL), ACPI_OK);
	ck_assert_uint_eq(r.addr, 0xf0000);
	free(m);

	/* An EBDA that starts inside the view and runs off its end. */
	len = EBDA_BASE + 0x100 + 12;
	m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	v = view_make(m, len);
	put_u16(m + 0x40e, EBDA_SEG);
	make_rsdp(full, 0, 0x1, 0, 0);
	memcpy(m + EBDA_BASE + 0x100, full, 12);
	ck_assert_int_eq(acpi_rsdp_find(&v, 0, &r, NULL), ACPI_E_NOT_FOUND);
	free(m);

	/* An EBDA outside the view, and a view too short for its pointer. */
	len = 0x80000;
	m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	v = view_make(m, len);
	put_u16(m + 0x40e, EBDA_SEG);
	ck_assert_int_eq(acpi_rsdp_find(&v, 0, &r, NULL), ACPI_E_NOT_FOUND);
	free(m);
	len = 0x40f;
	m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	v = view_make(m, len);
	ck_assert_int_eq(acpi_rsdp_find(&v, 0, &r, NULL), ACPI_E_NOT_FOUND);
	free(m);
}
END_TEST

/* A fixed-seed xorshift64 so the fuzz loop is reproducible. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

/* Random bytes in [at, at + n) of a buffer of len bytes. */
static void scribble(uint8_t *m, size_t len, uint64_t at, size_t n)
{
	for (size_t i = 0; i < n && at + i < len; i++)
		m[at + i] = (uint8_t)rng();
}

/*
 * Views of random length over exactly-sized buffers, with random bytes in the
 * BDA, the EBDA and the BIOS area and RSDP-like candidates (some valid, some
 * damaged, some cut off by the end of the view) planted at random places.
 */
START_TEST(test_fuzz)
{
	rng_state = 0x243f6a8885a308d3ull;
	for (int iter = 0; iter < 1000; iter++) {
		size_t len = (size_t)(rng() % 0x100040);
		uint8_t *m = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(m);
		struct view v = view_make(m, len);
		memset(m, 0, len);

		scribble(m, len, 0x400, 0x20);
		if (rng() % 2 && len >= 0x410)
			put_u16(m + 0x40e,
				(uint16_t)(rng() % 2 ? EBDA_SEG : rng()));
		scribble(m, len, EBDA_BASE, 0x400);
		scribble(m, len, 0xe0000 + rng() % 0x20000, 0x100);

		int plants = (int)(rng() % 6);
		for (int p = 0; p < plants; p++) {
			uint8_t c[64];
			uint64_t r = rng();
			uint64_t at = (r % 3 == 0)   ? EBDA_BASE + rng() % 0x400
				      : (r % 3 == 1) ? 0xe0000 + rng() % 0x20000
						     : len - rng() % 64;
			at &= rng() % 2 ? ~(uint64_t)15 : ~(uint64_t)0;
			uint8_t rev = (uint8_t)(rng() % 4);
			uint32_t length =
				(uint32_t)(rng() % 3 == 0 ? rng() % 80 : 36);
			for (size_t i = 0; i < sizeof(c); i++)
				c[i] = (uint8_t)rng();
			make_rsdp(c, rev, (uint32_t)rng(),
				  length > 64 ? 64 : length, rng());
			if (rng() % 4 == 0)
				c[rng() % 36] ^= (uint8_t)(1 + rng() % 255);
			for (size_t i = 0; i < sizeof(c) && at + i < len; i++)
				m[at + i] = c[i];
		}

		uint64_t hint = 0;
		switch (rng() % 4) {
		case 1:
			hint = rng();
			break;
		case 2:
			hint = len - rng() % 64;
			break;
		case 3:
			hint = rng() % (len + 1);
			break;
		}
		struct acpi_rsdp r;
		enum acpi_err he;
		enum acpi_err err = acpi_rsdp_find(&v, hint, &r, &he);
		ck_assert_int_le(he, ACPI_E_XCHECKSUM);
		if (hint == 0)
			ck_assert_int_eq(he, ACPI_OK);
		if (err == ACPI_OK) {
			struct acpi_rsdp again;
			ck_assert_int_eq(acpi_rsdp_check(&v, r.addr, &again),
					 ACPI_OK);
			ck_assert_uint_eq(r.addr, again.addr);
			ck_assert_uint_eq(r.revision, again.revision);
			ck_assert_uint_eq(r.length, again.length);
			ck_assert_uint_eq(r.rsdt, again.rsdt);
			ck_assert_uint_eq(r.xsdt, again.xsdt);
			ck_assert_mem_eq(r.oem, again.oem, sizeof(r.oem));
			ck_assert(view_has(&v, r.addr, r.length));
			ck_assert_uint_ge(r.length, 20);
		} else {
			ck_assert_int_eq(err, ACPI_E_NOT_FOUND);
		}
		free(m);
	}
}
END_TEST

Suite *acpi_suite(void)
{
	Suite *s = suite_create("acpi");
	TCase *tc;

	tc = tcase_create("check");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_check_v1);
	tcase_add_test(tc, test_check_v2);
	tcase_add_test(tc, test_check_oem);
	tcase_add_test(tc, test_check_errors);
	tcase_add_test(tc, test_check_end_of_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("find");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_find_hint);
	tcase_add_test(tc, test_find_hint_bad_then_ebda);
	tcase_add_test(tc, test_find_ebda_rules);
	tcase_add_test(tc, test_find_bios_area);
	tcase_add_test(tc, test_find_not_found);
	tcase_add_test(tc, test_find_end_of_view);
	tcase_add_test(tc, test_fuzz);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	return s;
}
