// SPDX-License-Identifier: MIT
/*
 * common.c: the checks Multiboot 1 and 2 share, judged from struct mbc
 * (filled by mb1_load / mb2_load): the image, the memory map, the bss,
 * mem_lower / mem_upper, the boot loader name, the command line, the
 * modules and where the loader put its structures.
 */
#include "mbcheck.h"

/* Where a loader's structures may lie: anything but a hole. */
#define HANDOFF_TYPES                                                          \
	(MM_TYPE(MEM_RAM) | MM_TYPE(MEM_RESERVED) | MM_TYPE(MEM_ACPI) |        \
	 MM_TYPE(MEM_NVS))
#define PAGE 4096u

void mbc_expect_in_map(const char *what, uint64_t start, uint64_t end,
		       uint32_t typemask)
{
	uint64_t gap;

	if (mm_covered(mbc.map, mbc.map_n, start, end, typemask, &gap))
		return;
	check_fail("%s 0x%lx-0x%lx: byte 0x%lx not in %s", what, start, end - 1,
		   gap,
		   typemask == MM_TYPE(MEM_RAM) ? "available RAM"
						: "RAM, reserved, ACPI or NVS");
}

static int overlaps(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return s1 < e2 && s2 < e1;
}

static uint64_t image_start(void)
{
	return (uintptr_t)__image_start;
}

static uint64_t image_end(void)
{
	return (uintptr_t)__image_end;
}

/* check.loader=<name>, else "pvhfw". */
static const char *want_loader(size_t *len)
{
	static const char key[] = "check.loader=";
	const char *w =
		mbc.cmdline ? cl_find_prefix(mbc.cmdline, key, len) : NULL;

	if (!w) {
		*len = 5;
		return "pvhfw";
	}
	*len -= sizeof(key) - 1;
	return w + sizeof(key) - 1;
}

static int loader_is_pvhfw(void)
{
	size_t len;
	const char *w = want_loader(&len);

	return len == 5 && memcmp(w, "pvhfw", 5) == 0;
}

void mbc_check_image(void)
{
	check_begin("image");
	if (mb_regs.eip != (uintptr_t)mb_start32)
		check_fail("entered at 0x%x, the Multiboot entry is 0x%lx",
			   mb_regs.eip, (uint64_t)(uintptr_t)mb_start32);
	check_info("0x%lx-0x%lx (data to 0x%lx), entry 0x%x", image_start(),
		   image_end() - 1, (uint64_t)(uintptr_t)__data_end - 1,
		   mb_regs.eip);
	check_end();
}

void mbc_print_map(void)
{
	if (mbc.map_ok)
		map_print(mbc.map, mbc.map_n, "mmap", 1);
}

void mbc_check_map(const char *name)
{
	int at_1m = 0;

	check_begin(name);
	if (!mbc.map_ok) {
		check_fail("%s", mbc.map_why ? mbc.map_why : "no memory map");
		check_end();
		return;
	}
	/* Empty entries hold nothing: left out of the order check. */
	map_check_order(mbc.map, mbc.map_n, 1);
	if (mm_total(mbc.map, mbc.map_n, MEM_RAM) == 0)
		check_fail("no available (type 1) entry");
	for (size_t i = 0; i < mbc.map_n; i++)
		if (mbc.map[i].type == MEM_RAM && mbc.map[i].size &&
		    mbc.map[i].addr == MBC_RAM_AT)
			at_1m = 1;
	if (!at_1m)
		check_fail("no available entry starting at exactly 0x%x (Solo5 "
			   "asserts one)",
			   MBC_RAM_AT);
	check_info("%zu entries at 0x%x, %lu MiB available", mbc.map_n,
		   mbc.map_pa, mm_total(mbc.map, mbc.map_n, MEM_RAM) / MiB);
	check_end();
	mbc_print_map();

	check_begin("mmap.image");
	if (mbc.map_ok)
		mbc_expect_in_map("image", image_start(), image_end(),
				  MM_TYPE(MEM_RAM));
	check_end();
}

