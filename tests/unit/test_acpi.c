// SPDX-License-Identifier: MIT
/*
 * test_acpi.c: unit tests of acpi_rsdp_check, acpi_rsdp_find,
 * acpi_strerror, and the table functions (acpi_find_table, acpi_fadt_parse,
 * acpi_s5_slp_typ, acpi_poweroff_plan). A 2 MiB host buffer stands in for guest
 * physical memory; tests about the end of memory use a buffer of exactly the
 * view's size so AddressSanitizer catches any read past it.
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
	/* Past ACPI_RSDP_MAX_LEN: refused before anything past 36 is read. */
	make_rsdp(mem + 0x4000, 2, 0x1234, 36, 0);
	put_u32(mem + 0x4000 + 20, UINT32_MAX);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x4000, &r), ACPI_E_LENGTH);
	make_rsdp(mem + 0x5000, 2, 0x1234, 4097, 0x5678);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x5000, &r), ACPI_E_LENGTH);

	/* *out is only written on success. */
	ck_assert_mem_eq(&r, &before, sizeof(r));
}
END_TEST

START_TEST(test_check_length_bound)
{
	/* Lengths up to ACPI_RSDP_MAX_LEN are taken, with the whole sum. */
	struct acpi_rsdp r;
	memset(mem + 0x100000, 0x77, MEM_SIZE - 0x100000);
	make_rsdp(mem + 0x100000, 2, 0x1234, ACPI_RSDP_MAX_LEN, 0x5678);
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x100000, &r), ACPI_OK);
	ck_assert_uint_eq(r.length, 4096);
	mem[0x100000 + 4095] ^= 1;
	ck_assert_int_eq(acpi_rsdp_check(&phys, 0x100000, &r),
			 ACPI_E_XCHECKSUM);

	/* Longer, with a right checksum over the claimed length: refused. */
	static const uint32_t lens[] = { ACPI_RSDP_MAX_LEN + 1, 0x10000,
					 0x100000 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		make_rsdp(mem + 0x100000, 2, 0x1234, lens[i], 0x5678);
		ck_assert_int_eq(sum(mem + 0x100000, lens[i]), 0);
		ck_assert_int_eq(acpi_rsdp_check(&phys, 0x100000, &r),
				 ACPI_E_LENGTH);
	}

	/* A hint of 1 MiB (to the end of the view) is refused as such, and
	 * the scan goes on. */
	enum acpi_err he;
	make_rsdp(mem + 0xe0000, 0, 0xcccc, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0x100000, &r, &he), ACPI_OK);
	ck_assert_int_eq(he, ACPI_E_LENGTH);
	ck_assert_uint_eq(r.addr, 0xe0000);
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

START_TEST(test_prefer)
{
	/* Valid RSDPs at 0x1000 (2.0) and 0x2000 (1.0); 0x3000 holds none. */
	make_rsdp(mem + 0x1000, 2, 0x1234, 36, 0x5678);
	make_rsdp(mem + 0x2000, 0, 0x1234, 0, 0);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0x1000, 0x2000), 0x1000);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0x2000, 0x1000), 0x2000);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0x3000, 0x2000), 0x2000);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0x1000, 0x3000), 0x1000);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0, 0x2000), 0x2000);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0x1000, 0), 0x1000);
	/* Neither valid: the first non-zero one, for the caller to report. */
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0x3000, MEM_SIZE), 0x3000);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0, MEM_SIZE), MEM_SIZE);
	ck_assert_uint_eq(acpi_rsdp_prefer(&phys, 0, 0), 0);

	/* Folded as platform_efi.c does: 2.0 entries, then 1.0 entries. */
	static const uint64_t bad2_good1[] = { 0x3000, MEM_SIZE, 0x2000 };
	static const uint64_t good2_late[] = { 0x3000, 0x1000, 0x2000 };
	static const uint64_t none[] = { MEM_SIZE, 0x3000 };
	uint64_t best = 0;
	for (size_t i = 0; i < 3; i++)
		best = acpi_rsdp_prefer(&phys, best, bad2_good1[i]);
	ck_assert_uint_eq(best, 0x2000);
	best = 0;
	for (size_t i = 0; i < 3; i++)
		best = acpi_rsdp_prefer(&phys, best, good2_late[i]);
	ck_assert_uint_eq(best, 0x1000);
	best = 0;
	for (size_t i = 0; i < 2; i++)
		best = acpi_rsdp_prefer(&phys, best, none[i]);
	ck_assert_uint_eq(best, MEM_SIZE);
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

/*
 * Tables. The standard layout in the 2 MiB buffer, modelled on QEMU q35
 * (PM base 0x600, reset register 0xcf9):
 *   RSDP (rev 2) at T_RSDP -> XSDT at T_XSDT: APIC, FACP, SSDT, SSDT
 *                          -> RSDT at T_RSDT: the same tables
 *   FACP (rev 3, 244 bytes) -> DSDT at T_DSDT with Name(_S5, ...)
 */
#define T_RSDP 0xe0000
#define T_XSDT 0x100000
#define T_RSDT 0x100800
#define T_FACP 0x101000
#define T_APIC 0x102000
#define T_DSDT 0x103000
#define T_SSDT 0x104000
#define T_SSDT2 0x105000
#define T_FACP2 0x106000

#define FADT_LEN_V3 244
#define FADT_LEN_V5 268
#define FADT_LEN_V6 276

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Sets the checksum byte so the table's `length` bytes sum to 0. */
static void sdt_sum(uint8_t *t)
{
	t[9] = 0;
	t[9] = (uint8_t)(0 - sum(t, get_u32(t + 4)));
}

/* Writes a 36-byte header (checksum 0: call sdt_sum after the body). */
static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put_u32(t + 4, len);
	t[8] = rev;
	t[9] = 0;
	memcpy(t + 10, "PVHFW ", 6);
	memcpy(t + 16, "UNITTEST", 8);
	put_u32(t + 24, 1);
	memcpy(t + 28, "PVHT", 4);
	put_u32(t + 32, 0x20240101);
}

/* A table with a body of `fill` bytes. */
static void make_sdt(uint8_t *t, const char *sig, uint32_t len, uint8_t fill)
{
	memset(t + 36, fill, len - 36);
	sdt_header(t, sig, len, 1);
	sdt_sum(t);
}

static void make_xsdt(uint8_t *t, const uint64_t *entries, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		put_u64(t + 36 + 8 * i, entries[i]);
	sdt_header(t, "XSDT", 36 + 8 * n, 1);
	sdt_sum(t);
}

static void make_rsdt(uint8_t *t, const uint64_t *entries, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		put_u32(t + 36 + 4 * i, (uint32_t)entries[i]);
	sdt_header(t, "RSDT", 36 + 4 * n, 1);
	sdt_sum(t);
}

static void put_gas(uint8_t *p, uint8_t space, uint8_t width, uint64_t addr)
{
	p[0] = space;
	p[1] = width;
	p[2] = 0;
	p[3] = 1; /* byte access */
	put_u64(p + 4, addr);
}

/*
 * A FADT of len bytes at t like QEMU's q35 one: DSDT at T_DSDT, PM1a_EVT
 * 0x600, PM1a_CNT 0x604, PM_TMR 0x608, GPE0 0xafe0, flags with
 * RESET_REG_SUP, reset register I/O 0xcf9 value 0x0f. Only the first len
 * bytes of the full (276-byte) layout are written; the X_ fields are 0.
 */
