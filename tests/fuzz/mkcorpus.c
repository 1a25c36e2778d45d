// SPDX-License-Identifier: MIT
/*
 * mkcorpus.c: writes the seed corpus of the fuzz targets.
 *
 *   cc -O1 -o mkcorpus tests/fuzz/mkcorpus.c && ./mkcorpus tests/fuzz/corpus
 *
 * (`make -C tests/fuzz corpus` does this.) Each seed follows the input
 * format described at the top of its target's fuzz_<name>.c. Directories
 * <out>/<target>/ must exist. Output is deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *outdir;
static uint8_t buf[1 << 16];
static size_t len;

static void reset(void)
{
	memset(buf, 0, sizeof(buf));
	len = 0;
}

/* Makes sure buf holds at least n bytes (zero-filled). */
static void grow(size_t n)
{
	if (n > sizeof(buf)) {
		fprintf(stderr, "mkcorpus: seed too large\n");
		exit(1);
	}
	if (n > len)
		len = n;
}

static void wr(size_t at, uint64_t v, unsigned int bytes)
{
	grow(at + bytes);
	for (unsigned int i = 0; i < bytes; i++)
		buf[at + i] = (uint8_t)(v >> (8 * i));
}

static void wr_bytes(size_t at, const void *p, size_t n)
{
	grow(at + n);
	memcpy(buf + at, p, n);
}

static void put(uint64_t v, unsigned int bytes)
{
	wr(len, v, bytes);
}

static void put_bytes(const void *p, size_t n)
{
	wr_bytes(len, p, n);
}

