/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_baseline.c - the JSON reader, signatures, baseline files and
 * comparisons.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "json.h"
#include "signature.h"
#include "testutil.h"

static struct json_value *
parse_ok(const char *text)
{
	struct json_value *v = NULL;
	char err[256];

	ck_assert_msg(json_parse(text, strlen(text), &v, err, sizeof(err)) == 0,
	    "'%s' rejected: %s", text, err);
	return v;
}

START_TEST(test_json_values)
{
	struct json_value *v = parse_ok(
	    " {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\u00e9\\ud83d\\ude00\\n\","
	    " \"big\": 18446744073709551615, \"a\": 7} ");
	uint64_t n = 0;
	double d = 0;

	ck_assert_int_eq(v->type, JSON_OBJECT);
	ck_assert_uint_eq(v->count, 4);
	/* The first of two equal keys is the one found. */
	ck_assert_int_eq(json_get(v, "a")->type, JSON_ARRAY);
	ck_assert_uint_eq(json_get(v, "a")->count, 5);
	ck_assert_int_eq(json_double(&json_get(v, "a")->items[1], &d), 0);
	ck_assert(d == -2500.0);
	ck_assert_int_eq(json_u64(&json_get(v, "a")->items[1], &n), -1);
	ck_assert(json_get(v, "a")->items[2].boolean);
	ck_assert(json_is_null(&json_get(v, "a")->items[4]));
	ck_assert_str_eq(json_string(json_get(v, "b")), "x\xc3\xa9\xf0\x9f\x98\x80\n");
	/* Exact beyond a double's 53 bits. */
	ck_assert_int_eq(json_u64(json_get(v, "big"), &n), 0);
	ck_assert(n == UINT64_MAX);
	ck_assert_ptr_null(json_get(v, "none"));
	ck_assert(json_is_null(json_path(v, "none", "deeper", NULL)));
	json_free(v);
}
END_TEST

struct bad_json {
	const char *text;
	const char *message;
};

static const struct bad_json bad_jsons[] = {
	{ "", "1:1: a value was expected" },
	{ "{\"a\":1,}", "1:8: an object key must be a string" },
	{ "[1 2]", "1:4: ',' or ']' expected" },
	{ "{\"a\"\n 1}", "2:2: ':' must follow an object key" },
	{ "\"abc", "1:5: unterminated string" },
	{ "\"a\tb\"", "1:3: control character 0x09 in a string" },
	{ "\"\\x\"", "1:3: unknown escape '\\x'" },
	{ "\"\\ud800\"", "1:8: a high surrogate without its low half" },
	{ "01", "1:2: text after the value" },
	{ "1.", "1:3: a digit must follow the decimal point" },
	{ "-", "1:2: a number needs a digit" },
	{ "tru", "1:1: unexpected character 't'" },
	{ "{} {}", "1:4: text after the value" },
};

START_TEST(test_json_bad)
{
	const struct bad_json *ex = &bad_jsons[_i];
	struct json_value *v = (struct json_value *)1;
	char err[256];

	ck_assert_int_eq(json_parse(ex->text, strlen(ex->text), &v, err, sizeof(err)), -1);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(err, ex->message);
}
END_TEST

