#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# draw.sh - closeprobe draw on a capture a case wrote: an SVG with the
# case's lanes and its RST+ACK, written beside the pcap or to standard
# output; a connection the capture lacks, or an unreadable file, is 99;
# usage errors are 2.
. "${srcdir:-.}/harness/tests/lib.sh"
test_begin draw

"$CLOSEPROBE" run --captures "$tmp/cap" --json "$tmp/run.json" --html "$tmp/report" \
    "$srcdir/cases/close-unread-small-reset.case" >"$tmp/run.out" 2>&1
rc=$?
skip_without_namespaces "$tmp/run.out"
[ "$rc" -eq 0 ] || { cat "$tmp/run.out"; fail "the case exited $rc"; }
pcap=$tmp/cap/close-unread-small-reset.pcap
# The capture's clock offset (pcap time = a ledger's monotonic time + it).
grep -Eq '"clock_offset_ns":[1-9][0-9]*,"clock_offset_error_ns":[0-9]+' "$tmp/run.json" ||
	fail "no clock offset in the run's JSON: $(grep -o '"evidence":{[^}]*}' "$tmp/run.json")"

# The run drew its ladder beside its capture, from the ledgers and the
# packets on one time line: each call where it happened among the packets.
run_svg=$tmp/cap/close-unread-small-reset.svg
[ -s "$run_svg" ] || fail "the run wrote no ladder beside its pcap"
grep -q "\"svg\":\"$run_svg\"" "$tmp/run.json" || fail "the JSON does not name the ladder"
order=$(grep -oE '<title>[a-z.]+: (connect|accept|send|recv|close)\(\)[^<]*|<g class="segment [a-z-]+' \
    "$run_svg" | sed 's/<title>//; s/<g class="segment //; s/(): .*//; s/() .*//; s/()$//' |
    tr '\n' ' ')
# connect() before the first SYN (the server's accept may start between).
case ${order%%" syn "*} in
*"client: connect"*) ;;
*) fail "connect() is not drawn before the SYN: $order" ;;
esac
case $order in
*"server: close rst-ack "*) ;;
*) fail "the server's close() is not drawn just before its RST+ACK: $order" ;;
esac
grep -q '>close() [0-9.]* ms — unread 100 B, unsent 0 B, unacked 0 B</text>' "$run_svg" ||
	fail "the close() does not show its queues"
grep -q '>on the wire, never read: 100 B (100.0%)</text>' "$run_svg" ||
	fail "the 100 B never read are not a marked span"
grep -q '>exit 0</text>' "$run_svg" || fail "no exit drawn"
grep -Eq '<script|href="http' "$run_svg" && fail "the run's SVG is not self-contained"
cp "$run_svg" "$tmp/run.svg"

# --html: the page lists the run, opens into its verdict and expectations,
# and its links reach the evidence from the page's directory.
page=$tmp/report/index.html
[ -s "$page" ] || fail "--html wrote no $page"
grep -q '<tbody class="run" id="case-close-unread-small-reset-ipv4" [^>]*data-status="PASS">' "$page" ||
	fail "the page has no row for the run"
grep -q '<td>rst from server</td>' "$page" || fail "the page does not say the teardown"
grep -q '<li class="ok"><span class="mark">ok</span>line 17: teardown rst from server' "$page" ||
	fail "the page does not list the expectations"
grep -q 'close-unread-small-reset: PASS\. server&#39;s send() accepted 1,000 B' "$page" ||
	fail "the page does not hold the verdict"
grep -Eq '<script src=|<link |https?://' "$page" && fail "the page is not self-contained"
for ext in svg pcap txt json; do
	href=$(grep -o "href=\"[^\"]*\\.$ext\"" "$page" | head -n 1 | sed 's/^href="//; s/"$//')
	[ -n "$href" ] || { fail "no link to the .$ext"; continue; }
	[ -s "$tmp/report/$href" ] || fail "the link $href does not reach a file"
done
cmp -s "$tmp/report/json/close-unread-small-reset-v4.json" /dev/null &&
	fail "the run's JSON record is empty"
grep -q '^{"case":"close-unread-small-reset",' "$tmp/report/json/close-unread-small-reset-v4.json" ||
	fail "json/close-unread-small-reset-v4.json is not the run's record"

# compare --html: the cases x platforms matrix, a changed field in its cell.
sed 's/^\(close-unread-small-reset\/4 teardown\) = .*/\1 = fin from server/' \
    "$srcdir/baselines/linux-6.18.txt" >"$tmp/base.txt"
grep -q '^close-unread-small-reset/4 teardown = fin from server' "$tmp/base.txt" ||
	fail "the test's baseline was not made"
"$CLOSEPROBE" compare --html "$tmp/cmp" "$tmp/base.txt" "$tmp/run.json" >"$tmp/cmp.out" 2>&1
[ $? -eq 1 ] || fail "compare with a changed field did not exit 1: $(cat "$tmp/cmp.out")"
grep -q '<table id="matrix">' "$tmp/cmp/index.html" || fail "compare --html: no matrix"
grep -q '<td class="changed">changed' "$tmp/cmp/index.html" || fail "compare --html: no changed cell"
grep -q 'fin from server' "$tmp/cmp/index.html" && grep -q 'rst from server' "$tmp/cmp/index.html" ||
	fail "compare --html: the changed field's before and after are not shown"
grep -q 'id="runs"' "$tmp/cmp/index.html" && fail "compare --html: an empty table of runs"

"$CLOSEPROBE" draw "$pcap" 2>"$tmp/err" || fail "draw exited $?: $(cat "$tmp/err")"
svg=$tmp/cap/close-unread-small-reset.wire.svg
[ -s "$svg" ] || fail "no $svg beside the pcap"
cmp -s "$run_svg" "$tmp/run.svg" || fail "draw wrote over the run's own ladder"
grep -q 'connection 1 of 1, 8 packets' "$tmp/err" || fail "draw said: $(cat "$tmp/err")"
head -c 200 "$svg" | grep -q '<svg' || fail "not an SVG: $(head -c 80 "$svg")"
tail -c 20 "$svg" | grep -q '</svg>' || fail "the SVG is not closed"
grep -q '>client<' "$svg" || fail "no client lane"
grep -q '>server<' "$svg" || fail "no server lane"
grep -q 'RST+ACK' "$svg" || fail "the server's RST+ACK is not drawn"
grep -q 'SYN+ACK' "$svg" || fail "the handshake is not drawn"
grep -Eq '<script|href="http' "$svg" && fail "the SVG is not self-contained"

"$CLOSEPROBE" draw -o - "$pcap" >"$tmp/stdout.svg" 2>/dev/null || fail "draw -o - exited $?"
cmp -s "$svg" "$tmp/stdout.svg" || fail "standard output differs from the file"

"$CLOSEPROBE" draw --conn 2 "$pcap" >/dev/null 2>"$tmp/err"
[ $? -eq 99 ] || fail "a missing connection is not 99"
grep -q 'no connection 2: the capture holds 1 TCP connection' "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
"$CLOSEPROBE" draw "$tmp/none.pcap" >/dev/null 2>"$tmp/err"
[ $? -eq 99 ] || fail "an unreadable capture is not 99"
"$CLOSEPROBE" draw >/dev/null 2>&1
[ $? -eq 2 ] || fail "draw without a capture is not a usage error"
"$CLOSEPROBE" draw --conn 0 "$pcap" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--conn 0 is not a usage error"

[ "$failures" -eq 0 ]
