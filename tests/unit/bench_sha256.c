// SPDX-License-Identifier: MIT
/*
 * bench_sha256.c: host benchmark of crypto/sha256 (not part of the unit
 * tests; `make bench-sha256` builds and runs it).
 *
 * Hashes a 64 MiB buffer with the portable block function and, when the CPU
 * has it, with SHA-NI, and copies the same 64 MiB with the C library's
 * memcpy and with "rep movsb" (what the firmware's memcpy does), printing
 * MiB/s for each: the best of RUNS runs after one warm-up run. Both buffers
 * are written before timing so no page faults are measured. The Makefile
 * builds crypto/ with -O2 -mgeneral-regs-only, like the firmware.
 *
 * Usage: bench-sha256 [MiB]   (default 64)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/sha256.h"

#define RUNS 5

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void rep_movsb(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(n)
			 :
			 : "memory");
}

static void report(const char *what, size_t bytes, uint64_t ns,
		   const char *extra)
{
	double mib = (double)bytes / (1024.0 * 1024.0);
	printf("%-22s %9.1f MiB/s  %8.2f ms%s%s\n", what, mib / (ns / 1e9),
	       ns / 1e6, extra[0] ? "  " : "", extra);
}

static void bench_hash(const char *name, const uint8_t *buf, size_t n)
{
	uint8_t d[32];
	char hex[65];
	uint64_t best = UINT64_MAX;

	sha256(buf, n, d); /* warm-up */
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();
		sha256(buf, n, d);
		uint64_t t = now_ns() - t0;
		if (t < best)
			best = t;
	}
	sha256_hex(d, hex);
	char label[64];
	snprintf(label, sizeof(label), "sha256 %s", name);
	report(label, n, best, hex);
}

static void bench_copy(const char *name,
		       void (*copy)(void *, const void *, size_t), uint8_t *dst,
		       const uint8_t *src, size_t n)
{
	uint64_t best = UINT64_MAX;

	copy(dst, src, n); /* warm-up */
	for (int r = 0; r < RUNS; r++) {
		dst[r] ^= 1;
		uint64_t t0 = now_ns();
		copy(dst, src, n);
		uint64_t t = now_ns() - t0;
		if (t < best)
			best = t;
	}
	if (memcmp(dst, src, n) != 0) {
		fprintf(stderr, "%s: copy differs\n", name);
		exit(1);
	}
	report(name, n, best, "");
}

static void libc_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	size_t n = mib << 20;
	uint8_t *src = malloc(n), *dst = malloc(n);

	if (n == 0 || !src || !dst) {
		fprintf(stderr, "usage: %s [MiB > 0]\n", argv[0]);
		return 1;
	}
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		src[i] = (uint8_t)x;
	}
	memset(dst, 0, n);

	printf("%zu MiB, best of %d runs\n", mib, RUNS);
	sha256_select(false);
	bench_hash(sha256_impl(), src, n);
	if (sha256_select(true))
		bench_hash(sha256_impl(), src, n);
	else
		printf("sha256 sha-ni           (CPU has no SHA-NI)\n");
	bench_copy("memcpy (libc)", libc_memcpy, dst, src, n);
	bench_copy("memcpy (rep movsb)", rep_movsb, dst, src, n);
	free(src);
	free(dst);
	return 0;
}
