/* mod_authz.c -- authz_core_module (Require, <RequireAll>, <RequireAny>,
 * <RequireNone>; providers all, env, method, expr) and authz_host_module
 * (providers ip, host, forward-dns, local).
 *
 * Validation follows Apache 2.4: the provider is looked up first
 * ("Unknown Authz provider: X"), then its own parser checks the rest of the
 * line, then the section logic refuses what can never have an effect
 * ("negative Require directive has no effect in <RequireAny> directive").
 * The check phase refuses sections whose every member is negative (AH01624),
 * after applying De Morgan's rule to nested negated sections as Apache does.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <netdb.h>

#include "expr.h"
#include "log.h"
#include "mod_authn.h"
#include "mod_authz.h"
#include "mod_util.h"
#include "registry.h"
#include "request.h"

/* ---- configuration ------------------------------------------------------ */

static const char *section_label(const authz_node *s)
{
    if (s->op == AUTHZ_OP_AND)
        return s->negate ? "<RequireNotAll>" : "<RequireAll>";
    return s->negate ? "<RequireNone>" : "<RequireAny>";
}

static authz_node *new_section(arena *a, enum authz_op op, int negate,
                               const conf_node *where)
{
    authz_node *s = arena_calloc(a, sizeof(*s));
    s->is_section = 1;
    s->op = op;
    s->negate = negate;
    if (where) {
        s->file = where->file;
        s->line = where->line;
    }
    return s;
}

