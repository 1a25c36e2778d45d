// SPDX-License-Identifier: MIT
/*
 * mkbad.c: writes the broken and edge-case payloads the boot tests feed the
 * firmware, one file per case, into the directory given as argv[1].
 *
 * Each is a minimal ELF built here from scratch (an ELF64 header, program
 * headers, a few bytes of code that would halt) and then spoiled in one
 * way. None of them must ever run: the firmware has to refuse each with its
 * one-line error. The exception is the last, an edge case that must boot.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t img[1 << 16];
static size_t len;

static void put(size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

/* ELF64 header + nph program headers at 64; code at 0x1000 in the file. */
static void elf64(int nph)
{
	memset(img, 0, sizeof(img));
	memcpy(img,
	       "\x7f"
	       "ELF",
	       4);
	img[4] = 2; /* ELFCLASS64 */
	img[5] = 1; /* little endian */
	img[6] = 1;
	put(16, 2, 2);	/* ET_EXEC */
	put(18, 62, 2); /* EM_X86_64 */
	put(20, 1, 4);
	put(24, 0x400000, 8); /* e_entry */
	put(32, 64, 8);	      /* e_phoff */
	put(52, 64, 2);
	put(54, 56, 2);
	put(56, (uint64_t)nph, 2);
	img[0x1000] = 0xF4; /* hlt */
	img[0x1001] = 0xEB; /* jmp $-1 */
	img[0x1002] = 0xFD;
	len = 0x2000;
}

static void phdr(int i, uint32_t type, uint32_t flags, uint64_t off,
		 uint64_t addr, uint64_t filesz, uint64_t memsz)
{
	size_t p = 64 + (size_t)i * 56;
	put(p, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, addr, 8);
	put(p + 24, addr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, 0x1000, 8);
}

static void text(int i, uint64_t addr)
{
	phdr(i, 1, 5, 0x1000, addr, 0x1000, 0x1000);
}

/* A "Xen" note at off: type, then descsz bytes of descriptor the caller
 * writes at off + 16. Returns that offset. */
static size_t xen_note(size_t off, uint32_t type, uint32_t descsz)
{
	put(off, 4, 4);
	put(off + 4, descsz, 4);
	put(off + 8, type, 4);
	memcpy(img + off + 12, "Xen", 4);
	return off + 16;
}

/* A Multiboot 1 header at off with these flags (no address fields). */
static void mb1_header(size_t off, uint32_t flags)
{
	put(off, 0x1BADB002, 4);
	put(off + 4, flags, 4);
	put(off + 8, (uint32_t)(0u - 0x1BADB002u - flags), 4);
}

/* A Multiboot 2 header's first 16 bytes at off (i386, length bytes); the
 * caller writes its tags from off + 16. */
static void mb2_header(size_t off, uint32_t length)
{
	put(off, 0xE85250D6, 4);
	put(off + 4, 0, 4);
	put(off + 8, length, 4);
	put(off + 12, (uint32_t)(0u - 0xE85250D6u - length), 4);
}

