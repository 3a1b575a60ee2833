/* check_request.c -- the request helpers modules use: header tables, method
 * numbers, reason phrases, escaping, HTTP dates, the TypesConfig map. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "request.h"

static arena *a;

static void setup(void)
{
    a = arena_create(0);
}
static void teardown(void)
{
    arena_destroy(a);
}

START_TEST(table_set_add_unset)
{
    req_table t = {0};
    for (int i = 0; i < 40; i++) /* grows past the first block */
        req_table_add(a, &t, "X-N", arena_printf(a, "%d", i));
    ck_assert_int_eq(t.n, 40);
    ck_assert_str_eq(req_table_get(&t, "x-n"), "0");
    req_table_set(a, &t, "X-n", "only");
    ck_assert_int_eq(t.n, 1);
    ck_assert_str_eq(req_table_get(&t, "X-N"), "only");
    req_table_add(a, &t, "Other", "o");
    req_table_unset(&t, "x-N");
    ck_assert_int_eq(t.n, 1);
    ck_assert_ptr_null(req_table_get(&t, "X-N"));
    ck_assert_str_eq(t.v[0].name, "Other");
    req_table_clear(&t);
    ck_assert_int_eq(t.n, 0);
}
END_TEST

START_TEST(table_append_merge)
{
    req_table t = {0};
    req_table_append(a, &t, "Cache-Control", "no-cache");
    req_table_append(a, &t, "cache-control", "no-store");
    ck_assert_str_eq(req_table_get(&t, "Cache-Control"), "no-cache, no-store");
    req_table_merge(a, &t, "Cache-Control", "NO-STORE");
    ck_assert_str_eq(req_table_get(&t, "Cache-Control"), "no-cache, no-store");
    req_table_merge(a, &t, "Cache-Control", "private");
    ck_assert_str_eq(req_table_get(&t, "Cache-Control"),
                     "no-cache, no-store, private");
    req_table_merge(a, &t, "Vary", "Accept");
    ck_assert_str_eq(req_table_get(&t, "Vary"), "Accept");
    ck_assert_int_eq(t.n, 2);
}
END_TEST

static const struct {
    const char *name;
    int num;
} methods[] = {
    {"GET", M_GET},
    {"HEAD", M_GET},
    {"POST", M_POST},
    {"PUT", M_PUT},
    {"DELETE", M_DELETE},
    {"OPTIONS", M_OPTIONS},
    {"TRACE", M_TRACE},
    {"CONNECT", M_CONNECT},
    {"PATCH", M_PATCH},
    {"PROPFIND", M_PROPFIND},
    {"VERSION-CONTROL", M_VERSION_CONTROL},
    {"BASELINE-CONTROL", M_BASELINE_CONTROL},
    {"get", M_INVALID},
    {"FOO", M_INVALID},
    {"", M_INVALID},
};

START_TEST(method_numbers)
{
    ck_assert_int_eq(req_method_number(methods[_i].name), methods[_i].num);
}
END_TEST

START_TEST(status_lines)
{
    ck_assert_str_eq(http_status_line(200), "200 OK");
    ck_assert_str_eq(http_status_line(404), "404 Not Found");
    ck_assert_str_eq(http_status_line(413), "413 Request Entity Too Large");
    ck_assert_str_eq(http_status_line(414), "414 Request-URI Too Long");
    ck_assert_str_eq(http_status_line(416),
                     "416 Requested Range Not Satisfiable");
    ck_assert_str_eq(http_reason_phrase(501), "Not Implemented");
    ck_assert_str_eq(http_reason_phrase(100), "Continue");
    ck_assert_str_eq(http_reason_phrase(511),
                     "Network Authentication Required");
    ck_assert_ptr_null(http_status_line(299));
    ck_assert_ptr_null(http_status_line(0));
    ck_assert_ptr_null(http_status_line(600));
}
END_TEST