static void append_child(authz_node *parent, authz_node *child)
{
    parent->limited |= child->limited; /* a section applies where one of
                                        * its members does */
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

static void *create_dir(arena *a, const char *path)
{
    (void)path;
    authz_dir_conf *c = arena_calloc(a, sizeof(authz_dir_conf));
    c->forbidden_on_fail = -1;
    return c;
}

static authz_node *copy_node(arena *a, const authz_node *n)
{
    authz_node *c = arena_alloc(a, sizeof(*c));
    *c = *n;
    c->next = NULL;
    return c;
}

/* Apache's merge, AuthMerging included: a scope with neither Require
 * lines nor AuthMerging inherits everything; one with Require lines and
 * AuthMerging Off or unset replaces; with And/Or the inherited section
 * and the scope's own become the two members of a new section with that
 * operator (the inherited one alone when the scope has none).  The
 * result carries the scope's AuthMerging, so an empty scope below passes
 * it on.  Walks merge their own sections among themselves first, then
 * the result onto the directory's: merging is not associative. */
static void *merge_dir(arena *a, void *basev, void *addv)
{
    const authz_dir_conf *base = basev, *add = addv;
    authz_dir_conf *c = arena_calloc(a, sizeof(*c));
    if (add->merging == AUTHZ_MERGE_UNSET && add->section == NULL &&
        base->section) {
        *c = *base;
    } else if (add->merging == AUTHZ_MERGE_UNSET ||
               add->merging == AUTHZ_MERGE_OFF ||
               (base->section == NULL && add->section == NULL)) {
        *c = *add;
    } else {
        authz_node *sec;
        if (base->section && add->section) {
            sec = new_section(
                a, add->merging == AUTHZ_MERGE_AND ? AUTHZ_OP_AND : AUTHZ_OP_OR,
                0, NULL);
            sec->merged = 1;
            append_child(sec, copy_node(a, base->section));
            append_child(sec, copy_node(a, add->section));
        } else {
            sec = copy_node(a, base->section ? base->section : add->section);
        }
        c->section = sec;
        c->merging = add->merging;
    }
    c->current = NULL;
    c->forbidden_on_fail = add->forbidden_on_fail >= 0
                               ? add->forbidden_on_fail
                               : base->forbidden_on_fail;
    return c;
}

/* The section new Require lines go to: the open one, or the implicit
 * RequireAny of the scope. */
static authz_node *open_section(cmd_parms *cmd, authz_dir_conf *conf)
{
    if (conf->current)
        return conf->current;
    if (conf->section == NULL)
        conf->section = new_section(cmd->arena, AUTHZ_OP_OR, 0, NULL);
    return conf->section;
}

/* ---- providers ---------------------------------------------------------- */

static const char *words_of(cmd_parms *cmd, authz_node *p, const char *rest)
{
    char **argv;
    int n = conf_split_args(cmd->arena, rest, &argv, NULL);
    while (n > 0 && argv[n - 1][0] == '\0')
        n--;
    p->words = (const char **)argv;
    p->nwords = n;
    return NULL;
}

static const char *parse_ip(cmd_parms *cmd, authz_node *p, const char *rest)
{
    words_of(cmd, p, rest);
    if (p->nwords == 0)
        return "'require ip' requires an argument";
    p->subnets = arena_calloc(cmd->arena, sizeof(authz_subnet) * p->nwords);
    for (int i = 0; i < p->nwords; i++) {
        const char *err = authz_parse_subnet(p->words[i], &p->subnets[i]);
        if (err)
            return arena_printf(cmd->arena,
                                "ip address '%s' appears to be invalid%s",
                                p->words[i], err);
    }
    p->nsubnets = p->nwords;
    return NULL;
}

static const char *parse_method(cmd_parms *cmd, authz_node *p, const char *rest)
{
    words_of(cmd, p, rest);
    for (int i = 0; i < p->nwords; i++) {
        int m = conf_method_number(cmd->rc, p->words[i]);
        if (m == M_INVALID)
            return arena_printf(cmd->arena, "Invalid Method '%s'", p->words[i]);
        p->method_mask |= (uint64_t)1 << m;
    }
    return NULL;
}

/* The expression is compiled once, here.  Apache strips one pair of
 * double quotes around the whole rest of the line, nothing else. */
static const char *parse_expr(cmd_parms *cmd, authz_node *p, const char *rest)
{
    size_t len = strlen(rest);
    if (len >= 2 && rest[0] == '"' && rest[len - 1] == '"')
        rest = arena_strndup(cmd->temp, rest + 1, len - 2);
    const char *err = expr_parse_cmd(cmd, rest, 0, &p->expr);
    if (err)
        return arena_printf(cmd->arena,
                            "Cannot parse expression in require line: %s", err);
    p->granted = strcasestr(rest, "%{REMOTE_USER}") != NULL;
    return NULL;
}

/* authz_user: the names are a string expression, split at run time. */
static const char *parse_user(cmd_parms *cmd, authz_node *p, const char *rest)
{
    /* its evaluation errors are authz_user's, as in Apache */
    const module *m = cmd->module;
    cmd->module = &authz_user_module;
    const char *err = expr_parse_cmd(cmd, rest, EXPR_FLAG_STRING, &p->expr);
    cmd->module = m;
    if (err)
        return arena_printf(cmd->arena,
                            "Cannot parse expression in require line: %s", err);
    return NULL;
}

static const char *parse_nothing(cmd_parms *cmd, authz_node *p,
                                 const char *rest)
{
    (void)cmd;
    (void)p;
    (void)rest;
    return NULL;
}

static const char *parse_all(cmd_parms *cmd, authz_node *p, const char *rest)
{
    (void)cmd;
    if (strcasecmp(rest, "granted") == 0)
        p->granted = 1;
    else if (strcasecmp(rest, "denied") != 0)
        return "Argument for 'Require all' must be 'granted' or 'denied'";
    return NULL;
}

static const struct {
    const char *name;
    enum authz_provider id;
    const char *(*parse)(cmd_parms *, authz_node *, const char *);
} providers[] = {
    {"all", AUTHZ_PROV_ALL, parse_all},
    {"env", AUTHZ_PROV_ENV, words_of},
    {"method", AUTHZ_PROV_METHOD, parse_method},
    {"expr", AUTHZ_PROV_EXPR, parse_expr},
    {"ip", AUTHZ_PROV_IP, parse_ip},
    {"host", AUTHZ_PROV_HOST, words_of},
    {"forward-dns", AUTHZ_PROV_FORWARD_DNS, words_of},
    {"local", AUTHZ_PROV_LOCAL, words_of},
    {"user", AUTHZ_PROV_USER, parse_user},
    {"valid-user", AUTHZ_PROV_VALID_USER, parse_nothing},
};

/* ap_getword_conf's first word of s, and where the rest starts. */
static char *first_word(arena *a, const char *s, const char **rest)
{
    char **argv;
    int *cols;
    while (isspace((unsigned char)*s))
        s++;
    int n = conf_split_args(a, s, &argv, &cols);
    if (n == 0) {
        *rest = s + strlen(s);
        return "";
    }
    const char *r = n > 1 ? s + cols[1] : s + strlen(s);
    /* the end of the first word: skip it and the blanks after it */
    if (n == 1) {
        r = s + strlen(s);
    }
    *rest = r;
    return argv[0];
}

static const char *cmd_require(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    authz_dir_conf *conf = mconfig;
    const char *rest = argc > 0 ? argv[0] : "";
    authz_node *p = arena_calloc(cmd->arena, sizeof(*p));
    const char *name = first_word(cmd->temp, rest, &rest);
    if (strcasecmp(name, "not") == 0) {
        p->negate = 1;
        name = first_word(cmd->temp, rest, &rest);
    }
    size_t i, n = sizeof(providers) / sizeof(providers[0]);
    for (i = 0; i < n; i++) /* case-sensitive, as Apache's lookup */
        if (strcmp(providers[i].name, name) == 0)
            break;
    if (i == n)
        return arena_printf(cmd->arena, "Unknown Authz provider: %s", name);
    p->provider = providers[i].id;
    p->provider_name = arena_strdup(cmd->arena, name);
    p->requirement = arena_strdup(cmd->arena, rest);
    p->limited = ~cmd->limit_excluded;
    if (cmd->node) {
        p->file = cmd->node->file;
        p->line = cmd->node->line;
    }
    const char *err = providers[i].parse(cmd, p, p->requirement);
    if (err)
        return err;
    authz_node *parent = open_section(cmd, conf);
    if (p->negate && parent->op == AUTHZ_OP_OR)
        return arena_printf(cmd->arena,
                            "negative %s directive has no effect in %s "
                            "directive",
                            cmd->cmd->name, section_label(parent));
    append_child(parent, p);
    return NULL;
}

static const char *cmd_section(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    authz_dir_conf *conf = mconfig;
    const char *name = cmd->cmd->name;
    const char *args = argc > 0 ? argv[0] : "";
    const char *gt = strrchr(args, '>');
    if (gt == NULL)
        return arena_printf(cmd->arena, "%s> directive missing closing '>'",
                            name);
    for (const char *s = args; s < gt; s++)
        if (!isspace((unsigned char)*s))
            return arena_printf(cmd->arena,
                                "%s> directive doesn't take additional "
                                "arguments",
                                name);
    enum authz_op op = AUTHZ_OP_OR;
    int negate = 0;
    if (strcasecmp(name, "<RequireAll") == 0)
        op = AUTHZ_OP_AND;
    else if (strcasecmp(name, "<RequireNone") == 0)
        negate = 1;
    authz_node *sec = new_section(cmd->arena, op, negate, cmd->node);
    authz_node *outer = conf->current;
    conf->current = sec;
    const char *err = NULL;
    /* as Apache: NOT_IN_LIMIT directives are refused inside, and a
     * <Limit> there may not exclude every method */
    cmd->limit_excluded |= (uint64_t)1 << 63;
    if (cmd->node)
        err = conf_walk_section(cmd, cmd->node, cmd->section, cmd->path, NULL,
                                NULL, OR_AUTHCFG);
    conf->current = outer;
    if (err)
        return err;
    if (sec->first == NULL)
        return arena_printf(cmd->arena,
                            "%s directive contains no authorization "
                            "directives",
                            section_label(sec));
    authz_node *parent = open_section(cmd, conf);
    if (sec->negate && parent->op == AUTHZ_OP_OR)
        return arena_printf(cmd->arena,
                            "%s directive has no effect in %s "
                            "directive",
                            section_label(sec), section_label(parent));
    if (sec->op == parent->op && !sec->negate) {
        /* same operator: its members join the parent's (Apache flattens) */
        for (authz_node *c = sec->first, *next; c; c = next) {
            next = c->next;
            c->next = NULL;
            append_child(parent, c);
        }
        return NULL;
    }
    append_child(parent, sec);
    return NULL;
}

static const char *cmd_merging(cmd_parms *cmd, void *mconfig, int argc,
                               char *const argv[])
{
    authz_dir_conf *conf = mconfig;
    (void)argc;
    if (strcasecmp(argv[0], "Off") == 0)
        conf->merging = AUTHZ_MERGE_OFF;
    else if (strcasecmp(argv[0], "And") == 0)
        conf->merging = AUTHZ_MERGE_AND;
    else if (strcasecmp(argv[0], "Or") == 0)
        conf->merging = AUTHZ_MERGE_OR;
    else
        return arena_printf(cmd->arena, "%s must be one of: Off | And | Or",
                            cmd->cmd->name);
    return NULL;
}

static const char *cmd_forbidden_on_failure(cmd_parms *cmd, void *mconfig,
                                            int argc, char *const argv[])
{
    authz_dir_conf *conf = mconfig;
    (void)argc;
    (void)argv;
    conf->forbidden_on_fail = cmd->flag;
    return NULL;
}

/* ---- check phase: AH01624 ----------------------------------------------- */

/* Apache's check, De Morgan flattening included: a negated child section
 * whose operator differs from its parent's is replaced by its members,
 * each negated.  Returns 0, or -1 after reporting. */
static int check_section(authz_node *sec, int is_conf, diag_sink *diag)
{
    authz_node *prev = NULL;
    for (authz_node *c = sec->first; c; prev = c, c = c->next) {
        if (!c->is_section || c->first == NULL)
            continue;
        if (check_section(c, 0, diag) != 0)
            return -1;
        if (c->negate && c->op != sec->op) {
            authz_node *next = c->next, *g = c->first;
            if (prev)
                prev->next = g;
            else
                sec->first = g;
            for (;; g = g->next) {
                g->negate = !g->negate;
                if (g->next == NULL)
                    break;
            }
            g->next = next;
            if (next == NULL)
                sec->last = g;
            c = g;
        }
    }
    for (authz_node *c = sec->first; c; c = c->next)
        if (!c->negate)
            return 0;
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_GLOBAL,
        .file = sec->file,
        .line = sec->line,
        .rule = "authz-only-negative",
        .module = "authz_core",
    };
    char msg[256];
    snprintf(msg, sizeof(msg),
             "AH01624: %s directive contains only negative authorization "
             "directives\nAH00014: Configuration check failed",
             is_conf ? "<Directory>, <Location>, or similar"
                     : section_label(sec));
    d.message = msg;
    diag_emit(diag, &d);
    return -1;
}

