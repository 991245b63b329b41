/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * junit.c - JUnit XML.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "junit.h"

/* XML character data or an attribute value: the five entities, and no
 * control character XML 1.0 forbids (a tab and a line break stay). */
static void
add_xml(struct strbuf *sb, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&':
			strbuf_adds(sb, "&amp;");
			break;
		case '<':
			strbuf_adds(sb, "&lt;");
			break;
		case '>':
			strbuf_adds(sb, "&gt;");
			break;
		case '"':
			strbuf_adds(sb, "&quot;");
			break;
		case '\'':
			strbuf_adds(sb, "&apos;");
			break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n')
				strbuf_addc(sb, '?');
			else
				strbuf_addc(sb, (char)c);
		}
	}
}

static void
add_attribute(struct strbuf *sb, const char *name, const char *value)
{
	strbuf_addf(sb, " %s=\"", name);
	add_xml(sb, value);
	strbuf_addc(sb, '"');
}

int
junit_open(struct junit *j, const char *path)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(j, 0, sizeof(*j));
	j->path = path;
	j->out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (j->out == NULL) {
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	/* Jenkins' schema: a date and time without a zone. */
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(j->timestamp, sizeof(j->timestamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		j->timestamp[0] = '\0';
	if (gethostname(j->hostname, sizeof(j->hostname)) < 0)
		j->hostname[0] = '\0';
	j->hostname[sizeof(j->hostname) - 1] = '\0';
	strbuf_init(&j->properties);
	strbuf_init(&j->testcases);
	return 0;
}

static void
add_property(struct strbuf *sb, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	strbuf_adds(sb, "      <property");
	add_attribute(sb, "name", name);
	add_attribute(sb, "value", value);
	strbuf_adds(sb, "/>\n");
}

void
junit_begin(struct junit *j, const struct platform *p)
{
	size_t i;

	if (p == NULL)
		return;
	add_property(&j->properties, "platform.os", p->os);
	add_property(&j->properties, "platform.release", p->release);
	add_property(&j->properties, "platform.version", p->version);
	add_property(&j->properties, "platform.machine", p->machine);
	add_property(&j->properties, "platform.stack", p->stack);
	add_property(&j->properties, "platform.accel", p->accel);
	add_property(&j->properties, "closeprobe.version", p->closeprobe_version);
	add_property(&j->properties, "libpcap.version", p->libpcap_version);
	for (i = 0; i < p->nsysctls; i++) {
		char name[128];

		snprintf(name, sizeof(name), "sysctl.%s", p->sysctls[i].name);
		add_property(&j->properties, name, p->sysctls[i].value);
	}
}

/* The expectations that did not hold: one <failure>, each in its text. */
static void
add_failure(struct strbuf *sb, const struct runrecord *r)
{
	const struct runrecord_expect *first = NULL;
	size_t i, failures = runrecord_failures(r);

	for (i = 0; i < r->nexpects && first == NULL; i++)
		if (r->expects[i].held == RUNRECORD_FAILED)
			first = &r->expects[i];
	strbuf_adds(sb, "      <failure type=\"expectation\"");
	if (first != NULL) {
		struct strbuf m;

		strbuf_init(&m);
		strbuf_addf(&m, "expect %s; observed %s", first->text ? first->text : "?",
		    first->observed ? first->observed : "?");
		if (failures > 1)
			strbuf_addf(&m, " (and %zu more)", failures - 1);
		add_attribute(sb, "message", m.data);
		strbuf_free(&m);
	} else {
		add_attribute(sb, "message", "the case failed");
	}
	strbuf_adds(sb, ">");
	for (i = 0; i < r->nexpects; i++) {
		const struct runrecord_expect *e = &r->expects[i];
		char where[64];

		if (e->held != RUNRECORD_FAILED)
			continue;
		add_xml(sb, r->file);
		snprintf(where, sizeof(where), ":%lu: expect ", e->line);
		strbuf_adds(sb, where);
		add_xml(sb, e->text);
		strbuf_adds(sb, "; observed ");
		add_xml(sb, e->observed);
		strbuf_adds(sb, "\n");
	}
	strbuf_adds(sb, "</failure>\n");
}

/* Every case run is a test case of the class "closeprobe": its name is
 * the case's, with its family. */
static void
add_testcase_head(struct strbuf *sb, const struct runrecord *r)
{
	char time_s[32];

	strbuf_adds(sb, "    <testcase");
	add_attribute(sb, "name", r->label);
	add_attribute(sb, "classname", "closeprobe");
	add_attribute(sb, "file", r->file);
	snprintf(time_s, sizeof(time_s), "%.6f", r->duration_s);
	add_attribute(sb, "time", time_s);
	strbuf_adds(sb, ">\n");
}

void
junit_run(struct junit *j, const struct runrecord *r)
{
	struct strbuf *sb = &j->testcases;
	const char *path, *key;
	size_t i;

	j->time_s += r->duration_s;
	add_testcase_head(sb, r);
	if (r->status == CASE_FAIL)
		add_failure(sb, r);
	if (r->status == CASE_SKIP || r->status == CASE_ERROR || r->status == CASE_UNSUPPORTED) {
		strbuf_adds(sb, r->status == CASE_ERROR ? "      <error type=\"harness\"" :
		    "      <skipped");
		add_attribute(sb, "message", r->error != NULL ? r->error :
		    r->status == CASE_SKIP ? "cannot run here" :
		    r->status == CASE_UNSUPPORTED ? "unsupported: by this stack" : "harness error");
		strbuf_adds(sb, "/>\n");
	}
	strbuf_adds(sb, "      <system-out>");
	add_xml(sb, r->text);
	for (i = 0; (path = runrecord_evidence(r, i, &key)) != NULL; i++) {
		strbuf_adds(sb, "[[ATTACHMENT|");
		add_xml(sb, path);
		strbuf_adds(sb, "]]\n");
	}
	strbuf_adds(sb, "</system-out>\n    </testcase>\n");
}

int
junit_end(struct junit *j, const struct tally *t)
{
	/* A bad case file is a test case in error too. */
	size_t tests = t->runs + t->bad_files, errors = t->count[CASE_ERROR] + t->bad_files;
	struct strbuf head;
	int rc = 0;

	strbuf_init(&head);
	strbuf_adds(&head, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	add_attribute(&head, "name", "closeprobe");
	strbuf_addf(&head, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\""
	    " time=\"%.6f\">\n  <testsuite", tests, t->count[CASE_FAIL], errors,
	    t->count[CASE_SKIP] + t->count[CASE_UNSUPPORTED], j->time_s);
	add_attribute(&head, "name", "closeprobe run");
	strbuf_addf(&head, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\""
	    " time=\"%.6f\"", tests, t->count[CASE_FAIL], errors,
	    t->count[CASE_SKIP] + t->count[CASE_UNSUPPORTED], j->time_s);
	if (j->timestamp[0] != '\0')
		add_attribute(&head, "timestamp", j->timestamp);
	if (j->hostname[0] != '\0')
		add_attribute(&head, "hostname", j->hostname);
	strbuf_adds(&head, ">\n");
	if (head.failed || j->properties.failed || j->testcases.failed) {
		cli_error("%s: out of memory", j->path);
		rc = -1;
	} else {
		fputs(head.data, j->out);
		if (j->properties.len > 0)
			fprintf(j->out, "    <properties>\n%s    </properties>\n", j->properties.data);
		if (j->testcases.len > 0)
			fputs(j->testcases.data, j->out);
		fputs("  </testsuite>\n</testsuites>\n", j->out);
	}
	if ((j->out == stdout ? fflush(j->out) : fclose(j->out)) != 0 || rc < 0) {
		if (rc == 0)
			cli_error("%s: %s", j->path, strerror(errno));
		rc = -1;
	}
	strbuf_free(&head);
	strbuf_free(&j->properties);
	strbuf_free(&j->testcases);
	return rc;
}
