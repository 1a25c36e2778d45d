// SPDX-License-Identifier: MIT
/*
 * relaunch: a PVH payload that starts fw.elf a second time, with a
 * start_info of its own making. The boot tests use it to hand fw.elf what
 * QEMU cannot: a memory map of more than 128 entries (Linux's boot_params
 * holds 128 E820 entries; the rest must come in a SETUP_E820_EXT node).
 *
 * It is 32-bit C run where fw.elf enters PVH payloads (protected mode,
 * paging off), so it can jump to fw.elf's own PVH entry as it is.
 *   - Its module 0 is fw.elf (an ELF64, read by elfload/elf.c): each
 *     PT_LOAD is copied to its physical address and the rest of p_memsz
 *     zeroed; e_entry is the 32-bit PVH entry.
 *   - Its other modules become the new fw.elf's modules 0, 1, ...
 *   - Its command line is passed on, with "relaunch." at the start of a
 *     word turned into "fw." (the first fw.elf keeps fw. words for itself).
 *   - The memory map is the one it got, with the RAM from 512 MiB split into
 *     RELAUNCH_PAIRS pairs of 8 KiB RAM and 4 KiB reserved
 *     (relaunch.pairs=0xHEX: that many, 1 to 0xff).
 *   - relaunch.reverse hands the map over in descending order (fw.elf must
 *     sort it: QEMU's maps are always in order); relaunch.ram=0xHEX adds
 *     the 4 KiB page there as RAM, last (say a device's registers, which
 *     a broken VMM could call RAM); relaunch.rsdp=0xHEX hands
 *     over that rsdp_paddr instead of the one it got (0: none);
 *     relaunch.rsdp-at=0xHEX copies the RSDP it got there (RAM, unlike
 *     where VMMs put it) and hands that address over;
 *     relaunch.rsdplen=0xHEX hands over a revision 2 RSDP of that length
 *     (36 to 4096), the first 20 bytes the one it got, the XSDT 0, zeroes
 *     to the end, both checksums right, in the reserved page of a map
 *     split into one pair only (QEMU's map and that page; fw.elf leaves
 *     reserved memory alone, as where ACPI tables are);
 *     relaunch.efer=0xHEX and relaunch.eflags=0xHEX enter fw.elf with that
 *     EFER (NXE, SCE) or EFLAGS (NT, AC; with relaunch.profile= too):
 *     what a VMM or an earlier loader may leave set, which QEMU never
 *     does; relaunch.dirty enters it with the rest of the state
 *     docs/abi.md says the firmware resets left dirty (an LDT, debug
 *     registers, CR2, the APIC's TPR, so CR8, PAT, the SYSCALL/SYSENTER
 *     MSRs and KERNEL_GS_BASE, x87 and XMM values);
 *     relaunch.hostile=v0|nomemmap|modlist-beyond-ram|cmdline-unterminated|
 *     ram-above-128t
 *     breaks the new start_info as tests/vmm's launcher (--hostile) does;
 *     relaunch.hostile=module-in-fw|cmdline-in-fw|start-info-in-fw puts
 *     the new module 0, the command line or the start_info itself at the
 *     first page boundary in fw.elf's bss (of the PT_LOAD whose memory
 *     goes past its file bytes), which fw.elf's entry clears, and
 *     rsdp-in-fw points rsdp_paddr there: what only a
 *     loader that places fw.elf itself can do (not under
 *     relaunch.profile=); relaunch.hostile=memmap-null keeps the memory
 *     map's entry count but hands over memmap_paddr 0 (no map: an address
 *     of 0 is "not present" in the PVH ABI); relaunch.module-high=0xHEX
 *     hands fw.elf's last module (not its payload) over at 4 GiB with
 *     that size (its address only: relaunch cannot write above 4 GiB), a
 *     module placed where a PVH or Multiboot kernel cannot reach it.
 *   - relaunch.profile=ch|fc hands fw.elf what Cloud Hypervisor or
 *     Firecracker would (tests/vmm/profile.h, shared with tests/vmm's KVM
 *     launcher): start_info at 0x6000, the one module at 0x6040 and moved
 *     to the top of the RAM below 3 GiB, the memory map at 0x7000 in the
 *     VMM's shape and order, the command line at 0x20000 (Firecracker's
 *     2 KiB limit and appended "pci=off"), rsdp_paddr QEMU's RSDP (ch) or 0
 *     (fc: found by the firmware's scan), and the boot vCPU: the GDT at
 *     0x500, IDT at 0x520, flat segments, the busy TSS in TR, CR0, the boot
 *     MSRs, FNINIT, EFLAGS 2 (or relaunch.eflags=), RBX = 0x6000, every
 *     other register 0.
 * An error prints "relaunch: <why>" and RELAUNCH FAIL on COM1 and leaves
 * QEMU through isa-debug-exit (status 35).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bootabi.h"
#include "elfload/elf.h"
#include "lib/hex.h"
#include "profile.h"

#define RELAUNCH_PAIRS 150
#define CARVE_AT 0x20000000ull /* 512 MiB */
#define PAIR_SIZE 0x3000ull
#define MAP_MAX 512
#define MODS_MAX 32
#define CMDLINE_MAX 8192

