// SPDX-License-Identifier: MIT
/*
 * integrity.h: what the integrity payload (main.c, freestanding) and its
 * build-time stamp tool (stamp.c, hosted) must agree on: the blob generator,
 * the checksum, and the stamp record the tool fills in.
 *
 * The blob: BLOB_SEED run through xorshift64 (Marsaglia's 13, 7, 17 triple),
 * one 64-bit value per 8 bytes, stored little-endian.
 *
 * The checksum: 64-bit FNV-1a over the file-backed bytes of the image (every
 * PT_LOAD's p_filesz bytes, in address order), with the bytes of the skip
 * range [__skip_start, __skip_end) taken as zero. The skip range holds what
 * changes between the file and the run: lib/entry.asm's entry_regs (written
 * at e_entry, before any C) and the stamp record, which holds the checksum.
 */
#ifndef INTEGRITY_H
#define INTEGRITY_H

#include <stdint.h>

#define BLOB_SEED 0x9E3779B97F4A7C15ull

static inline uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x00000100000001b3ull

/* Hash n zero bytes (the skip range). */
static inline uint64_t fnv1a64_zeros(uint64_t h, uint64_t n)
{
	while (n--)
		h *= FNV64_PRIME; /* h ^= 0 is a no-op */
	return h;
}

static inline uint64_t fnv1a64(uint64_t h, const uint8_t *p, uint64_t n)
{
	const uint8_t *end = p + n;

	while (p < end) {
		h ^= *p++;
		h *= FNV64_PRIME;
	}
	return h;
}

/*
 * Hash one segment: bytes holds the n bytes that belong at address addr;
 * those in [skip_lo, skip_hi) count as zero.
 */
static inline uint64_t integrity_hash_segment(uint64_t h, const uint8_t *bytes,
					      uint64_t addr, uint64_t n,
					      uint64_t skip_lo,
					      uint64_t skip_hi)
{
	uint64_t end = addr + n;
	uint64_t a = skip_lo > addr ? skip_lo : addr;
	uint64_t b = skip_hi < end ? skip_hi : end;

	if (a >= b) /* no overlap */
		return fnv1a64(h, bytes, n);
	h = fnv1a64(h, bytes, a - addr);
	h = fnv1a64_zeros(h, b - a);
	return fnv1a64(h, bytes + (b - addr), end - b);
}

/*
 * The stamp record, in its own section .data.integrity_stamp, inside the
 * skip range. As linked it holds only the magic; the stamp tool sets the
 * rest in the ELF file.
 */
#define STAMP_MAGIC 0x504d415453544e49ull /* "INTSTAMP" */
#define STAMP_DONE 0x454e4f44504d5453ull  /* "STMPDONE" */
#define STAMP_MAX_SEGS 2

struct integrity_stamp {
	uint64_t magic;	   /* STAMP_MAGIC */
	uint64_t stamped;  /* STAMP_DONE once stamped, 0 as linked */
	uint64_t checksum; /* FNV-1a 64, as above */
	uint64_t bytes;	   /* bytes hashed: the sum of the p_filesz */
	uint64_t nseg;	   /* PT_LOADs with file bytes, in address order */
	struct {
		uint64_t paddr, filesz;
	} seg[STAMP_MAX_SEGS];
};
_Static_assert(sizeof(struct integrity_stamp) == 72, "stamp record");

#endif
