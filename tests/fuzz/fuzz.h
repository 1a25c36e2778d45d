// SPDX-License-Identifier: MIT
/*
 * fuzz.h: helpers shared by the libFuzzer targets in tests/fuzz.
 *
 * CHECK() aborts with a message on stderr when an invariant does not hold,
 * so libFuzzer records the input as a crash. struct fin reads the fuzzer's
 * input front to back; reads past its end return zeroes, so every target
 * accepts every input.
 */
#ifndef PVHFW_FUZZ_H
#define PVHFW_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n  ",     \
				__FILE__, __LINE__, #cond);                    \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

/* Build with -DFUZZ_TRACE to see what each input does (seed checking). */
#ifdef FUZZ_TRACE
#define TRACE(...) fprintf(stderr, __VA_ARGS__)
#else
#define TRACE(...) ((void)0)
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct fin {
	const uint8_t *p;
	size_t n;
};

static inline struct fin fin_make(const uint8_t *p, size_t n)
{
	struct fin f = { p, n };
	return f;
}

static inline bool fin_empty(const struct fin *f)
{
	return f->n == 0;
}

static inline uint8_t fin_u8(struct fin *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

/* Little-endian, like everything the firmware reads. */
static inline uint64_t fin_le(struct fin *f, unsigned int bytes)
{
	uint64_t v = 0;
	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)fin_u8(f) << (8 * i);
	return v;
}

static inline uint16_t fin_u16(struct fin *f)
{
	return (uint16_t)fin_le(f, 2);
}

static inline uint32_t fin_u32(struct fin *f)
{
	return (uint32_t)fin_le(f, 4);
}

static inline uint64_t fin_u64(struct fin *f)
{
	return fin_le(f, 8);
}

/* Independent little-endian loads from a plain buffer (no struct view). */
static inline uint64_t ld_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;
	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* True when [off, off + n) lies inside a buffer of len bytes. */
static inline bool in_buf(uint64_t len, uint64_t off, uint64_t n)
{
	if (off > len)
		return false;
	return n <= len - off;
}

/* Length of s, looking at no more than max bytes (max when no NUL). */
static inline size_t bounded_len(const char *s, size_t max)
{
	size_t i = 0;
	while (i < max && s[i] != '\0')
		i++;
	return i;
}

#endif