static void make_fadt(uint8_t *t, uint32_t len, uint8_t rev)
{
	uint8_t f[FADT_LEN_V6];
	memset(f, 0, sizeof(f));
	put_u32(f + 40, T_DSDT);
	put_u16(f + 46, 9);	 /* SCI_INT */
	put_u32(f + 48, 0xb2);	 /* SMI_CMD */
	f[52] = 0xf1;		 /* ACPI_ENABLE */
	f[53] = 0xf0;		 /* ACPI_DISABLE */
	put_u32(f + 56, 0x600);	 /* PM1a_EVT_BLK */
	put_u32(f + 64, 0x604);	 /* PM1a_CNT_BLK */
	put_u32(f + 76, 0x608);	 /* PM_TMR_BLK */
	put_u32(f + 80, 0xafe0); /* GPE0_BLK */
	f[88] = 4;
	f[89] = 2;
	f[91] = 4;
	f[92] = 16;
	put_u32(f + 112, 0x84a5); /* flags: ..., RESET_REG_SUP */
	put_gas(f + 116, 1, 8, 0xcf9);
	f[128] = 0x0f;
	memcpy(t, f, len < sizeof(f) ? len : sizeof(f));
	if (len > sizeof(f))
		memset(t + sizeof(f), 0, len - sizeof(f));
	sdt_header(t, "FACP", len, rev);
	sdt_sum(t);
}

/* A DSDT at t whose body is the n bytes at body. */
static void make_dsdt(uint8_t *t, const uint8_t *body, uint32_t n)
{
	memcpy(t + 36, body, n);
	sdt_header(t, "DSDT", 36 + n, 2);
	sdt_sum(t);
}

/* QEMU pc/q35: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }). */
static const uint8_t aml_s5_q35[] = { 0x10, 0x40, 0x0c, 0x5c, /* noise */
				      0x08, '_',  'S',	'5',  '_',  0x12,
				      0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };

/* QEMU microvm: Scope (\) { Name (_S5, Package (4) { 5, Zero, ... }) }. */
static const uint8_t aml_s5_microvm[] = { 0x10, 0x10, 0x5c, 0x00, 0x08, '_',
					  'S',	'5',  '_',  0x12, 0x07, 0x04,
					  0x0a, 0x05, 0x00, 0x00, 0x00 };

/* The standard layout; returns the RSDP as acpi_rsdp_check sees it. */
static struct acpi_rsdp make_std(void)
{
	uint64_t e[4] = { T_APIC, T_FACP, T_SSDT, T_SSDT2 };
	struct acpi_rsdp r;
	make_rsdp(mem + T_RSDP, 2, T_RSDT, 36, T_XSDT);
	make_xsdt(mem + T_XSDT, e, 4);
	make_rsdt(mem + T_RSDT, e, 4);
	make_fadt(mem + T_FACP, FADT_LEN_V3, 3);
	make_sdt(mem + T_APIC, "APIC", 120, 0x11);
	make_sdt(mem + T_SSDT, "SSDT", 64, 0x22);
	make_sdt(mem + T_SSDT2, "SSDT", 80, 0x33);
	make_dsdt(mem + T_DSDT, aml_s5_q35, sizeof(aml_s5_q35));
	ck_assert_int_eq(acpi_rsdp_check(&phys, T_RSDP, &r), ACPI_OK);
	return r;
}

START_TEST(test_tables_strerror)
{
	ck_assert_str_eq(acpi_strerror(ACPI_E_TABLE),
			 "bad ACPI table header or checksum");
	ck_assert_str_eq(acpi_strerror(ACPI_E_NO_TABLE),
			 "ACPI table not found");
	ck_assert_str_eq(acpi_strerror(ACPI_E_NO_S5),
			 "no \\_S5 object in the DSDT");
	ck_assert_str_eq(acpi_strerror(ACPI_E_NOT_FOUND), "no RSDP found");
}
END_TEST

START_TEST(test_find_table_xsdt)
{
	struct acpi_rsdp r = make_std();
	uint64_t a;
	uint32_t l;

	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_FACP);
	ck_assert_uint_eq(l, FADT_LEN_V3);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_APIC);
	ck_assert_uint_eq(l, 120);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "SSDT", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_SSDT);
	ck_assert_uint_eq(l, 64);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "SSDT", 1, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_SSDT2);
	ck_assert_uint_eq(l, 80);

	/* Not there, or not that many; the outputs are left alone. */
	a = 0x1234;
	l = 0x5678;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "SSDT", 2, &a, &l),
			 ACPI_E_NO_TABLE);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 1, &a, &l),
			 ACPI_E_NO_TABLE);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "HPET", 0, &a, &l),
			 ACPI_E_NO_TABLE);
	/* The DSDT and the roots themselves are not XSDT entries. */
	ck_assert_int_eq(acpi_find_table(&phys, &r, "DSDT", 0, &a, &l),
			 ACPI_E_NO_TABLE);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "XSDT", 0, &a, &l),
			 ACPI_E_NO_TABLE);
	ck_assert_uint_eq(a, 0x1234);
	ck_assert_uint_eq(l, 0x5678);

	/* The XSDT wins over the RSDT: an RSDT-only table is not found. */
	uint64_t e[1] = { T_FACP2 };
	make_sdt(mem + T_FACP2, "HPET", 56, 0);
	make_rsdt(mem + T_RSDT, e, 1);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "HPET", 0, &a, &l),
			 ACPI_E_NO_TABLE);

	/* 64-bit entries: a table above 4 GiB is simply outside the view. */
	uint64_t e2[2] = { 0x100000000ull + T_APIC, T_FACP };
	make_xsdt(mem + T_XSDT, e2, 2);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_FACP);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_E_TABLE);
}
END_TEST

START_TEST(test_find_table_rsdt)
{
	struct acpi_rsdp r;
	uint64_t a;
	uint32_t l;
	uint64_t e[3] = { T_FACP, T_APIC, T_SSDT };

	make_std();
	make_rsdt(mem + T_RSDT, e, 3);
	/* Revision 0: the RSDT with 4-byte entries. */
	make_rsdp(mem + T_RSDP, 0, T_RSDT, 0, 0);
	ck_assert_int_eq(acpi_rsdp_check(&phys, T_RSDP, &r), ACPI_OK);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_FACP);
	ck_assert_uint_eq(l, FADT_LEN_V3);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "SSDT", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_SSDT);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "SSDT", 1, &a, &l),
			 ACPI_E_NO_TABLE);

	/* Revision 2 with no XSDT: the RSDT too. */
	make_rsdp(mem + T_RSDP, 2, T_RSDT, 36, 0);
	ck_assert_int_eq(acpi_rsdp_check(&phys, T_RSDP, &r), ACPI_OK);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_APIC);

	/* An XSDT where the RSDT should be is refused (wrong signature). */
	r.rsdt = T_XSDT;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_E_TABLE);
	/* And an RSDT where the XSDT should be. */
	r.revision = 2;
	r.xsdt = T_RSDT;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_E_TABLE);
}
END_TEST

