/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode_link.c - the link types decode_packet() reads: which they are,
 * and where each one's network layer starts.
 */
#include "decode_layer.h"

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


enum decode_status
decode_link_layer(int linktype, struct frame *f, struct layer_step *n)
{
	return decode_link(link_kind_of(linktype), f, n);
}
