// SPDX-License-Identifier: MIT
/*
 * acpi.h: find and validate the ACPI RSDP, find tables through the XSDT or
 * RSDT, decode the FADT and the DSDT's \_S5 object, and plan a poweroff.
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
 * its length must be at least 36 and at most ACPI_RSDP_MAX_LEN, and the
 * extended checksum over `length` bytes must be right too.
 *
 * Tables (acpi_find_table and the rest): every system description table
 * starts with a 36-byte header; a table is valid when the header is in the
 * view, its signature is the expected one, its length (u32 at 4) is at least
 * 36, all `length` bytes are in the view and they sum to 0 mod 256. The OEM
 * fields (OEMID at 10, OEM table ID at 16, OEM revision at 24, creator ID and
 * revision at 28 and 32) are covered by the checksum and otherwise ignored.
 */
#ifndef PVHFW_ACPI_H
#define PVHFW_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/view.h"

#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36
/*
 * The longest RSDP taken. Every revision so far is 36 bytes; the length
 * field is the VMM's word, so without a bound the extended checksum could
 * run over gigabytes, device memory included. A page leaves room for a
 * future extension and bounds the sum, also for each scanned candidate.
 */
#define ACPI_RSDP_MAX_LEN 4096
#define ACPI_SDT_HEADER_LEN 36
#define ACPI_FADT_V1_LEN 116 /* the ACPI 1.0 FADT, up to and with Flags */

/* Generic Address Structure address space IDs. */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1

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
	ACPI_E_LENGTH,	  /* revision >= 2, length < 36 or > 4096 */
	ACPI_E_XCHECKSUM, /* the extended checksum is wrong */
	ACPI_E_NOT_FOUND, /* no valid RSDP anywhere */
	ACPI_E_TABLE,	  /* a bad table header, length or checksum */
	ACPI_E_NO_TABLE,  /* no table with that signature and instance */
	ACPI_E_NO_S5,	  /* no usable \_S5 package in the DSDT */
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

/*
 * Of two RSDP addresses (0: none), in order of preference: a when it holds
 * a valid RSDP, else b when it does, else a when non-zero, else b. Folded
 * over several candidates it gives the first valid one, else the first.
 */
uint64_t acpi_rsdp_prefer(const struct view *phys, uint64_t a, uint64_t b);

/*
 * Finds the instance-th (0 = first) valid table with signature sig through
 * the XSDT when rsdp->revision >= 2 and rsdp->xsdt != 0 (8-byte entries),
 * else through the RSDT (4-byte entries); fills *addr and *len on ACPI_OK.
 * The root table must be valid with signature "XSDT" / "RSDT", else
 * ACPI_E_TABLE (there is no fallback from a bad XSDT to the RSDT). Entries
 * are read only inside the root table's length; zero entries are skipped.
 * An entry whose signature is sig but which is not valid, or whose signature
 * is not even in the view, is skipped and does not count as an instance;
 * when no matching instance is found the error is then ACPI_E_TABLE, else
 * ACPI_E_NO_TABLE.
 */
enum acpi_err acpi_find_table(const struct view *phys,
			      const struct acpi_rsdp *rsdp, const char sig[4],
			      uint32_t instance, uint64_t *addr, uint32_t *len);

/*
 * What pvhfw takes from the FADT. Fields the table's length does not cover
 * are 0 / false. Where both exist, the 64-bit X_ field wins when it is
 * non-zero (and, for port fields, is in system I/O space below 0x10000);
 * else the 32-bit field is used (0 when it is not a 16-bit port).
 */
struct acpi_fadt {
	uint32_t flags;
	bool hw_reduced;	/* flags bit 20, HW_REDUCED_ACPI */
	uint64_t dsdt;		/* X_DSDT, else DSDT */
	uint16_t pm_tmr_port;	/* X_PM_TMR_BLK (I/O), else PM_TMR_BLK */
	bool pm_tmr_32bit;	/* flags bit 8, TMR_VAL_EXT */
	uint16_t pm1a_cnt_port; /* X_PM1a_CNT_BLK (I/O), else PM1a_CNT_BLK */
	uint16_t pm1b_cnt_port; /* X_PM1b_CNT_BLK (I/O), else PM1b_CNT_BLK */
	struct {
		uint8_t space; /* ACPI_GAS_MEMORY, ACPI_GAS_IO, ... */
		uint64_t addr; /* 0: none */
	} sleep_control;       /* SLEEP_CONTROL_REG (ACPI 5+) */
	uint8_t reset_space;   /* RESET_REG, only when flags bit 10 */
	uint64_t reset_addr;   /* (RESET_REG_SUP) is set; else all 0 */
	uint8_t reset_value;
};

