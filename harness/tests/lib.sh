# lib.sh - what the shell tests share.  Source it, then start the test:
#   . "${srcdir:-.}/harness/tests/lib.sh"
#   test_begin NAME
# It gives $tmp (removed on exit), fail MESSAGE (counted in $failures)
# and skip_without_namespaces OUTPUT-FILE; suite_results and
# guest_results give the one run of the suite (on this kernel, in a
# guest) that make check makes for every test that reads it,
# parallel_results its two serial runs at once, and peer_kernel_results
# its runs with a guest as the peer.

# Where $tmp goes: $TMPDIR when set, else /dev/shm when it is a writable
# directory (tmpfs: making and removing the thousands of small files a
# test writes costs a tenth of what it does on a disk mounted with
# "discard"), else /tmp.
test_tmpdir() {
	if [ -n "${TMPDIR:-}" ]; then
		echo "$TMPDIR"
	elif [ -d /dev/shm ] && [ -w /dev/shm ]; then
		echo /dev/shm
	else
		echo /tmp
	fi
}

test_begin() {
	srcdir=${srcdir:-.}
	: "${CLOSEPROBE:?CLOSEPROBE must name the closeprobe binary}"
	tmp=$(mktemp -d "$(test_tmpdir)/closeprobe-$1.XXXXXX") || exit 99
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

# suite_results [CASES]: one run of the whole suite (closeprobe run --tap
# --json over cases/ or CASES, see suite-run.sh) in $suite: suite.json,
# suite.tap, suite.text (the verdicts as text), suite.status (its exit
# status), the evidence files beside them.  Under make check it is the run the Makefile
# made once for every test that reads it ($CLOSEPROBE_SUITE_DIR); run by
# hand, a run of the test's own into $tmp/suite.  Skips (77) when the
# suite cannot run here (its status 77); $suite_status is its exit status.
suite_results() {
	shared_run "${CLOSEPROBE_SUITE_DIR:-}" suite-run.sh suite suite.status ${1:+"$1"}
	suite=$shared
	suite_status=$(cat "$suite/suite.status")
	if [ "$suite_status" -eq 77 ]; then
		echo "SKIP: the suite cannot run here:"
		head -n 5 "$suite/suite.text"
		exit 77
	fi
}

# guest_results: one run of the whole suite inside a guest kernel
# (closeprobe run --kernel, see guest-run.sh) in $guest: run.json, out,
# err, status, captures/ (its evidence), tmp/ (qemu's files while it
# ran), or a file "skip" saying what is missing here (then this skips,
# 77).  Under make check the Makefile's one run ($CLOSEPROBE_GUEST_DIR);
# by hand, one of the test's own into $tmp/guest.
guest_results() {
	shared_run "${CLOSEPROBE_GUEST_DIR:-}" guest-run.sh guest "skip status"
	guest=$shared
	if [ -r "$guest/skip" ]; then
		echo "SKIP: $(cat "$guest/skip")"
		exit 77
	fi
	guest_status=$(cat "$guest/status")
	guest_kernel=$(cat "$guest/kernel")
}
# peer_kernel_results: the runs of closeprobe run --peer-kernel that
# peer-kernel.sh checks (see peer-kernel-run.sh) in $peer_kernel, the
# image booted in $peer_kernel_image, or a file "skip" saying what is
# missing here (then this skips, 77).  Under make check the Makefile's
# runs ($CLOSEPROBE_PEER_KERNEL_DIR, made right after the guest run); by
# hand, the test's own into $tmp/peer-kernel.
peer_kernel_results() {
	shared_run "${CLOSEPROBE_PEER_KERNEL_DIR:-}" peer-kernel-run.sh peer-kernel "skip status"
	peer_kernel=$shared
	if [ -r "$peer_kernel/skip" ]; then
		echo "SKIP: $(cat "$peer_kernel/skip")"
		exit 77
	fi
	peer_kernel_image=$(cat "$peer_kernel/kernel")
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

# parallel_results [CASES]: two runs of the whole suite at once, each one
# case at a time, into one captures directory (see parallel-run.sh), in
# $parallel: a.out, b.out (their output), a.status, b.status, c/ (the
# evidence).  Under make check the Makefile's one run
# ($CLOSEPROBE_PARALLEL_DIR, for parallel.sh and jobs.sh); by hand, one of
# the test's own into $tmp/parallel.
parallel_results() {
	shared_run "${CLOSEPROBE_PARALLEL_DIR:-}" parallel-run.sh parallel status ${1:+"$1"}
	parallel=$shared
}

# shared_run MAKE-DIR SCRIPT NAME READY [CASES]: in $shared, the directory
# of a run make check makes once for the tests that read it (MAKE-DIR,
# from its environment); when that is empty (by hand), a run of the
# test's own into $tmp/NAME (harness/tests/SCRIPT DIR [CASES]).  An error
# (99) unless one of the files READY (what the run writes last) is there.
shared_run() {
	if [ -n "$1" ]; then
		shared=$1
	else
		shared=$tmp/$3
		sh "$srcdir/harness/tests/$2" "$shared" ${5:+"$5"} || exit 99
	fi
	for ready in $4; do
		[ -r "$shared/$ready" ] && return 0
	done
	echo "ERROR: no $3 run in $shared ($2 makes it)"
	exit 99
}
