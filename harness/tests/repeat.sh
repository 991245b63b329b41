#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# repeat.sh - run --repeat N: each case runs N times, its runs together,
# every run reported (text, JSON records, TAP test points); the fields that
# flipped between the runs are said as flaky, after the verdicts and in the
# JSON summary, and a baseline recorded from the run marks them flaky;
# --repeat 0 and 101 are usage errors.
#
# A flip must not depend on chance (a random loss): it is made
# deterministic by the evidence of run 2, which goes to DIR/repeat-2: a
# directory already there in place of run 2's pcap makes run 2, and only
# run 2, an ERROR, so the "status" field is PASS in runs 1 and 3 and ERROR
# in run 2.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin repeat

cases="$srcdir/cases/drain-then-close-clean.case $srcdir/cases/dup-close-one-silent.case"
# shellcheck disable=SC2086
"$CLOSEPROBE" run --repeat 3 -q --captures "$tmp/cap" --json "$tmp/run.json" $cases \
	>"$tmp/out" 2>&1
rc=$?
skip_without_namespaces "$tmp/out"
[ "$rc" -eq 0 ] || fail "--repeat 3 of two passing cases: exit status $rc: $(cat "$tmp/out")"
for c in drain-then-close-clean dup-close-one-silent; do
	n=$(grep -c "^$c #[123]/3: PASS" "$tmp/out")
	[ "$n" -eq 3 ] || fail "$c: $n verdicts, not 3: $(cat "$tmp/out")"
done
# The runs of a case together, in case order.
sed -n 's/^\([a-z-]*\) #\([0-9]\)\/3: .*/\1 \2/p' "$tmp/out" | tr '\n' ' ' >"$tmp/order"
[ "$(cat "$tmp/order")" = "drain-then-close-clean 1 drain-then-close-clean 2 drain-then-close-clean 3 dup-close-one-silent 1 dup-close-one-silent 2 dup-close-one-silent 3 " ] ||
	fail "the runs are not in case order: $(cat "$tmp/order")"
grep -q '^flaky' "$tmp/out" && fail "a flaky line for deterministic cases: $(cat "$tmp/out")"
tail -n 1 "$tmp/out" | grep -q '^closeprobe: 6 case runs of 2 cases: 6 passed' ||
	fail "summary: $(tail -n 1 "$tmp/out")"
jq -e '(.cases | length) == 6 and ([.cases[].case] | map(select(. == "dup-close-one-silent"))
    | length) == 3 and .summary.flaky == [] and .summary.case_runs == 6 and
    .summary.cases == 2' "$tmp/run.json" >/dev/null ||
	fail "the JSON: $(jq -c '.summary' "$tmp/run.json")"
# Each run's evidence of its own: run 1 in the captures directory, run K
# in repeat-K.
for k in 2 3; do
	[ -f "$tmp/cap/repeat-$k/dup-close-one-silent.pcap" ] ||
		fail "no evidence of run $k: $(ls -R "$tmp/cap")"
done
jq -e '[.cases[].evidence.pcap] | unique | length == 6' "$tmp/run.json" >/dev/null ||
	fail "the runs share evidence files: $(jq -c '[.cases[].evidence]' "$tmp/run.json")"

# TAP: a test point per run.
"$CLOSEPROBE" run --repeat 2 --tap --captures "$tmp/tapcap" \
	"$srcdir/cases/dup-close-one-silent.case" >"$tmp/tap" 2>"$tmp/tap.err"
grep -q '^1\.\.2$' "$tmp/tap" || fail "TAP plan: $(cat "$tmp/tap")"
[ "$(grep -c '^ok ' "$tmp/tap")" -eq 2 ] || fail "TAP: not 2 ok points: $(cat "$tmp/tap")"

# A deterministic flip: run 2's pcap cannot be written (see above).
mkdir -p "$tmp/flip/repeat-2/dup-close-one-silent.pcap"
"$CLOSEPROBE" run --repeat 3 -q --captures "$tmp/flip" --json "$tmp/flip.json" \
	"$srcdir/cases/dup-close-one-silent.case" >"$tmp/flip.out" 2>&1
rc=$?
[ "$rc" -eq 99 ] || fail "a run with an ERROR: exit status $rc, not 99 (the run's)"
grep -q '^dup-close-one-silent #2/3: ERROR' "$tmp/flip.out" ||
	fail "run 2 did not error: $(cat "$tmp/flip.out")"
grep -qx 'flaky: dup-close-one-silent/4 status: PASS | ERROR' "$tmp/flip.out" ||
	fail "no flaky line for the status: $(cat "$tmp/flip.out")"
[ "$(grep -c '^flaky' "$tmp/flip.out")" -ge 1 ] || fail "no flaky section"
# After the verdicts, before the summary (the last line).
tail -n 1 "$tmp/flip.out" | grep -q '^closeprobe: 3 case runs of 1 case' ||
	fail "the summary is not the last line: $(tail -n 2 "$tmp/flip.out")"
jq -e '.summary.flaky | map(select(.case == "dup-close-one-silent/4" and
    .field == "status" and .values == ["PASS", "ERROR"])) | length == 1' \
	"$tmp/flip.json" >/dev/null ||
	fail "the JSON's flaky array: $(jq -c '.summary.flaky' "$tmp/flip.json")"
# A baseline recorded from it marks the field flaky.
"$CLOSEPROBE" baseline record -o "$tmp/base" "$tmp/flip.json" >"$tmp/base.out" 2>&1 ||
	fail "baseline record: $(cat "$tmp/base.out")"
grep -qx 'dup-close-one-silent/4 status ~ PASS | ERROR' "$tmp/base" ||
	fail "the baseline does not mark status flaky: $(grep status "$tmp/base")"

# Out of range: usage errors, nothing runs.
for n in 0 101 x; do
	"$CLOSEPROBE" run --repeat "$n" --captures "$tmp/bad" \
		"$srcdir/cases/dup-close-one-silent.case" >"$tmp/bad.out" 2>&1
	rc=$?
	[ "$rc" -eq 2 ] || fail "--repeat $n: exit status $rc, not 2"
	grep -q -- '--repeat needs a number' "$tmp/bad.out" || fail "--repeat $n: $(cat "$tmp/bad.out")"
done
[ -e "$tmp/bad" ] && fail "--repeat 0 made the captures directory"

exit $((failures > 0))
