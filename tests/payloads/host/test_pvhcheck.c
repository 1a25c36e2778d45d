// SPDX-License-Identifier: MIT
/*
 * test_pvhcheck.c: runs pvhcheck's hardware-free code (pvhcheck/desc.c: GDT
 * descriptor decoding, selector lookup, the code/data/TSS judgements;
 * pvhcheck/record.c: pvhfw's boot record) on the build machine, against
 * descriptors built field by field here and boot records written from the
 * documented layout, good and broken one field at a time. Prints
 * "host-check pvhcheck: ok" or the failing cases and exits non-zero.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "desc.h"
#include "record.h"

static int failures;

#define EXPECT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

/* Problem bits of a check must be exactly want. */
#define PROBLEMS(call, want)                                                   \
	do {                                                                   \
		unsigned got_ = (call);                                        \
		if (got_ != (want)) {                                          \
			char g_[256], w_[256];                                 \
			printf("FAIL %s:%d: %s: got {%s}, want {%s}\n",        \
			       __FILE__, __LINE__, #call,                      \
			       desc_problems(got_, g_, sizeof(g_)),            \
			       desc_problems((want), w_, sizeof(w_)));         \
			failures++;                                            \
		}                                                              \
	} while (0)

/*
 * An 8-byte descriptor from its fields. access: P, DPL, S, type (bits
 * 47..40); flags: G, D/B, L, AVL (bits 55..52).
 */
static uint64_t mk(uint32_t base, uint32_t limit20, uint8_t access,
		   uint8_t flags)
{
	return (uint64_t)(limit20 & 0xFFFF) |
	       (uint64_t)(base & 0xFFFFFF) << 16 | (uint64_t)access << 40 |
	       (uint64_t)((limit20 >> 16) & 0xF) << 48 |
	       (uint64_t)(flags & 0xF) << 52 | (uint64_t)(base >> 24) << 56;
}

#define F_G 0x8
#define F_DB 0x4
#define F_L 0x2

static void test_decode(void)
{
	struct seg_desc s;

	EXPECT(mk(0, 0xFFFFF, 0x9A, F_G | F_DB) == 0x00cf9a000000ffffull);
	desc_decode(0x00cf9a000000ffffull, &s);
	EXPECT(s.base == 0 && s.limit == 0xFFFFFFFFu && s.raw_limit == 0xFFFFF);
	EXPECT(s.type == 0xA && s.s == 1 && s.dpl == 0 && s.p == 1);
	EXPECT(s.l == 0 && s.db == 1 && s.g == 1);

	desc_decode(mk(0x12345678, 0xABCDE, 0xE3, F_L), &s);
	EXPECT(s.base == 0x12345678 && s.raw_limit == 0xABCDE);
	EXPECT(s.limit == 0xABCDE); /* G = 0: bytes */
	EXPECT(s.type == 0x3 && s.s == 0 && s.dpl == 3 && s.p == 1);
	EXPECT(s.l == 1 && s.db == 0 && s.g == 0);

	desc_decode(mk(0, 1, 0x93, F_G), &s);
	EXPECT(s.limit == 0x1FFF); /* G = 1: 4 KiB units, low 12 bits set */
}

static void test_code(void)
{
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x9A, F_G | F_DB)), 0);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x9B, F_G | F_DB)), 0);
	/* conforming execute/read is still flat 32-bit code */
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x9E, F_G | F_DB)), 0);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x98, F_G | F_DB)),
		 DP_NOT_READABLE);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x1A, F_G | F_DB)),
		 DP_NOT_PRESENT);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x9A, F_G | F_L)),
		 DP_LONG | DP_NOT_32BIT);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFF, 0x9A, 0)),
		 DP_LIMIT | DP_NOT_32BIT);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x9A, F_DB)), DP_LIMIT);
	PROBLEMS(desc_check_code32(mk(0x1000, 0xFFFFF, 0x9A, F_G | F_DB)),
		 DP_BASE);
	PROBLEMS(desc_check_code32(mk(0, 0xFFFFF, 0x92, F_G | F_DB)),
		 DP_NOT_CODE);
	PROBLEMS(desc_check_code32(mk(0, 0x67, 0x8B, 0)), DP_SYSTEM);
	PROBLEMS(desc_check_code32(0), DP_NOT_PRESENT | DP_SYSTEM);
}

