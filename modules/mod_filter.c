/* mod_filter.c -- Apache 2.4's smart filters: FilterDeclare,
 * FilterProvider, FilterChain, FilterProtocol, FilterTrace, and
 * AddOutputFilterByType, which is one of them.
 *
 * As apache2 does it (measured, tests/integration/test_filter.py):
 *  - A smart filter is a name, case and all, known in the scope that
 *    declared it (FilterDeclare, or the first FilterProvider naming it)
 *    and in the scopes inside it; a scope's own declaration of the name
 *    replaces the outer one there, providers and all.  Directives look
 *    the name up in their own scope only ("Undeclared smart filter gz",
 *    "FilterProtocol: No such filter").
 *  - Its providers are output filters the server provides (DEFLATE...;
 *    "Unknown filter provider X" otherwise), each with an ap_expr
 *    condition or, for AddOutputFilterByType, content types.  When the
 *    filter sees the body of a 200 answer (any status with the
 *    filter-errordocs variable) its providers are tried from the last
 *    declared to the first, and the first whose condition holds runs
 *    (the conditions evaluated add to Vary); none: the body passes
 *    unchanged.
 *  - FilterChain edits the scope's list of filters to run: +name (or a
 *    bare name) appends, @name prepends, -name removes from this scope's
 *    own list, =name starts again with name, ! starts again empty.  An
 *    inner scope's list follows the outer one's unless it started again.
 *    A name no filter of the request's scope has is logged (AH01380) and
 *    skipped.  AddOutputFilterByType DEFLATE ... is the filter
 *    "BYTYPE:DEFLATE", added to the chain the first time in a scope.
 *  - FilterProtocol without a provider sets the filter's own flags: with
 *    byteranges=no or change=yes the request's Range is put aside before
 *    the handler runs, and given back only when a provider without
 *    byteranges=no is chosen.  With a provider it sets that provider's
 *    flags for every smart filter of the server that uses it (the last
 *    one read wins): change=1:1 drops ETag and Content-MD5, change=yes
 *    Content-Length too, byteranges=no answers "Accept-Ranges: none",
 *    cache=no drops Last-Modified and adds "Cache-Control: no-cache".
 *    proxy=no and proxy=transform concern proxied answers: none here.
 *  - FilterTrace NAME 1 logs at debug, each time the filter sees the
 *    body, its name and the body's parts (AH01375, AH01376).
 *  - The filter's type orders it among the others: RESOURCE (the
 *    default) before CONTENT_SET (DEFLATE's own, which a filter declared
 *    by FilterProvider takes from its provider).
 * Where apache2 fails we refuse or do the plain thing: FilterDeclare with
 * type PROTOCOL, CONNECTION or NETWORK is refused (apache2 runs such a
 * filter over the response head, or crashes), and so is a provider that
 * is one of apache2's protocol or header filters (CONTENT_LENGTH,
 * BYTERANGE, FIXUP_HEADERS_OUT...: run twice); "FilterChain -name" that
 * would crash apache2 (the last element, or after ! or =) removes the
 * name; FilterProtocol with a provider in an access file sets the flags
 * for that access file's filter only (apache2 changes them for the
 * whole process from then on). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "log.h"
#include "mod_util.h"
#include "request.h"

module filter_module;

/* FilterProtocol flags (Apache's AP_FILTER_PROTO_*) */
#define PROTO_CHANGE 0x1
#define PROTO_CHANGE_LENGTH 0x2
#define PROTO_NO_BYTERANGE 0x4
#define PROTO_NO_PROXY 0x8
#define PROTO_NO_CACHE 0x10
#define PROTO_TRANSFORM 0x20

/* Output filters apache2 registers that are no content filters: its
 * protocol filters and the header ones of mod_headers and mod_expires.
 * apache2 takes them as providers, and runs them a second time over the
 * body (or over the head: a broken answer); refused here. */
