/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check.c - checks on the whole case: the steps' order on a role's
 * descriptors, forks and their children, what the expectations need, the
 * waits and whether the roles can deadlock.
 *
 * Descriptors, as case_step_descriptors() says (the interpreter follows
 * the same model).  A role's socket exists from its connect/accept; dup
 * adds a descriptor (at most CASE_DESCRIPTORS_MAX in all), close and
 * lingering-close each close one, and the socket is gone when the role
 * has closed one more time than it dup'ed.  A
 * child starts with the descriptors its parent held at the fork (1 + dups
 * - closes before it): it needs no connect or accept, and they and fork
 * are refused in a child.  "set sigpipe" and exit are about the process,
 * not the socket.
 *
 * Checks made as the lines are read (so reported in file order):
 *   - in a child, no connect, accept or fork; after exit, no step at all;
 *   - in client and server, connect/accept appears at most once, fork
 *     too; send, recv, shutdown, close, await, so_error, snapshot, fork,
 *     dup, poll, drain and lingering-close come after connect/accept
 *     (set, wait, raise, pause and exit may come before); once the
 *     socket is gone only wait, raise, pause, "set sigpipe" and exit may
 *     follow;
 * (the checks on expectations made as they are read are in parse_expect.c).
 * Checks made at the end, in this order:
 *   - a name, the client and the server exist (a role may have no steps);
 *   - without "topology veth", no "capture client" or "capture both" and
 *     no impairment (the earlier offence in the file is reported);
 *   - a fork and its child's section come together (the earlier
 *     offence in the file is reported);
 *   - a child's steps, on the descriptors it inherits, as above;
 *   - at least one expectation exists;
 *   - an expectation about a child needs the child's section; "ROLE.recv
 *     ends" needs a recv step in ROLE, "ROLE.so_error" a so_error or a
 *     recv step (the end of a read loop records SO_ERROR), "ROLE.send
 *     errors" a send step, "ROLE.close took" a close or lingering-close,
 *     "ROLE.shutdown took" a shutdown, "ROLE.poll includes" a poll;
 *   - "ROLE.so_error NAME" and "ROLE.snapshot NAME" name a step of the
 *     role; "ROLE.recv ends TIMEOUT" needs a read step with a "within"
 *     (which it then makes end with TIMEOUT) or a lingering-close; "lost
 *     in flight" needs "capture both";
 *   - a raised name is raised once per role;
 *   - every wait names a role that has a section and an event it raises
 *     (the earliest offending wait in the file is reported);
 *   - the roles cannot deadlock: run all four on paper, every step but
 *     wait completing at once and raising its event, a wait completing
 *     once its role has raised the event, a child starting once its
 *     parent's fork has completed; if a role cannot finish, the earliest
 *     stuck wait is reported with the chain of roles it waits on: two
 *     roles waiting for each other read "A and B wait on each other:
 *     ...", anything else "deadlock: A waits for ...; B starts only
 *     after C's 'fork' (line N); ...".
 *
 * Mistakes that belong to the whole case rather than to one token read
 * "PATH:LINE:1: message": a missing role and a case that expects nothing
 * (with no 'expect:' section) at the line of the 'case' directive, a
 * missing name (an empty file too) at line 1.  Only errors without a
 * place in the file (a missing file, out of memory) read "PATH: message"
 * and have line and col 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser-int.h"

/* Every event one role raises, sorted by name, then by when. */
struct event_site {
	const char *name;
	size_t raised_at;	/* raised once this many steps are done */
	const struct case_step *step;	/* NULL for "done" */
};

struct event_index {
	struct event_site *sites;
	size_t nsites;
};

/*
 * Follow what a step does to the role's descriptors.  A parent's steps
 * are followed as they are read; a child's at the end, from the
 * descriptors its parent held when it forked.
 */
