/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * moddep.c - modules.dep parsed into a table, and a depth-first walk of
 * it that puts each module after everything it needs.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moddep.h"

#define MODULE_NAME_MAX 256

struct module {
	char name[MODULE_NAME_MAX];
	const char *path;	/* into moddep.text */
	const char **deps;	/* paths */
	size_t ndeps;
};

struct moddep {
	char *text;		/* modules.dep, cut into strings */
	struct module *modules;
	size_t count;
	char (*builtin)[MODULE_NAME_MAX];
	size_t nbuiltin;
};

/* How far the walk has got with a module: cycles show as a module met
 * again while still being visited. */
enum visit_state {
	VISIT_NOT_YET,
	VISIT_IN_PROGRESS,
	VISIT_DONE
};

static const char *const module_suffixes[] = { ".ko", ".ko.xz", ".ko.gz", ".ko.zst" };

int
moddep_name_of(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t len, i;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	for (i = 0; i < sizeof(module_suffixes) / sizeof(module_suffixes[0]); i++) {
		size_t slen = strlen(module_suffixes[i]);

		if (len > slen && strcmp(base + len - slen, module_suffixes[i]) == 0) {
			len -= slen;
			break;
		}
	}
	if (i == sizeof(module_suffixes) / sizeof(module_suffixes[0]) || len >= size)
		return -1;
	for (i = 0; i < len; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[len] = '\0';
	return 0;
}

static void
normalise_name(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < size; i++)
		out[i] = in[i] == '-' ? '_' : in[i];
	out[i] = '\0';
}

void
moddep_free(struct moddep *deps)
{
	size_t i;

	if (deps == NULL)
		return;
	for (i = 0; i < deps->count; i++)
		free(deps->modules[i].deps);
	free(deps->modules);
	free(deps->builtin);
	free(deps->text);
	free(deps);
}

/* Split a line of modules.dep in place: "path: dep dep". */
static int
parse_line(struct moddep *deps, char *line, unsigned lineno, char *err, size_t errlen)
{
	char *colon = strchr(line, ':'), *save = NULL, *tok;
	struct module *m, *grown;

	if (colon == NULL) {
		snprintf(err, errlen, "modules.dep:%u: no ':' after the module's path", lineno);
		return -1;
	}
	*colon = '\0';
	grown = realloc(deps->modules, (deps->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		snprintf(err, errlen, "modules.dep: out of memory");
		return -1;
	}
	deps->modules = grown;
	m = &deps->modules[deps->count];
	memset(m, 0, sizeof(*m));
	m->path = line;
	if (moddep_name_of(line, m->name, sizeof(m->name)) < 0) {
		snprintf(err, errlen, "modules.dep:%u: '%.200s' is not a module file", lineno, line);
		return -1;
	}
	deps->count++;
	for (tok = strtok_r(colon + 1, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		const char **more = realloc(m->deps, (m->ndeps + 1) * sizeof(*more));

		if (more == NULL) {
			snprintf(err, errlen, "modules.dep: out of memory");
			return -1;
		}
		m->deps = more;
		m->deps[m->ndeps++] = tok;
	}
	return 0;
}

static int
parse_builtin(struct moddep *deps, const char *text, char *err, size_t errlen)
{
	const char *line = text;

	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		char path[1024];

		if (len > 0 && len < sizeof(path)) {
			char (*grown)[MODULE_NAME_MAX];

			memcpy(path, line, len);
			path[len] = '\0';
			grown = realloc(deps->builtin, (deps->nbuiltin + 1) * sizeof(*grown));
			if (grown == NULL) {
				snprintf(err, errlen, "modules.builtin: out of memory");
				return -1;
			}
			deps->builtin = grown;
			if (moddep_name_of(path, deps->builtin[deps->nbuiltin],
			    sizeof(deps->builtin[0])) == 0)
				deps->nbuiltin++;
		}
		line += len;
		if (*line == '\n')
			line++;
	}
	return 0;
}

struct moddep *
moddep_parse(const char *dep_text, const char *builtin_text, char *err, size_t errlen)
{
	struct moddep *deps = calloc(1, sizeof(*deps));
	char *line, *next;
	unsigned lineno = 0;

	if (deps == NULL || (deps->text = strdup(dep_text)) == NULL) {
		snprintf(err, errlen, "modules.dep: out of memory");
		free(deps);
		return NULL;
	}
	for (line = deps->text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (parse_line(deps, line, lineno, err, errlen) < 0) {
			moddep_free(deps);
			return NULL;
		}
	}
	if (builtin_text != NULL && parse_builtin(deps, builtin_text, err, errlen) < 0) {
		moddep_free(deps);
		return NULL;
	}
	return deps;
}

/* The module called name, or (by_path) whose path is name. */
static const struct module *
find_module(const struct moddep *deps, const char *name, bool by_path)
{
	size_t i;

	for (i = 0; i < deps->count; i++)
		if (strcmp(by_path ? deps->modules[i].path : deps->modules[i].name, name) == 0)
			return &deps->modules[i];
	return NULL;
}

/* Post-order: every dependency's own dependencies first, whatever order
 * the line lists them in. */
static int
visit(const struct moddep *deps, const struct module *m, enum visit_state *state,
    struct strlist *order, char *err, size_t errlen)
{
	size_t index = (size_t)(m - deps->modules), i;

	if (state[index] == VISIT_DONE || strlist_has(order, m->path))
		return 0;
	if (state[index] == VISIT_IN_PROGRESS) {
		snprintf(err, errlen, "modules.dep: %s depends on itself (a cycle)", m->name);
		return -1;
	}
	state[index] = VISIT_IN_PROGRESS;
	for (i = 0; i < m->ndeps; i++) {
		const struct module *dep = find_module(deps, m->deps[i], true);

		if (dep == NULL) {
			snprintf(err, errlen, "modules.dep: %s needs %s, which has no line of its own",
			    m->name, m->deps[i]);
			return -1;
		}
		if (visit(deps, dep, state, order, err, errlen) < 0)
			return -1;
	}
	state[index] = VISIT_DONE;
	if (strlist_add(order, m->path) < 0) {
		snprintf(err, errlen, "modules: out of memory");
		return -1;
	}
	return 0;
}

int
moddep_resolve(const struct moddep *deps, const char *name, struct strlist *order,
    enum moddep_found *found, char *err, size_t errlen)
{
	char wanted[MODULE_NAME_MAX];
	const struct module *m;
	enum visit_state *state;
	size_t i;
	int rc;

	normalise_name(name, wanted, sizeof(wanted));
	m = find_module(deps, wanted, false);
	if (m == NULL) {
		*found = MODDEP_MISSING;
		for (i = 0; i < deps->nbuiltin; i++)
			if (strcmp(deps->builtin[i], wanted) == 0)
				*found = MODDEP_BUILTIN;
		return 0;
	}
	*found = MODDEP_MODULE;
	state = calloc(deps->count, sizeof(*state));
	if (state == NULL) {
		snprintf(err, errlen, "modules: out of memory");
		return -1;
	}
	rc = visit(deps, m, state, order, err, errlen);
	free(state);
	return rc;
}
