/* mod_negotiation.c -- content negotiation as Apache 2.4 does it:
 * MultiViews (a missing file "name" served as the best of the files
 * "name.*"), the type-map handler (.var files), LanguagePriority,
 * ForceLanguagePriority and CacheNegotiatedDocs.
 *
 * The variants and the choice follow Apache's server-driven algorithm:
 * quality by Accept (media ranges, q, level), then Accept-Language (prefix
 * matches, LanguagePriority for ties), charset, encoding and length;
 * RFC 2295/2296 transparent negotiation (Negotiate, TCN, Alternates, 300)
 * where the client asks for it.  The parsing of Accept headers and type
 * maps (negotiation_parse.c) and the choice (negotiation_choose.c) live
 * apart from the directives, the hooks and the answer here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "log.h"
#include "mod_mime.h"
#include "mod_negotiation.h"
#include "mod_util.h"
#include "request.h"

#define CGI_MAGIC_TYPE "application/x-httpd-cgi"
#define MAP_FILE_MAGIC_TYPE "application/x-type-map"

/* ---- configuration ----------------------------------------------------- */

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(neg_dir_conf));
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const neg_dir_conf *base = basev, *add = addv;
    neg_dir_conf *c = arena_calloc(a, sizeof(*c));
    c->force = add->force ? add->force : base->force;
    const neg_dir_conf *p = add->priority ? add : base;
    c->priority = p->priority;
    c->npriority = p->npriority;
    return c;
}

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    return arena_calloc(a, sizeof(neg_server_conf));
}

static void *merge_server(arena *a, void *basev, void *addv)
{
    const neg_server_conf *base = basev, *add = addv;
    neg_server_conf *c = arena_calloc(a, sizeof(*c));
    c->cache = add->cache ? add->cache : base->cache;
    return c;
}

/* CacheNegotiatedDocs: a server setting, as Apache's; On lets HTTP/1.0
 * caches keep a type map's answers (no "Expires: <now>"). */
static const char *cmd_cache(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)mconfig;
    (void)argc;
    (void)argv;
    neg_server_conf *sc = conf_server_config(cmd, &negotiation_module);
    sc->cache = cmd->flag ? 1 : -1;
    return NULL;
}

/* ITERATE: the lines of a scope add up. */
static const char *cmd_priority(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    (void)argc;
    neg_dir_conf *c = mconfig;
    const char **v =
        arena_alloc(cmd->arena, sizeof(char *) * (size_t)(c->npriority + 1));
    for (int i = 0; i < c->npriority; i++)
        v[i] = c->priority[i];
    v[c->npriority] = arena_strdup(cmd->arena, argv[0]);
    c->priority = v;
    c->npriority++;
    return NULL;
}

static const char *cmd_force(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)argc;
    neg_dir_conf *c = mconfig;
    const char *w = argv[0];
    if (strcasecmp(w, "None") == 0) {
        if (c->force & ~FLP_NONE)
            return "Cannot combine ForceLanguagePriority options with None";
        c->force = FLP_NONE;
    } else if (strcasecmp(w, "Prefer") == 0) {
        if (c->force & FLP_NONE)
            return "Cannot combine ForceLanguagePriority options None and "
                   "Prefer";
        c->force |= FLP_PREFER;
    } else if (strcasecmp(w, "Fallback") == 0) {
        if (c->force & FLP_NONE)
            return "Cannot combine ForceLanguagePriority options None and "
                   "Fallback";
        c->force |= FLP_FALLBACK;
    } else {
        return arena_strcat(cmd->temp, "Invalid ForceLanguagePriority option ",
                            w, (char *)NULL);
    }
    return NULL;
}

/* ---- the variants of a MultiViews request ------------------------------ */

/* Does the lookup's name say nothing mod_mime did not understand?  Its
 * unknown parts (MIME_EXCEPTIONS_NOTE) must be, in order, parts of the
 * requested name: "index.html.foo" matches "index" or "index.html". */
