/* check_resolve.c -- conf_load(): Apache's defaults, vhost inheritance,
 * section order, the MPM rule's place in the pipeline, the error-log check,
 * keep-going, and NULL (arena released) on any error. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "mpm.h"

#define MAXD 16
static int ndiag;
static char msgs[MAXD][1024];
static enum diag_phase phases[MAXD];
static enum diag_severity sevs[MAXD];

static void capture(diag_sink *s, const struct diag *d)
{
    (void)s;
    if (ndiag < MAXD) {
        snprintf(msgs[ndiag], sizeof(msgs[0]), "%s", d->message);
        phases[ndiag] = d->phase;
        sevs[ndiag] = d->severity;
    }
    ndiag++;
}

static const char *builddir(void)
{
    const char *b = getenv("BUILDDIR");
    return b ? b : ".";
}

static const char *mpm_name(void)
{
    if (mpm_static_module)
        return mpm_static_module->name;
    const char *m = getenv("DEFAULT_MPM");
    return m && *m ? m : "event";
}

static char conf_path[64];

/* Write the MPM line, an ErrorLog, then text; load it. */
static resolved_config *load(const char *text, int keep_going, int with_mpm)
{
    snprintf(conf_path, sizeof(conf_path), "/tmp/check_resolve_XXXXXX");
    int fd = mkstemp(conf_path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    if (with_mpm)
        fprintf(f, "LoadModule mpm_%s_module modules/mod_mpm_%s.so\n",
                mpm_name(), mpm_name());
    else
        fprintf(f, "# no MPM line\n");
    fprintf(f, "ErrorLog /tmp/check_resolve_error.log\n%s\n", text);
    fclose(f);
    conf_options o = {
        .argv0 = "httpd", .server_root = builddir(), .conf_file = conf_path};
    diag_sink sink = {.emit = capture, .keep_going = keep_going};
    ndiag = 0;
    resolved_config *rc = conf_load(&o, &sink);
    unlink(conf_path);
    ck_assert_int_eq(sink.errors == 0, rc != NULL);
    return rc;
}

START_TEST(apache_defaults)
{
    resolved_config *rc = load("ServerName localhost", 0, 1);
    ck_assert_msg(rc != NULL, "%s", ndiag ? msgs[0] : "");
    server_conf *s = rc->main_server;
    ck_assert_int_eq(s->timeout_ms, 60000);
    ck_assert_int_eq(s->keep_alive, 1);
    ck_assert_int_eq(s->max_keepalive_requests, 100);
    ck_assert_int_eq(s->keepalive_timeout_ms, 5000);
    ck_assert_int_eq(s->limit_req_line, 8190);
    ck_assert_int_eq(s->limit_req_fieldsize, 8190);
    ck_assert_int_eq(s->limit_req_fields, 100);
    ck_assert_int_eq(s->log_level, APLOG_WARNING);
    ck_assert_str_eq(s->server_name, "localhost");
    ck_assert_str_eq(s->server_scheme, "http");
    ck_assert_ptr_nonnull(s->document_root);
    ck_assert_str_eq(s->document_root + strlen(s->document_root) - 7,
                     "/htdocs");
    ck_assert_str_eq(rc->pid_file + strlen(rc->pid_file) - 15,
                     "/logs/httpd.pid");
    ck_assert_str_eq(rc->access_file_name, ".htaccess");
    ck_assert_int_eq(rc->server_tokens, SERVER_TOKENS_FULL);
    ck_assert_int_eq(rc->trace_enable, 1);
    ck_assert_int_eq(rc->listen_backlog, 511);
    core_dir_conf *d = core_dir(s->lookup_defaults);
    /* Apache's built-in AllowOverride: not None (the access file is
     * read) but nothing allowed in it */
    ck_assert_int_eq(d->override, OR_UNSET);
    /* FileETag stays unset (MTime Size is used when the tag is made), so
     * "+Size" in a section means Size alone, as in apache2 */
    ck_assert_int_eq(d->etag_bits, ETAG_UNSET);
    ck_assert_int_eq(d->enable_sendfile, 0);
    ck_assert_int_eq(d->enable_mmap, 1);
    ck_assert_int_eq(d->limit_req_body, 1024LL * 1024 * 1024);
    ck_assert_int_eq(d->options, OPT_SYM_LINKS);
    ck_assert_ptr_nonnull(rc->mpm);
    ck_assert_str_eq(rc->mpm->name, mpm_name());
    ck_assert_int_eq(rc->mpm->module->index, MODULE_MPM_SLOT);
    conf_release(rc);
}
END_TEST

START_TEST(vhosts_inherit)
{
    resolved_config *rc = load(
        "ServerName main\nTimeout 30\nServerAdmin root@main\n"
        "<Directory /tmp>\nOptions Indexes\n</Directory>\n"
        "<VirtualHost *:80>\nServerName one\nKeepAliveTimeout 2\n"
        "<Directory /tmp/sub>\nOptions +ExecCGI\n</Directory>\n</VirtualHost>\n"
        "<VirtualHost *:80>\nServerName two\nTimeout 7\nServerAdmin v@two\n"
        "EnableSendfile On\n</VirtualHost>",
        0, 1);
    ck_assert_ptr_nonnull(rc);
    ck_assert_int_eq(rc->nvhosts, 2);
    server_conf *one = rc->vhosts, *two = one->next;
    ck_assert_ptr_eq(rc->main_server->next, one);
    ck_assert_str_eq(one->server_name, "one");
    ck_assert_str_eq(two->server_name, "two");
    ck_assert_ptr_null(two->next);
    ck_assert_int_eq(one->timeout_ms, 30000);
    ck_assert_int_eq(one->keepalive_timeout_ms, 2000);
    ck_assert_int_eq(two->timeout_ms, 7000);
    ck_assert_int_eq(two->keepalive_timeout_ms, 5000);
    ck_assert_str_eq(one->server_admin, "root@main");
    ck_assert_str_eq(two->server_admin, "v@two");
    ck_assert_str_eq(one->error_log, rc->main_server->error_log);
    /* per-dir defaults merged main -> vhost */
    ck_assert_int_eq(core_dir(two->lookup_defaults)->enable_sendfile, 1);
    ck_assert_int_eq(core_dir(one->lookup_defaults)->enable_sendfile, 0);
    /* the vhost sees the main server's sections, then its own */
    section_conf *d = one->dir_sections;
    ck_assert_str_eq(d->path, "/tmp/");
    ck_assert_str_eq(d->next->path, "/tmp/sub/");
    ck_assert_ptr_null(d->next->next);
    ck_assert_str_eq(two->dir_sections->path, "/tmp/");
    ck_assert_ptr_null(two->dir_sections->next);
    ck_assert_ptr_null(rc->main_server->dir_sections->next);
    conf_release(rc);
}
END_TEST

START_TEST(directory_merge_order)
{
    resolved_config *rc = load(
        "ServerName x\n<Directory /a/b/c>\n</Directory>\n"
        "<DirectoryMatch ^/z>\n</DirectoryMatch>\n<Directory />\n</Directory>\n"
        "<Directory ~ ^/y>\n</Directory>\n<Directory /a>\n</Directory>\n"
        "<Directory /a/b>\n</Directory>\n<Directory /q>\n</Directory>\n"
        "<Location /l1>\n</Location>\n<Location /l2>\n</Location>",
        0, 1);
    ck_assert_ptr_nonnull(rc);
    const char *want[] = {"/", "/a/", "/q/", "/a/b/", "/a/b/c/", "^/z", "^/y"};
    section_conf *s = rc->main_server->dir_sections;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ck_assert_ptr_nonnull(s);
        ck_assert_str_eq(s->path, want[i]);
        s = s->next;
    }
    ck_assert_ptr_null(s);
    ck_assert_str_eq(rc->main_server->loc_sections->path, "/l1");
    ck_assert_str_eq(rc->main_server->loc_sections->next->path, "/l2");
    conf_release(rc);
}
END_TEST

