// SPDX-License-Identifier: MIT
/*
 * bzimage.c: validates a Linux bzImage's setup header, places its
 * protected-mode kernel in RAM and starts its boot_params.
 *
 * bzimage_parse() is the only reader of the image's header; the firmware
 * uses the struct bzimage_info it fills. The validation steps (bzimage.h has
 * the error of each):
 *   1. at least 0x208 bytes, so boot_flag, "HdrS" and version are readable;
 *   2. boot_flag 0xAA55 at 0x1FE and "HdrS" at 0x202;
 *   3. protocol version >= 2.12, the first with xloadflags;
 *   4. header length: 0xEB (short jump) at 0x200; hdr_end = 0x202 + its
 *      displacement must cover the last field read here (init_size, which
 *      ends at 0x264), must not run into boot_params' edd_mbr_sig_buffer at
 *      0x290, and must lie inside the file;
 *   5. LOADED_HIGH in loadflags (a bzImage, not a zImage);
 *   6. XLF_KERNEL_64 in xloadflags (the 64-bit entry at +0x200 exists);
 *   7. the pm part, from (setup_sects + 1) * 512 (setup_sects 0 means 4),
 *      starts inside the file and reaches past the 64-bit entry at
 *      BZIMAGE_ENTRY64_OFFSET, so that the jump lands on loaded bytes;
 *   8. kernel_alignment is 0 (defaulted) or a power of two;
 *   9. init_size is at least the size of the pm part.
 * Every value is read through the bounds-checked view accessors; all fields
 * after step 4 lie inside the header, which lies inside the file. Because
 * 2.12 is required, every field used here exists in the header, so no
 * defaults for older protocols (cmdline_size 255, initrd_addr_max
 * 0x37FFFFFF) are needed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bzimage.h"
#include "linux.h"

/* Setup header fields not named in linux.h (offsets in file and bp). */
#define HDR_SETUP_SECTS 0x1F1
#define HDR_VID_MODE 0x1FA
#define HDR_JUMP 0x200
#define HDR_CODE32_START 0x214
#define HDR_HEAP_END_PTR 0x224
#define HDR_EXT_LOADER_VER 0x226
#define HDR_EXT_LOADER_TYPE 0x227
#define HDR_INITRD_ADDR_MAX 0x22C
#define HDR_RELOCATABLE 0x234
#define HDR_MIN_ALIGNMENT 0x235
#define HDR_XLOADFLAGS 0x236
#define HDR_HARDWARE_SUBARCH 0x23C
#define HDR_HARDWARE_SUBARCH_DATA 0x240
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260

#define JUMP_SHORT 0xEB
/* Bytes needed for boot_flag, header and version. */
#define HDR_FIXED_END 0x208
/* The header must reach past init_size (0x260, 4 bytes). */
#define HDR_MIN_END 0x264
/* boot_params' edd_mbr_sig_buffer starts here. */
#define HDR_MAX_END 0x290

#define SECTOR 512
#define DEFAULT_SETUP_SECTS 4
#define FOUR_GIB 0x100000000ull

const char *bzimage_strerror(enum bzimage_err err)
{
	switch (err) {
	case BZIMAGE_OK:
		return "no error";
	case BZIMAGE_E_SHORT:
		return "file too short for a setup header";
	case BZIMAGE_E_MAGIC:
		return "not a bzImage (no HdrS header)";
	case BZIMAGE_E_OLD:
		return "boot protocol too old (2.12 or later needed)";
	case BZIMAGE_E_NOT_64:
		return "kernel has no 64-bit entry point (XLF_KERNEL_64)";
	case BZIMAGE_E_NOT_BZIMAGE:
		return "not a bzImage (LOADED_HIGH not set)";
	case BZIMAGE_E_SETUP:
		return "setup header or kernel outside the file";
	case BZIMAGE_E_NO_ENTRY:
		return "the protected-mode kernel ends before its 64-bit entry "
		       "at 0x200";
	case BZIMAGE_E_ALIGN:
		return "kernel_alignment is not a power of two";
	case BZIMAGE_E_INIT_SIZE:
		return "init_size smaller than the kernel";
	case BZIMAGE_E_NO_ROOM:
		return "no free RAM for the kernel (init_size bytes)";
	}
	return "unknown bzImage error";
}

bool bzimage_is_bzimage(const struct view *f)
{
	uint16_t flag = 0;
	uint32_t magic = 0;

	return view_u16(f, LINUX_BP_BOOT_FLAG, &flag) &&
	       view_u32(f, LINUX_BP_HEADER, &magic) &&
	       flag == LINUX_BOOT_FLAG && magic == LINUX_HDRS_MAGIC;
}

