# SPDX-License-Identifier: BSD-3-Clause
# harness/draw/local.mk - pictures: ladder diagrams and the HTML run report
# (included by Makefile.am).
AM_CPPFLAGS += -I$(top_srcdir)/harness/draw
harness_libcloseprobe_a_SOURCES += \
	harness/draw/grow.c harness/draw/grow.h \
	harness/draw/markup.c harness/draw/markup.h \
	harness/draw/svg.c harness/draw/svg.h \
	harness/draw/ladder.c harness/draw/ladder-svg.c harness/draw/ladder-capture.c \
	harness/draw/ladder.h \
	harness/draw/ladder-run.c harness/draw/ladder-run.h \
	harness/draw/ladder-int.h \
	harness/draw/html.c harness/draw/html.h \
	harness/draw/runhtml.c harness/draw/runhtml.h

# Sample pictures for the browser test (and for eyes: draw-sample DIR).
check_PROGRAMS += harness/draw/draw-sample
harness_draw_draw_sample_SOURCES = harness/draw/draw-sample.c
harness_draw_draw_sample_LDADD = harness/libcloseprobe.a $(PCAP_LIBS)
TESTS += harness/tests/browser.sh
EXTRA_DIST += harness/tests/browser.sh harness/tests/browse.pl

if HAVE_CHECK
DRAW_UNIT_TESTS = harness/tests/check_ladder harness/tests/check_html
check_PROGRAMS += $(DRAW_UNIT_TESTS)
TESTS += $(DRAW_UNIT_TESTS)
harness_tests_check_ladder_SOURCES = harness/tests/check_ladder.c \
	harness/draw/xmlcheck.c harness/draw/xmlcheck.h $(UNIT_SHARED_SOURCES)
harness_tests_check_ladder_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_ladder_LDADD = $(UNIT_LDADD)
harness_tests_check_html_SOURCES = harness/tests/check_html.c \
	harness/draw/xmlcheck.c harness/draw/xmlcheck.h $(UNIT_SHARED_SOURCES)
harness_tests_check_html_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_html_LDADD = $(UNIT_LDADD)
endif
