// SPDX-License-Identifier: MIT
/*
 * test_host.c: runs the hardware-free payload code on the build machine:
 * the formatter (lib/fmt.c, compared with the C library's snprintf) and the
 * abicheck logic (abicheck/logic.c: memory map, pvhfw's map promises,
 * command line, RSDP, page walks over a simulated physical memory). Prints
 * "host-check: ok" or the failing cases and exits non-zero.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "logic.h"

static int failures;

#define EXPECT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

/* Format with both fmt_snprintf and snprintf; they must agree. */
#define SAME(...)                                                              \
	do {                                                                   \
		char a[256], b[256];                                           \
		int na = fmt_snprintf(a, sizeof(a), __VA_ARGS__);              \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);                  \
		if (na != nb || strcmp(a, b) != 0) {                           \
			printf("FAIL %s:%d: fmt \"%s\" (%d), libc \"%s\" "     \
			       "(%d)\n",                                       \
			       __FILE__, __LINE__, a, na, b, nb);              \
			failures++;                                            \
		}                                                              \
	} while (0)

static void test_fmt(void)
{
	char small[5];

	SAME("plain");
	SAME("%d %d %d", 0, -1, 2147483647);
	SAME("%d", (int)-2147483647 - 1);
	SAME("%i|%5d|%-5d|%05d|%05d", 42, 42, 42, 42, -42);
	SAME("%u %u", 0u, 4294967295u);
	SAME("%x %X %#x %#x %08x", 0xbeefu, 0xbeefu, 0xbeefu, 0u, 0x1234u);
	SAME("%lx %016lx", 0xffffffffffffffffUL, 0x1234UL);
	SAME("%llx %llu %lld", 0x123456789abcdefULL, 18446744073709551615ULL,
	     -9223372036854775807LL - 1);
	SAME("%lu %ld", 123456789012UL, -123456789012L);
	SAME("%zu %zx", (size_t)77, (size_t)0x77);
	SAME("%hhu %hu %hhd %hd", 0x1ff, 0x1ffff, 0xff, 0xffff);
	SAME("%s|%8s|%-8s|%.3s|%.*s", "abc", "abc", "abc", "abcdef", 2, "xyz");
	SAME("%c%c|%3c|%-3c|", 'a', 'b', 'c', 'd');
	SAME("100%%");
	SAME("%*d|%-*d|%*d", 6, 7, 6, 7, -6, 7);
	SAME("%.5d|%8.3d|%.0d|%.0x", 42, -7, 0, 0u);
	SAME("%p", (void *)0x400000);
	SAME("%d%s%x", 1, "", 2);

	/* Truncation keeps C semantics: NUL-terminated, returns full length. */
	EXPECT(fmt_snprintf(small, sizeof(small), "%s", "abcdefgh") == 8);
	EXPECT(strcmp(small, "abcd") == 0);
	EXPECT(fmt_snprintf(NULL, 0, "%d", 12345) == 5);
}

