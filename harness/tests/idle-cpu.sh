#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# idle-cpu.sh - a run whose roles only pause costs next to no CPU, even
# when a forked child has ended before its parent: the child is a zombie
# of the role that forked it, which only that role can collect, and its
# pidfd stays readable the whole time (the supervisor once spun on it:
# 1.4 s of CPU over a 2 s pause).
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin idle-cpu

cat >"$tmp/child-gone.case" <<'CASE'
case      child-gone
client:   connect
          recv 10
          pause 2s
          close
server:   accept
          fork
          pause 2s
          close
server.child:
          send 10
expect:   teardown fin
CASE

# CPU seconds of the subshell's children (closeprobe and all it collected),
# from the shell's own times: user and system, on its second line.  Both
# dash ("0m1.460000s") and bash ("0m1.460s") write minutes and seconds.
cpu=$(
	"$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/child-gone.case" >"$tmp/out" 2>&1
	echo "$?" >"$tmp/status"
	# Not in a pipeline: that would be a subshell with no children.
	times
) || fail "times failed"
cpu=$(echo "$cpu" | sed -n 2p)
skip_without_namespaces "$tmp/out"
[ "$(cat "$tmp/status")" -eq 0 ] || fail "the case did not pass: $(head -c 400 "$tmp/out")"
seconds=$(echo "$cpu" | awk '{
	t = 0
	for (i = 1; i <= 2; i++) {
		split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2]
	}
	print t
}')
echo "CPU over a 2 s pause: $seconds s ($cpu)"
awk -v s="$seconds" 'BEGIN { exit !(s < 0.3) }' ||
	fail "the run took $seconds s of CPU over a 2 s pause (at most 0.3 s expected)"
[ "$failures" -eq 0 ]
