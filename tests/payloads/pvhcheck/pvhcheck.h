// SPDX-License-Identifier: MIT
/*
 * pvhcheck.h: what the pvhcheck files share: the state captured at the PVH
 * entry (entry32.asm), the hand-off as read at start (struct pc), the check
 * reporter, the on-demand identity map and one function per group of
 * checks, in the order main.c runs them.
 */
#ifndef PVHCHECK_H
#define PVHCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "bootabi.h"
#include "desc.h"
#include "../abicheck/logic.h" /* mm_*, cl_*, rsdp_check: shared */
#include "rt.h"

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

#define MAP_MAX 512		/* memory-map entries pvhcheck can hold */
#define CMDLINE_MAX (64 * 1024) /* the NUL must come within this */
#define MODSTR_MAX 256		/* module strings are printed up to this */

/*
 * The state at the PVH entry, stored by entry32.asm. The offsets are
 * repeated there (PR_*) and checked below. Selectors are stored as 16 bits
 * into zeroed 32-bit slots.
 */
struct pvh_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp; /* 0x00 */
	uint32_t eflags;				 /* 0x20 */
	uint32_t cr0;					 /* 0x24 */
	uint32_t cr3;					 /* 0x28 */
	uint32_t cr4;					 /* 0x2c */
	uint64_t efer;					 /* 0x30 */
	uint32_t cs, ds, es, ss, fs, gs;		 /* 0x38 */
	uint32_t tr;					 /* 0x50 */
	uint32_t ldtr;					 /* 0x54 */
	uint8_t gdtr[8];     /* 0x58 SGDT image: u16 limit, u32 base */
	uint8_t idtr[8];     /* 0x60 SIDT image */
	uint32_t eip;	     /* 0x68 run-time address of pvh_start32 */
	uint32_t gdt_copied; /* 0x6c bytes copied into pvh_gdt_copy */
};
_Static_assert(offsetof(struct pvh_regs, eflags) == 0x20, "entry32.asm");
_Static_assert(offsetof(struct pvh_regs, efer) == 0x30, "entry32.asm");
_Static_assert(offsetof(struct pvh_regs, cs) == 0x38, "entry32.asm");
_Static_assert(offsetof(struct pvh_regs, tr) == 0x50, "entry32.asm");
_Static_assert(offsetof(struct pvh_regs, gdtr) == 0x58, "entry32.asm");
_Static_assert(offsetof(struct pvh_regs, eip) == 0x68, "entry32.asm");
_Static_assert(sizeof(struct pvh_regs) == 0x70, "entry32.asm");

extern struct pvh_regs pvh_regs;
extern uint8_t pvh_gdt_copy[];	      /* the loader's GDT, gdt_copied bytes */
extern uint64_t pvh_pml4[512];	      /* our page tables (entry32.asm) */
extern char pvh_start32[];	      /* the note's entry point */
extern const char pvhcheck_variant[]; /* note.asm: which container */

struct pc {
	uint64_t si_pa;	 /* EBX at entry */
	int si_ok;	 /* EBX != 0 and the magic matched */
	struct si_v1 si; /* copy of start_info, valid if si_ok */
	struct mm_entry map[MAP_MAX];
	size_t map_n;
	int map_ok;	     /* map present and copied in full */
	const char *cmdline; /* NULL if absent or not terminated */
	size_t cmdline_len;
};

extern struct pc pc;

/* report.c: one line per check, "pvhcheck: <name>: ok (info)" or FAIL. */
void check_begin(const char *name);
void check_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int check_end(void); /* prints the line; returns 1 if it failed */
int checks_failed(void);

/*
 * map.c: make [pa, pa + len) readable through the identity map. 0-4 GiB is
 * mapped at entry; above that, 2 MiB pages are added from a small pool of
 * table pages. Returns NULL when mapped, else a static reason. phys_ptr()
 * is the same for a pointer (NULL when it cannot be mapped).
 */
const char *map_range(uint64_t pa, uint64_t len);
const void *phys_ptr(uint64_t pa, uint64_t len);

/* startinfo.c: FAIL unless [start, end) lies in map entries of typemask. */
void expect_in_map(const char *what, uint64_t start, uint64_t end,
		   uint32_t typemask);

/* The check groups. */
void check_image(void);	     /* main.c */
void check_cpu(void);	     /* cpu.c */
void check_start_info(void); /* startinfo.c */
void check_bss(size_t nonzero, size_t first, size_t size);
void check_cmdline(void);
void check_rsdp(void);
void check_modules(void);

#endif
