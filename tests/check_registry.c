/* check_registry.c -- the dispatcher: argument shapes and their messages,
 * context checks, unknown directives with suggestions, handler calling
 * conventions, generic setters, paths and Listen address parsing.
 * Messages recorded from apache2 -t 2.4.71. */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "mpm.h"

/* ---- a capturing sink ------------------------------------------------ */

#define MAXD 16
static struct {
    int n;
    char msg[MAXD][512];
    char sugg[MAXD][128];
    int line[MAXD];
    enum diag_phase phase[MAXD];
    enum diag_severity sev[MAXD];
} got;

static void capture(diag_sink *s, const struct diag *d)
{
    (void)s;
    if (got.n >= MAXD)
        return;
    snprintf(got.msg[got.n], sizeof(got.msg[0]), "%s", d->message);
    snprintf(got.sugg[got.n], sizeof(got.sugg[0]), "%s",
             d->suggestion ? d->suggestion : "");
    got.line[got.n] = d->line;
    got.phase[got.n] = d->phase;
    got.sev[got.n] = d->severity;
    got.n++;
}

/* ---- a test module, loaded as if it were the MPM's ---------------------- */

static char calls[1024];

static const char *record(cmd_parms *cmd, void *m, int argc, char *const argv[])
{
    (void)m;
    size_t len = strlen(calls);
    len += (size_t)snprintf(calls + len, sizeof(calls) - len, "%s(",
                            cmd->cmd->name);
    for (int i = 0; i < argc; i++)
        len += (size_t)snprintf(calls + len, sizeof(calls) - len, "%s%s",
                                i ? "," : "", argv[i]);
    if (cmd->cmd->args_how == FLAG)
        len += (size_t)snprintf(calls + len, sizeof(calls) - len, "=%d",
                                cmd->flag);
    snprintf(calls + len, sizeof(calls) - len, ")");
    return NULL;
}

static const char *fails(cmd_parms *cmd, void *m, int argc, char *const argv[])
{
    (void)cmd;
    (void)m;
    (void)argc;
    (void)argv;
    return "handler said no";
}

