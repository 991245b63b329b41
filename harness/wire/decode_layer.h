/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode_layer.h - what the parts of decode_packet() share (private to
 * decode.c, decode_link.c and decode_tunnel.c): a frame being peeled,
 * the layer that comes next, the protocol numbers, bounds-checked reads.
 *
 * Each layer's function reads its header at the step's offset and names
 * the layer that follows (struct layer_step); it reports
 * DECODE_TRUNCATED whenever a header it needs is not entirely within
 * caplen, DECODE_BAD_HEADER for lengths that contradict each other.
 */
#ifndef decode_layer_h
#define decode_layer_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* The layers a frame is peeled through. */
enum layer {
	LAYER_ETHERNET,		/* a 14-byte Ethernet (or 802.3) header */
	LAYER_ETHERTYPE,	/* what ethertype `value` says follows */
	LAYER_LLC,		/* 802.2 LLC, maybe with SNAP */
	LAYER_PPP,		/* PPP: maybe FF 03, then the protocol */
	LAYER_PPP_PROTOCOL,	/* what PPP protocol `value` says follows */
	LAYER_PPPOE,		/* a PPPoE session header */
	LAYER_CHDLC,		/* Cisco HDLC */
	LAYER_FRAME_RELAY,	/* Q.922 */
	LAYER_IEEE80211,	/* 802.11 MAC; `value` 1: data padded to 4 */
	LAYER_MPLS,		/* MPLS labels, then IP by version */
	LAYER_IP,		/* IPv4 or IPv6 by the version nibble, or not IP */
	LAYER_IPV4,
	LAYER_IPV6,
	LAYER_GRE,
	LAYER_TCP_DONE,		/* seg holds the segment */
	LAYER_NOT_IP
};

/* Where a frame is being decoded. */
struct frame {
	const uint8_t *data;
	size_t caplen;
	/*
	 * Where the innermost enclosing IP packet ends (for the first, the
	 * frame's wire length): what an IP length of 0 gives way to.
	 */
	size_t ip_end;
	bool ip_seen;		/* ip_end was set by an IP header */
	unsigned tunnels;	/* tunnels entered */
	unsigned notes;		/* enum decode_note */
	struct tcp_segment *seg;
};

/* The next layer: what it is, at which offset, with what value. */
struct layer_step {
	enum layer layer;
	size_t offset;
	uint32_t value;
};

enum header_size {
	ETHERNET_HEADER_LEN = 14,
	ETHERNET_TYPE_OFFSET = 12,
	ETHERNET_ADDRESSES_LEN = 12,
	VLAN_TAG_LEN = 4,
	LINUX_SLL_HEADER_LEN = 16,
	LINUX_SLL_PROTOCOL_OFFSET = 14,
	LINUX_SLL2_HEADER_LEN = 20,
	LINUX_SLL2_PROTOCOL_OFFSET = 0,
	NULL_HEADER_LEN = 4,
	IPV4_MIN_HEADER_LEN = 20,
	IPV6_HEADER_LEN = 40,
	IPV6_FRAGMENT_HEADER_LEN = 8,
	TCP_MIN_HEADER_LEN = 20,
	UDP_HEADER_LEN = 8,
	PPPOE_HEADER_LEN = 6,
	CHDLC_HEADER_LEN = 4,
	SLIP_HEADER_LEN = 16,
	FDDI_HEADER_LEN = 13,
	TOKEN_RING_HEADER_LEN = 14,
	SUNATM_HEADER_LEN = 4,
	LANE_LECID_LEN = 2,
	IEEE80211_HEADER_LEN = 24,
	IEEE80211_ADDR4_LEN = 6,
	IEEE80211_QOS_LEN = 2,
	IEEE80211_HT_CONTROL_LEN = 4,
	RADIOTAP_MIN_LEN = 8,
	PRISM_HEADER_LEN = 144,
	AVS_MIN_LEN = 8,
	PPI_MIN_LEN = 8,
	ARCNET_OLD_HEADER_LEN = 5,
	ARCNET_NEW_HEADER_LEN = 8,
	IPOIB_HEADER_LEN = 44,
	IPOIB_TYPE_OFFSET = 40,
	IPNET_HEADER_LEN = 24,
	NFLOG_HEADER_LEN = 4,
	NFLOG_TLV_HEADER_LEN = 4,
	PKTAP_MIN_LEN = 12,
	ENC_HEADER_LEN = 12,
	PFLOG_MIN_LEN = 4,
	MPLS_LABEL_LEN = 4,
	PBB_ITAG_LEN = 4,
	FABRICPATH_EXTRA_LEN = 2,	/* FTag and TTL after the ethertype */
	VNTAG_LEN = 4,
	JUNIPER_MIN_LEN = 4,		/* "MGC" and the flags */
	GRE_MIN_LEN = 4,
	ERSPAN2_HEADER_LEN = 8,
	ERSPAN3_HEADER_LEN = 12,
	ERSPAN3_SUBHEADER_LEN = 8,
	VXLAN_HEADER_LEN = 8,
	GENEVE_MIN_LEN = 8,
	TEREDO_ORIGIN_LEN = 8,
	TEREDO_AUTH_MIN_LEN = 13,	/* 4 + id + auth + nonce 8 + conf 1 */
	GTP_MIN_LEN = 8,
	GTP_OPTIONAL_LEN = 4
};

