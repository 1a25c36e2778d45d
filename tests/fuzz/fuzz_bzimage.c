// SPDX-License-Identifier: MIT
/*
 * fuzz_bzimage.c: libFuzzer target for bzimage_parse, bzimage_place and
 * bzimage_bp_init. The input is the bzImage (an exactly sized heap buffer,
 * so AddressSanitizer catches any read past its end).
 *
 * For the placement the map and busy ranges come from the last bytes of
 * the protected-mode part, which is opaque kernel code to the parser:
 *   byte: number of extra map entries (% 6), each 5 bytes: type (& 7),
 *         u16 start and u16 size in 64 KiB units; these go on top of a
 *         fixed map (RAM 0 - 0x9fc00, 1 MiB - 2 GiB, 4 GiB - 6 GiB) and
 *         the whole is normalised;
 *   then busy ranges, 4 bytes each (u16 start, u16 size, 64 KiB units),
 *   while bytes remain (at most 8 of them).
 *
 * Checks:
 *   - parse: the error equals a reference written here from the order in
 *     bzimage.h; version is set from step 3 on and 0 before; on success
 *     every field equals the header bytes (hdr_end = 0x202 + byte[0x201]
 *     in [0x264, 0x290] and inside the file, pm part inside and past
 *     the 64-bit entry at 0x200,
 *     kernel_alignment a power of two, init_size >= pm_size);
 *   - place: the error and address equal a reference search (relocatable:
 *     the lowest aligned A >= max(1 MiB, pref) whose [A, A + init_size) is
 *     RAM, not busy and below 4 GiB unless allowed above; otherwise
 *     pref_address or NO_ROOM), and the result satisfies each condition;
 *   - bp_init (into an exactly 4 KiB buffer): every byte equals the
 *     header copy with the documented fields overwritten, zero elsewhere.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "linux/bzimage.h"
#include "linux/linux.h"

#define FOUR_GIB 0x100000000ull

static enum bzimage_err ref_parse(const uint8_t *d, size_t len,
				  uint16_t *version)
{
	*version = 0;
	if (len < 0x208)
		return BZIMAGE_E_SHORT;
	if (ld_le(d + 0x1fe, 2) != 0xaa55 || memcmp(d + 0x202, "HdrS", 4) != 0)
		return BZIMAGE_E_MAGIC;
	*version = (uint16_t)ld_le(d + 0x206, 2);
	if (*version < 0x020c)
		return BZIMAGE_E_OLD;
	uint64_t hdr_end = 0x202 + (uint64_t)d[0x201];
	if (d[0x200] != 0xeb || hdr_end < 0x264 || hdr_end > 0x290 ||
	    hdr_end > len)
		return BZIMAGE_E_SETUP;
	if (!(d[0x211] & 1))
		return BZIMAGE_E_NOT_BZIMAGE;
	if (!(ld_le(d + 0x236, 2) & 1))
		return BZIMAGE_E_NOT_64;
	uint64_t sects = d[0x1f1] ? d[0x1f1] : 4;
	if ((sects + 1) * 512 >= len)
		return BZIMAGE_E_SETUP;
	if (len - (sects + 1) * 512 <= 0x200) /* no byte at the entry */
		return BZIMAGE_E_NO_ENTRY;
	uint64_t align = ld_le(d + 0x230, 4);
	if (align == 0)
		align = 0x200000;
	if ((align & (align - 1)) != 0)
		return BZIMAGE_E_ALIGN;
	if (ld_le(d + 0x260, 4) < len - (sects + 1) * 512)
		return BZIMAGE_E_INIT_SIZE;
	return BZIMAGE_OK;
}

