; SPDX-License-Identifier: MIT
;
; entry32.asm: the PVH entry of pvhcheck (the address in the Xen note).
;
; The loader enters here in 32-bit protected mode, paging off, EBX = the
; physical address of hvm_start_info (BOOT-ABIS.md 1.3). Nothing else can be
; relied on: no stack, SS/FS/GS unspecified. The steps:
;   1. store the general registers, CR0/CR3/CR4, the segment selectors, TR,
;      LDTR, GDTR and IDTR with plain stores (no flag changes; the stores go
;      through DS, which the ABI says is flat);
;   2. load our own GDT, segments and stack (none of which changes EFLAGS),
;      then read EFLAGS with PUSHFD, and only then CLI/CLD;
;   3. check CPUID for long mode (without it: "PVHCHECK FAIL (no long
;      mode)" on COM1 and exit 0x11), note where we really run (CALL/POP),
;      read EFER, and copy the loader's GDT (up to its limit) so that the C
;      checks can decode CS, DS, ES, SS, FS, GS and TR later, whatever
;      happens to the original;
;   4. identity-map 0-4 GiB with 2 MiB pages (map.c adds more on demand),
;      enable PAE + EFER.LME + CR0.PG, far-jump to 64-bit code;
;   5. call rt_start (lib/start.c): IDT, console, payload_main (main.c).
;
; pvh_regs lives in .data, not .bss: it is written before anything looks at
; the bss, and the loader's bss zeroing is what pvhcheck tests. The page
; tables, stack and GDT copy are in the bss but written in full before use.

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
%define DEBUG_EXIT_PORT 0xf4
%define EXIT_FAIL       0x11            ; RT_EXIT_FAIL: QEMU status 35

%define PTE_P           (1 << 0)
%define PTE_RW          (1 << 1)
%define PTE_PS          (1 << 7)
%define PD_PAGES        4               ; 4 x 1 GiB = 0-4 GiB mapped here

; struct pvh_regs (pvhcheck.h) offsets; every slot is 4 bytes unless noted
%define PR_EAX          0x00
%define PR_EBX          0x04
%define PR_ECX          0x08
%define PR_EDX          0x0c
%define PR_ESI          0x10
%define PR_EDI          0x14
%define PR_EBP          0x18
%define PR_ESP          0x1c
%define PR_EFLAGS       0x20
%define PR_CR0          0x24
%define PR_CR3          0x28
%define PR_CR4          0x2c
%define PR_EFER         0x30            ; 8 bytes
%define PR_CS           0x38            ; selectors: 16 bits stored, 4 kept
%define PR_DS           0x3c
%define PR_ES           0x40
%define PR_SS           0x44
%define PR_FS           0x48
%define PR_GS           0x4c
%define PR_TR           0x50
%define PR_LDTR         0x54
%define PR_GDTR         0x58            ; 8 bytes: u16 limit, u32 base
%define PR_IDTR         0x60            ; 8 bytes
%define PR_EIP          0x68            ; run-time address of pvh_start32
%define PR_GDT_COPIED   0x6c            ; bytes copied to pvh_gdt_copy
%define PR_SIZE         0x70

; our own GDT
%define SEL_CODE32      0x08
%define SEL_DATA        0x10
%define SEL_CODE64      0x18

%define STACK_SIZE      (64 * 1024)
%define GDT_COPY_SIZE   (64 * 1024)     ; a GDT limit is at most 0xFFFF

section .data
align 16
global pvh_regs
pvh_regs:
        times PR_SIZE db 0

; Accessed bits preset, so that the CPU never writes to the table.
align 16
pvh_gdt:
        dq 0
        dq 0x00cf9b000000ffff           ; 0x08 code, 32-bit, flat
        dq 0x00cf93000000ffff           ; 0x10 data, flat
        dq 0x00af9b000000ffff           ; 0x18 code, 64-bit
pvh_gdt_end:
align 8
pvh_gdtr:
        dw pvh_gdt_end - pvh_gdt - 1
        dd pvh_gdt

section .rodata
no_lm_msg:
        db "pvhcheck: CPU has no long mode (CPUID 0x80000001 EDX.LM = 0)", 13, 10
        db "PVHCHECK FAIL (no long mode)", 13, 10, 0

section .bss
align 4096
global pvh_pml4
pvh_pml4:
        resb 4096
pvh_pdpt:
        resb 4096
pvh_pd:
        resb PD_PAGES * 4096
global pvh_gdt_copy
pvh_gdt_copy:
        resb GDT_COPY_SIZE
align 16
pvh_stack:
        resb STACK_SIZE
pvh_stack_top:

section .text.pvh progbits alloc exec nowrite align=16
global pvh_start32
extern rt_start
pvh_start32:
        ; 1. the state as received
        mov [pvh_regs + PR_EAX], eax
        mov [pvh_regs + PR_EBX], ebx
        mov [pvh_regs + PR_ECX], ecx
        mov [pvh_regs + PR_EDX], edx
        mov [pvh_regs + PR_ESI], esi
        mov [pvh_regs + PR_EDI], edi
        mov [pvh_regs + PR_EBP], ebp
        mov [pvh_regs + PR_ESP], esp
        mov eax, cr0
        mov [pvh_regs + PR_CR0], eax
        mov eax, cr3
        mov [pvh_regs + PR_CR3], eax
        mov eax, cr4
        mov [pvh_regs + PR_CR4], eax
        mov [pvh_regs + PR_CS], cs
        mov [pvh_regs + PR_DS], ds
        mov [pvh_regs + PR_ES], es
        mov [pvh_regs + PR_SS], ss
        mov [pvh_regs + PR_FS], fs
        mov [pvh_regs + PR_GS], gs
        str [pvh_regs + PR_TR]
        sldt [pvh_regs + PR_LDTR]
        sgdt [pvh_regs + PR_GDTR]
        sidt [pvh_regs + PR_IDTR]

        ; 2. our GDT, segments and stack; then EFLAGS
        lgdt [pvh_gdtr]
        jmp dword SEL_CODE32:.flat
.flat:
        mov ax, SEL_DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        mov esp, pvh_stack_top
        pushfd
        pop dword [pvh_regs + PR_EFLAGS]
        cli
        cld

        ; 3. where we run, EFER, the loader's GDT (a CPU without long
        ;    mode ends here, see no_long_mode)
        mov eax, 0x80000000
        cpuid
        cmp eax, 0x80000001
        jb no_long_mode
        mov eax, 0x80000001
        cpuid
        test edx, CPUID81_EDX_LM
        jz no_long_mode
        call .here
.here:
        pop eax
        sub eax, .here - pvh_start32
        mov [pvh_regs + PR_EIP], eax
        mov ecx, MSR_EFER
        rdmsr
        mov [pvh_regs + PR_EFER], eax
        mov [pvh_regs + PR_EFER + 4], edx
        movzx ecx, word [pvh_regs + PR_GDTR]
        inc ecx                         ; limit + 1 bytes, at most 64 KiB
        mov [pvh_regs + PR_GDT_COPIED], ecx
        mov esi, [pvh_regs + PR_GDTR + 2]
        mov edi, pvh_gdt_copy
        rep movsb

        ; 4. paging off (whatever we were given), then 4-level paging
        mov eax, CR0_PE | CR0_ET
        mov cr0, eax
        xor eax, eax
        mov cr4, eax
        mov edi, pvh_pml4               ; PML4 and PDPT: all zero, then
        mov ecx, 2 * 4096 / 4           ; one entry and four entries
        rep stosd
        mov dword [pvh_pml4], pvh_pdpt + (PTE_P | PTE_RW)
        mov edi, pvh_pdpt
        mov eax, pvh_pd + (PTE_P | PTE_RW)
        mov ecx, PD_PAGES
.pdpt:
        mov [edi], eax
        add eax, 4096
        add edi, 8
        dec ecx
        jnz .pdpt
        mov edi, pvh_pd                 ; 2048 2 MiB pages: 0-4 GiB
        mov eax, PTE_P | PTE_RW | PTE_PS
        xor edx, edx
        mov ecx, PD_PAGES * 512
.pd:
        mov [edi], eax
        mov [edi + 4], edx
        add eax, 0x200000
        add edi, 8
        dec ecx
        jnz .pd

        mov eax, CR4_PAE
        mov cr4, eax
        mov eax, pvh_pml4
        mov cr3, eax
        mov ecx, MSR_EFER
        rdmsr
        or eax, EFER_LME
        wrmsr
        mov eax, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG
        mov cr0, eax
        jmp dword SEL_CODE64:pvh_start32.long_mode

; No long mode (e.g. qemu-system-i386): say so on COM1, without programming
; the UART (QEMU's works as it is), and leave through isa-debug-exit.
no_long_mode:
        mov esi, no_lm_msg
.next:
        mov al, [esi]
        test al, al
        jz .done
        mov dx, COM1 + 5                ; LSR: bounded wait for THRE
        mov ecx, 100000
.wait:
        in al, dx
        test al, 0x20
        jnz .send
        dec ecx
        jnz .wait
.send:
        mov al, [esi]
        mov dx, COM1
        out dx, al
        inc esi
        jmp .next
.done:
        mov al, EXIT_FAIL
        out DEBUG_EXIT_PORT, al
.halt:
        cli
        hlt
        jmp .halt

bits 64
pvh_start32.long_mode:
        mov ax, SEL_DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        lea rsp, [rel pvh_stack_top]
        xor ebp, ebp
        ; 5. into C; RSP is 16-byte aligned before the call, as the ABI wants
        call rt_start
.halt:
        cli
        hlt
        jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