static void save(const char *target, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* ---- ELF ---------------------------------------------------------------- */

struct seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* An ELF header and program headers at 64 (ELF64) or 52 (ELF32). */
static void elf_headers(int is64, uint16_t machine, uint16_t type,
			uint64_t entry, const struct seg *s, unsigned int n)
{
	size_t phoff = is64 ? 64 : 52, phsz = is64 ? 56 : 32;

	wr_bytes(0,
		 "\x7f"
		 "ELF",
		 4);
	wr(4, is64 ? 2 : 1, 1); /* class */
	wr(5, 1, 1);		/* little endian */
	wr(6, 1, 1);		/* EV_CURRENT */
	wr(16, type, 2);
	wr(18, machine, 2);
	wr(20, 1, 4);
	if (is64) {
		wr(24, entry, 8);
		wr(32, phoff, 8);
		wr(52, 64, 2);
		wr(54, phsz, 2);
		wr(56, n, 2);
	} else {
		wr(24, entry, 4);
		wr(28, phoff, 4);
		wr(40, 52, 2);
		wr(42, phsz, 2);
		wr(44, n, 2);
	}
	for (unsigned int i = 0; i < n; i++) {
		size_t p = phoff + i * phsz;
		if (is64) {
			wr(p, s[i].type, 4);
			wr(p + 4, s[i].flags, 4);
			wr(p + 8, s[i].offset, 8);
			wr(p + 16, s[i].vaddr, 8);
			wr(p + 24, s[i].paddr, 8);
			wr(p + 32, s[i].filesz, 8);
			wr(p + 40, s[i].memsz, 8);
			wr(p + 48, s[i].align, 8);
		} else {
			wr(p, s[i].type, 4);
			wr(p + 4, s[i].offset, 4);
			wr(p + 8, s[i].vaddr, 4);
			wr(p + 12, s[i].paddr, 4);
			wr(p + 16, s[i].filesz, 4);
			wr(p + 20, s[i].memsz, 4);
			wr(p + 24, s[i].flags, 4);
			wr(p + 28, s[i].align, 4);
		}
	}
}

/* A note at `at`; returns its size with the padding for `align`. */
static size_t note(size_t at, const char *name, uint32_t type, const void *desc,
		   uint32_t descsz, size_t align)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	size_t d = (12 + namesz + align - 1) / align * align;
	wr(at, namesz, 4);
	wr(at + 4, descsz, 4);
	wr(at + 8, type, 4);
	wr_bytes(at + 12, name, namesz);
	wr_bytes(at + d, desc, descsz);
	return (d + descsz + align - 1) / align * align;
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void fill_code(size_t at, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wr(at + i, i % 7 == 0 ? 0x90 : 0xf4, 1);
}

static void gen_elf(void)
{
	uint8_t entry[4], reloc[12], buildid[20];
	struct seg s[4];
	size_t nsz;

	for (int i = 0; i < 20; i++)
		buildid[i] = (uint8_t)(0x11 * i);

	/* ELF64, PVH entry note, code + bss-only data segment. */
	reset();
	le32(entry, 0x100000);
	nsz = note(0x180, "Xen", 18, entry, 4, 4);
	fill_code(0x200, 0x80);
	memset(s, 0, sizeof(s));
	s[0] = (struct seg){ 1,	       5,    0x200, 0xffffffff80100000ull,
			     0x100000, 0x80, 0x80,  0x1000 };
	s[1] = (struct seg){ 1,	       6, 0x280,  0xffffffff80200000ull,
			     0x200000, 0, 0x3000, 0x1000 };
	s[2] = (struct seg){ 4, 4, 0x180, 0, 0, nsz, nsz, 4 };
	elf_headers(1, 62, 2, 0xffffffff80100000ull, s, 3);
	save("elf", "elf64-pvh.elf");

	/* ELF64 ET_DYN with 8-byte aligned notes: build-id, entry, reloc. */
	reset();
	size_t at = 0x200;
	at += note(at, "GNU", 3, buildid, 20, 8);
	le32(entry, 0x200040);
	at += note(at, "Xen", 18, entry, 4, 8);
	le32(reloc, 0x200000);	     /* align */
	le32(reloc + 4, 0x100000);   /* min */
	le32(reloc + 8, 0x40000000); /* max */
	at += note(at, "Xen", 19, reloc, 12, 8);
	nsz = at - 0x200;
	fill_code(0x300, 0x100);
	s[0] = (struct seg){ 1,	       5,    0x300, 0x200000,
			     0x200000, 0x80, 0x80,  0x200000 };
	s[1] =
		(struct seg){ 1,	4,    0x380, 0x201000,
			      0x201000, 0x40, 0x40,  0x1000 };
	s[2] = (struct seg){ 1,	       6,    0x3c0,  0x202000,
			     0x202000, 0x40, 0x2000, 0x1000 };
	s[3] = (struct seg){ 4, 4, 0x200, 0, 0, nsz, nsz, 8 };
	elf_headers(1, 62, 3, 0x200040, s, 4);
	save("elf", "elf64-dyn-reloc.elf");

	/* ELF32 i386 with a PVH note. */
	reset();
	le32(entry, 0x10000c);
	nsz = note(0x100, "Xen", 18, entry, 4, 4);
	fill_code(0x140, 0x40);
	s[0] = (struct seg){ 1,	       5,    0x140,  0x100000,
			     0x100000, 0x40, 0x1000, 0x1000 };
	s[1] = (struct seg){ 4, 4, 0x100, 0, 0, nsz, nsz, 4 };
	elf_headers(0, 3, 2, 0x100000, s, 2);
	save("elf", "elf32-pvh.elf");

	/* ELF64 without PVH note (ELF64 entry ABI), a PT_LOAD of memsz 0. */
	reset();
	fill_code(0x100, 0x40);
	s[0] =
		(struct seg){ 1,	5,    0x100, 0x400000,
			      0x400000, 0x40, 0x40,  0x1000 };
	s[1] = (struct seg){ 1, 6, 0x140, 0x500000, 0x500000, 0, 0, 0x1000 };
	s[2] = (struct seg){ 6, 4, 64, 64, 64, 0xa8, 0xa8, 8 }; /* PT_PHDR */
	elf_headers(1, 62, 2, 0x400000, s, 3);
	save("elf", "elf64-nopvh.elf");

	/* ELF32 without notes, two adjacent loads. */
	reset();
	fill_code(0x80, 0x20);
	s[0] = (struct seg){ 1, 5, 0x80, 0x1000, 0x1000, 0x10, 0x1000, 16 };
	s[1] = (struct seg){ 1, 6, 0x90, 0x2000, 0x2000, 0x10, 0x10, 16 };
	elf_headers(0, 3, 2, 0x1000, s, 2);
	save("elf", "elf32-plain.elf");
}

/* ---- PVH start_info images ------------------------------------------------
 */

/* The 8-byte header of fuzz_pvh; memory follows at offset 8. */
static void pvh_header(uint32_t si, uint16_t pa, uint8_t opts)
{
	reset();
	wr(0, si, 4);
	wr(4, pa, 2);
	wr(6, opts, 1);
	wr(7, 0, 1);
}

#define M 8 /* memory offset 0 in the seed */

static void start_info(uint32_t si, uint32_t version, uint32_t nmod,
		       uint64_t modlist, uint64_t cmdline, uint64_t rsdp,
		       uint64_t memmap, uint32_t mmn)
{
	wr(M + si, 0x336ec578, 4);
	wr(M + si + 4, version, 4);
	wr(M + si + 8, 0, 4);
	wr(M + si + 0x0c, nmod, 4);
	wr(M + si + 0x10, modlist, 8);
	wr(M + si + 0x18, cmdline, 8);
	wr(M + si + 0x20, rsdp, 8);
	if (version >= 1) {
		wr(M + si + 0x28, memmap, 8);
		wr(M + si + 0x30, mmn, 4);
		wr(M + si + 0x34, 0, 4);
	}
}

static void mm_entry(uint64_t table, unsigned int i, uint64_t addr,
		     uint64_t size, uint32_t type)
{
	wr(M + table + 24 * i, addr, 8);
	wr(M + table + 24 * i + 8, size, 8);
	wr(M + table + 24 * i + 16, type, 4);
	wr(M + table + 24 * i + 20, 0, 4);
}

static void module(uint64_t list, unsigned int i, uint64_t paddr, uint64_t size,
		   uint64_t cmdline)
{
	wr(M + list + 32 * i, paddr, 8);
	wr(M + list + 32 * i + 8, size, 8);
	wr(M + list + 32 * i + 16, cmdline, 8);
	wr(M + list + 32 * i + 24, 0, 8);
}

static void str(uint64_t at, const char *s)
{
	wr_bytes(M + at, s, strlen(s) + 1);
}

static void gen_pvh(void)
{
	/*
	 * Cloud Hypervisor: start_info at 0x6000, module list at 0x6040,
	 * memory map at 0x7000, command line at 0x20000, RSDP at 0xa0000.
	 * Scaled down by 16 here to keep the seed small.
	 */
	pvh_header(0x600, 0x100, 0);
	start_info(0x600, 1, 1, 0x640, 0x2000, 0xa0000, 0x700, 5);
	module(0x640, 0, 0x1f000000, 0x2345, 0);
	mm_entry(0x700, 0, 0, 0xa0000, 1);
	mm_entry(0x700, 1, 0x100000, 0x1ff00000, 1);
	mm_entry(0x700, 2, 0xa0000, 0x60000, 2);
	mm_entry(0x700, 3, 0xe0000000, 0x10000000, 2);
	mm_entry(0x700, 4, 0xfec00000, 0x1400000, 2);
	str(0x2000, "console=ttyS0 fw.loglevel=debug root=/dev/vda1 rw");
	save("pvh", "cloud-hypervisor.bin");

	/* The same with a firmware range (byte 6 bit 2) over its module
	 * list: 64 bytes from 0x640. */
	pvh_header(0x600, 0x640, 4);
	start_info(0x600, 1, 1, 0x640, 0x2000, 0xa0000, 0x700, 2);
	module(0x640, 0, 0x1f000000, 0x2345, 0);
	mm_entry(0x700, 0, 0, 0xa0000, 1);
	mm_entry(0x700, 1, 0x100000, 0x1ff00000, 1);
	str(0x2000, "console=ttyS0");
	save("pvh", "overlap.bin");

	/*
	 * QEMU's PVH option ROM: version 1, the initrd as the only module
	 * (no string), the E820 map with RAM above 4 GiB, the command line
	 * at the fw_cfg command line address. Scaled layout.
	 */
	pvh_header(0x100, 0x0, 1);
	start_info(0x100, 1, 1, 0x140, 0x400, 0, 0x180, 6);
	module(0x140, 0, 0x7fd0000, 0x20000, 0);
	mm_entry(0x180, 0, 0, 0x9fc00, 1);
	mm_entry(0x180, 1, 0x9fc00, 0x400, 2);
	mm_entry(0x180, 2, 0xf0000, 0x10000, 2);
	mm_entry(0x180, 3, 0x100000, 0xbff00000, 1);
	mm_entry(0x180, 4, 0xfeffc000, 0x4000, 2);
	mm_entry(0x180, 5, 0x100000000ull, 0x40000000, 1);
	str(0x400, "fw.console=both -- \"quoted arg\" last");
	save("pvh", "qemu.bin");

	/* Version 0: command line only, no map, RSDP hint. */
	pvh_header(0x40, 0x8, 0);
	start_info(0x40, 0, 0, 0, 0x80, 0xf5a10, 0, 0);
	str(0x80, "fw.help");
	save("pvh", "version0.bin");

	/* Several modules with strings, types out of range, no map. */
	pvh_header(0x20, 0x18, 2);
	start_info(0x20, 1, 4, 0x60, 0, 0, 0x200, 3);
	module(0x60, 0, 0x200000, 0x1000, 0x300);
	module(0x60, 1, 0x300000, 0, 0x310);
	module(0x60, 2, 0x400000, 0x80000, 0);
	module(0x60, 3, 0xfffff000, 0xfff, 0x320);
	mm_entry(0x200, 0, 0x1000, 0x9f000, 1);
	mm_entry(0x200, 1, 0x0, 0x2000, 9);
	mm_entry(0x200, 2, 0x100000, 0x7f00000, 7);
	str(0x300, "payload");
	str(0x310, "");
	str(0x320, "initrd root=LABEL=x");
	save("pvh", "modules.bin");

	/* A version 2 structure (newer versions are accepted). */
	pvh_header(0x0, 0x40, 0);
	start_info(0x0, 2, 0, 0, 0x40, 0, 0x60, 1);
	str(0x40, "");
	mm_entry(0x60, 0, 0, 0x8000000, 1);
	save("pvh", "version2.bin");
}

/* ---- memory maps ------------------------------------------------------------
 */

/* fuzz_memmap range encodings: tag = mode | type << 2. */
static void r_pages(uint16_t addr, uint16_t size, unsigned int type)
{
	put(0 | type << 2, 1);
	put(addr, 2);
	put(size, 2);
}

static void r_bytes(uint8_t addr, uint8_t size, unsigned int type)
{
	put(1 | type << 2, 1);
	put(addr, 1);
	put(size, 1);
}

static void r_full(uint64_t addr, uint64_t size, unsigned int type)
{
	put(2 | type << 2, 1);
	put(addr, 8);
	put(size, 8);
}

static void r_top(uint32_t below, uint32_t size, unsigned int type)
{
	put(3 | type << 2, 1);
	put(below, 4);
	put(size, 4);
}

/* Operations: busy_add 0, alloc 1, remove 2, overlap 3, is_ram 4; tag
 * index in bits 4..5 (op values below keep op % 5 right). */
static void op_busy_pages(unsigned int tag, uint16_t addr, uint16_t size)
{
	static const uint8_t ops[4] = { 0x00, 0x14, 0x23, 0x32 };
	put(ops[tag], 1); /* % 5 == 0, tag bits 4..5 */
	r_pages(addr, size, 0);
}

static void op_alloc_pages(uint16_t size, unsigned int align_log, uint16_t min,
			   uint16_t max_end, int top)
{
	put(0x01, 1);
	put(top ? 4 : 0, 1);
	put(align_log, 1);
	put(size, 2);
	put(min, 2);
	put(max_end, 2);
}

static void op_alloc_bytes(uint8_t size, unsigned int align_log, uint8_t min,
			   uint8_t max_end)
{
	put(0x01, 1);
	put(1, 1);
	put(align_log, 1);
	put(size, 1);
	put(min, 1);
	put(max_end, 1);
}

static void gen_memmap(void)
{
	/* A QEMU pc E820 map; firmware, modules and allocations. */
	reset();
	put(7, 2);
	r_pages(0, 0x9f, 1);
	r_full(0x9fc00, 0x400, 2);
	r_pages(0xf0, 0x10, 2);
	r_pages(0x100, 0x7f00, 1);
	r_full(0xfeffc000, 0x4000, 2);
	r_full(0xfffc0000, 0x40000, 2);
	r_full(0x100000000ull, 0x80000000ull, 1);
	op_busy_pages(0, 0x100, 0x40);	/* firmware image */
	op_busy_pages(1, 0x7fd0, 0x20); /* module */
	op_alloc_pages(0x4, 12, 0x0, 0x8000, 0);
	op_alloc_pages(0x1, 12, 0x0, 0x100, 0);
	op_alloc_pages(0x200, 21, 0x100, 0, 1);
	put(0x04, 1); /* is_ram */
	r_pages(0x100, 0x10, 0);
	put(0x03, 1); /* overlap */
	r_pages(0x7fd8, 0x1, 0);
	put(0x11, 1); /* remove "module" (17 % 5 == 2, tag 1) */
	op_alloc_pages(0x10, 12, 0x7000, 0x8000, 0);
	save("memmap", "qemu-e820.bin");

	/* Dense overlapping byte ranges of every type, then allocations. */
	reset();
	put(16, 2);
	for (unsigned int i = 0; i < 16; i++)
		r_bytes((uint8_t)(i * 13 % 200), (uint8_t)(20 + i * 7 % 50),
			i % 9 == 8 ? 15 : i % 9);
	op_alloc_bytes(4, 2, 0, 255);
	op_alloc_bytes(1, 0, 0, 255);
	op_alloc_bytes(8, 3, 16, 128);
	op_alloc_bytes(3, 0, 0, 255);
	save("memmap", "overlaps.bin");

	/* Ranges at the top of the address space, wraps, zero sizes. */
	reset();
	put(6, 2);
	r_top(0x10000, 0x8000, 1);
	r_top(0x1000, 0x1000, 3);
	r_top(0x10, 0x11, 1);			   /* ends at 2^64: refused */
	r_full(0xffffffffffff0000ull, 0x10000, 2); /* ends at 2^64 too */
	r_full(0x5000, 0, 1);			   /* size 0 */
	r_pages(0x1, 0x1, 4);
	op_alloc_pages(0x1, 12, 0, 0, 1);
	put(0x00, 1);
	r_top(0x9000, 0x800, 0);
	save("memmap", "top.bin");

	/* Many small alternating entries (merging). */
	reset();
	put(64, 2);
	for (unsigned int i = 0; i < 64; i++)
		r_pages((uint16_t)(i * 2), 2,
			i % 3 == 0   ? 1
			: i % 3 == 1 ? 1
				     : 3);
	op_alloc_pages(1, 12, 0, 0x80, 0);
	op_alloc_pages(2, 13, 0, 0x80, 0);
	save("memmap", "merge.bin");
}

/* ---- ACPI RSDP images -------------------------------------------------- */

/* An RSDP of 20 (revision 0) or 36 bytes with correct checksums. */
static void rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	unsigned int s = 0;
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = revision;
	for (int i = 0; i < 4; i++)
		p[16 + i] = (uint8_t)(rsdt >> (8 * i));
	for (int i = 0; i < 20; i++)
		s += p[i];
	p[8] = (uint8_t)(0 - s);
	if (revision < 2)
		return;
	p[20] = 36;
	for (int i = 0; i < 8; i++)
		p[24 + i] = (uint8_t)(xsdt >> (8 * i));
	s = 0;
	for (int i = 0; i < 36; i++)
		s += p[i];
	p[32] = (uint8_t)(0 - s);
}

