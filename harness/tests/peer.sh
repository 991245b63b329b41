#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# peer.sh - run --peer: the server role in a "closeprobe peer" started by
# "ip netns exec dut", across a veth pair (10.77.0.1 / 10.77.0.2,
# fd77::1 / fd77::2), the client and the capture here.  The core cases
# (those a peer can run: one end here, one there) give the same verdicts
# as local runs (closeprobe compare against a baseline recorded from
# make check's one run of the suite, lib.sh's suite_results); the JSON
# names both platforms; a case that needs both ends on one host, and one
# with a step the peer cannot run, skip with the reason; a peer that
# never says hello, one that dies mid-case and one that talks nonsense
# each end the case with an error saying so, within the bounds (a silent
# one's --peer-timeout 1s).  The runs go side by side, each in namespaces
# of its own.  Rootless: it all happens inside "unshare -Urnm" (a user,
# network and mount namespace of its own), which this script re-enters.
set -u

. "${srcdir:-.}/harness/tests/lib.sh"

if [ "${1:-}" = --inside ]; then
	# Inside the namespaces: /run of our own for ip netns, then the pair.
	shift
	mount -t tmpfs peer-run /run && mkdir -p /run/netns &&
	    ip netns add dut &&
	    ip link add v0 type veth peer name v1 &&
	    ip link set v1 netns dut &&
	    ip link set lo up && ip link set v0 up &&
	    ip addr add 10.77.0.1/24 dev v0 && ip addr add fd77::1/64 dev v0 nodad &&
	    ip -n dut link set lo up && ip -n dut link set v1 up &&
	    ip -n dut addr add 10.77.0.2/24 dev v1 && ip -n dut addr add fd77::2/64 dev v1 nodad ||
	    { echo "SKIP: cannot set up the veth pair and the dut namespace"; exit 77; }
	exec "$@"
fi

test_begin peer
# Usage errors: status 2 and the reason, before anything runs.
usage() {	# EXPECTED-TEXT ARGS...
	want=$1
	shift
	"$CLOSEPROBE" run -c "$tmp/usage" "$@" "$srcdir/cases/half-close-request.case" \
	    >"$tmp/usage.out" 2>&1
	st=$?
	[ "$st" -eq 2 ] && grep -q -- "$want" "$tmp/usage.out" ||
		fail "run $*: status $st, expected 2 and '$want': $(cat "$tmp/usage.out")"
}
usage '--peer needs --peer-addr' --peer true
usage '--peer-addr needs an IPv4 or IPv6 address' --peer true --peer-addr host.example
usage 'one address of each family' --peer true --peer-addr 10.0.0.1 --peer-addr 10.0.0.2
usage '--peer-role takes server or client' --peer true --peer-addr 10.0.0.1 --peer-role both
usage '--peer-role and --peer-addr go with --peer' --peer-addr 10.0.0.1
usage '--peer and --kernel do not go together' --peer true --peer-addr 10.0.0.1 --kernel /k
usage '--peer-kernel goes with none of' --peer-kernel /k --peer true
usage '--peer-kernel goes with none of' --peer-kernel /k --no-netns
usage '--peer-timeout goes with --peer or --peer-kernel' --peer-timeout 1s
usage '--peer-timeout needs a duration above 0' --peer true --peer-addr 10.0.0.1 --peer-timeout 0
usage '--peer-timeout needs a duration above 0' --peer-kernel /k --peer-timeout 10

if ! command -v ip >/dev/null 2>&1; then
	echo "SKIP: ip (iproute2) is not installed"
	exit 77
fi
if ! unshare -Urnm true 2>/dev/null; then
	echo "SKIP: cannot create user, network and mount namespaces here (unshare -Urnm)"
	exit 77
