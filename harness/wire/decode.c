/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode.c - link layer -> (encapsulations, tunnels) -> IPv4/IPv6 -> TCP,
 * bounds-checked at every step (see decode_layer.h).
 *
 * decode_link.c finds where a link type's network layer starts, this
 * file peels what Ethernet, PPP, LLC, Frame Relay, 802.11 and MPLS carry
 * and the IP layers, decode_tunnel.c the tunnels.  Every step consumes
 * bytes of the frame or enters a tunnel, and tunnels are bounded
 * (DECODE_MAX_TUNNELS), so a frame ends after a number of steps its
 * length bounds.
 */
#include "decode_layer.h"

#include <string.h>

#include <pcap/dlt.h>

enum ipv4_fragment_bits {
	IPV4_MORE_FRAGMENTS = 0x2000,
	IPV4_OFFSET_MASK = 0x1fff
};

enum ipv6_fragment_bits {
	IPV6_OFFSET_MASK = 0xfff8,
	IPV6_MORE_FRAGMENTS = 0x0001
};

enum ipv6_option {
	IPV6_OPTION_PAD1 = 0,
	IPV6_OPTION_JUMBO = 0xc2,
	IPV6_JUMBO_LEN = 4
};

static enum decode_status
decode_ethernet(struct frame *f, struct layer_step *n)
{
	size_t at = n->offset;

	if (!captured(f, at, ETHERNET_HEADER_LEN))
		return DECODE_TRUNCATED;
	step_value(n, LAYER_ETHERTYPE, at + ETHERNET_HEADER_LEN,
	    get_be16(f->data + at + ETHERNET_TYPE_OFFSET));
	return DECODE_OK;
}

static enum decode_status
decode_ethertype(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data + n->offset;
	size_t at = n->offset;

	switch (n->value) {
	case ETHERTYPE_IPV4:
		step_to(n, LAYER_IPV4, at);
		return DECODE_OK;
	case ETHERTYPE_IPV6:
		step_to(n, LAYER_IPV6, at);
		return DECODE_OK;
	case ETHERTYPE_8021Q:
	case ETHERTYPE_8021AD:
	case ETHERTYPE_QINQ_OLD:
		/* A tag is 2 bytes of TCI, then the inner ethertype. */
		if (!captured(f, at, VLAN_TAG_LEN))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, at + VLAN_TAG_LEN,
		    get_be16(p + 2));
		return DECODE_OK;
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MULTICAST:
		step_to(n, LAYER_MPLS, at);
		return DECODE_OK;
	case ETHERTYPE_PPPOE_SESSION:
		step_to(n, LAYER_PPPOE, at);
		return DECODE_OK;
	case ETHERTYPE_PBB:
		/* The I-TAG, then the customer's addresses and ethertype. */
		if (!captured(f, at, PBB_ITAG_LEN + ETHERNET_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, at + PBB_ITAG_LEN +
		    ETHERNET_HEADER_LEN, get_be16(p + PBB_ITAG_LEN +
		    ETHERNET_TYPE_OFFSET));
		return DECODE_OK;
	case ETHERTYPE_FABRICPATH:
		/* As Zeek: the inner Ethernet header follows FTag and TTL. */
		step_to(n, LAYER_ETHERNET, at + FABRICPATH_EXTRA_LEN);
		return DECODE_OK;
	case ETHERTYPE_VNTAG:
		if (!captured(f, at, VNTAG_LEN + 2))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, at + VNTAG_LEN + 2,
		    get_be16(p + VNTAG_LEN));
		return DECODE_OK;
	case ETHERTYPE_TEB:
		step_to(n, LAYER_ETHERNET, at);
		return DECODE_OK;
	case ETHERTYPE_PPP:
		step_to(n, LAYER_PPP, at);
		return DECODE_OK;
	default:
		/* Below 0x0600 an 802.3 length: an LLC header follows. */
		step_to(n, n->value < ETHERTYPE_MIN ? LAYER_LLC : LAYER_NOT_IP,
		    at);
		return DECODE_OK;
	}
}

