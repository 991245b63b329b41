#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# browser.sh - the pictures in a real browser (headless Chromium).
#
# draw-sample writes a sample run report and three ladders (the model of
# a real close-unread-truncates run, a 10,000-segment transfer, a forked
# server whose child resets); Chromium then opens them from file:// with
# no network and:
#   - the console stays silent (no script error, nothing blocked), in
#     what the DevTools protocol reports of each page and in Chromium's
#     own log - and a page that does log is caught both ways, so the
#     check itself is known to work;
#   - the report's script ran: sorting, filtering and opening from the
#     address (?sort=lost&dir=desc, ?status=!PASS, ?q=..., #case-...);
#   - each ladder parses (a broken SVG shows Chromium's parsererror, also
#     checked on a broken sample) and has the lanes and arrows its case
#     implies;
#   - screenshots are taken (PNG) into $DRAW_SHOTS (default: the
#     temporary directory, removed at the end).
#
# All of it in one Chromium, launched once (harness/tests/browse.pl drives
# it over the DevTools protocol: each page a new document in one fresh
# browser context, its DOM once loaded, its console, its screenshot): a
# launch costs about a second, a page a tenth of that.
#
# Environment: builddir (draw-sample's build directory), DRAW_SHOTS.
# Exit: 0 pass, 1 fail, 77 Chromium (or perl's JSON::PP) is not installed,
# 99 harness error.
set -u

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "SKIP: chromium is not installed (apt-get install chromium)"
	exit 77
fi
if ! perl -MJSON::PP -e 1 2>/dev/null; then
	echo "SKIP: perl with JSON::PP is not installed (apt-get install perl)"
	exit 77
