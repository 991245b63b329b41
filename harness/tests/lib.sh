# lib.sh - what the shell tests share.  Source it, then start the test:
#   . "${srcdir:-.}/harness/tests/lib.sh"
#   test_begin NAME
# It gives $tmp (removed on exit), fail MESSAGE (counted in $failures)
# and skip_without_namespaces OUTPUT-FILE.

test_begin() {
	srcdir=${srcdir:-.}
	: "${CLOSEPROBE:?CLOSEPROBE must name the closeprobe binary}"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/closeprobe-$1.XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT
	failures=0
}

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# Cases cannot run here at all (no network namespace): skip, as cases do.
skip_without_namespaces() {
	if grep -q "cannot create a" "$1"; then
		cat "$1"
		exit 77
	fi
}

# Wait (at most 5 s) until a file matching the glob exists: the run under
# test has reached that point.  0 when it did, 1 when it did not.
wait_for_file() {
	i=0
	while [ "$i" -lt 100 ]; do
		for f in $1; do
			[ -e "$f" ] && return 0
		done
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# The Linux 6.1 guest's needs: sets $kernel ($CLOSEPROBE_GUEST_KERNEL, else
# a readable /boot/vmlinuz-6.1.*-cloud-amd64), or skips naming what is
# missing: qemu, busybox, the kernel, and what the caller found missing
# already ($1, ", what" each).
need_guest_kernel() {
	missing=${1:-}
	kernel=${CLOSEPROBE_GUEST_KERNEL:-}
	if [ -z "$kernel" ]; then
		for k in /boot/vmlinuz-6.1.*-cloud-amd64; do
			[ -r "$k" ] && kernel=$k
		done
	fi
	command -v qemu-system-x86_64 >/dev/null 2>&1 ||
		missing="$missing, qemu-system-x86_64 (qemu-system-x86)"
	command -v busybox >/dev/null 2>&1 || [ -x /bin/busybox ] ||
		missing="$missing, busybox (busybox-static)"
	[ -n "$kernel" ] ||
		missing="$missing, a readable /boot/vmlinuz-6.1.*-cloud-amd64 (linux-image-cloud-amd64)"
	if [ -n "$missing" ]; then
		echo "SKIP: ${0##*/} needs${missing#,}"
		exit 77
	fi
}
