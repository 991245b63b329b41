#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# lwip.sh - lwIP's teardowns, seen on the TAP link.  In a fresh network
# namespace per scenario, lwIP (Debian's liblwip, through the lwIP
# struct sockapi) is the server on 198.18.0.2 behind a TAP device and the
# kernel is the client; harness/stack/lwip-try runs both ends and
# captures the TAP device (libpcap, the harness's capture) and tshark reads
# what went on the wire:
#   unread           close with 50 bytes unread: RST, no FIN
#   linger0          SO_LINGER {1, 0}, nothing pending: a FIN, no RST
#                    (the kernel would reset)
#   linger0-pending  SO_LINGER {1, 0} with data unacknowledged: RST
#   clean            shutdown, drain, close: a FIN, all 20,000 bytes, no RST
# Skips (77) when lwIP is not built in, or TAP devices or namespaces are
# not available here.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin lwip

try=${builddir:-.}/harness/stack/lwip-try
if [ ! -x "$try" ]; then
	echo "lwIP is not built in (configure --with-lwip; Debian: liblwip-dev)"; exit 77
fi
if [ ! -c /dev/net/tun ]; then
	echo "no /dev/net/tun here: no TAP device for lwIP"; exit 77
fi
if ! unshare -rn true 2>/dev/null; then
	echo "cannot create a network namespace here (unshare -rn)"; exit 77
fi
command -v tshark >/dev/null 2>&1 || { echo "no tshark here to read the capture"; exit 77; }

LWIP=198.18.0.2
HOST=198.18.0.1

# tshark reads each capture once, into $tmp/NAME.frames: per TCP segment
# its source, SYN, FIN and RST flags, relative sequence number and
# payload length; the questions below are asked of that.
frames() {
	tshark -r "$tmp/$1.pcap" -Y tcp -T fields -E separator=' ' -e ip.src \
	    -e tcp.flags.syn -e tcp.flags.fin -e tcp.flags.reset -e tcp.seq -e tcp.len \
	    >"$tmp/$1.frames" 2>"$tmp/$1.tshark.err"
}

# segments NAME SOURCE FLAG: the relative sequence numbers of the
# segments from SOURCE with FLAG (syn, fin or rst) set, one line.
segments() {
	awk -v src="$2" -v flag="$3" '
	    BEGIN { col["syn"] = 2; col["fin"] = 3; col["rst"] = 4 }
	    $1 == src && ($col[flag] == "1" || $col[flag] == "True") { print $5 }' \
	    "$tmp/$1.frames" | tr '\n' ' ' | sed 's/ $//'
}

count() {
	segments "$1" "$2" "$3" | wc -w
}

# Bytes of payload FROM sent, retransmissions included.
payload() {
	awk -v src="$2" '$1 == src { n += $6 } END { print n + 0 }' "$tmp/$1.frames"
}

# The value of KEY= in the line of END (client or server) of the output.
word() {
	sed -n "s/^$2: .*\\b$3=\\([^ ]*\\).*/\\1/p" "$tmp/$1.out"
}

# play NAME: the scenario in a namespace of its own, then tshark on its
# capture; its exit status into $tmp/NAME.status.  The four run at once
# (each its own namespace and TAP device), beside the suite run below.
play() {
	unshare -rn sh "$srcdir/harness/tests/lwip-ns.sh" "$try" "$1" "$tmp/$1.pcap" \
	    >"$tmp/$1.out" 2>&1
	status=$?
	[ "$status" -ne 0 ] || frames "$1"
	echo "$status" >"$tmp/$1.status"
}

# judge NAME: what the scenario's run and capture say; 1 when it failed.
judge() {
	status=$(cat "$tmp/$1.status")
	if [ "$status" -eq 77 ]; then
		cat "$tmp/$1.out"; exit 77
	fi
	if [ "$status" -ne 0 ]; then
		fail "$1: lwip-try failed ($status):"; cat "$tmp/$1.out"
		return 1
	fi
	if [ "$(count "$1" "$HOST" syn)" -eq 0 ]; then
		fail "$1: the capture holds no SYN:"; cat "$tmp/$1.out" "$tmp/$1.tshark.err"
		return 1
	fi
	lwip_rst=$(segments "$1" "$LWIP" rst)
	lwip_fin=$(count "$1" "$LWIP" fin)
	host_rst=$(count "$1" "$HOST" rst)
	read=$(word "$1" client read)
	end=$(word "$1" client end)
	echo "lwip $1: lwIP sent $(payload "$1" "$LWIP") B, $lwip_fin FIN," \
	    "RST at seq [${lwip_rst}]; the client read $read B, then $end;" \
	    "before close unread $(word "$1" server unread) unacked $(word "$1" server unacked)" \
	    "unsent $(word "$1" server unsent); close took $(word "$1" server close_ms) ms"
	return 0
}

