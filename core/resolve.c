/* resolve.c -- the configuration pipeline: read, MPM rule, walk, checks.
 *
 * conf_load() builds one generation in its own arena:
 *   1. read phase (Include, Define, If*, LoadModule) -> one tree;
 *   2. (EXEC_ON_READ directives of the module tables, DefaultRuntimeDir,
 *      run during the read phase, in document order, as Apache's do);
 *   3. the MPM rule (AH00534), after reading and before the walk, so a
 *      read-time error wins and an invalid directive does not;
 *   4. the walk through the directive tables;
 *   5. defaults, vhost inheritance, section order (Apache's merge order);
 *   6. checks in Apache's order: the error-log directories (core's
 *      check_config runs first), the MPM's check_config, each module's
 *      post_config.
 * Any error: the arena is dropped and NULL returned.
 */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_int.h"
#include "log.h"
#include "mpm.h"
#include "readphase.h"

#define DEFAULT_TIMEOUT_MS 60000
#define DEFAULT_KEEPALIVE_TIMEOUT_MS 5000
#define DEFAULT_MAX_KEEPALIVE 100
#define DEFAULT_LIMIT_LINE 8190
#define DEFAULT_LIMIT_FIELDSIZE 8190
#define DEFAULT_LIMIT_FIELDS 100
#define DEFAULT_LISTEN_BACKLOG 511
#define DEFAULT_LIMIT_BODY (1024LL * 1024 * 1024)

static void global_defaults(resolved_config *rc)
{
    rc->server_tokens = SERVER_TOKENS_FULL;
    rc->trace_enable = 1;
    rc->extended_status = -1; /* mod_status decides */
    rc->listen_backlog = DEFAULT_LISTEN_BACKLOG;
    rc->uid = (uid_t)-1;
    rc->gid = (gid_t)-1;
}

static const char *root_path(resolved_config *rc, const char *base,
                             const char *p)
{
    cmd_parms tmp = {.arena = rc->arena, .rc = rc};
    if (p[0] == '/' || base == NULL)
        return conf_server_root_relative(&tmp, p);
    return conf_server_root_relative(
        &tmp, arena_strcat(rc->arena, base, "/", p, (char *)NULL));
}

/* ---- ordering --------------------------------------------------------- */

static section_conf *reverse(section_conf *s)
{
    section_conf *out = NULL;
    while (s) {
        section_conf *next = s->next;
        s->next = out;
        out = s;
        s = next;
    }
    return out;
}

static void number(section_conf *s, int *order)
{
    for (; s; s = s->next) {
        s->order = (*order)++;
        core_dir_conf *d = core_dir(s->module_config);
        if (d && d->file_sections) {
            d->file_sections = reverse(d->file_sections);
            number(d->file_sections, order);
        }
    }
}

