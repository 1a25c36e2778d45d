// SPDX-License-Identifier: MIT
/* desc.c: GDT descriptor decoding and checks of pvhcheck (see desc.h). */
#include "desc.h"

/* Type bits of code/data descriptors (S = 1). */
#define T_ACCESSED 0x1
#define T_WRITABLE 0x2	  /* data */
#define T_READABLE 0x2	  /* code */
#define T_EXPAND_DOWN 0x4 /* data */
#define T_CODE 0x8

#define TYPE_TSS32_AVAIL 0x9
#define TYPE_TSS32_BUSY 0xB
#define FLAT_LIMIT 0xFFFFFFFFu

void desc_decode(uint64_t d, struct seg_desc *o)
{
	o->raw_limit = (uint32_t)((d & 0xFFFF) | ((d >> 32) & 0xF0000));
	o->base = (uint32_t)(((d >> 16) & 0xFFFFFF) | ((d >> 32) & 0xFF000000));
	o->type = (uint8_t)((d >> 40) & 0xF);
	o->s = (uint8_t)((d >> 44) & 1);
	o->dpl = (uint8_t)((d >> 45) & 3);
	o->p = (uint8_t)((d >> 47) & 1);
	o->l = (uint8_t)((d >> 53) & 1);
	o->db = (uint8_t)((d >> 54) & 1);
	o->g = (uint8_t)((d >> 55) & 1);
	o->limit = o->g ? (o->raw_limit << 12) | 0xFFF : o->raw_limit;
}

const char *desc_lookup(const uint8_t *gdt, size_t copied, uint16_t limit,
			uint32_t sel, uint64_t *d)
{
	size_t off = sel & 0xFFF8u;
	uint64_t v = 0;

	if (sel & 4)
		return "selector points into the LDT";
	if (off == 0)
		return "null selector";
	if (off + 7 > limit)
		return "selector beyond the GDT limit";
	if (off + 8 > copied)
		return "selector beyond the copied GDT";
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | gdt[off + (size_t)i];
	*d = v;
	return NULL;
}

static const char *const problem_names[DP_COUNT] = {
	"not present",
	"system descriptor",
	"not code",
	"not readable",
	"not data",
	"not writable",
	"expand-down",
	"not 32-bit (D/B = 0)",
	"64-bit (L = 1)",
	"base not 0",
	"limit not 4 GiB",
	"not a busy 32-bit TSS (type 0xB)",
	"TSS limit below 0x67",
	"not an available 32-bit TSS (type 0x9)",
	"TSS limit not 0x67",
};

const char *desc_problem_name(unsigned bit)
{
	return bit < DP_COUNT ? problem_names[bit] : "?";
}

char *desc_problems(unsigned problems, char *buf, size_t size)
{
	size_t n = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned b = 0; b < DP_COUNT; b++) {
		const char *s;

		if (!(problems & (1u << b)))
			continue;
		if (n && n + 2 < size) {
			buf[n++] = ',';
			buf[n++] = ' ';
		}
		for (s = problem_names[b]; *s && n + 1 < size; s++)
			buf[n++] = *s;
		buf[n] = '\0';
	}
	return buf;
}

static unsigned flat_problems(const struct seg_desc *s)
{
	unsigned p = 0;

	if (s->base != 0)
		p |= DP_BASE;
	if (s->limit != FLAT_LIMIT)
		p |= DP_LIMIT;
	if (!s->db)
		p |= DP_NOT_32BIT;
	return p;
}

unsigned desc_check_code32(uint64_t d)
{
	struct seg_desc s;
	unsigned p = 0;

	desc_decode(d, &s);
	if (!s.p)
		p |= DP_NOT_PRESENT;
	if (!s.s)
		return p | DP_SYSTEM;
	if (!(s.type & T_CODE))
		return p | DP_NOT_CODE;
	if (!(s.type & T_READABLE))
		p |= DP_NOT_READABLE;
	if (s.l)
		p |= DP_LONG;
	return p | flat_problems(&s);
}

unsigned desc_check_data32(uint64_t d)
{
	struct seg_desc s;
	unsigned p = 0;

	desc_decode(d, &s);
	if (!s.p)
		p |= DP_NOT_PRESENT;
	if (!s.s)
		return p | DP_SYSTEM;
	if (s.type & T_CODE)
		return p | DP_NOT_DATA;
	if (!(s.type & T_WRITABLE))
		p |= DP_NOT_WRITABLE;
	if (s.type & T_EXPAND_DOWN)
		p |= DP_EXPAND_DOWN;
	return p | flat_problems(&s);
}

unsigned desc_check_tss32(uint64_t d)
{
	struct seg_desc s;
	unsigned p = 0;

	desc_decode(d, &s);
	if (!s.p)
		p |= DP_NOT_PRESENT;
	if (s.s || s.type != TYPE_TSS32_BUSY)
		p |= DP_NOT_TSS32_BUSY;
	if (s.limit < TSS32_MIN_LIMIT)
		p |= DP_TSS_LIMIT;
	if (s.base != 0) /* the PVH ABI: base 0, limit 0x67 */
		p |= DP_BASE;
	return p;
}

unsigned desc_check_pvhfw_tss(uint64_t d, int busy)
{
	struct seg_desc s;
	unsigned p = 0;

	desc_decode(d, &s);
	if (!s.p)
		p |= DP_NOT_PRESENT;
	if (busy && (s.s || s.type != TYPE_TSS32_BUSY))
		p |= DP_NOT_TSS32_BUSY;
	if (!busy && (s.s || s.type != TYPE_TSS32_AVAIL))
		p |= DP_NOT_TSS32_AVAIL;
	if (s.base != 0)
		p |= DP_BASE;
	if (s.limit != TSS32_MIN_LIMIT)
		p |= DP_TSS_NOT_67;
	return p;
}
