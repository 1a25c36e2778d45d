; SPDX-License-Identifier: MIT
;
; entry32.asm: the PVH entry of pvhcheck (the address in the Xen note).
;
; The loader enters here in 32-bit protected mode, paging off, EBX = the
; physical address of hvm_start_info (BOOT-ABIS.md 1.3). Nothing else can be
; relied on: no stack, SS/FS/GS unspecified. What follows (capture the
; state, our own GDT and stack, identity-mapped 0-4 GiB, long mode, then
; rt_start) is common/entry32.inc, shared with mbcheck; map.c adds
; mappings above 4 GiB on demand, in pvh_pml4.

%define E32_REGS        pvh_regs
%define E32_GDT_COPY    pvh_gdt_copy
%define E32_PML4        pvh_pml4
%define E32_START       pvh_start32
%define E32_TEXT        .text.pvh
%define E32_NO_LM_MSG   "pvhcheck: CPU has no long mode (CPUID 0x80000001 EDX.LM = 0)"
%define E32_NO_LM_FAIL  "PVHCHECK FAIL (no long mode)"

%include "entry32.inc"
