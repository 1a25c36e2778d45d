// SPDX-License-Identifier: MIT
/*
 * profile.h: the x86-64 PVH handoff of Cloud Hypervisor and Firecracker,
 * as facts (addresses, descriptors, MSRs, the memory map's shape), shared
 * by the two tools that reproduce it: tests/vmm/pvhrun.c, a KVM launcher,
 * and tests/payloads/relaunch, which recreates it inside a QEMU guest
 * (TCG) before it starts fw.elf again. Sources: docs/cloud-hypervisor.md,
 * docs/firecracker.md (each VMM's layout.rs, configure_pvh and regs.rs).
 *
 * Plain C with no library calls, so that both a hosted and a freestanding
 * 32-bit build can include it.
 */
#ifndef VMM_PROFILE_H
#define VMM_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootabi.h"

/* Both VMMs: the fixed low addresses of the PVH boot (layout.rs). */
#define GDT_ADDR 0x500
#define IDT_ADDR 0x520
#define IDT_LIMIT 7 /* one zero entry */
#define START_INFO_ADDR 0x6000
#define MODLIST_ADDR 0x6040
#define MEMMAP_ADDR 0x7000
#define CMDLINE_ADDR 0x20000
#define HIMEM_START 0x100000
#define RAM32_END 0xC0000000ull /* both: RAM below 4 GiB ends at 3 GiB */

/* The boot GDT both write at 0x500 for PVH (selector = index * 8). */
#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18
static const uint64_t boot_gdt[4] = {
	0,		       /* null */
	0x00CF9B000000FFFFull, /* code: flags 0xc09b, base 0, 4 GiB */
	0x00CF93000000FFFFull, /* data: flags 0xc093, base 0, 4 GiB */
	0x00008B0000000067ull, /* TSS: flags 0x008b (busy 32-bit), 0x67 */
};
#define GDT_TSS_BUSY (1ull << 41) /* the type's busy bit, set by LTR */

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull

/* Two MSRs relaunch also writes (relaunch.efer=, relaunch.dirty). */
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080

/* MSRs both VMMs set on every vCPU before boot (boot_msr_entries). */
#define MSR_IA32_TSC 0x10
#define MSR_IA32_APICBASE 0x1b
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102
static const struct {
	uint32_t index;
	uint64_t value;
} boot_msrs[] = {
	{ MSR_IA32_SYSENTER_CS, 0 },
	{ MSR_IA32_SYSENTER_ESP, 0 },
	{ MSR_IA32_SYSENTER_EIP, 0 },
	{ MSR_STAR, 0 },
	{ MSR_CSTAR, 0 },
	{ MSR_KERNEL_GS_BASE, 0 },
	{ MSR_SYSCALL_MASK, 0 },
	{ MSR_LSTAR, 0 },
	{ MSR_IA32_TSC, 0 },
	{ MSR_IA32_MISC_ENABLE, 1 },  /* fast strings */
	{ MSR_MTRR_DEF_TYPE, 0x806 }, /* MTRRs on, default write-back */
};

/* ---- Profiles ---- */

enum irqchip {
	IRQCHIP_SPLIT, /* in-kernel LAPIC, PIC and IOAPIC in the VMM */
	IRQCHIP_FULL,  /* in-kernel LAPIC, PIC, IOAPIC, and a PIT */
};

enum map_shape {
	MAP_CH, /* sorted but for MMCONFIG, last */
	MAP_FC, /* the RAM from 1 MiB last: never sorted */
};

struct profile {
	const char *name;
	const char *vmm;
	uint64_t cmdline_max; /* command line bytes, the NUL included */
	uint64_t rsdp;	      /* where the RSDP is written */
	uint64_t xsdt;	      /* where pvhrun's stand-in XSDT goes */
	bool rsdp_given;      /* rsdp_paddr = rsdp (else 0: scan for it) */
	uint64_t mmcfg;	      /* the PCI MMCONFIG window, reserved */
	uint64_t cr0;
	uint64_t tss_addr;     /* KVM_SET_TSS_ADDR */
	uint64_t identity_map; /* KVM_SET_IDENTITY_MAP_ADDR, 0 = none */
	enum irqchip irqchip;
	bool pci_off; /* appends pci=off to the command line */
	enum map_shape map;
};

/*
 * Cloud Hypervisor (arch/src/x86_64/layout.rs, configure_pvh, regs.rs):
 * RSDP at 0xA0000 (the start of the EBDA area) and passed in rsdp_paddr;
 * PCI MMCONFIG at 3 GiB + 640 MiB; CR0 = PE; split irqchip; 64 KiB
 * command line area.
 */
static const struct profile profile_ch = {
	.name = "ch",
	.vmm = "Cloud Hypervisor",
	.cmdline_max = 0x10000,
	.rsdp = 0xA0000,
	.xsdt = 0xA0030,
	.rsdp_given = true,
	.mmcfg = 0xE8000000,
	.cr0 = CR0_PE,
	.tss_addr = 0xF8000000,
	.identity_map = 0xF8003000,
	.irqchip = IRQCHIP_SPLIT,
	.map = MAP_CH,
};

/*
 * Firecracker (src/vmm/src/arch/x86_64/layout.rs, configure_pvh, regs.rs):
 * RSDP at 0xE0000 but rsdp_paddr = 0; ACPI tables and the MP table in the
 * reserved [0x9FC00, 0xE0000); PCI MMCONFIG just below the IOAPIC
 * (0xFEC00000 - 256 MiB); CR0 = PE | ET; full irqchip and PIT; a 2 KiB
 * command line; "pci=off" appended unless PCI is enabled.
 */
