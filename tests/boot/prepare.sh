#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# prepare.sh: builds the inputs the boot-test table refers to, in build/:
#   build/bad/      broken ELFs from mkbad.c, and other broken inputs;
#   build/linux/    Debian's kernel as bzImage and vmlinux, a busybox
#                   initramfs, the bundles and fw_cfg files the Linux cases
#                   boot (scripts/linux-assets, scripts/mkbundle).
set -eu
cd "$(dirname "$0")/../.."
BAD=build/bad
L=build/linux
mkdir -p "$BAD" "$L"
# The boot, EFI and inspect runners each call this; under `make -j` they
# would build the same files at once. One at a time, and every file is
# replaced whole, by a rename (another runner may be booting the previous
# one): made under a temporary name, then put().
exec 9>build/.prepare.lock
flock 9
VARS=build/test-vars.$$
NEWBAD=$BAD/.new.$$
trap 'rm -rf "$VARS" "$NEWBAD"' EXIT

# put NEW FILE: NEW becomes FILE by a rename, unless FILE already has the
# same bytes (NEW is then dropped, and FILE keeps its time: what is made
# from it stays fresh).
put() {
	if cmp -s "$1" "$2"; then
		rm -f "$1"
	else
		mv -f "$1" "$2"
	fi
}

gcc -std=c11 -Wall -Wextra -Werror -O1 -o "$BAD/mkbad" tests/boot/mkbad.c
mkdir -p "$NEWBAD"
"$BAD/mkbad" "$NEWBAD"
for f in "$NEWBAD"/*; do
	put "$f" "$BAD/${f##*/}"
done

scripts/linux-assets "$L" >/dev/null

# Bundles: kernel + initramfs (+ cmdline words).
# mkb OUT [-c WORDS] FILE[=NAME]...: scripts/mkbundle's bundle, made again
# unless it is newer than mkbundle and every file and was made from the
# same arguments (words, names, order: kept in OUT.args). A file that is
# missing stops prepare.sh (never a bundle left from an earlier run).
mkb() {
	local out=$1 arg f fresh=1 args word=0
	shift
	args=$(printf '%q ' "$@")
	for arg in scripts/mkbundle "$@"; do
		[ $word = 1 ] && { word=0; continue; } # -c's words
		[ "$arg" = -c ] && { word=1; continue; }
		f=$arg
		[ -f "$f" ] || f=${arg%=*} # as mkbundle: a whole name first
		if ! [ -f "$f" ]; then
			echo "prepare.sh: $out: input $f is missing" >&2
			exit 1
		fi
		[ "$out" -nt "$f" ] || fresh=0
	done
	[ -f "$out" ] && [ $fresh = 1 ] &&
		[ "$(cat "$out.args" 2>/dev/null)" = "$args" ] && return 0
	scripts/mkbundle -o "$out.new" "$@"
	mv -f "$out.new" "$out"
	printf '%s\n' "$args" >"$out.args"
}
mkb "$L/bz.cpio" -c "console=ttyS0 from=bundle" "$L/bzImage" \
	"$L/initramfs.cpio.gz=initrd"
mkb "$L/vm.cpio" -c "console=ttyS0 from=bundle" "$L/vmlinux" \
	"$L/initramfs.cpio.gz=initrd"
printf 'console=ttyS0 from=fw_cfg' >"$L/cmdline.txt.new"
put "$L/cmdline.txt.new" "$L/cmdline.txt"
# The same written by plain `cpio -H newc`, whose entries are only 4-byte
# aligned (scripts/mkbundle page-aligns modules): the firmware must move
# the initrd to a page boundary for Linux.
# (prepare.sh is an input: the words are here.)
cpio_bundle() {
	local out=$1 kernel=$2 d
	[ -f "$out" ] && [ "$out" -nt "$kernel" ] &&
		[ "$out" -nt "$L/initramfs.cpio.gz" ] &&
		[ "$out" -nt tests/boot/prepare.sh ] && return 0
	d=$(mktemp -d)
	cp "$kernel" "$d/kernel"
	cp "$L/initramfs.cpio.gz" "$d/initrd"
	printf 'console=ttyS0 from=bundle' >"$d/cmdline"
	(cd "$d" && printf '%s\n' kernel cmdline initrd |
		cpio -o -H newc -R 0:0 --quiet) >"$out.new"
	mv -f "$out.new" "$out"
	rm -rf "$d"
}
cpio_bundle "$L/bz-cpio.cpio" "$L/bzImage"
cpio_bundle "$L/vm-cpio.cpio" "$L/vmlinux"