static struct si_v1 si;
static struct si_mod mods[MODS_MAX];
static struct si_memmap map[MAP_MAX];
static uint32_t nmap;
static uint64_t ram_page; /* relaunch.ram=HEX: a page more of "RAM" (0: no) */
static char cmdline[CMDLINE_MAX];
static uint64_t rsdplen; /* relaunch.rsdplen=HEX: a long RSDP (0: no) */
static uint64_t pairs = RELAUNCH_PAIRS; /* relaunch.pairs=HEX */
static uint64_t module_high; /* relaunch.module-high=HEX: its size (0: no) */

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void say(const char *s)
{
	while (*s)
		outb(0x3f8, (uint8_t)*s++);
}

static void say_hex(uint64_t x)
{
	char b[19];
	int n = 18;
	b[n] = '\0';
	do {
		b[--n] = "0123456789abcdef"[x & 0xf];
		x >>= 4;
	} while (x);
	b[--n] = 'x';
	b[--n] = '0';
	say(b + n);
}

/* "relaunch: <what><why>", RELAUNCH FAIL, and out of QEMU. */
static __attribute__((noreturn)) void fail2(const char *what, const char *why)
{
	say("relaunch: ");
	say(what);
	say(why);
	say("\nRELAUNCH FAIL\n");
	outb(0xf4, 0x11); /* QEMU status 35 */
	for (;;)
		__asm__ volatile("hlt");
}

static __attribute__((noreturn)) void fail(const char *why)
{
	fail2("", why);
}

/* [a, a + n) as a pointer; it must lie below 4 GiB (paging is off). Not
 * inlined: gcc takes a constant address below 4 KiB (the GDT's 0x500) for
 * a null pointer and warns. */
static __attribute__((noinline)) void *at(uint64_t a, uint64_t n)
{
	if (a >= 1ull << 32 || n > (1ull << 32) - a)
		fail("an address is above 4 GiB");
	return (void *)(uintptr_t)a;
}

/* The first page boundary inside fw.elf's bss (load_fw), 0: none. */
static uint64_t fw_bss;

/* fw.elf's PT_LOADs to their physical addresses, by the firmware's own ELF
 * parser; returns e_entry, its 32-bit PVH entry. */
static uint32_t load_fw(const struct si_mod *m)
{
	static struct elf_info fw;
	struct view f = view_make(at(m->paddr, m->size), m->size);
	enum elf_err err = elf_parse(&f, &fw);
	if (err)
		fail2("module 0 (fw.elf): ", elf_strerror(err));
	if (fw.cls != 64 || fw.entry >= 1ull << 32)
		fail("module 0 is not fw.elf (an ELF64 entered below 4 GiB)");
	for (uint32_t i = 0; i < fw.nload; i++) {
		const struct elf_load *l = &fw.load[i];
		uint8_t *d = at(l->paddr, l->memsz);
		memcpy(d, f.base + l->offset, l->filesz);
		memset(d + l->filesz, 0, l->memsz - l->filesz);
		uint64_t bss = (l->paddr + l->filesz + 0xfff) & ~0xfffull;
		if (!fw_bss && bss < l->paddr + l->memsz)
			fw_bss = bss;
	}
	return (uint32_t)fw.entry;
}

static void add(uint64_t addr, uint64_t size, uint32_t type)
{
	if (nmap == MAP_MAX)
		fail("memory map too long");
	map[nmap++] = (struct si_memmap){ addr, size, type, 0 };
}

/* The old map, with the RAM from CARVE_AT split into pairs (one for
 * relaunch.rsdplen=, whose RSDP takes the reserved page). */
static void build_map(const struct si_v1 *old)
{
	const struct si_memmap *e =
		at(old->memmap_paddr, old->memmap_entries * sizeof(*e));
	uint64_t end = CARVE_AT + (rsdplen ? 1 : pairs) * PAIR_SIZE;
	int carved = 0;
	for (uint32_t i = 0; i < old->memmap_entries; i++) {
		uint64_t lo = e[i].addr, hi = e[i].addr + e[i].size;
		if (e[i].type != MEM_RAM || lo > CARVE_AT || hi < end) {
			add(lo, e[i].size, e[i].type);
			continue;
		}
		if (lo < CARVE_AT)
			add(lo, CARVE_AT - lo, MEM_RAM);
		for (uint64_t a = CARVE_AT; a < end; a += PAIR_SIZE) {
			add(a, 0x2000, MEM_RAM);
			add(a + 0x2000, 0x1000, MEM_RESERVED);
		}
		if (hi > end)
			add(end, hi - end, MEM_RAM);
		carved = 1;
	}
	if (!carved)
		fail("no RAM at 512 MiB to split (give the VM 1 GiB)");
	if (ram_page) /* last: out of order, which fw.elf sorts */
		add(ram_page, 0x1000, MEM_RAM);
}

