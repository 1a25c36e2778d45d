// SPDX-License-Identifier: MIT
/*
 * test_bundle.c: unit tests of bundle/bundle.c and scripts/mkbundle.
 *
 * Archives are built in memory by the small builder below (arc_add() appends
 * one newc entry, arc_trailer() the "TRAILER!!!" entry), and every parse runs
 * on a heap copy of exactly the archive's length, so that the sanitizers
 * catch any read past the end. The mkbundle test runs the script from the
 * repository root (where `make unit` runs the tests) when cpio is on PATH.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites.h"
#include "../../bundle/bundle.h"

#define ARC_MAX 0x8000
#define ARC_ENTRIES_MAX 80
#define HDR 110

/* Header field indices (after the 6-byte magic). */
#define F_INO 0
#define F_MODE 1
#define F_NLINK 4
#define F_FILESIZE 6
#define F_NAMESIZE 11
#define F_CHECK 12

#define M_REG 0100644u
#define M_DIR 0040755u
#define M_LNK 0120777u
#define M_CHR 0020644u

struct arc {
	uint8_t b[ARC_MAX];
	size_t len;
	const char *magic;
	int n;			      /* entries written, trailer included */
	size_t at[ARC_ENTRIES_MAX];   /* offset of each entry's header */
	size_t data[ARC_ENTRIES_MAX]; /* offset of each entry's data */
	size_t trailer_name_end;      /* end of "TRAILER!!!\0"; 0 if none */
};

static void arc_init(struct arc *a, const char *magic)
{
	memset(a, 0, sizeof(*a));
	a->magic = magic;
}

static void pad4(struct arc *a)
{
	while (a->len % 4)
		a->b[a->len++] = 0;
}

/* Writes field idx of the header at hdr as 8 uppercase hex digits. */
static void set_field(struct arc *a, size_t hdr, int idx, uint32_t v)
{
	char s[9];

	snprintf(s, sizeof(s), "%08X", v);
	memcpy(a->b + hdr + 6 + 8 * idx, s, 8);
}

/*
 * Appends an entry with a name of namelen bytes (a NUL is added after them
 * and counted in namesize) and size bytes of data; returns its index.
 */
static int arc_add_n(struct arc *a, const char *name, size_t namelen,
		     uint32_t mode, const void *data, size_t size)
{
	size_t hdr = a->len;
	int i = a->n;

	ck_assert_int_lt(i, ARC_ENTRIES_MAX);
	ck_assert_uint_le(hdr + HDR + namelen + 1 + 3 + size + 3, ARC_MAX);
	memcpy(a->b + hdr, a->magic, 6);
	for (int f = 0; f < 13; f++)
		set_field(a, hdr, f, 0);
	set_field(a, hdr, F_INO, (uint32_t)(i + 1));
	set_field(a, hdr, F_MODE, mode);
	set_field(a, hdr, F_NLINK, 1);
	set_field(a, hdr, F_FILESIZE, (uint32_t)size);
	set_field(a, hdr, F_NAMESIZE, (uint32_t)(namelen + 1));
	a->len = hdr + HDR;
	memcpy(a->b + a->len, name, namelen);
	a->len += namelen;
	a->b[a->len++] = 0;
	pad4(a);
	a->at[i] = hdr;
	a->data[i] = a->len;
	if (size)
		memcpy(a->b + a->len, data, size);
	a->len += size;
	pad4(a);
	a->n++;
	return i;
}

static int arc_add(struct arc *a, const char *name, uint32_t mode,
		   const char *data)
{
	return arc_add_n(a, name, strlen(name), mode, data,
			 data ? strlen(data) : 0);
}

static int arc_file(struct arc *a, const char *name, const char *data)
{
	return arc_add(a, name, M_REG, data);
}

static void arc_trailer(struct arc *a)
{
	int i = arc_add(a, "TRAILER!!!", 0, NULL);

	a->trailer_name_end = a->at[i] + HDR + 11;
}

static enum bundle_err parse_bytes(const uint8_t *p, size_t n,
				   struct bundle *out)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct view v;
	enum bundle_err err;

	ck_assert_ptr_nonnull(copy);
	if (n)
		memcpy(copy, p, n);
	v = view_make(copy, n);
	err = bundle_parse(&v, out);
	free(copy);
	return err;
}

static enum bundle_err parse_arc(const struct arc *a, struct bundle *out)
{
	return parse_bytes(a->b, a->len, out);
}