# Debian's bzImage with initrd_addr_max 0x3ffffff (u32 at 0x22c) and
# XLF_CAN_BE_LOADED_ABOVE_4G (bit 1 of xloadflags at 0x236) cleared, in a
# bundle: its initrd, which QEMU puts near the top of low RAM, must move to
# end below 64 MiB.
if [ ! -f "$L/bzImage-initrd-max" ] ||
	[ "$L/bzImage" -nt "$L/bzImage-initrd-max" ]; then
	cp "$L/bzImage" "$L/bzImage-initrd-max.tmp"
	printf '\xff\xff\xff\x03' | dd of="$L/bzImage-initrd-max.tmp" bs=1 \
		seek=$((0x22c)) conv=notrunc status=none
	xlf=$(od -An -tu1 -j$((0x236)) -N1 "$L/bzImage" | tr -d ' ')
	printf "\\$(printf %o $((xlf & ~2)))" |
		dd of="$L/bzImage-initrd-max.tmp" bs=1 seek=$((0x236)) \
			conv=notrunc status=none
	mv -f "$L/bzImage-initrd-max.tmp" "$L/bzImage-initrd-max"
fi
mkb "$L/bz-initrd-max.cpio" -c "console=ttyS0 from=bundle" \
	"$L/bzImage-initrd-max" "$L/initramfs.cpio.gz=initrd"
# A bzImage that claims protocol 2.11 (u16 at 0x206).
cp "$L/bzImage" "$BAD/bzimage-old.new"
printf '\x0b\x02' | dd of="$BAD/bzimage-old.new" bs=1 seek=$((0x206)) \
	conv=notrunc status=none
put "$BAD/bzimage-old.new" "$BAD/bzimage-old"
# The bzImage cut 256 bytes into its protected-mode part, before the 64-bit
# entry at 0x200 there: nothing to jump to.
sects=$(od -An -tu1 -j$((0x1f1)) -N1 "$L/bzImage" | tr -d ' ')
head -c $(((sects + 1) * 512 + 256)) "$L/bzImage" >"$BAD/bzimage-short.new"
put "$BAD/bzimage-short.new" "$BAD/bzimage-short"
# A bundle cut in the middle of its kernel entry.
head -c 100000 "$L/bz.cpio" >"$BAD/bundle-truncated.cpio.new"
put "$BAD/bundle-truncated.cpio.new" "$BAD/bundle-truncated.cpio"
# A bundle with no `kernel` entry.
if [ ! "$BAD/bundle-nokernel.cpio" -nt tests/boot/prepare.sh ]; then
	d=$(mktemp -d)
	echo data >"$d/notkernel"
	(cd "$d" && echo notkernel | cpio -o -H newc --quiet) \
		>"$BAD/bundle-nokernel.cpio.new"
	mv -f "$BAD/bundle-nokernel.cpio.new" "$BAD/bundle-nokernel.cpio"
	rm -rf "$d"
fi
# A bundle whose kernel entry is not a payload (mkbad's random bytes).
mkb "$BAD/bundle-badkernel.cpio" "$BAD/random.bin" \
	build/payloads/demo.elf=module1
# A bundle whose module name holds a line break that would start a forged
# "fw: measure:" line in the log (mkbundle refuses such a name: written with
# an X there, which is then overwritten).
if [ ! -f "$BAD/bundle-name-newline.cpio" ]; then
	scripts/mkbundle -o "$BAD/bundle-name-newline.cpio.tmp" \
		build/payloads/demo.elf \
		"tests/boot/mkbad.c=Xfw: measure: payload sha256 forged"
	at=$(grep -boa 'Xfw: measure: payload sha256 forged' \
		"$BAD/bundle-name-newline.cpio.tmp" | cut -d: -f1)
	printf '\n' | dd of="$BAD/bundle-name-newline.cpio.tmp" bs=1 \
		seek="$at" conv=notrunc status=none
	mv -f "$BAD/bundle-name-newline.cpio.tmp" "$BAD/bundle-name-newline.cpio"