static int check_dir_configs(void **cfg, diag_sink *diag)
{
    authz_dir_conf *c = cfg ? conf_get(cfg, &authz_core_module) : NULL;
    if (c == NULL || c->section == NULL || c->section->first == NULL)
        return 0;
    return check_section(c->section, 1, diag);
}

static int check_sections(section_conf *s, diag_sink *diag)
{
    int bad = 0;
    for (; s; s = s->next)
        if (check_dir_configs(s->module_config, diag) != 0) {
            bad = 1;
            if (diag_should_stop(diag))
                break;
        }
    return bad;
}

static int post_config(resolved_config *rc, diag_sink *diag)
{
    int bad = 0;
    server_conf *s = rc->main_server;
    while (s && !(bad && diag_should_stop(diag))) {
        bad |= check_dir_configs(s->lookup_defaults, diag) != 0;
        bad |= check_sections(s->dir_sections, diag);
        bad |= check_sections(s->file_sections, diag);
        bad |= check_sections(s->loc_sections, diag);
        s = s == rc->main_server ? rc->vhosts : s->next;
    }
    return bad;
}

/* ---- runtime ---------------------------------------------------------------
 */

enum authz_result {
    AUTHZ_NEUTRAL,
    AUTHZ_DENIED,
    AUTHZ_DENIED_NO_USER, /* a user might change it (Require user...) */
    AUTHZ_GRANTED,
    AUTHZ_ERROR
};

