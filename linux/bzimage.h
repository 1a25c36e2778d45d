// SPDX-License-Identifier: MIT
/*
 * bzimage.h: a Linux bzImage's setup header: parse and validate it, choose
 * where the protected-mode kernel goes, and start its boot_params.
 *
 * A bzImage is a real-mode setup part of (setup_sects + 1) 512-byte sectors
 * followed by the protected-mode ("pm") kernel. The setup header lives at
 * 0x1F1..hdr_end of the file and is copied to the same offsets of the 4 KiB
 * boot_params. pvhfw only uses the 64-bit entry, which is at
 * load_addr + BZIMAGE_ENTRY64_OFFSET, so it needs boot protocol 2.12 (the
 * first with xloadflags) and XLF_KERNEL_64.
 *
 * bzimage_parse() checks, in this order (the first failing step is the
 * error):
 *   1. the file holds at least 0x208 bytes (BZIMAGE_E_SHORT);
 *   2. boot_flag 0xAA55 at 0x1FE and "HdrS" at 0x202 (BZIMAGE_E_MAGIC);
 *   3. version >= 2.12 (BZIMAGE_E_OLD; out->version is then set);
 *   4. the header length: a short jump (0xEB) at 0x200 whose displacement
 *      gives hdr_end = 0x202 + byte[0x201]; hdr_end covers every field read
 *      here (>= 0x264), stays below boot_params' next field (<= 0x290) and
 *      lies inside the file (BZIMAGE_E_SETUP);
 *   5. loadflags has LOADED_HIGH (BZIMAGE_E_NOT_BZIMAGE);
 *   6. xloadflags has XLF_KERNEL_64 (BZIMAGE_E_NOT_64);
 *   7. the pm part starts inside the file (BZIMAGE_E_SETUP) and reaches past
 *      the 64-bit entry: pm_size > BZIMAGE_ENTRY64_OFFSET
 *      (BZIMAGE_E_NO_ENTRY; pm_offset and pm_size are then set);
 *   8. kernel_alignment is 0 (then BZIMAGE_DEFAULT_ALIGN is used) or a power
 *      of two (BZIMAGE_E_ALIGN);
 *   9. init_size >= the pm part's size (BZIMAGE_E_INIT_SIZE).
 */
#ifndef PVHFW_BZIMAGE_H
#define PVHFW_BZIMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/view.h"
#include "../memmap/memmap.h"

/* The 64-bit entry point, relative to the pm kernel's load address. */
#define BZIMAGE_ENTRY64_OFFSET 0x200

/* Oldest protocol with xloadflags, hence a declared 64-bit entry. */
#define BZIMAGE_MIN_VERSION 0x020C

/* loadflags (0x211) */
#define BZIMAGE_LOADED_HIGH 0x01
#define BZIMAGE_KASLR_FLAG 0x02
#define BZIMAGE_QUIET_FLAG 0x20
#define BZIMAGE_KEEP_SEGMENTS 0x40
#define BZIMAGE_CAN_USE_HEAP 0x80

/* xloadflags (0x236) */
#define BZIMAGE_XLF_KERNEL_64 0x0001
#define BZIMAGE_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002

/* kernel_alignment used when the header says 0 (CONFIG_PHYSICAL_ALIGN). */
#define BZIMAGE_DEFAULT_ALIGN 0x200000u

/* The lowest address a kernel is placed at when searching for room. */
#define BZIMAGE_MIN_LOAD 0x100000u

struct bzimage_info {
	uint16_t version;	   /* protocol, e.g. 0x020f = 2.15 */
	uint8_t setup_sects;	   /* as in the header: 0 means 4 */
	uint64_t pm_offset;	   /* file offset of the pm kernel */
	uint64_t pm_size;	   /* bytes of it in the file (> 0x200) */
	uint32_t hdr_end;	   /* 0x202 + byte[0x201] */
	uint8_t loadflags;	   /* as in the header */
	uint16_t xloadflags;	   /* as in the header */
	bool relocatable;	   /* relocatable_kernel != 0 */
	uint32_t kernel_alignment; /* power of two (defaulted when 0) */
	uint8_t min_alignment;	   /* log2, as in the header */
	uint64_t pref_address;	   /* = LOAD_PHYSICAL_ADDR */
	uint32_t init_size;	   /* bytes needed from the runtime start */
	uint32_t cmdline_size;	   /* max cmdline length without the NUL */
	uint32_t initrd_addr_max;  /* highest byte the initrd may occupy */
	bool can_load_above_4g;	   /* XLF_CAN_BE_LOADED_ABOVE_4G */
};

