// SPDX-License-Identifier: MIT
/* cmdline.c: the command-line splitter (see cmdline.h for the rules). */
#include <string.h>

#include "cmdline.h"
#include "inline.h"

INLINE bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool cmdline_split(const char *s, char *out, size_t cap, cmdline_opt_fn opt,
		   void *ctx)
{
	size_t len = 0;
	bool ok = true;
	if (cap)
		out[0] = '\0';
	while (*s) {
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		const char *w = s;
		bool quoted = false;
		for (; *s && (quoted || !is_space(*s)); s++)
			quoted ^= *s == '"';
		size_t wlen = (size_t)(s - w);
		if (wlen >= 3 && strncmp(w, "fw.", 3) == 0) {
			if (!opt)
				continue;
			const char *key = w + 3;
			size_t keylen = wlen - 3;
			const char *val = NULL;
			size_t vallen = 0;
			for (size_t i = 0; i < keylen; i++) {
				if (key[i] == '=') {
					val = key + i + 1;
					vallen = keylen - i - 1;
					keylen = i;
					break;
				}
			}
			opt(ctx, key, keylen, val, vallen);
			continue;
		}
		size_t need = wlen + (len ? 1 : 0);
		if (!ok || len + need + 1 > cap) {
			ok = false;
			continue;
		}
		if (len)
			out[len++] = ' ';
		memcpy(out + len, w, wlen);
		len += wlen;
		out[len] = '\0';
	}
	return ok;
}

/* Whether w (n bytes) is name, or name without a final ".efi", both in
 * any case (FAT names are). */
static bool same_name(const char *w, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (k >= 4 && name[k - 4] == '.' && (name[k - 3] | 0x20) == 'e' &&
	    (name[k - 2] | 0x20) == 'f' && (name[k - 1] | 0x20) == 'i' &&
	    n == k - 4)
		k -= 4;
	if (n != k || !n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = w[i], b = name[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a | 0x20);
		if (b >= 'A' && b <= 'Z')
			b = (char)(b | 0x20);
		if (a != b)
			return false;
	}
	return true;
}

bool cmdline_is_image_name(const char *w, size_t n, const char *file)
{
	bool path = false;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '=')
			return false;
		path |= w[i] == '\\' || w[i] == ':';
	}
	if (path)
		return true;
	if (file && same_name(w, n, file))
		return true;
	if (n < 4)
		return false;
	const char *e = w + n - 4;
	return e[0] == '.' && (e[1] | 0x20) == 'e' && (e[2] | 0x20) == 'f' &&
	       (e[3] | 0x20) == 'i';
}