expect_rst() {
	[ -n "$lwip_rst" ] || fail "$1: lwIP sent no RST"
	[ "$lwip_fin" -eq 0 ] || fail "$1: lwIP sent a FIN ($lwip_fin)"
	[ "$end" = ECONNRESET ] || fail "$1: the client's read ended in $end, not ECONNRESET"
}

expect_fin() {
	[ -z "$lwip_rst" ] || fail "$1: lwIP sent RST at seq $lwip_rst"
	[ "$host_rst" -eq 0 ] || fail "$1: the kernel sent $host_rst RST"
	[ "$lwip_fin" -ge 1 ] || fail "$1: lwIP sent no FIN"
	[ "$end" = EOF ] || fail "$1: the client's read ended in $end, not EOF"
}

# Everything below waits mostly (lwIP's timers, the cases' own waits), so
# the suite run on lwIP (checked further down) starts first and the rest
# goes on beside it; stopped if this test ends early.
suite=$tmp/suite.out
"$CLOSEPROBE" run --stack lwip -q -j 2 -c "$tmp/captures" "${srcdir:-.}/cases" >"$suite" 2>&1 &
suite_pid=$!
trap '[ -z "$suite_pid" ] || kill "$suite_pid"; wait; rm -rf "$tmp"' EXIT
pids=
for scenario in unread linger0 linger0-pending clean; do
	play "$scenario" &
	pids="$pids $!"
