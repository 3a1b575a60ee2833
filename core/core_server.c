/* core_server.c -- the core directives that set server-level values
 * (main server or <VirtualHost>), with Apache 2.4's validation and wording.
 */
#include "core_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "log.h"
#include "mpm.h"

int core_words(cmd_parms *cmd, const char *raw, char ***argv)
{
    return conf_split_args(cmd->temp, raw ? raw : "", argv, NULL);
}

static const char *ctx(cmd_parms *cmd, unsigned forbidden)
{
    return conf_check_context(cmd, forbidden);
}

CORE_HANDLER(core_set_runtime_dir)
{
    (void)mconfig;
    (void)argc;
    const char *dir = conf_server_root_relative(cmd, argv[0]);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return "DefaultRuntimeDir must be a valid directory, absolute or "
               "relative to ServerRoot";
    cmd->rc->default_runtime_dir = dir;
    return NULL;
}

CORE_HANDLER(core_set_pidfile)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    cmd->rc->pid_file = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

static int is_numeric_host(const char *h)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, h, buf) == 1 || inet_pton(AF_INET6, h, buf) == 1;
}

CORE_HANDLER(core_set_listen)
{
    (void)mconfig;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    if (argc < 1 || argc > 2)
        return "Listen requires 1 or 2 arguments.";
    const char *host;
    int port;
    err = conf_parse_addr_port(cmd->temp, argv[0], &host, &port);
    if (err)
        return err;
    if (host && strcmp(host, "*") == 0)
        host = NULL;
    if (port == 0)
        return "Port must be specified";
    const char *proto = port == 443 ? "https" : "http";
    if (argc == 2) {
        char *p = arena_strdup(cmd->arena, argv[1]);
        for (char *q = p; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        proto = p;
    }
    listener_conf **tail = &cmd->rc->listeners;
    for (; *tail; tail = &(*tail)->next) {
        const listener_conf *l = *tail;
        if (l->port == port && ((!host && !l->host) ||
                                (host && l->host && !strcmp(host, l->host))))
            return "Cannot define multiple Listeners on the same IP:port";
    }
    if (host && !is_numeric_host(host)) {
        struct addrinfo hints = {.ai_flags = AI_PASSIVE,
                                 .ai_socktype = SOCK_STREAM},
                        *res = NULL;
        if (getaddrinfo(host, NULL, &hints, &res) != 0) {
            conf_warn(cmd, "core", "listen-resolve",
                      "AH00077: alloc_listener: failed to set up sockaddr "
                      "for %s",
                      host);
            return "Listen setup failed";
        }
        freeaddrinfo(res);
    }
    listener_conf *l = arena_calloc(cmd->arena, sizeof(*l));
    l->host = host ? arena_strdup(cmd->arena, host) : NULL;
    l->port = port;
    l->proto = proto;
    l->file = cmd->node->file;
    l->line = cmd->node->line;
    *tail = l;
    return NULL;
}

static char *lower_dup(arena *a, const char *s)
{
    char *p = arena_strdup(a, s);
    for (char *q = p; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return p;
}

/* AcceptFilter http data: listen_open() turns it into TCP_DEFER_ACCEPT. */
CORE_HANDLER(core_set_accept_filter)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    accept_filter *f = arena_calloc(cmd->arena, sizeof(*f));
    f->proto = lower_dup(cmd->arena, argv[0]);
    f->filter = lower_dup(cmd->arena, argv[1]);
    f->next = cmd->rc->accept_filters;
    cmd->rc->accept_filters = f;
    return NULL;
}

CORE_HANDLER(core_set_listen_backlog)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    int b = atoi(argv[0]);
    if (b < 1)
        return "ListenBacklog must be > 0";
    cmd->rc->listen_backlog = b;
    return NULL;
}

CORE_HANDLER(core_set_server_name)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_LOC_FILE);
    if (err)
        return err;
    const char *arg = argv[0], *part = arg;
    server_conf *s = cmd->server;
    s->server_scheme = NULL;
    if (strchr(arg, ':')) {
        const char *sep = strstr(arg, "://");
        if (sep) {
            s->server_scheme =
                arena_strndup(cmd->arena, arg, (size_t)(sep - arg));
            part = sep + 3;
        }
        const char *portstr = strchr(part, ':');
        if (portstr) {
            s->server_name =
                arena_strndup(cmd->arena, part, (size_t)(portstr - part));
            int port = atoi(portstr + 1);
            if (port <= 0 || port >= 65536)
                return arena_printf(cmd->temp,
                                    "The port number \"%s\" is outside the "
                                    "appropriate range (i.e., 1..65535).",
                                    arg);
            s->port = port;
            return NULL;
        }
    }
    s->server_name = arena_strdup(cmd->arena, part);
    s->port = 0;
    return NULL;
}

