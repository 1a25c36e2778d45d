// SPDX-License-Identifier: MIT
/*
 * handoff.h: reading and checking a hand-off, shared by abicheck (the
 * plain-ELF64 start_info at RDI), pvhcheck (hvm_start_info at EBX) and, for
 * the parts that are not start_info, mbcheck (common/handoff.c): the
 * start_info and its memory map as read at start (struct si_handoff), the
 * map checks, the command line, the RSDP, the bss probe and printing
 * loader strings.
 */
#ifndef PAYLOAD_HANDOFF_H
#define PAYLOAD_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include "../abicheck/logic.h" /* mm_*, cl_*, rsdp_check */
#include "bootabi.h"
#include "check.h"

#define MAP_MAX 512		/* memory-map entries a checker can hold */
#define CMDLINE_MAX (64 * 1024) /* the NUL must come within this */

/* A start_info hand-off, as read before the first line is printed. */
struct si_handoff {
	uint64_t si_pa;	 /* the register at entry (RDI, EBX) */
	int si_ok;	 /* si_pa != 0 and the magic matched */
	struct si_v1 si; /* copy of start_info, valid if si_ok */
	struct mm_entry map[MAP_MAX];
	size_t map_n;
	int map_ok;	     /* map present and copied in full */
	const char *cmdline; /* NULL if absent or not terminated */
	size_t cmdline_len;
	/* pvhfw's handoff area, as si_check_pvhfw_ram() found it. */
	int area_ok;
	uint64_t area_start, area_end;
};

/*
 * Loading, in order: si_read() sets si_pa and, if the magic matches at pa,
 * si_ok and the copy; si_load_map() copies the si.memmap_entries entries
 * (the caller has checked that they fit and can be read); si_set_cmdline()
 * takes s (NULL: not readable) if its NUL comes within CMDLINE_MAX.
 */
int si_read(struct si_handoff *h, uint64_t pa);
void si_load_map(struct si_handoff *h);
void si_set_cmdline(struct si_handoff *h, const char *s);

/*
 * Within the current check: FAIL "skipped: ..." and return 0 unless there
 * is a start_info (si_need_map: and a usable map). reg names the register
 * that held the pointer.
 */
int si_need_start_info(const struct si_handoff *h, const char *reg);
int si_need_map(const struct si_handoff *h, const char *reg);

/* FAIL unless [start, end) lies in entries of h's map of typemask. */
void si_expect_in_map(const struct si_handoff *h, const char *what,
		      uint64_t start, uint64_t end, uint32_t typemask);

/*
 * Within the "memmap" check: FAIL unless start_info has a map that was
 * read in full, sorted and non-overlapping (skip_empty: see
 * map_check_order), with RAM and reserved fields of 0. The caller notes
 * what it wants and ends the check.
 */
void si_check_memmap(const struct si_handoff *h, const char *reg,
		     int skip_empty);

/* A check of its own: FAIL unless [start, end) lies in typemask entries. */
void si_check_in_map(const struct si_handoff *h, const char *reg,
		     const char *name, const char *what, uint64_t start,
		     uint64_t end, uint32_t typemask);

/*
 * Within the current check: the memory-map table, the command line and the
 * module list in typemask entries (there is a map).
 */
void si_expect_tables_in_map(const struct si_handoff *h, uint32_t typemask);

/*
 * Begin the "modules" check: a map, nr_modules as check.modules=N wants,
 * a module list when there are modules. Returns 0 when the check has
 * ended (no map), else the caller judges each module and ends it.
 */
int si_begin_modules(const struct si_handoff *h, const char *reg);

/*
 * The "cmdline" check (after the "<rt_name>: cmdline:" line): present,
 * NUL-terminated (no_nul_note is added to that FAIL), no fw. option.
 */
void si_check_cmdline(const struct si_handoff *h, const char *reg,
		      const char *no_nul_note);

/*
 * The "rsdp" check; p is the RSDP at si.rsdp_paddr as readable memory, or
 * NULL when it cannot be mapped.
 */
void si_check_rsdp(const struct si_handoff *h, const char *reg,
		   const uint8_t *p);

/*
 * What pvhfw promises about start_info beyond the PVH ABI (docs/abi.md),
 * checked by abicheck and pvhcheck under check.pvhfw=1, in this order:
 *
 * si_check_pvhfw_memmap: the check "pvhfw.memmap": start_info flags 0, the
 *   map normalised (mm_check_normalised).
 * si_check_pvhfw_ram: the check "pvhfw.ram": with check.vmm-ram=RANGES
 *   (the VMM's RAM, see mm_parse_ranges), mm_lost_ram() must find exactly
 *   one range of it reserved: the handoff area. Without that word (or
 *   when that check fails) the area is taken to be the reserved entry that
 *   holds start_info. It sets h->area_*.
 * si_expect_in_area: within the current check, FAIL unless [start, end)
 *   lies in that area.
 * si_expect_pvhfw_tables: within "pvhfw.handoff": the area lies below
 *   4 GiB and holds start_info, the memory map table, the command line,
 *   the module list, the module strings and the boot record.
 * si_check_pvhfw_modules: the check "pvhfw.modules": modlist_paddr 0 with
 *   no modules; each module's reserved field 0; a module string, where
 *   cmdline_paddr is not 0, non-empty and NUL-terminated within the area.
 */
void si_check_pvhfw_memmap(const struct si_handoff *h, const char *reg);
void si_check_pvhfw_ram(struct si_handoff *h, const char *reg);
void si_expect_in_area(const struct si_handoff *h, const char *what,
		       uint64_t start, uint64_t end);
void si_expect_pvhfw_tables(const struct si_handoff *h);
void si_check_pvhfw_modules(const struct si_handoff *h, const char *reg);

