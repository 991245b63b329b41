/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ldd.h - the shared libraries a host program loads, as ldd(1) lists them,
 * so that the guest can run the host's own binaries.
 */
#ifndef ldd_h
#define ldd_h

#include <stddef.h>

#include "strlist.h"

#define LDD_TIMEOUT_MS 10000

/*
 * Parse what ldd printed for binary: append to libs (unique) every path
 * it names, the dynamic loader's too; none for a static program ("not a
 * dynamic executable").  0 ok; -1 with err set when a library is "not
 * found" or when out of memory.
 */
int ldd_parse(const char *output, const char *binary, struct strlist *libs, char *err,
    size_t errlen);

/* Run "ldd binary" and parse its output into libs.  0 ok; -1 with err. */
int ldd_libraries(const char *binary, struct strlist *libs, char *err, size_t errlen);

#endif /* ldd_h */
