// SPDX-License-Identifier: MIT
/*
 * fuzz_fmt.c: libFuzzer target for fmt_snprintf / fmt_vsnprintf.
 *
 * Format strings are never taken from the input: each step picks one of a
 * fixed set of formats with a byte, and the integer, string, width and
 * precision arguments come from the following bytes (widths 0..255,
 * strings up to 64 bytes), so every call has arguments of the right types.
 * Steps repeat until the input ends.
 *
 * Checks:
 *   - for formats where fmt.h promises printf behaviour (d i u x X with l,
 *     ll, z; flags '-' and '0'; widths; %s precision; %c; %%; %p of a
 *     non-NULL pointer), the output and the returned length equal the C
 *     library's snprintf;
 *   - for the rest (unknown conversions printed literally, a NULL %s,
 *     a trailing '%'), the documented output;
 *   - a negative '*' width (unspecified by fmt.h) only must not misbehave;
 *   - truncation: with a cap from the input (0..299, buffer allocated to
 *     exactly cap bytes), the return value is the full length, the buffer
 *     is NUL-terminated at min(length, cap - 1) and holds a prefix of the
 *     full output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/fmt.h"

#define BIG 4096

static char out[BIG], ref[BIG];

struct call {
	size_t got, want, cut;
	bool compare; /* want/ref hold the expected output */
	char *small;  /* cap bytes */
	size_t cap;
};

#define BOTH(c, ...)                                                           \
	do {                                                                   \
		(c)->got = fmt_snprintf(out, BIG, __VA_ARGS__);                \
		(c)->want = (size_t)snprintf(ref, BIG, __VA_ARGS__);           \
		(c)->cut = fmt_snprintf((c)->small, (c)->cap, __VA_ARGS__);    \
		(c)->compare = true;                                           \
	} while (0)

#define EXPECT(c, text, ...)                                                   \
	do {                                                                   \
		(c)->got = fmt_snprintf(out, BIG, __VA_ARGS__);                \
		(c)->want = strlen(text);                                      \
		memcpy(ref, text, (c)->want + 1);                              \
		(c)->cut = fmt_snprintf((c)->small, (c)->cap, __VA_ARGS__);    \
		(c)->compare = true;                                           \
	} while (0)

#define ONLY(c, ...)                                                           \
	do {                                                                   \
		(c)->got = fmt_snprintf(out, BIG, __VA_ARGS__);                \
		(c)->cut = fmt_snprintf((c)->small, (c)->cap, __VA_ARGS__);    \
		(c)->compare = false;                                          \
	} while (0)

static void get_str(struct fin *in, char *s)
{
	size_t n = fin_u8(in) % 65;
	for (size_t i = 0; i < n; i++)
		s[i] = (char)fin_u8(in);
	s[n] = '\0';
}

