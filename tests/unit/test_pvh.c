// SPDX-License-Identifier: MIT
/*
 * test_pvh.c: unit tests of pvh_parse (with its refusal of what overlaps
 * the firmware), pvh_build and pvh_strerror. A 2 MiB host buffer stands in
 * for guest physical memory (phys address = offset); tests about the end of
 * memory use a buffer of exactly the view's size so AddressSanitizer
 * catches any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "../../pvh/pvh.h"
#include "suites.h"

#define MEM_SIZE (2u << 20)

static uint8_t *mem;
static struct view phys;
static struct pvh_info *info;

static void setup(void)
{
	mem = calloc(1, MEM_SIZE);
	info = calloc(1, sizeof(*info));
	ck_assert_ptr_nonnull(mem);
	ck_assert_ptr_nonnull(info);
	phys = view_make(mem, MEM_SIZE);
}

static void teardown(void)
{
	free(mem);
	free(info);
	mem = NULL;
	info = NULL;
}

/* Writes a start_info at mem + at; the v1 fields only when version >= 1. */
static void put_si(uint8_t *m, uint64_t at, uint32_t version,
		   uint32_t nr_modules, uint64_t modlist, uint64_t cmdline,
		   uint64_t rsdp, uint64_t mm, uint32_t mm_n)
{
	uint8_t *p = m + at;
	put_u32(p + 0x00, PVH_START_MAGIC);
	put_u32(p + 0x04, version);
	put_u32(p + 0x08, 0);
	put_u32(p + 0x0c, nr_modules);
	put_u64(p + 0x10, modlist);
	put_u64(p + 0x18, cmdline);
	put_u64(p + 0x20, rsdp);
	if (version >= 1) {
		put_u64(p + 0x28, mm);
		put_u32(p + 0x30, mm_n);
		put_u32(p + 0x34, 0);
	}
}

static void put_mod(uint64_t list, uint32_t i, uint64_t paddr, uint64_t size,
		    uint64_t cmd)
{
	uint8_t *p = mem + list + 32 * (uint64_t)i;
	put_u64(p + 0x00, paddr);
	put_u64(p + 0x08, size);
	put_u64(p + 0x10, cmd);
	put_u64(p + 0x18, 0);
}

static void put_mm(uint64_t table, uint32_t i, uint64_t addr, uint64_t size,
		   uint32_t type)
{
	uint8_t *p = mem + table + 24 * (uint64_t)i;
	put_u64(p + 0x00, addr);
	put_u64(p + 0x08, size);
	put_u32(p + 0x10, type);
	put_u32(p + 0x14, 0);
}

static void put_str(uint64_t at, const char *s)
{
	memcpy(mem + at, s, strlen(s) + 1);
}

static enum pvh_err parse(uint64_t at)
{
	return pvh_parse(&phys, at, NULL, info);
}

