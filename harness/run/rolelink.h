/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rolelink.h - how the role processes of a case reach the events and the
 * ledgers: today shared anonymous memory, inherited across fork().  It
 * implements struct role_io (role.h) for the role processes and gives the
 * coordinator its view: the ledgers as last recorded, and the abort.
 */
#ifndef rolelink_h
#define rolelink_h

#include <stddef.h>

#include "case.h"
#include "ledger.h"
#include "role.h"

struct rolelink;

/* Room for nevents events, every ledger initialised.  NULL with errbuf. */
struct rolelink *rolelink_create(size_t nevents, char *errbuf, size_t errbuf_size);
void rolelink_destroy(struct rolelink *link);

/* The role processes' side. */
const struct role_io *rolelink_io(struct rolelink *link);

/* The coordinator's side: role's ledger as the role last recorded it. */
const struct ledger *rolelink_ledger(const struct rolelink *link, enum role_id role);

/* Wake every waiting role and make every wait fail with ECANCELED. */
void rolelink_abort(struct rolelink *link);

#endif /* rolelink_h */
