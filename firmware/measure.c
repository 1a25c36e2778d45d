// SPDX-License-Identifier: MIT
/*
 * measure.c: measured and verified boot. Once the payload and its modules
 * are known (after source_select, before any of them is parsed), the
 * firmware hashes the bytes it was given with SHA-256: the payload image as
 * read (module 0, the bundle's `kernel` entry or fw_cfg's opt/pvhfw/kernel)
 * and every module the payload gets, exactly their bytes, so `sha256sum
 * file` gives the same digest; then a bundle's cmdline entry, whose words
 * went onto the command line (pins refuse one: source.c). It prints each
 * digest, refuses to go on when one differs from a pinned value
 * (fw.sha256=, fw.module.N.sha256=), and can hand the digests on to the
 * payload as a boot record (fw.record=on).
 *
 * The boot record (docs/measured-boot.md), little endian:
 *   0x00 magic "PVHFWBR1"       0x08 u32 size of the whole record
 *   0x0C u32 version (1)        0x10 char firmware[16] ("pvhfw 0.1.0")
 *   0x20 u32 count (payload + modules + the cmdline entry if any)
 *   0x24 u32 flags (bit 0: pinned hashes were checked)
 *   0x28 u32 offset of the options string   0x2C u32 reserved
 *   0x30 count entries of 96 bytes: u8 sha256[32], u64 size, u64 index
 *        (0xFFFFFFFFFFFFFFFF for the payload, then the module number,
 *        last RECORD_INDEX_CMDLINE for a bundle's cmdline entry), char
 *        name[48] (NUL-terminated, cut to 47 bytes)
 *   then the fw. options in effect, NUL-terminated.
 */
#include <string.h>

#include "../crypto/sha256.h"
#include "../lib/fmt.h"
#include "fw.h"

#define RECORD_ENTRY 96
#define RECORD_HEAD 0x30
#define RECORD_INDEX_PAYLOAD 0xFFFFFFFFFFFFFFFFull
#define RECORD_INDEX_CMDLINE 0xFFFFFFFFFFFFFFFEull

static uint8_t digest[BOOT_MAX_MODULES][SHA256_DIGEST_SIZE];
static uint32_t ndigest;
static uint8_t words_digest[SHA256_DIGEST_SIZE];
static bool words_measured;
static bool checked;

/* Record entries: the payload, the modules, a bundle's cmdline entry. */
static uint64_t record_count(const struct boot_info *bi)
{
	return (uint64_t)bi->nmods + (bi->words.name ? 1 : 0);
}

