/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run_guest.c - "closeprobe run --kernel IMAGE": the cases inside a guest
 * with that kernel (harness/guest), their results printed and written
 * here as if they had run on this host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "platform.h"
#include "run_guest.h"
#include "status.h"

/* The guest's JSON with "guest": {accel, why, host platform} first. */
static int
write_json(const struct run_guest_request *req, const struct guest_result *r)
{
	const char *body = r->json;
	struct platform host;
	char err[256];
	FILE *out;
	int rc = 0;

	while (*body == ' ' || *body == '\n')
		body++;
	if (*body != '{') {
		fprintf(stderr, "closeprobe: the guest's JSON does not start with an object\n");
		return -1;
	}
	out = strcmp(req->json_path, "-") == 0 ? stdout : fopen(req->json_path, "w");
	if (out == NULL) {
		fprintf(stderr, "closeprobe: %s: %s\n", req->json_path, strerror(errno));
		return -1;
	}
	fprintf(out, "{\"guest\":{\"accel\":\"%s\",\"kernel\":", guest_accel_name(r->accel));
	platform_write_json_string(out, req->kernel);
	fputs(",\"accel_note\":", out);
	platform_write_json_string(out, r->accel_note);
	fprintf(out, ",\"boot_ms\":%lld,\"total_ms\":%lld,\"host\":",
	    (long long)r->ms.boot, (long long)r->ms.total);
	if (platform_probe(&host, err, sizeof(err)) == 0)
		platform_write_json(&host, out);
	else
		fputs("null", out);
	fputs("},", out);
	fputs(body + 1, out);
	if (out == stdout ? fflush(out) != 0 : fclose(out) != 0) {
		fprintf(stderr, "closeprobe: %s: %s\n", req->json_path, strerror(errno));
		rc = -1;
	}
	return rc;
}

int
run_guest(const struct run_guest_request *req)
{
	struct guest_options opts;
	struct guest_result r;
	char err[1024];
	int status;

	memset(&opts, 0, sizeof(opts));
	opts.kernel = req->kernel;
	opts.modules_dir = req->modules_dir;
	opts.accel = req->accel;
	opts.closeprobe_binary = "/proc/self/exe";
	opts.case_paths = req->case_paths;
	opts.ncases = req->ncases;
	opts.run_args = req->run_args;
	opts.stop_requested = req->stop_requested;
	if (guest_run(&opts, req->captures_dir, &r, err, sizeof(err)) < 0) {
		fprintf(stderr, "closeprobe: %s: %s\n", req->kernel, err);
		if (r.accel_note[0] != '\0')
			fprintf(stderr, "closeprobe: guest accelerator: %s\n", r.accel_note);
		guest_result_free(&r);
		return EXIT_ERROR;
	}
	/* Where it ran comes first, as the platform line of a host run does. */
	fprintf(stderr, "closeprobe: guest: kernel %s (%s), accelerator %s (%s), booted in %.1f s\n",
	    r.release, req->kernel, guest_accel_name(r.accel), r.accel_note,
	    (double)r.ms.boot / 1000.0);
	if (r.notes != NULL && r.notes[0] != '\0')
		fprintf(stderr, "closeprobe: guest: %s\n", r.notes);
	if (r.verdict_text != NULL)
		fputs(r.verdict_text, req->json_path != NULL && strcmp(req->json_path, "-") == 0 ?
		    stderr : stdout);
	if (r.error_text != NULL)
		fputs(r.error_text, stderr);
	status = r.status;
	if (req->json_path != NULL && r.json != NULL && write_json(req, &r) < 0)
		status = EXIT_ERROR;
	fprintf(stderr, "closeprobe: guest: %zu evidence files into %s; %.1f s in all\n",
	    r.captures, req->captures_dir, (double)r.ms.total / 1000.0);
	guest_result_free(&r);
	return status;
}
