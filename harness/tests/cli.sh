#!/bin/sh
# cli.sh - the command line: bad case files never run, and say where they
# are wrong; exit statuses follow automake (99 error, 2 usage).
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin cli


expect_status() {
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(cat "$tmp/err")"
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
grep -q "typo.case:4:11: unknown step 'sned' (did you mean 'send'?)" "$tmp/err" ||
	fail "typo message: $(cat "$tmp/err")"
[ ! -e "$tmp/captures/typo.pcap" ] || fail "a bad case file produced evidence"

# A bad file among good ones: nothing runs at all.
cat >"$tmp/good.case" <<'CASE'
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
cp "$tmp/good.case" "$tmp/good2.case"
expect_status 99 "$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/good.case" "$tmp/good2.case"
grep -q "case name 'good' is already used" "$tmp/err" || fail "duplicate name: $(cat "$tmp/err")"

expect_status 99 "$CLOSEPROBE" run "$tmp/no-such.case"
grep -q "no-such.case" "$tmp/err" || fail "missing file not named: $(cat "$tmp/err")"
expect_status 2 "$CLOSEPROBE" frobnicate
expect_status 2 "$CLOSEPROBE" run
expect_status 0 "$CLOSEPROBE" --version
grep -q '^closeprobe [0-9]' "$tmp/out" || fail "--version: $(cat "$tmp/out")"
expect_status 0 "$CLOSEPROBE" --help
grep -q 'usage: closeprobe run' "$tmp/out" || fail "--help: $(cat "$tmp/out")"

[ "$failures" -eq 0 ] || exit 1
exit 0
