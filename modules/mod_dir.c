/* mod_dir.c -- DirectoryIndex (several names, "disabled"),
 * DirectorySlash, FallbackResource, DirectoryIndexRedirect,
 * DirectoryCheckHandler.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_dir.h"
#include "mod_util.h"
#include "request.h"

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    dir_conf *c = arena_calloc(a, sizeof(*c));
    c->do_slash = UNSET;
    c->checkhandler = UNSET;
    c->redirect_index = UNSET;
    return c;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const dir_conf *base = basev, *add = addv;
    dir_conf *c = arena_calloc(a, sizeof(*c));
    const dir_conf *idx = add->index_names ? add : base;
    c->index_names = idx->index_names;
    c->nindex = idx->nindex;
    c->do_slash = add->do_slash == UNSET ? base->do_slash : add->do_slash;
    c->checkhandler =
        add->checkhandler == UNSET ? base->checkhandler : add->checkhandler;
    c->redirect_index = add->redirect_index == UNSET ? base->redirect_index
                                                     : add->redirect_index;
    c->fallback = add->fallback ? add->fallback : base->fallback;
    return c;
}

/* RAW_ARGS: Apache reads the words itself, so no words is fine, several
 * lines append, and "disabled" alone clears the list. */
static const char *cmd_index(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    dir_conf *c = mconfig;
    char **words;
    int n = conf_split_args(cmd->temp, argc > 0 ? argv[0] : "", &words, NULL);
    int k = 0;
    while (k < n && words[k][0] != '\0')
        k++;
    if (k == 1 && c->nindex == 0 && strcasecmp(words[0], "disabled") == 0) {
        c->index_names = arena_alloc(cmd->arena, sizeof(char *));
        c->nindex = 0;
        return NULL;
    }
    if (k == 1 && strcasecmp(words[0], "disabled") == 0) {
        c->nindex = 0;
        return NULL;
    }
    const char **v =
        arena_alloc(cmd->arena, sizeof(char *) * (c->nindex + k + 1));
    for (int i = 0; i < c->nindex; i++)
        v[i] = c->index_names[i];
    for (int i = 0; i < k; i++)
        v[c->nindex + i] = arena_strdup(cmd->arena, words[i]);
    c->index_names = v;
    c->nindex += k;
    return NULL;
}

static const char *cmd_slash(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)argc;
    (void)argv;
    ((dir_conf *)mconfig)->do_slash = cmd->flag;
    return NULL;
}

static const char *cmd_checkhandler(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    (void)argc;
    (void)argv;
    ((dir_conf *)mconfig)->checkhandler = cmd->flag;
    return NULL;
}

static const char *cmd_fallback(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    (void)argc;
    ((dir_conf *)mconfig)->fallback = arena_strdup(cmd->arena, argv[0]);
    return NULL;
}

static const char *cmd_index_redirect(cmd_parms *cmd, void *mconfig, int argc,
                                      char *const argv[])
{
    (void)cmd;
    (void)argc;
    dir_conf *c = mconfig;
    const char *a = argv[0];
    if (strcasecmp(a, "on") == 0 || strcasecmp(a, "permanent") == 0)
        c->redirect_index = 301;
    else if (strcasecmp(a, "off") == 0)
        c->redirect_index = 0;
    else if (strcasecmp(a, "temp") == 0)
        c->redirect_index = 302;
    else if (strcasecmp(a, "seeother") == 0)
        c->redirect_index = 303;
    else if (isdigit((unsigned char)a[0]) && atoi(a) >= 300 && atoi(a) < 400)
        c->redirect_index = atoi(a);
    else
        return "DirectoryIndexRedirect ON|OFF|permanent|temp|seeother|3xx";
    return NULL;
}

/* ---- runtime
 * ----------------------------------------------------------------- */

/* Returned by fixups when the request was handed to an internal redirect:
 * a 2xx stops r's own processing and the chained request answers. */
#define HANDED_OVER 200

static int with_args_redirect(request *r, const char *uri)
{
    if (r->args)
        uri = arena_strcat(r->arena, uri, "?", r->args, (char *)NULL);
    request_internal_redirect(r, uri);
    return HANDED_OVER;
}