/* What must hold for any archive that parses. */
static void check_bundle(const struct bundle *bd, uint64_t len)
{
	ck_assert_uint_le(bd->n, BUNDLE_MAX_ENTRIES);
	ck_assert_int_ge(bd->kernel, 0);
	ck_assert_int_lt(bd->kernel, (int)bd->n);
	ck_assert_str_eq(bd->e[bd->kernel].name, "kernel");
	ck_assert_int_ge(bd->cmdline, -1);
	ck_assert_int_lt(bd->cmdline, (int)bd->n);
	if (bd->cmdline >= 0)
		ck_assert_str_eq(bd->e[bd->cmdline].name, "cmdline");
	for (uint32_t i = 0; i < bd->n; i++) {
		const struct bundle_entry *e = &bd->e[i];
		size_t nl = strnlen(e->name, BUNDLE_NAME_MAX);

		ck_assert_uint_lt(nl, BUNDLE_NAME_MAX);
		ck_assert_uint_gt(nl, 0);
		ck_assert(strncmp(e->name, "./", 2) != 0);
		for (size_t k = 0; k < nl; k++)
			ck_assert((unsigned char)e->name[k] >= 0x20 &&
				  e->name[k] != 0x7F && e->name[k] != '"');
		ck_assert_uint_eq(e->mode & 0170000u, 0100000u);
		ck_assert_uint_eq(e->offset % 4, 0);
		ck_assert_uint_le(e->offset, len);
		ck_assert_uint_le(e->size, len - e->offset);
		if ((int)i != bd->kernel)
			ck_assert_str_ne(e->name, "kernel");
		if ((int)i != bd->cmdline)
			ck_assert_str_ne(e->name, "cmdline");
		for (uint32_t j = 0; j < i; j++)
			ck_assert_str_ne(bd->e[j].name, e->name);
	}
}

static void parse_ok(const struct arc *a, struct bundle *bd)
{
	enum bundle_err err = parse_arc(a, bd);

	ck_assert_msg(err == BUNDLE_OK, "parse failed: %s",
		      bundle_strerror(err));
	check_bundle(bd, a->len);
}

static void parse_err(const struct arc *a, enum bundle_err want)
{
	struct bundle bd;
	enum bundle_err err = parse_arc(a, &bd);

	ck_assert_msg(err == want, "got %d (%s), want %d (%s)", err,
		      bundle_strerror(err), want, bundle_strerror(want));
}

/* Entry i of bd is name with data (a string) at arc entry ai. */
static void check_entry(const struct arc *a, const struct bundle *bd,
			uint32_t i, const char *name, const char *data, int ai)
{
	ck_assert_uint_lt(i, bd->n);
	ck_assert_str_eq(bd->e[i].name, name);
	ck_assert_uint_eq(bd->e[i].size, strlen(data));
	ck_assert_uint_eq(bd->e[i].offset, a->data[ai]);
	ck_assert(memcmp(a->b + bd->e[i].offset, data, strlen(data)) == 0);
}

/* kernel, cmdline, two modules and the trailer. */
static void std_arc(struct arc *a, const char *magic)
{
	arc_init(a, magic);
	arc_file(a, "kernel", "KERNEL-IMAGE-BYTES");
	arc_file(a, "cmdline", "console=ttyS0 quiet");
	arc_file(a, "initrd", "initramfs!");
	arc_file(a, "extra.bin", "xyz");
	arc_trailer(a);
}

START_TEST(test_basic)
{
	struct arc a;
	struct bundle bd;

	std_arc(&a, "070701");
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);
	ck_assert_int_eq(bd.kernel, 0);
	ck_assert_int_eq(bd.cmdline, 1);
	check_entry(&a, &bd, 0, "kernel", "KERNEL-IMAGE-BYTES", 0);
	check_entry(&a, &bd, 1, "cmdline", "console=ttyS0 quiet", 1);
	check_entry(&a, &bd, 2, "initrd", "initramfs!", 2);
	check_entry(&a, &bd, 3, "extra.bin", "xyz", 3);
	ck_assert_uint_eq(bd.e[0].mode, M_REG);
}
END_TEST

START_TEST(test_block_padding_ignored)
{
	struct arc a;
	struct bundle bd;

	std_arc(&a, "070701");
	/* cpio pads the archive to 512-byte blocks; any bytes are ignored. */
	while (a.len % 512)
		a.b[a.len++] = 0;
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);
	memset(a.b + a.trailer_name_end, 'Z', a.len - a.trailer_name_end);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);
}
END_TEST

