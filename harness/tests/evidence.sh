#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# evidence.sh - evidence is never written through a symbolic link nor
# outside the captures directory, and the directory is not world-writable;
# a run leaves no temporary file, and on a full disk the write error is
# named where it happened and nothing incomplete is published.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"
test_begin evidence

cat >"$tmp/ok.case" <<'CASE'
case      ok
client:   connect
          close
server:   accept
          recv all
          close
expect:   teardown fin
CASE

# A new captures directory: created, not writable by others.
(umask 000 && "$CLOSEPROBE" run --captures "$tmp/new" "$tmp/ok.case" >"$tmp/out" 2>&1)
status=$?
skip_without_namespaces "$tmp/out"
[ "$status" -eq 0 ] || fail "run into a new directory: status $status: $(cat "$tmp/out")"
mode=$(stat -c %a "$tmp/new")
case "$mode" in
*[2367]) fail "captures directory is world-writable ($mode)" ;;
esac

# Links planted at the evidence names are replaced, never followed.
mkdir "$tmp/captures"
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/captures/ok.pcap"
ln -s "$tmp/victim" "$tmp/captures/ok.txt"
"$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/ok.case" >"$tmp/out" 2>&1 ||
	fail "run with planted links: $(cat "$tmp/out")"
[ "$(cat "$tmp/victim")" = precious ] || fail "a link was followed: the victim changed"
[ -f "$tmp/captures/ok.pcap" ] && [ ! -L "$tmp/captures/ok.pcap" ] ||
	fail "ok.pcap is not a regular file"
[ -f "$tmp/captures/ok.txt" ] && [ ! -L "$tmp/captures/ok.txt" ] ||
	fail "ok.txt is not a regular file"

# A normal run publishes and leaves no temporary file behind.
for f in "$tmp"/captures/*.tmp "$tmp"/new/*.tmp; do
	[ -e "$f" ] && fail "a temporary file was left: $f"
done

# A full disk: a 16 KiB tmpfs as the captures directory (in a user and
# mount namespace of our own, so that it needs no privilege and vanishes).
cat >"$tmp/big.case" <<'CASE'
case      big
client:   connect
          send 4000000
          close
server:   accept
          recv all
          close
expect:   teardown fin
CASE
mkdir "$tmp/full"
unshare -Urm sh -c 'mount -t tmpfs -o size=16k none "$1" || exit 77
"$2" run --captures "$1" "$3" >"$4" 2>&1
echo "status $?" >>"$4"
ls -A "$1" >"$5"' sh "$tmp/full" "$CLOSEPROBE" "$tmp/big.case" "$tmp/out" "$tmp/left" \
	2>"$tmp/mount-err"
status=$?
if [ "$status" -eq 77 ]; then
	echo "SKIP full disk: cannot mount a tmpfs here: $(cat "$tmp/mount-err")"
else
	[ "$status" -eq 0 ] || fail "full disk: unshare: status $status: $(cat "$tmp/mount-err")"
	grep -q "^status 99$" "$tmp/out" || fail "full disk: not status 99: $(cat "$tmp/out")"
	grep -q "full/big.pcap: No space left on device" "$tmp/out" ||
		fail "full disk: the write error is not named: $(cat "$tmp/out")"
	grep -q "truncated dump file" "$tmp/out" &&
		fail "full disk: noticed only when read back: $(cat "$tmp/out")"
	[ -s "$tmp/left" ] && fail "full disk: files left in the directory: $(cat "$tmp/left")"
fi

# The captures and the text are published as a set: a directory where the
# text goes makes its rename fail, and the capture renamed before it is
# taken back.
mkdir -p "$tmp/set/ok.txt"
"$CLOSEPROBE" run --captures "$tmp/set" "$tmp/ok.case" >"$tmp/out" 2>&1
grep -q "ok.txt: Is a directory" "$tmp/out" || fail "set: the failed rename is not named: $(cat "$tmp/out")"
[ -e "$tmp/set/ok.pcap" ] && fail "set: half a set published: ok.pcap without ok.txt"
for f in "$tmp"/set/*.tmp; do
	[ -e "$f" ] && fail "set: a temporary file was left: $f"
done

# A captures directory that is itself a link is refused.
ln -s "$tmp/captures" "$tmp/linkdir"
"$CLOSEPROBE" run --captures "$tmp/linkdir" "$tmp/ok.case" >"$tmp/out" 2>&1
status=$?
[ "$status" -eq 99 ] || fail "a linked captures directory was used (status $status)"

# Names come only from validated case names: no path in a case name.
cat >"$tmp/evil.case" <<'CASE'
case      ../../etc/evil
client:   connect
server:   accept
expect:   teardown fin
CASE
"$CLOSEPROBE" run --captures "$tmp/captures" "$tmp/evil.case" >"$tmp/out" 2>&1
status=$?
[ "$status" -eq 99 ] || fail "a case name with a path ran (status $status)"
grep -q "evil.case:1:11: case name" "$tmp/out" || fail "no file:line:col for the bad name: $(cat "$tmp/out")"
for f in "$tmp"/captures/*evil*; do
	[ -e "$f" ] && fail "evidence named after a bad case name: $f"
done
[ "$failures" -eq 0 ]
