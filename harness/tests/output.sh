#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# output.sh - what run writes: the platform first; --json FILE and --json -
# (the text then on standard error) with a "platform" object, a record per
# case run, a record for a case file that did not parse, and a "summary";
# --brief, one line per case run; a summary that counts case runs and
# names what did not pass; on a terminal, verdicts wrapped to its width,
# statuses in colour (none with NO_COLOR) and a progress line (with the
# bytes a case has moved, past a few MiB); on a pipe, none of that.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin output

cp "$srcdir"/harness/tests/report-cases/*.case "$tmp/" || exit 99
have_jq=false
command -v jq >/dev/null 2>&1 && have_jq=true
# jq_true FILE FILTER: the filter holds for the JSON document in FILE.
jq_true() {
	$have_jq || return 0
	jq -e "$2" "$1" >/dev/null 2>&1 || fail "JSON: $2 does not hold: $(head -c 300 "$1")"
}

# On a terminal (script(1) gives one, 60 columns wide): what it shows is
# checked further down.  The case that moves megabytes for a while starts
# first and runs while the rest does.
esc=$(printf '\033')
cr=$(printf '\r')
have_script=false
command -v script >/dev/null 2>&1 && have_script=true
# on_terminal NAME COMMAND: what the terminal shows, line ends as
# written, progress lines erased ("\r[n/N] case\033[K", then "\r\033[K"),
# in $tmp/NAME.tty; all it was sent in $tmp/NAME.raw.
on_terminal() {
	script -qec "stty cols 60 rows 40; $2" /dev/null </dev/null >"$tmp/$1.raw"
	sed -e "s/${cr}\$//" -e "s/${cr}[^${cr}]*${esc}\[K//g" "$tmp/$1.raw" >"$tmp/$1.tty"
}
slow_pid=
if $have_script; then
	on_terminal slow "'$CLOSEPROBE' run --captures '$tmp/c' '$tmp/slow.case'" &
	slow_pid=$!
	# Ended early (a skip): it ends first, within its couple of seconds.
	trap '[ -z "$slow_pid" ] || wait "$slow_pid"; rm -rf "$tmp"' EXIT
fi

# Text on standard output: the platform, the verdicts, the summary.
"$CLOSEPROBE" run --captures "$tmp/c" --json "$tmp/run.json" "$tmp/bad.case" \
    "$tmp/both.case" >"$tmp/out" 2>"$tmp/err"
status=$?
skip_without_namespaces "$tmp/out"
[ "$status" -eq 1 ] || fail "a failing case: status $status, expected 1: $(cat "$tmp/err")"
head -n 1 "$tmp/out" | grep -q '^platform: Linux .*, stack linux .*, closeprobe [0-9]' ||
	fail "the first line is not the platform: $(head -n 1 "$tmp/out")"
[ "$(grep -c '^platform: ' "$tmp/out")" -eq 1 ] || fail "the platform is said more than once"
grep -q '^bad: FAIL\. ' "$tmp/out" && grep -q '^both (IPv4): PASS\. ' "$tmp/out" &&
    grep -q '^both (IPv6): PASS\. ' "$tmp/out" || fail "verdicts: $(cat "$tmp/out")"
tail -n 1 "$tmp/out" | grep -qx 'closeprobe: 3 case runs of 2 cases: 2 passed, 1 failed, 0 skipped, 0 errors; failed: bad' ||
	fail "summary: $(tail -n 1 "$tmp/out")"
# The verdict files hold the verdicts as printed.
sed -n '/^both (IPv6): /,/^  server: /p' "$tmp/out" >"$tmp/printed"
cmp -s "$tmp/printed" "$tmp/c/both-v6.txt" || fail "both-v6.txt is not the printed verdict"
jq_true "$tmp/run.json" '.platform.os == "Linux" and (.platform.sysctls | type) == "object"'
jq_true "$tmp/run.json" '[.cases[] | .case + "/" + (.family | tostring) + " " + .status] ==
    ["bad/4 FAIL", "both/4 PASS", "both/6 PASS"]'
jq_true "$tmp/run.json" '.summary | .cases == 2 and .case_runs == 3 and .passed == 2 and
    .failed == 1 and .failed_runs == ["bad"] and .exit_status == 1'
# The layout others read line by line: a case run per line.
[ "$(grep -c '^{"case":' "$tmp/run.json")" -eq 3 ] || fail "not one line per case run"

# --json -: the JSON alone on standard output, the text on standard error.
"$CLOSEPROBE" run --captures "$tmp/c" --json - "$tmp/both.case" >"$tmp/out" 2>"$tmp/err" ||
	fail "--json -: status $?: $(cat "$tmp/err")"
head -c 12 "$tmp/out" | grep -q '^{"version":' || fail "--json -: stdout: $(head -c 200 "$tmp/out")"
grep -q '^both (IPv4): PASS' "$tmp/out" && fail "--json -: the text went to standard output"
grep -q '^both (IPv4): PASS' "$tmp/err" && head -n 1 "$tmp/err" | grep -q '^platform: ' ||
	fail "--json -: no text on standard error: $(cat "$tmp/err")"
jq_true "$tmp/out" '.summary.case_runs == 2 and .summary.exit_status == 0'

# A case file that does not parse: nothing runs, its message is said once,
# and the JSON has its record.
"$CLOSEPROBE" run --captures "$tmp/c2" --json - "$tmp/typo.case" "$tmp/both.case" \
    >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 99 ] || fail "a bad case file with --json: status $status"
[ "$(grep -c . "$tmp/err")" -eq 1 ] && grep -q "^$tmp/typo.case:4:11: unknown step 'sned'" "$tmp/err" ||
	fail "a bad case file with --json: stderr: $(cat "$tmp/err")"
[ ! -e "$tmp/c2" ] || fail "a bad case file with --json: something ran"
grep -q "\"file\":\"$tmp/typo.case\",\"status\":\"ERROR\",\"error\":\"$tmp/typo.case:4:11: unknown step 'sned'" \
    "$tmp/out" || fail "no record for the bad case file: $(cat "$tmp/out")"
jq_true "$tmp/out" '.summary.bad_files == 1 and .summary.exit_status == 99 and
    (.cases | length) == 1'

# --brief: one line per case run, why for what did not pass.
"$CLOSEPROBE" run -q --captures "$tmp/c" "$tmp/both.case" "$tmp/bad.case" >"$tmp/out" 2>"$tmp/err"
cat >"$tmp/want" <<EOF
both (IPv4): PASS
both (IPv6): PASS
bad: FAIL. $tmp/bad.case:8: expect teardown rst from server; observed teardown fin (and 1 more)
closeprobe: 3 case runs of 2 cases: 2 passed, 1 failed, 0 skipped, 0 errors; failed: bad
EOF
# Who sent the first FIN is the race of two closes: not compared.
sed -i 's/observed teardown fin from [a-z]*/observed teardown fin/' "$tmp/want"
sed -e 1d -e 's/observed teardown fin from [a-z]*/observed teardown fin/' "$tmp/out" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "--brief: $(cat "$tmp/out")"

