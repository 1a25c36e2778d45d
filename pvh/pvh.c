// SPDX-License-Identifier: MIT
/*
 * pvh.c: the Xen PVH boot ABI both ways. pvh_parse() copies the
 * hvm_start_info a VMM hands in, and everything it points to, out of guest
 * memory without trusting any address, size or count in it; pvh_build()
 * lays out a version-1 start_info (with its module list, memory map and
 * strings) for the payload the firmware boots.
 *
 * pvh_parse, in order (the first failing step is the error):
 *   1. the version-0 part (0x28 bytes) must be readable (PVH_E_RANGE),
 *      must not overlap the caller's memory fw (PVH_E_START_INFO_OVERLAP,
 *      before a byte is read: a start_info in the firmware's bss is
 *      zeroes by now) and must start with PVH_START_MAGIC (PVH_E_MAGIC);
 *   2. version >= 1: the whole 0x38-byte structure must be readable
 *      (PVH_E_RANGE) and not overlap fw (PVH_E_START_INFO_OVERLAP);
 *   3. memory map (version >= 1, memmap_entries and memmap_paddr non-zero):
 *      more than MEMMAP_MAX entries (PVH_E_MEMMAP_TOO_MANY), table not
 *      readable (PVH_E_MEMMAP_RANGE), table overlaps fw
 *      (PVH_E_MEMMAP_OVERLAP), an entry whose end passes 2^64
 *      (PVH_E_MEMMAP_WRAP); entries are copied raw, types as they are;
 *   4. command line (cmdline_paddr non-zero), byte by byte: the byte is in
 *      fw (PVH_E_CMDLINE_OVERLAP), memory ends before the NUL
 *      (PVH_E_CMDLINE_RANGE), no NUL within PVH_CMDLINE_MAX bytes
 *      (PVH_E_CMDLINE_LONG);
 *   5. modules (nr_modules and modlist_paddr non-zero): more than
 *      PVH_MAX_MODULES (PVH_E_TOO_MANY_MODULES), list not readable
 *      (PVH_E_MODLIST_RANGE), list overlaps fw (PVH_E_MODLIST_OVERLAP);
 *      for each module, paddr + size wraps (PVH_E_MODULE_WRAP), a module
 *      of non-zero size overlaps fw (PVH_E_MODULE_OVERLAP), its string
 *      fails as in step 4 (PVH_E_MODCMD_OVERLAP, PVH_E_MODCMD_RANGE,
 *      PVH_E_MODCMD_LONG).
 * The overlap checks come before the reads they guard: what lies in the
 * firmware's memory may be damaged already (its bss cleared, its page
 * tables written) or be written by this very copy.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pvh.h"
#include "../lib/inline.h"

/* Byte offsets of the fields (see pvh.h). */
#define SI_MAGIC 0x00
#define SI_VERSION 0x04
#define SI_FLAGS 0x08
#define SI_NR_MODULES 0x0c
#define SI_MODLIST 0x10
#define SI_CMDLINE 0x18
#define SI_RSDP 0x20
#define SI_MEMMAP 0x28
#define SI_MEMMAP_N 0x30
#define SI_RESERVED 0x34
#define SI_V1_SIZE 0x38

#define MOD_PADDR 0x00
#define MOD_SIZE 0x08
#define MOD_CMDLINE 0x10
#define MOD_RESERVED 0x18
#define MOD_SIZE_BYTES 32

#define MM_ADDR 0x00
#define MM_SIZE 0x08
#define MM_TYPE 0x10
#define MM_RESERVED 0x14
#define MM_SIZE_BYTES 24

INLINE bool add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (b > UINT64_MAX - a)
		return false;
	*out = a + b;
	return true;
}

INLINE bool mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return false;
	*out = a * b;
	return true;
}

/* Whether fw holds bytes (an empty range holds none). */
INLINE bool fw_given(const struct pvh_range *fw)
{
	return fw != NULL && fw->start < fw->end;
}

/*
 * Whether [start, start + size) (which does not wrap) overlaps fw; if so,
 * it goes to out->bad.
 */
static bool overlaps(const struct pvh_range *fw, uint64_t start, uint64_t size,
		     struct pvh_info *out)
{
	if (!fw_given(fw) || size == 0 || start >= fw->end ||
	    start + size <= fw->start)
		return false;
	out->bad.start = start;
	out->bad.end = start + size;
	return true;
}

enum str_res { STR_OK, STR_RANGE, STR_LONG, STR_OVERLAP };

/*
 * Copies the NUL-terminated string at addr into dst (max bytes with the NUL).
 * STR_OVERLAP when a byte before the NUL lies in fw (addr goes to out->bad),
 * STR_RANGE when memory ends before the NUL, STR_LONG when there is no NUL
 * within max bytes. dst is always left NUL-terminated.
 */
