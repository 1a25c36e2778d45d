// SPDX-License-Identifier: MIT
/*
 * bootabi.h: the hand-off structures as the payloads read them, written from
 * the specs (BOOT-ABIS.md sections 1.4-1.6, 2.3, 5.1), independent of the
 * firmware's own headers on purpose: the payloads check the firmware, so they
 * must not share its mistakes.
 *
 * struct hvm_start_info, version 1 (56 bytes):
 *   0x00 magic 0x336ec578   0x04 version   0x08 flags   0x0c nr_modules
 *   0x10 modlist_paddr                     0x18 cmdline_paddr
 *   0x20 rsdp_paddr                        0x28 memmap_paddr
 *   0x30 memmap_entries                    0x34 reserved (0)
 *
 * struct hvm_modlist_entry (32 bytes):
 *   0x00 paddr   0x08 size   0x10 cmdline_paddr   0x18 reserved
 *
 * struct hvm_memmap_table_entry (24 bytes):
 *   0x00 addr    0x08 size   0x10 type (E820 numbering)   0x14 reserved
 *
 * Linux boot_params ("zero page", 4096 bytes), only the fields read here:
 *   0x070 u64 acpi_rsdp_addr      0x0c8 u32 ext_cmd_line_ptr
 *   0x1e8 u8  e820_entries        0x1fe u16 boot_flag (0xAA55)
 *   0x202 u32 header ("HdrS")     0x228 u32 cmd_line_ptr
 *   0x2d0 e820_table[128], packed 20-byte entries: u64 addr, u64 size, u32 type
 *
 * ACPI RSDP: 0 "RSD PTR "   8 checksum (bytes 0-19)   15 revision
 *   20 u32 length (rev >= 2)   32 extended checksum (all length bytes)
 *
 * The structures are read by copying them out of physical memory (phys ==
 * virtual under the identity map), so no alignment is assumed.
 */
#ifndef PAYLOAD_BOOTABI_H
#define PAYLOAD_BOOTABI_H

#include <stddef.h>
#include <stdint.h>

#define SI_MAGIC 0x336ec578u

struct si_v1 {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};
_Static_assert(offsetof(struct si_v1, magic) == 0x00, "start_info");
_Static_assert(offsetof(struct si_v1, version) == 0x04, "start_info");
_Static_assert(offsetof(struct si_v1, flags) == 0x08, "start_info");
_Static_assert(offsetof(struct si_v1, nr_modules) == 0x0c, "start_info");
_Static_assert(offsetof(struct si_v1, modlist_paddr) == 0x10, "start_info");
_Static_assert(offsetof(struct si_v1, cmdline_paddr) == 0x18, "start_info");
_Static_assert(offsetof(struct si_v1, rsdp_paddr) == 0x20, "start_info");
_Static_assert(offsetof(struct si_v1, memmap_paddr) == 0x28, "start_info");
_Static_assert(offsetof(struct si_v1, memmap_entries) == 0x30, "start_info");
_Static_assert(offsetof(struct si_v1, reserved) == 0x34, "start_info");
_Static_assert(sizeof(struct si_v1) == 0x38, "start_info");

struct si_mod {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
_Static_assert(offsetof(struct si_mod, cmdline_paddr) == 0x10, "modlist");
_Static_assert(sizeof(struct si_mod) == 32, "modlist");

struct si_memmap {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
_Static_assert(offsetof(struct si_memmap, type) == 0x10, "memmap");
_Static_assert(sizeof(struct si_memmap) == 24, "memmap");

#define MEM_RAM 1
#define MEM_RESERVED 2
#define MEM_ACPI 3
#define MEM_NVS 4
#define MEM_UNUSABLE 5
#define MEM_DISABLED 6
#define MEM_PMEM 7

#define BP_SIZE 0x1000
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_BOOT_FLAG 0x1fe
#define BP_HEADER 0x202
#define BP_CMD_LINE_PTR 0x228
#define BP_SETUP_DATA 0x250 /* u64: first setup_data node, or 0 */
#define BP_E820_TABLE 0x2d0
#define BP_E820_ENTRY_SIZE 20
#define BP_E820_MAX 128
#define SETUP_E820_EXT 1  /* setup_data type: E820 entries past the 128 */
#define SETUP_HDR_SIZE 16 /* u64 next, u32 type, u32 len, then data */
#define BP_BOOT_FLAG_VALUE 0xAA55u
#define BP_HEADER_VALUE 0x53726448u /* "HdrS" */

#define RSDP_SIG "RSD PTR "
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_CHECKSUM 8
#define RSDP_REVISION 15
#define RSDP_LENGTH 20
#define RSDP_XSUM 32

/* Copy n bytes from physical address pa (identity-mapped). */
static inline void phys_copy(void *dst, uint64_t pa, size_t n)
{
	__builtin_memcpy(dst, (const void *)(uintptr_t)pa, n);
}

static inline uint8_t phys_rd8(uint64_t pa)
{
	return *(const volatile uint8_t *)(uintptr_t)pa;
}

static inline uint16_t phys_rd16(uint64_t pa)
{
	uint16_t v;
	phys_copy(&v, pa, sizeof(v));
	return v;
}

static inline uint32_t phys_rd32(uint64_t pa)
{
	uint32_t v;
	phys_copy(&v, pa, sizeof(v));
	return v;
}

static inline uint64_t phys_rd64(uint64_t pa)
{
	uint64_t v;
	phys_copy(&v, pa, sizeof(v));
	return v;
}

static inline const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_RAM:
		return "RAM";
	case MEM_RESERVED:
		return "reserved";
	case MEM_ACPI:
		return "ACPI";
	case MEM_NVS:
		return "NVS";
	case MEM_UNUSABLE:
		return "unusable";
	case MEM_DISABLED:
		return "disabled";
	case MEM_PMEM:
		return "PMEM";
	default:
		return "other";
	}
}

#endif
