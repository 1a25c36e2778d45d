// SPDX-License-Identifier: MIT
/*
 * logic.h: the hardware-free parts of abicheck, shared with pvhcheck and
 * mbcheck (memory-map arithmetic, pvhfw's map promises, command-line
 * words, RSDP checksums, the page-table walks). Pointers and callbacks in,
 * results out; no console, no port I/O, so host/test_host.c runs the same
 * code on the build machine.
 */
#ifndef ABICHECK_LOGIC_H
#define ABICHECK_LOGIC_H

#include <stddef.h>
#include <stdint.h>

/* One memory-map entry, from start_info (24-byte) or E820 (20-byte) form. */
struct mm_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/* Bit for a type in the typemask arguments (types 1..31 only). */
#define MM_TYPE(t) (1u << (t))

/* Exclusive end of e, saturated at 2^64 - 1 instead of wrapping. */
uint64_t mm_end(const struct mm_entry *e);

/*
 * Entries must be sorted by address, must not overlap and must not wrap past
 * 2^64. Returns -1 when they are fine, else the index of the first bad entry
 * with *why set to a static reason.
 */
int mm_check_order(const struct mm_entry *m, size_t n, const char **why);

/*
 * 1 if every byte of [start, end) lies in entries whose type is in typemask
 * (adjacent entries may share the range). Else 0 and *gap = the first byte
 * not covered. An empty range is covered; end < start is not.
 */
int mm_covered(const struct mm_entry *m, size_t n, uint64_t start, uint64_t end,
	       uint32_t typemask, uint64_t *gap);

/*
 * The last byte of the highest RAM entry that starts below 4 GiB (clipped to
 * 4 GiB - 1) when above4g == 0, or of the highest RAM entry that ends above
 * 4 GiB when above4g != 0. Returns 0 if there is none.
 */
int mm_highest_ram(const struct mm_entry *m, size_t n, int above4g,
		   uint64_t *last);

/* Sum of the sizes of the entries of one type. */
uint64_t mm_total(const struct mm_entry *m, size_t n, uint32_t type);

/* The index of the entry that holds addr, or -1. */
int mm_find(const struct mm_entry *m, size_t n, uint64_t addr);

/*
 * A map as pvhfw normalises it (docs/abi.md): no empty entry, types 1-7
 * only, and no two touching entries of one type (they would be one).
 * Returns -1 when it is, else the index of the first bad entry with *why
 * set to a static reason. The order is mm_check_order's business.
 */
int mm_check_normalised(const struct mm_entry *m, size_t n, const char **why);

/*
 * Parse the n bytes at s, "START-END[,START-END]..." (END exclusive,
 * numbers decimal or 0x hex), into at most max entries of type 1. The
 * ranges must be non-empty, sorted and must not overlap. Returns their
 * count, or -1 with *why set to a static reason.
 */
int mm_parse_ranges(const char *s, size_t n, struct mm_entry *out, size_t max,
		    const char **why);

/*
 * What pvhfw's map m (sorted, non-overlapping) did to the VMM's RAM, the
 * vn ranges of vmm (mm_parse_ranges): "all other RAM is RAM" (docs/abi.md)
 * means that no RAM of m lies outside vmm, and that exactly one contiguous
 * range of vmm is not RAM in m, all of it reserved (type 2): the handoff
 * area. Returns NULL with that range in [*start, *end), else a static
 * reason with *at the first address concerned (UINT64_MAX: none, when no
 * RAM is lost at all) and, where the reason is about a lost range, the
 * first one in [*start, *end) (else both 0).
 */
const char *mm_lost_ram(const struct mm_entry *m, size_t n,
			const struct mm_entry *vmm, size_t vn, uint64_t *start,
			uint64_t *end, uint64_t *at);

/*
 * Command-line words are separated by spaces, tabs and newlines.
 * cl_has_word: 1 if the exact word occurs.
 * cl_value: for a word "<key>=<number>" (decimal or 0x hex): 1 and *val,
 *   0 if no such word, -1 if the number does not parse. The last one wins.
 * cl_find_prefix: the first word starting with prefix (its length in *len),
 *   or NULL.
 */
int cl_has_word(const char *cl, const char *word);
int cl_value(const char *cl, const char *key, uint64_t *val);
const char *cl_find_prefix(const char *cl, const char *prefix, size_t *len);

/*
 * The check.* words a checker knows. word is a whole word ("check.tr=1"),
 * or a key ending in '=' ("check.modules=") that takes any non-empty value;
 * needs, when not NULL, a whole word that must be on the command line too
 * for this one to check anything ("check.vmm-ram=" needs "check.pvhfw=1").
 */
struct cl_check_word {
	const char *word;
	const char *needs;
};

/*
 * cl_next_word: the first word at or after p (its length in *len), or NULL.
 * cl_check_word: for the word w (len bytes) of the command line cl, with
 *   known[] ending in an entry whose word is NULL: CL_WORD_OTHER when it
 *   does not start with "check.", CL_WORD_KNOWN when an entry takes it and
 *   its needs word is on cl, CL_WORD_NEEDS when an entry takes it but not
 *   that, CL_WORD_UNKNOWN else (with *entry the entry, or NULL).
 */
const char *cl_next_word(const char *p, size_t *len);
enum cl_word_kind {
	CL_WORD_OTHER,
	CL_WORD_KNOWN,
	CL_WORD_NEEDS,
	CL_WORD_UNKNOWN,
};
enum cl_word_kind cl_check_word(const char *cl, const char *w, size_t len,
				const struct cl_check_word *known,
				const struct cl_check_word **entry);

/*
 * Validate an RSDP at p: signature, the 20-byte checksum and, for revision
 * >= 2, length >= 36 (and at most 4096, as a sanity bound) and the extended
 * checksum. Returns NULL when valid, else a static reason. *rev and *len are
 * set as far as they could be read.
 */
const char *rsdp_check(const uint8_t *p, unsigned *rev, uint32_t *len);

/*
 * Translate va through x86-64 page tables rooted at cr3 (4-level, or 5-level
 * when five_level), reading each entry with rd(ctx, physical address).
 * Handles 1 GiB, 2 MiB and 4 KiB pages. Returns NULL when va is mapped, else
 * a static reason; the result fields are filled in as far as the walk got.
 */
typedef uint64_t (*pt_read_fn)(void *ctx, uint64_t pa);

struct pt_walk {
	uint64_t pa;	    /* the translation of va */
	uint64_t page_size; /* 1 GiB, 2 MiB or 4 KiB */
	int writable;	    /* R/W set at every level */
	const char *level;  /* name of the last level looked at */
	uint64_t entry;	    /* the last entry read */
};

const char *pt_translate(pt_read_fn rd, void *ctx, uint64_t cr3, int five_level,
			 uint64_t va, struct pt_walk *w);

/*
 * Call fn(ctx, pa, level name) for every page-table page reachable from cr3:
 * the root, then each page a present entry that is not a leaf points to
 * (a 4 KiB PT's entries are not read). Returns the number of pages, or -1
 * when there are more than max (the walk stops there).
 */
typedef void (*pt_page_fn)(void *ctx, uint64_t pa, const char *level);

long pt_tables(pt_read_fn rd, void *ctx, uint64_t cr3, int five_level,
	       pt_page_fn fn, long max);

#endif
