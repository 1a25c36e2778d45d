// SPDX-License-Identifier: MIT
/*
 * test_sha256.c: unit tests of crypto/sha256.c and crypto/sha256_ni.c.
 *
 * Most tests are loop tests run once per block function: iteration 0 forces
 * the portable code, iteration 1 selects SHA-NI and is skipped (with a note
 * on stderr) when the host CPU lacks it. Inputs are heap copies of exactly
 * their length, so the sanitizers catch reads past the end in the C code
 * (test_ni_vs_portable's start at every offset from a 16-byte boundary).
 * Random data comes from a fixed-seed xorshift generator, so every run hashes
 * the same bytes.
 */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "../../crypto/sha256.h"

/* Selects block function i (0 portable, 1 SHA-NI); false when unavailable. */
static bool use_impl(int i)
{
	if (i == 0) {
		ck_assert(!sha256_select(false));
		ck_assert_str_eq(sha256_impl(), "portable");
		return true;
	}
	if (!sha256_ni_available()) {
		fprintf(stderr, "sha256: host CPU has no SHA-NI: "
				"SHA-NI iteration skipped\n");
		return false;
	}
	ck_assert(sha256_select(true));
	ck_assert_str_eq(sha256_impl(), "sha-ni");
	return true;
}

static void *dup_bytes(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(q);
	if (n)
		memcpy(q, p, n);
	return q;
}

/* Digest of n bytes at p (hashed from an exact-size heap copy), in hex. */
static void hex_of(const void *p, size_t n, char hex[65])
{
	uint8_t d[32];
	void *q = dup_bytes(p, n);
	sha256(q, n, d);
	free(q);
	sha256_hex(d, hex);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void rng_fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(rng() >> 24);
}

/* FIPS 180-4 examples (NIST "Examples with intermediate values") and two
 * short messages of the CAVP SHA256ShortMsg.rsp file. */
static const struct {
	const char *msg;
	size_t len;
	const char *md;
} vectors[] = {
	{ "", 0,
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 3,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  112,
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "\xd3", 1,
	  "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1" },
	{ "\x11\xaf", 2,
	  "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98" },
};

START_TEST(test_nist_vectors)
{
	if (!use_impl(_i))
		return;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		char hex[65];
		ck_assert_uint_eq(strlen(vectors[i].msg), vectors[i].len);
		hex_of(vectors[i].msg, vectors[i].len, hex);
		ck_assert_str_eq(hex, vectors[i].md);
	}
}
END_TEST

/* n bytes of 'a' around the padding boundaries (55/56 bytes: the length
 * still fits the last block or not; 64: an exact block). Digests from GNU
 * coreutils sha256sum. */
