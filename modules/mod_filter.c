/* mod_filter.c -- AddOutputFilterByType, as Apache 2.4's mod_filter has
 * it: the filters named for a content type run on the answers of that
 * type.
 *
 * As apache2 (measured, tests/integration/test_deflate.py):
 *  - the type is compared with the answer's Content-Type up to its first
 *    ';' or white space, as it is when the body is made (a listing's
 *    "text/html;charset=..." is text/html);
 *  - only a 200 is filtered, unless the environment has filter-errordocs;
 *  - a name no module provides is refused ("Unknown filter provider").
 * The smart-filter directives (FilterDeclare, FilterProvider,
 * FilterChain, FilterProtocol, FilterTrace) are refused with a message:
 * not implemented here. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mod_util.h"
#include "request.h"

module filter_module;

typedef struct by_type {
    const char *filters; /* ';'-separated names */
    const char *type;    /* lower case */
    struct by_type *next;
} by_type;

typedef struct filter_dir_conf {
    by_type *types, *tail; /* outer scopes' first */
} filter_dir_conf;

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(filter_dir_conf));
}

static void append(arena *a, filter_dir_conf *c, const by_type *t)
{
    by_type *n = arena_alloc(a, sizeof(*n));
    *n = *t;
    n->next = NULL;
    if (c->tail)
        c->tail->next = n;
    else
        c->types = n;
    c->tail = n;
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const filter_dir_conf *base = basev, *add = addv;
    filter_dir_conf *c = arena_calloc(a, sizeof(*c));
    for (const by_type *t = base->types; t; t = t->next)
        append(a, c, t);
    for (const by_type *t = add->types; t; t = t->next)
        append(a, c, t);
    return c;
}

/* Whether some compiled-in module provides the filter name[0..n). */
static int provided(const char *name, size_t n)
{
    for (int i = 0; conf_builtin_modules[i]; i++)
        for (const output_filter *f = conf_builtin_modules[i]->output_filters;
             f && f->name; f++)
            if (strlen(f->name) == n && strncasecmp(f->name, name, n) == 0)
                return 1;
    return 0;
}

static const char *cmd_by_type(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    if (argc < 2)
        return "AddOutputFilterByType requires at least two arguments";
    for (const char *p = argv[0]; *p;) {
        size_t n = strcspn(p, ";");
        if (n > 0 && !provided(p, n))
            return arena_printf(cmd->temp, "Unknown filter provider %.*s",
                                (int)n, p);
        p += n;
        if (*p == ';')
            p++;
    }
    const char *filters = arena_strdup(cmd->arena, argv[0]);
    for (int i = 1; i < argc; i++) {
        by_type t = {filters, arena_strdup(cmd->arena, argv[i]), NULL};
        for (char *q = (char *)t.type; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        append(cmd->arena, mconfig, &t);
    }
    conf_uses_output_filters(cmd);
    return NULL;
}

static const char *cmd_smart(cmd_parms *cmd, void *mconfig, int argc,
                             char *const argv[])
{
    (void)mconfig, (void)argc, (void)argv;
    return arena_printf(
        cmd->temp,
        "%s: httpd-ng's mod_filter implements AddOutputFilterByType only "
        "(no smart filters: FilterDeclare, FilterProvider, FilterChain, "
        "FilterProtocol, FilterTrace)",
        cmd->cmd->name);
}

static void insert_filter(request *r)
{
    const filter_dir_conf *c = modutil_dir_config(r, &filter_module);
    if (c == NULL || c->types == NULL || r->content_type == NULL)
        return;
    if (r->status != 200 &&
        req_table_get(&r->subprocess_env, "filter-errordocs") == NULL)
        return;
    size_t n = strcspn(r->content_type, "; \t");
    for (const by_type *t = c->types; t; t = t->next)
        if (strncmp(t->type, r->content_type, n) == 0 && t->type[n] == '\0')
            request_add_output_filters(r, t->filters);
}

static const command_rec filter_cmds[] = {
    {"AddOutputFilterByType", cmd_by_type, 0, OR_FILEINFO, TAKE_ARGV,
     "output filter name followed by one or more content-types"},
    {"FilterDeclare", cmd_smart, 0, OR_OPTIONS, TAKE12,
     "filter-name [filter-type]"},
    {"FilterProvider", cmd_smart, 0, OR_OPTIONS, TAKE3,
     "filter-name provider-name match-expression"},
    {"FilterChain", cmd_smart, 0, OR_OPTIONS, ITERATE,
     "list of filter names with optional [+-=!@]"},
    {"FilterTrace", cmd_smart, 0, RSRC_CONF | ACCESS_CONF, TAKE2,
     "filter-name debug-level"},
    {"FilterProtocol", cmd_smart, 0, OR_OPTIONS, TAKE23,
     "filter-name [provider-name] protocol-args"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module filter_module = {
    .name = "filter_module",
    .file = "mod_filter.c",
    .cmds = filter_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .insert_filter = insert_filter,
};
