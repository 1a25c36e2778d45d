; SPDX-License-Identifier: MIT
; cpu_asm.asm: the 64-bit assembly the C code calls: trap entry stubs, the
; firmware's move to new memory, and the jumps into payloads.

%include "cpu_defs.inc"

extern trap_entry

section .text
bits 64

; Trap stubs: each pushes an error code (0 where the CPU pushes none) and
; its vector, then joins trap_common, which saves the general registers and
; calls trap_entry(struct trap_frame *). trap_entry never returns.
%macro TRAP_NOERR 1
trap_%1:
	push 0
	push %1
	jmp trap_common
%endmacro
%macro TRAP_ERR 1
trap_%1:
	push %1
	jmp trap_common
%endmacro

%assign v 0
%rep 32
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	TRAP_ERR v
%else
	TRAP_NOERR v
%endif
%assign v v + 1
%endrep

trap_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	and rsp, -16
	call trap_entry
.stop:	cli
	hlt
	jmp .stop

section .rodata
global trap_stubs
trap_stubs:
%assign v 0
%rep 32
	dq trap_ %+ v
%assign v v + 1
%endrep

section .text

; void cpu_switch(uint64_t cr3, uint64_t dst, uint64_t src, uint64_t len)
; Copies the live firmware image from src to dst (physical, both
; identity-mapped) and loads cr3, whose high window maps the image at dst.
; Nothing is written to the stack between the copy and the CR3 load, so the
; copy's stack (return address included) is exactly the live one.
global cpu_switch
cpu_switch:
	mov r8, rdi
	mov rdi, rsi
	mov rsi, rdx
	rep movsb
	mov cr3, r8
	ret

; void cpu_enter64(uint64_t entry, uint64_t rsp, uint64_t rdi_rbx,
;                  uint64_t rsi, uint64_t gdt_desc)
; Loads the payload's GDT (CS 0x10, data 0x18), an empty IDT, RFLAGS = 2
; and jumps to entry with RDI = RBX = rdi_rbx, RSI = rsi, the other general
; registers zero. The GDT and stack live in memory the payload keeps.
global cpu_enter64
cpu_enter64:
	cli
	lgdt [r8]
	push 0
	push 0
	lidt [rsp + 6]			; limit 0, base 0: no IDT
	mov r9, rsp
	push SEL_DATA			; far return to reload CS
	push r9
	pushfq
	push SEL_CODE64
	lea rax, [rel .cs]
	push rax
	iretq
.cs:	mov eax, SEL_DATA
	mov ds, eax
	mov es, eax
	mov fs, eax
	mov gs, eax
	mov rsp, rsi			; the payload's stack
	push rdi			; entry, taken by the ret below
	push 2				; RFLAGS: only the reserved bit
	mov rbx, rdx
	mov rsi, rcx
	mov rdi, rdx
	xor eax, eax
	xor ecx, ecx
	xor edx, edx
	xor ebp, ebp
	xor r8d, r8d
	xor r9d, r9d
	xor r10d, r10d
	xor r11d, r11d
	xor r12d, r12d
	xor r13d, r13d
	xor r14d, r14d
	xor r15d, r15d
	popfq				; after the xors, which set flags
	ret				; to entry; RSP is back at the top

; The PVH handoff trampoline: position-independent, copied by C into the
; handoff area (identity-mapped, below 4 GiB), its last four bytes set to
; the payload's 32-bit entry relative to the end of the copy (the operand
; of its final JMP rel32), and entered there with
;   rdi = the value for EBX (start_info, or the Multiboot information),
;   rsi = the physical address of the payload GDT's descriptor (code32
;   0x08, data 0x18, 32-bit TSS 0x20), rdx = the value for EAX (0 for PVH,
;   the Multiboot magic), rcx = the top of a scratch stack below 4 GiB.
; It leaves long mode for 32-bit protected mode with paging off, exactly
; the PVH ABI: CR0 = PE, CR4 = 0, EFER = 0, flat CS/DS/ES/SS/FS/GS, TR = a
; 32-bit TSS, no IDT (limit 0), EFLAGS = 2 (IF = 0), EBX = start_info,
; every other general register 0, ESP included; the same state with EAX =
; the magic is what Multiboot 1 and 2 ask for. EFLAGS is set by a POPFD on
; the scratch stack after the last control-register write (a MOV to CRn
; leaves the arithmetic flags undefined); only MOVs follow it.
global pvh_tramp_start, pvh_tramp_end
pvh_tramp_start:
	lgdt [rsi]
	push 0
	push 0
	lidt [rsp + 6]			; limit 0, base 0: no IDT
	add rsp, 16
	lea rax, [rel .c32]
	push SEL_CODE32
	push rax
	retfq				; to 32-bit compatibility mode
bits 32
.c32:	mov eax, SEL_DATA
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
	mov eax, CR0_PE
	mov cr0, eax			; paging off, so long mode is no longer
					; active; CR0 = PE, the payload's
	mov ebx, edi
	mov ebp, edx			; the EAX value and the scratch stack,
	mov esi, ecx			; across wrmsr
	mov ecx, MSR_EFER
	mov eax, 0
	mov edx, 0
	wrmsr				; EFER = 0 (LME off)
	mov cr4, eax
	mov cr3, eax
	mov eax, SEL_TSS
	ltr ax
	mov esp, esi
	push 2
	popfd				; EFLAGS = 2
	mov eax, ebp
	mov ecx, 0
	mov edx, 0
	mov esi, 0
	mov edi, 0
	mov ebp, 0
	mov esp, 0
	db 0xE9				; JMP rel32 to the entry; handoff.c
	dd 0				; writes the operand into the copy
pvh_tramp_end:
bits 64