static const char *const core_filters[] = {"CORE",
                                           "CONTENT_LENGTH",
                                           "HTTP_HEADER",
                                           "HTTP_OUTERROR",
                                           "BYTERANGE",
                                           "CHUNK",
                                           "OLD_WRITE",
                                           "SUBREQ_CORE",
                                           "FIXUP_HEADERS_OUT",
                                           "FIXUP_HEADERS_ERR",
                                           "MOD_EXPIRES",
                                           "REQTIMEOUT",
                                           NULL};

/* A provider filter, once per configuration (an access file's
 * FilterProtocol makes its own copy): its FilterProtocol flags. */
typedef struct provider_rec {
    const char *name; /* as the server spells it */
    const output_filter *impl;
    unsigned proto;
    struct provider_rec *next;
} provider_rec;

typedef struct provider {
    provider_rec *rec;
    const expr *cond;         /* FilterProvider */
    const char *const *types; /* AddOutputFilterByType, NULL-ended */
    struct provider *next;
} provider;

typedef struct smart_filter {
    const char *name;
    int type; /* OUTPUT_FILTER_RESOURCE... */
    unsigned proto;
    int debug;           /* FilterTrace */
    provider *providers; /* the last declared first */
} smart_filter;

typedef struct live_filter {
    smart_filter *f;
    struct live_filter *next;
} live_filter;

typedef struct chain_link {
    const char *name; /* NULL: the chain starts again here */
    struct chain_link *next;
} chain_link;

typedef struct filter_dir_conf {
    live_filter *filters; /* this scope's first, then the outer scopes' */
    chain_link *chain;
} filter_dir_conf;

typedef struct filter_server_conf {
    provider_rec *providers; /* the main server's: the configuration's */
} filter_server_conf;

/* the note that keeps a Range put aside between fixups and the filter */
#define RANGE_NOTE "mod_filter-range"

/* ---- configuration ------------------------------------------------------ */

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(filter_dir_conf));
}

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    return arena_calloc(a, sizeof(filter_server_conf));
}

static chain_link *new_link(arena *a, const char *name, chain_link *next)
{
    chain_link *l = arena_alloc(a, sizeof(*l));
    l->name = name;
    l->next = next;
    return l;
}

/* Apache's merge: the outer list then the inner one, each reset (NULL)
 * dropping what came before it. */
static chain_link *merge_chains(arena *a, const chain_link *base,
                                const chain_link *add)
{
    chain_link *head = NULL, **tail = &head;
    const chain_link *lists[2] = {base, add};
    for (int i = 0; i < 2; i++)
        for (const chain_link *l = lists[i]; l; l = l->next) {
            chain_link *n = new_link(a, l->name, NULL);
            if (l->name == NULL) {
                head = n;
                tail = &n->next;
            } else {
                *tail = n;
                tail = &n->next;
            }
        }
    return head;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const filter_dir_conf *base = basev, *add = addv;
    filter_dir_conf *c = arena_alloc(a, sizeof(*c));
    if (add->filters == NULL || base->filters == NULL) {
        c->filters = add->filters ? add->filters : base->filters;
    } else {
        live_filter **tail = &c->filters;
        for (const live_filter *l = add->filters; l; l = l->next) {
            live_filter *n = arena_alloc(a, sizeof(*n));
            n->f = l->f;
            *tail = n;
            tail = &n->next;
        }
        *tail = base->filters;
    }
    if (base->chain && add->chain)
        c->chain = merge_chains(a, base->chain, add->chain);
    else
        c->chain = add->chain ? add->chain : base->chain;
    return c;
}

static smart_filter *find_live(const filter_dir_conf *c, const char *name)
{
    for (const live_filter *l = c->filters; l; l = l->next)
        if (strcmp(l->f->name, name) == 0)
            return l->f;
    return NULL;
}

