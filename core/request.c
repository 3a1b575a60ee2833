/* request.c -- the fixed hook sequence for one request, the per-directory
 * walk, internal redirects, sub-requests and ErrorDocument; see request.h
 * for the order and the meaning of the hook results. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "expr.h"
#include "http_internal.h"
#include "log.h"
#include "readphase.h"
#include "registry.h"
#include "scoreboard.h"

#define MAX_REDIRECTS 10

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

request *request_new(arena *a, http_conn *c)
{
    request *r = arena_calloc(a, sizeof(*r));
    r->arena = a;
    r->connection = &c->info;
    r->rc = c->rc;
    /* as Apache: the connection's base server (the first vhost of its
     * address) until the Host header picks one; a request refused before
     * that is answered and logged by it */
    r->server = c->base ? (server_conf *)c->base : c->rc->main_server;
    r->engine = c;
    r->status = 200;
    r->used_path_info = -1;
    r->path_info = "";
    r->request_time_us = now_us();
    r->method = "GET";
    r->protocol = "HTTP/1.1";
    r->proto_num = 1001;
    r->keepalive = 1;
    r->log_lines_before = c->info.log_lines;
    return r;
}

void **request_server_dir_config(const request *r)
{
    return r->server ? r->server->lookup_defaults : NULL;
}

core_dir_conf *request_core_dir(request *r)
{
    void **cfg =
        r->per_dir_config ? r->per_dir_config : request_server_dir_config(r);
    return cfg ? core_dir(cfg) : NULL;
}

request *request_final(request *r)
{
    while (r->next != NULL)
        r = r->next;
    return r;
}

/* ---- helpers for modules ---------------------------------------------- */

void request_set_header(request *r, const char *name, const char *value)
{
    req_table_set(r->arena, &r->headers_out, name, value);
}

const char *request_get_header(const request *r, const char *name)
{
    return req_table_get(&r->headers_in, name);
}

void request_set_content_type(request *r, const char *type)
{
    r->content_type = type ? arena_strdup(r->arena, type) : NULL;
}

int request_write(request *r, const void *buf, size_t len)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return -1;
    http_output *o = &c->out;
    if (o->mem_len + len > o->mem_cap) {
        size_t cap = o->mem_cap ? o->mem_cap * 2 : 4096;
        while (cap < o->mem_len + len)
            cap *= 2;
        char *m = arena_alloc(r->arena, cap);
        if (o->mem_len)
            memcpy(m, o->mem, o->mem_len);
        o->mem = m;
        o->mem_cap = cap;
    }
    memcpy(o->mem + o->mem_len, buf, len);
    o->mem_len += len;
    r->bytes_sent += (int64_t)len;
    return 0;
}

int request_puts(request *r, const char *s)
{
    return request_write(r, s, strlen(s));
}

int request_printf(request *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(r->arena, fmt, ap);
    va_end(ap);
    return request_puts(r, s);
}

int request_send_file(request *r, int fd, int64_t offset, int64_t len)
{
    http_conn *c = r->engine;
    if (c == NULL)
        return -1;
    c->out.file_fd = fd;
    c->out.file_off = offset;
    c->out.file_len = len;
    return 0;
}

/* ---- virtual host selection -------------------------------------------- */

static int addr_matches(const vhost_addr *a, const conn_info *ci, int exact)
{
    if (a->port != 0 && a->port != ci->local_port)
        return 0;
    int wild =
        strcmp(a->host, "*") == 0 || strcasecmp(a->host, "_default_") == 0;
    if (exact)
        return !wild && strcmp(a->host, ci->local_ip) == 0;
    return wild;
}

static int name_matches(const server_conf *s, const char *host)
{
    if (host == NULL)
        return 0;
    if (s->server_name && strcasecmp(s->server_name, host) == 0)
        return 1;
    for (int i = 0; i < s->naliases; i++)
        if (fnmatch(s->aliases[i], host, FNM_CASEFOLD) == 0)
            return 1;
    return 0;
}

const server_conf *request_base_server(const resolved_config *rc,
                                       const conn_info *ci)
{
    for (int exact = 1; exact >= 0; exact--)
        for (const server_conf *v = rc->vhosts; v; v = v->next)
            for (const vhost_addr *a = v->addrs; a; a = a->next)
                if (addr_matches(a, ci, exact))
                    return v;
    return rc->main_server;
}

/* Apache's rule: the vhosts listening on the connection's exact address
 * win over wildcard ones; among them the first whose name matches Host,
 * else the first of them; with none, the main server. */
static void select_vhost(request *r)
{
    server_conf *first = NULL;
    for (int exact = 1; exact >= 0 && first == NULL; exact--) {
        for (server_conf *v = r->rc->vhosts; v; v = v->next) {
            int match = 0;
            for (const vhost_addr *a = v->addrs; a && !match; a = a->next)
                match = addr_matches(a, r->connection, exact);
            if (!match)
                continue;
            if (first == NULL)
                first = v;
            if (name_matches(v, r->hostname)) {
                r->server = v;
                return;
            }
        }
    }
    r->server = first ? first : r->rc->main_server;
}

/* ---- the per-directory walk ---------------------------------------------- */

/* shaky: base or add is (or comes from) an access file's configuration,
 * which lives in the request's arena; otherwise both are the
 * configuration's own or earlier merges of them, and the merge comes from
 * the thread's cache (conf_merge_dir_configs_cached). */
static void **merge(request *r, void **base, void **add, int shaky)
{
    if (add == NULL)
        return base;
    if (base == NULL)
        return add;
    if (shaky)
        return conf_merge_dir_configs(r->arena, base, add);
    return conf_merge_dir_configs_cached(r->rc, r->arena, base, add);
}

/* Does a non-regex <Directory> path (ending in '/') cover dir (ending
 * in '/')?  Component-wise prefix, with wildcards per component. */
static int dir_prefix_matches(const char *pattern, const char *dir)
{
    size_t plen = strlen(pattern);
    if (strpbrk(pattern, "*?[") == NULL)
        return strncmp(pattern, dir, plen) == 0;
    /* cut dir after as many '/' as pattern has */
    int slashes = 0;
    for (const char *p = pattern; *p; p++)
        slashes += *p == '/';
    const char *d = dir;
    int seen = 0;
    while (*d && seen < slashes)
        seen += *d++ == '/';
    if (seen < slashes)
        return 0;
    char buf[4096];
    size_t n = (size_t)(d - dir);
    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, dir, n);
    buf[n] = '\0';
    return fnmatch(pattern, buf, FNM_PATHNAME) == 0;
}