static void test_memmap(void)
{
	/* QEMU q35 -m 3G style map. */
	const struct mm_entry m[] = {
		{ 0x0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x7fee0000, 1 },
		{ 0x7ffe0000, 0x20000, 2 },
		{ 0xb0000000, 0x10000000, 2 },
		{ 0x100000000, 0x40000000, 1 },
	};
	const size_t n = sizeof(m) / sizeof(m[0]);
	const char *why = NULL;
	uint64_t gap = 0, last = 0;

	EXPECT(mm_check_order(m, n, &why) == -1);
	EXPECT(mm_covered(m, n, 0x400000, 0x42b000, MM_TYPE(1), &gap));
	EXPECT(mm_covered(m, n, 0x1000, 0x1000, MM_TYPE(1), &gap));
	/* Across adjacent entries of allowed types. */
	EXPECT(mm_covered(m, n, 0x9f000, 0xa0000, MM_TYPE(1) | MM_TYPE(2),
			  &gap));
	EXPECT(!mm_covered(m, n, 0x9f000, 0xa0000, MM_TYPE(1), &gap));
	EXPECT(gap == 0x9fc00);
	/* A hole. */
	EXPECT(!mm_covered(m, n, 0xa0000, 0xa0001, 0xffffffffu, &gap));
	EXPECT(gap == 0xa0000);
	EXPECT(!mm_covered(m, n, 0x7fff0000, 0x80001000, 0xffffffffu, &gap));
	EXPECT(gap == 0x80000000);
	EXPECT(!mm_covered(m, n, 10, 5, 0xffffffffu, &gap));

	EXPECT(mm_highest_ram(m, n, 0, &last) && last == 0x7ffdffff);
	EXPECT(mm_highest_ram(m, n, 1, &last) && last == 0x13fffffff);
	EXPECT(!mm_highest_ram(m, 4, 1, &last));
	EXPECT(mm_total(m, n, 1) == 0x9fc00ull + 0x7fee0000ull + 0x40000000ull);

	/* RAM crossing 4 GiB counts for both halves. */
	const struct mm_entry x[] = { { 0xc0000000, 0x80000000, 1 } };
	EXPECT(mm_highest_ram(x, 1, 0, &last) && last == 0xffffffff);
	EXPECT(mm_highest_ram(x, 1, 1, &last) && last == 0x13fffffff);

	const struct mm_entry unsorted[] = { { 0x1000, 0x1000, 1 },
					     { 0x0, 0x1000, 1 } };
	EXPECT(mm_check_order(unsorted, 2, &why) == 1);
	const struct mm_entry overlap[] = { { 0x0, 0x2000, 1 },
					    { 0x1000, 0x1000, 2 } };
	EXPECT(mm_check_order(overlap, 2, &why) == 1);
	const struct mm_entry wrap[] = { { 0xfffffffffffff000, 0x2000, 1 } };
	EXPECT(mm_check_order(wrap, 1, &why) == 0);
	EXPECT(mm_end(&wrap[0]) == UINT64_MAX);
}

/* pvhfw's promises on its map (mm_find, mm_check_normalised) and on the
 * VMM's RAM (mm_parse_ranges, mm_lost_ram). */
