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
 *   4. revision >= 2: the length field must be readable (ACPI_E_RANGE),
 *      at least 36 and at most ACPI_RSDP_MAX_LEN (ACPI_E_LENGTH), all
 *      `length` bytes must be readable (ACPI_E_RANGE) and sum to 0 mod 256
 *      (ACPI_E_XCHECKSUM).
 *
 * acpi_rsdp_find tries the hint, the first KiB of the EBDA, then
 * 0xE0000 - 0xFFFFF at 16-byte steps, and returns ACPI_E_NOT_FOUND when no
 * candidate passes acpi_rsdp_check. acpi_rsdp_prefer chooses between hints.
 *
 * Past the RSDP: acpi_find_table walks the XSDT or RSDT, acpi_fadt_parse
 * decodes the FADT, acpi_s5_slp_typ finds \_S5 in the DSDT, and
 * acpi_poweroff_plan puts them together. Each table is checked (signature,
 * length, checksum, all of it inside the view) before any field is read,
 * and every field read goes through a view of just that table, so a length
 * that does not cover a field reads as "absent", never past the table.
 * acpi_pm1_cnt_merge is the PM1x_CNT write the caller does with a plan.
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
	case ACPI_E_TABLE:
		return "bad ACPI table header or checksum";
	case ACPI_E_NO_TABLE:
		return "ACPI table not found";
	case ACPI_E_NO_S5:
		return "no \\_S5 object in the DSDT";
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
	rsdt = le32(p + RSDP_RSDT);

	/* 4. The ACPI 2.0 extension. */
	if (revision >= 2) {
		/* addr + 20 cannot wrap: 20 bytes at addr are in the view. */
		if (!view_u32(phys, addr + RSDP_LENGTH, &length))
			return ACPI_E_RANGE;
		if (length < ACPI_RSDP_V2_LEN || length > ACPI_RSDP_MAX_LEN)
			return ACPI_E_LENGTH;
		p = view_ptr(phys, addr, length);
		if (p == NULL)
			return ACPI_E_RANGE;
		if (sum8(p, length) != 0)
			return ACPI_E_XCHECKSUM;
		xsdt = le64(p + RSDP_XSDT); /* inside the length bytes */
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

uint64_t acpi_rsdp_prefer(const struct view *phys, uint64_t a, uint64_t b)
{
	struct acpi_rsdp r;

	if (a != 0 && acpi_rsdp_check(phys, a, &r) == ACPI_OK)
		return a;
	if (b != 0 && acpi_rsdp_check(phys, b, &r) == ACPI_OK)
		return b;
	return a != 0 ? a : b;
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

/*
 * System description table header (36 bytes):
 *   0 Signature[4]   4 Length u32      8 Revision u8   9 Checksum u8
 *  10 OEMID[6]      16 OEM Table ID[8] 24 OEM Revision u32
 *  28 Creator ID u32  32 Creator Revision u32
 */
#define SDT_SIGNATURE 0
#define SDT_LENGTH 4

#define XSDT_ENTRY_LEN 8
#define RSDT_ENTRY_LEN 4

/*
 * Checks the table at addr as described in acpi.h; true with *len set to
 * its length when it is valid and its signature is sig.
 */
static bool sdt_check(const struct view *phys, uint64_t addr, const char sig[4],
		      uint32_t *len)
{
	const uint8_t *p = view_ptr(phys, addr, ACPI_SDT_HEADER_LEN);
	uint32_t length;

	if (p == NULL || memcmp(p + SDT_SIGNATURE, sig, 4) != 0)
		return false;
	if (!view_u32(phys, addr + SDT_LENGTH, &length) ||
	    length < ACPI_SDT_HEADER_LEN)
		return false;
	p = view_ptr(phys, addr, length);
	if (p == NULL || sum8(p, length) != 0)
		return false;
	*len = length;
	return true;
}

enum acpi_err acpi_find_table(const struct view *phys,
			      const struct acpi_rsdp *rsdp, const char sig[4],
			      uint32_t instance, uint64_t *addr, uint32_t *len)
{
	bool xsdt = rsdp->revision >= 2 && rsdp->xsdt != 0;
	uint64_t root = xsdt ? rsdp->xsdt : rsdp->rsdt;
	uint32_t entry_len = xsdt ? XSDT_ENTRY_LEN : RSDT_ENTRY_LEN;
	uint32_t root_len, n;
	bool skipped = false;
	struct view rv;

	if (!sdt_check(phys, root, xsdt ? "XSDT" : "RSDT", &root_len))
		return ACPI_E_TABLE;
	rv = view_sub(phys, root, root_len);
	n = (root_len - ACPI_SDT_HEADER_LEN) / entry_len;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t off = ACPI_SDT_HEADER_LEN + (uint64_t)i * entry_len;
		uint64_t a = 0;
		uint32_t a32, tlen;
		const uint8_t *p;

		if (xsdt) {
			if (!view_u64(&rv, off, &a))
				break;
		} else {
			if (!view_u32(&rv, off, &a32))
				break;
			a = a32;
		}
		if (a == 0)
			continue;
		p = view_ptr(phys, a, 4);
		if (p == NULL) {
			skipped = true; /* it may be the one asked for */
			continue;
		}
		if (memcmp(p, sig, 4) != 0)
			continue;
		if (!sdt_check(phys, a, sig, &tlen)) {
			skipped = true;
			continue;
		}
		if (instance == 0) {
			*addr = a;
			*len = tlen;
			return ACPI_OK;
		}
		instance--;
	}
	return skipped ? ACPI_E_TABLE : ACPI_E_NO_TABLE;
}

/*
 * FADT ("FACP") fields, byte offsets (ACPI 6.x, table "FADT Format"):
 *
 *     0 header (36)                 88 PM1_EVT_LEN .. GPE1_BASE, CST_CNT
 *    36 FIRMWARE_CTRL u32           96 P_LVL2_LAT u16, P_LVL3_LAT u16
 *    40 DSDT u32                   100 FLUSH_SIZE u16, FLUSH_STRIDE u16
 *    44 reserved (INT_MODEL) u8    104 DUTY_OFFSET .. CENTURY (5 x u8)
 *    45 Preferred_PM_Profile u8    109 IAPC_BOOT_ARCH u16
 *    46 SCI_INT u16                111 reserved u8
 *    48 SMI_CMD u32                112 Flags u32
 *    52 ACPI_ENABLE, ACPI_DISABLE, 116 RESET_REG GAS      (ACPI 1.0 ends
 *       S4BIOS_REQ, PSTATE_CNT u8                          at 116)
 *    56 PM1a_EVT_BLK u32           128 RESET_VALUE u8
 *    60 PM1b_EVT_BLK u32           129 ARM_BOOT_ARCH u16
 *    64 PM1a_CNT_BLK u32           131 FADT Minor Version u8
 *    68 PM1b_CNT_BLK u32           132 X_FIRMWARE_CTRL u64
 *    72 PM2_CNT_BLK u32            140 X_DSDT u64
 *    76 PM_TMR_BLK u32             148 X_PM1a_EVT_BLK GAS
 *    80 GPE0_BLK u32               160 X_PM1b_EVT_BLK GAS
 *    84 GPE1_BLK u32               172 X_PM1a_CNT_BLK GAS
 *                                  184 X_PM1b_CNT_BLK GAS
 *                                  196 X_PM2_CNT_BLK GAS
 *                                  208 X_PM_TMR_BLK GAS
 *                                  220 X_GPE0_BLK GAS
 *                                  232 X_GPE1_BLK GAS
 *                                  244 SLEEP_CONTROL_REG GAS (ACPI 5)
 *                                  256 SLEEP_STATUS_REG GAS  (ACPI 5)
 *                                  268 Hypervisor Vendor Identity u64
 *                                  276 end (ACPI 6.0+)
 *
 * Generic Address Structure (12 bytes): 0 Address Space ID u8, 1 Register
 * Bit Width u8, 2 Register Bit Offset u8, 3 Access Size u8, 4 Address u64.
 */
#define FADT_DSDT 40
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1B_CNT_BLK 68
#define FADT_PM_TMR_BLK 76
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184
#define FADT_X_PM_TMR_BLK 208
#define FADT_SLEEP_CONTROL_REG 244

#define FADT_F_TMR_VAL_EXT (1u << 8)
#define FADT_F_RESET_REG_SUP (1u << 10)
#define FADT_F_HW_REDUCED_ACPI (1u << 20)

#define GAS_LEN 12
#define GAS_SPACE_ID 0
#define GAS_ADDRESS 4

#define IO_PORT_MAX 0xffffu

/* True with the space ID and address when the whole GAS at off is in t. */
static bool gas_read(const struct view *t, uint64_t off, uint8_t *space,
		     uint64_t *addr)
{
	if (!view_has(t, off, GAS_LEN))
		return false;
	return view_u8(t, off + GAS_SPACE_ID, space) &&
	       view_u64(t, off + GAS_ADDRESS, addr);
}

/*
 * An I/O port block: the X_ GAS at x_off when it is in t, non-zero and a
 * port in system I/O space; else the 32-bit field at off when it is a port;
 * else 0.
 */
static uint16_t fadt_port(const struct view *t, uint64_t off, uint64_t x_off)
{
	uint8_t space;
	uint64_t xa;
	uint32_t a;

	if (gas_read(t, x_off, &space, &xa) && xa != 0 &&
	    space == ACPI_GAS_IO && xa <= IO_PORT_MAX)
		return (uint16_t)xa;
	if (view_u32(t, off, &a) && a <= IO_PORT_MAX)
		return (uint16_t)a;
	return 0;
}

enum acpi_err acpi_fadt_parse(const struct view *phys, uint64_t addr,
			      uint32_t len, struct acpi_fadt *out)
{
	struct acpi_fadt f;
	struct view t;
	uint32_t tlen, dsdt32 = 0;
	uint64_t x;
	uint8_t space;

	if (!sdt_check(phys, addr, "FACP", &tlen) || tlen != len ||
	    tlen < ACPI_FADT_V1_LEN)
		return ACPI_E_TABLE;
	/* Every read below is bounded by the table's own length. */
	t = view_sub(phys, addr, tlen);
	memset(&f, 0, sizeof(f));

	if (!view_u32(&t, FADT_FLAGS, &f.flags))
		return ACPI_E_TABLE; /* not reached: tlen >= 116 */
	f.hw_reduced = (f.flags & FADT_F_HW_REDUCED_ACPI) != 0;
	f.pm_tmr_32bit = (f.flags & FADT_F_TMR_VAL_EXT) != 0;

	if (view_u64(&t, FADT_X_DSDT, &x) && x != 0) {
		f.dsdt = x;
	} else {
		if (!view_u32(&t, FADT_DSDT, &dsdt32))
			return ACPI_E_TABLE; /* not reached */
		f.dsdt = dsdt32;
	}

	f.pm_tmr_port = fadt_port(&t, FADT_PM_TMR_BLK, FADT_X_PM_TMR_BLK);
	f.pm1a_cnt_port = fadt_port(&t, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT_BLK);
	f.pm1b_cnt_port = fadt_port(&t, FADT_PM1B_CNT_BLK, FADT_X_PM1B_CNT_BLK);

	if (gas_read(&t, FADT_SLEEP_CONTROL_REG, &space, &x)) {
		f.sleep_control.space = space;
		f.sleep_control.addr = x;
	}

	if ((f.flags & FADT_F_RESET_REG_SUP) != 0 &&
	    gas_read(&t, FADT_RESET_REG, &space, &x) &&
	    view_u8(&t, FADT_RESET_VALUE, &f.reset_value)) {
		f.reset_space = space;
		f.reset_addr = x;
	}

	*out = f;
	return ACPI_OK;
}

/* AML opcodes and prefixes used by the \_S5 scan (ACPI 6.x, chapter 20). */
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c

#define S5_MIN_ELEMENTS 1

/*
 * One integer element of a package at *off in pkg: ZeroOp, OneOp, or a
 * Byte/Word/DWord/QWordConst, of which the low byte is taken (and the next
 * byte, 0 when there is none, into *next). True with *val and *off moved
 * past it when it is one and lies inside pkg.
 */
static bool aml_int_low_byte(const struct view *pkg, uint64_t *off,
			     uint8_t *val, uint8_t *next)
{
	uint8_t op;
	uint64_t size;

	*next = 0;
	if (!view_u8(pkg, *off, &op))
		return false;
	switch (op) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*val = op;
		*off += 1;
		return true;
	case AML_BYTE_PREFIX:
		size = 1;
		break;
	case AML_WORD_PREFIX:
		size = 2;
		break;
	case AML_DWORD_PREFIX:
		size = 4;
		break;
	case AML_QWORD_PREFIX:
		size = 8;
		break;
	default:
		return false;
	}
	/* The whole constant must be inside the package; little endian. */
	if (!view_has(pkg, *off + 1, size) || !view_u8(pkg, *off + 1, val))
		return false;
	if (size > 1)
		view_u8(pkg, *off + 2, next);
	*off += 1 + size;
	return true;
}

