#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# peer-kernel-run.sh DIR - the runs of closeprobe run --peer-kernel that
# peer-kernel.sh checks (lib.sh's peer_kernel_results).  Under make check
# they run right after guest-run.sh, in the same make job
# (check-guest-run): a guest never runs beside another one, and make -j
# would start a job that waits for another only once it has started
# every test after it.  Into DIR:
#   first.out, first.err, first.json, first.status
#             fork-parent-close-silent (a fork's child role in the guest)
#             with --peer-timeout 2s and a KVM memo of its own (DIR/cache):
#             where KVM hangs, the fall back to TCG and its memo
#   rest.out, rest.err, rest.json, rest.status
#             three more core cases (both families), the memo as the
#             first run left it
#   kernel    the kernel image booted;  captures/  the evidence
#   tmp/      $TMPDIR while they ran (qemu's files)
#   status    written last: the runs are complete
# or, when the guest cannot run here, only "skip": what is missing.
#
# The kernel: $CLOSEPROBE_GUEST_KERNEL, else Debian's 6.1 cloud kernel
# (lib.sh's need_guest_kernel).  The newest initramfs in
# $CLOSEPROBE_GUEST_CACHE (guest-run.sh's cache), if any, is copied into
# DIR/cache: the same image by content, not built again.  Exits 0 when
# DIR holds a result (status or skip), 99 when not.
set -u

dir=${1:?usage: peer-kernel-run.sh DIR}
: "${CLOSEPROBE:?CLOSEPROBE must name the closeprobe binary}"
srcdir=${srcdir:-.}
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
rm -rf "$dir" && mkdir -p "$dir/tmp" "$dir/cache/closeprobe" || exit 99

. "$srcdir/harness/tests/lib.sh"
tun=
[ -c /dev/net/tun ] && [ -r /dev/net/tun ] && [ -w /dev/net/tun ] || tun=", /dev/net/tun"
found=$(need_guest_kernel "$tun"; echo "kernel $kernel")
case $found in
"kernel "*) kernel=${found#kernel } ;;
*)
	echo "${found#SKIP: }" >"$dir/skip" || exit 99
	exit 0
	;;
esac
echo "$kernel" >"$dir/kernel" || exit 99
image=$(ls -t "${CLOSEPROBE_GUEST_CACHE:-/nonexistent}"/closeprobe/initramfs-*.cpio 2>/dev/null |
    head -n 1)
[ -z "$image" ] || cp "$image" "$dir/cache/closeprobe/" || exit 99

cd "$srcdir" || exit 99
peer_run() {	# NAME OPTION... CASE...
	name=$1
	shift
	TMPDIR=$dir/tmp XDG_CACHE_HOME=$dir/cache \
	    "$CLOSEPROBE" run -c "$dir/captures" --json "$dir/$name.json" --peer-kernel "$kernel" \
	    "$@" >"$dir/$name.out" 2>"$dir/$name.err"
	echo $? >"$dir/$name.status" || exit 99
}
peer_run first --peer-timeout 2s cases/fork-parent-close-silent.case
peer_run rest cases/half-close-request.case cases/close-nothing-unread.case \
    cases/shutdown-drain-clean.case
echo done >"$dir/status.new" && mv -f "$dir/status.new" "$dir/status" || exit 99
