/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xmlcheck.h - for the pictures' unit tests: is a document well formed?
 *
 * A small checker written for the tests, so they need no xmllint and do
 * not trust the code they test: XML 1.0 well-formedness (one root, tags
 * nested and matched, attributes quoted and unique, references valid,
 * UTF-8 with only the characters XML allows), or the same rules relaxed
 * the HTML way (void elements, attributes without values, raw text in
 * script and style, any named reference).  No DTDs, no namespaces.
 */
#ifndef xmlcheck_h
#define xmlcheck_h

#include <stddef.h>

enum xmlcheck_mode {
	XMLCHECK_XML,
	XMLCHECK_HTML
};

/* 0 well formed; -1 not, with the reason and its byte offset in err. */
int xmlcheck_document(const char *text, size_t len, enum xmlcheck_mode mode,
    char *err, size_t errlen);

/* How many times needle occurs in text (overlaps not counted). */
size_t xmlcheck_count(const char *text, const char *needle);

#endif /* xmlcheck_h */