START_TEST(test_find_table_errors)
{
	struct acpi_rsdp r = make_std();
	uint64_t a = 0x77, e[4] = { T_APIC, T_FACP, T_SSDT, T_SSDT2 };
	uint32_t l = 0x88;

	/* Bad XSDT checksum, length < 36, wrong signature, address 0. */
	mem[T_XSDT + 40] ^= 0x01;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	make_xsdt(mem + T_XSDT, e, 4);
	put_u32(mem + T_XSDT + 4, 35);
	sdt_sum(mem + T_XSDT);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	make_xsdt(mem + T_XSDT, e, 4);
	mem[T_XSDT] = 'Y';
	sdt_sum(mem + T_XSDT);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	make_xsdt(mem + T_XSDT, e, 4);
	r.xsdt = UINT64_MAX - 10;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	r.revision = 0;
	r.rsdt = 0;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	ck_assert_uint_eq(a, 0x77);
	ck_assert_uint_eq(l, 0x88);
	r = make_std();

	/* A huge XSDT length: past the view. */
	put_u32(mem + T_XSDT + 4, 0xfffffff0u);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);

	/* Zero entries, null entries, a trailing partial entry. */
	make_xsdt(mem + T_XSDT, e, 0);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_NO_TABLE);
	uint64_t z[3] = { 0, 0, T_FACP };
	make_xsdt(mem + T_XSDT, z, 3);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_FACP);
	make_xsdt(mem + T_XSDT, z, 3);
	put_u32(mem + T_XSDT + 4, 36 + 16 + 7); /* FACP entry cut short */
	sdt_sum(mem + T_XSDT);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_NO_TABLE);

	/* Missing FACP. */
	uint64_t nf[2] = { T_APIC, T_SSDT };
	make_xsdt(mem + T_XSDT, nf, 2);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_NO_TABLE);

	/* Bad FACP: checksum, length < 36, length past the view. */
	make_xsdt(mem + T_XSDT, e, 4);
	mem[T_FACP + 100] ^= 0x40;
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_OK); /* the others are still found */
	make_fadt(mem + T_FACP, FADT_LEN_V3, 3);
	put_u32(mem + T_FACP + 4, 20);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	put_u32(mem + T_FACP + 4, MEM_SIZE);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);

	/* A bad FACP is skipped and does not count: the next one is 0. */
	uint64_t two[3] = { T_FACP, T_APIC, T_FACP2 };
	make_fadt(mem + T_FACP2, FADT_LEN_V3, 3);
	make_xsdt(mem + T_XSDT, two, 3);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_FACP2);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 1, &a, &l),
			 ACPI_E_TABLE);
	make_fadt(mem + T_FACP, FADT_LEN_V3, 3);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 1, &a, &l),
			 ACPI_OK);
	ck_assert_uint_eq(a, T_FACP2);

	/* An entry whose signature is past the end of the view. */
	uint64_t out[2] = { MEM_SIZE - 2, T_APIC };
	make_xsdt(mem + T_XSDT, out, 2);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "FACP", 0, &a, &l),
			 ACPI_E_TABLE);
	ck_assert_int_eq(acpi_find_table(&phys, &r, "APIC", 0, &a, &l),
			 ACPI_OK);
}
END_TEST

/* Tables that end exactly at the end of an exactly-sized buffer. */
START_TEST(test_find_table_end_of_view)
{
	for (uint32_t cut = 0; cut <= 8; cut++) {
		/* XSDT at 0x100 with one entry, FACP at the very end. */
		size_t len = 0x200 + FADT_LEN_V3 - cut;
		uint8_t *m = calloc(1, len);
		uint8_t full[FADT_LEN_V3];
		uint64_t e[1] = { 0x200 };
		uint64_t a;
		uint32_t l;
		ck_assert_ptr_nonnull(m);
		struct view v = view_make(m, len);
		struct acpi_rsdp r = { 0, 2, 36, 0, 0x100, "" };
		make_xsdt(m + 0x100, e, 1);
		make_fadt(full, FADT_LEN_V3, 3);
		memcpy(m + 0x200, full, FADT_LEN_V3 - cut);
		ck_assert_int_eq(acpi_find_table(&v, &r, "FACP", 0, &a, &l),
				 cut == 0 ? ACPI_OK : ACPI_E_TABLE);
		free(m);
	}
	for (uint32_t cut = 1; cut <= 12; cut++) {
		/* The XSDT itself cut short by the end of the view. */
		size_t len = 0x100 + 36 + 8 - cut;
		uint8_t *m = calloc(1, 0x100 + 44);
		uint64_t e[1] = { 0x20 };
		uint64_t a;
		uint32_t l;
		ck_assert_ptr_nonnull(m);
		make_xsdt(m + 0x100, e, 1);
		uint8_t *m2 = malloc(len);
		ck_assert_ptr_nonnull(m2);
		memcpy(m2, m, len);
		struct view v = view_make(m2, len);
		struct acpi_rsdp r = { 0, 2, 36, 0, 0x100, "" };
		ck_assert_int_eq(acpi_find_table(&v, &r, "FACP", 0, &a, &l),
				 ACPI_E_TABLE);
		free(m);
		free(m2);
	}
}
END_TEST

START_TEST(test_fadt_q35)
{
	struct acpi_rsdp r = make_std();
	struct acpi_fadt f;
	memset(&f, 0xa5, sizeof(f));
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V3, &f),
			 ACPI_OK);
	ck_assert_uint_eq(f.flags, 0x84a5);
	ck_assert(!f.hw_reduced);
	ck_assert_uint_eq(f.dsdt, T_DSDT);
	ck_assert_uint_eq(f.pm_tmr_port, 0x608);
	ck_assert(!f.pm_tmr_32bit);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0x604);
	ck_assert_uint_eq(f.pm1b_cnt_port, 0);
	ck_assert_uint_eq(f.sleep_control.space, 0);
	ck_assert_uint_eq(f.sleep_control.addr, 0);
	ck_assert_uint_eq(f.reset_space, ACPI_GAS_IO);
	ck_assert_uint_eq(f.reset_addr, 0xcf9);
	ck_assert_uint_eq(f.reset_value, 0x0f);
	(void)r;

	/* TMR_VAL_EXT, and RESET_REG_SUP clear: no reset register. */
	put_u32(mem + T_FACP + 112, 0x84a5 - 0x400 + 0x100);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V3, &f),
			 ACPI_OK);
	ck_assert(f.pm_tmr_32bit);
	ck_assert_uint_eq(f.reset_space, 0);
	ck_assert_uint_eq(f.reset_addr, 0);
	ck_assert_uint_eq(f.reset_value, 0);

	/* 32-bit port fields that are not 16-bit ports read as 0. */
	put_u32(mem + T_FACP + 64, 0x10604);
	put_u32(mem + T_FACP + 68, 0x10);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V3, &f),
			 ACPI_OK);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0);
	ck_assert_uint_eq(f.pm1b_cnt_port, 0x10);
}
END_TEST

START_TEST(test_fadt_x_fields)
{
	struct acpi_fadt f;
	uint8_t *t = mem + T_FACP;

	/* ACPI 6: the X_ fields win when non-zero (and I/O for ports). */
	make_fadt(t, FADT_LEN_V6, 6);
	put_u64(t + 140, 0x100000000ull + T_DSDT);
	put_gas(t + 172, ACPI_GAS_IO, 16, 0xb004);
	put_gas(t + 184, ACPI_GAS_IO, 16, 0xb044);
	put_gas(t + 208, ACPI_GAS_IO, 32, 0xb008);
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V6, &f),
			 ACPI_OK);
	ck_assert_uint_eq(f.dsdt, 0x100000000ull + T_DSDT);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0xb004);
	ck_assert_uint_eq(f.pm1b_cnt_port, 0xb044);
	ck_assert_uint_eq(f.pm_tmr_port, 0xb008);

	/* X_ in memory space, or beyond 0xffff: the 32-bit fields. */
	put_gas(t + 172, ACPI_GAS_MEMORY, 16, 0xfed00004);
	put_gas(t + 184, ACPI_GAS_IO, 16, 0x10000);
	put_gas(t + 208, 2 /* PCI config */, 32, 0xb008);
	put_u32(t + 68, 0x644);
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V6, &f),
			 ACPI_OK);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0x604);
	ck_assert_uint_eq(f.pm1b_cnt_port, 0x644);
	ck_assert_uint_eq(f.pm_tmr_port, 0x608);

	/* A zero X_DSDT: the 32-bit DSDT. */
	put_u64(t + 140, 0);
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V6, &f),
			 ACPI_OK);
	ck_assert_uint_eq(f.dsdt, T_DSDT);

	/*
	 * A length that stops inside X_DSDT (140 - 147: 0 to 7 of its 8 bytes
	 * covered, the rest non-zero past the table) or inside a GAS ignores
	 * it: the 32-bit DSDT. At 148 X_DSDT is all there and wins.
	 */
	for (uint32_t len = 140; len <= 148; len++) {
		const uint64_t x_dsdt = 0x1122334455667788ull;
		make_fadt(t, len, 3);
		put_u64(t + 140, x_dsdt);
		sdt_sum(t);
		ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, len, &f),
				 ACPI_OK);
		ck_assert_uint_eq(f.dsdt, len < 148 ? T_DSDT : x_dsdt);
	}
	make_fadt(t, 183, 3);
	put_gas(t + 172, ACPI_GAS_IO, 16, 0xb004);
	t[4] = 182; /* X_PM1a_CNT_BLK's last byte not covered */
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 182, &f), ACPI_OK);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0x604);
	t[4] = 184;
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 184, &f), ACPI_OK);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0xb004);
}
END_TEST