/*
 * The package that should follow "_S5_" at off in the DSDT t:
 *   PackageOp PkgLength NumElements element0 element1 ...
 * PkgLength's lead byte: bits 7-6 = number of bytes that follow (0 - 3);
 * with none, bits 5-0 are the length; else bits 5-4 must be 0, bits 3-0 are
 * the low nibble and each following byte adds 8 more bits. The length counts
 * from the first PkgLength byte to the end of the package.
 */
static bool s5_package(const struct view *t, uint64_t off, uint8_t *a,
		       uint8_t *b)
{
	uint8_t op, lead, byte, count;
	uint32_t follow, plen;
	uint64_t at;
	struct view pkg;

	if (!view_u8(t, off, &op) || op != AML_PACKAGE_OP)
		return false;
	off++;
	if (!view_u8(t, off, &lead))
		return false;
	follow = lead >> 6;
	if (follow == 0) {
		plen = lead & 0x3f;
	} else {
		if ((lead & 0x30) != 0)
			return false;
		plen = lead & 0x0f;
		for (uint32_t k = 1; k <= follow; k++) {
			if (!view_u8(t, off + k, &byte))
				return false;
			plen |= (uint32_t)byte << (4 + 8 * (k - 1));
		}
	}
	/* The package is [off, off + plen): PkgLength, NumElements, ... */
	if (plen < follow + 2 || !view_has(t, off, plen))
		return false;
	pkg = view_sub(t, off, plen);
	at = follow + 1;
	if (!view_u8(&pkg, at, &count) || count < S5_MIN_ELEMENTS)
		return false;
	at++;
	/* One element (Cloud Hypervisor's and Firecracker's DSDT): SLP_TYPb
	 * is its second byte, as ACPICA takes it. */
	uint8_t next, unused;
	if (!aml_int_low_byte(&pkg, &at, a, &next))
		return false;
	if (count == 1) {
		*b = next;
		return true;
	}
	return aml_int_low_byte(&pkg, &at, b, &unused);
}

