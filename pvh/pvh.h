// SPDX-License-Identifier: MIT
/*
 * pvh.h: the Xen PVH boot ABI both ways: read and validate the hvm_start_info
 * a VMM hands in, and build one for a payload.
 *
 * struct hvm_start_info (version 1, 56 bytes; version 0 ends at 0x28):
 *
 *   0x00 magic 0x336ec578   0x04 version   0x08 flags   0x0c nr_modules
 *   0x10 modlist_paddr                     0x18 cmdline_paddr
 *   0x20 rsdp_paddr                        0x28 memmap_paddr      (v1)
 *   0x30 memmap_entries (v1)               0x34 reserved          (v1)
 *
 * struct hvm_modlist_entry (32 bytes):
 *   0x00 paddr   0x08 size   0x10 cmdline_paddr   0x18 reserved
 *
 * struct hvm_memmap_table_entry (24 bytes, not the packed 20-byte E820):
 *   0x00 addr    0x08 size   0x10 type (E820 numbering)  0x14 reserved
 */
#ifndef PVHFW_PVH_H
#define PVHFW_PVH_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/view.h"
#include "../memmap/memmap.h"

#define PVH_START_MAGIC 0x336ec578u
#define PVH_NOTE_PHYS32_ENTRY 18
#define PVH_NOTE_PHYS32_RELOC 19

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

_Static_assert(offsetof(struct hvm_start_info, magic) == 0x00, "magic");
_Static_assert(offsetof(struct hvm_start_info, version) == 0x04, "version");
_Static_assert(offsetof(struct hvm_start_info, flags) == 0x08, "flags");
_Static_assert(offsetof(struct hvm_start_info, nr_modules) == 0x0c, "nr_mod");
_Static_assert(offsetof(struct hvm_start_info, modlist_paddr) == 0x10, "mod");
_Static_assert(offsetof(struct hvm_start_info, cmdline_paddr) == 0x18, "cmd");
_Static_assert(offsetof(struct hvm_start_info, rsdp_paddr) == 0x20, "rsdp");
_Static_assert(offsetof(struct hvm_start_info, memmap_paddr) == 0x28, "mm");
_Static_assert(offsetof(struct hvm_start_info, memmap_entries) == 0x30, "mmn");
_Static_assert(offsetof(struct hvm_start_info, reserved) == 0x34, "rsvd");
_Static_assert(sizeof(struct hvm_start_info) == 0x38, "start_info size");
_Static_assert(offsetof(struct hvm_modlist_entry, cmdline_paddr) == 0x10, "m");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "modlist entry size");
_Static_assert(offsetof(struct hvm_memmap_table_entry, type) == 0x10, "type");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "memmap entry");

#define PVH_START_INFO_V0_SIZE 0x28

/* Limits of what the firmware copies in; larger inputs are refused. */
#define PVH_MAX_MODULES 32
#define PVH_CMDLINE_MAX 8192 /* bytes, including the NUL */
#define PVH_MODCMD_MAX 512   /* bytes of one module's string, with NUL */

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	char cmdline[PVH_MODCMD_MAX]; /* "" when the VMM gave none */
};

/* A range of physical memory, [start, end); empty when end <= start. */
struct pvh_range {
	uint64_t start, end;
};

/* What the VMM handed in, copied out of its memory. */
struct pvh_info {
	uint64_t start_info_paddr;
	uint32_t version;
	uint32_t flags;
	uint64_t rsdp_paddr;	       /* 0 = not given */
	char cmdline[PVH_CMDLINE_MAX]; /* "" when not given */
	uint32_t nr_modules;
	struct pvh_module mod[PVH_MAX_MODULES];
	/* The raw (not normalised) map; n = 0 for version 0, 0 entries or
	 * memmap_paddr 0 (not present, as for any address in the ABI). */
	struct memmap memmap;
	/* After a PVH_E_*_OVERLAP: what overlaps the firmware, [bad.start,
	 * bad.end) (a string: its address, bad.end = bad.start, as its end
	 * is not read), and for a module or its string the module's index
	 * in the module list. */
	struct pvh_range bad;
	uint32_t bad_module;
};

enum pvh_err {
	PVH_OK = 0,
	PVH_E_RANGE,		/* start_info is not inside readable memory */
	PVH_E_MAGIC,		/* bad magic */
	PVH_E_MEMMAP_RANGE,	/* the memory map table is not readable */
	PVH_E_MEMMAP_TOO_MANY,	/* more than MEMMAP_MAX entries */
	PVH_E_MEMMAP_WRAP,	/* a memory map entry runs past 2^64 */
	PVH_E_CMDLINE_RANGE,	/* command line address not readable */
	PVH_E_CMDLINE_LONG,	/* no NUL within PVH_CMDLINE_MAX bytes */
	PVH_E_MODLIST_RANGE,	/* the module list is not readable */
	PVH_E_TOO_MANY_MODULES, /* more than PVH_MAX_MODULES */
	PVH_E_MODULE_WRAP,	/* a module's paddr + size runs past 2^64 */
	PVH_E_MODCMD_RANGE,	/* a module's string is not readable */
	PVH_E_MODCMD_LONG,	/* no NUL within PVH_MODCMD_MAX bytes */
	/* Something handed in lies in the firmware's own memory: */
	PVH_E_START_INFO_OVERLAP, /* start_info itself */
	PVH_E_MEMMAP_OVERLAP,	  /* the memory map table */
	PVH_E_CMDLINE_OVERLAP,	  /* a byte of the command line */
	PVH_E_MODLIST_OVERLAP,	  /* the module list */
	PVH_E_MODULE_OVERLAP,	  /* a module's bytes (size non-zero) */
	PVH_E_MODCMD_OVERLAP,	  /* a byte of a module's string */
};

const char *pvh_strerror(enum pvh_err err);

/*
 * Reads the start_info at physical address start_info_paddr through phys
 * (phys address = view offset) and copies everything into *out.
 * Version 0 and any version >= 1 are accepted (newer versions are backward
 * compatible; only the version 1 fields are read). A string or module list
 * address of 0 means "not given". Module data itself is not read (only
 * checked not to wrap). fw (NULL: none) is the caller's own memory: each
 * structure, string and non-empty module that overlaps it is refused
 * before a byte of it is read (PVH_E_*_OVERLAP, out->bad). On error *out
 * is partially written.
 */
enum pvh_err pvh_parse(const struct view *phys, uint64_t start_info_paddr,
		       const struct pvh_range *fw, struct pvh_info *out);

/* A module to hand to a payload. */
struct pvh_out_module {
	uint64_t paddr;
	uint64_t size;
	const char *cmdline; /* NULL or "" = no string */
};

/*
 * Writes a version-1 start_info followed by its module list, memory map
 * (24-byte entries from mm, in order) and strings (cmdline, then each
 * module's string) into buf, a buffer of cap bytes that will be at physical
 * address buf_paddr. The start_info is at offset 0; every structure is
 * 8-byte aligned. cmdline NULL means no command line (cmdline_paddr = 0).
 * Returns the number of bytes used, or 0 when cap is too small (buf may
 * then be partially written).
 */
size_t pvh_build(uint8_t *buf, size_t cap, uint64_t buf_paddr,
		 const struct memmap *mm, const char *cmdline, uint64_t rsdp,
		 const struct pvh_out_module *mods, uint32_t nmods);

/* Bytes pvh_build needs for these inputs. */
size_t pvh_build_size(const struct memmap *mm, const char *cmdline,
		      const struct pvh_out_module *mods, uint32_t nmods);

#endif
