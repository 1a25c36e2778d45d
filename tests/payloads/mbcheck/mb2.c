// SPDX-License-Identifier: MIT
/*
 * mb2.c: the Multiboot 2 information structure at EBX (BOOT-ABIS.md 3.6):
 * the tag walk (walk.c), read into struct mbc (mb2_load), and the checks
 * only Multiboot 2 has: `mbi` (the structure and its tags), `rsdp` (the
 * ACPI tags 14 and 15, which hold copies of the RSDP) and `efimap` (the EFI
 * memory map, tag 17, must not call what the loader placed free). The tags
 * the two protocols share are judged by common.c.
 *
 * Tag bodies, after the 8-byte head {u32 type, u32 size}:
 *   1 command line, 2 boot loader name: a NUL-terminated string;
 *   3 module: u32 mod_start, u32 mod_end (exclusive), the string;
 *   4 basic meminfo (size 16): u32 mem_lower, u32 mem_upper;
 *   6 memory map: see walk.h;
 *   14 ACPI old: a copy of the 20-byte RSDP; 15 ACPI new: a copy of the
 *   ACPI 2.0+ RSDP (its length bytes).
 */
#include "mbcheck.h"

#define TAG_CMDLINE 1
#define TAG_LOADER 2
#define TAG_MODULE 3
#define TAG_MEMINFO 4
#define TAG_MMAP 6
#define TAG_ACPI_OLD 14
#define TAG_ACPI_NEW 15
#define TAG_EFI_MMAP 17
#define TAG_TYPE_MAX 21 /* the highest type the spec defines */

#define HTAG_MODULE_ALIGN 6 /* header tag: modules page aligned */

static struct mb2_tag tags[MBC_TAGS_MAX];
static size_t ntags;
static const char *walk_why;
static uint32_t walk_bad, total_size;

static const uint8_t *at(uint32_t off)
{
	return (const uint8_t *)(uintptr_t)(mbc.mbi + off);
}

static uint32_t rd32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The first tag of a type, or NULL; *count = how many there are. */
static const struct mb2_tag *find(uint32_t type, unsigned *count)
{
	const struct mb2_tag *first = NULL;
	unsigned n = 0;

	for (size_t i = 0; i < ntags; i++) {
		if (tags[i].type != type)
			continue;
		if (!first)
			first = &tags[i];
		n++;
	}
	if (count)
		*count = n;
	return first;
}

/* Whether our own header has the module alignment tag (header.asm). */
static int header_wants_page_align(void)
{
	uint32_t len = rd32_at(mb_header + 8), off = 16;

	while (off + 8 <= len) {
		uint16_t type;
		uint32_t size;

		memcpy(&type, mb_header + off, sizeof(type));
		size = rd32_at(mb_header + off + 4);
		if (type == HTAG_MODULE_ALIGN)
			return 1;
		if (type == 0 || size < 8)
			break;
		off += (size + 7) & ~7u;
	}
	return 0;
}

/* The string of a tag whose body starts skip bytes after its head. */
static const char *tag_str(const struct mb2_tag *t, uint32_t skip, size_t *len)
{
	if (t->size < 8 + skip)
		return NULL;
	return mb_str_in((const char *)at(t->off + 8 + skip),
			 t->size - 8 - skip, len);
}

