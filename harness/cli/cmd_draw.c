/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_draw.c - "closeprobe draw": a ladder diagram of one connection of
 * any capture, as SVG.
 *
 *   closeprobe draw [--conn N] [-o FILE.svg|-] FILE.pcap
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_draw.h"
#include "ladder.h"
#include "status.h"

static void
draw_usage(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe draw [--conn N] [-o FILE.svg|-] FILE.pcap\n"
	    "\n"
	    "Draws connection N (default 1, in order of first packet) of a capture as a\n"
	    "ladder diagram: the segments between the two ends, time running down, long\n"
	    "transfers folded into bands, the teardown in full.  The SVG is self-contained.\n"
	    "\n"
	    "  --conn N       which connection (1-based)\n"
	    "  -o, --output FILE  where to write (default: FILE.pcap's name with .wire.svg;\n"
	    "                 '-' for standard output)\n"
	    "\n"
	    "Exit status: 0 drawn, 2 usage, 99 the capture cannot be read or has no such\n"
	    "connection.\n");
}

static int
draw_usage_error(const char *what)
{
	fprintf(stderr, "closeprobe draw: %s\nTry 'closeprobe draw --help'.\n", what);
	return EXIT_USAGE;
}

/*
 * "FILE.pcap" -> "FILE.wire.svg" (any extension replaced, or added): drawn
 * from the packets alone, it must not overwrite the ladder a run wrote
 * beside its capture (FILE.svg, with the roles' calls).
 */
static char *
svg_name(const char *pcap)
{
	const char *slash = strrchr(pcap, '/'), *dot = strrchr(pcap, '.');
	size_t stem = (dot != NULL && (slash == NULL || dot > slash)) ? (size_t)(dot - pcap) :
	    strlen(pcap);
	char *name = malloc(stem + sizeof(".wire.svg"));

	if (name != NULL) {
		memcpy(name, pcap, stem);
		memcpy(name + stem, ".wire.svg", sizeof(".wire.svg"));
	}
	return name;
}

static void
format_endpoint(char *buf, size_t size, int family, const uint8_t *addr, uint16_t port)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(family, addr, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	snprintf(buf, size, family == AF_INET6 ? "[%s]:%u" : "%s:%u", text, port);
}

int
draw_main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "conn", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ladder_capture_info info;
	char err[512], client[64], server[64], summary[256];
	const char *output = NULL, *input;
	char *derived = NULL, *end;
	struct ladder *l;
	unsigned long conn = 1;
	FILE *out = stdout;
	int c, status = EXIT_PASS;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'c':
			errno = 0;
			conn = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || conn == 0 || optarg[0] == '-')
				return draw_usage_error("--conn takes a connection number from 1");
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			draw_usage(stdout);
			return EXIT_PASS;
		default:
			fprintf(stderr, "Try 'closeprobe draw --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return draw_usage_error(argc - optind < 1 ? "which capture? (FILE.pcap)" :
		    "one capture at a time");
	input = argv[optind];
	l = ladder_new();
	if (l == NULL || ladder_add_lane(l, "client", LADDER_END_CLIENT) < 0 ||
	    ladder_add_lane(l, "server", LADDER_END_SERVER) < 0) {
		fprintf(stderr, "closeprobe: out of memory\n");
		ladder_free(l);
		return EXIT_ERROR;
	}
	if (ladder_read_capture(l, input, conn, &info, err, sizeof(err)) < 0) {
		/* libpcap's own messages already start with the file's name. */
		if (strncmp(err, input, strlen(input)) == 0)
			fprintf(stderr, "closeprobe: %s\n", err);
		else
			fprintf(stderr, "closeprobe: %s: %s\n", input, err);
		ladder_free(l);
		return EXIT_ERROR;
	}
	format_endpoint(client, sizeof(client), info.family, info.client_addr, info.client_port);
	format_endpoint(server, sizeof(server), info.family, info.server_addr, info.server_port);
	snprintf(summary, sizeof(summary),
	    "Connection %lu of %zu: client %s, server %s, %zu packets. Drawn from the capture alone.",
	    conn, info.connections, client, server, info.packets);
	if (ladder_set_headline(l, input, NULL, summary) < 0) {
		fprintf(stderr, "closeprobe: out of memory\n");
		ladder_free(l);
		return EXIT_ERROR;
	}
	if (output == NULL)
		output = derived = svg_name(input);
	if (output == NULL) {
		status = EXIT_ERROR;
		fprintf(stderr, "closeprobe: out of memory\n");
	} else if (strcmp(output, "-") != 0 && (out = fopen(output, "w")) == NULL) {
		fprintf(stderr, "closeprobe: %s: %s\n", output, strerror(errno));
		status = EXIT_ERROR;
	}
	if (status == EXIT_PASS) {
		if (ladder_write_svg(l, out, err, sizeof(err)) < 0) {
			fprintf(stderr, "closeprobe: %s: %s\n", output, err);
			status = EXIT_ERROR;
		}
		if ((out == stdout ? fflush(out) : fclose(out)) != 0 && status == EXIT_PASS) {
			fprintf(stderr, "closeprobe: %s: %s\n", output, strerror(errno));
			status = EXIT_ERROR;
		}
		if (status == EXIT_PASS && out != stdout)
			fprintf(stderr, "closeprobe: %s: connection %lu of %zu, %zu packets\n",
			    output, conn, info.connections, info.packets);
	}
	free(derived);
	ladder_free(l);
	return status;
}
