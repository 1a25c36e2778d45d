// SPDX-License-Identifier: MIT
/*
 * multiboot.h: Multiboot 1 (0.6.96) and Multiboot 2 (2.0) kernels: find and
 * check the header, plan the loading, build the information structure.
 *
 * The three steps, and what the firmware does around them:
 *
 *   1. mb2_find() / mb1_find() say whether a file is a Multiboot kernel (a
 *      magic with a valid checksum in the search window) and decode the
 *      header. A header that is found but unusable (truncated, bad tags,
 *      wrong architecture) is still "found": its problem is in ->err, so
 *      the firmware can say why a Multiboot kernel cannot be booted instead
 *      of "unknown format". Check Multiboot 2 first (BOOT-ABIS §0).
 *
 *   2. mb_plan() turns a header into load segments and a 32-bit entry, or
 *      refuses a kernel whose requirements the firmware cannot meet. For a
 *      relocatable Multiboot 2 kernel the firmware picks the load address
 *      inside the plan's constraints and calls mb_plan_relocate(). Before
 *      building a Multiboot 2 information structure, mb2_check_requests()
 *      checks the kernel's required information tags against what the
 *      builder will really produce (ACPI, EFI, load base).
 *
 *   3. mb1_info_build() / mb2_info_build() write the information structure
 *      into a buffer that will live at a given physical address (below
 *      4 GiB), like pvh_build().
 *
 * What the firmware integrator must do (BOOT-ABIS §3.2, §3.5, §4.2, §8.3):
 *   - copy each segment's filesz bytes from the file to dest and zero the
 *     rest up to memsz; keep the MBI, command line and modules out of
 *     [lo, hi) (the bss included);
 *   - page-align (4 KiB) the modules when plan.page_align_modules;
 *   - command line: prefix the word "kernel" and a space to the user's
 *     command line for both Multiboot 1 and 2, as QEMU does with the
 *     kernel's file name: Solo5 and other Multiboot kernels skip the first
 *     word. The builders write the string they are given unchanged;
 *   - place the MBI, its strings and mmap below 1 GiB (Solo5 v0.9 maps only
 *     the first GiB) and not in page 0; Multiboot 2 needs an 8-aligned
 *     buffer, Multiboot 1 a 4-aligned one;
 *   - the memory map must show RAM at 0x100000 (Solo5 asserts an available
 *     entry starting exactly there; mb1_info_build() splits a RAM entry
 *     that spans 0x100000 so that one starts there);
 *   - enter in 32-bit protected mode, paging off, flat 4 GiB code and data
 *     segments, A20 on, IF = 0, EAX = plan.eax (0x2BADB002 Multiboot 1,
 *     0x36D76289 Multiboot 2), EBX = the MBI's physical address, at
 *     plan.entry. ESP is undefined by the spec (a small valid stack is
 *     kind).
 *
 * All values are little endian; all input goes through views.
 */
#ifndef PVHFW_MULTIBOOT_H
#define PVHFW_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../elfload/elf.h"
#include "../lib/view.h"
#include "../memmap/memmap.h"

/* Multiboot 1 header. */
#define MB1_MAGIC 0x1BADB002u
#define MB1_BOOT_MAGIC 0x2BADB002u /* EAX at entry */
#define MB1_SEARCH 8192		   /* header entirely inside these bytes */
#define MB1_ALIGN 4
#define MB1_HDR_MIN 12	 /* magic, flags, checksum */
#define MB1_HDR_ADDR 32	 /* ... with the five address fields */
#define MB1_HDR_VIDEO 48 /* ... with the four video fields */

#define MB1_F_PAGE_ALIGN (1u << 0)   /* modules 4 KiB aligned */
#define MB1_F_MEMORY_INFO (1u << 1)  /* mem_* (and mmap) wanted */
#define MB1_F_VIDEO_MODE (1u << 2)   /* video info wanted */
#define MB1_F_AOUT_KLUDGE (1u << 16) /* the address fields are valid */
#define MB1_F_REQUIRED 0x0000ffffu   /* bits the loader must honour */

