#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# guest.sh - cases run inside another kernel under qemu (harness/guest):
# the guest boots the image (KVM or TCG), runs the suite, and its
# verdicts, JSON and pcaps come back as if run here; a boot that overruns
# its deadline is killed, so is a run stopped by SIGTERM; no qemu and no
# temporary files stay.
#
# The run of the suite is guest-run.sh's (lib.sh's guest_results), the
# one kernel-6.1.sh compares with its baseline: under make check one boot
# serves both.  Needs qemu-system-x86_64, busybox and a readable kernel
# image: $CLOSEPROBE_GUEST_KERNEL, or /boot/vmlinuz-*-cloud-amd64
# (Debian's linux-image-cloud-amd64).  Without them it skips, saying
# which.  The guest's release must start with $CLOSEPROBE_GUEST_RELEASE
# (default 6.1, Debian 12's).
. "${srcdir:-.}/harness/tests/lib.sh"

test_begin guest
guest_results
kernel=$guest_kernel
# Absolute: the test changes to the source tree below.
try=$(cd "${builddir:-.}" && pwd)/harness/guest/guest-try

# no_qemu_left WHAT DIR: qemu ran with its files in DIR (its $TMPDIR):
# what is still running with that in its command line is ours.
no_qemu_left() {
	if pgrep -f "$2/closeprobe-guest" >/dev/null 2>&1; then
		fail "$1: a qemu of ours is still running"
	fi
	for d in "$2"/closeprobe-guest.*; do
		[ -e "$d" ] && fail "$1: $d was left behind"
	done
}

cd "$srcdir" || exit 99
# The command a user runs: closeprobe run --kernel, over the suite.  It
# ran, and said how its cases went (0 or 1): whether every case passed in
# that kernel is kernel-6.1.sh's to say; here the cases named below must.
case $guest_status in
0 | 1) ;;
*) fail "run --kernel exited $guest_status: $(tail -3 "$guest/err")" ;;
esac

release=$(sed -n 's/^closeprobe: guest: kernel \([^ ]*\) .*/\1/p' "$guest/err")
case $release in
"${CLOSEPROBE_GUEST_RELEASE:-6.1}"*) ;;
*) fail "the guest's kernel is '$release', not ${CLOSEPROBE_GUEST_RELEASE:-6.1}" ;;
esac
grep -Eq '^closeprobe: guest: kernel .*, accelerator (kvm|tcg) \(' "$guest/err" ||
	fail "no accelerator named: $(head -3 "$guest/err")"
for c in 'close-unread-truncates (IPv4)' 'close-unread-truncates (IPv6)' \
	'half-close-request (IPv4)' 'half-close-request (IPv6)' veth-lossy-truncates; do
	grep -qF "$c: PASS." "$guest/out" || fail "no '$c: PASS' from the guest"
done
ncases=$(ls cases/*.case | wc -l)
grep -Eq "^closeprobe: [0-9]+ case runs of $ncases cases: " "$guest/out" ||
	fail "no summary line for $ncases cases: $(tail -1 "$guest/out")"
grep -q "^platform: Linux ${CLOSEPROBE_GUEST_RELEASE:-6.1}" "$guest/out" ||
	fail "the guest's platform line does not name its kernel"

for p in close-unread-truncates-v4 close-unread-truncates-v6 half-close-request-v4 \
	half-close-request-v6 veth-lossy-truncates; do
	[ -s "$guest/captures/$p.pcap" ] || { fail "no $p.pcap in the captures directory"; continue; }
	[ -s "$guest/captures/$p.txt" ] || fail "no $p.txt in the captures directory"
	if command -v tcpdump >/dev/null 2>&1; then
		tcpdump -nn -r "$guest/captures/$p.pcap" >/dev/null 2>&1 ||
			fail "tcpdump cannot read $p.pcap"
	fi
done
# The evidence paths inside read as here.
grep -qF "Evidence: $guest/captures/veth-lossy-truncates.pcap" "$guest/out" ||
	fail "the verdict does not name the captures directory given"
if command -v python3 >/dev/null 2>&1; then
	python3 -m json.tool "$guest/run.json" >/dev/null 2>&1 || fail "the JSON does not parse"
fi
grep -q '"case":"veth-lossy-truncates"' "$guest/run.json" || fail "the JSON lacks a case"
grep -Eq '^\{"guest":\{"accel":"(kvm|tcg)"' "$guest/run.json" ||
	fail "the JSON does not name the guest's accelerator"
grep -q "\"release\":\"${CLOSEPROBE_GUEST_RELEASE:-6.1}" "$guest/run.json" ||
	fail "the JSON's platform does not name the guest's kernel"
no_qemu_left "the run" "$guest/tmp"

# Our qemus below run with their files in $tmp.
TMPDIR=$tmp
export TMPDIR
# A boot bound too short for any kernel: qemu killed at it, a clear error.
"$try" --closeprobe "$CLOSEPROBE" --cache "$tmp/cache" --captures "$tmp/captures2" \
	--accel tcg --boot-timeout 300 "$kernel" cases/half-close-request.case \
	>"$tmp/out2" 2>"$tmp/err2"
status=$?
[ "$status" -eq 99 ] || fail "a boot past its deadline exited $status, not 99"
grep -q 'waited 300 ms for a first kernel line; qemu killed' "$tmp/err2" ||
	fail "no deadline message: $(cat "$tmp/err2")"
[ -e "$tmp/captures2" ] && fail "a failed boot made the captures directory"
no_qemu_left "the killed boot" "$tmp"

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
no_qemu_left "the stopped run" "$tmp"

[ "$failures" -eq 0 ] || exit 1
echo "PASS: guest.sh ($(sed -n 's/^closeprobe: guest: kernel //p' "$guest/err"))"