fi
# An initrd larger than the RAM of a 256 MiB VM (sparse).
[ -f "$BAD/initrd-300m" ] || truncate -s 300M "$BAD/initrd-300m"

# mkbad's 32-segment PVH kernel with 31 one-byte modules: the most busy
# ranges the firmware can need (modules, its image, segments, its new place,
# the handoff area).
mkdir -p "$BAD/one"
mods=()
for i in $(seq -w 1 31); do
	[ -f "$BAD/one/m$i" ] || printf x >"$BAD/one/m$i"
	mods+=("$BAD/one/m$i")
done
mkb build/pvh-busy-max.cpio "$BAD/pvh-32-segments.elf" "${mods[@]}"
# One file more than a bundle may hold: the kernel and 32 modules (plain
# cpio: mkbundle refuses it).
if [ ! -f "$BAD/bundle-33-files.cpio" ]; then
	d=$(mktemp -d)
	cp build/payloads/demo.elf "$d/kernel"
	for i in $(seq -w 1 32); do printf x >"$d/m$i"; done
	(cd "$d" && { echo kernel; for i in $(seq -w 1 32); do echo "m$i"; done; } |
		cpio -o -H newc -R 0:0 --quiet) >"$BAD/bundle-33-files.cpio"
	rm -rf "$d"
fi

# mkbad's two-segment Multiboot 1 kernel with a module: it, the bundle and
# the information structure would lie between its segments.
mkb build/mb1-gap.cpio "$BAD/mb1-gap.elf" "tests/boot/mkbad.c=second"

# A PVH payload with two named modules and extra command-line words.
P=build/payloads
mkb "build/pvh-mods.cpio" -c "check.modules=2 from=bundle" \
	"$P/pvhcheck64.elf" "tests/boot/reloc/reloc.ld=first" \
	"tests/boot/mkbad.c=second"
# The same without the cmdline entry, which pins do not cover (so a bundle
# with one is refused when pins are given).
mkb "build/pvh-mods-nocmd.cpio" "$P/pvhcheck64.elf" \
	"tests/boot/reloc/reloc.ld=first" "tests/boot/mkbad.c=second"
# le N BYTES: N's low BYTES bytes, little-endian, on stdout.
le() {
	local k
	for ((k = 0; k < $2; k++)); do
		printf "\\x$(printf %02x $((($1 >> (8 * k)) & 255)))"
	done
}
# add_bss IN OUT START END: the ELF32 or ELF64 payload IN with one more
# PT_LOAD, read-write, no file bytes, memory [START, END): its program
# header goes after the others, into the zero padding before the first
# segment's file bytes (at 0x1000 in the payloads' link).
add_bss() {
	local in=$1 out=$2 start=$3 end=$4 class phoff esz n nat at first
	[ -f "$out" ] && [ "$out" -nt "$in" ] &&
		[ "$out" -nt tests/boot/prepare.sh ] && return 0
	class=$(od -An -tu1 -j4 -N1 "$in" | tr -d ' ')
	if [ "$class" = 1 ]; then
		phoff=$(od -An -tu4 -j28 -N4 "$in" | tr -d ' ')
		nat=44
	else
		phoff=$(od -An -tu8 -j32 -N8 "$in" | tr -d ' ')
		nat=56
	fi
	esz=$(od -An -tu2 -j$((nat - 2)) -N2 "$in" | tr -d ' ')
	n=$(od -An -tu2 -j$nat -N2 "$in" | tr -d ' ')
	at=$((phoff + n * esz))
	first=$(readelf -lW "$in" | awk '$1 == "LOAD" { print $2; exit }')
	if [ $((at + esz)) -gt $((first)) ] ||
		[ -n "$(od -An -tx1 -v -j$at -N"$esz" "$in" | tr -d ' 0\n')" ]; then
		echo "prepare.sh: $in: no room for one more program header" >&2
		exit 1
	fi
	cp "$in" "$out.tmp"
	if [ "$class" = 1 ]; then
		{ le 1 4; le 0 4; le "$start" 4; le "$start" 4; le 0 4
		  le $((end - start)) 4; le 6 4; le 4096 4; }
	else
		{ le 1 4; le 6 4; le 0 8; le "$start" 8; le "$start" 8; le 0 8
		  le $((end - start)) 8; le 4096 8; }
	fi | dd of="$out.tmp" bs=1 seek=$at conv=notrunc status=none
	le $((n + 1)) 2 | dd of="$out.tmp" bs=1 seek=$nat conv=notrunc status=none
	mv -f "$out.tmp" "$out"
}
# pvhcheck32 and abicheck with a bss over the top of the RAM below 4 GiB
# in a 5 GiB q35 VM (0x7fe00000-0x7ffdf000), where QEMU puts -initrd: the
# bundle's modules move out of its way, a PVH kernel's below 4 GiB (it
# starts with paging off), an ELF64's to the highest free RAM.
add_bss "$P/pvhcheck32.elf" build/pvhcheck32-bss.elf 0x7fe00000 0x7ffdf000
add_bss "$P/abicheck.elf" build/abicheck-bss.elf 0x7fe00000 0x7ffdf000
mkb build/pvh32-bss.cpio -c "check.modules=1" build/pvhcheck32-bss.elf \
	"tests/boot/reloc/reloc.ld=first"
