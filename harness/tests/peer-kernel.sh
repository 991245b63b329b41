#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# peer-kernel.sh - run --peer-kernel: the server role in a guest booted
# with Debian's Linux 6.1 ("closeprobe peer" on a virtio port, the
# connection over a TAP link in each case's namespace, the capture on
# it), the client on this host's kernel: a real two-kernel connection.
# A few core cases pass in both families (a fork's child role too), the text and the JSON name both
# kernels, and an image that is not a kernel is refused with the reason.
# The default accelerator: KVM, and TCG when the KVM guest says nothing
# in time (as here).  Needs qemu, busybox, /dev/net/tun and a readable
# /boot/vmlinuz-6.1.*-cloud-amd64 (or $CLOSEPROBE_GUEST_KERNEL); skips
# naming what is missing.
. "${srcdir:-.}/harness/tests/lib.sh"

tun=
[ -c /dev/net/tun ] && [ -r /dev/net/tun ] && [ -w /dev/net/tun ] || tun=", /dev/net/tun"
need_guest_kernel "$tun"
test_begin peer-kernel
TMPDIR=$tmp XDG_CACHE_HOME=$tmp/cache
export TMPDIR XDG_CACHE_HOME
release=$(basename "$kernel" | sed 's/^vmlinuz-//')

cd "$srcdir" || exit 99
"$CLOSEPROBE" run -c "$tmp/captures" --json "$tmp/run.json" --peer-kernel "$kernel" \
    cases/half-close-request.case cases/close-nothing-unread.case \
    cases/shutdown-drain-clean.case cases/fork-parent-close-silent.case >"$tmp/out" 2>"$tmp/err"
status=$?
skip_without_namespaces "$tmp/out"
grep -q 'Operation not permitted' "$tmp/out" && grep -q 'TAP device' "$tmp/out" &&
	{ echo "SKIP: no TAP device can be made here: $(grep -m1 'TAP device' "$tmp/out")"; exit 77; }
[ "$status" -eq 0 ] || fail "exit status $status: $(cat "$tmp/err" "$tmp/out")"
n=$(grep -c ': PASS\.' "$tmp/out")
[ "$n" -ge 6 ] || fail "$n case runs passed, expected 6 or more: $(grep -v '^  ' "$tmp/out")"
grep -q '^fork-parent-close-silent: PASS\.' "$tmp/out" || fail "the guest's child role: $(grep '^fork' "$tmp/out")"
grep -q "^closeprobe: peer guest: kernel $release " "$tmp/err" ||
	fail "standard error names no guest kernel: $(cat "$tmp/err")"
grep -q "^  peer: server on Linux $release x86_64, stack linux $release\$" "$tmp/out" ||
	fail "the text names no guest kernel"
grep -q "^  path: peer: the server end through 'a guest with $kernel', reached at 198.18.0.2 via cpk0\$" \
    "$tmp/out" || fail "the text names no TAP link"
# Both kernels in the JSON: this host's at the top, the guest's in each run.
grep -q "^{\"version\":\"[^\"]*\",\"platform\":{\"os\":\"Linux\",\"release\":\"$(uname -r)\"" \
    "$tmp/run.json" || fail "the JSON does not name this host's kernel first"
m=$(grep -o "\"peer\":{\"role\":\"server\",\"platform\":{\"os\":\"Linux\",\"release\":\"$release\"" \
    "$tmp/run.json" | wc -l)
[ "$m" -eq "$n" ] || fail "$m case runs of $n name the guest's kernel in the JSON"

# Not a kernel: refused before anything boots, with the reason.
"$CLOSEPROBE" run -c "$tmp/bad" --peer-kernel "$srcdir/README.md" cases/half-close-request.case \
    >"$tmp/bad.out" 2>&1
status=$?
[ "$status" -eq 99 ] || fail "a README as the kernel: status $status, expected 99"
grep -q "README.md: .*" "$tmp/bad.out" || fail "no reason for a README as the kernel: $(cat "$tmp/bad.out")"
exit $((failures > 0))
