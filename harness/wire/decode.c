/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode.c - link layer -> (encapsulations, tunnels) -> IPv4/IPv6 -> TCP,
 * bounds-checked at every step.
 *
 * A frame is peeled one layer at a time: each layer's function reads its
 * header at the current offset and names the layer that follows (struct
 * layer_step).  It reports DECODE_TRUNCATED whenever a header it needs
 * is not entirely within caplen; lengths that contradict each other are
 * DECODE_BAD_HEADER.  Every step consumes bytes of the frame or enters
 * a tunnel, and tunnels are bounded (DECODE_MAX_TUNNELS), so a frame
 * ends after a number of steps its length bounds.
 */
#include "decode.h"

#include <string.h>

#include <pcap/dlt.h>

/* What a link-layer header looks like, independent of DLT numbering. */
enum link_kind {
	LINK_UNKNOWN,
	LINK_NO_IP,		/* cannot carry IP (decode_linktype_carries_no_ip) */
	LINK_ETHERNET,		/* 14 bytes, ethertype at 12, VLAN tags */
	LINK_LINUX_SLL,		/* 16 bytes, protocol at 14 */
	LINK_LINUX_SLL2,	/* 20 bytes, protocol at 0 */
	LINK_NULL,		/* 4-byte AF value, capturer's byte order */
	LINK_LOOP,		/* 4-byte AF value, network byte order */
	LINK_RAW,		/* no header: the IP version nibble decides */
	LINK_IPV4,		/* no header, IPv4 only */
	LINK_IPV6,		/* no header, IPv6 only */
	LINK_PPP,		/* PPP, maybe in HDLC framing (FF 03) */
	LINK_PPP_SERIAL,	/* PPP in HDLC framing, or Cisco HDLC */
	LINK_PPP_PPPD,		/* direction byte, 03, PPP protocol */
	LINK_PPP_WITH_DIR,	/* direction byte, then PPP */
	LINK_PPP_ETHER,		/* a PPPoE header without Ethernet */
	LINK_C_HDLC,		/* Cisco HDLC: address, control, ethertype */
	LINK_C_HDLC_WITH_DIR,
	LINK_FRELAY,		/* Q.922 address, then NLPID or ethertype */
	LINK_FRELAY_WITH_DIR,
	LINK_MFR,		/* FRF.16 multilink: 2 bytes, then Frame Relay */
	LINK_SLIP,		/* 16-byte BSD SLIP header, then IP */
	LINK_FDDI,		/* 13 bytes, then 802.2 LLC */
	LINK_TOKEN_RING,	/* 14 bytes, source routing, then LLC */
	LINK_ATM_LLC,		/* LLC right away (RFC 1483, Linux CLIP) */
	LINK_SUNATM,		/* 4 bytes: type, VPI, VCI; then LLC or LANE */
	LINK_IEEE80211,		/* 802.11 MAC header, then LLC */
	LINK_RADIOTAP,		/* radiotap header, then 802.11 */
	LINK_PRISM,		/* 144-byte Prism header (or AVS), then 802.11 */
	LINK_AVS,		/* AVS header of its own length, then 802.11 */
	LINK_PPI,		/* PPI header, then its inner link type */
	LINK_ARCNET_LINUX,	/* Linux ARCNET: 5 or 8 bytes by type */
	LINK_IPOIB,		/* 44 bytes, ethertype at 40 */
	LINK_IPNET,		/* Solaris ipnet: 24 bytes, family at 1 */
	LINK_NFLOG,		/* Linux NFLOG: TLVs, the packet in one */
	LINK_PKTAP,		/* Apple PKTAP: header, then its link type */
	LINK_ENC,		/* OpenBSD enc: AF, SPI, flags; then IP */
	LINK_PFLOG,		/* pflog: length, AF, ...; then IP */
	LINK_DSA_TAG_4,		/* Ethernet with a 4-byte switch tag at 12 */
	LINK_DSA_TAG_8,		/* Ethernet with an 8-byte switch tag at 12 */
	LINK_PREPEND_4,		/* 4 bytes (switch tag, netANALYZER), Ethernet */
	LINK_PREPEND_12,	/* netANALYZER transparent: 12 bytes, Ethernet */
	LINK_MPLS,		/* an MPLS label stack right away */
	LINK_JUNIPER_ETHER	/* Juniper header, then Ethernet */
};

/* The link types decode_packet() reads, and how. */
struct link_type_info {
	int linktype;			/* a DLT_ value */
	enum link_kind kind;
	/* The shortest link header: decode_min_tcp_caplen(). */
	unsigned char min_header;
};

