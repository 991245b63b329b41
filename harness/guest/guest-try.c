/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * guest-try.c - run cases in a guest kernel with the guest module, as
 * "closeprobe run --kernel" will (a test driver: not installed).
 *
 *   guest-try [--accel auto|kvm|tcg] [--modules DIR] [--cache DIR]
 *             [--captures DIR] [--json FILE] [--closeprobe BIN]
 *             [--arg ARG]... [--vcpus N] [--memory MB] [--life-timeout MS]
 *             [--boot-timeout MS] [--run-timeout MS] [--console FILE]
 *             KERNEL CASE-OR-DIR...
 *
 * Prints closeprobe's output from inside, then "guest:" lines (the
 * accelerator, the release, the image, the timings, the notes).  Exits
 * with closeprobe's status inside, or 99 when the guest did not run it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "status.h"

#define MAX_ARGS 64

static volatile sig_atomic_t stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

static int
stopped(void)
{
	return stop_signal != 0;
}

static void
usage(FILE *out)
{
	fprintf(out, "usage: guest-try [--accel auto|kvm|tcg] [--modules DIR] [--cache DIR]\n"
	    "                 [--captures DIR] [--json FILE] [--closeprobe BIN] [--arg ARG]...\n"
	    "                 [--vcpus N] [--memory MB] [--life-timeout MS]\n"
	    "                 [--boot-timeout MS] [--run-timeout MS] [--console FILE]\n"
	    "                 KERNEL CASE-OR-DIR...\n");
}

static int
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "guest-try: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs(text != NULL ? text : "", f);
	if (fclose(f) != 0) {
		fprintf(stderr, "guest-try: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
print_result(const struct guest_result *r)
{
	const struct guest_timings *t = &r->ms;

	fputs(r->verdict_text != NULL ? r->verdict_text : "", stdout);
	fputs(r->error_text != NULL ? r->error_text : "", stderr);
	printf("guest: accel %s (%s)\n", guest_accel_name(r->accel), r->accel_note);
	printf("guest: kernel %s\n", r->release[0] != '\0' ? r->release : "(unknown)");
	if (r->image_path != NULL)
		printf("guest: image %s (%s)\n", r->image_path, r->image_cached ? "cached" : "built");
	printf("guest: ms image %" PRId64 " kvm-lost %" PRId64 " boot %" PRId64 " modules %"
	    PRId64 " run %" PRId64 " collect %" PRId64 " total %" PRId64 "\n", t->image,
	    t->kvm_lost, t->boot, t->modules, t->run, t->collect, t->total);
	printf("guest: %zu files into the captures directory\n", r->captures);
	if (r->notes != NULL && r->notes[0] != '\0')
		printf("guest: notes:\n%s", r->notes);
	printf("guest: closeprobe exit status %d\n", r->status);
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "accel", required_argument, NULL, 'a' },
		{ "modules", required_argument, NULL, 'm' },
		{ "cache", required_argument, NULL, 'C' },
		{ "captures", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'j' },
		{ "closeprobe", required_argument, NULL, 'p' },
		{ "arg", required_argument, NULL, 'A' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "memory", required_argument, NULL, 'M' },
		{ "life-timeout", required_argument, NULL, 'l' },
		{ "boot-timeout", required_argument, NULL, 'b' },
		{ "run-timeout", required_argument, NULL, 'r' },
		{ "console", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct guest_options opt = { .closeprobe_binary = getenv("CLOSEPROBE") };
	const char *captures = "captures", *json = NULL, *console = NULL, *run_args[MAX_ARGS + 1];
	struct guest_result result;
	struct sigaction sa;
	size_t nargs = 0;
	char err[2048];
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (guest_accel_parse(optarg, &opt.accel) < 0) {
				fprintf(stderr, "guest-try: --accel auto, kvm or tcg, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'm':
			opt.modules_dir = optarg;
			break;
		case 'C':
			opt.cache_dir = optarg;
			break;
		case 'c':
			captures = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		case 'p':
			opt.closeprobe_binary = optarg;
			break;
		case 'A':
			if (nargs == MAX_ARGS) {
				fprintf(stderr, "guest-try: at most %d --arg\n", MAX_ARGS);
				return EXIT_USAGE;
			}
			run_args[nargs++] = optarg;
			break;
		case 'v':
			opt.vcpus = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'M':
			opt.memory_mb = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'l':
			opt.life_timeout_ms = strtoll(optarg, NULL, 10);
			break;
		case 'b':
			opt.boot_timeout_ms = strtoll(optarg, NULL, 10);
			break;
		case 'r':
			opt.run_timeout_ms = strtoll(optarg, NULL, 10);
			break;
		case 'o':
			console = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	run_args[nargs] = NULL;
	opt.run_args = run_args;
	opt.kernel = argv[optind];
	opt.case_paths = (const char *const *)argv + optind + 1;
	opt.ncases = (size_t)(argc - optind - 1);
	opt.stop_requested = stopped;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
		fprintf(stderr, "guest-try: sigaction: %s\n", strerror(errno));
		return EXIT_ERROR;
	}
	rc = guest_run(&opt, captures, &result, err, sizeof(err));
	if (console != NULL && result.console != NULL)
		write_text(console, result.console);
	if (rc < 0) {
		fprintf(stderr, "guest-try: %s\n", err);
		if (result.notes != NULL && result.notes[0] != '\0')
			fprintf(stderr, "guest-try: notes:\n%s", result.notes);
		guest_result_free(&result);
		return EXIT_ERROR;
	}
	print_result(&result);
	if (json != NULL && write_text(json, result.json) < 0)
		result.status = EXIT_ERROR;
	rc = result.status;
	guest_result_free(&result);
	return rc >= 0 ? rc : EXIT_ERROR;
}
