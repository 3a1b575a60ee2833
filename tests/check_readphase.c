/* check_readphase.c -- conditionals, LoadModule, ServerRoot, -C/-c, the
 * MPM count, and Apache's section rules that depend on read-time
 * decisions.  Expected texts and verdicts recorded from apache2 -t 2.4.71
 * (with mod_mpm_event loaded and mod_mime not loaded there; here mime is
 * compiled in, so cases use modules both sides agree on). */
#include <check.h>
#include <string.h>

#include "data/parser/readtest.h"
#include "mpm.h"
#include "version.h"

/* Conditionals: does the body survive?  (apache2: "Invalid command
 * 'Body'" when true, "Syntax OK" when false.) */
static const struct {
    const char *open, *close;
    int taken;
} cond_cases[] = {
    {"<IfDefine NOPE>", "</IfDefine>", 0},
    {"<IfDefine !NOPE>", "</IfDefine>", 1},
    {"<IfDefine \"!NOPE\">", "</IfDefine>", 0}, /* raw: quotes kept */
    {"<IfDefine NOPE Y>", "</IfDefine>", 0},
    {"<ifdefine !NOPE>", "</IFDEFINE>", 1},
    {"<IfDefine ! NOPE>", "</IfDefine>", 1},
    {"<IfDefine !NOPE >", "</IfDefine>", 1},
    {"<IfDefine !NOPE>junk", "</IfDefine>", 1},
    {"<IfModule \"core.c\">", "</IfModule>", 1},
    {"<IfModule \"!nope.c\">", "</IfModule>", 0},
    {"<IfModule !\"nope.c\">", "</IfModule>", 1},
    {"<IfModule core.c >", "</IfModule>", 1},
    {"<IfModule  core.c>", "</IfModule>", 1},
    {"<IfFile ! /etc/passwd>", "</IfFile>", 0},
    {"<IfFile \"/etc/passwd\">", "</IfFile>", 1},
    {"<IfSection \"Directory\">", "</IfSection>", 1},
    {"<IfModule core.c>", "</IfModule>", 1},
    {"<IfModule core_module>", "</IfModule>", 1},
    {"<IfModule mod_so.c>", "</IfModule>", 1},
    {"<IfModule !mod_so.c>", "</IfModule>", 0},
    {"<IfModule mod_nope.c>", "</IfModule>", 0},
    {"<IfModule !nope_module>", "</IfModule>", 1},
    {"<IfModule a b>", "</IfModule>", 0},
    {"<IfModule mod_mime.c>", "</IfModule>", 1}, /* compiled in here */
    {"<IfModule mime_module>", "</IfModule>", 1},
    {"<IfVersion >= 2.4>", "</IfVersion>", 1},
    {"<IfVersion " HTTPD_COMPAT_VERSION ">", "</IfVersion>", 1},
    {"<IfVersion < 2.4>", "</IfVersion>", 0},
    {"<IfVersion = 2.4>", "</IfVersion>", 0}, /* 2.4 means 2.4.0 */
    {"<IfVersion = 2>", "</IfVersion>", 0},
    {"<IfVersion >= 2>", "</IfVersion>", 1},
    {"<IfVersion > 2.4.70>", "</IfVersion>", 1},
    {"<IfVersion == " HTTPD_COMPAT_VERSION ">", "</IfVersion>", 1},
    {"<IfVersion != " HTTPD_COMPAT_VERSION ">", "</IfVersion>", 0},
    {"<IfVersion !< 2.4>", "</IfVersion>", 1},
    {"<IfVersion ~ ^2\\.4>", "</IfVersion>", 1},
    {"<IfVersion !~ ^2\\.4>", "</IfVersion>", 0},
    {"<IfVersion /^2\\.4/>", "</IfVersion>", 1},
    {"<IfVersion = /^1/>", "</IfVersion>", 0},
    {"<IfVersion == /^2/>", "</IfVersion>", 1},
    {"<IfVersion != /^2/>", "</IfVersion>", 0},
    {"<IfVersion ~ /^2/>", "</IfVersion>", 0},  /* slashes are literal */
    {"<IfVersion >= 2.4 >", "</IfVersion>", 1}, /* '>' as its own word */
    {"<IfVersion " HTTPD_COMPAT_VERSION " >", "</IfVersion>", 1},
    {"<IfVersion \"=\" \"" HTTPD_COMPAT_VERSION ">\"", "</IfVersion>", 1},
    {"<IfVersion <= " HTTPD_COMPAT_VERSION ">", "</IfVersion>", 1},
    {"<IfVersion !>= 3>", "</IfVersion>", 1},
    {"<IfFile /etc/passwd>", "</IfFile>", 1},
    {"<IfFile !/etc/passwd>", "</IfFile>", 0},
    {"<IfFile \"/etc/pass wd\">", "</IfFile>", 0},
    {"<IfFile /etc/passwd /x>", "</IfFile>", 1}, /* first word only */
    {"<IfFile main.conf>", "</IfFile>", 1},      /* ServerRoot-relative */
    {"<IfDirective ServerRoot>", "</IfDirective>", 1},
    {"<IfDirective serverroot>", "</IfDirective>", 1},
    {"<IfDirective !Nope>", "</IfDirective>", 1},
    {"<IfDirective Include>", "</IfDirective>", 1},
    {"<IfDirective ServerRoot Nope>", "</IfDirective>", 1},
    {"<IfSection IfDefine>", "</IfSection>", 1},
    {"<IfSection <IfDefine>", "</IfSection>", 0},
    {"<IfSection ServerRoot>", "</IfSection>", 0},
};

