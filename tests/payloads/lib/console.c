// SPDX-License-Identifier: MIT
/*
 * console.c: COM1 (16550 at 0x3F8, 115200 8N1) and, when asked, the QEMU/Bochs
 * debug port 0xE9. Every wait is bounded, so a machine without a UART only
 * loses the output and never hangs.
 */
#include "cpu.h"
#include "rt.h"

#define COM1 0x3F8
#define UART_THR 0 /* transmit holding register (DLAB = 0) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1 /* interrupt enable (DLAB = 0) */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20
#define DEBUGCON 0xE9
#define THRE_SPIN 100000

static int debugcon_on;

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00); /* no interrupts */
	outb(COM1 + UART_LCR, 0x80); /* DLAB = 1 */
	outb(COM1 + UART_DLL, 0x01); /* 115200 / 1 */
	outb(COM1 + UART_DLM, 0x00);
	outb(COM1 + UART_LCR,
	     0x03); /* DLAB = 0, 8 data bits, no parity, 1 stop */
	outb(COM1 + UART_FCR, 0xC7); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void console_debugcon(int on)
{
	debugcon_on = on;
}

static void raw_putc(char c)
{
	for (int i = 0; i < THRE_SPIN; i++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
	if (debugcon_on)
		outb(DEBUGCON, (uint8_t)c);
}

void console_putc(char c)
{
	if (c == '\n')
		raw_putc('\r');
	raw_putc(c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

static void con_put(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

int con_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(con_put, NULL, fmt, ap);
	va_end(ap);
	return n;
}