static enum hostile hostile;

/* relaunch's own relaunch.hostile= kinds, which tests/vmm's launcher does
 * not make (see the top of the file). */
enum own_hostile {
	OWN_NONE,
	OWN_MODULE_IN_FW,
	OWN_CMDLINE_IN_FW,
	OWN_START_INFO_IN_FW,
	OWN_RSDP_IN_FW,
	OWN_MEMMAP_NULL,
};
static const char *const own_names[] = {
	[OWN_NONE] = "none",
	[OWN_MODULE_IN_FW] = "module-in-fw",
	[OWN_CMDLINE_IN_FW] = "cmdline-in-fw",
	[OWN_START_INFO_IN_FW] = "start-info-in-fw",
	[OWN_RSDP_IN_FW] = "rsdp-in-fw",
	[OWN_MEMMAP_NULL] = "memmap-null",
};
static enum own_hostile own;

static enum own_hostile own_named(const char *s, size_t n)
{
	for (size_t h = OWN_MODULE_IN_FW;
	     h < sizeof(own_names) / sizeof(own_names[0]); h++)
		if (name_is(s, n, own_names[h]))
			return (enum own_hostile)h;
	return OWN_NONE;
}

static int reverse;    /* relaunch.reverse: the map in descending order */
static int rsdp_given; /* relaunch.rsdp=HEX: rsdp_paddr to hand over */
static int efer_given; /* relaunch.efer=HEX: EFER at fw.elf's entry */
static int dirty;      /* relaunch.dirty: see make_dirty() */
static uint64_t efer;
static uint32_t eflags = 2;	   /* relaunch.eflags=HEX: EFLAGS there */
static const struct profile *prof; /* relaunch.profile=ch|fc */
static uint64_t rsdp;
static uint64_t rsdp_at; /* relaunch.rsdp-at=HEX: the RSDP copied there */
static char unterminated[2 * CMDLINE_MAX];

/* Appends a word, pre (plen bytes) then w (len bytes), to cmdline. */
static void emit(uint32_t *n, const char *pre, uint32_t plen, const char *w,
		 uint32_t len)
{
	if (*n + plen + len + 2 > CMDLINE_MAX)
		fail("command line too long");
	if (*n)
		cmdline[(*n)++] = ' ';
	for (uint32_t k = 0; k < plen; k++)
		cmdline[(*n)++] = pre[k];
	for (uint32_t k = 0; k < len; k++)
		cmdline[(*n)++] = w[k];
}

/* Whether the word w (len bytes) is "<key>0x<hex digits>", at least one
 * digit; its value in *v. Other digits, or too many, fail. */
static int hex_opt(const char *w, uint32_t len, const char *key, uint64_t *v)
{
	size_t k;
	if (!name_starts(w, len, key, &k) || len <= k + 2 || w[k] != '0' ||
	    w[k + 1] != 'x')
		return 0;
	*v = 0;
	for (k += 2; k < len; k++) {
		int d = hex_digit(w[k]);
		if (d < 0 || *v >> 60)
			fail2(key, " wants 0x and hex digits");
		*v = *v << 4 | (uint32_t)d;
	}
	return 1;
}

/* The old command line, word by word: relaunch.hostile=, relaunch.rsdp=,
 * relaunch.rsdplen=, relaunch.pairs=, relaunch.module-high=, relaunch.efer=,
 * relaunch.eflags=, relaunch.profile=, relaunch.reverse and relaunch.dirty
 * are ours, other "relaunch." words become "fw." words, the rest goes on
 * as it is. */
