/* core_sections.c -- <Directory>, <DirectoryMatch>, <Files>, <FilesMatch>,
 * <Location>, <LocationMatch> and <VirtualHost>: each makes a new scope,
 * walks its children in it and records the result.
 */
#include "core_int.h"
#include "expr.h"
#include "request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Strip the closing '>' (the last one on the line, as Apache does). */
static const char *section_args(cmd_parms *cmd, const char *raw,
                                const char **err)
{
    const char *gt = strrchr(raw, '>');
    *err = NULL;
    if (gt == NULL) {
        *err = arena_printf(cmd->temp, "%s> directive missing closing '>'",
                            cmd->cmd->name);
        return NULL;
    }
    const char *a = arena_strndup(cmd->temp, raw, (size_t)(gt - raw));
    while (*a == ' ' || *a == '\t')
        a++;
    if (*a == '\0') {
        *err = arena_printf(cmd->temp,
                            "%s> directive requires additional "
                            "arguments",
                            cmd->cmd->name);
        return NULL;
    }
    return a;
}

static void free_regex(void *p)
{
    conf_regfree(p);
}

static conf_regex_t *compile(cmd_parms *cmd, const char *pattern, int icase)
{
    conf_regex_t *re = arena_alloc(cmd->arena, sizeof(*re));
    int flags = (icase ? CONF_REG_ICASE : 0);
    if (conf_regcomp(re, pattern, flags) != 0)
        return NULL;
    arena_cleanup(cmd->arena, free_regex, re);
    return re;
}

static int count_dirs(const char *p)
{
    int n = 0;
    for (; *p; p++)
        if (*p == '/')
            n++;
    return n;
}

static section_conf *new_section(cmd_parms *cmd, enum section_kind kind,
                                 const char *path, conf_regex_t *re)
{
    section_conf *s = arena_calloc(cmd->arena, sizeof(*s));
    s->kind = kind;
    s->path = path;
    s->is_regex = re != NULL;
    s->regex = re;
    s->file = cmd->node->file;
    s->line = cmd->node->line;
    s->module_config = conf_new_section_vector(cmd->arena, path);
    s->depth = strcmp(path, "/") != 0 ? count_dirs(path) : 0;
    size_t len = strlen(path);
    s->level = count_dirs(path) + (len > 0 && path[len - 1] != '/');
    return s;
}

/* Lists are built newest first and put in order by the resolver. */
static void append(section_conf **list, section_conf *s)
{
    s->next = *list;
    *list = s;
}

static const char *canonical_dir(cmd_parms *cmd, const char *path)
{
    const char *p = path;
    if (p[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof(cwd)) == NULL)
            return NULL;
        p = arena_strcat(cmd->temp, cwd, "/", path, (char *)NULL);
    }
    cmd_parms tmp = *cmd;
    tmp.rc = NULL;
    tmp.arena = cmd->temp; /* only the result is kept */
    p = conf_server_root_relative(&tmp, p);
    size_t len = strlen(p);
    return arena_strcat(cmd->arena, p, len == 0 || p[len - 1] != '/' ? "/" : "",
                        (char *)NULL);
}

/* Shared by the three kinds: parse "[~] path", walk the children, record. */
static const char *path_section(cmd_parms *cmd, const char *raw,
                                enum section_kind plain,
                                enum section_kind match, unsigned forbidden)
{
    const char *err = conf_check_context(cmd, forbidden);
    if (err)
        return err;
    const char *args = section_args(cmd, raw, &err);
    if (err)
        return err;
    int is_match =
        strcasecmp(cmd->cmd->name + strlen(cmd->cmd->name) - 5, "Match") == 0;
    int nwords, extra;
    char **w;
    nwords = conf_split_args(cmd->temp, args, &w, NULL);
    /* the words are in cmd->temp; the path kept is copied below */
    const char *path = nwords > 0 ? w[0] : "";
    int used = 1;
    conf_regex_t *re = NULL;
    int icase = 0;
    if (strcmp(path, "~") == 0) {
        path = nwords > 1 ? w[1] : "";
        used = 2;
        is_match = 1;
    }
    if (is_match) {
        re = compile(cmd, path, icase);
        if (re == NULL)
            return "Regex could not be compiled";
        path = arena_strdup(cmd->arena, path);
    } else if (plain == SEC_DIRECTORY && strcmp(path, "/") != 0) {
        path = canonical_dir(cmd, path);
        if (path == NULL)
            return arena_printf(cmd->temp,
                                "<Directory \"%s\"> path is invalid.", w[0]);
    } else {
        path = arena_strdup(cmd->arena, path);
    }
    extra = nwords > used;
    enum section_kind kind = re ? match : plain;
    section_conf *s = new_section(cmd, kind, path, re);
    /* in an .htaccess the file's allowance goes on, as in Apache */
    int override = cmd->in_htaccess ? cmd->override : OR_ALL | ACCESS_CONF;
    const char *werr = conf_walk_section(cmd, cmd->node, kind, path, NULL,
                                         s->module_config, override);
    if (werr)
        return werr;
    if (plain == SEC_FILES && cmd->path != NULL) {
        core_dir_conf *outer = conf_dir_config(cmd, &core_module);
        append(&outer->file_sections, s);
    } else if (plain == SEC_FILES) {
        append(&cmd->server->file_sections, s);
    } else if (plain == SEC_DIRECTORY) {
        append(&cmd->server->dir_sections, s);
    } else {
        append(&cmd->server->loc_sections, s);
    }
    if (extra)
        return arena_printf(cmd->temp,
                            "Multiple %s> arguments not (yet) "
                            "supported.",
                            cmd->cmd->name);
    return NULL;
}