void mbc_check_meminfo(void)
{
	uint64_t gap;

	check_begin("meminfo");
	if (!mbc.have_meminfo) {
		check_fail(mbc.proto == 1 ? "flags bit 0 (MEMORY) clear"
					  : "no basic meminfo tag (4)");
		check_end();
		return;
	}
	if (mbc.mem_lower == 0 || mbc.mem_lower > 640)
		check_fail("mem_lower %u KiB, want 1..640", mbc.mem_lower);
	if (mbc.mem_upper == 0)
		check_fail("mem_upper 0");
	/* Both count RAM: from 0, and from 1 MiB up to the first hole. */
	if (mbc.map_ok && mbc.mem_lower &&
	    !mm_covered(mbc.map, mbc.map_n, 0, (uint64_t)mbc.mem_lower * KiB,
			MM_TYPE(MEM_RAM), &gap))
		check_fail("mem_lower %u KiB: byte 0x%lx is not available in "
			   "the map",
			   mbc.mem_lower, gap);
	if (mbc.map_ok && mbc.mem_upper &&
	    !mm_covered(mbc.map, mbc.map_n, MiB,
			MiB + (uint64_t)mbc.mem_upper * KiB, MM_TYPE(MEM_RAM),
			&gap))
		check_fail("mem_upper %u KiB: byte 0x%lx is not available in "
			   "the map",
			   mbc.mem_upper, gap);
	check_info("mem_lower %u KiB, mem_upper %u KiB", mbc.mem_lower,
		   mbc.mem_upper);
	check_end();
}

void mbc_check_loader(void)
{
	size_t wl;
	const char *want = want_loader(&wl);

	check_begin("loader-name");
	if (!mbc.loader_pa)
		check_fail(mbc.proto == 1 ? "flags bit 9 (LOADER_NAME) clear "
					    "or boot_loader_name = 0"
					  : "no boot loader name tag (2)");
	else if (!mbc.loader)
		check_fail("no NUL within %d KiB of 0x%x", MBC_STR_MAX / 1024,
			   mbc.loader_pa);
	else if (strlen(mbc.loader) != wl || memcmp(mbc.loader, want, wl))
		check_fail("\"%.64s\", want \"%.*s\"", mbc.loader, (int)wl,
			   want);
	else
		check_info("\"%s\"", mbc.loader);
	check_end();
}

void mbc_check_cmdline(void)
{
	const char *word = NULL, *rest = "", *w;
	size_t wl = 0, len;
	int have_word = 0;

	if (mbc.cmdline)
		have_word = mb_first_word(mbc.cmdline, &word, &wl, &rest);
	con_printf("%s: cmdline: \"", rt_name);
	print_clean(rest, strlen(rest));
	con_printf("\"\n");

	check_begin("cmdline");
	if (!mbc.cmdline_pa) {
		check_fail(mbc.proto == 1 ? "flags bit 2 (CMDLINE) clear or "
					    "cmdline = 0"
					  : "no command line tag (1)");
	} else if (!mbc.cmdline) {
		check_fail("no NUL within %d KiB of 0x%x", MBC_STR_MAX / 1024,
			   mbc.cmdline_pa);
	} else {
		if (!have_word)
			check_fail("no first word (Multiboot kernels skip it)");
		else if (loader_is_pvhfw() &&
			 (wl != 6 || memcmp(word, "kernel", 6)))
			check_fail("first word \"%.*s\", want \"kernel\"",
				   (int)(wl < 64 ? wl : 64), word);
		if ((w = cl_find_prefix(mbc.cmdline, "fw.", &len)))
			check_fail("firmware option \"%.*s\" was passed on",
				   (int)len, w);
		if (have_word)
			check_info("first word \"%.*s\"",
				   (int)(wl < 64 ? wl : 64), word);
		check_info("%zu bytes at 0x%x", mbc.cmdline_len,
			   mbc.cmdline_pa);
	}
	check_end();
}

/* pvhfw's boot record after modules 0..n-1 (fw.record=on): every field,
 * as docs/measured-boot.md gives them (pvhcheck/record.c). */
