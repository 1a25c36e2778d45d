; SPDX-License-Identifier: MIT
;
; entry32.asm: the Multiboot entry of mbcheck (entry_addr, the Multiboot 2
; entry tag, or e_entry of the ELF32 build).
;
; The loader enters here in 32-bit protected mode, paging off, EAX = the
; boot magic, EBX = the physical address of the information structure
; (BOOT-ABIS.md 3.2, 3.5). The spec promises flat segments but no stack and
; no usable GDT ("the OS must not reload any segment register before
; installing its own GDT"). The steps:
;   1. store EAX-ESP, CR0, CR3, CR4, the six selectors, TR, LDTR, GDTR and
;      IDTR with plain MOVs through DS (flat by the spec); none of these
;      changes a flag;
;   2. load our own GDT, then segments and a stack (no flag changes
;      either), then read EFLAGS with PUSHFD, and only then CLI/CLD;
;   3. without long mode (CPUID 0x80000001 EDX.LM): "MBCHECK FAIL (no long
;      mode)" on COM1, exit 0x11. Else note where we run (CALL/POP), read
;      EFER, and copy the loader's GDT up to its limit so that the C code
;      can decode the loader's CS, DS, ES, SS, FS and GS later;
;   4. identity-map 0-4 GiB with 2 MiB pages (every Multiboot pointer is
;      32-bit), enable PAE, EFER.LME, CR0.PG, far-jump to 64-bit code;
;   5. call rt_start (lib/start.c): IDT, console, payload_main (main.c).
;
; mb_regs lives in .data, not .bss: it is written before anything looks at
; the bss, whose zeroing by the loader main.c checks. The page tables,
; stack and GDT copy are in the bss and written in full before use.

bits 32

%define CR0_PE          (1 << 0)
%define CR0_MP          (1 << 1)
%define CR0_ET          (1 << 4)
%define CR0_NE          (1 << 5)
%define CR0_WP          (1 << 16)
%define CR0_PG          (1 << 31)
%define CR4_PAE         (1 << 5)
%define MSR_EFER        0xC0000080
%define EFER_LME        (1 << 8)
%define CPUID81_EDX_LM  (1 << 29)

%define COM1            0x3F8
%define DEBUG_EXIT_PORT 0xF4
%define EXIT_FAIL       0x11            ; RT_EXIT_FAIL: QEMU status 35

%define PTE_P           (1 << 0)
%define PTE_RW          (1 << 1)
%define PTE_PS          (1 << 7)
%define PD_COUNT        4               ; page directories: 4 x 1 GiB

; struct mb_regs (mbcheck.h); 4-byte slots unless noted
%define MR_EAX          0x00
%define MR_EBX          0x04
%define MR_ECX          0x08
%define MR_EDX          0x0c
%define MR_ESI          0x10
%define MR_EDI          0x14
%define MR_EBP          0x18
%define MR_ESP          0x1c
%define MR_EFLAGS       0x20
%define MR_CR0          0x24
%define MR_CR3          0x28
%define MR_CR4          0x2c
%define MR_EFER         0x30            ; 8 bytes
%define MR_CS           0x38            ; selectors: 16 bits into 32
%define MR_DS           0x3c
%define MR_ES           0x40
%define MR_SS           0x44
%define MR_FS           0x48
%define MR_GS           0x4c
%define MR_TR           0x50
%define MR_LDTR         0x54
%define MR_GDTR         0x58            ; 8 bytes: u16 limit, u32 base
%define MR_IDTR         0x60            ; 8 bytes
%define MR_EIP          0x68            ; where mb_start32 really runs
%define MR_GDT_COPIED   0x6c            ; bytes in mb_gdt_copy
%define MR_SIZE         0x70

; our GDT
%define SEL_CODE32      0x08
%define SEL_DATA        0x10
%define SEL_CODE64      0x18

%define STACK_SIZE      (64 * 1024)
%define GDT_COPY_SIZE   (64 * 1024)     ; a GDT limit is at most 0xFFFF

section .data
align 16
global mb_regs
mb_regs:
        times MR_SIZE db 0

; The accessed bits are set, so the CPU has no reason to write the table.
align 16
mb_gdt:
        dq 0
        dq 0x00cf9b000000ffff           ; 0x08: 32-bit code, flat
        dq 0x00cf93000000ffff           ; 0x10: data, flat
        dq 0x00af9b000000ffff           ; 0x18: 64-bit code
mb_gdt_end:
align 8
mb_gdtr:
        dw mb_gdt_end - mb_gdt - 1
        dd mb_gdt

section .rodata
mb_no_lm_text:
        db "mbcheck: CPU has no long mode (CPUID 0x80000001 EDX.LM = 0)"
        db 13, 10
        db "MBCHECK FAIL (no long mode)", 13, 10, 0

section .bss
align 4096
global mb_pml4
mb_pml4:
        resb 4096
mb_pdpt:
        resb 4096
mb_pd:
        resb PD_COUNT * 4096
global mb_gdt_copy
mb_gdt_copy:
        resb GDT_COPY_SIZE
