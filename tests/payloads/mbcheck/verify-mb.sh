#!/bin/sh
# SPDX-License-Identifier: MIT
#
# verify-mb.sh FILE VARIANT: the link-time check of an mbcheck image, as
# readelf, nm and od see it (VARIANT as header.asm's MB_VARIANT):
#   - class and machine: 1 ELF32 / 80386, 2 and 3 ELF64 / X86-64;
#   - exactly two PT_LOADs, no PT_INTERP, PT_DYNAMIC or PT_NOTE, p_paddr =
#     p_vaddr;
#   - e_entry: mb_start32 for 1; mb_wrong_entry (not mb_start32) for 2, 3;
#   - 1, 2: a Multiboot 1 header (magic 0x1BADB002, checksum) 4-aligned in
#     the first 8192 bytes, flags 0x3 (1) or 0x00010003 (2); for 2 the
#     address fields: header_addr = the header's address, load_addr =
#     __image_start = the first PT_LOAD, whose file offset is the one the
#     a.out kludge computes (header offset - (header_addr - load_addr)),
#     load_end_addr = __data_end = the end of the file bytes, bss_end_addr
#     = __bss_end = the end of memory, entry_addr = mb_start32, and file
#     offsets that follow the addresses across both PT_LOADs;
#   - 3: a Multiboot 2 header (magic 0xE85250D6, architecture 0, checksum)
#     8-aligned in the first 32768 bytes, tags inside header_length, 8-
#     aligned, ending with an end tag; a required information request for
#     1, 2, 3, 4 and 6, an entry address tag = mb_start32, a module
#     alignment tag.
# Exits 1 with a message naming the first problem.
set -eu

f=$1 variant=$2
READELF=${READELF:-readelf}
NM=${NM:-nm}

die() {
	echo "$f: $*" >&2
	exit 1
}

case $variant in
1) class=ELF32 machine='Intel 80386' ;;
2 | 3) class=ELF64 machine='Advanced Micro Devices X86-64' ;;
*) die "unknown variant $variant" ;;
esac

hdr=$($READELF -hW "$f")
echo "$hdr" | grep -q "Class: *$class\$" || die "not $class"
echo "$hdr" | grep -q "Machine: *$machine\$" || die "machine is not $machine"
entry=$(($(echo "$hdr" | awk '/Entry point address:/ { print $4 }')))

sym() {
	v=$($NM "$f" | awk -v s="$1" '$3 == s { print $1 }')
	[ -n "$v" ] || die "no symbol $1"
	echo $((0x$v))
}
start32=$(sym mb_start32)
case $variant in
1) [ "$entry" = "$start32" ] || die "e_entry is not mb_start32" ;;
*)
	[ "$entry" = "$(sym mb_wrong_entry)" ] ||
		die "e_entry is not mb_wrong_entry"
	[ "$entry" != "$start32" ] || die "e_entry is the Multiboot entry"
	;;
esac

phdrs=$($READELF -lW "$f")
! echo "$phdrs" | grep -qE '^ *(INTERP|DYNAMIC|NOTE) ' ||
	die "unexpected PT_INTERP, PT_DYNAMIC or PT_NOTE"
# offset vaddr paddr filesz memsz of each PT_LOAD, in decimal
loads=$(echo "$phdrs" | awk '$1 == "LOAD" { print $2, $3, $4, $5, $6 }' |
	while read -r o v p fs ms; do
		echo $((o)) $((v)) $((p)) $((fs)) $((ms))
	done)
[ "$(echo "$loads" | wc -l)" = 2 ] || die "not exactly two PT_LOADs"
echo "$loads" | awk '$2 != $3 { bad = 1 } END { exit bad }' ||
	die "a PT_LOAD with p_paddr != p_vaddr"

# The first 32 KiB as u32 words, one per line (word i at offset 4 * i).
words=$(od -An -v -tu4 -w4 -N32768 "$f" | awk '{ print $1 }')

