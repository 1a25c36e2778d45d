/* SPDX-License-Identifier: MIT */
/*
 * probe.S: the guest pvhrun runs before anything else to decide whether
 * KVM is usable. It is entered exactly like a PVH kernel under the chosen
 * profile (32-bit protected mode, paging off) and does, in miniature, what
 * fw.elf's first steps need from KVM:
 *
 *   1. its own GDT and segments (LGDT, far jump);
 *   2. CR4.PAE, CR3, EFER.LME (RDMSR/WRMSR);
 *   3. paging on, far jump into 64-bit mode;
 *   4. CR4.OSFXSR/OSXMMEXCPT, FNINIT/FNSTCW, LDMXCSR;
 *   5. STMXCSR, then the verdict on the exit port 0xF4: 0x10 when the x87
 *      control word reads 0x37F and MXCSR reads back 0x1F80, else 0x11.
 *
 * Each step writes its number to port 0x80 first, so a failure names the
 * step it stopped in. pvhrun copies this blob to PROBE_BASE and writes the
 * identity-mapping page tables (PML4 at 0x2000) itself; 0x5000 is scratch.
 * The code is position-dependent: A() turns a label into its guest address.
 */

#define PROBE_BASE 0x10000
#define A(x) (PROBE_BASE + ((x) - pvhrun_probe_start))
#define STEP(n) movb $n, %al; outb %al, $0x80

	.section .rodata.pvhrun_probe, "a"
	.globl pvhrun_probe_start, pvhrun_probe_end

	.code32
pvhrun_probe_start:
	STEP(1)
	lgdtl A(probe_gdt_desc)
	movw $0x18, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	ljmpl $0x08, $A(1f)
1:
	STEP(2)
	movl $0x20, %eax		/* CR4.PAE */
	movl %eax, %cr4
	movl $0x2000, %eax		/* PML4, written by pvhrun */
	movl %eax, %cr3
	movl $0xC0000080, %ecx		/* EFER */
	rdmsr
	orl $0x100, %eax		/* LME */
	wrmsr
	STEP(3)
	movl $0x80000033, %eax		/* PG | NE | ET | MP | PE */
	movl %eax, %cr0
	ljmpl $0x10, $A(2f)

	.code64
2:
	STEP(4)
	movq %cr4, %rax
	orq $0x600, %rax		/* OSFXSR | OSXMMEXCPT */
	movq %rax, %cr4
	fninit
	fnstcw 0x5008
	movl $0x1F80, 0x5000
	ldmxcsr 0x5000
	STEP(5)
	movl $0, 0x5004
	stmxcsr 0x5004
	cmpw $0x37F, 0x5008
	jne 3f
	cmpl $0x1F80, 0x5004
	jne 3f
	movb $0x10, %al
	outb %al, $0xF4
	cli
	hlt
3:
	movb $0x11, %al
	outb %al, $0xF4
	cli
	hlt

	.balign 8
probe_gdt:
	.quad 0				/* null */
	.quad 0x00CF9A000000FFFF	/* 0x08: 32-bit code, flat */
	.quad 0x00AF9A000000FFFF	/* 0x10: 64-bit code */
	.quad 0x00CF92000000FFFF	/* 0x18: data, flat */
probe_gdt_desc:
	.word 4 * 8 - 1
	.long A(probe_gdt)
pvhrun_probe_end:

	.section .note.GNU-stack, "", @progbits
