#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# suite-run.sh DIR [CASES] - the one run of the whole suite that make
# check's tests read (lib.sh's suite_results; issue 16: run each case
# once, check it every way from that one run): closeprobe run -j
# $CLOSEPROBE_SUITE_JOBS (default 3) --tap --json over CASES (default
# $srcdir/cases), into DIR:
#   suite.tap     its TAP (the cases' tests: case-verdict.sh)
#   suite.text    its verdicts as text (standard error under --tap)
#   suite.json    its JSON (analyze-agrees.sh, tshark-agrees.sh)
#   suite.status  its exit status, written last: the run is complete
#   *.pcap *.txt *.svg  the evidence
# The evidence of an earlier run in DIR is removed first.  Exits 0 when
# the run's results are there, whatever the cases did; 99 when not.
set -u

dir=${1:?usage: suite-run.sh DIR [CASES]}
cases=${2:-${srcdir:-.}/cases}
: "${CLOSEPROBE:?CLOSEPROBE must name the closeprobe binary}"
mkdir -p "$dir" || exit 99
rm -f "$dir"/*.pcap "$dir"/*.txt "$dir"/*.svg "$dir"/*.tmp "$dir"/suite.json "$dir"/suite.tap \
	"$dir"/suite.text "$dir"/suite.status || exit 99
"$CLOSEPROBE" run -j "${CLOSEPROBE_SUITE_JOBS:-3}" --tap --json "$dir/suite.json" \
	--captures "$dir" "$cases" >"$dir/suite.tap" 2>"$dir/suite.text"
echo $? >"$dir/suite.status.new" && mv -f "$dir/suite.status.new" "$dir/suite.status" || exit 99