START_TEST(test_strerror)
{
	static const struct {
		enum pvh_err err;
		const char *msg;
	} t[] = {
		{ PVH_E_RANGE, "start_info is outside memory" },
		{ PVH_E_MAGIC, "bad start_info magic" },
		{ PVH_E_MEMMAP_RANGE, "memory map table is outside memory" },
		{ PVH_E_MEMMAP_TOO_MANY, "too many memory map entries" },
		{ PVH_E_MEMMAP_WRAP, "memory map entry wraps" },
		{ PVH_E_CMDLINE_RANGE, "command line is outside memory" },
		{ PVH_E_CMDLINE_LONG,
		  "command line too long or not terminated" },
		{ PVH_E_MODLIST_RANGE, "module list is outside memory" },
		{ PVH_E_TOO_MANY_MODULES, "too many modules" },
		{ PVH_E_MODULE_WRAP, "module address range wraps" },
		{ PVH_E_MODCMD_RANGE, "module string is outside memory" },
		{ PVH_E_MODCMD_LONG,
		  "module string too long or not terminated" },
		{ PVH_E_START_INFO_OVERLAP,
		  "start_info overlaps the firmware" },
		{ PVH_E_MEMMAP_OVERLAP,
		  "memory map table overlaps the firmware" },
		{ PVH_E_CMDLINE_OVERLAP, "command line overlaps the firmware" },
		{ PVH_E_MODLIST_OVERLAP, "module list overlaps the firmware" },
		{ PVH_E_MODULE_OVERLAP, "module overlaps the firmware" },
		{ PVH_E_MODCMD_OVERLAP, "module string overlaps the firmware" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(pvh_strerror(t[i].err), t[i].msg);
	ck_assert_ptr_nonnull(pvh_strerror(PVH_OK));
	ck_assert_ptr_nonnull(pvh_strerror((enum pvh_err)999));
}
END_TEST

START_TEST(test_v0)
{
	put_si(mem, 0x1000, 0, 1, 0x3000, 0x2000, 0xf5a30, 0, 0);
	put_u32(mem + 0x1008, 0x5);
	/* Where v1 fields would be: must be ignored for version 0. */
	put_u64(mem + 0x1028, 0x5000);
	put_u32(mem + 0x1030, 1);
	put_mm(0x5000, 0, 0, 0x9fc00, MEMMAP_RAM);
	put_str(0x2000, "console=ttyS0 root=/dev/vda");
	put_mod(0x3000, 0, 0x1000000, 0x1234, 0x4000);
	put_str(0x4000, "initrd");

	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->start_info_paddr, 0x1000);
	ck_assert_uint_eq(info->version, 0);
	ck_assert_uint_eq(info->flags, 0x5);
	ck_assert_uint_eq(info->rsdp_paddr, 0xf5a30);
	ck_assert_str_eq(info->cmdline, "console=ttyS0 root=/dev/vda");
	ck_assert_uint_eq(info->nr_modules, 1);
	ck_assert_uint_eq(info->mod[0].paddr, 0x1000000);
	ck_assert_uint_eq(info->mod[0].size, 0x1234);
	ck_assert_str_eq(info->mod[0].cmdline, "initrd");
	ck_assert_uint_eq(info->memmap.n, 0);
}
END_TEST

START_TEST(test_v0_nothing_given)
{
	/* Counts without addresses and addresses without counts. */
	put_si(mem, 0x1000, 0, 3, 0, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_str_eq(info->cmdline, "");
	ck_assert_uint_eq(info->nr_modules, 0);
	ck_assert_uint_eq(info->rsdp_paddr, 0);
	ck_assert_uint_eq(info->memmap.n, 0);

	put_si(mem, 0x1000, 0, 0, 0x3000, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->nr_modules, 0);
}
END_TEST

/*
 * QEMU-like: QEMU's PVH option ROM keeps start_info, the e820 copy and the
 * initrd module entry in its own data; the kernel command line comes from
 * fw_cfg at 0x20000; the initrd sits near the top of low RAM; no RSDP.
 */
START_TEST(test_v1_qemu_like)
{
	const uint64_t si = 0xcb000, mm = 0xcb100, ml = 0xcb080;
	put_si(mem, si, 1, 1, ml, 0x20000, 0, mm, 6);
	put_mm(mm, 0, 0, 0x9fc00, MEMMAP_RAM);
	put_mm(mm, 1, 0x9fc00, 0x400, MEMMAP_RESERVED);
	put_mm(mm, 2, 0xf0000, 0x10000, MEMMAP_RESERVED);
	put_mm(mm, 3, 0x100000, 0x7fee0000, MEMMAP_RAM);
	put_mm(mm, 4, 0xfeffc000, 0x4000, MEMMAP_RESERVED);
	put_mm(mm, 5, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
	put_mod(ml, 0, 0x7f800000, 0x5f1234, 0);
	put_str(0x20000, "console=ttyS0 earlyprintk=serial");

	ck_assert_int_eq(parse(si), PVH_OK);
	ck_assert_uint_eq(info->version, 1);
	ck_assert_uint_eq(info->rsdp_paddr, 0);
	ck_assert_str_eq(info->cmdline, "console=ttyS0 earlyprintk=serial");
	ck_assert_uint_eq(info->nr_modules, 1);
	ck_assert_uint_eq(info->mod[0].paddr, 0x7f800000);
	ck_assert_uint_eq(info->mod[0].size, 0x5f1234);
	ck_assert_str_eq(info->mod[0].cmdline, "");
	ck_assert_uint_eq(info->memmap.n, 6);
	ck_assert_uint_eq(info->memmap.e[0].addr, 0);
	ck_assert_uint_eq(info->memmap.e[0].size, 0x9fc00);
	ck_assert_uint_eq(info->memmap.e[0].type, MEMMAP_RAM);
	ck_assert_uint_eq(info->memmap.e[3].addr, 0x100000);
	ck_assert_uint_eq(info->memmap.e[3].size, 0x7fee0000);
	ck_assert_uint_eq(info->memmap.e[5].addr, 0xfffc0000);
	ck_assert_uint_eq(info->memmap.e[5].type, MEMMAP_RESERVED);
}
END_TEST

/*
 * Cloud-Hypervisor / Firecracker-like: start_info at 0x6000, the module list
 * right after it at 0x6040, the memory map at 0x7000, the command line at
 * 0x20000, the RSDP at 0xa0000 and RAM above 4 GiB.
 */
START_TEST(test_v1_ch_like)
{
	put_si(mem, 0x6000, 1, 2, 0x6040, 0x20000, 0xa0000, 0x7000, 4);
	put_mod(0x6040, 0, 0x3f000000, 0x800000, 0x6100);
	put_mod(0x6040, 1, 0x3f800000, 0x1000, 0);
	put_str(0x6100, "rootfs");
	put_mm(0x7000, 0, 0, 0xa0000, MEMMAP_RAM);
	put_mm(0x7000, 1, 0xa0000, 0x1000, MEMMAP_ACPI);
	put_mm(0x7000, 2, 0x100000, 0xbff00000, MEMMAP_RAM);
	put_mm(0x7000, 3, 0x100000000, 0x40000000, MEMMAP_RAM);
	put_str(0x20000, "console=hvc0 reboot=k panic=1");

	ck_assert_int_eq(parse(0x6000), PVH_OK);
	ck_assert_uint_eq(info->rsdp_paddr, 0xa0000);
	ck_assert_str_eq(info->cmdline, "console=hvc0 reboot=k panic=1");
	ck_assert_uint_eq(info->nr_modules, 2);
	ck_assert_uint_eq(info->mod[0].paddr, 0x3f000000);
	ck_assert_uint_eq(info->mod[0].size, 0x800000);
	ck_assert_str_eq(info->mod[0].cmdline, "rootfs");
	ck_assert_uint_eq(info->mod[1].paddr, 0x3f800000);
	ck_assert_str_eq(info->mod[1].cmdline, "");
	ck_assert_uint_eq(info->memmap.n, 4);
	ck_assert_uint_eq(info->memmap.e[1].type, MEMMAP_ACPI);
	ck_assert_uint_eq(info->memmap.e[3].addr, 0x100000000);
	ck_assert_uint_eq(info->memmap.e[3].size, 0x40000000);
}
END_TEST

START_TEST(test_newer_version)
{
	/* Version 2 is read as version 1 (bytes past 0x38 are ignored). */
	put_si(mem, 0x1000, 2, 0, 0, 0, 0, 0x7000, 1);
	put_mm(0x7000, 0, 0x100000, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->version, 2);
	ck_assert_uint_eq(info->memmap.n, 1);
}
END_TEST

START_TEST(test_memmap_none)
{
	/* 0 entries: n = 0 and no error, whatever the address. */
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0xffffffffffff0000, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->memmap.n, 0);
	/* Address 0 = not given. */
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0, 5);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->memmap.n, 0);
}
END_TEST

