# SPDX-License-Identifier: BSD-3-Clause
# harness/stack/local.mk - the socket-API table, and lwIP as a second
# stack (included by Makefile.am).  The kernel's table is in the library;
# lwIP, built only with --with-lwip, is a library of its own, compiled
# with lwIP's headers: link it with $(STACK_LWIP_LDADD), before
# harness/libcloseprobe.a.
AM_CPPFLAGS += -I$(top_srcdir)/harness/stack
harness_libcloseprobe_a_SOURCES += harness/stack/sockapi.c harness/stack/sockapi.h

LWIP_TESTS = harness/tests/lwip.sh
TESTS += $(LWIP_TESTS)
EXTRA_DIST += $(LWIP_TESTS) harness/tests/lwip-ns.sh

if HAVE_LWIP
noinst_LIBRARIES += harness/stack/libstacklwip.a
harness_stack_libstacklwip_a_SOURCES = harness/stack/lwip.c harness/stack/lwip.h
harness_stack_libstacklwip_a_CPPFLAGS = $(AM_CPPFLAGS) $(LWIP_CFLAGS)
STACK_LWIP_LDADD = harness/stack/libstacklwip.a $(LWIP_LIBS)
# Runs one lwIP teardown for harness/tests/lwip.sh.
check_PROGRAMS += harness/stack/lwip-try
harness_stack_lwip_try_SOURCES = harness/stack/lwip-try.c
harness_stack_lwip_try_CPPFLAGS = $(AM_CPPFLAGS) $(LWIP_CFLAGS)
harness_stack_lwip_try_LDADD = $(STACK_LWIP_LDADD) harness/libcloseprobe.a $(PCAP_LIBS)
else
STACK_LWIP_LDADD =
EXTRA_DIST += harness/stack/lwip.c harness/stack/lwip.h harness/stack/lwip-try.c
endif

if HAVE_CHECK
check_PROGRAMS += harness/tests/check_stack
TESTS += harness/tests/check_stack
harness_tests_check_stack_SOURCES = harness/tests/check_stack.c $(UNIT_SHARED_SOURCES)
harness_tests_check_stack_CPPFLAGS = $(AM_CPPFLAGS) $(LWIP_CFLAGS)
harness_tests_check_stack_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_stack_LDADD = $(STACK_LWIP_LDADD) $(UNIT_LDADD)
endif

# The stacks built in, for "closeprobe run --stack": the program's own.
harness_closeprobe_SOURCES += harness/stack/stacks.c harness/stack/stacks.h
