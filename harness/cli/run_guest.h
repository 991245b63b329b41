/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run_guest.h - "closeprobe run --kernel IMAGE" (run_guest.c).
 */
#ifndef run_guest_h
#define run_guest_h

#include <stddef.h>

#include "guest.h"

struct run_guest_request {
	const char *kernel;		/* the image */
	const char *modules_dir;	/* NULL: the image's release under /lib/modules */
	enum guest_accel accel;
	const char *captures_dir;
	const char *json_path;		/* NULL: none; "-": standard output */
	const char *const *case_paths;
	size_t ncases;
	const char *const *run_args;	/* more for "closeprobe run" inside, NULL-terminated */
	int (*stop_requested)(void);
};

/* Run the cases in the guest, print and write what comes back; an exit status. */
int run_guest(const struct run_guest_request *req);

#endif /* run_guest_h */
