#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tshark-agrees.sh - an independent reader checks closeprobe's wire verdict.
#
# Reads the one suite run make check makes (lib.sh's suite_results:
# suite-run.sh, its JSON and pcaps; run by hand, a run of its own), then
# reads every case's pcap with tshark (Wireshark's dissectors: no code of
# ours) and classifies the teardown here, in awk, from the rules the
# README states.  For each case run it compares, with the run's JSON:
#   - the teardown class (none, fin, half-fin, rst, fin-then-rst);
#   - per side: packets, payload bytes (highest sequence end, relative to
#     the side's first segment), the record number of its first FIN, and
#     of its first RST with the RST's kind (RST+ACK or bare) and how many
#     RSTs it sent.
# An RST after both sides' FINs is late (teardown stays fin) only when
# the segment it answers carries no new data and, with an ACK, the ACK
# covers the peer's FIN; one that refuses new data, or left before the
# peer's FIN reached it (their ACK short of it: the two crossed), makes
# the teardown fin-then-rst.
#
# tshark reads all the pcaps in one pass: mergecap puts them one after
# another into one pcapng file, each pcap an interface of its own (-I
# none), so that a frame's interface says which case run it is, its
# place among that interface's frames its record number in the pcap, and
# sequence numbers are taken raw (tshark would make them relative per
# conversation, and two cases may share addresses and ports).  Without
# mergecap, tshark reads each pcap in turn.
#
# Environment: CLOSEPROBE, srcdir, CLOSEPROBE_SUITE_DIR.  Exit: 0 all
# agree, 1 some differ, 77 tshark is missing or the suite cannot run here,
# 99 harness error.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark is not installed (apt-get install tshark)"
	exit 77
fi
test_begin tshark-agrees
suite_results "${1:-}"
case $suite_status in
0|1)	;;
*)	echo "closeprobe run failed ($suite_status):"; cat "$suite/suite.text"; exit 99 ;;
esac

# closeprobe's view, from the JSON: one canonical line per case run.
num='[0-9]+'
time='[-0-9.e]+'
fin="(null|\\{\"at_s\":$time,\"packet\":($num)\\})"
rst="(null|\\{\"kind\":\"([a-z+]+)\",\"at_s\":$time,\"packet\":($num),\"count\":($num),\"late\":(true|false)\\})"
side="\\{\"packets\":($num),\"payload_bytes\":($num),\"acked_bytes\":$num,\"fin\":$fin,\"rst\":$rst\\}"
ours() {	# ours JSON-LINE: "teardown client-side server-side"
	wire=$(printf '%s\n' "$1" | grep -oE "\"wire\":\\{\"teardown\":\"[a-z-]+\",\"client\":$side,\"server\":$side\\}")
	[ -n "$wire" ] || return 0
	teardown=$(printf '%s\n' "$wire" | sed -nE 's/^"wire":\{"teardown":"([a-z-]+)".*/\1/p')
	out=$teardown
	for who in client server; do
		out="$out $(printf '%s\n' "$wire" |
		    sed -nE "s/.*\"$who\":$side.*/\\1 \\2 fin=\\4 rst=\\6@\\7x\\8/p" |
		    sed -E 's/fin= /fin=- /; s/rst=@x$/rst=-/')"
	done
	printf '%s\n' "$out"
}

# The frames of every pcap listed in $tmp/runs (one "PCAP CLIENT-PORT
# SERVER-PORT" a line), one line each: "RUN|srcport|dstport|ack|fin|rst|
# raw seq|len|raw ack", RUN the pcap's line in $tmp/runs from 0; a frame that is
# not TCP has its TCP fields empty.
frames() {
	set --
	while read -r pcap cport sport; do
		set -- "$@" "$pcap"
	done <"$tmp/runs"
	fields="-e tcp.srcport -e tcp.dstport -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset
	    -e tcp.seq_raw -e tcp.len -e tcp.ack_raw"
	if command -v mergecap >/dev/null 2>&1; then
		mergecap -a -I none -w "$tmp/all.pcapng" "$@" 2>>"$tmp/tshark.err" || return 1
		# shellcheck disable=SC2086
		tshark -n -r "$tmp/all.pcapng" -T fields -E separator='|' -e frame.interface_id \
		    $fields 2>>"$tmp/tshark.err"
	else
		run=0
		for pcap in "$@"; do
			# shellcheck disable=SC2086
			tshark -n -r "$pcap" -T fields -E separator='|' $fields 2>>"$tmp/tshark.err" |
			    sed "s/^/$run|/"
			run=$((run + 1))
		done
	fi
}

