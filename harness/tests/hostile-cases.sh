#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# hostile-cases.sh - every class of mistake in a case file gives one clear
# message with file:line:col, status 99, and never starts a socket (not
# even the captures directory is made).
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin hostile
n=0

# check NAME EXPECTED-MESSAGE-REGEX < case text
check() {
	name=$1 want=$2
	cat >"$tmp/$name.case"
	n=$((n + 1))
	"$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/$name.case" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 99 ]; then
		echo "FAIL: $name: status $status, expected 99"; failures=$((failures + 1))
	elif [ "$(grep -c . "$tmp/err")" -ne 1 ]; then
		echo "FAIL: $name: not one message: $(cat "$tmp/err")"; failures=$((failures + 1))
	elif ! grep -Eq "^$tmp/$name.case:[0-9]+:[0-9]+: .*$want" "$tmp/err"; then
		echo "FAIL: $name: message: $(cat "$tmp/err")"; failures=$((failures + 1))
	elif [ -e "$tmp/captures" ]; then
		echo "FAIL: $name: something ran"; failures=$((failures + 1))
	fi
}

check unknown-step "unknown step 'sned' \(did you mean 'send'\?\)" <<'CASE'
case x
client: connect
        sned 1
server: accept
expect: teardown fin
CASE
check bad-number "size" <<'CASE'
case x
client: connect
        send 12x4
server: accept
expect: teardown fin
CASE
check overflow "too large" <<'CASE'
case x
client: connect
        send 99999999999999999999
server: accept
expect: teardown fin
CASE
check missing-role "case has no 'server:' role" <<'CASE'
case x
client: connect
expect: teardown fin
CASE
check never-raised "client waits for 'server.bogus'" <<'CASE'
case x
client: connect
        wait server.bogus
server: accept
expect: teardown fin
CASE
check deadlock "client and server wait on each other" <<'CASE'
case x
client: connect
        wait server.sent
        send 1
server: accept
        wait client.sent
        send 1
expect: teardown fin
CASE
# Binary input is written first: a pipe into check would lose its counts.
printf 'case x\nclient: connect\n\001\002\003garbage\nserver: accept\nexpect: teardown fin\n' \
	>"$tmp/in"
check garbage "unexpected character 0x01" <"$tmp/in"
printf 'case x\nclient: conn\000ect\nserver: accept\nexpect: teardown fin\n' >"$tmp/in"
check nul-byte "NUL byte in case file" <"$tmp/in"
{
	printf 'case x\nclient: connect\n        send '
	head -c 1048576 /dev/zero | tr '\0' '7'
	printf '\nserver: accept\nexpect: teardown fin\n'
} >"$tmp/in"
check megabyte-line "size '7777" <"$tmp/in"
check expects-nothing "case expects nothing" <<'CASE'
case x
client: connect
server: accept
CASE

echo "$n hostile case files, $failures failures"
[ "$failures" -eq 0 ]
