/* mod_headers.c -- Header and RequestHeader: actions set, setifempty, add,
 * append, merge, unset, echo, note, edit, edit*; the "always"/"onsuccess"
 * condition; env=, expr= and early clauses; value format tags.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdio.h>
#include <time.h>

#include "expr.h"
#include "log.h"
#include "mod_headers.h"
#include "mod_util.h"
#include "request.h"

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

/* x's entries then y's; when one list is empty the other is shared, not
 * copied (merged lists are never appended to: handlers append to their
 * own scope's config), which saves a copy per vhost of its Header lines. */
static header_entry *join(arena *a, header_entry *x, header_entry *x_tail,
                          header_entry *y, header_entry *y_tail,
                          header_entry **tail)
{
    if (x == NULL || y == NULL) {
        *tail = x ? x_tail : y_tail;
        return x ? x : y;
    }
    return concat(a, x, y, tail);
}

/* Outer scopes' entries run first, then the inner scope's. */
static void *merge_dir(arena *a, void *basev, void *addv)
{
    const headers_conf *base = basev, *add = addv;
    headers_conf *c = arena_calloc(a, sizeof(*c));
    c->out_onsuccess = join(a, base->out_onsuccess, base->out_onsuccess_tail,
                            add->out_onsuccess, add->out_onsuccess_tail,
                            &c->out_onsuccess_tail);
    c->out_always =
        join(a, base->out_always, base->out_always_tail, add->out_always,
             add->out_always_tail, &c->out_always_tail);
    c->in =
        join(a, base->in, base->in_tail, add->in, add->in_tail, &c->in_tail);
    return c;
}

static void free_regex(void *p)
{
    conf_regfree(p);
}

