// SPDX-License-Identifier: MIT
/*
 * mbinfo.c: the Multiboot 1 and Multiboot 2 information structures (MBI) a
 * kernel gets in EBX, and the checks of what the firmware can provide.
 *
 * Both builders work like pvh_build: one walk lays everything out and
 * measures it (buf NULL), a second walk over a zeroed buffer writes it. The
 * walks are the same code, so the size functions and the builders agree.
 * Every size is checked for overflow, and the whole block must end at or
 * below 4 GiB because every address in it is a u32.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "multiboot.h"
#include "../memmap/efi.h"

#define FOUR_GIB 0x100000000ull
#define ONE_MIB 0x100000ull
#define LOWMEM_END 0xA0000ull /* 640 KiB */

/* Multiboot 1 module entry. */
#define M1_START 0
#define M1_END 4
#define M1_STRING 8
#define M1_RESERVED 12

/* Multiboot 1 mmap entry: the size field, then base, length, type. */
#define MM1_SIZE 0
#define MM1_BASE 4
#define MM1_LENGTH 12
#define MM1_TYPE 20
#define MM1_SIZE_VALUE 20

/* Multiboot 2 tags. */
#define T_TYPE 0
#define T_SIZE 4
#define T_HEAD 8
#define MB2_FIXED 8 /* total_size, reserved */

#define RSDP_REVISION 15
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36

/* ---- Memory ----------------------------------------------------------- */

/* End of the entry, saturated at 2^64 - 1 for hand-made maps. */
static uint64_t entry_end(const struct memmap_entry *e)
{
	if (e->size > UINT64_MAX - e->addr)
		return UINT64_MAX;
	return e->addr + e->size;
}

/* End of the run of RAM that contains `at` (at itself when it is not RAM). */
static uint64_t ram_run_end(const struct memmap *mm, uint64_t at)
{
	bool moved = true;
	const uint32_t n = mm->n < MEMMAP_MAX ? mm->n : MEMMAP_MAX;

	while (moved && at != UINT64_MAX) {
		moved = false;
		for (uint32_t i = 0; i < n; i++) {
			const struct memmap_entry *e = &mm->e[i];
			uint64_t end = entry_end(e);
			if (e->type == MEMMAP_RAM && e->addr <= at &&
			    at < end) {
				at = end;
				moved = true;
			}
		}
	}
	return at;
}

uint32_t mb_mem_lower(const struct memmap *mm)
{
	uint64_t end;

	if (mm == NULL)
		return 0;
	end = ram_run_end(mm, 0);
	if (end > LOWMEM_END)
		end = LOWMEM_END;
	return (uint32_t)(end / 1024);
}

uint32_t mb_mem_upper(const struct memmap *mm)
{
	uint64_t kib;

	if (mm == NULL)
		return 0;
	kib = (ram_run_end(mm, ONE_MIB) - ONE_MIB) / 1024;
	return kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
}

enum mb_err mb_check_modules(const struct mb_module *mods, uint32_t nmods,
			     uint32_t *bad)
{
	if (nmods != 0 && mods == NULL) {
		if (bad != NULL)
			*bad = 0;
		return MB_E_MOD_4G;
	}
	for (uint32_t i = 0; i < nmods; i++) {
		const struct mb_module *m = &mods[i];
		if (m->paddr >= FOUR_GIB || m->size >= FOUR_GIB - m->paddr) {
			if (bad != NULL)
				*bad = i;
			return MB_E_MOD_4G;
		}
	}
	return MB_OK;
}

/* ---- Layout ------------------------------------------------------------ */

/* One walk: buf NULL measures only; ok turns false on any overflow. */
struct walk {
	uint8_t *buf;
	uint64_t pa; /* physical address of buf[0] */
	uint64_t end;
	bool ok;
};

/* Places n bytes at the next multiple of align (a power of two). */
static uint64_t place(struct walk *w, uint64_t n, uint64_t align)
{
	uint64_t at;

	if (!w->ok || w->end > UINT64_MAX - (align - 1)) {
		w->ok = false;
		return 0;
	}
	at = (w->end + align - 1) & ~(align - 1);
	if (n > UINT64_MAX - at) {
		w->ok = false;
		return 0;
	}
	w->end = at + n;
	return at;
}