/* The server's output filter called name (any case). */
static const output_filter *known_filter(const char *name)
{
    for (int i = 0; conf_builtin_modules[i]; i++)
        for (const output_filter *f = conf_builtin_modules[i]->output_filters;
             f && f->name; f++)
            if (strcasecmp(f->name, name) == 0)
                return f;
    return NULL;
}

/* The main server's, where the provider records are; an access file
 * only reads it (other threads read the configuration too). */
static filter_server_conf *main_conf(cmd_parms *cmd)
{
    server_conf *main = cmd->rc ? cmd->rc->main_server : NULL;
    if (cmd->in_htaccess)
        return main && main->module_config
                   ? conf_get(main->module_config, &filter_module)
                   : NULL;
    cmd_parms c = *cmd;
    if (main != NULL)
        c.server = main;
    return conf_server_config(&c, &filter_module);
}

/* The configuration's record of the provider filter impl.  An access
 * file may read it, never add to it (other threads read the
 * configuration): it gets a record of its own. */
static provider_rec *provider_record(cmd_parms *cmd, const output_filter *impl)
{
    filter_server_conf *sc = main_conf(cmd);
    for (provider_rec *p = sc ? sc->providers : NULL; p; p = p->next)
        if (p->impl == impl)
            return p;
    provider_rec *p = arena_calloc(cmd->arena, sizeof(*p));
    p->name = impl->name;
    p->impl = impl;
    if (sc != NULL && !cmd->in_htaccess) {
        p->next = sc->providers;
        sc->providers = p;
    }
    return p;
}

static smart_filter *declare(cmd_parms *cmd, filter_dir_conf *c,
                             const char *name, int type)
{
    smart_filter *f = arena_calloc(cmd->arena, sizeof(*f));
    f->name = arena_strdup(cmd->arena, name);
    f->type = type;
    /* the same name again in a scope replaces the filter (Apache's hash) */
    for (live_filter *l = c->filters; l; l = l->next)
        if (strcmp(l->f->name, name) == 0) {
            l->f = f;
            return f;
        }
    live_filter *l = arena_alloc(cmd->arena, sizeof(*l));
    l->f = f;
    l->next = c->filters;
    c->filters = l;
    return f;
}

static const char *cmd_declare(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    int type = OUTPUT_FILTER_RESOURCE;
    if (argc > 1) {
        const char *t = argv[1];
        if (strcasecmp(t, "CONTENT_SET") == 0)
            type = OUTPUT_FILTER_CONTENT_SET;
        else if (strcasecmp(t, "PROTOCOL") == 0 ||
                 strcasecmp(t, "CONNECTION") == 0 ||
                 strcasecmp(t, "NETWORK") == 0)
            return arena_printf(
                cmd->temp,
                "FilterDeclare %s %s: filter type %s is not supported "
                "(apache2 would run the filter over the response head, "
                "or fail); use RESOURCE or CONTENT_SET",
                argv[0], t, t);
        /* anything else is RESOURCE, as apache2 takes it */
    }
    declare(cmd, mconfig, argv[0], type);
    return NULL;
}

static const char *add_provider(cmd_parms *cmd, filter_dir_conf *c,
                                const char *fname, const char *pname,
                                const char *cond, const char *const *types)
{
    const output_filter *impl = known_filter(pname);
    if (impl == NULL) {
        for (int i = 0; core_filters[i]; i++)
            if (strcasecmp(core_filters[i], pname) == 0)
                return arena_printf(
                    cmd->temp,
                    "Filter provider %s: apache2's %s filter is no content "
                    "filter and cannot be a provider here (apache2 would run "
                    "it a second time, or over the response head)",
                    pname, core_filters[i]);
        return arena_printf(cmd->temp, "Unknown filter provider %s", pname);
    }
    provider_rec *rec = provider_record(cmd, impl);
    smart_filter *f = find_live(c, fname);
    if (f == NULL)
        f = declare(cmd, c, fname, OUTPUT_FILTER_CONTENT_SET);
    provider *p = arena_calloc(cmd->arena, sizeof(*p));
    p->rec = rec;
    p->types = types;
    if (cond != NULL) {
        expr *e;
        const char *err = expr_parse(cmd->arena, cond, 0, &e);
        if (err != NULL)
            return arena_strcat(cmd->temp,
                                "Error parsing FilterProvider expression:", err,
                                (char *)NULL);
        p->cond = e;
    }
    /* the last one first, as apache2 tries them */
    p->next = f->providers;
    f->providers = p;
    return NULL;
}

