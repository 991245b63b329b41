# harness/cli/local.mk - the command line (included by Makefile.am).
harness_closeprobe_SOURCES += harness/cli/main.c
harness_closeprobe_SOURCES += \
	harness/cli/cli.c harness/cli/cli.h \
	harness/cli/caselist.c harness/cli/caselist.h \
	harness/cli/cmd_run.c harness/cli/cmd_run.h \
	harness/cli/cmd_list.c harness/cli/cmd_list.h \
	harness/cli/cmd_compare.c harness/cli/cmd_compare.h \
	harness/cli/cmd_draw.c harness/cli/cmd_draw.h \
	harness/cli/run_guest.c harness/cli/run_guest.h \
	harness/cli/cmd_analyze.c harness/cli/cmd_analyze.h
