// SPDX-License-Identifier: MIT
/*
 * fuzz_memmap.c: libFuzzer target for the memory map: memmap_add,
 * memmap_normalise, the queries, the busy ranges and the allocator.
 *
 * Input: a u16 entry count (taken modulo 600, so both sides of MEMMAP_MAX
 * are reached), that many ranges, then operations until the input ends.
 * A range starts with a tag byte t: the low two bits pick how addr and size
 * are encoded, bits 2..5 the type (0..14 as is, 15 = 0xffffffff):
 *   0: u16 addr, u16 size, both in 4 KiB pages
 *   1: u8 addr, u8 size, in bytes (dense overlaps)
 *   2: u64 addr, u64 size
 *   3: addr = 2^64 - 1 - u32, size = u32 (the top of the address space)
 * Operations (op byte % 5): busy_add, alloc, busy_remove, busy_overlap,
 * is_ram; the busy ranges carry one of four tag strings (op byte bits 4..5).
 *
 * Checked against independent reference computations here:
 *   - memmap_add's result (wrap, full);
 *   - normalise: the map equals a boundary sweep done here in O(n^2) (each
 *     segment between consecutive input boundaries gets the most
 *     restrictive type covering it, ranks as in memmap.h, adjacent equal
 *     types merged), which also means: sorted, non-overlapping, no zero
 *     sizes, merged, covering exactly the union of the inputs; NO_RAM iff
 *     it has no RAM; E_FULL iff it needs more than MEMMAP_MAX entries, and
 *     then the map is unchanged;
 *   - ram_total, ram_top, is_ram;
 *   - busy ranges: a shadow list kept here must equal b after each step;
 *     busy_overlap returns the first overlapping range;
 *   - alloc (memmap_alloc, or memmap_alloc_low when the mode byte has bit
 *     4): the result is RAM, aligned, inside [min, max_end), overlaps no
 *     busy range (earlier allocations included), and is the highest (the
 *     lowest) such address (found here by trying every candidate: RAM
 *     entry ends, max_end and busy starts, or RAM entry starts, min and
 *     busy ends); the errors match.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "memmap/memmap.h"

#define MAX_INPUT_ENTRIES 600

static const char *const tags[4] = { "image", "module", "payload", "alloc" };

struct range {
	uint64_t addr, size;
	uint32_t type;
};

static void get_range(struct fin *in, struct range *r)
{
	uint8_t t = fin_u8(in);
	uint32_t ty = (t >> 2) & 15;

	r->type = ty == 15 ? 0xffffffffu : ty;
	switch (t & 3) {
	case 0:
		r->addr = (uint64_t)fin_u16(in) << 12;
		r->size = (uint64_t)fin_u16(in) << 12;
		break;
	case 1:
		r->addr = fin_u8(in);
		r->size = fin_u8(in);
		break;
	case 2:
		r->addr = fin_u64(in);
		r->size = fin_u64(in);
		break;
	default:
		r->addr = UINT64_MAX - fin_u32(in);
		r->size = fin_u32(in);
		break;
	}
}

/* Ranks from memmap.h: RAM < ACPI < NVS < PMEM < RESERVED < UNUSABLE <
 * DISABLED; types outside 1..7 count as RESERVED. */
static int ref_rank(uint32_t type)
{
	static const int rank[8] = { 4, 0, 4, 1, 2, 5, 6, 3 };
	return type < 8 ? rank[type] : 4;
}