START_TEST(test_fadt_acpi1)
{
	struct acpi_fadt f;
	uint8_t *t = mem + T_FACP;

	/*
	 * ACPI 1.0: 116 bytes, as QEMU pc builds it. RESET_REG_SUP set but
	 * the reset register is past the end, and so are the X_ fields and
	 * the sleep control register; bytes after the table are garbage.
	 */
	memset(t, 0xee, 0x200);
	make_fadt(t, ACPI_FADT_V1_LEN, 1);
	put_u32(t + 112, 0x80a5 | 0x400);
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, ACPI_FADT_V1_LEN, &f),
			 ACPI_OK);
	ck_assert_uint_eq(f.flags, 0x84a5);
	ck_assert_uint_eq(f.dsdt, T_DSDT);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0x604);
	ck_assert_uint_eq(f.pm_tmr_port, 0x608);
	ck_assert_uint_eq(f.reset_addr, 0);
	ck_assert_uint_eq(f.reset_space, 0);
	ck_assert_uint_eq(f.reset_value, 0);
	ck_assert_uint_eq(f.sleep_control.addr, 0);

	/* 128 bytes: the GAS but not RESET_VALUE; 129: both. */
	make_fadt(t, 128, 2);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 128, &f), ACPI_OK);
	ck_assert_uint_eq(f.reset_addr, 0);
	make_fadt(t, 129, 2);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 129, &f), ACPI_OK);
	ck_assert_uint_eq(f.reset_addr, 0xcf9);
	ck_assert_uint_eq(f.reset_value, 0x0f);
}
END_TEST

START_TEST(test_fadt_errors)
{
	struct acpi_fadt f, before;
	uint8_t *t = mem + T_FACP;
	memset(&f, 0x3c, sizeof(f));
	memcpy(&before, &f, sizeof(f));

	/* Shorter than ACPI 1.0. */
	make_fadt(t, ACPI_FADT_V1_LEN - 1, 1);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 115, &f), ACPI_E_TABLE);
	make_fadt(t, 36, 1);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 36, &f), ACPI_E_TABLE);
	/* len disagreeing with the table. */
	make_fadt(t, FADT_LEN_V3, 3);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 116, &f), ACPI_E_TABLE);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 0, &f), ACPI_E_TABLE);
	/* Checksum, signature, outside the view. */
	t[200] ^= 2;
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V3, &f),
			 ACPI_E_TABLE);
	make_fadt(t, FADT_LEN_V3, 3);
	memcpy(t, "FADT", 4);
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V3, &f),
			 ACPI_E_TABLE);
	ck_assert_int_eq(
		acpi_fadt_parse(&phys, MEM_SIZE - 100, FADT_LEN_V3, &f),
		ACPI_E_TABLE);
	ck_assert_int_eq(
		acpi_fadt_parse(&phys, UINT64_MAX - 3, FADT_LEN_V3, &f),
		ACPI_E_TABLE);
	ck_assert_mem_eq(&f, &before, sizeof(f));
}
END_TEST

START_TEST(test_fadt_hw_reduced)
{
	struct acpi_fadt f;
	uint8_t *t = mem + T_FACP;

	/* QEMU microvm: ACPI 5 FADT, HW_REDUCED_ACPI | RESET_REG_SUP. */
	make_fadt(t, FADT_LEN_V5, 5);
	memset(t + 36, 0, FADT_LEN_V5 - 36);
	put_u32(t + 40, T_DSDT);
	put_u64(t + 140, T_DSDT);
	put_u32(t + 112, 0x100400);
	put_gas(t + 116, ACPI_GAS_MEMORY, 8, 0xfea00202);
	t[128] = 0x42;
	put_gas(t + 244, ACPI_GAS_MEMORY, 8, 0xfea00200);
	put_gas(t + 256, ACPI_GAS_MEMORY, 8, 0xfea00201);
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, FADT_LEN_V5, &f),
			 ACPI_OK);
	ck_assert(f.hw_reduced);
	ck_assert_uint_eq(f.flags, 0x100400);
	ck_assert_uint_eq(f.dsdt, T_DSDT);
	ck_assert_uint_eq(f.pm1a_cnt_port, 0);
	ck_assert_uint_eq(f.pm1b_cnt_port, 0);
	ck_assert_uint_eq(f.pm_tmr_port, 0);
	ck_assert_uint_eq(f.sleep_control.space, ACPI_GAS_MEMORY);
	ck_assert_uint_eq(f.sleep_control.addr, 0xfea00200);
	ck_assert_uint_eq(f.reset_space, ACPI_GAS_MEMORY);
	ck_assert_uint_eq(f.reset_addr, 0xfea00202);
	ck_assert_uint_eq(f.reset_value, 0x42);

	/* 255 bytes: the sleep control GAS is not all there. */
	t[4] = 255;
	t[5] = 0;
	sdt_sum(t);
	ck_assert_int_eq(acpi_fadt_parse(&phys, T_FACP, 255, &f), ACPI_OK);
	ck_assert(f.hw_reduced);
	ck_assert_uint_eq(f.sleep_control.addr, 0);
}
END_TEST

/* A DSDT at T_DSDT with the given body; returns acpi_s5_slp_typ's result. */
static enum acpi_err s5_of(const uint8_t *body, uint32_t n, uint8_t *a,
			   uint8_t *b)
{
	make_dsdt(mem + T_DSDT, body, n);
	return acpi_s5_slp_typ(&phys, T_DSDT, a, b);
}

