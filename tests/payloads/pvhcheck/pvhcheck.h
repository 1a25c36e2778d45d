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
#include "check.h" /* the reporter (common/report.c), KiB/MiB/GiB */
#include "desc.h"
#include "entry32.h" /* struct entry32_regs (common/entry32.inc) */
#include "handoff.h" /* struct si_handoff; mm_*, cl_*, rsdp_check */
#include "record.h"  /* pvhfw's boot record */
#include "rt.h"

#define MODSTR_MAX 256 /* module strings are printed up to this */

/* The state at the PVH entry, stored by entry32.asm (common/entry32.inc). */
extern struct entry32_regs pvh_regs;
extern uint8_t pvh_gdt_copy[];	      /* the loader's GDT, gdt_copied bytes */
extern uint64_t pvh_pml4[512];	      /* our page tables (entry32.asm) */
extern char pvh_start32[];	      /* the note's entry point */
extern const char pvhcheck_variant[]; /* note.asm: which container */

/* start_info at EBX, as read by main.c before the first line. */
extern struct si_handoff pc;

/*
 * map.c: make [pa, pa + len) readable through the identity map. 0-4 GiB is
 * mapped at entry; above that, 2 MiB pages are added from a small pool of
 * table pages. Returns NULL when mapped, else a static reason. phys_ptr()
 * is the same for a pointer (NULL when it cannot be mapped).
 */
const char *map_range(uint64_t pa, uint64_t len);
const void *phys_ptr(uint64_t pa, uint64_t len);

/* FAIL unless [start, end) lies in map entries of typemask. */
static inline void expect_in_map(const char *what, uint64_t start, uint64_t end,
				 uint32_t typemask)
{
	si_expect_in_map(&pc, what, start, end, typemask);
}

/* Within the current check: 1 when the start_info's module list can be
 * mapped, else a FAIL, the check ended, and 0. */
int modlist_mapped(void); /* startinfo.c */

/* The check groups. */
void check_image(void);	     /* main.c */
void check_cpu(void);	     /* cpu.c */
void check_start_info(void); /* startinfo.c */
void check_cmdline(void);
void check_rsdp(void);
void check_modules(void);
void check_pvhfw(void); /* pvhfw.c */

#endif