static int dir_cmp(const void *pa, const void *pb)
{
    const section_conf *a = *(section_conf *const *)pa;
    const section_conf *b = *(section_conf *const *)pb;
    if (a->is_regex != b->is_regex)
        return a->is_regex ? 1 : -1;
    if (a->depth != b->depth)
        return a->depth < b->depth ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Apache's core_reorder_directories: non-regex first, fewer components
 * first, then configuration order. */
static section_conf *sort_dirs(arena *a, section_conf *list)
{
    int n = 0;
    for (section_conf *s = list; s; s = s->next)
        n++;
    if (n < 2)
        return list;
    section_conf **v = arena_alloc(a, sizeof(*v) * n);
    n = 0;
    for (section_conf *s = list; s; s = s->next)
        v[n++] = s;
    qsort(v, n, sizeof(*v), dir_cmp);
    for (int i = 0; i < n - 1; i++)
        v[i]->next = v[i + 1];
    v[n - 1]->next = NULL;
    return v[0];
}

/* base's sections (copied) followed by add's. */
static section_conf *concat(arena *a, const section_conf *base,
                            section_conf *add)
{
    section_conf *head = NULL, **tail = &head;
    for (const section_conf *s = base; s; s = s->next) {
        section_conf *c = (section_conf *)arena_memdup(a, s, sizeof(*s));
        *tail = c;
        tail = &c->next;
    }
    *tail = add;
    return head;
}

/* ---- defaults and inheritance ------------------------------------------ */

#define DEFAULT(field, value)                                                  \
    if (s->field == UNSET)                                                     \
    s->field = (value)
#define INHERIT(field)                                                         \
    if (v->field == UNSET)                                                     \
    v->field = m->field

static const char *local_host_name(resolved_config *rc, diag_sink *diag)
{
    char host[256];
    if (gethostname(host, sizeof(host)) != 0)
        host[0] = '\0';
    host[sizeof(host) - 1] = '\0';
    struct addrinfo hints = {.ai_flags = AI_CANONNAME}, *res = NULL;
    const char *use = "127.0.0.1";
    if (host[0] && getaddrinfo(host, NULL, &hints, &res) == 0 && res) {
        if (res->ai_canonname && strchr(res->ai_canonname, '.')) {
            const char *fqdn = arena_strdup(rc->arena, res->ai_canonname);
            freeaddrinfo(res);
            return fqdn;
        }
    }
    if (res)
        freeaddrinfo(res);
    struct diag d = {
        .severity = DIAG_WARNING,
        .phase = DIAG_GLOBAL,
        .rule = "servername-derived",
        .module = "core",
        .message = arena_printf(rc->arena,
                                "AH00558: %s: Could not reliably determine "
                                "the server's fully qualified domain name, "
                                "using %s. Set the 'ServerName' directive "
                                "globally to suppress this message",
                                rc->argv0, use),
    };
    diag_emit(diag, &d);
    return use;
}

static void main_defaults(resolved_config *rc, diag_sink *diag)
{
    server_conf *s = rc->main_server;
    DEFAULT(log_level, APLOG_WARNING);
    DEFAULT(timeout_ms, DEFAULT_TIMEOUT_MS);
    DEFAULT(keep_alive, 1);
    DEFAULT(max_keepalive_requests, DEFAULT_MAX_KEEPALIVE);
    DEFAULT(keepalive_timeout_ms, DEFAULT_KEEPALIVE_TIMEOUT_MS);
    DEFAULT(limit_req_line, DEFAULT_LIMIT_LINE);
    DEFAULT(limit_req_fieldsize, DEFAULT_LIMIT_FIELDSIZE);
    DEFAULT(limit_req_fields, DEFAULT_LIMIT_FIELDS);
    if (s->server_scheme == NULL)
        s->server_scheme = "http";
    if (s->error_log == NULL)
        s->error_log = "logs/error_log";
    if (s->document_root == NULL)
        s->document_root = root_path(rc, NULL, "htdocs");
    if (s->server_name == NULL)
        s->server_name = local_host_name(rc, diag);
    if (rc->access_file_name == NULL)
        rc->access_file_name = ".htaccess";
    const char *pid = rc->pid_file ? rc->pid_file : "logs/httpd.pid";
    rc->pid_file =
        root_path(rc, pid[0] == '/' ? NULL : rc->default_runtime_dir, pid);
    core_dir_conf *d = core_dir(s->lookup_defaults);
    if (d->override == UNSET) /* Apache's built-in default: the access
                               * file is read, nothing is allowed in it */
        d->override = OR_UNSET;
    if (d->enable_sendfile == UNSET)
        d->enable_sendfile = 0;
    if (d->enable_mmap == UNSET)
        d->enable_mmap = 1;
    if (d->limit_req_body == UNSET)
        d->limit_req_body = DEFAULT_LIMIT_BODY;
    if (d->server_signature == UNSET)
        d->server_signature = 0;
    if (d->use_canonical_name == UNSET)
        d->use_canonical_name = 0;
    if (d->hostname_lookups == UNSET)
        d->hostname_lookups = 0;
    if (d->options & OPT_UNSET)
        d->options &= ~OPT_UNSET;
}

static void inherit_vhost(resolved_config *rc, server_conf *v)
{
    const server_conf *m = rc->main_server;
    arena *a = rc->arena;
    /* a vhost's LogLevel level drops the main server's MODULE:LEVEL pairs */
    if (v->log_level == UNSET)
        v->module_levels =
            log_levels_concat(a, v->module_levels, m->module_levels);
    INHERIT(log_level);
    INHERIT(timeout_ms);
    INHERIT(keep_alive);
    INHERIT(max_keepalive_requests);
    INHERIT(keepalive_timeout_ms);
    INHERIT(limit_req_line);
    INHERIT(limit_req_fieldsize);
    INHERIT(limit_req_fields);
    if (v->http_conformance == 0)
        v->http_conformance = m->http_conformance;
    if (v->http_methods == 0)
        v->http_methods = m->http_methods;
    if (v->http09 == 0)
        v->http09 = m->http09;
    if (v->server_admin == NULL)
        v->server_admin = m->server_admin;
    /* a vhost without ServerName on * or _default_ takes the main
     * server's (Apache's ap_fini_vhost_config): %v, the signature and
     * name-based matching use it, and the port of its address */
    for (const vhost_addr *va = v->addrs; va && v->server_name == NULL;
         va = va->next)
        if (strcmp(va->host, "*") == 0 ||
            strcasecmp(va->host, "_default_") == 0) {
            v->server_name = m->server_name;
            if (v->port == 0)
                v->port = va->port;
        }
    if (v->error_log == NULL)
        v->error_log = m->error_log;
    if (v->document_root == NULL)
        v->document_root = m->document_root;
    if (v->server_scheme == NULL)
        v->server_scheme = m->server_scheme;
    if (v->error_format == NULL)
        v->error_format = m->error_format;
    if (v->error_format_request == NULL)
        v->error_format_request = m->error_format_request;
    if (v->error_format_conn == NULL)
        v->error_format_conn = m->error_format_conn;
    if (v->port == 0)
        v->port = m->port;
    if (v->module_config == NULL)
        v->module_config = m->module_config;
    else
        conf_merge_server_configs_into(a, m->module_config, v->module_config);
    conf_merge_dir_configs_into(a, m->lookup_defaults, v->lookup_defaults);
    v->dir_sections = sort_dirs(a, concat(a, m->dir_sections, v->dir_sections));
    v->file_sections = concat(a, m->file_sections, v->file_sections);
    v->loc_sections = concat(a, m->loc_sections, v->loc_sections);
}

static void order_server(server_conf *s, int *order)
{
    s->dir_sections = reverse(s->dir_sections);
    s->file_sections = reverse(s->file_sections);
    s->loc_sections = reverse(s->loc_sections);
    number(s->dir_sections, order);
    number(s->file_sections, order);
    number(s->loc_sections, order);
}

static void finalize(resolved_config *rc, diag_sink *diag)
{
    int order = 0;
    /* vhosts were prepended during the walk */
    server_conf *out = NULL;
    for (server_conf *v = rc->vhosts; v;) {
        server_conf *next = v->next;
        v->next = out;
        out = v;
        v = next;
    }
    rc->vhosts = out;
    rc->main_server->next = rc->vhosts;
    order_server(rc->main_server, &order);
    for (server_conf *v = rc->vhosts; v; v = v->next)
        order_server(v, &order);
    rc->main_server->dir_sections =
        sort_dirs(rc->arena, rc->main_server->dir_sections);
    main_defaults(rc, diag);
    for (server_conf *v = rc->vhosts; v; v = v->next)
        inherit_vhost(rc, v);
}

/* ---- checks ------------------------------------------------------------- */

/* Apache's check_errorlog_dir(): the directory of each file ErrorLog must
 * exist (pipes and syslog are not checked).  Returns NULL or the line. */
static const char *error_log_problem(resolved_config *rc, const server_conf *s,
                                     const char **last_ok)
{
    const char *log = s->error_log;
    if (log == NULL || log[0] == '|' || strncmp(log, "syslog", 6) == 0)
        return NULL;
    const char *path = root_path(rc, NULL, log);
    const char *slash = strrchr(path, '/');
    const char *dir =
        arena_strndup(rc->arena, path, (size_t)(slash - path + 1));
    if (*last_ok && strcmp(*last_ok, dir) == 0)
        return NULL; /* thousands of vhosts often log to one directory */
    struct stat st;
    errno = 0;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        *last_ok = dir;
        return NULL;
    }
    int err = errno ? errno : ENOTDIR;
    const char *what = s->is_virtual
                           ? arena_printf(rc->arena,
                                          "error log of vhost defined "
                                          "at %s:%d",
                                          s->defn_file, s->defn_line)
                           : "main error log";
    return arena_printf(rc->arena,
                        "(%d)%s: AH02291: Cannot access directory "
                        "'%s' for %s",
                        err, strerror(err), dir, what);
}