START_TEST(escaping)
{
    ck_assert_str_eq(req_escape_html(a, "<a href=\"x\">&</a>"),
                     "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    ck_assert_str_eq(req_escape_html(a, "plain"), "plain");
    ck_assert_str_eq(req_escape_uri(a, "/a b/c%d?e#f\xe9"),
                     "/a%20b/c%25d%3fe%23f%e9");
    ck_assert_str_eq(req_escape_uri(a, "/ok-_.~!$&'()*+,:=@"),
                     "/ok-_.~!$&'()*+,:=@");
}
END_TEST

static const struct {
    const char *text;
    long t;
} dates[] = {
    {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},
    {"Sunday, 06-Nov-94 08:49:37 GMT", 784111777},
    {"Sun Nov  6 08:49:37 1994", 784111777},
    {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
    {"Mon, 01 Jan 2024 00:00:00 GMT", 1704067200},
    {"Mon, 01 Foo 2024 00:00:00 GMT", -1},
    {"Mon, 01 Jan 2024 25:00:00 GMT", -1},
    {"yesterday", -1},
    {"", -1},
};

START_TEST(date_parse)
{
    ck_assert_int_eq((long)http_parse_date(dates[_i].text), dates[_i].t);
}
END_TEST

START_TEST(date_format)
{
    char buf[32];
    http_format_date(buf, 784111777);
    ck_assert_str_eq(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    http_format_date(buf, 0);
    ck_assert_str_eq(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
    for (time_t t = 0; t < 4000000000; t += 12345678) {
        http_format_date(buf, t);
        ck_assert_int_eq(strlen(buf), 29);
        ck_assert_int_eq((long)http_parse_date(buf), (long)t);
    }
    /* the arithmetic conversion agrees with gmtime_r() up to year 9999,
     * leap days and century years included */
    static const long long edges[] = {951782400,      951868800,
                                      4107542400LL,   4107456000LL,
                                      253402300799LL, 86399};
    for (int i = 0; i < 400; i++) {
        time_t t =
            i < 6 ? (time_t)edges[i] : (time_t)((long long)i * 633825307LL);
        char want[64];
        struct tm tm;
        ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
        strftime(want, sizeof(want), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        http_format_date(buf, t);
        ck_assert_str_eq(buf, want);
    }
}
END_TEST

START_TEST(types_config_map)
{
    char path[] = "/tmp/check_request_typesXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *text = "# comment\n"
                       "text/html html htm\n"
                       "  image/png\tpng  \n"
                       "application/x-old foo\n"
                       "application/x-new FOO\n"
                       "type/without-extensions\n";
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    resolved_config *rc = arena_calloc(a, sizeof(*rc));
    rc->types_config = path;
    rc->generation = 12345;
    ck_assert_str_eq(mime_types_lookup(rc, "html"), "text/html");
    ck_assert_str_eq(mime_types_lookup(rc, "HTM"), "text/html");
    ck_assert_str_eq(mime_types_lookup(rc, "png"), "image/png");
    ck_assert_str_eq(mime_types_lookup(rc, "foo"),
                     "application/x-new"); /* later wins */
    ck_assert_ptr_null(mime_types_lookup(rc, "txt"));
    ck_assert_ptr_null(mime_types_lookup(rc, ""));
    ck_assert_ptr_null(mime_types_lookup(rc, "#"));
    unlink(path);
}
END_TEST

#define N(x) ((int)(sizeof(x) / sizeof((x)[0])))

int main(void)
{
    Suite *s = suite_create("request");
    TCase *tc = tcase_create("helpers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, table_set_add_unset);
    tcase_add_test(tc, table_append_merge);
    tcase_add_loop_test(tc, method_numbers, 0, N(methods));
    tcase_add_test(tc, status_lines);
    tcase_add_test(tc, escaping);
    tcase_add_loop_test(tc, date_parse, 0, N(dates));
    tcase_add_test(tc, date_format);
    tcase_add_test(tc, types_config_map);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
