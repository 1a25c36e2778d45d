// SPDX-License-Identifier: MIT
/* walk.c: Multiboot structure walks of mbcheck (see walk.h). */
#include "walk.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

const char *mb1_mmap_walk(const uint8_t *buf, uint32_t len,
			  struct mm_entry *out, size_t max, size_t *n,
			  uint32_t *bad_off)
{
	uint32_t off = 0;

	*n = 0;
	*bad_off = 0;
	while (off < len) {
		uint32_t size;

		*bad_off = off;
		if (len - off < 4)
			return "a size field runs past mmap_length";
		size = rd32(buf + off);
		if (size < MB1_MMAP_MIN_SIZE)
			return "entry size below 20";
		if (size > len - off - 4)
			return "entry runs past mmap_length";
		if (*n == max)
			return "too many entries";
		out[*n] = (struct mm_entry){ rd64(buf + off + 4),
					     rd64(buf + off + 12),
					     rd32(buf + off + 20) };
		(*n)++;
		off += size + 4;
	}
	return NULL;
}

const char *mb2_tag_walk(const uint8_t *buf, uint32_t cap, struct mb2_tag *tags,
			 size_t max, size_t *n, uint32_t *bad_off)
{
	uint32_t total, off = MB2_FIXED;

	*n = 0;
	*bad_off = 0;
	if (cap < MB2_FIXED)
		return "fewer than 8 bytes readable";
	total = rd32(buf);
	if (total < MB2_FIXED + MB2_TAG_HEAD)
		return "total_size below 16";
	if (total % 8)
		return "total_size not a multiple of 8";
	if (total > cap)
		return "total_size beyond the readable bytes";
	*bad_off = 4;
	if (rd32(buf + 4) != 0)
		return "reserved field not 0";
	for (;;) {
		uint32_t type, size;

		*bad_off = off;
		if (total - off < MB2_TAG_HEAD)
			return "tags run out without an end tag";
		type = rd32(buf + off);
		size = rd32(buf + off + 4);
		if (size < MB2_TAG_HEAD)
			return "tag size below 8";
		if (size > total - off)
			return "tag runs past total_size";
		if (type == 0) {
			if (size != MB2_TAG_HEAD)
				return "end tag size not 8";
			if (off + size != total)
				return "end tag does not end at total_size";
			return NULL;
		}
		if (*n == max)
			return "too many tags";
		tags[(*n)++] = (struct mb2_tag){ off, type, size };
		/* next tag 8-aligned; size <= total - off and total is a
		 * multiple of 8, so this cannot pass total */
		off += (size + 7) & ~7u;
	}
}

const char *mb2_mmap_parse(const uint8_t *tag, uint32_t size,
			   struct mm_entry *out, size_t max, size_t *n,
			   long *bad)
{
	uint32_t esz, count;

	*n = 0;
	*bad = -1;
	if (size < 16)
		return "tag size below 16";
	esz = rd32(tag + 8);
	if (esz != MB2_MMAP_ENTRY)
		return "entry_size is not 24";
	if (rd32(tag + 12) != 0)
		return "entry_version is not 0";
	if ((size - 16) % esz)
		return "size - 16 is not a multiple of entry_size";
	count = (size - 16) / esz;
	if (count > max)
		return "too many entries";
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = tag + 16 + (size_t)i * esz;

		out[i] =
			(struct mm_entry){ rd64(e), rd64(e + 8), rd32(e + 16) };
		*n = i + 1;
		if (rd32(e + 20) != 0) {
			*bad = (long)i;
			return "entry reserved field not 0";
		}
	}
	return NULL;
}

const char *mb2_efimap_check(const uint8_t *tag, uint32_t size, uint64_t start,
			     uint64_t end, long *bad, uint32_t *type)
{
	uint32_t dsz;

	*bad = -1;
	*type = 0;
	if (size < 16)
		return "tag size below 16";
	dsz = rd32(tag + 8);
	if (dsz < 40 || dsz % 8)
		return "descriptor_size below 40 or not a multiple of 8";
	for (uint32_t off = 16, i = 0; dsz <= size - off; off += dsz, i++) {
		const uint8_t *d = tag + off;
		uint32_t t = rd32(d);
		uint64_t s = rd64(d + 8), pages = rd64(d + 24);
		uint64_t e = pages > (UINT64_MAX - s) / 4096 ? UINT64_MAX
							     : s + pages * 4096;

		if (s < end && start < e && (t == 3 || t == 4 || t == 7)) {
			*bad = (long)i;
			*type = t;
			return "in memory EFI calls free";
		}
	}
	return NULL;
}

const char *mb_str_in(const char *s, size_t len, size_t *slen)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			*slen = i;
			return s;
		}
	}
	return NULL;
}

static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int mb_first_word(const char *cl, const char **w, size_t *wlen,
		  const char **rest)
{
	const char *p = cl;

	while (is_sep(*p))
		p++;
	if (!*p) {
		*w = NULL;
		*wlen = 0;
		*rest = p;
		return 0;
	}
	*w = p;
	while (*p && !is_sep(*p))
		p++;
	*wlen = (size_t)(p - *w);
	while (is_sep(*p))
		p++;
	*rest = p;
	return 1;
}

uint8_t mb_sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}
