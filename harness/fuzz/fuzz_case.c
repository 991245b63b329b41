/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_case.c - fuzz target: the case parser on arbitrary bytes.
 *
 * Whatever the bytes, case_parse_string() returns a case or an error
 * message naming the file, never crashes, never leaks, and a case it
 * returns has a name fit for evidence file names ([a-z0-9-], 1..64),
 * only steps and expectations that have a row in the language's tables,
 * durations within their bound, and steps that keep to the model of the
 * descriptors the interpreter follows.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "case.h"
#include "fuzz.h"

#define FUZZ_CASE_PATH "fuzz.case"
#define FUZZ_CASE_NAME_MAX 64

static bool
name_is_valid(const char *name)
{
	size_t i, len;

	len = strlen(name);
	if (len == 0 || len > FUZZ_CASE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if ((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9'))
			continue;
		if (name[i] == '-' && i > 0)
			continue;
		return false;
	}
	return true;
}

/*
 * A parent role's steps keep to the model of the descriptors the
 * interpreter follows: never a close without a descriptor, never more
 * than CASE_DESCRIPTORS_MAX (a child starts from its parent's).
 */
static void
check_descriptors(const struct case_role *role)
{
	unsigned fds = 0;
	size_t i;

	for (i = 0; i < role->nsteps; i++) {
		switch (case_step_descriptors(&role->steps[i])) {
		case DESCRIPTORS_OPEN:
			FUZZ_CHECK(fds == 0);
			fds = 1;
			break;
		case DESCRIPTORS_ADD:
			FUZZ_CHECK(fds > 0 && fds < CASE_DESCRIPTORS_MAX);
			fds++;
			break;
		case DESCRIPTORS_DROP:
			FUZZ_CHECK(fds > 0);
			fds--;
			break;
		case DESCRIPTORS_KEPT:
			break;
		}
	}
}

static void
check_case(const struct case_file *cf)
{
	size_t i, r;

	FUZZ_CHECK(cf->name != NULL);
	FUZZ_CHECK(name_is_valid(cf->name));
	FUZZ_CHECK(cf->path != NULL && strcmp(cf->path, FUZZ_CASE_PATH) == 0);
	FUZZ_CHECK(cf->roles[ROLE_CLIENT].present);
	FUZZ_CHECK(cf->roles[ROLE_SERVER].present);
	FUZZ_CHECK(cf->nexpects > 0 && cf->expects != NULL);
	FUZZ_CHECK(cf->deadline_ms > 0 && cf->deadline_ms <= CASE_DURATION_MAX_MS);
	for (r = 0; r < ROLE_COUNT; r++) {
		FUZZ_CHECK(cf->roles[r].nsteps <= CASE_ROLE_STEPS_MAX);
		if (!case_role_is_child((enum role_id)r))
			check_descriptors(&cf->roles[r]);
		for (i = 0; i < cf->roles[r].nsteps; i++) {
			FUZZ_CHECK(cf->roles[r].steps[i].timeout_ms <=
			    CASE_DURATION_MAX_MS);
			FUZZ_CHECK(cf->roles[r].steps[i].text != NULL);
			FUZZ_CHECK(case_step_word(cf->roles[r].steps[i].kind) !=
			    NULL);
		}
	}
	for (i = 0; i < cf->nexpects; i++) {
		FUZZ_CHECK(cf->expects[i].text != NULL);
		FUZZ_CHECK(case_expect_word(cf->expects[i].kind) != NULL);
		FUZZ_CHECK(cf->expects[i].name == NULL || cf->expects[i].name[0] != '\0');
		FUZZ_CHECK(!cf->expects[i].has_release || cf->expects[i].system != NULL);
	}
}

static void
parse(const uint8_t *data, size_t size)
{
	struct case_error err;
	struct case_file *cf;

	memset(&err, 0, sizeof(err));
	cf = case_parse_string(FUZZ_CASE_PATH, (const char *)data, size, &err);
	if (cf == NULL) {
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
		FUZZ_CHECK(err.msg[0] != '\0');
		FUZZ_CHECK(strncmp(err.msg, FUZZ_CASE_PATH,
		    strlen(FUZZ_CASE_PATH)) == 0);
		return;
	}
	check_case(cf);
	case_free(cf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_timed(parse, data, size);
}
