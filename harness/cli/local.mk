# SPDX-License-Identifier: BSD-3-Clause
# harness/cli/local.mk - the command line (included by Makefile.am).
harness_closeprobe_SOURCES += harness/cli/main.c
harness_closeprobe_SOURCES += \
	harness/cli/cli.c harness/cli/cli.h \
	harness/cli/caselist.c harness/cli/caselist.h \
	harness/cli/cmd_run.c harness/cli/cmd_run.h \
	harness/cli/cmd_list.c harness/cli/cmd_list.h \
	harness/cli/cmd_peer.c harness/cli/cmd_peer.h \
	harness/cli/cmd_compare.c harness/cli/cmd_compare.h \
	harness/cli/cmd_draw.c harness/cli/cmd_draw.h \
	harness/cli/run_guest.c harness/cli/run_guest.h \
	harness/cli/cmd_analyze.c harness/cli/cmd_analyze.h \
	harness/cli/runpool.c harness/cli/runpool.h \
	harness/cli/runrecord.c harness/cli/runrecord.h \
	harness/cli/tally.c harness/cli/tally.h \
	harness/cli/display.c harness/cli/display.h \
	harness/cli/progress.c harness/cli/progress.h \
	harness/cli/procnet.c harness/cli/procnet.h \
	harness/cli/jsonout.c harness/cli/jsonout.h \
	harness/cli/rundoc.c harness/cli/rundoc.h \
	harness/cli/tap.c harness/cli/tap.h \
	harness/cli/junit.c harness/cli/junit.h
# run and list read the installed cases when given none (and no ./cases).
harness_closeprobe_CPPFLAGS = $(AM_CPPFLAGS) -DCASESDIR='"$(casesdir)"'
