#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# deadline.sh - a role that would block forever ends at the case deadline:
# status 99, a message that says what each role was doing, and the pcap
# still written.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin deadline

# The server never answers and never closes: the client's recv blocks.
cat >"$tmp/hang.case" <<'CASE'
case      hang
deadline  1s
client:   connect
          send 10
          recv all
server:   accept
          wait client.done
expect:   teardown fin
CASE
"$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/hang.case" >"$tmp/out" 2>&1
status=$?
cat "$tmp/out"
[ "$status" -eq 77 ] && exit 77
if [ "$status" -ne 99 ]; then
	echo "FAIL: exit status $status, expected 99"
	exit 1
fi
grep -q "hang: ERROR. deadline of 1 s passed: client at .*hang.case:5 'recv all'" "$tmp/out" ||
	{ echo "FAIL: the client's step is not named"; exit 1; }
grep -q "server at .*hang.case:7 'wait client.done'" "$tmp/out" ||
	{ echo "FAIL: the server's step is not named"; exit 1; }
[ -s "$tmp/captures/hang.pcap" ] || { echo "FAIL: no evidence written"; exit 1; }
[ -s "$tmp/captures/hang.txt" ] || { echo "FAIL: no verdict file written"; exit 1; }
exit 0
