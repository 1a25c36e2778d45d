# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# cases.sh: what the case-table test runners (tests/boot/run.sh,
# tests/efi/run.sh, tests/vmm/run.sh) share. A runner sources this file,
# defines
#   run_case FIELD... EXPECT...   boot one case, then call cases_judge
#                                 (or print "SKIP NAME: why")
# and calls cases_run TABLE LABEL NFIELDS [skips]. A QEMU runner starts
# QEMU through cases_qemu, which proves the halt of a status-124 case.
#
# The table: one case per line, fields separated by '|' (the first is the
# case's name), the last field a ';'-separated list of lines that must
# appear in the case's console output. @NAME@ anywhere in a line is
# replaced by NAME's value from build/test-vars (tests/boot/prepare.sh).
# Blank lines and lines starting with '#' are ignored. TESTS=pattern keeps
# the cases whose name contains it; JOBS=n runs n at a time.
#
# An expected line is matched exactly; '~' before it makes it a whole-line
# extended regular expression; "debugcon:" looks for it in the case's
# debugcon file ($OUT/NAME.debugcon); "debugconhex:HEX" compares that
# file's bytes with HEX; '!' before a whole-line extended regular
# expression fails the case when any line matches it.
#
# The check.* words of the checker payloads (abicheck, pvhcheck, mbcheck;
# tests/payloads/README.md) switch their stricter checks on, and the
# firmware must deliver them: a command line lost or cut short would turn
# those checks off and the payload would still pass. So in a case that
# expects a checker's marker (an expected line "ABICHECK PASS",
# "PVHCHECK FAIL (...)", ..., '~' or not: the checker ran and its verdict
# counts) every word that starts with "check." in the case's fields (its
# command line) must reach the payload: the case also gets, per word W,
# the expected line
#   ~(abicheck|pvhcheck|mbcheck): checks: (.* )?W( .*)?
# (W's regex characters escaped): the payloads print the check.* words
# they recognised as "<name>: checks: W W ..." ("none" without any), and
# fail their check "check-words" on a check.* word they do not know. The
# same for the words of a bundle's cmdline entry (scripts/mkbundle -c): a
# field word naming a .cpio file (alone, or split off at '=', ',' or ':'
# as in the EFI and fwcfg: fields) whose "cmdline" entry holds check.*
# words. Cases where the firmware stops before the checker expect no
# marker and get no such line; so does tests/inspect, whose output is the
# tool's. A case with the word check.pvhfw=1 in its fields (or, with a
# marker, in its bundle) also gets '!.*: pvhfw: skipped.*': abicheck,
# pvhcheck and mbcheck print "<name>: pvhfw: skipped (check.pvhfw=1 ...)"
# and pass without pvhfw's further checks when that word does not reach
# them.

# Status 124 is timeout's own: the guest was still running when the case's
# time limit ended. On its own it says nothing of how: halted, spinning in
# a loop, or idling in HLT with interrupts on (OVMF, its shell) alike. The
# project promises a defined stop, the vCPU in HLT with interrupts off
# (after "fw: stop: halted"; in tests/efi's Xen case, Xen's own halt), so a
# case that expects 124 also needs the proof of it: the first line of
# $OUT/NAME.halt must start with "halted". QEMU runners start QEMU through
# cases_qemu, which writes that file from QEMU's monitor; tests/vmm's
# runner writes it from pvhrun's "pvhrun: halted (interrupts off)" line.
# Without the file, or with "not halted: WHY" in it, the case fails.

