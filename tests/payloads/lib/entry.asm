; SPDX-License-Identifier: MIT
;
; entry.asm: e_entry of the test payloads, and the trap stubs.
;
; The firmware jumps here in 64-bit mode. The steps:
;   1. store all general registers with plain MOVs (no flag or register
;      changes), then move to our own stack and read RFLAGS with PUSHFQ;
;   2. clear IF and DF for ourselves (the captured RFLAGS keeps the truth);
;   3. store CR0, CR3, CR4, EFER, the segment selectors, GDTR and IDTR;
;   4. store FCW, MXCSR, XCR0, an FXSAVE image and, where XCR0 has AVX,
;      an XSAVE of the AVX state (the upper halves of YMM0-15), each only
;      when the CR0/CR4/XCR0 bits say the instruction cannot fault, and
;      note which ones in ER_HAVE;
;   5. store LDTR, TR, DR0-3, DR6, DR7, CR2, CR8 and the MSRs a firmware
;      may leave behind (PAT, the SYSCALL and SYSENTER MSRs,
;      KERNEL_GS_BASE) and FS_BASE and GS_BASE;
;   6. call rt_start (lib/start.c), which never returns.
;
; entry_regs lives in .data, not .bss: it is written before anything looks
; at the bss, and the firmware's bss zeroing is what abicheck tests.

bits 64
default rel

%define CR0_EM          (1 << 2)
%define CR0_TS          (1 << 3)
%define CR4_OSFXSR      (1 << 9)
%define CR4_OSXSAVE     (1 << 18)
%define MSR_EFER        0xC0000080

; struct entry_regs (lib/rt.h) offsets
%define ER_RDI          0x00
%define ER_RSI          0x08
%define ER_RBX          0x10
%define ER_RSP          0x18
%define ER_RFLAGS       0x20
%define ER_CR0          0x28
%define ER_CR3          0x30
%define ER_CR4          0x38
%define ER_EFER         0x40
%define ER_XCR0         0x48
%define ER_MXCSR        0x50
%define ER_FCW          0x58
%define ER_HAVE         0x60
%define ER_RIP          0x68
%define ER_CS           0x70
%define ER_DS           0x78
%define ER_ES           0x80
%define ER_SS           0x88
%define ER_FS           0x90
%define ER_GS           0x98
%define ER_GDTR         0xa0
%define ER_IDTR         0xb0
%define ER_RAX          0xc0
%define ER_RCX          0xc8
%define ER_RDX          0xd0
%define ER_RBP          0xd8
%define ER_R8           0xe0            ; r8..r15 follow, 8 bytes each
%define ER_LDTR         0x120
%define ER_TR           0x128
%define ER_DR0          0x130           ; dr0..dr3 follow, 8 bytes each
%define ER_DR6          0x150
%define ER_DR7          0x158
%define ER_CR2          0x160
%define ER_CR8          0x168
%define ER_MSRS         0x170           ; one u64 per entry of msr_list
%define ER_FX           0x1c0           ; FXSAVE image, 16-byte aligned
%define ER_XSAVE        0x3c0           ; XSAVE area (AVX only), 64-byte aligned
%define ER_SIZE         0x7c0

%define HAVE_FCW        1
%define HAVE_MXCSR      2
%define HAVE_XCR0       4
%define HAVE_YMM        16
%define XCR0_AVX        4

%define STACK_SIZE      (64 * 1024)

section .data
align 64
global entry_regs
entry_regs:
        times ER_SIZE db 0

section .bss
align 16
boot_stack:
        resb STACK_SIZE
boot_stack_top:

section .text.entry progbits alloc exec nowrite align=16
global _start
extern rt_start
_start:
        ; 1. registers as received
        mov [entry_regs + ER_RDI], rdi
        mov [entry_regs + ER_RSI], rsi
        mov [entry_regs + ER_RBX], rbx
        mov [entry_regs + ER_RSP], rsp
        mov [entry_regs + ER_RAX], rax
        mov [entry_regs + ER_RCX], rcx
        mov [entry_regs + ER_RDX], rdx
        mov [entry_regs + ER_RBP], rbp
        mov [entry_regs + ER_R8 + 0x00], r8
        mov [entry_regs + ER_R8 + 0x08], r9
        mov [entry_regs + ER_R8 + 0x10], r10
        mov [entry_regs + ER_R8 + 0x18], r11
        mov [entry_regs + ER_R8 + 0x20], r12
        mov [entry_regs + ER_R8 + 0x28], r13
        mov [entry_regs + ER_R8 + 0x30], r14
        mov [entry_regs + ER_R8 + 0x38], r15
        lea rsp, [boot_stack_top]
        pushfq
        pop qword [entry_regs + ER_RFLAGS]
        ; 2. our own execution state
        cli
        cld
        lea rax, [_start]               ; where we really run
        mov [entry_regs + ER_RIP], rax
        ; 3. control registers, EFER, segments, descriptor tables
        mov rax, cr0
        mov [entry_regs + ER_CR0], rax
        mov rax, cr3
        mov [entry_regs + ER_CR3], rax
        mov rax, cr4
        mov [entry_regs + ER_CR4], rax
        mov ecx, MSR_EFER
        rdmsr
        mov [entry_regs + ER_EFER], eax
        mov [entry_regs + ER_EFER + 4], edx
        xor eax, eax
        mov ax, cs
        mov [entry_regs + ER_CS], rax
        mov ax, ds
        mov [entry_regs + ER_DS], rax
        mov ax, es
        mov [entry_regs + ER_ES], rax
        mov ax, ss
        mov [entry_regs + ER_SS], rax
        mov ax, fs
        mov [entry_regs + ER_FS], rax
        mov ax, gs
        mov [entry_regs + ER_GS], rax
        sgdt [entry_regs + ER_GDTR]
        sidt [entry_regs + ER_IDTR]
        ; 4. x87/SSE/XSAVE state, only where reading it cannot fault
        mov rax, [entry_regs + ER_CR0]
        test eax, CR0_EM | CR0_TS
        jnz .no_fpu
        fnstcw [entry_regs + ER_FCW]
        or qword [entry_regs + ER_HAVE], HAVE_FCW
        mov rax, [entry_regs + ER_CR4]
        test eax, CR4_OSFXSR
        jz .no_fpu
        stmxcsr [entry_regs + ER_MXCSR]
        fxsave64 [entry_regs + ER_FX]
        or qword [entry_regs + ER_HAVE], HAVE_MXCSR
