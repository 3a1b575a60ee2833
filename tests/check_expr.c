/* check_expr.c -- the expression language: parse errors worded as
 * apache2 -t words them (golden table recorded from Apache 2.4 with
 * "Require expr"), and evaluation over a hand-made request. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "expr.h"
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

/* ---- parsing ---------------------------------------------------------- */

/* NULL: Apache accepts it. */
static const struct {
    const char *text;
    const char *error;
} parse_cases[] = {
    {"true", NULL},
    {"", "syntax error, unexpected $end"},
    {"%{FOO} == 1", "Variable 'FOO' does not exist"},
    {"%{HTTP_X_FOO} == 'a'", "Variable 'HTTP_X_FOO' does not exist"},
    {"%{FOO} == %{BAR}", "Variable 'BAR' does not exist"},
    {"foo(1)", "syntax error, unexpected $end: Function 'foo' does not exist"},
    {"%{foo:bar} == 'a'", "Function 'foo' does not exist"},
    {"1 ==", "syntax error, unexpected $end"},
    {"\\\"abc", "Parse error near '\\'"},
    {"@", "Parse error near '@'"},
    {"$a == 1", "Parse error near '$'"},
    {"(1 == 1", "syntax error, unexpected $end, expecting T_OP_OR or "
                "T_OP_AND or ')'"},
    {"%{REMOTE_ADDR}", "syntax error, unexpected $end"},
    {"'a' =~ /(/", "Failed to compile regular expression"},
    {"-Q 'a'", "Unary operator '-Q' does not exist"},
    {"'a' -foo 'b'", "Binary operator '-foo' does not exist"},
    {"tolower('a', 'b') == 'a'", "syntax error, unexpected ',', expecting "
                                 "T_OP_CONCAT or ')'"},
    {"'a' == 'b' 'c'", "syntax error, unexpected T_STR_BEGIN, expecting $end"},
    {"%{HTTP_HOST == 'a'", "syntax error, unexpected T_ERROR, expecting "
                           "T_VAR_END or ':': Invalid character in variable "
                           "name ' '"},
    {"%{HTTP_HOST", "syntax error, unexpected T_ERROR, expecting T_VAR_END "
                    "or ':': Unterminated string or variable"},
    {"'a' == 'b' )", "syntax error, unexpected ')', expecting $end"},
    {"'a' -in {'a'", "syntax error, unexpected $end, expecting '}' or ','"},
    {"'a' -in {'a' 'b'}", "syntax error, unexpected T_STR_BEGIN, expecting "
                          "'}' or ','"},
    {"'a' -in {}", "syntax error, unexpected '}'"},
    {"'a' -in tolower('a')", "List-returning function 'tolower' does not "
                             "exist"},
    {"'a' =~ 'b'", "syntax error, unexpected T_STR_BEGIN, expecting T_REGEX "
                   "or T_REGEX_I"},
    {"'a' =~ /abc", "syntax error, unexpected $end, expecting T_REGEX or "
                    "T_REGEX_I"},
    {"'a' =~ /abc/x", "syntax error, unexpected T_ID, expecting $end"},
    {"%{HTTP:} == 'a'", "syntax error, unexpected T_VAR_END, expecting "
                        "T_ERROR or T_STRING or T_REGEX_BACKREF or "
                        "T_VAR_BEGIN"},
    {"'abc", "Unterminated string or variable"},
    {"'a\\400' == 'a'", "Escape sequence out of bound"},
    {"'a\\9' == 'a'", "Bad escape sequence"},
    {"a == 1", "syntax error, unexpected T_OP_STR_EQ, expecting '('"},
    {"'a' <> 'a'", "syntax error, unexpected T_OP_STR_GT"},
    {"%{TIME_HOUR} -gt 2 -a 1", "syntax error, unexpected T_OP_UNARY, "
                                "expecting $end"},
    {"-R %{HTTP_HOST}", "-R requires subnet/netmask as constant argument"},
    {"-R '1.2.3.4/33'", "parsing of subnet/netmask failed"},
    {"'a' -ipmatch 'x'", "parsing of subnet/netmask failed"},
    {"$10 == 1", "syntax error, unexpected T_DIGIT"},
    {"%{:true:} == 'a'", "syntax error, unexpected ':', expecting T_ID"},
    {"$1 == 'b'", NULL},
    {"'a' = 'a'", NULL},
    {"1 eq 1 and 2 -ne 3 or not false", NULL},
    {"'a' =~ m#abc#i && 'b' !~ /x/", NULL},
    {"%{http:X} == 'a' || %{REMOTE_ADDR} -ipmatch '10.0.0.0/8'", NULL},
    {"md5('x') == sha1('y') . base64(%{REQUEST_URI})", NULL},
    {"'a' -in {'a', 'b', %{HTTP_HOST}}", NULL},
    {"-f %{REQUEST_FILENAME} || -d '/' || -U '/x' || -R '127.0.0.1'", NULL},
};

