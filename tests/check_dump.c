/* check_dump.c -- conf_dump(): includes inlined, variables substituted,
 * conditionals resolved, each directive followed by "# file:line", and the
 * round trip: loading the dump gives the same resolved configuration. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "mpm.h"

static char first_err[1024];

static void capture(diag_sink *s, const struct diag *d)
{
    (void)s;
    if (d->severity == DIAG_ERROR && !first_err[0])
        snprintf(first_err, sizeof(first_err), "%s", d->message);
}

static const char *mpm_name(void)
{
    if (mpm_static_module)
        return mpm_static_module->name;
    const char *m = getenv("DEFAULT_MPM");
    return m && *m ? m : "event";
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static resolved_config *load_file(const char *path)
{
    const char *b = getenv("BUILDDIR");
    conf_options o = {
        .argv0 = "httpd", .server_root = b ? b : ".", .conf_file = path};
    diag_sink sink = {.emit = capture};
    first_err[0] = '\0';
    resolved_config *rc = conf_load(&o, &sink);
    ck_assert_msg(rc != NULL, "%s: %s", path, first_err);
    return rc;
}

static char *dump(const resolved_config *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    conf_dump(rc, f);
    fclose(f);
    return buf;
}

/* The dump without its origin comments. */
static char *strip_origins(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
        const char *q = p;
        while (*q == ' ')
            q++;
        if (*q != '#') {
            memcpy(o, p, n);
            o += n;
        }
        p += n;
    }
    *o = '\0';
    return out;
}

static char dir[64];
static char main_conf[128], inc_conf[128], dump1[128];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/check_dump_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(main_conf, sizeof(main_conf), "%s/main.conf", dir);
    snprintf(inc_conf, sizeof(inc_conf), "%s/inc.conf", dir);
    snprintf(dump1, sizeof(dump1), "%s/dump1.conf", dir);
    char text[2048];
    snprintf(text, sizeof(text),
             "LoadModule mpm_%s_module modules/mod_mpm_%s.so\n"
             "Define PORT 8123\n"
             "Define NAME example.org\n"
             "ErrorLog %s/error.log\n"
             "Listen 127.0.0.1:${PORT}\n"
             "ServerName www.${NAME}\n"
             "<IfDefine PORT>\n"
             "  Timeout 17\n"
             "</IfDefine>\n"
             "<IfDefine !PORT>\n"
             "  Timeout 99\n"
             "</IfDefine>\n"
             "<IfModule mod_mime.c>\n"
             "  AddType text/x-test .tst\n"
             "</IfModule>\n"
             "Include %s\n"
             "<Directory \"/tmp\">\n"
             "  Options Indexes \\\n"
             "     FollowSymLinks\n"
             "  <Files \"a b.html\">\n"
             "    Options None\n"
             "  </Files>\n"
             "</Directory>\n",
             mpm_name(), mpm_name(), dir, inc_conf);
    write_file(main_conf, text);
    write_file(inc_conf, "<VirtualHost 127.0.0.1:${PORT}>\n"
                         "  ServerName v.${NAME}\n"
                         "  ServerAlias *.v.${NAME}\n"
                         "  KeepAliveTimeout 250ms\n"
                         "  <Location /x>\n"
                         "    Options -Indexes\n"
                         "  </Location>\n"
                         "</VirtualHost>\n");
}

static void teardown(void)
{
    unlink(main_conf);
    unlink(inc_conf);
    unlink(dump1);
    char log[128];
    snprintf(log, sizeof(log), "%s/error.log", dir);
    unlink(log);
    rmdir(dir);
}

START_TEST(dump_is_flat_and_annotated)
{
    resolved_config *rc = load_file(main_conf);
    char *text = dump(rc);
    ck_assert_ptr_null(strstr(text, "Include"));
    ck_assert_ptr_null(strstr(text, "Define"));
    ck_assert_ptr_null(strstr(text, "IfModule"));
    ck_assert_ptr_null(strstr(text, "${"));
    ck_assert_ptr_null(strstr(text, "Timeout 99"));
    ck_assert_ptr_nonnull(strstr(text, "Timeout 17\n"));
    ck_assert_ptr_nonnull(strstr(text, "Listen 127.0.0.1:8123\n"));
    ck_assert_ptr_nonnull(strstr(text, "AddType text/x-test .tst\n"));
    ck_assert_ptr_nonnull(strstr(text, "ServerRoot \""));
    char want[256];
    snprintf(want, sizeof(want), "Listen 127.0.0.1:8123\n# %s:5\n", main_conf);
    ck_assert_msg(strstr(text, want) != NULL, "no origin line in:\n%s", text);
    snprintf(want, sizeof(want), "    ServerName v.example.org\n    # %s:2\n",
             inc_conf);
    ck_assert_msg(strstr(text, want) != NULL, "no include origin in:\n%s",
                  text);
    ck_assert_ptr_nonnull(strstr(text, "<Files \"a b.html\">\n"));
    ck_assert_ptr_nonnull(strstr(text, "</VirtualHost>\n"));
    free(text);
    conf_release(rc);
}
END_TEST

START_TEST(round_trip)
{
    resolved_config *a = load_file(main_conf);
    char *text_a = dump(a);
    write_file(dump1, text_a);
    resolved_config *b = load_file(dump1);
    char *text_b = dump(b);
    char *sa = strip_origins(text_a), *sb = strip_origins(text_b);
    ck_assert_str_eq(sa, sb);

    /* and the resolved values agree */
    ck_assert_str_eq(a->main_server->server_name, b->main_server->server_name);
    ck_assert_int_eq(a->main_server->timeout_ms, b->main_server->timeout_ms);
    ck_assert_int_eq(b->main_server->timeout_ms, 17000);
    ck_assert_str_eq(a->listeners->host, b->listeners->host);
    ck_assert_int_eq(b->listeners->port, 8123);
    ck_assert_int_eq(a->nvhosts, b->nvhosts);
    ck_assert_str_eq(b->vhosts->server_name, "v.example.org");
    ck_assert_str_eq(b->vhosts->aliases[0], "*.v.example.org");
    ck_assert_int_eq(b->vhosts->keepalive_timeout_ms, 250);
    ck_assert_str_eq(a->main_server->dir_sections->path,
                     b->main_server->dir_sections->path);
    core_dir_conf *da = core_dir(a->main_server->dir_sections->module_config);
    core_dir_conf *db = core_dir(b->main_server->dir_sections->module_config);
    ck_assert_int_eq(da->options, db->options);
    ck_assert_int_eq(db->options, OPT_INDEXES | OPT_SYM_LINKS);
    ck_assert_str_eq(db->file_sections->path, "a b.html");
    ck_assert_str_eq(b->vhosts->loc_sections->path, "/x");
    ck_assert_str_eq(a->mpm->name, b->mpm->name);
    free(sa);
    free(sb);
    free(text_a);
    free(text_b);
    conf_release(a);
    conf_release(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dump");
    TCase *tc = tcase_create("dump");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, dump_is_flat_and_annotated);
    tcase_add_test(tc, round_trip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
