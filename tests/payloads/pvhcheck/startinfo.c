// SPDX-License-Identifier: MIT
/*
 * startinfo.c: the hvm_start_info at EBX (BOOT-ABIS.md 1.4-1.6) and what
 * hangs off it: the memory map and where our image and the hand-off
 * structures sit in it, the bss, the command line, the RSDP and the
 * modules. Everything is read through the identity map, after map_range().
 */
#include "pvhcheck.h"

/*
 * start_info must lie in RAM or reserved memory; the tables it points to in
 * RAM, reserved, ACPI or NVS (qboot, microvm's firmware, keeps them in an
 * NVS range): anything but a hole.
 */
#define HANDOFF_TYPES (MM_TYPE(MEM_RAM) | MM_TYPE(MEM_RESERVED))
#define HANDOFF_TABLES (HANDOFF_TYPES | MM_TYPE(MEM_ACPI) | MM_TYPE(MEM_NVS))

/* FAIL the current check when there is no usable start_info or map. */
static int need_map(void)
{
	return si_need_map(&pc, "EBX");
}

void check_start_info(void)
{
	const struct si_v1 *si = &pc.si;

	check_begin("start_info");
	if (!pvh_regs.ebx) {
		check_fail("EBX = 0");
	} else if (!pc.si_ok) {
		check_fail("magic 0x%08x at 0x%x, want 0x%08x",
			   phys_rd32(pvh_regs.ebx), pvh_regs.ebx, SI_MAGIC);
	} else {
		if (si->version < 1)
			check_fail("version %u, want >= 1 (a memory map)",
				   si->version);
		else if (si->reserved != 0)
			check_fail("reserved field 0x%x, want 0", si->reserved);
		check_info("at 0x%lx, version %u, flags 0x%x", pc.si_pa,
			   si->version, si->flags);
	}
	check_end();

	/* Empty entries hold no memory and the ABI does not forbid them
	 * (qboot, microvm's firmware, appends one): the order is checked
	 * without them, and they are counted. */
	check_begin("memmap");
	si_check_memmap(&pc, "EBX", 1);
	if (pc.map_ok)
		check_info("%zu entries at 0x%lx, %lu MiB RAM", pc.map_n,
			   si->memmap_paddr,
			   mm_total(pc.map, pc.map_n, MEM_RAM) / MiB);
	check_end();
	if (pc.map_ok)
		map_print(pc.map, pc.map_n, "memmap", 1);

	si_check_in_map(&pc, "EBX", "memmap.image", "image",
			(uintptr_t)__image_start, (uintptr_t)__image_end,
			MM_TYPE(MEM_RAM));

	si_check_in_map(
		&pc, "EBX", "memmap.start_info", "start_info", pc.si_pa,
		pc.si_pa + (si->version ? sizeof(*si)
					: offsetof(struct si_v1, memmap_paddr)),
		HANDOFF_TYPES);

	/* The other hand-off structures must not sit in a hole either. */
	check_begin("memmap.handoff");
	if (need_map()) {
		si_expect_tables_in_map(&pc, HANDOFF_TABLES);
	}
	check_end();
}

void check_cmdline(void)
{
	con_printf("%s: cmdline: \"", rt_name);
	if (pc.cmdline)
		print_clean(pc.cmdline, pc.cmdline_len);
	con_printf("\"\n");
	si_check_cmdline(&pc, "EBX", " (or not mappable)");
}

void check_rsdp(void)
{
	uint64_t pa = pc.si.rsdp_paddr;

	si_check_rsdp(&pc, "EBX", pa ? phys_ptr(pa, 4096) : NULL);
}

/*
 * pvhfw's boot record (fw.record=on; docs/measured-boot.md): a module named
 * "pvhfw-boot-record" in the reserved handoff area, after the n modules
 * mods[]. Prints each digest as `pvhcheck: record: <name> <sha256 hex>
 * <size>` so a test can compare them with sha256sum of the files it booted,
 * then checks every field (record.c).
 */