static enum decode_status
decode_llc(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data + n->offset;
	size_t at = n->offset;

	if (!captured(f, at, 3))
		return DECODE_TRUNCATED;
	if (p[0] == LLC_SNAP_SAP && p[1] == LLC_SNAP_SAP && p[2] == LLC_UI) {
		if (!captured(f, at, 8))
			return DECODE_TRUNCATED;
		/* OUI 00-00-00 (RFC 1042) or 00-00-f8 (802.1H): ethertypes */
		if (p[3] == 0 && p[4] == 0 && (p[5] == 0 || p[5] == 0xf8))
			step_value(n, LAYER_ETHERTYPE, at + 8, get_be16(p + 6));
		else
			step_to(n, LAYER_NOT_IP, at + 8);
	} else if (p[0] == LLC_IP_SAP && p[1] == LLC_IP_SAP && p[2] == LLC_UI)
		step_to(n, LAYER_IPV4, at + 3);
	else if (p[0] == LLC_ISO_SAP && p[1] == LLC_ISO_SAP &&
	    p[2] == LLC_UI) {
		if (!captured(f, at, 4))
			return DECODE_TRUNCATED;
		step_to(n, p[3] == NLPID_IPV4 ? LAYER_IPV4 :
		    p[3] == NLPID_IPV6 ? LAYER_IPV6 : LAYER_NOT_IP, at + 4);
	} else
		step_to(n, LAYER_NOT_IP, at);
	return DECODE_OK;
}

static enum decode_status
decode_ppp(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data;
	size_t at = n->offset;

	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	if (p[at] == PPP_ADDRESS) {		/* HDLC framing */
		if (!captured(f, at, 2))
			return DECODE_TRUNCATED;
		if (p[at + 1] != PPP_CONTROL) {
			step_to(n, LAYER_NOT_IP, at);
			return DECODE_OK;
		}
		at += 2;
	}
	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	if (p[at] & 1)			/* a compressed, 1-byte protocol */
		step_value(n, LAYER_PPP_PROTOCOL, at + 1, p[at]);
	else {
		if (!captured(f, at, 2))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_PPP_PROTOCOL, at + 2, get_be16(p + at));
	}
	return DECODE_OK;
}

static enum layer
layer_of_ppp_protocol(uint32_t protocol)
{
	switch (protocol) {
	case PPP_IPV4:
		return LAYER_IPV4;
	case PPP_IPV6:
		return LAYER_IPV6;
	case PPP_MPLS_UNICAST:
	case PPP_MPLS_MULTICAST:
		return LAYER_MPLS;
	default:
		return LAYER_NOT_IP;	/* LCP, VJ-compressed TCP, ... */
	}
}

static enum decode_status
decode_pppoe(struct frame *f, struct layer_step *n)
{
	size_t at = n->offset;

	if (!captured(f, at, PPPOE_HEADER_LEN + 2))
		return DECODE_TRUNCATED;
	step_value(n, LAYER_PPP_PROTOCOL, at + PPPOE_HEADER_LEN + 2,
	    get_be16(f->data + at + PPPOE_HEADER_LEN));
	return DECODE_OK;
}

static enum decode_status
decode_chdlc(struct frame *f, struct layer_step *n)
{
	size_t at = n->offset;
	uint16_t type;

	if (!captured(f, at, CHDLC_HEADER_LEN))
		return DECODE_TRUNCATED;
	type = get_be16(f->data + at + 2);
	/* Its protocol field is always an ethertype, never a length. */
	step_value(n, type < ETHERTYPE_MIN ? LAYER_NOT_IP : LAYER_ETHERTYPE,
	    at + CHDLC_HEADER_LEN, type);
	return DECODE_OK;
}

