; SPDX-License-Identifier: MIT
;
; note.asm: the Xen ELF note that makes pvhcheck a PVH kernel
; (BOOT-ABIS.md 1.1): name "Xen\0", type XEN_ELFNOTE_PHYS32_ENTRY (18),
; descriptor = the 32-bit physical entry address.
;
; Assembled twice by the Makefile:
;   -DNOTE_DESCSZ=8  ELF64 images: an 8-byte descriptor, as Linux emits
;   -DNOTE_DESCSZ=4  ELF32 images: a 4-byte descriptor, as Solo5 emits
; It also names the variant for pvhcheck's start line (pvhcheck_variant).

%ifndef NOTE_DESCSZ
%error "NOTE_DESCSZ (4 or 8) must be defined"
%endif
%if NOTE_DESCSZ != 4 && NOTE_DESCSZ != 8
%error "NOTE_DESCSZ must be 4 or 8"
%endif

%define XEN_ELFNOTE_PHYS32_ENTRY 18

extern pvh_start32

section .note.Xen progbits alloc noexec nowrite align=4
        dd 4                            ; n_namesz: "Xen\0"
        dd NOTE_DESCSZ                  ; n_descsz
        dd XEN_ELFNOTE_PHYS32_ENTRY     ; n_type
        db "Xen", 0
%if NOTE_DESCSZ == 8
        dq pvh_start32
%else
        dd pvh_start32
%endif

section .rodata
global pvhcheck_variant
pvhcheck_variant:
%if NOTE_DESCSZ == 8
        db "ELF64 container, 8-byte note", 0
%else
        db "ELF32 container, 4-byte note", 0
%endif

section .note.GNU-stack noalloc noexec nowrite progbits
