#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# fuzz-regress.sh - every saved fuzz input (harness/fuzz/regress/<target>/)
# runs again through its target, built without libFuzzer
# (harness/fuzz/replay_<name>, see harness/fuzz/replay.c): no crash, no
# broken invariant, and (under --enable-sanitizers or --enable-fuzzing)
# no sanitizer report.  Inputs slower than FUZZ_SLOW_MS (100 ms) fail too.
set -u

srcdir=${srcdir:-.}
builddir=${builddir:-.}
status=0
total=0
for target in fuzz_case fuzz_trace fuzz_pcap fuzz_fastpath; do
	replay=$builddir/harness/fuzz/replay_${target#fuzz_}
	dir=$srcdir/harness/fuzz/regress/$target
	if [ ! -x "$replay" ]; then
		echo "FAIL: $replay is not built"
		exit 99
	fi
	n=0
	for f in "$dir"/*; do
		[ -f "$f" ] && n=$((n + 1))
	done
	if [ "$n" -eq 0 ]; then
		echo "$target: no regression inputs in $dir"
		continue
	fi
	total=$((total + n))
	out=$("$replay" "$dir" 2>&1)
	rc=$?
	echo "$out" | grep -v '^replay: ' || :
	if [ "$rc" -ne 0 ]; then
		echo "$out" | tail -n 40
		echo "FAIL: $target: status $rc replaying $dir"
		status=1
	elif echo "$out" | grep -q '^fuzz: slow unit'; then
		echo "FAIL: $target: an input slower than ${FUZZ_SLOW_MS:-100} ms"
		status=1
	fi
done
[ "$total" -gt 0 ] || { echo "no regression inputs at all"; exit 77; }
exit "$status"