static int
track_socket(struct parser *p, enum role_id role, struct socket_track *st,
    const struct case_step *step)
{
	const char *name, *opener;
	unsigned flags;

	name = case_step_kind_name(step->kind);
	opener = case_step_kind_name(case_role_end(role) == ROLE_CLIENT ? STEP_CONNECT :
	    STEP_ACCEPT);
	flags = parse_step_flags(step);
	if (st->gone_line != 0 && (flags & (STEP_OPENS |
	    STEP_NEEDS_CONNECTION | STEP_NEEDS_SOCKET)) != 0) {
		diag_fail(p, step->line, step->col, "'%s' after '%s' (line %u)",
		    name, case_step_kind_name(st->gone_kind), st->gone_line);
		return -1;
	}
	if ((flags & STEP_OPENS) != 0) {
		if (st->open_line != 0) {
			diag_fail(p, step->line, step->col,
			    "'%s' appears twice in %s (first at line %u)",
			    name, case_role_name(role), st->open_line);
			return -1;
		}
		st->open_line = step->line;
		st->fds = 1;
		return 0;
	}
	if (st->open_line == 0 && (flags & STEP_NEEDS_CONNECTION) != 0) {
		diag_fail(p, step->line, step->col, "'%s' before '%s'", name,
		    opener);
		return -1;
	}
	if ((flags & STEP_FORKS) != 0) {
		if (st->fork_line != 0) {
			diag_fail(p, step->line, step->col,
			    "'%s' appears twice in %s (first at line %u)",
			    name, case_role_name(role), st->fork_line);
			return -1;
		}
		st->fork_line = step->line;
		st->fork_fds = st->fds;
	}
	switch (case_step_descriptors(step)) {
	case DESCRIPTORS_ADD:
		if (st->fds >= CASE_DESCRIPTORS_MAX) {
			diag_fail(p, step->line, step->col,
			    "'%s' makes more than %d descriptors in %s", name,
			    CASE_DESCRIPTORS_MAX, case_role_name(role));
			return -1;
		}
		st->fds++;
		break;
	case DESCRIPTORS_DROP:
		if (--st->fds == 0) {
			st->gone_line = step->line;
			st->gone_kind = step->kind;
		}
		break;
	case DESCRIPTORS_OPEN:
	case DESCRIPTORS_KEPT:
		break;
	}
	return 0;
}
int
check_step_order(struct parser *p, enum role_id role,
    const struct case_step *step)
{
	if (p->end_line[role] != 0) {
		diag_fail(p, step->line, step->col, "'%s' after '%s' (line %u)",
		    case_step_kind_name(step->kind),
		    case_step_kind_name(p->end_kind[role]), p->end_line[role]);
		return -1;
	}
	if ((parse_step_flags(step) & STEP_ENDS) != 0) {
		p->end_line[role] = step->line;
		p->end_kind[role] = step->kind;
	}
	if (case_role_is_child(role))
		return 0;
	return track_socket(p, role, &p->track[role], step);
}
static int
compare_sites(const void *a, const void *b)
{
	const struct event_site *x = a, *y = b;
	int c;

	c = strcmp(x->name, y->name);
	if (c != 0)
		return c;
	return x->raised_at < y->raised_at ? -1 : x->raised_at > y->raised_at;
}

static int
build_event_index(struct parser *p, const struct case_role *r,
    struct event_index *ix)
{
	const char *names[STEP_EVENTS_MAX];
	size_t i, j, n;

	ix->nsites = 0;
	ix->sites = calloc(r->nsteps * STEP_EVENTS_MAX + 1, sizeof(*ix->sites));
	if (ix->sites == NULL) {
		diag_oom(p);
		return -1;
	}
	for (i = 0; i < r->nsteps; i++) {
		/* An event raised as the step goes counts as raised at its end:
		 * on paper every step but wait completes at once. */
		n = case_step_event_names(&r->steps[i], names);
		for (j = 0; j < n; j++) {
			ix->sites[ix->nsites].name = names[j];
			ix->sites[ix->nsites].raised_at = i + 1;
			ix->sites[ix->nsites].step = &r->steps[i];
			ix->nsites++;
		}
	}
	ix->sites[ix->nsites].name = EVENT_DONE;
	ix->sites[ix->nsites].raised_at = r->nsteps;
	ix->sites[ix->nsites].step = NULL;
	ix->nsites++;
	qsort(ix->sites, ix->nsites, sizeof(*ix->sites), compare_sites);
	return 0;
}

