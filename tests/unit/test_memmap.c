// SPDX-License-Identifier: MIT
/*
 * test_memmap.c: unit tests of memmap: normalisation (against a brute-force
 * reference on random maps), queries, busy ranges and the allocator (against
 * a brute-force search on a small address space).
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "../../memmap/memmap.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

/* xorshift64*: a small PRNG with a fixed seed, so failures reproduce. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed ? seed : 1;
}

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rng_below(uint64_t n)
{
	return n ? rng() % n : 0;
}

/* The test's own copy of the overlap order: a higher rank wins. */
static int rank_of(uint32_t type)
{
	switch (type) {
	case MEMMAP_RAM:
		return 1;
	case MEMMAP_ACPI:
		return 2;
	case MEMMAP_NVS:
		return 3;
	case MEMMAP_PMEM:
		return 4;
	case MEMMAP_UNUSABLE:
		return 6;
	case MEMMAP_DISABLED:
		return 7;
	default:
		return 5; /* RESERVED and unknown types */
	}
}

static uint32_t canon_type(uint32_t type)
{
	return type >= 1 && type <= 7 ? type : MEMMAP_RESERVED;
}

static uint32_t winner(uint32_t a, uint32_t b)
{
	a = canon_type(a);
	b = canon_type(b);
	return rank_of(a) >= rank_of(b) ? a : b;
}

static void add_ok(struct memmap *m, uint64_t addr, uint64_t size,
		   uint32_t type)
{
	ck_assert_int_eq(memmap_add(m, addr, size, type), MEMMAP_OK);
}

struct exp_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

static void check_map(const struct memmap *m, const struct exp_entry *exp,
		      uint32_t n)
{
	ck_assert_uint_eq(m->n, n);
	for (uint32_t i = 0; i < n; i++) {
		ck_assert_msg(m->e[i].addr == exp[i].addr &&
				      m->e[i].size == exp[i].size &&
				      m->e[i].type == exp[i].type &&
				      m->e[i].pad == 0,
			      "entry %u: got %#llx+%#llx type %u, want "
			      "%#llx+%#llx type %u",
			      i, (unsigned long long)m->e[i].addr,
			      (unsigned long long)m->e[i].size, m->e[i].type,
			      (unsigned long long)exp[i].addr,
			      (unsigned long long)exp[i].size, exp[i].type);
	}
}

/* Appends a piece to exp, merging it with the previous one when possible. */
static void exp_push(struct exp_entry *exp, uint32_t *n, uint64_t start,
		     uint64_t end, uint32_t type)
{
	if (*n > 0 && exp[*n - 1].type == type &&
	    exp[*n - 1].addr + exp[*n - 1].size == start) {
		exp[*n - 1].size += end - start;
		return;
	}
	exp[*n].addr = start;
	exp[*n].size = end - start;
	exp[*n].type = type;
	(*n)++;
}

static bool exp_has_ram(const struct exp_entry *exp, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (exp[i].type == MEMMAP_RAM)
			return true;
	return false;
}

/* The canonical-form invariants every normalised map must satisfy. */
static void check_canonical(const struct memmap *m)
{
	ck_assert_uint_le(m->n, MEMMAP_MAX);
	for (uint32_t i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->e[i];
		ck_assert_uint_gt(e->size, 0);
		ck_assert_uint_ge(e->type, 1);
		ck_assert_uint_le(e->type, 7);
		ck_assert_uint_eq(e->pad, 0);
		ck_assert_uint_le(e->size, UINT64_MAX - e->addr);
		if (i == 0)
			continue;
		const struct memmap_entry *p = &m->e[i - 1];
		uint64_t p_end = p->addr + p->size;
		ck_assert_msg(p_end <= e->addr, "entries %u and %u overlap",
			      i - 1, i);
		ck_assert_msg(p_end != e->addr || p->type != e->type,
			      "entries %u and %u should have been merged",
			      i - 1, i);
	}
}

/* ------------------------------------------------------------------ */
/* Names and messages                                                   */
/* ------------------------------------------------------------------ */

START_TEST(test_strerror)
{
	ck_assert_str_eq(memmap_strerror(MEMMAP_E_FULL),
			 "too many memory map entries");
	ck_assert_str_eq(memmap_strerror(MEMMAP_E_WRAP),
			 "memory range wraps past the end of the address "
			 "space");
	ck_assert_str_eq(memmap_strerror(MEMMAP_E_NO_RAM),
			 "no usable RAM in the memory map");
	ck_assert_str_eq(memmap_strerror(MEMMAP_E_NO_SPACE),
			 "no free RAM for the allocation");
	ck_assert_str_eq(memmap_strerror(MEMMAP_E_BUSY_FULL),
			 "too many busy ranges");
	ck_assert_ptr_nonnull(memmap_strerror(MEMMAP_OK));
	ck_assert_ptr_nonnull(memmap_strerror((enum memmap_err)1234));
}
END_TEST

START_TEST(test_type_name)
{
	ck_assert_str_eq(memmap_type_name(MEMMAP_RAM), "ram");
	ck_assert_str_eq(memmap_type_name(MEMMAP_RESERVED), "reserved");
	ck_assert_str_eq(memmap_type_name(MEMMAP_ACPI), "acpi");
	ck_assert_str_eq(memmap_type_name(MEMMAP_NVS), "nvs");
	ck_assert_str_eq(memmap_type_name(MEMMAP_UNUSABLE), "unusable");
	ck_assert_str_eq(memmap_type_name(MEMMAP_DISABLED), "disabled");
	ck_assert_str_eq(memmap_type_name(MEMMAP_PMEM), "pmem");
	ck_assert_str_eq(memmap_type_name(0), "unknown");
	ck_assert_str_eq(memmap_type_name(8), "unknown");
	ck_assert_str_eq(memmap_type_name(UINT32_MAX), "unknown");
}
END_TEST

/* ------------------------------------------------------------------ */
/* memmap_add                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_add_basic)
{
	static struct memmap m;
	memmap_init(&m);
	ck_assert_uint_eq(m.n, 0);
	add_ok(&m, 0x1000, 0x2000, MEMMAP_RAM);
	add_ok(&m, 0x5000, 0, 99); /* size 0 accepted, type kept as given */
	ck_assert_uint_eq(m.n, 2);
	ck_assert_uint_eq(m.e[0].addr, 0x1000);
	ck_assert_uint_eq(m.e[0].size, 0x2000);
	ck_assert_uint_eq(m.e[0].type, MEMMAP_RAM);
	ck_assert_uint_eq(m.e[0].pad, 0);
	ck_assert_uint_eq(m.e[1].type, 99);
}
END_TEST

START_TEST(test_add_wrap)
{
	static struct memmap m;
	memmap_init(&m);
	/* Ending exactly at 2^64 is not representable: rejected. */
	ck_assert_int_eq(memmap_add(&m, UINT64_MAX - 0xfff, 0x1000, 1),
			 MEMMAP_E_WRAP);
	ck_assert_int_eq(memmap_add(&m, UINT64_MAX, 1, 1), MEMMAP_E_WRAP);
	ck_assert_int_eq(memmap_add(&m, 1, UINT64_MAX, 1), MEMMAP_E_WRAP);
	ck_assert_int_eq(memmap_add(&m, 0x1000, UINT64_MAX, 1), MEMMAP_E_WRAP);
	ck_assert_uint_eq(m.n, 0);
	/* Ending at 2^64 - 1 is fine, and so is size 0 anywhere. */
	add_ok(&m, UINT64_MAX - 0x1000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0, UINT64_MAX, MEMMAP_RESERVED);
	add_ok(&m, UINT64_MAX, 0, MEMMAP_RAM);
	ck_assert_uint_eq(m.n, 3);
}
END_TEST

