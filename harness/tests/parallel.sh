#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# parallel.sh - two closeprobe runs over the whole suite at once, into one
# captures directory, give the verdicts of a single run: every case passes
# (or skips) in both.  The two runs (each one case at a time) are the
# ones make check makes once (lib.sh's parallel_results, parallel-run.sh),
# which jobs.sh reads too.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin parallel
parallel_results
sa=$(cat "$parallel/a.status") sb=$(cat "$parallel/b.status")
skip_without_namespaces "$parallel/a.out"
verdicts() { sed -n 's/^\([a-z0-9-]*\( (IPv[46])\)\{0,1\}\): \([A-Z]*\)\..*/\1 \3/p' "$1" | sort; }
verdicts "$parallel/a.out" >"$tmp/va"
verdicts "$parallel/b.out" >"$tmp/vb"
n=$(grep -c . "$tmp/va")
if ! diff -u "$tmp/va" "$tmp/vb"; then
	echo "FAIL: the two runs disagree (diff above)"
	exit 1
fi
if grep -v -E ' (PASS|SKIP)$' "$tmp/va"; then
	echo "FAIL: cases above did not pass while another run was going"
	exit 1
fi
[ "$sa" -eq 0 ] && [ "$sb" -eq 0 ] || [ "$sa" -eq 77 ] || { echo "FAIL: exit $sa and $sb"; exit 1; }
ls "$parallel"/c/*.tmp >/dev/null 2>&1 && { echo "FAIL: temporary files left"; exit 1; }
echo "two runs at once: $n case runs each, identical verdicts"
exit 0
