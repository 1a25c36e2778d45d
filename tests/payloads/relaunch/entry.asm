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
