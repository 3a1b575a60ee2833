/* expr.c -- building the expression tree at configuration time.
 *
 * The grammar's actions call these builders.  Everything that can be
 * decided once is decided here: variables and functions are looked up
 * (case-insensitively, as Apache), regexes compiled, constant subnets of
 * -R and -ipmatch parsed.  A failed lookup records Apache's message in
 * ctx->error2 and the parse goes on, so that a later syntax error is
 * reported as "syntax error, ...: Function 'foo' does not exist", the way
 * Apache words it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr_int.h"
#include "expr_lex.h"
#include "expr_parse.h"
#include "module.h"

const char *const expr_var_names[EV_COUNT] = {
    [EV_REQUEST_METHOD] = "REQUEST_METHOD",
    [EV_REQUEST_SCHEME] = "REQUEST_SCHEME",
    [EV_REQUEST_URI] = "REQUEST_URI",
    [EV_REQUEST_FILENAME] = "REQUEST_FILENAME",
    [EV_REMOTE_HOST] = "REMOTE_HOST",
    [EV_REMOTE_IDENT] = "REMOTE_IDENT",
    [EV_REMOTE_USER] = "REMOTE_USER",
    [EV_SERVER_ADMIN] = "SERVER_ADMIN",
    [EV_SERVER_NAME] = "SERVER_NAME",
    [EV_SERVER_PORT] = "SERVER_PORT",
    [EV_SERVER_PROTOCOL] = "SERVER_PROTOCOL",
    [EV_SCRIPT_FILENAME] = "SCRIPT_FILENAME",
    [EV_PATH_INFO] = "PATH_INFO",
    [EV_QUERY_STRING] = "QUERY_STRING",
    [EV_IS_SUBREQ] = "IS_SUBREQ",
    [EV_DOCUMENT_ROOT] = "DOCUMENT_ROOT",
    [EV_AUTH_TYPE] = "AUTH_TYPE",
    [EV_THE_REQUEST] = "THE_REQUEST",
    [EV_CONTENT_TYPE] = "CONTENT_TYPE",
    [EV_HANDLER] = "HANDLER",
    [EV_REQUEST_LOG_ID] = "REQUEST_LOG_ID",
    [EV_SCRIPT_USER] = "SCRIPT_USER",
    [EV_SCRIPT_GROUP] = "SCRIPT_GROUP",
    [EV_DOCUMENT_URI] = "DOCUMENT_URI",
    [EV_LAST_MODIFIED] = "LAST_MODIFIED",
    [EV_CONTEXT_PREFIX] = "CONTEXT_PREFIX",
    [EV_CONTEXT_DOCUMENT_ROOT] = "CONTEXT_DOCUMENT_ROOT",
    [EV_REQUEST_STATUS] = "REQUEST_STATUS",
    [EV_REMOTE_ADDR] = "REMOTE_ADDR",
    [EV_REMOTE_PORT] = "REMOTE_PORT",
    [EV_HTTP_USER_AGENT] = "HTTP_USER_AGENT",
    [EV_HTTP_PROXY_CONNECTION] = "HTTP_PROXY_CONNECTION",
    [EV_HTTP_REFERER] = "HTTP_REFERER",
    [EV_HTTP_COOKIE] = "HTTP_COOKIE",
    [EV_HTTP_FORWARDED] = "HTTP_FORWARDED",
    [EV_HTTP_HOST] = "HTTP_HOST",
    [EV_HTTP_ACCEPT] = "HTTP_ACCEPT",
    [EV_TIME_YEAR] = "TIME_YEAR",
    [EV_TIME_MON] = "TIME_MON",
    [EV_TIME_DAY] = "TIME_DAY",
    [EV_TIME_HOUR] = "TIME_HOUR",
    [EV_TIME_MIN] = "TIME_MIN",
    [EV_TIME_SEC] = "TIME_SEC",
    [EV_TIME_WDAY] = "TIME_WDAY",
    [EV_TIME] = "TIME",
    [EV_SERVER_SOFTWARE] = "SERVER_SOFTWARE",
    [EV_API_VERSION] = "API_VERSION",
    [EV_HTTPS] = "HTTPS",
    [EV_IPV6] = "IPV6",
    [EV_CONN_LOG_ID] = "CONN_LOG_ID",
    [EV_CONN_REMOTE_ADDR] = "CONN_REMOTE_ADDR",
};

const char *const expr_func_names[EF_COUNT] = {
    [EF_REQ] = "req",
    [EF_HTTP] = "http",
    [EF_REQ_NOVARY] = "req_novary",
    [EF_RESP] = "resp",
    [EF_REQENV] = "reqenv",
    [EF_OSENV] = "osenv",
    [EF_NOTE] = "note",
    [EF_ENV] = "env",
    [EF_TOLOWER] = "tolower",
    [EF_TOUPPER] = "toupper",
    [EF_ESCAPE] = "escape",
    [EF_UNESCAPE] = "unescape",
    [EF_FILE] = "file",
    [EF_FILESIZE] = "filesize",
    [EF_BASE64] = "base64",
    [EF_UNBASE64] = "unbase64",
    [EF_SHA1] = "sha1",
    [EF_MD5] = "md5",
    [EF_LDAP] = "ldap",
};

static const char unary_ops[] = "nzRTdefsLhFUAx";

static const char *const binary_ops[] = {
    [EB_IPMATCH] = "ipmatch",
    [EB_STRMATCH] = "strmatch",
    [EB_STRCMATCH] = "strcmatch",
    [EB_FNMATCH] = "fnmatch",
};

void expr_scan_buffer_grow(expr_parse_ctx *ctx, char c)
{
    if (ctx->len + 2 > ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 64;
        char *nb = realloc(ctx->buf, cap);
        if (nb == NULL)
            abort();
        ctx->buf = nb;
        ctx->cap = cap;
    }
    ctx->buf[ctx->len++] = c;
}

const char *expr_scan_take(expr_parse_ctx *ctx)
{
    const char *s =
        arena_strndup(ctx->arena, ctx->buf ? ctx->buf : "", ctx->len);
    ctx->len = 0;
    return s;
}

/* As in Apache, the last builder message is the one reported. */
static void set_error2(expr_parse_ctx *ctx, const char *msg)
{
    ctx->error2 = msg;
}