/* Multiboot 2 header. */
#define MB2_MAGIC 0xE85250D6u
#define MB2_BOOT_MAGIC 0x36D76289u /* EAX at entry */
#define MB2_SEARCH 32768
#define MB2_ALIGN 8
#define MB2_HDR_MIN 16 /* magic, architecture, header_length, checksum */
#define MB2_ARCH_I386 0

#define MB2_TAG_OPTIONAL 1 /* bit 0 of a header tag's flags */

/* Multiboot 2 header tag types. */
#define MB2_HTAG_END 0
#define MB2_HTAG_INFO_REQ 1
#define MB2_HTAG_ADDRESS 2
#define MB2_HTAG_ENTRY 3
#define MB2_HTAG_CONSOLE 4
#define MB2_HTAG_FRAMEBUFFER 5
#define MB2_HTAG_MODULE_ALIGN 6
#define MB2_HTAG_EFI_BS 7
#define MB2_HTAG_EFI32_ENTRY 8
#define MB2_HTAG_EFI64_ENTRY 9
#define MB2_HTAG_RELOCATABLE 10

#define MB2_CONSOLE_REQUIRED (1u << 0)
#define MB2_CONSOLE_EGA_TEXT (1u << 1)

#define MB2_RELOC_PREF_NONE 0
#define MB2_RELOC_PREF_LOWEST 1
#define MB2_RELOC_PREF_HIGHEST 2

/* Multiboot 2 information (MBI) tag types. */
#define MB2_TAG_END 0
/* MB2 address tag: load_addr -1 loads the file from its first byte. */
#define MB2_LOAD_FROM_START 0xFFFFFFFFu
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_BOOTDEV 5
#define MB2_TAG_MMAP 6
#define MB2_TAG_VBE 7
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ELF_SECTIONS 9
#define MB2_TAG_APM 10
#define MB2_TAG_EFI32 11
#define MB2_TAG_EFI64 12
#define MB2_TAG_SMBIOS 13
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_TAG_NETWORK 16
#define MB2_TAG_EFI_MMAP 17
#define MB2_TAG_EFI_BS 18
#define MB2_TAG_EFI32_IH 19
#define MB2_TAG_EFI64_IH 20
#define MB2_TAG_LOAD_BASE 21

/* Multiboot 1 information structure (116 bytes). */
#define MB1_INFO_SIZE 116
#define MB1_INFO_FLAGS 0
#define MB1_INFO_MEM_LOWER 4
#define MB1_INFO_MEM_UPPER 8
#define MB1_INFO_BOOT_DEVICE 12
#define MB1_INFO_CMDLINE 16
#define MB1_INFO_MODS_COUNT 20
#define MB1_INFO_MODS_ADDR 24
#define MB1_INFO_SYMS 28
#define MB1_INFO_MMAP_LENGTH 44
#define MB1_INFO_MMAP_ADDR 48
#define MB1_INFO_DRIVES_LENGTH 52
#define MB1_INFO_DRIVES_ADDR 56
#define MB1_INFO_CONFIG_TABLE 60
#define MB1_INFO_LOADER_NAME 64

#define MB1_INFO_F_MEMORY (1u << 0)
#define MB1_INFO_F_BOOTDEV (1u << 1)
#define MB1_INFO_F_CMDLINE (1u << 2)
#define MB1_INFO_F_MODS (1u << 3)
#define MB1_INFO_F_MMAP (1u << 6)
#define MB1_INFO_F_LOADER_NAME (1u << 9)

#define MB1_MOD_SIZE 16	 /* mod_start, mod_end, string, reserved */
#define MB1_MMAP_SIZE 24 /* the size field (= 20), then 20 bytes */
#define MB2_MMAP_ENTRY_SIZE 24

/* The boot loader name both builders write. */
#define MB_LOADER_NAME "pvhfw"

/* Limits. */
#define MB_MAX_SEGS 32 /* = ELF_MAX_LOAD */
#define MB2_MAX_REQ 64 /* distinct information request types kept */

enum mb_err {
	MB_OK = 0,
	/* Header (mb1_find / mb2_find set these in ->err). */
	MB_E_MB1_WINDOW,       /* MB1 fields run past 8192 bytes */
	MB_E_MB1_SHORT,	       /* MB1 fields run past the end of the file */
	MB_E_MB2_ARCH,	       /* architecture is not 0 (i386) */
	MB_E_MB2_LENGTH,       /* header_length < 16 */
	MB_E_MB2_WINDOW,       /* header_length runs past 32768 bytes */
	MB_E_MB2_SHORT,	       /* header_length runs past the end of file */
	MB_E_MB2_TAG,	       /* bad tag (detail: its file offset) */
	MB_E_MB2_NO_END,       /* the tags run out without an end tag */
	MB_E_MB2_TOO_MANY_REQ, /* more than MB2_MAX_REQ requested types */
	/* Requirements (mb_plan, mb2_check_requests). */
	MB_E_MB1_VIDEO,	      /* MB1 flag 2 */
	MB_E_MB1_FLAG,	      /* unknown required MB1 flag (detail: bit) */
	MB_E_MB2_UNKNOWN_TAG, /* non-optional unknown tag (detail: type) */
	MB_E_MB2_REQ,	      /* required info tag (detail: type) */
	MB_E_MB2_FRAMEBUFFER, /* non-optional framebuffer tag */
	MB_E_MB2_CONSOLE,     /* non-optional console tag, console required */
	MB_E_MB2_RELOC,	      /* bad relocatable tag */
	/* Loading (mb_plan). */
	MB_E_NOT_ELF,	       /* no address fields and not an ELF file */
	MB_E_ELF,	       /* elf_parse failed (detail: enum elf_err) */
	MB_E_LOAD_ADDR,	       /* load_addr above header_addr */
	MB_E_LOAD_BEFORE_FILE, /* load_addr is before the file's start */
	MB_E_LOAD_BELOW_0,     /* MB2 load_addr -1, header_addr < offset */
	MB_E_LOAD_END,	       /* load_end_addr below load_addr */
	MB_E_LOAD_PAST_FILE,   /* load_end_addr runs past the file's end */
	MB_E_BSS,	       /* bss_end_addr below the end of the load */
	MB_E_EMPTY,	       /* nothing to load */
	MB_E_ABOVE_4G,	       /* a segment runs past 4 GiB */
	MB_E_ENTRY_4G,	       /* the entry is not below 4 GiB */
	MB_E_NO_ENTRY,	       /* MB2 address tag without an entry tag */
	MB_E_ENTRY_OUTSIDE,    /* entry not in loaded file bytes (detail) */
	/* mb_plan_relocate. */
	MB_E_NOT_RELOCATABLE, /* moving a kernel without a reloc tag */
	MB_E_RELOC_RANGE,     /* new base outside min/max/align */
	/* Builders' input checks (mb_check_modules). */
	MB_E_MOD_4G, /* module not below 4 GiB (detail: index) */
	MB_E_ARGS,   /* no header given */
};

/* A static message for err (never NULL), without the detail. */
const char *mb_strerror(enum mb_err err);

/*
 * The message for err with its detail filled in where the error has one
 * (a flag bit, a tag type, a file offset, the ELF parser's message, a
 * module index), e.g. "kernel requires an unsupported feature (Multiboot
 * flag bit 5)". Always NUL-terminates when cap > 0; returns buf.
 */
const char *mb_format_error(char *buf, size_t cap, enum mb_err err,
			    uint32_t detail);

/* A decoded Multiboot 1 header. */
struct mb1_header {
	uint64_t offset; /* file offset of the magic */
	uint32_t flags;
	enum mb_err err; /* MB_OK, MB_E_MB1_WINDOW or MB_E_MB1_SHORT */
	bool has_addr;	 /* flag 16: the five fields below are valid */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
	bool has_video; /* flag 2: the four fields below are valid */
	uint32_t mode_type, width, height, depth;
};

/*
 * Finds the first 4-aligned offset in the first MB1_SEARCH bytes of f (and
 * inside f) holding MB1_MAGIC, flags and a checksum that sum to 0 mod 2^32.
 * False when there is none (*out is then zeroed). When true, out->err says
 * whether the fields the flags announce (bit 16: up to byte 32; bit 2: up to
 * byte 48) fit in the window (MB_E_MB1_WINDOW) and the file
 * (MB_E_MB1_SHORT); when they do not, has_addr / has_video stay false.
 */
