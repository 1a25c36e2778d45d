// SPDX-License-Identifier: MIT
/*
 * abicheck.h: what the abicheck files share: the hand-off as read at start
 * (struct si_handoff ab), the check reporter (common/report.c) and one
 * function per group of checks, in the order main.c runs them.
 */
#ifndef ABICHECK_H
#define ABICHECK_H

#include <stddef.h>
#include <stdint.h>

#include "bootabi.h"
#include "check.h"   /* the reporter (common/report.c), KiB/MiB/GiB */
#include "handoff.h" /* struct si_handoff, map and bss helpers */
#include "logic.h"
#include "rt.h"

#define STACK_MIN (16 * 1024) /* stack promised below the entry RSP */

/* start_info at RDI, as read by main.c before the first line. */
extern struct si_handoff ab;

/* FAIL unless [start, end) lies in map entries of typemask. */
static inline void expect_in_map(const char *what, uint64_t start, uint64_t end,
				 uint32_t typemask)
{
	si_expect_in_map(&ab, what, start, end, typemask);
}

/* Whether m is pvhfw's boot record (fw.record=on): the last module, named
 * "pvhfw-boot-record", in the handoff area (reserved), never a ramdisk. */
static inline int si_mod_is_record(const struct si_mod *m)
{
	static const char name[] = "pvhfw-boot-record";
	return m->cmdline_paddr &&
	       memcmp((const void *)(uintptr_t)m->cmdline_paddr, name,
		      sizeof(name)) == 0;
}

/* Segment descriptor fields (SDM vol. 3 3.4.5). */
#define DESC_TYPE(d) (((d) >> 40) & 0xF)
#define DESC_TYPE_CODE 0x8
#define DESC_TYPE_WRITABLE 0x2 /* for data */
#define DESC_S(d) (((d) >> 44) & 1)
#define DESC_DPL(d) (((d) >> 45) & 3)
#define DESC_P(d) (((d) >> 47) & 1)
#define DESC_L(d) (((d) >> 53) & 1)
#define DESC_DB(d) (((d) >> 54) & 1)
#define DESC_G(d) (((d) >> 55) & 1)
#define DESC_LIMIT(d) (((d)&0xFFFF) | (((d) >> 32) & 0xF0000))
#define DESC_BASE(d) ((((d) >> 16) & 0xFFFFFF) | (((d) >> 32) & 0xFF000000))

/*
 * cpu.c: the GDT descriptor of a selector, through the GDTR captured at
 * entry. Returns NULL and fills *d, or a reason it cannot be looked up.
 */
const char *gdt_lookup(uint64_t sel, uint64_t *d);

/* The check groups. */
void check_image(void);	     /* main.c */
void check_cpu(void);	     /* cpu.c */
void check_start_info(void); /* startinfo.c */
void check_cmdline(void);
void check_rsdp(void);
void check_modules(void);
void check_boot_params(void); /* bootparams.c */
/* The first setup_data node of type on boot_params' list at bp, or 0. */
uint64_t bp_setup_node(uint64_t bp, uint32_t type);
void check_identity_map(void); /* paging.c */
void check_sse(void);	       /* main.c, with sse.c */
void check_pvhfw(void);	       /* pvhfw.c */

/* sse.c: the only file built with SSE code generation. */
struct sse_result {
	uint32_t mxcsr_before; /* as found */
	uint32_t mxcsr_after;  /* after the computation */
	int sum_ok;	       /* 1/3 + 1/3 + 1/3 came out as 1 */
};
void sse_probe(struct sse_result *r);

#endif
