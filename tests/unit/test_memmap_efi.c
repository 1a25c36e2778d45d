// SPDX-License-Identifier: MIT
/*
 * test_memmap_efi.c: unit tests of memmap/efi.c: every EFI memory type's
 * E820 type (Linux's EFI stub table), the descriptor stride and its check,
 * merging of adjacent equal types, the EFI entry's identity-map end, and
 * the errors.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "suites.h"
#include "../../memmap/efi.h"

#define PAGE 4096ull

/* Writes one descriptor at buf + i * stride (little endian, as on x86). */
static void put_desc(uint8_t *buf, size_t stride, size_t i, uint32_t type,
		     uint64_t start, uint64_t pages, uint64_t attr)
{
	uint8_t *d = buf + i * stride;
	memset(d, 0xEE, stride); /* padding and VirtualStart must not matter */
	memcpy(d, &type, 4);
	memcpy(d + 0x08, &start, 8);
	memcpy(d + 0x18, &pages, 8);
	memcpy(d + 0x20, &attr, 8);
}

START_TEST(types_follow_linux)
{
	static const uint32_t want[16] = {
		[EFI_MEM_RESERVED] = MEMMAP_RESERVED,
		[EFI_MEM_LOADER_CODE] = MEMMAP_RAM,
		[EFI_MEM_LOADER_DATA] = MEMMAP_RAM,
		[EFI_MEM_BOOT_CODE] = MEMMAP_RAM,
		[EFI_MEM_BOOT_DATA] = MEMMAP_RAM,
		[EFI_MEM_RUNTIME_CODE] = MEMMAP_RESERVED,
		[EFI_MEM_RUNTIME_DATA] = MEMMAP_RESERVED,
		[EFI_MEM_CONVENTIONAL] = MEMMAP_RAM,
		[EFI_MEM_UNUSABLE] = MEMMAP_UNUSABLE,
		[EFI_MEM_ACPI_RECLAIM] = MEMMAP_ACPI,
		[EFI_MEM_ACPI_NVS] = MEMMAP_NVS,
		[EFI_MEM_MMIO] = MEMMAP_RESERVED,
		[EFI_MEM_MMIO_PORT] = MEMMAP_RESERVED,
		[EFI_MEM_PAL_CODE] = MEMMAP_RESERVED,
		[EFI_MEM_PERSISTENT] = MEMMAP_PMEM,
		[EFI_MEM_UNACCEPTED] = 0,
	};
	for (uint32_t t = 0; t < 16; t++)
		ck_assert_uint_eq(memmap_efi_type(t, 0), want[t]);
	ck_assert_uint_eq(memmap_efi_type(16, 0), 0);
	ck_assert_uint_eq(memmap_efi_type(0x70000000, 0), 0);
	ck_assert_uint_eq(memmap_efi_type(0x80000000, 0), 0);
	/* Soft-reserved RAM is not RAM; other types ignore the bit. */
	ck_assert_uint_eq(memmap_efi_type(EFI_MEM_CONVENTIONAL, EFI_MEMORY_SP),
			  MEMMAP_RESERVED);
	ck_assert_uint_eq(memmap_efi_type(EFI_MEM_BOOT_DATA, EFI_MEMORY_SP),
			  MEMMAP_RESERVED);
	ck_assert_uint_eq(memmap_efi_type(EFI_MEM_ACPI_NVS, EFI_MEMORY_SP),
			  MEMMAP_NVS);
	ck_assert_uint_eq(memmap_efi_type(EFI_MEM_CONVENTIONAL, 0xF),
			  MEMMAP_RAM);
}
END_TEST