static void acpi_header(uint64_t hint, uint32_t memsize)
{
	reset();
	put(hint, 8);
	put(memsize, 4);
}

static void chunk(uint32_t off, const void *p, uint8_t n, uint8_t flags)
{
	put(off, 4);
	put(n, 1);
	put(flags, 1);
	put_bytes(p, n);
}

static void gen_acpi(void)
{
	uint8_t r[36], seg[2] = { 0xc0, 0x9f }; /* EBDA at 0x9fc00 */

	rsdp(r, 0, 0x7fe1234, 0);
	acpi_header(0x1000, 0x2000);
	chunk(0x1000, r, 20, 0);
	save("acpi", "v1-hint.bin");

	rsdp(r, 2, 0x7fe1234, 0x7fe2000);
	acpi_header(0x1ff0, 0x2100);
	chunk(0x1ff0, r, 36, 0);
	save("acpi", "v2-hint.bin");

	/* Cloud Hypervisor: the RSDP at 0xa0000, given as the hint. */
	rsdp(r, 2, 0, 0xa1000);
	acpi_header(0xa0000, 0x100000);
	chunk(0xa0000, r, 36, 0);
	save("acpi", "cloud-hypervisor.bin");

	/* SeaBIOS: in the BIOS area, no hint. */
	rsdp(r, 0, 0xbffe1234, 0);
	acpi_header(0, 0x100000);
	chunk(0xf5a10, r, 20, 0);
	save("acpi", "bios-area.bin");

	/* In the EBDA, with a stale hint that fails its checksum. */
	rsdp(r, 2, 0x1000, 0x2000);
	acpi_header(0x500, 0x101000);
	chunk(0x40e, seg, 2, 0);
	chunk(0x9fc30, r, 36, 0);
	r[8] ^= 1;
	chunk(0x500, r, 20, 0);
	save("acpi", "ebda-bad-hint.bin");

	/* Checksums left to the fuzzer's fix-up flags. */
	rsdp(r, 2, 0x1000, 0x2000);
	r[8] = 0;
	r[32] = 0;
	acpi_header(0, 0x100000);
	chunk(0xfffd0, r, 32, 3);
	save("acpi", "bios-end-fixup.bin");
}