mkb build/abi-bss.cpio -c "check.modules=1" build/abicheck-bss.elf \
	"tests/boot/reloc/reloc.ld=first"
# A bundle with a cmdline entry, for the boot record: its digest and size
# are @SHA_RECORD_CMDLINE@ and @SIZE_RECORD_CMDLINE@ (with fw.record=on the
# record is the second module).
record_words="check.modules=2 from=record-bundle"
mkb "build/pvh-record-cmdline.cpio" -c "$record_words" "$P/pvhcheck64.elf" \
	"tests/boot/reloc/reloc.ld=first"
mkb "build/mb2-record-cmdline.cpio" -c "$record_words" "$P/mb2check.elf" \
	"tests/boot/reloc/reloc.ld=first"
# check.modhash=1 (the checker hashes its modules and compares the boot
# record's digests) where the firmware moves things: abicheck-high's
# segments cover the bundle's modules, which move out of its way; plain
# cpio puts modules at 4-byte offsets (before the kernel entry: whatever
# the kernel's size), which Multiboot 1 moves to page boundaries;
# mb1check64k and pvhcheck32-1m at 1 MiB, where the firmware moves itself
# (a module of 1 MiB there); abicheck and mb2check as the one module of
# relaunch's Cloud Hypervisor and Firecracker profiles (and from the ESP).
# No cmdline entries: the cases give the check.* words.
mkb build/modhash-abi-high.cpio "$P/abicheck-high.elf" \
	"tests/boot/reloc/reloc.ld=first" "tests/boot/mkbad.c=second"
mkb build/modhash-mb1k.cpio "$P/mb1check64k.elf" \
	"tests/boot/reloc/reloc.ld=first" "$L/initramfs.cpio.gz=initrd"
mkb build/modhash-pvh32-1m.cpio "$P/pvhcheck32-1m.elf" \
	"tests/boot/reloc/reloc.ld=first" "$L/initramfs.cpio.gz=initrd"
mkb build/modhash-abi.cpio "$P/abicheck.elf" \
	"tests/boot/reloc/reloc.ld=first" "$L/initramfs.cpio.gz=initrd"
mkb build/modhash-mb2.cpio "$P/mb2check.elf" \
	"tests/boot/reloc/reloc.ld=first" "$L/initramfs.cpio.gz=initrd"
mb1u=build/modhash-mb1-unaligned.cpio
if [ ! -f "$mb1u" ] || [ "$P/mb1check32.elf" -nt "$mb1u" ] ||
	[ tests/boot/prepare.sh -nt "$mb1u" ] ||
	[ tests/boot/reloc/reloc.ld -nt "$mb1u" ] ||
	[ tests/boot/mkbad.c -nt "$mb1u" ]; then
	d=$(mktemp -d)
	cp tests/boot/reloc/reloc.ld "$d/first"
	cp tests/boot/mkbad.c "$d/second"
	cp "$P/mb1check32.elf" "$d/kernel"
	(cd "$d" && printf '%s\n' first second kernel |
		cpio -o -H newc -R 0:0 --quiet) >"$mb1u.new"
	mv -f "$mb1u.new" "$mb1u"
	rm -rf "$d"