/* An OVMF-like map, 48-byte stride: merging, drops and gaps. */
START_TEST(ovmf_like_map)
{
	uint8_t buf[48 * 10];
	struct {
		uint32_t type;
		uint64_t start, pages;
	} in[10] = {
		{ EFI_MEM_BOOT_CODE, 0x0, 1 },
		{ EFI_MEM_CONVENTIONAL, 0x1000, 0x9F },
		{ EFI_MEM_CONVENTIONAL, 0x100000, 0x700 },
		{ EFI_MEM_ACPI_NVS, 0x800000, 8 },
		{ EFI_MEM_LOADER_CODE, 0x808000, 0x10 },
		{ EFI_MEM_LOADER_DATA, 0x818000, 0x10 },
		{ EFI_MEM_UNACCEPTED, 0x828000, 0x10 },
		{ EFI_MEM_BOOT_DATA, 0x838000, 0x10 },
		{ EFI_MEM_RUNTIME_DATA, 0x848000, 0x10 },
		{ EFI_MEM_MMIO, 0xFFC00000, 0x400 },
	};
	for (size_t i = 0; i < 10; i++)
		put_desc(buf, 48, i, in[i].type, in[i].start, in[i].pages,
			 i == 9 ? 0x8000000000000000ull : 0xF);
	struct memmap m;
	memmap_init(&m);
	struct view v = view_make(buf, sizeof(buf));
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 10, 48), MEMMAP_EFI_OK);
	ck_assert_uint_eq(m.n, 7);
	/* 0-0xA0000 RAM (page 0 BootServicesCode joined to conventional) */
	ck_assert_uint_eq(m.e[0].addr, 0);
	ck_assert_uint_eq(m.e[0].size, 0xA0000);
	ck_assert_uint_eq(m.e[0].type, MEMMAP_RAM);
	/* a gap before 1 MiB: a new entry */
	ck_assert_uint_eq(m.e[1].addr, 0x100000);
	ck_assert_uint_eq(m.e[1].size, 0x700000);
	ck_assert_uint_eq(m.e[1].type, MEMMAP_RAM);
	ck_assert_uint_eq(m.e[2].addr, 0x800000);
	ck_assert_uint_eq(m.e[2].type, MEMMAP_NVS);
	/* loader code and data merge; the unaccepted range is dropped */
	ck_assert_uint_eq(m.e[3].addr, 0x808000);
	ck_assert_uint_eq(m.e[3].size, 0x20000);
	ck_assert_uint_eq(m.e[3].type, MEMMAP_RAM);
	ck_assert_uint_eq(m.e[4].addr, 0x838000);
	ck_assert_uint_eq(m.e[4].size, 0x10000);
	ck_assert_uint_eq(m.e[4].type, MEMMAP_RAM);
	/* runtime data then MMIO are reserved but not adjacent */
	ck_assert_uint_eq(m.e[5].addr, 0x848000);
	ck_assert_uint_eq(m.e[5].type, MEMMAP_RESERVED);
	ck_assert_uint_eq(m.e[6].type, MEMMAP_RESERVED);
	ck_assert_uint_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_uint_eq(m.n, 7);
	ck_assert_uint_eq(m.e[6].addr, 0xFFC00000);
	ck_assert_uint_eq(m.e[6].size, 0x400000);
}
END_TEST

START_TEST(stride_and_offset)
{
	/* 40-byte descriptors (the minimum) after 8 bytes of other data. */
	uint8_t buf[8 + 40 * 3];
	memset(buf, 0, 8);
	put_desc(buf + 8, 40, 0, EFI_MEM_CONVENTIONAL, 0x100000, 1, 0);
	put_desc(buf + 8, 40, 1, EFI_MEM_ACPI_RECLAIM, 0x101000, 2, 0);
	put_desc(buf + 8, 40, 2, EFI_MEM_ACPI_RECLAIM, 0x103000, 2, 0);
	struct memmap m;
	memmap_init(&m);
	struct view v = view_make(buf, sizeof(buf));
	ck_assert_int_eq(memmap_from_efi(&m, &v, 8, 3, 40), MEMMAP_EFI_OK);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_uint_eq(m.e[1].addr, 0x101000);
	ck_assert_uint_eq(m.e[1].size, 0x4000);
	ck_assert_uint_eq(m.e[1].type, MEMMAP_ACPI);
	/* appends after what m already holds, merging with it */
	ck_assert_int_eq(memmap_from_efi(&m, &v, 8, 1, 40), MEMMAP_EFI_OK);
	ck_assert_uint_eq(m.n, 3);
	/* zero descriptors: nothing */
	ck_assert_int_eq(memmap_from_efi(&m, &v, 8, 0, 40), MEMMAP_EFI_OK);
	ck_assert_uint_eq(m.n, 3);
}
END_TEST