static void check_record(const struct si_mod *m, const struct record_mod *mods,
			 uint32_t n)
{
	const uint8_t *r = phys_ptr(m->paddr, m->size);
	char why[160];
	const char *bad;

	if (!r || !record_readable(r, m->size)) {
		check_fail("boot record: no PVHFWBR1 header, or a size or "
			   "count that does not fit its %lu bytes",
			   m->size);
		return;
	}
	uint32_t count, flags, opts;
	memcpy(&count, r + 0x20, 4);
	memcpy(&flags, r + 0x24, 4);
	memcpy(&opts, r + 0x28, 4);
	con_printf("%s: record: firmware \"", rt_name);
	print_clean((const char *)r + 0x10,
		    strnlen((const char *)r + 0x10, 16));
	con_printf("\", flags %u, options \"", flags);
	if (opts < m->size)
		print_clean((const char *)r + opts,
			    strnlen((const char *)r + opts, m->size - opts));
	con_printf("\"\n");
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = r + RECORD_HEAD + i * RECORD_ENTRY;
		uint64_t len;
		memcpy(&len, e + 32, 8);
		con_printf("%s: record: ", rt_name);
		print_clean((const char *)e + 48,
			    strnlen((const char *)e + 48, RECORD_NAME_MAX));
		con_printf(" ");
		for (int j = 0; j < 32; j++)
			con_printf("%02x", e[j]);
		con_printf(" %lu\n", len);
	}
	bad = record_check(r, m->size, mods, n, why, sizeof(why));
	if (bad)
		check_fail("boot record: %s", bad);
}

int modlist_mapped(void)
{
	const struct si_v1 *si = &pc.si;

	if (phys_ptr(si->modlist_paddr,
		     (uint64_t)si->nr_modules * sizeof(struct si_mod)))
		return 1;
	check_fail("module list at 0x%lx cannot be mapped", si->modlist_paddr);
	check_end();
	return 0;
}

void check_modules(void)
{
	const struct si_v1 *si = &pc.si;

	if (!si_begin_modules(&pc, "EBX") ||
	    (si->modlist_paddr && !modlist_mapped()))
		return;
	static struct record_mod before[RECORD_COUNT_MAX];
	for (uint32_t i = 0; si->modlist_paddr && i < si->nr_modules; i++) {
		struct si_mod m;
		const char *s = NULL, *note = "";
		char what[24];

		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		if (!m.cmdline_paddr)
			note = " (no string)";
		else if (!(s = phys_ptr(m.cmdline_paddr, MODSTR_MAX)))
			note = " (string not mappable)";
		con_printf("%s: module %u: %lu bytes \"", rt_name, i, m.size);
		if (s)
			print_clean(s, strnlen(s, MODSTR_MAX));
		con_printf("\" at 0x%lx%s\n", m.paddr, note);
		fmt_snprintf(what, sizeof(what), "module %u", i);
		int record = s && memcmp(s, "pvhfw-boot-record", 18) == 0;
		if (m.paddr == 0)
			check_fail("%s: paddr = 0", what);
		else
			expect_in_map(what, m.paddr, m.paddr + m.size,
				      record ? MM_TYPE(MEM_RAM) |
						       MM_TYPE(MEM_RESERVED)
					     : MM_TYPE(MEM_RAM));
		if (record && i + 1 != si->nr_modules)
			check_fail("%s: the boot record is not the last module",
				   what);
		else if (record && i > RECORD_COUNT_MAX)
			check_fail("%s: the boot record after more modules "
				   "than it can list",
				   what);
		else if (record)
			check_record(&m, before, i);
		else if (i < RECORD_COUNT_MAX)
			before[i] = (struct record_mod){ m.size, s };
		if (m.reserved)
			check_fail("%s: reserved field 0x%lx", what,
				   m.reserved);
	}
	check_end();
}