enum acpi_err acpi_s5_slp_typ(const struct view *phys, uint64_t dsdt,
			      uint8_t *slp_typ_a, uint8_t *slp_typ_b)
{
	static const char s5[4] = { '_', 'S', '5', '_' };
	uint32_t len;
	struct view t;

	if (!sdt_check(phys, dsdt, "DSDT", &len))
		return ACPI_E_TABLE;
	t = view_sub(phys, dsdt, len);

	for (uint64_t i = ACPI_SDT_HEADER_LEN; i < len; i++) {
		uint64_t name = i + 1;
		uint8_t op, c, a, b;
		const uint8_t *p;

		if (!view_u8(&t, i, &op) || op != AML_NAME_OP)
			continue;
		if (view_u8(&t, name, &c) && c == AML_ROOT_CHAR)
			name++;
		p = view_ptr(&t, name, sizeof(s5));
		if (p == NULL || memcmp(p, s5, sizeof(s5)) != 0)
			continue;
		if (s5_package(&t, name + sizeof(s5), &a, &b)) {
			*slp_typ_a = a;
			*slp_typ_b = b;
			return ACPI_OK;
		}
	}
	return ACPI_E_NO_S5;
}

/* The PM1x_CNT bits that enter the sleep state typ. */
static uint16_t pm1_cnt_value(uint8_t typ)
{
	return (uint16_t)((typ & 7u) << ACPI_PM1_SLP_TYP_SHIFT |
			  ACPI_PM1_SLP_EN);
}

