#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# kernel-6.1.sh - the whole suite inside Debian's Linux 6.1 (closeprobe run
# --kernel), compared with the project's baseline for that kernel
# (baselines/linux-6.1.txt): no case may change, appear or go missing.
#
# The cases run one at a time inside the guest (-j 1): two at once on
# two emulated CPUs of a loaded host shift the timing of late segments.
# Left out of the comparison, because timing or chance decides them and
# the case's own expectations (its status is compared) say what matters:
# the kernel counters, how many RSTs follow the first, close() and
# shutdown() durations, and the random-loss case's loss split.  Needs qemu,
# busybox and a readable /boot/vmlinuz-*-cloud-amd64 (or
# $CLOSEPROBE_GUEST_KERNEL); skips naming what is missing.
. "${srcdir:-.}/harness/tests/lib.sh"

need_guest_kernel
test_begin kernel-6.1
TMPDIR=$tmp XDG_CACHE_HOME=$tmp/cache
export TMPDIR XDG_CACHE_HOME

cd "$srcdir" || exit 99
"$CLOSEPROBE" run -q -j 1 --kernel "$kernel" --captures "$tmp/captures" --json "$tmp/run.json" \
    cases >"$tmp/out" 2>"$tmp/err"
status=$?
cat "$tmp/err" "$tmp/out"
[ "$status" -eq 0 ] || fail "the suite in the guest exited $status"

"$CLOSEPROBE" compare --brief --ignore 'kernel *' --ignore 'rsts *' \
    --ignore 'close *' --ignore 'shutdown *' \
    --ignore 'veth-lossy-truncates/4 lost *' --ignore 'veth-lossy-truncates/4 rst client' \
    baselines/linux-6.1.txt "$tmp/run.json" >"$tmp/compare" 2>&1
status=$?
cat "$tmp/compare"
[ "$status" -eq 0 ] || fail "the guest's run differs from baselines/linux-6.1.txt ($status)"
grep -q ' 0 changed, 0 new, 0 missing' "$tmp/compare" || fail "the comparison's summary: $(tail -n 1 "$tmp/compare")"
[ "$failures" -eq 0 ]
