// SPDX-License-Identifier: MIT
/*
 * log.c: the boot log (one line per stage, with microseconds since the
 * firmware's first instruction) and the one fatal path.
 *
 * Microseconds come from the TSC. Its rate is taken from CPUID where the
 * CPU or hypervisor states it (leaf 0x40000010, 0x15, 0x16), else measured
 * against the ACPI PM timer (power.c); without either the log shows raw TSC
 * ticks instead of microseconds. The firmware never
 * measures it against the PIT: reprogramming PIT channel 2 made Linux's own
 * PIT calibration fail afterwards under QEMU TCG (and the kernel hang).
 */
#include <stdarg.h>

#include "../lib/fmt.h"
#include "console.h"
#include "fw.h"
#include "io.h"

static uint64_t tsc_start;
static uint64_t tsc_khz;

static uint64_t tsc_khz_cpuid(void)
{
	struct cpuid r = cpuid(0, 0);
	uint32_t max = r.a;
	if (cpuid(1, 0).c & (1u << 31)) { /* running on a hypervisor */
		r = cpuid(0x40000000, 0);
		if (r.a >= 0x40000010 && r.a < 0x40010000) {
			r = cpuid(0x40000010, 0);
			if (r.a)
				return r.a;
		}
	}
	if (max >= 0x15) {
		r = cpuid(0x15, 0);
		if (r.a && r.b && r.c)
			return (uint64_t)r.c * r.b / r.a / 1000;
	}
	if (max >= 0x16) {
		r = cpuid(0x16, 0);
		if (r.a)
			return (uint64_t)(r.a & 0xFFFF) * 1000;
	}
	return 0;
}

void time_init(uint64_t tsc0)
{
	tsc_start = tsc0;
	tsc_khz = tsc_khz_cpuid();
}

bool time_rate_known(void)
{
	return tsc_khz != 0;
}

void time_set_khz(uint64_t khz)
{
	tsc_khz = khz;
}

uint64_t time_us(void)
{
	if (!tsc_khz)
		return 0;
	return (rdtsc() - tsc_start) * 1000 / tsc_khz;
}

static void vlog(const char *module, const char *fmt, va_list ap, bool stamp)
{
	char buf[400];
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	uint64_t us = stamp ? time_us() : 0;
	if (stamp && tsc_khz)
		console_printf("fw: %s: %s (%llu us)\n", module, buf,
			       (unsigned long long)us);
	else if (stamp)
		console_printf("fw: %s: %s (%llu tsc)\n", module, buf,
			       (unsigned long long)(rdtsc() - tsc_start));
	else
		console_printf("fw: %s: %s\n", module, buf);
}

void log_info(const char *module, const char *fmt, ...)
{
	if (fw_opt.loglevel < LOG_INFO)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(module, fmt, ap, true);
	va_end(ap);
}

void log_debug(const char *module, const char *fmt, ...)
{
	if (fw_opt.loglevel < LOG_DEBUG)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(module, fmt, ap, true);
	va_end(ap);
}

void log_warn(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[400];
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_printf("fw: %s: warning: %s\n", module, buf);
}

void bootmark(enum bootmark code)
{
	if (fw_opt.bootmarks)
		outb(fw_opt.bootmarks, (uint8_t)code);
}

void fw_fatal(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(module, fmt, ap, false);
	va_end(ap);
	fw_stop();
}

void fw_stop(void)
{
	__asm__ volatile("cli");
	if (fw_opt.panic == PANIC_EXIT) {
		/* isa-debug-exit: QEMU exits with status (value << 1) | 1. */
		console_puts("fw: stop: exit\n");
		outb(fw_opt.exit_port, 0x7F);
	}
	if (fw_opt.panic == PANIC_POWEROFF) {
		console_puts("fw: stop: poweroff\n");
		power_off();
	}
	platform_stop();
	console_puts("fw: stop: halted\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
