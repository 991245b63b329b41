/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peerproto.c - the peer protocol's lines: a table of verbs and the
 * arguments each takes, a strict parser, a formatter that only writes
 * what the parser accepts, and a bounded line reader.
 */
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "monotime.h"
#include "peerproto.h"

/* What follows a verb. */
enum peer_args {
	ARGS_NONE,
	ARGS_NUMBER,		/* one decimal number */
	ARGS_TEXT,		/* the rest of the line (may be empty) */
	ARGS_WORD_TEXT,		/* a word, then the rest of the line (may be empty) */
	ARGS_WORD_NUMBER	/* a word, then a decimal number */
};

struct verb_row {
	const char *name;
	enum peer_args args;
	uint64_t min, max;	/* the number's range */
	size_t line_max;	/* the line's bound, newline included */
};

#define LINE PEERPROTO_LINE_MAX
#define EVENTS_MAX (1u << 20)	/* an event id beyond every plan's size */
#define DEADLINE_MS_MAX (24ULL * 3600 * 1000)

static const struct verb_row verbs[] = {
	[PEER_HELLO] = { "hello", ARGS_NUMBER, 1, 1000, LINE },
	[PEER_PLATFORM] = { "platform", ARGS_WORD_TEXT, 0, 0, LINE },
	[PEER_SUPPORTS] = { "supports", ARGS_WORD_TEXT, 0, 0, LINE },
	[PEER_READY] = { "ready", ARGS_NONE, 0, 0, LINE },
	[PEER_CASE] = { "case", ARGS_WORD_NUMBER, 1, PEERPROTO_CASE_LINES_MAX, LINE },
	[PEER_TEXT] = { "text", ARGS_TEXT, 0, 0, LINE },
	[PEER_ROLE] = { "role", ARGS_WORD_TEXT, 0, 0, LINE },
	[PEER_START] = { "start", ARGS_NUMBER, 1, DEADLINE_MS_MAX, LINE },
	[PEER_EVENT] = { "event", ARGS_NUMBER, 0, EVENTS_MAX, LINE },
	[PEER_ABORT] = { "abort", ARGS_NONE, 0, 0, LINE },
	[PEER_LISTENING] = { "listening", ARGS_NUMBER, 1, 65535, LINE },
	[PEER_CONNECTING] = { "connecting", ARGS_NONE, 0, 0, LINE },
	[PEER_CLOCK] = { "clock", ARGS_NUMBER, 0, INT64_MAX, LINE },
	[PEER_STEP] = { "step", ARGS_NUMBER, 0, CASE_ROLE_STEPS_MAX, LINE },
	[PEER_RAISE] = { "raise", ARGS_NUMBER, 0, EVENTS_MAX, LINE },
	[PEER_UNSUPPORTED] = { "unsupported", ARGS_WORD_TEXT, 0, 0, LINE },
	[PEER_LEDGER] = { "ledger", ARGS_TEXT, 0, 0, PEERPROTO_LEDGER_MAX },
	[PEER_CHILD_LEDGER] = { "child-ledger", ARGS_TEXT, 0, 0, PEERPROTO_LEDGER_MAX },
	[PEER_END] = { "end", ARGS_NONE, 0, 0, LINE },
	[PEER_ERROR] = { "error", ARGS_TEXT, 0, 0, LINE },
};

_Static_assert(sizeof(verbs) / sizeof(verbs[0]) == PEER_VERB_COUNT,
    "every verb has a row");

const char *
peerproto_verb_name(enum peer_verb verb)
{
	return (size_t)verb < PEER_VERB_COUNT ? verbs[verb].name : "?";
}

bool
peerproto_text_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* Control characters could forge lines or a terminal's state. */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

