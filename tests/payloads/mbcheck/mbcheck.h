// SPDX-License-Identifier: MIT
/*
 * mbcheck.h: what the mbcheck files share: the state captured at the
 * Multiboot entry (entry32.asm), the checker's own header (header.asm),
 * the hand-off as main.c found it (struct mbc), and the check groups in
 * the order main.c runs them.
 *
 * Shared with pvhcheck and abicheck: common/ (the reporter, check.h; the
 * map, bss and string helpers, handoff.h; the 32-bit entry, entry32.h and
 * entry32.inc), the GDT descriptor checks (pvhcheck/desc.c) and the boot
 * record's (pvhcheck/record.c), declared through pvhcheck.h; with abicheck: the
 * memory-map arithmetic and command-line words (abicheck/logic.c). Nothing here
 * is named like pvhcheck's own symbols, which are not linked.
 */
#ifndef MBCHECK_H
#define MBCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "../pvhcheck/pvhcheck.h"
#include "walk.h"

#define MB1_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36D76289u
#define MB1_HDR_FLAG_PAGE_ALIGN (1u << 0)

#define MBC_MAP_MAX 256		  /* memory-map entries held */
#define MBC_MODS_MAX 64		  /* modules judged one by one */
#define MBC_TAGS_MAX 256	  /* Multiboot 2 tags held */
#define MBC_MB2_MAX (1024 * 1024) /* a sane total_size */
#define MBC_STR_MAX (64 * 1024)	  /* a NUL must come within this */
#define MBC_RAM_AT 0x100000u	  /* Solo5 wants a RAM entry starting here */
#define MBC_LOW_LIMIT (1 * GiB)	  /* Solo5 v0.9 maps only the first GiB */
#define MBC_LOW_START 0x1000u	  /* ... and not page 0 */

/* The state at the Multiboot entry (entry32.asm, common/entry32.inc). */
extern struct entry32_regs mb_regs;
extern uint8_t mb_gdt_copy[]; /* the loader's GDT, gdt_copied bytes */
extern char mb_start32[];     /* the Multiboot entry */
extern char __data_end[];     /* mbcheck.ld: the kludge's load_end_addr */

/* header.asm */
extern const uint8_t mb_header[];    /* the checker's own header */
extern const uint32_t mbcheck_proto; /* 1 or 2 */
extern const char mbcheck_variant[];

/* A module as both protocols describe it. */
struct mbc_mod {
	uint32_t start, end; /* end exclusive */
	const char *str;     /* NULL: no string or not terminated */
	uint32_t str_pa;     /* where the string is (0: none) */
};

/* What main.c found, for every check group. */
struct mbc {
	unsigned proto;	   /* 1 or 2, this build's */
	uint32_t mbi;	   /* EBX */
	uint32_t mbi_size; /* bytes of the information structure */
	struct mm_entry map[MBC_MAP_MAX];
	size_t map_n;
	int map_ok;	     /* a memory map was found and walked */
	const char *map_why; /* else why not */
	uint32_t map_pa;     /* where it lies */
	uint32_t map_len;    /* its bytes */
	const char *cmdline; /* NULL when absent or not terminated */
	size_t cmdline_len;
	uint32_t cmdline_pa;
	const char *loader; /* boot loader name, NULL likewise */
	uint32_t loader_pa;
	int have_meminfo;
	uint32_t mem_lower, mem_upper;
	int have_mods; /* MB1 flag 3; MB2: always (tags may be 0) */
	uint32_t mods_count;
	uint32_t mods_pa; /* MB1 module list (0 for MB2) */
	struct mbc_mod mods[MBC_MODS_MAX];
	/* The entries of mods[] the loader read: MB1's list when it was
	 * there to read, MB2's tags up to MBC_MODS_MAX. */
	uint32_t mods_read;
	int page_align; /* modules must be page aligned */
};

extern struct mbc mbc;

/* mb1.c, mb2.c: read the hand-off into mbc, without printing. */
void mb1_load(void);
void mb2_load(void);

/* cpu.c */
void mbc_check_cpu(void);
/* The CPU state pvhfw resets (with check.pvhfw=1), else a "skipped" line. */
void mbc_check_pvhfw(void);

/* common.c: checks both protocols share, from struct mbc. */
void mbc_check_image(void);
void mbc_print_map(void);
void mbc_check_map(const char *name);
void mbc_check_meminfo(void);
void mbc_check_loader(void);
void mbc_check_cmdline(void);
void mbc_check_modules(void);
void mbc_check_placement(void);
/* FAIL unless [start, end) lies in map entries of typemask */
void mbc_expect_in_map(const char *what, uint64_t start, uint64_t end,
		       uint32_t typemask);

/* mb1.c, mb2.c: the protocol's own checks. */
void mb1_check_info(void);
void mb2_check_info(void);
void mb2_check_rsdp(void);
void mb2_check_efimap(void);

#endif
