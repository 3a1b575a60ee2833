/* mod_headers.c -- Header and RequestHeader: actions set, setifempty, add,
 * append, merge, unset, echo, note, edit, edit*; the "always"/"onsuccess"
 * condition; env=, expr= and early clauses; value format tags.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mod_headers.h"

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return arena_calloc(a, sizeof(headers_conf));
}

static header_entry *concat(arena *a, const header_entry *x,
                            const header_entry *y, header_entry **tail)
{
    header_entry *head = NULL, **link = &head;
    *tail = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (const header_entry *e = pass ? y : x; e; e = e->next) {
            header_entry *c = arena_alloc(a, sizeof(*c));
            *c = *e;
            c->next = NULL;
            *link = *tail = c;
            link = &c->next;
        }
    return head;
}

/* Outer scopes' entries run first, then the inner scope's. */
static void *merge_dir(arena *a, void *basev, void *addv)
{
    const headers_conf *base = basev, *add = addv;
    headers_conf *c = arena_calloc(a, sizeof(*c));
    c->out_onsuccess = concat(a, base->out_onsuccess, add->out_onsuccess,
                              &c->out_onsuccess_tail);
    c->out_always = concat(a, base->out_always, add->out_always,
                           &c->out_always_tail);
    c->in = concat(a, base->in, add->in, &c->in_tail);
    return c;
}

static void free_regex(void *p)
{
    regfree(p);
}

static regex_t *compile(cmd_parms *cmd, const char *pattern, int flags)
{
    regex_t *re = arena_alloc(cmd->arena, sizeof(*re));
    if (regcomp(re, pattern, REG_EXTENDED | flags) != 0)
        return NULL;
    arena_cleanup(cmd->arena, free_regex, re);
    return re;
}

/* mod_headers' tags: D t e s l i b; "%%" and a trailing '%' are '%'. */
static const char *parse_value(cmd_parms *cmd, const char *s,
                               header_piece **out)
{
    header_piece *head = NULL, **link = &head;
    while (s && *s) {
        header_piece *p = arena_calloc(cmd->arena, sizeof(*p));
        if (*s != '%') {
            const char *end = strchr(s, '%');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            p->text = arena_strndup(cmd->arena, s, n);
            s += n;
        } else if (s[1] == '%' || s[1] == '\0') {
            p->text = "%";
            s += s[1] ? 2 : 1;
        } else {
            s++;
            p->text = "";
            if (*s == '{') {
                const char *close = strchr(++s, '}');
                size_t n = close ? (size_t)(close - s) : strlen(s);
                p->text = arena_strndup(cmd->arena, s, n);
                s += close ? n + 1 : n;
            }
            if (*s == '\0' || strchr("Dtesilb", *s) == NULL)
                return arena_printf(cmd->arena,
                                    "Unrecognized header format %%%.1s", s);
            p->tag = *s++;
        }
        *link = p;
        link = &p->next;
    }
    *out = head;
    return NULL;
}

static int parse_action(const char *w, enum header_action *a)
{
    static const struct { const char *name; enum header_action a; } acts[] = {
        {"set", HDR_SET}, {"setifempty", HDR_SETIFEMPTY}, {"add", HDR_ADD},
        {"append", HDR_APPEND}, {"merge", HDR_MERGE}, {"unset", HDR_UNSET},
        {"echo", HDR_ECHO}, {"edit", HDR_EDIT}, {"edit*", HDR_EDIT_ALL},
        {"note", HDR_NOTE},
    };
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
        if (strcasecmp(w, acts[i].name) == 0) {
            *a = acts[i].a;
            return 1;
        }
    return 0;
}

static const char *parse_clause(cmd_parms *cmd, header_entry *e,
                                const char *clause)
{
    if (strcasecmp(clause, "early") == 0) {
        e->early = 1;
    } else if (strncasecmp(clause, "env=", 4) == 0) {
        const char *v = clause + 4;
        if (*v == '\0' || (v[0] == '!' && v[1] == '\0'))
            return "error: missing environment variable name. envclause "
                   "should be in the form env=envar ";
        if (*v == '!') {
            e->condition_negate = 1;
            v++;
        }
        e->condition_var = arena_strdup(cmd->arena, v);
    } else if (strncasecmp(clause, "expr=", 5) == 0) {
        if (clause[5] == '\0' || strcmp(clause + 5, "(") == 0)
            return "Can't parse envclause/expression: syntax error, "
                   "unexpected $end";
        e->expr = arena_strdup(cmd->arena, clause + 5);
    } else {
        return arena_printf(cmd->arena, "Unknown parameter: %s", clause);
    }
    return NULL;
}

