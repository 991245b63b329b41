# harness/cli/local.mk - the command line (included by Makefile.am).
harness_closeprobe_SOURCES += harness/cli/main.c
harness_closeprobe_SOURCES += harness/cli/cmd_analyze.c harness/cli/cmd_analyze.h
