/*
 * teardown.h - closeprobe's own view of how a connection ended (private
 * to conntable.c): the first FIN and RST of each side with their record
 * numbers, the loss-risk flags (enum conn_flag), and the teardown class
 * (teardown.c; the classification and names are public in conntrack.h).
 */
#ifndef teardown_h
#define teardown_h

#include <stdint.h>

#include "conntrack.h"
#include "decode.h"
#include "stream.h"

/*
 * Side's segment seg, record index, after stream_track_sender(): its RST
 * (first RST, kind, the flags an RST raises) and FIN (first FIN), and
 * whether the connection has ended.  stream[] is the connection's two
 * streams; offset is that of seg->seq in side's stream.
 */
void teardown_track(struct conn *c, enum conn_side side,
    const struct stream_state stream[2], const struct tcp_segment *seg,
    uint64_t index, int64_t offset);

/* When finished, after stream_finish(): the hole and acked-unseen flags. */
void teardown_finish(struct conn *c);

#endif /* teardown_h */