static const char *cmd_provider(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    (void)argc;
    return add_provider(cmd, mconfig, argv[0], argv[1], argv[2], NULL);
}

static void chain_edit(cmd_parms *cmd, filter_dir_conf *c, const char *arg)
{
    arena *a = cmd->arena;
    chain_link **tail;
    switch (arg[0]) {
    case '@':
        c->chain = new_link(a, arena_strdup(a, arg + 1), c->chain);
        return;
    case '-':
        /* the first link if it is the one, else every later one */
        if (c->chain && c->chain->name &&
            strcasecmp(c->chain->name, arg + 1) == 0) {
            c->chain = c->chain->next;
            return;
        }
        for (chain_link *l = c->chain; l && l->next;)
            if (l->next->name && strcasecmp(l->next->name, arg + 1) == 0)
                l->next = l->next->next;
            else
                l = l->next;
        return;
    case '!':
        c->chain = new_link(a, NULL, NULL);
        return;
    case '=':
        c->chain =
            new_link(a, NULL, new_link(a, arena_strdup(a, arg + 1), NULL));
        return;
    case '+':
        arg++;
        break;
    default:
        break;
    }
    for (tail = &c->chain; *tail; tail = &(*tail)->next)
        ;
    *tail = new_link(a, arena_strdup(a, arg), NULL);
}

static const char *cmd_chain(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)argc;
    chain_edit(cmd, mconfig, argv[0]);
    conf_uses_output_filters(cmd);
    return NULL;
}

static unsigned proto_flags(arena *a, const char *text)
{
    unsigned flags = 0;
    char *s = arena_strdup(a, text), *save = NULL;
    for (char *w = strtok_r(s, ";, \t", &save); w;
         w = strtok_r(NULL, ";, \t", &save)) {
        if (strcasecmp(w, "change=yes") == 0)
            flags |= PROTO_CHANGE | PROTO_CHANGE_LENGTH;
        else if (strcasecmp(w, "change=no") == 0)
            flags &= ~(unsigned)(PROTO_CHANGE | PROTO_CHANGE_LENGTH);
        else if (strcasecmp(w, "change=1:1") == 0)
            flags |= PROTO_CHANGE;
        else if (strcasecmp(w, "byteranges=no") == 0)
            flags |= PROTO_NO_BYTERANGE;
        else if (strcasecmp(w, "proxy=no") == 0)
            flags |= PROTO_NO_PROXY;
        else if (strcasecmp(w, "proxy=transform") == 0)
            flags |= PROTO_TRANSFORM;
        else if (strcasecmp(w, "cache=no") == 0)
            flags |= PROTO_NO_CACHE;
        /* anything else is ignored, as apache2 does */
    }
    return flags;
}

static const char *cmd_protocol(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    smart_filter *f = find_live(mconfig, argv[0]);
    if (f == NULL)
        return "FilterProtocol: No such filter";
    if (argc == 2) {
        f->proto = proto_flags(cmd->temp, argv[1]);
        return NULL;
    }
    provider *p = f->providers;
    while (p && strcasecmp(p->rec->name, argv[1]) != 0)
        p = p->next;
    if (p == NULL)
        return "FilterProtocol: No such provider for this filter";
    unsigned flags = proto_flags(cmd->temp, argv[2]);
    if (!cmd->in_htaccess) {
        p->rec->proto = flags;
        return NULL;
    }
    provider_rec *own = arena_alloc(cmd->arena, sizeof(*own));
    *own = *p->rec;
    own->proto = flags;
    own->next = NULL;
    for (provider *q = f->providers; q; q = q->next)
        if (q->rec->impl == own->impl)
            q->rec = own;
    return NULL;
}