done
# The UNSUPPORTED runs (checked below), one after the other (one captures
# directory).
cases=$(cd "${srcdir:-.}/cases" && pwd)
{
	"$CLOSEPROBE" run --stack lwip -q -c "$tmp/u" --tap --junit "$tmp/u.xml" --json "$tmp/u.json" \
	    "$cases/dup-close-one-silent.case" "$cases/stack-close-unread.case" >"$tmp/u.tap" 2>"$tmp/u.err"
	echo $? >"$tmp/u.status"
	"$CLOSEPROBE" run --stack lwip -q -c "$tmp/u" "$cases/dup-close-one-silent.case" >/dev/null 2>&1
	echo $? >"$tmp/u-alone.status"
} &
pids="$pids $!"
# As an ordinary user too (closeprobe's user and network namespaces):
# as root, the stack-splitting cases again as nobody, where setpriv is.
as_nobody=false
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	as_nobody=true
	mkdir "$tmp/nobody" && chmod 1777 "$tmp" "$tmp/nobody"
	(cd "$tmp/nobody" && setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$CLOSEPROBE" run --stack lwip -q -c "$tmp/nobody/captures" \
	    "$cases"/stack-*.case) >"$tmp/nobody.out" 2>&1 &
	pids="$pids $!"
fi
wait $pids

if judge unread; then
	expect_rst unread
	[ "$(word unread server unread)" = 50 ] || fail "unread: 50 bytes were not left unread"
fi
if judge linger0; then
	expect_fin linger0
	[ "$read" = 0 ] || fail "linger0: the client read $read bytes of nothing"
fi
if judge linger0-pending; then
	expect_rst linger0-pending
fi
if judge clean; then
	expect_fin clean
	[ "$read" = 20000 ] || fail "clean: the client read $read of 20000 bytes"
fi

# UNSUPPORTED in every report: TAP, JUnit, the JSON, the summary, and an
# exit status that it alone never fails (77 when nothing passed, as SKIP).
status=$(cat "$tmp/u.status")
[ "$status" -eq 0 ] || fail "unsupported and passed: exit $status, not 0"
grep -q "^ok 1 - dup-close-one-silent # SKIP unsupported: server step 3 'dup': " "$tmp/u.tap" ||
    { fail "TAP: no 'ok ... # SKIP unsupported:' line:"; cat "$tmp/u.tap"; }
grep -q '<skipped message="unsupported: server step 3 ' "$tmp/u.xml" ||
    fail "JUnit: the UNSUPPORTED run is not skipped with its message"
grep -q 'skipped="1"' "$tmp/u.xml" || fail "JUnit: the UNSUPPORTED run is not counted as skipped"
grep -q '"status":"UNSUPPORTED","error":"unsupported: server step 3 ' "$tmp/u.json" ||
    fail "JSON: no UNSUPPORTED record with its step"
grep -q '"unsupported":1,' "$tmp/u.json" || fail "JSON: the summary does not count 1 unsupported"
grep -q '"stack":"lwip 2.1.3"' "$tmp/u.json" || fail "JSON: the platform does not say lwip 2.1.3"
grep -q '1 passed, 0 failed, 0 skipped, 1 unsupported, 0 errors; unsupported: dup-close-one-silent' \
    "$tmp/u.err" || { fail "the summary line:"; tail -n 1 "$tmp/u.err"; }
status=$(cat "$tmp/u-alone.status")
[ "$status" -eq 77 ] || fail "UNSUPPORTED alone: exit $status, not 77"

# As nobody.
if $as_nobody; then
	echo "lwip as nobody: $(tail -n 1 "$tmp/nobody.out")"
	n=$(ls "$cases"/stack-*.case | wc -l)
	grep -q "^closeprobe: $n case runs of $n cases: $n passed" "$tmp/nobody.out" ||
	    { fail "as nobody, the stack-splitting cases do not all pass:"; cat "$tmp/nobody.out"; }
fi

# The whole suite with the server on lwIP ("closeprobe run --stack lwip"):
# every case run ends PASS, or UNSUPPORTED with the step, line or
# feature and why; the stack-splitting cases pass with their lwIP
# expectations; lwIP never dies under a case.
wait "$suite_pid"
suite_pid=
sed -n 's/^\([a-z0-9-]*\( (IPv[46])\)\{0,1\}\): \(PASS\|FAIL\|SKIP\|ERROR\|UNSUPPORTED\)\b.*/\3/p' "$suite" |
    sort | uniq -c | sed 's/^ */lwip suite: /'
grep -q '^platform: .*stack lwip 2\.1\.3' "$suite" || fail "suite: the platform does not say stack lwip 2.1.3"
for c in stack-close-unread stack-linger-zero-idle stack-shutdown-rdwr-unread \
    stack-data-after-close linger-timeout-data-arrives; do
	grep -q "^$c: PASS" "$suite" || { fail "suite: $c does not pass on lwIP:"; grep "^$c" "$suite"; }
done
grep ': UNSUPPORTED\.' "$suite" |
    grep -v ': UNSUPPORTED\. unsupported: \(server step [0-9]* \|line [0-9]* \|IPv6: \|the topology: \)' \
    >"$tmp/unnamed"
[ ! -s "$tmp/unnamed" ] || { fail "suite: UNSUPPORTED without its step:"; cat "$tmp/unnamed"; }
grep -q 'dup-close-one-silent: UNSUPPORTED. unsupported: server step 3 .dup.: ' "$suite" ||
    fail "suite: dup-close-one-silent is not UNSUPPORTED at its dup step"
if grep -q 'killed by SIG\|corrupted' "$suite"; then
	fail "suite: lwIP's process died:"; grep 'killed by SIG\|corrupted' "$suite"
fi
grep -q '^closeprobe: .* unsupported' "$suite" || fail "suite: the summary counts no unsupported runs"
# A finding, pinned: lwIP 2.1.3's close() with SO_LINGER {1, 2} and unread
# data sends its RST and never returns; the case's deadline ends the run.
grep -q "^linger-unread-rst-immediate: ERROR\. deadline of 3 s passed: .*server at [^ ]*linger-unread-rst-immediate\.case:[0-9]* 'close'" "$suite" ||
    { fail "suite: lwIP's close() in linger-unread-rst-immediate did not hang as lwIP 2.1.3's does:"; grep '^linger-unread-rst-immediate' "$suite"; }
grep ': \(FAIL\|SKIP\|ERROR\)' "$suite" | grep -v '^linger-unread-rst-immediate: ERROR' >"$tmp/other"
[ ! -s "$tmp/other" ] || { fail "suite: neither PASS nor UNSUPPORTED:"; cat "$tmp/other"; }

[ "$failures" -eq 0 ] || exit 1
exit 0
