// SPDX-License-Identifier: MIT
/*
 * bundle.c: finds the kernel, the command-line words and the modules in a
 * cpio "newc" bundle.
 *
 * A newc archive is a sequence of entries, each a 110-byte ASCII header, the
 * entry's name (NUL included) padded so that header and name end on a
 * multiple of 4 from the archive start, then the data, padded to a multiple of
 * 4 as well. The header is the magic "070701" (or "070702": the same with a
 * checksum) and 13 fields of 8 hex digits: ino, mode, uid, gid, nlink, mtime,
 * filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check. The
 * entry named "TRAILER!!!" ends the archive.
 *
 * bundle_parse() validates in the order documented in bundle.h:
 *   1. the first entry's magic (the archive is a newc cpio at all);
 *   2. for each entry, starting at offset 0: the header is inside the view,
 *      then its magic and every hex field, then the name size, the name's
 *      bounds and its NUL, the trailer test, and the data's bounds; the next
 *      entry starts at the data's end rounded up to 4;
 *   3. regular files only: "./" stripping (repeated: "././a" is "a"), a
 *      non-empty name with no byte below 0x20, 0x7F or '"', the entry
 *      limit, uniqueness; the entry is recorded, and "kernel" and
 *      "cmdline" are noted;
 *   4. after the trailer: that a kernel was found.
 * Every value is read through the bounds-checked view accessors, the hex
 * fields are at most 8 digits (so they fit in 32 bits), and every sum of an
 * offset and a size is checked for overflow before it is used. The walk ends:
 * each entry advances the offset by at least 112 bytes and must lie inside
 * the view, so there are at most len / 112 + 1 iterations.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bundle.h"
#include "../lib/hex.h"

#define CPIO_HDR_SIZE 110
#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8
#define CPIO_NFIELDS 13

/* Indices of the header fields used here (after the magic). */
#define CPIO_F_MODE 1
#define CPIO_F_FILESIZE 6
#define CPIO_F_NAMESIZE 11

#define CPIO_S_IFMT 0170000u
#define CPIO_S_IFREG 0100000u

#define CPIO_TRAILER "TRAILER!!!"

/* BUNDLE_MAX_ENTRIES as text, for its message. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define MAX_ENTRIES_TEXT STR(BUNDLE_MAX_ENTRIES)

const char *bundle_strerror(enum bundle_err err)
{
	switch (err) {
	case BUNDLE_OK:
		return "no error";
	case BUNDLE_E_NOT_CPIO:
		return "not a cpio (newc) archive";
	case BUNDLE_E_TRUNCATED:
		return "archive truncated (an entry runs past the end)";
	case BUNDLE_E_HEADER:
		return "bad cpio entry header";
	case BUNDLE_E_NAME:
		return "bad entry name";
	case BUNDLE_E_TOO_MANY:
		return "too many entries: more than " MAX_ENTRIES_TEXT
		       " files (kernel, cmdline and modules)";
	case BUNDLE_E_NO_TRAILER:
		return "no TRAILER!!! entry";
	case BUNDLE_E_NO_KERNEL:
		return "no entry named 'kernel'";
	case BUNDLE_E_DUPLICATE:
		return "two entries with the same name";
	}
	return "unknown error";
}

/* "070701" (newc) or "070702" (newc with checksums) at p[0..5]. */
static bool magic_ok(const uint8_t *p)
{
	return memcmp(p, "07070", 5) == 0 && (p[5] == '1' || p[5] == '2');
}

bool bundle_is_cpio(const struct view *f)
{
	const uint8_t *p = view_ptr(f, 0, CPIO_MAGIC_LEN);

	return p != NULL && magic_ok(p);
}

/* Eight hex digits (either case) at p; false on any other character. */
static bool hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t x = 0;

	for (int i = 0; i < CPIO_FIELD_LEN; i++) {
		int d = hex_digit((char)p[i]);

		if (d < 0)
			return false;
		x = x << 4 | (uint32_t)d;
	}
	*out = x;
	return true;
}

/* x rounded up to a multiple of 4; false when that does not fit. */
static bool align4(uint64_t x, uint64_t *out)
{
	if (x > UINT64_MAX - 3)
		return false;
	*out = (x + 3) & ~(uint64_t)3;
	return true;
}

