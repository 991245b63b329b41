/*
 * runner-int.h - the state of one case's run, shared by the modules that
 * carry it out: runner.c (set-up, judgement, evidence of the verdict),
 * supervise.c (the role processes) and evidence.c (capture files and
 * their completion).  Not for use outside the runner.
 */
#ifndef runner_int_h
#define runner_int_h

#include <sys/socket.h>
#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

#include "capture.h"
#include "case.h"
#include "conntrack.h"
#include "events.h"
#include "kcounters.h"
#include "ledger.h"
#include "report.h"
#include "runner.h"
#include "topology.h"
#include "verdict.h"

#define SETTLE_LIMIT_NS (2000000000LL)	/* for sockets to finish closing */
#define SENTINEL_LIMIT_NS (2000000000LL)	/* for the sentinel to show up */
#define PUMP_INTERVAL_MS 5

/* The ids of the events a case uses: one per (role, name) pair. */
struct event_names {
	enum role_id *roles;
	const char **names;
	size_t count;
};

/* One capture point's evidence: a pcap being written, then read back. */
struct evidence {
	bool wanted;
	struct capture *capture;
	char *path;		/* the final name, as reports show it */
	char *tmp;		/* written here first (see evidence_open) */
	bool created;
	bool complete;		/* finished, statistics read */
	struct capture_stats stats;
	struct conn_table *table;
	const struct conn *conn;	/* the case's connection in it */
};

struct case_run {
	const struct case_file *cf;
	const struct run_options *opt;
	struct case_report report;
	struct ledger *ledgers;		/* [ROLE_COUNT], shared */
	struct end_stream *streams;	/* [ROLE_ENDS], shared */
	int family;			/* AF_INET or AF_INET6 */
	struct event_board *board;
	struct event_names events;
	size_t *raise_ids[ROLE_COUNT];
	size_t *wait_ids[ROLE_COUNT];
	size_t done_ids[ROLE_COUNT];
	int listen_fd;
	struct topology topo;
	int nns;			/* distinct namespaces: 1 (loopback) or 2 */
	int sentinel_rx;		/* bound in the server's namespace */
	int sentinel_tx;		/* in the client's namespace */
	struct sockaddr_storage server_addr;
	struct sockaddr_storage sentinel_addr;
	struct evidence evidence[ROLE_ENDS];	/* by the end it is captured at */
	pid_t pids[ROLE_COUNT];
	int pidfds[ROLE_COUNT];
	bool exited[ROLE_COUNT];
	int64_t started_ns;
	int64_t deadline_ns;
	struct kcounters before[ROLE_ENDS];	/* per namespace */
	struct kcounters delta;			/* summed over the namespaces */
	struct verdict verdict;
	bool have_verdict;
	char *text_path;
	char *text_tmp;
	char note[512];
};

/* Record why the case cannot pass (the first cause wins). */
void run_error(struct case_run *run, enum case_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* runner_int_h */