START_TEST(conditionals)
{
    rt_write("main.conf", "Before 1\n%s\nBody 1\n%s\nAfter 1\n",
             cond_cases[_i].open, cond_cases[_i].close);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_int_eq(r.sink.errors, 0);
    ck_assert_str_eq(rt_names(r.tree), cond_cases[_i].taken
                                           ? "Before Body After"
                                           : "Before After");
    rt_done(&r);
}
END_TEST

/* Read-time errors: text (from line 1) -> line and message. */
static const struct {
    const char *text;
    int line;
    const char *message;
} error_cases[] = {
    {"<IfModule>\n</IfModule>\n", 1,
     "<IfModule> directive requires additional arguments"},
    {"<IfModule !>\n</IfModule>\n", 1,
     "<IfModule> directive requires additional arguments"},
    {"<IfModule mod_mime.c\n</IfModule>\n", 1,
     "<IfModule> directive missing closing '>'"},
    {"<IfDefine X\n</IfDefine>\n", 1,
     "<IfDefine> directive missing closing '>'"},
    {"<IfDefine>\n</IfDefine>\n", 1,
     "<IfDefine> directive requires additional arguments"},
    {"<IfDefine !>\nFoo\n</IfDefine>\n", 1,
     "<IfDefine> directive requires additional arguments"},
    {"<IfDefine \"\">\nFoo\n</IfDefine>\n", 1,
     "<IfDefine> directive requires additional arguments"},
    {"<IfFile>\n</IfFile>\n", 1,
     "<IfFile> directive requires additional arguments"},
    {"<IfDirective>\n</IfDirective>\n", 1,
     "<IfDirective> directive requires additional arguments"},
    {"<IfVersion foo 2>\n</IfVersion>\n", 1, "unrecognized operator 'foo'"},
    {"<IfVersion 2.4 2.4>\n</IfVersion>\n", 1, "unrecognized operator '2.4'"},
    {"<IfVersion ! /^2/>\n</IfVersion>\n", 1, "unrecognized operator '!'"},
    {"<IfVersion !/^2/ 2>\n</IfVersion>\n", 1, "unrecognized operator '!/^2/'"},
    {"<IfVersion >= x.y>\n</IfVersion>\n", 1,
     "Version appears to be invalid. It must have the format "
     "major[.minor[.patch]] where major, minor and patch are numbers."},
    {"<IfVersion>\n</IfVersion>\n", 1,
     "Version appears to be invalid. It must have the format "
     "major[.minor[.patch]] where major, minor and patch are numbers."},
    {"<IfVersion !/2/>\n</IfVersion>\n", 1,
     "Version appears to be invalid. It must have the format "
     "major[.minor[.patch]] where major, minor and patch are numbers."},
    {"<IfVersion 2.4.71.1>\n</IfVersion>\n", 1,
     "Version appears to be invalid. It must have the format "
     "major[.minor[.patch]] where major, minor and patch are numbers."},
    {"<IfVersion ~ [>\n</IfVersion>\n", 1,
     "Unable to compile regular expression"},
    {"<IfVersion ~ 2.4 x>\n</IfVersion>\n", 1,
     "<IfVersion> directive missing closing '>'"},
    {"<IfVersion a b c d>\n</IfVersion>\n", 1,
     "<IfVersion takes one, two or three arguments, a comparison operator, "
     "a version (and a delimiter)"},
    {"<IfVersion >= 2.4 x >\n</IfVersion>\n", 1,
     "<IfVersion takes one, two or three arguments, a comparison operator, "
     "a version (and a delimiter)"},
    {"<IfVersion >=2.4>\n</IfVersion>\n", 1,
     "Version appears to be invalid. It must have the format "
     "major[.minor[.patch]] where major, minor and patch are numbers."},
    {"<IfVersion = /^2>\n</IfVersion>\n", 1,
     "Missing delimiting / of regular expression."},
    /* false conditional: Apache's soak rules, reported at its line */
    {"<IfDefine X>\n<Directory /a>\n</Files>\n</IfDefine>\n", 1,
     "Expected </Directory> but saw </Files>"},
    {"<IfDefine X>\n</Directory >\n</IfDefine>\n", 1,
     "Expected </IfDefine> but saw </Director>"},
    {"<IfDefine X>\n<Directory /a>\n", 1,
     "Expected </Directory> before end of configuration"},
    {"<IfDefine X>\nFoo\n", 1,
     "Expected </IfDefine> before end of configuration"},
    {"<Directory /a>\n<IfDefine X>\n", 2,
     "Expected </IfDefine> before end of configuration"},
    /* true conditional: its body is its own level */
    {"<IfDefine !X>\n</Directory>\n</IfDefine>\n", 2,
     "</Directory> without matching <Directory> section"},
    {"<IfDefine !X>\n</ifdefine>\n</IfDefine>\n", 3,
     "</IfDefine> without matching <IfDefine> section"},
    {"<Directory /a>\n</Directory>\n<IfDefine X>\n<Directory /b>\n"
     "</Directory>\n</IfDefine>\n</Directory>\n",
     7, "</Directory> without matching <Directory> section"},
    /* an unclosed section in a true conditional: no error, but one
     * outside it still is */
    {"<Directory /a>\n<IfDefine !X>\n", 1,
     "FILE:1: <Directory> was not closed."},
    {"LoadModule\n", 1,
     "LoadModule takes two arguments, a module name and "
     "the name of a shared object file to load it from"},
    {"LoadModule foo\n", 1,
     "LoadModule takes two arguments, a module name "
     "and the name of a shared object file to load "
     "it from"},
    {"LoadModule log_config_module modules/mod_log_config.so\n", 1,
     "module log_config_module is built-in and can't be loaded"},
    {"\nLoadModule so_module /nonexistent.so\n", 2,
     "module so_module is built-in and can't be loaded"},
    {"ServerRoot\n", 1,
     "ServerRoot takes one argument, Common directory of "
     "server-related files (logs, confs, etc.)"},
    {"ServerRoot /nonexistent\n", 1, "ServerRoot must be a valid directory"},
    /* the first error in document order wins */
    {"<Directory /a>\nInclude /nonexist\n", 2,
     "Could not open configuration file /nonexist: No such file or "
     "directory"},
};