static int exceptions_match(request *sub, const char *requested)
{
    const char *note = req_table_get(&sub->notes, MIME_EXCEPTIONS_NOTE);
    if (note == NULL)
        return 0;
    const char *want = note;
    const char *seg = requested;
    while (*seg && *want) {
        const char *end = strchr(seg, '.');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        const char *wend = strchr(want, '/');
        size_t wn = wend ? (size_t)(wend - want) : strlen(want);
        if (n == wn && strncmp(seg, want, n) == 0)
            want = wend ? wend + 1 : want + wn;
        if (end == NULL)
            break;
        seg = end + 1;
    }
    return *want == '\0';
}

static variant *new_variant(neg_state *neg)
{
    if (neg->n == neg->cap) {
        int cap = neg->cap ? neg->cap * 2 : 16;
        variant *v = arena_alloc(neg->r->arena, sizeof(*v) * (size_t)cap);
        if (neg->n)
            memcpy(v, neg->v, sizeof(*v) * (size_t)neg->n);
        neg->v = v;
        neg->cap = cap;
    }
    variant *v = &neg->v[neg->n++];
    neg_clean_variant(v);
    return v;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const variant *)a)->file_name,
                  ((const variant *)b)->file_name);
}

/* The variant list validator of a MultiViews resource: Apache's ETag of
 * the request without a file, which is the mtime of the directory its
 * walk reached. */
static void set_vlist_validator_dir(request *r, const char *dir)
{
    request tmp = *r;
    if (stat(dir, &tmp.finfo) != 0)
        memset(&tmp.finfo, 0, sizeof(tmp.finfo));
    tmp.finfo_valid = 0;
    r->vlist_validator = http_make_etag(&tmp);
}

static int is_type_map(const request *sub)
{
    return (sub->content_type &&
            strcmp(sub->content_type, MAP_FILE_MAGIC_TYPE) == 0) ||
           (sub->handler && strcmp(sub->handler, "type-map") == 0);
}

static int name_encoding(request *r);

/* One directory entry "name.*": a variant when its lookup succeeds, it
 * is a file, mod_mime knew what it is and nothing unknown is in its name.
 * Returns 1 for a type map (which replaces the list), 0 otherwise. */
static int consider_entry(neg_state *neg, const char *name, request **map)
{
    request *r = neg->r;
    request *sub = request_lookup_file(
        r, arena_strcat(r->arena, neg->dir, name, (char *)NULL));
    if (!sub->finfo_valid || !S_ISREG(sub->finfo.st_mode))
        return 0;
    if (r->path_info && *r->path_info) { /* Apache's lookup keeps them */
        sub->path_info = r->path_info;
        sub->uri = arena_strcat(r->arena, sub->uri, r->path_info, (char *)NULL);
    }
    if (sub->handler && !sub->content_type)
        sub->content_type = CGI_MAGIC_TYPE;
    if (!exceptions_match(sub, neg->base))
        return 0;
    if (sub->status != 200 || !sub->content_type)
        return 0;
    if (is_type_map(sub)) {
        *map = sub;
        return 1;
    }
    /* apache2's lookup ran the fixups, this module's fix_encoding() too:
     * the variant's encoding is spelt as the client spelt it */
    if (sub->content_encoding && *sub->content_encoding)
        name_encoding(sub);
    variant *v = new_variant(neg);
    v->sub = sub;
    v->file_name = arena_strdup(r->arena, name);
    v->encoding = sub->content_encoding;
    neg_split_languages(r->arena, sub->content_languages, v);
    neg_set_mime_fields(r->arena, v, sub->content_type);
    return 0;
}