void measure(const struct boot_info *bi)
{
	if (!fw_opt.measure && !fw_opt.pin_payload && !fw_opt.npins &&
	    !fw_opt.record)
		return;
	sha256_select(true); /* SHA-NI where the CPU has it (SSE is on) */
	for (uint32_t i = 0; i < fw_opt.npins; i++)
		if (fw_opt.pin[i].module + 1 >= bi->nmods)
			fw_fatal("measure",
				 "fw.module.%u.sha256 given but the "
				 "payload has %u module(s)",
				 fw_opt.pin[i].module, bi->nmods - 1);
	/* Asked for with fw.measure=on: printed at every level. */
	enum fw_loglevel level = fw_opt.measure ? LOG_QUIET : LOG_BRIEF;
	for (uint32_t i = 0; i < bi->nmods; i++) {
		const struct boot_module *m = &bi->mod[i];
		char hex[SHA256_HEX_SIZE];
		/* The payload was checked (payload_select); the modules are
		 * read for the first time here. */
		if (i > 0 && !view_has(&phys, m->paddr, m->size))
			fw_fatal("measure",
				 "module %u (0x%llx, %llu bytes) is outside "
				 "the memory the firmware can reach",
				 i - 1, (unsigned long long)m->paddr,
				 (unsigned long long)m->size);
		sha256(phys_ptr(m->paddr), m->size, digest[i]);
		sha256_hex(digest[i], hex);
		if (i == 0)
			log_at(level, "measure",
			       "payload sha256 %s (%llu bytes)", hex,
			       (unsigned long long)m->size);
		else
			log_at(level, "measure",
			       "module %u sha256 %s (%llu bytes, "
			       "\"%s\")",
			       i - 1, hex, (unsigned long long)m->size,
			       m->name);
		const uint8_t *want = NULL;
		if (i == 0 && fw_opt.pin_payload)
			want = fw_opt.payload_sha256;
		for (uint32_t j = 0; i && j < fw_opt.npins; j++)
			if (fw_opt.pin[j].module == i - 1)
				want = fw_opt.pin[j].sha256;
		if (!want)
			continue;
		if (memcmp(want, digest[i], SHA256_DIGEST_SIZE) != 0) {
			char exp[SHA256_HEX_SIZE];
			sha256_hex(want, exp);
			if (i == 0)
				fw_fatal("measure",
					 "payload sha256 mismatch: "
					 "expected %s, got %s",
					 exp, hex);
			fw_fatal("measure",
				 "module %u sha256 mismatch: "
				 "expected %s, got %s",
				 i - 1, exp, hex);
		}
		checked = true;
	}
	ndigest = bi->nmods;
	/* Its words are the payload's too; inside the bundle, which
	 * source.c read whole, and refused when a pin is given. */
	if (bi->words.name) {
		char hex[SHA256_HEX_SIZE];
		sha256(phys_ptr(bi->words.paddr), bi->words.size, words_digest);
		sha256_hex(words_digest, hex);
		log_at(level, "measure",
		       "cmdline sha256 %s (%llu bytes, the bundle's cmdline "
		       "entry)",
		       hex, (unsigned long long)bi->words.size);
		words_measured = true;
	}
	log_debug("measure", "SHA-256: %s", sha256_impl());
}

uint64_t measure_record_size(const struct boot_info *bi)
{
	if (!fw_opt.record)
		return 0;
	return RECORD_HEAD + record_count(bi) * RECORD_ENTRY +
	       strlen(options_used()) + 1;
}

uint64_t measure_record(const struct boot_info *bi, uint8_t *at, uint64_t cap)
{
	uint64_t size = measure_record_size(bi);
	if (!size || size > cap || ndigest != bi->nmods ||
	    (bi->words.name && !words_measured))
		return 0;
	memset(at, 0, size);
	memcpy(at, "PVHFWBR1", 8);
	put_u32(at + 0x08, (uint32_t)size);
	put_u32(at + 0x0C, 1);
	fmt_snprintf((char *)at + 0x10, 16, "pvhfw %s", FW_VERSION);
	put_u32(at + 0x20, (uint32_t)record_count(bi));
	put_u32(at + 0x24, checked ? 1 : 0);
	uint64_t opts = RECORD_HEAD + record_count(bi) * RECORD_ENTRY;
	put_u32(at + 0x28, (uint32_t)opts);
	for (uint32_t i = 0; i < record_count(bi); i++) {
		uint8_t *e = at + RECORD_HEAD + i * RECORD_ENTRY;
		const uint8_t *sha = i < bi->nmods ? digest[i] : words_digest;
		const struct boot_module *m =
			i < bi->nmods ? &bi->mod[i] : &bi->words;
		memcpy(e, sha, SHA256_DIGEST_SIZE);
		put_u64(e + 32, m->size);
		uint64_t index = i - 1;
		if (i == 0)
			index = RECORD_INDEX_PAYLOAD;
		else if (i >= bi->nmods)
			index = RECORD_INDEX_CMDLINE;
		put_u64(e + 40, index);
		const char *name = i ? m->name : "payload";
		size_t n = strnlen(name, 47);
		memcpy(e + 48, name, n);
	}
	memcpy(at + opts, options_used(), strlen(options_used()) + 1);
	return size;
}
