/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace.c - capture file -> decode_packet() -> conn_table_add().
 */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

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
	bool quick_tell;	/* record_tell() may read the stream's fields */
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
	case DECODE_TUNNEL_TOO_DEEP:
		stats->undecodable++;
		stats->tunnel_too_deep++;
		break;
	case DECODE_BAD_HEADER:
	case DECODE_UNKNOWN_LINKTYPE:	/* excluded before the first record */
		stats->undecodable++;
		stats->bad_header++;
		break;
	}
}

/*
 * Nanoseconds since the epoch; false if they do not fit in 64 bits
 * (pcapng can hold dates after 2262, where they would overflow).
 */
static bool
timestamp_ns(const struct timeval *ts, int64_t *ns)
{
	/*
	 * Opened with nanosecond precision, so tv_usec holds nanoseconds.
	 * The overflow checks cost a jump each on the common path.
	 */
	return !__builtin_mul_overflow((int64_t)ts->tv_sec,
	    INT64_C(1000000000), ns) &&
	    !__builtin_add_overflow(*ns, (int64_t)ts->tv_usec, ns);
}

/*
 * ftello() of the stream libpcap reads.  A record cut to the snap length
 * looks like any other once libpcap has read it, so the file position is
 * asked after every record whose caplen is the snap length: in a
 * headers-only capture, after most of them.  ftello() takes the stream's
 * lock and goes through three calls (about 100 instructions, as much as
 * decoding the packet).  With glibc the position is instead computed
 * from the fields its <stdio.h> declares in FILE, exactly as ftello()
 * computes it for a stream that is only read (gnulib's fseeko.c and
 * freadahead.c rely on the same fields); record_check_init() first makes
 * sure that both agree, and anything unexpected falls back to ftello().
 */
