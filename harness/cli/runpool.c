/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runpool.c - cases in worker processes, their outcomes in case order.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interrupt.h"
#include "runpool.h"
#include "strbuf.h"

/*
 * What a worker writes: a header, then per run a header and its three
 * strings.  A string's length is RUNPOOL_NONE for NULL.
 */
#define RUNPOOL_NONE UINT64_MAX

struct wire_outcome {
	uint32_t status;
	uint32_t nruns;
};

struct wire_run {
	uint32_t status;
	uint32_t pad;
	uint64_t len[3];	/* text, warning, json */
};

/* A running case. */
struct slot {
	bool busy;
	size_t index;
	pid_t pid;
	int fd;
	char *buf;
	size_t len, cap;
	bool lost;		/* out of memory: part of what it wrote is gone */
};

struct pool {
	struct case_file *const *cases;
	size_t n;
	const struct run_options *const *opts;	/* one per case */
	const struct runpool_hooks *hooks;
	struct slot *slots;
	unsigned nslots;
	struct runner_outcome *outcomes;	/* by case, until handed over */
	bool *ready;
	sigset_t unblocked;	/* the mask to wait with: stop signals come in */
	pid_t parent;		/* closeprobe itself */
	int forwarded;		/* the stop signal passed on to the workers, or 0 */
};

unsigned
runpool_cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

unsigned
runpool_default_jobs(void)
{
	unsigned cpus = runpool_cpus();

	return cpus >= RUNPOOL_JOBS_DEFAULT_MAX / RUNPOOL_JOBS_PER_CPU ? RUNPOOL_JOBS_DEFAULT_MAX :
	    cpus * RUNPOOL_JOBS_PER_CPU;
}

static void
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(EXIT_FAILURE);	/* the parent is gone, or the pipe broke */
		p += n;
		len -= (size_t)n;
	}
}

static void
write_string(int fd, const char *s)
{
	if (s != NULL)
		write_all(fd, s, strlen(s));
}

/* The worker: run the case, hand its outcome over, end. */
static void
worker(const struct pool *pool, size_t index, int fd)
{
	struct runner_outcome out;
	struct wire_outcome head;
	size_t r;

	runner_run(pool->cases[index], pool->opts[index], &out);
	head.status = (uint32_t)out.status;
	head.nruns = (uint32_t)out.nruns;
	write_all(fd, &head, sizeof(head));
	for (r = 0; r < out.nruns; r++) {
		const struct runner_result *res = &out.runs[r];
		struct wire_run wr;

		memset(&wr, 0, sizeof(wr));
		wr.status = (uint32_t)res->status;
		wr.len[0] = res->text != NULL ? strlen(res->text) : RUNPOOL_NONE;
		wr.len[1] = res->warning != NULL ? strlen(res->warning) : RUNPOOL_NONE;
		wr.len[2] = res->json != NULL ? strlen(res->json) : RUNPOOL_NONE;
		write_all(fd, &wr, sizeof(wr));
		write_string(fd, res->text);
		write_string(fd, res->warning);
		write_string(fd, res->json);
	}
	_exit(EXIT_SUCCESS);
}

/* A case that could not run or whose worker died: one ERROR run. */
static void
outcome_error(struct runner_outcome *out, const struct case_file *cf, const char *why)
{
	struct strbuf sb;

	runner_outcome_free(out);
	strbuf_init(&sb);
	strbuf_addf(&sb, "%s: ERROR. %s\n", cf->name, why);
	out->status = CASE_ERROR;
	out->nruns = 1;
	out->runs[0].status = CASE_ERROR;
	out->runs[0].text = strbuf_finish(&sb);
}

static bool
valid_status(uint32_t status)
{
	return status == CASE_PASS || status == CASE_FAIL || status == CASE_SKIP ||
	    status == CASE_ERROR || status == CASE_UNSUPPORTED;
}

static char *
take_string(const char *buf, size_t len, size_t *at, uint64_t n, bool *ok)
{
	char *s;

	if (n == RUNPOOL_NONE)
		return NULL;
	if (n > len - *at) {
		*ok = false;
		return NULL;
	}
	s = malloc((size_t)n + 1);
	if (s == NULL) {
		*ok = false;
		return NULL;
	}
	memcpy(s, buf + *at, (size_t)n);
	s[n] = '\0';
	*at += (size_t)n;
	return s;
}