static const struct link_type_info link_types[] = {
	{ DLT_EN10MB, LINK_ETHERNET, 14 },
	{ DLT_LINUX_SLL, LINK_LINUX_SLL, 16 },
	{ DLT_LINUX_SLL2, LINK_LINUX_SLL2, 20 },
	{ DLT_NULL, LINK_NULL, 4 },
	{ DLT_LOOP, LINK_LOOP, 4 },
	{ DLT_RAW, LINK_RAW, 0 },
	{ DECODE_LINKTYPE_RAW_FILE, LINK_RAW, 0 },
	/*
	 * Raw IP is 12 on most systems and 14 on OpenBSD and BSD/OS; accept
	 * the other number too unless this platform uses it for something
	 * else (DLT_LOOP is 12 on OpenBSD, DLT_PPP_BSDOS 14 on Free/NetBSD).
	 */
#if DLT_RAW != 12 && DLT_LOOP != 12
	{ 12, LINK_RAW, 0 },
#endif
#if DLT_RAW != 14 && DLT_PPP_BSDOS != 14
	{ 14, LINK_RAW, 0 },
#endif
	{ DLT_IPV4, LINK_IPV4, 0 },
	{ DLT_IPV6, LINK_IPV6, 0 },
	{ DLT_PPP, LINK_PPP, 1 },
	{ DLT_PPP_SERIAL, LINK_PPP_SERIAL, 4 },
	{ DLT_PPP_PPPD, LINK_PPP_PPPD, 4 },
	{ DLT_PPP_WITH_DIR, LINK_PPP_WITH_DIR, 3 },
	{ DLT_PPP_ETHER, LINK_PPP_ETHER, 8 },
	{ DLT_C_HDLC, LINK_C_HDLC, 4 },
	{ DLT_C_HDLC_WITH_DIR, LINK_C_HDLC_WITH_DIR, 5 },
	{ DLT_FRELAY, LINK_FRELAY, 4 },
	{ DLT_FRELAY_WITH_DIR, LINK_FRELAY_WITH_DIR, 5 },
	{ DLT_MFR, LINK_MFR, 6 },
	{ DLT_SLIP, LINK_SLIP, 16 },
	{ DLT_FDDI, LINK_FDDI, 21 },
	{ DLT_IEEE802, LINK_TOKEN_RING, 22 },
	{ DLT_ATM_RFC1483, LINK_ATM_LLC, 8 },
	{ DLT_ATM_CLIP, LINK_ATM_LLC, 8 },
	{ DLT_SUNATM, LINK_SUNATM, 12 },
	{ DLT_IEEE802_11, LINK_IEEE80211, 32 },
	{ DLT_IEEE802_11_RADIO, LINK_RADIOTAP, 40 },
	{ DLT_PRISM_HEADER, LINK_PRISM, 40 },
	{ DLT_IEEE802_11_RADIO_AVS, LINK_AVS, 40 },
	{ DLT_PPI, LINK_PPI, 22 },
	{ DLT_ARCNET_LINUX, LINK_ARCNET_LINUX, 5 },
	{ DLT_IPOIB, LINK_IPOIB, 44 },
	{ DLT_IPNET, LINK_IPNET, 24 },
	{ DLT_NFLOG, LINK_NFLOG, 8 },
	{ DLT_PKTAP, LINK_PKTAP, 12 },
	{ DLT_ENC, LINK_ENC, 12 },
	{ DLT_PFLOG, LINK_PFLOG, 4 },
	{ DLT_DSA_TAG_BRCM, LINK_DSA_TAG_4, 18 },
	{ DLT_DSA_TAG_DSA, LINK_DSA_TAG_4, 18 },
	{ DLT_DSA_TAG_EDSA, LINK_DSA_TAG_8, 22 },
	{ DLT_DSA_TAG_BRCM_PREPEND, LINK_PREPEND_4, 18 },
	{ DLT_NETANALYZER, LINK_PREPEND_4, 18 },
	{ DLT_NETANALYZER_TRANSPARENT, LINK_PREPEND_12, 26 },
	{ DLT_MPLS, LINK_MPLS, 4 },
	{ DLT_JUNIPER_ETHER, LINK_JUNIPER_ETHER, 18 },
	/* What cannot carry IP: reported as such, not as unknown. */
	{ DLT_DBUS, LINK_NO_IP, 0 },
	{ DLT_VSOCK, LINK_NO_IP, 0 },
	{ DLT_NETLINK, LINK_NO_IP, 0 },
	{ DLT_USB_LINUX, LINK_NO_IP, 0 },
	{ DLT_USB_LINUX_MMAPPED, LINK_NO_IP, 0 },
	{ DLT_USB_FREEBSD, LINK_NO_IP, 0 },
	{ DLT_USBPCAP, LINK_NO_IP, 0 },
	{ DLT_CAN20B, LINK_NO_IP, 0 },
	{ DLT_CAN_SOCKETCAN, LINK_NO_IP, 0 },
	{ DLT_BLUETOOTH_HCI_H4, LINK_NO_IP, 0 },
	{ DLT_BLUETOOTH_HCI_H4_WITH_PHDR, LINK_NO_IP, 0 },
	{ DLT_IEEE802_15_4_WITHFCS, LINK_NO_IP, 0 },
	{ DLT_IEEE802_15_4_NOFCS, LINK_NO_IP, 0 },
	{ DLT_IEEE802_15_4_NONASK_PHY, LINK_NO_IP, 0 },
	{ DLT_IEEE802_15_4_LINUX, LINK_NO_IP, 0 },
	{ DLT_IEEE802_15_4_TAP, LINK_NO_IP, 0 }
};