/* ---- command lines ------------------------------------------------------- */

static void text(const char *target, const char *name, const char *s)
{
	reset();
	put_bytes(s, strlen(s));
	save(target, name);
}

static void gen_cmdline(void)
{
	text("cmdline", "linux.txt",
	     "console=ttyS0 fw.loglevel=debug root=/dev/vda1 rw quiet");
	text("cmdline", "quotes.txt",
	     "msg=\"a b fw.x\" fw.console=both \"fw.quoted\" x=\"unterminated"
	     " fw.y");
	text("cmdline", "fw-only.txt", "fw.help fw.panic=exit fw. fw.=v");
	text("cmdline", "spaces.txt", "  \ta\n\nb\r c\t fw.selftest=trap  ");
	text("cmdline", "empty.txt", "");
	text("cmdline", "long-word.txt",
	     "init=/sbin/init a=0123456789012345678901234567890123456789"
	     "0123456789 b c fw.console=none d");
}

/* ---- fmt steps ---------------------------------------------------------- */

/* One fuzz_fmt step: format index, cap, then the argument bytes. */
static void fmt_step(uint8_t which, uint16_t cap, uint32_t i1, uint32_t i2,
		     uint32_t u1, uint64_t q, uint8_t w1, uint8_t w2,
		     int8_t prec, uint8_t ch, const char *s1, const char *s2)
{
	put(which, 1);
	put(cap, 2);
	put(i1, 4);
	put(i2, 4);
	put(u1, 4);
	put(q, 8);
	put(w1, 1);
	put(w2, 1);
	put((uint8_t)prec, 1);
	put(ch, 1);
	put(strlen(s1), 1);
	put_bytes(s1, strlen(s1));
	put(strlen(s2), 1);
	put_bytes(s2, strlen(s2));
}

static void gen_fmt(void)
{
	reset();
	for (uint8_t k = 0; k < 24; k++)
		fmt_step(k, 200, 0x80000000u + k, 42, 0xdeadbeef,
			 0xfedcba9876543210ull, 7, 12, 3, 'A', "pvhfw",
			 "payload");
	save("fmt", "all-formats.bin");

	reset();
	for (uint8_t k = 0; k < 24; k++)
		fmt_step(k, k, (uint32_t)-1, 0, 0, 0, 0, 255, -1, 0, "", "x");
	save("fmt", "small-caps.bin");

	reset();
	fmt_step(17, 40, 100, 0, 262144, 0x100000, 0, 0, 0, 0, "memmap",
		 " (debug)");
	fmt_step(8, 299, 0x7fffffff, 0x80000000u, 0xffffffffu, 0, 255, 255, 0,
		 0, "", "");
	save("fmt", "boot-log.bin");
}

/* ---- cpio bundles -------------------------------------------------------- */

/* One newc entry at the end of buf: header, name, data, padding. */
static void cpio_entry(const char *magic, const char *name, uint32_t mode,
		       const void *data, uint32_t size)
{
	char hdr[111];
	uint32_t namesize = (uint32_t)strlen(name) + 1;

	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u,
		 namesize, 0u);
	put_bytes(hdr, 110);
	put_bytes(name, namesize);
	while (len % 4)
		put(0, 1);
	put_bytes(data, size);
	while (len % 4)
		put(0, 1);
}