/* What a worker wrote, back into an outcome: 0, or -1 when incomplete. */
static int
outcome_parse(const char *buf, size_t len, struct runner_outcome *out)
{
	struct wire_outcome head;
	size_t at = sizeof(head), r;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(head))
		return -1;
	memcpy(&head, buf, sizeof(head));
	if (!valid_status(head.status) || head.nruns > RUNNER_RUNS_MAX)
		return -1;
	out->status = (enum case_status)head.status;
	for (r = 0; r < head.nruns && ok; r++) {
		struct runner_result *res = &out->runs[r];
		struct wire_run wr;

		if (len - at < sizeof(wr) || (memcpy(&wr, buf + at, sizeof(wr)),
		    !valid_status(wr.status))) {
			ok = false;
			break;
		}
		at += sizeof(wr);
		out->nruns = r + 1;
		res->status = (enum case_status)wr.status;
		res->text = take_string(buf, len, &at, wr.len[0], &ok);
		res->warning = take_string(buf, len, &at, wr.len[1], &ok);
		res->json = take_string(buf, len, &at, wr.len[2], &ok);
	}
	if (!ok || at != len) {
		runner_outcome_free(out);
		return -1;
	}
	return 0;
}

static void
slot_release(struct slot *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

static void
case_done(struct pool *pool, size_t index)
{
	pool->ready[index] = true;
	if (pool->hooks->ended != NULL)
		pool->hooks->ended(pool->hooks->ctx, index);
}

/* Start cases[index] in a worker in slot s. */
static void
slot_start(struct pool *pool, struct slot *s, size_t index)
{
	const struct case_file *cf = pool->cases[index];
	struct runner_outcome *out = &pool->outcomes[index];
	int pipefd[2];
	char why[256];
	unsigned i;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(why, sizeof(why), "pipe: %s", strerror(errno));
		outcome_error(out, cf, why);
		case_done(pool, index);
		return;
	}
	/* Nothing buffered may be written twice, by a worker as well. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, sizeof(why), "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		outcome_error(out, cf, why);
		case_done(pool, index);
		return;
	}
	if (pid == 0) {
		for (i = 0; i < pool->nslots; i++)
			if (pool->slots[i].busy)
				close(pool->slots[i].fd);
		close(pipefd[0]);
		/* Should closeprobe die (a closed pipe, a kill), the case stops as
		 * on a stop signal, its evidence complete, instead of running on
		 * for nobody. */
		if (sigprocmask(SIG_SETMASK, &pool->unblocked, NULL) < 0 ||
		    prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != pool->parent)
			_exit(EXIT_FAILURE);
		worker(pool, index, pipefd[1]);
	}
	close(pipefd[1]);
	s->busy = true;
	s->index = index;
	s->pid = pid;
	s->fd = pipefd[0];
	if (pool->hooks->started != NULL)
		pool->hooks->started(pool->hooks->ctx, index, pid);
}