enum ethertype {
	ETHERTYPE_MIN = 0x0600,		/* below: an 802.3 length field */
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_8021Q = 0x8100,
	ETHERTYPE_8021AD = 0x88a8,
	ETHERTYPE_QINQ_OLD = 0x9100,	/* pre-standard outer tag */
	ETHERTYPE_MPLS = 0x8847,
	ETHERTYPE_MPLS_MULTICAST = 0x8848,
	ETHERTYPE_PPPOE_SESSION = 0x8864,
	ETHERTYPE_PBB = 0x88e7,		/* 802.1ah I-TAG */
	ETHERTYPE_FABRICPATH = 0x8903,	/* Cisco FabricPath */
	ETHERTYPE_VNTAG = 0x8926,
	ETHERTYPE_TEB = 0x6558,		/* transparent Ethernet bridging */
	ETHERTYPE_PPP = 0x880b,		/* in PPTP's GRE */
	ETHERTYPE_ERSPAN_2 = 0x88be,	/* type I without a sequence number */
	ETHERTYPE_ERSPAN_3 = 0x22eb
};

enum ppp_protocol {
	PPP_ADDRESS = 0xff,
	PPP_CONTROL = 0x03,
	PPP_IPV4 = 0x0021,
	PPP_IPV6 = 0x0057,
	PPP_MPLS_UNICAST = 0x0281,
	PPP_MPLS_MULTICAST = 0x0283
};

enum llc_value {
	LLC_SNAP_SAP = 0xaa,
	LLC_IP_SAP = 0x06,		/* RFC 948 */
	LLC_ISO_SAP = 0xfe,		/* then an NLPID */
	LLC_UI = 0x03
};

/* Network layer protocol identifiers (ISO/IEC TR 9577). */
enum nlpid {
	NLPID_PAD = 0x00,
	NLPID_SNAP = 0x80,
	NLPID_IPV6 = 0x8e,
	NLPID_IPV4 = 0xcc
};

enum ip_protocol {
	IP_PROTO_HOPOPTS = 0,
	IP_PROTO_IPIP = 4,
	IP_PROTO_TCP = 6,
	IP_PROTO_UDP = 17,
	IP_PROTO_IPV6 = 41,
	IP_PROTO_ROUTING = 43,
	IP_PROTO_FRAGMENT = 44,
	IP_PROTO_GRE = 47,
	IP_PROTO_AH = 51,
	IP_PROTO_NONE = 59,
	IP_PROTO_DSTOPTS = 60
};

static inline uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)((p[1] << 8) | p[0]);
}

static inline uint32_t
get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint32_t
get_le32(const uint8_t *p)
{
	return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) |
	    ((uint32_t)p[1] << 8) | (uint32_t)p[0];
}

/* Whether len bytes at offset are captured. */
static inline bool
captured(const struct frame *f, size_t offset, size_t len)
{
	return offset <= f->caplen && f->caplen - offset >= len;
}

static inline void
step_to(struct layer_step *n, enum layer layer, size_t offset)
{
	n->layer = layer;
	n->offset = offset;
}

static inline void
step_value(struct layer_step *n, enum layer layer, size_t offset,
    uint32_t value)
{
	n->layer = layer;
	n->offset = offset;
	n->value = value;
}

/*
 * The first layer after linktype's link-layer header
 * (DECODE_UNKNOWN_LINKTYPE for one decode_linktype_supported() refuses).
 */
enum decode_status decode_link_layer(int linktype, struct frame *f,
    struct layer_step *n);

/* Into a tunnel: DECODE_TUNNEL_TOO_DEEP past DECODE_MAX_TUNNELS. */
enum decode_status decode_enter_tunnel(struct frame *f, struct layer_step *n,
    enum layer layer, size_t offset);

/*
 * A UDP header at offset at: a tunnel on one of Zeek's tunnel ports, or
 * DECODE_NOT_TCP.
 */
enum decode_status decode_udp_tunnel(struct frame *f, struct layer_step *n,
    size_t at);

/* GRE at n->offset (LAYER_GRE). */
enum decode_status decode_gre(struct frame *f, struct layer_step *n);

#endif /* decode_layer_h */
