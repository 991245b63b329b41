# harness/wire/local.mk - reading the wire (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/wire/decode.c harness/wire/decode.h \
	harness/wire/conntrack.c harness/wire/conntrack.h \
	harness/wire/trace.c harness/wire/trace.h \
	harness/wire/analyze.c harness/wire/analyze.h