static void build_cmdline(const struct si_v1 *old)
{
	const char *s = old->cmdline_paddr ? at(old->cmdline_paddr, 1) : "";
	uint32_t n = 0;
	uint64_t v;
	size_t k;
	for (uint32_t i = 0; s[i];) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		const char *w = s + i;
		uint32_t len = 0;
		while (w[len] && w[len] != ' ')
			len++;
		i += len;
		if (name_is(w, len, "relaunch.reverse")) {
			reverse = 1;
		} else if (name_is(w, len, "relaunch.dirty")) {
			dirty = 1;
		} else if (hex_opt(w, len, "relaunch.rsdp=", &rsdp)) {
			rsdp_given = 1;
		} else if (hex_opt(w, len, "relaunch.rsdp-at=", &rsdp_at)) {
			if (!rsdp_at)
				fail("relaunch.rsdp-at= wants an address, not "
				     "0");
		} else if (hex_opt(w, len, "relaunch.ram=", &ram_page)) {
			if (!ram_page || ram_page & 0xfff)
				fail("relaunch.ram= wants a page address, not "
				     "0");
		} else if (hex_opt(w, len, "relaunch.rsdplen=", &rsdplen)) {
			if (rsdplen < 36 || rsdplen > 4096)
				fail("relaunch.rsdplen= wants 0x24 to 0x1000");
		} else if (hex_opt(w, len, "relaunch.pairs=", &pairs)) {
			if (pairs < 1 || pairs > 0xff)
				fail("relaunch.pairs= wants 0x1 to 0xff");
		} else if (hex_opt(w, len,
				   "relaunch.module-high=", &module_high)) {
			if (!module_high)
				fail("relaunch.module-high= wants 0x1 or more");
		} else if (hex_opt(w, len, "relaunch.efer=", &efer)) {
			efer_given = 1;
		} else if (hex_opt(w, len, "relaunch.eflags=", &v)) {
			/* IF stays clear: fw.elf has no IDT yet. */
			eflags = (uint32_t)v & ~0x200u;
		} else if (name_starts(w, len, "relaunch.profile=", &k)) {
			prof = profile_named(w + k, len - k);
			if (!prof)
				fail("unknown relaunch.profile= (ch, fc)");
		} else if (name_starts(w, len, "relaunch.hostile=", &k)) {
			hostile = hostile_named(w + k, len - k);
			own = own_named(w + k, len - k);
			if (!hostile && !own)
				fail("unknown relaunch.hostile= (v0, nomemmap, "
				     "modlist-beyond-ram, "
				     "cmdline-unterminated, ram-above-128t, "
				     "module-in-fw, cmdline-in-fw, "
				     "start-info-in-fw, rsdp-in-fw, "
				     "memmap-null)");
		} else if (name_starts(w, len, "relaunch.", &k)) {
			emit(&n, "fw.", 3, w + k, len - k);
		} else {
			emit(&n, "", 0, w, len);
		}
	}
	cmdline[n] = '\0';
}