# cases_judge NAME LOG STATUS GOT LIMIT TOOK EXPECT...
# Prints "PASS NAME (TOOKs)" or "FAIL NAME: why" and the log's tail. GOT is
# the exit status under timeout (QEMU's, or pvhrun's); STATUS the expected
# one; 124 also needs $OUT/NAME.halt (above). Such a case also names the
# stop it expects ("fw: stop: halted").
cases_judge() {
	local name=$1 log=$2 status=$3 got=$4 limit=$5 took=$6 why='' want
	shift 6
	if [ "$got" = 124 ] && [ "$status" != 124 ]; then
		why="timed out after ${limit}s"
	elif [ "$got" != "$status" ]; then
		why="exit status $got, expected $status"
	elif [ "$status" = 124 ]; then
		local halt
		halt=$(head -n 1 "$OUT/$name.halt" 2>/dev/null)
		case $halt in
		halted*) ;;
		'not halted: '*)
			why="still running at the end, but not halted with interrupts off: ${halt#not halted: }" ;;
		*) why="still running at the end, with no proof of a halt ($OUT/$name.halt is missing or empty: QEMU's monitor never answered)" ;;
		esac
	fi
	for want in "$@"; do
		[ -n "$why" ] && break
		local file=$log how=-qxF
		case $want in
		debugcon:*) want=${want#debugcon:}; file=$OUT/$name.debugcon ;;
		debugconhex:*)
			[ "$(od -An -tx1 -v "$OUT/$name.debugcon" 2>/dev/null |
				tr -d ' \n')" = "${want#debugconhex:}" ] ||
				why="debugcon bytes are not ${want#debugconhex:}"
			continue ;;
		esac
		case $want in
		'~'*) want=${want#'~'}; how=-qxE ;;
		'!'*)
			# 1 is the pass: no line matches. 0 is a match; 2 a
			# bad pattern or no file, which must not pass either.
			local st=0
			grep -qxE -- "${want#'!'}" "$file" 2>/dev/null || st=$?
			if [ "$st" = 0 ]; then
				why="unexpected line: $(grep -xE -m1 -- \
					"${want#'!'}" "$file")"
			elif [ "$st" != 1 ]; then
				why="cannot check '$want' (bad pattern, or no $file)"
			fi
			continue ;;
		esac
		grep "$how" -- "$want" "$file" 2>/dev/null ||
			why="missing line: $want"
	done
	if [ -z "$why" ]; then
		echo "PASS $name (${took}s)"
	else
		echo "FAIL $name: $why"
		grep -v '^Press ESC' "$log" | sed 's/^/    | /' | tail -n 25
	fi
}

# cases_qemu NAME STATUS LIMIT ARG...: runs "$QEMU" ARG... under
# timeout LIMIT, its output on stdout, and returns its status. For STATUS
# 124 it also adds a QMP monitor on two FIFOs, $OUT/NAME.qmp.in and .out
# (QEMU's "pipe" chardev: no TCP port for parallel cases to fight over,
# and no client but bash), and runs cases_halt_watch on them beside QEMU.
# Once the watch has seen the halt it quits QEMU (status 0), and this
# returns 124, as if the limit had passed: a vCPU in HLT with interrupts
# off stays there (only an NMI, SMI or INIT wakes it, and no device of
# these VMs sends one by itself), so the rest of the limit would show
# nothing new, and these cases end in about a second after the halt
# instead of at their whole limit.
cases_qemu() {
	local name=$1 status=$2 limit=$3 base=$OUT/$1 got wpid
	shift 3
	rm -f "$base.halt" "$base.halt.new" "$base.qmp.in" "$base.qmp.out"
	if [ "$status" != 124 ]; then
		timeout "$limit" "$QEMU" "$@"
		return
	fi
	if ! mkfifo "$base.qmp.in" "$base.qmp.out"; then
		echo "cases_qemu: cannot make $base.qmp.in and .out"
		return 125
	fi
	cases_halt_watch "$base" "$limit" </dev/null >/dev/null 2>&1 &
	wpid=$!
	timeout "$limit" "$QEMU" -qmp "pipe:$base.qmp" "$@"
	got=$?
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	rm -f "$base.qmp.in" "$base.qmp.out" "$base.halt.new"
	# The watch writes "halted" only before its "quit": a status 0 after
	# it is that quit (the guest, halted, cannot power off or reset).
	if [ "$got" = 0 ] && [[ $(head -n 1 "$base.halt" 2>/dev/null) == halted* ]]; then
		got=124
	fi
	return "$got"
}

# cases_halt_watch BASE LIMIT: QEMU's QMP monitor on the FIFOs BASE.qmp.in
# and BASE.qmp.out, until LIMIT seconds have passed (cases_qemu ends it
# sooner, when QEMU has ended). It asks "info registers -a" through
# human-monitor-command every 0.2 s (QEMU 7.2's QMP tells no vCPU's halt
# otherwise: query-cpus-fast has no "halted", and HMP's "info cpus" no
# longer prints one) and takes from each vCPU's EFL/RFL line its HLT flag
# and its IF bit (0x200). After each look BASE.halt says "not halted: WHY"
# (the first vCPU not in HLT, or in HLT with interrupts on) or "halted:
# ..." (every vCPU in HLT with IF clear). The monitor reads a running vCPU
# without stopping it, so one look could mix two moments (an idle loop's
# IF=0 inside its interrupt handler with its next HLT): "halted" needs
# three looks in a row with the same registers' RIPs and flags. Then it
# sends "quit". A spin never shows HLT=1, an idle loop never IF=0 in HLT,
# and a real halt shows the same on every look: no race makes it flaky,
# only a halt later than LIMIT - 1 s fails.
cases_halt_watch() {
	local base=$1 end=$((SECONDS + $2)) to from now prev='' same=0
	local look='{"execute":"human-monitor-command","arguments":{"command-line":"info registers -a"}}'
	# Both read and write: neither open waits for QEMU to open its end,
	# and what is written waits in the FIFO until QEMU reads it.
	exec {to}<>"$base.qmp.in" {from}<>"$base.qmp.out" || return
	cases_qmp_read "$from" "$end" '{"QMP"' || return
	printf '%s\n' '{"execute":"qmp_capabilities"}' >&"$to"
	cases_qmp_read "$from" "$end" '{"return"' || return
	while ((SECONDS < end)); do
		printf '%s\n' "$look" >&"$to"
		cases_qmp_read "$from" "$end" '{"return"' || return
		now=$(cases_halt_state "$cases_reply")
		if [[ $now == halted* ]] && [ "$now" = "$prev" ]; then
			same=$((same + 1))
		else
			same=0
		fi
		prev=$now
		if [[ $now == halted* ]] && [ "$same" -ge 2 ]; then
			now="$now (3 looks in a row)"
		elif [[ $now == halted* ]]; then
			now="not halted: only $((same + 1)) of the 3 looks in a row it takes: ${now#halted: }"
		fi
		printf '%s\n' "$now" >"$base.halt.new" &&
			mv -f "$base.halt.new" "$base.halt"
		if [ "$same" -ge 2 ]; then
			printf '%s\n' '{"execute":"quit"}' >&"$to"
			return 0
		fi
		sleep 0.2
	done
}