static off_t
record_tell(const struct record_check *rc)
{
#if defined(__GLIBC__) && defined(_IO_EOF_SEEN)
	const FILE *f = rc->file;

	if (rc->quick_tell && f->_offset >= 0 && f->_IO_buf_base != NULL &&
	    f->_IO_write_ptr == f->_IO_write_base &&
	    f->_IO_read_end >= f->_IO_read_ptr)
		return (off_t)(f->_offset - (f->_IO_read_end - f->_IO_read_ptr));
#endif
	return ftello(rc->file);
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
	if (fseeko(rc->file, rc->position, SEEK_SET) == -1) {
		rc->file = NULL;
		return;
	}
	rc->quick_tell = true;
	if (record_tell(rc) != ftello(rc->file))
		rc->quick_tell = false;
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
	position = record_tell(rc);
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
	char link[256];		/* "DLT_NAME (N, description)" */
	size_t need;

	lname = pcap_datalink_val_to_name(stats->linktype);
	description = pcap_datalink_val_to_description(stats->linktype);
	snprintf(link, sizeof(link), "%s (%d%s%s)", lname != NULL ? lname : "unknown",
	    stats->linktype, description != NULL ? ", " : "",
	    description != NULL ? description : "");
	if (decode_linktype_carries_no_ip(stats->linktype)) {
		set_error(errbuf, errbuf_size,
		    "%s: link type %s carries no IP: skipped", name, link);
		return TRACE_NO_IP_LINKTYPE;
	}
	if (!decode_linktype_supported(stats->linktype)) {
		set_error(errbuf, errbuf_size, "%s: unsupported link type %s", name, link);
		return TRACE_ERROR;
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

/* One file being read: what the pcap_loop() callback works with. */
struct trace_reader {
	pcap_t *p;
	const char *name;		/* for messages */
	struct conn_table *table;
	struct trace_stats *stats;
	struct record_check check;
	char *errbuf;
	size_t errbuf_size;
	int result;			/* -1: an error stopped the loop */
};

/* Stop reading the file: no record after this one is read. */
static void
reader_stop(struct trace_reader *r)
{
	r->result = -1;
	pcap_breakloop(r->p);
}

/*
 * One record with the length its header stored (above caplen: libpcap
 * cut it to the snap length).
 */
static inline __attribute__((always_inline)) void
take_record(struct trace_reader *r, const struct pcap_pkthdr *header,
    const u_char *data, uint64_t stored)
{
	struct trace_stats *stats = r->stats;
	struct tcp_segment seg;
	enum decode_status status;
	unsigned notes;
	int64_t ts_ns;

	stats->records++;
	if (stored > header->caplen) {
		/* libpcap kept the first snap length bytes: decode those. */
		if (stats->oversize++ == 0) {
			stats->first_oversize_record = stats->records;
			stats->first_oversize_len = stored;
		}
	}
	if (!timestamp_ns(&header->ts, &ts_ns)) {
		if (stats->bad_timestamp++ == 0) {
			stats->first_bad_timestamp_record = stats->records;
			stats->first_bad_timestamp_sec =
			    (int64_t)header->ts.tv_sec;
		}
		return;
	}
	seg.ts_ns = 0;
	status = decode_packet_note(stats->linktype, data, header->caplen,
	    header->len, &seg, &notes);
	count_status(stats, status);
	if (status != DECODE_OK) {
		if (status == DECODE_TRUNCATED &&
		    stats->first_truncated_record == 0) {
			stats->first_truncated_record = stats->records;
			stats->first_truncated_caplen = header->caplen;
		}
		return;
	}
	if (notes != 0) {	/* rare: one test on the common path */
		stats->ip_length_zero += (notes & DECODE_NOTE_IP_LENGTH_ZERO) != 0;
		stats->tunneled += (notes & DECODE_NOTE_TUNNELED) != 0;
	}
	seg.ts_ns = ts_ns;
	if (conn_table_add(r->table, &seg, stats->records) == -1) {
		set_error(r->errbuf, r->errbuf_size, "%s: record %llu: %s",
		    r->name, (unsigned long long)stats->records,
		    strerror(errno));
		r->result = -1;
	}
}

/* One record, as pcap_loop() hands it over. */
static void
read_record(u_char *user, const struct pcap_pkthdr *header,
    const u_char *data)
{
	struct trace_reader *r = (struct trace_reader *)(void *)user;

	take_record(r, header, data, record_check_stored_len(&r->check,
	    header->caplen, r->stats->snaplen));
	if (r->result != 0)
		reader_stop(r);
}

/*
 * A classic pcap file on a regular file read straight from large
 * blocks (pread(), beside the FILE libpcap opened) instead of two
 * fread() and a copy per record: at several hundred instructions a
 * record, libpcap's reading costs more than decoding and tracking.
 * Only records that libpcap would hand over unchanged are read so:
 * whole, within the snap length, in a file whose headers need no
 * more than a byte swap and a scale to nanoseconds.  Any other record
 * (cut to the snap length, the file ending inside it, a read error) is
 * left to libpcap, from its offset, so that it is treated and
 * reported exactly as before; reading goes on after it.
 */
enum {
	BLOCK_SIZE = 256 * 1024,
	FILE_HEADER_LEN = 24,
	RECORD_HEADER_LEN = 16,
	PCAP_MAGIC_MICRO = 0xa1b2c3d4,
	PCAP_MAGIC_NANO = 0xa1b23c4d,
	PCAP_VERSION_MINOR_CURRENT = 4	/* earlier: lengths maybe swapped */
};

struct block_reader {
	int fd;
	FILE *file;		/* libpcap's, for the records left to it */
	uint8_t *buf;
	size_t start, end;	/* unread bytes: buf[start, end) */
	off_t offset;		/* of buf[0] in the file */
	bool swapped, micro;
	bool strict;		/* TRACE_STRICT: count oversize records */
	uint32_t snapshot;
	bool eof;
};

static uint32_t
swap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static uint32_t
get_u32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? swap32(v) : v;
}

/*
 * Whether the file can be read in blocks; if so br is ready (its
 * buffer allocated) at the first record.
 */
static bool
block_reader_init(struct block_reader *br, pcap_t *p, int linktype,
    unsigned flags)
{
	uint8_t header[FILE_HEADER_LEN];
	struct stat st;
	uint32_t magic;
	uint16_t major, minor;

	memset(br, 0, sizeof(*br));
	br->strict = (flags & TRACE_STRICT) != 0;
	/* libpcap rewrites these in place when the file is swapped. */
	if (linktype == DLT_NFLOG || linktype == DLT_USB_LINUX ||
	    linktype == DLT_USB_LINUX_MMAPPED)
		return false;
	if (pcap_major_version(p) != CLASSIC_PCAP_MAJOR || pcap_snapshot(p) <= 0)
		return false;
	br->file = pcap_file(p);
	if (br->file == NULL)
		return false;
	br->fd = fileno(br->file);
	if (br->fd < 0 || fstat(br->fd, &st) == -1 || !S_ISREG(st.st_mode))
		return false;
	br->offset = ftello(br->file);
	if (br->offset != FILE_HEADER_LEN ||
	    pread(br->fd, header, sizeof(header), 0) != (ssize_t)sizeof(header))
		return false;
	memcpy(&magic, header, sizeof(magic));
	if (magic == PCAP_MAGIC_MICRO || magic == PCAP_MAGIC_NANO)
		br->swapped = false;
	else if (swap32(magic) == PCAP_MAGIC_MICRO ||
	    swap32(magic) == PCAP_MAGIC_NANO)
		br->swapped = true;
	else
		return false;	/* e.g. the modified format's longer headers */
	if ((br->swapped ? 1 : 0) != pcap_is_swapped(p))
		return false;
	magic = br->swapped ? swap32(magic) : magic;
	br->micro = magic == PCAP_MAGIC_MICRO;
	memcpy(&major, header + 4, sizeof(major));
	memcpy(&minor, header + 6, sizeof(minor));
	if (br->swapped) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	if (major != CLASSIC_PCAP_MAJOR || minor < PCAP_VERSION_MINOR_CURRENT)
		return false;
	br->snapshot = (uint32_t)pcap_snapshot(p);
	br->buf = malloc(BLOCK_SIZE);
	return br->buf != NULL;
}

/*
 * At least need unread bytes in the buffer: true, or false at the end
 * of the file or on a read error (then what is left is libpcap's).
 */
static bool __attribute__((noinline))
block_reader_refill(struct block_reader *br, size_t need)
{
	ssize_t n;

	if (br->eof || need > BLOCK_SIZE)
		return false;
	memmove(br->buf, br->buf + br->start, br->end - br->start);
	br->offset += (off_t)br->start;
	br->end -= br->start;
	br->start = 0;
	while (br->end < need) {
		n = pread(br->fd, br->buf + br->end, BLOCK_SIZE - br->end,
		    br->offset + (off_t)br->end);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			br->eof = true;
			return false;
		}
		br->end += (size_t)n;
	}
	return true;
}