/* Apache's read_types_multi(): OK, DECLINED-like 0 variants, or a status. */
static int read_types_multi(neg_state *neg)
{
    request *r = neg->r;
    DIR *d = opendir(neg->dir);
    if (d == NULL) {
        log_rerror(r, APLOG_ERR, "negotiation", errno,
                   "AH00686: cannot read directory for multi: %s", neg->dir);
        return 403;
    }
    size_t plen = strlen(neg->base);
    int anymatch = 0;
    request *map = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, neg->base, plen) != 0 || e->d_name[plen] != '.')
            continue;
        if (e->d_type == DT_DIR)
            continue;
        if (e->d_type != DT_UNKNOWN && e->d_type != DT_REG &&
            e->d_type != DT_LNK)
            continue;
        anymatch = 1;
        if (consider_entry(neg, e->d_name, &map))
            break;
    }
    closedir(d);
    if (map != NULL) {
        neg->n = 0;
        return neg_read_type_map(neg, map);
    }
    if (anymatch && neg->n == 0) {
        log_rerror(r, APLOG_ERR, "negotiation", 0,
                   "AH00687: Negotiation: discovered file(s) matching "
                   "request: %s (None could be negotiated).",
                   r->filename);
        return 404;
    }
    set_vlist_validator_dir(r, neg->dir);
    if (neg->n > 1)
        qsort(neg->v, (size_t)neg->n, sizeof(variant), by_name);
    return OK;
}

/* ---- the answer -------------------------------------------------------- */

/* Apache's ap_escape_path_segment(): a file name in a URL. */
static const char *escape_segment(arena *a, const char *s)
{
    const char *e = req_escape_uri(a, s);
    if (strchr(e, '/') == NULL)
        return e;
    char *out = arena_alloc(a, strlen(e) * 3 + 1), *o = out;
    for (; *e; e++) {
        if (*e == '/') {
            memcpy(o, "%2f", 3);
            o += 3;
        } else {
            *o++ = *e;
        }
    }
    *o = '\0';
    return out;
}

static const char *languages_of(arena *a, const variant *v)
{
    if (v->nlangs == 0)
        return NULL;
    const char *s = v->langs[0];
    for (int i = 1; i < v->nlangs; i++)
        s = arena_strcat(a, s, ",", v->langs[i], (char *)NULL);
    return s;
}

static int differs(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") != 0;
}

/* " 0.5": Apache's "%1.3f" with the trailing zeros (and point) cut. */
static const char *quality_text(arena *a, float q)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%1.3f", (double)q);
    if (strlen(buf) == 5 && buf[4] == '0') {
        buf[4] = '\0';
        if (buf[3] == '0') {
            buf[3] = '\0';
            if (buf[2] == '0')
                buf[1] = '\0';
        }
    }
    return arena_strdup(a, buf);
}

static const char *alternate(neg_state *neg, variant *v, const char *lang)
{
    arena *a = neg->r->arena;
    const char *s =
        arena_strcat(a, "{\"", escape_segment(a, v->file_name), "\" ",
                     quality_text(a, v->source_q), (char *)NULL);
    if (v->mime_type && *v->mime_type)
        s = arena_strcat(a, s, " {type ", v->mime_type, "}", (char *)NULL);
    if (v->charset && *v->charset)
        s = arena_strcat(a, s, " {charset ", v->charset, "}", (char *)NULL);
    if (lang)
        s = arena_strcat(a, s, " {language ", lang, "}", (char *)NULL);
    if (v->encoding && *v->encoding)
        s = arena_strcat(a, s, " {encoding ", v->encoding, "}", (char *)NULL);
    int64_t len;
    if (!(v->sub && v->sub->handler) && (len = neg_content_length(neg, v)) >= 0)
        s = arena_strcat(a, s, " {length ", arena_lld(a, (long long)len), "}",
                         (char *)NULL);
    return arena_strcat(a, s, "}", (char *)NULL);
}

/* Apache's set_neg_headers(): Alternates (when asked for), Vary with
 * the dimensions in which the variants differ, TCN. */
