#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the EFI boot tests. Every case makes a FAT ESP image with
# scripts/mkesp (build/fw.efi, a startup.nsh that starts it with the case's
# words, the case's files), boots it under QEMU q35 (TCG) with Debian's
# OVMF, and passes only when
#   - a good payload printed its own pass marker and chose its exit code
#     (isa-debug-exit: QEMU's status is (value << 1) | 1, 33 for a pass), or
#   - a bad one got the firmware's exact error line and the status the stop
#     gives (255 for fw.panic=exit; 0 when fw.efi went back to the shell,
#     which startup.nsh then says, and shut the machine down), or
#   - the kernel fw.efi started stopped by itself: status 124 (timeout's,
#     the VM still running), its own lines, and QEMU's monitor showing the
#     vCPU in HLT with interrupts off (tests/lib/cases.sh's cases_qemu,
#     which then ends the VM early). OVMF and its shell idle in HLT with
#     interrupts on, so a fw.efi that went back to them fails that check;
# each within the case's time bound. OVMF's boot manager finds no boot
# file on the disk and starts its built-in shell, which runs startup.nsh
# after a 5 s countdown. A "pxe" case has no disk: OVMF loads fw.efi over
# PXE (QEMU's user-net TFTP) instead, and the case's words go to fw_cfg.
#
# The cases are the table in tests/efi/cases; TESTS=pattern runs the ones
# whose name matches, JOBS=n runs n at a time (default: the CPU count).
# OVMF_CODE= and OVMF_VARS= name other firmware files.
#
# QEMU runs with -no-reboot (but for "reboot" cases), so that status 0 is
# also what any reset gives, a triple fault included: a case that expects
# status 0 must name startup.nsh's "PVHFW-SHELL-BACK N" lines (fw.efi did
# go back to the shell) or be a "reboot" case, whose reset reboots and
# runs to the time limit (status 0 is then a real poweroff); other status-0
# lines are refused as malformed.
set -u
cd "$(dirname "$0")/../.." || exit 1

QEMU=${QEMU:-qemu-system-x86_64}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
OUT=build/efi-tests
mkdir -p "$OUT"

for f in build/fw.efi "$OVMF_CODE" "$OVMF_VARS"; do
	[ -f "$f" ] || { echo "efi tests: $f is missing (make efi; apt-get install ovmf)"; exit 1; }
done
tests/boot/prepare.sh || { echo "efi tests: cannot prepare the inputs"; exit 1; }

# The table's format and how a case is judged: tests/lib/cases.sh.
. tests/lib/cases.sh