/* Q.922 address, then RFC 2427 (UI, NLPID) or Cisco's ethertype. */
static enum decode_status
decode_frame_relay(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data;
	size_t at = n->offset, len = 0;
	uint8_t b;

	/* 2 to 4 address bytes; the last has its EA bit set. */
	do {
		if (!captured(f, at + len, 1))
			return DECODE_TRUNCATED;
		b = p[at + len++];
	} while (!(b & 1) && len < 4);
	if (!(b & 1) || len < 2)
		return DECODE_BAD_HEADER;
	at += len;
	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	if (p[at] != LLC_UI) {
		if (!captured(f, at, 2))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, at + 2, get_be16(p + at));
		return DECODE_OK;
	}
	at++;
	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	if (p[at] == NLPID_PAD) {
		at++;
		if (!captured(f, at, 1))
			return DECODE_TRUNCATED;
	}
	switch (p[at]) {
	case NLPID_IPV4:
		step_to(n, LAYER_IPV4, at + 1);
		break;
	case NLPID_IPV6:
		step_to(n, LAYER_IPV6, at + 1);
		break;
	case NLPID_SNAP:		/* OUI, then a PID: an ethertype */
		if (!captured(f, at + 1, 5))
			return DECODE_TRUNCATED;
		if (p[at + 1] == 0 && p[at + 2] == 0 && p[at + 3] == 0)
			step_value(n, LAYER_ETHERTYPE, at + 6,
			    get_be16(p + at + 4));
		else
			step_to(n, LAYER_NOT_IP, at + 6);
		break;
	default:
		step_to(n, LAYER_NOT_IP, at + 1);
	}
	return DECODE_OK;
}

/* An 802.11 MAC header; n->value: the body is padded to 4 bytes. */
static enum decode_status
decode_ieee80211(struct frame *f, struct layer_step *n)
{
	enum {
		TYPE_DATA = 2,
		SUBTYPE_NO_DATA = 0x4,
		SUBTYPE_QOS = 0x8,
		FLAGS_DS_MASK = 0x03,		/* both: four addresses */
		FLAGS_PROTECTED = 0x40,
		FLAGS_ORDER = 0x80,		/* with QoS: HT control */
		QOS_AMSDU = 0x80
	};
	const uint8_t *p = f->data + n->offset;
	size_t at = n->offset, len, qos_at = 0;
	unsigned subtype;

	if (!captured(f, at, 2))
		return DECODE_TRUNCATED;
	subtype = p[0] >> 4;
	/* Management, control, null data and encrypted frames: no IP. */
	if (((p[0] >> 2) & 3) != TYPE_DATA || (subtype & SUBTYPE_NO_DATA) ||
	    (p[1] & FLAGS_PROTECTED)) {
		step_to(n, LAYER_NOT_IP, at);
		return DECODE_OK;
	}
	len = IEEE80211_HEADER_LEN;
	if ((p[1] & FLAGS_DS_MASK) == FLAGS_DS_MASK)
		len += IEEE80211_ADDR4_LEN;
	if (subtype & SUBTYPE_QOS) {
		qos_at = len;
		len += IEEE80211_QOS_LEN;
		if (p[1] & FLAGS_ORDER)
			len += IEEE80211_HT_CONTROL_LEN;
	}
	if (!captured(f, at, len))
		return DECODE_TRUNCATED;
	/* An A-MSDU holds subframes, each with its own header: not read. */
	if (qos_at != 0 && (p[qos_at] & QOS_AMSDU)) {
		step_to(n, LAYER_NOT_IP, at + len);
		return DECODE_OK;
	}
	if (n->value)
		len = (len + 3) & ~(size_t)3;
	step_to(n, LAYER_LLC, at + len);
	return DECODE_OK;
}

static enum decode_status
decode_mpls(struct frame *f, struct layer_step *n)
{
	size_t at = n->offset;
	bool bottom;

	do {
		if (!captured(f, at, MPLS_LABEL_LEN))
			return DECODE_TRUNCATED;
		bottom = (f->data[at + 2] & 0x01) != 0;
		at += MPLS_LABEL_LEN;
	} while (!bottom);
	/* As Zeek: IP follows the bottom label, by its version. */
	step_to(n, LAYER_IP, at);
	return DECODE_OK;
}

static enum decode_status
decode_ip_by_version(struct frame *f, struct layer_step *n)
{
	unsigned version;

	if (!captured(f, n->offset, 1))
		return DECODE_TRUNCATED;
	version = f->data[n->offset] >> 4;
	step_to(n, version == 4 ? LAYER_IPV4 : version == 6 ? LAYER_IPV6 :
	    LAYER_NOT_IP, n->offset);
	return DECODE_OK;
}

/* p/avail: the TCP header onwards; ip_payload_len: what IP says it holds. */
static enum decode_status
decode_tcp(const uint8_t *p, size_t avail, size_t ip_payload_len,
    struct tcp_segment *seg)
{
	size_t header_len;

