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
# goes straight to TCG, as run --kernel does.  Needs qemu, busybox,
# /dev/net/tun and a readable /boot/vmlinuz-6.1.*-cloud-amd64 (or
# $CLOSEPROBE_GUEST_KERNEL); skips naming what is missing.
. "${srcdir:-.}/harness/tests/lib.sh"

tun=
[ -c /dev/net/tun ] && [ -r /dev/net/tun ] && [ -w /dev/net/tun ] || tun=", /dev/net/tun"
need_guest_kernel "$tun"
test_begin peer-kernel
TMPDIR=$tmp XDG_CACHE_HOME=$tmp/cache
export TMPDIR XDG_CACHE_HOME
release=$(basename "$kernel" | sed 's/^vmlinuz-//')
# The newest initramfs of make check's guest run (guest-run.sh), if any:
# the same image by content, not built again.  Its KVM memo is not
# taken: this test makes its own.
mkdir -p "$tmp/cache/closeprobe" || exit 99
image=$(ls -t "${CLOSEPROBE_GUEST_CACHE:-/nonexistent}"/closeprobe/initramfs-*.cpio 2>/dev/null |
    head -n 1)
[ -z "$image" ] || cp "$image" "$tmp/cache/closeprobe/" || exit 99

cd "$srcdir" || exit 99
peer_run() {	# NAME OPTION... CASE...: run NAME's cases with the guest as their server
	name=$1
	shift
	"$CLOSEPROBE" run -c "$tmp/captures" --json "$tmp/$name.json" --peer-kernel "$kernel" \
	    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	status=$?
	skip_without_namespaces "$tmp/$name.out"
	grep -q 'Operation not permitted' "$tmp/$name.out" && grep -q 'TAP device' "$tmp/$name.out" &&
		{ echo "SKIP: no TAP device can be made here: $(grep -m1 'TAP device' "$tmp/$name.out")"; exit 77; }
	[ "$status" -eq 0 ] || fail "$name: exit status $status: $(cat "$tmp/$name.err" "$tmp/$name.out")"
	grep -q "^closeprobe: peer guest: kernel $release " "$tmp/$name.err" ||
		fail "$name: standard error names no guest kernel: $(cat "$tmp/$name.err")"
	# Both kernels in the JSON: this host's at the top, the guest's in each run.
	grep -q "^{\"version\":\"[^\"]*\",\"platform\":{\"os\":\"Linux\",\"release\":\"$(uname -r)\"" \
	    "$tmp/$name.json" || fail "$name: the JSON does not name this host's kernel first"
	n=$(grep -c ': PASS\.' "$tmp/$name.out")
	m=$(grep -o "\"peer\":{\"role\":\"server\",\"platform\":{\"os\":\"Linux\",\"release\":\"$release\"" \
	    "$tmp/$name.json" | wc -l)
	[ "$m" -eq "$n" ] || fail "$name: $m case runs of $n name the guest's kernel in the JSON"
}
peer_run first --peer-timeout 2s cases/fork-parent-close-silent.case
grep -q '^fork-parent-close-silent: PASS\.' "$tmp/first.out" ||
	fail "the guest's child role: $(grep '^fork' "$tmp/first.out")"
memo=$(ls "$tmp/cache/closeprobe"/kvm-hung-* 2>/dev/null)
if grep -q "^  note: the peer's first command gave no hello (.*); its fallback did" "$tmp/first.out"; then
	# KVM was given up for TCG: remembered, and not tried again.
	grep -q 'KVM, TCG if it hangs' "$tmp/first.err" || fail "a fall back with no KVM tried"
	grep -q '^kvm: no hello within 2000 ms: fell back to tcg$' "$memo" 2>/dev/null ||
		fail "the fall back to TCG is not remembered: '$memo'"
	kvm_hung=yes
else
	[ -z "$memo" ] || fail "no fall back to TCG, yet KVM is remembered as hung: $memo"
	kvm_hung=no
fi
peer_run rest cases/half-close-request.case cases/close-nothing-unread.case \
    cases/shutdown-drain-clean.case
if [ "$kvm_hung" = yes ]; then
	grep -q "TCG (kvm not tried, it hung here before (kvm: no hello within 2000 ms" "$tmp/rest.err" ||
		fail "KVM tried again though it hung: $(cat "$tmp/rest.err")"
	grep -q "first command gave no hello" "$tmp/rest.out" && fail "KVM waited for again"
fi
cat "$tmp/first.out" "$tmp/rest.out" >"$tmp/out"
n=$(grep -c ': PASS\.' "$tmp/out")
[ "$n" -ge 6 ] || fail "$n case runs passed, expected 6 or more: $(grep -v '^  ' "$tmp/out")"
grep -q "^  peer: server on Linux $release x86_64, stack linux $release\$" "$tmp/out" ||
	fail "the text names no guest kernel"
grep -q "^  path: peer: the server end through 'a guest with $kernel', reached at 198.18.0.2 via cpk0\$" \
    "$tmp/out" || fail "the text names no TAP link"

# Not a kernel: refused before anything boots, with the reason.
"$CLOSEPROBE" run -c "$tmp/bad" --peer-kernel "$srcdir/README.md" cases/half-close-request.case \
    >"$tmp/bad.out" 2>&1
status=$?
[ "$status" -eq 99 ] || fail "a README as the kernel: status $status, expected 99"
grep -q "README.md: .*" "$tmp/bad.out" || fail "no reason for a README as the kernel: $(cat "$tmp/bad.out")"
exit $((failures > 0))
