#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# readme-examples.sh - the README's examples still work: every ```sh block
# marked runnable, a line "<!-- runnable -->" just before its fence, runs
# with sh -e, in order, in one scratch directory laid out as a built
# source tree (harness/closeprobe, cases/; closeprobe also on PATH; the
# evidence goes to captures/ as by default).  A block fails the test when
# it exits non-zero: a file name gone stale, an option renamed.  A block
# that needs a program not installed here is skipped, and said.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin readme-examples

readme=${README:-$srcdir/README.md}
[ -f "$readme" ] || { echo "FAIL: $readme is missing"; exit 1; }

# The blocks: $tmp/block.N, the commands of each.
awk -v dir="$tmp" '
	/^<!-- runnable -->$/ { marked = NR; next }
	/^```sh$/ && marked == NR - 1 { n++; f = dir "/block." n; inside = 1; next }
	/^```/ && inside { inside = 0; close(f); next }
	inside { print > f }' "$readme" || exit 99
blocks=$(ls "$tmp"/block.* 2>/dev/null | sort -t. -k2 -n)
if [ -z "$blocks" ]; then
	echo "SKIP: $readme marks no example runnable ('<!-- runnable -->' before a \`\`\`sh fence)"
	exit 77
fi

work=$tmp/work
mkdir -p "$work/harness" "$tmp/bin" || exit 99
ln -s "$CLOSEPROBE" "$work/harness/closeprobe"
ln -s "$CLOSEPROBE" "$tmp/bin/closeprobe"
cp -R "$srcdir/cases" "$work/cases" || exit 99
chmod -R u+w "$work/cases"

# The programs a block runs: the first word of each command (continued
# lines joined, quoted words left out), and of each part of a pipe or list.
programs() {
	sed -e ':a' -e '/\\$/N' -e 's/\\\n//' -e 'ta' "$1" |
	    sed -e "s/'[^']*'//g" -e 's/"[^"]*"//g' -e 's/#.*//' | tr '|;&' '\n\n\n' |
	    sed -e 's/^[[:space:]]*//' -e 's/[[:space:]].*//' | grep -v '^$' | sort -u
}

ran=0 skipped=0
for block in $blocks; do
	n=${block##*.}
	missing=
	for program in $(programs "$block"); do
		case $program in
		harness/closeprobe | closeprobe | cd | echo | test | '[') ;;
		*) command -v "$program" >/dev/null 2>&1 || missing="$missing $program" ;;
		esac
	done
	if [ -n "$missing" ]; then
		echo "skip: example $n needs$missing"
		skipped=$((skipped + 1))
		continue
	fi
	echo "example $n:"
	sed 's/^/    /' "$block"
	(cd "$work" && PATH="$tmp/bin:$PATH" sh -e "$block") >"$tmp/out.$n" 2>&1
	status=$?
	skip_without_namespaces "$tmp/out.$n"
	if [ "$status" -ne 0 ]; then
		fail "example $n exited $status: $(tail -n 5 "$tmp/out.$n")"
	fi
	ran=$((ran + 1))
done

echo "$ran examples ran, $skipped skipped, $failures failed"
[ "$failures" -eq 0 ] || exit 1
[ "$ran" -gt 0 ] || exit 77
exit 0