static void test_pvhfw_map(void)
{
	/* What pvhfw gives on q35 -m 256M: the handoff area at 0xff91000. */
	const struct mm_entry m[] = {
		{ 0x0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, 0xfe91000, 1 },
		{ 0xff91000, 0x1c000, 2 },
		{ 0xffad000, 0x32000, 1 },
		{ 0xffdf000, 0x21000, 2 },
		{ 0xb0000000, 0x10000000, 2 },
		{ 0xfd00000000, 0x300000000, 2 },
	};
	const size_t n = sizeof(m) / sizeof(m[0]);
	const char vmm_text[] = "0-0x9fc00,0x100000-0xffdf000";
	struct mm_entry vmm[4], t[n + 1];
	uint64_t s = 0, e = 0, at = 0;
	const char *why = NULL;

	EXPECT(mm_find(m, n, 0x0) == 0);
	EXPECT(mm_find(m, n, 0xff91000) == 4);
	EXPECT(mm_find(m, n, 0xffacfff) == 4);
	EXPECT(mm_find(m, n, 0xa0000) == -1);

	EXPECT(mm_check_normalised(m, n, &why) == -1);
	memcpy(t, m, sizeof(m));
	t[3].type = 8;
	EXPECT(mm_check_normalised(t, n, &why) == 3);
	t[3].type = 0;
	EXPECT(mm_check_normalised(t, n, &why) == 3);
	memcpy(t, m, sizeof(m));
	t[2].size = 0;
	EXPECT(mm_check_normalised(t, n, &why) == 2);
	/* Two touching RAM entries: not merged. */
	const struct mm_entry split[] = { { 0x0, 0x1000, 1 },
					  { 0x1000, 0x1000, 1 },
					  { 0x2000, 0x1000, 2 } };
	EXPECT(mm_check_normalised(split, 3, &why) == 1);
	EXPECT(mm_check_normalised(split + 1, 2, &why) == -1);

	/* The ranges of check.vmm-ram=. */
	EXPECT(mm_parse_ranges(vmm_text, strlen(vmm_text), vmm, 4, &why) == 2);
	EXPECT(vmm[0].addr == 0 && vmm[0].size == 0x9fc00 && vmm[0].type == 1);
	EXPECT(vmm[1].addr == 0x100000 && mm_end(&vmm[1]) == 0xffdf000);
	EXPECT(mm_parse_ranges("1048576-2097152", 15, t, 1, &why) == 1 &&
	       t[0].addr == 0x100000 && t[0].size == 0x100000);
	EXPECT(mm_parse_ranges("0-0x10,0x20-0x30", 16, t, 1, &why) == -1);
	EXPECT(mm_parse_ranges("", 0, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0x10-0x10", 9, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0x20-0x30,0x0-0x10", 18, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0x0-0x20,0x10-0x30", 18, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0x0-0x20,", 9, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0x0-", 4, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("-0x10", 5, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0x0", 3, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0-1-2", 5, t, 4, &why) == -1);
	EXPECT(mm_parse_ranges("0-0x10,,0x20-0x30", 17, t, 4, &why) == -1);
	/* Only the length given is read. */
	EXPECT(mm_parse_ranges("0-0x10 junk", 6, t, 4, &why) == 1 &&
	       t[0].size == 0x10);

	/* The handoff area is the one range of the VMM's RAM not RAM. */
	EXPECT(mm_lost_ram(m, n, vmm, 2, &s, &e, &at) == NULL);
	EXPECT(s == 0xff91000 && e == 0xffad000);

	/* Also when it merged with a reserved range of the VMM's. */
	const struct mm_entry merged[] = {
		{ 0x0, 0x9fc00, 1 },	   { 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },   { 0x100000, 0xfec3000, 1 },
		{ 0xffc3000, 0x3d000, 2 },
	};
	EXPECT(mm_lost_ram(merged, 5, vmm, 2, &s, &e, &at) == NULL);
	EXPECT(s == 0xffc3000 && e == 0xffdf000);

	/* The review's break: 1 MiB more reserved at 1 MiB, merged with the
	 * VMM's 0xf0000 range. */
	const struct mm_entry extra[] = {
		{ 0x0, 0x9fc00, 1 },	   { 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x110000, 2 },  { 0x200000, 0xfd91000, 1 },
		{ 0xff91000, 0x1c000, 2 }, { 0xffad000, 0x32000, 1 },
		{ 0xffdf000, 0x21000, 2 },
	};
	why = mm_lost_ram(extra, 7, vmm, 2, &s, &e, &at);
	EXPECT(why != NULL && at == 0xff91000 && s == 0x100000 &&
	       e == 0x200000);

	/* Nothing reserved at all. */
	const struct mm_entry none[] = { { 0x0, 0x9fc00, 1 },
					 { 0x100000, 0xfedf000, 1 } };
	EXPECT(mm_lost_ram(none, 2, vmm, 2, &s, &e, &at) != NULL &&
	       at == UINT64_MAX);

	/* RAM the VMM did not give (here: a different machine's map). */
	const struct mm_entry more[] = { { 0x0, 0x9fc00, 1 },
					 { 0x100000, 0xff00000, 1 },
					 { 0x10000000, 0x1000, 2 } };
	why = mm_lost_ram(more, 3, vmm, 2, &s, &e, &at);
	EXPECT(why != NULL && at == 0xffdf000);

	/* The lost range is not reserved: a hole, or another type. */
	const struct mm_entry hole[] = { { 0x0, 0x9fc00, 1 },
					 { 0x100000, 0xfe91000, 1 },
					 { 0xffad000, 0x32000, 1 } };
	why = mm_lost_ram(hole, 3, vmm, 2, &s, &e, &at);
	EXPECT(why != NULL && at == 0xff91000);
	memcpy(t, m, sizeof(m));
	t[4].type = 4;
	why = mm_lost_ram(t, n, vmm, 2, &s, &e, &at);
	EXPECT(why != NULL && at == 0xff91000);

	/* A lost range across two touching VMM ranges is one range. */
	const struct mm_entry two[] = { { 0x0, 0x1000, 1 },
					{ 0x1000, 0x2000, 2 },
					{ 0x3000, 0x1000, 1 } };
	const struct mm_entry vtwo[] = { { 0x0, 0x2000, 1 },
					 { 0x2000, 0x2000, 1 } };
	EXPECT(mm_lost_ram(two, 3, vtwo, 2, &s, &e, &at) == NULL);
	EXPECT(s == 0x1000 && e == 0x3000);
}

static void test_cmdline(void)
{
	uint64_t v = 0;
	size_t len = 0;
	const char *w;
	const char *cl = "console=ttyS0  check.rsdp=0\tcheck.modules=2 "
			 "check.high=1x check.n=0x1F";

	EXPECT(cl_has_word(cl, "check.rsdp=0"));
	EXPECT(cl_has_word(cl, "console=ttyS0"));
	EXPECT(!cl_has_word(cl, "check.rsdp"));
	EXPECT(!cl_has_word(cl, "check.high=1"));
	EXPECT(!cl_has_word("", "x"));
	EXPECT(cl_value(cl, "check.modules", &v) == 1 && v == 2);
	EXPECT(cl_value(cl, "check.n", &v) == 1 && v == 0x1f);
	EXPECT(cl_value(cl, "check.high", &v) == -1);
	EXPECT(cl_value(cl, "check.none", &v) == 0);
	EXPECT(cl_value("k=", "k", &v) == -1);
	EXPECT(cl_value("k=1 k=5", "k", &v) == 1 && v == 5);
	EXPECT(cl_find_prefix(cl, "fw.", &len) == NULL);
	w = cl_find_prefix("a fwx fw.log=debug b", "fw.", &len);
	EXPECT(w && len == 12 && strncmp(w, "fw.log=debug", len) == 0);
	w = cl_find_prefix("fw.", "fw.", &len);
	EXPECT(w && len == 3);
}

static enum cl_word_kind kind_of(const char *cl, const char *word,
				 const struct cl_check_word **e)
{
	static const struct cl_check_word known[] = {
		{ "check.tr=1", NULL },
		{ "check.modules=", NULL },
		{ "check.vmm-ram=", "check.pvhfw=1" },
		{ "check.pvhfw=1", NULL },
		{ NULL, NULL },
	};
	size_t len = 0;
	const char *w = cl;

	/* the word's own place in cl, as the payloads walk it */
	for (w = cl_next_word(cl, &len); w; w = cl_next_word(w + len, &len))
		if (len == strlen(word) && strncmp(w, word, len) == 0)
			return cl_check_word(cl, w, len, known, e);
	EXPECT(!"word not in cl");
	return CL_WORD_OTHER;
}

static void test_check_words(void)
{
	const struct cl_check_word *e = NULL;
	const char *cl = "kernel check.tr=1 check.tr=10 check.tr "
			 "check.modules= check.modules=2 check.vmm-ram=0-1 "
			 "check.x=1 checkx.y=1 check.Tr=1";
	const char *cl2 = "check.pvhfw=1 check.vmm-ram=0-0x1000";

	EXPECT(cl_next_word("  \t", &(size_t){ 0 }) == NULL);
	EXPECT(kind_of(cl, "kernel", &e) == CL_WORD_OTHER && !e);
	EXPECT(kind_of(cl, "checkx.y=1", &e) == CL_WORD_OTHER && !e);
	EXPECT(kind_of(cl, "check.tr=1", &e) == CL_WORD_KNOWN && e &&
	       strcmp(e->word, "check.tr=1") == 0);
	/* whole words: no other value, no missing one, case matters */
	EXPECT(kind_of(cl, "check.tr=10", &e) == CL_WORD_UNKNOWN && !e);
	EXPECT(kind_of(cl, "check.tr", &e) == CL_WORD_UNKNOWN);
	EXPECT(kind_of(cl, "check.Tr=1", &e) == CL_WORD_UNKNOWN);
	/* keys: any non-empty value */
	EXPECT(kind_of(cl, "check.modules=", &e) == CL_WORD_UNKNOWN);
	EXPECT(kind_of(cl, "check.modules=2", &e) == CL_WORD_KNOWN && e &&
	       strcmp(e->word, "check.modules=") == 0);
	EXPECT(kind_of(cl, "check.x=1", &e) == CL_WORD_UNKNOWN && !e);
	/* needs */
	EXPECT(kind_of(cl, "check.vmm-ram=0-1", &e) == CL_WORD_NEEDS && e &&
	       strcmp(e->needs, "check.pvhfw=1") == 0);
	EXPECT(kind_of(cl2, "check.vmm-ram=0-0x1000", &e) == CL_WORD_KNOWN);
}

static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)(0x100 - s);
}