CORE_HANDLER(core_set_server_alias)
{
    (void)mconfig;
    (void)argc;
    if (!cmd->server->is_virtual)
        return "ServerAlias only used in <VirtualHost>";
    char **w;
    int n = core_words(cmd, argv[0], &w);
    server_conf *s = cmd->server;
    const char **v =
        arena_alloc(cmd->arena, sizeof(*v) * (s->naliases + n + 1));
    if (s->naliases)
        memcpy(v, s->aliases, sizeof(*v) * s->naliases);
    for (int i = 0; i < n; i++)
        if (w[i][0] != '\0')
            v[s->naliases++] = arena_strdup(cmd->arena, w[i]);
    v[s->naliases] = NULL;
    s->aliases = v;
    return NULL;
}

CORE_HANDLER(core_set_server_admin)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_LOC_FILE);
    if (err)
        return err;
    cmd->server->server_admin = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

CORE_HANDLER(core_set_document_root)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    const char *path = conf_server_root_relative(cmd, argv[0]);
    const conf_options *o = conf_walk_options(cmd);
    size_t len = strlen(path);
    if (len > 1 && path[len - 1] == '/')
        path = arena_strndup(cmd->arena, path, len - 1);
    cmd->server->document_root = path;
    if (o && o->skip_docroot_check)
        return NULL;
    if (conf_is_directory(cmd, path))
        return NULL;
    if (cmd->server->is_virtual) {
        struct diag d = {
            .severity = DIAG_WARNING,
            .phase = DIAG_GLOBAL,
            .file = cmd->node->file,
            .line = cmd->node->line,
            .col = cmd->node->col,
            .rule = "vhost-docroot-missing",
            .module = "core",
            .message = arena_printf(cmd->temp,
                                    "AH00112: Warning: DocumentRoot [%s] "
                                    "does not exist",
                                    path),
        };
        diag_emit(cmd->diag, &d);
        return NULL;
    }
    return arena_printf(cmd->temp,
                        "DocumentRoot '%s' is not a directory, or is not "
                        "readable",
                        path);
}

CORE_HANDLER(core_set_error_log)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    cmd->server->error_log = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

/* ErrorLogFormat FORMAT | request FORMAT | connection FORMAT: the once-
 * per-request and once-per-connection lines add up, in order. */
CORE_HANDLER(core_set_error_log_format)
{
    (void)mconfig;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    if (argv[0][0] == '\0')
        return "ErrorLogFormat takes 1-2 arguments, Format string for the "
               "ErrorLog";
    log_errfmt *f = NULL;
    if (argc < 2 || argv[1][0] == '\0') {
        err = log_errfmt_compile(cmd->arena, argv[0], LOG_ERRFMT_MAIN, &f);
        if (err == NULL)
            cmd->server->error_format = f;
        return err;
    }
    const log_errfmt **list;
    enum log_errfmt_kind kind;
    if (strcasecmp(argv[0], "request") == 0) {
        list = &cmd->server->error_format_request;
        kind = LOG_ERRFMT_REQUEST;
    } else if (strcasecmp(argv[0], "connection") == 0) {
        list = &cmd->server->error_format_conn;
        kind = LOG_ERRFMT_CONN;
    } else {
        return "ErrorLogFormat type must be one of request, connection";
    }
    err = log_errfmt_compile(cmd->arena, argv[1], kind, &f);
    if (err == NULL)
        *list = log_errfmt_append(cmd->arena, *list, f);
    return err;
}

static const char *const level_names[] = {
    "emerg",  "alert",  "crit",   "error",  "warn",   "notice",
    "info",   "debug",  "trace1", "trace2", "trace3", "trace4",
    "trace5", "trace6", "trace7", "trace8", NULL,
};