START_TEST(test_s5_basic)
{
	uint8_t a = 0xee, b = 0xee;

	ck_assert_int_eq(s5_of(aml_s5_q35, sizeof(aml_s5_q35), &a, &b),
			 ACPI_OK);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_int_eq(s5_of(aml_s5_microvm, sizeof(aml_s5_microvm), &a, &b),
			 ACPI_OK);
	ck_assert_uint_eq(a, 5);
	ck_assert_uint_eq(b, 0);

	/* '\' prefix; One and ByteConst; Word/DWord/QWordConst low bytes. */
	static const uint8_t root[] = { 0x08, 0x5c, '_',  'S',	'5',  '_',
					0x12, 0x05, 0x02, 0x01, 0x0a, 0x07 };
	ck_assert_int_eq(s5_of(root, sizeof(root), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 7);
	static const uint8_t wide[] = { 0x08, '_',  'S',  '5',	'_',  0x12,
					0x0b, 0x03, 0x0b, 0x06, 0x01, 0x0c,
					0x03, 0xff, 0xff, 0xff, 0x00 };
	ck_assert_int_eq(s5_of(wide, sizeof(wide), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 6);
	ck_assert_uint_eq(b, 3);
	static const uint8_t qword[] = { 0x08, '_',  'S',  '5',	 '_',  0x12,
					 0x0c, 0x02, 0x00, 0x0e, 0x04, 0x01,
					 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	ck_assert_int_eq(s5_of(qword, sizeof(qword), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(b, 4);

	/* The name at the very end of the body, package right after. */
	uint8_t body[64];
	memset(body, 0xa3, sizeof(body));
	static const uint8_t tail[] = { 0x08, '_',  'S',  '5',	'_', 0x12,
					0x05, 0x02, 0x0a, 0x02, 0x01 };
	memcpy(body + sizeof(body) - sizeof(tail), tail, sizeof(tail));
	ck_assert_int_eq(s5_of(body, sizeof(body), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 2);
	ck_assert_uint_eq(b, 1);
}
END_TEST

START_TEST(test_s5_pkglength)
{
	uint8_t a, b;
	uint8_t body[200];

	/* 2-byte PkgLength: 66 elements = 0x44 + 1 + 2 = 0x46 bytes... */
	size_t n = 0;
	body[n++] = 0x08;
	memcpy(body + n, "_S5_", 4);
	n += 4;
	body[n++] = 0x12;
	uint32_t plen = 2 + 1 + 2 + 64; /* PkgLength(2) NumElements 2+64 */
	body[n++] = (uint8_t)(0x40 | (plen & 0x0f));
	body[n++] = (uint8_t)(plen >> 4);
	body[n++] = 66;
	body[n++] = 0x0a;
	body[n++] = 0x03;
	body[n++] = 0x01;
	memset(body + n, 0x00, 63); /* Zero x 63 */
	n += 63;
	ck_assert_uint_eq(n, 6 + plen);
	ck_assert_int_eq(s5_of(body, (uint32_t)n, &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 3);
	ck_assert_uint_eq(b, 1);
	/* ...one byte short of the package: refused. */
	ck_assert_int_eq(s5_of(body, (uint32_t)n - 1, &a, &b), ACPI_E_NO_S5);

	/* 4-byte (and 3-byte) encodings of a small length are accepted. */
	static const uint8_t four[] = { 0x08, '_',  'S',  '5',	'_',
					0x12, 0xc9, 0x00, 0x00, 0x00,
					0x02, 0x0a, 0x04, 0x0a, 0x05 };
	ck_assert_int_eq(s5_of(four, sizeof(four), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 4);
	ck_assert_uint_eq(b, 5);
	static const uint8_t three[] = { 0x08, '_',  'S',  '5',	 '_',
					 0x12, 0x86, 0x00, 0x00, 0x02,
					 0x01, 0x00, 0xff, 0xff };
	ck_assert_int_eq(s5_of(three, sizeof(three), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 0);

	/* Reserved bits 5-4 set in a multi-byte lead byte: refused. */
	uint8_t bad[sizeof(four)];
	memcpy(bad, four, sizeof(four));
	bad[6] = 0xd9;
	ck_assert_int_eq(s5_of(bad, sizeof(bad), &a, &b), ACPI_E_NO_S5);
	/* A 4-byte length that runs far past the table. */
	memcpy(bad, four, sizeof(four));
	bad[9] = 0x01;
	ck_assert_int_eq(s5_of(bad, sizeof(bad), &a, &b), ACPI_E_NO_S5);
}
END_TEST

/* A real 4-byte PkgLength: a package of more than 1 MiB (2^20). */
START_TEST(test_s5_pkglength_large)
{
	uint32_t plen = (1u << 20) + 0x123;
	uint32_t n = 6 + plen;
	uint8_t *body = calloc(1, n); /* all ZeroOp */
	uint8_t a = 0xee, b = 0xee;
	ck_assert_ptr_nonnull(body);
	body[0] = 0x08;
	memcpy(body + 1, "_S5_", 4);
	body[5] = 0x12;
	body[6] = (uint8_t)(0xc0 | (plen & 0x0f));
	body[7] = (uint8_t)(plen >> 4);
	body[8] = (uint8_t)(plen >> 12);
	body[9] = (uint8_t)(plen >> 20);
	body[10] = 0xff; /* NumElements saturates; the elements are 0 */
	body[11] = 0x0a;
	body[12] = 0x05;
	size_t tlen = 36 + (size_t)n;
	uint8_t *m = malloc(tlen); /* the DSDT at 0, exactly sized */
	ck_assert_ptr_nonnull(m);
	memcpy(m + 36, body, n);
	sdt_header(m, "DSDT", (uint32_t)tlen, 2);
	sdt_sum(m);
	struct view v = view_make(m, tlen);
	ck_assert_int_eq(acpi_s5_slp_typ(&v, 0, &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 5);
	ck_assert_uint_eq(b, 0);
	/* The package one byte longer than the table: refused. */
	m[36 + 6] = (uint8_t)(0xc0 | ((plen + 1) & 0x0f));
	sdt_sum(m);
	ck_assert_int_eq(acpi_s5_slp_typ(&v, 0, &a, &b), ACPI_E_NO_S5);
	free(m);
	free(body);
}
END_TEST

START_TEST(test_s5_errors)
{
	uint8_t a = 0x99, b = 0x98;

	/* No _S5 at all; _S4_ and _S3_ only. */
	static const uint8_t none[] = { 0x08, '_',  'S',  '4',	'_',  0x12,
					0x04, 0x02, 0x0a, 0x02, 0x0a, 0x02,
					0x08, '_',  'S',  '5',	'X' };
	ck_assert_int_eq(s5_of(none, sizeof(none), &a, &b), ACPI_E_NO_S5);
	/*
	 * "_S5_" not after NameOp (after a MethodOp and its PkgLength, in a
	 * string). A PkgLength byte of 0x08 would look like NameOp: a byte
	 * scan cannot tell, and takes it.
	 */
	static const uint8_t notname[] = { 0x14, 0x0a, '_',  'S',  '5',	 '_',
					   0x12, 0x04, 0x02, 0x00, 0x00, 0x0d,
					   '_',	 'S',  '5',  '_',  0x00 };
	ck_assert_int_eq(s5_of(notname, sizeof(notname), &a, &b), ACPI_E_NO_S5);
	/* Not a package; NumElements 0 and 1; a string element. */
	static const uint8_t notpkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 5 };
	ck_assert_int_eq(s5_of(notpkg, sizeof(notpkg), &a, &b), ACPI_E_NO_S5);
	static const uint8_t zero[] = { 0x08, '_',  'S',  '5',
					'_',  0x12, 0x02, 0x00 };
	ck_assert_int_eq(s5_of(zero, sizeof(zero), &a, &b), ACPI_E_NO_S5);
	static const uint8_t one[] = { 0x08, '_',  'S',	 '5',  '_',
				       0x12, 0x03, 0x01, 0x0a, 0x05 };
	ck_assert_int_eq(s5_of(one, sizeof(one), &a, &b), ACPI_E_NO_S5);
	/* One element, as Cloud Hypervisor and Firecracker write it:
	 * Package(1) {0x05}: SLP_TYPa 5, SLP_TYPb its second byte (0). */
	static const uint8_t one_ok[] = { 0x08, '_',  'S',  '5',  '_',
					  0x12, 0x04, 0x01, 0x0a, 0x05 };
	ck_assert_int_eq(s5_of(one_ok, sizeof(one_ok), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 5);
	ck_assert_uint_eq(b, 0);
	static const uint8_t one_word[] = { 0x08, '_',	'S',  '5',  '_', 0x12,
					    0x05, 0x01, 0x0b, 0x05, 0x06 };
	ck_assert_int_eq(s5_of(one_word, sizeof(one_word), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 5);
	ck_assert_uint_eq(b, 6);
	a = 0x99; /* the errors below must leave these alone */
	b = 0x98;
	static const uint8_t str[] = { 0x08, '_',  'S',	 '5', '_', 0x12,
				       0x06, 0x02, 0x0d, 'x', 0,   0x00 };
	ck_assert_int_eq(s5_of(str, sizeof(str), &a, &b), ACPI_E_NO_S5);
	/* PkgLength too small for its own contents. */
	static const uint8_t tiny[] = { 0x08, '_',  'S',  '5',	'_',
					0x12, 0x03, 0x02, 0x00, 0x00 };
	ck_assert_int_eq(s5_of(tiny, sizeof(tiny), &a, &b), ACPI_E_NO_S5);
	/* A ByteConst cut off by the end of the package / the table. */
	static const uint8_t cut[] = { 0x08, '_',  'S',	 '5',  '_', 0x12,
				       0x04, 0x02, 0x00, 0x0a, 0x03 };
	ck_assert_int_eq(s5_of(cut, sizeof(cut), &a, &b), ACPI_E_NO_S5);
	ck_assert_int_eq(s5_of(cut, sizeof(cut) - 1, &a, &b), ACPI_E_NO_S5);
	/* The name, PackageOp or PkgLength cut off by the end of the table. */
	ck_assert_int_eq(s5_of(aml_s5_q35, 7, &a, &b), ACPI_E_NO_S5);
	ck_assert_int_eq(s5_of(aml_s5_q35, 9, &a, &b), ACPI_E_NO_S5);
	ck_assert_int_eq(s5_of(aml_s5_q35, 10, &a, &b), ACPI_E_NO_S5);
	static const uint8_t cut_len[] = { 0x08, '_',  'S',  '5',
					   '_',	 0x12, 0xc0, 0x01 };
	ck_assert_int_eq(s5_of(cut_len, sizeof(cut_len), &a, &b), ACPI_E_NO_S5);
	ck_assert_uint_eq(a, 0x99);
	ck_assert_uint_eq(b, 0x98);

	/* A malformed candidate, then a good one: the good one. */
	uint8_t two[sizeof(one) + sizeof(aml_s5_microvm)];
	memcpy(two, one, sizeof(one));
	memcpy(two + sizeof(one), aml_s5_microvm, sizeof(aml_s5_microvm));
	ck_assert_int_eq(s5_of(two, sizeof(two), &a, &b), ACPI_OK);
	ck_assert_uint_eq(a, 5);

	/* A good _S5 right after the table's end, or in its header. */
	make_dsdt(mem + T_DSDT, none, sizeof(none));
	memcpy(mem + T_DSDT + 36 + sizeof(none), aml_s5_q35,
	       sizeof(aml_s5_q35));
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, T_DSDT, &a, &b), ACPI_E_NO_S5);
	static const uint8_t in_hdr[12] = {
		0x08, '_',  'S',  '5',	'_',  0x12,
		0x06, 0x02, 0x0a, 0x07, 0x0a, 0x07
	};
	make_dsdt(mem + T_DSDT, none, sizeof(none));
	memcpy(mem + T_DSDT + 16, in_hdr, sizeof(in_hdr)); /* OEM fields */
	sdt_sum(mem + T_DSDT);
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, T_DSDT, &a, &b), ACPI_E_NO_S5);

	/* A bad DSDT: checksum, signature, length, address. */
	make_dsdt(mem + T_DSDT, aml_s5_q35, sizeof(aml_s5_q35));
	mem[T_DSDT + 40] ^= 4;
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, T_DSDT, &a, &b), ACPI_E_TABLE);
	make_dsdt(mem + T_DSDT, aml_s5_q35, sizeof(aml_s5_q35));
	memcpy(mem + T_DSDT, "SSDT", 4);
	sdt_sum(mem + T_DSDT);
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, T_DSDT, &a, &b), ACPI_E_TABLE);
	make_dsdt(mem + T_DSDT, aml_s5_q35, sizeof(aml_s5_q35));
	put_u32(mem + T_DSDT + 4, MEM_SIZE); /* past the view */
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, T_DSDT, &a, &b), ACPI_E_TABLE);
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, 0, &a, &b), ACPI_E_TABLE);
	ck_assert_int_eq(acpi_s5_slp_typ(&phys, MEM_SIZE, &a, &b),
			 ACPI_E_TABLE);
	ck_assert_uint_eq(a, 5);
}
END_TEST