	/* The IP length alone can prove the header cannot fit. */
	if (ip_payload_len < TCP_MIN_HEADER_LEN)
		return DECODE_BAD_HEADER;
	if (avail < TCP_MIN_HEADER_LEN)
		return DECODE_TRUNCATED;
	header_len = (size_t)(p[12] >> 4) * 4;
	if (header_len < TCP_MIN_HEADER_LEN || header_len > ip_payload_len)
		return DECODE_BAD_HEADER;
	/* No option is used, so options cut by the capture do not matter. */
	if (ip_payload_len - header_len > UINT32_MAX)
		return DECODE_BAD_HEADER;

	seg->src_port = get_be16(p);
	seg->dst_port = get_be16(p + 2);
	seg->seq = get_be32(p + 4);
	seg->ack = get_be32(p + 8);
	seg->flags = p[13];
	seg->window = get_be16(p + 14);
	seg->payload_len = (uint32_t)(ip_payload_len - header_len);
	return DECODE_OK;
}

/* What an IP header's protocol says follows, at offset at. */
static enum decode_status
decode_ip_payload(struct frame *f, struct layer_step *n, uint8_t protocol,
    size_t at)
{
	switch (protocol) {
	case IP_PROTO_IPIP:
		return decode_enter_tunnel(f, n, LAYER_IPV4, at);
	case IP_PROTO_IPV6:
		return decode_enter_tunnel(f, n, LAYER_IPV6, at);
	case IP_PROTO_GRE:
		return decode_enter_tunnel(f, n, LAYER_GRE, at);
	case IP_PROTO_UDP:
		return decode_udp_tunnel(f, n, at);
	default:
		return DECODE_NOT_TCP;
	}
}

static bool
ip_protocol_may_hold_tcp(uint8_t protocol)
{
	switch (protocol) {
	case IP_PROTO_TCP:
	case IP_PROTO_IPIP:
	case IP_PROTO_IPV6:
	case IP_PROTO_GRE:
	case IP_PROTO_UDP:
		return true;
	default:
		return false;
	}
}

static enum decode_status
decode_ipv4(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data + n->offset;
	size_t at = n->offset, avail, header_len, total_len;
	uint16_t fragment;
	struct tcp_segment *seg = f->seg;

	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	avail = f->caplen - at;
	if ((p[0] >> 4) != 4)
		return DECODE_BAD_HEADER;
	if (avail < IPV4_MIN_HEADER_LEN)
		return DECODE_TRUNCATED;
	header_len = (size_t)(p[0] & 0x0f) * 4;
	total_len = get_be16(p + 2);
	if (total_len == 0 && f->ip_end >= at + header_len) {
		/* TSO as captured: the length is the frame's, as in Zeek. */
		total_len = f->ip_end - at;
		f->notes |= DECODE_NOTE_IP_LENGTH_ZERO;
	}
	if (header_len < IPV4_MIN_HEADER_LEN || total_len < header_len)
		return DECODE_BAD_HEADER;
	if (!ip_protocol_may_hold_tcp(p[9]))
		return DECODE_NOT_TCP;
	/*
	 * A first fragment has a TCP header but a payload length that
	 * covers only part of the segment, so no fragment is usable.
	 */
	fragment = get_be16(p + 6);
	if ((fragment & (IPV4_MORE_FRAGMENTS | IPV4_OFFSET_MASK)) != 0)
		return p[9] == IP_PROTO_TCP ? DECODE_FRAGMENT : DECODE_NOT_TCP;
	/* Options are needed only to find what follows. */
	if (avail < header_len)
		return DECODE_TRUNCATED;
	f->ip_end = at + total_len;
	f->ip_seen = true;
	if (p[9] != IP_PROTO_TCP)
		return decode_ip_payload(f, n, p[9], at + header_len);

	seg->family = AF_INET;
	memcpy(seg->src_addr, p + 12, 4);
	memset(seg->src_addr + 4, 0, sizeof(seg->src_addr) - 4);
	memcpy(seg->dst_addr, p + 16, 4);
	memset(seg->dst_addr + 4, 0, sizeof(seg->dst_addr) - 4);
	step_to(n, LAYER_TCP_DONE, at + header_len);
	return decode_tcp(p + header_len, avail - header_len,
	    total_len - header_len, seg);
}