START_TEST(error_gives_null)
{
    resolved_config *rc =
        load("ServerName x\nTimeout 1 2\nKeepAlive maybe", 0, 1);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(ndiag, 1);
    ck_assert_str_eq(msgs[0],
                     "Timeout takes one argument, Timeout duration (sec)");
    ck_assert_int_eq(phases[0], DIAG_WALK);
}
END_TEST

START_TEST(keep_going_reports_everything)
{
    resolved_config *rc = load("ServerName x\nTimeout 1 2\nKeepAlive maybe\n"
                               "<Directory /tmp>\nListen 80\n</Directory>\n"
                               "Bogus",
                               1, 1);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(ndiag, 4);
    ck_assert_str_eq(msgs[1], "KeepAlive must be On or Off");
    ck_assert_str_eq(msgs[2], "Listen not allowed in <Directory> context");
}
END_TEST

START_TEST(error_log_directory_checked)
{
    resolved_config *rc =
        load("ServerName x\nErrorLog /nonexistent-dir/e.log", 0, 1);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(ndiag, 1);
    ck_assert_str_eq(msgs[0], "(2)No such file or directory: AH02291: Cannot "
                              "access directory '/nonexistent-dir/' for main "
                              "error log\nAH00014: Configuration check failed");
    ck_assert_int_eq(phases[0], DIAG_GLOBAL);
    /* a walk error comes first */
    rc = load("ServerName x\nErrorLog /nonexistent-dir/e.log\nTimeout", 0, 1);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(ndiag, 1);
    ck_assert_int_eq(phases[0], DIAG_WALK);
    rc = load("ServerName x\nErrorLog \"|/bin/cat\"", 0, 1);
    ck_assert_ptr_nonnull(rc);
    conf_release(rc);
}
END_TEST