START_TEST(test_plan_q35)
{
	struct acpi_rsdp r = make_std();
	struct acpi_poweroff p;
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_PM1);
	ck_assert_uint_eq(p.pm1a, 0x604);
	ck_assert_uint_eq(p.pm1a_value, 0x2000);
	ck_assert_uint_eq(p.pm1b, 0);
	ck_assert_uint_eq(p.pm1b_value, 0);
	ck_assert_uint_eq(p.sleep_addr, 0);

	/* A PM1b block and different SLP_TYPs; SLP_TYP keeps 3 bits. */
	put_u32(mem + T_FACP + 68, 0x644);
	sdt_sum(mem + T_FACP);
	static const uint8_t s5[] = { 0x08, '_',  'S',	'5',  '_',  0x12,
				      0x06, 0x02, 0x0a, 0x0f, 0x0a, 0x03 };
	make_dsdt(mem + T_DSDT, s5, sizeof(s5));
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_PM1);
	ck_assert_uint_eq(p.pm1a, 0x604);
	ck_assert_uint_eq(p.pm1a_value, 7 << 10 | 1 << 13);
	ck_assert_uint_eq(p.pm1b, 0x644);
	ck_assert_uint_eq(p.pm1b_value, 3 << 10 | 1 << 13);
}
END_TEST

START_TEST(test_plan_pc_rsdt)
{
	/* QEMU pc: RSDP rev 0 -> RSDT -> 116-byte FADT rev 1. */
	struct acpi_rsdp r;
	struct acpi_poweroff p;
	uint64_t e[2] = { T_FACP, T_APIC };
	make_std();
	make_rsdt(mem + T_RSDT, e, 2);
	make_fadt(mem + T_FACP, ACPI_FADT_V1_LEN, 1);
	make_rsdp(mem + T_RSDP, 0, T_RSDT, 0, 0);
	ck_assert_int_eq(acpi_rsdp_find(&phys, 0, &r, NULL), ACPI_OK);
	ck_assert_uint_eq(r.addr, T_RSDP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_PM1);
	ck_assert_uint_eq(p.pm1a, 0x604);
	ck_assert_uint_eq(p.pm1a_value, 0x2000);
	ck_assert_uint_eq(p.pm1b, 0);
}
END_TEST

START_TEST(test_pm1_cnt_merge)
{
	/* SCI_EN (bit 0) and BM_RLD (bit 1) are kept; SLP_TYP 5 | SLP_EN. */
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0x0001, 5 << 10 | 1 << 13),
			  0x3401);
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0x0003, 0x2000), 0x2003);
	/* The old SLP_TYP goes; so do SLP_EN and GBL_RLS (bit 2) as read. */
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0x1c00, 0x2000), 0x2000);
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0x2004, 0x0400 | 0x2000), 0x2400);
	/* Reserved (3-8, 14-15) and ignored (9) bits are kept. */
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0xffff, 0x2000), 0xe3fb);
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0xc3f8, 7 << 10 | 1 << 13),
			  0xfff8);
	ck_assert_uint_eq(acpi_pm1_cnt_merge(0, 0x2000), 0x2000);
}
END_TEST