/* Places a NUL-terminated copy of s; returns its physical address. */
static uint32_t place_str(struct walk *w, const char *s, uint64_t align)
{
	const size_t len = strlen(s);
	uint64_t at = place(w, (uint64_t)len + 1, align);

	if (w->buf != NULL && w->ok)
		memcpy(w->buf + at, s, len + 1);
	return (uint32_t)(w->pa + at);
}

/* The inputs both builders share are sane enough to lay out. */
static bool inputs_ok(const struct memmap *mm, const struct mb_module *mods,
		      uint32_t nmods)
{
	if (mm != NULL && mm->n > MEMMAP_MAX)
		return false;
	return mb_check_modules(mods, nmods, NULL) == MB_OK;
}

static uint32_t mm_count(const struct memmap *mm)
{
	return mm != NULL ? mm->n : 0;
}

/* ---- Multiboot 1 --------------------------------------------------- */

/* True when the MB1 map splits e at 1 MiB (a RAM entry spanning it). */
static bool splits_at_1m(const struct memmap_entry *e)
{
	return e->type == MEMMAP_RAM && e->addr < ONE_MIB &&
	       entry_end(e) > ONE_MIB;
}

static void put_mm1(uint8_t *p, uint64_t base, uint64_t len, uint32_t type)
{
	put_u32(p + MM1_SIZE, MM1_SIZE_VALUE);
	put_u64(p + MM1_BASE, base);
	put_u64(p + MM1_LENGTH, len);
	put_u32(p + MM1_TYPE, type);
}

struct mb1_in {
	const struct memmap *mm;
	const char *cmdline;
	const struct mb_module *mods;
	uint32_t nmods;
};

static void mb1_walk(struct walk *w, const struct mb1_in *in)
{
	const uint32_t n = mm_count(in->mm);
	uint32_t nmm = 0, flags;
	uint64_t info, mmap = 0, mods = 0;
	uint32_t cmdline = 0, name;

	for (uint32_t i = 0; i < n; i++)
		nmm += splits_at_1m(&in->mm->e[i]) ? 2 : 1;

	info = place(w, MB1_INFO_SIZE, 8);
	if (nmm != 0)
		mmap = place(w, (uint64_t)nmm * MB1_MMAP_SIZE, 8);
	if (in->nmods != 0)
		mods = place(w, (uint64_t)in->nmods * MB1_MOD_SIZE, 8);
	if (in->cmdline != NULL)
		cmdline = place_str(w, in->cmdline, 1);
	name = place_str(w, MB_LOADER_NAME, 1);
	for (uint32_t i = 0; i < in->nmods; i++) {
		const struct mb_module *m = &in->mods[i];
		uint32_t str = place_str(w, m->string ? m->string : "", 1);
		if (w->buf != NULL && w->ok) {
			uint8_t *p = w->buf + mods + (uint64_t)i * MB1_MOD_SIZE;
			put_u32(p + M1_START, (uint32_t)m->paddr);
			put_u32(p + M1_END, (uint32_t)(m->paddr + m->size));
			put_u32(p + M1_STRING, str);
			put_u32(p + M1_RESERVED, 0);
		}
	}
	if (w->buf == NULL || !w->ok)
		return;

	uint8_t *p = w->buf + mmap;
	for (uint32_t i = 0; i < n; i++) {
		const struct memmap_entry *e = &in->mm->e[i];
		if (splits_at_1m(e)) {
			put_mm1(p, e->addr, ONE_MIB - e->addr, e->type);
			p += MB1_MMAP_SIZE;
			put_mm1(p, ONE_MIB, entry_end(e) - ONE_MIB, e->type);
		} else {
			put_mm1(p, e->addr, e->size, e->type);
		}
		p += MB1_MMAP_SIZE;
	}

	flags = MB1_INFO_F_MEMORY | MB1_INFO_F_MODS | MB1_INFO_F_LOADER_NAME;
	if (in->cmdline != NULL)
		flags |= MB1_INFO_F_CMDLINE;
	if (nmm != 0)
		flags |= MB1_INFO_F_MMAP;
	p = w->buf + info;
	put_u32(p + MB1_INFO_FLAGS, flags);
	put_u32(p + MB1_INFO_MEM_LOWER, mb_mem_lower(in->mm));
	put_u32(p + MB1_INFO_MEM_UPPER, mb_mem_upper(in->mm));
	put_u32(p + MB1_INFO_CMDLINE, cmdline);
	put_u32(p + MB1_INFO_MODS_COUNT, in->nmods);
	put_u32(p + MB1_INFO_MODS_ADDR,
		in->nmods != 0 ? (uint32_t)(w->pa + mods) : 0);
	put_u32(p + MB1_INFO_MMAP_LENGTH, nmm * MB1_MMAP_SIZE);
	put_u32(p + MB1_INFO_MMAP_ADDR,
		nmm != 0 ? (uint32_t)(w->pa + mmap) : 0);
	put_u32(p + MB1_INFO_LOADER_NAME, name);
}

