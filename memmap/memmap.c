// SPDX-License-Identifier: MIT
/*
 * memmap.c: the physical memory map. Builds the canonical map the firmware
 * hands to the payload (normalise), answers questions about it (RAM total,
 * top, is this range RAM) and carves allocations out of free RAM without
 * touching the ranges the firmware has marked busy.
 *
 * End addresses are exclusive and stored in a uint64_t, so a range that
 * ends exactly at 2^64 cannot be represented: memmap_add and memmap_busy_add
 * reject it with MEMMAP_E_WRAP, as they do any range running past 2^64. The
 * highest byte that can be described is therefore 2^64 - 2, which costs
 * nothing on x86-64 (physical addresses are at most 52 bits wide).
 *
 * There is a single static scratch buffer, so the functions that use it
 * (memmap_normalise and memmap_alloc) are not reentrant. The firmware runs on
 * one CPU without interrupts, so that is fine.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "memmap.h"
#include "../lib/inline.h"

/*
 * A sort item: a 64-bit key and a payload. Normalise uses them as boundary
 * events, memmap_alloc as busy ranges sorted by start.
 */
struct item {
	uint64_t key;
	uint64_t val;
};

/* Room for two events (start and end) per map entry. */
static struct item scratch[2 * MEMMAP_MAX];

_Static_assert(MEMMAP_BUSY_MAX <= 2 * MEMMAP_MAX, "busy ranges fit scratch");

/* Heapsort's step: moves a[root] down until it is no smaller than its
 * children. */
static void sift_down(struct item *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1].key > a[child].key)
			child++;
		if (a[root].key >= a[child].key)
			return;
		struct item t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

/* Sorts by key, ascending, in place, not stable. Short lists (the
 * allocator's few busy ranges, a small map's events) go by insertion,
 * which is less code to run; longer ones by heapsort, O(n log n). */
#define SORT_SHORT 16

static void sort_items(struct item *a, size_t n)
{
	if (n <= SORT_SHORT) {
		for (size_t i = 1; i < n; i++) {
			struct item t = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1].key > t.key; j--)
				a[j] = a[j - 1];
			a[j] = t;
		}
		return;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		struct item t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

/*
 * Overlap ranks: a higher rank wins. RAM < ACPI < NVS < PMEM < RESERVED <
 * UNUSABLE < DISABLED.
 */
#define NRANKS 7

static const uint32_t rank_type[NRANKS] = {
	MEMMAP_RAM,	 MEMMAP_ACPI,	  MEMMAP_NVS,	   MEMMAP_PMEM,
	MEMMAP_RESERVED, MEMMAP_UNUSABLE, MEMMAP_DISABLED,
};

static unsigned int type_rank(uint32_t type)
{
	switch (type) {
	case MEMMAP_RAM:
		return 0;
	case MEMMAP_ACPI:
		return 1;
	case MEMMAP_NVS:
		return 2;
	case MEMMAP_PMEM:
		return 3;
	case MEMMAP_UNUSABLE:
		return 5;
	case MEMMAP_DISABLED:
		return 6;
	default: /* RESERVED and every unknown type */
		return 4;
	}
}

/* Event payload: the rank in the low bits, EV_END set for an end boundary. */
#define EV_END 0x100u
#define EV_RANK_MASK 0xffu

const char *memmap_strerror(enum memmap_err err)
{
	switch (err) {
	case MEMMAP_OK:
		return "success";
	case MEMMAP_E_FULL:
		return "too many memory map entries";
	case MEMMAP_E_WRAP:
		return "memory range wraps past the end of the address space";
	case MEMMAP_E_NO_RAM:
		return "no usable RAM in the memory map";
	case MEMMAP_E_NO_SPACE:
		return "no free RAM for the allocation";
	case MEMMAP_E_BUSY_FULL:
		return "too many busy ranges";
	}
	return "unknown memory map error";
}

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case MEMMAP_RAM:
		return "ram";
	case MEMMAP_RESERVED:
		return "reserved";
	case MEMMAP_ACPI:
		return "acpi";
	case MEMMAP_NVS:
		return "nvs";
	case MEMMAP_UNUSABLE:
		return "unusable";
	case MEMMAP_DISABLED:
		return "disabled";
	case MEMMAP_PMEM:
		return "pmem";
	}
	return "unknown";
}

void memmap_init(struct memmap *m)
{
	m->n = 0;
}

/*
 * True when [addr, addr + size) has an end representable in a uint64_t,
 * i.e. addr + size < 2^64. size 0 always fits.
 */
INLINE bool range_fits(uint64_t addr, uint64_t size)
{
	return size == 0 || size <= UINT64_MAX - addr;
}

