#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# case-verdict.sh CASE-FILE - one case's test, read from the suite run
# that make check does once (closeprobe run --json SUITE_JSON --captures
# DIR cases) rather than run again: prints the case's verdict files (each
# family's) as "closeprobe run CASE-FILE" would print them, and exits as
# it would: 0 PASS, 1 FAIL, 77 SKIP, 99 ERROR (the worst of the
# families).  A case the suite run lacks is an ERROR.
#
# Environment: SUITE_JSON (default captures/check/suite.json); the
# verdict files are where the JSON says ("evidence":{..."text":PATH}).
set -u

case_file=${1:?usage: case-verdict.sh CASE-FILE}
json=${SUITE_JSON:-captures/check/suite.json}
base=${case_file##*/}

if [ ! -r "$json" ]; then
	echo "case-verdict: $json: no suite run to read (make check runs it first)"
	exit 99
fi
# One line per case run; "file" names the case file as the run was given it.
records=$(grep "^{\"case\":\"[^\"]*\",\"file\":\"\\([^\"]*/\\)\\{0,1\\}$base\"," "$json")
if [ -z "$records" ]; then
	echo "case-verdict: $case_file: not in $json"
	exit 99
fi
worst=0
for status in $(printf '%s\n' "$records" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p'); do
	case $status in
	PASS) code=0 rank=0 ;;
	SKIP) code=77 rank=1 ;;
	FAIL) code=1 rank=2 ;;
	*) code=99 rank=3 ;;
	esac
	if [ "$rank" -ge "$worst" ]; then
		worst=$rank exit_code=$code
	fi
done
printf '%s\n' "$records" | while IFS= read -r record; do
	text=$(printf '%s\n' "$record" | sed -n 's/.*"evidence":{"pcap":"[^"]*","text":"\([^"]*\)".*/\1/p')
	if [ -n "$text" ]; then
		cat "$text" || echo "case-verdict: $text: the verdict file is missing"
	else
		# No evidence was written (the case stopped early): its error.
		printf '%s\n' "$record" | sed -n 's/.*"status":"\([A-Z]*\)","error":"\(\([^"\\]\|\\.\)*\)".*/\1: \2/p'
	fi
done
exit "${exit_code:-99}"
