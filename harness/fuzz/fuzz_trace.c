/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_trace.c - fuzz target: the packet decoder and the connection
 * tracker on one stream of capture records (framing in fuzz.h).
 *
 * Each record is copied into a buffer of exactly its length, so that a
 * read past the captured bytes is caught by AddressSanitizer instead of
 * landing in the next record.  Records are numbered from 1 and stamped
 * 1 ms apart, as trace.c numbers them; every decoded TCP segment goes
 * to the tracker; at the end every connection is classified.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conntrack.h"
#include "decode.h"
#include "fuzz.h"

#define FUZZ_TRACE_T0_NS	INT64_C(1700000000000000000)
#define FUZZ_TRACE_STEP_NS	INT64_C(1000000)

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		if (*b++ != 0)
			return false;
	return true;
}

static void
check_segment(enum decode_status status, const struct tcp_segment *seg)
{
	FUZZ_CHECK(status >= DECODE_OK && status <= DECODE_UNKNOWN_LINKTYPE);
	FUZZ_CHECK(status != DECODE_UNKNOWN_LINKTYPE);
	if (status != DECODE_OK) {
		/* "seg holds zeros" (ts_ns is checked by the caller) */
		FUZZ_CHECK(seg->family == 0);
		FUZZ_CHECK(all_zero(seg->src_addr, sizeof(seg->src_addr)));
		FUZZ_CHECK(all_zero(seg->dst_addr, sizeof(seg->dst_addr)));
		FUZZ_CHECK(seg->src_port == 0 && seg->dst_port == 0);
		FUZZ_CHECK(seg->seq == 0 && seg->ack == 0);
		FUZZ_CHECK(seg->flags == 0 && seg->window == 0);
		FUZZ_CHECK(seg->payload_len == 0);
		return;
	}
	FUZZ_CHECK(seg->family == AF_INET || seg->family == AF_INET6);
	if (seg->family == AF_INET) {
		FUZZ_CHECK(all_zero(seg->src_addr + 4, 12));
		FUZZ_CHECK(all_zero(seg->dst_addr + 4, 12));
	}
}

static void
check_conn(const struct conn *c, uint64_t last_index, uint64_t *packets)
{
	enum teardown_class tc;
	const struct conn_half *h;
	bool fin, rst;
	int side;

	FUZZ_CHECK(c != NULL);
	FUZZ_CHECK(c->family == AF_INET || c->family == AF_INET6);
	FUZZ_CHECK(c->first_index >= 1 && c->first_index <= last_index);
	FUZZ_CHECK(c->first_ts_ns <= c->last_ts_ns);
	FUZZ_CHECK(c->first_fin_side >= -1 && c->first_fin_side <= 1);
	FUZZ_CHECK(c->first_rst_side >= -1 && c->first_rst_side <= 1);
	fin = rst = false;
	for (side = SIDE_ORIG; side <= SIDE_RESP; side++) {
		h = &c->half[side];
		*packets += h->packets;
		if (h->fin_seen) {
			fin = true;
			FUZZ_CHECK(h->fin_index >= c->first_index &&
			    h->fin_index <= last_index);
		}
		if (h->rst_count > 0) {
			rst = true;
			FUZZ_CHECK(h->first_rst_index >= c->first_index &&
			    h->first_rst_index <= last_index);
			FUZZ_CHECK(h->first_rst_kind == RST_KIND_WITH_ACK ||
			    h->first_rst_kind == RST_KIND_BARE);
		}
		FUZZ_CHECK(h->payload_packets <= h->packets);
		FUZZ_CHECK(h->rst_count <= h->packets);
	}
	FUZZ_CHECK(c->half[SIDE_ORIG].packets + c->half[SIDE_RESP].packets > 0);
	FUZZ_CHECK(fin == (c->first_fin_side != -1));
	FUZZ_CHECK(rst == (c->first_rst_side != -1));

	tc = teardown_classify(c);
	switch (tc) {
	case TEARDOWN_NONE:
		FUZZ_CHECK(!fin && !rst);
		break;
	case TEARDOWN_FIN:
		/* An RST may follow both FINs: it is late and ends nothing. */
		FUZZ_CHECK(c->half[SIDE_ORIG].fin_seen &&
		    c->half[SIDE_RESP].fin_seen && (!rst || conn_rst_is_late(c)));
		break;
	case TEARDOWN_HALF_FIN:
		FUZZ_CHECK(fin && !rst);
		break;
	case TEARDOWN_RST:
		FUZZ_CHECK(rst);
		break;
	case TEARDOWN_FIN_THEN_RST:
		FUZZ_CHECK(fin && rst && !conn_rst_is_late(c));
		break;
	default:
		FUZZ_CHECK(!"teardown_classify() outside its enum");
	}
}

static void
track(const uint8_t *data, size_t size)
{
	struct conn_table *table;
	struct tcp_segment seg;
	enum decode_status status;
	uint64_t index, added, packets;
	uint8_t *frame;
	size_t pos, len, n, i;
	int linktype;

	if (size < 1)
		return;
	linktype = fuzz_trace_linktypes[data[0] % FUZZ_TRACE_NLINKTYPES];
	FUZZ_CHECK(decode_linktype_supported(linktype));
	table = conn_table_new();
	if (table == NULL)
		return;

	index = added = 0;
	for (pos = 1; pos < size; pos += len) {
		len = data[pos];
		if (pos + 1 < size)
			len = len << 8 | data[pos + 1];
		pos += FUZZ_TRACE_RECORD_HEADER;
		if (pos > size)
			pos = size;
		if (len > size - pos)
			len = size - pos;
		/* malloc(0) may return NULL: keep one byte, use none. */
		frame = malloc(len > 0 ? len : 1);
		if (frame == NULL)
			break;
		if (len > 0)
			memcpy(frame, data + pos, len);
		index++;
		memset(&seg, 0xa5, sizeof(seg));
		seg.ts_ns = FUZZ_TRACE_T0_NS + (int64_t)index *
		    FUZZ_TRACE_STEP_NS;
		status = decode_packet(linktype, frame, len, &seg);
		free(frame);
		check_segment(status, &seg);
		/* decode_packet() never touches ts_ns */
		FUZZ_CHECK(seg.ts_ns == FUZZ_TRACE_T0_NS + (int64_t)index *
		    FUZZ_TRACE_STEP_NS);
		if (status != DECODE_OK)
			continue;
		if (conn_table_add(table, &seg, index) == -1)
			break;		/* ENOMEM: not a finding */
		added++;
	}

	n = conn_table_count(table);
	FUZZ_CHECK(n <= added);
	packets = 0;
	for (i = 0; i < n; i++)
		check_conn(conn_table_get(table, i), index, &packets);
	FUZZ_CHECK(conn_table_get(table, n) == NULL);
	FUZZ_CHECK(packets == added);
	conn_table_free(table);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_timed(track, data, size);
}
