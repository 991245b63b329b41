/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shellword.h - words for the guest's sh(1) to read back exactly: the
 * configuration files its init sources.
 */
#ifndef shellword_h
#define shellword_h

#include <stdio.h>

#include "strlist.h"

/* Write s to f in single quotes ("it's" as 'it'\''s'): sh reads back
 * every byte but NUL as it was. */
void shellword_write(FILE *f, const char *s);

/* Write the list's strings joined by separator as one quoted word. */
void shellword_join(FILE *f, const struct strlist *list, char separator);

#endif /* shellword_h */
