// SPDX-License-Identifier: MIT
/*
 * report.c: the check reporter. A check collects its failure details (joined
 * with "; ") or its informational notes, then prints one line:
 *   abicheck: <name>: ok
 *   abicheck: <name>: ok (<notes>)
 *   abicheck: <name>: FAIL <details>
 */
#include "abicheck.h"

#define DETAIL_MAX 480

static const char *cur_name;
static int cur_failed;
static char fail_buf[DETAIL_MAX], info_buf[DETAIL_MAX];
static size_t fail_len, info_len;
static int failed_total;

void check_begin(const char *name)
{
	cur_name = name;
	cur_failed = 0;
	fail_len = info_len = 0;
	fail_buf[0] = info_buf[0] = '\0';
}

static void append(char *buf, size_t *len, const char *fmt, va_list ap)
{
	if (*len && *len < DETAIL_MAX - 2) {
		buf[(*len)++] = ';';
		buf[(*len)++] = ' ';
		buf[*len] = '\0';
	}
	if (*len < DETAIL_MAX) {
		int n = fmt_vsnprintf(buf + *len, DETAIL_MAX - *len, fmt, ap);
		*len += (size_t)n;
		if (*len >= DETAIL_MAX)
			*len = DETAIL_MAX - 1; /* truncated */
	}
}

void check_fail(const char *fmt, ...)
{
	va_list ap;

	cur_failed = 1;
	va_start(ap, fmt);
	append(fail_buf, &fail_len, fmt, ap);
	va_end(ap);
}

void check_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(info_buf, &info_len, fmt, ap);
	va_end(ap);
}

int check_end(void)
{
	if (cur_failed) {
		failed_total++;
		con_printf("abicheck: %s: FAIL %s\n", cur_name, fail_buf);
	} else if (info_len) {
		con_printf("abicheck: %s: ok (%s)\n", cur_name, info_buf);
	} else {
		con_printf("abicheck: %s: ok\n", cur_name);
	}
	return cur_failed;
}

int checks_failed(void)
{
	return failed_total;
}