static void out(const char *dir, const char *name, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(img, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkbad OUTDIR\n");
		return 2;
	}
	const char *d = argv[1];

	out(d, "empty.bin", 0);

	uint32_t x = 12345;
	for (size_t i = 0; i < 4096; i++) {
		x = x * 1103515245 + 12345;
		img[i] = (uint8_t)(x >> 16);
	}
	out(d, "random.bin", 4096);

	elf64(1);
	text(0, 0x400000);
	out(d, "truncated-header.elf", 40);

	elf64(1);
	text(0, 0x400000);
	put(32, len - 20, 8); /* e_phoff near the end */
	out(d, "phdrs-past-eof.elf", len);

	elf64(1);
	phdr(0, 1, 5, 0x1000, 0x400000, 0x2000, 0x1000);
	out(d, "filesz-gt-memsz.elf", 0x3000);

	elf64(2);
	text(0, 0x400000);
	phdr(1, 1, 6, 0x1000, 0x400800, 0x800, 0x2000);
	out(d, "overlap.elf", len);

	elf64(1);
	text(0, 0x4000000000ull); /* 256 GiB */
	put(24, 0x4000000000ull, 8);
	out(d, "above-ram.elf", len);

	elf64(1);
	text(0, 0xC0000000ull); /* in the PCI hole of a 256 MiB VM */
	put(24, 0xC0000000ull, 8);
	out(d, "in-hole.elf", len);

	elf64(1);
	text(0, 0x400000);
	put(56, 65535, 2);
	out(d, "phnum-65535.elf", len);

	elf64(1);
	text(0, 0x400000);
	put(24, 0x900000, 8); /* entry outside every segment */
	out(d, "bad-entry.elf", len);

	/* The entry in the zero-filled part of its executable segment: the
	 * file gives 16 bytes, memory 8 KiB. */
	elf64(1);
	phdr(0, 1, 5, 0x1000, 0x400000, 0x10, 0x2000);
	put(24, 0x401000, 8);
	out(d, "entry-in-bss.elf", len);

	/* A PVH note whose descriptor is 2 bytes long. */
	elf64(2);
	text(0, 0x400000);
	phdr(1, 4, 4, 0x1800, 0, 20, 20);
	xen_note(0x1800, 18, 2);
	out(d, "pvh-short-note.elf", len);

	/* PVH kernels linked at 1 GiB (no RAM in a 256 MiB VM) with a
	 * PHYS32_RELOC note: alignment 0x3000; minimum above maximum; and
	 * limits too narrow for the 4 KiB image (0x100000-0x1000ff). */
	static const struct {
		const char *name;
		uint32_t align, min, max;
	} relocs[] = {
		{ "reloc-npot.elf", 0x3000, 0x100000, 0x3fffffff },
		{ "reloc-minmax.elf", 0x1000, 0x2000000, 0x1ffffff },
		{ "reloc-nospace.elf", 0x1000, 0x100000, 0x1000ff },
	};
	for (size_t i = 0; i < sizeof(relocs) / sizeof(relocs[0]); i++) {
		elf64(2);
		text(0, 0x40000000);
		put(24, 0x40000000, 8);
		phdr(1, 4, 4, 0x1800, 0, 48, 48);
		put(xen_note(0x1800, 18, 4), 0x40000000, 4); /* PHYS32_ENTRY */
		size_t r = xen_note(0x1814, 19, 12);	     /* PHYS32_RELOC */
		put(r, relocs[i].align, 4);
		put(r + 4, relocs[i].min, 4);
		put(r + 8, relocs[i].max, 4);
		out(d, relocs[i].name, len);
	}

	/* A PVH kernel that also has a Multiboot 1 header, and one with a
	 * Multiboot 2 header instead: the order of detection (QEMU's) takes
	 * Multiboot 1 before PVH, and PVH before Multiboot 2. */
	for (int v = 1; v <= 2; v++) {
		elf64(2);
		text(0, 0x400000);
		phdr(1, 4, 4, 0x1800, 0, 20, 20);
		put(xen_note(0x1800, 18, 4), 0x400000, 4);
		if (v == 1) {
			mb1_header(0x100, 0);
		} else {
			mb2_header(0x100, 24);
			put(0x110, 0, 2); /* end tag */
			put(0x114, 8, 4);
		}
		out(d, v == 1 ? "pvh-and-mb1.elf" : "pvh-and-mb2.elf", len);
	}

	/* ELF32, no PVH note. */
	memset(img, 0, sizeof(img));
	memcpy(img,
	       "\x7f"
	       "ELF",
	       4);
	img[4] = 1;
	img[5] = 1;
	img[6] = 1;
	put(16, 2, 2);
	put(18, 3, 2);
	put(20, 1, 4);
	put(24, 0x400000, 4);
	put(28, 52, 4);
	put(40, 52, 2);
	put(42, 32, 2);
	put(44, 1, 2);
	put(52, 1, 4);
	put(56, 0x1000, 4);
	put(60, 0x400000, 4);
	put(64, 0x400000, 4);
	put(68, 0x1000, 4);
	put(72, 0x1000, 4);
	put(76, 5, 4);
	put(80, 0x1000, 4);
	img[0x1000] = 0xF4;
	out(d, "elf32-no-pvh.elf", 0x2000);

	/* A Multiboot 1 kernel that requires a video mode (flag 2), which the
	 * firmware cannot set: refused by name. */
	elf64(1);
	text(0, 0x400000);
	mb1_header(0x100, 0x00000004);
	out(d, "mb1-video.elf", len);

	/* A Multiboot 1 kernel (no address fields: loaded by its ELF
	 * headers) whose second program header runs past the end of the
	 * file: the ELF error names it. */
	elf64(2);
	text(0, 0x400000);
	phdr(1, 1, 6, 0x1800, 0x500000, 0x1000, 0x1000);
	mb1_header(0x100, 0);
	out(d, "mb1-badelf.elf", len);

	/* A raw Multiboot 1 kernel, 99 bytes, that the a.out kludge loads at
	 * 1 MiB (header_addr = load_addr = 0x100000, load_end_addr and
	 * bss_end_addr 0: the whole file, no bss) and whose entry_addr,
	 * 0xdeadbee0, is nowhere near those bytes: refused, never jumped to. */
	memset(img, 0, sizeof(img));
	mb1_header(0, 0x00010000);
	put(12, 0x100000, 4); /* header_addr */
	put(16, 0x100000, 4); /* load_addr */
	put(28, 0xDEADBEE0, 4);
	img[32] = 0xF4; /* hlt */
	img[33] = 0xEB; /* jmp $-1 */
	img[34] = 0xFD;
	out(d, "mb1-entry-outside.bin", 99);

	/* A Multiboot 2 kernel whose address tag puts the file's first byte
	 * at 1 MiB while its PT_LOAD (and e_entry) is at 0x400000, with no
	 * entry address tag: GRUB refuses that pair, and so must we (the
	 * ELF entry is not among the bytes the tag places). */
	elf64(1);
	text(0, 0x400000);
	mb2_header(0x200, 48);
	put(0x210, 2, 2);	 /* address tag */
	put(0x214, 24, 4);	 /* size */
	put(0x218, 0x100200, 4); /* header_addr */
	put(0x21C, 0x100000, 4); /* load_addr: the file from offset 0 */
	put(0x228, 0, 2);	 /* end tag */
	put(0x22C, 8, 4);
	out(d, "mb2-addr-noentry.elf", len);

	/* A Multiboot 1 kernel (ELF path, flags 0x2) of two one-page
	 * segments with a gap between them: at 0x200000 and 0xffd8000, just
	 * above where QEMU puts -initrd in a 256 MiB q35 VM. Its extent
	 * [0x200000, 0xffd9000) is its own: the information structure and
	 * the modules must lie outside it (the gap holds the VMM's modules
	 * and was the highest free RAM for the handoff area). The code
	 * (32-bit, at 0x200000 and the same bytes at 0xffd8000; assembled
	 * from
	 *     cmp dword [ebx + 20], 0 ; je fail      mods_count >= 1
	 *     cmp ebx, 0x200000 ; jb .mbi_ok
	 *     cmp ebx, 0xffd9000 ; jb fail           the MBI outside
	 *   .mbi_ok: mov ecx, [ebx + 20] ; mov esi, [ebx + 24]
	 *   .mod: mov eax, [esi] ; cmp eax, 0xffd9000 ; jae .next
	 *     cmp dword [esi + 4], 0x200000 ; ja fail  each module outside
	 *   .next: add esi, 16 ; loop .mod
	 *     print "MBGAP OK\n" on COM1, write 0x10 to port 0xF4, halt
	 *   fail: print "MBGAP FAIL\n", write 0x11 to port 0xF4, halt)
	 * passes only when nothing it was given lies in its extent. */
	static const unsigned char mb_gap_code[] =
		"\x83\x7b\x14\x00\x74\x36\x81\xfb\x00\x00\x20\x00\x72\x08"
		"\x81\xfb\x00\x90\xfd\x0f\x72\x26\x8b\x4b\x14\x8b\x73\x18"
		"\x8b\x06\x3d\x00\x90\xfd\x0f\x73\x09\x81\x7e\x04\x00\x00"
		"\x20\x00\x77\x0e\x83\xc6\x10\xe2\xe9\xbe\x56\x00\x20\x00"
		"\xb3\x10\xeb\x07\xbe\x60\x00\x20\x00\xb3\x11\x66\xba\xf8"
		"\x03\xac\x84\xc0\x74\x03\xee\xeb\xf8\x88\xd8\xe6\xf4\xf4"
		"\xeb\xfd"
		"MBGAP OK\n\0"
		"MBGAP FAIL\n";
	elf64(2);
	phdr(0, 1, 5, 0x1000, 0x200000, 0x100, 0x1000);
	phdr(1, 1, 5, 0x1000, 0xffd8000, 0x100, 0x1000);
	put(24, 0x200000, 8);
	memcpy(img + 0x1000, mb_gap_code, sizeof(mb_gap_code));
	mb1_header(0x100, 0x00000002);
	out(d, "mb1-gap.elf", len);

	/* A Multiboot 2 kernel that asks, not optionally, for the EFI 64-bit
	 * image handle (information tag 20): a request mb_plan lets through
	 * (an EFI boot could give it), which only the building of the boot
	 * information refuses on a PVH boot. */
	elf64(1);
	text(0, 0x400000);
	mb2_header(0x100, 40);
	put(0x110, 1, 2);  /* information request */
	put(0x112, 0, 2);  /* not optional */
	put(0x114, 12, 4); /* size */
	put(0x118, 20, 4); /* EFI 64-bit image handle */
	put(0x120, 0, 2);  /* end tag */
	put(0x124, 8, 4);
	out(d, "mb2-req-efi.elf", len);

	/* The same, asking for the ACPI 2.0 RSDP (tag 15): microvm's RSDP is
	 * revision 2, pc's and q35's (SeaBIOS's) revision 0, so only those
	 * two refuse it. */
	put(0x118, 15, 4);
	out(d, "mb2-req-acpi2.elf", len);

	/* In a 256 MiB q35 VM: a segment over all RAM from 1 MiB to just below
	 * the module QEMU puts at the top, leaving too little to move the
	 * firmware to. */
	elf64(1);
	phdr(0, 1, 7, 0x1000, 0x100000, 0x1000, 0xFEC0000);
	put(24, 0x100000, 8);
	out(d, "covers-firmware.elf", len);

	/* A PVH kernel with as many PT_LOADs as the firmware takes (32): the
	 * first over the firmware at 1 MiB (which must move), 31 one-page
	 * ones above, each loaded from the same 0x50 file bytes: its code.
	 * Booted with 31 modules (tests/boot/prepare.sh), every busy range
	 * the firmware can need at once is in use. The code (32-bit, at
	 * 0x100000; assembled from
	 *     cmp dword [ebx + 12], 31 ; jne fail     start_info nr_modules
	 *     mov ecx, 31 ; mov esi, 0x402000
	 *   .seg: mov eax, [esi] ; cmp eax, [0x100000] ; jne fail
	 *     add esi, 0x2000 ; loop .seg             every segment loaded
	 *     print "BUSYMAX OK\n" on COM1, write 0x10 to port 0xF4, halt
	 *   fail: write 0x11 to port 0xF4, halt)
	 * passes only when it got its modules and every segment. */
	static const unsigned char busy_max_code[] =
		"\x83\x7b\x0c\x1f\x75\x34\xb9\x1f\x00\x00\x00\xbe\x00\x20"
		"\x40\x00\x8b\x06\x3b\x05\x00\x00\x10\x00\x75\x20\x81\xc6"
		"\x00\x20\x00\x00\xe2\xee\xbe\x41\x00\x10\x00\x66\xba\xf8"
		"\x03\xac\x84\xc0\x74\x03\xee\xeb\xf8\xb0\x10\xe6\xf4\xf4"
		"\xeb\xfd\xb0\x11\xe6\xf4\xf4\xeb\xfd"
		"BUSYMAX OK\n";
	elf64(33);
	phdr(0, 1, 7, 0x1000, 0x100000, 0x50, 0x100000);
	for (int i = 1; i < 32; i++)
		phdr(i, 1, 4, 0x1000, 0x400000 + 0x2000 * (uint64_t)i, 0x50,
		     0x1000);
	phdr(32, 4, 4, 0x1800, 0, 20, 20);
	put(24, 0x100000, 8);
	memcpy(img + 0x1000, busy_max_code, sizeof(busy_max_code));
	put(xen_note(0x1800, 18, 4), 0x100000, 4); /* PHYS32_ENTRY */
	out(d, "pvh-32-segments.elf", len);
	return 0;
}