/*
 * Decodes the FADT at addr. The table must be valid with signature "FACP",
 * its length field must equal len and be at least 116 (ACPI 1.0), else
 * ACPI_E_TABLE. Fills *out on ACPI_OK.
 */
enum acpi_err acpi_fadt_parse(const struct view *phys, uint64_t addr,
			      uint32_t len, struct acpi_fadt *out);

/*
 * Finds Name(_S5, Package(n) {a, b, ...}) in the body of the DSDT at dsdt,
 * as AML bytes: NameOp (0x08), an optional root prefix '\' (0x5c), "_S5_",
 * PackageOp (0x12), a PkgLength (1 - 4 bytes) whose package fits in the
 * table, NumElements >= 1, then the integers, each ZeroOp, OneOp, or a
 * Byte/Word/DWord/QWordConst (of which the low byte is taken). With one
 * element (Cloud Hypervisor's and Firecracker's Package(1) {5}) SLP_TYPb is
 * that integer's second byte, as ACPICA takes it. The first
 * well-formed candidate wins; malformed ones are skipped. Fills *slp_typ_a
 * and *slp_typ_b on ACPI_OK. ACPI_E_TABLE when the DSDT is not a valid
 * "DSDT" table, ACPI_E_NO_S5 when it has no well-formed candidate.
 */
enum acpi_err acpi_s5_slp_typ(const struct view *phys, uint64_t dsdt,
			      uint8_t *slp_typ_a, uint8_t *slp_typ_b);

/* Bits of PM1x_CNT and of the HW-reduced sleep control register. */
#define ACPI_PM1_GBL_RLS (1u << 2)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK (7u << 10)
#define ACPI_PM1_SLP_EN (1u << 13)
#define ACPI_SLEEP_CTL_SLP_TYP_SHIFT 2
#define ACPI_SLEEP_CTL_SLP_EN (1u << 5)

/*
 * How to enter S5 (soft off). The caller does the writes:
 *   ACPI_OFF_PM1: to I/O port pm1a, then, when pm1b != 0, to pm1b, a 16-bit
 *     read and a 16-bit write of acpi_pm1_cnt_merge(what was read,
 *     pm1x_value), which keeps the register's other bits;
 *   ACPI_OFF_SLEEP_REG: an 8-bit write of sleep_value to sleep_addr in
 *     sleep_space (ACPI_GAS_MEMORY or ACPI_GAS_IO; an I/O address is a port
 *     below 0x10000); the register is write-only, so there is nothing to
 *     read and keep.
 *   ACPI_OFF_NONE: the tables describe no way to do it.
 */
struct acpi_poweroff {
	enum acpi_off {
		ACPI_OFF_NONE,
		ACPI_OFF_PM1,
		ACPI_OFF_SLEEP_REG,
	} how;
	uint16_t pm1a, pm1b;
	/* (SLP_TYPx & 7) << 10 | SLP_EN (1 << 13); pm1b_value 0 if pm1b is */
	uint16_t pm1a_value, pm1b_value;
	uint8_t sleep_space;
	uint64_t sleep_addr;
	uint8_t sleep_value; /* (SLP_TYPa & 7) << 2 | SLP_EN (1 << 5) */
};

/*
 * Plans a poweroff: the first valid FADT (acpi_find_table "FACP", 0), then
 *   - not HW-reduced: ACPI_OFF_PM1 when PM1a_CNT is a port (else NONE);
 *   - HW-reduced: ACPI_OFF_SLEEP_REG when SLEEP_CONTROL_REG is non-zero in
 *     memory or I/O space (a memory address must be inside phys, which
 *     should be memory the caller can write; an I/O address must be below
 *     0x10000; else NONE);
 * and then \_S5 from the FADT's DSDT. *out is always written: how is
 * ACPI_OFF_NONE unless ACPI_OK is returned with a plan. Errors are those of
 * acpi_find_table, acpi_fadt_parse and acpi_s5_slp_typ.
 */
enum acpi_err acpi_poweroff_plan(const struct view *phys,
				 const struct acpi_rsdp *rsdp,
				 struct acpi_poweroff *out);

/*
 * The PM1x_CNT value to write for a plan's pm1x_value (SLP_TYP | SLP_EN),
 * given the register's current contents cur (ACPI 6.0, 4.6 and table
 * 4-18): SCI_EN, BM_RLD and the reserved and ignored bits are kept, as
 * control registers want; SLP_TYP is replaced; the write-only bits, which
 * read as undefined, are dropped from cur: SLP_EN then comes from value,
 * and GBL_RLS is written 0 (a 1 would raise an event for the BIOS).
 */
uint16_t acpi_pm1_cnt_merge(uint16_t cur, uint16_t value);

#endif