static void set_neg_headers(neg_state *neg, int list)
{
    request *r = neg->r;
    arena *a = r->arena;
    int by_type = 0, by_lang = 0, by_charset = 0, by_enc = 0;
    const char *alts = NULL;
    const variant *first = neg->n ? &neg->v[0] : NULL;
    const char *first_lang = first ? languages_of(a, first) : NULL;
    for (int j = 0; j < neg->n; j++) {
        variant *v = &neg->v[j];
        const char *lang = languages_of(a, v);
        if (j > 0) {
            by_type |= differs(first->mime_type, v->mime_type);
            by_charset |= differs(first->charset, v->charset);
            by_lang |= differs(first_lang, lang);
            by_enc |= differs(first->encoding, v->encoding);
        }
        if (neg->send_alternates) {
            const char *one = alternate(neg, v, lang);
            alts = alts ? arena_strcat(a, alts, ", ", one, (char *)NULL) : one;
        }
    }
    if (alts)
        req_table_append(a, &r->err_headers_out, "Alternates", alts);
    if (neg->is_transparent || by_type || by_lang || by_charset || by_enc) {
        const char *vary = arena_strcat(
            a, neg->is_transparent ? ", negotiate" : "",
            by_type ? ", accept" : "", by_lang ? ", accept-language" : "",
            by_charset ? ", accept-charset" : "",
            by_enc ? ", accept-encoding" : "", (char *)NULL);
        req_table_append(a, &r->err_headers_out, "Vary", vary + 2);
    }
    if (neg->is_transparent)
        req_table_set(a, &r->err_headers_out, "TCN", list ? "list" : "choice");
}

/* Apache's make_variant_list(): the body of the 300 and 406 pages. */
static const char *variant_list(neg_state *neg)
{
    arena *a = neg->r->arena;
    const char *s = "Available variants:\n<ul>\n";
    for (int i = 0; i < neg->n; i++) {
        const variant *v = &neg->v[i];
        const char *name = v->file_name ? v->file_name : "";
        const char *lang = languages_of(a, v);
        s = arena_strcat(a, s, "<li><a href=\"", escape_segment(a, name), "\">",
                         req_escape_html(a, name), "</a> ",
                         v->description ? v->description : "", (char *)NULL);
        if (v->mime_type && *v->mime_type)
            s = arena_strcat(a, s, ", type ", v->mime_type, (char *)NULL);
        if (lang)
            s = arena_strcat(a, s, ", language ", lang, (char *)NULL);
        if (v->charset && *v->charset)
            s = arena_strcat(a, s, ", charset ", v->charset, (char *)NULL);
        if (v->encoding)
            s = arena_strcat(a, s, ", encoding ", v->encoding, (char *)NULL);
        s = arena_strcat(a, s, "</li>\n", (char *)NULL);
    }
    return arena_strcat(a, s, "</ul>\n", (char *)NULL);
}

static void store_variant_list(neg_state *neg)
{
    request *r = neg->r;
    request *to = r->main ? r->main : r;
    req_table_set(to->arena, &to->notes, "variant-list", variant_list(neg));
}

/* The lookup of a variant named in a type map, relative to its map. */
static request *lookup_variant(neg_state *neg, const variant *v)
{
    request *r = neg->r;
    return request_lookup_file(
        r, arena_strcat(r->arena, neg->dir, v->file_name, (char *)NULL));
}

/* Apache's setup_choice_response(): Content-Location and the headers of
 * a transparently negotiated choice. */
static int setup_choice(neg_state *neg, variant *v)
{
    request *r = neg->r;
    if (v->sub == NULL) {
        request *sub = lookup_variant(neg, v);
        if (sub->status != 200 && !req_table_get(&sub->err_headers_out, "TCN"))
            return sub->status;
        v->sub = sub;
    }
    request *sub = v->sub;
    if (req_table_get(&sub->err_headers_out, "TCN"))
        return 506;
    if (sub->handler && strcmp(sub->handler, "type-map") == 0)
        return 506;
    const char *sub_vary = req_table_get(&sub->err_headers_out, "Vary");
    if (sub_vary != NULL) {
        req_table_set(r->arena, &r->err_headers_out, "Variant-Vary", sub_vary);
        req_table_set(r->arena, &r->err_headers_out, "Vary", sub_vary);
        req_table_unset(&sub->err_headers_out, "Vary");
    }
    req_table_set(r->arena, &r->err_headers_out, "Content-Location",
                  escape_segment(r->arena, v->file_name));
    set_neg_headers(neg, 0);
    return 0;
}