/*
 * Within the current check: FAIL unless the n entries of map are sorted
 * and do not overlap (n <= MAP_MAX). With skip_empty, empty entries are
 * left out of that and counted in a note.
 */
void map_check_order(const struct mm_entry *map, size_t n, int skip_empty);

/*
 * One "<rt_name>: <label> <i>: <first>-<last> <type name> (<type>)" line
 * per entry; with show_empty an empty entry is "<addr> empty" instead.
 */
void map_print(const struct mm_entry *map, size_t n, const char *label,
	       int show_empty);

/* Count the non-zero bytes of a bss probe, and the offset of the first. */
void bss_scan(const volatile uint8_t *probe, size_t size, size_t *nonzero,
	      size_t *first);

/* The "bss" check of a probe of size bytes that bss_scan() judged. */
void check_bss(size_t nonzero, size_t first, size_t size);

/* Print s, control and non-ASCII characters as '?', so a line stays one. */
void print_clean(const char *s, size_t n);

/* pvhfw's GDT, the same for every payload it enters (docs/abi.md). */
#define PVHFW_SEL_CODE32 0x08
#define PVHFW_SEL_CODE64 0x10
#define PVHFW_SEL_DATA 0x18
#define PVHFW_SEL_TSS 0x20
/* null, three segments, the TSS: 16 bytes at 0x20, a long-mode TSS
 * descriptor (its upper half zero), so a 64-bit LTR 0x20 fits */
#define PVHFW_GDT_LIMIT 0x2F

/* A segment register's value at entry and the selector pvhfw loads. */
struct sel_want {
	const char *name;
	uint64_t sel, want;
};

/*
 * Within the current check: FAIL for each register not holding its
 * selector, a GDTR limit other than PVHFW_GDT_LIMIT, and an IDTR (its
 * 2-byte limit first, as SIDT stores it) with a limit other than 0.
 */
void expect_pvhfw_selectors(const struct sel_want *w, size_t n,
			    uint16_t gdt_limit, const uint8_t *idtr);

/*
 * The MSRs pvhfw's handoff leaves 0, in the order both checker entries
 * capture them: rt.h's ER_MSR_STAR to ER_MSR_GS_BASE, and entry32.h's
 * E32_MSR_* (the 32-bit entry stops before FS_BASE).
 */
enum {
	PVHFW_ZMSR_STAR,
	PVHFW_ZMSR_LSTAR,
	PVHFW_ZMSR_SFMASK,
	PVHFW_ZMSR_KERNEL_GS_BASE,
	PVHFW_ZMSR_SYSENTER_CS,
	PVHFW_ZMSR_SYSENTER_ESP,
	PVHFW_ZMSR_SYSENTER_EIP,
	PVHFW_ZMSR_FS_BASE,
	PVHFW_ZMSR_GS_BASE,
	PVHFW_ZMSR_COUNT
};

/*
 * What pvhfw's cpu_handoff_reset() sets on every path (docs/abi.md, "Also
 * reset"), as a checker captured it at its entry; zero_msrs are the values
 * of the first n_zero_msrs MSRs in PVHFW_ZMSR_* order, which must be 0.
 */
struct pvhfw_reset {
	uint64_t ldtr, dr0_3[4], dr6, dr7, cr2, cr8, pat;
	const uint64_t *zero_msrs;
	size_t n_zero_msrs;
};

/*
 * The checks "pvhfw.ldtr" (0), "pvhfw.debug" (DR0-DR3 0, DR6 0xFFFF0FF0,
 * DR7 0x400), "pvhfw.cr2-cr8" (both 0), "pvhfw.pat" (its reset value) and
 * "pvhfw.msrs" (each of zero_msrs 0).
 */
void check_pvhfw_reset(const struct pvhfw_reset *s);

/*
 * Within the current check: FAIL unless the FXSAVE image fx is what the
 * handoff's FXRSTOR leaves: FCW 0x037F, FSW 0, all x87 registers empty,
 * ST0-ST7 0, MXCSR 0x1F80, XMM0 to XMM<n_xmm - 1> 0.
 */
void expect_pvhfw_fx(const uint8_t *fx, int n_xmm);

/*
 * Within the current check: FAIL unless the upper halves of YMM0-YMM15 in
 * xsave (size bytes, an XSAVE of the AVX component alone, standard format,
 * taken in 64-bit mode) are what the handoff's VZEROUPPER leaves: all 0,
 * or the component in its initial state (XSTATE_BV bit 2 clear: XSAVE
 * left the area as it was, zero); FAIL too when CPUID.(0xD,2) puts the
 * component elsewhere than 256 bytes inside the area. Then the note "YMM
 * upper halves checked".
 */
void expect_pvhfw_ymm(const uint8_t *xsave, size_t size);

/*
 * How many of YMM0-YMM15 have a nonzero upper half in such an XSAVE area
 * (0 with the component in its initial state), or -1 when CPUID puts the
 * component elsewhere.
 */
int ymm_hi_nonzero(const uint8_t *xsave, size_t size);

/*
 * The check.* words of the command line cl (NULL: none), first of all:
 * one line "<rt_name>: checks: <word> <word> ..." with every word known[]
 * takes (cl_check_word), in command-line order and as written, or
 * "<rt_name>: checks: none"; then the check "check-words", which FAILs for
 * every other word starting with "check." (unknown: a typo would
 * otherwise switch a check off unseen) and every one whose needs word is
 * missing. tests/lib/cases.sh looks for a case's check.* words in that
 * line, so a firmware that loses or mangles them fails the case.
 */
void check_words(const char *cl, const struct cl_check_word *known);

#endif