static bool
ipv6_is_extension_header(uint8_t next_header)
{
	switch (next_header) {
	case IP_PROTO_HOPOPTS:
	case IP_PROTO_ROUTING:
	case IP_PROTO_FRAGMENT:
	case IP_PROTO_AH:
	case IP_PROTO_DSTOPTS:
		return true;
	default:
		return false;
	}
}

/*
 * The jumbo payload option (RFC 2675) in the hop-by-hop header at p
 * (len bytes, all captured): its value, or 0 if there is none.
 */
static uint32_t
ipv6_jumbo_length(const uint8_t *p, size_t len)
{
	size_t i = 2;

	while (i < len) {
		if (p[i] == IPV6_OPTION_PAD1) {
			i++;
			continue;
		}
		if (len - i < 2 || len - i - 2 < p[i + 1])
			return 0;
		if (p[i] == IPV6_OPTION_JUMBO && p[i + 1] == IPV6_JUMBO_LEN)
			return get_be32(p + i + 2);
		i += 2 + (size_t)p[i + 1];
	}
	return 0;
}

static enum decode_status
decode_ipv6(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data + n->offset;
	size_t at = n->offset, avail, offset, remaining, header_len;
	uint8_t next_header;
	uint16_t fragment;
	bool length_zero;
	struct tcp_segment *seg = f->seg;

	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	avail = f->caplen - at;
	if ((p[0] >> 4) != 6)
		return DECODE_BAD_HEADER;
	if (avail < IPV6_HEADER_LEN)
		return DECODE_TRUNCATED;
	remaining = get_be16(p + 4);	/* extension headers + upper layer */
	next_header = p[6];
	offset = IPV6_HEADER_LEN;
	/* A jumbogram, or BIG TCP with or without the jumbo option. */
	length_zero = remaining == 0 && next_header != IP_PROTO_NONE &&
	    f->ip_end >= at + IPV6_HEADER_LEN;
	if (length_zero) {
		remaining = f->ip_end - at - IPV6_HEADER_LEN;
		f->notes |= DECODE_NOTE_IP_LENGTH_ZERO;
	}

	/* Each pass consumes at least 8 bytes of caplen, so this ends. */
	while (next_header != IP_PROTO_TCP) {
		if (!ipv6_is_extension_header(next_header)) {
			if (!ip_protocol_may_hold_tcp(next_header))
				return DECODE_NOT_TCP;
			f->ip_end = at + offset + remaining;
			f->ip_seen = true;
			return decode_ip_payload(f, n, next_header,
			    at + offset);
		}
		if (next_header == IP_PROTO_FRAGMENT) {
			if (remaining < IPV6_FRAGMENT_HEADER_LEN)
				return DECODE_BAD_HEADER;
			if (avail - offset < IPV6_FRAGMENT_HEADER_LEN)
				return DECODE_TRUNCATED;
			fragment = get_be16(p + offset + 2);
			/* Only an atomic fragment (offset 0, M=0) is whole. */
			if ((fragment &
			    (IPV6_OFFSET_MASK | IPV6_MORE_FRAGMENTS)) != 0) {
				next_header = p[offset];
				return next_header == IP_PROTO_TCP ||
				    ipv6_is_extension_header(next_header) ?
				    DECODE_FRAGMENT : DECODE_NOT_TCP;
			}
			header_len = IPV6_FRAGMENT_HEADER_LEN;
		} else {
			if (avail - offset < 2)
				return DECODE_TRUNCATED;
			if (next_header == IP_PROTO_AH)
				header_len = ((size_t)p[offset + 1] + 2) * 4;
			else
				header_len = ((size_t)p[offset + 1] + 1) * 8;
			if (length_zero && offset == IPV6_HEADER_LEN &&
			    next_header == IP_PROTO_HOPOPTS) {
				uint32_t jumbo;

				if (avail - offset < header_len)
					return DECODE_TRUNCATED;
				jumbo = ipv6_jumbo_length(p + offset,
				    header_len);
				if (jumbo != 0)
					remaining = jumbo;
			}
			if (remaining < header_len)
				return DECODE_BAD_HEADER;
			if (avail - offset < header_len)
				return DECODE_TRUNCATED;
		}
		next_header = p[offset];
		offset += header_len;
		remaining -= header_len;
	}

	seg->family = AF_INET6;
	memcpy(seg->src_addr, p + 8, 16);
	memcpy(seg->dst_addr, p + 24, 16);
	step_to(n, LAYER_TCP_DONE, at + offset);
	return decode_tcp(p + offset, avail - offset, remaining, seg);
}

