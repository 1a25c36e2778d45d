// SPDX-License-Identifier: MIT
/* record.c: pvhfw's boot record checked against its documented layout (see
 * record.h). Reads only inside the len bytes it is given. */
#include "record.h"

#include "fmt.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Bytes before the first NUL of p[0..max), or max when there is none. */
static size_t len_in(const uint8_t *p, size_t max)
{
	size_t n = 0;

	while (n < max && p[n])
		n++;
	return n;
}

static int same(const uint8_t *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != (uint8_t)b[i])
			return 0;
	return 1;
}

static int starts(const uint8_t *p, size_t n, const char *prefix)
{
	size_t k = len_in((const uint8_t *)prefix, (size_t)-1);

	return n >= k && same(p, prefix, k);
}

/* Whether the word p[0..n) is a pin: fw.sha256=... or fw.module.N.sha256=. */
static int is_pin(const uint8_t *p, size_t n)
{
	if (starts(p, n, "fw.sha256="))
		return 1;
	if (!starts(p, n, "fw.module."))
		return 0;
	for (size_t i = 10; i + 8 <= n; i++)
		if (same(p + i, ".sha256=", 8))
			return 1;
	return 0;
}

/* Whether the space-separated words of p[0..n) hold a pin. */
static int has_pin(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t w = i;
		while (w < n && p[w] != ' ')
			w++;
		if (is_pin(p + i, w - i))
			return 1;
		i = w + 1;
	}
	return 0;
}

int record_readable(const uint8_t *r, uint64_t len)
{
	if (len < RECORD_HEAD || !same(r, "PVHFWBR1", 8) || rd32(r + 8) != len)
		return 0;
	uint32_t count = rd32(r + 0x20);
	return count <= RECORD_COUNT_MAX &&
	       RECORD_HEAD + (uint64_t)count * RECORD_ENTRY <= len;
}

#define FAIL(...)                                                              \
	do {                                                                   \
		fmt_snprintf(why, cap, __VA_ARGS__);                           \
		return why;                                                    \
	} while (0)

const char *record_check(const uint8_t *r, uint64_t len,
			 const struct record_mod *mods, uint32_t n, char *why,
			 size_t cap)
{
	if (len < RECORD_HEAD || !same(r, "PVHFWBR1", 8))
		FAIL("no PVHFWBR1 header (%lu bytes)", len);
	uint32_t size = rd32(r + 0x08), version = rd32(r + 0x0C);
	uint32_t count = rd32(r + 0x20), flags = rd32(r + 0x24);
	uint32_t opts = rd32(r + 0x28), reserved = rd32(r + 0x2C);
	if (size != len)
		FAIL("size field %u, but the module is %lu bytes", size, len);
	if (version != 1)
		FAIL("version %u, want 1", version);
	if (len_in(r + 0x10, 16) == 16)
		FAIL("firmware name not NUL-terminated in its 16 bytes");
	if (reserved != 0)
		FAIL("reserved field (0x2C) 0x%x, want 0", reserved);
	if (count != n + 1 && count != n + 2)
		FAIL("count %u, want %u (the payload and %u module(s)) or %u "
		     "(and a bundle's cmdline entry)",
		     count, n + 1, n, n + 2);
	uint64_t want_opts = RECORD_HEAD + (uint64_t)count * RECORD_ENTRY;
	if (opts != want_opts)
		FAIL("options at 0x%x, want 0x%lx (0x30 + 96 x count %u)", opts,
		     want_opts, count);
	if (opts >= len || len_in(r + opts, len - opts) != len - opts - 1)
		FAIL("options string (0x%x) does not end the record with its "
		     "only NUL",
		     opts);
	int pinned = has_pin(r + opts, len - opts - 1);
	if (flags != (pinned ? 1u : 0u))
		FAIL("flags 0x%x, want %u (%s)", flags, pinned ? 1 : 0,
		     pinned ? "the options hold a pin, which was checked"
			    : "the options hold no pin");
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = r + RECORD_HEAD + (uint64_t)i * RECORD_ENTRY;
		const uint8_t *name = e + 48;
		uint64_t esize = rd64(e + 32), index = rd64(e + 40);
		size_t nl = len_in(name, RECORD_NAME_MAX);
		if (nl == RECORD_NAME_MAX)
			FAIL("entry %u: name not NUL-terminated in its 48 "
			     "bytes",
			     i);
		const char *want = "payload";
		uint64_t want_index = RECORD_INDEX_PAYLOAD;
		if (i > n) {
			want = "cmdline";
			want_index = RECORD_INDEX_CMDLINE;
		} else if (i > 0) {
			want = mods[i - 1].name ? mods[i - 1].name : "";
			want_index = i - 1;
		}
		size_t wl = len_in((const uint8_t *)want, RECORD_NAME_MAX - 1);
		if (index != want_index)
			FAIL("entry %u (\"%.*s\"): index 0x%lx, want 0x%lx", i,
			     (int)nl, (const char *)name, index, want_index);
		if (nl != wl || !same(name, want, wl))
			FAIL("entry %u: name \"%.*s\", want \"%.*s\"", i,
			     (int)nl, (const char *)name, (int)wl, want);
		for (size_t k = nl; k < RECORD_NAME_MAX; k++)
			if (name[k])
				FAIL("entry %u: byte %lu of the name field "
				     "after its NUL is 0x%x, want 0",
				     i, (uint64_t)k, name[k]);
		if (i > 0 && i <= n && esize != mods[i - 1].size)
			FAIL("entry %u (\"%.*s\"): size %lu, but module %u is "
			     "%lu bytes",
			     i, (int)nl, (const char *)name, esize, i - 1,
			     mods[i - 1].size);
	}
	return NULL;
}

const uint8_t *record_entry(const uint8_t *r, uint64_t len, uint64_t index)
{
	if (!record_readable(r, len))
		return NULL;
	uint32_t count = rd32(r + 0x20);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = r + RECORD_HEAD + (uint64_t)i * RECORD_ENTRY;
		if (rd64(e + 40) == index)
			return e;
	}
	return NULL;
}
