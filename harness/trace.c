/*
 * trace.c - capture file -> decode_packet() -> conn_table_add().
 */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <pcap/pcap.h>

#include "decode.h"

enum {
	/* pcap_major_version() of a classic pcap file (pcapng says 1) */
	CLASSIC_PCAP_MAJOR = 2
};

/*
 * Following the file position of a classic pcap file, to see records
 * that libpcap cut to the snap length without a word.
 */
struct record_check {
	FILE *file;		/* NULL: cannot check */
	off_t position;		/* after the last record read */
	off_t header_len;	/* of a record header; 0 until known */
};

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

static void
record_check_init(struct record_check *rc, pcap_t *p)
{
	memset(rc, 0, sizeof(*rc));
	if (pcap_major_version(p) != CLASSIC_PCAP_MAJOR)
		return;
	rc->file = pcap_file(p);
	if (rc->file == NULL)
		return;
	rc->position = ftello(rc->file);
	if (rc->position < 0) {		/* a pipe: cannot tell */
		rc->file = NULL;
		return;
	}
	/*
	 * Seeking to where we are changes nothing, but lets glibc know the
	 * file offset from then on, so that ftello() needs no lseek().
	 */
	if (fseeko(rc->file, rc->position, SEEK_SET) == -1)
		rc->file = NULL;
}

/*
 * After a record was read: the captured length its header claimed, which
 * exceeds caplen only when libpcap cut the record to the snap length
 * (then caplen is the snap length; otherwise the file position need not
 * be asked).
 */
static uint64_t
record_check_stored_len(struct record_check *rc, uint32_t caplen,
    int snaplen)
{
	off_t position, stored;

	if (rc->file == NULL)
		return caplen;
	if (rc->header_len != 0 &&
	    (snaplen <= 0 || caplen < (uint32_t)snaplen)) {
		rc->position += rc->header_len + (off_t)caplen;
		return caplen;
	}
	position = ftello(rc->file);
	if (position < 0) {
		rc->file = NULL;
		return caplen;
	}
	if (rc->header_len == 0) {
		/* Learn it from a record that cannot have been cut. */
		if (snaplen > 0 && caplen >= (uint32_t)snaplen) {
			stored = position - rc->position - 16;
		} else {
			rc->header_len = position - rc->position -
			    (off_t)caplen;
			stored = caplen;
		}
	} else
		stored = position - rc->position - rc->header_len;
	rc->position = position;
	return stored > (off_t)caplen ? (uint64_t)stored : caplen;
}

static const char *
display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "(stdin)" : path;
}

static pcap_t *
open_capture(const char *path, const char *name, char *errbuf,
    size_t errbuf_size)
{
	char pcap_errbuf[PCAP_ERRBUF_SIZE];
	size_t path_len;
	pcap_t *p;

	pcap_errbuf[0] = '\0';
	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, pcap_errbuf);
	if (p != NULL)
		return p;
	/* libpcap names the file itself when fopen() fails. */
	path_len = strlen(path);
	if (strncmp(pcap_errbuf, path, path_len) == 0 &&
	    pcap_errbuf[path_len] == ':')
		set_error(errbuf, errbuf_size, "%s", pcap_errbuf);
	else
		set_error(errbuf, errbuf_size, "%s: %s", name,
		    pcap_errbuf[0] != '\0' ? pcap_errbuf : "cannot open");
	return NULL;
}

static int
check_linktype(const char *name, const struct trace_stats *stats,
    unsigned flags, char *errbuf, size_t errbuf_size)
{
	const char *lname, *description;
	size_t need;

	lname = pcap_datalink_val_to_name(stats->linktype);
	description = pcap_datalink_val_to_description(stats->linktype);
	if (!decode_linktype_supported(stats->linktype)) {
		set_error(errbuf, errbuf_size,
		    "%s: unsupported link type %s (%d%s%s)", name,
		    lname != NULL ? lname : "unknown", stats->linktype,
		    description != NULL ? ", " : "",
		    description != NULL ? description : "");
		return -1;
	}
	need = decode_min_tcp_caplen(stats->linktype);
	if ((flags & TRACE_STRICT) && stats->snaplen > 0 &&
	    (size_t)stats->snaplen < need) {
		set_error(errbuf, errbuf_size,
		    "%s: snap length %d is too short for TCP headers on %s "
		    "(at least %zu bytes needed)", name, stats->snaplen,
		    lname != NULL ? lname : "this link type", need);
		return -1;
	}
	return 0;
}

