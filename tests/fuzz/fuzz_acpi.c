// SPDX-License-Identifier: MIT
/*
 * fuzz_acpi.c: libFuzzer target for acpi_rsdp_find and acpi_rsdp_check.
 *
 * Guest memory is the tail of a zeroed heap buffer just over 1 MiB long:
 * a view of len bytes starts len bytes before the buffer's end, so
 * AddressSanitizer catches any read past the end of memory. Input:
 *   bytes 0..7   the hint (u64)
 *   bytes 8..11  memory size, min(u32, MEM_MAX)
 *   then chunks: u32 offset (modulo the memory size), u8 length, u8 flags,
 *                length bytes written there; flags bit 0 then fixes the
 *                ACPI 1.0 checksum of an RSDP at the chunk's offset, bit 1
 *                the extended checksum (using its length field), so the
 *                fuzzer reaches valid RSDPs easily.
 * The memory is zeroed again after each run (only what was written).
 *
 * Checks: the result, the address found and the hint's error equal those
 * of a reference search written here (hint, first KiB of the EBDA, then
 * 0xE0000 - 0xFFFFF, 16-byte steps, first valid wins); on success
 * acpi_rsdp_check accepts the returned address again with the same result,
 * the signature is there, the first 20 bytes (and with revision >= 2 the
 * first `length` bytes, 36 <= length <= ACPI_RSDP_MAX_LEN) really sum to 0,
 * and the fields are the bytes of the table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi.h"
#include "fuzz.h"

#define MEM_MAX (0x100000u + 0x1000u)
#define MAX_DIRTY 256

static uint8_t *buf; /* MEM_MAX bytes, zero outside a run */

struct dirty {
	uint64_t off, len; /* offsets into buf */
};
static struct dirty dirty[MAX_DIRTY];
static unsigned int ndirty;
static bool dirty_all;

static void mark(uint64_t off, uint64_t len)
{
	if (ndirty == MAX_DIRTY) {
		dirty_all = true;
		return;
	}
	dirty[ndirty].off = off;
	dirty[ndirty].len = len;
	ndirty++;
}

static uint8_t sum(const uint8_t *p, uint64_t n)
{
	unsigned int s = 0;
	for (uint64_t i = 0; i < n; i++)
		s += p[i];
	return (uint8_t)s;
}

struct ref_rsdp {
	uint8_t revision;
	uint32_t length, rsdt;
	uint64_t xsdt;
	char oem[7];
};

/* acpi_rsdp_check's documented order, from plain reads of mem[0, len). */
static enum acpi_err ref_check(const uint8_t *mem, uint64_t len, uint64_t a,
			       struct ref_rsdp *r)
{
	if (!in_buf(len, a, 20))
		return ACPI_E_RANGE;
	const uint8_t *p = mem + a;
	if (memcmp(p, "RSD PTR ", 8) != 0)
		return ACPI_E_SIGNATURE;
	if (sum(p, 20) != 0)
		return ACPI_E_CHECKSUM;
	r->revision = p[15];
	r->rsdt = (uint32_t)ld_le(p + 16, 4);
	r->length = 20;
	r->xsdt = 0;
	memcpy(r->oem, p + 9, 6);
	r->oem[6] = '\0';
	if (r->revision >= 2) {
		if (!in_buf(len, a, 24))
			return ACPI_E_RANGE;
		r->length = (uint32_t)ld_le(p + 20, 4);
		if (r->length < 36 || r->length > ACPI_RSDP_MAX_LEN)
			return ACPI_E_LENGTH;
		if (!in_buf(len, a, r->length))
			return ACPI_E_RANGE;
		if (sum(p, r->length) != 0)
			return ACPI_E_XCHECKSUM;
		r->xsdt = ld_le(p + 24, 8);
	}
	return ACPI_OK;
}

static bool ref_scan(const uint8_t *mem, uint64_t len, uint64_t start,
		     uint64_t end, uint64_t *found)
{
	struct ref_rsdp r;
	for (uint64_t a = start; a < end && a < len; a += 16)
		if (mem[a] == 'R' && ref_check(mem, len, a, &r) == ACPI_OK) {
			*found = a;
			return true;
		}
	return false;
}

static enum acpi_err ref_find(const uint8_t *mem, uint64_t len, uint64_t hint,
			      uint64_t *found, enum acpi_err *hint_err)
{
	struct ref_rsdp r;

	*hint_err = ACPI_OK;
	if (hint != 0) {
		*hint_err = ref_check(mem, len, hint, &r);
		if (*hint_err == ACPI_OK) {
			*found = hint;
			return ACPI_OK;
		}
	}
	if (in_buf(len, 0x40e, 2)) {
		uint64_t seg = ld_le(mem + 0x40e, 2);
		if (seg != 0 &&
		    ref_scan(mem, len, seg << 4, (seg << 4) + 1024, found))
			return ACPI_OK;
	}
	if (ref_scan(mem, len, 0xe0000, 0x100000, found))
		return ACPI_OK;
	return ACPI_E_NOT_FOUND;
}

