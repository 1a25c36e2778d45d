// SPDX-License-Identifier: MIT
/*
 * fmt.h: a small printf-style formatter, the same code in the firmware and
 * on the host. Conversions: %s %c %d %i %u %x %X %p %% with the length
 * modifiers l, ll and z, flags '-' and '0', a field width and, for %s, a
 * precision ("%.*s"); '*' takes either from the arguments. Anything else
 * is printed literally.
 */
#ifndef PVHFW_FMT_H
#define PVHFW_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into buf (cap bytes, always NUL-terminated when cap > 0).
 * Returns the length the full output would have, like vsnprintf.
 */
size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