enum bzimage_err {
	BZIMAGE_OK = 0,
	BZIMAGE_E_SHORT,       /* shorter than the fixed header fields */
	BZIMAGE_E_MAGIC,       /* no 0xAA55 boot flag or no "HdrS" */
	BZIMAGE_E_OLD,	       /* protocol older than 2.12 */
	BZIMAGE_E_NOT_64,      /* no XLF_KERNEL_64 */
	BZIMAGE_E_NOT_BZIMAGE, /* LOADED_HIGH not set (a zImage) */
	BZIMAGE_E_SETUP,       /* header length or pm part bad / past EOF */
	BZIMAGE_E_NO_ENTRY,    /* pm part ends at or before the 64-bit entry */
	BZIMAGE_E_ALIGN,       /* kernel_alignment not a power of two */
	BZIMAGE_E_INIT_SIZE,   /* init_size smaller than the pm part */
	BZIMAGE_E_NO_ROOM,     /* bzimage_place found no free RAM */
};

/* The firmware's and pvhfw-inspect's message for BZIMAGE_E_NO_ROOM, with
 * init_size (a uint32_t) as its one argument. */
#define BZIMAGE_NO_ROOM_FMT                                                    \
	"no free RAM for the kernel: it needs %u bytes (init_size)"

/*
 * Messages for "fw: linux: <message>", e.g. BZIMAGE_E_NOT_64 -> "kernel has
 * no 64-bit entry point (XLF_KERNEL_64)". Never NULL. For BZIMAGE_E_OLD the
 * firmware may prefer to print the version itself.
 */
const char *bzimage_strerror(enum bzimage_err err);

/* True when f has 0xAA55 at 0x1FE and "HdrS" at 0x202 (format sniffing). */
bool bzimage_is_bzimage(const struct view *f);

/*
 * Parses and validates the setup header of f (see above). out is fully
 * written on BZIMAGE_OK; on an error only the fields read so far are set
 * (the rest are 0), in particular version from step 3 on.
 */
enum bzimage_err bzimage_parse(const struct view *f, struct bzimage_info *out);

/*
 * Chooses the load address of the pm kernel in the normalised map mm, given
 * the busy ranges. The kernel then uses [*load_addr, *load_addr + init_size),
 * which the caller must mark busy.
 *   - Not relocatable: pref_address, if [pref, pref + init_size) is RAM, not
 *     busy and (unless can_load_above_4g) ends at or below 4 GiB; else
 *     BZIMAGE_E_NO_ROOM. Such a kernel runs at pref_address wherever it is
 *     loaded, so no other address would help.
 *   - Relocatable: the lowest multiple A of kernel_alignment with
 *     A >= max(1 MiB, pref_address) such that [A, A + init_size) is RAM and
 *     not busy, and (unless can_load_above_4g) A + init_size <= 4 GiB. The
 *     first candidate is pref_address itself when it is aligned. Addresses
 *     below pref_address are never used: the decompressor runs at
 *     max(align_up(load, kernel_alignment), LOAD_PHYSICAL_ADDR), and
 *     pref_address is LOAD_PHYSICAL_ADDR, so it would move itself up over
 *     whatever lies there.
 * The search walks the RAM entries upwards and, on a collision, jumps past
 * the colliding busy range; it does O(entries * busy ranges) steps.
 * Errors: BZIMAGE_E_ALIGN (kernel_alignment not a power of two),
 * BZIMAGE_E_NO_ROOM (also for init_size 0).
 */
enum bzimage_err bzimage_place(const struct bzimage_info *bz,
			       const struct memmap *mm,
			       const struct memmap_busy *busy,
			       uint64_t *load_addr);

/*
 * Starts the boot_params bp (LINUX_BP_SIZE bytes) for the kernel f parsed
 * into bz and loaded at load_addr: zeroes bp (so the sentinel at 0x1EF is
 * 0), copies the image's setup header bytes [0x1F1, hdr_end) to the same
 * offsets, then sets type_of_loader 0xFF, vid_mode 0xFFFF, loadflags with
 * LOADED_HIGH kept and CAN_USE_HEAP and QUIET_FLAG cleared, code32_start =
 * the low 32 bits of load_addr, heap_end_ptr 0, ext_loader_ver/type 0,
 * kernel_alignment = bz->kernel_alignment (the decompressor aligns with the
 * boot_params value), and zeroes the loader-owned pointers the image should
 * not carry: ramdisk_image/size, cmd_line_ptr, hardware_subarch(_data) and
 * setup_data. The caller then fills the e820 table, cmdline, ramdisk and
 * RSDP with the linux_bp_set_* functions.
 */
void bzimage_bp_init(uint8_t *bp, const struct view *f,
		     const struct bzimage_info *bz, uint64_t load_addr);

#endif