static void test_data(void)
{
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x92, F_G | F_DB)), 0);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x93, F_G | F_DB)), 0);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0xF3, F_G | F_DB)), 0);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x90, F_G | F_DB)),
		 DP_NOT_WRITABLE);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x96, F_G | F_DB)),
		 DP_EXPAND_DOWN);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x12, F_G | F_DB)),
		 DP_NOT_PRESENT);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x92, F_G)), DP_NOT_32BIT);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFE, 0x92, F_G | F_DB)), DP_LIMIT);
	PROBLEMS(desc_check_data32(mk(0x10, 0xFFFFF, 0x92, F_G | F_DB)),
		 DP_BASE);
	PROBLEMS(desc_check_data32(mk(0, 0xFFFFF, 0x9A, F_G | F_DB)),
		 DP_NOT_DATA);
	PROBLEMS(desc_check_data32(mk(0, 0x67, 0x89, 0)), DP_SYSTEM);
}

static void test_tss(void)
{
	PROBLEMS(desc_check_tss32(mk(0, 0x67, 0x8B, 0)), 0);
	/* The PVH ABI: base 0 (b579887). */
	PROBLEMS(desc_check_tss32(mk(0x10040, 0x67, 0x8B, 0)), DP_BASE);
	PROBLEMS(desc_check_tss32(mk(0, 0x2067, 0x8B, 0)), 0);
	PROBLEMS(desc_check_tss32(mk(0, 0, 0x8B, F_G)), 0); /* 4 KiB */
	PROBLEMS(desc_check_tss32(mk(0, 0x66, 0x8B, 0)), DP_TSS_LIMIT);
	PROBLEMS(desc_check_tss32(mk(0, 0x67, 0x89, 0)), DP_NOT_TSS32_BUSY);
	PROBLEMS(desc_check_tss32(mk(0, 0x67, 0x83, 0)), DP_NOT_TSS32_BUSY);
	PROBLEMS(desc_check_tss32(mk(0, 0x67, 0x0B, 0)), DP_NOT_PRESENT);
	PROBLEMS(desc_check_tss32(mk(0, 0xFFFFF, 0x9B, F_G | F_DB)),
		 DP_NOT_TSS32_BUSY);
	PROBLEMS(desc_check_tss32(0),
		 DP_NOT_PRESENT | DP_NOT_TSS32_BUSY | DP_TSS_LIMIT);
}

/* pvhfw's 0x20 entry exactly: base 0, limit 0x67, busy or available. */
static void test_pvhfw_tss(void)
{
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x8B, 0), 1), 0);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x89, 0), 0), 0);
	/* What the firmware writes: 0x67 | 0x89 << 40. */
	PROBLEMS(desc_check_pvhfw_tss(0x67 | 0x89ull << 40, 0), 0);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x89, 0), 1),
		 DP_NOT_TSS32_BUSY);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x8B, 0), 0),
		 DP_NOT_TSS32_AVAIL);
	/* The review's break: base 0x12345. */
	PROBLEMS(desc_check_pvhfw_tss(mk(0x12345, 0x67, 0x89, 0), 0), DP_BASE);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x68, 0x89, 0), 0), DP_TSS_NOT_67);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x66, 0x8B, 0), 1), DP_TSS_NOT_67);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x8B, F_G), 1),
		 DP_TSS_NOT_67); /* G: 0x67fff */
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x09, 0), 0), DP_NOT_PRESENT);
	PROBLEMS(desc_check_pvhfw_tss(mk(0, 0x67, 0x99, 0), 0),
		 DP_NOT_TSS32_AVAIL); /* S = 1: a code segment */
	PROBLEMS(desc_check_pvhfw_tss(0, 1),
		 DP_NOT_PRESENT | DP_NOT_TSS32_BUSY | DP_TSS_NOT_67);
}

