// SPDX-License-Identifier: MIT
/*
 * acpi.c: finds and validates the ACPI RSDP so the firmware can hand its
 * address to the payload. Every read goes through a view of physical memory
 * and is bounds-checked; nothing in a candidate is trusted.
 *
 * acpi_rsdp_check, in order (the first failing step is the error):
 *   1. the 20-byte ACPI 1.0 part must be readable (ACPI_E_RANGE);
 *   2. it must start with "RSD PTR " (ACPI_E_SIGNATURE);
 *   3. its 20 bytes must sum to 0 mod 256 (ACPI_E_CHECKSUM);
 *   4. revision >= 2: the length field must be readable (ACPI_E_RANGE) and
 *      at least 36 (ACPI_E_LENGTH), all `length` bytes must be readable
 *      (ACPI_E_RANGE) and sum to 0 mod 256 (ACPI_E_XCHECKSUM).
 *
 * acpi_rsdp_find tries the hint, the first KiB of the EBDA, then
 * 0xE0000 - 0xFFFFF at 16-byte steps, and returns ACPI_E_NOT_FOUND when no
 * candidate passes acpi_rsdp_check.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acpi.h"

/* Byte offsets of the RSDP fields. */
#define RSDP_SIGNATURE 0
#define RSDP_OEMID 9
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_LENGTH 20
#define RSDP_XSDT 24

#define RSDP_OEMID_LEN 6
#define RSDP_SCAN_STEP 16

#define BDA_EBDA_SEGMENT 0x40e
#define EBDA_SCAN_LEN 1024
#define BIOS_AREA_START 0xe0000u
#define BIOS_AREA_END 0x100000u /* exclusive */

static const char rsdp_signature[8] = {
	'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '
};

/* Sum mod 256 of the n bytes at p. */
static uint8_t sum8(const uint8_t *p, uint64_t n)
{
	uint8_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

const char *acpi_strerror(enum acpi_err err)
{
	switch (err) {
	case ACPI_OK:
		return "ok";
	case ACPI_E_RANGE:
		return "RSDP is outside memory";
	case ACPI_E_SIGNATURE:
		return "bad RSDP signature";
	case ACPI_E_CHECKSUM:
		return "bad RSDP checksum";
	case ACPI_E_LENGTH:
		return "bad RSDP length";
	case ACPI_E_XCHECKSUM:
		return "bad RSDP extended checksum";
	case ACPI_E_NOT_FOUND:
		return "no RSDP found";
	}
	return "unknown error";
}

enum acpi_err acpi_rsdp_check(const struct view *phys, uint64_t addr,
			      struct acpi_rsdp *out)
{
	struct acpi_rsdp r;
	const uint8_t *p;
	uint64_t xsdt = 0;
	uint32_t rsdt, length = ACPI_RSDP_V1_LEN;
	uint8_t revision;

	/* 1 - 3. The ACPI 1.0 part. */
	p = view_ptr(phys, addr, ACPI_RSDP_V1_LEN);
	if (p == NULL)
		return ACPI_E_RANGE;
	if (memcmp(p + RSDP_SIGNATURE, rsdp_signature,
		   sizeof(rsdp_signature)) != 0)
		return ACPI_E_SIGNATURE;
	if (sum8(p, ACPI_RSDP_V1_LEN) != 0)
		return ACPI_E_CHECKSUM;
	revision = p[RSDP_REVISION];
	rsdt = (uint32_t)p[RSDP_RSDT] | (uint32_t)p[RSDP_RSDT + 1] << 8 |
	       (uint32_t)p[RSDP_RSDT + 2] << 16 |
	       (uint32_t)p[RSDP_RSDT + 3] << 24;

	/* 4. The ACPI 2.0 extension. */
	if (revision >= 2) {
		/* addr + 20 cannot wrap: 20 bytes at addr are in the view. */
		if (!view_u32(phys, addr + RSDP_LENGTH, &length))
			return ACPI_E_RANGE;
		if (length < ACPI_RSDP_V2_LEN)
			return ACPI_E_LENGTH;
		p = view_ptr(phys, addr, length);
		if (p == NULL)
			return ACPI_E_RANGE;
		if (sum8(p, length) != 0)
			return ACPI_E_XCHECKSUM;
		if (!view_u64(phys, addr + RSDP_XSDT, &xsdt))
			return ACPI_E_RANGE;
	}

	r.addr = addr;
	r.revision = revision;
	r.length = length;
	r.rsdt = rsdt;
	r.xsdt = xsdt;
	memcpy(r.oem, p + RSDP_OEMID, RSDP_OEMID_LEN);
	r.oem[RSDP_OEMID_LEN] = '\0';
	*out = r;
	return ACPI_OK;
}

/*
 * Checks each 16-byte boundary in [start, end) that lies inside the view;
 * true with *out filled at the first valid RSDP.
 */
static bool scan(const struct view *phys, uint64_t start, uint64_t end,
		 struct acpi_rsdp *out)
{
	for (uint64_t a = start; a < end && a < phys->len;
	     a += RSDP_SCAN_STEP) {
		if (acpi_rsdp_check(phys, a, out) == ACPI_OK)
			return true;
	}
	return false;
}

enum acpi_err acpi_rsdp_find(const struct view *phys, uint64_t hint,
			     struct acpi_rsdp *out, enum acpi_err *hint_err)
{
	uint16_t seg;

	if (hint_err != NULL)
		*hint_err = ACPI_OK;

	/* 1. The hint. */
	if (hint != 0) {
		enum acpi_err err = acpi_rsdp_check(phys, hint, out);
		if (err == ACPI_OK)
			return ACPI_OK;
		if (hint_err != NULL)
			*hint_err = err;
	}

	/* 2. The first KiB of the EBDA (base <= 0xffff0: no overflow). */
	if (view_u16(phys, BDA_EBDA_SEGMENT, &seg) && seg != 0) {
		uint64_t base = (uint64_t)seg << 4;
		if (scan(phys, base, base + EBDA_SCAN_LEN, out))
			return ACPI_OK;
	}

	/* 3. The BIOS read-only area. */
	if (scan(phys, BIOS_AREA_START, BIOS_AREA_END, out))
		return ACPI_OK;
	return ACPI_E_NOT_FOUND;
}
