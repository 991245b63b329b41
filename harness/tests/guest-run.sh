#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# guest-run.sh DIR - the one run of the whole suite inside a guest kernel
# that make check's guest tests read (lib.sh's guest_results: guest.sh,
# kernel-6.1.sh), so that one emulated boot serves both: closeprobe run -j
# 1 --kernel KERNEL over cases/ (from $srcdir, as a user runs it), into
# DIR:
#   status    its exit status, written last: the run is complete
#   out, err  its standard output (the verdicts) and error (the guest's
#             lines: kernel, accelerator, boot time)
#   run.json  its JSON;  captures/  the evidence it brought back
#   kernel    the kernel image booted
#   tmp/      $TMPDIR while it ran (qemu's files: none may stay)
# or, when the guest cannot run here, only "skip": what is missing.
#
# The cases run one at a time inside the guest (-j 1): two at once on two
# emulated CPUs of a loaded host shift the timing of late segments.  The
# kernel: $CLOSEPROBE_GUEST_KERNEL, else Debian's 6.1 cloud kernel
# (/boot/vmlinuz-6.1.*-cloud-amd64), else any /boot/vmlinuz-*-cloud-amd64.
# The initramfs cache (and the accelerator's, see closeprobe(1)) is
# $CLOSEPROBE_GUEST_CACHE, default DIR/cache.  Exits 0 when DIR holds a
# result (status or skip), 99 when not.
set -u

dir=${1:?usage: guest-run.sh DIR}
: "${CLOSEPROBE:?CLOSEPROBE must name the closeprobe binary}"
srcdir=${srcdir:-.}
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
rm -rf "$dir" && mkdir -p "$dir/tmp" || exit 99

kernel=${CLOSEPROBE_GUEST_KERNEL:-}
if [ -z "$kernel" ]; then
	for k in /boot/vmlinuz-*-cloud-amd64; do
		[ -r "$k" ] && kernel=$k
	done
	for k in /boot/vmlinuz-6.1.*-cloud-amd64; do
		[ -r "$k" ] && kernel=$k
	done
fi
missing=
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
	missing="$missing, qemu-system-x86_64 (qemu-system-x86)"
command -v busybox >/dev/null 2>&1 || [ -x /bin/busybox ] ||
	missing="$missing, busybox (busybox-static)"
[ -n "$kernel" ] && [ -r "$kernel" ] ||
	missing="$missing, a readable kernel image (\$CLOSEPROBE_GUEST_KERNEL or /boot/vmlinuz-6.1.*-cloud-amd64 from linux-image-cloud-amd64)"
if [ -n "$missing" ]; then
	echo "the guest tests need${missing#,}" >"$dir/skip" || exit 99
	exit 0
fi
echo "$kernel" >"$dir/kernel" || exit 99

cd "$srcdir" || exit 99
TMPDIR=$dir/tmp XDG_CACHE_HOME=${CLOSEPROBE_GUEST_CACHE:-$dir/cache} \
	"$CLOSEPROBE" run -j 1 --kernel "$kernel" --captures "$dir/captures" \
	--json "$dir/run.json" cases >"$dir/out" 2>"$dir/err"
echo $? >"$dir/status.new" && mv -f "$dir/status.new" "$dir/status" || exit 99