/*
 * Untagged Ethernet, IPv4 and TCP whose headers are all within caplen
 * and consistent: nearly every frame of a capture on Linux.  Only the
 * checks of the general path that such a frame needs, in one place;
 * false (seg untouched) for anything else, which the general path then
 * decodes, with the same result it would always have given.
 */
static inline bool __attribute__((always_inline))
decode_ethernet_ipv4_tcp(const uint8_t *data, size_t caplen,
    struct tcp_segment *seg)
{
	const uint8_t *ip, *tcp;
	size_t ip_header_len, total_len, tcp_header_len;

	if (caplen < ETHERNET_HEADER_LEN + IPV4_MIN_HEADER_LEN +
	    TCP_MIN_HEADER_LEN ||
	    get_be16(data + ETHERNET_TYPE_OFFSET) != ETHERTYPE_IPV4)
		return false;
	ip = data + ETHERNET_HEADER_LEN;
	if ((ip[0] >> 4) != 4 || ip[9] != IP_PROTO_TCP ||
	    (get_be16(ip + 6) & (IPV4_MORE_FRAGMENTS | IPV4_OFFSET_MASK)) != 0)
		return false;
	ip_header_len = (size_t)(ip[0] & 0x0f) * 4;
	total_len = get_be16(ip + 2);
	if (ip_header_len < IPV4_MIN_HEADER_LEN ||
	    total_len < ip_header_len + TCP_MIN_HEADER_LEN ||
	    caplen - ETHERNET_HEADER_LEN < ip_header_len + TCP_MIN_HEADER_LEN)
		return false;
	tcp = ip + ip_header_len;
	tcp_header_len = (size_t)(tcp[12] >> 4) * 4;
	if (tcp_header_len < TCP_MIN_HEADER_LEN ||
	    tcp_header_len > total_len - ip_header_len ||
	    caplen - ETHERNET_HEADER_LEN - ip_header_len < tcp_header_len)
		return false;

	seg->family = AF_INET;
	memcpy(seg->src_addr, ip + 12, 4);
	memset(seg->src_addr + 4, 0, sizeof(seg->src_addr) - 4);
	memcpy(seg->dst_addr, ip + 16, 4);
	memset(seg->dst_addr + 4, 0, sizeof(seg->dst_addr) - 4);
	seg->src_port = get_be16(tcp);
	seg->dst_port = get_be16(tcp + 2);
	seg->seq = get_be32(tcp + 4);
	seg->ack = get_be32(tcp + 8);
	seg->flags = tcp[13];
	seg->window = get_be16(tcp + 14);
	seg->payload_len = (uint32_t)(total_len - ip_header_len -
	    tcp_header_len);
	return true;
}

/* decode_packet() for every frame (seg is not NULL). */

/*
 * Peel layer after layer.  Every step consumes bytes of the frame or
 * moves to a layer that does (entering a tunnel counts against
 * DECODE_MAX_TUNNELS), so this ends.
 */