static int is_local(const request *r)
{
    const struct sockaddr *peer = (const struct sockaddr *)&r->connection->peer;
    authz_subnet loop4, loop6;
    authz_parse_subnet("127.0.0.0/8", &loop4);
    authz_parse_subnet("::1", &loop6);
    if (authz_subnet_match(&loop4, peer) || authz_subnet_match(&loop6, peer))
        return 1;
    return strcmp(r->connection->peer_ip, r->connection->local_ip) == 0;
}

int authz_name_matches(const char *name, const char *want)
{
    size_t n = strlen(name), w = strlen(want);
    if (w > n)
        return 0;
    if (strcasecmp(name + n - w, want) != 0)
        return 0;
    return w == n || want[0] == '.' || name[n - w - 1] == '.';
}

/* Double-reverse lookup of the client, as Apache's "Require host". */
const char *authz_client_name(request *r)
{
    conn_info *ci = r->connection;
    if (ci->remote_host_looked_up) /* once per connection, as Apache's */
        return ci->remote_host[0] ? ci->remote_host : NULL;
    ci->remote_host_looked_up = 1;
    char host[NI_MAXHOST];
    const struct sockaddr *sa = (const struct sockaddr *)&r->connection->peer;
    socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                              : sizeof(struct sockaddr_in);
    if (getnameinfo(sa, len, host, sizeof(host), NULL, 0, NI_NAMEREQD) != 0)
        return NULL;
    struct addrinfo hints = {.ai_family = sa->sa_family}, *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return NULL;
    int ok = 0;
    for (struct addrinfo *a = res; a && !ok; a = a->ai_next) {
        char ip[64];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, ip, sizeof(ip), NULL, 0,
                        NI_NUMERICHOST) == 0 &&
            strcmp(ip, r->connection->peer_ip) == 0)
            ok = 1;
    }
    freeaddrinfo(res);
    if (ok && strlen(host) < sizeof(ci->remote_host))
        strcpy(ci->remote_host, host);
    return ci->remote_host[0] ? ci->remote_host : NULL;
}

