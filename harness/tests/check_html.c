/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_html.c - the run report page: well formed, escaped, no external
 * resources, one tbody per case run with its details, expectations,
 * links and the compare matrix; errors.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "html.h"
#include "runhtml.h"
#include "testutil.h"
#include "xmlcheck.h"

static char *
render(const struct html_report *r)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	ck_assert_msg(html_report_write(r, out, err, sizeof(err)) == 0, "write: %s", err);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_msg(xmlcheck_document(buf, len, XMLCHECK_HTML, err, sizeof(err)) == 0,
	    "not well formed: %s", err);
	return buf;
}

static const struct html_report_case unread = {
	"close-unread-truncates", "IPv4", "PASS", "rst from server",
	{ "truncated", "truncated" }, 3815524,
	"close-unread-truncates (IPv4): PASS. Lost 3,815,424 B, all unsent at close.",
	"captures/close-unread-truncates-v4.pcap", "captures/close-unread-truncates-v4.json",
	"captures/close-unread-truncates-v4.svg", NULL,
};

static struct html_report *
sample(void)
{
	static const struct html_report_expectation expects[] = {
		{ HTML_REPORT_EXPECT_OK, "teardown rst from server", "teardown rst from server" },
		{ HTML_REPORT_EXPECT_FAILED, "server->client clean", "server->client truncated" },
		{ HTML_REPORT_EXPECT_SKIPPED, "teardown fin from server", "not judged on linux" },
	};
	const struct html_report_case skipped = {
		"veth-delay-needs-netem", NULL, "SKIP", NULL, { NULL, NULL }, 0, NULL,
		NULL, NULL, NULL, NULL,
	};
	struct html_report *r = html_report_new("closeprobe run");
	size_t i;
	int k;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(html_report_add_platform(r, "kernel", "6.1.0"), 0);
	ck_assert_int_eq(html_report_add_platform(r, "system", "linux"), 0);
	k = html_report_add_case(r, &unread);
	ck_assert_int_eq(k, 0);
	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		ck_assert_int_eq(html_report_add_expectation(r, (size_t)k, &expects[i]), 0);
	ck_assert_int_eq(html_report_add_case(r, &skipped), 1);
	return r;
}

START_TEST(test_page)
{
	struct html_report *r = sample();
	char *page = render(r);

	ck_assert_ptr_nonnull(strstr(page, "<!DOCTYPE html>"));
	ck_assert_ptr_nonnull(strstr(page, "<meta charset=\"utf-8\">"));
	ck_assert_ptr_nonnull(strstr(page, "<title>closeprobe run</title>"));
	ck_assert_ptr_nonnull(strstr(page, "2 case runs: 1 PASS, 0 FAIL, 1 SKIP, 0 ERROR"));
	ck_assert_ptr_nonnull(strstr(page, "<tr><td>kernel</td><td>6.1.0</td></tr>"));
	ck_assert_uint_eq(xmlcheck_count(page, "<tbody class=\"run\""), 2);
	ck_assert_ptr_nonnull(strstr(page, "<tbody class=\"run\" id=\"case-close-unread-truncates-ipv4\" "
	    "data-index=\"0\" data-status=\"PASS\">"));
	ck_assert_ptr_nonnull(strstr(page, "id=\"case-veth-delay-needs-netem\""));
	ck_assert_ptr_nonnull(strstr(page, "<td class=\"num\" data-sort=\"3815524\">3,815,524 B</td>"));
	ck_assert_uint_eq(xmlcheck_count(page, "<td class=\"o-truncated\">truncated</td>"), 2);
	ck_assert_ptr_nonnull(strstr(page, "<span class=\"badge st-SKIP\">SKIP</span>"));
	/* The detail: verdict, expectations, links, the ladder. */
	ck_assert_ptr_nonnull(strstr(page, "<p class=\"verdict\">close-unread-truncates (IPv4): PASS."));
	ck_assert_uint_eq(xmlcheck_count(page, "<li class=\"ok\">"), 1);
	ck_assert_uint_eq(xmlcheck_count(page, "<li class=\"failed\">"), 1);
	ck_assert_uint_eq(xmlcheck_count(page, "<li class=\"skipped\">"), 1);
	ck_assert_ptr_nonnull(strstr(page, "server-&gt;client clean <span class=\"observed\">"
	    "\u2014 observed: server-&gt;client truncated</span>"));
	ck_assert_ptr_nonnull(strstr(page, "<a href=\"captures/close-unread-truncates-v4.pcap\">"));
	ck_assert_ptr_nonnull(strstr(page, "<a href=\"captures/close-unread-truncates-v4.json\">"));
	ck_assert_ptr_nonnull(strstr(page, "<img loading=\"lazy\" src=\"captures/close-unread-truncates-v4.svg\""));
	ck_assert_ptr_null(strstr(page, "report (text)"));
	/* Sortable columns: the lost bytes sort as numbers. */
	ck_assert_ptr_nonnull(strstr(page, "<th data-key=\"lost\" data-type=\"num\""));
	/* No compare results given: no matrix. */
	ck_assert_ptr_null(strstr(page, "id=\"matrix\""));
	free(page);
	html_report_free(r);
}
END_TEST

