/* mod_expires.c -- ExpiresActive, ExpiresDefault, ExpiresByType: the
 * Expires and Cache-Control max-age fields of successful answers.
 *
 * As apache2 2.4 writes them (measured, tests/integration/test_expires.py):
 *  - Only answers that went out normally get them: 2xx and 304.  Errors
 *    and redirects do not (not even an ErrorDocument's page), nor an
 *    answer that already has an Expires field.
 *  - The code: "A<sec>"/"M<sec>", or "<base> [plus] {<num> <type>}*" with
 *    base access/now or modification and types years (365 days), months
 *    (30 days), weeks, days, hours, minutes, seconds (singular too, any
 *    case).  Access counts from the request's arrival, modification from
 *    the file's (or directory's) mtime; an expiry in the past is now.
 *  - The type is looked up without its parameters; then as a wildcard
 *    ("text/" and an asterisk), but only where the innermost scope that
 *    names any Expires directive wrote a wildcard line itself; then
 *    ExpiresDefault.
 *  - Expires carries the date; "max-age=N" (seconds from the request's
 *    arrival) is appended to Cache-Control.  They are set before Header
 *    acts, so "Header set Cache-Control" replaces the max-age.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mod_util.h"
#include "request.h"

module expires_module;

enum { ACTIVE_UNSET = 0, ACTIVE_ON, ACTIVE_OFF };

typedef struct expires_code {
    char base;     /* 'A' or 'M' */
    long long add; /* seconds */
} expires_code;

typedef struct by_type {
    const char *type;
    expires_code code;
    struct by_type *next;
} by_type;

typedef struct expires_conf {
    int active;
    int wildcards;      /* this scope wrote a wildcard type line */
    expires_code *dflt; /* ExpiresDefault, or NULL */
    by_type *types;     /* this scope's first, then the outer ones' */
} expires_conf;

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(expires_conf));
}

static void *merge_dir(arena *a, void *basev, void *addv)
{
    const expires_conf *base = basev, *add = addv;
    expires_conf *c = arena_calloc(a, sizeof(*c));
    c->active = add->active != ACTIVE_UNSET ? add->active : base->active;
    c->dflt = add->dflt ? add->dflt : base->dflt;
    c->wildcards = add->wildcards; /* not inherited, as Apache's */
    /* add's entries win a lookup: they come first */
    by_type *head = NULL, **link = &head;
    for (const by_type *t = add->types; t; t = t->next) {
        by_type *n = arena_alloc(a, sizeof(*n));
        *n = *t;
        n->next = NULL;
        *link = n;
        link = &n->next;
    }
    *link = base->types;
    c->types = head;
    return c;
}

static const char *cmd_active(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[])
{
    (void)argc;
    (void)argv;
    ((expires_conf *)mconfig)->active = cmd->flag ? ACTIVE_ON : ACTIVE_OFF;
    return NULL;
}

static long long unit_seconds(const char *w)
{
    static const struct {
        const char *name;
        long long sec;
    } units[] = {
        {"years", 365LL * 86400}, {"year", 365LL * 86400},
        {"months", 30LL * 86400}, {"month", 30LL * 86400},
        {"weeks", 7LL * 86400},   {"week", 7LL * 86400},
        {"days", 86400},          {"day", 86400},
        {"hours", 3600},          {"hour", 3600},
        {"minutes", 60},          {"minute", 60},
        {"seconds", 1},           {"second", 1},
    };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcasecmp(w, units[i].name) == 0)
            return units[i].sec;
    return -1;
}

/* Parse a code; NULL or the reason (without the directive prefix). */
static const char *parse_code(arena *a, const char *text, expires_code *out)
{
    out->add = 0;
    if (text[0] == 'A' || text[0] == 'M') {
        out->base = text[0];
        out->add = atoll(text + 1);
        return NULL;
    }
    char *copy = arena_strdup(a, text), *save = NULL;
    const char *w = strtok_r(copy, " \t", &save);
    if (w == NULL)
        w = "";
    if (strcasecmp(w, "access") == 0 || strcasecmp(w, "now") == 0)
        out->base = 'A';
    else if (strcasecmp(w, "modification") == 0)
        out->base = 'M';
    else
        return arena_printf(a, "bad expires code, unrecognised <base> '%s'", w);
    w = strtok_r(NULL, " \t", &save);
    if (w != NULL && strcasecmp(w, "plus") == 0)
        w = strtok_r(NULL, " \t", &save);
    while (w != NULL) {
        if (!isdigit((unsigned char)w[0]))
            return arena_printf(a,
                                "bad expires code, numeric value expected "
                                "<num> '%s'",
                                w);
        long long n = atoll(w);
        w = strtok_r(NULL, " \t", &save);
        if (w == NULL)
            return "bad expires code, missing <type>";
        long long unit = unit_seconds(w);
        if (unit < 0)
            return arena_printf(a, "bad expires code, unrecognised <type>'%s'",
                                w);
        out->add += n * unit;
        w = strtok_r(NULL, " \t", &save);
    }
    return NULL;
}

