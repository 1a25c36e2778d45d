; SPDX-License-Identifier: MIT
;
; entry32.asm: the Multiboot entry of mbcheck (entry_addr, the Multiboot 2
; entry tag, or e_entry of the ELF32 build).
;
; The loader enters here in 32-bit protected mode, paging off, EAX = the
; boot magic, EBX = the physical address of the information structure
; (BOOT-ABIS.md 3.2, 3.5). The spec promises flat segments but no stack and
; no usable GDT ("the OS must not reload any segment register before
; installing its own GDT"). What follows (capture the state, our own GDT
; and stack, identity-mapped 0-4 GiB, as every Multiboot pointer is 32-bit,
; long mode, then rt_start) is common/entry32.inc, shared with pvhcheck.

%define E32_REGS        mb_regs
%define E32_GDT_COPY    mb_gdt_copy
%define E32_PML4        mb_pml4
%define E32_START       mb_start32
%define E32_TEXT        .text.mb
%define E32_NO_LM_MSG   "mbcheck: CPU has no long mode (CPUID 0x80000001 EDX.LM = 0)"
%define E32_NO_LM_FAIL  "MBCHECK FAIL (no long mode)"

%include "entry32.inc"