static void set_depth(expr_parse_ctx *ctx, expr_node *n)
{
    int da = n->a ? n->a->depth : 0, db = n->b ? n->b->depth : 0;
    n->depth = 1 + (da > db ? da : db);
    if (n->depth == EXPR_MAX_DEPTH + 1)
        ctx->error = arena_printf(ctx->arena,
                                  "expression nested more than %d levels "
                                  "deep",
                                  EXPR_MAX_DEPTH);
}

expr_node *expr_make(expr_parse_ctx *ctx, enum expr_op op, expr_node *a,
                     expr_node *b)
{
    expr_node *n = arena_calloc(ctx->arena, sizeof(*n));
    n->op = op;
    n->a = a;
    n->b = b;
    set_depth(ctx, n);
    return n;
}

expr_node *expr_make_str(expr_parse_ctx *ctx, enum expr_op op, const char *s)
{
    expr_node *n = expr_make(ctx, op, NULL, NULL);
    n->str = s;
    return n;
}

/* The index of NAME (any case) in a table of COUNT names, or -1. */
static int name_index(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcasecmp(names[i], name) == 0)
            return i;
    return -1;
}

expr_node *expr_make_var(expr_parse_ctx *ctx, const char *name)
{
    expr_node *n = expr_make_str(ctx, EXO_VAR, name);
    n->num = name_index(expr_var_names, EV_COUNT, name);
    if (n->num < 0)
        set_error2(ctx, arena_printf(ctx->arena, "Variable '%s' does not exist",
                                     name));
    return n;
}

expr_node *expr_make_strfunc(expr_parse_ctx *ctx, const char *name,
                             expr_node *arg)
{
    expr_node *n = expr_make_str(ctx, EXO_STRFUNC, name);
    n->a = arg;
    set_depth(ctx, n);
    n->num = name_index(expr_func_names, EF_COUNT, name);
    if (n->num < 0)
        set_error2(ctx, arena_printf(ctx->arena, "Function '%s' does not exist",
                                     name));
    return n;
}

expr_node *expr_make_listfunc(expr_parse_ctx *ctx, const char *name,
                              expr_node *arg)
{
    expr_node *n = expr_make_str(ctx, EXO_LISTFUNC, name);
    n->a = arg;
    set_depth(ctx, n);
    set_error2(ctx, arena_printf(ctx->arena,
                                 "List-returning function '%s' does not "
                                 "exist",
                                 name));
    return n;
}

/* -R and -ipmatch take a constant subnet, parsed once. */
static void *constant_subnet(expr_parse_ctx *ctx, const char *opname,
                             const expr_node *arg)
{
    if (arg == NULL || arg->op != EXO_STRING) {
        set_error2(ctx, arena_printf(ctx->arena,
                                     "%s requires subnet/netmask as "
                                     "constant argument",
                                     opname));
        return NULL;
    }
    net_subnet *sn = arena_calloc(ctx->arena, sizeof(*sn));
    if (net_subnet_parse(arg->str, sn) != NULL) {
        set_error2(ctx, "parsing of subnet/netmask failed");
        return NULL;
    }
    return sn;
}

