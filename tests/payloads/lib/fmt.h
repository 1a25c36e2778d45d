// SPDX-License-Identifier: MIT
/*
 * fmt.h: a small printf-style formatter, free of hardware so that it also
 * builds and is tested on the host (host/test_host.c).
 *
 * Conversions: %d %i %u %x %X %p %s %c %%. Flags: '-' (left-justify), '0'
 * (zero-pad numbers), '#' (0x prefix for %x). Width and precision as digits
 * or '*'; a precision limits %s and gives the minimum digit count of
 * numbers. Length modifiers: hh h l ll z. %p prints 0x and the hex value.
 */
#ifndef PAYLOAD_FMT_H
#define PAYLOAD_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* put(ctx, c) is called once per output character. Returns the count. */
int fmt_vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt,
		va_list ap);

/*
 * Like C's vsnprintf: writes at most size - 1 characters and a NUL (if
 * size > 0), returns the length the whole output would have had.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