static bool
word_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > PEERPROTO_WORD_MAX)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* A decimal number, digits only, no leading zero (but "0"), no overflow. */
static int
number_parse(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int
number_arg(const struct verb_row *row, const char *s, size_t len, struct peer_msg *msg,
    char *err, size_t errlen)
{
	if (number_parse(s, len, &msg->number) < 0 || msg->number < row->min ||
	    msg->number > row->max) {
		snprintf(err, errlen, "'%s' takes a number from %llu to %llu, not '%.*s'",
		    row->name, (unsigned long long)row->min, (unsigned long long)row->max,
		    (int)(len > 24 ? 24 : len), s);
		return -1;
	}
	return 0;
}

int
peerproto_parse(const char *line, size_t len, struct peer_msg *msg, char *err, size_t errlen)
{
	const char *sp = memchr(line, ' ', len);
	size_t vlen = sp != NULL ? (size_t)(sp - line) : len;
	const char *args = sp != NULL ? sp + 1 : line + len;
	size_t alen = sp != NULL ? len - vlen - 1 : 0;
	const struct verb_row *row = NULL;
	size_t v;

	memset(msg, 0, sizeof(*msg));
	msg->text = "";
	for (v = 0; v < PEER_VERB_COUNT; v++)
		if (strlen(verbs[v].name) == vlen && memcmp(verbs[v].name, line, vlen) == 0) {
			row = &verbs[v];
			msg->verb = (enum peer_verb)v;
			break;
		}
	if (row == NULL) {
		snprintf(err, errlen, "unknown message '%.*s'", (int)(vlen > 32 ? 32 : vlen),
		    peerproto_text_ok(line, vlen) ? line : "?");
		return -1;
	}
	if (len + 1 > row->line_max) {
		snprintf(err, errlen, "'%s' line of %zu bytes: at most %zu", row->name, len + 1,
		    row->line_max);
		return -1;
	}
	if (!peerproto_text_ok(line, len)) {
		snprintf(err, errlen, "'%s' line with a control character", row->name);
		return -1;
	}
	if (row->args == ARGS_NONE && sp != NULL) {
		snprintf(err, errlen, "'%s' takes no argument", row->name);
		return -1;
	}
	if (row->args != ARGS_NONE && row->args != ARGS_TEXT && sp == NULL) {
		snprintf(err, errlen, "'%s' needs an argument", row->name);
		return -1;
	}
	switch (row->args) {
	case ARGS_NONE:
		return 0;
	case ARGS_NUMBER:
		return number_arg(row, args, alen, msg, err, errlen);
	case ARGS_TEXT:
		msg->text = args;
		msg->text_len = alen;
		return 0;
	case ARGS_WORD_TEXT:
	case ARGS_WORD_NUMBER: {
		const char *sp2 = memchr(args, ' ', alen);
		size_t wlen = sp2 != NULL ? (size_t)(sp2 - args) : alen;

		if (!word_ok(args, wlen)) {
			snprintf(err, errlen, "'%s' needs a word of 1 to %d printable characters",
			    row->name, PEERPROTO_WORD_MAX);
			return -1;
		}
		memcpy(msg->word, args, wlen);
		msg->word[wlen] = '\0';
		if (row->args == ARGS_WORD_NUMBER) {
			if (sp2 == NULL) {
				snprintf(err, errlen, "'%s' needs a number after '%s'", row->name,
				    msg->word);
				return -1;
			}
			return number_arg(row, sp2 + 1, alen - wlen - 1, msg, err, errlen);
		}
		msg->text = sp2 != NULL ? sp2 + 1 : args + alen;
		msg->text_len = sp2 != NULL ? alen - wlen - 1 : 0;
		return 0;
	}
	}
	snprintf(err, errlen, "'%s': no such arguments", row->name);
	return -1;
}

int
peerproto_format(const struct peer_msg *msg, char *buf, size_t size)
{
	const struct verb_row *row;
	size_t wlen = strlen(msg->word);
	int n = -1;

	if ((size_t)msg->verb >= PEER_VERB_COUNT)
		return -1;
	row = &verbs[msg->verb];
	if ((row->args == ARGS_WORD_TEXT || row->args == ARGS_WORD_NUMBER) &&
	    !word_ok(msg->word, wlen))
		return -1;
	if ((row->args == ARGS_TEXT || row->args == ARGS_WORD_TEXT) &&
	    !peerproto_text_ok(msg->text, msg->text_len))
		return -1;
	if ((row->args == ARGS_NUMBER || row->args == ARGS_WORD_NUMBER) &&
	    (msg->number < row->min || msg->number > row->max))
		return -1;
	switch (row->args) {
	case ARGS_NONE:
		n = snprintf(buf, size, "%s\n", row->name);
		break;
	case ARGS_NUMBER:
		n = snprintf(buf, size, "%s %llu\n", row->name, (unsigned long long)msg->number);
		break;
	case ARGS_TEXT:
		n = snprintf(buf, size, "%s %.*s\n", row->name, (int)msg->text_len, msg->text);
		break;
	case ARGS_WORD_TEXT:
		n = snprintf(buf, size, msg->text_len > 0 ? "%s %s %.*s\n" : "%s %s\n",
		    row->name, msg->word, (int)msg->text_len, msg->text);
		break;
	case ARGS_WORD_NUMBER:
		n = snprintf(buf, size, "%s %s %llu\n", row->name, msg->word,
		    (unsigned long long)msg->number);
		break;
	}
	if (n < 0 || (size_t)n >= size || (size_t)n > row->line_max)
		return -1;
	return n;
}

int
peer_reader_init(struct peer_reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->buf = malloc(PEERPROTO_LEDGER_MAX + 1);
	return r->buf == NULL ? -1 : 0;
}

void
peer_reader_free(struct peer_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

int
peer_reader_fill(struct peer_reader *r)
{
	ssize_t n;

	/* Lines already taken make room: move what is left to the front. */
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	if (r->len >= PEERPROTO_LEDGER_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	n = read(r->fd, r->buf + r->len, PEERPROTO_LEDGER_MAX - r->len);
	/* A socket closed with lines it had not read: its end, as EOF is. */
	if (n < 0 && errno == ECONNRESET)
		n = 0;
	if (n < 0)
		return -1;
	if (n == 0) {
		r->eof = true;
		return 0;
	}
	r->len += (size_t)n;
	return 1;
}

int
peer_reader_next(struct peer_reader *r, char **line, size_t *len, char *err, size_t errlen)
{
	char *begin = r->buf + r->start;
	size_t held = r->len - r->start;
	char *nl = memchr(begin, '\n', held);

	if (nl == NULL) {
		if (held >= PEERPROTO_LEDGER_MAX) {
			snprintf(err, errlen, "a line longer than %d bytes", PEERPROTO_LEDGER_MAX);
			return -1;
		}
		if (r->eof && held > 0) {
			snprintf(err, errlen, "the last line has no newline (%zu bytes)", held);
			return -1;
		}
		return 0;
	}
	*nl = '\0';
	*len = (size_t)(nl - begin);
	if (memchr(begin, '\0', *len) != NULL) {
		snprintf(err, errlen, "a line with a NUL byte");
		return -1;
	}
	*line = begin;
	r->start += *len + 1;
	return 1;
}

int
peer_reader_line(struct peer_reader *r, int64_t deadline_ns, char **line, size_t *len,
    char *err, size_t errlen)
{
	for (;;) {
		struct pollfd pfd = { r->fd, POLLIN, 0 };
		int64_t left = deadline_ns - monotime_ns();
		int rc = peer_reader_next(r, line, len, err, errlen);

		if (rc != 0)
			return rc;
		if (r->eof)
			return 0;
		if (left <= 0) {
			snprintf(err, errlen, "no answer in time");
			return -1;
		}
		rc = poll(&pfd, 1, (int)(left / 1000000 + 1));
		if (rc < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc > 0 && peer_reader_fill(r) < 0 && errno != EINTR && errno != EAGAIN) {
			snprintf(err, errlen, "read: %s", strerror(errno));
			return -1;
		}
	}
}

int
peerproto_send(int fd, const struct peer_msg *msg)
{
	size_t size = verbs[msg->verb < PEER_VERB_COUNT ? msg->verb : PEER_ERROR].line_max + 1;
	char small[PEERPROTO_LINE_MAX + 1];
	char *buf = size > sizeof(small) ? malloc(size) : small;
	const char *at;
	int n, rc = 0;

	if (buf == NULL)
		return -1;
	n = peerproto_format(msg, buf, size);
	if (n < 0) {
		if (buf != small)
			free(buf);
		errno = EINVAL;
		return -1;
	}
	for (at = buf; n > 0;) {
		/* On a socket, a reader gone is EPIPE, not a SIGPIPE that kills. */
		ssize_t w = send(fd, at, (size_t)n, MSG_NOSIGNAL);

		if (w < 0 && errno == ENOTSOCK)
			w = write(fd, at, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = -1;
			break;
		}
		at += w;
		n -= (int)w;
	}
	if (buf != small)
		free(buf);
	return rc;
}

int
peerproto_send_number(int fd, enum peer_verb verb, uint64_t number)
{
	struct peer_msg msg = { .verb = verb, .number = number, .text = "" };

	return peerproto_send(fd, &msg);
}

int
peerproto_send_text(int fd, enum peer_verb verb, const char *word, const char *text)
{
	struct peer_msg msg = { .verb = verb };
	char clean[PEERPROTO_LINE_MAX - PEERPROTO_WORD_MAX - 32];
	size_t i;

	/* An error's text comes from anywhere: control characters go, the
	 * length is cut to what a line holds. */
	snprintf(clean, sizeof(clean), "%s", text != NULL ? text : "");
	for (i = 0; clean[i] != '\0'; i++)
		if (!peerproto_text_ok(&clean[i], 1))
			clean[i] = '?';
	msg.text = clean;
	msg.text_len = i;
	if (word != NULL)
		snprintf(msg.word, sizeof(msg.word), "%s", word);
	return peerproto_send(fd, &msg);
}

/* The words of "set WORD", as the case language spells them. */
static const char *const option_names[] = {
	[OPTION_RCVBUF] = "rcvbuf",
	[OPTION_SNDBUF] = "sndbuf",
	[OPTION_NODELAY] = "nodelay",
	[OPTION_CORK] = "cork",
	[OPTION_LINGER] = "linger",
	[OPTION_NONBLOCK] = "nonblock",
	[OPTION_SIGPIPE] = "sigpipe",
};

_Static_assert(sizeof(option_names) / sizeof(option_names[0]) == PEERPROTO_OPTIONS,
    "a name for every enum socket_option");

const char *
peerproto_option_name(enum socket_option option)
{
	return (size_t)option < PEERPROTO_OPTIONS ? option_names[option] : "?";
}

int
peer_caps_add(struct peer_caps *caps, const char *kind, const char *words, size_t len,
    char *err, size_t errlen)
{
	bool options = strcmp(kind, "options") == 0;
	size_t at = 0;

	if (!options && strcmp(kind, "steps") != 0) {
		snprintf(err, errlen, "'supports' takes steps or options, not '%s'", kind);
		return -1;
	}
	while (at < len) {
		size_t end = at, i;

		while (end < len && words[end] != ' ')
			end++;
		for (i = 0; i < (options ? (size_t)PEERPROTO_OPTIONS : (size_t)STEP_KIND_COUNT); i++) {
			const char *name = options ? option_names[i] :
			    case_step_kind_name((enum step_kind)i);

			if (strlen(name) == end - at && memcmp(name, words + at, end - at) == 0) {
				if (options)
					caps->options[i] = true;
				else
					caps->steps[i] = true;
			}
		}
		at = end + 1;
	}
	return 0;
}

void
peer_caps_words(const struct peer_caps *caps, bool options, char *buf, size_t size)
{
	size_t n = options ? (size_t)PEERPROTO_OPTIONS : (size_t)STEP_KIND_COUNT, i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used + 1 < size; i++) {
		if (!(options ? caps->options[i] : caps->steps[i]))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used > 0 ? " " : "",
		    options ? option_names[i] : case_step_kind_name((enum step_kind)i));
	}
}

bool
peer_caps_cover(const struct peer_caps *caps, const struct case_file *cf, enum role_id role,
    const char **step, char *reason, size_t reason_size)
{
	enum role_id child = role == ROLE_CLIENT ? ROLE_CLIENT_CHILD : ROLE_SERVER_CHILD;
	const enum role_id roles[2] = { role, child };
	size_t r, i;

	for (r = 0; r < 2; r++) {
		const struct case_role *cr = &cf->roles[roles[r]];

		for (i = 0; cr->present && i < cr->nsteps; i++) {
			const struct case_step *s = &cr->steps[i];

			if ((size_t)s->kind >= STEP_KIND_COUNT || !caps->steps[s->kind]) {
				*step = case_step_kind_name(s->kind);
				snprintf(reason, reason_size, "the peer does not support the step "
				    "'%s' (%s line %u)", s->text, case_role_name(roles[r]), s->line);
				return false;
			}
			if (s->kind == STEP_SET && ((size_t)s->u.set.option >= PEERPROTO_OPTIONS ||
			    !caps->options[s->u.set.option])) {
				*step = case_step_kind_name(s->kind);
				snprintf(reason, reason_size, "the peer does not support the option "
				    "'%s' (%s line %u)", s->text, case_role_name(roles[r]), s->line);
				return false;
			}
		}
	}
	return true;
}
