; SPDX-License-Identifier: MIT
; entry_pvh.asm: the Xen PVH way in. The ELF note that tells the VMM where to
; start, then 32-bit protected mode to 64-bit long mode and one call into C:
; fw_main(start_info physical address, TSC at entry).
;
; The VMM promises only what the PVH ABI says: 32-bit protected mode, paging
; off, flat CS/DS/ES, EBX = start_info. No stack, no SS, no GDT we may keep.

%include "cpu_defs.inc"

extern fw_main
extern boot_stack_top_phys
extern boot_pml4_phys, boot_pdpt_phys, boot_pd_phys, boot_pdpt_hi_phys
extern bss_start, bss_end

section .note.pvh note alloc noexec nowrite align=4
	dd 4			; n_namesz: "Xen\0"
	dd 4			; n_descsz
	dd 18			; XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dd pvh_start32		; physical entry point

section .boot.text progbits alloc exec nowrite align=16
bits 32
global pvh_start32
pvh_start32:
	; 1. Interrupts off, strings forward; EBX (start_info) is the only
	;    register we trust, keep it in EDI. Take the TSC first: the boot
	;    log counts from here.
	cli
	cld
	mov edi, ebx
	rdtsc
	mov ebp, eax
	mov esi, edx

	; 2. Our own GDT with flat segments, then a known SS and a stack.
	lgdt [boot_gdt_desc]
	mov eax, SEL_DATA
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
	jmp SEL_CODE32:.cs32
.cs32:
	; 3. Zero the top-level page tables (the directories are written in
	;    full below): a VMM need not clear memory past p_filesz. The
	;    stack needs no zeroes; the C bss is cleared in 64-bit mode.
	mov edx, edi
	mov edi, boot_pml4_phys
	mov ecx, 3 * 4096 / 4		; PML4, PDPT, PDPT_HI
	xor eax, eax
	rep stosd
	mov edi, edx
	mov esp, boot_stack_top_phys
	push 2				; EFLAGS = 2: NT, AC, IOPL and the rest
	popfd				; clear whatever the VMM left (with NT
					; set, the IRETQ into a 64-bit payload
					; would fault)

	; 3b. Long mode must be there (CPUID 0x80000001 EDX bit 29): without it
	;     the switch below faults before anything can say why. Say it on
	;     COM1 (polling the transmitter, boundedly, as the console does)
	;     and halt: the options that could choose another stop are not
	;     read yet.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_lm
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jnz .have_lm
.no_lm:
	mov esi, no_lm_msg
.putc:	lodsb
	test al, al
	jz .halt
	mov bl, al
	mov ecx, 100000
	mov dx, 0x3F8 + 5		; LSR: wait for THR empty
.thre:	in al, dx
	test al, 0x20
	jnz .send
	loop .thre
.send:	mov al, bl
	mov dx, 0x3F8
	out dx, al
	jmp .putc
.halt:	hlt
	jmp .halt
.have_lm:

	; 4. Boot page tables: identity map of the first 4 GiB in 2 MiB pages
	;    (four page directories), plus the high window where the firmware
	;    is linked (PML4[511] -> PDPT_HI[510] -> the first directory).
	mov ebx, boot_pd_phys
	xor ecx, ecx
.pd:	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov [ebx + ecx * 8], eax
	mov dword [ebx + ecx * 8 + 4], 0
	inc ecx
	cmp ecx, 2048
	jne .pd
	mov ebx, boot_pdpt_phys
	xor ecx, ecx
.pdpt:	mov eax, ecx
	shl eax, 12
	add eax, boot_pd_phys
	or eax, PTE_P | PTE_W
	mov [ebx + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jne .pdpt
	mov eax, boot_pd_phys
	or eax, PTE_P | PTE_W
	mov [boot_pdpt_hi_phys + 510 * 8], eax
	mov eax, boot_pdpt_phys
	or eax, PTE_P | PTE_W
	mov [boot_pml4_phys], eax
	mov eax, boot_pdpt_hi_phys
	or eax, PTE_P | PTE_W
	mov [boot_pml4_phys + 511 * 8], eax

	; 5. Long mode: PAE, EFER = LME, CR3, then paging. CR0 gets PE, MP, NE
	;    and PG with EM, TS, WP, CD and NW clear whatever the VMM left;
	;    CR4 OSFXSR and OSXMMEXCPT, as cpu_fpu_reset leaves them (so the
	;    emulator translates that function once, not once per CR4 value).
	mov eax, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT
	mov cr4, eax
	mov eax, boot_pml4_phys
	mov cr3, eax
	mov ecx, MSR_EFER		; EFER = LME alone: NXE, SCE and the
	mov eax, EFER_LME		; rest clear, whatever the VMM or an
	xor edx, edx			; earlier loader left (wrmsr leaves
	wrmsr				; EBX, EDI, ESI, EBP)
	mov eax, CR0_PE | CR0_MP | CR0_NE | CR0_PG
	mov cr0, eax
	jmp SEL_CODE64:long64

no_lm_msg:
	db "fw: cpu: no long mode (CPUID 0x80000001 EDX bit 29): pvhfw "
	db "needs an x86-64 CPU", 13, 10, "fw: stop: halted", 13, 10, 0

bits 64
long64:
	; 6. 64-bit mode. Reload the data segments, zero C's bss 8 bytes a
	;    step (half the steps of the 32-bit way: each is a loop turn
	;    under an emulator), move the stack to its virtual address and
	;    call C; fw_main never returns.
	mov eax, SEL_DATA
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov edx, edi
	mov rdi, bss_start
	mov rcx, bss_end
	sub rcx, rdi
	shr rcx, 3
	xor eax, eax
	rep stosq
	mov edi, edx
	mov rsp, boot_stack_top
	mov edi, edi			; start_info, zero-extended
	mov eax, ebp
	shl rsi, 32
	or rsi, rax			; TSC at entry
	mov rax, fw_main
	call rax
.stop:	cli
	hlt
	jmp .stop

section .boot.data progbits alloc noexec write align=16
boot_gdt:
	dq 0				; null
	dq 0x00CF9A000000FFFF		; 0x08: 32-bit code, flat
	dq 0x00AF9A000000FFFF		; 0x10: 64-bit code
	dq 0x00CF92000000FFFF		; 0x18: data, flat
boot_gdt_end:
boot_gdt_desc:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt

section .pvhboot nobits alloc noexec write align=4096
; Boot page tables (step 4), used until load.c switches to its own (or
; until the jump, see platform_maps), and the boot stack. fw.ld places them
; after C's bss.
global boot_pml4, boot_pdpt, boot_pdpt_hi, boot_pd
boot_pml4:
	resb 4096
boot_pdpt:
	resb 4096
boot_pdpt_hi:
	resb 4096
boot_pd:
	resb 4 * 4096
boot_stack:
	resb BOOT_STACK_SIZE
global boot_stack_top
boot_stack_top:
