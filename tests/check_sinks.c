/* check_sinks.c -- the front ends' diagnostics sinks: Apache's shapes for
 * httpd and the confcheck report (text with caret, JSON). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "server.h"
#include "sinks.h"

/* ---- Apache shapes, table-driven ------------------------------------ */

static const struct {
    enum diag_phase phase;
    const char *file;
    int line;
    const char *message;
    const char *want;
} shapes[] = {
    {DIAG_READ, "/c/httpd.conf", 7,
     "/c/httpd.conf:7: <Directory> was not closed.",
     "httpd: Syntax error on line 7 of /c/httpd.conf: /c/httpd.conf:7: "
     "<Directory> was not closed."},
    {DIAG_READ, NULL, 0,
     "Could not open configuration file /x: No such file or directory",
     "httpd: Could not open configuration file /x: No such file or directory"},
    {DIAG_WALK, "/c/httpd.conf", 12,
     "Timeout takes one argument, Timeout duration (sec)",
     "AH00526: Syntax error on line 12 of /c/httpd.conf:\n"
     "Timeout takes one argument, Timeout duration (sec)"},
    {DIAG_GLOBAL, NULL, 0,
     "AH00534: httpd: Configuration error: No MPM loaded.",
     "AH00534: httpd: Configuration error: No MPM loaded."},
    {DIAG_LOG, "/c/a.conf", 3, "AH00111: Config variable ${X} is not defined",
     "AH00111: Config variable ${X} is not defined"},
};

START_TEST(apache_shapes)
{
    char buf[1024];
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = shapes[_i].phase,
        .file = shapes[_i].file,
        .line = shapes[_i].line,
        .message = shapes[_i].message,
    };
    sink_apache_format(buf, sizeof(buf), "httpd", &d);
    ck_assert_str_eq(buf, shapes[_i].want);
}
END_TEST