static void gen_bundle(void)
{
	static const char kernel[] = "\x7f"
				     "ELF fake kernel bytes";
	static const char cmdline[] = "console=ttyS0 fw.loglevel=debug\n";
	static const char initrd[] = "070701 not really an initrd";

	/* What scripts/mkbundle writes: kernel, cmdline, a module. */
	reset();
	cpio_entry("070701", "kernel", 0100644, kernel, sizeof(kernel) - 1);
	cpio_entry("070701", "cmdline", 0100644, cmdline, sizeof(cmdline) - 1);
	cpio_entry("070701", "initrd.img", 0100644, initrd, sizeof(initrd) - 1);
	cpio_entry("070701", "TRAILER!!!", 0, "", 0);
	save("bundle", "mkbundle.cpio");

	/* cpio -H newc from a directory: ".", "./" names, a subdirectory. */
	reset();
	cpio_entry("070701", ".", 040755, "", 0);
	cpio_entry("070701", "./kernel", 0100755, kernel, sizeof(kernel) - 1);
	cpio_entry("070701", "mods", 040755, "", 0);
	cpio_entry("070701", "./mods/a", 0100644, "a", 1);
	cpio_entry("070701", "././b", 0100600, "bb", 2);
	cpio_entry("070701", "link", 0120777, "kernel", 6);
	cpio_entry("070701", "TRAILER!!!", 0, "", 0);
	put_bytes("garbage after the trailer", 25);
	save("bundle", "find-cpio.cpio");

	/* newc with checksums ("070702"), kernel only, empty data. */
	reset();
	cpio_entry("070702", "kernel", 0100644, "", 0);
	cpio_entry("070702", "TRAILER!!!", 0, "", 0);
	save("bundle", "crc-minimal.cpio");
}

/* ---- bzImage setup headers ----------------------------------------------- */

struct bz {
	uint8_t setup_sects, jump, loadflags, relocatable;
	uint16_t version, xloadflags;
	uint32_t align, init_size;
	uint64_t pref;
	size_t pm_size;
};

static void bzimage(const struct bz *b)
{
	size_t pm = ((size_t)(b->setup_sects ? b->setup_sects : 4) + 1) * 512;

	reset();
	wr(0x1f1, b->setup_sects, 1);
	wr(0x1fe, 0xaa55, 2);
	wr(0x200, 0xeb, 1);
	wr(0x201, b->jump, 1);
	wr_bytes(0x202, "HdrS", 4);
	wr(0x206, b->version, 2);
	wr(0x211, b->loadflags, 1);
	wr(0x214, 0x100000, 4);
	wr(0x22c, 0x7fffffff, 4);
	wr(0x230, b->align, 4);
	wr(0x234, b->relocatable, 1);
	wr(0x235, 21, 1);
	wr(0x236, b->xloadflags, 2);
	wr(0x238, 2047, 4);
	wr(0x258, b->pref, 8);
	wr(0x260, b->init_size, 4);
	fill_code(pm, b->pm_size);
}

/* fuzz_bzimage's map entry (type < 0x100) or busy range, 64 KiB units. */
static void bz_range(unsigned int type, uint16_t start, uint16_t size)
{
	if (type < 0x100)
		put(type, 1);
	put(start, 2);
	put(size, 2);
}

static void gen_bzimage(void)
{
	/* A distribution kernel's values (2.15, relocatable, above 4G). */
	struct bz b = { 27,   0x6a,	0x01,	   1,	      0x020f,
			0x7f, 0x200000, 0x2000000, 0x1000000, 1024 };
	bzimage(&b);
	/* Map/busy bytes at the end: 2 extra entries, then busy ranges. */
	len -= 48;
	put(2, 1);
	bz_range(2, 0x0100, 0x0100);	 /* reserved 16 - 32 MiB */
	bz_range(1, 0x0000, 0x0010);	 /* RAM 0 - 1 MiB */
	bz_range(0x100, 0x0010, 0x0010); /* busy 1 - 2 MiB */
	bz_range(0x100, 0x0300, 0x0080); /* busy 48 - 56 MiB */
	while (len % 512)
		put(0, 1); /* empty busy ranges */
	save("bzimage", "distro.bzimage");

	/* Protocol 2.12, not relocatable, alignment 0, below 4 GiB only. */
	struct bz c = { 0,    0x62, 0x81,   0,	       0x020c,
			0x01, 0,    0x1000, 0x1000000, 1024 };
	bzimage(&c);
	save("bzimage", "fixed-2.12.bzimage");

	/* Largest header (hdr_end 0x290), 16 MiB alignment, the smallest pm
	 * part: one byte at the 64-bit entry (0x200). */
	struct bz e = { 1,    0x8e,	 0x01,	1,	  0x020f,
			0x03, 0x1000000, 0x201, 0x100000, 0x201 };
	bzimage(&e);
	save("bzimage", "min-pm.bzimage");
}

/* ---- Multiboot kernels ---------------------------------------------------
 */

/* A Multiboot 1 header at `at`; addr (5 words) with the a.out kludge flag. */
static void mb1_hdr(size_t at, uint32_t flags, const uint32_t *addr)
{
	wr(at, 0x1badb002u, 4);
	wr(at + 4, flags, 4);
	wr(at + 8, (uint32_t)(0u - 0x1badb002u - flags), 4);
	for (int i = 0; addr != NULL && i < 5; i++)
		wr(at + 12 + 4 * (size_t)i, addr[i], 4);
}

/* Multiboot 2 header tags are appended at mb2_pos, 8-aligned. */
static size_t mb2_at, mb2_pos;

static void mb2_begin(size_t at)
{
	mb2_at = at;
	mb2_pos = at + 16;
}

static void mb2_tag(uint16_t type, uint16_t flags, const uint32_t *body,
		    unsigned int nwords)
{
	wr(mb2_pos, type, 2);
	wr(mb2_pos + 2, flags, 2);
	wr(mb2_pos + 4, 8 + 4 * nwords, 4);
	for (unsigned int i = 0; i < nwords; i++)
		wr(mb2_pos + 8 + 4 * i, body[i], 4);
	mb2_pos = (mb2_pos + 8 + 4 * nwords + 7) / 8 * 8;
}

/* The end tag, then magic, architecture 0, length and checksum. */
static void mb2_end(void)
{
	mb2_tag(0, 0, NULL, 0);
	uint32_t hlen = (uint32_t)(mb2_pos - mb2_at);
	wr(mb2_at, 0xe85250d6u, 4);
	wr(mb2_at + 4, 0, 4);
	wr(mb2_at + 8, hlen, 4);
	wr(mb2_at + 12, (uint32_t)(0u - 0xe85250d6u - hlen), 4);
}

/* fuzz_multiboot's builder parameters follow the kernel; see its header. */
static size_t mbp_start;

