/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_fastpath.c - fuzz target: the connection tracker's fast path
 * against its general path (conn_table_add() against
 * conn_table_add_general()) on segments the input describes (records in
 * fastpath.h).  Any difference in any connection, after any segment or
 * when finished, is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fastpath.h"
#include "fuzz.h"

static void
compare_paths(const uint8_t *data, size_t size)
{
	struct fastpath_result result;

	if (fastpath_run(data, size, &result) == -1)
		return;		/* ENOMEM: not a finding */
	if (result.differ)
		fprintf(stderr, "fuzz_fastpath: the paths differ: %s\n",
		    result.why);
	FUZZ_CHECK(!result.differ);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_timed(compare_paths, data, size);
}
