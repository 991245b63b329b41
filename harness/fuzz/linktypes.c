/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linktypes.c - the link types fuzz_trace's first byte chooses from:
 * every one decode_packet() understands (see decode.c, link_kind_of()).
 */
#include <pcap/dlt.h>

#include "decode.h"
#include "fuzz.h"

const int fuzz_trace_linktypes[FUZZ_TRACE_NLINKTYPES] = {
	DLT_EN10MB,
	DLT_LINUX_SLL,
	DLT_LINUX_SLL2,
	DLT_NULL,
	DLT_LOOP,
	DLT_RAW,
	DECODE_LINKTYPE_RAW_FILE,
	DLT_IPV4,
	DLT_IPV6,
	DLT_PPP,
	DLT_PPP_SERIAL,
	DLT_C_HDLC,
	DLT_FRELAY,
	DLT_IEEE802_11_RADIO,
	DLT_PPI,
	DLT_SUNATM,
	DLT_NFLOG,
	DLT_PKTAP,
	DLT_PFLOG,
	DLT_MPLS,
	DLT_JUNIPER_ETHER
};
