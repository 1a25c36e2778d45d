// SPDX-License-Identifier: MIT
/*
 * fuzz_pvh.c: libFuzzer target for pvh_parse and pvh_build.
 *
 * Input: an 8-byte header, then guest memory (physical address = offset
 * into the rest of the input, which ends exactly where libFuzzer's buffer
 * ends, so AddressSanitizer catches reads past the end of memory).
 *   bytes 0..3  start_info address, modulo (memory size + 16); when byte 7
 *               is 0xff it is 2^64 - 1 - this value instead (wrap tests)
 *   bytes 4..5  physical address (& 0xfff) of the rebuilt block
 *   byte 6      round-trip options: bit 0 passes an empty command line as
 *               NULL, bit 1 leaves the memory map out; bit 2 gives
 *               pvh_parse a firmware range, from the address of bytes 4..5
 *               (& 0xfff), 64 * (1 + (byte 6 >> 3)) bytes long
 *
 * Checks:
 *   - the error equals that of a reference parser written here from the
 *     order documented in pvh.c; on success every field equals what the
 *     reference read (module list, memory map entries, strings); on an
 *     overlap with the firmware range, what overlaps (and the module)
 *     equals what the reference found;
 *   - for any result, the strings are NUL-terminated within their limits;
 *   - round trip: pvh_build_size, then pvh_build into a buffer of exactly
 *     that size (and refusal of one byte less), then pvh_parse of the
 *     built block gives back the same command line, RSDP, modules and
 *     memory map; every structure in the block is 8-byte aligned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pvh/pvh.h"

struct mem {
	const uint8_t *p;
	uint64_t len;
};

/* Reads n bytes at base + off; false when the sum wraps or is outside. */
static bool ref_rd(const struct mem *m, uint64_t base, uint64_t off,
		   unsigned int n, uint64_t *out)
{
	if (off > UINT64_MAX - base || !in_buf(m->len, base + off, n))
		return false;
	*out = ld_le(m->p + base + off, n);
	return true;
}

/* Whether [a, a + n) (not wrapping) and the firmware range share a byte;
 * if so, it goes to r->bad. */
static bool ref_over(const struct pvh_range *fw, uint64_t a, uint64_t n,
		     struct pvh_info *r)
{
	if (!fw || n == 0)
		return false;
	for (uint64_t x = fw->start; x < fw->end; x++)
		if (x >= a && x - a < n) {
			r->bad.start = a;
			r->bad.end = a + n;
			return true;
		}
	return false;
}

static enum pvh_err ref_str(const struct mem *m, const struct pvh_range *fw,
			    uint64_t addr, char *dst, size_t max,
			    enum pvh_err range, enum pvh_err lng,
			    enum pvh_err over, struct pvh_info *r)
{
	for (size_t i = 0; i < max; i++) {
		if (fw && i <= UINT64_MAX - addr && addr + i >= fw->start &&
		    addr + i < fw->end) {
			r->bad.start = r->bad.end = addr;
			return over;
		}
		if (i > UINT64_MAX - addr || addr + i >= m->len)
			return range;
		dst[i] = (char)m->p[addr + i];
		if (dst[i] == '\0')
			return PVH_OK;
	}
	return lng;
}