static enum str_res copy_str(const struct view *v, const struct pvh_range *fw,
			     uint64_t addr, char *dst, size_t max,
			     struct pvh_info *out)
{
	/* Bytes from addr before fw begins (none when addr is in fw). */
	uint64_t room = UINT64_MAX;
	if (fw_given(fw) && addr < fw->end)
		room = addr < fw->start ? fw->start - addr : 0;
	for (size_t i = 0; i < max; i++) {
		uint64_t at;
		uint8_t c;
		if (i == room) {
			out->bad.start = out->bad.end = addr;
			dst[0] = '\0';
			return STR_OVERLAP;
		}
		if (!add_u64(addr, i, &at) || !view_u8(v, at, &c)) {
			dst[0] = '\0';
			return STR_RANGE;
		}
		dst[i] = (char)c;
		if (c == 0)
			return STR_OK;
	}
	dst[0] = '\0';
	return STR_LONG;
}

const char *pvh_strerror(enum pvh_err err)
{
	switch (err) {
	case PVH_OK:
		return "ok";
	case PVH_E_RANGE:
		return "start_info is outside memory";
	case PVH_E_MAGIC:
		return "bad start_info magic";
	case PVH_E_MEMMAP_RANGE:
		return "memory map table is outside memory";
	case PVH_E_MEMMAP_TOO_MANY:
		return "too many memory map entries";
	case PVH_E_MEMMAP_WRAP:
		return "memory map entry wraps";
	case PVH_E_CMDLINE_RANGE:
		return "command line is outside memory";
	case PVH_E_CMDLINE_LONG:
		return "command line too long or not terminated";
	case PVH_E_MODLIST_RANGE:
		return "module list is outside memory";
	case PVH_E_TOO_MANY_MODULES:
		return "too many modules";
	case PVH_E_MODULE_WRAP:
		return "module address range wraps";
	case PVH_E_MODCMD_RANGE:
		return "module string is outside memory";
	case PVH_E_MODCMD_LONG:
		return "module string too long or not terminated";
	case PVH_E_START_INFO_OVERLAP:
		return "start_info overlaps the firmware";
	case PVH_E_MEMMAP_OVERLAP:
		return "memory map table overlaps the firmware";
	case PVH_E_CMDLINE_OVERLAP:
		return "command line overlaps the firmware";
	case PVH_E_MODLIST_OVERLAP:
		return "module list overlaps the firmware";
	case PVH_E_MODULE_OVERLAP:
		return "module overlaps the firmware";
	case PVH_E_MODCMD_OVERLAP:
		return "module string overlaps the firmware";
	}
	return "unknown error";
}

static enum pvh_err parse_memmap(const struct view *phys,
				 const struct pvh_range *fw, uint64_t table,
				 uint32_t entries, struct pvh_info *out)
{
	struct memmap *mm = &out->memmap;
	uint64_t bytes;

	if (entries > MEMMAP_MAX)
		return PVH_E_MEMMAP_TOO_MANY;
	if (!mul_u64(entries, MM_SIZE_BYTES, &bytes) ||
	    !view_has(phys, table, bytes))
		return PVH_E_MEMMAP_RANGE;
	if (overlaps(fw, table, bytes, out))
		return PVH_E_MEMMAP_OVERLAP;
	const uint8_t *t = view_ptr(phys, table, bytes);
	for (uint32_t i = 0; i < entries; i++) {
		const uint8_t *ent = t + (size_t)i * MM_SIZE_BYTES;
		switch (memmap_add(mm, le64(ent + MM_ADDR), le64(ent + MM_SIZE),
				   le32(ent + MM_TYPE))) {
		case MEMMAP_OK:
			break;
		case MEMMAP_E_WRAP:
			return PVH_E_MEMMAP_WRAP;
		default:
			return PVH_E_MEMMAP_TOO_MANY;
		}
	}
	return PVH_OK;
}

static enum pvh_err parse_modules(const struct view *phys,
				  const struct pvh_range *fw, uint64_t list,
				  uint32_t count, struct pvh_info *out)
{
	uint64_t bytes;

	if (count > PVH_MAX_MODULES)
		return PVH_E_TOO_MANY_MODULES;
	if (!mul_u64(count, MOD_SIZE_BYTES, &bytes) ||
	    !view_has(phys, list, bytes))
		return PVH_E_MODLIST_RANGE;
	if (overlaps(fw, list, bytes, out))
		return PVH_E_MODLIST_OVERLAP;
	const uint8_t *l = view_ptr(phys, list, bytes);
	for (uint32_t i = 0; i < count; i++) {
		struct pvh_module *m = &out->mod[i];
		const uint8_t *ent = l + (size_t)i * MOD_SIZE_BYTES;
		uint64_t paddr = le64(ent + MOD_PADDR),
			 size = le64(ent + MOD_SIZE);
		uint64_t str = le64(ent + MOD_CMDLINE), end;
		out->bad_module = i;
		if (!add_u64(paddr, size, &end))
			return PVH_E_MODULE_WRAP;
		if (overlaps(fw, paddr, size, out))
			return PVH_E_MODULE_OVERLAP;
		m->paddr = paddr;
		m->size = size;
		m->cmdline[0] = '\0';
		if (str != 0) {
			switch (copy_str(phys, fw, str, m->cmdline,
					 sizeof(m->cmdline), out)) {
			case STR_OK:
				break;
			case STR_RANGE:
				return PVH_E_MODCMD_RANGE;
			case STR_LONG:
				return PVH_E_MODCMD_LONG;
			case STR_OVERLAP:
				return PVH_E_MODCMD_OVERLAP;
			}
		}
		out->nr_modules = i + 1;
	}
	return PVH_OK;
}

