/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_run.c - "closeprobe run": parse every case file, choose the cases,
 * run them (several at once with -j), and report each case run, in case
 * order, as text and, when asked, as JSON, TAP and JUnit XML.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caselist.h"
#include "cli.h"
#include "cmd_run.h"
#include "display.h"
#include "interrupt.h"
#include "junit.h"
#include "platform.h"
#include "progress.h"
#include "rundoc.h"
#include "runhtml.h"
#include "run_guest.h"
#include "runner.h"
#include "runpool.h"
#include "runrecord.h"
#include "stacks.h"
#include "status.h"
#include "symbols.h"
#include "tally.h"
#include "tap.h"
#include "units.h"

#ifndef CASESDIR
#define CASESDIR "/usr/local/share/closeprobe/cases"
#endif

#define JOBS_MAX 256
#define PEER_TIMEOUT_MAX_MS (60 * 60 * 1000)	/* --peer-timeout: an hour at most */
#define REPEAT_MAX 100

/* The options without a short letter. */
enum run_long_option {
	OPT_JSON = 256,
	OPT_TAP,
	OPT_JUNIT,
	OPT_ONLY,
	OPT_SKIP,
	OPT_KERNEL,
	OPT_MODULES,
	OPT_ACCEL,
	OPT_REPEAT,
	OPT_HTML,
	OPT_STACK,
	OPT_PEER,
	OPT_PEER_ROLE,
	OPT_PEER_ADDR,
	OPT_PEER_KERNEL,
	OPT_PEER_TIMEOUT
};

struct run_command {
	struct run_options opt;
	const char *json_path;
	const char *junit_path;
	const char *html_dir;	/* --html: the report page goes to DIR/index.html */
	bool tap;
	bool brief;
	unsigned long jobs;
	bool jobs_given;
	unsigned long repeat;	/* --repeat: runs of each case (1 to REPEAT_MAX) */
	struct caselist_filter filter;
	/* --kernel: the cases run in a guest; these options go with them. */
	const char *kernel;
	const char *modules_dir;
	enum guest_accel accel;
	const char **guest_args;	/* NULL-terminated, room for every argument */
	size_t nguest_args;
	/* --peer: one role runs in a peer that this command starts. */
	struct peer_options peer;
	bool peer_role_given;
	const char *peer_kernel;	/* --peer-kernel: the peer is a guest with this kernel */
	int64_t peer_timeout_ms;	/* --peer-timeout: the first command's hello; 0: default */
};

/* Everything a run writes to, and what it came to. */
struct run_session {
	struct case_file *const *cases;	/* each case repeat times, its runs together */
	size_t repeat;
	char **records;			/* repeat > 1: every run's JSON, for the flaky fields */
	size_t nrecords;
	bool records_lost;		/* out of memory: some are missing */
	struct display display;
	struct progress progress;
	struct tally tally;
	struct platform platform;
	bool have_platform;
	struct rundoc json;
	bool have_json;
	struct tap tap;
	bool have_tap;
	struct junit junit;
	bool have_junit;
	struct run_html *html;	/* --html, or NULL */
};