/*
 * QEMU microvm: XSDT -> HW-reduced FADT -> GED sleep control register, in
 * memory at T_SLEEP (microvm has it at 0xfea00200, outside the test view).
 */
#define T_SLEEP 0x1ff200
static struct acpi_rsdp make_microvm(void)
{
	struct acpi_rsdp r = make_std();
	uint8_t *t = mem + T_FACP;
	make_fadt(t, FADT_LEN_V5, 5);
	memset(t + 36, 0, FADT_LEN_V5 - 36);
	put_u32(t + 40, T_DSDT);
	put_u64(t + 140, T_DSDT);
	put_u32(t + 112, 0x100400);
	put_gas(t + 116, ACPI_GAS_MEMORY, 8, 0xfea00202);
	t[128] = 0x42;
	put_gas(t + 244, ACPI_GAS_MEMORY, 8, T_SLEEP);
	sdt_sum(t);
	uint64_t e[2] = { T_FACP, T_APIC };
	make_xsdt(mem + T_XSDT, e, 2);
	make_dsdt(mem + T_DSDT, aml_s5_microvm, sizeof(aml_s5_microvm));
	return r;
}

START_TEST(test_plan_microvm)
{
	struct acpi_rsdp r = make_microvm();
	struct acpi_poweroff p;
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_SLEEP_REG);
	ck_assert_uint_eq(p.sleep_space, ACPI_GAS_MEMORY);
	ck_assert_uint_eq(p.sleep_addr, T_SLEEP);
	ck_assert_uint_eq(p.sleep_value, 0x34);
	ck_assert_uint_eq(p.pm1a, 0);

	/* A memory register must lie inside the view: its last byte is. */
	put_gas(mem + T_FACP + 244, ACPI_GAS_MEMORY, 8, MEM_SIZE - 1);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_SLEEP_REG);
	ck_assert_uint_eq(p.sleep_addr, MEM_SIZE - 1);
	/* Past its end (microvm's own address, in a 2 MiB view): none. */
	static const uint64_t outside[] = { MEM_SIZE, 0xfea00200, UINT64_MAX };
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		put_gas(mem + T_FACP + 244, ACPI_GAS_MEMORY, 8, outside[i]);
		sdt_sum(mem + T_FACP);
		memset(&p, 0x5a, sizeof(p));
		ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
		ck_assert_int_eq(p.how, ACPI_OFF_NONE);
		ck_assert_uint_eq(p.sleep_addr, 0);
		ck_assert_uint_eq(p.sleep_value, 0);
	}

	/* An I/O sleep control register. */
	put_gas(mem + T_FACP + 244, ACPI_GAS_IO, 8, 0x3c0);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_SLEEP_REG);
	ck_assert_uint_eq(p.sleep_space, ACPI_GAS_IO);
	ck_assert_uint_eq(p.sleep_addr, 0x3c0);

	/* Unusable: I/O above 0xffff, another space, none, too short. */
	put_gas(mem + T_FACP + 244, ACPI_GAS_IO, 8, 0x10000);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	put_gas(mem + T_FACP + 244, 3 /* embedded controller */, 8, 0x10);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	put_gas(mem + T_FACP + 244, ACPI_GAS_MEMORY, 8, 0);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	/* HW-reduced with PM1a_CNT set: PM1 is not used. */
	put_u32(mem + T_FACP + 64, 0x604);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	ck_assert_uint_eq(p.pm1a, 0);
}
END_TEST

START_TEST(test_plan_errors)
{
	struct acpi_rsdp r = make_std();
	struct acpi_poweroff p;
	uint64_t e[1] = { T_APIC };

	/* Not planned when PM1a_CNT is 0. */
	put_u32(mem + T_FACP + 64, 0);
	sdt_sum(mem + T_FACP);
	memset(&p, 0x5a, sizeof(p));
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	ck_assert_uint_eq(p.pm1a_value, 0);
	make_fadt(mem + T_FACP, FADT_LEN_V3, 3);

	/* No _S5; a bad DSDT; a bad FADT; no FADT; a bad XSDT. */
	static const uint8_t no_s5[] = { 0x08, '_', 'S', '4', '_', 0x00 };
	make_dsdt(mem + T_DSDT, no_s5, sizeof(no_s5));
	memset(&p, 0x5a, sizeof(p));
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_NO_S5);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	mem[T_DSDT + 9] ^= 1;
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_TABLE);
	make_dsdt(mem + T_DSDT, aml_s5_q35, sizeof(aml_s5_q35));
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_OK);

	make_fadt(mem + T_FACP, ACPI_FADT_V1_LEN - 4, 1);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_TABLE);
	make_fadt(mem + T_FACP, FADT_LEN_V3, 3);
	mem[T_FACP + 64] ^= 0x10;
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_TABLE);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	make_fadt(mem + T_FACP, FADT_LEN_V3, 3);
	make_xsdt(mem + T_XSDT, e, 1);
	memset(&p, 0x5a, sizeof(p));
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_NO_TABLE);
	ck_assert_int_eq(p.how, ACPI_OFF_NONE);
	ck_assert_uint_eq(p.pm1a, 0);
	mem[T_XSDT + 9] ^= 1;
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_TABLE);

	/* The FADT's DSDT pointer outside the view. */
	r = make_std();
	put_u32(mem + T_FACP + 40, MEM_SIZE + 0x1000);
	sdt_sum(mem + T_FACP);
	ck_assert_int_eq(acpi_poweroff_plan(&phys, &r, &p), ACPI_E_TABLE);
}
END_TEST

/*
 * Random damage to a compact, exactly-sized table set (XSDT/RSDT, FACP of
 * a random length, APIC, DSDT with _S5): random bytes, random length fields
 * and PkgLength bytes, with and without fixed-up checksums so the deeper
 * code runs too, and views that cut the set off at random places. Whatever
 * is returned must be consistent; ASan/UBSan catch stray reads.
 */
#define FZ_XSDT 0x000
#define FZ_RSDT 0x080
#define FZ_FACP 0x100
#define FZ_APIC 0x240
#define FZ_DSDT 0x2c0
#define FZ_SIZE 0x340

static void fuzz_build(uint8_t *m)
{
	uint64_t e[3] = { FZ_APIC, FZ_FACP, 0 };
	uint32_t flen;
	memset(m, 0, FZ_SIZE);
	make_xsdt(m + FZ_XSDT, e, 3);
	make_rsdt(m + FZ_RSDT, e, 3);
	switch (rng() % 4) {
	case 0:
		flen = ACPI_FADT_V1_LEN;
		break;
	case 1:
		flen = FADT_LEN_V3;
		break;
	case 2:
		flen = FADT_LEN_V5;
		break;
	default:
		flen = 100 + (uint32_t)(rng() % 200);
	}
	make_fadt(m + FZ_FACP, flen, 5);
	put_u32(m + FZ_FACP + 40, FZ_DSDT);
	if (flen >= 148 && rng() % 2)
		put_u64(m + FZ_FACP + 140, FZ_DSDT);
	if (flen >= 256 && rng() % 2) {
		put_u32(m + FZ_FACP + 112, 0x100400);
		put_gas(m + FZ_FACP + 244, (uint8_t)(rng() % 3), 8,
			rng() % 2 ? 0xfea00200 : rng() % 0x20000);
	}
	if (flen >= 184 && rng() % 2)
		put_gas(m + FZ_FACP + 172, ACPI_GAS_IO, 16, rng() % 0x20000);
	sdt_sum(m + FZ_FACP);
	make_sdt(m + FZ_APIC, "APIC", 0x50, 0x44);
	if (rng() % 2)
		make_dsdt(m + FZ_DSDT, aml_s5_q35, sizeof(aml_s5_q35));
	else
		make_dsdt(m + FZ_DSDT, aml_s5_microvm, sizeof(aml_s5_microvm));
}

