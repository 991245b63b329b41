# harness/lang/local.mk - the case language (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/lang/units.c harness/lang/units.h \
	harness/lang/case.c harness/lang/case.h