/*
 * Readers for fields already known to be inside the file: they cannot fail,
 * but stay bounds-checked and give 0 if they ever did.
 */
static uint8_t rd8(const struct view *f, uint64_t off)
{
	uint8_t x = 0;
	return view_u8(f, off, &x) ? x : 0;
}

static bool is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

enum bzimage_err bzimage_parse(const struct view *f, struct bzimage_info *out)
{
	memset(out, 0, sizeof(*out));

	/* 1. The fixed fields. */
	if (!view_has(f, 0, HDR_FIXED_END))
		return BZIMAGE_E_SHORT;

	/* 2. Magic numbers. */
	if (!bzimage_is_bzimage(f))
		return BZIMAGE_E_MAGIC;

	/* 3. Protocol version. */
	out->version = view_le16(f, LINUX_BP_VERSION);
	if (out->version < BZIMAGE_MIN_VERSION)
		return BZIMAGE_E_OLD;

	/* 4. Header length, from the jump over the header. */
	if (rd8(f, HDR_JUMP) != JUMP_SHORT)
		return BZIMAGE_E_SETUP;
	uint32_t hdr_end = LINUX_BP_HEADER + (uint32_t)rd8(f, HDR_JUMP + 1);
	if (hdr_end < HDR_MIN_END || hdr_end > HDR_MAX_END ||
	    !view_has(f, 0, hdr_end))
		return BZIMAGE_E_SETUP;
	out->hdr_end = hdr_end;

	/* 5. A bzImage: the pm kernel is loaded high. */
	out->loadflags = rd8(f, LINUX_BP_LOADFLAGS);
	if (!(out->loadflags & BZIMAGE_LOADED_HIGH))
		return BZIMAGE_E_NOT_BZIMAGE;

	/* 6. The 64-bit entry. */
	out->xloadflags = view_le16(f, HDR_XLOADFLAGS);
	if (!(out->xloadflags & BZIMAGE_XLF_KERNEL_64))
		return BZIMAGE_E_NOT_64;
	out->can_load_above_4g =
		(out->xloadflags & BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G) != 0;

	/* 7. The protected-mode part: inside the file, and holding the byte
	 * the firmware jumps to (pm_size is set for the caller's message). */
	out->setup_sects = rd8(f, HDR_SETUP_SECTS);
	uint64_t sects =
		out->setup_sects ? out->setup_sects : DEFAULT_SETUP_SECTS;
	uint64_t pm_offset = (sects + 1) * SECTOR;
	if (pm_offset >= f->len)
		return BZIMAGE_E_SETUP;
	out->pm_offset = pm_offset;
	out->pm_size = f->len - pm_offset;
	if (out->pm_size <= BZIMAGE_ENTRY64_OFFSET)
		return BZIMAGE_E_NO_ENTRY;

	/* The remaining fields; all lie before hdr_end. */
	out->initrd_addr_max = view_le32(f, HDR_INITRD_ADDR_MAX);
	out->relocatable = rd8(f, HDR_RELOCATABLE) != 0;
	out->min_alignment = rd8(f, HDR_MIN_ALIGNMENT);
	out->cmdline_size = view_le32(f, LINUX_BP_CMDLINE_SIZE);
	out->pref_address = view_le64(f, HDR_PREF_ADDRESS);

	/* 8. Alignment. */
	uint32_t align = view_le32(f, LINUX_BP_KERNEL_ALIGNMENT);
	if (align == 0)
		align = BZIMAGE_DEFAULT_ALIGN;
	if (!is_pow2(align))
		return BZIMAGE_E_ALIGN;
	out->kernel_alignment = align;

	/* 9. init_size covers at least the kernel as loaded. */
	out->init_size = view_le32(f, HDR_INIT_SIZE);
	if (out->init_size < out->pm_size)
		return BZIMAGE_E_INIT_SIZE;

	return BZIMAGE_OK;
}

/* x rounded up to a multiple of align (a power of two); false on overflow. */
static bool align_up(uint64_t x, uint64_t align, uint64_t *out)
{
	uint64_t mask = align - 1;
	if (x > UINT64_MAX - mask)
		return false;
	*out = (x + mask) & ~mask;
	return true;
}

/*
 * The lowest A, a multiple of align, with lo <= A, A + size - 1 <= last,
 * [A, A + size) inside the RAM entry e and free of busy ranges. Candidates
 * only move up: on a collision with busy range r, every slot starting below
 * r->end still overlaps r, so the next candidate is align_up(r->end). Each
 * busy range is passed at most once, which bounds the loop.
 */