static int is_regular(const request *rr)
{
    return rr->status == 200 && rr->finfo_valid && S_ISREG(rr->finfo.st_mode);
}

static int fallback_on(const request *rr, const dir_conf **d)
{
    *d = modutil_dir_config(rr, &dir_module);
    return rr->status == 200 && !rr->finfo_valid && rr->handler == NULL &&
           *d != NULL && (*d)->fallback != NULL &&
           strcasecmp((*d)->fallback, "disabled") != 0;
}

/* Apache's lookups run fixups too: a missing file where a
 * FallbackResource applies becomes that resource (looked up from the
 * lookup, so the fallback's own fallback applies in turn, until a file
 * or the nesting limit's 500), and the fallback's refusal (403, a broken
 * .htaccess's 500...) is the lookup's. */
static request *resolve_fallback(request *rr)
{
    const dir_conf *d;
    if (!fallback_on(rr, &d))
        return rr;
    const char *name = d->fallback;
    if (rr->args)
        name = arena_strcat(rr->arena, name, "?", rr->args, (char *)NULL);
    request *fb = resolve_fallback(request_lookup_uri(rr, name));
    if (is_regular(fb))
        return fb;
    if (fb->status != 200 && fb->status != 404)
        rr->status = fb->status;
    return rr;
}

static request *lookup_as_apache(request *r, const char *uri)
{
    return resolve_fallback(request_lookup_uri(r, uri));
}

request *dir_lookup_uri(request *r, const char *uri)
{
    return lookup_as_apache(r, uri);
}

/* apr_table_overlay(): what from has and to lacks is added to to. */
static void overlay(request *r, req_table *to, const req_table *from)
{
    for (int k = 0; k < from->n; k++)
        if (req_table_get(to, from->v[k].name) == NULL)
            req_table_add(r->arena, to, from->v[k].name, from->v[k].value);
}

/* The DirectorySlash 301 and the DirectoryIndex search. */
static int fixup_dir(request *r, const dir_conf *d)
{
    if (r->path_info && *r->path_info)
        return DECLINED;
    size_t ulen = strlen(r->uri);
    if (ulen == 0 || r->uri[ulen - 1] != '/') {
        if (d && d->do_slash == 0)
            return DECLINED;
        if (r->method_number != M_GET &&
            req_table_get(&r->subprocess_env, "redirect-carefully"))
            return DECLINED;
        const char *loc = arena_strcat(
            r->arena, req_escape_uri(r->arena, r->uri), "/", r->args ? "?" : "",
            r->args ? r->args : "", (char *)NULL);
        req_table_set(r->arena, &r->headers_out, "Location",
                      modutil_construct_url(r, loc));
        return 301;
    }
    /* DirectoryCheckHandler On: the index only for a directory left to
     * mod_dir's own handler (a SetHandler naming another keeps it; the
     * slash redirect above is made either way) */
    if (d && d->checkhandler == 1 &&
        (r->handler == NULL || strcmp(r->handler, "httpd/unix-directory") != 0))
        return DECLINED;
    static const char *const dflt[] = {"index.html"};
    const char *const *names = d && d->index_names ? d->index_names : dflt;
    int n = d && d->index_names ? d->nindex : 1;
    int error = 0;
    /* what mod_autoindex names in AH01276: the list, comma-separated */
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(names[i]) + 1;
    char *list = arena_alloc(r->arena, len), *w = list;
    for (int i = 0; i < n; i++)
        w += sprintf(w, "%s%s", i ? "," : "", names[i]);
    *w = '\0';
    req_table_set(r->arena, &r->notes, "dir-index-names", list);
    for (int i = 0; i < n; i++) {
        const char *name = names[i];
        if (r->args)
            name = arena_strcat(r->arena, name, "?", r->args, (char *)NULL);
        request *rr = lookup_as_apache(r, name);
        if (is_regular(rr)) {
            if (d && d->redirect_index >= 300 && d->redirect_index < 400) {
                req_table_set(r->arena, &r->headers_out, "Location",
                              modutil_construct_url(r, rr->uri));
                return d->redirect_index;
            }
            if (r->is_subrequest) { /* a lookup becomes the index's */
                r->uri = rr->uri;
                r->args = rr->args;
                r->filename = rr->filename;
                r->path_info = rr->path_info;
                r->finfo = rr->finfo;
                r->per_dir_config = rr->per_dir_config;
                r->content_type = rr->content_type;
                r->content_encoding = rr->content_encoding;
                r->content_languages = rr->content_languages;
                r->handler = rr->handler;
                return OK;
            }
            /* Apache's fast redirect makes r the index request itself:
             * logs show the index file's path, and what the lookup's
             * negotiation said (Vary, TCN, Content-Location) goes out */
            overlay(r, &r->err_headers_out, &rr->err_headers_out);
            const char *uri = rr->uri;
            r->uri = uri;
            r->filename = rr->filename;
            /* the redirect takes a URL path: the decoded one escaped
             * again (an index in "/100%/" is "/100%25/index.html") */
            return with_args_redirect(r, req_escape_uri(r->arena, uri));
        }
        if ((rr->status >= 300 && rr->status < 400) ||
            ((rr->status == 406 || rr->status == 401) && n == 1)) {
            for (int k = 0; k < rr->headers_out.n; k++)
                req_table_set(r->arena, &r->headers_out,
                              rr->headers_out.v[k].name,
                              rr->headers_out.v[k].value);
            /* a 406's list of variants and its negotiation headers */
            overlay(r, &r->err_headers_out, &rr->err_headers_out);
            overlay(r, &r->notes, &rr->notes);
            return rr->status;
        }
        if (rr->status && rr->status != 404 && rr->status != 200)
            error = rr->status;
    }
    if (error)
        return error;
    return DECLINED;
}