START_TEST(test_add_full)
{
	static struct memmap m;
	memmap_init(&m);
	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		add_ok(&m, (uint64_t)i * 0x2000, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(memmap_add(&m, 0x10000000, 0x1000, MEMMAP_RAM),
			 MEMMAP_E_FULL);
	ck_assert_uint_eq(m.n, MEMMAP_MAX);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Normalisation                                                        */
/* ------------------------------------------------------------------ */

START_TEST(test_norm_sort)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, GiB(4), GiB(4), MEMMAP_RAM);
	add_ok(&m, 0xf0000, 0x10000, MEMMAP_RESERVED);
	add_ok(&m, 0, 0x9fc00, MEMMAP_RAM);
	add_ok(&m, MiB(1), MiB(1023), MEMMAP_RAM);
	add_ok(&m, 0xfec00000, 0x1000, MEMMAP_RESERVED);
	add_ok(&m, 0x9fc00, 0x400, MEMMAP_RESERVED);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0, 0x9fc00, MEMMAP_RAM },
		{ 0x9fc00, 0x400, MEMMAP_RESERVED },
		{ 0xf0000, 0x10000, MEMMAP_RESERVED },
		{ MiB(1), MiB(1023), MEMMAP_RAM },
		{ 0xfec00000, 0x1000, MEMMAP_RESERVED },
		{ GiB(4), GiB(4), MEMMAP_RAM },
	};
	check_map(&m, exp, 6);
}
END_TEST

START_TEST(test_norm_merge)
{
	static struct memmap m;
	memmap_init(&m);
	/* Adjacent RAM, given out of order, becomes one entry. */
	add_ok(&m, 0x3000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x2000, 0x1000, MEMMAP_RAM);
	/* Overlapping entries of the same type merge too. */
	add_ok(&m, 0x10000, 0x3000, MEMMAP_ACPI);
	add_ok(&m, 0x11000, 0x4000, MEMMAP_ACPI);
	/* Adjacent entries of different types do not. */
	add_ok(&m, 0x15000, 0x1000, MEMMAP_NVS);
	/* A hole keeps same-type entries apart. */
	add_ok(&m, 0x20000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x21001, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0x1000, 0x3000, MEMMAP_RAM },
		{ 0x10000, 0x5000, MEMMAP_ACPI },
		{ 0x15000, 0x1000, MEMMAP_NVS },
		{ 0x20000, 0x1000, MEMMAP_RAM },
		{ 0x21001, 0x1000, MEMMAP_RAM },
	};
	check_map(&m, exp, 5);
}
END_TEST

START_TEST(test_norm_reserved_in_ram)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0, MiB(16), MEMMAP_RAM);
	add_ok(&m, MiB(4), MiB(1), MEMMAP_RESERVED);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0, MiB(4), MEMMAP_RAM },
		{ MiB(4), MiB(1), MEMMAP_RESERVED },
		{ MiB(5), MiB(11), MEMMAP_RAM },
	};
	check_map(&m, exp, 3);

	/* The same with the reserved entry given first. */
	memmap_init(&m);
	add_ok(&m, MiB(4), MiB(1), MEMMAP_RESERVED);
	add_ok(&m, 0, MiB(16), MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	check_map(&m, exp, 3);
}
END_TEST

enum shape { PARTIAL, NESTED, IDENTICAL, ADJACENT };

/*
 * Two entries of types a and b in the given shape, in both orders, against
 * the expected pieces.
 */
static void check_pair(uint32_t a, uint32_t b, enum shape shape)
{
	static struct memmap m;
	uint64_t a0 = 0x1000, a1, b0, b1;
	struct exp_entry exp[4];
	uint32_t n = 0;
	uint32_t w = winner(a, b), ca = canon_type(a), cb = canon_type(b);

	switch (shape) {
	case PARTIAL:
		a1 = 0x3000, b0 = 0x2000, b1 = 0x4000;
		exp_push(exp, &n, 0x1000, 0x2000, ca);
		exp_push(exp, &n, 0x2000, 0x3000, w);
		exp_push(exp, &n, 0x3000, 0x4000, cb);
		break;
	case NESTED:
		a1 = 0x4000, b0 = 0x2000, b1 = 0x3000;
		exp_push(exp, &n, 0x1000, 0x2000, ca);
		exp_push(exp, &n, 0x2000, 0x3000, w);
		exp_push(exp, &n, 0x3000, 0x4000, ca);
		break;
	case IDENTICAL:
		a1 = 0x2000, b0 = 0x1000, b1 = 0x2000;
		exp_push(exp, &n, 0x1000, 0x2000, w);
		break;
	default: /* ADJACENT */
		a1 = 0x2000, b0 = 0x2000, b1 = 0x3000;
		exp_push(exp, &n, 0x1000, 0x2000, ca);
		exp_push(exp, &n, 0x2000, 0x3000, cb);
		break;
	}
	enum memmap_err want =
		exp_has_ram(exp, n) ? MEMMAP_OK : MEMMAP_E_NO_RAM;

	for (int order = 0; order < 2; order++) {
		memmap_init(&m);
		if (order == 0) {
			add_ok(&m, a0, a1 - a0, a);
			add_ok(&m, b0, b1 - b0, b);
		} else {
			add_ok(&m, b0, b1 - b0, b);
			add_ok(&m, a0, a1 - a0, a);
		}
		ck_assert_msg(memmap_normalise(&m) == want,
			      "types %u/%u shape %d order %d: wrong result", a,
			      b, shape, order);
		check_map(&m, exp, n);
	}
}

START_TEST(test_norm_every_pair)
{
	/* Every ordered pair of known types, plus two unknown types. */
	static const uint32_t types[] = { 1, 2, 3, 4, 5, 6, 7, 0, 42 };
	size_t nt = sizeof(types) / sizeof(types[0]);

	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < nt; j++)
			for (int s = PARTIAL; s <= ADJACENT; s++)
				check_pair(types[i], types[j], (enum shape)s);
}
END_TEST

START_TEST(test_norm_rank_order)
{
	/* Stacked identical ranges: the most restrictive type always wins. */
	static const uint32_t order[] = { MEMMAP_RAM,	   MEMMAP_ACPI,
					  MEMMAP_NVS,	   MEMMAP_PMEM,
					  MEMMAP_RESERVED, MEMMAP_UNUSABLE,
					  MEMMAP_DISABLED };
	static struct memmap m;

	for (size_t top = 1; top < 7; top++) {
		memmap_init(&m);
		add_ok(&m, 0, 0x1000, MEMMAP_RAM); /* keep some RAM */
		for (size_t k = 0; k <= top; k++)
			add_ok(&m, 0x1000, 0x1000,
			       order[(k + top / 2) % (top + 1)]);
		ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
		ck_assert_uint_eq(m.n, 2);
		ck_assert_uint_eq(m.e[1].type, order[top]);
	}
}
END_TEST

START_TEST(test_norm_unknown_types)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0, 0x10000, MEMMAP_RAM);
	add_ok(&m, 0x10000, 0x1000, 0);
	add_ok(&m, 0x11000, 0x1000, 8);
	add_ok(&m, 0x12000, 0x1000, MEMMAP_RESERVED);
	add_ok(&m, 0x13000, 0x1000, UINT32_MAX);
	/* Unknown beats RAM and ACPI, loses to UNUSABLE. */
	add_ok(&m, 0x20000, 0x2000, 0xe0000001u);
	add_ok(&m, 0x21000, 0x2000, MEMMAP_ACPI);
	add_ok(&m, 0x30000, 0x2000, 12);
	add_ok(&m, 0x31000, 0x2000, MEMMAP_UNUSABLE);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0, 0x10000, MEMMAP_RAM },
		{ 0x10000, 0x4000, MEMMAP_RESERVED },
		{ 0x20000, 0x2000, MEMMAP_RESERVED },
		{ 0x22000, 0x1000, MEMMAP_ACPI },
		{ 0x30000, 0x1000, MEMMAP_RESERVED },
		{ 0x31000, 0x2000, MEMMAP_UNUSABLE },
	};
	check_map(&m, exp, 6);
}
END_TEST

START_TEST(test_norm_zero_sizes)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0x5000, 0, MEMMAP_DISABLED);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x1800, 0, MEMMAP_RESERVED); /* inside RAM: no split */
	add_ok(&m, 0x2000, 0, MEMMAP_RESERVED); /* at the end: no effect */
	add_ok(&m, 0x2000, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0x1000, 0x2000, MEMMAP_RAM },
	};
	check_map(&m, exp, 1);

	/* Nothing but zero sizes: an empty map without RAM. */
	memmap_init(&m);
	add_ok(&m, 0x1000, 0, MEMMAP_RAM);
	add_ok(&m, 0, 0, MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_NO_RAM);
	ck_assert_uint_eq(m.n, 0);

	memmap_init(&m);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_NO_RAM);
	ck_assert_uint_eq(m.n, 0);
}
END_TEST

