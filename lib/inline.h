// SPDX-License-Identifier: MIT
/*
 * inline.h: INLINE, for the small helpers (a bounds check, a load, an
 * overflow test) that must not be calls. Under -Os the compiler keeps even
 * one-line helpers out of line when they have several callers; the call
 * then costs more bytes than the body, and under an emulator every call
 * and return also ends a translation block (docs/performance.md).
 */
#ifndef PVHFW_INLINE_H
#define PVHFW_INLINE_H

#define INLINE static inline __attribute__((always_inline))

#endif