size_t mb1_info_size(const struct memmap *mm, const char *cmdline,
		     const struct mb_module *mods, uint32_t nmods)
{
	const struct mb1_in in = { mm, cmdline, mods, nmods };
	struct walk w = { NULL, 0, 0, true };

	if (!inputs_ok(mm, mods, nmods))
		return 0;
	mb1_walk(&w, &in);
	if (!w.ok || w.end >= FOUR_GIB)
		return 0;
	return (size_t)w.end;
}

size_t mb1_info_build(uint8_t *buf, size_t cap, uint64_t buf_paddr,
		      const struct memmap *mm, const char *cmdline,
		      const struct mb_module *mods, uint32_t nmods)
{
	const struct mb1_in in = { mm, cmdline, mods, nmods };
	size_t total = mb1_info_size(mm, cmdline, mods, nmods);
	struct walk w = { buf, buf_paddr, 0, true };

	if (buf == NULL || total == 0 || total > cap || buf_paddr % 4 != 0 ||
	    buf_paddr > FOUR_GIB - total)
		return 0;
	memset(buf, 0, total);
	mb1_walk(&w, &in);
	if (!w.ok || w.end != total)
		return 0;
	return total;
}

/* ---- Multiboot 2 --------------------------------------------------- */

static const struct mb2_efi *x_efi(const struct mb2_extra *x)
{
	return x != NULL ? x->efi : NULL;
}

bool mb2_info_provides(uint32_t type, const struct mb2_extra *x)
{
	const struct mb2_efi *efi = x_efi(x);
	const bool rsdp =
		x != NULL && x->rsdp != NULL && x->rsdp_len >= RSDP_V1_LEN;

	switch (type) {
	case MB2_TAG_END: /* always written (a header's zero padding asks) */
	case MB2_TAG_CMDLINE: /* the firmware always passes a command line */
	case MB2_TAG_LOADER_NAME:
	case MB2_TAG_MODULE: /* one per module, none without modules */
	case MB2_TAG_BASIC_MEMINFO:
	case MB2_TAG_MMAP:
		return true;
	case MB2_TAG_ACPI_OLD:
		return rsdp;
	case MB2_TAG_ACPI_NEW:
		return rsdp && x->rsdp[RSDP_REVISION] >= 2 &&
		       x->rsdp_len >= RSDP_V2_LEN;
	case MB2_TAG_EFI64:
		return efi != NULL && efi->system_table != 0;
	case MB2_TAG_EFI_MMAP:
		return efi != NULL && efi->mmap != NULL && efi->mmap_size != 0;
	case MB2_TAG_EFI_BS:
		return efi != NULL && efi->boot_services;
	case MB2_TAG_EFI64_IH:
		return efi != NULL && efi->image_handle != 0;
	case MB2_TAG_LOAD_BASE:
		return x != NULL && x->has_load_base;
	default:
		return false;
	}
}