fi
# A module named with words after its name ("second single"): the module's
# string, which pins do not cover (refused when pins are given).
mkb "build/pvh-name-words.cpio" "$P/pvhcheck64.elf" \
	"tests/boot/mkbad.c=second single"
# A bundle with an entry named as the boot record (mkbundle refuses it),
# from plain cpio.
if [ ! -f build/bundle-record-name.cpio ] ||
	[ "$P/demo.elf" -nt build/bundle-record-name.cpio ]; then
	d=$(mktemp -d)
	cp "$P/demo.elf" "$d/kernel"
	printf 'a forged record' >"$d/pvhfw-boot-record"
	(cd "$d" && printf '%s\n' kernel pvhfw-boot-record |
		cpio -o -H newc -R 0:0 --quiet) >build/bundle-record-name.cpio
	rm -rf "$d"
fi
# Bundles whose cmdline entry holds fw. words: a pin (refused: the bundle
# is what pins vouch for), and fw.help with fw.console= (read once the
# bundle is found).
mkb "build/bundle-pin.cpio" \
	-c "fw.sha256=$(sha256sum "$P/pvhcheck64.elf" | cut -c1-64) x" \
	"$P/pvhcheck64.elf"
mkb "build/bundle-help.cpio" -c "fw.help fw.console=debugcon" \
	"$P/pvhcheck64.elf"

# A module of 0 bytes, in bundles from plain `cpio -H newc` (entries 4-byte
# aligned): after mbcheck's kernel (it asks for page-aligned modules), and
# before abicheck-high's, whose segments cover the start of the bundle.
empty_bundle() { # OUT KERNEL ENTRY...
	local out=$1 kernel=$2 d
	shift 2
	[ -f "$out" ] && [ "$out" -nt "$kernel" ] &&
		[ "$out" -nt tests/boot/prepare.sh ] && return 0
	d=$(mktemp -d)
	cp "$kernel" "$d/kernel"
	: >"$d/empty"
	(cd "$d" && printf '%s\n' "$@" | cpio -o -H newc -R 0:0 --quiet) \
		>"$out.new"
	mv -f "$out.new" "$out"
	rm -rf "$d"
}
empty_bundle build/mb1-empty-module.cpio "$P/mb1check32.elf" kernel empty
empty_bundle build/abi-empty-module.cpio "$P/abicheck-high.elf" empty kernel

# fw.elf started again by relaunch.elf (a 312-entry memory map and the
# other relaunch. words) with a payload and its modules: Linux (E820
# entries past boot_params' 128 go in a setup_data node), the checkers.
relaunch_bundle() { # NAME WORDS PAYLOAD=NAME [MODULE=NAME ...]
	local name=$1 words="relaunch.loglevel=info${2:+ $2}"
	shift 2
	mkb "build/relaunch-$name.cpio" -c "$words" "$P/relaunch.elf" \
		"build/fw.elf=fw.elf" "$@"
}
relaunch_bundle linux "console=ttyS0 panic=-1" "$L/bzImage=linux" \
	"$L/initramfs.cpio.gz=initrd"
relaunch_bundle vmlinux "console=ttyS0 panic=-1" "$L/vmlinux=linux" \
	"$L/initramfs.cpio.gz=initrd"
relaunch_bundle abicheck "check.pvhfw=1" "$P/abicheck.elf=abicheck"
relaunch_bundle pvh "" "$P/pvhcheck64.elf=pvhcheck"
relaunch_bundle pvh32 "" "$P/pvhcheck32.elf=pvhcheck"
relaunch_bundle demo "" "$P/demo.elf=demo"
relaunch_bundle mb1 "" "$P/mb1check32.elf=mbcheck"
relaunch_bundle mb2 "" "$P/mb2check.elf=mbcheck"
# The checkers with one module of their own, for relaunch.module-high=
# (that module handed to fw.elf at 4 GiB): a PVH and a Multiboot kernel
# get it moved below 4 GiB, an ELF64 keeps it there.
relaunch_bundle pvh32-mod "" "$P/pvhcheck32.elf=pvhcheck" \
	"tests/boot/reloc/reloc.ld=first"
