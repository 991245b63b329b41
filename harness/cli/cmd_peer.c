/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_peer.c - "closeprobe peer": the role interpreter and its ledger
 * alone, for a coordinator elsewhere ("closeprobe run --peer COMMAND")
 * that starts it, for example through ssh, adb or ip netns exec.  Standard
 * input and output carry the peer protocol and nothing else; what goes
 * wrong is said on standard error as well.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_peer.h"
#include "peerlink.h"
#include "status.h"

static void
peer_help(FILE *out)
{
	fputs("usage: closeprobe peer\n"
	    "\n"
	    "Runs one role of one case for a coordinator ('closeprobe run --peer\n"
	    "COMMAND'), which starts this command and speaks the peer protocol on its\n"
	    "standard input and output (see closeprobe(1), PEER PROTOCOL): the peer\n"
	    "says hello (its platform, the steps and options it supports), receives\n"
	    "the case and its role, runs the role on this host's stack and sends the\n"
	    "role's ledger.  No capture and no network namespace here.\n"
	    "\n"
	    "  -h, --help  this help\n"
	    "\n"
	    "Exit status: 0 the role ran and its ledger was sent, 77 the case needs a\n"
	    "step this peer cannot run, 99 a protocol or system error.\n", out);
}

int
cmd_peer(int argc, char **argv)
{
	char err[1024];
	int rc;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		peer_help(stdout);
		return fflush(stdout) == 0 ? EXIT_PASS : EXIT_ERROR;
	}
	if (argc > 1)
		return cli_usage_error("peer", "takes no argument, not '%s'", argv[1]);
	rc = peer_serve(0, 1, err, sizeof(err));
	if (rc < 0) {
		cli_error("peer: %s", err);
		return EXIT_ERROR;
	}
	if (rc > 0) {
		cli_error("peer: unsupported: %s", err);
		return EXIT_SKIP;
	}
	return EXIT_PASS;
}