/* m->n, clamped so that a corrupt count cannot index past e[]. */
INLINE uint32_t map_count(const struct memmap *m)
{
	return m->n < MEMMAP_MAX ? m->n : MEMMAP_MAX;
}

/* The same for the busy ranges. */
INLINE uint32_t busy_count(const struct memmap_busy *b)
{
	return b->n < MEMMAP_BUSY_MAX ? b->n : MEMMAP_BUSY_MAX;
}

void memmap_copy(struct memmap *dst, const struct memmap *src)
{
	dst->n = map_count(src);
	memcpy(dst->e, src->e, dst->n * sizeof(dst->e[0]));
}

enum memmap_err memmap_add(struct memmap *m, uint64_t addr, uint64_t size,
			   uint32_t type)
{
	if (!range_fits(addr, size))
		return MEMMAP_E_WRAP;
	if (m->n >= MEMMAP_MAX)
		return MEMMAP_E_FULL;
	struct memmap_entry *e = &m->e[m->n++];
	e->addr = addr;
	e->size = size;
	e->type = type;
	e->pad = 0;
	return MEMMAP_OK;
}

/*
 * Output of the sweep: entries are built one at a time in `cur` and flushed
 * when the next segment cannot be merged into it. With out == NULL the sweep
 * only counts; otherwise it writes at most `cap` entries.
 */
struct sweep_out {
	struct memmap_entry *out;
	uint32_t cap;
	uint32_t n; /* entries flushed so far (may exceed cap) */
	bool have_cur;
	bool any_ram;
	struct memmap_entry cur;
};

static void sweep_flush(struct sweep_out *s)
{
	if (!s->have_cur)
		return;
	if (s->out && s->n < s->cap)
		s->out[s->n] = s->cur;
	s->n++;
	s->have_cur = false;
}

static void sweep_emit(struct sweep_out *s, uint64_t start, uint64_t end,
		       uint32_t type)
{
	if (type == MEMMAP_RAM)
		s->any_ram = true;
	if (s->have_cur && s->cur.type == type &&
	    s->cur.addr + s->cur.size == start) {
		s->cur.size += end - start;
		return;
	}
	sweep_flush(s);
	s->cur.addr = start;
	s->cur.size = end - start;
	s->cur.type = type;
	s->cur.pad = 0;
	s->have_cur = true;
}

/*
 * One pass over the sorted events: between two consecutive boundaries the
 * covering entries do not change, and the segment gets the highest rank
 * still open (none: a hole, nothing emitted).
 */
static void sweep(const struct item *ev, size_t nev, struct sweep_out *s)
{
	uint32_t open[NRANKS] = { 0 };
	uint64_t pos = 0;
	int top = -1; /* highest open rank, -1 when none */
	size_t i = 0;

	while (i < nev) {
		uint64_t p = ev[i].key;
		if (top >= 0 && p > pos)
			sweep_emit(s, pos, p, rank_type[top]);
		for (; i < nev && ev[i].key == p; i++) {
			unsigned int r =
				(unsigned int)(ev[i].val & EV_RANK_MASK);
			if (ev[i].val & EV_END)
				open[r]--;
			else
				open[r]++;
		}
		top = NRANKS - 1;
		while (top >= 0 && open[top] == 0)
			top--;
		pos = p;
	}
	sweep_flush(s);
}

/*
 * True when the non-empty entries come in address order and none overlaps
 * the one before: what every VMM and EFI firmware we know hands over.
 * Entries must not wrap (checked first).
 */
static bool in_order(const struct memmap *m)
{
	uint64_t end = 0;

	for (uint32_t i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->e[i];
		if (e->size == 0)
			continue;
		if (e->addr < end)
			return false;
		end = e->addr + e->size;
	}
	return true;
}

/*
 * Normalises an in_order map in one pass, in place: nothing overlaps, so
 * each entry keeps its range; empty ones go, unknown types become
 * RESERVED, and touching neighbours of one type merge. The same result as
 * the sweep, without the sort (test_norm_in_order checks both ways agree).
 */
static enum memmap_err compact(struct memmap *m)
{
	uint32_t k = 0;
	bool any_ram = false;

	for (uint32_t i = 0; i < m->n; i++) {
		struct memmap_entry e = m->e[i];
		if (e.size == 0)
			continue;
		e.type = rank_type[type_rank(e.type)]; /* unknown: RESERVED */
		e.pad = 0;
		any_ram |= e.type == MEMMAP_RAM;
		if (k > 0 && m->e[k - 1].type == e.type &&
		    m->e[k - 1].addr + m->e[k - 1].size == e.addr) {
			m->e[k - 1].size += e.size;
			continue;
		}
		m->e[k++] = e;
	}
	m->n = k;
	return any_ram ? MEMMAP_OK : MEMMAP_E_NO_RAM;
}

