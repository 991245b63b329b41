#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# expectations.sh - every kind of expectation can fail, and says what it
# observed; the words of the language hold where they should.
#
# harness/tests/cases/fail-*.case are built so that their expectations do
# not hold: each such line carries a comment "# observed: REGEX", and the
# run must exit 1 with that line FAILED and its observed text matching
# REGEX (the whole of it).  A line without the comment must hold.
# harness/tests/cases/pass-*.case must pass (exit 0).  A case whose
# comment line reads "# cause: REGEX" must give a Cause sentence that
# REGEX matches whole.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin expectations

cases=$srcdir/harness/tests/cases

# Every case file runs once, eight at a time (the runs mostly wait; as
# many as closeprobe run -j 0 runs on two CPUs); run reads its result.
mkdir -p "$tmp/captures" "$tmp/runs" || exit 99
pids= n=0
for f in "$cases"/fail-*.case "$cases"/pass-*.case; do
	r=$tmp/runs/${f##*/}
	{ "$CLOSEPROBE" run --captures "$tmp/captures" "$f" >"$r.out" 2>&1; echo $? >"$r.status"; } &
	pids="$pids $!" n=$((n + 1))
	if [ "$n" -eq 8 ]; then
		wait $pids
		pids= n=0
	fi
done
wait $pids

# run CASE-FILE WANTED-STATUS: the run's output in $tmp/out.
run() {
	cp "$tmp/runs/${1##*/}.out" "$tmp/out" || exit 99
	status=$(cat "$tmp/runs/${1##*/}.status")
	skip_without_namespaces "$tmp/out"
	if [ "$status" -ne "$2" ]; then
		fail "$1: exit status $status, expected $2:"
		cat "$tmp/out"
		return 1
	fi
	want=$(sed -n 's/^# cause: //p' "$1")
	if [ -n "$want" ]; then
		cause=$(grep -m 1 -E ": (PASS|FAIL|SKIP|ERROR)\." "$tmp/out" | sed -n 's/.* Cause: \(.*\) Evidence: .*/\1/p')
		printf '%s\n' "$cause" | grep -Eqx "$want" ||
			fail "$1: the cause is '$cause', not /$want/"
	fi
	return 0
}

for f in "$cases"/fail-*.case; do
	run "$f" 1 || continue
	# Each annotated line FAILED with its observed text; the others held.
	grep -n '' "$f" | sed -n 's/^\([0-9]*\):.*# observed: \(.*\)$/\1 \2/p' >"$tmp/want"
	[ -s "$tmp/want" ] || fail "$f: no line says what it observes"
	while read -r line re; do
		got=$(grep -E "^  (ok    |FAILED|skip  ) [^ ]*:$line: expect " "$tmp/out")
		case $got in
		"  FAILED "*) ;;
		*) fail "$f:$line: did not fail: $got"; continue ;;
		esac
		observed=${got#*; observed }
		printf '%s\n' "$observed" | grep -Eqx "$re" ||
			fail "$f:$line: observed '$observed', not /$re/"
	done <"$tmp/want"
	grep -E '^  FAILED ' "$tmp/out" | sed -n 's/^  FAILED [^ ]*:\([0-9]*\): .*/\1/p' |
	    while read -r line; do
		grep -q "^$line " "$tmp/want" ||
			echo "FAIL: $f:$line: failed, and says nothing of it"
	    done >"$tmp/unexpected"
	if [ -s "$tmp/unexpected" ]; then
		cat "$tmp/unexpected"
		failures=$((failures + 1))
	fi
done

for f in "$cases"/pass-*.case; do
	run "$f" 0 || continue
done

# Writes of a chosen size: no call above 64 KiB, so at least 16 for 1 MiB.
run "$cases/pass-words.case" 0 &&
	calls=$(sed -n 's/^  client: send(): \([0-9]*\) calls accepted 1,048,576 B;.*/\1/p' "$tmp/out") &&
	{ [ -n "$calls" ] && [ "$calls" -ge 16 ] || fail "pass-words: 1 MiB in chunks of 64 KiB took '$calls' calls"; }
# A release section for another release is shown, not judged.
grep -Eq "^  skip   .*: expect client.send errors EPIPE; observed not judged on linux .* \(for linux < 2.6.0\)$" \
    "$tmp/out" || fail "pass-words: the section for linux < 2.6 was judged: $(grep 'errors EPIPE' "$tmp/out")"

# What issue 10 found wrong, refused before anything runs (status 99).
refused() {
	name=$1 want=$2
	cat >"$tmp/$name.case"
	"$CLOSEPROBE" run --captures "$tmp/refused" "$tmp/$name.case" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ "$status" -eq 99 ] || fail "$name: exit status $status, expected 99"
	grep -q "^$tmp/$name.case:[0-9]*:[0-9]*: $want" "$tmp/err" ||
		fail "$name: message: $(cat "$tmp/err")"
	[ ! -e "$tmp/refused" ] || fail "$name: something ran"
}
refused counter-typo "unknown kernel counter 'TCPAbortOnClos' (did you mean 'TCPAbortOnClose'?)" <<'CASE'
case x
client: connect
server: accept
expect: kernel TCPAbortOnClos = 0
CASE
refused counter-case "unknown kernel counter 'tcpabortonclose' (did you mean 'TCPAbortOnClose'?)" <<'CASE'
case x
client: connect
server: accept
expect: kernel tcpabortonclose = 0
CASE
refused long-deadline "duration '10000000000s' is too long (at most 86400s, a day)" <<'CASE'
case x
deadline 10000000000s
client: connect
server: accept
expect: no rst
CASE
refused close-after-lingering "'close' after 'lingering-close' (line 4)" <<'CASE'
case x
client: connect
server: accept
        lingering-close 1s
        close
expect: no rst
CASE

[ "$failures" -eq 0 ] || exit 1
exit 0
