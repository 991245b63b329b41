#!/usr/bin/perl
# SPDX-License-Identifier: BSD-3-Clause
# browse.pl CHROMIUM VISITS OUTDIR [FLAG...] - many pages in one headless
# Chromium (browser.sh: one launch instead of one a page).  Chromium runs
# with the FLAGs and --remote-debugging-pipe (the DevTools protocol on its
# file descriptors 3 and 4, NUL-separated JSON).  VISITS holds a line a
# page, its fields separated by tabs:
#   NAME URL                     the page's DOM into OUTDIR/NAME.dom
#   NAME URL WIDTH HEIGHT PNG    a WIDTHxHEIGHT screenshot into PNG
# The pages open one after another, each a new document in one tab of a
# fresh browser context, and are read once the load event has fired and
# a frame has been drawn; a page's console - every console call, uncaught
# exception and browser log entry (a load refused, a network error) - goes
# into OUTDIR/NAME.log, a "CONSOLE" line each.
# Chromium's own standard error (--enable-logging=stderr among the FLAGs
# logs the same for every page) is OUTDIR/chromium.log.
# Exit: 0 done, 99 Chromium or the protocol failed (the message says how).
use strict;
use warnings;
use Fcntl qw(F_DUPFD);
use JSON::PP;
use MIME::Base64 qw(decode_base64);
use POSIX ();

my ($chromium, $visits, $outdir, @flags) = @ARGV;
die "usage: browse.pl CHROMIUM VISITS OUTDIR [FLAG...]\n" unless defined $outdir;
my $step_timeout = 60;	# seconds for any one answer or load event
my $json = JSON::PP->new->utf8->canonical;
my $pid;

