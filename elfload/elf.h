// SPDX-License-Identifier: MIT
/*
 * elf.h: ELF32/ELF64 parsing and validation for payloads: the identity and
 * header, program headers, PT_LOAD segments and the Xen PVH notes.
 *
 * elf_parse() reads a whole file through a view and fills an elf_info, or
 * returns the first problem found. It never reads outside the view and never
 * trusts a size, count or offset from the file without checking it. What it
 * accepts (in this order; the first failing step is the error):
 *   1. at least a full ELF header for its class (ELF_E_SHORT), "\x7fELF"
 *      (ELF_E_MAGIC), class 32 or 64 (ELF_E_CLASS), little endian
 *      (ELF_E_DATA), EV_CURRENT (ELF_E_VERSION), EM_386 or EM_X86_64
 *      (ELF_E_MACHINE), ET_EXEC or ET_DYN (ELF_E_TYPE);
 *   2. e_phentsize equal to the class's phdr size (ELF_E_PHENTSIZE), the
 *      whole phdr table inside the file (ELF_E_PHDRS), e_phnum >= 1;
 *   3. for each PT_LOAD with p_memsz > 0: p_filesz <= p_memsz (ELF_E_FILESZ),
 *      [p_offset, p_offset + p_filesz) inside the file (ELF_E_SEGMENT),
 *      p_paddr + p_memsz and p_vaddr + p_memsz do not wrap (ELF_E_WRAP), at
 *      most ELF_MAX_LOAD of them (ELF_E_TOO_MANY), no two overlap in physical
 *      address (ELF_E_OVERLAP); at least one (ELF_E_NO_LOAD);
 *   4. for each PT_NOTE inside the file (else ELF_E_NOTE): notes walked with
 *      4-byte alignment (8 when p_align is 8), each note's name and
 *      descriptor inside the segment (ELF_E_NOTE); a "Xen" note of type 18
 *      (PHYS32_ENTRY) needs a descriptor of at least 4 bytes (ELF_E_PVH_NOTE)
 *      and its first 4 bytes are the entry; type 19 (PHYS32_RELOC) gives up to
 *      three u32: align, min, max (min 0 and max 0xffffffff when not
 *      given); an alignment given must be a power of two
 *      (ELF_E_RELOC_ALIGN) and min at most max (ELF_E_RELOC_RANGE).
 *      Without an alignment (descsz < 4, or 0) it is Xen's: the largest
 *      p_align of the loads that is a power of two when at least 0x1000,
 *      else 0x200000.
 */
#ifndef PVHFW_ELF_H
#define PVHFW_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/view.h"

#define ELF_MAX_LOAD 32

#define ELF_EM_386 3
#define ELF_EM_X86_64 62

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_load {
	uint64_t offset; /* file offset of the first byte */
	uint64_t filesz; /* bytes copied from the file */
	uint64_t memsz;	 /* bytes occupied in memory (the rest zeroed) */
	uint64_t paddr;
	uint64_t vaddr;
	uint64_t align;
	uint32_t flags; /* ELF_PF_* */
};

/*
 * Where an error of steps 3 and 4 (ELF_E_FILESZ to ELF_E_RELOC_RANGE, but
 * ELF_E_NO_LOAD) is: the index of the program header at fault, and for
 * ELF_E_OVERLAP the earlier header it overlaps.
 */
struct elf_where {
	uint32_t ph;
	uint32_t ph2;
};

struct elf_info {
	uint8_t cls; /* 32 or 64 */
	uint16_t machine;
	uint16_t type;
	uint64_t entry; /* e_entry */
	uint32_t phnum;

	uint32_t nload; /* PT_LOAD segments with p_memsz > 0, in file order */
	struct elf_load load[ELF_MAX_LOAD];
	uint64_t paddr_lo; /* lowest p_paddr of the loads */
	uint64_t paddr_hi; /* highest p_paddr + p_memsz of the loads */

	bool pvh; /* has a Xen PHYS32_ENTRY note */
	uint32_t pvh_entry;
	bool pvh_reloc;	      /* has a Xen PHYS32_RELOC note */
	uint64_t reloc_align; /* never 0; 0x200000 without the note */
	uint32_t reloc_min, reloc_max;
	bool linux_note; /* has a note owned by "Linux": a Linux kernel */

	struct elf_where bad; /* after an error of steps 3 and 4 */
};

enum elf_err {
	ELF_OK = 0,
	ELF_E_SHORT,
	ELF_E_MAGIC,
	ELF_E_CLASS,
	ELF_E_DATA,
	ELF_E_VERSION,
	ELF_E_MACHINE,
	ELF_E_TYPE,
	ELF_E_PHENTSIZE,
	ELF_E_PHDRS,
	ELF_E_FILESZ,
	ELF_E_SEGMENT,
	ELF_E_WRAP,
	ELF_E_TOO_MANY,
	ELF_E_OVERLAP,
	ELF_E_NO_LOAD,
	ELF_E_NOTE,
	ELF_E_PVH_NOTE,
	ELF_E_RELOC_ALIGN,
	ELF_E_RELOC_RANGE,
};

/*
 * Messages for the firmware's one-line errors, e.g. ELF_E_PHDRS ->
 * "program headers extend past the end of the file". Never NULL.
 */
const char *elf_strerror(enum elf_err err);

/*
 * The message for err with the program header it is about, as elf_parse
 * left it in info->bad, e.g. "program header 3: segment extends past the end of
 * the file", or "program headers 1 and 2: PT_LOAD segments overlap". Writes
 * at most cap bytes to buf (terminated) and returns buf.
 */
const char *elf_describe(enum elf_err err, const struct elf_where *bad,
			 char *buf, size_t cap);

/* True when the view starts with the ELF magic (cheap format sniffing). */
bool elf_is_elf(const struct view *file);

/* Parses and validates file (see above). out is fully written on ELF_OK. */
enum elf_err elf_parse(const struct view *file, struct elf_info *out);

#endif