/* The earliest site of an event, or NULL. */
static const struct event_site *
find_event(const struct event_index *ix, const char *name)
{
	size_t low, high, mid;

	low = 0;
	high = ix->nsites;
	while (low < high) {
		mid = low + (high - low) / 2;
		if (strcmp(ix->sites[mid].name, name) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	if (low < ix->nsites && strcmp(ix->sites[low].name, name) == 0)
		return &ix->sites[low];
	return NULL;
}

static bool
step_before(const struct case_step *a, const struct case_step *b)
{
	return b == NULL || a->line < b->line ||
	    (a->line == b->line && a->col < b->col);
}

/* A name raised twice by one role: the earliest second raise. */
static int
check_duplicate_raises(struct parser *p, enum role_id role,
    const struct event_index *ix)
{
	const struct case_step *worst, *first;
	size_t i;

	worst = NULL;
	first = NULL;
	for (i = 1; i < ix->nsites; i++) {
		if (strcmp(ix->sites[i].name, ix->sites[i - 1].name) != 0)
			continue;
		/* Implicit names repeat freely; raised names may not. */
		if (ix->sites[i].step == NULL ||
		    ix->sites[i].step->kind != STEP_RAISE)
			continue;
		if (step_before(ix->sites[i].step, worst)) {
			worst = ix->sites[i].step;
			first = ix->sites[i - 1].step;
		}
	}
	if (worst != NULL) {
		diag_fail(p, worst->line, worst->col,
		    "%s raises '%s' twice (first at line %u)", case_role_name(role),
		    worst->u.raise.event, first->line);
		return -1;
	}
	return 0;
}

/* Every wait names a role that exists and an event it raises. */
static int
check_waits(struct parser *p, const struct event_index ix[ROLE_COUNT])
{
	const struct case_step *step, *bad;
	const struct case_role *r;
	const struct event_index *other;
	struct wordset sites;
	struct hint h;
	struct shown sh;
	char prefix[32];
	enum role_id role, bad_role, target;
	size_t i;
	int near;

	bad = NULL;
	bad_role = ROLE_CLIENT;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
		r = &p->cf->roles[role];
		for (i = 0; i < r->nsteps; i++) {
			step = &r->steps[i];
			if (step->kind != STEP_WAIT)
				continue;
			target = step->u.wait.role;
			if (p->cf->roles[target].present &&
			    find_event(&ix[target], step->u.wait.event) != NULL)
				continue;
			if (step_before(step, bad)) {
				bad = step;
				bad_role = role;
			}
		}
	}
	if (bad == NULL)
		return 0;

	target = bad->u.wait.role;
	if (!p->cf->roles[target].present) {
		diag_fail(p, bad->line, bad->col,
		    "%s waits for '%s.%s', but there is no '%s:' section",
		    case_role_name(bad_role), case_role_name(target),
		    diag_show(&sh, bad->u.wait.event), case_role_name(target));
		return -1;
	}
	/* A site begins with its event's name: the sites are a word table. */
	other = &ix[target];
	sites.rows = other->sites;
	sites.n = other->nsites;
	sites.stride = sizeof(*other->sites);
	near = words_nearest(sites, bad->u.wait.event);
	snprintf(prefix, sizeof(prefix), "%s.", case_role_name(target));
	diag_fail(p, bad->line, bad->col,
	    "%s waits for '%s.%s', which %s never raises%s",
	    case_role_name(bad_role), case_role_name(target),
	    diag_show(&sh, bad->u.wait.event), case_role_name(target),
	    diag_hint(&h, prefix, near < 0 ? NULL :
	    other->sites[near].name));
	return -1;
}

/* The index of a role's fork step, or SIZE_MAX. */
static size_t
fork_index(const struct case_role *r)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if ((parse_step_flags(&r->steps[i]) & STEP_FORKS) != 0)
			return i;
	return SIZE_MAX;
}