/* The fix-up byte is always 3: the fuzzer may then mutate the headers. */
static void mbp_begin(size_t kernel_size, uint8_t opts, uint32_t pa)
{
	grow(kernel_size);
	mbp_start = len;
	put(opts, 1);
	put(3, 1);
	put(pa, 4);
}

/* Map entries: 4 KiB pages (mode 0), KiB (1), u32 bytes (3). */
static void mbp_map(unsigned int n)
{
	put(n, 1);
}

static void mbp_pages(uint16_t addr, uint16_t size, uint32_t type)
{
	put(0 | type << 2, 1);
	put(addr, 2);
	put(size, 2);
}

static void mbp_kib(uint16_t addr, uint16_t size, uint32_t type)
{
	put(1 | type << 2, 1);
	put(addr, 2);
	put(size, 2);
}

static void mbp_u32(uint32_t addr, uint32_t size, uint32_t type)
{
	put(3 | type << 2, 1);
	put(addr, 4);
	put(size, 4);
}

static void mbp_str(const char *s)
{
	put(strlen(s), 1);
	put_bytes(s, strlen(s));
}

/* A module; string NULL is passed as NULL. */
static void mbp_module(uint32_t paddr, uint32_t size, const char *s)
{
	put(s == NULL ? 1 : 0, 1);
	put(paddr, 4);
	put(size, 4);
	if (s == NULL)
		put(0, 1);
	else
		mbp_str(s);
}

/* The relocation base, EFI's n loader ranges (start, size pairs; none
 * when n is 0, the count then left out), then the parameters' length as
 * the last byte. */
static void mbp_end_loader(uint32_t reloc_base, unsigned int n,
			   const uint64_t *ranges)
{
	put(reloc_base, 4);
	if (n != 0)
		put(n, 1);
	for (unsigned int i = 0; i < 2 * n; i++)
		put(ranges[i], 8);
	if (len - mbp_start > 255) {
		fprintf(stderr, "mkcorpus: multiboot parameters too long\n");
		exit(1);
	}
	put(len - mbp_start, 1);
}

static void mbp_end(uint32_t reloc_base)
{
	mbp_end_loader(reloc_base, 0, NULL);
}

static void gen_multiboot(void)
{
	struct seg s[2];
	uint8_t r[36];

	/*
	 * ELF32 with a Multiboot 1 header (PAGE_ALIGN | MEMORY_INFO) at
	 * the start of its code segment, as mbcheck's mb1check32.elf; a
	 * QEMU-like map, a command line, two modules.
	 */
	reset();
	fill_code(0xa0, 0x60);
	mb1_hdr(0x80, 0x3, NULL);
	s[0] = (struct seg){ 1,	       5,    0x80,   0x100080,
			     0x100080, 0x80, 0x2000, 0x1000 };
	s[1] = (struct seg){
		1, 6, 0x100, 0x103000, 0x103000, 0x40, 0x1000, 16
	};
	elf_headers(0, 3, 2, 0x1000a0, s, 2);
	mbp_begin(0x140, 0x01, 0x9000);
	mbp_map(5);
	mbp_kib(0, 0x27f, 1);
	mbp_kib(0x27f, 1, 2);
	mbp_pages(0xf0, 0x10, 2);
	mbp_pages(0x100, 0x7f00, 1);
	mbp_u32(0xfffc0000u, 0x40000, 2);
	mbp_str("kernel console=ttyS0 fw.loglevel=debug");
	put(2, 1);
	mbp_module(0x200000, 0x1234, "initrd root=/dev/ram0");
	mbp_module(0x300000, 0x10, NULL);
	mbp_end(0);
	save("multiboot", "mb1-elf32.bin");

	/*
	 * ELF64 whose Multiboot 1 header has the a.out kludge (flags
	 * 0x10003, as Solo5): load at 1 MiB, data to 0x100200, bss to
	 * 0x105000, entry 0x100100 (e_entry is elsewhere). One RAM entry
	 * spans 1 MiB, so the MB1 map splits it.
	 */
	reset();
	const uint32_t kl[5] = { 0x100080, 0x100000, 0x100200, 0x105000,
				 0x100100 };
	fill_code(0xa0, 0x1a0);
	mb1_hdr(0x80, 0x10003, kl);
	s[0] = (struct seg){ 1,	       7,     0,      0xffffffff80100000ull,
			     0x100000, 0x200, 0x5000, 0x1000 };
	elf_headers(1, 62, 2, 0xffffffff80100000ull, s, 1);
	mbp_begin(0x240, 0x01, 0x10000);
	mbp_map(3);
	mbp_pages(0, 0x8000, 1);
	mbp_u32(0xfeffc000u, 0x4000, 2);
	mbp_u32(0xfffc0000u, 0x40000, 2);
	mbp_str("kernel");
	put(1, 1);
	mbp_module(0x7fd0000, 0x20000, "");
	mbp_end(0x200000);
	save("multiboot", "mb1-kludge-elf64.bin");

	/*
	 * ELF64 with a Multiboot 2 header as mbcheck's mb2check.elf:
	 * required information 1, 2, 3, 4, 6, optional 15, 14, entry tag,
	 * module alignment, optional console and framebuffer tags. The
	 * builders get a command line, a v2 RSDP, EFI data (one free
	 * descriptor, the kernel's extent and the module placed in it), a
	 * load base.
	 */
	reset();
	static const uint32_t req[] = { 1, 2, 3, 4, 6 }, opt[] = { 15, 14 };
	static const uint32_t entry[] = { 0x100200 }, console[] = { 2 };
	static const uint32_t fb[] = { 1024, 768, 32 };
	fill_code(0x110, 0x1f0);
	mb2_begin(0x80);
	mb2_tag(1, 0, req, 5);
	mb2_tag(1, 1, opt, 2);
	mb2_tag(3, 0, entry, 1);
	mb2_tag(6, 0, NULL, 0);
	mb2_tag(4, 1, console, 1);
	mb2_tag(5, 1, fb, 3);
	mb2_end();
	s[0] = (struct seg){ 1,	       5,     0x80,   0x100080,
			     0x100080, 0x280, 0x8000, 0x1000 };
	elf_headers(1, 62, 2, 0x100300, s, 1);
	mbp_begin(0x300, 0x0f, 0x8000);
	mbp_map(2);
	mbp_kib(0, 0x27f, 1);
	mbp_pages(0x100, 0xff00, 1);
	mbp_str("kernel -- mb2");
	put(1, 1);
	mbp_module(0x1000000, 0x4000, "mod");
	rsdp(r, 2, 0x7fe1234, 0x7fe2000);
	put(36, 1);
	put_bytes(r, 36);
	put(0x7f000000, 8); /* EFI system table */
	put(0x7e000000, 8); /* image handle */
	put(48, 1);	    /* one 48-byte descriptor */
	put(7, 4);
	put(0, 4);
	put(0x100000, 8);
	put(0, 8);
	put(0x1000, 8);
	put(0xf, 8);
	put(0, 8);
	put(48, 4); /* desc_size */
	put(1, 4);  /* desc_version */
	put(0x100080, 4);
	static const uint64_t placed[] = { 0x100080, 0x8000, 0x1000000,
					   0x4000 };
	mbp_end_loader(0x300000, 2, placed);
	save("multiboot", "mb2-elf64.bin");

	/*
	 * A raw (not ELF) Multiboot 2 image at offset 0: address and entry
	 * tags, relocatable (min 1 MiB, max 1 GiB, align 2 MiB, lowest),
	 * requiring the load base tag. No map (mm NULL), no modules.
	 */
	reset();
	static const uint32_t addr[] = { 0x200000, 0x200000, 0, 0x210000 };
	static const uint32_t ent2[] = { 0x200100 };
	static const uint32_t reloc[] = { 0x100000, 0x40000000, 0x200000, 1 };
	static const uint32_t req2[] = { 21, 1 };
	fill_code(0x80, 0x180);
	mb2_begin(0);
	mb2_tag(2, 0, addr, 4);
	mb2_tag(3, 0, ent2, 1);
	mb2_tag(10, 0, reloc, 4);
	mb2_tag(1, 0, req2, 2);
	mb2_end();
	mbp_begin(0x200, 0x88, 0x1000);
	mbp_map(0);
	put(0, 1); /* no modules */
	put(0x400000, 4);
	mbp_end(0x600000);
	save("multiboot", "mb2-raw-reloc.bin");

	/*
	 * Raw Multiboot 2 image with 63 optional information requests and a
	 * required request for 1, 100 (one of the 63) and 200: the 65th
	 * distinct type, one too many (MB_E_MB2_TOO_MANY_REQ).
	 */
	reset();
	uint32_t many[63];
	static const uint32_t req3[] = { 1, 100, 200 };
	for (unsigned int i = 0; i < 63; i++)
		many[i] = 100 + i;
	mb2_begin(0);
	mb2_tag(1, 1, many, 63);
	mb2_tag(1, 0, req3, 3);
	mb2_end();
	mbp_begin(len, 0, 0x1000);
	mbp_map(0);
	put(0, 1);
	mbp_end(0);
	save("multiboot", "mb2-many-requests.bin");
}