fi
self=$srcdir/harness/tests/peer.sh
case $self in /*) ;; *) self=$PWD/$self ;; esac
bin=$CLOSEPROBE
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
peer="ip netns exec dut $bin peer"
inside() {
	unshare -Urnm sh "$self" --inside "$@"
}

# The core cases: loopback, one capture point (forks included: the peer
# runs a child role too), in two halves that run side by side (each in
# namespaces of its own: nothing shared).
core= half1= half2= i=0
for f in "$srcdir"/cases/*.case; do
	grep -Eq '^(topology|mtu|offloads|sysctl|impair|capture|rate|delay|loss)[[:space:]]' "$f" &&
		continue
	core="$core $f"
	i=$((i + 1))
	if [ $((i % 2)) -eq 1 ]; then half1="$half1 $f"; else half2="$half2 $f"; fi
done
case $core in *fork-parent-close-silent*) ;; *) fail "no fork case among the core cases" ;; esac
[ -n "$core" ] || { echo "FAIL: no core case in $srcdir/cases"; exit 1; }

# The local verdicts: the one run of the suite (lib.sh's suite_results;
# under make check the one every test reads), its baseline cut down to
# the core cases.
suite_results
"$CLOSEPROBE" baseline record -o "$tmp/suite.base" "$suite/suite.json" >"$tmp/base.out" 2>&1 ||
	fail "baseline record: $(cat "$tmp/base.out")"
local_baseline() {	# OUT CASE-FILE...: the suite's baseline, those cases' lines only
	out=$1
	shift
	names=$(for f in "$@"; do basename "$f" .case; done)
	awk -v names="$names" '
		BEGIN { n = split(names, list, "\n"); for (i = 1; i <= n; i++) keep[list[i]] = 1 }
		{ key = ($1 == "info") ? $2 : $1 }
		key !~ /\/[46]$/ { print; next }
		{ sub(/\/[46]$/, "", key); if (key in keep) print }
	' "$tmp/suite.base" >"$out"
}
# shellcheck disable=SC2086
local_baseline "$tmp/local.base" $core
nlocal=$(grep -c '^[^ ]*/[46] status = PASS$' "$tmp/local.base")
nruns=$(grep -c '^[^ ]*/[46] status = ' "$tmp/local.base")
[ "$nlocal" -eq "$nruns" ] && [ "$nlocal" -gt 0 ] ||
	fail "the local run: $nlocal of $nruns core case runs passed: $(grep ' status = ' \
	    "$tmp/local.base" | grep -v '= PASS$')"

# Everything below runs side by side, each run in namespaces of its own;
# a job leaves NAME.txt (its output) and NAME.status, checked once all
# have ended.
job() {	# NAME COMMAND...: in the background
	name=$1
	shift
	{ "$@" >"$tmp/$name.txt" 2>&1; echo $? >"$tmp/$name.status"; } &
}
job_status() { cat "$tmp/$1.status"; }

# 1. The peer's runs of the core cases: the same verdicts as the local ones.
# shellcheck disable=SC2086
job peer1 inside "$bin" run -c "$tmp/peer1" --json "$tmp/peer1.json" --peer "$peer" \
    --peer-addr 10.77.0.2 --peer-addr fd77::2 $half1
# shellcheck disable=SC2086
job peer2 inside "$bin" run -c "$tmp/peer2" --json "$tmp/peer2.json" --peer "$peer" \
    --peer-addr 10.77.0.2 --peer-addr fd77::2 $half2
# The client's role on the peer, the server here: the same verdicts too.
job client inside "$bin" run -q -c "$tmp/client" --peer "$peer" --peer-role client \
    --peer-addr 10.77.0.2 --peer-addr fd77::2 "$srcdir/cases/close-unread-truncates.case" \
    "$srcdir/cases/half-close-request.case"

# 2. A case needing both ends on one host, and one the peer cannot run.
cat >"$tmp/needs-one-host.case" <<'EOF'
case      needs-one-host
topology  veth
client:   connect
          close
server:   accept
          close
expect:   teardown fin from client
EOF
job skips inside "$bin" run -c "$tmp/skips" --peer "$peer" --peer-addr 10.77.0.2 \
    "$tmp/needs-one-host.case"
# A peer whose hello says it runs fewer steps (another stack's, say): the
# case with one it lacks is skipped, naming the step.
cat >"$tmp/small-peer.sh" <<'EOF'
printf 'hello 1\nplatform os Tiny\nplatform stack tiny 0.1\n'
printf 'supports steps connect accept recv close\nsupports options\nready\n'
sleep 10
EOF
job small inside "$bin" run -c "$tmp/small" --peer "sh $tmp/small-peer.sh" \
    --peer-addr 10.77.0.2 "$srcdir/cases/close-unread-truncates.case"

# 3. Peers that go wrong: each a clear error, within the bounds (the
# hello's, here --peer-timeout 1s, the case's deadline and the abort's
# 2 s); timeout only stops a hang, it is not what is tested.
cat >"$tmp/peer-goes-wrong.case" <<'EOF'
case      peer-goes-wrong
deadline  3s
client:   connect
          send 100
          recv all
server:   accept
          recv 100
          wait client.done
          close