enum pvh_err pvh_parse(const struct view *phys, uint64_t start_info_paddr,
		       const struct pvh_range *fw, struct pvh_info *out)
{
	const uint64_t si = start_info_paddr;
	uint32_t version, nr_modules;
	uint64_t modlist, cmdline;
	enum pvh_err err;

	out->start_info_paddr = si;
	out->version = 0;
	out->flags = 0;
	out->rsdp_paddr = 0;
	out->cmdline[0] = '\0';
	out->nr_modules = 0;
	memmap_init(&out->memmap);
	out->bad.start = out->bad.end = 0;
	out->bad_module = 0;

	/* 1. The version-0 part, where it is, then the magic. */
	const uint8_t *p = view_ptr(phys, si, PVH_START_INFO_V0_SIZE);
	if (!p)
		return PVH_E_RANGE;
	if (overlaps(fw, si, PVH_START_INFO_V0_SIZE, out))
		return PVH_E_START_INFO_OVERLAP;
	if (le32(p + SI_MAGIC) != PVH_START_MAGIC)
		return PVH_E_MAGIC;
	version = le32(p + SI_VERSION);
	nr_modules = le32(p + SI_NR_MODULES);
	modlist = le64(p + SI_MODLIST);
	cmdline = le64(p + SI_CMDLINE);
	out->version = version;
	out->flags = le32(p + SI_FLAGS);
	out->rsdp_paddr = le64(p + SI_RSDP);

	/* 2 and 3. The version-1 fields and the memory map. */
	if (version >= 1) {
		p = view_ptr(phys, si, SI_V1_SIZE);
		if (!p)
			return PVH_E_RANGE;
		if (overlaps(fw, si, SI_V1_SIZE, out))
			return PVH_E_START_INFO_OVERLAP;
		uint64_t mm_paddr = le64(p + SI_MEMMAP);
		uint32_t mm_n = le32(p + SI_MEMMAP_N);
		if (mm_n != 0 && mm_paddr != 0) {
			err = parse_memmap(phys, fw, mm_paddr, mm_n, out);
			if (err != PVH_OK)
				return err;
		}
	}

	/* 4. The command line. */
	if (cmdline != 0) {
		switch (copy_str(phys, fw, cmdline, out->cmdline,
				 sizeof(out->cmdline), out)) {
		case STR_OK:
			break;
		case STR_RANGE:
			return PVH_E_CMDLINE_RANGE;
		case STR_LONG:
			return PVH_E_CMDLINE_LONG;
		case STR_OVERLAP:
			return PVH_E_CMDLINE_OVERLAP;
		}
	}

	/* 5. The modules. */
	if (nr_modules != 0 && modlist != 0) {
		err = parse_modules(phys, fw, modlist, nr_modules, out);
		if (err != PVH_OK)
			return err;
	}
	return PVH_OK;
}

/* Everything pvh_build lays out, gathered for one walk. */
struct build_in {
	uint64_t buf_paddr;
	const struct memmap *mm;
	const char *cmdline;
	uint64_t rsdp;
	const struct pvh_out_module *mods;
	uint32_t nmods;
};

/*
 * Places n bytes at the first 8-byte boundary at or after *end: stores the
 * offset in *at and moves *end past them. False on overflow.
 */
INLINE bool place(uint64_t *end, uint64_t n, uint64_t *at)
{
	uint64_t a;
	if (!add_u64(*end, 7, &a))
		return false;
	a &= ~(uint64_t)7;
	if (!add_u64(a, n, end))
		return false;
	*at = a;
	return true;
}

/* A string pvh_build writes: present and non-empty (or the cmdline ""). */
static bool mod_has_str(const struct pvh_out_module *m)
{
	return m->cmdline != NULL && m->cmdline[0] != '\0';
}

/*
 * Lays everything out and, when buf is not NULL, writes it (buf must already
 * hold *total bytes of zeroes from a previous measuring walk). Stores the
 * number of bytes used in *total. False when a size or address overflows.
 */