START_TEST(test_norm_no_ram)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0, 0x1000, MEMMAP_RESERVED);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_ACPI);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_NO_RAM);
	ck_assert_uint_eq(m.n, 2); /* still normalised */
	ck_assert_uint_eq(memmap_ram_total(&m), 0);
	ck_assert_uint_eq(memmap_ram_top(&m), 0);

	/* RAM wholly covered by stronger types is gone. */
	memmap_init(&m);
	add_ok(&m, 0x1000, 0x2000, MEMMAP_RAM);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_NVS);
	add_ok(&m, 0x2000, 0x1000, MEMMAP_PMEM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_NO_RAM);
	static const struct exp_entry exp[] = {
		{ 0x1000, 0x1000, MEMMAP_NVS },
		{ 0x2000, 0x1000, MEMMAP_PMEM },
	};
	check_map(&m, exp, 2);
}
END_TEST

START_TEST(test_norm_top_of_space)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0, UINT64_MAX, MEMMAP_RAM); /* every representable byte */
	add_ok(&m, UINT64_MAX - 0x1000, 0x1000, MEMMAP_RESERVED);
	add_ok(&m, 0, 0x1000, MEMMAP_UNUSABLE);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0, 0x1000, MEMMAP_UNUSABLE },
		{ 0x1000, UINT64_MAX - 0x2000, MEMMAP_RAM },
		{ UINT64_MAX - 0x1000, 0x1000, MEMMAP_RESERVED },
	};
	check_map(&m, exp, 3);
	ck_assert_uint_eq(memmap_ram_top(&m), UINT64_MAX - 0x1000);
	ck_assert_uint_eq(memmap_ram_total(&m), UINT64_MAX - 0x2000);
}
END_TEST

START_TEST(test_norm_wrap_direct)
{
	/* Entries written without memmap_add are checked as well. */
	static struct memmap m, before;
	memmap_init(&m);
	add_ok(&m, 0, 0x1000, MEMMAP_RAM);
	m.e[m.n++] = (struct memmap_entry){ UINT64_MAX - 0xfff, 0x1000,
					    MEMMAP_RESERVED, 0 };
	memcpy(&before, &m, sizeof(m));
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_WRAP);
	ck_assert_mem_eq(&m, &before, sizeof(m));

	m.e[1].addr = 0x8000;
	m.e[1].size = UINT64_MAX;
	memcpy(&before, &m, sizeof(m));
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_WRAP);
	ck_assert_mem_eq(&m, &before, sizeof(m));
}
END_TEST

/* One RAM range with k separate reserved holes punched into it. */
static void build_holes(struct memmap *m, uint32_t k)
{
	memmap_init(m);
	add_ok(m, 0, (uint64_t)(2 * k + 1) * 0x1000, MEMMAP_RAM);
	for (uint32_t i = 0; i < k; i++)
		add_ok(m, (uint64_t)(2 * i + 1) * 0x1000, 0x1000,
		       MEMMAP_RESERVED);
}

START_TEST(test_norm_full)
{
	static struct memmap m, before;

	/* 255 holes: 511 entries, plus one more elsewhere: exactly 512. */
	build_holes(&m, 255);
	add_ok(&m, GiB(1), 0x1000, MEMMAP_ACPI);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_uint_eq(m.n, MEMMAP_MAX);
	check_canonical(&m);

	/* 256 holes need 513 entries: FULL, and m is left as it was. */
	build_holes(&m, 256);
	memcpy(&before, &m, sizeof(m));
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_FULL);
	ck_assert_mem_eq(&m, &before, sizeof(m));

	/* The worst case: a full input map that would need 1023 entries. */
	build_holes(&m, MEMMAP_MAX - 1);
	ck_assert_uint_eq(m.n, MEMMAP_MAX);
	memcpy(&before, &m, sizeof(m));
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_E_FULL);
	ck_assert_mem_eq(&m, &before, sizeof(m));
}
END_TEST

START_TEST(test_norm_full_input_merges)
{
	/* A full input map whose entries all merge into one. */
	static struct memmap m;
	memmap_init(&m);
	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		add_ok(&m, (uint64_t)(MEMMAP_MAX - 1 - i) * 0x1000, 0x1800,
		       MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	static const struct exp_entry exp[] = {
		{ 0, (uint64_t)MEMMAP_MAX * 0x1000 + 0x800, MEMMAP_RAM },
	};
	check_map(&m, exp, 1);
}
END_TEST

START_TEST(test_norm_idempotent)
{
	static struct memmap m, once;
	memmap_init(&m);
	add_ok(&m, 0, GiB(2), MEMMAP_RAM);
	add_ok(&m, MiB(1), MiB(2), MEMMAP_ACPI);
	add_ok(&m, MiB(2), MiB(2), MEMMAP_NVS);
	add_ok(&m, GiB(1), GiB(2), 77);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	memcpy(&once, &m, sizeof(m));
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_uint_eq(m.n, once.n);
	ck_assert_mem_eq(m.e, once.e, m.n * sizeof(m.e[0]));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Property test: random maps against a brute-force reference           */
/* ------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The type of byte x under the input entries, by brute force; 0 = hole. */
static uint32_t ref_type_at(const struct memmap_entry *in, uint32_t n,
			    uint64_t x)
{
	uint32_t best = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (in[i].size == 0 || x < in[i].addr ||
		    x - in[i].addr >= in[i].size)
			continue;
		uint32_t t = canon_type(in[i].type);
		if (best == 0 || rank_of(t) > rank_of(best))
			best = t;
	}
	return best;
}

/* The type of byte x in a normalised map (linear search); 0 = hole. */
static uint32_t map_type_at(const struct memmap *m, uint64_t x)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (x >= m->e[i].addr && x - m->e[i].addr < m->e[i].size)
			return m->e[i].type;
	return 0;
}

static bool is_boundary(const uint64_t *b, size_t nb, uint64_t x)
{
	return bsearch(&x, b, nb, sizeof(*b), cmp_u64) != NULL;
}

static void random_entry(struct memmap *m)
{
	uint64_t addr, size;
	uint64_t kind = rng_below(10);

	if (kind < 7) {
		/* Small, dense coordinates: lots of overlaps and contact. */
		addr = rng_below(32) * 0x1000;
		size = rng_below(12) * 0x1000;
		if (rng_below(8) == 0)
			size += rng_below(0x1000);
	} else if (kind < 9) {
		addr = rng();
		size = rng_below(UINT64_MAX - addr + 1);
		if (size > 0 && rng_below(2)) {
			size >>= rng_below(64);
			if (size == 0)
				size = 1;
		}
	} else {
		/* Right below the top of the address space. */
		addr = UINT64_MAX - rng_below(0x4000) - 1;
		size = rng_below(UINT64_MAX - addr + 1);
	}
	uint32_t type;
	uint64_t t = rng_below(20);
	if (t < 8)
		type = MEMMAP_RAM;
	else if (t < 18)
		type = (uint32_t)rng_below(8); /* 0..7, 0 unknown */
	else
		type = (uint32_t)rng();
	add_ok(m, addr, size, type);
}