/* The 8-bit sum of n bytes. */
static uint8_t sum8(const uint8_t *p, uint64_t n)
{
	uint8_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* relaunch.rsdplen=: the long RSDP, in the reserved page of the one pair
 * build_map split; returns its address. */
static uint64_t long_rsdp(const struct si_v1 *old)
{
	const uint64_t addr = CARVE_AT + 0x2000;
	if (prof)
		fail("relaunch.rsdplen= needs the split map (no profile)");
	if (!old->rsdp_paddr)
		fail("relaunch.rsdplen= needs the VMM's RSDP");
	uint8_t *r = at(addr, rsdplen);
	memset(r, 0, rsdplen);
	memcpy(r, at(old->rsdp_paddr, 20), 20);
	r[15] = 2; /* revision */
	r[20] = (uint8_t)rsdplen;
	r[21] = (uint8_t)(rsdplen >> 8);
	r[8] = 0;
	r[8] = (uint8_t)-sum8(r, 20);
	r[32] = (uint8_t)-sum8(r, rsdplen);
	return addr;
}

/* relaunch.rsdp-at=: the RSDP it got (its length field's bytes from
 * revision 2 on, else 20) copied to rsdp_at; returns that address. */
static uint64_t moved_rsdp(const struct si_v1 *old)
{
	if (!old->rsdp_paddr)
		fail("relaunch.rsdp-at= needs the VMM's RSDP");
	const uint8_t *r = at(old->rsdp_paddr, 36);
	uint32_t n = r[15] >= 2 ? (uint32_t)r[20] | (uint32_t)r[21] << 8 : 20;
	if (n < 20 || n > 4096)
		fail("relaunch.rsdp-at=: the VMM's RSDP has a bad length");
	memmove(at(rsdp_at, n), at(old->rsdp_paddr, n), n);
	return rsdp_at;
}

/* The start_info relaunch.hostile= asked for. */
static void make_hostile(void)
{
	switch (hostile) {
	case HOSTILE_NONE:
		break;
	case HOSTILE_V0: /* no memory map fields at all */
		si.version = 0;
		si.memmap_paddr = 0;
		si.memmap_entries = 0;
		break;
	case HOSTILE_NOMEMMAP: /* the table's address stays, as pvhrun's */
		si.memmap_entries = 0;
		break;
	case HOSTILE_MODLIST: /* 1 TiB: beyond any RAM of these tests */
		si.modlist_paddr = 1ull << 40;
		break;
	case HOSTILE_CMDLINE: /* no NUL in twice the longest command line */
		for (uint32_t k = 0; k < sizeof(unterminated); k++)
			unterminated[k] = 'x';
		si.cmdline_paddr = (uintptr_t)unterminated;
		break;
	case HOSTILE_RAM_128T: /* RAM no four-level identity map reaches */
		add(1ull << 47, 1ull << 30, MEM_RAM);
		si.memmap_entries = nmap;
		break;
	}
	if (own == OWN_MEMMAP_NULL) /* the count stays */
		si.memmap_paddr = 0;
}

/* relaunch.module-high=: fw.elf's last module handed over at 4 GiB with
 * that size instead, in RAM of the map: only its address and size, as
 * 32-bit code with paging off cannot write there (its bytes are what that
 * RAM holds, zeros in a new VM). The first module stays fw.elf's payload. */
static void place_module_high(void)
{
	const uint64_t addr = 1ull << 32;
	if (!module_high)
		return;
	if (prof)
		fail("relaunch.module-high= not with relaunch.profile=");
	if (si.nr_modules < 2)
		fail("relaunch.module-high= needs a second module for fw.elf "
		     "(the first is its payload)");
	int ram = 0;
	for (uint32_t i = 0; i < nmap; i++)
		if (map[i].type == MEM_RAM && map[i].addr <= addr &&
		    map[i].addr + map[i].size > addr &&
		    module_high <= map[i].addr + map[i].size - addr)
			ram = 1;
	if (!ram)
		fail("relaunch.module-high=: no RAM there (give the VM more "
		     "than 4 GiB)");
	mods[si.nr_modules - 1].paddr = addr;
	mods[si.nr_modules - 1].size = module_high;
}

/* The -in-fw kinds, once fw.elf is loaded: what they name to fw_bss.
 * Returns the start_info to hand over. */
static struct si_v1 *put_in_fw(void)
{
	if (own != OWN_MODULE_IN_FW && own != OWN_CMDLINE_IN_FW &&
	    own != OWN_START_INFO_IN_FW && own != OWN_RSDP_IN_FW)
		return &si;
	if (!fw_bss)
		fail("fw.elf has no bss to put it in");
	if (own == OWN_MODULE_IN_FW) {
		if (!si.nr_modules)
			fail("module-in-fw needs a module for fw.elf");
		uint64_t size = mods[0].size;
		memmove(at(fw_bss, size), at(mods[0].paddr, size), size);
		mods[0].paddr = fw_bss;
	} else if (own == OWN_RSDP_IN_FW) {
		si.rsdp_paddr = fw_bss; /* only the address: the entry clears */
	} else if (own == OWN_CMDLINE_IN_FW) {
		uint32_t n = (uint32_t)strlen(cmdline) + 1;
		memcpy(at(fw_bss, n), cmdline, n);
		si.cmdline_paddr = fw_bss;
	} else {
		struct si_v1 *to = at(fw_bss, sizeof(si));
		*to = si;
		return to;
	}
	return &si;
}

/* relaunch.profile=: the VMM's memory map over the RAM QEMU gave, the RAM
 * below 4 GiB (to its highest end, at most 3 GiB) and the RAM from 4 GiB;
 * returns where the RAM below 4 GiB ends. The old map's reserved ranges in
 * between are the first fw.elf's handoff area (start_info, the module list,
 * the GDT and TSS still loaded): RAM to the VMM, and free once relaunch_main
 * has read the old start_info, as no segment register is loaded again
 * before profile_enter's LGDT. */
static uint64_t profile_map(const struct si_v1 *old)
{
	const struct si_memmap *e =
		at(old->memmap_paddr, old->memmap_entries * sizeof(*e));
	uint64_t low_end = 0, high_end = 0;
	for (uint32_t i = 0; i < old->memmap_entries; i++) {
		uint64_t end = e[i].addr + e[i].size;
		if (e[i].type != MEM_RAM)
			continue;
		if (end <= 1ull << 32 && end > low_end)
			low_end = end;
		if (e[i].addr >= 1ull << 32 && end > high_end)
			high_end = end;
	}
	if (low_end > RAM32_END)
		low_end = RAM32_END;
	if (low_end <= HIMEM_START)
		fail("no RAM above 1 MiB");
	nmap = vmm_memmap(prof, low_end, high_end ? high_end - (1ull << 32) : 0,
			  map);
	return low_end;
}

/* The one module (the VMMs pass one initramfs) to the top of the RAM
 * below 4 GiB, page-aligned, as both VMMs place it; after fw.elf is
 * loaded, since that may overwrite fw.elf's file. */
extern char relaunch_end[];
static void profile_module(uint64_t low_end)
{
	if (si.nr_modules > 1)
		fail("relaunch.profile= passes one module (the VMMs pass one "
		     "initramfs)");
	if (!si.nr_modules)
		return;
	uint64_t size = mods[0].size, to = (low_end - size) & ~0xFFFull;
	if (size > low_end || to < (uintptr_t)relaunch_end)
		fail("the module does not fit above relaunch.elf");
	memmove(at(to, size), at(mods[0].paddr, size), size);
	mods[0] = (struct si_mod){ to, size, 0, 0 };
}

/* The VMM's command line: "pci=off" appended for Firecracker, its limit. */
static void profile_cmdline(void)
{
	uint32_t n = (uint32_t)strlen(cmdline);
	if (prof->pci_off)
		emit(&n, "", 0, "pci=off", 7);
	cmdline[n] = '\0';
	if (n + 1 > prof->cmdline_max)
		fail("the command line is longer than the VMM takes");
}

static void wrmsr(uint32_t index, uint64_t value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(index), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32)));
}

