#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: the VMM-handoff tests. Every case of tests/vmm/cases starts a
# guest under build/vmm/pvhrun, which hands over PVH the way Cloud
# Hypervisor or Firecracker does, and passes only when the guest printed
# every expected line and pvhrun exited with the expected status (for the
# payloads: their own pass marker and exit code; for hostile handoffs: the
# firmware's exact error line and its stop).
#
# pvhrun needs a working KVM. `pvhrun --probe` decides, once per profile,
# whether KVM runs what the cases need: long mode and SSE, for the cases
# through fw.elf and the direct ones alike (pvhcheck's entry saves the
# FPU/SSE state, and XCR0 and the AVX state where the CPU has XSAVE); only
# --dry-run cases need no KVM.
# A case KVM cannot run is reported as
#   SKIP <name>: KVM not usable (<reason>)
# and counts as skipped, neither passed nor failed. Then comes
#   vmm: N passed, N failed, N skipped
# and, when every selected case that boots fw.elf (neither direct: nor
# --dry-run) was skipped, a last line
#   vmm: WARNING: every fw.elf case skipped: KVM not usable (<reason>)
# The exit status is non-zero when a case failed or TESTS= selected none.
#
# TESTS=pattern runs the cases whose name contains it; JOBS=n runs n at a
# time (default: the CPU count); PVHRUN_FLAGS adds pvhrun options to every
# call, the probe's included (diagnostics such as --emulate-mxcsr, see
# tests/vmm/README.md).
set -u
cd "$(dirname "$0")/../.." || exit 1

PVHRUN=${PVHRUN:-build/vmm/pvhrun}
PVHRUN_FLAGS=${PVHRUN_FLAGS:-}
OUT=build/vmm/tests
mkdir -p "$OUT"
# One file per case that boots fw.elf: NAME.ran, or NAME.skip with the
# reason (for the warning when none ran).
FWCASES=$OUT/fw-cases
rm -rf "$FWCASES"
mkdir -p "$FWCASES"
# A module of a fixed odd size, for the layout cases: 1 MiB + 123 bytes.
head -c 1048699 /dev/zero >"$OUT/blob"

for f in "$PVHRUN" build/fw.elf; do
	if ! [ -e "$f" ]; then
		echo "FAIL vmm: $f is missing (make vmm-tests builds it)"
		echo "vmm: 0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

# Whether KVM runs the cases, per profile: USABLE_<profile> is "ok" or
# the reason it cannot.
for p in ch fc; do
	# shellcheck disable=SC2086 # PVHRUN_FLAGS is a word list
	if msg=$("$PVHRUN" $PVHRUN_FLAGS --probe --profile "$p" \
		--needs sse 2>&1); then
		msg=ok
	else
		msg=${msg##*KVM not usable: }
	fi
	export "USABLE_$p=${msg:-pvhrun --probe failed}"
done

# The table's format and how a case is judged: tests/lib/cases.sh.
. tests/lib/cases.sh

# One case: NAME PROFILE MIB PAYLOAD CMDLINE OPTIONS STATUS SECONDS EXPECT...
# shellcheck disable=SC2317 # called through cases_run's xargs
run_case() {
	local name=$1 profile=$2 mib=$3 payload=$4 cmdline=$5 opts=$6
	local status=$7 limit=$8
	shift 8
	local args=() extra=() flags=() fw=$FWCASES/$name
	case $payload in
	direct:*) args=("${payload#direct:}"); fw= ;;
	-) args=(build/fw.elf) ;;
	*) args=(--initramfs "$payload" build/fw.elf) ;;
	esac
	case $profile in
	ch | fc) ;;
	*) echo "FAIL $name: unknown profile '$profile' (ch, fc)"; return ;;
	esac
	local verdict=USABLE_$profile
	local why=${!verdict:-no KVM probe for profile $profile}
	case " $opts " in *" --dry-run "*) why=ok; fw= ;; esac # needs no KVM
	if [ "$why" != ok ]; then
		echo "SKIP $name: KVM not usable ($why)"
		[ -z "$fw" ] || echo "KVM not usable ($why)" >"$fw.skip"
		return
	fi
	[ "$opts" != - ] && read -r -a extra <<<"$opts"
	read -r -a flags <<<"$PVHRUN_FLAGS"
	local log=$OUT/$name.log start=$SECONDS halt
	rm -f "$OUT/$name.halt" # never judge an earlier run's file
	timeout $((limit + 10)) "$PVHRUN" "${flags[@]}" --profile "$profile" \
		--mem "$mib" --timeout "$limit" --needs sse \
		--cmdline "$cmdline" "${extra[@]}" "${args[@]}" </dev/null 2>&1 |
		tr -d '\r' >"$log"
	local got=${PIPESTATUS[0]} took=$((SECONDS - start))
	# 77 is a skip only with pvhrun's own reason: a guest can exit with
	# 77 too ((0x26 << 1) | 1 on isa-debug-exit).
	why=$(sed -n 's/^pvhrun: KVM not usable: //p' "$log")
	if [ "$got" = 77 ] && [ -n "$why" ]; then
		echo "SKIP $name: KVM not usable ($why)"
		[ -z "$fw" ] || echo "KVM not usable ($why)" >"$fw.skip"
		return
	fi
	[ -z "$fw" ] || : >"$fw.ran"
	# Status 124 is a halt with interrupts off or pvhrun's --timeout:
	# cases_judge wants the proof of the halt in NAME.halt, and pvhrun's
	# line is it (KVM's vCPU state HALTED with RFLAGS.IF clear).
	halt=$(grep -m 1 -E '^pvhrun: (halted|timed out)' "$log")
	case $halt in
	'pvhrun: halted (interrupts off)'*) echo "halted: ${halt#pvhrun: }" ;;
	*) echo "not halted: ${halt:-pvhrun said neither halted nor timed out}" ;;
	esac >"$OUT/$name.halt"
	cases_judge "$name" "$log" "$status" "$got" "$limit" "$took" "$@"
}
export PVHRUN PVHRUN_FLAGS OUT FWCASES

cases_run tests/vmm/cases vmm 8 skips
st=$?
skipped=$(find "$FWCASES" -name '*.skip' | sort | head -n 1)
if [ -n "$skipped" ] && [ -z "$(find "$FWCASES" -name '*.ran')" ]; then
	echo "vmm: WARNING: every fw.elf case skipped: $(cat "$skipped")"
fi
exit "$st"