#define LINK_TYPE_COUNT (sizeof(link_types) / sizeof(link_types[0]))

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

/* BSD AF_ values found in DLT_NULL/DLT_LOOP headers (not this host's). */
enum bsd_address_family {
	BSD_AF_INET = 2,
	BSD_AF_INET6_LINUX = 10,
	BSD_AF_INET6_WINDOWS = 23,
	BSD_AF_INET6_BSD = 24,		/* NetBSD, OpenBSD, BSD/OS */
	BSD_AF_INET6_SOLARIS = 26,
	BSD_AF_INET6_FREEBSD = 28,	/* FreeBSD, DragonFly */
	BSD_AF_INET6_DARWIN = 30	/* macOS */
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

/* The UDP ports Zeek decodes tunnels on by default. */
enum tunnel_port {
	PORT_TEREDO = 3544,
	PORT_GTP_U = 2152,
	PORT_GRE_IN_UDP = 4754,		/* RFC 8086 */
	PORT_VXLAN = 4789,
	PORT_GENEVE = 6081
};

enum gre_bits {
	GRE_CHECKSUM = 0x8000,
	GRE_ROUTING = 0x4000,
	GRE_KEY = 0x2000,
	GRE_SEQUENCE = 0x1000,
	GRE_ACK = 0x0080,		/* version 1 (PPTP) */
	GRE_VERSION_MASK = 0x0007
};

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)((p[1] << 8) | p[0]);
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

static const struct link_type_info *
link_type_info(int linktype)
{
	size_t i;

	for (i = 0; i < LINK_TYPE_COUNT; i++)
		if (link_types[i].linktype == linktype)
			return &link_types[i];
	return NULL;
}

static enum link_kind
link_kind_of(int linktype)
{
	const struct link_type_info *info;

	/* The common one first: no table walk per frame. */
	if (linktype == DLT_EN10MB)
		return LINK_ETHERNET;
	info = link_type_info(linktype);
	return info != NULL ? info->kind : LINK_UNKNOWN;
}

bool
decode_linktype_supported(int linktype)
{
	enum link_kind kind = link_kind_of(linktype);

	return kind != LINK_UNKNOWN && kind != LINK_NO_IP;
}

bool
decode_linktype_carries_no_ip(int linktype)
{
	return link_kind_of(linktype) == LINK_NO_IP;
}

size_t
decode_min_tcp_caplen(int linktype)
{
	const struct link_type_info *info = link_type_info(linktype);

	if (info == NULL || info->kind == LINK_NO_IP)
		return 0;
	if (info->kind == LINK_IPV6)
		return IPV6_HEADER_LEN + TCP_MIN_HEADER_LEN;
	return (size_t)info->min_header + IPV4_MIN_HEADER_LEN +
	    TCP_MIN_HEADER_LEN;
}

/* Whether len bytes at offset are captured. */
static bool
captured(const struct frame *f, size_t offset, size_t len)
{
	return offset <= f->caplen && f->caplen - offset >= len;
}

static void
step_to(struct layer_step *n, enum layer layer, size_t offset)
{
	n->layer = layer;
	n->offset = offset;
}

static void
step_value(struct layer_step *n, enum layer layer, size_t offset,
    uint32_t value)
{
	n->layer = layer;
	n->offset = offset;
	n->value = value;
}

/* Into a tunnel: DECODE_TUNNEL_TOO_DEEP past DECODE_MAX_TUNNELS. */
static enum decode_status
enter_tunnel(struct frame *f, struct layer_step *n, enum layer layer,
    size_t offset)
{
	if (f->tunnels >= DECODE_MAX_TUNNELS)
		return DECODE_TUNNEL_TOO_DEEP;
	f->tunnels++;
	f->notes |= DECODE_NOTE_TUNNELED;
	step_to(n, layer, offset);
	return DECODE_OK;
}

static enum layer
layer_of_bsd_af(uint32_t af)
{
	switch (af) {
	case BSD_AF_INET:
		return LAYER_IPV4;
	case BSD_AF_INET6_LINUX:
	case BSD_AF_INET6_WINDOWS:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_SOLARIS:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		return LAYER_IPV6;
	default:
		return LAYER_NOT_IP;
	}
}

/*
 * An AF value written in the byte order of the host that captured,
 * which we do not know; the values are small, so at most one reading
 * makes sense.
 */
static enum layer
layer_of_bsd_af_any_order(const uint8_t *p)
{
	enum layer by_host = layer_of_bsd_af(get_le32(p));

	return by_host != LAYER_NOT_IP ? by_host :
	    layer_of_bsd_af(get_be32(p));
}