void mb2_load(void)
{
	const struct mb2_tag *t;
	uint64_t room;
	size_t len;
	uint32_t nmods = 0;

	mbc.page_align = header_wants_page_align();
	mbc.mbi = mb_regs.ebx;
	if (!mbc.mbi || mbc.mbi > 4 * GiB - 8)
		return;
	total_size = rd32_at(at(0));
	room = 4 * GiB - mbc.mbi;
	walk_why = mb2_tag_walk(
		at(0), room < MBC_MB2_MAX ? (uint32_t)room : MBC_MB2_MAX, tags,
		MBC_TAGS_MAX, &ntags, &walk_bad);
	if (!walk_why)
		mbc.mbi_size = total_size;

	if ((t = find(TAG_CMDLINE, NULL))) {
		mbc.cmdline_pa = mbc.mbi + t->off + 8;
		mbc.cmdline = tag_str(t, 0, &len);
		mbc.cmdline_len = mbc.cmdline ? len : 0;
	}
	if ((t = find(TAG_LOADER, NULL))) {
		mbc.loader_pa = mbc.mbi + t->off + 8;
		mbc.loader = tag_str(t, 0, &len);
	}
	if ((t = find(TAG_MEMINFO, NULL)) && t->size >= 16) {
		mbc.have_meminfo = 1;
		mbc.mem_lower = rd32_at(at(t->off + 8));
		mbc.mem_upper = rd32_at(at(t->off + 12));
	}
	if ((t = find(TAG_MMAP, NULL))) {
		long bad;

		mbc.map_pa = mbc.mbi + t->off;
		mbc.map_len = t->size;
		mbc.map_why = mb2_mmap_parse(at(t->off), t->size, mbc.map,
					     MBC_MAP_MAX, &mbc.map_n, &bad);
		mbc.map_ok = !mbc.map_why;
	} else {
		mbc.map_why = "no memory map tag (6)";
	}
	mbc.have_mods = 1;
	for (size_t i = 0; i < ntags; i++) {
		struct mbc_mod *d;

		if (tags[i].type != TAG_MODULE)
			continue;
		if (nmods < MBC_MODS_MAX && tags[i].size >= 16) {
			d = &mbc.mods[nmods];
			d->start = rd32_at(at(tags[i].off + 8));
			d->end = rd32_at(at(tags[i].off + 12));
			d->str_pa = mbc.mbi + tags[i].off + 16;
			d->str = tag_str(&tags[i], 8, &len);
		}
		nmods++;
	}
	mbc.mods_count = nmods;
	mbc.mods_read = nmods < MBC_MODS_MAX ? nmods : MBC_MODS_MAX;
}

void mb2_check_info(void)
{
	static const uint32_t unique[] = { TAG_CMDLINE,	 TAG_LOADER,
					   TAG_MEMINFO,	 TAG_MMAP,
					   TAG_ACPI_OLD, TAG_ACPI_NEW };
	char types[160];
	size_t n = 0;

	check_begin("mbi");
	if (!mbc.mbi) {
		check_fail("EBX = 0");
		check_end();
		return;
	}
	if (mbc.mbi % 8)
		check_fail("EBX 0x%x not 8-byte aligned", mbc.mbi);
	if (mbc.mbi > 4 * GiB - 8) {
		check_fail("EBX 0x%x: no room for the fixed part", mbc.mbi);
		check_end();
		return;
	}
	if (walk_why)
		check_fail("%s (offset 0x%x, total_size %u)", walk_why,
			   walk_bad, total_size);
	for (size_t i = 0; i < sizeof(unique) / sizeof(unique[0]); i++) {
		unsigned c;

		find(unique[i], &c);
		if (c > 1)
			check_fail("%u tags of type %u", c, unique[i]);
	}
	{
		const struct mb2_tag *t = find(TAG_MEMINFO, NULL);

		if (t && t->size != 16)
			check_fail("basic meminfo tag size %u, want 16",
				   t->size);
	}
	for (size_t i = 0; i < ntags; i++)
		if (tags[i].type > TAG_TYPE_MAX)
			check_info("unknown tag type %u at 0x%x", tags[i].type,
				   tags[i].off);
	types[0] = '\0';
	for (size_t i = 0; i < ntags && n + 12 < sizeof(types); i++)
		n += (size_t)fmt_snprintf(types + n, sizeof(types) - n, "%s%u",
					  i ? " " : "", tags[i].type);
	check_info("at 0x%x, total_size %u, %zu tags: %s", mbc.mbi, total_size,
		   ntags, types);
	check_end();
}

/* Tag 14: the 20-byte RSDP of ACPI 1.0 (or the first 20 bytes of a later
 * one, as GRUB copies it). */