relaunch_bundle abicheck-mod "" "$P/abicheck.elf=abicheck" \
	"tests/boot/reloc/reloc.ld=first"
relaunch_bundle mb1-mod "" "$P/mb1check32.elf=mbcheck" \
	"tests/boot/reloc/reloc.ld=first"
# One module, as the VMMs pass one initramfs: a kernel bundle.
relaunch_bundle bz "" "$L/bz.cpio=bundle"
relaunch_bundle vm "" "$L/vm.cpio=bundle"
relaunch_bundle modhash-abi "check.pvhfw=1" "build/modhash-abi.cpio=bundle"
relaunch_bundle modhash-mb2 "" "build/modhash-mb2.cpio=bundle"
# relaunch.profile= checked by itself: pvhcheck in fw.elf's place sees the
# Cloud Hypervisor or Firecracker entry state relaunch recreates, and where
# the one module (any file) went.
mkb build/relaunch-direct.cpio "$P/relaunch.elf" "$P/pvhcheck64.elf=fw.elf" \
	"tests/boot/reloc/reloc.ld=initrd"

# A relocatable PVH kernel linked at 1 GiB, and relocatable Multiboot 2
# kernels linked at 4 MiB, below their min_addr, one of them preferring the
# lowest place; both kinds linked at 1 MiB too, with limits that allow only
# that place (tests/boot/reloc).
# reloc_kernel OUT LINK_ADDR|- DEFINE...: reloc.asm assembled with the nasm
# defines given and linked at LINK_ADDR (-: reloc.ld's own, 1 GiB).
reloc_kernel() {
	local out=$1 at=$2 sym=()
	shift 2
	[ "$at" = - ] || sym=(--defsym=LINK_ADDR="$at")
	nasm -f elf32 "$@" -o "${out%.elf}.o" tests/boot/reloc/reloc.asm
	ld -m elf_i386 --no-warn-rwx-segments "${sym[@]}" \
		-T tests/boot/reloc/reloc.ld -o "$out.new" "${out%.elf}.o"
	mv -f "$out.new" "$out"
}
if [ ! build/reloc-mb2-1m.elf -nt tests/boot/reloc/reloc.asm ] ||
	[ ! build/reloc-mb2-1m.elf -nt tests/boot/reloc/reloc.ld ] ||
	[ ! build/reloc-mb2-1m.elf -nt tests/boot/prepare.sh ]; then
	reloc_kernel build/reloc.elf -
	reloc_kernel build/reloc-mb2.elf 0x400000 -DMB2
	reloc_kernel build/reloc-mb2-low.elf 0x400000 -DMB2 -DPREF_LOW
	reloc_kernel build/reloc-1m.elf 0x100000 -DAT_1M
	reloc_kernel build/reloc-mb2-1m.elf 0x100000 -DMB2 -DAT_1M
fi