.no_fpu:
        mov rax, [entry_regs + ER_CR4]
        test eax, CR4_OSXSAVE
        jz .no_xsave
        xor ecx, ecx
        xgetbv
        mov [entry_regs + ER_XCR0], eax
        mov [entry_regs + ER_XCR0 + 4], edx
        or qword [entry_regs + ER_HAVE], HAVE_XCR0
        test eax, XCR0_AVX
        jz .no_xsave
        test qword [entry_regs + ER_HAVE], HAVE_FCW ; XSAVE faults (#NM)
        jz .no_xsave                    ; with CR0.TS set
        mov eax, XCR0_AVX               ; the upper halves of YMM0-15 alone
        xor edx, edx
        xsave [entry_regs + ER_XSAVE]
        or qword [entry_regs + ER_HAVE], HAVE_YMM
.no_xsave:
        ; 5. the rest of the CPU state
        xor eax, eax
        sldt ax
        mov [entry_regs + ER_LDTR], rax
        str ax
        mov [entry_regs + ER_TR], rax
        mov rax, dr0
        mov [entry_regs + ER_DR0 + 0x00], rax
        mov rax, dr1
        mov [entry_regs + ER_DR0 + 0x08], rax
        mov rax, dr2
        mov [entry_regs + ER_DR0 + 0x10], rax
        mov rax, dr3
        mov [entry_regs + ER_DR0 + 0x18], rax
        mov rax, dr6
        mov [entry_regs + ER_DR6], rax
        mov rax, dr7
        mov [entry_regs + ER_DR7], rax
        mov rax, cr2
        mov [entry_regs + ER_CR2], rax
        mov rax, cr8
        mov [entry_regs + ER_CR8], rax
        lea rsi, [msr_list]
        lea rdi, [entry_regs + ER_MSRS]
.msr:   mov ecx, [rsi]
        test ecx, ecx
        jz .msr_done
        rdmsr
        mov [rdi], eax
        mov [rdi + 4], edx
        add rsi, 4
        add rdi, 8
        jmp .msr
.msr_done:
        ; 6. into C; RSP is 16-byte aligned before the call, as the ABI wants
        xor ebp, ebp
        call rt_start
.halt:
        cli
        hlt
        jmp .halt

; Trap stubs: 256 of them, 16 bytes each (lib/trap.c computes the addresses).
; Each pushes a zero error code where the CPU pushes none, then the vector.

%define TRAP_STUB_SIZE 16

; The MSRs step 5 reads, in struct entry_regs' order (ER_MSR_* in rt.h).
section .rodata
msr_list:
        dd 0x277                        ; IA32_PAT
        dd 0xC0000081                   ; STAR
        dd 0xC0000082                   ; LSTAR
        dd 0xC0000084                   ; SFMASK
        dd 0xC0000102                   ; KERNEL_GS_BASE
        dd 0x174                        ; SYSENTER_CS
        dd 0x175                        ; SYSENTER_ESP
        dd 0x176                        ; SYSENTER_EIP
        dd 0xC0000100                   ; FS_BASE
        dd 0xC0000101                   ; GS_BASE
        dd 0

section .text
extern trap_handler
align 16
global trap_stubs
trap_stubs:
%assign vec 0
%rep 256
.stub %+ vec:
%if vec == 8 || vec == 10 || vec == 11 || vec == 12 || vec == 13 || vec == 14 || vec == 17 || vec == 21 || vec == 29 || vec == 30
%else
        push qword 0
%endif
        push qword vec
        jmp trap_common
        times TRAP_STUB_SIZE - ($ - .stub %+ vec) db 0xCC
%assign vec vec + 1
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
        mov rdi, rsp                    ; struct trap_frame *
        and rsp, -16
        cld
        call trap_handler
.halt:
        cli
        hlt
        jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
