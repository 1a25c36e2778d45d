// SPDX-License-Identifier: MIT
/*
 * bootparams.c: the Linux boot_params ("zero page") at RSI must agree with
 * start_info: signature fields, E820 table = memory map, command line and
 * acpi_rsdp_addr.
 */
#include "abicheck.h"

uint64_t bp_setup_node(uint64_t bp, uint32_t type)
{
	uint64_t sd = phys_rd64(bp + BP_SETUP_DATA);
	for (int k = 0; sd && k < 8; k++, sd = phys_rd64(sd))
		if (phys_rd32(sd + 8) == type)
			return sd;
	return 0;
}

/*
 * A map longer than boot_params' 128 entries: the rest must come in a
 * SETUP_E820_EXT setup_data node, equal to start_info's entries from 128
 * on. Returns the node's address, or 0.
 */
static uint64_t check_e820_ext(uint64_t bp)
{
	size_t rest = ab.map_n - BP_E820_MAX;
	uint64_t sd = bp_setup_node(bp, SETUP_E820_EXT);
	if (!sd) {
		check_fail("map has %zu entries, boot_params holds %d and no "
			   "SETUP_E820_EXT node has the rest",
			   ab.map_n, BP_E820_MAX);
		return 0;
	}
	uint32_t len = phys_rd32(sd + 12);
	if (len != rest * BP_E820_ENTRY_SIZE) {
		check_fail("E820_EXT node of %u bytes, want %zu (%zu entries)",
			   len, rest * BP_E820_ENTRY_SIZE, rest);
		return sd;
	}
	for (size_t i = 0; i < rest; i++) {
		uint64_t e = sd + SETUP_HDR_SIZE + i * BP_E820_ENTRY_SIZE;
		const struct mm_entry *m = &ab.map[BP_E820_MAX + i];
		if (phys_rd64(e) != m->addr || phys_rd64(e + 8) != m->size ||
		    phys_rd32(e + 16) != m->type) {
			check_fail("E820_EXT entry %zu differs from "
				   "start_info's",
				   BP_E820_MAX + i);
			break;
		}
	}
	return sd;
}

static int need_bp(void)
{
	if (!entry_regs.rsi)
		check_fail("no boot_params (RSI = 0)");
	return entry_regs.rsi != 0;
}

void check_boot_params(void)
{
	uint64_t bp = entry_regs.rsi;

	check_begin("boot_params.header");
	if (need_bp()) {
		uint16_t flag = phys_rd16(bp + BP_BOOT_FLAG);
		uint32_t hdr = phys_rd32(bp + BP_HEADER);
		if (flag != BP_BOOT_FLAG_VALUE)
			check_fail("boot_flag 0x%04x, want 0x%04x", flag,
				   BP_BOOT_FLAG_VALUE);
		if (hdr != BP_HEADER_VALUE)
			check_fail("header 0x%08x, want 0x%08x (\"HdrS\")", hdr,
				   BP_HEADER_VALUE);
		check_info("at 0x%lx", bp);
	}
	check_end();

	check_begin("boot_params.e820");
	if (need_bp() && ab.map_ok) {
		unsigned n = phys_rd8(bp + BP_E820_ENTRIES);
		size_t cmp = ab.map_n < BP_E820_MAX ? ab.map_n : BP_E820_MAX;

		if (ab.map_n <= BP_E820_MAX && n != ab.map_n)
			check_fail("e820_entries %u, start_info has %zu", n,
				   ab.map_n);
		if (ab.map_n > BP_E820_MAX && n != BP_E820_MAX)
			check_fail("e820_entries %u, want %d (map has %zu)", n,
				   BP_E820_MAX, ab.map_n);
		for (size_t i = 0; i < cmp && i < n; i++) {
			uint64_t e =
				bp + BP_E820_TABLE + i * BP_E820_ENTRY_SIZE;
			uint64_t addr = phys_rd64(e), size = phys_rd64(e + 8);
			uint32_t type = phys_rd32(e + 16);
			if (addr != ab.map[i].addr || size != ab.map[i].size ||
			    type != ab.map[i].type) {
				check_fail("entry %zu: 0x%lx+0x%lx type %u, "
					   "start_info 0x%lx+0x%lx type %u",
					   i, addr, size, type, ab.map[i].addr,
					   ab.map[i].size, ab.map[i].type);
				break;
			}
		}
		if (ab.map_n > BP_E820_MAX) {
			if (check_e820_ext(bp))
				check_info("%u entries, %zu more in an "
					   "E820_EXT node",
					   n, ab.map_n - BP_E820_MAX);
		} else {
			uint64_t sd = phys_rd64(bp + BP_SETUP_DATA);
			if (sd)
				check_fail("setup_data 0x%lx with %zu map "
					   "entries, want 0",
					   sd, ab.map_n);
			check_info("%u entries", n);
		}
	} else if (!ab.map_ok) {
		check_fail("skipped: no usable start_info memory map");
	}
	check_end();

	check_begin("boot_params.cmdline");
	if (need_bp()) {
		uint64_t p = phys_rd32(bp + BP_CMD_LINE_PTR) |
			     (uint64_t)phys_rd32(bp + BP_EXT_CMD_LINE_PTR)
				     << 32;
		if (p == 0) {
			check_fail("cmd_line_ptr = 0");
		} else if (!ab.cmdline) {
			check_fail("skipped: no start_info command line");
		} else {
			const char *s = (const char *)(uintptr_t)p;
			size_t n = strnlen(s, CMDLINE_MAX);
			if (n != ab.cmdline_len ||
			    memcmp(s, ab.cmdline, n) != 0)
				check_fail("\"%.*s\" at 0x%lx differs from "
					   "start_info's",
					   (int)(n < 80 ? n : 80), s, p);
			check_info("at 0x%lx", p);
		}
	}
	check_end();

	check_begin("boot_params.rsdp");
	if (need_bp()) {
		uint64_t a = phys_rd64(bp + BP_ACPI_RSDP_ADDR);
		if (!ab.si_ok)
			check_fail("skipped: no valid start_info");
		else if (a != ab.si.rsdp_paddr)
			check_fail("acpi_rsdp_addr 0x%lx, rsdp_paddr 0x%lx", a,
				   ab.si.rsdp_paddr);
		else
			check_info("0x%lx", a);
	}
	check_end();
}