/* GetMemoryMap's DescriptorSize: the EFI entry checks it before it
 * divides by it or strides by it. */
START_TEST(desc_size_checked)
{
	static const uint64_t bad[] = { 0, 8, 24, 32, 39, 44, 47, 52, 41 };
	static const uint64_t good[] = { 40, 48, 56, 64, 4096 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!memmap_efi_desc_size_ok(bad[i]), "%llu",
			      (unsigned long long)bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(memmap_efi_desc_size_ok(good[i]), "%llu",
			      (unsigned long long)good[i]);
	/* memmap_from_efi applies the same rule: 0 is refused, not a loop */
	uint8_t buf[48];
	struct memmap m;
	memmap_init(&m);
	struct view v = view_make(buf, sizeof(buf));
	put_desc(buf, 48, 0, EFI_MEM_CONVENTIONAL, 0, 1, 0);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 1, 0),
			 MEMMAP_EFI_E_DESC_SIZE);
	ck_assert_uint_eq(m.n, 0);
}
END_TEST

/* The EFI entry's identity map: from RAM and ACPI tables, 4 GiB to 2^47;
 * MMIO and reserved descriptors beyond do not stretch it. */
START_TEST(map_end_from_ram)
{
	uint8_t buf[48 * 6];
	struct view v = view_make(buf, sizeof(buf));
	uint64_t end = 1, top = 2;
	/* 512 MiB of RAM, flash below 4 GiB: 4 GiB, the minimum */
	put_desc(buf, 48, 0, EFI_MEM_CONVENTIONAL, 0x100000, 0x1FF00, 0);
	put_desc(buf, 48, 1, EFI_MEM_MMIO, 0xFFC00000, 0x400, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 2, 48, &end, &top),
			 MEMMAP_EFI_OK);
	ck_assert_uint_eq(end, 1ull << 32);
	ck_assert_uint_eq(top, 1ull << 32);
	/* RAM to 6 GiB; MMIO and a reserved range at 2^46 are left out */
	put_desc(buf, 48, 2, EFI_MEM_BOOT_DATA, 0x100000000ull, 0x80000, 0);
	put_desc(buf, 48, 3, EFI_MEM_MMIO, 1ull << 46, 0x100000, 0);
	put_desc(buf, 48, 4, EFI_MEM_RESERVED, (1ull << 46) + (1ull << 32),
		 0x10, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 5, 48, &end, &top),
			 MEMMAP_EFI_OK);
	ck_assert_uint_eq(end, 0x180000000ull);
	ck_assert_uint_eq(top, (1ull << 46) + (1ull << 32) + 0x10000);
	/* ACPI tables and NVS count; soft-reserved RAM, unusable memory
	 * and persistent memory do not */
	put_desc(buf, 48, 3, EFI_MEM_ACPI_RECLAIM, 0x200000000ull, 1, 0);
	put_desc(buf, 48, 4, EFI_MEM_CONVENTIONAL, 0x300000000ull, 1,
		 EFI_MEMORY_SP);
	put_desc(buf, 48, 5, EFI_MEM_PERSISTENT, 0x400000000ull, 1, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 6, 48, &end, &top),
			 MEMMAP_EFI_OK);
	ck_assert_uint_eq(end, 0x200001000ull);
	ck_assert_uint_eq(top, 0x400001000ull);
	put_desc(buf, 48, 3, EFI_MEM_ACPI_NVS, 0x280000000ull, 1, 0);
	put_desc(buf, 48, 4, EFI_MEM_UNUSABLE, 0x300000000ull, 1, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 5, 48, &end, &top),
			 MEMMAP_EFI_OK);
	ck_assert_uint_eq(end, 0x280001000ull);
	/* RAM above 2^47 is clamped there (load.c then refuses it) */
	put_desc(buf, 48, 3, EFI_MEM_CONVENTIONAL, (1ull << 47) - 0x1000, 2, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 4, 48, &end, &top),
			 MEMMAP_EFI_OK);
	ck_assert_uint_eq(end, 1ull << 47);
	ck_assert_uint_eq(top, (1ull << 47) + 0x1000);
	/* a dropped type and an empty descriptor count for nothing */
	put_desc(buf, 48, 0, EFI_MEM_UNACCEPTED, 1ull << 50, 1, 0);
	put_desc(buf, 48, 1, EFI_MEM_CONVENTIONAL, 1ull << 45, 0, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 2, 48, &end, &top),
			 MEMMAP_EFI_OK);
	ck_assert_uint_eq(end, 1ull << 32);
	ck_assert_uint_eq(top, 0);
	/* errors as memmap_from_efi's, and nothing written */
	end = top = 7;
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 2, 0, &end, &top),
			 MEMMAP_EFI_E_DESC_SIZE);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 7, 48, &end, &top),
			 MEMMAP_EFI_E_RANGE);
	put_desc(buf, 48, 1, EFI_MEM_MMIO, UINT64_MAX - 0xFFF, 1, 0);
	ck_assert_int_eq(memmap_efi_map_end(&v, 0, 2, 48, &end, &top),
			 MEMMAP_EFI_E_WRAP);
	ck_assert_uint_eq(end, 7);
	ck_assert_uint_eq(top, 7);
}
END_TEST

