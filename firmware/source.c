// SPDX-License-Identifier: MIT
/*
 * source.c: where the payload and its modules come from. In order of
 * precedence:
 *   1. QEMU fw_cfg, when it holds opt/pvhfw/kernel: that file is the
 *      payload; opt/pvhfw/initrd, if present, is its first module, then
 *      every module the VMM passed (module 0 included); the words of
 *      opt/pvhfw/cmdline are appended to the command line;
 *   2. module 0, when it is a cpio (newc) bundle: its entry `kernel` is the
 *      payload, the words of its entry `cmdline` are appended to the command
 *      line (the entry is bi->words, which measure.c hashes and records),
 *      every other file is a module in archive order with its name as
 *      the module's string (a name with white space is refused when a pin is
 *      given: its words would go unvouched for), then the VMM's modules 1
 *      and up;
 *   3. module 0 itself, with the VMM's modules 1 and up.
 * Afterwards bi->mod[0] is the payload image and the rest its modules, none
 * of them named like the boot record (RECORD_NAME, its string's first word).
 * Appended words go through the same fw. option rules as the VMM's.
 */
#include <string.h>

#include "../bundle/bundle.h"
#include "../lib/fmt.h"
#include "cpu_defs.h"
#include "fw.h"
#include "fwcfg.h"

static struct bundle bundle;
static struct boot_module vmm_mods[BOOT_MAX_MODULES];
static char extra[BOOT_EXTRA_CMDLINE_MAX];

