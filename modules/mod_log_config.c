/* mod_log_config.c -- LogFormat, CustomLog, TransferLog, GlobalLog,
 * BufferedLogs: validation with Apache's messages and the compiled op
 * lists the runtime writes access-log lines with.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "expr.h"
#include "mod_log_config.h"
#include "registry.h"

/* ---- format compiler ------------------------------------------------------
 */

/* Codes Apache 2.4 knows with mod_log_config and mod_logio built in. */
static const char one_char_codes[] = "aAbBCDefhHiIklLmnopPqrRsStTuUvVXO";

static int grow(arena *a, log_fmt *f, int *cap)
{
    if (f->nitems == *cap) {
        int ncap = *cap ? *cap * 2 : 8;
        log_item *v = arena_alloc(a, sizeof(*v) * ncap);
        if (f->nitems)
            memcpy(v, f->items, sizeof(*v) * f->nitems);
        f->items = v;
        *cap = ncap;
    }
    log_item *it = &f->items[f->nitems++];
    memset(it, 0, sizeof(*it));
    return f->nitems - 1;
}

/* Literal text up to the next '%', with \n \r \t \\ escapes. */
static const char *parse_literal(arena *a, log_item *it, const char *s)
{
    const char *end = s;
    while (*end && *end != '%')
        end++;
    char *d = arena_alloc(a, (size_t)(end - s) + 1), *out = d;
    while (s < end) {
        if (*s != '\\') {
            *d++ = *s++;
            continue;
        }
        s++;
        switch (s < end ? *s : '\0') {
        case '\\':
            *d++ = '\\';
            s++;
            break;
        case 'r':
            *d++ = '\r';
            s++;
            break;
        case 'n':
            *d++ = '\n';
            s++;
            break;
        case 't':
            *d++ = '\t';
            s++;
            break;
        default:
            *d++ = '\\';
            break;
        }
    }
    *d = '\0';
    it->text = out;
    return end;
}

static void add_condition(arena *a, log_item *it, int status)
{
    int *v = arena_alloc(a, sizeof(int) * (it->nconditions + 1));
    if (it->nconditions)
        memcpy(v, it->conditions, sizeof(int) * it->nconditions);
    v[it->nconditions++] = status;
    it->conditions = v;
}

/* After a '%': modifiers, then the code.  *sp advances past the item. */
static const char *parse_directive(arena *a, log_item *it, const char **sp)
{
    const char *s = *sp;
    if (*s == '%') {
        it->text = "%";
        *sp = s + 1;
        return NULL;
    }
    while (*s) {
        switch (*s) {
        case '!':
            it->negate = !it->negate;
            s++;
            continue;
        case '<':
            it->want_orig = 1;
            it->orig_given = 1;
            s++;
            continue;
        case '>':
            it->want_orig = 0;
            it->orig_given = 1;
            s++;
            continue;
        case ',':
            s++;
            continue;
        case '{': {
            const char *close = strchr(++s, '}');
            size_t n = close ? (size_t)(close - s) : strlen(s);
            it->arg = arena_strndup(a, s, n);
            s += close ? n + 1 : n;
            continue;
        }
        default:
            break;
        }
        if (isdigit((unsigned char)*s)) {
            int v = 0;
            while (isdigit((unsigned char)*s))
                v = v * 10 + (*s++ - '0');
            add_condition(a, it, v);
            continue;
        }
        if (s[0] == '^' && s[1] && s[2] &&
            (strncmp(s, "^ti", 3) == 0 || strncmp(s, "^to", 3) == 0)) {
            memcpy(it->code, s, 3);
            *sp = s + 3;
            return NULL;
        }
        if (strchr(one_char_codes, *s) == NULL)
            return arena_printf(a, "Unrecognized LogFormat directive %%%c", *s);
        it->code[0] = *s;
        *sp = s + 1;
        return NULL;
    }
    return "Ran off end of LogFormat parsing args to some directive";
}

const char *log_compile_format(arena *a, const char *fmt, log_fmt **out)
{
    log_fmt *f = arena_calloc(a, sizeof(*f));
    int cap = 0;
    const char *s = fmt;
    f->source = arena_strdup(a, fmt);
    while (*s) {
        int k = grow(a, f, &cap);
        log_item *it = &f->items[k];
        if (*s != '%') {
            s = parse_literal(a, it, s);
            continue;
        }
        s++;
        const char *err = parse_directive(a, it, &s);
        if (err)
            return err;
    }
    int last = grow(a, f, &cap);
    f->items[last].text = "\n";
    if (out)
        *out = f;
    return NULL;
}