int core_parse_level(const char *s)
{
    for (int i = 0; level_names[i] != NULL; i++)
        if (strcasecmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

/* The name a LogLevel MODULE:LEVEL pair logs under ("authz_core"), or
 * NULL: as apache2, a module is named by its name with or without
 * "_module", or by its source file ("mod_authz_core.c", "core.c",
 * "http_core.c"); mod_watchdog, which apache2 links in and httpd-ng has
 * no use for, is known too (it never logs here). */
static const char *module_short_name(const resolved_config *rc, arena *a,
                                     const char *name)
{
    const module *m;
    size_t n = strlen(name);
    for (int i = 0; (m = conf_module_nth(rc, i)) != NULL; i++) {
        const char *full = m->name;
        size_t fn = strlen(full);
        if (strcmp(full, name) == 0 ||
            (strncmp(full, name, n) == 0 && strcmp(full + n, "_module") == 0) ||
            (m->file != NULL && strcmp(m->file, name) == 0))
            return arena_strndup(
                a, full,
                fn > 7 && strcmp(full + fn - 7, "_module") == 0 ? fn - 7 : fn);
    }
    if (strcmp(name, "watchdog") == 0 || strcmp(name, "watchdog_module") == 0 ||
        strcmp(name, "mod_watchdog.c") == 0)
        return "watchdog";
    return NULL;
}

#define LEVEL_ERR                                                              \
    "Log level keyword must be one of emerg/alert/crit/error/"                 \
    "warn/notice/info/debug/trace1/.../trace8"

/* A level resets the MODULE:LEVEL pairs given before it in the same scope
 * (apache2: "LogLevel core:info warn" logs core at warn); in a section the
 * values go to the section, checked when a request logs. */
CORE_HANDLER(core_set_log_level)
{
    if (argc == 0)
        return "LogLevel requires at least one argument, Level of verbosity "
               "in error logging";
    core_dir_conf *d = cmd->path ? mconfig : NULL;
    int *level = d ? &d->log_level : &cmd->server->log_level;
    module_log_level **pairs =
        d ? &d->module_levels : &cmd->server->module_levels;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *colon = strchr(a, ':');
        if (colon == NULL) {
            int lv = core_parse_level(a);
            if (lv < 0)
                return LEVEL_ERR;
            *level = lv;
            *pairs = NULL;
            continue;
        }
        char *mod = arena_strndup(cmd->temp, a, (size_t)(colon - a));
        if (colon[1] == '\0')
            return arena_printf(cmd->temp,
                                "Module specifier '%s' must be "
                                "followed by a log level keyword",
                                mod);
        int lv = core_parse_level(colon + 1);
        if (lv < 0)
            return arena_printf(cmd->temp, "%s: " LEVEL_ERR, a);
        const char *name = module_short_name(cmd->rc, cmd->arena, mod);
        if (name == NULL)
            return arena_printf(cmd->temp, "Cannot find module %s", mod);
        module_log_level *m = arena_calloc(cmd->arena, sizeof(*m));
        m->module = name;
        m->level = lv;
        m->next = *pairs;
        *pairs = m;
    }
    return NULL;
}

CORE_HANDLER(core_set_timeout)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    /* Apache takes atoi()'s seconds; keep the milliseconds in range */
    long long sec = strtoll(argv[0], NULL, 10);
    if (sec > 0x7fffffff / 1000)
        sec = 0x7fffffff / 1000;
    if (sec < 0)
        sec = 0;
    cmd->server->timeout_ms = (int)(sec * 1000);
    return NULL;
}

/* Integer and FLAG directives that only store a value, through the
 * command's offset: into the server (main or <VirtualHost>) ... */
static int *server_slot(cmd_parms *cmd)
{
    return (int *)((char *)cmd->server + cmd->cmd->offset);
}

static int int_or_flag(cmd_parms *cmd, const char *arg)
{
    return cmd->cmd->args_how == FLAG ? cmd->flag : atoi(arg);
}

/* KeepAlive, MaxKeepAliveRequests */
CORE_HANDLER(core_set_server_int)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    *server_slot(cmd) = int_or_flag(cmd, argv[0]);
    return NULL;
}

/* LimitRequestFields, LimitRequestFieldsize, LimitRequestLine: not
 * negative; the first says what 0 means, as Apache's message does. */
CORE_HANDLER(core_set_server_limit)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    int v = atoi(argv[0]);
    if (v < 0)
        return arena_printf(
            cmd->temp, "%s \"%s\" must be a non-negative integer%s",
            cmd->cmd->name, argv[0],
            cmd->cmd->offset == offsetof(server_conf, limit_req_fields)
                ? " (0 = no limit)"
                : "");
    *server_slot(cmd) = v;
    return NULL;
}