static void put_desc(uint8_t *gdt, unsigned idx, uint64_t d)
{
	for (int i = 0; i < 8; i++)
		gdt[idx * 8 + (unsigned)i] = (uint8_t)(d >> (8 * i));
}

static void test_lookup(void)
{
	uint8_t gdt[40];
	uint64_t d = 0;

	memset(gdt, 0, sizeof(gdt));
	put_desc(gdt, 1, 0x00cf9a000000ffffull);
	put_desc(gdt, 2, 0x00cf92000000ffffull);
	put_desc(gdt, 4, mk(0, 0x67, 0x8B, 0));

	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x27, 0x08, &d) == NULL);
	EXPECT(d == 0x00cf9a000000ffffull);
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x27, 0x13, &d) == NULL);
	EXPECT(d == 0x00cf92000000ffffull); /* RPL 3 ignored */
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x27, 0x20, &d) == NULL);
	EXPECT(desc_check_tss32(d) == 0);
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x27, 0x00, &d) != NULL);
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x27, 0x03, &d) != NULL);
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x27, 0x0C, &d) != NULL);
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x1F, 0x20, &d) != NULL);
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0x26, 0x20, &d) != NULL);
	EXPECT(desc_lookup(gdt, 32, 0x27, 0x20, &d) != NULL); /* short copy */
	EXPECT(desc_lookup(gdt, sizeof(gdt), 0xFFFF, 0xFFF8, &d) != NULL);
}

static void test_problems(void)
{
	char buf[64], tiny[8];

	EXPECT(strcmp(desc_problems(0, buf, sizeof(buf)), "") == 0);
	EXPECT(strcmp(desc_problems(DP_BASE | DP_LIMIT, buf, sizeof(buf)),
		      "base not 0, limit not 4 GiB") == 0);
	desc_problems(DP_BASE | DP_LIMIT, tiny, sizeof(tiny));
	EXPECT(strlen(tiny) == sizeof(tiny) - 1);
	EXPECT(strcmp(desc_problem_name(0), "not present") == 0);
	EXPECT(strcmp(desc_problem_name(DP_COUNT), "?") == 0);
	EXPECT(desc_problems(DP_BASE, buf, 0) == buf);
	for (unsigned b = 0; b < DP_COUNT; b++)
		EXPECT(desc_problem_name(b)[0] != '\0');
}

/*
 * Boot records written here from docs/measured-boot.md's table (not from
 * the firmware's code): the payload, the modules of mods[], a bundle's
 * cmdline entry when cmdline is set, then the options string.
 */
static const struct record_mod rec_mods[2] = { { 381, "first" },
					       { 12397, "second single" } };

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void rec_entry(uint8_t *r, uint32_t i, uint64_t size, uint64_t index,
		      const char *name)
{
	uint8_t *e = r + 0x30 + 96 * i;

	memset(e, 0xA0 + (int)i, 32); /* a digest: any bytes */
	put64(e + 32, size);
	put64(e + 40, index);
	memcpy(e + 48, name, strlen(name));
}

static size_t rec_build(uint8_t *r, int cmdline, const char *opts)
{
	uint32_t count = 3 + (cmdline ? 1 : 0);
	size_t at = 0x30 + 96 * count, len = at + strlen(opts) + 1;

	memset(r, 0, len);
	memcpy(r, "PVHFWBR1", 8);
	put32(r + 0x08, (uint32_t)len);
	put32(r + 0x0C, 1);
	memcpy(r + 0x10, "pvhfw 0.1.0", 11);
	put32(r + 0x20, count);
	put32(r + 0x24, strstr(opts, "sha256=") ? 1 : 0);
	put32(r + 0x28, (uint32_t)at);
	rec_entry(r, 0, 167184, ~0ull, "payload");
	rec_entry(r, 1, rec_mods[0].size, 0, rec_mods[0].name);
	rec_entry(r, 2, rec_mods[1].size, 1, rec_mods[1].name);
	if (cmdline)
		rec_entry(r, 3, 34, 0xFFFFFFFFFFFFFFFEull, "cmdline");
	memcpy(r + at, opts, strlen(opts) + 1);
	return len;
}

