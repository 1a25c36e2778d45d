# shellcheck shell=bash
# SPDX-License-Identifier: MIT
# cases.sh: what the case-table test runners (tests/boot/run.sh,
# tests/efi/run.sh, tests/vmm/run.sh) share. A runner sources this file,
# defines
#   run_case FIELD... EXPECT...   boot one case, then call cases_judge
#                                 (or print "SKIP NAME: why")
# and calls cases_run TABLE LABEL NFIELDS [skips].
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

# cases_judge NAME LOG STATUS GOT LIMIT TOOK EXPECT...
# Prints "PASS NAME (TOOKs)" or "FAIL NAME: why" and the log's tail. GOT is
# QEMU's exit status under timeout; STATUS the expected one. 124, timeout's
# own, says only that the guest was still running at the end: halted or
# spinning alike, so such a case also names the stop it expects
# ("fw: stop: halted").
cases_judge() {
	local name=$1 log=$2 status=$3 got=$4 limit=$5 took=$6 why='' want
	shift 6
	if [ "$got" = 124 ] && [ "$status" != 124 ]; then
		why="timed out after ${limit}s"
	elif [ "$got" != "$status" ]; then
		why="exit status $got, expected $status"
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
	export -f run_case cases_judge cases_line
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