static const char *cmd_trace(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)argc;
    smart_filter *f = find_live(mconfig, argv[0]);
    if (f == NULL)
        return arena_printf(cmd->temp, "Undeclared smart filter %s", argv[0]);
    f->debug = atoi(argv[1]);
    return NULL;
}

/* AddOutputFilterByType NAME[;NAME...] TYPE...: the smart filter
 * "BYTYPE:NAME" per name, whose provider NAME runs for the types (compared
 * as written with the Content-Type up to its first ';' or blank), put in
 * the chain when the scope first declares it. */
static const char *cmd_by_type(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    if (argc < 2)
        return "AddOutputFilterByType requires at least two arguments";
    const char **types = arena_alloc(cmd->arena, sizeof(char *) * (size_t)argc);
    for (int i = 1; i < argc; i++)
        types[i - 1] = arena_strdup(cmd->arena, argv[i]);
    types[argc - 1] = NULL;
    char *names = arena_strdup(cmd->temp, argv[0]), *save = NULL;
    for (char *p = strtok_r(names, ";", &save); p;
         p = strtok_r(NULL, ";", &save)) {
        const char *fname = arena_strcat(cmd->temp, "BYTYPE:", p, (char *)NULL);
        int seen = find_live(mconfig, fname) != NULL;
        const char *err = add_provider(cmd, mconfig, fname, p, NULL, types);
        if (err != NULL)
            return err;
        if (!seen)
            chain_edit(cmd, mconfig, fname);
    }
    conf_uses_output_filters(cmd);
    return NULL;
}

/* ---- requests ----------------------------------------------------------- */

/* Apache's insert_filter, before the handler: names no filter has are
 * logged, and the Range a filter's flags ask for is put aside. */
static int fixups(request *r)
{
    if (r->is_subrequest)
        return OK;
    const filter_dir_conf *c = modutil_dir_config(r, &filter_module);
    if (c == NULL || c->chain == NULL)
        return OK;
    int ranges = 1;
    for (const chain_link *l = c->chain; l; l = l->next) {
        if (l->name == NULL)
            continue;
        const smart_filter *f = find_live(c, l->name);
        if (f == NULL) {
            log_rerror(r, APLOG_WARNING, "filter", 0,
                       "AH01380: Unknown filter %s not added", l->name);
            continue;
        }
        if (ranges && (f->proto & (PROTO_NO_BYTERANGE | PROTO_CHANGE_LENGTH))) {
            const char *range = req_table_get(&r->headers_in, "Range");
            if (range != NULL) {
                req_table_set(r->arena, &r->notes, RANGE_NOTE, range);
                req_table_unset(&r->headers_in, "Range");
            }
            ranges = 0;
        }
    }
    return OK;
}

/* FilterTrace 1: the filter's name, then the parts of the body as
 * Apache's buckets would be (a file, bytes in memory, the end). */
static void trace(request *r, const smart_filter *f)
{
    if (f->debug != 1 || !log_rlevel_ok(r, APLOG_DEBUG, "filter"))
        return;
    log_cerror(r->connection, r->server, APLOG_DEBUG, "filter", 0,
               "AH01375: %s", f->name);
    request_body_src src;
    request_body_source(r, &src);
    if (src.mem_len > 0)
        log_cerror(r->connection, r->server, APLOG_DEBUG, "filter", 0,
                   "AH01376: %s: type: HEAP, length: %zu", f->name,
                   src.mem_len);
    if (src.fd >= 0 && src.len > 0)
        log_cerror(r->connection, r->server, APLOG_DEBUG, "filter", 0,
                   "AH01376: %s: type: FILE, length: %lld", f->name,
                   (long long)src.len);
    log_cerror(r->connection, r->server, APLOG_DEBUG, "filter", 0,
               "AH01376: %s: type: EOS, length: 0", f->name);
}