static bool build_walk(const struct build_in *in, uint8_t *buf, uint64_t *total)
{
	const uint64_t pa = in->buf_paddr;
	const uint32_t mm_n = in->mm != NULL ? in->mm->n : 0;
	uint64_t end = 0, si, modlist = 0, memmap = 0, cmdline = 0, bytes;

	if (!place(&end, SI_V1_SIZE, &si))
		return false;
	if (in->nmods != 0) {
		if (!mul_u64(in->nmods, MOD_SIZE_BYTES, &bytes) ||
		    !place(&end, bytes, &modlist))
			return false;
	}
	if (mm_n != 0) {
		if (!mul_u64(mm_n, MM_SIZE_BYTES, &bytes) ||
		    !place(&end, bytes, &memmap))
			return false;
	}
	if (in->cmdline != NULL) {
		size_t len = strlen(in->cmdline);
		if (!add_u64(len, 1, &bytes) || !place(&end, bytes, &cmdline))
			return false;
		if (buf != NULL)
			memcpy(buf + cmdline, in->cmdline, len);
	}
	for (uint32_t i = 0; i < in->nmods; i++) {
		const struct pvh_out_module *m = &in->mods[i];
		uint64_t str = 0;
		if (mod_has_str(m)) {
			size_t len = strlen(m->cmdline);
			if (!add_u64(len, 1, &bytes) ||
			    !place(&end, bytes, &str))
				return false;
			if (buf != NULL)
				memcpy(buf + str, m->cmdline, len);
			str += pa;
		}
		if (buf != NULL) {
			uint8_t *ent =
				buf + modlist + (uint64_t)i * MOD_SIZE_BYTES;
			put_u64(ent + MOD_PADDR, m->paddr);
			put_u64(ent + MOD_SIZE, m->size);
			put_u64(ent + MOD_CMDLINE, str);
			put_u64(ent + MOD_RESERVED, 0);
		}
	}
	for (uint32_t i = 0; buf != NULL && i < mm_n; i++) {
		const struct memmap_entry *e = &in->mm->e[i];
		uint8_t *ent = buf + memmap + (uint64_t)i * MM_SIZE_BYTES;
		put_u64(ent + MM_ADDR, e->addr);
		put_u64(ent + MM_SIZE, e->size);
		put_u32(ent + MM_TYPE, e->type);
		put_u32(ent + MM_RESERVED, 0);
	}
	/* buf_paddr + every offset must fit: the block's end must not wrap. */
	if (end > SIZE_MAX || !add_u64(pa, end, &bytes))
		return false;
	if (buf != NULL) {
		uint8_t *p = buf + si;
		put_u32(p + SI_MAGIC, PVH_START_MAGIC);
		put_u32(p + SI_VERSION, 1);
		put_u32(p + SI_FLAGS, 0);
		put_u32(p + SI_NR_MODULES, in->nmods);
		put_u64(p + SI_MODLIST, in->nmods != 0 ? pa + modlist : 0);
		put_u64(p + SI_CMDLINE, in->cmdline != NULL ? pa + cmdline : 0);
		put_u64(p + SI_RSDP, in->rsdp);
		put_u64(p + SI_MEMMAP, mm_n != 0 ? pa + memmap : 0);
		put_u32(p + SI_MEMMAP_N, mm_n);
		put_u32(p + SI_RESERVED, 0);
	}
	*total = end;
	return true;
}

/* Refuses inputs that cannot be laid out: a list the count overruns. */
static bool build_in_ok(const struct build_in *in)
{
	if (in->mm != NULL && in->mm->n > MEMMAP_MAX)
		return false;
	if (in->nmods != 0 && in->mods == NULL)
		return false;
	return true;
}

size_t pvh_build(uint8_t *buf, size_t cap, uint64_t buf_paddr,
		 const struct memmap *mm, const char *cmdline, uint64_t rsdp,
		 const struct pvh_out_module *mods, uint32_t nmods)
{
	const struct build_in in = {
		buf_paddr, mm, cmdline, rsdp, mods, nmods
	};
	uint64_t total;

	if (buf == NULL || !build_in_ok(&in) || !build_walk(&in, NULL, &total))
		return 0;
	if (total > cap)
		return 0;
	memset(buf, 0, (size_t)total);
	if (!build_walk(&in, buf, &total))
		return 0;
	return (size_t)total;
}

size_t pvh_build_size(const struct memmap *mm, const char *cmdline,
		      const struct pvh_out_module *mods, uint32_t nmods)
{
	const struct build_in in = { 0, mm, cmdline, 0, mods, nmods };
	uint64_t total;

	if (!build_in_ok(&in) || !build_walk(&in, NULL, &total))
		return 0;
	return (size_t)total;
}