static void fix_checksums(uint8_t *mem, uint64_t len, uint64_t a, uint8_t flags)
{
	if ((flags & 1) && in_buf(len, a, 20)) {
		mem[a + 8] = 0;
		mem[a + 8] = (uint8_t)(0 - sum(mem + a, 20));
		mark(MEM_MAX - len + a + 8, 1);
	}
	if ((flags & 2) && in_buf(len, a, 36)) {
		uint64_t n = ld_le(mem + a + 20, 4);
		if (n >= 36 && in_buf(len, a, n)) {
			mem[a + 32] = 0;
			mem[a + 32] = (uint8_t)(0 - sum(mem + a, n));
			mark(MEM_MAX - len + a + 32, 1);
		}
	}
}

static void run(const uint8_t *data, size_t size)
{
	struct fin in = fin_make(data, size);
	uint64_t hint = fin_u64(&in);
	uint64_t len = fin_u32(&in);
	if (len > MEM_MAX)
		len = MEM_MAX;
	uint8_t *mem = buf + (MEM_MAX - len);

	while (!fin_empty(&in) && len > 0) {
		uint64_t off = fin_u32(&in) % len;
		uint64_t n = fin_u8(&in);
		uint8_t flags = fin_u8(&in);
		if (n > in.n)
			n = in.n;
		if (n > len - off)
			n = len - off;
		memcpy(mem + off, in.p, n);
		in.p += n;
		in.n -= n;
		mark(MEM_MAX - len + off, n);
		fix_checksums(mem, len, off, flags);
	}

	const struct view phys = view_make(mem, len);
	struct acpi_rsdp out, again;
	enum acpi_err hint_err = ACPI_E_NOT_FOUND, want_hint_err;
	uint64_t want_addr = 0;
	memset(&out, 0, sizeof(out));
	enum acpi_err err = acpi_rsdp_find(&phys, hint, &out, &hint_err);
	enum acpi_err want =
		ref_find(mem, len, hint, &want_addr, &want_hint_err);

	TRACE("acpi: hint %#llx len %#llx: %s at %#llx, hint: %s\n",
	      (unsigned long long)hint, (unsigned long long)len,
	      acpi_strerror(err), (unsigned long long)out.addr,
	      acpi_strerror(hint_err));
	CHECK(acpi_strerror(err) != NULL, "acpi_strerror(%d) is NULL", err);
	CHECK(err == want, "find: %s, reference: %s", acpi_strerror(err),
	      acpi_strerror(want));
	CHECK(hint_err == want_hint_err, "hint error: %s, reference: %s",
	      acpi_strerror(hint_err), acpi_strerror(want_hint_err));
	if (err != ACPI_OK)
		return;
	/* The same with no place for the hint's error. */
	CHECK(acpi_rsdp_find(&phys, hint, &again, NULL) == ACPI_OK &&
		      again.addr == out.addr,
	      "find without hint_err differs");

	CHECK(out.addr == want_addr, "found %#llx, reference %#llx",
	      (unsigned long long)out.addr, (unsigned long long)want_addr);
	CHECK(acpi_rsdp_check(&phys, out.addr, &again) == ACPI_OK,
	      "the RSDP found fails acpi_rsdp_check");
	CHECK(again.addr == out.addr && again.revision == out.revision &&
		      again.length == out.length && again.rsdt == out.rsdt &&
		      again.xsdt == out.xsdt && strcmp(again.oem, out.oem) == 0,
	      "acpi_rsdp_check gives a different result");

	struct ref_rsdp r;
	CHECK(ref_check(mem, len, out.addr, &r) == ACPI_OK, "reference check");
	const uint8_t *p = mem + out.addr;
	CHECK(memcmp(p, "RSD PTR ", 8) == 0, "no signature at %#llx",
	      (unsigned long long)out.addr);
	CHECK(sum(p, 20) == 0, "ACPI 1.0 checksum bytes do not sum to 0");
	CHECK(out.revision == p[15], "revision");
	if (out.revision >= 2) {
		CHECK(out.length >= 36 && out.length <= ACPI_RSDP_MAX_LEN &&
			      in_buf(len, out.addr, out.length),
		      "length %u", out.length);
		CHECK(sum(p, out.length) == 0,
		      "extended checksum bytes do not sum to 0");
	} else {
		CHECK(out.length == 20 && out.xsdt == 0, "revision 0 fields");
	}
	CHECK(out.length == r.length && out.rsdt == r.rsdt &&
		      out.xsdt == r.xsdt && strcmp(out.oem, r.oem) == 0,
	      "fields differ from the table's bytes");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (buf == NULL) {
		buf = calloc(1, MEM_MAX);
		CHECK(buf != NULL, "out of memory");
	}
	ndirty = 0;
	dirty_all = false;
	run(data, size);
	if (dirty_all)
		memset(buf, 0, MEM_MAX);
	else
		for (unsigned int i = 0; i < ndirty; i++)
			memset(buf + dirty[i].off, 0, dirty[i].len);
	return 0;
}
