/* check_include.c -- Include and IncludeOptional: files, directories,
 * globs in any component, ServerRoot-relative paths, missing files, the
 * depth limit and how errors in included files are reported.  Expected
 * texts recorded from apache2 -t 2.4.71. */
#include <check.h>
#include <string.h>

#include "data/parser/readtest.h"

/* Each included file appends its tag to ${ORDER}; the final Options line
 * shows the order files were read in (apache2 shows the same through
 * "Illegal option x..."). */
static void order_tree(void)
{
    rt_write("dd/b.conf", "Define ORDER ${ORDER}b\n");
    rt_write("dd/a.conf", "Define ORDER ${ORDER}a\n");
    rt_write("dd/A0.conf", "Define ORDER ${ORDER}A0\n");
    rt_write("dd/.dot.conf", "Define ORDER ${ORDER}dot\n");
    rt_write("dd/.hid/x.conf", "Define ORDER ${ORDER}hid\n");
    rt_write("dd/sub/0.conf", "Define ORDER ${ORDER}sub\n");
    rt_write("dd/sub/z.txt", "Define ORDER ${ORDER}z\n");
}

static const struct {
    const char *include;
    const char *order;
} order_cases[] = {
    /* a directory: every file, dot files too, recursively, strcmp order */
    {"Include dd", "xdothidA0absubz"},
    {"Include dd/", "xdothidA0absubz"},
    /* a glob: no dot files (FNM_PERIOD), directories recurse */
    {"Include dd/*", "xA0absubz"},
    {"Include dd/*.conf", "xA0ab"},
    /* a trailing slash after a wildcard matches directories only */
    {"Include dd/*/", "xsubz"},
    {"Include d*/", "xdothidA0absubz"},
    {"Include dd/s*b/*", "xsubz"},
    {"Include d?/sub/*.conf", "xsub"},
    {"IncludeOptional dd/nomatch*.conf", "x"},
    {"IncludeOptional dd/none.conf", "x"},
    {"IncludeOptional /nonexistent/*.conf", "x"},
};

START_TEST(include_order)
{
    order_tree();
    rt_write("main.conf", "Define ORDER x\n%s\nOptions ${ORDER}\n",
             order_cases[_i].include);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_ptr_null(rt_first_error());
    ck_assert_str_eq(r.tree->last_child->name, "Options");
    ck_assert_str_eq(r.tree->last_child->args, order_cases[_i].order);
    rt_done(&r);
}
END_TEST

/* Errors: line 1 of main.conf holds the Include.  FILE is the test dir. */
static const struct {
    const char *include;
    const char *message;
} error_cases[] = {
    {"Include /nonexistent/x.conf",
     "Could not open configuration file /nonexistent/x.conf: No such file or "
     "directory"},
    {"Include nope.conf",
     "Could not open configuration file DIR/nope.conf: No such file or "
     "directory"},
    {"Include dd/nomatch*.conf",
     "Include/IncludeOptional: No matches for the wildcard 'nomatch*.conf' in "
     "'DIR/dd', failing"},
    {"Include nodir*/a.conf",
     "Include/IncludeOptional: No matches for the wildcard 'nodir*' in "
     "'DIR', failing"},
    {"Include /nonexistent/*.conf",
     "Include/IncludeOptional: Could not open directory /nonexistent: No such "
     "file or directory"},
    /* a glob in a directory component, then a missing file */
    {"Include d*/nothere.conf",
     "Could not open configuration file DIR/dd/nothere.conf: No such file or "
     "directory"},
    /* an unbalanced '[' is not a wildcard */
    {"Include dd/[", "Could not open configuration file DIR/dd/[: No such file "
                     "or directory"},
    {"Include", "Include takes one argument, Name(s) of the config file(s) to "
                "be included; fails if the wildcard does not match at least "
                "one file"},
    {"Include a b", "Include takes one argument, Name(s) of the config file(s) "
                    "to be included; fails if the wildcard does not match at "
                    "least one file"},
    {"IncludeOptional a b",
     "IncludeOptional takes one argument, Name or pattern of the config "
     "file(s) to be included; ignored if the file does not exist or the "
     "pattern does not match any files"},
};

