/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * svg.h - the SVG elements the pictures are drawn with.
 *
 * Presentation attributes only (no style sheets, no scripts), so any SVG
 * viewer and any printer shows the same; numbers with one decimal.
 * Write errors stay in the stream for the caller to check at the end.
 */
#ifndef svg_h
#define svg_h

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct svg_font {
	int size;
	const char *colour;
	const char *anchor;	/* "middle", "end"; NULL: start */
	const char *weight;	/* "bold"; NULL: normal */
	bool italic;
};

/* <text>: the words escaped (markup_put_text()). */
void svg_text(FILE *out, double x, double y, const struct svg_font *f,
    const char *text);
/* The same for the first len bytes of text (one wrapped line). */
void svg_text_len(FILE *out, double x, double y, const struct svg_font *f,
    const char *text, size_t len);

/* dash: a stroke-dasharray ("7 4"), or NULL for solid. */
void svg_line(FILE *out, double x1, double y1, double x2, double y2,
    const char *colour, double width, const char *dash);
/* stroke NULL: none. */
void svg_rect(FILE *out, double x, double y, double w, double h,
    const char *fill, const char *stroke);
/* A filled triangle at (x2, y2), pointing away from (x1, y1). */
void svg_arrowhead(FILE *out, double x1, double y1, double x2, double y2,
    double size, const char *colour);
void svg_cross(FILE *out, double x, double y, double size, const char *colour);
void svg_diamond(FILE *out, double x, double y, double size,
    const char *colour);
/* <title>: a tooltip for the enclosing group, and text to search. */
void svg_title(FILE *out, const char *text);

#endif /* svg_h */