/* The sleep control register value that enters the sleep state typ. */
static uint8_t sleep_ctl_value(uint8_t typ)
{
	return (uint8_t)((typ & 7u) << ACPI_SLEEP_CTL_SLP_TYP_SHIFT |
			 ACPI_SLEEP_CTL_SLP_EN);
}

uint16_t acpi_pm1_cnt_merge(uint16_t cur, uint16_t value)
{
	const uint16_t drop =
		ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN | ACPI_PM1_GBL_RLS;
	return (uint16_t)((cur & ~drop) | value);
}

enum acpi_err acpi_poweroff_plan(const struct view *phys,
				 const struct acpi_rsdp *rsdp,
				 struct acpi_poweroff *out)
{
	static const char facp[4] = { 'F', 'A', 'C', 'P' };
	struct acpi_poweroff p;
	struct acpi_fadt f;
	uint64_t addr;
	uint32_t len;
	uint8_t typ_a, typ_b;
	enum acpi_err err;

	memset(&p, 0, sizeof(p));
	p.how = ACPI_OFF_NONE;
	*out = p;

	err = acpi_find_table(phys, rsdp, facp, 0, &addr, &len);
	if (err != ACPI_OK)
		return err;
	err = acpi_fadt_parse(phys, addr, len, &f);
	if (err != ACPI_OK)
		return err;

