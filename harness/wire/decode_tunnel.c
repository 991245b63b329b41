/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode_tunnel.c - the tunnels decode_packet() follows, as Zeek does:
 * GRE (with ERSPAN and PPTP) and the UDP tunnels VXLAN, Geneve, GRE in
 * UDP, GTPv1-U and Teredo.  IP in IP needs no code of its own.
 */
#include "decode_layer.h"

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

/* Into a tunnel: DECODE_TUNNEL_TOO_DEEP past DECODE_MAX_TUNNELS. */
enum decode_status
decode_enter_tunnel(struct frame *f, struct layer_step *n, enum layer layer,
    size_t offset)
{
	if (f->tunnels >= DECODE_MAX_TUNNELS)
		return DECODE_TUNNEL_TOO_DEEP;
	f->tunnels++;
	f->notes |= DECODE_NOTE_TUNNELED;
	step_to(n, layer, offset);
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
	return decode_enter_tunnel(f, n, LAYER_IPV6, at);
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
	return decode_enter_tunnel(f, n, LAYER_IP, at);
}

/*
 * UDP: a tunnel on one of Zeek's tunnel ports (destination first), or
 * DECODE_NOT_TCP.  A UDP header cut short is not TCP either.
 */
enum decode_status
decode_udp_tunnel(struct frame *f, struct layer_step *n, size_t at)
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
			return decode_enter_tunnel(f, n, LAYER_ETHERNET,
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
			return decode_enter_tunnel(f, n, LAYER_ETHERTYPE, at + len);
		case PORT_GRE_IN_UDP:
			return decode_enter_tunnel(f, n, LAYER_GRE, at);
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

/* GRE (RFC 2784, 2890) and PPTP's enhanced GRE (RFC 2637). */
enum decode_status
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