static bool lowest_in_entry(const struct memmap_entry *e,
			    const struct memmap_busy *busy, uint64_t size,
			    uint64_t align, uint64_t lo, uint64_t last,
			    uint64_t *out)
{
	if (e->type != MEMMAP_RAM || e->size == 0)
		return false;
	uint64_t e_last = e->size - 1 > UINT64_MAX - e->addr
				  ? UINT64_MAX
				  : e->addr + (e->size - 1);
	uint64_t top = e_last < last ? e_last : last;
	uint64_t a;

	if (!align_up(e->addr > lo ? e->addr : lo, align, &a))
		return false;
	for (uint32_t steps = 0; steps <= MEMMAP_BUSY_MAX; steps++) {
		if (a > top || top - a < size - 1)
			return false;
		const struct memmap_busy_range *r =
			memmap_busy_overlap(busy, a, size);
		if (r == NULL) {
			*out = a;
			return true;
		}
		/* r overlaps [a, a + size), so r->end > a: progress. */
		if (!align_up(r->end, align, &a))
			return false;
	}
	return false;
}

enum bzimage_err bzimage_place(const struct bzimage_info *bz,
			       const struct memmap *mm,
			       const struct memmap_busy *busy,
			       uint64_t *load_addr)
{
	uint64_t size = bz->init_size;
	uint64_t align = bz->kernel_alignment;
	/* Inclusive last usable byte, so that no bound needs to be 2^64. */
	uint64_t last = bz->can_load_above_4g ? UINT64_MAX : FOUR_GIB - 1;

	if (!is_pow2(align))
		return BZIMAGE_E_ALIGN;
	if (size == 0)
		return BZIMAGE_E_NO_ROOM;

	if (!bz->relocatable) {
		uint64_t pref = bz->pref_address;
		if (pref > last || last - pref < size - 1 ||
		    !memmap_is_ram(mm, pref, size) ||
		    memmap_busy_overlap(busy, pref, size) != NULL)
			return BZIMAGE_E_NO_ROOM;
		*load_addr = pref;
		return BZIMAGE_OK;
	}

	uint64_t lo = bz->pref_address > BZIMAGE_MIN_LOAD ? bz->pref_address
							  : BZIMAGE_MIN_LOAD;
	uint32_t n = mm->n < MEMMAP_MAX ? mm->n : MEMMAP_MAX;
	bool found = false;
	uint64_t best = 0;

	/* The map is sorted, but taking the minimum does not depend on it. */
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a;
		if (lowest_in_entry(&mm->e[i], busy, size, align, lo, last,
				    &a) &&
		    (!found || a < best)) {
			best = a;
			found = true;
		}
	}
	if (!found)
		return BZIMAGE_E_NO_ROOM;
	*load_addr = best;
	return BZIMAGE_OK;
}

void bzimage_bp_init(uint8_t *bp, const struct view *f,
		     const struct bzimage_info *bz, uint64_t load_addr)
{
	memset(bp, 0, LINUX_BP_SIZE);

	/* The header bytes, never more than boot_params has room for. */
	uint32_t end = bz->hdr_end < HDR_MAX_END ? bz->hdr_end : HDR_MAX_END;
	if (end > HDR_SETUP_SECTS) {
		const uint8_t *src =
			view_ptr(f, HDR_SETUP_SECTS, end - HDR_SETUP_SECTS);
		if (src != NULL)
			memcpy(bp + HDR_SETUP_SECTS, src,
			       end - HDR_SETUP_SECTS);
	}

	put_u16(bp + HDR_VID_MODE, 0xFFFF);
	bp[LINUX_BP_TYPE_OF_LOADER] = 0xFF;
	bp[LINUX_BP_LOADFLAGS] =
		(uint8_t)((bp[LINUX_BP_LOADFLAGS] | BZIMAGE_LOADED_HIGH) &
			  ~(BZIMAGE_CAN_USE_HEAP | BZIMAGE_QUIET_FLAG));
	put_u32(bp + HDR_CODE32_START, (uint32_t)load_addr);
	put_u16(bp + HDR_HEAP_END_PTR, 0);
	bp[HDR_EXT_LOADER_VER] = 0;
	bp[HDR_EXT_LOADER_TYPE] = 0;
	put_u32(bp + LINUX_BP_KERNEL_ALIGNMENT, bz->kernel_alignment);

	/* Loader-owned fields: set later by the caller, or left 0. */
	put_u32(bp + LINUX_BP_RAMDISK_IMAGE, 0);
	put_u32(bp + LINUX_BP_RAMDISK_SIZE, 0);
	put_u32(bp + LINUX_BP_CMD_LINE_PTR, 0);
	put_u32(bp + HDR_HARDWARE_SUBARCH, 0);
	put_u64(bp + HDR_HARDWARE_SUBARCH_DATA, 0);
	put_u64(bp + LINUX_BP_SETUP_DATA, 0);
}