/* The record check of r finds a problem whose message holds words. */
#define REC_BAD(r, len, words)                                                 \
	do {                                                                   \
		char why_[160];                                                \
		const char *got_ = record_check((r), (len), rec_mods, 2, why_, \
						sizeof(why_));                 \
		if (!got_ || !strstr(got_, (words))) {                         \
			printf("FAIL %s:%d: record check: %s, want \"%s\"\n",  \
			       __FILE__, __LINE__, got_ ? got_ : "passed",     \
			       (words));                                       \
			failures++;                                            \
		}                                                              \
	} while (0)

#define REC_OK(r, len)                                                         \
	do {                                                                   \
		char why_[160];                                                \
		const char *got_ = record_check((r), (len), rec_mods, 2, why_, \
						sizeof(why_));                 \
		if (got_) {                                                    \
			printf("FAIL %s:%d: record check: %s\n", __FILE__,     \
			       __LINE__, got_);                                \
			failures++;                                            \
		}                                                              \
	} while (0)

static void test_record(void)
{
	static const char plain[] = "fw.record=on fw.loglevel=brief";
	static const char pin[] = "fw.record=on fw.module.01.sha256="
				  "29b5630b4c239c25a869a3e6c5fcca5f20a87f8bce04"
				  "97e245d8a744d01aa013";
	uint8_t r[1024], b[1024];
	size_t len;

	len = rec_build(r, 0, plain);
	REC_OK(r, len);
	EXPECT(record_readable(r, len));
	len = rec_build(r, 1, plain);
	REC_OK(r, len);
	len = rec_build(r, 0, pin);
	REC_OK(r, len);
	len = rec_build(r, 0, "fw.sha256=00 fw.record=on");
	REC_OK(r, len);

	/* Flags: 1 exactly when the options hold a pin; no other bit. */
	len = rec_build(r, 0, pin);
	put32(r + 0x24, 0);
	REC_BAD(r, len, "flags 0x0, want 1");
	len = rec_build(r, 0, plain);
	put32(r + 0x24, 1);
	REC_BAD(r, len, "flags 0x1, want 0");
	put32(r + 0x24, 2);
	REC_BAD(r, len, "flags 0x2, want 0");

	/* Index: all ones for the payload, the module number, then the
	 * cmdline entry's; a firmware writing index = i fails. */
	len = rec_build(r, 1, plain);
	memcpy(b, r, len);
	for (uint32_t i = 0; i < 4; i++)
		put64(b + 0x30 + 96 * i + 40, i);
	REC_BAD(b, len,
		"entry 0 (\"payload\"): index 0x0, want 0xffffffffffffffff");
	memcpy(b, r, len);
	put64(b + 0x30 + 96 * 1 + 40, 1);
	REC_BAD(b, len, "entry 1 (\"first\"): index 0x1, want 0x0");
	memcpy(b, r, len);
	put64(b + 0x30 + 96 * 3 + 40, ~0ull);
	REC_BAD(b, len, "entry 3 (\"cmdline\"): index 0xffffffffffffffff");

	/* The header: reserved, options offset, count, size, version. */
	len = rec_build(r, 0, plain);
	memcpy(b, r, len);
	put32(b + 0x2C, 1);
	REC_BAD(b, len, "reserved field (0x2C) 0x1, want 0");
	memcpy(b, r, len);
	put32(b + 0x28, 0x30 + 96 * 3 + 1);
	REC_BAD(b, len, "options at 0x151, want 0x150");
	memcpy(b, r, len);
	put32(b + 0x20, 2);
	REC_BAD(b, len, "count 2, want 3");
	memcpy(b, r, len);
	put32(b + 0x20, 4); /* 4 would be right with a cmdline entry... */
	put32(b + 0x28, 0x30 + 96 * 4);
	REC_BAD(b, len, "does not end the record"); /* ...but it is not */
	memcpy(b, r, len);
	put32(b + 0x08, (uint32_t)len + 1);
	REC_BAD(b, len, "size field");
	EXPECT(!record_readable(b, len));
	memcpy(b, r, len);
	put32(b + 0x0C, 2);
	REC_BAD(b, len, "version 2, want 1");
	memcpy(b, r, len);
	b[0] = 'X';
	REC_BAD(b, len, "no PVHFWBR1 header");
	EXPECT(!record_readable(b, len));
	REC_BAD(r, 0x2F, "no PVHFWBR1 header");
	memcpy(b, r, len);
	memset(b + 0x10, 'x', 16);
	REC_BAD(b, len, "firmware name not NUL-terminated");
	memcpy(b, r, len);
	b[len - 5] = 0;
	REC_BAD(b, len, "only NUL");
	memcpy(b, r, len);
	b[len - 1] = 'x';
	REC_BAD(b, len, "only NUL");

	/* Entries: names, their padding, the modules' sizes. */
	memcpy(b, r, len);
	memcpy(b + 0x30 + 96 * 2 + 48, "second", 7);
	REC_BAD(b, len, "entry 2: name \"second\", want \"second single\"");
	memcpy(b, r, len);
	b[0x30 + 96 * 1 + 48 + 40] = 'z';
	REC_BAD(b, len, "entry 1: byte 40 of the name field");
	memcpy(b, r, len);
	memset(b + 0x30 + 48, 'p', 48);
	REC_BAD(b, len, "entry 0: name not NUL-terminated");
	memcpy(b, r, len);
	put64(b + 0x30 + 96 * 2 + 32, 12396);
	REC_BAD(b, len, "size 12396, but module 1 is 12397 bytes");
	memcpy(b, r, len);
	memcpy(b + 0x30 + 48, "kernel\0", 8);
	REC_BAD(b, len, "entry 0: name \"kernel\", want \"payload\"");
	len = rec_build(r, 1, plain);
	memcpy(b, r, len);
	memcpy(b + 0x30 + 96 * 3 + 48, "cmdlinf", 7);
	REC_BAD(b, len, "want \"cmdline\"");
}

