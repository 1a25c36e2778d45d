// SPDX-License-Identifier: MIT
/*
 * fuzz_bundle.c: libFuzzer target for bundle_parse. The input is the
 * archive (an exactly sized heap buffer, so AddressSanitizer catches any
 * read past its end).
 *
 * Checks:
 *   - the error and the entries collected (on success and on error) equal
 *     those of a reference newc walker written here from the order in
 *     bundle.h; bundle_is_cpio agrees with BUNDLE_E_NOT_CPIO;
 *   - on success: 1 <= n <= BUNDLE_MAX_ENTRIES; every name is
 *     NUL-terminated inside its array, not empty, has no leading "./",
 *     no byte below 0x20, 0x7F or '"', and is unique; every entry's data
 * [offset, offset + size) lies inside the archive, starts at a multiple of 4
 * and after the previous entry's data; every mode is a regular file's; kernel
 * indexes the entry named "kernel", cmdline the one named "cmdline" or is -1.
 */
#include <stdint.h>
#include <string.h>

#include "bundle/bundle.h"
#include "fuzz.h"

static bool ref_hex8(const uint8_t *p, uint32_t *out)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		int c = p[i];
		if (c >= 'A' && c <= 'F')
			c += 'a' - 'A';
		const char *d = c ? strchr(digits, c) : NULL;
		if (d == NULL)
			return false;
		x = x * 16 + (uint32_t)(d - digits);
	}
	*out = x;
	return true;
}

static bool ref_magic(const uint8_t *p)
{
	return memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0;
}

static enum bundle_err ref_add(struct bundle *b, const char *name, size_t len,
			       uint64_t data, uint64_t size, uint32_t mode)
{
	while (len >= 2 && memcmp(name, "./", 2) == 0) {
		name += 2;
		len -= 2;
	}
	if (len == 0)
		return BUNDLE_E_NAME;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c <= 0x1F || c == 0x7F || c == '"')
			return BUNDLE_E_NAME;
	}
	if (b->n == BUNDLE_MAX_ENTRIES)
		return BUNDLE_E_TOO_MANY;
	for (uint32_t i = 0; i < b->n; i++)
		if (strlen(b->e[i].name) == len &&
		    memcmp(b->e[i].name, name, len) == 0)
			return BUNDLE_E_DUPLICATE;
	struct bundle_entry *e = &b->e[b->n];
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->offset = data;
	e->size = size;
	e->mode = mode;
	if (strcmp(e->name, "kernel") == 0)
		b->kernel = (int)b->n;
	if (strcmp(e->name, "cmdline") == 0)
		b->cmdline = (int)b->n;
	b->n++;
	return BUNDLE_OK;
}

static enum bundle_err ref_parse(const uint8_t *d, size_t len, struct bundle *b)
{
	uint64_t off = 0;

	memset(b, 0, sizeof(*b));
	b->kernel = b->cmdline = -1;
	if (len < 6 || !ref_magic(d))
		return BUNDLE_E_NOT_CPIO;
	for (;;) {
		uint32_t f[13];
		if (off == len)
			return BUNDLE_E_NO_TRAILER;
		if (!in_buf(len, off, 110))
			return BUNDLE_E_TRUNCATED;
		const uint8_t *h = d + off;
		if (!ref_magic(h))
			return BUNDLE_E_HEADER;
		for (int i = 0; i < 13; i++)
			if (!ref_hex8(h + 6 + 8 * i, &f[i]))
				return BUNDLE_E_HEADER;
		uint32_t namesize = f[11], size = f[6], mode = f[1];
		if (namesize < 1 || namesize > BUNDLE_NAME_MAX)
			return BUNDLE_E_NAME;
		if (!in_buf(len, off + 110, namesize))
			return BUNDLE_E_TRUNCATED;
		const char *name = (const char *)h + 110;
		if (name[namesize - 1] != '\0' ||
		    memchr(name, '\0', namesize - 1) != NULL)
			return BUNDLE_E_NAME;
		if (strcmp(name, "TRAILER!!!") == 0)
			break;
		uint64_t data = (off + 110 + namesize + 3) / 4 * 4;
		if (!in_buf(len, data, size))
			return BUNDLE_E_TRUNCATED;
		if ((mode & 0170000) == 0100000) {
			enum bundle_err err = ref_add(b, name, namesize - 1,
						      data, size, mode);
			if (err != BUNDLE_OK)
				return err;
		}
		off = (data + size + 3) / 4 * 4;
	}
	return b->kernel < 0 ? BUNDLE_E_NO_KERNEL : BUNDLE_OK;
}