START_TEST(test_memmap_raw)
{
	/* Types, order, overlaps and empty entries are kept as they are. */
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0x7000, 4);
	put_mm(0x7000, 0, 0x200000, 0x1000, 0xdeadbeef);
	put_mm(0x7000, 1, 0x100000, 0x200000, 0);
	put_mm(0x7000, 2, 0x100000, 0, MEMMAP_RAM);
	put_mm(0x7000, 3, 0xffffffffffffefff, 0x1000, MEMMAP_RESERVED);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->memmap.n, 4);
	ck_assert_uint_eq(info->memmap.e[0].addr, 0x200000);
	ck_assert_uint_eq(info->memmap.e[0].type, 0xdeadbeef);
	ck_assert_uint_eq(info->memmap.e[1].type, 0);
	ck_assert_uint_eq(info->memmap.e[2].size, 0);
	ck_assert_uint_eq(info->memmap.e[3].addr, 0xffffffffffffefff);
}
END_TEST

START_TEST(test_memmap_max)
{
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0x10000, MEMMAP_MAX);
	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		put_mm(0x10000, i, 0x1000 * (uint64_t)i, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->memmap.n, MEMMAP_MAX);
	ck_assert_uint_eq(info->memmap.e[MEMMAP_MAX - 1].addr,
			  0x1000 * (uint64_t)(MEMMAP_MAX - 1));
}
END_TEST

START_TEST(test_err_range)
{
	ck_assert_int_eq(parse(MEM_SIZE), PVH_E_RANGE);
	ck_assert_int_eq(parse(MEM_SIZE - 0x27), PVH_E_RANGE);
	ck_assert_int_eq(parse(UINT64_MAX), PVH_E_RANGE);
	ck_assert_int_eq(parse(UINT64_MAX - 0x20), PVH_E_RANGE);
	/* Version 1 needs 0x38 bytes. */
	put_si(mem, MEM_SIZE - 0x28, 0, 0, 0, 0, 0, 0, 0);
	put_u32(mem + MEM_SIZE - 0x28 + 4, 1);
	ck_assert_int_eq(parse(MEM_SIZE - 0x28), PVH_E_RANGE);
	put_si(mem, MEM_SIZE - 0x37, 0, 0, 0, 0, 0, 0, 0);
	put_u32(mem + MEM_SIZE - 0x37 + 4, 1);
	ck_assert_int_eq(parse(MEM_SIZE - 0x37), PVH_E_RANGE);
}
END_TEST

START_TEST(test_err_magic)
{
	ck_assert_int_eq(parse(0x1000), PVH_E_MAGIC);
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0, 0);
	put_u32(mem + 0x1000, 0x78c56e33); /* byte-swapped */
	ck_assert_int_eq(parse(0x1000), PVH_E_MAGIC);
	mem[0x1000] ^= 1;
	ck_assert_int_eq(parse(0x1000), PVH_E_MAGIC);
}
END_TEST

START_TEST(test_err_memmap_range)
{
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, MEM_SIZE, 1);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_RANGE);
	/* Two of the three entries fit. */
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, MEM_SIZE - 48, 3);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_RANGE);
	/* The last byte of the table is the last byte of memory: fine. */
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, MEM_SIZE - 48, 2);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->memmap.n, 2);
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, UINT64_MAX - 8, 1);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_RANGE);
}
END_TEST

START_TEST(test_err_memmap_too_many)
{
	/* Refused before the table is read (the address is not even valid). */
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, UINT64_MAX - 8, MEMMAP_MAX + 1);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_TOO_MANY);
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0x7000, UINT32_MAX);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_TOO_MANY);
}
END_TEST

START_TEST(test_err_memmap_wrap)
{
	put_si(mem, 0x1000, 1, 0, 0, 0, 0, 0x7000, 2);
	put_mm(0x7000, 0, 0, 0x9fc00, MEMMAP_RAM);
	put_mm(0x7000, 1, 0xfffffffffffff000, 0x2000, MEMMAP_RAM);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_WRAP);
	put_mm(0x7000, 1, 0x1000, UINT64_MAX, MEMMAP_RESERVED);
	ck_assert_int_eq(parse(0x1000), PVH_E_MEMMAP_WRAP);
}
END_TEST

START_TEST(test_err_cmdline_range)
{
	put_si(mem, 0x1000, 1, 0, 0, MEM_SIZE, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_CMDLINE_RANGE);
	put_si(mem, 0x1000, 1, 0, 0, UINT64_MAX, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_CMDLINE_RANGE);
	/* Runs into the end of memory before its NUL. */
	memcpy(mem + MEM_SIZE - 4, "abcd", 4);
	put_si(mem, 0x1000, 1, 0, 0, MEM_SIZE - 4, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_CMDLINE_RANGE);
	/* The NUL is the last byte of memory: fine. */
	memcpy(mem + MEM_SIZE - 4, "abc", 4);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_str_eq(info->cmdline, "abc");
}
END_TEST

