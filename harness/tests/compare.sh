#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# compare.sh - baselines and compare from the command line: two runs of the
# same cases on one kernel are the same (exit 0); a baseline that says
# otherwise is a change, named field by field (exit 1); usage errors exit 2,
# unreadable inputs 99.
. "${srcdir:-.}/harness/tests/lib.sh"
test_begin compare

cases="$srcdir/cases/close-unread-truncates.case $srcdir/cases/shutdown-drain-clean.case
    $srcdir/cases/writer-sees-reset.case"
for run in 1 2; do
	# shellcheck disable=SC2086
	"$CLOSEPROBE" run --captures "$tmp/cap$run" --json "$tmp/run$run.json" $cases \
	    >"$tmp/run$run.out" 2>&1
	rc=$?
	skip_without_namespaces "$tmp/run$run.out"
	[ "$rc" -eq 0 ] || { cat "$tmp/run$run.out"; fail "run $run exited $rc"; }
done

"$CLOSEPROBE" baseline record -o "$tmp/base.txt" "$tmp/run1.json" || fail "record exited $?"
head -n 1 "$tmp/base.txt" | grep -q '^# closeprobe baseline 1$' || fail "no baseline header"
grep -q '^close-unread-truncates/4 teardown = rst from server$' "$tmp/base.txt" ||
	fail "the baseline lacks the teardown of close-unread-truncates"
grep -q 'ports\|_port\|isn' "$tmp/base.txt" && fail "ports or sequence numbers in a baseline"

"$CLOSEPROBE" compare "$tmp/base.txt" "$tmp/run2.json" >"$tmp/same.out"
rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/same.out"; fail "two runs on one kernel compare as different ($rc)"; }
grep -q '4 case runs: 4 same, 0 changed' "$tmp/same.out" || fail "summary: $(tail -n 1 "$tmp/same.out")"
# Options after operands work, as with GNU tools.
"$CLOSEPROBE" compare "$tmp/run1.json" "$tmp/run2.json" --brief >"$tmp/brief.out" ||
	fail "run against run, --brief last, exited $?"
[ "$(wc -l <"$tmp/brief.out")" -eq 1 ] || fail "--brief printed the same cases"

# A baseline that recorded a FIN: the run's RST is a change, with both values.
sed 's|^close-unread-truncates/4 teardown = .*|close-unread-truncates/4 teardown = fin from server|' \
    "$tmp/base.txt" >"$tmp/fin.txt"
"$CLOSEPROBE" compare "$tmp/fin.txt" "$tmp/run2.json" >"$tmp/changed.out"
rc=$?
[ "$rc" -eq 1 ] || fail "a changed teardown exited $rc, not 1"
grep -q '^changed  close-unread-truncates/4$' "$tmp/changed.out" || fail "no 'changed' line"
grep -q 'teardown: fin from server -> rst from server' "$tmp/changed.out" ||
	fail "the change does not name the field with before and after"
"$CLOSEPROBE" compare --markdown "$tmp/fin.txt" "$tmp/run2.json" >"$tmp/md.out"
grep -q '^| `close-unread-truncates/4` | baseline | changed: teardown |$' "$tmp/md.out" ||
	fail "the Markdown matrix lacks the change"

# A case the baseline lacks is new; one the run lacks is missing.
grep -v 'writer-sees-reset/' "$tmp/base.txt" >"$tmp/less.txt"
"$CLOSEPROBE" compare "$tmp/less.txt" "$tmp/run2.json" | grep -q '^new      writer-sees-reset/4$' ||
	fail "a case missing from the baseline is not 'new'"

"$CLOSEPROBE" compare "$tmp/base.txt" >/dev/null 2>&1
[ $? -eq 2 ] || fail "compare with one operand is not a usage error"
"$CLOSEPROBE" compare "$tmp/base.txt" "$tmp/nonexistent.json" 2>"$tmp/err" >/dev/null
[ $? -eq 99 ] || fail "an unreadable run is not exit 99"
grep -q "nonexistent.json: No such file or directory" "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf '{"cases": [' >"$tmp/cut.json"
"$CLOSEPROBE" compare "$tmp/base.txt" "$tmp/cut.json" 2>"$tmp/err" >/dev/null
[ $? -eq 99 ] || fail "a truncated JSON is not exit 99"
grep -q 'cut.json:1:12: a value was expected' "$tmp/err" || fail "message: $(cat "$tmp/err")"

[ "$failures" -eq 0 ]
