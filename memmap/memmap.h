// SPDX-License-Identifier: MIT
/*
 * memmap.h: the physical memory map: normalise, query, track busy ranges and
 * allocate.
 *
 * Types use the E820 / ACPI numbering, which PVH, Multiboot and Linux share.
 * A struct memmap has a fixed capacity (MEMMAP_MAX entries) so it can live in
 * the firmware's bss; nothing here allocates.
 *
 * Normalisation (memmap_normalise) turns an arbitrary list into the canonical
 * form every other function expects:
 *   1. entries of size 0 are dropped; types outside 1..7 become RESERVED;
 *   2. where entries overlap, each byte gets the most restrictive type that
 *      covers it, ranked RAM < ACPI < NVS < PMEM < RESERVED < UNUSABLE <
 *      DISABLED;
 *   3. the result is sorted by address, non-overlapping, and adjacent entries
 *      of the same type are merged.
 * It covers exactly the bytes the input covered. Cost: O(n) when the
 * non-empty entries are already in address order without overlaps (the
 * usual case: one pass, no sort), O(n log n) otherwise.
 */
#ifndef PVHFW_MEMMAP_H
#define PVHFW_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_RAM 1
#define MEMMAP_RESERVED 2
#define MEMMAP_ACPI 3
#define MEMMAP_NVS 4
#define MEMMAP_UNUSABLE 5
#define MEMMAP_DISABLED 6
#define MEMMAP_PMEM 7

#define MEMMAP_MAX 512

struct memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t pad; /* always 0 */
};

struct memmap {
	uint32_t n;
	struct memmap_entry e[MEMMAP_MAX];
};

enum memmap_err {
	MEMMAP_OK = 0,
	MEMMAP_E_FULL,	   /* more than MEMMAP_MAX entries */
	MEMMAP_E_WRAP,	   /* addr + size runs past 2^64 */
	MEMMAP_E_NO_RAM,   /* the map has no usable RAM at all */
	MEMMAP_E_NO_SPACE, /* no free RAM range fits the allocation */
	MEMMAP_E_BUSY_FULL /* more than MEMMAP_BUSY_MAX busy ranges */
};

/* A human-readable message for an error value (never NULL). */
const char *memmap_strerror(enum memmap_err err);

/* A short name for a type: "ram", "reserved", "acpi", "nvs", ... */
const char *memmap_type_name(uint32_t type);

void memmap_init(struct memmap *m);

/* Copies src's entries (not the whole capacity) into dst. */
void memmap_copy(struct memmap *dst, const struct memmap *src);

/*
 * Appends [addr, addr + size) of the given type without normalising.
 * size 0 is accepted and later dropped. Errors: MEMMAP_E_WRAP, MEMMAP_E_FULL.
 */
enum memmap_err memmap_add(struct memmap *m, uint64_t addr, uint64_t size,
			   uint32_t type);

/*
 * Normalises m in place as described above. Errors: MEMMAP_E_FULL when
 * resolving overlaps needs more than MEMMAP_MAX entries (m is then left
 * unchanged), MEMMAP_E_NO_RAM when the result has no RAM entry.
 */
enum memmap_err memmap_normalise(struct memmap *m);

/*
 * Marks [addr, addr + size) RESERVED in the normalised map m: the same
 * result as memmap_add followed by memmap_normalise, and the same errors;
 * after any error but MEMMAP_E_NO_RAM m is unchanged. A range strictly
 * inside one RAM entry (the usual case) splits that entry in place without
 * a sort.
 */
enum memmap_err memmap_reserve(struct memmap *m, uint64_t addr, uint64_t size);

/* Sum of the sizes of RAM entries. */
uint64_t memmap_ram_total(const struct memmap *m);

/* End (exclusive) of the highest RAM entry, 0 when there is none. */
uint64_t memmap_ram_top(const struct memmap *m);

/*
 * True when every byte of [addr, addr + size) is RAM in the normalised map m.
 * size 0 is true. A range that wraps is false.
 */
bool memmap_is_ram(const struct memmap *m, uint64_t addr, uint64_t size);

/*
 * Busy ranges: RAM the firmware must not hand out or write over (its own
 * image, the modules still to be read, the payload's planned segments,
 * allocations already made). Each carries a short description for errors.
 * The capacity is what the firmware can need at once: 32 modules, its image
 * and what the platform keeps for it, the ACPI RSDP, 32 segments, its new
 * place and the handoff area (firmware/load.c asserts it from its limits).
 */
#define MEMMAP_BUSY_MAX 69

struct memmap_busy_range {
	uint64_t start;
	uint64_t end; /* exclusive */
	const char *what;
};

struct memmap_busy {
	uint32_t n;
	struct memmap_busy_range r[MEMMAP_BUSY_MAX];
};

void memmap_busy_init(struct memmap_busy *b);

/* Adds [start, start + size). Errors: MEMMAP_E_WRAP, MEMMAP_E_BUSY_FULL. */
enum memmap_err memmap_busy_add(struct memmap_busy *b, uint64_t start,
				uint64_t size, const char *what);

/* Removes every busy range whose `what` pointer equals what. */
void memmap_busy_remove(struct memmap_busy *b, const char *what);

/*
 * The first busy range overlapping [start, start + size), or NULL.
 * size 0 never overlaps.
 */
const struct memmap_busy_range *
memmap_busy_overlap(const struct memmap_busy *b, uint64_t start, uint64_t size);

/*
 * Finds the highest address A such that [A, A + size) is RAM in m, does not
 * overlap any busy range, A is a multiple of align (a power of two, >= 1),
 * A >= min and A + size <= max_end. On success stores A in *out and records
 * the range as busy under `what`.
 * Errors: MEMMAP_E_NO_SPACE, MEMMAP_E_BUSY_FULL. size 0 is MEMMAP_E_NO_SPACE.
 */
enum memmap_err memmap_alloc(const struct memmap *m, struct memmap_busy *b,
			     uint64_t size, uint64_t align, uint64_t min,
			     uint64_t max_end, const char *what, uint64_t *out);

/* memmap_alloc's search from the bottom: the lowest such address A. */
enum memmap_err memmap_alloc_low(const struct memmap *m, struct memmap_busy *b,
				 uint64_t size, uint64_t align, uint64_t min,
				 uint64_t max_end, const char *what,
				 uint64_t *out);

#endif
