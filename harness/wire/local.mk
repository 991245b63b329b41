# SPDX-License-Identifier: BSD-3-Clause
# harness/wire/local.mk - reading the wire (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/wire/decode.c harness/wire/decode.h \
	harness/wire/decode_layer.h harness/wire/decode_link.c \
	harness/wire/decode_tunnel.c \
	harness/wire/conntable.c harness/wire/conntrack.h \
	harness/wire/arena.c harness/wire/arena.h \
	harness/wire/stream.c harness/wire/stream.h \
	harness/wire/zeek.c harness/wire/zeek.h \
	harness/wire/teardown.c harness/wire/teardown.h \
	harness/wire/trace.c harness/wire/trace.h \
	harness/wire/analyze.c harness/wire/analyze.h \
	harness/wire/fastfmt.c harness/wire/fastfmt.h
