// SPDX-License-Identifier: MIT
/*
 * test_host.c: runs the hardware-free payload code on the build machine:
 * the formatter (lib/fmt.c, compared with the C library's snprintf) and the
 * abicheck logic (abicheck/logic.c: memory map, command line, RSDP, page
 * walk over a simulated physical memory). Prints "host-check: ok" or the
 * failing cases and exits non-zero.
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
}

int main(void)
{
	test_fmt();
	test_memmap();
	test_cmdline();
	test_rsdp();
	test_pagewalk();
	if (failures) {
		printf("host-check: %d failed\n", failures);
		return EXIT_FAILURE;
	}
	printf("host-check: ok\n");
	return EXIT_SUCCESS;
}