static const char *cmd_default(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    (void)argc;
    expires_conf *c = mconfig;
    expires_code *code = arena_alloc(cmd->arena, sizeof(*code));
    const char *err = parse_code(cmd->temp, argv[0], code);
    if (err != NULL)
        return arena_printf(cmd->temp, "'%s %s': %s", cmd->cmd->name, argv[0],
                            err);
    c->dflt = code;
    return NULL;
}

static const char *cmd_by_type(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    (void)argc;
    expires_conf *c = mconfig;
    by_type *t = arena_calloc(cmd->arena, sizeof(*t));
    const char *err = parse_code(cmd->temp, argv[1], &t->code);
    if (err != NULL)
        return arena_printf(cmd->temp, "'%s %s %s': %s", cmd->cmd->name,
                            argv[0], argv[1], err);
    t->type = arena_strdup(cmd->arena, argv[0]);
    if (strchr(t->type, '*') != NULL)
        c->wildcards = 1;
    /* a later line for the same type replaces the earlier one: put it
     * first, lookups take the first */
    t->next = c->types;
    c->types = t;
    return NULL;
}

static const expires_code *lookup(const expires_conf *c, const char *type)
{
    for (const by_type *t = c->types; t; t = t->next)
        if (strcasecmp(t->type, type) == 0)
            return &t->code;
    return NULL;
}

static const expires_code *code_for(request *r, const expires_conf *c)
{
    const char *ct = r->content_type;
    if (ct != NULL) {
        size_t n = strcspn(ct, ";");
        while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
            n--;
        const char *type = arena_strndup(r->arena, ct, n);
        const expires_code *code = lookup(c, type);
        if (code == NULL && c->wildcards) {
            const char *slash = strchr(type, '/');
            if (slash != NULL)
                code = lookup(
                    c, arena_strcat(r->arena,
                                    arena_strndup(r->arena, type,
                                                  (size_t)(slash - type)),
                                    "/*", (char *)NULL));
        }
        if (code != NULL)
            return code;
    }
    return c->dflt;
}

/* Just before the head is made (before mod_headers acts).  As apache2's
 * filter, inserted for answers and error pages alike unless the status is
 * an error: redirects (their pages' text/html) get it too, OPTIONS * (no
 * filters at all) not. */
static void output_headers(request *r)
{
    if (r->status >= 400 || (r->error_response && r->status < 300))
        return;
    const expires_conf *c = modutil_dir_config(r, &expires_module);
    if (c == NULL || c->active != ACTIVE_ON)
        return;
    if (req_table_get(&r->err_headers_out, "Expires") != NULL ||
        req_table_get(&r->headers_out, "Expires") != NULL)
        return;
    const expires_code *code = code_for(r, c);
    if (code == NULL)
        return;
    long long now_us = r->request_time_us;
    long long base_us;
    if (code->base == 'M') {
        if (!r->finfo_valid)
            return;
        base_us = (long long)r->finfo.st_mtime * 1000000LL;
    } else {
        base_us = now_us;
    }
    long long exp_us = base_us + code->add * 1000000LL;
    if (exp_us < now_us)
        exp_us = now_us;
    char date[32];
    http_format_date(date, (time_t)(exp_us / 1000000LL));
    req_table_append(
        r->arena, &r->headers_out, "Cache-Control",
        arena_printf(r->arena, "max-age=%lld", (exp_us - now_us) / 1000000LL));
    req_table_set(r->arena, &r->headers_out, "Expires",
                  arena_strdup(r->arena, date));
}

static const command_rec expires_cmds[] = {
    {"ExpiresActive", cmd_active, 0, OR_INDEXES, FLAG,
     "Limited to 'on' or 'off'"},
    {"ExpiresByType", cmd_by_type, 0, OR_INDEXES, TAKE2,
     "a MIME type followed by an expiry date code"},
    {"ExpiresDefault", cmd_default, 0, OR_INDEXES, TAKE1,
     "an expiry date code"},
    {0},
};

module expires_module = {
    .name = "expires_module",
    .file = "mod_expires.c",
    .cmds = expires_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .output_headers = output_headers,
};