START_TEST(read_errors)
{
    rt_write("main.conf", "%s", error_cases[_i].text);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->phase, DIAG_READ);
    ck_assert_msg(d->line == error_cases[_i].line, "case %d: line %d", _i,
                  d->line);
    char want[1024];
    const char *m = error_cases[_i].message;
    const char *f = strstr(m, "FILE");
    if (f)
        snprintf(want, sizeof(want), "%.*s%s%s", (int)(f - m), m,
                 rt_path("main.conf"), f + 4);
    else
        snprintf(want, sizeof(want), "%s", m);
    ck_assert_str_eq(d->message, want);
    rt_done(&r);
}
END_TEST

START_TEST(unclosed_true_conditional_is_silent)
{
    /* apache2: Syntax OK, and the body counts */
    rt_write("main.conf", "<IfDefine !X>\n<Directory /a>\nBody 1\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_int_eq(r.sink.errors, 0);
    ck_assert_str_eq(rt_names(r.tree), "Directory");
    ck_assert_int_eq(rt_count(r.tree, "Body"), 1);
    rt_done(&r);
}
END_TEST

START_TEST(nested_conditionals_splice)
{
    rt_write("main.conf",
             "<Directory /a>\n<IfDefine !X>\n<IfModule core.c>\nA 1\n"
             "</IfModule>\nB 2\n</IfDefine>\nC 3\n</Directory>\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    conf_node *dir = r.tree->first_child;
    ck_assert_str_eq(rt_names(dir), "A B C");
    for (conf_node *c = dir->first_child; c; c = c->next)
        ck_assert_ptr_eq(c->parent, dir);
    ck_assert_str_eq(dir->last_child->name, "C");
    rt_done(&r);
}
END_TEST

START_TEST(deep_conditionals)
{
    enum { DEPTH = 10000 };
    FILE *f = fopen(rt_path("main.conf"), "w");
    for (int i = 0; i < DEPTH; i++)
        fprintf(f, "<IfDefine !X%d>\n<Directory /d%d>\n", i, i);
    fprintf(f, "Leaf 1\n");
    for (int i = 0; i < DEPTH; i++)
        fprintf(f, "</Directory>\n</IfDefine>\n");
    fclose(f);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_int_eq(rt_count(r.tree, "Directory"), DEPTH);
    ck_assert_int_eq(rt_count(r.tree, "IfDefine"), 0);
    ck_assert_int_eq(rt_count(r.tree, "Leaf"), 1);
    rt_done(&r);
}
END_TEST

START_TEST(read_nodes_kept_and_removed)
{
    rt_write("inc.conf", "Inc 1\n");
    rt_write("main.conf",
             "ServerRoot %s\nDefine A\nUnDefine A\nInclude inc.conf\n"
             "LoadModule mime_module modules/mod_mime.so\n<IfDefine !A>\n"
             "X 1\n</IfDefine>\n",
             rt_dir);
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_str_eq(rt_names(r.tree), "ServerRoot Inc LoadModule X");
    ck_assert_ptr_nonnull(r.rc.server_root);
    ck_assert_str_eq(r.rc.conf_file, rt_path("main.conf"));
    rt_done(&r);
}
END_TEST

START_TEST(load_module_rules)
{
    /* compiled-in, at its place in Apache's layout: accepted though the
     * file is not there; twice: AH01574 (so), the path not opened */
    rt_write("main.conf", "LoadModule mime_module modules/mod_mime.so\n"
                          "LoadModule mime_module /no/such/mod_mime.so\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_int_eq(r.sink.errors, 0);
    const rt_diag *w = rt_find_warning("AH01574: module mime_module is "
                                       "already loaded, skipping");
    ck_assert_ptr_nonnull(w);
    ck_assert_str_eq(w->module, "so");
    ck_assert_int_eq(w->line, 2);
    ck_assert_int_eq(w->phase, DIAG_LOG);
    ck_assert_ptr_nonnull(conf_find_loaded_module(&r.rc, "mod_mime.c"));
    ck_assert_ptr_nonnull(conf_find_loaded_module(&r.rc, "mime_module"));
    ck_assert_ptr_null(conf_find_loaded_module(&r.rc, "mod_nope.c"));
    rt_done(&r);

    /* compiled-in, any other path: the file must be there, as apache2
     * (where the module is a shared object) wants it */
    rt_ndiags = 0;
    rt_write("main.conf", "LoadModule dir_module /no/such/mod_dir.so\n");
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    ck_assert_str_eq(rt_first_error()->message,
                     "Cannot load /no/such/mod_dir.so into server: "
                     "/no/such/mod_dir.so: cannot open shared object file: "
                     "No such file or directory");
    rt_done(&r);

    /* one apache2 links in itself: refused before the file is looked at */
    rt_ndiags = 0;
    rt_write("main.conf", "LoadModule log_config_module "
                          "modules/mod_log_config.so\n");
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    ck_assert_str_eq(rt_first_error()->message,
                     "module log_config_module is built-in and can't be "
                     "loaded");
    rt_done(&r);

    /* not one of ours: a clear read-time error in Apache's shape */
    rt_ndiags = 0;
    rt_write("main.conf", "\nLoadModule foo_module modules/mod_foo.so\n");
    rt_read(&r, "main.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_int_eq(d->line, 2);
    ck_assert(strncmp(d->message,
                      "Cannot load modules/mod_foo.so into "
                      "server: ",
                      36) == 0);
    rt_done(&r);
}
END_TEST

START_TEST(mpm_count)
{
    rt_write("main.conf", "Listen 80\n");
    rt_run r;
    rt_read(&r, "main.conf");
    ck_assert_ptr_nonnull(r.tree);
    rt_ndiags = 0;
    int rv = conf_check_mpm_count(&r.rc, &r.sink);
    if (mpm_static_module != NULL) {
        ck_assert_int_eq(rv, 0);
        ck_assert_ptr_eq(r.rc.mpm, mpm_static_module);
        ck_assert_int_eq(r.rc.mpm_is_static, 1);
        char id[64];
        snprintf(id, sizeof(id), "mpm_%s_module", mpm_static_module->name);
        ck_assert_ptr_nonnull(conf_find_loaded_module(&r.rc, id));
        ck_assert_ptr_nonnull(
            conf_find_loaded_module(&r.rc, mpm_static_module->module->file));
        /* Apache's MPM file names are event.c, not mod_mpm_event.c */
        snprintf(id, sizeof(id), "mod_mpm_%s.c", mpm_static_module->name);
        ck_assert_ptr_null(conf_find_loaded_module(&r.rc, id));
    } else {
        ck_assert_int_ne(rv, 0);
        ck_assert_str_eq(rt_diags[0].message,
                         "AH00534: httpd: Configuration error: No MPM loaded.");
        ck_assert_int_eq(rt_diags[0].phase, DIAG_GLOBAL);
    }
    rt_done(&r);
}
END_TEST

START_TEST(no_mpm_and_two_mpms_messages)
{
    /* Counted from rc->modules: simulate the two cases on a fresh rc. */
    resolved_config rc = {0};
    rc.arena = arena_create(0);
    rc.argv0 = "/usr/sbin/apache2";
    diag_sink sink = {.emit = rt_emit};
    rt_ndiags = 0;
    ck_assert_int_ne(conf_check_mpm_count(&rc, &sink), 0);
    ck_assert_str_eq(rt_diags[0].message, "AH00534: /usr/sbin/apache2: "
                                          "Configuration error: No MPM "
                                          "loaded.");
    static module m1 = {.name = "mpm_a_module", .file = "a.c"};
    static module m2 = {.name = "mpm_b_module", .file = "b.c"};
    loaded_module l2 = {.mod = &m2, .conf_file = "f", .conf_line = 9};
    loaded_module l1 = {
        .mod = &m1, .conf_file = "f", .conf_line = 3, .next = &l2};
    rc.modules = &l1;
    ck_assert_int_ne(conf_check_mpm_count(&rc, &sink), 0);
    ck_assert_str_eq(rt_diags[1].message, "AH00534: /usr/sbin/apache2: "
                                          "Configuration error: More than "
                                          "one MPM loaded.");
    ck_assert_int_eq(rt_diags[1].line, 9);
    arena_destroy(rc.arena);
}
END_TEST

START_TEST(command_line_directives)
{
    /* -C before the file, -c after; sections may span several -c */
    static const char *const post[] = {"Define FROM_C", "First 1", NULL};
    static const char *const pre[] = {"<IfDefine FROM_C>", "Last 1",
                                      "</IfDefine>", NULL};
    rt_write("main.conf", "Middle 1\n");
    rt_run r;
    rt_read_opts(&r, "main.conf", 0, NULL, pre, post);
    ck_assert_ptr_nonnull(r.tree);
    ck_assert_str_eq(rt_names(r.tree), "First Middle Last");
    ck_assert_str_eq(r.tree->first_child->file, "-c/-C directives");
    ck_assert_int_eq(r.tree->last_child->line, 2);
    rt_done(&r);

    /* apache2: "apache2: Syntax error in -C/-c directive: Could not open
     * configuration file /nope: No such file or directory" */
    static const char *const bad[] = {"Include /nope", NULL};
    rt_ndiags = 0;
    rt_read_opts(&r, "main.conf", 0, NULL, NULL, bad);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->phase, DIAG_GLOBAL);
    ck_assert_str_eq(d->message, "httpd: Syntax error in -C/-c directive: "
                                 "Could not open configuration file /nope: "
                                 "No such file or directory");
    rt_done(&r);
}
END_TEST

START_TEST(main_file_missing)
{
    rt_run r;
    rt_read(&r, "nope.conf");
    ck_assert_ptr_null(r.tree);
    const rt_diag *d = rt_first_error();
    ck_assert_ptr_nonnull(d);
    char want[1024];
    snprintf(want, sizeof(want),
             "httpd: Could not open configuration file "
             "%s: No such file or directory",
             rt_path("nope.conf"));
    ck_assert_str_eq(d->message, want);
    ck_assert_int_eq(d->phase, DIAG_GLOBAL);
    rt_done(&r);
}
END_TEST

START_TEST(read_commands_table)
{
    static const char *const names[] = {
        "ServerRoot", "Include",    "IncludeOptional", "Define",
        "UnDefine",   "LoadModule", "<IfDefine",       "<IfModule",
        "<IfVersion", "<IfFile",    "<IfDirective",    "<IfSection",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int found = 0;
        for (const command_rec *c = conf_read_commands; c->name; c++)
            if (strcmp(c->name, names[i]) == 0) {
                found = 1;
                ck_assert(c->req_override & EXEC_ON_READ);
                ck_assert_ptr_nonnull(c->errmsg);
            }
        ck_assert_msg(found, "%s missing", names[i]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("readphase");
    TCase *tc = tcase_create("readphase");
    tcase_add_checked_fixture(tc, rt_setup, rt_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, conditionals, 0,
                        sizeof(cond_cases) / sizeof(cond_cases[0]));
    tcase_add_loop_test(tc, read_errors, 0,
                        sizeof(error_cases) / sizeof(error_cases[0]));
    tcase_add_test(tc, unclosed_true_conditional_is_silent);
    tcase_add_test(tc, nested_conditionals_splice);
    tcase_add_test(tc, deep_conditionals);
    tcase_add_test(tc, read_nodes_kept_and_removed);
    tcase_add_test(tc, load_module_rules);
    tcase_add_test(tc, mpm_count);
    tcase_add_test(tc, no_mpm_and_two_mpms_messages);
    tcase_add_test(tc, command_line_directives);
    tcase_add_test(tc, main_file_missing);
    tcase_add_test(tc, read_commands_table);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