static void check_same(const struct bundle *a, const struct bundle *r)
{
	CHECK(a->n == r->n, "%u entries, reference %u", a->n, r->n);
	CHECK(a->kernel == r->kernel && a->cmdline == r->cmdline,
	      "kernel/cmdline %d/%d, reference %d/%d", a->kernel, a->cmdline,
	      r->kernel, r->cmdline);
	for (uint32_t i = 0; i < a->n && i < BUNDLE_MAX_ENTRIES; i++) {
		const struct bundle_entry *x = &a->e[i], *y = &r->e[i];
		CHECK(bounded_len(x->name, BUNDLE_NAME_MAX) < BUNDLE_NAME_MAX,
		      "entry %u name not NUL-terminated", i);
		CHECK(strcmp(x->name, y->name) == 0 && x->offset == y->offset &&
			      x->size == y->size && x->mode == y->mode,
		      "entry %u: \"%s\" @%#llx +%#llx mode %o, reference "
		      "\"%s\" @%#llx +%#llx mode %o",
		      i, x->name, (unsigned long long)x->offset,
		      (unsigned long long)x->size, x->mode, y->name,
		      (unsigned long long)y->offset,
		      (unsigned long long)y->size, y->mode);
	}
}

static void check_ok(const struct bundle *b, size_t len)
{
	uint64_t prev_end = 0;

	CHECK(b->n >= 1 && b->n <= BUNDLE_MAX_ENTRIES, "n %u", b->n);
	CHECK(b->kernel >= 0 && (uint32_t)b->kernel < b->n &&
		      strcmp(b->e[b->kernel].name, "kernel") == 0,
	      "kernel index %d", b->kernel);
	CHECK(b->cmdline == -1 ||
		      ((uint32_t)b->cmdline < b->n &&
		       strcmp(b->e[b->cmdline].name, "cmdline") == 0),
	      "cmdline index %d", b->cmdline);
	for (uint32_t i = 0; i < b->n; i++) {
		const struct bundle_entry *e = &b->e[i];
		CHECK(e->name[0] != '\0', "entry %u has an empty name", i);
		CHECK(strncmp(e->name, "./", 2) != 0,
		      "entry %u name \"%s\" starts with ./", i, e->name);
		for (const char *c = e->name; *c; c++)
			CHECK((unsigned char)*c >= 0x20 && *c != 0x7F &&
				      *c != '"',
			      "entry %u name holds byte 0x%02x", i,
			      (unsigned char)*c);
		CHECK((e->mode & 0170000) == 0100000,
		      "entry %u mode %o is not a regular file", i, e->mode);
		CHECK(in_buf(len, e->offset, e->size),
		      "entry %u data outside the archive", i);
		CHECK(e->offset % 4 == 0, "entry %u data at %#llx", i,
		      (unsigned long long)e->offset);
		CHECK(e->offset >= prev_end + 110,
		      "entry %u data overlaps the previous entry", i);
		prev_end = e->offset + e->size;
		for (uint32_t j = 0; j < i; j++)
			CHECK(strcmp(b->e[j].name, e->name) != 0,
			      "entries %u and %u are both \"%s\"", j, i,
			      e->name);
		if (strcmp(e->name, "kernel") == 0)
			CHECK((uint32_t)b->kernel == i, "second kernel");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bundle b, ref;
	const struct view f = view_make(data, size);

	enum bundle_err err = bundle_parse(&f, &b);
	CHECK(bundle_strerror(err) != NULL, "bundle_strerror(%d)", err);
	CHECK((err == BUNDLE_E_NOT_CPIO) == !bundle_is_cpio(&f),
	      "bundle_is_cpio disagrees with %s", bundle_strerror(err));
	enum bundle_err want = ref_parse(data, size, &ref);
	CHECK(err == want, "bundle_parse: %s, reference: %s",
	      bundle_strerror(err), bundle_strerror(want));
	check_same(&b, &ref);
	if (err == BUNDLE_OK)
		check_ok(&b, size);
	return 0;
}