static void test_rsdp(void)
{
	uint8_t r[64];
	unsigned rev;
	uint32_t len;

	memset(r, 0, sizeof(r));
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[16] = 0x40;
	fix_sum(r, 20, 8);
	EXPECT(rsdp_check(r, &rev, &len) == NULL && rev == 0);
	r[16] ^= 1;
	EXPECT(rsdp_check(r, &rev, &len) != NULL);
	r[16] ^= 1;

	r[15] = 2;
	r[20] = 36;
	r[24] = 0x80;
	fix_sum(r, 20, 8);
	fix_sum(r, 36, 32);
	EXPECT(rsdp_check(r, &rev, &len) == NULL && rev == 2 && len == 36);
	r[33] = 1; /* breaks only the extended checksum */
	EXPECT(rsdp_check(r, &rev, &len) != NULL);
	r[33] = 0;
	r[20] = 20; /* too short for revision 2 */
	fix_sum(r, 20, 8);
	EXPECT(rsdp_check(r, &rev, &len) != NULL);
	memcpy(r, "RSD PTX ", 8);
	EXPECT(rsdp_check(r, &rev, &len) != NULL);
}

/* Simulated physical memory for the page walk: 64 pages of tables. */
#define SIM_BASE 0x10000
#define SIM_PAGES 64
static uint64_t sim[SIM_PAGES][512];