static void check_fields(const uint8_t *d, size_t len,
			 const struct bzimage_info *bz)
{
	uint64_t sects = d[0x1f1] ? d[0x1f1] : 4;
	uint32_t align = (uint32_t)ld_le(d + 0x230, 4);

	CHECK(bz->setup_sects == d[0x1f1], "setup_sects");
	CHECK(bz->pm_offset == (sects + 1) * 512 && bz->pm_offset < len &&
		      bz->pm_size == len - bz->pm_offset && bz->pm_size > 0x200,
	      "pm part [%#llx +%#llx) in a %zu-byte file",
	      (unsigned long long)bz->pm_offset,
	      (unsigned long long)bz->pm_size, len);
	CHECK(bz->hdr_end == 0x202u + d[0x201] && bz->hdr_end >= 0x264 &&
		      bz->hdr_end <= 0x290 && bz->hdr_end <= len,
	      "hdr_end %#x", bz->hdr_end);
	CHECK(bz->loadflags == d[0x211] && (bz->loadflags & 1), "loadflags");
	CHECK(bz->xloadflags == ld_le(d + 0x236, 2) && (bz->xloadflags & 1),
	      "xloadflags");
	CHECK(bz->can_load_above_4g == ((bz->xloadflags & 2) != 0),
	      "can_load_above_4g");
	CHECK(bz->relocatable == (d[0x234] != 0), "relocatable");
	CHECK(bz->kernel_alignment == (align ? align : 0x200000) &&
		      (bz->kernel_alignment & (bz->kernel_alignment - 1)) == 0,
	      "kernel_alignment %#x", bz->kernel_alignment);
	CHECK(bz->min_alignment == d[0x235], "min_alignment");
	CHECK(bz->pref_address == ld_le(d + 0x258, 8), "pref_address");
	CHECK(bz->init_size == ld_le(d + 0x260, 4) &&
		      bz->init_size >= bz->pm_size,
	      "init_size");
	CHECK(bz->cmdline_size == ld_le(d + 0x238, 4), "cmdline_size");
	CHECK(bz->initrd_addr_max == ld_le(d + 0x22c, 4), "initrd_addr_max");
}

static struct memmap mm;
static struct memmap_busy busy;

static void build_map(const uint8_t *tail, size_t n)
{
	struct fin in = fin_make(tail, n);

	memmap_init(&mm);
	memmap_add(&mm, 0, 0x9fc00, MEMMAP_RAM);
	memmap_add(&mm, 0x100000, 0x7ff00000, MEMMAP_RAM);
	memmap_add(&mm, FOUR_GIB, 0x80000000, MEMMAP_RAM);
	unsigned int extra = fin_u8(&in) % 6;
	for (unsigned int i = 0; i < extra; i++) {
		uint32_t type = fin_u8(&in) & 7;
		uint64_t start = (uint64_t)fin_u16(&in) << 16;
		uint64_t size = (uint64_t)fin_u16(&in) << 16;
		memmap_add(&mm, start, size, type);
	}
	memmap_normalise(&mm); /* NO_RAM is fine: nothing fits then */
	memmap_busy_init(&busy);
	while (in.n >= 4 && busy.n < 8) {
		uint64_t start = (uint64_t)fin_u16(&in) << 16;
		uint64_t size = (uint64_t)fin_u16(&in) << 16;
		memmap_busy_add(&busy, start, size, "fuzz");
	}
}

static bool ref_is_ram(uint64_t a, uint64_t size)
{
	for (uint32_t i = 0; i < mm.n; i++) {
		const struct memmap_entry *e = &mm.e[i];
		if (e->type == MEMMAP_RAM && e->addr <= a &&
		    a - e->addr < e->size && size <= e->size - (a - e->addr))
			return true;
	}
	return false;
}

static bool ref_busy(uint64_t a, uint64_t size)
{
	for (uint32_t i = 0; i < busy.n; i++)
		if (busy.r[i].start < a + size && a < busy.r[i].end)
			return true;
	return false;
}

/* [a, a + size) fits the address limit, is RAM and is not busy. */
static bool ref_slot_ok(const struct bzimage_info *bz, uint64_t a)
{
	uint64_t size = bz->init_size;
	uint64_t limit = bz->can_load_above_4g ? UINT64_MAX : FOUR_GIB;
	return a <= limit && size <= limit - a && ref_is_ram(a, size) &&
	       !ref_busy(a, size);
}

static bool align_up(uint64_t x, uint64_t a, uint64_t *out)
{
	if (x > UINT64_MAX - (a - 1))
		return false;
	*out = (x + a - 1) & ~(a - 1);
	return true;
}

/*
 * The lowest valid slot starts at the first aligned address at or after
 * the highest of: lo, its RAM entry's start, the busy ends below it.
 */
static bool ref_place(const struct bzimage_info *bz, uint64_t *out)
{
	uint64_t lo = bz->pref_address > 0x100000 ? bz->pref_address : 0x100000;
	uint64_t align = bz->kernel_alignment, a;
	bool found = false;

	if (!bz->relocatable) {
		*out = bz->pref_address;
		return ref_slot_ok(bz, bz->pref_address);
	}
	for (uint32_t i = 0; i < mm.n + busy.n; i++) {
		uint64_t b = i < mm.n ? mm.e[i].addr : busy.r[i - mm.n].end;
		if (b < lo)
			b = lo;
		if (!align_up(b, align, &a) || !ref_slot_ok(bz, a))
			continue;
		if (!found || a < *out) {
			*out = a;
			found = true;
		}
	}
	return found;
}