static int forward_dns(request *r, const char *name)
{
    struct addrinfo *res = NULL;
    if (getaddrinfo(name, NULL, NULL, &res) != 0)
        return 0;
    int ok = 0;
    for (struct addrinfo *a = res; a && !ok; a = a->ai_next) {
        char ip[64];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, ip, sizeof(ip), NULL, 0,
                        NI_NUMERICHOST) == 0 &&
            strcmp(ip, r->connection->peer_ip) == 0)
            ok = 1;
    }
    freeaddrinfo(res);
    return ok;
}

/* The request's method as a bit of a <Limit> or "Require method" mask. */
static uint64_t method_bit(const request *r)
{
    int m = r->method_number >= 0 && r->method_number < 64 ? r->method_number
                                                           : M_INVALID;
    return (uint64_t)1 << m;
}

static enum authz_result user_result(request *r, const authz_node *p)
{
    if (r->user == NULL)
        return AUTHZ_DENIED_NO_USER;
    const char *err = NULL;
    const char *names = expr_exec_string(p->expr, r, &err);
    if (names == NULL) {
        log_rerror(r, APLOG_ERR, "authz_user", 0,
                   "AH02594: authz_user authorize: require "
                   "user: Can't evaluate require expression: %s",
                   err ? err : "");
        return AUTHZ_DENIED;
    }
    char **argv;
    int n = conf_split_args(r->arena, names, &argv, NULL);
    for (int i = 0; i < n; i++)
        if (strcmp(argv[i], r->user) == 0)
            return AUTHZ_GRANTED;
    return AUTHZ_DENIED;
}

static enum authz_result provider_result(request *r, const authz_node *p)
{
    const char *err = NULL;
    const struct sockaddr *peer = (const struct sockaddr *)&r->connection->peer;
    switch (p->provider) {
    case AUTHZ_PROV_ALL:
        return p->granted ? AUTHZ_GRANTED : AUTHZ_DENIED;
    case AUTHZ_PROV_IP:
        for (int i = 0; i < p->nsubnets; i++)
            if (authz_subnet_match(&p->subnets[i], peer))
                return AUTHZ_GRANTED;
        return AUTHZ_DENIED;
    case AUTHZ_PROV_LOCAL:
        return is_local(r) ? AUTHZ_GRANTED : AUTHZ_DENIED;
    case AUTHZ_PROV_ENV:
        for (int i = 0; i < p->nwords; i++)
            if (req_table_get(&r->subprocess_env, p->words[i]))
                return AUTHZ_GRANTED;
        return AUTHZ_DENIED;
    case AUTHZ_PROV_METHOD:
        return (p->method_mask & method_bit(r)) ? AUTHZ_GRANTED : AUTHZ_DENIED;
    case AUTHZ_PROV_HOST: {
        const char *name = authz_client_name(r);
        for (int i = 0; name && i < p->nwords; i++)
            if (authz_name_matches(name, p->words[i]))
                return AUTHZ_GRANTED;
        return AUTHZ_DENIED;
    }
    case AUTHZ_PROV_FORWARD_DNS:
        for (int i = 0; i < p->nwords; i++)
            if (forward_dns(r, p->words[i]))
                return AUTHZ_GRANTED;
        return AUTHZ_DENIED;
    case AUTHZ_PROV_USER:
        return user_result(r, p);
    case AUTHZ_PROV_VALID_USER:
        return r->user ? AUTHZ_GRANTED : AUTHZ_DENIED_NO_USER;
    case AUTHZ_PROV_EXPR:
        switch (expr_exec(p->expr, r, &err)) {
        case 1:
            return AUTHZ_GRANTED;
        case 0:
            return p->granted ? AUTHZ_DENIED_NO_USER : AUTHZ_DENIED;
        default:
            log_rerror(r, APLOG_ERR, "authz_core", 0,
                       "AH02320: Error evaluating expression in "
                       "'Require expr': %s",
                       err);
            return AUTHZ_ERROR;
        }
    }
    return AUTHZ_DENIED;
}

