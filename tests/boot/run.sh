#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the QEMU boot tests. Every case boots build/fw.elf under TCG with
# one payload and passes only when
#   - a good payload printed its own pass marker and chose its exit code
#     (isa-debug-exit: QEMU's status is (value << 1) | 1, 33 for a pass), or
#   - a bad payload got the firmware's exact one-line error and the status
#     fw.panic=exit gives (255), within the case's time bound; a case that
#     expects status 124 (timeout's) proves a halt: still there at the end.
#
# The cases are the table in tests/boot/cases; TESTS=pattern runs the ones
# whose name matches, JOBS=n runs n at a time (default: the CPU count),
# ACCEL=kvm uses KVM instead of TCG where /dev/kvm works.
set -u
cd "$(dirname "$0")/../.."

QEMU=${QEMU:-qemu-system-x86_64}
JOBS=${JOBS:-$(nproc)}
TESTS=${TESTS:-}
ACCEL=${ACCEL:-tcg}
OUT=build/boot-tests
BAD=build/bad
mkdir -p "$OUT" "$BAD"

if [ "$ACCEL" = kvm ] && ! [ -w /dev/kvm ]; then
	echo "boot tests: ACCEL=kvm but /dev/kvm is not usable; using TCG"
	ACCEL=tcg
fi

tests/boot/prepare.sh || { echo "boot tests: cannot prepare the inputs"; exit 1; }

# One case: NAME MACHINE MEM CPU PAYLOAD APPEND STATUS TIMEOUT EXPECT...
# Each EXPECT is a line that must appear, exactly, in the console output;
# one that starts with '~' is an extended regular expression for a line.
run_case() {
	local name=$1 machine=$2 mem=$3 cpu=$4 payload=$5 append=$6 status=$7
	local limit=$8
	shift 8
	local log=$OUT/$name.log extra=()
	case $machine in
	*+debugcon) machine=${machine%+debugcon}
		extra=(-debugcon "file:$OUT/$name.debugcon") ;;
	esac
	local initrd=() kv x
	case $payload in
	-) ;;
	fwcfg:*) # fwcfg:kernel=FILE,initrd=FILE,cmdline=FILE
		IFS=, read -r -a kv <<<"${payload#fwcfg:}"
		for x in "${kv[@]}"; do
			extra+=(-fw_cfg "name=opt/pvhfw/${x%%=*},file=${x#*=}")
		done ;;
	*) initrd=(-initrd "$payload") ;;
	esac
	local start=$SECONDS
	timeout "$limit" "$QEMU" -M "$machine" -accel "$ACCEL" -m "$mem" \
		-cpu "$cpu" -display none -monitor none -serial stdio \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
		"${extra[@]}" -kernel build/fw.elf "${initrd[@]}" \
		-append "$append" </dev/null 2>&1 | tr -d '\r' >"$log"
	local got=${PIPESTATUS[0]} took=$((SECONDS - start)) why=
	if [ "$got" = 124 ] && [ "$status" != 124 ]; then
		why="timed out after ${limit}s"
	elif [ "$got" != "$status" ]; then
		why="exit status $got, expected $status"
	fi
	for want in "$@"; do
		[ -n "$why" ] && break
		local file=$log
		case $want in
		debugcon:*) want=${want#debugcon:}; file=$OUT/$name.debugcon ;;
		debugconhex:*) # the debugcon file's bytes, in hex
			[ "$(od -An -tx1 -v "$OUT/$name.debugcon" 2>/dev/null |
				tr -d ' \n')" = "${want#debugconhex:}" ] ||
				why="debugcon bytes are not ${want#debugconhex:}"
			continue ;;
		esac
		local how=-qxF
		case $want in
		'~'*) want=${want#'~'}; how=-qxE ;;
		esac
		grep "$how" -- "$want" "$file" 2>/dev/null ||
			why="missing line: $want"
	done
	if [ -z "$why" ]; then
		echo "PASS $name (${took}s)"
	else
		echo "FAIL $name: $why"
		sed 's/^/    | /' "$log" | tail -n 25
	fi
}
# One table line: @NAME@ replaced from build/test-vars (prepare.sh), fields
# split on '|', expected lines on ';'.
run_line() {
	local f=() expect=() i line=$1 var
	while IFS='=' read -r var val; do
		line=${line//@$var@/$val}
	done <build/test-vars
	IFS='|' read -r -a f <<<"$line"
	for i in "${!f[@]}"; do
		f[$i]=$(sed 's/^ *//; s/ *$//' <<<"${f[$i]}")
	done
	IFS=';' read -r -a expect <<<"${f[8]}"
	for i in "${!expect[@]}"; do
		expect[$i]=$(sed 's/^ *//; s/ *$//' <<<"${expect[$i]}")
	done
	run_case "${f[@]:0:8}" "${expect[@]}"
}
export -f run_case run_line
export QEMU ACCEL OUT

# Expand the table: drop comments, apply TESTS, one job per line.
jobs=()
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	name=${line%%|*}
	name=${name// /}
	[ -n "$TESTS" ] && [[ $name != *$TESTS* ]] && continue
	jobs+=("$line")
done <tests/boot/cases

results=$(printf '%s\n' "${jobs[@]}" |
	xargs -d '\n' -P "$JOBS" -n 1 bash -c 'run_line "$1"' _)
echo "$results"
pass=$(grep -c '^PASS ' <<<"$results")
fail=$(grep -c '^FAIL ' <<<"$results")
echo "boot: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
