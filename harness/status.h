/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status.h - closeprobe's exit statuses, aligned with automake's test
 * harness: 0 PASS, 1 FAIL, 77 SKIP, 99 ERROR.
 */
#ifndef status_h
#define status_h

enum exit_status {
	EXIT_PASS = 0,		/* every case's expectations held */
	EXIT_FAIL = 1,		/* some expectation did not hold */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_SKIP = 77,		/* cannot run here (no namespace, no capture) */
	EXIT_ERROR = 99,	/* bad case file, capture failure, drops, deadline */
	/* A case's coordinator only, to closeprobe: the case is UNSUPPORTED
	 * (a run of such cases exits as SKIP would). */
	EXIT_UNSUPPORTED = 78
};

#endif /* status_h */