/* Apache's do_negotiation(): 0 with *best chosen, or a status (300, 406,
 * 506, or the chosen variant's own refusal). */
static int do_negotiation(neg_state *neg, variant **best, int prefer_scripts)
{
    request *r = neg->r;
    if (r->method_number == M_GET) {
        neg->is_transparent = !(r->path_info && *r->path_info);
        for (int j = 0; j < neg->n; j++)
            if (strchr(neg->v[j].file_name, '/') || neg->v[j].body >= 0)
                neg->is_transparent = 0;
    }
    if (neg->is_transparent)
        neg_parse_negotiate(neg);
    else
        neg->may_choose = 1;
    neg_add_default_accepts(neg, prefer_scripts);
    int list = neg_best_match(neg, best);
    if (list) {
        neg->send_alternates = 1;
        set_neg_headers(neg, 1);
        store_variant_list(neg);
        if (neg->is_transparent && neg->ua_supports_trans)
            return 300;
        if (*best == NULL) {
            log_rerror(r, APLOG_ERR, "negotiation", 0,
                       "AH00690: no acceptable variant: %s", r->filename);
            return 406;
        }
    }
    if (neg->is_transparent) {
        int rc = setup_choice(neg, *best);
        if (rc != 0)
            return rc;
    } else {
        set_neg_headers(neg, list);
    }
    return 0;
}

/* Apache's ap_internal_fast_redirect(): r becomes the variant's lookup,
 * keeping the negotiation's headers and notes. */
static void promote(request *sub, request *r)
{
    r->uri = sub->uri;
    r->filename = sub->filename;
    r->canonical_filename = sub->canonical_filename;
    r->path_info = sub->path_info;
    r->args = sub->args ? sub->args : r->args;
    r->finfo = sub->finfo;
    r->finfo_valid = sub->finfo_valid;
    r->handler = sub->handler;
    r->content_type = sub->content_type;
    r->content_encoding = sub->content_encoding;
    r->content_languages = sub->content_languages;
    r->per_dir_config = sub->per_dir_config;
    r->walk_sig = sub->walk_sig;
    r->walk_dir = sub->walk_dir;
    r->walk_rx_subject = sub->walk_rx_subject;
    /* apr_table_overlay(): the lookup's fields first, then r's (so a Vary
     * a Require expr of the variant's scope added stays) */
    const req_table *from[] = {&sub->notes, &sub->headers_out,
                               &sub->err_headers_out};
    req_table *to[] = {&r->notes, &r->headers_out, &r->err_headers_out};
    for (int t = 0; t < 3; t++) {
        req_table both;
        memset(&both, 0, sizeof(both));
        for (int k = 0; k < 2; k++) {
            const req_table *src = k ? to[t] : from[t];
            for (int i = 0; i < src->n; i++)
                req_table_add(r->arena, &both, src->v[i].name, src->v[i].value);
        }
        *to[t] = both;
    }
    /* the environment likewise: the lookup's value of a name wins (it
     * started as a copy of r's, and may share its array: copied first) */
    int n = sub->subprocess_env.n;
    req_header *env = arena_alloc(r->arena, sizeof(*env) * (size_t)(n + 1));
    if (n > 0)
        memcpy(env, sub->subprocess_env.v, sizeof(*env) * (size_t)n);
    for (int i = 0; i < n; i++)
        req_table_set(r->arena, &r->subprocess_env, env[i].name, env[i].value);
}