/* The paper run of check_deadlock(). */
struct paper_run {
	const struct case_role *roles;
	const struct event_index *ix;
	size_t pc[ROLE_COUNT];		/* steps completed */
	bool started[ROLE_COUNT];
};

static bool
paper_raised(const struct paper_run *run, enum role_id role,
    const char *event)
{
	const struct event_site *site;

	site = find_event(&run->ix[role], event);
	return site != NULL && run->started[role] &&
	    run->pc[role] >= site->raised_at;
}

static bool
paper_stuck(const struct paper_run *run, enum role_id role)
{
	return run->started[role] && run->pc[role] < run->roles[role].nsteps;
}

/*
 * Why a role cannot finish, from the earliest stuck wait: each wait's
 * role is stuck too, or is a child whose parent has not forked yet.
 */
static void
fail_deadlock(struct parser *p, const struct paper_run *run,
    enum role_id start)
{
	const struct case_step *step, *first_step;
	enum role_id cur, target, parent, hops[2 * ROLE_COUNT];
	unsigned fork_line;
	bool visited[ROLE_COUNT], only_waits;
	char msg[CASE_ERRBUF_SIZE];
	struct shown a, b;
	size_t nhops, len, i;

	memset(visited, 0, sizeof(visited));
	nhops = 0;
	only_waits = true;
	len = 0;
	msg[0] = '\0';
	cur = start;
	while (!visited[cur] && paper_stuck(run, cur)) {
		visited[cur] = true;
		step = &run->roles[cur].steps[run->pc[cur]];
		target = step->u.wait.role;
		hops[nhops++] = cur;
		len += (size_t)snprintf(msg + len, sizeof(msg) - len,
		    "%s%s waits for '%s.%s' (line %u)", len == 0 ? "" : "; ",
		    case_role_name(cur), case_role_name(target),
		    diag_show(&a, step->u.wait.event), step->line);
		if (len >= sizeof(msg))
			len = sizeof(msg) - 1;
		if (!run->started[target]) {
			parent = case_role_end(target);
			i = fork_index(&run->roles[parent]);
			fork_line = i == SIZE_MAX ? 0 :
			    run->roles[parent].steps[i].line;
			only_waits = false;
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			    "; %s starts only after %s's 'fork' (line %u)",
			    case_role_name(target), case_role_name(parent), fork_line);
			if (len >= sizeof(msg))
				len = sizeof(msg) - 1;
			target = parent;
		}
		cur = target;
	}
	first_step = &run->roles[start].steps[run->pc[start]];
	if (only_waits && nhops == 2 && cur == start) {
		step = &run->roles[hops[1]].steps[run->pc[hops[1]]];
		diag_fail(p, first_step->line, first_step->col,
		    "%s and %s wait on each other: %s waits for '%s.%s' (line %u) while %s waits for '%s.%s' (line %u)",
		    case_role_name(start), case_role_name(hops[1]), case_role_name(start),
		    case_role_name(hops[1]), diag_show(&a, first_step->u.wait.event),
		    first_step->line, case_role_name(hops[1]), case_role_name(start),
		    diag_show(&b, step->u.wait.event), step->line);
		return;
	}
	diag_fail(p, first_step->line, first_step->col, "deadlock: %s", msg);
}

/*
 * Run the roles on paper: every step but a wait completes at once, a
 * wait completes once its role has raised the event, and a child starts
 * once its parent's fork has completed.  Whatever cannot finish that way
 * would hang until the deadline.
 */
