/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ldd.c - running ldd and reading its lines:
 *	linux-vdso.so.1 (0x...)				(in the kernel: skipped)
 *	libpcap.so.0.8 => /lib/x86_64-linux-gnu/libpcap.so.0.8 (0x...)
 *	/lib64/ld-linux-x86-64.so.2 (0x...)		(the loader itself)
 *	libfoo.so.1 => not found
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "ldd.h"

#define LDD_OUTPUT_MAX (256 * 1024)
#define LDD_PATH_MAX 4096

/* The path that starts at p, up to white space. */
static int
add_path(const char *p, struct strlist *libs, char *err, size_t errlen)
{
	char path[LDD_PATH_MAX];
	size_t len = strcspn(p, " \t\n(");

	if (len == 0 || len >= sizeof(path)) {
		snprintf(err, errlen, "ldd: a library path of %zu bytes", len);
		return -1;
	}
	memcpy(path, p, len);
	path[len] = '\0';
	if (strlist_add_unique(libs, path) < 0) {
		snprintf(err, errlen, "ldd: out of memory");
		return -1;
	}
	return 0;
}

int
ldd_parse(const char *output, const char *binary, struct strlist *libs, char *err,
    size_t errlen)
{
	const char *line = output;

	if (strstr(output, "not a dynamic executable") != NULL ||
	    strstr(output, "statically linked") != NULL)
		return 0;
	while (*line != '\0') {
		const char *end = strchr(line, '\n'), *arrow = strstr(line, "=>");
		const char *name = line + strspn(line, " \t"), *p = name;

		if (end == NULL)
			end = line + strlen(line);
		if (arrow != NULL && arrow < end) {
			p = arrow + 2 + strspn(arrow + 2, " \t");
			if (strncmp(p, "not found", 9) == 0) {
				snprintf(err, errlen, "%s needs %.*s, which ldd did not find", binary,
				    (int)strcspn(name, " \t="), name);
				return -1;
			}
		}
		if (*p == '/' && add_path(p, libs, err, errlen) < 0)
			return -1;
		line = *end == '\n' ? end + 1 : end;
	}
	return 0;
}

int
ldd_libraries(const char *binary, struct strlist *libs, char *err, size_t errlen)
{
	const char *argv[] = { "ldd", binary, NULL };
	char *output = NULL, how[64];
	int wstatus, rc = 0;

	if (child_capture(argv, LDD_TIMEOUT_MS, LDD_OUTPUT_MAX, &output, &wstatus, err, errlen) < 0)
		return -1;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		rc = ldd_parse(output, binary, libs, err, errlen);
	else if (strstr(output, "not a dynamic executable") == NULL) {
		/* ldd fails for a static program too, but says so. */
		child_describe_status(wstatus, how, sizeof(how));
		snprintf(err, errlen, "ldd %s: %s: %.300s", binary, how, output);
		rc = -1;
	}
	free(output);
	return rc;
}