START_TEST(test_cmdline_limit)
{
	const uint64_t at = 0x20000;
	memset(mem + at, 'x', PVH_CMDLINE_MAX - 1);
	mem[at + PVH_CMDLINE_MAX - 1] = 0;
	put_si(mem, 0x1000, 1, 0, 0, at, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(strlen(info->cmdline), PVH_CMDLINE_MAX - 1);
	ck_assert_int_eq(info->cmdline[PVH_CMDLINE_MAX - 2], 'x');

	/* One more character: no NUL within PVH_CMDLINE_MAX bytes. */
	mem[at + PVH_CMDLINE_MAX - 1] = 'x';
	mem[at + PVH_CMDLINE_MAX] = 0;
	ck_assert_int_eq(parse(0x1000), PVH_E_CMDLINE_LONG);
	/* Never terminated at all. */
	memset(mem + at, 'y', 0x10000);
	ck_assert_int_eq(parse(0x1000), PVH_E_CMDLINE_LONG);
}
END_TEST

START_TEST(test_err_modlist_range)
{
	put_si(mem, 0x1000, 1, 2, MEM_SIZE - 32, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODLIST_RANGE);
	put_si(mem, 0x1000, 1, 1, MEM_SIZE - 31, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODLIST_RANGE);
	put_si(mem, 0x1000, 1, 1, UINT64_MAX - 16, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODLIST_RANGE);
	/* The list ends at the end of memory: fine. */
	put_si(mem, 0x1000, 1, 1, MEM_SIZE - 32, 0, 0, 0, 0);
	put_mod(MEM_SIZE - 32, 0, 0x400000, 0x1000, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->nr_modules, 1);
}
END_TEST

START_TEST(test_err_too_many_modules)
{
	/* Refused before the list is read. */
	put_si(mem, 0x1000, 1, PVH_MAX_MODULES + 1, UINT64_MAX - 8, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_TOO_MANY_MODULES);
	put_si(mem, 0x1000, 0, UINT32_MAX, 0x3000, 0, 0, 0, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_TOO_MANY_MODULES);

	/* Exactly the maximum is fine. */
	put_si(mem, 0x1000, 1, PVH_MAX_MODULES, 0x3000, 0, 0, 0, 0);
	for (uint32_t i = 0; i < PVH_MAX_MODULES; i++)
		put_mod(0x3000, i, 0x100000 * (uint64_t)(i + 1), 0x100, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->nr_modules, PVH_MAX_MODULES);
	ck_assert_uint_eq(info->mod[PVH_MAX_MODULES - 1].paddr,
			  0x100000 * (uint64_t)PVH_MAX_MODULES);
}
END_TEST

START_TEST(test_err_module_wrap)
{
	put_si(mem, 0x1000, 1, 2, 0x3000, 0, 0, 0, 0);
	put_mod(0x3000, 0, 0x400000, 0x1000, 0);
	put_mod(0x3000, 1, UINT64_MAX, 1, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODULE_WRAP);
	put_mod(0x3000, 1, 0x1000, UINT64_MAX, 0);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODULE_WRAP);
	/* Ending at the last byte below 2^64 does not wrap. */
	put_mod(0x3000, 1, UINT64_MAX - 0x10, 0x10, 0);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(info->mod[1].size, 0x10);
}
END_TEST

START_TEST(test_err_modcmd_range)
{
	put_si(mem, 0x1000, 1, 1, 0x3000, 0, 0, 0, 0);
	put_mod(0x3000, 0, 0x400000, 0x1000, MEM_SIZE);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODCMD_RANGE);
	put_mod(0x3000, 0, 0x400000, 0x1000, UINT64_MAX - 1);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODCMD_RANGE);
	memcpy(mem + MEM_SIZE - 3, "abc", 3);
	put_mod(0x3000, 0, 0x400000, 0x1000, MEM_SIZE - 3);
	ck_assert_int_eq(parse(0x1000), PVH_E_MODCMD_RANGE);
}
END_TEST

START_TEST(test_modcmd_limit)
{
	const uint64_t at = 0x8000;
	put_si(mem, 0x1000, 1, 1, 0x3000, 0, 0, 0, 0);
	put_mod(0x3000, 0, 0x400000, 0x1000, at);
	memset(mem + at, 'm', PVH_MODCMD_MAX - 1);
	ck_assert_int_eq(parse(0x1000), PVH_OK);
	ck_assert_uint_eq(strlen(info->mod[0].cmdline), PVH_MODCMD_MAX - 1);

	mem[at + PVH_MODCMD_MAX - 1] = 'm';
	ck_assert_int_eq(parse(0x1000), PVH_E_MODCMD_LONG);
}
END_TEST

START_TEST(test_at_end_of_memory)
{
	/* Views over buffers of exactly their size: ASan sees any overrun. */
	const size_t len = 0x10000;
	uint8_t *m = calloc(1, len);
	ck_assert_ptr_nonnull(m);
	struct view v = view_make(m, len);

	put_si(m, len - 0x28, 0, 0, 0, 0, 0x1234, 0, 0);
	ck_assert_int_eq(pvh_parse(&v, len - 0x28, NULL, info), PVH_OK);
	ck_assert_uint_eq(info->version, 0);
	ck_assert_uint_eq(info->rsdp_paddr, 0x1234);
	ck_assert_uint_eq(info->memmap.n, 0);
	ck_assert_int_eq(pvh_parse(&v, len - 0x27, NULL, info), PVH_E_RANGE);

	put_u32(m + len - 0x28 + 4, 1); /* version 1 needs 0x38 bytes */
	ck_assert_int_eq(pvh_parse(&v, len - 0x28, NULL, info), PVH_E_RANGE);

	put_si(m, len - 0x38, 1, 0, 0, 0, 0x5678, 0, 0);
	ck_assert_int_eq(pvh_parse(&v, len - 0x38, NULL, info), PVH_OK);
	ck_assert_uint_eq(info->version, 1);
	ck_assert_uint_eq(info->rsdp_paddr, 0x5678);
	free(m);
}
END_TEST

