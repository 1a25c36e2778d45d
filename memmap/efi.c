// SPDX-License-Identifier: MIT
/* efi.c: the UEFI memory map as E820 types (see efi.h for the table). */
#include "efi.h"

bool memmap_efi_desc_size_ok(uint64_t desc_size)
{
	return desc_size >= MEMMAP_EFI_DESC_MIN && desc_size % 8 == 0;
}

uint32_t memmap_efi_type(uint32_t efi_type, uint64_t attribute)
{
	switch (efi_type) {
	case EFI_MEM_RESERVED:
	case EFI_MEM_RUNTIME_CODE:
	case EFI_MEM_RUNTIME_DATA:
	case EFI_MEM_MMIO:
	case EFI_MEM_MMIO_PORT:
	case EFI_MEM_PAL_CODE:
		return MEMMAP_RESERVED;
	case EFI_MEM_UNUSABLE:
		return MEMMAP_UNUSABLE;
	case EFI_MEM_ACPI_RECLAIM:
		return MEMMAP_ACPI;
	case EFI_MEM_LOADER_CODE:
	case EFI_MEM_LOADER_DATA:
	case EFI_MEM_BOOT_CODE:
	case EFI_MEM_BOOT_DATA:
	case EFI_MEM_CONVENTIONAL:
		return (attribute & EFI_MEMORY_SP) ? MEMMAP_RESERVED
						   : MEMMAP_RAM;
	case EFI_MEM_ACPI_NVS:
		return MEMMAP_NVS;
	case EFI_MEM_PERSISTENT:
		return MEMMAP_PMEM;
	default:
		return 0;
	}
}

const char *memmap_efi_strerror(enum memmap_efi_err err)
{
	switch (err) {
	case MEMMAP_EFI_OK:
		return "success";
	case MEMMAP_EFI_E_DESC_SIZE:
		return "EFI memory descriptor size is below 40 bytes or not a "
		       "multiple of 8";
	case MEMMAP_EFI_E_RANGE:
		return "EFI memory map runs past its buffer";
	case MEMMAP_EFI_E_WRAP:
		return "EFI memory descriptor range wraps past the end of the "
		       "address space";
	case MEMMAP_EFI_E_FULL:
		return "too many memory map entries";
	}
	return "unknown EFI memory map error";
}

/* Descriptor i's E820 type (0: dropped), start and size in bytes. */
static enum memmap_efi_err read_desc(const struct view *v, uint64_t d,
				     uint32_t *e820, uint64_t *start,
				     uint64_t *size)
{
	uint32_t type;
	uint64_t pages, attr;
	if (!view_u32(v, d, &type) || !view_u64(v, d + 0x08, start) ||
	    !view_u64(v, d + 0x18, &pages) || !view_u64(v, d + 0x20, &attr))
		return MEMMAP_EFI_E_RANGE;
	*e820 = memmap_efi_type(type, attr);
	*size = 0;
	if (!*e820 || !pages)
		return MEMMAP_EFI_OK;
	/* The end must be representable (memmap.h's rule). */
	if (pages > UINT64_MAX / MEMMAP_EFI_PAGE ||
	    pages * MEMMAP_EFI_PAGE > UINT64_MAX - *start)
		return MEMMAP_EFI_E_WRAP;
	*size = pages * MEMMAP_EFI_PAGE;
	return MEMMAP_EFI_OK;
}

static enum memmap_efi_err check_map(const struct view *v, uint64_t off,
				     uint64_t n, uint64_t desc_size)
{
	if (!memmap_efi_desc_size_ok(desc_size))
		return MEMMAP_EFI_E_DESC_SIZE;
	if (n > (UINT64_MAX - off) / desc_size ||
	    !view_has(v, off, n * desc_size))
		return MEMMAP_EFI_E_RANGE;
	return MEMMAP_EFI_OK;
}

enum memmap_efi_err memmap_from_efi(struct memmap *m, const struct view *v,
				    uint64_t off, uint64_t n,
				    uint64_t desc_size)
{
	enum memmap_efi_err err = check_map(v, off, n, desc_size);
	if (err)
		return err;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t e820;
		uint64_t start, size;
		err = read_desc(v, off + i * desc_size, &e820, &start, &size);
		if (err)
			return err;
		if (!size)
			continue;
		struct memmap_entry *last = m->n ? &m->e[m->n - 1] : 0;
		if (last && last->type == e820 &&
		    last->addr + last->size == start) {
			last->size += size;
			continue;
		}
		if (memmap_add(m, start, size, e820))
			return MEMMAP_EFI_E_FULL;
	}
	return MEMMAP_EFI_OK;
}

enum memmap_efi_err memmap_efi_map_end(const struct view *v, uint64_t off,
				       uint64_t n, uint64_t desc_size,
				       uint64_t *end, uint64_t *top)
{
	enum memmap_efi_err err = check_map(v, off, n, desc_size);
	if (err)
		return err;
	uint64_t e = MEMMAP_EFI_MAP_MIN, t = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t e820;
		uint64_t start, size;
		err = read_desc(v, off + i * desc_size, &e820, &start, &size);
		if (err)
			return err;
		if (!size)
			continue;
		if (start + size > t)
			t = start + size;
		if ((e820 == MEMMAP_RAM || e820 == MEMMAP_ACPI ||
		     e820 == MEMMAP_NVS) &&
		    start + size > e)
			e = start + size;
	}
	*end = e < MEMMAP_EFI_MAP_MAX ? e : MEMMAP_EFI_MAP_MAX;
	*top = t;
	return MEMMAP_EFI_OK;
}