static void check_record(const struct mbc_mod *m, uint32_t n)
{
	static struct record_mod before[MBC_MODS_MAX];
	char why[160];

	for (uint32_t j = 0; j < n; j++)
		before[j] = (struct record_mod){
			mbc.mods[j].end - mbc.mods[j].start, mbc.mods[j].str
		};
	const char *bad =
		record_check((const uint8_t *)(uintptr_t)m->start,
			     m->end - m->start, before, n, why, sizeof(why));
	if (bad)
		check_fail("boot record: %s", bad);
	else
		check_info("boot record checked");
}

void mbc_check_modules(void)
{
	uint32_t n =
		mbc.mods_count < MBC_MODS_MAX ? mbc.mods_count : MBC_MODS_MAX;
	uint64_t want;
	int r;

	if (mbc.proto == 1 && mbc.mods_pa &&
	    (uint64_t)mbc.mods_pa + (uint64_t)n * 16 > 4 * GiB)
		n = 0; /* not read: see below */
	for (uint32_t i = 0; i < n; i++) {
		const struct mbc_mod *m = &mbc.mods[i];

		con_printf("%s: module %u: %u bytes \"", rt_name, i,
			   m->end > m->start ? m->end - m->start : 0);
		if (m->str)
			print_clean(m->str, strlen(m->str));
		con_printf("\"\n");
	}

	check_begin("modules");
	if (!mbc.have_mods) {
		check_fail("flags bit 3 (MODS) clear");
		check_end();
		return;
	}
	check_info("%u module%s", mbc.mods_count,
		   mbc.mods_count == 1 ? "" : "s");
	r = mbc.cmdline ? cl_value(mbc.cmdline, "check.modules", &want) : 0;
	if (r < 0)
		check_fail("check.modules= is not a number");
	else if (r > 0 && want != mbc.mods_count)
		check_fail("%u modules, check.modules=%lu", mbc.mods_count,
			   want);
	if (mbc.proto == 1 && mbc.mods_count && !mbc.mods_pa)
		check_fail("mods_addr = 0 with %u modules", mbc.mods_count);
	if (mbc.proto == 1 && mbc.mods_pa &&
	    (uint64_t)mbc.mods_pa + (uint64_t)mbc.mods_count * 16 > 4 * GiB)
		check_fail("module list at 0x%x runs past 4 GiB", mbc.mods_pa);
	if (mbc.mods_count > MBC_MODS_MAX)
		check_info("only the first %d judged", MBC_MODS_MAX);
	if (mbc.page_align)
		check_info("page alignment asked");
	for (uint32_t i = 0; i < n; i++) {
		const struct mbc_mod *m = &mbc.mods[i];
		char what[24];

		fmt_snprintf(what, sizeof(what), "module %u", i);
		if (m->end <= m->start) {
			check_fail("%s: mod_end 0x%x <= mod_start 0x%x", what,
				   m->end, m->start);
			continue;
		}
		if (mbc.page_align && m->start % PAGE)
			check_fail("%s: mod_start 0x%x not page aligned", what,
				   m->start);
		if (!m->str_pa)
			check_fail("%s: string = 0", what);
		else if (!m->str)
			check_fail("%s: string at 0x%x not terminated", what,
				   m->str_pa);
		/* pvhfw's boot record (fw.record=on) lives in its reserved
		 * handoff area; every other module must be in RAM. */
		int record =
			m->str && memcmp(m->str, "pvhfw-boot-record", 18) == 0;
		if (mbc.map_ok)
			mbc_expect_in_map(what, m->start, m->end,
					  record ? MM_TYPE(MEM_RAM) |
							   MM_TYPE(MEM_RESERVED)
						 : MM_TYPE(MEM_RAM));
		if (record && i + 1 != mbc.mods_count)
			check_fail("%s: the boot record is not the last module",
				   what);
		else if (record)
			check_record(m, i);
		if (overlaps(m->start, m->end, image_start(), image_end()))
			check_fail("%s 0x%x-0x%x overlaps the image", what,
				   m->start, m->end - 1);
		for (uint32_t j = 0; j < i; j++)
			if (overlaps(m->start, m->end, mbc.mods[j].start,
				     mbc.mods[j].end))
				check_fail("%s overlaps module %u", what, j);
		if (n <= 4)
			check_info("%u: 0x%x-0x%x", i, m->start, m->end - 1);
	}
	check_end();
}