enum memmap_err memmap_normalise(struct memmap *m)
{
	size_t nev = 0;

	if (m->n > MEMMAP_MAX)
		return MEMMAP_E_FULL;
	/* Entries written directly (not through memmap_add) may still wrap. */
	for (uint32_t i = 0; i < m->n; i++)
		if (!range_fits(m->e[i].addr, m->e[i].size))
			return MEMMAP_E_WRAP;
	if (in_order(m))
		return compact(m);

	for (uint32_t i = 0; i < m->n; i++) {
		const struct memmap_entry *e = &m->e[i];
		if (e->size == 0)
			continue;
		uint64_t rank = type_rank(e->type);
		scratch[nev].key = e->addr;
		scratch[nev].val = rank;
		nev++;
		scratch[nev].key = e->addr + e->size;
		scratch[nev].val = rank | EV_END;
		nev++;
	}
	sort_items(scratch, nev);

	/* Count first, so that m is untouched when the result does not fit. */
	struct sweep_out s = { 0 };
	sweep(scratch, nev, &s);
	if (s.n > MEMMAP_MAX)
		return MEMMAP_E_FULL;

	/*
	 * The events no longer refer to m, so the second pass can write the
	 * result straight into it.
	 */
	memset(&s, 0, sizeof(s));
	s.out = m->e;
	s.cap = MEMMAP_MAX;
	sweep(scratch, nev, &s);
	m->n = s.n;

	/* The normalised map is kept even when it has no RAM. */
	return s.any_ram ? MEMMAP_OK : MEMMAP_E_NO_RAM;
}

uint64_t memmap_ram_total(const struct memmap *m)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < map_count(m); i++) {
		if (m->e[i].type != MEMMAP_RAM)
			continue;
		/* Cannot overflow in a normalised map; saturate otherwise. */
		if (m->e[i].size > UINT64_MAX - total)
			return UINT64_MAX;
		total += m->e[i].size;
	}
	return total;
}

uint64_t memmap_ram_top(const struct memmap *m)
{
	uint64_t top = 0;

	for (uint32_t i = 0; i < map_count(m); i++) {
		const struct memmap_entry *e = &m->e[i];
		if (e->type != MEMMAP_RAM || e->size == 0 ||
		    !range_fits(e->addr, e->size))
			continue;
		if (e->addr + e->size > top)
			top = e->addr + e->size;
	}
	return top;
}

/* Index of the last entry with addr <= a, or -1 (m sorted by address). */
static int64_t find_entry(const struct memmap *m, uint64_t a)
{
	uint32_t lo = 0, hi = map_count(m); /* answer + 1 lies in [lo, hi] */

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->e[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)lo - 1;
}

bool memmap_is_ram(const struct memmap *m, uint64_t addr, uint64_t size)
{
	if (size == 0)
		return true;
	if (!range_fits(addr, size))
		return false;

	uint64_t end = addr + size;
	uint64_t cur = addr;
	int64_t i = find_entry(m, addr);
	if (i < 0)
		return false;

	/* Walk contiguous RAM entries (a merged map needs only one). */
	for (uint32_t k = (uint32_t)i; k < map_count(m); k++) {
		const struct memmap_entry *e = &m->e[k];
		if (e->type != MEMMAP_RAM || e->addr > cur ||
		    !range_fits(e->addr, e->size))
			return false;
		uint64_t e_end = e->addr + e->size;
		if (e_end <= cur)
			return false;
		if (e_end >= end)
			return true;
		cur = e_end;
	}
	return false;
}