enum mb_err mb2_check_requests(const struct mb_plan *plan,
			       const struct mb2_extra *x, uint32_t *type)
{
	if (plan->version != 2)
		return MB_OK;
	for (uint32_t i = 0; i < plan->nreq && i < MB2_MAX_REQ; i++) {
		if (!mb2_info_provides(plan->req[i], x)) {
			if (type != NULL)
				*type = plan->req[i];
			return MB_E_MB2_REQ;
		}
	}
	return MB_OK;
}

/*
 * Places a tag of type with body bytes (8-aligned; its size excludes the
 * padding) and writes its head. Returns the offset of the body.
 */
static uint64_t tag(struct walk *w, uint32_t type, uint64_t body)
{
	uint64_t at;

	if (body > UINT32_MAX - T_HEAD) {
		w->ok = false;
		return 0;
	}
	at = place(w, T_HEAD + body, 8);
	if (w->buf != NULL && w->ok) {
		put_u32(w->buf + at + T_TYPE, type);
		put_u32(w->buf + at + T_SIZE, (uint32_t)(T_HEAD + body));
	}
	return at + T_HEAD;
}

/* A tag whose body is bytes [p, p + n) after `pre` bytes of fields. */
static uint64_t tag_bytes(struct walk *w, uint32_t type, uint64_t pre,
			  const void *p, uint64_t n)
{
	uint64_t body;

	if (n > UINT64_MAX - pre) {
		w->ok = false;
		return 0;
	}
	body = tag(w, type, pre + n);
	if (w->buf != NULL && w->ok && n != 0)
		memcpy(w->buf + body + pre, p, (size_t)n);
	return body;
}

/* EFI memory descriptor fields (memmap/efi.h). */
#define ED_TYPE 0x00
#define ED_START 0x08
#define ED_VIRT 0x10
#define ED_PAGES 0x18

/* The types a kernel may take as free memory: placed-on ranges of these
 * become EfiLoaderData in tag 17. */
static bool efi_free_type(uint32_t type)
{
	return type == EFI_MEM_BOOT_CODE || type == EFI_MEM_BOOT_DATA ||
	       type == EFI_MEM_CONVENTIONAL;
}

/* Loader range i rounded out to pages, [*s, *e); false when empty. */
static bool loader_pages(const struct mb2_efi *efi, uint32_t i, uint64_t *s,
			 uint64_t *e)
{
	const struct mb_range *r = &efi->loader[i];
	const uint64_t mask = MEMMAP_EFI_PAGE - 1;
	uint64_t end;

	if (r->size == 0)
		return false;
	end = r->size > UINT64_MAX - r->start ? UINT64_MAX : r->start + r->size;
	*s = r->start & ~mask;
	*e = end > UINT64_MAX - mask ? UINT64_MAX & ~mask
				     : (end + mask) & ~mask;
	return *e > *s;
}

/* Whether a loader range covers the page at `at`. */
static bool efi_marked(const struct mb2_efi *efi, uint64_t at)
{
	uint64_t s, e;

	for (uint32_t i = 0; i < efi->nloader; i++)
		if (loader_pages(efi, i, &s, &e) && s <= at && at < e)
			return true;
	return false;
}

/* The first loader range boundary in (at, end), else end. */
static uint64_t efi_next_cut(const struct mb2_efi *efi, uint64_t at,
			     uint64_t end)
{
	uint64_t s, e;

	for (uint32_t i = 0; i < efi->nloader; i++) {
		if (!loader_pages(efi, i, &s, &e))
			continue;
		if (s > at && s < end)
			end = s;
		if (e > at && e < end)
			end = e;
	}
	return end;
}

/* One descriptor, a copy of d for [start, end) with type; out may be NULL
 * (measuring). */
static void efi_piece(uint8_t *out, const uint8_t *d, uint64_t ds,
		      uint64_t start, uint64_t end, uint32_t type)
{
	uint64_t virt = le64(d + ED_VIRT);

	if (out == NULL)
		return;
	memcpy(out, d, (size_t)ds);
	put_u32(out + ED_TYPE, type);
	put_u64(out + ED_START, start);
	if (virt != 0)
		put_u64(out + ED_VIRT, virt + (start - le64(d + ED_START)));
	put_u64(out + ED_PAGES, (end - start) / MEMMAP_EFI_PAGE);
}