/* ... or into the whole configuration: MaxConnectionsPerChild,
 * GracefulShutdownTimeout, and ExtendedStatus and SeeRequestTail (core
 * directives in Apache 2.4; mod_status only reads them). */
CORE_HANDLER(core_set_global_int)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    *(int *)((char *)cmd->rc + cmd->cmd->offset) = int_or_flag(cmd, argv[0]);
    return NULL;
}

/* Apache's ap_timeout_parameter_parse: N with an optional unit. */
static int parse_timeout_ms(const char *s, long long *ms)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || v < 0)
        return -1;
    switch (*end) {
    case '\0':
    case 's':
        *ms = v * 1000;
        return 0;
    case 'h':
        *ms = v * 3600000;
        return 0;
    case 'm':
        if (end[1] == 's') {
            *ms = v;
            return 0;
        }
        if (end[1] == 'i') {
            *ms = v * 60000;
            return 0;
        }
        return -1;
    default:
        return -1;
    }
}

CORE_HANDLER(core_set_keepalive_timeout)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    long long ms;
    if (parse_timeout_ms(argv[0], &ms) != 0)
        return "KeepAliveTimeout has wrong format";
    cmd->server->keepalive_timeout_ms = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
    return NULL;
}

static const char *fatal_global(cmd_parms *cmd, const char *rule,
                                const char *msg)
{
    const conf_node *n = cmd->node;
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_GLOBAL,
        .file = n->file,
        .line = n->line,
        .col = n->col,
        .rule = rule,
        .module = "core",
        .message = msg,
    };
    diag_emit(cmd->diag, &d);
    return conf_walk_reported;
}

CORE_HANDLER(core_set_user)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    const char *name = argv[0];
    cmd->rc->user = arena_strdup(cmd->arena, name);
    if (name[0] == '#') {
        cmd->rc->uid = (uid_t)atol(name + 1);
    } else {
        struct passwd *pw = getpwnam(name);
        if (pw == NULL)
            return fatal_global(cmd, "bad-user",
                                arena_printf(cmd->temp,
                                             "AH00543: %s: bad user name %s",
                                             cmd->rc->argv0, name));
        cmd->rc->uid = pw->pw_uid;
    }
    if (cmd->rc->uid == 0)
        /* Apache's text (its error log shows the escapes) */
        return "Error:\tApache has not been designed to serve pages while"
               "\n\trunning as root.  There are known race conditions "
               "that\n\twill allow any local user to read any file on "
               "the system.\n\tIf you still desire to serve pages as "
               "root then\n\tadd -DBIG_SECURITY_HOLE to the CFLAGS env "
               "variable\n\tand then rebuild the server.\n\tIt is "
               "strongly suggested that you instead modify the User\n\t"
               "directive in your httpd.conf file to list a non-root\n\t"
               "user.\n";
    return NULL;
}

CORE_HANDLER(core_set_group)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    const char *name = argv[0];
    cmd->rc->group = arena_strdup(cmd->arena, name);
    if (name[0] == '#') {
        cmd->rc->gid = (gid_t)atol(name + 1);
        return NULL;
    }
    struct group *gr = getgrnam(name);
    if (gr == NULL)
        return fatal_global(cmd, "bad-group",
                            arena_printf(cmd->temp,
                                         "AH00544: %s: bad group name %s",
                                         cmd->rc->argv0, name));
    cmd->rc->gid = gr->gr_gid;
    return NULL;
}

CORE_HANDLER(core_set_server_tokens)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    const char *a = argv[0];
    int v;
    if (!strcasecmp(a, "OS"))
        v = SERVER_TOKENS_OS;
    else if (!strcasecmp(a, "Min") || !strcasecmp(a, "Minimal"))
        v = SERVER_TOKENS_MIN;
    else if (!strcasecmp(a, "Major"))
        v = SERVER_TOKENS_MAJOR;
    else if (!strcasecmp(a, "Minor"))
        v = SERVER_TOKENS_MINOR;
    else if (!strcasecmp(a, "Prod") || !strcasecmp(a, "ProductOnly"))
        v = SERVER_TOKENS_PROD;
    else if (!strcasecmp(a, "Full"))
        v = SERVER_TOKENS_FULL;
    else
        return "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', "
               "'Minor', 'Min(imal)', 'OS', or 'Full'";
    cmd->rc->server_tokens = v;
    return NULL;
}

