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

static int need_start_info(void)
{
	if (!pc.si_ok)
		check_fail("skipped: no valid start_info at EBX 0x%x",
			   pvh_regs.ebx);
	return pc.si_ok;
}

static int need_map(void)
{
	if (!need_start_info())
		return 0;
	if (!pc.map_ok)
		check_fail("skipped: no usable memory map");
	return pc.map_ok;
}

void expect_in_map(const char *what, uint64_t start, uint64_t end,
		   uint32_t typemask)
{
	uint64_t gap;
	char types[64];
	size_t n = 0;

	if (mm_covered(pc.map, pc.map_n, start, end, typemask, &gap))
		return;
	types[0] = '\0';
	for (uint32_t t = 1; t < 32 && n < sizeof(types); t++)
		if (typemask & MM_TYPE(t))
			n += (size_t)fmt_snprintf(types + n, sizeof(types) - n,
						  "%s%s", n ? "/" : "",
						  mem_type_name(t));
	check_fail("%s 0x%lx-0x%lx: byte 0x%lx not in %s", what, start, end - 1,
		   gap, types);
}

void check_start_info(void)
{
	const struct si_v1 *si = &pc.si;
	const char *why;
	int bad;

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

	check_begin("memmap");
	if (need_start_info()) {
		if (si->version < 1 || si->memmap_entries == 0)
			check_fail("no memory map (memmap_entries = 0)");
		else if (si->memmap_paddr == 0)
			check_fail("memmap_paddr = 0 with %u entries",
				   si->memmap_entries);
		else if (si->memmap_entries > MAP_MAX)
			check_fail("%u entries, pvhcheck handles %d",
				   si->memmap_entries, MAP_MAX);
		else if (!pc.map_ok)
			check_fail("table at 0x%lx cannot be mapped",
				   si->memmap_paddr);
	}
	if (pc.map_ok) {
		/* Empty entries hold no memory and the ABI does not forbid
		 * them (qboot, microvm's firmware, appends one): the order
		 * is checked without them, and they are counted. */
		static struct mm_entry nz[MAP_MAX];
		size_t nz_n = 0, nz_idx[MAP_MAX];

		for (size_t i = 0; i < pc.map_n; i++) {
			if (pc.map[i].size == 0)
				continue;
			nz_idx[nz_n] = i;
			nz[nz_n++] = pc.map[i];
		}
		bad = mm_check_order(nz, nz_n, &why);
		if (bad >= 0)
			check_fail("entry %zu (0x%lx+0x%lx): %s", nz_idx[bad],
				   nz[bad].addr, nz[bad].size, why);
		if (nz_n != pc.map_n)
			check_info("empty entries: %zu", pc.map_n - nz_n);
		if (mm_total(pc.map, pc.map_n, MEM_RAM) == 0)
			check_fail("no RAM entry");
		for (size_t i = 0; i < pc.map_n; i++) {
			struct si_memmap e;

			phys_copy(&e, si->memmap_paddr + i * sizeof(e),
				  sizeof(e));
			if (e.reserved) {
				check_fail("entry %zu: reserved field 0x%x", i,
					   e.reserved);
				break;
			}
		}
		check_info("%zu entries at 0x%lx, %lu MiB RAM", pc.map_n,
			   si->memmap_paddr,
			   mm_total(pc.map, pc.map_n, MEM_RAM) / MiB);
	}
	check_end();
	for (size_t i = 0; pc.map_ok && i < pc.map_n; i++) {
		if (pc.map[i].size == 0)
			con_printf("%s: memmap %zu: 0x%016lx empty %s (%u)\n",
				   rt_name, i, pc.map[i].addr,
				   mem_type_name(pc.map[i].type),
				   pc.map[i].type);
		else
			con_printf("%s: memmap %zu: 0x%016lx-0x%016lx %s "
				   "(%u)\n",
				   rt_name, i, pc.map[i].addr,
				   mm_end(&pc.map[i]) - 1,
				   mem_type_name(pc.map[i].type),
				   pc.map[i].type);
	}

	check_begin("memmap.image");
	if (need_map())
		expect_in_map("image", (uintptr_t)__image_start,
			      (uintptr_t)__image_end, MM_TYPE(MEM_RAM));
	check_end();

	check_begin("memmap.start_info");
	if (need_map())
		expect_in_map("start_info", pc.si_pa,
			      pc.si_pa + (si->version ? sizeof(*si)
						      : offsetof(struct si_v1,
								 memmap_paddr)),
			      HANDOFF_TYPES);
	check_end();

	/* The other hand-off structures must not sit in a hole either. */
	check_begin("memmap.handoff");
	if (need_map()) {
		expect_in_map("memmap table", si->memmap_paddr,
			      si->memmap_paddr +
				      si->memmap_entries *
					      sizeof(struct si_memmap),
			      HANDOFF_TABLES);
		if (pc.cmdline)
			expect_in_map("cmdline", si->cmdline_paddr,
				      si->cmdline_paddr + pc.cmdline_len + 1,
				      HANDOFF_TABLES);
		if (si->nr_modules && si->modlist_paddr)
			expect_in_map("module list", si->modlist_paddr,
				      si->modlist_paddr +
					      si->nr_modules *
						      sizeof(struct si_mod),
				      HANDOFF_TABLES);
	}
	check_end();
}