/* Apache: a negated grant is a denial, a negated denial only neutral
 * (not being refused does not let anyone in). */
static enum authz_result negated(enum authz_result v, int negate)
{
    if (!negate || v == AUTHZ_NEUTRAL || v == AUTHZ_ERROR)
        return v;
    return v == AUTHZ_GRANTED ? AUTHZ_DENIED : AUTHZ_NEUTRAL;
}

/* One member's result v folded into a section's result so far, as
 * Apache's: AND stops at a denial, OR at a grant; neutral members do not
 * count; "denied, but a user might change it" wins over a plain denial
 * in an OR and over a grant in an AND.  *stop says the section is
 * decided. */
static enum authz_result fold(enum authz_op op, enum authz_result res,
                              enum authz_result v, int *stop)
{
    if (v == AUTHZ_NEUTRAL)
        return res;
    if (op == AUTHZ_OP_AND) {
        if (v == AUTHZ_DENIED) {
            *stop = 1;
            return v;
        }
        if ((v == AUTHZ_DENIED_NO_USER && res != AUTHZ_DENIED) ||
            res == AUTHZ_NEUTRAL)
            return v;
        return res;
    }
    if (v == AUTHZ_GRANTED) {
        *stop = 1;
        return v;
    }
    if ((v == AUTHZ_DENIED_NO_USER && res == AUTHZ_DENIED) ||
        res == AUTHZ_NEUTRAL)
        return v;
    return res;
}

/* authz_core:debug, as Apache's: each node's result (AH01626), or that it
 * was skipped for the request's method (AH01625). */
static void log_result(request *r, const authz_node *n, enum authz_result v,
                       int limited)
{
    const char *what =
        n->is_section
            ? arena_printf(r->arena, "%s%s%s",
                           n->merged ? "AuthMerging " : "<Require",
                           n->negate               ? "None"
                           : n->op == AUTHZ_OP_AND ? "All"
                                                   : "Any",
                           n->merged ? "" : ">")
            : arena_printf(r->arena, "Require %s%s %s", n->negate ? "not " : "",
                           n->provider_name, n->requirement);
    const char *text = v == AUTHZ_DENIED           ? "denied"
                       : v == AUTHZ_GRANTED        ? "granted"
                       : v == AUTHZ_DENIED_NO_USER ? "denied (no authenticated "
                                                     "user yet)"
                                                   : "neutral";
    if (limited)
        log_rerror(r, APLOG_DEBUG, "authz_core", 0,
                   "AH01625: authorization result of %s: %s (directive "
                   "limited to other methods)",
                   what, text);
    else
        log_rerror(r, APLOG_DEBUG, "authz_core", 0,
                   "AH01626: authorization result of %s: %s", what, text);
}

/* A node limited to other methods (<Limit>) grants inside an AND and is
 * neutral inside an OR.  A negated section flips the outcome.  debug:
 * authz_core logs at debug (checked once per request by the caller). */
static enum authz_result evaluate(request *r, const authz_node *n,
                                  enum authz_op parent_op, int debug)
{
    enum authz_result res;
    if (!(n->limited & method_bit(r))) {
        res = parent_op == AUTHZ_OP_AND ? AUTHZ_GRANTED : AUTHZ_NEUTRAL;
        if (debug)
            log_result(r, n, res, 1);
        return res;
    }
    if (!n->is_section) {
        res = provider_result(r, n);
        if (res == AUTHZ_ERROR)
            return res;
    } else {
        res = AUTHZ_NEUTRAL;
        int stop = 0;
        for (const authz_node *c = n->first; c && !stop; c = c->next) {
            enum authz_result v = evaluate(r, c, n->op, debug);
            if (v == AUTHZ_ERROR)
                return v; /* Apache answers 500 */
            res = fold(n->op, res, v, &stop);
        }
    }
    res = negated(res, n->negate);
    if (debug)
        log_result(r, n, res, 0);
    return res;
}