/* Nothing from outside: no URL, no fetch, nothing but the page itself. */
START_TEST(test_self_contained)
{
	struct html_report *r = sample();
	char *page = render(r);

	ck_assert_ptr_null(strstr(page, "http:"));
	ck_assert_ptr_null(strstr(page, "https:"));
	ck_assert_ptr_null(strstr(page, "//cdn"));
	ck_assert_ptr_null(strstr(page, "src=\"//"));
	ck_assert_ptr_null(strstr(page, "<link"));
	ck_assert_ptr_null(strstr(page, "@import"));
	ck_assert_ptr_null(strstr(page, "url("));
	ck_assert_ptr_null(strstr(page, "fetch("));
	ck_assert_ptr_null(strstr(page, "XMLHttpRequest"));
	ck_assert_ptr_null(strstr(page, "<script src"));
	ck_assert_uint_eq(xmlcheck_count(page, "<script>"), 1);
	free(page);
	html_report_free(r);
}
END_TEST

START_TEST(test_escaping)
{
	const struct html_report_case evil = {
		"<img src=x onerror=alert(1)>", "\"fam\"", "<b>PASS</b>", "a & b",
		{ "trunc\"ated", NULL }, 1, "</script><script>alert(2)</script>",
		"javascript:alert(3)", "../x y#z?.json", NULL, NULL,
	};
	const struct html_report_expectation e = {
		HTML_REPORT_EXPECT_OK, "<expect>", "\xff observed & more"
	};
	struct html_report *r = html_report_new("<title> & \"run\"");
	char *page;
	int k;

	ck_assert_int_eq(html_report_add_platform(r, "<k>", "v & w"), 0);
	k = html_report_add_case(r, &evil);
	ck_assert_int_ge(k, 0);
	ck_assert_int_eq(html_report_add_expectation(r, (size_t)k, &e), 0);
	page = render(r);
	ck_assert_ptr_null(strstr(page, "<img src=x"));
	ck_assert_ptr_null(strstr(page, "<script>alert"));
	ck_assert_ptr_null(strstr(page, "href=\"javascript:"));
	ck_assert_ptr_nonnull(strstr(page, "<title>&lt;title&gt; &amp; &quot;run&quot;</title>"));
	ck_assert_ptr_nonnull(strstr(page, "&lt;img src=x onerror=alert(1)&gt;"));
	ck_assert_ptr_nonnull(strstr(page, "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(page, "href=\"javascript%3Aalert%283%29\""));
	ck_assert_ptr_nonnull(strstr(page, "href=\"../x%20y%23z%3F.json\""));
	ck_assert_ptr_nonnull(strstr(page, "<span class=\"badge st-other\">&lt;b&gt;PASS&lt;/b&gt;</span>"));
	ck_assert_ptr_nonnull(strstr(page, "<td class=\"o-trunc-ated\">trunc&quot;ated</td>"));
	/* The id is made of safe characters only. */
	ck_assert_ptr_nonnull(strstr(page, "id=\"case-_img_src_x_onerror_alert_1__-_fam_\""));
	ck_assert_ptr_nonnull(strstr(page, "\xef\xbf\xbd observed &amp; more"));
	ck_assert_uint_eq(xmlcheck_count(page, "<script>"), 1);
	free(page);
	html_report_free(r);
}
END_TEST

START_TEST(test_anchors_unique)
{
	struct html_report *r = html_report_new(NULL);
	char *page;

	ck_assert_int_eq(html_report_add_case(r, &unread), 0);
	ck_assert_int_eq(html_report_add_case(r, &unread), 1);
	ck_assert_int_eq(html_report_add_case(r, &unread), 2);
	page = render(r);
	ck_assert_ptr_nonnull(strstr(page, "<title>closeprobe run</title>"));
	ck_assert_ptr_nonnull(strstr(page, "id=\"case-close-unread-truncates-ipv4\""));
	ck_assert_ptr_nonnull(strstr(page, "id=\"case-close-unread-truncates-ipv4-2\""));
	ck_assert_ptr_nonnull(strstr(page, "id=\"case-close-unread-truncates-ipv4-3\""));
	free(page);
	html_report_free(r);
}
END_TEST