enum memmap_err memmap_reserve(struct memmap *m, uint64_t addr, uint64_t size)
{
	/* The usual case, a range strictly inside one RAM entry (the
	 * firmware's allocations come from RAM and stay clear of its ends
	 * when something is busy above them): split that entry in three.
	 * Nothing merges, since RAM lies on both sides. */
	int64_t i = size && range_fits(addr, size) ? find_entry(m, addr) : -1;
	if (i >= 0 && m->n <= MEMMAP_MAX - 2) {
		struct memmap_entry *e = &m->e[i];
		uint64_t end = e->addr + e->size;
		if (e->type == MEMMAP_RAM && addr > e->addr &&
		    addr + size < end) {
			memmove(e + 3, e + 1,
				(m->n - (uint32_t)i - 1) * sizeof(*e));
			e[0].size = addr - e->addr;
			e[1] = (struct memmap_entry){ addr, size,
						      MEMMAP_RESERVED, 0 };
			e[2] = (struct memmap_entry){ addr + size,
						      end - addr - size,
						      MEMMAP_RAM, 0 };
			m->n += 2;
			return MEMMAP_OK;
		}
	}
	/* The general way: append, then normalise. When that fails (but for
	 * MEMMAP_E_NO_RAM, whose result is the normalised map) the appended
	 * entry goes again, so that m is unchanged. */
	uint32_t n = m->n;
	enum memmap_err err = memmap_add(m, addr, size, MEMMAP_RESERVED);
	if (err == MEMMAP_OK)
		err = memmap_normalise(m);
	if (err != MEMMAP_OK && err != MEMMAP_E_NO_RAM)
		m->n = n;
	return err;
}

void memmap_busy_init(struct memmap_busy *b)
{
	b->n = 0;
}

/*
 * A size of 0 adds nothing (an empty range never overlaps anything) and
 * succeeds, like memmap_add.
 */
enum memmap_err memmap_busy_add(struct memmap_busy *b, uint64_t start,
				uint64_t size, const char *what)
{
	if (!range_fits(start, size))
		return MEMMAP_E_WRAP;
	if (size == 0)
		return MEMMAP_OK;
	if (b->n >= MEMMAP_BUSY_MAX)
		return MEMMAP_E_BUSY_FULL;
	struct memmap_busy_range *r = &b->r[b->n++];
	r->start = start;
	r->end = start + size;
	r->what = what;
	return MEMMAP_OK;
}

void memmap_busy_remove(struct memmap_busy *b, const char *what)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < busy_count(b); i++)
		if (b->r[i].what != what)
			b->r[kept++] = b->r[i];
	b->n = kept;
}

/*
 * A query that runs past 2^64 is treated as reaching the top of the address
 * space, which can only report more overlaps, never fewer.
 */
const struct memmap_busy_range *
memmap_busy_overlap(const struct memmap_busy *b, uint64_t start, uint64_t size)
{
	if (size == 0)
		return NULL;
	uint64_t last =
		size - 1 > UINT64_MAX - start ? UINT64_MAX : start + (size - 1);

	for (uint32_t i = 0; i < busy_count(b); i++) {
		const struct memmap_busy_range *r = &b->r[i];
		/* Inclusive last byte, so that no end needs to be 2^64. */
		if (r->start < r->end && r->start <= last && start < r->end)
			return r;
	}
	return NULL;
}

/*
 * Searches the RAM run [lo, hi) for the highest aligned slot. busy[0..nb)
 * holds the busy ranges sorted by start (key) with val replaced by the
 * largest end among busy[0..i], so "does any range starting below x end
 * above y" is one comparison.
 *
 * Candidates only move down. When the slot at A collides, some range q with
 * q.start <= s (s = the highest busy start below A + size) ends above A, so
 * every slot A' <= A with A' + size > s overlaps q too: the next candidate
 * must end at or below s. Each busy range is passed at most once per run.
 */
static bool alloc_in_run(const struct item *busy, size_t nb, uint64_t lo,
			 uint64_t hi, uint64_t size, uint64_t align,
			 uint64_t *out)
{
	if (hi <= lo || hi - lo < size)
		return false;

	/* idx = number of busy ranges starting below hi. */
	size_t a = 0, c = nb;
	while (a < c) {
		size_t mid = a + (c - a) / 2;
		if (busy[mid].key < hi)
			a = mid + 1;
		else
			c = mid;
	}
	size_t idx = a;

	uint64_t top = hi;
	for (;;) {
		if (top <= lo || top - lo < size)
			return false;
		uint64_t cand = (top - size) & ~(align - 1);
		if (cand < lo)
			return false;
		/* Drop ranges lying wholly above the slot. */
		while (idx > 0 && busy[idx - 1].key >= cand + size)
			idx--;
		if (idx == 0 || busy[idx - 1].val <= cand) {
			*out = cand;
			return true;
		}
		top = busy[idx - 1].key;
		idx--;
	}
}

/*
 * The same search from the bottom: the lowest aligned slot in [lo, hi).
 * Candidates only move up. When the slot at A collides, the ranges starting
 * below A + size reach up to e (their largest end, busy[idx - 1].val) and
 * one of them ends above A, so every slot A' in [A, e) overlaps it: the
 * next candidate starts at or above e.
 */