/*
 * relaunch.dirty: leaves set what no VMM here leaves but a loader or an
 * EFI firmware may, and what fw.elf resets before every handoff
 * (docs/abi.md): LDTR (a GDT copy with an LDT descriptor at 0x30; fw.elf
 * loads its own GDT, the LDTR stays), DR0-3 and DR6/DR7 (no breakpoint
 * enabled), CR2, the APIC's TPR (CR8 reads it), PAT, the SYSCALL and
 * SYSENTER MSRs and KERNEL_GS_BASE, x87 data registers (FLD1, which an
 * FNINIT would keep), the x87 control word 0x0040 and MXCSR 0 (a
 * payload must get 0x037F and 0x1F80), XMM0-15 all ones and, where the CPU
 * has AVX, YMM0-15 all ones (XMM8-15 and YMM8-15 through
 * relaunch_dirty_upper, entry.asm: a brief trip into 64-bit mode). Values
 * all valid, none harmful to fw.elf with IF clear.
 */
void relaunch_dirty_upper(int avx);
static uint64_t dirty_gdt[7] __attribute__((aligned(8)));
static const uint64_t dirty_ldt[1];

static void make_dirty(void)
{
	static const struct {
		uint32_t index;
		uint64_t value;
	} msrs[] = {
		{ MSR_PAT, 0x0007010600070106ull }, /* WC in PA1/5 */
		{ MSR_STAR, 0x0023001000000000ull },
		{ MSR_LSTAR, 0xFFFFFFFF81000000ull },
		{ MSR_SYSCALL_MASK, 0x47700 },
		{ MSR_KERNEL_GS_BASE, 0xFFFF888000000000ull },
		{ MSR_IA32_SYSENTER_CS, 0x10 },
		{ MSR_IA32_SYSENTER_ESP, 0x7000 },
		{ MSR_IA32_SYSENTER_EIP, 0x8000 },
	};
	struct __attribute__((packed)) {
		uint16_t limit;
		uint32_t base;
	} gdtr;
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	if (gdtr.limit + 1u > 6 * 8)
		fail("relaunch.dirty: GDT larger than 6 entries");
	memcpy(dirty_gdt, at(gdtr.base, gdtr.limit + 1u), gdtr.limit + 1u);
	uint32_t ldt = (uint32_t)(uintptr_t)dirty_ldt;
	/* 0x30, past fw.elf's 16-byte TSS descriptor at 0x20: present LDT
	 * (system type 2), limit 7, base dirty_ldt. */
	dirty_gdt[6] = 7 | (uint64_t)(ldt & 0xFFFFFF) << 16 | 0x82ull << 40 |
		       (uint64_t)(ldt >> 24) << 56;
	gdtr.limit = sizeof(dirty_gdt) - 1;
	gdtr.base = (uint32_t)(uintptr_t)dirty_gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "lldt %w1"
			 :
			 : "m"(gdtr), "r"(0x30)
			 : "memory");
	__asm__ volatile("movl %0, %%dr0\n\t"
			 "movl %1, %%dr1\n\t"
			 "movl %0, %%dr2\n\t"
			 "movl %1, %%dr3\n\t"
			 "movl %2, %%dr6\n\t"
			 "movl %3, %%dr7\n\t"
			 "movl %4, %%cr2"
			 :
			 : "r"(0x1000u), "r"(0x2000u), "r"(0xFFFF4FF1u),
			   "r"(0x30400u), "r"(0xDEAD000u));
	*(volatile uint32_t *)(uintptr_t)0xFEE00080u = 0xF0; /* TPR */
	for (uint32_t i = 0; i < sizeof(msrs) / sizeof(*msrs); i++)
		wrmsr(msrs[i].index, msrs[i].value);
	uint32_t cr0, cr4;
	__asm__ volatile("movl %%cr0, %0\n\t"
			 "movl %%cr4, %1"
			 : "=r"(cr0), "=r"(cr4));
	cr0 &= ~0xCu;	/* EM, TS */
	cr4 |= 1u << 9; /* OSFXSR */
	/* FCW 0x0040 and MXCSR 0: every x87 and SIMD exception unmasked
	 * (MXCSR 0 is what a VMM that zeroes the XSAVE area leaves), so a
	 * firmware that kept them would hand them on. */
	static const uint16_t fcw = 0x0040;
	static const uint32_t mxcsr = 0;
	__asm__ volatile("movl %0, %%cr0\n\t"
			 "movl %1, %%cr4\n\t"
			 "fninit\n\t"
			 "fld1\n\t"
			 "fld1\n\t"
			 "fld1\n\t"
			 "fld1\n\t"
			 "fldcw %2\n\t"
			 "ldmxcsr %3\n\t"
			 "pcmpeqb %%xmm0, %%xmm0\n\t"
			 "pcmpeqb %%xmm1, %%xmm1\n\t"
			 "pcmpeqb %%xmm2, %%xmm2\n\t"
			 "pcmpeqb %%xmm3, %%xmm3\n\t"
			 "pcmpeqb %%xmm4, %%xmm4\n\t"
			 "pcmpeqb %%xmm5, %%xmm5\n\t"
			 "pcmpeqb %%xmm6, %%xmm6\n\t"
			 "pcmpeqb %%xmm7, %%xmm7"
			 :
			 : "r"(cr0), "r"(cr4), "m"(fcw), "m"(mxcsr));
	/* With XSAVE and AVX (-cpu max): YMM0-7 all ones, XCR0 left with
	 * AVX on. fw.elf's entry turns CR4.OSXSAVE off; the registers stay. */
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
	int avx = (c & (1u << 26)) && (c & (1u << 28));
	if (avx) {
		cr4 |= 1u << 18; /* OSXSAVE */
		__asm__ volatile("movl %0, %%cr4\n\t"
				 "xsetbv\n\t"
				 "vcmptrueps %%ymm0, %%ymm0, %%ymm0\n\t"
				 "vcmptrueps %%ymm1, %%ymm1, %%ymm1\n\t"
				 "vcmptrueps %%ymm2, %%ymm2, %%ymm2\n\t"
				 "vcmptrueps %%ymm3, %%ymm3, %%ymm3\n\t"
				 "vcmptrueps %%ymm4, %%ymm4, %%ymm4\n\t"
				 "vcmptrueps %%ymm5, %%ymm5, %%ymm5\n\t"
				 "vcmptrueps %%ymm6, %%ymm6, %%ymm6\n\t"
				 "vcmptrueps %%ymm7, %%ymm7, %%ymm7"
				 :
				 : "r"(cr4), "c"(0), "a"(7), "d"(0));
	}
	/* Last, as it leaves all the rest as it was: XMM8-15 (and with AVX
	 * the upper halves of YMM8-15) all ones, from 64-bit mode. */
	relaunch_dirty_upper(avx);
}