START_TEST(test_norm_property)
{
	static struct memmap m, in;
	static uint64_t bound[2 * MEMMAP_MAX];

	rng_seed(0x6d656d6d6170ull);
	for (int iter = 0; iter < 1000; iter++) {
		memmap_init(&m);
		uint32_t n = (uint32_t)rng_below(48);
		for (uint32_t i = 0; i < n; i++)
			random_entry(&m);
		memcpy(&in, &m, sizeof(m));

		/* The boundaries of the input, sorted, without duplicates. */
		size_t nb = 0;
		for (uint32_t i = 0; i < in.n; i++) {
			if (in.e[i].size == 0)
				continue;
			bound[nb++] = in.e[i].addr;
			bound[nb++] = in.e[i].addr + in.e[i].size;
		}
		qsort(bound, nb, sizeof(bound[0]), cmp_u64);
		size_t u = 0;
		for (size_t i = 0; i < nb; i++)
			if (u == 0 || bound[u - 1] != bound[i])
				bound[u++] = bound[i];
		nb = u;

		enum memmap_err err = memmap_normalise(&m);
		ck_assert(err == MEMMAP_OK || err == MEMMAP_E_NO_RAM);
		check_canonical(&m);

		/* Every output boundary is an input boundary ... */
		for (uint32_t i = 0; i < m.n; i++) {
			ck_assert(is_boundary(bound, nb, m.e[i].addr));
			ck_assert(is_boundary(bound, nb,
					      m.e[i].addr + m.e[i].size));
		}
		/*
		 * ... so each elementary interval between two consecutive
		 * input boundaries has one type in the output, and checking
		 * its first byte is enough.
		 */
		uint64_t ram_total = 0, ram_top = 0;
		bool any_ram = false;
		for (size_t k = 0; k + 1 < nb; k++) {
			uint32_t want = ref_type_at(in.e, in.n, bound[k]);
			uint32_t got = map_type_at(&m, bound[k]);
			ck_assert_msg(want == got,
				      "iter %d: byte %#llx has type %u, want "
				      "%u",
				      iter, (unsigned long long)bound[k], got,
				      want);
			if (want == MEMMAP_RAM) {
				any_ram = true;
				ram_total += bound[k + 1] - bound[k];
				ram_top = bound[k + 1];
			}
		}
		ck_assert_int_eq(err, any_ram ? MEMMAP_OK : MEMMAP_E_NO_RAM);
		ck_assert_uint_eq(memmap_ram_total(&m), ram_total);
		ck_assert_uint_eq(memmap_ram_top(&m), ram_top);

		/* is_ram between random pairs of boundaries. */
		for (int q = 0; q < 8 && nb >= 2; q++) {
			size_t i = rng_below(nb - 1);
			size_t j = i + 1 + rng_below(nb - 1 - i);
			bool want = true;
			for (size_t k = i; k < j; k++)
				if (ref_type_at(in.e, in.n, bound[k]) !=
				    MEMMAP_RAM)
					want = false;
			ck_assert(memmap_is_ram(&m, bound[i],
						bound[j] - bound[i]) == want);
		}

		/* Normalising again changes nothing. */
		memcpy(&in, &m, sizeof(m));
		ck_assert_int_eq(memmap_normalise(&m), err);
		ck_assert_uint_eq(m.n, in.n);
		ck_assert_mem_eq(m.e, in.e, m.n * sizeof(m.e[0]));
	}
}
END_TEST

/* A random map already in address order without overlaps: gaps, touching
 * neighbours of one type, empty entries and unknown types. */
static void random_in_order(struct memmap *m, uint32_t n)
{
	uint64_t at = rng_below(4) * 0x1000;
	memmap_init(m);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t size = rng_below(5) ? (1 + rng_below(8)) * 0x1000 : 0;
		uint32_t type =
			rng_below(3) ? MEMMAP_RAM : (uint32_t)rng_below(10);
		add_ok(m, at, size, type);
		at += size + (rng_below(3) ? 0 : rng_below(4) * 0x1000);
	}
}

START_TEST(test_norm_in_order)
{
	static struct memmap m, rev;

	rng_seed(0x696e6f72646572ull);
	for (int iter = 0; iter < 2000; iter++) {
		random_in_order(&m, (uint32_t)rng_below(24));
		/* The same entries backwards: out of order, so normalise
		 * sorts and sweeps them. Both ways must agree. */
		memmap_init(&rev);
		for (uint32_t i = m.n; i-- > 0;)
			add_ok(&rev, m.e[i].addr, m.e[i].size, m.e[i].type);
		enum memmap_err want = memmap_normalise(&rev);
		ck_assert_int_eq(memmap_normalise(&m), want);
		check_canonical(&m);
		ck_assert_uint_eq(m.n, rev.n);
		ck_assert_mem_eq(m.e, rev.e, m.n * sizeof(m.e[0]));
	}
}
END_TEST

START_TEST(test_reserve_inside_ram)
{
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0, 0x9fc00, MEMMAP_RAM);
	add_ok(&m, 0x9fc00, 0x400, MEMMAP_RESERVED);
	add_ok(&m, MiB(1), MiB(255), MEMMAP_RAM);
	add_ok(&m, GiB(4), GiB(1), MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_int_eq(memmap_reserve(&m, MiB(200), KiB(76)), MEMMAP_OK);
	const struct exp_entry exp[] = {
		{ 0, 0x9fc00, MEMMAP_RAM },
		{ 0x9fc00, 0x400, MEMMAP_RESERVED },
		{ MiB(1), MiB(199), MEMMAP_RAM },
		{ MiB(200), KiB(76), MEMMAP_RESERVED },
		{ MiB(200) + KiB(76), MiB(56) - KiB(76), MEMMAP_RAM },
		{ GiB(4), GiB(1), MEMMAP_RAM },
	};
	check_map(&m, exp, 6);
}
END_TEST

/* memmap_reserve against memmap_add + memmap_normalise: ranges inside RAM,
 * at its edges, over holes and other types, empty and wrapping. */
START_TEST(test_reserve_property)
{
	static struct memmap m, want;

	rng_seed(0x72657365727665ull);
	for (int iter = 0; iter < 2000; iter++) {
		random_in_order(&m, 1 + (uint32_t)rng_below(12));
		if (memmap_normalise(&m) != MEMMAP_OK)
			continue;
		uint64_t addr, size;
		if (rng_below(8)) {
			const struct memmap_entry *e = &m.e[rng_below(m.n)];
			/* Page steps half the time, so that ranges often
			 * meet the ends of entries exactly. */
			uint64_t step = rng_below(2) ? 0x1000 : 1;
			addr = e->addr +
			       rng_below(e->size / step + 0x2000 / step) * step;
			size = rng_below(0x3000 / step) * step;
		} else {
			addr = rng_below(3) ? rng() : UINT64_MAX - 0x800;
			size = rng_below(0x1000);
		}
		memmap_copy(&want, &m);
		enum memmap_err err =
			memmap_add(&want, addr, size, MEMMAP_RESERVED);
		if (!err)
			err = memmap_normalise(&want);
		ck_assert_int_eq(memmap_reserve(&m, addr, size), err);
		if (err)
			continue;
		ck_assert_uint_eq(m.n, want.n);
		ck_assert_mem_eq(m.e, want.e, m.n * sizeof(m.e[0]));
	}
}
END_TEST

