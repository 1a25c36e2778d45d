// SPDX-License-Identifier: MIT
/*
 * record.h: pvhfw's boot record (fw.record=on), checked field by field
 * against docs/measured-boot.md and against the modules handed over with
 * it. No console, no memory map: host/test_pvhcheck.c runs the same code on
 * the build machine, on records built there and broken one field at a time.
 */
#ifndef PVHCHECK_RECORD_H
#define PVHCHECK_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define RECORD_HEAD 0x30   /* the header; the entries start here */
#define RECORD_ENTRY 96	   /* sha256[32], size u64, index u64, name[48] */
#define RECORD_NAME_MAX 48 /* bytes of an entry's name field */
#define RECORD_COUNT_MAX 64
#define RECORD_INDEX_PAYLOAD 0xFFFFFFFFFFFFFFFFull
#define RECORD_INDEX_CMDLINE 0xFFFFFFFFFFFFFFFEull

/* A module handed over before the record: its size and string (NULL or ""
 * when it has none). */
struct record_mod {
	uint64_t size;
	const char *name;
};

/*
 * Whether the record's header says a layout that lies inside its len bytes
 * (magic, the size field equal to len, at most RECORD_COUNT_MAX entries
 * that fit): then its entries can be read.
 */
int record_readable(const uint8_t *r, uint64_t len);

/*
 * Checks the record r of len bytes (the record module's size), handed over
 * after the n modules mods[], as docs/measured-boot.md describes it:
 *   - magic "PVHFWBR1", size = len, version 1, the firmware name
 *     NUL-terminated in its 16 bytes, the reserved field at 0x2C 0;
 *   - count = n + 1 (the payload and the modules), or n + 2 with a
 *     bundle's cmdline entry last;
 *   - the options string at exactly 0x30 + 96 * count, ending with its NUL
 *     at the end of the record and holding no other NUL;
 *   - flags: bit 0 alone, set exactly when the options hold a pin
 *     (fw.sha256= or fw.module.N.sha256=), since a pin that did not match
 *     would have stopped the boot;
 *   - each entry's name NUL-terminated and NUL-padded in its 48 bytes;
 *     entry 0: index all ones, name "payload"; entry i (1..n): index i - 1,
 *     size and name (cut to 47 bytes) those of mods[i - 1]; a last entry
 *     past them: index 0xFFFFFFFFFFFFFFFE, name "cmdline".
 * Returns NULL when all hold, else the first that does not, written into
 * why (cap bytes).
 */
const char *record_check(const uint8_t *r, uint64_t len,
			 const struct record_mod *mods, uint32_t n, char *why,
			 size_t cap);

/*
 * The entry of the record r (len bytes, record_readable) whose index field
 * is index (a module's number, or RECORD_INDEX_*), the first when several
 * have it; NULL when none has, or r is not readable. Its sha256 is its
 * first 32 bytes.
 */
const uint8_t *record_entry(const uint8_t *r, uint64_t len, uint64_t index);

#endif