START_TEST(mpm_rule_between_read_and_walk)
{
    if (mpm_static_module != NULL)
        return; /* a linked-in MPM always counts */
    resolved_config *rc = load("ServerName x\nTimeout 1 2", 0, 0);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(ndiag, 1);
    ck_assert_str_eq(msgs[0],
                     "AH00534: httpd: Configuration error: No MPM loaded.");
    /* a read-time error wins */
    rc = load("Include /nonexistent/x.conf", 0, 0);
    ck_assert_ptr_null(rc);
    ck_assert_int_eq(phases[0], DIAG_READ);
}
END_TEST

START_TEST(runtime_dir_is_read_time)
{
    resolved_config *rc =
        load("ServerName x\nTimeout 1 2\nDefaultRuntimeDir /nonexistent", 0, 1);
    ck_assert_ptr_null(rc);
    ck_assert_str_eq(msgs[0], "DefaultRuntimeDir must be a valid directory, "
                              "absolute or relative to ServerRoot");
    ck_assert_int_eq(phases[0], DIAG_READ);
    rc = load("ServerName x\nDefaultRuntimeDir /tmp\nPidFile p.pid", 0, 1);
    ck_assert_ptr_nonnull(rc);
    ck_assert_str_eq(rc->pid_file, "/tmp/p.pid");
    conf_release(rc);
}
END_TEST

START_TEST(generations_are_independent)
{
    resolved_config *a = load("ServerName a\nTimeout 3", 0, 1);
    resolved_config *b = load("ServerName b\nTimeout 4", 0, 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    conf_release(a);
    ck_assert_str_eq(b->main_server->server_name, "b");
    ck_assert_int_eq(b->main_server->timeout_ms, 4000);
    conf_release(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resolve");
    TCase *tc = tcase_create("pipeline");
    tcase_add_test(tc, apache_defaults);
    tcase_add_test(tc, vhosts_inherit);
    tcase_add_test(tc, directory_merge_order);
    tcase_add_test(tc, error_gives_null);
    tcase_add_test(tc, keep_going_reports_everything);
    tcase_add_test(tc, error_log_directory_checked);
    tcase_add_test(tc, mpm_rule_between_read_and_walk);
    tcase_add_test(tc, runtime_dir_is_read_time);
    tcase_add_test(tc, generations_are_independent);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
