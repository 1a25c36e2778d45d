// SPDX-License-Identifier: MIT
/*
 * mutate.c: writes one damaged copy of a payload for the boot-level
 * mutation test (tests/boot/mutate.sh).
 *
 *   mutate IN OUT SEED
 *
 * The same IN and SEED always give the same OUT. One line on stdout says
 * what was done ("words 2 in phdrs [0x40,0xf8): 0x58/4 0x60/8"), so a
 * failing mutant can be described and made again.
 *
 * The damage is aimed where the firmware reads: a region is picked first
 * (the ELF program headers or notes, a Multiboot header, the bzImage setup
 * header, a cpio entry header, the first 64, 512 or 4096 bytes, or the
 * whole file), then one kind of damage inside it: 1-8 flipped bits, 1-4
 * fields overwritten with edge values (0, all ones, sign bits, page
 * masks, a value one off), or the file cut short.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (128u << 20)

static uint64_t state;

/* splitmix64: small, and the same sequence on every host. */
static uint64_t next(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct region {
	const char *name;
	size_t lo, hi; /* [lo, hi), inside the file */
};

static size_t nreg;
static struct region reg[16];

static void add(const char *name, uint64_t lo, uint64_t hi, size_t len)
{
	if (hi > len)
		hi = len;
	if (lo >= hi || nreg == sizeof(reg) / sizeof(reg[0]))
		return;
	reg[nreg++] = (struct region){ name, (size_t)lo, (size_t)hi };
}

/* The places each format's parser reads first. */
static void find_regions(const uint8_t *b, size_t len)
{
	add("start", 0, 64, len);
	add("head", 0, 512, len);
	add("page", 0, 4096, len);
	add("file", 0, len, len);
	if (len >= 64 && b[0] == 0x7f && !memcmp(b + 1, "ELF", 3)) {
		int is64 = b[4] == 2;
		uint64_t phoff = is64 ? rd(b + 32, 8) : rd(b + 28, 4);
		uint64_t esz = rd(b + (is64 ? 54 : 42), 2);
		uint64_t num = rd(b + (is64 ? 56 : 44), 2);
		add("phdrs", phoff, phoff + esz * num, len);
		for (uint64_t i = 0; i < num && esz >= 32; i++) {
			uint64_t p = phoff + i * esz;
			if (p >= len || esz > len - p)
				break;
			if (rd(b + p, 4) != 4) /* PT_NOTE */
				continue;
			uint64_t off =
				is64 ? rd(b + p + 8, 8) : rd(b + p + 4, 4);
			uint64_t sz =
				is64 ? rd(b + p + 32, 8) : rd(b + p + 16, 4);
			add("notes", off, off + sz, len);
		}
	}
	for (size_t off = 0; off + 12 <= len && off < 32768; off += 4) {
		uint32_t m = (uint32_t)rd(b + off, 4);
		if (m == 0x1BADB002u)
			add("mb1-header", off, off + 48, len);
		else if (m == 0xE85250D6u && off % 8 == 0)
			add("mb2-header", off, off + rd(b + off + 8, 4), len);
	}
	if (len > 0x290 && !memcmp(b + 0x202, "HdrS", 4))
		add("setup-header", 0x1f1, 0x290, len);
	/* A cpio "newc" archive (a bundle): one entry header at random. */
	if (len >= 110 && !memcmp(b, "070701", 6)) {
		size_t at[64], n = 0;
		for (size_t off = 0; off + 110 <= len && n < 64; off += 2)
			if (!memcmp(b + off, "070701", 6))
				at[n++] = off;
		size_t o = at[below(n)];
		add("cpio-header", o, o + 110 + 16, len);
	}
}

static const uint64_t edge[] = {
	0,	~0ull,	  0x80000000ull, 0x7FFFFFFFull,		0xFFFFF000ull,
	0x1000, 0x100000, 0xFFFFFFFFull, 0x8000000000000000ull, 1,
};

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: mutate IN OUT SEED\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	uint8_t *b = malloc(MAX_FILE);
	if (!b)
		return 1;
	size_t len = fread(b, 1, MAX_FILE, f);
	fclose(f);
	if (len == 0 || len == MAX_FILE) {
		fprintf(stderr, "mutate: %s: empty or over %u bytes\n", argv[1],
			MAX_FILE);
		return 1;
	}
	state = strtoull(argv[3], NULL, 0);

	find_regions(b, len);
	const struct region *r = &reg[below(nreg)];
	size_t span = r->hi - r->lo;
	switch (below(5)) {
	case 0:
	case 1: { /* bit flips */
		int n = 1 + (int)below(8);
		printf("flip %d bits in %s [0x%zx,0x%zx):", n, r->name, r->lo,
		       r->hi);
		for (int i = 0; i < n; i++) {
			size_t at = r->lo + below(span);
			int bit = (int)below(8);
			b[at] ^= (uint8_t)(1u << bit);
			printf(" 0x%zx.%d", at, bit);
		}
		break;
	}
	case 2:
	case 3: { /* fields overwritten */
		int n = 1 + (int)below(4);
		printf("words %d in %s [0x%zx,0x%zx):", n, r->name, r->lo,
		       r->hi);
		for (int i = 0; i < n; i++) {
			static const int widths[] = { 1, 2, 4, 8 };
			int w = widths[below(4)];
			if ((size_t)w > span)
				w = 1;
			size_t at = r->lo + below(span - (size_t)w + 1);
			uint64_t v;
			switch (below(4)) {
			case 0:
				v = next();
				break;
			case 1: /* one off what was there */
				v = rd(b + at, w) + (below(2) ? 1 : ~0ull);
				break;
			case 2:
				v = 1ull << below(64);
				break;
			default:
				v = edge[below(sizeof(edge) / sizeof(edge[0]))];
			}
			for (int k = 0; k < w; k++)
				b[at + k] = (uint8_t)(v >> (8 * k));
			printf(" 0x%zx/%d", at, w);
		}
		break;
	}
	default: { /* cut short inside the region */
		size_t to = r->lo + below(span);
		printf("truncate in %s to 0x%zx of 0x%zx", r->name, to, len);
		len = to;
	}
	}
	printf("\n");

	f = fopen(argv[2], "wb");
	if (!f || fwrite(b, 1, len, f) != len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(b);
	return 0;
}