/* The boot vCPU as both VMMs set it for PVH (tests/vmm/pvhrun.c's
 * setup_vcpu), then fw.elf's entry. What QEMU's CPU cannot be made to
 * show: CR0.ET reads 1 whatever is written; MXCSR is 0x1F80 as the first
 * fw.elf left it (LDMXCSR needs CR4.OSFXSR, which must be 0 here). */
static volatile uint32_t enter_at;
static __attribute__((noreturn)) void profile_enter(uint32_t entry)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint32_t base;
	} gdtr = { sizeof(boot_gdt) - 1, GDT_ADDR },
	  idtr = { IDT_LIMIT, IDT_ADDR };
	uint64_t *gdt = at(GDT_ADDR, sizeof(boot_gdt));
	memcpy(gdt, boot_gdt, sizeof(boot_gdt));
	gdt[SEL_TSS / 8] &= ~GDT_TSS_BUSY; /* LTR marks it busy again */
	memset(at(IDT_ADDR, IDT_LIMIT + 1), 0, IDT_LIMIT + 1);
	for (uint32_t i = 0; i < sizeof(boot_msrs) / sizeof(*boot_msrs); i++)
		wrmsr(boot_msrs[i].index, boot_msrs[i].value);
	__asm__ volatile("lgdt %0\n\t"
			 "lidt %1\n\t"
			 "ljmp %2, $1f\n"
			 "1:\n\t"
			 "movw %w3, %%ds\n\t"
			 "movw %w3, %%es\n\t"
			 "movw %w3, %%fs\n\t"
			 "movw %w3, %%gs\n\t"
			 "movw %w3, %%ss\n\t"
			 "ltr %w4\n\t"
			 "movl %5, %%cr0\n\t"
			 "fninit"
			 :
			 : "m"(gdtr), "m"(idtr), "i"(SEL_CODE), "r"(SEL_DATA),
			   "r"(SEL_TSS), "r"((uint32_t)prof->cr0)
			 : "memory");
	enter_at = entry;
	/* EFLAGS first (2, or relaunch.eflags=): the moves that follow leave
	 * the flags alone. */
	__asm__ volatile(
		"pushl %1\n\t"
		"popfl\n\t"
		"movl $0, %%eax\n\t"
		"movl $0, %%ecx\n\t"
		"movl $0, %%edx\n\t"
		"movl $0, %%esi\n\t"
		"movl $0, %%edi\n\t"
		"movl $0, %%ebp\n\t"
		"movl $0, %%esp\n\t"
		"jmp *%c0" /* through the variable's absolute address */
		:
		: "i"(&enter_at), "m"(eflags), "b"(START_INFO_ADDR)
		: "memory");
	__builtin_unreachable();
}

