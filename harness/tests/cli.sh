#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# cli.sh - the command line: one option parser for every command (options
# before or after operands, per-command --help, "closeprobe help"), one
# message form ("closeprobe: FILE: what"; case files "FILE:LINE:COL:"), a
# bad command line is one line, "Try ...", status 2; bad case files never
# run; cases are chosen by name; the same file twice runs once; a case
# named unlike its file is warned about; a linked captures directory is
# refused before anything runs; run and list read ./cases, else the
# installed cases.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin cli

# expect_status STATUS COMMAND...: the status, with stdout in $tmp/out and
# stderr in $tmp/err.
expect_status() {
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$tmp/err")"
}

# expect_usage_error MESSAGE TRY COMMAND...: status 2, and exactly the two
# lines "closeprobe: MESSAGE" and "Try 'TRY --help'." on standard error.
expect_usage_error() {
	message=$1 try=$2; shift 2
	expect_status 2 "$@"
	printf 'closeprobe: %s\nTry '"'"'%s --help'"'"'.\n' "$message" "$try" >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/err" || fail "'$*': stderr [$(cat "$tmp/err")], expected [$(cat "$tmp/want")]"
}

# A typo in a step: file:line:col, a suggestion, status 99, no evidence.
cat >"$tmp/typo.case" <<'CASE'
# a case with a typo
case      typo
client:   connect
          sned 100
server:   accept
          recv all
expect:   teardown fin
CASE
expect_status 99 "$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/typo.case"
grep -q "^$tmp/typo.case:4:11: unknown step 'sned' (did you mean 'send'?)$" "$tmp/err" ||
	fail "typo message: $(cat "$tmp/err")"
[ ! -e "$tmp/captures/typo.pcap" ] || fail "a bad case file produced evidence"

# A bad file among good ones: nothing runs at all.
cat >"$tmp/good.case" <<'CASE'
# A good case: one orderly close.
case      good
client:   connect
          close
server:   accept
          recv all
          close
expect:   teardown fin
CASE
expect_status 99 "$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/good.case" "$tmp/typo.case"
[ ! -e "$tmp/captures/good.pcap" ] || fail "a good case ran although another file was bad"

# Two files with one case name would overwrite each other's evidence.
mkdir "$tmp/other" || exit 99
cp "$tmp/good.case" "$tmp/other/good.case"
expect_status 99 "$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/good.case" "$tmp/other/good.case"
grep -q "^closeprobe: $tmp/other/good.case: case name 'good' is already used by $tmp/good.case$" \
    "$tmp/err" || fail "duplicate name: $(cat "$tmp/err")"
expect_status 99 "$CLOSEPROBE" run --json - --captures "$tmp/captures" "$tmp/good.case" \
    "$tmp/other/good.case"
grep -q "\"file\":\"$tmp/other/good.case\",\"status\":\"ERROR\",\"error\":\"$tmp/other/good.case: case name 'good' is already used" \
    "$tmp/out" || fail "no JSON record for the duplicate name: $(cat "$tmp/out")"
[ ! -e "$tmp/captures/good.pcap" ] || fail "a case ran although two had one name"

# A missing operand: 99, "closeprobe: FILE: what".
expect_status 99 "$CLOSEPROBE" run "$tmp/no-such.case"
grep -q "^closeprobe: $tmp/no-such.case: No such file or directory$" "$tmp/err" ||
	fail "missing file: $(cat "$tmp/err")"
expect_status 99 "$CLOSEPROBE" list "$tmp/no-such-dir/"
grep -q "^closeprobe: $tmp/no-such-dir/: No such file or directory$" "$tmp/err" ||
	fail "missing directory: $(cat "$tmp/err")"

# Bad command lines: one line, then where to look, status 2.
expect_usage_error "no command (run, list, analyze, baseline, compare, draw or help)" closeprobe \
    "$CLOSEPROBE"
