/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runpool.h - running cases several at once ("closeprobe run -j N").
 *
 * Each case runs in a worker process of its own, which calls runner_run()
 * and hands the outcome back through a pipe; every case already has its
 * own namespaces, ports and evidence files, so cases do not meet.  The
 * outcomes are handed to the caller in case order, whatever order the
 * cases end in, so that the output of a run does not depend on how many
 * ran at once.
 */
#ifndef runpool_h
#define runpool_h

#include <sys/types.h>

#include <stddef.h>

#include "case.h"
#include "runner.h"

struct runpool_hooks {
	/* A case's worker has started (cases[index]; worker: its pid). */
	void (*started)(void *ctx, size_t index, pid_t worker);
	/* A case's worker has ended (its outcome may wait for earlier cases). */
	void (*ended)(void *ctx, size_t index);
	/* A case's outcome, in case order; the callee owns it (runner_outcome_free()). */
	void (*finished)(void *ctx, size_t index, struct runner_outcome *out);
	/* Called every tick_ms while cases run (tick_ms 0: never). */
	void (*tick)(void *ctx);
	unsigned tick_ms;
	void *ctx;
};

/*
 * Run cases[0..n), cases[i] with opts[i], with at most jobs (at least
 * 1) at once.  A stop signal (interrupt.h) is passed on to every running
 * case, and no further case starts.  (A case may appear more than once,
 * as with --repeat: each index is a run of its own, its options naming
 * where its evidence goes.)  Returns how many cases started; each of
 * them has been handed to finished().  A worker that cannot be started or that dies makes its
 * case an error, said in the outcome's text.
 */
size_t runpool_run(struct case_file *const *cases, size_t n,
    const struct run_options *const *opts, unsigned jobs,
    const struct runpool_hooks *hooks);

/* The CPUs this process may use. */
unsigned runpool_cpus(void);

/*
 * How many cases run at once by default: RUNPOOL_JOBS_PER_CPU per CPU, at
 * most RUNPOOL_JOBS_DEFAULT_MAX.  More than the CPUs, because a case
 * mostly waits (the timeouts and delays it asks for, the kernel's RCU
 * grace periods while its capture is set up and closed): here the suite
 * takes a tenth of its wall time in CPU time.
 */
#define RUNPOOL_JOBS_PER_CPU 4
#define RUNPOOL_JOBS_DEFAULT_MAX 64
unsigned runpool_default_jobs(void);

#endif /* runpool_h */
