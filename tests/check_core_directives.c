/* check_core_directives.c -- what each core directive stores, and what it
 * refuses (messages recorded from apache2 -t 2.4.71; the differential test
 * checks many more values against the golden files). */
#include <check.h>
#include <string.h>

#include "core_int.h"
#include "mpm.h"

static char first_msg[1024];
static int nerrors, nwarnings;
static char first_warn[1024];

static void capture(diag_sink *s, const struct diag *d)
{
    (void)s;
    if (d->severity == DIAG_ERROR && nerrors++ == 0)
        snprintf(first_msg, sizeof(first_msg), "%s", d->message);
    if (d->severity == DIAG_WARNING && nwarnings++ == 0)
        snprintf(first_warn, sizeof(first_warn), "%s", d->message);
}

static module none_module = {.name = "mpm_none_module", .file = "none.c"};
static struct mpm_module none_mpm = {
    .magic = MPM_MAGIC, .name = "none", .module = &none_module};

static resolved_config *rc;

/* Walk text at server level of a fresh configuration; return the first
 * error or NULL.  rc stays for inspection until the next call. */
static const char *walk(const char *text)
{
    if (rc)
        conf_release(rc);
    conf_modules_init();
    arena *a = arena_create(0);
    rc = arena_calloc(a, sizeof(*rc));
    rc->arena = a;
    rc->argv0 = "httpd";
    rc->server_root = "/srv";
    rc->mpm = &none_mpm;
    none_module.index = MODULE_MPM_SLOT;
    rc->main_server = core_server_new(rc, 0);
    diag_sink sink = {.emit = capture};
    nerrors = nwarnings = 0;
    first_msg[0] = first_warn[0] = '\0';
    conf_node *root = conf_parse_string(a, "t.conf", text, strlen(text), &sink);
    ck_assert_ptr_nonnull(root);
    conf_options o = {0};
    conf_walk(rc, &o, root, &sink);
    return nerrors ? first_msg : NULL;
}

static void teardown(void)
{
    conf_release(rc);
    rc = NULL;
}

#define WALK_OK(text)                                                          \
    ck_assert_msg(walk(text) == NULL, "%s: %s", text, first_msg)

START_TEST(server_values)
{
    server_conf *s;
    WALK_OK("Timeout 10\nKeepAlive Off\nMaxKeepAliveRequests "
            "7\nKeepAliveTimeout 500ms");
    s = rc->main_server;
    ck_assert_int_eq(s->timeout_ms, 10000);
    ck_assert_int_eq(s->keep_alive, 0);
    ck_assert_int_eq(s->max_keepalive_requests, 7);
    ck_assert_int_eq(s->keepalive_timeout_ms, 500);
    WALK_OK("KeepAliveTimeout 2mi");
    ck_assert_int_eq(rc->main_server->keepalive_timeout_ms, 120000);
    WALK_OK("KeepAliveTimeout 3");
    ck_assert_int_eq(rc->main_server->keepalive_timeout_ms, 3000);
    WALK_OK("LimitRequestLine 100\nLimitRequestFieldSize "
            "200\nLimitRequestFields 3");
    s = rc->main_server;
    ck_assert_int_eq(s->limit_req_line, 100);
    ck_assert_int_eq(s->limit_req_fieldsize, 200);
    ck_assert_int_eq(s->limit_req_fields, 3);
    WALK_OK("ServerName https://www.example.com:8443\nServerAdmin a@b.c");
    s = rc->main_server;
    ck_assert_str_eq(s->server_name, "www.example.com");
    ck_assert_int_eq(s->port, 8443);
    ck_assert_str_eq(s->server_scheme, "https");
    ck_assert_str_eq(s->server_admin, "a@b.c");
    WALK_OK(
        "ServerTokens Prod\nTraceEnable extended\nListenBacklog 12\n"
        "MaxRequestsPerChild 9\nGracefulShutdownTimeout 4\nPidFile run/p.pid");
    ck_assert_int_eq(rc->server_tokens, SERVER_TOKENS_PROD);
    ck_assert_int_eq(rc->trace_enable, 2);
    ck_assert_int_eq(rc->listen_backlog, 12);
    ck_assert_int_eq(rc->max_connections_per_child, 9);
    ck_assert_int_eq(rc->graceful_shutdown_timeout, 4);
    ck_assert_str_eq(rc->pid_file, "run/p.pid");
    WALK_OK("LogLevel info core:debug mpm_none:trace2");
    ck_assert_int_eq(rc->main_server->log_level, APLOG_INFO);
    ck_assert_str_eq(rc->main_server->module_levels->module, "mpm_none");
    ck_assert_int_eq(rc->main_server->module_levels->level, APLOG_TRACE2);
    WALK_OK("User #1234\nGroup #99");
    ck_assert_int_eq(rc->uid, 1234);
    ck_assert_int_eq(rc->gid, 99);
    WALK_OK("DocumentRoot /tmp/");
    ck_assert_str_eq(rc->main_server->document_root, "/tmp");
}
END_TEST

