// SPDX-License-Identifier: MIT
/*
 * fuzz_acpi_tables.c: libFuzzer target for the ACPI table functions past
 * the RSDP: acpi_find_table, acpi_fadt_parse, acpi_s5_slp_typ and
 * acpi_poweroff_plan.
 *
 * Input: a header, then guest memory (physical address 0 is the first byte
 * after the header), copied into a heap buffer of exactly that size so
 * AddressSanitizer catches any read past the end of memory.
 *   byte 0       flags: bit 0 take the RSDP fields from the header (else
 *                acpi_rsdp_check at the RSDP offset), bit 1 fix the RSDP's
 *                ACPI 1.0 checksum, bit 2 its extended checksum
 *   bytes 1..4   RSDP offset (u32)
 *   byte 5       revision   } the RSDP fields when bit 0 is set
 *   bytes 6..9   RSDT (u32) }
 *   bytes 10..17 XSDT (u64) }
 *   bytes 18..21 a fifth table signature to look for
 *   byte 22      number of table fix-ups (& 7), then that many u32
 *                offsets: each table there gets its checksum (byte 9)
 *                fixed over its length field, in order, before the RSDP
 *                fix-ups, so mutated tables stay valid.
 *
 * Checks, against references written here from acpi.h (plain byte loads):
 *   - acpi_find_table for "FACP", "APIC", "SSDT", "DSDT" and the input's
 *     signature, instances 0 - 3: the error, address and length equal the
 *     reference walk (XSDT for revision >= 2 with a non-zero XSDT, else
 *     RSDT; no fallback; zero entries skipped; invalid or unreadable
 *     matching entries skipped and turning NO_TABLE into TABLE); a table
 *     found lies inside memory and re-validates: its signature, length
 *     field = len >= 36, bytes sum to 0; *addr / *len untouched on error;
 *   - acpi_fadt_parse on every FACP found and at every fix-up offset (with
 *     its length field, and that plus one): equals the reference decoding
 *     field by field (X_ fields win when non-zero and usable, fields past
 *     the table's length absent, reset register only with RESET_REG_SUP);
 *     *out untouched on error;
 *   - acpi_s5_slp_typ on each FADT's DSDT and at every fix-up offset:
 *     equals a reference AML scan (NameOp, optional '\', "_S5_",
 *     PackageOp, PkgLength inside the table, NumElements >= 1 (with one,
 *     SLP_TYPb is that integer's second byte), then the
 *     integers of which the low byte is taken, first well-formed wins);
 *     outputs untouched on error;
 *   - acpi_poweroff_plan equals the reference plan; how is ACPI_OFF_NONE
 *     (and every other field 0) on error and when no method exists; a PM1
 *     plan has a non-zero port and values with SLP_EN set and nothing but
 *     SLP_TYP (0..7) and SLP_EN, pm1b_value 0 exactly when pm1b is; a sleep
 *     register plan has a non-zero address inside memory or in I/O space
 *     (a port below 0x10000) and a value of SLP_EN with SLP_TYP (0..7) only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi.h"
#include "fuzz.h"

#define HDR_LEN 23
#define MAX_FIX 7

static uint8_t sum8(const uint8_t *p, uint64_t n)
{
	unsigned int s = 0;
	for (uint64_t i = 0; i < n; i++)
		s += p[i];
	return (uint8_t)s;
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)ld_le(p, 4);
}

/* ---- References -------------------------------------------------------- */

/* A valid table with signature sig at a: header, length, bytes, sum. */
static bool ref_valid(const uint8_t *mem, uint64_t len, uint64_t a,
		      const char sig[4], uint32_t *tlen)
{
	if (!in_buf(len, a, 36) || memcmp(mem + a, sig, 4) != 0)
		return false;
	uint32_t l = ld32(mem + a + 4);
	if (l < 36 || !in_buf(len, a, l) || sum8(mem + a, l) != 0)
		return false;
	*tlen = l;
	return true;
}

