/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.h - reading JSON that closeprobe wrote (runs, analyze output) back
 * into a tree, for baselines and comparisons.
 *
 * A small, strict RFC 8259 reader: objects keep their keys in order,
 * numbers keep their text (byte counts are exact 64-bit integers, never
 * rounded through a double), strings are decoded to UTF-8.  Nesting and
 * sizes are bounded so that hostile input cannot exhaust the stack.
 */
#ifndef json_h
#define json_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json_value {
	enum json_type type;
	bool boolean;			/* JSON_BOOL */
	char *text;			/* JSON_NUMBER: as written; JSON_STRING: decoded */
	size_t len;			/* of text (a string may hold NUL) */
	struct json_value *items;	/* JSON_ARRAY, JSON_OBJECT: the values */
	char **keys;			/* JSON_OBJECT: the keys, decoded */
	size_t count;
};

/*
 * Parse text[0..len) as one JSON value (surrounding white space allowed).
 * 0 and *out set (free with json_free()), or -1 with err holding
 * "LINE:COL: what" (1-based).
 */
int json_parse(const char *text, size_t len, struct json_value **out,
    char *err, size_t errlen);

void json_free(struct json_value *v);

/* Object member by key, or NULL (also when v is not an object). */
const struct json_value *json_get(const struct json_value *v, const char *key);

/* A path of keys: json_path(v, "wire", "server", "rst", NULL). */
const struct json_value *json_path(const struct json_value *v, ...);

/* The string's text, or NULL when v is absent or not a string. */
const char *json_string(const struct json_value *v);

/* An unsigned integer: 0 and *value, or -1 (absent, not a number, negative, fractional, too big). */
int json_u64(const struct json_value *v, uint64_t *value);

/* A number as a double: 0 and *value, or -1. */
int json_double(const struct json_value *v, double *value);

bool json_is_null(const struct json_value *v);	/* absent counts as null */

#endif /* json_h */
