// SPDX-License-Identifier: MIT
/*
 * modhash.c: check.modhash=1 (see modhash.h): each module's SHA-256, taken
 * at entry with the firmware's own crypto/sha256.c, against the digest of
 * its entry in pvhfw's boot record (pvhcheck/record.c finds the entry).
 */
#include "modhash.h"

#include "../../../crypto/sha256.h"
#include "../pvhcheck/record.h"
#include "rt.h"

static const char record_name[] = "pvhfw-boot-record";

#define DETAILED 2 /* modules that differ, given in full in the FAIL */

static struct {
	int taken;	/* modhash_take ran */
	uint32_t count; /* the modules the loader handed over, the record too */
	uint32_t n;	/* of them in mod[], the record left out */
	struct modhash_mod mod[MODHASH_MAX];
	uint8_t sha[MODHASH_MAX][SHA256_DIGEST_SIZE];
	uint64_t bytes; /* hashed in all */
	int have_record;
	struct modhash_mod record;
} mh;

/* Whether s is the record's name (compared up to its NUL, not past s's). */
static int is_record_name(const char *s)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < sizeof(record_name); i++)
		if (s[i] != record_name[i])
			return 0;
	return 1;
}

void modhash_take(const struct modhash_mod *mods, uint32_t n, uint32_t count)
{
	mh.taken = 1;
	mh.count = count;
	if (n > MODHASH_MAX + 1)
		n = MODHASH_MAX + 1;
	if (n && n == count && is_record_name(mods[n - 1].name)) {
		mh.have_record = 1;
		mh.record = mods[n - 1];
		n--;
	}
	if (n > MODHASH_MAX)
		n = MODHASH_MAX;
	mh.n = n;
	for (uint32_t i = 0; i < n; i++) {
		mh.mod[i] = mods[i];
		if (!mods[i].bytes)
			continue;
		sha256(mods[i].bytes, mods[i].size, mh.sha[i]);
		mh.bytes += mods[i].size;
	}
}

void si_modhash_take(const struct si_handoff *h,
		     const void *(*ptr)(uint64_t pa, uint64_t len))
{
	static struct modhash_mod mods[MODHASH_MAX + 1];
	const struct si_v1 *si = &h->si;
	uint32_t count = h->si_ok ? si->nr_modules : 0, n = 0;
	const struct si_mod *list = NULL;

	if (count && si->modlist_paddr) {
		n = count < MODHASH_MAX + 1 ? count : MODHASH_MAX + 1;
		list = ptr(si->modlist_paddr, (uint64_t)n * sizeof(*list));
	}
	if (!list)
		n = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct si_mod m;

		memcpy(&m, &list[i], sizeof(m));
		mods[i] = (struct modhash_mod){
			.paddr = m.paddr,
			.size = m.size,
			.bytes = m.paddr + m.size >= m.paddr
					 ? ptr(m.paddr, m.size)
					 : NULL,
			.name = m.cmdline_paddr ? ptr(m.cmdline_paddr,
						      sizeof(record_name))
						: NULL,
		};
	}
	modhash_take(mods, n, count);
}

void check_modhash(void)
{
	char got[SHA256_HEX_SIZE], want[SHA256_HEX_SIZE];
	const uint8_t *r = mh.record.bytes;
	uint64_t len = mh.record.size;
	uint32_t bad = 0;

	if (!mh.taken)
		return;
	for (uint32_t i = 0; i < mh.n; i++) {
		const struct modhash_mod *m = &mh.mod[i];
		if (!m->bytes)
			continue;
		sha256_hex(mh.sha[i], got);
		con_printf("%s: modhash: module %u: %s %lu bytes at 0x%lx\n",
			   rt_name, i, got, m->size, m->paddr);
	}

	check_begin("modhash");
	if (mh.n + mh.have_record != mh.count)
		check_fail("%u modules, more than the %u it can hash and the "
			   "boot record, or the module list cannot be read",
			   mh.count, MODHASH_MAX);
	if (!mh.have_record) {
		check_fail("no boot record (the last module named %s, "
			   "fw.record=on) to compare the modules with",
			   record_name);
		check_end();
		return;
	}
	if (!r || !record_readable(r, len)) {
		check_fail("the boot record at 0x%lx (%lu bytes) cannot be "
			   "read, or its header does not fit it",
			   mh.record.paddr, len);
		check_end();
		return;
	}
	/* A FAIL line holds about 480 characters: the first two modules
	 * that differ in full (two digests each), the rest counted. */
	for (uint32_t i = 0; i < mh.n; i++) {
		const struct modhash_mod *m = &mh.mod[i];
		const uint8_t *e = record_entry(r, len, i);
		if (m->bytes && e &&
		    memcmp(e, mh.sha[i], SHA256_DIGEST_SIZE) == 0)
			continue;
		if (bad++ >= DETAILED)
			continue;
		if (!m->bytes) {
			check_fail("module %u at 0x%lx (%lu bytes) cannot be "
				   "read",
				   i, m->paddr, m->size);
		} else if (!e) {
			check_fail("module %u: the boot record has no entry "
				   "of index %u",
				   i, i);
		} else {
			sha256_hex(mh.sha[i], got);
			sha256_hex(e, want);
			check_fail("module %u at 0x%lx: sha256 %s, the "
				   "record's %s",
				   i, m->paddr, got, want);
		}
	}
	if (bad > DETAILED)
		check_fail("and %u more module%s (their digests at entry "
			   "above)",
			   bad - DETAILED, bad - DETAILED == 1 ? "" : "s");
	if (!bad)
		check_info("%u module%s, %lu bytes hashed at entry, each as "
			   "the boot record has it",
			   mh.n, mh.n == 1 ? "" : "s", mh.bytes);
	check_end();
}
