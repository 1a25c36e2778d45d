// SPDX-License-Identifier: MIT
/*
 * handoff.c: the start_info, memory-map, command-line, RSDP and bss
 * helpers abicheck, pvhcheck and mbcheck share (common/handoff.h).
 */
#include "handoff.h"

#include "cpu.h"
#include "rt.h"

int si_read(struct si_handoff *h, uint64_t pa)
{
	h->si_pa = pa;
	if (!pa || phys_rd32(pa) != SI_MAGIC)
		return 0;
	h->si_ok = 1;
	phys_copy(&h->si, pa, sizeof(h->si));
	return 1;
}

void si_load_map(struct si_handoff *h)
{
	for (size_t i = 0; i < h->si.memmap_entries; i++) {
		struct si_memmap e;

		phys_copy(&e, h->si.memmap_paddr + i * sizeof(e), sizeof(e));
		h->map[i] = (struct mm_entry){ e.addr, e.size, e.type };
	}
	h->map_n = h->si.memmap_entries;
	h->map_ok = 1;
}

void si_set_cmdline(struct si_handoff *h, const char *s)
{
	size_t n = s ? strnlen(s, CMDLINE_MAX) : CMDLINE_MAX;

	if (n < CMDLINE_MAX) {
		h->cmdline = s;
		h->cmdline_len = n;
	}
}

int si_need_start_info(const struct si_handoff *h, const char *reg)
{
	if (!h->si_ok)
		check_fail("skipped: no valid start_info at %s 0x%lx", reg,
			   h->si_pa);
	return h->si_ok;
}

int si_need_map(const struct si_handoff *h, const char *reg)
{
	if (!si_need_start_info(h, reg))
		return 0;
	if (!h->map_ok)
		check_fail("skipped: no usable memory map");
	return h->map_ok;
}