static int regex_matches(const section_conf *s, const char *subject)
{
    return s->regex && conf_regexec(s->regex, subject, 0, NULL, 0) == 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- grouping ----------------------------------------------------------
 *
 * Each of Apache's walks (directory, file, location, if) merges the
 * sections it matches among themselves first, the first one's own
 * configuration being where that starts, and only then merges the result
 * onto what came before (the server's defaults for the directory walk).
 * For a merge that is not "the inner value wins" this matters: two
 * sections with "IndexOptions +X" each make a set of options that
 * replaces the server's. */
typedef struct walk_group {
    request *r;
    void **now; /* the sections merged so far, or NULL */
    int shaky;  /* an access file's (or its sections') took part */
} walk_group;

/* The options and overrides the directory walk runs with (Apache's
 * core_opts_merge): the server's, then each section and access file in
 * turn, whatever the grouping. */
typedef struct walk_opts {
    int options, opts_add, opts_remove;
    int override, override_opts;
    const char *const *override_list;
} walk_opts;

static void opts_init(walk_opts *o, void **defaults)
{
    const core_dir_conf *d = defaults ? core_dir(defaults) : NULL;
    memset(o, 0, sizeof(*o));
    o->options = d ? d->options : OPT_SYM_LINKS;
    o->opts_add = d ? d->opts_add : 0;
    o->opts_remove = d ? d->opts_remove : 0;
    o->override = d ? d->override : UNSET;
    o->override_opts = d ? d->override_opts : 0;
    o->override_list = d ? d->override_list : NULL;
}

static void opts_merge(walk_opts *o, void **sec)
{
    const core_dir_conf *d = sec ? core_dir(sec) : NULL;
    if (d == NULL)
        return;
    if (d->options & OPT_UNSET) {
        o->opts_add = (o->opts_add & ~d->opts_remove) | d->opts_add;
        o->opts_remove = (o->opts_remove & ~d->opts_add) | d->opts_remove;
        o->options = (o->options & ~o->opts_remove) | o->opts_add;
    } else {
        o->options = d->options;
        o->opts_add = d->opts_add;
        o->opts_remove = d->opts_remove;
    }
    if (d->override != UNSET) {
        o->override = d->override;
        o->override_opts = d->override_opts;
    }
    if (d->override_list != NULL)
        o->override_list = d->override_list;
}

/* A matched section joins the group; noted in r->walk_sig. */
static void group_add(walk_group *g, void **sec, const void *id)
{
    request *r = g->r;
    r->walk_sig = r->walk_sig * 1000003u + (uint64_t)(uintptr_t)id;
    g->now = merge(r, g->now, sec, g->shaky);
}

static void walk_files(walk_group *g, const section_conf *list)
{
    request *r = g->r;
    const char *name = base_name(r->filename);
    for (const section_conf *s = list; s; s = s->next) {
        int m = s->is_regex ? regex_matches(s, name)
                            : fnmatch(s->path, name, 0) == 0;
        if (m) {
            group_add(g, s->module_config, s);
            /* Apache's file walk caches by file name: another name
             * merges anew, which counts as another configuration */
            for (const char *p = name; *p; p++)
                r->walk_sig = r->walk_sig * 131u + (unsigned char)*p;
        }
    }
}

/* The directory whose sections apply: the file's, or itself for a dir. */
static const char *walk_dir_of(request *r)
{
    size_t n = strlen(r->filename);
    if (r->finfo_valid && S_ISDIR(r->finfo.st_mode) && r->path_info[0] == '\0')
        return n && r->filename[n - 1] == '/'
                   ? r->filename
                   : arena_strcat(r->arena, r->filename, "/", (char *)NULL);
    const char *slash = strrchr(r->filename, '/');
    return slash ? arena_strndup(r->arena, r->filename,
                                 (size_t)(slash - r->filename + 1))
                 : "/";
}

/* <Location>/<LocationMatch> sections, in order, merged onto cfg. */
static void **walk_locations(request *r, void **cfg, int shaky)
{
    walk_group g = {.r = r};
    for (const section_conf *l = r->server->loc_sections; l; l = l->next) {
        int m;
        if (l->is_regex) {
            m = regex_matches(l, r->uri);
        } else if (strpbrk(l->path, "*?[") != NULL) {
            m = fnmatch(l->path, r->uri, FNM_PATHNAME) == 0;
        } else {
            size_t n = strlen(l->path);
            m = strncmp(l->path, r->uri, n) == 0 &&
                (n == 0 || l->path[n - 1] == '/' || r->uri[n] == '/' ||
                 r->uri[n] == '\0');
        }
        if (m)
            group_add(&g, l->module_config, l);
    }
    return merge(r, cfg, g.now, shaky);
}

static int htaccess_level(walk_group *g, walk_opts *o, const char *level,
                          size_t len);

/* Where the walk meets a component of r->filename (path, cut there)
 * with the Options of the level containing it (its <Directory> sections
 * and access files, as Apache's walk): 403 for a symlink they refuse,
 * that is without FollowSymLinks or SymLinksIfOwnerMatch, or one whose
 * target is missing, or (with SymLinksIfOwnerMatch) owned by another. */
static int check_component(request *r, const char *path, int opts, int familiar)
{
    /* Apache does not look at an existing file's components where only
     * FollowSymLinks is on; nor, for a file its parent request's walk
     * reached the directory of, where FollowSymLinks is on at all */
    if (familiar
            ? (opts & OPT_SYM_LINKS) != 0
            : r->finfo_valid && r->path_info[0] == '\0' &&
                  (opts & (OPT_SYM_LINKS | OPT_SYM_OWNER)) == OPT_SYM_LINKS)
        return 0;
    struct stat lst, st;
    if (lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode))
        return 0;
    if ((opts & (OPT_SYM_LINKS | OPT_SYM_OWNER)) && stat(path, &st) == 0 &&
        (!(opts & OPT_SYM_OWNER) || st.st_uid == lst.st_uid))
        return 0;
    /* a listing entry that is a dangling link: Apache's lookup of the
     * entry finds no file and says nothing */
    int quiet = r->is_subrequest == 2 && r->filename != NULL &&
                strcmp(path, r->filename) == 0 && stat(path, &st) != 0;
    if (quiet) {
        r->filename = arena_strdup(r->arena, path);
        return 403;
    }
    log_rerror(r, APLOG_ERR, "core", 0,
               "AH000%d: Symbolic link not allowed or link "
               "target not accessible: %s",
               familiar ? 32 : 37, path);
    r->filename =
        arena_strdup(r->arena, path); /* where the walk stopped (%f) */
    return 403;
}

/* The non-regex <Directory> sections of the level ending at level[len]
 * ('/'), from *d on (sorted by level; a section's level is counted once,
 * in new_section()). */
static void walk_level_sections(walk_group *g, walk_opts *o,
                                const section_conf **d, const char *level,
                                int lv)
{
    for (; *d && !(*d)->is_regex && (*d)->level <= lv; *d = (*d)->next)
        if (dir_prefix_matches((*d)->path, level)) {
            opts_merge(o, (*d)->module_config);
            group_add(g, (*d)->module_config, *d);
        }
}

/* Apache's directory walk over r->filename's directory: per level from
 * "/", that level's non-regex <Directory> sections, then (where
 * AllowOverride is not None) its AccessFileName, then the symlink check of
 * the next component below the document root (below the first one for
 * aliased paths) with the Options so far; then the regex sections; their
 * group merged onto the server's defaults.  Then <Files> and <Location>,
 * each group merged onto the result.  *rc gets 0, or the walk's failure
 * (403 refused symlink, 403 or 500 access file): the walk stops there. */
static void **walk_sections(request *r, int *rc, int *shaky)
{
    void **defaults = request_server_dir_config(r);
    server_conf *s = r->server;
    r->walk_sig = (uint64_t)(uintptr_t)s;
    *rc = 0;
    *shaky = 0;
    if (r->filename == NULL)
        return walk_locations(r, defaults, 0);
    walk_group g = {.r = r};
    walk_opts o;
    opts_init(&o, defaults);
    const char *dir = walk_dir_of(r);
    const char *root = s->document_root;
    size_t start = root && strncmp(r->filename, root, strlen(root)) == 0
                       ? strlen(root)
                       : 1;
    size_t dlen = strlen(dir), flen = strlen(r->filename);
    const section_conf *d = s->dir_sections;
    char *path = arena_strdup(r->arena, r->filename);
    /* a file in the directory the request it comes from walked down:
     * Apache's walk reuses that walk and checks only the file itself */
    const request *parent = r->main ? r->main : r->prev;
    int familiar = parent && parent->walk_dir && r->finfo_valid &&
                   !S_ISDIR(r->finfo.st_mode) &&
                   strcmp(parent->walk_dir, dir) == 0;
    r->walk_dir = dir;
    if (r->filename[0] == '/') {
        int lv = 0;
        for (const char *sl = dir;
             (sl = memchr(sl, '/', dlen - (size_t)(sl - dir))) != NULL; sl++) {
            size_t pos = (size_t)(sl - dir);
            walk_level_sections(&g, &o, &d, dir, ++lv);
            if ((*rc = htaccess_level(&g, &o, dir, pos + 1)) != 0)
                return merge(r, defaults, g.now, *shaky = g.shaky);
            /* the next component: a directory of dir, or the file */
            const char *slash = strchr(dir + pos + 1, '/');
            size_t end = slash ? (size_t)(slash - dir) : flen;
            if (end <= pos + 1 || end > flen || end < start || familiar)
                continue;
            char save = path[end];
            path[end] = '\0';
            *rc = check_component(r, path, o.options, familiar);
            path[end] = save;
            if (*rc != 0)
                return merge(r, defaults, g.now, *shaky = g.shaky);
        }
        /* an existing file where only FollowSymLinks is on: Apache's walk
         * takes it for one more level, so a <Directory> naming it applies
         * (not where it reuses its parent's walk: DirectoryIndex, listing
         * entries, an ErrorDocument in the same directory) */
        if (r->finfo_valid && !S_ISDIR(r->finfo.st_mode) &&
            r->path_info[0] == '\0' && r->is_subrequest != 2 && !familiar &&
            (o.options & (OPT_SYM_LINKS | OPT_SYM_OWNER)) == OPT_SYM_LINKS)
            walk_level_sections(
                &g, &o, &d,
                arena_strcat(r->arena, r->filename, "/", (char *)NULL), ++lv);
    }
    /* <DirectoryMatch> is matched against the filename as the walk left
     * it (a directory's ends in '/' when its URI does); a request that
     * reuses its parent's walk (a DirectoryIndex, a listing's entries, an
     * ErrorDocument in the same directory) gets the parent's matches */
    const char *subject = familiar && parent->walk_rx_subject
                              ? parent->walk_rx_subject
                              : r->filename;
    r->walk_rx_subject = subject;
    for (; d; d = d->next) {
        int m = d->is_regex
                    ? regex_matches(d, subject)
                    : r->filename[0] != '/' && dir_prefix_matches(d->path, dir);
        if (m) {
            opts_merge(&o, d->module_config);
            group_add(&g, d->module_config, d);
        }
    }
    /* a file its parent request's walk reached the directory of: Apache
     * reuses that walk's result and checks the file alone with the
     * Options of the whole directory walk (regex sections included) */
    if (familiar && (*rc = check_component(r, path, o.options, 1)) != 0)
        return merge(r, defaults, g.now, *shaky = g.shaky);
    void **cfg = merge(r, defaults, g.now, *shaky = g.shaky);
    /* an access file's <Files> sections are in the request's arena too */
    walk_group files = {.r = r, .shaky = g.shaky};
    walk_files(&files, s->file_sections);
    core_dir_conf *cd = cfg ? core_dir(cfg) : NULL;
    if (cd && cd->file_sections)
        walk_files(&files, cd->file_sections);
    cfg = merge(r, cfg, files.now, g.shaky);
    return walk_locations(r, cfg, g.shaky);
}

/* <If>/<ElseIf>/<Else> (Apache's ap_if_walk): the merged scope's chain in
 * order; an <ElseIf>/<Else> runs only when no earlier member of its chain
 * matched.  The matching bodies are merged among themselves, the group
 * onto cfg, then the sections nested in the matching ones the same way. */
static void **walk_ifs(request *r, void **cfg, const if_section *list,
                       int depth, int shaky)
{
    walk_group g = {.r = r, .shaky = shaky};
    int prev = -1; /* -1 no chain, 0 nothing matched yet, 1 matched */
    for (const if_section *s = list; s; s = s->next) {
        if (s->kind != IF_IF && prev == 1)
            continue;
        if (s->kind != IF_ELSE) {
            const char *err = NULL;
            int v = expr_exec(s->condition, r, &err);
            if (v < 0)
                log_rerror(r, APLOG_ERR, "core", 0,
                           "AH00039: Failed to evaluate <If > "
                           "condition: %s",
                           err);
            if (v <= 0) {
                prev = 0;
                continue;
            }
            prev = 1;
        } else {
            prev = -1;
        }
        group_add(&g, s->module_config, s);
    }
    if (g.now == NULL)
        return cfg;
    cfg = merge(r, cfg, g.now, shaky);
    const core_dir_conf *inner = core_dir(g.now);
    if (inner && inner->if_sections && depth < 16)
        cfg = walk_ifs(r, cfg, inner->if_sections, depth + 1, shaky);
    return cfg;
}

/* stat the filename; when it does not exist, find the longest existing
 * prefix: a file there leaves the rest as path_info.  A component that
 * cannot be looked up (no search permission, a name too long) refuses the
 * request: *bad is that path and *bad_errno why, and the filename is cut
 * to its directory, as far as Apache's walk gets (and reads access files)
 * before it stops. */
static int walk_path(request *r, const char **bad, int *bad_errno)
{
    r->finfo_valid = 0;
    r->path_info = "";
    if (stat(r->filename, &r->finfo) == 0) {
        r->finfo_valid = 1;
        return 0;
    }
    char *path = arena_strdup(r->arena, r->filename);
    size_t len = strlen(path);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char save = path[i];
        path[i] = '\0';
        struct stat st, lst;
        int rc = stat(path, &st);
        int e = rc != 0 ? errno : 0;
        /* a symlink that cannot be followed (missing target, a loop):
         * Apache's walk lstat()s it and refuses it below (AH00037) */
        int bad_link =
            rc != 0 && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
        if (rc != 0 && e != ENOENT && !bad_link) {
            *bad = arena_strdup(r->arena, path);
            *bad_errno = e;
            char *slash = strrchr(path, '/');
            if (slash != NULL)
                slash[1] = '\0';
            r->filename = path;
            return 403;
        }
        if (rc != 0 || !S_ISDIR(st.st_mode)) {
            if (rc == 0) {
                r->finfo = st;
                r->finfo_valid = 1;
            }
            r->path_info = arena_strdup(r->arena, r->filename + i);
            r->filename = arena_strdup(r->arena, path);
            /* a symlink whose target is missing: Apache's walk lstat()s
             * it and refuses it (403), whatever Options say */
            if (bad_link)
                return 403;
            return 0;
        }
        path[i] = save;
    }
    return 0;
}

