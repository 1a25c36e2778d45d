// SPDX-License-Identifier: MIT
/* logic.c: the hardware-free checks of abicheck (see logic.h). */
#include "logic.h"

#define GiB (1ull << 30)
#define FOUR_GiB (4ull << 30)

uint64_t mm_end(const struct mm_entry *e)
{
	uint64_t end = e->addr + e->size;

	return end < e->addr ? UINT64_MAX : end;
}

int mm_check_order(const struct mm_entry *m, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].addr + m[i].size < m[i].addr) {
			*why = "entry wraps past 2^64";
			return (int)i;
		}
		if (i == 0)
			continue;
		if (m[i].addr < m[i - 1].addr) {
			*why = "not sorted by address";
			return (int)i;
		}
		if (m[i].addr < m[i - 1].addr + m[i - 1].size) {
			*why = "overlaps the previous entry";
			return (int)i;
		}
	}
	return -1;
}

int mm_covered(const struct mm_entry *m, size_t n, uint64_t start, uint64_t end,
	       uint32_t typemask, uint64_t *gap)
{
	uint64_t cur = start;

	if (end < start) {
		*gap = start;
		return 0;
	}
	while (cur < end) {
		size_t i;

		for (i = 0; i < n; i++) {
			if (m[i].type >= 32 || !(typemask & MM_TYPE(m[i].type)))
				continue;
			if (m[i].addr <= cur && cur < mm_end(&m[i]))
				break;
		}
		if (i == n) {
			*gap = cur;
			return 0;
		}
		if (mm_end(&m[i]) == UINT64_MAX)
			return 1;
		cur = mm_end(&m[i]);
	}
	return 1;
}

int mm_highest_ram(const struct mm_entry *m, size_t n, int above4g,
		   uint64_t *last)
{
	int found = 0;
	uint64_t best = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t end = mm_end(&m[i]);

		if (m[i].type != 1 || m[i].size == 0)
			continue;
		if (above4g) {
			if (end <= FOUR_GiB)
				continue;
		} else {
			if (m[i].addr >= FOUR_GiB)
				continue;
			if (end > FOUR_GiB)
				end = FOUR_GiB;
		}
		if (!found || end - 1 > best)
			best = end - 1;
		found = 1;
	}
	if (found)
		*last = best;
	return found;
}

uint64_t mm_total(const struct mm_entry *m, size_t n, uint32_t type)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		if (m[i].type == type)
			sum += m[i].size;
	return sum;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Step to the next word: *len = its length, NULL at the end. */
static const char *next_word(const char *p, size_t *len)
{
	size_t n = 0;

	while (*p && is_space(*p))
		p++;
	if (!*p)
		return NULL;
	while (p[n] && !is_space(p[n]))
		n++;
	*len = n;
	return p;
}

static int prefix_eq(const char *w, size_t wlen, const char *s, size_t slen)
{
	if (wlen < slen)
		return 0;
	for (size_t i = 0; i < slen; i++)
		if (w[i] != s[i])
			return 0;
	return 1;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int cl_has_word(const char *cl, const char *word)
{
	size_t wl = str_len(word), len;

	for (const char *w = next_word(cl, &len); w;
	     w = next_word(w + len, &len))
		if (len == wl && prefix_eq(w, len, word, wl))
			return 1;
	return 0;
}

static int parse_u64(const char *s, size_t n, uint64_t *val)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*val = v;
	return 1;
}

int cl_value(const char *cl, const char *key, uint64_t *val)
{
	size_t kl = str_len(key), len;
	int result = 0;

	for (const char *w = next_word(cl, &len); w;
	     w = next_word(w + len, &len)) {
		if (len > kl && prefix_eq(w, len, key, kl) && w[kl] == '=')
			result = parse_u64(w + kl + 1, len - kl - 1, val);
	}
	return result;
}

const char *cl_find_prefix(const char *cl, const char *prefix, size_t *len)
{
	size_t pl = str_len(prefix);

	for (const char *w = next_word(cl, len); w;
	     w = next_word(w + *len, len))
		if (prefix_eq(w, *len, prefix, pl))
			return w;
	return NULL;
}