/* Apache's authorize_user_core: before authentication (after_authn 0)
 * a result that a user could change asks for one (DECLINED); after it,
 * a denial of an authenticated user is a 401 (asking again) or, with
 * AuthzSendForbiddenOnFailure, a 403. */
static int authorize(request *r, int after_authn)
{
    if (r->access_satisfied) /* Satisfy any, and Allow/Deny let it in */
        return OK;
    const authz_dir_conf *c = modutil_dir_config(r, &authz_core_module);
    if (c == NULL || c->section == NULL) {
        if (authn_auth_type(r) == NULL)
            return OK;
        log_rerror(r, APLOG_ERR, "authz_core", 0,
                   "AH01627: AuthType configured with no "
                   "corresponding authorization directives");
        return 500;
    }
    enum authz_result v = evaluate(r, c->section, AUTHZ_OP_AND,
                                   log_rlevel_ok(r, APLOG_DEBUG, "authz_core"));
    if (v == AUTHZ_GRANTED)
        return OK;
    if (v == AUTHZ_ERROR)
        return 500;
    if (v == AUTHZ_DENIED_NO_USER) {
        if (!after_authn)
            return DECLINED;
        log_rerror(r, APLOG_ERR, "authz_core", 0,
                   "AH01629: authorization failure (no authenticated "
                   "user): %s",
                   r->uri);
        if (r->user)
            auth_basic_note_failure(r);
        return 401;
    }
    if (!after_authn || authn_auth_type(r) == NULL) {
        /* a listing's lookup of a directory entry names it with a '/',
         * as Apache's dirent lookup makes the file name */
        const char *name = r->filename ? r->filename : r->uri;
        size_t n = strlen(name);
        if (r->is_subrequest == 2 && r->finfo_valid &&
            S_ISDIR(r->finfo.st_mode) && n > 0 && name[n - 1] != '/')
            name = arena_strcat(r->arena, name, "/", (char *)NULL);
        log_rerror(r, APLOG_ERR, "authz_core", 0,
                   "AH01630: client denied by server configuration: %s%s",
                   r->filename ? "" : "uri ", name);
        return 403;
    }
    log_rerror(r, APLOG_ERR, "authz_core", 0,
               "AH01631: user %s: authorization failure for \"%s\": ", r->user,
               r->uri);
    if (c->forbidden_on_fail > 0)
        return 403;
    auth_basic_note_failure(r);
    return 401;
}

static int check_access(request *r)
{
    return authorize(r, 0);
}

static int check_authz(request *r)
{
    return authorize(r, 1);
}

/* ---- tables -------------------------------------------------------------- */

static const command_rec authz_core_cmds[] = {
    {"<RequireAny", cmd_section, 0, OR_AUTHCFG, RAW_ARGS,
     "container for grouping authorization directives of which one must "
     "pass"},
    {"<RequireAll", cmd_section, 0, OR_AUTHCFG, RAW_ARGS,
     "container for grouping authorization directives of which none must "
     "fail"},
    {"<RequireNone", cmd_section, 0, OR_AUTHCFG, RAW_ARGS,
     "container for grouping authorization directives of which none must "
     "pass"},
    {"Require", cmd_require, 0, OR_AUTHCFG, RAW_ARGS,
     "specifies authorization directives which one must pass (or not) for "
     "a request to succeed"},
    {"AuthMerging", cmd_merging, 0, OR_AUTHCFG, TAKE1,
     "controls how a <Directory>, <Location>, or similar directive's "
     "authorization directives are combined with those of its "
     "predecessor"},
    {"AuthzSendForbiddenOnFailure", cmd_forbidden_on_failure, 0, OR_AUTHCFG,
     FLAG,
     "Controls if an authorization failure should result in a '403 "
     "FORBIDDEN' response instead of the HTTP-conforming '401 "
     "UNAUTHORIZED'"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module authz_core_module = {
    .name = "authz_core_module",
    .file = "mod_authz_core.c",
    .cmds = authz_core_cmds,
    .create_dir_config = create_dir,
    .merge_dir_config = merge_dir,
    .post_config = post_config,
    .check_access = check_access,
    .check_authz = check_authz,
};

module authz_host_module = {
    .name = "authz_host_module",
    .file = "mod_authz_host.c",
};

module authz_user_module = {
    .name = "authz_user_module",
    .file = "mod_authz_user.c",
};