/* The test inline: a refill is needed once in hundreds of records. */
static inline bool
block_reader_fill(struct block_reader *br, size_t need)
{
	return br->end - br->start >= need || block_reader_refill(br, need);
}

/*
 * The record at br's position through libpcap: 1 (taken), 0 (the end
 * of the file) or -1 (an error, in errbuf).  br then continues after
 * it.
 */
static int
block_reader_by_libpcap(struct block_reader *br, struct trace_reader *r)
{
	struct pcap_pkthdr *header;
	const u_char *data;
	off_t at = br->offset + (off_t)br->start, after;
	uint64_t stored;
	int rc;

	if (fseeko(br->file, at, SEEK_SET) == -1) {
		set_error(r->errbuf, r->errbuf_size, "%s: record %llu: %s",
		    r->name, (unsigned long long)r->stats->records + 1,
		    strerror(errno));
		return -1;
	}
	rc = pcap_next_ex(r->p, &header, &data);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		set_error(r->errbuf, r->errbuf_size, "%s: record %llu: %s",
		    r->name, (unsigned long long)r->stats->records + 1,
		    pcap_geterr(r->p));
		return -1;
	}
	after = ftello(br->file);
	if (after < at + RECORD_HEADER_LEN) {
		set_error(r->errbuf, r->errbuf_size, "%s: record %llu: %s",
		    r->name, (unsigned long long)r->stats->records + 1,
		    strerror(errno));
		return -1;
	}
	/* What the record_check of the pcap_loop() path would see. */
	stored = (uint64_t)(after - at - RECORD_HEADER_LEN);
	if (!br->strict || stored < header->caplen)
		stored = header->caplen;
	take_record(r, header, data, stored);
	br->offset = after;
	br->start = br->end = 0;
	br->eof = false;
	return 1;
}