static char *expand_dir(const char *s)
{
    static char buf[2048];
    size_t len = 0;
    for (const char *p = s; *p && len < sizeof(buf) - 300; p++) {
        if (strncmp(p, "DIR", 3) == 0) {
            len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s", rt_dir);
            p += 2;
        } else {
            buf[len++] = *p;
        }
    }
    buf[len] = '\0';
    return buf;
}

START_TEST(include_errors)
{
    order_tree();
    rt_write("main.conf", "%s\nLater\n", error_cases[_i].include);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->phase, DIAG_READ);
    ck_assert_int_eq(d->line, 1);
    ck_assert_str_eq(d->file, rt_path("main.conf"));
    ck_assert_str_eq(d->message, expand_dir(error_cases[_i].message));
    rt_done(&r);
}
END_TEST

START_TEST(errors_in_included_files_are_chained)
{
    /* apache2: "Syntax error on line 3 of MAIN: Syntax error on line 1 of
     * A: Syntax error on line 3 of B: </Foo> without matching <Foo>
     * section" */
    rt_write("a2.conf", "Include b2.conf\n");
    rt_write("b2.conf", "\n\n</Foo>\n");
    rt_write("main.conf", "A 1\n\nInclude a2.conf\n");
    rt_run r;
    rt_read(&r, "main.conf");
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->line, 3);
    ck_assert_str_eq(d->file, rt_path("main.conf"));
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 1 of %s: Syntax error on line 3 of %s: "
             "</Foo> without matching <Foo> section",
             rt_path("a2.conf"), rt_path("b2.conf"));
    ck_assert_str_eq(d->message, want);
    rt_done(&r);
}
END_TEST

START_TEST(unclosed_in_included_file)
{
    rt_write("u.conf", "<Directory /a>\nServerName x\n");
    rt_write("main.conf", "Include u.conf\n");
    rt_run r;
    rt_read(&r, "main.conf");
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->line, 1);
    char want[2048];
    snprintf(want, sizeof(want),
             "Syntax error on line 1 of %s: %s:1: <Directory> was not closed.",
             rt_path("u.conf"), rt_path("u.conf"));
    ck_assert_str_eq(d->message, want);
    rt_done(&r);
}
END_TEST

