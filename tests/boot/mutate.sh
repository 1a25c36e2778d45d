#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mutate.sh: the boot-level mutation test. Damages real payloads (the test
# payloads of every protocol, two bundles, Debian's bzImage when
# tests/boot/prepare.sh has fetched it) with tests/boot/mutate.c and boots
# each damaged copy through build/fw.elf as QEMU's -initrd, or one in four
# as the fw_cfg file opt/pvhfw/kernel (microvm, TCG, fw.loglevel=brief
# fw.panic=exit fw.bootmarks=0xe9, the marks in a debugcon file). The
# libFuzzer targets (tests/fuzz) try each parser alone; this tries the whole
# firmware, glue included. Each boot must end in one of two ways:
#   - handed over: the firmware wrote its last boot mark (0x07, right
#     before the jump) and printed its brief line ("fw: pvhfw ...:"); the
#     payload's fate after that is its own (the IDT is empty from the jump
#     on, so a payload that faults resets the VM);
#   - refused: "fw: <module>: <problem>" lines (warnings, then the error)
#     and "fw: stop: exit", with QEMU's status 255.
# Anything else fails: a trap inside the firmware ("fw: cpu: trap ..."), a
# reset or exit with no verdict (a fault before the IDT was up), or no
# verdict within the time limit (a hang).
#
#   tests/boot/mutate.sh [COUNT [SEED]]   (default MUTANTS=200, MUTATE_SEED=1)
#
# MUTATE_MACHINE=microvm|q35|pc and MUTATE_MEM=256M (the defaults) set the
# VM: on q35 or pc with more than 4 GiB the placement code sees RAM above
# the PCI hole and QEMU's own memory map and ACPI tables.
#
# The same COUNT and SEED make the same mutants. A failing one is kept as
# build/mutate/fail-N.bin with its console log, its boot marks and the line
# that makes it again. JOBS=n boots n at a time (default: the CPU count).
set -u
cd "$(dirname "$0")/../.." || exit 1

QEMU=${QEMU:-qemu-system-x86_64}
OUT=build/mutate
COUNT=${1:-${MUTANTS:-200}}
SEED=${2:-${MUTATE_SEED:-1}}
LIMIT=20
MACHINE=${MUTATE_MACHINE:-microvm}
MEM=${MUTATE_MEM:-256M}
case $MACHINE in
microvm | q35 | pc) ;;
*) echo "mutate: MUTATE_MACHINE=$MACHINE: microvm, q35 or pc"; exit 2 ;;
esac
mkdir -p "$OUT"
rm -f "$OUT"/fail-* "$OUT"/m-*

gcc -std=c11 -Wall -Wextra -Werror -O1 -o "$OUT/mutate" tests/boot/mutate.c ||
	exit 1

# The payloads without their symbols and debug information: what is left is
# what the firmware reads (headers, notes, loaded bytes), and the same
# whatever directory the tree was built in (the debug information names
# the source files), so a seed makes the same mutants in every checkout.
P=build/payloads
IN=$OUT/in
mkdir -p "$IN"
inputs=()
for f in pvhcheck64 pvhcheck32 pvhcheck64-1m abicheck mb1check32 \
	mb1check64k mb2check demo; do
	[ -s "$P/$f.elf" ] || { echo "mutate: $P/$f.elf is missing (make payloads)"; exit 1; }
	strip -o "$IN/$f.elf" "$P/$f.elf" || exit 1
	[ $f = demo ] || inputs+=("$IN/$f.elf")
done
scripts/mkbundle -o "$IN/pvh.cpio" -c "from=bundle" "$IN/pvhcheck64.elf" \
	"$IN/demo.elf=module1" || exit 1
scripts/mkbundle -o "$IN/mb2.cpio" "$IN/mb2check.elf" \
	"$IN/demo.elf=module1" || exit 1
inputs+=("$IN/pvh.cpio" "$IN/mb2.cpio")
[ -s build/linux/bzImage ] && inputs+=(build/linux/bzImage)
echo "mutate: inputs: ${inputs[*]##*/}"

# jumped MARKS: the firmware's last boot mark (0x07, the jump) is there,
# after nothing but its earlier marks. A payload may write to port 0xE9
# too once it runs (pvhcheck does when asked, and so may a damaged one):
# whatever follows the 0x07 is its own.
jumped() {
	od -An -tx1 -v -N 64 "$1" 2>/dev/null | tr -d '\n' |
		grep -Eq '^( 0[1-6])* 07( |$)'
}