START_TEST(test_order_and_no_cmdline)
{
	struct arc a;
	struct bundle bd;

	arc_init(&a, "070701");
	arc_file(&a, "m1", "one");
	arc_file(&a, "m2", "");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "m3", "three");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);
	ck_assert_int_eq(bd.kernel, 2);
	ck_assert_int_eq(bd.cmdline, -1);
	check_entry(&a, &bd, 0, "m1", "one", 0);
	check_entry(&a, &bd, 1, "m2", "", 1);
	check_entry(&a, &bd, 2, "kernel", "K", 2);
	check_entry(&a, &bd, 3, "m3", "three", 3);
}
END_TEST

START_TEST(test_data_sizes_padding)
{
	struct arc a;
	struct bundle bd;
	static const char *data[] = { "", "a", "ab", "abc", "abcd", "abcde" };
	char name[16];

	/* Every residue of name length and data size modulo 4. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "k");
	for (int i = 0; i < 24; i++) {
		snprintf(name, sizeof(name), "%.*s%d", i % 4, "nnn", i);
		arc_file(&a, name, data[i % 6]);
	}
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 25);
	for (int i = 0; i < 24; i++) {
		snprintf(name, sizeof(name), "%.*s%d", i % 4, "nnn", i);
		check_entry(&a, &bd, (uint32_t)i + 1, name, data[i % 6], i + 1);
	}
}
END_TEST

START_TEST(test_dot_slash)
{
	struct arc a;
	struct bundle bd;

	arc_init(&a, "070701");
	arc_add(&a, ".", M_DIR, NULL);
	arc_file(&a, "./kernel", "K");
	arc_file(&a, "./cmdline", "c");
	arc_file(&a, "./sub/mod", "m");
	arc_file(&a, "plain", "p");
	arc_file(&a, "././twice", "t");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 5);
	ck_assert_int_eq(bd.kernel, 0);
	ck_assert_int_eq(bd.cmdline, 1);
	check_entry(&a, &bd, 0, "kernel", "K", 1);
	check_entry(&a, &bd, 1, "cmdline", "c", 2);
	check_entry(&a, &bd, 2, "sub/mod", "m", 3);
	check_entry(&a, &bd, 3, "plain", "p", 4);
	/* Every leading "./" is stripped. */
	check_entry(&a, &bd, 4, "twice", "t", 5);
}
END_TEST

START_TEST(test_dirs_and_others_skipped)
{
	struct arc a;
	struct bundle bd;

	arc_init(&a, "070701");
	arc_add(&a, ".", M_DIR, NULL);
	arc_add(&a, "boot", M_DIR, NULL);
	arc_file(&a, "boot/kernel", "not the kernel");
	arc_add(&a, "link", M_LNK, "boot/kernel");
	arc_add(&a, "dev", M_CHR, NULL);
	arc_add(&a, "fifo", 0010644u, NULL);
	arc_file(&a, "kernel", "K");
	/* A directory may share a file's name: it is not collected. */
	arc_add(&a, "kernel", M_DIR, NULL);
	arc_add(&a, "sock", 0140755u, "junk-data");
	arc_file(&a, "mod", "M");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 3);
	ck_assert_int_eq(bd.kernel, 1);
	check_entry(&a, &bd, 0, "boot/kernel", "not the kernel", 2);
	check_entry(&a, &bd, 1, "kernel", "K", 6);
	check_entry(&a, &bd, 2, "mod", "M", 9);
}
END_TEST

START_TEST(test_070702)
{
	struct arc a;
	struct bundle bd;

	std_arc(&a, "070702");
	/* Checksums are not verified. */
	set_field(&a, a.at[0], F_CHECK, 0xdeadbeef);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);
	check_entry(&a, &bd, 0, "kernel", "KERNEL-IMAGE-BYTES", 0);
	check_entry(&a, &bd, 3, "extra.bin", "xyz", 3);

	/* Mixed magics are accepted too. */
	std_arc(&a, "070701");
	memcpy(a.b + a.at[2], "070702", 6);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);
}
END_TEST

START_TEST(test_hex_case)
{
	struct arc a;
	struct bundle bd;

	std_arc(&a, "070701");
	memcpy(a.b + a.at[0] + 6 + 8 * F_MODE, "000081a4", 8);
	memcpy(a.b + a.at[0] + 6 + 8 * F_CHECK, "aBcDeF09", 8);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.e[0].mode, 0100644u);
}
END_TEST

