// SPDX-License-Identifier: MIT
/*
 * fuzz_cmdline.c: libFuzzer target for cmdline_split. The input is the
 * command line (up to its first NUL, if any).
 *
 * A reference splitter here cuts the line into words (separators: space,
 * tab, newline, carriage return, outside double quotes) and sorts them
 * into firmware words ("fw." prefix) and payload words. Checks, with output
 * buffers allocated to exactly cap bytes (so AddressSanitizer catches any
 * write past cap):
 *   - big cap (strlen + 1): returns true; the output is exactly the payload
 *     words joined by single spaces; re-splitting it gives the same words,
 *     none starting with "fw.";
 *   - the same with a NULL callback;
 *   - the callback sees each firmware word once, in order, as key and
 *     value split at the first '=' (value NULL without '='), pointing into
 *     the input;
 *   - small caps (0, 1, a cap derived from the input, and the exact need
 *     and one less): the output is NUL-terminated, shorter than cap, and is
 *     the longest prefix of whole payload words that fits; true iff all fit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lib/cmdline.h"

#define MAX_INPUT 16384
#define MAX_WORDS (MAX_INPUT / 2 + 1)

struct word {
	const char *p;
	size_t len;
};

static bool ref_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits s into words; returns how many. */
static size_t ref_split(const char *s, struct word *w, size_t max)
{
	size_t n = 0;
	size_t i = 0;

	for (;;) {
		while (s[i] != '\0' && ref_space(s[i]))
			i++;
		if (s[i] == '\0')
			return n;
		size_t start = i;
		bool q = false;
		while (s[i] != '\0' && (q || !ref_space(s[i]))) {
			if (s[i] == '"')
				q = !q;
			i++;
		}
		CHECK(n < max, "too many words");
		w[n].p = s + start;
		w[n].len = i - start;
		n++;
	}
}

static bool is_fw(const struct word *w)
{
	return w->len >= 3 && memcmp(w->p, "fw.", 3) == 0;
}

static struct word words[MAX_WORDS], payload[MAX_WORDS], fw[MAX_WORDS];
static struct word resplit[MAX_WORDS];
static size_t nwords, npayload, nfw;

/* Callback bookkeeping. */
struct seen {
	const char *line;
	size_t linelen;
	size_t calls;
};

static void on_opt(void *ctx, const char *key, size_t keylen, const char *val,
		   size_t vallen)
{
	struct seen *s = ctx;
	CHECK(s->calls < nfw, "more callbacks than firmware words");
	const struct word *w = &fw[s->calls++];
	CHECK(key == w->p + 3, "key does not point after \"fw.\"");
	const char *eq = memchr(w->p + 3, '=', w->len - 3);
	if (eq == NULL) {
		CHECK(val == NULL && vallen == 0 && keylen == w->len - 3,
		      "word without '=': keylen %zu vallen %zu", keylen,
		      vallen);
	} else {
		CHECK(keylen == (size_t)(eq - key) && val == eq + 1 &&
			      vallen == (size_t)(w->p + w->len - val),
		      "key/value split wrong");
	}
	CHECK(key >= s->line && key + keylen <= s->line + s->linelen &&
		      (val == NULL || (val >= s->line &&
				       val + vallen <= s->line + s->linelen)),
	      "key or value outside the line");
}

/* Length of the first k payload words joined by single spaces. */
static size_t joined_len(size_t k)
{
	size_t len = 0;
	for (size_t i = 0; i < k; i++)
		len += payload[i].len + (i ? 1 : 0);
	return len;
}

static void check_prefix(const char *out, size_t k)
{
	size_t pos = 0;
	for (size_t i = 0; i < k; i++) {
		if (i) {
			CHECK(out[pos] == ' ', "words not joined by a space");
			pos++;
		}
		CHECK(memcmp(out + pos, payload[i].p, payload[i].len) == 0,
		      "payload word %zu differs", i);
		pos += payload[i].len;
	}
	CHECK(out[pos] == '\0', "output longer than %zu words", k);
}

static void split_with_cap(const char *line, size_t cap, bool with_opt)
{
	char *out = malloc(cap);
	CHECK(out != NULL || cap == 0, "out of memory");
	struct seen s = { line, strlen(line), 0 };
	bool ok = cmdline_split(line, out, cap, with_opt ? on_opt : NULL, &s);
	if (with_opt)
		CHECK(s.calls == nfw, "%zu callbacks for %zu firmware words",
		      s.calls, nfw);
	if (cap == 0) {
		CHECK(ok == (npayload == 0),
		      "cap 0: returned %d with %zu "
		      "payload words",
		      ok, npayload);
		free(out);
		return;
	}
	size_t len = bounded_len(out, cap);
	CHECK(len < cap, "output not NUL-terminated within cap %zu", cap);

	/* The longest prefix of whole words that fits. */
	size_t k = 0, used = 0;
	while (k < npayload && used + (k ? 1 : 0) + payload[k].len + 1 <= cap) {
		used += (k ? 1 : 0) + payload[k].len;
		k++;
	}
	check_prefix(out, k);
	CHECK(ok == (k == npayload), "returned %d, %zu of %zu words fit", ok, k,
	      npayload);

	size_t nre = ref_split(out, resplit, MAX_WORDS);
	CHECK(nre == k, "output re-splits into %zu words, not %zu", nre, k);
	for (size_t i = 0; i < nre; i++)
		CHECK(!is_fw(&resplit[i]), "output word %zu starts with fw.",
		      i);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	char *line = malloc(size + 1);
	CHECK(line != NULL, "out of memory");
	memcpy(line, data, size);
	line[size] = '\0';

	nwords = ref_split(line, words, MAX_WORDS);
	npayload = nfw = 0;
	for (size_t i = 0; i < nwords; i++) {
		if (is_fw(&words[i]))
			fw[nfw++] = words[i];
		else
			payload[npayload++] = words[i];
	}

	size_t big = strlen(line) + 1;
	size_t need = joined_len(npayload) + 1;
	CHECK(need <= big, "reference output longer than the input");
	split_with_cap(line, big, true);
	split_with_cap(line, big, false);
	split_with_cap(line, need, true);
	split_with_cap(line, need - 1, false);
	split_with_cap(line, 0, true);
	split_with_cap(line, 1, false);
	unsigned int h = 0;
	for (size_t i = 0; i < size; i++)
		h = h * 31 + data[i];
	split_with_cap(line, 2 + h % 48, true);

	free(line);
	return 0;
}