START_TEST(parse_errors)
{
    expr *e;
    const char *err = expr_parse(a, parse_cases[_i].text, 0, &e);
    if (parse_cases[_i].error == NULL) {
        ck_assert_msg(err == NULL, "%s: %s", parse_cases[_i].text, err);
        ck_assert_ptr_nonnull(e);
        ck_assert_str_eq(expr_source(e), parse_cases[_i].text);
    } else {
        ck_assert_msg(err != NULL, "%s parsed", parse_cases[_i].text);
        ck_assert_str_eq(err, parse_cases[_i].error);
        ck_assert_ptr_null(e);
    }
}
END_TEST

/* Bad input never crashes: every prefix of a long expression parses or
 * fails cleanly. */
START_TEST(prefixes_fail_cleanly)
{
    const char *text = "(%{HTTP:X-A} =~ m#^(a|b)$#i && $1 -in {'a', "
                       "tolower(\"B\\x\")}) || !-R '10.0.0.0/8' . 'x'";
    size_t n = strlen(text);
    for (size_t i = 0; i <= n; i++) {
        expr *e;
        char *t = arena_strndup(a, text, i);
        const char *err = expr_parse(a, t, 0, &e);
        ck_assert((err == NULL) == (e != NULL));
    }
}
END_TEST

/* Evaluation recurses over the tree: a long chain is fine up to the
 * limit, and refused beyond it rather than overflowing a thread's stack. */
START_TEST(deep_chains)
{
    expr *e;
    for (int n = 100; n <= 20000; n *= 200) {
        size_t len = (size_t)n * 8 + 16;
        char *t = arena_alloc(a, len), *p = t;
        for (int i = 0; i < n; i++)
            p += sprintf(p, "true && ");
        strcpy(p, "true");
        const char *err = expr_parse(a, t, 0, &e);
        if (n == 100) {
            ck_assert_ptr_null(err);
        } else {
            ck_assert_ptr_nonnull(err);
            ck_assert_str_eq(err, "expression nested more than 10000 levels "
                                  "deep");
        }
    }
}
END_TEST

/* ---- evaluation --------------------------------------------------------- */

static request *make_request(void)
{
    request *r = arena_calloc(a, sizeof(*r));
    conn_info *c = arena_calloc(a, sizeof(*c));
    struct sockaddr_in *sin = (struct sockaddr_in *)&c->peer;
    sin->sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &sin->sin_addr);
    strcpy(c->peer_ip, "127.0.0.1");
    c->peer_port = 40000;
    r->arena = a;
    r->connection = c;
    r->method = "GET";
    r->the_request = "GET /a/b.html?x=1 HTTP/1.1";
    r->protocol = "HTTP/1.1";
    r->uri = "/a/b.html";
    r->args = "x=1";
    r->hostname = "example.org";
    r->status = 200;
    req_table_add(a, &r->headers_in, "Host", "example.org");
    req_table_add(a, &r->headers_in, "X-Foo", "Bar");
    req_table_add(a, &r->subprocess_env, "E1", "v1");
    req_table_add(a, &r->notes, "N1", "n1");
    req_table_add(a, &r->headers_out, "X-Out", "o");
    return r;
}