/* The documented steps, independently. Fills r->cmdline, mod, memmap. */
static enum pvh_err ref_parse(const struct mem *m, uint64_t si,
			      const struct pvh_range *fw, struct pvh_info *r)
{
	uint64_t magic, version, flags, nmod, modlist, cmdline, rsdp, mm, mmn;

	memset(r, 0, offsetof(struct pvh_info, mod));
	r->memmap.n = 0;
	r->bad.start = r->bad.end = 0;
	r->bad_module = 0;
	if (!in_buf(m->len, si, 0x28))
		return PVH_E_RANGE;
	if (ref_over(fw, si, 0x28, r))
		return PVH_E_START_INFO_OVERLAP;
	ref_rd(m, si, 0x00, 4, &magic);
	ref_rd(m, si, 0x04, 4, &version);
	ref_rd(m, si, 0x08, 4, &flags);
	ref_rd(m, si, 0x0c, 4, &nmod);
	ref_rd(m, si, 0x10, 8, &modlist);
	ref_rd(m, si, 0x18, 8, &cmdline);
	ref_rd(m, si, 0x20, 8, &rsdp);
	if (magic != 0x336ec578)
		return PVH_E_MAGIC;
	r->start_info_paddr = si;
	r->version = (uint32_t)version;
	r->flags = (uint32_t)flags;
	r->rsdp_paddr = rsdp;

	if (version >= 1) {
		if (!in_buf(m->len, si, 0x38))
			return PVH_E_RANGE;
		if (ref_over(fw, si, 0x38, r))
			return PVH_E_START_INFO_OVERLAP;
		ref_rd(m, si, 0x28, 8, &mm);
		ref_rd(m, si, 0x30, 4, &mmn);
		if (mm != 0 && mmn != 0) {
			if (mmn > MEMMAP_MAX)
				return PVH_E_MEMMAP_TOO_MANY;
			if (!in_buf(m->len, mm, mmn * 24))
				return PVH_E_MEMMAP_RANGE;
			if (ref_over(fw, mm, mmn * 24, r))
				return PVH_E_MEMMAP_OVERLAP;
			for (uint64_t i = 0; i < mmn; i++) {
				struct memmap_entry *e = &r->memmap.e[i];
				uint64_t t;
				ref_rd(m, mm, i * 24, 8, &e->addr);
				ref_rd(m, mm, i * 24 + 8, 8, &e->size);
				ref_rd(m, mm, i * 24 + 16, 4, &t);
				e->type = (uint32_t)t;
				e->pad = 0;
				if (e->size > UINT64_MAX - e->addr)
					return PVH_E_MEMMAP_WRAP;
				r->memmap.n++;
			}
		}
	}

	if (cmdline != 0) {
		enum pvh_err err =
			ref_str(m, fw, cmdline, r->cmdline, PVH_CMDLINE_MAX,
				PVH_E_CMDLINE_RANGE, PVH_E_CMDLINE_LONG,
				PVH_E_CMDLINE_OVERLAP, r);
		if (err != PVH_OK)
			return err;
	}

	if (nmod != 0 && modlist != 0) {
		if (nmod > PVH_MAX_MODULES)
			return PVH_E_TOO_MANY_MODULES;
		if (!in_buf(m->len, modlist, nmod * 32))
			return PVH_E_MODLIST_RANGE;
		if (ref_over(fw, modlist, nmod * 32, r))
			return PVH_E_MODLIST_OVERLAP;
		for (uint64_t i = 0; i < nmod; i++) {
			struct pvh_module *md = &r->mod[i];
			uint64_t str;
			ref_rd(m, modlist, i * 32, 8, &md->paddr);
			ref_rd(m, modlist, i * 32 + 8, 8, &md->size);
			ref_rd(m, modlist, i * 32 + 16, 8, &str);
			r->bad_module = (uint32_t)i;
			if (md->size > UINT64_MAX - md->paddr)
				return PVH_E_MODULE_WRAP;
			if (ref_over(fw, md->paddr, md->size, r))
				return PVH_E_MODULE_OVERLAP;
			md->cmdline[0] = '\0';
			if (str != 0) {
				enum pvh_err err = ref_str(
					m, fw, str, md->cmdline, PVH_MODCMD_MAX,
					PVH_E_MODCMD_RANGE, PVH_E_MODCMD_LONG,
					PVH_E_MODCMD_OVERLAP, r);
				if (err != PVH_OK)
					return err;
			}
			r->nr_modules++;
		}
	}
	return PVH_OK;
}

static void check_strings(const struct pvh_info *p)
{
	CHECK(bounded_len(p->cmdline, PVH_CMDLINE_MAX) < PVH_CMDLINE_MAX,
	      "command line not NUL-terminated");
	CHECK(p->nr_modules <= PVH_MAX_MODULES, "nr_modules %u", p->nr_modules);
	for (uint32_t i = 0; i < p->nr_modules; i++)
		CHECK(bounded_len(p->mod[i].cmdline, PVH_MODCMD_MAX) <
			      PVH_MODCMD_MAX,
		      "module %u string not NUL-terminated", i);
}

static void check_same(const struct pvh_info *a, const struct pvh_info *b,
		       const char *what)
{
	CHECK(a->version == b->version && a->flags == b->flags &&
		      a->rsdp_paddr == b->rsdp_paddr,
	      "%s: version/flags/rsdp differ", what);
	CHECK(strcmp(a->cmdline, b->cmdline) == 0,
	      "%s: command line \"%s\" vs \"%s\"", what, a->cmdline,
	      b->cmdline);
	CHECK(a->nr_modules == b->nr_modules, "%s: %u modules vs %u", what,
	      a->nr_modules, b->nr_modules);
	for (uint32_t i = 0; i < a->nr_modules; i++)
		CHECK(a->mod[i].paddr == b->mod[i].paddr &&
			      a->mod[i].size == b->mod[i].size &&
			      strcmp(a->mod[i].cmdline, b->mod[i].cmdline) == 0,
		      "%s: module %u differs", what, i);
	CHECK(a->memmap.n == b->memmap.n, "%s: %u map entries vs %u", what,
	      a->memmap.n, b->memmap.n);
	for (uint32_t i = 0; i < a->memmap.n; i++)
		CHECK(a->memmap.e[i].addr == b->memmap.e[i].addr &&
			      a->memmap.e[i].size == b->memmap.e[i].size &&
			      a->memmap.e[i].type == b->memmap.e[i].type,
		      "%s: map entry %u differs", what, i);
}