/* The loader's structures, for the placement checks. */
struct range {
	char what[24];
	uint64_t start, end;
};

#define RANGES_MAX (6 + MBC_MODS_MAX)

static size_t handoff_ranges(struct range *r)
{
	size_t n = 0;

	if (mbc.mbi && mbc.mbi_size)
		r[n++] = (struct range){ "information structure", mbc.mbi,
					 (uint64_t)mbc.mbi + mbc.mbi_size };
	if (mbc.proto != 1) /* Multiboot 2 keeps everything in its tags */
		return n;
	if (mbc.map_pa && mbc.map_len)
		r[n++] = (struct range){ "mmap", mbc.map_pa,
					 (uint64_t)mbc.map_pa + mbc.map_len };
	if (mbc.cmdline)
		r[n++] = (struct range){ "cmdline", mbc.cmdline_pa,
					 mbc.cmdline_pa + mbc.cmdline_len + 1 };
	if (mbc.loader)
		r[n++] = (struct range){ "loader name", mbc.loader_pa,
					 mbc.loader_pa + strlen(mbc.loader) +
						 1 };
	if (mbc.have_mods && mbc.mods_pa && mbc.mods_count)
		r[n++] =
			(struct range){ "module list", mbc.mods_pa,
					mbc.mods_pa +
						(uint64_t)mbc.mods_count * 16 };
	for (uint32_t i = 0; i < mbc.mods_count && i < MBC_MODS_MAX; i++) {
		if (!mbc.mods[i].str)
			continue;
		r[n] = (struct range){ "", mbc.mods[i].str_pa,
				       mbc.mods[i].str_pa +
					       strlen(mbc.mods[i].str) + 1 };
		fmt_snprintf(r[n].what, sizeof(r[n].what), "module %u string",
			     i);
		n++;
	}
	return n;
}

void mbc_check_placement(void)
{
	static struct range r[RANGES_MAX];
	size_t n = handoff_ranges(r);
	uint32_t nm =
		mbc.mods_count < MBC_MODS_MAX ? mbc.mods_count : MBC_MODS_MAX;

	/* Not in a hole, not in our image (bss included), not in a module,
	 * not in each other. */
	check_begin("handoff");
	if (!n)
		check_fail("no information structure to place");
	for (size_t i = 0; i < n; i++) {
		if (mbc.map_ok)
			mbc_expect_in_map(r[i].what, r[i].start, r[i].end,
					  HANDOFF_TYPES);
		if (overlaps(r[i].start, r[i].end, image_start(), image_end()))
			check_fail("%s 0x%lx-0x%lx overlaps the image",
				   r[i].what, r[i].start, r[i].end - 1);
		for (uint32_t m = 0; m < nm; m++)
			if (mbc.mods[m].end > mbc.mods[m].start &&
			    overlaps(r[i].start, r[i].end, mbc.mods[m].start,
				     mbc.mods[m].end))
				check_fail("%s overlaps module %u", r[i].what,
					   m);
		for (size_t j = 0; j < i; j++)
			if (overlaps(r[i].start, r[i].end, r[j].start,
				     r[j].end))
				check_fail("%s overlaps the %s", r[i].what,
					   r[j].what);
	}
	if (n)
		check_info("information structure 0x%lx-0x%lx", r[0].start,
			   r[0].end - 1);
	check_end();

	/* Solo5's virtio target maps only the first GiB, page 0 unmapped. */
	check_begin("handoff.low");
	for (size_t i = 0; i < n; i++)
		if (r[i].start < MBC_LOW_START || r[i].end > MBC_LOW_LIMIT)
			check_fail("%s 0x%lx-0x%lx not in 0x%x-0x%lx",
				   r[i].what, r[i].start, r[i].end - 1,
				   MBC_LOW_START, MBC_LOW_LIMIT - 1);
	check_info("%zu structure%s in 4 KiB-1 GiB", n, n == 1 ? "" : "s");
	check_end();
}