bool mb1_find(const struct view *f, struct mb1_header *out);

/* One requested information tag type (Multiboot 2 header tag 1). */
struct mb2_req {
	uint32_t type;
	bool optional; /* false when any request for it was non-optional */
};

/* A decoded Multiboot 2 header; has_* say which tags were present. */
struct mb2_header {
	uint64_t offset; /* file offset of the magic */
	uint32_t architecture;
	uint32_t header_length;
	enum mb_err err; /* MB_OK or a header error (see enum mb_err) */
	uint32_t detail; /* for MB_E_MB2_TAG: the bad tag's file offset */
	uint32_t ntags;	 /* tags walked before the end tag */

	uint32_t nreq; /* distinct requested types, in first-seen order */
	struct mb2_req req[MB2_MAX_REQ];

	bool has_addr; /* tag 2 */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	bool has_entry; /* tag 3 */
	uint32_t entry_addr;
	bool has_console; /* tag 4 */
	bool console_optional;
	uint32_t console_flags;
	bool has_framebuffer; /* tag 5 */
	bool framebuffer_optional;
	uint32_t fb_width, fb_height, fb_depth;
	bool module_align;    /* tag 6 */
	bool efi_bs;	      /* tag 7 */
	bool has_efi32_entry; /* tag 8 */
	uint32_t efi32_entry;
	bool has_efi64_entry; /* tag 9 */
	uint32_t efi64_entry;
	bool relocatable; /* tag 10 */
	uint32_t reloc_min, reloc_max, reloc_align, reloc_pref;
	bool unknown_required; /* a non-optional tag of unknown type */
	uint32_t unknown_type; /* the first such type */
};

/*
 * Finds the first 8-aligned offset in the first MB2_SEARCH bytes of f (and
 * inside f) holding MB2_MAGIC, architecture, header_length and a checksum
 * that sum to 0 mod 2^32. False when there is none (*out zeroed). When true,
 * out->err is the first problem of: architecture not 0 (MB_E_MB2_ARCH),
 * header_length < 16 (MB_E_MB2_LENGTH), header past the window
 * (MB_E_MB2_WINDOW) or the file (MB_E_MB2_SHORT); then the tag walk: each
 * tag 8-aligned from the header's start with its 8-byte head and its size
 * (>= 8, and >= its type's body) inside header_length, an end tag of size 8
 * (else MB_E_MB2_TAG with the tag's offset in detail; running out of
 * header_length: MB_E_MB2_NO_END), at most MB2_MAX_REQ distinct requested
 * types (MB_E_MB2_TOO_MANY_REQ). Known tags are taken even when marked
 * optional; the last of a repeated tag wins, except that information
 * requests accumulate.
 */
bool mb2_find(const struct view *f, struct mb2_header *out);

/* One piece of the kernel: file bytes to copy, then zeroes up to memsz. */
struct mb_seg {
	uint64_t dest;	 /* physical, below 4 GiB with memsz */
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t memsz; /* >= filesz */
};

struct mb_plan {
	uint32_t version;	  /* 1 or 2 */
	uint32_t eax;		  /* MB1_BOOT_MAGIC or MB2_BOOT_MAGIC */
	enum mb_err err;	  /* what mb_plan returned */
	uint32_t detail;	  /* the error's detail (see mb_format_error) */
	struct elf_where elf_bad; /* for MB_E_ELF: where (see elf.h) */

	uint32_t nseg;
	struct mb_seg seg[MB_MAX_SEGS];
	uint32_t entry;	 /* 32-bit protected-mode entry */
	uint64_t lo, hi; /* the image's extent [lo, hi), bss included */
	bool kludge;	 /* placed by the address fields, not the ELF headers */

	bool page_align_modules; /* MB1 flag 0 or MB2 tag 6 */
	bool memory_info;	 /* MB1 flag 1 (always provided anyway) */
	bool efi_bs; /* MB2 tag 7: can start with boot services; they are
		      * gone (fw.efi warns) */