START_TEST(listeners)
{
    WALK_OK("Listen 8080\nListen 127.0.0.1:8081 HTTPS\nListen "
            "[::1]:443\nListen *:9");
    listener_conf *l = rc->listeners;
    ck_assert_ptr_null(l->host);
    ck_assert_int_eq(l->port, 8080);
    ck_assert_str_eq(l->proto, "http");
    l = l->next;
    ck_assert_str_eq(l->host, "127.0.0.1");
    ck_assert_str_eq(l->proto, "https");
    l = l->next;
    ck_assert_str_eq(l->host, "::1");
    ck_assert_str_eq(l->proto, "https"); /* 443 defaults to https */
    ck_assert_int_eq(l->line, 3);
    l = l->next;
    ck_assert_ptr_null(l->host);
    ck_assert_int_eq(l->port, 9);
    ck_assert_ptr_null(l->next);
    ck_assert_str_eq(walk("Listen 80\nListen *:80"),
                     "Cannot define multiple Listeners on the same IP:port");
    WALK_OK("Listen 80\nListen 0.0.0.0:80"); /* Apache compares the text */
}
END_TEST

static core_dir_conf *top(void)
{
    return core_dir(rc->main_server->lookup_defaults);
}

START_TEST(options_bits)
{
    WALK_OK("Options Indexes FollowSymLinks");
    ck_assert_int_eq(top()->options, OPT_INDEXES | OPT_SYM_LINKS);
    WALK_OK("Options +Indexes -FollowSymLinks");
    ck_assert_int_eq(top()->opts_add, OPT_INDEXES);
    ck_assert_int_eq(top()->opts_remove, OPT_SYM_LINKS);
    ck_assert(top()->options & OPT_UNSET);
    WALK_OK("Options None");
    ck_assert_int_eq(top()->options, OPT_NONE);
    WALK_OK("Options All");
    ck_assert_int_eq(top()->options, OPT_ALL);
    WALK_OK("Options Includes");
    ck_assert_int_eq(top()->options, OPT_INCLUDES | OPT_INC_WITH_EXEC);
    WALK_OK("Options IncludesNOEXEC MultiViews SymLinksIfOwnerMatch ExecCGI");
    ck_assert_int_eq(top()->options,
                     OPT_INCLUDES | OPT_MULTI | OPT_SYM_OWNER | OPT_EXECCGI);
}
END_TEST