static enum decode_status
decode_layers(struct frame *f, struct layer_step *n)
{
	enum decode_status status;

	for (;;) {
		switch (n->layer) {
		case LAYER_ETHERNET:
			status = decode_ethernet(f, n);
			break;
		case LAYER_ETHERTYPE:
			status = decode_ethertype(f, n);
			break;
		case LAYER_LLC:
			status = decode_llc(f, n);
			break;
		case LAYER_PPP:
			status = decode_ppp(f, n);
			break;
		case LAYER_PPP_PROTOCOL:
			step_to(n, layer_of_ppp_protocol(n->value), n->offset);
			status = DECODE_OK;
			break;
		case LAYER_PPPOE:
			status = decode_pppoe(f, n);
			break;
		case LAYER_CHDLC:
			status = decode_chdlc(f, n);
			break;
		case LAYER_FRAME_RELAY:
			status = decode_frame_relay(f, n);
			break;
		case LAYER_IEEE80211:
			status = decode_ieee80211(f, n);
			break;
		case LAYER_MPLS:
			status = decode_mpls(f, n);
			break;
		case LAYER_IP:
			status = decode_ip_by_version(f, n);
			break;
		case LAYER_IPV4:
			status = decode_ipv4(f, n);
			break;
		case LAYER_IPV6:
			status = decode_ipv6(f, n);
			break;
		case LAYER_GRE:
			status = decode_gre(f, n);
			break;
		case LAYER_TCP_DONE:
			return DECODE_OK;
		case LAYER_NOT_IP:
		default:
			return DECODE_NOT_IP;
		}
		if (status != DECODE_OK || n->layer == LAYER_TCP_DONE)
			return status;
	}
}

/* decode_packet_note() for every frame (seg is not NULL). */
static enum decode_status __attribute__((noinline))
decode_general(int linktype, const uint8_t *data, size_t caplen,
    size_t wire_len, struct tcp_segment *seg, unsigned *notes)
{
	enum decode_status status;
	struct layer_step next;
	struct frame f;
	int64_t ts_ns = seg->ts_ns;

	memset(&f, 0, sizeof(f));
	f.data = data;
	f.caplen = caplen;
	f.ip_end = wire_len > caplen ? wire_len : caplen;
	f.seg = seg;
	memset(&next, 0, sizeof(next));
	if (data == NULL)	/* even data + 0 would be undefined */
		status = decode_linktype_supported(linktype) ?
		    DECODE_TRUNCATED : DECODE_UNKNOWN_LINKTYPE;
	else {
		/* DECODE_UNKNOWN_LINKTYPE for a link type not supported */
		status = decode_link_layer(linktype, &f, &next);
		if (status == DECODE_OK)
			status = decode_layers(&f, &next);
		/*
		 * Headers missing from an IP packet that was captured whole
		 * (a tunnel packet with nothing inside) are malformed, not
		 * cut by the capture.
		 */
		if (status == DECODE_TRUNCATED && f.ip_seen &&
		    f.caplen >= f.ip_end)
			status = DECODE_BAD_HEADER;
	}
	if (notes != NULL)
		*notes = f.notes;

	/*
	 * Filled in place (every field on success); never hand back a
	 * half-filled segment.
	 */
	if (status != DECODE_OK) {
		memset(seg, 0, sizeof(*seg));
		seg->ts_ns = ts_ns;
	}
	return status;
}

enum decode_status
decode_packet_note(int linktype, const uint8_t *data, size_t caplen,
    size_t wire_len, struct tcp_segment *seg, unsigned *notes)
{
	if (seg == NULL) {
		if (notes != NULL)
			*notes = 0;
		return DECODE_BAD_HEADER;
	}
	if (linktype == DLT_EN10MB && data != NULL &&
	    decode_ethernet_ipv4_tcp(data, caplen, seg)) {
		if (notes != NULL)
			*notes = 0;
		return DECODE_OK;
	}
	return decode_general(linktype, data, caplen, wire_len, seg, notes);
}

enum decode_status
decode_packet(int linktype, const uint8_t *data, size_t caplen,
    struct tcp_segment *seg)
{
	return decode_packet_note(linktype, data, caplen, caplen, seg, NULL);
}

const char *
decode_status_name(enum decode_status status)
{
	switch (status) {
	case DECODE_OK:
		return "ok";
	case DECODE_NOT_IP:
		return "not-ip";
	case DECODE_NOT_TCP:
		return "not-tcp";
	case DECODE_FRAGMENT:
		return "fragment";
	case DECODE_TRUNCATED:
		return "truncated";
	case DECODE_BAD_HEADER:
		return "bad-header";
	case DECODE_TUNNEL_TOO_DEEP:
		return "tunnel-too-deep";
	case DECODE_UNKNOWN_LINKTYPE:
		return "unknown-linktype";
	}
	return "unknown";
}
