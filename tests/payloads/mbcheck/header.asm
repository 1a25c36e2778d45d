; SPDX-License-Identifier: MIT
;
; header.asm: the Multiboot header of one mbcheck build (BOOT-ABIS.md 3.1,
; 3.4, 4.2), the name of the build, and the stub e_entry points at where
; e_entry is not the Multiboot entry.
;
; Assembled once per build by the Makefile with -DMB_VARIANT=:
;   1  Multiboot 1, flags PAGE_ALIGN | MEMORY_INFO (0x3): the loader must
;      load the ELF (mb1check32.elf, ELF32, e_entry = mb_start32);
;   2  Multiboot 1, flags PAGE_ALIGN | MEMORY_INFO | AOUT_KLUDGE
;      (0x00010003), as Solo5's virtio target: the address fields place the
;      image and give the entry, and e_entry is mb_wrong_entry
;      (mb1check64k.elf, ELF64);
;   3  Multiboot 2, architecture 0, tags: information request (1, 2, 3, 4,
;      6), optional information request (15, 14), entry address
;      (mb_start32), module alignment, end (mb2check.elf, ELF64, e_entry =
;      mb_wrong_entry, so the entry tag must win).
;
; The header is in section .multiboot, which mbcheck.ld puts first in the
; first PT_LOAD: file offset 0x1000, inside both search windows (8 KiB for
; Multiboot 1, 32 KiB for Multiboot 2). The checker reads its own header
; back at run time (mb_header) to know what it asked for.

%ifndef MB_VARIANT
%error "MB_VARIANT (1, 2 or 3) must be defined"
%endif
%if MB_VARIANT < 1 || MB_VARIANT > 3
%error "MB_VARIANT must be 1, 2 or 3"
%endif

%define MB1_MAGIC               0x1BADB002
%define MB1_PAGE_ALIGN          (1 << 0)
%define MB1_MEMORY_INFO         (1 << 1)
%define MB1_AOUT_KLUDGE         (1 << 16)
%define MB2_MAGIC               0xE85250D6
%define MB2_ARCH_I386           0
%define MB2_OPTIONAL            1

extern mb_start32
extern __image_start, __data_end, __bss_end

section .multiboot progbits alloc noexec nowrite align=8
global mb_header
mb_header:
%if MB_VARIANT == 1 || MB_VARIANT == 2
%if MB_VARIANT == 1
%define MB1_FLAGS (MB1_PAGE_ALIGN | MB1_MEMORY_INFO)
%else
%define MB1_FLAGS (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE)
%endif
        dd MB1_MAGIC
        dd MB1_FLAGS
        dd -(MB1_MAGIC + MB1_FLAGS)     ; magic + flags + checksum = 0
%if MB_VARIANT == 2
        dd mb_header                    ; header_addr: where this header is
        dd __image_start                ; load_addr: the image's first byte
        dd __data_end                   ; load_end_addr: end of .data
        dd __bss_end                    ; bss_end_addr
        dd mb_start32                   ; entry_addr
%endif
%else
        dd MB2_MAGIC
        dd MB2_ARCH_I386
        dd mb2_header_end - mb_header   ; header_length, tags included
        dd (0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + \
                (mb2_header_end - mb_header))) & 0xFFFFFFFF
        ; information request, required: cmdline, loader name, modules,
        ; basic meminfo, memory map
.req:
        dw 1, 0
        dd .req_end - .req
        dd 1, 2, 3, 4, 6
.req_end:
        align 8, db 0
        ; information request, optional: ACPI new RSDP, ACPI old RSDP
.opt:
        dw 1, MB2_OPTIONAL
        dd .opt_end - .opt
        dd 15, 14
.opt_end:
        align 8, db 0
        ; entry address
        dw 3, 0
        dd 12
        dd mb_start32
        align 8, db 0
        ; module alignment: modules page aligned
        dw 6, 0
        dd 8
        ; end
        dw 0, 0
        dd 8
mb2_header_end:
%endif

section .rodata
; Which protocol this build speaks (1 or 2), for the C checks.
global mbcheck_proto
align 4
mbcheck_proto:
%if MB_VARIANT == 3
        dd 2
%else
        dd 1
%endif
global mbcheck_variant
mbcheck_variant:
%if MB_VARIANT == 1
        db "Multiboot 1, ELF32 container", 0
%elif MB_VARIANT == 2
        db "Multiboot 1 with the a.out kludge, ELF64 container, "
        db "e_entry is not the entry", 0
%else
        db "Multiboot 2, ELF64 container, e_entry is not the entry", 0
%endif

%if MB_VARIANT != 1
; e_entry of the builds whose Multiboot entry is elsewhere. A loader that
; jumps here used the ELF entry instead of entry_addr (or the entry tag).
; The instructions encode the same in 32- and 64-bit mode (no stack, no
; memory operand, no REX), so whatever mode the loader jumped in, COM1
; gets the message and isa-debug-exit gets 0x11 (QEMU status 35).
%macro com1_text 1
%strlen %%n %1
%assign %%i 1
%rep %%n
%substr %%c %1 %%i
        mov al, %%c
        out dx, al
%assign %%i %%i + 1
%endrep
%endmacro

bits 32
section .text
global mb_wrong_entry
mb_wrong_entry:
        cli
        mov dx, 0x3F8                   ; 66 BA F8 03 in both modes
        com1_text "mbcheck: entered at e_entry, not at the Multiboot entry"
        mov al, 13
        out dx, al
        mov al, 10
        out dx, al
        com1_text "MBCHECK FAIL (entered at e_entry)"
        mov al, 13
        out dx, al
        mov al, 10
        out dx, al
        mov al, 0x11
        out 0xF4, al
.halt:
        cli
        hlt
        jmp .halt
%endif

section .note.GNU-stack noalloc noexec nowrite progbits
