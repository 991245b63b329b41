#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# leftovers.sh - nothing outlives a run: after a passing case, a failing
# case, a case that hits its deadline and a run stopped with SIGTERM there
# are no more network namespaces, veth links, nftables tables, qdiscs or
# processes than before.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin leftovers

# Everything a run could leave behind in this namespace.  The case's own
# namespaces are held only by its processes' descriptors (never mounted),
# so they exist exactly as long as a process of the run does; other tests
# running meanwhile have namespaces of their own, so processes are checked
# by their command line below rather than by counting namespaces.
inventory() {
	{
		echo "links:"
		ip -o link show 2>/dev/null | sed 's/^[0-9]*: //; s/:.*//' | sort
		echo "qdiscs:"
		tc qdisc show 2>/dev/null | sort
		echo "nft:"
		nft list tables 2>/dev/null | sort
	} | grep -v "^$"
}

cat >"$tmp/fails.case" <<'CASE'
case      fails
topology  veth
rate      server->client 50mbit
client:   connect
          send 100
          recv all
server:   accept
          recv 100
          send 1000
          close
expect:   teardown rst            # wrong on purpose: it is a FIN
CASE
cat >"$tmp/hangs.case" <<'CASE'
case      hangs
topology  veth
deadline  1s
client:   connect
          recv all
server:   accept
          wait client.done
expect:   teardown fin
CASE

inventory >"$tmp/before"
"$CLOSEPROBE" run --captures "$tmp/c" "$srcdir/cases/close-unread-truncates.case" >"$tmp/out" 2>&1
status=$?
skip_without_namespaces "$tmp/out"
[ "$status" -eq 0 ] || { echo "FAIL: the passing case did not pass"; cat "$tmp/out"; exit 1; }
"$CLOSEPROBE" run --captures "$tmp/c" "$tmp/fails.case" >"$tmp/out" 2>&1
status=$?
if grep -q "SKIP" "$tmp/out"; then
	echo "veth is not available here:"; cat "$tmp/out"; exit 77
fi
[ "$status" -eq 1 ] || { echo "FAIL: the failing case exited $status"; cat "$tmp/out"; exit 1; }
"$CLOSEPROBE" run --captures "$tmp/c" "$tmp/hangs.case" >"$tmp/out" 2>&1
[ $? -eq 99 ] || { echo "FAIL: the hanging case did not end at its deadline"; exit 1; }
"$CLOSEPROBE" run --captures "$tmp/c" "$tmp/hangs.case" >"$tmp/out" 2>&1 &
pid=$!
wait_for_file "$tmp/c/hangs.pcap.*.tmp" || fail "the run never started its capture"
kill -TERM "$pid"
wait "$pid"
inventory >"$tmp/after"
if ! diff -u "$tmp/before" "$tmp/after"; then
	echo "FAIL: the runs left something behind (diff above)"
	exit 1
fi
# Every process of these runs has the temporary directory in its argv.
left=$(ps -eo pid=,args= | grep "$tmp/" | grep -v grep)
if [ -n "$left" ]; then
	echo "FAIL: processes left: $left"
	exit 1
fi
# ... and so would any process still holding one of the case's namespaces.
for pid in $(ps -eo pid= ); do
	if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$tmp/"; then
		echo "FAIL: process $pid ($(readlink "/proc/$pid/ns/net")) is left"
		exit 1
	fi
done
echo "nothing left: $(grep -c . "$tmp/after") items inventoried before and after"
[ "$failures" -eq 0 ]
