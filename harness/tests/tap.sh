#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tap.sh - run --tap writes TAP 14 that perl's TAP parser (prove) reads
# with the counts expected: a test point per case run, each expectation a
# test point of its subtest with what was observed, the evidence in the
# YAML; a skip is "# SKIP", a failure "not ok", a harness error "not ok"
# and "Bail out!".  automake's TAP driver (what make check uses for the
# cases) then reports PASS, FAIL, SKIP and ERROR as the case did.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin tap

if ! command -v prove >/dev/null 2>&1; then
	echo "SKIP: prove (perl) is not installed"
	exit 77
fi
cp "$srcdir"/harness/tests/report-cases/*.case "$tmp/" || exit 99


# prove_tap FILE: prove's report of a TAP stream.  TAP::Harness 3.44 (Debian
# 12) knows TAP up to version 13 and says so of "TAP version 14", which is
# otherwise read the same: that one complaint is left out.
prove_tap() {
	sed '1s/^TAP version 14$/TAP version 13/' "$1" >"$1.13"
	prove --exec cat "$1.13" >"$1.prove" 2>&1
}

"$CLOSEPROBE" run --tap --captures "$tmp/c" "$tmp/both.case" "$tmp/bad.case" \
    "$tmp/elsewhere.case" >"$tmp/run.tap" 2>"$tmp/run.err"
status=$?
skip_without_namespaces "$tmp/run.err"
[ "$status" -eq 1 ] || fail "exit status $status, expected 1"
head -n 1 "$tmp/run.tap" | grep -qx 'TAP version 14' || fail "no version line: $(head -n 1 "$tmp/run.tap")"
grep -q '^both (IPv4): PASS\.' "$tmp/run.err" || fail "the text is not on standard error"
grep -q '^# platform: Linux ' "$tmp/run.tap" || fail "no platform comment"
prove --exec cat "$tmp/run.tap" >"$tmp/raw.prove" 2>&1
grep 'Parse errors' "$tmp/raw.prove" | grep -v 'TAP specified version 14' &&
	fail "prove finds errors beyond the version: $(cat "$tmp/raw.prove")"
prove_tap "$tmp/run.tap" && fail "prove passed a run with a failure"
grep -q 'Tests: 4 Failed: 1)$' "$tmp/run.tap.prove" && grep -q 'Failed test:  3$' "$tmp/run.tap.prove" ||
	fail "prove: $(cat "$tmp/run.tap.prove")"
grep -q 'Parse errors' "$tmp/run.tap.prove" && fail "prove: $(cat "$tmp/run.tap.prove")"
grep -q '^ok 1 - both (IPv4)$' "$tmp/run.tap" && grep -q '^ok 2 - both (IPv6)$' "$tmp/run.tap" &&
    grep -q '^not ok 3 - bad$' "$tmp/run.tap" &&
    grep -q '^ok 4 - elsewhere # SKIP the case has no expectations for linux' "$tmp/run.tap" ||
	fail "test points: $(grep -v '^ ' "$tmp/run.tap")"
grep -q 'Bail out!' "$tmp/run.tap" && fail "a bail out without a harness error"

# Each subtest is TAP of its own: one test point per expectation.
awk -v dir="$tmp/sub" '
	/^    # Subtest: / { n++; f = dir n; print "TAP version 13" > f; next }
	/^    / && f != "" { sub(/^    /, ""); print > f; next }
	{ if (f) close(f); f = "" }' "$tmp/run.tap"
[ -f "$tmp/sub4" ] || fail "not a subtest per case run: $(ls "$tmp" | grep sub)"
for i in 1 2; do
	prove_tap "$tmp/sub$i" || fail "subtest $i: $(cat "$tmp/sub$i.prove")"
	grep -q 'Files=1, Tests=2,' "$tmp/sub$i.prove" || fail "subtest $i: $(cat "$tmp/sub$i.prove")"
done
prove_tap "$tmp/sub3" && fail "the failed case's subtest passes"
grep -q 'Failed tests:  1, 3$' "$tmp/sub3.prove" || fail "subtest 3: $(cat "$tmp/sub3.prove")"
grep -q "^not ok 1 - $tmp/bad.case:8: expect teardown rst from server$" "$tmp/sub3" ||
	fail "the failed expectation: $(cat "$tmp/sub3")"
grep -q '^  observed: "teardown fin"$' "$tmp/sub3" || fail "no observation: $(cat "$tmp/sub3")"
grep -q "^ok 1 - $tmp/elsewhere.case:8: expect teardown rst from server # SKIP not judged on linux$" \
    "$tmp/sub4" || fail "an expectation for another system: $(cat "$tmp/sub4")"
# The evidence, named in the YAML, is there.
pcap=$(sed -n 's/^    pcap: "\(.*\)"$/\1/p' "$tmp/run.tap" | head -n 1)
[ -n "$pcap" ] && [ -s "$pcap" ] || fail "no evidence path in the YAML: $(grep -A8 '^ok 1' "$tmp/run.tap")"
grep -q "^    text: \"$tmp/c/bad.txt\"$" "$tmp/run.tap" || fail "no verdict file in the YAML"

# A harness error: not ok, then Bail out!.
"$CLOSEPROBE" run --tap --captures "$tmp/c" "$tmp/hang.case" "$tmp/both.case" \
    >"$tmp/error.tap" 2>/dev/null
[ $? -eq 99 ] || fail "a harness error: status not 99"
grep -q '^not ok 1 - hang$' "$tmp/error.tap" && tail -n 1 "$tmp/error.tap" | grep -q '^Bail out! ' ||
	fail "a harness error: $(grep -v '^ ' "$tmp/error.tap")"
grep -q '^  error: "deadline of 1 s passed' "$tmp/error.tap" || fail "the error is not in the YAML"
prove_tap "$tmp/error.tap"
grep -q 'Bailout called' "$tmp/error.tap.prove" || fail "prove: $(cat "$tmp/error.tap.prove")"

# A case file that does not parse: nothing runs; not ok, Bail out!.
"$CLOSEPROBE" run --tap --captures "$tmp/c2" "$tmp/typo.case" >"$tmp/typo.tap" 2>/dev/null
[ $? -eq 99 ] || fail "a bad case file: status not 99"
[ ! -e "$tmp/c2" ] || fail "a bad case file: something ran"
grep -q "^not ok 1 - $tmp/typo.case$" "$tmp/typo.tap" &&
    grep -q "^  error: \"$tmp/typo.case:4:11: unknown step 'sned'" "$tmp/typo.tap" &&
    grep -q '^Bail out! 1 bad case file: nothing ran$' "$tmp/typo.tap" ||
	fail "a bad case file: $(cat "$tmp/typo.tap")"

# automake's TAP driver, as make check runs each case (the four at once,
# as make -j does; the hang takes its deadline).
driver=$srcdir/build-aux/tap-driver.sh
if [ -f "$driver" ]; then
	pids=
	for name in both bad elsewhere hang; do
		env AM_TAP_AWK="${AWK:-awk}" sh "$driver" --test-name "$name.case" \
		    --log-file "$tmp/$name.log" --trs-file "$tmp/$name.trs" --ignore-exit -- \
		    "$CLOSEPROBE" run --tap --captures "$tmp/c" "$tmp/$name.case" >/dev/null 2>&1 &
		pids="$pids $!"
	done
	wait $pids
	results() { sed -n 's/^:test-result: //p' "$tmp/$1.trs" | sort | tr '\n' ' '; }
	[ "$(results both)" = "PASS PASS " ] || fail "driver, both: $(results both)"
	[ "$(results bad)" = "FAIL " ] || fail "driver, bad: $(results bad)"
	[ "$(results elsewhere)" = "SKIP " ] || fail "driver, elsewhere: $(results elsewhere)"
	[ "$(results hang)" = "ERROR FAIL " ] || fail "driver, hang: $(results hang)"
	grep -q 'observed: "teardown fin"' "$tmp/bad.log" || fail "the log lacks the observation"
else
	echo "SKIP: no $driver: automake's driver was not tried"
fi

[ "$failures" -eq 0 ] || exit 1
exit 0