	/*
	 * MB2 tag 10: the firmware may move the image to any base B with
	 * B % reloc_align == 0, B >= reloc_min, B + (hi - lo) <= reloc_max,
	 * following reloc_pref if it can, then calls mb_plan_relocate().
	 * reloc_align is a power of two (1 when the tag said 0).
	 */
	bool relocatable;
	uint32_t reloc_min, reloc_max, reloc_align, reloc_pref;

	/* MB2: the non-optional requested information tag types. */
	uint32_t nreq;
	uint32_t req[MB2_MAX_REQ];
};

/*
 * Plans the loading of f as described by h2 (used when not NULL) or h1.
 * Steps, the first failure is the result (also stored in out->err):
 *   1. the header's own err;
 *   2. requirements: MB1 flag 2 (MB_E_MB1_VIDEO), other MB1 flags 3-15
 *      (MB_E_MB1_FLAG, lowest bit); MB2 non-optional unknown tag
 *      (MB_E_MB2_UNKNOWN_TAG), non-optional framebuffer tag
 *      (MB_E_MB2_FRAMEBUFFER), non-optional console tag with "console
 *      required" (MB_E_MB2_CONSOLE), a non-optional request for an
 *      information tag the builder can never produce, i.e. other than
 *      0 (the end tag: a header's zero padding),
 *      1,2,3,4,6,12,14,15,17,18,20 and 21 with the relocatable tag
 *      (MB_E_MB2_REQ); the conditional ones are checked later by
 *      mb2_check_requests();
 *   3. loading with the address fields (MB1 flag 16, MB2 tag 2). An MB2
 *      address tag needs the entry address tag (MB_E_NO_ENTRY, as GRUB:
 *      the tag places the file's bytes, so an ELF e_entry need not point
 *      into them). Then the a.out
 *      kludge rules (an MB2 load_addr of -1 is header_addr - header_offset,
 *      the file from its first byte; MB_E_LOAD_BELOW_0 when that is below
 *      0): load_addr <= header_addr (MB_E_LOAD_ADDR); the first
 *      byte is at file offset header_offset - (header_addr - load_addr)
 *      (>= 0, MB_E_LOAD_BEFORE_FILE); load_end_addr 0 loads to the end of
 *      the file, else it must be >= load_addr (MB_E_LOAD_END) and inside
 *      the file (MB_E_LOAD_PAST_FILE); bss_end_addr 0 means no bss, else
 *      it must be >= the load's end (MB_E_BSS); the whole below 4 GiB
 *      (MB_E_ABOVE_4G), not empty (MB_E_EMPTY). Entry: MB1 entry_addr; MB2
 *      the entry tag;
 *   4. loading without them: the file must be an ELF (MB_E_NOT_ELF,
 *      MB_E_ELF with the elf_err in detail and where in elf_bad), 32- or
 *      64-bit; every PT_LOAD goes to p_paddr and must end at or below 4 GiB
 *      (MB_E_ABOVE_4G).
 *      Entry: the MB2 entry tag, else e_entry; an e_entry that lies in no
 *      segment's physical range but in one's virtual range is translated
 *      to the physical address;
 *      the entry of 3 and 4 must be below 4 GiB (MB_E_ENTRY_4G) and lie in
 *      the bytes a segment loads from the file, [dest, dest + filesz)
 *      (MB_E_ENTRY_OUTSIDE, the entry in detail): the bss holds zeroes
 *      and what lies between segments is not loaded, so an entry there
 *      would run whatever is in memory;
 *   5. MB2 relocatable tag: align a power of two or 0, and an aligned base
 *      >= min exists with base + (hi - lo) <= max (MB_E_MB2_RELOC).
 * out is fully written in every case (nseg = 0 on error; version, eax,
 * detail and elf_bad are kept so the error can be reported).
 */
enum mb_err mb_plan(const struct view *f, const struct mb1_header *h1,
		    const struct mb2_header *h2, struct mb_plan *out);