static const struct profile profile_fc = {
	.name = "fc",
	.vmm = "Firecracker",
	.cmdline_max = 2048,
	.rsdp = 0xE0000,
	.xsdt = 0xA0000,
	.rsdp_given = false,
	.mmcfg = 0xEEC00000,
	.cr0 = CR0_PE | CR0_ET,
	.tss_addr = 0xFFFBD000,
	.identity_map = 0,
	.irqchip = IRQCHIP_FULL,
	.pci_off = true,
	.map = MAP_FC,
};

/* The profiles by name: pvhrun --profile NAME, relaunch.profile=NAME. */
static const struct profile *const profiles[] = { &profile_ch, &profile_fc };

/* Whether the n bytes at s start with the NUL-terminated prefix; its
 * length in *plen when they do. */
static inline bool name_starts(const char *s, size_t n, const char *prefix,
			       size_t *plen)
{
	size_t k = 0;
	while (prefix[k] && k < n && s[k] == prefix[k])
		k++;
	*plen = k;
	return !prefix[k];
}

/* Whether the n bytes at s are the NUL-terminated name. */
static inline bool name_is(const char *s, size_t n, const char *name)
{
	size_t k;
	return name_starts(s, n, name, &k) && k == n;
}

/* The profile called by the n bytes at s, or NULL. */
static inline const struct profile *profile_named(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (name_is(s, n, profiles[i]->name))
			return profiles[i];
	return NULL;
}

/* The hostile handoffs both make (pvhrun --hostile NAME,
 * relaunch.hostile=NAME): start_infos fw.elf must refuse. */
enum hostile {
	HOSTILE_NONE,
	HOSTILE_V0,	  /* start_info version 0: no memory map */
	HOSTILE_NOMEMMAP, /* version 1, memmap_entries = 0 */
	HOSTILE_MODLIST,  /* modlist_paddr past the end of RAM */
	HOSTILE_CMDLINE,  /* no NUL in the command line */
	HOSTILE_RAM_128T, /* a GiB of RAM at 128 TiB, past four-level paging */
};

static const char *const hostile_names[] = {
	[HOSTILE_NONE] = "none",
	[HOSTILE_V0] = "v0",
	[HOSTILE_NOMEMMAP] = "nomemmap",
	[HOSTILE_MODLIST] = "modlist-beyond-ram",
	[HOSTILE_CMDLINE] = "cmdline-unterminated",
	[HOSTILE_RAM_128T] = "ram-above-128t",
};

/* The hostile kind called by the n bytes at s, or HOSTILE_NONE when none
 * is ("none" itself is not a kind to ask for). */
static inline enum hostile hostile_named(const char *s, size_t n)
{
	for (size_t h = HOSTILE_V0;
	     h < sizeof(hostile_names) / sizeof(hostile_names[0]); h++)
		if (name_is(s, n, hostile_names[h]))
			return (enum hostile)h;
	return HOSTILE_NONE;
}

#define MMCFG_SIZE (256ull << 20)
#define FC_SYSTEM_MEM 0x9FC00 /* EBDA start: MP table, ACPI tables */
#define VMM_MAP_MAX 5

/*
 * The memory map in each VMM's own shape and order, for RAM that runs from
 * 0 to low_end (at most RAM32_END) and high_size bytes from 4 GiB; into
 * m[VMM_MAP_MAX], returning the count.
 *
 * Cloud Hypervisor: RAM [0, 0xA0000); RAM [1 MiB, low_end); RAM from
 * 4 GiB when there is any; reserved PCI MMCONFIG last (so the map is
 * unsorted with RAM above 4 GiB). 0xA0000-0x100000 is in no entry.
 *
 * Firecracker: RAM [0, 0x9FC00); reserved [0x9FC00, 0xE0000) (MP table and
 * ACPI); reserved PCI MMCONFIG; RAM from 4 GiB when there is any; RAM
 * [1 MiB, low_end) last (always unsorted). 0xE0000-0x100000, where the
 * RSDP is, is in no entry.
 */
static inline uint32_t vmm_memmap(const struct profile *p, uint64_t low_end,
				  uint64_t high_size, struct si_memmap *m)
{
	uint32_t n = 0;
	if (p->map == MAP_CH) {
		m[n++] = (struct si_memmap){ 0, 0xA0000, MEM_RAM, 0 };
		m[n++] = (struct si_memmap){ HIMEM_START, low_end - HIMEM_START,
					     MEM_RAM, 0 };
		if (high_size)
			m[n++] = (struct si_memmap){ 1ull << 32, high_size,
						     MEM_RAM, 0 };
		m[n++] = (struct si_memmap){ p->mmcfg, MMCFG_SIZE, MEM_RESERVED,
					     0 };
	} else {
		m[n++] = (struct si_memmap){ 0, FC_SYSTEM_MEM, MEM_RAM, 0 };
		m[n++] = (struct si_memmap){ FC_SYSTEM_MEM,
					     p->rsdp - FC_SYSTEM_MEM,
					     MEM_RESERVED, 0 };
		m[n++] = (struct si_memmap){ p->mmcfg, MMCFG_SIZE, MEM_RESERVED,
					     0 };
		if (high_size)
			m[n++] = (struct si_memmap){ 1ull << 32, high_size,
						     MEM_RAM, 0 };
		m[n++] = (struct si_memmap){ HIMEM_START, low_end - HIMEM_START,
					     MEM_RAM, 0 };
	}
	return n;
}

#endif