# cases_qmp_read FD END PREFIX: the next line from QMP on FD that starts
# with PREFIX into cases_reply (others, such as events, are skipped; an
# {"error" line ends the wait unmatched); fails at SECONDS = END. A read
# that times out keeps the part of a line it got.
cases_qmp_read() {
	local fd=$1 end=$2 prefix=$3 part='' chunk st
	cases_reply=
	while ((SECONDS < end)); do
		chunk=
		st=0
		IFS= read -r -t 1 chunk <&"$fd" || st=$?
		part+=$chunk
		[ "$st" = 0 ] || continue
		case $part in
		"$prefix"*) cases_reply=$part; return 0 ;;
		'{"error"'*) return 1 ;;
		esac
		part=
	done
	return 1
}

# cases_halt_state REPLY: "halted: CPU#N ..." when every vCPU in QMP's
# reply to "info registers -a" is in HLT with IF clear, else "not halted:
# WHY" for the first that is not.
cases_halt_state() {
	local text=${1//\\r\\n/$'\n'} line cpu='?' n=0 ok='' bad=''
	local ip fl hlt
	text=${text//\\n/$'\n'}
	while IFS= read -r line; do
		if [[ $line =~ ^CPU#([0-9]+) ]]; then
			cpu=${BASH_REMATCH[1]}
		elif [[ $line =~ ^[ER]IP=([0-9a-f]+)\ [ER]FL=([0-9a-f]+)\ .*\ HLT=([01]) ]]; then
			ip=${BASH_REMATCH[1]} fl=${BASH_REMATCH[2]}
			hlt=${BASH_REMATCH[3]}
			n=$((n + 1))
			if [ "$hlt" != 1 ]; then
				bad=${bad:-"CPU#$cpu is running (not in HLT), flags $fl, at rip 0x$ip"}
			elif ((16#$fl & 0x200)); then
				bad=${bad:-"CPU#$cpu is in HLT with interrupts on (flags $fl: an idle loop, not a stop) at rip 0x$ip"}
			else
				ok+="${ok:+, }CPU#$cpu in HLT, flags $fl, at rip 0x$ip"
			fi
		fi
	done <<<"$text"
	if [ "$n" = 0 ]; then
		echo "not halted: no vCPU state in QEMU's reply to info registers -a"
	elif [ -n "$bad" ]; then
		echo "not halted: $bad"
	else
		echo "halted: $ok"
	fi
}

# cases_line NFIELDS LINE: one table line to run_case. A line that is not
# a whole case (a field missing, no expected line, an empty one, one with
# nothing after its "debugcon:", "debugconhex:", '~' or '!', an @NAME@
# build/test-vars lacks) fails without running: a case must never pass on
# its exit status alone.
cases_line() {
	local n=$1 line=$2 f=() expect=() i var val name want
	if [ -e build/test-vars ]; then
		while IFS='=' read -r var val; do
			# Quoted: the value is taken literally (no '&').
			line=${line//"@$var@"/"$val"}
		done <build/test-vars
	fi
	IFS='|' read -r -a f <<<"$line"
	for i in "${!f[@]}"; do
		f[i]=$(sed 's/^ *//; s/ *$//' <<<"${f[$i]}")
	done
	name=${f[0]}
	IFS=';' read -r -a expect <<<"${f[$n]:-}"
	for i in "${!expect[@]}"; do
		expect[i]=$(sed 's/^ *//; s/ *$//' <<<"${expect[$i]}")
	done
	local bad=
	if [ ${#f[@]} != $((n + 1)) ]; then
		bad="${#f[@]} fields, not $((n + 1))"
	elif [ ${#expect[@]} = 0 ]; then
		bad="no expected line"
	elif [[ $line =~ @[A-Z0-9_]+@ ]]; then
		bad="${BASH_REMATCH[0]} is not in build/test-vars"
	else
		for i in "${!expect[@]}"; do
			want=${expect[$i]}
			case $want in
			debugconhex:*) want=${want#debugconhex:} ;;
			*)
				want=${want#debugcon:}
				case $want in '~'* | '!'*) want=${want:1} ;; esac
				;;
			esac
			if [ -z "${expect[$i]}" ]; then
				bad="expected line $((i + 1)) is empty"
			elif [ -z "$want" ]; then
				bad="expected line $((i + 1)) ('${expect[$i]}') has nothing after its prefix"
			fi
		done
	fi
	if [ -n "$bad" ]; then
		echo "FAIL $name: malformed case line ($bad)"
		return
	fi
	local cwords=() ws=() toks=() w checker='' tok pvhfw=''
	for want in "${expect[@]}"; do
		[[ ${want#'~'} =~ ^(ABICHECK|PVHCHECK|MBCHECK)\ (PASS|FAIL) ]] &&
			checker=1
	done
	for i in "${f[@]:1:$((n - 1))}"; do
		read -r -a ws <<<"$i"
		cwords+=("${ws[@]}")
		[ -n "$checker" ] || continue
		# Bundles named in the field: their cmdline entry's words.
		read -r -a toks <<<"${i//[,=:]/ }"
		for tok in "${toks[@]}"; do
			[[ $tok == *.cpio && -f $tok ]] || continue
			read -r -a ws <<<"$(cpio -i --quiet --to-stdout cmdline \
				<"$tok" 2>/dev/null | tr '\n' ' ')"
			cwords+=("${ws[@]}")
		done
	done
	for w in "${cwords[@]}"; do
		[[ $w == check.* ]] || continue
		[ "$w" = check.pvhfw=1 ] && pvhfw=1
		[ -n "$checker" ] || continue
		# shellcheck disable=SC2001 # a bracket expression, not ${//}
		w=$(sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$w")
		expect+=("~(abicheck|pvhcheck|mbcheck): checks: (.* )?$w( .*)?")
	done
	[ -n "$pvhfw" ] && expect+=('!.*: pvhfw: skipped.*')
	run_case "${f[@]:0:$n}" "${expect[@]}"
}

# shellcheck disable=SC2016 # bash -c gets its script single-quoted
# cases_run TABLE LABEL NFIELDS [skips]: every selected case, JOBS at a
# time, then "LABEL: N passed, N failed"; fails when one failed or none ran.
# With "skips" (cases may be skipped: tests/vmm) the line ends ", N skipped"
# and a skipped case does not fail the run, but a failed one does, and so
# does a TESTS= that selects no case.
cases_run() {
	local table=$1 label=$2 n=$3 skips=${4:-} line name jobs=() results
	local pass fail skip
	while IFS= read -r line; do
		case $line in '#'* | '') continue ;; esac
		name=${line%%|*}
		name=${name// /}
		[ -n "${TESTS:-}" ] && [[ $name != *$TESTS* ]] && continue
		jobs+=("$line")
	done <"$table"
	export -f run_case cases_judge cases_line cases_qemu cases_halt_watch \
		cases_qmp_read cases_halt_state
	results=
	if [ ${#jobs[@]} = 0 ]; then
		echo "$label: no case matches TESTS=${TESTS:-}"
	else
		results=$(printf '%s\n' "${jobs[@]}" |
			xargs -d '\n' -P "${JOBS:-$(nproc)}" -n 1 \
				bash -c 'cases_line "$0" "$1"' "$n")
		echo "$results"
	fi
	pass=$(grep -c '^PASS ' <<<"$results")
	fail=$(grep -c '^FAIL ' <<<"$results")
	skip=$(grep -c '^SKIP ' <<<"$results")
	# A case killed before its verdict (a crash, the OOM killer) counts as
	# failed, and so does one that printed two.
	local lost=$((${#jobs[@]} - pass - fail - skip))
	if [ "$lost" != 0 ]; then
		echo "FAIL $label: $lost case(s) gave no verdict or more than one"
		fail=$((fail + (lost > 0 ? lost : -lost)))
	fi
	if [ -n "$skips" ]; then
		echo "$label: $pass passed, $fail failed, $skip skipped"
		[ "$fail" = 0 ] && [ ${#jobs[@]} -gt 0 ]
	else
		echo "$label: $pass passed, $fail failed"
		[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
	fi
}