/* Every server's log is checked, then one "Configuration check failed". */
static int check_error_logs(resolved_config *rc, diag_sink *diag)
{
    /* Apache keeps its vhosts newest first: that is the order it checks */
    const char *last_ok = NULL;
    const char *msg = error_log_problem(rc, rc->main_server, &last_ok);
    const char *vmsg = NULL;
    for (server_conf *v = rc->vhosts; v; v = v->next) {
        if (v->error_log == rc->main_server->error_log)
            continue;
        const char *m = error_log_problem(rc, v, &last_ok);
        if (m)
            vmsg =
                vmsg ? arena_strcat(rc->arena, m, "\n", vmsg, (char *)NULL) : m;
    }
    if (vmsg)
        msg =
            msg ? arena_strcat(rc->arena, msg, "\n", vmsg, (char *)NULL) : vmsg;
    if (msg == NULL)
        return 0;
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_GLOBAL,
        .rule = "error-log-dir",
        .module = "core",
        .message =
            arena_strcat(rc->arena, msg,
                         "\nAH00014: Configuration check failed", (char *)NULL),
    };
    diag_emit(diag, &d);
    return -1;
}

static int run_checks(resolved_config *rc, diag_sink *diag)
{
    if (check_error_logs(rc, diag) != 0)
        return -1;
    if (rc->mpm && rc->mpm->check_config && rc->mpm->check_config(rc, diag))
        return -1;
    const module *m;
    for (int i = 0; (m = conf_module_nth(rc, i)) != NULL; i++) {
        if (m->post_config && m->post_config(rc, diag) != 0 &&
            diag_should_stop(diag))
            return -1;
    }
    return 0;
}