static enum acpi_err ref_find(const uint8_t *mem, uint64_t len,
			      const struct acpi_rsdp *r, const char sig[4],
			      uint32_t instance, uint64_t *addr, uint32_t *tlen)
{
	bool x = r->revision >= 2 && r->xsdt != 0;
	uint64_t root = x ? r->xsdt : r->rsdt;
	unsigned int esz = x ? 8 : 4;
	uint32_t rlen, l;
	bool skipped = false;

	if (!ref_valid(mem, len, root, x ? "XSDT" : "RSDT", &rlen))
		return ACPI_E_TABLE;
	for (uint64_t off = 36; off + esz <= rlen; off += esz) {
		uint64_t a = ld_le(mem + root + off, esz);
		if (a == 0)
			continue;
		if (!in_buf(len, a, 4)) {
			skipped = true;
			continue;
		}
		if (memcmp(mem + a, sig, 4) != 0)
			continue;
		if (!ref_valid(mem, len, a, sig, &l)) {
			skipped = true;
			continue;
		}
		if (instance-- == 0) {
			*addr = a;
			*tlen = l;
			return ACPI_OK;
		}
	}
	return skipped ? ACPI_E_TABLE : ACPI_E_NO_TABLE;
}

/* A port block: the X_ GAS when in the table, non-zero, I/O, a port. */
static uint16_t ref_port(const uint8_t *t, uint32_t l, uint32_t off,
			 uint32_t xoff)
{
	if (xoff + 12 <= l) {
		uint64_t xa = ld_le(t + xoff + 4, 8);
		if (xa != 0 && t[xoff] == ACPI_GAS_IO && xa <= 0xffff)
			return (uint16_t)xa;
	}
	if (off + 4 <= l && ld32(t + off) <= 0xffff)
		return (uint16_t)ld32(t + off);
	return 0;
}

static enum acpi_err ref_fadt(const uint8_t *mem, uint64_t len, uint64_t a,
			      uint32_t given, struct acpi_fadt *f)
{
	uint32_t l;

	if (!ref_valid(mem, len, a, "FACP", &l) || l != given || l < 116)
		return ACPI_E_TABLE;
	const uint8_t *t = mem + a;
	memset(f, 0, sizeof(*f));
	f->flags = ld32(t + 112);
	f->hw_reduced = (f->flags >> 20) & 1;
	f->pm_tmr_32bit = (f->flags >> 8) & 1;
	f->dsdt = ld32(t + 40);
	if (l >= 148 && ld_le(t + 140, 8) != 0)
		f->dsdt = ld_le(t + 140, 8);
	f->pm_tmr_port = ref_port(t, l, 76, 208);
	f->pm1a_cnt_port = ref_port(t, l, 64, 172);
	f->pm1b_cnt_port = ref_port(t, l, 68, 184);
	if (l >= 256) {
		f->sleep_control.space = t[244];
		f->sleep_control.addr = ld_le(t + 248, 8);
	}
	if ((f->flags & (1u << 10)) && l >= 129) {
		f->reset_space = t[116];
		f->reset_addr = ld_le(t + 120, 8);
		f->reset_value = t[128];
	}
	return ACPI_OK;
}

/* An AML integer inside [at, end): Zero, One, Byte/Word/DWord/QWord. */
static bool ref_int(const uint8_t *t, uint64_t *at, uint64_t end, uint8_t *v)
{
	if (*at >= end)
		return false;
	uint64_t n;
	switch (t[*at]) {
	case 0x00:
	case 0x01:
		*v = t[*at];
		*at += 1;
		return true;
	case 0x0a:
		n = 1;
		break;
	case 0x0b:
		n = 2;
		break;
	case 0x0c:
		n = 4;
		break;
	case 0x0e:
		n = 8;
		break;
	default:
		return false;
	}
	if (*at + 1 + n > end)
		return false;
	*v = t[*at + 1];
	*at += 1 + n;
	return true;
}

