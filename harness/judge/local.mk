# SPDX-License-Identifier: BSD-3-Clause
# harness/judge/local.mk - judging and reporting (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/judge/strbuf.c harness/judge/strbuf.h \
	harness/judge/cause.c harness/judge/cause.h \
	harness/judge/verdict.c harness/judge/verdict.h \
	harness/judge/report.c harness/judge/report.h