expect:   teardown fin from client
EOF
try_peer() {	# NAME COMMAND [CASE-FILE [OPTION...]]: in the background
	name=$1 command=$2 case_file=${3:-$tmp/peer-goes-wrong.case}
	shift $(($# < 3 ? $# : 3))
	job "$name" timeout 60 unshare -Urnm sh "$self" --inside "$bin" run -c "$tmp/$name" \
	    --peer "$command" --peer-addr 10.77.0.2 "$@" "$case_file"
}
try_peer_check() {	# NAME EXPECTED-TEXT
	status=$(job_status "$1")
	[ "$status" -eq 124 ] && fail "$1: the run hung"
	[ "$status" -eq 99 ] || fail "$1: status $status, expected 99: $(cat "$tmp/$1.txt")"
	grep -q "^peer-goes-wrong: ERROR\. .*$2" "$tmp/$1.txt" ||
		fail "$1: not the error expected ('$2'): $(cat "$tmp/$1.txt")"
}
try_peer silent 'sleep 30' "$tmp/peer-goes-wrong.case" --peer-timeout 1s
try_peer no-hello 'echo hi; sleep 30'
try_peer exits 'exit 3'
# Dies mid-case: a real peer whose whole process group is killed once its
# role waits at its third step, the connection made (what it says is
# relayed until then).
cat >"$tmp/dies.sh" <<EOF
"$bin" peer | { while IFS= read -r l; do printf '%s\n' "\$l"; case \$l in 'step 2') kill 0 ;; esac; done; }
EOF
try_peer dies "ip netns exec dut sh $tmp/dies.sh"
# Hangs mid-case: its output stays open and says nothing more; the case's
# deadline (1 s: it passes whatever the load), then the abort's grace, end it.
cat >"$tmp/hangs.sh" <<EOF
"$bin" peer | { while IFS= read -r l; do printf '%s\n' "\$l"; case \$l in step*) exec sleep 60 ;; esac; done; }
EOF
sed 's/^deadline .*/deadline  1s/' "$tmp/peer-goes-wrong.case" >"$tmp/peer-hangs.case" || exit 99
try_peer hangs "ip netns exec dut sh $tmp/hangs.sh" "$tmp/peer-hangs.case"
wait

# 1. The core cases through the peer.
for h in peer1 peer2; do
	status=$(job_status $h)
	[ "$status" -eq 77 ] && grep -q '^SKIP' "$tmp/$h.txt" && { cat "$tmp/$h.txt"; exit 77; }
	[ "$status" -eq 0 ] ||
		fail "the peer run ($h): status $status: $(grep -v ': PASS' "$tmp/$h.txt")"
	# Both platforms: the local one, and the peer's in each case run.
	grep -q '^{"version":"[^"]*","platform":{"os":"Linux"' "$tmp/$h.json" ||
		fail "the JSON ($h) names no local platform"
	n=$(grep -o '"peer":{"role":"server","platform":{"os":"Linux","release":"[^"]*"' \
	    "$tmp/$h.json" | wc -l)
	[ "$n" -eq "$(grep -c ': PASS\.' "$tmp/$h.txt")" ] ||
		fail "$n case runs of $(grep -c ': PASS\.' "$tmp/$h.txt") ($h) name the peer's platform"
done
cat "$tmp/peer1.txt" "$tmp/peer2.txt" >"$tmp/peer.txt"
npass=$(grep -c ': PASS\.' "$tmp/peer.txt")
[ "$npass" -eq "$nlocal" ] && [ "$npass" -gt 0 ] ||
	fail "$npass case runs passed through the peer, $nlocal locally"
grep -q '^  peer: server on Linux .*, stack linux ' "$tmp/peer.txt" ||
	fail "the text names no peer platform"
# The kernel counters are this end's only in a peer run; RST counts vary;
# a non-blocking send() meets EAGAIN sooner on the veth path (1500 B MTU)
# than on lo, so the calls' results differ, not what the peer did with them.
# shellcheck disable=SC2086
local_baseline "$tmp/local1.base" $half1
# shellcheck disable=SC2086
local_baseline "$tmp/local2.base" $half2
for h in 1 2; do
	"$CLOSEPROBE" compare --brief --ignore 'kernel *' --ignore 'rsts *' --ignore 'send *' \
	    "$tmp/local$h.base" "$tmp/peer$h.json" >"$tmp/compare$h.out" 2>&1 ||
		fail "the peer's verdicts differ from the local ones: $(cat "$tmp/compare$h.out")"
done
status=$(job_status client)
[ "$status" -eq 0 ] && [ "$(grep -c ': PASS$' "$tmp/client.txt")" -eq 4 ] ||
	fail "a client peer: status $status, not 4 runs passed: $(cat "$tmp/client.txt")"

# 2. The cases the peer cannot run.
status=$(job_status skips)
[ "$status" -eq 77 ] || fail "a case the peer cannot run: status $status, expected 77"
grep -q '^needs-one-host: SKIP\. .*needs both ends on one host: its topology' "$tmp/skips.txt" ||
	fail "no reason for the veth case: $(cat "$tmp/skips.txt")"
status=$(job_status small)
[ "$status" -eq 77 ] || fail "a step the peer lacks: status $status, expected 77"
grep -q "^close-unread-truncates (IPv4): UNSUPPORTED\. unsupported: the peer does not support the step 'await unread 100" \
    "$tmp/small.txt" || fail "no reason for the step the peer lacks: $(cat "$tmp/small.txt")"

# 3. The peers that went wrong.
try_peer_check silent 'waiting for its hello: no answer in time (a silent peer)'
try_peer_check no-hello "the peer sent a bad line: unknown message 'hi'"
try_peer_check exits 'the peer ended before its hello (the peer command exited with status 3)'
try_peer_check dies \
    "the peer's output ended before its role's ledger (the peer command was killed by signal"
try_peer_check hangs 'deadline of 1 s passed'

exit $((failures > 0))
