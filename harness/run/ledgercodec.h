/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ledgercodec.h - a role's ledger (ledger.h) as one line of JSON, and
 * back: how a peer's ledger crosses to the coordinator.
 *
 * Every field of struct ledger and struct step_record is written, by
 * name; reading accepts exactly those names (every one present, no
 * other), each value checked for its type and range, so a ledger from
 * another host is either whole and plausible or refused with the reason.
 * Step records past the last one that holds anything are left out and
 * read back as ledger_init() leaves them.  The error text keeps ASCII:
 * other bytes are written as '?'.
 */
#ifndef ledgercodec_h
#define ledgercodec_h

#include <stddef.h>

#include "ledger.h"
#include "strbuf.h"

/* Append l as one JSON object, no newline. */
void ledger_to_json(struct strbuf *out, const struct ledger *l);

/* Parse text[0..len) into *l.  0, or -1 with err. */
int ledger_from_json(const char *text, size_t len, struct ledger *l, char *err,
    size_t errlen);

#endif /* ledgercodec_h */
