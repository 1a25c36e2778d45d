// SPDX-License-Identifier: MIT
/*
 * walk.h: the hardware-free part of mbcheck: walking the Multiboot 1 memory
 * map, the Multiboot 2 information tags and their memory map, and finding
 * the first word of a command line (BOOT-ABIS.md 3.3 and 3.6). Byte
 * buffers in, results out; no console, no port I/O, so
 * host/test_mbcheck.c runs the same code on the build machine.
 *
 * Multiboot 1 memory map (mmap_addr, mmap_length bytes): entries of
 * variable stride, each a u32 `size` (the bytes that follow it, >= 20),
 * then u64 base_addr, u64 length, u32 type; the next entry starts size + 4
 * bytes after this one's size field.
 *
 * Multiboot 2 information: u32 total_size (the end tag included), u32
 * reserved (0), then tags {u32 type, u32 size (no padding), body}, each
 * starting 8-aligned from the structure's start, the last of type 0 and
 * size 8, ending exactly at total_size. Memory map tag (6): u32 entry_size,
 * u32 entry_version, entries {u64 base_addr, u64 length, u32 type, u32
 * reserved}.
 */
#ifndef MBCHECK_WALK_H
#define MBCHECK_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "../abicheck/logic.h" /* struct mm_entry */

#define MB1_MMAP_MIN_SIZE 20 /* base_addr, length, type */
#define MB2_MMAP_ENTRY 24    /* the entry size this checker wants */
#define MB2_FIXED 8	     /* total_size, reserved */
#define MB2_TAG_HEAD 8	     /* type, size */

/*
 * Walk a Multiboot 1 memory map of len bytes at buf into out (at most max
 * entries; *n = how many). NULL when every entry has size >= 20, lies
 * inside len and the last one ends exactly at len; else a static reason,
 * with *bad_off = the offset of the offending size field.
 */
const char *mb1_mmap_walk(const uint8_t *buf, uint32_t len,
			  struct mm_entry *out, size_t max, size_t *n,
			  uint32_t *bad_off);

/* One Multiboot 2 tag: where its head lies in the structure. */
struct mb2_tag {
	uint32_t off; /* from the structure's start */
	uint32_t type;
	uint32_t size; /* as written: head + body, no padding */
};

/*
 * Walk the Multiboot 2 tags of the structure at buf; cap bytes are
 * readable there, and total_size (the first u32) must fit in them. Checks:
 * total_size >= 16, a multiple of 8, <= cap; reserved 0; every tag
 * 8-aligned, size >= 8, inside total_size; an end tag of size 8 ending
 * exactly at total_size; at most max tags before it (the end tag is not
 * stored). NULL when fine, else a static reason with *bad_off = the offset
 * of the offending field or tag. *n = the tags stored so far either way.
 */
const char *mb2_tag_walk(const uint8_t *buf, uint32_t cap, struct mb2_tag *tags,
			 size_t max, size_t *n, uint32_t *bad_off);

/*
 * The memory map tag (type 6) of size bytes at tag (its head included):
 * entry_size 24, entry_version 0, (size - 16) a multiple of 24, every
 * entry's reserved field 0. Entries into out (at most max; *n). NULL when
 * fine, else a static reason; *bad = the index of the offending entry for
 * a reserved-field problem, else -1.
 */
const char *mb2_mmap_parse(const uint8_t *tag, uint32_t size,
			   struct mm_entry *out, size_t max, size_t *n,
			   long *bad);

/*
 * The EFI memory map tag (type 17) of size bytes at tag (its head
 * included): u32 descriptor_size (>= 40, a multiple of 8), u32
 * descriptor_version, then descriptors {u32 Type, pad, u64 PhysicalStart,
 * u64 VirtualStart, u64 NumberOfPages, u64 Attribute}. For [start, end):
 * NULL when no descriptor that overlaps it is of a type a kernel may take
 * as free memory, BootServicesCode (3), BootServicesData (4) or
 * ConventionalMemory (7) (what a loader placed must show as loader memory,
 * as GRUB's map shows it); else a static reason, with *bad = the offending
 * descriptor's index and *type its type (*bad = -1 for a bad tag).
 */
const char *mb2_efimap_check(const uint8_t *tag, uint32_t size, uint64_t start,
			     uint64_t end, long *bad, uint32_t *type);

/*
 * The NUL-terminated string of a tag body: NULL unless a NUL lies within
 * the len bytes at s; else s, with *slen = its length.
 */
const char *mb_str_in(const char *s, size_t len, size_t *slen);

/*
 * The first word of a command line (words as in logic.h: separated by
 * spaces, tabs and newlines): 1 with *w / *wlen, and *rest = the text after
 * it with the separators skipped; 0 when the line has no word (*rest = the
 * end of the string).
 */
int mb_first_word(const char *cl, const char **w, size_t *wlen,
		  const char **rest);

/* The sum of len bytes, mod 256 (ACPI checksums). */
uint8_t mb_sum8(const uint8_t *p, size_t len);

#endif