static const struct {
	size_t n;
	const char *md;
} a_runs[] = {
	{ 55,
	  "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ 56,
	  "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ 57,
	  "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6" },
	{ 63,
	  "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
	{ 64,
	  "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	{ 65,
	  "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
	{ 119,
	  "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
	{ 120,
	  "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	{ 127,
	  "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a" },
	{ 128,
	  "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
	{ 129,
	  "c12cb024a2e5551cca0e08fce8f1c5e314555cc3fef6329ee994a3db752166ae" },
};

START_TEST(test_padding_boundaries)
{
	if (!use_impl(_i))
		return;
	char a[129], hex[65];
	memset(a, 'a', sizeof(a));
	for (size_t i = 0; i < sizeof(a_runs) / sizeof(a_runs[0]); i++) {
		hex_of(a, a_runs[i].n, hex);
		ck_assert_str_eq(hex, a_runs[i].md);
	}
}
END_TEST

#define MILLION_A_MD                                                           \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

START_TEST(test_million_a)
{
	if (!use_impl(_i))
		return;
	size_t n = 1000000;
	char *a = malloc(n), hex[65];
	ck_assert_ptr_nonnull(a);
	memset(a, 'a', n);

	/* In one call. */
	uint8_t d[32];
	sha256(a, n, d);
	sha256_hex(d, hex);
	ck_assert_str_eq(hex, MILLION_A_MD);

	/* In chunks of 1 to 300 bytes, so partial blocks come and go. */
	struct sha256 s;
	sha256_init(&s);
	for (size_t off = 0, k = 1; off < n; k = k % 300 + 1) {
		size_t take = n - off < k ? n - off : k;
		sha256_update(&s, a + off, take);
		off += take;
	}
	memset(d, 0, sizeof(d));
	sha256_final(&s, d);
	sha256_hex(d, hex);
	ck_assert_str_eq(hex, MILLION_A_MD);
	free(a);
}
END_TEST

/* Random lengths 0..1000: whole buffer, one byte at a time, random chunks. */
START_TEST(test_streaming)
{
	if (!use_impl(_i))
		return;
	rng_state = 0x5eed5eed12345678ull;
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(rng() % 1001);
		uint8_t *buf = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(buf);
		rng_fill(buf, n);

		uint8_t whole[32], bytes[32], chunks[32];
		sha256(buf, n, whole);

		struct sha256 s;
		sha256_init(&s);
		for (size_t i = 0; i < n; i++)
			sha256_update(&s, buf + i, 1);
		sha256_final(&s, bytes);

		sha256_init(&s);
		sha256_update(&s, NULL, 0);
		for (size_t off = 0; off < n;) {
			size_t take = (size_t)(rng() % 200);
			if (take > n - off)
				take = n - off;
			sha256_update(&s, buf + off, take);
			off += take;
		}
		sha256_final(&s, chunks);

		ck_assert_msg(memcmp(whole, bytes, 32) == 0,
			      "length %zu: byte at a time differs", n);
		ck_assert_msg(memcmp(whole, chunks, 32) == 0,
			      "length %zu: random chunks differ", n);
		free(buf);
	}
}
END_TEST

/* A context can be used again after sha256_final() and sha256_init(). */
START_TEST(test_reinit)
{
	struct sha256 s;
	uint8_t d[32];
	char hex[65];

	sha256_init(&s);
	sha256_update(&s, "some earlier message", 20);
	sha256_final(&s, d);
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	ck_assert_str_eq(hex, vectors[1].md);
}
END_TEST

/* The two block functions agree on every length 0..200, from every
 * alignment 0..15 (the bytes at offset off of a 16-byte aligned heap block
 * of exactly off + n bytes, so the sanitizers still catch a read past the
 * end), hashed in one call and in two pieces. */
START_TEST(test_ni_vs_portable)
{
	if (!sha256_ni_available()) {
		fprintf(stderr, "sha256: host CPU has no SHA-NI: SHA-NI vs "
				"portable comparison skipped\n");
		return;
	}
	enum { MAXLEN = 200, MAXOFF = 16 };
	uint8_t src[MAXLEN + MAXOFF];
	rng_state = 0x0123456789abcdefull;
	rng_fill(src, sizeof(src));

	for (size_t n = 0; n <= MAXLEN; n++) {
		for (size_t off = 0; off < MAXOFF; off++) {
			void *block = NULL;
			ck_assert_int_eq(posix_memalign(&block, 16,
							off + n ? off + n : 1),
					 0);
			uint8_t *p = (uint8_t *)block + off;
			ck_assert_uint_eq((uintptr_t)p % 16, off);
			memcpy(p, src + off, n);
			uint8_t ref[32], got[32], split[32];
			struct sha256 s;

			sha256_select(false);
			sha256(p, n, ref);
			ck_assert(sha256_select(true));
			sha256(p, n, got);
			sha256_init(&s);
			sha256_update(&s, p, n / 3);
			sha256_update(&s, p + n / 3, n - n / 3);
			sha256_final(&s, split);
			free(block);

			ck_assert_msg(memcmp(ref, got, 32) == 0,
				      "length %zu offset %zu: differ", n, off);
			ck_assert_msg(memcmp(ref, split, 32) == 0,
				      "length %zu offset %zu: split differs", n,
				      off);
		}
	}

	/* Many blocks in one call of the block function. */
	size_t big = 64 * 1000 + 17;
	uint8_t *p = malloc(big), ref[32], got[32];
	ck_assert_ptr_nonnull(p);
	rng_fill(p, big);
	sha256_select(false);
	sha256(p, big, ref);
	sha256_select(true);
	sha256(p, big, got);
	free(p);
	ck_assert(memcmp(ref, got, 32) == 0);
}
END_TEST

START_TEST(test_select)
{
	ck_assert(!sha256_select(false));
	ck_assert_str_eq(sha256_impl(), "portable");
	bool ni = sha256_select(true);
	ck_assert(ni == sha256_ni_available());
	ck_assert_str_eq(sha256_impl(), ni ? "sha-ni" : "portable");
	ck_assert(!sha256_select(false));
	ck_assert_str_eq(sha256_impl(), "portable");
}
END_TEST

START_TEST(test_hex_round_trip)
{
	uint8_t d[32], back[32];
	char hex[65];

	for (int i = 0; i < 32; i++)
		d[i] = (uint8_t)(i * 0x11 + 0x0f);
	d[0] = 0x00;
	d[31] = 0xff;
	sha256_hex(d, hex);
	ck_assert_uint_eq(strlen(hex), 64);
	ck_assert_str_eq(hex, "002031425364758697a8b9cadbecfd0e"
			      "1f30415263748596a7b8c9daebfc0dff");
	ck_assert(sha256_parse_hex(hex, 64, back));
	ck_assert(memcmp(d, back, 32) == 0);

	/* Upper and mixed case, and no NUL needed after the 64 digits. */
	char up[70];
	for (int i = 0; i < 64; i++)
		up[i] = (char)((i % 3 && hex[i] >= 'a') ? hex[i] - 32 : hex[i]);
	memcpy(up + 64, "zzzzzz", 6);
	memset(back, 0, sizeof(back));
	ck_assert(sha256_parse_hex(up, 64, back));
	ck_assert(memcmp(d, back, 32) == 0);

	/* A real digest both ways. */
	ck_assert(sha256_parse_hex(vectors[1].md, 64, back));
	sha256("abc", 3, d);
	ck_assert(memcmp(d, back, 32) == 0);
}
END_TEST

START_TEST(test_hex_errors)
{
	const char *good = vectors[1].md;
	uint8_t out[32], guard[32];
	char s[129];

	memset(guard, 0x5a, sizeof(guard));
	memcpy(out, guard, sizeof(out));

	/* Wrong lengths of valid digits: 0, 63, 65, 128. */
	memcpy(s, good, 64);
	memcpy(s + 64, good, 64);
	s[128] = '\0';
	ck_assert(!sha256_parse_hex(s, 0, out));
	ck_assert(!sha256_parse_hex(NULL, 0, out));
	ck_assert(!sha256_parse_hex(s, 63, out));
	ck_assert(!sha256_parse_hex(s, 65, out));
	ck_assert(!sha256_parse_hex(s, 128, out));
	ck_assert(memcmp(out, guard, 32) == 0);

	/* A non-hex character at each position, of each kind: neighbours of
	 * the digit ranges, space, NUL, sign, 'x', a high byte. */
	static const char bad[] = "gG/:@` \0-x\xff";
	for (size_t k = 0; k < sizeof(bad) - 1; k++) {
		for (int pos = 0; pos < 64; pos++) {
			memcpy(s, good, 65);
			s[pos] = bad[k];
			ck_assert_msg(!sha256_parse_hex(s, 64, out),
				      "char 0x%02x at %d accepted",
				      (unsigned char)bad[k], pos);
		}
	}
	ck_assert(memcmp(out, guard, 32) == 0);
	ck_assert(sha256_parse_hex(good, 64, out));
	ck_assert(memcmp(out, guard, 32) != 0);
}
END_TEST

Suite *sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("digest");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_nist_vectors, 0, 2);
	tcase_add_loop_test(tc, test_padding_boundaries, 0, 2);
	tcase_add_loop_test(tc, test_million_a, 0, 2);
	tcase_add_loop_test(tc, test_streaming, 0, 2);
	tcase_add_test(tc, test_reinit);
	tcase_add_test(tc, test_ni_vs_portable);
	tcase_add_test(tc, test_select);
	suite_add_tcase(s, tc);

	tc = tcase_create("hex");
	tcase_add_test(tc, test_hex_round_trip);
	tcase_add_test(tc, test_hex_errors);
	suite_add_tcase(s, tc);
	return s;
}