void si_expect_in_map(const struct si_handoff *h, const char *what,
		      uint64_t start, uint64_t end, uint32_t typemask)
{
	uint64_t gap;
	char types[64];
	size_t n = 0;

	if (mm_covered(h->map, h->map_n, start, end, typemask, &gap))
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

void si_check_memmap(const struct si_handoff *h, const char *reg,
		     int skip_empty)
{
	const struct si_v1 *si = &h->si;

	if (si_need_start_info(h, reg)) {
		if (si->version < 1 || si->memmap_entries == 0)
			check_fail("no memory map (memmap_entries = 0)");
		else if (si->memmap_paddr == 0)
			check_fail("memmap_paddr = 0 with %u entries",
				   si->memmap_entries);
		else if (si->memmap_entries > MAP_MAX)
			check_fail("%u entries, %s handles %d",
				   si->memmap_entries, rt_name, MAP_MAX);
		else if (!h->map_ok)
			check_fail("table at 0x%lx cannot be mapped",
				   si->memmap_paddr);
	}
	if (!h->map_ok)
		return;
	map_check_order(h->map, h->map_n, skip_empty);
	if (mm_total(h->map, h->map_n, MEM_RAM) == 0)
		check_fail("no RAM entry");
	for (size_t i = 0; i < h->map_n; i++) {
		struct si_memmap e;

		phys_copy(&e, h->si.memmap_paddr + i * sizeof(e), sizeof(e));
		if (e.reserved) {
			check_fail("entry %zu: reserved field 0x%x", i,
				   e.reserved);
			break;
		}
	}
}

void si_check_in_map(const struct si_handoff *h, const char *reg,
		     const char *name, const char *what, uint64_t start,
		     uint64_t end, uint32_t typemask)
{
	check_begin(name);
	if (si_need_map(h, reg))
		si_expect_in_map(h, what, start, end, typemask);
	check_end();
}

void si_expect_tables_in_map(const struct si_handoff *h, uint32_t typemask)
{
	const struct si_v1 *si = &h->si;

	si_expect_in_map(h, "memmap table", si->memmap_paddr,
			 si->memmap_paddr +
				 si->memmap_entries * sizeof(struct si_memmap),
			 typemask);
	if (h->cmdline)
		si_expect_in_map(h, "cmdline", si->cmdline_paddr,
				 si->cmdline_paddr + h->cmdline_len + 1,
				 typemask);
	if (si->nr_modules && si->modlist_paddr)
		si_expect_in_map(h, "module list", si->modlist_paddr,
				 si->modlist_paddr +
					 si->nr_modules * sizeof(struct si_mod),
				 typemask);
}

int si_begin_modules(const struct si_handoff *h, const char *reg)
{
	const struct si_v1 *si = &h->si;
	uint64_t want;
	int r;

	check_begin("modules");
	if (!si_need_map(h, reg)) {
		check_end();
		return 0;
	}
	check_info("nr_modules %u", si->nr_modules);
	r = h->cmdline ? cl_value(h->cmdline, "check.modules", &want) : 0;
	if (r < 0)
		check_fail("check.modules= is not a number");
	else if (r > 0 && want != si->nr_modules)
		check_fail("nr_modules %u, check.modules=%lu", si->nr_modules,
			   want);
	if (si->nr_modules && !si->modlist_paddr)
		check_fail("modlist_paddr = 0 with %u modules", si->nr_modules);
	return 1;
}

void si_check_cmdline(const struct si_handoff *h, const char *reg,
		      const char *no_nul_note)
{
	const char *w;
	size_t len;

	check_begin("cmdline");
	if (si_need_start_info(h, reg)) {
		if (!h->si.cmdline_paddr)
			check_fail("cmdline_paddr = 0");
		else if (!h->cmdline)
			check_fail("no NUL within %d KiB of 0x%lx%s",
				   CMDLINE_MAX / 1024, h->si.cmdline_paddr,
				   no_nul_note);
		else if ((w = cl_find_prefix(h->cmdline, "fw.", &len)))
			check_fail("firmware option \"%.*s\" was passed on",
				   (int)len, w);
		else
			check_info("%zu bytes at 0x%lx", h->cmdline_len,
				   h->si.cmdline_paddr);
	}
	check_end();
}

void si_check_rsdp(const struct si_handoff *h, const char *reg,
		   const uint8_t *p)
{
	uint64_t pa = h->si.rsdp_paddr;
	const char *why;
	unsigned rev;
	uint32_t len;

	check_begin("rsdp");
	if (!si_need_start_info(h, reg)) {
		check_end();
		return;
	}
	if (pa == 0) {
		if (h->cmdline && cl_has_word(h->cmdline, "check.rsdp=0"))
			check_info("none, allowed by check.rsdp=0");
		else
			check_fail("rsdp_paddr = 0");
	} else if (!p) {
		check_fail("at 0x%lx: cannot be mapped", pa);
	} else {
		why = rsdp_check(p, &rev, &len);
		if (why)
			check_fail("at 0x%lx: %s", pa, why);
		check_info("0x%lx revision %u", pa, rev);
	}
	check_end();
}

#define VMM_RAM_MAX 16 /* ranges check.vmm-ram= can give */
#define FOUR_GiB (4 * GiB)

void si_check_pvhfw_memmap(const struct si_handoff *h, const char *reg)
{
	const char *why;
	int bad;

	check_begin("pvhfw.memmap");
	if (si_need_map(h, reg)) {
		if (h->si.flags != 0)
			check_fail("start_info flags 0x%x, want 0",
				   h->si.flags);
		bad = mm_check_normalised(h->map, h->map_n, &why);
		if (bad >= 0)
			check_fail("entry %d (0x%lx+0x%lx type %u): %s", bad,
				   h->map[bad].addr, h->map[bad].size,
				   h->map[bad].type, why);
	}
	check_end();
}

void si_check_pvhfw_ram(struct si_handoff *h, const char *reg)
{
	static const char key[] = "check.vmm-ram=";
	struct mm_entry vmm[VMM_RAM_MAX];
	const char *w = NULL, *why;
	uint64_t start, end, at;
	size_t len;
	int i, vn;

	h->area_ok = 0;
	check_begin("pvhfw.ram");
	if (!si_need_map(h, reg)) {
		check_end();
		return;
	}
	/* Until the VMM's RAM says better: the reserved entry that holds
	 * start_info stands for the area. */
	i = mm_find(h->map, h->map_n, h->si_pa);
	if (i >= 0 && h->map[i].type == MEM_RESERVED) {
		h->area_ok = 1;
		h->area_start = h->map[i].addr;
		h->area_end = mm_end(&h->map[i]);
	}
	if (h->cmdline)
		w = cl_find_prefix(h->cmdline, key, &len);
	if (!w) {
		check_info("not compared without %sRANGES", key);
		check_end();
		return;
	}
	vn = mm_parse_ranges(w + sizeof(key) - 1, len - (sizeof(key) - 1), vmm,
			     VMM_RAM_MAX, &why);
	if (vn < 0) {
		check_fail("%s: %s", key, why);
		check_end();
		return;
	}
	why = mm_lost_ram(h->map, h->map_n, vmm, (size_t)vn, &start, &end, &at);
	if (why && at == UINT64_MAX) {
		check_fail("%s", why);
	} else if (why && end > start) {
		check_fail("0x%lx: %s (lost: 0x%lx-0x%lx)", at, why, start,
			   end - 1);
	} else if (why) {
		check_fail("0x%lx: %s", at, why);
	} else {
		h->area_ok = 1;
		h->area_start = start;
		h->area_end = end;
		check_info("only 0x%lx-0x%lx of the VMM's RAM is reserved",
			   start, end - 1);
	}
	check_end();
}

void si_expect_in_area(const struct si_handoff *h, const char *what,
		       uint64_t start, uint64_t end)
{
	if (!h->area_ok)
		return; /* si_expect_pvhfw_tables said so */
	if (end < start || start < h->area_start || end > h->area_end)
		check_fail("%s 0x%lx-0x%lx: not in the handoff area "
			   "0x%lx-0x%lx",
			   what, start, end - 1, h->area_start,
			   h->area_end - 1);
}

/* A module string inside the handoff area: its length, or -1 (no NUL in
 * the area), -2 (not in the area: not read). */
static long area_strlen(const struct si_handoff *h, uint64_t pa)
{
	size_t max, n;

	if (!h->area_ok || pa < h->area_start || pa >= h->area_end)
		return -2;
	max = (size_t)(h->area_end - pa);
	n = strnlen((const char *)(uintptr_t)pa, max);
	return n == max ? -1 : (long)n;
}

/* The module list, when it lies in the area (and can be read): else 0. */
static int area_has_modlist(const struct si_handoff *h)
{
	const struct si_v1 *si = &h->si;

	return h->area_ok && si->nr_modules && si->modlist_paddr &&
	       si->modlist_paddr >= h->area_start &&
	       si->modlist_paddr + (uint64_t)si->nr_modules *
					   sizeof(struct si_mod) <=
		       h->area_end;
}

void si_expect_pvhfw_tables(const struct si_handoff *h)
{
	static const char record[] = "pvhfw-boot-record";
	const struct si_v1 *si = &h->si;

	if (!h->area_ok) {
		check_fail("no handoff area: start_info at 0x%lx is not in a "
			   "reserved entry",
			   h->si_pa);
		return;
	}
	check_info("area 0x%lx-0x%lx", h->area_start, h->area_end - 1);
	if (h->area_end > FOUR_GiB)
		check_fail("the handoff area ends above 4 GiB");
	si_expect_in_area(h, "start_info", h->si_pa, h->si_pa + sizeof(*si));
	si_expect_in_area(h, "memmap table", si->memmap_paddr,
			  si->memmap_paddr +
				  h->map_n * sizeof(struct si_memmap));
	if (h->cmdline)
		si_expect_in_area(h, "cmdline", si->cmdline_paddr,
				  si->cmdline_paddr + h->cmdline_len + 1);
	if (!si->nr_modules)
		return;
	si_expect_in_area(h, "module list", si->modlist_paddr,
			  si->modlist_paddr +
				  si->nr_modules * sizeof(struct si_mod));
	if (!area_has_modlist(h))
		return;
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct si_mod m;
		char what[32];
		long len;

		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		if (!m.cmdline_paddr)
			continue;
		fmt_snprintf(what, sizeof(what), "module %u string", i);
		len = area_strlen(h, m.cmdline_paddr);
		si_expect_in_area(h, what, m.cmdline_paddr,
				  m.cmdline_paddr + (len < 0 ? 1 : len + 1));
		if (len == (long)sizeof(record) - 1 &&
		    memcmp((const void *)(uintptr_t)m.cmdline_paddr, record,
			   sizeof(record) - 1) == 0)
			si_expect_in_area(h, "boot record", m.paddr,
					  m.paddr + m.size);
	}
}