/* ---- AccessFileName -------------------------------------------------------
 */

/* The first error of an access file's parse or walk, kept for the log. */
typedef struct ht_sink {
    arena *a;
    const char *msg;
} ht_sink;

static void ht_emit(diag_sink *sink, const struct diag *d)
{
    ht_sink *h = sink->ctx;
    if (d->severity == DIAG_ERROR && h->msg == NULL)
        h->msg = arena_strdup(h->a, d->message ? d->message : "");
    else if (d->severity == DIAG_WARNING && d->message != NULL)
        log_error(APLOG_WARNING, d->module ? d->module : "core", 0, "%s",
                  d->message);
}

/* Access files read in this request's chain (the request, its internal
 * redirects and sub-requests), as Apache keeps them in r->htaccess: a
 * listing's entries and an ErrorDocument do not read them again.
 * Nothing is kept across requests. */
typedef struct ht_cached {
    const char *path;
    int override, override_opts;
    const char *const *override_list;
    int status;    /* 0, 403, 500 */
    void **config; /* NULL: no file, or nothing in it */
    struct ht_cached *next;
} ht_cached;

static request *chain_root(request *r)
{
    for (;;) {
        if (r->main != NULL)
            r = r->main;
        else if (r->prev != NULL)
            r = r->prev;
        else
            return r;
    }
}