START_TEST(test_json_depth)
{
	char text[2 * (JSON_MAX_DEPTH + 2) + 1];
	struct json_value *v;
	char err[256];
	size_t i, n = JSON_MAX_DEPTH + 1;

	for (i = 0; i < n; i++) {
		text[i] = '[';
		text[2 * n - 1 - i] = ']';
	}
	text[2 * n] = '\0';
	ck_assert_int_eq(json_parse(text, 2 * n, &v, err, sizeof(err)), 0);
	json_free(v);
	/* One level more is refused, not a stack overflow. */
	memmove(text + 1, text, 2 * n + 1);
	text[0] = '[';
	text[2 * n + 1] = ']';
	text[2 * n + 2] = '\0';
	ck_assert_int_eq(json_parse(text, 2 * n + 2, &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested deeper than 64"));
}
END_TEST

/* A run's JSON with one case, as closeprobe run writes it (shortened). */
static char *
run_json(const char *teardown, const char *server_rst, const char *read_end,
    const char *sends, double close_ms, const char *counters)
{
	char *text;

	ck_assert_int_ne(asprintf(&text,
	    "{\"version\":\"0.1.0\",\"platform\":{\"os\":\"Linux\",\"release\":\"6.1.0\",\"stack\":\"linux\"},"
	    "\"cases\":[{\"case\":\"c\",\"status\":\"PASS\",\"family\":4,\"duration_s\":0.01,"
	    "\"roles\":{\"client\":{\"sends\":[%s],\"read_end\":%s,\"next_read\":\"EOF\","
	    "\"so_error\":\"0\",\"shutdown\":null,\"close\":{\"rc\":0,\"errno\":null,"
	    "\"duration_ms\":%.3f},\"poll_revents\":null,\"killed_by\":null}},"
	    "\"wire\":{\"teardown\":\"%s\",\"client\":{\"packets\":4,\"payload_bytes\":100,"
	    "\"acked_bytes\":100,\"fin\":null,\"rst\":null},\"server\":{\"packets\":6,"
	    "\"payload_bytes\":128000,\"acked_bytes\":32768,\"fin\":null,\"rst\":%s}},"
	    "\"directions\":{\"client->server\":{\"outcome\":\"truncated\",\"written\":100,"
	    "\"read\":0,\"lost\":100,\"lost_unsent\":0,\"lost_on_wire\":100}},"
	    "\"kernel\":{%s}}]}",
	    sends, read_end, close_ms, teardown, server_rst, counters), -1);
	return text;
}

static void
add_run(struct signature_set *set, char *text)
{
	struct json_value *v = parse_ok(text);
	char err[256];

	ck_assert_msg(signature_add_run(set, v, err, sizeof(err)) == 0, "%s", err);
	json_free(v);
	free(text);
}

#define RST_ACK "{\"kind\":\"rst+ack\",\"at_s\":0.004,\"packet\":10,\"count\":1}"
#define SENDS_RESET "{\"result\":\"ok\",\"calls\":3,\"bytes\":9},{\"result\":\"EPIPE\",\"calls\":1}," \
	"{\"result\":\"EPIPE\",\"calls\":1}"
#define COUNTERS "\"TCPAbortOnClose\":1,\"InSegs\":54,\"OutRsts\":1"

static const char *
value_of(const struct signature_set *set, const char *field)
{
	const struct signature_case *c = signature_find(set, "c/4");
	const struct signature_field *f;

	ck_assert_ptr_nonnull(c);
	f = signature_field_find(c, field);
	if (f == NULL)
		return NULL;
	ck_assert_uint_eq(f->nvalues, 1);
	return f->values[0];
}

/* A peer run is labelled with both platforms: the peer's is under test. */
START_TEST(test_platform_label_names_the_peer)
{
	static const char text[] =
	    "{\"version\":\"0.1.0\",\"platform\":{\"os\":\"Linux\",\"release\":\"6.18.4\","
	    "\"stack\":\"linux 6.18.4\"},\"cases\":[{\"case\":\"c\",\"peer\":{\"role\":"
	    "\"server\",\"platform\":{\"os\":\"Linux\",\"release\":\"6.1.0\","
	    "\"stack\":\"linux 6.1.0\"}}}]}";
	char err[256];
	struct json_value *v = NULL;
	char *label;

	ck_assert_msg(json_parse(text, strlen(text), &v, err, sizeof(err)) == 0, "%s", err);
	label = signature_platform_label(v);
	ck_assert_str_eq(label, "Linux 6.18.4 (linux 6.18.4), server on Linux 6.1.0 (linux 6.1.0)");
	free(label);
	json_free(v);
}
END_TEST

START_TEST(test_signature_fields)
{
	struct signature_set set;

	signature_set_init(&set);
	add_run(&set, run_json("rst", RST_ACK, "\"ECONNRESET\"", SENDS_RESET, 1003.0, COUNTERS));
	ck_assert_str_eq(set.platform, "Linux 6.1.0 (linux)");
	ck_assert_str_eq(value_of(&set, "status"), "PASS");
	ck_assert_str_eq(value_of(&set, "teardown"), "rst from server");
	ck_assert_str_eq(value_of(&set, "rst server"), "rst+ack");
	ck_assert_str_eq(value_of(&set, "rsts server"), "1");
	ck_assert_str_eq(value_of(&set, "rst client"), "none");
	ck_assert_str_eq(value_of(&set, "fin client"), "no");
	ck_assert_str_eq(value_of(&set, "outcome client->server"), "truncated");
	ck_assert_str_eq(value_of(&set, "lost client->server"), "> 0, all on the wire");
	ck_assert_str_eq(value_of(&set, "read client"), "ECONNRESET then EOF");
	/* One word per run of equal results, whatever the counts. */
	ck_assert_str_eq(value_of(&set, "send client"), "ok EPIPE");
	ck_assert_str_eq(value_of(&set, "close client"), "0, about 1 s");
	ck_assert_str_eq(value_of(&set, "kernel TCPAbortOnClose"), "+1");
	ck_assert_str_eq(value_of(&set, "kernel OutRsts"), "+1");
	signature_set_free(&set);
	/* Several RSTs, or an event counted several times: one class. */
	signature_set_init(&set);
	add_run(&set, run_json("rst", "{\"kind\":\"bare\",\"at_s\":0.1,\"packet\":9,\"count\":31}",
	    "null", "", 0.1, "\"OutRsts\":31"));
	ck_assert_str_eq(value_of(&set, "rst server"), "bare");
	ck_assert_str_eq(value_of(&set, "rsts server"), "2 or more");
	ck_assert_str_eq(value_of(&set, "kernel OutRsts"), "+2 or more");
	signature_set_free(&set);
	/* A late RST (after both FINs, answering a duplicate) is timing: shown
	 * beside the case, not one of its fields. */
	signature_set_init(&set);
	add_run(&set, run_json("fin", "{\"kind\":\"bare\",\"at_s\":0.1,\"packet\":9,"
	    "\"count\":1,\"late\":true}", "null", "", 0.1, ""));
	ck_assert_str_eq(value_of(&set, "rst server"), "none");
	ck_assert_ptr_null(value_of(&set, "rsts server"));
	ck_assert_ptr_nonnull(strstr(signature_find(&set, "c/4")->info, "late bare RST from server"));
	signature_set_free(&set);
	signature_set_init(&set);
	add_run(&set, run_json("rst", "{\"kind\":\"bare\",\"at_s\":0.1,\"packet\":9,"
	    "\"count\":1,\"late\":false}", "null", "", 0.1, ""));
	ck_assert_str_eq(value_of(&set, "rst server"), "bare");
	ck_assert_ptr_null(strstr(signature_find(&set, "c/4")->info, "late"));
	signature_set_free(&set);
	signature_set_init(&set);
	add_run(&set, run_json("rst", RST_ACK, "\"ECONNRESET\"", SENDS_RESET, 1003.0, COUNTERS));
	/* Traffic counters and byte counts are never part of it. */
	ck_assert_ptr_null(value_of(&set, "kernel InSegs"));
	ck_assert_ptr_nonnull(strstr(signature_find(&set, "c/4")->info, "read 0 of 100 B"));
	signature_set_free(&set);
}
END_TEST

START_TEST(test_duration_classes)
{
	static const struct {
		double ms;
		const char *text;
	} examples[] = {
		{ 0.02, "0, about 0" }, { 12.0, "0, about 0" }, { 164.0, "0, waited" },
		{ 950.0, "0, about 1 s" }, { 2080.0, "0, about 2 s" }, { 1500.0, "0, waited" },
		{ 1280.0, "0, about 1 s" }, { 1350.0, "0, waited" }, { 880.0, "0, waited" },
	};
	size_t i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		struct signature_set set;

		signature_set_init(&set);
		add_run(&set, run_json("rst", RST_ACK, "null", "", examples[i].ms, ""));
		ck_assert_str_eq(value_of(&set, "close client"), examples[i].text);
		ck_assert_ptr_null(value_of(&set, "read client"));
		ck_assert_ptr_null(value_of(&set, "send client"));
		signature_set_free(&set);
	}
}
END_TEST

static void
compare_texts(const struct signature_set *base, const struct signature_set *run,
    struct comparison *cmp)
{
	ck_assert_int_eq(baseline_compare(base, run, NULL, 0, cmp), 0);
}

START_TEST(test_compare_verdicts)
{
	struct signature_set a, b, flaky, none;
	struct comparison cmp;

	signature_set_init(&a);
	signature_set_init(&b);
	signature_set_init(&flaky);
	signature_set_init(&none);
	add_run(&a, run_json("rst", RST_ACK, "\"ECONNRESET\"", SENDS_RESET, 0.1, COUNTERS));
	/* Other byte counts and times: the same. */
	add_run(&b, run_json("rst", RST_ACK, "\"ECONNRESET\"", SENDS_RESET, 0.3, COUNTERS));
	compare_texts(&a, &b, &cmp);
	ck_assert_uint_eq(cmp.count, 1);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_SAME);
	baseline_comparison_free(&cmp);

	/* A FIN where there was an RST: changed, with each field. */
	signature_set_free(&b);
	signature_set_init(&b);
	add_run(&b, run_json("fin", "null", "\"EOF\"", SENDS_RESET, 0.3, "\"OutRsts\":0"));
	compare_texts(&a, &b, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_CHANGED);
	ck_assert_str_eq(cmp.results[0].changes[0].field, "teardown");
	ck_assert_str_eq(cmp.results[0].changes[0].before, "rst from server");
	ck_assert_str_eq(cmp.results[0].changes[0].after, "fin");
	ck_assert_uint_eq(cmp.tally[COMPARE_CHANGED], 1);
	baseline_comparison_free(&cmp);

	/* Missing and new. */
	compare_texts(&a, &none, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_MISSING);
	baseline_comparison_free(&cmp);
	compare_texts(&none, &a, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_NEW);
	baseline_comparison_free(&cmp);

	/* Two runs that disagree fold into a flaky field; a run that flips is
	 * flaky, and a baseline that flipped accepts either value. */
	add_run(&flaky, run_json("rst", RST_ACK, "\"ECONNRESET\"", SENDS_RESET, 0.1, COUNTERS));
	add_run(&flaky, run_json("fin", "null", "\"EOF\"", SENDS_RESET, 0.1, COUNTERS));
	ck_assert(signature_field_flaky(signature_field_find(signature_find(&flaky, "c/4"),
	    "teardown")));
	compare_texts(&a, &flaky, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_FLAKY);
	baseline_comparison_free(&cmp);
	compare_texts(&flaky, &a, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_SAME);
	baseline_comparison_free(&cmp);

	/* A field the baseline saw both absent and present ("rsts server: - | 1")
	 * is the same in a run where it is absent, and in one where it is 1. */
	{
		struct signature_set absent_or_one, absent;

		signature_set_init(&absent_or_one);
		signature_set_init(&absent);
		add_run(&absent_or_one, run_json("rst", RST_ACK, "\"EOF\"", "", 0.1, ""));
		add_run(&absent_or_one, run_json("fin", "null", "\"EOF\"", "", 0.1, ""));
		add_run(&absent, run_json("fin", "null", "\"EOF\"", "", 0.1, ""));
		compare_texts(&absent_or_one, &absent, &cmp);
		ck_assert_int_eq(cmp.results[0].verdict, COMPARE_SAME);
		baseline_comparison_free(&cmp);
		/* The other way round, a field the baseline never had appears: changed. */
		compare_texts(&absent, &absent_or_one, &cmp);
		ck_assert_int_ne(cmp.results[0].verdict, COMPARE_SAME);
		baseline_comparison_free(&cmp);
		signature_set_free(&absent_or_one);
		signature_set_free(&absent);
	}

	/* A field that simply changed wins over others that flip. */
	add_run(&flaky, run_json("rst", RST_ACK, "\"EOF\"", SENDS_RESET, 0.1, "\"OutRsts\":1"));
	signature_set_free(&b);
	signature_set_init(&b);
	add_run(&b, run_json("rst", RST_ACK, "\"EOF\"", SENDS_RESET, 0.1, "\"OutRsts\":1"));
	add_run(&b, run_json("fin", "null", "\"EOF\"", SENDS_RESET, 0.1, "\"OutRsts\":1"));
	compare_texts(&a, &b, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_CHANGED);
	baseline_comparison_free(&cmp);
	/* Ignored fields are left out, by name or as "CASE FIELD". */
	{
		const char *ignore[] = { "teardown", "c/4 read client", "kernel *", "fin *", "rst *", "rsts *",
			"outcome *", "lost *" };

		ck_assert_int_eq(baseline_compare(&a, &b, ignore, sizeof(ignore) / sizeof(ignore[0]),
		    &cmp), 0);
		ck_assert_msg(cmp.results[0].verdict == COMPARE_SAME, "verdict %d, first field %s",
		    cmp.results[0].verdict, cmp.results[0].nchanges ? cmp.results[0].changes[0].field : "-");
		baseline_comparison_free(&cmp);
	}

	signature_set_free(&a);
	signature_set_free(&b);
	signature_set_free(&flaky);
	signature_set_free(&none);
}
END_TEST

