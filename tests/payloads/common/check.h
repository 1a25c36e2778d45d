// SPDX-License-Identifier: MIT
/*
 * check.h: the check reporter shared by abicheck, pvhcheck and mbcheck
 * (common/report.c) and the size units their checks print in.
 */
#ifndef PAYLOAD_CHECK_H
#define PAYLOAD_CHECK_H

#include <stdint.h>

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

/* One line per check, "<rt_name>: <name>: ok (info)" or FAIL. */
void check_begin(const char *name);
void check_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int check_end(void); /* prints the line; returns 1 if it failed */
int checks_failed(void);

#endif