static int
check_deadlock(struct parser *p, const struct event_index ix[ROLE_COUNT])
{
	struct paper_run run;
	const struct case_step *step, *first;
	enum role_id role, first_role, parent;
	size_t fork_at;
	bool progress;

	memset(&run, 0, sizeof(run));
	run.roles = p->cf->roles;
	run.ix = ix;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		run.started[role] = !case_role_is_child(role);
	do {
		progress = false;
		for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
			if (!run.started[role]) {
				parent = case_role_end(role);
				fork_at = fork_index(&run.roles[parent]);
				if (!run.roles[role].present ||
				    fork_at == SIZE_MAX ||
				    run.pc[parent] <= fork_at)
					continue;
				run.started[role] = true;
				progress = true;
			}
			while (run.pc[role] < run.roles[role].nsteps) {
				step = &run.roles[role].steps[run.pc[role]];
				if (step->kind == STEP_WAIT &&
				    !paper_raised(&run, step->u.wait.role,
				    step->u.wait.event))
					break;
				run.pc[role]++;
				progress = true;
			}
		}
	} while (progress);

	first = NULL;
	first_role = ROLE_CLIENT;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++) {
		if (!paper_stuck(&run, role))
			continue;
		step = &run.roles[role].steps[run.pc[role]];
		if (step_before(step, first)) {
			first = step;
			first_role = role;
		}
	}
	if (first == NULL)
		return 0;
	fail_deadlock(p, &run, first_role);
	return -1;
}

/* A fork and its child's section come together. */
static int
check_forks(struct parser *p)
{
	const struct case_role *parent, *child;
	const struct case_step *bad_step;
	enum role_id end, kid;
	unsigned line, col, bad_line, bad_col;
	size_t i;
	char msg[128];
	char bad_msg[128];

	bad_line = bad_col = 0;
	bad_msg[0] = '\0';
	for (end = ROLE_CLIENT; end < ROLE_ENDS; end++) {
		kid = (enum role_id)(end + ROLE_ENDS);
		parent = &p->cf->roles[end];
		child = &p->cf->roles[kid];
		i = fork_index(parent);
		if (i != SIZE_MAX && !child->present) {
			bad_step = &parent->steps[i];
			line = bad_step->line;
			col = bad_step->col;
			snprintf(msg, sizeof(msg),
			    "'fork' needs a '%s:' section", case_role_name(kid));
		} else if (i == SIZE_MAX && child->present) {
			line = child->line;
			col = p->role_col[kid];
			snprintf(msg, sizeof(msg),
			    "'%s:' needs a 'fork' step in %s", case_role_name(kid),
			    case_role_name(end));
		} else
			continue;
		if (bad_line == 0 || line < bad_line ||
		    (line == bad_line && col < bad_col)) {
			bad_line = line;
			bad_col = col;
			memcpy(bad_msg, msg, sizeof(msg));
		}
	}
	if (bad_line == 0)
		return 0;
	diag_fail(p, bad_line, bad_col, "%s", bad_msg);
	return -1;
}

/* A child's steps on the descriptors it inherits at the fork. */
static int
check_children(struct parser *p)
{
	const struct case_role *r;
	struct socket_track st;
	enum role_id kid, end;
	size_t i;

	for (kid = ROLE_ENDS; kid < ROLE_COUNT; kid++) {
		r = &p->cf->roles[kid];
		if (!r->present)
			continue;
		end = case_role_end(kid);
		memset(&st, 0, sizeof(st));
		st.open_line = p->track[end].fork_line;
		st.fds = p->track[end].fork_fds;
		for (i = 0; i < r->nsteps; i++)
			if (track_socket(p, kid, &st, &r->steps[i]) == -1)
				return -1;
	}
	return 0;
}