static const struct {
    const char *text;
    int result;
} eval_cases[] = {
    {"true", 1},
    {"false", 0},
    {"!false && (true || false)", 1},
    {"%{REQUEST_METHOD} == 'GET'", 1},
    {"%{request_method} == 'POST'", 0},
    {"%{REQUEST_URI} == '/a/b.html'", 1},
    {"%{QUERY_STRING} == 'x=1'", 1},
    {"%{THE_REQUEST} =~ /^GET /", 1},
    {"%{REMOTE_ADDR} == '127.0.0.1'", 1},
    {"%{REMOTE_ADDR} -ipmatch '127.0.0.0/8'", 1},
    {"%{REMOTE_ADDR} -ipmatch '10.0.0.0/8'", 0},
    {"-R '127.0.0.1'", 1},
    {"-R '::1'", 0},
    {"%{HTTP_HOST} == 'example.org'", 1},
    {"%{HTTP:x-foo} == 'Bar'", 1},
    {"req('X-FOO') == 'Bar' && http('Missing') == ''", 1},
    {"resp('X-Out') == 'o'", 1},
    {"reqenv('E1') == 'v1' && env('E1') == 'v1' && note('N1') == 'n1'", 1},
    {"%{SERVER_NAME} == 'example.org' && %{SERVER_PORT} == '80'", 1},
    {"%{REQUEST_STATUS} -eq 200", 1},
    {"%{HTTPS} == 'off' && %{IPV6} == 'off'", 1},
    {"10 -gt 9 && 10 < 9", 1},
    {"-3 -lt 2 && 2 -le 2 && 2 -ge 3", 0},
    {"'abc' < 'abd' && 'b' >= 'a' && 'a' != 'b'", 1},
    {"'x' -in {'a', 'x'} && !('y' -in {'a'})", 1},
    {"%{REQUEST_URI} =~ m#^/(a)/(b)\\.html$# && $1 . $2 == 'ab'", 1},
    {"'ABC' =~ /abc/i && $0 == 'ABC'", 1},
    {"'ABC' =~ /abc/", 0},
    {"'ABC' !~ /abc/", 1},
    {"'x' =~ /(y)?x/ && $1 == '' && $9 == ''", 1},
    {"\"a%{REQUEST_METHOD}b\" == 'aGETb'", 1},
    {"'a\\tb' == \"a\\011b\"", 1},
    {"tolower('AbC') == 'abc' && toupper('aBc') == 'ABC'", 1},
    {"%{toupper:x%{REQUEST_METHOD}} == 'XGET'", 1},
    {"escape('a b/?') == 'a%20b/%3f'", 1},
    {"unescape('a%20b%2fc') == 'a b%2fc'", 1},
    {"unescape('a%zz') == 'a%zz'", 1},
    {"base64('hello') == 'aGVsbG8=' && unbase64('aGVsbG8=') == 'hello'", 1},
    {"md5('abc') == '900150983cd24fb0d6963f7d28e17f72'", 1},
    {"sha1('abc') == 'a9993e364706816aba3e25717850c26c9cd0d89d'", 1},
    {"-n 'a' && -z '' && !-n ''", 1},
    {"-T 'yes' && !-T 'off' && !-T 'No' && !-T '0' && !-T ''", 1},
    {"'foo.html' -strmatch '*.html' && !('A' -strmatch 'a')", 1},
    {"'A' -strcmatch 'a' && !('a/b' -fnmatch '*')", 1},
    {"-d '/' && -e '/' && !-f '/' && -f '/etc/passwd' && -s '/etc/passwd'", 1},
    {"-e '/nonexistent/x' || -L '/nonexistent'", 0},
    {"filesize('/nonexistent') == '0'", 1},
    {"%{TIME_YEAR} -ge 2000 && %{TIME_MON} -le 12 && %{TIME} =~ /^[0-9]{14}$/",
     1},
};