/* Juniper's "MGC" header: its length, or 0 if it is not one. */
static size_t
juniper_header_len(const struct frame *f, enum decode_status *status)
{
	const uint8_t *p = f->data;
	size_t len = JUNIPER_MIN_LEN;

	*status = DECODE_OK;
	if (!captured(f, 0, JUNIPER_MIN_LEN)) {
		*status = DECODE_TRUNCATED;
		return 0;
	}
	if (p[0] != 'M' || p[1] != 'G' || p[2] != 'C') {
		*status = DECODE_BAD_HEADER;
		return 0;
	}
	if (p[3] & 0x80) {		/* extensions: a length, then TLVs */
		if (!captured(f, len, 2)) {
			*status = DECODE_TRUNCATED;
			return 0;
		}
		len += 2 + (size_t)get_be16(p + len);
	}
	return len;
}

/* The first layer after the link-layer header. */
static enum decode_status decode_nflog(struct frame *f, struct layer_step *n);
static enum decode_status decode_inner_link(struct layer_step *n,
    int linktype, size_t offset);

static enum decode_status
decode_link(enum link_kind link, struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data;
	enum decode_status status;
	size_t len;
	uint32_t inner;

	switch (link) {
	case LINK_ETHERNET:
		step_to(n, LAYER_ETHERNET, 0);
		return DECODE_OK;
	case LINK_LINUX_SLL:
	case LINK_LINUX_SLL2:
		len = link == LINK_LINUX_SLL ? LINUX_SLL_HEADER_LEN :
		    LINUX_SLL2_HEADER_LEN;
		if (!captured(f, 0, len))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, len, get_be16(p +
		    (link == LINK_LINUX_SLL ? LINUX_SLL_PROTOCOL_OFFSET :
		    LINUX_SLL2_PROTOCOL_OFFSET)));
		return DECODE_OK;
	case LINK_NULL:
	case LINK_LOOP:
		if (!captured(f, 0, NULL_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_to(n, link == LINK_LOOP ? layer_of_bsd_af(get_be32(p)) :
		    layer_of_bsd_af_any_order(p), NULL_HEADER_LEN);
		return DECODE_OK;
	case LINK_RAW:
		step_to(n, LAYER_IP, 0);
		return DECODE_OK;
	case LINK_IPV4:
		step_to(n, LAYER_IPV4, 0);
		return DECODE_OK;
	case LINK_IPV6:
		step_to(n, LAYER_IPV6, 0);
		return DECODE_OK;
	case LINK_PPP:
		step_to(n, LAYER_PPP, 0);
		return DECODE_OK;
	case LINK_PPP_SERIAL:
		if (!captured(f, 0, 1))
			return DECODE_TRUNCATED;
		/* 0x0f, 0x8f: Cisco HDLC's unicast and broadcast addresses */
		step_to(n, p[0] == 0x0f || p[0] == 0x8f ? LAYER_CHDLC :
		    LAYER_PPP, 0);
		return DECODE_OK;
	case LINK_PPP_PPPD:
		/* The address byte holds the direction; control 0x03. */
		if (!captured(f, 0, 2))
			return DECODE_TRUNCATED;
		step_to(n, p[1] == PPP_CONTROL ? LAYER_PPP : LAYER_NOT_IP, 2);
		return DECODE_OK;
	case LINK_PPP_WITH_DIR:
		step_to(n, LAYER_PPP, 1);
		return DECODE_OK;
	case LINK_PPP_ETHER:
		step_to(n, LAYER_PPPOE, 0);
		return DECODE_OK;
	case LINK_C_HDLC:
		step_to(n, LAYER_CHDLC, 0);
		return DECODE_OK;
	case LINK_C_HDLC_WITH_DIR:
		step_to(n, LAYER_CHDLC, 1);
		return DECODE_OK;
	case LINK_FRELAY:
		step_to(n, LAYER_FRAME_RELAY, 0);
		return DECODE_OK;
	case LINK_FRELAY_WITH_DIR:
		step_to(n, LAYER_FRAME_RELAY, 1);
		return DECODE_OK;
	case LINK_MFR:
		/*
		 * FRF.16: B (0x80) and E (0x40) set and C (0x20) clear is a
		 * whole frame after a 2-byte header; anything else is a
		 * fragment or a link-control message.
		 */
		if (!captured(f, 0, 2))
			return DECODE_TRUNCATED;
		step_to(n, (p[0] & 0xe0) == 0xc0 ? LAYER_FRAME_RELAY :
		    LAYER_NOT_IP, 2);
		return DECODE_OK;
	case LINK_SLIP:
		if (!captured(f, 0, SLIP_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_to(n, LAYER_IP, SLIP_HEADER_LEN);
		return DECODE_OK;
	case LINK_FDDI:
		if (!captured(f, 0, FDDI_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_to(n, LAYER_LLC, FDDI_HEADER_LEN);
		return DECODE_OK;
	case LINK_TOKEN_RING:
		if (!captured(f, 0, TOKEN_RING_HEADER_LEN))
			return DECODE_TRUNCATED;
		len = TOKEN_RING_HEADER_LEN;
		if (p[8] & 0x80) {	/* source routing: a RIF follows */
			if (!captured(f, len, 1))
				return DECODE_TRUNCATED;
			len += p[len] & 0x1f;
		}
		step_to(n, LAYER_LLC, len);
		return DECODE_OK;
	case LINK_ATM_LLC:
		step_to(n, LAYER_LLC, 0);
		return DECODE_OK;
	case LINK_SUNATM:
		if (!captured(f, 0, SUNATM_HEADER_LEN))
			return DECODE_TRUNCATED;
		switch (p[0] & 0x0f) {
		case 1:			/* LANE: a LEC ID, then Ethernet */
			step_to(n, LAYER_ETHERNET, SUNATM_HEADER_LEN +
			    LANE_LECID_LEN);
			break;
		case 2:			/* LLC */
			step_to(n, LAYER_LLC, SUNATM_HEADER_LEN);
			break;
		default:		/* unknown: LLC if it looks like it */
			if (!captured(f, SUNATM_HEADER_LEN, 1))
				return DECODE_TRUNCATED;
			step_to(n, p[SUNATM_HEADER_LEN] == LLC_SNAP_SAP ?
			    LAYER_LLC : LAYER_NOT_IP, SUNATM_HEADER_LEN);
		}
		return DECODE_OK;
	case LINK_IEEE80211:
		step_value(n, LAYER_IEEE80211, 0, 0);
		return DECODE_OK;
	case LINK_RADIOTAP: {
		uint32_t present, word;
		size_t field;
		bool pad = false;

		if (!captured(f, 0, RADIOTAP_MIN_LEN))
			return DECODE_TRUNCATED;
		len = get_le16(p + 2);
		if (p[0] != 0 || len < RADIOTAP_MIN_LEN)
			return DECODE_BAD_HEADER;
		if (!captured(f, 0, len))
			return DECODE_TRUNCATED;
		/*
		 * Only the flags field matters (its "data padded" bit); it
		 * follows the present words and TSFT (8 bytes, aligned 8).
		 */
		present = word = get_le32(p + 4);
		for (field = 8; word & 0x80000000u; field += 4) {
			if (field + 4 > len)
				return DECODE_BAD_HEADER;
			word = get_le32(p + field);
		}
		if (present & 0x1)
			field = ((field + 7) & ~(size_t)7) + 8;
		if (present & 0x2) {
			if (field >= len)
				return DECODE_BAD_HEADER;
			pad = (p[field] & 0x20) != 0;
		}
		step_value(n, LAYER_IEEE80211, len, pad);
		return DECODE_OK;
	}
	case LINK_PRISM:
		if (!captured(f, 0, 4))
			return DECODE_TRUNCATED;
		/* Some "Prism" captures hold AVS headers (0x8021100x). */
		if ((get_be32(p) & 0xfffffff0u) == 0x80211000u)
			return decode_link(LINK_AVS, f, n);
		if (!captured(f, 0, PRISM_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_IEEE80211, PRISM_HEADER_LEN, 0);
		return DECODE_OK;
	case LINK_AVS:
		if (!captured(f, 0, AVS_MIN_LEN))
			return DECODE_TRUNCATED;
		len = get_be32(p + 4);
		if (len < AVS_MIN_LEN)
			return DECODE_BAD_HEADER;
		if (!captured(f, 0, len))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_IEEE80211, len, 0);
		return DECODE_OK;
	case LINK_PPI:
	case LINK_PKTAP:
		/*
		 * A header of its own length naming the link type inside:
		 * PPI's length at 2, link type at 4; PKTAP's length at 0,
		 * link type at 8 (after the type of what follows).
		 */
		if (!captured(f, 0, link == LINK_PPI ? PPI_MIN_LEN :
		    PKTAP_MIN_LEN))
			return DECODE_TRUNCATED;
		len = link == LINK_PPI ? get_le16(p + 2) : get_le32(p);
		inner = get_le32(p + (link == LINK_PPI ? 4 : 8));
		if (len < (link == LINK_PPI ? PPI_MIN_LEN : PKTAP_MIN_LEN))
			return DECODE_BAD_HEADER;
		if (!captured(f, 0, len))
			return DECODE_TRUNCATED;
		return decode_inner_link(n, (int)inner, len);
	case LINK_ARCNET_LINUX:
		if (!captured(f, 0, ARCNET_OLD_HEADER_LEN))
			return DECODE_TRUNCATED;
		/* RFC 1051 types have the short header, RFC 1201 the long. */
		switch (p[4]) {
		case 0xf0:		/* IP, RFC 1051 */
			step_to(n, LAYER_IPV4, ARCNET_OLD_HEADER_LEN);
			break;
		case 0xd4:		/* IP, RFC 1201 */
			step_to(n, LAYER_IPV4, ARCNET_NEW_HEADER_LEN);
			break;
		case 0xc4:		/* IPv6 */
			step_to(n, LAYER_IPV6, ARCNET_NEW_HEADER_LEN);
			break;
		default:
			step_to(n, LAYER_NOT_IP, ARCNET_OLD_HEADER_LEN);
		}
		return DECODE_OK;
	case LINK_IPOIB:
		if (!captured(f, 0, IPOIB_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, IPOIB_HEADER_LEN,
		    get_be16(p + IPOIB_TYPE_OFFSET));
		return DECODE_OK;
	case LINK_IPNET:
		if (!captured(f, 0, IPNET_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_to(n, p[1] == 2 ? LAYER_IPV4 : p[1] == 26 ? LAYER_IPV6 :
		    LAYER_NOT_IP, IPNET_HEADER_LEN);
		return DECODE_OK;
	case LINK_NFLOG:
		return decode_nflog(f, n);
	case LINK_ENC:
		if (!captured(f, 0, ENC_HEADER_LEN))
			return DECODE_TRUNCATED;
		step_to(n, layer_of_bsd_af_any_order(p), ENC_HEADER_LEN);
		return DECODE_OK;
	case LINK_PFLOG:
		if (!captured(f, 0, PFLOG_MIN_LEN))
			return DECODE_TRUNCATED;
		/* The header's length, rounded up to 4 as BPF aligns it. */
		len = ((size_t)p[0] + 3) & ~(size_t)3;
		if (len < PFLOG_MIN_LEN)
			return DECODE_BAD_HEADER;
		if (!captured(f, 0, len))
			return DECODE_TRUNCATED;
		step_to(n, layer_of_bsd_af(p[1]), len);
		return DECODE_OK;
	case LINK_DSA_TAG_4:
	case LINK_DSA_TAG_8:
		len = ETHERNET_ADDRESSES_LEN + (link == LINK_DSA_TAG_4 ? 4 : 8);
		if (!captured(f, 0, len + 2))
			return DECODE_TRUNCATED;
		step_value(n, LAYER_ETHERTYPE, len + 2, get_be16(p + len));
		return DECODE_OK;
	case LINK_PREPEND_4:
		step_to(n, LAYER_ETHERNET, 4);
		return DECODE_OK;
	case LINK_PREPEND_12:
		step_to(n, LAYER_ETHERNET, 12);
		return DECODE_OK;
	case LINK_MPLS:
		step_to(n, LAYER_MPLS, 0);
		return DECODE_OK;
	case LINK_JUNIPER_ETHER:
		len = juniper_header_len(f, &status);
		if (status != DECODE_OK)
			return status;
		/* 0x02: no link layer was kept, IP follows */
		step_to(n, (p[3] & 0x02) ? LAYER_IP : LAYER_ETHERNET,
		    len);
		return DECODE_OK;
	case LINK_NO_IP:
	case LINK_UNKNOWN:
		break;
	}
	return DECODE_UNKNOWN_LINKTYPE;
}

/* PPI's or PKTAP's inner link type, whose header starts at offset. */
static enum decode_status
decode_inner_link(struct layer_step *n, int linktype, size_t offset)
{
	switch (link_kind_of(linktype)) {
	case LINK_ETHERNET:
		step_to(n, LAYER_ETHERNET, offset);
		break;
	case LINK_IEEE80211:
		step_value(n, LAYER_IEEE80211, offset, 0);
		break;
	case LINK_RAW:
		step_to(n, LAYER_IP, offset);
		break;
	case LINK_IPV4:
		step_to(n, LAYER_IPV4, offset);
		break;
	case LINK_IPV6:
		step_to(n, LAYER_IPV6, offset);
		break;
	case LINK_PPP:
		step_to(n, LAYER_PPP, offset);
		break;
	default:
		/* One level only: no PKTAP in PKTAP. */
		step_to(n, LAYER_NOT_IP, offset);
	}
	return DECODE_OK;
}

/* Linux NFLOG: family, version, resource; then TLVs, one the packet. */
static enum decode_status
decode_nflog(struct frame *f, struct layer_step *n)
{
	enum { NFULA_PAYLOAD = 9, NLA_TYPE_MASK = 0x3fff };
	const uint8_t *p = f->data;
	enum layer layer;
	uint16_t tlv_len, tlv_type;
	size_t offset;

	if (!captured(f, 0, NFLOG_HEADER_LEN))
		return DECODE_TRUNCATED;
	layer = p[0] == BSD_AF_INET ? LAYER_IPV4 :
	    p[0] == BSD_AF_INET6_LINUX ? LAYER_IPV6 : LAYER_NOT_IP;
	if (layer == LAYER_NOT_IP) {
		step_to(n, LAYER_NOT_IP, NFLOG_HEADER_LEN);
		return DECODE_OK;
	}
	/* Each pass moves on by at least 4 bytes, so this ends. */
	for (offset = NFLOG_HEADER_LEN;; offset += ((size_t)tlv_len + 3) &
	    ~(size_t)3) {
		if (offset >= f->ip_end) {	/* no packet logged */
			step_to(n, LAYER_NOT_IP, offset);
			return DECODE_OK;
		}
		if (!captured(f, offset, NFLOG_TLV_HEADER_LEN))
			return DECODE_TRUNCATED;
		/* In host order: libpcap swaps them when reading a file. */
		memcpy(&tlv_len, p + offset, sizeof(tlv_len));
		memcpy(&tlv_type, p + offset + 2, sizeof(tlv_type));
		if (tlv_len < NFLOG_TLV_HEADER_LEN)
			return DECODE_BAD_HEADER;
		if ((tlv_type & NLA_TYPE_MASK) == NFULA_PAYLOAD) {
			if (offset + tlv_len < f->ip_end)
				f->ip_end = offset + tlv_len;
			step_to(n, layer, offset + NFLOG_TLV_HEADER_LEN);
			return DECODE_OK;
		}
	}
}

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

/* Teredo (RFC 4380): optional indications, then IPv6. */
static enum decode_status
decode_teredo(struct frame *f, struct layer_step *n, size_t at)
{
	const uint8_t *p = f->data;

	if (!captured(f, at, 2))
		return DECODE_TRUNCATED;
	if (p[at] == 0 && p[at + 1] == 1) {	/* authentication */
		if (!captured(f, at, 4))
			return DECODE_TRUNCATED;
		at += TEREDO_AUTH_MIN_LEN + p[at + 2] + p[at + 3];
		if (!captured(f, at, 2))
			return DECODE_TRUNCATED;
	}
	if (p[at] == 0 && p[at + 1] == 0)	/* origin indication */
		at += TEREDO_ORIGIN_LEN;
	if (!captured(f, at, 1))
		return DECODE_TRUNCATED;
	/* As Zeek: only what is an IPv6 packet is Teredo. */
	if ((p[at] >> 4) != 6)
		return DECODE_NOT_TCP;
	return enter_tunnel(f, n, LAYER_IPV6, at);
}

/*
 * As Zeek, Teredo is found on any port (its relays use many): a UDP
 * payload that is, after Teredo's optional indications, exactly one
 * IPv6 packet.  udp_len: the UDP length field.
 */
static bool
teredo_on_any_port(const struct frame *f, size_t at, size_t udp_len)
{
	const uint8_t *p = f->data;
	size_t end;

	if (udp_len < UDP_HEADER_LEN)
		return false;
	end = at + udp_len - UDP_HEADER_LEN;
	if (captured(f, at, 2) && p[at] == 0 && p[at + 1] == 1) {
		if (!captured(f, at, 4))
			return false;
		at += TEREDO_AUTH_MIN_LEN + p[at + 2] + p[at + 3];
	}
	if (captured(f, at, 2) && p[at] == 0 && p[at + 1] == 0)
		at += TEREDO_ORIGIN_LEN;
	return captured(f, at, IPV6_HEADER_LEN) && (p[at] >> 4) == 6 &&
	    at + IPV6_HEADER_LEN + get_be16(p + at + 4) == end;
}

/* GTPv1-U: a G-PDU carries an IP packet after its header. */
static enum decode_status
decode_gtp(struct frame *f, struct layer_step *n, size_t at)
{
	enum { GTP_G_PDU = 0xff };
	const uint8_t *p = f->data;
	size_t ext_len;
	uint8_t next;

	if (!captured(f, at, GTP_MIN_LEN))
		return DECODE_TRUNCATED;
	/* Version 1, protocol type GTP (not GTP'). */
	if ((p[at] >> 5) != 1 || !(p[at] & 0x10) || p[at + 1] != GTP_G_PDU)
		return DECODE_NOT_TCP;
	if (p[at] & 0x07) {	/* sequence, N-PDU, next extension */
		if (!captured(f, at, GTP_MIN_LEN + GTP_OPTIONAL_LEN))
			return DECODE_TRUNCATED;
		next = (p[at] & 0x04) ? p[at + GTP_MIN_LEN + 3] : 0;
		at += GTP_MIN_LEN + GTP_OPTIONAL_LEN;
		/* Each extension header is 4 bytes or more: this ends. */
		while (next != 0) {
			if (!captured(f, at, 1))
				return DECODE_TRUNCATED;
			ext_len = (size_t)p[at] * 4;
			if (ext_len == 0)
				return DECODE_BAD_HEADER;
			if (!captured(f, at, ext_len))
				return DECODE_TRUNCATED;
			next = p[at + ext_len - 1];
			at += ext_len;
		}
	} else
		at += GTP_MIN_LEN;
	return enter_tunnel(f, n, LAYER_IP, at);
}

/*
 * UDP: a tunnel on one of Zeek's tunnel ports (destination first), or
 * DECODE_NOT_TCP.  A UDP header cut short is not TCP either.
 */
static enum decode_status
decode_udp(struct frame *f, struct layer_step *n, size_t at)
{
	const uint8_t *p = f->data;
	uint16_t ports[2];
	size_t i, len;

	if (!captured(f, at, UDP_HEADER_LEN))
		return DECODE_NOT_TCP;
	ports[0] = get_be16(p + at + 2);
	ports[1] = get_be16(p + at);
	at += UDP_HEADER_LEN;
	for (i = 0; i < 2; i++) {
		switch (ports[i]) {
		case PORT_VXLAN:
			if (!captured(f, at, VXLAN_HEADER_LEN))
				return DECODE_TRUNCATED;
			if (!(p[at] & 0x08))	/* the VNI is not valid */
				return DECODE_NOT_TCP;
			return enter_tunnel(f, n, LAYER_ETHERNET,
			    at + VXLAN_HEADER_LEN);
		case PORT_GENEVE:
			if (!captured(f, at, GENEVE_MIN_LEN))
				return DECODE_TRUNCATED;
			if ((p[at] >> 6) != 0)	/* version 0 only */
				return DECODE_NOT_TCP;
			len = GENEVE_MIN_LEN + (size_t)(p[at] & 0x3f) * 4;
			if (!captured(f, at, len))
				return DECODE_TRUNCATED;
			n->value = get_be16(p + at + 2);
			return enter_tunnel(f, n, LAYER_ETHERTYPE, at + len);
		case PORT_GRE_IN_UDP:
			return enter_tunnel(f, n, LAYER_GRE, at);
		case PORT_TEREDO:
			return decode_teredo(f, n, at);
		case PORT_GTP_U:
			return decode_gtp(f, n, at);
		default:
			break;
		}
	}
	if (teredo_on_any_port(f, at, get_be16(p + at - UDP_HEADER_LEN + 4)))
		return decode_teredo(f, n, at);
	return DECODE_NOT_TCP;
}

/* What an IP header's protocol says follows, at offset at. */
static enum decode_status
decode_ip_payload(struct frame *f, struct layer_step *n, uint8_t protocol,
    size_t at)
{
	switch (protocol) {
	case IP_PROTO_IPIP:
		return enter_tunnel(f, n, LAYER_IPV4, at);
	case IP_PROTO_IPV6:
		return enter_tunnel(f, n, LAYER_IPV6, at);
	case IP_PROTO_GRE:
		return enter_tunnel(f, n, LAYER_GRE, at);
	case IP_PROTO_UDP:
		return decode_udp(f, n, at);
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

/* GRE (RFC 2784, 2890) and PPTP's enhanced GRE (RFC 2637). */
static enum decode_status
decode_gre(struct frame *f, struct layer_step *n)
{
	const uint8_t *p = f->data;
	size_t at = n->offset, len = GRE_MIN_LEN;
	uint16_t flags, protocol;

	if (!captured(f, at, GRE_MIN_LEN))
		return DECODE_TRUNCATED;
	flags = get_be16(p + at);
	protocol = get_be16(p + at + 2);
	switch (flags & GRE_VERSION_MASK) {
	case 0:
		/* As Zeek: source routing is not followed. */
		if (flags & GRE_ROUTING)
			return DECODE_NOT_TCP;
		len += (flags & GRE_CHECKSUM) ? 4 : 0;
		len += (flags & GRE_KEY) ? 4 : 0;
		len += (flags & GRE_SEQUENCE) ? 4 : 0;
		break;
	case 1:
		if (protocol != ETHERTYPE_PPP || !(flags & GRE_KEY))
			return DECODE_NOT_TCP;
		len += 4;
		len += (flags & GRE_SEQUENCE) ? 4 : 0;
		len += (flags & GRE_ACK) ? 4 : 0;
		break;
	default:
		return DECODE_NOT_TCP;
	}
	if (!captured(f, at, len))
		return DECODE_TRUNCATED;
	at += len;
	switch (protocol) {
	case ETHERTYPE_ERSPAN_2:
		/* Type II has a sequence number and a header; type I neither. */
		if (flags & GRE_SEQUENCE) {
			if (!captured(f, at, ERSPAN2_HEADER_LEN))
				return DECODE_TRUNCATED;
			at += ERSPAN2_HEADER_LEN;
		}
		step_to(n, LAYER_ETHERNET, at);
		return DECODE_OK;
	case ETHERTYPE_ERSPAN_3:
		if (!captured(f, at, ERSPAN3_HEADER_LEN))
			return DECODE_TRUNCATED;
		/* The O bit: a platform-specific subheader follows. */
		len = ERSPAN3_HEADER_LEN + ((p[at + 11] & 0x01) ?
		    ERSPAN3_SUBHEADER_LEN : 0);
		step_to(n, LAYER_ETHERNET, at + len);
		return DECODE_OK;
	default:
		step_value(n, LAYER_ETHERTYPE, at, protocol);
		return DECODE_OK;
	}
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
	enum link_kind kind = link_kind_of(linktype);
	struct layer_step next;
	struct frame f;
	int64_t ts_ns = seg->ts_ns;

	memset(&f, 0, sizeof(f));
	f.data = data;
	f.caplen = caplen;
	f.ip_end = wire_len > caplen ? wire_len : caplen;
	f.seg = seg;
	memset(&next, 0, sizeof(next));
	if (kind == LINK_UNKNOWN || kind == LINK_NO_IP)
		status = DECODE_UNKNOWN_LINKTYPE;
	else if (data == NULL)	/* even data + 0 would be undefined */
		status = DECODE_TRUNCATED;
	else {
		status = decode_link(kind, &f, &next);
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