static void neg_init(neg_state *neg, request *r)
{
    memset(neg, 0, sizeof(*neg));
    neg->r = r;
    neg->conf = modutil_dir_config(r, &negotiation_module);
    const char *slash = strrchr(r->filename, '/');
    neg->dir =
        arena_strndup(r->arena, r->filename, (size_t)(slash - r->filename + 1));
    neg->base = slash + 1;
    neg_parse_accept_headers(neg);
}

/* type_checker, first: Apache's handle_multi(). */
static __attribute__((noinline)) int negotiate_multi(request *r)
{
    neg_state neg;
    neg_init(&neg, r);
    int rc = read_types_multi(&neg);
    if (rc != OK)
        return rc;
    if (neg.n == 0)
        return DECLINED;
    variant *best = NULL;
    rc = do_negotiation(&neg, &best,
                        r->method_number != M_GET || r->args ||
                            (r->path_info && *r->path_info));
    if (rc != 0)
        return rc;
    request *sub = best->sub;
    if (sub == NULL) {
        sub = lookup_variant(&neg, best);
        if (sub->status != 200)
            return sub->status;
    }
    promote(sub, r);
    return OK;
}

/* The hooks below run for every request: their tests are kept apart from
 * the negotiation (a large stack frame, every register saved) so that a
 * request that needs none costs a call and a few compares. */
static int handle_multi(request *r)
{
    if (r->finfo_valid || r->filename == NULL || r->filename[0] != '/')
        return DECLINED;
    const core_dir_conf *cd =
        r->per_dir_config ? core_dir(r->per_dir_config) : NULL;
    if (cd == NULL || !(cd->options & OPT_MULTI))
        return DECLINED;
    return negotiate_multi(r);
}

/* The body of a type map's variant, sent from the map file itself: no
 * ETag nor Last-Modified, but conditions and ranges apply. */
static int send_body(neg_state *neg, const variant *best)
{
    request *r = neg->r;
    if (r->method_number != M_GET && r->method_number != M_POST) {
        int trace = r->rc == NULL || r->rc->trace_enable != 0;
        req_table_set(r->arena, &r->notes, "allow-methods",
                      trace ? "GET,POST,OPTIONS,HEAD,TRACE"
                            : "GET,POST,OPTIONS,HEAD");
        return 405;
    }
    const core_dir_conf *d = request_core_dir(r); /* ap_set_accept_ranges */
    request_set_header(r, "Accept-Ranges",
                       d && d->max_ranges == RANGES_NONE ? "none" : "bytes");
    request_set_header(r, "Content-Length",
                       arena_lld(r->arena, (long long)best->bytes));
    if (best->mime_type && *best->mime_type)
        r->content_type =
            best->charset && *best->charset
                ? arena_strcat(r->arena, best->mime_type,
                               "; charset=", best->charset, (char *)NULL)
                : best->mime_type;
    if (best->nlangs)
        r->content_languages = languages_of(r->arena, best);
    if (best->encoding && *best->encoding)
        r->content_encoding = best->encoding;
    int rc = http_meets_conditions(r);
    if (rc == 304) { /* the status with these headers, no body */
        r->status = rc;
        return OK;
    }
    if (rc != OK)
        return rc;
    if (best->bytes <= 0)
        return OK;
    /* the body with its end in one piece, as apache2's brigade: byte
     * ranges apply to a HEAD too */
    request_body_replace(r,
                         arena_strndup(r->arena, neg->map_text + best->body,
                                       (size_t)best->bytes),
                         (size_t)best->bytes, 0);
    return http_range_check(r);
}