/* Package at p (PackageOp) inside a table of l bytes at t. */
static bool ref_pkg(const uint8_t *t, uint64_t l, uint64_t p, uint8_t *a,
		    uint8_t *b)
{
	if (p >= l || t[p] != 0x12)
		return false;
	p++;
	if (p >= l)
		return false;
	uint8_t lead = t[p];
	uint64_t follow = lead >> 6, plen;
	if (follow == 0) {
		plen = lead & 0x3f;
	} else {
		if (lead & 0x30)
			return false;
		plen = lead & 0x0f;
		for (uint64_t k = 1; k <= follow; k++) {
			if (p + k >= l)
				return false;
			plen |= (uint64_t)t[p + k] << (4 + 8 * (k - 1));
		}
	}
	if (plen < follow + 2 || p + plen > l)
		return false;
	uint64_t end = p + plen, at = p + follow + 1;
	uint8_t count = t[at];
	if (count < 1)
		return false;
	at++;
	uint64_t first = at;
	if (!ref_int(t, &at, end, a))
		return false;
	if (count == 1) {
		/* One element: SLP_TYPb is the integer's second byte. */
		uint8_t op = t[first];
		*b = (op == 0x0b || op == 0x0c || op == 0x0e) ? t[first + 2]
							      : 0;
		return true;
	}
	return ref_int(t, &at, end, b);
}

static enum acpi_err ref_s5(const uint8_t *mem, uint64_t len, uint64_t dsdt,
			    uint8_t *a, uint8_t *b)
{
	uint32_t l;

	if (!ref_valid(mem, len, dsdt, "DSDT", &l))
		return ACPI_E_TABLE;
	const uint8_t *t = mem + dsdt;
	for (uint64_t i = 36; i < l; i++) {
		if (t[i] != 0x08)
			continue;
		uint64_t name = i + 1;
		if (name < l && t[name] == '\\')
			name++;
		if (name + 4 > l || memcmp(t + name, "_S5_", 4) != 0)
			continue;
		if (ref_pkg(t, l, name + 4, a, b))
			return ACPI_OK;
	}
	return ACPI_E_NO_S5;
}

static enum acpi_err ref_poweroff(const uint8_t *mem, uint64_t len,
				  const struct acpi_rsdp *r,
				  struct acpi_poweroff *p)
{
	struct acpi_fadt f;
	uint64_t a;
	uint32_t l;
	uint8_t ta, tb;
	enum acpi_err err;

	memset(p, 0, sizeof(*p));
	p->how = ACPI_OFF_NONE;
	err = ref_find(mem, len, r, "FACP", 0, &a, &l);
	if (err == ACPI_OK)
		err = ref_fadt(mem, len, a, l, &f);
	if (err != ACPI_OK)
		return err;
	if (f.hw_reduced) {
		uint64_t sa = f.sleep_control.addr;
		uint8_t sp = f.sleep_control.space;
		if (sa == 0 || sp > ACPI_GAS_IO ||
		    (sp == ACPI_GAS_IO && sa > 0xffff) ||
		    (sp == ACPI_GAS_MEMORY && !in_buf(len, sa, 1)))
			return ACPI_OK;
	} else if (f.pm1a_cnt_port == 0) {
		return ACPI_OK;
	}
	err = ref_s5(mem, len, f.dsdt, &ta, &tb);
	if (err != ACPI_OK)
		return err;
	if (f.hw_reduced) {
		p->how = ACPI_OFF_SLEEP_REG;
		p->sleep_space = f.sleep_control.space;
		p->sleep_addr = f.sleep_control.addr;
		p->sleep_value = (uint8_t)((ta & 7) << 2 | 1 << 5);
	} else {
		p->how = ACPI_OFF_PM1;
		p->pm1a = f.pm1a_cnt_port;
		p->pm1b = f.pm1b_cnt_port;
		p->pm1a_value = (uint16_t)((ta & 7) << 10 | 1 << 13);
		if (p->pm1b != 0)
			p->pm1b_value = (uint16_t)((tb & 7) << 10 | 1 << 13);
	}
	return ACPI_OK;
}

/* ---- Checks ------------------------------------------------------------ */

