// SPDX-License-Identifier: MIT
/* console.h: the firmware's output: 16550 COM1 and the 0xE9 debug port. */
#ifndef PVHFW_CONSOLE_H
#define PVHFW_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_SERIAL 1u
#define CONSOLE_DEBUGCON 2u

/* Output goes to serial from now on: COM1 is probed and programmed for
 * 115200 8N1 when the first character is written. */
void console_init(void);

/* Chooses the outputs (a mask of CONSOLE_*); 0 silences the console. */
void console_select(unsigned mask);

/*
 * A platform console (EFI ConOut before ExitBootServices), or NULL. While
 * set it gets what fw.console=serial would print; output reaches COM1 only
 * after console_init.
 */
typedef void (*console_sink_fn)(const char *s, size_t n);
void console_set_sink(console_sink_fn fn);

void console_write(const char *s, size_t n);
void console_puts(const char *s);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