START_TEST(test_reserve_full)
{
	static struct memmap m, want;
	memmap_init(&m);
	/* MEMMAP_MAX - 1 entries: a split needs two more, so the range
	 * takes the general way and its error. */
	for (uint32_t i = 0; i < MEMMAP_MAX - 1; i++)
		add_ok(&m, i * 0x2000, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	memmap_copy(&want, &m);
	ck_assert_int_eq(memmap_reserve(&m, 0x10400, 0x100), MEMMAP_E_FULL);
	/* A refused reserve leaves the map as it was: the same entries, and
	 * not the one it appended on the way. */
	ck_assert_uint_eq(m.n, want.n);
	ck_assert_mem_eq(m.e, want.e, want.n * sizeof(want.e[0]));
	/* One entry fewer: the split fits (n + 2 = MEMMAP_MAX). */
	memmap_copy(&m, &want);
	m.n--;
	ck_assert_int_eq(memmap_reserve(&m, 0x10400, 0x100), MEMMAP_OK);
	ck_assert_uint_eq(m.n, MEMMAP_MAX);
	check_canonical(&m);
}
END_TEST

START_TEST(test_copy)
{
	static struct memmap a, b;
	memmap_init(&a);
	add_ok(&a, 0, 0x1000, MEMMAP_RAM);
	add_ok(&a, 0x1000, 0x1000, MEMMAP_ACPI);
	memset(&b, 0xA5, sizeof(b));
	memmap_copy(&b, &a);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_mem_eq(b.e, a.e, 2 * sizeof(a.e[0]));
	/* Only the entries in use are copied. */
	ck_assert_uint_eq(b.e[2].addr, 0xA5A5A5A5A5A5A5A5ull);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Queries                                                              */
/* ------------------------------------------------------------------ */

/* A PC-like map used by the query and allocator tests. */
static void build_pc(struct memmap *m)
{
	memmap_init(m);
	add_ok(m, 0, 0x9fc00, MEMMAP_RAM);
	add_ok(m, 0x9fc00, 0x400, MEMMAP_RESERVED);
	add_ok(m, 0xf0000, 0x10000, MEMMAP_RESERVED);
	add_ok(m, MiB(1), GiB(3) - MiB(1), MEMMAP_RAM);
	add_ok(m, 0xfec00000, 0x1000, MEMMAP_RESERVED);
	add_ok(m, GiB(4), GiB(4), MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(m), MEMMAP_OK);
	ck_assert_uint_eq(m->n, 6);
}

START_TEST(test_ram_total_top)
{
	static struct memmap m;
	memmap_init(&m);
	ck_assert_uint_eq(memmap_ram_total(&m), 0);
	ck_assert_uint_eq(memmap_ram_top(&m), 0);

	build_pc(&m);
	ck_assert_uint_eq(memmap_ram_total(&m),
			  0x9fc00 + GiB(3) - MiB(1) + GiB(4));
	ck_assert_uint_eq(memmap_ram_top(&m), GiB(8));

	/* The highest entry is not RAM: the top is the highest RAM's end. */
	add_ok(&m, GiB(16), GiB(1), MEMMAP_RESERVED);
	add_ok(&m, GiB(7), GiB(1), MEMMAP_PMEM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_uint_eq(memmap_ram_top(&m), GiB(7));
	ck_assert_uint_eq(memmap_ram_total(&m),
			  0x9fc00 + GiB(3) - MiB(1) + GiB(3));
}
END_TEST

START_TEST(test_is_ram)
{
	static struct memmap m;
	build_pc(&m);

	ck_assert(memmap_is_ram(&m, 0, 0x9fc00));
	ck_assert(memmap_is_ram(&m, 0x1000, 0x1000));
	ck_assert(!memmap_is_ram(&m, 0, 0x9fc01));
	ck_assert(!memmap_is_ram(&m, 0x9fc00, 1));
	ck_assert(!memmap_is_ram(&m, 0xa0000, 0x1000)); /* a hole */
	ck_assert(!memmap_is_ram(&m, 0x9f000, MiB(2))); /* across holes */
	ck_assert(memmap_is_ram(&m, MiB(1), GiB(3) - MiB(1)));
	ck_assert(memmap_is_ram(&m, GiB(3) - 1, 1));
	ck_assert(!memmap_is_ram(&m, GiB(3) - 1, 2));
	ck_assert(!memmap_is_ram(&m, GiB(3), 1));
	ck_assert(memmap_is_ram(&m, GiB(4), GiB(4)));
	ck_assert(!memmap_is_ram(&m, GiB(4) - 1, 2));
	ck_assert(!memmap_is_ram(&m, GiB(8), 1));
	ck_assert(!memmap_is_ram(&m, GiB(8) - 1, 2));
	ck_assert(!memmap_is_ram(&m, UINT64_MAX, 1));
	/* size 0 is true anywhere; a wrapping range is false. */
	ck_assert(memmap_is_ram(&m, 0xa0000, 0));
	ck_assert(memmap_is_ram(&m, UINT64_MAX, 0));
	ck_assert(!memmap_is_ram(&m, GiB(5), UINT64_MAX));
	ck_assert(!memmap_is_ram(&m, 0, UINT64_MAX));

	/* RAM entries given adjacent were merged: one range spans them. */
	memmap_init(&m);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x2000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x3000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x5000, 0x1000, MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_uint_eq(m.n, 2);
	ck_assert(memmap_is_ram(&m, 0x1800, 0x2000));
	ck_assert(memmap_is_ram(&m, 0x1000, 0x3000));
	ck_assert(!memmap_is_ram(&m, 0x1000, 0x3001));
	ck_assert(!memmap_is_ram(&m, 0x3000, 0x3000)); /* across the hole */
	ck_assert(!memmap_is_ram(&m, 0, 0x1001));

	/* Empty map: nothing is RAM, but size 0 still is. */
	memmap_init(&m);
	ck_assert(!memmap_is_ram(&m, 0, 1));
	ck_assert(memmap_is_ram(&m, 0, 0));
}
END_TEST

START_TEST(test_is_ram_unmerged)
{
	/* Sorted but not merged (built by hand): still handled. */
	static struct memmap m;
	memmap_init(&m);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x2000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x3000, 0x1000, MEMMAP_ACPI);
	ck_assert(memmap_is_ram(&m, 0x1800, 0x1000));
	ck_assert(memmap_is_ram(&m, 0x1000, 0x2000));
	ck_assert(!memmap_is_ram(&m, 0x1000, 0x2001));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Busy ranges                                                          */
/* ------------------------------------------------------------------ */

static const char img[] = "firmware image";
static const char mod[] = "module";
static const char seg[] = "segment";

START_TEST(test_busy_add_overlap)
{
	static struct memmap_busy b;
	memmap_busy_init(&b);
	ck_assert_uint_eq(b.n, 0);
	ck_assert_ptr_null(memmap_busy_overlap(&b, 0, UINT64_MAX));

	ck_assert_int_eq(memmap_busy_add(&b, 0x100000, 0x10000, img),
			 MEMMAP_OK);
	ck_assert_int_eq(memmap_busy_add(&b, 0x200000, 0x1000, mod), MEMMAP_OK);
	ck_assert_uint_eq(b.n, 2);
	ck_assert_uint_eq(b.r[0].start, 0x100000);
	ck_assert_uint_eq(b.r[0].end, 0x110000);
	ck_assert_ptr_eq(b.r[0].what, img);

	const struct memmap_busy_range *r;
	r = memmap_busy_overlap(&b, 0x10f000, 0x1000);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_eq(r->what, img);
	ck_assert_ptr_null(memmap_busy_overlap(&b, 0x110000, 0x1000));
	ck_assert_ptr_null(memmap_busy_overlap(&b, 0xff000, 0x1000));
	ck_assert_ptr_nonnull(memmap_busy_overlap(&b, 0xff000, 0x1001));
	ck_assert_ptr_eq(memmap_busy_overlap(&b, 0x1fffff, 2)->what, mod);
	/* A range covering both reports the first one added. */
	ck_assert_ptr_eq(memmap_busy_overlap(&b, 0, GiB(1))->what, img);
	/* size 0 never overlaps, even inside a busy range. */
	ck_assert_ptr_null(memmap_busy_overlap(&b, 0x100800, 0));
	/* A query running past 2^64 still finds what lies in it. */
	ck_assert_ptr_nonnull(memmap_busy_overlap(&b, 0x200000, UINT64_MAX));
	ck_assert_ptr_null(memmap_busy_overlap(&b, 0x201000, UINT64_MAX));

	/* Overlapping busy ranges are allowed. */
	ck_assert_int_eq(memmap_busy_add(&b, 0x108000, 0x100000, seg),
			 MEMMAP_OK);
	ck_assert_ptr_eq(memmap_busy_overlap(&b, 0x110000, 1)->what, seg);

	/* size 0 adds nothing; wrapping (or ending at 2^64) is an error. */
	ck_assert_int_eq(memmap_busy_add(&b, 0x300000, 0, seg), MEMMAP_OK);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_int_eq(memmap_busy_add(&b, UINT64_MAX - 0xfff, 0x1000, seg),
			 MEMMAP_E_WRAP);
	ck_assert_int_eq(memmap_busy_add(&b, 0x1000, UINT64_MAX, seg),
			 MEMMAP_E_WRAP);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_int_eq(memmap_busy_add(&b, UINT64_MAX - 0x1000, 0x1000, seg),
			 MEMMAP_OK);
	ck_assert_ptr_nonnull(memmap_busy_overlap(&b, UINT64_MAX - 1, 1));
	ck_assert_ptr_null(memmap_busy_overlap(&b, UINT64_MAX, 1));
}
END_TEST

START_TEST(test_busy_remove)
{
	static struct memmap_busy b;
	/* Same text, different pointer: removal goes by pointer. */
	static const char mod2[] = "module";

	memmap_busy_init(&b);
	memmap_busy_add(&b, 0x1000, 0x1000, img);
	memmap_busy_add(&b, 0x3000, 0x1000, mod);
	memmap_busy_add(&b, 0x5000, 0x1000, mod2);
	memmap_busy_add(&b, 0x7000, 0x1000, mod);
	memmap_busy_add(&b, 0x9000, 0x1000, seg);
	memmap_busy_remove(&b, mod);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_ptr_eq(b.r[0].what, img);
	ck_assert_ptr_eq(b.r[1].what, mod2);
	ck_assert_ptr_eq(b.r[2].what, seg);
	ck_assert_uint_eq(b.r[2].start, 0x9000);
	ck_assert_ptr_null(memmap_busy_overlap(&b, 0x3000, 0x1000));
	ck_assert_ptr_nonnull(memmap_busy_overlap(&b, 0x5000, 0x1000));

	memmap_busy_remove(&b, "not there");
	ck_assert_uint_eq(b.n, 3);
	memmap_busy_remove(&b, img);
	memmap_busy_remove(&b, mod2);
	memmap_busy_remove(&b, seg);
	ck_assert_uint_eq(b.n, 0);
}
END_TEST

START_TEST(test_busy_full)
{
	static struct memmap_busy b;
	memmap_busy_init(&b);
	for (uint32_t i = 0; i < MEMMAP_BUSY_MAX; i++)
		ck_assert_int_eq(memmap_busy_add(&b, i * 0x1000ull, 0x10, mod),
				 MEMMAP_OK);
	ck_assert_int_eq(memmap_busy_add(&b, GiB(1), 0x10, mod),
			 MEMMAP_E_BUSY_FULL);
	ck_assert_uint_eq(b.n, MEMMAP_BUSY_MAX);
	/* Removing makes room again. */
	memmap_busy_remove(&b, mod);
	ck_assert_int_eq(memmap_busy_add(&b, GiB(1), 0x10, mod), MEMMAP_OK);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Allocation                                                           */
/* ------------------------------------------------------------------ */

static uint64_t alloc_ok(const struct memmap *m, struct memmap_busy *b,
			 uint64_t size, uint64_t align, uint64_t min,
			 uint64_t max_end, const char *what)
{
	uint64_t a = 0xdeadbeef;
	uint32_t n = b->n;
	ck_assert_int_eq(
		memmap_alloc(m, b, size, align, min, max_end, what, &a),
		MEMMAP_OK);
	/* The result is recorded as busy. */
	ck_assert_uint_eq(b->n, n + 1);
	ck_assert_uint_eq(b->r[n].start, a);
	ck_assert_uint_eq(b->r[n].end, a + size);
	ck_assert_ptr_eq(b->r[n].what, what);
	ck_assert(memmap_is_ram(m, a, size));
	return a;
}

static void alloc_fails(const struct memmap *m, struct memmap_busy *b,
			uint64_t size, uint64_t align, uint64_t min,
			uint64_t max_end, enum memmap_err want)
{
	uint64_t a = 0xdeadbeef;
	uint32_t n = b->n;
	ck_assert_int_eq(memmap_alloc(m, b, size, align, min, max_end, seg, &a),
			 want);
	ck_assert_uint_eq(a, 0xdeadbeef);
	ck_assert_uint_eq(b->n, n);
}

START_TEST(test_alloc_top_down)
{
	static struct memmap m;
	static struct memmap_busy b;
	build_pc(&m);
	memmap_busy_init(&b);

	/* 64 KiB aligned 4 KiB below 4 GiB: the top of low RAM, then down. */
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  GiB(3) - KiB(64));
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  GiB(3) - KiB(128));
	/* 2 MiB alignment rounds down. */
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), MiB(2), 0, GiB(4), seg),
			  GiB(3) - MiB(2));
	/* No upper limit: the top of all RAM. */
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x1234, 1, 0, UINT64_MAX, seg),
			  GiB(8) - 0x1234);
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x10, 0x10, 0, UINT64_MAX, seg),
			  GiB(8) - 0x1250);
	/* No two allocations overlap. */
	for (uint32_t i = 0; i < b.n; i++)
		for (uint32_t j = i + 1; j < b.n; j++)
			ck_assert(b.r[i].end <= b.r[j].start ||
				  b.r[j].end <= b.r[i].start);
}
END_TEST