START_TEST(test_is_cpio)
{
	static const struct {
		const char *s;
		bool want;
	} t[] = {
		{ "070701", true },
		{ "070702", true },
		{ "0707010000", true },
		{ "070707", false },
		{ "070700", false },
		{ "07070", false },
		{ "", false },
		{ "\x7f"
		  "ELF",
		  false },
		{ "170701", false },
		{ "070703", false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct view v = view_make(t[i].s, strlen(t[i].s));

		ck_assert_msg(bundle_is_cpio(&v) == t[i].want, "case %zu", i);
	}
}
END_TEST

START_TEST(test_strerror)
{
	static const struct {
		enum bundle_err e;
		const char *s;
	} t[] = {
		{ BUNDLE_E_NOT_CPIO, "not a cpio (newc) archive" },
		{ BUNDLE_E_TRUNCATED,
		  "archive truncated (an entry runs past the end)" },
		{ BUNDLE_E_HEADER, "bad cpio entry header" },
		{ BUNDLE_E_NAME, "bad entry name" },
		{ BUNDLE_E_TOO_MANY, "too many entries: more than 32 files "
				     "(kernel, cmdline and modules)" },
		{ BUNDLE_E_NO_TRAILER, "no TRAILER!!! entry" },
		{ BUNDLE_E_NO_KERNEL, "no entry named 'kernel'" },
		{ BUNDLE_E_DUPLICATE, "two entries with the same name" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(bundle_strerror(t[i].e), t[i].s);
	ck_assert_ptr_nonnull(bundle_strerror(BUNDLE_OK));
	ck_assert_ptr_nonnull(bundle_strerror((enum bundle_err)99));
}
END_TEST

START_TEST(test_not_cpio)
{
	static const char *t[] = { "",
				   "0",
				   "07070",
				   "070707"
				   "00000000",
				   "\x7f"
				   "ELF\x02\x01\x01",
				   "hello, world" };
	struct bundle bd;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum bundle_err err =
			parse_bytes((const uint8_t *)t[i], strlen(t[i]), &bd);

		ck_assert_int_eq(err, BUNDLE_E_NOT_CPIO);
		ck_assert_int_eq(bd.kernel, -1);
		ck_assert_uint_eq(bd.n, 0);
	}
}
END_TEST

START_TEST(test_truncated)
{
	struct arc a;

	/* The header runs past the end. */
	std_arc(&a, "070701");
	a.len = a.at[2] + 50;
	parse_err(&a, BUNDLE_E_TRUNCATED);

	/* The data runs past the end: a huge filesize. */
	std_arc(&a, "070701");
	set_field(&a, a.at[1], F_FILESIZE, 0xffffffffu);
	parse_err(&a, BUNDLE_E_TRUNCATED);

	/* The last entry's data one byte too long for the archive. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "abcd");
	set_field(&a, a.at[0], F_FILESIZE, 5);
	parse_err(&a, BUNDLE_E_TRUNCATED);

	/* The name runs past the end. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "abcd");
	arc_trailer(&a);
	a.len = a.at[1] + HDR + 5;
	parse_err(&a, BUNDLE_E_TRUNCATED);

	/* A short archive whose first magic is right. */
	memcpy(a.b, "070701", 6);
	a.len = 6;
	parse_err(&a, BUNDLE_E_TRUNCATED);
}
END_TEST

/* Every cut of a valid archive short of the trailer's name fails. */
static void check_prefixes(const struct arc *a)
{
	struct bundle bd;

	for (size_t n = 0; n <= a->len; n++) {
		enum bundle_err err = parse_bytes(a->b, n, &bd);
		enum bundle_err want = BUNDLE_E_TRUNCATED;

		if (n < 6)
			want = BUNDLE_E_NOT_CPIO;
		else if (n >= a->trailer_name_end)
			want = BUNDLE_OK;
		for (int i = 1; i < a->n; i++)
			if (n == a->at[i])
				want = BUNDLE_E_NO_TRAILER;
		ck_assert_msg(err == want, "cut at %zu: got %s, want %s", n,
			      bundle_strerror(err), bundle_strerror(want));
		if (err == BUNDLE_OK)
			check_bundle(&bd, n);
	}
}

START_TEST(test_all_prefixes)
{
	struct arc a;

	std_arc(&a, "070701");
	check_prefixes(&a);
	std_arc(&a, "070702");
	check_prefixes(&a);

	arc_init(&a, "070701");
	arc_add(&a, ".", M_DIR, NULL);
	arc_file(&a, "./kernel", "12345");
	arc_add(&a, "ln", M_LNK, "kernel");
	arc_file(&a, "m", "");
	arc_trailer(&a);
	check_prefixes(&a);
}
END_TEST

START_TEST(test_bad_magic_later)
{
	static const char *bad[] = { "070707", "070700", "170701", "07070 " };
	struct arc a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		std_arc(&a, "070701");
		memcpy(a.b + a.at[2], bad[i], 6);
		parse_err(&a, BUNDLE_E_HEADER);
	}
	/* The trailer's header is checked too. */
	std_arc(&a, "070701");
	a.b[a.at[4] + 5] = '7';
	parse_err(&a, BUNDLE_E_HEADER);
	/* Garbage instead of the next entry. */
	std_arc(&a, "070701");
	memset(a.b + a.at[1], 'x', a.len - a.at[1]);
	parse_err(&a, BUNDLE_E_HEADER);
}
END_TEST

START_TEST(test_bad_hex)
{
	static const char bad[] = { 'g', 'G', ' ', 'x', '\0',  '-',
				    '/', ':', '@', '`', '\xff' };
	struct arc a;

	/* Every digit of every field, in the first and a later entry. */
	for (int entry = 0; entry < 5; entry += 2) {
		for (int pos = 0; pos < 13 * 8; pos++) {
			std_arc(&a, "070701");
			a.b[a.at[entry] + 6 + pos] = bad[pos % sizeof(bad)];
			parse_err(&a, BUNDLE_E_HEADER);
		}
	}
}
END_TEST

START_TEST(test_bad_name)
{
	struct arc a;
	struct bundle bd;
	char name[BUNDLE_NAME_MAX + 8];

	/* namesize 0 */
	std_arc(&a, "070701");
	set_field(&a, a.at[1], F_NAMESIZE, 0);
	parse_err(&a, BUNDLE_E_NAME);

	/* namesize > BUNDLE_NAME_MAX, also for a directory and huge */
	memset(name, 'n', sizeof(name));
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_add_n(&a, name, BUNDLE_NAME_MAX, M_REG, "x", 1);
	arc_trailer(&a);
	parse_err(&a, BUNDLE_E_NAME);
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_add_n(&a, name, BUNDLE_NAME_MAX, M_DIR, NULL, 0);
	arc_trailer(&a);
	parse_err(&a, BUNDLE_E_NAME);
	std_arc(&a, "070701");
	set_field(&a, a.at[0], F_NAMESIZE, 0xffffffffu);
	parse_err(&a, BUNDLE_E_NAME);

	/* The longest name fits, with its NUL. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_add_n(&a, name, BUNDLE_NAME_MAX - 1, M_REG, "x", 1);
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(strlen(bd.e[1].name), BUNDLE_NAME_MAX - 1);

	/* Not NUL-terminated: namesize one short of the NUL. */
	std_arc(&a, "070701");
	set_field(&a, a.at[2], F_NAMESIZE, 6);
	parse_err(&a, BUNDLE_E_NAME);

	/* A NUL inside the name. */
	std_arc(&a, "070701");
	a.b[a.at[3] + HDR + 3] = 0;
	parse_err(&a, BUNDLE_E_NAME);

	/* An empty name, and one that is empty after "./", for a file. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "", "x");
	arc_trailer(&a);
	parse_err(&a, BUNDLE_E_NAME);
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "./", "x");
	arc_trailer(&a);
	parse_err(&a, BUNDLE_E_NAME);

	/* A file's name goes into the log and to the payload: a control
	 * byte (a line break would forge a log line), DEL or '"' in it is
	 * refused, wherever it stands; bytes from 0x80 up (UTF-8) are not. */
	static const char *const bad[] = {
		"m\nfw: measure: payload sha256 0000",
		"\tm",
		"m\r",
		"m\x01",
		"m\x1f",
		"m\x7f",
		"\"m\"",
		"m\"x",
		"./m\n",
		"\x1b[2Jm",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		arc_init(&a, "070701");
		arc_file(&a, "kernel", "K");
		arc_file(&a, bad[i], "x");
		arc_trailer(&a);
		parse_err(&a, BUNDLE_E_NAME);
	}
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "m \x20~ \xc3\xa9\x80\xff'", "x");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_str_eq(bd.e[1].name, "m  ~ \xc3\xa9\x80\xff'");
	/* Only files: a skipped entry's name is never used. */
	arc_init(&a, "070701");
	arc_add(&a, "d\n", M_DIR, NULL);
	arc_add(&a, ".pad-\"1", M_LNK, "xx");
	arc_file(&a, "kernel", "K");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 1);

	/* ... but a directory named "./" is skipped. */
	arc_init(&a, "070701");
	arc_add(&a, "./", M_DIR, NULL);
	arc_file(&a, "kernel", "K");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 1);
}
END_TEST