# Debian's Xen hypervisor (xen-hypervisor-4.17-amd64), a Multiboot kernel,
# with Linux as dom0 and the initramfs, in one bundle.
X=build/xen
mkdir -p "$X"
xen=$(ls /boot/xen-*-amd64.gz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$xen" ]; then
	echo "prepare.sh: no /boot/xen-*-amd64.gz for the Xen cases (make deps installs xen-hypervisor-4.17-amd64)" >&2
	exit 1
fi
if [ ! -f "$X/xen" ] || [ "$xen" -nt "$X/xen" ]; then
	zcat "$xen" >"$X/xen.new"
	mv -f "$X/xen.new" "$X/xen"
fi
mkb "$X/xen.cpio" \
	-c "console=com1 com1=115200,8n1 dom0_mem=256M" "$X/xen" \
	"$L/vmlinux=vmlinux" "$L/initramfs.cpio.gz=initrd"

# Digests the verified-boot cases pin, as @NAME@ for tests/boot/cases.
{
	echo "SHA_PVHCHECK64=$(sha256sum "$P/pvhcheck64.elf" | cut -c1-64)"
	echo "SHA_MKBAD_C=$(sha256sum tests/boot/mkbad.c | cut -c1-64)"
	echo "SHA_BZIMAGE=$(sha256sum "$L/bzImage" | cut -c1-64)"
	echo "INIT_SIZE_BZIMAGE=$(od -An -tu4 -j$((0x260)) -N4 "$L/bzImage" |
		tr -d ' ')"
	echo "SIZE_PVHCHECK64=$(stat -c %s "$P/pvhcheck64.elf")"
	echo "SIZE_RELOC_LD=$(stat -c %s tests/boot/reloc/reloc.ld)"
	echo "SHA_RELOC_LD=$(sha256sum tests/boot/reloc/reloc.ld | cut -c1-64)"
	echo "SHA_RECORD_CMDLINE=$(printf '%s' "$record_words" | sha256sum |
		cut -c1-64)"
	echo "SIZE_RECORD_CMDLINE=${#record_words}"
} >"$VARS"

# fw.elf's own memory ends at image_end_phys; relaunch.hostile=*-in-fw
# puts what the VMM hands over at the first page boundary in its bss (of
# the first PT_LOAD whose memory goes past its file bytes), module 0 there
# being abicheck.elf in build/relaunch-abicheck.cpio.
fw_bss=
while read -r _ _ _ pa fs ms _; do
	b=$(((pa + fs + 0xfff) & ~0xfff))
	[ -z "$fw_bss" ] && [ "$b" -lt $((pa + ms)) ] && fw_bss=$b
done < <(readelf -lW build/fw.elf | awk '$1 == "LOAD"')
{
	echo "FW_END=0x$(nm build/fw.elf | awk '$3 == "image_end_phys" {
		sub(/^0+/, "", $1); print $1 }')"
	printf 'FW_BSS=0x%x\n' "$fw_bss"
	printf 'FW_BSS_ABICHECK_END=0x%x\n' \
		$((fw_bss + $(stat -c %s "$P/abicheck.elf")))
} >>"$VARS"

# A bzImage whose setup header is broken (no jump at 0x200 to give its
# length), and a 64 KiB command line for the PVH command-line limit.
if [ ! -f "$BAD/bzimage-badhdr" ] || [ "$L/bzImage" -nt "$BAD/bzimage-badhdr" ]; then
	cp "$L/bzImage" "$BAD/bzimage-badhdr.new"
	printf '\x00' | dd of="$BAD/bzimage-badhdr.new" bs=1 seek=$((0x200)) \
		conv=notrunc status=none
	mv -f "$BAD/bzimage-badhdr.new" "$BAD/bzimage-badhdr"
fi
# An fw_cfg command line with a NUL byte inside.
printf 'check.x=1\0check.y=2' >"$BAD/cmdline-nul.txt.new"
put "$BAD/cmdline-nul.txt.new" "$BAD/cmdline-nul.txt"
echo "CMDLINE_64K=$(head -c 65536 /dev/zero | tr '\0' 'a')" >>"$VARS"
# A payload word that fills the command line (8191 bytes).
echo "CMDLINE_8191=$(head -c 8191 /dev/zero | tr '\0' 'a')" >>"$VARS"
# A 200-byte word, and the 64 bytes of it a message echoes.
echo "LONG_WORD=$(head -c 200 /dev/zero | tr '\0' 'b')" >>"$VARS"
echo "LONG_WORD_64=$(head -c 64 /dev/zero | tr '\0' 'b')" >>"$VARS"
# 420 words of 4 letters: 2099 bytes, more than the bzImage's cmdline_size.
echo "CMDLINE_2099=$(yes abcd | head -n 420 | tr '\n' ' ' | sed 's/ $//')" \
	>>"$VARS"

# A Multiboot 2 kernel with two named modules.
mkb "build/mb2-mods.cpio" -c "check.modules=2 from=bundle" \
	"$P/mb2check.elf" "tests/boot/reloc/reloc.ld=first" \
	"tests/boot/mkbad.c=second"
mv -f "$VARS" build/test-vars