static void judge_old(const struct mb2_tag *t)
{
	const uint8_t *p = at(t->off + 8);

	if (t->size < 8 + RSDP_V1_LEN) {
		check_fail("tag 14: size %u, want >= 28", t->size);
		return;
	}
	if (memcmp(p, RSDP_SIG, 8) != 0)
		check_fail("tag 14: signature is not \"RSD PTR \"");
	else if (mb_sum8(p, RSDP_V1_LEN) != 0)
		check_fail("tag 14: checksum over 20 bytes is not 0");
	else
		check_info("tag 14 (old): revision %u, OEM \"%.6s\"",
			   p[RSDP_REVISION], (const char *)p + 9);
}

/* Tag 15: a revision >= 2 RSDP, whole (its length field's bytes). */
static void judge_new(const struct mb2_tag *t)
{
	static uint8_t copy[4096];
	uint32_t body = t->size - 8, len;
	unsigned rev;
	const char *why;

	if (t->size < 8 + RSDP_V2_LEN) {
		check_fail("tag 15: size %u, want >= 44", t->size);
		return;
	}
	memset(copy, 0, sizeof(copy));
	memcpy(copy, at(t->off + 8), body < sizeof(copy) ? body : sizeof(copy));
	memcpy(&len, copy + RSDP_LENGTH, sizeof(len));
	if (copy[RSDP_REVISION] < 2) {
		check_fail("tag 15: revision %u, want >= 2",
			   copy[RSDP_REVISION]);
	} else if (len > body) {
		check_fail("tag 15: RSDP length %u beyond the tag's %u bytes",
			   len, body);
	} else if ((why = rsdp_check(copy, &rev, &len))) {
		check_fail("tag 15: %s", why);
	} else {
		uint64_t xsdt;

		memcpy(&xsdt, copy + 24, sizeof(xsdt));
		check_info("tag 15 (new): revision %u, length %u, XSDT 0x%lx",
			   rev, len, xsdt);
	}
}

void mb2_check_rsdp(void)
{
	const struct mb2_tag *old = find(TAG_ACPI_OLD, NULL);
	const struct mb2_tag *new = find(TAG_ACPI_NEW, NULL);

	check_begin("rsdp");
	if (new)
		judge_new(new);
	if (old)
		judge_old(old);
	if (!old && !new) {
		if (mbc.cmdline && cl_has_word(mbc.cmdline, "check.rsdp=0"))
			check_info("no ACPI tag, allowed by check.rsdp=0");
		else
			check_fail("no ACPI tag (14 or 15)");
	}
	check_end();
}

/* Tag 17: the structure, our image and each module must lie where the EFI
 * map does not say free memory (BootServicesCode/Data, Conventional): a
 * kernel that takes its memory from that map would overwrite them. GRUB's
 * map shows them as LoaderCode/LoaderData. */
static void judge_efi(const struct mb2_tag *t, const char *what, uint64_t start,
		      uint64_t end)
{
	long bad;
	uint32_t type;
	const char *why;

	if (end <= start)
		return;
	why = mb2_efimap_check(at(t->off), t->size, start, end, &bad, &type);
	if (why && bad >= 0)
		check_fail("%s 0x%lx-0x%lx: %s (descriptor %ld, type %u)", what,
			   start, end - 1, why, bad, type);
	else if (why)
		check_fail("tag 17: %s", why);
}

void mb2_check_efimap(void)
{
	const struct mb2_tag *t = find(TAG_EFI_MMAP, NULL);
	uint32_t nm =
		mbc.mods_count < MBC_MODS_MAX ? mbc.mods_count : MBC_MODS_MAX;

	check_begin("efimap");
	if (!t) {
		check_info("no EFI memory map (tag 17)");
		check_end();
		return;
	}
	if (mbc.mbi_size)
		judge_efi(t, "information structure", mbc.mbi,
			  (uint64_t)mbc.mbi + mbc.mbi_size);
	judge_efi(t, "image", (uintptr_t)__image_start, (uintptr_t)__image_end);
	for (uint32_t i = 0; i < nm; i++) {
		char what[24];

		fmt_snprintf(what, sizeof(what), "module %u", i);
		judge_efi(t, what, mbc.mods[i].start, mbc.mods[i].end);
	}
	check_info("information structure, image and %u module(s) in no "
		   "memory it calls free",
		   nm);
	check_end();
}
