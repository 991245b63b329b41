/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode.c - link layer -> IPv4/IPv6 -> TCP, bounds-checked at every step.
 *
 * Each layer is handed the bytes that remain (avail) and the length its
 * enclosing header claims; it reports DECODE_TRUNCATED whenever a header
 * it needs is not entirely within caplen.  Lengths that contradict each
 * other are DECODE_BAD_HEADER.
 */
#include "decode.h"

#include <string.h>

#include <pcap/dlt.h>

/* What a link-layer header looks like, independent of DLT numbering. */
enum link_kind {
	LINK_UNKNOWN,
	LINK_ETHERNET,		/* 14 bytes, ethertype at 12, VLAN tags */
	LINK_LINUX_SLL,		/* 16 bytes, protocol at 14 */
	LINK_LINUX_SLL2,	/* 20 bytes, protocol at 0 */
	LINK_NULL,		/* 4-byte AF value, capturer's byte order */
	LINK_LOOP,		/* 4-byte AF value, network byte order */
	LINK_RAW,		/* no header: the IP version nibble decides */
	LINK_IPV4,		/* no header, IPv4 only */
	LINK_IPV6		/* no header, IPv6 only */
};

/* Which network layer follows the link-layer header. */
enum network_kind {
	NETWORK_OTHER,
	NETWORK_IPV4,
	NETWORK_IPV6,
	NETWORK_BY_VERSION	/* read the version nibble */
};

enum header_size {
	ETHERNET_HEADER_LEN = 14,
	ETHERNET_TYPE_OFFSET = 12,
	VLAN_TAG_LEN = 4,
	LINUX_SLL_HEADER_LEN = 16,
	LINUX_SLL_PROTOCOL_OFFSET = 14,
	LINUX_SLL2_HEADER_LEN = 20,
	LINUX_SLL2_PROTOCOL_OFFSET = 0,
	NULL_HEADER_LEN = 4,
	IPV4_MIN_HEADER_LEN = 20,
	IPV6_HEADER_LEN = 40,
	IPV6_FRAGMENT_HEADER_LEN = 8,
	TCP_MIN_HEADER_LEN = 20
};

enum ethertype {
	ETHERTYPE_MIN = 0x0600,		/* below: an 802.3 length field */
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_8021Q = 0x8100,
	ETHERTYPE_8021AD = 0x88a8,
	ETHERTYPE_QINQ_OLD = 0x9100	/* pre-standard outer tag */
};

/* BSD AF_ values found in DLT_NULL/DLT_LOOP headers (not this host's). */
enum bsd_address_family {
	BSD_AF_INET = 2,
	BSD_AF_INET6_LINUX = 10,
	BSD_AF_INET6_BSD = 24,		/* NetBSD, OpenBSD, BSD/OS */
	BSD_AF_INET6_FREEBSD = 28,	/* FreeBSD, DragonFly */
	BSD_AF_INET6_DARWIN = 30	/* macOS */
};

enum ip_protocol {
	IP_PROTO_HOPOPTS = 0,
	IP_PROTO_TCP = 6,
	IP_PROTO_ROUTING = 43,
	IP_PROTO_FRAGMENT = 44,
	IP_PROTO_AH = 51,
	IP_PROTO_DSTOPTS = 60
};

enum ipv4_fragment_bits {
	IPV4_MORE_FRAGMENTS = 0x2000,
	IPV4_OFFSET_MASK = 0x1fff
};

enum ipv6_fragment_bits {
	IPV6_OFFSET_MASK = 0xfff8,
	IPV6_MORE_FRAGMENTS = 0x0001
};

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static uint32_t
get_le32(const uint8_t *p)
{
	return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) |
	    ((uint32_t)p[1] << 8) | (uint32_t)p[0];
}

static enum link_kind
link_kind_of(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
		return LINK_ETHERNET;
	case DLT_LINUX_SLL:
		return LINK_LINUX_SLL;
	case DLT_LINUX_SLL2:
		return LINK_LINUX_SLL2;
	case DLT_NULL:
		return LINK_NULL;
	case DLT_LOOP:
		return LINK_LOOP;
	case DLT_RAW:
	case DECODE_LINKTYPE_RAW_FILE:
	/*
	 * Raw IP is 12 on most systems and 14 on OpenBSD and BSD/OS; accept
	 * the other number too unless this platform uses it for something
	 * else (DLT_LOOP is 12 on OpenBSD, DLT_PPP_BSDOS 14 on Free/NetBSD).
	 */
#if DLT_RAW != 12 && DLT_LOOP != 12
	case 12:
#endif
#if DLT_RAW != 14 && DLT_PPP_BSDOS != 14
	case 14:
#endif
		return LINK_RAW;
	case DLT_IPV4:
		return LINK_IPV4;
	case DLT_IPV6:
		return LINK_IPV6;
	default:
		return LINK_UNKNOWN;
	}
}

bool
decode_linktype_supported(int linktype)
{
	return link_kind_of(linktype) != LINK_UNKNOWN;
}