# tshark's view of each run, classified here: "RUN line" per run.
theirs() {
	frames | awk -F'|' -v runs="$tmp/runs" '
	function flag(v) { return v == "1" || v == "True" }
	BEGIN {
		n = 0
		while ((getline l < runs) > 0) {
			split(l, w, " ")
			cport[n] = w[2]; sport[n] = w[3]; n++
		}
	}
	{
		r = $1
		record[r]++
		# The case'"'"'s connection: both its ports (tcp.port == C && tcp.port == S).
		if (!(($2 == cport[r] || $3 == cport[r]) && ($2 == sport[r] || $3 == sport[r])))
			next
		s = r SUBSEP (($2 == cport[r]) ? "c" : "s")
		o = r SUBSEP (($2 == cport[r]) ? "s" : "c")
		packets[s]++
		# Sequence numbers relative to the side'"'"'s first segment (its SYN).
		if (!(s in base)) base[s] = $7
		seq = $7 - base[s]
		if (seq < 0) seq += 4294967296
		end = seq + $8
		newdata = ($8 > 0 && end > high[s])
		if ($8 > 0 && end > high[s]) high[s] = end
		if (flag($5) && fin[s] == "") { fin[s] = record[r]; finnext[s] = ($7 + $8 + 1) % 4294967296 }
		if (flag($6)) {
			if (rst[s] == "") { rst[s] = record[r]; kind[s] = flag($4) ? "rst+ack" : "bare" }
			nrst[s]++
			# Late: both sides had finished, and the segment answered
			# (the peer'"'"'s last one) brought no new data.
			late = (fin[r, "c"] != "" && fin[r, "s"] != "" && !lastnew[o])
			# With an ACK short of the other side FIN, the two crossed.
			if (late && flag($4) && (finnext[o] - $9 + 4294967296) % 4294967296 > 0 &&
			    (finnext[o] - $9 + 4294967296) % 4294967296 < 2147483648) late = 0
			if (!late && first_rst[r] == "") first_rst[r] = record[r]
		}
		lastnew[s] = newdata
	}
	END {
		for (r = 0; r < n; r++) {
			c = r SUBSEP "c"; v = r SUBSEP "s"
			if (first_rst[r] != "") {
				before = (fin[c] != "" && fin[c] < first_rst[r]) ||
				    (fin[v] != "" && fin[v] < first_rst[r])
				teardown = before ? "fin-then-rst" : "rst"
			} else if (fin[c] != "" && fin[v] != "")
				teardown = "fin"
			else if (fin[c] != "" || fin[v] != "")
				teardown = "half-fin"
			else
				teardown = "none"
			line = r " " teardown
			split("c s", sides, " ")
			for (i = 1; i <= 2; i++) {
				x = r SUBSEP sides[i]
				pay = high[x] > 1 ? high[x] - 1 : 0
				line = line " " (packets[x] + 0) " " pay " fin=" (fin[x] == "" ? "-" : fin[x])
				line = line " rst=" (rst[x] == "" ? "-" : kind[x] "@" rst[x] "x" nrst[x])
			}
			print line
		}
	}'
}

field() {	# field NAME LINE: a number or a string's content
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

checked=0 failed=0
grep '^{"case":' "$suite/suite.json" >"$tmp/cases.jsonl" || {
	echo "no case in $suite/suite.json"; exit 99; }
# The runs with a wire verdict and a pcap, in $tmp/runs (for tshark) and
# $tmp/mine (NAME|FAMILY|closeprobe's line), in the same order.
: >"$tmp/runs"
: >"$tmp/mine"
while IFS= read -r line; do
	name=$(field case "$line")
	family=$(field family "$line")
	mine=$(ours "$line")
	if [ -z "$mine" ]; then
		# A wire object this test cannot read is a failure, never a skip:
		# a new key must not make it check nothing.
		case $line in
		*'"wire":{'*)
			echo "FAIL   $name (IPv$family): its wire object is not in the form read here"
			failed=$((failed + 1)) ;;
		*)	echo "skip   $name (IPv$family): the run has no wire verdict" ;;
		esac
		continue
	fi
	pcap=$(printf '%s\n' "$line" | sed -n 's/.*"evidence":{"pcap":"\([^"]*\)".*/\1/p')
	cport=$(field client_port "$line")
	sport=$(field server_port "$line")
	if [ -z "$pcap" ] || [ ! -f "$pcap" ]; then
		echo "FAIL   $name (IPv$family): no pcap in the JSON or on disk ($pcap)"
		failed=$((failed + 1))
		continue
	fi
	echo "$pcap $cport $sport" >>"$tmp/runs"
	echo "$name|$family|$mine" >>"$tmp/mine"
done <"$tmp/cases.jsonl"

if [ -s "$tmp/runs" ]; then
	theirs >"$tmp/theirs" || { cat "$tmp/tshark.err"; exit 99; }
fi
run=0
while IFS='|' read -r name family mine; do
	tshark_view=$(sed -n "s/^$run //p" "$tmp/theirs")
	run=$((run + 1))
	checked=$((checked + 1))
	if [ "$mine" = "$tshark_view" ]; then
		echo "agree  $name (IPv$family): $mine"
	else
		echo "FAIL   $name (IPv$family)"
		echo "       closeprobe: $mine"
		echo "       tshark:     $tshark_view"
		[ -s "$tmp/tshark.err" ] && sed 's/^/       tshark says: /' "$tmp/tshark.err"
		failed=$((failed + 1))
	fi
done <"$tmp/mine"

echo "tshark-agrees: $checked case runs read by tshark, $failed disagree" \
    "(fields: teardown; per side packets, payload, first FIN, first RST kind@record x count)"
[ "$checked" -gt 0 ] || { echo "nothing was checked"; exit 99; }
[ "$failed" -eq 0 ]
