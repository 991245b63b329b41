#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tshark-agrees.sh - an independent reader checks closeprobe's wire verdict.
#
# Runs the suite into a temporary directory (closeprobe run --json), then
# reads every case's pcap with tshark (Wireshark's dissectors: no code of
# ours) and classifies the teardown here, in awk, from the rules the
# README states.  For each case run it compares, with the run's JSON:
#   - the teardown class (none, fin, half-fin, rst, fin-then-rst);
#   - per side: packets, payload bytes (highest relative sequence end),
#     the record number of its first FIN, and of its first RST with the
#     RST's kind (RST+ACK or bare) and how many RSTs it sent.
# An RST after both sides' FINs is late (teardown stays fin) only when
# the segment it answers carries no new data; one that refuses new data
# makes the teardown fin-then-rst.
#
# Environment: CLOSEPROBE, srcdir.  Exit: 0 all agree, 1 some differ, 77
# tshark is missing or the suite cannot run here, 99 harness error.
set -u

: "${CLOSEPROBE:?set CLOSEPROBE to the closeprobe binary}"
srcdir=${srcdir:-.}
cases=${1:-$srcdir/cases}
if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark is not installed (apt-get install tshark)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tshark-agrees.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

"$CLOSEPROBE" run --captures "$tmp" --json "$tmp/suite.json" "$cases" \
    >"$tmp/run.out" 2>&1
rc=$?
case $rc in
0|1)	;;
77)	echo "SKIP: the suite cannot run here:"; cat "$tmp/run.out"; exit 77 ;;
*)	echo "closeprobe run failed ($rc):"; cat "$tmp/run.out"; exit 99 ;;
esac

# closeprobe's view, from the JSON: one canonical line per case run.
num='[0-9]+'
time='[-0-9.e]+'
fin="(null|\\{\"at_s\":$time,\"packet\":($num)\\})"
rst="(null|\\{\"kind\":\"([a-z+]+)\",\"at_s\":$time,\"packet\":($num),\"count\":($num)\\})"
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

# tshark's view of one pcap, classified here.
theirs() {	# theirs PCAP CLIENT-PORT SERVER-PORT
	tshark -n -r "$1" -Y "tcp.port == $2 && tcp.port == $3" -T fields \
	    -e frame.number -e tcp.srcport -e tcp.flags.ack -e tcp.flags.fin \
	    -e tcp.flags.reset -e tcp.seq -e tcp.len -E separator=' ' 2>"$tmp/tshark.err" |
	awk -v cport="$2" '
	function flag(v) { return v == "1" || v == "True" }
	{
		s = ($2 == cport) ? "c" : "s"; o = (s == "c") ? "s" : "c"
		packets[s]++
		end = $6 + $7
		newdata = ($7 > 0 && end > high[s])
		if ($7 > 0 && end > high[s]) high[s] = end
		if (flag($4) && fin[s] == "") fin[s] = $1
		if (flag($5)) {
			if (rst[s] == "") { rst[s] = $1; kind[s] = flag($3) ? "rst+ack" : "bare" }
			nrst[s]++
			# Late: both sides had finished, and the segment answered
			# (the peer'"'"'s last one) brought no new data.
			late = (fin["c"] != "" && fin["s"] != "" && !lastnew[o])
			if (!late && first_rst == "") first_rst = $1
		}
		lastnew[s] = newdata
	}
	END {
		if (first_rst != "") {
			before = (fin["c"] != "" && fin["c"] < first_rst) ||
			    (fin["s"] != "" && fin["s"] < first_rst)
			teardown = before ? "fin-then-rst" : "rst"
		} else if (fin["c"] != "" && fin["s"] != "")
			teardown = "fin"
		else if (fin["c"] != "" || fin["s"] != "")
			teardown = "half-fin"
		else
			teardown = "none"
		line = teardown
		split("c s", sides, " ")
		for (i = 1; i <= 2; i++) {
			x = sides[i]
			pay = high[x] > 1 ? high[x] - 1 : 0
			line = line " " (packets[x] + 0) " " pay " fin=" (fin[x] == "" ? "-" : fin[x])
			line = line " rst=" (rst[x] == "" ? "-" : kind[x] "@" rst[x] "x" nrst[x])
		}
		print line
	}'
}

field() {	# field NAME LINE: a number or a string's content
	printf '%s\n' "$2" | sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

checked=0 failed=0
grep '^{"case":' "$tmp/suite.json" >"$tmp/cases.jsonl" || {
	echo "no case in $tmp/suite.json"; exit 99; }
while IFS= read -r line; do
	name=$(field case "$line")
	family=$(field family "$line")
	mine=$(ours "$line")
	if [ -z "$mine" ]; then
		echo "skip   $name (IPv$family): the run has no wire verdict"
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
	tshark_view=$(theirs "$pcap" "$cport" "$sport")
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
done <"$tmp/cases.jsonl"

echo "tshark-agrees: $checked case runs read by tshark, $failed disagree" \
    "(fields: teardown; per side packets, payload, first FIN, first RST kind@record x count)"
[ "$checked" -gt 0 ] || { echo "nothing was checked"; exit 99; }
[ "$failed" -eq 0 ]