void si_check_pvhfw_modules(const struct si_handoff *h, const char *reg)
{
	const struct si_v1 *si = &h->si;

	check_begin("pvhfw.modules");
	if (!si_need_start_info(h, reg)) {
		check_end();
		return;
	}
	if (!si->nr_modules) {
		if (si->modlist_paddr)
			check_fail(
				"modlist_paddr 0x%lx with no modules, want 0",
				si->modlist_paddr);
		else
			check_info("no modules, modlist_paddr 0");
		check_end();
		return;
	}
	if (!area_has_modlist(h)) {
		check_fail("skipped: %s",
			   h->area_ok ? "the module list is not in the handoff "
					"area"
				      : "no handoff area");
		check_end();
		return;
	}
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct si_mod m;
		long len;

		phys_copy(&m, si->modlist_paddr + i * sizeof(m), sizeof(m));
		if (m.reserved)
			check_fail("module %u: reserved field 0x%lx", i,
				   m.reserved);
		if (!m.cmdline_paddr)
			continue;
		len = area_strlen(h, m.cmdline_paddr);
		if (len == 0)
			check_fail("module %u: empty string at 0x%lx (pvhfw "
				   "gives cmdline_paddr 0 instead)",
				   i, m.cmdline_paddr);
		else if (len == -1)
			check_fail("module %u: string at 0x%lx has no NUL in "
				   "the handoff area",
				   i, m.cmdline_paddr);
		else if (len == -2)
			check_fail("module %u: string at 0x%lx not read: not "
				   "in the handoff area",
				   i, m.cmdline_paddr);
	}
	check_info("%u module(s)", si->nr_modules);
	check_end();
}