static uint64_t sim_rd(void *ctx, uint64_t pa)
{
	(void)ctx;
	if (pa < SIM_BASE || pa >= SIM_BASE + sizeof(sim) || (pa & 7)) {
		printf("FAIL: walk read outside the tables at 0x%llx\n",
		       (unsigned long long)pa);
		failures++;
		return 0;
	}
	return sim[(pa - SIM_BASE) / 4096][(pa % 4096) / 8];
}

#define TBL(i) ((uint64_t)SIM_BASE + (uint64_t)(i)*4096)
#define P 1ull
#define RW 2ull
#define PS 0x80ull

/* What pt_tables visited. */
static uint64_t seen[64];
static const char *seen_level[64];
static int pages_seen;

static void saw_page(void *ctx, uint64_t pa, const char *level)
{
	(void)ctx;
	if (pages_seen < 64) {
		seen[pages_seen] = pa;
		seen_level[pages_seen] = level;
	}
	pages_seen++;
}

static void test_pagewalk(void)
{
	struct pt_walk w;
	const char *why;

	memset(sim, 0, sizeof(sim));
	/* PML4 = page 0; PDPT = page 1: [0] -> PD page 2, [1] 1 GiB RO page,
	 * [4] 1 GiB identity page at 4 GiB; PD [0] -> PT page 3, [1] 2 MiB
	 * page at 2 MiB, [2] 2 MiB page mapped elsewhere, PAT bit set;
	 * PT: 4 KiB identity pages for 0..2 MiB except page 5. */
	sim[0][0] = TBL(1) | P | RW;
	sim[1][0] = TBL(2) | P | RW;
	sim[1][1] = (1ull << 30) | P | PS;
	sim[1][4] = (4ull << 30) | P | RW | PS;
	sim[2][0] = TBL(3) | P | RW;
	sim[2][1] = (2ull << 20) | P | RW | PS;
	sim[2][2] = (8ull << 20) | P | RW | PS | (1ull << 12);
	for (int i = 0; i < 512; i++)
		if (i != 5)
			sim[3][i] = ((uint64_t)i << 12) | P | RW;

	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x3456, &w);
	EXPECT(!why && w.pa == 0x3456 && w.page_size == 4096 && w.writable);
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x5000, &w);
	EXPECT(why && strcmp(w.level, "PT") == 0);
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x2fffff, &w);
	EXPECT(!why && w.pa == 0x2fffff && w.page_size == 2u << 20);
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x400123, &w);
	EXPECT(!why && w.pa == 0x800123); /* not identity; PAT bit masked */
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x7fffffff, &w);
	EXPECT(!why && w.pa == 0x7fffffff && w.page_size == 1u << 30 &&
	       !w.writable);
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x13fffffff, &w);
	EXPECT(!why && w.pa == 0x13fffffff && w.writable);
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 0x80000000, &w);
	EXPECT(why && strcmp(w.level, "PDPT") == 0);
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 1ull << 47, &w);
	EXPECT(why != NULL);
	/* CR3 flag bits (PCD/PWT) do not disturb the table address. */
	why = pt_translate(sim_rd, NULL, TBL(0) | 0x18, 0, 0x3456, &w);
	EXPECT(!why && w.pa == 0x3456);

	/* 5-level: PML5 page 4 -> PML4 page 0. */
	sim[4][0] = TBL(0) | P | RW;
	why = pt_translate(sim_rd, NULL, TBL(4), 1, 0x3456, &w);
	EXPECT(!why && w.pa == 0x3456);
	/* PS in a PML4 entry is invalid. */
	sim[0][1] = (512ull << 30) | P | RW | PS;
	why = pt_translate(sim_rd, NULL, TBL(0), 0, 512ull << 30, &w);
	EXPECT(why != NULL);

	/* Every table page: PML4 0, PDPT 1, PD 2, PT 3 (its entries not
	 * read); the leaves and the bad PS entry lead nowhere. */
	pages_seen = 0;
	EXPECT(pt_tables(sim_rd, NULL, TBL(0), 0, saw_page, 100) == 4);
	EXPECT(pages_seen == 4 && seen[0] == TBL(0) && seen[3] == TBL(3));
	EXPECT(strcmp(seen_level[0], "PML4") == 0 &&
	       strcmp(seen_level[1], "PDPT") == 0 &&
	       strcmp(seen_level[2], "PD") == 0 &&
	       strcmp(seen_level[3], "PT") == 0);
	pages_seen = 0;
	EXPECT(pt_tables(sim_rd, NULL, TBL(4), 1, saw_page, 100) == 5);
	EXPECT(strcmp(seen_level[0], "PML5") == 0);
	/* A second PDPT entry to the same PD: visited twice. */
	sim[1][2] = TBL(2) | P | RW;
	pages_seen = 0;
	EXPECT(pt_tables(sim_rd, NULL, TBL(0), 0, saw_page, 100) == 6);
	/* More pages than max: the walk stops at the bound. */
	pages_seen = 0;
	EXPECT(pt_tables(sim_rd, NULL, TBL(0), 0, saw_page, 3) == -1);
	EXPECT(pages_seen == 3);
}

int main(void)
{
	test_fmt();
	test_memmap();
	test_pvhfw_map();
	test_cmdline();
	test_check_words();
	test_rsdp();
	test_pagewalk();
	if (failures) {
		printf("host-check: %d failed\n", failures);
		return EXIT_FAILURE;
	}
	printf("host-check: ok\n");
	return EXIT_SUCCESS;
}
