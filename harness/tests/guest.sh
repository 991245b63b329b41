#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# guest.sh - cases run inside another kernel under qemu (harness/guest):
# the guest boots the image (KVM or TCG), runs a few suite cases, and
# their verdicts, JSON and pcaps come back as if run here; a boot that
# overruns its deadline is killed, so is a run stopped by SIGTERM; no qemu
# and no temporary files stay.
#
# Needs qemu-system-x86_64, busybox and a readable kernel image:
# $CLOSEPROBE_GUEST_KERNEL, or /boot/vmlinuz-*-cloud-amd64 (Debian's
# linux-image-cloud-amd64).  Without them it skips, saying which.  The
# guest's release must start with $CLOSEPROBE_GUEST_RELEASE (default 6.1,
# Debian 12's).
. "${srcdir:-.}/harness/tests/lib.sh"

missing=
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
	missing="$missing, qemu-system-x86_64 (qemu-system-x86)"
command -v busybox >/dev/null 2>&1 || [ -x /bin/busybox ] ||
	missing="$missing, busybox (busybox-static)"
kernel=${CLOSEPROBE_GUEST_KERNEL:-}
if [ -z "$kernel" ]; then
	for k in /boot/vmlinuz-*-cloud-amd64; do
		[ -r "$k" ] && kernel=$k
	done
fi
[ -n "$kernel" ] && [ -r "$kernel" ] ||
	missing="$missing, a readable kernel image (\$CLOSEPROBE_GUEST_KERNEL or /boot/vmlinuz-*-cloud-amd64 from linux-image-cloud-amd64)"
if [ -n "$missing" ]; then
	echo "SKIP: guest.sh needs${missing#,}"
	exit 77
fi

test_begin guest
# Absolute: the test changes to the source tree below.
try=$(cd "${builddir:-.}" && pwd)/harness/guest/guest-try
# Our qemu runs with its files in $tmp: what is still running with that
# in its command line is ours.
TMPDIR=$tmp
export TMPDIR

no_qemu_left() {
	if pgrep -f "$tmp/closeprobe-guest" >/dev/null 2>&1; then
		fail "$1: a qemu of ours is still running"
	fi
	for d in "$tmp"/closeprobe-guest.*; do
		[ -e "$d" ] && fail "$1: $d was left behind"
	done
}

cd "$srcdir" || exit 99
# The command a user runs: closeprobe run --kernel.
XDG_CACHE_HOME=$tmp/cache "$CLOSEPROBE" run -j 1 --kernel "$kernel" --captures "$tmp/captures" \
	--json "$tmp/suite.json" \
	cases/close-unread-truncates.case cases/half-close-request.case \
	cases/veth-lossy-truncates.case >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 0 ] || fail "run --kernel exited $status: $(tail -3 "$tmp/err")"

release=$(sed -n 's/^closeprobe: guest: kernel \([^ ]*\) .*/\1/p' "$tmp/err")
case $release in
"${CLOSEPROBE_GUEST_RELEASE:-6.1}"*) ;;
*) fail "the guest's kernel is '$release', not ${CLOSEPROBE_GUEST_RELEASE:-6.1}" ;;
esac
grep -Eq '^closeprobe: guest: kernel .*, accelerator (kvm|tcg) \(' "$tmp/err" ||
	fail "no accelerator named: $(head -3 "$tmp/err")"
for c in 'close-unread-truncates (IPv4)' 'close-unread-truncates (IPv6)' \
	'half-close-request (IPv4)' 'half-close-request (IPv6)' veth-lossy-truncates; do
	grep -qF "$c: PASS." "$tmp/out" || fail "no '$c: PASS' from the guest"
done
grep -q '^closeprobe: 5 case runs of 3 cases: 5 passed' "$tmp/out" ||
	fail "no summary line for 3 cases: $(tail -1 "$tmp/out")"
grep -q "^platform: Linux ${CLOSEPROBE_GUEST_RELEASE:-6.1}" "$tmp/out" ||
	fail "the guest's platform line does not name its kernel"

for p in close-unread-truncates-v4 close-unread-truncates-v6 half-close-request-v4 \
	half-close-request-v6 veth-lossy-truncates; do
	[ -s "$tmp/captures/$p.pcap" ] || { fail "no $p.pcap in the captures directory"; continue; }
	[ -s "$tmp/captures/$p.txt" ] || fail "no $p.txt in the captures directory"
	if command -v tcpdump >/dev/null 2>&1; then
		tcpdump -nn -r "$tmp/captures/$p.pcap" >/dev/null 2>&1 ||
			fail "tcpdump cannot read $p.pcap"
	fi
done
# The evidence paths inside read as here.
grep -qF "Evidence: $tmp/captures/veth-lossy-truncates.pcap" "$tmp/out" ||
	fail "the verdict does not name the captures directory given"
if command -v python3 >/dev/null 2>&1; then
	python3 -m json.tool "$tmp/suite.json" >/dev/null 2>&1 || fail "the JSON does not parse"
fi
grep -q '"case":"veth-lossy-truncates"' "$tmp/suite.json" || fail "the JSON lacks a case"
grep -Eq '^\{"guest":\{"accel":"(kvm|tcg)"' "$tmp/suite.json" ||
	fail "the JSON does not name the guest's accelerator"
grep -q "\"release\":\"${CLOSEPROBE_GUEST_RELEASE:-6.1}" "$tmp/suite.json" ||
	fail "the JSON's platform does not name the guest's kernel"
no_qemu_left "the run"

# A boot bound too short for any kernel: qemu killed at it, a clear error.
"$try" --closeprobe "$CLOSEPROBE" --cache "$tmp/cache" --captures "$tmp/captures2" \
	--accel tcg --boot-timeout 300 "$kernel" cases/half-close-request.case \
	>"$tmp/out2" 2>"$tmp/err2"
status=$?
[ "$status" -eq 99 ] || fail "a boot past its deadline exited $status, not 99"
grep -q 'waited 300 ms for a first kernel line; qemu killed' "$tmp/err2" ||
	fail "no deadline message: $(cat "$tmp/err2")"
[ -e "$tmp/captures2" ] && fail "a failed boot made the captures directory"
no_qemu_left "the killed boot"

# Stopped by SIGTERM while the guest runs: qemu killed, files removed.
(exec "$try" --closeprobe "$CLOSEPROBE" --cache "$tmp/cache" --captures "$tmp/captures3" \
	--accel tcg "$kernel" cases >"$tmp/out3" 2>"$tmp/err3") &
runner=$!
if wait_for_file "$tmp/closeprobe-guest.*/archive-ttyS1"; then
	kill -TERM "$runner"
else
	fail "no qemu started within 5 s"
fi
wait "$runner"
status=$?
[ "$status" -eq 99 ] || fail "a run stopped by SIGTERM exited $status, not 99"
grep -q 'stopped by a signal; qemu killed' "$tmp/err3" ||
	fail "no message for the stop: $(cat "$tmp/err3")"
no_qemu_left "the stopped run"

[ "$failures" -eq 0 ] || exit 1
echo "PASS: guest.sh ($(sed -n 's/^closeprobe: guest: kernel //p' "$tmp/err"))"
