// SPDX-License-Identifier: MIT
/*
 * paging.c: all RAM must be identity-mapped and writable. Walks the page
 * tables from CR3 over every RAM range of the map (one walk per page, so the
 * whole range is covered), then reads and writes the last byte of the
 * highest RAM below 4 GiB and of the highest RAM above it.
 */
#include "abicheck.h"
#include "cpu.h"

#define MAX_WALKS                                                              \
	(1u << 22) /* bound on the full walk (16 GiB of 4 KiB pages) */

static uint64_t rd_phys(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_rd64(pa);
}

static int five_level(void)
{
	return (entry_regs.cr4 & CR4_LA57) != 0;
}

static const char *page_name(uint64_t size)
{
	return size == GiB ? "1 GiB" : size == 2 * MiB ? "2 MiB" : "4 KiB";
}

/* FAIL unless va translates to itself, writable. Returns 1 if it does. */
static int expect_identity(uint64_t va, struct pt_walk *w)
{
	const char *why = pt_translate(rd_phys, NULL, entry_regs.cr3,
				       five_level(), va, w);

	if (why) {
		check_fail("0x%lx: %s at %s (entry 0x%lx)", va, why, w->level,
			   w->entry);
		return 0;
	}
	if (w->pa != va) {
		check_fail("0x%lx maps to 0x%lx", va, w->pa);
		return 0;
	}
	if (!w->writable) {
		check_fail("0x%lx is read-only", va);
		return 0;
	}
	return 1;
}

/* Check the last RAM byte: identity-mapped, then read, write, read back. */
static void check_last_byte(uint64_t va)
{
	struct pt_walk w;
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)va;
	uint8_t v, inv, back, flip;

	if (!expect_identity(va, &w))
		return;
	v = *p;
	inv = (uint8_t)(v ^ 0xff);
	*p = v;
	back = *p;
	*p = inv; /* and make sure it is really writable memory */
	flip = *p;
	*p = v;
	if (back != v || flip != inv || *p != v)
		check_fail("0x%lx: read 0x%02x, then 0x%02x and 0x%02x "
			   "(wrote 0x%02x)",
			   va, v, back, flip, inv);
	check_info("0x%lx, %s page", va, page_name(w.page_size));
}

void check_identity_map(void)
{
	uint64_t last, walks = 0, pages[3] = { 0, 0, 0 }; /* 4K, 2M, 1G */
	uint64_t high;
	int r;

	check_begin("identity-map");
	if (!ab.map_ok) {
		check_fail("skipped: no usable memory map");
	} else {
		for (size_t i = 0; i < ab.map_n && walks < MAX_WALKS; i++) {
			uint64_t va = ab.map[i].addr, end = mm_end(&ab.map[i]);
			struct pt_walk w;

			if (ab.map[i].type != MEM_RAM)
				continue;
			while (va < end && walks < MAX_WALKS) {
				walks++;
				if (!expect_identity(va, &w))
					break;
				pages[w.page_size == GiB       ? 2
				      : w.page_size == 2 * MiB ? 1
							       : 0]++;
				va = (va & ~(w.page_size - 1)) + w.page_size;
				if (va == 0)
					break; /* wrapped at 2^64 */
			}
		}
		if (walks >= MAX_WALKS)
			check_info("stopped after %u pages", MAX_WALKS);
		check_info("CR3 0x%lx, %d-level, %lu walks ended in 1 GiB "
			   "pages, %lu in 2 MiB, %lu in 4 KiB",
			   entry_regs.cr3, five_level() ? 5 : 4, pages[2],
			   pages[1], pages[0]);
	}
	check_end();

	check_begin("identity-map.low");
	if (!ab.map_ok)
		check_fail("skipped: no usable memory map");
	else if (!mm_highest_ram(ab.map, ab.map_n, 0, &last))
		check_fail("no RAM below 4 GiB");
	else
		check_last_byte(last);
	check_end();

	check_begin("identity-map.high");
	r = ab.map_ok && mm_highest_ram(ab.map, ab.map_n, 1, &high);
	if (!ab.map_ok)
		check_fail("skipped: no usable memory map");
	else if (r)
		check_last_byte(high);
	else if (ab.cmdline && cl_has_word(ab.cmdline, "check.high=1"))
		check_fail("no RAM above 4 GiB, but check.high=1");
	else
		check_info("no RAM above 4 GiB");
	check_end();
}