size_t
decode_min_tcp_caplen(int linktype)
{
	size_t link_len;

	switch (link_kind_of(linktype)) {
	case LINK_ETHERNET:
		link_len = ETHERNET_HEADER_LEN;
		break;
	case LINK_LINUX_SLL:
		link_len = LINUX_SLL_HEADER_LEN;
		break;
	case LINK_LINUX_SLL2:
		link_len = LINUX_SLL2_HEADER_LEN;
		break;
	case LINK_NULL:
	case LINK_LOOP:
		link_len = NULL_HEADER_LEN;
		break;
	case LINK_RAW:
	case LINK_IPV4:
		link_len = 0;
		break;
	case LINK_IPV6:
		return IPV6_HEADER_LEN + TCP_MIN_HEADER_LEN;
	case LINK_UNKNOWN:
	default:
		return 0;
	}
	return link_len + IPV4_MIN_HEADER_LEN + TCP_MIN_HEADER_LEN;
}

static enum network_kind
network_of_ethertype(uint16_t type)
{
	switch (type) {
	case ETHERTYPE_IPV4:
		return NETWORK_IPV4;
	case ETHERTYPE_IPV6:
		return NETWORK_IPV6;
	default:
		return NETWORK_OTHER;
	}
}

static enum network_kind
network_of_bsd_af(uint32_t af)
{
	switch (af) {
	case BSD_AF_INET:
		return NETWORK_IPV4;
	case BSD_AF_INET6_LINUX:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		return NETWORK_IPV6;
	default:
		return NETWORK_OTHER;
	}
}

/*
 * Follow an ethertype at data[*offset - 2] through any 802.1Q/802.1ad
 * tags; *offset ends at the first byte after the last tag.
 */
static enum decode_status
skip_vlan_tags(const uint8_t *data, size_t caplen, size_t *offset,
    uint16_t *type)
{
	while (*type == ETHERTYPE_8021Q || *type == ETHERTYPE_8021AD ||
	    *type == ETHERTYPE_QINQ_OLD) {
		if (caplen - *offset < VLAN_TAG_LEN)
			return DECODE_TRUNCATED;
		/* A tag is 2 bytes of TCI, then the inner ethertype. */
		*type = get_be16(data + *offset + 2);
		*offset += VLAN_TAG_LEN;
	}
	return DECODE_OK;
}

/* A link header that ends in an ethertype at type_offset. */
static enum decode_status
decode_ethertype_header(const uint8_t *data, size_t caplen,
    size_t header_len, size_t type_offset, size_t *offset,
    enum network_kind *network)
{
	enum decode_status status;
	uint16_t type;

	if (caplen < header_len)
		return DECODE_TRUNCATED;
	type = get_be16(data + type_offset);
	*offset = header_len;
	status = skip_vlan_tags(data, caplen, offset, &type);
	if (status != DECODE_OK)
		return status;
	*network = type < ETHERTYPE_MIN ? NETWORK_OTHER :
	    network_of_ethertype(type);
	return DECODE_OK;
}

/* Find the network layer: its offset in data and what it is. */
static enum decode_status
decode_link(enum link_kind link, const uint8_t *data, size_t caplen,
    size_t *offset, enum network_kind *network)
{
	enum network_kind by_host;

	*offset = 0;
	*network = NETWORK_OTHER;
	switch (link) {
	case LINK_ETHERNET:
		return decode_ethertype_header(data, caplen,
		    ETHERNET_HEADER_LEN, ETHERNET_TYPE_OFFSET, offset, network);
	case LINK_LINUX_SLL:
		return decode_ethertype_header(data, caplen,
		    LINUX_SLL_HEADER_LEN, LINUX_SLL_PROTOCOL_OFFSET, offset,
		    network);
	case LINK_LINUX_SLL2:
		return decode_ethertype_header(data, caplen,
		    LINUX_SLL2_HEADER_LEN, LINUX_SLL2_PROTOCOL_OFFSET, offset,
		    network);
	case LINK_NULL:
		if (caplen < NULL_HEADER_LEN)
			return DECODE_TRUNCATED;
		/*
		 * Written in the byte order of the host that captured, which
		 * we do not know; the AF values are small, so at most one
		 * reading makes sense.
		 */
		by_host = network_of_bsd_af(get_le32(data));
		*network = by_host != NETWORK_OTHER ? by_host :
		    network_of_bsd_af(get_be32(data));
		*offset = NULL_HEADER_LEN;
		return DECODE_OK;
	case LINK_LOOP:
		if (caplen < NULL_HEADER_LEN)
			return DECODE_TRUNCATED;
		*network = network_of_bsd_af(get_be32(data));
		*offset = NULL_HEADER_LEN;
		return DECODE_OK;
	case LINK_RAW:
		*network = NETWORK_BY_VERSION;
		return DECODE_OK;
	case LINK_IPV4:
		*network = NETWORK_IPV4;
		return DECODE_OK;
	case LINK_IPV6:
		*network = NETWORK_IPV6;
		return DECODE_OK;
	case LINK_UNKNOWN:
		break;
	}
	return DECODE_UNKNOWN_LINKTYPE;
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
	if (avail < header_len)
		return DECODE_TRUNCATED;

	seg->src_port = get_be16(p);
	seg->dst_port = get_be16(p + 2);
	seg->seq = get_be32(p + 4);
	seg->ack = get_be32(p + 8);
	seg->flags = p[13];
	seg->window = get_be16(p + 14);
	seg->payload_len = (uint32_t)(ip_payload_len - header_len);
	return DECODE_OK;
}