/* memmap_alloc_low: the same rules, the lowest slot. */
START_TEST(test_alloc_low)
{
	static struct memmap m;
	static struct memmap_busy b;
	uint64_t a = 0;
	build_pc(&m);
	memmap_busy_init(&b);

	/* From 0: the bottom of low RAM, then up past what is busy. */
	ck_assert_int_eq(
		memmap_alloc_low(&m, &b, KiB(4), KiB(4), 0, GiB(4), seg, &a),
		MEMMAP_OK);
	ck_assert_uint_eq(a, 0);
	ck_assert_int_eq(memmap_busy_add(&b, KiB(4), KiB(60), mod), MEMMAP_OK);
	ck_assert_int_eq(
		memmap_alloc_low(&m, &b, KiB(8), KiB(4), 0, GiB(4), seg, &a),
		MEMMAP_OK);
	ck_assert_uint_eq(a, KiB(64));
	/* Too big for the RAM below 640 KiB: the run at 1 MiB, aligned up
	 * from min. */
	ck_assert_int_eq(memmap_alloc_low(&m, &b, MiB(1), MiB(2), 0x123, GiB(4),
					  seg, &a),
			 MEMMAP_OK);
	ck_assert_uint_eq(a, MiB(2));
	/* Above low RAM's end (min): the RAM at 4 GiB. */
	ck_assert_int_eq(memmap_alloc_low(&m, &b, 0x10, 1, GiB(3) - 8,
					  UINT64_MAX, seg, &a),
			 MEMMAP_OK);
	ck_assert_uint_eq(a, GiB(4));
	/* max_end bounds the slot's end, as for memmap_alloc. */
	ck_assert_int_eq(memmap_alloc_low(&m, &b, 0x10, 1, GiB(4),
					  GiB(4) + 0x1f, seg, &a),
			 MEMMAP_E_NO_SPACE);
	for (uint32_t i = 0; i < b.n; i++)
		for (uint32_t j = i + 1; j < b.n; j++)
			ck_assert(b.r[i].end <= b.r[j].start ||
				  b.r[j].end <= b.r[i].start);
}
END_TEST

START_TEST(test_alloc_alignment)
{
	static struct memmap m;
	static struct memmap_busy b;
	memmap_init(&m);
	add_ok(&m, 0x1100, 0xe00, MEMMAP_RAM);	    /* [0x1100, 0x1f00) */
	add_ok(&m, 0x100000, 0x7fe123, MEMMAP_RAM); /* unaligned end */
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	memmap_busy_init(&b);

	ck_assert_uint_eq(alloc_ok(&m, &b, 0x1000, 0x1000, 0, GiB(1), seg),
			  0x8fd000);
	/* Byte alignment uses the unaligned tail above it. */
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x123, 1, 0, GiB(1), seg), 0x8fe000);
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x124, 1, 0, GiB(1), seg),
			  0x8fd000 - 0x124);
	/* The small run holds no 4 KiB-aligned slot of any size. */
	alloc_fails(&m, &b, 0x100, 0x1000, 0, 0x2000, MEMMAP_E_NO_SPACE);
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x100, 0x100, 0, 0x2000, seg),
			  0x1e00);
	/* Alignment larger than any address below the limit but 0. */
	alloc_fails(&m, &b, 0x10, GiB(1), 0, GiB(1), MEMMAP_E_NO_SPACE);
	/* Invalid alignments. */
	alloc_fails(&m, &b, 0x10, 0, 0, GiB(1), MEMMAP_E_NO_SPACE);
	alloc_fails(&m, &b, 0x10, 0x3000, 0, GiB(1), MEMMAP_E_NO_SPACE);
	/* Huge alignment with RAM at 0 works. */
	memmap_init(&m);
	add_ok(&m, 0, GiB(4), MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	memmap_busy_init(&b);
	ck_assert_uint_eq(
		alloc_ok(&m, &b, 0x10, 1ull << 63, 0, UINT64_MAX, seg), 0);
}
END_TEST