START_TEST(evaluation)
{
    expr *e;
    const char *err = expr_parse(a, eval_cases[_i].text, 0, &e);
    ck_assert_msg(err == NULL, "%s: %s", eval_cases[_i].text, err);
    request *r = make_request();
    int v = expr_exec(e, r, &err);
    ck_assert_msg(v == eval_cases[_i].result, "%s gave %d (%s)",
                  eval_cases[_i].text, v, err ? err : "");
}
END_TEST

/* Headers read through req()/http()/%{HTTP:}/%{HTTP_*} join Vary, once
 * each; Host and req_novary() do not. */
START_TEST(vary)
{
    expr *e;
    request *r = make_request();
    ck_assert_ptr_null(expr_parse(a,
                                  "%{HTTP_HOST} == '' || req_novary('A') "
                                  "== '' && req('X-Foo') == 'Bar' && "
                                  "%{HTTP:x-foo} != '' && http('B') == '' "
                                  "&& req('host') != '' && "
                                  "%{HTTP_USER_AGENT} == ''",
                                  0, &e));
    ck_assert_int_eq(expr_exec(e, r, NULL), 1);
    ck_assert_str_eq(req_table_get(&r->headers_out, "Vary"),
                     "X-Foo,B,User-Agent");
    ck_assert_int_eq(expr_exec(e, r, NULL), 1);
    ck_assert_str_eq(req_table_get(&r->headers_out, "Vary"),
                     "X-Foo,B,User-Agent");
    request *r2 = make_request();
    ck_assert_int_eq(expr_exec_novary(e, r2, NULL), 1);
    ck_assert_ptr_null(req_table_get(&r2->headers_out, "Vary"));
}
END_TEST

START_TEST(runtime_error)
{
    expr *e;
    request *r = make_request();
    const char *err = NULL;
    ck_assert_ptr_null(expr_parse(a, "file('/nonexistent/x') == ''", 0, &e));
    ck_assert_int_eq(expr_exec(e, r, &err), -1);
    ck_assert_str_eq(err, "Cannot open file /nonexistent/x");
}
END_TEST

START_TEST(string_expressions)
{
    expr *e;
    request *r = make_request();
    ck_assert_ptr_null(
        expr_parse(a, "m=%{REQUEST_METHOD} '$1' \"x\"", EXPR_FLAG_STRING, &e));
    ck_assert_str_eq(expr_exec_string(e, r, NULL), "m=GET '' \"x\"");
    ck_assert_ptr_null(expr_parse(a, "", EXPR_FLAG_STRING, &e));
    ck_assert_str_eq(expr_exec_string(e, r, NULL), "");
}
END_TEST

START_TEST(digests)
{
    char out[41];
    digest_md5_hex("", 0, out);
    ck_assert_str_eq(out, "d41d8cd98f00b204e9800998ecf8427e");
    const char *long_text = "12345678901234567890123456789012345678901234567"
                            "890123456789012345678901234567890";
    digest_md5_hex(long_text, strlen(long_text), out);
    ck_assert_str_eq(out, "57edf4a22be3c955ac49da2e2107b67a");
    digest_sha1_hex("", 0, out);
    ck_assert_str_eq(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    const char *sha_text =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest_sha1_hex(sha_text, strlen(sha_text), out);
    ck_assert_str_eq(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    size_t len;
    ck_assert_str_eq(digest_base64_encode(a, "ab", 2), "YWI=");
    ck_assert_str_eq(digest_base64_encode(a, "a", 1), "YQ==");
    ck_assert_str_eq(digest_base64_decode(a, "YWI=", &len), "ab");
    ck_assert_int_eq(len, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("expr");
    TCase *tc = tcase_create("expr");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, parse_errors, 0,
                        sizeof(parse_cases) / sizeof(parse_cases[0]));
    tcase_add_test(tc, prefixes_fail_cleanly);
    tcase_add_test(tc, deep_chains);
    tcase_add_loop_test(tc, evaluation, 0,
                        sizeof(eval_cases) / sizeof(eval_cases[0]));
    tcase_add_test(tc, vary);
    tcase_add_test(tc, runtime_error);
    tcase_add_test(tc, string_expressions);
    tcase_add_test(tc, digests);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