/* Capture what a FILE-based sink prints. */
static char *capture(void (*fn)(FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fn(f);
    fclose(f);
    return text;
}

/* Apache's ap_escape_errorlog_item(), recorded from apache2 -t output. */
static const struct {
    const char *in;
    const char *want;
} escapes[] = {
    {"plain text, \"quoted\" ~", "plain text, \"quoted\" ~"},
    {"a\nb", "a\\nb"},
    {"\t\r\v\b", "\\t\\r\\v\\b"},
    {"back\\slash", "back\\\\slash"},
    {"\x01\x1b\x7f\f", "\\x01\\x1b\\x7f\\x0c"},
    {"caf\xc3\xa9", "caf\\xc3\\xa9"},
    {"", ""},
};

START_TEST(apache_escape)
{
    char *got = sink_apache_escape(escapes[_i].in, strlen(escapes[_i].in));
    ck_assert_str_eq(got, escapes[_i].want);
    free(got);
}
END_TEST

START_TEST(apache_escape_cuts_at_8190)
{
    size_t n = 20000;
    char *in = malloc(n);
    memset(in, 'x', n);
    in[100] = '\n';
    char *got = sink_apache_escape(in, n);
    ck_assert_uint_eq(strlen(got), 8190);
    ck_assert(memcmp(got + 100, "\\nxx", 4) == 0);
    free(got);
    free(in);
}
END_TEST

static void multi_line_read_error(FILE *out)
{
    diag_sink s;
    sink_apache_init(&s, "httpd", out, 0);
    diag_errorf(&s, DIAG_READ, "/c/x.conf", 2, 1, "unclosed",
                "/c/x.conf:3: <Files> was not closed.\n"
                "/c/x.conf:2: <Directory> was not closed.");
}

START_TEST(apache_sink_escapes_one_log_call)
{
    char *text = capture(multi_line_read_error);
    ck_assert_str_eq(text, "httpd: Syntax error on line 2 of /c/x.conf: "
                           "/c/x.conf:3: <Files> was not closed.\\n"
                           "/c/x.conf:2: <Directory> was not closed.\n");
    free(text);
}
END_TEST

static void two_errors_and_a_warning(FILE *out)
{
    diag_sink s;
    sink_apache_init(&s, "httpd", out, 0);
    diag_errorf(&s, DIAG_WALK, "/c/x.conf", 3, 1, "args", "first %s", "error");
    diag_errorf(&s, DIAG_WALK, "/c/x.conf", 4, 1, "args", "second error");
    diag_warnf(&s, DIAG_GLOBAL, "mpm_event", "/c/x.conf", 5, 1, "clamp",
               "AH00180: WARNING: clamped");
    ck_assert_int_eq(s.errors, 2);
    ck_assert_int_eq(s.warnings, 1);
}

START_TEST(apache_sink_shows_first_error_only)
{
    char *text = capture(two_errors_and_a_warning);
    ck_assert_str_eq(
        text, "AH00526: Syntax error on line 3 of /c/x.conf:\nfirst error\n"
              "AH00180: WARNING: clamped\n");
    free(text);
}
END_TEST

static void log_warning(FILE *out)
{
    diag_sink s;
    sink_apache_init(&s, "httpd", out, 0);
    diag_warnf(&s, DIAG_LOG, "core", "/c/x.conf", 5, 1, "undefined-variable",
               "AH00111: Config variable ${Y} is not defined");
}

START_TEST(apache_sink_log_warning_is_a_log_line)
{
    /* log_write() writes to the descriptor: use a pipe-backed file. */
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    FILE *w = fdopen(fds[1], "w");
    log_warning(w);
    fclose(w);
    char buf[512] = "";
    ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    ck_assert_int_gt(n, 0);
    buf[n] = '\0';
    ck_assert_msg(
        buf[0] == '[' && strstr(buf, "] [core:warn] [pid ") != NULL &&
            strstr(buf, ":tid ") != NULL &&
            strstr(buf, "] AH00111: Config variable ${Y} is not defined\n") !=
                NULL,
        "log line: %s", buf);
}
END_TEST

/* ---- confcheck report -------------------------------------------------- */

static char tmpconf[64];

static void report_text(FILE *out)
{
    diag_sink s;
    sink_report *r = sink_report_new(&s, SINK_TEXT);
    struct diag late = {.severity = DIAG_WARNING,
                        .file = tmpconf,
                        .line = 3,
                        .col = 5,
                        .rule = "w",
                        .message = "later line"};
    struct diag early = {.severity = DIAG_ERROR,
                         .file = tmpconf,
                         .line = 2,
                         .col = 3,
                         .rule = "e",
                         .message = "Invalid command 'Tmeout'",
                         .suggestion = "did you mean Timeout?",
                         .related_file = tmpconf,
                         .related_line = 1};
    diag_emit(&s, &late);
    diag_emit(&s, &early);
    ck_assert_int_eq(sink_report_finish(r, out, out), 1);
    sink_report_free(r);
}

START_TEST(report_text_has_caret_and_order)
{
    strcpy(tmpconf, "/tmp/check_sinks_XXXXXX");
    int fd = mkstemp(tmpconf);
    ck_assert_int_ge(fd, 0);
    const char *src = "Listen 80\n\t Tmeout 5\n    later x\n";
    ck_assert_int_eq(write(fd, src, strlen(src)), (ssize_t)strlen(src));
    close(fd);
    char *text = capture(report_text);
    char want[2048];
    snprintf(want, sizeof(want),
             "%s:2:3: error: Invalid command 'Tmeout' [e]\n"
             "     2 | \t Tmeout 5\n"
             "       | \t ^~~~~~\n"
             "       = did you mean Timeout?\n"
             "%s:1: note: related location\n"
             "     1 | Listen 80\n"
             "%s:3:5: warning: later line [w]\n"
             "     3 |     later x\n"
             "       |     ^~~~~\n"
             "1 error, 1 warning\n",
             tmpconf, tmpconf, tmpconf);
    ck_assert_str_eq(text, want);
    free(text);
    unlink(tmpconf);
}
END_TEST

static void report_json(FILE *out)
{
    diag_sink s;
    sink_report *r = sink_report_new(&s, SINK_JSON);
    struct diag d = {.severity = DIAG_ERROR,
                     .file = "a\"b.conf",
                     .line = 1,
                     .col = 2,
                     .rule = "r",
                     .message = "bad \xff\x01 byte\n\\ \xc3\xa9"};
    diag_emit(&s, &d);
    sink_report_finish(r, out, NULL);
    sink_report_free(r);
}

START_TEST(report_json_escapes)
{
    char *text = capture(report_json);
    ck_assert_str_eq(
        text, "[\n  {\"file\": \"a\\\"b.conf\", \"line\": 1, \"column\": 2, "
              "\"severity\": \"error\", \"rule\": \"r\", \"message\": "
              "\"bad \\ufffd\\u0001 byte\\n\\\\ \xc3\xa9\", \"suggestion\": "
              "null}\n]\n");
    free(text);
}
END_TEST

static void report_empty(FILE *out)
{
    diag_sink s;
    sink_report *r = sink_report_new(&s, SINK_JSON);
    sink_report_finish(r, out, out);
    sink_report_free(r);
}

START_TEST(report_json_empty)
{
    char *text = capture(report_empty);
    ck_assert_str_eq(text, "[]\n0 errors, 0 warnings\n");
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sinks");
    TCase *tc = tcase_create("apache");
    tcase_add_loop_test(tc, apache_shapes, 0,
                        (int)(sizeof(shapes) / sizeof(shapes[0])));
    tcase_add_test(tc, apache_sink_shows_first_error_only);
    tcase_add_loop_test(tc, apache_escape, 0,
                        (int)(sizeof(escapes) / sizeof(escapes[0])));
    tcase_add_test(tc, apache_escape_cuts_at_8190);
    tcase_add_test(tc, apache_sink_escapes_one_log_call);
    tcase_add_test(tc, apache_sink_log_warning_is_a_log_line);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("report");
    tcase_add_test(tr, report_text_has_caret_and_order);
    tcase_add_test(tr, report_json_escapes);
    tcase_add_test(tr, report_json_empty);
    suite_add_tcase(s, tr);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