START_TEST(test_alloc_min_max)
{
	static struct memmap m;
	static struct memmap_busy b;
	build_pc(&m);
	memmap_busy_init(&b);

	/* max_end in the middle of a run. */
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x1000, 0x1000, 0, 0x12345678, seg),
			  0x12344000);
	/* min selects the high run. */
	ck_assert_uint_eq(
		alloc_ok(&m, &b, KiB(64), KiB(4), GiB(4), UINT64_MAX, seg),
		GiB(8) - KiB(64));
	/* A window that fits exactly. */
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), GiB(2),
				   GiB(2) + KiB(64), seg),
			  GiB(2));
	/* The slot that fits is below min: nothing. */
	alloc_fails(&m, &b, KiB(64), KiB(4), GiB(2) + 1, GiB(2) + KiB(64),
		    MEMMAP_E_NO_SPACE);
	/* Below 1 MiB: only the low 639 KiB. */
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(4), KiB(4), 0, MiB(1), seg),
			  0x9e000);
	/* Empty or inverted windows. */
	alloc_fails(&m, &b, 1, 1, 0, 0, MEMMAP_E_NO_SPACE);
	alloc_fails(&m, &b, 1, 1, GiB(2), GiB(1), MEMMAP_E_NO_SPACE);
	alloc_fails(&m, &b, 1, 1, GiB(2), GiB(2), MEMMAP_E_NO_SPACE);
	/* A window entirely in a hole or above RAM. */
	alloc_fails(&m, &b, 1, 1, 0xa0000, MiB(1), MEMMAP_E_NO_SPACE);
	alloc_fails(&m, &b, 1, 1, GiB(8), UINT64_MAX, MEMMAP_E_NO_SPACE);
	/* min near the top of the address space does not overflow. */
	alloc_fails(&m, &b, 0x1000, 1, UINT64_MAX - 0x800, UINT64_MAX,
		    MEMMAP_E_NO_SPACE);
}
END_TEST

/*
 * max_end is exclusive: the highest slot below 4 GiB in RAM that runs on
 * past it ends at 2^32 exactly, an end a 32-bit field cannot hold (a
 * Multiboot module's mod_end). load.c asks with max_end 4 GiB - 1.
 */
START_TEST(test_alloc_end_at_4g)
{
	static struct memmap m;
	static struct memmap_busy b;
	memmap_init(&m);
	add_ok(&m, GiB(3), GiB(2), MEMMAP_RAM);
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	memmap_busy_init(&b);
	uint64_t a = alloc_ok(&m, &b, KiB(8), KiB(4), MiB(1), GiB(4), seg);
	ck_assert_uint_eq(a + KiB(8), GiB(4));
	a = alloc_ok(&m, &b, KiB(8), KiB(4), MiB(1), GiB(4) - 1, seg);
	ck_assert_uint_eq(a, GiB(4) - KiB(16));
	ck_assert_uint_le(a + KiB(8), 0xffffffffu);
	/* Byte-aligned in free RAM: the last byte at 0xfffffffe, so that
	 * the end, 0xffffffff, still fits. */
	memmap_busy_init(&b);
	a = alloc_ok(&m, &b, 1, 1, MiB(1), GiB(4) - 1, seg);
	ck_assert_uint_eq(a, 0xfffffffeu);
}
END_TEST

START_TEST(test_alloc_busy)
{
	static struct memmap m;
	static struct memmap_busy b;
	build_pc(&m);
	const uint64_t top = GiB(3);

	/* A busy range at the top of the run: the slot goes right below. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, top - KiB(32), KiB(32), img);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  top - KiB(96));

	/* A gap exactly the size of the request is found. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, top - MiB(1), MiB(1), img);
	memmap_busy_add(&b, top - MiB(2), MiB(1) - KiB(64), mod);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  top - MiB(1) - KiB(64));
	/* ... and once it is taken, the next slot is below both. */
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  top - MiB(2) - KiB(64));

	/*
	 * A short busy range near the top, and a long one starting far below
	 * that ends just under it: the gap between them is too small, and the
	 * slot must go below the long one.
	 */
	memmap_busy_init(&b);
	memmap_busy_add(&b, top - KiB(32), KiB(4), mod);
	memmap_busy_add(&b, MiB(256), top - KiB(64) - MiB(256), img);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  MiB(256) - KiB(64));

	/* Busy ranges given in any order, overlapping each other. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, top - MiB(3), MiB(2), mod);
	memmap_busy_add(&b, top - MiB(1), MiB(1), img);
	memmap_busy_add(&b, top - MiB(4), MiB(2), seg);
	memmap_busy_add(&b, top - MiB(2), KiB(4), mod);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  top - MiB(4) - KiB(64));

	/* Busy ranges outside RAM do not matter. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, top, GiB(1), img);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(64), KiB(4), 0, GiB(4), seg),
			  top - KiB(64));

	/* Busy ranges that straddle a RAM run's bottom edge. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, MiB(1) - KiB(4), GiB(3), img);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(4), KiB(4), 0, GiB(4), seg),
			  0x9e000);
}
END_TEST

START_TEST(test_alloc_no_space)
{
	static struct memmap m;
	static struct memmap_busy b;
	build_pc(&m);
	memmap_busy_init(&b);

	/* Larger than any run. */
	alloc_fails(&m, &b, GiB(4) + 1, 1, 0, UINT64_MAX, MEMMAP_E_NO_SPACE);
	ck_assert_uint_eq(alloc_ok(&m, &b, GiB(4), 1, 0, UINT64_MAX, seg),
			  GiB(4));
	/* size 0. */
	alloc_fails(&m, &b, 0, 1, 0, UINT64_MAX, MEMMAP_E_NO_SPACE);
	/* Everything busy. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, 0, GiB(16), img);
	alloc_fails(&m, &b, 1, 1, 0, UINT64_MAX, MEMMAP_E_NO_SPACE);
	/* Everything busy except 4 KiB slivers. */
	memmap_busy_init(&b);
	memmap_busy_add(&b, 0, 0x9e000, img);
	memmap_busy_add(&b, MiB(1), GiB(3) - MiB(1) - KiB(4), img);
	memmap_busy_add(&b, GiB(4) + KiB(4), GiB(4) - KiB(4), img);
	alloc_fails(&m, &b, KiB(8), 1, 0, UINT64_MAX, MEMMAP_E_NO_SPACE);
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(4), KiB(4), 0, UINT64_MAX, seg),
			  GiB(4));
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(4), KiB(4), 0, UINT64_MAX, seg),
			  GiB(3) - KiB(4));
	ck_assert_uint_eq(alloc_ok(&m, &b, KiB(1), KiB(1), 0, UINT64_MAX, seg),
			  0x9f800);
	/* No RAM at all. */
	memmap_init(&m);
	memmap_busy_init(&b);
	alloc_fails(&m, &b, 1, 1, 0, UINT64_MAX, MEMMAP_E_NO_SPACE);
}
END_TEST

START_TEST(test_alloc_busy_full)
{
	static struct memmap m;
	static struct memmap_busy b;
	build_pc(&m);
	memmap_busy_init(&b);
	for (uint32_t i = 0; i < MEMMAP_BUSY_MAX - 1; i++)
		memmap_busy_add(&b, GiB(64) + i * 0x1000ull, 0x10, mod);
	alloc_ok(&m, &b, 0x1000, 0x1000, 0, GiB(4), seg);
	alloc_fails(&m, &b, 0x1000, 0x1000, 0, GiB(4), MEMMAP_E_BUSY_FULL);
}
END_TEST

START_TEST(test_alloc_unmerged_run)
{
	/* Contiguous RAM entries not merged (built by hand) form one run. */
	static struct memmap m;
	static struct memmap_busy b;
	memmap_init(&m);
	add_ok(&m, 0x1000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x2000, 0x1000, MEMMAP_RAM);
	add_ok(&m, 0x3000, 0x1000, MEMMAP_RESERVED);
	memmap_busy_init(&b);
	ck_assert_uint_eq(alloc_ok(&m, &b, 0x2000, 0x1000, 0, GiB(1), seg),
			  0x1000);
}
END_TEST

/*
 * Random small maps, busy ranges and requests in [0, 1 KiB), against a
 * search over every aligned address with a byte bitmap of free RAM.
 */
#define SPACE 0x400