START_TEST(errors)
{
	uint8_t buf[48 * 2];
	struct memmap m;
	memmap_init(&m);
	struct view v = view_make(buf, sizeof(buf));
	put_desc(buf, 48, 0, EFI_MEM_CONVENTIONAL, 0, 1, 0);
	put_desc(buf, 48, 1, EFI_MEM_CONVENTIONAL, 0x2000, 1, 0);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 2, 32),
			 MEMMAP_EFI_E_DESC_SIZE);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 2, 44),
			 MEMMAP_EFI_E_DESC_SIZE);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 3, 48), MEMMAP_EFI_E_RANGE);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 8, 2, 48), MEMMAP_EFI_E_RANGE);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, UINT64_MAX / 8, 48),
			 MEMMAP_EFI_E_RANGE);
	ck_assert_uint_eq(m.n, 0);
	/* the last page below 2^64 fits; one ending at 2^64 does not */
	put_desc(buf, 48, 1, EFI_MEM_CONVENTIONAL, UINT64_MAX - 0x1FFF, 1, 0);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 2, 48), MEMMAP_EFI_OK);
	put_desc(buf, 48, 1, EFI_MEM_CONVENTIONAL, UINT64_MAX - 0xFFF, 1, 0);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 2, 48), MEMMAP_EFI_E_WRAP);
	put_desc(buf, 48, 1, EFI_MEM_CONVENTIONAL, 0, UINT64_MAX / 4096 + 1, 0);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 2, 48), MEMMAP_EFI_E_WRAP);
	/* a full map */
	memmap_init(&m);
	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		memmap_add(&m, (uint64_t)i * 0x10000, 0x1000, MEMMAP_NVS);
	put_desc(buf, 48, 0, EFI_MEM_CONVENTIONAL, 0x100000000ull, 1, 0);
	ck_assert_int_eq(memmap_from_efi(&m, &v, 0, 1, 48), MEMMAP_EFI_E_FULL);
	for (int e = 0; e <= MEMMAP_EFI_E_FULL; e++)
		ck_assert_ptr_nonnull(memmap_efi_strerror(e));
}
END_TEST

Suite *memmap_efi_suite(void)
{
	Suite *s = suite_create("memmap_efi");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, types_follow_linux);
	tcase_add_test(tc, ovmf_like_map);
	tcase_add_test(tc, stride_and_offset);
	tcase_add_test(tc, desc_size_checked);
	tcase_add_test(tc, map_end_from_ram);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return s;
}
