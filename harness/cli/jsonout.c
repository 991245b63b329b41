/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * jsonout.c - JSON strings, escaped as RFC 8259 asks.
 */
#include "jsonout.h"

void
jsonout_strbuf_string(struct strbuf *sb, const char *s)
{
	if (s == NULL) {
		strbuf_adds(sb, "null");
		return;
	}
	strbuf_addc(sb, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			strbuf_addc(sb, '\\');
			strbuf_addc(sb, (char)c);
		} else if (c == '\n') {
			strbuf_adds(sb, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\u%04x", c);
		} else {
			strbuf_addc(sb, (char)c);
		}
	}
	strbuf_addc(sb, '"');
}

void
jsonout_string(FILE *out, const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	jsonout_strbuf_string(&sb, s);
	if (!sb.failed && sb.data != NULL)
		fputs(sb.data, out);
	else
		fputs("null", out);
	strbuf_free(&sb);
}
