#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# platform.sh - a case with expectations only for another system runs,
# reports what it observed, and skips (77) instead of guessing.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin platform
[ "$(uname -s)" = Linux ] || { echo "this test assumes Linux"; exit 77; }

cat >"$tmp/elsewhere.case" <<'CASE'
case      elsewhere
client:   connect
          send 100
          wait server.closed
          recv all
server:   accept
          await unread 100
          close
expect freebsd:
          teardown fin from server
CASE
"$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/elsewhere.case" >"$tmp/out" 2>&1
status=$?
cat "$tmp/out"
skip_without_namespaces "$tmp/out"
[ "$status" -eq 77 ] || { echo "FAIL: exit status $status, expected 77"; exit 1; }
grep -q "elsewhere: SKIP. the case has no expectations for linux" "$tmp/out" ||
	{ echo "FAIL: the skip does not say why"; exit 1; }
# What was observed is still reported, and the other system's line is not judged.
grep -q "Wire: rst; RST+ACK from server" "$tmp/out" || { echo "FAIL: no observation"; exit 1; }
grep -q "skip .*expect teardown fin from server; observed not judged on linux" "$tmp/out" ||
	{ echo "FAIL: the freebsd expectation was judged"; exit 1; }
exit 0
