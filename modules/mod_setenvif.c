/* mod_setenvif.c -- SetEnvIf, SetEnvIfNoCase, BrowserMatch,
 * BrowserMatchNoCase and SetEnvIfExpr: request environment variables set
 * from what the request says.
 *
 * The rules, as apache2 2.4 applies them (each measured against it, see
 * tests/integration/test_env.py):
 *  - Lines written at server or <VirtualHost> level run once the request
 *    is read (post_read_request), before the URI is decoded: Request_URI is
 *    the path as sent.  Lines inside a section or an .htaccess run after
 *    the directory walk, before access control (Apache's header_parser),
 *    on the main request only, and see the decoded path.  A vhost runs the
 *    main server's lines, then its own; sections merge outer first.
 *  - The attribute is one of Remote_Host, Remote_Addr, Server_Addr,
 *    Request_Method, Request_Protocol, Request_URI (any case); a request
 *    header (the comma-joined value of all its lines); or, when no such
 *    header was sent, an environment variable set by an earlier line.  A
 *    name with a character other than letters, digits, '-' and '_' is a
 *    regex over header names (case-insensitive): the last header it
 *    matches gives the value.  Absent, the value is "".
 *  - A pattern without regex syntax (backslash escapes aside) is a plain
 *    substring test; its values are taken as written.  Otherwise $0..$9
 *    in a value are the match's groups, and a backslash keeps the next
 *    character.
 *  - "name=value", "name" (value "1"), "name=" (also "1"), "!name"
 *    (unset; the rest of the word is the name).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_regex.h"
#include "expr.h"
#include "http_proto.h"
#include "log.h"
#include "mod_util.h"
#include "request.h"

module setenvif_module;

enum sei_special {
    SEI_HEADER = 0, /* a request header, else an earlier variable */
    SEI_NAME_REGEX, /* a regex over header names */
    SEI_REMOTE_HOST,
    SEI_REMOTE_ADDR,
    SEI_SERVER_ADDR,
    SEI_REQUEST_METHOD,
    SEI_REQUEST_PROTOCOL,
    SEI_REQUEST_URI,
    SEI_EXPR
};

typedef struct sei_var {
    const char *name;
    const char *value; /* NULL: unset */
} sei_var;

typedef struct sei_entry {
    enum sei_special what;
    const char *name;      /* header or variable name */
    conf_regex_t *name_re; /* SEI_NAME_REGEX */
    conf_regex_t *re;      /* NULL: plain substring test */
    const char *plain;     /* the substring (escapes removed) */
    int icase;
    expr *cond; /* SetEnvIfExpr */
    sei_var *vars;
    int nvars;
    struct sei_entry *next;
} sei_entry;

typedef struct sei_conf {
    sei_entry *first, *last;
} sei_conf;

/* ---- configuration ------------------------------------------------------ */

static void *create_conf(arena *a)
{
    return arena_calloc(a, sizeof(sei_conf));
}

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    return create_conf(a);
}

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    return create_conf(a);
}

/* base's lines, then add's: the lists are shared, never appended to once
 * merged (a handler appends to its own scope's list only), so the result
 * is a copy only when both have lines. */