CORE_HANDLER(core_dir_section)
{
    (void)mconfig;
    (void)argc;
    return path_section(cmd, argv[0], SEC_DIRECTORY, SEC_DIRECTORY_MATCH,
                        NOT_IN_DIR_CONTEXT);
}

CORE_HANDLER(core_files_section)
{
    (void)mconfig;
    (void)argc;
    return path_section(cmd, argv[0], SEC_FILES, SEC_FILES_MATCH,
                        NOT_IN_LOCATION | NOT_IN_LIMIT);
}

CORE_HANDLER(core_url_section)
{
    (void)mconfig;
    (void)argc;
    return path_section(cmd, argv[0], SEC_LOCATION, SEC_LOCATION_MATCH,
                        NOT_IN_DIR_CONTEXT);
}

/* <If>, <ElseIf>, <Else>: the body is walked into its own config vector,
 * which joins the enclosing scope's list; request.c merges it after
 * <Location> (Apache's ap_if_walk).  Checks and messages in Apache's
 * order: context, closing '>', argument, condition, body, chain, extra
 * arguments. */
static const char *if_block(cmd_parms *cmd, core_dir_conf *outer,
                            const char *raw, enum if_kind kind)
{
    const char *err = conf_check_context(cmd, NOT_IN_LIMIT);
    if (err)
        return err;
    const char *gt = strrchr(raw, '>');
    if (gt == NULL)
        return arena_printf(cmd->temp, "%s> directive missing closing '>'",
                            cmd->cmd->name);
    const char *args = arena_strndup(cmd->temp, raw, (size_t)(gt - raw));
    while (*args == ' ' || *args == '\t')
        args++;
    if_section *sec = arena_calloc(cmd->arena, sizeof(*sec));
    sec->kind = kind;
    sec->file = cmd->node->file;
    sec->line = cmd->node->line;
    sec->module_config = conf_new_section_vector(cmd->arena, "");
    int extra = 0;
    if (kind == IF_ELSE) {
        if (*args != '\0')
            return "<Else> does not take an argument";
    } else {
        if (*args == '\0')
            return arena_printf(cmd->temp,
                                "%s> directive requires additional arguments",
                                cmd->cmd->name);
        char **w;
        int n = conf_split_args(cmd->temp, args, &w, NULL);
        extra = n > 1;
        expr *cond;
        err = expr_parse_cmd(cmd, n > 0 ? w[0] : "", 0, &cond);
        if (err)
            return arena_printf(cmd->temp, "Cannot parse condition clause: %s",
                                err);
        sec->condition = cond;
    }
    int override = cmd->path ? cmd->override : OR_ALL | ACCESS_CONF;
    const char *werr =
        conf_walk_section(cmd, cmd->node, SEC_IF, cmd->path ? cmd->path : "*If",
                          NULL, sec->module_config, override);
    if (werr)
        return werr;
    if_section **tail = &outer->if_sections;
    const if_section *last = NULL;
    while (*tail) {
        last = *tail;
        tail = &(*tail)->next;
    }
    if (kind != IF_IF && (last == NULL || last->kind == IF_ELSE))
        return "<Else> or <ElseIf> section without previous <If> or "
               "<ElseIf> section in same scope";
    *tail = sec;
    if (extra)
        return arena_printf(cmd->temp, "Multiple %s> arguments not supported.",
                            cmd->cmd->name);
    return NULL;
}

CORE_HANDLER(core_if_section)
{
    (void)argc;
    return if_block(cmd, mconfig, argv[0], IF_IF);
}

CORE_HANDLER(core_elseif_section)
{
    (void)argc;
    return if_block(cmd, mconfig, argv[0], IF_ELSEIF);
}

CORE_HANDLER(core_else_section)
{
    (void)argc;
    return if_block(cmd, mconfig, argv[0], IF_ELSE);
}

/* ---- <Limit>, <LimitExcept> and the method registry ------------------- */

/* Apache numbers extension methods from M_INVALID + 1 up to 62. */
#define METHOD_NUMBER_LAST 62

