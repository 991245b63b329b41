/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.c - a strict, bounded JSON reader (see json.h).
 */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char *text;
	size_t len;
	size_t pos;
	char *err;
	size_t errlen;
	bool failed;
};

static void reader_fail(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The first error wins; it names the line and column of r->pos. */
static void
reader_fail(struct reader *r, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	size_t i, used;
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	if (r->errlen == 0)
		return;
	for (i = 0; i < r->pos && i < r->len; i++) {
		if (r->text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(r->err, r->errlen, "%u:%u: ", line, col);
	used = strlen(r->err);
	va_start(ap, fmt);
	vsnprintf(r->err + used, r->errlen - used, fmt, ap);
	va_end(ap);
}

static void
skip_space(struct reader *r)
{
	while (r->pos < r->len) {
		char c = r->text[r->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		r->pos++;
	}
}

static bool
at_end(const struct reader *r)
{
	return r->pos >= r->len;
}

static bool
consume(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->pos < n || memcmp(r->text + r->pos, word, n) != 0)
		return false;
	r->pos += n;
	return true;
}

/* A growing byte buffer for decoded strings. */
struct bytes {
	char *data;
	size_t len;
	size_t cap;
};

static int
bytes_add(struct bytes *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		char *grown;

		while (cap < b->len + n + 1)
			cap *= 2;
		grown = realloc(b->data, cap);
		if (grown == NULL)
			return -1;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static int
hex4(struct reader *r, unsigned *value)
{
	unsigned v = 0;
	int i;

	if (r->len - r->pos < 4) {
		reader_fail(r, "\\u needs four hex digits");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		char c = r->text[r->pos++];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else {
			reader_fail(r, "\\u needs four hex digits");
			return -1;
		}
	}
	*value = v;
	return 0;
}

static int
add_utf8(struct bytes *b, unsigned cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return bytes_add(b, out, n);
}

static int
unicode_escape(struct reader *r, struct bytes *b)
{
	unsigned cp, low;

	if (hex4(r, &cp) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		reader_fail(r, "a lone low surrogate in \\u escape");
		return -1;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (!consume(r, "\\u") || hex4(r, &low) < 0 || low < 0xdc00 || low > 0xdfff) {
			reader_fail(r, "a high surrogate without its low half");
			return -1;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	return add_utf8(b, cp);
}

/* At the opening quote; decodes into *out (malloc'd) and *len. */
static int
read_string(struct reader *r, char **out, size_t *len)
{
	struct bytes b = { NULL, 0, 0 };

	r->pos++;	/* the quote */
	if (bytes_add(&b, "", 0) < 0)
		goto oom;
	for (;;) {
		size_t start = r->pos;
		char c;

		while (r->pos < r->len && r->text[r->pos] != '"' && r->text[r->pos] != '\\' &&
		    (unsigned char)r->text[r->pos] >= 0x20)
			r->pos++;
		if (bytes_add(&b, r->text + start, r->pos - start) < 0)
			goto oom;
		if (at_end(r)) {
			reader_fail(r, "unterminated string");
			goto fail;
		}
		c = r->text[r->pos];
		if (c == '"') {
			r->pos++;
			break;
		}
		if (c != '\\') {
			reader_fail(r, "control character 0x%02x in a string", (unsigned char)c);
			goto fail;
		}
		r->pos++;
		if (at_end(r)) {
			reader_fail(r, "unterminated escape");
			goto fail;
		}
		c = r->text[r->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			if (bytes_add(&b, &c, 1) < 0)
				goto oom;
			break;
		case 'b': if (bytes_add(&b, "\b", 1) < 0) goto oom; break;
		case 'f': if (bytes_add(&b, "\f", 1) < 0) goto oom; break;
		case 'n': if (bytes_add(&b, "\n", 1) < 0) goto oom; break;
		case 'r': if (bytes_add(&b, "\r", 1) < 0) goto oom; break;
		case 't': if (bytes_add(&b, "\t", 1) < 0) goto oom; break;
		case 'u':
			if (unicode_escape(r, &b) < 0) {
				if (!r->failed)
					goto oom;
				goto fail;
			}
			break;
		default:
			r->pos--;
			reader_fail(r, "unknown escape '\\%c'", c);
			goto fail;
		}
	}
	*out = b.data;
	*len = b.len;
	return 0;
oom:
	reader_fail(r, "out of memory");
fail:
	free(b.data);
	return -1;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 8259's number grammar; the text is kept as written. */
static int
read_number(struct reader *r, struct json_value *v)
{
	size_t start = r->pos;

	if (r->pos < r->len && r->text[r->pos] == '-')
		r->pos++;
	if (at_end(r) || !is_digit(r->text[r->pos])) {
		reader_fail(r, "a number needs a digit");
		return -1;
	}
	if (r->text[r->pos] == '0')
		r->pos++;
	else
		while (r->pos < r->len && is_digit(r->text[r->pos]))
			r->pos++;
	if (r->pos < r->len && r->text[r->pos] == '.') {
		r->pos++;
		if (at_end(r) || !is_digit(r->text[r->pos])) {
			reader_fail(r, "a digit must follow the decimal point");
			return -1;
		}
		while (r->pos < r->len && is_digit(r->text[r->pos]))
			r->pos++;
	}
	if (r->pos < r->len && (r->text[r->pos] == 'e' || r->text[r->pos] == 'E')) {
		r->pos++;
		if (r->pos < r->len && (r->text[r->pos] == '+' || r->text[r->pos] == '-'))
			r->pos++;
		if (at_end(r) || !is_digit(r->text[r->pos])) {
			reader_fail(r, "an exponent needs a digit");
			return -1;
		}
		while (r->pos < r->len && is_digit(r->text[r->pos]))
			r->pos++;
	}
	v->type = JSON_NUMBER;
	v->len = r->pos - start;
	v->text = strndup(r->text + start, v->len);
	if (v->text == NULL) {
		reader_fail(r, "out of memory");
		return -1;
	}
	return 0;
}

static int read_value(struct reader *r, struct json_value *v, unsigned depth);

/* Append one slot to a container; the new slot is zeroed. */
static struct json_value *
add_item(struct reader *r, struct json_value *v, size_t *cap, bool keyed)
{
	if (v->count == *cap) {
		size_t grown = *cap ? *cap * 2 : 4;
		struct json_value *items = realloc(v->items, grown * sizeof(*items));

		if (items == NULL) {
			reader_fail(r, "out of memory");
			return NULL;
		}
		v->items = items;
		if (keyed) {
			char **keys = realloc(v->keys, grown * sizeof(*keys));

			if (keys == NULL) {
				reader_fail(r, "out of memory");
				return NULL;
			}
			v->keys = keys;
		}
		*cap = grown;
	}
	memset(&v->items[v->count], 0, sizeof(v->items[0]));
	if (keyed)
		v->keys[v->count] = NULL;
	return &v->items[v->count++];
}

static int
read_container(struct reader *r, struct json_value *v, unsigned depth, bool object)
{
	char close = object ? '}' : ']';
	size_t cap = 0;

	v->type = object ? JSON_OBJECT : JSON_ARRAY;
	r->pos++;
	skip_space(r);
	if (r->pos < r->len && r->text[r->pos] == close) {
		r->pos++;
		return 0;
	}
	for (;;) {
		struct json_value *item;

		skip_space(r);
		item = add_item(r, v, &cap, object);
		if (item == NULL)
			return -1;
		if (object) {
			char *key;
			size_t keylen;

			if (at_end(r) || r->text[r->pos] != '"') {
				reader_fail(r, "an object key must be a string");
				return -1;
			}
			if (read_string(r, &key, &keylen) < 0)
				return -1;
			v->keys[v->count - 1] = key;
			skip_space(r);
			if (!consume(r, ":")) {
				reader_fail(r, "':' must follow an object key");
				return -1;
			}
		}
		if (read_value(r, item, depth + 1) < 0)
			return -1;
		skip_space(r);
		if (consume(r, ","))
			continue;
		if (r->pos < r->len && r->text[r->pos] == close) {
			r->pos++;
			return 0;
		}
		reader_fail(r, object ? "',' or '}' expected" : "',' or ']' expected");
		return -1;
	}
}

static int
read_value(struct reader *r, struct json_value *v, unsigned depth)
{
	if (depth > JSON_MAX_DEPTH) {
		reader_fail(r, "nested deeper than %d", JSON_MAX_DEPTH);
		return -1;
	}
	skip_space(r);
	if (at_end(r)) {
		reader_fail(r, "a value was expected");
		return -1;
	}
	switch (r->text[r->pos]) {
	case '{':
		return read_container(r, v, depth, true);
	case '[':
		return read_container(r, v, depth, false);
	case '"':
		v->type = JSON_STRING;
		return read_string(r, &v->text, &v->len);
	case 't':
		if (consume(r, "true")) {
			v->type = JSON_BOOL;
			v->boolean = true;
			return 0;
		}
		break;
	case 'f':
		if (consume(r, "false")) {
			v->type = JSON_BOOL;
			return 0;
		}
		break;
	case 'n':
		if (consume(r, "null")) {
			v->type = JSON_NULL;
			return 0;
		}
		break;
	default:
		if (r->text[r->pos] == '-' || is_digit(r->text[r->pos]))
			return read_number(r, v);
		break;
	}
	reader_fail(r, "unexpected character '%c'", r->text[r->pos]);
	return -1;
}

static void
json_clear(struct json_value *v)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		json_clear(&v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
}

void
json_free(struct json_value *v)
{
	if (v == NULL)
		return;
	json_clear(v);
	free(v);
}

int
json_parse(const char *text, size_t len, struct json_value **out, char *err,
    size_t errlen)
{
	struct reader r = { text, len, 0, err, errlen, false };
	struct json_value *v;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (read_value(&r, v, 0) == 0) {
		skip_space(&r);
		if (!at_end(&r))
			reader_fail(&r, "text after the value");
	}
	if (r.failed) {
		json_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

const struct json_value *
json_get(const struct json_value *v, const char *key)
{
	size_t i;

	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->count; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

const struct json_value *
json_path(const struct json_value *v, ...)
{
	const char *key;
	va_list ap;

	va_start(ap, v);
	while (v != NULL && (key = va_arg(ap, const char *)) != NULL)
		v = json_get(v, key);
	va_end(ap);
	return v;
}

const char *
json_string(const struct json_value *v)
{
	return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

int
json_u64(const struct json_value *v, uint64_t *value)
{
	unsigned long long n;
	char *end;

	if (v == NULL || v->type != JSON_NUMBER || v->text[0] == '-')
		return -1;
	errno = 0;
	n = strtoull(v->text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*value = n;
	return 0;
}

int
json_double(const struct json_value *v, double *value)
{
	if (v == NULL || v->type != JSON_NUMBER)
		return -1;
	*value = strtod(v->text, NULL);
	return 0;
}

bool
json_is_null(const struct json_value *v)
{
	return v == NULL || v->type == JSON_NULL;
}
