// SPDX-License-Identifier: MIT
/*
 * efi.h: the UEFI memory map (GetMemoryMap's descriptors) converted to the
 * E820 types of memmap.h, the way Linux's EFI stub converts it
 * (drivers/firmware/efi/libstub/x86-stub.c, setup_e820):
 *
 *   Reserved, RuntimeServicesCode/Data, MemoryMappedIO,
 *   MemoryMappedIOPortSpace, PalCode                       -> reserved (2)
 *   UnusableMemory                                          -> unusable (5)
 *   ACPIReclaimMemory                                       -> acpi (3)
 *   LoaderCode/Data, BootServicesCode/Data, Conventional    -> ram (1), or
 *       reserved when the descriptor has EFI_MEMORY_SP (soft-reserved: the
 *       E820 soft-reserved type is outside 1-7, which memmap.h reports as
 *       reserved anyway)
 *   ACPIMemoryNVS                                           -> nvs (4)
 *   PersistentMemory                                        -> pmem (7)
 *   anything else (UnacceptedMemory, unknown types)         -> dropped
 *
 * Pure: the descriptors are read through a view, nothing is allocated.
 */
#ifndef PVHFW_MEMMAP_EFI_H
#define PVHFW_MEMMAP_EFI_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/view.h"
#include "memmap.h"

/* EFI_MEMORY_TYPE values (UEFI 2.10, 7.2). */
#define EFI_MEM_RESERVED 0
#define EFI_MEM_LOADER_CODE 1
#define EFI_MEM_LOADER_DATA 2
#define EFI_MEM_BOOT_CODE 3
#define EFI_MEM_BOOT_DATA 4
#define EFI_MEM_RUNTIME_CODE 5
#define EFI_MEM_RUNTIME_DATA 6
#define EFI_MEM_CONVENTIONAL 7
#define EFI_MEM_UNUSABLE 8
#define EFI_MEM_ACPI_RECLAIM 9
#define EFI_MEM_ACPI_NVS 10
#define EFI_MEM_MMIO 11
#define EFI_MEM_MMIO_PORT 12
#define EFI_MEM_PAL_CODE 13
#define EFI_MEM_PERSISTENT 14
#define EFI_MEM_UNACCEPTED 15

#define EFI_MEMORY_SP (1ull << 18) /* specific purpose: soft-reserved */

/*
 * EFI_MEMORY_DESCRIPTOR, x86-64 (40 bytes; firmware strides by its own
 * DescriptorSize, often 48):
 *   0x00 u32 Type        0x04 pad        0x08 u64 PhysicalStart
 *   0x10 u64 VirtualStart                0x18 u64 NumberOfPages (4 KiB)
 *   0x20 u64 Attribute
 */
#define MEMMAP_EFI_DESC_MIN 40
#define MEMMAP_EFI_PAGE 4096ull

/* Whether GetMemoryMap's DescriptorSize can stride a map: at least
 * MEMMAP_EFI_DESC_MIN and a multiple of 8 (0, say, would divide by zero). */
bool memmap_efi_desc_size_ok(uint64_t desc_size);

/* The E820 type for an EFI type and attribute; 0 when it is dropped. */
uint32_t memmap_efi_type(uint32_t efi_type, uint64_t attribute);

enum memmap_efi_err {
	MEMMAP_EFI_OK = 0,
	MEMMAP_EFI_E_DESC_SIZE, /* desc_size < 40 or not a multiple of 8 */
	MEMMAP_EFI_E_RANGE,	/* the descriptors run past the view */
	MEMMAP_EFI_E_WRAP,	/* a descriptor's range runs past 2^64 */
	MEMMAP_EFI_E_FULL,	/* more than MEMMAP_MAX entries */
};

const char *memmap_efi_strerror(enum memmap_efi_err err);

/*
 * Appends to m the n descriptors found at offset off of v, desc_size bytes
 * apart, converted as above; a descriptor that starts exactly where the
 * last appended entry ends, with the same type, extends it. m is not
 * normalised here. On error m keeps the entries appended so far.
 */
enum memmap_efi_err memmap_from_efi(struct memmap *m, const struct view *v,
				    uint64_t off, uint64_t n,
				    uint64_t desc_size);

/*
 * How far the EFI entry's identity map reaches for the n descriptors at
 * offset off of v, desc_size apart: *end is the end of the highest one the
 * firmware may read, RAM or ACPI tables (E820 ram, acpi or nvs as above),
 * at least MEMMAP_EFI_MAP_MIN (4 GiB) and at most MEMMAP_EFI_MAP_MAX (2^47,
 * what four-level paging identity-maps; load.c refuses RAM beyond it).
 * Other descriptors beyond *end (MMIO, reserved: 2^46 and up on some
 * machines, whose page tables would cost hundreds of MiB) stay unmapped;
 * *top is the end of the highest descriptor of any type kept, for the log.
 * Errors as memmap_from_efi's; *end and *top are written only on success.
 */
#define MEMMAP_EFI_MAP_MIN (1ull << 32)
#define MEMMAP_EFI_MAP_MAX (1ull << 47)
enum memmap_efi_err memmap_efi_map_end(const struct view *v, uint64_t off,
				       uint64_t n, uint64_t desc_size,
				       uint64_t *end, uint64_t *top);

#endif
