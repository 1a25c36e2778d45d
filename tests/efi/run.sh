#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the EFI boot tests. Every case makes a FAT ESP image with
# scripts/mkesp (build/fw.efi, a startup.nsh that starts it with the case's
# words, the case's files), boots it under QEMU q35 (TCG) with Debian's
# OVMF, and passes only when
#   - a good payload printed its own pass marker and chose its exit code
#     (isa-debug-exit: QEMU's status is (value << 1) | 1, 33 for a pass), or
#   - a bad one got the firmware's exact error line and the status the stop
#     gives (255 for fw.panic=exit; 0 when fw.efi went back to the shell and
#     startup.nsh shut the machine down),
# within the case's time bound. OVMF's boot manager finds no boot file on
# the disk and starts its built-in shell, which runs startup.nsh after a
# 5 s countdown.
#
# The cases are the table in tests/efi/cases; TESTS=pattern runs the ones
# whose name matches, JOBS=n runs n at a time (default: the CPU count).
# OVMF_CODE= and OVMF_VARS= name other firmware files.
set -u
cd "$(dirname "$0")/../.."

QEMU=${QEMU:-qemu-system-x86_64}
JOBS=${JOBS:-$(nproc)}
TESTS=${TESTS:-}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
OUT=build/efi-tests
mkdir -p "$OUT"

for f in build/fw.efi "$OVMF_CODE" "$OVMF_VARS"; do
	[ -f "$f" ] || { echo "efi tests: $f is missing (make efi; apt-get install ovmf)"; exit 1; }
done
tests/boot/prepare.sh || { echo "efi tests: cannot prepare the inputs"; exit 1; }

# One case: NAME CPU MEM FILES WORDS STATUS TIMEOUT EXPECT...
run_case() {
	local name=$1 cpu=$2 mem=$3 files=$4 words=$5 status=$6 limit=$7
	shift 7
	local log=$OUT/$name.log img=$OUT/$name.img vars=$OUT/$name.vars
	local opts=() f
	read -r -a f <<<"$files"
	if [ "${f[0]:-}" = removable ]; then
		opts=(--removable)
		f=("${f[@]:1}")
	fi
	if ! scripts/mkesp -o "$img" -c "$words" "${opts[@]}" "${f[@]}" \
		>"$log" 2>&1; then
		echo "FAIL $name: scripts/mkesp failed"
		sed 's/^/    | /' "$log"
		return
	fi
	if [ "${opts[0]:-}" = --removable ]; then
		# Only BOOTX64.EFI: without startup.nsh the boot manager's
		# first try is the disk.
		MTOOLS_SKIP_CHECK=1 mdel -i "$img" ::/startup.nsh
	fi
	cp "$OVMF_VARS" "$vars"
	local start=$SECONDS
	timeout "$limit" "$QEMU" -M q35 -accel tcg -m "$mem" -cpu "$cpu" \
		-nic none -display none -monitor none -serial stdio \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
		-drive "if=pflash,format=raw,file=$vars" \
		-drive "format=raw,file=$img" </dev/null 2>&1 |
		tr -d '\r' | sed 's/\x1b\[[0-9;?=]*[a-zA-Z]//g' >"$log"
	local got=${PIPESTATUS[0]} took=$((SECONDS - start)) why=
	if [ "$got" = 124 ] && [ "$status" != 124 ]; then
		why="timed out after ${limit}s"
	elif [ "$got" != "$status" ]; then
		why="exit status $got, expected $status"
	fi
	for want in "$@"; do
		[ -n "$why" ] && break
		local how=-qxF
		case $want in
		'~'*) want=${want#'~'}; how=-qxE ;;
		esac
		grep "$how" -- "$want" "$log" 2>/dev/null ||
			why="missing line: $want"
	done
	rm -f "$img" "$vars"
	if [ -z "$why" ]; then
		echo "PASS $name (${took}s)"
	else
		echo "FAIL $name: $why"
		grep -v '^Press ESC' "$log" | sed 's/^/    | /' | tail -n 25
	fi
}
# One table line: fields split on '|', expected lines on ';'.
run_line() {
	local f=() expect=() i
	local line=$1 var val
	# @NAME@ from build/test-vars (tests/boot/prepare.sh), as in tests/boot.
	while IFS='=' read -r var val; do
		line=${line//@$var@/$val}
	done <build/test-vars
	IFS='|' read -r -a f <<<"$line"
	for i in "${!f[@]}"; do
		f[$i]=$(sed 's/^ *//; s/ *$//' <<<"${f[$i]}")
	done
	IFS=';' read -r -a expect <<<"${f[7]}"
	for i in "${!expect[@]}"; do
		expect[$i]=$(sed 's/^ *//; s/ *$//' <<<"${expect[$i]}")
	done
	run_case "${f[@]:0:7}" "${expect[@]}"
}
export -f run_case run_line
export QEMU OUT OVMF_CODE OVMF_VARS

jobs=()
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	name=${line%%|*}
	name=${name// /}
	[ -n "$TESTS" ] && [[ $name != *$TESTS* ]] && continue
	jobs+=("$line")
done <tests/efi/cases

results=$(printf '%s\n' "${jobs[@]}" |
	xargs -d '\n' -P "$JOBS" -n 1 bash -c 'run_line "$1"' _)
echo "$results"
pass=$(grep -c '^PASS ' <<<"$results")
fail=$(grep -c '^FAIL ' <<<"$results")
echo "efi: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
