// SPDX-License-Identifier: MIT
/*
 * mb1.c: the Multiboot 1 information structure at EBX (BOOT-ABIS.md 3.3):
 * read into struct mbc (mb1_load) and its own check, `mbi` (the flags).
 * The fields the two protocols share are judged by common.c.
 *
 *   0 flags   4 mem_lower   8 mem_upper   12 boot_device   16 cmdline
 *   20 mods_count   24 mods_addr   28 syms[4]   44 mmap_length
 *   48 mmap_addr   52 drives_length   56 drives_addr   60 config_table
 *   64 boot_loader_name   68 apm_table   72-87 VBE   88-115 framebuffer
 *
 * Module entry (16 bytes): mod_start, mod_end (exclusive), string, 0.
 */
#include "mbcheck.h"

#define MI_FLAGS 0
#define MI_MEM_LOWER 4
#define MI_MEM_UPPER 8
#define MI_CMDLINE 16
#define MI_MODS_COUNT 20
#define MI_MODS_ADDR 24
#define MI_MMAP_LENGTH 44
#define MI_MMAP_ADDR 48
#define MI_LOADER_NAME 64
#define MI_SIZE_VBE 88 /* the structure up to the VBE fields */
#define MI_SIZE_FB 116 /* ... and the framebuffer fields (flag 12) */

#define F_MEMORY (1u << 0)
#define F_BOOTDEV (1u << 1)
#define F_CMDLINE (1u << 2)
#define F_MODS (1u << 3)
#define F_AOUT_SYMS (1u << 4)
#define F_ELF_SHDR (1u << 5)
#define F_MMAP (1u << 6)
#define F_LOADER_NAME (1u << 9)
#define F_FRAMEBUFFER (1u << 12)

#define MOD_SIZE 16
#define MMAP_MAX_LEN (64 * 1024) /* a sane mmap_length */

static uint8_t info[MI_SIZE_FB];
static uint32_t flags;

static uint32_t field(unsigned off)
{
	uint32_t v;

	memcpy(&v, info + off, sizeof(v));
	return v;
}

/* A module string or the loader name: NULL when 0 or not terminated. */
static const char *str_at(uint32_t pa, size_t max, size_t *len)
{
	uint64_t room = 4 * GiB - pa;

	if (!pa)
		return NULL;
	return mb_str_in((const char *)(uintptr_t)pa,
			 room < max ? (size_t)room : max, len);
}

void mb1_load(void)
{
	size_t len;
	uint32_t hdr_flags;

	memcpy(&hdr_flags, mb_header + 4, sizeof(hdr_flags));
	mbc.page_align = !!(hdr_flags & MB1_HDR_FLAG_PAGE_ALIGN);
	mbc.mbi = mb_regs.ebx;
	if (!mbc.mbi || mbc.mbi > 4 * GiB - sizeof(info))
		return;
	phys_copy(info, mbc.mbi, sizeof(info));
	flags = field(MI_FLAGS);
	mbc.mbi_size = flags & F_FRAMEBUFFER ? MI_SIZE_FB : MI_SIZE_VBE;

	if (flags & F_MEMORY) {
		mbc.have_meminfo = 1;
		mbc.mem_lower = field(MI_MEM_LOWER);
		mbc.mem_upper = field(MI_MEM_UPPER);
	}
	if (flags & F_CMDLINE) {
		mbc.cmdline_pa = field(MI_CMDLINE);
		mbc.cmdline = str_at(mbc.cmdline_pa, MBC_STR_MAX, &len);
		mbc.cmdline_len = mbc.cmdline ? len : 0;
	}
	if (flags & F_LOADER_NAME) {
		mbc.loader_pa = field(MI_LOADER_NAME);
		mbc.loader = str_at(mbc.loader_pa, MBC_STR_MAX, &len);
	}
	if (flags & F_MODS) {
		mbc.have_mods = 1;
		mbc.mods_count = field(MI_MODS_COUNT);
		mbc.mods_pa = field(MI_MODS_ADDR);
		uint32_t n = mbc.mods_count < MBC_MODS_MAX ? mbc.mods_count
							   : MBC_MODS_MAX;

		if (!mbc.mods_pa ||
		    (uint64_t)mbc.mods_pa + (uint64_t)n * MOD_SIZE > 4 * GiB)
			n = 0; /* the modules check says why */
		mbc.mods_read = n;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t m[4];
			struct mbc_mod *d = &mbc.mods[i];

			phys_copy(m, mbc.mods_pa + (uint64_t)i * MOD_SIZE,
				  MOD_SIZE);
			d->start = m[0];
			d->end = m[1];
			d->str_pa = m[2];
			d->str = str_at(m[2], MODSTR_MAX, &len);
		}
	}
	if (flags & F_MMAP) {
		mbc.map_pa = field(MI_MMAP_ADDR);
		mbc.map_len = field(MI_MMAP_LENGTH);
		if (!mbc.map_pa) {
			mbc.map_why = "mmap_addr = 0";
		} else if (mbc.map_len == 0) {
			mbc.map_why = "mmap_length = 0";
		} else if (mbc.map_len > MMAP_MAX_LEN ||
			   (uint64_t)mbc.map_pa + mbc.map_len > 4 * GiB) {
			mbc.map_why = "mmap_length above 64 KiB or past 4 GiB";
		} else {
			uint32_t bad;

			mbc.map_why = mb1_mmap_walk(
				(const uint8_t *)(uintptr_t)mbc.map_pa,
				mbc.map_len, mbc.map, MBC_MAP_MAX, &mbc.map_n,
				&bad);
			mbc.map_ok = !mbc.map_why;
		}
	} else {
		mbc.map_why = "flags bit 6 (MMAP) clear";
	}
}

void mb1_check_info(void)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} want[] = {
		{ F_MEMORY, "MEMORY (0)" },
		{ F_CMDLINE, "CMDLINE (2)" },
		{ F_MODS, "MODS (3)" },
		{ F_MMAP, "MMAP (6)" },
		{ F_LOADER_NAME, "LOADER_NAME (9)" },
	};

	check_begin("mbi");
	if (!mbc.mbi) {
		check_fail("EBX = 0");
		check_end();
		return;
	}
	if (!mbc.mbi_size) {
		check_fail("EBX 0x%x: the structure would pass 4 GiB", mbc.mbi);
		check_end();
		return;
	}
	if (mbc.mbi % 4)
		check_fail("EBX 0x%x not 4-byte aligned", mbc.mbi);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!(flags & want[i].bit))
			check_fail("flag %s clear", want[i].name);
	if ((flags & F_AOUT_SYMS) && (flags & F_ELF_SHDR))
		check_fail("flags 4 (a.out symbols) and 5 (ELF sections) both "
			   "set");
	check_info("at 0x%x, flags 0x%x", mbc.mbi, flags);
	if (flags & F_BOOTDEV) {
		uint32_t bd;

		memcpy(&bd, info + 12, sizeof(bd));
		check_info("boot_device 0x%08x", bd);
	}
	check_end();
}
