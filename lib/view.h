// SPDX-License-Identifier: MIT
/*
 * view.h: bounds-checked, read-only access to a range of bytes.
 *
 * Every parser in pvhfw reads its input through a struct view, never through
 * a raw pointer. In the firmware a view of physical memory has base 0 (the
 * identity map) and len = the end of mapped memory; in the unit tests and
 * fuzzers the base is a host buffer. Every accessor checks that the whole
 * access lies inside [0, len) without overflowing, and reports failure
 * instead of reading out of bounds. Multi-byte values are little endian.
 */
#ifndef PVHFW_VIEW_H
#define PVHFW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inline.h"

struct view {
	const uint8_t *base; /* the byte at offset 0 */
	uint64_t len;	     /* number of readable bytes from base */
};

static inline struct view view_make(const void *base, uint64_t len)
{
	struct view v = { (const uint8_t *)base, len };
	return v;
}

/*
 * True when [off, off + n) lies inside the view (n = 0 is allowed). Both
 * tests are evaluated, joined with & rather than &&: one branch at each
 * caller instead of two (under an emulator each branch ends a translated
 * block); v->len - off may wrap when off is past the end, and is then
 * ignored.
 */
INLINE bool view_has(const struct view *v, uint64_t off, uint64_t n)
{
	return (off <= v->len) & (n <= v->len - off);
}

/* Pointer to [off, off + n) inside the view, or NULL when out of bounds. */
INLINE const uint8_t *view_ptr(const struct view *v, uint64_t off, uint64_t n)
{
	if (!view_has(v, off, n))
		return NULL;
	return v->base + off;
}

/* A view of [off, off + n) of v; an empty view when out of bounds. */
INLINE struct view view_sub(const struct view *v, uint64_t off, uint64_t n)
{
	struct view s = { v->base, 0 };
	if (view_has(v, off, n)) {
		s.base = v->base + off;
		s.len = n;
	}
	return s;
}

/*
 * Little-endian loads from bytes the caller has already checked to lie
 * inside a view (view_ptr): check a structure once, then read its fields
 * without a branch per field. Always inlined: each is one load, where a
 * call would cost more than the load.
 */
INLINE uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

INLINE uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

INLINE uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p + 4) << 32 | le32(p);
}

INLINE bool view_u8(const struct view *v, uint64_t off, uint8_t *out)
{
	if (!view_has(v, off, 1))
		return false;
	*out = v->base[off];
	return true;
}

INLINE bool view_u16(const struct view *v, uint64_t off, uint16_t *out)
{
	if (!view_has(v, off, 2))
		return false;
	*out = le16(v->base + off);
	return true;
}

INLINE bool view_u32(const struct view *v, uint64_t off, uint32_t *out)
{
	if (!view_has(v, off, 4))
		return false;
	*out = le32(v->base + off);
	return true;
}

INLINE bool view_u64(const struct view *v, uint64_t off, uint64_t *out)
{
	if (!view_has(v, off, 8))
		return false;
	*out = le64(v->base + off);
	return true;
}

/* The little-endian value at off, or 0 when it is not inside the view: for
 * fields that read as absent (0) past the end of what the file holds. */
static inline uint16_t view_le16(const struct view *v, uint64_t off)
{
	return view_has(v, off, 2) ? le16(v->base + off) : 0;
}

static inline uint32_t view_le32(const struct view *v, uint64_t off)
{
	return view_has(v, off, 4) ? le32(v->base + off) : 0;
}

static inline uint64_t view_le64(const struct view *v, uint64_t off)
{
	return view_has(v, off, 8) ? le64(v->base + off) : 0;
}

/*
 * The first offset off in [from, to), from + k * step, at which the
 * little-endian u32 `value` lies inside the view; VIEW_NONE when there is
 * none. For signature scans (Multiboot headers): one load and compare per
 * step, no call, so the scan stays cheap even under an emulator.
 */
#define VIEW_NONE UINT64_MAX
static inline uint64_t view_find_u32(const struct view *v, uint64_t from,
				     uint64_t to, uint64_t step, uint32_t value)
{
	if (v->len < 4 || step == 0)
		return VIEW_NONE;
	if (to > v->len - 3)
		to = v->len - 3; /* off + 4 <= len */
	for (uint64_t off = from; off < to; off += step) {
		if (le32(v->base + off) == value)
			return off;
		if (off + step < off)
			break;
	}
	return VIEW_NONE;
}

/* Little-endian stores into a plain buffer (used by the structure builders);
 * written out byte by byte so the compiler makes each one store. */
INLINE void put_u16(uint8_t *p, uint16_t x)
{
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
}

INLINE void put_u32(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
	p[2] = (uint8_t)(x >> 16);
	p[3] = (uint8_t)(x >> 24);
}

INLINE void put_u64(uint8_t *p, uint64_t x)
{
	put_u32(p, (uint32_t)x);
	put_u32(p + 4, (uint32_t)(x >> 32));
}

#endif
