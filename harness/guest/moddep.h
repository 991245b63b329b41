/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * moddep.h - which kernel module files a set of modules needs, and in
 * what order to load them, from the kernel's modules.dep.
 *
 * modules.dep has one line per module, "kernel/net/x.ko: kernel/lib/y.ko
 * ...", listing every module the first one needs, directly or not; the
 * paths are relative to the modules directory.  modules.builtin lists the
 * modules compiled into the kernel: asking for one of those needs nothing.
 * Names compare as the kernel does, '-' and '_' alike.
 */
#ifndef moddep_h
#define moddep_h

#include <stddef.h>

#include "strlist.h"

struct moddep;

enum moddep_found {
	MODDEP_MODULE,		/* a file to load (with its dependencies) */
	MODDEP_BUILTIN,		/* in the kernel already */
	MODDEP_MISSING		/* neither */
};

/* Parse modules.dep (dep_text) and modules.builtin (builtin_text, NULL
 * when there is none).  NULL with err set on a malformed line or when out
 * of memory. */
struct moddep *moddep_parse(const char *dep_text, const char *builtin_text, char *err,
    size_t errlen);
void moddep_free(struct moddep *deps);

/*
 * Append module name (e.g. "sch_netem") and what it needs to order: the
 * module files (paths relative to the modules directory) in an order
 * insmod can load them, dependencies first, each once.  *found says what name is.  0 ok; -1
 * with err set on a dependency cycle, a dependency that has no line of
 * its own, or when out of memory.
 */
int moddep_resolve(const struct moddep *deps, const char *name, struct strlist *order,
    enum moddep_found *found, char *err, size_t errlen);

/* The module name of a path: "kernel/net/sched/sch_netem.ko.xz" gives
 * "sch_netem" (with '-' made '_').  0 ok; -1 when it is not a module file
 * name (no .ko, .ko.xz, .ko.gz or .ko.zst) or does not fit. */
int moddep_name_of(const char *path, char *name, size_t size);

#endif /* moddep_h */
