#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# jobs.sh - run -j N: the whole suite with several cases at once gives the
# verdicts of a run one case at a time, in case order, and the same
# evidence files; a stop signal stops every case running, starts no other
# and leaves no process behind.
#
# The run with -j 3 is the suite run make check makes once (lib.sh's
# suite_results: suite-run.sh runs it with -j 3), the run with -j 1 one
# of the two serial runs it makes once for parallel.sh (parallel_results:
# parallel-run.sh); this test compares them.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin jobs
suite_results
jobs=$suite_status
parallel_results

cp "$parallel/a.out" "$tmp/serial.out" || exit 99
serial=$(cat "$parallel/a.status")
skip_without_namespaces "$tmp/serial.out"
cp "$suite/suite.text" "$tmp/jobs.out" || exit 99
[ "$serial" -eq "$jobs" ] || fail "exit status $jobs with -j 3, $serial with -j 1"
# "name: STATUS." and "name (IPv6): STATUS.": in order, not sorted.
verdicts() { sed -n 's/^\([a-z0-9-]*\( (IPv[46])\)\{0,1\}\): \([A-Z]*\)\..*/\1 \3/p' "$1"; }
verdicts "$tmp/serial.out" >"$tmp/serial.v"
verdicts "$tmp/jobs.out" >"$tmp/jobs.v"
n=$(grep -c . "$tmp/serial.v")
[ "$n" -gt 1 ] || fail "no verdicts: $(head -c 300 "$tmp/serial.out")"
diff -u "$tmp/serial.v" "$tmp/jobs.v" || fail "-j 3 gave other verdicts, or another order (diff above)"
# The files (the suite run's directory also holds its reports and the
# guest's run).
(cd "$parallel/c" && ls) >"$tmp/serial.files"
(cd "$suite" && ls) | grep -vx -e suite.json -e suite.tap -e suite.text -e suite.status \
    -e guest >"$tmp/jobs.files"
diff -u "$tmp/serial.files" "$tmp/jobs.files" || fail "-j 3 wrote other evidence files"
tail -n 1 "$tmp/jobs.out" | grep -q "^closeprobe: $n case runs of " ||
	fail "summary: $(tail -n 1 "$tmp/jobs.out")"

# -j 0 is the default (4 per CPU); so is CLOSEPROBE_JOBS=0.
"$CLOSEPROBE" run -j 0 --captures "$tmp/c" "$srcdir/cases/close-nothing-unread.case" \
    >"$tmp/out" 2>&1 || fail "-j 0: $(cat "$tmp/out")"
CLOSEPROBE_JOBS=0 "$CLOSEPROBE" run --captures "$tmp/c" "$srcdir/cases/close-nothing-unread.case" \
    >"$tmp/out" 2>&1 || fail "CLOSEPROBE_JOBS=0: $(cat "$tmp/out")"

# A stop signal with two cases running and two waiting.
for name in hang1 hang2 after1 after2; do
	sed -e "s/^case .*/case      $name/" -e 's/^deadline .*/deadline  30s/' \
	    "$srcdir/harness/tests/report-cases/hang.case" >"$tmp/$name.case" || exit 99
done
rm -rf "$tmp/stop"
"$CLOSEPROBE" run -j 2 --captures "$tmp/stop" "$tmp/hang1.case" "$tmp/hang2.case" \
    "$tmp/after1.case" "$tmp/after2.case" >"$tmp/out" 2>&1 &
pid=$!
wait_for_file "$tmp/stop/hang1.pcap.*.tmp" && wait_for_file "$tmp/stop/hang2.pcap.*.tmp" ||
	fail "the two cases never started their captures"
sleep 0.2
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 99 ] || fail "stopped: exit status $status, expected 99"
for name in hang1 hang2; do
	grep -q "^$name: ERROR. stopped by SIGTERM" "$tmp/out" ||
		fail "$name was not stopped: $(head -c 400 "$tmp/out")"
	[ -s "$tmp/stop/$name.pcap" ] || fail "$name has no pcap"
done
grep -q "^closeprobe: stopped by SIGTERM; 2 of 4 cases not run$" "$tmp/out" ||
	fail "no line for the cases not run: $(cat "$tmp/out")"
grep -q "; not run: after1, after2$" "$tmp/out" || fail "the summary does not name them"
ls "$tmp/stop" | grep -q after && fail "a case started after the signal"
ls "$tmp"/stop/*.tmp >/dev/null 2>&1 && fail "temporary files left"
if ps -eo args | grep -v grep | grep -q "$tmp/hang"; then
	fail "processes left behind: $(ps -eo pid,args | grep "$tmp/hang" | grep -v grep)"
fi

[ "$failures" -eq 0 ] || exit 1
echo "-j 3 and -j 1: $n case runs, the same verdicts in the same order"
exit 0