/*
 * The message for the error mb_plan left in plan: mb_format_error's, but
 * for MB_E_ELF with the program header at fault too ("bad ELF file:
 * program header 1: segment extends past the end of the file").
 */
const char *mb_describe(char *buf, size_t cap, const struct mb_plan *plan);

/*
 * Moves a planned image so that lo becomes new_base: every segment and the
 * entry shift by the same amount, so the entry stays in the same segment's
 * file bytes. new_base == lo always succeeds. Otherwise the plan must be
 * relocatable (MB_E_NOT_RELOCATABLE), new_base must meet its constraints
 * and keep everything below 4 GiB (MB_E_RELOC_RANGE), and the entry must
 * lie in a segment's file bytes as mb_plan leaves it (MB_E_ENTRY_OUTSIDE,
 * only for a plan not made by mb_plan). The plan is unchanged on error.
 */
enum mb_err mb_plan_relocate(struct mb_plan *plan, uint64_t new_base);

/*
 * Whether a relocatable plan may stay where it is linked: lo meets the
 * relocatable tag's alignment and lies within [reloc_min, reloc_max] with
 * the whole image ("the bootloader cannot load any part of image below
 * min_addr", above max_addr). True for a plan that is not relocatable.
 */
bool mb_plan_in_limits(const struct mb_plan *plan);

/* A module handed to the kernel. */
struct mb_module {
	uint64_t paddr;
	uint64_t size;
	const char *string; /* NULL is written as "" */
};

/*
 * Multiboot 1 and 2 give module addresses as u32 with an exclusive end:
 * every module must satisfy paddr + size < 2^32. MB_E_MOD_4G with the first
 * bad index in *bad (may be NULL). The builders refuse such modules too
 * (return 0); this tells the firmware which one.
 */
enum mb_err mb_check_modules(const struct mb_module *mods, uint32_t nmods,
			     uint32_t *bad);

/*
 * mem_lower / mem_upper as both protocols define them, from map mm (any
 * order; adjacent RAM entries count as contiguous): KiB of RAM from 0 up to
 * 640 KiB, and KiB of contiguous RAM from 1 MiB up to the first hole
 * (capped at 0xFFFFFFFF). 0 when there is no RAM at 0 / at 1 MiB.
 */
uint32_t mb_mem_lower(const struct memmap *mm);
uint32_t mb_mem_upper(const struct memmap *mm);

/*
 * Writes a Multiboot 1 information structure into buf (cap bytes) that will
 * be at physical address buf_paddr (4-aligned, else 0 is returned):
 *   offset 0: the 116-byte info, flags MEMORY | MODS | LOADER_NAME, plus
 *     CMDLINE when cmdline is not NULL and MMAP when mm has entries;
 *     mem_lower / mem_upper as mb_mem_lower / mb_mem_upper;
 *   then (8-aligned) the memory map: entries {size = 20, base_addr u64,
 *     length u64, type u32} in mm's order, types unchanged (E820
 *     numbering), except that a RAM entry spanning 0x100000 is split there;
 *   then (8-aligned) nmods module entries {mod_start, mod_end (exclusive),
 *     string, 0}; mods_addr = 0 when nmods is 0;
 *   then the strings: cmdline, MB_LOADER_NAME, each module's string.
 * Returns the bytes used, or 0 when cap is too small, buf_paddr is not
 * 4-aligned, the block would not end at or below 4 GiB, a module is not
 * below 4 GiB, mm has more than MEMMAP_MAX entries or mods is NULL with
 * nmods > 0. buf may be partially written on failure.
 */
size_t mb1_info_build(uint8_t *buf, size_t cap, uint64_t buf_paddr,
		      const struct memmap *mm, const char *cmdline,
		      const struct mb_module *mods, uint32_t nmods);

/* Bytes mb1_info_build needs (0 when the inputs are refused). */
size_t mb1_info_size(const struct memmap *mm, const char *cmdline,
		     const struct mb_module *mods, uint32_t nmods);

/* A physical range [start, start + size). */
struct mb_range {
	uint64_t start, size;
};

