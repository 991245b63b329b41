#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# case-verdict.sh [--tap] CASE-FILE - one case's test, read from the one
# suite run that make check makes (suite-run.sh) rather than run again.
#
# With --tap (how make check runs each case), the TAP "closeprobe run
# --tap CASE-FILE" writes: the suite's version line and platform comment,
# a plan, the case's test points (one per family run, each with its
# subtest of expectations and its YAML), renumbered from 1, and "Bail
# out!" when one ended in a harness error; the verdicts go to standard
# error.  Without --tap, the verdicts on standard output, as "closeprobe
# run CASE-FILE" prints them.  The verdict is the case's verdict file,
# named in the YAML (evidence: text:), or its error when it has none.
#
# Exits as that run would: 0 PASS, 1 FAIL, 77 SKIP, 99 ERROR (the worst
# of its runs).  A case the suite run lacks is an ERROR ("Bail out!").
# Environment: CLOSEPROBE_SUITE_DIR (default captures/check), holding
# suite.tap; a case is found by its file's name (the YAML's file:).
set -u

tap=false
if [ "${1:-}" = --tap ]; then
	tap=true
	shift
fi
case_file=${1:?usage: case-verdict.sh [--tap] CASE-FILE}
dir=${CLOSEPROBE_SUITE_DIR:-captures/check}
suite_tap=$dir/suite.tap
tmp=$(mktemp -d "${TMPDIR:-/tmp}/case-verdict.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

bail() {
	$tap && echo "Bail out! case-verdict: $*"
	echo "case-verdict: $*" >&2
	exit 99
}
[ -r "$dir/suite.status" ] && [ -r "$suite_tap" ] ||
	bail "$dir: no complete suite run to read (make check makes it: suite-run.sh)"

# The case's blocks: each test point with the subtest before it and the
# YAML after it.  Out: $tmp/points (renumbered), $tmp/statuses and
# $tmp/texts (per run: the verdict file, or "error: MESSAGE").
awk -v base="${case_file##*/}" -v dir="$tmp" '
	function finish(   f) {
		f = yaml
		sub(/.*\n  file: "/, "", f)
		sub(/".*/, "", f)
		sub(/.*\//, "", f)
		if (f == base && point != "") {
			n++
			sub(/^(not )?ok [0-9]+/, "&@", point)
			sub(/[0-9]+@/, n, point)
			printf "%s%s\n%s", pending, point, substr(yaml, 2) > (dir "/points")
			st = yaml
			sub(/.*\n  status: "/, "", st); sub(/".*/, "", st)
			print st > (dir "/statuses")
			if (yaml ~ /\n    text: "/) {
				t = yaml; sub(/.*\n    text: "/, "", t); sub(/"\n.*/, "", t)
			} else {
				nm = point; sub(/^(not )?ok [0-9]+ - /, "", nm); sub(/ # .*/, "", nm)
				t = yaml; sub(/.*\n  error: "/, "", t); sub(/"\n.*/, "", t)
				t = "error: " nm ": " st ". " t "."
			}
			print t > (dir "/texts")
		}
		pending = ""; point = ""; yaml = ""; inyaml = 0
	}
	NR == 1 { print > (dir "/head"); next }
	!planned && /^# / { print > (dir "/head"); next }
	!planned && /^1\.\.[0-9]+$/ { planned = 1; next }
	inyaml { yaml = yaml $0 "\n"; if ($0 == "  ...") finish(); next }
	point != "" && $0 == "  ---" { inyaml = 1; yaml = "\n" $0 "\n"; next }
	point != "" { finish() }
	/^(not )?ok [0-9]+ / { point = $0; next }
	/^Bail out!/ { print > (dir "/bailed"); next }
	{ pending = pending $0 "\n" }
	END { if (point != "") finish(); print n + 0 > (dir "/count") }' "$suite_tap" || exit 99
: >>"$tmp/points"

n=$(cat "$tmp/count")
if [ "$n" -eq 0 ]; then
	bail "$case_file is not in the suite run ($suite_tap$( [ -f "$tmp/bailed" ] &&
		printf '; it says: %s' "$(cat "$tmp/bailed")"))"
fi
worst=-1 code=99 errors=0
while read -r status; do
	case $status in
	PASS) c=0 rank=0 ;;
	SKIP) c=77 rank=1 ;;
	FAIL) c=1 rank=2 ;;
	*) c=99 rank=3 errors=$((errors + 1)) ;;
	esac
	if [ "$rank" -gt "$worst" ]; then
		worst=$rank code=$c
	fi
done <"$tmp/statuses"

verdicts() {
	while IFS= read -r text; do
		case $text in
		"error: "*) echo "${text#error: }" ;;
		*) cat "$text" || echo "case-verdict: $text: the verdict file is missing" ;;
		esac
	done <"$tmp/texts"
}
if $tap; then
	cat "$tmp/head"
	echo "1..$n"
	cat "$tmp/points"
	if [ "$errors" -gt 0 ]; then
		[ "$errors" -eq 1 ] && s= || s=s
		echo "Bail out! $errors case run$s ended in a harness error"
	fi
	verdicts >&2
else
	verdicts
fi
exit "$code"