int conf_open_logs(resolved_config *rc, const char **startup)
{
    const module *m;
    *startup = NULL;
    for (int i = 0; (m = conf_module_nth(rc, i)) != NULL; i++)
        if (m->open_logs && m->open_logs(rc, startup) != 0)
            return -1;
    return 0;
}

/* ---- the pipeline ------------------------------------------------------- */

/* Stop here?  Without a sink every error stops. */
static int stop(const diag_sink *diag, int r)
{
    return r != 0 && (diag == NULL || diag_should_stop(diag));
}

static resolved_config *fail(resolved_config *rc)
{
    arena_destroy(rc->arena);
    return NULL;
}

resolved_config *conf_load(const conf_options *opts, diag_sink *diag)
{
    conf_modules_init();
    /* big blocks: a configuration is one long run of small allocations */
    arena *a = arena_create(2 << 20);
    resolved_config *rc = arena_calloc(a, sizeof(*rc));
    rc->arena = a;
    rc->generation = opts->generation;
    rc->serial = conf_merge_cache_serial();
    rc->argv0 = opts->argv0 ? opts->argv0 : "httpd";
    int errors0 = diag ? diag->errors : 0;
    global_defaults(rc);

    conf_node *root = conf_read(rc, opts, diag);
    if (root == NULL || diag_should_stop(diag))
        return fail(rc);
    int mpm_bad = conf_check_mpm_count(rc, diag);
    if (stop(diag, mpm_bad) || (mpm_bad && rc->mpm == NULL))
        return fail(rc);
    if (rc->mpm != NULL)
        rc->mpm->module->index = MODULE_MPM_SLOT;

    rc->main_server = core_server_new(rc, 0);
    rc->main_server->defn_file = rc->conf_file;
    if (stop(diag, conf_walk(rc, opts, root, diag)))
        return fail(rc);
    finalize(rc, diag);
    if (stop(diag, run_checks(rc, diag)))
        return fail(rc);
    if (diag && diag->errors > errors0)
        return fail(rc);
    return rc;
}

void conf_release(resolved_config *rc)
{
    if (rc) {
        conf_merge_cache_release(rc);
        arena_destroy(rc->arena);
    }
}
