/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * svg.c - SVG elements (see svg.h).
 */
#include <stdio.h>
#include <string.h>

#include "markup.h"
#include "svg.h"

static void
text_open(FILE *out, double x, double y, const struct svg_font *f)
{
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"%s\"", x, y,
	    f->size, f->colour);
	if (f->anchor != NULL)
		fprintf(out, " text-anchor=\"%s\"", f->anchor);
	if (f->weight != NULL)
		fprintf(out, " font-weight=\"%s\"", f->weight);
	if (f->italic)
		fputs(" font-style=\"italic\"", out);
	fputc('>', out);
}

void
svg_text(FILE *out, double x, double y, const struct svg_font *f, const char *text)
{
	svg_text_len(out, x, y, f, text, text == NULL ? 0 : strlen(text));
}

void
svg_text_len(FILE *out, double x, double y, const struct svg_font *f, const char *text,
    size_t len)
{
	text_open(out, x, y, f);
	markup_put_text_len(out, text, len);
	fputs("</text>\n", out);
}

void
svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *colour,
    double width, const char *dash)
{
	fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
	    "stroke-width=\"%.1f\"", x1, y1, x2, y2, colour, width);
	if (dash != NULL)
		fprintf(out, " stroke-dasharray=\"%s\"", dash);
	fputs("/>\n", out);
}

void
svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
    const char *stroke)
{
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"",
	    x, y, w, h, fill);
	if (stroke != NULL)
		fprintf(out, " stroke=\"%s\"", stroke);
	fputs("/>\n", out);
}

/*
 * sqrt(dx^2 + dy^2) by Newton's method: the library links without libm
 * (configure does not add it), and a head needs no more precision.
 */
static double
length(double dx, double dy)
{
	double v = dx * dx + dy * dy, x = v > 1 ? v : 1;
	int i;

	if (v <= 0)
		return 0;
	for (i = 0; i < 64; i++)
		x = (x + v / x) / 2;
	return x;
}

void
svg_arrowhead(FILE *out, double x1, double y1, double x2, double y2, double size,
    const char *colour)
{
	double dx = x2 - x1, dy = y2 - y1, len = length(dx, dy), ux, uy, bx, by;

	if (len == 0)
		return;
	ux = dx / len;
	uy = dy / len;
	bx = x2 - ux * size;
	by = y2 - uy * size;
	/* the base is 0.9 x size wide: a slim head that points clearly */
	fprintf(out, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n",
	    x2, y2, bx - uy * size * 0.45, by + ux * size * 0.45,
	    bx + uy * size * 0.45, by - ux * size * 0.45, colour);
}

void
svg_cross(FILE *out, double x, double y, double size, const char *colour)
{
	svg_line(out, x - size, y - size, x + size, y + size, colour, 2.4, NULL);
	svg_line(out, x - size, y + size, x + size, y - size, colour, 2.4, NULL);
}

void
svg_diamond(FILE *out, double x, double y, double size, const char *colour)
{
	fprintf(out, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n",
	    x, y - size, x + size, y, x, y + size, x - size, y, colour);
}

void
svg_title(FILE *out, const char *text)
{
	fputs("<title>", out);
	markup_put_text(out, text);
	fputs("</title>\n", out);
}
