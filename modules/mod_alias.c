/* mod_alias.c -- Alias, AliasMatch, Redirect, RedirectMatch,
 * RedirectPermanent, RedirectTemp: what Apache 2.4 accepts, with its
 * messages, and the typed entries the runtime translates with.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mod_alias.h"
#include "mod_util.h"
#include "request.h"

int alias_is_url(const char *u)
{
    int x;
    for (x = 0; u[x] != ':'; x++)
        if (u[x] == '\0' || (!isalnum((unsigned char)u[x]) && u[x] != '+' &&
                             u[x] != '-' && u[x] != '.'))
            return 0;
    return x > 0;
}

int alias_prefix_match(const char *uri, const char *fake)
{
    const char *a = fake, *u = uri;
    while (*a) {
        if (*a == '/') {
            if (*u != '/')
                return 0;
            while (*a == '/')
                a++;
            while (*u == '/')
                u++;
        } else if (*u++ != *a++) {
            return 0;
        }
    }
    if (a == fake)
        return 0;
    if (a[-1] != '/' && *u != '\0' && *u != '/')
        return 0;
    return (int)(u - uri);
}

/* ---- configuration ------------------------------------------------------ */

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    return arena_calloc(a, sizeof(alias_server_conf));
}

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(alias_dir_conf));
}

/* first's entries, then second's, copied so both stay intact. */
static alias_entry *concat(arena *a, const alias_entry *first,
                           const alias_entry *second, alias_entry **tail)
{
    alias_entry *head = NULL, **link = &head, *last = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (const alias_entry *e = pass ? second : first; e; e = e->next) {
            alias_entry *c = arena_alloc(a, sizeof(*c));
            *c = *e;
            c->next = NULL;
            *link = last = c;
            link = &c->next;
        }
    if (tail)
        *tail = last;
    return head;
}

/* A vhost tries its own entries first, then the main server's. */
static void *merge_server(arena *a, void *basev, void *addv)
{
    const alias_server_conf *base = basev, *add = addv;
    alias_server_conf *c = arena_calloc(a, sizeof(*c));
    c->aliases = concat(a, add->aliases, base->aliases, &c->aliases_tail);
    c->redirects =
        concat(a, add->redirects, base->redirects, &c->redirects_tail);
    return c;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const alias_dir_conf *base = basev, *add = addv;
    alias_dir_conf *c = arena_calloc(a, sizeof(*c));
    c->redirects =
        concat(a, add->redirects, base->redirects, &c->redirects_tail);
    c->alias = add->alias_set ? add->alias : base->alias;
    c->alias_set = add->alias_set || base->alias_set;
    c->redirect = add->redirect_set ? add->redirect : base->redirect;
    c->redirect_status =
        add->redirect_set ? add->redirect_status : base->redirect_status;
    c->redirect_set = add->redirect_set || base->redirect_set;
    return c;
}

static void free_regex(void *p)
{
    conf_regfree(p);
}

static conf_regex_t *compile(cmd_parms *cmd, const char *pattern)
{
    conf_regex_t *re = arena_alloc(cmd->arena, sizeof(*re));
    if (conf_regcomp(re, pattern, 0) != 0)
        return NULL;
    arena_cleanup(cmd->arena, free_regex, re);
    return re;
}

static alias_entry *new_entry(cmd_parms *cmd)
{
    alias_entry *e = arena_calloc(cmd->arena, sizeof(*e));
    if (cmd->node) {
        e->file = cmd->node->file;
        e->line = cmd->node->line;
    }
    return e;
}

static void push(alias_entry **head, alias_entry **tail, alias_entry *e)
{
    if (*tail)
        (*tail)->next = e;
    else
        *head = e;
    *tail = e;
}

/* ---- Alias, AliasMatch -------------------------------------------------- */

static void warn_overlap(cmd_parms *cmd, alias_server_conf *sc,
                         const char *fake)
{
    for (alias_entry *e = sc->aliases; e; e = e->next) {
        int hit = e->regex ? conf_regexec(e->regex, fake, 0, NULL, 0) == 0
                           : alias_prefix_match(fake, e->fake) > 0;
        if (!hit)
            continue;
        conf_warn(cmd, "alias", "alias-overlap",
                  "AH00671: The %s directive in %s at line %d will probably "
                  "never match because it overlaps an earlier %sAlias%s.",
                  cmd->cmd->name, cmd->node ? cmd->node->file : "",
                  cmd->node ? cmd->node->line : 0, "", e->regex ? "Match" : "");
        return;
    }
}

