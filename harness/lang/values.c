/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * values.c - sizes, durations, integers, comparisons, roles, errno names
 * and names in tokens (see values.h).
 */
#include <stdint.h>
#include <string.h>

#include "parser-int.h"
#include "units.h"

/* The units of a SIZE, as units.c reads them, for messages. */
static const char *const size_units[] = {
	"B", "K", "M", "G", "KiB", "MiB", "GiB"
};

struct wordset
value_size_units(void)
{
	return WORDS(size_units);
}

int
value_size(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *bytes)
{
	struct shown sh, unit_shown;
	struct hint h;
	const char *unit;
	size_t ndigits;

	if (units_parse_size(t->s, bytes) == 0 && *bytes <= CASE_SIZE_MAX)
		return 0;
	ndigits = strspn(t->s, "0123456789");
	unit = t->s + ndigits;
	if (ndigits == 0)
		diag_fail(p, ln->number, t->col,
		    "bad size '%s' (e.g. '100', '4K', '4KiB', '4MiB')",
		    diag_show(&sh, t->s));
	else if (*unit == '\0' || words_find(WORDS(size_units), unit) >= 0)
		diag_fail(p, ln->number, t->col,
		    "size '%s' is too large (at most 1024GiB)",
		    diag_show(&sh, t->s));
	else if (*unit == '.')
		diag_fail(p, ln->number, t->col,
		    "size '%s' must be a whole number (e.g. '1500', not '1.5K')",
		    diag_show(&sh, t->s));
	else
		diag_fail(p, ln->number, t->col,
		    "unknown unit '%s' in size '%s'%s (use B, K, M, G, KiB, MiB or GiB)",
		    diag_show(&unit_shown, unit), diag_show(&sh, t->s),
		    diag_suggest(&h, unit, WORDS(size_units)));
	return -1;
}

int
value_duration(struct parser *p, const struct line *ln,
    const struct token *t, uint64_t *ms)
{
	static const char *const units[] = { "ms", "s" };
	struct shown sh, unit_shown;
	struct hint h;
	const char *rest, *fraction;
	size_t ndigits, nfraction, i;
	bool finer;

	if (units_parse_duration(t->s, ms) == 0 && *ms <= CASE_DURATION_MAX_MS)
		return 0;
	ndigits = strspn(t->s, "0123456789");
	if (ndigits == 0) {
		diag_fail(p, ln->number, t->col,
		    "bad duration '%s' (e.g. '250ms', '2s', '1.5s')",
		    diag_show(&sh, t->s));
		return -1;
	}
	rest = t->s + ndigits;
	fraction = NULL;
	nfraction = 0;
	if (*rest == '.') {
		fraction = rest + 1;
		nfraction = strspn(fraction, "0123456789");
		if (nfraction == 0) {
			diag_fail(p, ln->number, t->col,
			    "bad duration '%s' (e.g. '250ms', '2s', '1.5s')",
			    diag_show(&sh, t->s));
			return -1;
		}
		rest = fraction + nfraction;
	}
	if (*rest == '\0') {
		diag_fail(p, ln->number, t->col,
		    "duration '%s' needs a unit (e.g. '%ss' or '%sms')",
		    diag_show(&sh, t->s), sh.text, sh.text);
		return -1;
	}
	if (strcmp(rest, "ms") == 0 && fraction != NULL) {
		diag_fail(p, ln->number, t->col,
		    "duration '%s': only seconds take a fraction (e.g. '1.5s')",
		    diag_show(&sh, t->s));
		return -1;
	}
	if (strcmp(rest, "ms") == 0 || strcmp(rest, "s") == 0) {
		finer = false;
		for (i = 3; i < nfraction; i++)
			if (fraction[i] != '0')
				finer = true;
		if (finer)
			diag_fail(p, ln->number, t->col,
			    "duration '%s' is finer than a millisecond",
			    diag_show(&sh, t->s));
		else
			diag_fail(p, ln->number, t->col,
			    "duration '%s' is too long (at most 86400s, a day)",
			    diag_show(&sh, t->s));
		return -1;
	}
	diag_fail(p, ln->number, t->col,
	    "unknown unit '%s' in duration '%s'%s (use ms or s)",
	    diag_show(&unit_shown, rest), diag_show(&sh, t->s),
	    diag_suggest(&h, rest, WORDS(units)));
	return -1;
}

