/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * signature.h - what a case run showed, reduced to what must not change
 * between two stacks that behave alike.
 *
 * A signature keeps, per case and family, the teardown class and who
 * ended it, each side's FIN and RST (kind, count), each direction's
 * outcome and its loss as a relation (0, = unsent, > 0), read ends, SO_ERROR,
 * the sequence of send() results, how each process ended, poll flags,
 * close()/shutdown() durations as a class, and the abort and reset
 * counters that moved.  Exact byte counts, ports, sequence numbers and
 * timings differ from run to run and between kernels by design: they are
 * kept as information to show, never compared.
 *
 * Several runs of one case (closeprobe run --repeat N, or several files)
 * fold into one signature; a field that took more than one value is
 * flaky.
 */
#ifndef signature_h
#define signature_h

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

#define SIGNATURE_MAX_VALUES 8	/* distinct values kept per field */

struct signature_field {
	char *name;		/* "teardown", "outcome client->server", ... */
	char *values[SIGNATURE_MAX_VALUES];
	size_t nvalues;		/* more than one: flaky */
	bool more;		/* values beyond SIGNATURE_MAX_VALUES were seen */
};

struct signature_case {
	char *key;		/* "close-unread-truncates/4" */
	struct signature_field *fields;
	size_t nfields;
	unsigned runs;		/* how many runs folded in */
	char *info;		/* shown, never compared: byte counts, time */
};

struct signature_set {
	char *platform;		/* "Linux 6.1.0-28-cloud-amd64 (linux)", or NULL */
	unsigned runs;		/* run files folded in */
	struct signature_case *cases;
	size_t ncases;
};

void signature_set_init(struct signature_set *set);
void signature_set_free(struct signature_set *set);

/*
 * Fold every case record of a run's JSON ({"cases": [...]}, as closeprobe
 * run --json writes it) into set.  0, or -1 with err.
 */
int signature_add_run(struct signature_set *set, const struct json_value *run,
    char *err, size_t errlen);

/*
 * Fold one field value into a case (creating both as needed); used by
 * the baseline reader too.  0, or -1 (out of memory).
 */
int signature_note(struct signature_case *c, const char *field, const char *value);
struct signature_case *signature_case_get(struct signature_set *set, const char *key);

const struct signature_case *signature_find(const struct signature_set *set,
    const char *key);
const struct signature_field *signature_field_find(const struct signature_case *c,
    const char *name);

bool signature_field_flaky(const struct signature_field *f);

/* The platform label a run's JSON carries ("platform" object), or NULL. */
char *signature_platform_label(const struct json_value *run);

#endif /* signature_h */
