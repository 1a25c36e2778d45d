; SPDX-License-Identifier: MIT
; efi_asm.asm: the one piece of assembly only the EFI way in needs.

section .text
bits 64

; void efi_call_on_stack(uint64_t top, void (*fn)(uint64_t, uint64_t),
;                        uint64_t a, uint64_t b)
; Leaves the EFI firmware's stack (boot-services memory, RAM for the payload
; now) for ours at top, 16-byte aligned, and calls fn(a, b), which never
; returns. Position-independent: no absolute addresses.
global efi_call_on_stack
efi_call_on_stack:
	mov rsp, rdi
	and rsp, -16
	xor ebp, ebp
	mov rax, rsi
	mov rdi, rdx
	mov rsi, rcx
	call rax
.stop:	cli
	hlt
	jmp .stop
