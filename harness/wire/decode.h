/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode.h - one captured frame -> one TCP segment.
 *
 * decode_packet() peels the link-layer header (whatever pcap_datalink()
 * reported for the capture), then what Zeek peels on the way to TCP
 * (802.1Q/QinQ, MPLS, PPPoE, PBB, FabricPath, VN-Tag; the tunnels IP in
 * IP, GRE with ERSPAN and PPTP, VXLAN, Geneve, GRE in UDP, Teredo,
 * GTP-U), then IPv4 or IPv6 (skipping options and extension headers),
 * then reads the TCP header.  It never looks past caplen, and takes
 * payload lengths from the IP length fields, because a capture with a
 * small snaplen holds only the headers; only an IP length of 0 (TSO as
 * captured, BIG TCP) gives way to the frame's length, as in Zeek and
 * tcpdump.  Checksums are not checked: on Linux loopback they are left
 * unfinished by offload.
 */
#ifndef decode_h
#define decode_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>		/* AF_INET, AF_INET6 */

enum decode_status {
	DECODE_OK,
	DECODE_NOT_IP,		/* e.g. ARP, unknown ethertype */
	DECODE_NOT_TCP,		/* IP but another protocol (UDP, ICMP) */
	DECODE_FRAGMENT,	/* an IP fragment of a TCP segment */
	DECODE_TRUNCATED,	/* caplen too short for the headers */
	DECODE_BAD_HEADER,	/* malformed: bad IHL, bad TCP data offset */
	DECODE_TUNNEL_TOO_DEEP,	/* more than DECODE_MAX_TUNNELS tunnels */
	DECODE_UNKNOWN_LINKTYPE
};

/*
 * Tunnels decoded inside one another at most: Zeek's Tunnel::max_depth.
 * A frame nested deeper is DECODE_TUNNEL_TOO_DEEP, which also bounds
 * the work a crafted frame can ask for.
 */
#define DECODE_MAX_TUNNELS	2

/* What decode_packet_note() found besides the segment (bits). */
enum decode_note {
	/*
	 * An IPv4 total length or IPv6 payload length of 0: the length was
	 * taken from the frame (TSO) or from a jumbo payload option.
	 */
	DECODE_NOTE_IP_LENGTH_ZERO = 1 << 0,
	DECODE_NOTE_TUNNELED = 1 << 1	/* the segment was inside a tunnel */
};

struct tcp_segment {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t src_addr[16];		/* IPv4 in the first 4 bytes */
	uint8_t dst_addr[16];
	uint16_t src_port, dst_port;	/* host order */
	uint32_t seq, ack;		/* host order, raw (not relative) */
	uint8_t flags;			/* TCP_FLAG_* below */
	uint16_t window;		/* raw, unscaled */
	uint32_t payload_len;		/* from the IP length, not caplen */
	int64_t ts_ns;			/* capture time, ns since the epoch */
};

#define TCP_FLAG_FIN	0x01
#define TCP_FLAG_SYN	0x02
#define TCP_FLAG_RST	0x04
#define TCP_FLAG_PSH	0x08
#define TCP_FLAG_ACK	0x10
#define TCP_FLAG_URG	0x20
#define TCP_FLAG_ECE	0x40
#define TCP_FLAG_CWR	0x80

/*
 * LINKTYPE_RAW as stored in capture files.  libpcap maps it to DLT_RAW
 * when reading, but a caller passing a file's header value directly
 * still gets raw IP.
 */
#define DECODE_LINKTYPE_RAW_FILE	101

/* Whether decode_packet() understands linktype (a DLT_ value). */
bool decode_linktype_supported(int linktype);

/*
 * Whether linktype is one that cannot carry IP at all (D-Bus, vsock,
 * USB, CAN, Bluetooth HCI, netlink, 802.15.4 whose IPv6 is 6LoWPAN-
 * compressed): a capture of it has no TCP to find, which is not the
 * same as a link type closeprobe does not know.
 */
bool decode_linktype_carries_no_ip(int linktype);

/*
 * The fewest captured bytes that hold a TCP segment's headers on
 * linktype: link layer (no VLAN tag), IPv4 and TCP without options.
 * 0 for a link type decode_packet() does not understand.
 */
size_t decode_min_tcp_caplen(int linktype);

/*
 * Decode one frame.  On DECODE_OK every field of seg except ts_ns is
 * set; on any other status seg holds zeros (ts_ns is never touched, so
 * the caller may fill it before or after).
 *
 * Non-TCP traffic is reported as DECODE_NOT_TCP even when it is
 * fragmented; DECODE_FRAGMENT is only for TCP (or, for IPv6, a fragment
 * whose upper protocol is hidden behind further headers).
 */
enum decode_status decode_packet(int linktype, const uint8_t *data,
    size_t caplen, struct tcp_segment *seg);

/*
 * decode_packet() for a frame of wire_len bytes of which caplen were
 * captured (a pcap record's len and caplen; wire_len below caplen counts
 * as caplen): the frame length an IP length of 0 gives way to.  *notes
 * (if notes is not NULL) is set to enum decode_note bits, also when the
 * frame is not decoded.
 */
enum decode_status decode_packet_note(int linktype, const uint8_t *data,
    size_t caplen, size_t wire_len, struct tcp_segment *seg,
    unsigned *notes);

/*
 * "ok", "not-ip", "not-tcp", "fragment", "truncated", "bad-header",
 * "tunnel-too-deep", "unknown-linktype"; "unknown" for a value outside
 * the enum.
 */
const char *decode_status_name(enum decode_status status);

#endif /* decode_h */
