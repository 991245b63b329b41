/*
 * fuzz_case.c - fuzz target: the case parser on arbitrary bytes.
 *
 * Whatever the bytes, case_parse_string() returns a case or an error
 * message naming the file, never crashes, never leaks, and a case it
 * returns has a name fit for evidence file names ([a-z0-9-], 1..64) and
 * only steps and expectations that have a row in the language's tables.
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
	for (r = 0; r < ROLE_COUNT; r++) {
		for (i = 0; i < cf->roles[r].nsteps; i++) {
			FUZZ_CHECK(cf->roles[r].steps[i].text != NULL);
			FUZZ_CHECK(case_step_word(cf->roles[r].steps[i].kind) !=
			    NULL);
		}
	}
	for (i = 0; i < cf->nexpects; i++) {
		FUZZ_CHECK(cf->expects[i].text != NULL);
		FUZZ_CHECK(case_expect_word(cf->expects[i].kind) != NULL);
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