static void *merge_conf(arena *a, void *basev, void *addv)
{
    const sei_conf *base = basev, *add = addv;
    if (base->first == NULL)
        return addv;
    if (add->first == NULL)
        return basev;
    sei_conf *c = arena_calloc(a, sizeof(*c));
    sei_entry **link = &c->first;
    for (int pass = 0; pass < 2; pass++)
        for (const sei_entry *e = pass ? add->first : base->first; e;
             e = e->next) {
            sei_entry *n = arena_alloc(a, sizeof(*n));
            *n = *e;
            n->next = NULL;
            *link = c->last = n;
            link = &n->next;
        }
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

/* The substring a pattern stands for when it has no regex syntax (a
 * backslash may escape a regex character or a backslash), or NULL when
 * it must be matched as a regex. */
static const char *plain_pattern(arena *a, const char *s)
{
    char *out = arena_alloc(a, strlen(s) + 1), *d = out;
    for (; *s; s++) {
        if (*s == '\\') {
            if (s[1] == '\0' || strchr("^.$|()[]*+?{}\\", s[1]) == NULL)
                return NULL;
            *d++ = *++s;
        } else if (strchr("^.$|()[]*+?{}", *s) != NULL) {
            return NULL;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
    return out;
}

static int is_plain_name(const char *s)
{
    for (; *s; s++)
        if (!(*s == '-' || *s == '_' || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static sei_conf *conf_for(cmd_parms *cmd, void *mconfig)
{
    /* server and <VirtualHost> level (no section path): the server's
     * list, run at post_read_request; sections and .htaccess: per
     * directory, run after the walk */
    if (cmd->path == NULL && !cmd->in_htaccess)
        return conf_server_config(cmd, &setenvif_module);
    return mconfig;
}

static const char *add_vars(cmd_parms *cmd, sei_entry *e, int argc,
                            char *const argv[])
{
    e->vars = arena_alloc(cmd->arena, sizeof(*e->vars) * (size_t)argc);
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        sei_var *v = &e->vars[e->nvars++];
        if (w[0] == '!') {
            v->name = arena_strdup(cmd->arena, w + 1);
            v->value = NULL;
            continue;
        }
        const char *eq = strchr(w, '=');
        if (eq == NULL) {
            v->name = arena_strdup(cmd->arena, w);
            v->value = "1";
        } else {
            v->name = arena_strndup(cmd->arena, w, (size_t)(eq - w));
            v->value = eq[1] ? arena_strdup(cmd->arena, eq + 1) : "1";
        }
    }
    return NULL;
}

static void append(sei_conf *c, sei_entry *e)
{
    if (c->last)
        c->last->next = e;
    else
        c->first = e;
    c->last = e;
}

static const struct {
    const char *name;
    enum sei_special what;
} specials[] = {
    {"Remote_Host", SEI_REMOTE_HOST},
    {"Remote_Addr", SEI_REMOTE_ADDR},
    {"Server_Addr", SEI_SERVER_ADDR},
    {"Request_Method", SEI_REQUEST_METHOD},
    {"Request_Protocol", SEI_REQUEST_PROTOCOL},
    {"Request_URI", SEI_REQUEST_URI},
};

/* SetEnvIf[NoCase] attribute regex var..., BrowserMatch[NoCase] regex
 * var... (the attribute is User-Agent). */
static const char *setenvif_line(cmd_parms *cmd, void *mconfig, int argc,
                                 char *const argv[], const char *attr,
                                 int icase)
{
    const char *name = cmd->cmd->name;
    int i = 0;
    if (attr == NULL) {
        if (argc < 1 || argv[0][0] == '\0')
            return arena_printf(cmd->temp, "Missing header-field name for %s",
                                name);
        attr = argv[i++];
    }
    if (i >= argc || argv[i][0] == '\0')
        return arena_printf(cmd->temp, "Missing regular expression for %s",
                            name);
    const char *pattern = argv[i++];
    if (i >= argc)
        return arena_printf(cmd->temp, "Missing envariable expression for %s",
                            name);

    sei_entry *e = arena_calloc(cmd->arena, sizeof(*e));
    e->icase = icase;
    e->plain = plain_pattern(cmd->arena, pattern);
    if (e->plain == NULL) {
        e->re = compile(cmd, pattern, icase ? CONF_REG_ICASE : 0);
        if (e->re == NULL)
            return arena_printf(cmd->temp, "%s regex could not be compiled.",
                                name);
    }
    e->what = SEI_HEADER;
    for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++)
        if (strcasecmp(attr, specials[k].name) == 0)
            e->what = specials[k].what;
    e->name = arena_strdup(cmd->arena, attr);
    if (e->what == SEI_HEADER && !is_plain_name(attr)) {
        e->what = SEI_NAME_REGEX;
        e->name_re = compile(cmd, attr, CONF_REG_ICASE | CONF_REG_NOSUB);
        if (e->name_re == NULL)
            return arena_printf(cmd->temp, "%s regex could not be compiled.",
                                name);
    }
    add_vars(cmd, e, argc - i, argv + i);
    append(conf_for(cmd, mconfig), e);
    return NULL;
}

static const char *cmd_setenvif(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    return setenvif_line(cmd, mconfig, argc, argv, NULL, 0);
}

static const char *cmd_setenvif_nocase(cmd_parms *cmd, void *mconfig, int argc,
                                       char *const argv[])
{
    return setenvif_line(cmd, mconfig, argc, argv, NULL, 1);
}

static const char *cmd_browsermatch(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    return setenvif_line(cmd, mconfig, argc, argv, "User-Agent", 0);
}

static const char *cmd_browsermatch_nocase(cmd_parms *cmd, void *mconfig,
                                           int argc, char *const argv[])
{
    return setenvif_line(cmd, mconfig, argc, argv, "User-Agent", 1);
}

static const char *cmd_setenvifexpr(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    if (argc < 1 || argv[0][0] == '\0')
        return "Missing expression for SetEnvIfExpr";
    if (argc < 2)
        return "Missing envariable expression for SetEnvIfExpr";
    sei_entry *e = arena_calloc(cmd->arena, sizeof(*e));
    e->what = SEI_EXPR;
    const char *err = expr_parse_cmd(cmd, argv[0], 0, &e->cond);
    if (err != NULL)
        return arena_printf(cmd->temp, "Could not parse expression \"%s\": %s",
                            argv[0], err);
    add_vars(cmd, e, argc - 1, argv + 1);
    append(conf_for(cmd, mconfig), e);
    return NULL;
}

/* ---- runtime ------------------------------------------------------------ */

#define MAX_MATCH 10

/* All lines of a header, joined with ", " as Apache reads them. */
static const char *header_value(request *r, const char *name)
{
    const char *v = NULL;
    for (int i = 0; i < r->headers_in.n; i++) {
        const req_header *h = &r->headers_in.v[i];
        if (strcasecmp(h->name, name) != 0)
            continue;
        v = v ? arena_strcat(r->arena, v, ", ", h->value, (char *)NULL)
              : h->value;
    }
    return v;
}

static const char *attribute(request *r, const sei_entry *e, int early)
{
    const conn_info *c = r->connection;
    switch (e->what) {
    case SEI_REMOTE_HOST:
        if (c->remote_host_looked_up && c->remote_host[0])
            return c->remote_host;
        return c->peer_ip;
    case SEI_REMOTE_ADDR:
        return c->peer_ip;
    case SEI_SERVER_ADDR:
        return c->local_ip;
    case SEI_REQUEST_METHOD:
        return r->method;
    case SEI_REQUEST_PROTOCOL:
        return r->protocol;
    case SEI_REQUEST_URI:
        /* before the URI is decoded, as sent (an internal redirect's
         * is the target it was given) */
        return early && r->prev == NULL ? http_raw_path(r, NULL) : r->uri;
    case SEI_NAME_REGEX: {
        const char *v = NULL;
        for (int i = 0; i < r->headers_in.n; i++)
            if (conf_regexec(e->name_re, r->headers_in.v[i].name, 0, NULL, 0) ==
                0)
                v = r->headers_in.v[i].value;
        return v;
    }
    case SEI_HEADER: {
        const char *v = header_value(r, e->name);
        return v ? v : req_table_get(&r->subprocess_env, e->name);
    }
    case SEI_EXPR:
        break;
    }
    return NULL;
}

static void apply(request *r, const sei_entry *e, const char *subject,
                  const conf_regmatch_t *m)
{
    for (int i = 0; i < e->nvars; i++) {
        const sei_var *v = &e->vars[i];
        if (v->value == NULL) {
            req_table_unset(&r->subprocess_env, v->name);
            continue;
        }
        const char *val = v->value;
        if (m != NULL)
            val = modutil_regsub(r->arena, val, subject, m, MAX_MATCH);
        req_table_set(r->arena, &r->subprocess_env, v->name, val);
    }
}

static void run_list(request *r, const sei_conf *c, int early)
{
    for (const sei_entry *e = c ? c->first : NULL; e; e = e->next) {
        conf_regmatch_t m[MAX_MATCH];
        if (e->what == SEI_EXPR) {
            const char *src = NULL, *err = NULL;
            /* a failure is logged by the evaluation only, as in Apache */
            int ok = expr_exec_re(e->cond, r, MAX_MATCH, m, &src, &err);
            if (ok > 0)
                apply(r, e, src ? src : "", src ? m : NULL);
            continue;
        }
        const char *v = attribute(r, e, early);
        if (v == NULL)
            v = ""; /* absent: "^$" matches */
        if (e->re == NULL) {
            if ((e->icase ? strcasestr(v, e->plain) : strstr(v, e->plain)) !=
                NULL)
                apply(r, e, v, NULL);
        } else if (conf_regexec(e->re, v, MAX_MATCH, m, 0) == 0) {
            apply(r, e, v, m);
        }
    }
}

static int post_read_request(request *r)
{
    const sei_conf *c =
        r->server && r->server->module_config
            ? conf_get(r->server->module_config, &setenvif_module)
            : NULL;
    run_list(r, c, 1);
    return DECLINED;
}

/* Apache's header_parser: after the walk, on the main request only (a
 * lookup or mod_dir's fast redirect to an index does not run it). */
static int header_parser(request *r)
{
    if (r->is_subrequest || r->fast_redirect)
        return DECLINED;
    run_list(r, modutil_dir_config(r, &setenvif_module), 0);
    return DECLINED;
}

static const command_rec setenvif_cmds[] = {
    {"SetEnvIf", cmd_setenvif, 0, OR_FILEINFO, TAKE_ARGV,
     "A header-name, regex and a list of variables."},
    {"SetEnvIfNoCase", cmd_setenvif_nocase, 0, OR_FILEINFO, TAKE_ARGV,
     "a header-name, regex and a list of variables."},
    {"SetEnvIfExpr", cmd_setenvifexpr, 0, OR_FILEINFO, TAKE_ARGV,
     "an expression and a list of variables."},
    {"BrowserMatch", cmd_browsermatch, 0, OR_FILEINFO, TAKE_ARGV,
     "A browser regex and a list of variables."},
    {"BrowserMatchNoCase", cmd_browsermatch_nocase, 0, OR_FILEINFO, TAKE_ARGV,
     "A browser regex and a list of variables."},
    {0},
};

module setenvif_module = {
    .name = "setenvif_module",
    .file = "mod_setenvif.c",
    .cmds = setenvif_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_conf,
    .create_server_config = create_server,
    .merge_server_config = merge_conf,
    .post_read_request = post_read_request,
    .map_to_storage = header_parser,
};