static void check_fadt_eq(const struct acpi_fadt *f, const struct acpi_fadt *r)
{
	CHECK(f->flags == r->flags && f->hw_reduced == r->hw_reduced &&
		      f->pm_tmr_32bit == r->pm_tmr_32bit,
	      "FADT flags %#x", f->flags);
	CHECK(f->dsdt == r->dsdt, "FADT DSDT %#llx, reference %#llx",
	      (unsigned long long)f->dsdt, (unsigned long long)r->dsdt);
	CHECK(f->pm_tmr_port == r->pm_tmr_port &&
		      f->pm1a_cnt_port == r->pm1a_cnt_port &&
		      f->pm1b_cnt_port == r->pm1b_cnt_port,
	      "FADT ports tmr %#x pm1a %#x pm1b %#x, reference %#x %#x %#x",
	      f->pm_tmr_port, f->pm1a_cnt_port, f->pm1b_cnt_port,
	      r->pm_tmr_port, r->pm1a_cnt_port, r->pm1b_cnt_port);
	CHECK(f->sleep_control.space == r->sleep_control.space &&
		      f->sleep_control.addr == r->sleep_control.addr,
	      "FADT sleep control %u/%#llx, reference %u/%#llx",
	      f->sleep_control.space, (unsigned long long)f->sleep_control.addr,
	      r->sleep_control.space,
	      (unsigned long long)r->sleep_control.addr);
	CHECK(f->reset_space == r->reset_space &&
		      f->reset_addr == r->reset_addr &&
		      f->reset_value == r->reset_value,
	      "FADT reset register differs");
}

static void check_fadt(const struct view *phys, const uint8_t *mem,
		       uint64_t len, uint64_t a, uint32_t l)
{
	struct acpi_fadt f, r, sentinel;

	memset(&sentinel, 0xa5, sizeof(sentinel));
	memcpy(&f, &sentinel, sizeof(f));
	enum acpi_err err = acpi_fadt_parse(phys, a, l, &f);
	enum acpi_err want = ref_fadt(mem, len, a, l, &r);
	TRACE("  fadt at %#llx len %u: %s\n", (unsigned long long)a, l,
	      acpi_strerror(err));
	CHECK(err == want, "acpi_fadt_parse at %#llx len %u: %s, reference %s",
	      (unsigned long long)a, l, acpi_strerror(err),
	      acpi_strerror(want));
	if (err != ACPI_OK) {
		CHECK(memcmp(&f, &sentinel, sizeof(f)) == 0,
		      "acpi_fadt_parse wrote *out on error");
		return;
	}
	check_fadt_eq(&f, &r);
}

static void check_s5(const struct view *phys, const uint8_t *mem, uint64_t len,
		     uint64_t dsdt)
{
	uint8_t a = 0xa5, b = 0x5a, ra, rb;
	enum acpi_err err = acpi_s5_slp_typ(phys, dsdt, &a, &b);
	enum acpi_err want = ref_s5(mem, len, dsdt, &ra, &rb);
	TRACE("  s5 in %#llx: %s %u %u\n", (unsigned long long)dsdt,
	      acpi_strerror(err), a, b);
	CHECK(err == want, "acpi_s5_slp_typ at %#llx: %s, reference %s",
	      (unsigned long long)dsdt, acpi_strerror(err),
	      acpi_strerror(want));
	if (err == ACPI_OK)
		CHECK(a == ra && b == rb, "SLP_TYP %u/%u, reference %u/%u", a,
		      b, ra, rb);
	else
		CHECK(a == 0xa5 && b == 0x5a, "acpi_s5_slp_typ wrote on error");
}

static const char *sigs[5] = { "FACP", "APIC", "SSDT", "DSDT", NULL };

static void check_tables(const struct view *phys, const uint8_t *mem,
			 uint64_t len, const struct acpi_rsdp *r,
			 const char *extra)
{
	sigs[4] = extra;
	for (unsigned int s = 0; s < ARRAY_LEN(sigs); s++) {
		for (uint32_t inst = 0; inst < 4; inst++) {
			uint64_t a = 0x1111, ra = 0;
			uint32_t l = 0x2222, rl = 0;
			enum acpi_err err =
				acpi_find_table(phys, r, sigs[s], inst, &a, &l);
			enum acpi_err want =
				ref_find(mem, len, r, sigs[s], inst, &ra, &rl);
			TRACE("acpi_tables: %.4s #%u: %s at %#llx len %u\n",
			      sigs[s], inst, acpi_strerror(err),
			      (unsigned long long)a, l);
			CHECK(acpi_strerror(err) != NULL, "strerror(%d)", err);
			CHECK(err == want, "find %.4s #%u: %s, reference %s",
			      sigs[s], inst, acpi_strerror(err),
			      acpi_strerror(want));
			if (err != ACPI_OK) {
				CHECK(a == 0x1111 && l == 0x2222,
				      "find wrote *addr / *len on error");
				continue;
			}
			CHECK(a == ra && l == rl,
			      "find %.4s #%u: %#llx len %u, reference %#llx "
			      "len %u",
			      sigs[s], inst, (unsigned long long)a, l,
			      (unsigned long long)ra, rl);
			/* Independent re-validation of what was found. */
			CHECK(l >= 36 && in_buf(len, a, l),
			      "table at %#llx len %u outside memory",
			      (unsigned long long)a, l);
			CHECK(memcmp(mem + a, sigs[s], 4) == 0 &&
				      ld32(mem + a + 4) == l,
			      "table at %#llx: wrong signature or length",
			      (unsigned long long)a);
			CHECK(sum8(mem + a, l) == 0,
			      "table at %#llx does not sum to 0",
			      (unsigned long long)a);
			if (s == 0 && inst < 2) {
				struct acpi_fadt f;
				check_fadt(phys, mem, len, a, l);
				if (acpi_fadt_parse(phys, a, l, &f) == ACPI_OK)
					check_s5(phys, mem, len, f.dsdt);
			}
		}
	}
}