/*
 * Tag 17's descriptors (after descriptor_size and _version): efi's map with
 * the loader ranges marked (struct mb2_efi). Written at out unless it is
 * NULL; returns the bytes either way.
 */
static uint64_t efi_map_out(const struct mb2_efi *efi, uint8_t *out)
{
	const uint64_t ds = efi->desc_size;
	uint64_t n = 0, len = 0;

	if (efi->loader != NULL && efi->nloader != 0 &&
	    ds >= MEMMAP_EFI_DESC_MIN && ds % 8 == 0)
		n = efi->mmap_size / ds;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *d = efi->mmap + i * ds;
		const uint32_t type = le32(d + ED_TYPE);
		const uint64_t a = le64(d + ED_START),
			       pages = le64(d + ED_PAGES);
		uint64_t b = 0, at, run;
		bool run_marked, alone;

		/* Left alone: not free, empty, wrapping, or touched by no
		 * range (then [a, b) is one run, unmarked). */
		alone = !efi_free_type(type) || pages == 0 ||
			pages > (UINT64_MAX - a) / MEMMAP_EFI_PAGE;
		if (!alone) {
			b = a + pages * MEMMAP_EFI_PAGE;
			alone = !efi_marked(efi, a) &&
				efi_next_cut(efi, a, b) == b;
		}
		if (alone) {
			if (out != NULL)
				memcpy(out + len, d, (size_t)ds);
			len += ds;
			continue;
		}
		run = a;
		run_marked = efi_marked(efi, a);
		for (at = efi_next_cut(efi, a, b); at < b;
		     at = efi_next_cut(efi, at, b)) {
			bool m = efi_marked(efi, at);
			if (m == run_marked)
				continue;
			efi_piece(out ? out + len : NULL, d, ds, run, at,
				  run_marked ? EFI_MEM_LOADER_DATA : type);
			len += ds;
			run = at;
			run_marked = m;
		}
		efi_piece(out ? out + len : NULL, d, ds, run, b,
			  run_marked ? EFI_MEM_LOADER_DATA : type);
		len += ds;
	}
	/* The rest (all of it when nothing is marked) as it is. */
	if (out != NULL && efi->mmap_size > n * ds)
		memcpy(out + len, efi->mmap + n * ds,
		       (size_t)(efi->mmap_size - n * ds));
	return len + (efi->mmap_size - n * ds);
}

struct mb2_in {
	const struct memmap *mm;
	const char *cmdline;
	const struct mb_module *mods;
	uint32_t nmods;
	const struct mb2_extra *x;
};

