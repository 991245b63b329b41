/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * baseline.c - baseline files and comparisons (see baseline.h).
 */
#include "baseline.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

/* What a file may hold at most: far above a suite's JSON (~200 KiB). */
#define BASELINE_MAX_FILE (256u << 20)

static const char *const verdict_names[] = {
	[COMPARE_SAME] = "same",
	[COMPARE_CHANGED] = "changed",
	[COMPARE_NEW] = "new",
	[COMPARE_MISSING] = "missing",
	[COMPARE_FLAKY] = "flaky",
};
_Static_assert(sizeof(verdict_names) / sizeof(verdict_names[0]) == COMPARE_FLAKY + 1,
    "every verdict has a name");

const char *
baseline_verdict_name(enum compare_verdict v)
{
	return v <= COMPARE_FLAKY ? verdict_names[v] : "?";
}

int
baseline_write(const struct signature_set *set, FILE *out)
{
	size_t i, j, k;

	fprintf(out, "%s\n", BASELINE_MAGIC);
	fprintf(out, "# One line per case and field: '=' the same in every run recorded,\n"
	    "# '~' flaky (each value it took, separated by ' | '); 'info' lines are\n"
	    "# shown beside a change, never compared.\n");
	if (set->platform != NULL)
		fprintf(out, "platform %s\n", set->platform);
	fprintf(out, "runs %u\n", set->runs);
	for (i = 0; i < set->ncases; i++) {
		const struct signature_case *c = &set->cases[i];

		for (j = 0; j < c->nfields; j++) {
			const struct signature_field *f = &c->fields[j];

			fprintf(out, "%s %s %c ", c->key, f->name,
			    signature_field_flaky(f) ? '~' : '=');
			for (k = 0; k < f->nvalues; k++)
				fprintf(out, "%s%s", k ? " | " : "", f->values[k]);
			fputc('\n', out);
		}
		if (c->info != NULL)
			fprintf(out, "info %s %s\n", c->key, c->info);
	}
	return ferror(out) ? -1 : 0;
}

/* "KEY FIELD = VALUE" or "KEY FIELD ~ V1 | V2": split in place. */
static int
read_field_line(char *line, struct signature_set *set)
{
	char *space = strchr(line, ' '), *op, *value, *sep;
	struct signature_case *c;

	if (space == NULL)
		return -1;
	*space = '\0';
	op = strstr(space + 1, " = ");
	if (op == NULL)
		op = strstr(space + 1, " ~ ");
	if (op == NULL)
		return -1;
	*op = '\0';
	value = op + 3;
	c = signature_case_get(set, line);
	if (c == NULL)
		return -2;
	c->runs = set->runs;
	for (;;) {
		sep = strstr(value, " | ");
		if (sep != NULL)
			*sep = '\0';
		if (signature_note(c, space + 1, value) < 0)
			return -2;
		if (sep == NULL)
			return 0;
		value = sep + 3;
	}
}

/* "KEY TEXT": what a change shows beside it, never compared. */
static int
read_info_line(char *line, struct signature_set *set)
{
	char *space = strchr(line, ' ');
	struct signature_case *c;

	if (space == NULL)
		return -1;
	*space = '\0';
	c = signature_case_get(set, line);
	if (c == NULL)
		return -2;
	free(c->info);
	c->info = strdup(space + 1);
	return c->info != NULL ? 0 : -2;
}