CORE_HANDLER(core_set_trace_enable)
{
    (void)mconfig;
    (void)argc;
    const char *a = argv[0];
    int v;
    if (!strcasecmp(a, "on"))
        v = 1;
    else if (!strcasecmp(a, "off"))
        v = 0;
    else if (!strcasecmp(a, "extended"))
        v = 2;
    else
        return "TraceEnable must be one of 'on', 'off', or 'extended'";
    cmd->server->trace_enable = (unsigned char)(v + 1);
    if (!cmd->server->is_virtual)
        cmd->rc->trace_enable = v;
    return NULL;
}

CORE_HANDLER(core_set_access_name)
{
    (void)mconfig;
    (void)argc;
    char **w;
    int n = core_words(cmd, argv[0], &w);
    if (n > 0 && !cmd->server->is_virtual)
        cmd->rc->access_file_name = arena_strdup(cmd->arena, w[0]);
    return NULL;
}

/* Apache's set_http_protocol_options(): each word sets a bit; both bits
 * of one pair (in one server, across lines too) is an error. */
CORE_HANDLER(core_set_http_protocol_options)
{
    (void)mconfig;
    const char *err = ctx(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    server_conf *s = cmd->server;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcasecmp(a, "allow0.9"))
            s->http09 |= HTTP09_ALLOW;
        else if (!strcasecmp(a, "require1.0"))
            s->http09 |= HTTP09_REQUIRE10;
        else if (!strcasecmp(a, "strict"))
            s->http_conformance |= HTTP_CONF_STRICT;
        else if (!strcasecmp(a, "unsafe"))
            s->http_conformance |= HTTP_CONF_UNSAFE;
        else if (!strcasecmp(a, "registeredmethods"))
            s->http_methods |= HTTP_METHODS_REGISTERED;
        else if (!strcasecmp(a, "lenientmethods"))
            s->http_methods |= HTTP_METHODS_LENIENT;
        else
            return "HttpProtocolOptions accepts 'Unsafe' or 'Strict' "
                   "(default), "
                   "'RegisteredMethods' or 'LenientMethods' (default), and "
                   "'Require1.0' or 'Allow0.9' (default)";
        if (s->http09 == (HTTP09_ALLOW | HTTP09_REQUIRE10))
            return "HttpProtocolOptions 'Allow0.9' and 'Require1.0' are "
                   "mutually exclusive";
        if (s->http_conformance == (HTTP_CONF_STRICT | HTTP_CONF_UNSAFE))
            return "HttpProtocolOptions 'Strict' and 'Unsafe' are mutually "
                   "exclusive";
        if (s->http_methods == (HTTP_METHODS_LENIENT | HTTP_METHODS_REGISTERED))
            return "HttpProtocolOptions 'RegisteredMethods' and "
                   "'LenientMethods' are "
                   "mutually exclusive";
    }
    return NULL;
}

/* ScoreBoardFile, MaxMemFree, ThreadStackSize, ListenCoresBucketsRatio:
 * accepted and checked as Apache does, not used. */
CORE_HANDLER(core_set_global_ignored)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    const char *name = cmd->cmd->name;
    if (!strcasecmp(name, "MaxMemFree")) {
        char *end;
        long v = strtol(argv[0], &end, 10);
        if (v < 0)
            return arena_printf(cmd->temp, "Invalid MaxMemFree value: %s",
                                argv[0]);
    } else if (!strcasecmp(name, "ListenCoresBucketsRatio")) {
        if (atoi(argv[0]) < 0)
            return "ListenCoresBucketsRatio must be > 0";
    }
    return NULL;
}

CORE_HANDLER(core_set_buffer_size)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    int v = atoi(argv[0]);
    if (v < 512 && v != 0)
        return arena_printf(cmd->temp,
                            "%s must be >= 512 bytes, or 0 for "
                            "system default.",
                            cmd->cmd->name);
    return NULL;
}

CORE_HANDLER(core_set_coredump_dir)
{
    (void)mconfig;
    (void)argc;
    const char *err = ctx(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    const char *dir = conf_server_root_relative(cmd, argv[0]);
    struct stat st;
    if (stat(dir, &st) != 0)
        return arena_printf(cmd->temp, "CoreDumpDirectory %s does not exist",
                            dir);
    if (!S_ISDIR(st.st_mode))
        return arena_printf(cmd->temp,
                            "CoreDumpDirectory %s is not a "
                            "directory",
                            dir);
    return NULL;
}
