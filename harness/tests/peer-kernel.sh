#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# peer-kernel.sh - run --peer-kernel: the server role in a guest booted
# with Debian's Linux 6.1 ("closeprobe peer" on a virtio port, the
# connection over a TAP link in each case's namespace, the capture on
# it), the client on this host's kernel: a real two-kernel connection.
# A few core cases pass in both families (a fork's child role too), the
# text and the JSON name both kernels, and an image that is not a kernel
# is refused with the reason.  The default accelerator: KVM, and TCG when
# the KVM guest says nothing in time: the first run (one case, a memo of
# its own) gives it --peer-timeout 2s and, where KVM hangs (as here),
# falls back and remembers it, so that the second run (the other cases)
# goes straight to TCG, as run --kernel does.
#
# The runs are peer-kernel-run.sh's (lib.sh's peer_kernel_results):
# under make check one job makes them right after the guest run of the
# suite.  Needs qemu, busybox, /dev/net/tun and a readable
# /boot/vmlinuz-6.1.*-cloud-amd64 (or $CLOSEPROBE_GUEST_KERNEL); skips
# naming what is missing.
. "${srcdir:-.}/harness/tests/lib.sh"

test_begin peer-kernel
peer_kernel_results
pk=$peer_kernel
kernel=$peer_kernel_image
release=$(basename "$kernel" | sed 's/^vmlinuz-//')

peer_check() {	# NAME: what every run must show
	skip_without_namespaces "$pk/$1.out"
	grep -q 'Operation not permitted' "$pk/$1.out" && grep -q 'TAP device' "$pk/$1.out" &&
		{ echo "SKIP: no TAP device can be made here: $(grep -m1 'TAP device' "$pk/$1.out")"; exit 77; }
	status=$(cat "$pk/$1.status")
	[ "$status" -eq 0 ] || fail "$1: exit status $status: $(cat "$pk/$1.err" "$pk/$1.out")"
	grep -q "^closeprobe: peer guest: kernel $release " "$pk/$1.err" ||
		fail "$1: standard error names no guest kernel: $(cat "$pk/$1.err")"
	# Both kernels in the JSON: this host's at the top, the guest's in each run.
	grep -q "^{\"version\":\"[^\"]*\",\"platform\":{\"os\":\"Linux\",\"release\":\"$(uname -r)\"" \
	    "$pk/$1.json" || fail "$1: the JSON does not name this host's kernel first"
	n=$(grep -c ': PASS\.' "$pk/$1.out")
	m=$(grep -o "\"peer\":{\"role\":\"server\",\"platform\":{\"os\":\"Linux\",\"release\":\"$release\"" \
	    "$pk/$1.json" | wc -l)
	[ "$m" -eq "$n" ] || fail "$1: $m case runs of $n name the guest's kernel in the JSON"
}
peer_check first
peer_check rest
grep -q '^fork-parent-close-silent: PASS\.' "$pk/first.out" ||
	fail "the guest's child role: $(grep '^fork' "$pk/first.out")"
memo=$(ls "$pk/cache/closeprobe"/kvm-hung-* 2>/dev/null)
if grep -q "^  note: the peer's first command gave no hello (.*); its fallback did" "$pk/first.out"; then
	# KVM was given up for TCG: remembered, and not tried again.
	grep -q 'KVM, TCG if it hangs' "$pk/first.err" || fail "a fall back with no KVM tried"
	grep -q '^kvm: no hello within 2000 ms: fell back to tcg$' "$memo" 2>/dev/null ||
		fail "the fall back to TCG is not remembered: '$memo'"
	grep -q "TCG (kvm not tried, it hung here before (kvm: no hello within 2000 ms" "$pk/rest.err" ||
		fail "KVM tried again though it hung: $(cat "$pk/rest.err")"
	grep -q "first command gave no hello" "$pk/rest.out" && fail "KVM waited for again"
else
	[ -z "$memo" ] || fail "no fall back to TCG, yet KVM is remembered as hung: $memo"
fi
cat "$pk/first.out" "$pk/rest.out" >"$tmp/out"
n=$(grep -c ': PASS\.' "$tmp/out")
[ "$n" -ge 6 ] || fail "$n case runs passed, expected 6 or more: $(grep -v '^  ' "$tmp/out")"
grep -q "^  peer: server on Linux $release x86_64, stack linux $release\$" "$tmp/out" ||
	fail "the text names no guest kernel"
grep -q "^  path: peer: the server end through 'a guest with $kernel', reached at 198.18.0.2 via cpk0\$" \
    "$tmp/out" || fail "the text names no TAP link"
for d in "$pk/tmp"/closeprobe-guest.*; do
	[ -e "$d" ] && fail "$d was left behind"
done

# Not a kernel: refused before anything boots, with the reason.
cd "$srcdir" || exit 99
TMPDIR=$tmp XDG_CACHE_HOME=$tmp/cache "$CLOSEPROBE" run -c "$tmp/bad" --peer-kernel \
    "$srcdir/README.md" cases/half-close-request.case >"$tmp/bad.out" 2>&1
status=$?
[ "$status" -eq 99 ] || fail "a README as the kernel: status $status, expected 99"
grep -q "README.md: .*" "$tmp/bad.out" || fail "no reason for a README as the kernel: $(cat "$tmp/bad.out")"
exit $((failures > 0))