static void
run_help(FILE *out)
{
	fprintf(out,
	    "usage: closeprobe run [OPTION...] [CASE-OR-DIR...]\n"
	    "\n"
	    "Runs each case in fresh network namespaces on the kernel's stack, captures\n"
	    "it and prints its verdict.  A CASE-OR-DIR is a case file or a directory\n"
	    "whose *.case files run in name order; without one, ./cases if the current\n"
	    "directory has it, else the installed cases (%s).\n"
	    "Every file is parsed before anything runs: one bad file, and nothing runs.\n"
	    "\n"
	    "  -c, --captures DIR  where evidence goes (default: captures); a symbolic\n"
	    "                      link is refused\n"
	    "  -j, --jobs N        run N cases at once (default: $CLOSEPROBE_JOBS, else\n"
	    "                      4 per CPU, cases mostly wait; 0: that default)\n"
	    "      --repeat N      run each case N times (1 to %d, default 1), its runs\n"
	    "                      one after another in the reports; the fields that\n"
	    "                      took different values are said as flaky at the end\n"
	    "                      (evidence of run K > 1 goes to DIR/repeat-K)\n"
	    "      --only GLOB     run only the cases whose name matches GLOB (given\n"
	    "                      again: those that match either)\n"
	    "      --skip GLOB     do not run the cases whose name matches GLOB\n"
	    "  -q, --brief         one line per case run\n"
	    "      --json FILE     also write every case run as JSON to FILE\n"
	    "      --tap           write TAP 14 on standard output (the text goes to\n"
	    "                      standard error)\n"
	    "      --junit FILE    also write JUnit XML to FILE\n"
	    "      --html DIR      also write the run's report page to DIR/index.html\n"
	    "                      (each run's ladder, verdict, expectations and evidence;\n"
	    "                      opens from file://)\n"
	    "  -n, --no-netns      run in this network namespace, one case at a time\n"
	    "                      (loopback cases only; needs the right to capture on lo)\n"
	    "      --kernel IMAGE  run the cases inside a guest booted with this kernel\n"
	    "                      (qemu; the evidence comes back here)\n"
	    "      --modules DIR   the guest kernel's modules (default: /lib/modules/\n"
	    "                      and the image's release)\n"
	    "      --accel WHICH   auto (KVM when it answers in time, else TCG), kvm, tcg\n"
	    "      --stack NAME    the server end's stack: linux (the kernel's, the\n"
	    "                      default) or lwip (lwIP in the server role's process,\n"
	    "                      on a TAP link; when built in); a case it cannot run\n"
	    "                      is UNSUPPORTED, with the step and why\n"
	    "      --peer COMMAND  run one role in 'closeprobe peer' started by COMMAND\n"
	    "                      (sh -c; e.g. 'ssh host closeprobe peer'), the other\n"
	    "                      role and the capture here, one case at a time\n"
	    "      --peer-role R   the peer's role: server (the default) or client\n"
	    "      --peer-addr A   the peer's IP address: a server peer listens there,\n"
	    "                      a client peer connects from there (given twice: its\n"
	    "                      IPv4 and its IPv6 address)\n"
	    "      --peer-kernel IMAGE  the server role in a guest booted with this kernel\n"
	    "                      (as --kernel's, with --modules and --accel), the client\n"
	    "                      here, joined by a TAP link in the case's namespace\n"
	    "      --peer-timeout DUR  how long the peer has to say hello (250ms, 2s; default\n"
	    "                      10s; with --peer-kernel a KVM guest's, default 20s,\n"
	    "                      before TCG is tried)\n"
	    "  -h, --help          this help\n"
	    "\n"
	    "FILE - is standard output; the text then goes to standard error.\n"
	    "On a terminal the verdicts are wrapped to its width, the statuses are in\n"
	    "colour (unless NO_COLOR is set) and a line shows the case running.\n"
	    "\n"
	    "Exit status: 0 all passed, 1 an expectation failed, 2 bad command line,\n"
	    "77 cannot run here, 99 harness error (a bad or missing case file, a\n"
	    "capture failure, drops, a deadline passed, a stop signal); a flaky field\n"
	    "alone does not change it.\n", CASESDIR, REPEAT_MAX);
}

static int
set_jobs(struct run_command *cmd, const char *arg, const char *what)
{
	if (cli_number(arg, 0, JOBS_MAX, &cmd->jobs) < 0) {
		cli_usage_error("run", "%s needs a number of cases to run at once "
		    "(0 to %d), not '%s'", what, JOBS_MAX, arg);
		return -1;
	}
	cmd->jobs_given = true;
	return 0;
}

/* --stack NAME: a stack this closeprobe was built with.  0, or -1 (said). */
static int
set_stack(struct run_command *cmd, const char *name)
{
	bool known, built;

	cmd->opt.server_stack = stacks_find(name, &known, &built);
	if (!known) {
		cli_usage_error("run", "--stack takes %s, not '%s'", stacks_built(), name);
		return -1;
	}
	if (!built) {
		cli_usage_error("run", "--stack %s: this closeprobe was built without it "
		    "(configure --with-lwip, with Debian's liblwip-dev)", name);
		return -1;
	}
	return 0;
}

/* An option that the run inside a guest takes too. */
static void
pass_to_guest(struct run_command *cmd, const char *option, const char *arg)
{
	cmd->guest_args[cmd->nguest_args++] = option;
	if (arg != NULL)
		cmd->guest_args[cmd->nguest_args++] = arg;
	cmd->guest_args[cmd->nguest_args] = NULL;
}

/* --peer-addr ADDR: an IPv4 or IPv6 address, one of each at most. */
static int
add_peer_addr(struct run_command *cmd, const char *arg)
{
	unsigned char raw[sizeof(struct in6_addr)], other[sizeof(struct in6_addr)];
	int family = inet_pton(AF_INET, arg, raw) == 1 ? AF_INET :
	    inet_pton(AF_INET6, arg, raw) == 1 ? AF_INET6 : 0;
	size_t i;

	if (family == 0) {
		cli_usage_error("run", "--peer-addr needs an IPv4 or IPv6 address, not '%s'", arg);
		return -1;
	}
	for (i = 0; i < cmd->peer.naddrs; i++)
		if (inet_pton(family, cmd->peer.addrs[i], other) == 1) {
			cli_usage_error("run", "--peer-addr: one address of each family, not "
			    "'%s' and '%s'", cmd->peer.addrs[i], arg);
			return -1;
		}
	cmd->peer.addrs[cmd->peer.naddrs++] = arg;
	return 0;
}

/* --peer-timeout DUR: a duration above 0, an hour at most. */
static int
set_peer_timeout(struct run_command *cmd, const char *arg)
{
	uint64_t ms;

	if (units_parse_duration(arg, &ms) < 0 || ms == 0 || ms > PEER_TIMEOUT_MAX_MS) {
		cli_usage_error("run", "--peer-timeout needs a duration above 0, at most 3600s "
		    "(250ms, 2s), not '%s'", arg);
		return -1;
	}
	cmd->peer_timeout_ms = (int64_t)ms;
	return 0;
}

