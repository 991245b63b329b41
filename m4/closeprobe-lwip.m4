# SPDX-License-Identifier: BSD-3-Clause
# closeprobe-lwip.m4 - CLOSEPROBE_LWIP: --with-lwip, lwIP as a second stack.
#
# lwIP, a userspace TCP/IP stack, as Debian's liblwip-dev ships it (2.1.3,
# the Unix port with its TAP driver, lwIP's headers under /usr/include/lwip,
# -llwip): found with pkg-config (lwip.pc), else at that path.  Used only
# when its options fit what harness/stack/lwip.c needs: the system's own
# socket headers (lwIP's constants are the kernel's), LWIP_SO_LINGER,
# LWIP_SO_RCVBUF (FIONREAD), core locking, poll(), no compat macros.
#
# --with-lwip=check (the default) uses it when it fits, --with-lwip=yes
# fails when it does not, --with-lwip=no never uses it.
# Output: LWIP_CFLAGS, LWIP_LIBS; the conditional HAVE_LWIP; HAVE_LWIP in
# config.h.
AC_DEFUN([CLOSEPROBE_LWIP], [
AC_ARG_WITH([lwip],
    [AS_HELP_STRING([--with-lwip], [run roles through lwIP too: liblwip-dev (default: when found)])],
    [], [with_lwip=check])
have_lwip=no
AS_IF([test "x$with_lwip" != xno], [
    PKG_CHECK_MODULES([LWIP], [lwip >= 2.1], [], [
        LWIP_CFLAGS="-I/usr/include/lwip"
        LWIP_LIBS="-llwip"])
    save_CPPFLAGS=$CPPFLAGS
    save_LIBS=$LIBS
    CPPFLAGS="$CPPFLAGS $LWIP_CFLAGS"
    LIBS="$LWIP_LIBS $LIBS"
    AC_MSG_CHECKING([whether lwIP's sockets, TAP driver and options fit])
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <sys/socket.h>
#include <poll.h>
#include "lwip/opt.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "netif/tapif.h"
#if !LWIP_SOCKET_EXTERNAL_HEADERS
#error "lwIP's own socket headers: its constants are not the kernel's"
#endif
#if !LWIP_SO_LINGER || !LWIP_SO_RCVBUF || !LWIP_TCPIP_CORE_LOCKING || !LWIP_SOCKET_POLL
#error "lwIP without SO_LINGER, SO_RCVBUF, core locking or poll()"
#endif
#if LWIP_COMPAT_SOCKETS
#error "lwIP's compat macros would rename the kernel's socket calls"
#endif
]], [[
struct netif n;
struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };
tcpip_init(NULL, NULL);
(void)netif_add(&n, NULL, NULL, NULL, NULL, tapif_init, tcpip_input);
(void)lwip_socket(AF_INET, SOCK_STREAM, 0);
(void)lwip_poll(&p, 1, 0);
(void)lwip_socket_dbg_get_socket(0);
]])], [have_lwip=yes], [have_lwip=no])
    AC_MSG_RESULT([$have_lwip])
    CPPFLAGS=$save_CPPFLAGS
    LIBS=$save_LIBS
    AS_IF([test "x$have_lwip" = xno && test "x$with_lwip" = xyes],
        [AC_MSG_ERROR([--with-lwip: no usable lwIP (Debian: apt-get install liblwip-dev; see config.log)])])])
AS_IF([test "x$have_lwip" = xyes],
    [AC_DEFINE([HAVE_LWIP], [1], [Define to 1 to build lwIP as a second stack.])],
    [LWIP_CFLAGS=
     LWIP_LIBS=])
AC_SUBST([LWIP_CFLAGS])
AC_SUBST([LWIP_LIBS])
AM_CONDITIONAL([HAVE_LWIP], [test "x$have_lwip" = xyes])
])
