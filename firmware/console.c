// SPDX-License-Identifier: MIT
/*
 * console.c: the firmware console. COM1 is a 16550 at 0x3F8; when nothing
 * answers there (no UART in the VM) serial output is dropped instead of
 * waiting forever. The 0xE9 debug port (QEMU -debugcon, Bochs) needs no
 * setup and never blocks.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "../lib/fmt.h"
#include "console.h"
#include "io.h"

#define COM1 0x3F8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define LSR_THRE 0x20
#define DEBUGCON 0xE9

/* How long to wait for the transmitter before deciding it is gone. */
#define UART_SPIN 100000

/* COM1: off until console_init, then probed at the first character (a
 * boot that prints nothing never touches the UART: every port access is
 * an exit to the VMM). */
static enum { SERIAL_OFF, SERIAL_UNPROBED, SERIAL_ON } serial;
static unsigned outputs = CONSOLE_SERIAL;
static console_sink_fn sink;

void console_init(void)
{
	serial = SERIAL_UNPROBED;
}

static void serial_probe(void)
{
	/* A 16550 keeps what is written to its scratch register. */
	outb(COM1 + UART_SCR, 0x5A);
	if (inb(COM1 + UART_SCR) != 0x5A || inb(COM1 + UART_LSR) == 0xFF) {
		serial = SERIAL_OFF;
		return;
	}
	serial = SERIAL_ON;
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* DLAB: divisor 1 = 115200 baud */
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0x07); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void console_select(unsigned mask)
{
	outputs = mask;
}

static void serial_putc(char c)
{
	for (int i = 0; !(inb(COM1 + UART_LSR) & LSR_THRE); i++) {
		if (i == UART_SPIN) {
			serial = SERIAL_OFF;
			return;
		}
	}
	outb(COM1 + UART_THR, (uint8_t)c);
}

static void putc_all(char c)
{
	if ((outputs & CONSOLE_SERIAL) && serial == SERIAL_UNPROBED)
		serial_probe();
	if ((outputs & CONSOLE_SERIAL) && serial == SERIAL_ON) {
		if (c == '\n')
			serial_putc('\r');
		if (serial == SERIAL_ON) /* not when the '\r' timed out */
			serial_putc(c);
	}
	if (outputs & CONSOLE_DEBUGCON)
		outb(DEBUGCON, (uint8_t)c);
}

void console_set_sink(console_sink_fn fn)
{
	sink = fn;
}

void console_write(const char *s, size_t n)
{
	if (sink && (outputs & CONSOLE_SERIAL))
		sink(s, n);
	for (size_t i = 0; i < n; i++)
		putc_all(s[i]);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

void console_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}