static int
set_option(void *ctx, int val, const char *arg)
{
	struct run_command *cmd = ctx;

	switch (val) {
	case OPT_STACK:
		return set_stack(cmd, arg);
	case OPT_PEER:
		cmd->peer.command = arg;
		return 0;
	case OPT_PEER_ROLE:
		if (strcmp(arg, "server") != 0 && strcmp(arg, "client") != 0) {
			cli_usage_error("run", "--peer-role takes server or client, not '%s'", arg);
			return -1;
		}
		cmd->peer.role = strcmp(arg, "server") == 0 ? ROLE_SERVER : ROLE_CLIENT;
		cmd->peer_role_given = true;
		return 0;
	case OPT_PEER_ADDR:
		return add_peer_addr(cmd, arg);
	case OPT_PEER_KERNEL:
		cmd->peer_kernel = arg;
		return 0;
	case OPT_PEER_TIMEOUT:
		return set_peer_timeout(cmd, arg);
	case OPT_KERNEL:
		cmd->kernel = arg;
		return 0;
	case OPT_MODULES:
		cmd->modules_dir = arg;
		return 0;
	case OPT_ACCEL:
		if (guest_accel_parse(arg, &cmd->accel) < 0) {
			cli_usage_error("run", "--accel takes auto, kvm or tcg, not '%s'", arg);
			return -1;
		}
		return 0;
	case OPT_REPEAT:
		if (cli_number(arg, 1, REPEAT_MAX, &cmd->repeat) < 0) {
			cli_usage_error("run", "--repeat needs a number of runs of each case "
			    "(1 to %d), not '%s'", REPEAT_MAX, arg);
			return -1;
		}
		pass_to_guest(cmd, "--repeat", arg);
		return 0;
	case 'j':
	case 'n':
	case 'q':
	case OPT_ONLY:
	case OPT_SKIP:
		pass_to_guest(cmd, val == 'j' ? "--jobs" : val == 'n' ? "--no-netns" :
		    val == 'q' ? "--brief" : val == OPT_ONLY ? "--only" : "--skip",
		    val == 'j' || val == OPT_ONLY || val == OPT_SKIP ? arg : NULL);
		break;
	default:
		break;
	}
	switch (val) {
	case 'c':
		cmd->opt.captures_dir = arg;
		break;
	case 'j':
		return set_jobs(cmd, arg, "--jobs");
	case 'n':
		cmd->opt.no_netns = true;
		break;
	case 'q':
		cmd->brief = true;
		break;
	case OPT_JSON:
		cmd->json_path = arg;
		break;
	case OPT_TAP:
		cmd->tap = true;
		break;
	case OPT_JUNIT:
		cmd->junit_path = arg;
		break;
	case OPT_HTML:
		cmd->html_dir = arg;
		break;
	case OPT_ONLY:
	case OPT_SKIP:
		if (caselist_filter_add(&cmd->filter, val == OPT_ONLY, arg) < 0) {
			cli_error("out of memory");
			return -1;
		}
		break;
	}
	return 0;
}

/* --peer needs --peer-addr, and --peer-role and --peer-addr need --peer.
 * 0, or -1 with *status (said). */
static int
check_peer_options(struct run_command *cmd, int *status)
{
	if (cmd->peer_timeout_ms > 0 && cmd->peer.command == NULL && cmd->peer_kernel == NULL) {
		*status = cli_usage_error("run", "--peer-timeout goes with --peer or --peer-kernel");
		return -1;
	}
	cmd->peer.hello_ms = cmd->peer_timeout_ms;
	if (cmd->peer_kernel != NULL) {
		if (cmd->peer.command != NULL || cmd->peer.naddrs > 0 || cmd->peer_role_given ||
		    cmd->kernel != NULL || cmd->opt.no_netns) {
			/* --no-netns: its TAP device would outlive the run. */
			*status = cli_usage_error("run", "--peer-kernel goes with none of --peer, "
			    "--peer-role, --peer-addr, --kernel and --no-netns");
			return -1;
		}
		/* Its command is made once the guest's image is (peer_kernel_prepare). */
		cmd->opt.peer = &cmd->peer;
		return 0;
	}
	if (cmd->peer.command == NULL) {
		if (cmd->peer.naddrs == 0 && !cmd->peer_role_given)
			return 0;
		*status = cli_usage_error("run", "--peer-role and --peer-addr go with --peer");
		return -1;
	}
	if (cmd->peer.naddrs == 0) {
		*status = cli_usage_error("run", "--peer needs --peer-addr: the address the "
		    "peer is reached at");
		return -1;
	}
	if (cmd->kernel != NULL) {
		*status = cli_usage_error("run", "--peer and --kernel do not go together");
		return -1;
	}
	cmd->opt.peer = &cmd->peer;
	return 0;
}

/* How many cases at once: -j, else $CLOSEPROBE_JOBS, else the default
 * (runpool_default_jobs(): 4 per CPU, cases mostly wait). */