# one N: make mutant N, boot it, print "ok N ..." or "FAIL N ...".
one() {
	local n=$1 in=${inputs[$(($1 % ${#inputs[@]}))]}
	local bin=$OUT/m-$n.bin log=$OUT/m-$n.log how st pid t=0 verdict=
	local marks=$OUT/m-$n.marks polls=$((LIMIT * 20))
	local seed=$((SEED * 1000003 + n))
	how=$("$OUT/mutate" "$in" "$bin" "$seed") || {
		echo "FAIL $n: mutate $in $seed did not run"
		return
	}
	# One mutant in four comes through fw_cfg, the rest as the module.
	local via=(-initrd "$bin")
	if [ $((n % 4)) = 3 ]; then
		via=(-fw_cfg "name=opt/pvhfw/kernel,file=$bin")
		how="$how (by fw_cfg)"
	fi
	"$QEMU" -M "$MACHINE" -m "$MEM" -accel tcg -display none -monitor none \
		-serial "file:$log" -debugcon "file:$marks" -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-kernel build/fw.elf "${via[@]}" \
		-append "fw.loglevel=brief fw.panic=exit fw.bootmarks=0xe9" \
		</dev/null \
		>/dev/null 2>&1 &
	pid=$!
	# Poll every 50 ms: QEMU's exit, the jump's mark (then stop it), or
	# the time limit.
	while kill -0 "$pid" 2>/dev/null; do
		if jumped "$marks" || [ $t -ge $polls ]; then
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 0.05
		t=$((t + 1))
	done
	wait "$pid"
	st=$?
	# The console ends lines with CR LF.
	tr -d '\r' <"$log" >"$log.txt" 2>/dev/null
	mv "$log.txt" "$log"
	jumped "$marks" && verdict=handoff
	local why=
	if grep -q '^fw: cpu: trap' "$log" 2>/dev/null; then
		why="the firmware trapped"
	elif [ "$verdict" = handoff ]; then
		grep -q '^fw: pvhfw [^ ]*: ' "$log" ||
			why="the jump's mark but no brief line"
	elif [ $t -ge $polls ]; then
		why="no verdict in ${LIMIT}s (a hang)"
	elif [ $st != 255 ]; then
		why="QEMU's status $st with no verdict (a fault or reset)"
	elif [ "$(tail -n 1 "$log")" != "fw: stop: exit" ]; then
		why="status 255 but the last line is not 'fw: stop: exit'"
	elif grep -v '^fw: [a-z0-9_]*: ' "$log" | grep -q .; then
		why="a line that is not the firmware's before the stop"
	else
		verdict="refused: $(grep -v '^fw: [a-z0-9_]*: warning' "$log" |
			head -n 1)"
	fi
	if [ -n "$why" ]; then
		mv "$bin" "$OUT/fail-$n.bin"
		mv "$log" "$OUT/fail-$n.log"
		mv "$marks" "$OUT/fail-$n.marks" 2>/dev/null
		echo "FAIL $n: $why; $(basename "$in"): $how"
		echo "    again: $OUT/mutate $in $OUT/fail-$n.bin $seed"
		sed 's/^/    | /' "$OUT/fail-$n.log" | tail -n 15
	else
		rm -f "$bin" "$log" "$marks"
		echo "ok $n $(basename "$in") $verdict"
	fi
}
export -f one jumped
export QEMU OUT SEED LIMIT MACHINE MEM
# Arrays do not cross into xargs' shells: pass the list as a string.
export INPUTS="${inputs[*]}"

results=$(seq 0 $((COUNT - 1)) |
	xargs -P "${JOBS:-$(nproc)}" -n 1 \
		bash -c 'read -r -a inputs <<<"$INPUTS"; one "$0"')
handed=$(grep -c '^ok .* handoff$' <<<"$results")
refused=$(grep -c '^ok .* refused: ' <<<"$results")
failed=$(grep -c '^FAIL ' <<<"$results")
grep -A 16 '^FAIL ' <<<"$results" | grep -v '^--$'
if [ "${V:-0}" = 1 ]; then
	grep '^ok ' <<<"$results"
fi
echo "mutate: $COUNT mutants (seed $SEED, $MACHINE $MEM): $handed handed over," \
	"$refused refused, $failed failed;" \
	"$(grep -o 'refused: .*' <<<"$results" | sort -u | wc -l) different refusals"
[ "$failed" = 0 ] && [ $((handed + refused)) = "$COUNT" ]
