// SPDX-License-Identifier: MIT
/*
 * stamp.c: the build-time tool of the integrity payloads (runs on the build
 * machine).
 *
 *   integrity-stamp gen BYTES OUT   write the BYTES-long blob (integrity.h)
 *   integrity-stamp patch ELF       compute the checksum of the linked ELF
 *                                   and write the stamp record into it
 *   integrity-stamp check ELF       recompute it and compare with the stamp
 *                                   (exit 1 on a mismatch); writes nothing
 *
 * patch and check hash what the firmware will copy: the p_filesz bytes of
 * every PT_LOAD, in p_paddr order, with the skip range (integrity.h) as
 * zeros. Before writing, patch checks what main.c assumes: the PT_LOADs are
 * [__image_start, __text_end) and [__data_start, __data_end) with p_paddr =
 * p_vaddr, the record lies in the skip range, and the blob in the file is
 * the generator's output.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integrity.h"

static const char *path;

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "integrity-stamp: %s: ", path ? path : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* ---- gen ---- */

static int cmd_gen(const char *bytes_arg, const char *out)
{
	static uint8_t buf[1 << 20];
	char *endp;
	unsigned long long n;
	uint64_t s = BLOB_SEED;
	FILE *f;

	path = out;
	errno = 0;
	n = strtoull(bytes_arg, &endp, 0);
	if (errno || *endp || !n || n % 8)
		die("blob size \"%s\" is not a positive multiple of 8",
		    bytes_arg);
	f = fopen(out, "wb");
	if (!f)
		die("%s", strerror(errno));
	while (n) {
		size_t chunk = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		for (size_t i = 0; i < chunk; i += 8)
			put64(buf + i, xorshift64(&s));
		if (fwrite(buf, 1, chunk, f) != chunk)
			die("write: %s", strerror(errno));
		n -= chunk;
	}
	if (fclose(f))
		die("close: %s", strerror(errno));
	return 0;
}

/* ---- patch, check ---- */

struct image {
	uint8_t *file;
	size_t size;
	Elf64_Phdr seg[STAMP_MAX_SEGS]; /* PT_LOADs with file bytes, sorted */
	size_t nseg;
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strs;
	size_t strs_size;
};

static void read_file(struct image *im)
{
	FILE *f = fopen(path, "rb");
	long len;

	if (!f)
		die("%s", strerror(errno));
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("cannot size the file: %s", strerror(errno));
	im->size = (size_t)len;
	im->file = malloc(im->size ? im->size : 1);
	if (!im->file)
		die("out of memory");
	if (fread(im->file, 1, im->size, f) != im->size)
		die("read: %s", strerror(errno));
	fclose(f);
}

