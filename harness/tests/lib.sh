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