static int
resolve_jobs(struct run_command *cmd)
{
	const char *env = getenv("CLOSEPROBE_JOBS");

	if (!cmd->jobs_given && env != NULL && env[0] != '\0' &&
	    set_jobs(cmd, env, "CLOSEPROBE_JOBS") < 0)
		return -1;
	if (!cmd->jobs_given || cmd->jobs == 0)
		cmd->jobs = runpool_default_jobs();
	/* The caller's namespace is one: its counters and ports are shared. */
	if (cmd->opt.no_netns || cmd->opt.peer != NULL)
		cmd->jobs = 1;
	return 0;
}

/* Standard output can hold one machine format; the text then goes to
 * standard error.  0, or -1 when two ask for it (said). */
static int
choose_text_stream(const struct run_command *cmd, FILE **text)
{
	int claims = cmd->tap + (cmd->json_path != NULL && strcmp(cmd->json_path, "-") == 0) +
	    (cmd->junit_path != NULL && strcmp(cmd->junit_path, "-") == 0);

	if (claims > 1) {
		cli_usage_error("run", "only one of --tap, --json - and --junit - can write "
		    "to standard output");
		return -1;
	}
	*text = claims > 0 ? stderr : stdout;
	return 0;
}

/*
 * The captures directory, before anything runs: never a symbolic link
 * (with a trailing slash the kernel would follow it), created if missing.
 * dir loses its trailing slashes.  0, or -1 (said).
 */
