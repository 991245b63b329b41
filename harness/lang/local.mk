# SPDX-License-Identifier: BSD-3-Clause
# harness/lang/local.mk - the case language (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/lang/units.c harness/lang/units.h \
	harness/lang/case.c harness/lang/case.h \
	harness/lang/parser-int.h \
	harness/lang/lexer.c harness/lang/lexer.h \
	harness/lang/words.c harness/lang/words.h \
	harness/lang/diag.c harness/lang/diag.h \
	harness/lang/values.c harness/lang/values.h \
	harness/lang/parse_directive.c \
	harness/lang/parse_step.c \
	harness/lang/parse_expect.c \
	harness/lang/parse_section.c \
	harness/lang/check.c \
	harness/lang/symbols.c harness/lang/symbols.h
