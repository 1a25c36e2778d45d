; SPDX-License-Identifier: MIT
; relaunch's way in: a Xen PVH note and the 32-bit entry (protected mode,
; paging off, %ebx = start_info); a stack, then relaunch_main(start_info).
bits 32

section .note.Xen note alloc noexec nowrite align=4
	dd 4			; n_namesz: "Xen\0"
	dd 4			; n_descsz
	dd 18			; XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dd relaunch_start

section .text
global relaunch_start
extern relaunch_main
relaunch_start:
	cli
	cld
	mov esp, stack_top
	push ebx
	call relaunch_main
.halt:	hlt
	jmp .halt

section .bss
align 16
	resb 16384
stack_top:

; void relaunch_dirty_upper(int avx): for relaunch.dirty (relaunch.c's
; make_dirty, last), what 32-bit code cannot reach: XMM8-XMM15 all ones
; and, with avx (the caller has set CR4.OSXSAVE and XCR0 with AVX), the
; upper halves of YMM8-YMM15 too. A brief trip into 64-bit mode, without
; the stack, under our own GDT and an identity map of the first GiB in
; 2 MiB pages (relaunch lies at 32 MiB); then back to 32-bit protected
; mode, paging off, with CR0, CR3, CR4, EFER, GDTR and CS as they were.
; The Intel SDM leaves XMM8-15 undefined after a trip from 64-bit mode
; through legacy mode and back; QEMU keeps them, so fw.elf gets them.
%define CR0_EM          (1 << 2)
%define CR0_TS          (1 << 3)
%define CR0_PG          (1 << 31)
%define CR4_PAE         (1 << 5)
%define CR4_OSFXSR      (1 << 9)
%define MSR_EFER        0xC0000080
%define EFER_LME        (1 << 8)
%define TRIP_CODE32     0x08
%define TRIP_CODE64     0x10

section .text
global relaunch_dirty_upper
relaunch_dirty_upper:
	push ebx
	push esi
	push edi
	push ebp
	mov ebp, [esp + 20]		; avx
	mov edi, trip_pml4		; PML4, PDPT, PD: zero, then one entry
	xor eax, eax			; each and 512 2 MiB pages
	mov ecx, 3 * 4096 / 4
	rep stosd
	mov dword [trip_pml4], trip_pdpt + 3
	mov dword [trip_pdpt], trip_pd + 3
	mov edi, trip_pd
	mov eax, 0x83			; present, writable, 2 MiB
	mov ecx, 512
.pd:	mov [edi], eax
	add eax, 0x200000
	add edi, 8
	dec ecx
	jnz .pd
	mov eax, cr0
	mov [trip_cr0], eax
	mov eax, cr3
	mov [trip_cr3], eax
	mov eax, cr4
	mov [trip_cr4], eax
	mov ecx, MSR_EFER
	rdmsr
	mov [trip_efer], eax
	mov [trip_efer + 4], edx
	sgdt [trip_old_gdtr]
	mov [trip_home + 4], cs
	lgdt [trip_gdtr]
	mov eax, [trip_cr4]
	or eax, CR4_PAE | CR4_OSFXSR
	mov cr4, eax
	mov eax, trip_pml4
	mov cr3, eax
	mov ecx, MSR_EFER
	mov eax, [trip_efer]
	mov edx, [trip_efer + 4]
	or eax, EFER_LME
	wrmsr
	mov eax, [trip_cr0]
	and eax, ~(CR0_EM | CR0_TS)
	or eax, CR0_PG
	mov cr0, eax			; IA-32e mode, compatibility mode
	jmp TRIP_CODE64:.long
bits 64
.long:
	pcmpeqb xmm8, xmm8		; all ones: integer, no SIMD exception
	pcmpeqb xmm9, xmm9		; with MXCSR 0 (make_dirty's)
	pcmpeqb xmm10, xmm10
	pcmpeqb xmm11, xmm11
	pcmpeqb xmm12, xmm12
	pcmpeqb xmm13, xmm13
	pcmpeqb xmm14, xmm14
	pcmpeqb xmm15, xmm15
	test ebp, ebp
	jz .leave
	vinsertf128 ymm8, ymm8, xmm8, 1	; the upper half from the lower
	vinsertf128 ymm9, ymm9, xmm9, 1
	vinsertf128 ymm10, ymm10, xmm10, 1
	vinsertf128 ymm11, ymm11, xmm11, 1
	vinsertf128 ymm12, ymm12, xmm12, 1
	vinsertf128 ymm13, ymm13, xmm13, 1
	vinsertf128 ymm14, ymm14, xmm14, 1
	vinsertf128 ymm15, ymm15, xmm15, 1
.leave:
	jmp dword far [abs trip_compat]	; m16:32
bits 32
.compat:
	mov eax, [trip_cr0]
	and eax, ~CR0_PG
	mov cr0, eax			; out of IA-32e mode
	mov ecx, MSR_EFER
	mov eax, [trip_efer]
	mov edx, [trip_efer + 4]
	wrmsr
	mov eax, [trip_cr3]
	mov cr3, eax
	mov eax, [trip_cr4]
	mov cr4, eax
	mov eax, [trip_cr0]
	mov cr0, eax
	lgdt [trip_old_gdtr]
	jmp far [trip_home]		; the caller's CS again
.home:
	pop ebp
	pop edi
	pop esi
	pop ebx
	ret

section .data
align 8
trip_gdt:
	dq 0
	dq 0x00cf9b000000ffff		; 0x08 code, 32-bit, flat
	dq 0x00af9b000000ffff		; 0x10 code, 64-bit
trip_gdt_end:
trip_gdtr:
	dw trip_gdt_end - trip_gdt - 1
	dd trip_gdt
trip_compat:
	dd relaunch_dirty_upper.compat
	dw TRIP_CODE32
trip_home:
	dd relaunch_dirty_upper.home
	dw 0				; the caller's CS, stored first
trip_old_gdtr:
	dw 0
	dd 0
trip_cr0:
	dd 0
trip_cr3:
	dd 0
trip_cr4:
	dd 0
trip_efer:
	dq 0

section .bss
align 4096
trip_pml4:
	resb 4096
trip_pdpt:
	resb 4096
trip_pd:
	resb 4096