int
value_positive_size(struct parser *p, const struct line *ln,
    const struct token *t, const char *what, const char *suffix,
    uint64_t *bytes)
{
	if (value_size(p, ln, t, bytes) == -1)
		return -1;
	if (*bytes == 0) {
		diag_fail(p, ln->number, t->col, "%s needs a size above 0%s", what,
		    suffix);
		return -1;
	}
	return 0;
}

int
value_positive_duration(struct parser *p, const struct line *ln,
    const struct token *t, const char *what, const char *suffix,
    uint64_t *ms)
{
	if (value_duration(p, ln, t, ms) == -1)
		return -1;
	if (*ms == 0) {
		diag_fail(p, ln->number, t->col, "%s needs a duration above 0%s",
		    what, suffix);
		return -1;
	}
	return 0;
}

int
value_signed(const char *s, int64_t *value)
{
	bool negative;
	uint64_t magnitude, limit, digit;
	const char *q;

	negative = *s == '-';
	q = s + (*s == '-' || *s == '+');
	if (!is_digit(*q))
		return -1;
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	magnitude = 0;
	for (; *q != '\0'; q++) {
		if (!is_digit(*q))
			return -1;
		digit = (uint64_t)(*q - '0');
		if (magnitude > (limit - digit) / 10)
			return -2;
		magnitude = magnitude * 10 + digit;
	}
	if (negative)
		*value = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)magnitude;
	else
		*value = (int64_t)magnitude;
	return 0;
}

bool
value_looks_like_compare(const char *word)
{
	return strchr("<>=!", word[0]) != NULL && word[0] != '\0';
}

int
value_end_role(struct parser *p, const struct line *ln,
    const struct token *t, enum role_id *role)
{
	struct wordset ends;
	struct shown sh;
	struct hint h;
	int r;

	/* Only the two ends are on the wire. */
	ends = symbols_role_words();
	ends.n = ROLE_ENDS;
	r = words_find(ends, t->s);
	if (r < 0) {
		diag_fail(p, ln->number, t->col,
		    "unknown role '%s'%s (expected 'client' or 'server')",
		    diag_show(&sh, t->s), diag_suggest(&h, t->s, ends));
		return -1;
	}
	*role = (enum role_id)r;
	return 0;
}

struct wordset
value_directions(void)
{
	static const char *const directions[] = {
		[ROLE_CLIENT] = "client->server",
		[ROLE_SERVER] = "server->client",
	};

	_Static_assert(NELEMS(directions) == ROLE_ENDS, "one for each end");
	return WORDS(directions);
}

int
value_split_role(const char *word, enum role_id *role, const char **rest)
{
	const char *name;
	size_t i, len, best_len;
	int best;

	/* The longest match: "client.child.recv" is client.child's. */
	best = -1;
	best_len = 0;
	for (i = 0; i < ROLE_COUNT; i++) {
		name = case_role_name((enum role_id)i);
		len = strlen(name);
		if (strncmp(word, name, len) == 0 && word[len] == '.' &&
		    len > best_len) {
			best = (int)i;
			best_len = len;
		}
	}
	if (best < 0)
		return -1;
	*role = (enum role_id)best;
	*rest = word + best_len + 1;
	return 0;
}

const char *
value_errno_suggestion(const char *typed)
{
	struct wordset names;
	int i;

	names = symbols_errno_words();
	i = words_nearest(names, typed);
	return i < 0 ? NULL : words_at(names, (size_t)i);
}

int
value_read_end(struct parser *p, const struct line *ln,
    const struct token *t, int *value)
{
	struct shown sh;
	struct hint h;

	if (case_errno_from_name(t->s, value) == 0)
		return 0;
	diag_fail(p, ln->number, t->col,
	    "unknown errno '%s'%s (expected EOF or a name like ECONNRESET)",
	    diag_show(&sh, t->s),
	    diag_hint(&h, "", value_errno_suggestion(t->s)));
	return -1;
}

bool
value_is_case_name(const char *name)
{
	size_t i;

	if (!is_lower_alnum(name[0]))
		return false;
	for (i = 1; name[i] != '\0'; i++)
		if (!is_lower_alnum(name[i]) && name[i] != '-')
			return false;
	return true;
}

bool
value_is_event_name(const char *name)
{
	size_t i;

	if (!is_lower_alnum(name[0]))
		return false;
	for (i = 1; name[i] != '\0'; i++)
		if (!is_lower_alnum(name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return false;
	return true;
}