static const struct {
    const char *text, *error;
} refusals[] = {
    {"Options Bogus", "Illegal option Bogus"},
    {"Options +Indexes FollowSymLinks",
     "Either all Options must start with + or -, or no Option may."},
    {"Options -All", "You may not use 'Options +All' or 'Options -All'."},
    {"Options All None", "'Options None' must be the first Option given."},
    {"Options None All", "'Options All' must be the first option given."},
    {"KeepAliveTimeout 5x", "KeepAliveTimeout has wrong format"},
    {"ListenBacklog 0", "ListenBacklog must be > 0"},
    {"LimitRequestBody -1",
     "LimitRequestBody requires a non-negative integer."},
    {"LimitRequestBody 99999999999999999999",
     "LimitRequestBody argument is not parsable."},
    {"LimitRequestFields -1",
     "LimitRequestFields \"-1\" must be a non-negative integer (0 = no limit)"},
    {"LimitRequestLine -1",
     "LimitRequestLine \"-1\" must be a non-negative integer"},
    {"HostnameLookups maybe", "parameter must be 'on', 'off', or 'double'"},
    {"ServerTokens Bogus", "ServerTokens takes 1 argument: 'Prod(uctOnly)', "
                           "'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'"},
    {"ServerSignature x", "ServerSignature: use one of: off | on | email"},
    {"TraceEnable x", "TraceEnable must be one of 'on', 'off', or 'extended'"},
    {"UseCanonicalName x", "parameter must be 'on', 'off', or 'dns'"},
    {"EnableSendfile x", "parameter must be 'on' or 'off'"},
    {"FileETag bogus", "Unknown keyword 'bogus' for FileETag directive"},
    {"FileETag +All", "FileETag keyword 'All' cannot be used with '+' or '-'"},
    {"ErrorDocument 600 /x", "Unsupported HTTP response code 600"},
    {"ErrorDocument 418 /x", "Unsupported HTTP response code 418"},
    {"LogLevel bogus", "Log level keyword must be one of emerg/alert/crit/"
                       "error/warn/notice/info/debug/trace1/.../trace8"},
    {"LogLevel core:", "Module specifier 'core' must be followed by a log "
                       "level keyword"},
    {"LogLevel nope:info", "Cannot find module nope"},
    {"ServerName foo:0", "The port number \"foo:0\" is outside the "
                         "appropriate range (i.e., 1..65535)."},
    {"ServerAlias x", "ServerAlias only used in <VirtualHost>"},
    {"Listen 80 a b", "Listen requires 1 or 2 arguments."},
    {"Listen abc", "Port must be specified"},
    {"Listen 0", "Invalid address or port"},
    {"DocumentRoot /nonexistent/dir",
     "DocumentRoot '/nonexistent/dir' is not a directory, or is not readable"},
    {"AllowOverride None", "AllowOverride not allowed here"},
    {"<Directory /tmp>\nAllowOverride Bogus\n</Directory>",
     "Illegal override option Bogus"},
    {"<Directory /tmp>\nAllowOverride Nonfatal\n</Directory>",
     "=Override, =Unknown or =All expected after Nonfatal"},
    {"<Directory>\n</Directory>",
     "<Directory> directive requires additional arguments"},
    {"<Directory /a /b>\n</Directory>",
     "Multiple <Directory> arguments not (yet) supported."},
    {"<DirectoryMatch (>\n</DirectoryMatch>", "Regex could not be compiled"},
    {"<VirtualHost 80>\n</VirtualHost>", "Missing address for VirtualHost"},
    {"<VirtualHost 127.0.0.1:0>\n</VirtualHost>",
     "The address or port is invalid"},
    {"User root", NULL}, /* checked below: Apache's long refusal */
};

START_TEST(refusal_table)
{
    const char *err = walk(refusals[_i].text);
    if (refusals[_i].error == NULL) {
        ck_assert_ptr_nonnull(err);
        return;
    }
    ck_assert_msg(err != NULL, "%s accepted", refusals[_i].text);
    ck_assert_str_eq(err, refusals[_i].error);
}
END_TEST

START_TEST(per_dir_values)
{
    WALK_OK("<Directory /tmp>\nAllowOverride AuthConfig "
            "Options=Indexes,MultiViews\n"
            "FileETag INode Size\nEnableSendfile On\nEnableMMAP off\n"
            "AddDefaultCharset On\nLimitRequestBody 10\nServerSignature EMail\n"
            "ErrorDocument 404 /missing.html\nErrorDocument 500 \"Oops here\"\n"
            "</Directory>");
    section_conf *sec = rc->main_server->dir_sections;
    ck_assert_ptr_nonnull(sec);
    ck_assert_str_eq(sec->path, "/tmp/");
    ck_assert_int_eq(sec->kind, SEC_DIRECTORY);
    core_dir_conf *d = core_dir(sec->module_config);
    ck_assert_int_eq(d->override, OR_AUTHCFG | OR_OPTIONS);
    ck_assert_int_eq(d->override_opts, OPT_INDEXES | OPT_MULTI);
    ck_assert_int_eq(d->etag_bits, ETAG_INODE | ETAG_SIZE);
    ck_assert_int_eq(d->enable_sendfile, 1);
    ck_assert_int_eq(d->enable_mmap, 0);
    ck_assert_str_eq(d->add_default_charset, "iso-8859-1");
    ck_assert_int_eq((int)d->limit_req_body, 10);
    ck_assert_int_eq(d->server_signature, 2);
    error_document *e = d->error_documents;
    ck_assert_int_eq(e->status, 500);
    ck_assert_int_eq(e->is_text, 1);
    ck_assert_int_eq(e->next->status, 404);
    ck_assert_str_eq(e->next->target, "/missing.html");
    ck_assert_int_eq(e->next->is_text, 0);
}
END_TEST

