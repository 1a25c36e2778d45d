// SPDX-License-Identifier: MIT
/*
 * log.c: the boot log and the one fatal path. fw.loglevel=quiet (the
 * default) prints only warnings and errors, brief one line when the payload
 * starts, info one per stage; each of those lines ends with the time since
 * the firmware's first instruction.
 *
 * Microseconds come from the TSC. Its rate is taken from CPUID where the
 * CPU or hypervisor states it (leaf 0x40000010, 0x15, 0x16), else measured
 * against the ACPI PM timer when the FADT has one (power.c hands over its
 * port); without either the log shows raw TSC ticks instead of
 * microseconds. The PM timer measurement does not wait: the TSC and the
 * timer are read once when the port is known, and the rate is taken from
 * the interval that has passed by the first time stamp (at least
 * PM_MIN_TICKS, 100 us; only a faster firmware than TCG ever waits for the
 * rest). The firmware never measures it against the PIT: reprogramming PIT
 * channel 2 made Linux's own PIT calibration fail afterwards under QEMU TCG
 * (and the kernel hang).
 */
#include <stdarg.h>

#include "../lib/fmt.h"
#include "console.h"
#include "fw.h"
#include "io.h"

#define PM_TIMER_HZ 3579545u
#define PM_MIN_TICKS 358u /* 100 us: the rate to +-0.3 % */

static uint64_t tsc_start;
static uint64_t tsc_khz;
static struct {
	uint16_t port; /* 0: none, or the rate is known */
	uint32_t mask;
	uint32_t t0; /* timer at time_use_pmtimer */
	uint64_t c0; /* TSC then */
} pm;

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
}

/* The rate from CPUID, asked the first time a time is needed (under KVM
 * each CPUID is an exit; a quiet boot needs no time). */
static bool cpuid_asked;

bool time_rate_known(void)
{
	if (!cpuid_asked) {
		cpuid_asked = true;
		tsc_khz = tsc_khz_cpuid();
	}
	return tsc_khz != 0;
}

void time_use_pmtimer(uint16_t port, bool is32)
{
	if (time_rate_known() || !port)
		return;
	pm.port = port;
	pm.mask = is32 ? 0xFFFFFFFFu : 0xFFFFFFu;
	pm.t0 = inl(port) & pm.mask;
	pm.c0 = rdtsc();
}

/* The TSC rate from the interval since time_use_pmtimer. */
static void rate_from_pmtimer(void)
{
	for (uint32_t spins = 0; spins < 10000000; spins++) {
		uint32_t d = ((inl(pm.port) & pm.mask) - pm.t0) & pm.mask;
		uint64_t c = rdtsc();
		if (d >= PM_MIN_TICKS) {
			tsc_khz = (c - pm.c0) * PM_TIMER_HZ / d / 1000;
			break;
		}
		/* A timer that runs moves within a few reads (3.58 MHz);
		 * one that has not after 100000 (an exit each) never will. */
		if (d == 0 && spins == 100000)
			break;
	}
	pm.port = 0; /* known now, or the timer does not run */
}

uint64_t time_us(void)
{
	if (!time_rate_known() && pm.port)
		rate_from_pmtimer();
	if (!tsc_khz)
		return 0;
	return (rdtsc() - tsc_start) * 1000 / tsc_khz;
}

/* One line: "fw: <module>: <what><message>", with the time when stamp. */
static void vlog(const char *module, const char *what, const char *fmt,
		 va_list ap, bool stamp)
{
	char buf[400];
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	if (!stamp) {
		console_printf("fw: %s: %s%s\n", module, what, buf);
		return;
	}
	uint64_t us = time_us(); /* first: it may learn the rate */
	if (tsc_khz)
		console_printf("fw: %s: %s%s (%llu us)\n", module, what, buf,
			       (unsigned long long)us);
	else
		console_printf("fw: %s: %s%s (%llu tsc)\n", module, what, buf,
			       (unsigned long long)(rdtsc() - tsc_start));
}

void log_line(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(module, "", fmt, ap, true);
	va_end(ap);
}

void log_warn(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(module, "warning: ", fmt, ap, false);
	va_end(ap);
}

void fw_fatal(const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(module, "", fmt, ap, false);
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
