/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rundoc.c - the run's JSON document.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "jsonout.h"
#include "rundoc.h"
#include "strbuf.h"

int
rundoc_open(struct rundoc *d, const char *path)
{
	d->path = path;
	d->first = true;
	d->out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (d->out == NULL) {
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void
rundoc_begin(struct rundoc *d, const struct platform *p)
{
	fprintf(d->out, "{\"version\":\"%s\",\"platform\":", PACKAGE_VERSION);
	if (p == NULL || platform_write_json(p, d->out) < 0)
		fputs("null", d->out);
	fputs(",\"cases\":[", d->out);
}

void
rundoc_record(struct rundoc *d, const char *json)
{
	fprintf(d->out, "%s%s", d->first ? "\n" : ",\n", json != NULL ? json : "null");
	d->first = false;
}

char *
rundoc_error_record(const char *name, const char *file, int family, const char *status,
    const char *error)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, "{\"case\":");
	jsonout_strbuf_string(&sb, name);
	strbuf_adds(&sb, ",\"file\":");
	jsonout_strbuf_string(&sb, file);
	strbuf_adds(&sb, ",\"status\":");
	jsonout_strbuf_string(&sb, status);
	strbuf_adds(&sb, ",\"error\":");
	jsonout_strbuf_string(&sb, error);
	if (family != 0)
		strbuf_addf(&sb, ",\"family\":%d", family);
	else
		strbuf_adds(&sb, ",\"family\":null");
	strbuf_adds(&sb, ",\"evidence\":null,\"expectations\":[]}");
	return strbuf_finish(&sb);
}

int
rundoc_end(struct rundoc *d, const struct tally *t)
{
	int rc;

	fputs("\n],\"summary\":", d->out);
	tally_write_json(t, d->out);
	fputs("}\n", d->out);
	rc = d->out == stdout ? fflush(d->out) : fclose(d->out);
	if (rc != 0 || (d->out == stdout && ferror(stdout))) {
		cli_error("%s: %s", strcmp(d->path, "-") == 0 ? "standard output" : d->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}
