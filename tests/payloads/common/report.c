// SPDX-License-Identifier: MIT
/*
 * report.c: the check reporter of abicheck, pvhcheck and mbcheck. A check
 * gathers its failure details and its notes (each list joined with "; "),
 * then prints one line, rt_name being the payload's name:
 *   <rt_name>: <name>: ok
 *   <rt_name>: <name>: ok (<notes>)
 *   <rt_name>: <name>: FAIL <details>
 */
#include <stdarg.h>

#include "check.h"
#include "rt.h"

#define LINE_MAX 480

struct text {
	char buf[LINE_MAX];
	size_t len;
};

static const char *name;
static int failed;
static struct text fails, notes;
static int failed_total;

void check_begin(const char *n)
{
	name = n;
	failed = 0;
	fails.len = notes.len = 0;
	fails.buf[0] = notes.buf[0] = '\0';
}

static void add(struct text *t, const char *fmt, va_list ap)
{
	int n;

	if (t->len && t->len + 2 < LINE_MAX) {
		t->buf[t->len++] = ';';
		t->buf[t->len++] = ' ';
		t->buf[t->len] = '\0';
	}
	if (t->len + 1 >= LINE_MAX)
		return;
	n = fmt_vsnprintf(t->buf + t->len, LINE_MAX - t->len, fmt, ap);
	t->len += (size_t)n;
	if (t->len >= LINE_MAX)
		t->len = LINE_MAX - 1; /* cut short */
}

void check_fail(const char *fmt, ...)
{
	va_list ap;

	failed = 1;
	va_start(ap, fmt);
	add(&fails, fmt, ap);
	va_end(ap);
}

void check_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(&notes, fmt, ap);
	va_end(ap);
}

int check_end(void)
{
	if (failed) {
		failed_total++;
		con_printf("%s: %s: FAIL %s\n", rt_name, name, fails.buf);
	} else if (notes.len) {
		con_printf("%s: %s: ok (%s)\n", rt_name, name, notes.buf);
	} else {
		con_printf("%s: %s: ok\n", rt_name, name);
	}
	return failed;
}

int checks_failed(void)
{
	return failed_total;
}
