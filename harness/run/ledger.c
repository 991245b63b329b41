/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ledger.c - recording and describing what a role's application did.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "ledger.h"
#include "units.h"

void
ledger_init(struct ledger *ledger)
{
	memset(ledger, 0, sizeof(*ledger));
	ledger->state = ROLE_STATE_STARTING;
	ledger->step = -1;
	ledger->released_by = -1;
}

void
ledger_record_send(struct ledger *ledger, long result, int error)
{
	int kind = result < 0 ? error : 0;
	struct send_run *run;

	ledger->send_calls++;
	if (result > 0)
		ledger->bytes_sent += (uint64_t)result;
	if (ledger->nsends > 0 && ledger->sends[ledger->nsends - 1].error == kind)
		run = &ledger->sends[ledger->nsends - 1];
	else if (ledger->nsends < LEDGER_SEND_RUNS) {
		run = &ledger->sends[ledger->nsends++];
		run->error = kind;
	} else {
		/* Keep counting in the last run rather than lose calls. */
		ledger->sends_overflow = true;
		run = &ledger->sends[ledger->nsends - 1];
	}
	run->calls++;
	if (result > 0)
		run->bytes += (uint64_t)result;
}

void
ledger_format_sends(const struct ledger *ledger, char *buf, size_t size)
{
	size_t used = 0;
	size_t i;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < ledger->nsends && used < size; i++) {
		const struct send_run *run = &ledger->sends[i];
		char count[32], bytes[32];
		int n;

		if (run->error == 0)
			n = snprintf(buf + used, size - used, "%s%s call%s accepted %s B",
			    i > 0 ? ", then " : "",
			    units_format_count(run->calls, count, sizeof(count)),
			    run->calls == 1 ? "" : "s",
			    units_format_count(run->bytes, bytes, sizeof(bytes)));
		else if (run->calls == 1)
			n = snprintf(buf + used, size - used, "%s%s",
			    i > 0 ? ", then " : "", case_errno_to_name(run->error));
		else
			n = snprintf(buf + used, size - used, "%s%s x%s",
			    i > 0 ? ", then " : "", case_errno_to_name(run->error),
			    units_format_count(run->calls, count, sizeof(count)));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (ledger->sends_overflow && used < size)
		snprintf(buf + used, size - used, " (more kinds of result than recorded)");
}

const struct step_record *
ledger_record(const struct ledger *ledger, size_t index)
{
	return index < LEDGER_STEPS ? &ledger->records[index] : NULL;
}

void
ledger_format_read_result(const struct read_result *r, char *buf, size_t size)
{
	char count[32];

	switch (r->kind) {
	case READ_RESULT_NONE:
		snprintf(buf, size, "-");
		break;
	case READ_RESULT_DATA:
		snprintf(buf, size, "%s B", units_format_count(r->bytes, count, sizeof(count)));
		break;
	case READ_RESULT_EOF:
		snprintf(buf, size, "EOF");
		break;
	case READ_RESULT_ERROR:
		snprintf(buf, size, "%s", case_errno_to_name(r->error));
		break;
	case READ_RESULT_WOULD_BLOCK:
		snprintf(buf, size, "EAGAIN");
		break;
	case READ_RESULT_TIMEOUT:
		snprintf(buf, size, "TIMEOUT");
		break;
	}
}
