# SPDX-License-Identifier: BSD-3-Clause
# harness/compare/local.mk - baselines and comparisons (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/compare/json.c harness/compare/json.h \
	harness/compare/signature.c harness/compare/signature.h \
	harness/compare/baseline.c harness/compare/baseline.h
