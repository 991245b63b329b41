#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# manpages.sh - the manual pages: both render without a warning, and they
# document exactly what the program accepts.
#
# The case language's words are not listed here by hand: they come from
# the parser itself.  Every word in a string literal of the parser's
# sources (harness/lang/*.c) is a candidate; each candidate is put into a
# tiny generated case file, once per context (a line on its own, "set
# WORD", "teardown WORD", ...), and "closeprobe list", which parses and
# never runs, says which ones it refuses with the message it gives for an
# unknown word of that context ("unknown step 'WORD'", ...).  A word the
# parser accepts is found this way whatever file its table lives in; a
# word that only exists in the page is refused by the parser.  A context
# whose message changed is noticed: a made-up word must be refused, and
# some candidate must be accepted.
#
# Then closeprobe-case(5) must list, as the first word of an item, exactly
# the directives, section labels, steps and expectation heads the parser
# accepts, and name every other word the parser accepts (options, values,
# errno and signal names); the case files shown in it must parse; and
# closeprobe(1) must name every command, option and --fail-on flag the
# program's own usage shows.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin manpages

case_page=$srcdir/doc/closeprobe-case.5
command_page=$srcdir/doc/closeprobe.1
for page in "$command_page" "$case_page"; do
	[ -f "$page" ] || { echo "FAIL: $page is missing"; exit 1; }
done

# 1. Lint: with every linter that is installed, no message at all.
lint() {
	"$@" >"$tmp/lint" 2>&1
	status=$?
	if [ "$status" -ne 0 ] || [ -s "$tmp/lint" ]; then
		fail "$*: status $status: $(cat "$tmp/lint")"
	fi
}
# What a reader sees: man-db formats for an 80-column terminal.
man_warnings() {
	LC_ALL=C MANWIDTH=80 MANPAGER=cat PAGER=cat man --warnings=w -l "$1" >/dev/null
}
linters=
command -v mandoc >/dev/null 2>&1 && linters="$linters mandoc"
command -v groff >/dev/null 2>&1 && linters="$linters groff"
man --version 2>/dev/null | grep -q man-db && linters="$linters man"
for page in "$command_page" "$case_page"; do
	for linter in $linters; do
		case $linter in
		mandoc) lint mandoc -T lint -W warning "$page" ;;
		groff) lint groff -mdoc -ww -z "$page" ;;
		man) lint man_warnings "$page" ;;
		esac
	done
done