/* Read and walk one access file: 0 with *out its configuration (NULL
 * when absent), 403 unreadable, 500 unknown or not allowed directive or
 * a syntax error, logged as Apache's ap_parse_htaccess() does. */
static int htaccess_read(request *r, const char *path, const char *dir, int ov,
                         int ov_opts, const char *const *ov_list, void ***out)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        goto unreadable;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        goto unreadable;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return 0;
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, len = 0;
    char *text = arena_alloc(r->arena, cap + 1);
    for (;;) {
        if (len == cap) {
            char *bigger = arena_alloc(r->arena, cap * 2 + 1);
            memcpy(bigger, text, len);
            text = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, text + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            goto unreadable;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    text[len] = '\0';
    ht_sink h = {.a = r->arena};
    diag_sink sink = {.emit = ht_emit, .ctx = &h};
    int override = ov == UNSET ? 0 : ov & (OR_ALL | NONFATAL_ALL);
    conf_node *root =
        conf_read_htaccess((resolved_config *)r->rc, r->arena, path, text, len,
                           override, ov_list, &sink);
    void **vec = conf_new_section_vector(r->arena, dir);
    if (root != NULL && h.msg == NULL)
        conf_walk_htaccess((resolved_config *)r->rc, r->arena, r->server, root,
                           dir, vec, override, ov_opts, ov_list, &sink);
    if (root == NULL || h.msg != NULL) {
        log_rerror(r, APLOG_ALERT, "core", 0, "%s: %s", path,
                   h.msg ? h.msg : "could not be parsed");
        return 500;
    }
    *out = vec;
    return 0;
unreadable:
    log_rerror(r, APLOG_CRIT, "core", errno,
               "AH00529: %s pcfg_openfile: unable to check "
               "htaccess file, ensure it is readable and that '%s' is "
               "executable",
               path, dir);
    return 403;
}

/* One level of the walk (the directory level[0..len), ending in '/'):
 * its AccessFileName joins the group where the AllowOverride so far is
 * not None.  Returns 0, 403 or 500 (then r->filename is the directory,
 * where Apache's walk stopped: %f). */
static int htaccess_level(walk_group *g, walk_opts *o, const char *level,
                          size_t len)
{
    request *r = g->r;
    int ov = o->override;
    const char *const *ov_list = o->override_list;
    if ((ov == OR_NONE || ov == UNSET) &&
        (ov_list == NULL || ov_list[0] == NULL))
        return 0;
    const char *dir = arena_strndup(r->arena, level, len);
    int ov_opts = o->override_opts;
    const char *name =
        r->rc->access_file_name ? r->rc->access_file_name : ".htaccess";
    const char *path = arena_strcat(r->arena, dir, name, (char *)NULL);
    request *top = chain_root(r);
    ht_cached *c;
    for (c = top->htaccess; c; c = c->next)
        if (c->override == ov && c->override_opts == ov_opts &&
            c->override_list == ov_list && strcmp(c->path, path) == 0)
            break;
    if (c == NULL) {
        c = arena_calloc(r->arena, sizeof(*c));
        c->path = path;
        c->override = ov;
        c->override_opts = ov_opts;
        c->override_list = ov_list;
        c->status =
            htaccess_read(r, path, dir, ov, ov_opts, ov_list, &c->config);
        c->next = top->htaccess;
        top->htaccess = c;
    }
    if (c->status != 0) {
        r->filename = arena_strdup(r->arena, dir);
        return c->status;
    }
    if (c->config != NULL) {
        opts_merge(o, c->config);
        g->shaky = 1;
        g->now = merge(r, g->now, c->config, 1);
        for (const char *p = path; *p; p++)
            r->walk_sig = r->walk_sig * 131u + (unsigned char)*p;
    }
    return 0;
}

static int core_map_to_storage(request *r)
{
    const char *bad = NULL;
    int bad_errno = 0;
    int rc = r->filename != NULL ? walk_path(r, &bad, &bad_errno) : 0;
    /* the walk runs after a dangling symlink too: what stops it first
     * (an access file above, the link itself) answers */
    int wc = 0, shaky = 0;
    r->per_dir_config = walk_sections(r, &wc, &shaky);
    if (wc != 0) {
        rc = wc;
    } else if (bad != NULL && bad_errno == EACCES) {
        log_rerror(r, APLOG_ERR, "core", bad_errno,
                   "AH00035: access to %s denied (filesystem path '%s') "
                   "because search permissions are missing on a component "
                   "of the path",
                   r->uri, bad);
    } else if (bad != NULL) {
        log_rerror(r, APLOG_ERR, "core", bad_errno,
                   "AH00036: access to %s failed (filesystem path '%s')",
                   r->uri, bad);
    } else if (rc == 0) {
        const core_dir_conf *cd =
            r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
        if (cd && cd->if_sections)
            r->per_dir_config =
                walk_ifs(r, r->per_dir_config, cd->if_sections, 0, shaky);
    }
    /* a walk that fails leaves the server's defaults, as Apache's (its
     * directory walk starts from them and stops): no <Directory> or
     * <Location> ErrorDocument or Header line answers */
    if (rc != 0) {
        r->per_dir_config = request_server_dir_config(r);
        /* ... merged from no section: an ErrorDocument's request that
         * merges some is checked anew (Require), as in Apache */
        r->walk_sig = (uint64_t)(uintptr_t)r->server;
    }
    return rc;
}

/* ---- the core's fallbacks -------------------------------------------------
 */

static int core_translate(request *r)
{
    const char *root = r->server->document_root;
    if (root == NULL)
        root = r->rc->main_server->document_root;
    if (root == NULL)
        return 404;
    size_t n = strlen(root), u = strlen(r->uri);
    while (n > 1 && root[n - 1] == '/')
        n--;
    char *f = arena_alloc(r->arena, n + u + 1);
    memcpy(f, root, n);
    memcpy(f + n, r->uri, u + 1);
    r->filename = f;
    return OK;
}

static void core_type_checker(request *r)
{
    if (r->finfo_valid && S_ISDIR(r->finfo.st_mode)) {
        r->content_type = "httpd/unix-directory";
        return;
    }
    if (r->filename == NULL)
        return;
    const char *name = base_name(r->filename);
    const char *dot = strchr(name, '.');
    while (dot != NULL) {
        const char *next = strchr(dot + 1, '.');
        const char *ext =
            next ? arena_strndup(r->arena, dot + 1, (size_t)(next - dot - 1))
                 : dot + 1;
        const char *t = mime_types_lookup(r->rc, ext);
        if (t != NULL)
            r->content_type = t;
        dot = next;
    }
}

/* ---- hooks -----------------------------------------------------------------
 */

enum hook {
    H_POST_READ,
    H_TRANSLATE,
    H_MAP,
    H_ACCESS_HOST,
    H_ACCESS,
    H_AUTHN,
    H_AUTHZ,
    H_TYPE,
    H_FIXUPS,
    H_HANDLER
};

typedef int (*hook_fn)(request *);

static hook_fn hook_of(const module *m, enum hook h)
{
    switch (h) {
    case H_POST_READ:
        return m->post_read_request;
    case H_TRANSLATE:
        return m->translate_name;
    case H_MAP:
        return m->map_to_storage;
    case H_ACCESS_HOST:
        return m->access_checker;
    case H_ACCESS:
        return m->check_access;
    case H_AUTHN:
        return m->check_authn;
    case H_AUTHZ:
        return m->check_authz;
    case H_TYPE:
        return m->type_checker;
    case H_FIXUPS:
        return m->fixups;
    case H_HANDLER:
        return m->handler;
    }
    return NULL;
}

/* Each hook's functions in module order, NULL-ended, gathered once: the
 * modules are compiled in and their hooks fixed, and a request runs ten
 * hooks over some twenty modules that mostly have none (a thousand
 * instructions per request when each hook looked at every module). */
static hook_fn hook_lists[H_HANDLER + 1][MODULE_MAX + 1];
static void (*log_hooks[MODULE_MAX + 1])(request *);
static void (*conn_end_hooks[MODULE_MAX + 1])(conn_info *);
static void (*output_hooks[MODULE_MAX + 1])(request *);
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void hooks_gather(void)
{
    for (int h = 0; h <= H_HANDLER; h++) {
        int n = 0;
        /* in the modules' order, a fixup hooked "last" after the others
         * (mod_env's SetEnv before mod_dir's index lookup, as Apache) */
        for (int last = 0; last < 2; last++)
            for (int i = 0; conf_builtin_modules[i] && n < MODULE_MAX; i++) {
                const module *m = conf_builtin_modules[i];
                hook_fn fn = hook_of(m, (enum hook)h);
                if (fn && (h == H_FIXUPS ? m->fixups_last == last : !last))
                    hook_lists[h][n++] = fn;
            }
    }
    int nl = 0, nc = 0, no = 0;
    for (int i = 0; conf_builtin_modules[i]; i++) {
        if (conf_builtin_modules[i]->output_headers && no < MODULE_MAX)
            output_hooks[no++] = conf_builtin_modules[i]->output_headers;
        if (conf_builtin_modules[i]->log_transaction && nl < MODULE_MAX)
            log_hooks[nl++] = conf_builtin_modules[i]->log_transaction;
        if (conf_builtin_modules[i]->connection_end && nc < MODULE_MAX)
            conn_end_hooks[nc++] = conf_builtin_modules[i]->connection_end;
    }
}

static const hook_fn *hooks(enum hook h)
{
    pthread_once(&hooks_once, hooks_gather);
    return hook_lists[h];
}

/* RUN_FIRST: the first result other than DECLINED. */
static int run_first(enum hook h, request *r)
{
    for (const hook_fn *fn = hooks(h); *fn; fn++) {
        int rc = (*fn)(r);
        if (rc != DECLINED)
            return rc;
    }
    return DECLINED;
}

/* RUN_ALL: stops at the first result other than OK/DECLINED. */
static int run_all(enum hook h, request *r)
{
    for (const hook_fn *fn = hooks(h); *fn; fn++) {
        int rc = (*fn)(r);
        if (rc != OK && rc != DECLINED)
            return rc;
    }
    return OK;
}

/* Apache's LimitInternalRecursion default for sub-request nesting. */
#define MAX_SUBREQ_DEPTH 10

static int too_deep(request *r)
{
    int depth = 0;
    for (const request *m = r->main; m; m = m->main)
        depth++;
    if (depth <= MAX_SUBREQ_DEPTH)
        return 0;
    log_rerror(r, APLOG_ERR, "core", 0,
               "AH00125: Request exceeded the limit of %d "
               "subrequest nesting levels due to probable configuration "
               "error. Use 'LimitInternalRecursion' to increase the limit if "
               "necessary. Use 'LogLevel debug' to get a backtrace.",
               MAX_SUBREQ_DEPTH);
    return 1;
}

/* Apache's access phase: access_checker (Order/Allow/Deny; with
 * "Satisfy any" it lets Require decide, or tells it not to ask);
 * access_checker_ex decides without a user (OK or a status); DECLINED
 * means a user is needed: check_user_id finds who it is (r->user), then
 * auth_checker decides with it. */
static int run_access_phase(request *r)
{
    int rc = run_all(H_ACCESS_HOST, r);
    if (rc != OK)
        return rc;
    rc = run_first(H_ACCESS, r);
    if (rc != DECLINED)
        return rc;
    rc = run_first(H_AUTHN, r);
    if (rc == DECLINED) {
        log_rerror(r, APLOG_CRIT, "core", 0,
                   "AH00025: configuration error:  couldn't "
                   "check user: %s",
                   r->uri);
        return 500;
    }
    if (rc != OK)
        return rc;
    if (r->user == NULL) {
        log_rerror(r, APLOG_ERR, "core", 0,
                   "AH%05d: No authentication done but "
                   "request not allowed without authentication for %s. "
                   "Authentication not configured?",
                   r->satisfy_any ? 28 : 27, r->uri);
        return 500;
    }
    rc = run_first(H_AUTHZ, r);
    if (rc == DECLINED) {
        log_rerror(r, APLOG_CRIT, "core", 0,
                   "AH00025: configuration error:  couldn't "
                   "check authorization: %s",
                   r->uri);
        return 500;
    }
    return rc;
}

/* Apache skips the access check of a request that merged the same
 * sections as the one it serves: an internal redirect (an ErrorDocument,
 * a DirectoryIndex) of the request it replaces, or a sub-request (-F/-U in
 * an expression, a lookup) of its parent; that request passed or is
 * answering.  After a directory too: an ErrorDocument /d/ for a 403 of
 * /e/ under the same sections is served (found by test_random_diff). */
static int run_access(request *r)
{
    if (r->prev != NULL && !r->is_subrequest &&
        r->prev->walk_sig == r->walk_sig) {
        r->user = r->prev->user;
        r->ap_auth_type = r->prev->ap_auth_type;
        return OK;
    }
    if (r->is_subrequest && r->main != NULL &&
        r->main->per_dir_config != NULL && r->main->walk_sig == r->walk_sig) {
        r->user = r->main->user;
        r->ap_auth_type = r->main->ap_auth_type;
        return OK;
    }
    /* (mod_dir's fast redirect, DirectoryIndex and FallbackResource, is
     * checked as the lookup's GET that found it: run_request) */
    return run_access_phase(r);
}

/* Apache's core_override_type, the first fixup: ForceType, SetHandler
 * ("none" for neither), and AcceptPathInfo where nothing decided yet. */
static int core_override_type(request *r)
{
    const core_dir_conf *d = request_core_dir(r);
    if (d == NULL)
        return OK;
    if (d->mime_type && strcmp(d->mime_type, "none") != 0)
        r->content_type = d->mime_type;
    const char *h = d->handler;
    if (d->handler_expr != NULL) {
        const char *err = NULL;
        h = expr_exec_string(d->handler_expr, r, &err);
        if (h == NULL) {
            log_rerror(r, APLOG_ERR, "core", 0,
                       "AH03154: Can't evaluate handler expression: %s",
                       err ? err : "");
            return 500;
        }
        char *low = arena_strdup(r->arena, h);
        for (char *p = low; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        h = low;
    }
    if (h && strcmp(h, "none") != 0)
        r->handler = h;
    if (r->used_path_info == -1 && d->accept_path_info != UNSET)
        r->used_path_info = d->accept_path_info == 2 ? -1 : d->accept_path_info;
    return OK;
}

/* translate_name .. type_checker: what a sub-request runs too. */
static int run_lookup(request *r)
{
    /* as Apache's first location walk: what answers before the
     * directory walk (a Redirect, a bad path) sees <Location> settings */
    r->per_dir_config = walk_locations(r, request_server_dir_config(r), 0);
    int rc = run_first(H_TRANSLATE, r);
    if (rc == DECLINED)
        rc = core_translate(r);
    if (rc != OK)
        return rc;
    rc = core_map_to_storage(r);
    if (rc == 0)
        rc = run_all(H_MAP, r);
    if (rc == OK)
        rc = run_access(r);
    if (rc != OK)
        return rc;
    rc = run_first(H_TYPE, r);
    if (rc == DECLINED) {
        core_type_checker(r);
        rc = OK;
    }
    /* a directory's handler is its magic type, as in Apache (%R) */
    if (r->handler == NULL && r->finfo_valid && S_ISDIR(r->finfo.st_mode))
        r->handler = "httpd/unix-directory";
    /* the core's first fixup, which Apache's sub-requests run too */
    return rc == OK ? core_override_type(r) : rc;
}

static int run_request(request *r)
{
    int rc = r->fast_redirect ? OK : run_all(H_POST_READ, r);
    if (rc != OK)
        return rc;
    if (strcmp(r->uri, "*") == 0) { /* OPTIONS *: answered by the core, no
                                     * handler's filters (no Header at all) */
        r->uri = "/*";
        core_translate(r);
        r->uri = "*";
        r->error_response = 1;
        return OK;
    }
    if (r->uri[0] != '/') /* CONNECT host:port: only the handler decides */
        return http_default_handler(r);
    if (r->method_number == M_TRACE && !r->is_subrequest) {
        /* Apache answers TRACE at map_to_storage: after translate_name
         * (a Redirect wins), before the directory walk and Require */
        r->per_dir_config = walk_locations(r, request_server_dir_config(r), 0);
        rc = run_first(H_TRANSLATE, r);
        if (rc == DECLINED)
            rc = core_translate(r);
        if (rc != OK)
            return rc;
        /* its answer (a refusal too) has the server's settings only: no
         * <Location> Header or ErrorDocument (apache2) */
        r->per_dir_config = request_server_dir_config(r);
        return http_default_handler(r);
    }
    /* mod_dir's fast redirect serves what its lookup, a GET, found: the
     * walk (<If>), the access checks and the fixups (SetEnvIf
     * Request_Method) see GET, the handler the request's own method */
    const char *method = r->method;
    int number = r->method_number;
    if (r->fast_redirect) {
        r->method = "GET";
        r->method_number = M_GET;
    }
    rc = run_lookup(r);
    if (rc == OK)
        rc = run_all(H_FIXUPS, r);
    r->method = method;
    r->method_number = number;
    if (rc != OK)
        return rc;
    /* as ap_invoke_handler: without a handler the content type stands in
     * for one while the handlers run (%R logs only a real one) */
    const char *handler = r->handler;
    if (r->handler == NULL && r->content_type != NULL) {
        const char *semi = strchr(r->content_type, ';');
        r->handler = semi ? arena_strndup(r->arena, r->content_type,
                                          (size_t)(semi - r->content_type))
                          : r->content_type;
    }
    r->handler_reached = 1;
    rc = run_first(H_HANDLER, r);
    if (rc == DECLINED)
        rc = http_default_handler(r);
    r->handler = handler;
    return rc;
}

/* ---- errors and ErrorDocument -----------------------------------------------
 */

static const error_document *find_error_document(request *r, int status)
{
    core_dir_conf *d = request_core_dir(r);
    for (const error_document *e = d ? d->error_documents : NULL; e;
         e = e->next)
        if (e->status == status)
            return e;
    return NULL;
}

static void finish_status(request *r, int rc);

static request *new_redirect_request(request *r, const char *uri)
{
    request *n = arena_calloc(r->arena, sizeof(*n));
    *n = *r;
    n->prev = r;
    n->next = NULL;
    n->redirect_count = r->redirect_count + 1;
    n->fast_redirect = 0;
    n->user = n->ap_auth_type = NULL; /* authenticated anew (run_access) */
    memset(&n->headers_out, 0, sizeof(n->headers_out));
    memset(&n->notes, 0, sizeof(n->notes));
    memset(&n->subprocess_env, 0, sizeof(n->subprocess_env));
    for (int i = 0; i < r->subprocess_env.n; i++)
        req_table_add(r->arena, &n->subprocess_env,
                      arena_strcat(r->arena, "REDIRECT_",
                                   r->subprocess_env.v[i].name, (char *)NULL),
                      r->subprocess_env.v[i].value);
    n->err_headers_out = r->err_headers_out;
    n->status = 200;
    n->content_type = n->content_encoding = n->content_languages = NULL;
    n->handler = NULL;
    n->filename = n->canonical_filename = NULL;
    n->path_info = "";
    n->finfo_valid = 0;
    n->per_dir_config = NULL;
    n->bytes_sent = 0;
    n->uri = NULL;
    n->args = NULL;
    const char *q = strchr(uri, '?');
    char *path = q ? arena_strndup(r->arena, uri, (size_t)(q - uri))
                   : arena_strdup(r->arena, uri);
    n->args = q ? q + 1 : NULL;
    int rc = http_normalize_path(path, 1);
    n->uri = path;
    if (rc != 0)
        n->status = rc;
    r->next = n;
    return n;
}

/* Both internal redirects: the new request for new_uri answered, its
 * status logged for r; NULL (r answered 500) past MAX_REDIRECTS.  A fast
 * one, as Apache's mod_dir makes, is not read again (no
 * post_read_request) and keeps the headers r has. */
static request *internal_redirect(request *r, const char *new_uri, int fast)
{
    if (r->redirect_count >= MAX_REDIRECTS) {
        finish_status(r, 500);
        return NULL;
    }
    if (!fast)
        req_table_set(r->arena, &r->subprocess_env, "URL", r->uri);
    request *n = new_redirect_request(r, new_uri);
    if (fast) {
        /* Apache's fast redirect is the same request: its environment
         * (SetEnvIf at post_read_request) stays, no REDIRECT_ names */
        n->fast_redirect = 1;
        memset(&n->subprocess_env, 0, sizeof(n->subprocess_env));
        for (int i = 0; i < r->subprocess_env.n; i++)
            req_table_add(r->arena, &n->subprocess_env,
                          r->subprocess_env.v[i].name,
                          r->subprocess_env.v[i].value);
        for (int i = 0; i < r->headers_out.n; i++)
            req_table_add(r->arena, &n->headers_out, r->headers_out.v[i].name,
                          r->headers_out.v[i].value);
    }
    if (n->status != 200)
        finish_status(n, n->status);
    else
        finish_status(n, run_request(n));
    /* %s: a fast redirect copies the answer's status into r, as Apache's
     * ap_internal_fast_redirect(); after ap_internal_redirect() r keeps
     * its own (200) */
    if (fast)
        r->status = request_final(n)->status;
    return n;
}

void request_internal_redirect(request *r, const char *new_uri)
{
    request *n = internal_redirect(r, new_uri, 1);
    /* Apache's fast redirect copies the lookup's handler into the request
     * it answers for: %R logs the index file's ("-" for a plain file),
     * not httpd/unix-directory */
    if (n != NULL)
        r->handler = n->handler;
}

void request_internal_redirect_full(request *r, const char *new_uri)
{
    internal_redirect(r, new_uri, 0);
}

void request_internal_error_redirect(request *r, const char *new_uri,
                                     int status)
{
    req_table_set(r->arena, &r->subprocess_env, "STATUS",
                  arena_printf(r->arena, "%d", status));
    req_table_set(r->arena, &r->subprocess_env, "URL", r->uri);
    r->status = status; /* %<s: the original request's answer */
    request *n = new_redirect_request(r, new_uri);
    /* as ap_die(): the method becomes GET, on the original request too
     * (%m logs it); HEAD keeps its header_only */
    r->method = n->method = "GET";
    r->method_number = n->method_number = M_GET;
    int rc = n->status != 200 ? n->status : run_request(n);
    if (rc != OK && rc != DECLINED && rc >= 300) {
        /* the ErrorDocument failed too: answer the original error; the
         * log describes the failed redirect, as Apache's (%>s %f).  The
         * page's "Additionally" names the original status, not rc: Apache's
         * ap_die() reports the failing redirect's r->status, which still
         * holds the error it was serving */
        r->next = NULL;
        n->status = rc;
        r->failed_redirect = n;
        req_table_set(r->arena, &r->notes, "recursive-error",
                      http_status_line(status) ? http_status_line(status)
                                               : "500 Internal Server Error");
        http_set_error_response(r, status);
        return;
    }
    /* the error's status, also where the document was a DirectoryIndex or
     * FallbackResource (Apache's fast redirect keeps the request) */
    for (request *q = n; q != NULL; q = q->next)
        q->status = status;
}

static int is_url(const char *s)
{
    const char *colon = strchr(s, ':');
    if (colon == NULL || colon == s)
        return 0;
    for (const char *p = s; p < colon; p++)
        if (!(isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
              *p == '.'))
            return 0;
    return 1;
}

void request_send_error(request *r, int status)
{
    http_conn *c = r->engine;
    if (c != NULL) { /* what the handler wrote before failing is dropped */
        memset(&c->out, 0, sizeof(c->out));
        c->out.file_fd = -1;
        r->bytes_sent = 0;
    }
    const error_document *ed =
        r->error_in_progress ? NULL : find_error_document(r, status);
    if (ed != NULL && !ed->is_text && strcasecmp(ed->target, "default") == 0)
        ed = NULL; /* "ErrorDocument N default": Apache's own page again */
    r->error_in_progress = 1;
    if (ed != NULL && !ed->is_text && ed->target[0] == '/') {
        /* (a 400, 408, 413 or 414 too: apache2 serves the document with
         * the status, whatever became of the request's bytes) */
        request_internal_error_redirect(r, ed->target, status);
        return;
    }
    if (ed != NULL && !ed->is_text && is_url(ed->target)) {
        req_table_set(r->arena, &r->headers_out, "Location", ed->target);
        http_set_error_response(r, 302);
        if (status == 416 && c != NULL) /* past Apache's length filter */
            c->out.no_length = 1;
        return;
    }
    http_set_error_response(r, status);
    if (ed != NULL && !r->header_only && !r->assbackwards) {
        const char *text = ed->target[0] == '"' ? ed->target + 1 : ed->target;
        if (c != NULL)
            c->out.mem_len = 0;
        r->bytes_sent = 0;
        request_puts(r, text);
    }
}

static void finish_status(request *r, int rc)
{
    if (rc >= 200 && rc < 300 && rc != 204 && r->next == NULL &&
        req_table_get(&r->notes, "status-page") != NULL) {
        request_send_error(r, rc); /* Redirect 200 /x: a page */
        return;
    }
    if (rc == OK || rc == DECLINED || (rc >= 200 && rc < 300)) {
        if (rc >= 200 && rc < 300 && r->next == NULL) /* not handed over */
            r->status = rc;
        return;
    }
    request_send_error(r, rc);
}

/* ---- entry points
 * --------------------------------------------------------------- */

/* Apache's words for a path that did not normalise (400) or decoded to a
 * '/' or NUL (404; the message names %2f for both). */
static void log_path_refused(request *r)
{
    const char *uri = r->unparsed_uri ? r->unparsed_uri : "";
    if (r->path_refused == 400) {
        log_rerror(r, APLOG_ERR, "core", 0, "AH10244: invalid URI path (%s)",
                   uri);
        return;
    }
    const core_dir_conf *d = request_core_dir(r);
    if (d == NULL || d->allow_encoded_slashes != 1)
        log_rerror(r, APLOG_INFO, "core", 0,
                   "AH00026: found %%2f (encoded '/') in URI path (%s), "
                   "returning 404",
                   uri);
}

void request_run(request *r, int parse_status, const char *note)
{
    if (note != NULL)
        req_table_set(r->arena, &r->notes, "error-notes", note);
    if (parse_status != 0) {
        /* a refused path is judged after the head was read: the server
         * is the one the head chose (the address's default without Host) */
        int path_refused = r->path_refused == parse_status;
        if (((r->hostname != NULL || r->assbackwards) && !r->head_refused) ||
            path_refused)
            select_vhost(r);
        sb_request_begin(r);
        if (path_refused && !r->scheme_refused)
            log_path_refused(r);
        if (http_status_drops_connection(parse_status))
            r->keepalive = 0;
        /* Apache's ap_die(): ErrorDocument applies to these too */
        request_send_error(r, parse_status);
        return;
    }
    select_vhost(r);
    sb_request_begin(r); /* mod_status: 'W', the request line, the vhost */
    /* a method <Limit> registered has a number of its own (405, not 501) */
    if (r->method_number == M_INVALID && r->rc->nmethods > 0)
        r->method_number = conf_method_number(r->rc, r->method);
    finish_status(r, run_request(r));
}

void request_process(request *r)
{
    request_run(r, 0, NULL);
}

static request *new_subrequest(request *r)
{
    request *n = arena_calloc(r->arena, sizeof(*n));
    *n = *r;
    n->main = r;
    n->is_subrequest = 1;
    n->prev = n->next = NULL;
    n->user = n->ap_auth_type = NULL; /* authenticated anew (run_access) */
    memset(&n->headers_out, 0, sizeof(n->headers_out));
    memset(&n->err_headers_out, 0, sizeof(n->err_headers_out));
    memset(&n->notes, 0, sizeof(n->notes));
    n->status = 200;
    n->content_type = n->content_encoding = n->content_languages = NULL;
    n->handler = NULL;
    n->filename = NULL;
    n->path_info = "";
    n->finfo_valid = 0;
    n->per_dir_config = NULL;
    n->vlist_validator = NULL;
    n->method = "GET"; /* as ap_set_sub_req_protocol(): <If>, SetEnvIf */
    n->method_number = M_GET;
    return n;
}

request *request_lookup_uri(request *r, const char *uri)
{
    request *n = new_subrequest(r);
    const char *full = uri;
    if (uri[0] != '/') { /* relative to r's directory, escaped again as
                          * Apache's lookup does ("/100%/" + "index.html") */
        const char *slash = strrchr(r->uri, '/');
        const char *dir =
            arena_strndup(r->arena, r->uri, (size_t)(slash - r->uri + 1));
        full = arena_strcat(r->arena, req_escape_uri(r->arena, dir), uri,
                            (char *)NULL);
    }
    const char *q = strchr(full, '?');
    char *path = q ? arena_strndup(r->arena, full, (size_t)(q - full))
                   : arena_strdup(r->arena, full);
    n->args = q ? q + 1 : NULL;
    int rc = http_normalize_path(path, 1);
    n->uri = path;
    if (too_deep(n))
        rc = 500;
    else if (rc == 0)
        rc = run_lookup(n);
    n->status = rc == OK ? 200 : rc;
    return n;
}

request *request_lookup_file(request *r, const char *filename)
{
    request *n = new_subrequest(r);
    n->is_subrequest = 2;
    const char *name = base_name(filename);
    const char *slash = strrchr(r->uri, '/');
    n->uri = arena_strcat(
        r->arena, arena_strndup(r->arena, r->uri, (size_t)(slash - r->uri + 1)),
        name, (char *)NULL);
    n->filename = arena_strdup(r->arena, filename);
    struct stat st; /* a directory's lookup URI ends in '/', as Apache's */
    if (stat(filename, &st) == 0 && S_ISDIR(st.st_mode))
        n->uri = arena_strcat(r->arena, n->uri, "/", (char *)NULL);
    if (too_deep(n)) {
        n->status = 500;
        return n;
    }
    int rc = core_map_to_storage(n);
    if (rc == 0)
        rc = run_all(H_MAP, n);
    if (rc == OK)
        rc = run_access(n);
    if (rc == OK) {
        rc = run_first(H_TYPE, n);
        if (rc == DECLINED) {
            core_type_checker(n);
            rc = OK;
        }
    }
    if (rc == OK)
        rc = core_override_type(n);
    /* Apache's lookup runs the fixups too: for a directory mod_dir's
     * index search, whose failure hides the entry and whose index
     * stands for it (its date) */
    if (rc == OK && n->finfo_valid && S_ISDIR(n->finfo.st_mode)) {
        req_table own = {0};
        for (int i = 0; i < r->headers_in.n; i++)
            req_table_add(r->arena, &own, r->headers_in.v[i].name,
                          r->headers_in.v[i].value);
        n->headers_in = own;
        rc = run_all(H_FIXUPS, n);
    }
    n->status = rc == OK ? 200 : rc;
    return n;
}

void request_log(request *r)
{
    pthread_once(&hooks_once, hooks_gather);
    for (int i = 0; log_hooks[i]; i++)
        log_hooks[i](r);
}

void request_output_headers(request *r)
{
    pthread_once(&hooks_once, hooks_gather);
    for (int i = 0; output_hooks[i]; i++)
        output_hooks[i](r);
}

void request_conn_end(conn_info *c)
{
    pthread_once(&hooks_once, hooks_gather);
    for (int i = 0; conn_end_hooks[i]; i++)
        conn_end_hooks[i](c);
}