START_TEST(sections_recorded)
{
    WALK_OK(
        "<Directory ~ \"^/srv/x\">\n</Directory>\n"
        "<Directory /a/b/../c>\n<Files x.html>\n</Files>\n</Directory>\n"
        "<Location /x>\n</Location>\n<LocationMatch ^/y>\n</LocationMatch>\n"
        "<FilesMatch \\.gif$>\n</FilesMatch>\n"
        "<VirtualHost 127.0.0.1:80 [::1]:8080 *:*>\nServerName v\n"
        "ServerAlias a b\n<Location /v>\n</Location>\n</VirtualHost>");
    /* newest first until the resolver orders them */
    section_conf *d = rc->main_server->dir_sections;
    ck_assert_str_eq(d->path, "/a/c/");
    ck_assert_int_eq(d->depth, 3);
    section_conf *nested = core_dir(d->module_config)->file_sections;
    ck_assert_ptr_nonnull(nested);
    ck_assert_str_eq(nested->path, "x.html");
    ck_assert_int_eq(d->next->is_regex, 1);
    ck_assert_int_eq(d->next->kind, SEC_DIRECTORY_MATCH);
    ck_assert_int_eq(conf_regexec(d->next->regex, "/srv/x/y", 0, NULL, 0), 0);
    ck_assert_int_eq(rc->main_server->loc_sections->kind, SEC_LOCATION_MATCH);
    ck_assert_int_eq(rc->main_server->file_sections->kind, SEC_FILES_MATCH);
    ck_assert_int_eq(rc->nvhosts, 1);
    server_conf *v = rc->vhosts;
    ck_assert_int_eq(v->is_virtual, 1);
    ck_assert_str_eq(v->server_name, "v");
    ck_assert_int_eq(v->naliases, 2);
    ck_assert_str_eq(v->aliases[1], "b");
    ck_assert_str_eq(v->addrs->host, "127.0.0.1");
    ck_assert_int_eq(v->addrs->port, 80);
    ck_assert_str_eq(v->addrs->next->host, "::1");
    ck_assert_str_eq(v->addrs->next->next->host, "*");
    ck_assert_int_eq(v->addrs->next->next->port, 0);
    ck_assert_str_eq(v->loc_sections->path, "/v");
    ck_assert_int_eq(v->defn_line, 13);
}
END_TEST

START_TEST(warnings)
{
    WALK_OK("<Location />\nAllowOverride None\n</Location>");
    ck_assert_int_eq(nwarnings, 1);
    ck_assert_str_eq(first_warn, "AH00114: Useless use of AllowOverride in "
                                 "line 2 of t.conf.");
    WALK_OK("<VirtualHost *:80>\nDocumentRoot /nonexistent/v\n</VirtualHost>");
    ck_assert_str_eq(
        first_warn,
        "AH00112: Warning: DocumentRoot [/nonexistent/v] does not exist");
    WALK_OK("ErrorDocument 401 http://example.com/");
    ck_assert_str_eq(first_warn, "AH00113: t.conf:1 cannot use a full URL in "
                                 "a 401 ErrorDocument directive --- ignoring!");
    ck_assert_ptr_null(top()->error_documents);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_directives");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, server_values);
    tcase_add_test(tc, listeners);
    tcase_add_test(tc, options_bits);
    tcase_add_loop_test(tc, refusal_table, 0,
                        sizeof(refusals) / sizeof(refusals[0]));
    tcase_add_test(tc, per_dir_values);
    tcase_add_test(tc, sections_recorded);
    tcase_add_test(tc, warnings);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