static void fill_map(struct memmap *mm)
{
	memmap_init(mm);
	ck_assert_int_eq(memmap_add(mm, 0, 0x9fc00, MEMMAP_RAM), MEMMAP_OK);
	ck_assert_int_eq(memmap_add(mm, 0x9fc00, 0x400, MEMMAP_RESERVED),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_add(mm, 0xe0000, 0x20000, MEMMAP_RESERVED),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_add(mm, 0x100000, 0x3ff00000, MEMMAP_RAM),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_add(mm, 0x3fff0000, 0x10000, MEMMAP_ACPI),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_add(mm, 0x100000000, 0x80000000, MEMMAP_PMEM),
			 MEMMAP_OK);
}

START_TEST(test_round_trip)
{
	static struct memmap mm;
	const struct pvh_out_module mods[] = {
		{ 0x1000000, 0x200000, "initrd" },
		{ 0x1200000, 0x1000, NULL },
		{ 0x1300000, 0x2345, "" },
		{ 0x1400000, 7, "x" },
	};
	const char *cmd = "console=ttyS0 root=/dev/vda1 rw";
	const uint64_t at = 0x10008;
	fill_map(&mm);

	size_t need = pvh_build_size(&mm, cmd, mods, 4);
	ck_assert_uint_gt(need, 0);
	memset(mem + at, 0xaa, need + 64);
	size_t used = pvh_build(mem + at, need, at, &mm, cmd, 0xf5a30, mods, 4);
	ck_assert_uint_eq(used, need);
	ck_assert_uint_eq(mem[at + used], 0xaa); /* nothing written past */

	ck_assert_int_eq(parse(at), PVH_OK);
	ck_assert_uint_eq(info->version, 1);
	ck_assert_uint_eq(info->flags, 0);
	ck_assert_uint_eq(info->rsdp_paddr, 0xf5a30);
	ck_assert_str_eq(info->cmdline, cmd);
	ck_assert_uint_eq(info->nr_modules, 4);
	for (uint32_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(info->mod[i].paddr, mods[i].paddr);
		ck_assert_uint_eq(info->mod[i].size, mods[i].size);
		ck_assert_str_eq(info->mod[i].cmdline,
				 mods[i].cmdline ? mods[i].cmdline : "");
	}
	ck_assert_uint_eq(info->memmap.n, mm.n);
	for (uint32_t i = 0; i < mm.n; i++) {
		ck_assert_uint_eq(info->memmap.e[i].addr, mm.e[i].addr);
		ck_assert_uint_eq(info->memmap.e[i].size, mm.e[i].size);
		ck_assert_uint_eq(info->memmap.e[i].type, mm.e[i].type);
	}
}
END_TEST

