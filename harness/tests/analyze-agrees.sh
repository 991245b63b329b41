#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# analyze-agrees.sh - "closeprobe analyze captures/<case>.pcap" reproduces the
# wire half of the run's verdict, for every case of the suite.
#
# Reads the one suite run make check makes (lib.sh's suite_results:
# suite-run.sh, its JSON and pcaps; run by hand, a run of its own), then
# for each case compares the "wire" object of the run's JSON (teardown
# class, per side: packets, payload and acked bytes, FIN and first RST with
# kind, time and record number) with the "wire" object analyze --json
# writes for the same connection (the last one on the case's two ports, as
# the run picks it).  Both are printed by the same format, so they must be
# equal as text.  POSIX sh, grep -E and sed only.
#
# Environment: CLOSEPROBE (the binary), srcdir (for cases/),
# CLOSEPROBE_SUITE_DIR (the suite run).  Exit: 0 all agree, 1 some
# differ, 77 the suite cannot run here, 99 harness error.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin analyze-agrees
suite_results "${1:-}"
case $suite_status in
0|1)	;;
*)	echo "closeprobe run failed ($suite_status):"; cat "$suite/suite.text"; exit 99 ;;
esac

# The "wire" object: {"teardown":..,"client":{..},"server":{..}}, whose
# sides hold flat objects or null.
side='\{([^{}]|\{[^{}]*\})*\}'
wire_re="\"wire\":\\{\"teardown\":\"[^\"]*\",\"client\":$side,\"server\":$side\\}"

field() {	# field NAME LINE: a number or a string's content
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

checked=0 failed=0
grep '^{"case":' "$suite/suite.json" >"$tmp/cases.jsonl" || {
	echo "no case in $suite/suite.json"; exit 99; }
while IFS= read -r line; do
	name=$(field case "$line")
	run_wire=$(printf '%s\n' "$line" | grep -oE "$wire_re")
	if [ -z "$run_wire" ]; then
		echo "skip   $name: the run has no wire verdict"
		continue
	fi
	pcap=$(printf '%s\n' "$line" | sed -n 's/.*"evidence":{"pcap":"\([^"]*\)".*/\1/p')
	server=$(field server_port "$line")
	client=$(field client_port "$line")
	"$CLOSEPROBE" analyze --json "$pcap" >"$tmp/analyze.jsonl" 2>"$tmp/analyze.err"
	arc=$?
	if [ "$arc" -ne 0 ] && [ "$arc" -ne 1 ]; then
		echo "FAIL   $name: closeprobe analyze $pcap exited $arc:"
		cat "$tmp/analyze.err"
		failed=$((failed + 1))
		continue
	fi
	conn=$(grep -E "\"id\\.orig_p\":($client|$server),\"id\\.resp_h\":\"[^\"]*\",\"id\\.resp_p\":($client|$server)," \
	    "$tmp/analyze.jsonl" | tail -n 1)
	[ -n "$conn" ] || conn=$(grep '^{"type":"conn"' "$tmp/analyze.jsonl" | head -n 1)
	analyze_wire=$(printf '%s\n' "$conn" | grep -oE "$wire_re")
	checked=$((checked + 1))
	# analyze reports a finished connection at its end (README, Memory):
	# a segment after it (a retransmitted FIN's ACK) is counted in the
	# file's late_packets, not in the row, where the run counts it.  The
	# same wire but for exactly those packets agrees.
	late=$(grep '^{"type":"file"' "$tmp/analyze.jsonl" | head -n 1)
	late=$(field late_packets "$late")
	run_c=$(printf '%s\n' "$run_wire" | sed -n 's/.*"client":{"packets":\([0-9]*\).*/\1/p')
	run_s=$(printf '%s\n' "$run_wire" | sed -n 's/.*"server":{"packets":\([0-9]*\).*/\1/p')
	an_c=$(printf '%s\n' "$analyze_wire" | sed -n 's/.*"client":{"packets":\([0-9]*\).*/\1/p')
	an_s=$(printf '%s\n' "$analyze_wire" | sed -n 's/.*"server":{"packets":\([0-9]*\).*/\1/p')
	moved=
	if [ -n "$late" ] && [ "$late" -gt 0 ] && [ -n "$an_c" ] && [ -n "$an_s" ] &&
	    [ $((run_c + run_s - an_c - an_s)) -eq "$late" ]; then
		moved=$(printf '%s\n' "$analyze_wire" |
		    sed "s/\"client\":{\"packets\":$an_c,/\"client\":{\"packets\":$run_c,/; s/\"server\":{\"packets\":$an_s,/\"server\":{\"packets\":$run_s,/")
	fi
	if [ "$run_wire" = "$analyze_wire" ]; then
		echo "ok     $name: $(field teardown "$run_wire")"
	elif [ -n "$moved" ] && [ "$run_wire" = "$moved" ]; then
		echo "ok     $name: $(field teardown "$run_wire") ($late late packet(s) after its end, counted apart)"
	else
		echo "FAIL   $name: analyze disagrees with the run"
		echo "  run:     $run_wire"
		echo "  analyze: ${analyze_wire:-(no connection)}"
		failed=$((failed + 1))
	fi
done <"$tmp/cases.jsonl"

echo "$checked case(s) compared, $failed disagreement(s)"
[ "$checked" -gt 0 ] || exit 99
[ "$failed" -eq 0 ] || exit 1
exit 0