static const command_rec test_cmds[] = {
    {"TNone", record, 0, RSRC_CONF, NO_ARGS, "help"},
    {"TOne", record, 0, RSRC_CONF, TAKE1, "help one"},
    {"TTwo", record, 0, RSRC_CONF, TAKE2, "help two"},
    {"TOneTwo", record, 0, RSRC_CONF, TAKE12, "help 12"},
    {"TThree", record, 0, RSRC_CONF, TAKE3, "help three"},
    {"TTwoThree", record, 0, RSRC_CONF, TAKE23, "help 23"},
    {"TOneTwoThree", record, 0, RSRC_CONF, TAKE123, "help 123"},
    {"TOneThree", record, 0, RSRC_CONF, TAKE13, "help 13"},
    {"TIter", record, 0, RSRC_CONF, ITERATE, "help iter"},
    {"TIter2", record, 0, RSRC_CONF, ITERATE2, "help iter2"},
    {"TFlag", record, 0, RSRC_CONF, FLAG, "help flag"},
    {"TRaw", record, 0, RSRC_CONF, RAW_ARGS, "help raw"},
    {"TArgv", record, 0, RSRC_CONF, TAKE_ARGV, "help argv"},
    {"TNoHelp", record, 0, RSRC_CONF, TAKE1, NULL},
    {"TDirOnly", record, 0, ACCESS_CONF, TAKE1, "dir only"},
    {"TAuth", record, 0, OR_AUTHCFG, TAKE1, "auth"},
    {"TFails", fails, 0, OR_ALL | RSRC_CONF, TAKE1, "fails"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

static module test_module = {
    .name = "mpm_test_module", .file = "test.c", .cmds = test_cmds};
static struct mpm_module test_mpm = {
    .magic = MPM_MAGIC,
    .abi_version = MPM_ABI_VERSION,
    .name = "test",
    .module = &test_module,
};

static resolved_config *new_rc(void)
{
    conf_modules_init();
    arena *a = arena_create(0);
    resolved_config *rc = arena_calloc(a, sizeof(*rc));
    rc->arena = a;
    rc->argv0 = "httpd";
    rc->server_root = "/srv/root";
    rc->mpm = &test_mpm;
    test_module.index = MODULE_MPM_SLOT;
    rc->main_server = core_server_new(rc, 0);
    return rc;
}

/* Parse text, walk it, return the first message (or NULL). */
static const char *walk_text(const char *text, int keep_going)
{
    resolved_config *rc = new_rc();
    diag_sink sink = {.emit = capture, .keep_going = keep_going};
    memset(&got, 0, sizeof(got));
    calls[0] = '\0';
    conf_node *root =
        conf_parse_string(rc->arena, "t.conf", text, strlen(text), &sink);
    ck_assert_ptr_nonnull(root);
    conf_options o = {0};
    conf_walk(rc, &o, root, &sink);
    conf_release(rc);
    return got.n ? got.msg[0] : NULL;
}

/* ---- conf_args_error -------------------------------------------------- */

static const struct {
    const char *name;
    int argc;
    const char *msg; /* NULL: fits */
} arg_cases[] = {
    {"TNone", 0, NULL},
    {"TNone", 1, "TNone takes no arguments, help"},
    {"TOne", 0, "TOne takes one argument, help one"},
    {"TOne", 1, NULL},
    {"TOne", 2, "TOne takes one argument, help one"},
    {"TTwo", 1, "TTwo takes two arguments, help two"},
    {"TTwo", 2, NULL},
    {"TTwo", 3, "TTwo takes two arguments, help two"},
    {"TOneTwo", 0, "TOneTwo takes 1-2 arguments, help 12"},
    {"TOneTwo", 2, NULL},
    {"TOneTwo", 3, "TOneTwo takes 1-2 arguments, help 12"},
    {"TThree", 2, "TThree takes three arguments, help three"},
    {"TThree", 3, NULL},
    {"TTwoThree", 1, "TTwoThree takes two or three arguments, help 23"},
    {"TTwoThree", 3, NULL},
    {"TOneTwoThree", 0,
     "TOneTwoThree takes one, two or three arguments, help 123"},
    {"TOneTwoThree", 3, NULL},
    {"TOneTwoThree", 4,
     "TOneTwoThree takes one, two or three arguments, help 123"},
    {"TOneThree", 2, "TOneThree takes one or three arguments, help 13"},
    {"TOneThree", 1, NULL},
    {"TOneThree", 3, NULL},
    {"TIter", 0, "TIter requires at least one argument, help iter"},
    {"TIter", 5, NULL},
    {"TIter2", 1, "TIter2 requires at least two arguments, help iter2"},
    {"TIter2", 2, NULL},
    {"TFlag", 0, "TFlag must be On or Off"},
    {"TRaw", 0, NULL},
    {"TArgv", 0, NULL},
    {"TNoHelp", 0, "TNoHelp takes one argument"},
};

START_TEST(args_error_table)
{
    arena *a = arena_create(0);
    const command_rec *c = NULL;
    for (const command_rec *t = test_cmds; t->name; t++)
        if (strcmp(t->name, arg_cases[_i].name) == 0)
            c = t;
    ck_assert_ptr_nonnull(c);
    const char *m = conf_args_error(a, c, arg_cases[_i].argc);
    if (arg_cases[_i].msg == NULL)
        ck_assert_ptr_null(m);
    else
        ck_assert_str_eq(m, arg_cases[_i].msg);
    arena_destroy(a);
}
END_TEST

/* ---- dispatch: what the handler receives, what the user reads ----------- */

static const struct {
    const char *text;
    const char *calls; /* handler calls recorded */
    const char *error; /* first message, NULL for none */
} walk_cases[] = {
    {"TOne a", "TOne(a)", NULL},
    {"TOne \"a b\"", "TOne(a b)", NULL},
    {"TOne \"\"", "", "TOne takes one argument, help one"},
    {"TOne a # c", "", "TOne takes one argument, help one"},
    {"tone a", "TOne(a)", NULL},
    {"TTwo a \"\"", "", "TTwo takes two arguments, help two"},
    {"TOneTwo a", "TOneTwo(a)", NULL},
    {"TOneTwo a \"\"", "TOneTwo(a)", NULL},
    {"TIter a b c", "TIter(a)TIter(b)TIter(c)", NULL},
    {"TIter a \"\" c", "TIter(a)", NULL},
    {"TIter2 x a b", "TIter2(x,a)TIter2(x,b)", NULL},
    {"TIter2 x", "", "TIter2 requires at least two arguments, help iter2"},
    {"TFlag on", "TFlag(on=1)", NULL},
    {"TFlag OFF", "TFlag(OFF=0)", NULL},
    {"TFlag On Off", "TFlag(On=1)", NULL}, /* Apache ignores the rest */
    {"TFlag maybe", "", "TFlag must be On or Off"},
    {"TFlag \"on\"", "TFlag(on=1)", NULL},
    {"TRaw  \"a\"  b ", "TRaw(\"a\"  b)", NULL},
    {"TArgv", "TArgv()", NULL},
    {"TArgv a \"\" b", "TArgv(a,,b)", NULL},
    {"TNone", "TNone()", NULL},
    {"TNone x", "", "TNone takes no arguments, help"},
    {"TFails x", "", "handler said no"},
    {"TDirOnly x", "", "TDirOnly not allowed here"},
    {"TAuth x", "", "TAuth not allowed here"},
    {"<Directory /tmp>\nTOne x\n</Directory>", "",
     "TOne not allowed in <Directory> context"},
    {"<directory /tmp>\nTOne x\n</directory>", "",
     "TOne not allowed in <Directory> context"},
    {"<Directory /tmp>\nTDirOnly x\nTAuth y\n</Directory>",
     "TDirOnly(x)TAuth(y)", NULL},
    {"<VirtualHost *:80>\nTDirOnly x\n</VirtualHost>", "",
     "TDirOnly not allowed in <VirtualHost> context"},
    {"<Location />\n<Files x>\nTOne a\n</Files>\n</Location>", "",
     "<Files> cannot occur within <Location> section"},
    {"<Files x>\nTOne a\n</Files>", "", "TOne not allowed in <Files> context"},
    {"Bogus x", "",
     "Invalid command 'Bogus', perhaps misspelled or defined by a module not "
     "included in the server configuration"},
    {"<Bogus x>\n</Bogus>", "",
     "Invalid command '<Bogus', perhaps misspelled or defined by a module not "
     "included in the server configuration"},
    {"Directory /tmp", "",
     "Invalid command 'Directory', perhaps misspelled or defined by a module "
     "not included in the server configuration"},
    {"TOne a\nTTwo b\nTIter c", "TOne(a)",
     "TTwo takes two arguments, help two"},
};

START_TEST(walk_table)
{
    const char *err = walk_text(walk_cases[_i].text, 0);
    if (walk_cases[_i].error == NULL)
        ck_assert_msg(err == NULL, "%s: unexpected error %s",
                      walk_cases[_i].text, err);
    if (walk_cases[_i].error != NULL) {
        ck_assert_msg(err != NULL, "%s: no error", walk_cases[_i].text);
        ck_assert_str_eq(err, walk_cases[_i].error);
        ck_assert_int_eq(got.phase[0], DIAG_WALK);
    }
    ck_assert_str_eq(calls, walk_cases[_i].calls);
}
END_TEST

START_TEST(first_error_stops_unless_keep_going)
{
    const char *text = "TOne a\nTTwo b\nTIter c\nTFlag x\nBogus";
    walk_text(text, 0);
    ck_assert_int_eq(got.n, 1);
    ck_assert_int_eq(got.line[0], 2);
    ck_assert_str_eq(calls, "TOne(a)");
    walk_text(text, 1);
    ck_assert_int_eq(got.n, 3);
    ck_assert_int_eq(got.line[1], 4);
    ck_assert_int_eq(got.line[2], 5);
    ck_assert_str_eq(calls, "TOne(a)TIter(c)");
}
END_TEST

START_TEST(unknown_gets_a_suggestion)
{
    walk_text("DocumentRooot /tmp", 0);
    ck_assert_str_eq(got.sugg[0], "did you mean DocumentRoot?");
    walk_text("<Directroy /tmp>\n</Directroy>", 0);
    ck_assert_str_eq(got.sugg[0], "did you mean <Directory>?");
    /* MPM directives of MPMs that are not loaded are known names too */
    walk_text("StartServer 3", 0);
    ck_assert_str_eq(got.sugg[0], "did you mean StartServers?");
    walk_text("Qwertyuiop 1", 0);
    ck_assert_str_eq(got.sugg[0], "");
}
END_TEST

START_TEST(error_location_is_the_directive)
{
    walk_text("TOne a\n\n<Directory /tmp>\n   TOne b\n</Directory>", 0);
    ck_assert_int_eq(got.n, 1);
    ck_assert_int_eq(got.line[0], 4);
}
END_TEST

/* ---- ap_check_cmd_context ----------------------------------------------- */

static const struct {
    const char *text;
    const char *error;
} context_cases[] = {
    {"<VirtualHost *:80>\nUser daemon\n</VirtualHost>",
     "User cannot occur within <VirtualHost> section"},
    {"<VirtualHost *:80>\n<VirtualHost *:81>\n</VirtualHost>\n</VirtualHost>",
     "<VirtualHost> cannot occur within <VirtualHost> section"},
    {"<VirtualHost *:80>\nListen 80\n</VirtualHost>",
     "Listen cannot occur within <VirtualHost> section"},
    {"<VirtualHost *:80>\nServerName x\nServerAdmin y\nTimeout "
     "3\n</VirtualHost>",
     NULL},
};

START_TEST(context_table)
{
    const char *err = walk_text(context_cases[_i].text, 0);
    if (context_cases[_i].error == NULL)
        ck_assert_ptr_null(err);
    else
        ck_assert_str_eq(err, context_cases[_i].error);
}
END_TEST

/* ---- generic setters ------------------------------------------------------
 */

typedef struct {
    const char *s;
    int flag;
    int n;
    const char *path;
} slots;

START_TEST(generic_setters)
{
    resolved_config *rc = new_rc();
    slots sl = {0};
    command_rec c[4] = {
        {"S", conf_set_string_slot, offsetof(slots, s), RSRC_CONF, TAKE1, NULL},
        {"F", conf_set_flag_slot, offsetof(slots, flag), RSRC_CONF, FLAG, NULL},
        {"N", conf_set_int_slot, offsetof(slots, n), RSRC_CONF, TAKE1, NULL},
        {"P", conf_set_path_slot, offsetof(slots, path), RSRC_CONF, TAKE1,
         NULL},
    };
    cmd_parms cmd = {.arena = rc->arena, .temp = rc->arena, .rc = rc};
    char *v1[] = {"hello", NULL}, *v2[] = {"42abc", NULL},
         *v3[] = {"x/../y", NULL};
    cmd.cmd = &c[0];
    ck_assert_ptr_null(c[0].fn(&cmd, &sl, 1, v1));
    ck_assert_str_eq(sl.s, "hello");
    cmd.cmd = &c[1];
    cmd.flag = 1;
    ck_assert_ptr_null(c[1].fn(&cmd, &sl, 1, v1));
    ck_assert_int_eq(sl.flag, 1);
    cmd.cmd = &c[2];
    ck_assert_ptr_null(c[2].fn(&cmd, &sl, 1, v2));
    ck_assert_int_eq(sl.n, 42);
    cmd.cmd = &c[3];
    ck_assert_ptr_null(c[3].fn(&cmd, &sl, 1, v3));
    ck_assert_str_eq(sl.path, "/srv/root/y");
    conf_release(rc);
}
END_TEST

static const struct {
    const char *in, *out;
} path_cases[] = {
    {"/abs/path", "/abs/path"},
    {"rel", "/srv/root/rel"},
    {"rel/../x", "/srv/root/x"},
    {"./a/./b", "/srv/root/a/b"},
    {"//a//b/", "/a/b/"},
    {"/a/b/..", "/a/"},
    {"/..", "/"},
    {"/", "/"},
};

START_TEST(server_root_relative)
{
    resolved_config *rc = new_rc();
    cmd_parms cmd = {.arena = rc->arena, .rc = rc};
    ck_assert_str_eq(conf_server_root_relative(&cmd, path_cases[_i].in),
                     path_cases[_i].out);
    conf_release(rc);
}
END_TEST

/* apr_parse_addr_port as Listen uses it; golden verdicts from apache2. */
static const struct {
    const char *in;
    const char *host; /* "-" for NULL */
    int port;
    const char *err;
} addr_cases[] = {
    {"80", "-", 80, NULL},
    {"127.0.0.1:8080", "127.0.0.1", 8080, NULL},
    {"[::1]:8080", "::1", 8080, NULL},
    {"[::1]", "::1", 0, NULL},
    {"abc", "abc", 0, NULL},
    {"127.0.0.1:", "127.0.0.1", 0, NULL},
    {"80-90", "80-90", 0, NULL},
    {"0", "-", 0, "Invalid address or port"},
    {"65536", "-", 0, "Invalid address or port"},
    {"99999999999", "-", 0, "Invalid address or port"},
    {":80", "-", 0, "Invalid address or port"},
    {"[::1", "-", 0, "Invalid address or port"},
    {"[zz::1]:80", "-", 0, "Invalid address or port"},
    {"1.2.3.4:0", "-", 0, "Invalid address or port"},
};

START_TEST(addr_port_table)
{
    arena *a = arena_create(0);
    const char *host = NULL;
    int port = -1;
    const char *err = conf_parse_addr_port(a, addr_cases[_i].in, &host, &port);
    if (addr_cases[_i].err) {
        ck_assert_ptr_nonnull(err);
        ck_assert_str_eq(err, addr_cases[_i].err);
    } else {
        ck_assert_msg(err == NULL, "%s: %s", addr_cases[_i].in, err);
        ck_assert_str_eq(host ? host : "-", addr_cases[_i].host);
        ck_assert_int_eq(port, addr_cases[_i].port);
    }
    arena_destroy(a);
}
END_TEST

START_TEST(module_vectors_merge)
{
    resolved_config *rc = new_rc();
    void **base = conf_create_dir_configs(rc->arena, rc, NULL);
    void **add = conf_create_dir_configs(rc->arena, rc, "/x/");
    core_dir(add)->enable_sendfile = 1;
    core_dir(base)->enable_mmap = 0;
    void **m = conf_merge_dir_configs(rc->arena, base, add);
    ck_assert_int_eq(core_dir(m)->enable_sendfile, 1);
    ck_assert_int_eq(core_dir(m)->enable_mmap, 0);
    /* inputs untouched */
    ck_assert_int_eq(core_dir(base)->enable_sendfile, UNSET);
    ck_assert_ptr_eq(conf_module_at(rc, MODULE_MPM_SLOT), &test_module);
    ck_assert_ptr_eq(conf_module_at(rc, core_module.index), &core_module);
    conf_release(rc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("registry");
    TCase *tc = tcase_create("dispatch");
    tcase_add_loop_test(tc, args_error_table, 0,
                        sizeof(arg_cases) / sizeof(arg_cases[0]));
    tcase_add_loop_test(tc, walk_table, 0,
                        sizeof(walk_cases) / sizeof(walk_cases[0]));
    tcase_add_test(tc, first_error_stops_unless_keep_going);
    tcase_add_test(tc, unknown_gets_a_suggestion);
    tcase_add_test(tc, error_location_is_the_directive);
    tcase_add_loop_test(tc, context_table, 0,
                        sizeof(context_cases) / sizeof(context_cases[0]));
    tcase_add_test(tc, generic_setters);
    tcase_add_loop_test(tc, server_root_relative, 0,
                        sizeof(path_cases) / sizeof(path_cases[0]));
    tcase_add_loop_test(tc, addr_port_table, 0,
                        sizeof(addr_cases) / sizeof(addr_cases[0]));
    tcase_add_test(tc, module_vectors_merge);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
