#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# signals.sh - a run stopped with SIGTERM or SIGINT, sent to closeprobe or
# to its whole process group, flushes complete evidence, reports ERROR
# with what each role was doing, runs no further case, and leaves no
# process.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin signals

# The server never answers: the client's recv would block for 30 s.
cat >"$tmp/hang.case" <<'CASE'
case      hang
deadline  30s
client:   connect
          send 10
          recv all
server:   accept
          wait client.done
expect:   teardown fin
CASE
cat >"$tmp/after.case" <<'CASE'
case      zz-after
client:   connect
          close
server:   accept
          recv all
          close
expect:   teardown fin
CASE

# To closeprobe alone, then to its whole process group as a terminal's
# Ctrl-C does: every process of the run gets the signal then, and the roles
# must not die of it before the coordinator has said what each was doing.
# setsid gives the run a process group of its own (its id, closeprobe's pid).
for how in "TERM process" "INT process" "INT group" "TERM group"; do
	sig=${how% *}
	to=${how#* }
	rm -rf "$tmp/captures"
	if [ "$to" = group ]; then
		if ! command -v setsid >/dev/null 2>&1; then
			echo "no setsid: SIG$sig to the process group not tried"
			continue
		fi
		setsid "$CLOSEPROBE" run -j 1 --captures "$tmp/captures" "$tmp/hang.case" \
		    "$tmp/after.case" >"$tmp/out" 2>&1 &
	else
		"$CLOSEPROBE" run -j 1 --captures "$tmp/captures" "$tmp/hang.case" \
		    "$tmp/after.case" >"$tmp/out" 2>&1 &
	fi
	pid=$!
	# Wait (bounded) until the roles are blocked: the capture file exists
	# and the client's data has been sent.
	wait_for_file "$tmp/captures/hang.pcap.*.tmp" || fail "the run never started its capture"
	sleep 0.2
	if [ "$to" = group ]; then
		pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
		[ "$pgid" = "$pid" ] || fail "SIG$sig to the $to: closeprobe is not its group's leader ($pgid)"
		kill -s "$sig" -- -"$pid"
	else
		kill -s "$sig" "$pid"
	fi
	wait "$pid"
	status=$?
	skip_without_namespaces "$tmp/out"
	[ "$status" -eq 99 ] || fail "SIG$sig to the $to: exit status $status, expected 99"
	# What each role was doing, not that one died of the signal itself.
	grep -q "hang: ERROR. stopped by SIG$sig: client at [^;]*'recv all'.*; server at [^;]*'wait client.done'" "$tmp/out" ||
		fail "SIG$sig to the $to: the report does not say what was stopped: $(head -c 400 "$tmp/out")"
	grep -q "closeprobe: stopped by SIG$sig; 1 of 2 cases not run" "$tmp/out" ||
		fail "SIG$sig to the $to: the remaining case was not skipped"
	[ ! -e "$tmp/captures/zz-after.pcap" ] || fail "SIG$sig to the $to: a case ran after the signal"
	# Complete evidence: a pcap with the handshake, and no temporary files.
	if [ -s "$tmp/captures/hang.pcap" ]; then
		if command -v tcpdump >/dev/null 2>&1; then
			n=$(tcpdump -nn -r "$tmp/captures/hang.pcap" 2>/dev/null | grep -c 'Flags \[S')
			[ "$n" -ge 2 ] || fail "SIG$sig to the $to: the pcap lacks the handshake"
		fi
	else
		fail "SIG$sig to the $to: no pcap"
	fi
	ls "$tmp"/captures/*.tmp >/dev/null 2>&1 && fail "SIG$sig to the $to: temporary files left"
	# No process left: every role and coordinator ran with the case path in argv.
	if ps -eo args | grep -v grep | grep -q "$tmp/hang.case"; then
		fail "SIG$sig to the $to: processes left behind: $(ps -eo pid,args | grep "$tmp/hang.case" | grep -v grep)"
	fi
done
[ "$failures" -eq 0 ]
