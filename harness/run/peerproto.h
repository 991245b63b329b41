/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peerproto.h - the line protocol between a coordinator and a peer
 * ("closeprobe peer"), which runs one role of a case on another stack,
 * kernel or host.  doc/closeprobe.1 (PEER PROTOCOL) is its reference.
 *
 * Every message is one line: a verb, a space, its arguments, a newline.
 * What comes from the other end is checked here before anything acts on
 * it: a known verb, the arguments its verb takes, numbers in range, text
 * of printable characters only, and no line longer than its bound (the
 * ledger's line may be longer than the others).  Nothing is trusted
 * because it came from a closeprobe.
 */
#ifndef peerproto_h
#define peerproto_h

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"

#define PEERPROTO_VERSION 1
#define PEERPROTO_LINE_MAX 4096		/* any line but a ledger's, newline included */
#define PEERPROTO_LEDGER_MAX (128 * 1024)	/* the ledger's line */
#define PEERPROTO_CASE_LINES_MAX 4096	/* lines of a case's text */
#define PEERPROTO_WORD_MAX 64		/* a word argument */

/* The verbs, both ways.  A new verb needs a row in peerproto.c's table. */
enum peer_verb {
	/* peer -> coordinator: the hello */
	PEER_HELLO,		/* hello VERSION */
	PEER_PLATFORM,		/* platform FIELD VALUE (os release version machine stack) */
	PEER_SUPPORTS,		/* supports steps|options WORD... */
	PEER_READY,		/* ready: the hello is complete */
	/* coordinator -> peer: the case */
	PEER_CASE,		/* case NAME LINES: LINES "text" lines follow */
	PEER_TEXT,		/* text LINE-OF-THE-CASE-FILE */
	PEER_ROLE,		/* role server ADDR / role client ADDR PORT */
	PEER_START,		/* start DEADLINE-MS: run the role now */
	PEER_EVENT,		/* event N: an event the coordinator's roles raised */
	PEER_ABORT,		/* abort: stop the role, send its ledger */
	/* peer -> coordinator: the run */
	PEER_LISTENING,		/* listening PORT: the server's listener is up */
	PEER_CONNECTING,	/* connecting: the client is set up */
	PEER_CLOCK,		/* clock NS: the peer's CLOCK_MONOTONIC at start */
	PEER_STEP,		/* step N: the role started step N */
	PEER_RAISE,		/* raise N: the peer's role raised event N */
	PEER_UNSUPPORTED,	/* unsupported STEP REASON: the peer cannot run the case */
	PEER_LEDGER,		/* ledger JSON: the role's ledger, once it has ended */
	PEER_CHILD_LEDGER,	/* child-ledger JSON: its child role's (a "fork" step's) */
	PEER_END,		/* end: nothing follows */
	/* either way */
	PEER_ERROR,		/* error TEXT: the sender gives up */
	PEER_VERB_COUNT
};

/* A message, parsed (pointing into the line it came from) or to format. */
struct peer_msg {
	enum peer_verb verb;
	char word[PEERPROTO_WORD_MAX + 1];	/* the word argument, if the verb has one */
	uint64_t number;			/* the number argument, if the verb has one */
	const char *text;			/* the rest of the line, "" if none */
	size_t text_len;
};

const char *peerproto_verb_name(enum peer_verb verb);

/*
 * Parse one line (without its newline; len bytes, need not be
 * NUL-terminated, but msg->text points into it and is terminated only if
 * the line is).  0 ok; -1 with err saying what is wrong with it.
 */
int peerproto_parse(const char *line, size_t len, struct peer_msg *msg, char *err,
    size_t errlen);

/*
 * Format msg as a line, newline included, into buf.  The length, or -1
 * when it does not fit or would not parse back (a control character in
 * the text, a word with a blank).
 */
int peerproto_format(const struct peer_msg *msg, char *buf, size_t size);

/* Is every byte of s[0..len) allowed in a line's text (printable, tab, UTF-8)? */
bool peerproto_text_ok(const char *s, size_t len);

/*
 * A line reader on a descriptor, bounded: a line longer than
 * PEERPROTO_LEDGER_MAX is an error, not a reason to grow.
 */
struct peer_reader {
	int fd;
	char *buf;
	size_t len;		/* bytes held */
	size_t start;		/* where the next line begins */
	bool eof;
};

int peer_reader_init(struct peer_reader *r, int fd);
void peer_reader_free(struct peer_reader *r);

/* One read(2) of what fd has.  1 read something, 0 end of file, -1 with
 * errno (EINTR and EAGAIN included). */
int peer_reader_fill(struct peer_reader *r);

/*
 * The next complete line held (newline stripped, NUL-terminated, valid
 * until the next call): 1 and *line, *len, 0 none complete yet, -1 with
 * err (a line too long, a NUL byte).
 */
int peer_reader_next(struct peer_reader *r, char **line, size_t *len, char *err,
    size_t errlen);

/*
 * Wait for the next line until deadline_ns (CLOCK_MONOTONIC): 1 a line,
 * 0 end of file, -1 with err (timeout, read error, a bad line).
 */
int peer_reader_line(struct peer_reader *r, int64_t deadline_ns, char **line, size_t *len,
    char *err, size_t errlen);

/* Write msg to fd, whole (one write for a line up to PIPE_BUF, so lines
 * from several processes never mix).  0, or -1 with errno. */
int peerproto_send(int fd, const struct peer_msg *msg);

/* Convenience: a verb with a number; a verb with a word (or NULL) and a
 * text, whose control characters become '?' and which is cut to fit a line
 * (for error and unsupported texts, not for a case's lines). */
int peerproto_send_number(int fd, enum peer_verb verb, uint64_t number);
int peerproto_send_text(int fd, enum peer_verb verb, const char *word, const char *text);

/*
 * What a peer can run, as its hello says ("supports steps WORD...",
 * "supports options WORD..."): the case's step words and set options.
 */
#define PEERPROTO_OPTIONS (OPTION_SIGPIPE + 1)

struct peer_caps {
	bool steps[STEP_KIND_COUNT];
	bool options[PEERPROTO_OPTIONS];
};

/* "linger", "nodelay", ... (the word of "set WORD"). */
const char *peerproto_option_name(enum socket_option option);

/* Add the words of a "supports" line (kind "steps" or "options"); an
 * unknown word is skipped (a newer peer), an unknown kind refused.
 * 0, or -1 with err. */
int peer_caps_add(struct peer_caps *caps, const char *kind, const char *words, size_t len,
    char *err, size_t errlen);

/* The "supports" lines' words for caps, space-separated, into buf. */
void peer_caps_words(const struct peer_caps *caps, bool options, char *buf, size_t size);

/*
 * Can caps run role's steps (and its child role's, if the case has one)?
 * True; or false with *step set to the first step it cannot (its word)
 * and reason saying why.
 */
bool peer_caps_cover(const struct peer_caps *caps, const struct case_file *cf,
    enum role_id role, const char **step, char *reason, size_t reason_size);

#endif /* peerproto_h */