/* Little-endian reads of the built image, for layout checks. */
static uint64_t rd64(const uint8_t *p)
{
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

START_TEST(test_build_layout)
{
	static struct memmap mm;
	const struct pvh_out_module mods[] = {
		{ 0x2000000, 0x1000, "ab" },
		{ 0x3000000, 0x2000, NULL },
	};
	uint8_t buf[512];
	const uint64_t pa = 0x6000;

	memmap_init(&mm);
	memmap_add(&mm, 0, 0xa0000, MEMMAP_RAM);
	memmap_add(&mm, 0x100000, 0x100000, 7);
	memset(buf, 0xaa, sizeof(buf));
	size_t used =
		pvh_build(buf, sizeof(buf), pa, &mm, "c", 0xe0000, mods, 2);
	/* 0x38 start_info, 0x40 modlist at 0x38, 0x30 memmap at 0x78,
	 * "c" at 0xa8, "ab" at 0xb0: ends at 0xb3. */
	ck_assert_uint_eq(used, 0xb3);
	ck_assert_uint_eq(pvh_build_size(&mm, "c", mods, 2), used);
	ck_assert_uint_eq(rd32(buf + 0x00), PVH_START_MAGIC);
	ck_assert_uint_eq(rd32(buf + 0x04), 1);
	ck_assert_uint_eq(rd32(buf + 0x08), 0);
	ck_assert_uint_eq(rd32(buf + 0x0c), 2);
	ck_assert_uint_eq(rd64(buf + 0x10), pa + 0x38);
	ck_assert_uint_eq(rd64(buf + 0x18), pa + 0xa8);
	ck_assert_uint_eq(rd64(buf + 0x20), 0xe0000);
	ck_assert_uint_eq(rd64(buf + 0x28), pa + 0x78);
	ck_assert_uint_eq(rd32(buf + 0x30), 2);
	ck_assert_uint_eq(rd32(buf + 0x34), 0);
	/* Module entries: reserved 0, no string = 0. */
	ck_assert_uint_eq(rd64(buf + 0x38), 0x2000000);
	ck_assert_uint_eq(rd64(buf + 0x40), 0x1000);
	ck_assert_uint_eq(rd64(buf + 0x48), pa + 0xb0);
	ck_assert_uint_eq(rd64(buf + 0x50), 0);
	ck_assert_uint_eq(rd64(buf + 0x58), 0x3000000);
	ck_assert_uint_eq(rd64(buf + 0x68), 0);
	ck_assert_uint_eq(rd64(buf + 0x70), 0);
	/* Memory map entries: 24 bytes, reserved 0. */
	ck_assert_uint_eq(rd64(buf + 0x78), 0);
	ck_assert_uint_eq(rd64(buf + 0x80), 0xa0000);
	ck_assert_uint_eq(rd32(buf + 0x88), MEMMAP_RAM);
	ck_assert_uint_eq(rd32(buf + 0x8c), 0);
	ck_assert_uint_eq(rd64(buf + 0x90), 0x100000);
	ck_assert_uint_eq(rd32(buf + 0xa0), 7);
	/* Strings and zero padding between them. */
	ck_assert_mem_eq(buf + 0xa8, "c\0\0\0\0\0\0\0ab", 11);
	ck_assert_uint_eq(buf[0xb3], 0xaa);
}
END_TEST

START_TEST(test_build_minimal)
{
	uint8_t buf[0x40];
	/* Nothing but the start_info: all addresses 0. */
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_uint_eq(pvh_build_size(NULL, NULL, NULL, 0), 0x38);
	ck_assert_uint_eq(
		pvh_build(buf, sizeof(buf), 0x1000, NULL, NULL, 0, NULL, 0),
		0x38);
	ck_assert_uint_eq(rd32(buf + 0x0c), 0);
	ck_assert_uint_eq(rd64(buf + 0x10), 0);
	ck_assert_uint_eq(rd64(buf + 0x18), 0);
	ck_assert_uint_eq(rd64(buf + 0x28), 0);
	ck_assert_uint_eq(rd32(buf + 0x30), 0);
	ck_assert_uint_eq(buf[0x38], 0xaa);

	/* An empty command line is still a command line. */
	ck_assert_uint_eq(pvh_build_size(NULL, "", NULL, 0), 0x39);
	ck_assert_uint_eq(
		pvh_build(buf, sizeof(buf), 0x1000, NULL, "", 0, NULL, 0),
		0x39);
	ck_assert_uint_eq(rd64(buf + 0x18), 0x1038);
	ck_assert_uint_eq(buf[0x38], 0);
}
END_TEST

START_TEST(test_build_cap)
{
	static struct memmap mm;
	const struct pvh_out_module mods[] = { { 0x2000000, 0x1000, "mod" } };
	uint8_t buf[1024];
	fill_map(&mm);
	size_t need = pvh_build_size(&mm, "cmd", mods, 1);
	ck_assert_uint_gt(need, 0);
	ck_assert_uint_le(need, sizeof(buf));
	const size_t caps[] = { 0, 1, 0x37, 0x38, need / 2, need - 1 };
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		ck_assert_uint_eq(
			pvh_build(buf, caps[i], 0x8000, &mm, "cmd", 0, mods, 1),
			0);
	ck_assert_uint_eq(pvh_build(buf, need, 0x8000, &mm, "cmd", 0, mods, 1),
			  need);
	ck_assert_uint_eq(
		pvh_build(buf, sizeof(buf), 0x8000, &mm, "cmd", 0, mods, 1),
		need);
}
END_TEST

START_TEST(test_build_bad_input)
{
	static struct memmap mm;
	uint8_t buf[256];
	/* A count with no list. */
	ck_assert_uint_eq(pvh_build_size(NULL, NULL, NULL, 1), 0);
	ck_assert_uint_eq(
		pvh_build(buf, sizeof(buf), 0, NULL, NULL, 0, NULL, 1), 0);
	/* A corrupt map count. */
	memmap_init(&mm);
	mm.n = MEMMAP_MAX + 1;
	ck_assert_uint_eq(pvh_build_size(&mm, NULL, NULL, 0), 0);
	/* Addresses that would wrap. */
	ck_assert_uint_eq(pvh_build(buf, sizeof(buf), UINT64_MAX - 0x10, NULL,
				    "x", 0, NULL, 0),
			  0);
	ck_assert_uint_eq(
		pvh_build(NULL, sizeof(buf), 0, NULL, NULL, 0, NULL, 0), 0);
}
END_TEST

START_TEST(test_build_size_matches)
{
	static struct memmap mm;
	static char longcmd[PVH_CMDLINE_MAX];
	struct pvh_out_module mods[PVH_MAX_MODULES];
	static uint8_t buf[64 * 1024];
	const char *cmds[] = { NULL,	   "",		"a",	"1234567",
			       "12345678", "123456789", longcmd };
	memset(longcmd, 'z', sizeof(longcmd) - 1);
	memmap_init(&mm);
	for (uint32_t n = 0; n <= PVH_MAX_MODULES; n += 7) {
		for (uint32_t i = 0; i < n; i++) {
			mods[i].paddr = 0x100000 * (uint64_t)(i + 1);
			mods[i].size = i;
			mods[i].cmdline = cmds[i % 7];
		}
		for (size_t c = 0; c < 7; c++) {
			size_t sz = pvh_build_size(&mm, cmds[c], mods, n);
			ck_assert_uint_eq(pvh_build(buf, sizeof(buf), 0x100000,
						    &mm, cmds[c], 0, mods, n),
					  sz);
			ck_assert_uint_ge(sz, 0x38);
		}
		memmap_add(&mm, 0x1000 * (uint64_t)n, 0x1000, MEMMAP_RAM);
	}
}
END_TEST

/* The firmware's memory in these tests: [FW_LO, FW_HI). */
#define FW_LO 0x100000u
#define FW_HI 0x140000u
static const struct pvh_range fw_range = { FW_LO, FW_HI };

static enum pvh_err parse_fw(uint64_t at)
{
	return pvh_parse(&phys, at, &fw_range, info);
}

/* A start_info, memory map, command line, module list with two modules
 * and their strings, all below the firmware: accepted with it given. */
static void put_all_below_fw(void)
{
	put_si(mem, 0x1000, 1, 2, 0x3000, 0x5000, 0, 0x7000, 1);
	put_mm(0x7000, 0, 0, 0x9fc00, MEMMAP_RAM);
	put_str(0x5000, "console=ttyS0");
	put_mod(0x3000, 0, 0x400000, 0x1000, 0x6000);
	put_mod(0x3000, 1, 0x401000, 0x1000, 0x6100);
	put_str(0x6000, "kernel");
	put_str(0x6100, "initrd");
}

START_TEST(test_overlap_none)
{
	put_all_below_fw();
	ck_assert_int_eq(parse_fw(0x1000), PVH_OK);
	ck_assert_str_eq(info->cmdline, "console=ttyS0");
	ck_assert_uint_eq(info->nr_modules, 2);
	ck_assert_uint_eq(info->bad.start, 0);
	ck_assert_uint_eq(info->bad.end, 0);
	/* Everything right up to the firmware, and right after it. */
	put_si(mem, FW_LO - 0x38, 1, 2, FW_HI, FW_LO - 0x100, 0, FW_HI + 0x40,
	       1);
	put_str(FW_LO - 0x100, "x");
	put_mm(FW_HI + 0x40, 0, 0, 0x9fc00, MEMMAP_RAM);
	put_mod(FW_HI, 0, FW_LO - 0x1000, 0x1000, 0);
	put_mod(FW_HI, 1, FW_HI, 0x1000, FW_LO - 0x80);
	put_str(FW_LO - 0x80, "initrd");
	ck_assert_int_eq(parse_fw(FW_LO - 0x38), PVH_OK);
	ck_assert_str_eq(info->mod[1].cmdline, "initrd");
	/* An empty module has no byte in the firmware. */
	put_mod(FW_HI, 0, FW_LO, 0, 0);
	ck_assert_int_eq(parse_fw(FW_LO - 0x38), PVH_OK);
	/* No range, or an empty one: nothing is refused. */
	put_si(mem, FW_LO, 1, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(parse(FW_LO), PVH_OK);
	const struct pvh_range empty = { FW_HI, FW_LO };
	ck_assert_int_eq(pvh_parse(&phys, FW_LO, &empty, info), PVH_OK);
}
END_TEST

START_TEST(test_overlap_start_info)
{
	/* Refused before the magic is read: a start_info in the bss is
	 * zeroes by the time it is parsed. */
	ck_assert_int_eq(parse_fw(FW_LO), PVH_E_START_INFO_OVERLAP);
	ck_assert_uint_eq(info->bad.start, FW_LO);
	ck_assert_uint_eq(info->bad.end, FW_LO + 0x28);
	ck_assert_int_eq(parse_fw(FW_HI - 1), PVH_E_START_INFO_OVERLAP);
	ck_assert_int_eq(parse_fw(FW_LO - 0x27), PVH_E_START_INFO_OVERLAP);
	/* Version 0 ends at 0x28; version 1's last bytes over it. */
	put_si(mem, FW_LO - 0x28, 0, 0, 0, 0, 0, 0, 0);
	ck_assert_int_eq(parse_fw(FW_LO - 0x28), PVH_OK);
	put_u32(mem + FW_LO - 0x28 + 4, 1);
	ck_assert_int_eq(parse_fw(FW_LO - 0x28), PVH_E_START_INFO_OVERLAP);
	ck_assert_uint_eq(info->bad.start, FW_LO - 0x28);
	ck_assert_uint_eq(info->bad.end, FW_LO + 0x10);
}
END_TEST

START_TEST(test_overlap_memmap)
{
	put_all_below_fw();
	put_si(mem, 0x1000, 1, 2, 0x3000, 0x5000, 0, FW_LO - 24, 2);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_MEMMAP_OVERLAP);
	ck_assert_uint_eq(info->bad.start, FW_LO - 24);
	ck_assert_uint_eq(info->bad.end, FW_LO + 24);
	ck_assert_uint_eq(info->memmap.n, 0);
	/* Not present (address or count 0): not looked at. */
	put_si(mem, 0x1000, 1, 2, 0x3000, 0x5000, 0, FW_LO, 0);
	ck_assert_int_eq(parse_fw(0x1000), PVH_OK);
}
END_TEST

START_TEST(test_overlap_cmdline)
{
	put_all_below_fw();
	put_si(mem, 0x1000, 1, 2, 0x3000, FW_LO + 0x20, 0, 0x7000, 1);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_CMDLINE_OVERLAP);
	ck_assert_uint_eq(info->bad.start, FW_LO + 0x20);
	ck_assert_uint_eq(info->bad.end, FW_LO + 0x20);
	ck_assert_str_eq(info->cmdline, "");
	/* Running into the firmware before its NUL. */
	memcpy(mem + FW_LO - 4, "abcd", 4);
	put_si(mem, 0x1000, 1, 2, 0x3000, FW_LO - 4, 0, 0x7000, 1);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_CMDLINE_OVERLAP);
	ck_assert_uint_eq(info->bad.start, FW_LO - 4);
	/* Its NUL the last byte before the firmware: fine. */
	mem[FW_LO - 1] = 0;
	ck_assert_int_eq(parse_fw(0x1000), PVH_OK);
	ck_assert_str_eq(info->cmdline, "abc");
}
END_TEST