const char *cl_next_word(const char *p, size_t *len)
{
	return next_word(p, len);
}

enum cl_word_kind cl_check_word(const char *cl, const char *w, size_t len,
				const struct cl_check_word *known,
				const struct cl_check_word **entry)
{
	static const char check[] = "check.";

	*entry = NULL;
	if (!prefix_eq(w, len, check, sizeof(check) - 1))
		return CL_WORD_OTHER;
	for (const struct cl_check_word *k = known; k->word; k++) {
		size_t kl = str_len(k->word);
		int key = kl && k->word[kl - 1] == '=';

		if (key ? len > kl && prefix_eq(w, len, k->word, kl)
			: len == kl && prefix_eq(w, len, k->word, kl)) {
			*entry = k;
			if (k->needs && !cl_has_word(cl, k->needs))
				return CL_WORD_NEEDS;
			return CL_WORD_KNOWN;
		}
	}
	return CL_WORD_UNKNOWN;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

const char *rsdp_check(const uint8_t *p, unsigned *rev, uint32_t *len)
{
	static const char sig[8] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };

	*rev = 0;
	*len = 20;
	for (int i = 0; i < 8; i++)
		if (p[i] != (uint8_t)sig[i])
			return "signature is not \"RSD PTR \"";
	*rev = p[15];
	if (sum8(p, 20) != 0)
		return "checksum over the first 20 bytes is not 0";
	if (*rev < 2)
		return NULL;
	*len = (uint32_t)p[20] | (uint32_t)p[21] << 8 | (uint32_t)p[22] << 16 |
	       (uint32_t)p[23] << 24;
	if (*len < 36)
		return "revision >= 2 but length < 36";
	if (*len > 4096)
		return "revision >= 2 but length > 4096";
	if (sum8(p, *len) != 0)
		return "extended checksum over length bytes is not 0";
	return NULL;
}

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000FFFFFFFFFF000ull

const char *pt_translate(pt_read_fn rd, void *ctx, uint64_t cr3, int five_level,
			 uint64_t va, struct pt_walk *w)
{
	static const char *const names[] = { "PT", "PD", "PDPT", "PML4",
					     "PML5" };
	int top = five_level ? 4 : 3;
	uint64_t table = cr3 & PTE_ADDR;

	w->pa = 0;
	w->page_size = 0;
	w->writable = 1;
	w->level = names[top];
	w->entry = 0;
	if (va >> (five_level ? 56 : 47))
		return "address is beyond the canonical lower half";
	for (int lvl = top; lvl >= 0; lvl--) {
		unsigned shift = 12 + 9 * (unsigned)lvl;
		uint64_t idx = (va >> shift) & 511;
		uint64_t e = rd(ctx, table + idx * 8);

		w->level = names[lvl];
		w->entry = e;
		if (!(e & PTE_P))
			return "not present";
		if (!(e & PTE_RW))
			w->writable = 0;
		if (lvl == 0 || (e & PTE_PS)) {
			uint64_t size = 1ull << shift;

			if (lvl > 2)
				return "PS set in a PML4/PML5 entry";
			w->page_size = size;
			w->pa = (e & PTE_ADDR & ~(size - 1)) |
				(va & (size - 1));
			return NULL;
		}
		table = e & PTE_ADDR;
	}
	return "walk did not end"; /* not reached */
}

/* Visit the table at pa (level lvl: 0 PT .. 4 PML5) and what it points to. */
static int pt_visit(pt_read_fn rd, void *ctx, uint64_t pa, int lvl,
		    pt_page_fn fn, long max, long *count)
{
	static const char *const names[] = { "PT", "PD", "PDPT", "PML4",
					     "PML5" };

	if (++*count > max)
		return -1;
	fn(ctx, pa, names[lvl]);
	if (lvl == 0)
		return 0;
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t e = rd(ctx, pa + i * 8);

		/* A leaf (PS in a PD or PDPT), or PS where it is invalid,
		 * which pt_translate reports: no table behind it. */
		if (!(e & PTE_P) || (e & PTE_PS))
			continue;
		if (pt_visit(rd, ctx, e & PTE_ADDR, lvl - 1, fn, max, count))
			return -1;
	}
	return 0;
}