START_TEST(test_too_many)
{
	struct arc a;
	struct bundle bd;
	char name[16];

	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	for (int i = 1; i < BUNDLE_MAX_ENTRIES; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		arc_file(&a, name, "data");
		/* Skipped entries do not count. */
		snprintf(name, sizeof(name), "d%d", i);
		arc_add(&a, name, M_DIR, NULL);
	}
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, BUNDLE_MAX_ENTRIES);
	check_entry(&a, &bd, BUNDLE_MAX_ENTRIES - 1, "m31", "data",
		    2 * (BUNDLE_MAX_ENTRIES - 1) - 1);

	/* One more file. */
	a.len = a.at[a.n - 1];
	a.n--;
	arc_file(&a, "one-too-many", "x");
	arc_trailer(&a);
	parse_err(&a, BUNDLE_E_TOO_MANY);
}
END_TEST

START_TEST(test_no_trailer)
{
	struct arc a;

	std_arc(&a, "070701");
	a.len = a.at[4];
	parse_err(&a, BUNDLE_E_NO_TRAILER);

	/* A name like the trailer's is not the trailer. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "TRAILER!!", "x");
	arc_file(&a, "TRAILER!!!!", "x");
	arc_file(&a, "./TRAILER!!!", "x");
	parse_err(&a, BUNDLE_E_NO_TRAILER);

	/* Zero padding where the trailer should be. */
	memset(a.b + a.len, 0, 512);
	a.len += 512;
	parse_err(&a, BUNDLE_E_HEADER);
}
END_TEST