static bool alloc_low_in_run(const struct item *busy, size_t nb, uint64_t lo,
			     uint64_t hi, uint64_t size, uint64_t align,
			     uint64_t *out)
{
	size_t idx = 0; /* number of busy ranges starting below cand + size */
	uint64_t from = lo;
	for (;;) {
		uint64_t cand = (from + (align - 1)) & ~(align - 1);
		if (cand < from || cand >= hi || hi - cand < size)
			return false;
		while (idx < nb && busy[idx].key < cand + size)
			idx++;
		if (idx == 0 || busy[idx - 1].val <= cand) {
			*out = cand;
			return true;
		}
		from = busy[idx - 1].val;
	}
}

/* A run of RAM: [lo, hi). */
struct run {
	uint64_t lo, hi;
};

INLINE bool ram_entry(const struct memmap_entry *e)
{
	return e->type == MEMMAP_RAM && e->size != 0 &&
	       range_fits(e->addr, e->size);
}

/*
 * The next RAM run of a normalised map: from entry *i up, or from entry
 * *i - 1 down. Contiguous RAM entries (only possible in a map that was not
 * merged) are joined into one run. *i moves past the run; false when no
 * RAM entry is left in that direction.
 */
static bool next_run(const struct memmap *m, uint32_t *i, bool up,
		     struct run *r)
{
	uint32_t n = map_count(m);
	if (up) {
		while (*i < n && !ram_entry(&m->e[*i]))
			++*i;
		if (*i == n)
			return false;
		r->lo = m->e[*i].addr;
		r->hi = r->lo + m->e[*i].size;
		for (++*i;
		     *i < n && ram_entry(&m->e[*i]) && m->e[*i].addr == r->hi;
		     ++*i)
			r->hi += m->e[*i].size;
	} else {
		while (*i > 0 && !ram_entry(&m->e[*i - 1]))
			--*i;
		if (*i == 0)
			return false;
		--*i;
		r->lo = m->e[*i].addr;
		r->hi = r->lo + m->e[*i].size;
		for (; *i > 0 && ram_entry(&m->e[*i - 1]) &&
		       m->e[*i - 1].addr + m->e[*i - 1].size == r->lo;
		     --*i)
			r->lo = m->e[*i - 1].addr;
	}
	return true;
}

static enum memmap_err alloc(const struct memmap *m, struct memmap_busy *b,
			     uint64_t size, uint64_t align, uint64_t min,
			     uint64_t max_end, const char *what, bool lowest,
			     uint64_t *out)
{
	/* A zero or non-power-of-two alignment cannot be satisfied. */
	if (size == 0 || align == 0 || (align & (align - 1)) != 0)
		return MEMMAP_E_NO_SPACE;
	/* Checked first: a slot found could not be recorded. */
	if (b->n >= MEMMAP_BUSY_MAX)
		return MEMMAP_E_BUSY_FULL;
	if (min >= max_end || max_end - min < size)
		return MEMMAP_E_NO_SPACE;

	size_t nb = 0;
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->r[i].start >= b->r[i].end)
			continue;
		scratch[nb].key = b->r[i].start;
		scratch[nb].val = b->r[i].end;
		nb++;
	}
	sort_items(scratch, nb);
	for (size_t i = 1; i < nb; i++)
		if (scratch[i].val < scratch[i - 1].val)
			scratch[i].val = scratch[i - 1].val;

	/* Over the RAM runs, from the top or from the bottom. */
	uint32_t i = lowest ? 0 : map_count(m);
	struct run r;
	while (next_run(m, &i, lowest, &r)) {
		uint64_t lo = r.lo < min ? min : r.lo;
		uint64_t hi = r.hi > max_end ? max_end : r.hi;
		uint64_t a;
		if (lowest ? alloc_low_in_run(scratch, nb, lo, hi, size, align,
					      &a)
			   : alloc_in_run(scratch, nb, lo, hi, size, align,
					  &a)) {
			enum memmap_err err = memmap_busy_add(b, a, size, what);
			if (err != MEMMAP_OK)
				return err;
			*out = a;
			return MEMMAP_OK;
		}
	}
	return MEMMAP_E_NO_SPACE;
}

enum memmap_err memmap_alloc(const struct memmap *m, struct memmap_busy *b,
			     uint64_t size, uint64_t align, uint64_t min,
			     uint64_t max_end, const char *what, uint64_t *out)
{
	return alloc(m, b, size, align, min, max_end, what, false, out);
}

enum memmap_err memmap_alloc_low(const struct memmap *m, struct memmap_busy *b,
				 uint64_t size, uint64_t align, uint64_t min,
				 uint64_t max_end, const char *what,
				 uint64_t *out)
{
	return alloc(m, b, size, align, min, max_end, what, true, out);
}
