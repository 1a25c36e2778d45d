// SPDX-License-Identifier: MIT
/*
 * linux.h: the Linux x86 boot protocol's boot_params ("zero page").
 *
 * Offsets within the 4 KiB boot_params (the setup header sits at 0x1F1, at
 * the same offset as in a bzImage):
 *
 *   0x070 acpi_rsdp_addr u64      0x0C0 ext_ramdisk_image u32
 *   0x0C4 ext_ramdisk_size u32    0x0C8 ext_cmd_line_ptr u32
 *   0x1E8 e820_entries u8         0x1EF sentinel u8
 *   0x1F1 setup_sects u8          0x1FE boot_flag u16 (0xAA55)
 *   0x202 header u32 ("HdrS")     0x206 version u16
 *   0x210 type_of_loader u8       0x211 loadflags u8
 *   0x218 ramdisk_image u32       0x21C ramdisk_size u32
 *   0x228 cmd_line_ptr u32        0x230 kernel_alignment u32
 *   0x238 cmdline_size u32        0x250 setup_data u64
 *   0x2D0 e820_table[128], packed 20-byte entries {addr u64, size u64,
 *         type u32}
 */
#ifndef PVHFW_LINUX_H
#define PVHFW_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "../memmap/memmap.h"

#define LINUX_BP_SIZE 4096
#define LINUX_BP_ACPI_RSDP 0x070
#define LINUX_BP_EXT_RAMDISK_IMAGE 0x0C0
#define LINUX_BP_EXT_RAMDISK_SIZE 0x0C4
#define LINUX_BP_EXT_CMD_LINE_PTR 0x0C8
#define LINUX_BP_E820_ENTRIES 0x1E8
#define LINUX_BP_SENTINEL 0x1EF
#define LINUX_BP_HDR 0x1F1
#define LINUX_BP_BOOT_FLAG 0x1FE
#define LINUX_BP_HEADER 0x202
#define LINUX_BP_VERSION 0x206
#define LINUX_BP_TYPE_OF_LOADER 0x210
#define LINUX_BP_LOADFLAGS 0x211
#define LINUX_BP_RAMDISK_IMAGE 0x218
#define LINUX_BP_RAMDISK_SIZE 0x21C
#define LINUX_BP_CMD_LINE_PTR 0x228
#define LINUX_BP_KERNEL_ALIGNMENT 0x230
#define LINUX_BP_CMDLINE_SIZE 0x238
#define LINUX_BP_SETUP_DATA 0x250
#define LINUX_BP_E820_TABLE 0x2D0
#define LINUX_E820_MAX 128
#define LINUX_E820_ENTRY_SIZE 20

/* struct setup_data: next u64, type u32, len u32, then len bytes. */
#define LINUX_SETUP_DATA_HDR_SIZE 16
#define LINUX_SETUP_E820_EXT 1

#define LINUX_HDRS_MAGIC 0x53726448u
#define LINUX_BOOT_FLAG 0xAA55

/*
 * Zeroes bp and writes the setup-header fields a kernel entered at its 64-bit
 * entry without a bzImage header expects, as Firecracker's ELF boot gives
 * them: boot_flag 0xAA55, header "HdrS", version 2.12, type_of_loader 0xFF
 * (undefined), kernel_alignment 16 MiB, cmdline_size cmdline_max.
 */
void linux_bp_init(uint8_t *bp, uint32_t cmdline_max);

/*
 * Writes up to LINUX_E820_MAX entries of the normalised map mm into the
 * e820 table. Returns how many entries did not fit (0 normally).
 */
uint32_t linux_bp_set_e820(uint8_t *bp, const struct memmap *mm);

void linux_bp_set_cmdline(uint8_t *bp, uint64_t paddr);
void linux_bp_set_ramdisk(uint8_t *bp, uint64_t paddr, uint64_t size);
void linux_bp_set_rsdp(uint8_t *bp, uint64_t paddr);

/* Points boot_params' setup_data (0x250) at the first node (0 = none). */
void linux_bp_set_setup_data(uint8_t *bp, uint64_t paddr);

/*
 * Writes into buf one setup_data node of type LINUX_SETUP_E820_EXT holding
 * the entries mm->e[first..mm->n) (none when first >= mm->n) as packed
 * 20-byte e820 entries: {next = 0, type = 1, len = 20 * count, entries}.
 * For maps of more than LINUX_E820_MAX entries, pass first = LINUX_E820_MAX
 * (linux_bp_set_e820 wrote the entries before it). Returns the bytes
 * written, 16 + len, or 0 (buf untouched) when cap is too small. Put the
 * node 8-byte aligned in RAM the firmware marks busy until the handoff.
 */
size_t linux_setup_data_e820(uint8_t *buf, size_t cap, const struct memmap *mm,
			     uint32_t first);

#endif
