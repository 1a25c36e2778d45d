#!/bin/sh
# SPDX-License-Identifier: MIT
#
# verify-elf.sh FILE CLASS DESCSZ: the link-time check of a pvhcheck image,
# as readelf sees it:
#   - ELF class CLASS (ELF64 or ELF32) and the matching machine (X86-64 for
#     ELF64, 80386 for ELF32);
#   - exactly one PT_NOTE, no PT_INTERP, no PT_DYNAMIC, PT_LOADs with
#     p_paddr = p_vaddr;
#   - one note "Xen", type 0x12 (XEN_ELFNOTE_PHYS32_ENTRY), DESCSZ bytes of
#     descriptor whose low 32 bits equal e_entry.
# Exits 1 with a message naming the first problem.
set -eu

f=$1 class=$2 descsz=$3
READELF=${READELF:-readelf}

die() {
	echo "$f: $*" >&2
	exit 1
}

hdr=$($READELF -hW "$f")
case $class in
ELF64) machine='Advanced Micro Devices X86-64' ;;
ELF32) machine='Intel 80386' ;;
*) die "unknown class $class" ;;
esac
echo "$hdr" | grep -q "Class: *$class\$" || die "not $class"
echo "$hdr" | grep -q "Machine: *$machine\$" || die "machine is not $machine"
entry=$(echo "$hdr" | awk '/Entry point address:/ { print $4 }')

phdrs=$($READELF -lW "$f")
[ "$(echo "$phdrs" | grep -c '^ *NOTE ')" = 1 ] || die "not exactly one PT_NOTE"
! echo "$phdrs" | grep -qE '^ *(INTERP|DYNAMIC) ' ||
	die "unexpected PT_INTERP or PT_DYNAMIC"
echo "$phdrs" | awk '$1 == "LOAD" && $3 != $4 { bad = 1 } END { exit bad }' ||
	die "a PT_LOAD with p_paddr != p_vaddr"

# "  Xen  0x00000008<TAB>Unknown note type: (0x00000012)<TAB>description
# data: 00 00 40 00 00 00 00 00"
note=$($READELF -nW "$f" | grep -E '^ *Xen[[:space:]]' |
	grep -F '(0x00000012)') || die "no Xen note of type 0x12"
[ "$(echo "$note" | wc -l)" = 1 ] || die "more than one PHYS32_ENTRY note"
size=$(echo "$note" | awk '{ print $2 }')
[ $((size)) = "$descsz" ] || die "descriptor is $((size)) bytes, want $descsz"
addr=$(echo "$note" | sed 's/.*description data://' |
	awk '{ printf "0x%s%s%s%s", $4, $3, $2, $1 }')
[ $((addr)) = $((entry)) ] ||
	die "note entry $addr is not e_entry $entry"