long pt_tables(pt_read_fn rd, void *ctx, uint64_t cr3, int five_level,
	       pt_page_fn fn, long max)
{
	long count = 0;

	if (pt_visit(rd, ctx, cr3 & PTE_ADDR, five_level ? 4 : 3, fn, max,
		     &count))
		return -1;
	return count;
}

int mm_find(const struct mm_entry *m, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].addr <= addr && addr < mm_end(&m[i]))
			return (int)i;
	return -1;
}

int mm_check_normalised(const struct mm_entry *m, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].size == 0) {
			*why = "empty entry";
			return (int)i;
		}
		if (m[i].type < 1 || m[i].type > 7) {
			*why = "type outside 1-7";
			return (int)i;
		}
		if (i && m[i].type == m[i - 1].type &&
		    m[i].addr == mm_end(&m[i - 1])) {
			*why = "touches the previous entry, of the same type "
			       "(not merged)";
			return (int)i;
		}
	}
	return -1;
}

int mm_parse_ranges(const char *s, size_t n, struct mm_entry *out, size_t max,
		    const char **why)
{
	size_t count = 0, i = 0;

	while (i < n) {
		size_t a = i, dash = 0, b;
		uint64_t start, end;

		while (i < n && s[i] != ',') {
			if (s[i] == '-' && !dash)
				dash = i;
			i++;
		}
		b = i++; /* past the comma */
		if (!dash || parse_u64(s + a, dash - a, &start) < 0 ||
		    parse_u64(s + dash + 1, b - dash - 1, &end) < 0) {
			*why = "not START-END[,START-END]... (decimal or 0x "
			       "hex)";
			return -1;
		}
		if (end <= start) {
			*why = "a range whose END is not above its START";
			return -1;
		}
		if (count && start < mm_end(&out[count - 1])) {
			*why = "ranges not sorted, or overlapping";
			return -1;
		}
		if (count == max) {
			*why = "too many ranges";
			return -1;
		}
		out[count++] = (struct mm_entry){ start, end - start, 1 };
		if (b + 1 == n) { /* a trailing comma */
			*why = "not START-END[,START-END]... (decimal or 0x "
			       "hex)";
			return -1;
		}
	}
	if (!count)
		*why = "no range";
	return count ? (int)count : -1;
}

const char *mm_lost_ram(const struct mm_entry *m, size_t n,
			const struct mm_entry *vmm, size_t vn, uint64_t *start,
			uint64_t *end, uint64_t *at)
{
	int have = 0;
	uint64_t gap;

	*start = *end = *at = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].type != 1 || m[i].size == 0)
			continue;
		if (!mm_covered(vmm, vn, m[i].addr, mm_end(&m[i]), MM_TYPE(1),
				&gap)) {
			*at = gap;
			return "RAM that the VMM's map does not have";
		}
	}
	/* Each piece of vmm that m's RAM does not cover, in address order. */
	for (size_t v = 0; v < vn; v++) {
		uint64_t cur = vmm[v].addr, top = mm_end(&vmm[v]);

		while (cur < top) {
			uint64_t next = top;
			int ram = 0;

			for (size_t i = 0; i < n; i++) {
				if (m[i].type != 1 || m[i].size == 0)
					continue;
				if (m[i].addr <= cur && cur < mm_end(&m[i])) {
					ram = 1;
					next = mm_end(&m[i]);
					break;
				}
				if (m[i].addr > cur && m[i].addr < next)
					next = m[i].addr;
			}
			if (next > top)
				next = top;
			if (!ram) {
				if (have && cur != *end) {
					*at = cur;
					return "a second range of the VMM's "
					       "RAM is not RAM";
				}
				if (!have)
					*start = cur;
				have = 1;
				*end = next;
			}
			cur = next;
		}
	}
	if (!have) {
		*at = UINT64_MAX;
		return "none of the VMM's RAM is reserved (the handoff area "
		       "must be)";
	}
	if (!mm_covered(m, n, *start, *end, MM_TYPE(2), &gap)) {
		*at = gap;
		return "RAM of the VMM's that is now neither RAM nor reserved";
	}
	return NULL;
}