# One case: NAME CPU MEM FILES WORDS STATUS TIMEOUT EXPECT...
run_case() {
	local name=$1 cpu=$2 mem=$3 files=$4 words=$5 status=$6 limit=$7
	shift 7
	local log=$OUT/$name.log img=$OUT/$name.img vars=$OUT/$name.vars
	local opts=() f fwcfg=() w esp=() pxe=0 reboot=(-no-reboot)
	read -r -a f <<<"$files"
	while [ ${#f[@]} -gt 0 ]; do # the leading flags (tests/efi/cases)
		case ${f[0]} in
		removable) opts+=(--removable) ;;
		no-reset) opts+=(--no-reset) ;;
		run:?*) opts+=(--run "${f[0]#run:}") ;;
		pxe) pxe=1 ;;
		reboot) reboot=() ;;
		*) break ;;
		esac
		f=("${f[@]:1}")
	done
	for w in "${f[@]}"; do # fwcfg:NAME=FILE: QEMU's opt/pvhfw/NAME
		case $w in
		fwcfg:*=*)
			w=${w#fwcfg:}
			fwcfg+=(-fw_cfg "name=opt/pvhfw/${w%%=*},file=${w#*=}")
			;;
		*) esp+=("$w") ;;
		esac
	done
	f=("${esp[@]}")
	if [ "$status" = 0 ] && [ ${#reboot[@]} != 0 ]; then
		local back=0
		for w in "$@"; do
			[[ $w =~ ^PVHFW-SHELL-BACK\ [0-9]+$ ]] && back=1
		done
		if [ "$back" = 0 ]; then
			echo "FAIL $name: malformed case line (status 0 under -no-reboot is any reset too: expect PVHFW-SHELL-BACK N, or use the reboot flag)"
			return
		fi
	fi
	if [ "$pxe" = 1 ]; then
		run_pxe "$name" "$cpu" "$mem" "$words" "$status" "$limit" \
			"${#f[@]}" "$@"
		return
	fi
	if ! scripts/mkesp -o "$img" -c "$words" "${opts[@]}" "${f[@]}" \
		>"$log" 2>&1; then
		echo "FAIL $name: scripts/mkesp failed"
		sed 's/^/    | /' "$log"
		return
	fi
	if [[ " ${opts[*]} " = *" --removable "* ]]; then
		# Only BOOTX64.EFI: without startup.nsh the boot manager's
		# first try is the disk.
		if ! MTOOLS_SKIP_CHECK=1 mdel -i "$img" ::/startup.nsh \
			>>"$log" 2>&1; then
			echo "FAIL $name: cannot take startup.nsh off the ESP"
			sed 's/^/    | /' "$log"
			return
		fi
	fi
	cp "$OVMF_VARS" "$vars"
	local start=$SECONDS
	cases_qemu "$name" "$status" "$limit" -M q35 -accel tcg -m "$mem" \
		-cpu "$cpu" -nic none -display none -monitor none -serial stdio \
		"${reboot[@]}" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
		-drive "if=pflash,format=raw,file=$vars" \
		-drive "format=raw,file=$img" "${fwcfg[@]}" </dev/null 2>&1 |
		tr -d '\r' | sed 's/\x1b\[[0-9;?=]*[a-zA-Z]//g' >"$log"
	local got=${PIPESTATUS[0]} took=$((SECONDS - start))
	rm -f "$img" "$vars"
	cases_judge "$name" "$log" "$status" "$got" "$limit" "$took" "$@"
}

# A "pxe" case (run_case's fwcfg and reboot arrays in scope): no disk;
# OVMF's own network stack (virtio-net without an option ROM) loads fw.efi
# over QEMU's user-net TFTP and starts it with no command line; the case's
# words go to opt/pvhfw/cmdline instead.
run_pxe() {
	local name=$1 cpu=$2 mem=$3 words=$4 status=$5 limit=$6 nesp=$7
	shift 7
	local log=$OUT/$name.log tftp=$OUT/$name.tftp vars=$OUT/$name.vars
	if [ "$nesp" != 0 ]; then
		echo "FAIL $name: a pxe case has no ESP for its files"
		return
	fi
	rm -rf "$tftp"
	mkdir -p "$tftp"
	cp build/fw.efi "$tftp/fw.efi"
	cp "$OVMF_VARS" "$vars"
	if [ -n "$words" ]; then
		printf '%s' "$words" >"$OUT/$name.cmdline"
		fwcfg+=(-fw_cfg "name=opt/pvhfw/cmdline,file=$OUT/$name.cmdline")
	fi
	local start=$SECONDS
	cases_qemu "$name" "$status" "$limit" -M q35 -accel tcg -m "$mem" \
		-cpu "$cpu" -netdev "user,id=n0,tftp=$tftp,bootfile=fw.efi" \
		-device virtio-net-pci,netdev=n0,romfile= \
		-display none -monitor none -serial stdio \
		"${reboot[@]}" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
		-drive "if=pflash,format=raw,file=$vars" \
		"${fwcfg[@]}" </dev/null 2>&1 |
		tr -d '\r' | sed 's/\x1b\[[0-9;?=]*[a-zA-Z]//g' >"$log"
	local got=${PIPESTATUS[0]} took=$((SECONDS - start))
	rm -rf "$tftp" "$vars" "$OUT/$name.cmdline"
	cases_judge "$name" "$log" "$status" "$got" "$limit" "$took" "$@"
}
export -f run_pxe
export QEMU OUT OVMF_CODE OVMF_VARS

cases_run tests/efi/cases efi 7