static void check_place(const uint8_t *d, size_t len,
			const struct bzimage_info *bz)
{
	size_t n = bz->pm_size < 48 ? bz->pm_size : 48;
	uint64_t got = 0xdeadbeef, want = 0;

	build_map(d + len - n, n);
	enum bzimage_err err = bzimage_place(bz, &mm, &busy, &got);
	bool ok = ref_place(bz, &want);
	CHECK(err == (ok ? BZIMAGE_OK : BZIMAGE_E_NO_ROOM),
	      "place: %s, reference %s %#llx (init_size %#x, align %#x, "
	      "pref %#llx, relocatable %d, above 4G %d)",
	      bzimage_strerror(err), ok ? "found" : "found nothing",
	      (unsigned long long)want, bz->init_size, bz->kernel_alignment,
	      (unsigned long long)bz->pref_address, bz->relocatable,
	      bz->can_load_above_4g);
	if (!ok)
		return;
	CHECK(got == want, "placed at %#llx, reference %#llx",
	      (unsigned long long)got, (unsigned long long)want);
	CHECK(ref_slot_ok(bz, got), "placed at a bad slot %#llx",
	      (unsigned long long)got);
	if (bz->relocatable)
		CHECK(got % bz->kernel_alignment == 0 && got >= 0x100000 &&
			      got >= bz->pref_address,
		      "relocatable kernel placed at %#llx",
		      (unsigned long long)got);
}

static void check_bp(const uint8_t *d, const struct bzimage_info *bz,
		     uint64_t load)
{
	static uint8_t want[LINUX_BP_SIZE];
	uint8_t *bp = malloc(LINUX_BP_SIZE);
	CHECK(bp != NULL, "out of memory");
	memset(bp, 0x5a, LINUX_BP_SIZE);
	const struct view f = view_make(d, bz->pm_offset + bz->pm_size);
	bzimage_bp_init(bp, &f, bz, load);

	memset(want, 0, sizeof(want));
	memcpy(want + 0x1f1, d + 0x1f1, bz->hdr_end - 0x1f1);
	want[0x1fa] = 0xff;
	want[0x1fb] = 0xff;
	want[0x210] = 0xff;
	want[0x211] = (uint8_t)((want[0x211] | 0x01) & ~(0x80 | 0x20));
	for (int i = 0; i < 4; i++) {
		want[0x214 + i] = (uint8_t)(load >> (8 * i));
		want[0x230 + i] = (uint8_t)(bz->kernel_alignment >> (8 * i));
	}
	memset(want + 0x218, 0, 8);  /* ramdisk_image, ramdisk_size */
	memset(want + 0x224, 0, 4);  /* heap_end_ptr, ext_loader_ver/type */
	memset(want + 0x228, 0, 4);  /* cmd_line_ptr */
	memset(want + 0x23c, 0, 12); /* hardware_subarch(_data) */
	memset(want + 0x250, 0, 8);  /* setup_data */
	for (unsigned int i = 0; i < LINUX_BP_SIZE; i++)
		CHECK(bp[i] == want[i],
		      "boot_params byte %#x: %#x, expected "
		      "%#x",
		      i, bp[i], want[i]);
	free(bp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bzimage_info bz;
	const struct view f = view_make(data, size);
	uint16_t version;

	enum bzimage_err err = bzimage_parse(&f, &bz);
	CHECK(bzimage_strerror(err) != NULL, "bzimage_strerror(%d)", err);
	enum bzimage_err want = ref_parse(data, size, &version);
	CHECK(err == want, "bzimage_parse: %s, reference: %s",
	      bzimage_strerror(err), bzimage_strerror(want));
	CHECK(bz.version == version, "version %#x, expected %#x", bz.version,
	      version);
	if (size >= 0x208)
		CHECK(bzimage_is_bzimage(&f) == (err != BZIMAGE_E_MAGIC),
		      "bzimage_is_bzimage disagrees with %s",
		      bzimage_strerror(err));
	if (err != BZIMAGE_OK)
		return 0;
	check_fields(data, size, &bz);
	check_place(data, size, &bz);
	check_bp(data, &bz, bz.pref_address + 0x1000);
	return 0;
}
