// SPDX-License-Identifier: MIT
/*
 * cmdline.h: split a command line into the firmware's options and the
 * payload's words.
 *
 * Words are separated by spaces, tabs and newlines outside double quotes
 * (Linux's rule, so `foo="a b"` is one word). A word beginning with "fw." is
 * the firmware's; every other word is the payload's, passed on unchanged and
 * in order, joined by single spaces.
 */
#ifndef PVHFW_CMDLINE_H
#define PVHFW_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Called for each firmware word, without the "fw." prefix: for
 * "fw.loglevel=debug", key "loglevel" (keylen 8) and value "debug"
 * (vallen 5); for "fw.help" the value is NULL. Not NUL-terminated. */
typedef void (*cmdline_opt_fn)(void *ctx, const char *key, size_t keylen,
			       const char *val, size_t vallen);

/*
 * Splits the NUL-terminated line s: calls opt for each firmware word and
 * writes the payload's words to out (cap bytes, NUL-terminated when
 * cap > 0). Returns false when out was too small (it then holds as many
 * whole words as fit). opt may be NULL.
 */
bool cmdline_split(const char *s, char *out, size_t cap, cmdline_opt_fn opt,
		   void *ctx);

/*
 * Whether w (n bytes, one word) is the image name an EFI shell passes as
 * the first word of LoadOptions, the command as typed (fw.efi, \a\fw.efi,
 * fs0:\fw.efi, fw): it holds no '=', and it ends in ".efi" (any case),
 * holds a backslash or ':', or is file (the name the image was loaded
 * from, "fw.efi", when known; else NULL) with or without its ".efi", in
 * any case. A Boot#### entry's options have no image name and may begin
 * with a word such as fw.payload=\a\b or ip=10.0.0.2::10.0.0.1:..., which
 * is not one.
 */
bool cmdline_is_image_name(const char *w, size_t n, const char *file);

#endif