int conf_method_number(const resolved_config *rc, const char *name)
{
    int m = req_method_number(name);
    for (int i = 0; m == M_INVALID && rc && i < rc->nmethods; i++)
        if (strcmp(rc->methods[i], name) == 0)
            m = M_INVALID + 1 + i;
    return m;
}

static int register_method(cmd_parms *cmd, const char *name)
{
    resolved_config *rc = cmd->rc;
    if (M_INVALID + 1 + rc->nmethods > METHOD_NUMBER_LAST) {
        conf_warn(cmd, "core", "too-many-methods",
                  "AH00520: Maximum new request methods %d reached while "
                  "registering method %s.",
                  METHOD_NUMBER_LAST, name);
        return M_INVALID;
    }
    const char **v = arena_alloc(cmd->arena, sizeof(*v) * (rc->nmethods + 1));
    if (rc->nmethods)
        memcpy(v, rc->methods, sizeof(*v) * rc->nmethods);
    v[rc->nmethods] = arena_strdup(cmd->arena, name);
    rc->methods = v;
    return M_INVALID + 1 + rc->nmethods++;
}

/* Apache's ap_limit_section: the body is walked in the same scope with
 * the methods narrowed; only Require (mod_authz) looks at them.  Method
 * names are case-sensitive; an unknown one is registered as a new method
 * (not from an .htaccess file). */
CORE_HANDLER(core_limit_section)
{
    (void)mconfig;
    (void)argc;
    const char *err;
    const char *args = section_args(cmd, argv[0], &err);
    if (err)
        return err;
    int except = strcasecmp(cmd->cmd->name, "<LimitExcept") == 0;
    char **w;
    int n = conf_split_args(cmd->temp, args, &w, NULL);
    uint64_t mask = 0;
    for (int i = 0; i < n; i++) {
        int m = conf_method_number(cmd->rc, w[i]);
        if (m == M_TRACE && !except)
            return "TRACE cannot be controlled by <Limit>, see TraceEnable";
        if (m == M_INVALID && cmd->in_htaccess)
            return arena_printf(cmd->temp,
                                "Could not register method '%s' "
                                "for %s from .htaccess configuration",
                                w[i], cmd->cmd->name);
        if (m == M_INVALID)
            m = register_method(cmd, w[i]);
        mask |= (uint64_t)1 << m;
    }
    uint64_t limited = except ? ~mask : mask;
    uint64_t old = ~cmd->limit_excluded;
    if ((old & limited) == 0)
        return arena_printf(cmd->temp, "%s> directive excludes all methods",
                            cmd->cmd->name);
    cmd->limit_excluded = ~(old & limited);
    return conf_walk_section(cmd, cmd->node, cmd->section, cmd->path, NULL,
                             NULL, cmd->override);
}

/* One <VirtualHost> address, Apache's get_addresses() rules. */
static const char *vhost_address(cmd_parms *cmd, const char *word,
                                 vhost_addr **out)
{
    *out = NULL;
    if (*word == '\0')
        return NULL;
    size_t len = strlen(word);
    int wild = 0;
    char *w = arena_strdup(cmd->temp, word);
    if (len > 2 && w[len - 1] == '*' && w[len - 2] == ':') {
        w[len - 2] = '\0';
        wild = 1;
    }
    const char *host;
    int port;
    if (strcmp(w, "*") == 0) {
        host = "*";
        port = 0;
    } else if (conf_parse_addr_port(cmd->temp, w, &host, &port) != NULL) {
        return "The address or port is invalid";
    }
    if (host == NULL)
        return "Missing address for VirtualHost";
    vhost_addr *a = arena_calloc(cmd->arena, sizeof(*a));
    a->host = arena_strdup(cmd->arena, host);
    a->port = wild ? 0 : port;
    *out = a;
    return NULL;
}

CORE_HANDLER(core_vhost_section)
{
    (void)mconfig;
    (void)argc;
    const char *err = conf_check_context(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    const char *args = section_args(cmd, argv[0], &err);
    if (err)
        return err;
    server_conf *s = core_server_new(cmd->rc, 1);
    s->defn_file = cmd->node->file;
    s->defn_line = cmd->node->line;
    char **w;
    int n = conf_split_args(cmd->temp, args, &w, NULL);
    vhost_addr **tail = &s->addrs;
    for (int i = 0; i < n; i++) {
        vhost_addr *a;
        err = vhost_address(cmd, w[i], &a);
        if (err)
            return err;
        if (a) {
            *tail = a;
            tail = &a->next;
        }
    }
    /* newest first during the walk; the resolver restores the order */
    s->next = cmd->rc->vhosts;
    cmd->rc->vhosts = s;
    cmd->rc->nvhosts++;
    return conf_walk_section(cmd, cmd->node, SEC_VIRTUALHOST, NULL, s,
                             s->lookup_defaults, cmd->override);
}