START_TEST(test_trailer_ends_walk)
{
	struct arc a;
	struct bundle bd;

	/* Entries after the trailer, even broken ones, are ignored. */
	std_arc(&a, "070701");
	a.n--;
	arc_file(&a, "after", "x");
	a.b[a.at[a.n - 1] + 10] = 'q';
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 4);

	/* A trailer with a regular-file mode and data still ends the walk. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "TRAILER!!!", "data");
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 1);
}
END_TEST

START_TEST(test_no_kernel)
{
	struct arc a;
	struct bundle bd;

	arc_init(&a, "070701");
	arc_trailer(&a);
	parse_err(&a, BUNDLE_E_NO_KERNEL);

	arc_init(&a, "070701");
	arc_file(&a, "cmdline", "c");
	arc_file(&a, "Kernel", "K");
	arc_file(&a, "kernel.elf", "K");
	arc_file(&a, "boot/kernel", "K");
	arc_add(&a, "kernel", M_DIR, NULL);
	arc_add(&a, "./kernel", M_LNK, "Kernel");
	arc_trailer(&a);
	ck_assert_int_eq(parse_arc(&a, &bd), BUNDLE_E_NO_KERNEL);
	ck_assert_int_eq(bd.kernel, -1);
	ck_assert_int_eq(bd.cmdline, 0);
	ck_assert_uint_eq(bd.n, 4);
}
END_TEST

START_TEST(test_duplicate)
{
	static const char *pairs[][2] = {
		{ "m", "m" },
		{ "./m", "m" },
		{ "m", "./m" },
		{ "kernel", "./kernel" },
		{ "cmdline", "cmdline" },
	};
	struct arc a;
	struct bundle bd;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		arc_init(&a, "070701");
		arc_file(&a, "kernel", "K");
		if (strcmp(pairs[i][0], "kernel") == 0) {
			/* kernel is already there: this is the second one. */
			arc_file(&a, pairs[i][1], "K2");
		} else {
			arc_file(&a, pairs[i][0], "1");
			arc_file(&a, "other", "o");
			arc_file(&a, pairs[i][1], "2");
		}
		arc_trailer(&a);
		parse_err(&a, BUNDLE_E_DUPLICATE);
	}
	/* A prefix is not a duplicate. */
	arc_init(&a, "070701");
	arc_file(&a, "kernel", "K");
	arc_file(&a, "kernel2", "K");
	arc_file(&a, "kerne", "K");
	arc_trailer(&a);
	parse_ok(&a, &bd);
	ck_assert_uint_eq(bd.n, 3);
}
END_TEST