static void check_poweroff(const struct view *phys, const uint8_t *mem,
			   uint64_t len, const struct acpi_rsdp *r)
{
	struct acpi_poweroff p, rp;

	memset(&p, 0xa5, sizeof(p));
	enum acpi_err err = acpi_poweroff_plan(phys, r, &p);
	enum acpi_err want = ref_poweroff(mem, len, r, &rp);
	TRACE("acpi_tables: poweroff %s, how %d pm1a %#x=%#x pm1b %#x=%#x "
	      "sleep %u/%#llx=%#x\n",
	      acpi_strerror(err), p.how, p.pm1a, p.pm1a_value, p.pm1b,
	      p.pm1b_value, p.sleep_space, (unsigned long long)p.sleep_addr,
	      p.sleep_value);
	CHECK(err == want, "acpi_poweroff_plan: %s, reference %s",
	      acpi_strerror(err), acpi_strerror(want));
	CHECK(p.how == rp.how && p.pm1a == rp.pm1a && p.pm1b == rp.pm1b &&
		      p.pm1a_value == rp.pm1a_value &&
		      p.pm1b_value == rp.pm1b_value &&
		      p.sleep_space == rp.sleep_space &&
		      p.sleep_addr == rp.sleep_addr &&
		      p.sleep_value == rp.sleep_value,
	      "poweroff plan (how %d) differs from the reference (how %d)",
	      p.how, rp.how);

	const uint16_t pm1_bits = ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN;
	const uint8_t slp_bits =
		7u << ACPI_SLEEP_CTL_SLP_TYP_SHIFT | ACPI_SLEEP_CTL_SLP_EN;
	switch (p.how) {
	case ACPI_OFF_NONE:
		CHECK(p.pm1a == 0 && p.pm1b == 0 && p.pm1a_value == 0 &&
			      p.pm1b_value == 0 && p.sleep_space == 0 &&
			      p.sleep_addr == 0 && p.sleep_value == 0,
		      "ACPI_OFF_NONE with fields set");
		break;
	case ACPI_OFF_PM1:
		CHECK(err == ACPI_OK, "a plan with error %s",
		      acpi_strerror(err));
		CHECK(p.pm1a != 0, "PM1 plan without a port");
		CHECK((p.pm1a_value & ACPI_PM1_SLP_EN) &&
			      (p.pm1a_value & ~pm1_bits) == 0,
		      "pm1a_value %#x", p.pm1a_value);
		if (p.pm1b != 0)
			CHECK((p.pm1b_value & ACPI_PM1_SLP_EN) &&
				      (p.pm1b_value & ~pm1_bits) == 0,
			      "pm1b_value %#x", p.pm1b_value);
		else
			CHECK(p.pm1b_value == 0, "pm1b_value without pm1b");
		CHECK(p.sleep_space == 0 && p.sleep_addr == 0 &&
			      p.sleep_value == 0,
		      "PM1 plan with sleep register fields");
		break;
	case ACPI_OFF_SLEEP_REG:
		CHECK(err == ACPI_OK, "a plan with error %s",
		      acpi_strerror(err));
		CHECK(p.sleep_addr != 0 && ((p.sleep_space == ACPI_GAS_MEMORY &&
					     p.sleep_addr < len) ||
					    (p.sleep_space == ACPI_GAS_IO &&
					     p.sleep_addr <= 0xffff)),
		      "sleep register %u/%#llx", p.sleep_space,
		      (unsigned long long)p.sleep_addr);
		CHECK((p.sleep_value & ACPI_SLEEP_CTL_SLP_EN) &&
			      (p.sleep_value & ~slp_bits) == 0,
		      "sleep_value %#x", p.sleep_value);
		CHECK(p.pm1a == 0 && p.pm1b == 0 && p.pm1a_value == 0 &&
			      p.pm1b_value == 0,
		      "sleep register plan with PM1 fields");
		break;
	default:
		CHECK(false, "how %d", p.how);
	}
	if (err != ACPI_OK)
		CHECK(p.how == ACPI_OFF_NONE, "error %s with how %d",
		      acpi_strerror(err), p.how);
}

