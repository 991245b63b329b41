#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# parallel-run.sh DIR [CASES] - two runs of the whole suite at once, each
# one case at a time (closeprobe run -j 1), into one captures directory:
# what make check's parallel.sh (two runs at once agree) and jobs.sh (-j 3
# agrees with -j 1) read (lib.sh's parallel_results), made once for both.
# Into DIR:
#   a.out, b.out        each run's output (verdicts, summary)
#   a.status, b.status  their exit statuses
#   c/                  the evidence both wrote
#   status              written last: both runs are complete
# CASES is $srcdir/cases by default.  Exits 0 when the results are there,
# whatever the cases did; 99 when not.
set -u

dir=${1:?usage: parallel-run.sh DIR [CASES]}
cases=${2:-${srcdir:-.}/cases}
: "${CLOSEPROBE:?CLOSEPROBE must name the closeprobe binary}"
rm -rf "$dir" && mkdir -p "$dir" || exit 99
"$CLOSEPROBE" run -j 1 --captures "$dir/c" "$cases" >"$dir/a.out" 2>&1 &
a=$!
"$CLOSEPROBE" run -j 1 --captures "$dir/c" "$cases" >"$dir/b.out" 2>&1 &
b=$!
wait "$a"
echo $? >"$dir/a.status" || exit 99
wait "$b"
echo $? >"$dir/b.status" || exit 99
echo 0 >"$dir/status.new" && mv -f "$dir/status.new" "$dir/status" || exit 99