static void mb2_walk(struct walk *w, const struct mb2_in *in)
{
	const struct mb2_extra *x = in->x;
	const struct mb2_efi *efi = x_efi(x);
	const bool wr = w->buf != NULL;
	const uint32_t n = mm_count(in->mm);
	uint64_t fixed, b;

	fixed = place(w, MB2_FIXED, 8);
	if (in->cmdline != NULL)
		tag_bytes(w, MB2_TAG_CMDLINE, 0, in->cmdline,
			  (uint64_t)strlen(in->cmdline) + 1);
	tag_bytes(w, MB2_TAG_LOADER_NAME, 0, MB_LOADER_NAME,
		  sizeof(MB_LOADER_NAME));
	for (uint32_t i = 0; i < in->nmods; i++) {
		const struct mb_module *m = &in->mods[i];
		const char *s = m->string != NULL ? m->string : "";
		b = tag_bytes(w, MB2_TAG_MODULE, 8, s, (uint64_t)strlen(s) + 1);
		if (wr && w->ok) {
			put_u32(w->buf + b, (uint32_t)m->paddr);
			put_u32(w->buf + b + 4, (uint32_t)(m->paddr + m->size));
		}
	}
	b = tag(w, MB2_TAG_BASIC_MEMINFO, 8);
	if (wr && w->ok) {
		put_u32(w->buf + b, mb_mem_lower(in->mm));
		put_u32(w->buf + b + 4, mb_mem_upper(in->mm));
	}
	if (n != 0) {
		b = tag(w, MB2_TAG_MMAP, 8 + (uint64_t)n * MB2_MMAP_ENTRY_SIZE);
		if (wr && w->ok) {
			put_u32(w->buf + b, MB2_MMAP_ENTRY_SIZE);
			put_u32(w->buf + b + 4, 0);
			for (uint32_t i = 0; i < n; i++) {
				const struct memmap_entry *e = &in->mm->e[i];
				uint8_t *p = w->buf + b + 8 +
					     (uint64_t)i * MB2_MMAP_ENTRY_SIZE;
				put_u64(p, e->addr);
				put_u64(p + 8, e->size);
				put_u32(p + 16, e->type);
				put_u32(p + 20, 0);
			}
		}
	}
	if (mb2_info_provides(MB2_TAG_ACPI_OLD, x))
		tag_bytes(w, MB2_TAG_ACPI_OLD, 0, x->rsdp, RSDP_V1_LEN);
	if (mb2_info_provides(MB2_TAG_ACPI_NEW, x))
		tag_bytes(w, MB2_TAG_ACPI_NEW, 0, x->rsdp, x->rsdp_len);
	if (mb2_info_provides(MB2_TAG_EFI64, x)) {
		b = tag(w, MB2_TAG_EFI64, 8);
		if (wr && w->ok)
			put_u64(w->buf + b, efi->system_table);
	}
	if (mb2_info_provides(MB2_TAG_EFI_MMAP, x)) {
		b = tag(w, MB2_TAG_EFI_MMAP, 8 + efi_map_out(efi, NULL));
		if (wr && w->ok) {
			put_u32(w->buf + b, efi->desc_size);
			put_u32(w->buf + b + 4, efi->desc_version);
			efi_map_out(efi, w->buf + b + 8);
		}
	}
	if (mb2_info_provides(MB2_TAG_EFI_BS, x))
		tag(w, MB2_TAG_EFI_BS, 0);
	if (mb2_info_provides(MB2_TAG_EFI64_IH, x)) {
		b = tag(w, MB2_TAG_EFI64_IH, 8);
		if (wr && w->ok)
			put_u64(w->buf + b, efi->image_handle);
	}
	if (mb2_info_provides(MB2_TAG_LOAD_BASE, x)) {
		b = tag(w, MB2_TAG_LOAD_BASE, 4);
		if (wr && w->ok)
			put_u32(w->buf + b, x->load_base);
	}
	tag(w, MB2_TAG_END, 0);
	if (wr && w->ok) {
		put_u32(w->buf + fixed, (uint32_t)w->end);
		put_u32(w->buf + fixed + 4, 0);
	}
}

size_t mb2_info_size(const struct memmap *mm, const char *cmdline,
		     const struct mb_module *mods, uint32_t nmods,
		     const struct mb2_extra *x)
{
	const struct mb2_in in = { mm, cmdline, mods, nmods, x };
	struct walk w = { NULL, 0, 0, true };

	if (!inputs_ok(mm, mods, nmods))
		return 0;
	mb2_walk(&w, &in);
	if (!w.ok || w.end >= FOUR_GIB)
		return 0;
	return (size_t)w.end;
}

size_t mb2_info_build(uint8_t *buf, size_t cap, uint64_t buf_paddr,
		      const struct memmap *mm, const char *cmdline,
		      const struct mb_module *mods, uint32_t nmods,
		      const struct mb2_extra *x)
{
	const struct mb2_in in = { mm, cmdline, mods, nmods, x };
	size_t total = mb2_info_size(mm, cmdline, mods, nmods, x);
	struct walk w = { buf, buf_paddr, 0, true };

	if (buf == NULL || total == 0 || total > cap || buf_paddr % 8 != 0 ||
	    buf_paddr > FOUR_GIB - total)
		return 0;
	memset(buf, 0, total);
	mb2_walk(&w, &in);
	if (!w.ok || w.end != total)
		return 0;
	return total;
}