static const char *add_alias(cmd_parms *cmd, const char *fake, const char *real,
                             int use_regex)
{
    const char *err = conf_check_context(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    alias_server_conf *sc = conf_server_config(cmd, &alias_module);
    alias_entry *e = new_entry(cmd);
    if (use_regex && (e->regex = compile(cmd, fake)) == NULL)
        return "Regular expression could not be compiled.";
    e->fake = arena_strdup(cmd->arena, fake);
    e->real = arena_strdup(cmd->arena, real);
    if (!use_regex)
        warn_overlap(cmd, sc, fake);
    push(&sc->aliases, &sc->aliases_tail, e);
    return NULL;
}

static const char *cmd_alias(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    alias_dir_conf *dc = mconfig;
    if (argc >= 2)
        return add_alias(cmd, argv[0], argv[1], 0);
    const char *err = conf_check_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    if (err)
        return err;
    if (cmd->path == NULL)
        return "Alias must have two arguments when used globally";
    dc->alias = arena_strdup(cmd->arena, argv[0]);
    dc->alias_set = 1;
    return NULL;
}

static const char *cmd_alias_match(cmd_parms *cmd, void *mconfig, int argc,
                                   char *const argv[])
{
    (void)mconfig;
    (void)argc;
    return add_alias(cmd, argv[0], argv[1], 1);
}

/* ---- Redirect family ---------------------------------------------------- */

static int status_keyword(const char *w, int *status)
{
    if (strcasecmp(w, "permanent") == 0)
        *status = 301;
    else if (strcasecmp(w, "temp") == 0)
        *status = 302;
    else if (strcasecmp(w, "seeother") == 0)
        *status = 303;
    else if (strcasecmp(w, "gone") == 0)
        *status = 410;
    else if (isdigit((unsigned char)*w))
        *status = atoi(w);
    else
        return 0;
    return 1;
}

/* One-argument and "status URL" forms inside <Location>. */
static const char *dir_redirect(cmd_parms *cmd, alias_dir_conf *dc,
                                const char *url, int status)
{
    dc->redirect = url ? arena_strdup(cmd->arena, url) : NULL;
    dc->redirect_status = status;
    dc->redirect_set = 1;
    return NULL;
}

static const char *add_redirect(cmd_parms *cmd, alias_dir_conf *dc, int argc,
                                char *const argv[], int status, int use_regex)
{
    const char *a1 = argv[0];
    const char *a2 = argc > 1 ? argv[1] : NULL;
    const char *a3 = argc > 2 ? argv[2] : NULL;
    int grok = status_keyword(a1, &status);
    if (a3 && !grok)
        return "Redirect: invalid first argument (of three)";
    /* The forms without a URL-path exist only inside a section. */
    if (grok && a2 && !a3 && status != 410 && cmd->path)
        return dir_redirect(cmd, dc, a2, status);
    if (grok && !a2 && status == 410)
        return dir_redirect(cmd, dc, NULL, status);
    if (!grok && !a2 && cmd->path)
        return dir_redirect(cmd, dc, a1, status);
    const char *fake = a2, *url = a3;
    if (!a3 && !grok) {
        fake = a1;
        url = a2;
    }
    conf_regex_t *re = NULL;
    if (use_regex && (re = compile(cmd, fake)) == NULL)
        return "Regular expression could not be compiled.";
    if (status >= 300 && status < 400) {
        if (url == NULL)
            return "URL to redirect to is missing";
        if (!use_regex && !alias_is_url(url) && url[0] != '/')
            return "Redirect to non-URL";
    } else if (url != NULL) {
        return "Redirect URL not valid for this status";
    }
    alias_entry *e = new_entry(cmd);
    e->fake = arena_strdup(cmd->arena, fake);
    e->real = url ? arena_strdup(cmd->arena, url) : NULL;
    e->regex = re;
    e->status = status;
    if (cmd->path) {
        push(&dc->redirects, &dc->redirects_tail, e);
    } else {
        alias_server_conf *sc = conf_server_config(cmd, &alias_module);
        push(&sc->redirects, &sc->redirects_tail, e);
    }
    return NULL;
}

static const char *cmd_redirect(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    return add_redirect(cmd, mconfig, argc, argv, 302, 0);
}

static const char *cmd_redirect_match(cmd_parms *cmd, void *mconfig, int argc,
                                      char *const argv[])
{
    return add_redirect(cmd, mconfig, argc, argv, 302, 1);
}

static const char *cmd_redirect_temp(cmd_parms *cmd, void *mconfig, int argc,
                                     char *const argv[])
{
    (void)argc;
    char *const two[3] = {argv[0], argv[1], NULL};
    return add_redirect(cmd, mconfig, 2, two, 302, 0);
}

static const char *cmd_redirect_permanent(cmd_parms *cmd, void *mconfig,
                                          int argc, char *const argv[])
{
    (void)argc;
    char *const two[3] = {argv[0], argv[1], NULL};
    return add_redirect(cmd, mconfig, 2, two, 301, 0);
}

/* ---- runtime ------------------------------------------------------------ */

#define MAX_MATCH 10

/* Apache's try_alias_list(): the first entry matching r->uri gives the
 * target (an alias file name, or a redirect URL) and its status. */
static const char *try_list(request *r, const alias_entry *e, int is_redir,
                            int *status)
{
    for (; e; e = e->next) {
        const char *found = NULL;
        if (e->regex) {
            conf_regmatch_t m[MAX_MATCH];
            if (conf_regexec(e->regex, r->uri, MAX_MATCH, m, 0) != 0)
                continue;
            if (e->real == NULL) {
                found = "";
            } else {
                char *sub =
                    modutil_regsub(r->arena, e->real, r->uri, m, MAX_MATCH);
                if (is_redir) {
                    /* escape the path, keep query and fragment as given */
                    size_t n = strcspn(sub, "?#");
                    found = arena_strcat(
                        r->arena,
                        req_escape_uri(r->arena,
                                       arena_strndup(r->arena, sub, n)),
                        sub + n, (char *)NULL);
                } else {
                    found = sub;
                }
            }
        } else {
            int l = alias_prefix_match(r->uri, e->fake);
            if (l <= 0)
                continue;
            const char *rest = r->uri + l;
            if (is_redir)
                rest = req_escape_uri(r->arena, rest);
            found = arena_strcat(r->arena, e->real ? e->real : "", rest,
                                 (char *)NULL);
        }
        if (!is_redir && found[0] != '/' && r->rc && r->rc->server_root)
            found = arena_strcat(r->arena, r->rc->server_root, "/", found,
                                 (char *)NULL);
        *status = e->status;
        return found;
    }
    return NULL;
}

/* The Location for a redirect target, or NULL when it cannot be one. */
static const char *redirect_location(request *r, const char *target,
                                     int add_args)
{
    if (target[0] == '/')
        target = modutil_construct_url(r, target);
    if (!alias_is_url(target))
        return NULL;
    if (add_args && r->args && strchr(target, '?') == NULL)
        target = arena_strcat(r->arena, target, "?", r->args, (char *)NULL);
    return target;
}

static int answer_redirect(request *r, const char *target, int status,
                           int add_args)
{
    if (status >= 300 && status < 400) {
        const char *loc = redirect_location(r, target, add_args);
        if (loc == NULL)
            return 500;
        req_table_set(r->arena, &r->headers_out, "Location", loc);
        return status;
    }
    /* another status is answered with its page, as apache2 does: a 2xx
     * too (the 500 text under its own title), 413 and 416 with their
     * length, and 405 and 501 before any handler named its methods */
    req_table_set(r->arena, &r->notes, "status-page", "alias");
    if (status == 405 || status == 501)
        req_table_set(r->arena, &r->notes, "allow-methods",
                      request_trace_mode(r) ? "TRACE" : "");
    return status;
}

/* The <Location> sections matching r->uri, as the core's walk matches
 * them (prefix at a '/' boundary, wildcards, or the regex). */
static int location_matches(const section_conf *l, const char *uri)
{
    if (l->is_regex)
        return l->regex && conf_regexec(l->regex, uri, 0, NULL, 0) == 0;
    if (strpbrk(l->path, "*?[") != NULL)
        return fnmatch(l->path, uri, FNM_PATHNAME) == 0;
    size_t n = strlen(l->path);
    return strncmp(l->path, uri, n) == 0 &&
           (n == 0 || l->path[n - 1] == '/' || uri[n] == '/' || uri[n] == '\0');
}

/* "Alias /path" inside <Location>: the last matching section's target
 * serves every URI under it (the string is used as written). */
static const char *location_alias(request *r)
{
    const char *found = NULL;
    for (const section_conf *l = r->server->loc_sections; l; l = l->next) {
        if (l->kind != SEC_LOCATION && l->kind != SEC_LOCATION_MATCH)
            continue;
        const alias_dir_conf *dc =
            l->module_config ? conf_get(l->module_config, &alias_module) : NULL;
        if (dc && dc->alias_set && location_matches(l, r->uri))
            found = dc->alias;
    }
    if (found && found[0] != '/' && r->rc && r->rc->server_root)
        found = arena_strcat(r->arena, r->rc->server_root, "/", found,
                             (char *)NULL);
    return found;
}

/* "Redirect [status] URL" written in a section: the query string is
 * passed on unless the URL has one. */
static int section_redirect(request *r, const alias_dir_conf *dc)
{
    const char *t = dc->redirect ? dc->redirect : "";
    if (dc->redirect) {
        size_t n = strcspn(t, "?#");
        t = arena_strcat(
            r->arena, req_escape_uri(r->arena, arena_strndup(r->arena, t, n)),
            t + n, (char *)NULL);
    }
    return answer_redirect(r, t, dc->redirect_status, 1);
}

/* The last <Location> matching r->uri that has such a Redirect: apache2
 * answers it as it translates the URI, before any file is looked up (%f
 * is "-"); one in a <Directory> waits for the fixups. */
static const alias_dir_conf *location_redirect(request *r)
{
    const alias_dir_conf *found = NULL;
    for (const section_conf *l = r->server->loc_sections; l; l = l->next) {
        if (l->kind != SEC_LOCATION && l->kind != SEC_LOCATION_MATCH)
            continue;
        const alias_dir_conf *dc =
            l->module_config ? conf_get(l->module_config, &alias_module) : NULL;
        if (dc && dc->redirect_set && location_matches(l, r->uri))
            found = dc;
    }
    return found;
}

static int translate(request *r)
{
    if (r->uri == NULL || (r->uri[0] != '/' && r->uri[0] != '\0'))
        return DECLINED;
    const alias_server_conf *sc =
        r->server && r->server->module_config
            ? conf_get(r->server->module_config, &alias_module)
            : NULL;
    if (sc == NULL)
        return DECLINED;
    const alias_dir_conf *ld = location_redirect(r);
    if (ld != NULL)
        return section_redirect(r, ld);
    int status = 0;
    const char *t = try_list(r, sc->redirects, 1, &status);
    if (t != NULL)
        return answer_redirect(r, t, status, 1);
    t = try_list(r, sc->aliases, 0, &status);
    if (t == NULL)
        t = location_alias(r);
    if (t != NULL) {
        r->filename = t;
        return OK;
    }
    return DECLINED;
}

/* Redirects written inside <Directory>/<Location>. */
static int fixups(request *r)
{
    const alias_dir_conf *dc = modutil_dir_config(r, &alias_module);
    if (dc == NULL)
        return DECLINED;
    if (dc->redirect_set)
        return section_redirect(r, dc);
    int status = 0;
    const char *t = try_list(r, dc->redirects, 1, &status);
    if (t != NULL)
        return answer_redirect(r, t, status, 1);
    return DECLINED;
}

static const command_rec alias_cmds[] = {
    {"Alias", cmd_alias, 0, RSRC_CONF | ACCESS_CONF, TAKE12,
     "a fakename and a realname, or a realname in a Location"},
    {"Redirect", cmd_redirect, 0, OR_FILEINFO, TAKE123,
     "an optional status, then document to be redirected and destination "
     "URL"},
    {"AliasMatch", cmd_alias_match, 0, RSRC_CONF, TAKE2,
     "a regular expression and a filename"},
    {"RedirectMatch", cmd_redirect_match, 0, OR_FILEINFO, TAKE23,
     "an optional status, then a regular expression and destination URL"},
    {"RedirectTemp", cmd_redirect_temp, 0, OR_FILEINFO, TAKE2,
     "a document to be redirected, then the destination URL"},
    {"RedirectPermanent", cmd_redirect_permanent, 0, OR_FILEINFO, TAKE2,
     "a document to be redirected, then the destination URL"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module alias_module = {
    .name = "alias_module",
    .file = "mod_alias.c",
    .cmds = alias_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .create_server_config = create_server,
    .merge_server_config = merge_server,
    .translate_name = translate,
    .fixups = fixups,
};