const log_fmt *log_target_format(const log_server_conf *s, const log_target *t)
{
    if (t->format_string == NULL)
        return s->default_format;
    for (const log_named_format *n = s->formats; n; n = n->next)
        if (strcasecmp(n->name, t->format_string) == 0)
            return n->format;
    return t->format;
}

/* ---- configuration --------------------------------------------------------
 */

static void *create_server(arena *a, server_conf *s)
{
    (void)s;
    log_server_conf *c = arena_calloc(a, sizeof(*c));
    c->buffered = UNSET;
    return c;
}

/* A vhost without logs of its own writes to the main server's; named
 * formats and the default format are inherited unless redefined. */
static void *merge_server(arena *a, void *basev, void *addv)
{
    const log_server_conf *base = basev, *add = addv;
    log_server_conf *c = arena_calloc(a, sizeof(*c));
    c->default_format =
        add->default_format ? add->default_format : base->default_format;
    log_named_format **link = &c->formats;
    for (int pass = 0; pass < 2; pass++)
        for (const log_named_format *n = pass ? base->formats : add->formats; n;
             n = n->next) {
            log_named_format *copy = arena_alloc(a, sizeof(*copy));
            *copy = *n;
            copy->next = NULL;
            *link = copy;
            link = &copy->next;
        }
    const log_target *src = add->logs ? add->logs : base->logs;
    log_target **tl = &c->logs;
    for (const log_target *t = src; t; t = t->next) {
        log_target *copy = arena_alloc(a, sizeof(*copy));
        *copy = *t;
        copy->origin = t->origin ? t->origin : (log_target *)t;
        copy->next = NULL;
        *tl = c->logs_tail = copy;
        tl = &copy->next;
    }
    /* GlobalLog targets of the main server reach every vhost. */
    if (add->logs)
        for (const log_target *t = base->logs; t; t = t->next) {
            if (!t->global)
                continue;
            log_target *copy = arena_alloc(a, sizeof(*copy));
            *copy = *t;
            copy->origin = t->origin ? t->origin : (log_target *)t;
            copy->next = NULL;
            *tl = c->logs_tail = copy;
            tl = &copy->next;
        }
    c->buffered = add->buffered == UNSET ? base->buffered : add->buffered;
    return c;
}

static log_server_conf *server_logs(cmd_parms *cmd)
{
    return conf_server_config(cmd, &log_config_module);
}

static const char *cmd_log_format(cmd_parms *cmd, void *mconfig, int argc,
                                  char *const argv[])
{
    (void)mconfig;
    log_server_conf *c = server_logs(cmd);
    log_fmt *f;
    const char *err = log_compile_format(cmd->arena, argv[0], &f);
    if (err)
        return err;
    if (argc < 2) {
        c->default_format = f;
        return NULL;
    }
    log_named_format *n = arena_alloc(cmd->arena, sizeof(*n));
    n->name = arena_strdup(cmd->arena, argv[1]);
    n->format = f;
    n->next = c->formats;
    c->formats = n;
    return NULL;
}

static const char *parse_condition(cmd_parms *cmd, log_target *t,
                                   const char *clause)
{
    if (strncasecmp(clause, "env=", 4) == 0) {
        const char *v = clause + 4;
        if (*v == '\0' || (v[0] == '!' && v[1] == '\0'))
            return "missing environment variable name";
        if (*v == '!') {
            t->env_negate = 1;
            v++;
        }
        t->env = arena_strdup(cmd->arena, v);
        return NULL;
    }
    if (strncasecmp(clause, "expr=", 5) == 0) {
        if (clause[5] == '\0')
            return "missing condition";
        return expr_parse_cmd(cmd, clause + 5, 0, &t->expr);
    }
    return "error in condition clause";
}

static const char *add_log(cmd_parms *cmd, const char *path, const char *fmt,
                           const char *clause, int global)
{
    log_server_conf *c = server_logs(cmd);
    log_target *t = arena_calloc(cmd->arena, sizeof(*t));
    if (clause) {
        const char *err = parse_condition(cmd, t, clause);
        if (err)
            return err;
    }
    t->path = arena_strdup(cmd->arena, path);
    t->piped = path[0] == '|';
    if (t->piped) {
        const char *p = path + 1;
        if (*p == '$')
            t->piped = 2;
        if (*p == '$' || *p == '|')
            p++;
        while (isspace((unsigned char)*p))
            p++;
        t->resolved = arena_strdup(cmd->arena, p);
    } else {
        t->resolved = conf_server_root_relative(cmd, path);
    }
    t->global = global;
    t->fd = -1;
    if (cmd->node) {
        t->file = cmd->node->file;
        t->line = cmd->node->line;
    }
    if (fmt) {
        t->format_string = arena_strdup(cmd->arena, fmt);
        const char *err = log_compile_format(cmd->arena, fmt, &t->format);
        if (err)
            return err;
    }
    if (c->logs_tail)
        c->logs_tail->next = t;
    else
        c->logs = t;
    c->logs_tail = t;
    return NULL;
}