# 2. The parser's words.
probe=$tmp/probe
mkdir "$probe" || exit 99
unknown=zzunknownword
lang_sources=$(ls "$srcdir"/harness/lang/*.c 2>/dev/null)
[ -n "$lang_sources" ] || { echo "FAIL: no parser sources in $srcdir/harness/lang"; exit 1; }
# shellcheck disable=SC2086
cat $lang_sources | grep -o '"[^"]*"' | tr -cs 'A-Za-z0-9_.>-' '\n' |
    sed 's/\.$//' | grep -E '^[A-Za-z][A-Za-z0-9_.>-]{0,39}$' | sort -u >"$probe/words"
# Heads written ROLE.WORD are built from the role and the word by the
# parser's tables, so they are candidates too: "client." and each word.
# (Only the words of the expectation parser, to keep the probe small.)
grep -o '"[a-z_]*"' "$srcdir"/harness/lang/parse_expect.c 2>/dev/null | tr -d '"' |
    grep -E '^[a-z_]+$' | sort -u | sed 's/^/client./' >"$probe/role-heads"
cat "$probe/role-heads" >>"$probe/words"
sort -u -o "$probe/words" "$probe/words"
echo "$unknown" >>"$probe/words"

# Contexts: NAME|FRAME|LINE|REFUSAL.  FRAME says where LINE goes: "top"
# (before any section), "step" (in the server's steps) or "expect".  The
# parser refuses WORD in that context when its message holds REFUSAL.
cat >"$probe/contexts" <<'EOF'
directive|top|@W@|not '@W@'
label|top|@W@:|unknown section '@W@:'
role|step|wait @W@.x|unknown role '@W@' in
head|expect|@W@ exits normally|unknown expectation '@W@'
set|step|set @W@|unknown option '@W@'
on-off|step|set nodelay @W@|set nodelay needs 'on' or 'off', not '@W@'
linger|step|set linger @W@|not '@W@'
sigpipe|step|set sigpipe @W@|set sigpipe needs 'default' or 'ignore', not '@W@'
send|step|send @W@|send needs a size or 'fill', not '@W@'
send-option|step|send 1 @W@|unknown send option '@W@'
recv|step|recv @W@|recv needs a size or 'all', not '@W@'
recv-option|step|recv all @W@|unknown recv option '@W@'
shutdown|step|shutdown @W@|unknown shutdown direction '@W@'
await|step|await @W@ 1|unknown queue '@W@'
step-end|step|close @W@ 1s|unexpected '@W@'
teardown|expect|teardown @W@|unknown teardown '@W@'
rst|expect|rst from server @W@|unknown RST kind '@W@'
outcome|expect|client->server @W@|unknown outcome '@W@'
read-end|expect|client.recv ends @W@|unknown errno '@W@'
fate|expect|client @W@|not '@W@'
signal|expect|client killed by @W@|unknown signal '@W@'
poll|expect|client.poll includes @W@|unknown poll flag '@W@'
system|top|expect @W@:|unknown system '@W@'
family|top|family @W@|unknown family '@W@'
topology|top|topology @W@|unknown topology '@W@'
offloads|top|offloads @W@|unknown offloads '@W@'
capture|top|capture @W@|unknown capture '@W@'
direction|top|rate @W@ 1mbit|unknown direction '@W@'
delay|top|delay server->client 1ms @W@|unknown delay option '@W@'
EOF
# The two classes the directive context cannot tell apart from an unknown
# word: they are refused outside a section with a message of their own.
cat >"$probe/toplevel" <<'EOF'
step|step '@W@' outside a
expectation|expectation '@W@' outside the
EOF

# One directory of case files per context, file N holding word N.
awk -F'|' -v dir="$probe" '
	NR == FNR { words[++n] = $0; next }
	{
		ctx = $1; frame = $2; line = $3
		system("mkdir \"" dir "/" ctx "\"")
		for (i = 1; i <= n; i++) {
			l = line
			gsub(/@W@/, words[i], l)
			f = dir "/" ctx "/" i ".case"
			if (frame == "top")
				print l "\ncase probe\nclient: connect\nserver: accept\nexpect: no rst" > f
			else if (frame == "step")
				print "case probe\nclient: connect\nserver: accept\n        " l "\nexpect: no rst" > f
			else
				print "case probe\nclient: connect\nserver: accept\nexpect: " l > f
			close(f)
		}
	}' "$probe/words" "$probe/contexts" || exit 99

while IFS='|' read -r ctx frame line refusal; do
	"$CLOSEPROBE" list "$probe/$ctx" >/dev/null 2>"$probe/$ctx.err"
	status=$?
	# 0 or 99 (some file refused); anything else, or a sanitizer's
	# report, is a failure of the harness itself.
	if { [ "$status" -ne 0 ] && [ "$status" -ne 99 ]; } ||
	    grep -Eq 'Sanitizer|runtime error' "$probe/$ctx.err"; then
		cat "$probe/$ctx.err"
		exit 99
	fi
done <"$probe/contexts"

# accepted CONTEXT MODE REFUSAL: the words whose file's messages do (MODE
# "with") or do not (MODE "without") hold REFUSAL, WORD filled in.
accepted() {
	awk -v dir="$probe/$1/" -v mode="$2" -v pattern="$3" '
		NR == FNR { words[++n] = $0; next }
		{
			if (index($0, dir) != 1)
				next
			rest = substr($0, length(dir) + 1)
			i = substr(rest, 1, index(rest, ".case") - 1) + 0
			p = pattern
			gsub(/@W@/, words[i], p)
			if (index($0, p) > 0)
				hit[i] = 1
		}
		END {
			for (i = 1; i <= n; i++)
				if ((mode == "with") == (i in hit))
					print words[i]
		}' "$probe/words" "$probe/$1.err" | sort -u
}

while IFS='|' read -r ctx frame line refusal; do
	accepted "$ctx" without "$refusal" >"$probe/$ctx.words"
	if grep -qx "$unknown" "$probe/$ctx.words"; then
		fail "context '$line': the parser did not refuse '$unknown' with \"$refusal\" (did its message change?): $(grep -m1 . "$probe/$ctx.err")"
	fi
	if [ ! -s "$probe/$ctx.words" ]; then
		fail "context '$line': the parser accepted no word at all"
	fi
done <"$probe/contexts"
while IFS='|' read -r class refusal; do
	accepted directive with "$refusal" >"$probe/$class.words"
	[ -s "$probe/$class.words" ] || fail "no $class word found (did the message \"$refusal\" change?)"
done <"$probe/toplevel"

# The classes.  Labels are not directives; an expectation's first word is
# a head unless the expect section took it for a directive or a label.
grep -vxF -f "$probe/label.words" "$probe/directive.words" |
    grep -vxF -f "$probe/step.words" | grep -vxF -f "$probe/expectation.words" \
    >"$probe/directives" || true
cat "$probe/label.words" >"$probe/labels"
cat "$probe/step.words" >"$probe/steps"
grep -vxF -f "$probe/role.words" "$probe/labels" >"$probe/plain-labels" || true
grep -vxF -f "$probe/directives" "$probe/head.words" |
    grep -vxF -f "$probe/plain-labels" >"$probe/heads-raw" || true
# Heads as the page writes them: "client.recv" is "role.recv",
# "client->server" is "direction", "client" is "role".
awk 'NR == FNR { roles[$0] = 1; next }
	{
		h = $0; best = ""
		for (r in roles) {
			if (h == r) { best = r; break }
			if (index(h, r ".") == 1 && length(r) > length(best))
				best = r
		}
		if (h == best) { print "role"; next }
		if (best != "") { print "role" substr(h, length(best) + 1); next }
		split(h, lr, "->")
		if ((lr[1] in roles) && (lr[2] in roles)) { print "direction"; next }
		print h
	}' "$probe/role.words" "$probe/heads-raw" | sort -u >"$probe/heads"

# 3. What the page lists: the first word of each item of a subsection's
# outer list ("role.recv" for "Ar role Ns Cm .recv", "role" and
# "direction" for items that start with those placeholders).
listed() {
	awk -v want="$1" '
		/^\.S[sh] / { sub(/^\.S[sh] /, ""); here = ($0 == want); depth = 0; next }
		!here { next }
		/^\.Bl/ { depth++; next }
		/^\.El/ { depth--; next }
		depth == 1 && /^\.It / {
			if ($2 == "Cm") w = $3
			else if ($2 == "Ar" && $4 == "Ns" && $5 == "Cm") w = $3 $6
			else if ($2 == "Ar") w = $3
			else next
			gsub(/\\&/, "", w)
			sub(/:$/, "", w)
			print w
		}' "$case_page" | sort -u
}
compare() {
	listed "$1" >"$probe/page-$2"
	missing=$(grep -vxF -f "$probe/page-$2" "$probe/$2" | tr '\n' ' ')
	extra=$(grep -vxF -f "$probe/$2" "$probe/page-$2" | tr '\n' ' ')
	[ -z "$missing" ] || fail "closeprobe-case(5), $1: the parser accepts $2 the page does not list: $missing"
	[ -z "$extra" ] || fail "closeprobe-case(5), $1: the page lists $2 the parser refuses: $extra"
}
compare Directives directives
compare Sections labels
compare Steps steps
compare Expectations heads

# Every other word the parser accepts somewhere is named in the page.
sed -e 's/\\&//g' -e 's/\\-/-/g' "$case_page" | tr -cs 'A-Za-z0-9_.>-' '\n' |
    sed -e 's/^\.*//' -e 's/\.*$//' | sort -u >"$probe/page-tokens"
while IFS='|' read -r ctx frame line refusal; do
	case $ctx in directive | label | role | head) continue ;; esac
	missing=$(grep -vxF -f "$probe/page-tokens" "$probe/$ctx.words" | tr '\n' ' ')
	[ -z "$missing" ] || fail "closeprobe-case(5) does not name what the parser accepts in '$line': $missing"