expect_usage_error "unknown command 'frobnicate'" closeprobe "$CLOSEPROBE" frobnicate
expect_usage_error "unknown command 'rnu' (did you mean 'run'?)" closeprobe "$CLOSEPROBE" rnu
expect_usage_error "unknown option '--frob'" closeprobe "$CLOSEPROBE" --frob
expect_usage_error "unknown option '--bogus'" "closeprobe run" "$CLOSEPROBE" run --bogus
expect_usage_error "unknown option '--brif' (did you mean '--brief'?)" "closeprobe run" \
    "$CLOSEPROBE" run --brif "$tmp/good.case"
expect_usage_error "unknown option '-Z'" "closeprobe list" "$CLOSEPROBE" list -Z
expect_usage_error "option '--captures' needs an argument" "closeprobe run" \
    "$CLOSEPROBE" run "$tmp/good.case" --captures
expect_usage_error "option '--brief' takes no argument" "closeprobe run" \
    "$CLOSEPROBE" run --brief=yes "$tmp/good.case"
expect_usage_error "--jobs needs a number of cases to run at once (0 to 256), not 'x'" \
    "closeprobe run" "$CLOSEPROBE" run -j x "$tmp/good.case"
CLOSEPROBE_JOBS=many expect_usage_error \
    "CLOSEPROBE_JOBS needs a number of cases to run at once (0 to 256), not 'many'" \
    "closeprobe run" "$CLOSEPROBE" run "$tmp/good.case"
expect_usage_error "only one of --tap, --json - and --junit - can write to standard output" \
    "closeprobe run" "$CLOSEPROBE" run --tap --json - "$tmp/good.case"
expect_usage_error "one command at most" "closeprobe help" "$CLOSEPROBE" help run list

# Help: the program's, each command's, as "--help" and as "help COMMAND".
expect_status 0 "$CLOSEPROBE" --help
grep -q '^usage: closeprobe run ' "$tmp/out" || fail "--help: $(cat "$tmp/out")"
expect_status 0 "$CLOSEPROBE" help
grep -q '^       closeprobe help \[COMMAND\]$' "$tmp/out" || fail "help: $(cat "$tmp/out")"
for command in run list analyze baseline compare; do
	expect_status 0 "$CLOSEPROBE" "$command" --help
	cp "$tmp/out" "$tmp/help-option"
	grep -q "^usage: closeprobe $command" "$tmp/out" ||
		fail "$command --help: $(head -n 1 "$tmp/out")"
	expect_status 0 "$CLOSEPROBE" help "$command"
	cmp -s "$tmp/out" "$tmp/help-option" || fail "'help $command' is not '$command --help'"
done
expect_status 0 "$CLOSEPROBE" list -h
grep -q '^usage: closeprobe list' "$tmp/out" || fail "list -h: $(cat "$tmp/out")"
expect_usage_error "unknown command 'lsit' (did you mean 'list'?)" closeprobe \
    "$CLOSEPROBE" help lsit
expect_status 0 "$CLOSEPROBE" --version
grep -q '^closeprobe [0-9]' "$tmp/out" || fail "--version: $(cat "$tmp/out")"

# Options after the operands, and cases chosen by name.
cat >"$tmp/other/second.case" <<'CASE'
# Another good case.
case      second
client:   connect
          close
server:   accept
          close
expect:   teardown fin
CASE
cp "$tmp/good.case" "$tmp/other/first.case"
sed -i 's/^case .*/case      first/' "$tmp/other/first.case"
expect_status 0 "$CLOSEPROBE" list "$tmp/other" --only 'f*'
[ "$(grep -c '^| `' "$tmp/out")" -eq 1 ] && grep -q '^| `first` |' "$tmp/out" ||
	fail "list DIR --only 'f*': $(cat "$tmp/out")"
expect_status 0 "$CLOSEPROBE" list --skip first "$tmp/other"
grep -q '^| `first` |' "$tmp/out" && fail "--skip first still lists first"
grep -q '^| `good` |' "$tmp/out" && grep -q '^| `second` |' "$tmp/out" ||
	fail "--skip first: $(cat "$tmp/out")"