START_TEST(test_overlap_modules)
{
	put_all_below_fw();
	/* The list. */
	put_si(mem, 0x1000, 1, 2, FW_HI - 0x20, 0x5000, 0, 0x7000, 1);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_MODLIST_OVERLAP);
	ck_assert_uint_eq(info->bad.start, FW_HI - 0x20);
	ck_assert_uint_eq(info->bad.end, FW_HI + 0x20);
	/* Module 1's bytes, over the firmware's first byte. */
	put_si(mem, 0x1000, 1, 2, 0x3000, 0x5000, 0, 0x7000, 1);
	put_mod(0x3000, 1, FW_LO - 0x1000, 0x1001, 0x6100);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_MODULE_OVERLAP);
	ck_assert_uint_eq(info->bad_module, 1);
	ck_assert_uint_eq(info->bad.start, FW_LO - 0x1000);
	ck_assert_uint_eq(info->bad.end, FW_LO + 1);
	ck_assert_uint_eq(info->nr_modules, 1);
	/* Or over all of it. */
	put_mod(0x3000, 1, 0, 0x1000000, 0x6100);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_MODULE_OVERLAP);
	/* Module 0's string. */
	put_mod(0x3000, 1, 0x401000, 0x1000, 0x6100);
	put_mod(0x3000, 0, 0x400000, 0x1000, FW_HI - 1);
	ck_assert_int_eq(parse_fw(0x1000), PVH_E_MODCMD_OVERLAP);
	ck_assert_uint_eq(info->bad_module, 0);
	ck_assert_uint_eq(info->bad.start, FW_HI - 1);
	ck_assert_uint_eq(info->bad.end, FW_HI - 1);
	/* Without the range, all of it is taken. */
	ck_assert_int_eq(parse(0x1000), PVH_OK);
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