done <"$probe/contexts"

# The case files the page shows parse.
awk -v dir="$probe/example" '
	/^\.Bd -literal/ { n++; f = dir n ".case"; inside = 1; next }
	/^\.Ed/ { inside = 0; next }
	inside { gsub(/\\e/, "\\"); gsub(/\\&/, ""); gsub(/\\-/, "-"); print > f }' "$case_page"
for f in "$probe"/example*.case; do
	[ -e "$f" ] || continue
	grep -q '^case ' "$f" || continue
	"$CLOSEPROBE" list "$f" >/dev/null 2>"$probe/example.err" ||
		fail "closeprobe-case(5): an example does not parse: $(cat "$probe/example.err")"
done

# 4. closeprobe(1) against the program's own usage.
"$CLOSEPROBE" --help >"$probe/usage" 2>&1
"$CLOSEPROBE" analyze --help >>"$probe/usage" 2>&1
sed -e 's/\\&//g' -e 's/\\-/-/g' "$command_page" >"$probe/command-page"
for command in $(sed -n 's/.*closeprobe \([a-z][a-z]*\) .*/\1/p' "$probe/usage" | sort -u); do
	grep -q "^\.It Cm $command\( \|$\)" "$probe/command-page" ||
		fail "closeprobe(1) has no item for the command '$command'"
done
for option in $(grep -o -- '--[a-z][a-z-]*' "$probe/usage" | sort -u); do
	grep -q -- "Fl ${option#-}\( \|$\)" "$probe/command-page" ||
		fail "closeprobe(1) does not document $option"
done
flags=$(sed -n '/--fail-on exit/,$p' "$probe/usage" | sed -n '2,$p' | tr -s ' ,' '\n\n' |
    grep -E '^[a-z][a-z-]*$' | grep -vx 'or')
[ -n "$flags" ] || fail "no --fail-on flags found in the usage of analyze"
for flag in $flags; do
	grep -q "^\.Li $flag\( \|$\)" "$probe/command-page" ||
		fail "closeprobe(1) does not name the --fail-on flag $flag"
done

[ "$failures" -eq 0 ] || exit 1
case $linters in
*mandoc* | *groff*) ;;
*)
	echo "SKIP: neither mandoc nor groff is installed: the pages were not linted (apt-get install mandoc)"
	exit 77
	;;
esac
exit 0
