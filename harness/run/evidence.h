/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence.h - a case's evidence: the capture at each capture point, the
 * sentinel that proves a capture complete, and the verdict file.
 *
 * Evidence is written to new files of this process's own (O_EXCL, never
 * through a symbolic link, relative to the captures directory), read
 * back from there, and renamed over the final names only when complete.
 * Each call returns what it found (0, or -1 with an error text); the
 * runner decides what that means for the case.
 */
#ifndef evidence_h
#define evidence_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "case.h"
#include "topology.h"

struct evidence;

/* What one capture point yielded, for the report. */
struct evidence_capture {
	bool wanted;		/* the case captures at this end */
	const char *path;	/* the final name, as reports show it */
	const char *file;	/* read it from here: once complete, the descriptor it was
				 * written with (/proc/self/fd/N), not a name */
	bool complete;		/* finished, statistics read */
	struct capture_stats stats;
};

enum evidence_result {
	EVIDENCE_OK,
	EVIDENCE_NOT_HERE,	/* no right to capture here: the case cannot run */
	EVIDENCE_FAILED
};

/*
 * The evidence of one run of cf in dir: "<case><suffix>.pcap", or with
 * two capture points "<case><suffix>.server.pcap" and "...client.pcap",
 * and "<case><suffix>.txt".  NULL on ENOMEM.
 */
struct evidence *evidence_create(const struct case_file *cf, const char *dir,
    const char *suffix);
void evidence_destroy(struct evidence *ev);

/* Create (if needed) and open the captures directory, never through a link. */
int evidence_open_dir(struct evidence *ev, char *errbuf, size_t errbuf_size);

/* The sentinel's sockets: the receiver in the server's namespace, the
 * sender in the client's (where the caller is left). */
int evidence_open_sentinel(struct evidence *ev, const struct topology *topo,
    char *errbuf, size_t errbuf_size);

/* The same for a peer run (remote.h): the receiver's socket only holds a
 * port here, by local, and the sentinel goes to the peer's address with
 * that port, out through the interface that is captured. */
int evidence_open_sentinel_toward(struct evidence *ev, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, socklen_t len, char *errbuf, size_t errbuf_size);

/* Start capturing at end (if the case captures there) the connection to
 * server_port and the sentinel; the caller is left in end's namespace. */
enum evidence_result evidence_start_capture(struct evidence *ev, const struct topology *topo,
    enum role_id end, uint16_t server_port, char *errbuf, size_t errbuf_size);

/* The descriptors to poll for packets; returns how many (at most ROLE_ENDS). */
size_t evidence_poll_fds(const struct evidence *ev, int fds[ROLE_ENDS]);

/* The descriptors the role processes must not hold (captures, sentinel);
 * returns how many (at most EVIDENCE_PRIVATE_FDS_MAX). */
#define EVIDENCE_PRIVATE_FDS_MAX (ROLE_ENDS + 2)
size_t evidence_private_fds(const struct evidence *ev, int fds[EVIDENCE_PRIVATE_FDS_MAX]);

/* Read every packet the captures hold now.  0 ok, -1 with errbuf. */
int evidence_pump(struct evidence *ev, char *errbuf, size_t errbuf_size);

/*
 * Once the roles are gone: let the case's sockets (of server_port) settle,
 * send the sentinel and read until every capture has it.  When sockets
 * were still closing after the settle limit, note says so (else it is "").
 * 0 ok, -1 with errbuf; the caller is left in the client's namespace.
 */
int evidence_complete(struct evidence *ev, const struct topology *topo, uint16_t server_port,
    char *note, size_t note_size, char *errbuf, size_t errbuf_size);

/* Stop the captures and read their statistics; a drop anywhere makes the
 * evidence incomplete.  0 ok, -1 with errbuf (the first problem). */
int evidence_finish(struct evidence *ev, char *errbuf, size_t errbuf_size);

/*
 * Close the captures (after evidence_finish(), or on the way out).
 * Closing a packet socket waits for two RCU grace periods, tens of
 * milliseconds, in whichever process drops the last reference.  With
 * hand_off that is a process forked for it, holding nothing else, which
 * closes them while the case goes on and ends by itself (outliving the
 * case by as long); without, or when it cannot be forked, they are closed
 * here.  Idempotent; nothing to do for NULL.
 */
void evidence_stop_captures(struct evidence *ev, bool hand_off);

/* Close the captures for publishing with the text (evidence_write_text);
 * a set with a file written short is removed instead: 0 ok, -1 with
 * errbuf.  Whatever else happened, the captures made are the evidence. */
int evidence_publish(struct evidence *ev, char *errbuf, size_t errbuf_size);

/*
 * The ladder of the capture at end (an SVG document), written privately
 * now and published with the set by evidence_write_text() as
 * "<case><suffix>[.server|.client].svg", beside its capture.  0, or -1
 * with errbuf (the set is then published without it).
 */
int evidence_add_picture(struct evidence *ev, enum role_id end, const char *svg, size_t len,
    char *errbuf, size_t errbuf_size);

/* The ladder's final name once published with the set, else NULL. */
const char *evidence_picture_path(const struct evidence *ev, enum role_id end);

/* Write text to the verdict file, privately, then publish it with the
 * captures as one set: all of it, or (a write or rename failed) none,
 * every file of it removed.  0 ok; -1 with errbuf ("PATH: REASON"). */
int evidence_write_text(struct evidence *ev, const char *text, char *errbuf,
    size_t errbuf_size);

const struct evidence_capture *evidence_capture(const struct evidence *ev, enum role_id end);

/* The end whose capture the verdict's wire half comes from: the server
 * end's, or the only one. */
enum role_id evidence_primary_end(const struct evidence *ev);

/* The verdict file's final name. */
const char *evidence_text_path(const struct evidence *ev);

#endif /* evidence_h */