/* check.modhash=1 finds module i's digest by the entry's index field. */
static void test_record_entry(void)
{
	static const char plain[] = "fw.record=on";
	uint8_t r[1024];
	size_t len = rec_build(r, 1, plain);
	uint8_t *e0 = r + 0x30;

	EXPECT(record_entry(r, len, RECORD_INDEX_PAYLOAD) == e0);
	EXPECT(record_entry(r, len, 0) == e0 + 96);
	EXPECT(record_entry(r, len, 1) == e0 + 96 * 2);
	EXPECT(record_entry(r, len, 1)[0] == 0xA2); /* its digest */
	EXPECT(record_entry(r, len, RECORD_INDEX_CMDLINE) == e0 + 96 * 3);
	EXPECT(record_entry(r, len, 2) == NULL); /* no module 2 */
	/* By index, not by position: entries 1 and 2 swapped. */
	put64(e0 + 96 + 40, 1);
	put64(e0 + 96 * 2 + 40, 0);
	EXPECT(record_entry(r, len, 0) == e0 + 96 * 2);
	EXPECT(record_entry(r, len, 1) == e0 + 96);
	/* Not read past what the header says, nor from a bad header. */
	put32(r + 0x20, 2); /* count 2: the cmdline entry is out */
	EXPECT(record_entry(r, len, RECORD_INDEX_CMDLINE) == NULL);
	put32(r + 0x20, 1000);
	EXPECT(record_entry(r, len, 0) == NULL);
	len = rec_build(r, 1, plain);
	EXPECT(record_entry(r, len - 1, 0) == NULL); /* size field != len */
	r[0] = 'X';
	EXPECT(record_entry(r, len, 0) == NULL);
}

int main(void)
{
	test_decode();
	test_code();
	test_data();
	test_tss();
	test_pvhfw_tss();
	test_lookup();
	test_problems();
	test_record();
	test_record_entry();
	if (failures) {
		printf("host-check pvhcheck: %d failure(s)\n", failures);
		return 1;
	}
	printf("host-check pvhcheck: ok\n");
	return 0;
}