align 16
mb_stack:
        resb STACK_SIZE
mb_stack_top:

section .text.mb progbits alloc exec nowrite align=16
global mb_start32
extern rt_start
mb_start32:
        ; 1. the state as received
        mov [mb_regs + MR_EAX], eax
        mov [mb_regs + MR_EBX], ebx
        mov [mb_regs + MR_ECX], ecx
        mov [mb_regs + MR_EDX], edx
        mov [mb_regs + MR_ESI], esi
        mov [mb_regs + MR_EDI], edi
        mov [mb_regs + MR_EBP], ebp
        mov [mb_regs + MR_ESP], esp
        mov eax, cr0
        mov [mb_regs + MR_CR0], eax
        mov eax, cr3
        mov [mb_regs + MR_CR3], eax
        mov eax, cr4
        mov [mb_regs + MR_CR4], eax
        mov [mb_regs + MR_CS], cs
        mov [mb_regs + MR_DS], ds
        mov [mb_regs + MR_ES], es
        mov [mb_regs + MR_SS], ss
        mov [mb_regs + MR_FS], fs
        mov [mb_regs + MR_GS], gs
        str [mb_regs + MR_TR]
        sldt [mb_regs + MR_LDTR]
        sgdt [mb_regs + MR_GDTR]
        sidt [mb_regs + MR_IDTR]

        ; 2. our GDT, segments and stack, then EFLAGS
        lgdt [mb_gdtr]
        jmp dword SEL_CODE32:.flat
.flat:
        mov ax, SEL_DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        mov esp, mb_stack_top
        pushfd
        pop dword [mb_regs + MR_EFLAGS]
        cli
        cld

        ; 3. long mode or not; where we run; EFER; the loader's GDT
        mov eax, 0x80000000
        cpuid
        cmp eax, 0x80000001
        jb mb_no_long_mode
        mov eax, 0x80000001
        cpuid
        test edx, CPUID81_EDX_LM
        jz mb_no_long_mode
        call .here
.here:
        pop eax
        sub eax, .here - mb_start32
        mov [mb_regs + MR_EIP], eax
        mov ecx, MSR_EFER
        rdmsr
        mov [mb_regs + MR_EFER], eax
        mov [mb_regs + MR_EFER + 4], edx
        movzx ecx, word [mb_regs + MR_GDTR]
        inc ecx                         ; limit + 1 bytes
        mov [mb_regs + MR_GDT_COPIED], ecx
        mov esi, [mb_regs + MR_GDTR + 2]
        mov edi, mb_gdt_copy
        rep movsb

        ; 4. paging off and CR4 clear (whatever we were given), then
        ;    identity-mapped 4-level paging
        mov eax, CR0_PE | CR0_ET
        mov cr0, eax
        xor eax, eax
        mov cr4, eax
        mov edi, mb_pml4                ; clear the PML4 and the PDPT
        mov ecx, 2 * 4096 / 4
        xor eax, eax
        rep stosd
        mov dword [mb_pml4], mb_pdpt + (PTE_P | PTE_RW)
        mov edi, mb_pdpt
        mov eax, mb_pd + (PTE_P | PTE_RW)
        mov ecx, PD_COUNT
.pdpt:
        mov [edi], eax
        add eax, 4096
        add edi, 8
        dec ecx
        jnz .pdpt
        mov edi, mb_pd                  ; 2048 entries of 2 MiB: 0-4 GiB
        mov eax, PTE_P | PTE_RW | PTE_PS
        xor edx, edx
        mov ecx, PD_COUNT * 512
.pd:
        mov [edi], eax
        mov [edi + 4], edx
        add eax, 0x200000
        add edi, 8
        dec ecx
        jnz .pd

        mov eax, CR4_PAE
        mov cr4, eax
        mov eax, mb_pml4
        mov cr3, eax
        mov ecx, MSR_EFER
        rdmsr
        or eax, EFER_LME
        wrmsr
        mov eax, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG
        mov cr0, eax
        jmp dword SEL_CODE64:mb_long_mode

; No long mode (qemu-system-i386, say): print on COM1 as the UART is (QEMU's
; needs no programming) and leave through isa-debug-exit.
mb_no_long_mode:
        mov esi, mb_no_lm_text
.char:
        mov al, [esi]
        test al, al
        jz .done
        mov dx, COM1 + 5                ; LSR: a bounded wait for THRE
        mov ecx, 100000
.wait:
        in al, dx
        test al, 0x20
        jnz .put
        dec ecx
        jnz .wait
.put:
        mov al, [esi]
        mov dx, COM1
        out dx, al
        inc esi
        jmp .char
.done:
        mov al, EXIT_FAIL
        out DEBUG_EXIT_PORT, al
.halt:
        cli
        hlt
        jmp .halt

bits 64
mb_long_mode:
        mov ax, SEL_DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        lea rsp, [rel mb_stack_top]
        xor ebp, ebp
        ; 5. into C, RSP 16-byte aligned before the call
        call rt_start
.halt:
        cli
        hlt
        jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