/* EFI state for the Multiboot 2 EFI tags. */
struct mb2_efi {
	uint64_t system_table; /* tag 12 when not 0 */
	uint64_t image_handle; /* tag 20 when not 0 */
	const uint8_t *mmap;   /* tag 17 when not NULL and mmap_size > 0 */
	uint32_t mmap_size;    /* bytes of the raw EFI memory map */
	uint32_t desc_size;    /* stride of the map */
	uint32_t desc_version;
	/*
	 * What the firmware placed after the map was taken (the kernel, the
	 * information structure, moved modules), in memory the map calls
	 * free. Tag 17 shows these ranges, rounded out to whole 4 KiB pages,
	 * as EfiLoaderData (2) where the map has BootServicesCode (3),
	 * BootServicesData (4) or ConventionalMemory (7): such a descriptor
	 * is split at the ranges' page boundaries, each part a copy of it
	 * (attributes kept, VirtualStart moved along when not 0) with its
	 * own start, page count and type. GRUB's map shows what it loaded as
	 * loader memory too. Only with desc_size >= 40 and a multiple of 8;
	 * other descriptors, and bytes past the last whole descriptor, go
	 * unchanged. NULL or 0: the map as it is. Each range adds at most
	 * two descriptors to a map whose descriptors do not overlap.
	 */
	const struct mb_range *loader;
	uint32_t nloader;
	/*
	 * Tag 18 ("boot services not terminated"). Only when the firmware
	 * really enters the kernel with boot services running, which the
	 * current firmware never does: leave false.
	 */
	bool boot_services;
};

/* The optional parts of a Multiboot 2 information structure. */
struct mb2_extra {
	/*
	 * The RSDP bytes (a copy is made; NULL = no ACPI tags) and their
	 * number (20 for revision 0, else the RSDP's length). Any RSDP of at
	 * least 20 bytes gives tag 14 (its first 20 bytes, as GRUB does);
	 * revision >= 2 with at least 36 bytes also gives tag 15 (all
	 * rsdp_len bytes).
	 */
	const uint8_t *rsdp;
	size_t rsdp_len;
	const struct mb2_efi *efi; /* NULL = no EFI tags */
	/* Tag 21: set it for every kernel with the relocatable tag (the
	 * spec: given when that tag is there), moved or not. */
	bool has_load_base;
	uint32_t load_base; /* plan.lo, after mb_plan_relocate if moved */
};

/* True when mb2_info_build with extra x (may be NULL) writes tag `type`. */
bool mb2_info_provides(uint32_t type, const struct mb2_extra *x);

/*
 * Checks the plan's non-optional information requests against what
 * mb2_info_build will produce with x. MB_E_MB2_REQ with the first missing
 * type in *type (may be NULL). MB_OK for Multiboot 1 plans.
 */
enum mb_err mb2_check_requests(const struct mb_plan *plan,
			       const struct mb2_extra *x, uint32_t *type);

/*
 * Writes a Multiboot 2 information structure into buf (cap bytes) that will
 * be at physical address buf_paddr (8-aligned, else 0 is returned):
 * total_size, reserved 0, then tags, each starting 8-aligned (size excludes
 * the padding), in this order: command line (1, when cmdline is not NULL),
 * boot loader name (2, MB_LOADER_NAME), one module tag (3) per module,
 * basic meminfo (4), memory map (6, entry_size 24, version 0, when mm has
 * entries), ACPI old (14) / new (15), EFI64 system table (12), EFI memory
 * map (17, with x->efi's loader ranges marked, see struct mb2_efi), EFI
 * boot services (18), EFI64 image handle (20), load base (21) as x says;
 * the end tag (0, size 8). Returns the bytes used (total_size),
 * or 0 for the same reasons as mb1_info_build.
 */
size_t mb2_info_build(uint8_t *buf, size_t cap, uint64_t buf_paddr,
		      const struct memmap *mm, const char *cmdline,
		      const struct mb_module *mods, uint32_t nmods,
		      const struct mb2_extra *x);

/* Bytes mb2_info_build needs (0 when the inputs are refused). */
size_t mb2_info_size(const struct memmap *mm, const char *cmdline,
		     const struct mb_module *mods, uint32_t nmods,
		     const struct mb2_extra *x);

#endif
