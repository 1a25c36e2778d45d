// SPDX-License-Identifier: MIT
/*
 * fuzz_sha256.c: libFuzzer target for crypto/sha256.c and crypto/sha256_ni.c.
 *
 * The input is both the message and the recipe for feeding it: the first
 * byte seeds the chunk sizes (0..255 bytes, chosen by a small generator),
 * the rest is the message.
 *
 * Checks:
 *   - one-shot sha256() equals sha256_update() in those chunks (including
 *     empty ones) with the portable block function;
 *   - when the CPU has SHA-NI, both equal the SHA-NI results, one-shot and
 *     chunked;
 *   - sha256_hex() gives 64 lowercase hex digits that sha256_parse_hex()
 *     turns back into the digest;
 *   - sha256_parse_hex() on the message's first 64 bytes (and on the whole
 *     message) accepts exactly when every byte is a hex digit and the
 *     length is 64, then agrees with a byte-by-byte reference decoding, and
 *     leaves its output untouched when it refuses.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "crypto/sha256.h"

static int ref_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void chunked(const uint8_t *p, size_t n, uint8_t seed, uint8_t out[32])
{
	struct sha256 s;
	uint32_t x = seed * 2654435761u + 1;

	sha256_init(&s);
	for (size_t off = 0; off < n;) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		size_t take = x % 256;
		if (take > n - off)
			take = n - off;
		sha256_update(&s, p + off, take);
		off += take;
	}
	sha256_final(&s, out);
}

static void check_parse(const uint8_t *p, size_t n)
{
	uint8_t out[32], guard[32], want[32];
	bool valid = n == 64;

	for (size_t i = 0; valid && i < 32; i++) {
		int hi = ref_hex(p[2 * i]), lo = ref_hex(p[2 * i + 1]);
		valid = hi >= 0 && lo >= 0;
		if (valid)
			want[i] = (uint8_t)(hi << 4 | lo);
	}
	memset(guard, 0xa5, sizeof(guard));
	memcpy(out, guard, sizeof(out));
	bool ok = sha256_parse_hex((const char *)p, n, out);
	CHECK(ok == valid, "parse of %zu bytes: %d, expected %d", n, ok, valid);
	if (ok)
		CHECK(memcmp(out, want, 32) == 0, "parse decoded wrongly");
	else
		CHECK(memcmp(out, guard, 32) == 0, "refused parse wrote out");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t seed = size ? data[0] : 0;
	const uint8_t *msg = size ? data + 1 : data;
	size_t n = size ? size - 1 : 0;
	uint8_t one[32], parts[32], d[32];

	sha256_select(false);
	sha256(msg, n, one);
	chunked(msg, n, seed, parts);
	CHECK(memcmp(one, parts, 32) == 0, "chunked differs, length %zu", n);

	if (sha256_select(true)) {
		sha256(msg, n, d);
		CHECK(memcmp(one, d, 32) == 0, "SHA-NI differs, length %zu", n);
		chunked(msg, n, seed, d);
		CHECK(memcmp(one, d, 32) == 0,
		      "SHA-NI chunked differs, length %zu", n);
	}

	char hex[65];
	sha256_hex(one, hex);
	CHECK(hex[64] == '\0', "hex not terminated");
	for (int i = 0; i < 64; i++)
		CHECK((hex[i] >= '0' && hex[i] <= '9') ||
			      (hex[i] >= 'a' && hex[i] <= 'f'),
		      "hex digit %d is 0x%02x", i, (unsigned char)hex[i]);
	CHECK(sha256_parse_hex(hex, 64, d) && memcmp(d, one, 32) == 0,
	      "hex round trip");

	check_parse(msg, n < 64 ? n : 64);
	check_parse(msg, n);
	return 0;
}