/* Step 3: records the regular file name[0..len) with its data. */
static enum bundle_err add_file(struct bundle *out, const uint8_t *name,
				uint64_t len, uint64_t data, uint64_t size,
				uint32_t mode)
{
	struct bundle_entry *e;

	while (len >= 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		len -= 2;
	}
	if (len == 0)
		return BUNDLE_E_NAME;
	/* The name goes into the log and to the payload as a string: no
	 * control byte (a line break would start a forged log line) and no
	 * '"', which quotes it there. */
	for (uint64_t i = 0; i < len; i++)
		if (name[i] < 0x20 || name[i] == 0x7F || name[i] == '"')
			return BUNDLE_E_NAME;
	if (out->n >= BUNDLE_MAX_ENTRIES)
		return BUNDLE_E_TOO_MANY;
	for (uint32_t i = 0; i < out->n; i++) {
		if (strlen(out->e[i].name) == len &&
		    memcmp(out->e[i].name, name, len) == 0)
			return BUNDLE_E_DUPLICATE;
	}

	/* len < namesize <= BUNDLE_NAME_MAX: the name and its NUL fit. */
	e = &out->e[out->n];
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->offset = data;
	e->size = size;
	e->mode = mode;
	if (strcmp(e->name, "kernel") == 0)
		out->kernel = (int)out->n;
	else if (strcmp(e->name, "cmdline") == 0)
		out->cmdline = (int)out->n;
	out->n++;
	return BUNDLE_OK;
}

enum bundle_err bundle_parse(const struct view *f, struct bundle *out)
{
	uint64_t off = 0;

	memset(out, 0, sizeof(*out));
	out->kernel = -1;
	out->cmdline = -1;

	/* 1. */
	if (!bundle_is_cpio(f))
		return BUNDLE_E_NOT_CPIO;

	/* 2. Each iteration ends at the trailer, an error, or off += >= 112. */
	for (;;) {
		uint32_t field[CPIO_NFIELDS];
		const uint8_t *hdr, *name;
		uint64_t name_off, namesize, data, size, end;
		enum bundle_err err;

		if (off == f->len)
			return BUNDLE_E_NO_TRAILER;
		hdr = view_ptr(f, off, CPIO_HDR_SIZE);
		if (hdr == NULL)
			return BUNDLE_E_TRUNCATED;
		if (!magic_ok(hdr))
			return BUNDLE_E_HEADER;
		for (int i = 0; i < CPIO_NFIELDS; i++) {
			const uint8_t *p =
				hdr + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN;

			if (!hex8(p, &field[i]))
				return BUNDLE_E_HEADER;
		}

		namesize = field[CPIO_F_NAMESIZE];
		if (namesize == 0 || namesize > BUNDLE_NAME_MAX)
			return BUNDLE_E_NAME;
		/* The header is inside the view, so this does not wrap. */
		name_off = off + CPIO_HDR_SIZE;
		name = view_ptr(f, name_off, namesize);
		if (name == NULL)
			return BUNDLE_E_TRUNCATED;
		if (name[namesize - 1] != '\0' ||
		    strlen((const char *)name) != namesize - 1)
			return BUNDLE_E_NAME;
		if (namesize == sizeof(CPIO_TRAILER) &&
		    memcmp(name, CPIO_TRAILER, sizeof(CPIO_TRAILER)) == 0)
			break;

		size = field[CPIO_F_FILESIZE];
		if (!align4(name_off + namesize, &data) ||
		    !view_has(f, data, size))
			return BUNDLE_E_TRUNCATED;
		/* The data is inside the view, so data + size does not wrap. */
		if (!align4(data + size, &end))
			return BUNDLE_E_TRUNCATED;

		/* 3. */
		if ((field[CPIO_F_MODE] & CPIO_S_IFMT) == CPIO_S_IFREG) {
			err = add_file(out, name, namesize - 1, data, size,
				       field[CPIO_F_MODE]);
			if (err != BUNDLE_OK)
				return err;
		}
		off = end;
	}

	/* 4. */
	if (out->kernel < 0)
		return BUNDLE_E_NO_KERNEL;
	return BUNDLE_OK;
}