void relaunch_main(const struct si_v1 *old);
void relaunch_main(const struct si_v1 *old)
{
	if (old->magic != SI_MAGIC || old->version < 1)
		fail("bad start_info");
	if (old->nr_modules < 1)
		fail("no module 0: pass fw.elf as module 0");
	if (old->nr_modules > MODS_MAX + 1)
		fail("too many modules");
	const struct si_mod *m =
		at(old->modlist_paddr, old->nr_modules * sizeof(*m));
	for (uint32_t i = 1; i < old->nr_modules; i++)
		mods[i - 1] = m[i];
	build_cmdline(old);
	if (own && own != OWN_MEMMAP_NULL && prof)
		fail2(own_names[own], ": not with relaunch.profile=");
	uint64_t low_end = 0;
	if (prof) {
		low_end = profile_map(old);
		profile_cmdline();
	} else {
		build_map(old);
	}
	for (uint32_t i = 0; reverse && i < nmap / 2; i++) {
		struct si_memmap t = map[i];
		map[i] = map[nmap - 1 - i];
		map[nmap - 1 - i] = t;
	}
	si = (struct si_v1){
		.magic = SI_MAGIC,
		.version = 1,
		.nr_modules = old->nr_modules - 1,
		.modlist_paddr = (uintptr_t)mods,
		.cmdline_paddr = (uintptr_t)cmdline,
		.rsdp_paddr = old->rsdp_paddr,
		.memmap_paddr = (uintptr_t)map,
		.memmap_entries = nmap,
	};
	if (prof) { /* the VMM's addresses; what follows copies there */
		si.modlist_paddr = si.nr_modules ? MODLIST_ADDR : 0;
		si.cmdline_paddr = CMDLINE_ADDR;
		si.memmap_paddr = MEMMAP_ADDR;
		si.rsdp_paddr = prof->rsdp_given ? old->rsdp_paddr : 0;
	}
	if (rsdp_given)
		si.rsdp_paddr = rsdp;
	if (rsdplen)
		si.rsdp_paddr = long_rsdp(old);
	if (rsdp_at)
		si.rsdp_paddr = moved_rsdp(old);
	make_hostile();
	place_module_high();
	/* fw.elf goes to 1 MiB, where the first fw.elf ran: free RAM now. */
	uint32_t entry = load_fw(&m[0]);
	struct si_v1 *to = put_in_fw();
	if (prof) {
		profile_module(low_end);
		memcpy(at(MODLIST_ADDR, sizeof(mods[0])), mods,
		       sizeof(mods[0]));
		memcpy(at(MEMMAP_ADDR, nmap * sizeof(*map)), map,
		       nmap * sizeof(*map));
		memcpy(at(CMDLINE_ADDR, strlen(cmdline) + 1), cmdline,
		       strlen(cmdline) + 1);
		to = at(START_INFO_ADDR, sizeof(si));
		*to = si;
	}
	say("relaunch: fw.elf entry ");
	say_hex(entry);
	say(", ");
	say_hex(si.memmap_entries);
	say(" memory map entries");
	if (hostile) {
		say(", hostile: ");
		say(hostile_names[hostile]);
	} else if (own) {
		say(", hostile: ");
		say(own_names[own]);
		if (own != OWN_MEMMAP_NULL) {
			say(" at ");
			say_hex(fw_bss);
		}
	}
	if (module_high)
		say(", last module at 0x100000000");
	if (prof) {
		say(", profile ");
		say(prof->name);
	}
	say("\n");
	if (efer_given)
		wrmsr(MSR_EFER, efer);
	if (dirty)
		make_dirty();
	if (prof)
		profile_enter(entry);
	__asm__ volatile("pushl %1\n\t"
			 "popfl\n\t"
			 "jmp *%0"
			 :
			 : "r"(entry), "r"(eflags), "b"(to)
			 : "memory");
	__builtin_unreachable();
}