/* A size_t through fmt.h's own vsnprintf, to cover the va_list entry. */
static size_t via_v(char *buf, size_t cap, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	size_t n = fmt_vsnprintf(buf, cap, f, ap);
	va_end(ap);
	return n;
}

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"
#pragma clang diagnostic ignored "-Wformat-extra-args"
static void step(struct fin *in, uint8_t which, struct call *c)
{
	char s1[65], s2[65];
	int i1 = (int)fin_u32(in), i2 = (int)fin_u32(in);
	unsigned int u1 = fin_u32(in);
	uint64_t q = fin_u64(in);
	int w1 = fin_u8(in), w2 = fin_u8(in);
	int prec = (int8_t)fin_u8(in); /* negative: as if omitted */
	unsigned char ch = fin_u8(in);
	get_str(in, s1);
	get_str(in, s2);

	switch (which % 24) {
	case 0:
		BOTH(c, "%d", i1);
		break;
	case 1:
		BOTH(c, "%i|%5d|%-5d|%05d|%08d", i1, i2, i1, i2, i2 / -2);
		break;
	case 2:
		BOTH(c, "%u %x %X %08x %-8x|", u1, u1, u1, (unsigned)i1,
		     (unsigned)i2);
		break;
	case 3:
		BOTH(c, "%lu %lx %lld %llx %llX", (unsigned long)q,
		     (unsigned long)q, (long long)q, (unsigned long long)q,
		     (unsigned long long)~q);
		break;
	case 4:
		BOTH(c, "%zu %zx %ld %li", (size_t)q, (size_t)u1, (long)q,
		     (long)i1);
		break;
	case 5:
		BOTH(c, "%s", s1);
		break;
	case 6:
		BOTH(c, "[%10s][%-10s]", s1, s2);
		break;
	case 7:
		BOTH(c, "%.*s|%s", prec, s1, s2);
		break;
	case 8:
		BOTH(c, "%*d|%-*u|%0*x", w1, i1, w2, u1, w1, (unsigned)i2);
		break;
	case 9:
		BOTH(c, "%*s|%-*s|", w1, s1, w2, s2);
		break;
	case 10:
		BOTH(c, "%c%c%c", ch, (char)i1, 'x');
		break;
	case 11:
		BOTH(c, "100%% %s %%d", s1);
		break;
	case 12:
		BOTH(c, "%p", (void *)(uintptr_t)(q | 1));
		break;
	case 13:
		BOTH(c, "%.3s|%.0s|%.10s|%5.2s", s1, s2, s1, s2);
		break;
	case 14:
		BOTH(c, "%*.*s|", w1, prec, s1);
		break;
	case 15:
		BOTH(c, "%-*d|%0*lld|%-*llx|", w1, i1, w2, (long long)q, w1,
		     (unsigned long long)q);
		break;
	case 16:
		BOTH(c, "%x %d %u", 0u, 0, 0u);
		break;
	case 17:
		BOTH(c, "fw: %s: %u KiB at 0x%llx (%d%%)%s", s1, u1,
		     (unsigned long long)q, i1, s2);
		break;
	case 18:
		EXPECT(c, "%q|%hd|%", "%q|%hd|%");
		break;
	case 19:
		EXPECT(c, "(null)", "%s", (const char *)NULL);
		break;
	case 20:
		/* A negative width is not specified by fmt.h. */
		ONLY(c, "%*d|%*s|%-*x", -w1, i1, -w2, s1, -w1, u1);
		break;
	case 21:
		c->got = via_v(out, BIG, "%s=%zu", s1, (size_t)q);
		c->want = (size_t)snprintf(ref, BIG, "%s=%zu", s1, (size_t)q);
		c->cut = via_v(c->small, c->cap, "%s=%zu", s1, (size_t)q);
		c->compare = true;
		break;
	case 22:
		BOTH(c, "%s%s%s%s", s1, s2, s1, s2);
		break;
	default:
		BOTH(c, "%llu %lld", (unsigned long long)INT64_MIN + q % 3,
		     (long long)(INT64_MIN + (int64_t)(q % 3)));
		break;
	}
}
#pragma clang diagnostic pop

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin in = fin_make(data, size);

	while (!fin_empty(&in)) {
		uint8_t which = fin_u8(&in);
		struct call c = { 0 };
		c.cap = fin_u16(&in) % 300;
		c.small = malloc(c.cap);
		CHECK(c.small != NULL || c.cap == 0, "out of memory");

		step(&in, which, &c);

		CHECK(c.got < BIG, "output of %zu bytes", c.got);
		CHECK(out[c.got] == '\0', "not NUL-terminated at its length");
		if (c.compare) {
			CHECK(c.got == c.want &&
				      memcmp(out, ref, c.got + 1) == 0,
			      "format %u: \"%s\" (%zu), expected \"%s\" (%zu)",
			      which % 24, out, c.got, ref, c.want);
		}
		CHECK(c.cut == c.got, "cap %zu: returned %zu, full length %zu",
		      c.cap, c.cut, c.got);
		if (c.cap > 0) {
			size_t end = c.got < c.cap - 1 ? c.got : c.cap - 1;
			CHECK(c.small[end] == '\0' &&
				      memcmp(c.small, out, end) == 0,
			      "cap %zu: not a NUL-terminated prefix", c.cap);
		}
		free(c.small);
	}
	return 0;
}