START_TEST(test_error_order)
{
	struct arc a;

	/* The first failing entry decides, even if a later one is worse. */
	std_arc(&a, "070701");
	set_field(&a, a.at[1], F_NAMESIZE, 0);
	memcpy(a.b + a.at[2], "zzzzzz", 6);
	parse_err(&a, BUNDLE_E_NAME);

	/* Bad hex is reported before a bad name size. */
	std_arc(&a, "070701");
	set_field(&a, a.at[1], F_NAMESIZE, 0);
	a.b[a.at[1] + 6] = 'g';
	parse_err(&a, BUNDLE_E_HEADER);

	/* A duplicate before a missing trailer. */
	arc_init(&a, "070701");
	arc_file(&a, "m", "1");
	arc_file(&a, "m", "2");
	parse_err(&a, BUNDLE_E_DUPLICATE);
}
END_TEST

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

START_TEST(test_random_mutations)
{
	static const char digits[] = "0123456789abcdefABCDEFg ";
	static const uint32_t modes[] = { M_REG, M_DIR, M_LNK, 0 };
	struct arc base, a;
	struct bundle bd;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0;

	arc_init(&base, "070701");
	arc_add(&base, ".", M_DIR, NULL);
	arc_file(&base, "./kernel", "KERNEL-IMAGE-BYTES");
	arc_file(&base, "cmdline", "a b c");
	arc_add(&base, "lnk", M_LNK, "kernel");
	arc_file(&base, "m1", "module one");
	arc_file(&base, "m2", "");
	arc_trailer(&base);

	for (int iter = 0; iter < 1000; iter++) {
		int muts = 1 + (int)(rng_next(&seed) % 4);
		enum bundle_err err;

		a = base;
		for (int m = 0; m < muts; m++) {
			uint64_t r = rng_next(&seed);
			int e = (int)((r >> 8) % (uint64_t)base.n);
			size_t at = base.at[e] + (size_t)(r >> 16) % HDR;

			switch (r & 7) {
			case 0:
				/* A header digit, mostly still hex. */
				a.b[at] = (uint8_t)digits[(r >> 32) %
							  (sizeof(digits) - 1)];
				break;
			case 1:
				/* A whole field: small, or any value. */
				set_field(&a, base.at[e], (int)((r >> 16) % 13),
					  (r >> 40) & 1
						  ? (uint32_t)(r >> 41)
						  : (uint32_t)(r >> 41) % 300);
				break;
			case 2:
				/* Another file type. */
				set_field(&a, base.at[e], F_MODE,
					  modes[(r >> 32) % 4]);
				break;
			case 3:
				/* A name byte from another entry's name. */
				at = base.at[e] + HDR + (size_t)(r >> 16) % 4;
				a.b[at] = base.b[base.at[(r >> 32) % base.n] +
						 HDR + (size_t)(r >> 16) % 4];
				break;
			case 4:
				a.b[at] ^= (uint8_t)(1u << ((r >> 32) & 7));
				break;
			default:
				/* Any byte of the archive. */
				at = (size_t)(r >> 16) % base.len;
				a.b[at] = (uint8_t)(r >> 40);
				break;
			}
		}
		if (rng_next(&seed) % 8 == 0)
			a.len = (size_t)(rng_next(&seed) % (base.len + 1));

		err = parse_arc(&a, &bd);
		ck_assert_int_ge(err, BUNDLE_OK);
		ck_assert_int_le(err, BUNDLE_E_DUPLICATE);
		ck_assert_ptr_nonnull(bundle_strerror(err));
		if (err == BUNDLE_OK) {
			check_bundle(&bd, a.len);
			ok++;
		}
	}
	/* The mutations are not all fatal. */
	ck_assert_uint_gt(ok, 50);
}
END_TEST