/* ---- ACPI tables --------------------------------------------------------- */

/* Where fuzz_acpi_tables' memory (physical address 0) starts in buf. */
static size_t tm;

static void tables_header(uint8_t flags, uint32_t rsdp_off, uint8_t revision,
			  uint32_t rsdt, uint64_t xsdt, const char *extra,
			  const uint32_t *fix, unsigned int nfix)
{
	reset();
	put(flags, 1);
	put(rsdp_off, 4);
	put(revision, 1);
	put(rsdt, 4);
	put(xsdt, 8);
	put_bytes(extra, 4);
	put(nfix, 1);
	for (unsigned int i = 0; i < nfix; i++)
		put(fix[i], 4);
	tm = len;
}

/* A 36-byte table header at physical address at (checksum left 0). */
static void sdt(uint32_t at, const char *sig, uint32_t length, uint8_t rev)
{
	wr_bytes(tm + at, sig, 4);
	wr(tm + at + 4, length, 4);
	wr(tm + at + 8, rev, 1);
	wr_bytes(tm + at + 10, "PVHFW ", 6);
	wr_bytes(tm + at + 16, "FUZZTABL", 8);
	wr(tm + at + 24, 1, 4);
	wr_bytes(tm + at + 28, "FUZZ", 4);
	wr(tm + at + 32, 1, 4);
	grow(tm + at + length);
}

static void sdt_sum(uint32_t at)
{
	uint8_t *t = buf + tm + at;
	uint32_t length = (uint32_t)(t[4] | t[5] << 8 | t[6] << 16 |
				     (uint32_t)t[7] << 24);
	unsigned int sum = 0;
	t[9] = 0;
	for (uint32_t i = 0; i < length; i++)
		sum += t[i];
	t[9] = (uint8_t)(0 - sum);
}

/* A Generic Address Structure at physical address at. */
static void gas(uint32_t at, uint8_t space, uint8_t width, uint8_t access,
		uint64_t addr)
{
	wr(tm + at, space, 1);
	wr(tm + at + 1, width, 1);
	wr(tm + at + 2, 0, 1);
	wr(tm + at + 3, access, 1);
	wr(tm + at + 4, addr, 8);
}

static void aml(uint32_t at, const uint8_t *p, size_t n)
{
	wr_bytes(tm + at, p, n);
}

