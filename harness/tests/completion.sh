#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# completion.sh - the bash completion (completion/closeprobe) offers the
# commands and options the program's own usage shows, the --fail-on flags,
# case files and capture files.  It runs once in a plain bash and, where
# the bash-completion package is installed, once more with its helpers
# loaded, since the completion uses them when they are there.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin completion

if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP: bash is not installed"
	exit 77
fi
completion=$(cd "$srcdir" && pwd)/completion/closeprobe
[ -f "$completion" ] || { echo "FAIL: $completion is missing"; exit 1; }

# drive.bash MODE LINE: what the completion offers at the end of LINE, one
# per line, sorted.  COMP_WORDS is split as readline splits it: at blanks,
# and "=" is a word of its own.
cat >"$tmp/drive.bash" <<'EOF'
mode=$1 line=$2
if [[ $mode != plain ]]; then
	. "$mode" >/dev/null 2>&1 || exit 3
fi
. "$COMPLETION" || exit 3
spec=$(complete -p closeprobe) || exit 3
func=${spec#*-F }
func=${func%% *}
COMP_LINE=$line
COMP_POINT=${#line}
COMP_WORDS=()
read -ra parts <<<"$line"
for w in "${parts[@]}"; do
	if [[ $w == *=* ]]; then
		COMP_WORDS+=("${w%%=*}" "=")
		[[ -n ${w#*=} ]] && COMP_WORDS+=("${w#*=}")
	else
		COMP_WORDS+=("$w")
	fi
done
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_TYPE=9
COMP_KEY=9
COMPREPLY=()
"$func" closeprobe "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
[[ ${#COMPREPLY[@]} -eq 0 ]] || printf '%s\n' "${COMPREPLY[@]}" | sort -u
EOF

# The helpers' mode, where the package's main file loads and defines them.
modes=plain
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
	if [ -f "$f" ] && bash --norc --noprofile -c \
	    '. "$1" >/dev/null 2>&1; declare -F _init_completion _filedir' sh "$f" \
	    >/dev/null 2>&1; then
		modes="$modes $f"
		break
	fi
done

# expect LINE WANTED-FILE: the completion of LINE is exactly WANTED-FILE.
expect() {
	(cd "$srcdir" && COMPLETION=$completion bash --norc --noprofile \
	    "$tmp/drive.bash" "$mode" "$1") >"$tmp/got" 2>"$tmp/err"
	status=$?
	sort -u "$2" >"$tmp/want"
	if [ "$status" -ne 0 ] || [ -s "$tmp/err" ]; then
		fail "[$mode] '$1': bash exited $status: $(cat "$tmp/err")"
	elif ! cmp -s "$tmp/want" "$tmp/got"; then
		fail "[$mode] '$1': offered [$(tr '\n' ' ' <"$tmp/got")], expected [$(tr '\n' ' ' <"$tmp/want")]"
	fi
}

# What the program says it accepts.
"$CLOSEPROBE" --help >"$tmp/usage" 2>&1
"$CLOSEPROBE" analyze --help >"$tmp/usage-analyze" 2>&1
{
	sed -n 's/.*closeprobe \([a-z][a-z]*\) .*/\1/p' "$tmp/usage"
	grep 'closeprobe --' "$tmp/usage" | grep -o -- '--[a-z][a-z-]*'
} >"$tmp/commands"
{
	grep 'closeprobe run ' "$tmp/usage" | grep -o -- '--[a-z][a-z-]*'
	echo --help
} >"$tmp/run-options"
{
	head -n 1 "$tmp/usage-analyze" | grep -o -- '--[a-z][a-z-]*'
	echo --help
} >"$tmp/analyze-options"
sed -n '/--fail-on exit/,$p' "$tmp/usage-analyze" | sed -n '2,$p' | tr -s ' ,' '\n\n' |
    grep -E '^[A-Za-z][A-Za-z0-9-]*$' | grep -vx or >"$tmp/flags"
for f in commands run-options analyze-options flags; do
	[ -s "$tmp/$f" ] || fail "nothing found for $f in the program's usage"
done
grep '^rst-' "$tmp/flags" >"$tmp/rst-flags"
grep '^a' "$tmp/flags" | sed 's/^/hole,/' >"$tmp/hole-a-flags"
(cd "$srcdir" && ls -d cases/*.case) >"$tmp/cases"
(cd "$srcdir" && ls -d cases/close-u*.case) >"$tmp/close-u"
(cd "$srcdir" && ls -d harness/fuzz/regress/fuzz_pcap/*.pcap) >"$tmp/pcaps"
(cd "$srcdir" && ls -d harness/fuzz/regress/*/) | sed 's:/$::' >"$tmp/regress-dirs"
echo harness/tests >"$tmp/harness-tests"
echo hole >"$tmp/hole"
: >"$tmp/nothing"

for mode in $modes; do
	expect "closeprobe " "$tmp/commands"
	expect "closeprobe run --" "$tmp/run-options"
	expect "closeprobe analyze --" "$tmp/analyze-options"
	expect "closeprobe run cases/" "$tmp/cases"
	expect "closeprobe run --no-netns cases/" "$tmp/cases"
	expect "closeprobe list cases/close-u" "$tmp/close-u"
	expect "closeprobe run --captures harness/t" "$tmp/harness-tests"
	expect "closeprobe run --captures=harness/t" "$tmp/harness-tests"
	expect "closeprobe run -- --c" "$tmp/nothing"
	expect "closeprobe analyze --fail-on " "$tmp/flags"
	expect "closeprobe analyze --fail-on rst-" "$tmp/rst-flags"
	expect "closeprobe analyze --fail-on hole,a" "$tmp/hole-a-flags"
	expect "closeprobe analyze --fail-on=ho" "$tmp/hole"
	expect "closeprobe analyze harness/fuzz/regress/fuzz_pcap/" "$tmp/pcaps"
	expect "closeprobe analyze --json harness/fuzz/regress/" "$tmp/regress-dirs"
done

[ "$failures" -eq 0 ] || exit 1
exit 0