START_TEST(test_baseline_round_trip)
{
	struct signature_set set, back;
	struct comparison cmp;
	char *text = NULL, *again = NULL, err[256];
	size_t len = 0, len2 = 0;
	FILE *out;

	signature_set_init(&set);
	signature_set_init(&back);
	add_run(&set, run_json("rst", RST_ACK, "\"ECONNRESET\"", SENDS_RESET, 0.1, COUNTERS));
	add_run(&set, run_json("fin", "null", "\"EOF\"", SENDS_RESET, 0.1, COUNTERS));
	out = open_memstream(&text, &len);
	ck_assert_int_eq(baseline_write(&set, out), 0);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_ptr_nonnull(strstr(text, "c/4 teardown ~ rst from server | fin\n"));
	ck_assert_ptr_nonnull(strstr(text, "c/4 status = PASS\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nruns 2\n"));
	ck_assert_msg(baseline_read(text, len, &back, err, sizeof(err)) == 0, "%s", err);
	/* Read back, it writes the same text and compares the same. */
	out = open_memstream(&again, &len2);
	ck_assert_int_eq(baseline_write(&back, out), 0);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_str_eq(again, text);
	/* The runs it was recorded from match it, flaky fields too. */
	compare_texts(&back, &set, &cmp);
	ck_assert_int_eq(cmp.results[0].verdict, COMPARE_SAME);
	baseline_comparison_free(&cmp);
	signature_set_free(&back);
	signature_set_init(&back);
	ck_assert_int_eq(baseline_read("# closeprobe baseline 1\nc/4 teardown rst\n", 40, &back,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "2: expected 'CASE/FAMILY FIELD = VALUE' (or '~ V1 | V2')");
	ck_assert_int_eq(baseline_read("teardown = fin\n", 15, &back, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a closeprobe baseline"));
	free(text);
	free(again);
	signature_set_free(&set);
	signature_set_free(&back);
}
END_TEST

static Suite *
baseline_suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_json_values);
	tcase_add_loop_test(tc, test_json_bad, 0, (int)(sizeof(bad_jsons) / sizeof(bad_jsons[0])));
	tcase_add_test(tc, test_json_depth);
	suite_add_tcase(s, tc);
	tc = tcase_create("signature");
	tcase_add_test(tc, test_signature_fields);
	tcase_add_test(tc, test_platform_label_names_the_peer);
	tcase_add_test(tc, test_duration_classes);
	suite_add_tcase(s, tc);
	tc = tcase_create("compare");
	tcase_add_test(tc, test_compare_verdicts);
	tcase_add_test(tc, test_baseline_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(baseline_suite());
}