void check_bss(size_t nonzero, size_t first, size_t size)
{
	check_begin("bss");
	if (nonzero)
		check_fail("%zu of %zu probe bytes non-zero, first at offset "
			   "0x%zx",
			   nonzero, size, first);
	check_info("%zu KiB probe, bss 0x%lx-0x%lx", size / 1024,
		   (uint64_t)(uintptr_t)__bss_start,
		   (uint64_t)(uintptr_t)__bss_end - 1);
	check_end();
}

/* Print s, control and non-ASCII characters as '?', so a line stays one. */
static void print_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

void check_cmdline(void)
{
	const char *w;
	size_t len;

	con_printf("%s: cmdline: \"", rt_name);
	if (pc.cmdline)
		print_clean(pc.cmdline, pc.cmdline_len);
	con_printf("\"\n");

	check_begin("cmdline");
	if (need_start_info()) {
		if (!pc.si.cmdline_paddr)
			check_fail("cmdline_paddr = 0");
		else if (!pc.cmdline)
			check_fail("no NUL within %d KiB of 0x%lx (or not "
				   "mappable)",
				   CMDLINE_MAX / 1024, pc.si.cmdline_paddr);
		else if ((w = cl_find_prefix(pc.cmdline, "fw.", &len)))
			check_fail("firmware option \"%.*s\" was passed on",
				   (int)len, w);
		else
			check_info("%zu bytes at 0x%lx", pc.cmdline_len,
				   pc.si.cmdline_paddr);
	}
	check_end();
}

void check_rsdp(void)
{
	const uint8_t *p;
	const char *why;
	uint64_t pa;
	unsigned rev;
	uint32_t len;

	check_begin("rsdp");
	if (!need_start_info()) {
		check_end();
		return;
	}
	pa = pc.si.rsdp_paddr;
	if (pa == 0) {
		if (pc.cmdline && cl_has_word(pc.cmdline, "check.rsdp=0"))
			check_info("none, allowed by check.rsdp=0");
		else
			check_fail("rsdp_paddr = 0");
	} else if (!(p = phys_ptr(pa, 4096))) {
		check_fail("at 0x%lx: cannot be mapped", pa);
	} else {
		why = rsdp_check(p, &rev, &len);
		if (why)
			check_fail("at 0x%lx: %s", pa, why);
		check_info("0x%lx revision %u", pa, rev);
	}
	check_end();
}

/*
 * pvhfw's boot record (fw.record=on; docs/measured-boot.md): a module named
 * "pvhfw-boot-record" in the reserved handoff area. Prints each digest as
 * `pvhcheck: record: <name> <sha256 hex> <size>` so a test can compare them
 * with sha256sum of the files it booted.
 */
static void check_record(const struct si_mod *m)
{
	const uint8_t *r = phys_ptr(m->paddr, m->size);
	if (!r || m->size < 0x30 || memcmp(r, "PVHFWBR1", 8) != 0) {
		check_fail("boot record: no PVHFWBR1 header");
		return;
	}
	uint32_t size, version, count, opts;
	memcpy(&size, r + 0x08, 4);
	memcpy(&version, r + 0x0C, 4);
	memcpy(&count, r + 0x20, 4);
	memcpy(&opts, r + 0x28, 4);
	if (size != m->size || version != 1 || count > 64 ||
	    0x30 + (uint64_t)count * 96 > size || opts >= size ||
	    r[size - 1] != 0) {
		check_fail("boot record: bad size, version, count or options");
		return;
	}
	con_printf("%s: record: firmware \"", rt_name);
	print_clean((const char *)r + 0x10,
		    strnlen((const char *)r + 0x10, 16));
	con_printf("\", options \"");
	print_clean((const char *)r + opts,
		    strnlen((const char *)r + opts, size - opts));
	con_printf("\"\n");
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = r + 0x30 + i * 96;
		uint64_t len;
		memcpy(&len, e + 32, 8);
		con_printf("%s: record: ", rt_name);
		print_clean((const char *)e + 48,
			    strnlen((const char *)e + 48, 48));
		con_printf(" ");
		for (int j = 0; j < 32; j++)
			con_printf("%02x", e[j]);
		con_printf(" %lu\n", len);
	}
}

void check_modules(void)
{
	const struct si_v1 *si = &pc.si;
	uint64_t want;
	int r;

	check_begin("modules");
	if (!need_map()) {
		check_end();
		return;
	}
	check_info("nr_modules %u", si->nr_modules);
	r = pc.cmdline ? cl_value(pc.cmdline, "check.modules", &want) : 0;
	if (r < 0)
		check_fail("check.modules= is not a number");
	else if (r > 0 && want != si->nr_modules)
		check_fail("nr_modules %u, check.modules=%lu", si->nr_modules,
			   want);
	if (si->nr_modules && !si->modlist_paddr)
		check_fail("modlist_paddr = 0 with %u modules", si->nr_modules);
	if (si->modlist_paddr &&
	    !phys_ptr(si->modlist_paddr,
		      (uint64_t)si->nr_modules * sizeof(struct si_mod))) {
		check_fail("module list at 0x%lx cannot be mapped",
			   si->modlist_paddr);
		check_end();
		return;
	}
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
		if (record)
			check_record(&m);
		if (m.reserved)
			check_fail("%s: reserved field 0x%lx", what,
				   m.reserved);
	}
	check_end();
}
