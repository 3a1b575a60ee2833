/* check_parser.c -- sections and structural errors, and bad input.
 * Messages and line numbers recorded from apache2 -t 2.4.71. */
#include <check.h>
#include <string.h>

#include "data/parser/readtest.h"

static const struct {
    const char *text;
    int line;
    const char *message; /* with FILE for the file name */
} error_cases[] = {
    {"<Directory /tmp>\n</Directory >\n", 2,
     "</Directory> directive missing closing '>'"},
    {"<Directory /tmp>\n</Directory junk>\n", 2,
     "</Directory> directive missing closing '>'"},
    {"<Directory /tmp>\n</Directory>junk\n", 2,
     "</Directory>junk> directive missing closing '>'"},
    {"<Directory /tmp>\n</Files>\n", 2,
     "Expected </Directory> but saw </Files>"},
    {"<Directory /tmp>\n<Files x>\n</Directory>\n", 3,
     "Expected </Files> but saw </Directory>"},
    {"<Directory /tmp>\n</>\n", 2, "Expected </Directory> but saw </>"},
    {"< Directory /tmp>\n</Directory>\n", 2,
     "Expected </> but saw </Directory>"},
    {"</Directory>\n", 1, "</Directory> without matching <Directory> section"},
    {"</Directory >\n", 1, "</Directory without matching <Directory section"},
    {"</>\n", 1, "</> without matching <> section"},
    /* EOF: reported at the opener's line */
    {"\n<Directory /tmp>\n\nServerName x\n", 2,
     "FILE:2: <Directory> was not closed."},
    {"<>\n", 1, "FILE:1: <> was not closed."},
    /* several: innermost first, one per line, at the outermost line */
    {"<Directory /a>\n<Files x>\nServerName y\n", 1,
     "FILE:2: <Files> was not closed.\nFILE:1: <Directory> was not closed."},
};

START_TEST(structural_errors)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    rt_ndiags = 0;
    const char *t = error_cases[_i].text;
    conf_node *root = conf_parse_string(a, "FILE", t, strlen(t), &sink);
    ck_assert_ptr_null(root);
    ck_assert_int_eq(sink.errors, 1);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->phase, DIAG_READ);
    ck_assert_msg(d->line == error_cases[_i].line, "case %d: line %d", _i,
                  d->line);
    ck_assert_str_eq(d->message, error_cases[_i].message);
    arena_destroy(a);
}
END_TEST

START_TEST(balanced_and_case_insensitive)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    const char *t =
        "<Directory /a>\n<files x>\nA\n</FILES>\n</directory> junk\n"
        "B\n";
    conf_node *root = conf_parse_string(a, "t", t, strlen(t), &sink);
    ck_assert_int_eq(sink.errors, 0);
    conf_node *d = root->first_child;
    ck_assert_str_eq(d->name, "Directory");
    ck_assert_int_eq(d->end_line, 5);
    ck_assert_str_eq(d->first_child->name, "files");
    ck_assert_str_eq(d->first_child->first_child->name, "A");
    ck_assert_ptr_eq(d->first_child->parent, d);
    ck_assert_str_eq(d->next->name, "B");
    ck_assert_ptr_eq(root->last_child, d->next);
    arena_destroy(a);
}
END_TEST

START_TEST(keep_going_reports_every_error)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit, .keep_going = 1};
    rt_ndiags = 0;
    const char *t = "</A>\n<B x>\n</C>\nD\n</B>\n</E >\n<F y>\n";
    conf_node *root = conf_parse_string(a, "t", t, strlen(t), &sink);
    ck_assert_ptr_nonnull(root);
    /* </C> closes <B> (it stands where B ends), so </B> is then a stray */
    ck_assert_int_eq(sink.errors, 5);
    ck_assert_int_eq(rt_diags[0].line, 1);
    ck_assert_int_eq(rt_diags[1].line, 3);
    ck_assert_int_eq(rt_diags[2].line, 5);
    ck_assert_int_eq(rt_diags[3].line, 6);
    ck_assert_int_eq(rt_diags[4].line, 7);
    ck_assert_str_eq(rt_diags[4].message, "t:7: <F> was not closed.");
    ck_assert_str_eq(root->first_child->next->name, "D");
    arena_destroy(a);
}
END_TEST

START_TEST(empty_inputs)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    conf_node *root = conf_parse_string(a, "t", "", 0, &sink);
    ck_assert_ptr_nonnull(root);
    ck_assert_ptr_null(root->first_child);
    root = conf_parse_string(a, "t", "\n\n# x\n   \n", 10, &sink);
    ck_assert_ptr_nonnull(root);
    ck_assert_ptr_null(root->first_child);
    ck_assert_int_eq(sink.errors, 0);
    arena_destroy(a);
}
END_TEST

START_TEST(deep_nesting)
{
    enum { DEPTH = 10000 };
    size_t cap = DEPTH * 32, len = 0;
    char *t = malloc(cap);
    for (int i = 0; i < DEPTH; i++)
        len += (size_t)sprintf(t + len, "<Directory /x%d>\n", i);
    len += (size_t)sprintf(t + len, "Leaf 1\n");
    for (int i = 0; i < DEPTH; i++)
        len += (size_t)sprintf(t + len, "</Directory>\n");
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    conf_node *root = conf_parse_string(a, "t", t, len, &sink);
    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(sink.errors, 0);
    conf_node *n = root->first_child;
    int depth = 0;
    while (n->first_child) {
        n = n->first_child;
        depth++;
    }
    ck_assert_int_eq(depth, DEPTH);
    ck_assert_str_eq(n->name, "Leaf");
    /* unclosed at that depth: one clean error, no crash */
    root = conf_parse_string(a, "t", t, len / 2, &sink);
    ck_assert_ptr_null(root);
    ck_assert_int_eq(sink.errors, 1);
    free(t);
    arena_destroy(a);
}
END_TEST

START_TEST(long_line_and_garbage)
{
    size_t n = 1024 * 1024;
    char *t = malloc(n + 32);
    memcpy(t, "DirectoryIndex ", 15);
    memset(t + 15, 'x', n);
    memcpy(t + 15 + n, "\nB\n", 3);
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit, .keep_going = 1};
    conf_node *root = conf_parse_string(a, "t", t, n + 18, &sink);
    ck_assert_ptr_nonnull(root);
    ck_assert_uint_eq(strlen(root->first_child->args), n);
    ck_assert_str_eq(root->first_child->next->name, "B");
    /* binary garbage: no crash, some tree */
    unsigned seed = 12345;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        t[i] = (char)(seed >> 16);
    }
    root = conf_parse_string(a, "t", t, n, &sink);
    ck_assert_ptr_nonnull(root);
    free(t);
    arena_destroy(a);
}
END_TEST

START_TEST(open_failure)
{
    arena *a = arena_create(0);
    diag_sink sink = {.emit = rt_emit};
    rt_ndiags = 0;
    ck_assert_ptr_null(conf_parse_file(a, "/nonexistent/x.conf", &sink));
    ck_assert_str_eq(rt_diags[0].message, "Could not open configuration file "
                                          "/nonexistent/x.conf: No such file "
                                          "or directory");
    arena_destroy(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("structure");
    tcase_add_loop_test(tc, structural_errors, 0,
                        sizeof(error_cases) / sizeof(error_cases[0]));
    tcase_add_test(tc, balanced_and_case_insensitive);
    tcase_add_test(tc, keep_going_reports_every_error);
    tcase_add_test(tc, open_failure);
    suite_add_tcase(s, tc);
    tc = tcase_create("bad input");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, empty_inputs);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, long_line_and_garbage);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