static conf_regex_t *compile(cmd_parms *cmd, const char *pattern, int flags)
{
    conf_regex_t *re = arena_alloc(cmd->arena, sizeof(*re));
    if (conf_regcomp(re, pattern, flags) != 0)
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
    static const struct {
        const char *name;
        enum header_action a;
    } acts[] = {
        {"set", HDR_SET},        {"setifempty", HDR_SETIFEMPTY},
        {"add", HDR_ADD},        {"append", HDR_APPEND},
        {"merge", HDR_MERGE},    {"unset", HDR_UNSET},
        {"echo", HDR_ECHO},      {"edit", HDR_EDIT},
        {"edit*", HDR_EDIT_ALL}, {"note", HDR_NOTE},
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
        const char *err = expr_parse_cmd(cmd, clause + 5, 0, &e->expr);
        if (err)
            return arena_printf(cmd->arena,
                                "Can't parse envclause/expression: %s", err);
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
        if ((e->regex = compile(cmd, hdr, CONF_REG_NOSUB)) == NULL)
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
    if (fmt && strncmp(fmt, "expr=", 5) == 0) {
        /* a string expression gives the value (Apache 2.4.10) */
        const char *err =
            expr_parse_cmd(cmd, fmt + 5, EXPR_FLAG_STRING, &e->value_expr);
        if (err)
            return arena_printf(cmd->arena, "Can't parse value expression : %s",
                                err);
        return NULL;
    }
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

static const char *cmd_request_header(cmd_parms *cmd, void *mconfig, int argc,
                                      char *const argv[])
{
    return header_cmd(cmd, mconfig, 0, argc > 0 ? argv[0] : "");
}

/* ---- runtime
 * ------------------------------------------------------------------ */

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char *piece_value(request *r, const header_piece *p)
{
    switch (p->tag) {
    case 0:
        return p->text;
    case 't':
        return arena_printf(r->arena, "t=%lld", (long long)r->request_time_us);
    case 'D':
        return arena_printf(r->arena, "D=%lld",
                            (long long)(now_us() - r->request_time_us));
    case 'e': {
        const char *v = req_table_get(&r->subprocess_env, p->text);
        return v ? v : "(null)";
    }
    case 'l': {
        double la[3] = {0, 0, 0};
        if (getloadavg(la, 3) != 3)
            return "l=-1/-1/-1";
        return arena_printf(r->arena, "l=%.2f/%.2f/%.2f", la[0], la[1], la[2]);
    }
    default: /* %s (SSL), %i, %b: not available here */
        return "(null)";
    }
}

static const char *pieces_value(request *r, const header_piece *p)
{
    if (p && p->next == NULL)
        return piece_value(r, p);
    const char *v = "";
    for (; p; p = p->next)
        v = arena_strcat(r->arena, v, piece_value(r, p), (char *)NULL);
    return v;
}

/* The value of a set/add/... line: its expr= string expression, or its
 * format (an edit line's substitution likewise). */
static const char *entry_value(request *r, const header_entry *e)
{
    if (e->value_expr == NULL)
        return pieces_value(r, e->value);
    const char *err = NULL;
    const char *v = expr_exec_string(e->value_expr, r, &err);
    if (v == NULL) {
        log_rerror(r, APLOG_ERR, "headers", 0,
                   "AH02557: Can't evaluate value expression: "
                   "%s",
                   err);
        return "";
    }
    return v;
}

/* env= or expr=; an expression that cannot be evaluated is logged and
 * the line applies, as in Apache. */
static int condition_holds(request *r, const header_entry *e)
{
    if (e->expr) {
        const char *err = NULL;
        int v = expr_exec(e->expr, r, &err);
        if (v < 0)
            log_rerror(r, APLOG_ERR, "headers", 0,
                       "AH01501: Failed to evaluate expression "
                       "(%s) - ignoring",
                       err);
        return v != 0;
    }
    if (e->condition_var == NULL)
        return 1;
    int set = req_table_get(&r->subprocess_env, e->condition_var) != NULL;
    return e->condition_negate ? !set : set;
}

/* Header edit / edit*: the regex replaced in one value. */
static const char *edit_value(request *r, const header_entry *e,
                              const char *value, const char *subs)
{
    const char *out = "", *s = value;
    conf_regmatch_t m[10];
    int first = 1;
    while (*s || first) {
        if (conf_regexec(e->regex, s, 10, m, first ? 0 : CONF_REG_NOTBOL) != 0)
            break;
        char *rep = modutil_regsub(r->arena, subs, s, m, 10);
        out = arena_strcat(r->arena, out,
                           arena_strndup(r->arena, s, (size_t)m[0].rm_so), rep,
                           (char *)NULL);
        s += m[0].rm_eo;
        if (m[0].rm_eo == m[0].rm_so) { /* empty match: step one char */
            if (*s == '\0')
                break;
            out = arena_strcat(r->arena, out, arena_strndup(r->arena, s, 1),
                               (char *)NULL);
            s++;
        }
        first = 0;
        if (e->action != HDR_EDIT_ALL)
            break;
    }
    return arena_strcat(r->arena, out, s, (char *)NULL);
}

static void apply(request *r, req_table *t, const header_entry *e)
{
    arena *a = r->arena;
    switch (e->action) {
    case HDR_ADD:
        req_table_add(a, t, e->header, entry_value(r, e));
        break;
    case HDR_APPEND:
        req_table_append(a, t, e->header, entry_value(r, e));
        break;
    case HDR_MERGE:
        req_table_merge(a, t, e->header, entry_value(r, e));
        break;
    case HDR_SET: {
        const char *v = entry_value(r, e);
        /* as Apache's: the type itself, except that its byterange
         * filter, which runs later, makes a multipart answer's */
        if (strcasecmp(e->header, "Content-Type") == 0 &&
            !(r->content_type &&
              strncmp(r->content_type, "multipart/byteranges", 20) == 0))
            r->content_type = v;
        req_table_set(a, t, e->header, v);
        break;
    }
    case HDR_SETIFEMPTY: {
        const char *v = req_table_get(t, e->header);
        if (v == NULL || *v == '\0')
            req_table_set(a, t, e->header, entry_value(r, e));
        break;
    }
    case HDR_UNSET:
        /* as Apache's: unsetting Content-Type drops the type itself */
        if (strcasecmp(e->header, "Content-Type") == 0)
            r->content_type = NULL;
        req_table_unset(t, e->header);
        break;
    case HDR_ECHO:
        for (int i = 0; i < r->headers_in.n; i++)
            if (conf_regexec(e->regex, r->headers_in.v[i].name, 0, NULL, 0) ==
                0)
                req_table_add(a, t, r->headers_in.v[i].name,
                              r->headers_in.v[i].value);
        break;
    case HDR_NOTE: {
        const char *v = req_table_get(t, e->header);
        if (v)
            req_table_set(a, &r->notes, entry_value(r, e), v);
        break;
    }
    case HDR_EDIT:
    case HDR_EDIT_ALL: {
        /* as Apache's: the type itself is edited too, and the edited
         * fields move to the end of the table */
        const char *subs = entry_value(r, e);
        if (strcasecmp(e->header, "Content-Type") == 0 && r->content_type)
            r->content_type = edit_value(r, e, r->content_type, subs);
        req_table edited;
        memset(&edited, 0, sizeof(edited));
        for (int i = 0; i < t->n; i++)
            if (strcasecmp(t->v[i].name, e->header) == 0)
                req_table_add(a, &edited, t->v[i].name,
                              edit_value(r, e, t->v[i].value, subs));
        if (edited.n == 0)
            break;
        req_table_unset(t, e->header);
        for (int i = 0; i < edited.n; i++)
            req_table_add(a, t, edited.v[i].name, edited.v[i].value);
        break;
    }
    }
}

/* The entries of one phase: early (post_read_request) or late. */
static void apply_list(request *r, req_table *t, const header_entry *e,
                       int early)
{
    for (; e; e = e->next)
        if (e->early == early && condition_holds(r, e))
            apply(r, t, e);
}

/* "early" lines run as the request is read, before any section applies
 * (Apache allows them only in server and virtual-host context), and again
 * for an internal redirect: RequestHeader, then Header always, then
 * Header.  The handler and the late lines come after them. */
static int post_read_request(request *r)
{
    const headers_conf *c = modutil_dir_config(r, &headers_module);
    if (c != NULL) {
        apply_list(r, &r->headers_in, c->in, 1);
        apply_list(r, &r->err_headers_out, c->out_always, 1);
        apply_list(r, &r->headers_out, c->out_onsuccess, 1);
    }
    return DECLINED;
}

#define APPLIED_NOTE "headers-module-applied"

/* RequestHeader runs at fixups, as Apache's (the handler sees it). */
static int fixups(request *r)
{
    const headers_conf *c = modutil_dir_config(r, &headers_module);
    if (c != NULL)
        apply_list(r, &r->headers_in, c->in, 0);
    return DECLINED;
}

/* Header runs once, just before the response head, where Apache's output
 * filters run: a response the handler produced (2xx, 304, an
 * ErrorDocument's page) gets "Header always" in err_headers_out and
 * "Header [onsuccess]" in headers_out, after the handler's own fields (so
 * "Header unset ETag" works; %{REQUEST_STATUS} in expr= is final); an
 * error page, redirect or refusal the core built gets only "Header
 * always" (Apache's error filter); TRACE and an OPTIONS * answered
 * get neither. */
static void output_headers(request *r)
{
    const headers_conf *c = modutil_dir_config(r, &headers_module);
    /* no Header line in effect: nothing to apply, nothing to note (the
     * head is built once, from the request's final configuration) */
    if (c == NULL || (c->out_always == NULL && c->out_onsuccess == NULL) ||
        r->unfiltered || req_table_get(&r->notes, APPLIED_NOTE) != NULL)
        return;
    if (r->method_number == M_OPTIONS && r->uri != NULL &&
        strcmp(r->uri, "*") == 0 && r->status < 400)
        return; /* OPTIONS * answered: apache2 applies no Header, "always"
                 * neither; refused (a bad head, Expect, a body too large)
                 * it has the server's "always" as any refusal (GET * too) */
    req_table_set(r->arena, &r->notes, APPLIED_NOTE, "1");
    apply_list(r, &r->err_headers_out, c->out_always, 0);
    if (!r->error_response)
        apply_list(r, &r->headers_out, c->out_onsuccess, 0);
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
    .post_read_request = post_read_request,
    .fixups = fixups,
    .fixups_last = 1,
    .output_headers = output_headers,
};
