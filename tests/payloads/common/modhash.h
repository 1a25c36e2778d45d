// SPDX-License-Identifier: MIT
/*
 * modhash.h: check.modhash=1, shared by abicheck, pvhcheck and mbcheck:
 * are the bytes of every module the ones the firmware was given? pvhfw's
 * boot record (fw.record=on, docs/measured-boot.md) holds the SHA-256 the
 * firmware took of each module before it parsed or placed anything; the
 * checker takes the SHA-256 of each module as it received it, at entry,
 * and compares. A byte lost or changed by anything the firmware did after
 * hashing (moving a module out of a segment's way, moving itself, building
 * the handoff area, copying segments, zeroing a bss) makes them differ.
 *
 * The hashing (crypto/sha256.c, the firmware's own portable code) runs
 * first thing, right after the checker has read the hand-off and before it
 * prints or checks anything: nothing the checker does can have touched a
 * module by then. The checker writes nothing outside its own image anyway
 * (pvhcheck's page tables for memory above 4 GiB are in its bss).
 */
#ifndef PAYLOAD_MODHASH_H
#define PAYLOAD_MODHASH_H

#include <stdint.h>

#include "handoff.h"

#define MODHASH_MAX 64 /* modules hashed; any more fail the check */

/* A module as the checker received it. */
struct modhash_mod {
	uint64_t paddr, size;
	const uint8_t *bytes; /* where the checker reads it; NULL: it cannot */
	const char *name;     /* its string; NULL when it has none */
};

/*
 * At entry, with check.modhash=1 on the command line: the SHA-256 of each
 * of the n modules mods[], the first n of the count the loader handed over
 * (the check fails when that is not all of them, or more than MODHASH_MAX
 * and the record). The last module, when it is the boot record (the module
 * named "pvhfw-boot-record"), is kept as the record instead.
 */
void modhash_take(const struct modhash_mod *mods, uint32_t n, uint32_t count);

/*
 * modhash_take for a start_info's module list (abicheck, pvhcheck); ptr
 * turns a physical range into a pointer the checker can read (NULL: it
 * cannot).
 */
void si_modhash_take(const struct si_handoff *h,
		     const void *(*ptr)(uint64_t pa, uint64_t len));

/*
 * The check "modhash", after "modules"; nothing at all when modhash_take
 * did not run (no check.modhash=1). Prints first, per module hashed,
 *   <rt_name>: modhash: module <i>: <sha256> <size> bytes at 0x<paddr>
 * then FAILs when there is no boot record, it is not readable, a module
 * could not be read or hashed, the record has no entry of its index, or
 * its entry's digest is not the one taken at entry:
 *   module <i> at 0x<paddr>: sha256 <at entry>, the record's <digest>
 * (the first two modules that fail in full, the others counted).
 */
void check_modhash(void);

#endif