static void round_trip(const struct pvh_info *info, uint64_t pa, uint8_t opts)
{
	static struct pvh_out_module mods[PVH_MAX_MODULES];
	static struct pvh_info back, want;
	const struct memmap *mm = opts & 2 ? NULL : &info->memmap;
	const char *cmdline = info->cmdline;

	if (opts & 1 && cmdline[0] == '\0')
		cmdline = NULL;
	for (uint32_t i = 0; i < info->nr_modules; i++) {
		mods[i].paddr = info->mod[i].paddr;
		mods[i].size = info->mod[i].size;
		mods[i].cmdline = info->mod[i].cmdline;
		if (opts & 1 && mods[i].cmdline[0] == '\0')
			mods[i].cmdline = NULL;
	}

	size_t need = pvh_build_size(mm, cmdline, mods, info->nr_modules);
	CHECK(need >= sizeof(struct hvm_start_info), "build size %zu", need);

	/* One byte short: refused, and nothing written past the buffer. */
	uint8_t *small = malloc(need - 1);
	CHECK(small != NULL, "out of memory");
	size_t got = pvh_build(small, need - 1, pa, mm, cmdline,
			       info->rsdp_paddr, mods, info->nr_modules);
	CHECK(got == 0, "pvh_build into %zu bytes of %zu needed returned %zu",
	      need - 1, need, got);
	free(small);

	uint8_t *mem = malloc(pa + need);
	CHECK(mem != NULL, "out of memory");
	memset(mem, 0xa5, pa);
	got = pvh_build(mem + pa, need, pa, mm, cmdline, info->rsdp_paddr, mods,
			info->nr_modules);
	CHECK(got == need, "pvh_build returned %zu, size said %zu", got, need);

	/* Alignment of every structure in the block. */
	const uint8_t *si = mem + pa;
	uint64_t p_mod = ld_le(si + 0x10, 8), p_cmd = ld_le(si + 0x18, 8);
	uint64_t p_mm = ld_le(si + 0x28, 8);
	CHECK((p_mod == 0 || (p_mod - pa) % 8 == 0) &&
		      (p_cmd == 0 || (p_cmd - pa) % 8 == 0) &&
		      (p_mm == 0 || (p_mm - pa) % 8 == 0),
	      "built structure not 8-byte aligned");
	CHECK(ld_le(si + 0x04, 4) == 1, "built version %u",
	      (unsigned)ld_le(si + 0x04, 4));

	const struct view phys = view_make(mem, pa + got);
	enum pvh_err err = pvh_parse(&phys, pa, NULL, &back);
	CHECK(err == PVH_OK, "parsing the built block: %s", pvh_strerror(err));
	check_strings(&back);

	want = *info;
	want.version = 1;
	want.flags = 0;
	if (mm == NULL)
		want.memmap.n = 0;
	check_same(&back, &want, "round trip");
	free(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pvh_info info, ref;

	if (size < 8)
		return 0;
	const struct mem m = { data + 8, size - 8 };
	uint64_t sel = ld_le(data, 4);
	uint64_t si = data[7] == 0xff ? UINT64_MAX - sel : sel % (m.len + 16);
	uint64_t pa = ld_le(data + 4, 2) & 0xfff;
	uint8_t opts = data[6];

	const struct pvh_range fw = { pa,
				      pa + 64 * (1 + (uint64_t)(opts >> 3)) };
	const struct pvh_range *fwp = opts & 4 ? &fw : NULL;

	const struct view phys = view_make(m.p, m.len);
	enum pvh_err err = pvh_parse(&phys, si, fwp, &info);
	CHECK(pvh_strerror(err) != NULL, "pvh_strerror(%d) is NULL", err);
	check_strings(&info);

	enum pvh_err want = ref_parse(&m, si, fwp, &ref);
	CHECK(err == want, "pvh_parse: %d (%s), reference: %d (%s)", err,
	      pvh_strerror(err), want, pvh_strerror(want));
	if (err >= PVH_E_START_INFO_OVERLAP) {
		CHECK(info.bad.start == ref.bad.start &&
			      info.bad.end == ref.bad.end,
		      "overlap 0x%llx-0x%llx, reference 0x%llx-0x%llx",
		      (unsigned long long)info.bad.start,
		      (unsigned long long)info.bad.end,
		      (unsigned long long)ref.bad.start,
		      (unsigned long long)ref.bad.end);
		if (err == PVH_E_MODULE_OVERLAP || err == PVH_E_MODCMD_OVERLAP)
			CHECK(info.bad_module == ref.bad_module,
			      "overlap of module %u, reference %u",
			      info.bad_module, ref.bad_module);
	}
	if (err != PVH_OK)
		return 0;
	CHECK(info.start_info_paddr == si, "start_info_paddr");
	check_same(&info, &ref, "parse vs reference");
	round_trip(&info, pa, opts);
	return 0;
}