static int provider_matches(request *r, const provider *p)
{
    if (p->cond != NULL) {
        const char *err = NULL;
        int v = expr_exec(p->cond, r, &err);
        if (v < 0) {
            log_rerror(r, APLOG_ERR, "filter", 0,
                       "AH01379: Error evaluating filter dispatch "
                       "condition: %s",
                       err ? err : "");
            return 0;
        }
        return v;
    }
    if (r->content_type == NULL || p->types == NULL)
        return 0;
    size_t n = strcspn(r->content_type, "; \t");
    for (const char *const *t = p->types; *t; t++)
        if (strncmp(*t, r->content_type, n) == 0 && (*t)[n] == '\0')
            return 1;
    return 0;
}

static void apply_protocol(request *r, unsigned proto)
{
    req_table *out = &r->headers_out;
    if (proto & PROTO_CHANGE) {
        req_table_unset(out, "Content-MD5");
        req_table_unset(out, "ETag");
        if (proto & PROTO_CHANGE_LENGTH)
            req_table_unset(out, "Content-Length");
    }
    if (proto & PROTO_NO_CACHE) {
        req_table_unset(out, "Last-Modified");
        req_table_add(r->arena, out, "Cache-Control", "no-cache");
    }
    if (proto & PROTO_NO_BYTERANGE) {
        req_table_set(r->arena, out, "Accept-Ranges", "none");
    } else {
        const char *range = req_table_get(&r->notes, RANGE_NOTE);
        if (range != NULL) {
            req_table_set(r->arena, &r->headers_in, "Range", range);
            req_table_unset(&r->notes, RANGE_NOTE);
        }
    }
}

/* The smart filter's run over the body: Apache's filter_harness. */
static void harness(request *r, void *ctx)
{
    const smart_filter *f = ctx;
    if (r->status != 200 &&
        req_table_get(&r->subprocess_env, "filter-errordocs") == NULL)
        return;
    trace(r, f);
    for (const provider *p = f->providers; p; p = p->next)
        if (provider_matches(r, p)) {
            apply_protocol(r, p->rec->proto);
            p->rec->impl->run(r);
            return;
        }
}

static void insert_filter(request *r)
{
    const filter_dir_conf *c = modutil_dir_config(r, &filter_module);
    if (c == NULL)
        return;
    for (const chain_link *l = c->chain; l; l = l->next) {
        smart_filter *f = l->name ? find_live(c, l->name) : NULL;
        if (f != NULL)
            request_add_output_filter_fn(r, f->type, harness, f);
    }
}

static const command_rec filter_cmds[] = {
    {"AddOutputFilterByType", cmd_by_type, 0, OR_FILEINFO, TAKE_ARGV,
     "output filter name followed by one or more content-types"},
    {"FilterDeclare", cmd_declare, 0, OR_OPTIONS, TAKE12,
     "filter-name [filter-type]"},
    {"FilterProvider", cmd_provider, 0, OR_OPTIONS, TAKE3,
     "filter-name provider-name match-expression"},
    {"FilterChain", cmd_chain, 0, OR_OPTIONS, ITERATE,
     "list of filter names with optional [+-=!@]"},
    {"FilterTrace", cmd_trace, 0, RSRC_CONF | ACCESS_CONF, TAKE2,
     "filter-name debug-level"},
    {"FilterProtocol", cmd_protocol, 0, OR_OPTIONS, TAKE23,
     "filter-name [provider-name] protocol-args"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module filter_module = {
    .name = "filter_module",
    .file = "mod_filter.c",
    .cmds = filter_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .create_server_config = create_server,
    .fixups = fixups,
    .insert_filter = insert_filter,
};