# On a pipe: no escape sequence, no carriage return, nothing wrapped.
"$CLOSEPROBE" run --captures "$tmp/c" "$tmp/both.case" >"$tmp/out" 2>"$tmp/err"
if grep -q "$(printf '\033')" "$tmp/out" "$tmp/err" || grep -q "$(printf '\r')" "$tmp/out" "$tmp/err"; then
	fail "escape sequences on a pipe: $(cat -A "$tmp/out" "$tmp/err" | head -n 5)"
fi
grep -q '^both (IPv4): PASS.* Evidence: .*dropped)\.$' "$tmp/out" || fail "a paragraph was wrapped on a pipe"

# On a terminal.
if ! $have_script; then
	echo "SKIP: no script(1) (bsdutils): the terminal was not tried"
else
	on_terminal colour "'$CLOSEPROBE' run --captures '$tmp/c' '$tmp/both.case' '$tmp/bad.case'"
	grep -q "^both (IPv4): ${esc}\[32mPASS${esc}\[0m\. " "$tmp/colour.tty" ||
		fail "no colour on a terminal: $(cat -A "$tmp/colour.tty" | head -n 5)"
	grep -q "^bad: ${esc}\[1;31mFAIL${esc}\[0m\. " "$tmp/colour.tty" || fail "FAIL is not red"
	grep -q "${cr}\[1/2\] both${esc}\[K" "$tmp/colour.raw" ||
		fail "no progress line: $(cat -A "$tmp/colour.raw" | head -n 3)"
	# Every line of a paragraph fits; joined, the paragraph is the runner's.
	plain=$(sed -e "s/${esc}\[[0-9;]*m//g" "$tmp/colour.tty")
	printf '%s\n' "$plain" | awk '/^[a-z0-9-]+( \(IPv[46]\))?: [A-Z]+\./ { on = 1 } /^  / { on = 0 }
	    on && length($0) > 60 { bad = 1; print "too wide: " $0 } END { exit bad }' ||
		fail "a wrapped line is wider than the terminal"
	printf '%s\n' "$plain" | awk '/^both \(IPv6\): PASS\./ { on = 1 } on && /^  / { exit } on { printf "%s%s", sep, $0; sep = " " }' >"$tmp/joined"
	head -n 1 "$tmp/c/both-v6.txt" | tr -d '\n' >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/joined" || fail "the wrapped paragraph is not the verdict: [$(cat "$tmp/joined")]"
	NO_COLOR=1 on_terminal nocolour "'$CLOSEPROBE' run --captures '$tmp/c' '$tmp/both.case'"
	grep -q "${esc}\[[0-9;]*m" "$tmp/nocolour.tty" && fail "colour although NO_COLOR is set"
	grep -q '^both (IPv4): PASS\. ' "$tmp/nocolour.tty" || fail "NO_COLOR: $(cat -A "$tmp/nocolour.tty" | head -n 3)"
	# A case that moves megabytes for a while: the progress line counts them.
	wait "$slow_pid"
	slow_pid=
	if grep -q "^slow: ${esc}\[32mPASS" "$tmp/slow.tty"; then
		grep -q "${cr}\[1/1\] slow, [0-9.]* MiB on the wire${esc}\[K" "$tmp/slow.raw" ||
			fail "no byte count in the progress line: $(cat -A "$tmp/slow.raw" | head -n 3)"
	else
		echo "SKIP: slow.case did not pass here: the byte count was not tried"
	fi
fi

[ "$failures" -eq 0 ] || exit 1
exit 0