/* Whether the role has a step that makes what source needs. */
static bool
role_has_source(const struct case_role *r,
    const struct expect_source *source)
{
	size_t i, j;

	for (i = 0; i < r->nsteps; i++)
		for (j = 0; j < source->nsteps; j++)
			if (r->steps[i].kind == source->steps[j])
				return true;
	return false;
}
/* An expectation about a result that no step would produce. */
static int
check_expect_sources(struct parser *p)
{
	const struct expect_source *source;
	const struct case_expect *e;
	const struct case_role *r;
	const char *name, *steps[NELEMS(source->steps)];
	struct wordset ws;
	char list[128];
	size_t i, j;

	for (i = 0; i < p->cf->nexpects; i++) {
		e = &p->cf->expects[i];
		if (!e->has_role)
			continue;
		r = &p->cf->roles[e->role];
		name = case_role_name(e->role);
		if (!r->present) {
			diag_fail(p, e->line, e->col,
			    "expectation about %s, but there is no '%s:' section",
			    name, name);
			return -1;
		}
		source = parse_expect_source(e);
		if (source == NULL || role_has_source(r, source))
			continue;
		for (j = 0; j < source->nsteps; j++)
			steps[j] = case_step_kind_name(source->steps[j]);
		ws.rows = steps;
		ws.n = source->nsteps;
		ws.stride = sizeof(steps[0]);
		diag_fail(p, e->line, e->col, "'%s.%s' needs a %s step in %s",
		    name, source->what, words_list(list, sizeof(list), ws, true,
		    "or"), name);
		return -1;
	}
	return 0;
}
/* The step of kind named name in r, or NULL. */
static const struct case_step *
find_named_step(const struct case_role *r, enum step_kind kind,
    const char *name)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == kind && r->steps[i].u.label.name != NULL &&
		    strcmp(r->steps[i].u.label.name, name) == 0)
			return &r->steps[i];
	return NULL;
}

/* "ROLE.so_error NAME", "ROLE.snapshot NAME": the role names such a step. */
static int
check_expect_names(struct parser *p, const struct case_expect *e)
{
	const char *names[CASE_ROLE_STEPS_MAX];
	const struct case_role *r;
	enum step_kind kind;
	struct wordset ws;
	struct shown sh;
	struct hint h;
	size_t i;
	int near;

	if (e->name == NULL)
		return 0;
	kind = e->kind == EXPECT_SNAPSHOT ? STEP_SNAPSHOT : STEP_SO_ERROR;
	r = &p->cf->roles[e->role];
	if (find_named_step(r, kind, e->name) != NULL)
		return 0;
	ws.rows = names;
	ws.n = 0;
	ws.stride = sizeof(names[0]);
	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == kind && r->steps[i].u.label.name != NULL)
			names[ws.n++] = r->steps[i].u.label.name;
	near = words_nearest(ws, e->name);
	diag_fail(p, e->line, e->col, "%s has no %s step named '%s'%s",
	    case_role_name(e->role), case_step_kind_name(kind), diag_show(&sh, e->name),
	    diag_hint(&h, "", near < 0 ? NULL : names[near]));
	return -1;
}

/*
 * "ROLE.recv ends TIMEOUT": the role's read steps with a "within" of
 * their own then end with TIMEOUT instead of failing; one such step, or a
 * lingering-close (whose read always stops at its time), must exist.
 */
static int
check_read_timeouts(struct parser *p, const struct case_expect *e)
{
	struct case_role *r;
	bool any;
	size_t i;

	if (e->kind != EXPECT_RECV_END || e->u.recv_end.first != READ_END_TIMEOUT)
		return 0;
	r = &p->cf->roles[e->role];
	any = false;
	for (i = 0; i < r->nsteps; i++) {
		if (r->steps[i].kind == STEP_LINGERING_CLOSE)
			any = true;
		if ((r->steps[i].kind == STEP_RECV || r->steps[i].kind == STEP_DRAIN) &&
		    r->steps[i].timeout_ms > 0) {
			r->steps[i].timeout_ends_read = true;
			any = true;
		}
	}
	if (any)
		return 0;
	diag_fail(p, e->line, e->col,
	    "'%s.recv ends TIMEOUT' needs a read step with 'within' (e.g. 'recv all within 2s') or a lingering-close in %s",
	    case_role_name(e->role), case_role_name(e->role));
	return -1;
}

/*
 * "ROLE.recv N ...": the role has an Nth recv step; "ends TIMEOUT" needs
 * that step's own "within", and makes its running out an observation.
 */