/* Checks the invariants of a table the API returned. */
static void fuzz_table_ok(const struct view *v, uint64_t a, uint32_t l,
			  const char *sig)
{
	const uint8_t *p = view_ptr(v, a, l);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_ge(l, 36);
	ck_assert_mem_eq(p, sig, 4);
	ck_assert_uint_eq(get_u32(p + 4), l);
	ck_assert_uint_eq(sum(p, l), 0);
}

START_TEST(test_tables_fuzz)
{
	static const uint64_t tables[] = { FZ_XSDT, FZ_RSDT, FZ_FACP, FZ_APIC,
					   FZ_DSDT };
	uint8_t base[FZ_SIZE];
	rng_state = 0x13198a2e03707344ull;

	for (int iter = 0; iter < 1000; iter++) {
		fuzz_build(base);
		int muts = (int)(rng() % 6);
		for (int k = 0; k < muts; k++) {
			uint64_t t = tables[rng() % 5];
			switch (rng() % 4) {
			case 0: /* a random byte anywhere */
				base[rng() % FZ_SIZE] = (uint8_t)rng();
				break;
			case 1: /* a table's length */
				put_u32(base + t + 4,
					rng() % 2 ? (uint32_t)(rng() % 0x400)
						  : (uint32_t)rng());
				break;
			case 2: /* inside the _S5 package */
				base[FZ_DSDT + 36 + 4 + rng() % 14] =
					(uint8_t)rng();
				break;
			default: /* a root entry */
				put_u32(base + FZ_XSDT + 36 + 8 * (rng() % 3),
					(uint32_t)(rng() % (FZ_SIZE + 64)));
				break;
			}
		}
		if (rng() % 4 != 0) {
			/* Fix checksums where the length fits. */
			for (int i = 0; i < 5; i++) {
				uint8_t *t = base + tables[i];
				uint32_t l = get_u32(t + 4);
				if (l >= 36 && tables[i] + l <= FZ_SIZE)
					sdt_sum(t);
			}
		}

		size_t len = FZ_SIZE - (rng() % 3 == 0 ? rng() % 0x80 : 0);
		uint8_t *m = malloc(len);
		ck_assert_ptr_nonnull(m);
		memcpy(m, base, len);
		struct view v = view_make(m, len);
		struct acpi_rsdp r = { 0, 0, 20, FZ_RSDT, 0, "" };
		if (rng() % 2) {
			r.revision = 2;
			r.xsdt = rng() % 8 ? FZ_XSDT : rng();
		}

		static const char *sigs[] = { "FACP", "APIC", "DSDT", "XSDT" };
		for (int s = 0; s < 4; s++) {
			uint64_t a = 0;
			uint32_t l = 0;
			enum acpi_err err = acpi_find_table(
				&v, &r, sigs[s], (uint32_t)(rng() % 2), &a, &l);
			if (err == ACPI_OK)
				fuzz_table_ok(&v, a, l, sigs[s]);
			else
				ck_assert(err == ACPI_E_TABLE ||
					  err == ACPI_E_NO_TABLE);
		}

		struct acpi_fadt f;
		enum acpi_err err = acpi_fadt_parse(
			&v, FZ_FACP,
			(uint32_t)(rng() % 2 ? get_u32(base + FZ_FACP + 4)
					     : rng() % 300),
			&f);
		if (err == ACPI_OK) {
			ck_assert_uint_eq(f.hw_reduced,
					  (f.flags >> 20 & 1) != 0);
			ck_assert_uint_eq(f.pm_tmr_32bit,
					  (f.flags >> 8 & 1) != 0);
			if ((f.flags & 0x400) == 0)
				ck_assert_uint_eq(f.reset_addr, 0);
		} else {
			ck_assert_int_eq(err, ACPI_E_TABLE);
		}

		uint8_t a = 0xee, b = 0xee;
		err = acpi_s5_slp_typ(&v, rng() % 8 ? FZ_DSDT : rng() % len, &a,
				      &b);
		if (err != ACPI_OK) {
			ck_assert(err == ACPI_E_TABLE || err == ACPI_E_NO_S5);
			ck_assert_uint_eq(a, 0xee);
		}

		struct acpi_poweroff p;
		err = acpi_poweroff_plan(&v, &r, &p);
		if (err != ACPI_OK || p.how == ACPI_OFF_NONE) {
			ck_assert_int_eq(p.how, ACPI_OFF_NONE);
			ck_assert_uint_eq(p.pm1a, 0);
			ck_assert_uint_eq(p.sleep_addr, 0);
		} else if (p.how == ACPI_OFF_PM1) {
			ck_assert_uint_ne(p.pm1a, 0);
			ck_assert_uint_eq(p.pm1a_value & ~0x1c00u, 0x2000);
			if (p.pm1b == 0)
				ck_assert_uint_eq(p.pm1b_value, 0);
			else
				ck_assert_uint_eq(p.pm1b_value & ~0x1c00u,
						  0x2000);
		} else {
			ck_assert_int_eq(p.how, ACPI_OFF_SLEEP_REG);
			ck_assert_uint_ne(p.sleep_addr, 0);
			ck_assert((p.sleep_space == ACPI_GAS_MEMORY &&
				   p.sleep_addr < len) ||
				  (p.sleep_space == ACPI_GAS_IO &&
				   p.sleep_addr <= 0xffff));
			ck_assert_uint_eq(p.sleep_value & ~0x1cu, 0x20);
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
	tcase_add_test(tc, test_check_length_bound);
	tcase_add_test(tc, test_check_end_of_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("find");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_find_hint);
	tcase_add_test(tc, test_find_hint_bad_then_ebda);
	tcase_add_test(tc, test_prefer);
	tcase_add_test(tc, test_find_ebda_rules);
	tcase_add_test(tc, test_find_bios_area);
	tcase_add_test(tc, test_find_not_found);
	tcase_add_test(tc, test_find_end_of_view);
	tcase_add_test(tc, test_fuzz);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tables_strerror);
	tcase_add_test(tc, test_find_table_xsdt);
	tcase_add_test(tc, test_find_table_rsdt);
	tcase_add_test(tc, test_find_table_errors);
	tcase_add_test(tc, test_find_table_end_of_view);
	tcase_add_test(tc, test_fadt_q35);
	tcase_add_test(tc, test_fadt_x_fields);
	tcase_add_test(tc, test_fadt_acpi1);
	tcase_add_test(tc, test_fadt_errors);
	tcase_add_test(tc, test_fadt_hw_reduced);
	tcase_add_test(tc, test_s5_basic);
	tcase_add_test(tc, test_s5_pkglength);
	tcase_add_test(tc, test_s5_pkglength_large);
	tcase_add_test(tc, test_s5_errors);
	tcase_add_test(tc, test_plan_q35);
	tcase_add_test(tc, test_plan_pc_rsdt);
	tcase_add_test(tc, test_pm1_cnt_merge);
	tcase_add_test(tc, test_plan_microvm);
	tcase_add_test(tc, test_plan_errors);
	tcase_add_test(tc, test_tables_fuzz);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	return s;
}
