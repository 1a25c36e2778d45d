// SPDX-License-Identifier: MIT
/*
 * trap.c: the payloads' IDT. All 256 vectors go to stubs in entry.asm, which
 * save the registers and call trap_handler(). The handler prints
 *   <name>: TRAP vector <n> error <e> rip <x>
 * (and CR2 for a page fault), then the payload's fail marker, and exits with
 * RT_EXIT_FAIL: a broken hand-off fails the test instead of hanging it.
 */
#include "cpu.h"
#include "rt.h"

#define IDT_VECTORS 256
#define TRAP_STUB_SIZE 16	 /* entry.asm pads every stub to this */
#define GATE_INTR64_PRESENT 0x8E /* P = 1, DPL = 0, type 0xE */

/* Pushed by entry.asm trap_common, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t attr;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate");

extern char trap_stubs[];
__attribute__((noreturn)) void trap_handler(struct trap_frame *f);

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

void trap_init(void)
{
	uint16_t cs = read_cs();
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	for (int v = 0; v < IDT_VECTORS; v++) {
		uint64_t a =
			(uintptr_t)trap_stubs + (uint64_t)v * TRAP_STUB_SIZE;
		idt[v] = (struct idt_gate){
			.off_lo = (uint16_t)a,
			.sel = cs,
			.ist = 0,
			.attr = GATE_INTR64_PRESENT,
			.off_mid = (uint16_t)(a >> 16),
			.off_hi = (uint32_t)(a >> 32),
			.zero = 0,
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

void trap_handler(struct trap_frame *f)
{
	static int nested;

	if (nested++)
		rt_exit(RT_EXIT_FAIL); /* a trap while reporting a trap */
	con_printf("%s: TRAP vector %lu error 0x%lx rip 0x%lx\n", rt_name,
		   f->vector, f->error, f->rip);
	con_printf("%s: TRAP cs 0x%lx rflags 0x%lx rsp 0x%lx cr2 0x%lx\n",
		   rt_name, f->cs, f->rflags, f->rsp, read_cr2());
	con_printf("%s\n", rt_trap_marker);
	rt_exit(RT_EXIT_FAIL);
}