static const char *cmd_custom_log(cmd_parms *cmd, void *mconfig, int argc,
                                  char *const argv[])
{
    (void)mconfig;
    return add_log(cmd, argv[0], argv[1], argc > 2 ? argv[2] : NULL, 0);
}

static const char *cmd_global_log(cmd_parms *cmd, void *mconfig, int argc,
                                  char *const argv[])
{
    const char *err = conf_check_context(cmd, GLOBAL_ONLY);
    if (err)
        return err;
    (void)mconfig;
    return add_log(cmd, argv[0], argv[1], argc > 2 ? argv[2] : NULL, 1);
}

static const char *cmd_transfer_log(cmd_parms *cmd, void *mconfig, int argc,
                                    char *const argv[])
{
    (void)mconfig;
    (void)argc;
    return add_log(cmd, argv[0], NULL, NULL, 0);
}

static const char *cmd_buffered(cmd_parms *cmd, void *mconfig, int argc,
                                char *const argv[])
{
    (void)mconfig;
    (void)argc;
    (void)argv;
    server_logs(cmd)->buffered = cmd->flag;
    return NULL;
}

/* ---- check phase: AH02297 ---------------------------------------------------
 */

static int check_dir(const log_target *t, diag_sink *diag)
{
    if (t->piped || t->resolved == NULL)
        return 0;
    const char *slash = strrchr(t->resolved, '/');
    if (slash == NULL)
        return 0;
    char dir[4096];
    size_t n = (size_t)(slash - t->resolved) + 1;
    if (n >= sizeof(dir))
        n = sizeof(dir) - 1;
    memcpy(dir, t->resolved, n);
    dir[n] = '\0';
    struct stat st;
    if (stat(dir, &st) == 0)
        return 0;
    int e = errno;
    char msg[8192 + 256];
    snprintf(msg, sizeof(msg),
             "(%d)%s: AH02297: Cannot access directory '%s' for log file "
             "'%s' defined at %s:%d\nAH00014: Configuration check failed",
             e, strerror(e), dir, t->path, t->file ? t->file : "", t->line);
    struct diag d = {
        .severity = DIAG_ERROR,
        .phase = DIAG_GLOBAL,
        .file = t->file,
        .line = t->line,
        .rule = "log-dir",
        .module = "log_config",
        .message = msg,
    };
    diag_emit(diag, &d);
    return 1;
}

/* Serving (not -t): open the files and start the piped programs in the
 * parent, once the error log is open, so every child inherits them
 * (Apache's open_logs). */
static int open_logs(resolved_config *rc, const char **startup)
{
    return log_open_targets(rc, startup) == 0 ? 0 : 1;
}

static int post_config(resolved_config *rc, diag_sink *diag)
{
    server_conf *s = rc->main_server;
    while (s) {
        log_server_conf *c =
            s->module_config ? conf_get(s->module_config, &log_config_module)
                             : NULL;
        for (const log_target *t = c ? c->logs : NULL; t; t = t->next)
            if (check_dir(t, diag))
                return 1;
        s = s == rc->main_server ? rc->vhosts : s->next;
    }
    return 0;
}

static const command_rec log_config_cmds[] = {
    {"CustomLog", cmd_custom_log, 0, RSRC_CONF, TAKE23,
     "a file name, a custom log format string or format name, and an "
     "optional \"env=\" or \"expr=\" clause (see docs)"},
    {"GlobalLog", cmd_global_log, 0, RSRC_CONF, TAKE23,
     "Same as CustomLog, but forces virtualhosts to inherit the log"},
    {"TransferLog", cmd_transfer_log, 0, RSRC_CONF, TAKE1,
     "the filename of the access log"},
    {"LogFormat", cmd_log_format, 0, RSRC_CONF, TAKE12,
     "a log format string (see docs) and an optional format name"},
    {"BufferedLogs", cmd_buffered, 0, RSRC_CONF, FLAG,
     "Enable Buffered Logging (experimental)"},
    {NULL, NULL, 0, 0, RAW_ARGS, NULL},
};

module log_config_module = {
    .name = "log_config_module",
    .file = "mod_log_config.c",
    .cmds = log_config_cmds,
    .create_server_config = create_server,
    .merge_server_config = merge_server,
    .post_config = post_config,
    .open_logs = open_logs,
    .log_transaction = log_config_transaction,
    .connection_end = log_config_connection_end,
};