fi
builddir=${builddir:-.}
sample=$builddir/harness/draw/draw-sample
[ -x "$sample" ] || { echo "ERROR: $sample is not built"; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/browser.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
shots=${DRAW_SHOTS:-$tmp/shots}
mkdir -p "$shots" "$tmp/site" || exit 99
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# The pages to open, in order (browse.pl's list, a tab between fields).
: >"$tmp/visits" || exit 99
# dump NAME URL: its DOM after scripts will be in $tmp/NAME.dom.
dump() {
	printf '%s\t%s\n' "$1" "$2" >>"$tmp/visits"
}
# shoot NAME URL WIDTH HEIGHT: a screenshot will be in $shots/NAME.png.
shoot() {
	printf '%s\t%s\t%s\t%s\t%s\n' "shot-$1" "$2" "$3" "$4" "$shots/$1.png" >>"$tmp/visits"
	shot_names="${shot_names:-} $1"
}

# Open them all: a fresh profile; no network, no updates, no sync.
browse_all() {
	timeout 300 perl "${srcdir:-.}/harness/tests/browse.pl" "$chromium" "$tmp/visits" "$tmp" \
	    --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking --disable-component-update \
	    --disable-sync --disable-extensions --user-data-dir="$tmp/profile" \
	    --hide-scrollbars --enable-logging=stderr --v=0
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "ERROR: browsing the pages failed ($rc)"
		exit 99
	fi
}

# The console and load errors of a page (browse.pl's log of it), and in
# Chromium's own log those of every page.
console_pattern='CONSOLE|Not allowed to load|net::ERR_'
console_errors() {
	grep -E "$console_pattern" "$tmp/$1.log"
}

# The screenshot is a PNG of something, shown without console output.
check_shot() {
	if ! head -c 8 "$shots/$1.png" 2>/dev/null | od -An -c | grep -q 'P   N   G'; then
		fail "no PNG screenshot of $1"
	elif [ "$(wc -c <"$shots/$1.png")" -lt 20000 ]; then
		fail "the screenshot of $1 looks empty ($(wc -c <"$shots/$1.png") bytes)"
	fi
	if console_errors "shot-$1" >/dev/null; then
		fail "console output while showing $1:"
		console_errors "shot-$1" | sed 's/^/  /'
	fi
}

# The SVG's own size, for a screenshot that shows all of it.
svg_size() {
	sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$1" | head -n 1
}

# count NAME PATTERN: lines of the DOM matching an extended regex, one
# match a line.
count() {
	grep -oE "$2" "$tmp/$1.dom" | wc -l | tr -d ' '
}

expect_count() {
	n=$(count "$1" "$2")
	[ "$n" -eq "$3" ] || fail "$1: $4: $n times, expected $3"
}

"$sample" "$tmp/site" || { echo "ERROR: draw-sample failed"; exit 99; }
site="file://$tmp/site"
cat >"$tmp/site/noisy.html" <<'EOF'
<!DOCTYPE html><html><body><script>console.error("deliberate"); nosuch();</script></body></html>
EOF
printf '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>\n' >"$tmp/site/broken.svg"
ladders="close-unread-truncates-v4 veth-long-transfer fork-child-unread-sigpipe"

# A real run: closeprobe run --html on a truncating close, its remedy and a
# fork case; the report and the ladders it links, as a person opens them.
closeprobe=${CLOSEPROBE:-$builddir/harness/closeprobe}
real=$tmp/real
real_ladders="close-unread-truncates-v4 lingering-close-remedy fork-unread-rst-last-close"
mkdir -p "$real" || exit 99
"$closeprobe" run -q --captures "$real/captures" --html "$real/report" \
    "${srcdir:-.}/cases/close-unread-truncates.case" "${srcdir:-.}/cases/lingering-close-remedy.case" \
    "${srcdir:-.}/cases/fork-unread-rst-last-close.case" >"$real/run.out" 2>&1
rc=$?
if [ "$rc" -eq 77 ] || grep -q "cannot create a" "$real/run.out"; then
	echo "SKIP the real run (the cases cannot run here): $(grep -m 1 'SKIP' "$real/run.out")"
	have_real=false
elif [ "$rc" -ne 0 ]; then
	fail "the real run exited $rc:"
	sed 's/^/  /' "$real/run.out"
	have_real=false
else
	have_real=true
fi
rsite="file://$real"
if $have_real; then
	# Every ladder the report shows loads in the browser (the links are right).
	imgs=$(grep -o '<img loading="lazy" src="[^"]*"' "$real/report/index.html" |
	    sed 's/.*src="//; s/"$//')
	[ "$(echo "$imgs" | grep -c .)" -eq 4 ] || fail "real report: not 4 ladders shown: $imgs"
	{
		echo '<!DOCTYPE html><html><body><script>var left = 0;</script>'
		for img in $imgs; do
			echo "<img src=\"$img\" onload=\"this.setAttribute('data-ok', this.naturalWidth)\" onerror=\"this.setAttribute('data-ok', 'broken')\">"
		done
		echo '</body></html>'
	} >"$real/report/check-images.html"
fi

# What to open: the checks' own samples (a page that logs, a broken SVG),
# the sample report from its address in five ways, each ladder; the real
# report, a case of it opened, its ladders through its links, each real
# ladder; screenshots of the report, a case opened, each ladder whole.
dump noisy "$site/noisy.html"
dump broken "$site/broken.svg"
dump report "$site/index.html"
dump sorted "$site/index.html?sort=lost&dir=desc"
dump notpass "$site/index.html?status=!PASS"
dump words "$site/index.html?q=SIGPIPE%20truncated"
dump opened "$site/index.html#case-veth-long-transfer"
for svg in $ladders; do
	dump "$svg" "$site/captures/$svg.svg"
done
if $have_real; then
	dump real-report "$rsite/report/index.html"
	dump real-opened "$rsite/report/index.html#case-fork-unread-rst-last-close-ipv4"
	dump real-images "$rsite/report/check-images.html"
	for svg in $real_ladders; do
		dump "real-$svg" "$rsite/captures/$svg.svg"
	done
fi
# shoot_ladders NAME-PREFIX DIR SVG...: each ladder in DIR whole.
shoot_ladders() {
	prefix=$1 dir=$2
	shift 2
	for svg in "$@"; do
		size=$(svg_size "$dir/$svg.svg")
		[ "$(echo "$size" | wc -w)" -eq 2 ] || { fail "$prefix$svg.svg: no width and height"; continue; }
		shoot "${prefix}ladder-$svg" "file://$dir/$svg.svg" ${size% *} ${size#* }
	done
}
shoot report "$site/index.html" 1280 900
shoot report-open "$site/index.html?q=close-unread&open=all" 1280 1500
shoot_ladders "" "$tmp/site/captures" $ladders
if $have_real; then
	shoot real-report "$rsite/report/index.html" 1280 900
	shoot_ladders real- "$real/captures" $real_ladders
fi
browse_all

# The checks are known to catch what they look for: the page that logs is
# seen logging, in browse.pl's log of it and in Chromium's; the broken SVG
# shows the parse error.
console_errors noisy >/dev/null || { echo "ERROR: console errors are not seen in the page's log"; exit 99; }
grep -E "$console_pattern" "$tmp/chromium.log" | grep -q 'noisy\.html' ||
	{ echo "ERROR: console errors are not seen in Chromium's log"; exit 99; }
grep -q parsererror "$tmp/broken.dom" || { echo "ERROR: a broken SVG is not seen"; exit 99; }
# No other page logged anything (what Chromium's log says of the page
# that logs names it as the source).
if grep -E "$console_pattern" "$tmp/chromium.log" | grep -v 'source: file://[^ ]*/noisy\.html' >"$tmp/stray"; then
	fail "console output in Chromium's log:"
	sed 's/^/  /' "$tmp/stray"
fi

# The report: script ran, no console output, four runs, all shown.
console_errors report >/dev/null && { fail "console output on the report:"; console_errors report; }
grep -q '<html lang="en" class="js">' "$tmp/report.dom" || fail "report: the script did not run"
expect_count report '<tbody class="run[^"]*" id="case-' 4 "case runs"
grep -q '<span id="shown">4 of 4 shown</span>' "$tmp/report.dom" || fail "report: not 4 of 4 shown"
grep -q '<table id="matrix">' "$tmp/report.dom" || fail "report: no compare matrix"
expect_count report '<td class="changed">' 1 "changed matrix cells"

# Sorted by lost bytes, descending; the order of the tbodies shows it.
order=$(grep -oE '<tbody class="run[^"]*" id="case-[^"]*"' "$tmp/sorted.dom" |
    sed 's/.*id="case-//; s/"$//' | tr '\n' ' ')
[ "$order" = "close-unread-truncates-ipv4 veth-long-transfer fork-child-unread-sigpipe veth-delay-needs-netem " ] ||
	fail "sorted by lost: $order"
grep -q '<th data-key="lost" data-type="num" aria-sort="descending">' "$tmp/sorted.dom" ||
	fail "sorted: the lost column is not marked descending"

# Filtered by status and by words.
grep -q '<span id="shown">2 of 4 shown</span>' "$tmp/notpass.dom" || fail "status=!PASS: not 2 of 4 shown"
expect_count notpass '<tbody class="run[^"]*" id="case-[^"]*" [^>]*hidden' 2 "hidden runs (status=!PASS)"
grep -q '<span id="shown">1 of 4 shown</span>' "$tmp/words.dom" || fail "q=SIGPIPE truncated: not 1 of 4 shown"

# A link to a case opens it.
grep -q '<tbody class="run open" id="case-veth-long-transfer"' "$tmp/opened.dom" ||
	fail "#case-veth-long-transfer did not open that case"
expect_count opened '<tbody class="run open"' 1 "opened runs"
# The other views of the report are as quiet as the first.
for view in sorted notpass words opened; do
	console_errors "$view" >/dev/null && { fail "console output on the report ($view):"; console_errors "$view"; }
done

# The ladders: they parse, print nothing, and hold what their case implies.
for svg in $ladders; do
	grep -q parsererror "$tmp/$svg.dom" && fail "$svg.svg does not parse:" &&
		grep -o 'error on line[^<]*' "$tmp/$svg.dom"
	console_errors "$svg" >/dev/null && { fail "console output on $svg.svg:"; console_errors "$svg"; }
	expect_count "$svg" '<g class="lane" data-lane="client" data-end="client">' 1 "client lane"
	expect_count "$svg" '<g class="lane" data-lane="server" data-end="server">' 1 "server lane"
	expect_count "$svg" '<g class="segment syn">' 2 "SYN and SYN+ACK"
	grep -q '>Where the data went</text>' "$tmp/$svg.dom" || fail "$svg: no loss spans"
done
# close-unread-truncates: the request, the answer, one RST+ACK, no FIN.
expect_count close-unread-truncates-v4 '<g class="segment data">' 4 "data arrows"
expect_count close-unread-truncates-v4 '<g class="segment rst-ack">' 1 "RST+ACK"
expect_count close-unread-truncates-v4 '<g class="segment rst-bare">' 0 "bare RST"
expect_count close-unread-truncates-v4 '<g class="segment fin">' 0 "FIN"
expect_count close-unread-truncates-v4 '<g class="lane"' 2 "lanes"
grep -q '>close() 0.063 ms — unread 100 B, unsent 3,815,424 B, unacked 3,910,656 B</text>' \
    "$tmp/close-unread-truncates-v4.dom" || fail "close-unread-truncates: close() and its queues"
grep -q '>never on the wire: 3,815,424 B (96.8%)</text>' "$tmp/close-unread-truncates-v4.dom" ||
	fail "close-unread-truncates: the unsent bytes"
# The long transfer: folded into bands, the end in full, both RST kinds.
expect_count veth-long-transfer '<g class="band data' 2 "data bands"
expect_count veth-long-transfer '<g class="segment fin">' 1 "FIN"
expect_count veth-long-transfer '<g class="segment rst-ack">' 1 "RST+ACK"
expect_count veth-long-transfer '<g class="segment rst-bare">' 1 "bare RST"
expect_count veth-long-transfer '<g class="segment data lost">' 1 "a segment lost in flight"
expect_count veth-long-transfer '<g class="segment data retransmission">' 1 "a retransmission"
[ "$(wc -c <"$tmp/site/captures/veth-long-transfer.svg")" -lt 60000 ] ||
	fail "veth-long-transfer.svg is not bounded: $(wc -c <"$tmp/site/captures/veth-long-transfer.svg") bytes"
# The forked server: a child's lane, its RST+ACK, the bare RST, SIGPIPE.
expect_count fork-child-unread-sigpipe '<g class="lane" data-lane="server.child" data-end="server">' 1 "child lane"
expect_count fork-child-unread-sigpipe '<g class="call signal">' 1 "signal"
expect_count fork-child-unread-sigpipe '<g class="call exit">' 3 "exits"
expect_count fork-child-unread-sigpipe '<g class="segment rst-bare">' 1 "bare RST"

if $have_real; then
	console_errors real-report >/dev/null && { fail "console output on the real report:"; console_errors real-report; }
	grep -q '<html lang="en" class="js">' "$tmp/real-report.dom" || fail "real report: the script did not run"
	expect_count real-report '<tbody class="run[^"]*" id="case-' 4 "case runs (IPv4 and IPv6 of one)"
	grep -q '<span id="shown">4 of 4 shown</span>' "$tmp/real-report.dom" || fail "real report: not 4 of 4 shown"
	grep -q '<tbody class="run open" id="case-fork-unread-rst-last-close-ipv4"' "$tmp/real-opened.dom" ||
		fail "real report: #case-fork-unread-rst-last-close-ipv4 did not open it"
	expect_count real-images 'data-ok="[1-9][0-9]*"' 4 "ladders loaded from the report's links"
	grep -q "data-ok=\"broken\"" "$tmp/real-images.dom" && fail "real report: a ladder link is broken"

	# The ladders hold what their case implies.
	for svg in $real_ladders; do
		grep -q parsererror "$tmp/real-$svg.dom" && fail "real $svg.svg does not parse"
		console_errors "real-$svg" >/dev/null && { fail "console output on real $svg.svg:"; console_errors "real-$svg"; }
		expect_count "real-$svg" '<g class="lane" data-lane="client" data-end="client">' 1 "client lane"
		expect_count "real-$svg" '<g class="lane" data-lane="server" data-end="server">' 1 "server lane"
		expect_count "real-$svg" '<g class="segment syn">' 2 "SYN and SYN+ACK"
		grep -q '<title>client: connect()</title>' "$tmp/real-$svg.dom" || fail "real $svg: no connect()"
		grep -q '>Where the data went</text>' "$tmp/real-$svg.dom" || fail "real $svg: no loss spans"
	done
	# The truncating close: the server's close() with its queues, its RST+ACK, no FIN, the unsent bytes.
	expect_count real-close-unread-truncates-v4 '<g class="segment rst-ack">' 1 "RST+ACK"
	expect_count real-close-unread-truncates-v4 '<g class="segment fin">' 0 "FIN"
	expect_count real-close-unread-truncates-v4 '<g class="lane"' 2 "lanes"
	grep -Eq '<title>server: close\(\) [0-9.]+ ms — unread 100 B, unsent [1-9][0-9,]* B' \
	    "$tmp/real-close-unread-truncates-v4.dom" || fail "real close-unread-truncates: close() and its queues"
	grep -Eq '>never on the wire: [1-9][0-9,]* B' "$tmp/real-close-unread-truncates-v4.dom" ||
		fail "real close-unread-truncates: the unsent bytes are not a marked span"
	# The remedy: FIN both ways, no RST, nothing lost.
	expect_count real-lingering-close-remedy '<g class="segment fin">' 2 "FINs"
	expect_count real-lingering-close-remedy '<g class="segment rst-[a-z]*">' 0 "RSTs"
	grep -q '>never on the wire\|>on the wire, never read' "$tmp/real-lingering-close-remedy.dom" &&
		fail "real lingering-close-remedy: a loss is drawn"
	# The fork: the child's lane, its release of the socket, the parent's exit before it.
	expect_count real-fork-unread-rst-last-close '<g class="lane" data-lane="server.child" data-end="server">' 1 "child lane"
	expect_count real-fork-unread-rst-last-close '<g class="call exit">' 3 "exits"
	expect_count real-fork-unread-rst-last-close '<g class="segment rst-ack">' 1 "RST+ACK"
	grep -q '<title>server.child: close() [0-9.]* ms — unread 100 B' "$tmp/real-fork-unread-rst-last-close.dom" ||
		fail "real fork-unread-rst-last-close: the child's close() with 100 B unread"
fi

# The screenshots.
for name in ${shot_names:-}; do
	check_shot "$name"
done
[ -n "${DRAW_SHOTS:-}" ] && echo "screenshots in $shots"

[ "$failures" -eq 0 ] || exit 1
exit 0
