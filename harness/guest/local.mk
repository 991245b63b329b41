# SPDX-License-Identifier: BSD-3-Clause
# harness/guest/local.mk - running cases inside another kernel under qemu
# (included by Makefile.am).
harness_libcloseprobe_a_SOURCES += \
	harness/guest/sha256.c harness/guest/sha256.h \
	harness/guest/strlist.c harness/guest/strlist.h \
	harness/guest/shellword.c harness/guest/shellword.h \
	harness/guest/hostfile.c harness/guest/hostfile.h \
	harness/guest/child.c harness/guest/child.h \
	harness/guest/cpio.c harness/guest/cpio.h \
	harness/guest/moddep.c harness/guest/moddep.h \
	harness/guest/bzimage.c harness/guest/bzimage.h \
	harness/guest/ldd.c harness/guest/ldd.h \
	harness/guest/image.c harness/guest/image.h \
	harness/guest/archive.c harness/guest/archive.h \
	harness/guest/qemu.c harness/guest/qemu.h \
	harness/guest/accelcache.c harness/guest/accelcache.h \
	harness/guest/guest.c harness/guest/guest.h

# The guest's /init is init.sh, built into the library as a C string.
harness/guest/guest.$(OBJEXT): harness/guest/init-script.h
harness/guest/init-script.h: $(srcdir)/harness/guest/init.sh
	$(AM_V_GEN)$(MKDIR_P) harness/guest && { \
	  echo '/* Made from init.sh by harness/guest/local.mk: edit that. */'; \
	  echo 'static const char guest_init_script[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$$/\\n"/' \
	    $(srcdir)/harness/guest/init.sh; \
	  echo ';'; } >$@-t && mv -f $@-t $@
CLEANFILES += harness/guest/init-script.h
EXTRA_DIST += harness/guest/init.sh

# A driver for the module until the command line has "run --kernel".
check_PROGRAMS += harness/guest/guest-try
harness_guest_guest_try_SOURCES = harness/guest/guest-try.c
harness_guest_guest_try_LDADD = harness/libcloseprobe.a $(PCAP_LIBS)

# In TESTS first (Makefile.am).
GUEST_SHELL_TESTS = harness/tests/guest.sh
EXTRA_DIST += $(GUEST_SHELL_TESTS)

if HAVE_CHECK
check_PROGRAMS += harness/tests/check_guest
TESTS += harness/tests/check_guest
harness_tests_check_guest_SOURCES = harness/tests/check_guest.c $(UNIT_SHARED_SOURCES)
harness_tests_check_guest_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_guest_LDADD = $(UNIT_LDADD)
check_PROGRAMS += harness/tests/check_accelcache
TESTS += harness/tests/check_accelcache
harness_tests_check_accelcache_SOURCES = harness/tests/check_accelcache.c $(UNIT_SHARED_SOURCES)
harness_tests_check_accelcache_CFLAGS = $(UNIT_CFLAGS)
harness_tests_check_accelcache_LDADD = $(UNIT_LDADD)
endif