expr_node *expr_make_unary(expr_parse_ctx *ctx, const char *op, expr_node *arg)
{
    expr_node *n = expr_make(ctx, EXO_UNARY, arg, NULL);
    n->str = op;
    if (op[0] == '\0' || op[1] != '\0' || strchr(unary_ops, op[0]) == NULL) {
        set_error2(ctx,
                   arena_printf(ctx->arena,
                                "Unary operator '-%s' does not exist", op));
        return n;
    }
    n->num = op[0];
    if (op[0] == 'R')
        n->data = constant_subnet(ctx, "-R", arg);
    return n;
}

expr_node *expr_make_binary(expr_parse_ctx *ctx, const char *op, expr_node *a,
                            expr_node *b)
{
    expr_node *n = expr_make(ctx, EXO_BINARY, a, b);
    n->str = op;
    size_t i, count = sizeof(binary_ops) / sizeof(binary_ops[0]);
    for (i = 0; i < count; i++)
        if (strcmp(binary_ops[i], op) == 0)
            break;
    if (i == count) {
        set_error2(ctx,
                   arena_printf(ctx->arena,
                                "Binary operator '-%s' does not exist", op));
        return n;
    }
    n->num = (int)i;
    if (i == EB_IPMATCH)
        n->data = constant_subnet(ctx, "-ipmatch", b);
    return n;
}

static void free_regex(void *re)
{
    conf_regfree(re);
}

expr_node *expr_make_regex(expr_parse_ctx *ctx, const char *pattern, int icase)
{
    conf_regex_t *re = arena_alloc(ctx->arena, sizeof(*re));
    if (conf_regcomp(re, pattern, (icase ? CONF_REG_ICASE : 0)) != 0) {
        ctx->error = "Failed to compile regular expression";
        return NULL;
    }
    arena_cleanup(ctx->arena, free_regex, re);
    expr_node *n = expr_make_str(ctx, EXO_REGEX, pattern);
    n->re = re;
    n->num = icase;
    return n;
}

expr_node *expr_make_backref(expr_parse_ctx *ctx, int n)
{
    expr_node *e = expr_make(ctx, EXO_BACKREF, NULL, NULL);
    e->num = n;
    ctx->uses_backrefs = 1;
    return e;
}

/* words: appended in order; the head carries the tail in ->data. */
expr_node *expr_make_list(expr_parse_ctx *ctx, expr_node *list, expr_node *word)
{
    expr_node *e = expr_make(ctx, EXO_LIST, word, NULL);
    if (list == NULL) {
        e->data = e;
        return e;
    }
    expr_node *tail = list->data;
    tail->b = e;
    list->data = e;
    return list;
}

const char *expr_parse(arena *a, const char *text, int flags, expr **out)
{
    expr_parse_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.arena = a;
    ctx.input = text;
    ctx.inlen = strlen(text);
    ctx.flags = flags;
    ctx.at_start = 1;
    *out = NULL;
    if (expr_yylex_init_extra(&ctx, &ctx.scanner) != 0)
        return "Out of memory";
    int rc = expr_yyparse(ctx.scanner, &ctx);
    expr_yylex_destroy(ctx.scanner);
    free(ctx.buf);
    if (ctx.error)
        return ctx.error2 ? arena_printf(a, "%s: %s", ctx.error, ctx.error2)
                          : ctx.error;
    if (ctx.error2)
        return ctx.error2;
    if (rc != 0 || ctx.result == NULL)
        return "syntax error";
    expr *e = arena_calloc(a, sizeof(*e));
    e->root = ctx.result;
    e->is_string = (flags & EXPR_FLAG_STRING) != 0;
    e->uses_backrefs = ctx.uses_backrefs;
    e->text = arena_strdup(a, text);
    *out = e;
    return NULL;
}

const char *expr_source(const expr *e)
{
    return e->text;
}

const char *expr_parse_cmd(cmd_parms *cmd, const char *text, int flags,
                           expr **out)
{
    const char *err = expr_parse(cmd->arena, text, flags, out);
    if (err != NULL || *out == NULL)
        return err;
    if (cmd->node != NULL) {
        (*out)->file = cmd->node->file;
        (*out)->line = cmd->node->line;
    }
    const char *name = cmd->module ? cmd->module->name : NULL;
    if (name != NULL) {
        size_t n = strlen(name);
        if (n > 7 && strcmp(name + n - 7, "_module") == 0)
            n -= 7;
        (*out)->module = arena_strndup(cmd->arena, name, n);
    }
    return NULL;
}