/* handler: Apache's handle_map_file(). */
static __attribute__((noinline)) int map_file(request *r)
{
    neg_state neg;
    neg_init(&neg, r);
    int rc = neg_read_type_map(&neg, r);
    if (rc != OK)
        return rc;
    variant *best = NULL;
    rc = do_negotiation(&neg, &best, 0);
    if (rc != 0)
        return rc;
    /* as apache2's do_negotiation(): an HTTP/1.0 client cannot be told
     * how the answer varies, so it must not cache it (Expires: now);
     * MultiViews answers lose the mark in the fast redirect */
    const neg_server_conf *sc =
        r->server && r->server->module_config
            ? conf_get(r->server->module_config, &negotiation_module)
            : NULL;
    if (!(sc && sc->cache == 1) && r->proto_num < 1001)
        r->no_cache = 1;
    if (best->body >= 0)
        return send_body(&neg, best);
    const char *uri = r->uri;
    if (r->path_info && *r->path_info) {
        size_t ul = strlen(uri), pl = strlen(r->path_info);
        if (ul >= pl && strcmp(uri + ul - pl, r->path_info) == 0)
            uri = arena_strndup(r->arena, uri, ul - pl);
        r->uri = uri; /* as apache2, which cuts it off in place (%U) */
    }
    const char *slash = strrchr(uri, '/');
    const char *udir = req_escape_uri(
        r->arena, arena_strndup(r->arena, uri, (size_t)(slash - uri + 1)));
    const char *target = arena_strcat(
        r->arena, udir, best->file_name, r->path_info ? r->path_info : "",
        r->args ? "?" : "", r->args ? r->args : "", (char *)NULL);
    request_internal_redirect_full(r, target);
    return OK;
}

static int handle_map(request *r)
{
    const char *h = r->handler;
    /* the first bytes before the whole names: most handlers are neither */
    if (h == NULL ||
        !((h[0] == 'a' && strcmp(h, MAP_FILE_MAGIC_TYPE) == 0) ||
          (h[0] == 't' && h[1] == 'y' && strcmp(h, "type-map") == 0)))
        return DECLINED;
    if (r->filename == NULL || strrchr(r->filename, '/') == NULL)
        return DECLINED;
    return map_file(r);
}

/* fixups: Apache's fix_encoding(): the encoding named as the client
 * named it ("x-gzip" for "gzip" and back). */
static __attribute__((noinline)) int name_encoding(request *r)
{
    const char *enc = r->content_encoding;
    if (enc[0] == 'x' && enc[1] == '-')
        enc += 2;
    accept_list *ae =
        neg_parse_header(r->arena, request_get_header(r, "Accept-Encoding"));
    if (ae == NULL)
        return DECLINED;
    const char *x_enc = NULL;
    for (int i = 0; i < ae->n; i++) {
        const char *name = ae->v[i].name;
        if (strcmp(name, enc) == 0) {
            r->content_encoding = name;
            return OK;
        }
        if (name[0] == 'x' && name[1] == '-' && strcmp(name + 2, enc) == 0)
            x_enc = name;
    }
    if (x_enc != NULL)
        r->content_encoding = x_enc;
    return DECLINED;
}

static int fix_encoding(request *r)
{
    const char *enc = r->content_encoding;
    if (enc == NULL || *enc == '\0')
        return DECLINED;
    return name_encoding(r);
}

static const command_rec negotiation_cmds[] = {
    {"CacheNegotiatedDocs", cmd_cache, 0, RSRC_CONF, FLAG,
     "Either 'on' or 'off' (default)"},
    {"LanguagePriority", cmd_priority, 0, OR_FILEINFO, ITERATE,
     "space-delimited list of MIME language abbreviations"},
    {"ForceLanguagePriority", cmd_force, 0, OR_FILEINFO, ITERATE,
     "Force LanguagePriority elections, either None, or Fallback and/or "
     "Prefer"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module negotiation_module = {
    .name = "negotiation_module",
    .file = "mod_negotiation.c",
    .cmds = negotiation_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .create_server_config = create_server,
    .merge_server_config = merge_server,
    .type_checker = handle_multi,
    .fixups = fix_encoding,
    .handler = handle_map,
};