START_TEST(test_matrix)
{
	struct html_report *r = sample();
	char *page;

	ck_assert_int_eq(html_report_set_matrix_cell(r, "close-unread-truncates", "linux", "PASS rst"), 0);
	ck_assert_int_eq(html_report_set_matrix_cell(r, "close-unread-truncates", "freebsd", "old"), 0);
	ck_assert_int_eq(html_report_set_matrix_cell(r, "close-unread-truncates", "freebsd", "PASS fin"), 0);
	ck_assert_int_eq(html_report_add_matrix_change(r, "close-unread-truncates", "freebsd",
	    "teardown", "rst from server", "fin from server"), 0);
	ck_assert_int_eq(html_report_set_matrix_cell(r, "veth-lossy", "linux", "PASS"), 0);
	page = render(r);
	ck_assert_ptr_nonnull(strstr(page, "<table id=\"matrix\">"));
	ck_assert_ptr_nonnull(strstr(page, "<thead><tr><th>case</th><th>linux</th><th>freebsd</th></tr></thead>"));
	ck_assert_ptr_nonnull(strstr(page, "<tr class=\"changed\"><th>close-unread-truncates</th>"
	    "<td>PASS rst</td><td class=\"changed\">PASS fin<div class=\"change\">teardown: "
	    "rst from server \u2192 fin from server</div></td></tr>"));
	ck_assert_ptr_nonnull(strstr(page, "<tr><th>veth-lossy</th><td>PASS</td>"
	    "<td><span class=\"muted\">not run</span></td></tr>"));
	ck_assert_ptr_null(strstr(page, ">old<"));
	free(page);
	html_report_free(r);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct html_report *r = sample();
	const struct html_report_expectation bad = { HTML_REPORT_EXPECT_STATE_COUNT, "x", NULL };
	const struct html_report_expectation ok = { HTML_REPORT_EXPECT_OK, "x", NULL };
	char err[128] = "";

	errno = 0;
	ck_assert_int_eq(html_report_add_expectation(r, 7, &ok), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(html_report_add_expectation(r, 0, &bad), -1);
	ck_assert_int_eq(html_report_add_expectation(r, 0, NULL), -1);
	ck_assert_int_eq(html_report_add_case(r, NULL), -1);
	ck_assert_int_eq(html_report_add_platform(r, NULL, "v"), -1);
	ck_assert_int_eq(html_report_set_matrix_cell(r, NULL, "p", "v"), -1);
	ck_assert_int_eq(html_report_add_matrix_change(r, "c", "p", NULL, "a", "b"), -1);
	ck_assert_int_eq(html_report_write(NULL, stdout, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "writing the report"));
	html_report_free(r);
	html_report_free(NULL);
}
END_TEST

START_TEST(test_write_error)
{
	struct html_report *r = sample();
	char err[256] = "";
	FILE *out = fopen("/dev/full", "w");

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(html_report_write(r, out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "writing the report: No space left on device") != NULL, "%s", err);
	fclose(out);
	html_report_free(r);
}
END_TEST

/* The checker's HTML rules: void elements and raw text, but still nesting. */
START_TEST(test_checker_html)
{
	static const char good[] = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
	    "<script>if (a < b && c) {}</script></head><body><input hidden>&nbsp;</body></html>";
	static const char *const bad[] = {
		"<p><b></p></b>", "<script>x", "<p x=\"1\" x=\"2\"></p>", "<p>& </p>", "<div>",
	};
	char err[128];
	size_t i;

	ck_assert_msg(xmlcheck_document(good, strlen(good), XMLCHECK_HTML, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(xmlcheck_document(good, strlen(good), XMLCHECK_XML, err, sizeof(err)), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(xmlcheck_document(bad[i], strlen(bad[i]), XMLCHECK_HTML, err,
		    sizeof(err)) == -1, "accepted: %s", bad[i]);
}
END_TEST

/* A file holding text, in the test's directory. */
static void
put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	n = getdelim(&buf, &cap, '\0', f);
	ck_assert_int_gt(n, 0);
	fclose(f);
	return buf;
}

/*
 * run --html: a record as closeprobe run --json writes it, its evidence in
 * a directory beside the page's (one with a space in its name): the page
 * links each file by a relative, escaped path, keeps the JSON, says the
 * teardown with who, lists the expectations apart from the verdict.
 */
START_TEST(test_run_page)
{
	char cap[512], page_dir[512], path[1024], json[4096], err[512];
	const char *text = "close-unread-small-reset: PASS. Lost 100 B.\n"
	    "  ok     cases/x.case:16: expect teardown rst from server; observed teardown rst\n"
	    "  FAILED cases/x.case:17: expect rst from client; observed RST+ACK from server\n"
	    "  skip   cases/x.case:18: expect teardown fin; observed not judged on linux\n"
	    "  server: send(): 1 call accepted 1,000 B\n";
	struct run_html *h;
	char *page;

	test_tmpdir_path(cap, sizeof(cap), "cap tures");
	test_tmpdir_path(page_dir, sizeof(page_dir), "report");
	ck_assert_int_eq(mkdir(cap, 0755), 0);
	snprintf(path, sizeof(path), "%s/x.pcap", cap);
	put_file(path, "pcap");
	snprintf(path, sizeof(path), "%s/x.svg", cap);
	put_file(path, "<svg/>");
	snprintf(json, sizeof(json), "{\"case\":\"close-unread-small-reset\",\"status\":\"FAIL\","
	    "\"family\":4,\"evidence\":{\"pcap\":\"%s/x.pcap\",\"svg\":\"%s/x.svg\","
	    "\"text\":\"%s/missing.txt\"},\"platform\":{\"os\":\"Linux\",\"sysctls\":"
	    "{\"net.ipv4.tcp_rmem\":\"4096\"}},\"wire\":{\"teardown\":\"rst\",\"client\":"
	    "{\"rst\":null},\"server\":{\"rst\":{\"kind\":\"rst+ack\",\"packet\":8}}},"
	    "\"directions\":{\"client->server\":{\"outcome\":\"truncated\",\"lost\":100},"
	    "\"server->client\":{\"outcome\":\"delivered-but-reset\",\"lost\":0}},"
	    "\"expectations\":[{\"line\":16,\"expect\":\"teardown rst from server\",\"held\":true,"
	    "\"observed\":\"teardown rst\"},{\"line\":17,\"expect\":\"rst from client\","
	    "\"held\":false,\"observed\":\"RST+ACK from server\"},{\"line\":18,\"expect\":"
	    "\"teardown fin\",\"held\":null,\"observed\":\"not judged on linux\"}]}",
	    cap, cap, cap);
	h = run_html_open(page_dir, "closeprobe run", err, sizeof(err));
	ck_assert_msg(h != NULL, "%s", err);
	ck_assert_msg(run_html_record(h, "close-unread-small-reset", text, json, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(run_html_record(h, "bad", text, "{", err, sizeof(err)), -1);
	ck_assert_msg(run_html_write(h, err, sizeof(err)) == 0, "%s", err);
	run_html_free(h);
	snprintf(path, sizeof(path), "%s/index.html", page_dir);
	page = slurp(path);
	ck_assert_msg(xmlcheck_document(page, strlen(page), XMLCHECK_HTML, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_msg(strstr(page, "href=\"../cap%20tures/x.pcap\"") != NULL, "%s", strstr(page, "<p class=\"links\">") ? strstr(page, "<p class=\"links\">") : page);
	ck_assert_ptr_nonnull(strstr(page, "src=\"../cap%20tures/x.svg\""));
	ck_assert_ptr_nonnull(strstr(page, "href=\"json/close-unread-small-reset-v4.json\""));
	ck_assert_ptr_null(strstr(page, "missing.txt"));	/* no link to what is not there */
	ck_assert_ptr_nonnull(strstr(page, "<td>rst from server</td>"));
	ck_assert_ptr_nonnull(strstr(page, "data-sort=\"100\""));
	ck_assert_ptr_nonnull(strstr(page, "<li class=\"failed\">"));
	ck_assert_ptr_nonnull(strstr(page, "<li class=\"skipped\">"));
	ck_assert_ptr_nonnull(strstr(page, "net.ipv4.tcp_rmem = 4096"));
	/* The verdict keeps its paragraph and role lines, not the expectation lines. */
	ck_assert_ptr_nonnull(strstr(page, "  server: send(): 1 call accepted 1,000 B"));
	ck_assert_ptr_null(strstr(page, "  FAILED cases/x.case:17"));
	free(page);
	snprintf(path, sizeof(path), "%s/json/close-unread-small-reset-v4.json", page_dir);
	page = slurp(path);
	ck_assert_int_eq(strncmp(page, json, strlen(json)), 0);
	free(page);
}
END_TEST

static Suite *
html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_page);
	tcase_add_test(tc, test_self_contained);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_anchors_unique);
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_checker_html);
	suite_add_tcase(s, tc);
	tc = tcase_create("run-page");
	tcase_add_checked_fixture(tc, test_tmpdir_setup, test_tmpdir_teardown);
	tcase_add_test(tc, test_run_page);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run_suite(html_suite());
}
