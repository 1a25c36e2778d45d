; SPDX-License-Identifier: MIT
; reloc.asm: a PVH kernel that carries XEN_ELFNOTE_PHYS32_RELOC and is
; linked at 1 GiB, where a 256 MiB VM has no RAM, so the firmware must
; relocate it. Position-independent 32-bit code without data references:
; it checks the PVH entry state it can see (EBX points to the start_info
; magic, paging off), prints "RELOC-OK 0x<its load address>" on
; COM1 and exits through isa-debug-exit (0x10, QEMU status 33).

%define COM1 0x3F8
%define LINK 0x40000000

section .note.xen note alloc noexec nowrite align=4
	dd 4, 4, 18			; PHYS32_ENTRY
	db "Xen", 0
	dd start
	dd 4, 12, 19			; PHYS32_RELOC: align, min, max
	db "Xen", 0
	dd 0x200000, 0x100000, 0x3FFFFFFF

section .text progbits alloc exec nowrite align=16
bits 32
%macro PUTC 1
	mov al, %1
	call putc
%endmacro

global start
start:
	cld
	cmp dword [ebx], 0x336ec578	; start_info magic
	jne fail
	mov eax, cr0
	test eax, 0x80000000		; paging must be off
	jnz fail
	mov esp, ebx			; a stack: the handoff area below it
	call .here
.here:	pop ebp
	sub ebp, .here - start		; where start really is
	cmp ebp, LINK
	je fail				; not relocated: the test wants it moved
	PUTC 'R'
	PUTC 'E'
	PUTC 'L'
	PUTC 'O'
	PUTC 'C'
	PUTC '-'
	PUTC 'O'
	PUTC 'K'
	PUTC ' '
	PUTC '0'
	PUTC 'x'
	mov ecx, 8
.hex:	rol ebp, 4
	mov eax, ebp
	and eax, 0xF
	add al, '0'
	cmp al, '9'
	jbe .dig
	add al, 'a' - '9' - 1
.dig:	call putc
	loop .hex
	PUTC 10
	mov dx, 0xF4
	mov al, 0x10
	out dx, al
fail:
	mov dx, 0xF4
	mov al, 0x11
	out dx, al
.stop:	hlt
	jmp .stop

; putc: AL to COM1, waiting (boundedly) for the transmitter.
putc:
	push ecx
	push eax
	mov ecx, 100000
	mov dx, COM1 + 5
.wait:	in al, dx
	test al, 0x20
	jnz .go
	loop .wait
.go:	pop eax
	mov dx, COM1
	out dx, al
	pop ecx
	ret