	if (f.hw_reduced) {
		uint8_t space = f.sleep_control.space;
		uint64_t a = f.sleep_control.addr;
		/* A memory register must be where the caller can write it. */
		if (a == 0 ||
		    (space != ACPI_GAS_MEMORY && space != ACPI_GAS_IO) ||
		    (space == ACPI_GAS_IO && a > IO_PORT_MAX) ||
		    (space == ACPI_GAS_MEMORY && !view_has(phys, a, 1)))
			return ACPI_OK;
	} else if (f.pm1a_cnt_port == 0) {
		return ACPI_OK;
	}

	err = acpi_s5_slp_typ(phys, f.dsdt, &typ_a, &typ_b);
	if (err != ACPI_OK)
		return err;

	if (f.hw_reduced) {
		p.how = ACPI_OFF_SLEEP_REG;
		p.sleep_space = f.sleep_control.space;
		p.sleep_addr = f.sleep_control.addr;
		p.sleep_value = sleep_ctl_value(typ_a);
	} else {
		p.how = ACPI_OFF_PM1;
		p.pm1a = f.pm1a_cnt_port;
		p.pm1b = f.pm1b_cnt_port;
		p.pm1a_value = pm1_cnt_value(typ_a);
		if (p.pm1b != 0)
			p.pm1b_value = pm1_cnt_value(typ_b);
	}
	*out = p;
	return ACPI_OK;
}