/* [off, off + len) lies in the file. */
static int in_file(const struct image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

static void parse(struct image *im)
{
	Elf64_Ehdr eh;
	const Elf64_Shdr *sh;

	if (im->size < sizeof(eh))
		die("too short for an ELF header");
	memcpy(&eh, im->file, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
	    eh.e_type != ET_EXEC)
		die("not a little-endian x86-64 ELF64 executable");
	if (eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(im, eh.e_phoff,
		     (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr)) ||
	    !in_file(im, eh.e_shoff,
		     (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr)) ||
	    eh.e_phoff % 8 || eh.e_shoff % 8)
		die("bad program or section header table");

	/* The PT_LOADs that have file bytes, sorted by p_paddr. */
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		size_t j;

		memcpy(&ph, im->file + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		if (ph.p_paddr != ph.p_vaddr)
			die("PT_LOAD %u: p_paddr 0x%" PRIx64
			    " != p_vaddr 0x%" PRIx64,
			    i, (uint64_t)ph.p_paddr, (uint64_t)ph.p_vaddr);
		if (!in_file(im, ph.p_offset, ph.p_filesz) ||
		    ph.p_filesz > ph.p_memsz)
			die("PT_LOAD %u: file bytes outside the file", i);
		if (im->nseg == STAMP_MAX_SEGS)
			die("more than %d PT_LOADs with file bytes",
			    STAMP_MAX_SEGS);
		for (j = im->nseg; j > 0 && im->seg[j - 1].p_paddr > ph.p_paddr;
		     j--)
			im->seg[j] = im->seg[j - 1];
		im->seg[j] = ph;
		im->nseg++;
	}
	for (size_t j = 1; j < im->nseg; j++)
		if (im->seg[j - 1].p_paddr + im->seg[j - 1].p_memsz >
		    im->seg[j].p_paddr)
			die("PT_LOADs overlap");

	/* The one symbol table and its strings. */
	sh = (const Elf64_Shdr *)(im->file + eh.e_shoff);
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		const Elf64_Shdr *st;

		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		if (im->syms)
			die("more than one symbol table");
		if (sh[i].sh_entsize != sizeof(Elf64_Sym) ||
		    !in_file(im, sh[i].sh_offset, sh[i].sh_size) ||
		    sh[i].sh_offset % 8 || sh[i].sh_link >= eh.e_shnum)
			die("bad symbol table");
		st = &sh[sh[i].sh_link];
		if (st->sh_type != SHT_STRTAB ||
		    !in_file(im, st->sh_offset, st->sh_size) || !st->sh_size ||
		    im->file[st->sh_offset + st->sh_size - 1] != '\0')
			die("bad symbol string table");
		im->syms = (const Elf64_Sym *)(im->file + sh[i].sh_offset);
		im->nsyms = sh[i].sh_size / sizeof(Elf64_Sym);
		im->strs = (const char *)im->file + st->sh_offset;
		im->strs_size = st->sh_size;
	}
	if (!im->syms)
		die("no symbol table (stripped?)");
}

static const Elf64_Sym *sym(const struct image *im, const char *name)
{
	for (size_t i = 0; i < im->nsyms; i++) {
		const Elf64_Sym *s = &im->syms[i];

		if (s->st_name < im->strs_size &&
		    !strcmp(im->strs + s->st_name, name) &&
		    s->st_shndx != SHN_UNDEF)
			return s;
	}
	die("no symbol %s", name);
}

static uint64_t addr_of(const struct image *im, const char *name)
{
	return sym(im, name)->st_value;
}

/* The file offset of [addr, addr + len), which must be file-backed. */
static uint64_t file_off(const struct image *im, uint64_t addr, uint64_t len,
			 const char *what)
{
	for (size_t i = 0; i < im->nseg; i++) {
		const Elf64_Phdr *p = &im->seg[i];

		if (addr >= p->p_paddr && addr - p->p_paddr <= p->p_filesz &&
		    len <= p->p_filesz - (addr - p->p_paddr))
			return p->p_offset + (addr - p->p_paddr);
	}
	die("%s (0x%" PRIx64 "+%" PRIu64 ") is not file-backed", what, addr,
	    len);
}

/* What main.c assumes about the layout (see the header comment). */
static void check_layout(const struct image *im, uint64_t *skip_lo,
			 uint64_t *skip_hi, uint64_t *rec_off)
{
	const char *bounds[2][2] = { { "__image_start", "__text_end" },
				     { "__data_start", "__data_end" } };
	const Elf64_Sym *rec = sym(im, "integrity_stamp");

	if (im->nseg != 2)
		die("%zu PT_LOADs with file bytes, expected 2", im->nseg);
	for (int i = 0; i < 2; i++) {
		uint64_t lo = addr_of(im, bounds[i][0]);
		uint64_t hi = addr_of(im, bounds[i][1]);

		if (im->seg[i].p_paddr != lo || im->seg[i].p_filesz != hi - lo)
			die("PT_LOAD 0x%" PRIx64 "+0x%" PRIx64
			    " is not [%s, %s) = [0x%" PRIx64 ", 0x%" PRIx64 ")",
			    (uint64_t)im->seg[i].p_paddr,
			    (uint64_t)im->seg[i].p_filesz, bounds[i][0],
			    bounds[i][1], lo, hi);
	}

	*skip_lo = addr_of(im, "__skip_start");
	*skip_hi = addr_of(im, "__skip_end");
	if (rec->st_size != sizeof(struct integrity_stamp) ||
	    rec->st_value < *skip_lo || rec->st_value + rec->st_size > *skip_hi)
		die("integrity_stamp (0x%" PRIx64 "+%" PRIu64
		    ") is not a stamp record in the skip range",
		    (uint64_t)rec->st_value, (uint64_t)rec->st_size);
	*rec_off = file_off(im, rec->st_value, rec->st_size, "the stamp");
	if (get64(im->file + *rec_off) != STAMP_MAGIC)
		die("the stamp record has no magic");
}