/* Runs a shell command; returns its exit status (-1 if it did not exit). */
static int run(const char *cmd)
{
	int st = system(cmd);

	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static uint8_t *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	buf = malloc(len ? (size_t)len : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void check_data(const uint8_t *arc, const struct bundle_entry *e,
		       const void *data, size_t n)
{
	ck_assert_uint_eq(e->size, n);
	ck_assert(memcmp(arc + e->offset, data, n) == 0);
}

START_TEST(test_mkbundle)
{
	char dir[] = "/tmp/pvhfw-bundle-XXXXXX";
	char cmd[1024], p[4][64];
	uint8_t kernel[3001];
	static const char mod1[] = "first module\n";
	static const char mod2[] = "second";
	struct bundle bd;
	struct view v;
	uint8_t *buf;
	size_t len;

	if (run("command -v cpio >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_mkbundle: skipped (no cpio on PATH)\n");
		return;
	}
	ck_assert_msg(access("scripts/mkbundle", X_OK) == 0,
		      "scripts/mkbundle not found: run from the repo root");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(kernel); i++)
		kernel[i] = (uint8_t)(i * 7 + 3);
	snprintf(p[0], sizeof(p[0]), "%s/vmlinux", dir);
	snprintf(p[1], sizeof(p[1]), "%s/initrd.img", dir);
	snprintf(p[2], sizeof(p[2]), "%s/m2.bin", dir);
	snprintf(p[3], sizeof(p[3]), "%s/out.cpio", dir);
	write_file(p[0], kernel, sizeof(kernel));
	write_file(p[1], mod1, strlen(mod1));
	write_file(p[2], mod2, strlen(mod2));

	snprintf(cmd, sizeof(cmd),
		 "scripts/mkbundle -o %s -c 'console=ttyS0 root=/dev/vda' "
		 "%s %s %s=second.mod",
		 p[3], p[0], p[1], p[2]);
	ck_assert_int_eq(run(cmd), 0);

	buf = read_file(p[3], &len);
	v = view_make(buf, len);
	ck_assert(bundle_is_cpio(&v));
	ck_assert_int_eq(bundle_parse(&v, &bd), BUNDLE_OK);
	check_bundle(&bd, len);
	ck_assert_uint_eq(bd.n, 4);
	ck_assert_int_eq(bd.kernel, 0);
	ck_assert_int_eq(bd.cmdline, 1);
	ck_assert_str_eq(bd.e[2].name, "initrd.img");
	ck_assert_str_eq(bd.e[3].name, "second.mod");
	check_data(buf, &bd.e[0], kernel, sizeof(kernel));
	check_data(buf, &bd.e[1], "console=ttyS0 root=/dev/vda", 27);
	check_data(buf, &bd.e[2], mod1, strlen(mod1));
	check_data(buf, &bd.e[3], mod2, strlen(mod2));
	free(buf);

	/* Without -c there is no cmdline entry. */
	snprintf(cmd, sizeof(cmd), "scripts/mkbundle -o %s %s", p[3], p[0]);
	ck_assert_int_eq(run(cmd), 0);
	buf = read_file(p[3], &len);
	v = view_make(buf, len);
	ck_assert_int_eq(bundle_parse(&v, &bd), BUNDLE_OK);
	ck_assert_uint_eq(bd.n, 1);
	ck_assert_int_eq(bd.cmdline, -1);
	check_data(buf, &bd.e[0], kernel, sizeof(kernel));
	free(buf);

	/* Usage errors: duplicate or reserved names, a missing file. */
	snprintf(cmd, sizeof(cmd),
		 "scripts/mkbundle -o %s %s %s %s=initrd.img 2>/dev/null", p[3],
		 p[0], p[1], p[2]);
	ck_assert_int_ne(run(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "scripts/mkbundle -o %s %s %s=kernel 2>/dev/null", p[3], p[0],
		 p[1]);
	ck_assert_int_ne(run(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "scripts/mkbundle -o %s %s/missing 2>/dev/null", p[3], dir);
	ck_assert_int_ne(run(cmd), 0);
	ck_assert_int_ne(run("scripts/mkbundle 2>/dev/null"), 0);

	for (int i = 0; i < 4; i++)
		unlink(p[i]);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *bundle_suite(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("valid");

	tcase_add_test(tc, test_basic);
	tcase_add_test(tc, test_block_padding_ignored);
	tcase_add_test(tc, test_order_and_no_cmdline);
	tcase_add_test(tc, test_data_sizes_padding);
	tcase_add_test(tc, test_dot_slash);
	tcase_add_test(tc, test_dirs_and_others_skipped);
	tcase_add_test(tc, test_070702);
	tcase_add_test(tc, test_hex_case);
	tcase_add_test(tc, test_is_cpio);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_not_cpio);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_all_prefixes);
	tcase_add_test(tc, test_bad_magic_later);
	tcase_add_test(tc, test_bad_hex);
	tcase_add_test(tc, test_bad_name);
	tcase_add_test(tc, test_too_many);
	tcase_add_test(tc, test_no_trailer);
	tcase_add_test(tc, test_trailer_ends_walk);
	tcase_add_test(tc, test_no_kernel);
	tcase_add_test(tc, test_duplicate);
	tcase_add_test(tc, test_error_order);
	tcase_add_test(tc, test_random_mutations);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("mkbundle");
	tcase_add_test(tc, test_mkbundle);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	return s;
}
