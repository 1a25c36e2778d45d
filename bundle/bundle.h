// SPDX-License-Identifier: MIT
/*
 * bundle.h: the pvhfw bundle, a cpio "newc" archive passed as PVH module 0.
 *
 * QEMU and Cloud Hypervisor pass a single PVH module. When that module is a
 * cpio archive in the "newc" format (magic "070701", or "070702" for newc with
 * checksums, as `cpio -H newc -o` writes), it is a bundle: the regular-file
 * entry named "kernel" is the payload, the entry named "cmdline" (optional)
 * holds words appended to the command line, and every other regular-file entry
 * becomes a module, in archive order, with its name as the module's string.
 * scripts/mkbundle writes such archives.
 *
 * bundle_parse() walks the whole archive through a view and records where
 * each regular file's data lies; it copies no data. It never reads outside the
 * view, checks every size and offset read from the archive (and every sum of
 * them) and stops at the "TRAILER!!!" entry. What it accepts (in this order;
 * the first failing step is the error):
 *   1. the magic of the first entry (BUNDLE_E_NOT_CPIO);
 *   2. for each entry, from offset 0: a whole 110-byte header in the view
 *      (BUNDLE_E_TRUNCATED; BUNDLE_E_NO_TRAILER when the view ends exactly
 *      where the header would start, i.e. at the previous entry's data end
 *      rounded up to 4: a view that ends at the data's own end, short of
 *      that padding, gives BUNDLE_E_TRUNCATED), the magic and 13 fields of
 *      8 hex digits (BUNDLE_E_HEADER), a name size of 1..BUNDLE_NAME_MAX
 *      including the NUL (BUNDLE_E_NAME), the name in the view
 *      (BUNDLE_E_TRUNCATED), NUL-terminated with no earlier NUL
 *      (BUNDLE_E_NAME); "TRAILER!!!" ends the walk (anything after it is
 *      ignored); the data, which starts at the next multiple of 4, in the
 *      view (BUNDLE_E_TRUNCATED);
 *   3. for each regular file (mode & 0170000 == 0100000; other types are
 *      skipped): leading "./"s are stripped, the name must not be empty
 *      nor hold a byte below 0x20, 0x7F or '"' (BUNDLE_E_NAME: it goes
 *      into the log and to the payload as a string), at most
 *      BUNDLE_MAX_ENTRIES of them (BUNDLE_E_TOO_MANY), no two with the
 *      same name (BUNDLE_E_DUPLICATE);
 *   4. an entry named "kernel" (BUNDLE_E_NO_KERNEL).
 * The newc checksum of "070702" entries is not verified.
 */
#ifndef PVHFW_BUNDLE_H
#define PVHFW_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/view.h"

/* Regular files (kernel, cmdline, modules): other entries do not count.
 * The payload and its modules fit the firmware's BOOT_MAX_MODULES (32). */
#define BUNDLE_MAX_ENTRIES 32
#define BUNDLE_NAME_MAX 128 /* bytes of a name, including its NUL */

struct bundle_entry {
	char name[BUNDLE_NAME_MAX]; /* without leading "./"; NUL-terminated */
	uint64_t offset;	    /* of the data within the archive */
	uint64_t size;		    /* bytes of data */
	uint32_t mode; /* the whole c_mode (type and permissions) */
};

struct bundle {
	uint32_t n; /* regular-file entries, in archive order */
	struct bundle_entry e[BUNDLE_MAX_ENTRIES];
	int kernel;  /* index of "kernel" in e, or -1 */
	int cmdline; /* index of "cmdline" in e, or -1 */
};

enum bundle_err {
	BUNDLE_OK = 0,
	BUNDLE_E_NOT_CPIO,
	BUNDLE_E_TRUNCATED,
	BUNDLE_E_HEADER,
	BUNDLE_E_NAME,
	BUNDLE_E_TOO_MANY,
	BUNDLE_E_NO_TRAILER,
	BUNDLE_E_NO_KERNEL,
	BUNDLE_E_DUPLICATE,
};

/*
 * Messages for the firmware's one-line errors, e.g. BUNDLE_E_NO_KERNEL ->
 * "no entry named 'kernel'". Never NULL.
 */
const char *bundle_strerror(enum bundle_err err);

/* True when the view starts with "070701" or "070702" (format sniffing). */
bool bundle_is_cpio(const struct view *f);

/*
 * Parses and validates the archive f (see above). out is fully written on
 * BUNDLE_OK; on an error it holds the entries collected so far. Each entry's
 * data is [offset, offset + size) of f, already checked to lie inside f.
 */
enum bundle_err bundle_parse(const struct view *f, struct bundle *out);

#endif
