# SPDX-License-Identifier: BSD-3-Clause
# harness/run/local.mk - running a case (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/run/platform.c harness/run/platform.h \
	harness/run/monotime.c harness/run/monotime.h \
	harness/run/phases.c harness/run/phases.h \
	harness/run/interrupt.c harness/run/interrupt.h \
	harness/run/pattern.c harness/run/pattern.h \
	harness/run/ledger.c harness/run/ledger.h \
	harness/run/events.c harness/run/events.h \
	harness/run/rolelink.c harness/run/rolelink.h \
	harness/run/peerproto.c harness/run/peerproto.h \
	harness/run/ledgercodec.c harness/run/ledgercodec.h \
	harness/run/peerlink.c harness/run/peerlink.h \
	harness/run/remote.c harness/run/remote.h \
	harness/run/role.c harness/run/role.h \
	harness/run/netns.c harness/run/netns.h \
	harness/run/capture.c harness/run/capture.h \
	harness/run/kcounters.c harness/run/kcounters.h \
	harness/run/topology.c harness/run/topology.h \
	harness/run/evidence.c harness/run/evidence.h \
	harness/run/supervise.c harness/run/supervise.h \
	harness/run/runner.c harness/run/runner.h

# The paths a case builds, built for real (skipped without namespaces).
if HAVE_CHECK
check_PROGRAMS += harness/tests/check_topology
TESTS += harness/tests/check_topology
harness_tests_check_topology_SOURCES = harness/tests/check_topology.c $(UNIT_SHARED_SOURCES)
harness_tests_check_topology_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_topology_LDADD = $(UNIT_LDADD)
endif

# The peer protocol's lines and the ledger's JSON, hostile input included.
if HAVE_CHECK
check_PROGRAMS += harness/tests/check_peerproto
TESTS += harness/tests/check_peerproto
harness_tests_check_peerproto_SOURCES = harness/tests/check_peerproto.c $(UNIT_SHARED_SOURCES)
harness_tests_check_peerproto_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_peerproto_LDADD = $(UNIT_LDADD)
endif
