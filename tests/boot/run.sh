#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the QEMU boot tests. Every case boots build/fw.elf under TCG with
# one payload and passes only when
#   - a good payload printed its own pass marker and chose its exit code
#     (isa-debug-exit: QEMU's status is (value << 1) | 1, 33 for a pass), or
#   - a bad payload got the firmware's exact one-line error and the status
#     fw.panic=exit gives (255), within the case's time bound; a case that
#     expects status 124 (timeout's: the VM was still running at the end)
#     also expects the firmware's "fw: stop: halted", and QEMU's monitor
#     must show its vCPU in HLT with interrupts off (not spinning, not
#     idling with interrupts on): tests/lib/cases.sh's cases_qemu asks it
#     over QMP and ends the VM once it has seen that, so such a case takes
#     about a second, not its whole limit.
#
# The cases are the table in tests/boot/cases; TESTS=pattern runs the ones
# whose name matches, JOBS=n runs n at a time (default: the CPU count),
# ACCEL=kvm uses KVM instead of TCG where /dev/kvm works.
set -u
cd "$(dirname "$0")/../.." || exit 1

QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${ACCEL:-tcg}
OUT=build/boot-tests
BAD=build/bad
mkdir -p "$OUT" "$BAD"

if [ "$ACCEL" = kvm ] && ! [ -w /dev/kvm ]; then
	echo "boot tests: ACCEL=kvm but /dev/kvm is not usable; using TCG"
	ACCEL=tcg
fi

tests/boot/prepare.sh || { echo "boot tests: cannot prepare the inputs"; exit 1; }

# The table's format and how a case is judged: tests/lib/cases.sh.
. tests/lib/cases.sh

# One case: NAME MACHINE MEM CPU PAYLOAD APPEND STATUS TIMEOUT EXPECT...
run_case() {
	local name=$1 machine=$2 mem=$3 cpu=$4 payload=$5 append=$6 status=$7
	local limit=$8
	shift 8
	local log=$OUT/$name.log extra=() reboot=(-no-reboot)
	rm -f "$OUT/$name.debugcon" # never judge an earlier run's file
	local i
	while [[ $machine == *+* ]]; do
		case $machine in
		*+debugcon) machine=${machine%+debugcon}
			extra+=(-debugcon "file:$OUT/$name.debugcon") ;;
		*+nodma) machine=${machine%+nodma} # fw_cfg by port reads only
			extra+=(-global fw_cfg_io.dma_enabled=off) ;;
		*+reboot) machine=${machine%+reboot} # a reset reboots: status 0
			reboot=() ;;                # is then a real poweroff
		*+manyfiles) machine=${machine%+manyfiles}
			# 300 fw_cfg files named to sort before opt/pvhfw/:
			# the firmware must read the directory past 256.
			extra+=(-global fw_cfg_io.x-file-slots=0x200)
			for ((i = 0; i < 300; i++)); do
				extra+=(-fw_cfg "name=opt/a/f$i,file=tests/boot/reloc/reloc.ld")
			done ;;
		*) echo "run.sh: $name: unknown machine suffix in $machine"
			machine=unknown-machine ;;
		esac
	done
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
	cases_qemu "$name" "$status" "$limit" -M "$machine" -accel "$ACCEL" \
		-m "$mem" -cpu "$cpu" -display none -monitor none -serial stdio \
		"${reboot[@]}" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		"${extra[@]}" -kernel build/fw.elf "${initrd[@]}" \
		-append "$append" </dev/null 2>&1 | tr -d '\r' >"$log"
	local got=${PIPESTATUS[0]} took=$((SECONDS - start))
	cases_judge "$name" "$log" "$status" "$got" "$limit" "$took" "$@"
}
export QEMU ACCEL OUT

cases_run tests/boot/cases boot 8
