// SPDX-License-Identifier: MIT
/* fmt.c: the printf-style formatter of fmt.h. */
#include <stdint.h>

#include "fmt.h"

struct out {
	void (*put)(void *ctx, char c);
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->put(o->ctx, c);
	o->count++;
}

static void emit_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

struct spec {
	int left, zero, alt;
	int width;
	int prec; /* -1: none */
};

/* Pad, prefix and print the digits of an already converted number. */
static void emit_number(struct out *o, const struct spec *s, const char *pfx,
			const char *digits, int ndigits)
{
	int plen = 0, zeros = 0, body, pad;

	while (pfx[plen])
		plen++;
	if (s->prec >= 0 && s->prec > ndigits)
		zeros = s->prec - ndigits;
	body = plen + zeros + ndigits;
	pad = s->width > body ? s->width - body : 0;
	if (s->zero && !s->left && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		emit_n(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		emit(o, pfx[i]);
	emit_n(o, '0', zeros);
	for (int i = 0; i < ndigits; i++)
		emit(o, digits[i]);
	if (s->left)
		emit_n(o, ' ', pad);
}

static void emit_unsigned(struct out *o, const struct spec *s, const char *pfx,
			  unsigned long long v, unsigned base, int upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24], digits[24];
	int n = 0;

	do {
		rev[n++] = set[v % base];
		v /= base;
	} while (v);
	/* C: a zero value with precision 0 prints no digits. */
	if (s->prec == 0 && n == 1 && rev[0] == '0')
		n = 0;
	for (int i = 0; i < n; i++)
		digits[i] = rev[n - 1 - i];
	emit_number(o, s, pfx, digits, n);
}

static void emit_string(struct out *o, const struct spec *s, const char *str)
{
	int n = 0;

	if (!str)
		str = "(null)";
	while (str[n] && (s->prec < 0 || n < s->prec))
		n++;
	if (!s->left)
		emit_n(o, ' ', s->width - n);
	for (int i = 0; i < n; i++)
		emit(o, str[i]);
	if (s->left)
		emit_n(o, ' ', s->width - n);
}

int fmt_vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt,
		va_list ap)
{
	struct out o = { put, ctx, 0 };

	while (*fmt) {
		struct spec s = { 0, 0, 0, 0, -1 };
		int len = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */

		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				s.left = 1;
			else if (*fmt == '0')
				s.zero = 1;
			else if (*fmt == '#')
				s.alt = 1;
			else
				break;
		}
		if (*fmt == '*') {
			s.width = va_arg(ap, int);
			if (s.width < 0) {
				s.left = 1;
				s.width = -s.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				s.width = s.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			s.prec = 0;
			if (*fmt == '*') {
				s.prec = va_arg(ap, int);
				if (s.prec < 0)
					s.prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					s.prec = s.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				len--;
			else if (*fmt == 'l')
				len++;
			else if (*fmt == 'z')
				len = 1; /* size_t is unsigned long here */
			else
				break;
		}

		char c = *fmt;
		if (!c)
			break;
		fmt++;
		switch (c) {
		case 'd':
		case 'i': {
			long long v;
			if (len >= 2)
				v = va_arg(ap, long long);
			else if (len == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			if (len == -1)
				v = (short)v;
			else if (len <= -2)
				v = (signed char)v;
			unsigned long long mag =
				v < 0 ? 0ull - (unsigned long long)v
				      : (unsigned long long)v;
			emit_unsigned(&o, &s, v < 0 ? "-" : "", mag, 10, 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v;
			if (len >= 2)
				v = va_arg(ap, unsigned long long);
			else if (len == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			if (len == -1)
				v = (unsigned short)v;
			else if (len <= -2)
				v = (unsigned char)v;
			if (c == 'u')
				emit_unsigned(&o, &s, "", v, 10, 0);
			else
				emit_unsigned(&o, &s,
					      s.alt && v
						      ? (c == 'x' ? "0x" : "0X")
						      : "",
					      v, 16, c == 'X');
			break;
		}
		case 'p':
			emit_unsigned(&o, &s, "0x",
				      (uintptr_t)va_arg(ap, void *), 16, 0);
			break;
		case 's':
			emit_string(&o, &s, va_arg(ap, const char *));
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);
			if (!s.left)
				emit_n(&o, ' ', s.width - 1);
			emit(&o, ch);
			if (s.left)
				emit_n(&o, ' ', s.width - 1);
			break;
		}
		case '%':
			emit(&o, '%');
			break;
		default: /* unknown: print it as written */
			emit(&o, '%');
			emit(&o, c);
			break;
		}
	}
	return o.count;
}

struct bufctx {
	char *buf;
	size_t size, pos;
};

static void buf_put(void *ctx, char c)
{
	struct bufctx *b = ctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufctx b = { buf, size, 0 };
	int n = fmt_vformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