void map_check_order(const struct mm_entry *map, size_t n, int skip_empty)
{
	static struct mm_entry nz[MAP_MAX];
	static size_t nz_idx[MAP_MAX];
	size_t nz_n = 0;
	const char *why;
	int bad;

	for (size_t i = 0; i < n && i < MAP_MAX; i++) {
		if (skip_empty && map[i].size == 0)
			continue;
		nz_idx[nz_n] = i;
		nz[nz_n++] = map[i];
	}
	bad = mm_check_order(nz, nz_n, &why);
	if (bad >= 0)
		check_fail("entry %zu (0x%lx+0x%lx): %s", nz_idx[bad],
			   nz[bad].addr, nz[bad].size, why);
	if (nz_n != n)
		check_info("empty entries: %zu", n - nz_n);
}

void map_print(const struct mm_entry *map, size_t n, const char *label,
	       int show_empty)
{
	for (size_t i = 0; i < n; i++) {
		const struct mm_entry *e = &map[i];

		if (show_empty && e->size == 0)
			con_printf("%s: %s %zu: 0x%016lx empty %s (%u)\n",
				   rt_name, label, i, e->addr,
				   mem_type_name(e->type), e->type);
		else
			con_printf("%s: %s %zu: 0x%016lx-0x%016lx %s (%u)\n",
				   rt_name, label, i, e->addr, mm_end(e) - 1,
				   mem_type_name(e->type), e->type);
	}
}

void bss_scan(const volatile uint8_t *probe, size_t size, size_t *nonzero,
	      size_t *first)
{
	*nonzero = 0;
	*first = 0;
	for (size_t i = size; i-- > 0;) {
		if (probe[i]) {
			(*nonzero)++;
			*first = i;
		}
	}
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

void print_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
}

void expect_pvhfw_selectors(const struct sel_want *w, size_t n,
			    uint16_t gdt_limit, const uint8_t *idtr)
{
	uint16_t idt_limit;

	for (size_t i = 0; i < n; i++)
		if (w[i].sel != w[i].want)
			check_fail("%s=0x%lx, want 0x%lx", w[i].name,
				   (unsigned long)w[i].sel,
				   (unsigned long)w[i].want);
	if (gdt_limit != PVHFW_GDT_LIMIT)
		check_fail("GDTR limit 0x%x, want 0x%x", gdt_limit,
			   PVHFW_GDT_LIMIT);
	__builtin_memcpy(&idt_limit, idtr, 2);
	if (idt_limit != 0)
		check_fail("IDTR limit 0x%x, want 0 (no IDT)", idt_limit);
}

void check_pvhfw_reset(const struct pvhfw_reset *s)
{
	check_begin("pvhfw.ldtr");
	if (s->ldtr != 0)
		check_fail("LDTR 0x%lx, want 0 (no LDT)", s->ldtr);
	check_end();

	check_begin("pvhfw.debug");
	for (int i = 0; i < 4; i++)
		if (s->dr0_3[i])
			check_fail("DR%d 0x%lx, want 0", i, s->dr0_3[i]);
	if (s->dr6 != 0xFFFF0FF0)
		check_fail("DR6 0x%lx, want 0xffff0ff0", s->dr6);
	if (s->dr7 != 0x400)
		check_fail("DR7 0x%lx, want 0x400", s->dr7);
	check_end();

	check_begin("pvhfw.cr2-cr8");
	if (s->cr2)
		check_fail("CR2 0x%lx, want 0", s->cr2);
	if (s->cr8)
		check_fail("CR8 0x%lx, want 0", s->cr8);
	check_end();

	check_begin("pvhfw.pat"); /* every x86-64 CPU has PAT */
	if (s->pat != 0x0007040600070406u)
		check_fail("PAT 0x%lx, want 0x0007040600070406", s->pat);
	check_end();

	static const char *const zmsr_name[PVHFW_ZMSR_COUNT] = {
		"STAR",		  "LSTAR",	 "SFMASK",
		"KERNEL_GS_BASE", "SYSENTER_CS", "SYSENTER_ESP",
		"SYSENTER_EIP",	  "FS_BASE",	 "GS_BASE",
	};
	check_begin("pvhfw.msrs");
	for (size_t i = 0; i < s->n_zero_msrs && i < PVHFW_ZMSR_COUNT; i++)
		if (s->zero_msrs[i])
			check_fail("%s 0x%lx, want 0", zmsr_name[i],
				   s->zero_msrs[i]);
	check_end();
}

