#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkbundle.sh: the scripts/mkbundle tests (make bundle-tests, part of make
# check). Each case builds bundles and reads them back with the newc reader
# below, written apart from the firmware's (bundle/bundle.c) and from
# mkbundle's own arithmetic. A bundle passes when
#   - the firmware would take it: newc entries ("070701" or "070702", 13
#     fields of 8 hex digits), names of 1..128 bytes with their NUL, data
#     inside the file, up to a "TRAILER!!!" entry;
#   - its regular files are the expected ones, in order, each holding the
#     bytes of the file it came from (other entries are .pad-* links);
#   - each module's data (every regular file but kernel and cmdline) starts
#     at a multiple of 4096 in the archive.
# The cases: modules of sizes that need padding, a filler of its own
# (.pad-N.fill) or none; a module given through a symbolic link; under
# LC_ALL=C.UTF-8 (skipped when that locale is missing), a non-ASCII -c and
# module names, which count in bytes, at the 127-byte name and 4095-byte
# cmdline limits; the -c limit itself; names with bytes pvhfw refuses, and
# the boot record's name; the 32-file limit. A refusal must exit 1 with one
# line "mkbundle: ..." and leave no output.
#
#   tests/bundle/mkbundle.sh      MKBUNDLE=path tests another mkbundle
#
# Prints "FAIL case: why" for each failing case and one summary line, which
# counts the UTF-8 cases as skipped when the locale is missing; the inputs
# and bundles stay in build/bundle-tests.
set -u
export LC_ALL=C # ${#x} counts bytes
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
case ${MKBUNDLE:=$root/scripts/mkbundle} in
/*) ;;
*) MKBUNDLE=$PWD/$MKBUNDLE ;;
esac
cd "$root" || exit 1
D=build/bundle-tests
rm -rf "$D"
mkdir -p "$D" || exit 1
for tool in cpio od cmp; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "mkbundle: tests need $tool on PATH"; exit 1; }
done

e=$'\xc3\xa9' # U+00E9, 2 bytes in UTF-8
u=$'\xc3\xbc' # U+00FC
# $1 repeated $2 times.
rep() {
	local s='' i
	for ((i = 0; i < $2; i++)); do s+=$1; done
	printf '%s' "$s"
}
# The $3 bytes of $1 from offset $2.
at() { tail -c +$(($2 + 1)) -- "$1" | head -c "$3"; }
# A file of $2 bytes whose lines name it and count up.
blob() { seq -f "${1##*/} %06g" "$(($2 + 1))" | head -c "$2" >"$1"; }