expect_status 0 "$CLOSEPROBE" list --only first --only 'sec*' -- "$tmp/other"
[ "$(grep -c '^| `' "$tmp/out")" -eq 2 ] || fail "two --only: $(cat "$tmp/out")"
expect_usage_error "--only 'nothing-like-it' matches no case" "closeprobe list" \
    "$CLOSEPROBE" list --only nothing-like-it "$tmp/other"
expect_usage_error "--skip leaves no case to run" "closeprobe run" \
    "$CLOSEPROBE" run --skip '*' --captures "$tmp/captures" "$tmp/other"

# run and list read ./cases when there is one, else the installed cases.
mkdir -p "$tmp/tree/cases" "$tmp/elsewhere" || exit 99
cp "$tmp/other/first.case" "$tmp/tree/cases/"
(cd "$tmp/tree" && "$CLOSEPROBE" list) >"$tmp/out" 2>"$tmp/err" ||
	fail "list in a tree with cases/: $(cat "$tmp/err")"
grep -q '^| `first` |' "$tmp/out" || fail "list did not read ./cases: $(cat "$tmp/out")"
installed=$("$CLOSEPROBE" run --help | sed -n 's/.*installed cases (\(.*\))\.$/\1/p')
[ -n "$installed" ] || fail "run --help does not name the installed cases"
(cd "$tmp/elsewhere" && "$CLOSEPROBE" list) >"$tmp/out" 2>"$tmp/err"
status=$?
if [ -d "$installed" ]; then
	[ "$status" -eq 0 ] || fail "list of the installed cases ($installed): $(cat "$tmp/err")"
else
	[ "$status" -eq 99 ] && grep -q "^closeprobe: $installed: " "$tmp/err" ||
		fail "list without ./cases did not look in $installed: $status $(cat "$tmp/err")"
fi

# A captures directory that is a symbolic link is refused before anything
# runs, however it is written.
mkdir "$tmp/real" || exit 99
ln -s "$tmp/real" "$tmp/link"
for dir in "$tmp/link" "$tmp/link/" "$tmp/link//"; do
	expect_status 99 "$CLOSEPROBE" run --captures "$dir" "$tmp/good.case"
	grep -q "^closeprobe: $tmp/link: the captures directory is a symbolic link" "$tmp/err" ||
		fail "--captures $dir: $(cat "$tmp/err")"
	[ -z "$(ls "$tmp/real")" ] || fail "--captures $dir: something ran: $(ls "$tmp/real")"
	[ ! -s "$tmp/out" ] || fail "--captures $dir: output: $(cat "$tmp/out")"
done

# The same file twice (also through its directory) is one case, and runs
# once; a case named unlike its file runs, with a warning.
cp "$tmp/other/second.case" "$tmp/other/misnamed.case"
"$CLOSEPROBE" run --captures "$tmp/captures" --only 'good' "$tmp/good.case" \
    "$tmp/good.case" "$tmp/./good.case" >"$tmp/out" 2>"$tmp/err"
status=$?
skip_without_namespaces "$tmp/out"
[ "$status" -eq 0 ] || fail "the same file three times: status $status: $(cat "$tmp/err")"
[ "$(grep -c '^good: ' "$tmp/out")" -eq 1 ] || fail "the same file ran more than once: $(cat "$tmp/out")"
mkdir "$tmp/renamed" || exit 99
cp "$tmp/other/second.case" "$tmp/renamed/misnamed.case"
expect_status 0 "$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/renamed"
grep -q "^closeprobe: $tmp/renamed/misnamed.case: warning: the case is named 'second', so its evidence is second\.\*, not misnamed\.\* (name the file second.case)$" \
    "$tmp/err" || fail "no warning for a case named unlike its file: $(cat "$tmp/err")"
grep -q '^second: PASS' "$tmp/out" || fail "the misnamed case did not run: $(cat "$tmp/out")"

[ "$failures" -eq 0 ] || exit 1
exit 0
