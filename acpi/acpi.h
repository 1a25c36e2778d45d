// SPDX-License-Identifier: MIT
/*
 * acpi.h: find and validate the ACPI RSDP.
 *
 * All reads go through a view of physical memory (phys address = offset).
 * acpi_rsdp_find() tries, in order, and takes the first valid RSDP:
 *   1. the hint (start_info's rsdp_paddr, the EFI configuration table), if
 *      non-zero; when it is not valid its error is reported through *hint_err
 *      so the caller can warn, and the scan goes on;
 *   2. the first KiB of the EBDA, whose segment is the u16 at 0x40E (skipped
 *      when the segment is 0 or the EBDA is not inside the view);
 *   3. 0xE0000 - 0xFFFFF.
 * Scans look at 16-byte boundaries. A candidate is valid when it has the
 * "RSD PTR " signature and its 20-byte checksum is right; if revision >= 2
 * its length must be at least 36 and the extended checksum over `length`
 * bytes must be right too.
 */
#ifndef PVHFW_ACPI_H
#define PVHFW_ACPI_H

#include <stdint.h>

#include "../lib/view.h"

#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36

struct acpi_rsdp {
	uint64_t addr;	  /* physical address of the RSDP */
	uint8_t revision; /* 0 = ACPI 1.0, >= 2 = ACPI 2.0+ */
	uint32_t length;  /* 20 for revision 0, else the length field */
	uint32_t rsdt;
	uint64_t xsdt; /* 0 for revision 0 */
	char oem[7];   /* OEMID, NUL-terminated */
};

enum acpi_err {
	ACPI_OK = 0,
	ACPI_E_RANGE,	  /* the RSDP is not inside readable memory */
	ACPI_E_SIGNATURE, /* no "RSD PTR " signature */
	ACPI_E_CHECKSUM,  /* the ACPI 1.0 checksum is wrong */
	ACPI_E_LENGTH,	  /* revision >= 2 with length < 36 */
	ACPI_E_XCHECKSUM, /* the extended checksum is wrong */
	ACPI_E_NOT_FOUND, /* no valid RSDP anywhere */
};

const char *acpi_strerror(enum acpi_err err);

/* Validates the RSDP at physical address addr; fills *out on ACPI_OK. */
enum acpi_err acpi_rsdp_check(const struct view *phys, uint64_t addr,
			      struct acpi_rsdp *out);

/*
 * Finds a valid RSDP as described above. hint 0 means "none given".
 * *hint_err (may be NULL) gets ACPI_OK, or why the hint was refused.
 */
enum acpi_err acpi_rsdp_find(const struct view *phys, uint64_t hint,
			     struct acpi_rsdp *out, enum acpi_err *hint_err);

#endif