/* 0 when the blob in the file is the generator's output, else 1 (said). */
static int check_blob(const struct image *im)
{
	uint64_t lo = addr_of(im, "__blob_start");
	uint64_t hi = addr_of(im, "__blob_end");
	uint64_t s = BLOB_SEED, off;

	if (hi < lo || (hi - lo) % 8 || lo % 8)
		die("bad blob bounds 0x%" PRIx64 "-0x%" PRIx64, lo, hi);
	off = file_off(im, lo, hi - lo, "the blob");
	for (uint64_t i = 0; i < hi - lo; i += 8) {
		if (get64(im->file + off + i) != xorshift64(&s)) {
			fprintf(stderr,
				"integrity-stamp: %s: the blob word at "
				"0x%" PRIx64 " differs from the generator\n",
				path, lo + i);
			return 1;
		}
	}
	return 0;
}

static uint64_t hash(const struct image *im, uint64_t skip_lo, uint64_t skip_hi,
		     uint64_t *bytes)
{
	uint64_t h = FNV64_OFFSET;

	*bytes = 0;
	for (size_t i = 0; i < im->nseg; i++) {
		const Elf64_Phdr *p = &im->seg[i];

		h = integrity_hash_segment(h, im->file + p->p_offset,
					   p->p_paddr, p->p_filesz, skip_lo,
					   skip_hi);
		*bytes += p->p_filesz;
	}
	return h;
}

static int cmd_patch(const char *elf, int write)
{
	struct image im = { 0 };
	uint64_t skip_lo, skip_hi, rec_off, bytes, h;
	uint8_t rec[sizeof(struct integrity_stamp)];
	int bad;
	FILE *f;

	path = elf;
	read_file(&im);
	parse(&im);
	check_layout(&im, &skip_lo, &skip_hi, &rec_off);
	bad = check_blob(&im);
	if (bad && write)
		exit(1);
	h = hash(&im, skip_lo, skip_hi, &bytes);

	put64(rec + 0, STAMP_MAGIC);
	put64(rec + 8, STAMP_DONE);
	put64(rec + 16, h);
	put64(rec + 24, bytes);
	put64(rec + 32, im.nseg);
	for (size_t i = 0; i < STAMP_MAX_SEGS; i++) {
		put64(rec + 40 + 16 * i, im.seg[i].p_paddr);
		put64(rec + 48 + 16 * i, im.seg[i].p_filesz);
	}

	if (!write) {
		if (memcmp(im.file + rec_off, rec, sizeof(rec))) {
			fprintf(stderr,
				"integrity-stamp: %s: MISMATCH: computed "
				"0x%016" PRIx64 " over %" PRIu64
				" bytes, stamped 0x%016" PRIx64 " over %" PRIu64
				"\n",
				path, h, bytes, get64(im.file + rec_off + 16),
				get64(im.file + rec_off + 24));
			return 1;
		}
		printf("%s: stamp %s, fnv1a64 0x%016" PRIx64 " over %" PRIu64
		       " bytes\n",
		       path, bad ? "ok (but not the blob)" : "ok", h, bytes);
		return bad;
	}

	f = fopen(path, "r+b");
	if (!f)
		die("%s", strerror(errno));
	if (fseek(f, (long)rec_off, SEEK_SET) ||
	    fwrite(rec, 1, sizeof(rec), f) != sizeof(rec) || fclose(f))
		die("writing the stamp: %s", strerror(errno));
	free(im.file);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return cmd_gen(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "patch"))
		return cmd_patch(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "check"))
		return cmd_patch(argv[2], 0);
	fprintf(stderr, "usage: integrity-stamp gen BYTES OUT\n"
			"       integrity-stamp patch ELF\n"
			"       integrity-stamp check ELF\n");
	return 2;
}
