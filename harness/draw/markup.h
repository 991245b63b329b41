/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * markup.h - text and links put into XML (SVG) and HTML documents.
 *
 * Everything the pictures print comes from case files, captures and
 * kernels, so none of it is trusted: markup_put_text() escapes the five
 * XML specials and replaces what XML 1.0 cannot hold (control
 * characters, bytes that are not UTF-8) with U+FFFD, so the document
 * always parses.
 */
#ifndef markup_h
#define markup_h

#include <stddef.h>
#include <stdio.h>

/*
 * Write text escaped for element content and attribute values alike
 * (& < > " ').  NULL writes nothing.  Write errors are left in the
 * stream (ferror()) for the caller to check once at the end.
 */
void markup_put_text(FILE *out, const char *text);
/* The same for at most the first bytes of text. */
void markup_put_text_len(FILE *out, const char *text, size_t bytes);

/*
 * Write a relative link (a path such as "captures/x.pcap") for an href
 * or src attribute: bytes other than letters, digits and "-._~/" are
 * percent-encoded, so a name with '#', '?' or ':' stays a path and never
 * becomes a scheme ("javascript:") or a fragment.
 */
void markup_put_href(FILE *out, const char *path);

/*
 * How many characters text shows: UTF-8 code points, an invalid byte
 * counting as one (what markup_put_text() replaces it with).
 */
size_t markup_text_columns(const char *text);

/*
 * The length of text's first up-to-max_columns characters, in bytes,
 * never splitting a UTF-8 sequence.
 */
size_t markup_prefix_bytes(const char *text, size_t max_columns);

#endif /* markup_h */