sub harness_error {
	print "ERROR: browse.pl: @_\n";
	if ($pid) {
		kill 'KILL', $pid;
		waitpid $pid, 0;
		if (open my $log, '<', "$outdir/chromium.log") {
			my @lines = <$log>;
			print map { "  $_" } @lines[($#lines > 19 ? $#lines - 19 : 0) .. $#lines];
		}
	}
	exit 99;
}
$SIG{TERM} = $SIG{INT} = $SIG{HUP} = sub { harness_error("stopped by a signal") };
$SIG{PIPE} = 'IGNORE';

open my $list, '<', $visits or harness_error("$visits: $!");
my @pages;
while (my $line = <$list>) {
	chomp $line;
	next unless length $line;
	my @f = split /\t/, $line;
	harness_error("$visits: \"$line\" is not NAME URL [WIDTH HEIGHT PNG]")
	    unless @f == 2 || (@f == 5 && $f[2] =~ /^\d+$/ && $f[3] =~ /^\d+$/);
	push @pages, { name => $f[0], url => $f[1], width => $f[2], height => $f[3],
	    png => $f[4] };
}
close $list;

# Chromium, its fd 3 reading our commands and its fd 4 writing answers.
pipe(my $to_chromium_r, my $to_chromium_w) or harness_error("pipe: $!");
pipe(my $from_chromium_r, my $from_chromium_w) or harness_error("pipe: $!");
$pid = fork;
defined $pid or harness_error("fork: $!");
if ($pid == 0) {
	# Out of the way first (dup2 onto 3 or 4 could hit one of the pipes).
	my $in = fcntl($to_chromium_r, F_DUPFD, 10);
	my $out = fcntl($from_chromium_w, F_DUPFD, 10);
	defined $in && defined $out && POSIX::dup2($in, 3) && POSIX::dup2($out, 4) &&
	    open(STDOUT, '>', "$outdir/chromium.out") &&
	    open(STDERR, '>', "$outdir/chromium.log") or POSIX::_exit(127);
	POSIX::close($_) for $in, $out;
	{ no warnings 'exec'; exec { $chromium } $chromium, @flags, '--remote-debugging-pipe'; }
	POSIX::_exit(127);
}
close $to_chromium_r;
close $from_chromium_w;

my $next_id = 0;
my $buffer = '';
my @events;	# arrived, not yet waited for
my $tab;	# the session of the tab the pages open in
my $current;	# the page open in it
my %log_of;	# page name -> the console lines of that page

sub send_command {	# send_command(SESSION, METHOD, PARAMS): its id
	my ($session, $method, $params) = @_;
	my %msg = (id => ++$next_id, method => $method, params => $params // {});
	$msg{sessionId} = $session if defined $session;
	my $bytes = $json->encode(\%msg) . "\0";
	while (length $bytes) {
		my $n = syswrite $to_chromium_w, $bytes;
		harness_error("writing to Chromium: $!") unless defined $n;
		substr($bytes, 0, $n) = '';
	}
	return $next_id;
}

sub source_of {
	my ($url, $line) = @_;
	# The protocol counts lines from 0, Chromium's log from 1.
	return defined $url && length $url ? " (source: $url" . (defined $line ? ':' . ($line + 1) : '') . ')' : '';
}

# The console of a page, whenever it comes.
sub note_console {
	my ($msg) = @_;
	my ($method, $p, $session) = ($msg->{method}, $msg->{params}, $msg->{sessionId});
	return 0 unless defined $method && defined $session && defined $tab && $session eq $tab;
	my $line;
	if ($method eq 'Runtime.consoleAPICalled') {
		my @args = map { $_->{value} // $_->{description} // $_->{type} } @{$p->{args} // []};
		my $frame = ($p->{stackTrace}{callFrames} // [])->[0] // {};
		$line = "CONSOLE $p->{type}: @args" . source_of($frame->{url}, $frame->{lineNumber});
	} elsif ($method eq 'Runtime.exceptionThrown') {
		my $d = $p->{exceptionDetails};
		my $what = $d->{exception}{description} // $d->{text};
		$line = "CONSOLE exception: $what" . source_of($d->{url}, $d->{lineNumber});
	} elsif ($method eq 'Log.entryAdded') {
		my $e = $p->{entry};
		$line = "CONSOLE $e->{source} $e->{level}: $e->{text}" . source_of($e->{url}, $e->{lineNumber});
	} else {
		return 0;
	}
	$line =~ s/\n/\\n/g;
	# Between pages (after the last): the page just shown said it.
	push @{$log_of{$current // $pages[-1]{name}}}, $line;
	return 1;
}

# The whole messages read so far: console lines noted, the rest queued.
sub take_messages {
	while ((my $end = index $buffer, "\0") >= 0) {
		my $msg = eval { $json->decode(substr $buffer, 0, $end) };
		substr($buffer, 0, $end + 1) = '';
		harness_error("Chromium sent what is not JSON: $@") unless $msg;
		push @events, $msg unless note_console($msg);
	}
}

# wait_for(PREDICATE): the first message (answer or event) it accepts.
sub wait_for {
	my ($want) = @_;
	my $deadline = time + $step_timeout;
	for (;;) {
		for my $i (0 .. $#events) {
			return splice @events, $i, 1 if $want->($events[$i]);
		}
		my $left = $deadline - time;
		harness_error("no answer from Chromium in $step_timeout s") if $left <= 0;
		my $bits = '';
		vec($bits, fileno $from_chromium_r, 1) = 1;
		my $ready = select(my $r = $bits, undef, undef, $left);
		next if $ready < 0 && $!{EINTR};
		next unless $ready > 0;
		my $n = sysread $from_chromium_r, $buffer, 1 << 20, length $buffer;
		harness_error("reading from Chromium: $!") unless defined $n;
		harness_error("Chromium closed the pipe (it exited)") if $n == 0;
		take_messages();
	}
}

# command(SESSION, METHOD, PARAMS): its result; an error answer is fatal.
sub command {
	my ($session, $method, $params) = @_;
	my $id = send_command($session, $method, $params);
	my $answer = wait_for(sub { defined $_[0]{id} && $_[0]{id} == $id });
	harness_error("$method: $answer->{error}{message}") if $answer->{error};
	return $answer->{result};
}

sub write_file {
	my ($path, $layer, $text) = @_;
	open my $fh, ">$layer", $path or harness_error("$path: $!");
	print $fh $text or harness_error("$path: $!");
	close $fh or harness_error("$path: $!");
}

# What --dump-dom prints: the doctype, then the root element's markup.
my $dump_dom = "(document.doctype ? new XMLSerializer().serializeToString(document.doctype)"
    . " + '\\n' : '') + document.documentElement.outerHTML";
# Once a frame has been drawn after the load event (what a screenshot waits for).
my $settled = 'new Promise(function (done) { requestAnimationFrame(function () {'
    . ' setTimeout(done, 0); }); })';

# One tab in one fresh browser context (incognito: nothing kept after),
# each page a new document in it: the pages keep no state (no storage,
# no cookies on file://), and a new tab a page would cost a renderer each.
my $context = command(undef, 'Target.createBrowserContext', { disposeOnDetach => JSON::PP::true })
    ->{browserContextId};
my $target = command(undef, 'Target.createTarget',
    { url => 'about:blank', browserContextId => $context })->{targetId};
$tab = command(undef, 'Target.attachToTarget', { targetId => $target, flatten => JSON::PP::true })
    ->{sessionId};
command($tab, $_) for 'Page.enable', 'Runtime.enable', 'Log.enable';
command($tab, 'Page.setLifecycleEventsEnabled', { enabled => JSON::PP::true });
my $shown = 'about:blank';

# open_page(URL): navigated and loaded; false (the error noted) when the
# navigation failed.
sub open_page {
	my ($url) = @_;
	my $nav = command($tab, 'Page.navigate', { url => $url });
	if (defined $nav->{errorText}) {
		push @{$log_of{$current}}, "CONSOLE navigation: $nav->{errorText} (source: $url)";
		return 0;
	}
	# No loader: a move within the document shown, which loads nothing.
	harness_error("$url: the navigation made no new document") unless defined $nav->{loaderId};
	wait_for(sub {
		my ($m) = @_;
		return ($m->{method} // '') eq 'Page.lifecycleEvent' && ($m->{sessionId} // '') eq $tab &&
		    $m->{params}{name} eq 'load' && $m->{params}{loaderId} eq $nav->{loaderId};
	});
	$shown = $url;
	return 1;
}

sub visit {
	my ($page) = @_;
	my ($url, $shot) = ($page->{url}, defined $page->{png});
	$current = $page->{name};
	$log_of{$current} = [];
	# An address with a fragment, the document shown otherwise, would only
	# scroll it: go through a blank page to load it anew.
	my ($base, $shown_base) = map { (my $u = $_) =~ s/#.*//s; $u } $url, $shown;
	open_page('about:blank') if $url =~ /#/ && $base eq $shown_base;
	if ($shot) {
		command($tab, 'Emulation.setDeviceMetricsOverride', { width => $page->{width} + 0,
		    height => $page->{height} + 0, deviceScaleFactor => 1, mobile => JSON::PP::false });
	}
	my $dom = '';
	if (open_page($url)) {
		command($tab, 'Runtime.evaluate', { expression => $settled, awaitPromise => JSON::PP::true });
		if ($shot) {
			# Fast encoding: a bigger file, in less time.
			my $png = command($tab, 'Page.captureScreenshot',
			    { format => 'png', optimizeForSpeed => JSON::PP::true });
			write_file($page->{png}, ':raw', decode_base64($png->{data}));
		} else {
			my $r = command($tab, 'Runtime.evaluate',
			    { expression => $dump_dom, returnByValue => JSON::PP::true });
			harness_error("$url: reading the DOM: $r->{exceptionDetails}{text}")
			    if $r->{exceptionDetails};
			$dom = $r->{result}{value} . "\n";
		}
	}
	command($tab, 'Emulation.clearDeviceMetricsOverride') if $shot;
	write_file("$outdir/$page->{name}.dom", ':encoding(UTF-8)', $dom) unless $shot;
}

visit($_) for @pages;
$current = undef;
send_command(undef, 'Browser.close');
close $to_chromium_w;
# Console lines still on their way, up to Chromium's end.
while (sysread $from_chromium_r, $buffer, 1 << 20, length $buffer) {
	take_messages();
}
waitpid $pid, 0;
my $status = $?;
$pid = 0;
harness_error("Chromium exited with status " . ($status >> 8) . ($status & 127 ? " (signal " . ($status & 127) . ")" : ''))
    if $status != 0;
write_file("$outdir/$_.log", ':encoding(UTF-8)', join '', map { "$_\n" } @{$log_of{$_}})
    for keys %log_of;
exit 0;