/* Everything after the action: header, value, substitution, clause. */
static const char *parse_rest(cmd_parms *cmd, header_entry *e, int is_out,
                              const char *hdr, const char *val,
                              const char *subs, const char *clause)
{
    if (e->action == HDR_EDIT || e->action == HDR_EDIT_ALL) {
        if (subs == NULL)
            return "Header edit requires a match and a substitution";
        if ((e->regex = compile(cmd, val, 0)) == NULL)
            return "Header edit regex could not be compiled";
    } else {
        if (clause != NULL)
            return "Too many arguments to directive";
        clause = subs;
        subs = NULL;
    }
    if (e->action == HDR_UNSET && val) {
        if (clause)
            return "header unset takes two arguments";
        clause = val;
        val = NULL;
    } else if (e->action == HDR_ECHO) {
        if (val) {
            if (clause)
                return "Header echo takes two arguments";
            clause = val;
            val = NULL;
        }
        if (!is_out)
            return "Header echo only valid on Header directives";
        if ((e->regex = compile(cmd, hdr, REG_NOSUB)) == NULL)
            return "Header echo regex could not be compiled";
    } else if (e->action != HDR_UNSET && val == NULL) {
        return "Header requires three arguments";
    }
    if (clause) {
        const char *err = parse_clause(cmd, e, clause);
        if (err)
            return err;
    }
    const char *colon = strchr(hdr, ':');
    e->header = colon ? arena_strndup(cmd->arena, hdr, (size_t)(colon - hdr))
                      : arena_strdup(cmd->arena, hdr);
    const char *fmt = subs ? subs : val;
    e->value_text = fmt ? arena_strdup(cmd->arena, fmt) : NULL;
    return parse_value(cmd, fmt, &e->value);
}

static void push(header_entry **head, header_entry **tail, header_entry *e)
{
    if (*tail)
        (*tail)->next = e;
    else
        *head = e;
    *tail = e;
}

static const char *header_cmd(cmd_parms *cmd, headers_conf *c, int is_out,
                              const char *args)
{
    char **w;
    int n = conf_split_args(cmd->temp, args, &w, NULL);
    int i = 0, always = 0;
    while (n > 0 && w[n - 1][0] == '\0')
        n--;
    const char *action = i < n ? w[i++] : "";
    if (is_out && strcasecmp(action, "always") == 0) {
        always = 1;
        action = i < n ? w[i++] : "";
    } else if (is_out && strcasecmp(action, "onsuccess") == 0) {
        action = i < n ? w[i++] : "";
    }
    header_entry *e = arena_calloc(cmd->arena, sizeof(*e));
    e->always = always;
    if (!parse_action(action, &e->action))
        return "first argument must be 'add', 'set', 'setifempty', "
               "'append', 'merge', 'unset', 'echo', 'note', 'edit', or "
               "'edit*'.";
    if (n - i > 4)
        return arena_printf(cmd->arena, "%s takes only 2, 3, or 4 arguments",
                            cmd->cmd->name);
    const char *hdr = i < n ? w[i++] : "";
    const char *val = i < n ? w[i++] : NULL;
    const char *subs = i < n ? w[i++] : NULL;
    const char *clause = i < n ? w[i++] : NULL;
    if (cmd->node) {
        e->file = cmd->node->file;
        e->line = cmd->node->line;
    }
    const char *err = parse_rest(cmd, e, is_out, hdr, val, subs, clause);
    if (err)
        return err;
    if (!is_out)
        push(&c->in, &c->in_tail, e);
    else if (always)
        push(&c->out_always, &c->out_always_tail, e);
    else
        push(&c->out_onsuccess, &c->out_onsuccess_tail, e);
    return NULL;
}

static const char *cmd_header(cmd_parms *cmd, void *mconfig, int argc,
                              char *const argv[])
{
    return header_cmd(cmd, mconfig, 1, argc > 0 ? argv[0] : "");
}

static const char *cmd_request_header(cmd_parms *cmd, void *mconfig,
                                      int argc, char *const argv[])
{
    return header_cmd(cmd, mconfig, 0, argc > 0 ? argv[0] : "");
}

static const command_rec headers_cmds[] = {
    {"Header", cmd_header, 0, OR_FILEINFO, RAW_ARGS,
     "an optional condition, an action, header and value followed by "
     "optional env clause"},
    {"RequestHeader", cmd_request_header, 0, OR_FILEINFO, RAW_ARGS,
     "an action, header and value followed by optional env clause"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module headers_module = {
    .name = "headers_module",
    .file = "mod_headers.c",
    .cmds = headers_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
};
