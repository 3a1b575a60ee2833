/* check_vars.c -- Define, UnDefine, -D and ${VAR} substitution.
 * Expected texts recorded from apache2 -t 2.4.71. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "data/parser/readtest.h"

/* text -> args of the last node ("Options ..."), and the AH00111 names
 * warned about ('|'-joined, in order). */
static const struct {
    const char *text;
    const char *args;
    const char *warned;
} subst_cases[] = {
    {"Define X 1\nOptions ${X}\n", "1", ""},
    {"Define X 1\nOptions a${X}b${X}\n", "a1b1", ""},
    {"Options ${NOPE_RT_VAR}\n", "${NOPE_RT_VAR}", "NOPE_RT_VAR"},
    /* a Define without a value has no ${} value */
    {"Define NV\nOptions ${NV}\n", "${NV}", "NV"},
    {"Options ${}\n", "${}", ""},
    {"Options ${A\n", "${A", ""},
    /* values are words: quotes removed, spaces kept */
    {"Define A \"x y\"\nOptions ${A}\n", "x y", ""},
    /* substitution happens before Define runs: a name made of a value */
    {"Define A B\nDefine ${A} C\nOptions ${B}\n", "C", ""},
    /* later Define wins; UnDefine removes */
    {"Define A 1\nDefine A 2\nOptions ${A}\n", "2", ""},
    {"Define A 1\nUnDefine A\nOptions ${A}\n", "${A}", "A"},
    /* the environment after Defines */
    {"Options ${RT_ENV_VAR}\n", "from-env", ""},
    {"Define RT_ENV_VAR d\nOptions ${RT_ENV_VAR}\n", "d", ""},
    /* not recursive: a value containing ${...} is not expanded again */
    {"Define A ${B}\nDefine B 1\nOptions ${A}\n", "${B}", "B"},
    /* inside a false section nothing is substituted or warned about */
    {"<IfDefine NOPE>\nOptions ${NOPE2}\n</IfDefine>\nOptions z\n", "z", ""},
};

START_TEST(substitution)
{
    setenv("RT_ENV_VAR", "from-env", 1);
    unsetenv("NOPE_RT_VAR");
    rt_write("main.conf", "%s", subst_cases[_i].text);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_int_eq(r.sink.errors, 0);
    ck_assert_str_eq(r.tree->last_child->args, subst_cases[_i].args);
    char warned[256] = "";
    for (int i = 0; i < rt_ndiags; i++) {
        const char *m = rt_diags[i].message;
        const char *p = strstr(m, "${");
        ck_assert_int_eq(rt_diags[i].phase, DIAG_LOG);
        ck_assert_str_eq(rt_diags[i].module, "core");
        ck_assert_ptr_nonnull(p);
        ck_assert(strncmp(m, "AH00111: Config variable ${", 27) == 0);
        ck_assert_str_eq(strstr(m, "}"), "} is not defined");
        if (*warned)
            strcat(warned, "|");
        strncat(warned, p + 2, (size_t)(strchr(p, '}') - p - 2));
    }
    /* ${} warns with an empty name */
    if (strcmp(subst_cases[_i].text, "Options ${}\n") == 0)
        ck_assert_int_eq(rt_ndiags, 1);
    else
        ck_assert_str_eq(warned, subst_cases[_i].warned);
    rt_done(&r);
}
END_TEST

START_TEST(warning_location)
{
    rt_write("main.conf", "A 1\nServerName ${Y}\n");
    rt_run r;
    rt_read(&r, "main.conf");
    const rt_diag *w = rt_find_warning("AH00111: Config variable ${Y} is not "
                                       "defined");
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(w->line, 2);
    ck_assert_str_eq(w->file, rt_path("main.conf"));
    rt_done(&r);
}
END_TEST

START_TEST(name_substitution)
{
    /* apache2: "Define A x" then "${A}Foo" -> Invalid command 'xFoo' */
    rt_write("main.conf", "Define A x\n${A}Foo bar\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_str_eq(r.tree->last_child->name, "xFoo");
    ck_assert_str_eq(r.tree->last_child->args, "bar");
    rt_done(&r);
}
END_TEST

static const struct {
    const char *text;
    const char *message;
} define_errors[] = {
    {"Define\n", "Define takes 1-2 arguments, Define a variable, optionally "
                 "to a value.  Same as passing -D to the command line."},
    {"Define a b c\n", "Define takes 1-2 arguments, Define a variable, "
                       "optionally to a value.  Same as passing -D to the "
                       "command line."},
    {"Define a:b\n", "Variable name must not contain ':'"},
    {"UnDefine\n", "UnDefine takes one argument, Undefine the existence of a "
                   "variable. Undo a Define."},
    {"UnDefine a b\n", "UnDefine takes one argument, Undefine the existence "
                       "of a variable. Undo a Define."},
};

START_TEST(define_argument_errors)
{
    rt_write("main.conf", "\n%s", define_errors[_i].text);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->phase, DIAG_READ);
    ck_assert_int_eq(d->line, 2);
    ck_assert_str_eq(d->message, define_errors[_i].message);
    rt_done(&r);
}
END_TEST

START_TEST(command_line_defines)
{
    static const char *const defs[] = {"FROM_CLI", "WITH=val", NULL};
    rt_write("main.conf", "<IfDefine FROM_CLI>\nOptions ${WITH}\n</IfDefine>\n"
                          "UnDefine FROM_CLI\n<IfDefine FROM_CLI>\nGone 1\n"
                          "</IfDefine>\nDefine Late\n");
    rt_run r;
    rt_read_opts(&r, "main.conf", 0, defs, NULL, NULL);
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_str_eq(rt_names(r.tree), "Options");
    ck_assert_str_eq(r.tree->first_child->args, "val");
    /* rc->defines: the final state */
    int late = 0, cli = 0;
    for (define_entry *e = r.rc.defines; e; e = e->next) {
        late += strcmp(e->name, "Late") == 0;
        cli += strcmp(e->name, "FROM_CLI") == 0;
    }
    ck_assert_int_eq(late, 1);
    ck_assert_int_eq(cli, 0); /* UnDefine'd */
    ck_assert_str_eq(r.rc.defines->name, "WITH");
    ck_assert_str_eq(r.rc.defines->value, "val");
    rt_done(&r);
}
END_TEST

START_TEST(many_defines_stay_fast)
{
    /* 20,000 Defines and uses: linear (Apache's is quadratic); a bound
     * on work, not on time: the test would take minutes if quadratic
     * only under a much larger count, so this checks correctness at
     * scale. */
    FILE *f = fopen(rt_path("main.conf"), "w");
    for (int i = 0; i < 20000; i++)
        fprintf(f, "Define V%d %d\nOptions ${V%d}\n", i, i, i);
    fclose(f);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_int_eq(rt_count(r.tree, "Options"), 20000);
    ck_assert_str_eq(r.tree->last_child->args, "19999");
    rt_done(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vars");
    TCase *tc = tcase_create("vars");
    tcase_add_checked_fixture(tc, rt_setup, rt_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, substitution, 0,
                        sizeof(subst_cases) / sizeof(subst_cases[0]));
    tcase_add_test(tc, warning_location);
    tcase_add_test(tc, name_substitution);
    tcase_add_loop_test(tc, define_argument_errors, 0,
                        sizeof(define_errors) / sizeof(define_errors[0]));
    tcase_add_test(tc, command_line_defines);
    tcase_add_test(tc, many_defines_stay_fast);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