/* The worker of slot s has closed its pipe: collect it and its outcome. */
static void
slot_finish(struct pool *pool, struct slot *s)
{
	const struct case_file *cf = pool->cases[s->index];
	struct runner_outcome *out = &pool->outcomes[s->index];
	char why[256];
	int wstatus;

	while (waitpid(s->pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, sizeof(why), "waitpid: %s", strerror(errno));
			outcome_error(out, cf, why);
			goto done;
		}
	if (WIFSIGNALED(wstatus)) {
		snprintf(why, sizeof(why), "the worker running the case died of signal %d (%s)",
		    WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		outcome_error(out, cf, why);
	} else if (WEXITSTATUS(wstatus) != EXIT_SUCCESS || s->lost ||
	    outcome_parse(s->buf, s->len, out) < 0) {
		snprintf(why, sizeof(why), "the worker running the case ended (status %d) "
		    "without its outcome", WEXITSTATUS(wstatus));
		outcome_error(out, cf, why);
	}
done:
	case_done(pool, s->index);
	slot_release(s);
}

/* Read what slot s's worker has written; at the end, finish it. */
static void
slot_read(struct pool *pool, struct slot *s)
{
	char scratch[4096];
	ssize_t n;

	if (!s->lost && s->cap - s->len < sizeof(scratch)) {
		size_t cap = s->cap < 8192 ? 8192 : s->cap * 2;
		char *bigger = realloc(s->buf, cap);

		/* Without memory, drain and drop what it says: the case becomes
		 * an error, the run goes on. */
		s->lost = bigger == NULL;
		if (bigger != NULL) {
			s->buf = bigger;
			s->cap = cap;
		}
	}
	if (s->lost)
		n = read(s->fd, scratch, sizeof(scratch));
	else
		n = read(s->fd, s->buf + s->len, s->cap - s->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		slot_finish(pool, s);
		return;
	}
	if (!s->lost)
		s->len += (size_t)n;
}

/* A stop signal came: pass it on to every worker, once. */
static void
forward_stop(struct pool *pool)
{
	unsigned i;

	if (interrupt_signal() == 0 || pool->forwarded != 0)
		return;
	pool->forwarded = interrupt_signal();
	for (i = 0; i < pool->nslots; i++)
		if (pool->slots[i].busy)
			kill(pool->slots[i].pid, pool->forwarded);
}

/* Wait until a worker writes, the tick comes, or a stop signal. */
static void
wait_workers(struct pool *pool)
{
	struct pollfd fds[pool->nslots];
	unsigned idx[pool->nslots];
	struct timespec tick, *timeout = NULL;
	nfds_t nfds = 0;
	unsigned i;
	int rc;

	for (i = 0; i < pool->nslots; i++)
		if (pool->slots[i].busy) {
			fds[nfds].fd = pool->slots[i].fd;
			fds[nfds].events = POLLIN;
			idx[nfds++] = i;
		}
	if (nfds == 0)
		return;
	if (pool->hooks->tick_ms > 0) {
		tick.tv_sec = pool->hooks->tick_ms / 1000;
		tick.tv_nsec = (long)(pool->hooks->tick_ms % 1000) * 1000000L;
		timeout = &tick;
	}
	/* The stop signals are let in only while waiting: never half-way through output. */
	rc = ppoll(fds, nfds, timeout, &pool->unblocked);
	forward_stop(pool);
	if (rc > 0)
		for (i = 0; i < nfds; i++)
			if (fds[i].revents != 0)
				slot_read(pool, &pool->slots[idx[i]]);
	if (pool->hooks->tick != NULL && pool->hooks->tick_ms > 0)
		pool->hooks->tick(pool->hooks->ctx);
}

static unsigned
busy_slots(const struct pool *pool)
{
	unsigned i, busy = 0;

	for (i = 0; i < pool->nslots; i++)
		busy += pool->slots[i].busy;
	return busy;
}

static struct slot *
free_slot(struct pool *pool)
{
	unsigned i;

	for (i = 0; i < pool->nslots; i++)
		if (!pool->slots[i].busy)
			return &pool->slots[i];
	return NULL;
}

size_t
runpool_run(struct case_file *const *cases, size_t n,
    const struct run_options *const *opts, unsigned jobs, const struct runpool_hooks *hooks)
{
	struct pool pool;
	sigset_t stops;
	size_t next = 0, handed = 0, c;
	unsigned i;

	memset(&pool, 0, sizeof(pool));
	pool.cases = cases;
	pool.n = n;
	pool.opts = opts;
	pool.hooks = hooks;
	pool.nslots = jobs > 0 ? jobs : 1;
	if (pool.nslots > n && n > 0)
		pool.nslots = (unsigned)n;
	pool.slots = calloc(pool.nslots, sizeof(*pool.slots));
	pool.outcomes = calloc(n > 0 ? n : 1, sizeof(*pool.outcomes));
	pool.ready = calloc(n > 0 ? n : 1, sizeof(*pool.ready));
	if (pool.slots == NULL || pool.outcomes == NULL || pool.ready == NULL) {
		/* Too little memory for a pool: each case an error, said in order. */
		for (c = 0; c < n; c++) {
			struct runner_outcome out;

			memset(&out, 0, sizeof(out));
			outcome_error(&out, cases[c], "out of memory");
			hooks->finished(hooks->ctx, c, &out);
		}
		free(pool.slots);
		free(pool.outcomes);
		free(pool.ready);
		return n;
	}
	for (i = 0; i < pool.nslots; i++)
		pool.slots[i].fd = -1;
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	pool.parent = getpid();
	/* Stop signals wait while output is written (a write cut short by a
	 * signal would lose text); cannot fail with these arguments. */
	if (sigprocmask(SIG_BLOCK, &stops, &pool.unblocked) < 0)
		sigprocmask(SIG_SETMASK, NULL, &pool.unblocked);
	for (;;) {
		struct slot *s;

		while (interrupt_signal() == 0 && next < n && (s = free_slot(&pool)) != NULL)
			slot_start(&pool, s, next++);
		while (handed < next && pool.ready[handed]) {
			hooks->finished(hooks->ctx, handed, &pool.outcomes[handed]);
			handed++;
		}
		if (busy_slots(&pool) == 0 && (next == n || interrupt_signal() != 0))
			break;
		wait_workers(&pool);
	}
	sigprocmask(SIG_SETMASK, &pool.unblocked, NULL);
	free(pool.slots);
	free(pool.outcomes);
	free(pool.ready);
	return next;
}