int
trace_read(const char *path, struct conn_table *table,
    struct trace_stats *stats, unsigned flags, char *errbuf,
    size_t errbuf_size)
{
	struct trace_stats local_stats;
	struct record_check check;
	struct pcap_pkthdr *header;
	const u_char *data;
	struct tcp_segment seg;
	enum decode_status status;
	const char *name;
	uint64_t stored;
	pcap_t *p;
	int rc, result;

	if (stats == NULL)
		stats = &local_stats;
	memset(stats, 0, sizeof(*stats));
	if (path == NULL || table == NULL) {
		set_error(errbuf, errbuf_size, "%s: %s",
		    path != NULL ? path : "(null)", strerror(EINVAL));
		return -1;
	}
	name = display_name(path);
	p = open_capture(path, name, errbuf, errbuf_size);
	if (p == NULL)
		return -1;
	stats->linktype = pcap_datalink(p);
	stats->snaplen = pcap_snapshot(p);
	if (check_linktype(name, stats, flags, errbuf, errbuf_size) == -1) {
		pcap_close(p);
		return -1;
	}
	if (flags & TRACE_STRICT)
		record_check_init(&check, p);
	else
		memset(&check, 0, sizeof(check));

	result = 0;
	for (;;) {
		rc = pcap_next_ex(p, &header, &data);
		if (rc == PCAP_ERROR_BREAK)	/* end of file */
			break;
		if (rc != 1) {
			/* The record that could not be read is the next one. */
			set_error(errbuf, errbuf_size, "%s: record %llu: %s",
			    name, (unsigned long long)stats->records + 1,
			    pcap_geterr(p));
			result = -1;
			break;
		}
		stats->records++;
		stored = record_check_stored_len(&check, header->caplen,
		    stats->snaplen);
		if (stored > header->caplen) {
			set_error(errbuf, errbuf_size, "%s: record %llu: "
			    "captured length %llu exceeds the snap length %d",
			    name, (unsigned long long)stats->records,
			    (unsigned long long)stored, stats->snaplen);
			result = -1;
			break;
		}
		seg.ts_ns = 0;
		status = decode_packet(stats->linktype, data, header->caplen,
		    &seg);
		count_status(stats, status);
		if (status != DECODE_OK) {
			if (status == DECODE_TRUNCATED &&
			    stats->first_truncated_record == 0) {
				stats->first_truncated_record = stats->records;
				stats->first_truncated_caplen = header->caplen;
			}
			continue;
		}
		seg.ts_ns = timestamp_ns(&header->ts);
		if (conn_table_add(table, &seg, stats->records) == -1) {
			set_error(errbuf, errbuf_size, "%s: record %llu: %s",
			    name, (unsigned long long)stats->records,
			    strerror(errno));
			result = -1;
			break;
		}
	}
	pcap_close(p);
	if (result == 0 && (flags & TRACE_STRICT) &&
	    stats->first_truncated_record != 0) {
		set_error(errbuf, errbuf_size, "%s: record %llu: captured "
		    "length %u is too short for the headers (%llu such "
		    "record%s; snap length %d)", name,
		    (unsigned long long)stats->first_truncated_record,
		    stats->first_truncated_caplen,
		    (unsigned long long)stats->truncated,
		    stats->truncated == 1 ? "" : "s", stats->snaplen);
		result = -1;
	}
	return result;
}

int
trace_read_file(const char *path, struct conn_table *table,
    struct trace_stats *stats, char *errbuf, size_t errbuf_size)
{
	int result;

	result = trace_read(path, table, stats, 0, errbuf, errbuf_size);
	/* Keep-all tables: set every connection's flags and state. */
	if (table != NULL)
		(void)conn_table_flush(table);
	return result;
}
