#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the pvhfw-inspect tests (make inspect-tests, part of make check).
#   - tests/inspect/cases: what the tool prints for the test payloads and
#     bundles, and the exit status;
#   - every error case of tests/boot/cases that the code the tool shares
#     decides (a "fw: payload|elf|linux|multiboot|bundle|measure|options:"
#     line, status 255): the tool must print the very line the firmware
#     printed there, status 1, modelling that case's machine and memory
#     (-M, -m). Such a case whose payload file is missing or empty fails
#     ("FAIL boot-NAME: payload FILE is missing or empty"), but for two
#     kinds, not compared and named so on a line of their own: a payload
#     from fw_cfg (the tool reads a file as module 0), and an empty file
#     whose case expects the firmware's "no payload" line (QEMU passes no
#     empty module; this table's "empty" case checks the tool's own line);
#   - "boot" cases also boot fw.elf (q35, TCG, fw.loglevel=info) with the
#     same payload and words, and the firmware's "fw: payload: module 0:"
#     line must be the one the tool prints with -v.
set -u
cd "$(dirname "$0")/../.." || exit 1

QEMU=${QEMU:-qemu-system-x86_64}
OUT=build/inspect-tests
TOOL=build/pvhfw-inspect
mkdir -p "$OUT"
tests/boot/prepare.sh || { echo "inspect tests: cannot prepare the inputs"; exit 1; }

. tests/lib/cases.sh

# The firmware's line for the payload, without its time stamp.
payload_line() {
	grep -m1 '^fw: payload: module 0: ' "$1" | sed 's/ ([0-9]* [a-z]*)$//'
}

# One case: NAME CHECK OPTIONS PAYLOAD WORDS STATUS EXPECT...
run_case() {
	local name=$1 check=$2 options=$3 payload=$4 words=$5 status=$6
	shift 6
	local log=$OUT/$name.log start=$SECONDS opts=()
	read -r -a opts <<<"$options"
	# A boot case runs the tool with -v: its own payload line to compare.
	[ "$check" = boot ] && opts+=(-v)
	# A boot-table error case ("error"): the tool, on a payload that must
	# be there.
	if [ "$check" = error ] && ! [ -s "$payload" ]; then
		echo "FAIL $name: payload $payload is missing or empty"
		return
	fi
	# shellcheck disable=SC2086 # the words split as a shell would
	timeout 30 "$TOOL" "${opts[@]}" "$payload" $words >"$log" 2>&1
	local got=$?
	if [ "$check" = boot ] && [ "$got" = "$status" ]; then
		local fwlog=$OUT/$name.boot.log mine theirs
		timeout 60 "$QEMU" -M q35 -accel tcg -m 256M -display none \
			-monitor none -serial stdio -no-reboot \
			-device isa-debug-exit,iobase=0xf4,iosize=4 \
			-kernel build/fw.elf -initrd "$payload" \
			-append "$words fw.loglevel=info" </dev/null 2>&1 |
			tr -d '\r' >"$fwlog"
		mine=$(payload_line "$log")
		theirs=$(payload_line "$fwlog")
		if [ -z "$theirs" ] || [ "$mine" != "$theirs" ]; then
			echo "FAIL $name: firmware said: ${theirs:-nothing}"
			echo "    | pvhfw-inspect -v said: ${mine:-nothing}"
			return
		fi
	fi
	cases_judge "$name" "$log" "$status" "$got" 60 $((SECONDS - start)) "$@"
}
export QEMU OUT TOOL
export -f payload_line

# The boot table's payload-stage errors, as cases of this table's format.
table=$OUT/cases
cp tests/inspect/cases "$table"
grep -v '^#' tests/boot/cases |
	awk -F'|' '
	function trim(s) { gsub(/^ +| +$/, "", s); return s }
	trim($7) == 255 && trim($5) != "-" {
		want = trim($9); sub(/;.*/, "", want)
		vm = trim($2); sub(/\+.*/, "", vm)
		if (want ~ /^~?fw: (payload|elf|linux|multiboot|bundle|measure|options): /)
			printf "boot-%s | error | -M %s -m %s | %s | %s | 1 | %s\n",
				trim($1), vm, trim($3), trim($5), trim($6), want
	}' |
	while IFS= read -r line; do
		name=$(cut -d"|" -f1 <<<"$line" | tr -d " ")
		file=$(cut -d"|" -f4 <<<"$line" | tr -d " ")
		want=$(cut -d"|" -f7- <<<"$line" | sed 's/^ *//')
		if [ -n "${TESTS:-}" ] && [[ $name != *$TESTS* ]]; then
			echo "$line" # cases_run leaves it out
		elif [[ $file == fwcfg:* ]]; then
			echo "inspect: $name not compared: its payload comes from fw_cfg" >&2
		elif [ -f "$file" ] && ! [ -s "$file" ] &&
			[[ $want == "fw: payload: no payload: "* ]]; then
			echo "inspect: $name not compared: QEMU passes no empty module" >&2
		else
			echo "$line"
		fi
	done >>"$table"

cases_run "$table" inspect 6
