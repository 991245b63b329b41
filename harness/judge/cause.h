/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cause.h - why the connection was reset, from what the applications did
 * (the ledgers, step by step) and what the wire shows, together: the
 * process and the call that made its end send the first RST, what it
 * left unread, whose send came too late, and a reset that a so_error
 * step consumed before a read loop could see it.
 *
 * Nothing is guessed from the case file alone: every cause names a call
 * the ledgers show was made, and the RST the wire shows it made.
 */
#ifndef cause_h
#define cause_h

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "conntrack.h"
#include "kcounters.h"
#include "ledger.h"
#include "strbuf.h"

enum cause_kind {
	CAUSE_NONE,		/* no RST, or none that the ledgers explain */
	CAUSE_CLOSED_UNREAD,	/* RST+ACK: the end's last descriptor went with data unread */
	CAUSE_LINGER_ZERO,	/* RST+ACK: that close had SO_LINGER {1, 0} */
	CAUSE_SENT_AFTER_CLOSE,	/* bare RST: the peer sent after the socket was released */
	CAUSE_SENT_AFTER_SHUT_RD,	/* bare RST: the peer sent after shutdown(SHUT_RD/RDWR) */
	CAUSE_DATA_AFTER_CLOSE	/* bare RST after the release; no late send in the ledgers */
};

struct cause {
	enum cause_kind kind;
	enum role_id end;	/* the end that sent the first RST */
	enum role_id process;	/* the role whose call made it */
	int step;		/* that call's step index; -1: the process's end */
	uint64_t unread;	/* CLOSED_UNREAD: bytes unread just before */
	bool sender_known;	/* SENT_AFTER_*: */
	enum role_id sender;	/* whose send came after that call */
	int send_step;		/* its step index */
	uint64_t sent;		/* what that send accepted */
	bool abort_on_data;	/* the kernel counted TCPAbortOnData */

	/* A so_error step read the pending error, so a later read ended EOF. */
	bool hidden;
	enum role_id hider;
	int so_error_step;
	int so_error;
	int read_step;
};

/*
 * The cause of conn's first RST, from cf's steps and ledgers (NULL for a
 * role that did not run); c->kind is CAUSE_NONE when there is none.
 */
void cause_find(const struct case_file *cf,
    const struct ledger *const ledgers[ROLE_COUNT], const struct conn *conn,
    const struct kcounters *counters, struct cause *c);

/* The cause as sentences ("server's close() (line 12) released ..."),
 * appended to out; nothing when there is none.  false: nothing added. */
bool cause_append_text(struct strbuf *out, const struct case_file *cf,
    const struct cause *c);

#endif /* cause_h */