static uint32_t ref_type_of_rank(int r)
{
	static const uint32_t type[7] = { MEMMAP_RAM,	   MEMMAP_ACPI,
					  MEMMAP_NVS,	   MEMMAP_PMEM,
					  MEMMAP_RESERVED, MEMMAP_UNUSABLE,
					  MEMMAP_DISABLED };
	return type[r];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct range accepted[MAX_INPUT_ENTRIES];
static uint32_t naccepted;
static uint64_t bounds[2 * MAX_INPUT_ENTRIES];
static struct memmap_entry ref[2 * MAX_INPUT_ENTRIES];
static uint32_t nref;

/* The reference normalisation of accepted[] into ref[]. */
static void ref_normalise(void)
{
	size_t nb = 0;

	for (uint32_t i = 0; i < naccepted; i++) {
		if (accepted[i].size == 0)
			continue;
		bounds[nb++] = accepted[i].addr;
		bounds[nb++] = accepted[i].addr + accepted[i].size;
	}
	qsort(bounds, nb, sizeof(bounds[0]), cmp_u64);
	nref = 0;
	for (size_t i = 0; i + 1 < nb; i++) {
		uint64_t lo = bounds[i], hi = bounds[i + 1];
		if (lo == hi)
			continue;
		int best = -1;
		for (uint32_t k = 0; k < naccepted; k++) {
			const struct range *r = &accepted[k];
			if (r->size != 0 && r->addr <= lo &&
			    hi <= r->addr + r->size && ref_rank(r->type) > best)
				best = ref_rank(r->type);
		}
		if (best < 0)
			continue;
		uint32_t type = ref_type_of_rank(best);
		struct memmap_entry *prev = nref ? &ref[nref - 1] : NULL;
		if (prev && prev->type == type &&
		    prev->addr + prev->size == lo) {
			prev->size += hi - lo;
			continue;
		}
		ref[nref].addr = lo;
		ref[nref].size = hi - lo;
		ref[nref].type = type;
		ref[nref].pad = 0;
		nref++;
	}
}

static void check_canonical(const struct memmap *m)
{
	CHECK(m->n <= MEMMAP_MAX, "n %u", m->n);
	for (uint32_t i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->e[i];
		CHECK(e->size != 0, "entry %u has size 0", i);
		CHECK(e->size <= UINT64_MAX - e->addr, "entry %u wraps", i);
		CHECK(e->type >= 1 && e->type <= 7, "entry %u type %u", i,
		      e->type);
		CHECK(e->pad == 0, "entry %u pad %u", i, e->pad);
		if (i == 0)
			continue;
		const struct memmap_entry *p = &m->e[i - 1];
		CHECK(p->addr + p->size <= e->addr,
		      "entries %u and %u unsorted or overlapping", i - 1, i);
		CHECK(p->addr + p->size != e->addr || p->type != e->type,
		      "adjacent entries %u and %u of type %u not merged", i - 1,
		      i, e->type);
	}
}

static void check_equals_ref(const struct memmap *m)
{
	CHECK(m->n == nref, "normalised to %u entries, reference has %u", m->n,
	      nref);
	for (uint32_t i = 0; i < nref; i++)
		CHECK(m->e[i].addr == ref[i].addr &&
			      m->e[i].size == ref[i].size &&
			      m->e[i].type == ref[i].type,
		      "entry %u: [%#llx +%#llx) type %u, reference [%#llx "
		      "+%#llx) type %u",
		      i, (unsigned long long)m->e[i].addr,
		      (unsigned long long)m->e[i].size, m->e[i].type,
		      (unsigned long long)ref[i].addr,
		      (unsigned long long)ref[i].size, ref[i].type);
}

/* Shadow of the busy ranges. */
static struct memmap_busy_range shadow[MEMMAP_BUSY_MAX];
static uint32_t nshadow;

static void check_shadow(const struct memmap_busy *b)
{
	CHECK(b->n == nshadow, "busy n %u, shadow %u", b->n, nshadow);
	for (uint32_t i = 0; i < nshadow; i++)
		CHECK(b->r[i].start == shadow[i].start &&
			      b->r[i].end == shadow[i].end &&
			      b->r[i].what == shadow[i].what,
		      "busy range %u differs from the shadow", i);
}

/* Inclusive last byte, saturated, so that no end needs 2^64. */
static bool overlaps(uint64_t s1, uint64_t e1, uint64_t start, uint64_t size)
{
	if (size == 0 || s1 >= e1)
		return false;
	uint64_t last =
		size - 1 > UINT64_MAX - start ? UINT64_MAX : start + size - 1;
	return s1 <= last && start <= e1 - 1;
}

static int first_shadow_overlap(uint64_t start, uint64_t size)
{
	for (uint32_t i = 0; i < nshadow; i++)
		if (overlaps(shadow[i].start, shadow[i].end, start, size))
			return (int)i;
	return -1;
}

/* In a canonical map RAM ranges are single entries. */
static bool ref_is_ram(const struct memmap *m, uint64_t addr, uint64_t size)
{
	if (size == 0)
		return true;
	if (size > UINT64_MAX - addr)
		return false;
	for (uint32_t i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->e[i];
		if (e->type == MEMMAP_RAM && e->addr <= addr &&
		    addr + size <= e->addr + e->size)
			return true;
	}
	return false;
}

static bool slot_ok(const struct memmap *m, uint64_t a, uint64_t size,
		    uint64_t align, uint64_t min, uint64_t max_end)
{
	return a % align == 0 && a >= min && size <= UINT64_MAX - a &&
	       a + size <= max_end && ref_is_ram(m, a, size) &&
	       first_shadow_overlap(a, size) < 0;
}

/*
 * The best slot: the highest, or with `low` the lowest. A best slot ends
 * where RAM, max_end or a busy range begins (starts where RAM, min or a
 * busy range ends), rounded to the alignment.
 */
static bool ref_alloc(const struct memmap *m, uint64_t size, uint64_t align,
		      uint64_t min, uint64_t max_end, bool low, uint64_t *best)
{
	bool found = false;
	uint64_t b, a;

	for (uint32_t i = 0; i < m->n + 1 + nshadow; i++) {
		if (i < m->n) {
			if (m->e[i].type != MEMMAP_RAM)
				continue;
			b = low ? m->e[i].addr : m->e[i].addr + m->e[i].size;
		} else if (i == m->n) {
			b = low ? min : max_end;
		} else {
			b = low ? shadow[i - m->n - 1].end
				: shadow[i - m->n - 1].start;
		}
		if (low) {
			a = (b + (align - 1)) & ~(align - 1);
			if (a < b)
				continue;
		} else {
			if (b < size)
				continue;
			a = (b - size) & ~(align - 1);
		}
		if (slot_ok(m, a, size, align, min, max_end) &&
		    (!found || (low ? a < *best : a > *best))) {
			*best = a;
			found = true;
		}
	}
	return found;
}

static void op_busy_add(struct fin *in, struct memmap_busy *b, const char *w)
{
	struct range r;
	get_range(in, &r);
	enum memmap_err err = memmap_busy_add(b, r.addr, r.size, w);
	enum memmap_err want = MEMMAP_OK;
	if (r.size > UINT64_MAX - r.addr)
		want = MEMMAP_E_WRAP;
	else if (r.size != 0 && nshadow >= MEMMAP_BUSY_MAX)
		want = MEMMAP_E_BUSY_FULL;
	CHECK(err == want, "busy_add: %d, expected %d", err, want);
	if (want == MEMMAP_OK && r.size != 0) {
		shadow[nshadow].start = r.addr;
		shadow[nshadow].end = r.addr + r.size;
		shadow[nshadow].what = w;
		nshadow++;
	}
}

static void op_alloc(struct fin *in, const struct memmap *m,
		     struct memmap_busy *b, const char *w)
{
	uint8_t mode = fin_u8(in);
	uint8_t ab = fin_u8(in);
	uint64_t size, min, max_end, align;

	switch (mode & 3) {
	case 0:
		size = (uint64_t)fin_u16(in) << 12;
		min = (uint64_t)fin_u16(in) << 12;
		max_end = (uint64_t)fin_u16(in) << 12;
		break;
	case 1:
		size = fin_u8(in);
		min = fin_u8(in);
		max_end = fin_u8(in);
		break;
	default:
		size = fin_u64(in);
		min = fin_u64(in);
		max_end = fin_u64(in);
		break;
	}
	if (mode & 4)
		max_end = UINT64_MAX;
	if (mode & 8)
		min = 0;
	/* Mostly powers of two; sometimes anything, 0 included. */
	align = ab & 0x80 ? (uint64_t)(ab & 0x7f) : (uint64_t)1 << (ab & 63);

	/* Bit 4: the search from the bottom. */
	bool low = (mode & 0x10) != 0;
	uint64_t got = 0xdeadbeef, best = 0;
	enum memmap_err err =
		low ? memmap_alloc_low(m, b, size, align, min, max_end, w, &got)
		    : memmap_alloc(m, b, size, align, min, max_end, w, &got);

	enum memmap_err want;
	if (size == 0 || align == 0 || (align & (align - 1)) != 0)
		want = MEMMAP_E_NO_SPACE;
	else if (nshadow >= MEMMAP_BUSY_MAX)
		want = MEMMAP_E_BUSY_FULL;
	else if (min >= max_end || max_end - min < size)
		want = MEMMAP_E_NO_SPACE;
	else if (ref_alloc(m, size, align, min, max_end, low, &best))
		want = MEMMAP_OK;
	else
		want = MEMMAP_E_NO_SPACE;
	CHECK(err == want,
	      "alloc(size %#llx, align %#llx, min %#llx, max_end %#llx): "
	      "%d, expected %d (best %#llx, got %#llx)",
	      (unsigned long long)size, (unsigned long long)align,
	      (unsigned long long)min, (unsigned long long)max_end, err, want,
	      (unsigned long long)best, (unsigned long long)got);
	TRACE("alloc%s(%#llx, align %#llx, [%#llx, %#llx)): %s %#llx\n",
	      low ? "_low" : "", (unsigned long long)size,
	      (unsigned long long)align, (unsigned long long)min,
	      (unsigned long long)max_end, memmap_strerror(err),
	      (unsigned long long)got);
	if (err != MEMMAP_OK)
		return;
	CHECK(got % align == 0, "alloc %#llx not aligned to %#llx",
	      (unsigned long long)got, (unsigned long long)align);
	CHECK(got >= min && size <= max_end - got && got <= max_end,
	      "alloc %#llx outside [min, max_end)", (unsigned long long)got);
	CHECK(ref_is_ram(m, got, size), "alloc %#llx +%#llx not RAM",
	      (unsigned long long)got, (unsigned long long)size);
	CHECK(first_shadow_overlap(got, size) < 0,
	      "alloc %#llx +%#llx overlaps busy range %d",
	      (unsigned long long)got, (unsigned long long)size,
	      first_shadow_overlap(got, size));
	CHECK(got == best, "alloc %#llx, but %#llx is %s and free",
	      (unsigned long long)got, (unsigned long long)best,
	      low ? "lower" : "higher");
	shadow[nshadow].start = got;
	shadow[nshadow].end = got + size;
	shadow[nshadow].what = w;
	nshadow++;
}

static void op_remove(struct memmap_busy *b, const char *w)
{
	uint32_t kept = 0;

	memmap_busy_remove(b, w);
	for (uint32_t i = 0; i < nshadow; i++)
		if (shadow[i].what != w)
			shadow[kept++] = shadow[i];
	nshadow = kept;
}

static void op_overlap(struct fin *in, const struct memmap_busy *b)
{
	struct range r;
	get_range(in, &r);
	const struct memmap_busy_range *got =
		memmap_busy_overlap(b, r.addr, r.size);
	int want = first_shadow_overlap(r.addr, r.size);
	CHECK(want < 0 ? got == NULL : got == &b->r[want],
	      "busy_overlap(%#llx, %#llx): index %td, expected %d",
	      (unsigned long long)r.addr, (unsigned long long)r.size,
	      got ? got - b->r : -1, want);
}

static void op_is_ram(struct fin *in, const struct memmap *m)
{
	struct range r;
	get_range(in, &r);
	bool got = memmap_is_ram(m, r.addr, r.size);
	bool want = ref_is_ram(m, r.addr, r.size);
	CHECK(got == want, "is_ram(%#llx, %#llx): %d, expected %d",
	      (unsigned long long)r.addr, (unsigned long long)r.size, got,
	      want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct memmap m, saved;
	static struct memmap_busy b;
	struct fin in = fin_make(data, size);
	uint32_t count = fin_u16(&in) % MAX_INPUT_ENTRIES;

	memmap_init(&m);
	naccepted = 0;
	for (uint32_t i = 0; i < count && !fin_empty(&in); i++) {
		struct range r;
		get_range(&in, &r);
		enum memmap_err err = memmap_add(&m, r.addr, r.size, r.type);
		enum memmap_err want = MEMMAP_OK;
		if (r.size > UINT64_MAX - r.addr)
			want = MEMMAP_E_WRAP;
		else if (naccepted >= MEMMAP_MAX)
			want = MEMMAP_E_FULL;
		CHECK(err == want, "memmap_add %u: %d, expected %d", i, err,
		      want);
		if (err == MEMMAP_OK)
			accepted[naccepted++] = r;
	}
	CHECK(m.n == naccepted, "n %u after %u accepted adds", m.n, naccepted);

	ref_normalise();
	memcpy(&saved, &m, sizeof(m));
	enum memmap_err err = memmap_normalise(&m);
	if (nref > MEMMAP_MAX) {
		CHECK(err == MEMMAP_E_FULL,
		      "normalise: %d, but the result "
		      "needs %u entries",
		      err, nref);
		CHECK(memcmp(&saved, &m, sizeof(m)) == 0,
		      "E_FULL changed the map");
		return 0;
	}
	TRACE("normalise: %u entries in, %u out: %s\n", naccepted, m.n,
	      memmap_strerror(err));
	bool any_ram = false;
	uint64_t total = 0, top = 0;
	for (uint32_t i = 0; i < nref; i++) {
		if (ref[i].type != MEMMAP_RAM)
			continue;
		any_ram = true;
		total += ref[i].size;
		top = ref[i].addr + ref[i].size;
	}
	CHECK(err == (any_ram ? MEMMAP_OK : MEMMAP_E_NO_RAM),
	      "normalise: %d, reference has%s RAM", err, any_ram ? "" : " no");
	check_canonical(&m);
	check_equals_ref(&m);
	CHECK(memmap_ram_total(&m) == total, "ram_total %#llx, expected %#llx",
	      (unsigned long long)memmap_ram_total(&m),
	      (unsigned long long)total);
	CHECK(memmap_ram_top(&m) == top, "ram_top %#llx, expected %#llx",
	      (unsigned long long)memmap_ram_top(&m), (unsigned long long)top);

	/* Normalising a canonical map changes nothing. */
	memcpy(&saved, &m, sizeof(m));
	CHECK(memmap_normalise(&saved) == err, "second normalise differs");
	CHECK(saved.n == m.n && memcmp(saved.e, m.e, m.n * sizeof(m.e[0])) == 0,
	      "normalise is not idempotent");

	memmap_busy_init(&b);
	nshadow = 0;
	while (!fin_empty(&in)) {
		uint8_t op = fin_u8(&in);
		const char *w = tags[(op >> 4) & 3];
		switch (op % 5) {
		case 0:
			op_busy_add(&in, &b, w);
			break;
		case 1:
			op_alloc(&in, &m, &b, w);
			break;
		case 2:
			op_remove(&b, w);
			break;
		case 3:
			op_overlap(&in, &b);
			break;
		default:
			op_is_ram(&in, &m);
			break;
		}
		check_shadow(&b);
		TRACE("op %u: %u busy\n", op % 5, b.n);
	}
	return 0;
}
