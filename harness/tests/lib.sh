# lib.sh - what the shell tests share.  Source it, then start the test:
#   . "${srcdir:-.}/harness/tests/lib.sh"
#   test_begin NAME
# It gives $tmp (removed on exit), fail MESSAGE (counted in $failures)
# and skip_without_namespaces OUTPUT-FILE; suite_results and
# guest_results give the one run of the suite (on this kernel, in a
# guest) that make check makes for every test that reads it, and
# parallel_results its two serial runs at once.

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
	if [ -n "${CLOSEPROBE_SUITE_DIR:-}" ]; then
		suite=$CLOSEPROBE_SUITE_DIR
	else
		suite=$tmp/suite
		sh "$srcdir/harness/tests/suite-run.sh" "$suite" ${1:+"$1"} || exit 99
	fi
	if [ ! -r "$suite/suite.status" ]; then
		echo "ERROR: no suite run in $suite (suite-run.sh makes it)"
		exit 99
	fi
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
	if [ -n "${CLOSEPROBE_GUEST_DIR:-}" ]; then
		guest=$CLOSEPROBE_GUEST_DIR
	else
		guest=$tmp/guest
		sh "$srcdir/harness/tests/guest-run.sh" "$guest" || exit 99
	fi
	if [ -r "$guest/skip" ]; then
		echo "SKIP: $(cat "$guest/skip")"
		exit 77
	fi
	if [ ! -r "$guest/status" ]; then
		echo "ERROR: no guest run in $guest (guest-run.sh makes it)"
		exit 99
	fi
	guest_status=$(cat "$guest/status")
	guest_kernel=$(cat "$guest/kernel")
}

# parallel_results [CASES]: two runs of the whole suite at once, each one
# case at a time, into one captures directory (see parallel-run.sh), in
# $parallel: a.out, b.out (their output), a.status, b.status, c/ (the
# evidence).  Under make check the Makefile's one run
# ($CLOSEPROBE_PARALLEL_DIR, for parallel.sh and jobs.sh); by hand, one of
# the test's own into $tmp/parallel.
parallel_results() {
	if [ -n "${CLOSEPROBE_PARALLEL_DIR:-}" ]; then
		parallel=$CLOSEPROBE_PARALLEL_DIR
	else
		parallel=$tmp/parallel
		sh "$srcdir/harness/tests/parallel-run.sh" "$parallel" ${1:+"$1"} || exit 99
	fi
	if [ ! -r "$parallel/status" ]; then
		echo "ERROR: no parallel run in $parallel (parallel-run.sh makes it)"
		exit 99
	fi
}