/* Fixes the checksum (byte 9) of the table at off over its length. */
static void fix_table(uint8_t *mem, uint64_t len, uint64_t off)
{
	if (!in_buf(len, off, 36))
		return;
	uint32_t l = ld32(mem + off + 4);
	if (l < 36 || !in_buf(len, off, l))
		return;
	mem[off + 9] = 0;
	mem[off + 9] = (uint8_t)(0 - sum8(mem + off, l));
}

static void fix_rsdp(uint8_t *mem, uint64_t len, uint64_t off, uint8_t flags)
{
	if ((flags & 2) && in_buf(len, off, 20)) {
		mem[off + 8] = 0;
		mem[off + 8] = (uint8_t)(0 - sum8(mem + off, 20));
	}
	if ((flags & 4) && in_buf(len, off, 36)) {
		uint32_t l = ld32(mem + off + 20);
		if (l >= 36 && in_buf(len, off, l)) {
			mem[off + 32] = 0;
			mem[off + 32] = (uint8_t)(0 - sum8(mem + off, l));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin in = fin_make(data, size);
	uint8_t flags = fin_u8(&in);
	uint64_t rsdp_off = fin_u32(&in);
	struct acpi_rsdp r;
	memset(&r, 0, sizeof(r));
	r.revision = fin_u8(&in);
	r.rsdt = fin_u32(&in);
	r.xsdt = fin_u64(&in);
	char extra[4];
	for (int i = 0; i < 4; i++)
		extra[i] = (char)fin_u8(&in);
	unsigned int nfix = fin_u8(&in) & MAX_FIX;
	uint64_t fix[MAX_FIX];
	for (unsigned int i = 0; i < nfix; i++)
		fix[i] = fin_u32(&in);

	const uint64_t len = in.n;
	uint8_t *mem = malloc(len ? len : 1);
	CHECK(mem != NULL, "out of memory");
	memcpy(mem, in.p, len);
	for (unsigned int i = 0; i < nfix; i++)
		fix_table(mem, len, fix[i]);
	fix_rsdp(mem, len, rsdp_off, flags);
	const struct view phys = view_make(mem, len);

	bool have_rsdp = true;
	if (flags & 1) {
		r.addr = rsdp_off;
		r.length = r.revision >= 2 ? 36 : 20;
		if (r.revision < 2)
			r.xsdt = 0;
	} else {
		enum acpi_err e = acpi_rsdp_check(&phys, rsdp_off, &r);
		TRACE("acpi_tables: RSDP at %#llx: %s\n",
		      (unsigned long long)rsdp_off, acpi_strerror(e));
		have_rsdp = e == ACPI_OK;
	}

	if (have_rsdp) {
		check_tables(&phys, mem, len, &r, extra);
		check_poweroff(&phys, mem, len, &r);
	}
	/* The decoders on whatever is at the fix-up offsets. */
	for (unsigned int i = 0; i < nfix; i++) {
		uint32_t l =
			in_buf(len, fix[i], 8) ? ld32(mem + fix[i] + 4) : 0;
		check_fadt(&phys, mem, len, fix[i], l);
		check_fadt(&phys, mem, len, fix[i], l + 1);
		check_s5(&phys, mem, len, fix[i]);
	}
	free(mem);
	return 0;
}