case $variant in
1 | 2)
	want_flags=3
	[ "$variant" = 2 ] && want_flags=65539
	# off magic flags checksum header_addr load_addr load_end bss_end entry
	mb=$(echo "$words" | awk '
		{ w[NR - 1] = $1 }
		END {
			for (i = 0; i * 4 + 12 <= 8192 && (i + 2) in w; i++) {
				if (w[i] != 464367618)
					continue
				if ((w[i] + w[i + 1] + w[i + 2]) % 4294967296)
					continue
				printf "%.0f", i * 4
				for (k = 1; k <= 7; k++)
					printf " %.0f", w[i + k]
				print ""
				exit
			}
		}')
	[ -n "$mb" ] || die "no Multiboot 1 header in the first 8192 bytes"
	set -- $mb
	off=$1 flags=$2
	[ "$flags" = "$want_flags" ] ||
		die "Multiboot 1 flags $(printf 0x%x "$flags"), want $(printf 0x%x "$want_flags")"
	if [ "$variant" = 2 ]; then
		[ $((off + 32)) -le 8192 ] || die "address fields past 8192 bytes"
		haddr=$4 laddr=$5 lend=$6 bend=$7 eaddr=$8
		set -- $(echo "$loads" | head -n 1)
		t_off=$1 t_vaddr=$2
		set -- $(echo "$loads" | tail -n 1)
		d_off=$1 d_vaddr=$2 d_filesz=$4 d_memsz=$5
		[ "$laddr" = "$(sym __image_start)" ] && [ "$laddr" = "$t_vaddr" ] ||
			die "load_addr is not __image_start / the first PT_LOAD"
		[ "$laddr" -le "$haddr" ] || die "load_addr above header_addr"
		[ "$haddr" = "$((laddr + off - t_off))" ] ||
			die "header_addr is not where the header is loaded"
		[ $((d_off - d_vaddr)) = $((t_off - t_vaddr)) ] ||
			die "file offsets do not follow the addresses"
		[ "$lend" = "$(sym __data_end)" ] &&
			[ "$lend" = $((d_vaddr + d_filesz)) ] ||
			die "load_end_addr is not __data_end / the end of the file bytes"
		[ "$bend" = "$(sym __bss_end)" ] &&
			[ "$bend" = $((d_vaddr + d_memsz)) ] ||
			die "bss_end_addr is not __bss_end / the end of memory"
		[ "$eaddr" = "$start32" ] || die "entry_addr is not mb_start32"
		[ $((t_off + lend - laddr)) -le "$(wc -c <"$f")" ] ||
			die "load_end_addr runs past the file"
	fi
	;;
3)
	msg=$(echo "$words" | awk -v start32="$start32" '
		{ w[NR - 1] = $1 }
		END {
			for (i = 0; i * 4 + 16 <= 32768 && (i + 3) in w; i += 2) {
				if (w[i] != 3897708758)
					continue
				if ((w[i] + w[i + 1] + w[i + 2] + w[i + 3]) % 4294967296)
					continue
				break
			}
			if (!((i + 3) in w) || i * 4 + 16 > 32768) {
				print "no Multiboot 2 header in the first 32768 bytes"
				exit
			}
			if (w[i + 1] != 0) { print "architecture is not 0"; exit }
			len = w[i + 2]
			if (i * 4 + len > 32768) { print "header past 32768 bytes"; exit }
			t = 16
			while (t + 8 <= len) {
				type = w[i + t / 4] % 65536
				size = w[i + t / 4 + 1]
				if (size < 8 || t + size > len) {
					print "bad tag at header offset " t
					exit
				}
				if (type == 0) { end = 1; break }
				if (type == 1 && int(w[i + t / 4] / 65536) % 2 == 0)
					for (k = 8; k < size; k += 4)
						req[w[i + (t + k) / 4]] = 1
				if (type == 3) entry = w[i + t / 4 + 2]
				if (type == 6) align = 1
				t += int((size + 7) / 8) * 8
			}
			if (!end) { print "no end tag"; exit }
			if (!(1 in req && 2 in req && 3 in req && 4 in req && 6 in req)) {
				print "the required information request lacks 1, 2, 3, 4 or 6"
				exit
			}
			if (entry != start32) { print "entry address tag is not mb_start32"; exit }
			if (!align) { print "no module alignment tag"; exit }
		}')
	[ -z "$msg" ] || die "$msg"
	;;
esac