START_TEST(test_fuzz)
{
	static struct memmap mm;
	const struct pvh_out_module mods[] = {
		{ 0x1000000, 0x200000, "initrd" },
		{ 0x1200000, 0x1000, NULL },
	};
	const size_t len = 0x400;
	uint8_t img[0x400];
	uint8_t *m = malloc(len);
	ck_assert_ptr_nonnull(m);
	struct view v = view_make(m, len);

	memmap_init(&mm);
	memmap_add(&mm, 0, 0x9fc00, MEMMAP_RAM);
	memmap_add(&mm, 0x100000, 0x1000000, MEMMAP_RAM);
	memset(img, 0, sizeof(img));
	size_t used = pvh_build(img, sizeof(img), 0x80, &mm, "console=ttyS0",
				0xe0000, mods, 2);
	ck_assert_uint_gt(used, 0);

	rng_state = 0x9e3779b97f4a7c15ull;
	for (int iter = 0; iter < 1000; iter++) {
		memset(m, 0, len);
		memcpy(m + 0x80, img, used);
		/* Flip a few bytes, mostly inside the start_info. */
		int flips = 1 + (int)(rng() % 8);
		for (int f = 0; f < flips; f++) {
			uint64_t r = rng();
			size_t at = (r & 1) ? 0x80 + (r >> 8) % 0x38
					    : (r >> 8) % len;
			m[at] = (uint8_t)(r >> 40);
		}
		/* Sometimes an address field points near the end. */
		if (rng() % 4 == 0)
			put_u64(m + 0x80 + 0x10 + 8 * (rng() % 4),
				len - rng() % 64);
		uint64_t at = (rng() % 8 == 0) ? len - rng() % 0x40 : 0x80;
		/* Half the time with a firmware range over part of it. */
		struct pvh_range fw = { rng() % len, 0 };
		fw.end = fw.start + rng() % 0x80;
		enum pvh_err err =
			pvh_parse(&v, at, iter % 2 ? &fw : NULL, info);
		ck_assert_int_le(err, PVH_E_MODCMD_OVERLAP);
		if (err == PVH_OK) {
			ck_assert_uint_le(info->nr_modules, PVH_MAX_MODULES);
			ck_assert_uint_le(info->memmap.n, MEMMAP_MAX);
			ck_assert_uint_lt(strlen(info->cmdline),
					  PVH_CMDLINE_MAX);
			for (uint32_t i = 0; i < info->nr_modules; i++)
				ck_assert_uint_lt(strlen(info->mod[i].cmdline),
						  PVH_MODCMD_MAX);
		}
	}
	free(m);
}
END_TEST

Suite *pvh_suite(void)
{
	Suite *s = suite_create("pvh");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_v0);
	tcase_add_test(tc, test_v0_nothing_given);
	tcase_add_test(tc, test_v1_qemu_like);
	tcase_add_test(tc, test_v1_ch_like);
	tcase_add_test(tc, test_newer_version);
	tcase_add_test(tc, test_memmap_none);
	tcase_add_test(tc, test_memmap_raw);
	tcase_add_test(tc, test_memmap_max);
	tcase_add_test(tc, test_at_end_of_memory);
	tcase_add_test(tc, test_cmdline_limit);
	tcase_add_test(tc, test_modcmd_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_err_range);
	tcase_add_test(tc, test_err_magic);
	tcase_add_test(tc, test_err_memmap_range);
	tcase_add_test(tc, test_err_memmap_too_many);
	tcase_add_test(tc, test_err_memmap_wrap);
	tcase_add_test(tc, test_err_cmdline_range);
	tcase_add_test(tc, test_err_modlist_range);
	tcase_add_test(tc, test_err_too_many_modules);
	tcase_add_test(tc, test_err_module_wrap);
	tcase_add_test(tc, test_err_modcmd_range);
	tcase_add_test(tc, test_overlap_none);
	tcase_add_test(tc, test_overlap_start_info);
	tcase_add_test(tc, test_overlap_memmap);
	tcase_add_test(tc, test_overlap_cmdline);
	tcase_add_test(tc, test_overlap_modules);
	tcase_add_test(tc, test_fuzz);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_build_layout);
	tcase_add_test(tc, test_build_minimal);
	tcase_add_test(tc, test_build_cap);
	tcase_add_test(tc, test_build_bad_input);
	tcase_add_test(tc, test_build_size_matches);
	suite_add_tcase(s, tc);

	return s;
}