# newc_read ARCHIVE: the archive's regular files into reg_names, reg_offs
# (where their data starts) and reg_sizes. Returns 1, with $why, when the
# firmware would refuse the archive or an entry is neither a regular file
# nor a .pad-* symbolic link.
newc_read() {
	local f=$1 len off=0 hdr mode size ns name data nul
	reg_names=() reg_offs=() reg_sizes=()
	len=$(stat -c %s -- "$f")
	while :; do
		[ $((off + 110)) -le "$len" ] ||
			{ why="no whole header at $off"; return 1; }
		hdr=$(at "$f" "$off" 110)
		[[ $hdr =~ ^07070[12][0-9A-Fa-f]{104}$ ]] ||
			{ why="bad header at $off"; return 1; }
		mode=$((16#${hdr:14:8}))
		size=$((16#${hdr:54:8}))
		ns=$((16#${hdr:94:8}))
		if [ "$ns" -lt 1 ] || [ "$ns" -gt 128 ]; then
			why="entry at $off: name size $ns, not 1..128"
			return 1
		fi
		[ $((off + 110 + ns)) -le "$len" ] ||
			{ why="entry at $off: name past the end"; return 1; }
		name=$(at "$f" $((off + 110)) $((ns - 1)) 2>/dev/null; echo .)
		name=${name%.}
		nul=$(at "$f" $((off + 109 + ns)) 1 | od -An -tx1)
		if [ "${#name}" != $((ns - 1)) ] || [ "${nul// /}" != 00 ]; then
			why="entry at $off: name not one NUL-terminated string"
			return 1
		fi
		[ "$name" != 'TRAILER!!!' ] || return 0
		data=$(((off + 110 + ns + 3) / 4 * 4))
		[ $((data + size)) -le "$len" ] ||
			{ why="'$name': data past the end"; return 1; }
		if [ $((mode & 0170000)) = $((0100000)) ]; then
			reg_names+=("$name")
			reg_offs+=("$data")
			reg_sizes+=("$size")
		elif [ $((mode & 0170000)) != $((0120000)) ] ||
			[[ $name != .pad-* ]]; then
			why="'$name': neither a regular file nor a .pad- link"
			return 1
		fi
		off=$(((data + size + 3) / 4 * 4))
	done
}

# expect ARCHIVE NAME=FILE...: the archive's regular files are NAMEs, in
# this order, each with its FILE's bytes; all but kernel and cmdline start on
# a 4 KiB boundary.
expect() {
	local f=$1 i=0 pair name file want
	shift
	newc_read "$f" || return 1
	[ "${#reg_names[@]}" = $# ] ||
		{ why="$f: ${#reg_names[@]} regular files, expected $#"; return 1; }
	for pair; do
		name=${pair%%=*} file=${pair#*=}
		want=$(stat -L -c %s -- "$file")
		if [ "${reg_names[i]}" != "$name" ]; then
			why="$f: file $i is '${reg_names[i]}', expected '$name'"
		elif [ "${reg_sizes[i]}" != "$want" ]; then
			why="$f: '$name' is ${reg_sizes[i]} bytes, expected $want"
		elif ! at "$f" "${reg_offs[i]}" "$want" | cmp -s - "$file"; then
			why="$f: '$name' does not hold the bytes of $file"
		elif [ "$name" != kernel ] && [ "$name" != cmdline ] &&
			[ $((reg_offs[i] % 4096)) != 0 ]; then
			why=$(printf '%s: the data of %s starts at 0x%x' "$f" \
				"'$name'" "${reg_offs[i]}")
		fi
		[ -z "$why" ] || return 1
		i=$((i + 1))
	done
}

# mk LOCALE ARGS...: mkbundle ARGS under LC_ALL=LOCALE, which must succeed.
mk() {
	local loc=$1
	shift
	LC_ALL=$loc "$MKBUNDLE" "$@" 2>"$D/stderr" && return 0
	why="mkbundle $*: $(head -n 1 "$D/stderr")"
	return 1
}

# refuse LOCALE WORDS ARGS...: mkbundle -o $D/refused.cpio ARGS under
# LC_ALL=LOCALE must exit 1, saying one line "mkbundle: ..." with WORDS in
# it, and write no file.
refuse() {
	local loc=$1 words=$2 st
	shift 2
	rm -f "$D/refused.cpio"
	LC_ALL=$loc "$MKBUNDLE" -o "$D/refused.cpio" "$@" 2>"$D/stderr"
	st=$?
	if [ "$st" != 1 ]; then
		why="mkbundle exited $st, expected a refusal (1)"
	elif [ "$(wc -l <"$D/stderr")" != 1 ] ||
		! grep -q "^mkbundle: .*$words" "$D/stderr"; then
		why="not one line 'mkbundle: ...$words...':"
		why+=" $(head -c 200 "$D/stderr")"
	elif [ -e "$D/refused.cpio" ] ||
		compgen -G "$D/.mkbundle.*" >/dev/null; then
		why="a refusal left a file"
	fi
	[ -z "$why" ]
}

# Modules after kernels of sizes that put the next header where it needs a
# .pad-N link (1, 4096), a .pad-N.fill one (.pad-N's filler would be 0
# bytes: 3744) or none (3864), and an empty module.
case_sizes() {
	local k
	blob "$D/m" 10
	blob "$D/m2" 3
	: >"$D/empty"
	for k in 1 3744 3864 4096; do
		blob "$D/kernel" "$k"
		mk C -o "$D/sizes-$k.cpio" "$D/kernel" "$D/m" "$D/empty" "$D/m2" &&
			expect "$D/sizes-$k.cpio" kernel="$D/kernel" m="$D/m" \
				empty="$D/empty" m2="$D/m2" || return 1
	done
}

# A module given as a symbolic link, as /boot/initrd.img is: its entry is
# the file's bytes, and the modules after it still start on 4 KiB.
case_symlink() {
	blob "$D/kernel" 5000
	blob "$D/initrd.img-6.1.0" 70000
	ln -sf initrd.img-6.1.0 "$D/initrd.img"
	blob "$D/m2" 100
	blob "$D/m3" 9000
	mk C -o "$D/symlink.cpio" -c "console=ttyS0" "$D/kernel" \
		"$D/initrd.img" "$D/m2" "$D/m3=third" &&
		printf '%s' "console=ttyS0" >"$D/cmdline.want" &&
		expect "$D/symlink.cpio" kernel="$D/kernel" \
			cmdline="$D/cmdline.want" initrd.img="$D/initrd.img" \
			m2="$D/m2" third="$D/m3"
}

# Under a UTF-8 locale: a cmdline with 2-byte characters, then modules. Its
# 22 bytes are 18 characters: counted as characters, the entry would look 4
# bytes shorter once rounded up to 4.
case_utf8_cmdline() {
	local words="root=/dev/vda $u$u$u$u"
	blob "$D/kernel" 5000
	blob "$D/a" 7000
	blob "$D/b" 100
	printf '%s' "$words" >"$D/cmdline.want"
	mk C.UTF-8 -o "$D/utf8-cmdline.cpio" -c "$words" "$D/kernel" "$D/a" \
		"$D/b" &&
		expect "$D/utf8-cmdline.cpio" kernel="$D/kernel" \
			cmdline="$D/cmdline.want" a="$D/a" b="$D/b"
}

# Under a UTF-8 locale: a file named with a 2-byte character, a name given
# with =, and the modules after them.
case_utf8_names() {
	blob "$D/kernel" 5000
	blob "$D/$e" 7000
	blob "$D/b" 100
	blob "$D/c" 10
	mk C.UTF-8 -o "$D/utf8-names.cpio" "$D/kernel" "$D/$e" \
		"$D/b=x$e$e" "$D/c" &&
		expect "$D/utf8-names.cpio" kernel="$D/kernel" "$e=$D/$e" \
			"x$e$e=$D/b" c="$D/c"
}

# Under a UTF-8 locale, the limits count bytes: a 127-byte name of 63
# 2-byte characters and an x is taken, a 200-byte one of 100 refused; a
# 4095-byte cmdline of 2047 such characters and an x is taken, a 4096-byte
# one of 2048 refused.
case_utf8_limits() {
	local name127 words4095
	name127=$(rep "$e" 63)x
	words4095=$(rep "$u" 2047)x
	blob "$D/kernel" 100
	blob "$D/m" 10
	printf '%s' "$words4095" >"$D/cmdline.want"
	mk C.UTF-8 -o "$D/utf8-limits.cpio" -c "$words4095" "$D/kernel" \
		"$D/m=$name127" &&
		expect "$D/utf8-limits.cpio" kernel="$D/kernel" \
			cmdline="$D/cmdline.want" "$name127=$D/m" &&
		refuse C.UTF-8 "127 bytes" "$D/kernel" "$D/m=$(rep "$e" 100)" &&
		refuse C.UTF-8 "4096 bytes" -c "$(rep "$u" 2048)" "$D/kernel"
}

# The cmdline limit: pvhfw refuses a cmdline entry of 4096 bytes or more.
case_cmdline_limit() {
	local words4095
	words4095=$(rep x 4095)
	blob "$D/kernel" 100
	printf '%s' "$words4095" >"$D/cmdline.want"
	mk C -o "$D/cmdline-limit.cpio" -c "$words4095" "$D/kernel" &&
		expect "$D/cmdline-limit.cpio" kernel="$D/kernel" \
			cmdline="$D/cmdline.want" &&
		refuse C "4096 bytes" -c "${words4095}y" "$D/kernel" &&
		refuse C "5000 bytes" -c "$(rep x 5000)" "$D/kernel"
}

# Names pvhfw refuses (a byte below 0x20 or 0x7F: a line break would forge a
# log line; '"'), given after = or as a file's own name, are refused; a
# space and bytes from 0x80 up are taken.
case_name_bytes() {
	local bad
	blob "$D/kernel" 100
	blob "$D/m" 10
	for bad in $'a\nb' $'\tm' $'m\r' $'m\x01' $'m\x1f' $'m\x7f' \
		$'\x1b[2Jm' '"m"' 'm"'; do
		refuse C "control character" "$D/kernel" "$D/m=$bad" ||
			{ why="name $(printf '%q' "$bad"): $why"; return 1; }
	done
	blob "$D/tab"$'\t'"name" 10
	refuse C "control character" "$D/kernel" "$D/tab"$'\t'"name" ||
		return 1
	mk C -o "$D/name-bytes.cpio" "$D/kernel" "$D/m=a b"$'\xff~' &&
		expect "$D/name-bytes.cpio" kernel="$D/kernel" \
			"a b"$'\xff~'="$D/m"
}

# The boot record's name, as a module's whole name or its first word, is
# refused; as a later word or part of a word it is taken.
case_record_name() {
	local bad
	blob "$D/kernel" 100
	blob "$D/m" 10
	for bad in pvhfw-boot-record 'pvhfw-boot-record x' \
		' pvhfw-boot-record'; do
		refuse C "boot record" "$D/kernel" "$D/m=$bad" ||
			{ why="name '$bad': $why"; return 1; }
	done
	cp "$D/m" "$D/pvhfw-boot-record"
	refuse C "boot record" "$D/kernel" "$D/pvhfw-boot-record" || return 1
	mk C -o "$D/record-name.cpio" "$D/kernel" \
		"$D/m=x pvhfw-boot-record" "$D/m=pvhfw-boot-record2" &&
		expect "$D/record-name.cpio" kernel="$D/kernel" \
			"x pvhfw-boot-record=$D/m" "pvhfw-boot-record2=$D/m"
}

# The firmware's 32 files (bundle/bundle.h, BUNDLE_MAX_ENTRIES): the kernel,
# the cmdline and the modules count, the .pad-N links do not. 31 modules
# (every one padded) are taken, and 30 with -c; one more is refused.
case_entry_limit() {
	local i mods=() want=()
	blob "$D/kernel" 1
	for i in $(seq -w 1 32); do
		blob "$D/e$i" 5
		mods+=("$D/e$i")
		want+=("e$i=$D/e$i")
	done
	printf '%s' "x" >"$D/cmdline.want"
	mk C -o "$D/limit-31.cpio" "$D/kernel" "${mods[@]:0:31}" &&
		expect "$D/limit-31.cpio" kernel="$D/kernel" \
			"${want[@]:0:31}" &&
		mk C -o "$D/limit-30c.cpio" -c x "$D/kernel" "${mods[@]:0:30}" &&
		expect "$D/limit-30c.cpio" kernel="$D/kernel" \
			cmdline="$D/cmdline.want" "${want[@]:0:30}" &&
		refuse C "33 files (the kernel, 32 modules): pvhfw takes at most 32" \
			"$D/kernel" "${mods[@]}" &&
		refuse C "33 files (the kernel, the cmdline, 31 modules)" \
			-c x "$D/kernel" "${mods[@]:0:31}"
}

# Whether LC_ALL=C.UTF-8 makes ${#x} count characters (glibc has it built in
# from 2.35; older systems need the locale generated).
utf8=0
LC_ALL=C.UTF-8 bash -c 'x=$1; [ "${#x}" = 1 ]' _ "$e" 2>/dev/null && utf8=1

pass=0 fail=0 skip=0
for c in sizes symlink utf8_cmdline utf8_names utf8_limits cmdline_limit \
	name_bytes record_name entry_limit; do
	if [ "$utf8" = 0 ] && [[ $c = utf8_* ]]; then
		skip=$((skip + 1))
		continue
	fi
	why=
	if "case_$c"; then
		pass=$((pass + 1))
	else
		echo "FAIL ${c//_/-}: ${why:-failed}"
		fail=$((fail + 1))
	fi
done
summary="mkbundle: $pass passed, $fail failed"
[ "$skip" = 0 ] || summary+=", $skip skipped (no C.UTF-8 locale)"
echo "$summary"
[ "$fail" = 0 ]