/* Every record of the file; 0, or -1 with errbuf set. */
static int
block_reader_run(struct block_reader *br, struct trace_reader *r)
{
	struct pcap_pkthdr header;
	const uint8_t *h;
	uint32_t caplen;
	int rc;

	memset(&header, 0, sizeof(header));
	while (r->result == 0) {
		if (!block_reader_fill(br, RECORD_HEADER_LEN)) {
			if (br->end == br->start && br->eof)
				return 0;	/* ended between records */
			goto by_libpcap;
		}
		h = br->buf + br->start;
		caplen = get_u32(h + 8, br->swapped);
		if (caplen > br->snapshot ||
		    !block_reader_fill(br, RECORD_HEADER_LEN + (size_t)caplen))
			goto by_libpcap;
		h = br->buf + br->start;
		/* As libpcap: the file's 32-bit fields, signed. */
		header.ts.tv_sec = (int32_t)get_u32(h, br->swapped);
		header.ts.tv_usec = (int32_t)get_u32(h + 4, br->swapped);
		if (br->micro)
			header.ts.tv_usec *= 1000;
		header.caplen = caplen;
		header.len = get_u32(h + 12, br->swapped);
		br->start += RECORD_HEADER_LEN + (size_t)caplen;
		take_record(r, &header, h + RECORD_HEADER_LEN, caplen);
		continue;
by_libpcap:
		rc = block_reader_by_libpcap(br, r);
		if (rc <= 0)
			return rc;
	}
	return r->result;
}

int
trace_read(const char *path, struct conn_table *table,
    struct trace_stats *stats, unsigned flags, char *errbuf,
    size_t errbuf_size)
{
	struct trace_stats local_stats;
	struct trace_reader reader;
	struct block_reader block;
	const char *name;
	pcap_t *p;
	int rc;

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
	rc = check_linktype(name, stats, flags, errbuf, errbuf_size);
	if (rc != TRACE_OK) {
		pcap_close(p);
		return rc;
	}
	memset(&reader, 0, sizeof(reader));
	reader.p = p;
	reader.name = name;
	reader.table = table;
	reader.stats = stats;
	reader.errbuf = errbuf;
	reader.errbuf_size = errbuf_size;

	if (block_reader_init(&block, p, stats->linktype, flags)) {
		if (block_reader_run(&block, &reader) == -1)
			reader.result = -1;
		free(block.buf);
		rc = 0;
	} else {
		free(block.buf);
		if (flags & TRACE_STRICT)
			record_check_init(&reader.check, p);
		/*
		 * pcap_loop() rather than a pcap_next_ex() loop: the same
		 * records read the same way, without a copy of each header
		 * and two calls per record.  It returns 0 at the end of the
		 * file, PCAP_ERROR when a record cannot be read,
		 * PCAP_ERROR_BREAK after reader_stop().
		 */
		rc = pcap_loop(p, -1, read_record, (u_char *)&reader);
	}
	if (rc == PCAP_ERROR && reader.result == 0) {
		/* The record that could not be read is the next one. */
		set_error(errbuf, errbuf_size, "%s: record %llu: %s", name,
		    (unsigned long long)stats->records + 1, pcap_geterr(p));
		reader.result = -1;
	}
	pcap_close(p);
	if (reader.result == 0 && (flags & TRACE_STRICT) &&
	    stats->bad_timestamp != 0) {
		set_error(errbuf, errbuf_size, "%s: record %llu: timestamp "
		    "%lld s since 1970 is outside what nanoseconds in 64 bits "
		    "hold (1677-09-21 to 2262-04-11; %llu such record%s, not "
		    "decoded)", name,
		    (unsigned long long)stats->first_bad_timestamp_record,
		    (long long)stats->first_bad_timestamp_sec,
		    (unsigned long long)stats->bad_timestamp,
		    stats->bad_timestamp == 1 ? "" : "s");
		reader.result = -1;
	}
	if (reader.result == 0 && (flags & TRACE_STRICT) &&
	    stats->first_truncated_record != 0) {
		set_error(errbuf, errbuf_size, "%s: record %llu: captured "
		    "length %u is too short for the headers (%llu such "
		    "record%s; snap length %d)", name,
		    (unsigned long long)stats->first_truncated_record,
		    stats->first_truncated_caplen,
		    (unsigned long long)stats->truncated,
		    stats->truncated == 1 ? "" : "s", stats->snaplen);
		reader.result = -1;
	}
	return reader.result;
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