static void gen_acpi_tables(void)
{
	uint8_t r[36];

	/*
	 * RSDP v2 -> XSDT -> FACP (ACPI 6, 276 bytes, q35-like PM1a_CNT
	 * 0x604 as X_ GAS, reset register 0xcf9) -> DSDT with a malformed
	 * \_S5 candidate, then Name(\_S5_, Package(4){0x05, 0x0005, 0, 0});
	 * also APIC, two SSDTs, a zero entry and one outside memory.
	 */
	static const uint32_t fix1[] = {
		0x220, 0x100, 0x280, 0x2c0, 0x300, 0x40
	};
	static const uint8_t s5_q35[] = {
		0x08, '_',  'S',  '5',	'_',  0x12, 0x70, 0x00, /* bad */
		0x08, '\\', '_',  'S',	'5',  '_',  0x12, 0x09,
		0x04, 0x0a, 0x05, 0x0b, 0x05, 0x00, 0x00, 0x00,
	};
	tables_header(0x06, 0, 0, 0, 0, "HPET", fix1, 6);
	rsdp(r, 2, 0, 0x40);
	wr_bytes(tm, r, 36);
	sdt(0x40, "XSDT", 36 + 6 * 8, 1);
	wr(tm + 0x40 + 36, 0x100, 8);
	wr(tm + 0x40 + 44, 0x280, 8);
	wr(tm + 0x40 + 52, 0, 8);
	wr(tm + 0x40 + 60, 0x2c0, 8);
	wr(tm + 0x40 + 68, 0x300, 8);
	wr(tm + 0x40 + 76, 0xfff00000u, 8);
	sdt(0x100, "FACP", 276, 6);
	wr(tm + 0x100 + 40, 0x220, 4);		     /* DSDT */
	wr(tm + 0x100 + 64, 0x604, 4);		     /* PM1a_CNT_BLK */
	wr(tm + 0x100 + 76, 0x608, 4);		     /* PM_TMR_BLK */
	wr(tm + 0x100 + 112, 1u << 8 | 1u << 10, 4); /* TMR_VAL_EXT, RESET */
	gas(0x100 + 116, 1, 8, 1, 0xcf9);	     /* RESET_REG */
	wr(tm + 0x100 + 128, 6, 1);		     /* RESET_VALUE */
	wr(tm + 0x100 + 140, 0x220, 8);		     /* X_DSDT */
	gas(0x100 + 172, 1, 16, 2, 0x604);	     /* X_PM1a_CNT_BLK */
	gas(0x100 + 208, 1, 32, 3, 0x608);	     /* X_PM_TMR_BLK */
	sdt(0x220, "DSDT", 36 + sizeof(s5_q35), 2);
	aml(0x220 + 36, s5_q35, sizeof(s5_q35));
	sdt(0x280, "APIC", 44, 3);
	wr(tm + 0x280 + 36, 0xfee00000u, 4);
	wr(tm + 0x280 + 40, 1, 4);
	sdt(0x2c0, "SSDT", 40, 1);
	sdt(0x300, "SSDT", 40, 1);
	wr(tm + 0x300 + 36, 0x5b, 1);
	for (unsigned int i = 0; i < 6; i++)
		sdt_sum(fix1[i]);
	save("acpi_tables", "v2-xsdt-pm1.bin");

	/*
	 * RSDP v0 -> RSDT: a FACP with a bad checksum (skipped), then an
	 * ACPI 1.0 FACP (116 bytes, PIIX4 PM1a_CNT 0xb004) -> DSDT with
	 * SeaBIOS-style Name(_S5_, Package(4){Zero, Zero, Zero, Zero}).
	 */
	static const uint32_t fix2[] = { 0x160, 0xe0, 0x30 };
	static const uint8_t s5_piix[] = { 0x08, '_',  'S',  '5',  '_',	 0x12,
					   0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	tables_header(0x02, 0x10, 0, 0, 0, "SRAT", fix2, 3);
	rsdp(r, 0, 0x30, 0);
	wr_bytes(tm + 0x10, r, 20);
	sdt(0x30, "RSDT", 36 + 2 * 4, 1);
	wr(tm + 0x30 + 36, 0x60, 4);
	wr(tm + 0x30 + 40, 0xe0, 4);
	for (uint32_t at = 0x60; at <= 0xe0; at += 0x80) {
		sdt(at, "FACP", 116, 1);
		wr(tm + at + 40, 0x160, 4);  /* DSDT */
		wr(tm + at + 64, 0xb004, 4); /* PM1a_CNT_BLK */
		wr(tm + at + 76, 0xb008, 4); /* PM_TMR_BLK */
		sdt_sum(at);
	}
	buf[tm + 0x60 + 9] ^= 0x55; /* the first one's checksum is wrong */
	sdt(0x160, "DSDT", 36 + sizeof(s5_piix), 1);
	aml(0x160 + 36, s5_piix, sizeof(s5_piix));
	for (unsigned int i = 0; i < 3; i++)
		sdt_sum(fix2[i]);
	save("acpi_tables", "v0-rsdt-piix.bin");

	/*
	 * RSDP fields from the header (revision 2, XSDT at 8) -> a
	 * HW-reduced FACP with SLEEP_CONTROL_REG at I/O port 0x3c0 and only
	 * an X_DSDT -> DSDT with Cloud Hypervisor's one-element
	 * Name(_S5_, Package(1){0x05}) (not enough elements for acpi.h),
	 * then a two-element Package(2){0x05, 0x05}.
	 */
	static const uint32_t fix3[] = { 0x160, 0x40, 0x8 };
	static const uint8_t s5_ch[] = {
		0x08, '_', 'S', '5', '_',  0x12, 0x04, 0x01, 0x0a, 0x05, 0x08,
		'_',  'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05,
	};
	tables_header(0x01, 0, 2, 0, 0x8, "MCFG", fix3, 3);
	sdt(0x8, "XSDT", 36 + 8, 1);
	wr(tm + 0x8 + 36, 0x40, 8);
	sdt(0x40, "FACP", 276, 6);
	wr(tm + 0x40 + 112, 1u << 20, 4); /* HW_REDUCED_ACPI */
	wr(tm + 0x40 + 140, 0x160, 8);	  /* X_DSDT */
	gas(0x40 + 244, 1, 8, 1, 0x3c0);  /* SLEEP_CONTROL_REG */
	gas(0x40 + 256, 1, 8, 1, 0x3c1);  /* SLEEP_STATUS_REG */
	sdt(0x160, "DSDT", 36 + sizeof(s5_ch), 6);
	aml(0x160 + 36, s5_ch, sizeof(s5_ch));
	for (unsigned int i = 0; i < 3; i++)
		sdt_sum(fix3[i]);
	save("acpi_tables", "hw-reduced.bin");
}

/* ---- SHA-256 ----------------------------------------------------------- */

/* fuzz_sha256: the chunking seed byte, then the message. */
static void gen_sha256(void)
{
	reset();
	put(0, 1);
	put_bytes("abc", 3);
	save("sha256", "abc.bin");

	/* 119 bytes in chunks: across the 55/56/64-byte padding limits. */
	reset();
	put(0x37, 1);
	for (unsigned int i = 0; i < 119; i++)
		put((i * 37 + 11) & 0xff, 1);
	save("sha256", "blocks.bin");

	/* SHA-256("abc") in hex: sha256_parse_hex accepts the message. */
	reset();
	put(1, 1);
	put_bytes("ba7816bf8f01cfea414140de5dae2223"
		  "b00361a396177a9cb410ff61f20015ad",
		  64);
	save("sha256", "hex.bin");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	gen_elf();
	gen_pvh();
	gen_memmap();
	gen_acpi();
	gen_cmdline();
	gen_fmt();
	gen_bundle();
	gen_bzimage();
	gen_multiboot();
	gen_acpi_tables();
	gen_sha256();
	return 0;
}