static enum decode_status
decode_ipv4(const uint8_t *p, size_t avail, struct tcp_segment *seg)
{
	size_t header_len, total_len;
	uint16_t fragment;

	if (avail < 1)
		return DECODE_TRUNCATED;
	if ((p[0] >> 4) != 4)
		return DECODE_BAD_HEADER;
	if (avail < IPV4_MIN_HEADER_LEN)
		return DECODE_TRUNCATED;
	header_len = (size_t)(p[0] & 0x0f) * 4;
	total_len = get_be16(p + 2);
	if (header_len < IPV4_MIN_HEADER_LEN || total_len < header_len)
		return DECODE_BAD_HEADER;
	if (p[9] != IP_PROTO_TCP)
		return DECODE_NOT_TCP;
	/*
	 * A first fragment has a TCP header but a payload length that
	 * covers only part of the segment, so no fragment is usable.
	 */
	fragment = get_be16(p + 6);
	if ((fragment & (IPV4_MORE_FRAGMENTS | IPV4_OFFSET_MASK)) != 0)
		return DECODE_FRAGMENT;
	/* Options are needed only to find the TCP header. */
	if (avail < header_len)
		return DECODE_TRUNCATED;

	seg->family = AF_INET;
	memcpy(seg->src_addr, p + 12, 4);
	memset(seg->src_addr + 4, 0, sizeof(seg->src_addr) - 4);
	memcpy(seg->dst_addr, p + 16, 4);
	memset(seg->dst_addr + 4, 0, sizeof(seg->dst_addr) - 4);
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

static enum decode_status
decode_ipv6(const uint8_t *p, size_t avail, struct tcp_segment *seg)
{
	size_t offset, remaining, header_len;
	uint8_t next_header;
	uint16_t fragment;

	if (avail < 1)
		return DECODE_TRUNCATED;
	if ((p[0] >> 4) != 6)
		return DECODE_BAD_HEADER;
	if (avail < IPV6_HEADER_LEN)
		return DECODE_TRUNCATED;
	remaining = get_be16(p + 4);	/* extension headers + upper layer */
	next_header = p[6];
	offset = IPV6_HEADER_LEN;

	/* Each pass consumes at least 8 bytes of caplen, so this ends. */
	while (next_header != IP_PROTO_TCP) {
		if (!ipv6_is_extension_header(next_header))
			return DECODE_NOT_TCP;
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
	return decode_tcp(p + offset, avail - offset, remaining, seg);
}

/*
 * Untagged Ethernet, IPv4 and TCP whose headers are all within caplen
 * and consistent: nearly every frame of a capture on Linux.  Only the
 * checks of the general path that such a frame needs, in one place;
 * false (seg untouched) for anything else, which the general path then
 * decodes, with the same result it would always have given.
 */
static bool
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
static enum decode_status __attribute__((noinline))
decode_general(int linktype, const uint8_t *data, size_t caplen,
    struct tcp_segment *seg)
{
	enum decode_status status;
	enum network_kind network = NETWORK_OTHER;
	size_t offset = 0;
	int64_t ts_ns = seg->ts_ns;


	if (data == NULL)	/* even data + 0 would be undefined */
		status = decode_linktype_supported(linktype) ?
		    DECODE_TRUNCATED : DECODE_UNKNOWN_LINKTYPE;
	else
		status = decode_link(link_kind_of(linktype), data, caplen,
		    &offset, &network);
	if (status == DECODE_OK && network == NETWORK_BY_VERSION) {
		if (caplen < 1)
			status = DECODE_TRUNCATED;
		else if ((data[0] >> 4) == 4)
			network = NETWORK_IPV4;
		else if ((data[0] >> 4) == 6)
			network = NETWORK_IPV6;
		else
			network = NETWORK_OTHER;
	}
	if (status == DECODE_OK) {
		switch (network) {
		case NETWORK_IPV4:
			status = decode_ipv4(data + offset, caplen - offset,
			    seg);
			break;
		case NETWORK_IPV6:
			status = decode_ipv6(data + offset, caplen - offset,
			    seg);
			break;
		case NETWORK_OTHER:
		case NETWORK_BY_VERSION:
			status = DECODE_NOT_IP;
			break;
		}
	}

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
decode_packet(int linktype, const uint8_t *data, size_t caplen,
    struct tcp_segment *seg)
{
	if (seg == NULL)
		return DECODE_BAD_HEADER;
	if (linktype == DLT_EN10MB && data != NULL &&
	    decode_ethernet_ipv4_tcp(data, caplen, seg))
		return DECODE_OK;
	return decode_general(linktype, data, caplen, seg);
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
	case DECODE_UNKNOWN_LINKTYPE:
		return "unknown-linktype";
	}
	return "unknown";
}