static int fixup_fallback(request *r, const dir_conf *d)
{
    if (d == NULL || d->fallback == NULL ||
        strcasecmp(d->fallback, "disabled") == 0)
        return DECLINED;
    const char *name = d->fallback;
    if (r->args)
        name = arena_strcat(r->arena, name, "?", r->args, (char *)NULL);
    request *first = request_lookup_uri(r, name);
    request *rr = resolve_fallback(first);
    if (is_regular(rr)) {
        /* Apache's fast redirect makes r the fallback request: logs show
         * its path (%U %f), the last one of a chain of fallbacks */
        r->uri = rr->uri;
        r->filename = rr->filename;
        if (rr != first)
            name = arena_strcat(r->arena, req_escape_uri(r->arena, rr->uri),
                                rr->args ? "?" : "", rr->args ? rr->args : "",
                                (char *)NULL);
        request_internal_redirect(r, name);
        return HANDED_OVER;
    }
    if (rr->status >= 300) /* Apache answers with the lookup's refusal */
        return rr->status;
    return DECLINED;
}

static int fixups(request *r)
{
    const dir_conf *d = modutil_dir_config(r, &dir_module);
    if (r->finfo_valid && S_ISDIR(r->finfo.st_mode))
        return fixup_dir(r, d);
    if (!r->finfo_valid && r->handler == NULL)
        return fixup_fallback(r, d);
    return DECLINED;
}

#define DIR_CMD_PERMS OR_INDEXES

static const command_rec dir_cmds[] = {
    {"FallbackResource", cmd_fallback, 0, DIR_CMD_PERMS, TAKE1,
     "Set a default handler"},
    {"DirectoryIndex", cmd_index, 0, DIR_CMD_PERMS, RAW_ARGS,
     "a list of file names"},
    {"DirectorySlash", cmd_slash, 0, DIR_CMD_PERMS, FLAG, "On or Off"},
    {"DirectoryCheckHandler", cmd_checkhandler, 0, DIR_CMD_PERMS, FLAG,
     "On or Off"},
    {"DirectoryIndexRedirect", cmd_index_redirect, 0, DIR_CMD_PERMS, TAKE1,
     "On, Off, or a 3xx status code."},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module dir_module = {
    .name = "dir_module",
    .file = "mod_dir.c",
    .cmds = dir_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .fixups = fixups,
    .fixups_last = 1,
};