static uint64_t fx_u64(const uint8_t *fx, size_t off)
{
	uint64_t v;
	__builtin_memcpy(&v, fx + off, 8);
	return v;
}

void expect_pvhfw_fx(const uint8_t *fx, int n_xmm)
{
	uint64_t words = fx_u64(fx, FX_FCW) & 0xFFFFFFFFFFFFu; /* FCW FSW FTW */
	uint32_t mxcsr;

	if (words != FCW_DEFAULT)
		check_fail("FCW/FSW/FTW 0x%lx, want 0x37f/0/0 (all empty)",
			   words);
	for (int i = 0; i < 8; i++)
		if (fx_st_nonzero(fx, i))
			check_fail("ST%d not zero", i);
	__builtin_memcpy(&mxcsr, fx + FX_MXCSR, 4);
	if (mxcsr != MXCSR_DEFAULT)
		check_fail("MXCSR 0x%x, want 0x%x", mxcsr, MXCSR_DEFAULT);
	for (int i = 0; i < n_xmm; i++)
		if (fx_u64(fx, FX_XMM(i)) || fx_u64(fx, FX_XMM(i) + 8))
			check_fail("XMM%d 0x%016lx%016lx, want 0", i,
				   fx_u64(fx, FX_XMM(i) + 8),
				   fx_u64(fx, FX_XMM(i)));
}

/*
 * Where CPUID.(0xD,2) puts the AVX component (256 bytes: the upper halves
 * of YMM0-15) in a standard-format XSAVE area of size bytes: its offset,
 * or 0 when it is not 256 bytes at or after the header's end (576) and
 * inside the area; id is CPUID's answer.
 */
static uint32_t xsave_avx_offset(size_t size, uint32_t id[4])
{
	cpuid(0xD, 2, id);
	if (id[0] != 256 || id[1] < 576 || id[1] + 256 > size)
		return 0;
	return id[1];
}

int ymm_hi_nonzero(const uint8_t *xsave, size_t size)
{
	uint32_t id[4], off = xsave_avx_offset(size, id);
	int n = 0;

	if (!off)
		return -1;
	for (int i = 0; (fx_u64(xsave, 512) & 4) && i < 16; i++)
		if (fx_u64(xsave, off + 16 * i) ||
		    fx_u64(xsave, off + 16 * i + 8))
			n++;
	return n;
}

void expect_pvhfw_ymm(const uint8_t *xsave, size_t size)
{
	uint32_t id[4], off = xsave_avx_offset(size, id);
	uint64_t lo, hi;

	if (!off) {
		check_fail("AVX state %u bytes at %u: not where expected",
			   id[0], id[1]);
		return;
	}
	for (int i = 0; (fx_u64(xsave, 512) & 4) && i < 16; i++) {
		lo = fx_u64(xsave, off + 16 * i);
		hi = fx_u64(xsave, off + 16 * i + 8);
		if (lo || hi)
			check_fail("YMM%d upper half 0x%016lx%016lx, want 0", i,
				   hi, lo);
	}
	check_info("YMM upper halves checked");
}

void check_words(const char *cl, const struct cl_check_word *known)
{
	const struct cl_check_word *e;
	const char *w;
	size_t len;
	int any = 0;

	con_printf("%s: checks:", rt_name);
	for (w = cl ? cl_next_word(cl, &len) : NULL; w;
	     w = cl_next_word(w + len, &len)) {
		if (cl_check_word(cl, w, len, known, &e) == CL_WORD_KNOWN) {
			con_printf(" %.*s", (int)len, w);
			any = 1;
		}
	}
	con_printf("%s\n", any ? "" : " none");

	check_begin("check-words");
	for (w = cl ? cl_next_word(cl, &len) : NULL; w;
	     w = cl_next_word(w + len, &len)) {
		switch (cl_check_word(cl, w, len, known, &e)) {
		case CL_WORD_UNKNOWN:
			check_fail("%.*s: not a check.* word %s knows",
				   (int)len, w, rt_name);
			break;
		case CL_WORD_NEEDS:
			check_fail("%.*s: checks nothing without %s", (int)len,
				   w, e->needs);
			break;
		default:
			break;
		}
	}
	check_end();
}