static int
check_recv_step(struct parser *p, const struct case_expect *e)
{
	struct case_role *r;
	unsigned seen;
	size_t i;

	if (e->kind != EXPECT_RECV_STEP)
		return 0;
	r = &p->cf->roles[e->role];
	seen = 0;
	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == STEP_RECV && ++seen == e->u.recv_step.nth)
			break;
	if (i == r->nsteps) {
		diag_fail(p, e->line, e->col,
		    "%s has %u recv step%s, not a recv step %u",
		    case_role_name(e->role), seen, seen == 1 ? "" : "s",
		    e->u.recv_step.nth);
		return -1;
	}
	if (e->u.recv_step.bytes || e->u.recv_step.end != READ_END_TIMEOUT)
		return 0;
	if (r->steps[i].timeout_ms == 0) {
		diag_fail(p, e->line, e->col,
		    "'%s.recv %u ends TIMEOUT' needs 'within' on that recv step (line %u; e.g. 'recv all within 2s')",
		    case_role_name(e->role), e->u.recv_step.nth, r->steps[i].line);
		return -1;
	}
	r->steps[i].timeout_ends_read = true;
	return 0;
}

/* What some expectations need beyond a step: names, timeouts, captures. */
static int
check_expect_needs(struct parser *p)
{
	const struct case_expect *e;
	size_t i;

	for (i = 0; i < p->cf->nexpects; i++) {
		e = &p->cf->expects[i];
		if (check_expect_names(p, e) == -1 || check_read_timeouts(p, e) == -1 ||
		    check_recv_step(p, e) == -1)
			return -1;
		if (e->kind == EXPECT_LOST_IN_FLIGHT &&
		    p->cf->capture != CAPTURE_AT_BOTH) {
			diag_fail(p, e->line, e->col,
			    "'%s lost in flight' needs 'capture both' (what left one end and what reached the other)",
			    words_at(value_directions(), (size_t)e->writer));
			return -1;
		}
	}
	return 0;
}

/* Where a mistake of the whole case is reported: the 'case' line, or 1. */
static unsigned
case_directive_line(const struct parser *p)
{
	return p->directive_line[DIRECTIVE_CASE] != 0 ?
	    p->directive_line[DIRECTIVE_CASE] : 1;
}

int
check_case(struct parser *p)
{
	struct case_file *cf;
	struct event_index ix[ROLE_COUNT];
	enum role_id role;
	int rc;

	cf = p->cf;
	if (cf->name == NULL) {
		diag_fail(p, 1, 1,
		    "case has no name: add 'case NAME' (e.g. 'case close-unread-truncates')");
		return -1;
	}
	for (role = ROLE_CLIENT; role < ROLE_ENDS; role++) {
		if (!cf->roles[role].present) {
			diag_fail(p, case_directive_line(p), 1,
			    "case has no '%s:' role", case_role_name(role));
			return -1;
		}
	}
	if (parse_directive_check_paths(p) == -1)
		return -1;
	if (check_forks(p) == -1 || check_children(p) == -1)
		return -1;
	if (cf->nexpects == 0) {
		if (p->expect_line != 0)
			diag_fail(p, p->expect_line, p->expect_col,
			    "case expects nothing: add expectations under 'expect:'");
		else
			diag_fail(p, case_directive_line(p), 1,
			    "case expects nothing: add an 'expect:' section");
		return -1;
	}
	if (check_expect_sources(p) == -1 || check_expect_needs(p) == -1)
		return -1;

	memset(ix, 0, sizeof(ix));
	rc = -1;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		if (build_event_index(p, &cf->roles[role], &ix[role]) == -1)
			goto out;
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		if (check_duplicate_raises(p, role, &ix[role]) == -1)
			goto out;
	if (check_waits(p, ix) == -1 || check_deadlock(p, ix) == -1)
		goto out;
	rc = 0;
out:
	for (role = ROLE_CLIENT; role < ROLE_COUNT; role++)
		free(ix[role].sites);
	return rc;
}