int
baseline_read(const char *text, size_t len, struct signature_set *set, char *err,
    size_t errlen)
{
	size_t pos = 0, magic = strlen(BASELINE_MAGIC);
	unsigned lineno = 0;

	if (len < magic || memcmp(text, BASELINE_MAGIC, magic) != 0) {
		snprintf(err, errlen, "1: not a closeprobe baseline (it starts '%s')", BASELINE_MAGIC);
		return -1;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		char *line = strndup(text + pos, n);
		int rc = 0;

		lineno++;
		pos += n + (nl != NULL);
		if (line == NULL) {
			snprintf(err, errlen, "%u: out of memory", lineno);
			return -1;
		}
		if (memchr(line, '\0', n) != NULL || strlen(line) != n)
			rc = -1;
		else if (line[0] == '#' || line[0] == '\0')
			rc = 0;
		else if (strncmp(line, "platform ", 9) == 0) {
			free(set->platform);
			set->platform = strdup(line + 9);
			rc = set->platform != NULL ? 0 : -2;
		} else if (strncmp(line, "info ", 5) == 0) {
			rc = read_info_line(line + 5, set);
		} else if (strncmp(line, "runs ", 5) == 0) {
			char *end;
			unsigned long runs = strtoul(line + 5, &end, 10);

			rc = (*end == '\0' && runs > 0 && runs < 1000000) ? 0 : -1;
			set->runs = (unsigned)runs;
		} else {
			rc = read_field_line(line, set);
		}
		if (rc < 0)
			snprintf(err, errlen, "%u: %s", lineno, rc == -2 ? "out of memory" :
			    "expected 'CASE/FAMILY FIELD = VALUE' (or '~ V1 | V2')");
		free(line);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The whole file, bounded; NUL-terminated for convenience. */
static char *
read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > BASELINE_MAX_FILE) {
		snprintf(err, errlen, "%s: not a regular file of at most 256 MiB", path);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", path, n < 0 ? strerror(errno) : "shrank while read");
			free(buf);
			close(fd);
			return NULL;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

int
baseline_load(const char *path, struct signature_set *set, char *err, size_t errlen)
{
	char inner[512];
	size_t len = 0, start = 0;
	char *text;
	int rc;

	text = read_file(path, &len, err, errlen);
	if (text == NULL)
		return -1;
	while (start < len && (text[start] == ' ' || text[start] == '\n' || text[start] == '\t'))
		start++;
	if (start < len && text[start] == '{') {
		struct json_value *run;

		rc = json_parse(text, len, &run, inner, sizeof(inner));
		if (rc == 0) {
			rc = signature_add_run(set, run, inner, sizeof(inner));
			json_free(run);
		}
	} else {
		rc = baseline_read(text, len, set, inner, sizeof(inner));
	}
	if (rc < 0)
		snprintf(err, errlen, "%s:%s", path, inner);
	free(text);
	return rc;
}

/* "a | b" for a flaky field, "a" else, "-" when absent. */
static char *
values_text(const struct signature_field *f)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *out;

	if (f == NULL)
		return strdup("-");
	out = open_memstream(&text, &len);
	if (out == NULL)
		return NULL;
	for (i = 0; i < f->nvalues; i++)
		fprintf(out, "%s%s", i ? " | " : "", f->values[i]);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Every value the run saw is one the baseline saw. */
static bool
field_same(const struct signature_field *base, const struct signature_field *run)
{
	size_t i, j;

	/* Absent from the run: the same if the baseline saw it absent ("-"),
	 * among other values or alone. */
	if (run == NULL) {
		for (j = 0; base != NULL && j < base->nvalues; j++)
			if (strcmp(base->values[j], "-") == 0)
				return true;
		return base == NULL;
	}
	/* Absent from the baseline: the same only if the run has it absent too. */
	if (base == NULL) {
		for (i = 0; i < run->nvalues; i++)
			if (strcmp(run->values[i], "-") != 0)
				return false;
		return true;
	}
	for (i = 0; i < run->nvalues; i++) {
		bool found = false;

		for (j = 0; j < base->nvalues && !found; j++)
			found = strcmp(run->values[i], base->values[j]) == 0;
		if (!found)
			return false;
	}
	return !run->more || base->more;
}

static int
add_change(struct compare_result *r, const char *field, const struct signature_field *before,
    const struct signature_field *after)
{
	struct compare_change *grown = realloc(r->changes, (r->nchanges + 1) * sizeof(*grown));
	struct compare_change *ch;

	if (grown == NULL)
		return -1;
	r->changes = grown;
	ch = &r->changes[r->nchanges];
	ch->field = field;
	ch->before = values_text(before);
	ch->after = values_text(after);
	if (ch->before == NULL || ch->after == NULL) {
		free(ch->before);
		free(ch->after);
		return -1;
	}
	r->nchanges++;
	return 0;
}

/* "CASE/FAMILY FIELD" matches one of the globs (fnmatch). */
static bool
ignored(const char *const *ignore, size_t nignore, const char *key, const char *field)
{
	char both[512];
	size_t i;

	snprintf(both, sizeof(both), "%s %s", key, field);
	for (i = 0; i < nignore; i++)
		if (fnmatch(ignore[i], field, 0) == 0 || fnmatch(ignore[i], both, 0) == 0)
			return true;
	return false;
}

/* An UNSUPPORTED run observed nothing: only its status says anything. */
static bool
unsupported(const struct signature_case *c)
{
	const struct signature_field *f = signature_field_find(c, "status");

	return f != NULL && f->nvalues == 1 && strcmp(f->values[0], "UNSUPPORTED") == 0;
}

static int
compare_case(const struct signature_case *b, const struct signature_case *r,
    const char *const *ignore, size_t nignore, struct compare_result *out)
{
	size_t i;

	out->key = b != NULL ? b->key : r->key;
	out->info_before = b != NULL ? b->info : NULL;
	out->info_after = r != NULL ? r->info : NULL;
	if (r == NULL) {
		out->verdict = COMPARE_MISSING;
		return 0;
	}
	if (b == NULL) {
		out->verdict = COMPARE_NEW;
		return 0;
	}
	bool changed = false, flaky = false;

	if (unsupported(b) != unsupported(r)) {
		/* Ran on one side, could not on the other: the status is the change. */
		out->verdict = COMPARE_CHANGED;
		return add_change(out, "status", signature_field_find(b, "status"),
		    signature_field_find(r, "status"));
	}

	/*
	 * A field is the same when every value the run saw is one the
	 * baseline saw (a flaky baseline accepts each value it recorded).
	 * Otherwise it flipped within the run (flaky: the run cannot say
	 * what the stack does) or it took another value (changed).  A case
	 * with any changed field is changed, even if others are flaky.
	 */
	for (i = 0; i < b->nfields; i++) {
		const struct signature_field *bf = &b->fields[i];
		const struct signature_field *rf = signature_field_find(r, bf->name);

		if (ignored(ignore, nignore, b->key, bf->name) || field_same(bf, rf))
			continue;
		if (rf != NULL && signature_field_flaky(rf))
			flaky = true;
		else
			changed = true;
		if (add_change(out, bf->name, bf, rf) < 0)
			return -1;
	}
	for (i = 0; i < r->nfields; i++) {
		const struct signature_field *rf = &r->fields[i];

		if (signature_field_find(b, rf->name) != NULL ||
		    ignored(ignore, nignore, r->key, rf->name) || field_same(NULL, rf))
			continue;
		if (signature_field_flaky(rf))
			flaky = true;
		else
			changed = true;
		if (add_change(out, rf->name, NULL, rf) < 0)
			return -1;
	}
	out->verdict = changed ? COMPARE_CHANGED : flaky ? COMPARE_FLAKY : COMPARE_SAME;
	return 0;
}

int
baseline_compare(const struct signature_set *base, const struct signature_set *run,
    const char *const *ignore, size_t nignore, struct comparison *out)
{
	size_t i, n = 0, total = base->ncases;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < run->ncases; i++)
		if (signature_find(base, run->cases[i].key) == NULL)
			total++;
	out->results = calloc(total ? total : 1, sizeof(*out->results));
	if (out->results == NULL)
		return -1;
	for (i = 0; i < base->ncases; i++, n++) {
		out->count = n + 1;
		if (compare_case(&base->cases[i], signature_find(run, base->cases[i].key),
		    ignore, nignore, &out->results[n]) < 0)
			return -1;
	}
	for (i = 0; i < run->ncases; i++) {
		if (signature_find(base, run->cases[i].key) != NULL)
			continue;
		out->count = n + 1;
		if (compare_case(NULL, &run->cases[i], ignore, nignore, &out->results[n++]) < 0)
			return -1;
	}
	out->count = n;
	for (i = 0; i < n; i++)
		out->tally[out->results[i].verdict]++;
	return 0;
}

void
baseline_comparison_free(struct comparison *c)
{
	size_t i, j;

	for (i = 0; i < c->count; i++) {
		for (j = 0; j < c->results[i].nchanges; j++) {
			free(c->results[i].changes[j].before);
			free(c->results[i].changes[j].after);
		}
		free(c->results[i].changes);
	}
	free(c->results);
	memset(c, 0, sizeof(*c));
}
