/*
 * trace.c - capture file -> decode_packet() -> conn_table_add().
 */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"

static void set_error(char *errbuf, size_t errbuf_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(char *errbuf, size_t errbuf_size, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL || errbuf_size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errbuf_size, fmt, ap);
	va_end(ap);
}

static void
count_status(struct trace_stats *stats, enum decode_status status)
{
	switch (status) {
	case DECODE_OK:
		stats->tcp++;
		break;
	case DECODE_NOT_IP:
		stats->not_ip++;
		break;
	case DECODE_NOT_TCP:
		stats->not_tcp++;
		break;
	case DECODE_FRAGMENT:
		stats->fragments++;
		break;
	case DECODE_TRUNCATED:
		stats->undecodable++;
		stats->truncated++;
		break;
	case DECODE_BAD_HEADER:
	case DECODE_UNKNOWN_LINKTYPE:	/* excluded before the first record */
		stats->undecodable++;
		stats->bad_header++;
		break;
	}
}

static int64_t
timestamp_ns(const struct timeval *ts)
{
	/* Opened with nanosecond precision, so tv_usec holds nanoseconds. */
	return (int64_t)ts->tv_sec * INT64_C(1000000000) + (int64_t)ts->tv_usec;
}

int
trace_read_file(const char *path, struct conn_table *table,
    struct trace_stats *stats, char *errbuf, size_t errbuf_size)
{
	char pcap_errbuf[PCAP_ERRBUF_SIZE];
	struct trace_stats local_stats;
	struct pcap_pkthdr *header;
	const u_char *data;
	struct tcp_segment seg;
	enum decode_status status;
	const char *name, *description;
	pcap_t *p;
	size_t path_len;
	int rc, result;

	if (stats == NULL)
		stats = &local_stats;
	memset(stats, 0, sizeof(*stats));
	if (path == NULL || table == NULL) {
		set_error(errbuf, errbuf_size, "%s: %s",
		    path != NULL ? path : "(null)", strerror(EINVAL));
		return -1;
	}

	pcap_errbuf[0] = '\0';
	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, pcap_errbuf);
	if (p == NULL) {
		/* libpcap names the file itself when fopen() fails. */
		path_len = strlen(path);
		if (strncmp(pcap_errbuf, path, path_len) == 0 &&
		    pcap_errbuf[path_len] == ':')
			set_error(errbuf, errbuf_size, "%s", pcap_errbuf);
		else
			set_error(errbuf, errbuf_size, "%s: %s", path,
			    pcap_errbuf[0] != '\0' ? pcap_errbuf :
			    "cannot open");
		return -1;
	}
	stats->linktype = pcap_datalink(p);
	stats->snaplen = pcap_snapshot(p);
	if (!decode_linktype_supported(stats->linktype)) {
		name = pcap_datalink_val_to_name(stats->linktype);
		description =
		    pcap_datalink_val_to_description(stats->linktype);
		set_error(errbuf, errbuf_size,
		    "%s: unsupported link type %s (%d%s%s)", path,
		    name != NULL ? name : "unknown", stats->linktype,
		    description != NULL ? ", " : "",
		    description != NULL ? description : "");
		pcap_close(p);
		return -1;
	}

	result = 0;
	for (;;) {
		rc = pcap_next_ex(p, &header, &data);
		if (rc == PCAP_ERROR_BREAK)	/* end of file */
			break;
		if (rc != 1) {
			/* The record that could not be read is the next one. */
			set_error(errbuf, errbuf_size, "%s: record %llu: %s",
			    path, (unsigned long long)stats->records + 1,
			    pcap_geterr(p));
			result = -1;
			break;
		}
		stats->records++;
		memset(&seg, 0, sizeof(seg));
		status = decode_packet(stats->linktype, data, header->caplen,
		    &seg);
		count_status(stats, status);
		if (status != DECODE_OK)
			continue;
		seg.ts_ns = timestamp_ns(&header->ts);
		if (conn_table_add(table, &seg, stats->records) == -1) {
			set_error(errbuf, errbuf_size, "%s: record %llu: %s",
			    path, (unsigned long long)stats->records,
			    strerror(errno));
			result = -1;
			break;
		}
	}
	pcap_close(p);
	return result;
}