START_TEST(include_loop_hits_depth_limit)
{
    rt_write("loop.conf", "Include loop.conf\n");
    rt_write("main.conf", "\n\nInclude loop.conf\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->line, 3);
    /* apache2 chains 128 "Syntax error on line 1 of loop.conf: " */
    char prefix[1024];
    snprintf(prefix, sizeof(prefix),
             "Syntax error on line 1 of %s: ", rt_path("loop.conf"));
    int n = 0;
    const char *p = d->message;
    while (strncmp(p, prefix, strlen(prefix)) == 0) {
        n++;
        p += strlen(prefix);
    }
    ck_assert_int_eq(n, 128);
    ck_assert_str_eq(p, "Exceeded maximum include depth of 128, There "
                        "appears to be a recursion.");
    rt_done(&r);
}
END_TEST

START_TEST(two_file_cycle)
{
    rt_write("p.conf", "Include q.conf\n");
    rt_write("q.conf", "Include p.conf\n");
    rt_write("main.conf", "Include p.conf\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "Exceeded maximum include depth"));
    rt_done(&r);
}
END_TEST

START_TEST(included_nodes_keep_their_location)
{
    rt_write("conf.d/x.conf", "\n\nServerName inc\n<Directory /a>\nA\n"
                              "</Directory>\n");
    rt_write("main.conf", "Listen 80\n<Directory /b>\nInclude conf.d\n"
                          "</Directory>\nLast\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_str_eq(rt_names(r.tree), "Listen Directory Last");
    conf_node *dir = r.tree->first_child->next;
    conf_node *sn = dir->first_child;
    ck_assert_str_eq(sn->name, "ServerName");
    ck_assert_str_eq(sn->file, rt_path("conf.d/x.conf"));
    ck_assert_int_eq(sn->line, 3);
    ck_assert_ptr_eq(sn->parent, dir);
    ck_assert_str_eq(sn->next->name, "Directory");
    ck_assert_str_eq(sn->next->first_child->name, "A");
    ck_assert_ptr_eq(dir->last_child, sn->next);
    ck_assert_int_eq(rt_count(r.tree, "Include"), 0);
    rt_done(&r);
}
END_TEST

START_TEST(includes_listed_for_dump)
{
    /* apache2 -D DUMP_INCLUDES: "(*) main", then "(LINE) file" indented
     * by depth, in reading order */
    rt_write("a/1.conf", "Include b.conf\n");
    rt_write("b.conf", "X 1\n");
    rt_write("main.conf", "\nInclude a\nIncludeOptional none*.conf\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    const include_entry *e = r.rc.includes;
    ck_assert_str_eq(e->file, rt_path("main.conf"));
    ck_assert_int_eq(e->depth, 0);
    e = e->next;
    ck_assert_str_eq(e->file, rt_path("a/1.conf"));
    ck_assert_int_eq(e->depth, 1);
    ck_assert_int_eq(e->parent_line, 2);
    e = e->next;
    ck_assert_str_eq(e->file, rt_path("b.conf"));
    ck_assert_int_eq(e->depth, 2);
    ck_assert_int_eq(e->parent_line, 1);
    ck_assert_ptr_null(e->next);
    rt_done(&r);
}
END_TEST

START_TEST(keep_going_collects_include_errors)
{
    rt_write("main.conf", "Include a.conf\nInclude b*.conf\nInclude c.conf\n");
    rt_write("c.conf", "Ok 1\n");
    rt_run r;
    rt_read_opts(&r, "main.conf", 1, NULL, NULL, NULL);
    ck_assert_int_eq(r.sink.errors, 2);
    ck_assert_int_eq(rt_diags[0].line, 1);
    ck_assert_int_eq(rt_diags[1].line, 2);
    ck_assert_int_eq(rt_count(r.tree, "Ok"), 1);
    rt_done(&r);
}
END_TEST

static void write_long_line(const char *rel, int blank_lines, size_t n)
{
    FILE *f = fopen(rt_path(rel), "w");
    for (int i = 0; i < blank_lines; i++)
        fputc('\n', f);
    fputs("Options ", f);
    for (size_t i = 0; i < n; i++)
        fputc('x', f);
    fputc('\n', f);
    fclose(f);
}

START_TEST(line_too_long)
{
    /* apache2: a line of 16 MiB is refused; 16 MiB - 1 is fine.  In an
     * included file the error belongs to the Include line; in the main
     * file apache2 reports it on line 1. */
    write_long_line("long.conf", 3, 17u << 20);
    rt_write("main.conf", "\n\nInclude long.conf\n");
    rt_run r;
    rt_read(&r, "main.conf");
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->line, 3);
    char want[1024];
    snprintf(want, sizeof(want), "Error reading %s at line 4: Line too long",
             rt_path("long.conf"));
    ck_assert_str_eq(d->message, want);
    rt_done(&r);

    rt_ndiags = 0;
    write_long_line("main.conf", 6, (16u << 20) - 8);
    rt_read(&r, "main.conf");
    d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->line, 1);
    snprintf(want, sizeof(want), "Error reading %s at line 7: Line too long",
             rt_path("main.conf"));
    ck_assert_str_eq(d->message, want);
    rt_done(&r);

    rt_ndiags = 0;
    write_long_line("main.conf", 0, (16u << 20) - 9);
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_ptr_null(rt_first_error());
    rt_done(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("include");
    TCase *tc = tcase_create("include");
    tcase_add_checked_fixture(tc, rt_setup, rt_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, include_order, 0,
                        sizeof(order_cases) / sizeof(order_cases[0]));
    tcase_add_loop_test(tc, include_errors, 0,
                        sizeof(error_cases) / sizeof(error_cases[0]));
    tcase_add_test(tc, errors_in_included_files_are_chained);
    tcase_add_test(tc, unclosed_in_included_file);
    tcase_add_test(tc, include_loop_hits_depth_limit);
    tcase_add_test(tc, two_file_cycle);
    tcase_add_test(tc, included_nodes_keep_their_location);
    tcase_add_test(tc, keep_going_collects_include_errors);
    tcase_add_test(tc, includes_listed_for_dump);
    tcase_add_test(tc, line_too_long);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
