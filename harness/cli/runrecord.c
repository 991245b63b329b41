/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runrecord.c - a case run's JSON read back for the reports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runrecord.h"

static void
read_expects(struct runrecord *r, const struct json_value *list)
{
	size_t i;

	if (list == NULL || list->type != JSON_ARRAY || list->count == 0)
		return;
	r->expects = calloc(list->count, sizeof(*r->expects));
	if (r->expects == NULL)
		return;
	for (i = 0; i < list->count; i++) {
		const struct json_value *x = &list->items[i];
		const struct json_value *held = json_get(x, "held");
		struct runrecord_expect *e = &r->expects[r->nexpects];
		uint64_t line = 0;

		if (x->type != JSON_OBJECT)
			continue;
		(void)json_u64(json_get(x, "line"), &line);
		e->line = (unsigned long)line;
		e->text = json_string(json_get(x, "expect"));
		e->system = json_string(json_get(x, "system"));
		e->observed = json_string(json_get(x, "observed"));
		if (held != NULL && held->type == JSON_BOOL)
			e->held = held->boolean ? RUNRECORD_HELD : RUNRECORD_FAILED;
		else
			e->held = RUNRECORD_NOT_JUDGED;
		r->nexpects++;
	}
}

int
runrecord_init(struct runrecord *r, const char *label, const char *file,
    enum case_status status, const char *text, const char *json)
{
	char err[256];

	memset(r, 0, sizeof(*r));
	r->label = strdup(label);
	r->file = file;
	r->status = status;
	r->text = text;
	r->json = json;
	if (r->label == NULL)
		return -1;
	if (json == NULL || json_parse(json, strlen(json), &r->root, err, sizeof(err)) < 0) {
		r->root = NULL;
		return 0;
	}
	r->error = json_string(json_get(r->root, "error"));
	if (json_double(json_get(r->root, "duration_s"), &r->duration_s) < 0)
		r->duration_s = 0;
	r->evidence = json_get(r->root, "evidence");
	if (r->evidence != NULL && r->evidence->type != JSON_OBJECT)
		r->evidence = NULL;
	read_expects(r, json_get(r->root, "expectations"));
	return 0;
}

const char *
runrecord_evidence(const struct runrecord *r, size_t i, const char **key)
{
	size_t m, seen = 0;

	for (m = 0; r->evidence != NULL && m < r->evidence->count; m++) {
		if (r->evidence->items[m].type != JSON_STRING)
			continue;
		if (seen++ == i) {
			*key = r->evidence->keys[m];
			return r->evidence->items[m].text;
		}
	}
	return NULL;
}

size_t
runrecord_failures(const struct runrecord *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nexpects; i++)
		n += r->expects[i].held == RUNRECORD_FAILED;
	return n;
}

void
runrecord_free(struct runrecord *r)
{
	free(r->label);
	free(r->expects);
	json_free(r->root);
	memset(r, 0, sizeof(*r));
}
