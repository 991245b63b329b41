#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# junit.sh - run --junit FILE writes JUnit XML that validates against the
# schema of what CI dashboards read (harness/tests/junit.xsd), with the
# counts expected: a testcase per case run, a failure with the expectation
# and what was observed, skipped and error with why, and the pcap and the
# verdict file as [[ATTACHMENT|path]] lines in system-out.  A case file
# that does not parse is an error testcase.  Needs xmllint (Debian:
# libxml2-utils).
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin junit

if ! command -v xmllint >/dev/null 2>&1; then
	echo "SKIP: xmllint is not installed (apt-get install libxml2-utils)"
	exit 77
fi
schema=$srcdir/harness/tests/junit.xsd
cp "$srcdir"/harness/tests/report-cases/*.case "$tmp/" || exit 99


# valid FILE: well-formed and valid against the schema.
valid() {
	xmllint --noout --schema "$schema" "$1" >"$tmp/lint" 2>&1 ||
		fail "$1 does not validate: $(cat "$tmp/lint")"
}
# xpath FILE EXPRESSION: the string value.
xpath() { xmllint --xpath "$2" "$1" 2>/dev/null; }
# expect_xpath FILE EXPRESSION WANTED
expect_xpath() {
	got=$(xpath "$1" "$2")
	[ "$got" = "$3" ] || fail "$2: '$got', expected '$3'"
}

"$CLOSEPROBE" run --junit "$tmp/run.xml" --captures "$tmp/c" "$tmp/both.case" "$tmp/bad.case" \
    "$tmp/elsewhere.case" "$tmp/hang.case" >"$tmp/out" 2>&1
status=$?
skip_without_namespaces "$tmp/out"
[ "$status" -eq 99 ] || fail "exit status $status, expected 99"
grep -q '^both (IPv4): PASS\.' "$tmp/out" || fail "the text is not on standard output"
valid "$tmp/run.xml"
x=$tmp/run.xml
expect_xpath "$x" 'count(/testsuites/testsuite)' 1
expect_xpath "$x" 'string(/testsuites/testsuite/@tests)' 5
expect_xpath "$x" 'string(/testsuites/testsuite/@failures)' 1
expect_xpath "$x" 'string(/testsuites/testsuite/@errors)' 1
expect_xpath "$x" 'string(/testsuites/testsuite/@skipped)' 1
expect_xpath "$x" 'string(/testsuites/@tests)' 5
expect_xpath "$x" 'count(//testcase)' 5
expect_xpath "$x" 'count(//testcase[failure])' 1
expect_xpath "$x" 'count(//testcase[error])' 1
expect_xpath "$x" 'count(//testcase[skipped])' 1
expect_xpath "$x" 'string(//testcase[2]/@name)' 'both (IPv6)'
expect_xpath "$x" 'string(//property[@name="platform.os"]/@value)' Linux
expect_xpath "$x" 'string(//testcase[@name="bad"]/failure/@message)' \
    'expect teardown rst from server; observed teardown fin (and 1 more)'
failure=$(xpath "$x" 'string(//testcase[@name="bad"]/failure)')
printf '%s\n' "$failure" | grep -qx "$tmp/bad.case:8: expect teardown rst from server; observed teardown fin" &&
    printf '%s\n' "$failure" | grep -q "^$tmp/bad.case:10: expect client->server discarded = 7; observed " ||
	fail "the failure's text: $failure"
expect_xpath "$x" 'string(//testcase[@name="elsewhere"]/skipped/@message)' \
    'the case has no expectations for linux; what was observed is reported below'
xpath "$x" 'string(//testcase[@name="hang"]/error/@message)' | grep -q '^deadline of 1 s passed' ||
	fail "the error: $(xpath "$x" 'string(//testcase[@name="hang"]/error/@message)')"
# The evidence as attachments, and the files are there.
out=$(xpath "$x" 'string(//testcase[@name="bad"]/system-out)')
printf '%s\n' "$out" | grep -q '^bad: FAIL\. ' || fail "no verdict in system-out: $out"
for file in bad.pcap bad.txt; do
	printf '%s\n' "$out" | grep -qx "\[\[ATTACHMENT|$tmp/c/$file\]\]" ||
		fail "no attachment $file: $out"
	[ -s "$tmp/c/$file" ] || fail "the attachment $file is missing"
done

# JUnit on standard output, the text on standard error.
"$CLOSEPROBE" run --junit - --captures "$tmp/c" "$tmp/both.case" >"$tmp/stdout.xml" 2>"$tmp/err" ||
	fail "--junit -: status $?"
valid "$tmp/stdout.xml"
grep -q '^both (IPv4): PASS\.' "$tmp/err" || fail "--junit -: the text is not on standard error"
expect_xpath "$tmp/stdout.xml" 'string(/testsuites/testsuite/@tests)' 2

# A case file that does not parse: an error testcase, nothing runs.
"$CLOSEPROBE" run --junit "$tmp/typo.xml" --captures "$tmp/c2" "$tmp/typo.case" "$tmp/both.case" \
    >/dev/null 2>&1
[ $? -eq 99 ] || fail "a bad case file: status not 99"
valid "$tmp/typo.xml"
expect_xpath "$tmp/typo.xml" 'string(/testsuites/testsuite/@errors)' 1
expect_xpath "$tmp/typo.xml" 'string(//testcase/@name)' "$tmp/typo.case"
xpath "$tmp/typo.xml" 'string(//testcase/error/@message)' | grep -q "unknown step 'sned'" ||
	fail "a bad case file: $(cat "$tmp/typo.xml")"

[ "$failures" -eq 0 ] || exit 1
exit 0