static void add_module(struct boot_info *bi, uint64_t paddr, uint64_t size,
		       const char *name)
{
	if (bi->nmods == BOOT_MAX_MODULES)
		fw_fatal("payload", "more than %u modules", BOOT_MAX_MODULES);
	bi->mod[bi->nmods++] = (struct boot_module){ paddr, size, name };
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Whether s holds a space, tab or line break: a word boundary. */
static bool has_space(const char *s)
{
	for (; *s; s++)
		if (is_space(*s))
			return true;
	return false;
}

/* Whether the first word of the module string s is the boot record's name,
 * by which a payload finds the record (fw.record=on: handoff.c). */
static bool names_record(const char *s)
{
	size_t n = sizeof(RECORD_NAME) - 1;
	while (is_space(*s))
		s++;
	return strncmp(s, RECORD_NAME, n) == 0 &&
	       (s[n] == '\0' || is_space(s[n]));
}

/* Appends the words of [at, at + len) in memory to the command line. */
static void append_words(const char *from, uint64_t at, uint64_t len,
			 char *cmdline, size_t cap)
{
	if (len >= sizeof(extra))
		fw_fatal(from, "cmdline is %llu bytes, at most %zu allowed",
			 (unsigned long long)len, sizeof(extra) - 1);
	memcpy(extra, phys_ptr(at), len);
	extra[len] = '\0';
	if (strnlen(extra, len) != len)
		fw_fatal(from, "cmdline contains a NUL byte");
	options_append(extra, from, cmdline, cap);
}

/* fw_cfg's opt/pvhfw/kernel (selector ksel, ksize bytes) and the rest. */
static void from_fwcfg(struct boot_info *bi, char *cmdline, size_t cap,
		       uint16_t ksel, uint32_t ksize)
{
	uint16_t isel, csel;
	uint32_t isize = 0, csize;
	bool initrd = fwcfg_find("opt/pvhfw/initrd", &isel, &isize);

	/* Room for the files: RAM the firmware and the VMM's modules leave. */
	static struct memmap_busy busy;
	load_busy_begin(bi, &busy);
	uint64_t kat, iat = 0;
	/* Below 4 GiB: a PVH payload starts with paging off. (phys.len is
	 * 4 GiB on a PVH boot, the end of the map under EFI.) */
	uint64_t below = phys.len < (1ull << 32) ? phys.len : 1ull << 32;
	if (ksize == 0)
		fw_fatal("fw_cfg", "opt/pvhfw/kernel is empty");
	if (initrd && isize == 0)
		fw_fatal("fw_cfg", "opt/pvhfw/initrd is empty");
	if (memmap_alloc(&bi->memmap, &busy, ksize, 4096, 0x100000, below,
			 "kernel", &kat) ||
	    (initrd && memmap_alloc(&bi->memmap, &busy, isize, 4096, 0x100000,
				    below, "initrd", &iat)))
		fw_fatal("fw_cfg",
			 "no free RAM below 4 GiB for opt/pvhfw "
			 "files (%u + %u bytes)",
			 ksize, isize);
	if (!fwcfg_read(ksel, kat, ksize) ||
	    (initrd && !fwcfg_read(isel, iat, isize)))
		fw_fatal("fw_cfg", "DMA read failed");

	uint32_t n = bi->nmods;
	memcpy(vmm_mods, bi->mod, n * sizeof(vmm_mods[0]));
	bi->nmods = 0;
	add_module(bi, kat, ksize, "kernel");
	if (initrd)
		add_module(bi, iat, isize, "initrd");
	for (uint32_t i = 0; i < n; i++)
		add_module(bi, vmm_mods[i].paddr, vmm_mods[i].size,
			   vmm_mods[i].name);
	if (fwcfg_find("opt/pvhfw/cmdline", &csel, &csize) && csize) {
		if (csize >= sizeof(extra))
			fw_fatal("fw_cfg",
				 "opt/pvhfw/cmdline is %u bytes, at "
				 "most %zu allowed",
				 csize, sizeof(extra) - 1);
		fwcfg_select_read(csel, extra, csize);
		extra[csize] = '\0';
		if (strnlen(extra, csize) != csize)
			fw_fatal("fw_cfg",
				 "opt/pvhfw/cmdline contains a NUL byte");
		options_append(extra, NULL, cmdline, cap);
	}
	bi->origin = "fw_cfg's opt/pvhfw/kernel";
	log_info("fw_cfg", "opt/pvhfw/kernel: %u bytes at 0x%llx%s", ksize,
		 (unsigned long long)kat,
		 initrd ? ", with opt/pvhfw/initrd" : "");
}

static bool from_bundle(struct boot_info *bi, char *cmdline, size_t cap)
{
	if (bi->nmods == 0)
		return false;
	struct view f = view_make(phys_ptr(bi->mod[0].paddr), bi->mod[0].size);
	if (!view_has(&phys, bi->mod[0].paddr, bi->mod[0].size) ||
	    !bundle_is_cpio(&f))
		return false;
	enum bundle_err err = bundle_parse(&f, &bundle);
	if (err)
		fw_fatal("bundle", "%s", bundle_strerror(err));
	uint64_t base = bi->mod[0].paddr;
	uint32_t n = bi->nmods;
	memcpy(vmm_mods, bi->mod, n * sizeof(vmm_mods[0]));
	bi->nmods = 0;
	const struct bundle_entry *k = &bundle.e[bundle.kernel];
	bool pinned = fw_opt.pin_payload || fw_opt.npins;
	add_module(bi, base + k->offset, k->size, "kernel");
	for (uint32_t i = 0; i < bundle.n; i++) {
		const struct bundle_entry *e = &bundle.e[i];
		if ((int)i == bundle.kernel || (int)i == bundle.cmdline)
			continue;
		if (names_record(e->name))
			fw_fatal("bundle",
				 "entry \"%s\": that name is reserved for the "
				 "boot record (fw.record=on), which a payload "
				 "finds by it",
				 e->name);
		/* The name is the module's string, whose words after the
		 * first a payload may read as a command line (Xen: dom0's);
		 * the pins vouch for the bytes, not for them. */
		if (pinned && has_space(e->name))
			fw_fatal("bundle",
				 "entry \"%s\": no pin covers the words after "
				 "its name, which the payload gets in the "
				 "module's string: with fw.sha256= or "
				 "fw.module.N.sha256= given, a name holds no "
				 "white space",
				 e->name);
		add_module(bi, base + e->offset, e->size, e->name);
	}
	for (uint32_t i = 1; i < n; i++)
		add_module(bi, vmm_mods[i].paddr, vmm_mods[i].size,
			   vmm_mods[i].name);
	if (bundle.cmdline >= 0) {
		const struct bundle_entry *c = &bundle.e[bundle.cmdline];
		/* The pins vouch for the files; words that change what the
		 * payload is told must then come from the VMM too. */
		if (fw_opt.pin_payload || fw_opt.npins)
			fw_fatal("bundle",
				 "its cmdline entry is not covered by "
				 "fw.sha256= or fw.module.N.sha256=: give "
				 "those words on the VMM's command line");
		append_words("bundle", base + c->offset, c->size, cmdline, cap);
		bi->words = (struct boot_module){ base + c->offset, c->size,
						  "cmdline" };
	}
	log_info("bundle",
		 "%s is a bundle: %u entries, kernel %llu bytes, %u "
		 "module(s)",
		 bi->origin, bundle.n, (unsigned long long)k->size,
		 bi->nmods - 1);
	/* The payload's name in messages: "the kernel entry of the bundle
	 * in module 0", or in the file the EFI entry read. */
	static char origin[160];
	fmt_snprintf(origin, sizeof(origin),
		     "the kernel entry of the bundle in %s", bi->origin);
	bi->origin = origin;
	return true;
}

bool source_fwcfg_kernel(uint16_t *sel, uint32_t *size)
{
	return fwcfg_present() && fwcfg_find("opt/pvhfw/kernel", sel, size);
}

void source_select(struct boot_info *bi, char *cmdline, size_t cap)
{
	uint16_t ksel;
	uint32_t ksize;
	if (source_fwcfg_kernel(&ksel, &ksize))
		from_fwcfg(bi, cmdline, cap, ksel, ksize);
	else
		from_bundle(bi, cmdline, cap);
	/* The VMM's modules (a bundle's entries were checked above): the
	 * record must be the only module a payload can find by that name,
	 * whether fw.record= is on or not. */
	for (uint32_t i = 1; i < bi->nmods; i++)
		if (names_record(bi->mod[i].name))
			fw_fatal("payload",
				 "module %u is named %s: that name is "
				 "reserved for the boot record (fw.record=on), "
				 "which a payload finds by it",
				 i - 1, RECORD_NAME);
}