static int
prepare_captures(char *dir)
{
	size_t len = strlen(dir);
	struct stat st;

	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	/* mkdir first: another run may make it at the same time, and mkdir
	 * never follows a link (EEXIST); then see what is there. */
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		cli_error("%s: cannot create the captures directory: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) < 0) {
		cli_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		cli_error("%s: the captures directory is a symbolic link: evidence is "
		    "never written through one (name the real directory)", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("%s: the captures directory is not a directory", dir);
		return -1;
	}
	return 0;
}

/* How many case runs the cases make: "family both" is two. */
static size_t
planned_runs(const struct caselist *list)
{
	size_t c, n = 0;

	for (c = 0; c < list->count; c++)
		n += list->items[c]->family == FAMILY_BOTH ? 2 : 1;
	return n;
}

/* Open what the run writes besides the text.  0, or -1 (said). */
static int
session_open(struct run_session *s, const struct run_command *cmd, FILE *text)
{
	char err[256];

	memset(s, 0, sizeof(s[0]));
	s->repeat = 1;
	display_init(&s->display, text, cmd->brief);
	if (cmd->json_path != NULL) {
		if (rundoc_open(&s->json, cmd->json_path) < 0)
			return -1;
		s->have_json = true;
	}
	if (cmd->junit_path != NULL) {
		if (junit_open(&s->junit, cmd->junit_path) < 0)
			return -1;
		s->have_junit = true;
	}
	s->have_tap = cmd->tap;
	if (cmd->html_dir != NULL &&
	    (s->html = run_html_open(cmd->html_dir, "closeprobe run", err, sizeof(err))) == NULL) {
		cli_error("--html: %s", err);
		return -1;
	}
	if (platform_probe(&s->platform, err, sizeof(err)) == 0) {
		s->have_platform = true;
		/* The stack under test is the server end's. */
		if (cmd->opt.server_stack != NULL)
			sockapi_describe(cmd->opt.server_stack->api, s->platform.stack,
			    sizeof(s->platform.stack));
	} else
		cli_error("the platform: %s", err);
	return 0;
}

/* The files opened for a run that never began: nothing was written yet. */
static void
session_abandon(struct run_session *s)
{
	if (s->have_json && s->json.out != stdout)
		fclose(s->json.out);
	if (s->have_junit && s->junit.out != stdout)
		fclose(s->junit.out);
	run_html_free(s->html);
	s->html = NULL;
}

static void
session_begin(struct run_session *s, size_t planned, bool text)
{
	const struct platform *p = s->have_platform ? &s->platform : NULL;

	if (text && p != NULL)
		display_platform(&s->display, p);
	if (s->have_json)
		rundoc_begin(&s->json, p);
	if (s->have_tap)
		tap_begin(&s->tap, stdout, p, planned);
	if (s->have_junit)
		junit_begin(&s->junit, p);
}

/* One case run (or a file that did not parse) into every report. */
static void
session_record(struct run_session *s, const struct runrecord *r, const char *warning,
    bool text)
{
	progress_clear(&s->progress);
	if (warning != NULL) {
		fflush(s->display.out);
		fprintf(stderr, "closeprobe: %s\n", warning);
	}
	if (text)
		display_run(&s->display, r);
	if (s->have_json)
		rundoc_record(&s->json, r->json);
	if (s->have_tap)
		tap_run(&s->tap, r);
	if (s->have_junit)
		junit_run(&s->junit, r);
	if (s->html != NULL) {
		char err[512];

		if (run_html_record(s->html, r->label, r->text, r->json, err, sizeof(err)) < 0)
			cli_error("--html: %s: %s", r->label, err);
	}
}

/* Close the reports.  0, or -1 when one could not be written (said). */
static int
session_end(struct run_session *s)
{
	int rc = 0;

	if (s->have_json && rundoc_end(&s->json, &s->tally) < 0)
		rc = -1;
	if (s->have_tap)
		tap_end(&s->tap, &s->tally);
	if (s->have_junit && junit_end(&s->junit, &s->tally) < 0)
		rc = -1;
	if (s->html != NULL) {
		char err[512];

		if (run_html_write(s->html, err, sizeof(err)) < 0) {
			cli_error("--html: %s", err);
			rc = -1;
		}
		run_html_free(s->html);
		s->html = NULL;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("standard output: %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

/* "close-unread-truncates (IPv6)": the family is named when the case
 * names IPv6 (run is the run's index; IPv4 runs first); with --repeat,
 * which of the runs it is: "close-unread-truncates #2/3". */
static void
run_label(char *buf, size_t size, const struct case_file *cf, size_t run, size_t nth,
    size_t repeat)
{
	char which[48] = "";

	if (repeat > 1)
		snprintf(which, sizeof(which), " #%zu/%zu", nth + 1, repeat);
	if (cf->family == FAMILY_4)
		snprintf(buf, size, "%s%s", cf->name, which);
	else
		snprintf(buf, size, "%s (IPv%d)%s", cf->name,
		    cf->family == FAMILY_6 || run > 0 ? 6 : 4, which);
}

/* Keep a run's JSON for the flaky fields (repeat > 1 only). */
static void
keep_record(struct run_session *s, const char *json)
{
	char **grown;

	if (s->repeat <= 1)
		return;
	grown = realloc(s->records, (s->nrecords + 1) * sizeof(*grown));
	if (grown == NULL || (grown[s->nrecords] = strdup(json)) == NULL) {
		if (grown != NULL)
			s->records = grown;
		s->records_lost = true;
		return;
	}
	s->records = grown;
	s->nrecords++;
}

static void
records_free(struct run_session *s)
{
	size_t i;

	for (i = 0; i < s->nrecords; i++)
		free(s->records[i]);
	free(s->records);
	s->records = NULL;
	s->nrecords = 0;
}

static void
on_started(void *ctx, size_t index, pid_t worker)
{
	struct run_session *s = ctx;

	progress_started(&s->progress, index, worker);
	progress_draw(&s->progress, true);
}

static void
on_ended(void *ctx, size_t index)
{
	struct run_session *s = ctx;

	progress_ended(&s->progress, index);
}

static void
on_tick(void *ctx)
{
	struct run_session *s = ctx;

	progress_draw(&s->progress, false);
}

static void
on_finished(void *ctx, size_t index, struct runner_outcome *out)
{
	struct run_session *s = ctx;
	const struct case_file *cf = s->cases[index];
	size_t r;

	for (r = 0; r < out->nruns; r++) {
		struct runner_result *res = &out->runs[r];
		struct runrecord rec;
		char label[160];

		run_label(label, sizeof(label), cf, r, index % s->repeat, s->repeat);
		/* Every run has a record, even one the runner could not describe. */
		if (res->json == NULL)
			res->json = rundoc_error_record(cf->name, cf->path,
			    cf->family == FAMILY_6 || r > 0 ? 6 : 4, tally_status_name(res->status),
			    "the runner gave no JSON for this run");
		if (runrecord_init(&rec, label, cf->path, res->status, res->text, res->json) < 0) {
			cli_error("out of memory");
			tally_add(&s->tally, CASE_ERROR, cf->name);
			continue;
		}
		session_record(s, &rec, res->warning, true);
		tally_add(&s->tally, rec.status, rec.label);
		keep_record(s, res->json);
		runrecord_free(&rec);
	}
	runner_outcome_free(out);
	progress_draw(&s->progress, true);
}

/*
 * Bad case files (not parsed, or a case name used twice): nothing runs,
 * but each has a record in the reports asked for (the messages have been
 * said already).
 */
static int
report_bad_files(const struct run_command *cmd, const struct caselist *list)
{
	struct run_session s;
	FILE *text;
	size_t i;

	if (cmd->json_path == NULL && cmd->junit_path == NULL && !cmd->tap &&
	    cmd->html_dir == NULL)
		return EXIT_ERROR;
	if (choose_text_stream(cmd, &text) < 0)
		return EXIT_USAGE;
	if (session_open(&s, cmd, text) < 0) {
		session_abandon(&s);
		return EXIT_ERROR;
	}
	tally_init(&s.tally, 0);
	s.tally.bad_files = list->nfailures;
	session_begin(&s, list->nfailures, false);
	for (i = 0; i < list->nfailures; i++) {
		const struct caselist_failure *f = &list->failures[i];
		char *json = rundoc_error_record(NULL, f->path, 0, "ERROR", f->message);
		struct runrecord rec;

		/* Not a case run: the tally counts it among the bad files. */
		if (runrecord_init(&rec, f->path, f->path, CASE_ERROR, NULL, json) == 0) {
			session_record(&s, &rec, NULL, false);
			runrecord_free(&rec);
		}
		free(json);
	}
	session_end(&s);
	tally_free(&s.tally);
	return EXIT_ERROR;
}

/*
 * What runs: each case repeat times, all its runs together (so the text,
 * the JSON and the flaky fields read case by case, and a stop signal
 * leaves whole cases not run rather than a pass of every case), the
 * first run's evidence in the captures directory, run K's in
 * DIR/repeat-K (the runs of a case must not overwrite each other's).
 */
struct run_plan {
	struct case_file **items;		/* count * repeat */
	const struct run_options **opts;	/* the same, the options of each */
	struct run_options *ropts;		/* one per repeat */
	char **dirs;				/* one per repeat; [0] NULL */
	size_t n, repeat;
};

static void
plan_free(struct run_plan *p)
{
	size_t k;

	for (k = 0; p->dirs != NULL && k < p->repeat; k++)
		free(p->dirs[k]);
	free(p->dirs);
	free(p->ropts);
	free(p->opts);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* 0, or -1 (said). */
static int
plan_make(struct run_plan *p, const struct run_command *cmd, const struct caselist *list)
{
	size_t c, k;

	memset(p, 0, sizeof(*p));
	p->repeat = cmd->repeat;
	p->n = list->count * p->repeat;
	p->items = calloc(p->n, sizeof(*p->items));
	p->opts = calloc(p->n, sizeof(*p->opts));
	p->ropts = calloc(p->repeat, sizeof(*p->ropts));
	p->dirs = calloc(p->repeat, sizeof(*p->dirs));
	if (p->items == NULL || p->opts == NULL || p->ropts == NULL || p->dirs == NULL) {
		cli_error("out of memory");
		return -1;
	}
	for (k = 0; k < p->repeat; k++) {
		size_t len = strlen(cmd->opt.captures_dir) + sizeof("/repeat-") + 3;

		p->ropts[k] = cmd->opt;
		if (k == 0)
			continue;
		if ((p->dirs[k] = malloc(len)) == NULL) {
			cli_error("out of memory");
			return -1;
		}
		snprintf(p->dirs[k], len, "%s/repeat-%zu", cmd->opt.captures_dir, k + 1);
		if (prepare_captures(p->dirs[k]) < 0)
			return -1;
		p->ropts[k].captures_dir = p->dirs[k];
	}
	for (c = 0; c < list->count; c++)
		for (k = 0; k < p->repeat; k++) {
			p->items[c * p->repeat + k] = list->items[c];
			p->opts[c * p->repeat + k] = &p->ropts[k];
		}
	return 0;
}

/* The flaky fields, said before the summary line (the last line). */
static void
find_flaky(struct run_session *s, FILE *text)
{
	char err[512];

	if (s->repeat <= 1)
		return;
	if (s->records_lost)
		cli_error("out of memory: the flaky fields are from some of the runs only");
	if (tally_find_flaky(&s->tally, s->records, s->nrecords, err, sizeof(err)) < 0)
		cli_error("the flaky fields: %s", err);
	tally_write_flaky(&s->tally, text);
}

/* Run the chosen cases and report them; the exit status. */
static int
run_cases(struct run_command *cmd, const struct caselist *list, FILE *text)
{
	struct runpool_hooks hooks = {
		.started = on_started, .ended = on_ended, .finished = on_finished,
		.tick = on_tick,
	};
	struct run_session s;
	struct run_plan plan;
	size_t started, c, cases_started;
	int status;

	if (plan_make(&plan, cmd, list) < 0) {
		plan_free(&plan);
		return EXIT_ERROR;
	}
	if (session_open(&s, cmd, text) < 0) {
		session_abandon(&s);
		plan_free(&plan);
		return EXIT_ERROR;
	}
	s.cases = plan.items;
	s.repeat = plan.repeat;
	tally_init(&s.tally, list->count);
	progress_init(&s.progress, plan.items, plan.n);
	hooks.ctx = &s;
	hooks.tick_ms = s.progress.out != NULL ? PROGRESS_TICK_MS : 0;
	if (interrupt_catch() < 0) {
		cli_error("sigaction: %s", strerror(errno));
		session_abandon(&s);
		tally_free(&s.tally);
		progress_free(&s.progress);
		plan_free(&plan);
		return EXIT_ERROR;
	}
	session_begin(&s, planned_runs(list) * plan.repeat, true);
	started = runpool_run(plan.items, plan.n, plan.opts, (unsigned)cmd->jobs, &hooks);
	progress_free(&s.progress);
	/* A case ran when its first run started. */
	cases_started = (started + plan.repeat - 1) / plan.repeat;
	s.tally.started = cases_started;
	if (interrupt_signal() != 0) {
		s.tally.stopped_by = interrupt_signal();
		for (c = cases_started; c < list->count; c++)
			tally_not_run(&s.tally, list->items[c]->name);
		fprintf(text, "closeprobe: stopped by %s; %zu of %zu cases not run\n",
		    case_signal_to_name(interrupt_signal()), list->count - cases_started,
		    list->count);
	}
	find_flaky(&s, text);
	if (tally_worth_saying(&s.tally))
		tally_write_text(&s.tally, text);
	status = tally_exit_status(&s.tally);
	if (session_end(&s) < 0)
		status = EXIT_ERROR;
	tally_free(&s.tally);
	records_free(&s);
	plan_free(&plan);
	return status;
}

static int
run_in_guest(const struct run_command *cmd, const char *captures, int ncases,
    const char *const *cases)
{
	const char *default_dir[] = { caselist_default_dir() };
	struct run_guest_request req = {
		.kernel = cmd->kernel,
		.modules_dir = cmd->modules_dir,
		.accel = cmd->accel,
		.captures_dir = captures,
		.json_path = cmd->json_path,
		.case_paths = ncases > 0 ? cases : default_dir,
		.ncases = ncases > 0 ? (size_t)ncases : 1,
		.run_args = cmd->guest_args,
		.stop_requested = interrupt_signal,
	};

	if (interrupt_catch() < 0) {
		cli_error("cannot catch stop signals: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return run_guest(&req);
}

/* The guest's TAP link: the host end in each case's namespace, the guest's eth0. */
#define PEER_KERNEL_TAP "cpk0"
#define PEER_KERNEL_HOST_ADDR "198.18.0.1/24"
#define PEER_KERNEL_GUEST_ADDR "198.18.0.2"
#define PEER_KERNEL_GUEST_CIDR PEER_KERNEL_GUEST_ADDR "/24"
#define PEER_KERNEL_HOST_ADDR6 "2001:db8:77::1/64"
#define PEER_KERNEL_GUEST_ADDR6 "2001:db8:77::2"
#define PEER_KERNEL_GUEST_CIDR6 PEER_KERNEL_GUEST_ADDR6 "/64"
#define PEER_KERNEL_KVM_HELLO_MS 20000	/* a KVM guest that says nothing by then hangs */

/* --peer-kernel: the guest's image once, then the cases with the guest as
 * their server's peer (a boot per case run). */
static int
run_with_peer_kernel(struct run_command *cmd, const struct caselist *list, FILE *text)
{
	struct guest_options gopts = {
		.kernel = cmd->peer_kernel, .modules_dir = cmd->modules_dir, .accel = cmd->accel,
		.closeprobe_binary = "/proc/self/exe",
	};
	struct guest_peer gp;
	char err[1024], *flag = NULL, *answered = NULL, label[PATH_MAX_GUEST + 64], why[128];
	int64_t kvm_hello_ms = cmd->peer_timeout_ms > 0 ? cmd->peer_timeout_ms :
	    PEER_KERNEL_KVM_HELLO_MS;
	bool kvm_first;
	int status;

	if (guest_peer_prepare(&gopts, PEER_KERNEL_GUEST_CIDR, PEER_KERNEL_GUEST_CIDR6,
	    PEER_KERNEL_TAP, &gp, err, sizeof(err)) < 0) {
		cli_error("%s: %s", cmd->peer_kernel, err);
		return EXIT_ERROR;
	}
	kvm_first = gp.kvm_command != NULL;
	if (gp.notes != NULL && gp.notes[0] != '\0')
		fprintf(stderr, "closeprobe: peer guest: %s", gp.notes);
	fprintf(stderr, "closeprobe: peer guest: kernel %s (%s), %s%s%s%s; its console: %s\n",
	    gp.release, cmd->peer_kernel, kvm_first ? "KVM, TCG if it hangs" : "TCG",
	    gp.accel_note[0] != '\0' ? " (" : "", gp.accel_note,
	    gp.accel_note[0] != '\0' ? ")" : "", gp.console);
	snprintf(label, sizeof(label), "a guest with %s", cmd->peer_kernel);
	/* asprintf() leaves its pointer undefined when it fails. */
	if (asprintf(&flag, "%s/kvm-gave-up", gp.workdir) < 0)
		flag = NULL;
	if (asprintf(&answered, "%s/kvm-answered", gp.workdir) < 0)
		answered = NULL;
	if (flag == NULL || answered == NULL) {
		cli_error("out of memory");
		free(flag);
		free(answered);
		guest_peer_free(&gp);
		return EXIT_ERROR;
	}
	cmd->peer.command = kvm_first ? gp.kvm_command : gp.tcg_command;
	cmd->peer.hello_ms = kvm_first ? kvm_hello_ms : GUEST_BOOT_TIMEOUT_MS;
	cmd->peer.fallback_command = kvm_first ? gp.tcg_command : NULL;
	cmd->peer.fallback_hello_ms = GUEST_BOOT_TIMEOUT_MS;
	cmd->peer.fallback_flag = flag;
	cmd->peer.answered_flag = kvm_first ? answered : NULL;
	cmd->peer.role = ROLE_SERVER;
	cmd->peer.label = label;
	cmd->peer.addrs[0] = PEER_KERNEL_GUEST_ADDR;
	cmd->peer.addrs[1] = PEER_KERNEL_GUEST_ADDR6;
	cmd->peer.naddrs = 2;
	cmd->peer.tap = PEER_KERNEL_TAP;
	cmd->peer.tap_addr = PEER_KERNEL_HOST_ADDR;
	cmd->peer.tap_addr6 = PEER_KERNEL_HOST_ADDR6;
	status = run_cases(cmd, list, text);
	/* What KVM did, kept for the next run as run --kernel keeps it. */
	snprintf(why, sizeof(why), "kvm: no hello within %lld ms: fell back to tcg",
	    (long long)kvm_hello_ms);
	if (kvm_first && guest_peer_record_kvm(&gp, access(flag, F_OK) == 0,
	    access(answered, F_OK) == 0, why, err, sizeof(err)) < 0)
		fprintf(stderr, "closeprobe: peer guest: cannot keep what kvm did: %s\n", err);
	free(flag);
	free(answered);
	guest_peer_free(&gp);
	return status;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option options[] = {
		{ "captures", required_argument, NULL, 'c' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "brief", no_argument, NULL, 'q' },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "tap", no_argument, NULL, OPT_TAP },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "no-netns", no_argument, NULL, 'n' },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "modules", required_argument, NULL, OPT_MODULES },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "stack", required_argument, NULL, OPT_STACK },
		{ "peer", required_argument, NULL, OPT_PEER },
		{ "peer-role", required_argument, NULL, OPT_PEER_ROLE },
		{ "peer-addr", required_argument, NULL, OPT_PEER_ADDR },
		{ "peer-kernel", required_argument, NULL, OPT_PEER_KERNEL },
		{ "peer-timeout", required_argument, NULL, OPT_PEER_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct run_command cmd = { .opt = { .captures_dir = "captures" }, .repeat = 1,
		.peer = { .role = ROLE_SERVER } };
	struct cli_parser parser = { "run", options, run_help, set_option, &cmd };
	struct caselist list = { 0 };
	const char *unmatched;
	char *captures = NULL;
	FILE *text;
	int first, status, bad = 0, i;

	cmd.guest_args = calloc((size_t)argc * 2 + 1, sizeof(*cmd.guest_args));
	if (cmd.guest_args == NULL) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	first = cli_options(argc, argv, &parser, &status);
	if (first >= 0 && cmd.opt.server_stack != NULL &&
	    (cmd.peer.command != NULL || cmd.peer_kernel != NULL)) {
		status = cli_usage_error("run", "--stack and --peer%s do not go together: "
		    "the peer's stack is its own", cmd.peer_kernel != NULL ? "-kernel" : "");
		first = -1;
	}
	if (first >= 0 && cmd.opt.server_stack != NULL && (cmd.kernel != NULL ||
	    cmd.opt.no_netns)) {
		/* The stack's TAP link is made in the case's own namespace, here. */
		status = cli_usage_error("run", "--stack runs on this host, in fresh namespaces: "
		    "not with %s", cmd.kernel != NULL ? "--kernel" : "--no-netns");
		first = -1;
	}
	if (first >= 0 && cmd.kernel != NULL && (cmd.tap || cmd.junit_path != NULL ||
	    cmd.html_dir != NULL)) {
		status = cli_usage_error("run", "--tap, --junit and --html are not made from a "
		    "guest's run yet; use --json");
		first = -1;
	}
	if (first >= 0 && check_peer_options(&cmd, &status) < 0)
		first = -1;
	if (first < 0 || resolve_jobs(&cmd) < 0 || choose_text_stream(&cmd, &text) < 0) {
		caselist_filter_free(&cmd.filter);
		free(cmd.guest_args);
		return first < 0 ? status : EXIT_USAGE;
	}
	if (first >= argc)
		bad = caselist_add(&list, caselist_default_dir()) < 0;
	for (i = first; i < argc; i++)
		if (caselist_add(&list, argv[i]) < 0)
			bad = 1;
	if (bad || caselist_check_names(&list) < 0) {
		status = report_bad_files(&cmd, &list);
	} else if (caselist_select(&list, &cmd.filter, &unmatched) < 0) {
		status = cli_usage_error("run", "--only '%s' matches no case", unmatched);
	} else if (list.count == 0) {
		status = cli_usage_error("run", "--skip leaves no case to run");
	} else if ((captures = strdup(cmd.opt.captures_dir)) == NULL) {
		cli_error("out of memory");
		status = EXIT_ERROR;
	} else if (prepare_captures(captures) < 0) {
		status = EXIT_ERROR;
	} else if (cmd.peer_kernel != NULL) {
		cmd.opt.captures_dir = captures;
		status = run_with_peer_kernel(&cmd, &list, text);
	} else if (cmd.kernel != NULL) {
		/* Parsed here first: a bad case file never boots a guest. */
		status = run_in_guest(&cmd, captures, argc - first, (const char *const *)argv + first);
	} else {
		cmd.opt.captures_dir = captures;
		status = run_cases(&cmd, &list, text);
	}
	free(captures);
	caselist_free(&list);
	caselist_filter_free(&cmd.filter);
	free(cmd.guest_args);
	return status;
}