START_TEST(test_alloc_property)
{
	static struct memmap m;
	static struct memmap_busy b;
	static uint32_t free_prefix[SPACE + 1];

	rng_seed(0xa110c);
	for (int iter = 0; iter < 1000; iter++) {
		memmap_init(&m);
		uint32_t n = (uint32_t)rng_below(12);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t a = rng_below(SPACE / 0x10) * 0x10;
			uint64_t s = rng_below(SPACE / 0x10 - a / 0x10 + 1);
			uint32_t t = rng_below(2) ? MEMMAP_RAM
						  : (uint32_t)rng_below(9);
			add_ok(&m, a, s * 0x10, t);
		}
		enum memmap_err err = memmap_normalise(&m);
		ck_assert(err == MEMMAP_OK || err == MEMMAP_E_NO_RAM);

		memmap_busy_init(&b);
		/* Mostly a few busy ranges; some lists longer than the
		 * allocator's insertion-sort limit (16), for the heapsort. */
		uint32_t nb = (uint32_t)(rng_below(4) ? rng_below(8)
						      : 17 + rng_below(8));
		for (uint32_t i = 0; i < nb; i++) {
			uint64_t a = rng_below(SPACE);
			uint64_t s = rng_below(SPACE - a + 1);
			ck_assert_int_eq(memmap_busy_add(&b, a, s, mod),
					 MEMMAP_OK);
		}

		free_prefix[0] = 0;
		for (uint64_t x = 0; x < SPACE; x++) {
			bool is_free = map_type_at(&m, x) == MEMMAP_RAM;
			for (uint32_t i = 0; i < b.n; i++)
				if (x >= b.r[i].start && x < b.r[i].end)
					is_free = false;
			free_prefix[x + 1] = free_prefix[x] + is_free;
		}

		uint64_t size = 1 + rng_below(SPACE / 2);
		uint64_t align = 1ull << rng_below(9);
		uint64_t min = rng_below(4) ? rng_below(SPACE) : 0;
		uint64_t max_end =
			rng_below(4) ? rng_below(SPACE + 0x20) : UINT64_MAX;

		/* Brute force: every aligned address, from the top down and
		 * from the bottom up. */
		uint64_t lim = max_end < SPACE ? max_end : SPACE;
		bool found = false;
		uint64_t want = 0, want_low = 0;
		for (uint64_t a = (min + align - 1) & ~(align - 1);
		     lim >= size && a <= lim - size; a += align)
			if (free_prefix[a + size] - free_prefix[a] == size) {
				if (!found)
					want_low = a;
				found = true;
				want = a;
			}

		static struct memmap_busy b_low;
		b_low = b;
		for (int low = 0; low < 2; low++) {
			struct memmap_busy *bb = low ? &b_low : &b;
			uint64_t got = 0xdeadbeef, w = low ? want_low : want;
			uint32_t before = bb->n;
			err = low ? memmap_alloc_low(&m, bb, size, align, min,
						     max_end, seg, &got)
				  : memmap_alloc(&m, bb, size, align, min,
						 max_end, seg, &got);
			if (found) {
				ck_assert_msg(err == MEMMAP_OK && got == w,
					      "iter %d low %d: got err %d at "
					      "%#llx, want %#llx",
					      iter, low, err,
					      (unsigned long long)got,
					      (unsigned long long)w);
				ck_assert_uint_eq(bb->n, before + 1);
				ck_assert_uint_eq(bb->r[before].start, w);
				ck_assert_uint_eq(bb->r[before].end, w + size);
			} else {
				ck_assert_msg(err == MEMMAP_E_NO_SPACE,
					      "iter %d low %d: got err %d at "
					      "%#llx, want no space",
					      iter, low, err,
					      (unsigned long long)got);
				ck_assert_uint_eq(bb->n, before);
			}
		}
	}
}
END_TEST

/*
 * 500 entries (250 RAM runs of 1 GiB each, spread over 2^44 bytes) and 60
 * busy ranges that leave only 4 KiB at the bottom of each of the top 60 RAM
 * runs. A page-by-page search would need hundreds of millions of steps.
 */
START_TEST(test_alloc_perf)
{
	static struct memmap m;
	static struct memmap_busy b, b0;

	memmap_init(&m);
	for (uint64_t k = 0; k < 250; k++) {
		uint64_t base = k << 36;
		add_ok(&m, base, GiB(1), MEMMAP_RAM);
		add_ok(&m, base + GiB(1), GiB(1), MEMMAP_RESERVED);
	}
	ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
	ck_assert_uint_eq(m.n, 500);

	memmap_busy_init(&b0);
	for (uint64_t j = 0; j < 60; j++) {
		uint64_t base = (249 - j) << 36;
		ck_assert_int_eq(memmap_busy_add(&b0, base + KiB(4),
						 GiB(1) - KiB(4), img),
				 MEMMAP_OK);
	}

	for (int rep = 0; rep < 200; rep++) {
		uint64_t a = 0;

		/* The first free run is the 61st from the top. */
		memcpy(&b, &b0, sizeof(b));
		ck_assert_int_eq(memmap_alloc(&m, &b, KiB(64), KiB(4), 0,
					      UINT64_MAX, seg, &a),
				 MEMMAP_OK);
		ck_assert_uint_eq(a, (189ull << 36) + GiB(1) - KiB(64));

		/* 4 KiB fits at the bottom of the top run. */
		memcpy(&b, &b0, sizeof(b));
		ck_assert_int_eq(memmap_alloc(&m, &b, KiB(4), KiB(4), 0,
					      UINT64_MAX, seg, &a),
				 MEMMAP_OK);
		ck_assert_uint_eq(a, 249ull << 36);

		/* Above the 61st run: every run is too full. */
		memcpy(&b, &b0, sizeof(b));
		ck_assert_int_eq(memmap_alloc(&m, &b, KiB(64), KiB(4),
					      190ull << 36, UINT64_MAX, seg,
					      &a),
				 MEMMAP_E_NO_SPACE);

		/* Byte alignment over the whole space, no room anywhere. */
		memcpy(&b, &b0, sizeof(b));
		ck_assert_int_eq(memmap_alloc(&m, &b, GiB(1) + 1, 1, 0,
					      UINT64_MAX, seg, &a),
				 MEMMAP_E_NO_SPACE);
	}

	/* Normalising 500 heavily overlapping entries is quick too. */
	for (int rep = 0; rep < 200; rep++) {
		memmap_init(&m);
		for (uint64_t k = 0; k < 500; k++)
			add_ok(&m, (k * 7919 % 500) << 20, MiB(3),
			       k % 3 ? MEMMAP_RAM : MEMMAP_ACPI);
		ck_assert_int_eq(memmap_normalise(&m), MEMMAP_OK);
		check_canonical(&m);
	}
}
END_TEST

Suite *memmap_suite(void)
{
	Suite *s = suite_create("memmap");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_type_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("add");
	tcase_add_test(tc, test_add_basic);
	tcase_add_test(tc, test_add_wrap);
	tcase_add_test(tc, test_add_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("normalise");
	tcase_add_test(tc, test_norm_sort);
	tcase_add_test(tc, test_norm_merge);
	tcase_add_test(tc, test_norm_reserved_in_ram);
	tcase_add_test(tc, test_norm_every_pair);
	tcase_add_test(tc, test_norm_rank_order);
	tcase_add_test(tc, test_norm_unknown_types);
	tcase_add_test(tc, test_norm_zero_sizes);
	tcase_add_test(tc, test_norm_no_ram);
	tcase_add_test(tc, test_norm_top_of_space);
	tcase_add_test(tc, test_norm_wrap_direct);
	tcase_add_test(tc, test_norm_full);
	tcase_add_test(tc, test_norm_full_input_merges);
	tcase_add_test(tc, test_norm_idempotent);
	tcase_add_test(tc, test_norm_property);
	tcase_add_test(tc, test_norm_in_order);
	tcase_add_test(tc, test_reserve_inside_ram);
	tcase_add_test(tc, test_reserve_property);
	tcase_add_test(tc, test_reserve_full);
	tcase_add_test(tc, test_copy);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("query");
	tcase_add_test(tc, test_ram_total_top);
	tcase_add_test(tc, test_is_ram);
	tcase_add_test(tc, test_is_ram_unmerged);
	suite_add_tcase(s, tc);

	tc = tcase_create("busy");
	tcase_add_test(tc, test_busy_add_overlap);
	tcase_add_test(tc, test_busy_remove);
	tcase_add_test(tc, test_busy_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("alloc");
	tcase_add_test(tc, test_alloc_top_down);
	tcase_add_test(tc, test_alloc_low);
	tcase_add_test(tc, test_alloc_alignment);
	tcase_add_test(tc, test_alloc_min_max);
	tcase_add_test(tc, test_alloc_end_at_4g);
	tcase_add_test(tc, test_alloc_busy);
	tcase_add_test(tc, test_alloc_no_space);
	tcase_add_test(tc, test_alloc_busy_full);
	tcase_add_test(tc, test_alloc_unmerged_run);
	tcase_add_test(tc, test_alloc_property);
	tcase_add_test(tc, test_alloc_perf);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	return s;
}
