; SPDX-License-Identifier: MIT
; reloc.asm: a PVH kernel that carries XEN_ELFNOTE_PHYS32_RELOC and is
; linked at 1 GiB, where a 256 MiB VM has no RAM, so the firmware must
; relocate it. Position-independent 32-bit code (its one data, its own
; extent, read relative to where it runs): it checks the PVH entry state it
; can see (EBX points to the start_info magic, paging off) and that it was
; placed as its PHYS32_RELOC note asks (its base a multiple of the
; alignment, not below the minimum, its last byte not above the maximum),
; prints "RELOC-OK 0x<its load address>" on COM1 and exits through
; isa-debug-exit (0x10, QEMU status 33).
;
; With -DMB2 (build/reloc-mb2.elf): a Multiboot 2 kernel instead, linked at
; 4 MiB (RAM in any test VM) with a relocatable tag asking for 16 MiB to
; 1 GiB, 2 MiB-aligned: the firmware must move it into those limits (the
; spec: no part of the image below min_addr, none above max_addr). It
; checks EAX = the MB2 magic and that it runs inside the limits: its base
; aligned and not below min_addr, its last byte not above max_addr (which
; a VM with RAM above 1 GiB tests: the firmware takes the highest place
; when the tag has no preference). With -DMB2 -DPREF_LOW
; (build/reloc-mb2-low.elf) the tag prefers the lowest place, and the
; kernel checks it runs at min_addr itself, which is free RAM in the test VM.
;
; With -DAT_1M (build/reloc-1m.elf, and with -DMB2 build/reloc-mb2-1m.elf):
; linked at 1 MiB, over the firmware, with a note (tag) whose limits allow
; only that place, 4 KiB-aligned. Its link addresses are RAM, so it must be
; loaded there (the firmware moves out of its way), not relocated nor
; refused; it checks that it runs where it is linked.

%define COM1 0x3F8
%ifdef AT_1M
%define LINK 0x100000
%elifdef MB2
%define LINK 0x400000
%else
%define LINK 0x40000000
%endif

%ifdef MB2
%define RELOC_ALIGN 0x200000		; the tag's limits (AT_1M: checked
%define RELOC_MIN 0x1000000		; as "where linked" instead)
%define RELOC_MAX 0x3FFFFFFF
%endif
%ifndef MB2
%ifdef AT_1M
%define RELOC_ALIGN 0x1000
%define RELOC_MIN 0x100000
%define RELOC_MAX 0x100FFF
%else
%define RELOC_ALIGN 0x200000
%define RELOC_MIN 0x100000
%define RELOC_MAX 0x3FFFFFFF
%endif
section .note.xen note alloc noexec nowrite align=4
	dd 4, 4, 18			; PHYS32_ENTRY
	db "Xen", 0
	dd start
	dd 4, 12, 19			; PHYS32_RELOC: align, min, max
	db "Xen", 0
	dd RELOC_ALIGN, RELOC_MIN, RELOC_MAX
image_end:				; the image's end (reloc.ld: last)
%endif

section .text progbits alloc exec nowrite align=16
bits 32
image_start:				; reloc.ld puts .text first
%ifdef MB2
align 8
mb2_header:
	dd 0xE85250D6, 0, mb2_end - mb2_header
	dd -(0xE85250D6 + (mb2_end - mb2_header))
	dw 10, 0			; relocatable: min, max, align, pref
%ifdef AT_1M
	dd 24, 0x100000, 0x101000, 0x1000, 0
%elifdef PREF_LOW
	dd 24, RELOC_MIN, RELOC_MAX, RELOC_ALIGN, 1
%else
	dd 24, RELOC_MIN, RELOC_MAX, RELOC_ALIGN, 0
%endif
	dw 0, 0				; end
	dd 8
mb2_end:
%endif
%macro PUTC 1
	mov al, %1
	call putc
%endmacro

global start
start:
	cld
%ifdef MB2
	cmp eax, 0x36d76289		; the Multiboot 2 magic
%else
	cmp dword [ebx], 0x336ec578	; start_info magic
%endif
	jne fail
	mov eax, cr0
	test eax, 0x80000000		; paging must be off
	jnz fail
	mov esp, ebx			; a stack: the handoff area below it
	call .here
.here:	pop ebp
	sub ebp, .here - start		; where start really is
%ifdef AT_1M
%ifdef MB2
	lea eax, [ebp - (start - mb2_header)]	; the image's base
%else
	mov eax, ebp
%endif
	cmp eax, LINK
	jne fail			; moved: the test wants it where linked
%else
	cmp ebp, LINK
	je fail				; not relocated: the test wants it moved
%endif
%ifndef AT_1M
	; Where the note (tag) allows: the image's base aligned and not
	; below min_addr, its last byte not above max_addr.
	lea ecx, [ebp - (start - image_start)]	; the image's base
	test ecx, RELOC_ALIGN - 1
	jnz fail
	cmp ecx, RELOC_MIN
	jb fail
	mov eax, [ebp + (image_bounds + 4 - start)]
	sub eax, [ebp + (image_bounds - start)]	; the image's size
	lea eax, [ecx + eax - 1]		; its last byte
	cmp eax, ecx
	jb fail				; past 4 GiB
	cmp eax, RELOC_MAX
	ja fail
%ifdef PREF_LOW
	cmp ecx, RELOC_MIN		; the lowest place: min_addr itself
	jne fail
%endif
%endif
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

; The image's link-time extent (.text's start to the note's end, or with
; -DMB2 to .text's end), for its size.
image_bounds:
	dd image_start, image_end
%ifdef MB2
image_end:
%endif
